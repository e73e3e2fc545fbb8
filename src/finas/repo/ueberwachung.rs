//! Rows of the Haushaltsüberwachung: the amounts per budget position from
//! the plan, Übertragungen, Ermächtigungen, Reservierungen and the journal's
//! totals, the Haushaltssperren and the Deckungsringe.

use chrono::NaiveDateTime;

use crate::core::error::Result;
use crate::core::money::Money;
use crate::finas::ueberwachung::Ereignis;
use crate::kernel::audit::Actor;
use crate::params;
use crate::store::{Sql, Value};

/// A Haushaltssperre: Produkt and Konto (both `None` for a global one) and
/// percent.
pub type Sperre = (Option<String>, Option<String>, i64);

/// An amount per (Produkt, Konto).
pub type Betraege = Vec<(String, String, i64)>;

/// What an amount per position comes from.
#[derive(Clone, Copy)]
pub enum Quelle {
    /// The Ansätze of a plan version.
    Ansatz(i64),
    Uebertragung,
    Genehmigung,
    /// The unused rest of the open Reservierungen.
    Obligo,
    /// The journal's net expense on the expense accounts (classes 5 and 7)
    /// per Produkt.
    Anordnungssoll,
}

/// The amounts per (Produkt, Konto) of a year from one source, for all
/// positions or one.
pub fn betraege(
    sql: &mut dyn Sql,
    quelle: Quelle,
    mandant: &str,
    jahr: i32,
    pos: Option<(&str, &str)>,
) -> Result<Betraege> {
    let f = if pos.is_some() {
        " AND produkt = ? AND konto = ?"
    } else {
        ""
    };
    let query = match quelle {
        Quelle::Ansatz(_) => format!(
            "SELECT produkt, konto, betrag FROM fin_ansatz WHERE mandant = ? AND jahr = ?{f} AND version = ?"
        ),
        Quelle::Uebertragung => format!(
            "SELECT produkt, konto, CAST(SUM(betrag) AS BIGINT) FROM fin_uebertragung WHERE mandant = ? AND jahr = ?{f} GROUP BY produkt, konto"
        ),
        Quelle::Genehmigung => format!(
            "SELECT produkt, konto, CAST(SUM(betrag) AS BIGINT) FROM fin_genehmigung WHERE mandant = ? AND jahr = ?{f} GROUP BY produkt, konto"
        ),
        Quelle::Obligo => format!(
            "SELECT produkt, konto, CAST(SUM(betrag - verbraucht) AS BIGINT) FROM fin_reservierung WHERE mandant = ? AND jahr = ?{f} AND status = 'OFFEN' GROUP BY produkt, konto"
        ),
        Quelle::Anordnungssoll => format!(
            "SELECT produkt, konto, CAST(SUM(soll - haben) AS BIGINT) FROM fin_summe WHERE mandant = ? AND jahr = ?{f} AND produkt <> '' \
             AND konto IN (SELECT nr FROM fin_konto WHERE mandant = fin_summe.mandant AND klasse IN (5, 7)) GROUP BY produkt, konto"
        ),
    };
    let mut p = params![mandant, jahr];
    if let Some((pr, k)) = pos {
        p.extend(params![pr, k]);
    }
    if let Quelle::Ansatz(version) = quelle {
        p.push(Value::from(version));
    }
    sql.query(&query, &p)?
        .iter()
        .map(|r| Ok((r.str(0)?, r.str(1)?, r.i64(2)?)))
        .collect()
}

