//! `fin_kasse_einstellung`: one row per Mandant.

use crate::core::error::Result;
use crate::finas::kasse::model::KasseEinstellung;
use crate::params;
use crate::store::Sql;

pub fn lesen(sql: &mut dyn Sql, mandant: &str) -> Result<Option<KasseEinstellung>> {
    sql.query_opt(
        "SELECT glaeubiger_id, kontoinhaber, iban, bic, forderungskonto, verbindlichkeitskonto, bankkonto, \
         verwahrkonto, entgeltkonto, tilgungsfolge \
         FROM fin_kasse_einstellung WHERE mandant = ?",
        &params![mandant],
    )?
    .map(|r| {
        Ok(KasseEinstellung {
            glaeubiger_id: r.str(0)?,
            kontoinhaber: r.str(1)?,
            iban: r.str(2)?,
            bic: r.str(3)?,
            forderungskonto: r.str(4)?,
            verbindlichkeitskonto: r.str(5)?,
            bankkonto: r.str(6)?,
            verwahrkonto: r.str(7)?,
            entgeltkonto: r.str(8)?,
            tilgungsfolge: r.str(9)?,
        })
    })
    .transpose()
}

pub fn schreiben(sql: &mut dyn Sql, mandant: &str, e: &KasseEinstellung) -> Result<()> {
    sql.execute(
        "INSERT INTO fin_kasse_einstellung (mandant, glaeubiger_id, kontoinhaber, iban, bic, forderungskonto, verbindlichkeitskonto, bankkonto, verwahrkonto, entgeltkonto, tilgungsfolge) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mandant) DO UPDATE SET glaeubiger_id = excluded.glaeubiger_id, \
         kontoinhaber = excluded.kontoinhaber, iban = excluded.iban, bic = excluded.bic, \
         forderungskonto = excluded.forderungskonto, verbindlichkeitskonto = excluded.verbindlichkeitskonto, bankkonto = excluded.bankkonto, \
         verwahrkonto = excluded.verwahrkonto, entgeltkonto = excluded.entgeltkonto, \
         tilgungsfolge = excluded.tilgungsfolge",
        &params![
            mandant,
            e.glaeubiger_id.as_str(),
            e.kontoinhaber.as_str(),
            e.iban.as_str(),
            e.bic.as_str(),
            e.forderungskonto.as_str(),
            e.verbindlichkeitskonto.as_str(),
            e.bankkonto.as_str(),
            e.verwahrkonto.as_str(),
            e.entgeltkonto.as_str(),
            e.tilgungsfolge.as_str()
        ],
    )?;
    Ok(())
}
