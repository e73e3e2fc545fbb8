//! Personenkonten: the open items (Sollstellungen with a rest) per
//! Geschäftspartner and Kassenzeichen with Soll, Ist, Rest and due date,
//! searchable by name, Kassenzeichen, IBAN and amount, and a partner's
//! history of Anordnungen. Read by FINAS clerks and the Kasse.

use std::fmt::Write;

use super::bank;
use super::kassenzeichen;
use super::model::{Anordnung, OffenerPosten, OpFilter};
use crate::core::collation::search_key;
use crate::core::date::format_date_de;
use crate::core::error::Result;
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::plan::csv_text;
use crate::finas::repo::kasse::{anordnung as anordnung_repo, personenkonto as repo};
use crate::kernel::session::Session;

/// The open items matching `f` (a typed Kassenzeichen and IBAN are checked
/// first), at most `limit`, by due date.
pub fn offene_posten(session: &Session, f: &OpFilter, limit: usize) -> Result<Vec<OffenerPosten>> {
    session.require(&[Role::FinasLesen])?;
    let mut f = f.clone();
    if let Some(kz) = &f.kassenzeichen {
        f.kassenzeichen = Some(kassenzeichen::pruefen("kassenzeichen", kz)?);
    }
    if let Some(iban) = &f.iban {
        f.iban = Some(bank::iban_pruefen("iban", iban)?);
    }
    let name = f
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(search_key);
    session
        .db
        .read(|sql| repo::offene_posten(sql, &session.mandant.id, &f, name.as_deref(), limit))
}

/// A partner's Anordnungen, newest first: the Personenkonto's history.
pub fn verlauf(session: &Session, partner: i64) -> Result<Vec<Anordnung>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| anordnung_repo::zum_partner(sql, &session.mandant.id, partner))
}

/// Totals of a list of open items: Soll, Ist, Rest.
pub fn summen(op: &[OffenerPosten]) -> (Money, Money, Money) {
    let s: i64 = op.iter().map(|p| p.soll.cents()).sum();
    let i: i64 = op.iter().map(|p| p.ist.cents()).sum();
    (
        Money::from_cents(s),
        Money::from_cents(i),
        Money::from_cents(s - i),
    )
}

/// CSV (`;`, German amounts): kassenzeichen;partner;faellig;offen;iban —
/// the partner as "number name", the due date TT.MM.JJJJ.
pub fn op_csv(op: &[OffenerPosten]) -> String {
    let mut s = String::from("kassenzeichen;partner;faellig;offen;iban\n");
    for p in op {
        let _ = writeln!(
            s,
            "{};{};{};{};{}",
            p.kassenzeichen,
            csv_text(&format!("{} {}", p.partner, p.partner_name)),
            format_date_de(p.faellig),
            p.rest().format_de(),
            p.iban.as_deref().unwrap_or("")
        );
    }
    s
}

/// The open items as a list for the terminal.
pub fn op_text(op: &[OffenerPosten]) -> String {
    let mut s = format!(
        "{:<13} {:<30} {:<10} {:>14} {:>14} {:>14}\n",
        "Kassenzeichen", "Geschäftspartner", "fällig", "Soll", "Ist", "Rest"
    );
    for p in op {
        let name: String = format!("{} {}", p.partner, p.partner_name)
            .chars()
            .take(30)
            .collect();
        let _ = writeln!(
            s,
            "{:<13} {:<30} {:<10} {:>14} {:>14} {:>14}",
            kassenzeichen::anzeigen(&p.kassenzeichen),
            name,
            format_date_de(p.faellig),
            p.soll.format_de(),
            p.ist.format_de(),
            p.rest().format_de()
        );
    }
    let (soll, ist, rest) = summen(op);
    let _ = writeln!(
        s,
        "{} offene Posten; Soll {} €, Ist {} €, Rest {} €",
        op.len(),
        soll.format_de(),
        ist.format_de(),
        rest.format_de()
    );
    s
}
