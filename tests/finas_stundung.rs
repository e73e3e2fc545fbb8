//! Stundung (AO § 222) with Stundungszinsen (§§ 234, 238, 239), no
//! Säumniszuschläge and no dunning while it is in force, Terminverlust and
//! revocation; Niederschlagung (befristet, unbefristet with write-down) and
//! its revival; Erlass (§ 227) — on SQLite and PostgreSQL, with the
//! journal balanced after every decision.

#[path = "support/kis_cli.rs"]
mod kis_cli;

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::journal;
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, OpFilter, PartnerArt, PartnerInput,
};
use kis::finas::kasse::{anordnung, partner, personenkonto};
use kis::finas::mahnwesen::model::StundungStatus;
use kis::finas::mahnwesen::stundung::{self, StundungInput};
use kis::finas::mahnwesen::{mahnlauf, niederschlagung};
use kis::kernel::session::Session;
use kis::params;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

fn heute(clock: &kis::core::clock::FixedClock, tag: NaiveDate) {
    clock.set(tag.and_hms_opt(9, 0, 0).unwrap());
}

struct Leute {
    kasse: Session,
    buchhalter: Session,
    kaemmerer: Session,
}

fn forderung(l: &Leute, name: &str, faellig: NaiveDate, betrag: &str) -> i64 {
    let p = partner::anlegen(
        &l.kasse,
        &PartnerInput {
            art: Some(PartnerArt::Firma),
            name: name.into(),
            strasse: "Marktplatz 1".into(),
            plz: "59999".into(),
            ort: "Musterstadt".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let a = anordnung::erfassen(
        &l.buchhalter,
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
                betrag: eur(betrag),
            }],
        },
    )
    .unwrap();
    anordnung::freigeben(&l.kaemmerer, a.nr).unwrap();
    a.nr
}

fn rate(faellig: NaiveDate, betrag: &str) -> Faelligkeit {
    Faelligkeit {
        faellig,
        betrag: eur(betrag),
    }
}

/// (art, betrag, abgesetzt, faellig) of an Anordnung's due dates.
fn zeilen(db: &Db, nr: i64) -> Vec<(String, i64, i64, NaiveDate)> {
    db.read(|sql| {
        sql.query(
            "SELECT art, betrag, abgesetzt, faellig FROM fin_faelligkeit WHERE anordnung = ? ORDER BY lfd",
            &params![nr],
        )?
        .iter()
        .map(|r| Ok((r.str(0)?, r.i64(1)?, r.i64(2)?, r.date(3)?)))
        .collect()
    })
    .unwrap()
}

fn offen(l: &Leute, nr: i64) -> Money {
    let kz = anordnung::lesen(&l.kaemmerer, nr).unwrap().kassenzeichen;
    let op = personenkonto::offene_posten(
        &l.kasse,
        &OpFilter {
            kassenzeichen: Some(kz),
            ..Default::default()
        },
        100,
    )
    .unwrap();
    Money::from_cents(op.iter().map(|p| p.rest().cents()).sum())
}

fn haben_auf(l: &Leute, konto: &str, beleg_anfang: &str) -> Money {
    let (_, z) = journal::kontenblatt(&l.kaemmerer, 2026, konto, 0, 1000).unwrap();
    Money::from_cents(
        z.iter()
            .filter(|z| z.beleg.starts_with(beleg_anfang))
            .map(|z| z.haben.cents() - z.soll.cents())
            .sum(),
    )
}

fn ausgeglichen(l: &Leute) {
    assert!(
        journal::summen_pruefen(&l.kaemmerer, 2026)
            .unwrap()
            .is_empty()
    );
}

