//! The data of a payroll run that the run (`lauf`), its FINAS posting
//! (`finas`) and the reports share: the month of account, the run's row in
//! `persos_lauf` and reading the active run of a month. It imports neither
//! the run nor the posting, so those two do not import each other.

use chrono::NaiveDate;

use crate::core::date::{days_in_month, parse_month};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::store::Sql;

/// A month of account as `YYYY-MM` and its first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Monat {
    pub jahr: i32,
    pub monat: u32,
}

impl Monat {
    pub fn parse(s: &str) -> Result<Monat> {
        let (jahr, monat) = parse_month(s).map_err(|e| KisError::field("monat", e.to_string()))?;
        Ok(Monat { jahr, monat })
    }

    pub fn key(&self) -> String {
        format!("{:04}-{:02}", self.jahr, self.monat)
    }

    /// German form `01.2026`.
    pub fn de(&self) -> String {
        format!("{:02}.{:04}", self.monat, self.jahr)
    }

    pub fn erster(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.jahr, self.monat, 1).unwrap_or_default()
    }

    pub fn letzter(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.jahr, self.monat, days_in_month(self.jahr, self.monat))
            .unwrap_or_default()
    }
}

/// One payroll run.
#[derive(Clone, Debug, PartialEq)]
pub struct LaufInfo {
    pub monat: String,
    pub lauf_nr: i64,
    pub status: String,
    pub art: LaufArt,
    pub gestartet_von: String,
    pub gestartet_am: String,
    pub anzahl: i64,
    pub summe_brutto: Money,
    pub summe_auszahlung: Money,
    pub storniert_von: Option<String>,
    pub storniert_am: Option<String>,
}

/// Regular monthly run or correction run (Rückrechnung).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaufArt {
    Regulaer,
    Rueckrechnung,
}

impl LaufArt {
    pub fn code(self) -> &'static str {
        match self {
            LaufArt::Regulaer => "REGULAER",
            LaufArt::Rueckrechnung => "RUECKRECHNUNG",
        }
    }
}

/// The active run of a month, if any.
pub fn aktiver_lauf_in(sql: &mut dyn Sql, mandant: &str, m: Monat) -> Result<Option<LaufInfo>> {
    super::repo::lauf::aktiver_lauf(sql, mandant, m)
}
