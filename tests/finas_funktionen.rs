//! FINAS functions a clerk reaches through mask and CLI, checked through
//! their services on both stores (role, refusal, audit entry): adopting a
//! plan version (its Ansätze are fixed afterwards), closing and reopening
//! periods, Storno of a Buchung, the Jahresabschluss of a demo year and the
//! Ermächtigungsübertragung; and the same through the `kis` binary.

#[path = "support/kis_cli.rs"]
mod kis_cli;

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::plan;
use kis::kernel::audit;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(j: i32, m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(j, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

/// The audit actions recorded for one record.
fn aktionen(db: &Db, entity: &str, key: &str) -> Vec<String> {
    db.read(|sql| audit::for_record(sql, "001", entity, key))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

kis::store_test!(
    planversion_beschliessen_macht_ansaetze_unveraenderlich,
    |db: &Db| {
        let clock = demo_env(db, d(2026, 11, 25));
        let buchhalter = session(db, clock.clone(), "BUCHHALTER");
        let kaemmerer = session(db, clock.clone(), "KAEMMERER");
        let v = plan::version_anlegen(&buchhalter, 2026, "").unwrap();
        let ansatz = |betrag: &str| plan::Ansatz {
            produkt: "01.01.01".into(),
            konto: "5431".into(),
            betrag: eur(betrag),
            plan: [eur("10.200,00"), eur("10.400,00"), eur("10.600,00")],
        };
        plan::ansatz_setzen(&buchhalter, 2026, v, &ansatz("12.000,00")).unwrap();
        assert_eq!(plan::entwurf(&buchhalter, 2026).unwrap().version, v);

        // Adopting needs the Anordnungsbefugnis; a date after today is refused.
        assert!(matches!(
            plan::beschliessen(&buchhalter, 2026, v, d(2026, 11, 20)),
            Err(KisError::Permission(_))
        ));
        let e = plan::beschliessen(&kaemmerer, 2026, v, d(2026, 11, 26)).unwrap_err();
        assert_eq!(e.field_key(), Some("beschluss"), "{e}");
        assert!(e.to_string().contains("liegt in der Zukunft"), "{e}");
        let e = plan::beschliessen(&kaemmerer, 2026, 99, d(2026, 11, 20)).unwrap_err();
        assert!(e.to_string().contains("nicht vorhanden"), "{e}");
        assert!(!aktionen(db, plan::ENTITY, &format!("2026/{v}")).contains(&"BESCHLOSSEN".into()));

        let beschlossen = plan::beschliessen(&kaemmerer, 2026, v, d(2026, 11, 20)).unwrap();
        assert!(beschlossen.beschlossen);
        assert_eq!(beschlossen.beschluss, Some(d(2026, 11, 20)));
        assert_eq!(beschlossen.bezeichnung, "1. Nachtrag 2026");
        assert_eq!(
            aktionen(db, plan::ENTITY, &format!("2026/{v}")),
            ["ANGELEGT", "BESCHLOSSEN"]
        );

        // After adoption the Ansätze of that version are refused, also removing one.
        let e = plan::ansatz_setzen(&buchhalter, 2026, v, &ansatz("13.000,00")).unwrap_err();
        assert!(matches!(e, KisError::Conflict(_)), "{e:?}");
        assert!(
            e.to_string().contains("bitte einen Nachtrag anlegen"),
            "{e}"
        );
        assert!(
            plan::ansatz_setzen(
                &kaemmerer,
                2026,
                v,
                &plan::Ansatz {
                    produkt: "01.01.01".into(),
                    konto: "5431".into(),
                    betrag: Money::zero(),
                    plan: [Money::zero(); 3],
                }
            )
            .is_err()
        );
        let a = plan::ansaetze(&buchhalter, 2026, v)
            .unwrap()
            .into_iter()
            .find(|a| a.produkt == "01.01.01" && a.konto == "5431")
            .unwrap();
        assert_eq!(a.betrag, eur("12.000,00"));
        // It is the plan in force; adopting it again is refused by name.
        assert_eq!(
            kis::finas::ueberwachung::position(&buchhalter, 2026, "01.01.01", "5431")
                .unwrap()
                .nachtrag,
            200_000
        );
        let e = plan::beschliessen(&kaemmerer, 2026, v, d(2026, 11, 20)).unwrap_err();
        assert!(e.to_string().contains("bereits beschlossen"), "{e}");
        assert!(plan::entwurf(&buchhalter, 2026).is_err());
    }
);

/// A demo store in a temporary directory for the binary, on 25.11.2026.
fn demo_cli() -> (tempfile::TempDir, kis_cli::KisCli) {
    let dir = tempfile::tempdir().unwrap();
    let cli = kis_cli::KisCli::in_dir(dir.path());
    let (ok, _, err) = cli.run(None, HEUTE, &["--neu", "demo", "load"]);
    assert!(ok, "{err}");
    (dir, cli)
}

const HEUTE: &str = "25.11.2026";

/// A session on the binary's store (same audit key file beside it).
fn sitzung(cli: &kis_cli::KisCli, user: &str) -> kis::kernel::session::Session {
    let db = Db::open(&cli.url).unwrap();
    let clock = std::sync::Arc::new(kis::core::clock::FixedClock::on(d(2026, 11, 25)));
    session(&db, clock, user)
}

#[test]
fn cli_plan_beschluss() {
    let (_dir, cli) = demo_cli();
    let s = sitzung(&cli, "BUCHHALTER");
    let v = plan::version_anlegen(&s, 2026, "").unwrap();
    let args = |datum: &'static str| {
        [
            "finas",
            "plan-beschluss",
            "--jahr",
            "2026",
            "--version",
            "2",
            "--datum",
            datum,
        ]
    };
    assert_eq!(v, 2);
    let (ok, _, err) = cli.run(Some("BUCHHALTER"), HEUTE, &args("20.11.2026"));
    assert!(!ok && err.contains("Keine Berechtigung"), "{err}");
    let (ok, _, err) = cli.run(Some("KAEMMERER"), HEUTE, &args("26.11.2026"));
    assert!(!ok && err.contains("liegt in der Zukunft"), "{err}");
    let (ok, _, err) = cli.run(Some("KAEMMERER"), HEUTE, &args("31.02.2026"));
    assert!(!ok, "{err}");
    let (ok, out, err) = cli.run(Some("KAEMMERER"), HEUTE, &args("20.11.2026"));
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        "Planversion 2 „1. Nachtrag 2026“ für 2026 am 20.11.2026 beschlossen; ihre Ansätze sind jetzt unveränderlich."
    );
    let (ok, _, err) = cli.run(Some("KAEMMERER"), HEUTE, &args("20.11.2026"));
    assert!(!ok && err.contains("bereits beschlossen"), "{err}");
    let e = plan::ansatz_setzen(
        &s,
        2026,
        2,
        &plan::Ansatz {
            produkt: "01.01.01".into(),
            konto: "5431".into(),
            betrag: eur("1,00"),
            plan: [Money::zero(); 3],
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("beschlossen"), "{e}");
}

fn papier(datum: NaiveDate, beleg: &str) -> kis::finas::journal::BuchungInput {
    use kis::finas::journal::{BuchungInput, ZeileInput};
    BuchungInput {
        datum,
        periode: None,
        beleg: beleg.into(),
        text: "Büropapier".into(),
        zeilen: vec![
            ZeileInput::soll("5431", Some("01.01.02"), eur("40,00")),
            ZeileInput::haben("3511", None, eur("40,00")),
        ],
    }
}

kis::store_test!(perioden_schliessen_und_oeffnen, |db: &Db| {
    use kis::finas::{journal, stamm};
    let clock = demo_env(db, d(2026, 11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let gast = session(db, clock.clone(), "GAST");
    let p = stamm::perioden(&gast, 2026).unwrap();
    assert_eq!(p.len(), 17);
    assert!(p.iter().all(|p| p.offen));
    assert_eq!(
        (p[0].bezeichnung(), p[3].bezeichnung(), p[16].bezeichnung()),
        ("Eröffnung".into(), "März".into(), "Abschluss 16".into())
    );
    assert!(stamm::perioden(&gast, 2031).is_err());

    assert!(matches!(
        stamm::periode_setzen(&buchhalter, 2026, 10, false),
        Err(KisError::Permission(_))
    ));
    stamm::periode_setzen(&kaemmerer, 2026, 10, false).unwrap();
    assert!(!stamm::perioden(&gast, 2026).unwrap()[10].offen);
    assert_eq!(aktionen(db, "fin_periode", "2026/10"), ["GESCHLOSSEN"]);
    let e = stamm::periode_setzen(&kaemmerer, 2026, 10, false).unwrap_err();
    assert!(
        e.to_string()
            .contains("Periode 2026-10 ist bereits geschlossen."),
        "{e}"
    );
    assert!(stamm::periode_setzen(&kaemmerer, 2026, 17, false).is_err());

    // A posting into the closed period is refused by the service; November is open.
    let e = journal::buchen(&buchhalter, &papier(d(2026, 10, 30), "P-1")).unwrap_err();
    assert!(
        matches!(e, KisError::Conflict(ref m) if m.contains("Periode 2026-10 ist abgeschlossen")),
        "{e}"
    );
    journal::buchen(&buchhalter, &papier(d(2026, 11, 2), "P-2")).unwrap();

    // Reopened, it takes the posting.
    stamm::periode_setzen(&kaemmerer, 2026, 10, true).unwrap();
    assert_eq!(
        aktionen(db, "fin_periode", "2026/10"),
        ["GESCHLOSSEN", "GEOEFFNET"]
    );
    journal::buchen(&buchhalter, &papier(d(2026, 10, 30), "P-1")).unwrap();
    // A closed year's periods stay closed.
    let e = stamm::periode_setzen(&kaemmerer, 2024, 5, true).unwrap_err();
    assert!(e.to_string().contains("ist geschlossen"), "{e}");
});

#[test]
fn cli_periode() {
    let (_dir, cli) = demo_cli();
    let (ok, out, err) = cli.run(Some("GAST"), HEUTE, &["finas", "periode", "--jahr", "2026"]);
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 17);
    assert!(out.contains("2026-03 März           offen"), "{out}");
    let schliessen = [
        "finas",
        "periode",
        "--jahr",
        "2026",
        "--periode",
        "3",
        "--schliessen",
    ];
    let (ok, _, err) = cli.run(Some("BUCHHALTER"), HEUTE, &schliessen);
    assert!(!ok && err.contains("Keine Berechtigung"), "{err}");
    let (ok, out, err) = cli.run(Some("KAEMMERER"), HEUTE, &schliessen);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "Periode 2026-03 geschlossen.");
    let (ok, _, err) = cli.run(Some("KAEMMERER"), HEUTE, &schliessen);
    assert!(!ok && err.contains("bereits geschlossen"), "{err}");
    let (_, out, _) = cli.run(Some("GAST"), HEUTE, &["finas", "periode", "--jahr", "2026"]);
    assert!(out.contains("2026-03 März           geschlossen"), "{out}");
    let e =
        kis::finas::journal::buchen(&sitzung(&cli, "BUCHHALTER"), &papier(d(2026, 3, 31), "P-3"))
            .unwrap_err();
    assert!(
        e.to_string().contains("Periode 2026-03 ist abgeschlossen"),
        "{e}"
    );
    // Both or no action, or an action without a period, are refused by the parser.
    let (ok, _, _) = cli.run(
        Some("KAEMMERER"),
        HEUTE,
        &[
            "finas",
            "periode",
            "--jahr",
            "2026",
            "--periode",
            "3",
            "--schliessen",
            "--oeffnen",
        ],
    );
    assert!(!ok);
    let (ok, _, _) = cli.run(
        Some("KAEMMERER"),
        HEUTE,
        &["finas", "periode", "--jahr", "2026", "--periode", "3"],
    );
    assert!(!ok);
    let (ok, out, err) = cli.run(
        Some("KAEMMERER"),
        HEUTE,
        &[
            "finas",
            "periode",
            "--jahr",
            "2026",
            "--periode",
            "3",
            "--oeffnen",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "Periode 2026-03 geöffnet.");
}

kis::store_test!(storno_einer_buchung, |db: &Db| {
    use kis::finas::{journal, ueberwachung};
    let clock = demo_env(db, d(2026, 11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let gast = session(db, clock.clone(), "GAST");
    let vorher = ueberwachung::position(&gast, 2026, "01.01.02", "5431").unwrap();
    let nr = journal::buchen(&buchhalter, &papier(d(2026, 11, 2), "P-1"))
        .unwrap()
        .nr;
    assert_eq!(
        ueberwachung::position(&gast, 2026, "01.01.02", "5431")
            .unwrap()
            .anordnungssoll,
        vorher.anordnungssoll + 4_000
    );

    assert!(matches!(
        journal::stornieren(&gast, nr, d(2026, 11, 25), "doppelt"),
        Err(KisError::Permission(_))
    ));
    let e = journal::stornieren(&buchhalter, nr, d(2026, 11, 25), "  ").unwrap_err();
    assert_eq!(e.field_key(), Some("grund"), "{e}");
    let e = journal::stornieren(&buchhalter, nr, d(2026, 11, 1), "doppelt").unwrap_err();
    assert_eq!(e.field_key(), Some("datum"), "{e}");
    assert!(journal::lesen(&gast, nr).unwrap().storniert_durch.is_none());

    let storno = journal::stornieren(&buchhalter, nr, d(2026, 11, 25), "doppelt erfasst").unwrap();
    let s = journal::lesen(&gast, storno).unwrap();
    assert_eq!(s.storno_von, Some(nr));
    assert_eq!(s.text, format!("Storno zu Nr. {nr}: doppelt erfasst"));
    assert_eq!(s.datum, d(2026, 11, 25));
    assert_eq!(s.zeilen[0].haben, eur("40,00"));
    assert_eq!(
        journal::lesen(&gast, nr).unwrap().storniert_durch,
        Some(storno)
    );
    assert_eq!(
        aktionen(db, journal::ENTITY, &storno.to_string()),
        ["STORNIERT"]
    );
    // The expense has left the position again.
    assert_eq!(
        ueberwachung::position(&gast, 2026, "01.01.02", "5431").unwrap(),
        vorher
    );

    // Neither the Storno nor the cancelled posting is cancelled again.
    let e = journal::stornieren(&buchhalter, storno, d(2026, 11, 25), "zurück").unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "Buchung {storno} ist selbst ein Storno (zu Buchung {nr}) und kann nicht storniert werden."
        )
    );
    let e = journal::stornieren(&buchhalter, nr, d(2026, 11, 25), "nochmal").unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("Buchung {nr} ist bereits durch Buchung {storno} storniert.")
    );
    assert!(journal::stornieren(&buchhalter, 9_999_999, d(2026, 11, 25), "x").is_err());
});

#[test]
fn cli_storno() {
    let (_dir, cli) = demo_cli();
    let nr =
        kis::finas::journal::buchen(&sitzung(&cli, "BUCHHALTER"), &papier(d(2026, 11, 2), "P-1"))
            .unwrap()
            .nr
            .to_string();
    let args = |nr: &str, grund: &'static str| {
        vec![
            "finas".to_string(),
            "storno".into(),
            "--buchung".into(),
            nr.to_string(),
            "--datum".into(),
            "25.11.2026".into(),
            "--grund".into(),
            grund.into(),
        ]
    };
    let run = |user: &str, a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        cli.run(Some(user), HEUTE, &a)
    };
    let (ok, _, err) = run("GAST", args(&nr, "doppelt erfasst"));
    assert!(!ok && err.contains("Keine Berechtigung"), "{err}");
    let (ok, _, err) = run("BUCHHALTER", args(&nr, ""));
    assert!(!ok && err.contains("Grund des Stornos"), "{err}");
    let (ok, out, err) = run("BUCHHALTER", args(&nr, "doppelt erfasst"));
    assert!(ok, "{err}");
    let storno: i64 = nr.parse::<i64>().unwrap() + 1;
    assert_eq!(
        out.trim(),
        format!("Buchung {nr} storniert durch Buchung {storno} vom 25.11.2026.")
    );
    let (ok, _, err) = run("BUCHHALTER", args(&storno.to_string(), "zurück"));
    assert!(!ok && err.contains("ist selbst ein Storno"), "{err}");
    let (ok, _, err) = run("BUCHHALTER", args(&nr, "nochmal"));
    assert!(
        !ok && err.contains(&format!("bereits durch Buchung {storno} storniert")),
        "{err}"
    );
}

