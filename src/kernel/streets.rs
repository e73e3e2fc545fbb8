//! The street directory (Straßenverzeichnis): Straßenschlüssel, name,
//! Ortsteil, PLZ/Ort and the valid house numbers. Every address in KIS
//! refers to it.

use std::fmt::Write as _;

use serde::Serialize;

use crate::core::collation::search_key;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit::{self, Actor};
use crate::kernel::locks;
use crate::kernel::repo::streets as repo;
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "street";
/// The code list of the Ortsteile.
pub const ORTSTEIL_LIST: &str = "ORTSTEIL";

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct HouseNo {
    pub nummer: u32,
    pub zusatz: String,
}

impl std::fmt::Display for HouseNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.nummer, self.zusatz)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Street {
    pub schluessel: String,
    pub name: String,
    pub ortsteil: String,
    pub plz: String,
    pub ort: String,
    pub hausnummern: Vec<HouseNo>,
    pub version: i64,
}

/// Parse a house-number list as clerks write it: `1-45, 47, 49a, 50 - 52`.
/// A range with `g`/`u` after it takes only even/odd numbers: `2-20g`.
pub fn parse_hausnummern(s: &str) -> Result<Vec<HouseNo>> {
    let mut out = Vec::new();
    for part in s.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            KisError::field(
                "hausnummern",
                format!(
                    "Hausnummern: „{part}“ ist ungültig – erlaubt z. B. 1-45, 47, 49a, 2-20g (gerade)."
                ),
            )
        };
        if let Some((a, b)) = part.split_once('-') {
            let b = b.trim();
            let (b, step_filter) = match b.chars().last() {
                Some('g') | Some('G') => (&b[..b.len() - 1], Some(0)),
                Some('u') | Some('U') => (&b[..b.len() - 1], Some(1)),
                _ => (b, None),
            };
            let from: u32 = a.trim().parse().map_err(|_| bad())?;
            let to: u32 = b.trim().parse().map_err(|_| bad())?;
            if from == 0 || to < from || to - from > 2000 {
                return Err(bad());
            }
            out.extend(
                (from..=to)
                    .filter(|n| step_filter.is_none_or(|r| n % 2 == r))
                    .map(|n| HouseNo {
                        nummer: n,
                        zusatz: String::new(),
                    }),
            );
        } else {
            let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
            let zusatz = part[digits.len()..].trim().to_lowercase();
            let nummer: u32 = digits.parse().map_err(|_| bad())?;
            if nummer == 0
                || zusatz.chars().count() > 3
                || !zusatz.chars().all(|c| c.is_alphabetic())
            {
                return Err(bad());
            }
            out.push(HouseNo { nummer, zusatz });
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The compact form: consecutive plain numbers become ranges.
pub fn format_hausnummern(list: &[HouseNo]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < list.len() {
        let h = &list[i];
        let mut j = i;
        if h.zusatz.is_empty() {
            while j + 1 < list.len()
                && list[j + 1].zusatz.is_empty()
                && list[j + 1].nummer == list[j].nummer + 1
            {
                j += 1;
            }
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        if j > i {
            let _ = write!(out, "{}-{}", h.nummer, list[j].nummer);
        } else {
            let _ = write!(out, "{h}");
        }
        i = j + 1;
    }
    out
}

/// Check the fields of a street; field keys match the KIS100 mask.
pub fn validate(st: &Street) -> Result<()> {
    if st.schluessel.len() != 5 || !st.schluessel.chars().all(|c| c.is_ascii_digit()) {
        return Err(KisError::field(
            "schluessel",
            "Straßenschlüssel: genau 5 Ziffern, z. B. 00120.",
        ));
    }
    if st.name.trim().is_empty() {
        return Err(KisError::field("name", "Bitte den Straßennamen angeben."));
    }
    if st.plz.len() != 5 || !st.plz.chars().all(|c| c.is_ascii_digit()) {
        return Err(KisError::field("plz", "PLZ: genau 5 Ziffern."));
    }
    if st.ort.trim().is_empty() {
        return Err(KisError::field("ort", "Bitte den Ort angeben."));
    }
    Ok(())
}

/// A hit in the street search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreetRow {
    pub schluessel: String,
    pub name: String,
    pub ortsteil: String,
    pub plz: String,
    pub anzahl_hausnummern: i64,
}

/// Streets whose name starts with `prefix` (umlaut transcriptions are
/// equivalent) or whose key starts with it; all for an empty prefix.
pub fn search(session: &Session, prefix: &str) -> Result<Vec<StreetRow>> {
    let key = search_key(prefix.trim());
    let like = format!("{}%", key.replace(['%', '_'], ""));
    let key_like = format!("{}%", prefix.trim());
    session
        .db
        .read(|sql| repo::search(sql, session.mandant.id.as_str(), &like, &key_like))
}

fn load(sql: &mut dyn Sql, mandant: &str, key: &str) -> Result<Street> {
    repo::load(sql, mandant, key)?.ok_or_else(|| {
        KisError::NotFound(format!("Straße mit Schlüssel {key} ist nicht vorhanden."))
    })
}

pub fn get(session: &Session, key: &str) -> Result<Street> {
    session.db.read(|sql| load(sql, &session.mandant.id, key))
}

/// Whether an address (street + house number + addition) exists.
pub fn house_exists(
    sql: &mut dyn Sql,
    mandant: &str,
    key: &str,
    nummer: u32,
    zusatz: &str,
) -> Result<bool> {
    repo::house_exists(sql, mandant, key, nummer, zusatz)
}

fn check_ortsteil(sql: &mut dyn Sql, session: &Session, st: &Street) -> Result<()> {
    crate::kernel::codes::require(
        sql,
        &session.mandant.id,
        ORTSTEIL_LIST,
        &st.ortsteil,
        session.today(),
        "ortsteil",
    )
    .map(|_| ())
}

/// Create a street (KIS administration or EWOS change role).
pub fn create(session: &Session, st: &Street) -> Result<()> {
    session.require(&[Role::Admin, Role::EwosAendern])?;
    validate(st)?;
    let actor = session.actor();
    session.db.write(|sql| {
        check_ortsteil(sql, session, st)?;
        insert_in(sql, &actor, st)
    })
}

/// Insert inside an open transaction (also used by the demo loader).
pub fn insert_in(sql: &mut dyn Sql, actor: &Actor, st: &Street) -> Result<()> {
    validate(st)?;
    if repo::exists(sql, &actor.mandant, &st.schluessel)? {
        return Err(KisError::field(
            "schluessel",
            format!("Straßenschlüssel {} ist schon vergeben.", st.schluessel),
        ));
    }
    repo::insert(sql, &actor.mandant, st)?;
    repo::write_houses(sql, &actor.mandant, st)?;
    audit::append(
        sql,
        actor,
        "ANGELEGT",
        ENTITY,
        &st.schluessel,
        None,
        Some(&audit::json(st)?),
    )?;
    Ok(())
}

/// Save a changed street; refused if someone saved in between (`st.version`
/// is the version the clerk loaded). Returns the new version.
pub fn update(session: &Session, st: &Street) -> Result<i64> {
    session.require(&[Role::Admin, Role::EwosAendern])?;
    validate(st)?;
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    session.db.write(|sql| {
        check_ortsteil(sql, session, st)?;
        let before = load(sql, mandant, &st.schluessel)?;
        let n = repo::update(sql, mandant, st)?;
        if n == 0 {
            return Err(locks::stale_save(sql, mandant, ENTITY, &st.schluessel));
        }
        repo::write_houses(sql, mandant, st)?;
        let after = Street {
            version: st.version + 1,
            ..st.clone()
        };
        audit::append(
            sql,
            &actor,
            "GEAENDERT",
            ENTITY,
            &st.schluessel,
            Some(&audit::json(&before)?),
            Some(&audit::json(&after)?),
        )?;
        Ok(after.version)
    })
}

/// Delete a street that nothing refers to any more.
pub fn delete(session: &Session, key: &str, version: i64) -> Result<()> {
    session.require(&[Role::Admin, Role::EwosAendern])?;
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    session.db.write(|sql| {
        let before = load(sql, mandant, key)?;
        if before.version != version {
            return Err(locks::stale_save(sql, mandant, ENTITY, key));
        }
        repo::delete_houses(sql, mandant, key)?;
        repo::delete(sql, mandant, key)
            .map_err(|e| match e {
                KisError::Conflict(_) | KisError::Db(_) => KisError::Conflict(format!(
                    "Straße {key} wird noch verwendet (z. B. in Anschriften) und kann nicht gelöscht werden."
                )),
                other => other,
            })?;
        audit::append(sql, &actor, "GELOESCHT", ENTITY, key, Some(&audit::json(&before)?), None)?;
        Ok(())
    })
}

/// A street's entries in the audit log (KIS100 F9): for the administration,
/// support and the register's clerks.
pub fn protokoll(session: &Session, key: &str) -> Result<Vec<audit::AuditEntry>> {
    session.require(&[Role::Admin, Role::Support, Role::EwosLesen])?;
    session
        .db
        .read(|sql| audit::for_record(sql, &session.mandant.id, ENTITY, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn house_numbers_parse_and_format() {
        let h = parse_hausnummern("1-5, 7, 9a, 2-8g").unwrap();
        assert_eq!(format_hausnummern(&h), "1-8, 9a");
        let odd = parse_hausnummern("1-9u").unwrap();
        assert_eq!(format_hausnummern(&odd), "1, 3, 5, 7, 9");
        assert!(parse_hausnummern("5-1").is_err());
        assert!(parse_hausnummern("x").is_err());
        assert!(parse_hausnummern("0").is_err());
        let e = parse_hausnummern("12, 4ab!").unwrap_err();
        assert!(e.to_string().contains("4ab!"), "{e}");
        assert_eq!(parse_hausnummern("").unwrap(), vec![]);
    }
}
