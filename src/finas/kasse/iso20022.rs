//! Validation of ISO 20022 messages (SEPA files written by the Zahllauf,
//! bank statements read by the Kontoauszug import) against the official
//! XSDs, through libxml2 (`libxml` crate).
//!
//! The schemas ship in `fixtures/iso20022/` (sources named in
//! `fixtures/iso20022/SOURCES.md`) and are compiled into the binary, so a
//! Kasse never depends on the working directory. A document is parsed
//! strictly (no recovery, no network, no DTD defaults): a file that is not
//! well-formed is refused like one that breaks the schema, and every finding
//! names its line.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Mutex;

use libxml::parser::{Parser, ParserOptions, XmlParseFailure};
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};

use crate::core::error::{KisError, Result};

/// The messages KIS writes or reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nachricht {
    /// SEPA credit transfer, current DK version.
    Pain001V09,
    /// SEPA credit transfer, the version some banks still want.
    Pain001V03,
    /// SEPA direct debit (CORE).
    Pain008V08,
    /// Bank statement, the version German banks send (DFÜ-Abkommen).
    Camt053V02,
    /// Bank statement, current version.
    Camt053V08,
}

impl Nachricht {
    pub const ALLE: [Nachricht; 5] = [
        Nachricht::Pain001V09,
        Nachricht::Pain001V03,
        Nachricht::Pain008V08,
        Nachricht::Camt053V02,
        Nachricht::Camt053V08,
    ];

    /// The message identifier, e.g. `pain.001.001.09`.
    pub fn kennung(self) -> &'static str {
        match self {
            Nachricht::Pain001V09 => "pain.001.001.09",
            Nachricht::Pain001V03 => "pain.001.001.03",
            Nachricht::Pain008V08 => "pain.008.001.08",
            Nachricht::Camt053V02 => "camt.053.001.02",
            Nachricht::Camt053V08 => "camt.053.001.08",
        }
    }

    /// The XML namespace of the message's `Document` element.
    pub fn namespace(self) -> String {
        format!("urn:iso:std:iso:20022:tech:xsd:{}", self.kennung())
    }

    /// The message whose namespace is `ns`, if KIS knows it.
    pub fn aus_namespace(ns: &str) -> Option<Nachricht> {
        Nachricht::ALLE.into_iter().find(|n| n.namespace() == ns)
    }

    fn xsd(self) -> &'static str {
        match self {
            Nachricht::Pain001V09 => include_str!("../../../fixtures/iso20022/pain.001.001.09.xsd"),
            Nachricht::Pain001V03 => include_str!("../../../fixtures/iso20022/pain.001.001.03.xsd"),
            Nachricht::Pain008V08 => include_str!("../../../fixtures/iso20022/pain.008.001.08.xsd"),
            Nachricht::Camt053V02 => include_str!("../../../fixtures/iso20022/camt.053.001.02.xsd"),
            Nachricht::Camt053V08 => include_str!("../../../fixtures/iso20022/camt.053.001.08.xsd"),
        }
    }
}

/// One finding of the parser or the schema check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Befund {
    /// 1-based line in the document; `None` where libxml2 names none.
    pub zeile: Option<u32>,
    pub meldung: String,
}

impl std::fmt::Display for Befund {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.zeile {
            Some(z) => write!(f, "Zeile {z}: {}", self.meldung),
            None => f.write_str(&self.meldung),
        }
    }
}

// libxml2's global state is initialised lazily and its schema code is not
// documented as thread-safe; every use goes through this lock. The compiled
// schemas are cached per thread (the contexts are not `Send`).
static LIBXML: Mutex<()> = Mutex::new(());

thread_local! {
    static SCHEMAS: RefCell<HashMap<Nachricht, SchemaValidationContext>> = RefCell::new(HashMap::new());
}

