//! Tagesabschluss of the Stadtkasse: the Zeitbuch and Sachbuch of a day,
//! the Kassenbestand per Stadtkasse bank account, the check whether the day
//! balances and the closing of the day.
//!
//! Rules (decided here):
//! * A day balances when the Soll and Haben totals of its postings are
//!   equal and the Kassenbestand of every Stadtkasse bank account can be
//!   determined: the settings must link the account (IBAN) to its Sachkonto
//!   (`bankkonto`, class 1). The Kassenbestand is that Sachkonto's balance
//!   over the year's postings up to and including the day.
//! * Closing (role KASSE, the cash office) refuses a day that does not
//!   balance, a day already closed, a day before the last closed day and —
//!   once a first day is closed — a day while an earlier day with postings
//!   after the last closed day is still open. The first Tagesabschluss of a
//!   Mandant starts the series: it closes every earlier day with it.
//! * After closing, the journal accepts no posting dated on or before the
//!   last closed day ([`crate::finas::journal::kassentag_offen_in`], in the
//!   central posting path of every procedure).
//!
//! * Reconciliation with the bank: when a camt.053 statement of the account
//!   dated on the day is imported, its closing balance must equal the
//!   Kassenbestand; a difference (a bank booking KIS does not know, an
//!   entry not imported) keeps the day open. A day without a statement of
//!   its own (no bank movement, or the statement still to come) is checked
//!   on the books alone; the closing balance of the latest earlier
//!   statement is shown for comparison.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::einstellung;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::repo::kasse::kontoauszug as auszug_repo;
use crate::finas::repo::kasse::tagesabschluss as repo;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_tagesabschluss";

/// One Buchung of the day's Zeitbuch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZeitbuchZeile {
    pub nr: i64,
    pub text: String,
    pub soll_konten: Vec<String>,
    pub haben_konten: Vec<String>,
    pub betrag: Money,
    pub kassenzeichen: Option<String>,
}

/// The day's totals of one Konto × Produkt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SachbuchZeile {
    pub konto: String,
    pub bezeichnung: String,
    pub produkt: Option<String>,
    pub soll: Money,
    pub haben: Money,
}

/// The Kassenbestand of one Stadtkasse bank account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bestand {
    pub iban: String,
    pub konto: String,
    pub bestand: Money,
    /// Closing balance of the day's bank statement, else of the latest
    /// earlier one; None before the first import.
    pub auszug: Option<Money>,
}

/// The result of checking a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pruefung {
    pub datum: NaiveDate,
    pub zeitbuch: Vec<ZeitbuchZeile>,
    pub sachbuch: Vec<SachbuchZeile>,
    pub soll: Money,
    pub haben: Money,
    pub bestaende: Vec<Bestand>,
    /// Why the day does not balance (German, one line each); empty: balances.
    pub maengel: Vec<String>,
    pub abgeschlossen: bool,
}

impl Pruefung {
    pub fn ausgeglichen(&self) -> bool {
        self.maengel.is_empty()
    }
}

