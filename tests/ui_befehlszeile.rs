//! Issue 22: the command line is cleared after every command (also a
//! refused one) and takes a code with an argument, which fills the mask's
//! first field.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::store::Db;
use kis::testing::demo_env;
use kis::testing::ui::UiHarness;

kis::store_test!(befehlszeile_mit_argument_und_geleert, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
    let mut ui = UiHarness::new(db, clock);
    ui.login("MEIER", "meier");
    ui.goto("XYZ999");
    assert!(
        ui.message()
            .contains("Unbekannter Befehl oder Transaktionscode „XYZ999“"),
        "{}",
        ui.message()
    );
    assert!(
        !ui.lines()[1].contains("XYZ999"),
        "the command line is empty again:\n{}",
        ui.screen()
    );
    ui.key(KeyCode::Esc);
    ui.wait_esc();
    // EWO200 with an Ordnungsmerkmal opens the person at once.
    ui.goto("ewo200 9");
    ui.assert_contains("EWO200  Person anzeigen");
    ui.assert_contains("Mueller");
    ui.assert_contains("Thomas");
    assert!(!ui.lines()[1].contains("ewo200"), "{}", ui.screen());
});

kis::store_test!(argument_fuellt_das_erste_feld, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
    let mut ui = UiHarness::new(db, clock);
    ui.login("PERSONAL", "personal");
    ui.goto("PER200 02.2026");
    ui.assert_contains("Abrechnungsmonat . . 02.2026");
    // Nothing ran: the clerk's Enter starts it.
    assert!(!ui.screen().contains("2026-02 L1"), "{}", ui.screen());
});
