//! EWOS masks driven by keys: an Anmeldung (EWO110), an Ummeldung started
//! from the search list (EWO100 → EWO120), the person mask with its Sperre
//! banner (EWO200) and a refused Auskunft (EWO300).

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::store::Db;
use kis::testing::demo_env;
use kis::testing::ui::UiHarness;

fn logged_in(db: &Db, user: &str) -> UiHarness {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
    let mut ui = UiHarness::new(db, clock);
    ui.login(user, &user.to_lowercase());
    ui
}

/// Type the values into consecutive fields (Tab after each).
fn fill(ui: &mut UiHarness, values: &[&str]) {
    for v in values {
        ui.type_text(v);
        ui.key(KeyCode::Tab);
    }
}

kis::store_test!(anmeldung_by_keys, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    ui.goto("EWO110");
    ui.assert_contains("EWO110");
    ui.assert_contains("Anmeldung");
    #[rustfmt::skip]
    fill(&mut ui, &[
        "Kowalczyk", "Jan Piotr", "Piotr", "M", "03.07.1990", "Danzig", "", "POL", "rk", "LD", "",
        "00070", "20", "", "1. OG", "H", "01.03.2026", "", "Domplatz 3, 48143 Münster", "Stadt Münster", "",
    ]);
    ui.fkey(10);
    ui.assert_contains("Amtliche Meldebestätigung");
    ui.assert_contains("Kowalczyk");
    ui.assert_contains("Jan *Piotr*");
    ui.assert_contains("Bergstraße 20, 1. OG, 59999 Musterstadt");
    assert!(
        ui.message().contains("Anmeldung gespeichert"),
        "{}",
        ui.message()
    );
    assert!(
        ui.message().contains("Wohnungsgeberbestätigung"),
        "{}",
        ui.screen()
    );
    ui.key(KeyCode::Enter);
    // The mask is empty for the next case; a move-in four months ahead is refused.
    #[rustfmt::skip]
    fill(&mut ui, &[
        "Nowak", "Ewa", "", "W", "01.01.1991", "", "", "POL", "", "", "",
        "00070", "21", "", "", "H", "05.07.2026", "", "", "", "POL",
    ]);
    ui.fkey(10);
    assert!(
        ui.message().contains("mehr als 3 Monate"),
        "{}",
        ui.message()
    );
});

kis::store_test!(ummeldung_from_search_list, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    ui.goto("EWO100");
    ui.type_text("Mueller");
    ui.key(KeyCode::Enter);
    assert!(
        ui.message().contains("2 Personen gefunden"),
        "{}",
        ui.message()
    );
    ui.assert_contains("Mueller, Thomas");
    ui.assert_contains("Müller, Anna Maria");
    ui.assert_contains("AS51");
    assert!(!ui.screen().contains("Möller"));
    ui.type_text("U");
    ui.key(KeyCode::Enter);
    ui.assert_contains("EWO120");
    ui.assert_contains("000000009");
    fill(&mut ui, &["", "", "", "00040", "28", "", "", "01.03.2026"]);
    ui.fkey(10);
    ui.assert_contains("Amtliche Meldebestätigung");
    ui.assert_contains("Schulstraße 28");
    assert!(
        ui.message().contains("Ummeldung gespeichert: 000000009"),
        "{}",
        ui.message()
    );
    ui.key(KeyCode::Enter);
    // Back in the list, the person shows the new address after F5.
    ui.fkey(3);
    ui.fkey(5);
    ui.assert_contains("Schulstraße 28");
    // The history shows the old address with its dates.
    ui.type_text("H");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Historie 000000009");
    ui.assert_contains("Kirchstraße 12a");
    ui.assert_contains("Auszug 01.03.2026");
});

kis::store_test!(person_mask_shows_sperre, |db: &Db| {
    let mut ui = logged_in(db, "LESER");
    ui.goto("EWO100");
    ui.type_text("Müller");
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Down);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("EWO200");
    ui.assert_contains("!! Auskunftssperre § 51 BMG bis 31.12.2027");
    ui.assert_contains("Bahnhofstraße 2a");
    // The reading role cannot change.
    ui.fkey(2);
    ui.fkey(10);
    assert!(!ui.message().contains("gespeichert"), "{}", ui.message());
});

kis::store_test!(refused_auskunft_by_keys, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    ui.goto("EWO300");
    fill(
        &mut ui,
        &[
            "Detektei Spürnase",
            "Ermittlung",
            "E",
            "N",
            "J",
            "",
            "Müller",
            "Anna",
        ],
    );
    ui.fkey(10);
    ui.assert_contains("Antwort an den Anfragenden");
    ui.assert_contains("keine eindeutige Identifizierung möglich");
    assert!(!ui.screen().contains("Bahnhofstraße"), "{}", ui.screen());
    assert!(
        ui.message().contains("Auskunft verweigert") && ui.message().contains("Auskunftssperre"),
        "{}",
        ui.message()
    );
});

kis::store_test!(household_anmeldung_by_keys, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    ui.goto("EWO110");
    #[rustfmt::skip]
    fill(&mut ui, &[
        "Kowalczyk", "Jan", "", "M", "03.07.1990", "", "", "POL", "", "VH", "",
        "00070", "20", "", "", "H", "01.03.2026", "", "", "", "POL",
        "Hausverwaltung Nord", "20.02.2026", "", "",
        "Ewa", "01.01.1991", "W", "E",
        "Zofia", "05.05.2015", "W", "K",
    ]);
    ui.assert_contains("Zofia");
    ui.fkey(10);
    ui.assert_contains("Amtliche Meldebestätigung");
    assert!(
        ui.message()
            .contains("Anmeldung gespeichert: 000000016, 000000017, 000000018"),
        "{}",
        ui.message()
    );
    let s = kis::testing::session(
        db,
        std::sync::Arc::new(kis::core::clock::FixedClock::on(
            NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
        )),
        "MEIER",
    );
    let kind = kis::ewos::person::anzeigen(&s, 18).unwrap();
    assert_eq!(
        kind.angehoerige
            .iter()
            .filter(|a| a.rolle == "Elternteil")
            .count(),
        2
    );
    assert_eq!(kind.person.daten.staaten[0].staat, "POL");
});

// Issue 22: an Ummeldung to a later Einzug leaves the old address current
// in the search list and the person mask until that day; the new one is
// shown as the coming Hauptwohnung.
kis::store_test!(ummeldung_zum_spaeteren_einzug_by_keys, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    ui.goto("EWO100");
    ui.type_text("Mueller");
    ui.key(KeyCode::Enter);
    ui.type_text("U");
    ui.key(KeyCode::Enter);
    ui.assert_contains("EWO120");
    fill(&mut ui, &["", "", "", "00040", "28", "", "", "15.03.2026"]);
    ui.fkey(10);
    assert!(
        ui.message().contains("Ummeldung gespeichert: 000000009"),
        "{}",
        ui.message()
    );
    ui.key(KeyCode::Enter);
    ui.fkey(3);
    ui.fkey(5);
    let liste = ui.screen();
    let zeile = liste
        .lines()
        .find(|l| l.contains("Mueller, Thomas"))
        .unwrap_or_default()
        .to_string();
    assert!(
        zeile.contains("Kirchstraße 12a") && !zeile.contains("Schulstraße"),
        "{liste}"
    );
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("EWO200");
    ui.assert_contains("künftige HW ab 15.03.2026: Schulstraße 28");
    assert!(!ui.screen().contains("frühere HW"), "{}", ui.screen());
});
