//! The kameral plan in outline, for Mandanten that still budget kameral:
//! Ansätze per Haushaltsstelle (Gliederung + Gruppierung) in the same plan
//! versions, summed into Verwaltungs- and Vermögenshaushalt. The Zuführung
//! (Gruppierung 86 → 30, and back 90 → 28) links both; each part must balance.

use std::fmt::Write as _;

use super::repo;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

/// Set the Ansatz of a Haushaltsstelle (e.g. `0300.6500`) in a draft version.
pub fn ansatz_setzen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    version: i64,
    gliederung: &str,
    gruppierung: &str,
    betrag: Money,
) -> Result<()> {
    let m = actor.mandant.as_str();
    let status = repo::plan::version_status(sql, m, jahr, version)?.ok_or_else(|| {
        KisError::NotFound(format!(
            "Planversion {version} für {jahr} ist nicht vorhanden."
        ))
    })?;
    if status != "ENTWURF" {
        return Err(KisError::Conflict(
            "Die Planversion ist beschlossen; bitte einen Nachtrag anlegen.".into(),
        ));
    }
    if betrag.is_negative() {
        return Err(KisError::field("betrag", "Ansätze sind nicht negativ."));
    }
    for (plan, nr, key) in [
        (repo::kameral::Plan::Gliederung, gliederung, "gliederung"),
        (repo::kameral::Plan::Gruppierung, gruppierung, "gruppierung"),
    ] {
        if !repo::kameral::vorhanden(sql, plan, m, nr)? {
            return Err(KisError::field(
                key,
                format!("{nr} ist im Gliederungs- bzw. Gruppierungsplan nicht vorhanden."),
            ));
        }
    }
    repo::kameral::ansatz_schreiben(sql, m, jahr, version, gliederung, gruppierung, betrag)?;
    audit::append(
        sql,
        actor,
        "ANSATZ",
        "fin_kameral_ansatz",
        &format!("{jahr}/{version}/{gliederung}.{gruppierung}"),
        None,
        Some(&serde_json::json!({"betrag": betrag})),
    )?;
    Ok(())
}

/// Einnahmen and Ausgaben of Verwaltungs- (V) and Vermögenshaushalt (W), in cents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gesamtplan {
    pub v_einnahmen: i64,
    pub v_ausgaben: i64,
    pub w_einnahmen: i64,
    pub w_ausgaben: i64,
}

impl Gesamtplan {
    pub fn ausgeglichen(&self) -> bool {
        self.v_einnahmen == self.v_ausgaben && self.w_einnahmen == self.w_ausgaben
    }
}

pub fn gesamtplan_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
) -> Result<Gesamtplan> {
    let mut g = Gesamtplan::default();
    for (haushalt, art, b) in repo::kameral::summen(sql, mandant, jahr, version)? {
        match (haushalt.as_str(), art.as_str()) {
            ("V", "E") => g.v_einnahmen += b,
            ("V", _) => g.v_ausgaben += b,
            (_, "E") => g.w_einnahmen += b,
            _ => g.w_ausgaben += b,
        }
    }
    Ok(g)
}

pub fn gesamtplan(session: &Session, jahr: i32, version: i64) -> Result<Gesamtplan> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| gesamtplan_in(sql, &session.mandant.id, jahr, version))
}

pub fn gesamtplan_text(jahr: i32, g: &Gesamtplan) -> String {
    let e = |c: i64| Money::from_cents(c).format_de();
    let mut s = format!("Haushaltsplan {jahr} (kameral) – Gesamtplan\n\n");
    let _ = writeln!(
        s,
        "{:<24} {:>18} {:>18} {:>18}",
        "", "Einnahmen", "Ausgaben", "Differenz"
    );
    let _ = writeln!(
        s,
        "{:<24} {:>18} {:>18} {:>18}",
        "Verwaltungshaushalt",
        e(g.v_einnahmen),
        e(g.v_ausgaben),
        e(g.v_einnahmen - g.v_ausgaben)
    );
    let _ = writeln!(
        s,
        "{:<24} {:>18} {:>18} {:>18}",
        "Vermögenshaushalt",
        e(g.w_einnahmen),
        e(g.w_ausgaben),
        e(g.w_einnahmen - g.w_ausgaben)
    );
    let _ = writeln!(
        s,
        "\n{}",
        if g.ausgeglichen() {
            "Der Haushalt ist ausgeglichen."
        } else {
            "Der Haushalt ist NICHT ausgeglichen."
        }
    );
    s
}
