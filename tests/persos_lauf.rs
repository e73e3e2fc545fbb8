//! PERSOS payroll run and master data on both stores: acceptance scenario 7
//! (a month runs once; reversed, it runs again; a crash leaves nothing),
//! roles, version checks, cumulative figures.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::params;
use kis::persos::{lauf, stamm, tarif};
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

/// The demo table from 01.05.2026 with E 9a Stufe 3 set to `betrag_9a_3`.
fn tabelle_2026_05(betrag_9a_3: &str) -> tarif::Eingelesen {
    let mut t = kis::persos::demo::tarifdateien().unwrap().remove(1);
    t.quelle = "Korrektur der Tabelle ab 01.05.2026".into();
    let zeile = t.entgelt.iter_mut().find(|z| z.eg == "9a").unwrap();
    zeile.stufen[2] = Some(Money::parse_de(betrag_9a_3).unwrap());
    t
}

kis::store_test!(pay_tables_from_the_store_and_their_import, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    let s = session(db, clock.clone(), "PERSONAL");
    // The demo holds the tables from 01.04.2025 and 01.05.2026 and the JSZ.
    let bloecke = tarif::bloecke(&s).unwrap();
    assert_eq!(bloecke.len(), 4, "{bloecke:?}");
    assert!(
        bloecke[0].quelle.contains("Tarifeinigung"),
        "{:?}",
        bloecke[0]
    );

    // April is paid from the old table, May from the raised one.
    lauf::starte(&s, "2026-04", &mut |_, _| Ok(())).unwrap();
    lauf::starte(&s, "2026-05", &mut |_, _| Ok(())).unwrap();
    let (_, april) = lauf::ergebnis(&s, "2026-04", "01001").unwrap();
    let (_, mai) = lauf::ergebnis(&s, "2026-05", "01001").unwrap();
    assert_eq!(april.grundentgelt, Money::new("3986.06".parse().unwrap()));
    assert_eq!(mai.grundentgelt, Money::new("4097.67".parse().unwrap()));

    // A correction of the May table while May is paid: refused, nothing changes.
    let entgelt_zeilen = || count(db, "SELECT COUNT(*) FROM persos_tarif_entgelt");
    let vorher = entgelt_zeilen();
    let err = tarif::einspielen(&s, &tabelle_2026_05("4100,00"), false).unwrap_err();
    assert!(matches!(err, KisError::Conflict(_)), "{err}");
    assert!(
        err.to_string().contains("der Monat 05/2026 ist bereits"),
        "{err}"
    );
    assert_eq!(entgelt_zeilen(), vorher);
    // A check run (probe) says the same and writes nothing either.
    assert!(tarif::einspielen(&s, &tabelle_2026_05("4100,00"), true).is_err());

    // Reverse May, import the correction (it replaces the block), pay again.
    lauf::storniere(&s, "2026-05").unwrap();
    let probe = tarif::einspielen(&s, &tabelle_2026_05("4100,00"), true).unwrap();
    assert!(probe[0].ersetzt);
    assert_eq!(entgelt_zeilen(), vorher, "a probe writes nothing");
    // A correction must hold the whole table: one row alone is refused.
    let teil = tarif::lies(
        "# Nur E 9a\ngueltig_ab;eg;s1;s2;s3;s4;s5;s6\n2026-05-01;9a;3658,61;3877,94;4100,00;4586,77;4697,43;4979,97\n",
        None,
    )
    .unwrap();
    let err = tarif::einspielen(&s, &teil, false).unwrap_err();
    assert!(
        err.to_string()
            .contains("es fehlen E 15Ü (5 eingruppiert), E 15 (3 eingruppiert)"),
        "{err}"
    );
    assert!(
        err.to_string().contains("ersetzt den ganzen Stand"),
        "{err}"
    );
    assert_eq!(entgelt_zeilen(), vorher);
    let done = tarif::einspielen(&s, &tabelle_2026_05("4100,00"), false).unwrap();
    assert_eq!((done[0].zeilen, done[0].ersetzt), (18, true));
    let t = tarif::tabellen(&s).unwrap();
    let mai_1 = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
    assert_eq!(
        t.tabellenentgelt("9a", 3, mai_1).unwrap(),
        "4100.00".parse().unwrap()
    );
    let audit_rows = count(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'persos_tarif' AND action = 'ERSETZT'",
    );
    assert_eq!(audit_rows, 1);
    lauf::starte(&s, "2026-05", &mut |_, _| Ok(())).unwrap();
    let (_, mai) = lauf::ergebnis(&s, "2026-05", "01001").unwrap();
    assert_eq!(mai.grundentgelt, Money::new("4100.00".parse().unwrap()));

    // November: the Jahressonderzahlung of the Kommunen is 85 % from 2026;
    // without July–September results the current pay is its base.
    lauf::starte(&s, "2026-11", &mut |_, _| Ok(())).unwrap();
    let (f, _) = lauf::ergebnis(&s, "2026-11", "01001").unwrap();
    assert_eq!(
        f.jahressonderzahlung,
        Money::new("3485.00".parse().unwrap())
    );

    // Reading users may look, not import.
    let gast = session(db, clock.clone(), "GAST");
    assert!(tarif::einspielen(&gast, &tabelle_2026_05("4200,00"), false).is_err());
});

