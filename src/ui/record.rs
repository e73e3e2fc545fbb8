//! One record in one mask, with the life cycle every master-data mask shares:
//! display → F2 change (takes the record lock) → F10 save (version checked)
//! or F12 discard; F5 reload; F9 history from the audit log; F4 lookups.
//! A domain mask only declares its fields and implements [`Record`].

use ratatui::Frame;
use ratatui::layout::Rect;

use super::command::Command;
use super::form::{Form, FormEvent, MaskDef, Mode};
use super::keymap::Context;
use super::screen::{Env, Input, Nav, Popup, RenderCx, Screen};
use crate::core::error::Result;
use crate::core::roles::Role;
use crate::kernel::audit::AuditEntry;
use crate::kernel::locks;

pub trait Record {
    fn def(&self) -> MaskDef;
    /// Entity name for locks and the audit log (`street`).
    fn entity(&self) -> &'static str;
    /// The roles of which changing (and creating) this record needs one.
    /// F2, F10 and F11 are offered and accepted only with one of them; the
    /// service checks the role again and stays the authority.
    fn change_roles(&self) -> &'static [Role];
    /// The record's entries in the audit log (F9), read through the
    /// procedure's service (which checks the reading role).
    fn history(&self, env: &mut Env, key: &str) -> Result<Vec<AuditEntry>>;
    /// Fill the form from the store (with `form.load`), remembering the version.
    fn load(&mut self, env: &mut Env, key: &str, form: &mut Form) -> Result<()>;
    /// Save the form's content; returns the record key and a success message.
    fn save(&mut self, env: &mut Env, form: &mut Form, mode: Mode) -> Result<(String, String)>;
    /// F4 on a field that is not a code field (code fields list their codes).
    fn lookup(&mut self, _env: &mut Env, _field: &'static str, _form: &Form) -> Option<Popup> {
        None
    }
    /// Lines shown in the alert style above the fields (e.g. Sperren).
    fn banner(&self) -> Vec<String> {
        Vec::new()
    }
    /// Whether this record may be changed at all (e.g. not a deceased person).
    fn may_change(&self, _env: &mut Env) -> Result<()> {
        Ok(())
    }
}

pub struct RecordScreen<R: Record> {
    rec: R,
    form: Form,
    key: Option<String>,
    locked: bool,
    /// Whether the user holds a role that may change this record (fixed at
    /// opening; decides the legend and whether F2 takes a lock).
    may_change: bool,
}

const RELOAD: &str = "record-reload";

impl<R: Record> RecordScreen<R> {
    /// Open an existing record for display, or an empty mask to create one.
    /// A new record needs the change role: without it the mask does not open.
    pub fn open(mut rec: R, env: &mut Env, key: Option<&str>) -> Result<Self> {
        let may_change = env.session.require(rec.change_roles()).is_ok();
        let mode = if key.is_some() {
            Mode::Anzeigen
        } else {
            env.session.require(rec.change_roles())?;
            Mode::Neu
        };
        let mut form = Form::new(rec.def(), mode);
        if let Some(k) = key {
            rec.load(env, k, &mut form)?;
        }
        Ok(RecordScreen {
            rec,
            form,
            key: key.map(str::to_string),
            locked: false,
            may_change,
        })
    }

    /// Open and switch straight to change mode (line command `Ä`).
    pub fn open_for_change(rec: R, env: &mut Env, key: &str) -> Result<Self> {
        let mut s = Self::open(rec, env, Some(key))?;
        s.start_change(env);
        Ok(s)
    }

