//! PERSOS benchmarks: the wage tax (PAP) for 5,000 employee-months, the
//! whole gross-to-net for them, and the monthly payroll run for 5,000
//! employees on SQLite and (with `KIS_TEST_PG_URL`) PostgreSQL, including
//! its posting into FINAS with the budget check and the Auszahlungsanordnungen
//! of the net pay; then Storno and a second run (partners found), the
//! release of the Anordnungen and the Zahllauf paying them.
//!
//! `cargo bench --bench persos_run` — prints its figures; goals: tax part
//! < 0,2 s, run < 5 s.

use std::time::Instant;

use chrono::NaiveDate;
use kis::core::money::Money;
use kis::finas::kasse::{anordnung, zahllauf};
use kis::finas::ueberwachung;
use kis::persos::abrechnung;
use kis::persos::lauf;
use kis::persos::laufdaten::Monat;
use kis::persos::{demo, lohnsteuer, stamm, tarif};
use kis::store::Db;
use kis::testing::{demo_env, pg_test_db, session, sqlite_test_db};

const N: usize = 5000;

fn faelle() -> Vec<abrechnung::Fall> {
    let db = sqlite_test_db("bench_faelle");
    demo_env(&db, NaiveDate::from_ymd_opt(2026, 1, 28).unwrap());
    let m = Monat::parse("2026-01").unwrap();
    let ag = db.read(|sql| stamm::arbeitgeber_in(sql, "001")).unwrap();
    let kassen = db
        .read(|sql| stamm::kassen_in(sql, "001", m.erster()))
        .unwrap();
    let tabellen = db
        .read(|sql| tarif::Tariftabellen::laden_in(sql, "001"))
        .unwrap();
    demo::vervielfaeltige(N, 100_000)
        .unwrap()
        .iter()
        .filter(|e| lauf::aktiv(e, m))
        .cycle()
        .take(N)
        .map(|e| {
            let k = kassen.iter().find(|k| k.betriebsnummer == e.kasse).unwrap();
            lauf::fall(
                e,
                &ag,
                k,
                &tabellen,
                m,
                Default::default(),
                kis::core::money::Money::zero(),
            )
            .unwrap()
        })
        .collect()
}

fn bench_tax() {
    let faelle = faelle();
    // The PAP inputs as the computation builds them (taken from one pass).
    let eingaben: Vec<lohnsteuer::LstEingabe> = faelle
        .iter()
        .filter_map(|f| {
            let a = abrechnung::berechne(f).ok()?;
            (a.pap.lzz != 0).then(|| {
                let mut e = lohnsteuer::vorgabe(2026).unwrap();
                e.lzz = a.pap.lzz;
                e.re4 = a.pap.re4.into();
                e.stkl = a.pap.stkl;
                e.zkf = a.pap.zkf;
                e.f = a.pap.f;
                e.kvz = a.pap.kvz;
                e.pvs = a.pap.pvs;
                e.pvz = a.pap.pvz;
                e.pva = a.pap.pva;
                e.krv = a.pap.krv;
                e.alv = a.pap.alv;
                e.pkv = a.pap.pkv;
                e.pkpv = a.pap.pkpv.into();
                e.pkpvagz = a.pap.pkpvagz.into();
                e
            })
        })
        .collect();
    let t = Instant::now();
    let mut sum = rust_decimal::Decimal::ZERO;
    for e in &eingaben {
        sum += lohnsteuer::berechne(2026, e).unwrap().lstlzz;
    }
    let tax = t.elapsed();
    let t = Instant::now();
    let mut netto = kis::core::money::Money::zero();
    for f in &faelle {
        netto += abrechnung::berechne(f).unwrap().netto;
    }
    let full = t.elapsed();
    println!(
        "Lohnsteuer (PAP 2026) für {} Beschäftigtenmonate: {:.3} s (Summe LSTLZZ {} Cent)",
        eingaben.len(),
        tax.as_secs_f64(),
        sum
    );
    println!(
        "Brutto-Netto komplett für {} Beschäftigtenmonate: {:.3} s (Summe Netto {} €)",
        faelle.len(),
        full.as_secs_f64(),
        netto.format_de()
    );
}

fn bench_run(name: &str, db: &Db) {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 1, 28).unwrap());
    let s = session(db, clock.clone(), "PERSONAL");
    let vorhanden = stamm::search(&s, "").unwrap().len();
    demo::generiere(db, &s.actor(), N - vorhanden, 100_000).unwrap();
    // 5,000 employees cost about 34 times the demo budget: an außer- or
    // überplanmäßige Ermächtigung per personnel position lets the run pass
    // the budget check (which still runs for every position).
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let produkte = db
        .read(|sql| sql.query("SELECT DISTINCT produkt FROM persos_employee", &[]))
        .unwrap();
    for (i, r) in produkte.iter().enumerate() {
        for konto in ["5012", "5019", "5022", "5032", "5039"] {
            ueberwachung::genehmigen(
                &kaemmerer,
                2026,
                &r.str(0).unwrap(),
                konto,
                Money::from_cents(5_000_000_000),
                &format!("LAST-{i}-{konto}"),
                NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
                "Lasttest mit 5.000 Beschäftigten",
            )
            .unwrap();
        }
    }
    let t = Instant::now();
    let l = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let dt = t.elapsed();
    println!(
        "Abrechnungslauf {name}: {} Beschäftigte in {:.3} s (Brutto {} €)",
        l.anzahl,
        dt.as_secs_f64(),
        l.summe_brutto.format_de()
    );
    // Storno (cancels the unpaid Auszahlungsanordnungen) and the run again:
    // the Geschäftspartner PERSOS:<Pnr> exist now and are found.
    let t = Instant::now();
    lauf::storniere(&s, "2026-01").unwrap();
    let storno = t.elapsed();
    let t = Instant::now();
    lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let zweiter = t.elapsed();
    println!(
        "Storno {name}: {:.3} s; zweiter Lauf (Geschäftspartner vorhanden): {:.3} s",
        storno.as_secs_f64(),
        zweiter.as_secs_f64()
    );
    // The Kasse's way of the net pay: release by the Kämmerer, Zahllauf.
    let t = Instant::now();
    let (n, _) = anordnung::alle_freigeben(&kaemmerer).unwrap();
    let freigabe = t.elapsed();
    let kasse = session(db, clock.clone(), "KASSE");
    let t = Instant::now();
    let (z, _) =
        zahllauf::ausfuehren(&kasse, NaiveDate::from_ymd_opt(2026, 1, 30).unwrap(), None).unwrap();
    let zl = t.elapsed();
    println!(
        "Kasse {name}: {n} Anordnungen freigegeben in {:.3} s; Zahllauf mit {} Überweisungen (pain.001 mit XSD-Prüfung) in {:.3} s",
        freigabe.as_secs_f64(),
        z.dateien.iter().map(|d| d.anzahl).sum::<i64>(),
        zl.as_secs_f64()
    );
}

fn main() {
    bench_tax();
    let db = sqlite_test_db("bench_lauf");
    bench_run("SQLite", &db);
    if let Some(db) = pg_test_db("bench_lauf") {
        bench_run("PostgreSQL", &db);
    }
}
