//! Reads over the stored results of the active runs for the documents and
//! evaluations: year totals, the Lohnjournal and the Lohnkonto.

use crate::core::error::Result;
use crate::core::money::Money;
use crate::params;
use crate::persos::bescheinigung::{Jahressummen, JournalZeile};
use crate::persos::laufdaten::Monat;
use crate::persos::lohnkonto::Kontomonat;
use crate::store::Sql;

use super::lauf::gespeichert;

/// Cumulative figures of an employee's year up to and including month `m`.
pub fn jahressummen(sql: &mut dyn Sql, mandant: &str, m: Monat, pnr: &str) -> Result<Jahressummen> {
    let r = sql.query_one(
        "SELECT COALESCE(CAST(SUM(e.brutto) AS BIGINT), 0), COALESCE(CAST(SUM(e.steuer_laufend + e.steuer_sonstig) AS BIGINT), 0), \
         COALESCE(CAST(SUM(e.lohnsteuer) AS BIGINT), 0), COALESCE(CAST(SUM(e.soli) AS BIGINT), 0), COALESCE(CAST(SUM(e.kirchensteuer) AS BIGINT), 0), \
         COALESCE(CAST(SUM(e.sv_kv) AS BIGINT), 0), COALESCE(CAST(SUM(e.sv_rv) AS BIGINT), 0), COALESCE(CAST(SUM(e.sv_an) AS BIGINT), 0), \
         COALESCE(CAST(SUM(e.netto) AS BIGINT), 0) \
         FROM persos_ergebnis e JOIN persos_lauf l ON l.mandant = e.mandant AND l.monat = e.monat AND l.lauf_nr = e.lauf_nr \
         WHERE e.mandant = ? AND e.personalnummer = ? AND l.status = 'AKTIV' AND e.monat >= ? AND e.monat <= ?",
        &params![mandant, pnr, format!("{:04}-01", m.jahr), m.key()],
    )?;
    let c = |i: usize| r.i64(i).map(Money::from_cents);
    Ok(Jahressummen {
        brutto: c(0)?,
        steuerbrutto: c(1)?,
        lohnsteuer: c(2)?,
        soli: c(3)?,
        kirchensteuer: c(4)?,
        sv_kv: c(5)?,
        sv_rv: c(6)?,
        sv_an: c(7)?,
        netto: c(8)?,
    })
}

/// One Lohnjournal line per employee of the active run of `m`.
pub fn lohnjournal(sql: &mut dyn Sql, mandant: &str, m: Monat) -> Result<Vec<JournalZeile>> {
    sql.query(
        "SELECT e.personalnummer, p.name || ', ' || p.vorname, e.brutto, e.steuer_laufend + e.steuer_sonstig, e.lohnsteuer, e.soli, \
         e.kirchensteuer, e.sv_an, e.sv_ag, e.netto, e.auszahlung \
         FROM persos_ergebnis e JOIN persos_lauf l ON l.mandant = e.mandant AND l.monat = e.monat AND l.lauf_nr = e.lauf_nr \
         JOIN persos_employee p ON p.mandant = e.mandant AND p.personalnummer = e.personalnummer \
         WHERE e.mandant = ? AND e.monat = ? AND l.status = 'AKTIV' ORDER BY e.personalnummer",
        &params![mandant, m.key()],
    )?
    .iter()
    .map(|r| {
        let c = |i: usize| r.i64(i).map(Money::from_cents);
        Ok(JournalZeile {
            personalnummer: r.str(0)?,
            name: r.str(1)?,
            brutto: c(2)?,
            steuerbrutto: c(3)?,
            lohnsteuer: c(4)?,
            soli: c(5)?,
            kirchensteuer: c(6)?,
            sv_an: c(7)?,
            sv_ag: c(8)?,
            netto: c(9)?,
            auszahlung: c(10)?,
        })
    })
    .collect()
}

/// The employee's months of `jahr` with an active run, oldest first.
pub fn kontomonate(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    pnr: &str,
) -> Result<Vec<Kontomonat>> {
    sql.query(
        "SELECT e.monat, e.eingabe, e.ergebnis FROM persos_ergebnis e \
         JOIN persos_lauf l ON l.mandant = e.mandant AND l.monat = e.monat AND l.lauf_nr = e.lauf_nr \
         WHERE e.mandant = ? AND e.personalnummer = ? AND l.status = 'AKTIV' AND e.monat >= ? AND e.monat <= ? \
         ORDER BY e.monat",
        &params![mandant, pnr, format!("{jahr:04}-01"), format!("{jahr:04}-12")],
    )?
    .iter()
    .map(|r| {
        let (fall, abrechnung) = gespeichert(r, 1)?;
        Ok(Kontomonat {
            monat: Monat::parse(&r.str(0)?)?,
            fall,
            abrechnung,
        })
    })
    .collect()
}
