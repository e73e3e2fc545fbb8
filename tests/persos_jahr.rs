//! The year of an employee on both stores: the Lohnkonto (§ 41 EStG) and
//! the Lohnsteuerbescheinigung (§ 41b EStG) add up exactly the stored
//! results of the active runs; flat-taxed Minijobs are not certified.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::persos::{lauf, lohnkonto};
use kis::store::Db;
use kis::testing::ui::UiHarness;
use kis::testing::{demo_env, session};

fn erste(db: &Db, where_sql: &str) -> String {
    db.read(|sql| {
        sql.query_one(
            &format!("SELECT MIN(personalnummer) FROM persos_employee WHERE {where_sql}"),
            &[],
        )
    })
    .unwrap()
    .str(0)
    .unwrap()
}

kis::store_test!(
    lohnkonto_and_lohnsteuerbescheinigung_add_up_the_results,
    |db: &Db| {
        let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 4, 10).unwrap());
        let s = session(db, clock.clone(), "PERSONAL");
        for m in ["2026-01", "2026-02", "2026-03"] {
            lauf::starte(&s, m, &mut |_, _| Ok(())).unwrap();
        }

        // 01001 (E 9a/3, StKl I): three equal months.
        let konto = lohnkonto::lohnkonto(&s, 2026, "01001").unwrap();
        for z in ["LOHNKONTO 2026", "01.2026", "02.2026", "03.2026"] {
            assert!(konto.contains(z), "{z} fehlt:\n{konto}");
        }
        assert!(konto.contains("11.958,18"), "3 × 3.986,06:\n{konto}");
        assert!(
            konto.contains("1.563,24"),
            "3 × 521,08 Lohnsteuer:\n{konto}"
        );
        let lstb = lohnkonto::lohnsteuerbescheinigung(&s, 2026, "01001").unwrap();
        assert!(lstb.contains("01.01.2026 – 31.03.2026"), "{lstb}");
        assert!(
            lstb.lines()
                .any(|l| l.starts_with("3.") && l.ends_with("11.958,18")),
            "{lstb}"
        );
        assert!(
            lstb.lines()
                .any(|l| l.starts_with("4.") && l.ends_with("1.563,24")),
            "{lstb}"
        );

        // Every employee: the certificate's figures are the sums of the results.
        let (_, monate) = lohnkonto::monate(&s, 2026, "01001").unwrap();
        let w = lohnkonto::bescheinigungswerte(&monate).unwrap();
        let summe = |f: fn(&kis::persos::abrechnung::Abrechnung) -> Money| {
            monate.iter().map(|k| f(&k.abrechnung)).sum::<Money>()
        };
        assert_eq!(w.lohnsteuer, summe(|a| a.lohnsteuer));
        assert_eq!(w.rv_an, summe(|a| a.sv.rv_an));
        assert_eq!(w.kv_an, summe(|a| a.sv.kv_an));

        // Private insurance: the subsidy split into 24b and 24c adds up.
        let pkv = erste(db, "privat = 1 AND austritt IS NULL");
        let (_, monate) = lohnkonto::monate(&s, 2026, &pkv).unwrap();
        let w = lohnkonto::bescheinigungswerte(&monate).unwrap();
        let zuschuss: Money = monate.iter().map(|k| k.abrechnung.pkv_zuschuss).sum();
        assert!(!zuschuss.is_zero());
        assert_eq!(w.zuschuss_pkv + w.zuschuss_ppv, zuschuss);
        assert!(!w.zuschuss_ppv.is_zero() && !w.zuschuss_pkv.is_zero());
        assert!(
            lohnkonto::lohnsteuerbescheinigung(&s, 2026, &pkv)
                .unwrap()
                .contains("24b.")
        );

        // A Minijob: Lohnkonto with "pau", no certificate.
        let mini = erste(db, "beschaeftigungsart = 'MINIJOB' AND austritt IS NULL");
        assert!(
            lohnkonto::lohnkonto(&s, 2026, &mini)
                .unwrap()
                .contains("pau")
        );
        let err = lohnkonto::lohnsteuerbescheinigung(&s, 2026, &mini).unwrap_err();
        assert!(err.to_string().contains("pauschal versteuerter"), "{err}");

        // Only active runs count.
        lauf::storniere(&s, "2026-03").unwrap();
        let konto = lohnkonto::lohnkonto(&s, 2026, "01001").unwrap();
        assert!(
            !konto.contains("03.2026") && konto.contains("7.972,12"),
            "{konto}"
        );

        // Clear refusals.
        let unbekannt = lohnkonto::lohnkonto(&s, 2026, "99999").unwrap_err();
        assert!(
            unbekannt.to_string().contains("99999 ist nicht vorhanden"),
            "{unbekannt}"
        );
        let leer = lohnkonto::lohnkonto(&s, 2025, "01001").unwrap_err();
        assert!(matches!(leer, KisError::NotFound(_)), "{leer}");
        let gast = session(db, clock.clone(), "GAST");
        assert!(lohnkonto::lohnkonto(&gast, 2026, "01001").is_err());
    }
);

kis::store_test!(per220_shows_the_certificate, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 2, 10).unwrap());
    let s = session(db, clock.clone(), "PERSONAL");
    lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let mut ui = UiHarness::new(db, clock);
    ui.login("PERSONAL", "personal");
    ui.goto("PER220");
    ui.type_text("2026");
    ui.key(KeyCode::Tab);
    ui.type_text("01001");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Lohnsteuerbescheinigung für 2026");
    ui.assert_contains("3.986,06");
    ui.key(KeyCode::Esc);
    ui.wait_esc();
    // PER310 with a year without results: a clear message.
    ui.goto("PER310");
    ui.type_text("2025");
    ui.key(KeyCode::Tab);
    ui.type_text("01001");
    ui.key(KeyCode::Enter);
    assert!(
        ui.message().contains("2025 keine abgerechneten Monate"),
        "{}",
        ui.message()
    );
});
