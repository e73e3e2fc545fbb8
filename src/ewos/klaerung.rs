//! The Klärungsliste: reports that could not be applied automatically (a
//! Rückmeldung without an unambiguous match, a Geburt without a parent in
//! the register). Clerks read the open cases and close each one with a
//! note of what they did; closing is audited and cannot be undone.

use serde_json::json;

use super::model::Klaerung;
use super::repo;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::session::Session;

pub const ENTITY: &str = "ewo_klaerung";

/// The open cases, oldest first.
pub fn offene(session: &Session) -> Result<Vec<Klaerung>> {
    session.require(&[Role::EwosLesen])?;
    session
        .db
        .read(|sql| repo::klaerung::offene_klaerungen(sql, &session.mandant.id))
}

/// Close case `id` with the clerk's note (what was done about it).
pub fn erledigen(session: &Session, id: i64, vermerk: &str) -> Result<()> {
    session.require(&[Role::EwosAendern])?;
    let vermerk = vermerk.trim();
    if vermerk.is_empty() {
        return Err(KisError::field(
            "vermerk",
            "Bitte vermerken, wie der Fall geklärt wurde.",
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        if !repo::klaerung::set_erledigt(sql, &session.mandant.id, id)? {
            return Err(KisError::Conflict(format!(
                "Klärungsfall {id} ist nicht offen (unbekannt oder bereits erledigt)."
            )));
        }
        audit::append(
            sql,
            &actor,
            "KLAERUNG_ERLEDIGT",
            ENTITY,
            &id.to_string(),
            None,
            Some(&json!({ "vermerk": vermerk })),
        )?;
        Ok(())
    })
}
