//! Personalstamm: employee master data (personal, tax, social insurance and
//! pay data), the employer's payroll data and the Krankenkassen list.
//! Services check PersosLesen/PersosAendern, validate with field keys of the
//! PER100 mask, compare versions and write the audit log.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::abrechnung::{Beschaeftigungsart, Posten};
use super::sv::Beitragsgruppen;
use super::tarif::{self, Tariftabellen};
use crate::core::audit::{self, Actor};
use crate::core::collation::{din5007_key, search_key};
use crate::core::error::{KisError, Result};
use crate::core::ids;
use crate::core::locks;
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::core::session::Session;
use crate::ewos::personal;
use crate::params;
use crate::store::{Row, Sql, Value};

pub const ENTITY: &str = "persos_employee";

/// One employee of the Personalstamm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Employee {
    pub personalnummer: String,
    pub name: String,
    pub vorname: String,
    pub strasse: String,
    pub plz: String,
    pub ort: String,
    /// Link to the resident in the EWOS register (Ordnungsmerkmal) when the
    /// employee lives in the municipality: the address then follows the
    /// register's current Hauptwohnung.
    #[serde(default)]
    pub ewos_person: Option<i64>,
    pub geburtsdatum: NaiveDate,
    /// M, W, D or X.
    pub geschlecht: String,
    pub rv_nummer: String,
    pub steuer_idnr: String,
    pub eintritt: NaiveDate,
    pub austritt: Option<NaiveDate>,
    pub oe: String,
    pub kostenstelle: String,
    pub produkt: String,
    pub iban: String,
    pub art: Beschaeftigungsart,
    /// Personengruppenschlüssel (101, 105, 109, …).
    pub pgs: String,
    pub bgs: Beitragsgruppen,
    /// Tätigkeitsschlüssel (9 characters).
    pub taetigkeit: String,
    pub stkl: u8,
    pub faktor: Decimal,
    pub zkf: Decimal,
    pub konfession: String,
    pub konfession_ehegatte: String,
    pub freibetrag: Money,
    pub hinzurechnung: Money,
    /// Betriebsnummer of the Krankenkasse (also for private members: the Kasse
    /// that receives the RV/AV contributions).
    pub kasse: String,
    pub privat: bool,
    pub pkv_kv: Money,
    pub pkv_pv: Money,
    pub eltern: bool,
    pub kinder_u25: u32,
    pub sachsen: bool,
    pub eg: String,
    pub stufe: u8,
    /// Date from which the next Stufe applies (Stufenaufstieg, § 16 TVöD).
    pub stufe_ab: Option<NaiveDate>,
    /// Agreed monthly amount instead of the table (Minijob, Praktikant).
    pub festbetrag: Option<Money>,
    /// Part-time quota of 39 h (1 = full time).
    pub arbeitszeitanteil: Decimal,
    pub zulagen: Vec<Posten>,
    pub vl_ag: Money,
    pub vl_abzug: Money,
    pub zvk: bool,
    pub version: i64,
}

impl Employee {
    /// "Vorname Name, Straße, PLZ Ort" for documents (control characters removed).
    pub fn name_und_anschrift(&self) -> String {
        let s = |t: &str| crate::core::sanitize::sanitize_line(t).into_owned();
        format!(
            "{} {}, {}, {} {}",
            s(&self.vorname),
            s(&self.name),
            s(&self.strasse),
            s(&self.plz),
            s(&self.ort)
        )
    }
}

/// The employer's payroll data (one row per Mandant).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Arbeitgeber {
    pub betriebsnummer: String,
    pub name: String,
    pub anschrift: String,
    pub bundesland: String,
    pub u1_teilnahme: bool,
    /// Owes the Insolvenzgeldumlage: not a Gemeinde or other public
    /// employer that cannot become insolvent (§ 358 Abs. 1 Satz 2 SGB III),
    /// e.g. a municipal GmbH served as its own Mandant.
    pub u3_pflicht: bool,
    pub zvk_name: String,
    pub zvk_satz: Decimal,
    /// Account of the Stadtkasse that pays the net pay (debtor of the SEPA
    /// credit transfers); empty until entered. BIC optional (IBAN-only).
    pub iban: String,
    pub bic: String,
}

