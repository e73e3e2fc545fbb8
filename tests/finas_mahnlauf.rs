//! The Mahnlauf on SQLite and PostgreSQL: overdue items per debtor after the
//! grace period, Säumniszuschläge to the day of the run (AO § 240, due dates
//! moved by § 108(3)), the Mahngebühr within its bounds, Mahnstufen with
//! their interval, Mahnsperren, the Bagatellgrenze, the run as a record
//! (draft, cancel, send, print) and the rule that no item is dunned twice at
//! the same Mahnstufe.

#[path = "support/kis_cli.rs"]
mod kis_cli;

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::journal;
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, PartnerArt, PartnerInput,
};
use kis::finas::kasse::{anordnung, kassenzeichen, partner};
use kis::finas::mahnwesen::mahnlauf::{self, Ergebnis};
use kis::finas::mahnwesen::model::{MahnlaufStatus, Mahnung};
use kis::finas::mahnwesen::sperre;
use kis::kernel::session::Session;
use kis::params;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(j: i32, m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(j, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

fn heute(clock: &kis::core::clock::FixedClock, tag: NaiveDate) {
    clock.set(tag.and_hms_opt(9, 0, 0).unwrap());
}

fn schuldner(kasse: &Session, name: &str) -> i64 {
    partner::anlegen(
        kasse,
        &PartnerInput {
            art: Some(PartnerArt::Firma),
            name: name.into(),
            strasse: "Marktplatz 1".into(),
            plz: "59999".into(),
            ort: "Musterstadt".into(),
            ..Default::default()
        },
    )
    .unwrap()
}

/// A receivable entered by the Buchhalter and released by the Kämmerer;
/// returns (Anordnung, Kassenzeichen).
fn forderung(
    buchhalter: &Session,
    kaemmerer: &Session,
    partner: i64,
    faellig: NaiveDate,
    betrag: &str,
) -> (i64, String) {
    let a = anordnung::erfassen(
        buchhalter,
        &AnordnungInput {
            reservierung: None,
            art: AnordnungArt::Annahme,
            partner,
            produkt: "01.01.01".into(),
            konto: "4311".into(),
            kostenstelle: None,
            gegenkonto: None,
            text: "Verwaltungsgebühr".into(),
            faelligkeiten: vec![Faelligkeit {
                faellig,
                betrag: eur(betrag),
            }],
        },
    )
    .unwrap();
    anordnung::freigeben(kaemmerer, a.nr).unwrap();
    (a.nr, a.kassenzeichen)
}

fn mahnung_von(e: &Ergebnis, partner: i64) -> Option<&Mahnung> {
    e.mahnungen.iter().find(|m| m.partner == partner)
}

fn konflikt(r: kis::core::error::Result<Ergebnis>) -> String {
    match r {
        Err(KisError::Conflict(t)) => t,
        other => panic!("Konflikt erwartet, erhalten: {other:?}"),
    }
}

/// (art, betrag, faellig) of an Anordnung's due dates, in order.
fn sollstellungen(db: &Db, nr: i64) -> Vec<(String, i64, NaiveDate)> {
    db.read(|sql| {
        sql.query(
            "SELECT art, betrag, faellig FROM fin_faelligkeit WHERE anordnung = ? ORDER BY lfd",
            &params![nr],
        )?
        .iter()
        .map(|r| Ok((r.str(0)?, r.i64(1)?, r.date(2)?)))
        .collect()
    })
    .unwrap()
}

kis::store_test!(mahnstufen_saeumnis_gebuehr_sperre_bagatell, |db: &Db| {
    let clock = demo_env(db, d(2026, 9, 1));
    let kasse = session(db, clock.clone(), "KASSE");
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");

    let gross = schuldner(&kasse, "Säumig Bau GmbH");
    let (a_gross, kz_gross) = forderung(&buchhalter, &kaemmerer, gross, d(2026, 9, 1), "1.234,56");
    let klein = schuldner(&kasse, "Kleinbetrag KG");
    forderung(&buchhalter, &kaemmerer, klein, d(2026, 9, 1), "4,00");
    let gesperrt = schuldner(&kasse, "Widerspruch OHG");
    forderung(&buchhalter, &kaemmerer, gesperrt, d(2026, 9, 1), "50,00");
    let sperre_id = sperre::setzen(
        &kasse,
        gesperrt,
        None,
        "Widerspruch eingelegt",
        d(2026, 12, 31),
    )
    .unwrap();
    let puenktlich = schuldner(&kasse, "Noch nicht fällig e.K.");
    forderung(
        &buchhalter,
        &kaemmerer,
        puenktlich,
        d(2026, 10, 10),
        "80,00",
    );

    // Only the Kasse runs the Mahnlauf, and not for a day still to come.
    heute(&clock, d(2026, 10, 15));
    assert!(matches!(
        mahnlauf::ausfuehren(&buchhalter, d(2026, 10, 15)),
        Err(KisError::Permission(_))
    ));
    assert!(matches!(
        mahnlauf::ausfuehren(&kasse, d(2026, 10, 16)),
        Err(KisError::Validation { field: Some(_), .. })
    ));

    // Run 1 on 15.10.2026: due 01.09. (a Tuesday), delay from 02.09., two
    // started months on 1.200 € → 24,00 €; fee 1 % of 1.234,56 = 12,35 €.
    let e1 = mahnlauf::ausfuehren(&kasse, d(2026, 10, 15)).unwrap();
    let m = mahnung_von(&e1, gross).expect("Mahnung für den Schuldner");
    assert_eq!(m.stufe, 1);
    assert_eq!(m.posten.len(), 1);
    assert_eq!(m.posten[0].kassenzeichen, kz_gross);
    assert_eq!(
        (m.posten[0].saeumnis, m.posten[0].monate),
        (eur("24,00"), 2)
    );
    assert_eq!(m.gebuehr, eur("12,35"));
    assert_eq!(m.frist, d(2026, 10, 22));
    assert_eq!(m.gesamt(), eur("1.270,91"));
    // The small debtor, the blocked one and the item inside its grace
    // period are not dunned, and the run says why.
    assert!(mahnung_von(&e1, klein).is_none());
    assert!(mahnung_von(&e1, gesperrt).is_none());
    assert!(mahnung_von(&e1, puenktlich).is_none());
    let hinweise = e1.hinweise.join(" ");
    assert!(hinweise.contains("Mahnsperre"), "{hinweise}");
    assert!(hinweise.contains("Bagatellgrenze"), "{hinweise}");

    // A draft blocks a second run; cancelling it lets the same items be
    // dunned again at the same Stufe.
    assert!(konflikt(mahnlauf::ausfuehren(&kasse, d(2026, 10, 15))).contains("Entwurf"));
    mahnlauf::stornieren(&kasse, e1.nr).unwrap();
    let e1b = mahnlauf::ausfuehren(&kasse, d(2026, 10, 15)).unwrap();
    assert_eq!(mahnung_von(&e1b, gross).unwrap().posten[0].stufe, 1);
    assert_eq!(
        mahnlauf::zeigen(&kasse, e1.nr).unwrap().0.status,
        MahnlaufStatus::Storniert
    );

    // Printing twice gives the same letters, with the Kassenzeichen as printed.
    let brief = mahnlauf::drucken(&kasse, e1b.nr, &mut |_| Ok(())).unwrap();
    assert_eq!(
        brief,
        mahnlauf::drucken(&kasse, e1b.nr, &mut |_| Ok(())).unwrap()
    );
    // Letters that cannot be written are not recorded as issued.
    let gedruckt = |db: &Db| {
        db.read(|sql| {
            sql.query_one(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'MAHNLAUF_DRUCKEN'",
                &params![],
            )?
            .i64(0)
        })
        .unwrap()
    };
    let vorher = gedruckt(db);
    assert!(
        mahnlauf::drucken(&kasse, e1b.nr, &mut |_| Err(KisError::validation(
            "Datei nicht schreibbar"
        )))
        .is_err()
    );
    assert_eq!(gedruckt(db), vorher);
    assert!(brief.contains("1. Mahnung vom 15.10.2026"), "{brief}");
    assert!(
        brief.contains(&kassenzeichen::anzeigen(&kz_gross)),
        "{brief}"
    );
    assert!(brief.contains("1.270,91"), "{brief}");
    assert!(brief.contains("Säumig Bau GmbH"), "{brief}");

    // Sending: the fee and the Säumniszuschlag become open items of their
    // own on the same Anordnung (so the same Kassenzeichen), due on the
    // deadline, posted Forderung an Ertrag; the journal still balances.
    let buchung = mahnlauf::versenden(&kasse, e1b.nr)
        .unwrap()
        .expect("Buchung");
    assert!(
        mahnlauf::stornieren(&kasse, e1b.nr).is_err(),
        "a sent run stays"
    );
    assert!(
        mahnlauf::versenden(&kasse, e1b.nr).is_err(),
        "sent only once"
    );
    let soll = sollstellungen(db, a_gross);
    assert_eq!(
        soll,
        vec![
            ("H".into(), 123_456, d(2026, 9, 1)),
            ("S".into(), 2_400, d(2026, 10, 22)),
            ("K".into(), 1_235, d(2026, 10, 22)),
        ]
    );
    let (_, zeilen) = journal::kontenblatt(&kasse, 2026, "4562", 0, 100).unwrap();
    assert!(
        zeilen
            .iter()
            .any(|z| z.beleg == format!("ML{}", e1b.nr) && z.haben == eur("36,35")),
        "Ertrag 4562 aus Buchung {buchung}"
    );
    assert!(journal::summen_pruefen(&kasse, 2026).unwrap().is_empty());
    // An Anordnung with fees on it cannot simply be cancelled.
    assert!(matches!(
        anordnung::stornieren(&kaemmerer, a_gross, "Irrtum"),
        Err(KisError::Conflict(t)) if t.contains("Mahngebühren")
    ));

    // The same day again: nothing new — the item waits for the interval.
    let t = konflikt(mahnlauf::ausfuehren(&kasse, d(2026, 10, 15)));
    assert!(t.contains("Abstand"), "{t}");

    // Run 2 on 02.11.2026 (Monday), after the 14 days' interval, with the
    // Sperre lifted: the main claim at Stufe 2 with only the third month's
    // Säumniszuschlag (36,00 − 24,00), the fee and Säumniszuschlag of run 1
    // at Stufe 1 (due 22.10. + 7 days' grace), no Säumniszuschlag on those
    // Nebenleistungen (§ 240(2) AO); the blocked debtor is dunned now.
    sperre::aufheben(&kasse, sperre_id).unwrap();
    heute(&clock, d(2026, 11, 2));
    let e2 = mahnlauf::ausfuehren(&kasse, d(2026, 11, 2)).unwrap();
    let m2 = mahnung_von(&e2, gross).unwrap();
    assert_eq!(m2.stufe, 2);
    let stufen: Vec<(String, i64, Money)> = m2
        .posten
        .iter()
        .map(|p| (p.art.clone(), p.stufe, p.saeumnis))
        .collect();
    assert_eq!(
        stufen,
        vec![
            ("H".into(), 2, eur("12,00")),
            ("S".into(), 1, Money::zero()),
            ("K".into(), 1, Money::zero()),
        ]
    );
    assert_eq!(m2.rueckstand(), eur("1.270,91"));
    assert_eq!(m2.gebuehr, eur("12,71"));
    assert!(mahnung_von(&e2, gesperrt).is_some());
    mahnlauf::versenden(&kasse, e2.nr).unwrap();

    // After the last Mahnstufe (the demo has two) the main claim is
    // vollstreckungsreif and no longer dunned.
    heute(&clock, d(2026, 11, 20));
    let e3 = mahnlauf::ausfuehren(&kasse, d(2026, 11, 20)).unwrap();
    assert!(
        mahnung_von(&e3, gross)
            .unwrap()
            .posten
            .iter()
            .all(|p| p.art != "H"),
        "{:?}",
        mahnung_von(&e3, gross)
    );
    assert!(e3.hinweise.join(" ").contains("vollstreckungsreif"));

    let runs = mahnlauf::liste(&kasse, 10).unwrap();
    assert_eq!(
        runs.iter().map(|l| (l.nr, l.status)).collect::<Vec<_>>(),
        vec![
            (e3.nr, MahnlaufStatus::Entwurf),
            (e2.nr, MahnlaufStatus::Versandt),
            (e1b.nr, MahnlaufStatus::Versandt),
            (e1.nr, MahnlaufStatus::Storniert),
        ]
    );
});

kis::store_test!(feiertag_verschiebt_faelligkeit_und_karenz, |db: &Db| {
    let clock = demo_env(db, d(2026, 12, 1));
    let kasse = session(db, clock.clone(), "KASSE");
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let p = schuldner(&kasse, "Weihnachtsmarkt GbR");
    forderung(&buchhalter, &kaemmerer, p, d(2026, 12, 25), "500,00");

    // Due on the 1. Weihnachtstag (a Friday): by AO § 108(3) the due date is
    // Monday 28.12. (26.12. is a holiday and a Saturday); with 7 days'
    // grace nothing is dunned on 04.01.2027 — without the rule it would be.
    heute(&clock, d(2027, 1, 4));
    let t = konflikt(mahnlauf::ausfuehren(&kasse, d(2027, 1, 4)));
    assert!(t.contains("nichts zu mahnen"), "{t}");
    heute(&clock, d(2027, 1, 5));
    let e = mahnlauf::ausfuehren(&kasse, d(2027, 1, 5)).unwrap();
    let m = mahnung_von(&e, p).unwrap();
    assert_eq!((m.posten[0].saeumnis, m.posten[0].monate), (eur("5,00"), 1));
    mahnlauf::stornieren(&kasse, e.nr).unwrap();
    // On 28.01.2027 one month has passed since the moved due date (29.12.
    // to 28.01.); from 25.12. it would be the second month.
    heute(&clock, d(2027, 1, 28));
    let e = mahnlauf::ausfuehren(&kasse, d(2027, 1, 28)).unwrap();
    let m = mahnung_von(&e, p).unwrap();
    assert_eq!((m.posten[0].saeumnis, m.posten[0].monate), (eur("5,00"), 1));
});

kis::store_test!(
    sperre_fuer_eine_anordnung_und_doppelmahnung_ausgeschlossen,
    |db: &Db| {
        let clock = demo_env(db, d(2026, 9, 1));
        let kasse = session(db, clock.clone(), "KASSE");
        let buchhalter = session(db, clock.clone(), "BUCHHALTER");
        let kaemmerer = session(db, clock.clone(), "KAEMMERER");
        let p = schuldner(&kasse, "Zwei Bescheide AG");
        let (a1, _) = forderung(&buchhalter, &kaemmerer, p, d(2026, 9, 1), "100,00");
        let (a2, _) = forderung(&buchhalter, &kaemmerer, p, d(2026, 9, 1), "200,00");
        let fremd = schuldner(&kasse, "Fremd GmbH");
        // A Sperre names an Anordnung of its own debtor, has a reason and an end.
        assert!(matches!(
            sperre::setzen(&kasse, fremd, Some(a1), "Irrtum", d(2026, 12, 31)),
            Err(KisError::Validation { field: Some(_), .. })
        ));
        assert!(sperre::setzen(&kasse, p, Some(a1), " ", d(2026, 12, 31)).is_err());
        assert!(
            sperre::setzen(
                &kasse,
                p,
                Some(a1),
                "Ratenzahlung beantragt",
                d(2026, 8, 31)
            )
            .is_err()
        );
        assert!(matches!(
            sperre::setzen(&buchhalter, p, Some(a1), "Ratenzahlung", d(2026, 12, 31)),
            Err(KisError::Permission(_))
        ));
        sperre::setzen(
            &kasse,
            p,
            Some(a1),
            "Ratenzahlung beantragt",
            d(2026, 12, 31),
        )
        .unwrap();

        heute(&clock, d(2026, 10, 1));
        let e = mahnlauf::ausfuehren(&kasse, d(2026, 10, 1)).unwrap();
        let m = mahnung_von(&e, p).unwrap();
        assert_eq!(
            m.posten.iter().map(|x| x.anordnung).collect::<Vec<_>>(),
            vec![a2],
            "only the Anordnung without Sperre"
        );
        mahnlauf::versenden(&kasse, e.nr).unwrap();

        // The store itself refuses a second live Mahnung of the same item at the
        // same Stufe: a copy of the run with its Mahnung is accepted, its item
        // is not.
        db.write(|sql| {
        sql.execute(
            "INSERT INTO fin_mahnlauf (mandant, nr, datum, status, erstellt_von, erstellt_am) \
             SELECT mandant, nr + 1000, datum, 'VERSANDT', erstellt_von, erstellt_am FROM fin_mahnlauf WHERE nr = ?",
            &params![e.nr],
        )?;
        sql.execute(
            "INSERT INTO fin_mahnung (mandant, mahnlauf, partner, stufe, gebuehr, frist) \
             SELECT mandant, mahnlauf + 1000, partner, stufe, gebuehr, frist FROM fin_mahnung WHERE mahnlauf = ?",
            &params![e.nr],
        )
    })
    .unwrap();
        let doppelt = db.write(|sql| {
        sql.execute(
            "INSERT INTO fin_mahnposten (mandant, mahnlauf, partner, anordnung, lfd, stufe, rest, saeumnis, monate, live) \
             SELECT mandant, mahnlauf + 1000, partner, anordnung, lfd, stufe, rest, saeumnis, monate, live FROM fin_mahnposten \
             WHERE mahnlauf = ? AND anordnung = ?",
            &params![e.nr, a2],
        )
    });
        assert!(doppelt.is_err(), "duplicate Mahnstufe accepted");
    }
);

kis::store_test!(mahnlauf_ueber_die_demo, |db: &Db| {
    let clock = demo_env(db, d(2026, 9, 1));
    let kasse = session(db, clock.clone(), "KASSE");
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    kis::finas::kasse::generator::anordnungen(&buchhalter, 90).unwrap();
    anordnung::alle_freigeben(&kaemmerer).unwrap();

    // Three months after the due dates of the demo (within the next three
    // months of 01.09.): a Mahnung per debtor, every item past its grace
    // period, each fee within the Mandant's bounds (5 € to 100 €).
    heute(&clock, d(2026, 12, 30));
    let e = mahnlauf::ausfuehren(&kasse, d(2026, 12, 30)).unwrap();
    assert!(e.mahnungen.len() >= 10, "{}", e.zusammenfassung());
    let mut partner: Vec<i64> = e.mahnungen.iter().map(|m| m.partner).collect();
    partner.dedup();
    assert_eq!(partner.len(), e.mahnungen.len(), "one Mahnung per debtor");
    for m in &e.mahnungen {
        assert!(m.gebuehr >= eur("5,00") && m.gebuehr <= eur("100,00"));
        assert!(m.rueckstand() >= eur("5,00"));
        for p in &m.posten {
            assert!(p.faellig + chrono::Days::new(7) < d(2026, 12, 30), "{p:?}");
            assert_eq!(p.stufe, 1);
        }
    }
    let (l, gespeichert) = mahnlauf::zeigen(&kasse, e.nr).unwrap();
    assert_eq!(
        gespeichert, e.mahnungen,
        "the stored run is what was computed"
    );
    assert_eq!(l.mahnungen as usize, e.mahnungen.len());
    assert!(mahnlauf::text(&l, &gespeichert).contains(&format!("Mahnlauf {}", e.nr)));
    mahnlauf::versenden(&kasse, e.nr).unwrap();
    assert!(journal::summen_pruefen(&kasse, 2026).unwrap().is_empty());
    // Every fee and Säumniszuschlag sent is an open item now.
    let neben: i64 = db
        .read(|sql| {
            sql.query_one(
                "SELECT COALESCE(SUM(betrag), 0) FROM fin_faelligkeit WHERE art IN ('K', 'S')",
                &params![],
            )?
            .i64(0)
        })
        .unwrap();
    let erwartet: i64 = e
        .mahnungen
        .iter()
        .map(|m| m.gebuehr.cents() + m.saeumnis().cents())
        .sum();
    assert_eq!(neben, erwartet);
});

#[test]
fn cli_mahnlauf_sperre_versand_und_druck() {
    let dir = tempfile::tempdir().unwrap();
    let cli = kis_cli::KisCli::in_dir(dir.path());
    let kis = |user: Option<&str>, heute: &str, args: &[&str]| cli.run(user, heute, args);
    let tag = "01.09.2026";
    assert!(kis(None, tag, &["--neu", "demo", "load"]).0);
    assert!(
        kis(
            Some("BUCHHALTER"),
            tag,
            &["demo", "kasse", "--anzahl", "60"]
        )
        .0
    );
    let (ok, _, err) = kis(
        Some("KAEMMERER"),
        tag,
        &["finas", "anordnung", "freigeben", "--alle"],
    );
    assert!(ok, "{err}");

    let spaet = "30.12.2026";
    let (ok, _, err) = kis(
        Some("LESER"),
        spaet,
        &["finas", "mahnlauf", "--datum", spaet],
    );
    assert!(!ok && err.contains("Keine Berechtigung"), "{err}");
    let (ok, _, err) = kis(
        Some("KASSE"),
        spaet,
        &["finas", "mahnlauf", "--datum", "31.12.2026"],
    );
    assert!(!ok && err.contains("künftigen Tag"), "{err}");

    // A Sperre for the first debtor of the demo, listed with its reason.
    let (ok, id, err) = kis(
        Some("KASSE"),
        spaet,
        &[
            "finas",
            "mahnsperre",
            "neu",
            "--partner",
            "1",
            "--grund",
            "Insolvenzverfahren",
            "--bis",
            "31.03.2027",
        ],
    );
    assert!(ok, "{err}");
    let id = id.trim().to_string();
    let (ok, liste, _) = kis(Some("KASSE"), spaet, &["finas", "mahnsperre", "liste"]);
    assert!(
        ok && liste.contains("Insolvenzverfahren") && liste.contains("bis 31.03.2027"),
        "{liste}"
    );

    let (ok, out, err) = kis(
        Some("KASSE"),
        spaet,
        &["finas", "mahnlauf", "--datum", spaet],
    );
    assert!(ok, "{err}");
    assert!(out.starts_with("Mahnlauf 1: "), "{out}");
    assert!(
        out.contains("Mahnungen") && out.contains("Säumniszuschläge"),
        "{out}"
    );
    assert!(err.contains("Mahnsperre"), "{err}");
    let (ok, liste, _) = kis(Some("KASSE"), spaet, &["finas", "mahnlauf", "liste"]);
    assert!(ok && liste.contains("Entwurf"), "{liste}");
    let (ok, zeigen, _) = kis(Some("GAST"), spaet, &["finas", "mahnlauf", "zeigen", "1"]);
    assert!(
        ok && zeigen.contains("Mahnlauf 1 zum 30.12.2026 (Entwurf)"),
        "{zeigen}"
    );
    assert!(!zeigen.contains("Geschäftspartner        1 "), "{zeigen}");

    let datei = dir.path().join("mahnungen.txt");
    let datei_s = datei.display().to_string();
    let (ok, _, err) = kis(
        Some("KASSE"),
        spaet,
        &["finas", "mahnlauf", "drucken", "1", "--out", &datei_s],
    );
    assert!(ok, "{err}");
    let brief = std::fs::read_to_string(&datei).unwrap();
    assert!(brief.contains("1. Mahnung vom 30.12.2026"), "{brief}");
    assert!(brief.contains("Gesamtbetrag"), "{brief}");

    let (ok, out, err) = kis(
        Some("KASSE"),
        spaet,
        &["finas", "mahnlauf", "versenden", "1"],
    );
    assert!(ok && out.contains("Mahnlauf 1 versandt"), "{out}{err}");
    let (ok, _, err) = kis(
        Some("KASSE"),
        spaet,
        &["finas", "mahnlauf", "stornieren", "1"],
    );
    assert!(!ok && err.contains("nur ein Entwurf"), "{err}");
    let (ok, out, _) = kis(
        Some("KASSE"),
        spaet,
        &["finas", "mahnsperre", "aufheben", &id],
    );
    assert!(ok && out.contains("aufgehoben"), "{out}");
    // Nothing is dunned twice at the same Stufe on the same day.
    let (ok, _, err) = kis(
        Some("KASSE"),
        spaet,
        &["finas", "mahnlauf", "--datum", spaet],
    );
    assert!(ok, "{err}");
    let (_, zeigen, _) = kis(Some("KASSE"), spaet, &["finas", "mahnlauf", "zeigen", "2"]);
    assert!(zeigen.contains("Geschäftspartner        1 "), "{zeigen}");
    assert_eq!(
        zeigen.lines().count(),
        2,
        "only the debtor whose Sperre was lifted: {zeigen}"
    );
}

/// A camt.053.001.02 of the Stadtkasse's account with credit transfers
/// (Kassenzeichen, amount) booked on `tag`.
fn gutschriften(tag: &str, zahlungen: &[(&str, &str)]) -> String {
    let eintraege: String = zahlungen
        .iter()
        .enumerate()
        .map(|(i, (kz, betrag))| {
            format!(
                "<Ntry><Amt Ccy=\"EUR\">{betrag}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>\
                 <BookgDt><Dt>{tag}</Dt></BookgDt><ValDt><Dt>{tag}</Dt></ValDt><AcctSvcrRef>SF-{i}</AcctSvcrRef>\
                 <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
                 <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Pünktlich GmbH</Nm></Dbtr></RltdPties>\
                 <RmtInf><Ustrd>Kassenzeichen {kz}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>SF-{tag}</MsgId><CreDtTm>{tag}T18:00:00</CreDtTm></GrpHdr>\
         <Stmt><Id>SF-{tag}</Id><CreDtTm>{tag}T18:00:00</CreDtTm>\
         <Acct><Id><IBAN>DE95440501990000001811</IBAN></Id></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{tag}</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{tag}</Dt></Dt></Bal>\
         {eintraege}</Stmt></BkToCstmrStmt></Document>"
    )
}

kis::store_test!(zahlung_in_der_schonfrist_kostet_nichts, |db: &Db| {
    let clock = demo_env(db, d(2026, 9, 1));
    let kasse = session(db, clock.clone(), "KASSE");
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    // Due Friday 02.10.2026; the Schonfrist ends Monday 05.10. (the third
    // day, 05.10., is a working day).
    let voll = schuldner(&kasse, "Pünktlich GmbH");
    let (_, kz_voll) = forderung(&buchhalter, &kaemmerer, voll, d(2026, 10, 2), "1.000,00");
    let teil = schuldner(&kasse, "Teilzahler KG");
    let (_, kz_teil) = forderung(&buchhalter, &kaemmerer, teil, d(2026, 10, 2), "1.000,00");
    heute(&clock, d(2026, 10, 5));
    let e = kis::finas::kasse::kontoauszug::importieren(
        &kasse,
        gutschriften("2026-10-05", &[(&kz_voll, "1000.00"), (&kz_teil, "600.00")]).as_bytes(),
    )
    .unwrap();
    assert_eq!(
        e.zeile(),
        "2 Umsätze: 2 zugeordnet, 0 Klärungsliste, 0 Rücklastschriften"
    );

    // Paid in full within the Schonfrist: nothing to dun. The part paid in
    // time is not charged: the Säumniszuschlag is on the 400 € left (one
    // started month, 4,00 €), not on 1.000 €.
    heute(&clock, d(2026, 10, 20));
    let lauf = mahnlauf::ausfuehren(&kasse, d(2026, 10, 20)).unwrap();
    assert!(mahnung_von(&lauf, voll).is_none());
    let m = mahnung_von(&lauf, teil).unwrap();
    assert_eq!(m.rueckstand(), eur("400,00"));
    assert_eq!((m.posten[0].saeumnis, m.posten[0].monate), (eur("4,00"), 1));
});
