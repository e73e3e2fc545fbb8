//! Stundungen with their deferred due dates and instalments, Niederschlagungen
//! and Erlasse (migration `0270_finas_mahnwesen.sql`).

use chrono::NaiveDate;

use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::finas::mahnwesen::model::{
    Erlass, Niederschlagung, NiederschlagungArt, Rate, Stundung, StundungStatus,
};
use crate::params;
use crate::store::{Row, Sql, Value};

pub fn einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    s: &Stundung,
    buchung: Option<i64>,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_stundung (mandant, id, anordnung, beginn, grund, zinsen, zinsfrei_grund, status, buchung, \
         erfasst_von, erfasst_am) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            mandant.into(),
            s.id.into(),
            s.anordnung.into(),
            s.beginn.into(),
            s.grund.as_str().into(),
            s.zinsen.cents().into(),
            Value::from(s.zinsfrei_grund.as_deref()),
            s.status.code().into(),
            Value::from(buchung),
            s.erfasst_von.as_str().into(),
            s.erfasst_am.as_str().into(),
        ],
    )?;
    Ok(())
}

/// Record that the Stundung took `betrag` of due date `lfd`.
pub fn posten_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    stundung: i64,
    anordnung: i64,
    lfd: i64,
    betrag: Money,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_stundung_posten (mandant, stundung, anordnung, lfd, betrag) VALUES (?, ?, ?, ?, ?)",
        &params![mandant, stundung, anordnung, lfd, betrag.cents()],
    )?;
    Ok(())
}

pub fn rate_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    stundung: i64,
    anordnung: i64,
    r: &Rate,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_stundung_rate (mandant, stundung, nr, anordnung, lfd, monate, zinsen) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &params![mandant, stundung, r.nr, anordnung, r.lfd, r.monate, r.zinsen.cents()],
    )?;
    Ok(())
}

/// Months and interest of an instalment counted anew (Terminverlust).
pub fn rate_setzen(sql: &mut dyn Sql, mandant: &str, stundung: i64, r: &Rate) -> Result<()> {
    sql.execute(
        "UPDATE fin_stundung_rate SET monate = ?, zinsen = ? WHERE mandant = ? AND stundung = ? AND nr = ?",
        &params![r.monate, r.zinsen.cents(), mandant, stundung, r.nr],
    )?;
    Ok(())
}

const SPALTEN: &str = "s.id, s.anordnung, a.kassenzeichen, s.beginn, s.grund, s.zinsen, s.zinsfrei_grund, s.status, \
     s.erfasst_von, s.erfasst_am, s.beendet_von, s.beendet_am, s.beendet_grund";

fn aus(r: &Row) -> Result<Stundung> {
    Ok(Stundung {
        id: r.i64(0)?,
        anordnung: r.i64(1)?,
        kassenzeichen: r.str(2)?,
        beginn: r.date(3)?,
        grund: r.str(4)?,
        zinsen: Money::from_cents(r.i64(5)?),
        zinsfrei_grund: r.opt_str(6)?,
        status: StundungStatus::parse(&r.str(7)?)?,
        erfasst_von: r.str(8)?,
        erfasst_am: r.str(9)?,
        beendet_von: r.opt_str(10)?,
        beendet_am: r.opt_str(11)?,
        beendet_grund: r.opt_str(12)?,
        raten: Vec::new(),
    })
}

fn mit_raten(sql: &mut dyn Sql, mandant: &str, mut s: Stundung) -> Result<Stundung> {
    s.raten = sql
        .query(
            "SELECT r.nr, r.lfd, f.faellig, f.betrag - f.abgesetzt, f.bezahlt, r.monate, r.zinsen \
             FROM fin_stundung_rate r JOIN fin_faelligkeit f ON f.mandant = r.mandant AND f.anordnung = r.anordnung AND f.lfd = r.lfd \
             WHERE r.mandant = ? AND r.stundung = ? ORDER BY r.nr",
            &params![mandant, s.id],
        )?
        .iter()
        .map(|r| {
            Ok(Rate {
                nr: r.i64(0)?,
                lfd: r.i64(1)?,
                faellig: r.date(2)?,
                betrag: Money::from_cents(r.i64(3)?),
                bezahlt: Money::from_cents(r.i64(4)?),
                monate: r.i64(5)?,
                zinsen: Money::from_cents(r.i64(6)?),
            })
        })
        .collect::<Result<_>>()?;
    Ok(s)
}

