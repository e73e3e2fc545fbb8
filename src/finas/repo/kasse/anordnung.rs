//! `fin_anordnung` and its due dates `fin_faelligkeit`.

use chrono::NaiveDate;

use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::finas::kasse::model::{
    Anordnung, AnordnungArt, AnordnungInput, AnordnungStatus, Posten, Vorbuchung,
    VorgebuchteAuszahlung,
};
use crate::params;
use crate::store::{BulkInsert, Sql, Value};

/// Insert a new Anordnung (status ERFASST) with its due dates.
#[allow(clippy::too_many_arguments)]
pub fn einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    kassenzeichen: &str,
    input: &AnordnungInput,
    gegenkonto: &str,
    user: &str,
    am: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_anordnung (mandant, nr, art, partner, kassenzeichen, produkt, konto, kostenstelle, gegenkonto, text, status, version, erfasst_von, erfasst_am, reservierung) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ERFASST', 1, ?, ?, ?)",
        &params![
            mandant,
            nr,
            input.art.code(),
            input.partner,
            kassenzeichen,
            input.produkt.as_str(),
            input.konto.as_str(),
            input.kostenstelle.as_deref(),
            gegenkonto,
            input.text.as_str(),
            user,
            am,
            input.reservierung
        ],
    )?;
    faelligkeiten_schreiben(sql, mandant, nr, input)
}

fn faelligkeiten_schreiben(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    input: &AnordnungInput,
) -> Result<()> {
    for (i, f) in input.faelligkeiten.iter().enumerate() {
        sql.execute(
            "INSERT INTO fin_faelligkeit (mandant, anordnung, lfd, faellig, betrag) VALUES (?, ?, ?, ?, ?)",
            &params![mandant, nr, i as i64 + 1, f.faellig, f.betrag.cents()],
        )?;
    }
    Ok(())
}

/// Replace the content of an entered Anordnung if it still has `version`;
/// returns whether it did.
pub fn ersetzen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    version: i64,
    input: &AnordnungInput,
    gegenkonto: &str,
) -> Result<bool> {
    let n = sql.execute(
        "UPDATE fin_anordnung SET partner = ?, produkt = ?, konto = ?, kostenstelle = ?, gegenkonto = ?, text = ?, reservierung = ?, version = version + 1 \
         WHERE mandant = ? AND nr = ? AND version = ? AND status = 'ERFASST'",
        &params![
            input.partner,
            input.produkt.as_str(),
            input.konto.as_str(),
            input.kostenstelle.as_deref(),
            gegenkonto,
            input.text.as_str(),
            input.reservierung,
            mandant,
            nr,
            version
        ],
    )?;
    if n == 0 {
        return Ok(false);
    }
    sql.execute(
        "DELETE FROM fin_faelligkeit WHERE mandant = ? AND anordnung = ?",
        &params![mandant, nr],
    )?;
    faelligkeiten_schreiben(sql, mandant, nr, input)?;
    Ok(true)
}

/// Mark an entered Anordnung released with its Buchung; false if it was
/// not (or no longer) in state ERFASST.
pub fn freigeben(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    user: &str,
    am: &str,
    buchung: i64,
) -> Result<bool> {
    Ok(sql.execute(
        "UPDATE fin_anordnung SET status = 'FREIGEGEBEN', freigegeben_von = ?, freigegeben_am = ?, buchung = ?, version = version + 1 \
         WHERE mandant = ? AND nr = ? AND status = 'ERFASST'",
        &params![user, am, buchung, mandant, nr],
    )? == 1)
}

/// Mark an Anordnung cancelled (with the reversing Buchung of a released one).
pub fn stornieren(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    user: &str,
    am: &str,
    storno_buchung: Option<i64>,
) -> Result<bool> {
    Ok(sql.execute(
        "UPDATE fin_anordnung SET status = 'STORNIERT', storniert_von = ?, storniert_am = ?, storno_buchung = ?, version = version + 1 \
         WHERE mandant = ? AND nr = ? AND status <> 'STORNIERT'",
        &[
            Value::from(user),
            Value::from(am),
            Value::from(storno_buchung),
            Value::from(mandant),
            Value::from(nr),
        ],
    )? == 1)
}

const COLS: &str = "nr, art, partner, kassenzeichen, produkt, konto, kostenstelle, gegenkonto, text, status, version, \
     erfasst_von, erfasst_am, freigegeben_von, freigegeben_am, buchung, storniert_von, storniert_am, storno_buchung, \
     vorgebucht, iban, zweckcode, reservierung";

