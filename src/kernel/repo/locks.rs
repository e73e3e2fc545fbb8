//! Rows of `record_lock` (soft record locks) and the session liveness they
//! are judged by.

use crate::core::error::Result;
use crate::params;
use crate::store::Sql;

/// The holder of a lock: session id, user name, since, and the session's
/// last heartbeat (none when the session row is gone).
pub struct HeldLock {
    pub session_id: String,
    pub user_name: String,
    pub since: String,
    pub last_seen: Option<String>,
}

/// The lock on one record, if any.
pub fn held(sql: &mut dyn Sql, mandant: &str, entity: &str, key: &str) -> Result<Option<HeldLock>> {
    sql.query_opt(
        "SELECT l.session_id, l.user_name, l.since, s.last_seen FROM record_lock l \
         LEFT JOIN kis_session s ON s.id = l.session_id \
         WHERE l.mandant = ? AND l.entity = ? AND l.record_key = ?",
        &params![mandant, entity, key],
    )?
    .map(|r| {
        Ok(HeldLock {
            session_id: r.str(0)?,
            user_name: r.str(1)?,
            since: r.str(2)?,
            last_seen: r.opt_str(3)?,
        })
    })
    .transpose()
}

/// Remove the lock on a record, whoever holds it.
pub fn delete(sql: &mut dyn Sql, mandant: &str, entity: &str, key: &str) -> Result<u64> {
    sql.execute(
        "DELETE FROM record_lock WHERE mandant = ? AND entity = ? AND record_key = ?",
        &params![mandant, entity, key],
    )
}

/// Remove the lock on a record held by one session.
pub fn delete_own(
    sql: &mut dyn Sql,
    mandant: &str,
    entity: &str,
    key: &str,
    session_id: &str,
) -> Result<u64> {
    sql.execute(
        "DELETE FROM record_lock WHERE mandant = ? AND entity = ? AND record_key = ? AND session_id = ?",
        &params![mandant, entity, key, session_id],
    )
}

/// Write a new lock row.
pub fn insert(
    sql: &mut dyn Sql,
    mandant: &str,
    entity: &str,
    key: &str,
    session_id: &str,
    user_name: &str,
    since: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO record_lock (mandant, entity, record_key, session_id, user_name, since) VALUES (?, ?, ?, ?, ?, ?)",
        &params![mandant, entity, key, session_id, user_name, since],
    )?;
    Ok(())
}

/// One row of the lock overview.
pub struct LockRow {
    pub mandant: String,
    pub entity: String,
    pub key: String,
    pub user: String,
    pub since: String,
    pub last_seen: Option<String>,
}

/// Every lock in the store with its session's last heartbeat, oldest first.
pub fn all(sql: &mut dyn Sql) -> Result<Vec<LockRow>> {
    sql.query(
        "SELECT l.mandant, l.entity, l.record_key, l.user_name, l.since, s.last_seen FROM record_lock l \
         LEFT JOIN kis_session s ON s.id = l.session_id ORDER BY l.since",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(LockRow {
            mandant: r.str(0)?,
            entity: r.str(1)?,
            key: r.str(2)?,
            user: r.str(3)?,
            since: r.str(4)?,
            last_seen: r.opt_str(5)?,
        })
    })
    .collect()
}

/// Remove the locks of sessions not seen since `cutoff`, then those
/// sessions' rows; returns the number of locks removed.
pub fn purge_expired(sql: &mut dyn Sql, cutoff: &str) -> Result<u64> {
    let n = sql.execute(
        "DELETE FROM record_lock WHERE session_id NOT IN (SELECT id FROM kis_session WHERE last_seen >= ?)",
        &params![cutoff],
    )?;
    sql.execute(
        "DELETE FROM kis_session WHERE last_seen < ?",
        &params![cutoff],
    )?;
    Ok(n)
}

/// Who last changed a record according to the audit log.
pub fn last_changed_by(
    sql: &mut dyn Sql,
    mandant: &str,
    entity: &str,
    key: &str,
) -> Result<Option<String>> {
    sql.query_opt(
        "SELECT user_name FROM audit_log WHERE mandant = ? AND entity = ? AND record_key = ? ORDER BY seq DESC LIMIT 1",
        &params![mandant, entity, key],
    )?
    .map(|r| r.str(0))
    .transpose()
}
