//! The open items: due dates of released Anordnungen with a rest to pay.

use crate::core::error::Result;
use crate::core::money::Money;
use crate::finas::kasse::model::{AnordnungArt, OffenerPosten, OpFilter};
use crate::store::{Sql, Value};

/// The open items matching `f`, by due date, Kassenzeichen and line;
/// `suchname` is the search key of `f.name`.
pub fn offene_posten(
    sql: &mut dyn Sql,
    mandant: &str,
    f: &OpFilter,
    suchname: Option<&str>,
    limit: usize,
) -> Result<Vec<OffenerPosten>> {
    let mut wo = String::new();
    let mut p: Vec<Value> = vec![mandant.into()];
    if let Some(id) = f.partner {
        wo.push_str(" AND a.partner = ?");
        p.push(id.into());
    }
    if let Some(d) = f.faellig_bis {
        wo.push_str(" AND f.faellig <= ?");
        p.push(d.into());
    }
    if let Some(n) = suchname {
        wo.push_str(" AND g.suchname >= ? AND g.suchname < ?");
        p.push(n.into());
        p.push(format!("{n}\u{10FFFF}").into());
    }
    if let Some(kz) = &f.kassenzeichen {
        wo.push_str(" AND a.kassenzeichen = ?");
        p.push(kz.into());
    }
    if let Some(iban) = &f.iban {
        wo.push_str(
            " AND EXISTS (SELECT 1 FROM fin_bankverbindung s WHERE s.mandant = a.mandant AND s.partner = a.partner AND s.iban = ?)",
        );
        p.push(iban.into());
    }
    if let Some(b) = f.betrag {
        wo.push_str(" AND f.betrag - f.bezahlt - f.abgesetzt = ?");
        p.push(b.cents().into());
    }
    p.push((limit as i64).into());
    sql.query(
        &format!(
            "SELECT a.kassenzeichen, a.nr, a.art, a.partner, g.name, g.vorname, f.faellig, f.betrag - f.abgesetzt, f.bezahlt, \
             (SELECT b.iban FROM fin_bankverbindung b WHERE b.mandant = a.mandant AND b.partner = a.partner AND b.aktiv = 1 ORDER BY b.lfd LIMIT 1) \
             FROM fin_faelligkeit f JOIN fin_anordnung a ON a.mandant = f.mandant AND a.nr = f.anordnung \
             JOIN fin_partner g ON g.mandant = a.mandant AND g.id = a.partner \
             WHERE f.mandant = ? AND a.status = 'FREIGEGEBEN' AND f.bezahlt + f.abgesetzt < f.betrag{wo} \
             ORDER BY f.faellig, a.kassenzeichen, f.lfd LIMIT ?"
        ),
        &p,
    )?
    .iter()
    .map(|r| {
        let (name, vorname) = (r.str(4)?, r.str(5)?);
        Ok(OffenerPosten {
            kassenzeichen: r.str(0)?,
            anordnung: r.i64(1)?,
            art: AnordnungArt::parse(&r.str(2)?)?,
            partner: r.i64(3)?,
            partner_name: if vorname.is_empty() { name } else { format!("{name}, {vorname}") },
            faellig: r.date(6)?,
            soll: Money::from_cents(r.i64(7)?),
            ist: Money::from_cents(r.i64(8)?),
            iban: r.opt_str(9)?,
        })
    })
    .collect()
}
