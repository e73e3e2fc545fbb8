//! The Mandant's Kasse settings: Gläubiger-ID, the Stadtkasse's own bank
//! account and the default counter accounts of the Anordnungen.

use serde_json::json;

use super::bank;
use super::model::KasseEinstellung;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::repo::kasse::einstellung as repo;
use crate::finas::stamm;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_kasse_einstellung";

/// The settings; refused with a clear message while the Mandant has none.
pub fn lesen_in(sql: &mut dyn Sql, mandant: &str) -> Result<KasseEinstellung> {
    repo::lesen(sql, mandant)?.ok_or_else(|| {
        KisError::Conflict(
            "Für diesen Mandanten ist die Kasse nicht eingerichtet (Gläubiger-ID, Bankkonto, Gegenkonten fehlen).".into(),
        )
    })
}

pub fn lesen(session: &Session) -> Result<KasseEinstellung> {
    session.require(&[Role::FinasLesen])?;
    session.db.read(|sql| lesen_in(sql, &session.mandant.id))
}

fn gegenkonto_pruefen(
    sql: &mut dyn Sql,
    mandant: &str,
    feld: &str,
    nr: &str,
    klasse: i64,
) -> Result<String> {
    let k = stamm::konto_in(sql, mandant, nr.trim())
        .map_err(|e| KisError::field(feld, e.to_string()))?;
    if i64::from(k.klasse) != klasse {
        return Err(KisError::field(
            feld,
            format!("Konto {} gehört nicht zur Kontenklasse {klasse}.", k.nr),
        ));
    }
    Ok(k.nr)
}

/// Set the settings inside the caller's transaction (checked, audited).
pub fn setzen_in(sql: &mut dyn Sql, actor: &Actor, e: &KasseEinstellung) -> Result<()> {
    let neu = KasseEinstellung {
        glaeubiger_id: bank::glaeubiger_id_pruefen("glaeubiger_id", &e.glaeubiger_id)?,
        kontoinhaber: e.kontoinhaber.trim().to_string(),
        iban: bank::iban_pruefen("iban", &e.iban)?,
        bic: bank::bic_pruefen("bic", &e.bic)?,
        forderungskonto: gegenkonto_pruefen(
            sql,
            &actor.mandant,
            "forderungskonto",
            &e.forderungskonto,
            1,
        )?,
        verbindlichkeitskonto: gegenkonto_pruefen(
            sql,
            &actor.mandant,
            "verbindlichkeitskonto",
            &e.verbindlichkeitskonto,
            3,
        )?,
        bankkonto: if e.bankkonto.trim().is_empty() {
            String::new()
        } else {
            gegenkonto_pruefen(sql, &actor.mandant, "bankkonto", &e.bankkonto, 1)?
        },
        verwahrkonto: if e.verwahrkonto.trim().is_empty() {
            String::new()
        } else {
            gegenkonto_pruefen(sql, &actor.mandant, "verwahrkonto", &e.verwahrkonto, 3)?
        },
        entgeltkonto: if e.entgeltkonto.trim().is_empty() {
            String::new()
        } else {
            gegenkonto_pruefen(sql, &actor.mandant, "entgeltkonto", &e.entgeltkonto, 5)?
        },
        tilgungsfolge: super::kontoauszug::Forderungsart::folge_pruefen(&e.tilgungsfolge)?,
    };
    if neu.kontoinhaber.is_empty() {
        return Err(KisError::field(
            "kontoinhaber",
            "Bitte den Kontoinhaber angeben.",
        ));
    }
    let vorher = repo::lesen(sql, &actor.mandant)?;
    repo::schreiben(sql, &actor.mandant, &neu)?;
    audit::append(
        sql,
        actor,
        "KASSE_EINSTELLUNG",
        ENTITY,
        &actor.mandant,
        vorher.map(|v| json!(v)).as_ref(),
        Some(&audit::json(&neu)?),
    )?;
    Ok(())
}