kis::store_test!(stundung_zinsen_keine_saeumnis_terminverlust, |db: &Db| {
    let clock = demo_env(db, d(9, 1));
    let l = Leute {
        kasse: session(db, clock.clone(), "KASSE"),
        buchhalter: session(db, clock.clone(), "BUCHHALTER"),
        kaemmerer: session(db, clock.clone(), "KAEMMERER"),
    };
    let nr = forderung(&l, "Härtefall GmbH", d(9, 1), "12.000,00");
    heute(&clock, d(9, 15));
    let eingabe = StundungInput {
        anordnung: nr,
        beginn: None,
        raten: vec![
            rate(d(10, 15), "4.000,00"),
            rate(d(11, 16), "4.000,00"),
            rate(d(12, 15), "4.000,00"),
        ],
        grund: "Erhebliche Härte, Antrag vom 10.09.2026".into(),
        zinsfrei_grund: None,
    };
    // The decision belongs to the anordnungsbefugte Kämmerei, not the Kasse.
    assert!(matches!(
        stundung::gewaehren(&l.kasse, &eingabe),
        Err(KisError::Permission(_))
    ));
    // The instalments must cover the open main claim exactly.
    let falsch = StundungInput {
        raten: vec![rate(d(10, 15), "4.000,00")],
        ..eingabe.clone()
    };
    assert!(matches!(
        stundung::gewaehren(&l.kaemmerer, &falsch),
        Err(KisError::Validation { field: Some(f), message }) if f == "raten" && message.contains("12.000,00")
    ));
    let ohne_grund = StundungInput {
        grund: " ".into(),
        ..eingabe.clone()
    };
    assert!(stundung::gewaehren(&l.kaemmerer, &ohne_grund).is_err());

    let s = stundung::gewaehren(&l.kaemmerer, &eingabe).unwrap();
    // Interest: 4.000 € × 0,5 % = 20 € per full month from 15.09.: 1, 2
    // and 3 months → 120,00 €. Säumniszuschlag up to 14.09.: one started
    // month after the Schonfrist on 12.000 € → 120,00 €.
    assert_eq!(s.zinsen, eur("120,00"));
    assert_eq!(
        s.raten
            .iter()
            .map(|r| (r.monate, r.zinsen))
            .collect::<Vec<_>>(),
        vec![(1, eur("20,00")), (2, eur("40,00")), (3, eur("60,00"))]
    );
    assert_eq!(
        zeilen(db, nr),
        vec![
            ("H".into(), 1_200_000, 1_200_000, d(9, 1)),
            ("H".into(), 400_000, 0, d(10, 15)),
            ("H".into(), 400_000, 0, d(11, 16)),
            ("H".into(), 400_000, 0, d(12, 15)),
            ("Z".into(), 12_000, 0, d(10, 15)),
            ("S".into(), 12_000, 0, d(10, 15)),
        ]
    );
    assert_eq!(offen(&l, nr), eur("12.240,00"));
    assert_eq!(haben_auf(&l, "4691", "ST"), eur("120,00"));
    assert_eq!(haben_auf(&l, "4562", "ST"), eur("120,00"));
    ausgeglichen(&l);
    assert!(matches!(
        stundung::gewaehren(&l.kaemmerer, &eingabe),
        Err(KisError::Conflict(_))
    ));
    let text = stundung::text(&stundung::lesen(&l.kasse, s.id).unwrap());
    assert!(
        text.contains("in Kraft") && text.contains("120,00"),
        "{text}"
    );

    // While it is in force nothing is dunned and no Säumniszuschlag arises:
    // on 13.10. no instalment is due.
    heute(&clock, d(10, 13));
    let t = match mahnlauf::ausfuehren(&l.kasse, d(10, 13)) {
        Err(KisError::Conflict(t)) => t,
        other => panic!("{other:?}"),
    };
    assert!(t.contains("nichts zu mahnen"), "{t}");

    // The first instalment is missed (due Thursday 15.10., 7 days' grace):
    // on 26.10. the Mahnlauf ends the Stundung first — every instalment is
    // due on 15.10., the interest for the months no longer deferred (1 and
    // 2 months of the later instalments: 60,00 €) is taken off — and then
    // dunns the whole rest.
    heute(&clock, d(10, 26));
    let e = mahnlauf::ausfuehren(&l.kasse, d(10, 26)).unwrap();
    assert!(
        e.hinweise.join(" ").contains("Terminverlust"),
        "{:?}",
        e.hinweise
    );
    let s2 = stundung::lesen(&l.kasse, s.id).unwrap();
    assert_eq!(s2.status, StundungStatus::Verfallen);
    assert!(s2.raten.iter().all(|r| r.faellig == d(10, 15)));
    assert_eq!(s2.zinsen, eur("60,00"));
    assert_eq!(haben_auf(&l, "4691", "ST"), eur("60,00"));
    let m = &e.mahnungen[0];
    assert_eq!(
        m.posten.len(),
        5,
        "three instalments, interest, Säumniszuschlag"
    );
    // From the (new) due date 15.10.: one started month on each 4.000 €.
    assert_eq!(m.saeumnis(), eur("120,00"));
    assert_eq!(m.rueckstand(), eur("12.180,00"));
    ausgeglichen(&l);
});

