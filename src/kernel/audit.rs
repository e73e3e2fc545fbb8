//! The append-only, chained audit log. Every change a service makes is
//! appended in the same transaction as the change. Each entry carries a
//! keyed MAC (HMAC-SHA-256) over its content and the previous entry's MAC;
//! the key lives outside the database ([`Anchor`](crate::core::audit_anchor::Anchor)), so someone who can only
//! write to the database cannot recompute the chain after altering it. The
//! head row holds the last sequence number and MAC, and checkpoints
//! (sequence number and MAC, written to a file outside the store every
//! [`DEFAULT_CHECKPOINT_EVERY`] entries and by `kis audit checkpoint`) show
//! when the tail was cut off or the log emptied.
//!
//! Entries written before migration 2 carry the old unkeyed SHA-256 hash;
//! `audit_head.keyed_from` is the number of the first keyed entry. The old
//! part is checked with the old rule, and it is sealed by the first keyed
//! entry, whose MAC covers the last old hash.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use hmac::{Hmac, Mac};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::core::audit_anchor::Checkpoint;
use crate::core::error::{KisError, Result};
use crate::kernel::repo::audit as repo;
use crate::store::{Db, Sql};

/// Who did something, where and when.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: String,
    pub mandant: String,
    pub at: NaiveDateTime,
}

impl Actor {
    /// The moment of the action as stored in `…_am` columns
    /// (`JJJJ-MM-TT hh:mm:ss`).
    pub fn stempel(&self) -> String {
        self.at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
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

/// The fields an entry's hash or MAC covers, in this order.
struct Fields<'a> {
    prev: &'a str,
    seq: i64,
    at: &'a str,
    user: &'a str,
    mandant: &'a str,
    action: &'a str,
    entity: &'a str,
    key: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

impl Fields<'_> {
    /// Length-prefixed fields: no two different entries give the same input.
    fn feed(&self, mut update: impl FnMut(&[u8])) {
        for part in [
            self.prev,
            &self.seq.to_string(),
            self.at,
            self.user,
            self.mandant,
            self.action,
            self.entity,
            self.key,
            self.before.unwrap_or("\u{0}"),
            self.after.unwrap_or("\u{0}"),
        ] {
            update(&(part.len() as u64).to_be_bytes());
            update(part.as_bytes());
        }
    }

    /// The old unkeyed rule (entries before `audit_head.keyed_from`).
    fn legacy_hash(&self) -> String {
        let mut h = Sha256::new();
        self.feed(|b| h.update(b));
        hex::encode(h.finalize())
    }

    /// HMAC-SHA-256 with the store's audit key.
    fn mac(&self, key: &[u8]) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC-Schlüssel");
        self.feed(|b| m.update(b));
        hex::encode(m.finalize().into_bytes())
    }
}

fn head_missing() -> KisError {
    KisError::System(
        "Der Kopfsatz des Audit-Protokolls (audit_head) fehlt – das Protokoll wurde manipuliert. \
         Änderungen sind gesperrt, bis die Datenbank aus der Sicherung wiederhergestellt ist."
            .into(),
    )
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
    let head = repo::advance_head(sql)?.ok_or_else(head_missing)?;
    let seq = head.seq;
    let prev = head.hash;
    let keyed_from = head.keyed_from;
    let anchor = sql.audit_anchor().ok_or_else(|| {
        KisError::System(
            "Audit-Einträge sind nur in einer Schreibtransaktion des Speichers möglich.".into(),
        )
    })?;
    // Only the very first keyed entry may bring a new key file into being.
    let mac_key = anchor.key(seq <= keyed_from)?;
    let every = anchor.every();
    let at = actor.at.format("%Y-%m-%dT%H:%M:%S").to_string();
    let before = before.map(|j| j.to_string());
    let after = after.map(|j| j.to_string());
    let mac = Fields {
        prev: &prev,
        seq,
        at: &at,
        user: &actor.user,
        mandant: &actor.mandant,
        action,
        entity,
        key,
        before: before.as_deref(),
        after: after.as_deref(),
    }
    .mac(mac_key);
    let entry = AuditEntry {
        seq,
        at,
        user: actor.user.clone(),
        mandant: actor.mandant.clone(),
        action: action.to_owned(),
        entity: entity.to_owned(),
        key: key.to_owned(),
        before,
        after,
        prev_hash: prev,
        hash: mac,
    };
    repo::insert(sql, &entry)?;
    repo::set_head_hash(sql, &entry.hash)?;
    let mac = entry.hash;
    // The first keyed entry is always anchored, so emptying the log is seen
    // even before the first regular checkpoint.
    if seq == keyed_from || seq % every == 0 {
        sql.audit_checkpoint_after_commit(seq, &mac);
    }
    Ok(seq)
}