/// The version numbers of the adopted original Haushalt and of the plan in
/// force, `None` while no version is adopted.
pub fn versionen(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Option<(i64, i64)>> {
    let r = sql.query_one(
        "SELECT (SELECT version FROM fin_planversion WHERE mandant = ? AND jahr = ? AND status = 'BESCHLOSSEN' AND nachtrag = 0), \
                (SELECT MAX(version) FROM fin_planversion WHERE mandant = ? AND jahr = ? AND status = 'BESCHLOSSEN')",
        &params![mandant, jahr, mandant, jahr],
    )?;
    Ok(match (r.opt_i64(0)?, r.opt_i64(1)?) {
        (Some(o), Some(g)) => Some((o, g)),
        _ => None,
    })
}

/// The Haushaltssperren in force: Produkt and Konto (both `None` for a
/// global Sperre) and percent.
pub fn sperren_aktiv(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Vec<Sperre>> {
    sql.query(
        "SELECT produkt, konto, prozent FROM fin_sperre WHERE mandant = ? AND jahr = ? AND aufgehoben_am IS NULL",
        &params![mandant, jahr],
    )?
    .iter()
    .map(|r| Ok((r.opt_str(0)?, r.opt_str(1)?, r.i64(2)?)))
    .collect()
}

pub fn sperre_einfuegen(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    position: Option<(&str, &str)>,
    prozent: u8,
    grund: &str,
) -> Result<i64> {
    sql.query_one(
        "INSERT INTO fin_sperre (mandant, jahr, produkt, konto, prozent, grund, erfasst_von, erfasst_am) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![actor.mandant.as_str(), jahr, position.map(|p| p.0), position.map(|p| p.1), prozent, grund, actor.user.as_str(), actor.at],
    )?
    .i64(0)
}

/// Lift an active Sperre; the number of Sperren lifted (0 if not active).
pub fn sperre_aufheben(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    am: NaiveDateTime,
) -> Result<u64> {
    sql.execute(
        "UPDATE fin_sperre SET aufgehoben_am = ? WHERE mandant = ? AND id = ? AND aufgehoben_am IS NULL",
        &params![am, mandant, id],
    )
}

/// The ring in which a position may take cover.
pub fn deckungsring_nehmend(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    produkt: &str,
    konto: &str,
) -> Result<Option<String>> {
    sql.query_opt(
        "SELECT ring FROM fin_deckungsring_pos WHERE mandant = ? AND jahr = ? AND produkt = ? AND konto = ? AND rolle IN ('nimmt', 'beide')",
        &params![mandant, jahr, produkt, konto],
    )?
    .map(|r| r.str(0))
    .transpose()
}

/// The other members of a ring: (Produkt, Konto, Rolle).
pub fn deckungsring_andere(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    ring: &str,
    produkt: &str,
    konto: &str,
) -> Result<Vec<(String, String, String)>> {
    sql.query(
        "SELECT produkt, konto, rolle FROM fin_deckungsring_pos WHERE mandant = ? AND jahr = ? AND ring = ? AND NOT (produkt = ? AND konto = ?)",
        &params![mandant, jahr, ring, produkt, konto],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.str(1)?, r.str(2)?)))
    .collect()
}

pub fn reservierung_einfuegen(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    produkt: &str,
    konto: &str,
    betrag: Money,
    text: &str,
) -> Result<i64> {
    sql.query_one(
        "INSERT INTO fin_reservierung (mandant, jahr, produkt, konto, betrag, verbraucht, text, status, erfasst_von, erfasst_am) \
         VALUES (?, ?, ?, ?, ?, 0, ?, 'OFFEN', ?, ?) RETURNING id",
        &params![actor.mandant.as_str(), jahr, produkt, konto, betrag.cents(), text, actor.user.as_str(), actor.at],
    )?
    .i64(0)
}

/// Use up `betrag` (at most the unused rest, checked by the caller) of an
/// open reservation for the Buchung `buchung`; fully used, it is done.
/// The number of reservations changed (0 if not open).
pub fn reservierung_verbrauchen(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    buchung: i64,
    betrag: Money,
) -> Result<u64> {
    let n = sql.execute(
        "UPDATE fin_reservierung SET verbraucht = verbraucht + ?, \
         status = CASE WHEN verbraucht + ? >= betrag THEN 'ERLEDIGT' ELSE status END \
         WHERE mandant = ? AND id = ? AND status = 'OFFEN' AND verbraucht + ? <= betrag",
        &params![betrag.cents(), betrag.cents(), mandant, id, betrag.cents()],
    )?;
    if n > 0 {
        sql.execute(
            "INSERT INTO fin_reservierung_verbrauch (mandant, reservierung, buchung, betrag) VALUES (?, ?, ?, ?)",
            &params![mandant, id, buchung, betrag.cents()],
        )?;
    }
    Ok(n)
}

