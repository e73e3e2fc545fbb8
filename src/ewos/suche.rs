//! Person search: by name prefix (umlauts and transcriptions equivalent),
//! by Kölner Phonetik over current and former names, by Vornamen, birth
//! date, address or Ordnungsmerkmal; sorted DIN 5007, page by page.

use chrono::NaiveDate;

use super::model::*;
use crate::core::collation::search_key;
use crate::core::error::{KisError, Result};
use crate::core::phonetik::phonetik_codes;
use crate::core::roles::Role;
use crate::core::session::Session;
use crate::store::{Sql, Value};

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

/// One hit of the search list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Treffer {
    pub id: i64,
    pub familienname: String,
    pub vornamen: String,
    pub geburtsdatum: NaiveDate,
    pub status: Status,
    /// Current Hauptwohnung (else a current dwelling; for persons who moved
    /// away the destination).
    pub anschrift: String,
    /// Codes of the Sperren valid today ("AS51 W36").
    pub sperren: String,
    /// A §51 Auskunftssperre or §52 Sperrvermerk is in force.
    pub auskunftssperre: bool,
}

/// The upper end of a prefix range: every key starting with `prefix` sorts
/// below it (byte-wise), so `key >= prefix AND key < upper` uses the index.
fn prefix_upper(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

struct Query {
    where_sql: String,
    params: Vec<Value>,
}

fn build(session: &Session, s: &Suche) -> Result<Query> {
    let mandant = session.mandant.id.as_str();
    let mut w = vec!["p.mandant = ?".to_string()];
    let mut params: Vec<Value> = vec![mandant.into()];
    let name = s.name.trim();
    let mut criteria = 0;
    if !name.is_empty() {
        criteria += 1;
        if s.phonetisch {
            let codes = phonetik_codes(name);
            if codes.iter().all(|c| c.is_empty()) {
                return Err(KisError::field(
                    "name",
                    "Der Name ergibt keinen phonetischen Code – bitte Buchstaben eingeben.",
                ));
            }
            for code in codes.into_iter().filter(|c| !c.is_empty()) {
                w.push(format!("p.id IN (SELECT k.person_id FROM ewo_name_key k WHERE k.mandant = ? AND {} AND k.schluessel = ?)", key_art(session, 'P')));
                params.push(mandant.into());
                params.push(code.into());
            }
        } else {
            let key = search_key(name);
            w.push(format!("p.id IN (SELECT k.person_id FROM ewo_name_key k WHERE k.mandant = ? AND {} AND k.schluessel >= ? AND k.schluessel < ?)", key_art(session, 'S')));
            params.push(mandant.into());
            params.push(key.clone().into());
            params.push(prefix_upper(&key).into());
        }
    }
    let vorname = search_key(s.vorname.trim()).replace(['%', '_'], "");
    if !vorname.is_empty() {
        w.push("p.vorname_key LIKE ?".into());
        params.push(format!("% {vorname}%").into());
    }
    if let Some(d) = s.geburtsdatum {
        criteria += 1;
        w.push("p.geburtsdatum = ?".into());
        params.push(d.to_string().into());
    }
    if let Some(str_key) = &s.strasse {
        criteria += 1;
        let mut sub = "p.id IN (SELECT a.person_id FROM ewo_wohnung a WHERE a.mandant = ? AND a.strasse = ? AND a.auszug IS NULL".to_string();
        params.push(mandant.into());
        params.push(str_key.trim().into());
        if let Some(h) = s.hausnummer {
            sub.push_str(" AND a.hausnummer = ?");
            params.push(h.into());
        }
        sub.push(')');
        w.push(sub);
    }
    if let Some(om) = s.ordnungsmerkmal {
        criteria += 1;
        w.push("p.id = ?".into());
        params.push(om.into());
    }
    if criteria == 0 {
        return Err(KisError::field(
            "name",
            "Bitte einen Namen, ein Geburtsdatum, eine Anschrift oder ein Ordnungsmerkmal angeben.",
        ));
    }
    if !session.has(Role::EwosArchiv) {
        // §14(2): archived data only for the archive role.
        w.push("p.archiviert = 0".into());
    }
    Ok(Query {
        where_sql: w.join(" AND "),
        params,
    })
}

/// The key kinds a clerk searches: archived persons' keys (A/B) only for
/// the archive role.
fn key_art(session: &Session, art: char) -> &'static str {
    match (art, session.has(Role::EwosArchiv)) {
        ('S', false) => "k.art = 'S'",
        ('S', true) => "k.art IN ('S', 'A')",
        (_, false) => "k.art = 'P'",
        (_, true) => "k.art IN ('P', 'B')",
    }
}

