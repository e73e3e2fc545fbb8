//! The masks for incoming Rückmeldungen: EWO190 Rückmeldung (Wegzug)
//! erfassen and EWO191 Klärungsliste. Field declarations and the call of the
//! service; matching and the clarification cases live in
//! `crate::ewos::meldung` and `crate::ewos::klaerung`.

use serde_json::Value;

use super::prozesse::left;
use super::vorgang::{Ausgang, VorgangScreen};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::ewos::klaerung;
use crate::ewos::meldung::{self, Rueckmeldung, WegzugErgebnis};
use crate::ewos::model::Klaerung;
use crate::ewos::model::format_om;
use crate::ui::field::{FieldDef, FieldKind, NAME_LEN};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

pub fn rueckmeldung_mask() -> MaskDef {
    MaskDef {
        code: "EWO190",
        title: "Rückmeldung (Wegzug)",
        help: "Rückmeldung der Zuzugsgemeinde (§ 33 BMG). Die Person wird über Familienname (auch früherer Name), Vornamen und Geburtsdatum gesucht; bei genau einem Treffer wird sie weggezogen, sonst geht die Rückmeldung in die Klärungsliste (EWO191).",
        auto_skip: false,
        fields: vec![
            left("familienname", "Familienname", 0, 30, FieldKind::Text)
                .max_len(NAME_LEN)
                .required(),
            left("vornamen", "Vornamen", 1, 30, FieldKind::Text)
                .max_len(NAME_LEN)
                .required(),
            left("geburtsdatum", "Geburtsdatum", 2, 10, FieldKind::Date).required(),
            left("einzug", "Zuzugsdatum", 4, 10, FieldKind::Date)
                .required()
                .help("Tag des Einzugs in der neuen Gemeinde."),
            left("neue_anschrift", "Neue Anschrift", 5, 40, FieldKind::Text)
                .required()
                .help("Straße und Hausnummer in der Zuzugsgemeinde."),
            left("neue_gemeinde", "Neue Gemeinde", 6, 40, FieldKind::Text)
                .required()
                .help("Postleitzahl und Name der Zuzugsgemeinde."),
        ],
    }
}

pub fn rueckmeldung(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let r = Rueckmeldung {
        familienname: form.get("familienname").trim().to_string(),
        vornamen: form.get("vornamen").trim().to_string(),
        geburtsdatum: form.date("geburtsdatum")?,
        einzug: form.date("einzug")?,
        neue_anschrift: form.get("neue_anschrift").trim().to_string(),
        neue_gemeinde: form.get("neue_gemeinde").trim().to_string(),
    };
    Ok(match meldung::wegzug(env.session, &r)? {
        WegzugErgebnis::Erfasst { person_id } => Ausgang {
            meldung: format!(
                "Wegzug erfasst: {} ist weggezogen nach {}.",
                format_om(person_id),
                r.neue_gemeinde
            ),
            warnung: false,
            dokument: None,
        },
        WegzugErgebnis::Klaerung { klaerung_id, grund } => Ausgang {
            meldung: format!("Klärungsliste EWO191, Fall {klaerung_id}: {grund}"),
            warnung: true,
            dokument: None,
        },
    })
}

const ERLEDIGEN: LineCommand = LineCommand {
    letters: "E",
    label: "Erledigen",
};

const ANZEIGEN: LineCommand = LineCommand {
    letters: "A",
    label: "Anzeigen",
};

/// Labels for the fields of a Rückmeldung or a Geburtsmeldung.
const FELDER: [(&str, &str); 8] = [
    ("familienname", "Familienname"),
    ("vornamen", "Vornamen"),
    ("geburtsdatum", "Geburtsdatum"),
    ("einzug", "Zuzugsdatum"),
    ("neue_anschrift", "Neue Anschrift"),
    ("neue_gemeinde", "Neue Gemeinde"),
    ("mutter", "OM der Mutter"),
    ("vater", "OM des Vaters"),
];

/// The reported person's data: a Rückmeldung holds it at the top level, a
/// Geburtsmeldung under `kind`.
fn person_daten(daten: &Value) -> &Value {
    daten.get("kind").unwrap_or(daten)
}

/// A JSON value as the clerk reads it: ISO dates in German form.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(format_date_de)
            .unwrap_or_else(|_| s.clone()),
        Value::Number(n) => n.as_i64().map(format_om).unwrap_or_else(|| n.to_string()),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn feld(daten: &Value, key: &str) -> String {
    person_daten(daten).get(key).map(text).unwrap_or_default()
}

fn art_label(art: &str) -> &str {
    match art {
        "WEGZUG" => "Rückmeldung",
        "GEBURT" => "Geburt",
        other => other,
    }
}

