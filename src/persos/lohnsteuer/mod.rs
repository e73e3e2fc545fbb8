//! Lohnsteuer, Solidaritätszuschlag and the Bemessungsgrundlage for the
//! Kirchensteuer after the Programmablaufplan (PAP) of the BMF for the
//! maschinelle Lohnsteuerberechnung (§ 39b EStG), years 2025 and 2026.
//!
//! The implementation mirrors the PAP's XML version method by method
//! (`pap` for the methods identical in both years, `gemeinsam` for the
//! tables and constants both share, `y2025`/`y2026` for the year's
//! constants and changed methods), with every BigDecimal scale and
//! rounding mode reproduced (`runden`). Inputs are checked first
//! (`pruefung`); the CSV interface (`csv_io`) serves
//! `kis persos lohnsteuer --jahr 2026 --in FILE.csv --out FILE.csv`.
//!
//! Neither PAP has a Fünftelregelung any more (no inputs for Vergütungen für
//! mehrjährige Tätigkeit): since 2025 the employer no longer applies it, the
//! 2025 XML only keeps the unused internal SOLZVBMG, which is left out here.
//! Entschädigungen (JRE4ENT, SONSTENT) still reduce the wage on which the
//! Vorsorgepauschale is computed.

mod ausgabe;
mod csv_io;
mod eingabe;
mod gemeinsam;
mod jahrgang;
mod pap;
mod pruefung;
mod runden;
mod y2025;
mod y2026;

pub use ausgabe::{Ergebnis, LstAusgabe};
pub use csv_io::{CsvSummary, csv_run};
pub use eingabe::{Art, LstEingabe, Parameter};
pub use pruefung::pruefe;

use crate::core::error::Result;

/// The years for which a PAP is implemented.
pub fn unterstuetzte_jahre() -> Vec<i32> {
    jahrgang::JAHRGAENGE.iter().map(|j| j.jahr).collect()
}

/// The INPUT parameters of the year's PAP in the XML's order, each with its
/// default (the XML's default, or 0 where the XML gives none).
pub fn eingabeparameter(jahr: i32) -> Result<Vec<(Parameter, rust_decimal::Decimal)>> {
    let jg = jahrgang::jahrgang(jahr)?;
    Ok(jg
        .eingaben
        .iter()
        .map(|(p, vorgabe)| (*p, vorgabe.unwrap_or_default()))
        .collect())
}

/// An input holding the defaults of the year's PAP (the XML's defaults, 0
/// where the XML gives none).
pub fn vorgabe(jahr: i32) -> Result<LstEingabe> {
    let jg = jahrgang::jahrgang(jahr)?;
    Ok(jahrgang::vorgabe(jg))
}

/// The OUTPUT parameters of the year's PAP in the XML's order.
pub fn ergebnisparameter(jahr: i32) -> Result<Vec<Ergebnis>> {
    Ok(jahrgang::jahrgang(jahr)?.ergebnisse.to_vec())
}

/// Computes the PAP of `jahr` for one input. Refuses an unsupported year and
/// an input that fails [`pruefe`] (the first problem is returned; `pruefe`
/// lists them all).
pub fn berechne(jahr: i32, eingabe: &LstEingabe) -> Result<LstAusgabe> {
    let jg = jahrgang::jahrgang(jahr)?;
    if let Some(fehler) = pruefe(jahr, eingabe).into_iter().next() {
        return Err(fehler);
    }
    Ok(rechne(jg, eingabe))
}

/// Runs the PAP on an input that has passed the checks.
fn rechne(jg: &'static jahrgang::Jahrgang, eingabe: &LstEingabe) -> LstAusgabe {
    let mut pap = pap::Pap::new(jg, eingabe);
    pap.main();
    pap.ausgabe()
}