/// Check `xml` against the XSD of `nachricht`. `Ok(())` when it is
/// well-formed and valid; otherwise every finding, each with its line.
pub fn pruefen(nachricht: Nachricht, xml: &[u8]) -> std::result::Result<(), Vec<Befund>> {
    let _guard = LIBXML.lock().unwrap_or_else(|p| p.into_inner());
    let options = ParserOptions {
        recover: false,
        no_net: true,
        no_def_dtd: true,
        ..ParserOptions::default()
    };
    let doc = match Parser::default().parse_string_with_diagnostics(xml, options) {
        Ok((doc, _warnings)) => doc,
        Err(XmlParseFailure::ParseFailed(diag)) => return Err(befunde(diag, "nicht wohlgeformt")),
        Err(other) => {
            return Err(vec![Befund {
                zeile: None,
                meldung: format!("nicht lesbar: {other}"),
            }]);
        }
    };
    SCHEMAS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let ctx = match cache.entry(nachricht) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let mut parser = SchemaParserContext::from_buffer(nachricht.xsd());
                let ctx = SchemaValidationContext::from_parser(&mut parser).map_err(|err| {
                    befunde(err, &format!("Schema {} nicht ladbar", nachricht.kennung()))
                })?;
                e.insert(ctx)
            }
        };
        ctx.validate_document(&doc)
            .map_err(|e| befunde(e, "entspricht nicht dem Schema"))
    })
}

/// [`pruefen`] as a KIS error for the clerk: the message, the first
/// findings with their lines, and how many more there are.
pub fn pruefen_fuer(nachricht: Nachricht, xml: &[u8], was: &str) -> Result<()> {
    pruefen(nachricht, xml).map_err(|befunde| {
        const ZEIGEN: usize = 5;
        let mut text = format!(
            "{was} entspricht nicht dem Schema {}: ",
            nachricht.kennung()
        );
        let gezeigt: Vec<String> = befunde.iter().take(ZEIGEN).map(Befund::to_string).collect();
        text.push_str(&gezeigt.join("; "));
        if befunde.len() > ZEIGEN {
            text.push_str(&format!(" (und {} weitere)", befunde.len() - ZEIGEN));
        }
        KisError::validation(text)
    })
}

fn befunde(errors: Vec<libxml::error::StructuredError>, fallback: &str) -> Vec<Befund> {
    let mut out: Vec<Befund> = errors
        .into_iter()
        .map(|e| Befund {
            zeile: e
                .line
                .and_then(|l| u32::try_from(l).ok())
                .filter(|l| *l > 0),
            meldung: e
                .message
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| fallback.to_string()),
        })
        .collect();
    if out.is_empty() {
        out.push(Befund {
            zeile: None,
            meldung: fallback.to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_schema_compiles() {
        for n in Nachricht::ALLE {
            let leer = format!(
                r#"<?xml version="1.0"?><Document xmlns="{}"/>"#,
                n.namespace()
            );
            // An empty Document breaks every schema, but only after the
            // schema itself was loaded: the findings are schema findings.
            let befunde = pruefen(n, leer.as_bytes()).unwrap_err();
            assert!(
                befunde.iter().all(|b| !b.meldung.contains("nicht ladbar")),
                "{}: {befunde:?}",
                n.kennung()
            );
        }
    }

    #[test]
    fn not_well_formed_names_the_line() {
        let xml = b"<?xml version=\"1.0\"?>\n<Document>\n<a>\n</Document>\n";
        let befunde = pruefen(Nachricht::Camt053V02, xml).unwrap_err();
        assert!(befunde.iter().any(|b| b.zeile.is_some()), "{befunde:?}");
    }

    #[test]
    fn wrong_element_is_refused_with_line_and_name() {
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<Document xmlns=\"{}\">\n<Quatsch/>\n</Document>\n",
            Nachricht::Pain008V08.namespace()
        );
        let err = pruefen_fuer(Nachricht::Pain008V08, xml.as_bytes(), "Die Datei").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("Zeile 3"), "{text}");
        assert!(text.contains("Quatsch"), "{text}");
        assert!(text.contains("pain.008.001.08"), "{text}");
    }

    #[test]
    fn namespace_lookup() {
        assert_eq!(
            Nachricht::aus_namespace("urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"),
            Some(Nachricht::Camt053V08)
        );
        assert_eq!(Nachricht::aus_namespace("urn:x"), None);
    }
}
