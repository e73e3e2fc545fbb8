//! The person search over the name keys and person rows.

use chrono::NaiveDate;

use crate::core::date::format_date_de;
use crate::core::error::Result;
use crate::ewos::model::*;
use crate::store::{Sql, Value};

/// The upper end of a prefix range: every key starting with `prefix` sorts
/// below it (byte-wise), so `key >= prefix AND key < upper` uses the index.
fn prefix_upper(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

/// The key kinds searched: archived persons' keys (A/B) only with the archive.
fn key_art(f: &SuchFilter, phonetisch: bool) -> &'static str {
    match (phonetisch, f.mit_archiv) {
        (false, false) => "k.art = 'S'",
        (false, true) => "k.art IN ('S', 'A')",
        (true, false) => "k.art = 'P'",
        (true, true) => "k.art IN ('P', 'B')",
    }
}

struct Query {
    where_sql: String,
    params: Vec<Value>,
}

fn build(mandant: &str, f: &SuchFilter) -> Query {
    let mut w = vec!["p.mandant = ?".to_string()];
    let mut params: Vec<Value> = vec![mandant.into()];
    match &f.name {
        Some(NamensSuche::Phonetisch(codes)) => {
            for code in codes {
                w.push(format!("p.id IN (SELECT k.person_id FROM ewo_name_key k WHERE k.mandant = ? AND {} AND k.schluessel = ?)", key_art(f, true)));
                params.push(mandant.into());
                params.push(code.as_str().into());
            }
        }
        Some(NamensSuche::Praefix(key)) => {
            w.push(format!("p.id IN (SELECT k.person_id FROM ewo_name_key k WHERE k.mandant = ? AND {} AND k.schluessel >= ? AND k.schluessel < ?)", key_art(f, false)));
            params.push(mandant.into());
            params.push(key.as_str().into());
            params.push(prefix_upper(key).into());
        }
        None => {}
    }
    // The clerk's input is no LIKE pattern.
    let vorname = f.vorname.as_deref().unwrap_or("").replace(['%', '_'], "");
    if !vorname.is_empty() {
        w.push("p.vorname_key LIKE ?".into());
        params.push(format!("% {vorname}%").into());
    }
    if let Some(d) = f.geburtsdatum {
        w.push("p.geburtsdatum = ?".into());
        params.push(d.to_string().into());
    }
    if let Some((str_key, hausnummer)) = &f.strasse {
        let mut sub =
            "p.id IN (SELECT a.person_id FROM ewo_wohnung a WHERE a.mandant = ? AND a.strasse = ? \
                       AND a.einzug <= ? AND (a.auszug IS NULL OR a.auszug > ?)"
                .to_string();
        let heute = f.heute.to_string();
        params.push(mandant.into());
        params.push(str_key.as_str().into());
        params.push(heute.as_str().into());
        params.push(heute.into());
        if let Some(h) = hausnummer {
            sub.push_str(" AND a.hausnummer = ?");
            params.push((*h).into());
        }
        sub.push(')');
        w.push(sub);
    }
    if let Some(om) = f.ordnungsmerkmal {
        w.push("p.id = ?".into());
        params.push(om.into());
    }
    if !f.mit_archiv {
        w.push("p.archiviert = 0".into());
    }
    Query {
        where_sql: w.join(" AND "),
        params,
    }
}

/// A search by name alone reads the key table only: its index gives the
/// hits in DIN 5007 order (one phonetic code) or needs a sort of index
/// entries only (prefix), never of person rows.
fn fast(mandant: &str, f: &SuchFilter) -> Option<(String, Vec<Value>)> {
    if f.vorname.is_some()
        || f.geburtsdatum.is_some()
        || f.strasse.is_some()
        || f.ordnungsmerkmal.is_some()
    {
        return None;
    }
    match f.name.as_ref()? {
        NamensSuche::Phonetisch(codes) => match codes.as_slice() {
            [code] => Some((
                format!(
                    "k.mandant = ? AND {} AND k.schluessel = ?",
                    key_art(f, true)
                ),
                vec![mandant.into(), code.as_str().into()],
            )),
            _ => None,
        },
        NamensSuche::Praefix(key) => Some((
            format!(
                "k.mandant = ? AND {} AND k.schluessel >= ? AND k.schluessel < ?",
                key_art(f, false)
            ),
            vec![
                mandant.into(),
                key.as_str().into(),
                prefix_upper(key).into(),
            ],
        )),
    }
}

