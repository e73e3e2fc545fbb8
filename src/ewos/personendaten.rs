//! Checking and normalising a person's data, and the keys derived from it
//! that the register is searched and sorted by.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::model::*;
use crate::core::collation::{din5007_key, search_key};
use crate::core::error::{KisError, Result};
use crate::core::ids::normalize_steuer_idnr;
use crate::core::phonetik::phonetik_codes;
use crate::core::sanitize::sanitize_line;

/// A text as it is stored: trimmed, control characters removed.
pub fn clean(s: &str) -> String {
    sanitize_line(s.trim()).into_owned()
}

/// Check and normalise a person's data; `heute` bounds the dates.
pub fn validate_daten(d: &PersonDaten, heute: NaiveDate) -> Result<PersonDaten> {
    let mut d = d.clone();
    d.familienname = clean(&d.familienname);
    d.vornamen = clean(&d.vornamen)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    d.rufname = clean(&d.rufname);
    d.doktorgrad = clean(&d.doktorgrad);
    d.ordensname = clean(&d.ordensname);
    d.geburtsort = clean(&d.geburtsort);
    d.geburtsstaat = clean(&d.geburtsstaat);
    d.familienstand_ort = clean(&d.familienstand_ort);
    d.familienstand_staat = clean(&d.familienstand_staat);
    if d.familienname.is_empty() {
        return Err(KisError::field(
            "familienname",
            "Bitte den Familiennamen angeben.",
        ));
    }
    if d.vornamen.is_empty() {
        return Err(KisError::field(
            "vornamen",
            "Bitte die Vornamen angeben (ohne Vornamen: „-“).",
        ));
    }
    if !d.rufname.is_empty() && !d.vornamen.split_whitespace().any(|v| v == d.rufname) {
        return Err(KisError::field(
            "rufname",
            format!(
                "Der gebräuchliche Vorname „{}“ ist keiner der Vornamen.",
                d.rufname
            ),
        ));
    }
    if d.geburtsdatum > heute {
        return Err(KisError::field(
            "geburtsdatum",
            "Das Geburtsdatum darf nicht in der Zukunft liegen.",
        ));
    }
    check_code(RELIGIONEN, &d.religion, "religion", "Religion")?;
    check_code(
        FAMILIENSTAENDE,
        &d.familienstand,
        "familienstand",
        "Familienstand",
    )?;
    if let Some(fd) = d.familienstand_datum {
        if fd > heute {
            return Err(KisError::field(
                "familienstand_datum",
                "Das Datum des Familienstands darf nicht in der Zukunft liegen.",
            ));
        }
        if fd < d.geburtsdatum {
            return Err(KisError::field(
                "familienstand_datum",
                "Das Datum des Familienstands liegt vor der Geburt.",
            ));
        }
    }
    d.idnr = match d.idnr.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => {
            Some(normalize_steuer_idnr(s).map_err(|e| KisError::field("idnr", e.to_string()))?)
        }
    };
    for s in &mut d.staaten {
        s.staat = s.staat.trim().to_uppercase();
        s.quelle = clean(&s.quelle);
        if s.staat.len() != 3 || !s.staat.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(KisError::field(
                "staaten",
                format!(
                    "Staatsangehörigkeit „{}“: dreistelliger Staatencode (DEU, TUR, POL …).",
                    s.staat
                ),
            ));
        }
    }
    let mut seen = BTreeSet::new();
    d.staaten.retain(|s| seen.insert(s.staat.clone()));
    for n in &mut d.fruehere_namen {
        n.name = clean(&n.name);
    }
    d.fruehere_namen.retain(|n| !n.name.is_empty());
    Ok(d)
}

/// The keys a person is found by: search keys and phonetic codes of the
/// current and all former names, each once.
pub fn name_keys(d: &PersonDaten) -> BTreeSet<(&'static str, String)> {
    let mut keys = BTreeSet::new();
    for name in std::iter::once(d.familienname.as_str())
        .chain(d.fruehere_namen.iter().map(|n| n.name.as_str()))
    {
        let k = search_key(name);
        if !k.is_empty() {
            keys.insert(("S", k));
        }
        for code in phonetik_codes(name) {
            if !code.is_empty() {
                keys.insert(("P", code));
            }
        }
    }
    keys
}

/// The DIN 5007 sort key of a person: name, first names, birth date.
pub fn person_sort_key(d: &PersonDaten) -> String {
    din5007_key(&format!(
        "{} {} {}",
        d.familienname, d.vornamen, d.geburtsdatum
    ))
}

/// Normalised first names with a leading blank, so `LIKE '% anna%'` finds
/// any first name that starts with "anna".
pub fn vorname_key(vornamen: &str) -> String {
    format!(" {}", search_key(vornamen))
}
