//! The append-only, hash-chained audit log. Every change a service makes is
//! appended in the same transaction as the change. Each entry's hash covers
//! its content and the previous entry's hash; the head row holds the last
//! sequence number and hash, so removing entries at the end is detected too.

use chrono::NaiveDateTime;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use super::error::{KisError, Result};
use crate::params;
use crate::store::{Db, Sql};

/// Who did something, where and when.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: String,
    pub mandant: String,
    pub at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub user: String,
    pub mandant: String,
    pub action: String,
    pub entity: String,
    pub key: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
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
    // Length-prefixed fields: no two different entries hash the same input.
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

/// Append one entry inside the caller's write transaction.
pub fn append(
    sql: &mut dyn Sql,
    actor: &Actor,
    action: &str,
    entity: &str,
    key: &str,
    before: Option<&Json>,
    after: Option<&Json>,
) -> Result<i64> {
    // The UPDATE serialises concurrent writers on the head row (PostgreSQL
    // row lock; SQLite holds the write lock already), so the chain never forks.
    let head = sql.query_one(
        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
        &[],
    )?;
    let seq = head.i64(0)?;
    let prev = head.str(1)?;
    let at = actor.at.format("%Y-%m-%dT%H:%M:%S").to_string();
    let before = before.map(|j| j.to_string());
    let after = after.map(|j| j.to_string());
    let hash = entry_hash(
        &prev,
        seq,
        &at,
        &actor.user,
        &actor.mandant,
        action,
        entity,
        key,
        before.as_deref(),
        after.as_deref(),
    );
    sql.execute(
        "INSERT INTO audit_log (seq, at, user_name, mandant, action, entity, record_key, before_json, after_json, prev_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![seq, at, actor.user.as_str(), actor.mandant.as_str(), action, entity, key, before, after, prev, hash.as_str()],
    )?;
    sql.execute(
        "UPDATE audit_head SET hash = ? WHERE id = 1",
        &params![hash],
    )?;
    Ok(seq)
}

fn entry_from_row(r: &crate::store::Row) -> Result<AuditEntry> {
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

/// The newest entries (for `kis audit list`).
pub fn latest(sql: &mut dyn Sql, limit: usize) -> Result<Vec<AuditEntry>> {
    let mut v: Vec<AuditEntry> = sql
        .query(
            &format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT ?"),
            &params![limit as i64],
        )?
        .iter()
        .map(entry_from_row)
        .collect::<Result<_>>()?;
    v.reverse();
    Ok(v)
}

/// The result of checking the whole chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        entries: i64,
    },
    /// The first entry that does not fit, and why.
    Broken {
        seq: i64,
        reason: String,
    },
}

/// Recompute every hash and check the links, the numbering and the head.
pub fn verify(db: &Db) -> Result<Verdict> {
    db.read(|sql| {
        let mut expected_seq = 1i64;
        let mut prev = String::from("0").repeat(64);
        let mut broken: Option<(i64, String)> = None;
        sql.for_each(
            &format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"),
            &[],
            &mut |row| {
                if broken.is_some() {
                    return Ok(());
                }
                let e = entry_from_row(row)?;
                if e.seq != expected_seq {
                    broken = Some((
                        expected_seq,
                        format!("Eintrag {expected_seq} fehlt (gefunden: {}).", e.seq),
                    ));
                    return Ok(());
                }
                if e.prev_hash != prev {
                    broken = Some((e.seq, "Verkettung zum Vorgänger stimmt nicht.".into()));
                    return Ok(());
                }
                let h = entry_hash(
                    &e.prev_hash,
                    e.seq,
                    &e.at,
                    &e.user,
                    &e.mandant,
                    &e.action,
                    &e.entity,
                    &e.key,
                    e.before.as_deref(),
                    e.after.as_deref(),
                );
                if h != e.hash {
                    broken = Some((
                        e.seq,
                        "Inhalt wurde verändert (Prüfsumme stimmt nicht).".into(),
                    ));
                    return Ok(());
                }
                prev = e.hash;
                expected_seq += 1;
                Ok(())
            },
        )?;
        if let Some((seq, reason)) = broken {
            return Ok(Verdict::Broken { seq, reason });
        }
        let head = sql.query_one("SELECT seq, hash FROM audit_head WHERE id = 1", &[])?;
        let (head_seq, head_hash) = (head.i64(0)?, head.str(1)?);
        let last = expected_seq - 1;
        if head_seq != last || head_hash != prev {
            return Ok(Verdict::Broken {
                seq: last + 1,
                reason: format!(
                    "Einträge ab Nummer {} fehlen (Kopf zeigt {head_seq}, vorhanden bis {last}).",
                    last + 1
                ),
            });
        }
        Ok(Verdict::Intact { entries: last })
    })
}

/// Convenience for services: serialise a value for the before/after columns.
pub fn json<T: serde::Serialize>(v: &T) -> Result<Json> {
    serde_json::to_value(v).map_err(|e| KisError::System(e.to_string()))
}
