//! PER100 Personalstamm: hit list with line commands and the employee mask.

use rust_decimal::Decimal;

use crate::core::date::{format_date_de, format_opt_date_de};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::kernel::audit::AuditEntry;
use crate::persos::abrechnung::{Beschaeftigungsart, Posten};
use crate::persos::stamm::{self, Employee};
use crate::persos::sv::Beitragsgruppen;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef, Mode};
use crate::ui::list::{AENDERN, ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::record::{Record, RecordScreen};
use crate::ui::screen::{Env, Nav, Screen};
use crate::ui::search::{Search, SearchScreen};

pub fn open_list(env: &mut Env) -> Result<Box<dyn Screen>> {
    SearchScreen::open(EmployeeSearch, env)
}

/// PER100's search: employees by name or Personalnummer, line commands A, Ä/U.
struct EmployeeSearch;

impl Search for EmployeeSearch {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "PER100",
            title: "Personalstamm",
            help: "Name oder Personalnummer (Anfang genügt) eingeben und Enter drücken. In der Liste: A=Anzeigen, \
                   Ä/U=Ändern vor die Zeile schreiben, Enter; ⟨new⟩=Neue(r) Beschäftigte(r).",
            auto_skip: false,
            fields: vec![
                FieldDef::new("suche", "Name/Personalnr.", 0, 1, 30, FieldKind::Text)
                    .help("Anfang des Namens (ä = ae) oder der Personalnummer; leer = alle."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("PersNr", 6),
            Column::new("Name", 30),
            Column::new("Geboren", 10),
            Column::new("EG", 4),
            Column::new("Art", 10),
            Column::new("Austritt", 10),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, AENDERN]
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let rows = stamm::search(env.session, &form.get("suche"))?
            .into_iter()
            .map(|e| {
                ListRow::new(
                    e.personalnummer.clone(),
                    vec![
                        e.personalnummer,
                        e.name,
                        format_date_de(e.geburtsdatum),
                        e.eg,
                        e.art,
                        format_opt_date_de(e.austritt),
                    ],
                )
            })
            .collect();
        Ok(Box::new(VecSource(rows)))
    }

    fn found(&self, n: usize) -> String {
        format!("{n} Beschäftigte gefunden.")
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, _form: &Form) -> Result<Nav> {
        Ok(match letter {
            'A' => Nav::Push(Box::new(RecordScreen::open(
                EmployeeRecord::default(),
                env,
                Some(key),
            )?)),
            'Ä' | 'U' => Nav::Push(Box::new(RecordScreen::open_for_change(
                EmployeeRecord::default(),
                env,
                key,
            )?)),
            _ => Nav::Stay,
        })
    }

    fn creates(&self) -> Option<&'static [Role]> {
        Some(&[Role::PersosAendern])
    }

    fn new_record(&mut self, env: &mut Env) -> Result<Nav> {
        Ok(Nav::Push(Box::new(RecordScreen::open(
            EmployeeRecord::default(),
            env,
            None,
        )?)))
    }
}

/// The employee mask behind PER100.
#[derive(Default)]
pub struct EmployeeRecord {
    version: i64,
}

const L: u16 = 1;
const R: u16 = 41;

fn f(
    key: &'static str,
    label: &'static str,
    row: u16,
    col: u16,
    width: u16,
    kind: FieldKind,
    help: &'static str,
) -> FieldDef {
    FieldDef::new(key, label, row, col, width, kind)
        .label_width(16)
        .help(help)
}

