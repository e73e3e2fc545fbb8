//! The Kasse's runs driven by keys on both stores: FIN520 Zahllauf writes
//! its SEPA file and is cancelled after a question, FIN560 Tagesabschluss
//! checks and closes a day (and refuses one that does not balance), FIN550
//! Mahnlauf runs, shows, prints, sends and cancels, FIN551 Mahnsperre sets
//! and lifts a Sperre; each refuses a user without the Kasse role. The
//! FINAS menu lists them.

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kis::core::clock::FixedClock;
use kis::core::money::Money;
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, PartnerArt, PartnerInput,
};
use kis::finas::kasse::{anordnung, partner};
use kis::store::Db;
use kis::testing::ui::UiHarness;
use kis::testing::{demo_env, session};

fn d(j: i32, m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(j, m, t).unwrap()
}

/// A firm with a bank account; returns its number.
fn firma(db: &Db, clock: &Arc<FixedClock>, name: &str, iban: &str) -> i64 {
    let kasse = session(db, clock.clone(), "KASSE");
    let id = partner::anlegen(
        &kasse,
        &PartnerInput {
            art: Some(PartnerArt::Firma),
            name: name.into(),
            strasse: "Hafenstraße 9".into(),
            plz: "59999".into(),
            ort: "Musterstadt".into(),
            ..Default::default()
        },
    )
    .unwrap();
    partner::bank_hinzufuegen(&kasse, id, iban, "", "").unwrap();
    id
}

/// An Anordnung entered by the Buchhalter and released by the Kämmerer;
/// returns its number.
fn anordnung(
    db: &Db,
    clock: &Arc<FixedClock>,
    art: AnordnungArt,
    partner: i64,
    faellig: NaiveDate,
    betrag: &str,
) -> i64 {
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let konto = match art {
        AnordnungArt::Annahme => "4311",
        AnordnungArt::Auszahlung => "5431",
    };
    let a = anordnung::erfassen(
        &buchhalter,
        &AnordnungInput {
            reservierung: None,
            art,
            partner,
            produkt: "01.01.01".into(),
            konto: konto.into(),
            kostenstelle: None,
            gegenkonto: None,
            text: "Lieferung Büromaterial".into(),
            faelligkeiten: vec![Faelligkeit {
                faellig,
                betrag: Money::parse_de(betrag).unwrap(),
            }],
        },
    )
    .unwrap();
    anordnung::freigeben(&kaemmerer, a.nr).unwrap();
    a.nr
}

/// The screen row that contains `text`.
fn zeile(ui: &UiHarness, text: &str) -> String {
    ui.lines()
        .into_iter()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("„{text}“ fehlt:\n{}", ui.screen()))
}

kis::store_test!(fin520_zahllauf_schreibt_zeigt_und_storniert, |db: &Db| {
    let clock = demo_env(db, d(2026, 11, 25));
    let lieferant = firma(db, &clock, "Bürobedarf Krüger KG", "DE89370400440532013000");
    anordnung(
        db,
        &clock,
        AnordnungArt::Auszahlung,
        lieferant,
        d(2026, 11, 25),
        "1.234,56",
    );
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("sepa");

    let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
    ui.goto("FIN520");
    ui.assert_contains("FIN520  Zahllauf");
    assert!(
        ui.message().contains("Noch keine Zahlläufe"),
        "{}",
        ui.message()
    );
    ui.assert_contains("F10=Speichern");
    // The day is preset with today; the directory is typed.
    ui.assert_contains("25.11.2026");
    ui.tabs(1);
    ui.clear_field();
    ui.type_text(&dir.display().to_string());
    // A day in the past is refused in its field and writes nothing.
    ui.key(KeyCode::BackTab);
    ui.clear_field();
    ui.type_text("24.11.2026");
    ui.fkey(10);
    assert!(
        ui.message().contains("liegt in der Vergangenheit"),
        "{}",
        ui.message()
    );
    assert!(!dir.exists());
    ui.clear_field();
    ui.type_text("25.11.2026");
    ui.fkey(10);
    let msg = ui.message();
    assert!(
        msg.contains("Zahllauf 1 zum 25.11.2026 angelegt: 1 Datei(en), 1 Posten"),
        "{msg}"
    );
    // The result names the file written.
    assert!(ui.popup_open());
    ui.assert_contains("Geschriebene Dateien");
    ui.assert_contains("pain.001");
    ui.assert_contains("1.234,56");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(files.len(), 1);
    ui.key(KeyCode::Enter);
    assert!(!ui.popup_open());

    // The list shows the live run, the sum right-aligned and whole.
    let z = zeile(&ui, "laufend");
    assert!(z.contains("25.11.2026"), "{z}");
    assert!(z.contains("        1.234,56 KASSE 25.11.2026"), "{z}");

    // A on the run shows its item; S cancels after a question.
    ui.tabs(2);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Zahllauf 1 zum 25.11.2026 (laufend), 1 Posten");
    ui.key(KeyCode::Enter);
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.assert_contains("wirklich stornieren");
    ui.type_text("n");
    assert!(ui.message().contains("nicht storniert"), "{}", ui.message());
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    let msg = ui.message();
    assert!(
        msg.contains("Zahllauf 1 storniert; die Posten sind wieder offen."),
        "{msg}"
    );
    zeile(&ui, "storniert");
    // A cancelled run is not written again.
    ui.type_text("D");
    ui.key(KeyCode::Enter);
    assert!(
        ui.message()
            .contains("storniert und wird nicht neu gedruckt"),
        "{}",
        ui.message()
    );

    // The item is open again: a second run pays it.
    ui.key(KeyCode::Tab);
    ui.fkey(10);
    assert!(
        ui.message().contains("Zahllauf 2 zum 25.11.2026 angelegt"),
        "{}",
        ui.message()
    );
});

