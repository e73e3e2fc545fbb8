//! Personalstamm rows: employees, the employer's payroll data and the
//! Krankenkassen.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::core::collation::{din5007_key, search_key};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::params;
use crate::persos::abrechnung::{Beschaeftigungsart, Posten};
use crate::persos::stamm::{Arbeitgeber, Employee, EmployeeRow, Kasse};
use crate::persos::sv::Beitragsgruppen;
use crate::store::{Row, Sql, Value};

/// Selects employees (alias `e`) as the Personalamt stored them. A linked
/// resident's register address is laid over by `stamm::mit_register_anschrift_in`
/// from the EWOS service, never read from the register tables here.
const SELECT_EMPLOYEE: &str = "SELECT e.personalnummer, e.name, e.vorname, e.strasse, e.plz, e.ort, e.geburtsdatum, e.geschlecht, \
    e.rv_nummer, e.steuer_idnr, e.eintritt, e.austritt, e.oe, e.kostenstelle, e.produkt, e.iban, e.beschaeftigungsart, e.pgs, e.bgs, \
    e.taetigkeit, e.stkl, e.faktor, e.zkf, e.konfession, e.konfession_ehegatte, e.freibetrag, e.hinzurechnung, e.kasse, e.privat, \
    e.pkv_kv, e.pkv_pv, e.eltern, e.kinder_u25, e.sachsen, e.eg, e.stufe, e.stufe_ab, e.festbetrag, e.arbeitszeitanteil, e.zulagen, \
    e.vl_ag, e.vl_abzug, e.zvk, e.version, e.ewos_person FROM persos_employee e";

fn dec(s: &str, what: &str) -> Result<Decimal> {
    s.trim()
        .parse()
        .map_err(|_| KisError::Db(format!("{what}: „{s}“ ist keine Zahl.")))
}

/// Reads an employee from a row selected with [`SELECT_EMPLOYEE`].
fn from_row(r: &Row) -> Result<Employee> {
    let zulagen: Vec<Posten> =
        serde_json::from_str(&r.str(39)?).map_err(|e| KisError::Db(format!("Zulagen: {e}")))?;
    let e = Employee {
        personalnummer: r.str(0)?,
        name: r.str(1)?,
        vorname: r.str(2)?,
        strasse: r.str(3)?,
        plz: r.str(4)?,
        ort: r.str(5)?,
        geburtsdatum: r.date(6)?,
        geschlecht: r.str(7)?,
        rv_nummer: r.str(8)?,
        steuer_idnr: r.str(9)?,
        eintritt: r.date(10)?,
        austritt: r.opt_date(11)?,
        oe: r.str(12)?,
        kostenstelle: r.str(13)?,
        produkt: r.str(14)?,
        iban: r.str(15)?,
        art: Beschaeftigungsart::parse(&r.str(16)?)?,
        pgs: r.str(17)?,
        bgs: Beitragsgruppen::parse(&r.str(18)?)?,
        taetigkeit: r.str(19)?,
        stkl: u8::try_from(r.i64(20)?).map_err(|_| KisError::Db("Steuerklasse ungültig".into()))?,
        faktor: dec(&r.str(21)?, "Faktor")?,
        zkf: dec(&r.str(22)?, "ZKF")?,
        konfession: r.str(23)?,
        konfession_ehegatte: r.str(24)?,
        freibetrag: Money::from_cents(r.i64(25)?),
        hinzurechnung: Money::from_cents(r.i64(26)?),
        kasse: r.str(27)?,
        privat: r.bool(28)?,
        pkv_kv: Money::from_cents(r.i64(29)?),
        pkv_pv: Money::from_cents(r.i64(30)?),
        eltern: r.bool(31)?,
        kinder_u25: u32::try_from(r.i64(32)?).unwrap_or(0),
        sachsen: r.bool(33)?,
        eg: r.str(34)?,
        stufe: u8::try_from(r.i64(35)?).unwrap_or(0),
        stufe_ab: r.opt_date(36)?,
        festbetrag: r.opt_i64(37)?.map(Money::from_cents),
        arbeitszeitanteil: dec(&r.str(38)?, "Arbeitszeitanteil")?,
        zulagen,
        vl_ag: Money::from_cents(r.i64(40)?),
        vl_abzug: Money::from_cents(r.i64(41)?),
        zvk: r.bool(42)?,
        version: r.i64(43)?,
        ewos_person: r.opt_i64(44)?,
    };
    Ok(e)
}

