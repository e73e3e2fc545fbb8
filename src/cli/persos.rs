//! `kis persos …`: payroll tools for specialists.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;

use std::sync::Arc;

use clap::Subcommand;

use super::output::{self, Out};
use super::{Cli, cli_session, open_store};
use crate::core::clock::Clock;
use crate::core::date::{format_date_de, parse_date_de};
use crate::core::error::{KisError, Result};
use crate::persos::finas as persos_finas;
use crate::persos::{auswertung, bescheinigung, lauf, lohnkonto, lohnsteuer, tarif};

#[derive(Subcommand, Debug)]
pub enum PersosCmd {
    /// TVöD-Tabellen (Entgelttabelle, Jahressonderzahlung): einspielen und anzeigen
    Tabelle {
        #[command(subcommand)]
        cmd: TabelleCmd,
    },
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
    /// Rückrechnung: abgerechnete Monate ab --ab neu berechnen; Differenzen zahlt die nächste Abrechnung
    Rueckrechnung {
        /// Erster zu berichtigender Monat, z. B. 2026-05
        #[arg(long)]
        ab: String,
    },
    /// Abrechnungslauf eines Monats stornieren (danach kann der Monat neu abgerechnet werden)
    Storno {
        /// Abrechnungsmonat, z. B. 2026-01
        #[arg(long)]
        monat: String,
    },
    /// Lohnjournal eines Monats (Liste oder CSV)
    Lohnjournal {
        #[arg(long)]
        monat: String,
        /// Als CSV ausgeben (Semikolon, Dezimalkomma)
        #[arg(long)]
        csv: bool,
        /// Ausgabedatei (Standard: Standardausgabe)
        #[arg(long = "out")]
        output: Option<PathBuf>,
    },
    /// Auswertung eines Monats: lsta (Lohnsteuer-Anmeldung), kosten (je Produkt/Kostenstelle), stellen (Köpfe/VZÄ)
    Auswertung {
        #[arg(long)]
        monat: String,
        /// lsta, kosten oder stellen
        #[arg(long)]
        art: String,
        /// Ausgabedatei (Standard: Standardausgabe)
        #[arg(long = "out")]
        output: Option<PathBuf>,
    },
    /// Lohnkonto eines Beschäftigten für ein Jahr (§ 41 EStG)
    Lohnkonto {
        #[arg(long)]
        jahr: i32,
        /// Personalnummer
        #[arg(long)]
        pnr: String,
        /// Ausgabedatei (Standard: Standardausgabe)
        #[arg(long = "out")]
        output: Option<PathBuf>,
    },
    /// Ausdruck der Lohnsteuerbescheinigung eines Beschäftigten (§ 41b EStG)
    Lohnsteuerbescheinigung {
        #[arg(long)]
        jahr: i32,
        /// Personalnummer
        #[arg(long)]
        pnr: String,
        /// Ausgabedatei (Standard: Standardausgabe)
        #[arg(long = "out")]
        output: Option<PathBuf>,
    },
    /// Entgeltbescheinigung (EBV) eines Beschäftigten für einen Monat
    Entgeltbescheinigung {
        #[arg(long)]
        monat: String,
        /// Personalnummer
        #[arg(long)]
        pnr: String,
        /// Ausgabedatei (Standard: Standardausgabe)
        #[arg(long = "out")]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TabelleCmd {
    /// Tabelle aus einer CSV-Datei einspielen; alle Zeilen werden vorher geprüft
    Import {
        /// CSV-Datei (Kopf gueltig_ab;eg;s1;…;s6 oder gueltig_ab;eg;satz; - = Standardeingabe)
        datei: PathBuf,
        /// Quelle der Tabelle (Standard: die Kommentarzeilen „# …“ der Datei)
        #[arg(long)]
        quelle: Option<String>,
        /// Nur prüfen, nichts speichern
        #[arg(long)]
        probe: bool,
    },
    /// Entgelttabelle zu einem Stichtag anzeigen
    Zeigen {
        /// Stichtag (Standard: heute)
        #[arg(long)]
        stichtag: Option<String>,
    },
    /// Erfasste Tabellenstände mit Quelle auflisten
    Liste,
}

fn tabelle(cli: &Cli, cmd: &TabelleCmd, clock: Arc<dyn Clock>, out: &mut Out) -> Result<()> {
    match cmd {
        TabelleCmd::Import {
            datei,
            quelle,
            probe,
        } => {
            let mut text = String::new();
            if datei.as_os_str() == "-" {
                std::io::stdin().lock().read_to_string(&mut text)?;
            } else {
                File::open(datei)
                    .and_then(|mut f| f.read_to_string(&mut text))
                    .map_err(|e| {
                        KisError::System(format!(
                            "Eingabedatei {} nicht lesbar: {e}",
                            datei.display()
                        ))
                    })?;
            }
            let gelesen = tarif::lies(&text, quelle.as_deref())?;
            with_session(cli, clock, |session| {
                for b in tarif::einspielen(session, &gelesen, *probe)? {
                    out.line(format!(
                        "{} ab {}: {} Zeilen {}.",
                        b.art.text(),
                        format_date_de(b.gueltig_ab),
                        b.zeilen,
                        match (probe, b.ersetzt) {
                            (true, true) => "geprüft (würde den bisherigen Stand ersetzen)",
                            (true, false) => "geprüft (neu)",
                            (false, true) => "eingespielt (bisheriger Stand ersetzt)",
                            (false, false) => "eingespielt",
                        }
                    ))?;
                }
                Ok(())
            })
        }
        TabelleCmd::Zeigen { stichtag } => with_session(cli, clock, |session| {
            let tag = match stichtag {
                Some(s) => parse_date_de(s)?,
                None => session.today(),
            };
            out.text(&tarif::tabelle_text(session, tag)?)?;
            Ok(())
        }),
        TabelleCmd::Liste => with_session(cli, clock, |session| {
            for b in tarif::bloecke(session)? {
                out.line(format!(
                    "{:<20} ab {}  erfasst {} von {}",
                    b.art.text(),
                    format_date_de(b.gueltig_ab),
                    b.erfasst_am,
                    b.erfasst_von
                ))?;
                out.line(format!("    Quelle: {}", b.quelle))?;
            }
            Ok(())
        }),
    }
}

/// A document to `--out` (written whole or not at all) or to stdout.
fn write_out(out: &mut Out, output: &Option<PathBuf>, text: &str) -> Result<()> {
    match output {
        Some(p) => output::write_file(p, text),
        None => out.text(text),
    }
}

/// Runs `f` with a session of the command-line user on the store.
fn with_session(
    cli: &Cli,
    clock: Arc<dyn Clock>,
    f: impl FnOnce(&crate::kernel::session::Session) -> Result<()>,
) -> Result<()> {
    let db = open_store(cli)?;
    let session = cli_session(cli, &db, clock)?;
    f(&session)
}

pub fn run(cli: &Cli, cmd: &PersosCmd, clock: Arc<dyn Clock>, out: &mut Out) -> Result<()> {
    match cmd {
        PersosCmd::Tabelle { cmd } => tabelle(cli, cmd, clock, out),
        PersosCmd::Rueckrechnung { ab } => with_session(cli, clock, |session| {
            for k in lauf::rueckrechnen(session, ab)? {
                let summe: crate::core::money::Money = k.differenzen.iter().map(|d| d.1).sum();
                out.line(format!(
                    "Rückrechnung {}: Lauf {}, {} Beschäftigte mit Differenz, zusammen {} €.",
                    k.lauf.monat,
                    k.lauf.lauf_nr,
                    k.differenzen.len(),
                    summe.format_de()
                ))?;
            }
            out.line("Die Differenzen werden mit der nächsten regulären Abrechnung ausgezahlt bzw. verrechnet.")?;
            Ok(())
        }),
        PersosCmd::Storno { monat } => with_session(cli, clock, |session| {
            let l = lauf::storniere(session, monat)?;
            out.line(format!("Lauf {} für {} storniert.", l.lauf_nr, l.monat))?;
            Ok(())
        }),
        PersosCmd::Lohnjournal { monat, csv, output } => with_session(cli, clock, |session| {
            let (zeilen, summe) = bescheinigung::lohnjournal(session, monat)?;
            let text = if *csv {
                bescheinigung::lohnjournal_csv(&zeilen, &summe)
            } else {
                let mut t = bescheinigung::lohnjournal_text(monat, &zeilen, &summe);
                if let Some(u) = persos_finas::uebersicht(session, monat)? {
                    t.push('\n');
                    t.push_str(&persos_finas::uebersicht_text(&u));
                }
                t
            };
            write_out(out, output, &text)
        }),
        PersosCmd::Auswertung { monat, art, output } => with_session(cli, clock, |session| {
            write_out(out, output, &auswertung::dokument(session, monat, art)?)
        }),
        PersosCmd::Lohnkonto { jahr, pnr, output } => with_session(cli, clock, |session| {
            write_out(out, output, &lohnkonto::lohnkonto(session, *jahr, pnr)?)
        }),
        PersosCmd::Lohnsteuerbescheinigung { jahr, pnr, output } => {
            with_session(cli, clock, |session| {
                write_out(
                    out,
                    output,
                    &lohnkonto::lohnsteuerbescheinigung(session, *jahr, pnr)?,
                )
            })
        }
        PersosCmd::Entgeltbescheinigung { monat, pnr, output } => {
            with_session(cli, clock, |session| {
                let text = bescheinigung::entgeltbescheinigung(session, monat, pnr)?;
                write_out(out, output, &text)
            })
        }
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
            // csv_run checks every row before it writes anything, and a file
            // appears only when complete: a bad row leaves no output file.
            let summary = if output.as_os_str() == "-" {
                let summary = lohnsteuer::csv_run(*jahr, reader, &mut *out)?;
                out.finish()?;
                summary
            } else {
                output::write_file_with(output, |o| lohnsteuer::csv_run(*jahr, reader, o))?
            };
            output::note(&format!(
                "{} Zeilen nach PAP {} berechnet.",
                summary.zeilen, summary.jahr
            ));
            Ok(())
        }
    }
}
