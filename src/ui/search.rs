//! Search masks with a hit list below (Personensuche, Straßenverzeichnis,
//! Schlüsseltabellen …): the search fields on top, Enter searches, the list
//! takes line commands. One engine for all of them; a mask only says how
//! to search and what its line commands open.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::command::Command;
use super::form::{Form, FormEvent, MaskDef, Mode};
use super::keymap::Context;
use super::list::{Column, LineCommand, ListEvent, ListSource, ListView, VecSource};
use super::screen::{Env, Input, Nav, RenderCx, Screen};
use super::theme::Severity;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;

pub trait Search {
    /// The search fields (their rows are the top of the body).
    fn mask(&self) -> MaskDef;
    fn columns(&self) -> Vec<Column>;
    fn line_commands(&self) -> Vec<LineCommand>;
    /// Preset search fields (e.g. the current year) when the mask opens.
    fn defaults(&self, _form: &mut Form, _env: &mut Env) {}
    /// Run the search with the form's values. A message the search puts on
    /// `env` (e.g. totals) replaces the [`Search::found`] message.
    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>>;
    /// The message after a search with `n` hits.
    fn found(&self, n: usize) -> String {
        format!("{n} Treffer.")
    }
    /// Carry out one line command (`letter`) on the record `key`; `form`
    /// holds the search input the hit came from.
    fn open(&mut self, env: &mut Env, letter: char, key: &str, form: &Form) -> Result<Nav>;
    /// Whether F11 creates a record here, and the roles of which creating
    /// needs one: F11 then calls [`Search::new_record`] and the legend offers
    /// it, but only to a user with the role (the service checks it again).
    fn creates(&self) -> Option<&'static [Role]> {
        None
    }
    /// F11: open the mask for a new record.
    fn new_record(&mut self, _env: &mut Env) -> Result<Nav> {
        Ok(Nav::Stay)
    }
    /// Whether ⟨save⟩ carries out the mask's action here (start a run, enter
    /// a record from the search fields), and the roles of which it needs
    /// one: the legend offers it only with the role, the service checks it
    /// again.
    fn saves(&self) -> Option<&'static [Role]> {
        None
    }
    /// ⟨save⟩: carry out the mask's action with the form's values (it may
    /// ask first or show a document); the list is searched again afterwards
    /// and the message of the action stays.
    fn save(&mut self, _env: &mut Env, _form: &mut Form) -> Result<Nav> {
        Ok(Nav::Stay)
    }
    /// The answer to a question asked by `open` or `save` (e.g. before deleting).
    fn confirmed(&mut self, _env: &mut Env, _tag: &'static str, _yes: bool) -> Result<()> {
        Ok(())
    }
    /// The answer with the form at hand, for an action that takes its
    /// values from the form or shows a document afterwards (e.g. a
    /// decision text); by default `confirmed`.
    fn answered(
        &mut self,
        env: &mut Env,
        _form: &mut Form,
        tag: &'static str,
        yes: bool,
    ) -> Result<Nav> {
        self.confirmed(env, tag, yes).map(|()| Nav::Stay)
    }
    /// Whether the search fields have selection lists (⟨lookup⟩ in the legend).
    fn lookups(&self) -> bool {
        true
    }
    /// Search right when the mask opens (small lists).
    fn search_on_open(&self) -> bool {
        true
    }
}

pub struct SearchScreen<S: Search> {
    search: S,
    form: Form,
    list: ListView,
    in_list: bool,
    /// Body rows taken by the search fields.
    top: u16,
    /// Whether this user may create a record here (F11 in the legend).
    may_create: bool,
    /// Whether this user may carry out the mask's action (F10 in the legend).
    may_save: bool,
}

