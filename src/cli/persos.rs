//! `kis persos …`: payroll tools for specialists.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use std::sync::Arc;

use clap::Subcommand;

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
    /// SEPA-Überweisungsdatei (pain.001.001.09) mit den Nettoentgelten des aktiven Laufs eines Monats
    Sepa {
        /// Abrechnungsmonat, z. B. 2026-01
        #[arg(long)]
        monat: String,
        /// Ausgabedatei (- = Standardausgabe)
        #[arg(long = "out")]
        output: PathBuf,
        /// Ausführungstermin TT.MM.JJJJ (Standard: heute)
        #[arg(long)]
        ausfuehrung: Option<String>,
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

fn tabelle(cli: &Cli, cmd: &TabelleCmd, clock: Arc<dyn Clock>) -> Result<()> {
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
                    println!(
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
                    );
                }
                Ok(())
            })
        }
        TabelleCmd::Zeigen { stichtag } => with_session(cli, clock, |session| {
            let tag = match stichtag {
                Some(s) => parse_date_de(s)?,
                None => session.today(),
            };
            print!("{}", tarif::tabelle_text(session, tag)?);
            Ok(())
        }),
        TabelleCmd::Liste => with_session(cli, clock, |session| {
            for b in tarif::bloecke(session)? {
                println!(
                    "{:<20} ab {}  erfasst {} von {}\n    Quelle: {}",
                    b.art.text(),
                    format_date_de(b.gueltig_ab),
                    b.erfasst_am,
                    b.erfasst_von,
                    b.quelle
                );
            }
            Ok(())
        }),
    }
}

fn write_out(output: &Option<PathBuf>, text: &str) -> Result<()> {
    match output {
        Some(p) => std::fs::write(p, text).map_err(|e| {
            KisError::System(format!(
                "Ausgabedatei {} nicht schreibbar: {e}",
                p.display()
            ))
        }),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}

/// Runs `f` with a session of the command-line user on the store.
fn with_session(
    cli: &Cli,
    clock: Arc<dyn Clock>,
    f: impl FnOnce(&crate::core::session::Session) -> Result<()>,
) -> Result<()> {
    let db = open_store(&cli.db)?;
    let session = cli_session(cli, &db, clock)?;
    f(&session)
}

pub fn run(cli: &Cli, cmd: &PersosCmd, clock: Arc<dyn Clock>) -> Result<()> {
    match cmd {
        PersosCmd::Tabelle { cmd } => tabelle(cli, cmd, clock),
        PersosCmd::Rueckrechnung { ab } => with_session(cli, clock, |session| {
            for k in lauf::rueckrechnen(session, ab)? {
                let summe: crate::core::money::Money = k.differenzen.iter().map(|d| d.1).sum();
                println!(
                    "Rückrechnung {}: Lauf {}, {} Beschäftigte mit Differenz, zusammen {} €.",
                    k.lauf.monat,
                    k.lauf.lauf_nr,
                    k.differenzen.len(),
                    summe.format_de()
                );
            }
            println!(
                "Die Differenzen werden mit der nächsten regulären Abrechnung ausgezahlt bzw. verrechnet."
            );
            Ok(())
        }),
        PersosCmd::Storno { monat } => with_session(cli, clock, |session| {
            let l = lauf::storniere(session, monat)?;
            println!("Lauf {} für {} storniert.", l.lauf_nr, l.monat);
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
            write_out(output, &text)
        }),
        PersosCmd::Auswertung { monat, art, output } => with_session(cli, clock, |session| {
            write_out(output, &auswertung::dokument(session, monat, art)?)
        }),
        PersosCmd::Lohnkonto { jahr, pnr, output } => with_session(cli, clock, |session| {
            write_out(output, &lohnkonto::lohnkonto(session, *jahr, pnr)?)
        }),
        PersosCmd::Lohnsteuerbescheinigung { jahr, pnr, output } => {
            with_session(cli, clock, |session| {
                write_out(
                    output,
                    &lohnkonto::lohnsteuerbescheinigung(session, *jahr, pnr)?,
                )
            })
        }
        PersosCmd::Sepa {
            monat,
            output,
            ausfuehrung,
        } => with_session(cli, clock, |session| {
            let datum = ausfuehrung
                .as_deref()
                .map(parse_date_de)
                .transpose()
                .map_err(|e| KisError::field("ausfuehrung", format!("Ausführungstermin: {e}")))?;
            let datei = persos_finas::sepa_datei(session, monat, datum)?;
            if output.as_os_str() == "-" {
                write_out(&None, &datei.xml)?;
            } else {
                write_out(&Some(output.clone()), &datei.xml)?;
            }
            eprintln!(
                "SEPA-Überweisungsdatei: {} Zahlungen, Summe {} €, Ausführung {}.",
                datei.anzahl,
                datei.summe.format_de(),
                format_date_de(datei.ausfuehrung)
            );
            Ok(())
        }),
        PersosCmd::Entgeltbescheinigung { monat, pnr, output } => {
            with_session(cli, clock, |session| {
                let text = bescheinigung::entgeltbescheinigung(session, monat, pnr)?;
                write_out(output, &text)
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
