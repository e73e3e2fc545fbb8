//! `kis ssh-gate`: KIS as the OpenSSH `ForceCommand`. OpenSSH has
//! authenticated the Unix login already; the gate maps it to a KIS user and
//! either opens the session directly (trusted mapping) or shows the login
//! mask with the user filled in. An unmapped login is refused and nothing else.

use std::sync::Arc;

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::json;

use super::access;
use super::session::{self, Out, SessionSetup};
use super::shadow::ToSession;
use crate::core::audit::{self, Actor};
use crate::core::clock::Clock;
use crate::core::error::Result;
use crate::core::session::UserInfo;
use crate::store::Db;

/// What the gate does with an incoming OpenSSH login.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    /// Refuse with this line (and exit non-zero).
    Refuse(String),
    /// Trusted mapping: open the session without a KIS password.
    Trusted(UserInfo),
    /// Show the login mask with this KIS user filled in.
    Login(String),
}

/// Decide for the Unix `login` (from `$USER`/`$LOGNAME`); `command` is
/// `$SSH_ORIGINAL_COMMAND` (KIS runs no commands). Refusals are logged.
pub fn decide(
    db: &Db,
    clock: &Arc<dyn Clock>,
    login: Option<&str>,
    command: Option<&str>,
    client: &str,
) -> Result<Decision> {
    let Some(login) = login.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(Decision::Refuse(
            "KIS: Unbekannter Anmeldename – Zugang verweigert.".into(),
        ));
    };
    let log_refusal = |reason: &str| -> Result<()> {
        let actor = Actor {
            user: "SSH".into(),
            mandant: String::new(),
            at: clock.now(),
        };
        db.write(|sql| {
            audit::append(
                sql,
                &actor,
                "SSH_LOGIN_ABGEWIESEN",
                "user_ssh_login",
                login,
                None,
                Some(&json!({ "grund": reason, "client": client })),
            )
            .map(|_| ())
        })
    };
    if command.is_some_and(|c| !c.trim().is_empty()) {
        log_refusal("Befehl angefordert")?;
        return Ok(Decision::Refuse(
            "KIS: Über diesen Zugang sind keine Befehle möglich, nur die KIS-Masken.".into(),
        ));
    }
    match access::user_for_login(db, login)? {
        None => {
            log_refusal("nicht zugeordnet")?;
            Ok(Decision::Refuse(format!(
                "KIS: Der Anmeldename „{}“ ist keinem KIS-Benutzer zugeordnet. Zugang verweigert – bitte wenden Sie sich an die KIS-Verwaltung.",
                crate::core::sanitize::sanitize_line(login)
            )))
        }
        Some((user, true)) => Ok(Decision::Trusted(user)),
        Some((user, false)) => Ok(Decision::Login(user.name)),
    }
}

/// Where the clerk connects from: `ssh ADDRESS` (from `SSH_CLIENT`).
pub fn client_address() -> String {
    std::env::var("SSH_CLIENT")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .map(|ip| format!("ssh {}", crate::core::sanitize::sanitize_line(ip)))
        })
        .unwrap_or_else(|| "ssh".to_string())
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
    std::thread::Builder::new()
        .name("kis-tty-in".into())
        .spawn(move || {
            let mut buf = [0u8; 4096];
            let mut stdin = std::io::stdin();
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if reader_tx.send(ToSession::Input(buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
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
                    }
                    Out::Exit(_) => return,
                }
            }
        })?;
    let session = session::spawn(setup, rx, tx, out_tx, ())?;
    let _ = session.join();
    let _ = writer.join();
    let _ = crossterm::terminal::disable_raw_mode();
    Ok(())
}
