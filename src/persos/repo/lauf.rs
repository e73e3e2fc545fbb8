//! Rows of the payroll runs: the runs, each employee's stored result and
//! the Rückrechnung differences.

use std::collections::HashMap;

use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::params;
use crate::persos::abrechnung::{Abrechnung, Fall, Vorlauf};
use crate::persos::laufdaten::{LaufArt, LaufInfo, Monat};
use crate::store::{Row, Sql, Value};

const LAUF_COLS: &str = "monat, lauf_nr, status, gestartet_von, gestartet_am, anzahl, summe_brutto, summe_auszahlung, storniert_von, storniert_am, art";

const ERGEBNIS_COLS: &str = "mandant, monat, lauf_nr, personalnummer, sv_tage, brutto, steuer_laufend, steuer_sonstig, sv_kv, sv_rv, \
    lohnsteuer, soli, kirchensteuer, sv_an, sv_ag, umlagen, netto, auszahlung, ag_kosten, eingabe, ergebnis";
const ERGEBNIS_ARITY: usize = 21;

/// A Rückrechnung difference: corrected month, its correction run, amount.
pub type OffeneDifferenz = (String, i64, Money);

fn lauf_from_row(r: &Row) -> Result<LaufInfo> {
    Ok(LaufInfo {
        monat: r.str(0)?,
        lauf_nr: r.i64(1)?,
        status: r.str(2)?,
        gestartet_von: r.str(3)?,
        gestartet_am: r.str(4)?,
        anzahl: r.i64(5)?,
        summe_brutto: Money::from_cents(r.i64(6)?),
        summe_auszahlung: Money::from_cents(r.i64(7)?),
        storniert_von: r.opt_str(8)?,
        storniert_am: r.opt_str(9)?,
        art: match r.str(10)?.as_str() {
            "RUECKRECHNUNG" => LaufArt::Rueckrechnung,
            _ => LaufArt::Regulaer,
        },
    })
}

/// The stored input and result of a `persos_ergebnis` row, selected as
/// `eingabe, ergebnis` from column `ab` on.
pub(crate) fn gespeichert(r: &Row, ab: usize) -> Result<(Fall, Abrechnung)> {
    Ok((
        serde_json::from_str(&r.str(ab)?).map_err(|e| KisError::Db(format!("Eingabe: {e}")))?,
        serde_json::from_str(&r.str(ab + 1)?)
            .map_err(|e| KisError::Db(format!("Ergebnis: {e}")))?,
    ))
}

