//! The SEPA credit transfer file (pain.001) of a run's net pay.

use chrono::NaiveDate;
use serde_json::json;

use super::ENTITY;
use super::uebersicht::{aktiver_lauf_in, auszahlungen_in};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::sepa;
use crate::kernel::audit;
use crate::kernel::session::Session;
use crate::persos::laufdaten::{LaufArt, Monat};
use crate::persos::stamm;

/// The SEPA credit transfer file of a month's active run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SepaDatei {
    pub xml: String,
    pub anzahl: usize,
    pub summe: Money,
    pub ausfuehrung: NaiveDate,
}

/// Writes the Auszahlungsanordnungen of the active run of `monat` as a SEPA
/// credit transfer file (pain.001.001.09, category purpose SALA) from the
/// Stadtkasse's account in the employer data. `ausfuehrung` is the
/// requested execution date (default: today; not in the past).
pub fn sepa_datei(
    session: &Session,
    monat: &str,
    ausfuehrung: Option<NaiveDate>,
) -> Result<SepaDatei> {
    sepa_datei_ausgeben(session, monat, ausfuehrung, &mut |_| Ok(()))
}

/// Like [`sepa_datei`], handing the XML to `ausgeben` (write the file) inside
/// the transaction of the audit entry: if the output fails, no file is
/// recorded as issued.
pub fn sepa_datei_ausgeben(
    session: &Session,
    monat: &str,
    ausfuehrung: Option<NaiveDate>,
    ausgeben: &mut dyn FnMut(&str) -> Result<()>,
) -> Result<SepaDatei> {
    session.require(&[Role::PersosAendern, Role::Kasse])?;
    let m = Monat::parse(monat)?;
    let heute = session.today();
    let ausfuehrung = ausfuehrung.unwrap_or(heute);
    if ausfuehrung < heute {
        return Err(KisError::field(
            "ausfuehrung",
            format!(
                "Das Ausführungsdatum {} liegt in der Vergangenheit.",
                format_date_de(ausfuehrung)
            ),
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        let mandant = actor.mandant.as_str();
        let l = aktiver_lauf_in(sql, mandant, m)?;
        let ag = stamm::arbeitgeber_in(sql, mandant)?;
        if ag.iban.trim().is_empty() {
            return Err(KisError::validation(
                "In den Arbeitgeberdaten ist kein Konto der Stadtkasse (IBAN) hinterlegt, von dem die Entgelte überwiesen werden.",
            ));
        }
        if l.art == LaufArt::Rueckrechnung {
            return Err(KisError::Conflict(format!(
                "Der Lauf {} für {} ist eine Rückrechnung: er überweist nichts selbst, die Differenzen werden mit der nächsten \
                 regulären Abrechnung ausgezahlt.",
                l.lauf_nr,
                m.de()
            )));
        }
        let auszahlungen = auszahlungen_in(sql, mandant, m, l.lauf_nr)?;
        if auszahlungen.is_empty() {
            return Err(KisError::NotFound(format!(
                "Der Abrechnungslauf {} für {} hat keine Auszahlungsanordnungen.",
                l.lauf_nr,
                m.de()
            )));
        }
        let ym = format!("{:04}{:02}", m.jahr, m.monat);
        let sammler = sepa::Sammler {
            nachricht: format!("P{ym}L{}T{}", l.lauf_nr, actor.at.format("%Y%m%d%H%M%S")),
            sammler: format!("PERSOS-{}-L{}", m.key(), l.lauf_nr),
            erstellt: actor.at,
            ausfuehrung,
            zweckart: Some("SALA"),
            auftraggeber: sepa::Auftraggeber {
                name: ag.name.clone(),
                iban: ag.iban.clone(),
                bic: ag.bic.clone(),
            },
            zahlungen: auszahlungen
                .iter()
                .map(|a| sepa::Ueberweisung {
                    referenz: format!("LOHN-{ym}-L{}-{}", l.lauf_nr, a.personalnummer),
                    name: a.name.clone(),
                    iban: a.iban.clone(),
                    bic: String::new(),
                    betrag: a.betrag,
                    zweck: format!("Entgelt {} Pers.-Nr. {}", m.de(), a.personalnummer),
                })
                .collect(),
        };
        let xml = sepa::pain001(&sammler)?;
        let summe = sepa::kontrollsumme(&sammler.zahlungen);
        audit::append(
            sql,
            &actor,
            "SEPA_DATEI",
            ENTITY,
            &format!("{}/{}", m.key(), l.lauf_nr),
            None,
            Some(&json!({
                "nachricht": sammler.nachricht,
                "zahlungen": auszahlungen.len(),
                "summe": summe,
                "ausfuehrung": ausfuehrung.to_string(),
            })),
        )?;
        ausgeben(&xml)?;
        Ok(SepaDatei {
            xml,
            anzahl: auszahlungen.len(),
            summe,
            ausfuehrung,
        })
    })
}
