//! Soft record locks. Opening a record for change takes a lock that
//! colleagues see ("in Bearbeitung durch MEIER seit 10:32"); they may still
//! open it read-only. A lock whose session stopped sending heartbeats for
//! [`SESSION_TTL_MINUTES`] counts as expired and may be taken over.
//! Locks are advisory: the record version decides whether a save wins.

use chrono::NaiveDateTime;

use crate::core::error::{KisError, Result};
use crate::kernel::auth::SESSION_TTL_MINUTES;
use crate::kernel::session::Session;
use crate::params;
use crate::store::{Db, Sql};

fn ts(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// "in Bearbeitung durch MEIER seit 10:32".
fn held_message(user: &str, since: &str) -> String {
    let time = since.get(11..16).unwrap_or(since);
    format!("Datensatz in Bearbeitung durch {user} seit {time} – nur Anzeige möglich.")
}

/// Take the lock on a record for this session, or say who holds it.
pub fn acquire(session: &Session, entity: &str, key: &str) -> Result<()> {
    let now = session.now();
    let cutoff = ts(now - chrono::Duration::minutes(SESSION_TTL_MINUTES));
    session.db.write(|sql| {
        let held = sql.query_opt(
            "SELECT l.session_id, l.user_name, l.since, s.last_seen FROM record_lock l \
             LEFT JOIN kis_session s ON s.id = l.session_id \
             WHERE l.mandant = ? AND l.entity = ? AND l.record_key = ?",
            &params![session.mandant.id.as_str(), entity, key],
        )?;
        if let Some(r) = held {
            let holder = r.str(0)?;
            let alive = r.opt_str(3)?.is_some_and(|seen| seen >= cutoff);
            if holder != session.id && alive {
                return Err(KisError::Conflict(held_message(&r.str(1)?, &r.str(2)?)));
            }
            sql.execute(
                "DELETE FROM record_lock WHERE mandant = ? AND entity = ? AND record_key = ?",
                &params![session.mandant.id.as_str(), entity, key],
            )?;
        }
        sql.execute(
            "INSERT INTO record_lock (mandant, entity, record_key, session_id, user_name, since) VALUES (?, ?, ?, ?, ?, ?)",
            &params![session.mandant.id.as_str(), entity, key, session.id.as_str(), session.user.name.as_str(), ts(now)],
        )?;
        Ok(())
    })
}

/// Give a lock back (no error if it is gone already).
pub fn release(session: &Session, entity: &str, key: &str) -> Result<()> {
    session.db.write(|sql| {
        sql.execute(
            "DELETE FROM record_lock WHERE mandant = ? AND entity = ? AND record_key = ? AND session_id = ?",
            &params![session.mandant.id.as_str(), entity, key, session.id.as_str()],
        )
        .map(|_| ())
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockInfo {
    pub mandant: String,
    pub entity: String,
    pub key: String,
    pub user: String,
    pub since: String,
    pub alive: bool,
}

/// Every lock in the store, with whether its session is still alive.
pub fn all(db: &Db, now: NaiveDateTime) -> Result<Vec<LockInfo>> {
    let cutoff = ts(now - chrono::Duration::minutes(SESSION_TTL_MINUTES));
    db.read(|sql| {
        sql.query(
            "SELECT l.mandant, l.entity, l.record_key, l.user_name, l.since, s.last_seen FROM record_lock l \
             LEFT JOIN kis_session s ON s.id = l.session_id ORDER BY l.since",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(LockInfo {
                mandant: r.str(0)?,
                entity: r.str(1)?,
                key: r.str(2)?,
                user: r.str(3)?,
                since: r.str(4)?,
                alive: r.opt_str(5)?.is_some_and(|s| s >= cutoff),
            })
        })
        .collect()
    })
}

/// Remove locks and session rows of dead sessions (start-up and `kis doctor --fix`).
pub fn purge_expired(db: &Db, now: NaiveDateTime) -> Result<u64> {
    let cutoff = ts(now - chrono::Duration::minutes(SESSION_TTL_MINUTES));
    db.write(|sql| {
        let n = sql.execute(
            "DELETE FROM record_lock WHERE session_id NOT IN (SELECT id FROM kis_session WHERE last_seen >= ?)",
            &params![cutoff.as_str()],
        )?;
        sql.execute("DELETE FROM kis_session WHERE last_seen < ?", &params![cutoff.as_str()])?;
        Ok(n)
    })
}

/// The refusal of a stale save: who changed the record in between.
pub fn stale_save(sql: &mut dyn Sql, mandant: &str, entity: &str, key: &str) -> KisError {
    let by = sql
        .query_opt(
            "SELECT user_name FROM audit_log WHERE mandant = ? AND entity = ? AND record_key = ? ORDER BY seq DESC LIMIT 1",
            &params![mandant, entity, key],
        )
        .ok()
        .flatten()
        .and_then(|r| r.str(0).ok())
        .unwrap_or_else(|| "einem Kollegen".into());
    KisError::Stale { by }
}
