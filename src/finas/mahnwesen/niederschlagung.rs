//! Niederschlagung and Erlass: the two decisions that stop collecting a
//! claim, recorded with who, when and why. Role: FINAS_ANORDNUNG.
//!
//! - **Niederschlagung** (an internal measure: collection would fail or
//!   cost more than it brings): the claim stays on the Personenkonto and
//!   can be revived; while it lasts its items are neither dunned nor handed
//!   to the Vollstreckung. Befristet (until a day, e.g. while the debtor is
//!   known to be without means) nothing is posted; unbefristet the open
//!   rest is written down (Abschreibung auf Forderungen an Forderung), and
//!   a revival writes back what is still open (Forderung an Ertrag).
//! - **Erlass** (AO § 227, or the Gemeindeordnung for other claims): the
//!   claim ends. The amount is taken off the due date's Soll and posted as
//!   Aufwand (Abschreibung auf Forderungen an Forderung).

use chrono::NaiveDate;
use serde_json::json;

use super::mahnlauf::einstellung_in;
use super::model::{Erlass, Niederschlagung, NiederschlagungArt};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::journal::{self, BuchungInput, ZeileInput};
use crate::finas::kasse::model::{Anordnung, AnordnungArt, AnordnungStatus};
use crate::finas::repo::kasse::anordnung as anordnung_repo;
use crate::finas::repo::stundung as repo;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

fn grund_pruefen(grund: &str, was: &str) -> Result<String> {
    let g = grund.trim();
    if g.is_empty() {
        return Err(KisError::field(
            "grund",
            format!("Bitte den Grund der {was} angeben."),
        ));
    }
    Ok(g.to_string())
}

