//! The command line: the TUI (no subcommand) and the commands for
//! administration, support, batch jobs and file interfaces. Every command
//! that reads or changes data runs as a KIS user (`--user`, password from
//! `KIS_PASSWORD` or a prompt) and goes through the same services as the masks.

pub mod admin;
pub mod batch;
pub mod ewos;
pub mod finas;
pub mod output;
pub mod persos;
pub mod ssh;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::core::auth;
use crate::core::clock::{Clock, SystemClock, WorkingDayClock};
use crate::core::date::parse_date_de;
use crate::core::error::{KisError, Result};
use crate::core::session::Session;
use crate::schema;
use crate::store::Db;

#[derive(Parser, Debug)]
#[command(
    name = "kis",
    version,
    about = "KIS – Kommunales Informationssystem (EWOS, FINAS, PERSOS)"
)]
pub struct Cli {
    /// Datenbank: sqlite:PFAD oder postgres://benutzer@host/db
    #[arg(
        long,
        env = "KIS_DB",
        default_value = "sqlite:kis.sqlite",
        global = true
    )]
    pub db: String,
    /// KIS-Benutzer (Kennwort aus KIS_PASSWORD oder Abfrage)
    #[arg(long, global = true)]
    pub user: Option<String>,
    /// Mandant, wenn der Benutzer für mehrere berechtigt ist
    #[arg(long, global = true)]
    pub mandant: Option<String>,
    /// Tastenbelegung: default, host oder Pfad einer .toml-Datei
    #[arg(long, default_value = "default")]
    pub keymap: String,
    /// Eigene Tastenbelegung, die über die gewählte gelegt wird
    #[arg(long, env = "KIS_KEYMAP_FILE")]
    pub keymap_file: Option<PathBuf>,
    /// Rahmen nur aus ASCII-Zeichen (- | +)
    #[arg(long)]
    pub ascii: bool,
    /// Ohne Farben (wie NO_COLOR)
    #[arg(long)]
    pub mono: bool,
    /// Nach der Anmeldung direkt diese Maske öffnen (z. B. KIS100)
    #[arg(long)]
    pub goto: Option<String>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Datenbank: Migrationen und Schemastand
    #[command(subcommand)]
    Db(admin::DbCmd),
    /// Benutzer und Rollen verwalten
    #[command(subcommand)]
    User(admin::UserCmd),
    /// Protokoll (Audit-Log) prüfen und anzeigen
    #[command(subcommand)]
    Audit(admin::AuditCmd),
    /// Demo-Gemeinde Musterstadt und Testdaten
    #[command(subcommand)]
    Demo(admin::DemoCmd),
    /// Tastenbelegung anzeigen
    Keys,
    /// Personalwesen: Lohnsteuer-Prüfrechner u. a.
    #[command(subcommand)]
    Persos(persos::PersosCmd),
    /// Einwohnerwesen: Personensuche, Meldebescheinigung
    #[command(subcommand)]
    Ewos(ewos::EwosCmd),
    /// Finanzwesen: Saldenliste, Pläne, Rechnungen, Bilanz, Kontenblatt
    #[command(subcommand)]
    Finas(finas::FinasCmd),
    /// Exporte, z. B. das Journal im ledger-Format
    #[command(subcommand)]
    Export(finas::ExportCmd),
    /// Stapelverarbeitung (z. B. Entgeltabrechnung eines Monats, ewos-loeschfristen)
    #[command(subcommand)]
    Batch(batch::BatchCmd),
    #[command(flatten)]
    Ssh(ssh::SshCmd),
}

/// The clock of this process: the wall clock, or the working day from
/// `KIS_HEUTE` (`TT.MM.JJJJ`) for demos and training.
pub fn clock_from_env() -> Result<Arc<dyn Clock>> {
    match std::env::var("KIS_HEUTE") {
        Ok(s) if !s.trim().is_empty() => Ok(Arc::new(WorkingDayClock {
            day: parse_date_de(&s)?,
        })),
        _ => Ok(Arc::new(SystemClock)),
    }
}

/// Open the store and bring its schema up to date.
pub fn open_store(url: &str) -> Result<Db> {
    let db = Db::open(url)?;
    crate::store::migrate::migrate(&db, &schema::migrations())?;
    Ok(db)
}

/// The password for `--user`: `KIS_PASSWORD`, else a prompt without echo.
pub fn password_for(user: &str) -> Result<String> {
    if let Ok(p) = std::env::var("KIS_PASSWORD") {
        return Ok(p);
    }
    rpassword::prompt_password(format!("Kennwort für {user}: "))
        .map_err(|e| KisError::System(format!("Kennwortabfrage: {e}")))
}

/// A command-line session: ends (its row and any locks go) when the
/// command is done, so commands leave no live sessions behind.
pub struct CliSession(Session);

impl std::ops::Deref for CliSession {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.0
    }
}

impl Drop for CliSession {
    fn drop(&mut self) {
        // A store that is gone cannot be told; the row then expires by itself.
        let _ = auth::end_session(&self.0);
    }
}

/// Log in the command-line user.
pub fn cli_session(cli: &Cli, db: &Db, clock: Arc<dyn Clock>) -> Result<CliSession> {
    let user = cli.user.as_deref().ok_or_else(|| {
        KisError::validation(
            "Bitte mit --user NAME angeben, als welcher KIS-Benutzer der Befehl läuft.",
        )
    })?;
    let password = password_for(user)?;
    auth::login(
        db,
        clock,
        user,
        &password,
        cli.mandant.as_deref(),
        "Kommandozeile",
    )
    .map(CliSession)
}