    fn start_change(&mut self, env: &mut Env) {
        let Some(key) = self.key.clone() else { return };
        // Without the change role: refuse before any lock is taken.
        if !env.darf(self.rec.change_roles(), "Ändern") {
            return;
        }
        if let Err(e) = self.rec.may_change(env) {
            env.fail(&e);
            return;
        }
        match locks::acquire(env.session, self.rec.entity(), &key) {
            Ok(()) => {
                self.locked = true;
                // Reload under the lock so the clerk edits the latest version.
                if let Err(e) = self.rec.load(env, &key, &mut self.form) {
                    env.fail(&e);
                }
                self.form.set_mode(Mode::Aendern);
            }
            Err(e) => env.warn(e.to_string()),
        }
    }

    fn unlock(&mut self, env: &mut Env) {
        if self.locked
            && let Some(k) = &self.key
        {
            let _ = locks::release(env.session, self.rec.entity(), k);
            self.locked = false;
        }
    }

    fn reload(&mut self, env: &mut Env) {
        if let Some(k) = self.key.clone() {
            match self.rec.load(env, &k, &mut self.form) {
                Ok(()) => env.info("Daten neu geladen."),
                Err(e) => env.fail(&e),
            }
        }
    }

    fn save(&mut self, env: &mut Env) -> Nav {
        let mode = self.form.mode();
        match self.rec.save(env, &mut self.form, mode) {
            Ok((key, msg)) => {
                self.unlock(env);
                self.key = Some(key.clone());
                let _ = self.rec.load(env, &key, &mut self.form);
                self.form.mark_clean();
                self.form.set_mode(Mode::Anzeigen);
                env.info(msg);
            }
            Err(e) => {
                self.form.report(&e, env);
            }
        }
        Nav::Stay
    }

    fn history(&self, env: &mut Env) -> Nav {
        let Some(key) = self.key.as_deref() else {
            env.info("Der Datensatz ist noch nicht gespeichert – keine Historie.");
            return Nav::Stay;
        };
        match self.rec.history(env, key) {
            Ok(entries) => {
                let mut lines = vec![format!(
                    "{:<19} {:<8} {:<12} Inhalt",
                    "Zeitpunkt", "Benutzer", "Vorgang"
                )];
                for e in entries {
                    let content = e.after.or(e.before).unwrap_or_default();
                    lines.push(format!(
                        "{:<19} {:<8} {:<12} {}",
                        e.at.replace('T', " "),
                        e.user,
                        e.action,
                        content
                    ));
                }
                Nav::Popup(Popup::Help {
                    title: format!("Historie {key}"),
                    lines,
                    top: 0,
                })
            }
            Err(e) => {
                env.fail(&e);
                Nav::Stay
            }
        }
    }
}

impl<R: Record> Screen for RecordScreen<R> {
    fn code(&self) -> &str {
        self.form.def.code
    }

    fn title(&self) -> String {
        self.form.def.title.to_string()
    }

    fn mode(&self) -> Option<Mode> {
        Some(self.form.mode())
    }

    fn context(&self) -> Context {
        self.form.context()
    }

    fn commands(&self) -> Vec<Command> {
        match self.form.mode() {
            Mode::Anzeigen if self.may_change => {
                vec![Command::Change, Command::Refresh, Command::History]
            }
            Mode::Anzeigen => vec![Command::Refresh, Command::History],
            Mode::Aendern => vec![
                Command::Lookup,
                Command::Save,
                Command::Cancel,
                Command::Refresh,
            ],
            Mode::Neu => vec![Command::Lookup, Command::Save, Command::Cancel],
        }
    }

    fn help(&self) -> Vec<String> {
        let f = self.form.focused();
        let mut lines = vec![format!("{}:", f.label)];
        if !f.help.is_empty() {
            lines.push(f.help.to_string());
        }
        if f.required {
            lines.push("Pflichtfeld.".into());
        }
        lines.push(String::new());
        lines.push(self.form.def.help.to_string());
        lines
    }

    fn is_dirty(&self) -> bool {
        self.form.mode() != Mode::Anzeigen && self.form.is_dirty()
    }