kis::store_test!(
    a_store_without_pay_tables_says_what_is_missing,
    |db: &Db| {
        let clock = demo_env(db, day());
        let s = session(db, clock.clone(), "PERSONAL");
        db.write(|sql| {
            sql.execute("DELETE FROM persos_tarif_entgelt", &[])?;
            sql.execute("DELETE FROM persos_tarif_block WHERE art = 'ENTGELT'", &[])
        })
        .unwrap();
        let err = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap_err();
        assert!(
            err.to_string()
                .contains("Keine TVöD-Entgelttabelle für den 01.01.2026 erfasst"),
            "{err}"
        );
        assert_eq!(count(db, "SELECT COUNT(*) FROM persos_ergebnis"), 0);
    }
);

kis::store_test!(
    insolvenzgeldumlage_only_for_employers_that_owe_it,
    |db: &Db| {
        let clock = demo_env(db, day());
        let s = session(db, clock.clone(), "PERSONAL");
        // The demo Gemeinde owes no U3.
        lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
        let (_, a) = lauf::ergebnis(&s, "2026-01", "01001").unwrap();
        assert_eq!(a.sv.u3, Money::zero());
        // Kept as a municipal company: 0,15 % of 3.986,06 = 5,98 on top.
        lauf::storniere(&s, "2026-01").unwrap();
        db.write(|sql| sql.execute("UPDATE persos_arbeitgeber SET u3_pflicht = 1", &[]))
            .unwrap();
        lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
        let (_, b) = lauf::ergebnis(&s, "2026-01", "01001").unwrap();
        assert_eq!(b.sv.u3, Money::new("5.98".parse().unwrap()));
        assert_eq!(b.ag_kosten, a.ag_kosten + b.sv.u3);
        let doc = kis::persos::bescheinigung::entgeltbescheinigung(&s, "2026-01", "01001").unwrap();
        assert!(doc.contains("Insolvenzgeldumlage U3"), "{doc}");
    }
);

