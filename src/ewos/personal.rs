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
//! - The Hauptwohnung flows ([`hauptwohnungen_fuer_personal`]) only while
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
use crate::core::audit;
use crate::core::collation::search_key;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::core::session::Session;
use crate::params;
use crate::store::{Sql, Value};

/// What the payroll office knows of the employee, to match the resident.
#[derive(Clone, Debug)]
pub struct Abgleich<'a> {
    pub person_id: i64,
    pub familienname: &'a str,
    pub geburtsdatum: NaiveDate,
    pub steuer_idnr: &'a str,
}

/// The conditions under which the register may serve the payroll office
/// for the person `p` (one `?`: today): registered here, no Sperre that has
/// not ended, no link by the Meldebehörde, no protected co-resident.
fn freigabe_sql() -> String {
    format!(
        "p.status = 'aktiv' AND p.archiviert = 0 \
         AND NOT EXISTS (SELECT 1 FROM ewo_sperre sp WHERE sp.mandant = p.mandant AND sp.person_id = p.id \
             AND (sp.bis IS NULL OR sp.bis >= ?)) \
         AND NOT EXISTS (SELECT 1 FROM ewo_personal_link l WHERE l.mandant = p.mandant AND l.person_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM ewo_wohnung mw JOIN ewo_sperre ms ON ms.mandant = mw.mandant AND ms.person_id = mw.person_id \
             WHERE mw.mandant = w.mandant AND mw.strasse = w.strasse AND mw.hausnummer = w.hausnummer AND mw.zusatz = w.zusatz \
             AND (mw.auszug IS NULL OR mw.auszug > ?) AND ms.art IN ({}) AND ms.ab <= ? AND (ms.bis IS NULL OR ms.bis >= ?))",
        repo::sperren::auskunftssperren_sql()
    )
}

/// The current Hauptwohnung here (alias `w`) with its street (alias `s`).
const HAUPTWOHNUNG_JOIN: &str = " JOIN ewo_wohnung w ON w.mandant = p.mandant AND w.person_id = p.id AND w.art = 'H' \
     AND w.auszug IS NULL AND w.strasse IS NOT NULL \
     JOIN street s ON s.mandant = w.mandant AND s.schluessel = w.strasse ";

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
    let tag = heute.to_string();
    let r = sql.query_opt(
        &format!(
            "SELECT p.familienname, p.geburtsdatum, p.idnr FROM ewo_person p{HAUPTWOHNUNG_JOIN}\
             WHERE p.mandant = ? AND p.id = ? AND {}",
            freigabe_sql()
        ),
        &params![
            mandant,
            a.person_id,
            tag.as_str(),
            tag.as_str(),
            tag.as_str(),
            tag.as_str()
        ],
    )?;
    let Some(r) = r else {
        return Ok(false);
    };
    Ok(match r.opt_str(2)?.filter(|i| !i.trim().is_empty()) {
        Some(idnr) => idnr.trim() == a.steuer_idnr.trim(),
        None => {
            search_key(&r.str(0)?) == search_key(a.familienname.trim())
                && r.date(1)? == a.geburtsdatum
        }
    })
}

/// An address as the payroll office writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anschrift {
    /// Street and house number ("Kirchstraße 12a").
    pub strasse: String,
    pub plz: String,
    pub ort: String,
}

/// The current Hauptwohnung of each of these residents that the register
/// may give the payroll office today (see the module text); residents
/// without are missing from the map.
pub fn hauptwohnungen_fuer_personal(
    sql: &mut dyn Sql,
    mandant: &str,
    ids: &[i64],
    heute: NaiveDate,
) -> Result<HashMap<i64, Anschrift>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let tag = heute.to_string();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let mut p: Vec<Value> = vec![mandant.into()];
        p.extend(chunk.iter().map(|id| Value::from(*id)));
        p.extend(std::iter::repeat_n(Value::from(tag.as_str()), 4));
        let rows = sql.query(
            &format!(
                "SELECT p.id, s.name || ' ' || CAST(w.hausnummer AS TEXT) || w.zusatz, s.plz, s.ort FROM ewo_person p{HAUPTWOHNUNG_JOIN}\
                 WHERE p.mandant = ? AND p.id IN ({marks}) AND {} ORDER BY p.id, w.id",
                freigabe_sql()
            ),
            &p,
        )?;
        for r in &rows {
            out.entry(r.i64(0)?).or_insert(Anschrift {
                strasse: r.str(1)?,
                plz: r.str(2)?,
                ort: r.str(3)?,
            });
        }
    }
    Ok(out)
}

/// One resident's Hauptwohnung for the payroll office, if it may have it.
pub fn hauptwohnung_fuer_personal(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
    heute: NaiveDate,
) -> Result<Option<Anschrift>> {
    Ok(hauptwohnungen_fuer_personal(sql, mandant, &[person_id], heute)?.remove(&person_id))
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
        sql.execute(
            "INSERT INTO ewo_personal_link (mandant, person_id, personalnummer, erfasst_am, benutzer) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (mandant, person_id, personalnummer) DO NOTHING",
            &params![mandant, person_id, pnr, stamp(actor.at), actor.user.as_str()],
        )?;
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