/// A search by name alone reads the key table only: its index gives the
/// hits in DIN 5007 order (one phonetic code) or needs a sort of index
/// entries only (prefix), never of person rows.
fn fast(session: &Session, s: &Suche) -> Option<(String, Vec<Value>)> {
    let name = s.name.trim();
    if name.is_empty()
        || !s.vorname.trim().is_empty()
        || s.geburtsdatum.is_some()
        || s.strasse.is_some()
        || s.ordnungsmerkmal.is_some()
    {
        return None;
    }
    let mandant = session.mandant.id.as_str();
    if s.phonetisch {
        let codes: Vec<String> = phonetik_codes(name)
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect();
        match codes.as_slice() {
            [code] => Some((
                format!(
                    "k.mandant = ? AND {} AND k.schluessel = ?",
                    key_art(session, 'P')
                ),
                vec![mandant.into(), code.as_str().into()],
            )),
            _ => None,
        }
    } else {
        let key = search_key(name);
        Some((
            format!(
                "k.mandant = ? AND {} AND k.schluessel >= ? AND k.schluessel < ?",
                key_art(session, 'S')
            ),
            vec![
                mandant.into(),
                key.clone().into(),
                prefix_upper(&key).into(),
            ],
        ))
    }
}

/// Number of hits.
pub fn anzahl(session: &Session, s: &Suche) -> Result<usize> {
    session.require(&[Role::EwosLesen])?;
    let (text, params) = match fast(session, s) {
        Some((cond, params)) => (
            // One phonetic code occurs once per person; a prefix range may
            // hold two names of one person.
            if s.phonetisch {
                format!("SELECT COUNT(*) FROM ewo_name_key k WHERE {cond}")
            } else {
                format!("SELECT COUNT(DISTINCT k.person_id) FROM ewo_name_key k WHERE {cond}")
            },
            params,
        ),
        None => {
            let q = build(session, s)?;
            (
                format!("SELECT COUNT(*) FROM ewo_person p WHERE {}", q.where_sql),
                q.params,
            )
        }
    };
    session.db.read(|sql| {
        let n = sql.query_one(&text, &params)?.i64(0)?;
        Ok(usize::try_from(n).unwrap_or(0))
    })
}

/// Hits `offset..offset+limit` in DIN 5007 order.
pub fn seite(session: &Session, s: &Suche, offset: usize, limit: usize) -> Result<Vec<Treffer>> {
    session.require(&[Role::EwosLesen])?;
    let heute = session.today();
    let mandant = session.mandant.id.clone();
    let fast = fast(session, s);
    let slow = match fast {
        Some(_) => None,
        None => Some(build(session, s)?),
    };
    session.db.read(|sql| {
        let ids = match (&fast, &slow) {
            (Some((cond, params)), _) => key_page(sql, cond, params, offset, limit)?,
            (None, Some(q)) => {
                let mut params = q.params.clone();
                params.push(limit.into());
                params.push(offset.into());
                sql.query(
                    &format!("SELECT p.sort_key, p.id FROM ewo_person p WHERE {} ORDER BY p.sort_key, p.id LIMIT ? OFFSET ?", q.where_sql),
                    &params,
                )?
                .iter()
                .map(|r| r.i64(1))
                .collect::<Result<_>>()?
            }
            (None, None) => Vec::new(),
        };
        let mut hits = load_hits(sql, &mandant, &ids)?;
        fill_details(sql, &mandant, heute, &mut hits)?;
        Ok(hits)
    })
}

/// A page of person ids from the key table. A person found by two names
/// (Müller geb. Müllmann for "Mül") has two rows with the same sort key,
/// adjacent in the order; they are merged here rather than with DISTINCT,
/// which would make the database aggregate every hit before it can stop
/// after the page (a top-N sort needs no aggregation).
fn key_page(
    sql: &mut dyn Sql,
    cond: &str,
    params: &[Value],
    offset: usize,
    limit: usize,
) -> Result<Vec<i64>> {
    let want = offset + limit;
    let mut fetch = want + 16;
    loop {
        let mut p = params.to_vec();
        p.push(fetch.into());
        let rows = sql.query(&format!("SELECT k.sort_key, k.person_id FROM ewo_name_key k WHERE {cond} ORDER BY k.sort_key, k.person_id LIMIT ?"), &p)?;
        let mut ids: Vec<i64> = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = r.i64(1)?;
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
        if ids.len() >= want || rows.len() < fetch {
            return Ok(ids.into_iter().skip(offset).take(limit).collect());
        }
        fetch *= 2;
    }
}

