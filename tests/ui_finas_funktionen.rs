//! FINAS functions driven by keys on both stores: FIN100 adopts a plan
//! version after a question (FIN110 then refuses its Ansätze), FIN120
//! closes and reopens periods, FIN310 cancels a Buchung with S (question,
//! Grund field), FIN130 closes a year, FIN240 transfers an Ermächtigung;
//! each refuses a user without the role.

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::core::clock::FixedClock;
use kis::core::money::Money;
use kis::finas::plan;
use kis::store::Db;
use kis::testing::ui::UiHarness;
use kis::testing::{demo_env, session};

fn d(j: i32, m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(j, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

/// A wide screen, so that long messages fit the message line.
fn ui_as(db: &Db, clock: &Arc<FixedClock>, user: &str) -> UiHarness {
    let mut ui = UiHarness::with_size(db, clock.clone(), 200, 24, "default");
    ui.login(user, &user.to_lowercase());
    ui
}

fn assert_message(ui: &UiHarness, part: &str) {
    assert!(
        ui.message().contains(part),
        "{part:?} fehlt in {:?}\n{}",
        ui.message(),
        ui.screen()
    );
}

/// The header row of the screen (mask code and title).
fn header(ui: &UiHarness) -> String {
    ui.lines().first().cloned().unwrap_or_default()
}

kis::store_test!(fin100_beschliesst_version_nach_rueckfrage, |db: &Db| {
    let clock = demo_env(db, d(2026, 11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let v = plan::version_anlegen(&buchhalter, 2026, "").unwrap();
    plan::ansatz_setzen(
        &buchhalter,
        2026,
        v,
        &plan::Ansatz {
            produkt: "01.01.01".into(),
            konto: "5431".into(),
            betrag: eur("12.000,00"),
            plan: [Money::zero(); 3],
        },
    )
    .unwrap();

    // Without the Anordnungsbefugnis F10 is refused and not offered.
    let mut ui = ui_as(db, &clock, "BUCHHALTER");
    ui.goto("FIN100");
    assert!(!ui.screen().contains("F10=Speichern"), "{}", ui.screen());
    ui.fkey(10);
    assert_message(&ui, "fehlt die Rolle Anordnungsbefugnis");

    let mut ui = ui_as(db, &clock, "KAEMMERER");
    ui.goto("FIN100");
    ui.assert_contains("Beschluss");
    ui.assert_contains("F10=Speichern");
    // Without a date the field is named and takes the cursor.
    ui.fkey(10);
    assert_message(&ui, "Datum des Ratsbeschlusses angeben");
    ui.type_text("20.11.2026");
    ui.fkey(10);
    assert!(ui.popup_open(), "{}", ui.screen());
    ui.assert_contains("Version 2 „1. Nachtrag 2026“ mit Ratsbeschluss vom 20.11.2026");
    ui.assert_contains("beschließen? Ihre Ansätze sind danach unveränderlich. (J/N)");
    ui.type_text("n");
    assert_message(&ui, "Version 2 für 2026 nicht beschlossen.");
    assert!(!plan::versionen(&buchhalter, 2026).unwrap()[1].beschlossen);
    ui.fkey(10);
    ui.type_text("j");
    assert_message(
        &ui,
        "Version 2 „1. Nachtrag 2026“ für 2026 am 20.11.2026 beschlossen; sie ist jetzt der geltende Plan.",
    );
    let vs = plan::versionen(&buchhalter, 2026).unwrap();
    assert!(vs[1].beschlossen);
    assert_eq!(vs[1].beschluss, Some(d(2026, 11, 20)));
    // The report (Enter) now shows the Nachtrag's Ansatz as the plan in force.
    ui.key(KeyCode::Enter);
    assert_message(&ui, "Gesamtergebnisplan 2026");
    // Adopting it again is refused in the field Version.
    ui.fkey(10);
    assert_message(&ui, "Planversion 2 für 2026 ist bereits beschlossen.");

    // FIN110 refuses to change an Ansatz of the adopted version.
    ui.goto("FIN110");
    ui.tabs(1);
    ui.type_text("2");
    ui.tabs(1);
    ui.type_text("01.01.01");
    ui.tabs(1);
    ui.type_text("5431");
    ui.tabs(1);
    ui.type_text("13.000,00");
    ui.fkey(10);
    assert_message(&ui, "ist beschlossen und kann nicht mehr geändert werden");
    assert_eq!(
        plan::ansaetze(&buchhalter, 2026, 2)
            .unwrap()
            .iter()
            .find(|a| a.produkt == "01.01.01" && a.konto == "5431")
            .unwrap()
            .betrag,
        eur("12.000,00")
    );
    assert!(header(&ui).contains("FIN110"));
});

/// The screen row that contains `text`.
fn zeile(ui: &UiHarness, text: &str) -> String {
    ui.lines()
        .into_iter()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("„{text}“ fehlt:\n{}", ui.screen()))
}

kis::store_test!(fin120_schliesst_und_oeffnet_perioden, |db: &Db| {
    use kis::finas::{journal, stamm};
    let clock = demo_env(db, d(2026, 11, 25));
    let gast = session(db, clock.clone(), "GAST");

    // GAST sees the periods but may not close one.
    let mut g = ui_as(db, &clock, "GAST");
    g.goto("=2");
    g.assert_contains("FIN120  Perioden");
    g.goto("FIN120");
    assert!(header(&g).contains("FIN120  Perioden"), "{}", g.screen());
    assert_message(&g, "Haushaltsjahr 2026: 17 von 17 Perioden offen.");
    assert!(zeile(&g, "März").contains("offen"));
    g.key(KeyCode::Enter);
    g.key(KeyCode::Down);
    g.key(KeyCode::Down);
    g.key(KeyCode::Down);
    g.type_text("S");
    g.key(KeyCode::Enter);
    assert_message(
        &g,
        "Schließen nicht möglich – es fehlt die Rolle Anordnungsbefugnis",
    );
    assert!(!g.popup_open());
    assert!(stamm::perioden(&gast, 2026).unwrap()[3].offen);

    let mut ui = ui_as(db, &clock, "KAEMMERER");
    ui.goto("FIN120");
    ui.assert_contains("S=Schließen");
    // Enter lists the year's periods with the cursor on 00; three down is März.
    ui.key(KeyCode::Enter);
    for _ in 0..3 {
        ui.key(KeyCode::Down);
    }
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Periode 2026-03 (März) schließen?");
    ui.type_text("n");
    assert_message(&ui, "Periode 2026-03 nicht geschlossen.");
    assert!(stamm::perioden(&gast, 2026).unwrap()[3].offen);
    // The list was read again and starts at the top.
    for _ in 0..3 {
        ui.key(KeyCode::Down);
    }
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    assert_message(&ui, "Periode 2026-03 geschlossen.");
    assert!(
        zeile(&ui, "März").contains("geschlossen"),
        "{}",
        ui.screen()
    );
    assert!(!stamm::perioden(&gast, 2026).unwrap()[3].offen);
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let buchung = journal::BuchungInput {
        datum: d(2026, 3, 31),
        periode: None,
        beleg: "P-1".into(),
        text: "Papier".into(),
        zeilen: vec![
            journal::ZeileInput::soll("5431", Some("01.01.02"), eur("40,00")),
            journal::ZeileInput::haben("3511", None, eur("40,00")),
        ],
    };
    assert!(journal::buchen(&buchhalter, &buchung).is_err());
    // Closing it again is refused by name; O opens it after a question.
    for _ in 0..3 {
        ui.key(KeyCode::Down);
    }
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    assert_message(&ui, "Periode 2026-03 ist bereits geschlossen.");
    assert!(!ui.popup_open());
    // A refusal keeps the list; the cursor went on to April with the S.
    ui.key(KeyCode::Up);
    ui.type_text("O");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Periode 2026-03 (März) wieder öffnen?");
    ui.type_text("j");
    assert_message(&ui, "Periode 2026-03 geöffnet.");
    assert!(zeile(&ui, "März").contains("offen"));
    journal::buchen(&buchhalter, &buchung).unwrap();
});

kis::store_test!(fin310_storniert_eine_buchung_mit_grund, |db: &Db| {
    use kis::finas::journal;
    let clock = demo_env(db, d(2026, 11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let nr = journal::buchen(
        &buchhalter,
        &journal::BuchungInput {
            datum: d(2026, 11, 2),
            periode: None,
            beleg: "P-1".into(),
            text: "Büropapier".into(),
            zeilen: vec![
                journal::ZeileInput::soll("5431", Some("01.01.02"), eur("40,00")),
                journal::ZeileInput::haben("3511", None, eur("40,00")),
            ],
        },
    )
    .unwrap()
    .nr;
    let kontenblatt = |ui: &mut UiHarness| {
        ui.goto("FIN310");
        ui.tabs(1);
        ui.type_text("5431");
        ui.key(KeyCode::Enter);
        ui.key(KeyCode::End);
    };

    // GAST sees the Kontenblatt but may not cancel.
    let mut g = ui_as(db, &clock, "GAST");
    kontenblatt(&mut g);
    g.assert_contains("S=Stornieren");
    g.type_text("S");
    g.key(KeyCode::Enter);
    assert_message(
        &g,
        "Stornieren nicht möglich – es fehlt die Rolle Finanzwesen ändern",
    );

    let mut ui = ui_as(db, &clock, "BUCHHALTER");
    kontenblatt(&mut ui);
    ui.assert_contains("Storno am  25.11.2026");
    assert!(zeile(&ui, "P-1").contains("40,00"));
    // Without a reason the field Grund is named and takes the cursor.
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    assert_message(&ui, "Bitte den Grund des Stornos angeben.");
    assert!(!ui.popup_open());
    ui.type_text("doppelt erfasst");
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::End);
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.assert_contains(&format!(
        "Buchung {nr} vom 02.11.2026 (Beleg P-1, 40,00 €) am"
    ));
    ui.assert_contains("Grund: doppelt erfasst (J/N)");
    ui.type_text("n");
    assert_message(&ui, &format!("Buchung {nr} nicht storniert."));
    assert!(
        journal::lesen(&buchhalter, nr)
            .unwrap()
            .storniert_durch
            .is_none()
    );
    ui.key(KeyCode::End);
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    let storno = nr + 1;
    assert_message(
        &ui,
        &format!("Buchung {nr} storniert durch Buchung {storno} vom 25.11.2026."),
    );
    assert_eq!(
        journal::lesen(&buchhalter, storno).unwrap().text,
        format!("Storno zu Nr. {nr}: doppelt erfasst")
    );
    // The list shows the Storno below; it is not cancelled, nor is the original again.
    ui.assert_contains(&format!("Storno zu Nr. {nr}"));
    ui.key(KeyCode::End);
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    assert_message(
        &ui,
        &format!("Buchung {storno} ist selbst ein Storno (zu Buchung {nr})"),
    );
    assert!(!ui.popup_open());
    ui.key(KeyCode::End);
    ui.key(KeyCode::Up);
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    assert_message(
        &ui,
        &format!("Buchung {nr} ist bereits durch Buchung {storno} storniert."),
    );
    assert!(!ui.popup_open());
});

kis::store_test!(fin130_jahresabschluss_nach_rueckfrage, |db: &Db| {
    use kis::finas::{abschluss, stamm};
    let clock = demo_env(db, d(2026, 12, 31));
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");

    let mut b = ui_as(db, &clock, "BUCHHALTER");
    b.goto("=2");
    b.assert_contains("FIN130  Jahresabschluss");
    b.goto("FIN130");
    assert!(
        header(&b).contains("FIN130  Jahresabschluss"),
        "{}",
        b.screen()
    );
    assert!(!b.screen().contains("F10=Speichern"));
    b.fkey(10);
    assert_message(
        &b,
        "Speichern nicht möglich – es fehlt die Rolle Anordnungsbefugnis",
    );

    let mut ui = ui_as(db, &clock, "KAEMMERER");
    ui.goto("FIN130");
    // The Bilanz of the year is listed with Aktiva = Passiva.
    assert!(
        ui.message().contains("Bilanz 2026: Aktiva"),
        "{}",
        ui.message()
    );
    let (a, p) = ui
        .message()
        .split_once(" = ")
        .map(|(a, p)| {
            (
                a.rsplit(' ').nth(1).unwrap().to_string(),
                p.split(' ').nth(1).unwrap().to_string(),
            )
        })
        .unwrap();
    assert_eq!(a, p, "{}", ui.message());
    ui.fkey(10);
    ui.assert_contains("Jahresabschluss 2026 buchen und das Jahr 2027 eröffnen?");
    ui.type_text("n");
    assert_message(&ui, "Jahresabschluss 2026 nicht gebucht.");
    // 2027 is still being planned: refused, the question was answered, nothing posted.
    ui.fkey(10);
    ui.type_text("j");
    assert_message(&ui, "Haushaltsjahr 2027 ist noch in der Planung");
    assert_eq!(
        db.read(|sql| stamm::jahr_status_in(sql, "001", 2026))
            .unwrap(),
        stamm::JahrStatus::Beschlossen
    );
    stamm::jahr_status_setzen(&kaemmerer, 2027, stamm::JahrStatus::Vorlaeufig).unwrap();
    ui.fkey(10);
    ui.type_text("j");
    assert_message(
        &ui,
        "Jahresabschluss 2026 gebucht; Eröffnungsbilanz 2027 ist Buchung",
    );
    assert!(ui.popup_open());
    ui.assert_contains("Ergebnisvortrag: mit der Eröffnungsbilanz 2027");
    ui.assert_contains("Vorgetragene Salden:");
    ui.key(KeyCode::Enter);
    assert_eq!(
        db.read(|sql| stamm::jahr_status_in(sql, "001", 2026))
            .unwrap(),
        stamm::JahrStatus::Jahresabschluss
    );
    ui.fkey(10);
    ui.type_text("j");
    assert_message(&ui, "Das Jahr 2027 ist bereits eröffnet.");
    assert!(abschluss::jahresabschluss(&kaemmerer, 2026).is_err());
});

kis::store_test!(fin240_uebertragung_aus_fin200, |db: &Db| {
    use kis::finas::ueberwachung;
    let clock = demo_env(db, d(2026, 11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let vorher = ueberwachung::position(&buchhalter, 2026, "03.02.01", "7851").unwrap();

    // GAST reaches the mask but may not transfer.
    let mut g = ui_as(db, &clock, "GAST");
    g.goto("FIN240");
    assert!(
        header(&g).contains("FIN240  Ermächtigungsübertragung"),
        "{}",
        g.screen()
    );
    g.fkey(10);
    assert_message(
        &g,
        "Speichern nicht möglich – es fehlt die Rolle Anordnungsbefugnis",
    );

    let mut ui = ui_as(db, &clock, "KAEMMERER");
    ui.goto("=2");
    ui.assert_contains("FIN240  Ermächtigungsübertragung");
    // FIN200 of 2025: Ü on the position opens FIN240 for 2026.
    ui.goto("FIN200");
    ui.clear_field();
    ui.type_text("2025");
    ui.key(KeyCode::Tab);
    ui.type_text("03.02.01");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Ü=Übertragen");
    let lines = ui.lines();
    let kopf = lines.iter().position(|l| l.starts_with("Z ")).unwrap();
    let zeile = lines
        .iter()
        .position(|l| l.contains("03.02.01 7851"))
        .unwrap();
    for _ in 0..(zeile - kopf - 1) {
        ui.key(KeyCode::Down);
    }
    ui.type_text("Ü");
    ui.key(KeyCode::Enter);
    assert!(header(&ui).contains("FIN240"), "{}", ui.screen());
    ui.assert_contains("2026");
    ui.assert_contains("03.02.01");
    ui.assert_contains("7851");
    // The cursor waits in Betrag.
    ui.type_text("500.000,00");
    ui.key(KeyCode::Tab);
    ui.type_text("Bauverzug 1. Bauabschnitt");
    ui.fkey(10);
    assert_message(
        &ui,
        "500.000,00 € für 03.02.01/7851 von 2025 nach 2026 übertragen; verfügbar 2026 jetzt ",
    );
    let nachher = ueberwachung::position(&buchhalter, 2026, "03.02.01", "7851").unwrap();
    assert_eq!(nachher.uebertragung, vorher.uebertragung + 50_000_000);
});
