//! The protocol of Melderegisterauskünfte and refusals (§40 BMG).

use super::zaehler::next_id;
use crate::core::error::Result;
use crate::ewos::model::{Protokoll, ProtokollZeile, stamp};
use crate::kernel::audit::Actor;
use crate::params;
use crate::store::Sql;

/// Write one protocol row; returns its id.
pub fn insert_protokoll(sql: &mut dyn Sql, actor: &Actor, z: &ProtokollZeile) -> Result<i64> {
    let mandant = actor.mandant.as_str();
    let id = next_id(sql, mandant, "auskunft")?;
    sql.execute(
        "INSERT INTO ewo_auskunft (mandant, id, person_id, zeit, benutzer, art, anfragender, zweck, suchdaten, daten, ergebnis, grund, person_informiert) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![
            mandant,
            id,
            z.person_id,
            stamp(actor.at),
            actor.user.as_str(),
            z.art,
            z.anfragender,
            z.zweck,
            z.suchdaten,
            z.daten,
            z.ergebnis,
            z.grund,
            z.informiert
        ],
    )?;
    Ok(id)
}

/// The protocol rows about one person, oldest first.
pub fn protokoll(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Protokoll>> {
    sql.query(
        "SELECT id, zeit, benutzer, art, anfragender, zweck, daten, ergebnis, grund, person_informiert FROM ewo_auskunft \
         WHERE mandant = ? AND person_id = ? ORDER BY id",
        &params![mandant, person_id],
    )?
    .iter()
    .map(|r| {
        Ok(Protokoll {
            id: r.i64(0)?,
            zeit: r.str(1)?,
            benutzer: r.str(2)?,
            art: r.str(3)?,
            anfragender: r.str(4)?,
            zweck: r.str(5)?,
            daten: r.str(6)?,
            ergebnis: r.str(7)?,
            grund: r.str(8)?,
            person_informiert: r.bool(9)?,
        })
    })
    .collect()
}