fn employee_mask() -> MaskDef {
    use FieldKind::*;
    MaskDef {
        code: "PER100",
        title: "Beschäftigte(r)",
        help: "Stammdaten, Steuer- (ELStAM), SV- und Entgeltdaten eines Beschäftigten. Beträge in Euro, \
               Sätze und Anteile als Dezimalzahl (0,5 = halbe Stelle).",
        auto_skip: false,
        fields: vec![
            f(
                "personalnummer",
                "Personalnummer",
                0,
                L,
                10,
                Upper,
                "Bis 10 Buchstaben/Ziffern; nach dem Anlegen nicht änderbar.",
            )
            .required()
            .key_field(),
            f(
                "geschlecht",
                "Geschlecht",
                0,
                R,
                1,
                Upper,
                "M, W, D oder X.",
            ),
            FieldDef::new("ewos_om", "OM", 0, 62, 9, FieldKind::Number)
                .label_width(3)
                .help(
                    "Ordnungsmerkmal im Melderegister, wenn die/der Beschäftigte in der Gemeinde wohnt: \
                     die Anschrift folgt dann dem Melderegister (leer = keine Verknüpfung).",
                ),
            f("name", "Name", 1, L, 22, Text, "Familienname.").required(),
            f("vorname", "Vorname", 1, R, 22, Text, "Vorname.").required(),
            f(
                "strasse",
                "Straße, Nr.",
                2,
                L,
                22,
                Text,
                "Straße und Hausnummer.",
            ),
            f("plz", "PLZ", 2, R, 5, Number, "Fünfstellige PLZ."),
            f("ort", "Ort", 3, L, 22, Text, "Wohnort."),
            f(
                "geburtsdatum",
                "Geburtsdatum",
                3,
                R,
                10,
                Date,
                "TT.MM.JJJJ.",
            )
            .required(),
            f(
                "rv_nummer",
                "Versich.-Nr.",
                4,
                L,
                14,
                Upper,
                "Versicherungsnummer der Rentenversicherung (12 Stellen, Prüfziffer).",
            )
            .required(),
            f(
                "steuer_idnr",
                "Steuer-IdNr",
                4,
                R,
                14,
                Number,
                "Steuerliche Identifikationsnummer (11 Ziffern, Prüfziffer).",
            )
            .required(),
            f(
                "eintritt",
                "Eintritt",
                5,
                L,
                10,
                Date,
                "Beginn der Beschäftigung.",
            )
            .required(),
            f(
                "austritt",
                "Austritt",
                5,
                R,
                10,
                Date,
                "Ende der Beschäftigung (leer = unbefristet beschäftigt).",
            ),
            f(
                "oe",
                "Org.-Einheit",
                6,
                L,
                10,
                Text,
                "Organisationseinheit.",
            ),
            f(
                "kostenstelle",
                "Kostenstelle",
                6,
                R,
                10,
                Text,
                "Kostenstelle für die FINAS-Buchung.",
            ),
            f(
                "produkt",
                "Produkt",
                7,
                L,
                12,
                Text,
                "Produkt für die FINAS-Buchung.",
            ),
            f(
                "iban",
                "IBAN",
                8,
                L,
                34,
                Upper,
                "Bankverbindung für die Auszahlung (IBAN mit Prüfziffer).",
            )
            .required(),
            f(
                "art",
                "Beschäft.-Art",
                9,
                L,
                10,
                Upper,
                "TARIF, BEAMTER, MINIJOB, AZUBI oder PRAKTIKANT.",
            )
            .required(),
            f(
                "pgs",
                "Personengruppe",
                9,
                R,
                3,
                Number,
                "Personengruppenschlüssel, z. B. 101, 102, 109.",
            )
            .required(),
            f(
                "bgs",
                "Beitragsgruppe",
                10,
                L,
                4,
                Number,
                "KV-RV-AV-PV, z. B. 1111; Minijob 6500; privat versichert 0110.",
            )
            .required(),
            f(
                "taetigkeit",
                "Tätigkeit",
                10,
                R,
                9,
                Number,
                "Tätigkeitsschlüssel (9 Stellen).",
            )
            .required(),
            f("stkl", "Steuerklasse", 11, L, 1, Number, "1 bis 6.").required(),
            f(
                "faktor",
                "Faktor (IV)",
                11,
                R,
                5,
                Text,
                "Faktor im Faktorverfahren (nur Steuerklasse IV), sonst 1.",
            ),
            f(
                "zkf",
                "Kinderfreibetr.",
                12,
                L,
                4,
                Text,
                "Zahl der Kinderfreibeträge, z. B. 1,5.",
            ),
            f(
                "freibetrag",
                "Freibetrag mtl.",
                12,
                R,
                10,
                Money,
                "Monatlicher Freibetrag laut ELStAM.",
            ),
            f(
                "konfession",
                "Konfession",
                13,
                L,
                2,
                Text,
                "Kirchensteuermerkmal (ev, rk, …) oder leer.",
            ),
            f(
                "konfession_ehegatte",
                "Konf. Ehegatte",
                13,
                R,
                2,
                Text,
                "Kirchensteuermerkmal des Ehegatten oder leer.",
            ),
            f(
                "hinzurechnung",
                "Hinzurechn. mtl.",
                14,
                L,
                10,
                Money,
                "Monatlicher Hinzurechnungsbetrag laut ELStAM.",
            ),
            f(
                "kasse",
                "Krankenkasse",
                14,
                R,
                8,
                Number,
                "Betriebsnummer der Krankenkasse (Einzugsstelle).",
            )
            .required(),
            f(
                "privat",
                "Privat versich.",
                15,
                L,
                1,
                Flag,
                "J = private Kranken-/Pflegeversicherung.",
            ),
            f(
                "pkv_kv",
                "PKV-Beitrag KV",
                15,
                R,
                10,
                Money,
                "Monatsbeitrag zur privaten Krankenversicherung.",
            ),
            f(
                "pkv_pv",
                "PKV-Beitrag PV",
                16,
                L,
                10,
                Money,
                "Monatsbeitrag zur privaten Pflegeversicherung.",
            ),
            f(
                "eltern",
                "Elterneigensch.",
                16,
                R,
                1,
                Flag,
                "J = Elterneigenschaft nachgewiesen (kein PV-Kinderlosenzuschlag).",
            ),
            f(
                "kinder_u25",
                "Kinder unter 25",
                17,
                L,
                2,
                Number,
                "Zahl der Kinder unter 25 (PV-Abschlag ab dem 2. Kind).",
            ),
            f(
                "sachsen",
                "Betriebsst. SN",
                17,
                R,
                1,
                Flag,
                "J = Beschäftigungsbetrieb in Sachsen (PV-Sonderregel).",
            ),
            f(
                "eg",
                "Entgeltgruppe",
                18,
                L,
                4,
                Text,
                "TVöD-VKA-Entgeltgruppe, z. B. 9a.",
            ),
            f("stufe", "Stufe", 18, R, 1, Number, "Stufe 1 bis 6."),
            f(
                "stufe_ab",
                "Nächste Stufe ab",
                19,
                L,
                10,
                Date,
                "Datum des nächsten Stufenaufstiegs.",
            ),
            f(
                "festbetrag",
                "Festbetrag mtl.",
                19,
                R,
                10,
                Money,
                "Vereinbarter Monatsbetrag statt Tabellenentgelt (Minijob, Azubi, Praktikant).",
            ),
            f(
                "arbeitszeitanteil",
                "Arbeitszeitant.",
                20,
                L,
                6,
                Text,
                "Anteil an 39 Wochenstunden, 1 = Vollzeit, 0,5 = halbe Stelle.",
            )
            .required(),
            f(
                "zvk",
                "ZVK-Mitglied",
                20,
                R,
                1,
                Flag,
                "J = Pflichtversicherung in der Zusatzversorgungskasse.",
            ),
            f(
                "vl_ag",
                "VL Arbeitgeber",
                21,
                L,
                10,
                Money,
                "Vermögenswirksame Leistungen des Arbeitgebers je Monat.",
            ),
            f(
                "vl_abzug",
                "VL-Überweisung",
                21,
                R,
                10,
                Money,
                "Monatlicher Betrag für den VL-Vertrag (Abzug vom Netto).",
            ),
            f(
                "zulagen",
                "Zulagen",
                22,
                L,
                60,
                Text,
                "Zulagen je Monat: Bezeichnung=Betrag; …, z. B. Erschwerniszulage=45,00.",
            ),
        ],
    }
}

