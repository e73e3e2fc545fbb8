//! The local terminal driver, for `kis` on a terminal and for `kis
//! ssh-gate` under OpenSSH: the same session driver as the built-in SSH
//! server, fed from this process's terminal with the project's own input
//! decoder. crossterm's reader is not used: on a hung-up terminal it reads
//! end-of-input forever and spins at full CPU; here end-of-input ends the
//! session cleanly (locks released, session row removed).

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::core::clock::Clock;
use crate::core::error::{KisError, Result};
use crate::store::Db;
use crate::term::session::{self, Flow, MAX_INPUT_BACKLOG, Out, SessionSetup, Who};
use crate::term::shadow::ToSession;
use crate::ui::app::AppConfig;
use crate::ui::keymap::Keymap;
use crate::ui::theme::Theme;

/// How often a running session tells the store it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(60);

/// What the local TUI is started with (the `kis` binary fills it from its
/// command line).
#[derive(Clone, Debug, Default)]
pub struct LocalOptions {
    /// Name of a built-in keymap (`default`, `host`).
    pub keymap: String,
    /// A keymap file that overrides the built-in one.
    pub keymap_file: Option<std::path::PathBuf>,
    pub ascii: bool,
    pub mono: bool,
    /// A transaction code to open after the login.
    pub goto: Option<String>,
    /// Pre-fill of the login mask only (the password is still asked).
    pub user: Option<String>,
    pub mandant: Option<String>,
    /// Where the clerk sits, for the session list (informational only).
    pub client: String,
}

/// Build the app configuration from the local options.
pub fn app_config(opts: &LocalOptions) -> Result<AppConfig> {
    let keymap =
        Keymap::load(&opts.keymap, opts.keymap_file.as_deref()).map_err(KisError::validation)?;
    Ok(AppConfig {
        keymap,
        theme: Theme::from_env(opts.ascii, opts.mono),
        goto: opts.goto.clone(),
        user: opts.user.clone(),
        mandant: opts.mandant.clone(),
        client: opts.client.clone(),
    })
}

/// Minutes without input after which a local session ends (as the SSH
/// server's default): an unattended terminal must not stay logged in.
const LEERLAUF_MINUTEN: u64 = 30;

/// Run the TUI in the local terminal until the clerk leaves.
pub fn run_local(opts: &LocalOptions, db: Db, clock: Arc<dyn Clock>) -> Result<()> {
    let cfg = app_config(opts)?;
    let client = cfg.client.clone();
    run_on_tty(SessionSetup {
        db,
        clock,
        who: Who::Login { user: cfg.user },
        mandant: cfg.mandant,
        client,
        keymap: cfg.keymap,
        theme: cfg.theme,
        size: crossterm::terminal::size().unwrap_or((80, 24)),
        idle_timeout: Duration::from_secs(LEERLAUF_MINUTEN * 60),
        goto: cfg.goto,
    })
}

static WINCH: AtomicBool = AtomicBool::new(false);

extern "C" fn on_winch(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    WINCH.store(true, Ordering::Relaxed);
}

/// Run a session on this process's terminal (the pty OpenSSH gave us) with
/// the same driver as the built-in server: our own input decoder instead of
/// crossterm's reader, so a hung-up terminal (read returns 0 or EIO) ends the
/// session cleanly — locks released, session row removed — instead of
/// leaving a process behind.
pub fn run_on_tty(setup: SessionSetup) -> Result<()> {
    #[cfg(unix)]
    // SAFETY: SIG_IGN and a handler doing one atomic store have no preconditions.
    unsafe {
        // The hang-up shows as end of input; the session then ends by itself.
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
        libc::signal(libc::SIGWINCH, on_winch as *const () as libc::sighandler_t);
    }
    crossterm::terminal::enable_raw_mode()?;
    let (tx, rx) = std::sync::mpsc::channel();
    let (out_tx, mut out_rx) = tokio::sync::mpsc::unbounded_channel::<Out>();
    let reader_tx = tx.clone();
    let flow = Arc::new(Flow::default());
    let reader_flow = flow.clone();
    std::thread::Builder::new()
        .name("kis-tty-in".into())
        .spawn(move || {
            let mut buf = [0u8; 4096];
            let mut stdin = std::io::stdin();
            loop {
                // Back-pressure: read no further while the session is behind
                // (a flood fills the pty, not our memory).
                if !reader_flow.wait_below_blocking(MAX_INPUT_BACKLOG) {
                    return;
                }
                match stdin.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        reader_flow.queue(n);
                        if reader_tx.send(ToSession::Input(buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
            // Hung up: the close overtakes input still queued.
            reader_flow.close();
            let _ = reader_tx.send(ToSession::Close);
        })?;
    let winch_tx = tx.clone();
    std::thread::Builder::new()
        .name("kis-tty-size".into())
        .spawn(move || {
            loop {
                std::thread::sleep(std::time::Duration::from_millis(200));
                if WINCH.swap(false, Ordering::Relaxed) {
                    let (w, h) = crossterm::terminal::size().unwrap_or((80, 24));
                    if winch_tx.send(ToSession::Resize(w, h)).is_err() {
                        return;
                    }
                }
            }
        })?;
    let writer_flow = flow.clone();
    let writer = std::thread::Builder::new()
        .name("kis-tty-out".into())
        .spawn(move || {
            let mut stdout = std::io::stdout();
            while let Some(out) = out_rx.blocking_recv() {
                match out {
                    Out::Data(d) => {
                        if stdout.write_all(&d).and_then(|_| stdout.flush()).is_err() {
                            return;
                        }
                        writer_flow.output_sent(d.len());
                    }
                    Out::Exit(_) => return,
                }
            }
        })?;
    let session = session::spawn(setup, rx, tx, out_tx, flow, ())?;
    let _ = session.join();
    let _ = writer.join();
    let _ = crossterm::terminal::disable_raw_mode();
    Ok(())
}
