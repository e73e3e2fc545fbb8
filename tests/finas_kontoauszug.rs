//! FINAS Kasse bank statements (camt.053) on SQLite and PostgreSQL.

use chrono::NaiveDate;
use kis::core::clock::Clock;
use kis::core::money::Money;
use kis::finas::kasse::kontoauszug;
use kis::finas::repo::kasse::kontoauszug::{self as repo, AuszugRow};
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

const IBAN: &str = "DE02120300000000202051";

kis::store_test!(schlusssaldo_des_letzten_auszugs_bis_zum_tag, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let kasse = session(db, clock.clone(), "KASSE");
    assert_eq!(kontoauszug::schlusssaldo(&kasse, IBAN, d(11, 20)).unwrap(), None);
    for (nr, tag, saldo) in [("A-1", 10, 100_00), ("A-2", 12, 250_50), ("A-3", 15, -20_00)] {
        db.write(|sql| {
            repo::auszug_einfuegen(
                sql,
                "001",
                &AuszugRow {
                    id: 0,
                    iban: IBAN.into(),
                    auszug_id: nr.into(),
                    elektr_seq: None,
                    datum: d(11, tag),
                    anfangssaldo: 0,
                    schlusssaldo: saldo,
                    nachricht: "camt.053.001.02".into(),
                },
                "KASSE",
                clock.now(),
            )
        })
        .unwrap();
    }
    let s = |tag| kontoauszug::schlusssaldo(&kasse, IBAN, d(11, tag)).unwrap();
    assert_eq!(s(9), None);
    assert_eq!(s(10), Some(Money::from_cents(100_00)));
    assert_eq!(s(14), Some(Money::from_cents(250_50)));
    assert_eq!(s(30), Some(Money::from_cents(-20_00)));
    // Other accounts have no balance.
    assert_eq!(
        kontoauszug::schlusssaldo(&kasse, "DE89370400440532013000", d(11, 30)).unwrap(),
        None
    );
    let gast = session(db, clock.clone(), "PERSONAL");
    assert!(kontoauszug::schlusssaldo(&gast, IBAN, d(11, 30)).is_err());
});