fn forderung_in(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Anordnung> {
    let a = anordnung_repo::lesen(sql, mandant, nr)
        .map_err(|e| KisError::field("anordnung", e.to_string()))?;
    if a.art != AnordnungArt::Annahme || a.status != AnordnungStatus::Freigegeben {
        return Err(KisError::field(
            "anordnung",
            format!("Anordnung {nr} ist keine freigegebene Annahmeanordnung."),
        ));
    }
    Ok(a)
}

fn buchen(
    sql: &mut dyn Sql,
    actor: &Actor,
    beleg: String,
    text: String,
    soll: (&str, Option<&str>),
    haben: (&str, Option<&str>),
    betrag: Money,
) -> Result<i64> {
    Ok(journal::buchen_in(
        sql,
        actor,
        &BuchungInput {
            datum: actor.at.date(),
            periode: None,
            beleg,
            text,
            zeilen: vec![
                ZeileInput::soll(soll.0, soll.1, betrag),
                ZeileInput::haben(haben.0, haben.1, betrag),
            ],
        },
    )?
    .nr)
}

/// Niederschlagen the open claims of Anordnung `nr`: befristet until `bis`,
/// or unbefristet (`bis` None) with the write-down. Returns its number.
pub fn niederschlagen(
    session: &Session,
    nr: i64,
    bis: Option<NaiveDate>,
    grund: &str,
) -> Result<i64> {
    session.require(&[Role::FinasAnordnung])?;
    let grund = grund_pruefen(grund, "Niederschlagung")?;
    let actor = session.actor();
    if bis.is_some_and(|b| b <= actor.at.date()) {
        return Err(KisError::field(
            "bis",
            "Eine befristete Niederschlagung endet nach dem heutigen Tag.",
        ));
    }
    session.db.write(|sql| {
        let a = forderung_in(sql, &actor.mandant, nr)?;
        if repo::niedergeschlagen(sql, &actor.mandant, nr, actor.at.date())? {
            return Err(KisError::Conflict(format!(
                "Anordnung {nr} ist bereits niedergeschlagen."
            )));
        }
        let offen: i64 = anordnung_repo::faelligkeiten(sql, &actor.mandant, nr)?
            .iter()
            .map(|z| z.rest().cents())
            .sum();
        if offen <= 0 {
            return Err(KisError::Conflict(format!(
                "Auf Anordnung {nr} ist nichts mehr offen."
            )));
        }
        let betrag = Money::from_cents(offen);
        let e = einstellung_in(sql, &actor.mandant)?;
        let id = journal::nummern_in(sql, &actor.mandant, "NIEDERSCHLAGUNG", 1)?;
        let art = if bis.is_some() {
            NiederschlagungArt::Befristet
        } else {
            NiederschlagungArt::Unbefristet
        };
        let buchung = match art {
            NiederschlagungArt::Befristet => None,
            NiederschlagungArt::Unbefristet => Some(buchen(
                sql,
                &actor,
                format!("NS{id}"),
                format!("Unbefristete Niederschlagung {id} zu {}", a.kassenzeichen),
                (&e.abschreibungskonto, Some(&a.produkt)),
                (&a.gegenkonto, None),
                betrag,
            )?),
        };
        let n = Niederschlagung {
            id,
            anordnung: nr,
            art,
            bis,
            betrag,
            grund,
            buchung,
            erfasst_von: actor.user.clone(),
            erfasst_am: actor.stempel(),
            wieder_von: None,
            wieder_am: None,
            wieder_grund: None,
            wieder_buchung: None,
        };
        repo::niederschlagung_einfuegen(sql, &actor.mandant, &n)?;
        audit::append(
            sql,
            &actor,
            "NIEDERSCHLAGUNG",
            "fin_niederschlagung",
            &id.to_string(),
            None,
            Some(&json!(n)),
        )?;
        Ok(id)
    })
}

/// Revive a Niederschlagung (the claim is collected again); an unbefristete
/// one writes back what is still open. Returns the write-back Buchung.
pub fn wiederaufnehmen(session: &Session, id: i64, grund: &str) -> Result<Option<i64>> {
    session.require(&[Role::FinasAnordnung])?;
    let grund = grund_pruefen(grund, "Wiederaufnahme")?;
    let actor = session.actor();
    session.db.write(|sql| {
        let n = repo::niederschlagung(sql, &actor.mandant, id)?;
        if n.wieder_am.is_some() {
            return Err(KisError::Conflict(format!(
                "Niederschlagung {id} ist bereits wieder aufgenommen."
            )));
        }
        let a = anordnung_repo::lesen(sql, &actor.mandant, n.anordnung)?;
        let offen: i64 = anordnung_repo::faelligkeiten(sql, &actor.mandant, n.anordnung)?
            .iter()
            .map(|z| z.rest().cents())
            .sum();
        let zurueck = Money::from_cents(offen.min(n.betrag.cents()).max(0));
        let buchung = match (n.art, zurueck.is_positive()) {
            (NiederschlagungArt::Unbefristet, true) => {
                let e = einstellung_in(sql, &actor.mandant)?;
                Some(buchen(
                    sql,
                    &actor,
                    format!("NS{id}"),
                    format!(
                        "Wiederaufnahme der Niederschlagung {id} zu {}",
                        a.kassenzeichen
                    ),
                    (&a.gegenkonto, None),
                    (&e.wertaufholungskonto, Some(&a.produkt)),
                    zurueck,
                )?)
            }
            _ => None,
        };
        if !repo::wiederaufnehmen(
            sql,
            &actor.mandant,
            id,
            &actor.user,
            &actor.stempel(),
            &grund,
            buchung,
        )? {
            return Err(KisError::Conflict(format!(
                "Niederschlagung {id} wurde inzwischen bearbeitet."
            )));
        }
        audit::append(
            sql,
            &actor,
            "NIEDERSCHLAGUNG_WIEDERAUFNAHME",
            "fin_niederschlagung",
            &id.to_string(),
            Some(&json!({"wieder_am": null})),
            Some(&json!({"grund": grund, "buchung": buchung, "zurueck": zurueck.cents()})),
        )?;
        Ok(buchung)
    })
}

/// Erlass of Anordnung `nr`: of `betrag` of due date `lfd`, or of the whole
/// open rest of that due date (`betrag` None), or of every open due date
/// (`lfd` None). Returns the Erlasse recorded.
pub fn erlassen(
    session: &Session,
    nr: i64,
    lfd: Option<i64>,
    betrag: Option<Money>,
    grund: &str,
) -> Result<Vec<Erlass>> {
    session.require(&[Role::FinasAnordnung])?;
    let grund = grund_pruefen(grund, "Erlasses")?;
    if betrag.is_some() && lfd.is_none() {
        return Err(KisError::field(
            "betrag",
            "Ein Teilerlass nennt die Fälligkeit (lfd), auf die er sich bezieht.",
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        let a = forderung_in(sql, &actor.mandant, nr)?;
        let e = einstellung_in(sql, &actor.mandant)?;
        let zeilen = anordnung_repo::faelligkeiten(sql, &actor.mandant, nr)?;
        let mut ziel = Vec::new();
        for z in &zeilen {
            if lfd.is_some_and(|l| l != z.lfd) || !z.rest().is_positive() {
                continue;
            }
            let b = betrag.unwrap_or(z.rest());
            if !b.is_positive() || b > z.rest() {
                return Err(KisError::field(
                    "betrag",
                    format!(
                        "Der Erlass über {} € ist nicht möglich: offen sind {} € (Fälligkeit {} vom {}).",
                        b.format_de(),
                        z.rest().format_de(),
                        z.lfd,
                        format_date_de(z.faellig)
                    ),
                ));
            }
            ziel.push((z.clone(), b));
        }
        if ziel.is_empty() {
            return Err(KisError::Conflict(match lfd {
                Some(l) => format!("Fälligkeit {l} der Anordnung {nr} ist nicht offen."),
                None => format!("Auf Anordnung {nr} ist nichts mehr offen."),
            }));
        }
        let mut out = Vec::new();
        for (z, b) in ziel {
            let id = journal::nummern_in(sql, &actor.mandant, "ERLASS", 1)?;
            if !anordnung_repo::absetzen(sql, &actor.mandant, nr, z.lfd, b)? {
                return Err(KisError::Conflict(format!("Anordnung {nr} wurde inzwischen bearbeitet. Bitte neu laden.")));
            }
            let buchung = buchen(
                sql,
                &actor,
                format!("ER{id}"),
                format!("Erlass {id} (§ 227 AO) zu {}", a.kassenzeichen),
                (&e.abschreibungskonto, Some(&a.produkt)),
                (&a.gegenkonto, None),
                b,
            )?;
            let er = Erlass {
                id,
                anordnung: nr,
                lfd: z.lfd,
                betrag: b,
                grund: grund.clone(),
                buchung,
                erfasst_von: actor.user.clone(),
                erfasst_am: actor.stempel(),
            };
            repo::erlass_einfuegen(sql, &actor.mandant, &er)?;
            audit::append(
                sql,
                &actor,
                "ERLASS",
                "fin_erlass",
                &id.to_string(),
                Some(&json!({"faelligkeit": z.lfd, "offen": z.rest().cents()})),
                Some(&json!(er)),
            )?;
            out.push(er);
        }
        Ok(out)
    })
}

/// Niederschlagungen and Erlasse, newest first (of one Anordnung when given).
pub fn entscheidungen(
    session: &Session,
    anordnung: Option<i64>,
) -> Result<(Vec<Niederschlagung>, Vec<Erlass>)> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session.db.read(|sql| {
        Ok((
            repo::niederschlagungen(sql, &session.mandant.id, anordnung)?,
            repo::erlasse(sql, &session.mandant.id, anordnung)?,
        ))
    })
}
