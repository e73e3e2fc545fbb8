//! CSV interface of the PAP for `kis persos lohnsteuer --jahr J --in … --out …`.
//!
//! Input: a header line with PAP INPUT names (exactly as in the PAP, case
//! included), `;` or `,` as delimiter (taken from the header line), one row
//! per computation. Absent columns and empty cells take the PAP's default
//! (0 where the XML gives none). Cent and `int` parameters are plain whole
//! numbers; KVZ, f, PVA and ZKF are decimals with `,` or `.`.
//!
//! Output: `;`-separated, the input columns as given, then one column per
//! PAP OUTPUT parameter, named as in the PAP, values in cents.
//!
//! Every row is checked before anything is written. If any row (or the
//! header) is bad, every problem is reported with its line number and
//! nothing at all is written.

use std::io::{Read, Write};

use csv::{ReaderBuilder, StringRecord, Trim, WriterBuilder};
use rust_decimal::Decimal;

use super::eingabe::{Art, FeldMut, LstEingabe, Parameter};
use super::jahrgang::{JAHRGAENGE, Jahrgang, jahrgang, vorgabe};
use super::{LstAusgabe, pruefe, rechne};
use crate::core::error::{KisError, Result};

/// What a successful run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvSummary {
    /// The PAP year used.
    pub jahr: i32,
    /// Number of data rows computed and written.
    pub zeilen: usize,
}

/// Reads rows of PAP inputs from `input`, computes each with the PAP of
/// `jahr` and writes the results to `output`. On any bad row the error
/// lists every problem ("Zeile 3: STKL muss 1 bis 6 sein, gefunden: 7"),
/// one per line, and `output` stays untouched.
pub fn csv_run(jahr: i32, mut input: impl Read, mut output: impl Write) -> Result<CsvSummary> {
    let jg = jahrgang(jahr)?;
    let mut rohtext = Vec::new();
    input.read_to_end(&mut rohtext)?;
    let text = String::from_utf8(rohtext).map_err(|_| {
        KisError::validation("Die Eingabedatei ist keine UTF-8-Textdatei.".to_string())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);

    let mut reader = ReaderBuilder::new()
        .delimiter(trennzeichen(text))
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();

    let kopf = match records.next() {
        Some(Ok(kopf)) => kopf,
        Some(Err(_)) => return Err(fehlerliste(vec![csv_fehler(1)])),
        None => {
            return Err(KisError::validation(
                "Die Eingabedatei ist leer; erwartet wird eine Kopfzeile mit den Namen der \
                 Eingabeparameter des Programmablaufplans."
                    .to_string(),
            ));
        }
    };
    let spalten = lies_kopf(jg, &kopf).map_err(fehlerliste)?;

    let mut fehler = Vec::new();
    let mut ergebnisse: Vec<(StringRecord, LstAusgabe)> = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let zeile = e.position().map_or(0, |p| p.line());
                fehler.push(csv_fehler(zeile));
                continue;
            }
        };
        let zeile = record.position().map_or(0, |p| p.line());
        match lies_zeile(jg, &spalten, &record) {
            Ok(eingabe) => ergebnisse.push((record, rechne(jg, &eingabe))),
            Err(meldungen) => {
                fehler.extend(meldungen.into_iter().map(|m| format!("Zeile {zeile}: {m}")));
            }
        }
    }
    if !fehler.is_empty() {
        return Err(fehlerliste(fehler));
    }

    let mut writer = WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    let ausgabe_kopf = kopf
        .iter()
        .map(str::to_string)
        .chain(jg.ergebnisse.iter().map(|e| e.pap_name().to_string()));
    writer.write_record(ausgabe_kopf).map_err(schreibfehler)?;
    for (record, ausgabe) in &ergebnisse {
        let werte = record.iter().map(str::to_string).chain(
            jg.ergebnisse
                .iter()
                .map(|e| ausgabe.wert(*e).map(cent).unwrap_or_default()),
        );
        writer.write_record(werte).map_err(schreibfehler)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| KisError::System(format!("CSV-Ausgabe: {e}")))?;
    output.write_all(&bytes)?;
    output.flush()?;
    Ok(CsvSummary {
        jahr,
        zeilen: ergebnisse.len(),
    })
}

