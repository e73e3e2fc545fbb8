//! The journal as the ledger export reads it: accounts in use and the
//! postings line by line.

use crate::core::error::Result;
use crate::finas::ledger::ExportZeile;
use crate::params;
use crate::store::Sql;

/// Number and name of the accounts with totals in a year, by number.
pub fn konten_im_jahr(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
) -> Result<Vec<(String, String)>> {
    sql.query(
        "SELECT nr, bezeichnung FROM fin_konto WHERE mandant = ? AND nr IN (SELECT DISTINCT konto FROM fin_summe WHERE mandant = ? AND jahr = ?) ORDER BY nr",
        &params![mandant, mandant, jahr],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.str(1)?)))
    .collect()
}

/// Stream the lines of a year's Buchungen in journal order to `f`.
pub fn zeilen(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    f: &mut dyn FnMut(ExportZeile) -> Result<()>,
) -> Result<()> {
    sql.for_each(
        "SELECT b.nr, b.datum, b.beleg, b.text, b.periode, b.storno_von, z.konto, z.produkt, z.soll, z.haben \
         FROM fin_buchung b JOIN fin_buchungszeile z ON z.mandant = b.mandant AND z.buchung = b.nr \
         WHERE b.mandant = ? AND b.jahr = ? ORDER BY b.nr, z.lfd",
        &params![mandant, jahr],
        &mut |r| {
            f(ExportZeile {
                nr: r.i64(0)?,
                datum: r.str(1)?,
                beleg: r.str(2)?,
                text: r.str(3)?,
                periode: r.i64(4)?,
                storno_von: r.opt_i64(5)?,
                konto: r.str(6)?,
                produkt: r.opt_str(7)?,
                soll: r.i64(8)?,
                haben: r.i64(9)?,
            })
        },
    )
}
