//! FINAS master data rows: settings, Haushaltsjahre and periods, accounts,
//! Produkte, Kostenstellen, plan lines, Bilanz positions and the kameral
//! Gliederung/Gruppierung.

use crate::core::error::Result;
use crate::finas::stamm::{JahrStatus, Konto, KontoTyp, ListTable, Produkt};
use crate::params;
use crate::store::{Row, Sql};

const KONTO_COLS: &str = "nr, bezeichnung, klasse, typ, zeile, finanzkonto";

fn konto_from_row(r: &Row) -> Result<Konto> {
    Ok(Konto {
        nr: r.str(0)?,
        bezeichnung: r.str(1)?,
        klasse: r.i64(2)? as u8,
        typ: KontoTyp::parse(&r.str(3)?)?,
        zeile: r.str(4)?,
        finanzkonto: r.opt_str(5)?,
    })
}

fn produkt_from_row(r: &Row) -> Result<Produkt> {
    Ok(Produkt {
        nr: r.str(0)?,
        bezeichnung: r.str(1)?,
        ebene: r.i64(2)? as u8,
        verantwortlich: r.str(3)?,
    })
}

pub fn konto(sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<Option<Konto>> {
    sql.query_opt(
        &format!("SELECT {KONTO_COLS} FROM fin_konto WHERE mandant = ? AND nr = ?"),
        &params![mandant, nr],
    )?
    .as_ref()
    .map(konto_from_row)
    .transpose()
}

/// All accounts of the Mandant, by number.
pub fn konten(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Konto>> {
    sql.query(
        &format!("SELECT {KONTO_COLS} FROM fin_konto WHERE mandant = ? ORDER BY nr"),
        &params![mandant],
    )?
    .iter()
    .map(konto_from_row)
    .collect()
}

/// The number of the account with an Abschluss role (EBK, FRK, …).
pub fn abschlusskonto(sql: &mut dyn Sql, mandant: &str, rolle: &str) -> Result<Option<String>> {
    sql.query_opt(
        "SELECT nr FROM fin_konto WHERE mandant = ? AND typ = 'A' AND zeile = ?",
        &params![mandant, rolle],
    )?
    .map(|r| r.str(0))
    .transpose()
}

pub fn konto_einfuegen(sql: &mut dyn Sql, mandant: &str, k: &Konto) -> Result<()> {
    sql.execute(
        &format!("INSERT INTO fin_konto (mandant, {KONTO_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        &params![
            mandant,
            k.nr.as_str(),
            k.bezeichnung.as_str(),
            i64::from(k.klasse),
            k.typ.code(),
            k.zeile.as_str(),
            k.finanzkonto.as_deref()
        ],
    )?;
    Ok(())
}

/// The side (`A`ktiva/`P`assiva) of a Bilanz position.
pub fn bilanzseite(sql: &mut dyn Sql, mandant: &str, position: &str) -> Result<String> {
    sql.query_one(
        "SELECT seite FROM fin_bilanzposition WHERE mandant = ? AND position = ?",
        &params![mandant, position],
    )?
    .str(0)
}

pub fn bilanzposition_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    position: &str,
    seite: &str,
    bezeichnung: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_bilanzposition (mandant, position, seite, bezeichnung) VALUES (?, ?, ?, ?)",
        &params![mandant, position, seite, bezeichnung],
    )?;
    Ok(())
}

pub fn planzeile_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    plan: &str,
    zeile: i64,
    bezeichnung: &str,
    formel: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_planzeile (mandant, plan, zeile, bezeichnung, formel) VALUES (?, ?, ?, ?, ?)",
        &params![mandant, plan, zeile, bezeichnung, formel],
    )?;
    Ok(())
}

pub fn produkt(sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<Option<Produkt>> {
    sql.query_opt(
        "SELECT nr, bezeichnung, ebene, verantwortlich FROM fin_produkt WHERE mandant = ? AND nr = ?",
        &params![mandant, nr],
    )?
    .as_ref()
    .map(produkt_from_row)
    .transpose()
}

/// All Produkte of the Mandant, by number.
pub fn produkte(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Produkt>> {
    sql.query(
        "SELECT nr, bezeichnung, ebene, verantwortlich FROM fin_produkt WHERE mandant = ? ORDER BY nr",
        &params![mandant],
    )?
    .iter()
    .map(produkt_from_row)
    .collect()
}

/// A Produkt with its parent in the Produktrahmen (`None` for a Produktbereich).
pub fn produkt_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    p: &Produkt,
    ober: Option<&str>,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_produkt (mandant, nr, bezeichnung, ebene, ober, verantwortlich) VALUES (?, ?, ?, ?, ?, ?)",
        &params![
            mandant,
            p.nr.as_str(),
            p.bezeichnung.as_str(),
            i64::from(p.ebene),
            ober,
            p.verantwortlich.as_str()
        ],
    )?;
    Ok(())
}

