//! `fin_zahllauf` with its files `fin_zahllauf_datei` and items
//! `fin_zahllauf_posten` (migration `0220_finas_zahllauf.sql`), and the
//! Zahllauf's columns of `fin_kasse_einstellung`.

use chrono::NaiveDate;

use crate::core::error::Result;
use crate::core::money::Money;
use crate::finas::kasse::model::AnordnungArt;
use crate::finas::kasse::zahllauf::{Datei, Kandidat, LaufPosten, Zahllauf};
use crate::params;
use crate::store::{Sql, Value};

/// The pain.001 version code (`09`/`03`) and the pre-notification days.
pub fn einstellung(sql: &mut dyn Sql, mandant: &str) -> Result<Option<(String, i64)>> {
    sql.query_opt(
        "SELECT pain001_version, vorabankuendigung_tage FROM fin_kasse_einstellung WHERE mandant = ?",
        &params![mandant],
    )?
    .map(|r| Ok((r.str(0)?, r.i64(1)?)))
    .transpose()
}

pub fn einstellung_setzen(
    sql: &mut dyn Sql,
    mandant: &str,
    version: &str,
    tage: i64,
) -> Result<bool> {
    Ok(sql.execute(
        "UPDATE fin_kasse_einstellung SET pain001_version = ?, vorabankuendigung_tage = ? WHERE mandant = ?",
        &params![version, tage, mandant],
    )? == 1)
}

/// The open due dates of released Anordnungen due on or before `bis`
/// that are in no live run, by Anordnung and line.
pub fn kandidaten(sql: &mut dyn Sql, mandant: &str, bis: NaiveDate) -> Result<Vec<Kandidat>> {
    sql.query(
        "SELECT a.nr, a.art, a.partner, a.kassenzeichen, a.text, f.lfd, f.faellig, f.betrag - f.bezahlt - f.abgesetzt, a.iban, a.zweckcode \
         FROM fin_faelligkeit f JOIN fin_anordnung a ON a.mandant = f.mandant AND a.nr = f.anordnung \
         WHERE f.mandant = ? AND a.status = 'FREIGEGEBEN' AND f.faellig <= ? AND f.bezahlt + f.abgesetzt < f.betrag \
         AND NOT EXISTS (SELECT 1 FROM fin_zahllauf_posten z WHERE z.mandant = f.mandant \
         AND z.anordnung = f.anordnung AND z.lfd = f.lfd AND z.live = 1) \
         ORDER BY a.nr, f.lfd",
        &params![mandant, bis],
    )?
    .iter()
    .map(|r| {
        Ok(Kandidat {
            anordnung: r.i64(0)?,
            art: AnordnungArt::parse(&r.str(1)?)?,
            partner: r.i64(2)?,
            kassenzeichen: r.str(3)?,
            text: r.str(4)?,
            lfd: r.i64(5)?,
            faellig: r.date(6)?,
            betrag: Money::from_cents(r.i64(7)?),
            iban: r.opt_str(8)?,
            zweckcode: r.opt_str(9)?,
        })
    })
    .collect()
}

pub fn lauf_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    ausfuehrung: NaiveDate,
    user: &str,
    am: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_zahllauf (mandant, nr, ausfuehrung, status, erstellt_von, erstellt_am) VALUES (?, ?, ?, 'LIVE', ?, ?)",
        &params![mandant, nr, ausfuehrung, user, am],
    )?;
    Ok(())
}

pub fn datei_einfuegen(sql: &mut dyn Sql, mandant: &str, nr: i64, d: &Datei) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_zahllauf_datei (mandant, zahllauf, art, name, anzahl, summe, inhalt) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &params![
            mandant,
            nr,
            d.art.as_str(),
            d.name.as_str(),
            d.anzahl,
            d.summe.cents(),
            d.inhalt.as_str()
        ],
    )?;
    Ok(())
}

pub fn posten_einfuegen(sql: &mut dyn Sql, mandant: &str, nr: i64, p: &LaufPosten) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_zahllauf_posten (mandant, zahllauf, anordnung, lfd, betrag, referenz, art, mandat, sequenz, mandat_vorher, live) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        &[
            Value::from(mandant),
            Value::from(nr),
            Value::from(p.anordnung),
            Value::from(p.lfd),
            Value::from(p.betrag.cents()),
            Value::from(p.referenz.as_str()),
            Value::from(p.art.as_str()),
            Value::from(p.mandat.as_deref()),
            Value::from(p.sequenz.as_deref()),
            Value::from(p.mandat_vorher),
        ],
    )?;
    Ok(())
}

