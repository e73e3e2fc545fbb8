//! The register rows the payroll office may be served from: released
//! persons with their Hauptwohnung, and the links the Meldebehörde made.

use chrono::NaiveDate;

use crate::core::error::Result;
use crate::ewos::model::{Anschrift, stamp};
use crate::kernel::audit::Actor;
use crate::params;
use crate::store::{Sql, Value};

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
        super::sperren::auskunftssperren_sql()
    )
}

/// The Hauptwohnung here (alias `w`) with its street (alias `s`); which
/// one is lived in on a day says [`HAUPTWOHNUNG_AM`].
const HAUPTWOHNUNG_JOIN: &str = " JOIN ewo_wohnung w ON w.mandant = p.mandant AND w.person_id = p.id AND w.art = 'H' \
     AND w.strasse IS NOT NULL \
     JOIN street s ON s.mandant = w.mandant AND s.schluessel = w.strasse ";

/// The joined Hauptwohnung is lived in on the day (two `?`): an announced
/// one counts from its Einzug, the one it replaces until then.
const HAUPTWOHNUNG_AM: &str = " AND w.einzug <= ? AND (w.auszug IS NULL OR w.auszug > ?)";

/// Familienname, birth date and IdNr of the person if the register may
/// serve the payroll office for her on `heute` (one query for every reason
/// it may not).
pub fn freigegebene_person(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
    heute: NaiveDate,
) -> Result<Option<(String, NaiveDate, Option<String>)>> {
    let tag = heute.to_string();
    sql.query_opt(
        &format!(
            "SELECT p.familienname, p.geburtsdatum, p.idnr FROM ewo_person p{HAUPTWOHNUNG_JOIN}\
             WHERE p.mandant = ? AND p.id = ? AND {}{HAUPTWOHNUNG_AM}",
            freigabe_sql()
        ),
        &params![
            mandant,
            person_id,
            tag.as_str(),
            tag.as_str(),
            tag.as_str(),
            tag.as_str(),
            tag.as_str(),
            tag.as_str()
        ],
    )?
    .map(|r| Ok((r.str(0)?, r.date(1)?, r.opt_str(2)?)))
    .transpose()
}

/// The Hauptwohnungen of those of `ids` the register may serve the payroll
/// office for on `heute`, by person id (one statement for all of them).
pub fn freigegebene_hauptwohnungen(
    sql: &mut dyn Sql,
    mandant: &str,
    ids: &[i64],
    heute: NaiveDate,
) -> Result<Vec<(i64, Anschrift)>> {
    let tag = heute.to_string();
    let marks = vec!["?"; ids.len()].join(", ");
    let mut p: Vec<Value> = vec![mandant.into()];
    p.extend(ids.iter().map(|id| Value::from(*id)));
    p.extend(std::iter::repeat_n(Value::from(tag.as_str()), 6));
    sql.query(
        &format!(
            "SELECT p.id, s.name || ' ' || CAST(w.hausnummer AS TEXT) || w.zusatz, s.plz, s.ort FROM ewo_person p{HAUPTWOHNUNG_JOIN}\
             WHERE p.mandant = ? AND p.id IN ({marks}) AND {}{HAUPTWOHNUNG_AM} ORDER BY p.id, w.id",
            freigabe_sql()
        ),
        &p,
    )?
    .iter()
    .map(|r| {
        Ok((
            r.i64(0)?,
            Anschrift {
                strasse: r.str(1)?,
                plz: r.str(2)?,
                ort: r.str(3)?,
            },
        ))
    })
    .collect()
}

/// Record the Meldebehörde's link of a resident to a Personalnummer (once).
pub fn insert_link(
    sql: &mut dyn Sql,
    actor: &Actor,
    person_id: i64,
    personalnummer: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO ewo_personal_link (mandant, person_id, personalnummer, erfasst_am, benutzer) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (mandant, person_id, personalnummer) DO NOTHING",
        &params![actor.mandant.as_str(), person_id, personalnummer, stamp(actor.at), actor.user.as_str()],
    )?;
    Ok(())
}