fn flag(b: bool) -> &'static str {
    if b { "J" } else { "N" }
}

fn dec_de(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

fn format_zulagen(z: &[Posten]) -> String {
    z.iter()
        .map(|p| format!("{}={}", p.bezeichnung, p.betrag.format_de()))
        .collect::<Vec<_>>()
        .join("; ")
}

fn parse_zulagen(s: &str) -> Result<Vec<Posten>> {
    s.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let bad = || {
                KisError::field(
                    "zulagen",
                    format!(
                        "Zulage „{p}“: bitte Bezeichnung=Betrag, z. B. Erschwerniszulage=45,00."
                    ),
                )
            };
            let (b, v) = p.split_once('=').ok_or_else(bad)?;
            Ok(Posten {
                bezeichnung: b.trim().to_string(),
                betrag: Money::parse_de(v).map_err(|_| bad())?,
            })
        })
        .collect()
}

impl Record for EmployeeRecord {
    fn def(&self) -> MaskDef {
        employee_mask()
    }

    fn entity(&self) -> &'static str {
        stamm::ENTITY
    }

    fn change_roles(&self) -> &'static [Role] {
        &[Role::PersosAendern]
    }

    fn history(&self, env: &mut Env, key: &str) -> Result<Vec<AuditEntry>> {
        stamm::protokoll(env.session, key)
    }

    fn load(&mut self, env: &mut Env, key: &str, form: &mut Form) -> Result<()> {
        let e = stamm::get(env.session, key)?;
        let m = |x: Money| x.format_de();
        for (k, v) in [
            ("personalnummer", e.personalnummer.clone()),
            ("geschlecht", e.geschlecht.clone()),
            (
                "ewos_om",
                e.ewos_person
                    .map(crate::ewos::model::format_om)
                    .unwrap_or_default(),
            ),
            ("name", e.name.clone()),
            ("vorname", e.vorname.clone()),
            ("strasse", e.strasse.clone()),
            ("plz", e.plz.clone()),
            ("ort", e.ort.clone()),
            ("geburtsdatum", format_date_de(e.geburtsdatum)),
            ("rv_nummer", e.rv_nummer.clone()),
            ("steuer_idnr", e.steuer_idnr.clone()),
            ("eintritt", format_date_de(e.eintritt)),
            ("austritt", format_opt_date_de(e.austritt)),
            ("oe", e.oe.clone()),
            ("kostenstelle", e.kostenstelle.clone()),
            ("produkt", e.produkt.clone()),
            ("iban", e.iban.clone()),
            ("art", e.art.code().to_string()),
            ("pgs", e.pgs.clone()),
            ("bgs", e.bgs.code()),
            ("taetigkeit", e.taetigkeit.clone()),
            ("stkl", e.stkl.to_string()),
            ("faktor", dec_de(e.faktor)),
            ("zkf", dec_de(e.zkf)),
            ("freibetrag", m(e.freibetrag)),
            ("konfession", e.konfession.clone()),
            ("konfession_ehegatte", e.konfession_ehegatte.clone()),
            ("hinzurechnung", m(e.hinzurechnung)),
            ("kasse", e.kasse.clone()),
            ("privat", flag(e.privat).into()),
            ("pkv_kv", m(e.pkv_kv)),
            ("pkv_pv", m(e.pkv_pv)),
            ("eltern", flag(e.eltern).into()),
            ("kinder_u25", e.kinder_u25.to_string()),
            ("sachsen", flag(e.sachsen).into()),
            ("eg", e.eg.clone()),
            ("stufe", e.stufe.to_string()),
            ("stufe_ab", format_opt_date_de(e.stufe_ab)),
            ("festbetrag", e.festbetrag.map(m).unwrap_or_default()),
            ("arbeitszeitanteil", dec_de(e.arbeitszeitanteil)),
            ("zvk", flag(e.zvk).into()),
            ("vl_ag", m(e.vl_ag)),
            ("vl_abzug", m(e.vl_abzug)),
            ("zulagen", format_zulagen(&e.zulagen)),
        ] {
            form.load(k, &v);
        }
        self.version = e.version;
        Ok(())
    }

    fn save(&mut self, env: &mut Env, form: &mut Form, mode: Mode) -> Result<(String, String)> {
        let e = Employee {
            personalnummer: form.get("personalnummer").trim().to_string(),
            name: form.get("name"),
            vorname: form.get("vorname"),
            strasse: form.get("strasse"),
            plz: form.get("plz"),
            ort: form.get("ort"),
            ewos_person: match form.get("ewos_om").trim() {
                "" => None,
                om => Some(
                    crate::ewos::model::parse_om(om)
                        .map_err(|e| KisError::field("ewos_om", e.to_string()))?,
                ),
            },
            geburtsdatum: form.date("geburtsdatum")?,
            geschlecht: form.get("geschlecht"),
            rv_nummer: form.get("rv_nummer"),
            steuer_idnr: form.get("steuer_idnr"),
            eintritt: form.date("eintritt")?,
            austritt: form.date_opt("austritt")?,
            oe: form.get("oe"),
            kostenstelle: form.get("kostenstelle"),
            produkt: form.get("produkt"),
            iban: form.get("iban"),
            art: Beschaeftigungsart::parse(&form.get("art"))?,
            pgs: form.get("pgs"),
            bgs: Beitragsgruppen::parse(&form.get("bgs"))?,
            taetigkeit: form.get("taetigkeit"),
            stkl: form.number_opt("stkl")?.unwrap_or_default(),
            faktor: form.decimal_opt("faktor")?.unwrap_or(Decimal::ONE),
            zkf: form.decimal_opt("zkf")?.unwrap_or(Decimal::ZERO),
            konfession: form.get("konfession"),
            konfession_ehegatte: form.get("konfession_ehegatte"),
            freibetrag: form.money("freibetrag")?,
            hinzurechnung: form.money("hinzurechnung")?,
            kasse: form.get("kasse"),
            privat: form.flag("privat")?,
            pkv_kv: form.money("pkv_kv")?,
            pkv_pv: form.money("pkv_pv")?,
            eltern: form.flag("eltern")?,
            kinder_u25: form.number_opt("kinder_u25")?.unwrap_or_default(),
            sachsen: form.flag("sachsen")?,
            eg: form.get("eg"),
            stufe: form.number_opt("stufe")?.unwrap_or_default(),
            stufe_ab: form.date_opt("stufe_ab")?,
            festbetrag: form.money_opt("festbetrag")?,
            arbeitszeitanteil: form
                .decimal_opt("arbeitszeitanteil")?
                .unwrap_or(Decimal::ONE),
            zulagen: parse_zulagen(&form.get("zulagen"))?,
            vl_ag: form.money("vl_ag")?,
            vl_abzug: form.money("vl_abzug")?,
            zvk: form.flag("zvk")?,
            version: self.version,
        };
        if mode == Mode::Neu {
            stamm::create(env.session, &e)?;
            Ok((
                e.personalnummer.clone(),
                format!("Beschäftigte(r) {} angelegt.", e.personalnummer),
            ))
        } else {
            self.version = stamm::update(env.session, &e)?;
            Ok((
                e.personalnummer.clone(),
                format!("Beschäftigte(r) {} gespeichert.", e.personalnummer),
            ))
        }
    }
}