/// `TT.MM.JJJJ`.
pub fn tag(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Check a day inside the caller's transaction (no writes).
pub fn pruefen_in(sql: &mut dyn Sql, mandant: &str, datum: NaiveDate) -> Result<Pruefung> {
    let zeitbuch = repo::zeitbuch(sql, mandant, datum)?;
    let sachbuch = repo::sachbuch(sql, mandant, datum)?;
    let soll = sachbuch.iter().fold(Money::zero(), |a, z| a + z.soll);
    let haben = sachbuch.iter().fold(Money::zero(), |a, z| a + z.haben);
    let mut maengel = Vec::new();
    if soll != haben {
        maengel.push(format!(
            "Soll {} und Haben {} des Tages weichen um {} ab.",
            soll.format_de(),
            haben.format_de(),
            (soll - haben).format_de()
        ));
    }
    let e = einstellung::lesen_in(sql, mandant)?;
    let mut bestaende = Vec::new();
    if e.bankkonto.trim().is_empty() {
        maengel.push(format!(
            "Für das Bankkonto {} der Stadtkasse ist in den Kasseneinstellungen kein Sachkonto verknüpft; der Kassenbestand ist nicht bestimmbar.",
            e.iban
        ));
    } else {
        let bestand = repo::saldo_bis(sql, mandant, &e.bankkonto, datum)?;
        let am_tag =
            auszug_repo::schlusssaldo_am(sql, mandant, &e.iban, datum)?.map(Money::from_cents);
        if let Some(a) = am_tag
            && a != bestand
        {
            maengel.push(format!(
                "Der Kassenbestand {} € des Kontos {} weicht vom Schlusssaldo des Kontoauszugs vom {} ({} €) um {} € ab.",
                bestand.format_de(),
                e.iban,
                tag(datum),
                a.format_de(),
                (bestand - a).format_de()
            ));
        }
        let auszug = match am_tag {
            Some(a) => Some(a),
            None => auszug_repo::schlusssaldo(sql, mandant, &e.iban, datum)?.map(Money::from_cents),
        };
        bestaende.push(Bestand {
            iban: e.iban.clone(),
            konto: e.bankkonto.clone(),
            bestand,
            auszug,
        });
    }
    Ok(Pruefung {
        datum,
        zeitbuch,
        sachbuch,
        soll,
        haben,
        bestaende,
        maengel,
        abgeschlossen: repo::abgeschlossen(sql, mandant, datum)?,
    })
}

/// Check a day (roles FINAS_LESEN or KASSE).
pub fn pruefen(session: &Session, datum: NaiveDate) -> Result<Pruefung> {
    session.require(&[Role::FinasLesen, Role::Kasse])?;
    session
        .db
        .read(|sql| pruefen_in(sql, &session.mandant.id, datum))
}

/// Close a day inside the caller's transaction (rules in the module text).
pub fn abschliessen_in(sql: &mut dyn Sql, actor: &Actor, datum: NaiveDate) -> Result<Pruefung> {
    let m = actor.mandant.as_str();
    if repo::abgeschlossen(sql, m, datum)? {
        return Err(KisError::Conflict(format!(
            "Der Kassentag {} ist bereits abgeschlossen.",
            tag(datum)
        )));
    }
    let letzter = repo::letzter(sql, m)?;
    if let Some(l) = letzter {
        if datum < l {
            return Err(KisError::Conflict(format!(
                "Der Kassentag {} liegt vor dem letzten Tagesabschluss vom {} und ist damit abgeschlossen.",
                tag(datum),
                tag(l)
            )));
        }
        if let Some(offen) = repo::erster_buchungstag(sql, m, Some(l), datum)? {
            return Err(KisError::Conflict(format!(
                "Der frühere Kassentag {} mit Buchungen ist noch nicht abgeschlossen; bitte zuerst diesen Tag abschließen.",
                tag(offen)
            )));
        }
    }
    let p = pruefen_in(sql, m, datum)?;
    if !p.ausgeglichen() {
        return Err(KisError::Conflict(format!(
            "Der Kassentag {} ist nicht ausgeglichen und wird nicht abgeschlossen: {}",
            tag(datum),
            p.maengel.join(" ")
        )));
    }
    let am = actor.stempel();
    repo::schreiben(
        sql,
        m,
        datum,
        &actor.user,
        &am,
        p.zeitbuch.len(),
        p.soll,
        &p.bestaende,
    )?;
    audit::append(
        sql,
        actor,
        "TAGESABSCHLUSS",
        ENTITY,
        &datum.to_string(),
        None,
        Some(&json!({
            "datum": datum.to_string(),
            "buchungen": p.zeitbuch.len(),
            "soll": p.soll.cents(),
            "haben": p.haben.cents(),
            "bestaende": p.bestaende,
        })),
    )?;
    Ok(Pruefung {
        abgeschlossen: true,
        ..p
    })
}

/// Close a day (role KASSE).
pub fn abschliessen(session: &Session, datum: NaiveDate) -> Result<Pruefung> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| abschliessen_in(sql, &actor, datum))
}

/// The latest closed day of the Mandant.
pub fn letzter_in(sql: &mut dyn Sql, mandant: &str) -> Result<Option<NaiveDate>> {
    repo::letzter(sql, mandant)
}
