//! A query mask with a result list below it: the selection fields on top,
//! Enter runs the query, the list takes line commands. FIN100, FIN200,
//! FIN310 and FIN400 are such masks and differ only in their [`Abfrage`].

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::core::error::Result;
use crate::ui::command::Command;
use crate::ui::form::{Form, FormEvent, MaskDef, Mode};
use crate::ui::keymap::Context;
use crate::ui::list::{Column, LineCommand, ListEvent, ListRow, ListView, VecSource};
use crate::ui::screen::{Env, Input, Nav, RenderCx, Screen};

/// What a query mask asks and shows.
pub trait Abfrage {
    fn mask(&self) -> MaskDef;
    /// Rows of the selection form (the list starts below them).
    fn form_rows(&self) -> u16 {
        1
    }
    fn columns(&self) -> Vec<Column>;
    fn line_commands(&self) -> Vec<LineCommand>;
    /// Fill the form's defaults (e.g. the current year).
    fn defaults(&self, form: &mut Form, env: &mut Env);
    /// Run the query: the rows and the message for the message line.
    fn rows(&self, form: &Form, env: &mut Env) -> Result<(Vec<ListRow>, String)>;
    /// A line command on a row.
    fn line_command(&self, c: char, key: &str, form: &Form, env: &mut Env) -> Nav;
}

pub struct AbfrageScreen<A: Abfrage> {
    abfrage: A,
    form: Form,
    list: ListView,
    in_list: bool,
}

impl<A: Abfrage> AbfrageScreen<A> {
    pub fn new(abfrage: A, env: &mut Env) -> Result<Self> {
        let mut form = Form::new(abfrage.mask(), Mode::Neu);
        abfrage.defaults(&mut form, env);
        form.mark_clean();
        let list = ListView::new(
            abfrage.columns(),
            abfrage.line_commands(),
            Box::new(VecSource(Vec::new())),
        )?;
        Ok(AbfrageScreen {
            abfrage,
            form,
            list,
            in_list: false,
        })
    }

    fn query(&mut self, env: &mut Env) {
        match self.abfrage.rows(&self.form, env).and_then(|(rows, msg)| {
            self.list.set_source(Box::new(VecSource(rows)))?;
            Ok(msg)
        }) {
            Ok(msg) => {
                self.in_list = self.list.total() > 0;
                env.info(msg);
            }
            Err(e) => {
                if let Some(k) = e.field_key() {
                    self.form.fail(k);
                }
                env.fail(&e);
            }
        }
    }
}

impl<A: Abfrage> Screen for AbfrageScreen<A> {
    fn code(&self) -> &str {
        self.form.def.code
    }

    fn title(&self) -> String {
        self.form.def.title.into()
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
        vec![self.form.def.help.to_string()]
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if input == Input::Cmd(Command::Refresh) {
            self.query(env);
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
                ListEvent::Commands(cmds) => {
                    for (c, key) in cmds {
                        let nav = self.abfrage.line_command(c, &key, &self.form, env);
                        if !matches!(nav, Nav::Stay) {
                            return nav;
                        }
                    }
                    Nav::Stay
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
                Input::Paste(t) => self.form.paste(&t, env.codes),
                Input::Cmd(Command::CursorDown) if self.list.total() > 0 => {
                    self.in_list = true;
                    FormEvent::Handled
                }
                Input::Cmd(cmd) => self.form.command(cmd, env.codes),
                _ => FormEvent::Ignored,
            };
            match ev {
                FormEvent::Submit => self.query(env),
                FormEvent::Invalid(m) => env.error(m),
                _ => {}
            }
            Nav::Stay
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        let h = self.abfrage.form_rows();
        let form_area = Rect::new(area.x, area.y, area.width, h.min(area.height));
        let list_area = Rect::new(
            area.x,
            area.y + h + 1,
            area.width,
            area.height.saturating_sub(h + 1),
        );
        // The part with the focus is drawn last, so the cursor is there.
        if self.in_list {
            self.form.render(frame, form_area, cx.theme, cx.codes);
            self.list.render(frame, list_area, cx.theme);
        } else {
            self.list.render(frame, list_area, cx.theme);
            self.form.render(frame, form_area, cx.theme, cx.codes);
        }
    }
}
