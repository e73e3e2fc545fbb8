//! A process mask: one form in entry mode; F10 runs the process through its
//! service and shows the resulting document (Meldebestätigung, Auskunft,
//! Meldebescheinigung) and empties the form for the next case. Used by EWO110-EWO190, EWO300 and EWO310.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::core::error::Result;
use crate::ui::command::Command;
use crate::ui::form::{Form, FormEvent, MaskDef, Mode};
use crate::ui::keymap::Context;
use crate::ui::screen::{Env, Input, Nav, Popup, RenderCx, Screen};

/// What a process produced.
pub struct Ausgang {
    pub meldung: String,
    /// Shown as a warning instead of an info (e.g. verspätete Anmeldung, refused Auskunft).
    pub warnung: bool,
    pub dokument: Option<(String, String)>,
}

impl Ausgang {
    /// A plain success message, no document.
    pub fn info(meldung: String) -> Ausgang {
        Ausgang {
            meldung,
            warnung: false,
            dokument: None,
        }
    }
}

pub type Aktion = fn(&mut Env, &Form) -> Result<Ausgang>;

pub struct VorgangScreen {
    form: Form,
    aktion: Aktion,
}

impl VorgangScreen {
    pub fn new(def: MaskDef, aktion: Aktion) -> Self {
        VorgangScreen {
            form: Form::new(def, Mode::Neu),
            aktion,
        }
    }

    /// Prefill a field (e.g. the Ordnungsmerkmal from the search list).
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.form.set(key, value);
        self
    }

    fn run(&mut self, env: &mut Env) -> Nav {
        match (self.aktion)(env, &self.form) {
            Ok(a) => {
                if a.warnung {
                    env.warn(a.meldung);
                } else {
                    env.info(a.meldung);
                }
                // Ready for the next case.
                self.form.clear();
                self.form.mark_clean();
                match a.dokument {
                    Some((title, text)) => Nav::Popup(Popup::document(title, &text)),
                    None => Nav::Stay,
                }
            }
            Err(e) => {
                self.form.report(&e, env);
                Nav::Stay
            }
        }
    }
}

impl Screen for VorgangScreen {
    fn code(&self) -> &str {
        self.form.def.code
    }

    fn title(&self) -> String {
        self.form.def.title.to_string()
    }

    fn mode(&self) -> Option<Mode> {
        Some(Mode::Neu)
    }

    fn context(&self) -> Context {
        self.form.context()
    }

    fn commands(&self) -> Vec<Command> {
        vec![Command::Save, Command::Cancel]
    }

    fn help(&self) -> Vec<String> {
        let f = self.form.focused();
        let mut lines = vec![format!("{}:", f.label)];
        if !f.help.is_empty() {
            lines.push(f.help.to_string());
        }
        lines.push(String::new());
        lines.push(self.form.def.help.to_string());
        lines
    }

    fn is_dirty(&self) -> bool {
        self.form.is_dirty()
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        let ev = match input {
            Input::Char(c) => self.form.type_char(c, env.codes),
            Input::Paste(t) => self.form.paste(&t, env.codes),
            Input::Chosen { field, key } => {
                self.form.set(field, &key);
                FormEvent::Handled
            }
            Input::Cmd(Command::Cancel) => {
                if self.form.is_dirty() {
                    self.form.clear();
                    env.info("Eingaben verworfen.");
                    FormEvent::Handled
                } else {
                    return Nav::Pop;
                }
            }
            Input::Cmd(cmd) => self.form.command(cmd, env.codes),
            Input::Confirmed { .. } => FormEvent::Handled,
        };
        match ev {
            FormEvent::Save => self.run(env),
            FormEvent::Submit => {
                let _ = self.form.command(Command::NextField, env.codes);
                env.info("Eingabe geprüft – ⟨save⟩ führt den Vorgang aus.");
                Nav::Stay
            }
            FormEvent::Invalid(m) => {
                env.error(m);
                Nav::Stay
            }
            FormEvent::Lookup(field) => {
                if let Some(list) = self.form.code_list(field) {
                    return Nav::Popup(Popup::lookup(
                        format!("Auswahl {list}"),
                        field,
                        env.codes.entries(list),
                    ));
                }
                env.info("Für dieses Feld gibt es keine Auswahlliste.");
                Nav::Stay
            }
            FormEvent::Handled => Nav::Stay,
            FormEvent::Ignored => Nav::Ignored,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        self.form.render(frame, area, cx.theme, cx.codes);
    }
}
