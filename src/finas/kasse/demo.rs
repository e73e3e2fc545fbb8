//! The Kasse of the demo municipality: the Stadtkasse's settings and bank
//! account with its Gläubiger-ID, and Geschäftspartner — firms and
//! residents (linked through the EWOS service, which leaves out whoever
//! the register may not give) — with bank accounts and SEPA mandates.

use chrono::NaiveDate;

use super::einstellung;
use super::model::{KasseEinstellung, PartnerArt, PartnerInput};
use super::partner::{self, MandatInput};
use crate::core::error::{KisError, Result};
use crate::ewos::kasse_partner::{self, Meldestand};
use crate::kernel::audit::Actor;
use crate::store::Sql;

const PARTNER: &str = include_str!("../../../fixtures/musterstadt/finas/kasse_partner.csv");

/// The Bundesbank's example Gläubiger-ID; the Stadtkasse's account at the Sparkasse (Konto 1811).
fn stadtkasse() -> KasseEinstellung {
    KasseEinstellung {
        glaeubiger_id: "DE98ZZZ09999999999".into(),
        kontoinhaber: "Stadtkasse Musterstadt".into(),
        iban: "DE95440501990000001811".into(),
        bic: "DORTDE33XXX".into(),
        forderungskonto: "1211".into(),
        verbindlichkeitskonto: "3511".into(),
        bankkonto: "1811".into(),
        // NKF-Kontenrahmen NRW (fixtures/musterstadt/finas/kontenrahmen_nw.csv),
        // Kontengruppe 37 Sonstige Verbindlichkeiten: 3721 "Durchlaufende
        // Gelder und Verwahrgelder".
        verwahrkonto: "3721".into(),
        entgeltkonto: "5431".into(),
        tilgungsfolge: "HKZS".into(),
    }
}

/// Load the Kasse's demo data inside the demo loader's transaction.
pub fn load_demo_in(sql: &mut dyn Sql, actor: &Actor) -> Result<()> {
    einstellung::setzen_in(sql, actor, &stadtkasse())?;
    let unterschrieben = NaiveDate::from_ymd_opt(2025, 1, 15)
        .ok_or_else(|| KisError::validation("Mandatsdatum ungültig."))?;
    for (i, r) in crate::core::csv_import::fixture_rows(PARTNER, "kasse_partner.csv")?
        .iter()
        .enumerate()
    {
        let bad =
            |what: &str| KisError::validation(format!("kasse_partner.csv Zeile {}: {what}", i + 5));
        let col = |n: usize| r.get(n).map(str::trim).unwrap_or_default();
        let art = PartnerArt::parse(col(0)).map_err(|_| bad("Art ungültig."))?;
        let input = if art == PartnerArt::Firma {
            PartnerInput {
                art: Some(art),
                name: col(1).into(),
                strasse: col(2).into(),
                plz: col(3).into(),
                ort: col(4).into(),
                ..Default::default()
            }
        } else {
            let om: i64 = col(5)
                .parse()
                .map_err(|_| bad("Ordnungsmerkmal ungültig."))?;
            // Only residents the register may give to the Kasse become partners.
            let Meldestand::Gemeldet(m) =
                kasse_partner::meldestand_in(sql, &actor.mandant, om, actor.at.date())?
            else {
                continue;
            };
            PartnerInput {
                art: Some(art),
                name: m.familienname,
                ewos_person: Some(om),
                ..Default::default()
            }
        };
        let id = partner::anlegen_in(sql, actor, &input)?;
        partner::bank_hinzufuegen_in(sql, actor, id, col(6), col(7), "")?;
        if !col(8).is_empty() {
            partner::mandat_anlegen_in(
                sql,
                actor,
                id,
                &MandatInput {
                    referenz: col(8).into(),
                    iban: col(6).into(),
                    unterschrieben,
                    wiederkehrend: true,
                },
            )?;
        }
    }
    Ok(())
}
