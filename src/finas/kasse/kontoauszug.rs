//! Bank statements (camt.053): the statements imported for the Stadtkasse's
//! accounts and the closing balance a Tagesabschluss reads per account and
//! day, and the import ([`importieren`]): matching, posting, the order of
//! application ([`verrechnen`]), Rücklastschriften and the Klärungsliste's
//! entries. Role: reading needs FINAS-Lesen or Kasse; importing needs Kasse.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;

use super::camt::{self, Eintrag};
use super::{bank, einstellung, kassenzeichen};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::journal::{self, BuchungInput, ZeileInput};
use crate::finas::repo::kasse::kontoauszug::{self as repo, AnordnungKopf, AuszugRow};
use crate::finas::stamm;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub use crate::finas::repo::kasse::kontoauszug::AuszugRow as Auszug;

/// Closing balance of the latest statement of account `iban` dated on or
/// before `datum`, inside the caller's transaction; None without one.
pub fn schlusssaldo_in(
    sql: &mut dyn Sql,
    mandant: &str,
    iban: &str,
    datum: NaiveDate,
) -> Result<Option<Money>> {
    let iban = bank::iban_pruefen("iban", iban)?;
    Ok(repo::schlusssaldo(sql, mandant, &iban, datum)?.map(Money::from_cents))
}

/// Closing balance of the latest statement of account `iban` dated on or
/// before `datum` (for the Tagesabschluss); None while no statement exists.
pub fn schlusssaldo(session: &Session, iban: &str, datum: NaiveDate) -> Result<Option<Money>> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| schlusssaldo_in(sql, &session.mandant.id, iban, datum))
}

/// The Mandant's imported statements, newest first.
pub fn auszuege(session: &Session, limit: usize) -> Result<Vec<Auszug>> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::auszuege(sql, &session.mandant.id, limit))
}

