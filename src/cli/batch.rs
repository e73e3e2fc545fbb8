//! `kis batch …`: batch jobs, run as a logged-in KIS user.

use std::sync::Arc;

use clap::Subcommand;

use super::{Cli, cli_session};
use crate::core::clock::Clock;
use crate::core::date::format_date_de;
use crate::core::error::Result;
use crate::ewos::loeschfristen::{self, Massnahme};
use crate::ewos::model::format_om;
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum BatchCmd {
    /// Löschfristen des Melderegisters (§ 14 BMG): archivieren bzw. löschen
    EwosLoeschfristen {
        /// Nur auflisten, nichts ändern
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(cli: &Cli, cmd: &BatchCmd, db: &Db, clock: Arc<dyn Clock>) -> Result<()> {
    let session = cli_session(cli, db, clock)?;
    match cmd {
        BatchCmd::EwosLoeschfristen { dry_run } => {
            let faelle = loeschfristen::ausfuehren(&session, *dry_run)?;
            for f in &faelle {
                let was = match (f.massnahme, dry_run) {
                    (Massnahme::Archivieren, true) => "wird archiviert",
                    (Massnahme::Archivieren, false) => "archiviert",
                    (Massnahme::Loeschen, true) => "wird gelöscht",
                    (Massnahme::Loeschen, false) => "gelöscht",
                };
                println!(
                    "{}  {:<40} {:<11} {}  {was}",
                    format_om(f.person_id),
                    f.name,
                    f.status,
                    format_date_de(f.datum)
                );
            }
            let prefix = if *dry_run { "Probelauf: " } else { "" };
            println!(
                "{prefix}{} Fälle (Mandant {}, Stichtag {}).",
                faelle.len(),
                session.mandant.id,
                format_date_de(session.today())
            );
            Ok(())
        }
    }
}
