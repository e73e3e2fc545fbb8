//! One SSH session: the (synchronous) app on its own thread, fed with the
//! channel's bytes through a queue, drawing into a buffer that goes back to
//! the channel. The async SSH side only forwards bytes. The same thread
//! carries the shadowing: the consent question and the "watched" marker on
//! the clerk's side, the watched screen on the support side.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyModifiers};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::{Frame, Terminal, TerminalOptions, Viewport};
use tokio::sync::mpsc::UnboundedSender;

use crate::core::clock::Clock;
use crate::kernel::auth;
use crate::kernel::session::UserInfo;
use crate::kernel::support::log_shadow;
use crate::store::Db;
use crate::term::backend::StreamBackend;
use crate::term::input::InputDecoder;
use crate::term::local::HEARTBEAT;
use crate::term::shadow::{ToSession, registry};
use crate::ui::app::{App, AppConfig};
use crate::ui::command::Command;
use crate::ui::keymap::{Context, Keymap};
use crate::ui::keyref;
use crate::ui::keys::{ESC_TIMEOUT, KeyChord};
use crate::ui::theme::Theme;

/// What the session thread sends back to the SSH channel.
#[derive(Debug)]
pub enum Out {
    Data(Vec<u8>),
    /// The session ended: send the exit status and close the channel.
    Exit(u32),
}

/// Input bytes a session may have waiting before its connection (or
/// terminal reader) has to wait for it: back-pressure instead of an
/// unbounded queue. Far above anything typed or pasted into a mask.
pub const MAX_INPUT_BACKLOG: usize = 64 * 1024;

/// Screen output not yet delivered to the client. A client that stops
/// reading while making the session draw is disconnected at this point
/// instead of the queue growing without end.
pub const MAX_OUTPUT_BACKLOG: usize = 8 * 1024 * 1024;

/// Flow control between a connection (or the terminal reader) and its
/// session thread: how much input waits, whether the session is closing
/// (a close overtakes queued input), and how much output is unsent.
#[derive(Default)]
pub struct Flow {
    queued: Mutex<usize>,
    /// Wakes a blocked terminal reader when input was consumed or on close.
    drained: Condvar,
    /// Wakes a waiting SSH connection when input was consumed or on close.
    notify: tokio::sync::Notify,
    closing: AtomicBool,
    peak: AtomicUsize,
    out_pending: AtomicUsize,
}

impl Flow {
    fn lock(&self) -> std::sync::MutexGuard<'_, usize> {
        self.queued.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Input bytes queued and not yet handled by the session.
    pub fn queued(&self) -> usize {
        *self.lock()
    }

    /// The most input that was ever queued at once.
    pub fn peak_queued(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Count `n` bytes put into the session's queue.
    pub fn queue(&self, n: usize) {
        let mut q = self.lock();
        *q += n;
        self.peak.fetch_max(*q, Ordering::Relaxed);
    }

    /// The session has handled `n` queued bytes.
    pub fn consumed(&self, n: usize) {
        let mut q = self.lock();
        *q = q.saturating_sub(n);
        drop(q);
        self.drained.notify_all();
        self.notify.notify_one();
    }

    /// The connection is gone: the session stops without handling what is
    /// still queued, and waiting producers give up.
    pub fn close(&self) {
        self.closing.store(true, Ordering::SeqCst);
        self.drained.notify_all();
        self.notify.notify_one();
    }

    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }

    /// Block (terminal reader thread) until less than `limit` bytes are
    /// queued; false if the session is closing.
    pub fn wait_below_blocking(&self, limit: usize) -> bool {
        let mut q = self.lock();
        while *q >= limit && !self.is_closing() {
            q = self.drained.wait(q).unwrap_or_else(|p| p.into_inner());
        }
        !self.is_closing()
    }

