//! TVöD-VKA pay tables as data with validity: the Entgelttabelle (Anlage A)
//! and the Bemessungssätze of the Jahressonderzahlung (§ 20 TVöD). The
//! tables are compiled in from `fixtures/musterstadt/persos/` (their headers
//! name source and validity) and parsed once.

use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::core::error::{KisError, Result};

const ENTGELTTABELLE: &str = include_str!("../../fixtures/musterstadt/persos/tvoed_vka_2026.csv");
const JSZ: &str = include_str!("../../fixtures/musterstadt/persos/tvoed_jsz.csv");

/// The last day the compiled-in tables are known to cover. The Tarifeinigung
/// of 06.04.2025 raises the table again from 01.05.2026 (+2,8 %); until that
/// table is entered, pay for later days is refused rather than computed from
/// an outdated table (a wrong payslip is worse than a clear refusal).
pub const BEKANNT_BIS: &str = "2026-04-30";

/// One row of the Entgelttabelle: an Entgeltgruppe with up to six Stufen.
#[derive(Clone, Debug)]
struct Zeile {
    gueltig_ab: NaiveDate,
    eg: String,
    stufen: [Option<Decimal>; 6],
}

#[derive(Clone, Debug)]
struct JszSatz {
    gueltig_ab: NaiveDate,
    eg: String,
    satz: Decimal,
}

struct Tabellen {
    entgelt: Vec<Zeile>,
    jsz: Vec<JszSatz>,
}

fn datum(s: &str, file: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| KisError::validation(format!("{file}: Datum „{s}“ ungültig.")))
}

fn betrag(s: &str, file: &str) -> Result<Decimal> {
    s.trim()
        .parse()
        .map_err(|_| KisError::validation(format!("{file}: Betrag „{s}“ ungültig.")))
}

fn parse() -> Result<Tabellen> {
    let file = "tvoed_vka_2026.csv";
    let mut entgelt = Vec::new();
    for r in crate::demo::fixture_rows(ENTGELTTABELLE, file)? {
        let mut stufen = [None; 6];
        for (i, s) in stufen.iter_mut().enumerate() {
            let cell = r.get(2 + i).unwrap_or("").trim();
            if !cell.is_empty() {
                *s = Some(betrag(cell, file)?);
            }
        }
        entgelt.push(Zeile {
            gueltig_ab: datum(&r[0], file)?,
            eg: r[1].trim().to_string(),
            stufen,
        });
    }
    let jsz = crate::demo::fixture_rows(JSZ, "tvoed_jsz.csv")?
        .iter()
        .map(|r| {
            Ok(JszSatz {
                gueltig_ab: datum(&r[0], "tvoed_jsz.csv")?,
                eg: r[1].trim().to_string(),
                satz: betrag(&r[2], "tvoed_jsz.csv")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Tabellen { entgelt, jsz })
}

fn tabellen() -> Result<&'static Tabellen> {
    static T: OnceLock<std::result::Result<Tabellen, String>> = OnceLock::new();
    T.get_or_init(|| parse().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| KisError::System(e.clone()))
}

/// Normalises an Entgeltgruppe as clerks type it: `E 9a`, `9A`, `15Ü`, `2U`.
pub fn normalisiere_eg(eg: &str) -> String {
    let s: String = eg
        .trim()
        .trim_start_matches(['E', 'e'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    s.to_lowercase().replace(['u', 'ü', 'Ü'], "Ü")
}

/// Whether the table knows the Entgeltgruppe.
pub fn eg_bekannt(eg: &str) -> Result<bool> {
    let eg = normalisiere_eg(eg);
    Ok(tabellen()?.entgelt.iter().any(|z| z.eg == eg))
}

/// The Tabellenentgelt (full time, 39 h) of `eg`/`stufe` valid on `stichtag`.
pub fn tabellenentgelt(eg: &str, stufe: u8, stichtag: NaiveDate) -> Result<Decimal> {
    let eg = normalisiere_eg(eg);
    if !(1..=6).contains(&stufe) {
        return Err(KisError::field("stufe", "Stufe: 1 bis 6."));
    }
    let bekannt_bis = datum(BEKANNT_BIS, "tarif")?;
    if stichtag > bekannt_bis {
        return Err(KisError::Conflict(format!(
            "Für den {} ist keine TVöD-VKA-Entgelttabelle erfasst (erfasst bis {}; die Tabelle ab 01.05.2026 fehlt). \
             Bitte zuerst die gültige Tabelle einspielen – ohne sie rechnet KIS nicht ab.",
            crate::core::date::format_date_de(stichtag),
            crate::core::date::format_date_de(bekannt_bis)
        )));
    }
    let zeile = tabellen()?
        .entgelt
        .iter()
        .filter(|z| z.eg == eg && z.gueltig_ab <= stichtag)
        .max_by_key(|z| z.gueltig_ab)
        .ok_or_else(|| {
            KisError::field(
                "eg",
                format!("Entgeltgruppe E {eg} ist in der TVöD-Tabelle nicht vorhanden."),
            )
        })?;
    zeile.stufen[usize::from(stufe - 1)].ok_or_else(|| {
        KisError::field(
            "stufe",
            format!("Entgeltgruppe E {eg} hat keine Stufe {stufe}."),
        )
    })
}

/// The Bemessungssatz of the Jahressonderzahlung (percent) for `eg` in `jahr`.
pub fn jsz_satz(eg: &str, jahr: i32) -> Result<Decimal> {
    let eg = normalisiere_eg(eg);
    let stichtag = NaiveDate::from_ymd_opt(jahr, 12, 1)
        .ok_or_else(|| KisError::validation("Jahr ungültig."))?;
    tabellen()?
        .jsz
        .iter()
        .filter(|s| s.eg == eg && s.gueltig_ab <= stichtag)
        .max_by_key(|s| s.gueltig_ab)
        .map(|s| s.satz)
        .ok_or_else(|| {
            KisError::field(
                "eg",
                format!("Kein Bemessungssatz der Jahressonderzahlung für E {eg}."),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn lookup_by_group_step_and_date() {
        assert_eq!(
            tabellenentgelt("E 9a", 3, d("2026-01-01")).unwrap(),
            dec!(3986.06)
        );
        assert_eq!(
            tabellenentgelt("15ü", 6, d("2026-01-01")).unwrap(),
            dec!(8947.29)
        );
        assert_eq!(
            tabellenentgelt("E2U", 1, d("2026-01-01")).unwrap(),
            dec!(2711.60)
        );
        assert!(tabellenentgelt("15Ü", 1, d("2026-01-01")).is_err());
        assert!(
            tabellenentgelt("9a", 3, d("2025-03-31")).is_err(),
            "no table before April 2025"
        );
        assert!(tabellenentgelt("17", 1, d("2026-01-01")).is_err());
        assert!(tabellenentgelt("9a", 7, d("2026-01-01")).is_err());
        assert!(eg_bekannt("e 13").unwrap());
    }

    #[test]
    fn jsz_rates() {
        assert_eq!(jsz_satz("8", 2026).unwrap(), dec!(84.51));
        assert_eq!(jsz_satz("9a", 2026).unwrap(), dec!(70.28));
        assert_eq!(jsz_satz("13", 2026).unwrap(), dec!(51.78));
    }
}
