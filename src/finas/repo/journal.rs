//! The journal's rows: Buchungen, their lines, the Nummernkreise and the
//! per-account totals.

use std::collections::BTreeMap;

use crate::core::error::Result;
use crate::core::money::Money;
use crate::finas::journal::{Buchung, Geprueft, KontenblattZeile, Summen, Zeile};
use crate::kernel::audit::Actor;
use crate::params;
use crate::store::{Sql, Value};

/// Column lists of the journal tables, shared by single and bulk inserts.
const BUCHUNG_COLS: &str = "mandant, nr, jahr, periode, datum, beleg, text, storno_von, erfasst_von, erfasst_am, zeilen, soll_summe, haben_summe";
const ZEILE_COLS: &str = "mandant, buchung, lfd, lfd_vor, zeilen, summe, jahr, konto, produkt, kostenstelle, soll, haben, soll_vor, haben_vor, soll_kum, haben_kum";

/// The key of the per-account totals: (Konto, Produkt, Periode).
pub type Summenschluessel = (String, String, i64);
/// Per-account totals as key → (Soll, Haben).
pub type Summenliste = BTreeMap<Summenschluessel, (i64, i64)>;

/// Reserve `n` consecutive numbers of a Nummernkreis; returns the first.
pub fn nummern(sql: &mut dyn Sql, mandant: &str, art: &str, n: i64) -> Result<i64> {
    if let Some(r) = sql.query_opt(
        "UPDATE fin_nummernkreis SET letzte = letzte + ? WHERE mandant = ? AND art = ? RETURNING letzte",
        &params![n, mandant, art],
    )? {
        return Ok(r.i64(0)? - n + 1);
    }
    sql.execute(
        "INSERT INTO fin_nummernkreis (mandant, art, letzte) VALUES (?, ?, ?)",
        &params![mandant, art, n],
    )?;
    Ok(1)
}

/// Write the header rows of checked Buchungen (number, Buchung), at most
/// `chunk` rows per statement.
pub fn koepfe_schreiben(
    sql: &mut dyn Sql,
    actor: &Actor,
    buchungen: &[(i64, &Geprueft)],
    storno_von: Option<i64>,
    chunk: usize,
) -> Result<()> {
    let at = actor.at.format("%Y-%m-%dT%H:%M:%S").to_string();
    let rows: Vec<Vec<Value>> = buchungen
        .iter()
        .map(|(nr, g)| {
            params![
                actor.mandant.as_str(),
                *nr,
                g.jahr,
                g.periode,
                g.datum,
                g.beleg.as_str(),
                g.text.as_str(),
                storno_von,
                actor.user.as_str(),
                at.as_str(),
                g.zeilen.len(),
                g.summe,
                g.summe
            ]
        })
        .collect();
    insert_rows(sql, "fin_buchung", BUCHUNG_COLS, &rows, chunk)
}

/// Write the line rows of checked Buchungen with their running totals.
pub fn zeilen_schreiben(
    sql: &mut dyn Sql,
    mandant: &str,
    buchungen: &[(i64, &Geprueft)],
    chunk: usize,
) -> Result<()> {
    let mut rows = Vec::new();
    for (nr, g) in buchungen {
        let (mut sv, mut hv) = (0i64, 0i64);
        let n = g.zeilen.len() as i64;
        for (i, (k, z)) in g.zeilen.iter().enumerate() {
            let lfd = i as i64 + 1;
            let (s, h) = (z.soll.cents(), z.haben.cents());
            rows.push(params![
                mandant,
                *nr,
                lfd,
                if lfd == 1 { None } else { Some(lfd - 1) },
                n,
                g.summe,
                g.jahr,
                k.nr.as_str(),
                z.produkt.as_deref(),
                z.kostenstelle.as_deref(),
                s,
                h,
                sv,
                hv,
                sv + s,
                hv + h
            ]);
            sv += s;
            hv += h;
        }
    }
    insert_rows(sql, "fin_buchungszeile", ZEILE_COLS, &rows, chunk)
}

/// Insert rows with multi-row `INSERT … VALUES (…), (…)` statements of at
/// most `chunk` rows (fewer round trips on PostgreSQL).
fn insert_rows(
    sql: &mut dyn Sql,
    table: &str,
    cols: &str,
    rows: &[Vec<Value>],
    chunk: usize,
) -> Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let one = format!("({})", vec!["?"; first.len()].join(", "));
    for part in rows.chunks(chunk.max(1)) {
        let values = vec![one.as_str(); part.len()].join(", ");
        let params: Vec<Value> = part.iter().flatten().cloned().collect();
        sql.execute(
            &format!("INSERT INTO {table} ({cols}) VALUES {values}"),
            &params,
        )?;
    }
    Ok(())
}

/// Add totals to the per-account table (upsert; the row lock on PostgreSQL
/// serialises concurrent postings to the same account and period).
pub fn summen_schreiben(sql: &mut dyn Sql, mandant: &str, jahr: i32, s: &Summen) -> Result<()> {
    for ((konto, produkt, periode), (soll, haben)) in s {
        sql.execute(
            "INSERT INTO fin_summe (mandant, jahr, konto, produkt, periode, soll, haben) VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (mandant, jahr, konto, produkt, periode) DO UPDATE SET soll = fin_summe.soll + excluded.soll, haben = fin_summe.haben + excluded.haben",
            &params![mandant, jahr, konto.as_str(), produkt.as_str(), *periode, *soll, *haben],
        )?;
    }
    Ok(())
}