/// `;` unless the header line uses `,` and no `;`.
fn trennzeichen(text: &str) -> u8 {
    let kopfzeile = text.lines().next().unwrap_or_default();
    if !kopfzeile.contains(';') && kopfzeile.contains(',') {
        b','
    } else {
        b';'
    }
}

/// One error carrying all messages, one per line, after a headline.
fn fehlerliste(meldungen: Vec<String>) -> KisError {
    KisError::validation(format!(
        "Die Eingabedatei enthält Fehler; es wurde nichts geschrieben.\n{}",
        meldungen.join("\n")
    ))
}

fn csv_fehler(zeile: u64) -> String {
    format!("Zeile {zeile}: Die Zeile lässt sich nicht als CSV lesen.")
}

fn schreibfehler(e: csv::Error) -> KisError {
    KisError::System(format!("CSV-Ausgabe: {e}"))
}

/// An output value in cents as a plain number (the PAP's outputs are whole
/// cents; `normalize` drops the scale BigDecimal would print, e.g. `.00`).
fn cent(wert: Decimal) -> String {
    wert.normalize().to_string()
}

/// The parameter of each column, after checking the header: only INPUT
/// names of the year's PAP, each at most once; absent columns must have a
/// usable default.
fn lies_kopf(jg: &Jahrgang, kopf: &StringRecord) -> Result<Vec<Parameter>, Vec<String>> {
    let mut fehler = Vec::new();
    let mut spalten = Vec::new();
    for (i, name) in kopf.iter().enumerate() {
        match jg.eingaben.iter().find(|(p, _)| p.pap_name() == name) {
            Some((p, _)) if spalten.contains(p) => {
                fehler.push(format!("Zeile 1: Spalte „{name}“ kommt mehrfach vor."));
            }
            Some((p, _)) => spalten.push(*p),
            None => fehler.push(format!("Zeile 1: {}", unbekannte_spalte(jg, i + 1, name))),
        }
    }
    // A column left out takes the PAP's default; where the XML gives none
    // and 0 is not a valid value (LZZ and STKL in 2025), the column is
    // required.
    let fehlend = |p: &Parameter| !spalten.contains(p);
    for problem in pruefe(jg.jahr, &vorgabe(jg)) {
        if let Some((p, _)) = jg
            .eingaben
            .iter()
            .find(|(p, _)| Some(p.pap_name()) == problem.field_key() && fehlend(p))
        {
            fehler.push(format!(
                "Zeile 1: Spalte „{}“ fehlt; der Programmablaufplan {} gibt dafür keinen \
                 Vorgabewert und 0 ist unzulässig ({problem}).",
                p.pap_name(),
                jg.jahr
            ));
        }
    }
    if fehler.is_empty() {
        Ok(spalten)
    } else {
        Err(fehler)
    }
}

/// Why a header name is not accepted, with a hint where one helps.
fn unbekannte_spalte(jg: &Jahrgang, nummer: usize, name: &str) -> String {
    if name.is_empty() {
        return format!("Spalte {nummer} hat keinen Namen.");
    }
    if let Some((p, _)) = jg
        .eingaben
        .iter()
        .find(|(p, _)| p.pap_name().eq_ignore_ascii_case(name))
    {
        return format!(
            "Spalte „{name}“: Parameternamen sind genau wie im Programmablaufplan zu schreiben, \
             gemeint ist wohl „{}“.",
            p.pap_name()
        );
    }
    let anderes_jahr = JAHRGAENGE
        .iter()
        .find(|andere| andere.eingaben.iter().any(|(p, _)| p.pap_name() == name));
    match anderes_jahr {
        Some(andere) => format!(
            "Spalte „{name}“ gibt es im Programmablaufplan {} nicht (nur {}).",
            jg.jahr, andere.jahr
        ),
        None => format!(
            "Spalte „{name}“ ist kein Eingabeparameter des Programmablaufplans {}.",
            jg.jahr
        ),
    }
}