kis::store_test!(
    employee_linked_to_the_register_follows_its_address,
    |db: &Db| {
        let clock = demo_env(db, day());
        let s = session(db, clock.clone(), "PERSONAL");
        // A resident of Musterstadt with a current Hauptwohnung.
        let r = db
        .read(|sql| {
            sql.query_one(
                "SELECT p.id, p.familienname, p.geburtsdatum, COALESCE(p.idnr, ''), w.id FROM ewo_person p \
                 JOIN ewo_wohnung w ON w.mandant = p.mandant AND w.person_id = p.id AND w.art = 'H' AND w.auszug IS NULL \
                 WHERE p.mandant = '001' AND p.status = 'aktiv' AND w.strasse IS NOT NULL ORDER BY p.id LIMIT 1",
                &[],
            )
        })
        .unwrap();
        let (id, name, geboren, idnr, wohnung) = (
            r.i64(0).unwrap(),
            r.str(1).unwrap(),
            r.date(2).unwrap(),
            r.str(3).unwrap(),
            r.i64(4).unwrap(),
        );
        let mut e = stamm::get(&s, "01001").unwrap();
        e.personalnummer = "09001".into();
        e.name = name.clone();
        e.geburtsdatum = geboren;
        if !idnr.is_empty() {
            e.steuer_idnr = idnr.clone();
        }
        e.strasse = "Irgendwo 1".into();
        e.ewos_person = Some(id);

        // Not the same person: refused without saying who the OM belongs to.
        let mut falsch = e.clone();
        falsch.geburtsdatum = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
        if !idnr.is_empty() {
            falsch.steuer_idnr = "86095742719".into();
        }
        let err = stamm::create(&s, &falsch).unwrap_err();
        assert_eq!(err.field_key(), Some("ewos_om"), "{err}");
        assert!(
            err.to_string()
                .contains("Keine passende Person im Melderegister"),
            "{err}"
        );
        assert!(!err.to_string().contains(&name), "{err}");

        // The same person: the address is the register's.
        stamm::create(&s, &e).unwrap();
        let gespeichert = stamm::get(&s, "09001").unwrap();
        assert_ne!(gespeichert.strasse, "Irgendwo 1");
        assert_eq!(gespeichert.ewos_person, Some(id));
        let register = db
        .read(|sql| {
            sql.query_one(
                "SELECT s.name, s.plz FROM ewo_wohnung w JOIN street s ON s.mandant = w.mandant AND s.schluessel = w.strasse \
                 WHERE w.mandant = '001' AND w.id = ?",
                &params![wohnung],
            )
        })
        .unwrap();
        assert!(
            gespeichert.strasse.starts_with(&register.str(0).unwrap()),
            "{gespeichert:?}"
        );
        assert_eq!(gespeichert.plz, register.str(1).unwrap());

        // The register changes (the house number here): the employee follows.
        db.write(|sql| {
            sql.execute(
            "UPDATE ewo_wohnung SET hausnummer = 99, zusatz = 'b' WHERE mandant = '001' AND id = ?",
            &params![wohnung],
        )
        })
        .unwrap();
        assert!(stamm::get(&s, "09001").unwrap().strasse.ends_with(" 99b"));
        // Moved away: the address the Personalamt entered applies again
        // (issue 11: PERSOS never stores an address from the register, so a
        // later Sperre cannot leave a protected address behind in PERSOS).
        db.write(|sql| {
            sql.execute(
                "UPDATE ewo_person SET status = 'weggezogen' WHERE mandant = '001' AND id = ?",
                &params![id],
            )
        })
        .unwrap();
        assert_eq!(stamm::get(&s, "09001").unwrap().strasse, "Irgendwo 1");
    }
);

kis::store_test!(zvk_umlage_is_sv_pay_in_the_run_svev_1, |db: &Db| {
    // Demo employee 01007 (E 9a/4, ZVK member, Umlage 4,25 %) in the run of
    // January 2026: the SV pay includes the Hinzurechnungsbetrag of § 1
    // Abs. 1 Satz 3–4 SvEV (2,5 % of 4.540,99 = 113,52 less 13,30 = 100,22),
    // as in the unit test of `persos::abrechnung`.
    let clock = demo_env(db, day());
    let s = session(db, clock.clone(), "PERSONAL");
    lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let (f, a) = lauf::ergebnis(&s, "2026-01", "01007").unwrap();
    assert_eq!(f.zvk_satz, Some("4.25".parse().unwrap()));
    let m = |s: &str| Money::new(s.parse().unwrap());
    assert_eq!(a.gesamtbrutto, m("4540.99"));
    assert_eq!(
        (a.zvk_umlage, a.zvk_hinzurechnung),
        (m("192.99"), m("100.22"))
    );
    assert_eq!(
        (a.sv_brutto, a.sv.bemessung_kv),
        (m("4641.21"), m("4641.21"))
    );
    assert_eq!(
        (a.sv.kv_an, a.sv.rv_an, a.sv.av_an, a.sv.pv_an),
        (m("401.23"), m("431.63"), m("60.34"), m("111.39"))
    );
    let text = kis::persos::bescheinigung::entgeltbescheinigung(&s, "2026-01", "01007").unwrap();
    assert!(text.contains("darin ZVK-Umlage"), "{text}");
    // An employee without ZVK membership has no Hinzurechnung.
    let (_, b) = lauf::ergebnis(&s, "2026-01", "01001").unwrap();
    assert_eq!(
        (b.zvk_umlage, b.zvk_hinzurechnung),
        (Money::zero(), Money::zero())
    );
    assert_eq!(b.sv_brutto, b.gesamtbrutto);
});