/// The persons with these ids, in the order of `ids`.
fn load_hits(sql: &mut dyn Sql, mandant: &str, ids: &[i64]) -> Result<Vec<Treffer>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let mut params: Vec<Value> = vec![mandant.into()];
    params.extend(ids.iter().map(|id| Value::from(*id)));
    let rows = sql.query(
        &format!(
            "SELECT id, familienname, vornamen, geburtsdatum, status, wegzug_nach, wegzug_staat FROM ewo_person \
             WHERE mandant = ? AND id IN ({marks})"
        ),
        &params,
    )?;
    let mut by_id = std::collections::HashMap::with_capacity(rows.len());
    for r in &rows {
        let status = Status::from_code(&r.str(4)?)?;
        let weg = format!("{} {}", r.str(5)?, r.str(6)?).trim().to_string();
        let id = r.i64(0)?;
        by_id.insert(
            id,
            Treffer {
                id,
                familienname: r.str(1)?,
                vornamen: r.str(2)?,
                geburtsdatum: r.date(3)?,
                status,
                anschrift: if status == Status::Weggezogen && !weg.is_empty() {
                    format!("verzogen nach {weg}")
                } else {
                    String::new()
                },
                sperren: String::new(),
                auskunftssperre: false,
            },
        );
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Addresses and Sperren of a page of hits, two queries for the whole page.
fn fill_details(
    sql: &mut dyn Sql,
    mandant: &str,
    heute: NaiveDate,
    hits: &mut [Treffer],
) -> Result<()> {
    if hits.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; hits.len()].join(", ");
    let mut params: Vec<Value> = vec![mandant.into()];
    params.extend(hits.iter().map(|h| Value::from(h.id)));
    let rows = sql.query(
        &format!(
            "SELECT w.person_id, w.art, s.name, w.hausnummer, w.zusatz, s.plz, s.ort, w.anschrift_text FROM ewo_wohnung w \
             LEFT JOIN street s ON s.mandant = w.mandant AND s.schluessel = w.strasse \
             WHERE w.mandant = ? AND w.auszug IS NULL AND w.person_id IN ({marks}) ORDER BY w.person_id, w.art, w.id"
        ),
        &params,
    )?;
    for r in &rows {
        let id = r.i64(0)?;
        let text = match r.opt_str(2)? {
            Some(name) => format!(
                "{name} {}{}, {} {}",
                r.opt_i64(3)?.unwrap_or(0),
                r.str(4)?,
                r.str(5)?,
                r.str(6)?
            ),
            None => r.str(7)?,
        };
        if let Some(h) = hits.iter_mut().find(|h| h.id == id)
            && h.anschrift.is_empty()
        {
            // Rows come with H before N, so the Hauptwohnung wins.
            h.anschrift = text;
        }
    }
    let today = heute.to_string();
    let mut params: Vec<Value> = vec![mandant.into(), today.clone().into(), today.into()];
    params.extend(hits.iter().map(|h| Value::from(h.id)));
    let rows = sql.query(
        &format!(
            "SELECT person_id, art FROM ewo_sperre WHERE mandant = ? AND ab <= ? AND (bis IS NULL OR bis >= ?) \
             AND person_id IN ({marks}) ORDER BY person_id, id"
        ),
        &params,
    )?;
    for r in &rows {
        let id = r.i64(0)?;
        let art = SperrArt::from_code(&r.str(1)?)?;
        if let Some(h) = hits.iter_mut().find(|h| h.id == id) {
            if !h.sperren.is_empty() {
                h.sperren.push(' ');
            }
            h.sperren.push_str(art.code());
            if art.sperrt_auskunft() {
                h.auskunftssperre = true;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_range_contains_all_continuations() {
        let up = prefix_upper("mue");
        for k in ["mue", "mueller", "muezzz", "mue\u{ffff}"] {
            assert!(k >= "mue" && k < up.as_str(), "{k}");
        }
        assert!("muf" > up.as_str());
        assert!("moeller" < "mue");
    }
}
