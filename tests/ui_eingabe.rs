//! Issue 22, "input silently changed": what the clerk typed is kept or
//! refused, never changed unnoticed — a letter in an amount stays visible
//! and the field is refused; a long name is held whole (the field scrolls);
//! an amount the field cannot hold is refused; a refused paste inserts
//! nothing.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::ewos::suche::{self, Suche};
use kis::store::Db;
use kis::testing::demo_env;
use kis::testing::ui::UiHarness;

fn logged_in(db: &Db, user: &str, day: NaiveDate) -> UiHarness {
    let clock = demo_env(db, day);
    let mut ui = UiHarness::new(db, clock);
    ui.login(user, &user.to_lowercase());
    ui
}

fn tabs(ui: &mut UiHarness, n: usize) {
    for _ in 0..n {
        ui.key(KeyCode::Tab);
    }
}

kis::store_test!(buchstabe_im_betrag_wird_abgewiesen, |db: &Db| {
    let mut ui = logged_in(
        db,
        "BUCHHALTER",
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    );
    ui.goto("FIN300");
    tabs(&mut ui, 1);
    ui.type_text("UI-2");
    tabs(&mut ui, 2);
    ui.type_text("Büromaterial");
    tabs(&mut ui, 1);
    ui.type_text("5431");
    tabs(&mut ui, 1);
    ui.type_text("01.01.02");
    tabs(&mut ui, 2);
    ui.type_text("25O,OO");
    ui.assert_contains("25O,OO");
    ui.key(KeyCode::Tab);
    assert!(
        ui.message().contains("Betrag ungültig: „25O,OO“"),
        "{}",
        ui.screen()
    );
    // The typed text stays as it was, for the clerk to correct.
    ui.assert_contains("25O,OO");
    // An amount the field cannot show whole is refused, not cut.
    ui.key(KeyCode::Home);
    ui.send(crossterm::event::KeyEvent::new(
        KeyCode::Char('k'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    ui.type_text("99999999999999");
    ui.key(KeyCode::Tab);
    assert!(
        ui.message().contains("ist länger als das Feld"),
        "{}",
        ui.message()
    );
});

kis::store_test!(langer_name_wird_ganz_gespeichert, |db: &Db| {
    let heute = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let mut ui = logged_in(db, "MEIER", heute);
    ui.goto("EWO110");
    let name = "Freifrau von Hohenzollern-Sigmaringen-Veringen";
    for v in [
        name,
        "Jan Piotr",
        "",
        "M",
        "03.07.1990",
        "Danzig",
        "",
        "POL",
        "rk",
        "LD",
        "",
        "00070",
        "20",
        "",
        "",
        "H",
        "01.03.2026",
        "",
        "Domplatz 3, 48143 Münster",
        "Stadt Münster",
        "",
    ] {
        ui.type_text(v);
        ui.key(KeyCode::Tab);
    }
    ui.fkey(10);
    assert!(
        ui.message().contains("Anmeldung gespeichert"),
        "{}",
        ui.message()
    );
    let s = kis::testing::session(db, demo_env(db, heute), "MEIER");
    let hits = suche::seite(
        &s,
        &Suche {
            name: "Freifrau".into(),
            ..Default::default()
        },
        0,
        10,
    )
    .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].familienname, name, "stored whole, not cut at 30");
});

kis::store_test!(abgewiesenes_einfuegen_fuegt_nichts_ein, |db: &Db| {
    let mut ui = logged_in(
        db,
        "BUCHHALTER",
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    );
    ui.goto("FIN300");
    tabs(&mut ui, 1);
    ui.paste(&"X".repeat(200));
    assert!(
        ui.message().contains("Nichts eingefügt"),
        "{}",
        ui.message()
    );
    assert!(!ui.screen().contains("XXXX"), "{}", ui.screen());
});