/// A Krankenkasse with its rates in percent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kasse {
    pub betriebsnummer: String,
    pub name: String,
    pub zusatzbeitrag: Decimal,
    pub u1_satz: Decimal,
    pub u2_satz: Decimal,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn field_err(key: &'static str) -> impl Fn(KisError) -> KisError {
    move |e| KisError::field(key, e.to_string())
}

/// Checks an employee; normalises identifiers (returns the cleaned record).
pub fn validate(e: &Employee) -> Result<Employee> {
    let mut e = e.clone();
    e.personalnummer = e.personalnummer.trim().to_string();
    if e.personalnummer.is_empty()
        || e.personalnummer.len() > 10
        || !e.personalnummer.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(KisError::field(
            "personalnummer",
            "Personalnummer: 1 bis 10 Buchstaben oder Ziffern.",
        ));
    }
    if e.name.trim().is_empty() {
        return Err(KisError::field("name", "Bitte den Namen angeben."));
    }
    if e.vorname.trim().is_empty() {
        return Err(KisError::field("vorname", "Bitte den Vornamen angeben."));
    }
    if !digits(e.plz.trim(), 5) {
        return Err(KisError::field("plz", "PLZ: genau 5 Ziffern."));
    }
    e.geschlecht = e.geschlecht.trim().to_uppercase();
    if !["M", "W", "D", "X"].contains(&e.geschlecht.as_str()) {
        return Err(KisError::field("geschlecht", "Geschlecht: M, W, D oder X."));
    }
    e.rv_nummer = ids::normalize_rv_nummer(&e.rv_nummer).map_err(field_err("rv_nummer"))?;
    e.steuer_idnr = ids::normalize_steuer_idnr(&e.steuer_idnr).map_err(field_err("steuer_idnr"))?;
    e.iban = ids::validate_iban(&e.iban).map_err(field_err("iban"))?;
    if e.geburtsdatum >= e.eintritt {
        return Err(KisError::field(
            "geburtsdatum",
            "Das Geburtsdatum muss vor dem Eintritt liegen.",
        ));
    }
    if e.austritt.is_some_and(|a| a < e.eintritt) {
        return Err(KisError::field(
            "austritt",
            "Der Austritt darf nicht vor dem Eintritt liegen.",
        ));
    }
    if !digits(e.pgs.trim(), 3) {
        return Err(KisError::field(
            "pgs",
            "Personengruppenschlüssel: 3 Ziffern, z. B. 101.",
        ));
    }
    if e.taetigkeit.trim().len() != 9
        || !e
            .taetigkeit
            .trim()
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
    {
        return Err(KisError::field(
            "taetigkeit",
            "Tätigkeitsschlüssel: 9 Stellen.",
        ));
    }
    if !(1..=6).contains(&e.stkl) {
        return Err(KisError::field("stkl", "Steuerklasse: 1 bis 6."));
    }
    if e.faktor <= Decimal::ZERO
        || e.faktor > Decimal::ONE
        || (e.faktor != Decimal::ONE && e.stkl != 4)
    {
        return Err(KisError::field(
            "faktor",
            "Faktor: größer 0 bis 1, abweichend von 1 nur in Steuerklasse IV.",
        ));
    }
    if e.zkf < Decimal::ZERO
        || e.zkf > Decimal::from(99)
        || (e.zkf * Decimal::TWO).fract() != Decimal::ZERO
    {
        return Err(KisError::field(
            "zkf",
            "Kinderfreibeträge: 0 bis 99 in Schritten von 0,5.",
        ));
    }
    for (k, v) in [
        ("konfession", &mut e.konfession),
        ("konfession_ehegatte", &mut e.konfession_ehegatte),
    ] {
        *v = v.trim().to_lowercase();
        if !(v.is_empty() || (v.len() == 2 && v.chars().all(|c| c.is_ascii_lowercase()))) {
            return Err(KisError::field(
                k,
                "Konfession: zweistelliges Kirchensteuermerkmal (ev, rk, …) oder leer.",
            ));
        }
    }
    if e.freibetrag.is_negative() || e.hinzurechnung.is_negative() {
        return Err(KisError::field(
            "freibetrag",
            "Frei-/Hinzurechnungsbetrag darf nicht negativ sein.",
        ));
    }
    if !digits(e.kasse.trim(), 8) {
        return Err(KisError::field(
            "kasse",
            "Krankenkasse: Betriebsnummer mit 8 Ziffern.",
        ));
    }
    if e.privat && (e.bgs.kv != 0 || e.bgs.pv != 0) {
        return Err(KisError::field(
            "bgs",
            "Privat Versicherte haben die Beitragsgruppe KV 0 und PV 0.",
        ));
    }
    if e.art == Beschaeftigungsart::Minijob && !e.bgs.ist_minijob() {
        return Err(KisError::field(
            "bgs",
            "Minijob: Beitragsgruppe KV 6 / RV 5 oder 1, z. B. 6500.",
        ));
    }
    if e.kinder_u25 > 0 && !e.eltern {
        return Err(KisError::field(
            "kinder_u25",
            "Kinder unter 25 setzen die Elterneigenschaft voraus.",
        ));
    }
    if e.festbetrag.is_none() {
        if !(1..=6).contains(&e.stufe) {
            return Err(KisError::field("stufe", "Stufe: 1 bis 6."));
        }
        e.eg = tarif::normalisiere_eg(&e.eg);
    }
    if e.festbetrag.is_some_and(|f| f.is_negative() || f.is_zero()) {
        return Err(KisError::field(
            "festbetrag",
            "Festbetrag muss größer als 0 sein.",
        ));
    }
    if e.arbeitszeitanteil <= Decimal::ZERO || e.arbeitszeitanteil > Decimal::ONE {
        return Err(KisError::field(
            "arbeitszeitanteil",
            "Arbeitszeitanteil: größer 0 und höchstens 1 (Vollzeit 39 Std.).",
        ));
    }
    if e.vl_ag.is_negative() || e.vl_abzug.is_negative() {
        return Err(KisError::field(
            "vl_ag",
            "Vermögenswirksame Leistungen dürfen nicht negativ sein.",
        ));
    }
    if e.zulagen
        .iter()
        .any(|z| z.bezeichnung.trim().is_empty() || z.betrag.is_negative())
    {
        return Err(KisError::field(
            "zulagen",
            "Zulagen: je eine Bezeichnung und ein Betrag ab 0,00.",
        ));
    }
    Ok(e)
}

