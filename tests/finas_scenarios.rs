//! FINAS acceptance scenarios 1–4 (spec FINAS.md) and the journal's
//! database rules, on SQLite and PostgreSQL.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::journal::{self, BuchungInput, ZeileInput};
use kis::finas::plan::{self, Plan};
use kis::finas::ueberwachung::{self, Pruefergebnis};
use kis::finas::{ledger, rechnung, stamm};
use kis::params;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

fn buchung(datum: NaiveDate, beleg: &str, zeilen: Vec<ZeileInput>) -> BuchungInput {
    BuchungInput {
        datum,
        periode: None,
        beleg: beleg.into(),
        text: format!("Test {beleg}"),
        zeilen,
    }
}

// Scenario 1: Ansatz 10.000 € (01.01.01/5431); reservation 9.500 € warns;
// a further Anordnung of 600 € is refused; with an überplanmäßige approval of
// 1.000 € it passes and the approval shows in the position's history.
kis::store_test!(szenario_1_haushaltsueberwachung, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let pos = ueberwachung::position(&buchhalter, 2026, "01.01.01", "5431").unwrap();
    assert_eq!(pos.ansatz, 1_000_000);
    assert_eq!(pos.verfuegbar(), 1_000_000);

    let (_, erg) = ueberwachung::reservieren(
        &buchhalter,
        2026,
        "01.01.01",
        "5431",
        eur("9.500,00"),
        "Büromaterial Rahmenvertrag",
    )
    .unwrap();
    assert!(matches!(erg, Pruefergebnis::Warnung { .. }), "{erg:?}");
    assert_eq!(
        ueberwachung::position(&buchhalter, 2026, "01.01.01", "5431")
            .unwrap()
            .verfuegbar(),
        50_000
    );

    let erg = ueberwachung::pruefen(&buchhalter, 2026, "01.01.01", "5431", eur("600,00")).unwrap();
    assert!(erg.abgelehnt(), "{erg:?}");
    let anordnung = buchung(
        d(11, 25),
        "R-2026-600",
        vec![
            ZeileInput::soll("5431", Some("01.01.01"), eur("600,00")),
            ZeileInput::haben("3511", None, eur("600,00")),
        ],
    );
    let e = journal::buchen(&buchhalter, &anordnung).unwrap_err();
    assert!(
        matches!(e, KisError::Conflict(ref m) if m.contains("abgelehnt")),
        "{e}"
    );

    // Only the Anordnungsbefugnis may approve.
    assert!(matches!(
        ueberwachung::genehmigen(
            &buchhalter,
            2026,
            "01.01.01",
            "5431",
            eur("1.000,00"),
            "ÜPL-2026-07",
            d(11, 24),
            "Mehrbedarf Sitzungsdienst"
        ),
        Err(KisError::Permission(_))
    ));
    ueberwachung::genehmigen(
        &kaemmerer,
        2026,
        "01.01.01",
        "5431",
        eur("1.000,00"),
        "ÜPL-2026-07",
        d(11, 24),
        "Mehrbedarf Sitzungsdienst",
    )
    .unwrap();
    let erg = ueberwachung::pruefen(&buchhalter, 2026, "01.01.01", "5431", eur("600,00")).unwrap();
    assert!(!erg.abgelehnt(), "{erg:?}");
    let gebucht = journal::buchen(&buchhalter, &anordnung).unwrap();
    let pos = ueberwachung::position(&buchhalter, 2026, "01.01.01", "5431").unwrap();
    assert_eq!(
        (
            pos.genehmigt,
            pos.obligo,
            pos.anordnungssoll,
            pos.verfuegbar()
        ),
        (100_000, 950_000, 60_000, 90_000)
    );

    let verlauf = ueberwachung::verlauf(&buchhalter, 2026, "01.01.01", "5431").unwrap();
    let g = verlauf
        .iter()
        .find(|e| e.art == "Genehmigung überplanmäßig")
        .expect("Genehmigung im Verlauf");
    assert!(
        g.text.contains("ÜPL-2026-07") && g.text.contains("24.11.2026"),
        "{}",
        g.text
    );
    assert_eq!(g.betrag, eur("1.000,00"));
    assert!(
        verlauf
            .iter()
            .any(|e| e.art == "Buchung" && e.text.contains(&format!("Nr. {}", gebucht.nr)))
    );
    assert!(verlauf.iter().any(|e| e.art == "Reservierung"));
});

