//! What a run posted into FINAS, read back: the Personalaufwand, the
//! liabilities with their creditors and the Auszahlungsanordnungen, and
//! the FINAS section of the Lohnjournal.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::Verbindlichkeit;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::journal;
use crate::kernel::session::Session;
use crate::persos::laufdaten::{self, LaufInfo, Monat};
use crate::persos::repo;
use crate::store::Sql;

/// A line of a run's Personalaufwand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AufwandZeile {
    pub konto: String,
    pub bezeichnung: String,
    pub produkt: String,
    pub kostenstelle: String,
    pub betrag: Money,
}

/// A liability of a run: its line in the Buchung and the creditor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbindlichkeitZeile {
    pub lfd: i64,
    pub art: Verbindlichkeit,
    /// Betriebsnummer of the Krankenkasse, else empty.
    pub glaeubiger: String,
    pub name: String,
    pub konto: String,
    pub betrag: Money,
}

/// An Auszahlungsanordnung of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Auszahlung {
    pub personalnummer: String,
    pub name: String,
    pub iban: String,
    pub betrag: Money,
}

/// What the active run of a month posted into FINAS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uebersicht {
    pub monat: String,
    pub lauf_nr: i64,
    pub buchung: i64,
    pub beleg: String,
    pub datum: NaiveDate,
    pub aufwand: Vec<AufwandZeile>,
    pub verbindlichkeiten: Vec<VerbindlichkeitZeile>,
    pub auszahlungen: Vec<Auszahlung>,
    pub warnungen: Vec<String>,
}

impl Uebersicht {
    pub fn summe_aufwand(&self) -> Money {
        self.aufwand.iter().map(|z| z.betrag).sum()
    }

    pub fn summe_verbindlichkeiten(&self) -> Money {
        self.verbindlichkeiten.iter().map(|z| z.betrag).sum()
    }

    /// The total of one kind of liability.
    pub fn verbindlichkeit(&self, art: Verbindlichkeit) -> Money {
        self.verbindlichkeiten
            .iter()
            .filter(|z| z.art == art)
            .map(|z| z.betrag)
            .sum()
    }
}

pub(super) fn aktiver_lauf_in(sql: &mut dyn Sql, mandant: &str, m: Monat) -> Result<LaufInfo> {
    laufdaten::aktiver_lauf_in(sql, mandant, m)?.ok_or_else(|| {
        KisError::NotFound(format!(
            "Für {} gibt es keinen aktiven Abrechnungslauf.",
            m.de()
        ))
    })
}

pub(super) fn auszahlungen_in(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    lauf_nr: i64,
) -> Result<Vec<Auszahlung>> {
    repo::buchung::auszahlungen(sql, mandant, m, lauf_nr)
}

/// The FINAS posting of the active run of `monat`; `None` for a run from
/// before this interface.
pub fn uebersicht(session: &Session, monat: &str) -> Result<Option<Uebersicht>> {
    session.require(&[Role::PersosLesen])?;
    let m = Monat::parse(monat)?;
    let mandant = session.mandant.id.as_str();
    session.db.read(|sql| {
        let l = aktiver_lauf_in(sql, mandant, m)?;
        let Some((nr, warnungen)) = repo::buchung::buchung(sql, mandant, m, l.lauf_nr)? else {
            return Ok(None);
        };
        let b = journal::lesen_in(sql, mandant, nr)?;
        let warnungen = warnungen
            .lines()
            .filter(|w| !w.trim().is_empty())
            .map(String::from)
            .collect();
        let verbindlichkeiten = repo::buchung::verbindlichkeiten(sql, mandant, m, l.lauf_nr)?;
        let aufwand = b
            .zeilen
            .iter()
            .filter(|z| z.soll.cents() > 0)
            .map(|z| AufwandZeile {
                konto: z.konto.clone(),
                bezeichnung: z.konto_bezeichnung.clone(),
                produkt: z.produkt.clone().unwrap_or_default(),
                kostenstelle: z.kostenstelle.clone().unwrap_or_default(),
                betrag: z.soll,
            })
            .collect();
        Ok(Some(Uebersicht {
            monat: m.key(),
            lauf_nr: l.lauf_nr,
            buchung: b.nr,
            beleg: b.beleg,
            datum: b.datum,
            aufwand,
            verbindlichkeiten,
            auszahlungen: auszahlungen_in(sql, mandant, m, l.lauf_nr)?,
            warnungen,
        }))
    })
}

/// The posting as a section of the Lohnjournal (72 columns): the
/// Personalaufwand per account (the lines per Produkt × Kostenstelle are in
/// the FINAS journal) and every liability line with its creditor.
pub fn uebersicht_text(u: &Uebersicht) -> String {
    let mut t = format!(
        "BUCHUNG IN FINAS: Nr. {} vom {}, Beleg {}\n\n",
        u.buchung,
        format_date_de(u.datum),
        u.beleg
    );
    t.push_str(&format!(
        "{:<5} {:<45} {:>5} {:>14}\n",
        "Konto", "Personalaufwand (Soll)", "Zeil.", "Betrag"
    ));
    let mut je_konto: BTreeMap<&str, (&str, usize, Money)> = BTreeMap::new();
    for z in &u.aufwand {
        let e =
            je_konto
                .entry(z.konto.as_str())
                .or_insert((z.bezeichnung.as_str(), 0, Money::zero()));
        e.1 += 1;
        e.2 += z.betrag;
    }
    for (konto, (bez, n, betrag)) in &je_konto {
        let bez: String = bez.chars().take(45).collect();
        t.push_str(&format!(
            "{konto:<5} {bez:<45} {n:>5} {:>14}\n",
            betrag.format_de()
        ));
    }
    t.push_str(&format!(
        "{:<57}{:>15}\n\n",
        "Summe Personalaufwand",
        u.summe_aufwand().format_de()
    ));
    t.push_str(&format!(
        "{:<5} {:<21} {:<29} {:>14}\n",
        "Konto", "Verbindlichk. (Haben)", "Gläubiger", "Betrag"
    ));
    for z in &u.verbindlichkeiten {
        let art = match z.art {
            Verbindlichkeit::Lohnsteuer => "Lohnsteuer".to_string(),
            Verbindlichkeit::Soli => "Solidaritätszuschlag".to_string(),
            Verbindlichkeit::Kirchensteuer => "Kirchensteuer".to_string(),
            Verbindlichkeit::Sozialversicherung => format!("SV-Beiträge {}", z.glaeubiger),
            Verbindlichkeit::Zvk => "ZVK-Umlage".to_string(),
            Verbindlichkeit::Vl => "Vermögensw. Leist.".to_string(),
            Verbindlichkeit::Netto => format!("Netto ({} Anordn.)", u.auszahlungen.len()),
        };
        let art: String = art.chars().take(21).collect();
        let name: String = z.name.chars().take(29).collect();
        t.push_str(&format!(
            "{:<5} {art:<21} {name:<29} {:>14}\n",
            z.konto,
            z.betrag.format_de()
        ));
    }
    t.push_str(&format!(
        "{:<57}{:>15}\n",
        "Summe Verbindlichkeiten",
        u.summe_verbindlichkeiten().format_de()
    ));
    for w in &u.warnungen {
        t.push_str(&format!("\nHaushaltswarnung: {w}\n"));
    }
    t
}
