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

use csv::{StringRecord, WriterBuilder};
use rust_decimal::Decimal;

use super::eingabe::{Art, FeldMut, LstEingabe, Parameter};
use super::jahrgang::{JAHRGAENGE, Jahrgang, jahrgang, vorgabe};
use super::{LstAusgabe, pruefe, rechne};
use crate::core::csv_import::{self, Fehlerliste};
use crate::core::error::{KisError, Result};
use crate::core::sanitize::quote_input;

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

    let mut records = csv_import::zeilen(text, trennzeichen(text), None, true);

    let kopf = match records.next() {
        Some((_, Ok(kopf))) => kopf,
        Some((zeile, Err(m))) => {
            let mut f = Fehlerliste::new();
            f.meldung(zeile, m);
            return Err(fehlerliste(&f));
        }
        None => {
            return Err(KisError::validation(
                "Die Eingabedatei ist leer; erwartet wird eine Kopfzeile mit den Namen der \
                 Eingabeparameter des Programmablaufplans."
                    .to_string(),
            ));
        }
    };
    let spalten = lies_kopf(jg, &kopf).map_err(|m| {
        let mut f = Fehlerliste::new();
        f.zeile(1, m);
        fehlerliste(&f)
    })?;

    let mut fehler = Fehlerliste::new();
    let mut ergebnisse: Vec<(StringRecord, LstAusgabe)> = Vec::new();
    for (zeile, record) in records {
        let record = match record {
            Ok(record) => record,
            Err(m) => {
                fehler.meldung(zeile, m);
                continue;
            }
        };
        match lies_zeile(jg, &spalten, &record) {
            Ok(eingabe) if fehler.is_empty() => ergebnisse.push((record, rechne(jg, &eingabe))),
            Ok(_) => {}
            Err(meldungen) => fehler.zeile(zeile, meldungen),
        }
    }
    if !fehler.is_empty() {
        return Err(fehlerliste(&fehler));
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

/// One error carrying the messages (at most [`csv_import::MAX_MELDUNGEN`]),
/// one per line, after a headline.
fn fehlerliste(fehler: &Fehlerliste) -> KisError {
    KisError::validation(format!(
        "Die Eingabedatei enthält Fehler; es wurde nichts geschrieben.\n{}",
        fehler.text()
    ))
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
                fehler.push(format!("Spalte {} kommt mehrfach vor.", quote_input(name)));
            }
            Some((p, _)) => spalten.push(*p),
            None => fehler.push(unbekannte_spalte(jg, i + 1, name)),
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
                "Spalte „{}“ fehlt; der Programmablaufplan {} gibt dafür keinen \
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
            "Spalte {}: Parameternamen sind genau wie im Programmablaufplan zu schreiben, \
             gemeint ist wohl „{}“.",
            quote_input(name),
            p.pap_name()
        );
    }
    let anderes_jahr = JAHRGAENGE
        .iter()
        .find(|andere| andere.eingaben.iter().any(|(p, _)| p.pap_name() == name));
    match anderes_jahr {
        Some(andere) => format!(
            "Spalte {} gibt es im Programmablaufplan {} nicht (nur {}).",
            quote_input(name),
            jg.jahr,
            andere.jahr
        ),
        None => format!(
            "Spalte {} ist kein Eingabeparameter des Programmablaufplans {}.",
            quote_input(name),
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
            *feld = text.parse().map_err(|_| {
                format!(
                    "{name} muss eine ganze Zahl sein, gefunden: {}",
                    quote_input(text)
                )
            })?;
        }
        (FeldMut::Dezimal(feld), Art::Cent) => {
            let cent: i64 = text.parse().map_err(|_| {
                format!(
                    "{name} ist ein Betrag in ganzen Cent ohne Trenn- und Dezimalzeichen \
                     (z. B. 500000 für 5.000,00 €), gefunden: {}",
                    quote_input(text)
                )
            })?;
            *feld = Decimal::from(cent);
        }
        (FeldMut::Dezimal(feld), _) => {
            *feld = dezimal(text).ok_or_else(|| {
                format!(
                    "{name} muss eine Dezimalzahl sein (z. B. 0,5), gefunden: {}",
                    quote_input(text)
                )
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

    fn fehler(text: &str) -> String {
        let mut out = Vec::new();
        let e = csv_run(2026, text.as_bytes(), &mut out).unwrap_err();
        assert!(out.is_empty(), "bei Fehlern wird nichts geschrieben");
        e.to_string()
    }

    /// The full header of the PAP 2026 with `stkl` as the only row value
    /// given; every other cell empty.
    fn voller_kopf_und_zeile(stkl: &str) -> (String, String) {
        let jg = jahrgang(2026).unwrap();
        let namen: Vec<&str> = jg.eingaben.iter().map(|(p, _)| p.pap_name()).collect();
        let zeile: Vec<&str> = namen
            .iter()
            .map(|n| match *n {
                "STKL" => stkl,
                "LZZ" => "2",
                _ => "",
            })
            .collect();
        (namen.join(";"), zeile.join(";"))
    }

    #[test]
    fn lines_are_counted_as_an_editor_shows_them() {
        let (kopf, gut) = voller_kopf_und_zeile("1");
        let (_, schlecht) = voller_kopf_und_zeile("7");
        assert!(kopf.split(';').count() >= 30, "{kopf}");
        // A blank line: the bad row is line 4.
        let e = fehler(&format!(
            "{kopf}
{gut}

{schlecht}
"
        ));
        assert!(e.contains("\nZeile 4: STKL muss 1 bis 6 sein"), "{e}");
        // Windows line ends (as the BMF files): the bad row is line 3.
        let e = fehler(&format!("{kopf}\r\n{gut}\r\n{schlecht}\r\n"));
        assert!(e.contains("\nZeile 3: STKL muss 1 bis 6 sein"), "{e}");
        let e = fehler(&format!("{kopf}\r\n\r\n{gut}\r\n\r\n{schlecht}\r\n"));
        assert!(e.contains("\nZeile 5: STKL muss 1 bis 6 sein"), "{e}");
    }

    #[test]
    fn an_unterminated_quote_is_refused_with_its_line() {
        // Without the check the quote would swallow the rows after it and
        // the file would be computed with one row.
        let e = fehler("LZZ;STKL;RE4\n2;1;\"500000\n2;7;1\n2;1;1\n");
        assert!(
            e.contains("Zeile 2: Ein Anführungszeichen wird nicht geschlossen"),
            "{e}"
        );
    }

    #[test]
    fn a_million_bad_rows_give_100_messages_and_a_count() {
        let mut text = String::from("LZZ;STKL\n");
        for _ in 0..1_000_000 {
            text.push_str("2;7\n");
        }
        let e = fehler(&text);
        let zeilen: Vec<&str> = e.lines().collect();
        assert_eq!(zeilen.len(), 1 + 100 + 1, "{}", zeilen[..3].join("\n"));
        assert!(zeilen[1].starts_with("Zeile 2: STKL"), "{}", zeilen[1]);
        assert!(
            zeilen[100].starts_with("Zeile 101: STKL"),
            "{}",
            zeilen[100]
        );
        assert_eq!(zeilen[101], "… und 999.900 weitere fehlerhafte Zeilen.");
    }

    #[test]
    fn quoted_bad_values_are_sanitised_and_cut() {
        let lang = "x".repeat(500);
        let e = fehler(&format!("LZZ;STKL\n2;\u{1b}]52;c;QQ==\u{7}{lang}\n"));
        assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "{e}");
        assert!(e.len() < 300, "{e}");
    }
}
