//! Säumniszuschläge by AO § 240, computed for one case: the rule the
//! Mahnlauf charges by and the check tool `kis finas saeumnis` shows.
//!
//! - **Due date** (§ 108(3)): a due date on a Saturday, Sunday or public
//!   holiday of the Mandant's state moves to the next working day.
//! - **When a payment counts** (§ 224(2)): cash on the day it is received
//!   (Nr. 1), a transfer on the day it is credited (Nr. 2), a direct debit
//!   on the due date (Nr. 3) — so a direct debit that is honoured is never
//!   late.
//! - **Schonfrist** (§ 240(3)): no Säumniszuschlag for a delay of up to three
//!   days, except for cash (§ 224(2) Nr. 1). The three days run from the
//!   day after the due date; when the third is not a working day the
//!   Schonfrist ends on the next one (§ 108(1), (3) AO: the BFH reads the Schonfrist as a period of days, § 188(1) BGB). Once
//!   the Schonfrist is exceeded the months count from the due date.
//! - **Months** (§ 240(1), § 108(1) AO with §§ 187(1), 188(2), (3) BGB):
//!   every started month of delay counts; the n-th month ends on the day of
//!   the n-th following month that has the due date's number (or that
//!   month's last day). The end of a Säumnismonat is not moved by § 108(3):
//!   the charge accrues by law, it is not a period for an act.
//! - **Amount**: 1 % per month of the overdue amount rounded down to a
//!   multiple of 50 €; below 50 € nothing.

use std::fmt::Write as _;
use std::io::{Read, Write};

use chrono::{Days, NaiveDate};
use csv::{StringRecord, WriterBuilder};

use crate::core::csv_import::{self, Fehlerliste};
use crate::core::date::{add_months, format_date_de, parse_date_de};
use crate::core::error::{KisError, Result};
use crate::core::feiertage::Bundesland;
use crate::core::money::Money;
use crate::core::sanitize::quote_input;

/// How a payment was made (§ 224(2) AO).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zahlungsart {
    Ueberweisung,
    Bar,
    Lastschrift,
}

impl Zahlungsart {
    pub fn parse(s: &str) -> Result<Zahlungsart> {
        match s.trim().to_lowercase().as_str() {
            "ueberweisung" | "überweisung" => Ok(Zahlungsart::Ueberweisung),
            "bar" => Ok(Zahlungsart::Bar),
            "lastschrift" => Ok(Zahlungsart::Lastschrift),
            _ => Err(KisError::field(
                "zahlungsart",
                format!(
                    "Zahlungsart {} unbekannt; erwartet: ueberweisung, bar oder lastschrift.",
                    quote_input(s.trim())
                ),
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Zahlungsart::Ueberweisung => "Überweisung",
            Zahlungsart::Bar => "Barzahlung",
            Zahlungsart::Lastschrift => "Lastschrift",
        }
    }
}

/// One case: an amount due on `faellig`, paid on `gezahlt`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fall {
    pub betrag: Money,
    pub faellig: NaiveDate,
    pub gezahlt: NaiveDate,
    pub art: Zahlungsart,
    pub land: Bundesland,
}

/// The result with the dates it rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saeumnis {
    /// The due date after § 108(3).
    pub faellig: NaiveDate,
    /// The last day of the Schonfrist (transfers only).
    pub schonfrist_bis: Option<NaiveDate>,
    /// Started months of delay charged (0: none).
    pub monate: u32,
    /// The overdue amount rounded down to a multiple of 50 €.
    pub bemessung: Money,
    pub zuschlag: Money,
    /// Why there is no charge, when there is none.
    pub grund: Option<String>,
}

/// 50 € in cents: the rounding step of § 240(1) S. 1.
const RUNDUNG_CENT: i64 = 5_000;

/// The overdue amount rounded down to a multiple of 50 €.
pub fn bemessung(betrag: Money) -> Money {
    Money::from_cents(betrag.cents() / RUNDUNG_CENT * RUNDUNG_CENT)
}