fn values(mandant: &str, e: &Employee) -> Result<Vec<Value>> {
    let zulagen =
        serde_json::to_string(&e.zulagen).map_err(|x| KisError::System(format!("Zulagen: {x}")))?;
    let name = format!("{}, {}", e.name.trim(), e.vorname.trim());
    Ok(params![
        mandant,
        e.personalnummer.as_str(),
        e.name.trim(),
        e.vorname.trim(),
        search_key(e.name.trim()),
        din5007_key(&name),
        e.strasse.trim(),
        e.plz.trim(),
        e.ort.trim(),
        e.geburtsdatum,
        e.geschlecht.as_str(),
        e.rv_nummer.as_str(),
        e.steuer_idnr.as_str(),
        e.eintritt,
        e.austritt,
        e.oe.trim(),
        e.kostenstelle.trim(),
        e.produkt.trim(),
        e.iban.as_str(),
        e.art.code(),
        e.pgs.trim(),
        e.bgs.code(),
        e.taetigkeit.trim(),
        i64::from(e.stkl),
        e.faktor.to_string(),
        e.zkf.to_string(),
        e.konfession.as_str(),
        e.konfession_ehegatte.as_str(),
        e.freibetrag.cents(),
        e.hinzurechnung.cents(),
        e.kasse.trim(),
        e.privat,
        e.pkv_kv.cents(),
        e.pkv_pv.cents(),
        e.eltern,
        i64::from(e.kinder_u25),
        e.sachsen,
        e.eg.as_str(),
        i64::from(e.stufe),
        e.stufe_ab,
        e.festbetrag.map(|f| f.cents()),
        e.arbeitszeitanteil.to_string(),
        zulagen,
        e.vl_ag.cents(),
        e.vl_abzug.cents(),
        e.zvk,
        e.ewos_person,
    ])
}

const INSERT_COLS: &str = "mandant, personalnummer, name, vorname, search_key, sort_key, strasse, plz, ort, geburtsdatum, geschlecht, \
    rv_nummer, steuer_idnr, eintritt, austritt, oe, kostenstelle, produkt, iban, beschaeftigungsart, pgs, bgs, taetigkeit, stkl, \
    faktor, zkf, konfession, konfession_ehegatte, freibetrag, hinzurechnung, kasse, privat, pkv_kv, pkv_pv, eltern, kinder_u25, \
    sachsen, eg, stufe, stufe_ab, festbetrag, arbeitszeitanteil, zulagen, vl_ag, vl_abzug, zvk, ewos_person, version";
/// Number of bound values per row of [`INSERT_COLS`] (the version is literal 1).
const INSERT_ARITY: usize = 47;

/// An employee as stored, without the register address.
pub fn employee(sql: &mut dyn Sql, mandant: &str, pnr: &str) -> Result<Option<Employee>> {
    sql.query_opt(
        &format!("{SELECT_EMPLOYEE} WHERE e.mandant = ? AND e.personalnummer = ?"),
        &params![mandant, pnr],
    )?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// All employees of the Mandant as stored, in Personalnummer order.
pub fn employees(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Employee>> {
    sql.query(
        &format!("{SELECT_EMPLOYEE} WHERE e.mandant = ? ORDER BY e.personalnummer"),
        &params![mandant],
    )?
    .iter()
    .map(from_row)
    .collect()
}

pub fn exists(sql: &mut dyn Sql, mandant: &str, pnr: &str) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM persos_employee WHERE mandant = ? AND personalnummer = ?",
            &params![mandant, pnr],
        )?
        .is_some())
}

