//! The Zahllauf on SQLite and PostgreSQL: pain.001 and pain.008 files that
//! pass the official XSD, their counts and control sums, FRST then RCUR,
//! revoked and lapsed mandates, no due date in two live runs, cancelling
//! reopens, umlauts transliterated, pain.001.001.03 for an account.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::kasse::iso20022::{self, Nachricht};
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, PartnerArt, PartnerInput,
};
use kis::finas::kasse::partner::MandatInput;
use kis::finas::kasse::{anordnung, kassenzeichen, partner, zahllauf};
use kis::finas::sepa::Pain001Version;
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

fn firma(kasse: &Session, name: &str, iban: &str) -> i64 {
    let id = partner::anlegen(
        kasse,
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
    partner::bank_hinzufuegen(kasse, id, iban, "", "").unwrap();
    id
}

fn mandat(kasse: &Session, id: i64, referenz: &str, iban: &str, unterschrieben: NaiveDate) {
    partner::mandat_anlegen(
        kasse,
        id,
        &MandatInput {
            referenz: referenz.into(),
            iban: iban.into(),
            unterschrieben,
            wiederkehrend: true,
        },
    )
    .unwrap();
}

/// Entered by the Buchhalter, released by the Kämmerer; returns the Kassenzeichen.
fn anordnung(
    buchhalter: &Session,
    kaemmerer: &Session,
    art: AnordnungArt,
    partner: i64,
    text: &str,
    faellig: &[(NaiveDate, &str)],
) -> String {
    let (konto, gegen) = match art {
        AnordnungArt::Annahme => ("4311", None),
        AnordnungArt::Auszahlung => ("5431", None),
    };
    let a = anordnung::erfassen(
        buchhalter,
        &AnordnungInput {
            reservierung: None,
            art,
            partner,
            produkt: "01.01.01".into(),
            konto: konto.into(),
            kostenstelle: None,
            gegenkonto: gegen,
            text: text.into(),
            faelligkeiten: faellig
                .iter()
                .map(|(f, b)| Faelligkeit {
                    faellig: *f,
                    betrag: eur(b),
                })
                .collect(),
        },
    )
    .unwrap();
    anordnung::freigeben(kaemmerer, a.nr).unwrap();
    a.kassenzeichen
}

fn datei<'a>(e: &'a zahllauf::Ergebnis, art: &str) -> &'a zahllauf::Datei {
    e.dateien.iter().find(|d| d.art == art).unwrap_or_else(|| {
        panic!(
            "{art} fehlt: {:?}",
            e.dateien.iter().map(|d| &d.art).collect::<Vec<_>>()
        )
    })
}

fn count(xml: &str, needle: &str) -> usize {
    xml.matches(needle).count()
}

