//! SEPA credit transfer files: ISO 20022 `pain.001.001.09` (Customer Credit
//! Transfer Initiation, the version the German banks take under the DFÜ
//! agreement of the Deutsche Kreditwirtschaft since November 2023), one
//! payment information block (Sammler) per file; also `pain.001.001.03`
//! for banks that still want it ([`pain001_version`]) and SEPA direct
//! debits `pain.008.001.08` CORE ([`pain008`]) for the Kasse's Zahllauf.
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

/// The pain.001 version a bank takes: `.09` (DK default since November
/// 2023) or `.03` (the older one some banks still want).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pain001Version {
    V09,
    V03,
}

impl Pain001Version {
    pub fn namespace(self) -> &'static str {
        match self {
            Pain001Version::V09 => NAMESPACE,
            Pain001Version::V03 => "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
        }
    }
    /// The stored code: `09` or `03`.
    pub fn code(self) -> &'static str {
        match self {
            Pain001Version::V09 => "09",
            Pain001Version::V03 => "03",
        }
    }
    pub fn parse(s: &str) -> Result<Pain001Version> {
        match s.trim() {
            "09" | "pain.001.001.09" => Ok(Pain001Version::V09),
            "03" | "pain.001.001.03" => Ok(Pain001Version::V03),
            _ => Err(KisError::validation(format!(
                "pain.001-Version „{s}“ unbekannt (09 oder 03)."
            ))),
        }
    }
    /// The element holding a BIC: `BICFI` (.09) or `BIC` (.03).
    fn bic_tag(self) -> &'static str {
        match self {
            Pain001Version::V09 => "BICFI",
            Pain001Version::V03 => "BIC",
        }
    }
}

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
    /// ISO 20022 purpose code of this transfer (`Purp/Cd`), e.g. `SALA`;
    /// `None`: the block's category purpose, if any.
    pub zweckcode: Option<String>,
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
        if let Some(c) = &z.zweckcode
            && (c.len() != 4 || !c.chars().all(|x| x.is_ascii_uppercase()))
        {
            return Err(KisError::validation(format!(
                "SEPA: Zahlung {}: Zweckschlüssel „{c}“ ungültig (vier Großbuchstaben).",
                z.referenz
            )));
        }
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
    pain001_version(s, Pain001Version::V09)
}

/// Writes the file in the given pain.001 version, after checking everything.
pub fn pain001_version(s: &Sammler, v: Pain001Version) -> Result<String> {
    let s = pruefen(s)?;
    schreiben(&s, v).map_err(|e| KisError::System(format!("SEPA-Datei: {e}")))
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
    fn agent(&mut self, tag: &str, bic: &str, bic_tag: &str) -> io::Result<()> {
        if bic.is_empty() {
            self.path(&[tag, "FinInstnId", "Othr", "Id"], "NOTPROVIDED")
        } else {
            self.path(&[tag, "FinInstnId", bic_tag], bic)
        }
    }
    fn amount(&mut self, tag: &str, m: Money) -> io::Result<()> {
        let mut amt = BytesStart::new(tag);
        amt.push_attribute(("Ccy", "EUR"));
        self.0.write_event(Event::Start(amt))?;
        self.0
            .write_event(Event::Text(BytesText::new(&amount(m))))?;
        self.close(tag)
    }
}