// Scenario 2: Soll 100,00 / Haben 99,99 is refused by the service and
// cannot be stored by direct inserts either.
kis::store_test!(szenario_2_unausgeglichen, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let s = session(db, clock.clone(), "BUCHHALTER");
    let e = journal::buchen(
        &s,
        &buchung(
            d(11, 2),
            "X-1",
            vec![
                ZeileInput::soll("5431", Some("01.01.02"), eur("100,00")),
                ZeileInput::haben("3511", None, eur("99,99")),
            ],
        ),
    )
    .unwrap_err();
    assert_eq!(e.field_key(), Some("zeilen"), "{e}");

    let header = |soll: i64, haben: i64, zeilen: i64| {
        params![
            "001",
            900_001i64,
            2026i64,
            11i64,
            "2026-11-02",
            "X-2",
            "direkt",
            "TEST",
            "2026-11-02T10:00:00",
            zeilen,
            soll,
            haben
        ]
    };
    const H: &str = "INSERT INTO fin_buchung (mandant, nr, jahr, periode, datum, beleg, text, erfasst_von, erfasst_am, zeilen, soll_summe, haben_summe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    const Z: &str = "INSERT INTO fin_buchungszeile (mandant, buchung, lfd, lfd_vor, zeilen, summe, jahr, konto, produkt, soll, haben, soll_vor, haben_vor, soll_kum, haben_kum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    // (a) an unbalanced header.
    assert!(
        db.write(|sql| sql.execute(H, &header(10_000, 9_999, 2)))
            .is_err()
    );
    // (b) a balanced header whose lines do not add up: the chain ends at 100,00/99,99.
    let r = db.write(|sql| {
        sql.execute(H, &header(10_000, 10_000, 2))?;
        sql.execute(
            Z,
            &params![
                "001",
                900_001i64,
                1i64,
                None::<i64>,
                2i64,
                10_000i64,
                2026i64,
                "5431",
                "01.01.02",
                10_000i64,
                0i64,
                0i64,
                0i64,
                10_000i64,
                0i64
            ],
        )?;
        sql.execute(
            Z,
            &params![
                "001",
                900_001i64,
                2i64,
                1i64,
                2i64,
                10_000i64,
                2026i64,
                "3511",
                None::<&str>,
                0i64,
                9_999i64,
                10_000i64,
                0i64,
                10_000i64,
                9_999i64
            ],
        )
    });
    assert!(
        r.is_err(),
        "unausgeglichene Zeilen dürfen nicht gespeichert werden"
    );
    // (c) lines that claim wrong running totals are refused by the CHECK.
    let r = db.write(|sql| {
        sql.execute(H, &header(10_000, 10_000, 2))?;
        sql.execute(
            Z,
            &params![
                "001",
                900_001i64,
                1i64,
                None::<i64>,
                2i64,
                10_000i64,
                2026i64,
                "5431",
                "01.01.02",
                10_000i64,
                0i64,
                0i64,
                0i64,
                10_000i64,
                0i64
            ],
        )?;
        sql.execute(
            Z,
            &params![
                "001",
                900_001i64,
                2i64,
                1i64,
                2i64,
                10_000i64,
                2026i64,
                "3511",
                None::<&str>,
                0i64,
                9_999i64,
                10_000i64,
                0i64,
                10_000i64,
                10_000i64
            ],
        )
    });
    assert!(r.is_err());
    // (d) a missing last line (header says 3 lines, 2 given) is refused at commit.
    let r = db.write(|sql| {
        sql.execute(H, &header(10_000, 10_000, 3))?;
        sql.execute(
            Z,
            &params![
                "001",
                900_001i64,
                1i64,
                None::<i64>,
                3i64,
                10_000i64,
                2026i64,
                "5431",
                "01.01.02",
                10_000i64,
                0i64,
                0i64,
                0i64,
                10_000i64,
                0i64
            ],
        )?;
        sql.execute(
            Z,
            &params![
                "001",
                900_001i64,
                2i64,
                1i64,
                3i64,
                10_000i64,
                2026i64,
                "3511",
                None::<&str>,
                0i64,
                9_999i64,
                10_000i64,
                0i64,
                10_000i64,
                9_999i64
            ],
        )
    });
    assert!(r.is_err());
    // The same direct inserts, balanced, are accepted: the rules are not just refusing everything.
    db.write(|sql| {
        sql.execute(H, &header(10_000, 10_000, 2))?;
        sql.execute(
            Z,
            &params![
                "001",
                900_001i64,
                1i64,
                None::<i64>,
                2i64,
                10_000i64,
                2026i64,
                "5431",
                "01.01.02",
                10_000i64,
                0i64,
                0i64,
                0i64,
                10_000i64,
                0i64
            ],
        )?;
        sql.execute(
            Z,
            &params![
                "001",
                900_001i64,
                2i64,
                1i64,
                2i64,
                10_000i64,
                2026i64,
                "3511",
                None::<&str>,
                0i64,
                10_000i64,
                10_000i64,
                0i64,
                10_000i64,
                10_000i64
            ],
        )
    })
    .unwrap();
    // A later extra line on the stored Buchung breaks the chain's end and is refused.
    let r = db.write(|sql| {
        sql.execute(
            Z,
            &params![
                "001",
                900_001i64,
                3i64,
                2i64,
                2i64,
                10_000i64,
                2026i64,
                "3511",
                None::<&str>,
                0i64,
                1i64,
                10_000i64,
                10_000i64,
                10_000i64,
                10_001i64
            ],
        )
    });
    assert!(r.is_err());
    // Changing a stored amount is refused as well.
    assert!(db.write(|sql| sql.execute("UPDATE fin_buchungszeile SET haben = 9999, haben_kum = 9999 WHERE mandant = '001' AND buchung = 900001 AND lfd = 2", &[])).is_err());
});