kis::store_test!(fin520_ohne_kassenrolle_verweigert, |db: &Db| {
    let clock = demo_env(db, d(2026, 11, 25));
    let lieferant = firma(db, &clock, "Lieferant GmbH", "DE89370400440532013000");
    anordnung(
        db,
        &clock,
        AnordnungArt::Auszahlung,
        lieferant,
        d(2026, 11, 25),
        "99,00",
    );
    let out = tempfile::tempdir().unwrap();
    let kasse = session(db, clock.clone(), "KASSE");
    kis::finas::kasse::zahllauf::ausfuehren(&kasse, d(2026, 11, 25), Some(out.path())).unwrap();

    // GAST may read the runs, but neither run nor cancel one.
    let mut ui = UiHarness::logged_in(db, &clock, "GAST", "gast");
    ui.goto("FIN520");
    zeile(&ui, "laufend");
    assert!(!ui.screen().contains("F10=Speichern"), "{}", ui.screen());
    ui.fkey(10);
    let msg = ui.message();
    assert!(
        msg.contains("nicht möglich – es fehlt die Rolle Kasse"),
        "{msg}"
    );
    ui.tabs(2);
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    let msg = ui.message();
    assert!(msg.contains("Benutzer GAST fehlt die Rolle Kasse"), "{msg}");
    zeile(&ui, "laufend");

    // LESER (only the register) does not get into FINAS at all.
    let mut l = UiHarness::logged_in(db, &clock, "LESER", "leser");
    l.goto("FIN520");
    assert!(!l.screen().contains("FIN520  Zahllauf"), "{}", l.screen());
});

