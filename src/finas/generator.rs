//! `kis demo postings N`: a deterministic year of Musterstadt postings for
//! demos and benchmarks. Amounts follow the Ansätze of the plan in force, so
//! the year ends near its budget. The postings are built from checked
//! templates (accounts and Produkte come from the plan) and written with
//! multi-row inserts, committed every 50,000 postings; the database rules of
//! the journal (balance chain) apply to them like to every other posting.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::journal::{self, Geprueft, Summen, ZeileInput};
use super::repo;
use super::stamm::{self, Konto};
use super::ueberwachung;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::session::Session;

/// SplitMix64: small, fast and stable across versions (deterministic demo data).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Vorlage {
    produkt: String,
    konto: Konto,
    finanz: Konto,
    /// Average amount per posting in cents.
    mittel: i64,
}

const CHUNK: usize = 50_000;

/// Generate `n` postings in `jahr` (periods 1 to the current month, or 12
/// for past years). Returns the number of postings written.
pub fn generieren(session: &Session, jahr: i32, n: usize) -> Result<usize> {
    session.require(&[Role::FinasAendern])?;
    if n == 0 {
        return Ok(0);
    }
    let m = session.mandant.id.clone();
    let today = session.today();
    let bis_monat: u32 = if today.year() == jahr {
        today.month()
    } else {
        12
    };
    let (vorlagen, konten) = session.db.read(|sql| {
        let konten: BTreeMap<String, Konto> = stamm::konten_in(sql, &m)?.into_iter().map(|k| (k.nr.clone(), k)).collect();
        let positionen = ueberwachung::positionen_in(sql, &m, jahr, None)?;
        for p in 1..=bis_monat {
            if !stamm::periode_offen_in(sql, &m, jahr, p as u8)? {
                return Err(KisError::Conflict(format!("Periode {jahr}-{p:02} ist abgeschlossen; dorthin werden keine Demo-Buchungen erzeugt.")));
            }
        }
        Ok((positionen, konten))
    })?;
    let mut liste = Vec::new();
    for p in &vorlagen {
        let Some(k) = konten.get(&p.konto) else {
            continue;
        };
        let Some(f) = k.finanzkonto.as_ref().and_then(|f| konten.get(f)) else {
            continue;
        };
        if p.ansatz > 0 && matches!(k.klasse, 4 | 5) {
            liste.push(Vorlage {
                produkt: p.produkt.clone(),
                konto: k.clone(),
                finanz: f.clone(),
                mittel: 0,
            });
        }
    }
    if liste.is_empty() {
        return Err(KisError::Conflict(format!(
            "Für {jahr} gibt es keinen beschlossenen Haushaltsplan mit zahlungswirksamen Ansätzen."
        )));
    }
    let je_vorlage = (n / liste.len()).max(1) as i64;
    for v in &mut liste {
        let ansatz = vorlagen
            .iter()
            .find(|p| p.produkt == v.produkt && p.konto == v.konto.nr)
            .map_or(0, |p| p.ansatz);
        v.mittel = (ansatz * 9 / 10 / je_vorlage).max(500);
    }
    let k = |nr: &str| {
        konten
            .get(nr)
            .cloned()
            .ok_or_else(|| KisError::Conflict(format!("Konto {nr} fehlt im Kontenrahmen.")))
    };
    let (bank, frk, verb, ford) = (
        k("1811")?,
        k(&session
            .db
            .read(|sql| stamm::abschlusskonto_in(sql, &m, stamm::FINANZRECHNUNGSKONTO))?)?,
        k("3511")?,
        k("1411")?,
    );
    let mut rng = Rng(0x4B49_5346_494E_4153 ^ jahr as u64);
    let mut actor = session.actor();
    let mut written = 0usize;
    while written < n {
        let count = CHUNK.min(n - written);
        let mut postings = Vec::with_capacity(count);
        for i in 0..count {
            let v = &liste[rng.below(liste.len() as u64) as usize];
            let monat = 1 + rng.below(u64::from(bis_monat)) as u32;
            let tag =
                1 + rng.below(u64::from(crate::core::date::days_in_month(jahr, monat))) as u32;
            let datum = NaiveDate::from_ymd_opt(jahr, monat, tag)
                .ok_or_else(|| KisError::validation("Datum ungültig."))?;
            let cents = (v.mittel / 2 + rng.below(v.mittel.max(1) as u64) as i64).max(1);
            let b = Money::from_cents(cents);
            let p = Some(v.produkt.as_str());
            let ertrag = v.konto.klasse == 4;
            let zahlung = rng.below(2) == 0;
            let zeilen: Vec<(Konto, ZeileInput)> = match (ertrag, zahlung) {
                (false, true) => vec![
                    (v.konto.clone(), ZeileInput::soll(&v.konto.nr, p, b)),
                    (bank.clone(), ZeileInput::haben(&bank.nr, None, b)),
                    (v.finanz.clone(), ZeileInput::soll(&v.finanz.nr, p, b)),
                    (frk.clone(), ZeileInput::haben(&frk.nr, None, b)),
                ],
                (false, false) => vec![
                    (v.konto.clone(), ZeileInput::soll(&v.konto.nr, p, b)),
                    (verb.clone(), ZeileInput::haben(&verb.nr, None, b)),
                ],
                (true, true) => vec![
                    (bank.clone(), ZeileInput::soll(&bank.nr, None, b)),
                    (v.konto.clone(), ZeileInput::haben(&v.konto.nr, p, b)),
                    (frk.clone(), ZeileInput::soll(&frk.nr, None, b)),
                    (v.finanz.clone(), ZeileInput::haben(&v.finanz.nr, p, b)),
                ],
                (true, false) => vec![
                    (ford.clone(), ZeileInput::soll(&ford.nr, None, b)),
                    (v.konto.clone(), ZeileInput::haben(&v.konto.nr, p, b)),
                ],
            };
            let summe = zeilen.iter().map(|(_, z)| z.soll.cents()).sum();
            postings.push(Geprueft {
                jahr,
                periode: monat as u8,
                datum,
                beleg: format!("D{jahr}-{:07}", written + i + 1),
                text: format!(
                    "{} {}",
                    if zahlung { "Zahlung" } else { "Sollstellung" },
                    v.konto.bezeichnung
                )
                .chars()
                .take(120)
                .collect(),
                zeilen,
                summe,
            });
        }
        actor.at = session.now();
        session.db.write(|sql| {
            let first = journal::nummern_in(sql, &m, "BUCHUNG", count as i64)?;
            let nummeriert: Vec<(i64, &Geprueft)> = postings
                .iter()
                .enumerate()
                .map(|(i, g)| (first + i as i64, g))
                .collect();
            let mut summen = Summen::new();
            for g in &postings {
                journal::summen_add(&mut summen, g);
            }
            repo::journal::koepfe_schreiben(sql, &actor, &nummeriert, None, 500)?;
            repo::journal::zeilen_schreiben(sql, &m, &nummeriert, 500)?;
            repo::journal::summen_schreiben(sql, &m, jahr, &summen)?;
            audit::append(
                sql,
                &actor,
                "DEMO_GEBUCHT",
                journal::ENTITY,
                &format!("{first}-{}", first + count as i64 - 1),
                None,
                Some(&serde_json::json!({"jahr": jahr, "anzahl": count})),
            )?;
            Ok(())
        })?;
        written += count;
    }
    Ok(written)
}
