//! Documents kept with a person (Meldebestätigungen, Mitteilungen, …).

use super::zaehler::next_id;
use crate::core::error::Result;
use crate::ewos::model::{Dokument, stamp};
use crate::kernel::audit::Actor;
use crate::params;
use crate::store::Sql;

/// Keep a produced document (Meldebestätigung, Mitteilung …) with the person.
pub fn store_dokument(
    sql: &mut dyn Sql,
    actor: &Actor,
    person_id: i64,
    art: &str,
    text: &str,
) -> Result<i64> {
    let id = next_id(sql, &actor.mandant, "dokument")?;
    sql.execute(
        "INSERT INTO ewo_dokument (mandant, id, person_id, art, erstellt, benutzer, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &params![actor.mandant.as_str(), id, person_id, art, stamp(actor.at), actor.user.as_str(), text],
    )?;
    Ok(id)
}

/// The documents of a person, oldest first.
pub fn dokumente(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Dokument>> {
    sql.query(
        "SELECT id, person_id, art, erstellt, text FROM ewo_dokument WHERE mandant = ? AND person_id = ? ORDER BY id",
        &params![mandant, person_id],
    )?
    .iter()
    .map(|r| Ok(Dokument { id: r.i64(0)?, person_id: r.i64(1)?, art: r.str(2)?, erstellt: r.str(3)?, text: r.str(4)? }))
    .collect()
}
