//! The local terminal driver: raw mode, alternate screen, the event loop
//! that feeds the app and draws only what changed. The app itself knows
//! nothing about the terminal (the SSH server drives it the same way).

use std::io::{self, Stdout, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::cli::Cli;
use crate::core::clock::Clock;
use crate::core::error::{KisError, Result};
use crate::store::Db;
use crate::ui::app::{App, AppConfig, BUSY_TICK};
use crate::ui::backend::StreamBackend;
use crate::ui::keymap::{Context, Keymap};
use crate::ui::theme::Theme;

/// How often a running session tells the store it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(60);

/// Build the app configuration from the command line.
pub fn app_config(cli: &Cli, client: &str) -> Result<AppConfig> {
    let keymap =
        Keymap::load(&cli.keymap, cli.keymap_file.as_deref()).map_err(KisError::validation)?;
    let user = cli.user.clone().or_else(|| std::env::var("USER").ok());
    Ok(AppConfig {
        keymap,
        theme: Theme::from_env(cli.ascii, cli.mono),
        goto: cli.goto.clone(),
        user,
        mandant: cli.mandant.clone(),
        client: client.to_string(),
    })
}

struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = disable_raw_mode();
        let _ = execute!(
            io::stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
    }
}

/// Run the TUI in the local terminal until the clerk leaves.
pub fn run_local(cli: &Cli, db: Db, clock: Arc<dyn Clock>) -> Result<()> {
    let client = std::env::var("SSH_CLIENT")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(|ip| format!("ssh {ip}")))
        .unwrap_or_else(|| "lokal".to_string());
    let cfg = app_config(cli, &client)?;
    let mut app = App::new(db, clock, cfg);
    enable_raw_mode()?;
    let guard = TerminalGuard;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let (w, h) = crossterm::terminal::size()?;
    let mut terminal = Terminal::with_options(
        StreamBackend::new(io::stdout(), w, h),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )?;
    terminal.clear()?;
    let result = event_loop(&mut app, &mut terminal);
    app.shutdown();
    drop(guard);
    result
}

fn event_loop(app: &mut App, terminal: &mut Terminal<StreamBackend<Stdout>>) -> Result<()> {
    let mut last_beat = Instant::now();
    loop {
        if app.full_redraw {
            terminal.clear()?;
            app.full_redraw = false;
        }
        terminal.draw(|f| app.render(f))?;
        if app.should_quit() {
            return Ok(());
        }
        let now = Instant::now();
        let wait = app
            .deadline()
            .map(|d| d.saturating_duration_since(now))
            .unwrap_or(HEARTBEAT)
            .min(if app.busy() { BUSY_TICK } else { HEARTBEAT });
        // Everything typed ahead is handled before the next draw.
        if event::poll(wait)? {
            loop {
                let ev = event::read()?;
                if let Event::Resize(w, h) = ev {
                    terminal.backend_mut().set_size(w, h);
                    terminal.resize(Rect::new(0, 0, w, h))?;
                }
                app.handle_event(&ev, Instant::now());
                if app.should_quit() || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        app.tick(Instant::now());
        if last_beat.elapsed() >= HEARTBEAT {
            app.heartbeat();
            last_beat = Instant::now();
        }
    }
}

/// `kis keys`: the active key bindings per context.
pub fn print_keys(cli: &Cli) -> Result<()> {
    let km = Keymap::load(&cli.keymap, cli.keymap_file.as_deref()).map_err(KisError::validation)?;
    let mut out = io::stdout().lock();
    writeln!(out, "Tastenbelegung {}", km.name())?;
    for ctx in Context::ALL {
        writeln!(out, "\n[{}]", ctx.name())?;
        for (k, c) in km.bindings(*ctx) {
            writeln!(out, "  {:<12} {:<16} {}", k.to_string(), c.name(), c.doc())?;
        }
    }
    writeln!(
        out,
        "\nOhne Funktionstasten: Esc 1 … Esc 0 = F1 … F10, Esc - = F11, Esc = / Esc Esc = F12."
    )?;
    Ok(())
}
