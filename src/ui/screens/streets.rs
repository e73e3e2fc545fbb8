//! KIS100 Straßenverzeichnis: a search list of streets with line commands,
//! and the street mask (display / change / new).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::core::error::Result;
use crate::core::streets::{self, HouseNo, ORTSTEIL_LIST, Street};
use crate::ui::command::Command;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, FormEvent, MaskDef, Mode};
use crate::ui::keymap::Context;
use crate::ui::list::{
    AENDERN, ANZEIGEN, Column, LOESCHEN, ListEvent, ListRow, ListView, VecSource,
};
use crate::ui::record::{Record, RecordScreen};
use crate::ui::screen::{Env, Input, Nav, Popup, RenderCx, Screen};

pub fn open_list(env: &mut Env) -> Result<Box<dyn Screen>> {
    Ok(Box::new(StreetList::new(env)?))
}

fn search_mask() -> MaskDef {
    MaskDef {
        code: "KIS100",
        title: "Straßenverzeichnis",
        help: "Straßenname oder Straßenschlüssel (Anfang genügt) eingeben und Enter drücken. \
               In der Liste: A=Anzeigen, Ä/U=Ändern, L=Löschen vor die Zeile schreiben, Enter; F11=Neue Straße.",
        auto_skip: false,
        fields: vec![FieldDef::new("suche", "Straße/Schlüssel", 0, 1, 30, FieldKind::Text)
            .help("Anfang des Straßennamens (ä = ae) oder des Straßenschlüssels; leer = alle Straßen.")],
    }
}

pub struct StreetList {
    form: Form,
    list: ListView,
    in_list: bool,
    pending_delete: Option<(String, i64)>,
}

const DELETE: &str = "street-delete";

fn rows(env: &mut Env, prefix: &str) -> Result<Vec<ListRow>> {
    Ok(streets::search(env.session, prefix)?
        .into_iter()
        .map(|s| {
            let ortsteil = env
                .codes
                .short_text(ORTSTEIL_LIST, &s.ortsteil)
                .unwrap_or(s.ortsteil.clone());
            ListRow::new(
                s.schluessel.clone(),
                vec![
                    s.schluessel,
                    s.name,
                    ortsteil,
                    s.plz,
                    s.anzahl_hausnummern.to_string(),
                ],
            )
        })
        .collect())
}

impl StreetList {
    pub fn new(env: &mut Env) -> Result<Self> {
        let rows = rows(env, "")?;
        let list = ListView::new(
            vec![
                Column::new("Schl.", 5),
                Column::new("Straße", 30),
                Column::new("Ortsteil", 18),
                Column::new("PLZ", 5),
                Column::new("HNr", 5),
            ],
            vec![ANZEIGEN, AENDERN, LOESCHEN],
            Box::new(VecSource(rows)),
        )?;
        Ok(StreetList {
            form: Form::new(search_mask(), Mode::Neu),
            list,
            in_list: false,
            pending_delete: None,
        })
    }

    fn search(&mut self, env: &mut Env) {
        let prefix = self.form.get("suche");
        match rows(env, &prefix).and_then(|r| self.list.set_source(Box::new(VecSource(r)))) {
            Ok(()) => {
                self.in_list = self.list.total() > 0;
                env.info(match self.list.total() {
                    1 => "1 Straße gefunden.".to_string(),
                    n => format!("{n} Straßen gefunden."),
                });
            }
            Err(e) => env.fail(&e),
        }
    }

    fn run_line_commands(&mut self, cmds: Vec<(char, String)>, env: &mut Env) -> Nav {
        // Several line commands: the first opening one wins, deletions are asked one at a time.
        for (c, key) in cmds {
            let opened = match c {
                'A' => RecordScreen::open(StreetRecord::default(), env, Some(&key)),
                'Ä' | 'U' => RecordScreen::open_for_change(StreetRecord::default(), env, &key),
                'L' => match streets::get(env.session, &key) {
                    Ok(st) => {
                        self.pending_delete = Some((key.clone(), st.version));
                        return Nav::Popup(Popup::confirm(
                            format!(
                                "Straße {} {} wirklich löschen? (J/N)",
                                st.schluessel, st.name
                            ),
                            DELETE,
                        ));
                    }
                    Err(e) => {
                        env.fail(&e);
                        return Nav::Stay;
                    }
                },
                _ => continue,
            };
            return match opened {
                Ok(s) => Nav::Push(Box::new(s)),
                Err(e) => {
                    env.fail(&e);
                    Nav::Stay
                }
            };
        }
        Nav::Stay
    }
}

impl Screen for StreetList {
    fn code(&self) -> &str {
        "KIS100"
    }

