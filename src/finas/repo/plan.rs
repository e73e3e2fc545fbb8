//! Haushaltsplan rows: versions, Ansätze, Verpflichtungsermächtigungen,
//! Deckungsringe, the plan lines and the Ist of a year for the reports.

use chrono::NaiveDate;

use crate::core::error::Result;
use crate::core::money::Money;
use crate::finas::plan::{Ansatz, Plan, Ve, Version};
use crate::kernel::audit::Actor;
use crate::params;
use crate::store::Sql;

pub fn versionen(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Vec<Version>> {
    sql.query(
        "SELECT jahr, version, nachtrag, status, bezeichnung, beschluss FROM fin_planversion WHERE mandant = ? AND jahr = ? ORDER BY version",
        &params![mandant, jahr],
    )?
    .iter()
    .map(|r| {
        Ok(Version {
            jahr: r.i64(0)? as i32,
            version: r.i64(1)?,
            nachtrag: r.i64(2)?,
            beschlossen: r.str(3)? == "BESCHLOSSEN",
            bezeichnung: r.str(4)?,
            beschluss: r.opt_date(5)?,
        })
    })
    .collect()
}

/// The state (`ENTWURF`/`BESCHLOSSEN`) of a version, `None` if there is none.
pub fn version_status(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
) -> Result<Option<String>> {
    sql.query_opt(
        "SELECT status FROM fin_planversion WHERE mandant = ? AND jahr = ? AND version = ?",
        &params![mandant, jahr, version],
    )?
    .map(|r| r.str(0))
    .transpose()
}

/// A new draft version.
pub fn version_einfuegen(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    version: i64,
    nachtrag: i64,
    bezeichnung: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_planversion (mandant, jahr, version, nachtrag, status, bezeichnung, angelegt_von, angelegt_am) VALUES (?, ?, ?, ?, 'ENTWURF', ?, ?, ?)",
        &params![actor.mandant.as_str(), jahr, version, nachtrag, bezeichnung, actor.user.as_str(), actor.at],
    )?;
    Ok(())
}

/// Copy the Ansätze, VE and kameral Ansätze of version `von` into `nach`.
pub fn version_kopieren(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    von: i64,
    nach: i64,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_ansatz (mandant, jahr, version, produkt, konto, betrag, plan1, plan2, plan3) \
         SELECT mandant, jahr, ?, produkt, konto, betrag, plan1, plan2, plan3 FROM fin_ansatz WHERE mandant = ? AND jahr = ? AND version = ?",
        &params![nach, mandant, jahr, von],
    )?;
    sql.execute(
        "INSERT INTO fin_ve (mandant, jahr, version, massnahme, bezeichnung, produkt, konto, betrag, faellig1, faellig2, faellig3) \
         SELECT mandant, jahr, ?, massnahme, bezeichnung, produkt, konto, betrag, faellig1, faellig2, faellig3 FROM fin_ve WHERE mandant = ? AND jahr = ? AND version = ?",
        &params![nach, mandant, jahr, von],
    )?;
    sql.execute(
        "INSERT INTO fin_kameral_ansatz (mandant, jahr, version, gliederung, gruppierung, betrag) \
         SELECT mandant, jahr, ?, gliederung, gruppierung, betrag FROM fin_kameral_ansatz WHERE mandant = ? AND jahr = ? AND version = ?",
        &params![nach, mandant, jahr, von],
    )?;
    Ok(())
}

/// Adopt a version and move the year from planning to an adopted budget.
pub fn version_beschliessen(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
    datum: NaiveDate,
) -> Result<()> {
    sql.execute(
        "UPDATE fin_planversion SET status = 'BESCHLOSSEN', beschluss = ? WHERE mandant = ? AND jahr = ? AND version = ?",
        &params![datum, mandant, jahr, version],
    )?;
    sql.execute(
        "UPDATE fin_haushaltsjahr SET status = 'BESCHLOSSEN', beschluss = ? WHERE mandant = ? AND jahr = ? AND status IN ('PLANUNG', 'VORLAEUFIG')",
        &params![datum, mandant, jahr],
    )?;
    Ok(())
}

/// The amounts (Ansatz, planning years 1–3) of one position, in cents.
pub fn ansatz_werte(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
    produkt: &str,
    konto: &str,
) -> Result<Option<[i64; 4]>> {
    sql.query_opt(
        "SELECT betrag, plan1, plan2, plan3 FROM fin_ansatz WHERE mandant = ? AND jahr = ? AND version = ? AND produkt = ? AND konto = ?",
        &params![mandant, jahr, version, produkt, konto],
    )?
    .map(|r| Ok([r.i64(0)?, r.i64(1)?, r.i64(2)?, r.i64(3)?]))
    .transpose()
}

pub fn ansatz_loeschen(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
    produkt: &str,
    konto: &str,
) -> Result<()> {
    sql.execute(
        "DELETE FROM fin_ansatz WHERE mandant = ? AND jahr = ? AND version = ? AND produkt = ? AND konto = ?",
        &params![mandant, jahr, version, produkt, konto],
    )?;
    Ok(())
}

