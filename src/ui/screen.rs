//! The contract between the app shell and its screens (masks, lists, menus).
//! A screen gets named commands and typed characters, returns where to go
//! next, and draws itself; it never touches the terminal.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::command::Command;
use super::form::{CodeSource, Mode};
use super::keymap::Context;
use super::keyref;
pub use super::popup::Popup;
use super::theme::{Severity, Theme};
use crate::core::error::KisError;
use crate::core::roles::Role;
use crate::kernel::session::Session;

/// Input for a screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Cmd(Command),
    Char(char),
    Paste(String),
    /// A value chosen in a lookup list (F4) for the field with this key.
    Chosen {
        field: &'static str,
        key: String,
    },
    /// The answer to a question the screen asked with [`Popup::Confirm`].
    Confirmed {
        tag: &'static str,
        yes: bool,
    },
}

/// Where the app goes after a screen handled an input.
pub enum Nav {
    Stay,
    /// The input means nothing here (the screen did nothing with it). The
    /// app stays; a command a screen offers must never end here.
    Ignored,
    Push(Box<dyn Screen>),
    /// Close this screen (the app asks first if it is dirty, unless forced).
    Pop,
    Replace(Box<dyn Screen>),
    /// Open a transaction code (as if typed on the command line).
    Goto(String),
    Popup(Popup),
    Quit,
}

/// What a screen may use while handling input.
pub struct Env<'a> {
    pub session: &'a Session,
    pub codes: &'a dyn CodeSource,
    message: Option<(Severity, String)>,
}

impl<'a> Env<'a> {
    pub fn new(session: &'a Session, codes: &'a dyn CodeSource) -> Self {
        Env {
            session,
            codes,
            message: None,
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some((Severity::Info, text.into()));
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.message = Some((Severity::Warning, text.into()));
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some((Severity::Error, text.into()));
    }

    /// Whether the user holds one of `roles` (as `Session::require` decides);
    /// if not, the message line says what is not possible and which role is
    /// missing, short enough for the 80-column message line.
    pub fn darf(&mut self, roles: &[Role], was: &str) -> bool {
        if self.session.require(roles).is_ok() {
            return true;
        }
        let namen: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        self.error(format!(
            "{was} nicht möglich – es fehlt die Rolle {}.",
            namen.join(" oder ")
        ));
        false
    }

    /// Show an error from a service on the message line.
    pub fn fail(&mut self, err: &KisError) {
        self.error(error_text(err));
    }

    pub fn take_message(&mut self) -> Option<(Severity, String)> {
        self.message.take()
    }
}

/// An error from a service as the message line says it: a refused stale
/// save also names the key that reloads (the service cannot know it).
pub fn error_text(err: &KisError) -> String {
    match err {
        KisError::Stale { by } => format!(
            "Der Datensatz wurde inzwischen von {by} geändert. Bitte neu laden ({}); Ihre Eingaben bleiben sichtbar.",
            keyref::key(Command::Refresh)
        ),
        other => other.to_string(),
    }
}

/// What a screen may use while drawing.
pub struct RenderCx<'a> {
    pub theme: &'a Theme,
    pub codes: &'a dyn CodeSource,
}

pub trait Screen {
    /// Transaction code shown in the header (`KIS100`).
    fn code(&self) -> &str;
    fn title(&self) -> String;
    fn mode(&self) -> Option<Mode> {
        None
    }
    /// The keymap context for the current focus.
    fn context(&self) -> Context;
    /// The commands this screen offers now (they make up the footer legend).
    fn commands(&self) -> Vec<Command>;
    fn handle(&mut self, input: Input, env: &mut Env) -> Nav;
    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx);
    /// Unsaved input that leaving would lose.
    fn is_dirty(&self) -> bool {
        false
    }
    /// Help for the current field and then for the mask (F1).
    fn help(&self) -> Vec<String> {
        Vec::new()
    }
    /// Called once when the screen is closed (release record locks here).
    fn close(&mut self, _env: &mut Env) {}
    /// Called on every tick of the driver: look at background work (see
    /// [`crate::ui::job::Job`]). Returns whether work is still running, so
    /// the driver keeps ticking and redrawing.
    fn poll(&mut self, _env: &mut Env) -> bool {
        false
    }
}
