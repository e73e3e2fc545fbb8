//! `kis batch …`: batch jobs, run as a KIS user through the same services
//! as the masks.

use std::sync::Arc;

use clap::Subcommand;

use super::output::{self, Out};
use super::{Cli, cli_session};
use crate::core::clock::Clock;
use crate::core::error::Result;
use crate::persos::finas as persos_finas;
use crate::persos::lauf;
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum BatchCmd {
    /// Entgeltabrechnung eines Monats für alle aktiven Beschäftigten (eine Transaktion)
    PersosAbrechnung {
        /// Abrechnungsmonat, z. B. 2026-01 oder 01.2026
        #[arg(long)]
        monat: String,
    },
    /// Löschfristen des Melderegisters (§ 14 BMG): archivieren bzw. löschen
    EwosLoeschfristen {
        /// Nur auflisten, nichts ändern
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(cli: &Cli, cmd: &BatchCmd, db: &Db, clock: Arc<dyn Clock>, out: &mut Out) -> Result<()> {
    match cmd {
        BatchCmd::PersosAbrechnung { monat } => persos_abrechnung(cli, monat, db, clock, out),
        BatchCmd::EwosLoeschfristen { dry_run } => {
            super::ewos::loeschfristen(cli, *dry_run, db, clock, out)
        }
    }
}

fn persos_abrechnung(
    cli: &Cli,
    monat: &str,
    db: &Db,
    clock: Arc<dyn Clock>,
    out: &mut Out,
) -> Result<()> {
    let session = cli_session(cli, db, clock)?;
    let info = lauf::starte(&session, monat, &mut |done, total| {
        if done == total || done % 100 == 0 {
            output::progress(&format!("Abrechnung: {done} von {total} Beschäftigten"));
        }
        Ok(())
    })?;
    output::note("");
    out.line(format!(
        "Monat {} abgerechnet (Lauf {}): {} Beschäftigte, Gesamtbrutto {} €, Auszahlung {} €.",
        info.monat,
        info.lauf_nr,
        info.anzahl,
        info.summe_brutto.format_de(),
        info.summe_auszahlung.format_de()
    ))?;
    if let Some(u) = persos_finas::uebersicht(&session, monat)? {
        out.line(format!(
            "FINAS-Buchung Nr. {} ({}): Personalaufwand {} €, {} Auszahlungsanordnungen.",
            u.buchung,
            u.beleg,
            u.summe_aufwand().format_de(),
            u.auszahlungen.len()
        ))?;
        for w in &u.warnungen {
            out.line(format!("Haushaltswarnung: {w}"))?;
        }
    }
    Ok(())
}