kis::store_test!(jahresabschluss_eines_demojahres, |db: &Db| {
    use kis::finas::{abschluss, rechnung, stamm};
    let clock = demo_env(db, d(2026, 12, 31));
    let demo = session(db, clock.clone(), "DEMO");
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    kis::demo::postings(&demo, 2026, 300).unwrap();
    let vorher = rechnung::bilanz(&buchhalter, 2026).unwrap();
    let summe = |b: &[rechnung::BilanzPosition], seite| rechnung::bilanzsumme(b, seite).1;
    assert_eq!(summe(&vorher, 'A'), summe(&vorher, 'P'));
    assert!(summe(&vorher, 'A') > 0);

    assert!(matches!(
        abschluss::jahresabschluss(&buchhalter, 2026),
        Err(KisError::Permission(_))
    ));
    // 2027 is still being planned: it cannot be opened yet, nothing is posted.
    let e = abschluss::jahresabschluss(&kaemmerer, 2026).unwrap_err();
    assert!(e.to_string().contains("2027"), "{e}");
    assert_eq!(
        rechnung::bilanz(&buchhalter, 2027)
            .unwrap()
            .iter()
            .map(|p| p.eroeffnung)
            .sum::<i64>(),
        0
    );
    stamm::jahr_status_setzen(&kaemmerer, 2027, stamm::JahrStatus::Vorlaeufig).unwrap();

    let a = abschluss::jahresabschluss(&kaemmerer, 2026).unwrap();
    assert!(a.vorgetragen > 0);
    assert_eq!(a.bilanzsumme, summe(&vorher, 'A'));
    let text = a.text(2026);
    assert!(text.contains("Jahresergebnis: "), "{text}");
    assert!(
        text.contains(&format!(
            "Ergebnisvortrag: mit der Eröffnungsbilanz 2027 (Buchung {})",
            a.eroeffnung
        )),
        "{text}"
    );
    assert_eq!(
        aktionen(db, "fin_haushaltsjahr", "2026").last().unwrap(),
        "JAHRESABSCHLUSS"
    );
    assert_eq!(
        db.read(|sql| stamm::jahr_status_in(sql, "001", 2026))
            .unwrap(),
        stamm::JahrStatus::Jahresabschluss
    );

    // The Bilanz keeps Aktiva = Passiva and its figures; 2027 opens with 2026's closing balances.
    let nachher = rechnung::bilanz(&buchhalter, 2026).unwrap();
    assert_eq!(nachher, vorher);
    assert_eq!(summe(&nachher, 'A'), summe(&nachher, 'P'));
    let eroeffnung = rechnung::bilanz(&buchhalter, 2027).unwrap();
    assert_eq!(eroeffnung.len(), nachher.len());
    for (alt, neu) in nachher.iter().zip(&eroeffnung) {
        assert_eq!(
            (alt.position.as_str(), alt.schluss),
            (neu.position.as_str(), neu.eroeffnung),
            "{}",
            alt.bezeichnung
        );
    }
    let (eb, soll, haben, _) =
        rechnung::summen(&rechnung::saldenliste(&buchhalter, 2027, None).unwrap());
    assert_eq!((eb, soll), (0, haben));
    assert!(
        abschluss::jahresabschluss(&kaemmerer, 2026).is_err(),
        "nur einmal"
    );
});