kis::store_test!(fin560_tagesabschluss_prueft_und_schliesst, |db: &Db| {
    let clock = demo_env(db, d(2026, 12, 15));
    let schuldner = firma(db, &clock, "Gebühr Schuldner KG", "DE89370400440532013000");
    // Released today: Forderung an Ertrag, one balanced Buchung of the day.
    anordnung(
        db,
        &clock,
        AnordnungArt::Annahme,
        schuldner,
        d(2026, 12, 30),
        "2.500,00",
    );

    // GAST may check the day but not close it. The FINAS menu is longer
    // than the screen: it shows a window and reaches the rest by arrow keys.
    let mut g = UiHarness::logged_in(db, &clock, "GAST", "gast");
    g.goto("=2");
    g.assert_contains("12  FIN400  Summen- und Saldenliste");
    g.assert_contains("Einträge 1–12 von 24");
    assert!(!g.screen().contains("FIN560"), "{}", g.screen());
    for _ in 0..23 {
        g.key(KeyCode::Down);
    }
    g.assert_contains("17  FIN530  Kontoauszug");
    g.assert_contains("18  FIN540  Klärungsliste");
    g.assert_contains("19  FIN550  Mahnlauf");
    g.assert_contains("20  FIN551  Mahnsperre");
    g.assert_contains("21  FIN552  Stundung");
    g.assert_contains("22  FIN553  Niederschlagung/Erlass");
    g.assert_contains("23  FIN554  Vollstreckungsübergabe");
    g.assert_contains("24  FIN560  Tagesabschluss");
    g.assert_contains("Einträge 13–24 von 24");
    g.key(KeyCode::Enter);
    g.goto("FIN560");
    g.assert_contains("FIN560  Tagesabschluss");
    assert!(g.message().contains("ist ausgeglichen"), "{}", g.message());
    g.fkey(10);
    assert!(
        g.message()
            .contains("nicht möglich – es fehlt die Rolle Kasse"),
        "{}",
        g.message()
    );
    assert!(!g.popup_open());

    let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
    ui.goto("FIN560");
    ui.assert_contains("15.12.2026");
    let z = zeile(&ui, "Zeitbuch");
    assert!(z.contains("1 Buchungen"), "{z}");
    let summe = zeile(&ui, "Summe");
    assert!(
        summe.contains("      2.500,00       2.500,00"),
        "Soll = Haben, right-aligned: {summe}"
    );
    zeile(&ui, "DE95440501990000001811");
    assert!(
        ui.message()
            .contains("Der Kassentag 15.12.2026 ist ausgeglichen; F10 schließt ihn ab."),
        "{}",
        ui.message()
    );
    // A shows the Zeitbuch with the Buchung.
    ui.key(KeyCode::Tab);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Zeitbuch: 1 Buchungen");
    ui.assert_contains("Kassenbestand DE95440501990000001811");
    ui.key(KeyCode::Enter);

    // F10 asks first; N closes nothing, J closes the day.
    ui.fkey(10);
    ui.assert_contains("mit 1 Buchungen abschließen?");
    ui.type_text("n");
    assert!(
        ui.message().contains("nicht abgeschlossen"),
        "{}",
        ui.message()
    );
    ui.fkey(10);
    ui.type_text("j");
    let msg = ui.message();
    assert!(
        msg.contains("Kassentag 15.12.2026 abgeschlossen (1 Buchungen, 2.500,00 €)."),
        "{msg}"
    );
    ui.fkey(10);
    assert!(!ui.popup_open());
    assert!(
        ui.message().contains("bereits abgeschlossen"),
        "{}",
        ui.message()
    );
});

kis::store_test!(fin560_unausgeglichener_tag_wird_verweigert, |db: &Db| {
    let clock = demo_env(db, d(2026, 12, 15));
    // Without a Sachkonto for the Stadtkasse's account the Kassenbestand
    // cannot be determined: the day does not balance.
    let admin = session(db, clock.clone(), "DEMO");
    let mut e = kis::finas::kasse::einstellung::lesen(&admin).unwrap();
    e.bankkonto = String::new();
    let actor = admin.actor();
    db.write(|sql| kis::finas::kasse::einstellung::setzen_in(sql, &actor, &e))
        .unwrap();

    let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
    ui.goto("FIN560");
    assert!(
        ui.message().contains("ist nicht ausgeglichen"),
        "{}",
        ui.message()
    );
    ui.fkey(10);
    assert!(
        !ui.popup_open(),
        "no question for a day that does not balance"
    );
    let msg = ui.message();
    assert!(msg.contains("nicht ausgeglichen und wird nicht"), "{msg}");
    let kasse = session(db, clock.clone(), "KASSE");
    assert!(
        !kis::finas::kasse::tagesabschluss::pruefen(&kasse, d(2026, 12, 15))
            .unwrap()
            .abgeschlossen
    );
});

