//! FINAS masks driven by keys: a Buchung through FIN300 with the running
//! Soll/Haben difference, then FIN400, FIN310 and FIN200 showing it.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::store::Db;
use kis::testing::demo_env;
use kis::testing::ui::UiHarness;

fn logged_in(db: &Db) -> UiHarness {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    let mut ui = UiHarness::new(db, clock);
    ui.login("BUCHHALTER", "buchhalter");
    ui
}

fn tabs(ui: &mut UiHarness, n: usize) {
    for _ in 0..n {
        ui.key(KeyCode::Tab);
    }
}

kis::store_test!(fin300_buchung_per_tastatur, |db: &Db| {
    let mut ui = logged_in(db);
    ui.goto("FIN300");
    ui.assert_contains("FIN300");
    ui.assert_contains("Buchung erfassen");
    ui.assert_contains("25.11.2026");
    tabs(&mut ui, 1);
    ui.type_text("UI-1");
    tabs(&mut ui, 2);
    ui.type_text("Büromaterial Bürgermeisterbüro");
    tabs(&mut ui, 1);
    ui.type_text("5431");
    tabs(&mut ui, 1);
    ui.type_text("01.01.02");
    tabs(&mut ui, 2);
    ui.type_text("150,00");
    tabs(&mut ui, 2);
    ui.assert_contains("Differenz 150,00");
    ui.type_text("3511");
    tabs(&mut ui, 4);
    ui.type_text("149,99");
    tabs(&mut ui, 1);
    ui.assert_contains("Differenz 0,01");
    ui.fkey(10);
    assert!(ui.message().contains("nicht gleich"), "{}", ui.message());
    // Correct the Haben amount of line 2 and post.
    ui.key(KeyCode::BackTab);
    ui.key(KeyCode::End);
    for _ in 0..6 {
        ui.key(KeyCode::Backspace);
    }
    ui.type_text("150,00");
    tabs(&mut ui, 1);
    ui.assert_contains("Differenz 0,00");
    ui.fkey(10);
    assert!(
        ui.message().contains("Buchung Nr. 2 gespeichert"),
        "{}",
        ui.message()
    );
    // The mask is empty again for the next Buchung, the date stays.
    ui.assert_contains("25.11.2026");
    assert!(!ui.screen().contains("UI-1"));

    ui.goto("FIN310");
    tabs(&mut ui, 1);
    ui.type_text("5431");
    ui.key(KeyCode::Enter);
    ui.assert_contains("UI-1");
    ui.assert_contains("150,00");

    ui.goto("FIN400");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Summe");
    assert!(
        ui.message().contains("Soll") && ui.message().contains("= Haben"),
        "{}",
        ui.message()
    );

    ui.goto("FIN200");
    tabs(&mut ui, 1);
    ui.type_text("01.01.02");
    ui.key(KeyCode::Enter);
    ui.assert_contains("5431");
    ui.assert_contains("34.850,00");
});

kis::store_test!(fin100_haushaltsplan_und_menue, |db: &Db| {
    let mut ui = logged_in(db);
    ui.goto("=2");
    ui.assert_contains("FIN100");
    ui.assert_contains("Summen- und Saldenliste");
    ui.goto("FIN100");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Steuern und ähnliche Abgaben");
    ui.assert_contains("52.945.000,00");
    assert!(
        ui.message().contains("Gesamtergebnisplan 2026"),
        "{}",
        ui.message()
    );
});

// FIN300 names the Mittelreservierung (FIN210) its expense uses up: the
// Obligo falls by the posted amount, the rest stays reserved.
kis::store_test!(fin300_buchung_verbraucht_reservierung, |db: &Db| {
    use kis::finas::ueberwachung;
    let mut ui = logged_in(db);
    let s = kis::testing::session(
        db,
        demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
        "BUCHHALTER",
    );
    let (id, _) = ueberwachung::reservieren(
        &s,
        2026,
        "01.01.02",
        "5431",
        kis::core::money::Money::parse_de("1.000,00").unwrap(),
        "Toner Rahmenvertrag",
    )
    .unwrap();
    let obligo = |s: &kis::kernel::session::Session| {
        ueberwachung::position(s, 2026, "01.01.02", "5431")
            .unwrap()
            .obligo
    };
    assert_eq!(obligo(&s), 100_000);
    ui.goto("FIN300");
    ui.assert_contains("Reserv.");
    tabs(&mut ui, 1);
    ui.type_text("UI-R");
    tabs(&mut ui, 2);
    ui.type_text("Toner Lieferung 1");
    tabs(&mut ui, 1);
    ui.type_text("5431");
    tabs(&mut ui, 1);
    ui.type_text("01.01.02");
    tabs(&mut ui, 2);
    ui.type_text("300,00");
    tabs(&mut ui, 2);
    ui.type_text("3511");
    tabs(&mut ui, 4);
    ui.type_text("300,00");
    // The reservation field is last in the tab order, after line 8.
    tabs(&mut ui, 31);
    ui.type_text(&(id + 50).to_string());
    ui.fkey(10);
    assert!(
        ui.message().contains("nicht (mehr) offen"),
        "{}",
        ui.message()
    );
    assert_eq!(obligo(&s), 100_000);
    ui.clear_field();
    ui.type_text(&id.to_string());
    ui.fkey(10);
    assert!(ui.message().contains("gespeichert"), "{}", ui.message());
    assert_eq!(obligo(&s), 70_000);
});