    /// Wait (SSH connection) until less than `limit` bytes are queued or
    /// the session is closing.
    pub async fn wait_below(&self, limit: usize) {
        loop {
            let notified = self.notify.notified();
            if self.is_closing() || self.queued() < limit {
                return;
            }
            notified.await;
        }
    }

    /// Output bytes handed to the channel or terminal writer.
    fn output_queued(&self, n: usize) -> usize {
        self.out_pending.fetch_add(n, Ordering::Relaxed) + n
    }

    /// The writer has delivered `n` output bytes.
    pub fn output_sent(&self, n: usize) {
        let _ = self
            .out_pending
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
                Some(v.saturating_sub(n))
            });
    }

    /// Output not yet delivered.
    pub fn output_pending(&self) -> usize {
        self.out_pending.load(Ordering::Relaxed)
    }

    /// Send screen bytes, counting them as pending output; false if the
    /// writer is gone or the client has fallen too far behind.
    fn send_data(&self, out: &UnboundedSender<Out>, data: Vec<u8>) -> bool {
        let pending = self.output_queued(data.len());
        out.send(Out::Data(data)).is_ok() && pending <= MAX_OUTPUT_BACKLOG
    }
}

/// Who the session is for.
pub enum Who {
    /// Authenticated already (SSH key, trusted login mapping): no KIS password.
    Authenticated(UserInfo),
    /// The login mask, with this KIS user filled in if known.
    Login { user: Option<String> },
}

/// Everything a session needs to start.
pub struct SessionSetup {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub who: Who,
    pub mandant: Option<String>,
    /// Where the clerk connects from (`ssh 192.0.2.7`).
    pub client: String,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Columns and rows from the pty request.
    pub size: (u16, u16),
    pub idle_timeout: Duration,
    /// Mask to open right after login (`--goto`).
    pub goto: Option<String>,
}

/// The look for a client's `TERM`: vt100/vt220 have neither colours nor
/// Unicode line drawing; `NO_COLOR` from the client turns colours off.
pub fn theme_for_term(term: &str, no_color: bool) -> Theme {
    let plain = matches!(term, "vt100" | "vt102" | "vt220" | "dumb");
    Theme {
        color: !(plain || no_color),
        ascii: plain,
    }
}

/// Collects what the terminal backend writes; a flush sends it to the
/// channel. A closed channel is noted (the session then ends) instead of
/// failing the terminal, which would only report it once more on drop.
struct ChannelWriter {
    buf: Vec<u8>,
    out: UnboundedSender<Out>,
    flow: Arc<Flow>,
    closed: Arc<AtomicBool>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        if !self
            .flow
            .send_data(&self.out, std::mem::take(&mut self.buf))
        {
            self.closed.store(true, Ordering::Relaxed);
        }
        Ok(())
    }
}

type SshTerminal = Terminal<StreamBackend<ChannelWriter>>;

/// The shadowing state of one session.
#[derive(Default)]
struct Shadow {
    /// A support user asks to watch (session id, user); the clerk must answer.
    ask: Option<(String, String)>,
    /// Support users watching this session (session id, user).
    watchers: Vec<(String, String)>,
    /// This (support) session watches another one.
    watching: Option<Watching>,
    /// A one-off line for this side (refusal, end), cleared by the next key.
    notice: Option<String>,
}

struct Watching {
    target: String,
    user: String,
    frame: Option<Box<Buffer>>,
}

/// Start the session thread. `rx` receives the channel's input and the
/// shadowing messages; `me` is the sender other sessions reach it by;
/// `flow` is shared with the producer of the input (every `Input` sent
/// must have been counted with [`Flow::queue`]) and the writer of `out`
/// (which reports delivered bytes with [`Flow::output_sent`]); `guard` is
/// dropped when the session has ended.
pub fn spawn<G: Send + 'static>(
    setup: SessionSetup,
    rx: Receiver<ToSession>,
    me: Sender<ToSession>,
    out: UnboundedSender<Out>,
    flow: Arc<Flow>,
    guard: G,
) -> io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("kis-ssh-session".into())
        .spawn(move || {
            run(setup, rx, me, out, flow.clone());
            // Producers waiting for room must not wait for a session that is gone.
            flow.close();
            drop(guard);
        })
}

