//! `fin_partner`, `fin_bankverbindung` and `fin_mandat`.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::core::error::{KisError, Result};
use crate::finas::kasse::model::{Bankverbindung, Mandat, Partner, PartnerArt};
use crate::params;
use crate::store::{BulkInsert, Row, Sql, Value};

const COLS: &str =
    "id, art, name, vorname, strasse, plz, ort, ewos_person, version, erfasst_von, erfasst_am";

fn partner_from(r: &Row) -> Result<Partner> {
    Ok(Partner {
        id: r.i64(0)?,
        art: PartnerArt::parse(&r.str(1)?)?,
        name: r.str(2)?,
        vorname: r.str(3)?,
        strasse: r.str(4)?,
        plz: r.str(5)?,
        ort: r.str(6)?,
        ewos_person: r.opt_i64(7)?,
        version: r.i64(8)?,
        erfasst_von: r.str(9)?,
        erfasst_am: r.str(10)?,
    })
}

/// Insert a new partner (`p.id` already drawn) with its search name.
pub fn einfuegen(sql: &mut dyn Sql, mandant: &str, p: &Partner, suchname: &str) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_partner (mandant, id, art, name, vorname, strasse, plz, ort, ewos_person, suchname, version, erfasst_von, erfasst_am) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![
            mandant,
            p.id,
            p.art.code(),
            p.name.as_str(),
            p.vorname.as_str(),
            p.strasse.as_str(),
            p.plz.as_str(),
            p.ort.as_str(),
            p.ewos_person,
            suchname,
            p.version,
            p.erfasst_von.as_str(),
            p.erfasst_am.as_str()
        ],
    )?;
    Ok(())
}

pub fn lesen(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<Partner> {
    let r = sql
        .query_opt(
            &format!("SELECT {COLS} FROM fin_partner WHERE mandant = ? AND id = ?"),
            &params![mandant, id],
        )?
        .ok_or_else(|| KisError::NotFound(format!("Geschäftspartner {id} ist nicht vorhanden.")))?;
    partner_from(&r)
}

/// The partner linked to this EWOS person, if any.
pub fn zu_ewos_person(sql: &mut dyn Sql, mandant: &str, person: i64) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT id FROM fin_partner WHERE mandant = ? AND ewos_person = ?",
        &params![mandant, person],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

/// Partners whose search name begins with `prefix`, in name order.
pub fn suchen(
    sql: &mut dyn Sql,
    mandant: &str,
    prefix: &str,
    limit: usize,
) -> Result<Vec<Partner>> {
    sql.query(
        &format!(
            "SELECT {COLS} FROM fin_partner WHERE mandant = ? AND suchname >= ? AND suchname < ? ORDER BY suchname, id LIMIT ?"
        ),
        &params![mandant, prefix, format!("{prefix}\u{10FFFF}"), limit as i64],
    )?
    .iter()
    .map(partner_from)
    .collect()
}

pub fn bankverbindungen(
    sql: &mut dyn Sql,
    mandant: &str,
    partner: i64,
) -> Result<Vec<Bankverbindung>> {
    sql.query(
        "SELECT lfd, iban, bic, inhaber FROM fin_bankverbindung WHERE mandant = ? AND partner = ? AND aktiv = 1 ORDER BY lfd",
        &params![mandant, partner],
    )?
    .iter()
    .map(|r| {
        Ok(Bankverbindung {
            lfd: r.i64(0)?,
            iban: r.str(1)?,
            bic: r.str(2)?,
            inhaber: r.str(3)?,
        })
    })
    .collect()
}

/// Add a bank account; returns its number, or `None` if the partner has
/// this IBAN already.
pub fn bank_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    partner: i64,
    iban: &str,
    bic: &str,
    inhaber: &str,
) -> Result<Option<i64>> {
    let lfd = sql
        .query_one(
            "SELECT COALESCE(MAX(lfd), 0) + 1, (SELECT COUNT(*) FROM fin_bankverbindung WHERE mandant = ? AND partner = ? AND iban = ?) \
             FROM fin_bankverbindung WHERE mandant = ? AND partner = ?",
            &params![mandant, partner, iban, mandant, partner],
        )?;
    if lfd.i64(1)? > 0 {
        return Ok(None);
    }
    let lfd = lfd.i64(0)?;
    sql.execute(
        "INSERT INTO fin_bankverbindung (mandant, partner, lfd, iban, bic, inhaber) VALUES (?, ?, ?, ?, ?, ?)",
        &params![mandant, partner, lfd, iban, bic, inhaber],
    )?;
    Ok(Some(lfd))
}

