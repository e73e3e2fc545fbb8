//! Issue 11, item 5: the audit chain is anchored outside the database.
//! Each test performs an attack of someone who can write to the database
//! but has neither the audit key nor the checkpoint file, on both stores,
//! and shows that `audit::verify` now reports it.

use chrono::NaiveDate;
use kis::core::audit_anchor::AuditSettings;
use kis::core::error::KisError;
use kis::kernel::audit::{self, Verdict};
use kis::kernel::streets::{self, HouseNo, Street};
use kis::params;
use kis::store::{Db, Sql, migrate};
use kis::testing::{demo_env, session};
use sha2::{Digest, Sha256};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
}

fn street(key: &str) -> Street {
    Street {
        schluessel: key.into(),
        name: "Prüfweg".into(),
        ortsteil: "01".into(),
        plz: "59999".into(),
        ort: "Musterstadt".into(),
        hausnummern: vec![HouseNo {
            nummer: 1,
            zusatz: String::new(),
        }],
        version: 1,
    }
}

/// The old, unkeyed rule: what an attacker can compute from the data alone.
#[allow(clippy::too_many_arguments)]
fn unkeyed_hash(
    prev: &str,
    seq: i64,
    at: &str,
    user: &str,
    mandant: &str,
    action: &str,
    entity: &str,
    key: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &seq.to_string(),
        at,
        user,
        mandant,
        action,
        entity,
        key,
        before.unwrap_or("\u{0}"),
        after.unwrap_or("\u{0}"),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Recompute the whole chain with the unkeyed rule from entry `from` on
/// and set the head to match — the forgery that passed before the fix.
fn recompute_unkeyed_chain(sql: &mut dyn Sql, from: i64) -> kis::core::error::Result<()> {
    let rows = sql.query(
        "SELECT seq, at, user_name, mandant, action, entity, record_key, before_json, after_json, prev_hash \
         FROM audit_log WHERE seq >= ? ORDER BY seq",
        &params![from],
    )?;
    let mut prev = if from == 1 {
        "0".repeat(64)
    } else {
        sql.query_one(
            "SELECT hash FROM audit_log WHERE seq = ?",
            &params![from - 1],
        )?
        .str(0)?
    };
    let mut last = from - 1;
    for r in &rows {
        let seq = r.i64(0)?;
        let before = r.opt_str(7)?;
        let after = r.opt_str(8)?;
        let hash = unkeyed_hash(
            &prev,
            seq,
            &r.str(1)?,
            &r.str(2)?,
            &r.str(3)?,
            &r.str(4)?,
            &r.str(5)?,
            &r.str(6)?,
            before.as_deref(),
            after.as_deref(),
        );
        sql.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
            &params![prev.as_str(), hash.as_str(), seq],
        )?;
        prev = hash;
        last = seq;
    }
    sql.execute(
        "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
        &params![last, prev.as_str()],
    )?;
    Ok(())
}

fn max_seq(db: &Db) -> i64 {
    db.read(|sql| sql.query_one("SELECT COALESCE(MAX(seq), 0) FROM audit_log", &[]))
        .unwrap()
        .i64(0)
        .unwrap()
}

fn broken(db: &Db) -> (i64, String) {
    match audit::verify(db).unwrap() {
        Verdict::Broken { seq, reason } => (seq, reason),
        v => panic!("Manipulation nicht erkannt: {v:?}"),
    }
}

kis::store_test!(untouched_log_with_the_right_key_is_intact, |db: &Db| {
    let clock = demo_env(db, day());
    streets::create(&session(db, clock, "MEIER"), &street("09981")).unwrap();
    let report = audit::verify_report(db).unwrap();
    assert_eq!(
        report.verdict,
        Verdict::Intact {
            entries: max_seq(db)
        }
    );
    // A new store has no unkeyed entries; the first keyed entry and every
    // hundredth were anchored in the checkpoint file automatically.
    assert_eq!(report.legacy, 0);
    assert!(report.checkpoints >= 1, "{report:?}");
    assert!(report.warnings.is_empty(), "{report:?}");
    // The key file exists and only the service account can read it.
    #[cfg(unix)]
    if let Some(path) = db.sqlite_path() {
        use std::os::unix::fs::PermissionsExt;
        let key = std::path::PathBuf::from(format!("{}.audit-key", path.display()));
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", key.display());
    }
});

kis::store_test!(
    altered_entry_with_recomputed_unkeyed_chain_is_caught,
    |db: &Db| {
        let clock = demo_env(db, day());
        streets::create(&session(db, clock, "MEIER"), &street("09982")).unwrap();
        assert!(matches!(audit::verify(db).unwrap(), Verdict::Intact { .. }));
        // Alter entry 3 and recompute chain and head as the old code did.
        db.write(|sql| {
            sql.execute(
                "UPDATE audit_log SET user_name = 'MALLORY' WHERE seq = 3",
                &[],
            )?;
            recompute_unkeyed_chain(sql, 3)
        })
        .unwrap();
        let (seq, reason) = broken(db);
        assert_eq!(seq, 3);
        assert!(reason.contains("Audit-Schlüssel"), "{reason}");
    }
);

