//! Driving the app by keys in tests: a [`UiHarness`] owns an [`App`] on a
//! ratatui `TestBackend`, feeds key events and returns the screen as text.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::core::clock::FixedClock;
use crate::store::Db;
use crate::ui::app::{App, AppConfig};
use crate::ui::command::Command;
use crate::ui::keymap::Keymap;
use crate::ui::theme::Theme;

pub struct UiHarness {
    pub app: App,
    terminal: Terminal<TestBackend>,
    now: Instant,
}

impl UiHarness {
    /// An app on an 80×24 screen with the default keymap, not logged in.
    pub fn new(db: &Db, clock: Arc<FixedClock>) -> Self {
        Self::with_size(db, clock, 80, 24, "default")
    }

    /// An app on an 80×24 screen with the default keymap, not logged in,
    /// in colour or monochrome (for the snapshot tests of both looks).
    pub fn with_theme(db: &Db, clock: Arc<FixedClock>, color: bool) -> Self {
        let theme = Theme {
            color,
            ascii: false,
        };
        Self::build(db, clock, 80, 24, "default", theme)
    }

    pub fn with_size(db: &Db, clock: Arc<FixedClock>, w: u16, h: u16, keymap: &str) -> Self {
        let theme = Theme {
            color: false,
            ascii: false,
        };
        Self::build(db, clock, w, h, keymap, theme)
    }

    /// An app with a keymap built by the test (e.g. with remapped keys).
    pub fn with_keymap(db: &Db, clock: Arc<FixedClock>, w: u16, h: u16, keymap: Keymap) -> Self {
        let theme = Theme {
            color: false,
            ascii: false,
        };
        Self::build_with(db, clock, w, h, keymap, theme)
    }

    fn build(db: &Db, clock: Arc<FixedClock>, w: u16, h: u16, keymap: &str, theme: Theme) -> Self {
        let keymap = Keymap::builtin(keymap).expect("Tastenbelegung");
        Self::build_with(db, clock, w, h, keymap, theme)
    }

    fn build_with(
        db: &Db,
        clock: Arc<FixedClock>,
        w: u16,
        h: u16,
        keymap: Keymap,
        theme: Theme,
    ) -> Self {
        let cfg = AppConfig {
            keymap,
            theme,
            goto: None,
            user: None,
            mandant: None,
            client: "test".into(),
        };
        let app = App::new(db.clone(), clock, cfg);
        let terminal = Terminal::new(TestBackend::new(w, h)).expect("TestBackend");
        let mut h = UiHarness {
            app,
            terminal,
            now: Instant::now(),
        };
        h.draw();
        h
    }

    /// Log in through the login mask and wait for the main menu.
    pub fn login(&mut self, user: &str, password: &str) {
        self.type_text(user);
        self.key(KeyCode::Tab);
        self.type_text(password);
        self.key(KeyCode::Enter);
        assert!(
            self.screen().contains("Hauptmenü"),
            "Anmeldung fehlgeschlagen:\n{}",
            self.screen()
        );
    }

    fn draw(&mut self) {
        let app = &self.app;
        self.terminal.draw(|f| app.render(f)).expect("draw");
    }

    /// Send one key event (a pending lone Esc is resolved first, as the
    /// real driver does after its timeout).
    pub fn send(&mut self, ev: KeyEvent) {
        self.now += Duration::from_millis(5);
        self.app.handle_event(&Event::Key(ev), self.now);
        self.draw();
    }

    /// Paste text (a bracketed paste from the terminal).
    pub fn paste(&mut self, text: &str) {
        self.now += Duration::from_millis(5);
        self.app
            .handle_event(&Event::Paste(text.to_string()), self.now);
        self.draw();
    }

    pub fn key(&mut self, code: KeyCode) {
        self.send(KeyEvent::new(code, KeyModifiers::NONE));
    }

    /// A harness already logged in as `user`.
    pub fn logged_in(db: &Db, clock: &Arc<FixedClock>, user: &str, password: &str) -> Self {
        let mut h = UiHarness::new(db, clock.clone());
        h.login(user, password);
        h
    }

    /// Move `n` fields on.
    pub fn tabs(&mut self, n: usize) {
        for _ in 0..n {
            self.key(KeyCode::Tab);
        }
    }