/// Give back what the Buchung `buchung` used of reservations (its Storno
/// `storno`): a reservation that the use had completed is open again, one
/// released by the clerk stays done. Returns (reservation, amount) per use.
pub fn verbrauch_zurueck(
    sql: &mut dyn Sql,
    mandant: &str,
    buchung: i64,
    storno: i64,
) -> Result<Vec<(i64, Money)>> {
    let uses: Vec<(i64, Money)> = sql
        .query(
            "SELECT reservierung, betrag FROM fin_reservierung_verbrauch WHERE mandant = ? AND buchung = ? AND zurueck_durch IS NULL ORDER BY reservierung",
            &params![mandant, buchung],
        )?
        .into_iter()
        .map(|r| Ok((r.i64(0)?, Money::from_cents(r.i64(1)?))))
        .collect::<Result<_>>()?;
    for (id, betrag) in &uses {
        sql.execute(
            "UPDATE fin_reservierung SET verbraucht = verbraucht - ?, \
             status = CASE WHEN verbraucht = betrag THEN 'OFFEN' ELSE status END \
             WHERE mandant = ? AND id = ?",
            &params![betrag.cents(), mandant, *id],
        )?;
    }
    sql.execute(
        "UPDATE fin_reservierung_verbrauch SET zurueck_durch = ? WHERE mandant = ? AND buchung = ? AND zurueck_durch IS NULL",
        &params![storno, mandant, buchung],
    )?;
    Ok(uses)
}

/// An open reservation: (Jahr, Produkt, Konto, unused rest in cents).
pub fn reservierung_offen(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
) -> Result<Option<(i64, String, String, i64)>> {
    sql.query_opt(
        "SELECT jahr, produkt, konto, betrag - verbraucht FROM fin_reservierung WHERE mandant = ? AND id = ? AND status = 'OFFEN'",
        &params![mandant, id],
    )?
    .map(|r| Ok((r.i64(0)?, r.str(1)?, r.str(2)?, r.i64(3)?)))
    .transpose()
}

pub fn reservierung_erledigen(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<()> {
    sql.execute(
        "UPDATE fin_reservierung SET status = 'ERLEDIGT' WHERE mandant = ? AND id = ?",
        &params![mandant, id],
    )?;
    Ok(())
}

/// An über-/außerplanmäßige Ermächtigung; a number used twice in a year is a conflict.
pub struct Genehmigung<'a> {
    pub jahr: i32,
    pub produkt: &'a str,
    pub konto: &'a str,
    pub art: &'a str,
    pub nummer: &'a str,
    pub datum: chrono::NaiveDate,
    pub betrag: Money,
    pub begruendung: &'a str,
}

pub fn genehmigung_einfuegen(sql: &mut dyn Sql, actor: &Actor, g: &Genehmigung) -> Result<i64> {
    sql.query_one(
        "INSERT INTO fin_genehmigung (mandant, jahr, produkt, konto, art, nummer, datum, betrag, begruendung, genehmigt_von) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![actor.mandant.as_str(), g.jahr, g.produkt, g.konto, g.art, g.nummer, g.datum, g.betrag.cents(), g.begruendung, actor.user.as_str()],
    )?
    .i64(0)
}

/// What has been carried into `jahr` on a position already.
pub fn uebertragen_summe(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    produkt: &str,
    konto: &str,
) -> Result<i64> {
    sql.query_one(
        "SELECT COALESCE(CAST(SUM(betrag) AS BIGINT), 0) FROM fin_uebertragung WHERE mandant = ? AND jahr = ? AND produkt = ? AND konto = ?",
        &params![mandant, jahr, produkt, konto],
    )?
    .i64(0)
}

pub fn uebertragung_einfuegen(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    produkt: &str,
    konto: &str,
    betrag: Money,
    grund: &str,
) -> Result<i64> {
    sql.query_one(
        "INSERT INTO fin_uebertragung (mandant, jahr, produkt, konto, betrag, grund, erfasst_von, erfasst_am) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![actor.mandant.as_str(), jahr, produkt, konto, betrag.cents(), grund, actor.user.as_str(), actor.at],
    )?
    .i64(0)
}

fn tag(zeitpunkt: String) -> String {
    zeitpunkt.chars().take(10).collect()
}