/// Insert employees with version 1 in one multi-row statement.
pub fn insert(sql: &mut dyn Sql, mandant: &str, list: &[Employee]) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    let row = format!("({}, 1)", vec!["?"; INSERT_ARITY].join(", "));
    let mut args = Vec::with_capacity(list.len() * INSERT_ARITY);
    for e in list {
        args.extend(values(mandant, e)?);
    }
    let sql_text = format!(
        "INSERT INTO persos_employee ({INSERT_COLS}) VALUES {}",
        vec![row.as_str(); list.len()].join(", ")
    );
    sql.execute(&sql_text, &args)?;
    Ok(())
}

/// Save an employee over the version `e.version`; the number of rows
/// changed (0 if someone saved in between).
pub fn update(sql: &mut dyn Sql, mandant: &str, e: &Employee) -> Result<u64> {
    let mut args = values(mandant, e)?;
    // Drop mandant and personalnummer from the front: they go to the WHERE clause.
    args.drain(0..2);
    args.extend(params![mandant, e.personalnummer.as_str(), e.version]);
    let set = INSERT_COLS
        .split(',')
        .map(str::trim)
        .skip(2)
        .filter(|c| *c != "version")
        .map(|c| format!("{c} = ?"))
        .collect::<Vec<_>>()
        .join(", ");
    sql.execute(
        &format!("UPDATE persos_employee SET {set}, version = version + 1 WHERE mandant = ? AND personalnummer = ? AND version = ?"),
        &args,
    )
}

/// Link an employee of version `version` to a resident.
pub fn ewos_person_setzen(
    sql: &mut dyn Sql,
    mandant: &str,
    pnr: &str,
    person_id: i64,
    version: i64,
) -> Result<()> {
    sql.execute(
        "UPDATE persos_employee SET ewos_person = ?, version = version + 1 WHERE mandant = ? AND personalnummer = ? AND version = ?",
        &params![person_id, mandant, pnr, version],
    )?;
    Ok(())
}

/// Employees whose search key or Personalnummer matches the LIKE patterns.
pub fn search(
    sql: &mut dyn Sql,
    mandant: &str,
    like: &str,
    pnr_like: &str,
) -> Result<Vec<EmployeeRow>> {
    sql.query(
        "SELECT personalnummer, name || ', ' || vorname, geburtsdatum, eg, beschaeftigungsart, austritt FROM persos_employee \
         WHERE mandant = ? AND (search_key LIKE ? OR personalnummer LIKE ?) ORDER BY sort_key, personalnummer",
        &params![mandant, like, pnr_like],
    )?
    .iter()
    .map(|r| {
        Ok(EmployeeRow {
            personalnummer: r.str(0)?,
            name: r.str(1)?,
            geburtsdatum: r.date(2)?,
            eg: r.str(3)?,
            art: r.str(4)?,
            austritt: r.opt_date(5)?,
        })
    })
    .collect()
}

/// Per Entgeltgruppe the Tarif employees without a fixed amount still
/// employed on `am`, by group.
pub fn eingruppierte(
    sql: &mut dyn Sql,
    mandant: &str,
    am: NaiveDate,
) -> Result<Vec<(String, i64)>> {
    sql.query(
        "SELECT eg, COUNT(*) FROM persos_employee \
         WHERE mandant = ? AND festbetrag IS NULL AND beschaeftigungsart = 'TARIF' AND (austritt IS NULL OR austritt >= ?) \
         GROUP BY eg ORDER BY eg",
        &params![mandant, am],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.i64(1)?)))
    .collect()
}

pub fn arbeitgeber(sql: &mut dyn Sql, mandant: &str) -> Result<Option<Arbeitgeber>> {
    let Some(r) = sql.query_opt(
        "SELECT betriebsnummer, name, anschrift, bundesland, u1_teilnahme, zvk_name, zvk_satz, u3_pflicht FROM persos_arbeitgeber WHERE mandant = ?",
        &params![mandant],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(Arbeitgeber {
        betriebsnummer: r.str(0)?,
        name: r.str(1)?,
        anschrift: r.str(2)?,
        bundesland: r.str(3)?,
        u1_teilnahme: r.bool(4)?,
        u3_pflicht: r.bool(7)?,
        zvk_name: r.str(5)?,
        zvk_satz: dec(&r.str(6)?, "ZVK-Satz")?,
    }))
}

