//! The Mahnwesen's tables (migration `0270_finas_mahnwesen.sql`): settings,
//! Mahnsperren, Mahnläufe with their Mahnungen and items, and the reading
//! of the dunnable open items and the new Sollstellungen (fee, Säumnis-
//! zuschläge) a sent run adds to fin_faelligkeit.

use chrono::NaiveDate;

use crate::core::error::Result;
use crate::core::money::Money;
use crate::finas::mahnwesen::model::{
    Mahneinstellung, Mahnlauf, MahnlaufStatus, Mahnposten, Mahnsperre, Mahnung, OffenerMahnposten,
    Uebergabe,
};
use crate::params;
use crate::store::{BulkInsert, Row, Sql, Value};

pub fn einstellung(sql: &mut dyn Sql, mandant: &str) -> Result<Option<Mahneinstellung>> {
    sql.query_opt(
        "SELECT karenz_tage, bagatell, gebuehr_fest, gebuehr_prozent_bp, gebuehr_min, gebuehr_max, \
         stufen, abstand_tage, zahlungsfrist_tage, ertragskonto, terminverlust, zinsertragskonto, \
         abschreibungskonto, wertaufholungskonto FROM fin_mahn_einstellung WHERE mandant = ?",
        &params![mandant],
    )?
    .map(|r| {
        Ok(Mahneinstellung {
            karenz_tage: r.i64(0)?,
            bagatell: Money::from_cents(r.i64(1)?),
            gebuehr_fest: Money::from_cents(r.i64(2)?),
            gebuehr_prozent_bp: r.i64(3)?,
            gebuehr_min: Money::from_cents(r.i64(4)?),
            gebuehr_max: Money::from_cents(r.i64(5)?),
            stufen: r.i64(6)?,
            abstand_tage: r.i64(7)?,
            zahlungsfrist_tage: r.i64(8)?,
            ertragskonto: r.str(9)?,
            terminverlust: r.i64(10)? == 1,
            zinsertragskonto: r.str(11)?,
            abschreibungskonto: r.str(12)?,
            wertaufholungskonto: r.str(13)?,
        })
    })
    .transpose()
}

pub fn einstellung_setzen(sql: &mut dyn Sql, mandant: &str, e: &Mahneinstellung) -> Result<()> {
    sql.execute(
        "DELETE FROM fin_mahn_einstellung WHERE mandant = ?",
        &params![mandant],
    )?;
    sql.execute(
        "INSERT INTO fin_mahn_einstellung (mandant, karenz_tage, bagatell, gebuehr_fest, gebuehr_prozent_bp, \
         gebuehr_min, gebuehr_max, stufen, abstand_tage, zahlungsfrist_tage, ertragskonto, terminverlust, \
         zinsertragskonto, abschreibungskonto, wertaufholungskonto) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![
            mandant,
            e.karenz_tage,
            e.bagatell.cents(),
            e.gebuehr_fest.cents(),
            e.gebuehr_prozent_bp,
            e.gebuehr_min.cents(),
            e.gebuehr_max.cents(),
            e.stufen,
            e.abstand_tage,
            e.zahlungsfrist_tage,
            e.ertragskonto.as_str(),
            i64::from(e.terminverlust),
            e.zinsertragskonto.as_str(),
            e.abschreibungskonto.as_str(),
            e.wertaufholungskonto.as_str()
        ],
    )?;
    Ok(())
}

