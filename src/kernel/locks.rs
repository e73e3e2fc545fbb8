//! Soft record locks. Opening a record for change takes a lock that
//! colleagues see ("in Bearbeitung durch MEIER seit 10:32"); they may still
//! open it read-only. A lock whose session stopped sending heartbeats for
//! [`SESSION_TTL_MINUTES`] counts as expired and may be taken over.
//! Locks are advisory: the record version decides whether a save wins.

use chrono::NaiveDateTime;

use crate::core::error::{KisError, Result};
use crate::kernel::auth::SESSION_TTL_MINUTES;
use crate::kernel::repo::locks as repo;
use crate::kernel::session::Session;
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
    let mandant = session.mandant.id.as_str();
    session.db.write(|sql| {
        if let Some(h) = repo::held(sql, mandant, entity, key)? {
            let alive = h.last_seen.is_some_and(|seen| seen >= cutoff);
            if h.session_id != session.id && alive {
                return Err(KisError::Conflict(held_message(&h.user_name, &h.since)));
            }
            repo::delete(sql, mandant, entity, key)?;
        }
        repo::insert(
            sql,
            mandant,
            entity,
            key,
            session.id.as_str(),
            session.user.name.as_str(),
            &ts(now),
        )
    })
}

/// Give a lock back (no error if it is gone already).
pub fn release(session: &Session, entity: &str, key: &str) -> Result<()> {
    session.db.write(|sql| {
        repo::delete_own(
            sql,
            session.mandant.id.as_str(),
            entity,
            key,
            session.id.as_str(),
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
    let rows = db.read(repo::all)?;
    Ok(rows
        .into_iter()
        .map(|r| LockInfo {
            alive: r.last_seen.is_some_and(|s| s >= cutoff),
            mandant: r.mandant,
            entity: r.entity,
            key: r.key,
            user: r.user,
            since: r.since,
        })
        .collect())
}

/// Remove locks and session rows of dead sessions (start-up and `kis doctor --fix`).
pub fn purge_expired(db: &Db, now: NaiveDateTime) -> Result<u64> {
    let cutoff = ts(now - chrono::Duration::minutes(SESSION_TTL_MINUTES));
    db.write(|sql| repo::purge_expired(sql, &cutoff))
}

/// The refusal of a stale save: who changed the record in between.
pub fn stale_save(sql: &mut dyn Sql, mandant: &str, entity: &str, key: &str) -> KisError {
    let by = repo::last_changed_by(sql, mandant, entity, key)
        .ok()
        .flatten()
        .unwrap_or_else(|| "einem Kollegen".into());
    KisError::Stale { by }
}
