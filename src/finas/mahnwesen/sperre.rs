//! Mahnsperren (FIN551): a debtor's or one Anordnung's items are not dunned
//! until the end date, for a recorded reason (e.g. a pending objection, a
//! payment arrangement under negotiation). Entering and lifting need
//! KASSE and are audited; the Mahnlauf skips the items and says how many.

use chrono::NaiveDate;
use serde_json::json;

use super::model::Mahnsperre;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::journal;
use crate::finas::repo::kasse::{anordnung as anordnung_repo, partner as partner_repo};
use crate::finas::repo::mahnwesen as repo;
use crate::kernel::audit;
use crate::kernel::session::Session;

const ENTITY: &str = "fin_mahnsperre";

/// Enter a Mahnsperre for `partner` (all items) or one of its Anordnungen,
/// in force up to and including `bis`. Returns its number.
pub fn setzen(
    session: &Session,
    partner: i64,
    anordnung: Option<i64>,
    grund: &str,
    bis: NaiveDate,
) -> Result<i64> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    let grund = grund.trim();
    if grund.is_empty() {
        return Err(KisError::field(
            "grund",
            "Bitte den Grund der Mahnsperre angeben.",
        ));
    }
    if bis < actor.at.date() {
        return Err(KisError::field(
            "bis",
            "Das Ende der Mahnsperre liegt in der Vergangenheit.",
        ));
    }
    session.db.write(|sql| {
        partner_repo::lesen(sql, &actor.mandant, partner)
            .map_err(|e| KisError::field("partner", e.to_string()))?;
        if let Some(nr) = anordnung {
            let a = anordnung_repo::lesen(sql, &actor.mandant, nr)
                .map_err(|e| KisError::field("anordnung", e.to_string()))?;
            if a.partner != partner {
                return Err(KisError::field(
                    "anordnung",
                    format!("Anordnung {nr} gehört nicht zu Geschäftspartner {partner}."),
                ));
            }
        }
        let id = journal::nummern_in(sql, &actor.mandant, "MAHNSPERRE", 1)?;
        let s = Mahnsperre {
            id,
            partner,
            anordnung,
            grund: grund.to_string(),
            bis,
            erfasst_von: actor.user.clone(),
            erfasst_am: actor.stempel(),
            aufgehoben_von: None,
            aufgehoben_am: None,
        };
        repo::sperre_einfuegen(sql, &actor.mandant, &s)?;
        audit::append(
            sql,
            &actor,
            "MAHNSPERRE",
            ENTITY,
            &id.to_string(),
            None,
            Some(&json!(s)),
        )?;
        Ok(id)
    })
}

/// Lift a Mahnsperre before its end (audited).
pub fn aufheben(session: &Session, id: i64) -> Result<()> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| {
        let s = repo::sperre(sql, &actor.mandant, id)?
            .ok_or_else(|| KisError::NotFound(format!("Mahnsperre {id} ist nicht vorhanden.")))?;
        let am = actor.stempel();
        if !repo::sperre_aufheben(sql, &actor.mandant, id, &actor.user, &am)? {
            return Err(KisError::Conflict(format!(
                "Mahnsperre {id} ist bereits aufgehoben."
            )));
        }
        audit::append(
            sql,
            &actor,
            "MAHNSPERRE_AUFHEBEN",
            ENTITY,
            &id.to_string(),
            Some(&json!(s)),
            Some(&json!({"aufgehoben_von": actor.user, "aufgehoben_am": am})),
        )?;
        Ok(())
    })
}

/// Every Mahnsperre, newest first.
pub fn liste(session: &Session) -> Result<Vec<Mahnsperre>> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::sperren(sql, &session.mandant.id))
}