fn waehlen(
    sql: &mut dyn Sql,
    mandant: &str,
    wo: &str,
    mut werte: Vec<Value>,
) -> Result<Vec<Stundung>> {
    werte.insert(0, mandant.into());
    let zeilen = sql.query(
        &format!(
            "SELECT {SPALTEN} FROM fin_stundung s JOIN fin_anordnung a ON a.mandant = s.mandant AND a.nr = s.anordnung \
             WHERE s.mandant = ? {wo} ORDER BY s.id DESC"
        ),
        &werte,
    )?;
    let mut out = Vec::with_capacity(zeilen.len());
    for r in zeilen.iter() {
        let s = aus(r)?;
        out.push(mit_raten(sql, mandant, s)?);
    }
    Ok(out)
}

pub fn lesen(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<Stundung> {
    waehlen(sql, mandant, "AND s.id = ?", vec![id.into()])?
        .pop()
        .ok_or_else(|| KisError::NotFound(format!("Stundung {id} ist nicht vorhanden.")))
}

/// The Stundungen in force.
pub fn aktive(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Stundung>> {
    waehlen(sql, mandant, "AND s.status = 'AKTIV'", Vec::new())
}

/// Every Stundung, newest first (of one Anordnung when given).
pub fn liste(sql: &mut dyn Sql, mandant: &str, anordnung: Option<i64>) -> Result<Vec<Stundung>> {
    match anordnung {
        Some(nr) => waehlen(sql, mandant, "AND s.anordnung = ?", vec![nr.into()]),
        None => waehlen(sql, mandant, "", Vec::new()),
    }
}

/// End a Stundung in force (`wer`: user and time stamp); false when it is
/// no longer in force.
pub fn beenden(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    status: StundungStatus,
    (von, am): (&str, &str),
    grund: &str,
    zinsen: Money,
) -> Result<bool> {
    let n = sql.execute(
        "UPDATE fin_stundung SET status = ?, beendet_von = ?, beendet_am = ?, beendet_grund = ?, zinsen = ? \
         WHERE mandant = ? AND id = ? AND status = 'AKTIV'",
        &params![status.code(), von, am, grund, zinsen.cents(), mandant, id],
    )?;
    Ok(n == 1)
}

pub fn niederschlagung_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    n: &Niederschlagung,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_niederschlagung (mandant, id, anordnung, art, bis, betrag, grund, buchung, erfasst_von, erfasst_am) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            mandant.into(),
            n.id.into(),
            n.anordnung.into(),
            n.art.code().into(),
            Value::from(n.bis),
            n.betrag.cents().into(),
            n.grund.as_str().into(),
            Value::from(n.buchung),
            n.erfasst_von.as_str().into(),
            n.erfasst_am.as_str().into(),
        ],
    )?;
    Ok(())
}

fn niederschlagung_aus(r: &Row) -> Result<Niederschlagung> {
    Ok(Niederschlagung {
        id: r.i64(0)?,
        anordnung: r.i64(1)?,
        art: NiederschlagungArt::parse(&r.str(2)?)?,
        bis: r.opt_date(3)?,
        betrag: Money::from_cents(r.i64(4)?),
        grund: r.str(5)?,
        buchung: r.opt_i64(6)?,
        erfasst_von: r.str(7)?,
        erfasst_am: r.str(8)?,
        wieder_von: r.opt_str(9)?,
        wieder_am: r.opt_str(10)?,
        wieder_grund: r.opt_str(11)?,
        wieder_buchung: r.opt_i64(12)?,
    })
}

const NS_SPALTEN: &str = "id, anordnung, art, bis, betrag, grund, buchung, erfasst_von, erfasst_am, wieder_von, \
     wieder_am, wieder_grund, wieder_buchung";

