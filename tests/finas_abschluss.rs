//! Jahresabschluss in outline: Ergebnis- and Finanzkonten closed in period
//! 16, the Jahresergebnis on Eigenkapital, the next year opened with the
//! closing balances.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::abschluss;
use kis::finas::journal::{self, BuchungInput, ZeileInput};
use kis::finas::{rechnung, stamm};
use kis::store::Db;
use kis::testing::{demo_env, session};

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

kis::store_test!(jahresabschluss_und_eroeffnung, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    let s = session(db, clock.clone(), "BUCHHALTER");
    let k = session(db, clock.clone(), "KAEMMERER");
    let d = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
    let zahlung = db
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
    journal::buchen(
        &s,
        &BuchungInput {
            datum: d,
            periode: None,
            beleg: "G-1".into(),
            text: "Gebühr".into(),
            zeilen: vec![
                ZeileInput::soll("1211", None, eur("100,00")),
                ZeileInput::haben("4311", Some("02.02.01"), eur("100,00")),
            ],
        },
    )
    .unwrap();
    journal::buchen(
        &s,
        &BuchungInput {
            datum: d,
            periode: None,
            beleg: "G-1".into(),
            text: "Zahlung".into(),
            zeilen: zahlung,
        },
    )
    .unwrap();
    journal::buchen(
        &s,
        &BuchungInput {
            datum: d,
            periode: None,
            beleg: "R-1".into(),
            text: "Papier".into(),
            zeilen: vec![
                ZeileInput::soll("5431", Some("01.01.02"), eur("40,00")),
                ZeileInput::haben("3511", None, eur("40,00")),
            ],
        },
    )
    .unwrap();
    let schluss_2026 = rechnung::bilanz(&s, 2026).unwrap();

    assert!(matches!(
        abschluss::jahresabschluss(&s, 2026),
        Err(KisError::Permission(_))
    ));
    // 2027 is still being planned: no postings there yet.
    assert!(abschluss::jahresabschluss(&k, 2026).is_err());
    stamm::jahr_status_setzen(&k, 2027, stamm::JahrStatus::Vorlaeufig).unwrap();
    let a = abschluss::jahresabschluss(&k, 2026).unwrap();
    assert_eq!(a.jahresergebnis, 6_000);
    assert!(abschluss::jahresabschluss(&k, 2026).is_err(), "nur einmal");

    let konten = stamm::konten(&s).unwrap();
    let typ = |nr: &str| konten.iter().find(|k| k.nr == nr).unwrap().typ;
    for z in rechnung::saldenliste(&s, 2026, None).unwrap() {
        if matches!(
            typ(&z.konto),
            stamm::KontoTyp::Ergebnis | stamm::KontoTyp::Finanz
        ) {
            assert_eq!(z.saldo(), 0, "Konto {} nicht abgeschlossen", z.konto);
        }
        if z.konto == "2041" {
            assert_eq!(z.saldo(), -6_000, "Jahresüberschuss im Haben");
        }
    }
    assert_eq!(
        rechnung::bilanz(&s, 2026).unwrap(),
        schluss_2026,
        "Abschlussbuchungen ändern die Bilanz nicht"
    );
    let eroeffnung_2027 = rechnung::bilanz(&s, 2027).unwrap();
    for (alt, neu) in schluss_2026.iter().zip(&eroeffnung_2027) {
        assert_eq!(
            (alt.position.as_str(), alt.schluss),
            (neu.position.as_str(), neu.eroeffnung)
        );
    }
    let (eb, _, _, _) = rechnung::summen(&rechnung::saldenliste(&s, 2027, None).unwrap());
    assert_eq!(eb, 0);
});
