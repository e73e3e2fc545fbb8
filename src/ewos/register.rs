//! Reading and writing the register inside an open transaction: persons with
//! their names and search keys, dwellings, family links, Sperren, history,
//! documents, transmissions and clarification cases. The services in the
//! other modules check roles and rules and call these.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};

use super::model::*;
use crate::core::audit::Actor;
use crate::core::collation::{din5007_key, search_key};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::ids::normalize_steuer_idnr;
use crate::core::phonetik::phonetik_codes;
use crate::core::sanitize::sanitize_line;
use crate::params;
use crate::store::{Row, Sql, Value};

/// Allocate `n` consecutive ids of the counter `name`; returns the first.
pub fn next_ids(sql: &mut dyn Sql, mandant: &str, name: &str, n: i64) -> Result<i64> {
    sql.execute(
        "INSERT INTO ewo_counter (mandant, name, next_id) VALUES (?, ?, 1) ON CONFLICT (mandant, name) DO NOTHING",
        &params![mandant, name],
    )?;
    let r = sql.query_one(
        "UPDATE ewo_counter SET next_id = next_id + ? WHERE mandant = ? AND name = ? RETURNING next_id",
        &params![n, mandant, name],
    )?;
    Ok(r.i64(0)? - n)
}

pub fn next_id(sql: &mut dyn Sql, mandant: &str, name: &str) -> Result<i64> {
    next_ids(sql, mandant, name, 1)
}

fn clean(s: &str) -> String {
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

fn opt_date_str(d: Option<NaiveDate>) -> Value {
    match d {
        Some(d) => Value::Text(d.to_string()),
        None => Value::Null,
    }
}

/// Insert a new person (status aktiv unless given) with names, nationalities and keys.
pub fn insert_person(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    d: &PersonDaten,
    zuzug_von: &str,
    zuzug_staat: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO ewo_person (mandant, id, familienname, vornamen, rufname, doktorgrad, ordensname, geburtsdatum, geburtsort, \
         geburtsstaat, geschlecht, religion, familienstand, familienstand_datum, familienstand_ort, familienstand_staat, idnr, status, \
         zuzug_von, zuzug_staat, search_key, vorname_key, sort_key, version) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'aktiv', ?, ?, ?, ?, ?, 1)",
        &[
            mandant.into(),
            id.into(),
            d.familienname.as_str().into(),
            d.vornamen.as_str().into(),
            d.rufname.as_str().into(),
            d.doktorgrad.as_str().into(),
            d.ordensname.as_str().into(),
            d.geburtsdatum.to_string().into(),
            d.geburtsort.as_str().into(),
            d.geburtsstaat.as_str().into(),
            d.geschlecht.code().into(),
            d.religion.as_str().into(),
            d.familienstand.as_str().into(),
            opt_date_str(d.familienstand_datum),
            d.familienstand_ort.as_str().into(),
            d.familienstand_staat.as_str().into(),
            d.idnr.clone().into(),
            zuzug_von.into(),
            zuzug_staat.into(),
            search_key(&d.familienname).into(),
            vorname_key(&d.vornamen).into(),
            person_sort_key(d).into(),
        ],
    )?;
    write_names(sql, mandant, id, d)
}

/// Replace the former names, nationalities and search keys of a person.
fn write_names(sql: &mut dyn Sql, mandant: &str, id: i64, d: &PersonDaten) -> Result<()> {
    sql.execute(
        "DELETE FROM ewo_name WHERE mandant = ? AND person_id = ?",
        &params![mandant, id],
    )?;
    sql.execute(
        "DELETE FROM ewo_name_key WHERE mandant = ? AND person_id = ?",
        &params![mandant, id],
    )?;
    sql.execute(
        "DELETE FROM ewo_staat WHERE mandant = ? AND person_id = ?",
        &params![mandant, id],
    )?;
    for (i, n) in d.fruehere_namen.iter().enumerate() {
        sql.execute(
            "INSERT INTO ewo_name (mandant, person_id, lfd, art, name, bis) VALUES (?, ?, ?, ?, ?, ?)",
            &[mandant.into(), id.into(), (i as i64 + 1).into(), n.art.to_string().into(), n.name.as_str().into(), opt_date_str(n.bis)],
        )?;
    }
    let sort_key = person_sort_key(d);
    for (art, key) in name_keys(d) {
        sql.execute(
            "INSERT INTO ewo_name_key (mandant, art, schluessel, person_id, sort_key) VALUES (?, ?, ?, ?, ?)",
            &params![mandant, art, key, id, sort_key.as_str()],
        )?;
    }
    for s in &d.staaten {
        sql.execute(
            "INSERT INTO ewo_staat (mandant, person_id, staat, quelle) VALUES (?, ?, ?, ?)",
            &params![mandant, id, s.staat.as_str(), s.quelle.as_str()],
        )?;
    }
    Ok(())
}

