//! Two clerks start the payroll of the same month at the same time: one run
//! wins, the other is refused with "Der Monat … ist bereits abgerechnet"
//! (on PostgreSQL both pass the check for an active run, and the later one
//! used to end in the generic unique-key message).

use std::sync::mpsc;
use std::time::Duration;

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::persos::lauf;
use kis::store::{Backend, Db};
use kis::testing::{demo_env, session};

fn count(db: &Db, sql_text: &str) -> i64 {
    db.read(|sql| sql.query_one(sql_text, &[]))
        .unwrap()
        .i64(0)
        .unwrap()
}

kis::store_test!(concurrent_runs_of_one_month, |db: &Db| {
    let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 1, 28).unwrap());
    let (a_drin, a_drin_rx) = mpsc::channel::<()>();
    let (b_drin, b_drin_rx) = mpsc::channel::<()>();
    // PostgreSQL: A waits inside its transaction until B is inside its own,
    // so both have passed the check for an active run. SQLite serialises
    // write transactions: B waits for A's commit and then sees its run.
    let warten = db.backend() == Backend::Postgres;
    let (ra, rb) = std::thread::scope(|scope| {
        let clock_a = clock.clone();
        let a = scope.spawn(move || {
            let s = session(db, clock_a, "PERSONAL");
            let mut erst = true;
            lauf::starte(&s, "2026-01", &mut |_, _| {
                if std::mem::take(&mut erst) {
                    a_drin.send(()).unwrap();
                    if warten {
                        b_drin_rx
                            .recv_timeout(Duration::from_secs(120))
                            .expect("B kommt nicht in seine Transaktion");
                    }
                }
                Ok(())
            })
        });
        a_drin_rx.recv().expect("A startet");
        let clock_b = clock.clone();
        let b = scope.spawn(move || {
            let s = session(db, clock_b, "PERSONAL");
            let mut erst = true;
            lauf::starte(&s, "2026-01", &mut |_, _| {
                if std::mem::take(&mut erst) {
                    let _ = b_drin.send(());
                }
                Ok(())
            })
        });
        (a.join().unwrap(), b.join().unwrap())
    });
    let (ok, err) = match (ra, rb) {
        (Ok(l), Err(e)) | (Err(e), Ok(l)) => (l, e),
        (a, b) => panic!("genau ein Lauf muss gelingen: {a:?} / {b:?}"),
    };
    assert!(matches!(err, KisError::Conflict(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "Der Monat 01.2026 ist bereits abgerechnet (Lauf {} vom {} durch PERSONAL). Ein neuer Lauf ist erst nach der Stornierung möglich.",
            ok.lauf_nr,
            // The start as a German text gives it (issue 22): TT.MM.JJJJ HH:MM.
            chrono::NaiveDateTime::parse_from_str(&ok.gestartet_am, "%Y-%m-%dT%H:%M:%S")
                .unwrap()
                .format("%d.%m.%Y %H:%M")
        )
    );
    // The refused run left nothing behind: one run, and only its results.
    assert_eq!(count(db, "SELECT COUNT(*) FROM persos_lauf"), 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM persos_ergebnis"), ok.anzahl);
});
