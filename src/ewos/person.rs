//! Reading a person (current state, dwellings, family, Sperren, history,
//! documents), the Sperren service and the Meldebescheinigung (§18 BMG).

use chrono::{Months, NaiveDate};
use serde_json::json;

use super::dokumente::{BescheinigungsDaten, Zusatz, meldebescheinigung};
use super::meldung::ENTITY;
use super::model::*;
use super::{fortschreibung, repo};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::session::Session;

/// Everything the person mask shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ansicht {
    pub person: Person,
    pub wohnungen: Vec<Wohnung>,
    pub angehoerige: Vec<Angehoeriger>,
    pub sperren: Vec<Sperre>,
    /// The day whose state it shows.
    pub heute: NaiveDate,
}

impl Ansicht {
    /// The dwellings lived in on the day of the view (one announced for a
    /// later Einzug is not among them yet).
    pub fn aktuelle_wohnungen(&self) -> Vec<Wohnung> {
        self.wohnungen
            .iter()
            .filter(|w| w.bewohnt_am(self.heute))
            .cloned()
            .collect()
    }

    /// The lines shown prominently above the person's data: Sperren in force
    /// and the status if the person no longer lives here.
    pub fn warnungen(&self, heute: NaiveDate) -> Vec<String> {
        let mut out: Vec<String> = self
            .sperren
            .iter()
            .filter(|s| s.gilt_am(heute))
            .map(|s| {
                let bis = s
                    .bis
                    .map(|b| format!(" bis {}", crate::core::date::format_date_de(b)))
                    .unwrap_or_default();
                format!("{}{bis}", s.art.label())
            })
            .collect();
        if self.person.status != Status::Aktiv {
            let seit = self
                .person
                .status_datum
                .map(|d| format!(" seit {}", crate::core::date::format_date_de(d)))
                .unwrap_or_default();
            out.push(format!("Status: {}{seit}", self.person.status.label()));
        }
        out
    }
}

fn lesbar(session: &Session, p: &Person) -> Result<()> {
    if p.archiviert && !session.has(Role::EwosArchiv) {
        return Err(KisError::Permission(format!(
            "Person {} ist nach § 14 Abs. 2 BMG archiviert; Zugriff nur mit der Rolle {}.",
            p.ordnungsmerkmal(),
            Role::EwosArchiv.label()
        )));
    }
    Ok(())
}

pub fn anzeigen(session: &Session, id: i64) -> Result<Ansicht> {
    session.require(&[Role::EwosLesen, Role::EwosArchiv])?;
    let mandant = session.mandant.id.as_str();
    session.db.read(|sql| {
        let person = repo::person::load_person(sql, mandant, id)?;
        lesbar(session, &person)?;
        Ok(Ansicht {
            wohnungen: repo::wohnung::wohnungen(sql, mandant, id)?,
            angehoerige: repo::bindung::angehoerige(sql, mandant, id)?,
            sperren: repo::sperren::sperren(sql, mandant, id)?,
            person,
            heute: session.today(),
        })
    })
}

pub fn historie(session: &Session, id: i64) -> Result<Vec<HistEintrag>> {
    session.require(&[Role::EwosLesen, Role::EwosArchiv])?;
    let mandant = session.mandant.id.as_str();
    session.db.read(|sql| {
        let p = repo::person::load_person(sql, mandant, id)?;
        lesbar(session, &p)?;
        repo::historie::load(sql, mandant, id)
    })
}

pub fn dokumente(session: &Session, id: i64) -> Result<Vec<Dokument>> {
    session.require(&[Role::EwosLesen])?;
    session
        .db
        .read(|sql| repo::dokumente::dokumente(sql, &session.mandant.id, id))
}

