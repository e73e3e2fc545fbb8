//! `kis finas anordnung …`, `kis finas op` and `kis finas partner …`: the
//! Kasse's services as the masks FIN500, FIN505 and FIN510 use them.

use clap::Subcommand;

use super::output::Out;
use crate::core::date::{format_date_de, parse_date_de};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, OpFilter, PartnerArt, PartnerInput,
};
use crate::finas::kasse::partner::MandatInput;
use crate::finas::kasse::{
    anordnung, kassenzeichen, klaerung as kl, kontoauszug, partner, personenkonto,
    tagesabschluss as ta, zahllauf as zl,
};
use crate::kernel::session::Session;

#[derive(Subcommand, Debug)]
pub enum AnordnungCmd {
    /// Anordnung erfassen; gibt Nummer und Kassenzeichen aus
    Neu {
        /// A (Annahmeanordnung) oder Z (Auszahlungsanordnung)
        #[arg(long)]
        art: String,
        /// Nummer des Geschäftspartners
        #[arg(long)]
        partner: i64,
        #[arg(long)]
        produkt: String,
        /// Ertragskonto (A) oder Aufwandskonto (Z)
        #[arg(long)]
        konto: String,
        #[arg(long)]
        kostenstelle: Option<String>,
        /// Forderungs- bzw. Verbindlichkeitskonto (ohne: Einstellung der Kasse)
        #[arg(long)]
        gegenkonto: Option<String>,
        #[arg(long)]
        text: String,
        /// Fälligkeit und Betrag, z. B. 15.12.2026=60,00 (mehrfach möglich)
        #[arg(long = "faellig", required = true)]
        faellig: Vec<String>,
        /// Nr. der Mittelreservierung, die diese Auszahlung verbraucht
        #[arg(long)]
        reservierung: Option<i64>,
    },
    /// Anordnung freigeben (nicht durch die Person, die sie erfasst hat)
    Freigeben {
        nr: Option<i64>,
        /// Alle erfassten Anordnungen, die andere erfasst haben (Sammelfreigabe)
        #[arg(long, conflicts_with = "nr")]
        alle: bool,
    },
    /// Anordnung anzeigen (Nummer oder Kassenzeichen)
    Zeigen { nr_oder_kassenzeichen: String },
    /// Anordnung stornieren (freigegebene: Storno-Buchung)
    Stornieren {
        nr: i64,
        #[arg(long)]
        grund: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ZahllaufCmd {
    /// Zahlläufe auflisten (neueste zuerst)
    Liste,
    /// Posten eines Zahllaufs anzeigen
    Zeigen { nr: i64 },
    /// Laufenden Zahllauf stornieren (die Posten sind wieder offen)
    Stornieren { nr: i64 },
    /// Dateien eines laufenden Zahllaufs erneut schreiben (dieselben Bytes)
    Drucken {
        nr: i64,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum KlaerungCmd {
    /// Klärungsposten einem Kassenzeichen zuordnen (Verwahrgeld an Forderung)
    Zuordnen {
        id: i64,
        #[arg(long)]
        kassenzeichen: String,
    },
    /// Klärungsposten erstatten: Auszahlungsanordnung an die IBAN (Zahllauf zahlt)
    Erstatten {
        id: i64,
        #[arg(long)]
        iban: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PartnerCmd {
    /// Geschäftspartner anlegen; gibt die Nummer aus
    Neu {
        /// P (natürliche Person) oder F (Firma)
        #[arg(long)]
        art: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        vorname: String,
        #[arg(long, default_value = "")]
        strasse: String,
        #[arg(long, default_value = "")]
        plz: String,
        #[arg(long, default_value = "")]
        ort: String,
        /// Ordnungsmerkmal im Melderegister (Anschrift kommt dann von dort)
        #[arg(long)]
        ewos_person: Option<i64>,
        #[arg(long)]
        iban: Option<String>,
        #[arg(long, default_value = "")]
        bic: String,
    },
    /// Geschäftspartner mit Bankverbindungen, Mandaten und Aufgaben
    Zeigen { id: i64 },
    /// Geschäftspartner nach Namensanfang
    Liste {
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Bankverbindung hinzufügen
    Bank {
        id: i64,
        #[arg(long)]
        iban: String,
        #[arg(long, default_value = "")]
        bic: String,
        #[arg(long, default_value = "")]
        inhaber: String,
    },
    /// SEPA-Lastschriftmandat erfassen
    Mandat {
        id: i64,
        #[arg(long)]
        referenz: String,
        #[arg(long)]
        iban: String,
        /// Datum der Unterschrift TT.MM.JJJJ
        #[arg(long)]
        unterschrieben: String,
        /// Einmalmandat (sonst wiederkehrend)
        #[arg(long)]
        einmalig: bool,
    },
    /// Mandat widerrufen
    Widerruf {
        referenz: String,
        /// Datum TT.MM.JJJJ (ohne: heute)
        #[arg(long)]
        datum: Option<String>,
    },
}

/// `TT.MM.JJJJ=Betrag`.
pub(super) fn faelligkeit(s: &str) -> Result<Faelligkeit> {
    let (d, b) = s.split_once('=').ok_or_else(|| {
        KisError::field(
            "faellig",
            format!("Fälligkeit „{s}“: Datum=Betrag angeben, z. B. 15.12.2026=60,00."),
        )
    })?;
    Ok(Faelligkeit {
        faellig: parse_date_de(d.trim())?,
        betrag: Money::parse_de(b.trim())?,
    })
}

pub fn anordnung(s: &Session, cmd: &AnordnungCmd, out: &mut Out) -> Result<()> {
    match cmd {
        AnordnungCmd::Neu {
            art,
            partner,
            produkt,
            konto,
            kostenstelle,
            gegenkonto,
            text,
            faellig,
            reservierung,
        } => {
            let input = AnordnungInput {
                reservierung: *reservierung,
                art: AnordnungArt::parse(art)?,
                partner: *partner,
                produkt: produkt.clone(),
                konto: konto.clone(),
                kostenstelle: kostenstelle.clone(),
                gegenkonto: gegenkonto.clone(),
                text: text.clone(),
                faelligkeiten: faellig
                    .iter()
                    .map(|f| faelligkeit(f))
                    .collect::<Result<_>>()?,
            };
            let e = anordnung::erfassen(s, &input)?;
            out.line(format!(
                "Anordnung {} erfasst, Kassenzeichen {}",
                e.nr,
                kassenzeichen::anzeigen(&e.kassenzeichen)
            ))?;
            if let Some(w) = e.warnung {
                out.line(format!("Warnung: {w}"))?;
            }
        }
        AnordnungCmd::Freigeben { nr: Some(nr), .. } => {
            let f = anordnung::freigeben(s, *nr)?;
            out.line(format!("Anordnung {nr} freigegeben, Buchung {}", f.buchung))?;
            for w in f.warnungen {
                out.line(format!("Warnung: {w}"))?;
            }
        }
        AnordnungCmd::Freigeben { nr: None, alle } => {
            if !alle {
                return Err(KisError::validation(
                    "Bitte die Nummer der Anordnung oder --alle angeben.",
                ));
            }
            let (n, warnungen) = anordnung::alle_freigeben(s)?;
            out.line(format!("{n} Anordnungen freigegeben und gebucht"))?;
            for w in warnungen {
                out.line(format!("Warnung: {w}"))?;
            }
        }
        AnordnungCmd::Zeigen {
            nr_oder_kassenzeichen,
        } => {
            let t = nr_oder_kassenzeichen.trim();
            // An Anordnung number is short; a Kassenzeichen has 11 digits.
            let a = match t.parse::<i64>() {
                Ok(nr) if t.len() < 11 => anordnung::lesen(s, nr)?,
                _ => anordnung::zu_kassenzeichen(s, t)?,
            };
            let p = partner::zeigen(s, a.partner)?;
            out.text(&anordnung::dokument(&a, &p.partner.anzeigename()))?;
        }
        AnordnungCmd::Stornieren { nr, grund } => match anordnung::stornieren(s, *nr, grund)? {
            Some(b) => out.line(format!("Anordnung {nr} storniert, Storno-Buchung {b}"))?,
            None => out.line(format!("Anordnung {nr} storniert"))?,
        },
    }
    Ok(())
}

pub fn op(
    s: &Session,
    partner: Option<i64>,
    faellig_bis: Option<&str>,
    csv: bool,
    out: &mut Out,
) -> Result<()> {
    let f = OpFilter {
        partner,
        faellig_bis: faellig_bis.map(parse_date_de).transpose()?,
        ..Default::default()
    };
    let op = personenkonto::offene_posten(s, &f, usize::MAX / 2)?;
    out.text(&if csv {
        personenkonto::op_csv(&op)
    } else {
        personenkonto::op_text(&op)
    })
}

pub fn partner(s: &Session, cmd: &PartnerCmd, out: &mut Out) -> Result<()> {
    match cmd {
        PartnerCmd::Neu {
            art,
            name,
            vorname,
            strasse,
            plz,
            ort,
            ewos_person,
            iban,
            bic,
        } => {
            let input = PartnerInput {
                art: Some(PartnerArt::parse(art)?),
                name: name.clone(),
                vorname: vorname.clone(),
                strasse: strasse.clone(),
                plz: plz.clone(),
                ort: ort.clone(),
                ewos_person: *ewos_person,
            };
            // Partner and bank account in one transaction: a wrong IBAN leaves no partner.
            let bank = iban.as_deref().map(|i| (i, bic.as_str()));
            let id = partner::erfassen(s, partner::Ziel::Neu(&input), bank, None)?;
            out.line(format!("Geschäftspartner {id} angelegt"))?;
        }
        PartnerCmd::Zeigen { id } => {
            let a = partner::zeigen(s, *id)?;
            out.text(&partner::dokument(&a, s.today()))?;
        }
        PartnerCmd::Liste { name, limit } => {
            for p in partner::liste(s, name, *limit)? {
                out.line(format!(
                    "{:>8}  {:<40}  {}",
                    p.id,
                    p.anzeigename(),
                    p.anschrift()
                ))?;
            }
        }
        PartnerCmd::Bank {
            id,
            iban,
            bic,
            inhaber,
        } => {
            let lfd = partner::bank_hinzufuegen(s, *id, iban, bic, inhaber)?;
            out.line(format!(
                "Bankverbindung {lfd} von Geschäftspartner {id} hinzugefügt"
            ))?;
        }
        PartnerCmd::Mandat {
            id,
            referenz,
            iban,
            unterschrieben,
            einmalig,
        } => {
            partner::mandat_anlegen(
                s,
                *id,
                &MandatInput {
                    referenz: referenz.clone(),
                    iban: iban.clone(),
                    unterschrieben: parse_date_de(unterschrieben)?,
                    wiederkehrend: !einmalig,
                },
            )?;
            out.line(format!(
                "Mandat {referenz} für Geschäftspartner {id} erfasst"
            ))?;
        }
        PartnerCmd::Widerruf { referenz, datum } => {
            let am = match datum {
                Some(d) => parse_date_de(d)?,
                None => s.today(),
            };
            partner::mandat_widerrufen(s, referenz, am)?;
            out.line(format!(
                "Mandat {referenz} zum {} widerrufen",
                format_date_de(am)
            ))?;
        }
    }
    Ok(())
}

/// `kis finas zahllauf …`: run (paths of the files written, one per line;
/// hints on stderr), `liste`, `zeigen`, `stornieren`, `drucken`.
pub fn zahllauf(
    s: &Session,
    cmd: Option<&ZahllaufCmd>,
    datum: Option<&str>,
    dir: Option<&std::path::Path>,
    out: &mut Out,
) -> Result<()> {
    match cmd {
        None => {
            let (Some(datum), Some(dir)) = (datum, dir) else {
                return Err(KisError::validation(
                    "Bitte --datum TT.MM.JJJJ und --out VERZEICHNIS angeben (oder liste, zeigen NR, stornieren NR, drucken NR).",
                ));
            };
            let (e, pfade) = zl::ausfuehren(s, parse_date_de(datum)?, Some(dir))?;
            for h in &e.hinweise {
                super::output::note(h);
            }
            super::output::note(&format!("Zahllauf {} angelegt.", e.nr));
            for p in pfade {
                out.line(p.display().to_string())?;
            }
        }
        Some(ZahllaufCmd::Liste) => {
            for l in zl::liste(s, 1000)? {
                out.line(format!(
                    "{:>6}  {}  {:<9}  {:>6} Posten  {:>16} €  {} {}",
                    l.nr,
                    format_date_de(l.ausfuehrung),
                    if l.live { "laufend" } else { "storniert" },
                    l.anzahl,
                    l.summe.format_de(),
                    l.erstellt_von,
                    l.erstellt_am
                ))?;
            }
        }
        Some(ZahllaufCmd::Zeigen { nr }) => {
            let (l, posten) = zl::zeigen(s, *nr)?;
            out.text(&zl::text(&l, &posten))?;
        }
        Some(ZahllaufCmd::Stornieren { nr }) => {
            zl::stornieren(s, *nr)?;
            out.line(format!(
                "Zahllauf {nr} storniert; die Posten sind wieder offen."
            ))?;
        }
        Some(ZahllaufCmd::Drucken { nr, out: dir }) => {
            let (_, pfade) = zl::neu_drucken(s, *nr, Some(dir))?;
            for p in pfade {
                out.line(p.display().to_string())?;
            }
        }
    }
    Ok(())
}

/// `kis finas tagesabschluss --datum TT.MM.JJJJ [--pruefen]`: the day's
/// Zeitbuch, Sachbuch and Kassenbestand, then the closing (or, with
/// `--pruefen`, only the check). `Ok(false)`: the day does not balance; the
/// reasons are printed and nothing is closed.
pub fn tagesabschluss(s: &Session, datum: &str, nur_pruefen: bool, out: &mut Out) -> Result<bool> {
    let datum = parse_date_de(datum)?;
    let p = ta::pruefen(s, datum)?;
    out.line(format!(
        "Zeitbuch {}: {} Buchungen",
        ta::tag(datum),
        p.zeitbuch.len()
    ))?;
    for z in &p.zeitbuch {
        out.line(format!(
            "{:>8}  {:<40}  S {:<12} H {:<12} {:>16} €  {}",
            z.nr,
            z.text,
            z.soll_konten.join(","),
            z.haben_konten.join(","),
            z.betrag.format_de(),
            z.kassenzeichen.as_deref().unwrap_or("")
        ))?;
    }
    out.line("Sachbuch:")?;
    for z in &p.sachbuch {
        out.line(format!(
            "  {:<8} {:<30} {:<10} Soll {:>16} €  Haben {:>16} €",
            z.konto,
            z.bezeichnung,
            z.produkt.as_deref().unwrap_or(""),
            z.soll.format_de(),
            z.haben.format_de()
        ))?;
    }
    out.line(format!(
        "Summe Soll {} €, Haben {} €",
        p.soll.format_de(),
        p.haben.format_de()
    ))?;
    for b in &p.bestaende {
        out.line(format!(
            "Kassenbestand {} (Konto {}): {} €",
            b.iban,
            b.konto,
            b.bestand.format_de()
        ))?;
        if let Some(a) = b.auszug {
            out.line(format!(
                "Schlusssaldo laut Kontoauszug: {} €",
                a.format_de()
            ))?;
        }
    }
    if !p.ausgeglichen() {
        for m in &p.maengel {
            out.line(m)?;
        }
        out.line(format!(
            "Der Kassentag {} ist nicht ausgeglichen und wird nicht abgeschlossen.",
            ta::tag(datum)
        ))?;
        return Ok(false);
    }
    if p.abgeschlossen {
        out.line(format!(
            "Der Kassentag {} ist bereits abgeschlossen.",
            ta::tag(datum)
        ))?;
    } else if nur_pruefen {
        out.line(format!(
            "Der Kassentag {} ist ausgeglichen.",
            ta::tag(datum)
        ))?;
    } else {
        ta::abschliessen(s, datum)?;
        out.line(format!("Kassentag {} abgeschlossen.", ta::tag(datum)))?;
    }
    Ok(true)
}

/// `kis finas camt-import FILE`: the summary line (and a note when
/// something was already imported); a refusal is an error with the reason.
pub fn camt_import(s: &Session, file: &std::path::Path, out: &mut Out) -> Result<()> {
    let xml = std::fs::read(file).map_err(|e| {
        KisError::validation(format!(
            "Die Datei {} kann nicht gelesen werden: {e}",
            file.display()
        ))
    })?;
    let e = kontoauszug::importieren(s, &xml)?;
    out.line(e.zeile())?;
    if let Some(h) = e.hinweis() {
        out.line(h)?;
    }
    Ok(())
}

/// `kis finas klaerung [--csv] | zuordnen ID --kassenzeichen KZ | erstatten ID --iban IBAN`
pub fn klaerung(s: &Session, cmd: Option<&KlaerungCmd>, csv: bool, out: &mut Out) -> Result<()> {
    match cmd {
        None => {
            let l = kl::liste(s)?;
            out.text(&if csv { kl::csv(&l) } else { kl::text(&l) })?;
        }
        Some(KlaerungCmd::Zuordnen {
            id,
            kassenzeichen: kz,
        }) => {
            let b = kl::zuordnen(s, *id, kz)?;
            out.line(format!(
                "Klärungsposten {id}: {} € dem Kassenzeichen {} zugeordnet",
                b.format_de(),
                kassenzeichen::anzeigen(&kassenzeichen::pruefen("kassenzeichen", kz)?)
            ))?;
        }
        Some(KlaerungCmd::Erstatten { id, iban }) => {
            let e = kl::erstatten(s, *id, iban)?;
            out.line(format!(
                "Klärungsposten {id}: Auszahlungsanordnung {} (Kassenzeichen {}) über {} € an Geschäftspartner {} erfasst; freigeben durch eine zweite, anordnungsbefugte Person, gezahlt wird mit dem nächsten Zahllauf.",
                e.anordnung,
                kassenzeichen::anzeigen(&e.kassenzeichen),
                e.betrag.format_de(),
                e.partner
            ))?;
        }
    }
    Ok(())
}
