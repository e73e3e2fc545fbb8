//! The app shell: the screen stack, navigation and the command line; the
//! login mask (`login.rs`), the windows (`popup.rs`) and the frame around
//! the masks (`chrome.rs`) are their own types. Key events in, frames out —
//! no terminal I/O, so the same app runs in a local terminal, in an SSH
//! channel and in tests.

use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{Event, KeyCode};
use ratatui::Frame;
use ratatui::widgets::Paragraph;

use super::chrome::{self, Chrome, Header};
use super::command::Command;
use super::field::LineEdit;
use super::form::CodeSource;
use super::keymap::{Context, Keymap};
use super::keyref;
use super::keys::{Decoded, EscDecoder, KeyChord};
use super::login::{LoginOutcome, LoginScreen, LoginTarget};
use super::menu::MenuScreen;
use super::popup::PopupOutcome;
use super::registry::{self, Menu, Target};
use super::screen::{Env, Input, Nav, Popup, RenderCx, Screen, error_text};
use super::theme::{Severity, Theme};
use crate::core::clock::Clock;
use crate::core::date::format_date_de;
use crate::core::sanitize::sanitize_line;
use crate::kernel::auth;
use crate::kernel::codes::CodeCache;
use crate::kernel::session::Session;
use crate::store::Db;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// How the app was started.
pub struct AppConfig {
    pub keymap: Keymap,
    pub theme: Theme,
    /// Transaction code to open right after login (`--goto`).
    pub goto: Option<String>,
    /// Pre-filled user name (`--user` or the login name).
    pub user: Option<String>,
    /// Mandant to work in, when the user has roles in several.
    pub mandant: Option<String>,
    /// Where the clerk connects from (for the session list).
    pub client: String,
}

enum State {
    Login(Box<LoginScreen>),
    Running {
        session: Box<Session>,
        codes: CodeCache,
        stack: Vec<Box<dyn Screen>>,
    },
}

pub struct App {
    db: Db,
    clock: Arc<dyn Clock>,
    cfg: AppConfig,
    menus: Vec<Menu>,
    decoder: EscDecoder,
    state: State,
    message: Option<(Severity, String)>,
    popup: Option<Popup>,
    cmdline: LineEdit,
    cmd_focus: bool,
    quit: bool,
    /// Set by Ctrl-L; the driver clears the terminal before the next draw.
    pub full_redraw: bool,
    busy: bool,
    /// When the driver must look at the background work next (while `busy`).
    next_poll: Option<Instant>,
    /// The last command the screen on top did nothing with.
    ignored: Option<Command>,
}

/// How often the driver ticks while a screen has background work.
pub const BUSY_TICK: std::time::Duration = std::time::Duration::from_millis(100);

const LEAVE: &str = "__leave";
const BUSY_LEAVE: &str = "Eine Verarbeitung läuft noch – bitte bis zu ihrem Ende warten.";
const QUIT: &str = "__quit";

