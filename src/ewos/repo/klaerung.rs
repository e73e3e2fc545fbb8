//! The clarification list (Klärungsliste).

use super::zaehler::next_id;
use crate::core::error::Result;
use crate::ewos::model::{Klaerung, stamp};
use crate::kernel::audit::Actor;
use crate::params;
use crate::store::Sql;

/// Put a case on the clarification list.
pub fn insert_klaerung(
    sql: &mut dyn Sql,
    actor: &Actor,
    art: &str,
    daten: &str,
    grund: &str,
) -> Result<i64> {
    let id = next_id(sql, &actor.mandant, "klaerung")?;
    sql.execute(
        "INSERT INTO ewo_klaerung (mandant, id, art, daten, grund, erstellt) VALUES (?, ?, ?, ?, ?, ?)",
        &params![actor.mandant.as_str(), id, art, daten, grund, stamp(actor.at)],
    )?;
    Ok(id)
}

/// The open cases, oldest first.
pub fn offene_klaerungen(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Klaerung>> {
    sql.query("SELECT id, art, daten, grund FROM ewo_klaerung WHERE mandant = ? AND erledigt = 0 ORDER BY id", &params![mandant])?
        .iter()
        .map(|r| Ok(Klaerung { id: r.i64(0)?, art: r.str(1)?, daten: r.str(2)?, grund: r.str(3)? }))
        .collect()
}

/// Mark case `id` as done; returns false if it was not open.
pub fn set_erledigt(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<bool> {
    let n = sql.execute(
        "UPDATE ewo_klaerung SET erledigt = 1 WHERE mandant = ? AND id = ? AND erledigt = 0",
        &params![mandant, id],
    )?;
    Ok(n > 0)
}
