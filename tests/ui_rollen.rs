//! Roles through the masks, driven by keys: a user without the change role
//! cannot switch a record mask to Ändern (no lock, no change keys in the
//! legend), and every mask of EWOS, FINAS and PERSOS refuses a user without
//! its role (table mask × user → allowed/refused) without changing anything.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::core::roles::Role;
use kis::ewos::{person, standesamt};
use kis::kernel::auth::{self, AdminActor};
use kis::store::Db;
use kis::testing::ui::UiHarness;
use kis::testing::{demo_env, session};
use kis::ui::keymap::{Context, Keymap};
use kis::ui::screen::error_text;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
}

fn logged_in(db: &Db, user: &str) -> UiHarness {
    let clock = demo_env(db, day());
    // Wide enough that the whole legend fits (at 80 columns it is cut).
    let mut ui = UiHarness::with_size(db, clock, 160, 24, "default");
    ui.login(user, &user.to_lowercase());
    ui
}

fn count(db: &Db, sql_text: &str) -> i64 {
    db.read(|sql| sql.query_one(sql_text, &[]))
        .unwrap()
        .i64(0)
        .unwrap()
}

fn locks(db: &Db) -> i64 {
    count(db, "SELECT COUNT(*) FROM record_lock")
}

/// What the store holds that a refused action could have changed.
fn stand(db: &Db) -> Vec<i64> {
    [
        "SELECT COUNT(*) FROM audit_log",
        "SELECT COUNT(*) FROM record_lock",
        "SELECT COUNT(*) FROM ewo_person",
        "SELECT COALESCE(SUM(version), 0) FROM ewo_person",
        "SELECT COUNT(*) FROM persos_lauf",
        "SELECT COALESCE(SUM(version), 0) FROM persos_employee",
    ]
    .iter()
    .map(|q| count(db, q))
    .collect()
}

fn legend(ui: &UiHarness) -> String {
    ui.lines().last().cloned().unwrap_or_default()
}

fn header(ui: &UiHarness) -> String {
    ui.lines()[0].clone()
}

fn assert_no_change_keys(ui: &UiHarness) {
    let l = legend(ui);
    for key in ["F2=", "F10=", "F11="] {
        assert!(!l.contains(key), "{key} in der Legende: {l}");
    }
}

/// EWO200 for the person 000000009 (Thomas Mueller) from the search list.
fn open_person(ui: &mut UiHarness) {
    ui.goto("EWO100");
    ui.type_text("Mueller");
    ui.key(KeyCode::Enter);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("EWO200");
    ui.assert_contains("000000009");
}

kis::store_test!(ewo200_f2_without_change_role_is_refused, |db: &Db| {
    // A clerk with the change role gets F2 in the legend and takes the lock.
    let mut meier = logged_in(db, "MEIER");
    open_person(&mut meier);
    assert!(legend(&meier).contains("F2=Ändern"), "{}", legend(&meier));
    meier.fkey(2);
    assert!(header(&meier).contains("Ändern"), "{}", header(&meier));
    assert_eq!(locks(db), 1);
    meier.fkey(12);
    assert_eq!(locks(db), 0);

    let mut ui = logged_in(db, "LESER");
    open_person(&mut ui);
    assert_no_change_keys(&ui);
    let before = stand(db);
    ui.fkey(2);
    assert_eq!(
        ui.message(),
        "Fehler: Ändern nicht möglich – es fehlt die Rolle Einwohnerwesen ändern."
    );
    assert!(header(&ui).contains("Anzeigen"), "{}", header(&ui));
    assert_eq!(locks(db), 0, "F2 without the role took a lock");
    assert_no_change_keys(&ui);
    // F10 in display mode names the role too, and nothing changed.
    ui.fkey(10);
    assert_eq!(
        ui.message(),
        "Fehler: Speichern nicht möglich – es fehlt die Rolle Einwohnerwesen ändern."
    );
    assert_eq!(stand(db), before);
    // The colleague is not told that LESER is editing.
    meier.fkey(2);
    assert!(header(&meier).contains("Ändern"), "{}", meier.message());
    // F9 still shows the history through the register's service.
    ui.fkey(9);
    ui.assert_contains("Historie 000000009");
});

