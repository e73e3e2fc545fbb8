//! Rows the Jahresabschluss reads and writes besides its postings.

use crate::core::error::Result;
use crate::params;
use crate::store::Sql;

/// Whether a year has its Eröffnungsbuchung (period 0) already.
pub fn eroeffnet(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM fin_buchung WHERE mandant = ? AND jahr = ? AND periode = 0",
            &params![mandant, jahr],
        )?
        .is_some())
}

/// Soll − Haben per (Konto, Produkt) of a year, by account and Produkt.
pub fn salden(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Vec<(String, String, i64)>> {
    sql.query(
        "SELECT konto, produkt, CAST(SUM(soll - haben) AS BIGINT) FROM fin_summe WHERE mandant = ? AND jahr = ? GROUP BY konto, produkt ORDER BY konto, produkt",
        &params![mandant, jahr],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.str(1)?, r.i64(2)?)))
    .collect()
}

/// The first Bilanz account of a Bilanz position.
pub fn bilanzkonto(sql: &mut dyn Sql, mandant: &str, position: &str) -> Result<Option<String>> {
    sql.query_opt(
        "SELECT nr FROM fin_konto WHERE mandant = ? AND typ = 'B' AND zeile = ? ORDER BY nr",
        &params![mandant, position],
    )?
    .map(|r| r.str(0))
    .transpose()
}

/// Mark a year as closed by the Jahresabschluss unless it is closed for good.
pub fn jahresabschluss_vermerken(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<()> {
    sql.execute(
        "UPDATE fin_haushaltsjahr SET status = 'JAHRESABSCHLUSS' WHERE mandant = ? AND jahr = ? AND status <> 'GESCHLOSSEN'",
        &params![mandant, jahr],
    )?;
    Ok(())
}
