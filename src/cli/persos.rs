//! `kis persos …`: payroll tools for specialists.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use clap::Subcommand;

use crate::core::error::{KisError, Result};
use crate::persos::lohnsteuer;

#[derive(Subcommand, Debug)]
pub enum PersosCmd {
    /// Lohnsteuer nach dem Programmablaufplan des BMF berechnen (wie der BMF-Prüfrechner)
    Lohnsteuer {
        /// Jahr des PAP (2025 oder 2026)
        #[arg(long)]
        jahr: i32,
        /// Eingabe-CSV mit einer Spalte je PAP-Eingangsparameter (- = Standardeingabe)
        #[arg(long = "in")]
        input: PathBuf,
        /// Ausgabe-CSV (- = Standardausgabe)
        #[arg(long = "out")]
        output: PathBuf,
    },
}

pub fn run(cmd: &PersosCmd) -> Result<()> {
    match cmd {
        PersosCmd::Lohnsteuer {
            jahr,
            input,
            output,
        } => {
            let reader: Box<dyn Read> = if input.as_os_str() == "-" {
                Box::new(std::io::stdin().lock())
            } else {
                Box::new(BufReader::new(File::open(input).map_err(|e| {
                    KisError::System(format!(
                        "Eingabedatei {} nicht lesbar: {e}",
                        input.display()
                    ))
                })?))
            };
            // Compute into memory first: a file with a bad row leaves no output file behind.
            let mut out = Vec::new();
            let summary = lohnsteuer::csv_run(*jahr, reader, &mut out)?;
            let mut writer: Box<dyn Write> = if output.as_os_str() == "-" {
                Box::new(std::io::stdout().lock())
            } else {
                Box::new(BufWriter::new(File::create(output).map_err(|e| {
                    KisError::System(format!(
                        "Ausgabedatei {} nicht schreibbar: {e}",
                        output.display()
                    ))
                })?))
            };
            writer.write_all(&out)?;
            writer.flush()?;
            eprintln!(
                "{} Zeilen nach PAP {} berechnet.",
                summary.zeilen, summary.jahr
            );
            Ok(())
        }
    }
}
