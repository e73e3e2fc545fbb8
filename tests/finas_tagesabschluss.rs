//! FINAS Tagesabschluss on SQLite and PostgreSQL: Zeitbuch and Sachbuch of
//! a day, the Kassenbestand of the Stadtkasse bank account, closing a day
//! and the journal's refusal of postings dated on a closed day.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::journal::{self, BuchungInput, ZeileInput};
use kis::finas::kasse::model::{AnordnungArt, AnordnungInput, AnordnungStatus, Faelligkeit};
use kis::finas::kasse::{anordnung, einstellung, tagesabschluss};
use kis::kernel::session::Session;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

/// A fee (Forderung an Ertrag) and its payment into the bank (1811).
fn gebuehr_und_zahlung(db: &Db, s: &Session, datum: NaiveDate, betrag: &str) -> (i64, i64) {
    let zahlung = db
        .read(|sql| {
            journal::zahlung_zeilen(
                sql,
                "001",
                "1811",
                "1211",
                "4311",
                "02.02.01",
                eur(betrag),
                true,
            )
        })
        .unwrap();
    let g = journal::buchen(
        s,
        &BuchungInput {
            datum,
            periode: None,
            beleg: "TA-1".into(),
            text: "Gebühr Tagesabschluss".into(),
            zeilen: vec![
                ZeileInput::soll("1211", None, eur(betrag)),
                ZeileInput::haben("4311", Some("02.02.01"), eur(betrag)),
            ],
        },
    )
    .unwrap();
    let z = journal::buchen(
        s,
        &BuchungInput {
            datum,
            periode: None,
            beleg: "TA-1".into(),
            text: "Zahlung Tagesabschluss".into(),
            zeilen: zahlung,
        },
    )
    .unwrap();
    (g.nr, z.nr)
}

fn bestand(p: &tagesabschluss::Pruefung) -> Money {
    assert_eq!(p.bestaende.len(), 1, "{:?}", p.bestaende);
    assert_eq!(p.bestaende[0].konto, "1811");
    assert_eq!(p.bestaende[0].iban, "DE95440501990000001811");
    p.bestaende[0].bestand
}

fn sachbuch(p: &tagesabschluss::Pruefung, konto: &str) -> (Money, Money) {
    p.sachbuch
        .iter()
        .filter(|z| z.konto == konto)
        .fold((Money::zero(), Money::zero()), |(s, h), z| {
            (s + z.soll, h + z.haben)
        })
}

fn gebuehr_anordnung() -> AnordnungInput {
    AnordnungInput {
        reservierung: None,
        art: AnordnungArt::Annahme,
        partner: 1,
        produkt: "01.01.01".into(),
        konto: "4311".into(),
        kostenstelle: None,
        gegenkonto: None,
        text: "Verwaltungsgebühr".into(),
        faelligkeiten: vec![Faelligkeit {
            faellig: d(12, 30),
            betrag: eur("25,00"),
        }],
    }
}

