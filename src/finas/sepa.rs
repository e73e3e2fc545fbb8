//! SEPA credit transfer files: ISO 20022 `pain.001.001.09` (Customer Credit
//! Transfer Initiation, the version the German banks take under the DFÜ
//! agreement of the Deutsche Kreditwirtschaft since November 2023), one
//! payment information block (Sammler) per file.
//!
//! Everything is checked before a byte is written: IBANs and BICs by
//! [`crate::core::ids`], amounts (positive, at most 999.999.999,99 €),
//! the identifiers' lengths (35) and the texts, which are reduced to the
//! SEPA character set (Latin letters, digits and `/ - ? : ( ) . , ' +` and
//! space; umlauts become ae/oe/ue, ß becomes ss) and cut to their maximum
//! length (names 70, Verwendungszweck 140). The XML is written with
//! quick-xml, which escapes the text.

use std::io;

use chrono::{NaiveDate, NaiveDateTime};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::core::error::{KisError, Result};
use crate::core::ids;
use crate::core::money::Money;

/// The XML namespace of the message.
pub const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

/// The paying account (Auftraggeber).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Auftraggeber {
    pub name: String,
    pub iban: String,
    /// Empty: the bank is not named (IBAN-only, `NOTPROVIDED`).
    pub bic: String,
}

/// One credit transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ueberweisung {
    /// End-to-end reference, unique within the file (at most 35 characters).
    pub referenz: String,
    pub name: String,
    pub iban: String,
    /// Empty: IBAN-only.
    pub bic: String,
    pub betrag: Money,
    /// Verwendungszweck (unstructured remittance information).
    pub zweck: String,
}

/// A whole file: one Sammler with its execution date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sammler {
    /// Message id, unique per file for the bank (at most 35 characters).
    pub nachricht: String,
    /// Id of the payment information block (at most 35 characters).
    pub sammler: String,
    pub erstellt: NaiveDateTime,
    pub ausfuehrung: NaiveDate,
    /// ISO 20022 category purpose of the whole block, e.g. `SALA` (salary).
    pub zweckart: Option<&'static str>,
    pub auftraggeber: Auftraggeber,
    pub zahlungen: Vec<Ueberweisung>,
}

/// A text reduced to the SEPA character set and cut to `max` characters.
pub fn sepa_text(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            '–' | '—' | '‐' => out.push('-'),
            c if c.is_ascii_alphanumeric() || "/-?:().,'+ ".contains(c) => out.push(c),
            _ => out.push(' '),
        }
    }
    let squeezed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    squeezed
        .chars()
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}

fn id_check(what: &str, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > 35 || sepa_text(id, 35) != id || id.contains(' ') {
        return Err(KisError::validation(format!(
            "SEPA: {what} „{id}“ ungültig (1 bis 35 Zeichen aus dem SEPA-Zeichensatz, ohne Leerzeichen)."
        )));
    }
    Ok(())
}

/// The largest amount of one SEPA credit transfer.
const MAX_CENTS: i64 = 99_999_999_999;

fn amount(m: Money) -> String {
    let c = m.cents();
    format!("{}.{:02}", c / 100, c % 100)
}

/// Checks a file completely and returns it with normalised IBANs/BICs and texts.
fn pruefen(s: &Sammler) -> Result<Sammler> {
    id_check("Nachrichten-Id", &s.nachricht)?;
    id_check("Sammler-Id", &s.sammler)?;
    if s.zahlungen.is_empty() {
        return Err(KisError::validation(
            "SEPA: Die Datei enthält keine Zahlung.",
        ));
    }
    let mut out = s.clone();
    let ag = &mut out.auftraggeber;
    ag.name = sepa_text(&ag.name, 70);
    if ag.name.is_empty() {
        return Err(KisError::validation("SEPA: Name des Auftraggebers fehlt."));
    }
    ag.iban = ids::validate_iban(&ag.iban)
        .map_err(|e| KisError::validation(format!("SEPA: Konto des Auftraggebers: {e}")))?;
    if !ag.bic.trim().is_empty() {
        ag.bic = ids::validate_bic(&ag.bic)
            .map_err(|e| KisError::validation(format!("SEPA: BIC des Auftraggebers: {e}")))?;
    }
    let mut referenzen = std::collections::HashSet::new();
    for z in &mut out.zahlungen {
        id_check("Ende-zu-Ende-Referenz", &z.referenz)?;
        if !referenzen.insert(z.referenz.clone()) {
            return Err(KisError::validation(format!(
                "SEPA: Referenz {} kommt doppelt vor.",
                z.referenz
            )));
        }
        let wer = |e: KisError| KisError::validation(format!("SEPA: Zahlung {}: {e}", z.referenz));
        z.iban = ids::validate_iban(&z.iban).map_err(wer)?;
        if !z.bic.trim().is_empty() {
            z.bic = ids::validate_bic(&z.bic).map_err(wer)?;
        }
        z.name = sepa_text(&z.name, 70);
        if z.name.is_empty() {
            return Err(KisError::validation(format!(
                "SEPA: Zahlung {}: Name des Empfängers fehlt.",
                z.referenz
            )));
        }
        z.zweck = sepa_text(&z.zweck, 140);
        if z.betrag.cents() <= 0 || z.betrag.cents() > MAX_CENTS {
            return Err(KisError::validation(format!(
                "SEPA: Zahlung {}: Betrag {} € ungültig (0,01 bis 999.999.999,99 €).",
                z.referenz,
                z.betrag.format_de()
            )));
        }
    }
    Ok(out)
}

