//! Sperren of a person (Auskunftssperren, Sperrvermerke, …).

use chrono::NaiveDate;

use super::opt_date_str;
use super::zaehler::next_id;
use crate::core::error::Result;
use crate::ewos::model::*;
use crate::ewos::personendaten::clean;
use crate::kernel::audit::Actor;
use crate::params;
use crate::store::Sql;

/// The Sperren of a person, in the order they were entered.
pub fn sperren(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Sperre>> {
    sql.query(
        "SELECT id, art, grund, behoerde, ab, bis FROM ewo_sperre WHERE mandant = ? AND person_id = ? ORDER BY id",
        &params![mandant, person_id],
    )?
    .iter()
    .map(|r| {
        Ok(Sperre {
            id: r.i64(0)?,
            art: SperrArt::from_code(&r.str(1)?)?,
            grund: r.str(2)?,
            behoerde: r.str(3)?,
            ab: r.date(4)?,
            bis: r.opt_date(5)?,
        })
    })
    .collect()
}

/// Insert a Sperre; returns its id.
pub fn insert_sperre(sql: &mut dyn Sql, actor: &Actor, person_id: i64, s: &Sperre) -> Result<i64> {
    let id = next_id(sql, &actor.mandant, "sperre")?;
    sql.execute(
        "INSERT INTO ewo_sperre (mandant, id, person_id, art, grund, behoerde, ab, bis, erfasst_am, benutzer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            actor.mandant.as_str().into(),
            id.into(),
            person_id.into(),
            s.art.code().into(),
            clean(&s.grund).into(),
            clean(&s.behoerde).into(),
            s.ab.to_string().into(),
            opt_date_str(s.bis),
            stamp(actor.at).into(),
            actor.user.as_str().into(),
        ],
    )?;
    Ok(id)
}

/// Set the end of a Sperre.
pub fn set_bis(sql: &mut dyn Sql, mandant: &str, sperre_id: i64, bis: NaiveDate) -> Result<()> {
    sql.execute(
        "UPDATE ewo_sperre SET bis = ? WHERE mandant = ? AND id = ?",
        &params![bis.to_string(), mandant, sperre_id],
    )?;
    Ok(())
}

/// The codes of the Sperren that block every Auskunft, as an SQL list
/// (`'AS51', 'SV52'`), so the queries below follow
/// [`SperrArt::sperrt_auskunft`].
pub fn auskunftssperren_sql() -> String {
    SperrArt::ALL
        .iter()
        .filter(|a| a.sperrt_auskunft())
        .map(|a| format!("'{}'", a.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The address rule of §51(1) BMG (persons living with the endangered
/// person are protected too): a person with a Sperre that blocks Auskünfte
/// in force on `heute` lives at this address (street, house number and
/// Zusatz; the free-text Lage is not reliable enough to tell flats apart)
/// or has registered a move into it. Returns that person and the Sperre.
pub fn adresse_gesperrt(
    sql: &mut dyn Sql,
    mandant: &str,
    a: &Adresse,
    heute: NaiveDate,
) -> Result<Option<(i64, Sperre)>> {
    let tag = heute.to_string();
    let r = sql.query_opt(
        &format!(
            "SELECT s.person_id, s.id, s.art, s.grund, s.behoerde, s.ab, s.bis FROM ewo_wohnung w \
             JOIN ewo_sperre s ON s.mandant = w.mandant AND s.person_id = w.person_id \
             WHERE w.mandant = ? AND w.strasse = ? AND w.hausnummer = ? AND w.zusatz = ? AND (w.auszug IS NULL OR w.auszug > ?) \
             AND s.art IN ({}) AND s.ab <= ? AND (s.bis IS NULL OR s.bis >= ?) ORDER BY s.person_id, s.id LIMIT 1",
            auskunftssperren_sql()
        ),
        &params![
            mandant,
            a.strasse.as_str(),
            a.hausnummer,
            a.zusatz.trim().to_lowercase(),
            tag.as_str(),
            tag.as_str(),
            tag.as_str()
        ],
    )?;
    r.map(|r| {
        Ok((
            r.i64(0)?,
            Sperre {
                id: r.i64(1)?,
                art: SperrArt::from_code(&r.str(2)?)?,
                grund: r.str(3)?,
                behoerde: r.str(4)?,
                ab: r.date(5)?,
                bis: r.opt_date(6)?,
            },
        ))
    })
    .transpose()
}
