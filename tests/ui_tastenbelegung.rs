//! Texts follow the keymap: with save moved from F10 to F14, change from F2
//! to F13 and refresh from F5 to F15, the messages, the legend and the F1
//! help of every mask name the new keys and never the old ones.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::kernel::streets;
use kis::store::Db;
use kis::testing::ui::UiHarness;
use kis::testing::{demo_env, session};
use kis::ui::command::Command;
use kis::ui::keymap::{Context, Keymap};
use kis::ui::registry;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
}

const REMAP: &str = "\
[form]
F10 = \"none\"
F14 = \"save\"
F2 = \"none\"
F13 = \"change\"
F5 = \"none\"
F15 = \"refresh\"
[memo]
F10 = \"none\"
F14 = \"save\"
[list]
F5 = \"none\"
F15 = \"refresh\"
";

fn remapped() -> Keymap {
    let mut km = Keymap::builtin("default").unwrap();
    km.merge_toml(REMAP, "test").unwrap();
    km
}

fn logged_in(db: &Db, user: &str) -> UiHarness {
    let clock = demo_env(db, day());
    // Wide enough that the whole legend fits.
    let mut ui = UiHarness::with_keymap(db, clock, 160, 24, remapped());
    ui.login(user, &user.to_lowercase());
    ui
}

fn legend(ui: &UiHarness) -> String {
    ui.lines().last().cloned().unwrap_or_default()
}

/// None of the keys that were moved away may appear as a key name.
fn assert_no_old_key(text: &str) {
    for old in ["F10", "F2", "F5"] {
        let named = text
            .match_indices(old)
            .any(|(i, _)| !text[i + old.len()..].starts_with(|c: char| c.is_ascii_digit()));
        assert!(!named, "{old} in:\n{text}");
    }
    assert!(!text.contains('⟨'), "unresolved key reference in:\n{text}");
}

kis::store_test!(record_mask_names_the_remapped_keys, |db: &Db| {
    let mut ui = logged_in(db, "MEIER");
    ui.goto("KIS100");
    ui.type_text("00010");
    ui.key(KeyCode::Enter);
    ui.type_text("a");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Straßenschlüssel . . 00010");
    assert!(legend(&ui).contains("F13=Ändern"), "{}", legend(&ui));
    assert!(legend(&ui).contains("F15=Neu laden"), "{}", legend(&ui));
    assert_no_old_key(&legend(&ui));

    // Typing in display mode: the message names the change key.
    ui.type_text("x");
    assert_eq!(
        ui.message(),
        "Fehler: Anzeigemodus – zum Ändern F13 drücken."
    );
    ui.key(KeyCode::Enter);
    assert_eq!(ui.message(), "Hinweis: Anzeige – F13 schaltet auf Ändern.");

    ui.fkey(13);
    assert!(ui.lines()[0].contains("Ändern"), "{}", ui.lines()[0]);
    assert!(legend(&ui).contains("F14=Speichern"), "{}", legend(&ui));
    assert_no_old_key(&legend(&ui));
    ui.type_text("x");
    ui.key(KeyCode::Enter);
    assert_eq!(ui.message(), "Hinweis: Eingabe geprüft – F14 speichert.");

    // A dirty mask refuses to jump elsewhere and says how to save.
    ui.goto("KIS110");
    assert!(
        ui.message()
            .contains("Erst speichern (F14) oder verwerfen (F12)"),
        "{}",
        ui.message()
    );
    ui.key(KeyCode::Tab);

    // A colleague saves meanwhile (through the service, past the lock):
    // the refusal names the remapped reload key.
    let clock = demo_env(db, day());
    let schulz = session(db, clock, "SCHULZ");
    let mut st = streets::get(&schulz, "00010").unwrap();
    st.name = "Hauptstr.".into();
    streets::update(&schulz, &st).unwrap();
    ui.fkey(14);
    assert_eq!(
        ui.message(),
        "Fehler: Der Datensatz wurde inzwischen von SCHULZ geändert. Bitte neu laden (F15); Ihre Eingaben bleiben sichtbar."
    );

    // F1 shows the keys of the mask with their Esc sequences, none moved away.
    ui.fkey(1);
    ui.assert_contains("Tasten in dieser Maske:");
    ui.assert_contains("F4 (Esc 4)");
    assert_no_old_key(&ui.screen());
    ui.fkey(8);
    ui.assert_contains("F14          Datensatz speichern");
    assert_no_old_key(&ui.screen());
});

