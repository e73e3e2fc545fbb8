//! KIS110 Schlüsseltabellen: the entries of the code lists with their
//! validity; the administration maintains them here (changes are audited,
//! entries are never deleted — an entry ends by its "gültig bis").

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::core::codes::{self, CodeEntry};
use crate::core::date::{format_date_de, parse_date_de};
use crate::core::error::{KisError, Result};
use crate::ui::command::Command;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, FormEvent, MaskDef, Mode};
use crate::ui::keymap::Context;
use crate::ui::list::{AENDERN, ANZEIGEN, Column, ListEvent, ListRow, ListView, VecSource};
use crate::ui::record::{Record, RecordScreen};
use crate::ui::screen::{Env, Input, Nav, RenderCx, Screen};

pub fn open_list(env: &mut Env) -> Result<Box<dyn Screen>> {
    Ok(Box::new(CodeList::new(env)?))
}

const OPEN_END: &str = "31.12.9999";

fn search_mask() -> MaskDef {
    MaskDef {
        code: "KIS110",
        title: "Schlüsseltabellen",
        help: "Name der Schlüsseltabelle (Anfang genügt, z. B. ORT) und Enter; in der Liste A=Anzeigen, Ä/U=Ändern; F11=Neuer Schlüssel.",
        auto_skip: false,
        fields: vec![
            FieldDef::new("liste", "Schlüsseltabelle", 0, 1, 20, FieldKind::Upper)
                .help("Anfang des Tabellennamens; leer = alle Tabellen."),
        ],
    }
}

fn row_key(e: &CodeEntry) -> String {
    format!("{}|{}|{}", e.list, e.code, e.valid_from)
}

fn rows(env: &mut Env, prefix: &str) -> Result<Vec<ListRow>> {
    let today = env.session.today();
    Ok(codes::all_entries(env.session, prefix)?
        .into_iter()
        .map(|e| {
            let valid = e.valid_from <= today && today <= e.valid_to;
            ListRow::new(
                row_key(&e),
                vec![
                    e.list.clone(),
                    e.code.clone(),
                    e.short_text.clone(),
                    format_date_de(e.valid_from),
                    format_date_de(e.valid_to),
                    if valid {
                        "gültig".into()
                    } else {
                        "ungültig".into()
                    },
                ],
            )
        })
        .collect())
}

pub struct CodeList {
    form: Form,
    list: ListView,
    in_list: bool,
}

impl CodeList {
    fn new(env: &mut Env) -> Result<Self> {
        let list = ListView::new(
            vec![
                Column::new("Tabelle", 16),
                Column::new("Schl.", 6),
                Column::new("Kurztext", 22),
                Column::new("gültig ab", 10),
                Column::new("bis", 10),
                Column::new("heute", 8),
            ],
            vec![ANZEIGEN, AENDERN],
            Box::new(VecSource(rows(env, "")?)),
        )?;
        Ok(CodeList {
            form: Form::new(search_mask(), Mode::Neu),
            list,
            in_list: false,
        })
    }

    fn search(&mut self, env: &mut Env) {
        let prefix = self.form.get("liste");
        match rows(env, &prefix).and_then(|r| self.list.set_source(Box::new(VecSource(r)))) {
            Ok(()) => {
                self.in_list = self.list.total() > 0;
                env.info(format!("{} Schlüssel gefunden.", self.list.total()));
            }
            Err(e) => env.fail(&e),
        }
    }
}

impl Screen for CodeList {
    fn code(&self) -> &str {
        "KIS110"
    }

