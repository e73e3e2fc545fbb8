//! A Zahllauf over 10,000 demo Anordnungen (their due dates: payables →
//! pain.001, receivables with a mandate → pain.008), including the XSD
//! check of both files, on SQLite and (with `KIS_TEST_PG_URL`) PostgreSQL.
//! Run with `cargo bench --bench finas_zahllauf` (`KIS_BENCH_ANORDNUNGEN`
//! changes the count). Goal: under 1 s for 10,000 payments.

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use kis::finas::kasse::{anordnung, generator, zahllauf};
use kis::store::Db;
use kis::testing::{demo_env, pg_test_db, session, sqlite_test_db};

fn run(name: &str, db: &Db, n: usize) {
    let heute = NaiveDate::from_ymd_opt(2026, 11, 25).expect("Datum");
    let clock = demo_env(db, heute);
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let kasse = session(db, clock, "KASSE");
    generator::anordnungen(&buchhalter, n).expect("Anordnungen");
    anordnung::alle_freigeben(&kaemmerer).expect("Freigabe");
    let t = Instant::now();
    let (e, _) = zahllauf::ausfuehren(&kasse, heute + Duration::days(200), None).expect("Zahllauf");
    let dauer = t.elapsed().as_secs_f64();
    let teile: Vec<String> = e
        .dateien
        .iter()
        .map(|d| format!("{} {} Zahlungen", d.art, d.anzahl))
        .collect();
    let gesamt: i64 = e.dateien.iter().map(|d| d.anzahl).sum();
    println!(
        "{name}: Zahllauf mit {gesamt} Zahlungen ({}) inkl. Schemaprüfung in {:.3} s",
        teile.join(", "),
        dauer
    );
}

fn main() {
    let n = std::env::var("KIS_BENCH_ANORDNUNGEN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let db = sqlite_test_db("bench_zahllauf");
    run("SQLite", &db, n);
    drop(db);
    match pg_test_db("bench_zahllauf") {
        Some(db) => run("PostgreSQL", &db, n),
        None => println!("PostgreSQL übersprungen (KIS_TEST_PG_URL nicht gesetzt)"),
    }
}