/// The Kassenzeichen quoted in a remittance text: 11 digits with a valid
/// check digit, written with or without spaces, dots, dashes or slashes
/// between the digits, also embedded in other text. In the order found,
/// without repeats; a number with a wrong check digit is not one.
pub fn kassenzeichen_im_text(text: &str) -> Vec<String> {
    // Runs of digits, joined across single separators.
    let mut laeufe: Vec<String> = Vec::new();
    let mut lauf = String::new();
    let mut trenner = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            lauf.push(c);
            trenner = false;
        } else if matches!(c, ' ' | '.' | '-' | '/') && !lauf.is_empty() && !trenner {
            trenner = true;
        } else if !lauf.is_empty() {
            laeufe.push(std::mem::take(&mut lauf));
            trenner = false;
        }
    }
    if !lauf.is_empty() {
        laeufe.push(lauf);
    }
    let mut out: Vec<String> = Vec::new();
    for l in laeufe {
        if l.len() < 11 {
            continue;
        }
        for i in 0..=l.len() - 11 {
            let kz = &l[i..i + 11];
            if kz.starts_with("20")
                && super::kassenzeichen::pruefen("kz", kz).is_ok()
                && !out.iter().any(|o| o == kz)
            {
                out.push(kz.to_string());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Applying a payment to due dates (Tilgungsreihenfolge)
// ---------------------------------------------------------------------------

/// The claim kind of a due date (`fin_faelligkeit.art`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Forderungsart {
    /// Kosten (e.g. the bank's fee of a returned direct debit, Mahngebühren).
    Kosten,
    Saeumniszuschlag,
    Zinsen,
    /// The claim itself (Gebühr, Beitrag, Steuer).
    Hauptforderung,
}

impl Forderungsart {
    pub fn code(self) -> char {
        match self {
            Forderungsart::Kosten => 'K',
            Forderungsart::Saeumniszuschlag => 'S',
            Forderungsart::Zinsen => 'Z',
            Forderungsart::Hauptforderung => 'H',
        }
    }

    pub fn parse(s: &str) -> Result<Forderungsart> {
        match s.trim() {
            "K" => Ok(Forderungsart::Kosten),
            "S" => Ok(Forderungsart::Saeumniszuschlag),
            "Z" => Ok(Forderungsart::Zinsen),
            "H" => Ok(Forderungsart::Hauptforderung),
            _ => Err(KisError::Db(format!("Unbekannte Forderungsart {s}."))),
        }
    }

    /// Check an order of the four kinds (each once, e.g. `HKZS`).
    pub fn folge_pruefen(s: &str) -> Result<String> {
        let t: String = s.trim().to_uppercase();
        let mut c: Vec<char> = t.chars().collect();
        c.sort_unstable();
        if c != ['H', 'K', 'S', 'Z'] {
            return Err(KisError::field(
                "tilgungsfolge",
                "Tilgungsfolge: die vier Arten H, K, Z, S je einmal, z. B. HKZS (AO § 225 Abs. 2).",
            ));
        }
        Ok(t)
    }
}

/// The order of AO § 225(2) for the claim kinds KIS knows: the claim
/// itself (the Steuern and Abgaben), then the Kosten, the Zinsen and the
/// Säumniszuschläge ("… die übrigen Steuern, die Kosten, die
/// Verspätungszuschläge, die Zinsen und die Säumniszuschläge").
pub const AO_225: [Forderungsart; 4] = [
    Forderungsart::Hauptforderung,
    Forderungsart::Kosten,
    Forderungsart::Zinsen,
    Forderungsart::Saeumniszuschlag,
];

/// An order from its letters (checked by [`Forderungsart::folge_pruefen`]).
pub fn folge(s: &str) -> Result<[Forderungsart; 4]> {
    let t = Forderungsart::folge_pruefen(s)?;
    let mut out = AO_225;
    for (i, c) in t.chars().enumerate() {
        out[i] = Forderungsart::parse(&c.to_string())?;
    }
    Ok(out)
}

/// One open due date a payment can be applied to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offen {
    pub anordnung: i64,
    pub lfd: i64,
    pub art: Forderungsart,
    pub faellig: NaiveDate,
    /// The open rest.
    pub rest: Money,
}

/// Apply `betrag` to the open due dates in the order of AO § 225(2)
/// ([`AO_225`]); within one kind the oldest due date first (then the
/// lower line). Returns ((Anordnung, line), amount) for every due date
/// that gets something; what is left over is `betrag` minus their sum.
pub fn verrechnen(offen: &[Offen], betrag: Money) -> Vec<((i64, i64), Money)> {
    verrechnen_nach(offen, betrag, &AO_225, None)
}

/// [`verrechnen`] in the Mandant's order `folge`; a due date the payer
/// designated (`bestimmt`: its due date) goes first (AO § 225(1)).
pub fn verrechnen_nach(
    offen: &[Offen],
    betrag: Money,
    folge: &[Forderungsart; 4],
    bestimmt: Option<NaiveDate>,
) -> Vec<((i64, i64), Money)> {
    let rang = |o: &Offen| {
        (
            if bestimmt == Some(o.faellig) { 0 } else { 1 },
            folge.iter().position(|a| *a == o.art).unwrap_or(4),
            o.faellig,
            o.anordnung,
            o.lfd,
        )
    };
    let mut reihe: Vec<&Offen> = offen.iter().filter(|o| o.rest.cents() > 0).collect();
    reihe.sort_by_key(|o| rang(o));
    let mut uebrig = betrag.cents();
    let mut out = Vec::new();
    for o in reihe {
        if uebrig <= 0 {
            break;
        }
        let teil = uebrig.min(o.rest.cents());
        out.push(((o.anordnung, o.lfd), Money::from_cents(teil)));
        uebrig -= teil;
    }
    out
}

/// A due date the payer names in the remittance text (TT.MM.JJJJ), if any.
pub fn bestimmtes_datum(text: &str) -> Vec<NaiveDate> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 10 <= b.len() {
        if let Ok(s) = std::str::from_utf8(&b[i..i + 10])
            && let Ok(d) = NaiveDate::parse_from_str(s, "%d.%m.%Y")
            && s.as_bytes()[2] == b'.'
        {
            out.push(d);
            i += 10;
            continue;
        }
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

pub const ENTITY: &str = "fin_kontoauszug";

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ergebnis {
    /// New entries (entries already imported are not counted).
    pub umsaetze: usize,
    /// Entries applied to due dates (incl. confirmed payments; an
    /// over-payment counts here, its rest is on the Klärungsliste).
    pub zugeordnet: usize,
    /// Entries that went to the Klärungsliste as a whole.
    pub klaerung: usize,
    pub ruecklastschriften: usize,
    /// Statements and entries that were imported before and were skipped.
    pub auszuege_vorhanden: usize,
    pub umsaetze_vorhanden: usize,
    /// Entries not booked yet (status PDNG or INFO): not imported; the
    /// bank reports them again once booked.
    pub nicht_gebucht: usize,
    /// The ids of the statements recorded.
    pub auszuege: Vec<i64>,
}

impl Ergebnis {
    /// `N Umsätze: M zugeordnet, K Klärungsliste, R Rücklastschriften`
    pub fn zeile(&self) -> String {
        format!(
            "{} Umsätze: {} zugeordnet, {} Klärungsliste, {} Rücklastschriften",
            self.umsaetze, self.zugeordnet, self.klaerung, self.ruecklastschriften
        )
    }

    /// The note when something was skipped as already imported.
    pub fn hinweis(&self) -> Option<String> {
        let vorgemerkt = (self.nicht_gebucht > 0).then(|| {
            format!(
                " {} vorgemerkte, noch nicht gebuchte Umsätze (Status PDNG/INFO) wurden nicht übernommen.",
                self.nicht_gebucht
            )
        });
        if self.auszuege_vorhanden == 0 && self.umsaetze_vorhanden == 0 {
            return vorgemerkt.map(|v| v.trim().to_string());
        }
        Some(
            if self.umsaetze == 0 && self.auszuege.is_empty() {
                format!(
                    "Bereits importiert ({} Kontoauszug/-auszüge, {} Umsätze): nichts geändert.",
                    self.auszuege_vorhanden, self.umsaetze_vorhanden
                )
            } else {
                format!(
                    "Übersprungen, weil bereits importiert: {} Kontoauszug/-auszüge, {} Umsätze.",
                    self.auszuege_vorhanden, self.umsaetze_vorhanden
                )
            } + vorgemerkt.as_deref().unwrap_or(""),
        )
    }
}

/// Import a camt.053 file (FIN530, `kis finas camt-import`): role KASSE,
/// one transaction, one audit entry. See [`importieren_in`].
pub fn importieren(session: &Session, xml: &[u8]) -> Result<Ergebnis> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| importieren_in(sql, &actor, xml))
}

