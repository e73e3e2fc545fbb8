//! The Mahnwesen's decisions driven by keys on both stores: FIN552
//! Stundung grants after a question and shows the decision, shows and
//! revokes; FIN553 Niederschlagung/Erlass decides and revives; FIN554
//! Vollstreckungsübergabe writes its CSV. Each refuses a user without the
//! role.

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::core::clock::FixedClock;
use kis::core::money::Money;
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, PartnerArt, PartnerInput,
};
use kis::finas::kasse::{anordnung, partner};
use kis::finas::mahnwesen::stundung::{self, StundungInput};
use kis::store::Db;
use kis::testing::ui::UiHarness;
use kis::testing::{demo_env, session};

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

fn heute(clock: &FixedClock, tag: NaiveDate) {
    clock.set(tag.and_hms_opt(9, 0, 0).unwrap());
}

/// A released Forderung of `betrag` due on `faellig` against a new firm;
/// returns the Anordnung's number.
fn forderung(
    db: &Db,
    clock: &Arc<FixedClock>,
    name: &str,
    faellig: NaiveDate,
    betrag: &str,
) -> i64 {
    let kasse = session(db, clock.clone(), "KASSE");
    let p = partner::anlegen(
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
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let a = anordnung::erfassen(
        &buchhalter,
        &AnordnungInput {
            reservierung: None,
            art: AnordnungArt::Annahme,
            partner: p,
            produkt: "01.01.01".into(),
            konto: "4311".into(),
            kostenstelle: None,
            gegenkonto: None,
            text: "Gebühr".into(),
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

/// Type the Stundung of `nr` in two instalments (the cursor in Anordnung).
fn stundung_tippen(ui: &mut UiHarness, nr: i64, rate2: &str) {
    ui.type_text(&nr.to_string());
    ui.tabs(2);
    ui.type_text("Erhebliche Härte, Antrag vom 28.08.2026");
    ui.tabs(2);
    ui.type_text("01.10.2026");
    ui.tabs(1);
    ui.type_text("600,00");
    ui.tabs(1);
    ui.type_text("01.12.2026");
    ui.tabs(1);
    ui.type_text(rate2);
}

kis::store_test!(fin552_stundung_gewaehrt_zeigt_und_widerruft, |db: &Db| {
    let clock = demo_env(db, d(9, 1));
    let nr = forderung(db, &clock, "Härtefall GmbH", d(9, 1), "1.200,00");

    let mut ui = UiHarness::logged_in(db, &clock, "KAEMMERER", "kaemmerer");
    ui.goto("FIN552");
    ui.assert_contains("FIN552  Stundung");
    ui.assert_contains("F10=Speichern");
    assert!(
        ui.message().contains("Keine Stundungen"),
        "{}",
        ui.message()
    );

    // Instalments that do not cover the open amount are refused after the
    // question, in the first instalment, and nothing is recorded.
    stundung_tippen(&mut ui, nr, "500,00");
    ui.fkey(10);
    ui.assert_contains("in 2 Rate(n) über 1.100,00 € gewähren");
    ui.type_text("j");
    let msg = ui.message();
    assert!(
        msg.contains("Die Raten ergeben 1.100,00 €, offen sind 1.200,00 €"),
        "{msg}"
    );
    assert!(!ui.popup_open());
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    assert!(stundung::liste(&kaemmerer, Some(nr)).unwrap().is_empty());

    // N keeps the input; J grants and shows the decision text.
    ui.tabs(3);
    ui.clear_field();
    ui.type_text("600,00");
    ui.fkey(10);
    ui.assert_contains("in 2 Rate(n) über 1.200,00 € gewähren");
    ui.type_text("n");
    assert!(ui.message().contains("nicht gewährt"), "{}", ui.message());
    assert!(stundung::liste(&kaemmerer, Some(nr)).unwrap().is_empty());
    ui.fkey(10);
    ui.type_text("j");
    let msg = ui.message();
    assert!(
        msg.contains("Stundung 1 gewährt: 2 Rate(n), 1.200,00 €, Zinsen 12,00 €."),
        "{msg}"
    );
    assert!(ui.popup_open());
    ui.assert_contains("Stundungszinsen (§ 234 AO");
    ui.assert_contains("01.12.2026");
    ui.key(KeyCode::Enter);
    assert!(!ui.popup_open());
    // The list shows it in force, amounts right-aligned.
    let z = zeile(&ui, "in Kraft");
    assert!(
        z.contains(&format!(
            "1 {nr:>9} 01.09.2026     2      1.200,00     12,00"
        )),
        "{z}"
    );

    // W without a reason is refused in the field Grund.
    ui.tabs(12);
    ui.type_text("W");
    ui.key(KeyCode::Enter);
    assert!(
        ui.message().contains("Grund des Widerrufs"),
        "{}",
        ui.message()
    );
    // A shows the Stundung; W with a reason revokes it after a question.
    ui.type_text("Raten nicht eingehalten");
    ui.tabs(10);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Stundung 1 zu Kassenzeichen");
    ui.key(KeyCode::Enter);
    ui.type_text("W");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Stundung 1 zu Anordnung 1 widerrufen?");
    ui.type_text("n");
    assert!(ui.message().contains("bleibt in Kraft"), "{}", ui.message());
    ui.type_text("W");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    let msg = ui.message();
    assert!(
        msg.contains("Stundung 1 widerrufen; der offene Rest ist heute fällig."),
        "{msg}"
    );
    zeile(&ui, "widerrufen");
    let s = stundung::lesen(&kaemmerer, 1).unwrap();
    assert_eq!(s.beendet_grund.as_deref(), Some("Raten nicht eingehalten"));
});

kis::store_test!(fin552_ohne_anordnungsbefugnis_verweigert, |db: &Db| {
    let clock = demo_env(db, d(9, 1));
    let nr = forderung(db, &clock, "Härtefall GmbH", d(9, 1), "1.200,00");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    stundung::gewaehren(
        &kaemmerer,
        &StundungInput {
            anordnung: nr,
            beginn: None,
            raten: vec![Faelligkeit {
                faellig: d(12, 1),
                betrag: Money::parse_de("1.200,00").unwrap(),
            }],
            grund: "Härte".into(),
            zinsfrei_grund: Some("Sanierung".into()),
        },
    )
    .unwrap();
    heute(&clock, d(9, 2));

    // The Kasse lists the Stundungen but neither grants nor revokes.
    let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
    ui.goto("FIN552");
    zeile(&ui, "in Kraft");
    assert!(!ui.screen().contains("F10=Speichern"), "{}", ui.screen());
    stundung_tippen(&mut ui, nr, "600,00");
    ui.fkey(10);
    assert!(
        ui.message()
            .contains("nicht möglich – es fehlt die Rolle Anordnungsbefugnis"),
        "{}",
        ui.message()
    );
    assert!(!ui.popup_open());
    ui.tabs(5);
    ui.type_text("W");
    ui.key(KeyCode::Enter);
    let msg = ui.message();
    assert!(msg.contains("Benutzer KASSE fehlt die Rolle"), "{msg}");
    zeile(&ui, "in Kraft");
    assert_eq!(stundung::liste(&kaemmerer, None).unwrap().len(), 1);
});

kis::store_test!(
    fin553_niederschlagung_erlass_und_wiederaufnahme,
    |db: &Db| {
        let clock = demo_env(db, d(9, 1));
        let a1 = forderung(db, &clock, "Insolvenz AG", d(9, 1), "500,00");
        let a2 = forderung(db, &clock, "Härte KG", d(9, 1), "300,00");

        let mut ui = UiHarness::logged_in(db, &clock, "KAEMMERER", "kaemmerer");
        ui.goto("FIN553");
        ui.assert_contains("FIN553  Niederschlagung/Erlass");
        assert!(
            ui.message()
                .contains("Keine Niederschlagungen oder Erlasse"),
            "{}",
            ui.message()
        );
        // A befristete Niederschlagung ending today is refused in its field.
        ui.type_text(&a1.to_string());
        ui.tabs(1);
        ui.type_text("B");
        ui.tabs(1);
        ui.type_text("01.09.2026");
        ui.tabs(3);
        ui.type_text("Insolvenzverfahren eröffnet");
        ui.fkey(10);
        ui.assert_contains("Anordnung 1 befristet bis 01.09.2026");
        ui.type_text("j");
        assert!(
            ui.message().contains("endet nach dem heutigen Tag"),
            "{}",
            ui.message()
        );
        ui.clear_field();
        ui.type_text("31.12.2026");
        ui.fkey(10);
        ui.type_text("n");
        assert!(
            ui.message().contains("Nicht entschieden"),
            "{}",
            ui.message()
        );
        ui.fkey(10);
        ui.type_text("j");
        let msg = ui.message();
        assert!(
            msg.contains(&format!(
                "Niederschlagung 1: Anordnung {a1} bis 31.12.2026 niedergeschlagen."
            )),
            "{msg}"
        );

        // A wrong Art is refused in its field, before any question.
        ui.type_text(&a2.to_string());
        ui.tabs(1);
        ui.type_text("X");
        ui.fkey(10);
        assert!(!ui.popup_open());
        assert!(
            ui.message().contains("Art: B = befristet"),
            "{}",
            ui.message()
        );
        // Teilerlass of Fälligkeit 1.
        ui.clear_field();
        ui.type_text("E");
        ui.tabs(2);
        ui.type_text("1");
        ui.tabs(1);
        ui.type_text("100,00");
        ui.tabs(1);
        ui.type_text("Sachliche Unbilligkeit");
        ui.fkey(10);
        ui.assert_contains("Anordnung 2: Fälligkeit 1 über 100,00 €");
        ui.type_text("j");
        let msg = ui.message();
        assert!(
            msg.contains(&format!(
                "Anordnung {a2}: 100,00 € erlassen (1 Fälligkeit(en))."
            )),
            "{msg}"
        );
        let z = zeile(&ui, "Niederschl. bef.");
        assert!(
            z.contains(&format!("   1 {a1:>9}        500,00 bis 31.12.2026")),
            "{z}"
        );
        let z = zeile(&ui, "100,00 Fälligkeit 1");
        assert!(z.contains(" Erlass "), "{z}");
        assert!(z.contains(&format!("   1 {a2:>9}        100,00")), "{z}");

        // W revives the Niederschlagung with the reason from the field Grund;
        // an Erlass is not revived; A shows it.
        ui.tabs(5);
        ui.type_text("Zahlung angekündigt");
        ui.tabs(1);
        ui.key(KeyCode::Down);
        ui.type_text("W");
        ui.key(KeyCode::Enter);
        assert!(
            ui.message().contains("nicht wieder aufgenommen"),
            "{}",
            ui.message()
        );
        ui.type_text("A");
        ui.key(KeyCode::Enter);
        ui.assert_contains("Erlass 1 (§ 227 AO)");
        ui.assert_contains("Erlassen: 100,00 €");
        ui.key(KeyCode::Enter);
        ui.key(KeyCode::Up);
        ui.type_text("W");
        ui.key(KeyCode::Enter);
        ui.assert_contains(&format!("Niederschlagung 1 zu Anordnung {a1}"));
        ui.assert_contains("wieder eingezogen");
        ui.type_text("j");
        assert!(
            ui.message().contains("Niederschlagung 1 aufgehoben."),
            "{}",
            ui.message()
        );
        let z = zeile(&ui, "Niederschl. bef.");
        assert!(z.contains("aufgeh. 01.09.2026"), "{z}");
        let kasse = session(db, clock.clone(), "KASSE");
        let (n, e) = kis::finas::mahnwesen::niederschlagung::entscheidungen(&kasse, None).unwrap();
        assert_eq!(n[0].wieder_grund.as_deref(), Some("Zahlung angekündigt"));
        assert_eq!(e.len(), 1);
    }
);

kis::store_test!(fin553_ohne_anordnungsbefugnis_verweigert, |db: &Db| {
    let clock = demo_env(db, d(9, 1));
    let a1 = forderung(db, &clock, "Insolvenz AG", d(9, 1), "500,00");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    kis::finas::mahnwesen::niederschlagung::niederschlagen(&kaemmerer, a1, None, "Firma gelöscht")
        .unwrap();

    let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
    ui.goto("FIN553");
    zeile(&ui, "Niederschl. unb.");
    assert!(!ui.screen().contains("F10=Speichern"), "{}", ui.screen());
    ui.type_text(&a1.to_string());
    ui.tabs(1);
    ui.type_text("E");
    ui.tabs(4);
    ui.type_text("Unbilligkeit");
    ui.fkey(10);
    assert!(
        ui.message()
            .contains("nicht möglich – es fehlt die Rolle Anordnungsbefugnis"),
        "{}",
        ui.message()
    );
    ui.tabs(1);
    ui.type_text("W");
    ui.key(KeyCode::Enter);
    let msg = ui.message();
    assert!(msg.contains("Benutzer KASSE fehlt die Rolle"), "{msg}");
    let z = zeile(&ui, "Niederschl. unb.");
    assert!(z.contains("unbefristet"), "{z}");
});

/// Two Mahnstufen (the demo's), each sent; after the second deadline
/// (06.10.) the Forderung is vollstreckungsreif.
fn bis_zur_letzten_mahnstufe(db: &Db, clock: &Arc<FixedClock>) {
    let kasse = session(db, clock.clone(), "KASSE");
    for tag in [d(9, 15), d(9, 29)] {
        heute(clock, tag);
        let e = kis::finas::mahnwesen::mahnlauf::ausfuehren(&kasse, tag).unwrap();
        kis::finas::mahnwesen::mahnlauf::versenden(&kasse, e.nr).unwrap();
    }
    heute(clock, d(10, 7));
}

kis::store_test!(
    fin554_vollstreckung_schreibt_die_uebergabedatei,
    |db: &Db| {
        let clock = demo_env(db, d(9, 1));
        forderung(db, &clock, "Säumig GmbH", d(9, 1), "750,00");
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("vollstreckung");

        // Nothing reif yet: refused after the question, no file written.
        let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
        ui.goto("FIN554");
        ui.assert_contains("FIN554  Vollstreckungsübergabe");
        assert!(
            ui.message().contains("Noch keine Übergaben"),
            "{}",
            ui.message()
        );
        ui.clear_field();
        ui.type_text(&dir.display().to_string());
        ui.fkey(10);
        ui.assert_contains("Vollstreckungsreife an die");
        ui.type_text("j");
        assert!(
            ui.message().contains("nichts vollstreckungsreif"),
            "{}",
            ui.message()
        );
        assert!(!dir.exists());

        bis_zur_letzten_mahnstufe(db, &clock);
        let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
        ui.goto("FIN554");
        ui.clear_field();
        ui.type_text(&dir.display().to_string());
        ui.fkey(10);
        ui.type_text("n");
        assert!(
            ui.message().contains("Nichts übergeben."),
            "{}",
            ui.message()
        );
        assert!(!dir.exists());
        ui.fkey(10);
        ui.type_text("j");
        let msg = ui.message();
        assert!(msg.contains("Übergabe 1: 1 Kassenzeichen"), "{msg}");
        assert!(msg.contains("Datei vollstreckung-1.csv."), "{msg}");
        assert!(ui.popup_open());
        ui.assert_contains("Säumig GmbH");
        ui.assert_contains("Geschäftspartner");
        let csv = std::fs::read_to_string(dir.join("vollstreckung-1.csv")).unwrap();
        let mut zeilen = csv.lines();
        assert_eq!(
            zeilen.next(),
            Some(kis::finas::mahnwesen::vollstreckung::KOPF)
        );
        let fall = zeilen.next().unwrap();
        assert!(
            fall.contains(";Säumig GmbH;Hafenstraße 9;59999;Musterstadt;Geschäftspartner;750,00;"),
            "{fall}"
        );
        assert_eq!(zeilen.next(), None);
        // Only the named file stays in the directory.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        ui.key(KeyCode::Enter);
        let z = zeile(&ui, "vollstreckung-1.csv");
        assert!(z.contains("07.10.2026"), "{z}");
        assert!(z.contains(" KASSE "), "{z}");

        // A shows the handover; a second one finds nothing left.
        ui.key(KeyCode::Tab);
        ui.type_text("A");
        ui.key(KeyCode::Enter);
        ui.assert_contains("übergeben am 07.10.2026 von KASSE");
        ui.key(KeyCode::Enter);
        ui.key(KeyCode::Tab);
        ui.fkey(10);
        ui.type_text("j");
        assert!(
            ui.message().contains("nichts vollstreckungsreif"),
            "{}",
            ui.message()
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }
);

kis::store_test!(fin554_ohne_kassenrolle_verweigert, |db: &Db| {
    let clock = demo_env(db, d(9, 1));
    forderung(db, &clock, "Säumig GmbH", d(9, 1), "750,00");
    bis_zur_letzten_mahnstufe(db, &clock);
    let out = tempfile::tempdir().unwrap();

    let mut ui = UiHarness::logged_in(db, &clock, "GAST", "gast");
    ui.goto("FIN554");
    assert!(!ui.screen().contains("F10=Speichern"), "{}", ui.screen());
    ui.clear_field();
    ui.type_text(&out.path().display().to_string());
    ui.fkey(10);
    assert!(
        ui.message()
            .contains("nicht möglich – es fehlt die Rolle Kasse"),
        "{}",
        ui.message()
    );
    assert!(!ui.popup_open());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    let kasse = session(db, clock.clone(), "KASSE");
    assert!(
        kis::finas::mahnwesen::vollstreckung::liste(&kasse)
            .unwrap()
            .is_empty()
    );
});