kis::store_test!(every_mask_help_and_legend_follow_the_keymap, |db: &Db| {
    let mut ui = logged_in(db, "DEMO");
    for menu in registry::menus() {
        for tr in &menu.transactions {
            // A mask that needs a record first (EWO200) opens its search.
            ui.goto(tr.code);
            assert_no_old_key(&ui.screen());
            ui.fkey(1);
            let help = ui.screen();
            assert!(
                help.contains("Tasten in dieser Maske:"),
                "{}:\n{help}",
                tr.code
            );
            assert_no_old_key(&help);
            ui.fkey(3);
            ui.wait_idle();
        }
    }
});

/// The commands F1 lists as keys of the mask (all help pages).
fn help_commands(ui: &mut UiHarness) -> Vec<Command> {
    let mut found = Vec::new();
    ui.fkey(1);
    for _ in 0..6 {
        for line in ui.lines() {
            for c in Command::ALL {
                if line.contains(&format!(" {}", c.doc())) && !found.contains(c) {
                    found.push(*c);
                }
            }
        }
        ui.fkey(8);
    }
    ui.fkey(3);
    found
}

kis::store_test!(f1_offers_no_command_the_legend_does_not, |db: &Db| {
    let clock = demo_env(db, day());
    // Wide enough that no legend entry is cut off.
    let mut ui = UiHarness::with_size(db, clock, 220, 24, "default");
    ui.login("DEMO", "demo");
    let keymap = Keymap::builtin("default").unwrap();
    for menu in registry::menus() {
        for tr in &menu.transactions {
            ui.goto(tr.code);
            let legend = ui.lines().last().cloned().unwrap_or_default();
            for c in help_commands(&mut ui) {
                let Some(label) = c.label() else { continue };
                if c == Command::Exit {
                    continue;
                }
                assert!(
                    legend.contains(&format!("={label}")),
                    "{}: F1 bietet „{}“ ({:?}) an, die Legende nicht: {legend}",
                    tr.code,
                    c.doc(),
                    keymap.key_for(Context::Form, c)
                );
            }
        }
    }
});

/// The legend entries (`F5=Neu laden`) as (key, command).
fn legend_commands(ui: &UiHarness) -> Vec<(String, Command)> {
    let legend = ui.lines().last().cloned().unwrap_or_default();
    legend
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        // Labels may contain a blank ("Neu laden"): split before each key.
        .split(" F")
        .flat_map(|part| {
            let part = if part.starts_with('F') || part.starts_with("Enter") {
                part.to_string()
            } else {
                format!("F{part}")
            };
            part.split(" Enter")
                .enumerate()
                .map(|(i, p)| {
                    if i == 0 {
                        p.to_string()
                    } else {
                        format!("Enter{p}")
                    }
                })
                .collect::<Vec<_>>()
        })
        .filter_map(|entry| {
            let (key, label) = entry.split_once('=')?;
            let cmd = Command::ALL
                .iter()
                .find(|c| c.label() == Some(label.trim()))?;
            Some((key.trim().to_string(), *cmd))
        })
        .collect()
}

fn press(ui: &mut UiHarness, key: &str) {
    match key {
        "Enter" => ui.key(KeyCode::Enter),
        f => ui.fkey(f.trim_start_matches('F').parse().expect("Funktionstaste")),
    }
    ui.wait_idle();
}

kis::store_test!(every_command_a_legend_offers_is_handled, |db: &Db| {
    let clock = demo_env(db, day());
    let mut ui = UiHarness::with_size(db, clock, 220, 24, "default");
    ui.login("DEMO", "demo");
    let mut checked = 0;
    for menu in registry::menus() {
        for tr in &menu.transactions {
            ui.goto(tr.code);
            let header = ui.lines()[0].clone();
            let offered = legend_commands(&ui);
            assert!(
                offered.iter().any(|(_, c)| *c == Command::Help),
                "{}: {offered:?}",
                tr.code
            );
            for (key, cmd) in offered {
                // The app handles these itself on every screen.
                if matches!(cmd, Command::Help | Command::Back | Command::CommandLine) {
                    continue;
                }
                ui.goto(tr.code);
                if ui.lines()[0] != header {
                    continue;
                }
                press(&mut ui, &key);
                assert_ne!(
                    ui.ignored(),
                    Some(cmd),
                    "{}: die Legende bietet {key}={} an, die Maske tut damit nichts",
                    tr.code,
                    cmd.label().unwrap_or_default()
                );
                checked += 1;
                while ui.popup_open() {
                    ui.fkey(12);
                }
            }
        }
    }
    assert!(checked > 40, "{checked}");
});
