//! Reading camt.053 bank statements (.001.02 and .001.08): the message is
//! told by its namespace, checked against its XSD first (a refusal names the
//! element and line), then read with quick-xml into plain values.

use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::Event;

use super::iso20022::{self, Nachricht};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;

/// One statement entry (Ntry), with the first transaction's details.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Eintrag {
    pub referenz: String,
    pub betrag_cent: i64,
    /// true: credit (receipt), false: debit.
    pub haben: bool,
    pub storno: bool,
    pub buchungstag: Option<NaiveDate>,
    pub valuta: Option<NaiveDate>,
    pub verwendung: String,
    pub name: String,
    pub iban: String,
    pub end_to_end: String,
    pub rueckgabegrund: String,
    pub bank_code: String,
    pub entgelt_cent: i64,
    /// Sts (.02) or Sts/Cd (.08): BOOK booked, PDNG pending, INFO information.
    pub status: String,
}

/// One statement (Stmt).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Auszug {
    pub id: String,
    pub elektr_seq: Option<i64>,
    pub iban: String,
    pub datum: Option<NaiveDate>,
    pub anfangssaldo_cent: i64,
    pub schlusssaldo_cent: i64,
    pub eintraege: Vec<Eintrag>,
}

/// The message's kind from the namespace of its root element.
pub fn nachricht(xml: &[u8]) -> Result<Nachricht> {
    let mut r = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for a in e.attributes().flatten() {
                    if a.key.as_ref() == "xmlns" {
                        let ns = a.value.to_string();
                        return match camt_nachricht(&ns) {
                            Some(n) => Ok(n),
                            None => Err(KisError::validation(format!(
                                "Die Datei ist kein Kontoauszug camt.053.001.02 oder .08 (Namensraum {ns})."
                            ))),
                        };
                    }
                }
                return Err(KisError::validation(
                    "Die Datei ist kein Kontoauszug camt.053 (Element Document ohne Namensraum).",
                ));
            }
            Ok(Event::Eof) => {
                return Err(KisError::validation(
                    "Die Datei ist leer oder kein XML-Kontoauszug.",
                ));
            }
            Err(e) => {
                let zeile = zeile_von(xml, r.buffer_position() as usize);
                return Err(KisError::validation(format!(
                    "Kontoauszug nicht lesbar: Zeile {zeile}: {e}"
                )));
            }
            _ => {}
        }
        buf.clear();
    }
}

fn camt_nachricht(ns: &str) -> Option<Nachricht> {
    match Nachricht::aus_namespace(ns) {
        Some(n @ (Nachricht::Camt053V02 | Nachricht::Camt053V08)) => Some(n),
        _ => None,
    }
}