impl App {
    pub fn new(db: Db, clock: Arc<dyn Clock>, cfg: AppConfig) -> App {
        let login = LoginScreen::new(cfg.user.as_deref(), cfg.mandant.as_deref());
        App {
            db,
            clock,
            menus: registry::menus(),
            cfg,
            decoder: EscDecoder::default(),
            state: State::Login(Box::new(login)),
            message: None,
            popup: None,
            cmdline: LineEdit::default(),
            cmd_focus: false,
            quit: false,
            full_redraw: false,
            busy: false,
            next_poll: None,
            ignored: None,
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn session(&self) -> Option<&Session> {
        match &self.state {
            State::Running { session, .. } => Some(session),
            State::Login(_) => None,
        }
    }

    /// The code of the mask on top (for the session list).
    pub fn current_code(&self) -> &str {
        match &self.state {
            State::Login(_) => "KIS000",
            State::Running { stack, .. } => stack.last().map(|s| s.code()).unwrap_or("KIS000"),
        }
    }

    /// When the driver must call [`App::tick`] next: a pending lone Esc, or
    /// every [`BUSY_TICK`] while a screen has background work (its progress
    /// and its result show without a key being pressed).
    pub fn deadline(&self) -> Option<Instant> {
        match (self.decoder.deadline(), self.next_poll) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Let time pass: a lone `Esc` is dispatched once its wait is over, and
    /// the screen on top looks at its background work.
    pub fn tick(&mut self, now: Instant) {
        if let Some(chord) = self.decoder.flush(now) {
            self.dispatch(chord);
        }
        self.poll_top(now);
    }

    /// The screen on top looks at its background work; while it runs, the
    /// next look is due after [`BUSY_TICK`].
    fn poll_top(&mut self, now: Instant) {
        self.busy = false;
        if let State::Running {
            session,
            codes,
            stack,
        } = &mut self.state
            && let Some(top) = stack.last_mut()
        {
            let mut env = Env::new(session, codes);
            self.busy = top.poll(&mut env);
            if let Some(m) = env.take_message() {
                self.message = Some(m);
            }
        }
        self.next_poll = self.busy.then(|| now + BUSY_TICK);
    }

    /// Whether a screen has background work running (the driver then ticks
    /// every [`BUSY_TICK`] to show its progress).
    pub fn busy(&self) -> bool {
        self.busy
    }

    /// Feed one terminal event.
    pub fn handle_event(&mut self, ev: &Event, now: Instant) {
        match ev {
            Event::Key(k) => match self.decoder.feed(k, now) {
                Decoded::Pending => {}
                Decoded::One(c) => self.dispatch(c),
                Decoded::Two(a, b) => {
                    self.dispatch(a);
                    self.dispatch(b);
                }
            },
            Event::Paste(text) => self.paste(text),
            _ => {}
        }
        // A key may have started background work: the driver ticks from now on.
        self.poll_top(now);
    }

    /// The last command the screen on top did nothing with (a screen must
    /// handle every command it offers; the tests walk the masks with this).
    pub fn ignored(&self) -> Option<Command> {
        self.ignored
    }

    /// Whether a window (help, lookup, question, document) is open.
    pub fn popup_open(&self) -> bool {
        self.popup.is_some()
    }

    /// The active keymap (texts name its keys; the SSH session's own
    /// overlays ask it too).
    pub fn keymap(&self) -> &Keymap {
        &self.cfg.keymap
    }

    fn context(&self) -> Context {
        if self.popup.is_some() {
            return Context::Popup;
        }
        if self.cmd_focus {
            return Context::CmdLine;
        }
        self.screen_context()
    }

    /// The context of the screen itself (below any popup or the command
    /// line): the keys a message or help text names are the screen's keys.
    fn screen_context(&self) -> Context {
        match &self.state {
            State::Login(f) => f.context(),
            State::Running { stack, .. } => {
                stack.last().map(|s| s.context()).unwrap_or(Context::Menu)
            }
        }
    }

    fn dispatch(&mut self, chord: KeyChord) {
        let ctx = self.context();
        let cmd = self.cfg.keymap.lookup(ctx, &chord);
        match (cmd, chord.as_char()) {
            (Some(c), _) => self.command(c),
            (None, Some(ch)) => self.typed(ch),
            (None, None) => {
                if !matches!(chord.code, KeyCode::Modifier(_) | KeyCode::Null) {
                    self.message = Some((
                        Severity::Info,
                        format!("Taste {chord} ist hier nicht belegt."),
                    ));
                }
            }
        }
    }

    fn paste(&mut self, text: &str) {
        if self.popup.is_some() {
            return;
        }
        if self.cmd_focus {
            let clean: String = text.chars().filter(|c| !c.is_control()).collect();
            self.cmdline.type_str(&clean, false, 60);
            return;
        }
        match &mut self.state {
            State::Login(l) => {
                if let Some(m) = l.paste(text) {
                    self.message = Some((Severity::Error, m));
                }
            }
            State::Running { .. } => self.deliver(Input::Paste(text.to_string())),
        }
    }

    fn typed(&mut self, ch: char) {
        if let Some(p) = &self.popup {
            let outcome = p.typed(ch);
            self.popup_outcome(outcome);
            return;
        }
        if self.cmd_focus {
            if !ch.is_control() {
                self.cmdline.type_str(&ch.to_string(), false, 60);
            }
            return;
        }
        match &mut self.state {
            State::Login(l) => {
                if let Some(m) = l.typed(ch) {
                    self.message = Some((Severity::Error, m));
                }
            }
            State::Running { .. } => self.deliver(Input::Char(ch)),
        }
    }

    fn command(&mut self, cmd: Command) {
        let previous = self.message.take();
        match cmd {
            Command::Redraw => {
                self.full_redraw = true;
                return;
            }
            // Leaving would lose the result of the work still running.
            Command::Exit | Command::Back | Command::CommandLine
                if self.busy && self.popup.is_none() =>
            {
                self.message = Some((Severity::Warning, BUSY_LEAVE.to_string()));
                return;
            }
            Command::Exit => {
                self.request_quit();
                return;
            }
            _ => {}
        }
        if self.popup.is_some() {
            // Closing a window (help, lookup) keeps the message it was opened over.
            self.message = previous;
            self.popup_command(cmd);
            return;
        }
        if self.cmd_focus {
            if cmd == Command::Help {
                self.show_help(previous);
            } else {
                self.cmdline_command(cmd);
            }
            return;
        }
        match &mut self.state {
            State::Login(_) => self.login_command(cmd),
            State::Running { .. } => match cmd {
                Command::CommandLine => {
                    self.cmd_focus = true;
                    self.cmdline.end(60);
                }
                Command::Back => self.leave_screen(),
                Command::Help => self.show_help(previous),
                _ => self.deliver(Input::Cmd(cmd)),
            },
        }
    }

    /// F1: the last message whole, the screen's help, and the keys of the context.
    fn show_help(&mut self, previous: Option<(Severity, String)>) {
        let State::Running { stack, .. } = &self.state else {
            return;
        };
        let top = stack.last();
        let mut lines = Vec::new();
        // The last message first, whole (the message line may have cut it).
        if let Some((sev, text)) = &previous {
            lines.push(format!("Letzte Meldung – {}", sev.prefix().trim_end()));
            let text = self.cfg.keymap.render_text(self.screen_context(), text);
            lines.extend(wrap(&text, 64));
            lines.push(String::new());
        }
        self.message = previous;
        lines.extend(top.map(|s| s.help()).unwrap_or_default());
        let ctx = top.map(|s| s.context()).unwrap_or(Context::Menu);
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push("Tasten in dieser Maske:".into());
        // The same commands as the legend (plus the editing keys without a
        // label, which the engine handles everywhere): F1 offers nothing
        // the legend does not.
        let offered = self.offered();
        let bindings = self.cfg.keymap.bindings(ctx);
        let shown = bindings
            .into_iter()
            .filter(|(_, c)| c.label().is_none() || *c == Command::Exit || offered.contains(c));
        for (k, c) in shown {
            let key = match k.esc_fallback() {
                Some(esc) => format!("{k} ({esc})"),
                None => k.to_string(),
            };
            lines.push(format!("  {key:<12} {}", c.doc()));
        }
        lines.push("  (Esc Ziffer: für Terminals ohne Funktionstasten)".into());
        let title = top
            .map(|s| format!("Hilfe – {}", s.title()))
            .unwrap_or_default();
        self.popup = Some(Popup::Help {
            title,
            lines,
            top: 0,
        });
    }

    /// The commands the screen on top offers, with those the app itself
    /// handles on every screen: the footer legend and F1 show these.
    fn offered(&self) -> Vec<Command> {
        match &self.state {
            State::Login(_) => vec![Command::Help, Command::Back],
            State::Running { stack, .. } => {
                let mut c = stack.last().map(|s| s.commands()).unwrap_or_default();
                c.extend([Command::Help, Command::Back, Command::CommandLine]);
                c
            }
        }
    }

    fn request_quit(&mut self) {
        let dirty = match &self.state {
            State::Running { stack, .. } => stack.iter().any(|s| s.is_dirty()),
            State::Login(_) => false,
        };
        if dirty {
            self.popup = Some(Popup::confirm(
                "Es gibt ungesicherte Änderungen. KIS trotzdem beenden? (J/N)",
                QUIT,
            ));
        } else {
            self.shutdown();
        }
    }

    fn leave_screen(&mut self) {
        let State::Running { stack, .. } = &mut self.state else {
            return;
        };
        match stack.last() {
            Some(s) if s.is_dirty() => {
                self.popup = Some(Popup::confirm(
                    "Ungesicherte Änderungen verwerfen und die Maske verlassen? (J/N)",
                    LEAVE,
                ));
            }
            Some(_) if stack.len() > 1 => self.pop_screen(),
            _ => {
                self.popup = Some(Popup::confirm("KIS beenden? (J/N)", QUIT));
            }
        }
    }

    fn pop_screen(&mut self) {
        let State::Running {
            session,
            codes,
            stack,
        } = &mut self.state
        else {
            return;
        };
        if let Some(mut s) = stack.pop() {
            let mut env = Env::new(session, codes);
            s.close(&mut env);
        }
        if stack.is_empty() {
            stack.push(Box::new(MenuScreen::main(&self.menus)));
        }
    }

    /// Close every screen (releasing locks) and end the session.
    pub fn shutdown(&mut self) {
        if let State::Running {
            session,
            codes,
            stack,
        } = &mut self.state
        {
            let mut env = Env::new(session, codes);
            while let Some(mut s) = stack.pop() {
                s.close(&mut env);
            }
            // The session row and its locks go now; if this fails (store gone)
            // they expire by themselves.
            let _ = auth::end_session(session);
        }
        self.quit = true;
    }

    /// Record that the session is alive (the driver calls this now and then)
    /// so that its locks do not expire; and remember the mask for KIS910.
    pub fn heartbeat(&mut self) {
        let code = self.current_code().to_string();
        if let State::Running { session, .. } = &self.state {
            let _ = auth::heartbeat(session, &code);
        }
    }

    fn answer(&mut self, tag: &'static str, yes: bool) {
        self.popup = None;
        match tag {
            LEAVE => {
                if yes {
                    self.pop_screen();
                }
            }
            QUIT => {
                if yes {
                    self.shutdown();
                }
            }
            _ => self.deliver(Input::Confirmed { tag, yes }),
        }
    }

    fn popup_command(&mut self, cmd: Command) {
        if let Some(popup) = &mut self.popup {
            let outcome = popup.command(cmd);
            self.popup_outcome(outcome);
        }
    }

    /// Act on what the open window reports.
    fn popup_outcome(&mut self, outcome: PopupOutcome) {
        match outcome {
            PopupOutcome::Open => {}
            PopupOutcome::Closed => self.popup = None,
            PopupOutcome::Answer { tag, yes } => self.answer(tag, yes),
            PopupOutcome::Chosen { field, key } => {
                self.popup = None;
                self.deliver(Input::Chosen { field, key });
            }
            PopupOutcome::NotAnAnswer => {
                self.message = Some((
                    Severity::Info,
                    "Bitte J (ja) oder N (nein) eingeben.".into(),
                ))
            }
        }
    }

    fn cmdline_command(&mut self, cmd: Command) {
        match cmd {
            Command::Submit => {
                let text = self.cmdline.text.trim().to_string();
                if text.is_empty() {
                    self.cmd_focus = false;
                    return;
                }
                // Cleared after every command; a refusal names what was typed.
                self.cmdline = LineEdit::default();
                if self.goto(&text) {
                    self.cmd_focus = false;
                }
            }
            Command::NextField | Command::Cancel => self.cmd_focus = false,
            Command::CursorLeft => self.cmdline.left(),
            Command::CursorRight => self.cmdline.right(61),
            Command::Home => self.cmdline.home(),
            Command::End => self.cmdline.end(61),
            Command::Backspace => self.cmdline.backspace(),
            Command::DeleteChar => self.cmdline.delete(),
            Command::CommandLine => self.cmd_focus = false,
            Command::Back => {
                self.cmd_focus = false;
                self.leave_screen();
            }
            _ => {}
        }
    }

    /// Open a transaction code or menu path; false (with a message) if
    /// unknown. A code may carry an argument (`EWO200 16`): it is typed into
    /// the mask's first field, and the clerk's Enter runs it.
    pub fn goto(&mut self, text: &str) -> bool {
        let (code, arg) = match text.trim().split_once(char::is_whitespace) {
            Some((c, a)) => (c, a.trim()),
            None => (text.trim(), ""),
        };
        let Some(arg_taken) = self.open_target(code, text, arg) else {
            return false;
        };
        if !arg.is_empty() && !arg_taken && self.current_code().eq_ignore_ascii_case(code) {
            // The argument replaces what the first field was filled with.
            self.deliver(Input::Cmd(Command::Home));
            self.deliver(Input::Cmd(Command::EraseEof));
            self.deliver(Input::Paste(arg.to_string()));
        }
        true
    }

    /// Opens the target; `Some(true)` when the transaction took `arg` as
    /// its key itself (EWO200 opens the person), `None` when refused.
    fn open_target(&mut self, code: &str, text: &str, arg: &str) -> Option<bool> {
        let Some(target) = registry::resolve(&self.menus, code) else {
            self.message = Some((
                Severity::Error,
                format!(
                    "Unbekannter Befehl oder Transaktionscode „{}“.",
                    sanitize_line(text)
                ),
            ));
            return None;
        };
        let State::Running {
            session,
            codes,
            stack,
        } = &mut self.state
        else {
            return None;
        };
        if stack.iter().any(|s| s.is_dirty()) && !matches!(target, Target::Exit) {
            self.message = Some((
                Severity::Warning,
                format!(
                    "Erst speichern ({}) oder verwerfen ({}), dann wechseln.",
                    keyref::key(Command::Save),
                    keyref::key(Command::Cancel)
                ),
            ));
            return None;
        }
        // Code lists may have changed (KIS110, other sessions): take them fresh
        // whenever a mask is opened; it is one small query.
        if let Ok(fresh) = CodeCache::load(session) {
            *codes = fresh;
        }
        let mut env = Env::new(session, codes);
        let mut arg_taken = false;
        let opened: Option<Box<dyn Screen>> = match target {
            Target::Exit => {
                self.request_quit();
                return Some(false);
            }
            Target::MainMenu => Some(Box::new(MenuScreen::main(&self.menus))),
            Target::Menu(n) => {
                MenuScreen::procedure(&self.menus, n).map(|m| Box::new(m) as Box<dyn Screen>)
            }
            Target::Transaction(m, i) => {
                let tr = self
                    .menus
                    .iter()
                    .find(|x| x.number == m)
                    .and_then(|x| x.transactions.get(i));
                let by_key = tr
                    .filter(|_| !arg.is_empty())
                    .and_then(|t| registry::open_with_key(t.code, &mut env, arg));
                arg_taken = by_key.is_some();
                match by_key.or_else(|| tr.map(|t| (t.open)(&mut env))) {
                    Some(Ok(s)) => Some(s),
                    Some(Err(e)) => {
                        self.message = Some((Severity::Error, error_text(&e)));
                        return None;
                    }
                    None => None,
                }
            }
        };
        let msg = env.take_message();
        if let Some(s) = opened {
            // Jumping by code replaces everything above the main menu, as on the host.
            while stack.len() > 1 {
                if let Some(mut old) = stack.pop() {
                    old.close(&mut env);
                }
            }
            if s.code() == "KIS000" || stack.first().is_some_and(|m| m.code() == s.code()) {
                stack.truncate(1);
            } else {
                stack.push(s);
            }
        }
        if msg.is_some() {
            self.message = msg;
        }
        Some(arg_taken)
    }

    fn deliver(&mut self, input: Input) {
        let State::Running {
            session,
            codes,
            stack,
        } = &mut self.state
        else {
            return;
        };
        let Some(top) = stack.last_mut() else { return };
        let mut env = Env::new(session, codes);
        let cmd = match &input {
            Input::Cmd(c) => Some(*c),
            _ => None,
        };
        let nav = top.handle(input, &mut env);
        let msg = env.take_message();
        self.ignored = None;
        match nav {
            Nav::Stay => {}
            Nav::Ignored => self.ignored = cmd,
            Nav::Push(s) => stack.push(s),
            Nav::Pop => {
                if let Some(mut s) = stack.pop() {
                    s.close(&mut env);
                }
                if stack.is_empty() {
                    stack.push(Box::new(MenuScreen::main(&self.menus)));
                }
            }
            Nav::Replace(s) => {
                if let Some(mut old) = stack.pop() {
                    old.close(&mut env);
                }
                stack.push(s);
            }
            Nav::Goto(code) => {
                self.message = msg;
                self.goto(&code);
                return;
            }
            Nav::Popup(p) => self.popup = Some(p),
            Nav::Quit => {
                self.request_quit();
            }
        }
        if msg.is_some() {
            self.message = msg;
        }
    }

    fn login_command(&mut self, cmd: Command) {
        let State::Login(login) = &mut self.state else {
            return;
        };
        let target = LoginTarget {
            db: &self.db,
            clock: self.clock.clone(),
            client: &self.cfg.client,
        };
        match login.command(cmd, target) {
            LoginOutcome::Stay => {}
            LoginOutcome::Refused(m) => self.message = Some((Severity::Error, m)),
            LoginOutcome::Help(p) => self.popup = Some(p),
            LoginOutcome::Quit => self.quit = true,
            LoginOutcome::LoggedIn(session) => self.start_session(session),
        }
    }

    /// Enter a session directly (used after login and by drivers that
    /// authenticated the user already, e.g. SSH with a trusted key).
    pub fn start_session(&mut self, session: Session) {
        let codes = CodeCache::load(&session).unwrap_or_default();
        let stack: Vec<Box<dyn Screen>> = vec![Box::new(MenuScreen::main(&self.menus))];
        self.state = State::Running {
            session: Box::new(session),
            codes,
            stack,
        };
        self.message = Some((Severity::Info, "Anmeldung erfolgreich.".into()));
        if let Some(code) = self.cfg.goto.take() {
            self.goto(&code);
        }
    }

    /// Draw the whole screen.
    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        let theme = &self.cfg.theme;
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = format!(
                "KIS benötigt mindestens 80×24 Zeichen (jetzt {}×{}). Bitte das Fenster vergrößern.",
                area.width, area.height
            );
            frame.render_widget(
                Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
                area,
            );
            return;
        }
        let (body, cmd_cursor) = chrome::draw(frame.buffer_mut(), area, theme, &self.chrome());
        match &self.state {
            State::Login(login) => login.render(frame, body, theme),
            State::Running { stack, codes, .. } => {
                if let Some(top) = stack.last() {
                    let cx = RenderCx { theme, codes };
                    top.render(frame, body, &cx);
                }
            }
        }
        if let Some(pos) = cmd_cursor {
            frame.set_cursor_position(pos);
        }
        if let Some(p) = &self.popup {
            let screen_ctx = self.screen_context();
            let shown = |text: &str| self.cfg.keymap.render_text(screen_ctx, text);
            p.render(frame, body, theme, &shown);
        }
    }

    /// What the frame around the mask shows now.
    fn chrome(&self) -> Chrome<'_> {
        let header = match &self.state {
            State::Login(_) => Header {
                mandant: "KIS".into(),
                code: "KIS000".into(),
                title: "Anmeldung".into(),
                mode: String::new(),
                user: String::new(),
                date: format_date_de(self.clock.today()),
            },
            State::Running { session, stack, .. } => {
                let top = stack.last();
                Header {
                    mandant: session.mandant.name.clone(),
                    code: top.map(|s| s.code().to_string()).unwrap_or_default(),
                    title: top.map(|s| s.title()).unwrap_or_default(),
                    mode: top
                        .and_then(|s| s.mode())
                        .map(|m| m.label().to_string())
                        .unwrap_or_default(),
                    user: session.user.name.clone(),
                    date: format_date_de(session.today()),
                }
            }
        };
        let keys = &self.cfg.keymap;
        let screen_ctx = self.screen_context();
        let available: Vec<Command> = if self.popup.is_some() {
            vec![Command::Submit, Command::Cancel]
        } else {
            self.offered()
        };
        Chrome {
            header,
            cmdline: &self.cmdline,
            cmd_focus: self.cmd_focus,
            message: self
                .message
                .as_ref()
                .map(|(sev, text)| (*sev, keys.render_text(screen_ctx, text))),
            help_key: keys.render_text(screen_ctx, &keyref::key(Command::Help)),
            legend: keys.legend(self.context(), &available),
        }
    }
}

/// Break a text into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

impl CodeSource for CodeCache {
    fn entries(&self, list: &str) -> Vec<(String, String)> {
        self.list(list)
    }
}