kis::store_test!(stundung_widerruf_und_zinsverzicht, |db: &Db| {
    let clock = demo_env(db, d(9, 1));
    let l = Leute {
        kasse: session(db, clock.clone(), "KASSE"),
        buchhalter: session(db, clock.clone(), "BUCHHALTER"),
        kaemmerer: session(db, clock.clone(), "KAEMMERER"),
    };
    // Deferred before it is due, interest waived: nothing is posted.
    let nr = forderung(&l, "Verzicht e.V.", d(9, 30), "2.400,00");
    let s = stundung::gewaehren(
        &l.kaemmerer,
        &StundungInput {
            anordnung: nr,
            beginn: Some(d(9, 30)),
            raten: vec![rate(d(11, 30), "1.200,00"), rate(d(12, 30), "1.200,00")],
            grund: "Vorübergehende Zahlungsschwierigkeiten".into(),
            zinsfrei_grund: Some("Gemeinnütziger Verein, Unbilligkeit".into()),
        },
    )
    .unwrap();
    assert_eq!(s.zinsen, Money::zero());
    assert_eq!(
        zeilen(db, nr).len(),
        3,
        "no interest and no Säumniszuschlag item"
    );
    assert!(stundung::widerrufen(&l.kaemmerer, s.id, " ").is_err());
    heute(&clock, d(10, 20));
    stundung::widerrufen(&l.kaemmerer, s.id, "Vermögensverhältnisse gebessert").unwrap();
    let s = stundung::lesen(&l.kasse, s.id).unwrap();
    assert_eq!(s.status, StundungStatus::Widerrufen);
    assert!(s.raten.iter().all(|r| r.faellig == d(10, 20)));
    assert!(stundung::widerrufen(&l.kaemmerer, s.id, "nochmals").is_err());
    ausgeglichen(&l);
});