/// EWO191's list: the open clarification cases, oldest first.
pub struct KlaerungsListe;

fn offene(env: &mut Env) -> Result<Vec<Klaerung>> {
    klaerung::offene(env.session)
}

fn parse_daten(k: &Klaerung) -> Value {
    serde_json::from_str(&k.daten).unwrap_or(Value::Null)
}

/// The case as a document: kind, reason and every reported field.
fn dokument(k: &Klaerung) -> String {
    let daten = parse_daten(k);
    let mut out = format!(
        "Klärungsfall {}: {}\nGrund: {}\n\n",
        k.id,
        art_label(&k.art),
        k.grund
    );
    for (key, label) in FELDER {
        let quelle = if matches!(key, "mutter" | "vater") {
            daten.get(key)
        } else {
            person_daten(&daten).get(key)
        };
        if let Some(v) = quelle.map(text).filter(|t| !t.is_empty()) {
            out.push_str(&format!("{label:<16}{v}\n"));
        }
    }
    crate::core::sanitize::sanitize_multiline(&out).into_owned()
}

impl Search for KlaerungsListe {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "EWO191",
            title: "Klärungsliste",
            help: "Offene Klärungsfälle: Rückmeldungen und Geburtsmeldungen, die keiner Person eindeutig zugeordnet werden konnten. Art (RUECK oder GEBURT) schränkt die Liste ein. In der Liste: A=Anzeigen.",
            auto_skip: false,
            fields: vec![
                FieldDef::new("art", "Art", 0, 1, 6, FieldKind::Upper)
                    .label_width(5)
                    .help("RUECK = Rückmeldung, GEBURT = Geburt; leer = alle."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Art", 11),
            Column::new("Name, Vornamen", 24),
            Column::new("Geb.-Datum", 10),
            Column::new("Grund", 60),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, ERLEDIGEN]
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let art = match form.get("art").trim() {
            "" => None,
            "RUECK" => Some("WEGZUG"),
            "GEBURT" => Some("GEBURT"),
            _ => return Err(KisError::field("art", "Art: RUECK, GEBURT oder leer.")),
        };
        let rows = offene(env)?
            .into_iter()
            .filter(|k| art.is_none_or(|a| k.art == a))
            .map(|k| {
                let daten = parse_daten(&k);
                ListRow::new(
                    k.id.to_string(),
                    vec![
                        art_label(&k.art).to_string(),
                        format!(
                            "{}, {}",
                            feld(&daten, "familienname"),
                            feld(&daten, "vornamen")
                        ),
                        feld(&daten, "geburtsdatum"),
                        k.grund.clone(),
                    ],
                )
            })
            .collect();
        Ok(Box::new(VecSource(rows)))
    }

    fn found(&self, n: usize) -> String {
        match n {
            0 => "Keine offenen Klärungsfälle.".to_string(),
            1 => "1 offener Klärungsfall.".to_string(),
            n => format!("{n} offene Klärungsfälle."),
        }
    }

    fn search_on_open(&self) -> bool {
        true
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, _form: &Form) -> Result<Nav> {
        if letter == 'E' {
            return Ok(Nav::Push(Box::new(
                VorgangScreen::new(erledigen_mask(), erledigen).with("fall", key),
            )));
        }
        if letter != 'A' {
            return Ok(Nav::Stay);
        }
        let fall = offene(env)?
            .into_iter()
            .find(|k| k.id.to_string() == key)
            .ok_or_else(|| {
                KisError::NotFound(format!("Klärungsfall {key} ist nicht mehr offen."))
            })?;
        Ok(Nav::Popup(Popup::document(
            format!("Klärungsfall {key}"),
            &dokument(&fall),
        )))
    }
}

/// EWO191, line command E: close a clarification case with a note (line command E in EWO191).
fn erledigen_mask() -> MaskDef {
    MaskDef {
        code: "EWO191",
        title: "Klärungsfall erledigen",
        help: "Vermerken, wie der Fall geklärt wurde (z. B. „Person unter OM 000000123 manuell abgemeldet“). Erledigte Fälle verlassen die Klärungsliste; das Protokoll behält den Vermerk.",
        auto_skip: false,
        fields: vec![
            left("fall", "Klärungsfall", 0, 9, FieldKind::Number).required(),
            left("vermerk", "Vermerk", 2, 50, FieldKind::Text).required(),
        ],
    }
}

fn erledigen(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let id: i64 = form
        .get("fall")
        .trim()
        .parse()
        .map_err(|_| KisError::field("fall", "Klärungsfall: nur Ziffern."))?;
    klaerung::erledigen(env.session, id, &form.get("vermerk"))?;
    Ok(Ausgang::info(format!("Klärungsfall {id} erledigt.")))
}