kis::store_test!(
    ausgeglichener_tag_wird_abgeschlossen_und_gesperrt,
    |db: &Db| {
        let tag = d(12, 15);
        let clock = demo_env(db, tag);
        let buchhalter = session(db, clock.clone(), "BUCHHALTER");
        let kaemmerer = session(db, clock.clone(), "KAEMMERER");
        let kasse = session(db, clock.clone(), "KASSE");
        let vorher = tagesabschluss::pruefen(&kasse, tag).unwrap();
        let (gnr, znr) = gebuehr_und_zahlung(db, &buchhalter, tag, "100,00");
        let a = anordnung::erfassen(&buchhalter, &gebuehr_anordnung()).unwrap();

        let p = tagesabschluss::pruefen(&kasse, tag).unwrap();
        assert!(p.ausgeglichen(), "{:?}", p.maengel);
        assert!(!p.abgeschlossen);
        // Zeitbuch: the day's Buchungen in order of number, ours at the end.
        assert_eq!(p.zeitbuch.len(), vorher.zeitbuch.len() + 2);
        assert!(p.zeitbuch.windows(2).all(|w| w[0].nr < w[1].nr));
        let g = &p.zeitbuch[p.zeitbuch.len() - 2];
        let z = &p.zeitbuch[p.zeitbuch.len() - 1];
        assert_eq!((g.nr, z.nr), (gnr, znr));
        assert_eq!(g.text, "Gebühr Tagesabschluss");
        assert_eq!(g.soll_konten, vec!["1211".to_string()]);
        assert_eq!(g.haben_konten, vec!["4311".to_string()]);
        assert_eq!(g.betrag, eur("100,00"));
        assert!(z.soll_konten.contains(&"1811".to_string()), "{z:?}");
        assert!(z.haben_konten.contains(&"1211".to_string()), "{z:?}");
        assert_eq!(
            z.betrag,
            eur("200,00"),
            "four lines: Bilanz and Finanz component"
        );
        // Sachbuch: the day's totals per account moved by exactly our postings.
        let (s0, h0) = sachbuch(&vorher, "1811");
        let (s1, h1) = sachbuch(&p, "1811");
        assert_eq!((s1 - s0, h1 - h0), (eur("100,00"), Money::zero()));
        let (s0, h0) = sachbuch(&vorher, "1211");
        let (s1, h1) = sachbuch(&p, "1211");
        assert_eq!((s1 - s0, h1 - h0), (eur("100,00"), eur("100,00")));
        assert!(
            p.sachbuch
                .iter()
                .any(|z| z.konto == "4311" && z.produkt.as_deref() == Some("02.02.01"))
        );
        assert_eq!(p.soll, p.haben);
        // Kassenbestand: the bank account's Sachkonto up to and including the day.
        assert_eq!(bestand(&p) - bestand(&vorher), eur("100,00"));

        // Only the cash office closes.
        assert!(matches!(
            tagesabschluss::abschliessen(&buchhalter, tag),
            Err(KisError::Permission(_))
        ));
        let fertig = tagesabschluss::abschliessen(&kasse, tag).unwrap();
        assert!(fertig.abgeschlossen);
        assert!(tagesabschluss::pruefen(&kasse, tag).unwrap().abgeschlossen);

        // Closing twice is refused.
        let e = tagesabschluss::abschliessen(&kasse, tag).unwrap_err();
        assert!(e.to_string().contains("bereits abgeschlossen"), "{e}");

        // No journal posting dated that day or earlier …
        let sperre = "Der Kassentag 15.12.2026 ist abgeschlossen";
        for datum in [tag, d(12, 1)] {
            let e = journal::buchen(
                &buchhalter,
                &BuchungInput {
                    datum,
                    periode: None,
                    beleg: "TA-2".into(),
                    text: "Nachzügler".into(),
                    zeilen: vec![
                        ZeileInput::soll("1211", None, eur("5,00")),
                        ZeileInput::haben("4311", Some("02.02.01"), eur("5,00")),
                    ],
                },
            )
            .unwrap_err();
            assert!(e.to_string().contains("ist abgeschlossen"), "{e}");
        }
        // … no Storno dated that day …
        let e = journal::stornieren(&buchhalter, gnr, tag, "Irrtum").unwrap_err();
        assert!(e.to_string().contains(sperre), "{e}");
        // … and no Anordnung released (posted) on that day; nothing changed.
        let e = anordnung::freigeben(&kaemmerer, a.nr).unwrap_err();
        assert!(e.to_string().contains(sperre), "{e}");
        assert_eq!(
            anordnung::lesen(&kaemmerer, a.nr).unwrap().status,
            AnordnungStatus::Erfasst
        );
        let nachher = tagesabschluss::pruefen(&kasse, tag).unwrap();
        assert_eq!(nachher.zeitbuch, p.zeitbuch);
        assert!(
            journal::summen_pruefen(&kasse_leser(db, &clock), 2026)
                .unwrap()
                .is_empty()
        );

        // The next day posts again.
        clock.set(d(12, 16).and_hms_opt(9, 0, 0).unwrap());
        assert!(anordnung::freigeben(&kaemmerer, a.nr).is_ok());
    }
);

fn kasse_leser(db: &Db, clock: &std::sync::Arc<kis::core::clock::FixedClock>) -> Session {
    session(db, clock.clone(), "KAEMMERER")
}

kis::store_test!(
    tag_ohne_verknuepftes_bankkonto_wird_nicht_abgeschlossen,
    |db: &Db| {
        let tag = d(12, 15);
        let clock = demo_env(db, tag);
        let buchhalter = session(db, clock.clone(), "BUCHHALTER");
        let kasse = session(db, clock.clone(), "KASSE");
        gebuehr_und_zahlung(db, &buchhalter, tag, "42,00");
        let admin = session(db, clock.clone(), "DEMO");
        let mut e = einstellung::lesen(&admin).unwrap();
        assert_eq!(e.bankkonto, "1811");
        e.bankkonto = String::new();
        let actor = admin.actor();
        db.write(|sql| einstellung::setzen_in(sql, &actor, &e))
            .unwrap();

        let p = tagesabschluss::pruefen(&kasse, tag).unwrap();
        assert!(!p.ausgeglichen());
        assert!(p.bestaende.is_empty());
        let err = tagesabschluss::abschliessen(&kasse, tag).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("nicht ausgeglichen"), "{text}");
        assert!(
            text.contains("DE95440501990000001811"),
            "names the account: {text}"
        );
        assert!(!tagesabschluss::pruefen(&kasse, tag).unwrap().abgeschlossen);
        // Nothing was closed: the day still posts.
        gebuehr_und_zahlung(db, &buchhalter, tag, "1,00");

        // A class-3 account is no bank account.
        e.bankkonto = "3511".into();
        let err = db
            .write(|sql| einstellung::setzen_in(sql, &actor, &e))
            .unwrap_err();
        assert_eq!(err.field_key(), Some("bankkonto"), "{err}");
    }
);