#[test]
fn cli_jahresabschluss() {
    let (_dir, cli) = demo_cli();
    let args = ["finas", "jahresabschluss", "--jahr", "2026"];
    let (ok, _, err) = cli.run(Some("BUCHHALTER"), HEUTE, &args);
    assert!(!ok && err.contains("Keine Berechtigung"), "{err}");
    kis::finas::journal::buchen(&sitzung(&cli, "BUCHHALTER"), &papier(d(2026, 11, 2), "P-1"))
        .unwrap();
    kis::finas::stamm::jahr_status_setzen(
        &sitzung(&cli, "KAEMMERER"),
        2027,
        kis::finas::stamm::JahrStatus::Vorlaeufig,
    )
    .unwrap();
    let (ok, out, err) = cli.run(Some("KAEMMERER"), HEUTE, &args);
    assert!(ok, "{err}");
    assert!(out.starts_with("Jahresabschluss 2026\n"), "{out}");
    for teil in [
        "Abschluss der Ergebniskonten (Periode 16): Buchung ",
        "Jahresergebnis: Jahresfehlbetrag 40,00 €, gebucht auf Konto ",
        "(Eigenkapital P.1.4)",
        "Ergebnisvortrag: mit der Eröffnungsbilanz 2027",
        "Vorgetragene Salden: ",
    ] {
        assert!(out.contains(teil), "{teil} fehlt: {out}");
    }
    let (ok, _, err) = cli.run(Some("KAEMMERER"), HEUTE, &args);
    assert!(!ok && err.contains("bereits eröffnet"), "{err}");
}

