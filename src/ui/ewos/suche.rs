//! EWO100 Personensuche: search form and a paged hit list (DIN 5007) with
//! Sperren markers and status; line commands open the person or start a
//! process. Persons with an Auskunftssperre are shown in the alert style.

use super::vorgang::VorgangScreen;
use super::{person::PersonRecord, prozesse, standesamt};
use crate::core::date::format_date_de;
use crate::core::error::Result;
use crate::ewos::model::format_om;
use crate::ewos::suche::{self, Suche};
use crate::kernel::session::Session;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{Column, LineCommand, ListRow, ListSource};
use crate::ui::record::RecordScreen;
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

const ANZEIGEN: LineCommand = LineCommand {
    letters: "A",
    label: "Anzeigen",
};
const UMMELDEN: LineCommand = LineCommand {
    letters: "U",
    label: "Ummelden",
};
const ABMELDEN: LineCommand = LineCommand {
    letters: "B",
    label: "Abmelden",
};
const HISTORIE: LineCommand = LineCommand {
    letters: "H",
    label: "Historie",
};
const BESCHEINIGUNG: LineCommand = LineCommand {
    letters: "M",
    label: "Meldebescheinigung",
};
const NAMENSAENDERUNG: LineCommand = LineCommand {
    letters: "N",
    label: "Namensänderung",
};
const SPERRE: LineCommand = LineCommand {
    letters: "S",
    label: "Sperre",
};

fn mask() -> MaskDef {
    MaskDef {
        code: "EWO100",
        title: "Personensuche",
        help: "Name (Anfang; ä = ae) und/oder Vorname, Geburtsdatum, Straßenschlüssel/Hausnummer oder Ordnungsmerkmal eingeben, Enter. \
               Phonetisch J: Kölner Phonetik über aktuelle und frühere Namen. In der Liste: A=Anzeigen, U=Ummelden, B=Abmelden, M=Meldebescheinigung, H=Historie, N=Namensänderung, S=Sperre.",
        auto_skip: false,
        fields: vec![
            FieldDef::new("name", "Name", 0, 1, 24, FieldKind::Text).label_width(9),
            FieldDef::new("vorname", "Vorname", 0, 35, 15, FieldKind::Text).label_width(9),
            FieldDef::new("phonetisch", "Phonet.", 0, 61, 1, FieldKind::Flag).label_width(9),
            FieldDef::new("geburtsdatum", "Geb.-Dat.", 1, 1, 10, FieldKind::Date).label_width(10),
            FieldDef::new("strasse", "Straße", 1, 23, 5, FieldKind::Number).label_width(8),
            FieldDef::new("hausnummer", "HNr", 1, 37, 4, FieldKind::Number).label_width(5),
            FieldDef::new("om", "Ordn.-Merkmal", 1, 48, 9, FieldKind::Number).label_width(15),
        ],
    }
}

/// Hits fetched page by page from the database.
struct PersonSource {
    session: Session,
    suche: Suche,
    total: usize,
}

impl ListSource for PersonSource {
    fn fetch(&mut self, offset: usize, limit: usize) -> Result<(Vec<ListRow>, usize)> {
        let rows = suche::seite(&self.session, &self.suche, offset, limit)?
            .into_iter()
            .map(|t| {
                let mut r = ListRow::new(
                    format_om(t.id),
                    vec![
                        format!("{}, {}", t.familienname, t.vornamen),
                        format_date_de(t.geburtsdatum),
                        t.sperren,
                        t.status.label().to_string(),
                        t.anschrift,
                    ],
                );
                r.alert = t.auskunftssperre;
                r
            })
            .collect();
        Ok((rows, self.total))
    }
}

/// EWO100's search on the common search-mask engine.
pub struct PersonSuche;

fn suche_aus(f: &Form) -> Result<Suche> {
    let num = |k: &str| f.number_opt::<i64>(k);
    Ok(Suche {
        name: f.get("name"),
        vorname: f.get("vorname"),
        phonetisch: f.get("phonetisch") == "J",
        geburtsdatum: f.date_opt("geburtsdatum")?,
        strasse: num("strasse")?.map(|s| format!("{s:05}")),
        hausnummer: num("hausnummer")?.and_then(|n| u32::try_from(n).ok()),
        ordnungsmerkmal: num("om")?,
    })
}

impl Search for PersonSuche {
    fn mask(&self) -> MaskDef {
        mask()
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Name, Vornamen", 24),
            Column::new("Geb.-Datum", 10),
            Column::new("Sperre", 9),
            Column::new("Status", 10),
            Column::new("Anschrift", 40),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![
            ANZEIGEN,
            UMMELDEN,
            ABMELDEN,
            BESCHEINIGUNG,
            HISTORIE,
            NAMENSAENDERUNG,
            SPERRE,
        ]
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let suche = suche_aus(form)?;
        let total = suche::anzahl(env.session, &suche)?;
        Ok(Box::new(PersonSource {
            session: env.session.clone(),
            suche,
            total,
        }))
    }

    fn found(&self, n: usize) -> String {
        match n {
            0 => "Keine Person gefunden.".to_string(),
            1 => "1 Person gefunden.".to_string(),
            n => format!("{n} Personen gefunden."),
        }
    }

    fn search_on_open(&self) -> bool {
        false
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, _form: &Form) -> Result<Nav> {
        Ok(match letter {
            'H' => Nav::Popup(Popup::document(
                format!("Historie {key}"),
                &historie_text(env, key)?,
            )),
            'A' => Nav::Push(Box::new(RecordScreen::open(
                PersonRecord::default(),
                env,
                Some(key),
            )?)),
            'U' => Nav::Push(Box::new(
                VorgangScreen::new(prozesse::ummeldung_mask(), prozesse::ummeldung).with("om", key),
            )),
            'B' => Nav::Push(Box::new(
                VorgangScreen::new(prozesse::abmeldung_mask(), prozesse::abmeldung).with("om", key),
            )),
            'M' => Nav::Push(Box::new(
                VorgangScreen::new(prozesse::bescheinigung_mask(), prozesse::bescheinigung)
                    .with("om", key),
            )),
            'N' => Nav::Push(Box::new(
                VorgangScreen::new(
                    standesamt::namensaenderung_mask(),
                    standesamt::namensaenderung,
                )
                .with("om", key),
            )),
            'S' => Nav::Push(Box::new(
                VorgangScreen::new(standesamt::sperre_mask(), standesamt::sperre).with("om", key),
            )),
            _ => Nav::Stay,
        })
    }
}

/// Every change of the person, newest first: valid from, field, source,
/// user, entry date, old → new.
fn historie_text(env: &mut Env, key: &str) -> Result<String> {
    let id = crate::ewos::model::parse_om(key)?;
    let mut out = String::new();
    for h in crate::ewos::person::historie(env.session, id)?
        .into_iter()
        .rev()
    {
        let bem = if h.bemerkung.is_empty() {
            String::new()
        } else {
            format!(" ({})", h.bemerkung)
        };
        out.push_str(&format!(
            "{} {}  ({}, {}, erfasst {}){bem}\n    {} → {}\n",
            format_date_de(h.gueltig_ab),
            h.feld,
            h.quelle,
            h.benutzer,
            h.erfasst_am
                .get(..10)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .map(format_date_de)
                .unwrap_or_default(),
            if h.alt.is_empty() {
                "–"
            } else {
                h.alt.as_str()
            },
            h.neu,
        ));
    }
    Ok(crate::core::sanitize::sanitize_multiline(&out).into_owned())
}
