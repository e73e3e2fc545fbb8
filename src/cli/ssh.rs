//! `kis serve`, `kis ssh-gate`, `kis doctor` and the SSH parts of `kis user`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Subcommand;

use super::Cli;
use super::output::{self, Out};
use crate::core::clock::Clock;
use crate::core::error::{KisError, Result};
use crate::kernel::auth::AdminActor;
use crate::kernel::{access, doctor};
use crate::ssh::gate::{self, Decision};
use crate::ssh::server::{self, ServeOptions};
use crate::store::Db;
use crate::term::session::{SessionSetup, Who, theme_for_term};
use crate::ui::keymap::Keymap;

#[derive(Subcommand, Debug)]
pub enum SshCmd {
    /// KIS als SSH-Server betreiben (nur Anmeldung mit Schlüssel)
    Serve {
        /// Adresse und Port, z. B. 0.0.0.0:2222
        #[arg(long, default_value = "0.0.0.0:2222")]
        listen: String,
        /// Hostschlüssel (wird beim ersten Start angelegt, Modus 0600)
        #[arg(long, default_value = "kis_host_ed25519")]
        host_key: PathBuf,
        /// Minuten ohne Eingabe, nach denen eine Sitzung endet
        #[arg(long, default_value_t = 30)]
        idle_timeout: u64,
        /// Höchstzahl gleichzeitiger Sitzungen
        #[arg(long, default_value_t = 100)]
        max_sessions: usize,
        /// Höchstzahl noch nicht angemeldeter Verbindungen insgesamt
        #[arg(long, default_value_t = 64)]
        max_preauth: usize,
        /// Höchstzahl noch nicht angemeldeter Verbindungen je Absenderadresse
        #[arg(long, default_value_t = 10)]
        max_preauth_per_ip: usize,
        /// Sekunden für Verbindungsaufbau und Anmeldung, danach wird getrennt
        #[arg(long, default_value_t = 30)]
        auth_timeout: u64,
    },
    /// Als OpenSSH-ForceCommand: Unix-Anmeldename → KIS-Benutzer, dann die Masken
    SshGate {
        /// Minuten ohne Eingabe, nach denen die Sitzung endet
        #[arg(long, default_value_t = 30)]
        idle_timeout: u64,
    },
    /// Installation prüfen (Speicher, Schema, Protokoll, Plattenplatz, Sperren)
    Doctor,
}

/// The SSH parts of `kis user` (flattened into its subcommands).
#[derive(Subcommand, Debug)]
pub enum SshUserCmd {
    /// Öffentlichen SSH-Schlüssel (eine Zeile, z. B. id_ed25519.pub) für einen Benutzer eintragen
    AddKey { name: String, file: PathBuf },
    /// Eingetragene SSH-Schlüssel anzeigen
    ListKeys { name: Option<String> },
    /// SSH-Schlüssel eines Benutzers entfernen (Fingerabdruck SHA256:…)
    RemoveKey { name: String, fingerprint: String },
    /// Unix-Anmeldenamen (OpenSSH) einem KIS-Benutzer zuordnen
    MapLogin {
        name: String,
        unix_login: String,
        /// Ohne zweites Kennwort (die SSH-Anmeldung genügt)
        #[arg(long)]
        trusted: bool,
    },
    /// Zuordnung eines Unix-Anmeldenamens entfernen
    UnmapLogin { unix_login: String },
    /// Zuordnungen der Unix-Anmeldenamen anzeigen
    ListLogins,
}

