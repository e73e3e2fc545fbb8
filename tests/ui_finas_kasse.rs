//! The Kasse's masks driven by keys: FIN505 refuses a wrong IBAN in its
//! field and creates the partner, FIN500 enters an Anordnung that only a
//! second person may release, FIN510 lists the open items.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::store::Db;
use kis::testing::demo_env;
use kis::testing::ui::UiHarness;

fn tabs(ui: &mut UiHarness, n: usize) {
    for _ in 0..n {
        ui.key(KeyCode::Tab);
    }
}

/// The number after `prefix` in the message line.
fn nummer(msg: &str, prefix: &str) -> String {
    let rest = &msg[msg.find(prefix).unwrap_or_else(|| panic!("{msg}")) + prefix.len()..];
    rest.chars().take_while(char::is_ascii_digit).collect()
}

kis::store_test!(partner_anordnung_freigabe_und_op_per_tastatur, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    let mut ui = UiHarness::new(db, clock.clone());
    ui.login("BUCHHALTER", "buchhalter");

    ui.goto("FIN505");
    ui.assert_contains("Geschäftspartner");
    tabs(&mut ui, 1);
    ui.key(KeyCode::End);
    ui.key(KeyCode::Backspace);
    ui.type_text("F");
    tabs(&mut ui, 2);
    ui.type_text("Tiefbau Klein GmbH");
    tabs(&mut ui, 2);
    ui.type_text("Gewerbering 5");
    tabs(&mut ui, 1);
    ui.type_text("59999");
    tabs(&mut ui, 1);
    ui.type_text("Musterstadt");
    tabs(&mut ui, 1);
    ui.type_text("DE89 3704 0044 0532 0130 01");
    ui.fkey(10);
    let msg = ui.message();
    assert!(msg.contains("IBAN") && msg.contains("Prüfziffer"), "{msg}");
    // The cursor stays in the IBAN field: correct the last digit.
    ui.key(KeyCode::End);
    ui.key(KeyCode::Backspace);
    ui.type_text("0");
    ui.fkey(10);
    let msg = ui.message();
    assert!(msg.contains("angelegt mit Bankverbindung"), "{msg}");
    let partner = nummer(&msg, "Geschäftspartner ");
    ui.fkey(3);

    ui.goto("FIN500");
    ui.assert_contains("Anordnung");
    tabs(&mut ui, 4);
    ui.type_text(&partner);
    tabs(&mut ui, 1);
    ui.type_text("01.01.01");
    tabs(&mut ui, 1);
    ui.type_text("4311");
    tabs(&mut ui, 2);
    ui.type_text("Sondernutzungsgebühr Gewerbering");
    tabs(&mut ui, 1);
    ui.type_text("15.12.2026");
    tabs(&mut ui, 1);
    ui.type_text("250,00");
    ui.fkey(10);
    let msg = ui.message();
    assert!(msg.contains("erfasst, Kassenzeichen 2026 "), "{msg}");
    let nr = nummer(&msg, "Anordnung ");
    ui.fkey(3);

    // The Kämmerer releases it; then the item is open in FIN510.
    let mut k = UiHarness::new(db, clock);
    k.login("KAEMMERER", "kaemmerer");
    k.goto("FIN500");
    k.type_text(&nr);
    tabs(&mut k, 2);
    k.type_text("F");
    k.fkey(10);
    let msg = k.message();
    assert!(msg.contains("freigegeben und gebucht"), "{msg}");
    k.fkey(3);
    k.goto("FIN510");
    tabs(&mut k, 1);
    k.type_text(&partner);
    k.key(KeyCode::Enter);
    k.assert_contains("Tiefbau Klein");
    k.assert_contains("250,00");
    assert!(k.message().contains("1 offene Posten"), "{}", k.message());
});

kis::store_test!(fin500_vier_augen_in_der_maske, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    let mut ui = UiHarness::new(db, clock);
    ui.login("KAEMMERER", "kaemmerer");
    ui.goto("FIN500");
    tabs(&mut ui, 4);
    ui.type_text("1");
    tabs(&mut ui, 1);
    ui.type_text("01.01.01");
    tabs(&mut ui, 1);
    ui.type_text("4311");
    tabs(&mut ui, 2);
    ui.type_text("Verwaltungsgebühr");
    tabs(&mut ui, 1);
    ui.type_text("01.12.2026");
    tabs(&mut ui, 1);
    ui.type_text("30,00");
    ui.fkey(10);
    let msg = ui.message();
    assert!(msg.contains("erfasst"), "{msg}");
    assert!(
        msg.contains("Anordnung 1 erfasst, Kassenzeichen 2026 000001 7"),
        "{msg}"
    );
    ui.fkey(3);
    // Aktion F by the person who entered it is refused.
    ui.goto("FIN500");
    ui.type_text("1");
    tabs(&mut ui, 2);
    ui.type_text("F");
    ui.fkey(10);
    let msg = ui.message();
    assert!(msg.contains("Vier-Augen-Prinzip"), "{msg}");
    ui.fkey(3);
    if ui.screen().contains("verwerfen") {
        ui.type_text("j");
    }
    // A Kassenzeichen with a wrong check digit is refused where it is typed.
    ui.goto("FIN500");
    tabs(&mut ui, 1);
    ui.type_text("2026 000001 0");
    ui.fkey(5);
    let msg = ui.message();
    assert!(msg.contains("Prüfziffer"), "{msg}");
    ui.key(KeyCode::End);
    ui.key(KeyCode::Backspace);
    ui.type_text("7");
    ui.fkey(5);
    let msg = ui.message();
    assert!(msg.contains("Annahmeanordnung 1 (erfasst"), "{msg}");
});