kis::store_test!(zahllauf_schreibt_geprueft_frst_rcur_storno, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let kasse = session(db, clock.clone(), "KASSE");
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let out = tempfile::tempdir().unwrap();

    let lieferant = firma(&kasse, "Bürobedarf Krüger-Süß KG", "DE89370400440532013000");
    let zahler = firma(&kasse, "Jürgen Weiß Gärten", "DE02120300000000202051");
    mandat(
        &kasse,
        zahler,
        "WEISS-1",
        "DE02120300000000202051",
        d(1, 10),
    );
    let widerrufen = firma(&kasse, "Widerruf GmbH", "DE64370400440000400100");
    mandat(
        &kasse,
        widerrufen,
        "WID-1",
        "DE64370400440000400100",
        d(1, 10),
    );
    partner::mandat_widerrufen(&kasse, "WID-1", d(11, 20)).unwrap();
    let verfallen = firma(&kasse, "Verfall AG", "DE80370400440000400200");
    mandat(
        &kasse,
        verfallen,
        "ALT-1",
        "DE80370400440000400200",
        NaiveDate::from_ymd_opt(2022, 1, 10).unwrap(),
    );

    let kz_zahlung = anordnung(
        &buchhalter,
        &kaemmerer,
        AnordnungArt::Auszahlung,
        lieferant,
        "Büromaterial Größe A4",
        &[(d(12, 1), "1.234,56"), (d(12, 10), "100,00")],
    );
    let kz_einzug = anordnung(
        &buchhalter,
        &kaemmerer,
        AnordnungArt::Annahme,
        zahler,
        "Grabnutzungsgebühr",
        &[(d(12, 1), "40,00"), (d(12, 15), "60,00")],
    );
    anordnung(
        &buchhalter,
        &kaemmerer,
        AnordnungArt::Annahme,
        widerrufen,
        "Gebühr",
        &[(d(12, 1), "10,00")],
    );
    anordnung(
        &buchhalter,
        &kaemmerer,
        AnordnungArt::Annahme,
        verfallen,
        "Gebühr",
        &[(d(12, 1), "20,00")],
    );

    // Only the Kasse runs payments.
    assert!(matches!(
        zahllauf::ausfuehren(&buchhalter, d(12, 1), None),
        Err(KisError::Permission(_))
    ));

    let (e1, pfade) = zahllauf::ausfuehren(&kasse, d(12, 1), Some(out.path())).unwrap();
    assert_eq!(pfade.len(), 2, "{pfade:?}");
    let ct = datei(&e1, "pain.001.001.09");
    let dd = datei(&e1, "pain.008.001.08");
    iso20022::pruefen(Nachricht::Pain001V09, ct.inhalt.as_bytes()).unwrap();
    iso20022::pruefen(Nachricht::Pain008V08, dd.inhalt.as_bytes()).unwrap();
    for p in &pfade {
        let bytes = std::fs::read(p).unwrap();
        let nachricht = if p.to_string_lossy().contains("pain.008") {
            Nachricht::Pain008V08
        } else {
            Nachricht::Pain001V09
        };
        iso20022::pruefen(nachricht, &bytes).unwrap();
    }
    // Credit transfer: the due payable only (the 10.12. one is not due yet).
    assert_eq!((ct.anzahl, ct.summe), (1, eur("1.234,56")));
    assert_eq!(count(&ct.inhalt, "<NbOfTxs>1</NbOfTxs>"), 2);
    assert_eq!(count(&ct.inhalt, "<CtrlSum>1234.56</CtrlSum>"), 2);
    assert!(
        ct.inhalt.contains("<Nm>Buerobedarf Krueger-Suess KG</Nm>"),
        "{}",
        ct.inhalt
    );
    assert!(ct.inhalt.contains(&format!(
        "<Ustrd>{} Bueromaterial Groesse A4</Ustrd>",
        kassenzeichen::anzeigen(&kz_zahlung)
    )));
    assert!(ct.inhalt.contains("<Dt>2026-12-01</Dt>"));
    assert!(!ct.inhalt.contains('ü') && !ct.inhalt.contains('ß'));
    // Direct debit: only the valid mandate, first use FRST; revoked and lapsed ones are not collected.
    assert_eq!((dd.anzahl, dd.summe), (1, eur("40,00")));
    assert_eq!(count(&dd.inhalt, "<NbOfTxs>1</NbOfTxs>"), 2);
    assert_eq!(count(&dd.inhalt, "<CtrlSum>40.00</CtrlSum>"), 2);
    assert!(dd.inhalt.contains("<SeqTp>FRST</SeqTp>"));
    assert!(dd.inhalt.contains("<MndtId>WEISS-1</MndtId>"));
    assert!(!dd.inhalt.contains("WID-1") && !dd.inhalt.contains("ALT-1"));
    assert!(dd.inhalt.contains("<Nm>Juergen Weiss Gaerten</Nm>"));
    assert!(dd.inhalt.contains(&format!(
        "<Ustrd>{} Grabnutzungsgebuehr</Ustrd>",
        kassenzeichen::anzeigen(&kz_einzug)
    )));
    assert!(dd.inhalt.contains("<Id>DE98ZZZ09999999999</Id>"));
    assert!(
        dd.inhalt
            .contains("<ReqdColltnDt>2026-12-01</ReqdColltnDt>")
    );

    // The same due dates are never in two live runs: the service finds nothing…
    let e = zahllauf::ausfuehren(&kasse, d(12, 1), None).unwrap_err();
    assert!(
        matches!(e, KisError::Conflict(ref m) if m.contains("nichts zu zahlen")),
        "{e}"
    );
    // …and the database refuses a second live item around it.
    let (l1, posten1) = zahllauf::zeigen(&kasse, e1.nr).unwrap();
    assert!(l1.live);
    assert_eq!((l1.anzahl, l1.summe), (2, eur("1.274,56")));
    let p = &posten1[0];
    let doppelt = db.write(|sql| {
        sql.execute(
            "INSERT INTO fin_zahllauf_posten (mandant, zahllauf, anordnung, lfd, betrag, referenz, art, live) VALUES ('001', ?, ?, ?, 1, 'X', 'pain.001.001.09', 1)",
            &params![e1.nr + 1000, p.anordnung, p.lfd],
        )
    });
    assert!(doppelt.is_err());

    // Reprint: the same bytes again.
    let (nochmal, pfade2) =
        zahllauf::neu_drucken(&kasse, e1.nr, Some(&out.path().join("neu"))).unwrap();
    assert_eq!(nochmal.len(), 2);
    assert_eq!(pfade2.len(), 2);
    for alt in &pfade {
        let neu = out.path().join("neu").join(alt.file_name().unwrap());
        assert!(
            std::fs::read(alt).unwrap() == std::fs::read(&neu).unwrap(),
            "{neu:?}"
        );
    }

    // The next run: the mandate's second use is RCUR.
    let (e2, _) = zahllauf::ausfuehren(&kasse, d(12, 15), None).unwrap();
    let dd2 = datei(&e2, "pain.008.001.08");
    iso20022::pruefen(Nachricht::Pain008V08, dd2.inhalt.as_bytes()).unwrap();
    assert!(dd2.inhalt.contains("<SeqTp>RCUR</SeqTp>") && !dd2.inhalt.contains("FRST"));
    assert_eq!((dd2.anzahl, dd2.summe), (1, eur("60,00")));
    assert_eq!(datei(&e2, "pain.001.001.09").summe, eur("100,00"));

    // Cancelling reopens the items (and the mandate's use is as before): run again, same items, RCUR again.
    zahllauf::stornieren(&kasse, e2.nr).unwrap();
    assert!(!zahllauf::zeigen(&kasse, e2.nr).unwrap().0.live);
    let e = zahllauf::stornieren(&kasse, e2.nr).unwrap_err();
    assert!(e.to_string().contains("bereits storniert"), "{e}");
    assert!(zahllauf::neu_drucken(&kasse, e2.nr, None).is_err());
    let (e3, _) = zahllauf::ausfuehren(&kasse, d(12, 15), None).unwrap();
    let (_, posten3) = zahllauf::zeigen(&kasse, e3.nr).unwrap();
    let (_, posten2) = zahllauf::zeigen(&kasse, e2.nr).unwrap();
    let schluessel = |ps: &[zahllauf::LaufPosten]| {
        ps.iter()
            .map(|p| (p.anordnung, p.lfd, p.betrag))
            .collect::<Vec<_>>()
    };
    assert_eq!(schluessel(&posten2), schluessel(&posten3));
    assert!(
        datei(&e3, "pain.008.001.08")
            .inhalt
            .contains("<SeqTp>RCUR</SeqTp>")
    );

    // Listed newest first; audited.
    let liste = zahllauf::liste(&kasse, 10).unwrap();
    assert_eq!(
        liste.iter().map(|l| l.nr).collect::<Vec<_>>(),
        vec![e3.nr, e2.nr, e1.nr]
    );
    let aktionen: Vec<String> = db
        .read(|sql| {
            sql.query(
                "SELECT action FROM audit_log WHERE entity = 'fin_zahllauf' ORDER BY seq",
                &[],
            )
        })
        .unwrap()
        .iter()
        .map(|r| r.str(0).unwrap())
        .collect();
    assert_eq!(
        aktionen,
        [
            "ZAHLLAUF_AUSFUEHREN",
            "ZAHLLAUF_NEU_DRUCKEN",
            "ZAHLLAUF_AUSFUEHREN",
            "ZAHLLAUF_STORNIEREN",
            "ZAHLLAUF_AUSFUEHREN"
        ]
    );
});