/// The open due dates of released Annahmeanordnungen due on or before
/// `bis`, not in a live Zahllauf (a collection is under way), not under a
/// Niederschlagung and not handed to the Vollstreckung, with the
/// Mahnstufe and date of their latest Mahnung in a run that is not
/// cancelled, and the Säumniszuschläge charged on them by sent runs.
pub fn offene_posten(
    sql: &mut dyn Sql,
    mandant: &str,
    bis: NaiveDate,
) -> Result<Vec<OffenerMahnposten>> {
    // One pass with grouped joins instead of subqueries per item: a run
    // reads 100,000 items.
    sql.query(
        "SELECT a.partner, a.nr, f.lfd, a.kassenzeichen, a.text, f.art, f.faellig, f.betrag - f.bezahlt - f.abgesetzt, \
         m.stufe, m.datum, COALESCE(m.saeumnis, 0) \
         FROM fin_faelligkeit f JOIN fin_anordnung a ON a.mandant = f.mandant AND a.nr = f.anordnung \
         LEFT JOIN (SELECT p.anordnung, p.lfd, MAX(p.stufe) AS stufe, MAX(l.datum) AS datum, \
             CAST(SUM(CASE WHEN l.status = 'VERSANDT' THEN p.saeumnis ELSE 0 END) AS BIGINT) AS saeumnis \
             FROM fin_mahnposten p JOIN fin_mahnlauf l ON l.mandant = p.mandant AND l.nr = p.mahnlauf \
             WHERE p.mandant = ? AND p.live = 1 GROUP BY p.anordnung, p.lfd) m \
           ON m.anordnung = f.anordnung AND m.lfd = f.lfd \
         LEFT JOIN (SELECT DISTINCT z.anordnung, z.lfd FROM fin_zahllauf_posten z WHERE z.mandant = ? AND z.live = 1) z \
           ON z.anordnung = f.anordnung AND z.lfd = f.lfd \
         LEFT JOIN (SELECT DISTINCT n.anordnung FROM fin_niederschlagung n WHERE n.mandant = ? \
             AND n.wieder_am IS NULL AND (n.art = 'U' OR n.bis >= ?)) n ON n.anordnung = f.anordnung \
         LEFT JOIN (SELECT v.anordnung, v.lfd FROM fin_vollstreckung_posten v WHERE v.mandant = ?) v \
           ON v.anordnung = f.anordnung AND v.lfd = f.lfd \
         WHERE f.mandant = ? AND a.art = 'A' AND a.status = 'FREIGEGEBEN' AND f.faellig <= ? \
         AND f.bezahlt + f.abgesetzt < f.betrag \
         AND z.anordnung IS NULL AND n.anordnung IS NULL AND v.anordnung IS NULL \
         ORDER BY a.partner, f.faellig, a.nr, f.lfd",
        &params![mandant, mandant, mandant, bis, mandant, mandant, bis],
    )?
    .iter()
    .map(|r| {
        Ok(OffenerMahnposten {
            partner: r.i64(0)?,
            anordnung: r.i64(1)?,
            lfd: r.i64(2)?,
            kassenzeichen: r.str(3)?,
            text: r.str(4)?,
            art: r.str(5)?,
            faellig: r.date(6)?,
            rest: Money::from_cents(r.i64(7)?),
            letzte_stufe: r.opt_i64(8)?.unwrap_or(0),
            letzte_mahnung: r.opt_date(9)?,
            saeumnis_bisher: Money::from_cents(r.i64(10)?),
        })
    })
    .collect()
}

/// The Mahnsperren in force on `am` (not lifted, `bis` not passed).
pub fn sperren_am(sql: &mut dyn Sql, mandant: &str, am: NaiveDate) -> Result<Vec<Mahnsperre>> {
    sperren_where(
        sql,
        "AND aufgehoben_am IS NULL AND bis >= ?",
        &[mandant.into(), am.into()],
    )
}

/// Every Mahnsperre, newest first.
pub fn sperren(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Mahnsperre>> {
    sperren_where(sql, "", &[mandant.into()])
}

pub fn sperre(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<Option<Mahnsperre>> {
    Ok(sperren_where(sql, "AND id = ?", &[mandant.into(), id.into()])?.pop())
}

fn sperren_where(sql: &mut dyn Sql, wo: &str, p: &[Value]) -> Result<Vec<Mahnsperre>> {
    sql.query(
        &format!(
            "SELECT id, partner, anordnung, grund, bis, erfasst_von, erfasst_am, aufgehoben_von, aufgehoben_am \
             FROM fin_mahnsperre WHERE mandant = ? {wo} ORDER BY id DESC"
        ),
        p,
    )?
    .iter()
    .map(|r| {
        Ok(Mahnsperre {
            id: r.i64(0)?,
            partner: r.i64(1)?,
            anordnung: r.opt_i64(2)?,
            grund: r.str(3)?,
            bis: r.date(4)?,
            erfasst_von: r.str(5)?,
            erfasst_am: r.str(6)?,
            aufgehoben_von: r.opt_str(7)?,
            aufgehoben_am: r.opt_str(8)?,
        })
    })
    .collect()
}

pub fn sperre_einfuegen(sql: &mut dyn Sql, mandant: &str, s: &Mahnsperre) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_mahnsperre (mandant, id, partner, anordnung, grund, bis, erfasst_von, erfasst_am) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            mandant.into(),
            s.id.into(),
            s.partner.into(),
            Value::from(s.anordnung),
            s.grund.as_str().into(),
            s.bis.into(),
            s.erfasst_von.as_str().into(),
            s.erfasst_am.as_str().into(),
        ],
    )?;
    Ok(())
}

