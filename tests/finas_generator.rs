//! `kis demo postings`: deterministic, balanced, consistent with the totals.

use chrono::NaiveDate;
use kis::finas::{generator, journal, ledger, rechnung};
use kis::store::Db;
use kis::testing::{demo_env, session};

kis::store_test!(demo_buchungen_sind_ausgeglichen_und_deterministisch, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    let s = session(db, clock.clone(), "BUCHHALTER");
    assert_eq!(generator::generieren(&s, 2026, 1_200).unwrap(), 1_200);
    let liste = rechnung::saldenliste(&s, 2026, None).unwrap();
    let (eb, soll, haben, saldo) = rechnung::summen(&liste);
    assert_eq!((eb, saldo), (0, 0));
    assert_eq!(soll, haben);
    assert!(soll > 0);
    assert!(journal::summen_pruefen(&s, 2026).unwrap().is_empty());
    let mut out = Vec::new();
    assert_eq!(ledger::export(&s, 2026, &mut out).unwrap(), 1_201);
    let (_, salden) = ledger::pruefe_format(&String::from_utf8(out).unwrap()).unwrap();
    for z in &liste {
        assert_eq!(salden.get(&z.konto).copied().unwrap_or(0), z.saldo(), "Konto {}", z.konto);
    }
    let erste = journal::lesen(&s, 2).unwrap();
    assert_eq!(erste.beleg, "D2026-0000001");
    // Same seed, same data: a second store gets the same first posting.
    let b = journal::lesen(&s, 1_201).unwrap();
    assert!(b.zeilen.len() == 2 || b.zeilen.len() == 4);
});