const MANDAT_COLS: &str =
    "referenz, partner, iban, unterschrieben, wiederkehrend, letzte_nutzung, widerrufen";

fn mandat_from(r: &Row) -> Result<Mandat> {
    Ok(Mandat {
        referenz: r.str(0)?,
        partner: r.i64(1)?,
        iban: r.str(2)?,
        unterschrieben: r.date(3)?,
        wiederkehrend: r.bool(4)?,
        letzte_nutzung: r.opt_date(5)?,
        widerrufen: r.opt_date(6)?,
    })
}

pub fn mandate(sql: &mut dyn Sql, mandant: &str, partner: i64) -> Result<Vec<Mandat>> {
    sql.query(
        &format!("SELECT {MANDAT_COLS} FROM fin_mandat WHERE mandant = ? AND partner = ? ORDER BY unterschrieben, referenz"),
        &params![mandant, partner],
    )?
    .iter()
    .map(mandat_from)
    .collect()
}

pub fn mandat(sql: &mut dyn Sql, mandant: &str, referenz: &str) -> Result<Option<Mandat>> {
    sql.query_opt(
        &format!("SELECT {MANDAT_COLS} FROM fin_mandat WHERE mandant = ? AND referenz = ?"),
        &params![mandant, referenz],
    )?
    .map(|r| mandat_from(&r))
    .transpose()
}

pub fn mandat_einfuegen(sql: &mut dyn Sql, mandant: &str, m: &Mandat) -> Result<()> {
    sql.execute(
        &format!("INSERT INTO fin_mandat (mandant, {MANDAT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        &[
            Value::from(mandant),
            Value::from(m.referenz.as_str()),
            Value::from(m.partner),
            Value::from(m.iban.as_str()),
            Value::from(m.unterschrieben),
            Value::from(m.wiederkehrend),
            Value::from(m.letzte_nutzung),
            Value::from(m.widerrufen),
        ],
    )?;
    Ok(())
}

pub fn mandat_widerrufen(
    sql: &mut dyn Sql,
    mandant: &str,
    referenz: &str,
    am: NaiveDate,
) -> Result<()> {
    sql.execute(
        "UPDATE fin_mandat SET widerrufen = ? WHERE mandant = ? AND referenz = ?",
        &params![am, mandant, referenz],
    )?;
    Ok(())
}

/// The partners whose key starts with `praefix` (a program constant
/// without `%` or `_`): (key, id, name, vorname).
pub fn mit_schluessel(
    sql: &mut dyn Sql,
    mandant: &str,
    praefix: &str,
) -> Result<Vec<(String, i64, String, String)>> {
    sql.query(
        "SELECT schluessel, id, name, vorname FROM fin_partner WHERE mandant = ? AND schluessel LIKE ?",
        &params![mandant, format!("{praefix}%")],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.i64(1)?, r.str(2)?, r.str(3)?)))
    .collect()
}

/// Every bank account (active or not) of the partners whose key starts
/// with `praefix`: (partner, lfd, IBAN).
pub fn konten_mit_schluessel(
    sql: &mut dyn Sql,
    mandant: &str,
    praefix: &str,
) -> Result<Vec<(i64, i64, String)>> {
    sql.query(
        "SELECT b.partner, b.lfd, b.iban FROM fin_bankverbindung b \
         JOIN fin_partner p ON p.mandant = b.mandant AND p.id = b.partner \
         WHERE b.mandant = ? AND p.schluessel LIKE ?",
        &params![mandant, format!("{praefix}%")],
    )?
    .iter()
    .map(|r| Ok((r.i64(0)?, r.i64(1)?, r.str(2)?)))
    .collect()
}