/// The Säumniszuschlag for one case.
pub fn berechnen(f: &Fall) -> Result<Saeumnis> {
    if f.betrag.cents() <= 0 {
        return Err(KisError::field(
            "betrag",
            "Der rückständige Betrag muss größer als 0 sein.",
        ));
    }
    let faellig = f.land.naechster_werktag(f.faellig);
    let bemessung = bemessung(f.betrag);
    let ohne = |grund: String, schonfrist_bis| Saeumnis {
        faellig,
        schonfrist_bis,
        monate: 0,
        bemessung,
        zuschlag: Money::zero(),
        grund: Some(grund),
    };
    if f.art == Zahlungsart::Lastschrift {
        return Ok(ohne(
            "Lastschrift: gilt als am Fälligkeitstag entrichtet (§ 224 Abs. 2 Nr. 3 AO).".into(),
            None,
        ));
    }
    if f.gezahlt <= faellig {
        return Ok(ohne(
            format!("Rechtzeitig gezahlt (fällig {}).", format_date_de(faellig)),
            None,
        ));
    }
    let schonfrist_bis = (f.art == Zahlungsart::Ueberweisung).then(|| {
        let dritter = faellig.checked_add_days(Days::new(3)).unwrap_or(faellig);
        f.land.naechster_werktag(dritter)
    });
    if let Some(s) = schonfrist_bis
        && f.gezahlt <= s
    {
        return Ok(ohne(
            format!(
                "Innerhalb der Schonfrist bis {} gezahlt (§ 240 Abs. 3 AO).",
                format_date_de(s)
            ),
            schonfrist_bis,
        ));
    }
    let mut monate: u32 = 1;
    while add_months(faellig, monate as i32) < f.gezahlt {
        monate += 1;
    }
    if bemessung.is_zero() {
        return Ok(Saeumnis {
            monate,
            ..ohne(
                "Rückstand unter 50 €: abgerundet 0 € (§ 240 Abs. 1 S. 1 AO).".into(),
                schonfrist_bis,
            )
        });
    }
    let zuschlag = Money::from_cents(bemessung.cents() / 100 * i64::from(monate));
    Ok(Saeumnis {
        faellig,
        schonfrist_bis,
        monate,
        bemessung,
        zuschlag,
        grund: None,
    })
}

/// The result as lines for the terminal.
pub fn text(f: &Fall, s: &Saeumnis) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Rückstand {} € (abgerundet {} €), fällig {}, gezahlt {} ({}), Land {}",
        f.betrag.format_de(),
        s.bemessung.format_de(),
        format_date_de(f.faellig),
        format_date_de(f.gezahlt),
        f.art.label(),
        f.land.code()
    );
    if s.faellig != f.faellig {
        let _ = writeln!(
            t,
            "Fälligkeit nach § 108 Abs. 3 AO: {}",
            format_date_de(s.faellig)
        );
    }
    if let Some(bis) = s.schonfrist_bis {
        let _ = writeln!(t, "Schonfrist bis: {}", format_date_de(bis));
    }
    let _ = writeln!(t, "Säumnismonate: {}", s.monate);
    let _ = writeln!(t, "Säumniszuschlag: {} €", s.zuschlag.format_de());
    if let Some(g) = &s.grund {
        let _ = writeln!(t, "{g}");
    }
    t
}

/// The input columns of the CSV check, in this order.
pub const CSV_SPALTEN: [&str; 6] = [
    "fall",
    "betrag",
    "faellig",
    "gezahlt",
    "zahlungsart",
    "land",
];

