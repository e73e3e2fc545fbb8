//! SSH keys and login mappings per KIS user, the OpenSSH gate's decision,
//! and the installation checks of `kis doctor` — on SQLite and PostgreSQL.

use chrono::NaiveDate;
use kis::core::clock::Clock;
use kis::core::error::KisError;
use kis::kernel::access;
use kis::kernel::auth::AdminActor;
use kis::kernel::doctor::{self, Verdict};
use kis::params;
use kis::ssh::gate::{self, Decision};
use kis::store::Db;
use kis::testing::{demo_env, session};
use std::sync::Arc;

const KEY_A: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl maria@thin-client";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn actions(db: &Db, prefix: &str) -> Vec<String> {
    db.read(|sql| sql.query("SELECT action FROM audit_log ORDER BY seq", &[]))
        .unwrap()
        .iter()
        .map(|r| r.str(0).unwrap())
        .filter(|a| a.starts_with(prefix))
        .collect()
}

kis::store_test!(keys_are_registered_per_user_and_audited, |db: &Db| {
    let clock = demo_env(db, day());
    let admin = session(db, clock.clone(), "ADMIN");
    let by = AdminActor::Session(&admin);
    let k = access::add_key(db, &by, "meier", KEY_A).unwrap();
    assert_eq!(k.user, "MEIER");
    assert_eq!(k.algorithm, "ssh-ed25519");
    assert!(k.fingerprint.starts_with("SHA256:"), "{}", k.fingerprint);
    assert_eq!(k.comment, "maria@thin-client");
    // The same key cannot belong to a second user.
    assert!(matches!(
        access::add_key(db, &by, "SCHULZ", KEY_A),
        Err(KisError::Conflict(_))
    ));
    // Garbage is refused with a field message.
    assert!(matches!(
        access::add_key(db, &by, "MEIER", "ssh-ed25519 kaputt"),
        Err(KisError::Validation { .. })
    ));
    let pk = access::parse_public_key(KEY_A).unwrap();
    assert_eq!(
        access::user_for_key(db, "MEIER", &pk)
            .unwrap()
            .map(|u| u.name),
        Some("MEIER".into())
    );
    assert_eq!(
        access::user_for_key(db, "meier", &pk)
            .unwrap()
            .map(|u| u.name),
        Some("MEIER".into())
    );
    // The SSH user name must be the key's user.
    assert_eq!(access::user_for_key(db, "SCHULZ", &pk).unwrap(), None);
    assert_eq!(access::list_keys(db, Some("MEIER")).unwrap().len(), 1);
    assert!(access::list_keys(db, Some("SCHULZ")).unwrap().is_empty());
    // Only administrators manage keys.
    let meier = session(db, clock.clone(), "MEIER");
    assert!(matches!(
        access::add_key(db, &AdminActor::Session(&meier), "MEIER", KEY_A),
        Err(KisError::Permission(_))
    ));
    access::remove_key(db, &by, "MEIER", &k.fingerprint).unwrap();
    assert_eq!(access::user_for_key(db, "MEIER", &pk).unwrap(), None);
    assert!(matches!(
        access::remove_key(db, &by, "MEIER", &k.fingerprint),
        Err(KisError::NotFound(_))
    ));
    assert_eq!(
        actions(db, "SSH_SCHLUESSEL"),
        ["SSH_SCHLUESSEL_EINGETRAGEN", "SSH_SCHLUESSEL_ENTFERNT"]
    );
});

