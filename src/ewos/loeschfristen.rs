//! Retention (§14 BMG): data of persons who moved away or died stay fully
//! available until the end of the fifth year after the year of Wegzug/Tod;
//! then they are separated (archived: only the data needed for
//! identification are kept, access only for the archive role) for 50 more
//! years, then deleted.

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::model::format_om;
use super::repo;
use crate::core::audit;
use crate::core::error::Result;
use crate::core::roles::Role;
use crate::core::session::Session;
use crate::params;
use crate::store::Sql;

pub const JAHRE_VOLL: i32 = 5;
pub const JAHRE_ARCHIV: i32 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Massnahme {
    Archivieren,
    Loeschen,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fall {
    pub person_id: i64,
    pub name: String,
    pub status: String,
    pub datum: NaiveDate,
    pub massnahme: Massnahme,
}

/// The cases due on `heute`: archive when the year of Wegzug/Tod + 5 has
/// ended, delete when a further 50 years have ended.
pub fn faellige(sql: &mut dyn Sql, mandant: &str, heute: NaiveDate) -> Result<Vec<Fall>> {
    let archiv_vor = NaiveDate::from_ymd_opt(heute.year() - JAHRE_VOLL, 1, 1)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let loesch_vor = NaiveDate::from_ymd_opt(heute.year() - JAHRE_VOLL - JAHRE_ARCHIV, 1, 1)
        .map(|d| d.to_string())
        .unwrap_or_default();
    sql.query(
        "SELECT id, familienname, vornamen, status, status_datum, archiviert FROM ewo_person \
         WHERE mandant = ? AND status IN ('weggezogen', 'verstorben', 'unbekannt') AND status_datum IS NOT NULL \
         AND ((archiviert = 0 AND status_datum < ?) OR (archiviert = 1 AND status_datum < ?)) ORDER BY status_datum, id",
        &params![mandant, archiv_vor, loesch_vor],
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

/// Run the batch (or only list with `dry_run`); returns the cases.
pub fn ausfuehren(session: &Session, dry_run: bool) -> Result<Vec<Fall>> {
    session.require(&[Role::EwosAendern])?;
    let mandant = session.mandant.id.as_str();
    let heute = session.today();
    if dry_run {
        return session.db.read(|sql| faellige(sql, mandant, heute));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        let faelle = faellige(sql, mandant, heute)?;
        for f in &faelle {
            match f.massnahme {
                Massnahme::Archivieren => archivieren(sql, mandant, f.person_id, heute)?,
                Massnahme::Loeschen => loeschen(sql, mandant, f.person_id)?,
            }
            let action = if f.massnahme == Massnahme::Archivieren {
                "ARCHIVIERT"
            } else {
                "GELOESCHT"
            };
            audit::append(
                sql,
                &actor,
                action,
                super::meldung::ENTITY,
                &format_om(f.person_id),
                None,
                Some(&json!({"grund": "§ 14 BMG", "datum": f.datum.to_string()})),
            )?;
        }
        audit::append(
            sql,
            &actor,
            "LOESCHFRISTEN",
            "ewo_batch",
            &heute.to_string(),
            None,
            Some(&json!({"faelle": faelle.len()})),
        )?;
        Ok(faelle)
    })
}

/// Separate a person: keep what identifies them (names, birth, sex, last
/// address, Wegzug/Tod); drop religion, IdNr, Familienstand details, links,
/// Sperren, documents and the field history.
fn archivieren(sql: &mut dyn Sql, mandant: &str, id: i64, heute: NaiveDate) -> Result<()> {
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
    let last = repo::wohnung::wohnungen(sql, mandant, id)?
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

fn loeschen(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<()> {
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