const PERSON_COLS: &str = "id, familienname, vornamen, rufname, doktorgrad, ordensname, geburtsdatum, geburtsort, geburtsstaat, \
    geschlecht, religion, familienstand, familienstand_datum, familienstand_ort, familienstand_staat, idnr, status, status_datum, \
    zuzug_von, zuzug_staat, wegzug_nach, wegzug_staat, sterbedatum, sterbeort, archiviert, version";

fn person_from_row(r: &Row) -> Result<Person> {
    Ok(Person {
        id: r.i64(0)?,
        daten: PersonDaten {
            familienname: r.str(1)?,
            vornamen: r.str(2)?,
            rufname: r.str(3)?,
            doktorgrad: r.str(4)?,
            ordensname: r.str(5)?,
            geburtsdatum: r.date(6)?,
            geburtsort: r.str(7)?,
            geburtsstaat: r.str(8)?,
            geschlecht: Geschlecht::parse(&r.str(9)?)?,
            religion: r.str(10)?,
            familienstand: r.str(11)?,
            familienstand_datum: r.opt_date(12)?,
            familienstand_ort: r.str(13)?,
            familienstand_staat: r.str(14)?,
            idnr: r.opt_str(15)?,
            fruehere_namen: Vec::new(),
            staaten: Vec::new(),
        },
        status: Status::from_code(&r.str(16)?)?,
        status_datum: r.opt_date(17)?,
        zuzug_von: r.str(18)?,
        zuzug_staat: r.str(19)?,
        wegzug_nach: r.str(20)?,
        wegzug_staat: r.str(21)?,
        sterbedatum: r.opt_date(22)?,
        sterbeort: r.str(23)?,
        archiviert: r.bool(24)?,
        version: r.i64(25)?,
    })
}