pub fn ansatz_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
    a: &Ansatz,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_ansatz (mandant, jahr, version, produkt, konto, betrag, plan1, plan2, plan3) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![
            mandant,
            jahr,
            version,
            a.produkt.as_str(),
            a.konto.as_str(),
            a.betrag.cents(),
            a.plan[0].cents(),
            a.plan[1].cents(),
            a.plan[2].cents()
        ],
    )?;
    Ok(())
}

pub fn ansaetze(sql: &mut dyn Sql, mandant: &str, jahr: i32, version: i64) -> Result<Vec<Ansatz>> {
    sql.query(
        "SELECT produkt, konto, betrag, plan1, plan2, plan3 FROM fin_ansatz WHERE mandant = ? AND jahr = ? AND version = ? ORDER BY produkt, konto",
        &params![mandant, jahr, version],
    )?
    .iter()
    .map(|r| {
        Ok(Ansatz {
            produkt: r.str(0)?,
            konto: r.str(1)?,
            betrag: Money::from_cents(r.i64(2)?),
            plan: [
                Money::from_cents(r.i64(3)?),
                Money::from_cents(r.i64(4)?),
                Money::from_cents(r.i64(5)?),
            ],
        })
    })
    .collect()
}

/// Insert or replace a VE of a version (by Maßnahme).
pub fn ve_schreiben(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
    ve: &Ve,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_ve (mandant, jahr, version, massnahme, bezeichnung, produkt, konto, betrag, faellig1, faellig2, faellig3) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (mandant, jahr, version, massnahme) DO UPDATE SET bezeichnung = excluded.bezeichnung, produkt = excluded.produkt, konto = excluded.konto, \
         betrag = excluded.betrag, faellig1 = excluded.faellig1, faellig2 = excluded.faellig2, faellig3 = excluded.faellig3",
        &params![
            mandant, jahr, version, ve.massnahme.as_str(), ve.bezeichnung.as_str(), ve.produkt.as_str(), ve.konto.as_str(),
            ve.betrag.cents(), ve.faellig[0].cents(), ve.faellig[1].cents(), ve.faellig[2].cents()
        ],
    )?;
    Ok(())
}

pub fn ves(sql: &mut dyn Sql, mandant: &str, jahr: i32, version: i64) -> Result<Vec<Ve>> {
    sql.query(
        "SELECT massnahme, bezeichnung, produkt, konto, betrag, faellig1, faellig2, faellig3 FROM fin_ve WHERE mandant = ? AND jahr = ? AND version = ? ORDER BY massnahme",
        &params![mandant, jahr, version],
    )?
    .iter()
    .map(|r| {
        Ok(Ve {
            massnahme: r.str(0)?,
            bezeichnung: r.str(1)?,
            produkt: r.str(2)?,
            konto: r.str(3)?,
            betrag: Money::from_cents(r.i64(4)?),
            faellig: [
                Money::from_cents(r.i64(5)?),
                Money::from_cents(r.i64(6)?),
                Money::from_cents(r.i64(7)?),
            ],
        })
    })
    .collect()
}

/// Create a Deckungsring or rename it.
pub fn deckungsring_schreiben(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    ring: &str,
    bezeichnung: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_deckungsring (mandant, jahr, ring, bezeichnung) VALUES (?, ?, ?, ?) ON CONFLICT (mandant, jahr, ring) DO UPDATE SET bezeichnung = excluded.bezeichnung",
        &params![mandant, jahr, ring, bezeichnung],
    )?;
    Ok(())
}

/// Add a position to a ring; a position in a ring already is a conflict.
pub fn deckungsring_position_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    ring: &str,
    produkt: &str,
    konto: &str,
    rolle: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_deckungsring_pos (mandant, jahr, ring, produkt, konto, rolle) VALUES (?, ?, ?, ?, ?, ?)",
        &params![mandant, jahr, ring, produkt, konto, rolle],
    )?;
    Ok(())
}

/// Haben − Soll per (Konto, Produkt) of a year without the Eröffnung.
pub fn ist_je_position(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
) -> Result<Vec<(String, String, i64)>> {
    sql.query(
        "SELECT konto, produkt, CAST(SUM(haben - soll) AS BIGINT) FROM fin_summe WHERE mandant = ? AND jahr = ? AND periode > 0 GROUP BY konto, produkt",
        &params![mandant, jahr],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.str(1)?, r.i64(2)?)))
    .collect()
}

/// One line of a plan: number, title, formula (empty for a value line).
pub struct Planzeile {
    pub zeile: i64,
    pub bezeichnung: String,
    pub formel: String,
}

pub fn planzeilen(sql: &mut dyn Sql, mandant: &str, plan: Plan) -> Result<Vec<Planzeile>> {
    sql.query(
        "SELECT zeile, bezeichnung, formel FROM fin_planzeile WHERE mandant = ? AND plan = ? ORDER BY zeile",
        &params![mandant, plan.code()],
    )?
    .iter()
    .map(|r| {
        Ok(Planzeile {
            zeile: r.i64(0)?,
            bezeichnung: r.str(1)?,
            formel: r.str(2)?,
        })
    })
    .collect()
}
