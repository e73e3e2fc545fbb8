//! The Doppik journal: Buchungen with balanced lines (Soll = Haben, enforced
//! here and by the database, see `migrations/0200_finas.sql`), the
//! Drei-Komponenten-Rechnung, periods, Storno instead of deletion and the
//! per-account totals kept current in the posting transaction.
//!
//! Other procedures post inside their own transaction with [`post_in`]
//! (the cash office after its Anordnung, taxes after a Bescheid) or, where
//! the posting is itself an Anordnung, with [`buchen_in`], which also runs
//! the budget check (the payroll run); clerks post through [`buchen`].

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::stamm::{self, JahrStatus, Konto, KontoTyp};
use super::ueberwachung::{self, Pruefergebnis};
use crate::core::audit::{self, Actor};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::core::session::Session;
use crate::params;
use crate::store::{Sql, Value};

pub const ENTITY: &str = "fin_buchung";

/// One line as entered: exactly one of `soll`/`haben` is positive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZeileInput {
    pub konto: String,
    pub produkt: Option<String>,
    pub kostenstelle: Option<String>,
    pub soll: Money,
    pub haben: Money,
}

impl ZeileInput {
    pub fn soll(konto: &str, produkt: Option<&str>, betrag: Money) -> ZeileInput {
        ZeileInput {
            konto: konto.into(),
            produkt: produkt.map(Into::into),
            kostenstelle: None,
            soll: betrag,
            haben: Money::zero(),
        }
    }