kis::store_test!(fin550_mahnlauf_zeigt_druckt_versendet, |db: &Db| {
    let clock = demo_env(db, d(2026, 9, 1));
    let schuldner = firma(db, &clock, "Säumig Bau GmbH", "DE89370400440532013000");
    anordnung(
        db,
        &clock,
        AnordnungArt::Annahme,
        schuldner,
        d(2026, 9, 1),
        "1.234,56",
    );
    clock.set(d(2026, 10, 15).and_hms_opt(9, 0, 0).unwrap());
    let out = tempfile::tempdir().unwrap();

    let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
    ui.goto("FIN550");
    ui.assert_contains("FIN550  Mahnlauf");
    assert!(
        ui.message().contains("Noch keine Mahnläufe"),
        "{}",
        ui.message()
    );
    ui.assert_contains("15.10.2026");
    // Not for a day still to come: refused, no run.
    ui.clear_field();
    ui.type_text("16.10.2026");
    ui.fkey(10);
    assert!(!ui.popup_open());
    assert!(
        ui.message().contains("nicht für einen künftigen Tag"),
        "{}",
        ui.message()
    );
    assert!(
        kis::finas::mahnwesen::mahnlauf::liste(&session(db, clock.clone(), "KASSE"), 10)
            .unwrap()
            .is_empty()
    );
    ui.clear_field();
    ui.type_text("15.10.2026");
    ui.tabs(1);
    ui.clear_field();
    ui.type_text(&out.path().display().to_string());
    ui.fkey(10);
    let msg = ui.message();
    assert!(
        msg.contains("Mahnlauf 1 angelegt (Entwurf): 1 Mahnungen, 1 Posten"),
        "{msg}"
    );
    // The summary with the sums right-aligned.
    assert!(ui.popup_open());
    ui.assert_contains("Mahnlauf 1 zum 15.10.2026 (Entwurf)");
    ui.assert_contains("Rückstand               1.234,56 €");
    ui.assert_contains("Säumniszuschläge           24,00 €");
    ui.assert_contains("Mahngebühren               12,35 €");
    ui.key(KeyCode::Enter);
    let z = zeile(&ui, "Entwurf");
    assert!(z.contains("15.10.2026"), "{z}");

    // A shows the Mahnung: debtor, Stufe, item, Rückstand, SZ, fee.
    ui.tabs(1);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Säumig Bau GmbH");
    ui.assert_contains("1. Mahnung, zahlbar bis 22.10.2026, zusammen 1.270,91 €");
    ui.assert_contains("Rückstand 1.234,56 €, Säumniszuschläge 24,00 €, Mahngebühr 12,35 €");
    let posten = zeile(&ui, "01.09.2026");
    assert!(posten.contains("2026 "), "Kassenzeichen: {posten}");
    assert!(
        posten.contains("    1      1.234,56             24,00       2"),
        "{posten}"
    );
    ui.key(KeyCode::Enter);

    // D writes the letters into the directory.
    ui.type_text("D");
    ui.key(KeyCode::Enter);
    let datei = out.path().join("mahnlauf-1.txt");
    assert!(ui.message().contains("mahnlauf-1.txt"), "{}", ui.message());
    let brief = std::fs::read_to_string(&datei).unwrap();
    assert!(brief.contains("1. Mahnung vom 15.10.2026"), "{brief}");

    // S asks; N keeps the draft. V asks; J sends and posts.
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.assert_contains("wirklich stornieren");
    ui.type_text("n");
    assert!(ui.message().contains("nicht storniert"), "{}", ui.message());
    ui.type_text("V");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Mahnlauf 1 versenden?");
    ui.type_text("j");
    let msg = ui.message();
    assert!(
        msg.contains("Mahnlauf 1 versandt; Gebühren und Säumniszuschläge: Buchung "),
        "{msg}"
    );
    zeile(&ui, "versandt");
    // A sent run is not cancelled.
    ui.type_text("S");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    assert!(
        ui.message().contains("kann nicht storniert werden"),
        "{}",
        ui.message()
    );
    zeile(&ui, "versandt");
});

kis::store_test!(fin550_ohne_kassenrolle_verweigert, |db: &Db| {
    let clock = demo_env(db, d(2026, 9, 1));
    let schuldner = firma(db, &clock, "Säumig Bau GmbH", "DE89370400440532013000");
    anordnung(
        db,
        &clock,
        AnordnungArt::Annahme,
        schuldner,
        d(2026, 9, 1),
        "1.234,56",
    );
    clock.set(d(2026, 10, 15).and_hms_opt(9, 0, 0).unwrap());
    let kasse = session(db, clock.clone(), "KASSE");
    kis::finas::mahnwesen::mahnlauf::ausfuehren(&kasse, d(2026, 10, 15)).unwrap();

    let mut ui = UiHarness::logged_in(db, &clock, "GAST", "gast");
    ui.goto("FIN550");
    zeile(&ui, "Entwurf");
    assert!(!ui.screen().contains("F10=Speichern"), "{}", ui.screen());
    ui.fkey(10);
    assert!(
        ui.message()
            .contains("nicht möglich – es fehlt die Rolle Kasse"),
        "{}",
        ui.message()
    );
    // Reading the Mahnungen is allowed, sending is not.
    ui.tabs(2);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Säumig Bau GmbH");
    ui.key(KeyCode::Enter);
    ui.type_text("V");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    assert!(
        ui.message().contains("Benutzer GAST fehlt die Rolle Kasse"),
        "{}",
        ui.message()
    );
    zeile(&ui, "Entwurf");
});

