//! Rows of `street` and `street_house` (the street directory).

use crate::core::collation::{din5007_key, search_key};
use crate::core::error::Result;
use crate::kernel::streets::{HouseNo, Street, StreetRow};
use crate::params;
use crate::store::Sql;

/// Streets whose search key is LIKE `like` or whose key is LIKE `key_like`,
/// with their number of house numbers, in DIN 5007 order.
pub fn search(
    sql: &mut dyn Sql,
    mandant: &str,
    like: &str,
    key_like: &str,
) -> Result<Vec<StreetRow>> {
    sql.query(
        "SELECT s.schluessel, s.name, s.ortsteil, s.plz, \
           (SELECT COUNT(*) FROM street_house h WHERE h.mandant = s.mandant AND h.schluessel = s.schluessel) \
         FROM street s WHERE s.mandant = ? AND (s.search_key LIKE ? OR s.schluessel LIKE ?) ORDER BY s.sort_key, s.schluessel",
        &params![mandant, like, key_like],
    )?
    .iter()
    .map(|r| {
        Ok(StreetRow {
            schluessel: r.str(0)?,
            name: r.str(1)?,
            ortsteil: r.str(2)?,
            plz: r.str(3)?,
            anzahl_hausnummern: r.i64(4)?,
        })
    })
    .collect()
}

/// A street with its house numbers, if it exists.
pub fn load(sql: &mut dyn Sql, mandant: &str, key: &str) -> Result<Option<Street>> {
    let Some(r) = sql.query_opt(
        "SELECT schluessel, name, ortsteil, plz, ort, version FROM street WHERE mandant = ? AND schluessel = ?",
        &params![mandant, key],
    )?
    else {
        return Ok(None);
    };
    let hausnummern = sql
        .query(
            "SELECT hausnummer, zusatz FROM street_house WHERE mandant = ? AND schluessel = ? ORDER BY hausnummer, zusatz",
            &params![mandant, key],
        )?
        .iter()
        .map(|h| Ok(HouseNo { nummer: h.i64(0)? as u32, zusatz: h.str(1)? }))
        .collect::<Result<_>>()?;
    Ok(Some(Street {
        schluessel: r.str(0)?,
        name: r.str(1)?,
        ortsteil: r.str(2)?,
        plz: r.str(3)?,
        ort: r.str(4)?,
        hausnummern,
        version: r.i64(5)?,
    }))
}

/// Whether an address (street + house number + addition) exists.
pub fn house_exists(
    sql: &mut dyn Sql,
    mandant: &str,
    key: &str,
    nummer: u32,
    zusatz: &str,
) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM street_house WHERE mandant = ? AND schluessel = ? AND hausnummer = ? AND zusatz = ?",
            &params![mandant, key, nummer as i64, zusatz],
        )?
        .is_some())
}

/// Replace a street's house numbers by those of `st`.
pub fn write_houses(sql: &mut dyn Sql, mandant: &str, st: &Street) -> Result<()> {
    delete_houses(sql, mandant, &st.schluessel)?;
    for h in &st.hausnummern {
        sql.execute(
            "INSERT INTO street_house (mandant, schluessel, hausnummer, zusatz) VALUES (?, ?, ?, ?)",
            &params![mandant, st.schluessel.as_str(), h.nummer as i64, h.zusatz.as_str()],
        )?;
    }
    Ok(())
}

/// Remove a street's house numbers.
pub fn delete_houses(sql: &mut dyn Sql, mandant: &str, key: &str) -> Result<()> {
    sql.execute(
        "DELETE FROM street_house WHERE mandant = ? AND schluessel = ?",
        &params![mandant, key],
    )?;
    Ok(())
}

/// Whether a street key is taken.
pub fn exists(sql: &mut dyn Sql, mandant: &str, key: &str) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM street WHERE mandant = ? AND schluessel = ?",
            &params![mandant, key],
        )?
        .is_some())
}

/// Write a new street row (version 1) with its search and sort keys.
pub fn insert(sql: &mut dyn Sql, mandant: &str, st: &Street) -> Result<()> {
    sql.execute(
        "INSERT INTO street (mandant, schluessel, name, search_key, sort_key, ortsteil, plz, ort, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
        &params![mandant, st.schluessel.as_str(), st.name.trim(), search_key(st.name.trim()), din5007_key(st.name.trim()), st.ortsteil.as_str(), st.plz.as_str(), st.ort.trim()],
    )?;
    Ok(())
}

/// Update a street row if it still has `st.version`; returns the rows changed.
pub fn update(sql: &mut dyn Sql, mandant: &str, st: &Street) -> Result<u64> {
    sql.execute(
        "UPDATE street SET name = ?, search_key = ?, sort_key = ?, ortsteil = ?, plz = ?, ort = ?, version = version + 1 \
         WHERE mandant = ? AND schluessel = ? AND version = ?",
        &params![st.name.trim(), search_key(st.name.trim()), din5007_key(st.name.trim()), st.ortsteil.as_str(), st.plz.as_str(), st.ort.trim(), mandant, st.schluessel.as_str(), st.version],
    )
}

/// Remove a street row (its house numbers must be gone).
pub fn delete(sql: &mut dyn Sql, mandant: &str, key: &str) -> Result<u64> {
    sql.execute(
        "DELETE FROM street WHERE mandant = ? AND schluessel = ?",
        &params![mandant, key],
    )
}
