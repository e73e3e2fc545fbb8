//! The mask engine driven by keys: login, menus, command line, KIS100 with
//! its list and record mask, validation, locks, help, lookup, the dirty
//! check, fallbacks, screen size and the sanitising of stored text.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kis::kernel::streets;
use kis::store::Db;
use kis::testing::demo_env;
use kis::testing::ui::UiHarness;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
}

fn logged_in(db: &Db, user: &str) -> UiHarness {
    let clock = demo_env(db, day());
    let mut ui = UiHarness::new(db, clock);
    ui.login(user, &user.to_lowercase());
    ui
}

kis::store_test!(login_shows_header_menu_and_legend, |db: &Db| {
    let clock = demo_env(db, day());
    let mut ui = UiHarness::new(db, clock);
    ui.assert_contains("KIS000  Anmeldung");
    ui.assert_contains("Benutzer . .");
    ui.type_text("meier");
    ui.key(KeyCode::Tab);
    ui.type_text("falsch");
    ui.key(KeyCode::Enter);
    assert!(
        ui.message().contains("Anmeldung fehlgeschlagen"),
        "{}",
        ui.message()
    );
    ui.type_text("meier");
    ui.key(KeyCode::Enter);
    let lines = ui.lines();
    assert!(
        lines[0].contains("Musterstadt")
            && lines[0].contains("MEIER")
            && lines[0].contains("05.03.2026"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with(" Befehl ===>"));
    ui.assert_contains("1  EWOS – Einwohnerwesen");
    assert!(
        lines[23].contains("F1=Hilfe")
            && lines[23].contains("F3=Zurück")
            && lines[23].contains("F6=Befehl"),
        "{}",
        lines[23]
    );
});

kis::store_test!(
    command_line_codes_menu_paths_and_unknown_codes,
    |db: &Db| {
        let mut ui = logged_in(db, "MEIER");
        ui.goto("xyz999");
        assert!(
            ui.message()
                .contains("Unbekannter Befehl oder Transaktionscode „xyz999“"),
            "{}",
            ui.message()
        );
        ui.assert_contains("xyz999"); // the input stays to be corrected
        for _ in 0..6 {
            ui.key(KeyCode::Backspace);
        }
        ui.type_text("=4");
        ui.key(KeyCode::Enter);
        ui.assert_contains("KIS100  Straßenverzeichnis");
        ui.type_text("1");
        ui.key(KeyCode::Enter);
        assert!(ui.lines()[0].contains("KIS100"), "{}", ui.lines()[0]);
        ui.goto("kis900");
        ui.assert_contains("Schemaversion");
        ui.assert_contains("Mandant . . . . . . . 001 – Musterstadt");
    }
);

kis::store_test!(kis100_search_display_change_save, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    ui.goto("KIS100");
    ui.assert_contains("Zeile 1–");
    ui.type_text("haupt");
    ui.key(KeyCode::Enter);
    ui.assert_contains("1 Straße gefunden.");
    ui.assert_contains("00010 Hauptstraße");
    ui.type_text("a");
    ui.key(KeyCode::Enter);
    let header = ui.lines()[0].clone();
    assert!(
        header.contains("Straße") && header.contains("Anzeigen"),
        "{header}"
    );
    ui.assert_contains("Straßenschlüssel . . 00010");
    // Display mode refuses typing.
    ui.type_text("x");
    assert!(ui.message().contains("Anzeigemodus"), "{}", ui.message());
    ui.fkey(2);
    assert!(ui.lines()[0].contains("Ändern"), "{}", ui.lines()[0]);
    // The key field is skipped in change mode: the cursor starts in the name.
    ui.send(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    ui.type_text("Hauptstraße Nord");
    // Leaving with unsaved changes asks first.
    ui.fkey(3);
    ui.assert_contains("Ungesicherte Änderungen verwerfen");
    ui.type_text("n");
    ui.fkey(10);
    assert!(
        ui.message().contains("Straße 00010 gespeichert."),
        "{}",
        ui.message()
    );
    assert!(ui.lines()[0].contains("Anzeigen"));
    ui.assert_contains("Hauptstraße Nord");
    ui.fkey(9);
    ui.assert_contains("Historie 00010");
    ui.assert_contains("GEAENDERT");
});

kis::store_test!(
    validation_keeps_the_cursor_in_the_faulty_field,
    |db: &Db| {
        let mut ui = logged_in(db, "MEIER");
        ui.goto("KIS100");
        ui.fkey(11); // new street
        assert!(ui.lines()[0].contains("Neu"), "{}", ui.lines()[0]);
        // A letter in the number field stays visible and the field is
        // refused when it is left (issue 22: input is never changed
        // unnoticed); the cursor stays in it.
        ui.type_text("12a");
        ui.assert_contains("12a");
        ui.key(KeyCode::Tab);
        assert!(
            ui.message().contains("nur Ziffern erlaubt"),
            "{}",
            ui.message()
        );
        ui.send(crossterm::event::KeyEvent::new(
            KeyCode::Char('k'),
            crossterm::event::KeyModifiers::CONTROL,
        ));
        ui.type_text("12");
        ui.key(KeyCode::Tab);
        ui.key(KeyCode::Tab); // name left empty: required
        assert!(
            ui.message().contains("Straßenname ist ein Pflichtfeld."),
            "{}",
            ui.message()
        );
        let (_, y) = ui.cursor();
        assert!(
            ui.lines()[y as usize]
                .trim_start()
                .starts_with("Straßenname "),
            "{}",
            ui.lines()[y as usize]
        );
        ui.type_text("Neuer Weg");
        ui.key(KeyCode::Tab);
        ui.type_text("99");
        ui.key(KeyCode::Tab);
        assert!(
            ui.message().contains("Schlüssel „99“ ist nicht vorhanden"),
            "{}",
            ui.message()
        );
        // F4 lists the Ortsteile; Enter takes the selected one.
        ui.fkey(4);
        ui.assert_contains("Auswahl ORTSTEIL");
        ui.assert_contains("Mitte");
        ui.key(KeyCode::Down);
        ui.key(KeyCode::Enter);
        ui.assert_contains("02_ Nord");
        ui.key(KeyCode::Tab);
        ui.type_text("59999");
        ui.key(KeyCode::Tab);
        ui.type_text("Musterstadt");
        ui.key(KeyCode::Tab);
        ui.type_text("1-10, 12b");
        ui.fkey(10);
        assert!(
            ui.message().contains("Straße 00012 angelegt."),
            "{}",
            ui.message()
        );
    }
);

kis::store_test!(help_and_key_legend, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    ui.goto("KIS100");
    ui.fkey(1);
    ui.assert_contains("Hilfe – Straßenverzeichnis");
    ui.assert_contains("Tasten in dieser Maske:");
    ui.key(KeyCode::Enter);
    assert!(!ui.screen().contains("Hilfe – Straßenverzeichnis"));
    let legend = ui.lines()[23].clone();
    assert!(
        legend.contains("F5=Neu laden") && legend.contains("F8=Vorbl."),
        "{legend}"
    );
});

