//! Rows of the FINAS interface: which Buchung a run posted, what its
//! liability lines stand for and the Auszahlungsanordnungen.

use crate::core::error::Result;
use crate::core::money::Money;
use crate::params;
use crate::persos::finas::{Auszahlung, Verbindlichkeit, VerbindlichkeitZeile};
use crate::persos::laufdaten::Monat;
use crate::store::{BulkInsert, Sql};

/// The Buchung of a run and the budget warnings it gave.
pub fn buchung_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
    buchung: i64,
    warnungen: &[String],
) -> Result<()> {
    sql.execute(
        "INSERT INTO persos_buchung (mandant, monat, lauf_nr, buchung, storno, warnungen) VALUES (?, ?, ?, ?, NULL, ?)",
        &params![mandant, m.key(), lauf_nr, buchung, warnungen.join("\n")],
    )?;
    Ok(())
}

/// The Buchung of a run and its warnings, one per line; `None` for a run
/// from before the interface.
pub fn buchung(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
) -> Result<Option<(i64, String)>> {
    sql.query_opt(
        "SELECT buchung, warnungen FROM persos_buchung WHERE mandant = ? AND monat = ? AND lauf_nr = ?",
        &params![mandant, m.key(), lauf_nr],
    )?
    .map(|r| Ok((r.i64(0)?, r.str(1)?)))
    .transpose()
}

/// The Buchung of a run that is not reversed yet.
pub fn buchung_offen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT buchung FROM persos_buchung WHERE mandant = ? AND monat = ? AND lauf_nr = ? AND storno IS NULL",
        &params![mandant, m.key(), lauf_nr],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

pub fn storno_vermerken(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
    storno: i64,
) -> Result<()> {
    sql.execute(
        "UPDATE persos_buchung SET storno = ? WHERE mandant = ? AND monat = ? AND lauf_nr = ?",
        &params![storno, mandant, m.key(), lauf_nr],
    )?;
    Ok(())
}

pub fn verbindlichkeiten_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
    zeilen: &[VerbindlichkeitZeile],
) -> Result<()> {
    let mut bulk = BulkInsert::new(
        "persos_verbindlichkeit",
        &[
            "mandant",
            "monat",
            "lauf_nr",
            "lfd",
            "art",
            "glaeubiger",
            "name",
            "konto",
            "betrag",
        ],
    )?;
    for z in zeilen {
        bulk.push(
            sql,
            params![
                mandant,
                m.key(),
                lauf_nr,
                z.lfd,
                z.art.code(),
                z.glaeubiger.as_str(),
                z.name.as_str(),
                z.konto.as_str(),
                z.betrag.cents()
            ],
        )?;
    }
    bulk.finish(sql)?;
    Ok(())
}

pub fn verbindlichkeiten(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
) -> Result<Vec<VerbindlichkeitZeile>> {
    sql.query(
        "SELECT lfd, art, glaeubiger, name, konto, betrag FROM persos_verbindlichkeit WHERE mandant = ? AND monat = ? AND lauf_nr = ? ORDER BY lfd",
        &params![mandant, m.key(), lauf_nr],
    )?
    .iter()
    .map(|r| {
        Ok(VerbindlichkeitZeile {
            lfd: r.i64(0)?,
            art: Verbindlichkeit::parse(&r.str(1)?)?,
            glaeubiger: r.str(2)?,
            name: r.str(3)?,
            konto: r.str(4)?,
            betrag: Money::from_cents(r.i64(5)?),
        })
    })
    .collect()
}

/// The Auszahlungsanordnungen of a run; returns how many were written.
pub fn auszahlungen_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
    auszahlungen: &[Auszahlung],
) -> Result<u64> {
    let mut bulk = BulkInsert::new(
        "persos_auszahlung",
        &[
            "mandant",
            "monat",
            "lauf_nr",
            "personalnummer",
            "name",
            "iban",
            "betrag",
        ],
    )?;
    for a in auszahlungen {
        bulk.push(
            sql,
            params![
                mandant,
                m.key(),
                lauf_nr,
                a.personalnummer.as_str(),
                a.name.as_str(),
                a.iban.as_str(),
                a.betrag.cents()
            ],
        )?;
    }
    bulk.finish(sql)
}

pub fn auszahlungen(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
) -> Result<Vec<Auszahlung>> {
    sql.query(
        "SELECT personalnummer, name, iban, betrag FROM persos_auszahlung WHERE mandant = ? AND monat = ? AND lauf_nr = ? ORDER BY personalnummer",
        &params![mandant, m.key(), lauf_nr],
    )?
    .iter()
    .map(|r| {
        Ok(Auszahlung {
            personalnummer: r.str(0)?,
            name: r.str(1)?,
            iban: r.str(2)?,
            betrag: Money::from_cents(r.i64(3)?),
        })
    })
    .collect()
}