fn zeile_von(xml: &[u8], pos: usize) -> usize {
    xml[..pos.min(xml.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn cent(s: &str, pfad: &str) -> Result<i64> {
    let t = s.trim();
    let d: rust_decimal::Decimal = t.parse().map_err(|_| {
        KisError::validation(format!(
            "Kontoauszug: Betrag '{t}' in {pfad} ist keine Zahl."
        ))
    })?;
    Ok(Money::new(d).cents())
}

fn datum(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim().get(..10)?, "%Y-%m-%d").ok()
}

/// Check and read a camt.053 file; refused (nothing read) when it is not
/// well-formed or not schema-valid.
pub fn lesen(xml: &[u8]) -> Result<(Nachricht, Vec<Auszug>)> {
    let n = nachricht(xml)?;
    iso20022::pruefen_fuer(n, xml, "Der Kontoauszug")?;
    let mut r = Reader::from_reader(xml);
    let mut text = String::new();
    let mut buf = Vec::new();
    let mut pfad: Vec<String> = Vec::new();
    let mut auszuege: Vec<Auszug> = Vec::new();
    let mut bal_art = String::new();
    let mut bal_cent = 0i64;
    let mut bal_soll = false;
    let mut bal_dt: Option<NaiveDate> = None;
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let name = e.local_name().as_ref().to_string();
                text.clear();
                match name.as_str() {
                    "Stmt" => auszuege.push(Auszug::default()),
                    "Ntry" => {
                        if let Some(a) = auszuege.last_mut() {
                            a.eintraege.push(Eintrag::default());
                        }
                    }
                    "Bal" => {
                        bal_art.clear();
                        bal_cent = 0;
                        bal_soll = false;
                        bal_dt = None;
                    }
                    _ => {}
                }
                pfad.push(name);
            }
            Ok(Event::Text(t)) => text.push_str(&t.into_inner()),
            Ok(Event::GeneralRef(g)) => text.push_str(&zeichen(&g.into_inner())),
            Ok(Event::End(_)) => {
                let wert = std::mem::take(&mut text).trim().to_string();
                if let Some(a) = auszuege.last_mut() {
                    let p: Vec<&str> = pfad.iter().map(String::as_str).collect();
                    if let Some(i) = p.iter().position(|x| *x == "Stmt") {
                        match &p[i + 1..] {
                            ["Id"] => a.id = wert,
                            ["ElctrncSeqNb"] => a.elektr_seq = wert.parse().ok(),
                            ["CreDtTm"] if a.datum.is_none() => a.datum = datum(&wert),
                            ["Acct", "Id", "IBAN"] => a.iban = wert,
                            ["Bal", "Tp", "CdOrPrtry", "Cd"] => bal_art = wert,
                            ["Bal", "Amt"] => bal_cent = cent(&wert, "Bal/Amt")?,
                            ["Bal", "CdtDbtInd"] => bal_soll = wert == "DBIT",
                            ["Bal", "Dt", "Dt"] => bal_dt = datum(&wert),
                            ["Bal"] => {
                                let v = if bal_soll { -bal_cent } else { bal_cent };
                                match bal_art.as_str() {
                                    "OPBD" | "PRCD" => a.anfangssaldo_cent = v,
                                    "CLBD" => {
                                        a.schlusssaldo_cent = v;
                                        if bal_dt.is_some() {
                                            a.datum = bal_dt;
                                        }
                                    }
                                    _ => {}
                                }
                            }
                            ["Ntry", rest @ ..] => {
                                if let Some(e) = a.eintraege.last_mut() {
                                    eintrag_feld(e, rest, wert)?;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                pfad.pop();
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                let zeile = zeile_von(xml, r.buffer_position() as usize);
                return Err(KisError::validation(format!(
                    "Kontoauszug nicht lesbar: Zeile {zeile}: {e}"
                )));
            }
            _ => {}
        }
        buf.clear();
    }
    Ok((n, auszuege))
}

/// The text of an entity or character reference (`amp`, `#228`, `#xE4`).
fn zeichen(name: &str) -> String {
    let c = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        n => n
            .strip_prefix("#x")
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32),
    };
    c.map(String::from).unwrap_or_default()
}

fn eintrag_feld(e: &mut Eintrag, p: &[&str], text: String) -> Result<()> {
    // .001.08 wraps the party in Pty; the rest of the paths are the same.
    let p: Vec<&str> = p.iter().copied().filter(|x| *x != "Pty").collect();
    match p.as_slice() {
        ["NtryRef"] if e.referenz.is_empty() => e.referenz = text,
        ["AcctSvcrRef"] => e.referenz = text,
        ["Amt"] => e.betrag_cent = cent(&text, "Ntry/Amt")?,
        ["CdtDbtInd"] => e.haben = text == "CRDT",
        ["RvslInd"] => e.storno = text == "true",
        ["Sts"] | ["Sts", "Cd"] | ["Sts", "Prtry"] => e.status = text,
        ["BookgDt", "Dt"] | ["BookgDt", "DtTm"] => e.buchungstag = datum(&text),
        ["ValDt", "Dt"] | ["ValDt", "DtTm"] => e.valuta = datum(&text),
        ["BkTxCd", "Domn", "Fmly", "SubFmlyCd"] => e.bank_code = text,
        ["Chrgs", "Amt"] | ["Chrgs", "Rcrd", "Amt"] => e.entgelt_cent += cent(&text, "Chrgs/Amt")?,
        ["NtryDtls", "TxDtls", rest @ ..] => match rest {
            ["Refs", "EndToEndId"] => e.end_to_end = text,
            ["RmtInf", "Ustrd"] => {
                if !e.verwendung.is_empty() {
                    e.verwendung.push(' ');
                }
                e.verwendung.push_str(&text);
            }
            ["RltdPties", "Dbtr", "Nm"] if e.haben => e.name = text,
            ["RltdPties", "DbtrAcct", "Id", "IBAN"] if e.haben => e.iban = text,
            ["RltdPties", "Cdtr", "Nm"] if !e.haben => e.name = text,
            ["RltdPties", "CdtrAcct", "Id", "IBAN"] if !e.haben => e.iban = text,
            ["RtrInf", "Rsn", "Cd"] => e.rueckgabegrund = text,
            ["Chrgs", "Amt"] | ["Chrgs", "Rcrd", "Amt"] if e.entgelt_cent == 0 => {
                e.entgelt_cent = cent(&text, "Chrgs/Amt")?
            }
            _ => {}
        },
        _ => {}
    }
    Ok(())
}
