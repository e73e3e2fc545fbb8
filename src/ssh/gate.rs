//! `kis ssh-gate`: KIS as the OpenSSH `ForceCommand`. OpenSSH has
//! authenticated the Unix login already; the gate maps it to a KIS user and
//! either opens the session directly (trusted mapping) or shows the login
//! mask with the user filled in. An unmapped login is refused and nothing else.

use std::sync::Arc;

use serde_json::json;

use super::access;
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
