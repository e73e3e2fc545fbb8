//! `kis ewos …`: the register on the command line for support staff and
//! scripts — person search (text or CSV) and the Meldebescheinigung — and
//! `kis demo residents N`. Everything goes through the EWOS services, so
//! roles and Sperren apply as in the masks.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Subcommand;

use super::output::{self, Out};
use super::{Cli, cli_session};
use crate::core::clock::Clock;
use crate::core::date::{format_date_de, parse_date_de, parse_past_date_de};
use crate::core::error::{KisError, Result};
use crate::core::sanitize::{csv_text_cell, sanitize_line};
use crate::ewos::auskunft;
use crate::ewos::dokumente::Zusatz;
use crate::ewos::loeschfristen;
use crate::ewos::model::{Massnahme, SperrArt, Sperre, Treffer, format_om, parse_om};
use crate::ewos::suche::{self, Suche};
use crate::ewos::{person, personal};
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum EwosCmd {
    /// Personen suchen (Namensanfang oder phonetisch, optional Vorname und Geburtsdatum)
    Suche {
        /// Kölner Phonetik statt Namensanfang (Meier findet Maier, Mayer, Meyer …)
        #[arg(long)]
        phonetisch: bool,
        /// Geburtsdatum TT.MM.JJJJ
        #[arg(long)]
        geburtsdatum: Option<String>,
        /// Ausgabe als CSV (;-getrennt, mit Kopfzeile)
        #[arg(long)]
        csv: bool,
        /// Familienname (Anfang) oder früherer Name
        name: String,
        /// Vorname (Anfang)
        vorname: Option<String>,
    },
    /// Meldebescheinigung (§ 18 BMG) ausstellen
    Meldebescheinigung {
        /// Ordnungsmerkmal der Person
        ordnungsmerkmal: String,
        /// Erweiterte Meldebescheinigung mit allen zulässigen weiteren Daten
        #[arg(long)]
        erweitert: bool,
        /// In diese Datei schreiben (sonst Standardausgabe)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Sperre oder Widerspruch eintragen (AS51, SV52, W36, W42, W50-1, W50-2, W50-3)
    Sperre {
        /// Ordnungsmerkmal der Person
        ordnungsmerkmal: String,
        /// Art der Sperre, z. B. AS51
        #[arg(long)]
        art: String,
        /// Grund
        #[arg(long)]
        grund: String,
        /// Veranlassende Behörde
        #[arg(long, default_value = "")]
        behoerde: String,
        /// Gültig ab TT.MM.JJJJ (Standard: heute)
        #[arg(long)]
        ab: Option<String>,
        /// Gültig bis TT.MM.JJJJ (AS51 ohne Angabe: zwei Jahre)
        #[arg(long)]
        bis: Option<String>,
    },
    /// Beschäftigte(n) des Personalstamms mit einer Person verknüpfen (Meldebehörde,
    /// z. B. bei einer Sperre); die Anschrift aus dem Melderegister geht dann nie an PERSOS
    PersonalVerknuepfung {
        /// Ordnungsmerkmal der Person
        ordnungsmerkmal: String,
        /// Personalnummer im Personalstamm
        personalnummer: String,
    },
    /// Protokoll der Melderegisterauskünfte zu einer Person (§ 40 BMG)
    Protokoll {
        /// Ordnungsmerkmal der Person
        ordnungsmerkmal: String,
    },
}

/// The Anschrift column for scripts: a person with an Auskunftssperre
/// (§51) or Sperrvermerk (§52) must not have the address leave the register
/// through an export, so it is withheld and the row is marked.
pub const ANSCHRIFT_GESPERRT: &str = "*** gesperrt (Auskunftssperre) ***";

fn anschrift(t: &Treffer) -> String {
    if t.auskunftssperre {
        ANSCHRIFT_GESPERRT.to_string()
    } else {
        sanitize_line(&t.anschrift).into_owned()
    }
}

/// Write the hits as `;`-separated CSV with a header line. Text cells pass
/// [`csv_text_cell`] (no formula can start a cell).
pub fn write_csv(out: &mut dyn Write, hits: &[Treffer]) -> Result<()> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    let io = |e: csv::Error| KisError::System(e.to_string());
    w.write_record([
        "Ordnungsmerkmal",
        "Familienname",
        "Vornamen",
        "Geburtsdatum",
        "Anschrift",
        "Status",
        "Sperren",
    ])
    .map_err(io)?;
    for t in hits {
        w.write_record([
            format_om(t.id),
            csv_text_cell(&t.familienname).into_owned(),
            csv_text_cell(&t.vornamen).into_owned(),
            format_date_de(t.geburtsdatum),
            csv_text_cell(&anschrift(t)).into_owned(),
            t.status.label().to_string(),
            csv_text_cell(&t.sperren).into_owned(),
        ])
        .map_err(io)?;
    }
    w.flush().map_err(|e| KisError::System(e.to_string()))
}