kis::store_test!(esc_digit_fallbacks_and_the_host_keymap, |db: &Db| {
    let clock = demo_env(db, day());
    let mut ui = UiHarness::with_size(db, clock, 80, 24, "host");
    ui.login("MEIER", "meier");
    ui.goto("KIS100");
    ui.assert_contains("Straße/Schlüssel");
    // Esc 3 = F3 = back (PF3).
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('3'));
    ui.assert_contains("Hauptmenü");
    // Esc 6 = F6 = command line.
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('6'));
    ui.type_text("kis100");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Straße/Schlüssel");
    // A lone Esc in the host keymap does nothing once its wait is over.
    ui.key(KeyCode::Esc);
    ui.wait_esc();
    ui.assert_contains("Straße/Schlüssel");
});

kis::store_test!(a_colleague_sees_the_lock_and_may_only_display, |db: &Db| {
    let mut meier = logged_in(db, "MEIER");
    meier.goto("KIS100");
    meier.type_text("00020");
    meier.key(KeyCode::Enter);
    meier.type_text("u");
    meier.key(KeyCode::Enter);
    assert!(meier.lines()[0].contains("Ändern"), "{}", meier.lines()[0]);
    let mut schulz = logged_in(db, "SCHULZ");
    schulz.goto("KIS100");
    schulz.type_text("00020");
    schulz.key(KeyCode::Enter);
    schulz.type_text("u");
    schulz.key(KeyCode::Enter);
    assert!(
        schulz
            .message()
            .contains("Datensatz in Bearbeitung durch MEIER seit 09:00 – nur Anzeige möglich."),
        "{}",
        schulz.message()
    );
    assert!(schulz.lines()[0].contains("Anzeigen"));
    // MEIER leaves: the lock goes with the mask.
    meier.fkey(3);
    schulz.fkey(2);
    assert!(schulz.lines()[0].contains("Ändern"), "{}", schulz.message());
});

kis::store_test!(
    small_terminals_get_a_clear_message_and_resizes_keep_input,
    |db: &Db| {
        let mut ui = logged_in(db, "MEIER");
        ui.goto("KIS100");
        ui.type_text("Bahn");
        ui.resize(60, 20);
        ui.assert_contains("KIS benötigt mindestens 80×24 Zeichen (jetzt 60×20).");
        ui.resize(100, 40);
        ui.assert_contains("Bahn");
        ui.key(KeyCode::Enter);
        ui.assert_contains("Bahnhofstraße");
        assert_eq!(ui.lines().len(), 40);
        assert!(
            ui.lines()[39].contains("F1=Hilfe"),
            "legend on the last row at 40 rows"
        );
    }
);

