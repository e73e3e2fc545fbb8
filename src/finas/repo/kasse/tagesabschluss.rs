//! `fin_tagesabschluss` and `fin_tagesabschluss_bestand` (migration
//! `0240_finas_tagesabschluss.sql`), and the journal reads of one day.

use chrono::NaiveDate;

use crate::core::error::Result;
use crate::core::money::Money;
use crate::finas::kasse::tagesabschluss::{Bestand, SachbuchZeile, ZeitbuchZeile};
use crate::params;
use crate::store::Sql;

/// The latest closed day of the Mandant.
pub fn letzter(sql: &mut dyn Sql, mandant: &str) -> Result<Option<NaiveDate>> {
    let r = sql.query_one(
        "SELECT MAX(datum) FROM fin_tagesabschluss WHERE mandant = ?",
        &params![mandant],
    )?;
    match r.opt_str(0)? {
        None => Ok(None),
        Some(_) => Ok(Some(r.date(0)?)),
    }
}

/// Whether exactly this day is closed.
pub fn abgeschlossen(sql: &mut dyn Sql, mandant: &str, datum: NaiveDate) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT datum FROM fin_tagesabschluss WHERE mandant = ? AND datum = ?",
            &params![mandant, datum],
        )?
        .is_some())
}

/// The earliest posting date after `nach` (exclusive, `None`: any) and
/// before `vor` (exclusive).
pub fn erster_buchungstag(
    sql: &mut dyn Sql,
    mandant: &str,
    nach: Option<NaiveDate>,
    vor: NaiveDate,
) -> Result<Option<NaiveDate>> {
    let r = match nach {
        Some(n) => sql.query_one(
            "SELECT MIN(datum) FROM fin_buchung WHERE mandant = ? AND datum > ? AND datum < ?",
            &params![mandant, n, vor],
        )?,
        None => sql.query_one(
            "SELECT MIN(datum) FROM fin_buchung WHERE mandant = ? AND datum < ?",
            &params![mandant, vor],
        )?,
    };
    match r.opt_str(0)? {
        None => Ok(None),
        Some(_) => Ok(Some(r.date(0)?)),
    }
}

/// The Zeitbuch of a day: every Buchung dated that day in order of number,
/// with its Soll and Haben accounts and the Kassenzeichen of the Anordnung
/// it posted (if any).
pub fn zeitbuch(sql: &mut dyn Sql, mandant: &str, datum: NaiveDate) -> Result<Vec<ZeitbuchZeile>> {
    let rows = sql.query(
        "SELECT b.nr, b.text, b.soll_summe, z.konto, z.soll, \
         (SELECT MIN(a.kassenzeichen) FROM fin_anordnung a WHERE a.mandant = b.mandant AND a.buchung = b.nr) \
         FROM fin_buchung b JOIN fin_buchungszeile z ON z.mandant = b.mandant AND z.buchung = b.nr \
         WHERE b.mandant = ? AND b.datum = ? ORDER BY b.nr, z.lfd",
        &params![mandant, datum],
    )?;
    let mut out: Vec<ZeitbuchZeile> = Vec::new();
    for r in &rows {
        let nr = r.i64(0)?;
        if out.last().is_none_or(|z| z.nr != nr) {
            out.push(ZeitbuchZeile {
                nr,
                text: r.str(1)?,
                soll_konten: Vec::new(),
                haben_konten: Vec::new(),
                betrag: Money::from_cents(r.i64(2)?),
                kassenzeichen: r.opt_str(5)?,
            });
        }
        let konto = r.str(3)?;
        if let Some(z) = out.last_mut() {
            let liste = if r.i64(4)? > 0 {
                &mut z.soll_konten
            } else {
                &mut z.haben_konten
            };
            if !liste.contains(&konto) {
                liste.push(konto);
            }
        }
    }
    Ok(out)
}

/// The Sachbuch of a day: Soll and Haben per Konto × Produkt.
pub fn sachbuch(sql: &mut dyn Sql, mandant: &str, datum: NaiveDate) -> Result<Vec<SachbuchZeile>> {
    let rows = sql.query(
        "SELECT z.konto, k.bezeichnung, COALESCE(z.produkt, ''), CAST(SUM(z.soll) AS BIGINT), CAST(SUM(z.haben) AS BIGINT) \
         FROM fin_buchungszeile z JOIN fin_buchung b ON b.mandant = z.mandant AND b.nr = z.buchung \
         JOIN fin_konto k ON k.mandant = z.mandant AND k.nr = z.konto \
         WHERE b.mandant = ? AND b.datum = ? \
         GROUP BY z.konto, k.bezeichnung, COALESCE(z.produkt, '') ORDER BY z.konto, COALESCE(z.produkt, '')",
        &params![mandant, datum],
    )?;
    rows.iter()
        .map(|r| {
            let produkt = r.str(2)?;
            Ok(SachbuchZeile {
                konto: r.str(0)?,
                bezeichnung: r.str(1)?,
                produkt: (!produkt.is_empty()).then_some(produkt),
                soll: Money::from_cents(r.i64(3)?),
                haben: Money::from_cents(r.i64(4)?),
            })
        })
        .collect()
}

/// The balance (Soll − Haben) of a Konto over the year's postings up to and
/// including `datum` (the Eröffnungsbuchung carries the previous year in).
pub fn saldo_bis(sql: &mut dyn Sql, mandant: &str, konto: &str, datum: NaiveDate) -> Result<Money> {
    use chrono::Datelike;
    let r = sql.query_one(
        "SELECT COALESCE(CAST(SUM(z.soll - z.haben) AS BIGINT), 0) FROM fin_buchungszeile z \
         JOIN fin_buchung b ON b.mandant = z.mandant AND b.nr = z.buchung \
         WHERE z.mandant = ? AND z.jahr = ? AND z.konto = ? AND b.datum <= ?",
        &params![mandant, datum.year(), konto, datum],
    )?;
    Ok(Money::from_cents(r.i64(0)?))
}

/// The movement (Soll − Haben and whether any line) of a Konto on one day.
pub fn bewegt(sql: &mut dyn Sql, mandant: &str, konto: &str, datum: NaiveDate) -> Result<bool> {
    let r = sql.query_one(
        "SELECT COUNT(*) FROM fin_buchungszeile z JOIN fin_buchung b ON b.mandant = z.mandant AND b.nr = z.buchung \
         WHERE z.mandant = ? AND z.konto = ? AND b.datum = ?",
        &params![mandant, konto, datum],
    )?;
    Ok(r.i64(0)? > 0)
}

/// Record a closed day with its stored figures.
#[allow(clippy::too_many_arguments)]
pub fn schreiben(
    sql: &mut dyn Sql,
    mandant: &str,
    datum: NaiveDate,
    von: &str,
    am: &str,
    buchungen: usize,
    summe: Money,
    bestaende: &[Bestand],
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_tagesabschluss (mandant, datum, abgeschlossen_von, abgeschlossen_am, buchungen, soll_summe, haben_summe) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        &params![mandant, datum, von, am, buchungen, summe.cents(), summe.cents()],
    )?;
    for b in bestaende {
        sql.execute(
            "INSERT INTO fin_tagesabschluss_bestand (mandant, datum, iban, konto, bestand, auszug) VALUES (?, ?, ?, ?, ?, ?)",
            &params![
                mandant,
                datum,
                b.iban.as_str(),
                b.konto.as_str(),
                b.bestand.cents(),
                b.auszug.map(|m| m.cents())
            ],
        )?;
    }
    Ok(())
}
