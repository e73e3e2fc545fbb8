//! PERSOS masks driven by keys: PER100 list and employee mask, PER200 run
//! and reversal with its run list, PER210 payslip, PER300 Lohnjournal with
//! the run's FINAS posting.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kis::store::Db;
use kis::testing::demo_env;
use kis::testing::ui::UiHarness;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 28).unwrap()
}

kis::store_test!(per100_list_and_mask, |db: &Db| {
    let clock = demo_env(db, day());
    let mut ui = UiHarness::new(db, clock);
    ui.login("PERSONAL", "personal");
    ui.goto("PER100");
    ui.assert_contains("PER100");
    ui.type_text("schmidt");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Schmidt, Sebastian");
    ui.assert_contains("Schmidt, Felix");
    // The Personalnummer finds exactly one.
    ui.goto("PER100");
    ui.type_text("01001");
    ui.key(KeyCode::Enter);
    assert!(
        ui.message().contains("1 Beschäftigte gefunden"),
        "{}",
        ui.message()
    );
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("15150695S074");
    ui.assert_contains("Beschäft.-Art   TARIF");
});

kis::store_test!(per200_run_then_documents, |db: &Db| {
    let clock = demo_env(db, day());
    let mut ui = UiHarness::new(db, clock);
    ui.login("PERSONAL", "personal");
    ui.goto("PER200");
    ui.type_text("01.2026");
    ui.key(KeyCode::Enter);
    ui.wait_idle();
    assert!(
        ui.message().contains("abgerechnet (Lauf 1)"),
        "{}",
        ui.message()
    );
    // The run posted into FINAS in its transaction.
    assert!(
        ui.message()
            .contains("abgerechnet (Lauf 1), FINAS-Buchung "),
        "{}",
        ui.message()
    );
    ui.assert_contains("Fortschritt letzter Lauf: 147 von 147");
    ui.assert_contains("2026-01 L1  AKTIV");
    // A second run of the month is refused.
    ui.key(KeyCode::Enter);
    ui.wait_idle();
    assert!(
        ui.message().contains("bereits abgerechnet"),
        "{}",
        ui.message()
    );

    ui.goto("PER210");
    ui.type_text("01.2026");
    ui.key(KeyCode::Tab);
    ui.type_text("01001");
    ui.key(KeyCode::Enter);
    ui.assert_contains("ENTGELTBESCHEINIGUNG 01.2026");
    ui.assert_contains("Personalnummer 01001");
    ui.key(KeyCode::Esc);
    ui.wait_esc();

    ui.goto("PER300");
    ui.type_text("01.2026");
    ui.key(KeyCode::Enter);
    ui.assert_contains("LOHNJOURNAL 01.2026");
    ui.assert_contains("Schmidt, Sebastian");
    // Below the employees: the FINAS posting of the run.
    for _ in 0..40 {
        if ui.screen().contains("BUCHUNG IN FINAS") {
            break;
        }
        ui.key(KeyCode::PageDown);
    }
    ui.assert_contains("BUCHUNG IN FINAS: Nr.");
    ui.assert_contains("5012  Dienstaufwendungen tariflich Beschäftigte");
    for _ in 0..30 {
        if ui.screen().contains("3712  Lohnsteuer") {
            break;
        }
        ui.key(KeyCode::Down);
    }
    ui.assert_contains("3712  Lohnsteuer");
    ui.assert_contains("Finanzamt");
});

/// Back from the hit list into the Stichtag field and type a new date.
fn neuer_stichtag(ui: &mut UiHarness, datum: &str) {
    ui.key(KeyCode::Tab);
    ui.send(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    ui.type_text(datum);
    ui.key(KeyCode::Enter);
}

kis::store_test!(per110_shows_the_table_of_a_stichtag, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    let mut ui = UiHarness::new(db, clock);
    ui.login("PERSONAL", "personal");
    ui.goto("PER110");
    // Opens on today's table: the one raised by 2,8 % from 01.05.2026.
    ui.assert_contains("E 9a");
    ui.assert_contains("4.097,67");
    ui.key(KeyCode::Enter);
    assert!(
        ui.message().contains("gültig ab 01.05.2026"),
        "{}",
        ui.message()
    );
    // Another Stichtag: the table of 01.04.2025.
    neuer_stichtag(&mut ui, "01.01.2026");
    ui.assert_contains("3.986,06");
    assert!(
        ui.message().contains("gültig ab 01.04.2025"),
        "{}",
        ui.message()
    );
    // Before any table: a clear message and an empty list.
    neuer_stichtag(&mut ui, "01.01.2020");
    assert!(
        ui.message().contains("keine Entgelttabelle erfasst"),
        "{}",
        ui.message()
    );
    // A shows the table with its source.
    neuer_stichtag(&mut ui, "01.06.2026");
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Quelle: TVöD-VKA");
});

kis::store_test!(per200_rueckrechnung_after_a_question, |db: &Db| {
    let clock = demo_env(db, day());
    let s = kis::testing::session(db, clock.clone(), "PERSONAL");
    kis::persos::lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let mut ui = UiHarness::new(db, clock);
    ui.login("PERSONAL", "personal");
    ui.goto("PER200");
    ui.type_text("01.2026");
    ui.key(KeyCode::Tab);
    ui.send(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    ui.type_text("R");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Rückrechnung ab 01.2026 wirklich ausführen?");
    ui.type_text("J");
    // Nothing changed in the master data: the month is recomputed, no differences.
    assert!(
        ui.message()
            .contains("Rückrechnung: 1 Monat(e) neu berechnet, 0 Differenz(en)"),
        "{}",
        ui.message()
    );
    ui.assert_contains("2026-01 L2  AKTIV RR");
    ui.assert_contains("2026-01 L1  STORNIERT");
});