/// Enter a Sperre. A §51 Auskunftssperre without end runs two years (§51(4) BMG).
pub fn sperre_eintragen(session: &Session, person_id: i64, s: &Sperre) -> Result<i64> {
    session.require(&[Role::EwosAendern])?;
    if s.grund.trim().is_empty() {
        return Err(KisError::field(
            "grund",
            "Bitte den Grund der Sperre angeben.",
        ));
    }
    let mut s = s.clone();
    if s.art == SperrArt::Auskunft51 && s.bis.is_none() {
        s.bis =
            s.ab.checked_add_months(Months::new(24))
                .and_then(|d| d.pred_opt());
    }
    if s.bis.is_some_and(|b| b < s.ab) {
        return Err(KisError::field(
            "bis",
            "Das Ende der Sperre liegt vor ihrem Beginn.",
        ));
    }
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    session.db.write(|sql| {
        let p = fortschreibung::load_for_change_in(sql, mandant, person_id)?;
        // The same kind twice for overlapping periods is one Sperre entered
        // twice: refused, the existing one is extended or ended instead.
        if let Some(x) = repo::sperren::sperren(sql, mandant, p.id)?
            .into_iter()
            .find(|x| x.art == s.art && ueberlappen(x, &s))
        {
            let bis = x
                .bis
                .map(|b| format!(" bis {}", format_date_de(b)))
                .unwrap_or_else(|| " unbefristet".into());
            return Err(KisError::field(
                "art",
                format!(
                    "Für Person {} ist bereits „{}“ ab {}{bis} eingetragen. Eine zweite gleiche Sperre für einen überschneidenden Zeitraum ist nicht möglich – bitte die vorhandene beenden und neu eintragen.",
                    p.ordnungsmerkmal(),
                    s.art.label(),
                    format_date_de(x.ab)
                ),
            ));
        }
        let id = repo::sperren::insert_sperre(sql, &actor, p.id, &s)?;
        let v = Vorgang {
            actor: &actor,
            quelle: "Sperre",
            gueltig_ab: s.ab,
            bemerkung: s.grund.trim().to_string(),
        };
        repo::historie::insert(sql, &v, p.id, "Sperre", None, Some(s.art.label()))?;
        audit::append(
            sql,
            &actor,
            "SPERRE",
            ENTITY,
            &format_om(p.id),
            None,
            Some(&audit::json(&s)?),
        )?;
        Ok(id)
    })
}

/// Two validity periods share at least one day (an open end runs forever).
fn ueberlappen(a: &Sperre, b: &Sperre) -> bool {
    a.bis.is_none_or(|e| b.ab <= e) && b.bis.is_none_or(|e| a.ab <= e)
}

/// End a Sperre on `bis` (before lifting a §51 block the person is to be heard).
pub fn sperre_beenden(
    session: &Session,
    person_id: i64,
    sperre_id: i64,
    bis: NaiveDate,
) -> Result<()> {
    session.require(&[Role::EwosAendern])?;
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    session.db.write(|sql| {
        let s = repo::sperren::sperren(sql, mandant, person_id)?
            .into_iter()
            .find(|s| s.id == sperre_id)
            .ok_or_else(|| {
                KisError::NotFound("Diese Sperre gibt es bei der Person nicht.".into())
            })?;
        repo::sperren::set_bis(sql, mandant, sperre_id, bis)?;
        let v = Vorgang {
            actor: &actor,
            quelle: "Sperre",
            gueltig_ab: bis,
            bemerkung: String::new(),
        };
        repo::historie::insert(
            sql,
            &v,
            person_id,
            "Sperre",
            Some(s.art.label()),
            Some("beendet"),
        )?;
        audit::append(
            sql,
            &actor,
            "SPERRE_ENDE",
            ENTITY,
            &format_om(person_id),
            Some(&audit::json(&s)?),
            Some(&json!({"bis": bis.to_string()})),
        )?;
        Ok(())
    })
}

/// Issue a Meldebescheinigung (einfach with no `zusaetze`); kept as a document.
pub fn bescheinigung(session: &Session, person_id: i64, zusaetze: &[Zusatz]) -> Result<String> {
    bescheinigung_ausgeben(session, person_id, zusaetze, &mut |_| Ok(()))
}

