//! Person rows with their former names, nationalities and search keys.

use chrono::NaiveDate;

use super::opt_date_str;
use crate::core::collation::search_key;
use crate::core::error::{KisError, Result};
use crate::ewos::model::*;
use crate::ewos::personendaten::{name_keys, person_sort_key, vorname_key};
use crate::params;
use crate::store::{Row, Sql, Value};

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
            &[mandant.into(), id.into()][..],
            &daten_values(d),
            &[zuzug_von.into(), zuzug_staat.into()],
            &key_values(d),
        ]
        .concat(),
    )?;
    write_names(sql, mandant, id, d)
}

/// The person's own data in the column order of `ewo_person`
/// (familienname … idnr), shared by insert and update.
fn daten_values(d: &PersonDaten) -> [Value; 15] {
    [
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
    ]
}

/// The search and sort keys derived from the data.
fn key_values(d: &PersonDaten) -> [Value; 3] {
    [
        search_key(&d.familienname).into(),
        vorname_key(&d.vornamen).into(),
        person_sort_key(d).into(),
    ]
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

/// Write a person's changed state and bump the version, if the stored
/// version is `expected_version` (else the person's own). Returns false when
/// no row had that version: someone else saved in between.
pub fn save_person(
    sql: &mut dyn Sql,
    mandant: &str,
    p: &Person,
    expected_version: Option<i64>,
) -> Result<bool> {
    let d = &p.daten;
    let n = sql.execute(
        "UPDATE ewo_person SET familienname = ?, vornamen = ?, rufname = ?, doktorgrad = ?, ordensname = ?, geburtsdatum = ?, \
         geburtsort = ?, geburtsstaat = ?, geschlecht = ?, religion = ?, familienstand = ?, familienstand_datum = ?, \
         familienstand_ort = ?, familienstand_staat = ?, idnr = ?, status = ?, status_datum = ?, zuzug_von = ?, zuzug_staat = ?, \
         wegzug_nach = ?, wegzug_staat = ?, sterbedatum = ?, sterbeort = ?, archiviert = ?, search_key = ?, vorname_key = ?, \
         sort_key = ?, version = version + 1 WHERE mandant = ? AND id = ? AND version = ?",
        &[
            &daten_values(d)[..],
            &[
                p.status.code().into(),
                opt_date_str(p.status_datum),
                p.zuzug_von.as_str().into(),
                p.zuzug_staat.as_str().into(),
                p.wegzug_nach.as_str().into(),
                p.wegzug_staat.as_str().into(),
                opt_date_str(p.sterbedatum),
                p.sterbeort.as_str().into(),
                p.archiviert.into(),
            ],
            &key_values(d),
            &[
                mandant.into(),
                p.id.into(),
                expected_version.unwrap_or(p.version).into(),
            ],
        ]
        .concat(),
    )?;
    if n == 0 {
        return Ok(false);
    }
    write_names(sql, mandant, p.id, d)?;
    Ok(true)
}

/// The persons (archived ones excluded) whose current or a former name has
/// the search key `key`, by id.
pub fn mit_name(sql: &mut dyn Sql, mandant: &str, key: &str) -> Result<Vec<i64>> {
    sql.query(
        "SELECT p.id FROM ewo_person p WHERE p.mandant = ? AND p.archiviert = 0 AND p.id IN \
         (SELECT k.person_id FROM ewo_name_key k WHERE k.mandant = ? AND k.art = 'S' AND k.schluessel = ?) ORDER BY p.id",
        &params![mandant, mandant, key],
    )?
    .iter()
    .map(|r| r.i64(0))
    .collect()
}

/// Persons (archived ones excluded) whose current or a former name has the
/// search key `key` and who were born on `geburtsdatum`: (id, Vornamen, status).
pub fn mit_name_und_geburt(
    sql: &mut dyn Sql,
    mandant: &str,
    key: &str,
    geburtsdatum: NaiveDate,
) -> Result<Vec<(i64, String, String)>> {
    sql.query(
        "SELECT p.id, p.vornamen, p.status FROM ewo_person p WHERE p.mandant = ? AND p.geburtsdatum = ? AND p.archiviert = 0 \
         AND p.id IN (SELECT k.person_id FROM ewo_name_key k WHERE k.mandant = ? AND k.art = 'S' AND k.schluessel = ?) ORDER BY p.id",
        &params![mandant, geburtsdatum.to_string(), mandant, key],
    )?
    .iter()
    .map(|r| Ok((r.i64(0)?, r.str(1)?, r.str(2)?)))
    .collect()
}

/// The registered (aktiv) person with this IdNr, if any.
pub fn aktive_mit_idnr(sql: &mut dyn Sql, mandant: &str, idnr: &str) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT id FROM ewo_person WHERE mandant = ? AND idnr = ? AND status = 'aktiv'",
        &params![mandant, idnr],
    )?
    .map(|r| r.i64(0))
    .transpose()
}
