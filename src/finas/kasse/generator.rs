//! Demo Anordnungen for Musterstadt's Kasse (`kis demo kasse`): receivables
//! (Verwaltungs- and Benutzungsgebühren) and payables (Sachaufwand) of the
//! demo's Geschäftspartner, deterministic, with one to three due dates in
//! the next three months. They are entered by the calling user and, by the
//! Vier-Augen-Prinzip, released by a second one
//! ([`super::anordnung::alle_freigeben`]).

use chrono::Duration;

use super::anordnung;
use super::model::{AnordnungArt, AnordnungInput, Faelligkeit};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::repo::kasse::partner as partner_repo;
use crate::kernel::session::Session;

/// Receivables: Produkt, Ertragskonto, text.
const ERTRAEGE: [(&str, &str, &str); 3] = [
    ("01.01.01", "4311", "Verwaltungsgebühr"),
    ("01.02.01", "4311", "Gebühr Meldebescheinigung"),
    ("01.01.02", "4321", "Benutzungsgebühr Bürgerhaus"),
];

/// Payables on positions of the adopted 2026 budget.
const AUFWAND: [(&str, &str, &str); 3] = [
    ("01.01.01", "5431", "Büromaterial"),
    ("01.01.02", "5431", "Geschäftsbedarf"),
    ("01.02.01", "5431", "Porto und Versand"),
];

/// The largest number of Anordnungen one call enters.
pub const MAX: usize = 10_000;

/// Enter `n` demo Anordnungen (two receivables for each payable) in one
/// transaction; returns their numbers.
pub fn anordnungen(session: &Session, n: usize) -> Result<Vec<i64>> {
    session.require(&[Role::FinasAendern])?;
    if n == 0 || n > MAX {
        return Err(KisError::validation(format!("Anzahl 1 bis {MAX} angeben.")));
    }
    let actor = session.actor();
    let heute = actor.at.date();
    session.db.write(|sql| {
        let partner: Vec<i64> = partner_repo::suchen(sql, &actor.mandant, "", usize::MAX / 2)?
            .iter()
            .map(|p| p.id)
            .collect();
        if partner.is_empty() {
            return Err(KisError::Conflict(
                "Es gibt noch keine Geschäftspartner.".into(),
            ));
        }
        // A stride coprime with the number of partners visits every one of
        // them; receivables and payables start half-way apart.
        let stride = (7..).find(|s| gcd(*s, partner.len()) == 1).unwrap_or(1);
        let mut nrs = Vec::with_capacity(n);
        for i in 0..n {
            let zahlung = i % 3 == 2;
            let (produkt, konto, text) = if zahlung {
                AUFWAND[i % 3 / 2 + (i / 3) % 2]
            } else {
                ERTRAEGE[i % 3 + (i / 3) % 2]
            };
            // Amounts from 10,00 to 99,90 € (payables stay well within the Ansätze).
            let cents = 1_000 + ((i as i64 * 7_919) % 9_000) / 10 * 10;
            let raten = 1 + i % 3;
            let faelligkeiten = (0..raten)
                .map(|r| Faelligkeit {
                    faellig: heute + Duration::days((7 + (i * 13) % 60 + r * 30) as i64),
                    betrag: Money::from_cents(cents),
                })
                .collect();
            let input = AnordnungInput {
                art: if zahlung {
                    AnordnungArt::Auszahlung
                } else {
                    AnordnungArt::Annahme
                },
                partner: partner[(i / 3 * stride
                    + if zahlung { partner.len() / 2 } else { i % 3 })
                    % partner.len()],
                produkt: produkt.into(),
                konto: konto.into(),
                kostenstelle: None,
                gegenkonto: None,
                text: format!("{text} Nr. {}", i + 1),
                faelligkeiten,
            };
            nrs.push(anordnung::erfassen_in(sql, &actor, &input)?.nr);
        }
        Ok(nrs)
    })
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}
