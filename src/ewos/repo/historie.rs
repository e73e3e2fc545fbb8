//! The field history of a person (§3 BMG data with their valid-from dates).

use crate::core::error::Result;
use crate::ewos::model::{HistEintrag, Vorgang};
use crate::params;
use crate::store::Sql;

use super::zaehler::next_id;

/// Append one history entry.
pub fn insert(
    sql: &mut dyn Sql,
    v: &Vorgang,
    person_id: i64,
    feld: &str,
    alt: Option<&str>,
    neu: Option<&str>,
) -> Result<()> {
    let id = next_id(sql, &v.actor.mandant, "historie")?;
    sql.execute(
        "INSERT INTO ewo_historie (mandant, id, person_id, feld, alt, neu, gueltig_ab, erfasst_am, quelle, benutzer, bemerkung) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![
            v.actor.mandant.as_str(),
            id,
            person_id,
            feld,
            alt.map(str::to_string),
            neu.map(str::to_string),
            v.gueltig_ab.to_string(),
            v.erfasst(),
            v.quelle,
            v.actor.user.as_str(),
            v.bemerkung.as_str()
        ],
    )?;
    Ok(())
}

/// The history of a person, oldest first.
pub fn load(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<HistEintrag>> {
    sql.query(
        "SELECT feld, alt, neu, gueltig_ab, erfasst_am, quelle, benutzer, bemerkung FROM ewo_historie \
         WHERE mandant = ? AND person_id = ? ORDER BY id",
        &params![mandant, person_id],
    )?
    .iter()
    .map(|r| {
        Ok(HistEintrag {
            feld: r.str(0)?,
            alt: r.opt_str(1)?.unwrap_or_default(),
            neu: r.opt_str(2)?.unwrap_or_default(),
            gueltig_ab: r.date(3)?,
            erfasst_am: r.str(4)?,
            quelle: r.str(5)?,
            benutzer: r.str(6)?,
            bemerkung: r.str(7)?,
        })
    })
    .collect()
}