kis::store_test!(per100_without_change_role_is_refused, |db: &Db| {
    let clock = demo_env(db, day());
    let admin = session(db, clock, "ADMIN");
    auth::set_roles(
        db,
        &AdminActor::Session(&admin),
        "LESER",
        "001",
        &[Role::EwosLesen, Role::PersosLesen],
    )
    .unwrap();
    let mut ui = logged_in(db, "LESER");
    ui.goto("PER100");
    ui.assert_contains("PER100");
    assert_no_change_keys(&ui);
    let before = stand(db);
    // F11 in the list: refused.
    ui.fkey(11);
    assert_eq!(
        ui.message(),
        "Fehler: Anlegen nicht möglich – es fehlt die Rolle Personalwesen ändern."
    );
    ui.assert_contains("PER100");
    ui.type_text("01001");
    ui.key(KeyCode::Enter);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("15150695S074");
    assert_no_change_keys(&ui);
    ui.fkey(2);
    assert_eq!(
        ui.message(),
        "Fehler: Ändern nicht möglich – es fehlt die Rolle Personalwesen ändern."
    );
    assert!(header(&ui).contains("Anzeigen"), "{}", header(&ui));
    assert_eq!(locks(db), 0);
    ui.fkey(3);
    // The line command Ä opens for display only, without a lock.
    ui.type_text("Ä");
    ui.key(KeyCode::Enter);
    assert!(header(&ui).contains("Anzeigen"), "{}", header(&ui));
    assert!(ui.message().contains("fehlt die Rolle"), "{}", ui.message());
    assert_eq!(locks(db), 0);
    assert_eq!(stand(db), before);

    // PERSONAL may change: the keys are there.
    let mut p = logged_in(db, "PERSONAL");
    p.goto("PER100");
    assert!(legend(&p).contains("F11=Neu"), "{}", legend(&p));
});

kis::store_test!(fin110_without_change_role_is_refused, |db: &Db| {
    let versionen = "SELECT COUNT(*) FROM fin_planversion";
    let mut k = logged_in(db, "KAEMMERER");
    k.goto("FIN110");
    assert!(legend(&k).contains("F10=Speichern"), "{}", legend(&k));
    assert!(legend(&k).contains("F11=Neu"), "{}", legend(&k));

    let mut ui = logged_in(db, "GAST");
    ui.goto("FIN110");
    ui.assert_contains("FIN110");
    assert_no_change_keys(&ui);
    let (before, v) = (stand(db), count(db, versionen));
    ui.type_text("2026");
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Tab);
    ui.type_text("01.01.01");
    ui.key(KeyCode::Tab);
    ui.type_text("5431");
    ui.key(KeyCode::Tab);
    ui.type_text("1000,00");
    ui.fkey(10);
    assert_eq!(
        ui.message(),
        "Fehler: Speichern nicht möglich – es fehlt die Rolle Finanzwesen ändern."
    );
    ui.fkey(11);
    assert_eq!(
        ui.message(),
        "Fehler: Anlegen nicht möglich – es fehlt die Rolle Finanzwesen ändern."
    );
    // Reading the Ansatz (F5) is allowed to the reader.
    ui.fkey(5);
    assert!(
        !ui.message().contains("fehlt die Rolle"),
        "{}",
        ui.message()
    );
    assert_eq!((stand(db), count(db, versionen)), (before, v));
});

/// How a mask's main action is tried: the keys after opening it.
#[derive(Clone, Copy)]
enum Aktion {
    /// Opening it is the action (a process or query mask gated by its role).
    Oeffnen,
    /// Type the values into consecutive fields, then press F10.
    Speichern(&'static [&'static str]),
    /// Type the values into consecutive fields, then press Enter.
    Ausfuehren(&'static [&'static str]),
    /// F11 (new record) in the list.
    Neu,
}