// Scenario 3: a fee ordered and paid gives one Ergebnis line, one Finanz line,
// the Bilanz moves, and the Saldenliste balances.
kis::store_test!(szenario_3_drei_komponenten, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let s = session(db, clock.clone(), "BUCHHALTER");
    let vorher = rechnung::bilanz(&s, 2026).unwrap();
    let sollstellung = journal::buchen(
        &s,
        &buchung(
            d(11, 3),
            "GEB-4711",
            vec![
                ZeileInput::soll("1211", None, eur("100,00")),
                ZeileInput::haben("4311", Some("02.02.01"), eur("100,00")),
            ],
        ),
    )
    .unwrap();
    let zeilen = db
        .read(|sql| {
            journal::zahlung_zeilen(
                sql,
                "001",
                "1811",
                "1211",
                "4311",
                "02.02.01",
                eur("100,00"),
                true,
            )
        })
        .unwrap();
    let zahlung = journal::buchen(&s, &buchung(d(11, 10), "GEB-4711", zeilen)).unwrap();

    let konten = stamm::konten(&s).unwrap();
    let typ = |nr: &str| konten.iter().find(|k| k.nr == nr).unwrap().typ;
    let mut ergebnis = 0;
    let mut finanz = 0;
    for nr in [sollstellung.nr, zahlung.nr] {
        for z in journal::lesen(&s, nr).unwrap().zeilen {
            match typ(&z.konto) {
                stamm::KontoTyp::Ergebnis => ergebnis += 1,
                stamm::KontoTyp::Finanz => {
                    finanz += 1;
                    assert_eq!((z.konto.as_str(), z.haben), ("6311", eur("100,00")));
                }
                _ => {}
            }
        }
    }
    assert_eq!((ergebnis, finanz), (1, 1));

    let nachher = rechnung::bilanz(&s, 2026).unwrap();
    let pos = |b: &[rechnung::BilanzPosition], p: &str| {
        b.iter().find(|x| x.position == p).unwrap().schluss
    };
    assert_eq!(
        pos(&nachher, "A.2.4") - pos(&vorher, "A.2.4"),
        10_000,
        "liquide Mittel"
    );
    assert_eq!(
        pos(&nachher, "A.2.2"),
        pos(&vorher, "A.2.2"),
        "Forderung gestellt und bezahlt"
    );
    assert_eq!(
        pos(&nachher, "P.1.4") - pos(&vorher, "P.1.4"),
        10_000,
        "Jahresergebnis"
    );
    let (aktiva, passiva) = (
        rechnung::bilanzsumme(&nachher, 'A'),
        rechnung::bilanzsumme(&nachher, 'P'),
    );
    assert_eq!(aktiva, passiva, "Bilanz ausgeglichen");

    let liste = rechnung::saldenliste(&s, 2026, None).unwrap();
    let (eb, soll, haben, saldo) = rechnung::summen(&liste);
    assert_eq!((eb, saldo), (0, 0));
    assert_eq!(soll, haben);
    assert_eq!(
        soll, 30_000,
        "Sollstellung 100 + Zahlung 100 + Finanzrechnung 100"
    );
    let er = rechnung::rechnung(&s, 2026, Plan::Ergebnis, Some("02.02.01")).unwrap();
    assert_eq!(er.iter().find(|z| z.zeile == 4).unwrap().werte[1], 10_000);
    let fr = rechnung::rechnung(&s, 2026, Plan::Finanz, None).unwrap();
    assert_eq!(
        fr.iter().find(|z| z.zeile == 38).unwrap().werte[1],
        10_000,
        "Änderung des Finanzmittelbestands"
    );
    assert!(journal::summen_pruefen(&s, 2026).unwrap().is_empty());

    // Without the Finanz component a payment is refused.
    let e = journal::buchen(
        &s,
        &buchung(
            d(11, 11),
            "GEB-4712",
            vec![
                ZeileInput::soll("1811", None, eur("5,00")),
                ZeileInput::haben("1211", None, eur("5,00")),
            ],
        ),
    )
    .unwrap_err();
    assert!(e.to_string().contains("Drei-Komponenten"), "{e}");

    // The ledger export balances like the Saldenliste.
    let mut out = Vec::new();
    ledger::export(&s, 2026, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let (n, salden) = ledger::pruefe_format(&text).unwrap();
    assert_eq!(n, 3, "Eröffnungsbilanz + 2 Buchungen");
    for z in &liste {
        assert_eq!(
            salden.get(&z.konto).copied().unwrap_or(0),
            z.saldo(),
            "Konto {}",
            z.konto
        );
    }
});