/// Lift a Mahnsperre; false if it was already lifted.
pub fn sperre_aufheben(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    user: &str,
    am: &str,
) -> Result<bool> {
    Ok(sql.execute(
        "UPDATE fin_mahnsperre SET aufgehoben_von = ?, aufgehoben_am = ? WHERE mandant = ? AND id = ? AND aufgehoben_am IS NULL",
        &params![user, am, mandant, id],
    )? == 1)
}

pub fn lauf_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    datum: NaiveDate,
    user: &str,
    am: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_mahnlauf (mandant, nr, datum, status, erstellt_von, erstellt_am) VALUES (?, ?, ?, 'ENTWURF', ?, ?)",
        &params![mandant, nr, datum, user, am],
    )?;
    Ok(())
}

/// Insert the Mahnungen of run `nr` with their items, in multi-row
/// statements (a run over 100,000 items is a few hundred round trips).
pub fn mahnungen_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    mahnungen: &[Mahnung],
) -> Result<()> {
    let mut kopf = BulkInsert::new(
        "fin_mahnung",
        &[
            "mandant", "mahnlauf", "partner", "stufe", "gebuehr", "frist",
        ],
    )?;
    for m in mahnungen {
        kopf.push(
            sql,
            params![mandant, nr, m.partner, m.stufe, m.gebuehr.cents(), m.frist],
        )?;
    }
    kopf.finish(sql)?;
    let mut posten = BulkInsert::new(
        "fin_mahnposten",
        &[
            "mandant",
            "mahnlauf",
            "partner",
            "anordnung",
            "lfd",
            "stufe",
            "rest",
            "saeumnis",
            "monate",
        ],
    )?;
    for m in mahnungen {
        for p in &m.posten {
            posten.push(
                sql,
                params![
                    mandant,
                    nr,
                    m.partner,
                    p.anordnung,
                    p.lfd,
                    p.stufe,
                    p.rest.cents(),
                    p.saeumnis.cents(),
                    p.monate
                ],
            )?;
        }
    }
    posten.finish(sql)?;
    Ok(())
}

const LAUF_SPALTEN: &str = "l.nr, l.datum, l.status, l.erstellt_von, l.erstellt_am, l.versandt_von, l.versandt_am, \
     l.storniert_von, l.storniert_am, l.buchung, \
     (SELECT COUNT(*) FROM fin_mahnung m WHERE m.mandant = l.mandant AND m.mahnlauf = l.nr)";

fn lauf_aus(r: &Row) -> Result<Mahnlauf> {
    Ok(Mahnlauf {
        nr: r.i64(0)?,
        datum: r.date(1)?,
        status: MahnlaufStatus::parse(&r.str(2)?)?,
        erstellt_von: r.str(3)?,
        erstellt_am: r.str(4)?,
        versandt_von: r.opt_str(5)?,
        versandt_am: r.opt_str(6)?,
        storniert_von: r.opt_str(7)?,
        storniert_am: r.opt_str(8)?,
        buchung: r.opt_i64(9)?,
        mahnungen: r.i64(10)?,
    })
}

pub fn laeufe(sql: &mut dyn Sql, mandant: &str, limit: usize) -> Result<Vec<Mahnlauf>> {
    sql.query(
        &format!("SELECT {LAUF_SPALTEN} FROM fin_mahnlauf l WHERE l.mandant = ? ORDER BY l.nr DESC LIMIT ?"),
        &params![mandant, limit as i64],
    )?
    .iter()
    .map(lauf_aus)
    .collect()
}

