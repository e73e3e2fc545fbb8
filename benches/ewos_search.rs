//! Person search at scale: name prefix and Kölner Phonetik, first page
//! (50 hits with addresses and Sperren, DIN 5007 order) plus the hit count,
//! on SQLite and — with `KIS_TEST_PG_URL` — on PostgreSQL.
//!
//! `KIS_BENCH_SIZES=100000,2000000 cargo bench --bench ewos_search`
//! (default 100000; `KIS_BENCH_BACKENDS=sqlite` or `postgres` for one only). Prints generation time and p50/p99 per query kind.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kis::ewos::generator;
use kis::ewos::suche::{self, Suche};
use kis::kernel::audit::Actor;
use kis::store::Db;
use kis::testing::{TestDb, demo_env, pg_test_db, session, sqlite_test_db};

const PREFIXES: &[&str] = &[
    "Mül", "Müller", "Mueller", "Schmi", "Schn", "Weber", "Beck", "Hoffm", "Kraus", "Meie",
    "Yılmaz", "Nowak", "Ross", "Kö", "Wagn", "Lehm", "Papad", "Zimmerm", "Fisch", "Wolf", "Jäger",
    "Straß", "Günth", "Haas", "Sommer",
];
const PHONETISCH: &[&str] = &[
    "Meier",
    "Müller",
    "Schmidt",
    "Fischer",
    "Hoffmann",
    "Becker",
    "Yilmaz",
    "Kowalski",
    "Lange",
    "Krause",
    "Schulz",
    "Wagner",
    "Neumann",
    "Koch",
    "Richter",
    "Braun",
    "Zimmermann",
    "Schröder",
    "Peters",
    "Vogel",
];
const ROUNDS: usize = 8;
const PAGE: usize = 50;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn run(label: &str, db: &Db, n: usize) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
    let clock = demo_env(db, today);
    let actor = Actor {
        user: "BENCH".into(),
        mandant: kis::demo::MANDANT_ID.into(),
        at: chrono::NaiveDateTime::default(),
    };
    let t = Instant::now();
    let stat = db
        .write(|sql| generator::generate_in(sql, &actor, today, n, 2026))
        .expect("Generator");
    let gen_time = t.elapsed();
    // Fresh statistics for the planner after the bulk load.
    db.write(|sql| sql.execute_batch("ANALYZE"))
        .expect("ANALYZE");
    println!(
        "{label} {n}: {} Einwohner erzeugt in {:.1} s",
        stat.personen,
        gen_time.as_secs_f64()
    );
    let s = session(db, clock, "MEIER");
    for (kind, names, phon) in [
        ("Namensanfang", PREFIXES, false),
        ("Phonetisch", PHONETISCH, true),
    ] {
        let mut page_times = Vec::new();
        let mut count_times = Vec::new();
        let mut hits = 0usize;
        for round in 0..=ROUNDS {
            for name in names {
                let q = Suche {
                    name: (*name).into(),
                    phonetisch: phon,
                    ..Default::default()
                };
                let t = Instant::now();
                let rows = suche::seite(&s, &q, 0, PAGE).expect("Suche");
                let page = t.elapsed();
                let t = Instant::now();
                let total = suche::anzahl(&s, &q).expect("Anzahl");
                let count = t.elapsed();
                if round > 0 {
                    // Round 0 warms the caches.
                    page_times.push(page);
                    count_times.push(count);
                    hits = hits.max(total);
                }
                assert!(rows.len() <= PAGE);
            }
        }
        page_times.sort();
        count_times.sort();
        println!(
            "{label} {n} {kind:<13} erste Seite: p50 {} p99 {} | Trefferzahl: p50 {} p99 {} | max. Treffer {hits}",
            ms(percentile(&page_times, 0.5)),
            ms(percentile(&page_times, 0.99)),
            ms(percentile(&count_times, 0.5)),
            ms(percentile(&count_times, 0.99)),
        );
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::var("KIS_BENCH_SIZES")
        .unwrap_or_else(|_| "100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    // KIS_BENCH_BACKENDS=sqlite or =postgres runs only one of them.
    let backends = std::env::var("KIS_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    for &n in &sizes {
        if backends.contains("sqlite") {
            let db: TestDb = sqlite_test_db("bench_ewos");
            run("SQLite", &db, n);
        }
        if !backends.contains("postgres") {
            continue;
        }
        if let Some(db) = pg_test_db("bench_ewos") {
            run("PostgreSQL", &db, n);
        }
    }
}
