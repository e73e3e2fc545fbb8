//! `kis demo postings`: deterministic, balanced, consistent with the totals.

use chrono::NaiveDate;
use kis::finas::{generator, journal, ledger, rechnung};
use kis::store::Db;
use kis::testing::{demo_env, session};

kis::store_test!(
    demo_buchungen_sind_ausgeglichen_und_deterministisch,
    |db: &Db| {
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
            assert_eq!(
                salden.get(&z.konto).copied().unwrap_or(0),
                z.saldo(),
                "Konto {}",
                z.konto
            );
        }
        let erste = journal::lesen(&s, 2).unwrap();
        assert_eq!(erste.beleg, "D2026-0000001");
        // Same seed, same data: a second store gets the same Saldenliste.
        let zweite = kis::testing::sqlite_test_db("generator_zweite");
        let clock2 = demo_env(&zweite, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
        let s2 = session(&zweite, clock2, "BUCHHALTER");
        generator::generieren(&s2, 2026, 1_200).unwrap();
        assert_eq!(rechnung::saldenliste(&s2, 2026, None).unwrap(), liste);
    }
);

// If ledger-cli is installed, it must parse the export and report the
// Saldenliste's balances (the auditors' cross-check).
kis::store_test!(ledger_cli_rechnet_die_saldenliste_nach, |db: &Db| {
    let Ok(version) = std::process::Command::new("ledger")
        .arg("--version")
        .output()
    else {
        println!(
            "ledger-cli nicht installiert – nur die Formatprüfung läuft (demo_buchungen_sind_ausgeglichen_und_deterministisch)"
        );
        return;
    };
    assert!(version.status.success());
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    let s = session(db, clock.clone(), "BUCHHALTER");
    generator::generieren(&s, 2026, 300).unwrap();
    let file = std::env::temp_dir().join(format!(
        "kis_finas_{}_{}.ledger",
        std::process::id(),
        db.backend() as u8
    ));
    let mut out = std::fs::File::create(&file).unwrap();
    ledger::export(&s, 2026, &mut out).unwrap();
    drop(out);
    let bal = std::process::Command::new("ledger")
        .arg("-f")
        .arg(&file)
        .args(["bal", "--flat", "--no-total"])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        bal.status.success(),
        "{}",
        String::from_utf8_lossy(&bal.stderr)
    );
    let mut ledger_salden = std::collections::BTreeMap::new();
    for line in String::from_utf8(bal.stdout).unwrap().lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert_eq!(parts[1], "EUR");
        let cents = kis::core::money::Money::parse_de(parts[0]).unwrap().cents();
        ledger_salden.insert(parts[2].to_string(), cents);
    }
    let liste = rechnung::saldenliste(&s, 2026, None).unwrap();
    let erwartet: std::collections::BTreeMap<String, i64> = liste
        .iter()
        .filter(|z| z.saldo() != 0)
        .map(|z| (z.konto.clone(), z.saldo()))
        .collect();
    assert_eq!(ledger_salden, erwartet);
});