const PAGE: usize = 1000;

pub fn run(cli: &Cli, cmd: &EwosCmd, db: &Db, clock: Arc<dyn Clock>, out: &mut Out) -> Result<()> {
    let session = cli_session(cli, db, clock)?;
    match cmd {
        EwosCmd::Suche {
            phonetisch,
            geburtsdatum,
            csv,
            name,
            vorname,
        } => {
            let geburtsdatum = geburtsdatum
                .as_deref()
                .map(|g| parse_past_date_de(g, session.today()))
                .transpose()?;
            let s = Suche {
                name: name.clone(),
                vorname: vorname.clone().unwrap_or_default(),
                phonetisch: *phonetisch,
                geburtsdatum,
                ..Default::default()
            };
            let mut hits = Vec::new();
            loop {
                let page = suche::seite(&session, &s, hits.len(), PAGE)?;
                let n = page.len();
                hits.extend(page);
                if n < PAGE {
                    break;
                }
            }
            if *csv {
                write_csv(out, &hits)?;
            } else {
                for t in &hits {
                    let mark = if t.sperren.is_empty() {
                        String::new()
                    } else {
                        format!("  !! {}", t.sperren)
                    };
                    out.line(format!(
                        "{}  {:<30} {:<10} {:<45} {}{mark}",
                        format_om(t.id),
                        sanitize_line(&format!("{}, {}", t.familienname, t.vornamen)),
                        format_date_de(t.geburtsdatum),
                        anschrift(t),
                        t.status.label()
                    ))?;
                }
                out.line(format!("{} Treffer.", hits.len()))?;
            }
            Ok(())
        }
        EwosCmd::Meldebescheinigung {
            ordnungsmerkmal,
            erweitert,
            out: out_path,
        } => {
            let id = parse_om(ordnungsmerkmal)?;
            let zusaetze: Vec<Zusatz> = if *erweitert {
                Zusatz::ALL.to_vec()
            } else {
                Vec::new()
            };
            // Deliver inside the transaction: a file that cannot be written
            // (or a closed pipe) leaves no document and no audit entry.
            person::bescheinigung_ausgeben(&session, id, &zusaetze, &mut |text| match out_path {
                Some(path) => output::write_file(path, text),
                None => {
                    out.text(text)?;
                    out.finish()
                }
            })?;
            if let Some(path) = out_path {
                out.line(format!(
                    "Meldebescheinigung geschrieben: {}",
                    path.display()
                ))?;
            }
            Ok(())
        }
        EwosCmd::Sperre {
            ordnungsmerkmal,
            art,
            grund,
            behoerde,
            ab,
            bis,
        } => {
            let id = parse_om(ordnungsmerkmal)?;
            let ab = match ab {
                Some(d) => parse_date_de(d)?,
                None => session.today(),
            };
            let bis = bis.as_deref().map(parse_date_de).transpose()?;
            let sperre = Sperre {
                id: 0,
                art: SperrArt::from_code(art)?,
                grund: grund.clone(),
                behoerde: behoerde.clone(),
                ab,
                bis,
            };
            person::sperre_eintragen(&session, id, &sperre)?;
            out.line(format!(
                "{} für {} eingetragen.",
                sperre.art.label(),
                format_om(id)
            ))?;
            Ok(())
        }
        EwosCmd::PersonalVerknuepfung {
            ordnungsmerkmal,
            personalnummer,
        } => {
            let id = parse_om(ordnungsmerkmal)?;
            out.line(personal::verknuepfen(&session, id, personalnummer)?)?;
            Ok(())
        }
        EwosCmd::Protokoll { ordnungsmerkmal } => {
            let id = parse_om(ordnungsmerkmal)?;
            for p in auskunft::protokoll(&session, id)? {
                out.line(format!(
                    "{}  {:<8} {:<11} {:<32} {:<20} {}{}{}",
                    p.zeit.replace('T', " "),
                    p.benutzer,
                    p.art,
                    p.ergebnis,
                    sanitize_line(&p.anfragender),
                    sanitize_line(&p.daten),
                    if p.grund.is_empty() {
                        String::new()
                    } else {
                        format!(" – {}", sanitize_line(&p.grund))
                    },
                    if p.person_informiert {
                        " (Person benachrichtigt)"
                    } else {
                        ""
                    }
                ))?;
            }
            Ok(())
        }
    }
}

