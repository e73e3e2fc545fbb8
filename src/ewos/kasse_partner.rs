//! What the Kasse (FINAS) may learn from the register about a resident it
//! keeps a Personenkonto for. FINAS never reads the register's tables; it
//! asks this service, which applies the Sperren the way
//! [`super::personal`] does for the payroll office:
//!
//! - A link is accepted only for a resident registered here whose
//!   Familienname matches, who has no Sperre that has not ended and who
//!   does not live at an address protected by someone else's
//!   Auskunftssperre. Everyone else gets the same answer as an unknown
//!   Ordnungsmerkmal, so the link is no search oracle (§51(2) BMG).
//! - The address flows on only under the same conditions; a Sperre
//!   entered later stops it at once. A Wegzug or Sterbefall is reported
//!   (without the new address) so that the Kasse sees a task on the account.

use chrono::NaiveDate;

use super::model::*;
use super::repo;
use crate::core::collation::search_key;
use crate::core::error::Result;
use crate::store::Sql;

/// The register's current answer for a linked partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Meldestand {
    /// Registered here with this Hauptwohnung.
    Gemeldet(Meldedaten),
    /// Moved away (Wegzug) on this day.
    Weggezogen(Option<NaiveDate>),
    /// Died on this day.
    Verstorben(Option<NaiveDate>),
    /// The register gives nothing (Sperre, archived, no Hauptwohnung here).
    Keine,
}

/// Name and Hauptwohnung of a resident, as the Kasse writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meldedaten {
    pub familienname: String,
    pub vornamen: String,
    /// Street and house number.
    pub strasse: String,
    pub plz: String,
    pub ort: String,
}

fn gesperrt(sql: &mut dyn Sql, mandant: &str, p: &Person, heute: NaiveDate) -> Result<bool> {
    if p.archiviert
        || repo::sperren::sperren(sql, mandant, p.id)?
            .iter()
            .any(|s| s.bis.is_none_or(|b| b >= heute))
    {
        return Ok(true);
    }
    for w in repo::wohnung::wohnungen_ab(sql, mandant, p.id, heute)? {
        if let Some(a) = &w.adresse
            && repo::sperren::adresse_gesperrt(sql, mandant, a, heute)?.is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Split "Hauptstraße 12a, 59999 Musterstadt" into street, PLZ and Ort.
fn anschrift_teile(anschrift: &str) -> (String, String, String) {
    let (strasse, ort) = anschrift.rsplit_once(", ").unwrap_or((anschrift, ""));
    let (plz, ort) = ort.split_once(' ').unwrap_or(("", ort));
    (strasse.into(), plz.into(), ort.into())
}

/// The register's answer about person `person_id` for the Kasse today.
pub fn meldestand_in(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
    heute: NaiveDate,
) -> Result<Meldestand> {
    let p = match repo::person::load_person(sql, mandant, person_id) {
        Ok(p) => p,
        Err(crate::core::error::KisError::NotFound(_)) => return Ok(Meldestand::Keine),
        Err(e) => return Err(e),
    };
    if gesperrt(sql, mandant, &p, heute)? {
        return Ok(Meldestand::Keine);
    }
    Ok(match p.status {
        Status::Weggezogen | Status::Unbekannt => Meldestand::Weggezogen(p.status_datum),
        Status::Verstorben => Meldestand::Verstorben(p.sterbedatum.or(p.status_datum)),
        Status::Aktiv => {
            let haupt = repo::wohnung::wohnungen_am(sql, mandant, p.id, heute)?
                .into_iter()
                .find(|w| w.art == WohnungsArt::Haupt && w.adresse.is_some());
            match haupt {
                Some(w) => {
                    let (strasse, plz, ort) = anschrift_teile(&w.anschrift);
                    Meldestand::Gemeldet(Meldedaten {
                        familienname: p.daten.familienname.clone(),
                        vornamen: p.daten.vornamen.clone(),
                        strasse,
                        plz,
                        ort,
                    })
                }
                None => Meldestand::Keine,
            }
        }
    })
}

/// The data for linking a new Geschäftspartner to resident `person_id`:
/// `None` unless the person may be linked (see the module text) and the
/// Familienname matches — one answer for every refusal.
pub fn verknuepfen_in(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
    familienname: &str,
    heute: NaiveDate,
) -> Result<Option<Meldedaten>> {
    Ok(match meldestand_in(sql, mandant, person_id, heute)? {
        Meldestand::Gemeldet(m)
            if search_key(&m.familienname) == search_key(familienname.trim()) =>
        {
            Some(m)
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::anschrift_teile;

    #[test]
    fn address_splits_into_street_plz_and_ort() {
        assert_eq!(
            anschrift_teile("Hauptstraße 12a, Hinterhaus, 59999 Musterstadt"),
            (
                "Hauptstraße 12a, Hinterhaus".into(),
                "59999".into(),
                "Musterstadt".into()
            )
        );
    }
}