use Aktion::*;

/// Every mask of EWOS, FINAS and PERSOS with the role its main action needs.
const MASKEN: &[(&str, Aktion, &[Role])] = &[
    ("EWO100", Ausfuehren(&["Mueller"]), &[Role::EwosLesen]),
    ("EWO110", Oeffnen, &[Role::EwosAendern]),
    ("EWO120", Oeffnen, &[Role::EwosAendern]),
    ("EWO130", Oeffnen, &[Role::EwosAendern]),
    ("EWO140", Oeffnen, &[Role::EwosAendern]),
    ("EWO150", Oeffnen, &[Role::EwosAendern]),
    ("EWO160", Oeffnen, &[Role::EwosAendern]),
    ("EWO161", Oeffnen, &[Role::EwosAendern]),
    ("EWO170", Oeffnen, &[Role::EwosAendern]),
    ("EWO180", Oeffnen, &[Role::EwosAendern]),
    ("EWO190", Oeffnen, &[Role::EwosAendern]),
    ("EWO191", Oeffnen, &[Role::EwosLesen]),
    ("EWO200", Ausfuehren(&["Mueller"]), &[Role::EwosLesen]),
    ("EWO300", Oeffnen, &[Role::EwosLesen]),
    ("EWO310", Oeffnen, &[Role::EwosLesen]),
    ("FIN100", Ausfuehren(&["2026"]), &[Role::FinasLesen]),
    (
        "FIN110",
        Speichern(&["2026", "", "01.01.01", "5431", "1000,00"]),
        &[Role::FinasAendern],
    ),
    ("FIN120", Ausfuehren(&["2026"]), &[Role::FinasLesen]),
    ("FIN130", Speichern(&[]), &[Role::FinasAnordnung]),
    ("FIN200", Ausfuehren(&["2026"]), &[Role::FinasLesen]),
    (
        "FIN210",
        Speichern(&["2026", "", "01.01.01", "5431", "100,00"]),
        &[Role::FinasAendern],
    ),
    (
        "FIN220",
        Speichern(&["2026", "1", "01.01.01", "5431", "100,00"]),
        &[Role::FinasAnordnung],
    ),
    (
        "FIN230",
        Speichern(&["2026", "", "01.01.01", "5431", "10"]),
        &[Role::FinasAnordnung],
    ),
    (
        "FIN240",
        Speichern(&["2026", "03.02.01", "7851", "100,00", "Bauverzug"]),
        &[Role::FinasAnordnung],
    ),
    ("FIN300", Oeffnen, &[Role::FinasAendern]),
    ("FIN310", Ausfuehren(&["2026"]), &[Role::FinasLesen]),
    ("FIN400", Ausfuehren(&["2026"]), &[Role::FinasLesen]),
    (
        "FIN500",
        Speichern(&[]),
        &[Role::FinasAendern, Role::FinasAnordnung],
    ),
    ("FIN505", Speichern(&[]), &[Role::FinasAendern, Role::Kasse]),
    ("FIN510", Ausfuehren(&[]), &[Role::FinasLesen]),
    ("PER100", Neu, &[Role::PersosAendern]),
    ("PER110", Oeffnen, &[Role::PersosLesen]),
    (
        "PER200",
        Ausfuehren(&["2026-02", "A"]),
        &[Role::PersosAendern],
    ),
    ("PER210", Oeffnen, &[Role::PersosLesen]),
    ("PER220", Oeffnen, &[Role::PersosLesen]),
    ("PER300", Oeffnen, &[Role::PersosLesen]),
    ("PER310", Oeffnen, &[Role::PersosLesen]),
    ("PER320", Oeffnen, &[Role::PersosLesen]),
];

/// The demo users of the table with their roles (README).
const BENUTZER: &[(&str, &[Role])] = &[
    ("GAST", &[Role::FinasLesen]),
    ("LESER", &[Role::EwosLesen]),
    ("PERSONAL", &[Role::PersosAendern]),
    ("KASSE", &[Role::Kasse]),
];

