//! PERSOS demo data of Musterstadt: the employer's payroll data, the
//! Krankenkassen and about 150 employees (`fixtures/musterstadt/persos/`),
//! and a generator that multiplies them for benchmarks.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::abrechnung::{Beschaeftigungsart, Posten};
use super::stamm::{self, Arbeitgeber, Employee, Kasse};
use super::sv::Beitragsgruppen;
use super::tarif;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::kernel::audit::Actor;
use crate::store::Sql;

const ARBEITGEBER: &str = include_str!("../../fixtures/musterstadt/persos/arbeitgeber.toml");
const KASSEN: &str = include_str!("../../fixtures/musterstadt/persos/krankenkassen.csv");
const BESCHAEFTIGTE: &str = include_str!("../../fixtures/musterstadt/persos/beschaeftigte.csv");

#[derive(Deserialize)]
struct ArbeitgeberFile {
    betriebsnummer: String,
    name: String,
    anschrift: String,
    bundesland: String,
    u1_teilnahme: bool,
    u3_pflicht: bool,
    zvk_name: String,
    zvk_satz: String,
}

struct Zeile<'a> {
    r: &'a csv::StringRecord,
    file: &'a str,
    line: usize,
}

impl Zeile<'_> {
    fn err(&self, what: &str, v: &str) -> KisError {
        KisError::validation(format!(
            "{} Zeile {}: {what} „{v}“ ungültig.",
            self.file, self.line
        ))
    }
    fn s(&self, i: usize) -> String {
        self.r.get(i).unwrap_or("").trim().to_string()
    }
    fn date(&self, i: usize) -> Result<NaiveDate> {
        let v = self.s(i);
        NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| self.err("Datum", &v))
    }
    fn opt_date(&self, i: usize) -> Result<Option<NaiveDate>> {
        if self.s(i).is_empty() {
            Ok(None)
        } else {
            self.date(i).map(Some)
        }
    }
    fn dec(&self, i: usize) -> Result<Decimal> {
        let v = self.s(i);
        v.parse().map_err(|_| self.err("Zahl", &v))
    }
    fn int(&self, i: usize) -> Result<i64> {
        let v = self.s(i);
        v.parse().map_err(|_| self.err("Zahl", &v))
    }
    fn cents(&self, i: usize) -> Result<Money> {
        self.int(i).map(Money::from_cents)
    }
    fn flag(&self, i: usize) -> Result<bool> {
        Ok(self.int(i)? != 0)
    }
}

/// The demo employees from `beschaeftigte.csv` (amounts in cents, Zulagen as
/// `Bezeichnung=Betrag|…`).
pub fn beschaeftigte() -> Result<Vec<Employee>> {
    let file = "beschaeftigte.csv";
    crate::core::csv_import::fixture_rows(BESCHAEFTIGTE, file)?
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let z = Zeile {
                r,
                file,
                line: i + 2,
            };
            let zulagen = z
                .s(39)
                .split('|')
                .filter(|p| !p.trim().is_empty())
                .map(|p| {
                    let (b, v) = p.split_once('=').ok_or_else(|| z.err("Zulage", p))?;
                    Ok(Posten {
                        bezeichnung: b.trim().to_string(),
                        betrag: Money::new(v.trim().parse().map_err(|_| z.err("Zulage", p))?),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Employee {
                personalnummer: z.s(0),
                name: z.s(1),
                vorname: z.s(2),
                strasse: z.s(3),
                plz: z.s(4),
                ort: z.s(5),
                ewos_person: None,
                geburtsdatum: z.date(6)?,
                geschlecht: z.s(7),
                rv_nummer: z.s(8),
                steuer_idnr: z.s(9),
                eintritt: z.date(10)?,
                austritt: z.opt_date(11)?,
                oe: z.s(12),
                kostenstelle: z.s(13),
                produkt: z.s(14),
                iban: z.s(15),
                art: Beschaeftigungsart::parse(&z.s(16))?,
                pgs: z.s(17),
                bgs: Beitragsgruppen::parse(&z.s(18))?,
                taetigkeit: z.s(19),
                stkl: u8::try_from(z.int(20)?).map_err(|_| z.err("Steuerklasse", &z.s(20)))?,
                faktor: z.dec(21)?,
                zkf: z.dec(22)?,
                konfession: z.s(23),
                konfession_ehegatte: z.s(24),
                freibetrag: z.cents(25)?,
                hinzurechnung: z.cents(26)?,
                kasse: z.s(27),
                privat: z.flag(28)?,
                pkv_kv: z.cents(29)?,
                pkv_pv: z.cents(30)?,
                eltern: z.flag(31)?,
                kinder_u25: u32::try_from(z.int(32)?).map_err(|_| z.err("Kinder", &z.s(32)))?,
                sachsen: z.flag(33)?,
                eg: z.s(34),
                stufe: u8::try_from(z.int(35)?).map_err(|_| z.err("Stufe", &z.s(35)))?,
                stufe_ab: z.opt_date(36)?,
                festbetrag: if z.s(37).is_empty() {
                    None
                } else {
                    Some(z.cents(37)?)
                },
                arbeitszeitanteil: z.dec(38)?,
                zulagen,
                vl_ag: z.cents(40)?,
                vl_abzug: z.cents(41)?,
                zvk: z.flag(42)?,
                version: 1,
            })
        })
        .collect()
}

fn kassen() -> Result<Vec<Kasse>> {
    let file = "krankenkassen.csv";
    crate::core::csv_import::fixture_rows(KASSEN, file)?
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let z = Zeile {
                r,
                file,
                line: i + 2,
            };
            Ok(Kasse {
                betriebsnummer: z.s(0),
                name: z.s(1),
                zusatzbeitrag: z.dec(2)?,
                u1_satz: z.dec(3)?,
                u2_satz: z.dec(4)?,
                valid_from: z.date(5)?,
                valid_to: z.date(6)?,
            })
        })
        .collect()
}