/// Computes every row of a `;`-separated CSV (columns [`CSV_SPALTEN`];
/// an empty `land` takes `land`) and writes the rows with the columns
/// `saeumniszuschlag;monate` added. Every bad row is named with its line
/// (header = line 1) and then nothing is written. Returns the row count.
pub fn csv_run(
    land: Option<Bundesland>,
    mut input: impl Read,
    mut output: impl Write,
) -> Result<usize> {
    let mut roh = Vec::new();
    input.read_to_end(&mut roh)?;
    let text = String::from_utf8(roh)
        .map_err(|_| KisError::validation("Die Eingabedatei ist keine UTF-8-Textdatei."))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut zeilen = csv_import::zeilen(text, b';', None, true);
    let kopf = match zeilen.next() {
        Some((_, Ok(k))) => k,
        Some((z, Err(m))) => {
            let mut f = Fehlerliste::new();
            f.meldung(z, m);
            return Err(fehlerliste(&f));
        }
        None => {
            return Err(KisError::validation(format!(
                "Die Eingabedatei ist leer; erwartet wird die Kopfzeile {}.",
                CSV_SPALTEN.join(";")
            )));
        }
    };
    let namen: Vec<String> = kopf.iter().map(|s| s.to_lowercase()).collect();
    if namen != CSV_SPALTEN {
        let mut f = Fehlerliste::new();
        f.meldung(
            1,
            format!(
                "Kopfzeile {}; erwartet: {}",
                quote_input(&kopf.iter().collect::<Vec<_>>().join(";")),
                CSV_SPALTEN.join(";")
            ),
        );
        return Err(fehlerliste(&f));
    }
    let mut fehler = Fehlerliste::new();
    let mut ergebnisse: Vec<(StringRecord, Saeumnis)> = Vec::new();
    for (zeile, record) in zeilen {
        let record = match record {
            Ok(r) => r,
            Err(m) => {
                fehler.meldung(zeile, m);
                continue;
            }
        };
        match zeile_lesen(land, &record)
            .and_then(|f| berechnen(&f).map_err(|e| vec![e.to_string()]))
        {
            Ok(s) => ergebnisse.push((record, s)),
            Err(m) => fehler.zeile(zeile, m),
        }
    }
    if !fehler.is_empty() {
        return Err(fehlerliste(&fehler));
    }
    let mut w = WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    let schreibfehler = |e: csv::Error| KisError::System(format!("CSV-Ausgabe: {e}"));
    w.write_record(CSV_SPALTEN.iter().chain(&["saeumniszuschlag", "monate"]))
        .map_err(schreibfehler)?;
    for (r, s) in &ergebnisse {
        let mut felder: Vec<String> = r.iter().map(str::to_string).collect();
        felder.push(s.zuschlag.format_de());
        felder.push(s.monate.to_string());
        w.write_record(&felder).map_err(schreibfehler)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| KisError::System(format!("CSV-Ausgabe: {e}")))?;
    output.write_all(&bytes)?;
    output.flush()?;
    Ok(ergebnisse.len())
}

/// One data row as a case; all problems of the row at once.
fn zeile_lesen(
    land: Option<Bundesland>,
    r: &StringRecord,
) -> std::result::Result<Fall, Vec<String>> {
    let mut m = Vec::new();
    if r.len() != CSV_SPALTEN.len() {
        return Err(vec![format!(
            "{} Felder statt {} ({}).",
            r.len(),
            CSV_SPALTEN.len(),
            CSV_SPALTEN.join(";")
        )]);
    }
    let feld = |i: usize| r.get(i).unwrap_or("");
    let betrag = match Money::parse_de(feld(1)) {
        Ok(b) if b.cents() > 0 => Some(b),
        Ok(_) => {
            m.push("betrag muss größer als 0 sein.".to_string());
            None
        }
        Err(e) => {
            m.push(format!("betrag {}: {e}", quote_input(feld(1))));
            None
        }
    };
    let mut datum = |i: usize, name: &str| match parse_date_de(feld(i)) {
        Ok(d) => Some(d),
        Err(e) => {
            m.push(format!("{name} {}: {e}", quote_input(feld(i))));
            None
        }
    };
    let faellig = datum(2, "faellig");
    let gezahlt = datum(3, "gezahlt");
    let art = Zahlungsart::parse(feld(4))
        .map_err(|e| m.push(e.to_string()))
        .ok();
    let land = if feld(5).is_empty() {
        land.or_else(|| {
            m.push("land fehlt (kein Bundesland der Gemeinde bekannt).".to_string());
            None
        })
    } else {
        Bundesland::parse(feld(5))
            .map_err(|e| m.push(e.to_string()))
            .ok()
    };
    match (betrag, faellig, gezahlt, art, land) {
        (Some(betrag), Some(faellig), Some(gezahlt), Some(art), Some(land)) if m.is_empty() => {
            Ok(Fall {
                betrag,
                faellig,
                gezahlt,
                art,
                land,
            })
        }
        _ => Err(m),
    }
}

fn fehlerliste(f: &Fehlerliste) -> KisError {
    KisError::validation(format!(
        "Die Eingabedatei enthält Fehler; es wurde nichts geschrieben.\n{}",
        f.text()
    ))
}
