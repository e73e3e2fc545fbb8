//! Rows of the kameral Haushaltsplan: Ansätze per Gliederung × Gruppierung.

use crate::core::error::Result;
use crate::core::money::Money;
use crate::params;
use crate::store::Sql;

/// The two kameral structure plans.
#[derive(Clone, Copy)]
pub enum Plan {
    Gliederung,
    Gruppierung,
}

/// Whether a number exists in the Gliederungs- or Gruppierungsplan.
pub fn vorhanden(sql: &mut dyn Sql, plan: Plan, mandant: &str, nr: &str) -> Result<bool> {
    let query = match plan {
        Plan::Gliederung => "SELECT 1 FROM fin_kameral_gliederung WHERE mandant = ? AND nr = ?",
        Plan::Gruppierung => "SELECT 1 FROM fin_kameral_gruppierung WHERE mandant = ? AND nr = ?",
    };
    Ok(sql.query_opt(query, &params![mandant, nr])?.is_some())
}

/// Insert or replace the Ansatz of a Haushaltsstelle in a version.
pub fn ansatz_schreiben(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
    gliederung: &str,
    gruppierung: &str,
    betrag: Money,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_kameral_ansatz (mandant, jahr, version, gliederung, gruppierung, betrag) VALUES (?, ?, ?, ?, ?, ?) \
         ON CONFLICT (mandant, jahr, version, gliederung, gruppierung) DO UPDATE SET betrag = excluded.betrag",
        &params![mandant, jahr, version, gliederung, gruppierung, betrag.cents()],
    )?;
    Ok(())
}

/// The sums of a version per Haushalt (`V`/`W`) and Art (`E`/`A`).
pub fn summen(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
) -> Result<Vec<(String, String, i64)>> {
    sql.query(
        "SELECT g.haushalt, g.art, CAST(SUM(a.betrag) AS BIGINT) FROM fin_kameral_ansatz a \
         JOIN fin_kameral_gruppierung g ON g.mandant = a.mandant AND g.nr = a.gruppierung \
         WHERE a.mandant = ? AND a.jahr = ? AND a.version = ? GROUP BY g.haushalt, g.art",
        &params![mandant, jahr, version],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.str(1)?, r.i64(2)?)))
    .collect()
}