/// The control sum of a file: the sum of its amounts.
pub fn kontrollsumme(zahlungen: &[Ueberweisung]) -> Money {
    zahlungen.iter().map(|z| z.betrag).sum()
}

/// Writes the file as pain.001.001.09 (UTF-8, indented), after checking
/// everything (see the module description).
pub fn pain001(s: &Sammler) -> Result<String> {
    let s = pruefen(s)?;
    schreiben(&s).map_err(|e| KisError::System(format!("SEPA-Datei: {e}")))
}

struct Xml(Writer<Vec<u8>>);

impl Xml {
    fn open(&mut self, tag: &str) -> io::Result<()> {
        self.0.write_event(Event::Start(BytesStart::new(tag)))
    }
    fn close(&mut self, tag: &str) -> io::Result<()> {
        self.0.write_event(Event::End(BytesEnd::new(tag)))
    }
    fn leaf(&mut self, tag: &str, text: &str) -> io::Result<()> {
        self.0
            .create_element(tag)
            .write_text_content(BytesText::new(text))
            .map(|_| ())
    }
    /// `<a><b>…<leaf>text</leaf></b></a>` for a path of single children.
    fn path(&mut self, tags: &[&str], text: &str) -> io::Result<()> {
        let (leaf, outer) = tags.split_last().unwrap_or((&"", &[]));
        for t in outer {
            self.open(t)?;
        }
        self.leaf(leaf, text)?;
        for t in outer.iter().rev() {
            self.close(t)?;
        }
        Ok(())
    }
    /// The agent of an account: its BIC, or `NOTPROVIDED` for IBAN-only.
    fn agent(&mut self, tag: &str, bic: &str) -> io::Result<()> {
        if bic.is_empty() {
            self.path(&[tag, "FinInstnId", "Othr", "Id"], "NOTPROVIDED")
        } else {
            self.path(&[tag, "FinInstnId", "BICFI"], bic)
        }
    }
}

