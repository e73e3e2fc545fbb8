//! The Standesamt and Sperre masks driven by keys: EWO140 Geburt, EWO150
//! Sterbefall, EWO160/EWO161 Eheschließung and Scheidung, EWO170
//! Namensänderung and EWO180 Sperren. Each checks the register through the
//! service afterwards and shows one refusal with the cursor in the named field.
//! Without a parent in the register a Geburt goes to the Klärungsliste.

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::core::clock::FixedClock;
use kis::ewos::model::{SperrArt, Status};
use kis::ewos::person::{self, Ansicht};
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

fn akte(db: &Db, id: i64) -> Ansicht {
    let s: Session = kis::testing::session(db, Arc::new(FixedClock::on(heute())), "MEIER");
    person::anzeigen(&s, id).unwrap()
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

/// The cursor stands on the line of the field labelled `label`.
fn assert_cursor_at(ui: &mut UiHarness, label: &str) {
    let (_, y) = ui.cursor();
    assert!(
        ui.lines()[y as usize].contains(label),
        "cursor not in „{label}“:\n{}",
        ui.screen()
    );
}

kis::store_test!(geburt_by_keys, |db: &Db| {
    let mut ui = logged_in(db);
    ui.goto("EWO140");
    ui.assert_contains("EWO140");
    ui.assert_contains("Geburt");
    fill(
        &mut ui,
        &[
            "Meier",
            "Lina",
            "W",
            "01.03.2026",
            "Musterstadt",
            "",
            "ev",
            "2",
            "1",
        ],
    );
    ui.fkey(10);
    assert_message(&ui, "Geburt erfasst: Kind 000000016 angemeldet.");
    let kind = akte(db, 16);
    assert_eq!(kind.person.daten.vornamen, "Lina");
    assert_eq!(
        kind.angehoerige
            .iter()
            .filter(|a| a.rolle == "Elternteil")
            .count(),
        2
    );
    assert_eq!(kind.aktuelle_wohnungen().len(), 1);
    // A birth reported for a date ahead of today is refused.
    fill(
        &mut ui,
        &["Meier", "Paul", "M", "10.03.2026", "", "", "", "2", ""],
    );
    ui.fkey(10);
    assert_message(&ui, "Das Geburtsdatum darf nicht in der Zukunft liegen.");
    assert_cursor_at(&mut ui, "Geburtsdatum");
    ui.fkey(12);
    // Without a parent in the register the child cannot be registered here.
    fill(
        &mut ui,
        &["Neu", "Emil", "M", "02.03.2026", "", "", "", "", ""],
    );
    ui.fkey(10);
    assert_message(
        &ui,
        "Das Kind kann nicht angemeldet werden: kein Elternteil",
    );
});

kis::store_test!(sterbefall_by_keys, |db: &Db| {
    let mut ui = logged_in(db);
    ui.goto("EWO150");
    ui.assert_contains("Sterbefall");
    fill(&mut ui, &["10", "01.03.2026", "Musterstadt"]);
    ui.fkey(10);
    assert_message(&ui, "Sterbefall für 000000010 eingetragen.");
    let p = akte(db, 10);
    assert_eq!(p.person.status, Status::Verstorben);
    assert!(p.aktuelle_wohnungen().is_empty());
    // A death date in the future is refused.
    fill(&mut ui, &["9", "10.03.2026", ""]);
    ui.fkey(10);
    assert_message(&ui, "Das Sterbedatum darf nicht in der Zukunft liegen.");
    assert_cursor_at(&mut ui, "Sterbedatum");
    assert_eq!(akte(db, 9).person.status, Status::Aktiv);
});

kis::store_test!(eheschliessung_und_scheidung_by_keys, |db: &Db| {
    let mut ui = logged_in(db);
    ui.goto("EWO160");
    ui.assert_contains("Ehe/Lebenspartnerschaft");
    fill(
        &mut ui,
        &["9", "10", "01.03.2026", "Musterstadt", "", "N", ""],
    );
    ui.fkey(10);
    assert_message(
        &ui,
        "Eheschließung von 000000009 und 000000010 eingetragen.",
    );
    assert_eq!(akte(db, 9).person.daten.familienstand, "VH");
    assert_eq!(akte(db, 10).person.daten.familienstand, "VH");
    // A marriage dated ahead of today is refused.
    fill(&mut ui, &["4", "7", "01.04.2026", "", "", "N", ""]);
    ui.fkey(10);
    assert_message(
        &ui,
        "Das Datum der Eheschließung darf nicht in der Zukunft liegen.",
    );
    assert_cursor_at(&mut ui, "Datum");
    assert_eq!(akte(db, 4).person.daten.familienstand, "LD");
    // Discard the refused input before leaving the mask.
    ui.fkey(12);
    assert_message(&ui, "Eingaben verworfen.");

    ui.goto("EWO161");
    ui.assert_contains("Scheidung/Aufhebung");
    fill(&mut ui, &["11", "12", "02.03.2026", "N"]);
    ui.fkey(10);
    assert_message(
        &ui,
        "Scheidung/Aufhebung für 000000011 und 000000012 eingetragen.",
    );
    assert_eq!(akte(db, 11).person.daten.familienstand, "GS");
    assert_eq!(akte(db, 12).person.daten.familienstand, "GS");
});

kis::store_test!(namensaenderung_by_keys, |db: &Db| {
    let mut ui = logged_in(db);
    ui.goto("EWO170");
    ui.assert_contains("Namensänderung");
    fill(
        &mut ui,
        &["4", "Maier-Berg", "", "01.03.2026", "Bescheid nach NamÄndG"],
    );
    ui.fkey(10);
    assert_message(&ui, "Namensänderung für 000000004 eingetragen.");
    let p = akte(db, 4);
    assert_eq!(p.person.daten.familienname, "Maier-Berg");
    assert!(
        p.person
            .daten
            .fruehere_namen
            .iter()
            .any(|n| n.name == "Maier"),
        "{:?}",
        p.person.daten.fruehere_namen
    );
    // A change of name effective in the future is refused.
    fill(&mut ui, &["9", "Müller", "", "01.05.2026", ""]);
    ui.fkey(10);
    assert_message(
        &ui,
        "Das Datum der Namensänderung darf nicht in der Zukunft liegen.",
    );
    assert_cursor_at(&mut ui, "Wirksam ab");
    assert_eq!(akte(db, 9).person.daten.familienname, "Mueller");
});

kis::store_test!(sperre_by_keys, |db: &Db| {
    let mut ui = logged_in(db);
    ui.goto("EWO180");
    ui.assert_contains("Sperren und Widersprüche");
    fill(
        &mut ui,
        &[
            "9",
            "AS51",
            "Gefährdung (Nachweis liegt vor)",
            "Polizeipräsidium",
            "",
            "",
        ],
    );
    ui.fkey(10);
    assert_message(
        &ui,
        "Auskunftssperre § 51 BMG für 000000009 eingetragen bis 04.03.2028.",
    );
    let sperren = akte(db, 9).sperren;
    assert_eq!(sperren.len(), 1, "{sperren:?}");
    assert_eq!(sperren[0].art, SperrArt::Auskunft51);
    assert_eq!(sperren[0].behoerde, "Polizeipräsidium");
    // An end before the beginning is refused.
    fill(
        &mut ui,
        &["9", "W50-3", "Widerspruch", "", "01.03.2026", "01.02.2026"],
    );
    ui.fkey(10);
    assert_message(&ui, "Das Ende der Sperre liegt vor ihrem Beginn.");
    assert_cursor_at(&mut ui, "Gültig bis");
    assert_eq!(akte(db, 9).sperren.len(), 1);
    ui.fkey(12);

    // From the search list, S opens the mask with the Ordnungsmerkmal filled in.
    ui.goto("EWO100");
    ui.type_text("Mueller");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Mueller, Thomas");
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.assert_contains("EWO180");
    ui.assert_contains("000000009");
    fill(&mut ui, &["", "W50-3", "Kein Adressbuch", "", "", ""]);
    ui.fkey(10);
    assert_message(
        &ui,
        "Widerspruch § 50 Abs. 3 BMG (Adressbuch) für 000000009 eingetragen.",
    );
    assert_eq!(akte(db, 9).sperren.len(), 2);
});