// Scenario 4: closed period 2026-03 refuses a posting dated 2026-03-31;
// a Storno in April refers to the March document.
kis::store_test!(szenario_4_periodenabschluss_storno, |db: &Db| {
    let clock = demo_env(db, d(4, 15));
    let s = session(db, clock.clone(), "BUCHHALTER");
    let k = session(db, clock.clone(), "KAEMMERER");
    let zeilen = || {
        vec![
            ZeileInput::soll("5431", Some("01.03.01"), eur("250,00")),
            ZeileInput::haben("3511", None, eur("250,00")),
        ]
    };
    let maerz = journal::buchen(&s, &buchung(d(3, 20), "R-311", zeilen())).unwrap();
    assert!(matches!(
        stamm::periode_setzen(&s, 2026, 3, false),
        Err(KisError::Permission(_))
    ));
    stamm::periode_setzen(&k, 2026, 3, false).unwrap();
    let e = journal::buchen(&s, &buchung(d(3, 31), "R-312", zeilen())).unwrap_err();
    assert!(
        matches!(e, KisError::Conflict(ref m) if m.contains("2026-03")),
        "{e}"
    );
    // A Storno dated in the closed period is refused too, in April it passes.
    assert!(journal::stornieren(&s, maerz.nr, d(3, 31), "Doppelt erfasst").is_err());
    let storno = journal::stornieren(&s, maerz.nr, d(4, 2), "Doppelt erfasst").unwrap();
    let st = journal::lesen(&s, storno).unwrap();
    assert_eq!((st.storno_von, st.periode), (Some(maerz.nr), 4));
    assert_eq!(st.zeilen[0].haben, eur("250,00"));
    let orig = journal::lesen(&s, maerz.nr).unwrap();
    assert_eq!(orig.storniert_durch, Some(storno));
    assert!(matches!(
        journal::stornieren(&s, maerz.nr, d(4, 3), "nochmal"),
        Err(KisError::Conflict(_))
    ));
    let pos = ueberwachung::position(&s, 2026, "01.03.01", "5431").unwrap();
    assert_eq!(pos.anordnungssoll, 0, "Storno hebt die Belastung auf");
    // Both postings are in the audit log.
    let n = db
        .read(|sql| sql.query_one("SELECT COUNT(*) FROM audit_log WHERE entity = 'fin_buchung' AND record_key IN (?, ?)", &params![maerz.nr.to_string(), storno.to_string()]))
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(n, 2);
});