fn schreiben(s: &Sammler) -> io::Result<String> {
    let mut x = Xml(Writer::new_with_indent(Vec::new(), b' ', 2));
    x.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut doc = BytesStart::new("Document");
    doc.push_attribute(("xmlns", NAMESPACE));
    x.0.write_event(Event::Start(doc))?;
    x.open("CstmrCdtTrfInitn")?;
    let anzahl = s.zahlungen.len().to_string();
    let summe = amount(kontrollsumme(&s.zahlungen));

    x.open("GrpHdr")?;
    x.leaf("MsgId", &s.nachricht)?;
    x.leaf(
        "CreDtTm",
        &s.erstellt.format("%Y-%m-%dT%H:%M:%S").to_string(),
    )?;
    x.leaf("NbOfTxs", &anzahl)?;
    x.leaf("CtrlSum", &summe)?;
    x.path(&["InitgPty", "Nm"], &s.auftraggeber.name)?;
    x.close("GrpHdr")?;

    x.open("PmtInf")?;
    x.leaf("PmtInfId", &s.sammler)?;
    x.leaf("PmtMtd", "TRF")?;
    x.leaf("BtchBookg", "true")?;
    x.leaf("NbOfTxs", &anzahl)?;
    x.leaf("CtrlSum", &summe)?;
    x.open("PmtTpInf")?;
    x.path(&["SvcLvl", "Cd"], "SEPA")?;
    if let Some(art) = s.zweckart {
        x.path(&["CtgyPurp", "Cd"], art)?;
    }
    x.close("PmtTpInf")?;
    x.path(
        &["ReqdExctnDt", "Dt"],
        &s.ausfuehrung.format("%Y-%m-%d").to_string(),
    )?;
    x.path(&["Dbtr", "Nm"], &s.auftraggeber.name)?;
    x.path(&["DbtrAcct", "Id", "IBAN"], &s.auftraggeber.iban)?;
    x.agent("DbtrAgt", &s.auftraggeber.bic)?;
    x.leaf("ChrgBr", "SLEV")?;
    for z in &s.zahlungen {
        x.open("CdtTrfTxInf")?;
        x.path(&["PmtId", "EndToEndId"], &z.referenz)?;
        x.open("Amt")?;
        let mut amt = BytesStart::new("InstdAmt");
        amt.push_attribute(("Ccy", "EUR"));
        x.0.write_event(Event::Start(amt))?;
        x.0.write_event(Event::Text(BytesText::new(&amount(z.betrag))))?;
        x.close("InstdAmt")?;
        x.close("Amt")?;
        if !z.bic.is_empty() {
            x.agent("CdtrAgt", &z.bic)?;
        }
        x.path(&["Cdtr", "Nm"], &z.name)?;
        x.path(&["CdtrAcct", "Id", "IBAN"], &z.iban)?;
        if let Some(art) = s.zweckart {
            x.path(&["Purp", "Cd"], art)?;
        }
        if !z.zweck.is_empty() {
            x.path(&["RmtInf", "Ustrd"], &z.zweck)?;
        }
        x.close("CdtTrfTxInf")?;
    }
    x.close("PmtInf")?;
    x.close("CstmrCdtTrfInitn")?;
    x.close("Document")?;
    let mut bytes = x.0.into_inner();
    bytes.push(b'\n');
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sammler() -> Sammler {
        Sammler {
            nachricht: "MSG-1".into(),
            sammler: "PMT-1".into(),
            erstellt: NaiveDate::from_ymd_opt(2026, 1, 28)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            ausfuehrung: NaiveDate::from_ymd_opt(2026, 1, 30).unwrap(),
            zweckart: Some("SALA"),
            auftraggeber: Auftraggeber {
                name: "Stadt Musterstadt – Stadtkasse".into(),
                iban: "de04 3705 0198 0099 9990 01".into(),
                bic: "colsde33".into(),
            },
            zahlungen: vec![Ueberweisung {
                referenz: "LOHN-2026-01-01001".into(),
                name: "Jürgen Größer & Söhne".into(),
                iban: "DE72370501980001007919".into(),
                bic: String::new(),
                betrag: Money::from_cents(259801),
                zweck: "Entgelt 01.2026 <Pers.-Nr. 01001>".into(),
            }],
        }
    }

    #[test]
    fn texts_are_reduced_to_the_sepa_character_set() {
        assert_eq!(
            sepa_text("Jürgen Größer & Söhne", 70),
            "Juergen Groesser Soehne"
        );
        assert_eq!(sepa_text("Stadt – Kasse", 70), "Stadt - Kasse");
        assert_eq!(sepa_text("abcdef", 3), "abc");
        assert_eq!(sepa_text("a<b>c", 10), "a b c");
    }

    #[test]
    fn writes_a_checked_file() {
        let xml = pain001(&sammler()).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        for needle in [
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">",
            "<NbOfTxs>1</NbOfTxs>",
            "<CtrlSum>2598.01</CtrlSum>",
            "<Nm>Stadt Musterstadt - Stadtkasse</Nm>",
            "<IBAN>DE04370501980099999001</IBAN>",
            "<BICFI>COLSDE33</BICFI>",
            "<Dt>2026-01-30</Dt>",
            "<InstdAmt Ccy=\"EUR\">2598.01</InstdAmt>",
            "<Nm>Juergen Groesser Soehne</Nm>",
            "<Ustrd>Entgelt 01.2026 Pers.-Nr. 01001</Ustrd>",
            "<Cd>SALA</Cd>",
        ] {
            assert!(xml.contains(needle), "{needle} fehlt:\n{xml}");
        }
        // IBAN-only payee: no creditor agent.
        assert!(!xml.contains("CdtrAgt"));
    }

    #[test]
    fn refuses_bad_input_before_writing() {
        let mut s = sammler();
        s.zahlungen[0].iban = "DE72370501980001007918".into();
        assert!(
            pain001(&s)
                .unwrap_err()
                .to_string()
                .contains("LOHN-2026-01-01001")
        );
        let mut s = sammler();
        s.zahlungen[0].betrag = Money::zero();
        assert!(pain001(&s).is_err());
        let mut s = sammler();
        s.zahlungen.push(s.zahlungen[0].clone());
        assert!(pain001(&s).unwrap_err().to_string().contains("doppelt"));
        let mut s = sammler();
        s.auftraggeber.bic = "COLSDE3".into();
        assert!(pain001(&s).is_err());
        let mut s = sammler();
        s.nachricht = "x".repeat(36);
        assert!(pain001(&s).is_err());
        let mut s = sammler();
        s.zahlungen.clear();
        assert!(pain001(&s).is_err());
    }
}
