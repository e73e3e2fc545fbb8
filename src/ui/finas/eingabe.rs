//! FINAS input masks (FIN110, FIN210, FIN220, FIN230): one form, F10 hands
//! it to the service, the message line shows the service's answer (with
//! the budget check result as a warning where the service returns one).
//! An [`Eingabe`] only declares its fields and which service it calls.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::core::error::Result;
use crate::core::roles::Role;
use crate::ui::command::Command;
use crate::ui::form::{Form, FormEvent, MaskDef, Mode};
use crate::ui::keymap::Context;
use crate::ui::screen::{Env, Input, Nav, RenderCx, Screen};

/// The answer of a service for the message line.
pub enum Meldung {
    Info(String),
    Warnung(String),
}

/// What an input mask asks and which service it calls.
pub trait Eingabe {
    fn mask(&self) -> MaskDef;
    /// The roles of which saving (F10) and every changing further command
    /// need one: they are offered only with it; the service checks again.
    fn roles(&self) -> &'static [Role];
    /// Fill the form's defaults (e.g. the current year).
    fn defaults(&self, form: &mut Form, env: &mut Env);
    /// F10: call the service with the form's content.
    fn speichern(&self, form: &mut Form, env: &mut Env) -> Result<Meldung>;
    /// Further commands of the mask (e.g. F11 new plan version), shown in the legend.
    fn zusatz(&self) -> Vec<Command> {
        Vec::new()
    }
    /// Whether a further command only reads (then it needs no [`Eingabe::roles`]).
    fn liest(&self, cmd: Command) -> bool {
        cmd == Command::Refresh
    }
    /// Run one of the [`Eingabe::zusatz`] commands.
    fn ausfuehren(&self, cmd: Command, _form: &mut Form, _env: &mut Env) -> Result<Meldung> {
        Err(crate::core::error::KisError::validation(format!(
            "{} gibt es in dieser Maske nicht.",
            cmd.label().unwrap_or(cmd.name())
        )))
    }
}

pub fn open<E: Eingabe + 'static>(e: E, env: &mut Env) -> Result<Box<dyn Screen>> {
    Ok(open_mit(e, env, &[]))
}

/// Open an input mask with some fields filled in (e.g. the position of a
/// FIN200 line). Then the cursor starts in the first empty required field,
/// else in the first empty field after the last one filled in.
pub fn open_mit<E: Eingabe + 'static>(
    e: E,
    env: &mut Env,
    werte: &[(&str, &str)],
) -> Box<dyn Screen> {
    let mut form = Form::new(e.mask(), Mode::Neu);
    e.defaults(&mut form, env);
    for (key, wert) in werte {
        form.set(key, wert);
    }
    form.mark_clean();
    if !werte.is_empty() {
        let fields = &form.def.fields;
        let leer = |i: &usize| form.opt(fields[*i].key).is_none();
        let nach = fields
            .iter()
            .rposition(|f| werte.iter().any(|(k, _)| *k == f.key))
            .map_or(0, |i| i + 1);
        let ziel = (0..fields.len())
            .filter(leer)
            .find(|i| fields[*i].required)
            .or_else(|| (nach..fields.len()).find(leer))
            .map(|i| fields[i].key);
        if let Some(key) = ziel {
            form.focus_key(key);
        }
    }
    let darf = env.session.require(e.roles()).is_ok();
    Box::new(EingabeScreen { e, form, darf })
}

struct EingabeScreen<E> {
    e: E,
    form: Form,
    /// Whether the user holds one of the mask's roles (fixed at opening).
    darf: bool,
}

impl<E: Eingabe> EingabeScreen<E> {
    /// Refuse a changing command without the role (message names it).
    fn verweigert(&self, env: &mut Env, was: &str) -> bool {
        !env.darf(self.e.roles(), was)
    }

    fn answer(&mut self, r: Result<Meldung>, env: &mut Env) {
        match r {
            Ok(m) => {
                self.form.mark_clean();
                match m {
                    Meldung::Info(t) => env.info(t),
                    Meldung::Warnung(t) => env.warn(t),
                }
            }
            Err(e) => {
                self.form.report(&e, env);
            }
        }
    }
}

impl<E: Eingabe> Screen for EingabeScreen<E> {
    fn code(&self) -> &str {
        self.form.def.code
    }

    fn title(&self) -> String {
        self.form.def.title.into()
    }

    fn mode(&self) -> Option<Mode> {
        Some(Mode::Neu)
    }

    fn context(&self) -> Context {
        self.form.context()
    }

    fn commands(&self) -> Vec<Command> {
        let mut c = if self.darf {
            vec![Command::Save, Command::Cancel]
        } else {
            vec![Command::Cancel]
        };
        c.extend(
            self.e
                .zusatz()
                .into_iter()
                .filter(|cmd| self.darf || self.e.liest(*cmd)),
        );
        c
    }

    fn is_dirty(&self) -> bool {
        self.form.is_dirty()
    }

    fn help(&self) -> Vec<String> {
        vec![
            self.form.focused().help.to_string(),
            self.form.def.help.to_string(),
        ]
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        let ev = match input {
            Input::Char(c) => self.form.type_char(c, env.codes),
            Input::Paste(t) => self.form.paste(&t, env.codes),
            Input::Cmd(Command::Cancel) => {
                self.form.clear();
                self.e.defaults(&mut self.form, env);
                self.form.mark_clean();
                env.info("Eingaben verworfen.");
                return Nav::Stay;
            }
            // Without the role F10 is refused before the input is checked.
            Input::Cmd(Command::Save) if !self.darf => {
                self.verweigert(env, "Speichern");
                return Nav::Stay;
            }
            Input::Cmd(cmd) if self.e.zusatz().contains(&cmd) => {
                if !self.e.liest(cmd)
                    && self.verweigert(
                        env,
                        match cmd {
                            Command::New => "Anlegen",
                            c => c.label().unwrap_or("Diese Aktion"),
                        },
                    )
                {
                    return Nav::Stay;
                }
                let r = self.e.ausfuehren(cmd, &mut self.form, env);
                self.answer(r, env);
                return Nav::Stay;
            }
            Input::Cmd(Command::Submit) => self.form.command(Command::NextField, env.codes),
            Input::Cmd(cmd) => self.form.command(cmd, env.codes),
            _ => FormEvent::Ignored,
        };
        match ev {
            FormEvent::Save => {
                if self.verweigert(env, "Speichern") {
                    return Nav::Stay;
                }
                let r = self.e.speichern(&mut self.form, env);
                self.answer(r, env);
            }
            FormEvent::Invalid(m) => env.error(m),
            FormEvent::Ignored | FormEvent::Lookup(_) => return Nav::Ignored,
            FormEvent::Handled | FormEvent::Submit => {}
        }
        Nav::Stay
    }

    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        self.form.render(frame, area, cx.theme, cx.codes);
    }
}