/// Selects employees (alias `e`) as the Personalamt stored them. A linked
/// resident's register address is laid over by [`mit_register_anschrift`]
/// from the EWOS service, never read from the register tables here.
const SELECT_EMPLOYEE: &str = "SELECT e.personalnummer, e.name, e.vorname, e.strasse, e.plz, e.ort, e.geburtsdatum, e.geschlecht, \
    e.rv_nummer, e.steuer_idnr, e.eintritt, e.austritt, e.oe, e.kostenstelle, e.produkt, e.iban, e.beschaeftigungsart, e.pgs, e.bgs, \
    e.taetigkeit, e.stkl, e.faktor, e.zkf, e.konfession, e.konfession_ehegatte, e.freibetrag, e.hinzurechnung, e.kasse, e.privat, \
    e.pkv_kv, e.pkv_pv, e.eltern, e.kinder_u25, e.sachsen, e.eg, e.stufe, e.stufe_ab, e.festbetrag, e.arbeitszeitanteil, e.zulagen, \
    e.vl_ag, e.vl_abzug, e.zvk, e.version, e.ewos_person FROM persos_employee e";

/// Linked residents get the current Hauptwohnung the register gives the
/// payroll office today (`ewos::personal`: not for a person with a Sperre,
/// not for one linked by the Meldebehörde); the others keep the address
/// the Personalamt entered.
pub(crate) fn mit_register_anschrift(
    sql: &mut dyn Sql,
    mandant: &str,
    list: &mut [Employee],
    heute: NaiveDate,
) -> Result<()> {
    let ids: Vec<i64> = list.iter().filter_map(|e| e.ewos_person).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let anschriften = personal::hauptwohnungen_fuer_personal_in(sql, mandant, &ids, heute)?;
    for e in list.iter_mut() {
        if let Some(a) = e.ewos_person.and_then(|id| anschriften.get(&id)) {
            (e.strasse, e.plz, e.ort) = (a.strasse.clone(), a.plz.clone(), a.ort.clone());
        }
    }
    Ok(())
}

