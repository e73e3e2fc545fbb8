//! Monthly evaluations of the active run on both stores: the
//! Lohnsteuer-Anmeldung adds up the results, the Personalkosten per
//! Produkt/Kostenstelle add up to the employer's cost, heads to the run.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::persos::{auswertung, lauf};
use kis::store::Db;
use kis::testing::{demo_env, session};

fn summe(db: &Db, spalte: &str) -> Money {
    Money::from_cents(
        db.read(|sql| {
            sql.query_one(
                &format!("SELECT CAST(SUM({spalte}) AS BIGINT) FROM persos_ergebnis WHERE monat = '2026-01'"),
                &[],
            )
        })
        .unwrap()
        .i64(0)
        .unwrap(),
    )
}

kis::store_test!(evaluations_add_up_the_run, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 2, 3).unwrap());
    let s = session(db, clock.clone(), "PERSONAL");
    let err = auswertung::dokument(&s, "2026-01", "L").unwrap_err();
    assert!(matches!(err, KisError::NotFound(_)), "{err}");
    let l = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();

    let a = auswertung::lohnsteuer_anmeldung(&s, "2026-01").unwrap();
    assert_eq!(a.lohnsteuer, summe(db, "lohnsteuer"));
    assert_eq!(a.soli, summe(db, "soli"));
    assert_eq!(
        a.kirchensteuer.values().copied().sum::<Money>(),
        summe(db, "kirchensteuer")
    );
    assert!(a.kirchensteuer.contains_key("ev") && a.kirchensteuer.contains_key("rk"));
    let minijobs = db
        .read(|sql| {
            sql.query_one(
                "SELECT COUNT(*) FROM persos_employee WHERE beschaeftigungsart = 'MINIJOB' AND eintritt <= '2026-01-31' \
                 AND (austritt IS NULL OR austritt >= '2026-01-01')",
                &[],
            )
        })
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(a.arbeitnehmer as i64, l.anzahl - minijobs);
    let text = auswertung::dokument(&s, "2026-01", "L").unwrap();
    for z in [
        "Kz 86",
        "Kz 42",
        "Kz 49",
        "Kz 61  Evangelische Kirchensteuer (ev)",
        "Kz 62  Römisch-katholische Kirchensteuer (rk)",
        "Kz 83",
        "Fällig am 10.02.2026",
        "Nordrhein-Westfalen",
    ] {
        assert!(text.contains(z), "{z} fehlt:\n{text}");
    }
    // Vordruck Lohnsteuer-Anmeldung 2026: Kz 47 is the pauschale
    // Kirchensteuer im vereinfachten Verfahren, not the evangelische.
    assert!(!text.contains("Kz 47 "), "{text}");
    let ev = a.kirchensteuer["ev"].format_de();
    assert!(
        text.lines()
            .any(|l| l.starts_with("Kz 61") && l.trim_end().ends_with(ev.as_str())),
        "{text}"
    );

    let kosten = auswertung::personalkosten(&s, "2026-01").unwrap();
    assert_eq!(
        kosten.iter().map(|k| k.betrag).sum::<Money>(),
        summe(db, "ag_kosten")
    );
    assert!(
        auswertung::dokument(&s, "2026-01", "K")
            .unwrap()
            .contains("PERSONALKOSTEN JE PRODUKT")
    );

    let stellen = auswertung::stellen(&s, "2026-01").unwrap();
    assert_eq!(
        stellen.iter().map(|z| z.koepfe).sum::<usize>() as i64,
        l.anzahl
    );
    assert_eq!(
        stellen.iter().map(|z| z.brutto).sum::<Money>(),
        l.summe_brutto
    );
    let mini = stellen.iter().find(|z| z.gruppe == "MINIJOB").unwrap();
    assert_eq!(mini.vollzeitaequivalente, None);
    assert!(
        stellen
            .iter()
            .any(|z| z.gruppe == "E 9a" && z.vollzeitaequivalente.is_some())
    );

    let falsch = auswertung::dokument(&s, "2026-01", "X").unwrap_err();
    assert_eq!(falsch.field_key(), Some("art"));
});

kis::store_test!(per320_shows_the_lohnsteuer_anmeldung, |db: &Db| {
    use crossterm::event::KeyCode;
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 2, 3).unwrap());
    let s = session(db, clock.clone(), "PERSONAL");
    lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let mut ui = kis::testing::ui::UiHarness::new(db, clock);
    ui.login("PERSONAL", "personal");
    ui.goto("PER320");
    ui.type_text("01.2026");
    ui.key(KeyCode::Tab);
    ui.type_text("L");
    ui.key(KeyCode::Enter);
    ui.assert_contains("LOHNSTEUER-ANMELDUNG 01.2026");
    ui.assert_contains("Kz 42");
});
