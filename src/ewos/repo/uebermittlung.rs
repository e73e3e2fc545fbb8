//! Data transmissions to and from other authorities.

use super::zaehler::next_id;
use crate::core::error::Result;
use crate::ewos::model::{Uebermittlung, stamp};
use crate::kernel::audit::Actor;
use crate::params;
use crate::store::Sql;

/// Record an outgoing or incoming transmission (status `erstellt`).
pub fn insert_uebermittlung(
    sql: &mut dyn Sql,
    actor: &Actor,
    richtung: &str,
    art: &str,
    person_id: Option<i64>,
    partner: &str,
    inhalt: &str,
) -> Result<i64> {
    let id = next_id(sql, &actor.mandant, "uebermittlung")?;
    sql.execute(
        "INSERT INTO ewo_uebermittlung (mandant, id, richtung, art, person_id, partner, inhalt, status, erstellt) VALUES (?, ?, ?, ?, ?, ?, ?, 'erstellt', ?)",
        &params![actor.mandant.as_str(), id, richtung, art, person_id, partner, inhalt, stamp(actor.at)],
    )?;
    Ok(id)
}

/// The transmissions about a person, oldest first.
pub fn uebermittlungen(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
) -> Result<Vec<Uebermittlung>> {
    sql.query(
        "SELECT id, richtung, art, person_id, partner, inhalt, status FROM ewo_uebermittlung WHERE mandant = ? AND person_id = ? ORDER BY id",
        &params![mandant, person_id],
    )?
    .iter()
    .map(|r| {
        Ok(Uebermittlung {
            id: r.i64(0)?,
            richtung: r.str(1)?,
            art: r.str(2)?,
            person_id: r.opt_i64(3)?,
            partner: r.str(4)?,
            inhalt: r.str(5)?,
            status: r.str(6)?,
        })
    })
    .collect()
}
