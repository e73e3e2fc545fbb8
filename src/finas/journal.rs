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

use super::repo;
use super::stamm::{self, JahrStatus, Konto, KontoTyp};
use super::ueberwachung::{self, Pruefergebnis};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_buchung";

/// One line as entered: exactly one of `soll`/`haben` is positive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZeileInput {
    pub konto: String,
    pub produkt: Option<String>,
    pub kostenstelle: Option<String>,
    pub soll: Money,
    pub haben: Money,
    /// The Mittelreservierung this expense line uses up (fully or partly).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservierung: Option<i64>,
}

impl ZeileInput {
    pub fn soll(konto: &str, produkt: Option<&str>, betrag: Money) -> ZeileInput {
        ZeileInput {
            konto: konto.into(),
            produkt: produkt.map(Into::into),
            kostenstelle: None,
            soll: betrag,
            haben: Money::zero(),
            reservierung: None,
        }
    }

    pub fn haben(konto: &str, produkt: Option<&str>, betrag: Money) -> ZeileInput {
        ZeileInput {
            konto: konto.into(),
            produkt: produkt.map(Into::into),
            kostenstelle: None,
            soll: Money::zero(),
            haben: betrag,
            reservierung: None,
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

/// Refuse a posting date on or before the Mandant's last Tagesabschluss
/// (see `kasse::tagesabschluss`): part of [`pruefen_in`], so every posting
/// path (post_in, buchen_in, stornieren_in) of every procedure runs it.
pub fn kassentag_offen_in(sql: &mut dyn Sql, mandant: &str, datum: NaiveDate) -> Result<()> {
    match repo::kasse::tagesabschluss::letzter(sql, mandant)? {
        Some(l) if datum <= l => Err(KisError::Conflict(format!(
            "Der Kassentag {} ist abgeschlossen; Buchungen mit diesem oder einem früheren Datum sind nicht mehr möglich (letzter Tagesabschluss {}).",
            datum.format("%d.%m.%Y"),
            l.format("%d.%m.%Y")
        ))),
        _ => Ok(()),
    }
}

/// The master data a check reads, kept across the Buchungen of one batch
/// ([`post_viele_in`]) so that each account, Produkt and Kostenstelle is read
/// once.
#[derive(Default)]
pub struct Stammcache {
    konten: std::collections::HashMap<String, Konto>,
    produkte: std::collections::HashMap<String, u8>,
    kostenstellen: std::collections::HashMap<String, bool>,
    /// The last closed Kassentag (outer None: not read yet).
    kassentag: Option<Option<NaiveDate>>,
    /// The Verwahrgeldkonto of the Kasse settings (outer None: not read yet).
    fremd: Option<Option<String>>,
}

impl Stammcache {
    fn konto(&mut self, sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<Konto> {
        if let Some(k) = self.konten.get(nr) {
            return Ok(k.clone());
        }
        let k = stamm::konto_in(sql, mandant, nr)?;
        self.konten.insert(nr.to_string(), k.clone());
        Ok(k)
    }

    fn produkt_ebene(&mut self, sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<u8> {
        if let Some(e) = self.produkte.get(nr) {
            return Ok(*e);
        }
        let e = stamm::produkt_in(sql, mandant, nr)?.ebene;
        self.produkte.insert(nr.to_string(), e);
        Ok(e)
    }

    fn kostenstelle(&mut self, sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<bool> {
        if let Some(b) = self.kostenstellen.get(nr) {
            return Ok(*b);
        }
        let b = stamm::kostenstelle_exists(sql, mandant, nr)?;
        self.kostenstellen.insert(nr.to_string(), b);
        Ok(b)
    }

    fn kassentag_offen(
        &mut self,
        sql: &mut dyn Sql,
        mandant: &str,
        datum: NaiveDate,
    ) -> Result<()> {
        if self.kassentag.is_none() {
            self.kassentag = Some(repo::kasse::tagesabschluss::letzter(sql, mandant)?);
        }
        match self.kassentag.flatten() {
            Some(l) if datum <= l => kassentag_offen_in(sql, mandant, datum),
            _ => Ok(()),
        }
    }

    /// The account of fremde Finanzmittel (Verwahrgelder), if the Kasse has one.
    fn fremd(&mut self, sql: &mut dyn Sql, mandant: &str) -> Result<Option<String>> {
        if self.fremd.is_none() {
            self.fremd = Some(
                repo::kasse::einstellung::lesen(sql, mandant)?
                    .map(|e| e.verwahrkonto)
                    .filter(|k| !k.is_empty()),
            );
        }
        Ok(self.fremd.clone().flatten())
    }
}

/// Check a Buchung completely against the master data (no writes).
pub fn pruefen_in(sql: &mut dyn Sql, mandant: &str, input: &BuchungInput) -> Result<Geprueft> {
    pruefen_mit(sql, mandant, input, &mut Stammcache::default())
}

/// [`pruefen_in`] with master data read through `cache`.
pub fn pruefen_mit(
    sql: &mut dyn Sql,
    mandant: &str,
    input: &BuchungInput,
    cache: &mut Stammcache,
) -> Result<Geprueft> {
    cache.kassentag_offen(sql, mandant, input.datum)?;
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
        let konto = cache
            .konto(sql, mandant, z.konto.trim())
            .map_err(|e| line_err(i, e))?;
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
                let ebene = cache
                    .produkt_ebene(sql, mandant, p)
                    .map_err(|e| line_err(i, e))?;
                if ebene != 3 {
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
            && !cache.kostenstelle(sql, mandant, k)?
        {
            return Err(line_err(
                i,
                format!("Kostenstelle {k} ist nicht vorhanden."),
            ));
        }
        if z.reservierung.is_some() && !(budgetrelevant(&konto) && s > 0 && produkt.is_some()) {
            return Err(line_err(
                i,
                "eine Mittelreservierung wird nur von einer Aufwands- oder Investitionszeile im Soll verbraucht.",
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
                reservierung: z.reservierung,
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
    let fremd = cache.fremd(sql, mandant)?;
    drei_komponenten(&zeilen, periode, fremd.as_deref())?;
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
/// 13–16 move balances, not money). Money the Kasse only holds for others
/// (the Verwahrgeldkonto `fremd`, the Klärungsliste's money) is fremde
/// Finanzmittel: it moves the liquid funds without an Einzahlung or
/// Auszahlung of the budget, as the NKF Finanzrechnung shows the
/// "Bestand an fremden Finanzmitteln" apart from the eigene Finanzmittel.
fn drei_komponenten(
    zeilen: &[(Konto, ZeileInput)],
    periode: u8,
    fremd: Option<&str>,
) -> Result<()> {
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
    // Fremde Finanzmittel received are Haben on the Verwahrgeldkonto.
    let fremde: i64 = zeilen
        .iter()
        .filter(|(k, _)| fremd == Some(k.nr.as_str()))
        .map(|(_, z)| -net(z))
        .sum();
    // Einzahlungen are Haben on class 6, Auszahlungen Soll on class 7.
    let einzahlung_netto = -finanz;
    if (1..=12).contains(&periode) && einzahlung_netto + fremde != liquide {
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
    repo::journal::nummern(sql, mandant, art, n)
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

/// Per (Konto, Produkt, Periode) Soll and Haben of a set of postings.
pub type Summen = BTreeMap<(String, String, u8), (i64, i64)>;

pub fn summen_add(s: &mut Summen, g: &Geprueft) {
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

fn write_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    g: &Geprueft,
    storno_von: Option<i64>,
) -> Result<i64> {
    let m = actor.mandant.as_str();
    check_offen(sql, m, g.jahr, g.periode)?;
    let nr = nummern_in(sql, m, "BUCHUNG", 1)?;
    repo::journal::koepfe_schreiben(sql, actor, &[(nr, g)], storno_von, 1).map_err(
        |e| match e {
            KisError::Conflict(_) if storno_von.is_some() => KisError::Conflict(format!(
                "Buchung {} ist bereits storniert.",
                storno_von.unwrap_or_default()
            )),
            other => other,
        },
    )?;
    repo::journal::zeilen_schreiben(sql, m, &[(nr, g)], 200)?;
    reservierungen_verbrauchen_in(sql, actor, nr, g)?;
    let mut s = Summen::new();
    summen_add(&mut s, g);
    repo::journal::summen_schreiben(sql, m, g.jahr, &s)?;
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

/// The expense per reservation that the lines of a Buchung name:
/// (reservation, Produkt, Konto) → amount.
fn reservierte_zeilen(g: &Geprueft) -> BTreeMap<(i64, String, String), i64> {
    let mut out = BTreeMap::new();
    for (k, z) in &g.zeilen {
        if let (Some(id), Some(p)) = (z.reservierung, &z.produkt) {
            *out.entry((id, p.clone(), k.nr.clone())).or_default() += z.soll.cents();
        }
    }
    out
}

/// The lines that name a reservation use it up (at most its rest).
fn reservierungen_verbrauchen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    nr: i64,
    g: &Geprueft,
) -> Result<()> {
    for ((id, produkt, konto), betrag) in reservierte_zeilen(g) {
        ueberwachung::reservierung_verbrauchen_in(
            sql,
            actor,
            id,
            nr,
            (g.jahr, &produkt, &konto),
            Money::from_cents(betrag),
        )?;
    }
    Ok(())
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

/// Post many Buchungen inside the caller's write transaction (the camt.053
/// import): each is checked like [`post_in`] (master data read once for the
/// batch), the periods are checked once each, numbers are reserved in one
/// go and heads, lines and totals are written in multi-row statements. One
/// audit entry `GEBUCHT` names the range of numbers, the count and the sum
/// (`anlass`: what posted them). Returns the numbers in input order.
pub fn post_viele_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    inputs: &[BuchungInput],
    anlass: &str,
) -> Result<Vec<i64>> {
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let m = actor.mandant.as_str();
    let mut cache = Stammcache::default();
    let mut geprueft = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let g = pruefen_mit(sql, m, input, &mut cache).map_err(|e| {
            KisError::validation(format!("Buchung {} ({}): {e}", i + 1, input.beleg))
        })?;
        geprueft.push(g);
    }
    let mut perioden: Vec<(i32, u8)> = geprueft.iter().map(|g| (g.jahr, g.periode)).collect();
    perioden.sort_unstable();
    perioden.dedup();
    for (jahr, periode) in &perioden {
        check_offen(sql, m, *jahr, *periode)?;
    }
    let first = nummern_in(sql, m, "BUCHUNG", geprueft.len() as i64)?;
    let nummeriert: Vec<(i64, &Geprueft)> = geprueft
        .iter()
        .enumerate()
        .map(|(i, g)| (first + i as i64, g))
        .collect();
    repo::journal::koepfe_schreiben(sql, actor, &nummeriert, None, 500)?;
    repo::journal::zeilen_schreiben(sql, m, &nummeriert, 500)?;
    for (nr, g) in &nummeriert {
        reservierungen_verbrauchen_in(sql, actor, *nr, g)?;
    }
    let mut jahre: BTreeMap<i32, Summen> = BTreeMap::new();
    for g in &geprueft {
        summen_add(jahre.entry(g.jahr).or_default(), g);
    }
    for (jahr, s) in &jahre {
        repo::journal::summen_schreiben(sql, m, *jahr, s)?;
    }
    let last = first + geprueft.len() as i64 - 1;
    audit::append(
        sql,
        actor,
        "GEBUCHT",
        ENTITY,
        &format!("{first}-{last}"),
        None,
        Some(&serde_json::json!({
            "anlass": anlass,
            "von": first,
            "bis": last,
            "anzahl": geprueft.len(),
            "summe": Money::from_cents(geprueft.iter().map(|g| g.summe).sum()),
        })),
    )?;
    Ok((first..=last).collect())
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
    // Funds reserved for this expense are already out of the verfügbare
    // Mittel: the check asks only for what the reservation does not cover.
    for ((id, produkt, konto), betrag) in reservierte_zeilen(&g) {
        let rest =
            ueberwachung::reservierung_rest_in(sql, &actor.mandant, id, g.jahr, &produkt, &konto)?;
        if let Some(b) = bedarf.get_mut(&(produkt, konto)) {
            *b -= betrag.min(rest.cents());
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
    stornierbar(&orig)?;
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
                reservierung: None,
            })
            .collect(),
    };
    let g = pruefen_in(sql, &actor.mandant, &input)?;
    let storno = write_in(sql, actor, &g, Some(nr))?;
    ueberwachung::verbrauch_zurueck_in(sql, actor, nr, storno)?;
    Ok(storno)
}

/// Whether a Buchung may be reversed: not once more, and not a Storno
/// itself (the original would have to be posted again instead).
pub fn stornierbar(b: &Buchung) -> Result<()> {
    let nr = b.nr;
    if let Some(s) = b.storniert_durch {
        return Err(KisError::Conflict(format!(
            "Buchung {nr} ist bereits durch Buchung {s} storniert."
        )));
    }
    if let Some(o) = b.storno_von {
        return Err(KisError::Conflict(format!(
            "Buchung {nr} ist selbst ein Storno (zu Buchung {o}) und kann nicht storniert werden."
        )));
    }
    Ok(())
}

/// One Buchung with its lines and its Storno reference both ways.
pub fn lesen_in(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Buchung> {
    repo::journal::lesen(sql, mandant, nr)?
        .ok_or_else(|| KisError::NotFound(format!("Buchung {nr} ist nicht vorhanden.")))
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
        let out = repo::journal::kontenblatt(sql, m, jahr, &k.nr, offset, limit)?;
        Ok((k, out))
    })
}

/// Recompute the per-account totals of a year from the journal lines and
/// compare: the list of (Konto, Produkt, Periode) whose totals differ.
pub fn summen_pruefen(session: &Session, jahr: i32) -> Result<Vec<String>> {
    session.require(&[Role::FinasLesen])?;
    let m = session.mandant.id.as_str();
    session.db.read(|sql| {
        let mut ist = repo::journal::summen_aus_journal(sql, m, jahr)?;
        let mut abweichungen = Vec::new();
        for (key, gespeichert) in repo::journal::summen_gespeichert(sql, m, jahr)? {
            let berechnet = ist.remove(&key).unwrap_or((0, 0));
            if berechnet != gespeichert {
                abweichungen.push(format!(
                    "Konto {} Produkt {} Periode {}: Summen {:?}, Journal {:?}",
                    key.0, key.1, key.2, gespeichert, berechnet
                ));
            }
        }
        for (key, v) in ist {
            abweichungen.push(format!(
                "Konto {} Produkt {} Periode {}: fehlt in den Summen, Journal {:?}",
                key.0, key.1, key.2, v
            ));
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
