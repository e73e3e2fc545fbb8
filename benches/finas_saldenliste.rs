//! Summen- und Saldenliste over 1,000,000 postings on SQLite and (with
//! `KIS_TEST_PG_URL`) PostgreSQL. Run with `cargo bench --bench
//! finas_saldenliste` (`KIS_BENCH_POSTINGS` changes the count). Goal: the
//! Saldenliste under 1 s; also prints the time of `kis demo postings`
//! (goal: 1,000,000 in under a minute on SQLite) and, for comparison, the
//! full aggregation of the journal lines that `kis finas pruefen` runs.

use std::time::Instant;

use chrono::NaiveDate;
use kis::finas::{generator, journal, rechnung};
use kis::store::Db;
use kis::testing::{demo_env, pg_test_db, session, sqlite_test_db};

fn run(name: &str, db: &Db, n: usize) {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).expect("Datum"));
    let s = session(db, clock, "BUCHHALTER");
    let t = Instant::now();
    generator::generieren(&s, 2026, n).expect("Demo-Buchungen");
    let erzeugt = t.elapsed();
    let lines: i64 = db
        .read(|sql| sql.query_one("SELECT COUNT(*) FROM fin_buchungszeile", &[]))
        .and_then(|r| r.i64(0))
        .expect("Zeilen");
    println!(
        "{name}: {n} Buchungen ({lines} Zeilen) erzeugt in {:.1} s",
        erzeugt.as_secs_f64()
    );
    let mut best = f64::MAX;
    let mut rows = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let liste = rechnung::saldenliste(&s, 2026, None).expect("Saldenliste");
        best = best.min(t.elapsed().as_secs_f64());
        rows = liste.len();
        let (_, soll, haben, _) = rechnung::summen(&liste);
        assert_eq!(soll, haben);
    }
    println!(
        "{name}: Saldenliste ({rows} Konten) bestes von 5: {:.1} ms",
        best * 1000.0
    );
    let t = Instant::now();
    let abw = journal::summen_pruefen(&s, 2026).expect("Prüfung");
    assert!(abw.is_empty());
    println!(
        "{name}: Nachrechnen aller Journalzeilen (kis finas pruefen): {:.2} s",
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    let n = std::env::var("KIS_BENCH_POSTINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let db = sqlite_test_db("bench_saldenliste");
    run("SQLite", &db, n);
    drop(db);
    match pg_test_db("bench_saldenliste") {
        Some(db) => run("PostgreSQL", &db, n),
        None => println!("PostgreSQL übersprungen (KIS_TEST_PG_URL nicht gesetzt)"),
    }
}
