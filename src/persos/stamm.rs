//! Personalstamm: employee master data (personal, tax, social insurance and
//! pay data), the employer's payroll data and the Krankenkassen list.
//! Services check PersosLesen/PersosAendern, validate with field keys of the
//! PER100 mask, compare versions and write the audit log.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::abrechnung::{Beschaeftigungsart, Posten};
use super::repo;
use super::sv::Beitragsgruppen;
use super::tarif::{self, Tariftabellen};
use crate::core::collation::search_key;
use crate::core::error::{KisError, Result};
use crate::core::ids;
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::ewos::personal;
use crate::kernel::audit::{self, Actor};
use crate::kernel::locks;
use crate::kernel::session::Session;
use crate::store::Sql;

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
        if !(v.is_empty() || super::abrechnung::kirchensteuermerkmal(v).is_some()) {
            let erlaubt: Vec<&str> = super::abrechnung::KIRCHENSTEUERMERKMALE
                .iter()
                .map(|(c, _, _)| *c)
                .collect();
            return Err(KisError::field(
                k,
                format!(
                    "Konfession {}: kein Kirchensteuermerkmal der ELStAM – erlaubt: {} oder leer.",
                    crate::core::sanitize::quote_input(v),
                    erlaubt.join(", ")
                ),
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

/// Linked residents get the current Hauptwohnung the register gives the
/// payroll office today (`ewos::personal`: not for a person with a Sperre,
/// not for one linked by the Meldebehörde); the others keep the address
/// the Personalamt entered.
pub(crate) fn mit_register_anschrift_in(
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
fn check_ewos_in(sql: &mut dyn Sql, mandant: &str, e: &Employee, heute: NaiveDate) -> Result<()> {
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
    let before = load_raw_in(sql, &actor.mandant, pnr).map_err(|e| match e {
        KisError::NotFound(_) => KisError::field(
            "personalnummer",
            format!("Personalnummer {pnr} ist im Personalstamm nicht vorhanden."),
        ),
        other => other,
    })?;
    repo::stamm::ewos_person_setzen(sql, &actor.mandant, pnr, person_id, before.version)?;
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

fn check_kasse_in(sql: &mut dyn Sql, mandant: &str, e: &Employee) -> Result<()> {
    if repo::stamm::kasse_any(sql, mandant, &e.kasse)?.is_none() {
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
    let tabellen = Tariftabellen::laden_in(sql, &actor.mandant)?;
    for chunk in list.chunks(200) {
        let mut clean = Vec::with_capacity(chunk.len());
        for e in chunk {
            let e = validate(e)?;
            check_eingruppierung(&tabellen, &e)?;
            check_ewos_in(sql, &actor.mandant, &e, actor.at.date())?;
            clean.push(e);
        }
        repo::stamm::insert(sql, &actor.mandant, &clean).map_err(|e| match e {
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
fn load_raw_in(sql: &mut dyn Sql, mandant: &str, pnr: &str) -> Result<Employee> {
    repo::stamm::employee(sql, mandant, pnr)?.ok_or_else(|| {
        KisError::NotFound(format!(
            "Beschäftigte(r) mit Personalnummer {pnr} ist nicht vorhanden."
        ))
    })
}

/// An employee with the register address a linked resident may show today.
fn load_in(sql: &mut dyn Sql, mandant: &str, pnr: &str, heute: NaiveDate) -> Result<Employee> {
    let mut e = [load_raw_in(sql, mandant, pnr)?];
    mit_register_anschrift_in(sql, mandant, &mut e, heute)?;
    let [e] = e;
    Ok(e)
}

/// All employees of the Mandant (for the payroll run and the documents), in
/// Personalnummer order, with the register addresses they may show on `heute`.
pub(crate) fn all_in(sql: &mut dyn Sql, mandant: &str, heute: NaiveDate) -> Result<Vec<Employee>> {
    let mut list = repo::stamm::employees(sql, mandant)?;
    mit_register_anschrift_in(sql, mandant, &mut list, heute)?;
    Ok(list)
}

pub fn get(session: &Session, pnr: &str) -> Result<Employee> {
    session.require(&[Role::PersosLesen])?;
    session
        .db
        .read(|sql| load_in(sql, &session.mandant.id, pnr.trim(), session.today()))
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
    session
        .db
        .read(|sql| repo::stamm::search(sql, &session.mandant.id, &like, &pnr_like))
}

/// Creates an employee.
pub fn create(session: &Session, e: &Employee) -> Result<()> {
    session.require(&[Role::PersosAendern])?;
    let e = validate(e)?;
    let actor = session.actor();
    session.db.write(|sql| {
        check_kasse_in(sql, &actor.mandant, &e)?;
        if repo::stamm::exists(sql, &actor.mandant, &e.personalnummer)? {
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
        check_kasse_in(sql, mandant, &e)?;
        check_eingruppierung(&Tariftabellen::laden_in(sql, mandant)?, &e)?;
        let before = load_raw_in(sql, mandant, &e.personalnummer)?;
        // Only a new link is checked against the register: an existing one
        // was confirmed when it was made (by the register or the Meldebehörde).
        if e.ewos_person != before.ewos_person {
            check_ewos_in(sql, mandant, &e, heute)?;
        }
        // The mask showed the register address over the stored one: unless
        // the clerk typed another, the Personalamt's own entry is kept, so
        // no register address is ever stored in PERSOS.
        let mut gezeigt = [before.clone()];
        mit_register_anschrift_in(sql, mandant, &mut gezeigt, heute)?;
        let [gezeigt] = gezeigt;
        if (e.strasse.trim(), e.plz.trim(), e.ort.trim())
            == (
                gezeigt.strasse.trim(),
                gezeigt.plz.trim(),
                gezeigt.ort.trim(),
            )
        {
            (e.strasse, e.plz, e.ort) = (
                before.strasse.clone(),
                before.plz.clone(),
                before.ort.clone(),
            );
        }
        let n = repo::stamm::update(sql, mandant, &e)?;
        if n == 0 {
            return Err(locks::stale_save(sql, mandant, ENTITY, &e.personalnummer));
        }
        let after = Employee {
            version: e.version + 1,
            ..e.clone()
        };
        audit::append(
            sql,
            &actor,
            "GEAENDERT",
            ENTITY,
            &e.personalnummer,
            Some(&audit::json(&before)?),
            Some(&audit::json(&after)?),
        )?;
        Ok(after.version)
    })
}

/// The employer's payroll data of the Mandant.
pub fn arbeitgeber_in(sql: &mut dyn Sql, mandant: &str) -> Result<Arbeitgeber> {
    repo::stamm::arbeitgeber(sql, mandant)?.ok_or_else(|| {
        KisError::NotFound(
            "Für den Mandanten sind keine Arbeitgeberdaten der Entgeltabrechnung hinterlegt."
                .into(),
        )
    })
}

/// Sets the employer's payroll data.
pub fn set_arbeitgeber_in(sql: &mut dyn Sql, actor: &Actor, a: &Arbeitgeber) -> Result<()> {
    repo::stamm::arbeitgeber_schreiben(sql, &actor.mandant, a)?;
    audit::append(
        sql,
        actor,
        "GESETZT",
        "persos_arbeitgeber",
        &actor.mandant,
        None,
        Some(&audit::json(a)?),
    )?;
    Ok(())
}

/// The Krankenkasse with its rates valid on `on`.
pub fn kasse_in(
    sql: &mut dyn Sql,
    mandant: &str,
    bn: &str,
    on: NaiveDate,
) -> Result<Option<Kasse>> {
    repo::stamm::kasse(sql, mandant, bn, on)
}

/// All Krankenkassen valid on `on`.
pub fn kassen_in(sql: &mut dyn Sql, mandant: &str, on: NaiveDate) -> Result<Vec<Kasse>> {
    repo::stamm::kassen(sql, mandant, on)
}

pub fn insert_kasse_in(sql: &mut dyn Sql, actor: &Actor, k: &Kasse) -> Result<()> {
    if !digits(&k.betriebsnummer, 8) {
        return Err(KisError::field(
            "betriebsnummer",
            "Betriebsnummer: 8 Ziffern.",
        ));
    }
    repo::stamm::kasse_einfuegen(sql, &actor.mandant, k)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn konfession_must_be_an_elstam_kirchensteuermerkmal() {
        let mut e = super::super::demo::beschaeftigte().unwrap().remove(0);
        for ok in ["ev", "RK", " lt ", "ak", "jd", "--", ""] {
            e.konfession = ok.into();
            assert!(validate(&e).is_ok(), "{ok}");
        }
        e.konfession = "xy".into();
        let err = validate(&e).unwrap_err();
        assert_eq!(err.field_key(), Some("konfession"));
        assert!(
            err.to_string().contains("„xy“") && err.to_string().contains("ev, lt, rf, rk"),
            "{err}"
        );
        e.konfession = "ev".into();
        e.konfession_ehegatte = "zz".into();
        assert_eq!(
            validate(&e).unwrap_err().field_key(),
            Some("konfession_ehegatte")
        );
    }
}