kis::store_test!(ermaechtigungsuebertragung_ins_folgejahr, |db: &Db| {
    use kis::finas::ueberwachung;
    let clock = demo_env(db, d(2026, 11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let rest = ueberwachung::position(&buchhalter, 2025, "03.02.01", "7851")
        .unwrap()
        .verfuegbar();
    assert!(rest > 50_000_000);
    let vorher = ueberwachung::position(&buchhalter, 2026, "03.02.01", "7851").unwrap();
    assert!(matches!(
        ueberwachung::uebertragen(
            &buchhalter,
            2026,
            "03.02.01",
            "7851",
            eur("1,00"),
            "Bauverzug"
        ),
        Err(KisError::Permission(_))
    ));
    let e = ueberwachung::uebertragen(&kaemmerer, 2026, "03.02.01", "7851", eur("1,00"), " ")
        .unwrap_err();
    assert_eq!(e.field_key(), Some("grund"));
    let e = ueberwachung::uebertragen(&kaemmerer, 2024, "03.02.01", "7851", eur("1,00"), "x")
        .unwrap_err();
    assert!(
        e.to_string().contains("Haushaltsjahr 2024 ist geschlossen"),
        "{e}"
    );

    ueberwachung::uebertragen(
        &kaemmerer,
        2026,
        "03.02.01",
        "7851",
        eur("500.000,00"),
        "Bauverzug",
    )
    .unwrap();
    let nachher = ueberwachung::position(&buchhalter, 2026, "03.02.01", "7851").unwrap();
    assert_eq!(nachher.uebertragung, vorher.uebertragung + 50_000_000);
    assert_eq!(nachher.verfuegbar(), vorher.verfuegbar() + 50_000_000);
    assert_eq!(
        aktionen(db, ueberwachung::ENTITY, "2026/03.02.01/7851"),
        ["UEBERTRAGEN"]
    );
    // What is transferred is counted: at most the rest of the rest.
    let e = ueberwachung::uebertragen(
        &kaemmerer,
        2026,
        "03.02.01",
        "7851",
        Money::from_cents(rest - 50_000_000 + 1),
        "Bauverzug",
    )
    .unwrap_err();
    assert_eq!(e.field_key(), Some("betrag"));
    assert!(
        e.to_string().contains(&format!(
            "höchstens {} €",
            Money::from_cents(rest - 50_000_000).format_de()
        )),
        "{e}"
    );
});

#[test]
fn cli_uebertragung() {
    let (_dir, cli) = demo_cli();
    let args = |betrag: &'static str| {
        [
            "finas",
            "uebertragung",
            "--jahr",
            "2026",
            "--produkt",
            "03.02.01",
            "--konto",
            "7851",
            "--betrag",
            betrag,
            "--grund",
            "Bauverzug",
        ]
    };
    let (ok, _, err) = cli.run(Some("BUCHHALTER"), HEUTE, &args("500.000,00"));
    assert!(!ok && err.contains("Keine Berechtigung"), "{err}");
    let (ok, _, err) = cli.run(Some("KAEMMERER"), HEUTE, &args("9.999.999.999,00"));
    assert!(!ok && err.contains("Übertragbar sind höchstens"), "{err}");
    let (ok, _, err) = cli.run(Some("KAEMMERER"), HEUTE, &args("fünf"));
    assert!(!ok, "{err}");
    let (ok, out, err) = cli.run(Some("KAEMMERER"), HEUTE, &args("500.000,00"));
    assert!(ok, "{err}");
    assert!(
        out.starts_with("Übertragung Nr. ")
            && out.contains(": 500.000,00 € für 03.02.01/7851 von 2025 nach 2026 übertragen; verfügbar 2026 jetzt "),
        "{out}"
    );
}
