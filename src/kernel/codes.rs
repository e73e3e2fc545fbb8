//! Code lists (Schlüsseltabellen): key, short text, long text and validity,
//! per Mandant. Code fields in masks are checked against them and F4 lists them.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;

use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit::{self, Actor};
use crate::kernel::repo::codes as repo;
use crate::kernel::session::Session;
use crate::store::Sql;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeEntry {
    pub list: String,
    pub code: String,
    pub short_text: String,
    pub long_text: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

/// The entries of a list valid on a day, ordered by key.
pub fn valid_entries(
    sql: &mut dyn Sql,
    mandant: &str,
    list: &str,
    on: NaiveDate,
) -> Result<Vec<CodeEntry>> {
    repo::valid_entries(sql, mandant, list, on)
}

/// One entry valid on a day.
pub fn lookup(
    sql: &mut dyn Sql,
    mandant: &str,
    list: &str,
    code: &str,
    on: NaiveDate,
) -> Result<Option<CodeEntry>> {
    repo::lookup(sql, mandant, list, code, on)
}

/// A key that must exist in a list, or a field error naming the list.
pub fn require(
    sql: &mut dyn Sql,
    mandant: &str,
    list: &str,
    code: &str,
    on: NaiveDate,
    field: &str,
) -> Result<CodeEntry> {
    lookup(sql, mandant, list, code, on)?.ok_or_else(|| {
        KisError::field(
            field,
            format!("Schlüssel „{code}“ ist in der Schlüsseltabelle {list} nicht (mehr) gültig."),
        )
    })
}

/// Insert or replace an entry (administration).
pub fn upsert(session: &Session, e: &CodeEntry) -> Result<()> {
    session.require(&[Role::Admin])?;
    let actor = session.actor();
    session.db.write(|sql| upsert_in(sql, &actor, e))
}

/// Insert or replace an entry inside an open transaction (also used by the demo loader).
pub fn upsert_in(sql: &mut dyn Sql, actor: &Actor, e: &CodeEntry) -> Result<()> {
    if e.code.trim().is_empty() || e.short_text.trim().is_empty() {
        return Err(KisError::validation("Schlüssel und Kurztext sind Pflicht."));
    }
    if e.valid_from > e.valid_to {
        return Err(KisError::field(
            "valid_to",
            "„Gültig bis“ liegt vor „gültig ab“.",
        ));
    }
    repo::upsert(sql, actor.mandant.as_str(), e)?;
    audit::append(
        sql,
        actor,
        "SCHLUESSEL_GESETZT",
        ENTITY,
        &format!("{}/{}", e.list, e.code),
        None,
        Some(
            &json!({ "kurz": e.short_text, "lang": e.long_text, "ab": e.valid_from.to_string(), "bis": e.valid_to.to_string() }),
        ),
    )?;
    Ok(())
}

/// Every entry of a Mandant whose list name starts with `prefix`, in any
/// validity (the administration view), ordered by list, key and start.
pub fn all_entries(session: &Session, prefix: &str) -> Result<Vec<CodeEntry>> {
    let like = format!("{}%", prefix.trim().to_uppercase().replace(['%', '_'], ""));
    session
        .db
        .read(|sql| repo::all_like(sql, session.mandant.id.as_str(), &like))
}

/// One entry by list, key and start of validity.
pub fn get(session: &Session, list: &str, code: &str, valid_from: NaiveDate) -> Result<CodeEntry> {
    session
        .db
        .read(|sql| repo::get(sql, session.mandant.id.as_str(), list, code, valid_from))?
        .ok_or_else(|| {
            KisError::NotFound(format!(
                "Schlüssel {list}/{code} ab {valid_from} ist nicht vorhanden."
            ))
        })
}

/// The code lists of a session's Mandant, valid on its working date, held in
/// memory so that checking a code field costs no database round trip.
#[derive(Clone, Debug, Default)]
pub struct CodeCache {
    lists: HashMap<String, Vec<(String, String)>>,
}

impl CodeCache {
    pub fn load(session: &Session) -> Result<CodeCache> {
        let today = session.today();
        let rows = session
            .db
            .read(|sql| repo::valid_on(sql, session.mandant.id.as_str(), today))?;
        let mut lists: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for (list, code, short_text) in rows {
            lists.entry(list).or_default().push((code, short_text));
        }
        Ok(CodeCache { lists })
    }

    pub fn list(&self, name: &str) -> Vec<(String, String)> {
        self.lists.get(name).cloned().unwrap_or_default()
    }
}

/// The audit entity of code list entries.
pub const ENTITY: &str = "code_entry";

/// The audit log entries of a code (KIS110 F9; they are kept per list and
/// code, `LIST/CODE`): for the administration and support.
pub fn protokoll(session: &Session, list: &str, code: &str) -> Result<Vec<audit::AuditEntry>> {
    session.require(&[Role::Admin, Role::Support])?;
    let key = format!("{list}/{code}");
    session
        .db
        .read(|sql| audit::for_record(sql, &session.mandant.id, ENTITY, &key))
}
