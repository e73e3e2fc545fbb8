//! Separating (archiving) and deleting persons when their retention ends.

use chrono::NaiveDate;

use crate::core::error::Result;
use crate::ewos::model::{Fall, Massnahme};
use crate::params;
use crate::store::Sql;

/// The persons who moved away, died or are unknown and whose Wegzug/Tod
/// lies before `archiv_vor` (not yet archived: to archive) or before
/// `loesch_vor` (archived: to delete).
pub fn faellige(
    sql: &mut dyn Sql,
    mandant: &str,
    archiv_vor: NaiveDate,
    loesch_vor: NaiveDate,
) -> Result<Vec<Fall>> {
    sql.query(
        "SELECT id, familienname, vornamen, status, status_datum, archiviert FROM ewo_person \
         WHERE mandant = ? AND status IN ('weggezogen', 'verstorben', 'unbekannt') AND status_datum IS NOT NULL \
         AND ((archiviert = 0 AND status_datum < ?) OR (archiviert = 1 AND status_datum < ?)) ORDER BY status_datum, id",
        &params![mandant, archiv_vor.to_string(), loesch_vor.to_string()],
    )?
    .iter()
    .map(|r| {
        Ok(Fall {
            person_id: r.i64(0)?,
            name: format!("{}, {}", r.str(1)?, r.str(2)?),
            status: r.str(3)?,
            datum: r.date(4)?,
            massnahme: if r.bool(5)? { Massnahme::Loeschen } else { Massnahme::Archivieren },
        })
    })
    .collect()
}

/// Separate a person: keep what identifies them (names, birth, sex, last
/// address, Wegzug/Tod); drop religion, IdNr, Familienstand details, links,
/// Sperren, documents and the field history.
pub fn archivieren(sql: &mut dyn Sql, mandant: &str, id: i64, heute: NaiveDate) -> Result<()> {
    sql.execute(
        "UPDATE ewo_person SET archiviert = 1, archiv_datum = ?, religion = '--', idnr = NULL, familienstand_datum = NULL, \
         familienstand_ort = '', familienstand_staat = '', version = version + 1 WHERE mandant = ? AND id = ?",
        &params![heute.to_string(), mandant, id],
    )?;
    // Out of the normal search: the archive role finds the person by the A/B keys.
    sql.execute(
        "UPDATE ewo_name_key SET art = CASE art WHEN 'S' THEN 'A' ELSE 'B' END WHERE mandant = ? AND person_id = ? AND art IN ('S', 'P')",
        &params![mandant, id],
    )?;
    for table in ["ewo_sperre", "ewo_dokument", "ewo_historie"] {
        sql.execute(
            &format!("DELETE FROM {table} WHERE mandant = ? AND person_id = ?"),
            &params![mandant, id],
        )?;
    }
    sql.execute(
        "DELETE FROM ewo_bindung WHERE mandant = ? AND (person_a = ? OR person_b = ?)",
        &params![mandant, id, id],
    )?;
    // Only the last dwelling is kept.
    let last = super::wohnung::wohnungen(sql, mandant, id)?
        .first()
        .map(|w| w.id);
    if let Some(last) = last {
        sql.execute(
            "DELETE FROM ewo_wohnung WHERE mandant = ? AND person_id = ? AND id <> ?",
            &params![mandant, id, last],
        )?;
    }
    Ok(())
}

/// Delete a person with everything kept about her; protocol rows keep
/// their text but lose the link.
pub fn loeschen(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<()> {
    for table in [
        "ewo_sperre",
        "ewo_dokument",
        "ewo_historie",
        "ewo_wohnung",
        "ewo_name",
        "ewo_name_key",
        "ewo_staat",
    ] {
        sql.execute(
            &format!("DELETE FROM {table} WHERE mandant = ? AND person_id = ?"),
            &params![mandant, id],
        )?;
    }
    sql.execute(
        "DELETE FROM ewo_bindung WHERE mandant = ? AND (person_a = ? OR person_b = ?)",
        &params![mandant, id, id],
    )?;
    sql.execute(
        "UPDATE ewo_auskunft SET person_id = NULL WHERE mandant = ? AND person_id = ?",
        &params![mandant, id],
    )?;
    sql.execute(
        "UPDATE ewo_uebermittlung SET person_id = NULL WHERE mandant = ? AND person_id = ?",
        &params![mandant, id],
    )?;
    sql.execute(
        "DELETE FROM ewo_person WHERE mandant = ? AND id = ?",
        &params![mandant, id],
    )?;
    Ok(())
}