/// Load a person with former names and nationalities.
pub fn load_person(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<Person> {
    let r = sql
        .query_opt(
            &format!("SELECT {PERSON_COLS} FROM ewo_person WHERE mandant = ? AND id = ?"),
            &params![mandant, id],
        )?
        .ok_or_else(|| {
            KisError::NotFound(format!(
                "Person mit Ordnungsmerkmal {} ist nicht im Melderegister.",
                format_om(id)
            ))
        })?;
    let mut p = person_from_row(&r)?;
    p.daten.fruehere_namen = sql
        .query(
            "SELECT art, name, bis FROM ewo_name WHERE mandant = ? AND person_id = ? ORDER BY lfd",
            &params![mandant, id],
        )?
        .iter()
        .map(|r| {
            Ok(FruehererName {
                art: r.str(0)?.chars().next().unwrap_or('F'),
                name: r.str(1)?,
                bis: r.opt_date(2)?,
            })
        })
        .collect::<Result<_>>()?;
    p.daten.staaten = sql
        .query("SELECT staat, quelle FROM ewo_staat WHERE mandant = ? AND person_id = ? ORDER BY staat", &params![mandant, id])?
        .iter()
        .map(|r| Ok(Staatsangehoerigkeit { staat: r.str(0)?, quelle: r.str(1)? }))
        .collect::<Result<_>>()?;
    Ok(p)
}

/// Load a person for a process that changes it: archived persons are out of reach.
pub fn load_for_change(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<Person> {
    let p = load_person(sql, mandant, id)?;
    if p.archiviert {
        return Err(KisError::Conflict(format!(
            "Person {} ist nach § 14 Abs. 2 BMG archiviert und kann nicht mehr fortgeschrieben werden.",
            p.ordnungsmerkmal()
        )));
    }
    Ok(p)
}

/// Write a person's changed state; bumps the version; checks `expected_version` if given.
pub fn save_person(
    sql: &mut dyn Sql,
    mandant: &str,
    p: &Person,
    expected_version: Option<i64>,
) -> Result<()> {
    let d = &p.daten;
    let n = sql.execute(
        "UPDATE ewo_person SET familienname = ?, vornamen = ?, rufname = ?, doktorgrad = ?, ordensname = ?, geburtsdatum = ?, \
         geburtsort = ?, geburtsstaat = ?, geschlecht = ?, religion = ?, familienstand = ?, familienstand_datum = ?, \
         familienstand_ort = ?, familienstand_staat = ?, idnr = ?, status = ?, status_datum = ?, zuzug_von = ?, zuzug_staat = ?, \
         wegzug_nach = ?, wegzug_staat = ?, sterbedatum = ?, sterbeort = ?, archiviert = ?, search_key = ?, vorname_key = ?, \
         sort_key = ?, version = version + 1 WHERE mandant = ? AND id = ? AND version = ?",
        &[
            d.familienname.as_str().into(),
            d.vornamen.as_str().into(),
            d.rufname.as_str().into(),
            d.doktorgrad.as_str().into(),
            d.ordensname.as_str().into(),
            d.geburtsdatum.to_string().into(),
            d.geburtsort.as_str().into(),
            d.geburtsstaat.as_str().into(),
            d.geschlecht.code().into(),
            d.religion.as_str().into(),
            d.familienstand.as_str().into(),
            opt_date_str(d.familienstand_datum),
            d.familienstand_ort.as_str().into(),
            d.familienstand_staat.as_str().into(),
            d.idnr.clone().into(),
            p.status.code().into(),
            opt_date_str(p.status_datum),
            p.zuzug_von.as_str().into(),
            p.zuzug_staat.as_str().into(),
            p.wegzug_nach.as_str().into(),
            p.wegzug_staat.as_str().into(),
            opt_date_str(p.sterbedatum),
            p.sterbeort.as_str().into(),
            p.archiviert.into(),
            search_key(&d.familienname).into(),
            vorname_key(&d.vornamen).into(),
            person_sort_key(d).into(),
            mandant.into(),
            p.id.into(),
            expected_version.unwrap_or(p.version).into(),
        ],
    )?;
    if n == 0 {
        // Name the colleague from the person's last audit entry.
        return Err(crate::core::locks::stale_save(
            sql,
            mandant,
            super::meldung::ENTITY,
            &p.ordnungsmerkmal(),
        ));
    }
    write_names(sql, mandant, p.id, d)
}

/// The context of one process: who, when, from which source, valid from when.
pub struct Vorgang<'a> {
    pub actor: &'a Actor,
    pub quelle: &'static str,
    pub gueltig_ab: NaiveDate,
    pub bemerkung: String,
}

impl Vorgang<'_> {
    fn erfasst(&self) -> String {
        self.actor.at.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

/// Append one history entry.
pub fn history(
    sql: &mut dyn Sql,
    v: &Vorgang,
    person_id: i64,
    feld: &str,
    alt: Option<&str>,
    neu: Option<&str>,
) -> Result<()> {
    let id = next_id(sql, &v.actor.mandant, "historie")?;
    sql.execute(
        "INSERT INTO ewo_historie (mandant, id, person_id, feld, alt, neu, gueltig_ab, erfasst_am, quelle, benutzer, bemerkung) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![
            v.actor.mandant.as_str(),
            id,
            person_id,
            feld,
            alt.map(str::to_string),
            neu.map(str::to_string),
            v.gueltig_ab.to_string(),
            v.erfasst(),
            v.quelle,
            v.actor.user.as_str(),
            v.bemerkung.as_str()
        ],
    )?;
    Ok(())
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
pub fn save_changed(sql: &mut dyn Sql, v: &Vorgang, before: &Person, after: &Person) -> Result<()> {
    save_person(sql, &v.actor.mandant, after, None)?;
    history_diff(sql, v, Some(before), after)
}

/// Write one history entry per changed field between two states.
pub fn history_diff(
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
        history(sql, v, after.id, feld, alt, Some(neu))?;
    }
    Ok(())
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

pub fn load_history(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<HistEintrag>> {
    sql.query(
        "SELECT feld, alt, neu, gueltig_ab, erfasst_am, quelle, benutzer, bemerkung FROM ewo_historie \
         WHERE mandant = ? AND person_id = ? ORDER BY id",
        &params![mandant, person_id],
    )?
    .iter()
    .map(|r| {
        Ok(HistEintrag {
            feld: r.str(0)?,
            alt: r.opt_str(1)?.unwrap_or_default(),
            neu: r.opt_str(2)?.unwrap_or_default(),
            gueltig_ab: r.date(3)?,
            erfasst_am: r.str(4)?,
            quelle: r.str(5)?,
            benutzer: r.str(6)?,
            bemerkung: r.str(7)?,
        })
    })
    .collect()
}

/// Check an address against the street directory and format it.
pub fn check_adresse(sql: &mut dyn Sql, mandant: &str, a: &Adresse) -> Result<String> {
    let zusatz = a.zusatz.trim().to_lowercase();
    if !crate::core::streets::house_exists(sql, mandant, &a.strasse, a.hausnummer, &zusatz)? {
        return Err(KisError::field(
            "strasse",
            format!(
                "Die Anschrift {} {}{} ist nicht im Straßenverzeichnis.",
                a.strasse, a.hausnummer, zusatz
            ),
        ));
    }
    format_adresse(sql, mandant, a)
}

/// "Hauptstraße 12a, 2. OG links, 59999 Musterstadt".
pub fn format_adresse(sql: &mut dyn Sql, mandant: &str, a: &Adresse) -> Result<String> {
    let r = sql.query_one(
        "SELECT name, plz, ort FROM street WHERE mandant = ? AND schluessel = ?",
        &params![mandant, a.strasse.as_str()],
    )?;
    let lage = if a.lage.trim().is_empty() {
        String::new()
    } else {
        format!(", {}", a.lage.trim())
    };
    Ok(format!(
        "{} {}{}{}, {} {}",
        r.str(0)?,
        a.hausnummer,
        a.zusatz,
        lage,
        r.str(1)?,
        r.str(2)?
    ))
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

pub fn insert_wohnung(sql: &mut dyn Sql, v: &Vorgang, w: &NeueWohnung) -> Result<i64> {
    let mandant = v.actor.mandant.as_str();
    let id = next_id(sql, mandant, "wohnung")?;
    sql.execute(
        "INSERT INTO ewo_wohnung (mandant, id, person_id, art, strasse, hausnummer, zusatz, lage, einzug, anmeldedatum, quelle, \
         verspaetet, wgb_name, wgb_anschrift, wgb_datum, wgb_fehlt, haushalt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            mandant.into(),
            id.into(),
            w.person_id.into(),
            w.art.code().into(),
            w.adresse.strasse.as_str().into(),
            w.adresse.hausnummer.into(),
            w.adresse.zusatz.trim().to_lowercase().into(),
            clean(&w.adresse.lage).into(),
            w.einzug.to_string().into(),
            w.anmeldedatum.to_string().into(),
            v.quelle.into(),
            w.verspaetet.into(),
            w.wgb.map(|g| clean(&g.name)).unwrap_or_default().into(),
            w.wgb.map(|g| clean(&g.anschrift)).unwrap_or_default().into(),
            opt_date_str(w.wgb.map(|g| g.datum)),
            w.wgb.is_none().into(),
            w.haushalt.into(),
        ],
    )?;
    let text = format_adresse(sql, mandant, w.adresse)?;
    let art = if w.art == WohnungsArt::Haupt {
        "Hauptwohnung"
    } else {
        "Nebenwohnung"
    };
    history(
        sql,
        v,
        w.person_id,
        art,
        None,
        Some(&format!("{text} (Einzug {})", format_date_de(w.einzug))),
    )?;
    Ok(id)
}

/// End a dwelling (Auszug) and record it.
pub fn end_wohnung(
    sql: &mut dyn Sql,
    v: &Vorgang,
    w: &Wohnung,
    auszug: NaiveDate,
    abmeldedatum: Option<NaiveDate>,
) -> Result<()> {
    sql.execute(
        "UPDATE ewo_wohnung SET auszug = ?, abmeldedatum = ? WHERE mandant = ? AND id = ?",
        &[
            auszug.to_string().into(),
            opt_date_str(abmeldedatum),
            v.actor.mandant.as_str().into(),
            w.id.into(),
        ],
    )?;
    let art = if w.art == WohnungsArt::Haupt {
        "Hauptwohnung"
    } else {
        "Nebenwohnung"
    };
    history(
        sql,
        v,
        w.person_id,
        art,
        Some(&w.anschrift),
        Some(&format!("Auszug {}", format_date_de(auszug))),
    )
}

/// Change a dwelling's kind (Haupt- ↔ Nebenwohnung, §22 decision).
pub fn set_wohnungsart(
    sql: &mut dyn Sql,
    v: &Vorgang,
    w: &Wohnung,
    art: WohnungsArt,
) -> Result<()> {
    sql.execute(
        "UPDATE ewo_wohnung SET art = ? WHERE mandant = ? AND id = ?",
        &params![art.code(), v.actor.mandant.as_str(), w.id],
    )?;
    history(
        sql,
        v,
        w.person_id,
        "Wohnungsart",
        Some(&format!("{} {}", w.art.code(), w.anschrift)),
        Some(&format!("{} {}", art.code(), w.anschrift)),
    )
}

/// All dwellings of a person, newest first.
pub fn wohnungen(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Wohnung>> {
    let rows = sql.query(
        "SELECT w.id, w.art, w.strasse, w.hausnummer, w.zusatz, w.lage, w.anschrift_text, w.einzug, w.auszug, w.anmeldedatum, \
         w.quelle, w.verspaetet, w.wgb_fehlt, s.name, s.plz, s.ort, w.person_id \
         FROM ewo_wohnung w LEFT JOIN street s ON s.mandant = w.mandant AND s.schluessel = w.strasse \
         WHERE w.mandant = ? AND w.person_id = ? ORDER BY w.einzug DESC, w.id DESC",
        &params![mandant, person_id],
    )?;
    rows.iter().map(wohnung_from_row).collect()
}

fn wohnung_from_row(r: &Row) -> Result<Wohnung> {
    let adresse = match r.opt_str(2)? {
        Some(strasse) => Some(Adresse {
            strasse,
            hausnummer: r.opt_i64(3)?.unwrap_or(0) as u32,
            zusatz: r.str(4)?,
            lage: r.str(5)?,
        }),
        None => None,
    };
    let anschrift = match (&adresse, r.opt_str(13)?) {
        (Some(a), Some(name)) => {
            let lage = if a.lage.is_empty() {
                String::new()
            } else {
                format!(", {}", a.lage)
            };
            format!(
                "{name} {}{}{lage}, {} {}",
                a.hausnummer,
                a.zusatz,
                r.str(14)?,
                r.str(15)?
            )
        }
        _ => r.str(6)?,
    };
    Ok(Wohnung {
        id: r.i64(0)?,
        person_id: r.i64(16)?,
        art: WohnungsArt::from_code(&r.str(1)?)?,
        adresse,
        anschrift,
        einzug: r.date(7)?,
        auszug: r.opt_date(8)?,
        anmeldedatum: r.date(9)?,
        quelle: r.str(10)?,
        verspaetet: r.bool(11)?,
        wgb_fehlt: r.bool(12)?,
    })
}

/// The dwellings a person lives in on `tag`.
pub fn wohnungen_am(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
    tag: NaiveDate,
) -> Result<Vec<Wohnung>> {
    Ok(wohnungen(sql, mandant, person_id)?
        .into_iter()
        .filter(|w| w.bewohnt_am(tag))
        .collect())
}

/// Current (not ended) dwellings.
pub fn aktuelle_wohnungen(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
) -> Result<Vec<Wohnung>> {
    Ok(wohnungen(sql, mandant, person_id)?
        .into_iter()
        .filter(|w| w.auszug.is_none())
        .collect())
}

pub fn insert_bindung(
    sql: &mut dyn Sql,
    mandant: &str,
    art: BindungsArt,
    a: i64,
    b: i64,
    ab: Option<NaiveDate>,
) -> Result<i64> {
    let id = next_id(sql, mandant, "bindung")?;
    sql.execute(
        "INSERT INTO ewo_bindung (mandant, id, art, person_a, person_b, ab) VALUES (?, ?, ?, ?, ?, ?)",
        &[mandant.into(), id.into(), art.code().into(), a.into(), b.into(), opt_date_str(ab)],
    )?;
    Ok(id)
}

pub fn end_bindung(sql: &mut dyn Sql, mandant: &str, id: i64, bis: NaiveDate) -> Result<()> {
    sql.execute(
        "UPDATE ewo_bindung SET bis = ? WHERE mandant = ? AND id = ?",
        &params![bis.to_string(), mandant, id],
    )?;
    Ok(())
}

/// The family links of a person, seen from that person (current and ended).
pub fn angehoerige(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Angehoeriger>> {
    let rows = sql.query(
        "SELECT b.id, b.art, b.person_a, b.person_b, b.ab, b.bis, p.id, p.vornamen, p.familienname \
         FROM ewo_bindung b JOIN ewo_person p ON p.mandant = b.mandant \
           AND p.id = CASE WHEN b.person_a = ? THEN b.person_b ELSE b.person_a END \
         WHERE b.mandant = ? AND (b.person_a = ? OR b.person_b = ?) ORDER BY b.id",
        &params![person_id, mandant, person_id, person_id],
    )?;
    rows.iter()
        .map(|r| {
            let art = BindungsArt::from_code(&r.str(1)?)?;
            let is_a = r.i64(2)? == person_id;
            let rolle = match (art, is_a) {
                (BindungsArt::Ehe, _) => "Ehegatte",
                (BindungsArt::Lebenspartnerschaft, _) => "Lebenspartner",
                (BindungsArt::Eltern, true) => "Kind",
                (BindungsArt::Eltern, false) => "Elternteil",
                (BindungsArt::Vormund, true) => "Mündel",
                (BindungsArt::Vormund, false) => "Vormund",
                (BindungsArt::Betreuer, true) => "Betreute Person",
                (BindungsArt::Betreuer, false) => "Betreuer",
            };
            Ok(Angehoeriger {
                bindung_id: r.i64(0)?,
                art,
                rolle,
                person_id: r.i64(6)?,
                name: format!("{} {}", r.str(7)?, r.str(8)?),
                ab: r.opt_date(4)?,
                bis: r.opt_date(5)?,
            })
        })
        .collect()
}

pub fn sperren(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Sperre>> {
    sql.query(
        "SELECT id, art, grund, behoerde, ab, bis FROM ewo_sperre WHERE mandant = ? AND person_id = ? ORDER BY id",
        &params![mandant, person_id],
    )?
    .iter()
    .map(|r| {
        Ok(Sperre {
            id: r.i64(0)?,
            art: SperrArt::from_code(&r.str(1)?)?,
            grund: r.str(2)?,
            behoerde: r.str(3)?,
            ab: r.date(4)?,
            bis: r.opt_date(5)?,
        })
    })
    .collect()
}

pub fn insert_sperre(sql: &mut dyn Sql, actor: &Actor, person_id: i64, s: &Sperre) -> Result<i64> {
    let id = next_id(sql, &actor.mandant, "sperre")?;
    sql.execute(
        "INSERT INTO ewo_sperre (mandant, id, person_id, art, grund, behoerde, ab, bis, erfasst_am, benutzer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            actor.mandant.as_str().into(),
            id.into(),
            person_id.into(),
            s.art.code().into(),
            clean(&s.grund).into(),
            clean(&s.behoerde).into(),
            s.ab.to_string().into(),
            opt_date_str(s.bis),
            stamp(actor.at).into(),
            actor.user.as_str().into(),
        ],
    )?;
    Ok(id)
}

pub fn stamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Keep a produced document (Meldebestätigung, Mitteilung …) with the person.
pub fn store_dokument(
    sql: &mut dyn Sql,
    actor: &Actor,
    person_id: i64,
    art: &str,
    text: &str,
) -> Result<i64> {
    let id = next_id(sql, &actor.mandant, "dokument")?;
    sql.execute(
        "INSERT INTO ewo_dokument (mandant, id, person_id, art, erstellt, benutzer, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &params![actor.mandant.as_str(), id, person_id, art, stamp(actor.at), actor.user.as_str(), text],
    )?;
    Ok(id)
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

pub fn dokumente(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Dokument>> {
    sql.query(
        "SELECT id, person_id, art, erstellt, text FROM ewo_dokument WHERE mandant = ? AND person_id = ? ORDER BY id",
        &params![mandant, person_id],
    )?
    .iter()
    .map(|r| Ok(Dokument { id: r.i64(0)?, person_id: r.i64(1)?, art: r.str(2)?, erstellt: r.str(3)?, text: r.str(4)? }))
    .collect()
}

/// Record an outgoing or incoming transmission (status `erstellt`).
pub fn insert_uebermittlung(
    sql: &mut dyn Sql,
    actor: &Actor,
    richtung: &str,
    art: &str,
    person_id: Option<i64>,
    partner: &str,
    inhalt: &str,
) -> Result<i64> {
    let id = next_id(sql, &actor.mandant, "uebermittlung")?;
    sql.execute(
        "INSERT INTO ewo_uebermittlung (mandant, id, richtung, art, person_id, partner, inhalt, status, erstellt) VALUES (?, ?, ?, ?, ?, ?, ?, 'erstellt', ?)",
        &params![actor.mandant.as_str(), id, richtung, art, person_id, partner, inhalt, stamp(actor.at)],
    )?;
    Ok(id)
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

pub fn uebermittlungen(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
) -> Result<Vec<Uebermittlung>> {
    sql.query(
        "SELECT id, richtung, art, person_id, partner, inhalt, status FROM ewo_uebermittlung WHERE mandant = ? AND person_id = ? ORDER BY id",
        &params![mandant, person_id],
    )?
    .iter()
    .map(|r| {
        Ok(Uebermittlung {
            id: r.i64(0)?,
            richtung: r.str(1)?,
            art: r.str(2)?,
            person_id: r.opt_i64(3)?,
            partner: r.str(4)?,
            inhalt: r.str(5)?,
            status: r.str(6)?,
        })
    })
    .collect()
}

/// Put a case on the clarification list.
pub fn insert_klaerung(
    sql: &mut dyn Sql,
    actor: &Actor,
    art: &str,
    daten: &str,
    grund: &str,
) -> Result<i64> {
    let id = next_id(sql, &actor.mandant, "klaerung")?;
    sql.execute(
        "INSERT INTO ewo_klaerung (mandant, id, art, daten, grund, erstellt) VALUES (?, ?, ?, ?, ?, ?)",
        &params![actor.mandant.as_str(), id, art, daten, grund, stamp(actor.at)],
    )?;
    Ok(id)
}

pub fn offene_klaerungen(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Klaerung>> {
    sql.query("SELECT id, art, daten, grund FROM ewo_klaerung WHERE mandant = ? AND erledigt = 0 ORDER BY id", &params![mandant])?
        .iter()
        .map(|r| Ok(Klaerung { id: r.i64(0)?, art: r.str(1)?, daten: r.str(2)?, grund: r.str(3)? }))
        .collect()
}

/// A newborn's dwelling needs no Wohnungsgeberbestätigung.
pub fn clear_wgb_flag(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<()> {
    sql.execute(
        "UPDATE ewo_wohnung SET wgb_fehlt = 0 WHERE mandant = ? AND person_id = ?",
        &params![mandant, person_id],
    )?;
    Ok(())
}

/// The codes of the Sperren that block every Auskunft, as an SQL list
/// (`'AS51', 'SV52'`), so the queries below follow
/// [`SperrArt::sperrt_auskunft`].
pub fn auskunftssperren_sql() -> String {
    SperrArt::ALL
        .iter()
        .filter(|a| a.sperrt_auskunft())
        .map(|a| format!("'{}'", a.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The address rule of §51(1) BMG (persons living with the endangered
/// person are protected too): a person with a Sperre that blocks Auskünfte
/// in force on `heute` lives at this address (street, house number and
/// Zusatz; the free-text Lage is not reliable enough to tell flats apart)
/// or has registered a move into it. Returns that person and the Sperre.
pub fn adresse_gesperrt(
    sql: &mut dyn Sql,
    mandant: &str,
    a: &Adresse,
    heute: NaiveDate,
) -> Result<Option<(i64, Sperre)>> {
    let tag = heute.to_string();
    let r = sql.query_opt(
        &format!(
            "SELECT s.person_id, s.id, s.art, s.grund, s.behoerde, s.ab, s.bis FROM ewo_wohnung w \
             JOIN ewo_sperre s ON s.mandant = w.mandant AND s.person_id = w.person_id \
             WHERE w.mandant = ? AND w.strasse = ? AND w.hausnummer = ? AND w.zusatz = ? AND (w.auszug IS NULL OR w.auszug > ?) \
             AND s.art IN ({}) AND s.ab <= ? AND (s.bis IS NULL OR s.bis >= ?) ORDER BY s.person_id, s.id LIMIT 1",
            auskunftssperren_sql()
        ),
        &params![
            mandant,
            a.strasse.as_str(),
            a.hausnummer,
            a.zusatz.trim().to_lowercase(),
            tag.as_str(),
            tag.as_str(),
            tag.as_str()
        ],
    )?;
    r.map(|r| {
        Ok((
            r.i64(0)?,
            Sperre {
                id: r.i64(1)?,
                art: SperrArt::from_code(&r.str(2)?)?,
                grund: r.str(3)?,
                behoerde: r.str(4)?,
                ab: r.date(5)?,
                bis: r.opt_date(6)?,
            },
        ))
    })
    .transpose()
}
