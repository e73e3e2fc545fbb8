//! What the payroll office (PERSOS) may learn from the register about an
//! employee who lives here. PERSOS never reads the register tables itself;
//! it asks these services, which apply the Sperren:
//!
//! - A PERSONAL clerk's link (PER100, OM + name + birth date or Steuer-IdNr)
//!   is accepted only for a registered resident without any Sperre that has
//!   not ended; for everyone else the answer is the same as for an unknown
//!   Ordnungsmerkmal, from the same single query, and nothing is stored — the
//!   link check is no search oracle (§51(2) BMG).
//! - A person with a Sperre is linked by the Meldebehörde
//!   ([`verknuepfen`], role EWOS_AENDERN, audited). For such a link the
//!   register address never flows into PERSOS.
//! - The Hauptwohnung flows ([`hauptwohnungen_fuer_personal_in`]) only while
//!   the person is registered here, has no Sperre that has not ended, lives
//!   at no address protected by someone else's Auskunftssperre and was not
//!   linked by the Meldebehörde: a Sperre entered after the link stops the
//!   flow at once.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;

use super::meldung::ENTITY;
use super::model::*;
use super::{fortschreibung, repo};
use crate::core::collation::search_key;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::session::Session;
use crate::store::Sql;

/// What the payroll office knows of the employee, to match the resident.
#[derive(Clone, Debug)]
pub struct Abgleich<'a> {
    pub person_id: i64,
    pub familienname: &'a str,
    pub geburtsdatum: NaiveDate,
    pub steuer_idnr: &'a str,
}

/// May the payroll office link its employee to this resident? `false` for
/// an unknown Ordnungsmerkmal, a person who does not match, is not (or no
/// longer) registered here with a Hauptwohnung, has a Sperre or is
/// protected by a co-resident's Sperre — one query and one answer for all.
pub fn verknuepfbar_in(
    sql: &mut dyn Sql,
    mandant: &str,
    a: &Abgleich,
    heute: NaiveDate,
) -> Result<bool> {
    let r = repo::personal::freigegebene_person(sql, mandant, a.person_id, heute)?;
    let Some((familienname, geburtsdatum, idnr)) = r else {
        return Ok(false);
    };
    Ok(match idnr.filter(|i| !i.trim().is_empty()) {
        Some(idnr) => idnr.trim() == a.steuer_idnr.trim(),
        None => {
            search_key(&familienname) == search_key(a.familienname.trim())
                && geburtsdatum == a.geburtsdatum
        }
    })
}

/// The current Hauptwohnung of each of these residents that the register
/// may give the payroll office today (see the module text); residents
/// without are missing from the map.
pub fn hauptwohnungen_fuer_personal_in(
    sql: &mut dyn Sql,
    mandant: &str,
    ids: &[i64],
    heute: NaiveDate,
) -> Result<HashMap<i64, Anschrift>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for (id, a) in repo::personal::freigegebene_hauptwohnungen(sql, mandant, chunk, heute)? {
            out.entry(id).or_insert(a);
        }
    }
    Ok(out)
}

/// One resident's Hauptwohnung for the payroll office, if it may have it.
pub fn hauptwohnung_fuer_personal_in(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
    heute: NaiveDate,
) -> Result<Option<Anschrift>> {
    Ok(hauptwohnungen_fuer_personal_in(sql, mandant, &[person_id], heute)?.remove(&person_id))
}

/// The Meldebehörde links an employee to a resident, typically one with a
/// Sperre whom the payroll office cannot link itself. The register address
/// of a person linked this way never flows into PERSOS: the employee keeps
/// the address the Personalamt entered. Audited in both procedures.
pub fn verknuepfen(session: &Session, person_id: i64, personalnummer: &str) -> Result<String> {
    session.require(&[Role::EwosAendern])?;
    let pnr = personalnummer.trim();
    if pnr.is_empty() {
        return Err(KisError::field(
            "personalnummer",
            "Bitte die Personalnummer angeben.",
        ));
    }
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    session.db.write(|sql| {
        let p = fortschreibung::load_for_change_in(sql, mandant, person_id)?;
        if p.status != Status::Aktiv {
            return Err(KisError::Conflict(format!(
                "Person {} ist nicht in der Gemeinde gemeldet ({}) und kann nicht mit dem Personalstamm verknüpft werden.",
                p.ordnungsmerkmal(),
                p.status.label()
            )));
        }
        crate::persos::stamm::ewos_verknuepfung_in(sql, &actor, pnr, person_id)?;
        repo::personal::insert_link(sql, &actor, person_id, pnr)?;
        let v = Vorgang {
            actor: &actor,
            quelle: "Personalverknüpfung",
            gueltig_ab: actor.at.date(),
            bemerkung: "Anschrift wird nicht an das Personalwesen übermittelt".into(),
        };
        repo::historie::insert(sql, &v, person_id, "Personalverknüpfung", None, Some(&format!("Personalnummer {pnr}")))?;
        audit::append(
            sql,
            &actor,
            "PERSONAL_VERKNUEPFUNG",
            ENTITY,
            &format_om(person_id),
            None,
            Some(&json!({"personalnummer": pnr, "anschrift_an_persos": false})),
        )?;
        Ok(format!(
            "Personalnummer {pnr} mit Person {} verknüpft. Die Anschrift aus dem Melderegister wird nicht an das Personalwesen übermittelt.",
            format_om(person_id)
        ))
    })
}
