//! A Mahnlauf over 100,000 open items of 30,000 debtors (one Anordnung per
//! debtor with three or four due dates), on SQLite and (with
//! `KIS_TEST_PG_URL`) PostgreSQL: the run itself (selection, Säumnis-
//! zuschläge, fees, the stored record) and, separately, sending it (the
//! fees and Säumniszuschläge as open items and their Buchung). Run with
//! `cargo bench --bench finas_mahnlauf` (`KIS_BENCH_SCHULDNER` and
//! `KIS_BENCH_POSTEN` change the counts). Goal: the run under 5 s.

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use kis::core::money::Money;
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, PartnerArt, PartnerInput,
};
use kis::finas::kasse::{anordnung, partner};
use kis::finas::mahnwesen::mahnlauf;
use kis::store::Db;
use kis::testing::{demo_env, pg_test_db, session, sqlite_test_db};

fn zahl(var: &str, vorgabe: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(vorgabe)
}

/// `schuldner` firms, each with one released receivable whose due dates
/// (together `posten`) lie in the past quarter.
fn forderungen(
    db: &Db,
    clock: std::sync::Arc<kis::core::clock::FixedClock>,
    schuldner: usize,
    posten: usize,
) {
    let kasse = session(db, clock.clone(), "KASSE").actor();
    let buchhalter = session(db, clock.clone(), "BUCHHALTER").actor();
    let kaemmerer = session(db, clock, "KAEMMERER").actor();
    let heute = buchhalter.at.date();
    // In transactions of 1,000 debtors: PostgreSQL slows down on a single
    // row (the audit chain's head) updated tens of thousands of times in
    // one transaction.
    for block in (0..schuldner).collect::<Vec<_>>().chunks(1_000) {
        db.write(|sql| {
            for &i in block {
                let p = partner::anlegen_in(
                    sql,
                    &kasse,
                    &PartnerInput {
                        art: Some(PartnerArt::Firma),
                        name: format!("Schuldner {i:05} GmbH"),
                        strasse: format!("Gewerbestraße {}", i % 200 + 1),
                        plz: "59999".into(),
                        ort: "Musterstadt".into(),
                        ..Default::default()
                    },
                )?;
                let n = posten / schuldner + usize::from(i < posten % schuldner);
                let faelligkeiten = (0..n)
                    .map(|k| Faelligkeit {
                        faellig: heute
                            - Duration::days((90 - 20 * k as i64 - (i % 7) as i64).max(10)),
                        betrag: Money::from_cents(
                            2_000 + ((i * 7_919 + k * 104_729) % 200_000) as i64,
                        ),
                    })
                    .collect();
                let a = anordnung::erfassen_in(
                    sql,
                    &buchhalter,
                    &AnordnungInput {
                        reservierung: None,
                        art: AnordnungArt::Annahme,
                        partner: p,
                        produkt: "01.01.01".into(),
                        konto: "4311".into(),
                        kostenstelle: None,
                        gegenkonto: None,
                        text: format!("Gebühr {i}"),
                        faelligkeiten,
                    },
                )?;
                anordnung::freigeben_in(sql, &kaemmerer, a.nr)?;
            }
            Ok(())
        })
        .expect("Forderungen");
    }
}

fn run(name: &str, db: &Db, schuldner: usize, posten: usize) {
    let heute = NaiveDate::from_ymd_opt(2026, 11, 25).expect("Datum");
    let clock = demo_env(db, heute);
    let t = Instant::now();
    forderungen(db, clock.clone(), schuldner, posten);
    println!(
        "{name}: {schuldner} Schuldner mit {posten} Posten angelegt in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let kasse = session(db, clock, "KASSE");
    let t = Instant::now();
    let e = mahnlauf::ausfuehren(&kasse, heute).expect("Mahnlauf");
    let lauf = t.elapsed().as_secs_f64();
    let n: usize = e.mahnungen.iter().map(|m| m.posten.len()).sum();
    println!(
        "{name}: {} in {lauf:.3} s ({n} Posten)",
        e.zusammenfassung()
    );
    let t = Instant::now();
    mahnlauf::versenden(&kasse, e.nr).expect("Versand");
    println!(
        "{name}: Versand (Sollstellungen und Buchung) in {:.3} s",
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    let schuldner = zahl("KIS_BENCH_SCHULDNER", 30_000);
    let posten = zahl("KIS_BENCH_POSTEN", 100_000);
    let db = sqlite_test_db("bench_mahnlauf");
    run("SQLite", &db, schuldner, posten);
    drop(db);
    match pg_test_db("bench_mahnlauf") {
        Some(db) => run("PostgreSQL", &db, schuldner, posten),
        None => println!("PostgreSQL übersprungen (KIS_TEST_PG_URL nicht gesetzt)"),
    }
}