    /// Erase the current field (Home, then Ctrl-K to its end).
    pub fn clear_field(&mut self) {
        self.key(KeyCode::Home);
        self.send(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
    }

    pub fn fkey(&mut self, n: u8) {
        self.key(KeyCode::F(n));
    }

    /// Let the Esc timeout pass.
    pub fn wait_esc(&mut self) {
        self.now += Duration::from_millis(200);
        self.app.tick(self.now);
        self.draw();
    }

    /// Tick until no background work is running (a batch started from a mask).
    pub fn wait_idle(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            self.now += Duration::from_millis(100);
            self.app.tick(self.now);
            self.draw();
            if !self.app.busy() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "Hintergrundverarbeitung endet nicht:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The last command the screen on top did nothing with.
    pub fn ignored(&self) -> Option<Command> {
        self.app.ignored()
    }

    /// Whether a window (help, lookup, question, document) is open.
    pub fn popup_open(&self) -> bool {
        self.app.popup_open()
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Jump to a transaction code via the command line (F6).
    pub fn goto(&mut self, code: &str) {
        self.fkey(6);
        self.type_text(code);
        self.key(KeyCode::Enter);
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.terminal.backend_mut().resize(w, h);
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, w, h))
            .expect("resize");
        self.draw();
    }

    /// The screen as lines of text (trailing blanks trimmed).
    pub fn lines(&self) -> Vec<String> {
        let buf = self.terminal.backend().buffer();
        let area = buf.area;
        (0..area.height)
            .map(|y| {
                let mut line = String::new();
                for x in 0..area.width {
                    line.push_str(buf[(x, y)].symbol());
                }
                line.trim_end().to_string()
            })
            .collect()
    }

    pub fn screen(&self) -> String {
        self.lines().join("\n")
    }

    /// The message line (second-last row).
    pub fn message(&self) -> String {
        let l = self.lines();
        l.get(l.len().saturating_sub(2))
            .cloned()
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    pub fn cursor(&mut self) -> (u16, u16) {
        let p = self.terminal.get_cursor_position().expect("cursor");
        (p.x, p.y)
    }

    /// The whole screen as snapshot text: every row framed by `│` (so
    /// trailing blanks stay visible), the cursor, and per row the runs of
    /// equal style as `first-last fg/bg+MODIFIERS` (columns 0-based,
    /// `-` for the terminal's default colour).
    pub fn snapshot(&self) -> String {
        let backend = self.terminal.backend();
        let buf = backend.buffer();
        let area = buf.area;
        let mut out = format!("screen {}x{}\n", area.width, area.height);
        for y in 0..area.height {
            let row: String = (0..area.width).map(|x| buf[(x, y)].symbol()).collect();
            out.push_str(&format!("{y:02}│{row}│\n"));
        }
        let pos = backend.cursor_position();
        let shown = if backend.cursor_visible() {
            "visible"
        } else {
            "hidden"
        };
        out.push_str(&format!("cursor: x={} y={} {shown}\n", pos.x, pos.y));
        out.push_str("styles\n");
        for y in 0..area.height {
            let mut runs: Vec<(u16, u16, String)> = Vec::new();
            for x in 0..area.width {
                let style = cell_style(&buf[(x, y)]);
                match runs.last_mut() {
                    Some((_, last, s)) if *s == style => *last = x,
                    _ => runs.push((x, x, style)),
                }
            }
            let runs: Vec<String> = runs
                .into_iter()
                .map(|(a, b, s)| format!("{a}-{b} {s}"))
                .collect();
            out.push_str(&format!("{y:02}│{}\n", runs.join(", ")));
        }
        out
    }

    pub fn assert_contains(&self, text: &str) {
        let s = self.screen();
        assert!(s.contains(text), "„{text}“ fehlt auf dem Bildschirm:\n{s}");
    }
}

/// `fg/bg+MODIFIERS` of a cell, e.g. `White/Blue+BOLD`, `-/-+UNDERLINED`.
fn cell_style(cell: &ratatui::buffer::Cell) -> String {
    let color = |c: ratatui::style::Color| match c {
        ratatui::style::Color::Reset => "-".to_string(),
        c => format!("{c:?}"),
    };
    let mut s = format!("{}/{}", color(cell.fg), color(cell.bg));
    for (name, _) in cell.modifier.iter_names() {
        s.push('+');
        s.push_str(name);
    }
    s
}