kis::store_test!(zahllauf_pain001_03_und_vorabankuendigung, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let kasse = session(db, clock.clone(), "KASSE");
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let lieferant = firma(&kasse, "Schäfer Bau", "DE89370400440532013000");
    let zahler = firma(&kasse, "Zahler KG", "DE02120300000000202051");
    mandat(&kasse, zahler, "Z-1", "DE02120300000000202051", d(1, 10));
    anordnung(
        &buchhalter,
        &kaemmerer,
        AnordnungArt::Auszahlung,
        lieferant,
        "Pflaster",
        &[(d(11, 26), "500,00")],
    );
    anordnung(
        &buchhalter,
        &kaemmerer,
        AnordnungArt::Annahme,
        zahler,
        "Gebühr",
        &[(d(11, 26), "30,00")],
    );

    // This Stadtkasse account wants pain.001.001.03, and 14 days of pre-notification.
    assert!(zahllauf::einstellung_setzen(&buchhalter, Pain001Version::V03, 14).is_err());
    zahllauf::einstellung_setzen(&kasse, Pain001Version::V03, 14).unwrap();
    let (e, _) = zahllauf::ausfuehren(&kasse, d(11, 26), None).unwrap();
    assert_eq!(
        e.dateien.len(),
        1,
        "the debit waits for its pre-notification"
    );
    let ct = datei(&e, "pain.001.001.03");
    iso20022::pruefen(Nachricht::Pain001V03, ct.inhalt.as_bytes()).unwrap();
    assert!(iso20022::pruefen(Nachricht::Pain001V09, ct.inhalt.as_bytes()).is_err());
    assert!(ct.inhalt.contains("<ReqdExctnDt>2026-11-26</ReqdExctnDt>"));
    assert!(ct.inhalt.contains("<Nm>Schaefer Bau</Nm>"));
    assert!(
        e.hinweise.iter().any(|h| h.contains("Vorabankündigung")),
        "{:?}",
        e.hinweise
    );

    // Too early for the debit alone: refused, nothing stored.
    let vorher = zahllauf::liste(&kasse, 10).unwrap().len();
    let err = zahllauf::ausfuehren(&kasse, d(12, 1), None).unwrap_err();
    assert!(err.to_string().contains("Vorabankündigung"), "{err}");
    assert_eq!(zahllauf::liste(&kasse, 10).unwrap().len(), vorher);
    // From the 9.12. on (14 days after today) it is collected.
    let (e, _) = zahllauf::ausfuehren(&kasse, d(12, 9), None).unwrap();
    let dd = datei(&e, "pain.008.001.08");
    iso20022::pruefen(Nachricht::Pain008V08, dd.inhalt.as_bytes()).unwrap();
    assert!(dd.inhalt.contains("<SeqTp>FRST</SeqTp>"));
});

