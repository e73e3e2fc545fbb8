//! Whole-screen snapshots (insta) of one mask of each kind at 80×24, in
//! monochrome and in colour: the 24 rows, the cursor and the style runs of
//! every row, so a moved field, a lost cursor or a changed colour shows up
//! as a diff in `tests/snapshots/`.
//!
//! The demo municipality on a fixed day (05.03.2026, 09:00 on the
//! `FixedClock`) keeps the screens deterministic. SQLite only: the screens
//! do not depend on the store. Review a changed screen with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test ui_snapshots`
//! and read the diff); CI (`CI=true`) never writes snapshots, so every
//! snapshot must be committed.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::testing::ui::UiHarness;
use kis::testing::{TestDb, demo_env, sqlite_test_db};

/// One snapshot per look: `<name>_mono` and `<name>_farbe`.
const LOOKS: [(bool, &str); 2] = [(false, "mono"), (true, "farbe")];

/// A fresh demo store and an app on it in the given look (the store is
/// kept alive by the caller for as long as the harness is used).
fn app(name: &str, color: bool) -> (TestDb, UiHarness) {
    let db = sqlite_test_db(name);
    let clock = demo_env(&db, NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
    let ui = UiHarness::with_theme(&db, clock, color);
    (db, ui)
}

/// Runs `drive` in both looks and compares each final screen with its
/// committed snapshot.
fn snapshots(name: &str, drive: impl Fn(&mut UiHarness)) {
    for (color, look) in LOOKS {
        let (_db, mut ui) = app(name, color);
        drive(&mut ui);
        insta::assert_snapshot!(format!("{name}_{look}"), ui.snapshot());
    }
}

#[test]
fn login_kis000() {
    snapshots("login_kis000", |ui| {
        ui.assert_contains("KIS000  Anmeldung");
    });
}

#[test]
fn hauptmenue() {
    snapshots("hauptmenue", |ui| {
        ui.login("DEMO", "demo");
    });
}

#[test]
fn suchmaske_ewo100_mit_trefferliste() {
    snapshots("suchmaske_ewo100_mit_trefferliste", |ui| {
        ui.login("MEIER", "meier");
        ui.goto("EWO100");
        ui.type_text("Mueller");
        ui.key(KeyCode::Enter);
        // Both Müllers, the blocked one marked.
        ui.assert_contains("Mueller, Thomas");
        ui.assert_contains("AS51");
    });
}

#[test]
fn satzmaske_ewo200_anzeigen() {
    snapshots("satzmaske_ewo200_anzeigen", |ui| {
        ui.login("MEIER", "meier");
        ui.goto("EWO100");
        ui.type_text("Mueller");
        ui.key(KeyCode::Enter);
        ui.type_text("A");
        ui.key(KeyCode::Enter);
        ui.assert_contains("EWO200");
        ui.assert_contains("Anzeigen");
        // Thomas Mueller has no Sperre: no banner.
        assert!(!ui.screen().contains("!!"), "{}", ui.screen());
    });
}

#[test]
fn liste_kis100_strassenverzeichnis() {
    snapshots("liste_kis100_strassenverzeichnis", |ui| {
        ui.login("MEIER", "meier");
        ui.goto("KIS100");
        ui.assert_contains("Zeile 1–");
    });
}

#[test]
fn vorgang_ewo310_meldebescheinigung() {
    snapshots("vorgang_ewo310_meldebescheinigung", |ui| {
        ui.login("MEIER", "meier");
        ui.goto("EWO310");
        ui.type_text("9");
        ui.fkey(10);
        ui.assert_contains("Meldebescheinigung");
        assert!(
            ui.message()
                .contains("Meldebescheinigung für 000000009 ausgestellt"),
            "{}",
            ui.message()
        );
    });
}

#[test]
fn persos_per100_liste() {
    snapshots("persos_per100_liste", |ui| {
        ui.login("PERSONAL", "personal");
        ui.goto("PER100");
        ui.type_text("schmidt");
        ui.key(KeyCode::Enter);
        ui.assert_contains("Schmidt, Sebastian");
    });
}

#[test]
fn lauf_fin560_tagesabschluss() {
    snapshots("lauf_fin560_tagesabschluss", |ui| {
        ui.login("KASSE", "kasse");
        ui.goto("FIN560");
        ui.assert_contains("Zeitbuch");
        ui.assert_contains("F10=Speichern");
    });
}
