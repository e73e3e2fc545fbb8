//! Retention (§14 BMG): data of persons who moved away or died stay fully
//! available until the end of the fifth year after the year of Wegzug/Tod;
//! then they are separated (archived: only the data needed for
//! identification are kept, access only for the archive role) for 50 more
//! years, then deleted.

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::model::{Fall, Massnahme, format_om};
use super::repo;
use crate::core::error::Result;
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::session::Session;
use crate::store::Sql;

pub const JAHRE_VOLL: i32 = 5;
pub const JAHRE_ARCHIV: i32 = 50;

/// The cases due on `heute`: archive when the year of Wegzug/Tod + 5 has
/// ended, delete when a further 50 years have ended.
pub fn faellige_in(sql: &mut dyn Sql, mandant: &str, heute: NaiveDate) -> Result<Vec<Fall>> {
    let archiv_vor =
        NaiveDate::from_ymd_opt(heute.year() - JAHRE_VOLL, 1, 1).unwrap_or(NaiveDate::MIN);
    let loesch_vor = NaiveDate::from_ymd_opt(heute.year() - JAHRE_VOLL - JAHRE_ARCHIV, 1, 1)
        .unwrap_or(NaiveDate::MIN);
    repo::loeschfristen::faellige(sql, mandant, archiv_vor, loesch_vor)
}

/// Run the batch (or only list with `dry_run`); returns the cases.
pub fn ausfuehren(session: &Session, dry_run: bool) -> Result<Vec<Fall>> {
    session.require(&[Role::EwosAendern])?;
    let mandant = session.mandant.id.as_str();
    let heute = session.today();
    if dry_run {
        return session.db.read(|sql| faellige_in(sql, mandant, heute));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        let faelle = faellige_in(sql, mandant, heute)?;
        for f in &faelle {
            match f.massnahme {
                Massnahme::Archivieren => {
                    repo::loeschfristen::archivieren(sql, mandant, f.person_id, heute)?
                }
                Massnahme::Loeschen => repo::loeschfristen::loeschen(sql, mandant, f.person_id)?,
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