/// All runs, newest first.
pub fn laeufe(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<LaufInfo>> {
    sql.query(
        &format!("SELECT {LAUF_COLS} FROM persos_lauf WHERE mandant = ? ORDER BY monat DESC, lauf_nr DESC"),
        &params![mandant],
    )?
    .iter()
    .map(lauf_from_row)
    .collect()
}

/// The active run of a month, if any.
pub fn aktiver_lauf(sql: &mut dyn Sql, mandant: &str, m: Monat) -> Result<Option<LaufInfo>> {
    sql.query_opt(
        &format!("SELECT {LAUF_COLS} FROM persos_lauf WHERE mandant = ? AND monat = ? AND status = 'AKTIV'"),
        &params![mandant, m.key()],
    )?
    .map(|r| lauf_from_row(&r))
    .transpose()
}

/// The months `von`..=`bis` (keys `JJJJ-MM`) with an active run, in order.
pub fn aktive_monate(
    sql: &mut dyn Sql,
    mandant: &str,
    von: &str,
    bis: &str,
) -> Result<Vec<String>> {
    sql.query(
        "SELECT monat FROM persos_lauf WHERE mandant = ? AND status = 'AKTIV' AND monat >= ? AND monat <= ? ORDER BY monat",
        &params![mandant, von, bis],
    )?
    .iter()
    .map(|r| r.str(0))
    .collect()
}

/// The latest month after `nach` up to `bis` with an active run.
pub fn spaeterer_aktiver_monat(
    sql: &mut dyn Sql,
    mandant: &str,
    nach: &str,
    bis: &str,
) -> Result<Option<String>> {
    sql.query_opt(
        "SELECT monat FROM persos_lauf WHERE mandant = ? AND status = 'AKTIV' AND monat > ? AND monat <= ? ORDER BY monat DESC",
        &params![mandant, nach, bis],
    )?
    .map(|r| r.str(0))
    .transpose()
}

/// The first month from `von` with an active run; only November runs
/// with `nur_november`.
pub fn erster_aktiver_monat_ab(
    sql: &mut dyn Sql,
    mandant: &str,
    von: &str,
    nur_november: bool,
) -> Result<Option<String>> {
    let query = if nur_november {
        "SELECT monat FROM persos_lauf WHERE mandant = ? AND status = 'AKTIV' AND monat >= ? AND monat LIKE '%-11' ORDER BY monat LIMIT 1"
    } else {
        "SELECT monat FROM persos_lauf WHERE mandant = ? AND status = 'AKTIV' AND monat >= ? ORDER BY monat LIMIT 1"
    };
    sql.query_opt(query, &params![mandant, von])?
        .map(|r| r.str(0))
        .transpose()
}

pub fn naechste_lauf_nr(sql: &mut dyn Sql, mandant: &str, m: Monat) -> Result<i64> {
    sql.query_one(
        "SELECT COALESCE(MAX(lauf_nr), 0) + 1 FROM persos_lauf WHERE mandant = ? AND monat = ?",
        &params![mandant, m.key()],
    )?
    .i64(0)
}

/// A new active run; a second active run of the month is a conflict.
pub fn lauf_einfuegen(sql: &mut dyn Sql, mandant: &str, l: &LaufInfo) -> Result<()> {
    sql.execute(
        "INSERT INTO persos_lauf (mandant, monat, lauf_nr, status, art, gestartet_von, gestartet_am, anzahl, summe_brutto, summe_auszahlung) \
         VALUES (?, ?, ?, 'AKTIV', ?, ?, ?, ?, ?, ?)",
        &params![mandant, l.monat.as_str(), l.lauf_nr, l.art.code(), l.gestartet_von.as_str(), l.gestartet_am.as_str(), l.anzahl, l.summe_brutto.cents(), l.summe_auszahlung.cents()],
    )?;
    Ok(())
}

/// Reverse an active run.
pub fn lauf_stornieren(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
    von: &str,
    am: &str,
) -> Result<()> {
    sql.execute(
        "UPDATE persos_lauf SET status = 'STORNIERT', storniert_von = ?, storniert_am = ? WHERE mandant = ? AND monat = ? AND lauf_nr = ? AND status = 'AKTIV'",
        &params![von, am, mandant, m.key(), lauf_nr],
    )?;
    Ok(())
}

/// Cumulative figures of the earlier months of the year per employee.
pub fn vorlaeufe(sql: &mut dyn Sql, mandant: &str, m: Monat) -> Result<HashMap<String, Vorlauf>> {
    sql.query(
        "SELECT e.personalnummer, COALESCE(CAST(SUM(e.steuer_laufend) AS BIGINT), 0), COALESCE(CAST(SUM(e.sv_kv) AS BIGINT), 0), \
         COALESCE(CAST(SUM(e.sv_rv) AS BIGINT), 0), COALESCE(CAST(SUM(e.sv_tage) AS BIGINT), 0) \
         FROM persos_ergebnis e JOIN persos_lauf l ON l.mandant = e.mandant AND l.monat = e.monat AND l.lauf_nr = e.lauf_nr \
         WHERE e.mandant = ? AND l.status = 'AKTIV' AND e.monat >= ? AND e.monat < ? GROUP BY e.personalnummer",
        &params![mandant, format!("{:04}-01", m.jahr), m.key()],
    )?
    .iter()
    .map(|r| {
        Ok((
            r.str(0)?,
            Vorlauf {
                steuer_laufend: Money::from_cents(r.i64(1)?),
                sv_kv: Money::from_cents(r.i64(2)?),
                sv_rv: Money::from_cents(r.i64(3)?),
                sv_tage: u32::try_from(r.i64(4)?).unwrap_or(0),
            },
        ))
    })
    .collect()
}

/// Per employee the sum of the gross of the active runs from `von` to `bis`
/// and the number of months it covers.
pub fn brutto_summen(
    sql: &mut dyn Sql,
    mandant: &str,
    von: &str,
    bis: &str,
) -> Result<Vec<(String, Money, i64)>> {
    sql.query(
        "SELECT e.personalnummer, COALESCE(CAST(SUM(e.brutto) AS BIGINT), 0), COUNT(*) \
         FROM persos_ergebnis e JOIN persos_lauf l ON l.mandant = e.mandant AND l.monat = e.monat AND l.lauf_nr = e.lauf_nr \
         WHERE e.mandant = ? AND l.status = 'AKTIV' AND e.monat >= ? AND e.monat <= ? GROUP BY e.personalnummer",
        &params![mandant, von, bis],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, Money::from_cents(r.i64(1)?), r.i64(2)?)))
    .collect()
}

/// Store the results of a run, one multi-row statement for the lot.
pub fn ergebnisse_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
    ergebnisse: &[(String, Fall, Abrechnung)],
) -> Result<()> {
    if ergebnisse.is_empty() {
        return Ok(());
    }
    let mut rows: Vec<Value> = Vec::with_capacity(ergebnisse.len() * ERGEBNIS_ARITY);
    for (pnr, f, a) in ergebnisse {
        let eingabe =
            serde_json::to_string(f).map_err(|e| KisError::System(format!("Eingabe: {e}")))?;
        let ergebnis =
            serde_json::to_string(a).map_err(|e| KisError::System(format!("Ergebnis: {e}")))?;
        rows.extend(params![
            mandant,
            m.key(),
            lauf_nr,
            pnr.as_str(),
            i64::from(a.sv_tage),
            a.gesamtbrutto.cents(),
            a.steuerbrutto_laufend.cents(),
            a.steuerbrutto_sonstig.cents(),
            a.sv.bemessung_kv.cents(),
            a.sv.bemessung_rv.cents(),
            a.lohnsteuer.cents(),
            a.soli.cents(),
            a.kirchensteuer.cents(),
            a.sv.summe_an().cents(),
            a.sv.summe_ag().cents(),
            a.sv.umlagen().cents(),
            a.netto.cents(),
            a.auszahlung.cents(),
            a.ag_kosten.cents(),
            eingabe,
            ergebnis,
        ]);
    }
    let one = format!("({})", vec!["?"; ERGEBNIS_ARITY].join(", "));
    let text = format!(
        "INSERT INTO persos_ergebnis ({ERGEBNIS_COLS}) VALUES {}",
        vec![one.as_str(); ergebnisse.len()].join(", ")
    );
    sql.execute(&text, &rows)?;
    Ok(())
}