pub fn kostenstelle_exists(sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM fin_kostenstelle WHERE mandant = ? AND nr = ?",
            &params![mandant, nr],
        )?
        .is_some())
}

/// One entry of a simple `nr;bezeichnung` list.
pub fn listeneintrag_einfuegen(
    sql: &mut dyn Sql,
    table: ListTable,
    mandant: &str,
    nr: &str,
    bezeichnung: &str,
) -> Result<()> {
    let insert = match table {
        ListTable::Kostenstelle => {
            "INSERT INTO fin_kostenstelle (mandant, nr, bezeichnung) VALUES (?, ?, ?)"
        }
        ListTable::Gliederung => {
            "INSERT INTO fin_kameral_gliederung (mandant, nr, bezeichnung) VALUES (?, ?, ?)"
        }
    };
    sql.execute(insert, &params![mandant, nr, bezeichnung])?;
    Ok(())
}

pub fn gruppierung_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: &str,
    bezeichnung: &str,
    haushalt: &str,
    art: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_kameral_gruppierung (mandant, nr, bezeichnung, haushalt, art) VALUES (?, ?, ?, ?, ?)",
        &params![mandant, nr, bezeichnung, haushalt, art],
    )?;
    Ok(())
}

pub fn jahr_status(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Option<JahrStatus>> {
    sql.query_opt(
        "SELECT status FROM fin_haushaltsjahr WHERE mandant = ? AND jahr = ?",
        &params![mandant, jahr],
    )?
    .map(|r| JahrStatus::parse(&r.str(0)?))
    .transpose()
}

pub fn jahr_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    status: JahrStatus,
    beschluss: Option<&str>,
    bemerkung: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_haushaltsjahr (mandant, jahr, status, beschluss, bemerkung) VALUES (?, ?, ?, ?, ?)",
        &params![mandant, jahr, status.code(), beschluss, bemerkung],
    )?;
    Ok(())
}

pub fn jahr_status_schreiben(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    status: JahrStatus,
) -> Result<()> {
    sql.execute(
        "UPDATE fin_haushaltsjahr SET status = ? WHERE mandant = ? AND jahr = ?",
        &params![status.code(), mandant, jahr],
    )?;
    Ok(())
}

/// The state (`OFFEN`/`GESCHLOSSEN`) of a period, `None` if the year has none.
pub fn periode_status(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    periode: u8,
) -> Result<Option<String>> {
    sql.query_opt(
        "SELECT status FROM fin_periode WHERE mandant = ? AND jahr = ? AND periode = ?",
        &params![mandant, jahr, periode],
    )?
    .map(|r| r.str(0))
    .transpose()
}

/// The periods of a year with their state, by number.
pub fn perioden(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Vec<(u8, String)>> {
    sql.query(
        "SELECT periode, status FROM fin_periode WHERE mandant = ? AND jahr = ? ORDER BY periode",
        &params![mandant, jahr],
    )?
    .iter()
    .map(|r| Ok((r.i64(0)? as u8, r.str(1)?)))
    .collect()
}

pub fn periode_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    periode: i64,
    status: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_periode (mandant, jahr, periode, status) VALUES (?, ?, ?, ?)",
        &params![mandant, jahr, periode, status],
    )?;
    Ok(())
}

/// Set a period's state; the number of periods changed (0 if the year has none).
pub fn periode_status_schreiben(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    periode: u8,
    status: &str,
) -> Result<u64> {
    sql.execute(
        "UPDATE fin_periode SET status = ? WHERE mandant = ? AND jahr = ? AND periode = ?",
        &params![status, mandant, jahr, periode],
    )
}

pub fn perioden_schliessen(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<()> {
    sql.execute(
        "UPDATE fin_periode SET status = 'GESCHLOSSEN' WHERE mandant = ? AND jahr = ?",
        &params![mandant, jahr],
    )?;
    Ok(())
}

pub fn einstellung_einfuegen(sql: &mut dyn Sql, mandant: &str, kontenrahmen: &str) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_einstellung (mandant, haushaltsart, kontenrahmen, warnschwelle) VALUES (?, 'DOPPIK', ?, 90)",
        &params![mandant, kontenrahmen],
    )?;
    Ok(())
}

/// The warning threshold (percent), `None` without settings.
pub fn warnschwelle(sql: &mut dyn Sql, mandant: &str) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT warnschwelle FROM fin_einstellung WHERE mandant = ?",
        &params![mandant],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

/// `DOPPIK` or `KAMERAL`, `None` without settings.
pub fn haushaltsart(sql: &mut dyn Sql, mandant: &str) -> Result<Option<String>> {
    sql.query_opt(
        "SELECT haushaltsart FROM fin_einstellung WHERE mandant = ?",
        &params![mandant],
    )?
    .map(|r| r.str(0))
    .transpose()
}