pub fn lauf(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Option<Mahnlauf>> {
    sql.query_opt(
        &format!("SELECT {LAUF_SPALTEN} FROM fin_mahnlauf l WHERE l.mandant = ? AND l.nr = ?"),
        &params![mandant, nr],
    )?
    .map(|r| lauf_aus(&r))
    .transpose()
}

/// The Mahnungen of a run with their items, by partner.
pub fn mahnungen(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Vec<Mahnung>> {
    let mut out: Vec<Mahnung> = sql
        .query(
            "SELECT partner, stufe, gebuehr, frist FROM fin_mahnung WHERE mandant = ? AND mahnlauf = ? ORDER BY partner",
            &params![mandant, nr],
        )?
        .iter()
        .map(|r| {
            Ok(Mahnung {
                partner: r.i64(0)?,
                stufe: r.i64(1)?,
                gebuehr: Money::from_cents(r.i64(2)?),
                frist: r.date(3)?,
                posten: Vec::new(),
            })
        })
        .collect::<Result<_>>()?;
    let posten = sql.query(
        "SELECT p.partner, p.anordnung, p.lfd, p.stufe, p.rest, p.saeumnis, p.monate, a.kassenzeichen, f.faellig, f.art \
         FROM fin_mahnposten p JOIN fin_anordnung a ON a.mandant = p.mandant AND a.nr = p.anordnung \
         JOIN fin_faelligkeit f ON f.mandant = p.mandant AND f.anordnung = p.anordnung AND f.lfd = p.lfd \
         WHERE p.mandant = ? AND p.mahnlauf = ? ORDER BY p.partner, f.faellig, p.anordnung, p.lfd",
        &params![mandant, nr],
    )?;
    for r in posten.iter() {
        let partner = r.i64(0)?;
        let p = Mahnposten {
            anordnung: r.i64(1)?,
            lfd: r.i64(2)?,
            stufe: r.i64(3)?,
            rest: Money::from_cents(r.i64(4)?),
            saeumnis: Money::from_cents(r.i64(5)?),
            monate: r.i64(6)?,
            kassenzeichen: r.str(7)?,
            faellig: r.date(8)?,
            art: r.str(9)?,
        };
        // Both lists are ordered by partner.
        if let Ok(i) = out.binary_search_by_key(&partner, |m| m.partner) {
            out[i].posten.push(p);
        }
    }
    Ok(out)
}

/// Set a draft run's status to `nach` with who and when; false if the run
/// is no longer a draft (changed meanwhile).
pub fn status_setzen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    nach: MahnlaufStatus,
    user: &str,
    am: &str,
    buchung: Option<i64>,
) -> Result<bool> {
    let (wer, wann) = match nach {
        MahnlaufStatus::Versandt => ("versandt_von", "versandt_am"),
        _ => ("storniert_von", "storniert_am"),
    };
    let n = sql.execute(
        &format!(
            "UPDATE fin_mahnlauf SET status = ?, {wer} = ?, {wann} = ?, buchung = COALESCE(?, buchung) \
             WHERE mandant = ? AND nr = ? AND status = 'ENTWURF'"
        ),
        &[
            nach.code().into(),
            user.into(),
            am.into(),
            Value::from(buchung),
            mandant.into(),
            nr.into(),
        ],
    )?;
    if nach == MahnlaufStatus::Storniert {
        sql.execute(
            "UPDATE fin_mahnposten SET live = 0 WHERE mandant = ? AND mahnlauf = ?",
            &params![mandant, nr],
        )?;
    }
    Ok(n == 1)
}

/// The Säumniszuschläge sent Mahnläufe charged on Anordnung `nr`.
pub fn saeumnis_erhoben(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Money> {
    Ok(Money::from_cents(
        sql.query_one(
            "SELECT COALESCE(SUM(p.saeumnis), 0) FROM fin_mahnposten p JOIN fin_mahnlauf l \
             ON l.mandant = p.mandant AND l.nr = p.mahnlauf \
             WHERE p.mandant = ? AND p.anordnung = ? AND p.live = 1 AND l.status = 'VERSANDT'",
            &params![mandant, nr],
        )?
        .i64(0)?,
    ))
}

/// The Anordnungen with a main claim that is vollstreckungsreif on `datum`:
/// open, dunned at Mahnstufe `stufen` by a sent run whose deadline has
/// passed, not under a Niederschlagung, not handed over yet.
pub fn vollstreckungsreif(
    sql: &mut dyn Sql,
    mandant: &str,
    stufen: i64,
    datum: NaiveDate,
) -> Result<Vec<i64>> {
    sql.query(
        "SELECT DISTINCT f.anordnung FROM fin_faelligkeit f JOIN fin_anordnung a ON a.mandant = f.mandant AND a.nr = f.anordnung \
         WHERE f.mandant = ? AND a.art = 'A' AND a.status = 'FREIGEGEBEN' AND f.art = 'H' \
         AND f.bezahlt + f.abgesetzt < f.betrag \
         AND EXISTS (SELECT 1 FROM fin_mahnposten p \
             JOIN fin_mahnung m ON m.mandant = p.mandant AND m.mahnlauf = p.mahnlauf AND m.partner = p.partner \
             JOIN fin_mahnlauf l ON l.mandant = p.mandant AND l.nr = p.mahnlauf \
             WHERE p.mandant = f.mandant AND p.anordnung = f.anordnung AND p.lfd = f.lfd AND p.live = 1 \
             AND l.status = 'VERSANDT' AND p.stufe >= ? AND m.frist < ?) \
         AND NOT EXISTS (SELECT 1 FROM fin_niederschlagung n WHERE n.mandant = f.mandant \
             AND n.anordnung = f.anordnung AND n.wieder_am IS NULL AND (n.art = 'U' OR n.bis >= ?)) \
         AND NOT EXISTS (SELECT 1 FROM fin_vollstreckung_posten v WHERE v.mandant = f.mandant \
             AND v.anordnung = f.anordnung AND v.lfd = f.lfd) \
         ORDER BY f.anordnung",
        &params![mandant, stufen, datum, datum],
    )?
    .iter()
    .map(|r| r.i64(0))
    .collect()
}

/// The latest Mahnung date of Anordnung `nr` in sent runs.
pub fn letzte_mahnung(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Option<NaiveDate>> {
    sql.query_one(
        "SELECT MAX(l.datum) FROM fin_mahnposten p JOIN fin_mahnlauf l ON l.mandant = p.mandant AND l.nr = p.mahnlauf \
         WHERE p.mandant = ? AND p.anordnung = ? AND p.live = 1 AND l.status = 'VERSANDT'",
        &params![mandant, nr],
    )?
    .opt_date(0)
}

pub fn uebergabe_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    datum: NaiveDate,
    von: &str,
    am: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_vollstreckung (mandant, nr, datum, erstellt_von, erstellt_am) VALUES (?, ?, ?, ?, ?)",
        &params![mandant, nr, datum, von, am],
    )?;
    Ok(())
}

pub fn uebergabe_posten(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    anordnung: i64,
    lfd: i64,
    betrag: Money,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_vollstreckung_posten (mandant, uebergabe, anordnung, lfd, betrag) VALUES (?, ?, ?, ?, ?)",
        &params![mandant, nr, anordnung, lfd, betrag.cents()],
    )?;
    Ok(())
}