    fn title(&self) -> String {
        "Schlüsseltabellen".into()
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
            Input::Cmd(Command::New) => {
                return match RecordScreen::open(CodeRecord, env, None) {
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
                Input::Cmd(cmd) => self
                    .list
                    .command(cmd)
                    .unwrap_or_else(|e| ListEvent::Invalid(e.to_string())),
                _ => ListEvent::Ignored,
            };
            match ev {
                ListEvent::Commands(cmds) => {
                    let Some((c, key)) = cmds.into_iter().next() else {
                        return Nav::Stay;
                    };
                    let opened = if c == 'A' {
                        RecordScreen::open(CodeRecord, env, Some(&key))
                    } else {
                        RecordScreen::open_for_change(CodeRecord, env, &key)
                    };
                    match opened {
                        Ok(s) => Nav::Push(Box::new(s)),
                        Err(e) => {
                            env.fail(&e);
                            Nav::Stay
                        }
                    }
                }
                ListEvent::Invalid(m) => {
                    env.error(m);
                    Nav::Stay
                }
                _ => Nav::Stay,
            }
        } else {
            let ev = match input {
                Input::Char(c) => self.form.type_char(c, env.codes),
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
        let list_area = Rect::new(
            area.x,
            area.y + 2,
            area.width,
            area.height.saturating_sub(2),
        );
        self.list.render(frame, list_area, cx.theme);
        if !self.in_list {
            self.form.render(
                frame,
                Rect::new(area.x, area.y, area.width, 1),
                cx.theme,
                cx.codes,
            );
        }
    }
}

/// One code-list entry.
pub struct CodeRecord;

fn entry_mask() -> MaskDef {
    MaskDef {
        code: "KIS110",
        title: "Schlüssel",
        help: "Ein Eintrag einer Schlüsseltabelle. Einträge werden nicht gelöscht: „gültig bis“ beendet sie.",
        auto_skip: false,
        fields: vec![
            FieldDef::new("liste", "Schlüsseltabelle", 1, 1, 20, FieldKind::Upper)
                .required()
                .key_field()
                .help("Name der Tabelle, z. B. ORTSTEIL."),
            FieldDef::new("code", "Schlüssel", 3, 1, 8, FieldKind::Upper)
                .required()
                .key_field()
                .help("Der Schlüssel, wie er in Feldern eingegeben wird."),
            FieldDef::new("kurz", "Kurztext", 5, 1, 30, FieldKind::Text)
                .required()
                .help("Anzeige neben dem Schlüssel."),
            FieldDef::new("lang", "Langtext", 7, 1, 50, FieldKind::Text)
                .help("Ausführliche Bezeichnung."),
            FieldDef::new("valid_from", "Gültig ab", 9, 1, 10, FieldKind::Date)
                .required()
                .key_field()
                .help("Erster Tag der Gültigkeit (TT.MM.JJJJ)."),
            FieldDef::new("valid_to", "Gültig bis", 11, 1, 10, FieldKind::Date)
                .required()
                .help("Letzter Tag der Gültigkeit; 31.12.9999 = unbefristet."),
        ],
    }
}

fn parse_key(key: &str) -> Result<(String, String, NaiveDate)> {
    let mut p = key.splitn(3, '|');
    let (Some(l), Some(c), Some(d)) = (p.next(), p.next(), p.next()) else {
        return Err(KisError::NotFound(format!(
            "Schlüssel {key} ist nicht vorhanden."
        )));
    };
    let from = NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map_err(|_| KisError::NotFound(key.to_string()))?;
    Ok((l.to_string(), c.to_string(), from))
}

impl Record for CodeRecord {
    fn def(&self) -> MaskDef {
        entry_mask()
    }

    fn entity(&self) -> &'static str {
        "code_entry"
    }

    fn load(&mut self, env: &mut Env, key: &str, form: &mut Form) -> Result<()> {
        let (l, c, from) = parse_key(key)?;
        let e = codes::get(env.session, &l, &c, from)?;
        form.load("liste", &e.list);
        form.load("code", &e.code);
        form.load("kurz", &e.short_text);
        form.load("lang", &e.long_text);
        form.load("valid_from", &format_date_de(e.valid_from));
        form.load("valid_to", &format_date_de(e.valid_to));
        Ok(())
    }

    fn save(&mut self, env: &mut Env, form: &mut Form, _mode: Mode) -> Result<(String, String)> {
        let date =
            |k: &str| parse_date_de(&form.get(k)).map_err(|e| KisError::field(k, e.to_string()));
        let bis = if form.get("valid_to").trim().is_empty() {
            OPEN_END.to_string()
        } else {
            form.get("valid_to")
        };
        let e = CodeEntry {
            list: form.get("liste").trim().to_string(),
            code: form.get("code").trim().to_string(),
            short_text: form.get("kurz").trim().to_string(),
            long_text: form.get("lang").trim().to_string(),
            valid_from: date("valid_from")?,
            valid_to: parse_date_de(&bis)
                .map_err(|e| KisError::field("valid_to", e.to_string()))?,
        };
        codes::upsert(env.session, &e)?;
        Ok((
            row_key(&e),
            format!("Schlüssel {}/{} gespeichert.", e.list, e.code),
        ))
    }
}
