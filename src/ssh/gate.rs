//! `kis ssh-gate`: KIS as the OpenSSH `ForceCommand`. OpenSSH has
//! authenticated the Unix login already; the gate maps it to a KIS user and
//! either opens the session directly (trusted mapping) or shows the login
//! mask with the user filled in. An unmapped login is refused and nothing else.
//!
//! The Unix login is the process's real uid looked up in the password
//! database ([`unix_login`]), never `$USER`/`$LOGNAME`: any local account
//! that can start `kis` can set those to anything. `SSH_CLIENT` comes from
//! the environment too and is therefore untrusted: it is only shown in the
//! session list (as a plain IP address or not at all, [`client_address`])
//! and never used for an access decision.

use std::sync::Arc;

use serde_json::json;

use crate::core::clock::Clock;
use crate::core::error::Result;
use crate::kernel::access;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::UserInfo;
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

/// Decide for the Unix `login` (from [`unix_login`], never from the
/// environment); `command` is `$SSH_ORIGINAL_COMMAND` (KIS runs no
/// commands). `client` is informational only (audit details). Refusals are
/// logged.
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

/// The login name of this process's real uid from the password database
/// (`getuid` + `getpwuid_r`). `None` if the uid has no entry or the name is
/// not UTF-8. The environment (`USER`, `LOGNAME`) is deliberately ignored:
/// it is chosen by whoever starts the process.
#[cfg(unix)]
pub fn unix_login() -> Option<String> {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: an all-zero passwd is a valid value for an out parameter.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: pwd, buf (with its true length) and result are valid for
        // writes; on success the strings in pwd point into buf, which lives
        // until we have copied the name.
        let rc = unsafe {
            libc::getpwuid_r(
                uid,
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: pw_name is a NUL-terminated string inside buf.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        return name
            .to_str()
            .ok()
            .filter(|n| !n.is_empty())
            .map(str::to_string);
    }
}

#[cfg(not(unix))]
pub fn unix_login() -> Option<String> {
    None
}

/// The client's IP address from an `SSH_CLIENT` value (`IP PORT PORT`).
/// The value is untrusted (OpenSSH sets it, but `PermitUserEnvironment` or
/// a local caller can set anything): only a well-formed IP address is
/// taken, nothing else of it is kept. Informational only.
pub fn client_ip(ssh_client: Option<&str>) -> Option<std::net::IpAddr> {
    ssh_client?.split_whitespace().next()?.parse().ok()
}

/// Where the clerk connects from for the session list: `ssh ADDRESS`, or
/// just `ssh` when `SSH_CLIENT` is missing or not an IP address.
/// Informational only — never use it for an access decision.
pub fn client_address() -> String {
    match client_ip(std::env::var("SSH_CLIENT").ok().as_deref()) {
        Some(ip) => format!("ssh {ip}"),
        None => "ssh".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_well_formed_ip_is_taken_from_ssh_client() {
        assert_eq!(
            client_ip(Some("192.0.2.7 50000 22")),
            Some("192.0.2.7".parse().unwrap())
        );
        assert_eq!(
            client_ip(Some("2001:db8::1 50000 22")),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(client_ip(Some("\x1b]0;owned\x07 1 2")), None);
        assert_eq!(client_ip(Some("10.0.0.1\x1b[2J 1 2")), None);
        assert_eq!(client_ip(Some("intern.example 1 2")), None);
        assert_eq!(client_ip(Some("")), None);
        assert_eq!(client_ip(None), None);
    }

    #[cfg(unix)]
    #[test]
    fn the_unix_login_comes_from_the_uid_not_the_environment() {
        // The password database's name for our uid, as `id -un` prints it.
        let out = std::process::Command::new("id").arg("-un").output();
        let Ok(out) = out else { return };
        let expected = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !out.status.success() || expected.is_empty() {
            return;
        }
        assert_eq!(unix_login().as_deref(), Some(expected.as_str()));
    }
}