fn schreiben(s: &Sammler, v: Pain001Version) -> io::Result<String> {
    let bic_tag = v.bic_tag();
    let mut x = Xml(Writer::new_with_indent(Vec::new(), b' ', 2));
    x.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut doc = BytesStart::new("Document");
    doc.push_attribute(("xmlns", v.namespace()));
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
    let datum = s.ausfuehrung.format("%Y-%m-%d").to_string();
    match v {
        Pain001Version::V09 => x.path(&["ReqdExctnDt", "Dt"], &datum)?,
        Pain001Version::V03 => x.leaf("ReqdExctnDt", &datum)?,
    }
    x.path(&["Dbtr", "Nm"], &s.auftraggeber.name)?;
    x.path(&["DbtrAcct", "Id", "IBAN"], &s.auftraggeber.iban)?;
    x.agent("DbtrAgt", &s.auftraggeber.bic, bic_tag)?;
    x.leaf("ChrgBr", "SLEV")?;
    for z in &s.zahlungen {
        x.open("CdtTrfTxInf")?;
        x.path(&["PmtId", "EndToEndId"], &z.referenz)?;
        x.open("Amt")?;
        x.amount("InstdAmt", z.betrag)?;
        x.close("Amt")?;
        if !z.bic.is_empty() {
            x.agent("CdtrAgt", &z.bic, bic_tag)?;
        }
        x.path(&["Cdtr", "Nm"], &z.name)?;
        x.path(&["CdtrAcct", "Id", "IBAN"], &z.iban)?;
        if let Some(art) = z.zweckcode.as_deref().or(s.zweckart) {
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

/// The namespace of the SEPA direct debit message KIS writes.
pub const NAMESPACE_PAIN008: &str = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08";

/// One SEPA direct debit (CORE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lastschrift {
    /// End-to-end reference, unique within the file (at most 35 characters).
    pub referenz: String,
    pub name: String,
    pub iban: String,
    /// Empty: IBAN-only (`NOTPROVIDED`).
    pub bic: String,
    pub betrag: Money,
    pub mandat: String,
    pub unterschrieben: NaiveDate,
    pub zweck: String,
}

/// One payment information block of a direct debit file: one sequence
/// type (the DK rules want FRST, RCUR, OOFF and FNAL in blocks of their own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Einzugsblock {
    pub sammler: String,
    /// `FRST`, `RCUR`, `OOFF` or `FNAL`.
    pub sequenz: &'static str,
    pub lastschriften: Vec<Lastschrift>,
}

/// A whole direct debit file of one collection date and creditor account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Einzug {
    pub nachricht: String,
    pub erstellt: NaiveDateTime,
    pub faellig: NaiveDate,
    /// The creditor (the Stadtkasse) with its account.
    pub glaeubiger: Auftraggeber,
    pub glaeubiger_id: String,
    pub bloecke: Vec<Einzugsblock>,
}

fn einzug_pruefen(e: &Einzug) -> Result<Einzug> {
    id_check("Nachrichten-Id", &e.nachricht)?;
    id_check("Gläubiger-ID", &e.glaeubiger_id)?;
    let mut out = e.clone();
    out.bloecke.retain(|b| !b.lastschriften.is_empty());
    if out.bloecke.is_empty() {
        return Err(KisError::validation(
            "SEPA: Die Datei enthält keine Lastschrift.",
        ));
    }
    let g = &mut out.glaeubiger;
    g.name = sepa_text(&g.name, 70);
    if g.name.is_empty() {
        return Err(KisError::validation("SEPA: Name des Gläubigers fehlt."));
    }
    g.iban = ids::validate_iban(&g.iban)
        .map_err(|e| KisError::validation(format!("SEPA: Konto des Gläubigers: {e}")))?;
    if !g.bic.trim().is_empty() {
        g.bic = ids::validate_bic(&g.bic)
            .map_err(|e| KisError::validation(format!("SEPA: BIC des Gläubigers: {e}")))?;
    }
    let mut referenzen = std::collections::HashSet::new();
    for b in &mut out.bloecke {
        id_check("Sammler-Id", &b.sammler)?;
        for l in &mut b.lastschriften {
            id_check("Ende-zu-Ende-Referenz", &l.referenz)?;
            id_check("Mandatsreferenz", &l.mandat)?;
            if !referenzen.insert(l.referenz.clone()) {
                return Err(KisError::validation(format!(
                    "SEPA: Referenz {} kommt doppelt vor.",
                    l.referenz
                )));
            }
            let wer = |e: KisError| {
                KisError::validation(format!("SEPA: Lastschrift {}: {e}", l.referenz))
            };
            l.iban = ids::validate_iban(&l.iban).map_err(wer)?;
            if !l.bic.trim().is_empty() {
                l.bic = ids::validate_bic(&l.bic).map_err(wer)?;
            }
            l.name = sepa_text(&l.name, 70);
            if l.name.is_empty() {
                return Err(KisError::validation(format!(
                    "SEPA: Lastschrift {}: Name des Zahlungspflichtigen fehlt.",
                    l.referenz
                )));
            }
            l.zweck = sepa_text(&l.zweck, 140);
            if l.betrag.cents() <= 0 || l.betrag.cents() > MAX_CENTS {
                return Err(KisError::validation(format!(
                    "SEPA: Lastschrift {}: Betrag {} € ungültig (0,01 bis 999.999.999,99 €).",
                    l.referenz,
                    l.betrag.format_de()
                )));
            }
        }
    }
    Ok(out)
}

