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

/// The Kassenzeichen quoted in a remittance text: 11 digits with a valid
/// check digit, written with or without spaces, dots, dashes or slashes
/// between the digits, also embedded in other text. In the order found,
/// without repeats; a number with a wrong check digit is not one.
pub fn kassenzeichen_im_text(text: &str) -> Vec<String> {
    // Runs of digits, joined across single separators.
    let mut laeufe: Vec<String> = Vec::new();
    let mut lauf = String::new();
    let mut trenner = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            lauf.push(c);
            trenner = false;
        } else if matches!(c, ' ' | '.' | '-' | '/') && !lauf.is_empty() && !trenner {
            trenner = true;
        } else if !lauf.is_empty() {
            laeufe.push(std::mem::take(&mut lauf));
            trenner = false;
        }
    }
    if !lauf.is_empty() {
        laeufe.push(lauf);
    }
    let mut out: Vec<String> = Vec::new();
    for l in laeufe {
        if l.len() < 11 {
            continue;
        }
        for i in 0..=l.len() - 11 {
            let kz = &l[i..i + 11];
            if kz.starts_with("20")
                && super::kassenzeichen::pruefen("kz", kz).is_ok()
                && !out.iter().any(|o| o == kz)
            {
                out.push(kz.to_string());
            }
        }
    }
    out
}