/// Insert partners kept under a key (`p.id` already drawn), with their
/// search names, in multi-row statements.
pub fn mit_schluessel_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    partner: &[(Partner, String, String)],
) -> Result<u64> {
    let mut bulk = BulkInsert::new(
        "fin_partner",
        &[
            "mandant",
            "id",
            "art",
            "name",
            "vorname",
            "strasse",
            "plz",
            "ort",
            "suchname",
            "version",
            "erfasst_von",
            "erfasst_am",
            "schluessel",
        ],
    )?;
    for (p, suchname, schluessel) in partner {
        bulk.push(
            sql,
            params![
                mandant,
                p.id,
                p.art.code(),
                p.name.as_str(),
                p.vorname.as_str(),
                p.strasse.as_str(),
                p.plz.as_str(),
                p.ort.as_str(),
                suchname.as_str(),
                p.version,
                p.erfasst_von.as_str(),
                p.erfasst_am.as_str(),
                schluessel.as_str()
            ],
        )?;
    }
    bulk.finish(sql)
}

/// Insert bank accounts (partner, lfd, IBAN; no BIC, no holder) in
/// multi-row statements.
pub fn konten_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    konten: &[(i64, i64, String)],
) -> Result<u64> {
    let mut bulk = BulkInsert::new("fin_bankverbindung", &["mandant", "partner", "lfd", "iban"])?;
    for (partner, lfd, iban) in konten {
        bulk.push(sql, params![mandant, *partner, *lfd, iban.as_str()])?;
    }
    bulk.finish(sql)
}

/// Set a partner's name (and search name).
pub fn name_setzen(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    name: &str,
    vorname: &str,
    suchname: &str,
) -> Result<()> {
    sql.execute(
        "UPDATE fin_partner SET name = ?, vorname = ?, suchname = ?, version = version + 1 WHERE mandant = ? AND id = ?",
        &params![name, vorname, suchname, mandant, id],
    )?;
    Ok(())
}

/// A partner with its active bank accounts and its mandates.
pub type PartnerMitKonten = (Partner, Vec<Bankverbindung>, Vec<Mandat>);

/// Partners with their active bank accounts (by number) and mandates (by
/// signing date) for many ids at once: three queries per 500 ids instead
/// of three per partner.
pub fn daten_viele(sql: &mut dyn Sql, mandant: &str, ids: &[i64]) -> Result<Vec<PartnerMitKonten>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let liste = vec!["?"; chunk.len()].join(", ");
        let mut args = vec![Value::from(mandant)];
        args.extend(chunk.iter().map(|id| Value::from(*id)));
        let partner = sql
            .query(
                &format!("SELECT {COLS} FROM fin_partner WHERE mandant = ? AND id IN ({liste}) ORDER BY id"),
                &args,
            )?
            .iter()
            .map(partner_from)
            .collect::<Result<Vec<_>>>()?;
        let mut konten: HashMap<i64, Vec<Bankverbindung>> = HashMap::new();
        for r in sql.query(
            &format!(
                "SELECT partner, lfd, iban, bic, inhaber FROM fin_bankverbindung \
                 WHERE mandant = ? AND aktiv = 1 AND partner IN ({liste}) ORDER BY partner, lfd"
            ),
            &args,
        )? {
            konten.entry(r.i64(0)?).or_default().push(Bankverbindung {
                lfd: r.i64(1)?,
                iban: r.str(2)?,
                bic: r.str(3)?,
                inhaber: r.str(4)?,
            });
        }
        let mut mandate: HashMap<i64, Vec<Mandat>> = HashMap::new();
        for r in sql.query(
            &format!(
                "SELECT {MANDAT_COLS} FROM fin_mandat WHERE mandant = ? AND partner IN ({liste}) \
                 ORDER BY partner, unterschrieben, referenz"
            ),
            &args,
        )? {
            let m = mandat_from(&r)?;
            mandate.entry(m.partner).or_default().push(m);
        }
        for p in partner {
            let k = konten.remove(&p.id).unwrap_or_default();
            let m = mandate.remove(&p.id).unwrap_or_default();
            out.push((p, k, m));
        }
    }
    Ok(out)
}
