//! Family links (Bindungen): marriage, partnership, parents, guardians.

use chrono::NaiveDate;

use super::opt_date_str;
use super::zaehler::next_id;
use crate::core::error::Result;
use crate::ewos::model::*;
use crate::params;
use crate::store::Sql;

/// Insert a family link between `a` and `b` (for `Eltern`, a is the parent).
pub fn insert_bindung(
    sql: &mut dyn Sql,
    mandant: &str,
    art: BindungsArt,
    a: i64,
    b: i64,
    ab: Option<NaiveDate>,
) -> Result<i64> {
    let id = next_id(sql, mandant, "bindung")?;
    sql.execute(
        "INSERT INTO ewo_bindung (mandant, id, art, person_a, person_b, ab) VALUES (?, ?, ?, ?, ?, ?)",
        &[mandant.into(), id.into(), art.code().into(), a.into(), b.into(), opt_date_str(ab)],
    )?;
    Ok(id)
}

/// End a family link on `bis`.
pub fn end_bindung(sql: &mut dyn Sql, mandant: &str, id: i64, bis: NaiveDate) -> Result<()> {
    sql.execute(
        "UPDATE ewo_bindung SET bis = ? WHERE mandant = ? AND id = ?",
        &params![bis.to_string(), mandant, id],
    )?;
    Ok(())
}

/// The family links of a person, seen from that person (current and ended).
pub fn angehoerige(sql: &mut dyn Sql, mandant: &str, person_id: i64) -> Result<Vec<Angehoeriger>> {
    let rows = sql.query(
        "SELECT b.id, b.art, b.person_a, b.person_b, b.ab, b.bis, p.id, p.vornamen, p.familienname \
         FROM ewo_bindung b JOIN ewo_person p ON p.mandant = b.mandant \
           AND p.id = CASE WHEN b.person_a = ? THEN b.person_b ELSE b.person_a END \
         WHERE b.mandant = ? AND (b.person_a = ? OR b.person_b = ?) ORDER BY b.id",
        &params![person_id, mandant, person_id, person_id],
    )?;
    rows.iter()
        .map(|r| {
            let art = BindungsArt::from_code(&r.str(1)?)?;
            let rolle = art.rolle_des_anderen(r.i64(2)? == person_id);
            Ok(Angehoeriger {
                bindung_id: r.i64(0)?,
                art,
                rolle,
                person_id: r.i64(6)?,
                name: format!("{} {}", r.str(7)?, r.str(8)?),
                ab: r.opt_date(4)?,
                bis: r.opt_date(5)?,
            })
        })
        .collect()
}
