//! EWO190 Rückmeldung (Wegzug) and EWO191 Klärungsliste driven by keys: a
//! Rückmeldung that matches exactly one person moves the person away; one
//! that matches nobody lands on the Klärungsliste, where A shows the case
//! and E closes it with a note.

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::core::clock::FixedClock;
use kis::ewos::model::Status;
use kis::ewos::person;
use kis::kernel::session::Session;
use kis::store::Db;
use kis::testing::demo_env;
use kis::testing::ui::UiHarness;

fn heute() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
}

fn logged_in(db: &Db) -> UiHarness {
    let clock = demo_env(db, heute());
    let mut ui = UiHarness::new(db, clock);
    ui.login("MEIER", "meier");
    ui
}

fn session(db: &Db) -> Session {
    kis::testing::session(db, Arc::new(FixedClock::on(heute())), "MEIER")
}

/// Type the values into consecutive fields (Tab after each).
fn fill(ui: &mut UiHarness, values: &[&str]) {
    for v in values {
        ui.type_text(v);
        ui.key(KeyCode::Tab);
    }
}

fn assert_message(ui: &UiHarness, text: &str) {
    assert!(ui.message().contains(text), "{}", ui.screen());
}

kis::store_test!(rueckmeldung_matched_and_unmatched, |db: &Db| {
    let mut ui = logged_in(db);
    ui.goto("EWO190");
    ui.assert_contains("Rückmeldung (Wegzug)");
    fill(
        &mut ui,
        &[
            "Mueller",
            "Thomas",
            "24.12.1979",
            "01.02.2026",
            "Hafenstraße 1",
            "20457 Hamburg",
        ],
    );
    ui.fkey(10);
    assert_message(
        &ui,
        "Wegzug erfasst: 000000009 ist weggezogen nach 20457 Hamburg.",
    );
    let p = person::anzeigen(&session(db), 9).unwrap();
    assert_eq!(p.person.status, Status::Weggezogen);
    assert!(p.person.wegzug_nach.contains("Hamburg"));
    assert!(p.aktuelle_wohnungen().is_empty());

    // A Zuzug date ahead of today is refused.
    fill(
        &mut ui,
        &[
            "Niemand",
            "Nora",
            "03.03.1990",
            "10.03.2026",
            "Weg 2",
            "Kiel",
        ],
    );
    ui.fkey(10);
    assert_message(&ui, "Das Zuzugsdatum der Rückmeldung liegt in der Zukunft.");
    ui.fkey(12);
    // Nobody of that name and birth date: the report goes to the Klärungsliste.
    fill(
        &mut ui,
        &[
            "Niemand",
            "Nora",
            "03.03.1990",
            "01.03.2026",
            "Weg 2",
            "Kiel",
        ],
    );
    ui.fkey(10);
    assert_message(&ui, "Klärungsliste EWO191, Fall 1: Keine Person");
    ui.fkey(12);

    ui.goto("EWO191");
    ui.assert_contains("Klärungsliste");
    ui.assert_contains("Niemand, Nora");
    ui.assert_contains("03.03.1990");
    ui.assert_contains("Keine Person mit diesem");
    // The matched report is no clarification case.
    assert!(!ui.screen().contains("Mueller, Thomas"), "{}", ui.screen());
    // Tab leaves the filter field for the list.
    ui.key(KeyCode::Tab);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Klärungsfall 1: Rückmeldung");
    ui.assert_contains("Grund: Keine Person mit diesem Namen und Geburtsdatum");
    ui.assert_contains("Kiel");
    ui.assert_contains("01.03.2026");
    ui.key(KeyCode::Esc);

    // The Art filter: no Geburtsmeldung is open.
    ui.goto("EWO191");
    ui.type_text("GEBURT");
    ui.key(KeyCode::Enter);
    assert_message(&ui, "Keine offenen Klärungsfälle.");
    assert!(!ui.screen().contains("Niemand, Nora"), "{}", ui.screen());

    // E closes the case with a note; the note is required.
    ui.goto("EWO191");
    ui.key(KeyCode::Tab);
    ui.type_text("E");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Klärungsfall erledigen");
    ui.fkey(10);
    assert!(
        ui.message().contains("Vermerk ist ein Pflichtfeld"),
        "{}",
        ui.message()
    );
    ui.type_text("Rückfrage in Kiel: Person war nie hier gemeldet");
    ui.fkey(10);
    assert_message(&ui, "Klärungsfall 1 erledigt.");
    let s = session(db);
    assert!(kis::ewos::klaerung::offene(&s).unwrap().is_empty());
    assert!(
        kis::ewos::klaerung::erledigen(&s, 1, "nochmal").is_err(),
        "a closed case stays closed"
    );
    let leser = kis::testing::session(db, Arc::new(FixedClock::on(heute())), "LESER");
    assert!(matches!(
        kis::ewos::klaerung::erledigen(&leser, 1, "x"),
        Err(kis::core::error::KisError::Permission(_))
    ));
});