    fn title(&self) -> String {
        "Straßenverzeichnis".into()
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
            Command::New,
            Command::PageUp,
            Command::PageDown,
        ]
    }

    fn help(&self) -> Vec<String> {
        vec![search_mask().help.to_string()]
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        match input {
            Input::Confirmed { tag: DELETE, yes } => {
                if let Some((key, version)) = self.pending_delete.take()
                    && yes
                {
                    match streets::delete(env.session, &key, version) {
                        Ok(()) => {
                            self.search(env);
                            env.info(format!("Straße {key} gelöscht."));
                        }
                        Err(e) => env.fail(&e),
                    }
                }
                return Nav::Stay;
            }
            Input::Cmd(Command::New) => {
                return match RecordScreen::open(StreetRecord::default(), env, None) {
                    Ok(s) => Nav::Push(Box::new(s)),
                    Err(e) => {
                        env.fail(&e);
                        Nav::Stay
                    }
                };
            }
            Input::Cmd(Command::Refresh) => {
                self.search(env);
                return Nav::Stay;
            }
            _ => {}
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
                Input::Cmd(cmd) => match self.list.command(cmd) {
                    Ok(ev) => ev,
                    Err(e) => ListEvent::Invalid(e.to_string()),
                },
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
                Input::Cmd(Command::NextField | Command::CursorDown) if self.list.total() > 0 => {
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
        self.form.render(
            frame,
            Rect::new(area.x, area.y, area.width, 1),
            cx.theme,
            cx.codes,
        );
        let list_area = Rect::new(
            area.x,
            area.y + 2,
            area.width,
            area.height.saturating_sub(2),
        );
        self.list.render(frame, list_area, cx.theme);
        if !self.in_list {
            // Drawn again last so the cursor stays in the search field.
            self.form.render(
                frame,
                Rect::new(area.x, area.y, area.width, 1),
                cx.theme,
                cx.codes,
            );
        }
    }
}

/// The street mask behind KIS100's line commands.
#[derive(Default)]
pub struct StreetRecord {
    version: i64,
}

fn street_mask() -> MaskDef {
    MaskDef {
        code: "KIS100",
        title: "Straße",
        help: "Eine Straße des Straßenverzeichnisses. Hausnummern als Liste: 1-45, 47, 49a; 2-20g nur gerade, 1-19u nur ungerade.",
        auto_skip: false,
        fields: vec![
            FieldDef::new("schluessel", "Straßenschlüssel", 1, 1, 5, FieldKind::Number)
                .required()
                .key_field()
                .help("Fünfstelliger Schlüssel der Straße, z. B. 00120. Nach dem Anlegen nicht mehr änderbar."),
            FieldDef::new("name", "Straßenname", 3, 1, 40, FieldKind::Text)
                .required()
                .help("Amtlicher Straßenname, z. B. Hauptstraße."),
            FieldDef::new("ortsteil", "Ortsteil", 5, 1, 3, FieldKind::Code(ORTSTEIL_LIST))
                .required()
                .help("Schlüssel des Ortsteils; F4 zeigt die Ortsteile."),
            FieldDef::new("plz", "Postleitzahl", 7, 1, 5, FieldKind::Number).required().help("Fünfstellige PLZ."),
            FieldDef::new("ort", "Ort", 7, 34, 24, FieldKind::Text).label_width(6).required().help("Ortsname für die Anschrift."),
            FieldDef::new("hausnummern", "Hausnummern", 9, 1, 50, FieldKind::Memo(4))
                .help("Gültige Hausnummern: 1-45, 47, 49a; 2-20g = gerade, 1-19u = ungerade."),
        ],
    }
}

impl Record for StreetRecord {
    fn def(&self) -> MaskDef {
        street_mask()
    }

    fn entity(&self) -> &'static str {
        streets::ENTITY
    }

    fn load(&mut self, env: &mut Env, key: &str, form: &mut Form) -> Result<()> {
        let st = streets::get(env.session, key)?;
        form.load("schluessel", &st.schluessel);
        form.load("name", &st.name);
        form.load("ortsteil", &st.ortsteil);
        form.load("plz", &st.plz);
        form.load("ort", &st.ort);
        form.load("hausnummern", &streets::format_hausnummern(&st.hausnummern));
        self.version = st.version;
        Ok(())
    }

    fn save(&mut self, env: &mut Env, form: &mut Form, mode: Mode) -> Result<(String, String)> {
        let hausnummern: Vec<HouseNo> =
            streets::parse_hausnummern(&form.get("hausnummern").replace('\n', ","))?;
        let st = Street {
            schluessel: format!("{:0>5}", form.get("schluessel").trim()),
            name: form.get("name").trim().to_string(),
            ortsteil: form.get("ortsteil"),
            plz: form.get("plz").trim().to_string(),
            ort: form.get("ort").trim().to_string(),
            hausnummern,
            version: self.version,
        };
        if mode == Mode::Neu {
            streets::create(env.session, &st)?;
            Ok((
                st.schluessel.clone(),
                format!("Straße {} angelegt.", st.schluessel),
            ))
        } else {
            self.version = streets::update(env.session, &st)?;
            Ok((
                st.schluessel.clone(),
                format!("Straße {} gespeichert.", st.schluessel),
            ))
        }
    }
}
