//! The command line: the TUI (no subcommand) and the commands for
//! administration, support, batch jobs and file interfaces. Every command
//! that reads or changes data runs as a KIS user (`--user`, password from
//! `KIS_PASSWORD` or a prompt) and goes through the same services as the masks.

pub mod admin;
pub mod batch;
pub mod ewos;
pub mod finas;
pub mod finas_kasse;
pub mod finas_mahnwesen;
pub mod keys;
pub mod output;
pub mod persos;
pub mod ssh;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::core::clock::{Clock, SystemClock, WorkingDayClock};
use crate::core::date::parse_date_de;
use crate::core::error::{KisError, Result};
use crate::kernel::auth;
use crate::kernel::session::Session;
use crate::schema;
use crate::store::{Db, migrate};

/// The store when neither `--db` nor `KIS_DB` names one: `kis.sqlite` in
/// the working directory. Only this one is created (with the demo) by the
/// first start of the TUI without asking.
pub const DEFAULT_DB: &str = "sqlite:kis.sqlite";

#[derive(Parser, Debug)]
#[command(
    name = "kis",
    version,
    about = "KIS – Kommunales Informationssystem (EWOS, FINAS, PERSOS)"
)]
pub struct Cli {
    /// Datenbank: sqlite:PFAD oder postgres://benutzer@host/db
    #[arg(long, env = "KIS_DB", default_value = DEFAULT_DB, global = true)]
    pub db: String,
    /// Datenbank anlegen, falls es sie nicht gibt (leer, ohne Demo-Daten)
    #[arg(long, global = true)]
    pub neu: bool,
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

/// Open the store and bring its schema up to date. The store must exist
/// and carry the KIS schema — a mistyped `--db` must not turn into a new,
/// empty store — unless `--neu` says to create it (empty, without demo).
pub fn open_store(cli: &Cli) -> Result<Db> {
    let db = open_store_unmigrated(cli)?;
    migrate::migrate(&db, &schema::migrations())?;
    Ok(db)
}

/// [`open_store`] without applying pending migrations.
pub(crate) fn open_store_unmigrated(cli: &Cli) -> Result<Db> {
    let db = if cli.neu {
        Db::open(&cli.db)?
    } else {
        let db = Db::open_existing(&cli.db)?.ok_or_else(|| not_there(missing_store(&cli.db)))?;
        if !migrate::has_schema(&db)? {
            return Err(not_there(no_schema(&db)));
        }
        db
    };
    Ok(db)
}

/// Only called for SQLite (PostgreSQL addresses are never "missing"), so
/// the address carries no password.
pub(crate) fn missing_store(url: &str) -> String {
    format!("Datenbank {} existiert nicht.", url.trim())
}

fn no_schema(db: &Db) -> String {
    format!(
        "Datenbank {} enthält keinen KIS-Datenbestand.",
        db.describe()
    )
}

pub(crate) fn not_there(what: String) -> KisError {
    KisError::NotFound(format!(
        "{what} Neu anlegen mit `kis db init` (oder --neu)."
    ))
}

/// The store for the TUI (`kis` without a subcommand). The documented
/// first start — the default `sqlite:kis.sqlite` that does not exist yet —
/// creates it and loads the demo Musterstadt. Any other store that does not
/// exist (or has no KIS schema) is created only after a yes on the terminal,
/// empty; without a terminal the start is refused. `--neu` creates without
/// asking (empty).
pub fn open_for_tui(cli: &Cli, clock: &dyn Clock) -> Result<Db> {
    if cli.neu {
        return open_store(cli);
    }
    let found = Db::open_existing(&cli.db)?;
    if let Some(db) = &found
        && migrate::has_schema(db)?
    {
        migrate::migrate(db, &schema::migrations())?;
        return Ok(db.clone());
    }
    let first_start = found.is_none() && cli.db.trim() == DEFAULT_DB;
    if !first_start {
        let question = match &found {
            None => missing_store(&cli.db),
            Some(db) => no_schema(db),
        };
        if !ask_create(&question)? {
            return Err(not_there(question));
        }
    }
    let db = match found {
        Some(db) => db,
        None => Db::open(&cli.db)?,
    };
    migrate::migrate(&db, &schema::migrations())?;
    if first_start {
        crate::demo::load_if_empty(&db, clock)?;
    }
    Ok(db)
}

/// Ask on the terminal whether to create the store (`j`/`ja`, default no);
/// without a terminal the answer is no.
fn ask_create(text: &str) -> Result<bool> {
    use std::io::{BufRead, IsTerminal};
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    output::progress(&format!(
        "{text} Jetzt leer anlegen (ohne Demo-Daten)? (j/N) "
    ));
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_lowercase().as_str(),
        "j" | "ja" | "y" | "yes"
    ))
}

/// The TUI needs someone to log in: a store without users says how to set it up.
pub fn require_users(db: &Db) -> Result<()> {
    if auth::has_users(db)? {
        return Ok(());
    }
    Err(KisError::NotFound(format!(
        "Datenbank {} enthält noch keine Benutzer. Demo-Gemeinde laden mit `kis demo load`.",
        db.describe()
    )))
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

/// The local TUI's options from the command line: `--user` or the real
/// uid's login name (never `$USER`) pre-fills the login mask; the client is
/// the address in `SSH_CLIENT` (untrusted, informational only) or "lokal".
pub fn local_options(cli: &Cli) -> crate::term::local::LocalOptions {
    let client = crate::ssh::gate::client_ip(std::env::var("SSH_CLIENT").ok().as_deref())
        .map(|ip| format!("ssh {ip}"))
        .unwrap_or_else(|| "lokal".to_string());
    crate::term::local::LocalOptions {
        keymap: cli.keymap.clone(),
        keymap_file: cli.keymap_file.clone(),
        ascii: cli.ascii,
        mono: cli.mono,
        goto: cli.goto.clone(),
        user: cli.user.clone().or_else(crate::ssh::gate::unix_login),
        mandant: cli.mandant.clone(),
        client,
    }
}
