//! Haushaltsüberwachung beyond scenario 1: Deckungsringe, Haushaltssperren,
//! Reservierungen with release, Ermächtigungsübertragung, VE, kameral plan.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::plan;
use kis::finas::ueberwachung::{self, Pruefergebnis};
use kis::finas::{kameral, stamm};
use kis::store::Db;
use kis::testing::{demo_env, session};

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

kis::store_test!(deckungsring_sperre_reservierung, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    let s = session(db, clock.clone(), "BUCHHALTER");
    let k = session(db, clock.clone(), "KAEMMERER");
    // DR01: 01.01.02/5431 (35.000) is covered by 01.02.01 and 01.03.01.
    let erg = ueberwachung::pruefen(&s, 2026, "01.01.02", "5431", eur("40.000,00")).unwrap();
    assert!(
        matches!(erg, Pruefergebnis::Warnung { ref meldung, .. } if meldung.contains("DR01")),
        "{erg:?}"
    );
    let erg = ueberwachung::pruefen(&s, 2026, "01.01.02", "5431", eur("80.000,00")).unwrap();
    assert!(erg.abgelehnt(), "der Ring reicht nicht: {erg:?}");
    // DR03 is one-sided: 03.02.01/5211 takes, 01.04.01/5211 only gives.
    assert!(
        !ueberwachung::pruefen(&s, 2026, "03.02.01", "5211", eur("500.000,00"))
            .unwrap()
            .abgelehnt()
    );
    assert!(
        ueberwachung::pruefen(&s, 2026, "01.04.01", "5211", eur("400.000,00"))
            .unwrap()
            .abgelehnt()
    );

    // A 20 % Sperre on a position reduces what is available.
    assert!(matches!(
        ueberwachung::sperren(
            &s,
            2026,
            Some(("01.01.01", "5431")),
            20,
            "Haushaltssicherung"
        ),
        Err(KisError::Permission(_))
    ));
    let sp = ueberwachung::sperren(
        &k,
        2026,
        Some(("01.01.01", "5431")),
        20,
        "Haushaltssicherung",
    )
    .unwrap();
    let pos = ueberwachung::position(&s, 2026, "01.01.01", "5431").unwrap();
    assert_eq!((pos.gesperrt, pos.verfuegbar()), (200_000, 800_000));
    assert!(
        ueberwachung::pruefen(&s, 2026, "01.01.01", "5431", eur("9.000,00"))
            .unwrap()
            .abgelehnt()
    );
    ueberwachung::sperre_aufheben(&k, sp).unwrap();
    assert_eq!(
        ueberwachung::position(&s, 2026, "01.01.01", "5431")
            .unwrap()
            .verfuegbar(),
        1_000_000
    );

    // Reservation over the available funds is refused; release frees the Obligo.
    assert!(matches!(
        ueberwachung::reservieren(&s, 2026, "01.01.01", "5431", eur("10.000,01"), "zu viel"),
        Err(KisError::Conflict(_))
    ));
    let (id, erg) = ueberwachung::reservieren(
        &s,
        2026,
        "01.01.01",
        "5431",
        eur("2.000,00"),
        "Druckerpapier",
    )
    .unwrap();
    assert!(matches!(erg, Pruefergebnis::Ok { .. }));
    assert_eq!(
        ueberwachung::position(&s, 2026, "01.01.01", "5431")
            .unwrap()
            .obligo,
        200_000
    );
    ueberwachung::reservierung_freigeben(&s, id).unwrap();
    assert_eq!(
        ueberwachung::position(&s, 2026, "01.01.01", "5431")
            .unwrap()
            .obligo,
        0
    );
    assert!(ueberwachung::reservierung_freigeben(&s, id).is_err());

    // Außerplanmäßig where there is no Ansatz.
    ueberwachung::genehmigen(
        &k,
        2026,
        "14.01.01",
        "5431",
        eur("500,00"),
        "APL-2026-01",
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        "Klimaschutzwoche",
    )
    .unwrap();
    let v = ueberwachung::verlauf(&s, 2026, "14.01.01", "5431").unwrap();
    assert_eq!(v[0].art, "Genehmigung außerplanmäßig");
    assert!(matches!(
        ueberwachung::genehmigen(
            &k,
            2026,
            "14.01.01",
            "5431",
            eur("1,00"),
            "APL-2026-01",
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            "doppelt"
        ),
        Err(KisError::Validation { .. })
    ));
});

kis::store_test!(uebertragung_ve_und_kameral, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    let s = session(db, clock.clone(), "BUCHHALTER");
    let k = session(db, clock.clone(), "KAEMMERER");
    // 2025's investment position 03.02.01/7851 was not spent: up to its Ansatz can be carried over.
    let vorjahr = ueberwachung::position(&s, 2025, "03.02.01", "7851").unwrap();
    assert!(vorjahr.verfuegbar() > 0);
    assert!(
        ueberwachung::uebertragen(
            &k,
            2026,
            "03.02.01",
            "7851",
            Money::from_cents(vorjahr.verfuegbar() + 1),
            "Bauverzug"
        )
        .is_err()
    );
    ueberwachung::uebertragen(
        &k,
        2026,
        "03.02.01",
        "7851",
        eur("500.000,00"),
        "Bauverzug 1. Bauabschnitt",
    )
    .unwrap();
    let pos = ueberwachung::position(&s, 2026, "03.02.01", "7851").unwrap();
    assert_eq!(pos.uebertragung, 50_000_000);
    assert_eq!(pos.ermaechtigung(), 240_000_000 + 50_000_000);

    let versionen = plan::versionen(&s, 2026).unwrap();
    let ves = plan::ves(&s, 2026, versionen[0].version).unwrap();
    assert_eq!(ves.len(), 3);
    assert_eq!(ves[0].betrag, ves[0].faellig.iter().copied().sum::<Money>());

    // A kameral plan in outline: Verwaltungs- and Vermögenshaushalt balance via the Zuführung.
    let j = db
        .read(|sql| stamm::jahr_status_in(sql, "001", 2027))
        .unwrap();
    assert_eq!(j, stamm::JahrStatus::Planung);
    let v = plan::version_anlegen(&s, 2027, "Entwurf 2027").unwrap();
    let actor = s.actor();
    db.write(|sql| {
        kameral::ansatz_setzen_in(sql, &actor, 2027, v, "900", "001", eur("1.000.000,00"))?;
        kameral::ansatz_setzen_in(sql, &actor, 2027, v, "020", "414", eur("800.000,00"))?;
        kameral::ansatz_setzen_in(sql, &actor, 2027, v, "910", "860", eur("200.000,00"))?;
        kameral::ansatz_setzen_in(sql, &actor, 2027, v, "910", "300", eur("200.000,00"))?;
        kameral::ansatz_setzen_in(sql, &actor, 2027, v, "630", "950", eur("200.000,00"))
    })
    .unwrap();
    assert!(
        db.write(|sql| kameral::ansatz_setzen_in(sql, &actor, 2027, v, "999", "950", eur("1,00")))
            .is_err()
    );
    let g = kameral::gesamtplan(&s, 2027, v).unwrap();
    assert_eq!(
        (g.v_einnahmen, g.v_ausgaben, g.w_einnahmen, g.w_ausgaben),
        (100_000_000, 100_000_000, 20_000_000, 20_000_000)
    );
    assert!(g.ausgeglichen());
    plan::beschliessen(&k, 2027, v, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()).unwrap();
    assert_eq!(
        db.read(|sql| stamm::jahr_status_in(sql, "001", 2027))
            .unwrap(),
        stamm::JahrStatus::Beschlossen
    );
});