/// Set a mandate's last use (`None`: never used).
pub fn mandat_nutzung_setzen(
    sql: &mut dyn Sql,
    mandant: &str,
    referenz: &str,
    am: Option<NaiveDate>,
) -> Result<()> {
    sql.execute(
        "UPDATE fin_mandat SET letzte_nutzung = ? WHERE mandant = ? AND referenz = ?",
        &[Value::from(am), Value::from(mandant), Value::from(referenz)],
    )?;
    Ok(())
}

const LAUF_COLS: &str = "l.nr, l.ausfuehrung, l.status, l.erstellt_von, l.erstellt_am, l.storniert_von, l.storniert_am, \
     (SELECT COUNT(*) FROM fin_zahllauf_posten p WHERE p.mandant = l.mandant AND p.zahllauf = l.nr), \
     (SELECT COALESCE(SUM(p.betrag), 0) FROM fin_zahllauf_posten p WHERE p.mandant = l.mandant AND p.zahllauf = l.nr)";

fn lauf_from(r: &crate::store::Row) -> Result<Zahllauf> {
    Ok(Zahllauf {
        nr: r.i64(0)?,
        ausfuehrung: r.date(1)?,
        live: r.str(2)? == "LIVE",
        erstellt_von: r.str(3)?,
        erstellt_am: r.str(4)?,
        storniert_von: r.opt_str(5)?,
        storniert_am: r.opt_str(6)?,
        anzahl: r.i64(7)?,
        summe: Money::from_cents(r.i64(8)?),
    })
}

/// The runs, newest first.
pub fn laeufe(sql: &mut dyn Sql, mandant: &str, limit: usize) -> Result<Vec<Zahllauf>> {
    sql.query(
        &format!(
            "SELECT {LAUF_COLS} FROM fin_zahllauf l WHERE l.mandant = ? ORDER BY l.nr DESC LIMIT ?"
        ),
        &params![mandant, limit as i64],
    )?
    .iter()
    .map(lauf_from)
    .collect()
}

pub fn lauf(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Option<Zahllauf>> {
    sql.query_opt(
        &format!("SELECT {LAUF_COLS} FROM fin_zahllauf l WHERE l.mandant = ? AND l.nr = ?"),
        &params![mandant, nr],
    )?
    .map(|r| lauf_from(&r))
    .transpose()
}

pub fn posten(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Vec<LaufPosten>> {
    sql.query(
        "SELECT anordnung, lfd, betrag, referenz, art, mandat, sequenz, mandat_vorher FROM fin_zahllauf_posten \
         WHERE mandant = ? AND zahllauf = ? ORDER BY art, anordnung, lfd",
        &params![mandant, nr],
    )?
    .iter()
    .map(|r| {
        Ok(LaufPosten {
            anordnung: r.i64(0)?,
            lfd: r.i64(1)?,
            betrag: Money::from_cents(r.i64(2)?),
            referenz: r.str(3)?,
            art: r.str(4)?,
            mandat: r.opt_str(5)?,
            sequenz: r.opt_str(6)?,
            mandat_vorher: r.opt_date(7)?,
        })
    })
    .collect()
}

pub fn dateien(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Vec<Datei>> {
    sql.query(
        "SELECT art, name, anzahl, summe, inhalt FROM fin_zahllauf_datei WHERE mandant = ? AND zahllauf = ? ORDER BY art",
        &params![mandant, nr],
    )?
    .iter()
    .map(|r| {
        Ok(Datei {
            art: r.str(0)?,
            name: r.str(1)?,
            anzahl: r.i64(2)?,
            summe: Money::from_cents(r.i64(3)?),
            inhalt: r.str(4)?,
        })
    })
    .collect()
}

/// Cancel a live run: its items leave the live index. False if it was not live.
pub fn stornieren(sql: &mut dyn Sql, mandant: &str, nr: i64, user: &str, am: &str) -> Result<bool> {
    let n = sql.execute(
        "UPDATE fin_zahllauf SET status = 'STORNIERT', storniert_von = ?, storniert_am = ? \
         WHERE mandant = ? AND nr = ? AND status = 'LIVE'",
        &params![user, am, mandant, nr],
    )?;
    if n == 0 {
        return Ok(false);
    }
    sql.execute(
        "UPDATE fin_zahllauf_posten SET live = 0 WHERE mandant = ? AND zahllauf = ?",
        &params![mandant, nr],
    )?;
    Ok(true)
}
