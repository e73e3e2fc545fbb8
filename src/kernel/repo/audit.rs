//! Rows of `audit_log` and its head row `audit_head`. The chain's rules
//! (MACs, checkpoints, verification) stay in `kernel::audit`; these
//! functions only read and write the rows, in the caller's transaction and
//! in the order the caller calls them.

use crate::core::error::Result;
use crate::kernel::audit::AuditEntry;
use crate::params;
use crate::store::{Row, Sql};

/// The head row: last sequence number, its MAC and the first keyed entry.
pub struct Head {
    pub seq: i64,
    pub hash: String,
    pub keyed_from: i64,
}

fn head_from_row(r: &Row) -> Result<Head> {
    Ok(Head {
        seq: r.i64(0)?,
        hash: r.str(1)?,
        keyed_from: r.i64(2)?,
    })
}

/// Advance the head's sequence number and return the head as it is now
/// (none when the head row is missing). The UPDATE serialises concurrent
/// writers on the head row (PostgreSQL row lock; SQLite holds the write
/// lock already), so the chain never forks.
pub fn advance_head(sql: &mut dyn Sql) -> Result<Option<Head>> {
    sql.query_opt(
        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash, keyed_from",
        &[],
    )?
    .as_ref()
    .map(head_from_row)
    .transpose()
}

/// The head row, if present.
pub fn head(sql: &mut dyn Sql) -> Result<Option<Head>> {
    sql.query_opt(
        "SELECT seq, hash, keyed_from FROM audit_head WHERE id = 1",
        &[],
    )?
    .as_ref()
    .map(head_from_row)
    .transpose()
}

/// Store the MAC of the newest entry in the head row.
pub fn set_head_hash(sql: &mut dyn Sql, mac: &str) -> Result<()> {
    sql.execute("UPDATE audit_head SET hash = ? WHERE id = 1", &params![mac])?;
    Ok(())
}

/// Write one entry row.
pub fn insert(sql: &mut dyn Sql, e: &AuditEntry) -> Result<()> {
    sql.execute(
        "INSERT INTO audit_log (seq, at, user_name, mandant, action, entity, record_key, before_json, after_json, prev_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![e.seq, e.at.as_str(), e.user.as_str(), e.mandant.as_str(), e.action.as_str(), e.entity.as_str(), e.key.as_str(), e.before.clone(), e.after.clone(), e.prev_hash.as_str(), e.hash.as_str()],
    )?;
    Ok(())
}

fn entry_from_row(r: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.i64(0)?,
        at: r.str(1)?,
        user: r.str(2)?,
        mandant: r.str(3)?,
        action: r.str(4)?,
        entity: r.str(5)?,
        key: r.str(6)?,
        before: r.opt_str(7)?,
        after: r.opt_str(8)?,
        prev_hash: r.str(9)?,
        hash: r.str(10)?,
    })
}

const COLUMNS: &str = "seq, at, user_name, mandant, action, entity, record_key, before_json, after_json, prev_hash, hash";

/// The entries about one record, oldest first.
pub fn for_record(
    sql: &mut dyn Sql,
    mandant: &str,
    entity: &str,
    key: &str,
) -> Result<Vec<AuditEntry>> {
    sql.query(
        &format!("SELECT {COLUMNS} FROM audit_log WHERE mandant = ? AND entity = ? AND record_key = ? ORDER BY seq"),
        &params![mandant, entity, key],
    )?
    .iter()
    .map(entry_from_row)
    .collect()
}

/// The newest `limit` entries, newest first.
pub fn newest(sql: &mut dyn Sql, limit: usize) -> Result<Vec<AuditEntry>> {
    sql.query(
        &format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT ?"),
        &params![limit as i64],
    )?
    .iter()
    .map(entry_from_row)
    .collect()
}

/// Hand every entry to `f` in sequence order, one row at a time.
pub fn each_entry(sql: &mut dyn Sql, f: &mut dyn FnMut(AuditEntry) -> Result<()>) -> Result<()> {
    sql.for_each(
        &format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"),
        &[],
        &mut |row| f(entry_from_row(row)?),
    )
}