/// The entry's identity: the bank's reference, else a hash of its fields
/// and its position in the statement.
fn identitaet(e: &Eintrag, pos: usize) -> String {
    if !e.referenz.trim().is_empty() {
        return e.referenz.trim().chars().take(120).collect();
    }
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(format!(
        "{pos}|{}|{}|{:?}|{:?}|{}|{}|{}|{}|{}",
        e.betrag_cent,
        e.haben,
        e.buchungstag,
        e.valuta,
        e.end_to_end,
        e.verwendung,
        e.name,
        e.iban,
        e.rueckgabegrund
    ));
    let d = h.finalize();
    format!(
        "H{}",
        d.iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

fn normalname(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

/// What the import knows in memory: the released Anordnungen, their open
/// due dates, the partners' accounts and names and the live Zahllauf items.
struct Bestand {
    koepfe: HashMap<i64, AnordnungKopf>,
    nach_kz: HashMap<String, i64>,
    offen: HashMap<i64, Vec<Offen>>,
    ibans: HashMap<String, Vec<i64>>,
    namen: HashMap<String, Vec<i64>>,
    /// Annahme Anordnungen with something open, per partner.
    je_partner: HashMap<i64, Vec<i64>>,
    zahllauf: HashMap<String, (i64, i64)>,
}

impl Bestand {
    fn laden(sql: &mut dyn Sql, mandant: &str) -> Result<Bestand> {
        let mut koepfe = HashMap::new();
        let mut nach_kz = HashMap::new();
        for k in repo::anordnungen_freigegeben(sql, mandant)? {
            nach_kz.insert(k.kassenzeichen.clone(), k.nr);
            koepfe.insert(k.nr, k);
        }
        let mut offen: HashMap<i64, Vec<Offen>> = HashMap::new();
        for f in repo::faelligkeiten_offen(sql, mandant)? {
            offen.entry(f.anordnung).or_default().push(offen_aus(&f)?);
        }
        let mut je_partner: HashMap<i64, Vec<i64>> = HashMap::new();
        for (nr, k) in &koepfe {
            if k.art == "A" && offen.contains_key(nr) {
                je_partner.entry(k.partner).or_default().push(*nr);
            }
        }
        for v in je_partner.values_mut() {
            v.sort_unstable();
        }
        let mut ibans: HashMap<String, Vec<i64>> = HashMap::new();
        for (iban, p) in repo::bankverbindungen(sql, mandant)? {
            ibans.entry(iban).or_default().push(p);
        }
        let mut namen: HashMap<String, Vec<i64>> = HashMap::new();
        for (id, name, vorname) in repo::partnernamen(sql, mandant)? {
            let mut keys = vec![normalname(&name)];
            if !vorname.is_empty() {
                keys.push(normalname(&format!("{vorname} {name}")));
                keys.push(normalname(&format!("{name} {vorname}")));
            }
            for k in keys {
                namen.entry(k).or_default().push(id);
            }
        }
        let zahllauf = repo::zahllauf_posten(sql, mandant)?
            .into_iter()
            .map(|(r, a, l)| (r, (a, l)))
            .collect();
        Ok(Bestand {
            koepfe,
            nach_kz,
            offen,
            ibans,
            namen,
            je_partner,
            zahllauf,
        })
    }

    fn rest(&self, nr: i64) -> i64 {
        self.offen
            .get(&nr)
            .map(|v| v.iter().map(|o| o.rest.cents()).sum())
            .unwrap_or(0)
    }

    /// The one receivable of these partners whose open total or one of
    /// whose due dates equals `betrag`; None when none or several fit.
    fn nach_betrag(&self, partner: &[i64], betrag: i64) -> Option<i64> {
        let mut treffer: Vec<i64> = Vec::new();
        for p in partner {
            for nr in self.je_partner.get(p).into_iter().flatten() {
                let fits = self.rest(*nr) == betrag
                    || self
                        .offen
                        .get(nr)
                        .is_some_and(|v| v.iter().any(|o| o.rest.cents() == betrag));
                if fits && !treffer.contains(nr) {
                    treffer.push(*nr);
                }
            }
        }
        (treffer.len() == 1).then(|| treffer[0])
    }
}

fn offen_aus(f: &repo::FaelligkeitRow) -> Result<Offen> {
    Ok(Offen {
        anordnung: f.anordnung,
        lfd: f.lfd,
        art: Forderungsart::parse(&f.art)?,
        faellig: f.faellig,
        rest: Money::from_cents(f.betrag - f.bezahlt),
    })
}

/// The accounts a posting of the import needs.
struct Konten {
    bank: String,
    verwahr: String,
    entgelt: String,
    frk: String,
    finanz: HashMap<String, Option<String>>,
}

impl Konten {
    fn finanzkonto(&mut self, sql: &mut dyn Sql, mandant: &str, konto: &str) -> Result<String> {
        if !self.finanz.contains_key(konto) {
            let k = stamm::konto_in(sql, mandant, konto)?;
            self.finanz.insert(konto.to_string(), k.finanzkonto);
        }
        self.finanz.get(konto).cloned().flatten().ok_or_else(|| {
            KisError::Conflict(format!(
                "Konto {konto} hat kein Finanzkonto (nicht zahlungswirksam); die Zahlung kann nicht gebucht werden."
            ))
        })
    }
}

/// The credits of this import by end-to-end id: (entry id, rows applied as
/// (Anordnung, line, amount)).
type Gutschriften = HashMap<String, (i64, Vec<(i64, i64, i64)>)>;

/// One entry as decided, written after the postings.
struct Fall {
    umsatz: repo::UmsatzRow,
    /// (Anordnung, line, amount), negative for reversals.
    zuordnung: Vec<(i64, i64, i64)>,
    klaerung: Option<(i64, String)>,
    /// A new fee due date (Anordnung, amount, date).
    entgelt: Option<(i64, i64, NaiveDate)>,
    buchung: Option<usize>,
}

fn text120(s: String) -> String {
    s.chars().take(120).collect()
}

/// The import inside the caller's transaction: schema check and read
/// (refused, nothing stored, with the element and line), then per
/// statement (one already imported is skipped) and entry (likewise):
/// credits are matched — Kassenzeichen in the remittance text, the
/// end-to-end id of a direct debit of a live Zahllauf, amount with the
/// debtor's IBAN, amount with the debtor's name — and applied in the
/// Mandant's order (default AO § 225(2)), a due date named in the text
/// (TT.MM.JJJJ) first; the rest and unmatched credits go to the
/// Klärungsliste (Verwahrgeld). Debits confirm a payment of a live
/// Zahllauf by its end-to-end id; a debit with a return reason is a
/// Rücklastschrift: it reverses the collection it names (end-to-end id, or
/// Kassenzeichen and amount) and charges the bank's fee as a new due date
/// of kind K. One Buchung per entry; one audit entry for the import.
pub fn importieren_in(sql: &mut dyn Sql, actor: &Actor, xml: &[u8]) -> Result<Ergebnis> {
    let (nachricht, auszuege) = camt::lesen(xml)?;
    if auszuege.is_empty() {
        return Err(KisError::validation(
            "Die Datei enthält keinen Kontoauszug (Stmt).",
        ));
    }
    let m = actor.mandant.as_str();
    let kasse = einstellung::lesen_in(sql, m)?;
    if kasse.bankkonto.is_empty() || kasse.verwahrkonto.is_empty() {
        return Err(KisError::Conflict(
            "In den Kasseneinstellungen fehlen das Bank-Sachkonto oder das Verwahrgeldkonto; ohne sie wird kein Kontoauszug gebucht.".into(),
        ));
    }
    let reihenfolge = folge(&kasse.tilgungsfolge)?;
    let mut konten = Konten {
        bank: kasse.bankkonto.clone(),
        verwahr: kasse.verwahrkonto.clone(),
        entgelt: kasse.entgeltkonto.clone(),
        frk: stamm::abschlusskonto_in(sql, m, stamm::FINANZRECHNUNGSKONTO)?,
        finanz: HashMap::new(),
    };
    let mut bestand = Bestand::laden(sql, m)?;
    let mut ergebnis = Ergebnis::default();
    let mut naechster_umsatz = repo::naechste_id(sql, m, "fin_umsatz")?;
    let mut naechste_klaerung = repo::naechste_id(sql, m, "fin_klaerung")?;
    let mut faelle: Vec<Fall> = Vec::new();
    let mut buchungen: Vec<BuchungInput> = Vec::new();
    // Credits of this import by end-to-end id: (entry id, applied rows).
    let mut gutschriften: Gutschriften = HashMap::new();
    // End-to-end ids returned in this import.
    let mut zurueck = std::collections::HashSet::new();
    for a in &auszuege {
        let iban = bank::iban_pruefen("iban", &a.iban).map_err(|_| {
            KisError::validation(format!(
                "Kontoauszug {}: die Konto-IBAN '{}' ist ungültig.",
                a.id, a.iban
            ))
        })?;
        if iban != kasse.iban {
            return Err(KisError::validation(format!(
                "Kontoauszug {} gehört zum Konto {iban}, nicht zum Konto der Stadtkasse ({}); es wurde nichts importiert.",
                a.id, kasse.iban
            )));
        }
        if repo::auszug_vorhanden(sql, m, &iban, &a.id)?.is_some() {
            ergebnis.auszuege_vorhanden += 1;
            ergebnis.umsaetze_vorhanden += a.eintraege.len();
            continue;
        }
        let datum = a.datum.unwrap_or(actor.at.date());
        let auszug = repo::auszug_einfuegen(
            sql,
            m,
            &AuszugRow {
                id: 0,
                iban: iban.clone(),
                auszug_id: a.id.clone(),
                elektr_seq: a.elektr_seq,
                datum,
                anfangssaldo: a.anfangssaldo_cent,
                schlusssaldo: a.schlusssaldo_cent,
                nachricht: nachricht.kennung().to_string(),
            },
            &actor.user,
            actor.at,
        )?;
        ergebnis.auszuege.push(auszug);
        let refs: Vec<String> = a
            .eintraege
            .iter()
            .enumerate()
            .map(|(i, e)| identitaet(e, i))
            .collect();
        let vorhanden = repo::umsaetze_vorhanden(sql, m, &iban, &refs)?;
        let mut gesehen = std::collections::HashSet::new();
        for (e, referenz) in a.eintraege.iter().zip(refs) {
            if !(e.status.is_empty() || e.status == "BOOK") {
                ergebnis.nicht_gebucht += 1;
                continue;
            }
            if vorhanden.contains(&referenz) || !gesehen.insert(referenz.clone()) {
                ergebnis.umsaetze_vorhanden += 1;
                continue;
            }
            if e.betrag_cent <= 0 {
                return Err(KisError::validation(format!(
                    "Kontoauszug {}: Umsatz {referenz} ohne Betrag.",
                    a.id
                )));
            }
            let id = naechster_umsatz;
            naechster_umsatz += 1;
            let tag = e.buchungstag.or(e.valuta).unwrap_or(datum);
            let umsatz = repo::UmsatzRow {
                id,
                auszug,
                iban: iban.clone(),
                referenz,
                betrag: e.betrag_cent,
                soll_haben: if e.haben { "C" } else { "D" }.into(),
                buchungstag: tag,
                valuta: e.valuta.unwrap_or(tag),
                verwendung: e.verwendung.clone(),
                name: e.name.clone(),
                partner_iban: e.iban.clone(),
                end_to_end: e.end_to_end.clone(),
                rueckgabegrund: e.rueckgabegrund.clone(),
                entgelt: e.entgelt_cent,
                status: String::new(),
                buchung: None,
            };
            let fall = if e.haben && e.rueckgabegrund.is_empty() {
                gutschrift(
                    sql,
                    m,
                    e,
                    umsatz,
                    &mut bestand,
                    &reihenfolge,
                    &mut konten,
                    &mut buchungen,
                )?
            } else if !e.rueckgabegrund.is_empty() && !e.haben {
                ruecklastschrift(
                    sql,
                    m,
                    e,
                    umsatz,
                    &mut bestand,
                    &gutschriften,
                    &mut zurueck,
                    &mut konten,
                    &mut buchungen,
                )?
            } else {
                lastschrift_oder_zahlung(
                    sql,
                    m,
                    e,
                    umsatz,
                    &mut bestand,
                    &mut konten,
                    &mut buchungen,
                )?
            };
            match fall.umsatz.status.as_str() {
                "Z" => ergebnis.zugeordnet += 1,
                "R" => ergebnis.ruecklastschriften += 1,
                _ => ergebnis.klaerung += 1,
            }
            if fall.umsatz.soll_haben == "C"
                && fall.umsatz.status == "Z"
                && !fall.umsatz.end_to_end.is_empty()
                && fall.umsatz.end_to_end != "NOTPROVIDED"
            {
                gutschriften.insert(
                    fall.umsatz.end_to_end.clone(),
                    (fall.umsatz.id, fall.zuordnung.clone()),
                );
            }
            ergebnis.umsaetze += 1;
            faelle.push(fall);
        }
    }

    // Postings first (their numbers go into the entries), then the rows.
    let nummern = journal::post_viele_in(sql, actor, &buchungen, "KONTOAUSZUG_IMPORT")?;
    let mut umsaetze = Vec::with_capacity(faelle.len());
    let mut zuordnungen = Vec::new();
    let mut deltas: HashMap<(i64, i64), i64> = HashMap::new();
    let mut klaerungen = Vec::new();
    let mut entgelte = Vec::new();
    for mut f in faelle {
        let buchung = f.buchung.map(|i| nummern[i]);
        f.umsatz.buchung = buchung;
        for (i, (a, l, b)) in f.zuordnung.iter().enumerate() {
            zuordnungen.push((f.umsatz.id, i as i64 + 1, *a, *l, *b, buchung));
            *deltas.entry((*a, *l)).or_default() += b;
        }
        if let Some((betrag, grund)) = f.klaerung {
            klaerungen.push(repo::KlaerungRow {
                id: naechste_klaerung,
                umsatz: f.umsatz.id,
                betrag,
                grund,
                status: "O".into(),
                kassenzeichen: None,
                erledigt_von: None,
                erledigt_am: None,
            });
            naechste_klaerung += 1;
        }
        if let Some(e) = f.entgelt {
            entgelte.push(e);
        }
        umsaetze.push(f.umsatz);
    }
    repo::umsaetze_einfuegen(sql, m, &umsaetze)?;
    // One net change per due date (a collection and its return in one file cancel out).
    let mut deltas: Vec<(i64, i64, i64)> = deltas
        .into_iter()
        .filter(|(_, d)| *d != 0)
        .map(|((a, l), d)| (a, l, d))
        .collect();
    deltas.sort_unstable();
    repo::bezahlt_aendern(sql, m, &deltas)?;
    repo::zuordnung_einfuegen_rows(sql, m, &zuordnungen)?;
    repo::klaerungen_einfuegen(sql, m, &klaerungen)?;
    for (nr, betrag, tag) in &entgelte {
        repo::faelligkeit_anfuegen(sql, m, *nr, "K", *tag, *betrag)?;
    }
    audit::append(
        sql,
        actor,
        "KONTOAUSZUG_IMPORT",
        ENTITY,
        &ergebnis
            .auszuege
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(","),
        None,
        Some(&json!({
            "nachricht": nachricht.kennung(),
            "umsaetze": ergebnis.umsaetze,
            "zugeordnet": ergebnis.zugeordnet,
            "klaerung": ergebnis.klaerung,
            "ruecklastschriften": ergebnis.ruecklastschriften,
            "auszuege_vorhanden": ergebnis.auszuege_vorhanden,
            "umsaetze_vorhanden": ergebnis.umsaetze_vorhanden,
            "nicht_gebucht": ergebnis.nicht_gebucht,
            "buchungen": nummern.len(),
        })),
    )?;
    Ok(ergebnis)
}

/// The lines of a payment received on Anordnung `k`: Bank an Forderung and
/// the Einzahlung on the Finanzkonto of its Ertragskonto.
fn eingang_zeilen(
    sql: &mut dyn Sql,
    m: &str,
    konten: &mut Konten,
    k: &AnordnungKopf,
    betrag: Money,
) -> Result<Vec<ZeileInput>> {
    let fk = konten.finanzkonto(sql, m, &k.konto)?;
    Ok(vec![
        ZeileInput::soll(&konten.bank, None, betrag),
        ZeileInput::haben(&k.gegenkonto, None, betrag),
        ZeileInput::soll(&konten.frk, None, betrag),
        ZeileInput::haben(&fk, Some(&k.produkt), betrag),
    ])
}

/// Apply `betrag` to the open due dates of Anordnung `nr` (in memory);
/// returns the rows applied.
fn anwenden(
    bestand: &mut Bestand,
    nr: i64,
    betrag: i64,
    reihenfolge: &[Forderungsart; 4],
    bestimmt: &[NaiveDate],
) -> Vec<(i64, i64, i64)> {
    let Some(offen) = bestand.offen.get_mut(&nr) else {
        return Vec::new();
    };
    let ziel = bestimmt
        .iter()
        .find(|d| offen.iter().any(|o| o.faellig == **d))
        .copied();
    let teile = verrechnen_nach(offen, Money::from_cents(betrag), reihenfolge, ziel);
    let mut out = Vec::new();
    for ((a, l), t) in teile {
        if let Some(o) = offen.iter_mut().find(|o| o.lfd == l) {
            o.rest = Money::from_cents(o.rest.cents() - t.cents());
        }
        out.push((a, l, t.cents()));
    }
    offen.retain(|o| o.rest.cents() > 0);
    if offen.is_empty() {
        bestand.offen.remove(&nr);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn gutschrift(
    sql: &mut dyn Sql,
    m: &str,
    e: &Eintrag,
    mut umsatz: repo::UmsatzRow,
    bestand: &mut Bestand,
    reihenfolge: &[Forderungsart; 4],
    konten: &mut Konten,
    buchungen: &mut Vec<BuchungInput>,
) -> Result<Fall> {
    let betrag = e.betrag_cent;
    let kz_im_text = kassenzeichen_im_text(&e.verwendung);
    let annahme = |b: &Bestand, nr: &i64| b.koepfe.get(nr).is_some_and(|k| k.art == "A");
    let mut nr = kz_im_text
        .iter()
        .filter_map(|kz| bestand.nach_kz.get(kz).copied())
        .find(|nr| annahme(bestand, nr));
    let mut bestimmt = bestimmtes_datum(&e.verwendung);
    let mut weg = "Kassenzeichen";
    if nr.is_none()
        && let Some((a, l)) = bestand.zahllauf.get(&e.end_to_end).copied()
        && annahme(bestand, &a)
    {
        nr = Some(a);
        weg = "Lastschrift";
        if let Some(o) = bestand
            .offen
            .get(&a)
            .and_then(|v| v.iter().find(|o| o.lfd == l))
        {
            bestimmt.insert(0, o.faellig);
        }
    }
    if nr.is_none() && kz_im_text.is_empty() {
        if let Some(p) = bestand.ibans.get(&e.iban).cloned() {
            nr = bestand.nach_betrag(&p, betrag);
            weg = "Betrag und IBAN";
        }
        if nr.is_none()
            && let Some(p) = bestand.namen.get(&normalname(&e.name)).cloned()
        {
            nr = bestand.nach_betrag(&p, betrag);
            weg = "Betrag und Name";
        }
    }
    let Some(nr) = nr else {
        let grund = if kz_im_text.is_empty() {
            "Kein Kassenzeichen erkannt, kein offener Posten zu Betrag und Zahler".to_string()
        } else {
            format!(
                "Kassenzeichen {} nicht vergeben",
                kassenzeichen::anzeigen(&kz_im_text[0])
            )
        };
        return Ok(verwahrung(umsatz, betrag, grund, konten, buchungen));
    };
    let k = bestand.koepfe[&nr].clone();
    let zuordnung = anwenden(bestand, nr, betrag, reihenfolge, &bestimmt);
    let angewandt: i64 = zuordnung.iter().map(|z| z.2).sum();
    if angewandt == 0 {
        let grund = format!(
            "Kassenzeichen {}: nichts offen",
            kassenzeichen::anzeigen(&k.kassenzeichen)
        );
        return Ok(verwahrung(umsatz, betrag, grund, konten, buchungen));
    }
    let rest = betrag - angewandt;
    let mut zeilen = vec![ZeileInput::soll(
        &konten.bank,
        None,
        Money::from_cents(betrag),
    )];
    let mut ein = eingang_zeilen(sql, m, konten, &k, Money::from_cents(angewandt))?;
    ein.remove(0);
    zeilen.extend(ein);
    let klaerung = if rest > 0 {
        zeilen.push(ZeileInput::haben(
            &konten.verwahr,
            None,
            Money::from_cents(rest),
        ));
        Some((
            rest,
            format!(
                "Überzahlung auf Kassenzeichen {}",
                kassenzeichen::anzeigen(&k.kassenzeichen)
            ),
        ))
    } else {
        None
    };
    buchungen.push(BuchungInput {
        datum: umsatz.buchungstag,
        periode: None,
        beleg: format!("UMS-{}", umsatz.id),
        text: text120(format!(
            "Zahlungseingang {} ({weg}): {}",
            kassenzeichen::anzeigen(&k.kassenzeichen),
            e.name
        )),
        zeilen,
    });
    umsatz.status = "Z".into();
    Ok(Fall {
        umsatz,
        zuordnung,
        klaerung,
        entgelt: None,
        buchung: Some(buchungen.len() - 1),
    })
}

/// An entry that goes to the Klärungsliste as a whole: Bank an Verwahrgeld
/// (a credit) or Verwahrgeld an Bank (a debit).
fn verwahrung(
    mut umsatz: repo::UmsatzRow,
    betrag: i64,
    grund: String,
    konten: &Konten,
    buchungen: &mut Vec<BuchungInput>,
) -> Fall {
    let b = Money::from_cents(betrag);
    let (zeilen, was) = if umsatz.soll_haben == "C" {
        (
            vec![
                ZeileInput::soll(&konten.bank, None, b),
                ZeileInput::haben(&konten.verwahr, None, b),
            ],
            "Verwahrgeld",
        )
    } else {
        (
            vec![
                ZeileInput::soll(&konten.verwahr, None, b),
                ZeileInput::haben(&konten.bank, None, b),
            ],
            "Abbuchung ungeklärt",
        )
    };
    buchungen.push(BuchungInput {
        datum: umsatz.buchungstag,
        periode: None,
        beleg: format!("UMS-{}", umsatz.id),
        text: text120(format!("{was}: {} {}", umsatz.name, umsatz.verwendung)),
        zeilen,
    });
    umsatz.status = "K".into();
    Fall {
        umsatz,
        zuordnung: Vec::new(),
        klaerung: Some((betrag, grund)),
        entgelt: None,
        buchung: Some(buchungen.len() - 1),
    }
}

#[allow(clippy::too_many_arguments)]
fn ruecklastschrift(
    sql: &mut dyn Sql,
    m: &str,
    e: &Eintrag,
    mut umsatz: repo::UmsatzRow,
    bestand: &mut Bestand,
    gutschriften: &Gutschriften,
    zurueck: &mut std::collections::HashSet<String>,
    konten: &mut Konten,
    buchungen: &mut Vec<BuchungInput>,
) -> Result<Fall> {
    let entgelt = if e.entgelt_cent > 0 && e.entgelt_cent < e.betrag_cent {
        e.entgelt_cent
    } else {
        0
    };
    let rueck = e.betrag_cent - entgelt;
    let e2e = e.end_to_end.trim();
    // The collection returned: by end-to-end id (this import, then the
    // store), else by Kassenzeichen and amount.
    let mut original: Option<Vec<(i64, i64, i64)>> = None;
    let mit_e2e = !e2e.is_empty() && e2e != "NOTPROVIDED";
    if mit_e2e && (zurueck.contains(e2e) || repo::ruecklastschrift_vorhanden(sql, m, e2e)?) {
        let grund = format!(
            "Rücklastschrift (Grund {}): Einzug {e2e} wurde bereits zurückgegeben",
            e.rueckgabegrund
        );
        let betrag = umsatz.betrag;
        return Ok(verwahrung(umsatz, betrag, grund, konten, buchungen));
    }
    if mit_e2e {
        if let Some((_, rows)) = gutschriften.get(e2e) {
            original = Some(rows.clone());
        } else if let Some(id) = repo::gutschrift_zu_e2e(sql, m, e2e)? {
            original = Some(repo::zuordnungen(sql, m, id)?);
        }
    }
    if original.is_none() {
        for kz in kassenzeichen_im_text(&e.verwendung) {
            if let Some(nr) = bestand.nach_kz.get(&kz).copied() {
                let aus_import = gutschriften
                    .values()
                    .find(|(_, rows)| {
                        rows.iter().all(|r| r.0 == nr)
                            && rows.iter().map(|r| r.2).sum::<i64>() == rueck
                    })
                    .map(|(_, rows)| rows.clone());
                original = match aus_import {
                    Some(rows) => Some(rows),
                    None => match repo::gutschrift_zur_anordnung(sql, m, nr, rueck)? {
                        Some(id) => Some(repo::zuordnungen(sql, m, id)?),
                        None => None,
                    },
                };
                if original.is_some() {
                    break;
                }
            }
        }
    }
    let rows = original.filter(|rows| {
        !rows.is_empty()
            && rows.iter().map(|r| r.2).sum::<i64>() == rueck
            && rows.iter().all(|r| r.0 == rows[0].0)
    });
    let Some(rows) = rows else {
        let grund = format!(
            "Rücklastschrift (Grund {}) ohne zuordenbaren Einzug",
            e.rueckgabegrund
        );
        let betrag = umsatz.betrag;
        return Ok(verwahrung(umsatz, betrag, grund, konten, buchungen));
    };
    let nr = rows[0].0;
    let k = bestand.koepfe.get(&nr).cloned().ok_or_else(|| {
        KisError::Conflict(format!(
            "Rücklastschrift: Anordnung {nr} ist nicht mehr freigegeben."
        ))
    })?;
    // Reopen the due dates in memory, so later entries of the file see them.
    let alle = repo::faelligkeiten_alle(sql, m, nr)?;
    let offen = bestand.offen.entry(nr).or_default();
    let mut zuordnung = Vec::new();
    for (a, l, b) in &rows {
        zuordnung.push((*a, *l, -b));
        match offen.iter_mut().find(|o| o.lfd == *l) {
            Some(o) => o.rest = Money::from_cents(o.rest.cents() + b),
            None => {
                let f = alle.iter().find(|f| f.lfd == *l);
                offen.push(Offen {
                    anordnung: nr,
                    lfd: *l,
                    art: match f {
                        Some(f) => Forderungsart::parse(&f.art)?,
                        None => Forderungsart::Hauptforderung,
                    },
                    faellig: f.map(|f| f.faellig).unwrap_or(umsatz.buchungstag),
                    rest: Money::from_cents(*b),
                });
            }
        }
    }
    let r = Money::from_cents(rueck);
    let fk = konten.finanzkonto(sql, m, &k.konto)?;
    let mut zeilen = vec![
        ZeileInput::soll(&k.gegenkonto, None, r),
        ZeileInput::haben(&konten.bank, None, r),
        ZeileInput::soll(&fk, Some(&k.produkt), r),
        ZeileInput::haben(&konten.frk, None, r),
    ];
    let mut neu = None;
    if entgelt > 0 {
        if konten.entgelt.is_empty() {
            return Err(KisError::Conflict(
                "In den Kasseneinstellungen fehlt das Konto für Rücklastschriftentgelte (entgeltkonto).".into(),
            ));
        }
        let g = Money::from_cents(entgelt);
        let fe = konten.finanzkonto(sql, m, &konten.entgelt.clone())?;
        zeilen.extend([
            // The bank's fee: Aufwand an Bank, paid.
            ZeileInput::soll(&konten.entgelt, Some(&k.produkt), g),
            ZeileInput::haben(&konten.bank, None, g),
            ZeileInput::soll(&fe, Some(&k.produkt), g),
            ZeileInput::haben(&konten.frk, None, g),
            // Charged on to the debtor: Forderung an Ertrag.
            ZeileInput::soll(&k.gegenkonto, None, g),
            ZeileInput::haben(&k.konto, Some(&k.produkt), g),
        ]);
        neu = Some((nr, entgelt, umsatz.buchungstag));
    }
    buchungen.push(BuchungInput {
        datum: umsatz.buchungstag,
        periode: None,
        beleg: format!("UMS-{}", umsatz.id),
        text: text120(format!(
            "Rücklastschrift {} (Grund {}): {}",
            kassenzeichen::anzeigen(&k.kassenzeichen),
            e.rueckgabegrund,
            e.name
        )),
        zeilen,
    });
    if mit_e2e {
        zurueck.insert(e2e.to_string());
    }
    umsatz.status = "R".into();
    Ok(Fall {
        umsatz,
        zuordnung,
        klaerung: None,
        entgelt: neu,
        buchung: Some(buchungen.len() - 1),
    })
}

/// A debit without a return reason: the confirmation of a payment of a
/// live Zahllauf (Verbindlichkeit an Bank), else the Klärungsliste. A credit
/// with a return reason (a credit transfer that came back) goes there too.
fn lastschrift_oder_zahlung(
    sql: &mut dyn Sql,
    m: &str,
    e: &Eintrag,
    mut umsatz: repo::UmsatzRow,
    bestand: &mut Bestand,
    konten: &mut Konten,
    buchungen: &mut Vec<BuchungInput>,
) -> Result<Fall> {
    let betrag = e.betrag_cent;
    let ziel = (!e.haben)
        .then(|| bestand.zahllauf.get(&e.end_to_end).copied())
        .flatten()
        .filter(|(a, _)| bestand.koepfe.get(a).is_some_and(|k| k.art == "Z"));
    let passt = ziel.filter(|(a, l)| {
        bestand
            .offen
            .get(a)
            .and_then(|v| v.iter().find(|o| o.lfd == *l))
            .is_some_and(|o| o.rest.cents() == betrag)
    });
    let Some((nr, lfd)) = passt else {
        let grund = if e.haben {
            format!("Zurückgekommene Zahlung (Grund {})", e.rueckgabegrund)
        } else if ziel.is_some() {
            "Abbuchung passt nicht zum offenen Betrag des Zahllaufpostens".to_string()
        } else {
            "Abbuchung ohne Zahllaufposten".to_string()
        };
        return Ok(verwahrung(umsatz, betrag, grund, konten, buchungen));
    };
    let k = bestand.koepfe[&nr].clone();
    if let Some(v) = bestand.offen.get_mut(&nr) {
        v.retain(|o| o.lfd != lfd);
    }
    let b = Money::from_cents(betrag);
    // A refund of Verwahrgeld (konto = Verwahrgeldkonto) moves fremde
    // Finanzmittel only; any other payable is an Auszahlung.
    let zeilen = if k.konto == konten.verwahr {
        vec![
            ZeileInput::soll(&k.gegenkonto, None, b),
            ZeileInput::haben(&konten.bank, None, b),
        ]
    } else {
        let fk = konten.finanzkonto(sql, m, &k.konto)?;
        vec![
            ZeileInput::soll(&k.gegenkonto, None, b),
            ZeileInput::haben(&konten.bank, None, b),
            ZeileInput::soll(&fk, Some(&k.produkt), b),
            ZeileInput::haben(&konten.frk, None, b),
        ]
    };
    buchungen.push(BuchungInput {
        datum: umsatz.buchungstag,
        periode: None,
        beleg: format!("UMS-{}", umsatz.id),
        text: text120(format!(
            "Zahlungsausgang {}: {}",
            kassenzeichen::anzeigen(&k.kassenzeichen),
            k.text
        )),
        zeilen,
    });
    umsatz.status = "Z".into();
    Ok(Fall {
        umsatz,
        zuordnung: vec![(nr, lfd, betrag)],
        klaerung: None,
        entgelt: None,
        buchung: Some(buchungen.len() - 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, t: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, t).unwrap()
    }

    fn o(lfd: i64, art: Forderungsart, faellig: NaiveDate, rest: i64) -> Offen {
        Offen {
            anordnung: 7,
            lfd,
            art,
            faellig,
            rest: Money::from_cents(rest),
        }
    }

    #[test]
    fn ao_225_hauptforderung_vor_kosten_zinsen_saeumniszuschlaegen() {
        use Forderungsart::*;
        let offen = [
            o(1, Saeumniszuschlag, d(1, 1), 100),
            o(2, Zinsen, d(1, 1), 100),
            o(3, Kosten, d(1, 1), 100),
            o(4, Hauptforderung, d(3, 1), 100),
            o(5, Hauptforderung, d(2, 1), 100),
        ];
        let reihe: Vec<i64> = verrechnen(&offen, Money::from_cents(500))
            .iter()
            .map(|((_, l), _)| *l)
            .collect();
        assert_eq!(reihe, vec![5, 4, 3, 2, 1]);
        // A partial payment stops inside a due date.
        assert_eq!(
            verrechnen(&offen, Money::from_cents(150)),
            vec![
                ((7, 5), Money::from_cents(100)),
                ((7, 4), Money::from_cents(50))
            ]
        );
    }

    #[test]
    fn eigene_folge_und_bestimmung() {
        use Forderungsart::*;
        let offen = [
            o(1, Hauptforderung, d(1, 1), 1000),
            o(2, Kosten, d(2, 1), 300),
            o(3, Saeumniszuschlag, d(2, 1), 200),
        ];
        let f = folge("KSZH").unwrap();
        assert_eq!(
            verrechnen_nach(&offen, Money::from_cents(400), &f, None),
            vec![
                ((7, 2), Money::from_cents(300)),
                ((7, 3), Money::from_cents(100))
            ]
        );
        // The payer named the due date of 01.02. (the Kosten) under AO order.
        assert_eq!(
            verrechnen_nach(&offen, Money::from_cents(400), &AO_225, Some(d(2, 1))),
            vec![
                ((7, 2), Money::from_cents(300)),
                ((7, 3), Money::from_cents(100))
            ]
        );
        assert!(folge("HKZ").is_err() && folge("HHZS").is_err());
        assert_eq!(folge("hkzs").unwrap(), AO_225);
    }

    #[test]
    fn datum_im_verwendungszweck() {
        assert_eq!(
            bestimmtes_datum("Rate zum 15.02.2026, KZ 2026 000012 7"),
            vec![d(2, 15)]
        );
        assert!(bestimmtes_datum("KZ 2026000012 7").is_empty());
        assert!(bestimmtes_datum("31.02.2026").is_empty());
    }
}
