//! Changes reported by the Standesamt or decided by the Meldebehörde:
//! Geburt, Sterbefall, Eheschließung/Lebenspartnerschaft, Scheidung/
//! Aufhebung, Namensänderung and Berichtigung (§12 BMG).

use chrono::NaiveDate;
use serde_json::json;

use super::meldung::ENTITY;
use super::model::*;
use super::{fortschreibung, personendaten, repo};
use crate::core::date::{age_on, format_date_de};
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::session::Session;

fn not_future(d: NaiveDate, heute: NaiveDate, field: &str, what: &str) -> Result<()> {
    if d > heute {
        return Err(KisError::field(
            field,
            format!("{what} darf nicht in der Zukunft liegen."),
        ));
    }
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Geburt {
    pub kind: PersonDaten,
    pub mutter: Option<i64>,
    pub vater: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GeburtErgebnis {
    Erfasst { person_id: i64 },
}

/// A birth reported by the Standesamt: the child is registered at the
/// mother's (else the father's) Hauptwohnung here and linked to the parents.
/// Without a parent in the register the message goes to the clarification
/// list and the registration is refused.
pub fn geburt(session: &Session, g: &Geburt) -> Result<GeburtErgebnis> {
    session.require(&[Role::EwosAendern])?;
    let heute = session.today();
    let kind = personendaten::validate_daten(&g.kind, heute)?;
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let v = Vorgang {
        actor: &actor,
        quelle: "Geburt",
        gueltig_ab: kind.geburtsdatum,
        bemerkung: String::new(),
    };
    let parents: Vec<i64> = g.mutter.iter().chain(g.vater.iter()).copied().collect();
    let found = session.db.write(|sql| {
        // The parent whose Hauptwohnung here the child gets, mother first.
        let mut wohnung = None;
        let mut eltern = Vec::new();
        for &pid in &parents {
            let Ok(p) = repo::person::load_person(sql, mandant, pid) else {
                continue;
            };
            if p.archiviert {
                continue;
            }
            if p.daten.geburtsdatum >= kind.geburtsdatum {
                return Err(KisError::field(
                    "mutter",
                    format!("{} ist nicht vor dem Kind geboren.", p.daten.voller_name()),
                ));
            }
            if wohnung.is_none() && p.status == Status::Aktiv {
                // The child is registered where the parent lives on the day of birth.
                wohnung = repo::wohnung::wohnungen_am(sql, mandant, pid, kind.geburtsdatum)?
                    .into_iter()
                    .find(|w| w.art == WohnungsArt::Haupt && w.adresse.is_some());
            }
            eltern.push(pid);
        }
        let Some(w) = wohnung else {
            return Ok(None);
        };
        let id = repo::zaehler::next_id(sql, mandant, "person")?;
        repo::person::insert_person(sql, mandant, id, &kind, "", "")?;
        let p = repo::person::load_person(sql, mandant, id)?;
        fortschreibung::history_diff_in(sql, &v, None, &p)?;
        let adresse = w
            .adresse
            .clone()
            .ok_or_else(|| KisError::validation("Wohnung ohne Anschrift"))?;
        let haushalt = repo::zaehler::next_id(sql, mandant, "haushalt")?;
        fortschreibung::insert_wohnung_in(
            sql,
            &v,
            &NeueWohnung {
                person_id: id,
                art: WohnungsArt::Haupt,
                adresse: &adresse,
                einzug: kind.geburtsdatum,
                anmeldedatum: heute,
                verspaetet: false,
                wgb: None,
                haushalt,
            },
        )?;
        // A newborn needs no Wohnungsgeberbestätigung: it moves in with its parents.
        repo::wohnung::clear_wgb_flag(sql, mandant, id)?;
        for pid in eltern {
            repo::bindung::insert_bindung(
                sql,
                mandant,
                BindungsArt::Eltern,
                pid,
                id,
                Some(kind.geburtsdatum),
            )?;
        }
        audit::append(
            sql,
            &actor,
            "GEBURT",
            ENTITY,
            &format_om(id),
            None,
            Some(&audit::json(&p)?),
        )?;
        Ok(Some(id))
    })?;
    match found {
        Some(person_id) => Ok(GeburtErgebnis::Erfasst { person_id }),
        None => {
            let daten = json!({"kind": kind, "mutter": g.mutter, "vater": g.vater}).to_string();
            session.db.write(|sql| {
                repo::klaerung::insert_klaerung(
                    sql,
                    &actor,
                    "GEBURT",
                    &daten,
                    "Kein Elternteil mit Hauptwohnung im Melderegister.",
                )
            })?;
            Err(KisError::Conflict(
                "Das Kind kann nicht angemeldet werden: kein Elternteil mit Hauptwohnung im Melderegister. Die Geburtsmeldung steht in der Klärungsliste.".into(),
            ))
        }
    }
}

#[derive(Clone, Debug)]
pub struct Sterbefall {
    pub person_id: i64,
    pub sterbedatum: NaiveDate,
    pub sterbeort: String,
}

/// A death: status verstorben, dwellings and links end, the spouse or
/// partner becomes verwitwet / Lebenspartnerschaft durch Tod aufgelöst.
pub fn sterbefall(session: &Session, s: &Sterbefall) -> Result<()> {
    session.require(&[Role::EwosAendern])?;
    not_future(
        s.sterbedatum,
        session.today(),
        "sterbedatum",
        "Das Sterbedatum",
    )?;
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let v = Vorgang {
        actor: &actor,
        quelle: "Sterbefall",
        gueltig_ab: s.sterbedatum,
        bemerkung: String::new(),
    };
    session.db.write(|sql| {
        let mut p = fortschreibung::load_for_change_in(sql, mandant, s.person_id)?;
        if p.status == Status::Verstorben {
            return Err(KisError::Conflict(format!(
                "{} ist bereits als verstorben eingetragen.",
                p.daten.voller_name()
            )));
        }
        if s.sterbedatum < p.daten.geburtsdatum {
            return Err(KisError::field(
                "sterbedatum",
                "Das Sterbedatum liegt vor dem Geburtsdatum.",
            ));
        }
        let before = p.clone();
        for w in repo::wohnung::offene_wohnungen(sql, mandant, p.id)? {
            fortschreibung::end_wohnung_in(sql, &v, &w, s.sterbedatum, None)?;
        }
        for a in repo::bindung::angehoerige(sql, mandant, p.id)? {
            if a.bis.is_some() {
                continue;
            }
            repo::bindung::end_bindung(sql, mandant, a.bindung_id, s.sterbedatum)?;
            let neu = match a.art {
                BindungsArt::Ehe => "VW",
                BindungsArt::Lebenspartnerschaft => "LV",
                _ => continue,
            };
            let mut partner = repo::person::load_person(sql, mandant, a.person_id)?;
            let pb = partner.clone();
            partner.daten.familienstand = neu.into();
            partner.daten.familienstand_datum = Some(s.sterbedatum);
            partner.daten.familienstand_ort = s.sterbeort.trim().to_string();
            partner.daten.familienstand_staat.clear();
            fortschreibung::save_person_in(sql, mandant, &partner, None)?;
            fortschreibung::history_diff_in(sql, &v, Some(&pb), &partner)?;
            audit::append(
                sql,
                &actor,
                "FAMILIENSTAND",
                ENTITY,
                &format_om(partner.id),
                None,
                Some(&json!({"familienstand": neu})),
            )?;
        }
        p.status = Status::Verstorben;
        p.status_datum = Some(s.sterbedatum);
        p.sterbedatum = Some(s.sterbedatum);
        p.sterbeort = s.sterbeort.trim().to_string();
        fortschreibung::save_changed_in(sql, &v, &before, &p)?;
        audit::append(
            sql,
            &actor,
            "STERBEFALL",
            ENTITY,
            &format_om(p.id),
            None,
            Some(&json!({"sterbedatum": s.sterbedatum.to_string()})),
        )?;
        Ok(())
    })
}

#[derive(Clone, Debug)]
pub struct Eheschliessung {
    pub person_a: i64,
    pub person_b: i64,
    pub datum: NaiveDate,
    pub ort: String,
    pub staat: String,
    pub lebenspartnerschaft: bool,
    /// The Ehename, if the spouses chose one; who bears another name takes it.
    pub ehename: Option<String>,
}

/// Marriage or registered partnership: both persons change in one transaction.
pub fn eheschliessung(session: &Session, e: &Eheschliessung) -> Result<()> {
    session.require(&[Role::EwosAendern])?;
    not_future(
        e.datum,
        session.today(),
        "datum",
        "Das Datum der Eheschließung",
    )?;
    if e.person_a == e.person_b {
        return Err(KisError::field(
            "person_b",
            "Eine Person kann nicht mit sich selbst die Ehe schließen.",
        ));
    }
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let quelle = if e.lebenspartnerschaft {
        "Lebenspartnerschaft"
    } else {
        "Eheschließung"
    };
    let v = Vorgang {
        actor: &actor,
        quelle,
        gueltig_ab: e.datum,
        bemerkung: String::new(),
    };
    session.db.write(|sql| {
        let mut ps = Vec::new();
        for id in [e.person_a, e.person_b] {
            let p = fortschreibung::load_for_change_in(sql, mandant, id)?;
            p.ensure_bewegbar()?;
            if matches!(p.daten.familienstand.as_str(), "VH" | "LP") {
                return Err(KisError::Conflict(format!(
                    "{} ist bereits verheiratet bzw. verpartnert.",
                    p.daten.voller_name()
                )));
            }
            if age_on(p.daten.geburtsdatum, e.datum) < 18 {
                return Err(KisError::Conflict(format!(
                    "{} war am {} nicht volljährig (§ 1303 BGB).",
                    p.daten.voller_name(),
                    format_date_de(e.datum)
                )));
            }
            ps.push(p);
        }
        let art = if e.lebenspartnerschaft {
            BindungsArt::Lebenspartnerschaft
        } else {
            BindungsArt::Ehe
        };
        repo::bindung::insert_bindung(sql, mandant, art, e.person_a, e.person_b, Some(e.datum))?;
        let ehename = e
            .ehename
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        for mut p in ps {
            let before = p.clone();
            if let Some(name) = ehename
                && p.daten.familienname != name
            {
                let art = if p.daten.geburtsname().is_none() && p.daten.familienstand == "LD" {
                    'G'
                } else {
                    'E'
                };
                let alt = std::mem::replace(&mut p.daten.familienname, name.to_string());
                p.daten.fruehere_namen.push(FruehererName {
                    art,
                    name: alt,
                    bis: Some(e.datum),
                });
            }
            p.daten.familienstand = if e.lebenspartnerschaft { "LP" } else { "VH" }.into();
            p.daten.familienstand_datum = Some(e.datum);
            p.daten.familienstand_ort = e.ort.trim().to_string();
            p.daten.familienstand_staat = e.staat.trim().to_string();
            fortschreibung::save_changed_in(sql, &v, &before, &p)?;
            audit::append(
                sql,
                &actor,
                "EHESCHLIESSUNG",
                ENTITY,
                &format_om(p.id),
                Some(&audit::json(&before)?),
                Some(&audit::json(&p)?),
            )?;
        }
        Ok(())
    })
}

#[derive(Clone, Debug)]
pub struct Scheidung {
    pub person_a: i64,
    pub person_b: i64,
    pub datum: NaiveDate,
    /// Aufhebung of the marriage instead of divorce.
    pub aufhebung: bool,
}

pub fn scheidung(session: &Session, s: &Scheidung) -> Result<()> {
    session.require(&[Role::EwosAendern])?;
    not_future(s.datum, session.today(), "datum", "Das Datum der Scheidung")?;
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let v = Vorgang {
        actor: &actor,
        quelle: "Scheidung",
        gueltig_ab: s.datum,
        bemerkung: String::new(),
    };
    session.db.write(|sql| {
        let link = repo::bindung::angehoerige(sql, mandant, s.person_a)?
            .into_iter()
            .find(|a| a.person_id == s.person_b && a.bis.is_none() && matches!(a.art, BindungsArt::Ehe | BindungsArt::Lebenspartnerschaft))
            .ok_or_else(|| KisError::Conflict("Die beiden Personen sind im Melderegister nicht miteinander verheiratet oder verpartnert.".into()))?;
        repo::bindung::end_bindung(sql, mandant, link.bindung_id, s.datum)?;
        let neu = match (link.art, s.aufhebung) {
            (BindungsArt::Lebenspartnerschaft, _) => "LA",
            (_, true) => "EA",
            _ => "GS",
        };
        for id in [s.person_a, s.person_b] {
            let mut p = fortschreibung::load_for_change_in(sql, mandant, id)?;
            let before = p.clone();
            p.daten.familienstand = neu.into();
            p.daten.familienstand_datum = Some(s.datum);
            fortschreibung::save_changed_in(sql, &v, &before, &p)?;
            audit::append(sql, &actor, "SCHEIDUNG", ENTITY, &format_om(id), None, Some(&json!({"familienstand": neu})))?;
        }
        Ok(())
    })
}

#[derive(Clone, Debug)]
pub struct Namensaenderung {
    pub person_id: i64,
    pub familienname: String,
    /// New first names, if they change too.
    pub vornamen: Option<String>,
    pub datum: NaiveDate,
    pub grund: String,
}

/// A change of name: the old name becomes a früherer Name.
pub fn namensaenderung(session: &Session, n: &Namensaenderung) -> Result<()> {
    session.require(&[Role::EwosAendern])?;
    not_future(
        n.datum,
        session.today(),
        "datum",
        "Das Datum der Namensänderung",
    )?;
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let v = Vorgang {
        actor: &actor,
        quelle: "Namensänderung",
        gueltig_ab: n.datum,
        bemerkung: n.grund.trim().to_string(),
    };
    session.db.write(|sql| {
        let mut p = fortschreibung::load_for_change_in(sql, mandant, n.person_id)?;
        p.ensure_bewegbar()?;
        let before = p.clone();
        let neu = n.familienname.trim();
        if neu.is_empty() {
            return Err(KisError::field(
                "familienname",
                "Bitte den neuen Familiennamen angeben.",
            ));
        }
        if neu != p.daten.familienname {
            let alt = std::mem::replace(&mut p.daten.familienname, neu.to_string());
            let art = if p.daten.geburtsname().is_none() && p.daten.familienstand == "LD" {
                'G'
            } else {
                'F'
            };
            p.daten.fruehere_namen.push(FruehererName {
                art,
                name: alt,
                bis: Some(n.datum),
            });
        }
        if let Some(vn) = &n.vornamen {
            p.daten.vornamen = vn.clone();
            if !p
                .daten
                .vornamen
                .split_whitespace()
                .any(|x| x == p.daten.rufname)
            {
                p.daten.rufname.clear();
            }
        }
        p.daten = personendaten::validate_daten(&p.daten, session.today())?;
        fortschreibung::save_changed_in(sql, &v, &before, &p)?;
        audit::append(
            sql,
            &actor,
            "NAMENSAENDERUNG",
            ENTITY,
            &format_om(p.id),
            Some(&audit::json(&before)?),
            Some(&audit::json(&p)?),
        )?;
        Ok(())
    })
}

/// Berichtigung (§12 BMG): correct wrong data; kept in the history with the reason.
/// `version` is the version the clerk loaded.
pub fn berichtigung(
    session: &Session,
    person_id: i64,
    version: i64,
    daten: &PersonDaten,
    grund: &str,
) -> Result<i64> {
    session.require(&[Role::EwosAendern])?;
    if grund.trim().is_empty() {
        return Err(KisError::field(
            "grund",
            "Bitte den Grund der Berichtigung angeben (§ 12 BMG).",
        ));
    }
    let daten = personendaten::validate_daten(daten, session.today())?;
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let v = Vorgang {
        actor: &actor,
        quelle: "Berichtigung §12",
        gueltig_ab: session.today(),
        bemerkung: grund.trim().to_string(),
    };
    session.db.write(|sql| {
        let mut p = fortschreibung::load_for_change_in(sql, mandant, person_id)?;
        let before = p.clone();
        p.daten = daten.clone();
        fortschreibung::save_person_in(sql, mandant, &p, Some(version))?;
        fortschreibung::history_diff_in(sql, &v, Some(&before), &p)?;
        audit::append(
            sql,
            &actor,
            "BERICHTIGUNG",
            ENTITY,
            &format_om(p.id),
            Some(&audit::json(&before)?),
            Some(&audit::json(&p)?),
        )?;
        Ok(version + 1)
    })
}
