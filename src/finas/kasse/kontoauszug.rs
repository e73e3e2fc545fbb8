//! Bank statements (camt.053): the statements imported for the Stadtkasse's
//! accounts and the closing balance a Tagesabschluss reads per account and
//! day. Role: reading needs FINAS-Lesen or Kasse; importing needs Kasse.

use chrono::NaiveDate;

use super::bank;
use crate::core::error::Result;
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::repo::kasse::kontoauszug as repo;
use crate::kernel::session::Session;
use crate::store::Sql;

pub use crate::finas::repo::kasse::kontoauszug::AuszugRow as Auszug;

/// Closing balance of the latest statement of account `iban` dated on or
/// before `datum`, inside the caller's transaction; None without one.
pub fn schlusssaldo_in(
    sql: &mut dyn Sql,
    mandant: &str,
    iban: &str,
    datum: NaiveDate,
) -> Result<Option<Money>> {
    let iban = bank::iban_pruefen("iban", iban)?;
    Ok(repo::schlusssaldo(sql, mandant, &iban, datum)?.map(Money::from_cents))
}

/// Closing balance of the latest statement of account `iban` dated on or
/// before `datum` (for the Tagesabschluss); None while no statement exists.
pub fn schlusssaldo(session: &Session, iban: &str, datum: NaiveDate) -> Result<Option<Money>> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| schlusssaldo_in(sql, &session.mandant.id, iban, datum))
}

/// The Mandant's imported statements, newest first.
pub fn auszuege(session: &Session, limit: usize) -> Result<Vec<Auszug>> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::auszuege(sql, &session.mandant.id, limit))
}