pub fn niederschlagung(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<Niederschlagung> {
    sql.query_opt(
        &format!("SELECT {NS_SPALTEN} FROM fin_niederschlagung WHERE mandant = ? AND id = ?"),
        &params![mandant, id],
    )?
    .map(|r| niederschlagung_aus(&r))
    .transpose()?
    .ok_or_else(|| KisError::NotFound(format!("Niederschlagung {id} ist nicht vorhanden.")))
}

/// Niederschlagungen, newest first (of one Anordnung when given).
pub fn niederschlagungen(
    sql: &mut dyn Sql,
    mandant: &str,
    anordnung: Option<i64>,
) -> Result<Vec<Niederschlagung>> {
    let (wo, werte): (&str, Vec<Value>) = match anordnung {
        Some(nr) => ("AND anordnung = ?", vec![mandant.into(), nr.into()]),
        None => ("", vec![mandant.into()]),
    };
    sql.query(
        &format!(
            "SELECT {NS_SPALTEN} FROM fin_niederschlagung WHERE mandant = ? {wo} ORDER BY id DESC"
        ),
        &werte,
    )?
    .iter()
    .map(niederschlagung_aus)
    .collect()
}

/// Revive a Niederschlagung; false when it was revived meanwhile.
pub fn wiederaufnehmen(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    von: &str,
    am: &str,
    grund: &str,
    buchung: Option<i64>,
) -> Result<bool> {
    let n = sql.execute(
        "UPDATE fin_niederschlagung SET wieder_von = ?, wieder_am = ?, wieder_grund = ?, wieder_buchung = ? \
         WHERE mandant = ? AND id = ? AND wieder_am IS NULL",
        &[
            von.into(),
            am.into(),
            grund.into(),
            Value::from(buchung),
            mandant.into(),
            id.into(),
        ],
    )?;
    Ok(n == 1)
}

pub fn erlass_einfuegen(sql: &mut dyn Sql, mandant: &str, e: &Erlass) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_erlass (mandant, id, anordnung, lfd, betrag, grund, buchung, erfasst_von, erfasst_am) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![
            mandant,
            e.id,
            e.anordnung,
            e.lfd,
            e.betrag.cents(),
            e.grund.as_str(),
            e.buchung,
            e.erfasst_von.as_str(),
            e.erfasst_am.as_str()
        ],
    )?;
    Ok(())
}

/// Erlasse, newest first (of one Anordnung when given).
pub fn erlasse(sql: &mut dyn Sql, mandant: &str, anordnung: Option<i64>) -> Result<Vec<Erlass>> {
    let (wo, werte): (&str, Vec<Value>) = match anordnung {
        Some(nr) => ("AND anordnung = ?", vec![mandant.into(), nr.into()]),
        None => ("", vec![mandant.into()]),
    };
    sql.query(
        &format!(
            "SELECT id, anordnung, lfd, betrag, grund, buchung, erfasst_von, erfasst_am FROM fin_erlass \
             WHERE mandant = ? {wo} ORDER BY id DESC"
        ),
        &werte,
    )?
    .iter()
    .map(|r| {
        Ok(Erlass {
            id: r.i64(0)?,
            anordnung: r.i64(1)?,
            lfd: r.i64(2)?,
            betrag: Money::from_cents(r.i64(3)?),
            grund: r.str(4)?,
            buchung: r.i64(5)?,
            erfasst_von: r.str(6)?,
            erfasst_am: r.str(7)?,
        })
    })
    .collect()
}

/// Whether Anordnung `nr` is under a Niederschlagung on `am` (not revived;
/// unbefristet, or befristet up to a day not passed).
pub fn niedergeschlagen(sql: &mut dyn Sql, mandant: &str, nr: i64, am: NaiveDate) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM fin_niederschlagung WHERE mandant = ? AND anordnung = ? AND wieder_am IS NULL \
             AND (art = 'U' OR bis >= ?)",
            &params![mandant, nr, am],
        )?
        .is_some())
}