/// `kis batch ewos-loeschfristen [--dry-run]`: §14 BMG retention, listing
/// every case (and in the dry run changing nothing).
pub fn loeschfristen(
    cli: &Cli,
    dry_run: bool,
    db: &Db,
    clock: Arc<dyn Clock>,
    out: &mut Out,
) -> Result<()> {
    let session = cli_session(cli, db, clock)?;
    let faelle = loeschfristen::ausfuehren(&session, dry_run)?;
    for f in &faelle {
        let was = match (f.massnahme, dry_run) {
            (Massnahme::Archivieren, true) => "wird archiviert",
            (Massnahme::Archivieren, false) => "archiviert",
            (Massnahme::Loeschen, true) => "wird gelöscht",
            (Massnahme::Loeschen, false) => "gelöscht",
        };
        out.line(format!(
            "{}  {:<40} {:<11} {}  {was}",
            format_om(f.person_id),
            sanitize_line(&f.name),
            f.status,
            format_date_de(f.datum)
        ))?;
    }
    let prefix = if dry_run { "Probelauf: " } else { "" };
    out.line(format!(
        "{prefix}{} Fälle (Mandant {}, Stichtag {}).",
        faelle.len(),
        session.mandant.id,
        format_date_de(session.today())
    ))?;
    Ok(())
}

/// `kis demo residents N`: N generated residents into the Mandant of the
/// logged-in user (ADMIN and EWOS_AENDERN, checked by the service).
pub fn demo_residents(
    cli: &Cli,
    db: &Db,
    clock: Arc<dyn Clock>,
    n: usize,
    seed: u64,
    out: &mut Out,
) -> Result<()> {
    let session = cli_session(cli, db, clock)?;
    let start = std::time::Instant::now();
    let stat = crate::demo::residents(&session, n, seed)?;
    out.line(format!(
        "{} Einwohner in {} Haushalten erzeugt ({} Wohnungen, {} weggezogen, {} verstorben) in {:.1} s.",
        stat.personen,
        stat.haushalte,
        stat.wohnungen,
        stat.weggezogen,
        stat.verstorben,
        start.elapsed().as_secs_f64()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ewos::model::Status;
    use chrono::NaiveDate;

    fn hit(id: i64, name: &str, gesperrt: bool) -> Treffer {
        Treffer {
            id,
            familienname: name.into(),
            vornamen: "Anna".into(),
            geburtsdatum: NaiveDate::from_ymd_opt(1990, 5, 5).unwrap(),
            status: Status::Aktiv,
            anschrift: "Bahnhofstraße 2a, 59999 Musterstadt".into(),
            sperren: if gesperrt {
                "AS51".into()
            } else {
                String::new()
            },
            auskunftssperre: gesperrt,
        }
    }

    #[test]
    fn csv_has_header_and_withholds_blocked_addresses() {
        let mut out = Vec::new();
        write_csv(
            &mut out,
            &[hit(1, "Mueller", false), hit(8, "Müller; \"X\"", true)],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "Ordnungsmerkmal;Familienname;Vornamen;Geburtsdatum;Anschrift;Status;Sperren"
        );
        assert_eq!(
            lines[1],
            "000000001;Mueller;Anna;05.05.1990;Bahnhofstraße 2a, 59999 Musterstadt;aktiv;"
        );
        assert!(
            lines[2].contains(ANSCHRIFT_GESPERRT) && !lines[2].contains("Bahnhofstraße"),
            "{}",
            lines[2]
        );
        assert!(
            lines[2].starts_with("000000008;\"Müller; \"\"X\"\"\";"),
            "{}",
            lines[2]
        );
    }
}