fn size_rect((w, h): (u16, u16)) -> Rect {
    Rect::new(0, 0, w.max(1), h.max(1))
}

fn run(
    setup: SessionSetup,
    rx: Receiver<ToSession>,
    me: Sender<ToSession>,
    out: UnboundedSender<Out>,
    flow: Arc<Flow>,
) {
    let mut cfg = AppConfig {
        keymap: setup.keymap,
        theme: setup.theme,
        goto: setup.goto.clone(),
        user: None,
        mandant: setup.mandant.clone(),
        client: setup.client.clone(),
    };
    let (mut app, id, user) = match setup.who {
        Who::Authenticated(info) => {
            let opened = auth::open_session(
                &setup.db,
                setup.clock.clone(),
                info,
                setup.mandant.as_deref(),
                &setup.client,
            );
            let session = match opened {
                Ok(s) => s,
                Err(e) => {
                    flow.send_data(&out, format!("KIS: {e}\r\n").into_bytes());
                    let _ = out.send(Out::Exit(1));
                    return;
                }
            };
            let (id, user) = (session.id.clone(), session.user.name.clone());
            cfg.user = Some(user.clone());
            let mut app = App::new(setup.db, setup.clock, cfg);
            app.start_session(session);
            // Only sessions opened here can be reached for shadowing.
            registry().register(&id, &user, me);
            (app, id, user)
        }
        Who::Login { user } => {
            cfg.user = user.clone();
            (
                App::new(setup.db, setup.clock, cfg),
                String::new(),
                user.unwrap_or_default(),
            )
        }
    };
    let closed = Arc::new(AtomicBool::new(false));
    let writer = ChannelWriter {
        buf: Vec::new(),
        out: out.clone(),
        flow: flow.clone(),
        closed: closed.clone(),
    };
    let options = TerminalOptions {
        viewport: Viewport::Fixed(size_rect(setup.size)),
    };
    let rect = size_rect(setup.size);
    // Alternate screen and bracketed paste first; the terminal's output follows in order.
    let mut start = Vec::new();
    let _ = crossterm::queue!(start, EnterAlternateScreen, EnableBracketedPaste);
    flow.send_data(&out, start);
    let backend = StreamBackend::new(writer, rect.width, rect.height);
    let mut driver = match Terminal::with_options(backend, options) {
        Ok(terminal) => Driver {
            app,
            terminal,
            decoder: InputDecoder::new(),
            shadow: Shadow::default(),
            id: id.clone(),
            user,
            idle_timeout: setup.idle_timeout,
            closed,
            flow: flow.clone(),
        },
        Err(_) => {
            registry().unregister(&id);
            app.shutdown();
            let _ = out.send(Out::Exit(1));
            return;
        }
    };
    let reason = driver.event_loop(&rx);
    driver.finish();
    registry().unregister(&id);
    driver.app.shutdown();
    let mut end = Vec::new();
    let _ = crossterm::queue!(
        end,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    if let Some(text) = reason {
        end.extend_from_slice(format!("{text}\r\n").as_bytes());
    }
    flow.send_data(&out, end);
    let _ = out.send(Out::Exit(0));
}

struct Driver {
    app: App,
    terminal: SshTerminal,
    decoder: InputDecoder,
    shadow: Shadow,
    id: String,
    user: String,
    idle_timeout: Duration,
    /// The channel is gone (set by the writer).
    closed: Arc<AtomicBool>,
    flow: Arc<Flow>,
}

impl Driver {
    /// Run until the clerk leaves, the connection goes or the idle time is
    /// over; returns a farewell line for the last case.
    fn event_loop(&mut self, rx: &Receiver<ToSession>) -> Option<String> {
        if self.terminal.clear().is_err() {
            return None;
        }
        let mut last_input = Instant::now();
        let mut last_beat = Instant::now();
        let mut pending_since: Option<Instant> = None;
        let mut dirty = true;
        let mut last_code = String::new();
        loop {
            if dirty {
                if self.draw().is_err() || self.closed.load(Ordering::Relaxed) {
                    return None;
                }
                dirty = false;
            }
            if self.app.should_quit() {
                return None;
            }
            // The session list shows the current mask: note a change at once.
            if self.app.current_code() != last_code {
                self.app.heartbeat();
                last_code = self.app.current_code().to_string();
                last_beat = Instant::now();
            }
            let now = Instant::now();
            let mut wake = (last_beat + HEARTBEAT).min(last_input + self.idle_timeout);
            if let Some(d) = self.app.deadline() {
                wake = wake.min(d);
            }
            if let Some(t) = pending_since {
                wake = wake.min(t + ESC_TIMEOUT);
            }
            let mut msgs = Vec::new();
            match rx.recv_timeout(wake.saturating_duration_since(now)) {
                Ok(m) => {
                    msgs.push(m);
                    // Everything typed ahead is handled before the next draw.
                    msgs.extend(rx.try_iter());
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
            for m in msgs {
                // A close overtakes whatever input is still queued.
                if self.flow.is_closing() {
                    return None;
                }
                match m {
                    ToSession::Close => return None,
                    ToSession::Input(bytes) => {
                        last_input = Instant::now();
                        registry().touch(&self.id);
                        for ev in self.decoder.feed(&bytes) {
                            if self.flow.is_closing() {
                                return None;
                            }
                            self.event(&ev, last_input);
                        }
                        self.flow.consumed(bytes.len());
                        pending_since = self.decoder.is_pending().then_some(last_input);
                    }
                    ToSession::Resize(w, h) => {
                        let rect = size_rect((w, h));
                        self.terminal
                            .backend_mut()
                            .set_size(rect.width, rect.height);
                        let _ = self.terminal.resize(rect);
                    }
                    other => self.shadow_message(other),
                }
                dirty = true;
            }
            let now = Instant::now();
            if pending_since.is_some_and(|t| now >= t + ESC_TIMEOUT) {
                pending_since = None;
                for ev in self.decoder.flush() {
                    self.event(&ev, now);
                }
                dirty = true;
            }
            if self.app.deadline().is_some_and(|d| now >= d) {
                self.app.tick(now);
                dirty = true;
            }
            // Work still running keeps the session: the idle time counts from
            // its end, so the clerk sees the result.
            if self.app.busy() {
                last_input = now;
            }
            if now >= last_input + self.idle_timeout {
                return Some(format!(
                    "KIS: Sitzung nach {} Minuten ohne Eingabe beendet. Ungesicherte Eingaben wurden verworfen.",
                    self.idle_timeout.as_secs().div_ceil(60)
                ));
            }
            if now >= last_beat + HEARTBEAT {
                self.app.heartbeat();
                last_beat = now;
            }
        }
    }

    fn draw(&mut self) -> io::Result<()> {
        if self.app.full_redraw {
            self.terminal.clear()?;
            self.app.full_redraw = false;
        }
        let app = &self.app;
        let shadow = &self.shadow;
        let frame = self.terminal.draw(|f| render(f, app, shadow))?;
        if !self.shadow.watchers.is_empty() {
            let buf = frame.buffer.clone();
            let reg = registry();
            self.shadow
                .watchers
                .retain(|(w, _)| reg.send(w, ToSession::ShadowFrame(Box::new(buf.clone()))));
        }
        Ok(())
    }

    fn event(&mut self, ev: &Event, now: Instant) {
        let Event::Key(k) = ev else {
            if self.shadow.watching.is_none() && self.shadow.ask.is_none() {
                self.app.handle_event(ev, now);
            }
            return;
        };
        self.shadow.notice = None;
        if self.shadow.watching.is_some() {
            // Read-only: a key that closes a window (or q) ends the watching;
            // other keys are ignored.
            let closes = matches!(
                self.app
                    .keymap()
                    .lookup(Context::Popup, &KeyChord::from_event(k)),
                Some(Command::Cancel | Command::Back)
            );
            if closes || matches!(k.code, KeyCode::Char('q' | 'Q')) {
                self.end_watching();
            }
            return;
        }
        if let Some((watcher, wuser)) = self.shadow.ask.clone() {
            match k.code {
                KeyCode::Char('j' | 'J') => {
                    self.shadow.ask = None;
                    self.log("BEOBACHTUNG_ZUGESTIMMT", &watcher, &wuser);
                    let start = ToSession::ShadowStart {
                        target: self.id.clone(),
                        target_user: self.user.clone(),
                    };
                    if registry().send(&watcher, start) {
                        self.shadow.watchers.push((watcher, wuser));
                    }
                }
                KeyCode::Char('n' | 'N') => {
                    self.shadow.ask = None;
                    self.log("BEOBACHTUNG_ABGELEHNT", &watcher, &wuser);
                    registry().send(
                        &watcher,
                        ToSession::ShadowRefused {
                            target_user: self.user.clone(),
                        },
                    );
                }
                _ => {}
            }
            return;
        }
        if !self.shadow.watchers.is_empty()
            && k.code == KeyCode::Char('b')
            && k.modifiers.contains(KeyModifiers::CONTROL)
        {
            self.end_watchers();
            self.shadow.notice = Some("Beobachtung beendet.".into());
            return;
        }
        self.app.handle_event(ev, now);
    }

    fn log(&self, action: &str, other_session: &str, other_user: &str) {
        // The audit entry is part of the consent; a store error shows on screen.
        if let Some(s) = self.app.session()
            && let Err(e) = log_shadow(s, action, other_session, other_user)
        {
            eprintln!("KIS: Protokolleintrag {action} fehlgeschlagen: {e}");
        }
    }

    fn shadow_message(&mut self, msg: ToSession) {
        match msg {
            ToSession::ShadowAsk {
                watcher,
                watcher_user,
            } => {
                if self.shadow.ask.is_some() || self.shadow.watching.is_some() {
                    registry().send(
                        &watcher,
                        ToSession::ShadowRefused {
                            target_user: self.user.clone(),
                        },
                    );
                } else {
                    self.shadow.ask = Some((watcher, watcher_user));
                }
            }
            ToSession::ShadowStart {
                target,
                target_user,
            } => {
                self.shadow.notice = None;
                self.shadow.watching = Some(Watching {
                    target,
                    user: target_user,
                    frame: None,
                });
            }
            ToSession::ShadowRefused { target_user } => {
                self.shadow.notice = Some(format!("{target_user} hat die Beobachtung abgelehnt."));
            }
            ToSession::ShadowFrame(buf) => {
                if let Some(w) = &mut self.shadow.watching {
                    w.frame = Some(buf);
                }
            }
            ToSession::ShadowEnd { peer, by_user } => {
                if self
                    .shadow
                    .watching
                    .as_ref()
                    .is_some_and(|w| w.target == peer)
                {
                    self.shadow.watching = None;
                    self.shadow.notice = Some(format!("Beobachtung beendet durch {by_user}."));
                }
                let before = self.shadow.watchers.len();
                self.shadow.watchers.retain(|(w, _)| *w != peer);
                if self.shadow.watchers.len() != before {
                    self.shadow.notice = Some(format!("Beobachtung durch {by_user} beendet."));
                }
                if self.shadow.ask.as_ref().is_some_and(|(w, _)| *w == peer) {
                    self.shadow.ask = None;
                }
            }
            ToSession::Input(_) | ToSession::Resize(..) | ToSession::Close => {}
        }
    }

    /// The support side stops watching.
    fn end_watching(&mut self) {
        if let Some(w) = self.shadow.watching.take() {
            self.log("BEOBACHTUNG_BEENDET", &w.target, &w.user);
            registry().send(
                &w.target,
                ToSession::ShadowEnd {
                    peer: self.id.clone(),
                    by_user: self.user.clone(),
                },
            );
            self.shadow.notice = Some(format!("Beobachtung von {} beendet.", w.user));
        }
    }

    /// The clerk's side stops every watcher.
    fn end_watchers(&mut self) {
        for (w, wuser) in std::mem::take(&mut self.shadow.watchers) {
            self.log("BEOBACHTUNG_BEENDET", &w, &wuser);
            registry().send(
                &w,
                ToSession::ShadowEnd {
                    peer: self.id.clone(),
                    by_user: self.user.clone(),
                },
            );
        }
    }

    /// The session ends: whoever is linked to it is told.
    fn finish(&mut self) {
        self.end_watchers();
        self.end_watching();
        if let Some((w, _)) = self.shadow.ask.take() {
            registry().send(
                &w,
                ToSession::ShadowRefused {
                    target_user: self.user.clone(),
                },
            );
        }
    }
}

fn reverse() -> Style {
    Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

/// Draw the app (or the watched screen) and the shadowing overlays.
fn render(f: &mut Frame, app: &App, shadow: &Shadow) {
    let area = f.area();
    let status_row = area.height.saturating_sub(2);
    if let Some(w) = &shadow.watching {
        match &w.frame {
            Some(src) => {
                let buf = f.buffer_mut();
                let common = src.area.intersection(area);
                for y in common.top()..common.bottom() {
                    for x in common.left()..common.right() {
                        buf[(x, y)] = src[(x, y)].clone();
                    }
                }
            }
            None => {
                f.render_widget(
                    Paragraph::new(format!("Warte auf den Bildschirm von {} …", w.user)),
                    area,
                );
            }
        }
        let close = app
            .keymap()
            .render_text(Context::Popup, &keyref::key(Command::Cancel));
        let line = format!(
            " BEOBACHTUNG {} – nur Anzeige. {close} oder q beendet. ",
            w.user
        );
        f.buffer_mut()
            .set_stringn(0, status_row, line, area.width as usize, reverse());
        return;
    }
    app.render(f);
    if !shadow.watchers.is_empty() {
        let names: Vec<&str> = shadow.watchers.iter().map(|(_, u)| u.as_str()).collect();
        let marker = format!("[BEOBACHTET von {} – Strg-B beendet]", names.join(", "));
        let w = marker.chars().count() as u16;
        // On the rule below the command line: always visible, hides nothing.
        let x = area.width.saturating_sub(w + 1);
        f.buffer_mut().set_stringn(
            x,
            2.min(area.height.saturating_sub(1)),
            &marker,
            area.width as usize,
            reverse(),
        );
    }
    if let Some(text) = &shadow.notice {
        let line = format!(" Hinweis: {text}");
        let buf = f.buffer_mut();
        buf.set_stringn(
            0,
            status_row,
            " ".repeat(area.width as usize),
            area.width as usize,
            Style::default(),
        );
        buf.set_stringn(0, status_row, line, area.width as usize, reverse());
    }
    if let Some((_, user)) = &shadow.ask {
        let width = area.width.saturating_sub(8).min(64);
        let rect = Rect::new(
            (area.width - width) / 2,
            (area.height / 2).saturating_sub(3),
            width,
            6.min(area.height),
        );
        f.render_widget(Clear, rect);
        let text = format!(
            "Der Support-Benutzer {user} möchte Ihren Bildschirm sehen (nur Anzeige, keine Eingaben). Zulassen? J = ja, N = nein"
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(" Rückfrage Support ");
        f.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
            rect,
        );
    }
}