/// The input of one data row, or every problem of the row.
fn lies_zeile(
    jg: &Jahrgang,
    spalten: &[Parameter],
    record: &StringRecord,
) -> Result<LstEingabe, Vec<String>> {
    if record.len() != spalten.len() {
        return Err(vec![format!(
            "Die Zeile hat {} Werte, die Kopfzeile {} Spalten.",
            record.len(),
            spalten.len()
        )]);
    }
    let mut eingabe = vorgabe(jg);
    let mut fehler = Vec::new();
    for (p, text) in spalten.iter().zip(record.iter()) {
        if text.is_empty() {
            continue;
        }
        if let Err(meldung) = setze_text(&mut eingabe, *p, text) {
            fehler.push(meldung);
        }
    }
    if fehler.is_empty() {
        fehler = pruefe(jg.jahr, &eingabe)
            .into_iter()
            .map(|e| e.to_string())
            .collect();
    }
    if fehler.is_empty() {
        Ok(eingabe)
    } else {
        Err(fehler)
    }
}

/// Parses `text` as the value of `p` into `eingabe`.
fn setze_text(eingabe: &mut LstEingabe, p: Parameter, text: &str) -> Result<(), String> {
    let name = p.pap_name();
    match (eingabe.feld_mut(p), p.art()) {
        (FeldMut::Ganzzahl(feld), _) => {
            *feld = text
                .parse()
                .map_err(|_| format!("{name} muss eine ganze Zahl sein, gefunden: „{text}“"))?;
        }
        (FeldMut::Dezimal(feld), Art::Cent) => {
            let cent: i64 = text.parse().map_err(|_| {
                format!(
                    "{name} ist ein Betrag in ganzen Cent ohne Trenn- und Dezimalzeichen \
                     (z. B. 500000 für 5.000,00 €), gefunden: „{text}“"
                )
            })?;
            *feld = Decimal::from(cent);
        }
        (FeldMut::Dezimal(feld), _) => {
            *feld = dezimal(text).ok_or_else(|| {
                format!("{name} muss eine Dezimalzahl sein (z. B. 0,5), gefunden: „{text}“")
            })?;
        }
    }
    Ok(())
}

/// A decimal written as `0,5` or `0.5` (optional sign, at most one
/// decimal separator, no thousands separators).
fn dezimal(text: &str) -> Option<Decimal> {
    let ziffern = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (ganz, bruch) = match ziffern.split_once([',', '.']) {
        Some((ganz, bruch)) => (ganz, Some(bruch)),
        None => (ziffern, None),
    };
    let nur_ziffern = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !nur_ziffern(ganz) || bruch.is_some_and(|b| !nur_ziffern(b)) || ganz.len() > 12 {
        return None;
    }
    text.replace(',', ".").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn dezimal_accepts_comma_and_point() {
        assert_eq!(dezimal("0,5"), Some(dec!(0.5)));
        assert_eq!(dezimal("0.5"), Some(dec!(0.5)));
        assert_eq!(dezimal("2,90"), Some(dec!(2.9)));
        assert_eq!(dezimal("1"), Some(dec!(1)));
        assert_eq!(dezimal("-1,5"), Some(dec!(-1.5)));
    }

    #[test]
    fn dezimal_rejects_everything_else() {
        for text in [
            "", ",5", "1,", "1.000,5", "1,2,3", "abc", "1e3", "1_0", "- 1", "0x10",
        ] {
            assert_eq!(dezimal(text), None, "{text}");
        }
    }

    #[test]
    fn delimiter_comes_from_the_header_line() {
        assert_eq!(trennzeichen("LZZ;RE4\n2;1,5"), b';');
        assert_eq!(trennzeichen("LZZ,RE4\n2;1"), b',');
        assert_eq!(trennzeichen("RE4\n1"), b';');
    }
}
