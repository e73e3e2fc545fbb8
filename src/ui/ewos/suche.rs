//! EWO100 Personensuche: search form and a paged hit list (DIN 5007) with
//! Sperren markers and status; line commands open the person or start a
//! process. Persons with an Auskunftssperre are shown in the alert style.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::vorgang::VorgangScreen;
use super::{person::PersonRecord, prozesse};
use crate::core::date::{format_date_de, parse_date_de};
use crate::core::error::{KisError, Result};
use crate::core::session::Session;
use crate::ewos::model::format_om;
use crate::ewos::suche::{self, Suche};
use crate::ui::command::Command;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, FormEvent, MaskDef, Mode};
use crate::ui::keymap::Context;
use crate::ui::list::{Column, LineCommand, ListEvent, ListRow, ListSource, ListView, VecSource};
use crate::ui::record::RecordScreen;
use crate::ui::screen::{Env, Input, Nav, Popup, RenderCx, Screen};

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

fn mask() -> MaskDef {
    MaskDef {
        code: "EWO100",
        title: "Personensuche",
        help: "Name (Anfang; ä = ae) und/oder Vorname, Geburtsdatum, Straßenschlüssel/Hausnummer oder Ordnungsmerkmal eingeben, Enter. \
               Phonetisch J: Kölner Phonetik über aktuelle und frühere Namen. In der Liste: A=Anzeigen, U=Ummelden, B=Abmelden, M=Meldebescheinigung, H=Historie.",
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

/// A copy of the clerk's session for the list's page fetches.
fn session_copy(s: &Session) -> Session {
    Session {
        id: s.id.clone(),
        db: s.db.clone(),
        user: s.user.clone(),
        mandant: s.mandant.clone(),
        roles: s.roles.clone(),
        clock: s.clock.clone(),
        client: s.client.clone(),
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

pub struct PersonSuche {
    form: Form,
    list: ListView,
    in_list: bool,
}

impl PersonSuche {
    pub fn new() -> Result<Self> {
        let list = ListView::new(
            vec![
                Column::new("Name, Vornamen", 24),
                Column::new("Geb.-Datum", 10),
                Column::new("Sperre", 9),
                Column::new("Status", 10),
                Column::new("Anschrift", 40),
            ],
            vec![ANZEIGEN, UMMELDEN, ABMELDEN, BESCHEINIGUNG, HISTORIE],
            Box::new(VecSource(Vec::new())),
        )?;
        Ok(PersonSuche {
            form: Form::new(mask(), Mode::Neu),
            list,
            in_list: false,
        })
    }

    fn suche(&self) -> Result<Suche> {
        let f = &self.form;
        let num = |k: &str| -> Result<Option<i64>> {
            let t = f.get(k);
            if t.trim().is_empty() {
                Ok(None)
            } else {
                t.trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| KisError::field(k.to_string(), "Nur Ziffern."))
            }
        };
        let gd = f.get("geburtsdatum");
        Ok(Suche {
            name: f.get("name"),
            vorname: f.get("vorname"),
            phonetisch: f.get("phonetisch") == "J",
            geburtsdatum: if gd.trim().is_empty() {
                None
            } else {
                Some(parse_date_de(&gd)?)
            },
            strasse: num("strasse")?.map(|s| format!("{s:05}")),
            hausnummer: num("hausnummer")?.and_then(|n| u32::try_from(n).ok()),
            ordnungsmerkmal: num("om")?,
        })
    }

    fn search(&mut self, env: &mut Env) {
        let result = self.suche().and_then(|s| {
            let total = suche::anzahl(env.session, &s)?;
            self.list.set_source(Box::new(PersonSource {
                session: session_copy(env.session),
                suche: s,
                total,
            }))
        });
        match result {
            Ok(()) => {
                self.in_list = self.list.total() > 0;
                env.info(match self.list.total() {
                    0 => "Keine Person gefunden.".to_string(),
                    1 => "1 Person gefunden.".to_string(),
                    n => format!("{n} Personen gefunden."),
                });
            }
            Err(e) => {
                if let Some(k) = e.field_key() {
                    self.form.fail(k);
                }
                env.fail(&e);
            }
        }
    }

    fn run_line_commands(&mut self, cmds: Vec<(char, String)>, env: &mut Env) -> Nav {
        let Some((c, key)) = cmds.into_iter().next() else {
            return Nav::Stay;
        };
        if c == 'H' {
            return match historie_text(env, &key) {
                Ok(text) => Nav::Popup(Popup::document(format!("Historie {key}"), &text)),
                Err(e) => {
                    env.fail(&e);
                    Nav::Stay
                }
            };
        }
        let screen: Result<Box<dyn Screen>> = match c {
            'A' => RecordScreen::open(PersonRecord::default(), env, Some(&key))
                .map(|s| Box::new(s) as Box<dyn Screen>),
            'U' => Ok(Box::new(
                VorgangScreen::new(prozesse::ummeldung_mask(), prozesse::ummeldung)
                    .with("om", &key),
            )),
            'B' => Ok(Box::new(
                VorgangScreen::new(prozesse::abmeldung_mask(), prozesse::abmeldung)
                    .with("om", &key),
            )),
            'M' => Ok(Box::new(
                VorgangScreen::new(prozesse::bescheinigung_mask(), prozesse::bescheinigung)
                    .with("om", &key),
            )),
            _ => return Nav::Stay,
        };
        match screen {
            Ok(s) => Nav::Push(s),
            Err(e) => {
                env.fail(&e);
                Nav::Stay
            }
        }
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

impl Screen for PersonSuche {
    fn code(&self) -> &str {
        "EWO100"
    }

    fn title(&self) -> String {
        "Personensuche".into()
    }

    fn context(&self) -> Context {
        if self.in_list {
            Context::List
        } else {
            Context::Form
        }
    }

    fn commands(&self) -> Vec<Command> {
        vec![
            Command::Submit,
            Command::Refresh,
            Command::PageUp,
            Command::PageDown,
        ]
    }

    fn help(&self) -> Vec<String> {
        vec![mask().help.to_string()]
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if input == Input::Cmd(Command::Refresh) {
            // Search again: the hits may have changed meanwhile.
            let cursor = self.in_list;
            self.search(env);
            self.in_list = cursor && self.list.total() > 0;
            return Nav::Stay;
        }
        if self.in_list {
            let ev = match input {
                Input::Char(c) => self.list.type_char(c),
                Input::Cmd(Command::NextField | Command::PrevField) => {
                    self.in_list = false;
                    ListEvent::Handled
                }
                Input::Cmd(Command::CursorUp) if self.list.cursor_index() == 0 => {
                    self.in_list = false;
                    ListEvent::Handled
                }
                Input::Cmd(cmd) => self
                    .list
                    .command(cmd)
                    .unwrap_or_else(|e| ListEvent::Invalid(e.to_string())),
                _ => ListEvent::Ignored,
            };
            match ev {
                ListEvent::Commands(cmds) => self.run_line_commands(cmds, env),
                ListEvent::Invalid(m) => {
                    env.error(m);
                    Nav::Stay
                }
                _ => Nav::Stay,
            }
        } else {
            let ev = match input {
                Input::Char(c) => self.form.type_char(c, env.codes),
                Input::Paste(t) => self.form.paste(&t, env.codes),
                Input::Cmd(Command::CursorDown) if self.list.total() > 0 => {
                    self.in_list = true;
                    FormEvent::Handled
                }
                Input::Cmd(cmd) => self.form.command(cmd, env.codes),
                _ => FormEvent::Ignored,
            };
            match ev {
                FormEvent::Submit => self.search(env),
                FormEvent::Invalid(m) => env.error(m),
                _ => {}
            }
            Nav::Stay
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        let head = Rect::new(area.x, area.y, area.width, 2.min(area.height));
        self.form.render(frame, head, cx.theme, cx.codes);
        let list_area = Rect::new(
            area.x,
            area.y + 3,
            area.width,
            area.height.saturating_sub(3),
        );
        self.list.render(frame, list_area, cx.theme);
        if !self.in_list {
            self.form.render(frame, head, cx.theme, cx.codes);
        }
    }
}