pub fn run_user(cmd: &SshUserCmd, db: &Db, by: &AdminActor, out: &mut Out) -> Result<()> {
    match cmd {
        SshUserCmd::AddKey { name, file } => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                KisError::validation(format!("Datei {} nicht lesbar: {e}", file.display()))
            })?;
            let line = text
                .lines()
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .unwrap_or("");
            let k = access::add_key(db, by, name, line)?;
            out.line(format!(
                "Schlüssel {} ({}) für {} eingetragen.",
                k.fingerprint, k.algorithm, k.user
            ))?;
        }
        SshUserCmd::ListKeys { name } => {
            out.line(format!(
                "{:<16} {:<12} {:<52} {:<20} Kommentar",
                "Benutzer", "Typ", "Fingerabdruck", "Eingetragen"
            ))?;
            for k in access::list_keys(db, name.as_deref())? {
                out.line(format!(
                    "{:<16} {:<12} {:<52} {:<20} {}",
                    k.user,
                    k.algorithm,
                    k.fingerprint,
                    k.added_at.replace('T', " "),
                    k.comment
                ))?;
            }
        }
        SshUserCmd::RemoveKey { name, fingerprint } => {
            access::remove_key(db, by, name, fingerprint)?;
            out.line(format!(
                "Schlüssel {fingerprint} von {} entfernt.",
                name.to_uppercase()
            ))?;
        }
        SshUserCmd::MapLogin {
            name,
            unix_login,
            trusted,
        } => {
            access::map_login(db, by, name, unix_login, *trusted)?;
            out.line(format!(
                "Unix-Anmeldename {unix_login} → KIS-Benutzer {}{}.",
                name.to_uppercase(),
                if *trusted {
                    " (vertraut, ohne KIS-Kennwort)"
                } else {
                    " (mit KIS-Kennwort)"
                }
            ))?;
        }
        SshUserCmd::UnmapLogin { unix_login } => {
            access::unmap_login(db, by, unix_login)?;
            out.line(format!("Zuordnung von {unix_login} entfernt."))?;
        }
        SshUserCmd::ListLogins => {
            out.line(format!(
                "{:<20} {:<16} {:<9} Eingetragen",
                "Unix-Anmeldename", "KIS-Benutzer", "Vertraut"
            ))?;
            for m in access::list_logins(db)? {
                out.line(format!(
                    "{:<20} {:<16} {:<9} {}",
                    m.unix_login,
                    m.user,
                    if m.trusted { "ja" } else { "nein" },
                    m.added_at.replace('T', " ")
                ))?;
            }
        }
    }
    Ok(())
}

/// Run `kis serve|ssh-gate|doctor`; returns the process exit code.
pub fn run(cli: &Cli, cmd: &SshCmd, clock: Arc<dyn Clock>, out: &mut Out) -> Result<u8> {
    match cmd {
        SshCmd::Serve {
            listen,
            host_key,
            idle_timeout,
            max_sessions,
            max_preauth,
            max_preauth_per_ip,
            auth_timeout,
        } => {
            if *max_sessions == 0 || *idle_timeout == 0 {
                return Err(KisError::validation(
                    "--max-sessions und --idle-timeout müssen größer als 0 sein.",
                ));
            }
            if *max_preauth == 0 || *max_preauth_per_ip == 0 || *auth_timeout == 0 {
                return Err(KisError::validation(
                    "--max-preauth, --max-preauth-per-ip und --auth-timeout müssen größer als 0 sein.",
                ));
            }
            let db = super::open_store(cli)?;
            crate::kernel::locks::purge_expired(&db, clock.now())?;
            let opts = ServeOptions {
                idle_timeout: Duration::from_secs(idle_timeout * 60),
                max_sessions: *max_sessions,
                max_preauth: *max_preauth,
                max_preauth_per_ip: *max_preauth_per_ip,
                auth_timeout: Duration::from_secs(*auth_timeout),
                keymap: cli.keymap.clone(),
                ..ServeOptions::default()
            };
            server::run(db, clock, listen, host_key, opts)?;
            Ok(0)
        }
        SshCmd::SshGate { idle_timeout } => {
            if *idle_timeout == 0 {
                return Err(KisError::validation(
                    "--idle-timeout muss größer als 0 sein.",
                ));
            }
            let db = super::open_store(cli)?;
            // The real uid's login, never $USER/$LOGNAME (set by the caller).
            let login = gate::unix_login();
            let command = std::env::var("SSH_ORIGINAL_COMMAND").ok();
            let client = gate::client_address();
            let who =
                match gate::decide(&db, &clock, login.as_deref(), command.as_deref(), &client)? {
                    Decision::Refuse(text) => {
                        output::note(&text);
                        return Ok(1);
                    }
                    Decision::Trusted(user) => Who::Authenticated(user),
                    Decision::Login(user) => Who::Login { user: Some(user) },
                };
            let keymap = Keymap::load(&cli.keymap, cli.keymap_file.as_deref())
                .map_err(KisError::validation)?;
            let term = std::env::var("TERM").unwrap_or_default();
            let mut theme = theme_for_term(
                &term,
                std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            );
            theme.ascii |= cli.ascii;
            theme.color &= !cli.mono;
            let size = crossterm::terminal::size().unwrap_or((80, 24));
            crate::term::local::run_on_tty(SessionSetup {
                db,
                clock,
                who,
                mandant: cli.mandant.clone(),
                client,
                keymap,
                theme,
                size,
                idle_timeout: Duration::from_secs(idle_timeout * 60),
                goto: None,
            })?;
            Ok(0)
        }
        SshCmd::Doctor => {
            let checks = doctor::run(&cli.db, clock.now());
            for c in &checks {
                out.line(format!(
                    "{:<9} {:<22} {}",
                    c.verdict.label(),
                    c.name,
                    c.detail
                ))?;
            }
            Ok(
                if checks.iter().any(|c| c.verdict == doctor::Verdict::Fehler) {
                    1
                } else {
                    0
                },
            )
        }
    }
}
