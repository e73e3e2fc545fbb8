//! FINAS input masks driven by keys: FIN110 Ansätze (with a Nachtrag),
//! FIN210 Mittelreservierung, FIN220 Genehmigung, FIN230 Haushaltssperre,
//! and acceptance scenario 1 (FINAS.md) through the masks.

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::core::clock::FixedClock;
use kis::core::money::Money;
use kis::finas::{plan, ueberwachung};
use kis::store::Db;
use kis::testing::ui::UiHarness;
use kis::testing::{demo_env, session};

fn env(db: &Db) -> Arc<FixedClock> {
    demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())
}

/// A wide screen, so that the service's long messages fit the message line.
fn ui_as(db: &Db, clock: &Arc<FixedClock>, user: &str, pw: &str) -> UiHarness {
    let mut ui = UiHarness::with_size(db, clock.clone(), 200, 24, "default");
    ui.login(user, pw);
    ui
}

fn tabs(ui: &mut UiHarness, n: usize) {
    for _ in 0..n {
        ui.key(KeyCode::Tab);
    }
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

/// The number after "Nr. " in a message.
fn nr_in(message: &str) -> String {
    let rest = &message[message.find("Nr. ").expect("Nr. in der Meldung") + 4..];
    rest.chars().take_while(char::is_ascii_digit).collect()
}

fn assert_message(ui: &UiHarness, part: &str) {
    assert!(
        ui.message().contains(part),
        "{:?} fehlt in {:?}",
        part,
        ui.message()
    );
}

kis::store_test!(fin110_ansatz_im_nachtrag, |db: &Db| {
    let clock = env(db);
    let mut ui = ui_as(db, &clock, "BUCHHALTER", "buchhalter");
    ui.goto("=2");
    for code in ["FIN110", "FIN210", "FIN220", "FIN230"] {
        ui.assert_contains(code);
    }
    ui.goto("FIN110");
    ui.assert_contains("Ansätze erfassen");
    ui.assert_contains("Planung +3");
    tabs(&mut ui, 2);
    ui.type_text("01.01.01");
    tabs(&mut ui, 1);
    ui.type_text("5431");
    tabs(&mut ui, 1);
    ui.type_text("12.000,00");
    tabs(&mut ui, 1);
    // The 2026 Haushalt is adopted: no version to change yet.
    ui.fkey(10);
    assert_message(&ui, "keine Version im Entwurf");
    ui.fkey(11);
    assert_message(&ui, "Version 2 „1. Nachtrag 2026“ im Entwurf angelegt");
    ui.fkey(10);
    assert_message(&ui, "Ansatz 01.01.01/5431 2026 (Version 2) gespeichert");

    let s = session(db, clock.clone(), "BUCHHALTER");
    let a = plan::ansaetze(&s, 2026, 2)
        .unwrap()
        .into_iter()
        .find(|a| a.produkt == "01.01.01" && a.konto == "5431")
        .expect("Ansatz im Nachtrag");
    // The planning years were left empty and keep the copied values.
    assert_eq!(a.betrag, eur("12.000,00"));
    assert_eq!(
        a.plan,
        [eur("10.200,00"), eur("10.400,00"), eur("10.600,00")]
    );
    // The adopted version is unchanged.
    let v1 = plan::ansaetze(&s, 2026, 1)
        .unwrap()
        .into_iter()
        .find(|a| a.produkt == "01.01.01" && a.konto == "5431")
        .unwrap();
    assert_eq!(v1.betrag, eur("10.000,00"));

    // F5 shows what the version holds now.
    ui.goto("FIN110");
    tabs(&mut ui, 1);
    ui.type_text("2");
    tabs(&mut ui, 1);
    ui.type_text("01.01.01");
    tabs(&mut ui, 1);
    ui.type_text("5431");
    ui.fkey(5);
    assert_message(&ui, "Ansatz 01.01.01/5431 2026 (Version 2) geladen");
    ui.assert_contains("12.000,00");
    ui.assert_contains("10.600,00");
    ui.fkey(12);

    // A Produktbereich is refused by the service, the field is marked.
    ui.goto("FIN110");
    tabs(&mut ui, 2);
    ui.type_text("01.01");
    tabs(&mut ui, 1);
    ui.type_text("5431");
    tabs(&mut ui, 1);
    ui.type_text("1,00");
    ui.fkey(10);
    assert_message(&ui, "kein Produkt (Ebene 3)");
});

// Acceptance scenario 1 through the masks: Ansatz 10.000 € (demo plan),
// reservation 9.500 € warns, an Anordnung of 600 € is refused, with an
// überplanmäßige approval of 1.000 € it passes.
/// FIN200 for Produkt 01.01.01, the cursor on the line of Konto 5431 and
/// the line command `c` on it.
fn fin200_zeile(ui: &mut UiHarness, s: &kis::kernel::session::Session, c: char) {
    let zeile = ueberwachung::positionen(s, 2026)
        .unwrap()
        .iter()
        .filter(|p| p.produkt == "01.01.01")
        .position(|p| p.konto == "5431")
        .expect("Position 01.01.01/5431");
    ui.goto("FIN200");
    tabs(ui, 1);
    ui.type_text("01.01.01");
    ui.key(KeyCode::Enter);
    ui.assert_contains("10.000,00");
    for _ in 0..zeile {
        ui.key(KeyCode::Down);
    }
    ui.type_text(&c.to_string());
    ui.key(KeyCode::Enter);
}

kis::store_test!(szenario_1_ueber_die_masken, |db: &Db| {
    let clock = env(db);
    let s = session(db, clock.clone(), "BUCHHALTER");
    let mut ui = ui_as(db, &clock, "BUCHHALTER", "buchhalter");
    // From the FIN200 line of 01.01.01/5431, R opens FIN210 for the position.
    fin200_zeile(&mut ui, &s, 'R');
    ui.assert_contains("Mittelreservierung");
    ui.type_text("9.500,00");
    tabs(&mut ui, 1);
    ui.type_text("Büromaterial Rahmenvertrag");
    ui.fkey(10);
    assert_message(&ui, "Mittelreservierung Nr.");
    assert_message(&ui, "Warnung");
    assert_message(&ui, "über 90 %");
    let reservierung = nr_in(&ui.message());
    let pos = ueberwachung::position(&s, 2026, "01.01.01", "5431").unwrap();
    assert_eq!((pos.obligo, pos.verfuegbar()), (950_000, 50_000));

    // The Anordnung of 600 € through FIN300 is refused.
    let anordnung = |ui: &mut UiHarness| {
        ui.goto("FIN300");
        tabs(ui, 1);
        ui.type_text("R-2026-600");
        tabs(ui, 2);
        ui.type_text("Büromaterial Nachbestellung");
        tabs(ui, 1);
        ui.type_text("5431");
        tabs(ui, 1);
        ui.type_text("01.01.01");
        tabs(ui, 2);
        ui.type_text("600,00");
        tabs(ui, 2);
        ui.type_text("3511");
        tabs(ui, 4);
        ui.type_text("600,00");
        tabs(ui, 1);
        ui.fkey(10);
    };
    anordnung(&mut ui);
    assert_message(&ui, "abgelehnt");
    ui.fkey(12);
    assert_message(&ui, "Eingaben verworfen");

    // The clerk may not approve; the Kämmerer may.
    let genehmigung = |ui: &mut UiHarness| {
        ui.goto("FIN220");
        ui.assert_contains("25.11.2026");
        tabs(ui, 1);
        ui.type_text("ÜPL-2026-07");
        tabs(ui, 2);
        ui.type_text("01.01.01");
        tabs(ui, 1);
        ui.type_text("5431");
        tabs(ui, 1);
        ui.type_text("1.000,00");
        tabs(ui, 1);
        ui.type_text("Mehrbedarf Sitzungsdienst");
        ui.fkey(10);
    };
    genehmigung(&mut ui);
    assert_message(&ui, "Fehler");
    assert!(!ui.message().contains("erfasst"), "{}", ui.message());
    ui.fkey(12);
    assert_eq!(
        ueberwachung::position(&s, 2026, "01.01.01", "5431")
            .unwrap()
            .genehmigt,
        0
    );
    // The Kämmerer takes the way over the FIN200 line: G opens FIN220
    // with the position filled in and the cursor in the number.
    let mut chef = ui_as(db, &clock, "KAEMMERER", "kaemmerer");
    fin200_zeile(&mut chef, &s, 'G');
    chef.assert_contains("Genehmigung üpl./apl.");
    chef.type_text("ÜPL-2026-07");
    tabs(&mut chef, 4);
    chef.type_text("1.000,00");
    tabs(&mut chef, 1);
    chef.type_text("Mehrbedarf Sitzungsdienst");
    chef.fkey(10);
    assert_message(&chef, "Genehmigung Nr. ÜPL-2026-07 erfasst");
    assert_message(&chef, "verfügbar 1.500,00 €");

    anordnung(&mut ui);
    assert_message(&ui, "gespeichert");
    let pos = ueberwachung::position(&s, 2026, "01.01.01", "5431").unwrap();
    assert_eq!(
        (pos.genehmigt, pos.obligo, pos.anordnungssoll),
        (100_000, 950_000, 60_000)
    );
    let verlauf = ueberwachung::verlauf(&s, 2026, "01.01.01", "5431").unwrap();
    assert!(
        verlauf.iter().any(|e| e.text.contains("ÜPL-2026-07")),
        "{verlauf:?}"
    );

    // The order is done: FIN210 releases the rest of the reservation.
    ui.goto("FIN210");
    tabs(&mut ui, 1);
    ui.type_text(&reservierung);
    ui.fkey(10);
    assert_message(
        &ui,
        &format!("Mittelreservierung Nr. {reservierung} freigegeben"),
    );
    assert_eq!(
        ueberwachung::position(&s, 2026, "01.01.01", "5431")
            .unwrap()
            .obligo,
        0
    );
    ui.fkey(10);
    assert_message(&ui, "nicht (mehr) offen");
});

kis::store_test!(fin230_sperre_erfassen_und_aufheben, |db: &Db| {
    let clock = env(db);
    let s = session(db, clock.clone(), "BUCHHALTER");
    let mut ui = ui_as(db, &clock, "KAEMMERER", "kaemmerer");
    ui.goto("FIN230");
    ui.assert_contains("Haushaltssperre");
    tabs(&mut ui, 2);
    ui.type_text("01.01.01");
    tabs(&mut ui, 2);
    ui.type_text("50");
    tabs(&mut ui, 1);
    ui.type_text("Haushaltskonsolidierung");
    // Produkt without Konto is neither a position nor the whole Haushalt.
    ui.fkey(10);
    assert_message(&ui, "Bitte auch das Konto angeben");
    // The service error put the cursor into the Konto field.
    ui.type_text("5431");
    ui.fkey(10);
    assert_message(&ui, "für 01.01.01/5431 (50 %) erfasst");
    let sperre = nr_in(&ui.message());
    let pos = ueberwachung::position(&s, 2026, "01.01.01", "5431").unwrap();
    assert_eq!(pos.gesperrt, 500_000);

    ui.goto("FIN230");
    tabs(&mut ui, 1);
    ui.type_text(&sperre);
    ui.fkey(10);
    assert_message(&ui, &format!("Haushaltssperre Nr. {sperre} aufgehoben"));
    let pos = ueberwachung::position(&s, 2026, "01.01.01", "5431").unwrap();
    assert_eq!(pos.gesperrt, 0);

    // S on the FIN200 line opens FIN230 for the position, cursor in Prozent.
    fin200_zeile(&mut ui, &s, 'S');
    ui.assert_contains("Haushaltssperre");
    ui.type_text("20");
    tabs(&mut ui, 1);
    ui.type_text("Bewirtschaftungsreserve");
    ui.fkey(10);
    assert_message(&ui, "für 01.01.01/5431 (20 %) erfasst");
    let pos = ueberwachung::position(&s, 2026, "01.01.01", "5431").unwrap();
    assert_eq!(pos.gesperrt, 200_000);
});