/// The stored input and payslip of one employee in the active run of a month.
pub fn ergebnis(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    pnr: &str,
) -> Result<Option<(Fall, Abrechnung)>> {
    sql.query_opt(
        "SELECT e.eingabe, e.ergebnis FROM persos_ergebnis e JOIN persos_lauf l ON l.mandant = e.mandant AND l.monat = e.monat AND l.lauf_nr = e.lauf_nr \
         WHERE e.mandant = ? AND e.monat = ? AND e.personalnummer = ? AND l.status = 'AKTIV'",
        &params![mandant, m.key(), pnr],
    )?
    .map(|r| gespeichert(&r, 0))
    .transpose()
}

/// Input and result of every employee in a run, by Personalnummer.
pub fn ergebnisse(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
) -> Result<Vec<(Fall, Abrechnung)>> {
    sql.query(
        "SELECT eingabe, ergebnis FROM persos_ergebnis WHERE mandant = ? AND monat = ? AND lauf_nr = ? ORDER BY personalnummer",
        &params![mandant, m.key(), lauf_nr],
    )?
    .iter()
    .map(|r| gespeichert(r, 0))
    .collect()
}

/// Each employee's own payout (without settled differences) in a run.
pub fn eigene_auszahlungen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
) -> Result<HashMap<String, Money>> {
    sql.query(
        "SELECT personalnummer, eingabe, ergebnis FROM persos_ergebnis WHERE mandant = ? AND monat = ? AND lauf_nr = ?",
        &params![mandant, m.key(), lauf_nr],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, gespeichert(r, 1)?.1.auszahlung_eigen())))
    .collect()
}

fn differenzen_from_rows(rows: Vec<Row>) -> Result<HashMap<String, Vec<OffeneDifferenz>>> {
    let mut out: HashMap<String, Vec<OffeneDifferenz>> = HashMap::new();
    for r in rows {
        out.entry(r.str(0)?).or_default().push((
            r.str(1)?,
            r.i64(2)?,
            Money::from_cents(r.i64(3)?),
        ));
    }
    Ok(out)
}

/// The differences per employee not yet paid from months before `m`.
pub fn differenzen_offen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
) -> Result<HashMap<String, Vec<OffeneDifferenz>>> {
    differenzen_from_rows(sql.query(
        "SELECT personalnummer, monat, lauf_nr, betrag FROM persos_differenz \
         WHERE mandant = ? AND ausgeglichen_monat IS NULL AND monat < ? ORDER BY monat, lauf_nr",
        &params![mandant, m.key()],
    )?)
}

/// The differences per employee the run `lauf_nr` of `m` paid.
pub fn differenzen_bezahlt(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
) -> Result<HashMap<String, Vec<OffeneDifferenz>>> {
    differenzen_from_rows(sql.query(
        "SELECT personalnummer, monat, lauf_nr, betrag FROM persos_differenz \
         WHERE mandant = ? AND ausgeglichen_monat = ? AND ausgeglichen_lauf = ? ORDER BY monat, lauf_nr",
        &params![mandant, m.key(), lauf_nr],
    )?)
}

pub fn differenz_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
    pnr: &str,
    betrag: Money,
) -> Result<()> {
    sql.execute(
        "INSERT INTO persos_differenz (mandant, monat, lauf_nr, personalnummer, betrag) VALUES (?, ?, ?, ?, ?)",
        &params![mandant, m.key(), lauf_nr, pnr, betrag.cents()],
    )?;
    Ok(())
}

/// Mark the difference of (employee, month, correction run) as paid by the
/// run `lauf_nr` of `m`.
pub fn differenz_ausgleichen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
    (pnr, monat, nr): (&str, &str, i64),
) -> Result<()> {
    sql.execute(
        "UPDATE persos_differenz SET ausgeglichen_monat = ?, ausgeglichen_lauf = ? WHERE mandant = ? AND monat = ? AND lauf_nr = ? AND personalnummer = ?",
        &params![m.key(), lauf_nr, mandant, monat, nr, pnr],
    )?;
    Ok(())
}

/// Open again the differences the run `lauf_nr` of `m` paid.
pub fn differenzen_wieder_oeffnen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
) -> Result<()> {
    sql.execute(
        "UPDATE persos_differenz SET ausgeglichen_monat = NULL, ausgeglichen_lauf = NULL WHERE mandant = ? AND ausgeglichen_monat = ? AND ausgeglichen_lauf = ?",
        &params![mandant, m.key(), lauf_nr],
    )?;
    Ok(())
}