/// The events of a position in the order of each source: adopted Ansätze,
/// Übertragungen, Ermächtigungen, Reservierungen, Sperren and the latest 200
/// postings.
pub fn ereignisse(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    produkt: &str,
    konto: &str,
) -> Result<Vec<Ereignis>> {
    let euro = |c: i64| Money::from_cents(c).format_de();
    let mut out = Vec::new();
    let p = params![mandant, jahr, produkt, konto];
    for r in sql.query(
        "SELECT v.beschluss, v.bezeichnung, a.betrag FROM fin_ansatz a JOIN fin_planversion v ON v.mandant = a.mandant AND v.jahr = a.jahr AND v.version = a.version \
         WHERE a.mandant = ? AND a.jahr = ? AND a.produkt = ? AND a.konto = ? AND v.status = 'BESCHLOSSEN' ORDER BY v.version",
        &p,
    )? {
        out.push(Ereignis { datum: r.opt_str(0)?.unwrap_or_default(), art: "Ansatz".into(), text: r.str(1)?, betrag: Money::from_cents(r.i64(2)?) });
    }
    for r in sql.query("SELECT erfasst_am, grund, betrag FROM fin_uebertragung WHERE mandant = ? AND jahr = ? AND produkt = ? AND konto = ? ORDER BY id", &p)? {
        out.push(Ereignis { datum: tag(r.str(0)?), art: "Übertragung".into(), text: r.str(1)?, betrag: Money::from_cents(r.i64(2)?) });
    }
    for r in sql.query("SELECT datum, art, nummer, begruendung, betrag FROM fin_genehmigung WHERE mandant = ? AND jahr = ? AND produkt = ? AND konto = ? ORDER BY id", &p)? {
        let art = if r.str(1)? == "UEBERPLANMAESSIG" { "überplanmäßig" } else { "außerplanmäßig" };
        out.push(Ereignis {
            datum: r.str(0)?,
            art: format!("Genehmigung {art}"),
            text: format!("Nr. {} vom {}: {}", r.str(2)?, crate::core::date::format_date_de(r.date(0)?), r.str(3)?),
            betrag: Money::from_cents(r.i64(4)?),
        });
    }
    for r in sql.query("SELECT erfasst_am, id, text, betrag, verbraucht, status FROM fin_reservierung WHERE mandant = ? AND jahr = ? AND produkt = ? AND konto = ? ORDER BY id", &p)? {
        out.push(Ereignis {
            datum: tag(r.str(0)?),
            art: "Reservierung".into(),
            text: format!("Nr. {} {} (verbraucht {}, {})", r.i64(1)?, r.str(2)?, euro(r.i64(4)?), r.str(5)?.to_lowercase()),
            betrag: Money::from_cents(r.i64(3)?),
        });
    }
    for r in sql.query(
        "SELECT b.datum, v.reservierung, v.buchung, v.betrag, v.zurueck_durch FROM fin_reservierung_verbrauch v \
         JOIN fin_reservierung r ON r.mandant = v.mandant AND r.id = v.reservierung \
         JOIN fin_buchung b ON b.mandant = v.mandant AND b.nr = v.buchung \
         WHERE r.mandant = ? AND r.jahr = ? AND r.produkt = ? AND r.konto = ? ORDER BY v.buchung",
        &p,
    )? {
        let zurueck = r.opt_i64(4)?.map(|s| format!(", zurück durch Storno {s}")).unwrap_or_default();
        out.push(Ereignis {
            datum: r.str(0)?,
            art: "Verbrauch".into(),
            text: format!("Reservierung Nr. {} durch Buchung {}{zurueck}", r.i64(1)?, r.i64(2)?),
            betrag: Money::from_cents(r.i64(3)?),
        });
    }
    for r in sql.query(
        "SELECT erfasst_am, prozent, grund, aufgehoben_am FROM fin_sperre WHERE mandant = ? AND jahr = ? AND ((produkt = ? AND konto = ?) OR produkt IS NULL) ORDER BY id",
        &p,
    )? {
        let aufgehoben = r.opt_str(3)?.map(|a| format!(", aufgehoben {}", &a[..a.len().min(10)])).unwrap_or_default();
        out.push(Ereignis { datum: tag(r.str(0)?), art: format!("Sperre {} %", r.i64(1)?), text: format!("{}{aufgehoben}", r.str(2)?), betrag: Money::zero() });
    }
    for r in sql.query(
        "SELECT b.datum, b.nr, b.text, z.soll - z.haben FROM fin_buchungszeile z JOIN fin_buchung b ON b.mandant = z.mandant AND b.nr = z.buchung \
         WHERE z.mandant = ? AND z.jahr = ? AND z.produkt = ? AND z.konto = ? ORDER BY z.buchung DESC LIMIT 200",
        &p,
    )? {
        out.push(Ereignis { datum: r.str(0)?, art: "Buchung".into(), text: format!("Nr. {} {}", r.i64(1)?, r.str(2)?), betrag: Money::from_cents(r.i64(3)?) });
    }
    Ok(out)
}