    fn close(&mut self, env: &mut Env) {
        self.unlock(env);
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        let ev = match input {
            Input::Char(c) => self.form.type_char(c, env.codes),
            Input::Paste(t) => self.form.paste(&t, env.codes),
            Input::Chosen { field, key } => {
                self.form.set(field, &key);
                self.form.focus_key(field);
                FormEvent::Handled
            }
            Input::Confirmed { tag: RELOAD, yes } => {
                if yes {
                    self.reload(env);
                }
                FormEvent::Handled
            }
            Input::Confirmed { .. } => FormEvent::Handled,
            Input::Cmd(Command::Change) => {
                if self.form.mode() == Mode::Anzeigen {
                    self.start_change(env);
                }
                FormEvent::Handled
            }
            Input::Cmd(Command::Save) if self.form.mode() == Mode::Anzeigen && !self.may_change => {
                env.darf(self.rec.change_roles(), "Speichern");
                FormEvent::Handled
            }
            Input::Cmd(Command::History) => return self.history(env),
            Input::Cmd(Command::Refresh) => {
                if self.form.is_dirty() && self.form.mode() != Mode::Anzeigen {
                    return Nav::Popup(Popup::confirm(
                        "Eingaben verwerfen und neu laden? (J/N)",
                        RELOAD,
                    ));
                }
                self.reload(env);
                FormEvent::Handled
            }
            Input::Cmd(Command::Cancel) => {
                match self.form.mode() {
                    Mode::Aendern => {
                        self.unlock(env);
                        self.reload(env);
                        self.form.set_mode(Mode::Anzeigen);
                        env.info("Änderungen verworfen.");
                    }
                    Mode::Neu if self.form.is_dirty() => {
                        self.form.clear();
                        env.info("Eingaben verworfen.");
                    }
                    _ => return Nav::Pop,
                }
                FormEvent::Handled
            }
            Input::Cmd(cmd) => self.form.command(cmd, env.codes),
        };
        match ev {
            FormEvent::Handled => Nav::Stay,
            FormEvent::Ignored => Nav::Ignored,
            FormEvent::Invalid(m) => {
                env.error(m);
                Nav::Stay
            }
            FormEvent::Submit => {
                if self.form.mode() == Mode::Anzeigen && !self.may_change {
                    env.info("Nur Anzeige – Ändern ist mit Ihren Rollen nicht möglich.");
                } else if self.form.mode() == Mode::Anzeigen {
                    env.info("Anzeige – ⟨change⟩ schaltet auf Ändern.");
                } else {
                    let _ = self.form.command(Command::NextField, env.codes);
                    env.info("Eingabe geprüft – ⟨save⟩ speichert.");
                }
                Nav::Stay
            }
            FormEvent::Save => self.save(env),
            FormEvent::Lookup(field) => match self.form.code_list(field) {
                Some(list) => {
                    let entries = env.codes.entries(list);
                    if entries.is_empty() {
                        env.info(format!("Schlüsseltabelle {list} ist leer."));
                        Nav::Stay
                    } else {
                        Nav::Popup(Popup::lookup(format!("Auswahl {list}"), field, entries))
                    }
                }
                _ => match self.rec.lookup(env, field, &self.form) {
                    Some(p) => Nav::Popup(p),
                    None => {
                        env.info("Für dieses Feld gibt es keine Auswahlliste.");
                        Nav::Stay
                    }
                },
            },
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        let banner = self.rec.banner();
        let buf = frame.buffer_mut();
        for (i, line) in banner.iter().enumerate().take(2) {
            let text = format!("{:<w$}", format!(" !! {line}"), w = area.width as usize);
            buf.set_stringn(
                area.x,
                area.y + i as u16,
                crate::core::sanitize::sanitize_line(&text),
                area.width as usize,
                cx.theme.alert(),
            );
        }
        let skip = banner.len().min(2) as u16;
        let body = Rect::new(area.x, area.y + skip, area.width, area.height - skip);
        self.form.render(frame, body, cx.theme, cx.codes);
    }
}