fn lesen_wo(sql: &mut dyn Sql, mandant: &str, wo: &str, key: Value) -> Result<Option<Anordnung>> {
    let Some(r) = sql.query_opt(
        &format!("SELECT {COLS} FROM fin_anordnung WHERE mandant = ? AND {wo} = ?"),
        &[Value::from(mandant), key],
    )?
    else {
        return Ok(None);
    };
    let nr = r.i64(0)?;
    let posten = sql
        .query(
            "SELECT lfd, faellig, betrag - abgesetzt, bezahlt FROM fin_faelligkeit WHERE mandant = ? AND anordnung = ? ORDER BY lfd",
            &params![mandant, nr],
        )?
        .iter()
        .map(|p| {
            Ok(Posten {
                lfd: p.i64(0)?,
                faellig: p.date(1)?,
                soll: Money::from_cents(p.i64(2)?),
                ist: Money::from_cents(p.i64(3)?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Anordnung {
        nr,
        art: AnordnungArt::parse(&r.str(1)?)?,
        partner: r.i64(2)?,
        kassenzeichen: r.str(3)?,
        produkt: r.str(4)?,
        konto: r.str(5)?,
        kostenstelle: r.opt_str(6)?,
        gegenkonto: r.str(7)?,
        text: r.str(8)?,
        status: AnordnungStatus::parse(&r.str(9)?)?,
        version: r.i64(10)?,
        erfasst_von: r.str(11)?,
        erfasst_am: r.str(12)?,
        freigegeben_von: r.opt_str(13)?,
        freigegeben_am: r.opt_str(14)?,
        buchung: r.opt_i64(15)?,
        storniert_von: r.opt_str(16)?,
        storniert_am: r.opt_str(17)?,
        storno_buchung: r.opt_i64(18)?,
        vorgebucht: r.opt_i64(19)?,
        iban: r.opt_str(20)?,
        zweckcode: r.opt_str(21)?,
        reservierung: r.opt_i64(22)?,
        posten,
    }))
}

pub fn lesen(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Anordnung> {
    lesen_wo(sql, mandant, "nr", Value::from(nr))?
        .ok_or_else(|| KisError::NotFound(format!("Anordnung {nr} ist nicht vorhanden.")))
}

pub fn zu_kassenzeichen(
    sql: &mut dyn Sql,
    mandant: &str,
    kassenzeichen: &str,
) -> Result<Option<Anordnung>> {
    lesen_wo(sql, mandant, "kassenzeichen", Value::from(kassenzeichen))
}

/// The Anordnungen of a partner, newest first (the Personenkonto's history).
pub fn zum_partner(sql: &mut dyn Sql, mandant: &str, partner: i64) -> Result<Vec<Anordnung>> {
    let nrs = sql.query(
        "SELECT nr FROM fin_anordnung WHERE mandant = ? AND partner = ? ORDER BY nr DESC",
        &params![mandant, partner],
    )?;
    nrs.iter().map(|r| lesen(sql, mandant, r.i64(0)?)).collect()
}

/// Release every entered Anordnung already posted by another procedure
/// that `user` did not enter, linking each to its Vorbuchung; returns
/// (number, Buchung) of each, by number.
pub fn vorgebucht_freigeben(
    sql: &mut dyn Sql,
    mandant: &str,
    user: &str,
    am: &str,
) -> Result<Vec<(i64, i64)>> {
    let mut v = sql
        .query(
            "UPDATE fin_anordnung SET status = 'FREIGEGEBEN', freigegeben_von = ?, freigegeben_am = ?, buchung = vorgebucht, \
             version = version + 1 \
             WHERE mandant = ? AND status = 'ERFASST' AND erfasst_von <> ? AND vorgebucht IS NOT NULL RETURNING nr, vorgebucht",
            &params![user, am, mandant, user],
        )?
        .iter()
        .map(|r| Ok((r.i64(0)?, r.i64(1)?)))
        .collect::<Result<Vec<_>>>()?;
    v.sort_unstable();
    Ok(v)
}

/// The entered (not released) Anordnungen that `user` did not enter, by number.
pub fn offen_fuer_freigabe(sql: &mut dyn Sql, mandant: &str, user: &str) -> Result<Vec<i64>> {
    sql.query(
        "SELECT nr FROM fin_anordnung WHERE mandant = ? AND status = 'ERFASST' AND erfasst_von <> ? ORDER BY nr",
        &params![mandant, user],
    )?
    .iter()
    .map(|r| r.i64(0))
    .collect()
}

/// Add a Sollstellung of kind `art` (K Kosten, S Säumniszuschlag) to an
/// Anordnung; returns its line number.
pub fn sollstellung_anfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    anordnung: i64,
    faellig: NaiveDate,
    betrag: Money,
    art: &str,
) -> Result<i64> {
    let lfd = sql
        .query_opt(
            "SELECT COALESCE(MAX(lfd), 0) + 1 FROM fin_faelligkeit WHERE mandant = ? AND anordnung = ?",
            &params![mandant, anordnung],
        )?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(1);
    sql.execute(
        "INSERT INTO fin_faelligkeit (mandant, anordnung, lfd, faellig, betrag, bezahlt, art) VALUES (?, ?, ?, ?, ?, 0, ?)",
        &params![mandant, anordnung, lfd, faellig, betrag.cents(), art],
    )?;
    Ok(lfd)
}

/// How many due dates of Anordnung `nr` are Nebenforderungen (art K, S or
/// Z: fees, Säumniszuschläge, interest added after its release).
pub fn nebenforderungen(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<i64> {
    sql.query_one(
        "SELECT COUNT(*) FROM fin_faelligkeit WHERE mandant = ? AND anordnung = ? AND art <> 'H'",
        &params![mandant, nr],
    )?
    .i64(0)
}

/// One due date with its kind and what was paid and taken off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaelligkeitZeile {
    pub lfd: i64,
    /// K, S, Z or H (the order of AO § 225(2)).
    pub art: String,
    pub faellig: NaiveDate,
    pub betrag: Money,
    pub bezahlt: Money,
    pub abgesetzt: Money,
}

impl FaelligkeitZeile {
    pub fn rest(&self) -> Money {
        Money::from_cents(self.betrag.cents() - self.bezahlt.cents() - self.abgesetzt.cents())
    }
}

/// The due dates of Anordnung `nr` in order.
pub fn faelligkeiten(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Vec<FaelligkeitZeile>> {
    sql.query(
        "SELECT lfd, art, faellig, betrag, bezahlt, abgesetzt FROM fin_faelligkeit \
         WHERE mandant = ? AND anordnung = ? ORDER BY lfd",
        &params![mandant, nr],
    )?
    .iter()
    .map(|r| {
        Ok(FaelligkeitZeile {
            lfd: r.i64(0)?,
            art: r.str(1)?,
            faellig: r.date(2)?,
            betrag: Money::from_cents(r.i64(3)?),
            bezahlt: Money::from_cents(r.i64(4)?),
            abgesetzt: Money::from_cents(r.i64(5)?),
        })
    })
    .collect()
}

/// Take `betrag` off the Soll of a due date (Erlass, Stundung); false when
/// its open rest is smaller (changed meanwhile).
pub fn absetzen(
    sql: &mut dyn Sql,
    mandant: &str,
    anordnung: i64,
    lfd: i64,
    betrag: Money,
) -> Result<bool> {
    let n = sql.execute(
        "UPDATE fin_faelligkeit SET abgesetzt = abgesetzt + ? \
         WHERE mandant = ? AND anordnung = ? AND lfd = ? AND bezahlt + abgesetzt + ? <= betrag",
        &params![betrag.cents(), mandant, anordnung, lfd, betrag.cents()],
    )?;
    Ok(n == 1)
}

/// Move a due date (a Stundung's instalment after Terminverlust).
pub fn faellig_setzen(
    sql: &mut dyn Sql,
    mandant: &str,
    anordnung: i64,
    lfd: i64,
    faellig: NaiveDate,
) -> Result<()> {
    sql.execute(
        "UPDATE fin_faelligkeit SET faellig = ? WHERE mandant = ? AND anordnung = ? AND lfd = ?",
        &params![faellig, mandant, anordnung, lfd],
    )?;
    Ok(())
}

/// Whether an open due date of Anordnung `nr` is in a live Zahllauf.
pub fn in_live_zahllauf(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM fin_zahllauf_posten z JOIN fin_faelligkeit f ON f.mandant = z.mandant \
             AND f.anordnung = z.anordnung AND f.lfd = z.lfd \
             WHERE z.mandant = ? AND z.anordnung = ? AND z.live = 1 AND f.bezahlt + f.abgesetzt < f.betrag",
            &params![mandant, nr],
        )?
        .is_some())
}

/// Insert a batch of Auszahlungsanordnungen already posted by the Buchung
/// `v.buchung` (status ERFASST, one due date each): (number, Kassenzeichen,
/// partner, content) per Anordnung, in multi-row statements.
pub fn vorgebucht_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    v: &Vorbuchung,
    zeilen: &[(i64, String, i64, &VorgebuchteAuszahlung)],
    user: &str,
    am: &str,
) -> Result<u64> {
    let mut kopf = BulkInsert::new(
        "fin_anordnung",
        &[
            "mandant",
            "nr",
            "art",
            "partner",
            "kassenzeichen",
            "produkt",
            "konto",
            "kostenstelle",
            "gegenkonto",
            "text",
            "status",
            "version",
            "erfasst_von",
            "erfasst_am",
            "vorgebucht",
            "iban",
            "zweckcode",
        ],
    )?;
    for (nr, kz, partner, a) in zeilen {
        kopf.push(
            sql,
            params![
                mandant,
                *nr,
                AnordnungArt::Auszahlung.code(),
                *partner,
                kz.as_str(),
                a.produkt.as_str(),
                a.konto.as_str(),
                a.kostenstelle.as_deref(),
                v.gegenkonto.as_str(),
                a.text.as_str(),
                AnordnungStatus::Erfasst.code(),
                1i64,
                user,
                am,
                v.buchung,
                a.iban.as_str(),
                v.zweckcode.as_deref()
            ],
        )?;
    }
    let n = kopf.finish(sql)?;
    let mut faellig = BulkInsert::new(
        "fin_faelligkeit",
        &["mandant", "anordnung", "lfd", "faellig", "betrag"],
    )?;
    for (nr, _, _, a) in zeilen {
        faellig.push(
            sql,
            params![mandant, *nr, 1i64, a.faellig, a.betrag.cents()],
        )?;
    }
    faellig.finish(sql)?;
    Ok(n)
}

/// An uncancelled Anordnung of a Vorbuchung with what was paid on it and
/// the live Zahllauf it is in, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VorgebuchtStand {
    pub nr: i64,
    pub kassenzeichen: String,
    pub bezahlt: i64,
    pub zahllauf: Option<i64>,
}