fn dec(s: &str, what: &str) -> Result<Decimal> {
    s.trim()
        .parse()
        .map_err(|_| KisError::Db(format!("{what}: „{s}“ ist keine Zahl.")))
}

/// Reads an employee from a row selected with [`SELECT_EMPLOYEE`].
pub(crate) fn from_row(r: &Row) -> Result<Employee> {
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

/// The answer to a link the register does not confirm — the same whatever
/// does not match (unknown, another person, moved away, blocked), so the
/// payroll office learns nothing about other residents.
fn kein_ewos_treffer() -> KisError {
    KisError::field(
        "ewos_om",
        "Keine passende Person im Melderegister: Ordnungsmerkmal, Name, Geburtsdatum und Steuer-IdNr prüfen \
         (nur in der Gemeinde gemeldete Beschäftigte werden verknüpft).",
    )
}

/// A new link to a resident must be confirmed by the register: the same
/// person (Steuer-IdNr, or name and birth date where the register holds no
/// IdNr), registered here, without any Sperre (`ewos::personal`). A person
/// with a Sperre is linked by the Meldebehörde, not here. The stored
/// address stays the Personalamt's; the register's is laid over on reading.
fn check_ewos(sql: &mut dyn Sql, mandant: &str, e: &Employee, heute: NaiveDate) -> Result<()> {
    let Some(id) = e.ewos_person else {
        return Ok(());
    };
    let abgleich = personal::Abgleich {
        person_id: id,
        familienname: &e.name,
        geburtsdatum: e.geburtsdatum,
        steuer_idnr: &e.steuer_idnr,
    };
    if personal::verknuepfbar_in(sql, mandant, &abgleich, heute)? {
        Ok(())
    } else {
        Err(kein_ewos_treffer())
    }
}

/// The Meldebehörde's link of an employee to a resident (called by
/// `ewos::personal::verknuepfen`, which checks the role): only the link is
/// set, version and audit as for every change; nothing of the employee's
/// payroll data goes back.
pub(crate) fn ewos_verknuepfung_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    pnr: &str,
    person_id: i64,
) -> Result<()> {
    let before = load_raw(sql, &actor.mandant, pnr).map_err(|e| match e {
        KisError::NotFound(_) => KisError::field(
            "personalnummer",
            format!("Personalnummer {pnr} ist im Personalstamm nicht vorhanden."),
        ),
        other => other,
    })?;
    sql.execute(
        "UPDATE persos_employee SET ewos_person = ?, version = version + 1 WHERE mandant = ? AND personalnummer = ? AND version = ?",
        &params![person_id, actor.mandant.as_str(), pnr, before.version],
    )?;
    let after = Employee {
        ewos_person: Some(person_id),
        version: before.version + 1,
        ..before.clone()
    };
    audit::append(
        sql,
        actor,
        "EWOS_VERKNUEPFT",
        ENTITY,
        pnr,
        Some(&audit::json(&before)?),
        Some(&audit::json(&after)?),
    )?;
    Ok(())
}

/// Tarif employees must be grouped into an Entgeltgruppe and Stufe of the
/// Mandant's current TVöD table.
fn check_eingruppierung(tabellen: &Tariftabellen, e: &Employee) -> Result<()> {
    match e.festbetrag {
        Some(_) => Ok(()),
        None => tabellen.pruefe_eingruppierung(&e.eg, e.stufe),
    }
}

