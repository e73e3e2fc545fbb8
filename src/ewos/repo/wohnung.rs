//! Dwellings (Haupt- and Nebenwohnungen) and their addresses.

use chrono::NaiveDate;

use super::opt_date_str;
use super::zaehler::next_id;
use crate::core::error::Result;
use crate::ewos::model::*;
use crate::ewos::personendaten::clean;
use crate::params;
use crate::store::{Row, Sql};

/// "Hauptstraße 12a, 2. OG links, 59999 Musterstadt".
pub fn format_adresse(sql: &mut dyn Sql, mandant: &str, a: &Adresse) -> Result<String> {
    let r = sql.query_one(
        "SELECT name, plz, ort FROM street WHERE mandant = ? AND schluessel = ?",
        &params![mandant, a.strasse.as_str()],
    )?;
    let lage = if a.lage.trim().is_empty() {
        String::new()
    } else {
        format!(", {}", a.lage.trim())
    };
    Ok(format!(
        "{} {}{}{}, {} {}",
        r.str(0)?,
        a.hausnummer,
        a.zusatz,
        lage,
        r.str(1)?,
        r.str(2)?
    ))
}

/// Insert a dwelling row; returns its id.
pub fn insert_wohnung(
    sql: &mut dyn Sql,
    mandant: &str,
    quelle: &str,
    w: &NeueWohnung,
) -> Result<i64> {
    let id = next_id(sql, mandant, "wohnung")?;
    sql.execute(
        "INSERT INTO ewo_wohnung (mandant, id, person_id, art, strasse, hausnummer, zusatz, lage, einzug, anmeldedatum, quelle, \
         verspaetet, wgb_name, wgb_anschrift, wgb_datum, wgb_fehlt, haushalt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            mandant.into(),
            id.into(),
            w.person_id.into(),
            w.art.code().into(),
            w.adresse.strasse.as_str().into(),
            w.adresse.hausnummer.into(),
            w.adresse.zusatz.trim().to_lowercase().into(),
            clean(&w.adresse.lage).into(),
            w.einzug.to_string().into(),
            w.anmeldedatum.to_string().into(),
            quelle.into(),
            w.verspaetet.into(),
            w.wgb.map(|g| clean(&g.name)).unwrap_or_default().into(),
            w.wgb.map(|g| clean(&g.anschrift)).unwrap_or_default().into(),
            opt_date_str(w.wgb.map(|g| g.datum)),
            w.wgb.is_none().into(),
            w.haushalt.into(),
        ],
    )?;
    Ok(id)
}

/// Set the Auszug (and the day of the Abmeldung) of a dwelling.
pub fn set_auszug(
    sql: &mut dyn Sql,
    mandant: &str,
    wohnung_id: i64,
    auszug: NaiveDate,
    abmeldedatum: Option<NaiveDate>,
) -> Result<()> {
    sql.execute(
        "UPDATE ewo_wohnung SET auszug = ?, abmeldedatum = ? WHERE mandant = ? AND id = ?",
        &[
            auszug.to_string().into(),
            opt_date_str(abmeldedatum),
            mandant.into(),
            wohnung_id.into(),
        ],
    )?;
    Ok(())
}

/// Change a dwelling's kind.
pub fn set_art(sql: &mut dyn Sql, mandant: &str, wohnung_id: i64, art: WohnungsArt) -> Result<()> {
    sql.execute(
        "UPDATE ewo_wohnung SET art = ? WHERE mandant = ? AND id = ?",
        &params![art.code(), mandant, wohnung_id],
    )?;
    Ok(())
}

/// All dwellings of a person, newest first.
pub fn wohnungen(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Wohnung>> {
    let rows = sql.query(
        "SELECT w.id, w.art, w.strasse, w.hausnummer, w.zusatz, w.lage, w.anschrift_text, w.einzug, w.auszug, w.anmeldedatum, \
         w.quelle, w.verspaetet, w.wgb_fehlt, s.name, s.plz, s.ort, w.person_id \
         FROM ewo_wohnung w LEFT JOIN street s ON s.mandant = w.mandant AND s.schluessel = w.strasse \
         WHERE w.mandant = ? AND w.person_id = ? ORDER BY w.einzug DESC, w.id DESC",
        &params![mandant, person_id],
    )?;
    rows.iter().map(wohnung_from_row).collect()
}

fn wohnung_from_row(r: &Row) -> Result<Wohnung> {
    let adresse = match r.opt_str(2)? {
        Some(strasse) => Some(Adresse {
            strasse,
            hausnummer: r.opt_i64(3)?.unwrap_or(0) as u32,
            zusatz: r.str(4)?,
            lage: r.str(5)?,
        }),
        None => None,
    };
    let anschrift = match (&adresse, r.opt_str(13)?) {
        (Some(a), Some(name)) => {
            let lage = if a.lage.is_empty() {
                String::new()
            } else {
                format!(", {}", a.lage)
            };
            format!(
                "{name} {}{}{lage}, {} {}",
                a.hausnummer,
                a.zusatz,
                r.str(14)?,
                r.str(15)?
            )
        }
        _ => r.str(6)?,
    };
    Ok(Wohnung {
        id: r.i64(0)?,
        person_id: r.i64(16)?,
        art: WohnungsArt::from_code(&r.str(1)?)?,
        adresse,
        anschrift,
        einzug: r.date(7)?,
        auszug: r.opt_date(8)?,
        anmeldedatum: r.date(9)?,
        quelle: r.str(10)?,
        verspaetet: r.bool(11)?,
        wgb_fehlt: r.bool(12)?,
    })
}

/// The dwellings a person lives in on `tag`.
pub fn wohnungen_am(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
    tag: NaiveDate,
) -> Result<Vec<Wohnung>> {
    Ok(wohnungen(sql, mandant, person_id)?
        .into_iter()
        .filter(|w| w.bewohnt_am(tag))
        .collect())
}

/// The dwellings not ended (lived in now or announced for a later
/// Einzug): the ones a Meldevorgang moves, ends or replaces. What a person
/// lives in today is [`wohnungen_am`].
pub fn offene_wohnungen(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Wohnung>> {
    Ok(wohnungen(sql, mandant, person_id)?
        .into_iter()
        .filter(|w| w.auszug.is_none())
        .collect())
}

/// The dwellings lived in on `tag` or announced for later (an address
/// protected by a Sperre is protected already before the move).
pub fn wohnungen_ab(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
    tag: NaiveDate,
) -> Result<Vec<Wohnung>> {
    Ok(wohnungen(sql, mandant, person_id)?
        .into_iter()
        .filter(|w| w.auszug.is_none_or(|a| a > tag))
        .collect())
}

/// A newborn's dwelling needs no Wohnungsgeberbestätigung.
pub fn clear_wgb_flag(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<()> {
    sql.execute(
        "UPDATE ewo_wohnung SET wgb_fehlt = 0 WHERE mandant = ? AND person_id = ?",
        &params![mandant, person_id],
    )?;
    Ok(())
}