kis::store_test!(login_mappings_decide_the_openssh_gate, |db: &Db| {
    let clock = demo_env(db, day());
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    let admin = session(db, clock.clone(), "ADMIN");
    let by = AdminActor::Session(&admin);
    // Unmapped: refused with a clear line, and logged.
    match gate::decide(db, &dyn_clock, Some("mmeier"), None, "ssh 192.0.2.7").unwrap() {
        Decision::Refuse(text) => {
            assert!(text.contains("keinem KIS-Benutzer zugeordnet"), "{text}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(actions(db, "SSH_LOGIN_ABGEWIESEN").len(), 1);
    access::map_login(db, &by, "MEIER", "mmeier", false).unwrap();
    assert_eq!(
        gate::decide(db, &dyn_clock, Some("mmeier"), None, "ssh").unwrap(),
        Decision::Login("MEIER".into())
    );
    access::map_login(db, &by, "MEIER", "mmeier", true).unwrap();
    match gate::decide(db, &dyn_clock, Some("mmeier"), None, "ssh").unwrap() {
        Decision::Trusted(u) => assert_eq!(u.name, "MEIER"),
        other => panic!("{other:?}"),
    }
    // Commands are never run.
    assert!(matches!(
        gate::decide(
            db,
            &dyn_clock,
            Some("mmeier"),
            Some("cat /etc/passwd"),
            "ssh"
        )
        .unwrap(),
        Decision::Refuse(_)
    ));
    assert!(matches!(
        gate::decide(db, &dyn_clock, None, None, "ssh").unwrap(),
        Decision::Refuse(_)
    ));
    let list = access::list_logins(db).unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].trusted);
    assert!(matches!(
        access::map_login(db, &by, "MEIER", "-oProxy", false),
        Err(KisError::Validation { .. })
    ));
    access::unmap_login(db, &by, "mmeier").unwrap();
    assert!(matches!(
        gate::decide(db, &dyn_clock, Some("mmeier"), None, "ssh").unwrap(),
        Decision::Refuse(_)
    ));
    assert_eq!(
        actions(db, "SSH_LOGIN_"),
        [
            "SSH_LOGIN_ABGEWIESEN",
            "SSH_LOGIN_ZUGEORDNET",
            "SSH_LOGIN_ZUGEORDNET",
            "SSH_LOGIN_ABGEWIESEN",
            "SSH_LOGIN_ENTFERNT",
            "SSH_LOGIN_ABGEWIESEN"
        ]
    );
});

kis::store_test!(doctor_reports_a_verdict_per_check, |db: &Db| {
    let clock = demo_env(db, day());
    let now = clock.now();
    let checks = doctor::checks(db, now);
    let names: Vec<&str> = checks.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "Schemaversion",
            "Migrationen",
            "Protokoll (Hash-Kette)",
            "Plattenplatz",
            "Datensatzsperren"
        ]
    );
    for c in &checks {
        assert_ne!(c.verdict, Verdict::Fehler, "{c:?}");
    }
    // A lock whose session is gone is a warning.
    db.write(|sql| {
        sql.execute(
            "INSERT INTO record_lock (mandant, entity, record_key, session_id, user_name, since) VALUES ('001', 'strasse', '00100', 'weg', 'MEIER', '2026-11-25T08:00:00')",
            &[],
        )
    })
    .unwrap();
    let locks = doctor::checks(db, now)
        .into_iter()
        .find(|c| c.name == "Datensatzsperren")
        .unwrap();
    assert_eq!(locks.verdict, Verdict::Warnung, "{locks:?}");
    // A changed audit entry is an error.
    db.write(|sql| {
        sql.execute(
            "UPDATE audit_log SET action = ? WHERE seq = 1",
            &params!["GEFAELSCHT"],
        )
    })
    .unwrap();
    let audit = doctor::checks(db, now)
        .into_iter()
        .find(|c| c.name == "Protokoll (Hash-Kette)")
        .unwrap();
    assert_eq!(audit.verdict, Verdict::Fehler, "{audit:?}");
});

#[test]
fn kis_doctor_exits_non_zero_on_an_error() {
    let kis = env!("CARGO_BIN_EXE_kis");
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("sqlite:{}", dir.path().join("fehlt.sqlite").display());
    let out = std::process::Command::new(kis)
        .args(["--db", &missing, "doctor"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("FEHLER") && text.contains("Speicher erreichbar"),
        "{text}"
    );
    assert!(
        !dir.path().join("fehlt.sqlite").exists(),
        "doctor must not create a store"
    );

    let db = kis::testing::sqlite_test_db("doctor_cli");
    demo_env(&db, day());
    let url = format!("sqlite:{}", db.sqlite_path().unwrap().display());
    let out = std::process::Command::new(kis)
        .args(["--db", &url, "doctor"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for name in [
        "Schemaversion",
        "Migrationen",
        "Protokoll (Hash-Kette)",
        "Plattenplatz",
        "Datensatzsperren",
    ] {
        assert!(
            text.lines()
                .any(|l| l.contains(name) && !l.starts_with("FEHLER")),
            "{name}: {text}"
        );
    }
}