/// The uncancelled Anordnungen already posted by Buchung `buchung`, by number.
pub fn zur_vorbuchung(
    sql: &mut dyn Sql,
    mandant: &str,
    buchung: i64,
) -> Result<Vec<VorgebuchtStand>> {
    sql.query(
        "SELECT a.nr, a.kassenzeichen, CAST(COALESCE(SUM(f.bezahlt), 0) AS BIGINT), MIN(z.zahllauf) \
         FROM fin_anordnung a JOIN fin_faelligkeit f ON f.mandant = a.mandant AND f.anordnung = a.nr \
         LEFT JOIN fin_zahllauf_posten z ON z.mandant = f.mandant AND z.anordnung = f.anordnung AND z.lfd = f.lfd AND z.live = 1 \
         WHERE a.mandant = ? AND a.vorgebucht = ? AND a.status <> 'STORNIERT' \
         GROUP BY a.nr, a.kassenzeichen ORDER BY a.nr",
        &params![mandant, buchung],
    )?
    .iter()
    .map(|r| {
        Ok(VorgebuchtStand {
            nr: r.i64(0)?,
            kassenzeichen: r.str(1)?,
            bezahlt: r.i64(2)?,
            zahllauf: r.opt_i64(3)?,
        })
    })
    .collect()
}

/// Cancel every uncancelled Anordnung already posted by Buchung `buchung`
/// (the Buchung itself is reversed by its procedure); returns how many.
pub fn vorgebucht_stornieren(
    sql: &mut dyn Sql,
    mandant: &str,
    buchung: i64,
    user: &str,
    am: &str,
) -> Result<u64> {
    sql.execute(
        "UPDATE fin_anordnung SET status = 'STORNIERT', storniert_von = ?, storniert_am = ?, version = version + 1 \
         WHERE mandant = ? AND vorgebucht = ? AND status <> 'STORNIERT'",
        &params![user, am, mandant, buchung],
    )
}
