//! The login mask KIS000: user, password, Mandant. It checks the input and
//! asks the kernel to log in; what follows (the session, a message, help,
//! leaving) it reports to the app.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::command::Command;
use super::field::{FieldDef, FieldKind};
use super::form::{Form, FormEvent, MaskDef, Mode, NoCodes};
use super::keymap::Context;
use super::popup::Popup;
use super::theme::Theme;
use crate::core::clock::Clock;
use crate::kernel::auth;
use crate::kernel::session::Session;
use crate::store::Db;

fn login_mask() -> MaskDef {
    MaskDef {
        code: "KIS000",
        title: "Anmeldung",
        help: "Melden Sie sich mit Ihrem KIS-Benutzer und Kennwort an.",
        auto_skip: false,
        fields: vec![
            FieldDef::new("user", "Benutzer", 6, 20, 16, FieldKind::Upper)
                .required()
                .help("Ihr KIS-Benutzername, z. B. MEIER."),
            FieldDef::new("password", "Kennwort", 8, 20, 32, FieldKind::Secret)
                .required()
                .help("Ihr Kennwort. Groß- und Kleinschreibung zählt."),
            FieldDef::new("mandant", "Mandant", 10, 20, 8, FieldKind::Upper)
                .help("Nur nötig, wenn Sie für mehrere Gemeinden berechtigt sind."),
        ],
    }
}

/// What a command on the login mask led to.
pub enum LoginOutcome {
    Stay,
    /// Input refused or login failed: the message line says why.
    Refused(String),
    Help(Popup),
    /// The clerk leaves KIS from the login.
    Quit,
    LoggedIn(Session),
}

/// Where the login connects to and what it says about the client.
pub struct LoginTarget<'a> {
    pub db: &'a Db,
    pub clock: Arc<dyn Clock>,
    pub client: &'a str,
}

pub struct LoginScreen {
    form: Form,
}

impl LoginScreen {
    /// The mask, pre-filled with the user (the cursor then waits in the
    /// password) and the Mandant if they are known.
    pub fn new(user: Option<&str>, mandant: Option<&str>) -> Self {
        let mut form = Form::new(login_mask(), Mode::Neu);
        if let Some(u) = user {
            form.load("user", &u.to_uppercase());
            form.focus_key("password");
        }
        if let Some(m) = mandant {
            form.load("mandant", &m.to_uppercase());
        }
        LoginScreen { form }
    }

    pub fn context(&self) -> Context {
        self.form.context()
    }

    /// A typed character; `Some(message)` if the field refuses it.
    pub fn typed(&mut self, ch: char) -> Option<String> {
        match self.form.type_char(ch, &NoCodes) {
            FormEvent::Invalid(m) => Some(m),
            _ => None,
        }
    }

    /// Pasted text; `Some(message)` if the field refuses it.
    pub fn paste(&mut self, text: &str) -> Option<String> {
        match self.form.paste(text, &NoCodes) {
            FormEvent::Invalid(m) => Some(m),
            _ => None,
        }
    }

    pub fn command(&mut self, cmd: Command, target: LoginTarget) -> LoginOutcome {
        let form = &mut self.form;
        match form.command(cmd, &NoCodes) {
            FormEvent::Invalid(m) => LoginOutcome::Refused(m),
            FormEvent::Submit | FormEvent::Save => {
                if let Err(m) = form.check_all(&NoCodes) {
                    return LoginOutcome::Refused(m);
                }
                let mandant = form.opt("mandant");
                match auth::login(
                    target.db,
                    target.clock,
                    &form.get("user"),
                    &form.get("password"),
                    mandant.as_deref(),
                    target.client,
                ) {
                    Ok(session) => LoginOutcome::LoggedIn(session),
                    Err(e) => {
                        form.set("password", "");
                        form.fail("password");
                        LoginOutcome::Refused(e.to_string())
                    }
                }
            }
            FormEvent::Handled | FormEvent::Lookup(_) => LoginOutcome::Stay,
            FormEvent::Ignored => match cmd {
                Command::Back | Command::Cancel => LoginOutcome::Quit,
                Command::Help => {
                    let f = form.focused();
                    LoginOutcome::Help(Popup::Help {
                        title: "Hilfe – Anmeldung".into(),
                        lines: vec![f.help.to_string(), String::new(), form.def.help.to_string()],
                        top: 0,
                    })
                }
                _ => LoginOutcome::Stay,
            },
        }
    }

    pub fn render(&self, frame: &mut Frame, body: Rect, theme: &Theme) {
        let b = frame.buffer_mut();
        b.set_stringn(
            20,
            body.y + 1,
            "KIS – Kommunales Informationssystem",
            60,
            theme.header(),
        );
        b.set_stringn(
            20,
            body.y + 3,
            "Bitte melden Sie sich an.",
            60,
            Style::default(),
        );
        self.form.render(frame, body, theme, &NoCodes);
    }
}