kis::store_test!(entries_signed_with_a_guessed_key_are_caught, |db: &Db| {
    let clock = demo_env(db, day());
    streets::create(&session(db, clock, "MEIER"), &street("09983")).unwrap();
    // The attacker's own handle with a key of his choosing appends.
    let dir = tempfile::tempdir().unwrap();
    let mallory = db
        .with_audit(&AuditSettings {
            key_hex: Some("ab".repeat(32)),
            checkpoint_file: Some(dir.path().join("mallory.audit-checkpoints")),
            ..AuditSettings::default()
        })
        .unwrap();
    let first_forged = max_seq(db) + 1;
    let clock2 = std::sync::Arc::new(kis::core::clock::FixedClock::on(day()));
    streets::create(&session(&mallory, clock2, "MEIER"), &street("09984")).unwrap();
    let (seq, _) = broken(db);
    assert_eq!(seq, first_forged);
});

kis::store_test!(
    cut_tail_with_fixed_head_is_caught_by_the_checkpoint,
    |db: &Db| {
        let clock = demo_env(db, day());
        let meier = session(db, clock, "MEIER");
        streets::create(&meier, &street("09985")).unwrap();
        let cp = audit::checkpoint(db).unwrap();
        assert_eq!(cp.seq, max_seq(db));
        streets::create(&meier, &street("09986")).unwrap();
        // Cut everything after entry cp.seq - 3 and make the head fit.
        let keep = cp.seq - 3;
        db.write(|sql| {
            sql.execute("DELETE FROM audit_log WHERE seq > ?", &params![keep])?;
            let last = sql
                .query_one("SELECT hash FROM audit_log WHERE seq = ?", &params![keep])?
                .str(0)?;
            sql.execute(
                "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
                &params![keep, last.as_str()],
            )?;
            Ok(())
        })
        .unwrap();
        let (seq, reason) = broken(db);
        assert_eq!(seq, keep + 1);
        // The witness is our checkpoint or a later automatic one (every
        // 100 entries), in any case one beyond the cut.
        let witnessed: i64 = reason
            .split("bezeugt Eintrag ")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no witness in {reason}"));
        assert!(witnessed >= cp.seq && witnessed > keep, "{reason}");
        assert!(reason.contains("entfernt"), "{reason}");
    }
);

kis::store_test!(emptied_log_is_caught, |db: &Db| {
    demo_env(db, day());
    db.write(|sql| {
        sql.execute("DELETE FROM audit_log", &[])?;
        sql.execute(
            "UPDATE audit_head SET seq = 0, hash = ?, keyed_from = 1 WHERE id = 1",
            &params!["0".repeat(64)],
        )?;
        Ok(())
    })
    .unwrap();
    let (seq, reason) = broken(db);
    assert_eq!(seq, 1);
    assert!(reason.contains("geleert"), "{reason}");
});

kis::store_test!(moving_the_key_boundary_is_caught, |db: &Db| {
    demo_env(db, day());
    // Pass every keyed entry off as an old unkeyed one and rewrite.
    db.write(|sql| {
        sql.execute("UPDATE audit_log SET after_json = '{}' WHERE seq = 2", &[])?;
        recompute_unkeyed_chain(sql, 1)?;
        sql.execute(
            "UPDATE audit_head SET keyed_from = seq + 1 WHERE id = 1",
            &[],
        )?;
        Ok(())
    })
    .unwrap();
    let (seq, reason) = broken(db);
    assert_eq!(seq, 1);
    assert!(reason.contains("Grenze wurde verschoben"), "{reason}");
});

kis::store_test!(
    deleted_head_row_is_tampering_and_blocks_changes,
    |db: &Db| {
        let clock = demo_env(db, day());
        db.write(|sql| sql.execute("DELETE FROM audit_head", &[]))
            .unwrap();
        let (_, reason) = broken(db);
        assert!(reason.contains("Kopfsatz"), "{reason}");
        assert!(reason.contains("manipuliert"), "{reason}");
        assert!(!reason.contains("nicht gefunden"), "{reason}");
        // No change can be written without its audit entry.
        let err = streets::create(&session(db, clock, "MEIER"), &street("09987")).unwrap_err();
        assert!(err.to_string().contains("Kopfsatz"), "{err}");
        let n = db
            .read(|sql| {
                sql.query_one(
                    "SELECT COUNT(*) FROM street WHERE schluessel = '09987'",
                    &[],
                )
            })
            .unwrap()
            .i64(0)
            .unwrap();
        assert_eq!(n, 0);
    }
);