/// One Buchung with its lines and its Storno reference both ways.
pub fn lesen(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Option<Buchung>> {
    let Some(h) = sql.query_opt(
        "SELECT b.nr, b.jahr, b.periode, b.datum, b.beleg, b.text, b.storno_von, s.nr, b.erfasst_von, b.erfasst_am, b.soll_summe \
         FROM fin_buchung b LEFT JOIN fin_buchung s ON s.mandant = b.mandant AND s.storno_von = b.nr \
         WHERE b.mandant = ? AND b.nr = ?",
        &params![mandant, nr],
    )?
    else {
        return Ok(None);
    };
    let zeilen = sql
        .query(
            "SELECT z.lfd, z.konto, k.bezeichnung, z.produkt, z.kostenstelle, z.soll, z.haben FROM fin_buchungszeile z \
             JOIN fin_konto k ON k.mandant = z.mandant AND k.nr = z.konto WHERE z.mandant = ? AND z.buchung = ? ORDER BY z.lfd",
            &params![mandant, nr],
        )?
        .iter()
        .map(|r| {
            Ok(Zeile {
                lfd: r.i64(0)?,
                konto: r.str(1)?,
                konto_bezeichnung: r.str(2)?,
                produkt: r.opt_str(3)?,
                kostenstelle: r.opt_str(4)?,
                soll: Money::from_cents(r.i64(5)?),
                haben: Money::from_cents(r.i64(6)?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Buchung {
        nr: h.i64(0)?,
        jahr: h.i64(1)? as i32,
        periode: h.i64(2)? as u8,
        datum: h.date(3)?,
        beleg: h.str(4)?,
        text: h.str(5)?,
        storno_von: h.opt_i64(6)?,
        storniert_durch: h.opt_i64(7)?,
        erfasst_von: h.str(8)?,
        erfasst_am: h.str(9)?,
        summe: Money::from_cents(h.i64(10)?),
        zeilen,
    }))
}

/// The lines of one account in a year in journal order, at most `limit`
/// from `offset`, with the running balance that starts with everything
/// before the page.
pub fn kontenblatt(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    konto: &str,
    offset: usize,
    limit: usize,
) -> Result<Vec<KontenblattZeile>> {
    let mut saldo = if offset == 0 {
        0
    } else {
        sql.query_one(
            "SELECT COALESCE(CAST(SUM(soll - haben) AS BIGINT), 0) FROM (SELECT z.soll, z.haben FROM fin_buchungszeile z \
             WHERE z.mandant = ? AND z.jahr = ? AND z.konto = ? ORDER BY z.buchung, z.lfd LIMIT ?) t",
            &params![mandant, jahr, konto, offset],
        )?
        .i64(0)?
    };
    let rows = sql.query(
        "SELECT b.nr, b.datum, b.periode, b.beleg, b.text, z.produkt, z.soll, z.haben FROM fin_buchungszeile z \
         JOIN fin_buchung b ON b.mandant = z.mandant AND b.nr = z.buchung \
         WHERE z.mandant = ? AND z.jahr = ? AND z.konto = ? ORDER BY z.buchung, z.lfd LIMIT ? OFFSET ?",
        &params![mandant, jahr, konto, limit, offset],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let (s, h) = (r.i64(6)?, r.i64(7)?);
        saldo += s - h;
        out.push(KontenblattZeile {
            nr: r.i64(0)?,
            datum: r.date(1)?,
            periode: r.i64(2)? as u8,
            beleg: r.str(3)?,
            text: r.str(4)?,
            produkt: r.opt_str(5)?,
            soll: Money::from_cents(s),
            haben: Money::from_cents(h),
            saldo: Money::from_cents(saldo),
        });
    }
    Ok(out)
}

/// The totals of a year recomputed from the journal lines.
pub fn summen_aus_journal(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Summenliste> {
    let mut ist = Summenliste::new();
    sql.for_each(
        "SELECT z.konto, COALESCE(z.produkt, ''), b.periode, CAST(SUM(z.soll) AS BIGINT), CAST(SUM(z.haben) AS BIGINT) \
         FROM fin_buchungszeile z JOIN fin_buchung b ON b.mandant = z.mandant AND b.nr = z.buchung \
         WHERE z.mandant = ? AND z.jahr = ? GROUP BY z.konto, COALESCE(z.produkt, ''), b.periode",
        &params![mandant, jahr],
        &mut |r| {
            ist.insert((r.str(0)?, r.str(1)?, r.i64(2)?), (r.i64(3)?, r.i64(4)?));
            Ok(())
        },
    )?;
    Ok(ist)
}

/// The totals of a year as stored in the per-account table, in the table's
/// order.
pub fn summen_gespeichert(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
) -> Result<Vec<(Summenschluessel, (i64, i64))>> {
    let mut gespeichert = Vec::new();
    sql.for_each(
        "SELECT konto, produkt, periode, soll, haben FROM fin_summe WHERE mandant = ? AND jahr = ?",
        &params![mandant, jahr],
        &mut |r| {
            gespeichert.push(((r.str(0)?, r.str(1)?, r.i64(2)?), (r.i64(3)?, r.i64(4)?)));
            Ok(())
        },
    )?;
    Ok(gespeichert)
}