kis::store_test!(fin551_mahnsperre_setzen_und_aufheben, |db: &Db| {
    let clock = demo_env(db, d(2026, 9, 1));
    let schuldner = firma(db, &clock, "Widerspruch OHG", "DE89370400440532013000");
    anordnung(
        db,
        &clock,
        AnordnungArt::Annahme,
        schuldner,
        d(2026, 9, 1),
        "500,00",
    );
    let anderer = firma(db, &clock, "Andere KG", "DE02120300000000202051");
    let fremd = anordnung(
        db,
        &clock,
        AnordnungArt::Annahme,
        anderer,
        d(2026, 9, 1),
        "80,00",
    );

    let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
    ui.goto("FIN551");
    ui.assert_contains("FIN551  Mahnsperre");
    assert!(
        ui.message().contains("Keine Mahnsperren"),
        "{}",
        ui.message()
    );
    ui.type_text(&schuldner.to_string());
    ui.tabs(1);
    // Another debtor's Anordnung is refused in its field.
    ui.type_text(&fremd.to_string());
    ui.tabs(1);
    ui.type_text("31.12.2026");
    ui.tabs(1);
    ui.type_text("Widerspruch eingelegt");
    ui.fkey(10);
    let msg = ui.message();
    assert!(msg.contains("gehört nicht zu Geschäftspartner"), "{msg}");
    ui.key(KeyCode::Home);
    ui.send(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    ui.fkey(10);
    let msg = ui.message();
    assert!(
        msg.contains(&format!(
            "Mahnsperre 1 für Geschäftspartner {schuldner} gesetzt (bis 31.12.2026)."
        )),
        "{msg}"
    );
    let z = zeile(&ui, "Widerspruch OHG");
    assert!(z.contains("alle Posten"), "{z}");
    assert!(z.contains("bis 31.12.2026"), "{z}");

    // The Mahnlauf leaves the blocked debtor out.
    clock.set(d(2026, 10, 15).and_hms_opt(9, 0, 0).unwrap());
    let kasse = session(db, clock.clone(), "KASSE");
    let e = kis::finas::mahnwesen::mahnlauf::ausfuehren(&kasse, d(2026, 10, 15)).unwrap();
    assert!(e.mahnungen.iter().all(|m| m.partner != schuldner));
    assert!(e.mahnungen.iter().any(|m| m.partner == anderer));

    // An end in the past is refused in its field (the form is empty again).
    ui.type_text(&schuldner.to_string());
    ui.tabs(2);
    ui.type_text("01.10.2026");
    ui.tabs(1);
    ui.type_text("Ratenzahlung");
    ui.fkey(10);
    assert!(
        ui.message().contains("in der Vergangenheit"),
        "{}",
        ui.message()
    );

    // A shows the Sperre; H lifts it after a question.
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Tab);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Grund: Widerspruch eingelegt");
    ui.assert_contains("alle Posten des Schuldners");
    ui.key(KeyCode::Enter);
    ui.type_text("H");
    ui.key(KeyCode::Enter);
    ui.assert_contains("aufheben?");
    ui.type_text("n");
    assert!(ui.message().contains("bleibt bestehen"), "{}", ui.message());
    ui.type_text("H");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    assert!(
        ui.message().contains("Mahnsperre 1 aufgehoben."),
        "{}",
        ui.message()
    );
    let z = zeile(&ui, "Widerspruch OHG");
    assert!(z.contains("aufgeh. 15.10.2026"), "{z}");
});

kis::store_test!(fin551_ohne_kassenrolle_verweigert, |db: &Db| {
    let clock = demo_env(db, d(2026, 9, 1));
    let schuldner = firma(db, &clock, "Widerspruch OHG", "DE89370400440532013000");
    let kasse = session(db, clock.clone(), "KASSE");
    kis::finas::mahnwesen::sperre::setzen(&kasse, schuldner, None, "Widerspruch", d(2026, 12, 31))
        .unwrap();

    let mut ui = UiHarness::logged_in(db, &clock, "GAST", "gast");
    ui.goto("FIN551");
    zeile(&ui, "Widerspruch OHG");
    assert!(!ui.screen().contains("F10=Speichern"), "{}", ui.screen());
    ui.type_text(&schuldner.to_string());
    ui.tabs(2);
    ui.type_text("31.12.2026");
    ui.tabs(1);
    ui.type_text("Insolvenz");
    ui.fkey(10);
    assert!(
        ui.message()
            .contains("nicht möglich – es fehlt die Rolle Kasse"),
        "{}",
        ui.message()
    );
    ui.key(KeyCode::Tab);
    ui.type_text("H");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    assert!(
        ui.message().contains("Benutzer GAST fehlt die Rolle Kasse"),
        "{}",
        ui.message()
    );
    let z = zeile(&ui, "Widerspruch OHG");
    assert!(z.contains("bis 31.12.2026"), "{z}");
});