kis::store_test!(fruehere_offene_tage_zuerst, |db: &Db| {
    let clock = demo_env(db, d(12, 20));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kasse = session(db, clock.clone(), "KASSE");
    // The first Tagesabschluss starts the series.
    tagesabschluss::abschliessen(&kasse, d(12, 10)).unwrap();
    gebuehr_und_zahlung(db, &buchhalter, d(12, 12), "10,00");
    gebuehr_und_zahlung(db, &buchhalter, d(12, 14), "20,00");
    let e = tagesabschluss::abschliessen(&kasse, d(12, 14)).unwrap_err();
    assert!(e.to_string().contains("12.12.2026"), "{e}");
    let e = tagesabschluss::abschliessen(&kasse, d(12, 9)).unwrap_err();
    assert!(
        e.to_string().contains("vor dem letzten Tagesabschluss"),
        "{e}"
    );
    let p12 = tagesabschluss::abschliessen(&kasse, d(12, 12)).unwrap();
    let p14 = tagesabschluss::abschliessen(&kasse, d(12, 14)).unwrap();
    assert_eq!(bestand(&p14) - bestand(&p12), eur("20,00"));
    // A day without postings after the last closed one may be closed too.
    tagesabschluss::abschliessen(&kasse, d(12, 16)).unwrap();
});

kis::store_test!(kassenbestand_stimmt_mit_kontoauszug_ueberein, |db: &Db| {
    let tag = d(11, 25);
    let clock = demo_env(db, tag);
    let kasse = session(db, clock.clone(), "KASSE");
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    kis::finas::kasse::generator::anordnungen(&buchhalter, 60).unwrap();
    anordnung::alle_freigeben(&kaemmerer).unwrap();
    let vorher = tagesabschluss::pruefen(&kasse, tag).unwrap();
    assert_eq!(vorher.bestaende[0].auszug, None, "no statement yet");
    // The demo statement opens with the book balance of the day before;
    // after its import the books and the bank agree.
    let xml = kis::finas::kasse::generator::kontoauszug(&kasse, 40, 3).unwrap();
    kis::finas::kasse::kontoauszug::importieren(&kasse, xml.as_bytes()).unwrap();
    let p = tagesabschluss::pruefen(&kasse, tag).unwrap();
    assert!(p.ausgeglichen(), "{:?}", p.maengel);
    assert_eq!(p.bestaende[0].auszug, Some(p.bestaende[0].bestand));
    assert_ne!(p.bestaende[0].bestand, vorher.bestaende[0].bestand);
    // A bank booking KIS does not know keeps the day open.
    db.write(|sql| {
        sql.execute(
            "UPDATE fin_kontoauszug SET schlusssaldo = schlusssaldo - 300",
            &[],
        )
    })
    .unwrap();
    let p = tagesabschluss::pruefen(&kasse, tag).unwrap();
    assert!(
        p.maengel.iter().any(|m| m
            .contains("weicht vom Schlusssaldo des Kontoauszugs vom 25.11.2026")
            && m.contains("um 3,00 €")),
        "{:?}",
        p.maengel
    );
    assert!(tagesabschluss::abschliessen(&kasse, tag).is_err());
});

#[test]
fn cli_tagesabschluss_prueft_schliesst_und_sperrt() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("kis.sqlite").display());
    let kis = |user: Option<&str>, args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kis"));
        cmd.arg("--db").arg(&url);
        if let Some(u) = user {
            cmd.arg("--user")
                .arg(u)
                .env("KIS_PASSWORD", u.to_lowercase());
        } else {
            cmd.env_remove("KIS_PASSWORD");
        }
        let o = cmd
            .args(args)
            .env_remove("KIS_DB")
            .env("KIS_HEUTE", "25.11.2026")
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr),
        )
    };
    assert!(kis(None, &["--neu", "demo", "load"]).0);
    let tag = ["finas", "tagesabschluss", "--datum", "25.11.2026"];
    let (ok, out) = kis(Some("KASSE"), &[&tag[..], &["--pruefen"]].concat());
    assert!(ok, "{out}");
    assert!(out.contains("Zeitbuch 25.11.2026"), "{out}");
    assert!(out.contains("Kassenbestand DE"), "{out}");
    assert!(out.contains("ist ausgeglichen"), "{out}");
    let (ok, out) = kis(Some("LESER"), &tag);
    assert!(!ok && out.contains("Keine Berechtigung"), "{out}");
    let (ok, out) = kis(Some("KASSE"), &tag);
    assert!(
        ok && out.contains("Kassentag 25.11.2026 abgeschlossen."),
        "{out}"
    );
    let (ok, out) = kis(Some("KASSE"), &tag);
    assert!(ok && out.contains("bereits abgeschlossen"), "{out}");
}
