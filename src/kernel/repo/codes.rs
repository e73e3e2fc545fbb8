//! Rows of `code_entry` (Schlüsseltabellen).

use chrono::NaiveDate;

use crate::core::error::Result;
use crate::kernel::codes::CodeEntry;
use crate::params;
use crate::store::{Row, Sql};

fn from_row(r: &Row) -> Result<CodeEntry> {
    Ok(CodeEntry {
        list: r.str(0)?,
        code: r.str(1)?,
        short_text: r.str(2)?,
        long_text: r.str(3)?,
        valid_from: r.date(4)?,
        valid_to: r.date(5)?,
    })
}

const COLS: &str = "list, code, short_text, long_text, valid_from, valid_to";

/// The entries of a list valid on a day, ordered by key.
pub fn valid_entries(
    sql: &mut dyn Sql,
    mandant: &str,
    list: &str,
    on: NaiveDate,
) -> Result<Vec<CodeEntry>> {
    sql.query(
        &format!("SELECT {COLS} FROM code_entry WHERE mandant = ? AND list = ? AND valid_from <= ? AND valid_to >= ? ORDER BY code"),
        &params![mandant, list, on, on],
    )?
    .iter()
    .map(from_row)
    .collect()
}

/// One entry valid on a day.
pub fn lookup(
    sql: &mut dyn Sql,
    mandant: &str,
    list: &str,
    code: &str,
    on: NaiveDate,
) -> Result<Option<CodeEntry>> {
    sql.query_opt(
        &format!("SELECT {COLS} FROM code_entry WHERE mandant = ? AND list = ? AND code = ? AND valid_from <= ? AND valid_to >= ?"),
        &params![mandant, list, code, on, on],
    )?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Insert an entry or replace the one with the same list, key and start.
pub fn upsert(sql: &mut dyn Sql, mandant: &str, e: &CodeEntry) -> Result<()> {
    sql.execute(
        "INSERT INTO code_entry (mandant, list, code, short_text, long_text, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (mandant, list, code, valid_from) DO UPDATE SET short_text = excluded.short_text, long_text = excluded.long_text, valid_to = excluded.valid_to",
        &params![mandant, e.list.as_str(), e.code.as_str(), e.short_text.as_str(), e.long_text.as_str(), e.valid_from, e.valid_to],
    )?;
    Ok(())
}

/// Every entry whose list name is LIKE `like`, in any validity, ordered by
/// list, key and start.
pub fn all_like(sql: &mut dyn Sql, mandant: &str, like: &str) -> Result<Vec<CodeEntry>> {
    sql.query(
        &format!("SELECT {COLS} FROM code_entry WHERE mandant = ? AND list LIKE ? ORDER BY list, code, valid_from"),
        &params![mandant, like],
    )?
    .iter()
    .map(from_row)
    .collect()
}

/// One entry by list, key and start of validity.
pub fn get(
    sql: &mut dyn Sql,
    mandant: &str,
    list: &str,
    code: &str,
    valid_from: NaiveDate,
) -> Result<Option<CodeEntry>> {
    sql.query_opt(
        &format!("SELECT {COLS} FROM code_entry WHERE mandant = ? AND list = ? AND code = ? AND valid_from = ?"),
        &params![mandant, list, code, valid_from],
    )?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// (list, key, short text) of every entry valid on a day, ordered by list and key.
pub fn valid_on(
    sql: &mut dyn Sql,
    mandant: &str,
    on: NaiveDate,
) -> Result<Vec<(String, String, String)>> {
    sql.query(
        "SELECT list, code, short_text FROM code_entry WHERE mandant = ? AND valid_from <= ? AND valid_to >= ? ORDER BY list, code",
        &params![mandant, on, on],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.str(1)?, r.str(2)?)))
    .collect()
}