/// The entries about one record, oldest first.
pub fn for_record(
    sql: &mut dyn Sql,
    mandant: &str,
    entity: &str,
    key: &str,
) -> Result<Vec<AuditEntry>> {
    repo::for_record(sql, mandant, entity, key)
}

/// The newest entries (for `kis audit list`).
pub fn latest(sql: &mut dyn Sql, limit: usize) -> Result<Vec<AuditEntry>> {
    let mut v = repo::newest(sql, limit)?;
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

/// The verdict with what was checked, for `kis audit verify` and `kis doctor`.
#[derive(Debug, PartialEq, Eq)]
pub struct Report {
    pub verdict: Verdict,
    /// Entries before migration 2, checked with the old unkeyed rule.
    pub legacy: i64,
    /// Checkpoints compared.
    pub checkpoints: usize,
    /// The checkpoint file (if configured).
    pub checkpoint_file: Option<PathBuf>,
    /// Things that weaken the check without being tampering.
    pub warnings: Vec<String>,
}

/// Recompute every hash and check the links, the numbering and the head.
pub fn verify(db: &Db) -> Result<Verdict> {
    verify_report(db).map(|r| r.verdict)
}

/// Recompute the chain (old hashes before `keyed_from`, MACs from there
/// on), check links, numbering and head, and compare every checkpoint of
/// the checkpoint file. A missing key is an error (nothing can be said);
/// tampering is a [`Verdict::Broken`] naming the first broken entry.
pub fn verify_report(db: &Db) -> Result<Report> {
    let anchor = db.audit_anchor();
    let checkpoints = anchor.read_checkpoints()?;
    let mut warnings = anchor.key_warnings();
    if let Some(e) = anchor
        .checkpoint_error
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
    {
        warnings.push(format!("Letzter Prüfpunkt nicht geschrieben: {e}"));
    }
    if let Err(m) = &anchor.checkpoints {
        warnings.push(m.clone());
    }
    if let Err(m) = &anchor.every {
        warnings.push(m.clone());
    }
    let report = |verdict: Verdict, legacy: i64, warnings: Vec<String>| Report {
        verdict,
        legacy,
        checkpoints: checkpoints.values().map(Vec::len).sum(),
        checkpoint_file: anchor.checkpoint_file().map(Path::to_path_buf),
        warnings,
    };
    let broken = |seq: i64, reason: String| Verdict::Broken { seq, reason };
    db.read(|sql| {
        let Some(head) = repo::head(sql)? else {
            return Ok(report(
                broken(
                    0,
                    "Der Kopfsatz des Protokolls (audit_head) fehlt – das Protokoll wurde \
                     manipuliert."
                        .into(),
                ),
                0,
                warnings.clone(),
            ));
        };
        let (head_seq, head_hash, keyed_from) = (head.seq, head.hash, head.keyed_from);
        // Checkpoints exist only for keyed entries: one below the boundary
        // means the boundary was moved to pass keyed entries off as old ones.
        if let Some(cp) = checkpoints.values().flatten().find(|c| c.seq < keyed_from) {
            return Ok(report(
                broken(
                    cp.seq,
                    format!(
                        "Der Prüfpunkt vom {} bezeugt den signierten Eintrag {}, die Datenbank \
                         führt ihn als Alteintrag ohne Schlüssel (Grenze {keyed_from}) – die \
                         Grenze wurde verschoben.",
                        cp.at.replace('T', " "),
                        cp.seq
                    ),
                ),
                0,
                warnings.clone(),
            ));
        }
        // The key is needed as soon as keyed entries exist (by the head or
        // the checkpoints); without it nothing can be said.
        let needs_key = head_seq >= keyed_from || !checkpoints.is_empty();
        let mut key: Option<&[u8]> = if needs_key {
            Some(anchor.key(false)?)
        } else {
            None
        };
        let mut expected_seq = 1i64;
        let mut prev = String::from("0").repeat(64);
        let mut failure: Option<(i64, String)> = None;
        let mut key_error: Option<KisError> = None;
        repo::each_entry(
            sql,
            &mut |e: AuditEntry| {
                if failure.is_some() || key_error.is_some() {
                    return Ok(());
                }
                if e.seq != expected_seq {
                    failure = Some((
                        expected_seq,
                        format!("Eintrag {expected_seq} fehlt (gefunden: {}).", e.seq),
                    ));
                    return Ok(());
                }
                if e.prev_hash != prev {
                    failure = Some((e.seq, "Verkettung zum Vorgänger stimmt nicht.".into()));
                    return Ok(());
                }
                let fields = Fields {
                    prev: &e.prev_hash,
                    seq: e.seq,
                    at: &e.at,
                    user: &e.user,
                    mandant: &e.mandant,
                    action: &e.action,
                    entity: &e.entity,
                    key: &e.key,
                    before: e.before.as_deref(),
                    after: e.after.as_deref(),
                };
                let expected = if e.seq < keyed_from {
                    fields.legacy_hash()
                } else {
                    let k = match key {
                        Some(k) => k,
                        None => match anchor.key(false) {
                            Ok(k) => {
                                key = Some(k);
                                k
                            }
                            Err(err) => {
                                key_error = Some(err);
                                return Ok(());
                            }
                        },
                    };
                    fields.mac(k)
                };
                if expected != e.hash {
                    failure = Some((
                        e.seq,
                        if e.seq < keyed_from {
                            "Inhalt wurde verändert (Prüfsumme stimmt nicht).".into()
                        } else {
                            "Inhalt wurde verändert (Prüfsumme mit dem Audit-Schlüssel stimmt \
                             nicht)."
                                .into()
                        },
                    ));
                    return Ok(());
                }
                if let Some(cps) = checkpoints.get(&e.seq)
                    && let Some(cp) = cps.iter().find(|c| c.mac != e.hash)
                {
                    failure = Some((
                        e.seq,
                        format!(
                            "Eintrag weicht vom Prüfpunkt vom {} ab – das Protokoll wurde neu \
                             geschrieben.",
                            cp.at.replace('T', " ")
                        ),
                    ));
                    return Ok(());
                }
                prev = e.hash;
                expected_seq += 1;
                Ok(())
            },
        )?;
        if let Some(err) = key_error {
            return Err(err);
        }
        let legacy = (keyed_from - 1).clamp(0, expected_seq - 1);
        if let Some((seq, reason)) = failure {
            return Ok(report(broken(seq, reason), legacy, warnings.clone()));
        }
        let last = expected_seq - 1;
        if head_seq != last || head_hash != prev {
            return Ok(report(
                broken(
                    last + 1,
                    format!(
                        "Einträge ab Nummer {} fehlen (Kopf zeigt {head_seq}, vorhanden bis {last}).",
                        last + 1
                    ),
                ),
                legacy,
                warnings.clone(),
            ));
        }
        if let Some(cp) = checkpoints.values().flatten().rev().find(|c| c.seq > last) {
            let what = if last == 0 {
                "das Protokoll wurde geleert".to_string()
            } else {
                format!("die Einträge ab Nummer {} wurden entfernt", last + 1)
            };
            return Ok(report(
                broken(
                    last + 1,
                    format!(
                        "Der Prüfpunkt vom {} bezeugt Eintrag {}, vorhanden sind nur {last} \
                         Einträge: {what} (Kopf nachträglich angepasst).",
                        cp.at.replace('T', " "),
                        cp.seq
                    ),
                ),
                legacy,
                warnings.clone(),
            ));
        }
        let mut warnings = warnings.clone();
        if last >= keyed_from && checkpoints.is_empty() {
            warnings.push(match anchor.checkpoint_file() {
                Some(f) => format!(
                    "Keine Prüfpunkte in {} – ein Abschneiden oder Leeren des Protokolls wäre \
                     nicht erkennbar („kis audit checkpoint“).",
                    f.display()
                ),
                None => "Keine Prüfpunktdatei eingerichtet – ein Abschneiden oder Leeren des \
                         Protokolls wäre nicht erkennbar."
                    .into(),
            });
        }
        Ok(report(Verdict::Intact { entries: last }, legacy, warnings))
    })
}

/// Write a checkpoint of the current head (`kis audit checkpoint`), after
/// checking the whole chain: a broken chain is not anchored.
pub fn checkpoint(db: &Db) -> Result<Checkpoint> {
    let report = verify_report(db)?;
    if let Verdict::Broken { seq, reason } = report.verdict {
        return Err(KisError::Conflict(format!(
            "Protokoll DEFEKT ab Eintrag {seq}: {reason} Es wird kein Prüfpunkt geschrieben."
        )));
    }
    let anchor = db.audit_anchor();
    let (seq, mac, keyed_from) = db.read(|sql| {
        let head = repo::head(sql)?.ok_or_else(head_missing)?;
        Ok((head.seq, head.hash, head.keyed_from))
    })?;
    if seq < keyed_from {
        return Err(KisError::validation(
            "Das Protokoll hat noch keinen signierten Eintrag – kein Prüfpunkt nötig.",
        ));
    }
    let at = anchor.write_checkpoint(seq, &mac)?;
    Ok(Checkpoint { seq, mac, at })
}

/// Convenience for services: serialise a value for the before/after columns.
pub fn json<T: serde::Serialize>(v: &T) -> Result<Json> {
    serde_json::to_value(v).map_err(|e| KisError::System(e.to_string()))
}
