//! Person search: by name prefix (umlauts and transcriptions equivalent),
//! by Kölner Phonetik over current and former names, by Vornamen, birth
//! date, address or Ordnungsmerkmal; sorted DIN 5007, page by page.

use chrono::NaiveDate;

use super::model::*;
use super::repo;
use crate::core::collation::search_key;
use crate::core::error::{KisError, Result};
use crate::core::phonetik::phonetik_codes;
use crate::core::roles::Role;
use crate::kernel::session::Session;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suche {
    pub name: String,
    pub vorname: String,
    pub phonetisch: bool,
    pub geburtsdatum: Option<NaiveDate>,
    /// Straßenschlüssel and optional house number.
    pub strasse: Option<String>,
    pub hausnummer: Option<u32>,
    pub ordnungsmerkmal: Option<i64>,
}

/// The search with its rules applied: at least one criterion, a phonetic
/// search needs a name with a code, archived persons only for the archive
/// role (§14(2) BMG).
fn filter(session: &Session, s: &Suche) -> Result<SuchFilter> {
    let name = s.name.trim();
    let name = if name.is_empty() {
        None
    } else if s.phonetisch {
        let codes: Vec<String> = phonetik_codes(name)
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect();
        if codes.is_empty() {
            return Err(KisError::field(
                "name",
                "Der Name ergibt keinen phonetischen Code – bitte Buchstaben eingeben.",
            ));
        }
        Some(NamensSuche::Phonetisch(codes))
    } else {
        Some(NamensSuche::Praefix(search_key(name)))
    };
    let vorname = search_key(s.vorname.trim());
    let f = SuchFilter {
        name,
        vorname: (!vorname.is_empty()).then_some(vorname),
        geburtsdatum: s.geburtsdatum,
        strasse: s
            .strasse
            .as_ref()
            .map(|k| (k.trim().to_string(), s.hausnummer)),
        ordnungsmerkmal: s.ordnungsmerkmal,
        mit_archiv: session.has(Role::EwosArchiv),
        heute: session.today(),
    };
    if f.name.is_none()
        && f.geburtsdatum.is_none()
        && f.strasse.is_none()
        && f.ordnungsmerkmal.is_none()
    {
        return Err(KisError::field(
            "name",
            "Bitte einen Namen, ein Geburtsdatum, eine Anschrift oder ein Ordnungsmerkmal angeben.",
        ));
    }
    Ok(f)
}

/// Number of hits.
pub fn anzahl(session: &Session, s: &Suche) -> Result<usize> {
    session.require(&[Role::EwosLesen])?;
    let f = filter(session, s)?;
    session
        .db
        .read(|sql| repo::suche::anzahl(sql, &session.mandant.id, &f))
}

/// Hits `offset..offset+limit` in DIN 5007 order.
pub fn seite(session: &Session, s: &Suche, offset: usize, limit: usize) -> Result<Vec<Treffer>> {
    session.require(&[Role::EwosLesen])?;
    let heute = session.today();
    let f = filter(session, s)?;
    let mandant = session.mandant.id.as_str();
    session.db.read(|sql| {
        let ids = repo::suche::seite(sql, mandant, &f, offset, limit)?;
        let mut hits = repo::suche::treffer(sql, mandant, &ids)?;
        repo::suche::details(sql, mandant, heute, &mut hits)?;
        Ok(hits)
    })
}