/// The handovers, newest first.
pub fn uebergaben(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Uebergabe>> {
    sql.query(
        "SELECT u.nr, u.datum, u.erstellt_von, COUNT(p.lfd), COALESCE(SUM(p.betrag), 0) FROM fin_vollstreckung u \
         LEFT JOIN fin_vollstreckung_posten p ON p.mandant = u.mandant AND p.uebergabe = u.nr \
         WHERE u.mandant = ? GROUP BY u.nr, u.datum, u.erstellt_von ORDER BY u.nr DESC",
        &params![mandant],
    )?
    .iter()
    .map(|r| {
        Ok(Uebergabe {
            nr: r.i64(0)?,
            datum: r.date(1)?,
            von: r.str(2)?,
            posten: r.i64(3)?,
            summe: Money::from_cents(r.i64(4)?),
        })
    })
    .collect()
}

/// For the Anordnungen of run `nr`: Forderungskonto, Produkt and the next
/// free due-date number.
pub fn lauf_anordnungen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
) -> Result<std::collections::HashMap<i64, (String, String, i64)>> {
    sql.query(
        "SELECT a.nr, a.gegenkonto, a.produkt, \
         (SELECT MAX(f.lfd) FROM fin_faelligkeit f WHERE f.mandant = a.mandant AND f.anordnung = a.nr) + 1 \
         FROM fin_anordnung a WHERE a.mandant = ? AND a.nr IN \
         (SELECT DISTINCT p.anordnung FROM fin_mahnposten p WHERE p.mandant = ? AND p.mahnlauf = ?)",
        &params![mandant, mandant, nr],
    )?
    .iter()
    .map(|r| Ok((r.i64(0)?, (r.str(1)?, r.str(2)?, r.i64(3)?))))
    .collect()
}

/// Add Sollstellungen (anordnung, lfd, due date, amount, art) in
/// multi-row statements.
pub fn sollstellungen_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    neu: &[(i64, i64, NaiveDate, Money, &str)],
) -> Result<()> {
    let mut bulk = BulkInsert::new(
        "fin_faelligkeit",
        &[
            "mandant",
            "anordnung",
            "lfd",
            "faellig",
            "betrag",
            "bezahlt",
            "art",
        ],
    )?;
    for (a, lfd, faellig, betrag, art) in neu {
        bulk.push(
            sql,
            params![mandant, *a, *lfd, *faellig, betrag.cents(), 0i64, *art],
        )?;
    }
    bulk.finish(sql)?;
    Ok(())
}
