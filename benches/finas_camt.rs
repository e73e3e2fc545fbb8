//! The camt.053 import of 10,000 entries with matching and posting (one
//! Buchung per entry) for the open receivables of 5,000 Annahmeanordnungen
//! with two due dates each, on SQLite and (with `KIS_TEST_PG_URL`)
//! PostgreSQL. The statement comes from `generator::kontoauszug` (`kis demo
//! bank-statement`): full and partial payments, embedded and wrong
//! Kassenzeichen, unknown payers, direct debits and returns. The time
//! includes the XSD check and reading. Run with `cargo bench --bench
//! finas_camt` (`KIS_BENCH_UMSAETZE` changes the count). Goal: under 1 s
//! for 10,000 entries.

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use kis::core::money::Money;
use kis::finas::kasse::model::{AnordnungArt, AnordnungInput, Faelligkeit};
use kis::finas::kasse::{anordnung, generator, kontoauszug};
use kis::finas::repo::kasse::kontoauszug as repo;
use kis::store::Db;
use kis::testing::{demo_env, pg_test_db, session, sqlite_test_db};

fn run(name: &str, db: &Db, n: usize) {
    let heute = NaiveDate::from_ymd_opt(2026, 11, 25).expect("Datum");
    let clock = demo_env(db, heute);
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let kasse = session(db, clock, "KASSE");
    // Receivables only (payables would run into the demo's budget).
    let actor = buchhalter.actor();
    db.write(|sql| {
        let partner = repo::partnernamen(sql, "001")?;
        for i in 0..5_000usize {
            let cents = 1_000 + ((i as i64 * 7_919) % 9_000) / 10 * 10;
            anordnung::erfassen_in(
                sql,
                &actor,
                &AnordnungInput {
                    reservierung: None,
                    art: AnordnungArt::Annahme,
                    partner: partner[(i * 7) % partner.len()].0,
                    produkt: "01.01.01".into(),
                    konto: "4311".into(),
                    kostenstelle: None,
                    gegenkonto: None,
                    text: format!("Verwaltungsgebühr Nr. {}", i + 1),
                    faelligkeiten: (0..2)
                        .map(|r| Faelligkeit {
                            faellig: heute + Duration::days(7 + (i as i64 * 13) % 60 + r * 30),
                            betrag: Money::from_cents(cents),
                        })
                        .collect(),
                },
            )?;
        }
        Ok(())
    })
    .expect("Anordnungen");
    anordnung::alle_freigeben(&kaemmerer).expect("Freigabe");
    let xml = generator::kontoauszug(&kasse, n, 2026).expect("Kontoauszug");
    let t = Instant::now();
    let e = kontoauszug::importieren(&kasse, xml.as_bytes()).expect("Import");
    let dauer = t.elapsed().as_secs_f64();
    println!(
        "{name}: camt.053-Import {} ({:.1} MB) in {dauer:.3} s",
        e.zeile(),
        xml.len() as f64 / 1e6
    );
    let t = Instant::now();
    let e = kontoauszug::importieren(&kasse, xml.as_bytes()).expect("Import");
    println!(
        "{name}: derselbe Auszug noch einmal: {} in {:.3} s",
        e.zeile(),
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    let n = std::env::var("KIS_BENCH_UMSAETZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let db = sqlite_test_db("bench_camt");
    run("SQLite", &db, n);
    drop(db);
    match pg_test_db("bench_camt") {
        Some(db) => run("PostgreSQL", &db, n),
        None => println!("PostgreSQL übersprungen (KIS_TEST_PG_URL nicht gesetzt)"),
    }
}
