//! Rows of the Tariftabellen: the Entgelttabelle, the Bemessungssätze of
//! the Jahressonderzahlung and the imported blocks.

use chrono::NaiveDate;

use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::kernel::audit::Actor;
use crate::params;
use crate::persos::tarif::{Art, Block, JszSatz, Zeile};
use crate::store::Sql;

/// The rows of the Entgelttabelle (one per block and group with its Stufen),
/// by validity and group.
pub fn entgelt(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Zeile>> {
    let mut entgelt: Vec<Zeile> = Vec::new();
    for r in sql.query(
        "SELECT gueltig_ab, eg, stufe, betrag FROM persos_tarif_entgelt WHERE mandant = ? ORDER BY gueltig_ab, eg, stufe",
        &params![mandant],
    )? {
        let (gueltig_ab, eg) = (r.date(0)?, r.str(1)?);
        let stufe = usize::try_from(r.i64(2)?)
            .ok()
            .filter(|s| (1..=6).contains(s))
            .ok_or_else(|| KisError::Db("Tarifstufe außerhalb 1–6".into()))?;
        let betrag = Money::from_cents(r.i64(3)?);
        if !entgelt
            .last()
            .is_some_and(|z| z.gueltig_ab == gueltig_ab && z.eg == eg)
        {
            entgelt.push(Zeile {
                gueltig_ab,
                eg,
                stufen: [None; 6],
            });
        }
        if let Some(z) = entgelt.last_mut() {
            z.stufen[stufe - 1] = Some(betrag);
        }
    }
    Ok(entgelt)
}

pub fn jsz(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<JszSatz>> {
    sql.query(
        "SELECT gueltig_ab, eg, satz FROM persos_tarif_jsz WHERE mandant = ?",
        &params![mandant],
    )?
    .iter()
    .map(|r| {
        Ok(JszSatz {
            gueltig_ab: r.date(0)?,
            eg: r.str(1)?,
            satz: r.str(2)?.parse().map_err(|_| {
                KisError::Db("Bemessungssatz der Jahressonderzahlung ungültig".into())
            })?,
        })
    })
    .collect()
}

/// All stored blocks, newest first.
pub fn bloecke(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Block>> {
    sql.query(
        "SELECT art, gueltig_ab, quelle, erfasst_von, erfasst_am FROM persos_tarif_block WHERE mandant = ? ORDER BY gueltig_ab DESC, art",
        &params![mandant],
    )?
    .iter()
    .map(|r| {
        Ok(Block {
            art: Art::parse(&r.str(0)?)?,
            gueltig_ab: r.date(1)?,
            quelle: r.str(2)?,
            erfasst_von: r.str(3)?,
            erfasst_am: r.str(4)?,
        })
    })
    .collect()
}

pub fn block_vorhanden(sql: &mut dyn Sql, mandant: &str, art: Art, ab: NaiveDate) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM persos_tarif_block WHERE mandant = ? AND art = ? AND gueltig_ab = ?",
            &params![mandant, art.code(), ab],
        )?
        .is_some())
}

/// The groups of the stored Entgelttabelle block from `ab`.
pub fn gruppen(sql: &mut dyn Sql, mandant: &str, ab: NaiveDate) -> Result<Vec<String>> {
    sql.query(
        "SELECT DISTINCT eg FROM persos_tarif_entgelt WHERE mandant = ? AND gueltig_ab = ?",
        &params![mandant, ab],
    )?
    .iter()
    .map(|r| r.str(0))
    .collect()
}

/// Remove a block with its rows.
pub fn block_loeschen(sql: &mut dyn Sql, mandant: &str, art: Art, ab: NaiveDate) -> Result<()> {
    let delete = match art {
        Art::Entgelt => "DELETE FROM persos_tarif_entgelt WHERE mandant = ? AND gueltig_ab = ?",
        Art::Jsz => "DELETE FROM persos_tarif_jsz WHERE mandant = ? AND gueltig_ab = ?",
    };
    sql.execute(delete, &params![mandant, ab])?;
    sql.execute(
        "DELETE FROM persos_tarif_block WHERE mandant = ? AND art = ? AND gueltig_ab = ?",
        &params![mandant, art.code(), ab],
    )?;
    Ok(())
}

pub fn block_einfuegen(
    sql: &mut dyn Sql,
    actor: &Actor,
    art: Art,
    ab: NaiveDate,
    quelle: &str,
    erfasst_am: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO persos_tarif_block (mandant, art, gueltig_ab, quelle, erfasst_von, erfasst_am) VALUES (?, ?, ?, ?, ?, ?)",
        &params![actor.mandant.as_str(), art.code(), ab, quelle, actor.user.as_str(), erfasst_am],
    )?;
    Ok(())
}

/// One group of the Entgelttabelle with its Stufen.
pub fn zeile_einfuegen(sql: &mut dyn Sql, mandant: &str, z: &Zeile) -> Result<()> {
    for (i, betrag) in z.stufen.iter().enumerate() {
        if let Some(betrag) = betrag {
            sql.execute(
                "INSERT INTO persos_tarif_entgelt (mandant, gueltig_ab, eg, stufe, betrag) VALUES (?, ?, ?, ?, ?)",
                &params![mandant, z.gueltig_ab, z.eg.as_str(), i as i64 + 1, betrag.cents()],
            )?;
        }
    }
    Ok(())
}

pub fn jsz_einfuegen(sql: &mut dyn Sql, mandant: &str, s: &JszSatz) -> Result<()> {
    sql.execute(
        "INSERT INTO persos_tarif_jsz (mandant, gueltig_ab, eg, satz) VALUES (?, ?, ?, ?)",
        &params![mandant, s.gueltig_ab, s.eg.as_str(), s.satz.to_string()],
    )?;
    Ok(())
}
