//! Bank statements (`fin_kontoauszug`), their entries (`fin_umsatz`), the
//! application of entries to due dates (`fin_umsatz_zuordnung`) and the
//! Klärungsliste (`fin_klaerung`); migration `0230_finas_kontoauszug.sql`.

use chrono::{NaiveDate, NaiveDateTime};

use crate::core::error::Result;
use crate::params;
use crate::store::{Sql, Value};

/// A statement's header row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuszugRow {
    pub id: i64,
    pub iban: String,
    pub auszug_id: String,
    pub elektr_seq: Option<i64>,
    pub datum: NaiveDate,
    pub anfangssaldo: i64,
    pub schlusssaldo: i64,
    pub nachricht: String,
}

/// Closing balance in cents of the latest statement of `iban` dated on or
/// before `datum` (ties: the highest electronic sequence, then the latest id).
pub fn schlusssaldo(
    sql: &mut dyn Sql,
    mandant: &str,
    iban: &str,
    datum: NaiveDate,
) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT schlusssaldo FROM fin_kontoauszug WHERE mandant = ? AND iban = ? AND datum <= ? \
         ORDER BY datum DESC, COALESCE(elektr_seq, 0) DESC, id DESC LIMIT 1",
        &params![mandant, iban, datum],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

/// The id of an already imported statement with this identity.
pub fn auszug_vorhanden(
    sql: &mut dyn Sql,
    mandant: &str,
    iban: &str,
    auszug_id: &str,
) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT id FROM fin_kontoauszug WHERE mandant = ? AND iban = ? AND auszug_id = ?",
        &params![mandant, iban, auszug_id],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

pub fn auszug_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    a: &AuszugRow,
    von: &str,
    am: NaiveDateTime,
) -> Result<i64> {
    let id = sql
        .query_opt(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM fin_kontoauszug WHERE mandant = ?",
            &params![mandant],
        )?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(1);
    let seq: Value = match a.elektr_seq {
        Some(s) => s.into(),
        None => Value::Null,
    };
    sql.execute(
        "INSERT INTO fin_kontoauszug (mandant, id, iban, auszug_id, elektr_seq, datum, anfangssaldo, schlusssaldo, \
         nachricht, importiert_von, importiert_am) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            mandant.into(),
            id.into(),
            a.iban.as_str().into(),
            a.auszug_id.as_str().into(),
            seq,
            a.datum.into(),
            a.anfangssaldo.into(),
            a.schlusssaldo.into(),
            a.nachricht.as_str().into(),
            von.into(),
            am.into(),
        ],
    )?;
    Ok(id)
}

/// The Mandant's statements, newest first.
pub fn auszuege(sql: &mut dyn Sql, mandant: &str, limit: usize) -> Result<Vec<AuszugRow>> {
    sql.query(
        "SELECT id, iban, auszug_id, elektr_seq, datum, anfangssaldo, schlusssaldo, nachricht \
         FROM fin_kontoauszug WHERE mandant = ? ORDER BY datum DESC, id DESC LIMIT ?",
        &params![mandant, limit as i64],
    )?
    .iter()
    .map(|r| {
        Ok(AuszugRow {
            id: r.i64(0)?,
            iban: r.str(1)?,
            auszug_id: r.str(2)?,
            elektr_seq: r.opt_i64(3)?,
            datum: r.date(4)?,
            anfangssaldo: r.i64(5)?,
            schlusssaldo: r.i64(6)?,
            nachricht: r.str(7)?,
        })
    })
    .collect()
}
