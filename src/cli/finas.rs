//! `kis finas …` (statements and reports of the Finanzwesen), `kis export
//! journal` and `kis demo postings`: the same services as the FIN masks.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Datelike;
use clap::{Subcommand, ValueEnum};

use super::output::{self, Out};
use super::{Cli, cli_session};
use crate::core::clock::Clock;
use crate::core::date::{format_date_de, parse_date_de};
use crate::core::error::{KisError, Result};
use crate::finas::plan::{self, Plan};
use crate::finas::{journal, ledger, rechnung, stamm};
use crate::store::Db;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PlanArt {
    Ergebnis,
    Finanz,
}

impl From<PlanArt> for Plan {
    fn from(a: PlanArt) -> Plan {
        match a {
            PlanArt::Ergebnis => Plan::Ergebnis,
            PlanArt::Finanz => Plan::Finanz,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum FinasCmd {
    /// Summen- und Saldenliste eines Jahres (Konto, Bezeichnung, EB-Wert, Soll, Haben, Saldo)
    Saldenliste {
        #[arg(long)]
        jahr: i32,
        /// Nur ein Produkt, eine Produktgruppe oder ein Produktbereich (z. B. 01.01)
        #[arg(long)]
        produkt: Option<String>,
        /// CSV (;) statt Liste
        #[arg(long)]
        csv: bool,
    },
    /// Ergebnis- oder Finanzplan (Gesamtplan oder Teilplan eines Produkts)
    Plan {
        #[arg(long)]
        jahr: i32,
        #[arg(long, value_enum, default_value = "ergebnis")]
        art: PlanArt,
        #[arg(long)]
        produkt: Option<String>,
        /// Planversion (ohne: die geltende)
        #[arg(long)]
        version: Option<i64>,
        #[arg(long)]
        csv: bool,
    },
    /// Planversion (Haushalt oder Nachtrag) beschließen; danach sind ihre Ansätze unveränderlich
    PlanBeschluss {
        #[arg(long)]
        jahr: i32,
        /// Nummer der Planversion im Entwurf
        #[arg(long)]
        version: i64,
        /// Datum des Ratsbeschlusses TT.MM.JJJJ
        #[arg(long)]
        datum: String,
    },
    /// Buchungsperiode schließen oder wieder öffnen; ohne --schliessen/--oeffnen die Perioden des Jahres
    Periode {
        #[arg(long)]
        jahr: i32,
        /// 0 Eröffnung, 1–12 Monate, 13–16 Abschluss
        #[arg(long, requires = "aktion")]
        periode: Option<u8>,
        /// Periode schließen (keine Buchungen mehr)
        #[arg(long, group = "aktion", requires = "periode")]
        schliessen: bool,
        /// Periode wieder öffnen
        #[arg(long, group = "aktion", requires = "periode")]
        oeffnen: bool,
    },
    /// Buchung stornieren: Gegenbuchung mit Bezug auf die ursprüngliche Buchung
    Storno {
        /// Nummer der Buchung
        #[arg(long)]
        buchung: i64,
        /// Buchungstag des Stornos TT.MM.JJJJ (ohne: heute)
        #[arg(long)]
        datum: Option<String>,
        /// Grund des Stornos
        #[arg(long)]
        grund: String,
    },
    /// Jahresabschluss: Ergebnis- und Finanzkonten abschließen, Jahresergebnis ins Eigenkapital, Salden ins Folgejahr vortragen
    Jahresabschluss {
        #[arg(long)]
        jahr: i32,
    },
    /// Ermächtigungsübertragung (KomHVO NRW § 22): nicht verbrauchte Mittel einer Position aus dem Vorjahr in das Jahr
    Uebertragung {
        /// Haushaltsjahr, in das übertragen wird
        #[arg(long)]
        jahr: i32,
        #[arg(long)]
        produkt: String,
        #[arg(long)]
        konto: String,
        /// Betrag in Euro (z. B. 1.000,00)
        #[arg(long)]
        betrag: String,
        #[arg(long)]
        grund: String,
    },
    /// Ergebnis- oder Finanzrechnung (fortgeschriebener Ansatz, Ist, Vergleich)
    Rechnung {
        #[arg(long)]
        jahr: i32,
        #[arg(long, value_enum, default_value = "ergebnis")]
        art: PlanArt,
        #[arg(long)]
        produkt: Option<String>,
        #[arg(long)]
        csv: bool,
    },
    /// Bilanz (Eröffnung und Schluss)
    Bilanz {
        #[arg(long)]
        jahr: i32,
        #[arg(long)]
        csv: bool,
    },
    /// Kontenblatt eines Kontos
    Kontenblatt {
        #[arg(long)]
        jahr: i32,
        konto: String,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Kontensummen gegen das Journal nachrechnen (Exit-Code 1 bei Abweichungen)
    Pruefen {
        #[arg(long)]
        jahr: i32,
    },
    /// Annahme- und Auszahlungsanordnungen (Kasse)
    Anordnung {
        #[command(subcommand)]
        cmd: super::finas_kasse::AnordnungCmd,
    },
    /// Offene Posten (Kassenzeichen, Geschäftspartner, Fälligkeit, offener Betrag, IBAN)
    Op {
        /// Nur dieser Geschäftspartner
        #[arg(long)]
        partner: Option<i64>,
        /// Nur fällig bis einschließlich TT.MM.JJJJ
        #[arg(long)]
        faellig_bis: Option<String>,
        /// CSV (;) statt Liste
        #[arg(long)]
        csv: bool,
    },
    /// Geschäftspartner, Bankverbindungen und SEPA-Mandate (Kasse)
    Partner {
        #[command(subcommand)]
        cmd: super::finas_kasse::PartnerCmd,
    },
    /// Zahllauf: fällige Auszahlungen (pain.001) und Lastschriften (pain.008) zum Datum
    #[command(args_conflicts_with_subcommands = true)]
    Zahllauf {
        #[command(subcommand)]
        cmd: Option<super::finas_kasse::ZahllaufCmd>,
        /// Ausführungsdatum TT.MM.JJJJ
        #[arg(long)]
        datum: Option<String>,
        /// Verzeichnis für die SEPA-Dateien
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Tagesabschluss: Zeitbuch, Sachbuch und Kassenbestand eines Tages prüfen und abschließen
    Tagesabschluss {
        /// Kassentag TT.MM.JJJJ
        #[arg(long)]
        datum: String,
        /// Nur prüfen, nicht abschließen
        #[arg(long)]
        pruefen: bool,
    },
    /// Kontoauszug camt.053 importieren: zuordnen, buchen, Klärungsliste, Rücklastschriften
    CamtImport {
        /// camt.053-Datei (.001.02 oder .001.08)
        file: std::path::PathBuf,
    },
    /// Klärungsliste (Verwahrgeld): auflisten, zuordnen, erstatten
    #[command(args_conflicts_with_subcommands = true)]
    Klaerung {
        #[command(subcommand)]
        cmd: Option<super::finas_kasse::KlaerungCmd>,
        /// CSV (;) statt Liste
        #[arg(long)]
        csv: bool,
    },
    /// Säumniszuschlag nach § 240 AO für einen Fall oder eine CSV-Liste berechnen
    Saeumnis(super::finas_mahnwesen::SaeumnisArgs),
    /// Mahnlauf zum Datum: überfällige Forderungen je Schuldner mit Säumniszuschlägen und Mahngebühr
    #[command(args_conflicts_with_subcommands = true)]
    Mahnlauf {
        #[command(subcommand)]
        cmd: Option<super::finas_mahnwesen::MahnlaufCmd>,
        /// Tag des Mahnlaufs TT.MM.JJJJ
        #[arg(long)]
        datum: Option<String>,
    },
    /// Mahnsperren je Schuldner oder Anordnung (mit Grund und Ende)
    Mahnsperre {
        #[command(subcommand)]
        cmd: super::finas_mahnwesen::MahnsperreCmd,
    },
    /// Stundung (§ 222 AO) in Raten mit Stundungszinsen (§ 234 AO)
    Stundung {
        #[command(subcommand)]
        cmd: super::finas_mahnwesen::StundungCmd,
    },
    /// Niederschlagung (befristet/unbefristet) und ihre Wiederaufnahme
    Niederschlagung {
        #[command(subcommand)]
        cmd: super::finas_mahnwesen::NiederschlagungCmd,
    },
    /// Erlass (§ 227 AO): die Forderung erlischt
    Erlass(super::finas_mahnwesen::ErlassArgs),
    /// Vollstreckungsübergabe: vollstreckungsreife Forderungen als CSV-Datei
    #[command(args_conflicts_with_subcommands = true)]
    Vollstreckung {
        #[command(subcommand)]
        cmd: Option<super::finas_mahnwesen::VollstreckungCmd>,
        /// Übergabedatei (CSV)
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ExportCmd {
    /// Journal eines Jahres (ledger-cli-Format für Prüfer)
    Journal {
        /// Format: ledger
        #[arg(long, default_value = "ledger")]
        format: String,
        /// Haushaltsjahr (ohne: das laufende)
        #[arg(long)]
        jahr: Option<i32>,
        /// Ausgabedatei (ohne: Standardausgabe)
        #[arg(long = "out")]
        output: Option<PathBuf>,
    },
}

fn session(cli: &Cli, db: &Db, clock: Arc<dyn Clock>) -> Result<super::CliSession> {
    cli_session(cli, db, clock)
}

/// Returns false if a check found differences (exit code 1).
pub fn run(
    cli: &Cli,
    cmd: &FinasCmd,
    db: &Db,
    clock: Arc<dyn Clock>,
    out: &mut Out,
) -> Result<bool> {
    let s = session(cli, db, clock)?;
    match cmd {
        FinasCmd::Saldenliste { jahr, produkt, csv } => {
            let liste = rechnung::saldenliste(&s, *jahr, produkt.as_deref())?;
            out.text(&if *csv {
                rechnung::saldenliste_csv(&liste)
            } else {
                rechnung::saldenliste_text(&s.mandant.name, *jahr, &liste)
            })?;
        }
        FinasCmd::Plan {
            jahr,
            art,
            produkt,
            version,
            csv,
        } => {
            let p: Plan = (*art).into();
            let zeilen = plan::plan_bericht(&s, *jahr, *version, p, produkt.as_deref())?;
            let titel = match produkt {
                Some(pr) => format!("Teil{} {jahr} – Produkt {pr}", p.titel().to_lowercase()),
                None => format!("Gesamt{} {jahr}", p.titel().to_lowercase()),
            };
            out.text(&if *csv {
                plan::plan_csv(*jahr, &zeilen)
            } else {
                plan::plan_text(&titel, *jahr, &zeilen)
            })?;
        }
        FinasCmd::PlanBeschluss {
            jahr,
            version,
            datum,
        } => {
            let datum = parse_date_de(datum.trim())?;
            let v = plan::beschliessen(&s, *jahr, *version, datum)?;
            out.line(format!(
                "Planversion {} „{}“ für {jahr} am {} beschlossen; ihre Ansätze sind jetzt unveränderlich.",
                v.version,
                v.bezeichnung,
                format_date_de(datum)
            ))?;
        }
        FinasCmd::Periode {
            jahr,
            periode,
            schliessen,
            oeffnen,
        } => match periode {
            Some(p) => {
                stamm::periode_setzen(&s, *jahr, *p, *oeffnen && !*schliessen)?;
                out.line(format!(
                    "Periode {jahr}-{p:02} {}.",
                    if *oeffnen { "geöffnet" } else { "geschlossen" }
                ))?;
            }
            None => {
                for p in stamm::perioden(&s, *jahr)? {
                    out.line(format!(
                        "{jahr}-{:02} {:<14} {}",
                        p.periode,
                        p.bezeichnung(),
                        p.status()
                    ))?;
                }
            }
        },
        FinasCmd::Storno {
            buchung,
            datum,
            grund,
        } => {
            let datum = match datum {
                Some(d) => parse_date_de(d.trim())?,
                None => s.today(),
            };
            let storno = journal::stornieren(&s, *buchung, datum, grund)?;
            out.line(format!(
                "Buchung {buchung} storniert durch Buchung {storno} vom {}.",
                format_date_de(datum)
            ))?;
        }
        FinasCmd::Jahresabschluss { jahr } => {
            let a = crate::finas::abschluss::jahresabschluss(&s, *jahr)?;
            out.text(&a.text(*jahr))?;
        }
        FinasCmd::Uebertragung {
            jahr,
            produkt,
            konto,
            betrag,
            grund,
        } => {
            let b = crate::core::money::Money::parse_de(betrag.trim())?;
            let (p, k) = (produkt.trim(), konto.trim());
            let id = crate::finas::ueberwachung::uebertragen(&s, *jahr, p, k, b, grund)?;
            let v = crate::finas::ueberwachung::position(&s, *jahr, p, k)?;
            out.line(format!(
                "Übertragung Nr. {id}: {} € für {p}/{k} von {} nach {jahr} übertragen; verfügbar {jahr} jetzt {} €.",
                b.format_de(),
                jahr - 1,
                crate::core::money::Money::from_cents(v.verfuegbar()).format_de()
            ))?;
        }
        FinasCmd::Rechnung {
            jahr,
            art,
            produkt,
            csv,
        } => {
            let p: Plan = (*art).into();
            let zeilen = rechnung::rechnung(&s, *jahr, p, produkt.as_deref())?;
            let name = if p == Plan::Ergebnis {
                "Ergebnisrechnung"
            } else {
                "Finanzrechnung"
            };
            let titel = format!(
                "{name} {jahr}{}",
                produkt
                    .as_deref()
                    .map(|p| format!(" – Produkt {p}"))
                    .unwrap_or_default()
            );
            out.text(&if *csv {
                rechnung::rechnung_csv(&zeilen)
            } else {
                rechnung::rechnung_text(&titel, &zeilen)
            })?;
        }
        FinasCmd::Bilanz { jahr, csv } => {
            let b = rechnung::bilanz(&s, *jahr)?;
            out.text(&if *csv {
                rechnung::bilanz_csv(&b)
            } else {
                rechnung::bilanz_text(*jahr, &b)
            })?;
        }
        FinasCmd::Kontenblatt { jahr, konto, limit } => {
            let (k, zeilen) = journal::kontenblatt(&s, *jahr, konto, 0, *limit)?;
            let mut t = format!("Kontenblatt {jahr} – {} {}\n\n", k.nr, k.bezeichnung);
            for z in zeilen {
                t.push_str(&format!(
                    "{:>8} {} {:>2} {:<14} {:<40} {:>16} {:>16} {:>18}\n",
                    z.nr,
                    crate::core::date::format_date_de(z.datum),
                    z.periode,
                    z.beleg,
                    z.text.chars().take(40).collect::<String>(),
                    z.soll.format_de(),
                    z.haben.format_de(),
                    z.saldo.format_de()
                ));
            }
            out.text(&t)?;
        }
        FinasCmd::Anordnung { cmd } => super::finas_kasse::anordnung(&s, cmd, out)?,
        FinasCmd::Op {
            partner,
            faellig_bis,
            csv,
        } => super::finas_kasse::op(&s, *partner, faellig_bis.as_deref(), *csv, out)?,
        FinasCmd::Partner { cmd } => super::finas_kasse::partner(&s, cmd, out)?,
        FinasCmd::Zahllauf {
            cmd,
            datum,
            out: dir,
        } => super::finas_kasse::zahllauf(&s, cmd.as_ref(), datum.as_deref(), dir.as_deref(), out)?,
        FinasCmd::Tagesabschluss { datum, pruefen } => {
            if !super::finas_kasse::tagesabschluss(&s, datum, *pruefen, out)? {
                return Ok(false);
            }
        }
        FinasCmd::CamtImport { file } => super::finas_kasse::camt_import(&s, file, out)?,
        FinasCmd::Klaerung { cmd, csv } => {
            super::finas_kasse::klaerung(&s, cmd.as_ref(), *csv, out)?
        }
        FinasCmd::Saeumnis(a) => super::finas_mahnwesen::saeumnis(cli, a, out)?,
        FinasCmd::Mahnlauf { cmd, datum } => {
            super::finas_mahnwesen::mahnlauf(&s, cmd.as_ref(), datum.as_deref(), out)?
        }
        FinasCmd::Mahnsperre { cmd } => super::finas_mahnwesen::mahnsperre(&s, cmd, out)?,
        FinasCmd::Stundung { cmd } => super::finas_mahnwesen::stundung(&s, cmd, out)?,
        FinasCmd::Niederschlagung { cmd } => super::finas_mahnwesen::niederschlagung(&s, cmd, out)?,
        FinasCmd::Erlass(a) => super::finas_mahnwesen::erlass(&s, a, out)?,
        FinasCmd::Vollstreckung { cmd, out: datei } => {
            super::finas_mahnwesen::vollstreckung(&s, cmd.as_ref(), datei.as_deref(), out)?
        }
        FinasCmd::Pruefen { jahr } => {
            let abw = journal::summen_pruefen(&s, *jahr)?;
            if abw.is_empty() {
                out.line(format!(
                    "Kontensummen {jahr} stimmen mit dem Journal überein."
                ))?;
            } else {
                for a in &abw {
                    out.line(a)?;
                }
                return Ok(false);
            }
        }
    }
    Ok(true)
}

pub fn run_export(
    cli: &Cli,
    cmd: &ExportCmd,
    db: &Db,
    clock: Arc<dyn Clock>,
    out: &mut Out,
) -> Result<()> {
    let s = session(cli, db, clock)?;
    match cmd {
        ExportCmd::Journal {
            format,
            jahr,
            output,
        } => {
            if format != "ledger" {
                return Err(KisError::validation(format!(
                    "Exportformat „{format}“ unbekannt; vorhanden: ledger."
                )));
            }
            let jahr = jahr.unwrap_or_else(|| s.today().year());
            let n = match output {
                Some(path) => output::write_file_with(path, |w| ledger::export(&s, jahr, w))?,
                None => {
                    let n = ledger::export(&s, jahr, out)?;
                    out.finish()?;
                    n
                }
            };
            super::output::note(&format!("{n} Buchungen des Jahres {jahr} exportiert."));
        }
    }
    Ok(())
}

/// `kis demo postings N`: deterministic demo postings into the current year.
pub fn demo_postings(
    cli: &Cli,
    db: &Db,
    clock: Arc<dyn Clock>,
    anzahl: usize,
    jahr: Option<i32>,
    out: &mut Out,
) -> Result<()> {
    let s = session(cli, db, clock)?;
    let jahr = jahr.unwrap_or_else(|| s.today().year());
    let start = std::time::Instant::now();
    let n = crate::demo::postings(&s, jahr, anzahl)?;
    out.line(format!(
        "{n} Demo-Buchungen für {jahr} erzeugt in {:.1} s.",
        start.elapsed().as_secs_f64()
    ))?;
    Ok(())
}