/// `kis finas zahllauf …` through the binary (SQLite file): the run prints
/// the paths of the files it wrote, one per line; list, show, reprint, cancel.
#[test]
fn cli_zahllauf_schreibt_dateien_und_storniert() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("kis.sqlite").display());
    let kis = |user: Option<&str>, args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kis"));
        cmd.arg("--db").arg(&url);
        match user {
            Some(u) => {
                cmd.arg("--user")
                    .arg(u)
                    .env("KIS_PASSWORD", u.to_lowercase());
            }
            None => {
                cmd.env_remove("KIS_PASSWORD");
            }
        }
        let o = cmd
            .args(args)
            .env_remove("KIS_DB")
            .env("KIS_HEUTE", "25.11.2026")
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let ok = |user: Option<&str>, args: &[&str]| {
        let (s, out, err) = kis(user, args);
        assert!(s, "{args:?}: {out}{err}");
        out
    };
    ok(None, &["--neu", "demo", "load"]);
    ok(Some("BUCHHALTER"), &["demo", "kasse", "--anzahl", "30"]);
    ok(
        Some("KAEMMERER"),
        &["finas", "anordnung", "freigeben", "--alle"],
    );
    let out_dir = dir.path().join("sepa");
    let out = ok(
        Some("KASSE"),
        &[
            "finas",
            "zahllauf",
            "--datum",
            "31.03.2027",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    let pfade: Vec<&str> = out.lines().collect();
    assert_eq!(pfade.len(), 2, "{out}");
    for p in &pfade {
        let bytes = std::fs::read(p).unwrap();
        let n = if p.contains("pain.008") {
            Nachricht::Pain008V08
        } else {
            Nachricht::Pain001V09
        };
        iso20022::pruefen(n, &bytes).unwrap();
    }
    let liste = ok(Some("KASSE"), &["finas", "zahllauf", "liste"]);
    assert!(liste.contains("laufend"), "{liste}");
    let zeigen = ok(Some("KASSE"), &["finas", "zahllauf", "zeigen", "1"]);
    assert!(
        zeigen.contains("pain.008.001.08") && zeigen.contains("pain.001.001.09"),
        "{zeigen}"
    );
    let neu = dir.path().join("neu");
    let nochmal = ok(
        Some("KASSE"),
        &[
            "finas",
            "zahllauf",
            "drucken",
            "1",
            "--out",
            neu.to_str().unwrap(),
        ],
    );
    for (alt, neu) in pfade.iter().zip(nochmal.lines()) {
        assert!(std::fs::read(alt).unwrap() == std::fs::read(neu).unwrap());
    }
    // Nothing left for the same date; the Buchhalter may not run payments.
    let (s, _, err) = kis(
        Some("KASSE"),
        &[
            "finas",
            "zahllauf",
            "--datum",
            "31.03.2027",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(!s && err.contains("nichts zu zahlen"), "{err}");
    let (s, _, _) = kis(
        Some("BUCHHALTER"),
        &["finas", "zahllauf", "stornieren", "1"],
    );
    assert!(!s);
    ok(Some("KASSE"), &["finas", "zahllauf", "stornieren", "1"]);
    assert!(ok(Some("KASSE"), &["finas", "zahllauf", "liste"]).contains("storniert"));
    let again = ok(
        Some("KASSE"),
        &[
            "finas",
            "zahllauf",
            "--datum",
            "31.03.2027",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(
        again.lines().count(),
        2,
        "cancel reopened the items: {again}"
    );
}