fn check_kasse(sql: &mut dyn Sql, mandant: &str, e: &Employee) -> Result<()> {
    if kasse_any(sql, mandant, &e.kasse)?.is_none() {
        return Err(KisError::field(
            "kasse",
            format!(
                "Krankenkasse mit Betriebsnummer {} ist nicht in der Liste.",
                e.kasse.trim()
            ),
        ));
    }
    Ok(())
}

/// Inserts employees inside an open transaction (demo loader, generators):
/// multi-row statements of up to 200 rows, one audit entry per employee.
pub fn insert_many_in(sql: &mut dyn Sql, actor: &Actor, list: &[Employee]) -> Result<()> {
    let row = format!("({}, 1)", vec!["?"; INSERT_ARITY].join(", "));
    let tabellen = Tariftabellen::laden(sql, &actor.mandant)?;
    for chunk in list.chunks(200) {
        let mut args = Vec::with_capacity(chunk.len() * INSERT_ARITY);
        let mut clean = Vec::with_capacity(chunk.len());
        for e in chunk {
            let e = validate(e)?;
            check_eingruppierung(&tabellen, &e)?;
            check_ewos(sql, &actor.mandant, &e, actor.at.date())?;
            args.extend(values(&actor.mandant, &e)?);
            clean.push(e);
        }
        let sql_text = format!(
            "INSERT INTO persos_employee ({INSERT_COLS}) VALUES {}",
            vec![row.as_str(); chunk.len()].join(", ")
        );
        sql.execute(&sql_text, &args).map_err(|e| match e {
            KisError::Conflict(_) => {
                KisError::field("personalnummer", "Personalnummer ist schon vergeben.")
            }
            other => other,
        })?;
        for e in &clean {
            let after = Employee {
                version: 1,
                ..e.clone()
            };
            audit::append(
                sql,
                actor,
                "ANGELEGT",
                ENTITY,
                &e.personalnummer,
                None,
                Some(&audit::json(&after)?),
            )?;
        }
    }
    Ok(())
}

/// An employee as stored, without the register address.
fn load_raw(sql: &mut dyn Sql, mandant: &str, pnr: &str) -> Result<Employee> {
    let r = sql
        .query_opt(
            &format!("{SELECT_EMPLOYEE} WHERE e.mandant = ? AND e.personalnummer = ?"),
            &params![mandant, pnr],
        )?
        .ok_or_else(|| {
            KisError::NotFound(format!(
                "Beschäftigte(r) mit Personalnummer {pnr} ist nicht vorhanden."
            ))
        })?;
    from_row(&r)
}

/// An employee with the register address a linked resident may show today.
fn load(sql: &mut dyn Sql, mandant: &str, pnr: &str, heute: NaiveDate) -> Result<Employee> {
    let mut e = [load_raw(sql, mandant, pnr)?];
    mit_register_anschrift(sql, mandant, &mut e, heute)?;
    let [e] = e;
    Ok(e)
}

/// All employees of the Mandant (for the payroll run and the documents), in
/// Personalnummer order, with the register addresses they may show on `heute`.
pub(crate) fn all_in(sql: &mut dyn Sql, mandant: &str, heute: NaiveDate) -> Result<Vec<Employee>> {
    let mut list = sql
        .query(
            &format!("{SELECT_EMPLOYEE} WHERE e.mandant = ? ORDER BY e.personalnummer"),
            &params![mandant],
        )?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>>>()?;
    mit_register_anschrift(sql, mandant, &mut list, heute)?;
    Ok(list)
}

pub fn get(session: &Session, pnr: &str) -> Result<Employee> {
    session.require(&[Role::PersosLesen])?;
    session
        .db
        .read(|sql| load(sql, &session.mandant.id, pnr.trim(), session.today()))
}

/// A line of the PER100 hit list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmployeeRow {
    pub personalnummer: String,
    pub name: String,
    pub geburtsdatum: NaiveDate,
    pub eg: String,
    pub art: String,
    pub austritt: Option<NaiveDate>,
}