kis::store_test!(
    stored_control_characters_never_reach_the_screen,
    |db: &Db| {
        let clock = demo_env(db, day());
        let meier = kis::testing::session(db, clock.clone(), "MEIER");
        let mut st = streets::get(&meier, "00030").unwrap();
        st.name = "Kirch\u{1b}]52;c;ZXZpbA==\u{7}straße\u{9b}31m".into();
        streets::update(&meier, &st).unwrap();
        let mut ui = UiHarness::new(db, clock);
        ui.login("MEIER", "meier");
        ui.goto("KIS100");
        ui.type_text("00030");
        ui.key(KeyCode::Enter);
        let screen = ui.screen();
        assert!(
            !screen.chars().any(|c| c.is_control() && c != '\n'),
            "{screen:?}"
        );
        assert!(screen.contains("Kirch"), "{screen}");
    }
);

kis::store_test!(kis110_new_code_is_offered_in_kis100_lookups, |db: &Db| {
    let mut ui = logged_in(db, "ADMIN");
    ui.goto("KIS110");
    assert!(ui.lines()[0].contains("KIS110"), "{}", ui.message());
    ui.type_text("ORTS");
    ui.key(KeyCode::Enter);
    ui.assert_contains("7 Schlüssel gefunden.");
    ui.assert_contains("ungültig"); // Altdorf, ended 2019
    ui.fkey(11);
    ui.type_text("ortsteil");
    ui.key(KeyCode::Tab);
    ui.type_text("07");
    ui.key(KeyCode::Tab);
    ui.type_text("Neubaugebiet");
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Tab);
    ui.type_text("1.4.26");
    ui.key(KeyCode::Tab);
    ui.type_text("311299");
    ui.key(KeyCode::Tab);
    assert!(
        ui.screen().contains("31.12.1999"),
        "two-digit years 70–99 are 19xx:\n{}",
        ui.screen()
    );
    ui.fkey(10);
    assert!(
        ui.message().contains("„Gültig bis“ liegt vor „gültig ab“"),
        "{}",
        ui.message()
    );
    let (_, y) = ui.cursor();
    assert!(
        ui.lines()[y as usize].contains("Gültig bis"),
        "cursor in the named field"
    );
    ui.send(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    ui.type_text("31.12.9999");
    ui.fkey(10);
    assert!(
        ui.message().contains("Schlüssel ORTSTEIL/07 gespeichert."),
        "{}",
        ui.message()
    );
    // The admin's new Ortsteil is valid from 01.04.2026, the working day is 05.03.2026:
    // KIS100 does not offer it yet.
    ui.goto("KIS100");
    ui.fkey(11);
    ui.type_text("990");
    ui.key(KeyCode::Tab);
    ui.type_text("Seeweg");
    ui.key(KeyCode::Tab);
    ui.fkey(4);
    ui.assert_contains("Auswahl ORTSTEIL");
    assert!(!ui.screen().contains("Neubaugebiet"), "{}", ui.screen());
});

kis::store_test!(line_command_l_asks_then_deletes, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    ui.goto("KIS100");
    ui.fkey(11);
    ui.type_text("995");
    ui.key(KeyCode::Tab);
    ui.type_text("Kurzer Weg");
    ui.key(KeyCode::Tab);
    ui.type_text("03");
    ui.key(KeyCode::Tab);
    ui.type_text("59998");
    ui.key(KeyCode::Tab);
    ui.type_text("Musterstadt");
    ui.fkey(10);
    assert!(
        ui.message().contains("Straße 00995 angelegt."),
        "{}",
        ui.message()
    );
    ui.fkey(3);
    ui.type_text("kurz");
    ui.key(KeyCode::Enter);
    ui.assert_contains("00995 Kurzer Weg");
    ui.type_text("l");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Straße 00995 Kurzer Weg wirklich löschen? (J/N)");
    ui.type_text("n");
    ui.assert_contains("00995 Kurzer Weg");
    ui.type_text("l");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    assert!(
        ui.message().contains("Straße 00995 gelöscht."),
        "{}",
        ui.message()
    );
    ui.assert_contains("keine Treffer");
});

kis::store_test!(long_messages_are_cut_and_shown_whole_by_f1, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    let code = "X".repeat(55);
    ui.goto(&code);
    let msg = ui.message();
    assert!(msg.ends_with("… (F1)"), "{msg}");
    assert!(ui.lines()[22].chars().count() <= 80);
    ui.fkey(1);
    ui.assert_contains("Letzte Meldung – Fehler:");
    ui.assert_contains(&format!("„{code}“."));
    ui.key(KeyCode::Enter);
    assert!(
        ui.message().ends_with("… (F1)"),
        "the message stays after the help"
    );
});
