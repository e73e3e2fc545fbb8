//! Updating the register inside the caller's transaction: the steps every
//! Meldevorgang shares (load for a change, save with the field history,
//! move in and out of a dwelling), with the history entries they leave.

use chrono::NaiveDate;

use super::meldung::ENTITY;
use super::model::*;
use super::repo::{historie, person, wohnung};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::store::Sql;

/// Load a person for a process that changes it: archived persons are out of reach.
pub fn load_for_change_in(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<Person> {
    let p = person::load_person(sql, mandant, id)?;
    if p.archiviert {
        return Err(KisError::Conflict(format!(
            "Person {} ist nach § 14 Abs. 2 BMG archiviert und kann nicht mehr fortgeschrieben werden.",
            p.ordnungsmerkmal()
        )));
    }
    Ok(p)
}

/// Write a person's changed state (see [`person::save_person`]); a version
/// saved by someone else in between is refused with the colleague's name.
pub fn save_person_in(
    sql: &mut dyn Sql,
    mandant: &str,
    p: &Person,
    expected_version: Option<i64>,
) -> Result<()> {
    if person::save_person(sql, mandant, p, expected_version)? {
        return Ok(());
    }
    // Name the colleague from the person's last audit entry.
    Err(crate::kernel::locks::stale_save(
        sql,
        mandant,
        ENTITY,
        &p.ordnungsmerkmal(),
    ))
}

/// The history-relevant fields of a person as (field, text).
fn felder(p: &Person) -> Vec<(&'static str, String)> {
    let d = &p.daten;
    let od = |x: Option<NaiveDate>| x.map(format_date_de).unwrap_or_default();
    vec![
        ("Familienname", d.familienname.clone()),
        (
            "Frühere Namen",
            d.fruehere_namen
                .iter()
                .map(|n| format!("{}: {}", n.art_label(), n.name))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        ("Vornamen", d.vornamen.clone()),
        ("Gebräuchlicher Vorname", d.rufname.clone()),
        ("Doktorgrad", d.doktorgrad.clone()),
        ("Ordens-/Künstlername", d.ordensname.clone()),
        ("Geburtsdatum", format_date_de(d.geburtsdatum)),
        ("Geburtsort", d.geburtsort.clone()),
        ("Geburtsstaat", d.geburtsstaat.clone()),
        ("Geschlecht", d.geschlecht.label().to_string()),
        ("Religion", d.religion.clone()),
        (
            "Familienstand",
            format!(
                "{} {} {}",
                d.familienstand,
                od(d.familienstand_datum),
                d.familienstand_ort
            )
            .trim()
            .to_string(),
        ),
        ("IdNr", d.idnr.clone().unwrap_or_default()),
        (
            "Staatsangehörigkeiten",
            d.staaten
                .iter()
                .map(|s| s.staat.clone())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        (
            "Status",
            format!("{} {}", p.status.label(), od(p.status_datum))
                .trim()
                .to_string(),
        ),
        (
            "Wegzug nach",
            format!("{} {}", p.wegzug_nach, p.wegzug_staat)
                .trim()
                .to_string(),
        ),
        (
            "Sterbedatum/-ort",
            format!("{} {}", od(p.sterbedatum), p.sterbeort)
                .trim()
                .to_string(),
        ),
    ]
}

/// Save a changed person and write one history entry per changed field
/// (the step every Meldevorgang ends with).
pub fn save_changed_in(
    sql: &mut dyn Sql,
    v: &Vorgang,
    before: &Person,
    after: &Person,
) -> Result<()> {
    save_person_in(sql, &v.actor.mandant, after, None)?;
    history_diff_in(sql, v, Some(before), after)
}

/// Write one history entry per changed field between two states.
pub fn history_diff_in(
    sql: &mut dyn Sql,
    v: &Vorgang,
    before: Option<&Person>,
    after: &Person,
) -> Result<()> {
    let new = felder(after);
    let old = before.map(felder);
    for (i, (feld, neu)) in new.iter().enumerate() {
        let alt = old.as_ref().map(|o| o[i].1.as_str());
        if alt == Some(neu.as_str()) || (alt.is_none() && neu.is_empty()) {
            continue;
        }
        historie::insert(sql, v, after.id, feld, alt, Some(neu))?;
    }
    Ok(())
}

/// Check an address against the street directory and format it.
pub fn check_adresse_in(sql: &mut dyn Sql, mandant: &str, a: &Adresse) -> Result<String> {
    let zusatz = a.zusatz.trim().to_lowercase();
    if !crate::kernel::streets::house_exists(sql, mandant, &a.strasse, a.hausnummer, &zusatz)? {
        return Err(KisError::field(
            "strasse",
            format!(
                "Die Anschrift {} {}{} ist nicht im Straßenverzeichnis.",
                a.strasse, a.hausnummer, zusatz
            ),
        ));
    }
    wohnung::format_adresse(sql, mandant, a)
}

fn wohnungsart_text(art: WohnungsArt) -> &'static str {
    if art == WohnungsArt::Haupt {
        "Hauptwohnung"
    } else {
        "Nebenwohnung"
    }
}

/// Move a person into a dwelling and record it.
pub fn insert_wohnung_in(sql: &mut dyn Sql, v: &Vorgang, w: &NeueWohnung) -> Result<i64> {
    let mandant = v.actor.mandant.as_str();
    let id = wohnung::insert_wohnung(sql, mandant, v.quelle, w)?;
    let text = wohnung::format_adresse(sql, mandant, w.adresse)?;
    historie::insert(
        sql,
        v,
        w.person_id,
        wohnungsart_text(w.art),
        None,
        Some(&format!("{text} (Einzug {})", format_date_de(w.einzug))),
    )?;
    Ok(id)
}

/// End a dwelling (Auszug) and record it.
pub fn end_wohnung_in(
    sql: &mut dyn Sql,
    v: &Vorgang,
    w: &Wohnung,
    auszug: NaiveDate,
    abmeldedatum: Option<NaiveDate>,
) -> Result<()> {
    wohnung::set_auszug(sql, &v.actor.mandant, w.id, auszug, abmeldedatum)?;
    historie::insert(
        sql,
        v,
        w.person_id,
        wohnungsart_text(w.art),
        Some(&w.anschrift),
        Some(&format!("Auszug {}", format_date_de(auszug))),
    )
}

/// Change a dwelling's kind (Haupt- ↔ Nebenwohnung, §22 decision) and record it.
pub fn set_wohnungsart_in(
    sql: &mut dyn Sql,
    v: &Vorgang,
    w: &Wohnung,
    art: WohnungsArt,
) -> Result<()> {
    wohnung::set_art(sql, &v.actor.mandant, w.id, art)?;
    historie::insert(
        sql,
        v,
        w.person_id,
        "Wohnungsart",
        Some(&format!("{} {}", w.art.code(), w.anschrift)),
        Some(&format!("{} {}", art.code(), w.anschrift)),
    )
}
