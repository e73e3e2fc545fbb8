//! `kis finas saeumnis`: the Säumniszuschlag check tool (AO § 240) for one
//! case or a CSV list. A pure computation on public law: no login needed;
//! without `--land` the Bundesland of the store's Mandant is taken.
//!
//! `kis finas mahnlauf …` and `kis finas mahnsperre …`: the Mahnlauf and
//! its Mahnsperren as the masks FIN550 and FIN551 use them; `stundung`,
//! `niederschlagung`, `erlass` and `vollstreckung` as FIN552–FIN554 do.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Cli;
use super::output::{self, Out};
use crate::core::date::{format_date_de, parse_date_de};
use crate::core::error::{KisError, Result};
use crate::core::feiertage::Bundesland;
use crate::core::money::Money;
use crate::finas::mahnwesen::saeumnis::{self, Fall, Zahlungsart};
use crate::finas::mahnwesen::{
    mahnlauf as ml, niederschlagung as ns, sperre, stundung as st, vollstreckung as vs,
};
use crate::kernel::auth;
use crate::kernel::session::Session;

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("zahlungsart").args(["ueberweisung", "bar", "lastschrift"]))]
pub struct SaeumnisArgs {
    /// Fälligkeitstag TT.MM.JJJJ
    #[arg(long, requires_all = ["gezahlt", "betrag"], conflicts_with = "input")]
    faellig: Option<String>,
    /// Tag der Zahlung (Gutschrift, Eingang) TT.MM.JJJJ
    #[arg(long, requires = "faellig")]
    gezahlt: Option<String>,
    /// Rückständiger Betrag in Euro, z. B. 1.234,56
    #[arg(long, requires = "faellig")]
    betrag: Option<String>,
    /// Zahlung durch Überweisung (Voreinstellung; mit Schonfrist von drei Tagen)
    #[arg(long)]
    ueberweisung: bool,
    /// Barzahlung (ohne Schonfrist, § 240 Abs. 3 S. 2 AO)
    #[arg(long)]
    bar: bool,
    /// Lastschrift (gilt als am Fälligkeitstag entrichtet)
    #[arg(long)]
    lastschrift: bool,
    /// Bundesland (Kürzel wie NW) für Wochenend- und Feiertagsregel; ohne: das des Mandanten
    #[arg(long)]
    land: Option<String>,
    /// CSV-Liste fall;betrag;faellig;gezahlt;zahlungsart;land ("-" = Standardeingabe)
    #[arg(long = "in", requires = "output")]
    input: Option<PathBuf>,
    /// Ergebnis-CSV mit saeumniszuschlag;monate ("-" = Standardausgabe)
    #[arg(long = "out", requires = "input")]
    output: Option<PathBuf>,
}

/// The Bundesland of `--land`, else of the store's Mandant (`--mandant`, or
/// the only one); None when neither is known.
fn land(cli: &Cli, land: Option<&str>) -> Result<Option<Bundesland>> {
    if let Some(l) = land {
        return Bundesland::parse(l).map(Some);
    }
    let db = super::open_store(cli).map_err(|e| {
        KisError::field(
            "land",
            format!("Bitte mit --land das Bundesland angeben (z. B. NW). Ohne --land gilt das des Mandanten, aber: {e}"),
        )
    })?;
    let mandanten = auth::mandanten(&db)?;
    let m = match cli.mandant.as_deref() {
        Some(id) => mandanten.iter().find(|m| m.id == id),
        None if mandanten.len() == 1 => mandanten.first(),
        None => None,
    };
    m.map(|m| Bundesland::parse(&m.bundesland)).transpose()
}

pub fn saeumnis(cli: &Cli, a: &SaeumnisArgs, out: &mut Out) -> Result<()> {
    let land = land(cli, a.land.as_deref())?;
    if let (Some(input), Some(output)) = (&a.input, &a.output) {
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
        // Every row is checked before anything is written, and the file
        // appears only when complete.
        let n = if output.as_os_str() == "-" {
            let n = saeumnis::csv_run(land, reader, &mut *out)?;
            out.finish()?;
            n
        } else {
            output::write_file_with(output, |o| saeumnis::csv_run(land, reader, o))?
        };
        output::note(&format!("{n} Fälle berechnet."));
        return Ok(());
    }
    let (Some(faellig), Some(gezahlt), Some(betrag)) = (&a.faellig, &a.gezahlt, &a.betrag) else {
        return Err(KisError::validation(
            "Bitte --faellig, --gezahlt und --betrag angeben (oder --in DATEI --out DATEI).",
        ));
    };
    let land = land.ok_or_else(|| {
        KisError::field(
            "land",
            "Bitte mit --land das Bundesland angeben (z. B. NW); der Mandant ist nicht eindeutig.",
        )
    })?;
    let fall = Fall {
        betrag: Money::parse_de(betrag)
            .map_err(|e| KisError::field("betrag", format!("Betrag: {e}")))?,
        faellig: parse_date_de(faellig)
            .map_err(|e| KisError::field("faellig", format!("Fälligkeitstag: {e}")))?,
        gezahlt: parse_date_de(gezahlt)
            .map_err(|e| KisError::field("gezahlt", format!("Zahlungstag: {e}")))?,
        // The group allows at most one flag; none means a transfer.
        art: match (a.ueberweisung, a.bar, a.lastschrift) {
            (_, true, _) => Zahlungsart::Bar,
            (_, _, true) => Zahlungsart::Lastschrift,
            _ => Zahlungsart::Ueberweisung,
        },
        land,
    };
    let s = saeumnis::berechnen(&fall)?;
    out.text(&saeumnis::text(&fall, &s))
}

