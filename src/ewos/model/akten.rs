//! The records a Meldevorgang reads and leaves: its context, the field
//! history, dwellings to insert, documents, transmissions, the §40
//! protocol, the payroll office's address and the retention cases.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Adresse, WohnungsArt, Wohnungsgeber};
use crate::kernel::audit::Actor;

/// A point in time as the register stores it.
pub fn stamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// The context of one process: who, when, from which source, valid from when.
pub struct Vorgang<'a> {
    pub actor: &'a Actor,
    pub quelle: &'static str,
    pub gueltig_ab: NaiveDate,
    pub bemerkung: String,
}

impl Vorgang<'_> {
    /// When the process was recorded, as the register stores it.
    pub fn erfasst(&self) -> String {
        stamp(self.actor.at)
    }
}

/// A history entry for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistEintrag {
    pub feld: String,
    pub alt: String,
    pub neu: String,
    pub gueltig_ab: NaiveDate,
    pub erfasst_am: String,
    pub quelle: String,
    pub benutzer: String,
    pub bemerkung: String,
}

/// Fields of a new dwelling.
pub struct NeueWohnung<'a> {
    pub person_id: i64,
    pub art: WohnungsArt,
    pub adresse: &'a Adresse,
    pub einzug: NaiveDate,
    pub anmeldedatum: NaiveDate,
    pub verspaetet: bool,
    pub wgb: Option<&'a Wohnungsgeber>,
    pub haushalt: i64,
}

/// A stored document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dokument {
    pub id: i64,
    pub person_id: i64,
    pub art: String,
    pub erstellt: String,
    pub text: String,
}

/// A transmission record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uebermittlung {
    pub id: i64,
    pub richtung: String,
    pub art: String,
    pub person_id: Option<i64>,
    pub partner: String,
    pub inhalt: String,
    pub status: String,
}

/// One line of the §40 protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Protokoll {
    pub id: i64,
    pub zeit: String,
    pub benutzer: String,
    pub art: String,
    pub anfragender: String,
    pub zweck: String,
    pub daten: String,
    pub ergebnis: String,
    pub grund: String,
    pub person_informiert: bool,
}

/// One row of the §40 protocol to be written: the request (the same for the
/// person asked about and each relative shown with her) and its outcome.
pub struct ProtokollZeile<'a> {
    pub person_id: Option<i64>,
    pub art: &'a str,
    pub anfragender: &'a str,
    pub zweck: &'a str,
    pub suchdaten: &'a str,
    pub daten: &'a str,
    pub ergebnis: &'a str,
    pub grund: &'a str,
    pub informiert: bool,
}

/// An address as the payroll office writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anschrift {
    /// Street and house number ("Kirchstraße 12a").
    pub strasse: String,
    pub plz: String,
    pub ort: String,
}

/// What the retention batch (§14 BMG) does with a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Massnahme {
    Archivieren,
    Loeschen,
}

/// A person whose retention period (§14 BMG) has ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fall {
    pub person_id: i64,
    pub name: String,
    pub status: String,
    pub datum: NaiveDate,
    pub massnahme: Massnahme,
}