    pub fn haben(konto: &str, produkt: Option<&str>, betrag: Money) -> ZeileInput {
        ZeileInput {
            konto: konto.into(),
            produkt: produkt.map(Into::into),
            kostenstelle: None,
            soll: Money::zero(),
            haben: betrag,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuchungInput {
    pub datum: NaiveDate,
    /// 1–12 from the date if `None`; 13–16 for closing entries (dated 31.12.);
    /// 0 only for the Eröffnungsbuchung (dated 01.01.).
    pub periode: Option<u8>,
    pub beleg: String,
    pub text: String,
    pub zeilen: Vec<ZeileInput>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Zeile {
    pub lfd: i64,
    pub konto: String,
    pub konto_bezeichnung: String,
    pub produkt: Option<String>,
    pub kostenstelle: Option<String>,
    pub soll: Money,
    pub haben: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buchung {
    pub nr: i64,
    pub jahr: i32,
    pub periode: u8,
    pub datum: NaiveDate,
    pub beleg: String,
    pub text: String,
    pub storno_von: Option<i64>,
    pub storniert_durch: Option<i64>,
    pub erfasst_von: String,
    pub erfasst_am: String,
    pub summe: Money,
    pub zeilen: Vec<Zeile>,
}

/// A checked Buchung, ready to be written.
#[derive(Clone, Debug)]
pub struct Geprueft {
    pub jahr: i32,
    pub periode: u8,
    pub datum: NaiveDate,
    pub beleg: String,
    pub text: String,
    pub zeilen: Vec<(Konto, ZeileInput)>,
    pub summe: i64,
}

fn line_err(i: usize, msg: impl std::fmt::Display) -> KisError {
    KisError::field("zeilen", format!("Zeile {}: {msg}", i + 1))
}

/// The period of a posting date (see [`BuchungInput::periode`]).
pub fn periode_fuer(datum: NaiveDate, periode: Option<u8>) -> Result<u8> {
    match periode {
        None => Ok(datum.month() as u8),
        Some(p) if (1..=12).contains(&p) => {
            if u32::from(p) != datum.month() {
                return Err(KisError::field(
                    "periode",
                    format!(
                        "Periode {p} passt nicht zum Buchungsdatum {}.",
                        crate::core::date::format_date_de(datum)
                    ),
                ));
            }
            Ok(p)
        }
        Some(p) if (13..=16).contains(&p) => {
            if (datum.month(), datum.day()) != (12, 31) {
                return Err(KisError::field(
                    "periode",
                    "Abschlussperioden 13 bis 16 nur mit Datum 31.12.",
                ));
            }
            Ok(p)
        }
        Some(0) => {
            if datum.ordinal() != 1 {
                return Err(KisError::field(
                    "periode",
                    "Die Eröffnungsperiode 0 nur mit Datum 01.01.",
                ));
            }
            Ok(0)
        }
        Some(_) => Err(KisError::field("periode", "Periode 0 bis 16 angeben.")),
    }
}

/// Check a Buchung completely against the master data (no writes).
pub fn pruefen_in(sql: &mut dyn Sql, mandant: &str, input: &BuchungInput) -> Result<Geprueft> {
    let periode = periode_fuer(input.datum, input.periode)?;
    let beleg = input.beleg.trim();
    if beleg.is_empty() || beleg.chars().count() > 30 {
        return Err(KisError::field(
            "beleg",
            "Belegnummer angeben (höchstens 30 Zeichen).",
        ));
    }
    let text = input.text.trim();
    if text.is_empty() || text.chars().count() > 120 {
        return Err(KisError::field(
            "text",
            "Buchungstext angeben (höchstens 120 Zeichen).",
        ));
    }
    if input.zeilen.len() < 2 {
        return Err(KisError::field(
            "zeilen",
            "Eine Buchung braucht mindestens zwei Zeilen (Soll und Haben).",
        ));
    }
    if input.zeilen.len() > 999 {
        return Err(KisError::field(
            "zeilen",
            "Höchstens 999 Zeilen je Buchung.",
        ));
    }
    let mut zeilen = Vec::with_capacity(input.zeilen.len());
    let (mut soll, mut haben) = (0i64, 0i64);
    for (i, z) in input.zeilen.iter().enumerate() {
        let (s, h) = (z.soll.cents(), z.haben.cents());
        if s < 0 || h < 0 || (s > 0) == (h > 0) {
            return Err(line_err(
                i,
                "genau einen positiven Betrag entweder im Soll oder im Haben angeben.",
            ));
        }
        let konto = stamm::konto_in(sql, mandant, z.konto.trim()).map_err(|e| line_err(i, e))?;
        if konto.typ == KontoTyp::Klr {
            return Err(line_err(
                i,
                format!(
                    "Konto {} gehört zur Kosten- und Leistungsrechnung und wird nicht im Journal gebucht.",
                    konto.nr
                ),
            ));
        }
        let produkt = z
            .produkt
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        match produkt {
            Some(p) => {
                let pr = stamm::produkt_in(sql, mandant, p).map_err(|e| line_err(i, e))?;
                if pr.ebene != 3 {
                    return Err(line_err(
                        i,
                        format!(
                            "{p} ist kein Produkt, sondern eine Produktgruppe oder ein Produktbereich."
                        ),
                    ));
                }
            }
            None if matches!(konto.typ, KontoTyp::Ergebnis | KontoTyp::Finanz) => {
                return Err(line_err(
                    i,
                    format!(
                        "Konto {} ist ein {}konto: bitte das Produkt angeben.",
                        konto.nr,
                        konto.typ.label()
                    ),
                ));
            }
            None => {}
        }
        let kst = z
            .kostenstelle
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty());
        if let Some(k) = kst
            && !stamm::kostenstelle_exists(sql, mandant, k)?
        {
            return Err(line_err(
                i,
                format!("Kostenstelle {k} ist nicht vorhanden."),
            ));
        }
        soll = soll
            .checked_add(s)
            .ok_or_else(|| line_err(i, "Betrag zu groß."))?;
        haben = haben
            .checked_add(h)
            .ok_or_else(|| line_err(i, "Betrag zu groß."))?;
        zeilen.push((
            konto,
            ZeileInput {
                konto: z.konto.trim().into(),
                produkt: produkt.map(Into::into),
                kostenstelle: kst.map(Into::into),
                soll: z.soll,
                haben: z.haben,
            },
        ));
    }
    if soll != haben {
        return Err(KisError::field(
            "zeilen",
            format!(
                "Soll ({}) und Haben ({}) sind nicht gleich – Differenz {}.",
                Money::from_cents(soll).format_de(),
                Money::from_cents(haben).format_de(),
                Money::from_cents(soll - haben).format_de()
            ),
        ));
    }
    drei_komponenten(&zeilen, periode)?;
    Ok(Geprueft {
        jahr: input.datum.year(),
        periode,
        datum: input.datum,
        beleg: beleg.into(),
        text: text.into(),
        zeilen,
        summe: soll,
    })
}

/// The Drei-Komponenten-Rechnung: Finanzkonten are posted against the
/// Finanzrechnungskonto only (the Finanzrechnung balances in itself), and in
/// the periods 1–12 the net Einzahlungen of a Buchung equal the movement of
/// the liquid funds (the Eröffnung in period 0 and the closing entries in
/// 13–16 move balances, not money).
fn drei_komponenten(zeilen: &[(Konto, ZeileInput)], periode: u8) -> Result<()> {
    let net = |z: &ZeileInput| z.soll.cents() - z.haben.cents();
    let finanz: i64 = zeilen
        .iter()
        .filter(|(k, _)| k.typ == KontoTyp::Finanz)
        .map(|(_, z)| net(z))
        .sum();
    let frk: i64 = zeilen
        .iter()
        .filter(|(k, _)| k.typ == KontoTyp::Abschluss && k.zeile == stamm::FINANZRECHNUNGSKONTO)
        .map(|(_, z)| net(z))
        .sum();
    let liquide: i64 = zeilen
        .iter()
        .filter(|(k, _)| k.is_liquide())
        .map(|(_, z)| net(z))
        .sum();
    if finanz + frk != 0 {
        return Err(KisError::field(
            "zeilen",
            "Finanzkonten (Klassen 6 und 7) werden nur gegen das Finanzrechnungskonto gebucht; die Finanzzeilen gleichen sich nicht aus.",
        ));
    }
    // Einzahlungen are Haben on class 6, Auszahlungen Soll on class 7.
    let einzahlung_netto = -finanz;
    if (1..=12).contains(&periode) && einzahlung_netto != liquide {
        return Err(KisError::field(
            "zeilen",
            format!(
                "Drei-Komponenten-Rechnung: die liquiden Mittel ändern sich um {}, die Finanzrechnung um {} – bei Zahlungen bitte das Finanzkonto mitbuchen.",
                Money::from_cents(liquide).format_de(),
                Money::from_cents(einzahlung_netto).format_de()
            ),
        ));
    }
    Ok(())
}

/// Reserve `n` consecutive numbers of a Nummernkreis; returns the first.
pub fn nummern_in(sql: &mut dyn Sql, mandant: &str, art: &str, n: i64) -> Result<i64> {
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

fn check_offen(sql: &mut dyn Sql, mandant: &str, jahr: i32, periode: u8) -> Result<()> {
    match stamm::jahr_status_in(sql, mandant, jahr) {
        Ok(JahrStatus::Geschlossen) => {
            return Err(KisError::Conflict(format!(
                "Haushaltsjahr {jahr} ist geschlossen; es kann nicht mehr gebucht werden."
            )));
        }
        Ok(JahrStatus::Planung) => {
            return Err(KisError::field(
                "datum",
                format!(
                    "Haushaltsjahr {jahr} ist noch in der Planung; Buchungen sind erst ab Beginn der Haushaltsführung möglich."
                ),
            ));
        }
        Ok(_) => {}
        Err(_) => {
            return Err(KisError::field(
                "datum",
                format!("Haushaltsjahr {jahr} ist nicht angelegt."),
            ));
        }
    }
    if !stamm::periode_offen_in(sql, mandant, jahr, periode)? {
        return Err(KisError::Conflict(format!(
            "Periode {jahr}-{periode:02} ist abgeschlossen; Buchungen in diese Periode sind nicht mehr möglich."
        )));
    }
    Ok(())
}

/// Column lists of the journal tables, shared by single and bulk inserts.
pub(crate) const BUCHUNG_COLS: &str = "mandant, nr, jahr, periode, datum, beleg, text, storno_von, erfasst_von, erfasst_am, zeilen, soll_summe, haben_summe";
pub(crate) const ZEILE_COLS: &str = "mandant, buchung, lfd, lfd_vor, zeilen, summe, jahr, konto, produkt, kostenstelle, soll, haben, soll_vor, haben_vor, soll_kum, haben_kum";

/// Append the header row values of a Buchung.
pub(crate) fn header_values(
    out: &mut Vec<Value>,
    actor: &Actor,
    nr: i64,
    g: &Geprueft,
    storno_von: Option<i64>,
) {
    let at = actor.at.format("%Y-%m-%dT%H:%M:%S").to_string();
    out.extend(params![
        actor.mandant.as_str(),
        nr,
        g.jahr,
        g.periode,
        g.datum,
        g.beleg.as_str(),
        g.text.as_str(),
        storno_von,
        actor.user.as_str(),
        at,
        g.zeilen.len(),
        g.summe,
        g.summe
    ]);
}

/// Append the line rows of a Buchung with their running totals.
pub(crate) fn line_values(out: &mut Vec<Vec<Value>>, mandant: &str, nr: i64, g: &Geprueft) {
    let (mut sv, mut hv) = (0i64, 0i64);
    let n = g.zeilen.len() as i64;
    for (i, (k, z)) in g.zeilen.iter().enumerate() {
        let lfd = i as i64 + 1;
        let (s, h) = (z.soll.cents(), z.haben.cents());
        out.push(params![
            mandant,
            nr,
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

/// Insert rows with multi-row `INSERT … VALUES (…), (…)` statements of at
/// most `chunk` rows (fewer round trips on PostgreSQL).
pub(crate) fn insert_rows(
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

/// Per (Konto, Produkt, Periode) Soll and Haben of a set of postings.
pub(crate) type Summen = BTreeMap<(String, String, u8), (i64, i64)>;

pub(crate) fn summen_add(s: &mut Summen, g: &Geprueft) {
    for (k, z) in &g.zeilen {
        let e = s
            .entry((
                k.nr.clone(),
                z.produkt.clone().unwrap_or_default(),
                g.periode,
            ))
            .or_insert((0, 0));
        e.0 += z.soll.cents();
        e.1 += z.haben.cents();
    }
}

/// Add totals to the per-account table (upsert; the row lock on PostgreSQL
/// serialises concurrent postings to the same account and period).
pub(crate) fn summen_schreiben(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    s: &Summen,
) -> Result<()> {
    for ((konto, produkt, periode), (soll, haben)) in s {
        sql.execute(
            "INSERT INTO fin_summe (mandant, jahr, konto, produkt, periode, soll, haben) VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (mandant, jahr, konto, produkt, periode) DO UPDATE SET soll = fin_summe.soll + excluded.soll, haben = fin_summe.haben + excluded.haben",
            &params![mandant, jahr, konto.as_str(), produkt.as_str(), *periode, *soll, *haben],
        )?;
    }
    Ok(())
}

fn write_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    g: &Geprueft,
    storno_von: Option<i64>,
) -> Result<i64> {
    let m = actor.mandant.as_str();
    check_offen(sql, m, g.jahr, g.periode)?;
    let nr = nummern_in(sql, m, "BUCHUNG", 1)?;
    let mut header = Vec::new();
    header_values(&mut header, actor, nr, g, storno_von);
    insert_rows(sql, "fin_buchung", BUCHUNG_COLS, &[header], 1).map_err(|e| match e {
        KisError::Conflict(_) if storno_von.is_some() => KisError::Conflict(format!(
            "Buchung {} ist bereits storniert.",
            storno_von.unwrap_or_default()
        )),
        other => other,
    })?;
    let mut lines = Vec::new();
    line_values(&mut lines, m, nr, g);
    insert_rows(sql, "fin_buchungszeile", ZEILE_COLS, &lines, 200)?;
    let mut s = Summen::new();
    summen_add(&mut s, g);
    summen_schreiben(sql, m, g.jahr, &s)?;
    let after = serde_json::json!({
        "nr": nr, "jahr": g.jahr, "periode": g.periode, "datum": g.datum.to_string(), "beleg": g.beleg, "text": g.text,
        "storno_von": storno_von, "summe": Money::from_cents(g.summe),
        "zeilen": g.zeilen.iter().map(|(_, z)| z).collect::<Vec<_>>(),
    });
    audit::append(
        sql,
        actor,
        if storno_von.is_some() {
            "STORNIERT"
        } else {
            "GEBUCHT"
        },
        ENTITY,
        &nr.to_string(),
        None,
        Some(&after),
    )?;
    Ok(nr)
}

/// Post a Buchung inside the caller's write transaction: checks everything
/// (balance, accounts, Produkte, three components, open period), writes it,
/// updates the account totals and appends the audit entry. Returns the
/// Buchungsnummer. No role check and no budget check: the calling service
/// (Anordnung, Bescheid, …) has done both.
pub fn post_in(sql: &mut dyn Sql, actor: &Actor, input: &BuchungInput) -> Result<i64> {
    let g = pruefen_in(sql, &actor.mandant, input)?;
    write_in(sql, actor, &g, None)
}

/// The result of a clerk's posting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gebucht {
    pub nr: i64,
    /// Budget warnings (over the Mandant's threshold), shown to the clerk.
    pub warnungen: Vec<String>,
}

/// Expense lines subject to the budget check: Aufwendungen (class 5) and
/// Auszahlungen für Investitionen (Finanzplan lines 24–29).
fn budgetrelevant(k: &Konto) -> bool {
    k.klasse == 5 || (k.klasse == 7 && k.zeile.parse::<u32>().is_ok_and(|z| (24..=29).contains(&z)))
}

/// A clerk posts a Buchung (FIN300): role FinasAendern; expense lines run the
/// budget check per Produkt × Konto and are refused over the available funds.
pub fn buchen(session: &Session, input: &BuchungInput) -> Result<Gebucht> {
    session.require(&[Role::FinasAendern])?;
    let actor = session.actor();
    session.db.write(|sql| buchen_in(sql, &actor, input))
}

/// Post a Buchung inside the caller's write transaction with the budget
/// check of every Anordnung: the expense lines are summed per Produkt ×
/// Konto and each position is checked ([`ueberwachung::pruefen_in`]); a
/// position over its available funds refuses the whole Buchung, warnings
/// are returned. No role check: the calling service has done it.
pub fn buchen_in(sql: &mut dyn Sql, actor: &Actor, input: &BuchungInput) -> Result<Gebucht> {
    let g = pruefen_in(sql, &actor.mandant, input)?;
    let mut bedarf: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (k, z) in &g.zeilen {
        if budgetrelevant(k)
            && let Some(p) = &z.produkt
        {
            *bedarf.entry((p.clone(), k.nr.clone())).or_default() +=
                z.soll.cents() - z.haben.cents();
        }
    }
    let mut warnungen = Vec::new();
    for ((produkt, konto), betrag) in bedarf.into_iter().filter(|(_, b)| *b > 0) {
        match ueberwachung::pruefen_in(
            sql,
            &actor.mandant,
            g.jahr,
            &produkt,
            &konto,
            Money::from_cents(betrag),
        )? {
            Pruefergebnis::Ok { .. } => {}
            Pruefergebnis::Warnung { meldung, .. } => warnungen.push(meldung),
            Pruefergebnis::Abgelehnt { meldung, .. } => {
                return Err(KisError::Conflict(meldung));
            }
        }
    }
    let nr = write_in(sql, actor, &g, None)?;
    Ok(Gebucht { nr, warnungen })
}

/// Reverse a Buchung: a new Buchung with Soll and Haben swapped, dated in an
/// open period, referring to the original (which stays unchanged). A Buchung
/// can be reversed once; a Storno itself is not reversed again.
pub fn stornieren(session: &Session, nr: i64, datum: NaiveDate, grund: &str) -> Result<i64> {
    session.require(&[Role::FinasAendern])?;
    let actor = session.actor();
    session
        .db
        .write(|sql| stornieren_in(sql, &actor, nr, datum, grund))
}

pub fn stornieren_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    nr: i64,
    datum: NaiveDate,
    grund: &str,
) -> Result<i64> {
    let orig = lesen_in(sql, &actor.mandant, nr)?;
    if let Some(s) = orig.storniert_durch {
        return Err(KisError::Conflict(format!(
            "Buchung {nr} ist bereits durch Buchung {s} storniert."
        )));
    }
    if orig.storno_von.is_some() {
        return Err(KisError::Conflict(format!(
            "Buchung {nr} ist selbst ein Storno und kann nicht storniert werden."
        )));
    }
    if grund.trim().is_empty() {
        return Err(KisError::field(
            "grund",
            "Bitte den Grund des Stornos angeben.",
        ));
    }
    if datum < orig.datum {
        return Err(KisError::field(
            "datum",
            "Das Storno darf nicht vor der ursprünglichen Buchung liegen.",
        ));
    }
    let periode = if orig.periode > 12 && datum.year() == orig.jahr {
        Some(orig.periode)
    } else {
        None
    };
    let input = BuchungInput {
        datum,
        periode,
        beleg: orig.beleg.clone(),
        text: format!("Storno zu Nr. {nr}: {}", grund.trim())
            .chars()
            .take(120)
            .collect(),
        zeilen: orig
            .zeilen
            .iter()
            .map(|z| ZeileInput {
                konto: z.konto.clone(),
                produkt: z.produkt.clone(),
                kostenstelle: z.kostenstelle.clone(),
                soll: z.haben,
                haben: z.soll,
            })
            .collect(),
    };
    let g = pruefen_in(sql, &actor.mandant, &input)?;
    write_in(sql, actor, &g, Some(nr))
}

/// One Buchung with its lines and its Storno reference both ways.
pub fn lesen_in(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Buchung> {
    let h = sql
        .query_opt(
            "SELECT b.nr, b.jahr, b.periode, b.datum, b.beleg, b.text, b.storno_von, s.nr, b.erfasst_von, b.erfasst_am, b.soll_summe \
             FROM fin_buchung b LEFT JOIN fin_buchung s ON s.mandant = b.mandant AND s.storno_von = b.nr \
             WHERE b.mandant = ? AND b.nr = ?",
            &params![mandant, nr],
        )?
        .ok_or_else(|| KisError::NotFound(format!("Buchung {nr} ist nicht vorhanden.")))?;
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
    Ok(Buchung {
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
    })
}

pub fn lesen(session: &Session, nr: i64) -> Result<Buchung> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| lesen_in(sql, &session.mandant.id, nr))
}

/// The lines for a Finanzzahlung: bank and counter account (Bilanz) plus the
/// Finanzkonto of the Ergebniskonto against the Finanzrechnungskonto.
/// `eingang`: Einzahlung (Bank an Gegenkonto) or Auszahlung (Gegenkonto an Bank).
#[allow(clippy::too_many_arguments)]
pub fn zahlung_zeilen(
    sql: &mut dyn Sql,
    mandant: &str,
    bank: &str,
    gegenkonto: &str,
    ergebniskonto: &str,
    produkt: &str,
    betrag: Money,
    eingang: bool,
) -> Result<Vec<ZeileInput>> {
    let ek = stamm::konto_in(sql, mandant, ergebniskonto)?;
    let fk = ek.finanzkonto.ok_or_else(|| {
        KisError::field(
            "konto",
            format!("Konto {ergebniskonto} hat kein Finanzkonto (nicht zahlungswirksam)."),
        )
    })?;
    let frk = stamm::abschlusskonto_in(sql, mandant, stamm::FINANZRECHNUNGSKONTO)?;
    let p = Some(produkt);
    Ok(if eingang {
        vec![
            ZeileInput::soll(bank, None, betrag),
            ZeileInput::haben(gegenkonto, None, betrag),
            ZeileInput::soll(&frk, None, betrag),
            ZeileInput::haben(&fk, p, betrag),
        ]
    } else {
        vec![
            ZeileInput::soll(gegenkonto, None, betrag),
            ZeileInput::haben(bank, None, betrag),
            ZeileInput::soll(&fk, p, betrag),
            ZeileInput::haben(&frk, None, betrag),
        ]
    })
}

/// One line of a Kontenblatt with the running balance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KontenblattZeile {
    pub nr: i64,
    pub datum: NaiveDate,
    pub periode: u8,
    pub beleg: String,
    pub text: String,
    pub produkt: Option<String>,
    pub soll: Money,
    pub haben: Money,
    pub saldo: Money,
}

/// The lines of one account in a year in journal order, with the running
/// balance (Soll − Haben), at most `limit` lines from `offset`.
pub fn kontenblatt(
    session: &Session,
    jahr: i32,
    konto: &str,
    offset: usize,
    limit: usize,
) -> Result<(Konto, Vec<KontenblattZeile>)> {
    session.require(&[Role::FinasLesen])?;
    let m = session.mandant.id.as_str();
    session.db.read(|sql| {
        let k = stamm::konto_in(sql, m, konto.trim())?;
        // The running balance starts with everything before the page.
        let vor = if offset == 0 {
            0
        } else {
            sql.query_one(
                "SELECT COALESCE(CAST(SUM(soll - haben) AS BIGINT), 0) FROM (SELECT z.soll, z.haben FROM fin_buchungszeile z \
                 WHERE z.mandant = ? AND z.jahr = ? AND z.konto = ? ORDER BY z.buchung, z.lfd LIMIT ?) t",
                &params![m, jahr, k.nr.as_str(), offset],
            )?
            .i64(0)?
        };
        let mut saldo = vor;
        let rows = sql.query(
            "SELECT b.nr, b.datum, b.periode, b.beleg, b.text, z.produkt, z.soll, z.haben FROM fin_buchungszeile z \
             JOIN fin_buchung b ON b.mandant = z.mandant AND b.nr = z.buchung \
             WHERE z.mandant = ? AND z.jahr = ? AND z.konto = ? ORDER BY z.buchung, z.lfd LIMIT ? OFFSET ?",
            &params![m, jahr, k.nr.as_str(), limit, offset],
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
        Ok((k, out))
    })
}

/// Recompute the per-account totals of a year from the journal lines and
/// compare: the list of (Konto, Produkt, Periode) whose totals differ.
pub fn summen_pruefen(session: &Session, jahr: i32) -> Result<Vec<String>> {
    session.require(&[Role::FinasLesen])?;
    let m = session.mandant.id.as_str();
    session.db.read(|sql| {
        let mut ist: BTreeMap<(String, String, i64), (i64, i64)> = BTreeMap::new();
        sql.for_each(
            "SELECT z.konto, COALESCE(z.produkt, ''), b.periode, CAST(SUM(z.soll) AS BIGINT), CAST(SUM(z.haben) AS BIGINT) \
             FROM fin_buchungszeile z JOIN fin_buchung b ON b.mandant = z.mandant AND b.nr = z.buchung \
             WHERE z.mandant = ? AND z.jahr = ? GROUP BY z.konto, COALESCE(z.produkt, ''), b.periode",
            &params![m, jahr],
            &mut |r| {
                ist.insert((r.str(0)?, r.str(1)?, r.i64(2)?), (r.i64(3)?, r.i64(4)?));
                Ok(())
            },
        )?;
        let mut abweichungen = Vec::new();
        sql.for_each(
            "SELECT konto, produkt, periode, soll, haben FROM fin_summe WHERE mandant = ? AND jahr = ?",
            &params![m, jahr],
            &mut |r| {
                let key = (r.str(0)?, r.str(1)?, r.i64(2)?);
                let gespeichert = (r.i64(3)?, r.i64(4)?);
                let berechnet = ist.remove(&key).unwrap_or((0, 0));
                if berechnet != gespeichert {
                    abweichungen.push(format!("Konto {} Produkt {} Periode {}: Summen {:?}, Journal {:?}", key.0, key.1, key.2, gespeichert, berechnet));
                }
                Ok(())
            },
        )?;
        for (key, v) in ist {
            abweichungen.push(format!("Konto {} Produkt {} Periode {}: fehlt in den Summen, Journal {:?}", key.0, key.1, key.2, v));
        }
        Ok(abweichungen)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_follow_the_date() {
        let d = |m, t| NaiveDate::from_ymd_opt(2026, m, t).unwrap();
        assert_eq!(periode_fuer(d(3, 31), None).unwrap(), 3);
        assert_eq!(periode_fuer(d(12, 31), Some(14)).unwrap(), 14);
        assert!(periode_fuer(d(12, 30), Some(13)).is_err());
        assert!(periode_fuer(d(4, 1), Some(3)).is_err());
        assert_eq!(periode_fuer(d(1, 1), Some(0)).unwrap(), 0);
        assert!(periode_fuer(d(1, 2), Some(0)).is_err());
        assert!(periode_fuer(d(12, 31), Some(17)).is_err());
    }
}