/// Writes a SEPA direct debit file pain.008.001.08 (CORE), after checking everything.
pub fn pain008(e: &Einzug) -> Result<String> {
    let e = einzug_pruefen(e)?;
    einzug_schreiben(&e).map_err(|e| KisError::System(format!("SEPA-Datei: {e}")))
}

fn einzug_schreiben(e: &Einzug) -> io::Result<String> {
    let mut x = Xml(Writer::new_with_indent(Vec::new(), b' ', 2));
    x.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut doc = BytesStart::new("Document");
    doc.push_attribute(("xmlns", NAMESPACE_PAIN008));
    x.0.write_event(Event::Start(doc))?;
    x.open("CstmrDrctDbtInitn")?;
    let alle: Vec<&Lastschrift> = e.bloecke.iter().flat_map(|b| &b.lastschriften).collect();
    let summe = |ls: &mut dyn Iterator<Item = &Lastschrift>| -> String {
        amount(ls.map(|l| l.betrag).sum())
    };
    x.open("GrpHdr")?;
    x.leaf("MsgId", &e.nachricht)?;
    x.leaf(
        "CreDtTm",
        &e.erstellt.format("%Y-%m-%dT%H:%M:%S").to_string(),
    )?;
    x.leaf("NbOfTxs", &alle.len().to_string())?;
    x.leaf("CtrlSum", &summe(&mut alle.iter().copied()))?;
    x.path(&["InitgPty", "Nm"], &e.glaeubiger.name)?;
    x.close("GrpHdr")?;
    for b in &e.bloecke {
        x.open("PmtInf")?;
        x.leaf("PmtInfId", &b.sammler)?;
        x.leaf("PmtMtd", "DD")?;
        x.leaf("BtchBookg", "true")?;
        x.leaf("NbOfTxs", &b.lastschriften.len().to_string())?;
        x.leaf("CtrlSum", &summe(&mut b.lastschriften.iter()))?;
        x.open("PmtTpInf")?;
        x.path(&["SvcLvl", "Cd"], "SEPA")?;
        x.path(&["LclInstrm", "Cd"], "CORE")?;
        x.leaf("SeqTp", b.sequenz)?;
        x.close("PmtTpInf")?;
        x.leaf("ReqdColltnDt", &e.faellig.format("%Y-%m-%d").to_string())?;
        x.path(&["Cdtr", "Nm"], &e.glaeubiger.name)?;
        x.path(&["CdtrAcct", "Id", "IBAN"], &e.glaeubiger.iban)?;
        x.agent("CdtrAgt", &e.glaeubiger.bic, "BICFI")?;
        x.leaf("ChrgBr", "SLEV")?;
        x.open("CdtrSchmeId")?;
        x.open("Id")?;
        x.open("PrvtId")?;
        x.open("Othr")?;
        x.leaf("Id", &e.glaeubiger_id)?;
        x.path(&["SchmeNm", "Prtry"], "SEPA")?;
        x.close("Othr")?;
        x.close("PrvtId")?;
        x.close("Id")?;
        x.close("CdtrSchmeId")?;
        for l in &b.lastschriften {
            x.open("DrctDbtTxInf")?;
            x.path(&["PmtId", "EndToEndId"], &l.referenz)?;
            x.amount("InstdAmt", l.betrag)?;
            x.open("DrctDbtTx")?;
            x.open("MndtRltdInf")?;
            x.leaf("MndtId", &l.mandat)?;
            x.leaf(
                "DtOfSgntr",
                &l.unterschrieben.format("%Y-%m-%d").to_string(),
            )?;
            x.close("MndtRltdInf")?;
            x.close("DrctDbtTx")?;
            x.agent("DbtrAgt", &l.bic, "BICFI")?;
            x.path(&["Dbtr", "Nm"], &l.name)?;
            x.path(&["DbtrAcct", "Id", "IBAN"], &l.iban)?;
            if !l.zweck.is_empty() {
                x.path(&["RmtInf", "Ustrd"], &l.zweck)?;
            }
            x.close("DrctDbtTxInf")?;
        }
        x.close("PmtInf")?;
    }
    x.close("CstmrDrctDbtInitn")?;
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
                zweckcode: None,
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