kis::store_test!(every_mask_refuses_a_user_without_its_role, |db: &Db| {
    let mut refused = 0;
    let mut allowed = 0;
    for (user, roles) in BENUTZER {
        let mut ui = logged_in(db, user);
        for (code, aktion, needs) in MASKEN {
            let darf = needs.iter().any(|n| roles.iter().any(|r| r.implies(*n)));
            let before = stand(db);
            ui.goto(code);
            let geoeffnet = header(&ui).contains(code);
            let nach_goto = ui.message();
            if !geoeffnet {
                // Refused at opening: the code stays on the command line.
                for _ in 0..code.len() {
                    ui.key(KeyCode::Backspace);
                }
                ui.key(KeyCode::Tab);
            }
            match aktion {
                _ if !geoeffnet => {}
                Oeffnen => {}
                Speichern(values) | Ausfuehren(values) => {
                    for (i, v) in values.iter().enumerate() {
                        ui.type_text(v);
                        if i + 1 < values.len() {
                            ui.key(KeyCode::Tab);
                        }
                    }
                    if matches!(aktion, Speichern(_)) {
                        ui.fkey(10);
                    } else {
                        ui.key(KeyCode::Enter);
                    }
                }
                Neu => ui.fkey(11),
            }
            ui.wait_idle();
            let msg = if geoeffnet {
                ui.message()
            } else {
                // The refusal was shown right after the command.
                nach_goto
            };
            let fall = format!("{user} × {code}: {msg}\n{}", ui.screen());
            if darf {
                assert!(
                    !msg.contains("fehlt die Rolle"),
                    "erlaubt, aber abgelehnt: {fall}"
                );
                allowed += 1;
            } else {
                assert!(
                    msg.starts_with("Fehler:") && msg.contains("fehlt die Rolle"),
                    "ohne Rolle nicht abgelehnt: {fall}"
                );
                assert_eq!(stand(db), before, "abgelehnt, aber geändert: {fall}");
                refused += 1;
            }
            // Back to the main menu for the next mask (F3 closes popups and
            // masks; a question about unsaved input is answered J).
            for _ in 0..6 {
                if ui.screen().contains("Hauptmenü") {
                    break;
                }
                if ui.screen().contains("verwerfen") {
                    ui.type_text("j");
                } else {
                    ui.fkey(3);
                }
            }
            assert!(ui.screen().contains("Hauptmenü"), "{}", ui.screen());
        }
    }
    assert_eq!(refused + allowed, BENUTZER.len() * MASKEN.len());
    assert!(allowed >= 20, "{allowed}");
});

kis::store_test!(lost_update_names_the_colleague, |db: &Db| {
    let clock = demo_env(db, day());
    let meier = session(db, clock.clone(), "MEIER");
    let schulz = session(db, clock, "SCHULZ");
    let a = person::anzeigen(&meier, 9).unwrap().person;
    let b = person::anzeigen(&schulz, 9).unwrap().person;
    let mut d = b.daten.clone();
    d.geburtsort = "Hamm".into();
    standesamt::berichtigung(&schulz, 9, b.version, &d, "Schreibfehler").unwrap();
    let mut d = a.daten.clone();
    d.geburtsort = "Unna".into();
    let err = standesamt::berichtigung(&meier, 9, a.version, &d, "Schreibfehler").unwrap_err();
    // As the message line of a mask shows it with the default keymap.
    let keymap = Keymap::builtin("default").unwrap();
    assert_eq!(
        keymap.render_text(Context::Form, &error_text(&err)),
        "Der Datensatz wurde inzwischen von SCHULZ geändert. Bitte neu laden (F5); Ihre Eingaben bleiben sichtbar."
    );
    assert_eq!(
        person::anzeigen(&meier, 9).unwrap().person.daten.geburtsort,
        "Hamm"
    );
});