/// Number of hits.
pub fn anzahl(sql: &mut dyn Sql, mandant: &str, f: &SuchFilter) -> Result<usize> {
    let (text, params) = match fast(mandant, f) {
        Some((cond, params)) => (
            // One phonetic code occurs once per person; a prefix range may
            // hold two names of one person.
            if matches!(f.name, Some(NamensSuche::Phonetisch(_))) {
                format!("SELECT COUNT(*) FROM ewo_name_key k WHERE {cond}")
            } else {
                format!("SELECT COUNT(DISTINCT k.person_id) FROM ewo_name_key k WHERE {cond}")
            },
            params,
        ),
        None => {
            let q = build(mandant, f);
            (
                format!("SELECT COUNT(*) FROM ewo_person p WHERE {}", q.where_sql),
                q.params,
            )
        }
    };
    let n = sql.query_one(&text, &params)?.i64(0)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The person ids of hits `offset..offset+limit` in DIN 5007 order.
pub fn seite(
    sql: &mut dyn Sql,
    mandant: &str,
    f: &SuchFilter,
    offset: usize,
    limit: usize,
) -> Result<Vec<i64>> {
    if let Some((cond, params)) = fast(mandant, f) {
        return key_page(sql, &cond, &params, offset, limit);
    }
    let q = build(mandant, f);
    let mut params = q.params;
    params.push(limit.into());
    params.push(offset.into());
    sql.query(
        &format!("SELECT p.sort_key, p.id FROM ewo_person p WHERE {} ORDER BY p.sort_key, p.id LIMIT ? OFFSET ?", q.where_sql),
        &params,
    )?
    .iter()
    .map(|r| r.i64(1))
    .collect()
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
pub fn treffer(sql: &mut dyn Sql, mandant: &str, ids: &[i64]) -> Result<Vec<Treffer>> {
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

/// Fill in the addresses and Sperren of a page of hits, two queries for
/// the whole page.
pub fn details(
    sql: &mut dyn Sql,
    mandant: &str,
    heute: NaiveDate,
    hits: &mut [Treffer],
) -> Result<()> {
    if hits.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; hits.len()].join(", ");
    let tag = heute.to_string();
    let mut params: Vec<Value> = vec![mandant.into(), tag.as_str().into()];
    params.extend(hits.iter().map(|h| Value::from(h.id)));
    // The address lived in today; an announced one (Einzug later) only
    // where there is none, marked with its date.
    let rows = sql.query(
        &format!(
            "SELECT w.person_id, w.art, s.name, w.hausnummer, w.zusatz, s.plz, s.ort, w.anschrift_text, w.einzug FROM ewo_wohnung w \
             LEFT JOIN street s ON s.mandant = w.mandant AND s.schluessel = w.strasse \
             WHERE w.mandant = ? AND (w.auszug IS NULL OR w.auszug > ?) \
             AND w.person_id IN ({marks}) ORDER BY w.person_id, w.art, w.id"
        ),
        &params,
    )?;
    let mut angekuendigt: Vec<(i64, String)> = Vec::new();
    for r in &rows {
        let id = r.i64(0)?;
        let einzug = r.date(8)?;
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
        if einzug > heute {
            angekuendigt.push((id, format!("ab {} {text}", format_date_de(einzug))));
            continue;
        }
        if let Some(h) = hits.iter_mut().find(|h| h.id == id)
            && h.anschrift.is_empty()
        {
            // Rows come with H before N, so the Hauptwohnung wins.
            h.anschrift = text;
        }
    }
    for (id, text) in angekuendigt {
        if let Some(h) = hits.iter_mut().find(|h| h.id == id)
            && h.anschrift.is_empty()
        {
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