impl<S: Search + 'static> SearchScreen<S> {
    pub fn open(mut search: S, env: &mut Env) -> Result<Box<dyn Screen>> {
        let mut form = Form::new(search.mask(), Mode::Neu);
        search.defaults(&mut form, env);
        form.mark_clean();
        let source: Box<dyn ListSource> = if search.search_on_open() {
            search.search(env, &form)?
        } else {
            Box::new(VecSource(Vec::new()))
        };
        let list = ListView::new(search.columns(), search.line_commands(), source)?;
        let top = form.def.fields.iter().map(|f| f.row).max().unwrap_or(0) + 2;
        let may_create = search
            .creates()
            .is_some_and(|roles| env.session.require(roles).is_ok());
        let may_save = search
            .saves()
            .is_some_and(|roles| env.session.require(roles).is_ok());
        Ok(Box::new(SearchScreen {
            may_create,
            may_save,
            search,
            form,
            list,
            in_list: false,
            top,
        }))
    }
}

impl<S: Search> SearchScreen<S> {
    fn run_search(&mut self, env: &mut Env) {
        match self
            .search
            .search(env, &self.form)
            .and_then(|src| self.list.set_source(src))
        {
            Ok(()) => {
                self.in_list = self.list.total() > 0;
                match env.take_message() {
                    Some((Severity::Info, m)) => env.info(m),
                    Some((Severity::Warning, m)) => env.warn(m),
                    Some((Severity::Error, m)) => env.error(m),
                    None => env.info(self.search.found(self.list.total())),
                }
            }
            Err(e) => {
                self.form.report(&e, env);
            }
        }
    }

    /// Search again with the same input (after a change through the list),
    /// keeping the message of the change (the search's own only without one).
    fn refresh(&mut self, env: &mut Env) {
        let kept = env.take_message();
        let r = self
            .search
            .search(env, &self.form)
            .and_then(|src| self.list.set_source(src));
        let own = env.take_message();
        match kept.or(own) {
            Some((Severity::Info, m)) => env.info(m),
            Some((Severity::Warning, m)) => env.warn(m),
            Some((Severity::Error, m)) => env.error(m),
            None => {}
        }
        if let Err(e) = r {
            env.fail(&e);
        }
    }

    /// ⟨save⟩: the mask's action, refused without the role; then the list
    /// shows the new state.
    fn save(&mut self, env: &mut Env) -> Nav {
        let Some(roles) = self.search.saves() else {
            return Nav::Ignored;
        };
        if !env.darf(roles, "Speichern") {
            return Nav::Stay;
        }
        match self.search.save(env, &mut self.form) {
            Ok(nav) => {
                self.form.mark_clean();
                self.refresh(env);
                nav
            }
            Err(e) => {
                self.form.report(&e, env);
                Nav::Stay
            }
        }
    }

    /// A refusal of a line command or an answer; one about a field of the
    /// mask (e.g. a reason the command takes from it) puts the cursor there.
    fn refuse(&mut self, e: &KisError, env: &mut Env) {
        if e.field_key()
            .is_some_and(|k| self.form.def.fields.iter().any(|f| f.key == k))
        {
            self.in_list = false;
            self.form.report(e, env);
        } else {
            env.fail(e);
        }
    }

    fn line_commands(&mut self, cmds: Vec<(char, String)>, env: &mut Env) -> Nav {
        // Top to bottom. Commands that stay in the list (e.g. a deletion that
        // asks first) run on; the first one that opens a mask ends the round.
        for (letter, key) in cmds {
            match self.search.open(env, letter, &key, &self.form) {
                Ok(Nav::Stay) => continue,
                Ok(nav) => return nav,
                Err(e) => {
                    self.refuse(&e, env);
                    return Nav::Stay;
                }
            }
        }
        self.refresh(env);
        Nav::Stay
    }
}

impl<S: Search> Screen for SearchScreen<S> {
    fn code(&self) -> &str {
        self.form.def.code
    }

    fn title(&self) -> String {
        self.form.def.title.to_string()
    }

    fn context(&self) -> Context {
        if self.in_list {
            Context::List
        } else {
            self.form.context()
        }
    }

    fn commands(&self) -> Vec<Command> {
        let mut c = vec![
            Command::Submit,
            Command::Refresh,
            Command::PageUp,
            Command::PageDown,
        ];
        if !self.in_list && self.search.lookups() {
            c.push(Command::Lookup);
        }
        if self.may_create {
            c.push(Command::New);
        }
        if self.may_save {
            c.push(Command::Save);
        }
        c
    }