kis::store_test!(niederschlagung_wiederaufnahme_und_erlass, |db: &Db| {
    let clock = demo_env(db, d(9, 1));
    let l = Leute {
        kasse: session(db, clock.clone(), "KASSE"),
        buchhalter: session(db, clock.clone(), "BUCHHALTER"),
        kaemmerer: session(db, clock.clone(), "KAEMMERER"),
    };
    let befristet = forderung(&l, "Mittellos KG", d(9, 1), "500,00");
    let unbefristet = forderung(&l, "Erloschen GmbH", d(9, 1), "300,00");
    let erlass = forderung(&l, "Billigkeit OHG", d(9, 1), "200,00");
    heute(&clock, d(9, 10));

    assert!(matches!(
        niederschlagung::niederschlagen(
            &l.kasse,
            befristet,
            Some(d(12, 31)),
            "Fruchtlose Pfändung"
        ),
        Err(KisError::Permission(_))
    ));
    assert!(niederschlagung::niederschlagen(&l.kaemmerer, befristet, Some(d(12, 31)), "").is_err());
    let nb = niederschlagung::niederschlagen(
        &l.kaemmerer,
        befristet,
        Some(d(12, 31)),
        "Fruchtlose Pfändung",
    )
    .unwrap();
    assert!(niederschlagung::niederschlagen(&l.kaemmerer, befristet, None, "nochmals").is_err());
    let nu =
        niederschlagung::niederschlagen(&l.kaemmerer, unbefristet, None, "Firma gelöscht").unwrap();
    // The unbefristete one is written down; the claim stays on the account.
    assert_eq!(haben_auf(&l, "1211", &format!("NS{nu}")), eur("300,00"));
    assert_eq!(
        haben_auf(&l, "5761", &format!("NS{nu}")),
        Money::from_cents(-30_000)
    );
    assert_eq!(offen(&l, unbefristet), eur("300,00"));

    // Niedergeschlagene claims are not dunned.
    heute(&clock, d(10, 15));
    let e = mahnlauf::ausfuehren(&l.kasse, d(10, 15)).unwrap();
    let gemahnt: Vec<i64> = e
        .mahnungen
        .iter()
        .flat_map(|m| m.posten.iter().map(|p| p.anordnung))
        .collect();
    assert_eq!(gemahnt, vec![erlass]);
    mahnlauf::stornieren(&l.kasse, e.nr).unwrap();

    // Revived, they are dunned again; the write-down is written back.
    niederschlagung::wiederaufnehmen(&l.kaemmerer, nb, "Arbeitsaufnahme bekannt").unwrap();
    let zurueck =
        niederschlagung::wiederaufnehmen(&l.kaemmerer, nu, "Nachtragsliquidation").unwrap();
    assert!(zurueck.is_some());
    assert_eq!(haben_auf(&l, "4591", &format!("NS{nu}")), eur("300,00"));
    assert!(niederschlagung::wiederaufnehmen(&l.kaemmerer, nu, "nochmals").is_err());
    let e = mahnlauf::ausfuehren(&l.kasse, d(10, 15)).unwrap();
    let mut gemahnt: Vec<i64> = e
        .mahnungen
        .iter()
        .flat_map(|m| m.posten.iter().map(|p| p.anordnung))
        .collect();
    gemahnt.sort();
    assert_eq!(gemahnt, vec![befristet, unbefristet, erlass]);
    mahnlauf::stornieren(&l.kasse, e.nr).unwrap();

    // Erlass: partly, then the rest; the claim ends, posted as Aufwand.
    assert!(
        niederschlagung::erlassen(&l.kaemmerer, erlass, None, Some(eur("50,00")), "Billigkeit")
            .is_err()
    );
    assert!(
        niederschlagung::erlassen(
            &l.kaemmerer,
            erlass,
            Some(1),
            Some(eur("250,00")),
            "Billigkeit"
        )
        .is_err()
    );
    niederschlagung::erlassen(
        &l.kaemmerer,
        erlass,
        Some(1),
        Some(eur("50,00")),
        "Billigkeit (§ 227 AO)",
    )
    .unwrap();
    assert_eq!(offen(&l, erlass), eur("150,00"));
    niederschlagung::erlassen(
        &l.kaemmerer,
        erlass,
        None,
        None,
        "Billigkeit (§ 227 AO), Rest",
    )
    .unwrap();
    assert_eq!(offen(&l, erlass), Money::zero());
    assert!(niederschlagung::erlassen(&l.kaemmerer, erlass, None, None, "nochmals").is_err());
    assert_eq!(haben_auf(&l, "5761", "ER"), Money::from_cents(-20_000));
    let (ns, er) = niederschlagung::entscheidungen(&l.kasse, None).unwrap();
    assert_eq!((ns.len(), er.len()), (2, 2));
    assert!(ns.iter().all(|n| n.wieder_am.is_some()));
    ausgeglichen(&l);
});