#[derive(Subcommand, Debug)]
pub enum MahnlaufCmd {
    /// Mahnläufe auflisten (neueste zuerst)
    Liste,
    /// Mahnungen eines Mahnlaufs anzeigen
    Zeigen { nr: i64 },
    /// Mahnschreiben eines Mahnlaufs (erneut) in eine Datei schreiben
    Drucken {
        nr: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Entwurf versenden: Mahngebühren und Säumniszuschläge werden Sollstellungen
    Versenden { nr: i64 },
    /// Entwurf stornieren (die Posten können erneut gemahnt werden)
    Stornieren { nr: i64 },
}

#[derive(Subcommand, Debug)]
pub enum MahnsperreCmd {
    /// Mahnsperre für einen Schuldner oder eine Anordnung setzen; gibt die Nummer aus
    Neu {
        #[arg(long)]
        partner: i64,
        /// Nur diese Anordnung (ohne: alle Posten des Schuldners)
        #[arg(long)]
        anordnung: Option<i64>,
        #[arg(long)]
        grund: String,
        /// Gilt bis einschließlich TT.MM.JJJJ
        #[arg(long)]
        bis: String,
    },
    /// Mahnsperren auflisten
    Liste,
    /// Mahnsperre vorzeitig aufheben
    Aufheben { id: i64 },
}

/// `kis finas mahnlauf --datum TT.MM.JJJJ` (the summary; hints on stderr)
/// and its `liste`, `zeigen`, `drucken`, `versenden`, `stornieren`.
pub fn mahnlauf(
    s: &Session,
    cmd: Option<&MahnlaufCmd>,
    datum: Option<&str>,
    out: &mut Out,
) -> Result<()> {
    match cmd {
        None => {
            let Some(datum) = datum else {
                return Err(KisError::validation(
                    "Bitte --datum TT.MM.JJJJ angeben (oder liste, zeigen NR, drucken NR, versenden NR, stornieren NR).",
                ));
            };
            let e = ml::ausfuehren(s, parse_date_de(datum)?)?;
            for h in &e.hinweise {
                output::note(h);
            }
            out.line(e.zusammenfassung())?;
        }
        Some(MahnlaufCmd::Liste) => {
            for l in ml::liste(s, 1000)? {
                out.line(format!(
                    "{:>6}  {}  {:<9}  {:>6} Mahnungen  {} {}",
                    l.nr,
                    format_date_de(l.datum),
                    l.status.label(),
                    l.mahnungen,
                    l.erstellt_von,
                    l.erstellt_am
                ))?;
            }
        }
        Some(MahnlaufCmd::Zeigen { nr }) => {
            let (l, m) = ml::zeigen(s, *nr)?;
            out.text(&ml::text(&l, &m))?;
        }
        Some(MahnlaufCmd::Drucken { nr, out: datei }) => {
            ml::drucken(s, *nr, &mut |text| output::write_file(datei, text))?;
            out.line(datei.display().to_string())?;
        }
        Some(MahnlaufCmd::Versenden { nr }) => {
            let buchung = ml::versenden(s, *nr)?;
            out.line(match buchung {
                Some(b) => format!("Mahnlauf {nr} versandt; Mahngebühren und Säumniszuschläge gebucht (Buchung {b})."),
                None => format!("Mahnlauf {nr} versandt; keine Gebühren oder Säumniszuschläge zu buchen."),
            })?;
        }
        Some(MahnlaufCmd::Stornieren { nr }) => {
            ml::stornieren(s, *nr)?;
            out.line(format!(
                "Mahnlauf {nr} storniert; die Posten können erneut gemahnt werden."
            ))?;
        }
    }
    Ok(())
}

/// `kis finas mahnsperre neu|liste|aufheben`.
pub fn mahnsperre(s: &Session, cmd: &MahnsperreCmd, out: &mut Out) -> Result<()> {
    match cmd {
        MahnsperreCmd::Neu {
            partner,
            anordnung,
            grund,
            bis,
        } => {
            let id = sperre::setzen(s, *partner, *anordnung, grund, parse_date_de(bis)?)?;
            out.line(id.to_string())?;
        }
        MahnsperreCmd::Liste => {
            for m in sperre::liste(s)? {
                let stand = match (&m.aufgehoben_von, &m.aufgehoben_am) {
                    (Some(von), Some(am)) => format!("aufgehoben {am} durch {von}"),
                    _ => format!("bis {}", format_date_de(m.bis)),
                };
                out.line(format!(
                    "{:>6}  Partner {:>8}  {:<12}  {}  {}",
                    m.id,
                    m.partner,
                    m.anordnung
                        .map(|a| format!("Anordnung {a}"))
                        .unwrap_or_else(|| "alle Posten".into()),
                    stand,
                    m.grund
                ))?;
            }
        }
        MahnsperreCmd::Aufheben { id } => {
            sperre::aufheben(s, *id)?;
            out.line(format!("Mahnsperre {id} aufgehoben."))?;
        }
    }
    Ok(())
}

#[derive(Subcommand, Debug)]
pub enum StundungCmd {
    /// Stundung gewähren (anordnungsbefugt); gibt den Stundungsbescheid aus
    Neu {
        #[arg(long)]
        anordnung: i64,
        /// Rate mit Fälligkeit und Betrag, z. B. 15.10.2026=400,00 (mehrfach, in zeitlicher Folge)
        #[arg(long = "rate", required = true)]
        raten: Vec<String>,
        #[arg(long)]
        grund: String,
        /// Beginn der Stundung TT.MM.JJJJ (ohne: heute)
        #[arg(long)]
        beginn: Option<String>,
        /// Zinsverzicht nach § 234 Abs. 2 AO mit diesem Grund
        #[arg(long)]
        zinsfrei: Option<String>,
    },
    /// Stundungen auflisten (neueste zuerst)
    Liste {
        #[arg(long)]
        anordnung: Option<i64>,
    },
    /// Stundung mit Raten anzeigen
    Zeigen { id: i64 },
    /// Stundung widerrufen: der offene Rest wird heute fällig
    Widerrufen {
        id: i64,
        #[arg(long)]
        grund: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum NiederschlagungCmd {
    /// Offene Forderungen einer Anordnung niederschlagen (ohne --bis: unbefristet, mit Wertberichtigung)
    Neu {
        #[arg(long)]
        anordnung: i64,
        /// Befristet bis einschließlich TT.MM.JJJJ
        #[arg(long)]
        bis: Option<String>,
        #[arg(long)]
        grund: String,
    },
    /// Niederschlagungen und Erlasse auflisten
    Liste {
        #[arg(long)]
        anordnung: Option<i64>,
    },
    /// Niederschlagung aufheben: die Forderung wird wieder eingezogen
    Wiederaufnehmen {
        id: i64,
        #[arg(long)]
        grund: String,
    },
}

#[derive(Args, Debug)]
pub struct ErlassArgs {
    #[arg(long)]
    anordnung: i64,
    /// Nur diese Fälligkeit (laufende Nummer, siehe `anordnung zeigen`)
    #[arg(long)]
    lfd: Option<i64>,
    /// Teilerlass in Euro (nur mit --lfd)
    #[arg(long, requires = "lfd")]
    betrag: Option<String>,
    #[arg(long)]
    grund: String,
}

#[derive(Subcommand, Debug)]
pub enum VollstreckungCmd {
    /// Übergaben auflisten
    Liste,
}

/// `kis finas stundung …`.
pub fn stundung(s: &Session, cmd: &StundungCmd, out: &mut Out) -> Result<()> {
    match cmd {
        StundungCmd::Neu {
            anordnung,
            raten,
            grund,
            beginn,
            zinsfrei,
        } => {
            let eingabe = st::StundungInput {
                anordnung: *anordnung,
                beginn: beginn.as_deref().map(parse_date_de).transpose()?,
                raten: raten
                    .iter()
                    .map(|r| super::finas_kasse::faelligkeit(r))
                    .collect::<Result<_>>()?,
                grund: grund.clone(),
                zinsfrei_grund: zinsfrei.clone(),
            };
            out.text(&st::text(&st::gewaehren(s, &eingabe)?))?;
        }
        StundungCmd::Liste { anordnung } => {
            for x in st::liste(s, *anordnung)? {
                out.line(format!(
                    "{:>6}  Anordnung {:>8}  ab {}  {:>2} Raten  {:>14} €  Zinsen {:>10} €  {}",
                    x.id,
                    x.anordnung,
                    format_date_de(x.beginn),
                    x.raten.len(),
                    Money::from_cents(x.raten.iter().map(|r| r.betrag.cents()).sum()).format_de(),
                    x.zinsen.format_de(),
                    x.status.label()
                ))?;
            }
        }
        StundungCmd::Zeigen { id } => out.text(&st::text(&st::lesen(s, *id)?))?,
        StundungCmd::Widerrufen { id, grund } => {
            st::widerrufen(s, *id, grund)?;
            out.line(format!(
                "Stundung {id} widerrufen; der offene Rest ist heute fällig."
            ))?;
        }
    }
    Ok(())
}

/// `kis finas niederschlagung …`.
pub fn niederschlagung(s: &Session, cmd: &NiederschlagungCmd, out: &mut Out) -> Result<()> {
    match cmd {
        NiederschlagungCmd::Neu {
            anordnung,
            bis,
            grund,
        } => {
            let bis = bis.as_deref().map(parse_date_de).transpose()?;
            let id = ns::niederschlagen(s, *anordnung, bis, grund)?;
            out.line(id.to_string())?;
        }
        NiederschlagungCmd::Liste { anordnung } => {
            let (n, e) = ns::entscheidungen(s, *anordnung)?;
            for x in n {
                let stand = match (&x.wieder_am, &x.wieder_von) {
                    (Some(am), Some(von)) => format!("wieder aufgenommen {am} durch {von}"),
                    _ => match x.bis {
                        Some(b) => format!("bis {}", format_date_de(b)),
                        None => "unbefristet".into(),
                    },
                };
                out.line(format!(
                    "Niederschlagung {:>6}  Anordnung {:>8}  {:>14} €  {:<11}  {}  {}",
                    x.id,
                    x.anordnung,
                    x.betrag.format_de(),
                    x.art.label(),
                    stand,
                    x.grund
                ))?;
            }
            for x in e {
                out.line(format!(
                    "Erlass          {:>6}  Anordnung {:>8}  {:>14} €  Fälligkeit {}  {} {}  {}",
                    x.id,
                    x.anordnung,
                    x.betrag.format_de(),
                    x.lfd,
                    x.erfasst_von,
                    x.erfasst_am,
                    x.grund
                ))?;
            }
        }
        NiederschlagungCmd::Wiederaufnehmen { id, grund } => {
            let b = ns::wiederaufnehmen(s, *id, grund)?;
            out.line(match b {
                Some(b) => format!(
                    "Niederschlagung {id} aufgehoben; Forderung wieder eingebucht (Buchung {b})."
                ),
                None => format!(
                    "Niederschlagung {id} aufgehoben; die Forderung wird wieder eingezogen."
                ),
            })?;
        }
    }
    Ok(())
}

/// `kis finas erlass --anordnung NR [--lfd N [--betrag B]] --grund TEXT`.
pub fn erlass(s: &Session, a: &ErlassArgs, out: &mut Out) -> Result<()> {
    let betrag = a
        .betrag
        .as_deref()
        .map(|b| Money::parse_de(b).map_err(|e| KisError::field("betrag", e.to_string())))
        .transpose()?;
    for e in ns::erlassen(s, a.anordnung, a.lfd, betrag, &a.grund)? {
        out.line(format!(
            "Erlass {}: Anordnung {} Fälligkeit {} über {} € (Buchung {})",
            e.id,
            e.anordnung,
            e.lfd,
            e.betrag.format_de(),
            e.buchung
        ))?;
    }
    Ok(())
}

/// `kis finas vollstreckung --out DATEI.csv` (the summary; the file with
/// header [`vs::KOPF`]) and `kis finas vollstreckung liste`.
pub fn vollstreckung(
    s: &Session,
    cmd: Option<&VollstreckungCmd>,
    datei: Option<&std::path::Path>,
    out: &mut Out,
) -> Result<()> {
    match cmd {
        Some(VollstreckungCmd::Liste) => {
            for u in vs::liste(s)? {
                out.line(format!(
                    "{:>6}  {}  {:>6} Posten  {:>16} €  {}",
                    u.nr,
                    format_date_de(u.datum),
                    u.posten,
                    u.summe.format_de(),
                    u.von
                ))?;
            }
        }
        None => {
            let Some(datei) = datei else {
                return Err(KisError::validation(
                    "Bitte --out DATEI.csv angeben (oder liste).",
                ));
            };
            let (nr, faelle) =
                vs::uebergeben(s, &mut |faelle| output::write_file(datei, &vs::csv(faelle)))?;
            let gesamt = Money::from_cents(faelle.iter().map(|f| f.gesamt().cents()).sum());
            out.line(format!(
                "Vollstreckungsübergabe {nr}: {} Kassenzeichen, {} €, Datei {}",
                faelle.len(),
                gesamt.format_de(),
                datei.display()
            ))?;
        }
    }
    Ok(())
}
