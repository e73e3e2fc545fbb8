//! The statements' reads over the per-account totals: Summen- und
//! Saldenliste and the Bilanz.

use crate::core::error::Result;
use crate::finas::rechnung::{BilanzPosition, Saldo};
use crate::params;
use crate::store::{Sql, Value};

/// The filter on a Produkt prefix (the Produkt and everything below it).
fn produkt_filter(produkt: Option<&str>) -> (String, Vec<Value>) {
    match produkt {
        Some(p) => (
            " AND (s.produkt = ? OR s.produkt LIKE ?)".into(),
            params![p, format!("{p}.%")],
        ),
        None => (String::new(), Vec::new()),
    }
}

/// Eröffnungswert and Verkehrszahlen per account of a year, by account.
pub fn salden(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    produkt: Option<&str>,
) -> Result<Vec<Saldo>> {
    let (f, fp) = produkt_filter(produkt);
    let mut p = params![mandant, jahr];
    p.extend(fp);
    let mut out = Vec::new();
    sql.for_each(
        &format!(
            "SELECT s.konto, k.bezeichnung, \
               COALESCE(CAST(SUM(CASE WHEN s.periode = 0 THEN s.soll - s.haben ELSE 0 END) AS BIGINT), 0), \
               COALESCE(CAST(SUM(CASE WHEN s.periode > 0 THEN s.soll ELSE 0 END) AS BIGINT), 0), \
               COALESCE(CAST(SUM(CASE WHEN s.periode > 0 THEN s.haben ELSE 0 END) AS BIGINT), 0) \
             FROM fin_summe s JOIN fin_konto k ON k.mandant = s.mandant AND k.nr = s.konto \
             WHERE s.mandant = ? AND s.jahr = ?{f} GROUP BY s.konto, k.bezeichnung ORDER BY s.konto"
        ),
        &p,
        &mut |r| {
            out.push(Saldo {
                konto: r.str(0)?,
                bezeichnung: r.str(1)?,
                eb: r.i64(2)?,
                soll: r.i64(3)?,
                haben: r.i64(4)?,
            });
            Ok(())
        },
    )?;
    Ok(out)
}

/// The Bilanz positions of the Mandant with zero values.
pub fn bilanzpositionen(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<BilanzPosition>> {
    sql.query(
        "SELECT position, seite, bezeichnung FROM fin_bilanzposition WHERE mandant = ? ORDER BY position",
        &params![mandant],
    )?
    .iter()
    .map(|r| {
        Ok(BilanzPosition {
            position: r.str(0)?,
            seite: r.str(1)?.chars().next().unwrap_or('A'),
            bezeichnung: r.str(2)?,
            eroeffnung: 0,
            schluss: 0,
        })
    })
    .collect()
}

/// Per account type (`B`/`E`) and line: the Eröffnung (Soll − Haben of
/// period 0) and Soll − Haben over the whole year.
pub fn bestaende(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
) -> Result<Vec<(String, String, i64, i64)>> {
    sql.query(
        "SELECT k.typ, k.zeile, \
           COALESCE(CAST(SUM(CASE WHEN s.periode = 0 THEN s.soll - s.haben ELSE 0 END) AS BIGINT), 0), \
           COALESCE(CAST(SUM(s.soll - s.haben) AS BIGINT), 0) \
         FROM fin_summe s JOIN fin_konto k ON k.mandant = s.mandant AND k.nr = s.konto \
         WHERE s.mandant = ? AND s.jahr = ? AND k.typ IN ('B', 'E') GROUP BY k.typ, k.zeile",
        &params![mandant, jahr],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.str(1)?, r.i64(2)?, r.i64(3)?)))
    .collect()
}