/// Employees whose name starts with `prefix` (umlaut transcriptions are
/// equivalent) or whose Personalnummer starts with it; all for an empty prefix.
pub fn search(session: &Session, prefix: &str) -> Result<Vec<EmployeeRow>> {
    session.require(&[Role::PersosLesen])?;
    let like = format!("{}%", search_key(prefix.trim()).replace(['%', '_'], ""));
    let pnr_like = format!("{}%", prefix.trim().replace(['%', '_'], ""));
    session.db.read(|sql| {
        sql.query(
            "SELECT personalnummer, name || ', ' || vorname, geburtsdatum, eg, beschaeftigungsart, austritt FROM persos_employee \
             WHERE mandant = ? AND (search_key LIKE ? OR personalnummer LIKE ?) ORDER BY sort_key, personalnummer",
            &params![session.mandant.id.as_str(), like, pnr_like],
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
    })
}

/// Creates an employee.
pub fn create(session: &Session, e: &Employee) -> Result<()> {
    session.require(&[Role::PersosAendern])?;
    let e = validate(e)?;
    let actor = session.actor();
    session.db.write(|sql| {
        check_kasse(sql, &actor.mandant, &e)?;
        if sql
            .query_opt(
                "SELECT 1 FROM persos_employee WHERE mandant = ? AND personalnummer = ?",
                &params![actor.mandant.as_str(), e.personalnummer.as_str()],
            )?
            .is_some()
        {
            return Err(KisError::field(
                "personalnummer",
                format!("Personalnummer {} ist schon vergeben.", e.personalnummer),
            ));
        }
        insert_many_in(sql, &actor, std::slice::from_ref(&e))
    })
}

/// Saves a changed employee; refused if someone saved in between. Returns the new version.
pub fn update(session: &Session, e: &Employee) -> Result<i64> {
    session.require(&[Role::PersosAendern])?;
    let mut e = validate(e)?;
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let heute = session.today();
    session.db.write(|sql| {
        check_kasse(sql, mandant, &e)?;
        check_eingruppierung(&Tariftabellen::laden(sql, mandant)?, &e)?;
        let before = load_raw(sql, mandant, &e.personalnummer)?;
        // Only a new link is checked against the register: an existing one
        // was confirmed when it was made (by the register or the Meldebehörde).
        if e.ewos_person != before.ewos_person {
            check_ewos(sql, mandant, &e, heute)?;
        }
        // The mask showed the register address over the stored one: unless
        // the clerk typed another, the Personalamt's own entry is kept, so
        // no register address is ever stored in PERSOS.
        let mut gezeigt = [before.clone()];
        mit_register_anschrift(sql, mandant, &mut gezeigt, heute)?;
        let [gezeigt] = gezeigt;
        if (e.strasse.trim(), e.plz.trim(), e.ort.trim()) == (gezeigt.strasse.trim(), gezeigt.plz.trim(), gezeigt.ort.trim()) {
            (e.strasse, e.plz, e.ort) = (before.strasse.clone(), before.plz.clone(), before.ort.clone());
        }
        let mut args = values(mandant, &e)?;
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
        let n = sql.execute(&format!("UPDATE persos_employee SET {set}, version = version + 1 WHERE mandant = ? AND personalnummer = ? AND version = ?"), &args)?;
        if n == 0 {
            return Err(locks::stale_save(sql, mandant, ENTITY, &e.personalnummer));
        }
        let after = Employee { version: e.version + 1, ..e.clone() };
        audit::append(sql, &actor, "GEAENDERT", ENTITY, &e.personalnummer, Some(&audit::json(&before)?), Some(&audit::json(&after)?))?;
        Ok(after.version)
    })
}

/// The employer's payroll data of the Mandant.
pub fn arbeitgeber(sql: &mut dyn Sql, mandant: &str) -> Result<Arbeitgeber> {
    let r = sql
        .query_opt(
            "SELECT betriebsnummer, name, anschrift, bundesland, u1_teilnahme, zvk_name, zvk_satz, u3_pflicht, iban, bic FROM persos_arbeitgeber WHERE mandant = ?",
            &params![mandant],
        )?
        .ok_or_else(|| KisError::NotFound("Für den Mandanten sind keine Arbeitgeberdaten der Entgeltabrechnung hinterlegt.".into()))?;
    Ok(Arbeitgeber {
        betriebsnummer: r.str(0)?,
        name: r.str(1)?,
        anschrift: r.str(2)?,
        bundesland: r.str(3)?,
        u1_teilnahme: r.bool(4)?,
        u3_pflicht: r.bool(7)?,
        zvk_name: r.str(5)?,
        zvk_satz: dec(&r.str(6)?, "ZVK-Satz")?,
        iban: r.str(8)?,
        bic: r.str(9)?,
    })
}

/// Sets the employer's payroll data; the IBAN and BIC of the paying account
/// are checked (and normalised) when given.
pub fn set_arbeitgeber_in(sql: &mut dyn Sql, actor: &Actor, a: &Arbeitgeber) -> Result<()> {
    let mut a = a.clone();
    if !a.iban.trim().is_empty() {
        a.iban = ids::validate_iban(&a.iban).map_err(field_err("iban"))?;
    }
    if !a.bic.trim().is_empty() {
        a.bic = ids::validate_bic(&a.bic).map_err(field_err("bic"))?;
    }
    sql.execute(
        "INSERT INTO persos_arbeitgeber (mandant, betriebsnummer, name, anschrift, bundesland, u1_teilnahme, zvk_name, zvk_satz, u3_pflicht, iban, bic) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mandant) DO UPDATE SET betriebsnummer = excluded.betriebsnummer, name = excluded.name, \
         anschrift = excluded.anschrift, bundesland = excluded.bundesland, u1_teilnahme = excluded.u1_teilnahme, zvk_name = excluded.zvk_name, \
         zvk_satz = excluded.zvk_satz, u3_pflicht = excluded.u3_pflicht, iban = excluded.iban, bic = excluded.bic",
        &params![actor.mandant.as_str(), a.betriebsnummer.as_str(), a.name.as_str(), a.anschrift.as_str(), a.bundesland.as_str(), a.u1_teilnahme, a.zvk_name.as_str(), a.zvk_satz.to_string(), a.u3_pflicht, a.iban.as_str(), a.bic.trim()],
    )?;
    audit::append(
        sql,
        actor,
        "GESETZT",
        "persos_arbeitgeber",
        &actor.mandant,
        None,
        Some(&audit::json(&a)?),
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

fn kasse_any(sql: &mut dyn Sql, mandant: &str, bn: &str) -> Result<Option<Kasse>> {
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

pub fn insert_kasse_in(sql: &mut dyn Sql, actor: &Actor, k: &Kasse) -> Result<()> {
    if !digits(&k.betriebsnummer, 8) {
        return Err(KisError::field(
            "betriebsnummer",
            "Betriebsnummer: 8 Ziffern.",
        ));
    }
    sql.execute(
        "INSERT INTO persos_kasse (mandant, betriebsnummer, name, zusatzbeitrag, u1_satz, u2_satz, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        &params![actor.mandant.as_str(), k.betriebsnummer.as_str(), k.name.as_str(), k.zusatzbeitrag.to_string(), k.u1_satz.to_string(), k.u2_satz.to_string(), k.valid_from, k.valid_to],
    )?;
    audit::append(
        sql,
        actor,
        "ANGELEGT",
        "persos_kasse",
        &k.betriebsnummer,
        None,
        Some(&audit::json(k)?),
    )?;
    Ok(())
}

/// An employee's entries in the audit log (PER100 F9).
pub fn protokoll(session: &Session, pnr: &str) -> Result<Vec<audit::AuditEntry>> {
    session.require(&[Role::PersosLesen])?;
    session
        .db
        .read(|sql| audit::for_record(sql, &session.mandant.id, ENTITY, pnr.trim()))
}