// Reading roles, Nachtrag versions and the plan report.
kis::store_test!(rollen_und_nachtrag, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let gast = session(db, clock.clone(), "GAST");
    let s = session(db, clock.clone(), "BUCHHALTER");
    let k = session(db, clock.clone(), "KAEMMERER");
    assert!(matches!(
        journal::buchen(
            &gast,
            &buchung(
                d(11, 2),
                "G-1",
                vec![
                    ZeileInput::soll("5431", Some("01.01.02"), eur("1,00")),
                    ZeileInput::haben("3511", None, eur("1,00"))
                ]
            )
        ),
        Err(KisError::Permission(_))
    ));
    assert!(matches!(
        ueberwachung::reservieren(&gast, 2026, "01.01.02", "5431", eur("1,00"), "x"),
        Err(KisError::Permission(_))
    ));
    let gep = plan::plan_bericht(&gast, 2026, None, Plan::Ergebnis, None).unwrap();
    let aufwand_2026 = gep.iter().find(|z| z.zeile == 17).unwrap().werte[2];
    assert!(aufwand_2026 < 0);
    assert_ne!(
        gep.iter().find(|z| z.zeile == 17).unwrap().werte[1],
        0,
        "Ansatz Vorjahr"
    );

    let v = plan::version_anlegen(&s, 2026, "").unwrap();
    let a = plan::Ansatz {
        produkt: "01.01.01".into(),
        konto: "5431".into(),
        betrag: eur("12.000,00"),
        plan: [eur("10.200,00"), eur("10.400,00"), eur("10.600,00")],
    };
    plan::ansatz_setzen(&s, 2026, v, &a).unwrap();
    assert_eq!(
        ueberwachung::position(&s, 2026, "01.01.01", "5431")
            .unwrap()
            .nachtrag,
        0,
        "Entwurf wirkt noch nicht"
    );
    plan::beschliessen(&k, 2026, v, d(11, 20)).unwrap();
    let pos = ueberwachung::position(&s, 2026, "01.01.01", "5431").unwrap();
    assert_eq!((pos.ansatz, pos.nachtrag), (1_000_000, 200_000));
    assert!(matches!(
        plan::ansatz_setzen(&s, 2026, v, &a),
        Err(KisError::Conflict(_))
    ));
    let versionen = plan::versionen(&s, 2026).unwrap();
    assert_eq!(versionen.len(), 2);
    assert_eq!(versionen[1].nachtrag, 1);
    let alt = plan::ansaetze(&s, 2026, versionen[0].version).unwrap();
    assert_eq!(
        alt.iter()
            .find(|a| a.produkt == "01.01.01" && a.konto == "5431")
            .unwrap()
            .betrag,
        eur("10.000,00"),
        "alte Version bleibt lesbar"
    );
    let neu = plan::plan_bericht(&gast, 2026, None, Plan::Ergebnis, None).unwrap();
    assert_eq!(
        neu.iter().find(|z| z.zeile == 17).unwrap().werte[2] - aufwand_2026,
        -200_000
    );
    let csv = plan::plan_csv(2026, &neu);
    assert!(csv.starts_with("zeile;bezeichnung;summenzeile;ergebnis_2024;ansatz_2025;ansatz_2026"));
});