/// Like [`bescheinigung`], handing the text to `ausgeben` (write the file,
/// print it) inside the transaction that keeps the document and writes the
/// audit entry: if the output fails, nothing is recorded as issued.
pub fn bescheinigung_ausgeben(
    session: &Session,
    person_id: i64,
    zusaetze: &[Zusatz],
    ausgeben: &mut dyn FnMut(&str) -> Result<()>,
) -> Result<String> {
    session.require(&[Role::EwosLesen])?;
    let heute = session.today();
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let behoerde = session.mandant.anschrift.clone();
    session.db.write(|sql| {
        let person = repo::person::load_person(sql, mandant, person_id)?;
        lesbar(session, &person)?;
        let alle = repo::wohnung::wohnungen(sql, mandant, person_id)?;
        // Today's state: a dwelling counts from its Einzug.
        let (aktuell, rest): (Vec<Wohnung>, Vec<Wohnung>) =
            alle.into_iter().partition(|w| w.bewohnt_am(heute));
        let (kuenftig, frueher): (Vec<Wohnung>, Vec<Wohnung>) =
            rest.into_iter().partition(|w| w.kuenftig_am(heute));
        let angehoerige = repo::bindung::angehoerige(sql, mandant, person_id)?;
        let text = meldebescheinigung(
            &behoerde,
            heute,
            &BescheinigungsDaten {
                person: &person,
                wohnungen: &aktuell,
                kuenftige: &kuenftig,
                fruehere: &frueher,
                angehoerige: &angehoerige,
            },
            zusaetze,
        );
        let art = if zusaetze.is_empty() {
            "MELDEBESCHEINIGUNG"
        } else {
            "MELDEBESCHEINIGUNG_ERW"
        };
        repo::dokumente::store_dokument(sql, &actor, person_id, art, &text)?;
        audit::append(sql, &actor, art, ENTITY, &format_om(person_id), None, None)?;
        ausgeben(&text)?;
        Ok(text)
    })
}

/// The Sperre the clerk should consider for a person who lives at an address
/// where someone with an Auskunftssperre lives (§51(1) BMG covers the
/// persons living with the endangered person: a newborn, a household
/// member moving in) and who has no such Sperre of their own. Until it is
/// entered (EWO180, `kis ewos sperre`) no Auskunft gives out that address.
pub fn sperrvorschlag_in(
    sql: &mut dyn crate::store::Sql,
    mandant: &str,
    person_id: i64,
    heute: NaiveDate,
) -> Result<Option<Sperre>> {
    if repo::sperren::sperren(sql, mandant, person_id)?
        .iter()
        .any(|s| s.art.sperrt_auskunft() && s.bis.is_none_or(|b| b >= heute))
    {
        return Ok(None);
    }
    for w in repo::wohnung::wohnungen_ab(sql, mandant, person_id, heute)? {
        if let Some(a) = &w.adresse
            && let Some((bewohner, s)) = repo::sperren::adresse_gesperrt(sql, mandant, a, heute)?
            && bewohner != person_id
        {
            return Ok(Some(Sperre {
                id: 0,
                art: s.art,
                grund: format!(
                    "Lebt mit Person {} zusammen, für die eine {} besteht (§ 51 Abs. 1 BMG)",
                    format_om(bewohner),
                    s.art.label()
                ),
                behoerde: s.behoerde.clone(),
                ab: heute,
                bis: s.bis,
            }));
        }
    }
    Ok(None)
}

/// [`sperrvorschlag_in`] as a service for the masks.
pub fn sperrvorschlag(session: &Session, person_id: i64) -> Result<Option<Sperre>> {
    session.require(&[Role::EwosLesen])?;
    let heute = session.today();
    session
        .db
        .read(|sql| sperrvorschlag_in(sql, &session.mandant.id, person_id, heute))
}

/// The clerk's note for a proposed Sperre.
pub fn sperrvorschlag_hinweis(person_id: i64, s: &Sperre) -> String {
    let bis = s
        .bis
        .map(|b| format!(" bis {}", crate::core::date::format_date_de(b)))
        .unwrap_or_default();
    format!(
        "Sperre vorgeschlagen für {}: {} ({}{bis}) – bitte mit EWO180 eintragen; bis dahin wird über diese Anschrift keine Auskunft erteilt.",
        format_om(person_id),
        s.art.code(),
        s.grund
    )
}

/// The person's entries in the audit log (EWO200 F9), for the readers of
/// the register; an archived person only with the archive role.
pub fn protokoll(session: &Session, id: i64) -> Result<Vec<audit::AuditEntry>> {
    session.require(&[Role::EwosLesen, Role::EwosArchiv])?;
    let mandant = session.mandant.id.as_str();
    session.db.read(|sql| {
        let p = repo::person::load_person(sql, mandant, id)?;
        lesbar(session, &p)?;
        audit::for_record(sql, mandant, ENTITY, &format_om(id))
    })
}