pub fn arbeitgeber_schreiben(sql: &mut dyn Sql, mandant: &str, a: &Arbeitgeber) -> Result<()> {
    sql.execute(
        "INSERT INTO persos_arbeitgeber (mandant, betriebsnummer, name, anschrift, bundesland, u1_teilnahme, zvk_name, zvk_satz, u3_pflicht) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mandant) DO UPDATE SET betriebsnummer = excluded.betriebsnummer, name = excluded.name, \
         anschrift = excluded.anschrift, bundesland = excluded.bundesland, u1_teilnahme = excluded.u1_teilnahme, zvk_name = excluded.zvk_name, \
         zvk_satz = excluded.zvk_satz, u3_pflicht = excluded.u3_pflicht",
        &params![mandant, a.betriebsnummer.as_str(), a.name.as_str(), a.anschrift.as_str(), a.bundesland.as_str(), a.u1_teilnahme, a.zvk_name.as_str(), a.zvk_satz.to_string(), a.u3_pflicht],
    )?;
    Ok(())
}

fn kasse_from_row(r: &Row) -> Result<Kasse> {
    Ok(Kasse {
        betriebsnummer: r.str(0)?,
        name: r.str(1)?,
        zusatzbeitrag: dec(&r.str(2)?, "Zusatzbeitrag")?,
        u1_satz: dec(&r.str(3)?, "U1")?,
        u2_satz: dec(&r.str(4)?, "U2")?,
        valid_from: r.date(5)?,
        valid_to: r.date(6)?,
    })
}

const KASSE_COLS: &str =
    "betriebsnummer, name, zusatzbeitrag, u1_satz, u2_satz, valid_from, valid_to";

/// The Krankenkasse with its rates valid on `on`.
pub fn kasse(sql: &mut dyn Sql, mandant: &str, bn: &str, on: NaiveDate) -> Result<Option<Kasse>> {
    sql.query_opt(
        &format!("SELECT {KASSE_COLS} FROM persos_kasse WHERE mandant = ? AND betriebsnummer = ? AND valid_from <= ? AND valid_to >= ?"),
        &params![mandant, bn.trim(), on, on],
    )?
    .map(|r| kasse_from_row(&r))
    .transpose()
}

/// The Krankenkasse in any period of validity.
pub fn kasse_any(sql: &mut dyn Sql, mandant: &str, bn: &str) -> Result<Option<Kasse>> {
    sql.query_opt(
        &format!("SELECT {KASSE_COLS} FROM persos_kasse WHERE mandant = ? AND betriebsnummer = ?"),
        &params![mandant, bn.trim()],
    )?
    .map(|r| kasse_from_row(&r))
    .transpose()
}

/// All Krankenkassen valid on `on`.
pub fn kassen(sql: &mut dyn Sql, mandant: &str, on: NaiveDate) -> Result<Vec<Kasse>> {
    sql.query(
        &format!("SELECT {KASSE_COLS} FROM persos_kasse WHERE mandant = ? AND valid_from <= ? AND valid_to >= ? ORDER BY name"),
        &params![mandant, on, on],
    )?
    .iter()
    .map(kasse_from_row)
    .collect()
}

pub fn kasse_einfuegen(sql: &mut dyn Sql, mandant: &str, k: &Kasse) -> Result<()> {
    sql.execute(
        "INSERT INTO persos_kasse (mandant, betriebsnummer, name, zusatzbeitrag, u1_satz, u2_satz, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        &params![mandant, k.betriebsnummer.as_str(), k.name.as_str(), k.zusatzbeitrag.to_string(), k.u1_satz.to_string(), k.u2_satz.to_string(), k.valid_from, k.valid_to],
    )?;
    Ok(())
}
