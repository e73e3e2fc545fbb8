//! Remote support services: the live session list (KIS910) and the request
//! to watch a clerk's session. The roles are checked here, not in the mask.

use std::time::Duration;

use serde_json::json;

use super::shadow::{ToSession, registry};
use crate::core::audit;
use crate::core::auth::{self, SessionInfo};
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::core::session::Session;

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
    let reg = registry();
    Ok(auth::live_sessions(&session.db, session.now())?
        .into_iter()
        .map(|info| LiveSession {
            idle: reg.idle(&info.id),
            watchable: reg.contains(&info.id),
            info,
        })
        .collect())
}

/// Ask the clerk of `target` whether the calling support user may watch her
/// screen. The answer comes back to the caller's session as a message.
pub fn request_shadow(session: &Session, target: &str) -> Result<String> {
    session.require(&[Role::Support])?;
    let reg = registry();
    if target == session.id {
        return Err(KisError::validation(
            "Die eigene Sitzung kann nicht beobachtet werden.",
        ));
    }
    if !reg.contains(&session.id) {
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
    if !reg.send(
        target,
        ToSession::ShadowAsk {
            watcher: session.id.clone(),
            watcher_user: session.user.name.clone(),
        },
    ) {
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