kis::store_test!(checkpoint_with_another_mac_is_rewriting, |db: &Db| {
    demo_env(db, day());
    // A checkpoint from a history that differs from the stored one (e.g. a
    // rewritten or swapped-in database).
    let file = db.audit_anchor().checkpoint_file().unwrap().to_path_buf();
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(&format!("2;{};2026-03-05T09:00:00\n", "1".repeat(64)));
    std::fs::write(&file, text).unwrap();
    let (seq, reason) = broken(db);
    assert_eq!(seq, 2);
    assert!(reason.contains("neu geschrieben"), "{reason}");
});

kis::store_test!(missing_key_is_an_error_and_nothing_is_written, |db: &Db| {
    let clock = demo_env(db, day());
    let dir = tempfile::tempdir().unwrap();
    let keyless = db
        .with_audit(&AuditSettings {
            key_file: Some(dir.path().join("weg.audit-key")),
            checkpoint_file: db.audit_anchor().checkpoint_file().map(Into::into),
            ..AuditSettings::default()
        })
        .unwrap();
    let err = audit::verify(&keyless).unwrap_err();
    assert!(matches!(err, KisError::System(_)), "{err:?}");
    assert!(err.to_string().contains("Audit-Schlüssel fehlt"), "{err}");
    let before = max_seq(db);
    let err = streets::create(&session(&keyless, clock, "MEIER"), &street("09988")).unwrap_err();
    assert!(err.to_string().contains("Audit-Schlüssel fehlt"), "{err}");
    assert_eq!(max_seq(db), before);
    // The key is not silently re-created.
    assert!(!dir.path().join("weg.audit-key").exists());
    assert!(matches!(audit::verify(db).unwrap(), Verdict::Intact { .. }));
});

kis::store_test!(old_unkeyed_entries_are_carried_and_sealed, |db: &Db| {
    // A store from before the migration: kernel schema only, entries
    // with the old hash.
    let all = kis::schema::migrations();
    migrate::migrate(db, &all[..1]).unwrap();
    db.write(|sql| {
            let mut prev = "0".repeat(64);
            for seq in 1..=3i64 {
                let after = format!("{{\"n\":{seq}}}");
                let hash = unkeyed_hash(
                    &prev,
                    seq,
                    "2026-01-02T08:00:00",
                    "KIS",
                    "001",
                    "ALT",
                    "test",
                    "k",
                    None,
                    Some(&after),
                );
                sql.execute(
                    "INSERT INTO audit_log (seq, at, user_name, mandant, action, entity, record_key, before_json, after_json, prev_hash, hash) \
                     VALUES (?, '2026-01-02T08:00:00', 'KIS', '001', 'ALT', 'test', 'k', NULL, ?, ?, ?)",
                    &params![seq, after.as_str(), prev.as_str(), hash.as_str()],
                )?;
                prev = hash;
            }
            sql.execute(
                "UPDATE audit_head SET seq = 3, hash = ? WHERE id = 1",
                &params![prev.as_str()],
            )?;
            Ok(())
        })
        .unwrap();
    let clock = demo_env(db, day());
    streets::create(&session(db, clock, "MEIER"), &street("09989")).unwrap();
    let report = audit::verify_report(db).unwrap();
    assert_eq!(
        report.verdict,
        Verdict::Intact {
            entries: max_seq(db)
        }
    );
    assert_eq!(report.legacy, 3);
    // Rewriting an old entry and its unkeyed successors breaks at the
    // first keyed entry, whose MAC covers the last old hash.
    db.write(|sql| {
            sql.execute(
                "UPDATE audit_log SET user_name = 'MALLORY' WHERE seq = 2",
                &[],
            )?;
            let rows = sql.query(
                "SELECT seq, at, user_name, mandant, action, entity, record_key, before_json, after_json FROM audit_log WHERE seq BETWEEN 2 AND 3 ORDER BY seq",
                &[],
            )?;
            let mut prev = sql
                .query_one("SELECT hash FROM audit_log WHERE seq = 1", &[])?
                .str(0)?;
            for r in &rows {
                let after = r.opt_str(8)?;
                let h = unkeyed_hash(
                    &prev,
                    r.i64(0)?,
                    &r.str(1)?,
                    &r.str(2)?,
                    &r.str(3)?,
                    &r.str(4)?,
                    &r.str(5)?,
                    &r.str(6)?,
                    None,
                    after.as_deref(),
                );
                sql.execute(
                    "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
                    &params![prev.as_str(), h.as_str(), r.i64(0)?],
                )?;
                prev = h;
            }
            sql.execute(
                "UPDATE audit_log SET prev_hash = ? WHERE seq = 4",
                &params![prev.as_str()],
            )?;
            Ok(())
        })
        .unwrap();
    let (seq, _) = broken(db);
    assert_eq!(seq, 4);
});
