//! PERSOS payroll run and master data on both stores: acceptance scenario 7
//! (a month runs once; reversed, it runs again; a crash leaves nothing),
//! roles, version checks, cumulative figures.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::params;
use kis::persos::{lauf, stamm};
use kis::store::Db;
use kis::testing::{demo_env, session};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 28).unwrap()
}

fn count(db: &Db, sql_text: &str) -> i64 {
    db.read(|sql| sql.query_one(sql_text, &[]))
        .unwrap()
        .i64(0)
        .unwrap()
}

kis::store_test!(szenario7_run_once_reverse_crash, |db: &Db| {
    let clock = demo_env(db, day());
    let s = session(db, clock.clone(), "PERSONAL");
    let aktive = stamm::search(&s, "").unwrap().len();
    assert!(aktive >= 140, "demo has about 150 employees");

    // A crash in the middle (the progress callback fails after 20 employees)
    // leaves neither results nor a run.
    let err = lauf::starte(&s, "2026-01", &mut |done, _| {
        if done == 20 {
            Err(KisError::System("Absturz simuliert".into()))
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    assert!(err.to_string().contains("Absturz"), "{err}");
    assert_eq!(count(db, "SELECT COUNT(*) FROM persos_ergebnis"), 0);
    assert_eq!(count(db, "SELECT COUNT(*) FROM persos_lauf"), 0);

    // Restart: runs through.
    let mut calls = 0;
    let l = lauf::starte(&s, "2026-01", &mut |_, _| {
        calls += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(l.lauf_nr, 1);
    assert_eq!(calls as i64, l.anzahl);
    assert_eq!(count(db, "SELECT COUNT(*) FROM persos_ergebnis"), l.anzahl);
    // Employees who left before January or enter later are not in the run.
    assert!(l.anzahl < aktive as i64 + 1);

    // Twice: refused.
    let again = lauf::starte(&s, "01.2026", &mut |_, _| Ok(())).unwrap_err();
    assert!(matches!(again, KisError::Conflict(_)), "{again}");

    // The stored figures are the computation's: the scenario-2 employee 01001.
    let (f, a) = lauf::ergebnis(&s, "2026-01", "01001").unwrap();
    assert_eq!(f.eg, "9a");
    assert_eq!(a.gesamtbrutto, Money::new("3986.06".parse().unwrap()));
    assert_eq!(a.lohnsteuer, Money::new("521.08".parse().unwrap()));
    assert_eq!(a.netto, Money::new("2598.01".parse().unwrap()));

    // Sum of the results = the run's totals.
    let sum = db
        .read(|sql| {
            sql.query_one(
                "SELECT CAST(SUM(brutto) AS BIGINT) FROM persos_ergebnis WHERE lauf_nr = 1",
                &[],
            )
        })
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(sum, l.summe_brutto.cents());

    // February builds on January: January cannot be reversed before February.
    lauf::starte(&s, "2026-02", &mut |_, _| Ok(())).unwrap();
    let blocked = lauf::storniere(&s, "2026-01").unwrap_err();
    assert!(matches!(blocked, KisError::Conflict(_)), "{blocked}");
    lauf::storniere(&s, "2026-02").unwrap();
    let st = lauf::storniere(&s, "2026-01").unwrap();
    assert_eq!(st.status, "STORNIERT");

    // Reversed: the month runs again as run 2; the reversed results stay.
    let l2 = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    assert_eq!(l2.lauf_nr, 2);
    assert_eq!(l2.summe_brutto, l.summe_brutto);
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM persos_lauf WHERE status = 'STORNIERT'"
        ),
        3 - 1
    );
    let audit = count(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'persos_lauf'",
    );
    assert_eq!(audit, 5);
});

kis::store_test!(roles_and_versions, |db: &Db| {
    let clock = demo_env(db, day());
    let leser = session(db, clock.clone(), "MEIER");
    let err = lauf::starte(&leser, "2026-01", &mut |_, _| Ok(())).unwrap_err();
    assert!(matches!(err, KisError::Permission(_)), "{err}");
    assert!(matches!(
        stamm::get(&leser, "01001").unwrap_err(),
        KisError::Permission(_)
    ));

    let s = session(db, clock.clone(), "PERSONAL");
    let mut e = stamm::get(&s, "01001").unwrap();
    let stale = e.clone();
    e.stufe = 4;
    assert_eq!(stamm::update(&s, &e).unwrap(), 2);
    // Saving the old version again is refused.
    assert!(stamm::update(&s, &stale).is_err());
    // Bad Versicherungsnummer → field error.
    let mut bad = stamm::get(&s, "01001").unwrap();
    bad.rv_nummer = "15150695S075".into();
    match stamm::update(&s, &bad).unwrap_err() {
        KisError::Validation { field, .. } => assert_eq!(field.as_deref(), Some("rv_nummer")),
        other => panic!("{other:?}"),
    }
    let hits = stamm::search(&s, "schmi").unwrap();
    assert!(hits.iter().any(|h| h.personalnummer == "01001"));
    let n = db
        .read(|sql| {
            sql.query_one(
                "SELECT COUNT(*) FROM audit_log WHERE entity = ? AND record_key = ?",
                &params!["persos_employee", "01001"],
            )
        })
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(n, 2, "created + changed");
});

kis::store_test!(documents_after_run, |db: &Db| {
    use kis::persos::bescheinigung;
    let clock = demo_env(db, day());
    let s = session(db, clock.clone(), "PERSONAL");
    assert!(
        bescheinigung::lohnjournal(&s, "2026-01").is_err(),
        "no run yet"
    );
    let l = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let (zeilen, summe) = bescheinigung::lohnjournal(&s, "2026-01").unwrap();
    assert_eq!(zeilen.len() as i64, l.anzahl);
    assert_eq!(summe.brutto, l.summe_brutto);
    assert_eq!(summe.auszahlung, l.summe_auszahlung);
    let csv = bescheinigung::lohnjournal_csv(&zeilen, &summe);
    assert_eq!(csv.lines().count(), zeilen.len() + 2);
    assert!(csv.contains("01001;Schmidt, Sebastian;3986,06;3986,06;521,08;0,00;0,00;866,97;843,05;2598,01;2598,01"), "{csv}");
    let doc = bescheinigung::entgeltbescheinigung(&s, "2026-01", "01001").unwrap();
    for needle in [
        "Betriebsnummer 59999001",
        "Versicherungsnummer 15150695S074",
        "Steuerklasse I",
        "Beitragsgruppe 1111",
        "Personengruppe 101",
        "Zusatzbeitrag 2,90 %",
        "SV-Tage 30",
        "Eintritt 01.04.2020",
        "AUSZAHLUNGSBETRAG",
    ] {
        assert!(doc.contains(needle), "{needle} fehlt:\n{doc}");
    }
    let lesen = session(db, clock.clone(), "GAST");
    assert!(bescheinigung::entgeltbescheinigung(&lesen, "2026-01", "01001").is_err());
});

kis::store_test!(months_after_the_known_pay_table_are_refused, |db: &Db| {
    // November 2026 (with its Jahressonderzahlung) needs the TVöD table from
    // 01.05.2026, which is not entered yet: the run refuses with a clear
    // message and stores nothing, rather than paying from the old table.
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    let s = session(db, clock.clone(), "PERSONAL");
    let err = lauf::starte(&s, "2026-11", &mut |_, _| Ok(())).unwrap_err();
    assert!(
        err.to_string()
            .contains("keine TVöD-VKA-Entgelttabelle erfasst"),
        "{err}"
    );
    assert!(lauf::laeufe(&s).unwrap().is_empty());
    // April 2026 is still covered.
    let l = lauf::starte(&s, "2026-04", &mut |_, _| Ok(())).unwrap();
    assert!(l.anzahl > 100);
});