#[test]
fn cli_stundung_erlass_niederschlagung_vollstreckung() {
    let dir = tempfile::tempdir().unwrap();
    let cli = kis_cli::KisCli::in_dir(dir.path());
    let kis = |user: Option<&str>, heute: &str, args: &[&str]| cli.run(user, heute, args);
    let tag = "01.09.2026";
    assert!(kis(None, tag, &["--neu", "demo", "load"]).0);
    let neu = |betrag: &str| {
        let (ok, out, err) = kis(
            Some("BUCHHALTER"),
            tag,
            &[
                "finas",
                "anordnung",
                "neu",
                "--art",
                "A",
                "--partner",
                "1",
                "--produkt",
                "01.01.01",
                "--konto",
                "4311",
                "--text",
                "Gebühr",
                "--faellig",
                &format!("01.09.2026={betrag}"),
            ],
        );
        assert!(ok, "{err}");
        let nr = out.split_whitespace().nth(1).unwrap().to_string();
        let (ok, _, err) = kis(
            Some("KAEMMERER"),
            tag,
            &["finas", "anordnung", "freigeben", &nr],
        );
        assert!(ok, "{err}");
        nr
    };
    let a1 = neu("12.000,00");
    let a2 = neu("200,00");
    let a3 = neu("500,00");

    let spaeter = "15.09.2026";
    let stunden = [
        "finas",
        "stundung",
        "neu",
        "--anordnung",
        &a1,
        "--rate",
        "15.10.2026=4.000,00",
        "--rate",
        "16.11.2026=4.000,00",
        "--rate",
        "15.12.2026=4.000,00",
        "--grund",
        "Erhebliche Härte",
    ];
    let (ok, _, err) = kis(Some("KASSE"), spaeter, &stunden);
    assert!(!ok && err.contains("Keine Berechtigung"), "{err}");
    let (ok, out, err) = kis(Some("KAEMMERER"), spaeter, &stunden);
    assert!(ok, "{err}");
    assert!(
        out.contains("Stundung 1 zu Kassenzeichen") && out.contains("120,00 €"),
        "{out}"
    );
    let (ok, out, _) = kis(Some("GAST"), spaeter, &["finas", "stundung", "liste"]);
    assert!(
        ok && out.contains("in Kraft") && out.contains("12.000,00"),
        "{out}"
    );
    let (ok, out, _) = kis(Some("GAST"), spaeter, &["finas", "stundung", "zeigen", "1"]);
    assert!(ok && out.contains("16.11.2026"), "{out}");

    let (ok, out, err) = kis(
        Some("KAEMMERER"),
        spaeter,
        &[
            "finas",
            "erlass",
            "--anordnung",
            &a2,
            "--lfd",
            "1",
            "--betrag",
            "50,00",
            "--grund",
            "Billigkeit",
        ],
    );
    assert!(ok && out.contains("über 50,00 €"), "{out}{err}");
    let (ok, _, err) = kis(
        Some("KAEMMERER"),
        spaeter,
        &[
            "finas",
            "erlass",
            "--anordnung",
            &a2,
            "--lfd",
            "1",
            "--betrag",
            "500,00",
            "--grund",
            "Billigkeit",
        ],
    );
    assert!(!ok && err.contains("offen sind 150,00 €"), "{err}");

    let (ok, id, err) = kis(
        Some("KAEMMERER"),
        spaeter,
        &[
            "finas",
            "niederschlagung",
            "neu",
            "--anordnung",
            &a3,
            "--bis",
            "31.12.2026",
            "--grund",
            "Fruchtlos gepfändet",
        ],
    );
    assert!(ok, "{err}");
    let (ok, out, _) = kis(
        Some("GAST"),
        spaeter,
        &["finas", "niederschlagung", "liste"],
    );
    assert!(
        ok && out.contains("befristet") && out.contains("bis 31.12.2026") && out.contains("Erlass"),
        "{out}"
    );
    let (ok, out, err) = kis(
        Some("KAEMMERER"),
        spaeter,
        &[
            "finas",
            "niederschlagung",
            "wiederaufnehmen",
            id.trim(),
            "--grund",
            "Arbeit aufgenommen",
        ],
    );
    assert!(ok && out.contains("wieder eingezogen"), "{out}{err}");

    let datei = dir.path().join("vollstreckung.csv");
    let (ok, _, err) = kis(
        Some("KASSE"),
        spaeter,
        &[
            "finas",
            "vollstreckung",
            "--out",
            &datei.display().to_string(),
        ],
    );
    assert!(!ok && err.contains("nichts vollstreckungsreif"), "{err}");
    assert!(!datei.exists(), "no file when nothing is handed over");
}