/// The TVöD-VKA tables of the demo (Entgelttabellen from 01.04.2025 and
/// 01.05.2026, Jahressonderzahlung); each file's header names its source.
pub fn tarifdateien() -> Result<Vec<tarif::Eingelesen>> {
    [
        include_str!("../../fixtures/musterstadt/persos/tvoed_vka_entgelt_2025-04.csv"),
        include_str!("../../fixtures/musterstadt/persos/tvoed_vka_entgelt_2026-05.csv"),
        include_str!("../../fixtures/musterstadt/persos/tvoed_vka_jsz.csv"),
    ]
    .iter()
    .map(|text| tarif::lies(text, None))
    .collect()
}

/// Loads the PERSOS demo inside the demo loader's transaction.
pub fn load_demo_in(sql: &mut dyn Sql, actor: &Actor) -> Result<()> {
    let a: ArbeitgeberFile = toml::from_str(ARBEITGEBER)
        .map_err(|e| KisError::validation(format!("arbeitgeber.toml: {e}")))?;
    let ag = Arbeitgeber {
        betriebsnummer: a.betriebsnummer,
        name: a.name,
        anschrift: a.anschrift,
        bundesland: a.bundesland,
        u1_teilnahme: a.u1_teilnahme,
        u3_pflicht: a.u3_pflicht,
        zvk_name: a.zvk_name,
        zvk_satz: a
            .zvk_satz
            .parse()
            .map_err(|_| KisError::validation("arbeitgeber.toml: zvk_satz ungültig"))?,
    };
    stamm::set_arbeitgeber_in(sql, actor, &ag)?;
    for datei in tarifdateien()? {
        tarif::einspielen_in(sql, actor, &datei)?;
    }
    for k in kassen()? {
        stamm::insert_kasse_in(sql, actor, &k)?;
    }
    stamm::insert_many_in(sql, actor, &beschaeftigte()?)
}

/// `n` further employees for load tests: the demo employees repeated with
/// new Personalnummern starting at `erste` (deterministic).
pub fn vervielfaeltige(n: usize, erste: u32) -> Result<Vec<Employee>> {
    let basis = beschaeftigte()?;
    if basis.is_empty() {
        return Err(KisError::validation("Keine Demo-Beschäftigten vorhanden."));
    }
    Ok((0..n)
        .map(|i| {
            let mut e = basis[i % basis.len()].clone();
            e.personalnummer = format!("{}", erste as usize + i);
            e
        })
        .collect())
}

/// Inserts `n` generated employees (see [`vervielfaeltige`]) in one transaction.
pub fn generiere(db: &crate::store::Db, actor: &Actor, n: usize, erste: u32) -> Result<()> {
    let list = vervielfaeltige(n, erste)?;
    db.write(|sql| stamm::insert_many_in(sql, actor, &list))
}