    fn help(&self) -> Vec<String> {
        let f = self.form.focused();
        let mut lines = Vec::new();
        if !self.in_list && !f.help.is_empty() {
            lines.push(format!("{}: {}", f.label, f.help));
            lines.push(String::new());
        }
        lines.push(self.form.def.help.to_string());
        lines.push(format!("Zeilenbefehle: {}", self.list.legend()));
        lines
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        match input {
            Input::Confirmed { tag, yes } => {
                return match self.search.answered(env, &mut self.form, tag, yes) {
                    Ok(nav) => {
                        self.refresh(env);
                        nav
                    }
                    Err(e) => {
                        self.refuse(&e, env);
                        Nav::Stay
                    }
                };
            }
            Input::Cmd(Command::New) => {
                let Some(roles) = self.search.creates() else {
                    env.info("Hier kann kein neuer Datensatz angelegt werden.");
                    return Nav::Stay;
                };
                if !env.darf(roles, "Anlegen") {
                    return Nav::Stay;
                }
                return self.search.new_record(env).unwrap_or_else(|e| {
                    env.fail(&e);
                    Nav::Stay
                });
            }
            Input::Cmd(Command::Refresh) => {
                self.run_search(env);
                return Nav::Stay;
            }
            Input::Cmd(Command::Save) if self.in_list => return self.save(env),
            Input::Chosen { field, key } => {
                self.form.set(field, &key);
                self.form.focus_key(field);
                return Nav::Stay;
            }
            _ => {}
        }
        if self.in_list {
            let ev = match input {
                Input::Char(c) => self.list.type_char(c),
                Input::Cmd(Command::NextField | Command::PrevField) => {
                    self.in_list = false;
                    self.form.cursor_home();
                    ListEvent::Handled
                }
                Input::Cmd(Command::CursorUp) if self.list.cursor_index() == 0 => {
                    self.in_list = false;
                    self.form.cursor_home();
                    ListEvent::Handled
                }
                Input::Cmd(cmd) => self
                    .list
                    .command(cmd)
                    .unwrap_or_else(|e| ListEvent::Invalid(e.to_string())),
                _ => ListEvent::Ignored,
            };
            match ev {
                ListEvent::Commands(cmds) => self.line_commands(cmds, env),
                ListEvent::Invalid(m) => {
                    env.error(m);
                    Nav::Stay
                }
                ListEvent::Ignored => Nav::Ignored,
                _ => Nav::Stay,
            }
        } else {
            let last_field =
                self.form.focused().key == self.form.def.fields.last().map(|f| f.key).unwrap_or("");
            let ev = match input {
                Input::Char(c) => self.form.type_char(c, env.codes),
                Input::Paste(t) => self.form.paste(&t, env.codes),
                Input::Cmd(Command::NextField | Command::CursorDown)
                    if last_field && self.list.total() > 0 =>
                {
                    self.in_list = true;
                    FormEvent::Handled
                }
                Input::Cmd(cmd) => self.form.command(cmd, env.codes),
                _ => FormEvent::Ignored,
            };
            match ev {
                FormEvent::Submit => self.run_search(env),
                FormEvent::Invalid(m) => env.error(m),
                FormEvent::Lookup(field) => {
                    if let Some(list) = self.form.code_list(field) {
                        return Nav::Popup(super::screen::Popup::lookup(
                            format!("Auswahl {list}"),
                            field,
                            env.codes.entries(list),
                        ));
                    }
                    env.info("Für dieses Feld gibt es keine Auswahlliste.");
                }
                FormEvent::Save => return self.save(env),
                FormEvent::Ignored => return Nav::Ignored,
                FormEvent::Handled => {}
            }
            Nav::Stay
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        let top = self.top.min(area.height);
        let form_area = Rect::new(area.x, area.y, area.width, top);
        let list_area = Rect::new(area.x, area.y + top, area.width, area.height - top);
        // Whatever has the focus is drawn last: it places the cursor.
        if self.in_list {
            self.form.render(frame, form_area, cx.theme, cx.codes);
            self.list.render(frame, list_area, cx.theme);
        } else {
            self.list.render(frame, list_area, cx.theme);
            self.form.render(frame, form_area, cx.theme, cx.codes);
        }
    }
}
