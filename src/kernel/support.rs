//! Remote support services: the live session list (KIS910) and the request
//! to watch a clerk's session. The roles are checked here, not in the mask.

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::json;

use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::auth::{self, SessionInfo};
use crate::kernel::session::Session;

/// The terminals running in this process, as support sees them. The
/// terminal layer installs its registry ([`install`]) when it starts, so the
/// kernel needs no terminal code; without one (batch, tests without a
/// terminal) no session is watchable.
pub trait LiveTerminals: Sync {
    /// Time since the session's last key.
    fn idle(&self, session_id: &str) -> Option<Duration>;
    /// The user of a session running in this process.
    fn user_of(&self, session_id: &str) -> Option<String>;
    /// Ask the clerk of `target` whether `watcher` may watch her screen;
    /// false if the session is gone.
    fn ask_shadow(&self, target: &str, watcher: &str, watcher_user: &str) -> bool;
}

static TERMINALS: OnceLock<&'static dyn LiveTerminals> = OnceLock::new();

/// Register the process's terminals (once; later calls change nothing).
pub fn install(terminals: &'static dyn LiveTerminals) {
    let _ = TERMINALS.set(terminals);
}

/// No terminal runs in this process.
struct NoTerminals;

impl LiveTerminals for NoTerminals {
    fn idle(&self, _: &str) -> Option<Duration> {
        None
    }
    fn user_of(&self, _: &str) -> Option<String> {
        None
    }
    fn ask_shadow(&self, _: &str, _: &str, _: &str) -> bool {
        false
    }
}

fn terminals() -> &'static dyn LiveTerminals {
    TERMINALS.get().copied().unwrap_or(&NoTerminals)
}

/// A live session as support sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveSession {
    pub info: SessionInfo,
    /// Time since the last key, known for sessions of this server process.
    pub idle: Option<Duration>,
    /// Runs in this `kis serve` process, so it can be watched.
    pub watchable: bool,
}

/// The live sessions of the store (all processes), for the support role.
pub fn sessions(session: &Session) -> Result<Vec<LiveSession>> {
    session.require(&[Role::Support, Role::Admin])?;
    let reg = terminals();
    Ok(auth::live_sessions(&session.db, session.now())?
        .into_iter()
        .map(|info| LiveSession {
            idle: reg.idle(&info.id),
            watchable: reg.user_of(&info.id).is_some(),
            info,
        })
        .collect())
}

/// Ask the clerk of `target` whether the calling support user may watch her
/// screen. The answer comes back to the caller's session as a message.
pub fn request_shadow(session: &Session, target: &str) -> Result<String> {
    session.require(&[Role::Support])?;
    let reg = terminals();
    if target == session.id {
        return Err(KisError::validation(
            "Die eigene Sitzung kann nicht beobachtet werden.",
        ));
    }
    if reg.user_of(&session.id).is_none() {
        return Err(KisError::validation(
            "Beobachten geht nur aus einer Sitzung im eingebauten SSH-Server (kis serve) heraus.",
        ));
    }
    let Some(user) = reg.user_of(target) else {
        return Err(KisError::validation(
            "Diese Sitzung läuft nicht in diesem KIS-Server (z. B. lokal oder über OpenSSH) – Beobachten ist dort nicht möglich.",
        ));
    };
    session.db.write(|sql| {
        audit::append(
            sql,
            &session.actor(),
            "BEOBACHTUNG_ANGEFRAGT",
            "kis_session",
            target,
            None,
            Some(&json!({ "benutzer": user, "durch": session.user.name })),
        )
        .map(|_| ())
    })?;
    if !reg.ask_shadow(target, &session.id, &session.user.name) {
        return Err(KisError::validation(
            "Die Sitzung wurde inzwischen beendet.",
        ));
    }
    Ok(user)
}

/// Log a step of a shadowing (consent, refusal, end) for this session.
pub fn log_shadow(
    session: &Session,
    action: &str,
    other_session: &str,
    other_user: &str,
) -> Result<()> {
    session.db.write(|sql| {
        audit::append(
            sql,
            &session.actor(),
            action,
            "kis_session",
            other_session,
            None,
            Some(&json!({ "sitzung": session.id, "gegenueber": other_user })),
        )
        .map(|_| ())
    })
}
