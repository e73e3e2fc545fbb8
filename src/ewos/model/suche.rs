//! A person search as the register runs it, and its hits.

use chrono::NaiveDate;

use super::Status;

/// One hit of the search list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Treffer {
    pub id: i64,
    pub familienname: String,
    pub vornamen: String,
    pub geburtsdatum: NaiveDate,
    pub status: Status,
    /// Current Hauptwohnung (else a current dwelling; for persons who moved
    /// away the destination).
    pub anschrift: String,
    /// Codes of the Sperren valid today ("AS51 W36").
    pub sperren: String,
    /// A §51 Auskunftssperre or §52 Sperrvermerk is in force.
    pub auskunftssperre: bool,
}

/// How a person search finds names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NamensSuche {
    /// Search keys starting with this prefix.
    Praefix(String),
    /// The Kölner Phonetik codes of the name; a person has to match all.
    Phonetisch(Vec<String>),
}

/// A person search with its rules applied: keys derived, the archive
/// visibility decided (§14(2) BMG), at least one criterion given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuchFilter {
    pub name: Option<NamensSuche>,
    /// Search key of a first name's start.
    pub vorname: Option<String>,
    pub geburtsdatum: Option<NaiveDate>,
    /// Straßenschlüssel and optional house number of a dwelling lived in
    /// on `heute`.
    pub strasse: Option<(String, Option<u32>)>,
    /// The day whose state the search shows (an announced dwelling does not
    /// count before its Einzug).
    pub heute: NaiveDate,
    pub ordnungsmerkmal: Option<i64>,
    /// Archived persons (and their A/B keys) are included.
    pub mit_archiv: bool,
}
