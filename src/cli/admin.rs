//! `kis db|user|audit|demo …`: administration from the command line.

use std::sync::Arc;

use clap::Subcommand;

use super::output::Out;
use super::{Cli, cli_session};
use crate::core::clock::Clock;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::demo;
use crate::kernel::audit::{self, Verdict};
use crate::kernel::auth::{self, AdminActor};
use crate::schema;
use crate::store::{Db, migrate};

#[derive(Subcommand, Debug)]
pub enum DbCmd {
    /// Neue, leere Datenbank anlegen (nur Schema, keine Demo-Daten)
    Init,
    /// Ausstehende Migrationen anwenden (zweimal anwenden ändert nichts)
    Migrate,
    /// Schemaversion und ausstehende Migrationen anzeigen
    Status,
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Benutzer anlegen (Kennwort aus KIS_NEW_PASSWORD oder Abfrage)
    Add {
        name: String,
        /// Voller Name, z. B. "Maria Meier"
        #[arg(long = "name")]
        full_name: String,
    },
    /// Benutzer mit ihren Rollen je Mandant auflisten
    List,
    /// Kennwort setzen (aus KIS_NEW_PASSWORD oder Abfrage)
    Passwd { name: String },
    /// Rollen eines Benutzers in einem Mandanten setzen (ersetzt die bisherigen)
    Roles {
        name: String,
        /// Mandant, für den die Rollen gelten
        #[arg(long = "in")]
        mandant: String,
        /// Rollen, z. B. EWOS_AENDERN FINAS_LESEN (keine = alle entziehen)
        roles: Vec<String>,
    },
    #[command(flatten)]
    Ssh(super::ssh::SshUserCmd),
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Protokollkette mit dem Audit-Schlüssel und den Prüfpunkten prüfen; Exit-Code 1 und erster defekter Eintrag bei Fehlern
    Verify,
    /// Prüfpunkt (Nummer und Prüfsumme des letzten Eintrags) in die Prüfpunktdatei schreiben und anzeigen
    Checkpoint,
    /// Die neuesten Einträge anzeigen
    List {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

#[derive(Subcommand, Debug)]
pub enum DemoCmd {
    /// Demo-Gemeinde Musterstadt laden (nur in einen leeren Speicher)
    Load,
    /// N erzeugte Einwohner (deterministisch) zur Demo-Gemeinde hinzufügen
    Residents {
        /// Anzahl der Einwohner
        n: usize,
        /// Startwert des Zufallsgenerators
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// N Demo-Buchungen (deterministisch) in das Journal schreiben
    Postings {
        anzahl: usize,
        /// Haushaltsjahr (ohne: das laufende)
        #[arg(long)]
        jahr: Option<i32>,
    },
    /// N Demo-Anordnungen (deterministisch) erfassen; freigeben muss eine zweite Person
    Kasse {
        #[arg(long, default_value_t = 300)]
        anzahl: usize,
    },
    /// Demo-Kontoauszug camt.053.001.08 für die offenen Forderungen schreiben (deterministisch)
    BankStatement {
        /// Anzahl der Umsätze
        #[arg(long, default_value_t = 100)]
        entries: usize,
        /// Zieldatei
        #[arg(long)]
        out: std::path::PathBuf,
        /// Startwert des Zufallsgenerators
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

/// Who may administrate: the built-in administrator only on a store
/// without any user (first set-up), else a logged-in administrator.
fn admin_session(cli: &Cli, db: &Db, clock: Arc<dyn Clock>) -> Result<Option<super::CliSession>> {
    if auth::has_users(db)? {
        let s = cli_session(cli, db, clock)?;
        s.require(&[Role::Admin])?;
        Ok(Some(s))
    } else {
        Ok(None)
    }
}

fn new_password(name: &str) -> Result<String> {
    if let Ok(p) = std::env::var("KIS_NEW_PASSWORD") {
        return Ok(p);
    }
    let a = rpassword::prompt_password(format!("Neues Kennwort für {name}: "))
        .map_err(|e| KisError::System(e.to_string()))?;
    let b =
        rpassword::prompt_password("Wiederholen: ").map_err(|e| KisError::System(e.to_string()))?;
    if a != b {
        return Err(KisError::validation(
            "Die beiden Kennwörter stimmen nicht überein.",
        ));
    }
    Ok(a)
}

fn versions(v: &[u32]) -> String {
    v.iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `kis db init|migrate|status`: the schema, no KIS data (so no KIS login;
/// whoever may open the database file or connect to PostgreSQL runs them).
/// Only `init` (or `--neu`) creates a store; `status` never changes one.
pub fn run_db(cli: &Cli, cmd: &DbCmd, out: &mut Out) -> Result<()> {
    match cmd {
        DbCmd::Init => {
            let db = Db::open(&cli.db)?;
            if migrate::has_schema(&db)? {
                return Err(KisError::Conflict(format!(
                    "Datenbank {} ist schon angelegt – nichts geändert (Schema aktualisieren mit `kis db migrate`).",
                    db.describe()
                )));
            }
            let applied = migrate::migrate(&db, &schema::migrations())?;
            out.line(format!(
                "Datenbank {} angelegt (leer, ohne Demo-Daten). Angewendet: {}",
                db.describe(),
                versions(&applied)
            ))?;
            return Ok(());
        }
        DbCmd::Migrate => {
            let db = super::open_store_unmigrated(cli)?;
            let applied = migrate::migrate(&db, &schema::migrations())?;
            if applied.is_empty() {
                out.line("Schema ist aktuell – nichts zu tun.")?;
            } else {
                out.line(format!("Angewendet: {}", versions(&applied)))?;
            }
        }
        DbCmd::Status => {
            let db = Db::open_existing(&cli.db)?
                .ok_or_else(|| super::not_there(super::missing_store(&cli.db)))?;
            let st = migrate::status(&db, &schema::migrations())?;
            out.line(format!("Datenbank:     {}", db.describe()))?;
            out.line(format!(
                "Schemaversion: {}",
                st.current
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "– (leer)".into())
            ))?;
            out.line(format!("Aktuell:       {}", st.latest))?;
            if st.pending.is_empty() {
                out.line("Ausstehend:    keine")?;
            } else {
                out.line(format!("Ausstehend:    {}", versions(&st.pending)))?;
            }
        }
    }
    Ok(())
}

pub fn run_user(
    cli: &Cli,
    cmd: &UserCmd,
    db: &Db,
    clock: Arc<dyn Clock>,
    out: &mut Out,
) -> Result<()> {
    let session = admin_session(cli, db, clock.clone())?;
    let by = match &session {
        Some(s) => AdminActor::Session(s),
        None => AdminActor::Bootstrap {
            clock: clock.as_ref(),
        },
    };
    match cmd {
        UserCmd::Add { name, full_name } => {
            let pw = new_password(name)?;
            auth::add_user(db, &by, name, full_name, &pw)?;
            out.line(format!("Benutzer {} angelegt.", name.to_uppercase()))?;
        }
        UserCmd::List => {
            out.line(format!(
                "{:<16} {:<28} {:<5} Rollen",
                "Benutzer", "Name", "Aktiv"
            ))?;
            for u in auth::list_users(db)? {
                let roles = u
                    .roles
                    .iter()
                    .map(|(m, r)| {
                        format!(
                            "{m}: {}",
                            r.iter().map(|x| x.code()).collect::<Vec<_>>().join(" ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                out.line(format!(
                    "{:<16} {:<28} {:<5} {}",
                    u.name,
                    u.full_name,
                    if u.active { "ja" } else { "nein" },
                    roles
                ))?;
            }
        }
        UserCmd::Passwd { name } => {
            let pw = new_password(name)?;
            auth::set_password(db, &by, name, &pw)?;
            out.line(format!("Kennwort für {} gesetzt.", name.to_uppercase()))?;
        }
        UserCmd::Roles {
            name,
            mandant,
            roles,
        } => {
            let parsed = roles
                .iter()
                .map(|r| r.parse::<Role>().map_err(KisError::validation))
                .collect::<Result<Vec<_>>>()?;
            auth::set_roles(db, &by, name, mandant, &parsed)?;
            out.line(format!(
                "Rollen von {} in Mandant {mandant} gesetzt: {}",
                name.to_uppercase(),
                roles.join(" ").to_uppercase()
            ))?;
        }
        UserCmd::Ssh(cmd) => super::ssh::run_user(cmd, db, &by, out)?,
    }
    Ok(())
}

/// Returns whether the chain is intact (the process exits non-zero if not).
pub fn run_audit(
    cli: &Cli,
    cmd: &AuditCmd,
    db: &Db,
    clock: Arc<dyn Clock>,
    out: &mut Out,
) -> Result<bool> {
    let s = cli_session(cli, db, clock)?;
    s.require(&[Role::Admin, Role::Support])?;
    match cmd {
        AuditCmd::Verify => {
            let report = audit::verify_report(db)?;
            let ok = match &report.verdict {
                Verdict::Intact { entries } => {
                    out.line(format!(
                        "Protokoll intakt: {entries} Einträge, Kette mit dem Audit-Schlüssel vollständig, \
                         {} Prüfpunkte stimmen.",
                        report.checkpoints
                    ))?;
                    true
                }
                Verdict::Broken { seq, reason } => {
                    out.line(format!("Protokoll DEFEKT ab Eintrag {seq}: {reason}"))?;
                    false
                }
            };
            if report.legacy > 0 {
                out.line(format!(
                    "Hinweis: die {} Einträge vor der Umstellung tragen noch die alte Prüfsumme \
                     ohne Schlüssel; sie sind durch den ersten signierten Eintrag gesichert.",
                    report.legacy
                ))?;
            }
            for w in &report.warnings {
                out.line(format!("Warnung: {w}"))?;
            }
            Ok(ok)
        }
        AuditCmd::Checkpoint => {
            s.require(&[Role::Admin])?;
            let cp = audit::checkpoint(db)?;
            let file = db
                .audit_anchor()
                .checkpoint_file()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            out.line(format!("Prüfpunkt geschrieben nach {file}:"))?;
            out.line(format!("{};{};{}", cp.seq, cp.mac, cp.at))?;
            out.line(
                "Bitte diese Zeile auch außerhalb des Rechners aufbewahren (z. B. ausgedruckt).",
            )?;
            Ok(true)
        }
        AuditCmd::List { limit } => {
            for e in db.read(|sql| audit::latest(sql, *limit))? {
                out.line(format!(
                    "{:>6} {} {:<8} {:<4} {:<22} {:<12} {}",
                    e.seq,
                    e.at.replace('T', " "),
                    e.user,
                    e.mandant,
                    e.action,
                    e.entity,
                    e.key
                ))?;
            }
            Ok(true)
        }
    }
}

pub fn run_demo(
    cli: &Cli,
    cmd: &DemoCmd,
    db: &Db,
    clock: Arc<dyn Clock>,
    out: &mut Out,
) -> Result<()> {
    match cmd {
        DemoCmd::Load => {
            // Only into an empty store: its users have known passwords.
            if demo::load_if_empty(db, clock.as_ref())? {
                out.line("Demo-Gemeinde Musterstadt geladen. Anmeldung z. B. mit demo / demo.")?;
                Ok(())
            } else {
                Err(KisError::Conflict(
                    "Der Speicher enthält schon Mandanten oder Benutzer – Demo-Gemeinde nicht geladen."
                        .into(),
                ))
            }
        }
        DemoCmd::Residents { n, seed } => {
            super::ewos::demo_residents(cli, db, clock, *n, *seed, out)
        }
        DemoCmd::Postings { anzahl, jahr } => {
            super::finas::demo_postings(cli, db, clock, *anzahl, *jahr, out)
        }
        DemoCmd::Kasse { anzahl } => {
            let s = cli_session(cli, db, clock)?;
            let nrs = crate::finas::kasse::generator::anordnungen(&s, *anzahl)?;
            out.line(format!(
                "{} Demo-Anordnungen erfasst (Nr. {} bis {}); freigeben mit `kis finas anordnung freigeben --alle` durch eine zweite, anordnungsbefugte Person.",
                nrs.len(),
                nrs.first().copied().unwrap_or_default(),
                nrs.last().copied().unwrap_or_default()
            ))
        }
        DemoCmd::BankStatement {
            entries,
            out: datei,
            seed,
        } => {
            let s = cli_session(cli, db, clock)?;
            let xml = crate::finas::kasse::generator::kontoauszug(&s, *entries, *seed)?;
            super::output::write_file(datei, &xml)?;
            out.line(format!(
                "Demo-Kontoauszug mit {entries} Umsätzen geschrieben: {}",
                datei.display()
            ))
        }
    }
}
