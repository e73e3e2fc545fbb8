//! Meldevorgänge of the residents: Anmeldung (single and household, §17(1),
//! §19, §22 BMG), Ummeldung within the municipality, Abmeldung (§17(2)) and
//! Wegzug from the new municipality's Rückmeldung (§33).

use chrono::{Days, NaiveDate};
use serde_json::json;

use super::dokumente::{Meldeart, meldebestaetigung};
use super::model::*;
use super::{fortschreibung, personendaten, repo};
use crate::core::collation::search_key;
use crate::core::date::{add_months, format_date_de};
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "ewo_person";

/// §17(1) BMG: register within two weeks after moving in.
pub const ANMELDEFRIST_TAGE: u64 = 14;
/// How far ahead of the move an Anmeldung may be recorded.
pub const VORLAUF_MONATE: i32 = 3;

/// A person of an Anmeldung: new to the register, or already in it.
// A household has a handful of persons: boxing the data would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum AnmeldePerson {
    Neu(PersonDaten),
    Vorhanden(i64),
}

/// §22 BMG decision when a person with a Hauptwohnung here registers a new
/// Hauptwohnung: what becomes of the old one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entscheidung22 {
    AlteWirdNebenwohnung,
    AlteWirdAufgegeben,
}

#[derive(Clone, Debug)]
pub struct Anmeldung {
    pub einzug: NaiveDate,
    /// Day of the Anmeldung; today if not given.
    pub anmeldedatum: Option<NaiveDate>,
    pub adresse: Adresse,
    pub art: WohnungsArt,
    pub herkunft: Herkunft,
    pub wohnungsgeber: Option<Wohnungsgeber>,
    pub personen: Vec<AnmeldePerson>,
    /// Family links among the persons: (index a, index b, kind); for
    /// `Eltern`, a is the parent.
    pub bindungen: Vec<(usize, usize, BindungsArt)>,
    pub entscheidung22: Option<Entscheidung22>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ergebnis {
    pub person_ids: Vec<i64>,
    /// Amtliche Meldebestätigungen, one per person.
    pub bestaetigungen: Vec<String>,
    /// Flags and reminders for the clerk (verspätete Anmeldung, missing
    /// Wohnungsgeberbestätigung, …).
    pub hinweise: Vec<String>,
    pub verspaetet: bool,
    pub wgb_fehlt: bool,
}

pub const HINWEIS_VERSPAETET: &str = "verspätete Anmeldung";

fn check_einzug(einzug: NaiveDate, heute: NaiveDate) -> Result<()> {
    if einzug > add_months(heute, VORLAUF_MONATE) {
        return Err(KisError::field(
            "einzug",
            format!(
                "Der Einzug am {} liegt mehr als {VORLAUF_MONATE} Monate in der Zukunft – eine Anmeldung ist frühestens {VORLAUF_MONATE} Monate vorher möglich.",
                format_date_de(einzug)
            ),
        ));
    }
    Ok(())
}

fn check_anmeldedatum(anmeldedatum: NaiveDate, heute: NaiveDate) -> Result<()> {
    if anmeldedatum > heute {
        return Err(KisError::field(
            "anmeldedatum",
            "Das Datum der Anmeldung darf nicht in der Zukunft liegen.",
        ));
    }
    Ok(())
}

fn ist_verspaetet(einzug: NaiveDate, anmeldedatum: NaiveDate) -> bool {
    einzug
        .checked_add_days(Days::new(ANMELDEFRIST_TAGE))
        .is_some_and(|frist| anmeldedatum > frist)
}

fn herkunft_texte(h: &Herkunft) -> Result<(String, String)> {
    match h {
        Herkunft::Inland {
            anschrift,
            gemeinde,
        } => {
            if anschrift.trim().is_empty() || gemeinde.trim().is_empty() {
                return Err(KisError::field(
                    "vorher",
                    "Bitte die bisherige Anschrift und Gemeinde angeben (bei Zuzug aus dem Ausland den Staat).",
                ));
            }
            Ok((
                format!("{}, {}", anschrift.trim(), gemeinde.trim()),
                String::new(),
            ))
        }
        Herkunft::Ausland { staat } => {
            if staat.trim().is_empty() {
                return Err(KisError::field(
                    "vorher",
                    "Bei Zuzug aus dem Ausland bitte den Staat angeben.",
                ));
            }
            Ok((String::new(), staat.trim().to_string()))
        }
    }
}

/// Anmeldung of one person or a household in one transaction.
pub fn anmelden(session: &Session, a: &Anmeldung) -> Result<Ergebnis> {
    session.require(&[Role::EwosAendern])?;
    let heute = session.today();
    if a.personen.is_empty() {
        return Err(KisError::field(
            "personen",
            "Bitte mindestens eine Person angeben.",
        ));
    }
    check_einzug(a.einzug, heute)?;
    let anmeldedatum = a.anmeldedatum.unwrap_or(heute);
    check_anmeldedatum(anmeldedatum, heute)?;
    // Where the person comes from matters for new residents; a resident who
    // adds or changes a dwelling here keeps the Zuzug data of the register
    // (returning former residents are checked in the transaction below).
    let neu = a
        .personen
        .iter()
        .any(|p| matches!(p, AnmeldePerson::Neu(_)));
    let herkunft = if neu {
        Some(herkunft_texte(&a.herkunft)?)
    } else {
        herkunft_texte(&a.herkunft).ok()
    };
    if a.art == WohnungsArt::Neben
        && matches!(a.herkunft, Herkunft::Ausland { .. })
        && a.personen
            .iter()
            .any(|p| matches!(p, AnmeldePerson::Neu(_)))
    {
        return Err(KisError::field(
            "art",
            "Wer aus dem Ausland zuzieht, hat keine weitere Wohnung im Inland: die Wohnung ist als alleinige Wohnung (Hauptwohnung) anzumelden (§ 21 BMG).",
        ));
    }
    for &(x, y, _) in &a.bindungen {
        if x >= a.personen.len() || y >= a.personen.len() || x == y {
            return Err(KisError::field(
                "bindungen",
                "Familienbeziehung verweist auf eine Person, die nicht angemeldet wird.",
            ));
        }
    }
    let daten: Vec<Option<PersonDaten>> = a
        .personen
        .iter()
        .map(|p| match p {
            AnmeldePerson::Neu(d) => personendaten::validate_daten(d, heute).map(Some),
            AnmeldePerson::Vorhanden(_) => Ok(None),
        })
        .collect::<Result<_>>()?;
    let verspaetet = ist_verspaetet(a.einzug, anmeldedatum);
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let behoerde = session.mandant.anschrift.clone();
    let v = Vorgang {
        actor: &actor,
        quelle: "Anmeldung",
        gueltig_ab: a.einzug,
        bemerkung: String::new(),
    };
    session.db.write(|sql| {
        let anschrift = fortschreibung::check_adresse_in(sql, mandant, &a.adresse)?;
        let haushalt = repo::zaehler::next_id(sql, mandant, "haushalt")?;
        let mut ids = Vec::new();
        let mut hinweise = Vec::new();
        for (p, d) in a.personen.iter().zip(&daten) {
            let id = match (p, d) {
                (AnmeldePerson::Neu(_), Some(d)) => {
                    if let Some(idnr) = &d.idnr
                        && let Some(vorhanden) = repo::person::aktive_mit_idnr(sql, mandant, idnr)?
                    {
                        return Err(KisError::Conflict(format!(
                            "Die IdNr {idnr} gehört bereits der gemeldeten Person {} – bitte diese Person anmelden statt sie neu anzulegen.",
                            format_om(vorhanden)
                        )));
                    }
                    let id = repo::zaehler::next_id(sql, mandant, "person")?;
                    let (zuzug_von, zuzug_staat) = herkunft.clone().unwrap_or_default();
                    repo::person::insert_person(sql, mandant, id, d, &zuzug_von, &zuzug_staat)?;
                    let p = repo::person::load_person(sql, mandant, id)?;
                    fortschreibung::history_diff_in(sql, &v, None, &p)?;
                    if let Herkunft::Inland { gemeinde, .. } = &a.herkunft {
                        // §33: the previous Meldebehörde learns of the Zuzug.
                        let inhalt = json!({
                            "familienname": d.familienname, "vornamen": d.vornamen,
                            "geburtsdatum": d.geburtsdatum.to_string(), "einzug": a.einzug.to_string(),
                            "neue_anschrift": anschrift, "bisherige_anschrift": herkunft.as_ref().map(|h| h.0.clone()),
                            "wohnungsart": a.art.code(),
                        });
                        repo::uebermittlung::insert_uebermittlung(sql, &actor, "AUS", "RUECKMELDUNG", Some(id), gemeinde.trim(), &inhalt.to_string())?;
                    }
                    audit::append(sql, &actor, "ANMELDUNG", ENTITY, &format_om(id), None, Some(&audit::json(&p)?))?;
                    id
                }
                (AnmeldePerson::Vorhanden(id), _) => {
                    let mut p = repo::person::load_person(sql, mandant, *id)?;
                    p.ensure_bewegbar()?;
                    let before = p.clone();
                    let aktuelle = repo::wohnung::offene_wohnungen(sql, mandant, *id)?;
                    if aktuelle.iter().any(|w| w.adresse.as_ref() == Some(&a.adresse) || w.adresse.as_ref().is_some_and(|x| same_address(x, &a.adresse))) {
                        return Err(KisError::field("strasse", format!("{} ist unter dieser Anschrift bereits gemeldet.", p.daten.voller_name())));
                    }
                    if a.art == WohnungsArt::Haupt
                        && let Some(alte) = aktuelle.iter().find(|w| w.art == WohnungsArt::Haupt)
                    {
                        match a.entscheidung22 {
                            None => {
                                return Err(KisError::field(
                                    "entscheidung22",
                                    format!(
                                        "{} hat bereits eine Hauptwohnung ({}). Eine zweite Hauptwohnung ist nicht möglich: bitte nach § 22 BMG entscheiden, ob die bisherige Nebenwohnung wird oder aufgegeben wird.",
                                        p.daten.voller_name(),
                                        alte.anschrift
                                    ),
                                ));
                            }
                            Some(Entscheidung22::AlteWirdNebenwohnung) => fortschreibung::set_wohnungsart_in(sql, &v, alte, WohnungsArt::Neben)?,
                            Some(Entscheidung22::AlteWirdAufgegeben) => fortschreibung::end_wohnung_in(sql, &v, alte, a.einzug, Some(anmeldedatum))?,
                        }
                    }
                    if p.status != Status::Aktiv {
                        let (zuzug_von, zuzug_staat) = match &herkunft {
                            Some(h) => h.clone(),
                            None => herkunft_texte(&a.herkunft)?,
                        };
                        p.status = Status::Aktiv;
                        p.status_datum = Some(a.einzug);
                        p.zuzug_von = zuzug_von.clone();
                        p.zuzug_staat = zuzug_staat.clone();
                        p.wegzug_nach.clear();
                        p.wegzug_staat.clear();
                        fortschreibung::save_changed_in(sql, &v, &before, &p)?;
                    }
                    audit::append(sql, &actor, "ANMELDUNG", ENTITY, &format_om(*id), None, Some(&json!({"adresse": a.adresse, "art": a.art})))?;
                    *id
                }
                (AnmeldePerson::Neu(_), None) => return Err(KisError::validation("Interner Fehler: Personendaten fehlen.")),
            };
            fortschreibung::insert_wohnung_in(
                sql,
                &v,
                &NeueWohnung {
                    person_id: id,
                    art: a.art,
                    adresse: &a.adresse,
                    einzug: a.einzug,
                    anmeldedatum,
                    verspaetet,
                    wgb: a.wohnungsgeber.as_ref(),
                    haushalt,
                },
            )?;
            ids.push(id);
        }
        for &(x, y, art) in &a.bindungen {
            repo::bindung::insert_bindung(sql, mandant, art, ids[x], ids[y], None)?;
        }
        if verspaetet {
            hinweise.push(format!(
                "{HINWEIS_VERSPAETET}: Einzug {}, Anmeldung {} (Frist zwei Wochen, § 17 Abs. 1 BMG; Ordnungswidrigkeit nach § 54 BMG).",
                format_date_de(a.einzug),
                format_date_de(anmeldedatum)
            ));
        }
        if a.wohnungsgeber.is_none() {
            hinweise.push("Wohnungsgeberbestätigung (§ 19 BMG) fehlt – bitte nachreichen lassen (Erinnerung vorgemerkt).".into());
        }
        for &id in &ids {
            if let Some(vorschlag) = super::person::sperrvorschlag_in(sql, mandant, id, heute)? {
                hinweise.push(super::person::sperrvorschlag_hinweis(id, &vorschlag));
            }
        }
        let mut bestaetigungen = Vec::new();
        for &id in &ids {
            let p = repo::person::load_person(sql, mandant, id)?;
            let aktuelle = repo::wohnung::offene_wohnungen(sql, mandant, id)?;
            let art = aktuelle
                .iter()
                .find(|w| w.einzug == a.einzug && w.adresse.as_ref().is_some_and(|x| same_address(x, &a.adresse)))
                .map(|w| w.bezeichnung(&aktuelle))
                .unwrap_or("Hauptwohnung");
            let text = meldebestaetigung(&behoerde, Meldeart::Anmeldung, &p.daten, a.einzug, anmeldedatum, &anschrift, art);
            repo::dokumente::store_dokument(sql, &actor, id, "MELDEBESTAETIGUNG", &text)?;
            bestaetigungen.push(text);
        }
        Ok(Ergebnis { person_ids: ids, bestaetigungen, hinweise, verspaetet, wgb_fehlt: a.wohnungsgeber.is_none() })
    })
}

fn same_address(a: &Adresse, b: &Adresse) -> bool {
    a.strasse == b.strasse
        && a.hausnummer == b.hausnummer
        && a.zusatz.eq_ignore_ascii_case(b.zusatz.trim())
        && a.lage.trim() == b.lage.trim()
}

#[derive(Clone, Debug)]
pub struct Ummeldung {
    /// The persons moving together (a household keeps its links).
    pub personen: Vec<i64>,
    /// Which dwelling moves (usually the Hauptwohnung).
    pub art: WohnungsArt,
    pub neue_adresse: Adresse,
    pub einzug: NaiveDate,
    pub anmeldedatum: Option<NaiveDate>,
    pub wohnungsgeber: Option<Wohnungsgeber>,
}

/// Move within the municipality: the old dwelling ends the day of the move,
/// the new one starts; the old address stays in the history with its dates.
pub fn ummelden(session: &Session, u: &Ummeldung) -> Result<Ergebnis> {
    session.require(&[Role::EwosAendern])?;
    let heute = session.today();
    if u.personen.is_empty() {
        return Err(KisError::field(
            "personen",
            "Bitte mindestens eine Person angeben.",
        ));
    }
    check_einzug(u.einzug, heute)?;
    let anmeldedatum = u.anmeldedatum.unwrap_or(heute);
    check_anmeldedatum(anmeldedatum, heute)?;
    let verspaetet = ist_verspaetet(u.einzug, anmeldedatum);
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let behoerde = session.mandant.anschrift.clone();
    let v = Vorgang {
        actor: &actor,
        quelle: "Ummeldung",
        gueltig_ab: u.einzug,
        bemerkung: String::new(),
    };
    session.db.write(|sql| {
        let anschrift = fortschreibung::check_adresse_in(sql, mandant, &u.neue_adresse)?;
        let haushalt = repo::zaehler::next_id(sql, mandant, "haushalt")?;
        let mut bestaetigungen = Vec::new();
        for &id in &u.personen {
            let p = repo::person::load_person(sql, mandant, id)?;
            p.ensure_bewegbar()?;
            if p.status != Status::Aktiv {
                return Err(KisError::Conflict(format!(
                    "{} ist nicht in dieser Gemeinde gemeldet (Status {}) – bitte Anmeldung verwenden.",
                    p.daten.voller_name(),
                    p.status.label()
                )));
            }
            let aktuelle = repo::wohnung::offene_wohnungen(sql, mandant, id)?;
            let alte = aktuelle.iter().find(|w| w.art == u.art && w.adresse.is_some()).ok_or_else(|| {
                KisError::Conflict(format!(
                    "{} hat keine {} in dieser Gemeinde, die umgemeldet werden könnte.",
                    p.daten.voller_name(),
                    u.art.label()
                ))
            })?;
            if alte.adresse.as_ref().is_some_and(|x| same_address(x, &u.neue_adresse)) {
                return Err(KisError::field("strasse", "Die neue Anschrift ist dieselbe wie die bisherige."));
            }
            if u.einzug <= alte.einzug {
                return Err(KisError::field("einzug", format!("Der Einzug muss nach dem bisherigen Einzug ({}) liegen.", format_date_de(alte.einzug))));
            }
            fortschreibung::end_wohnung_in(sql, &v, alte, u.einzug, Some(anmeldedatum))?;
            fortschreibung::insert_wohnung_in(
                sql,
                &v,
                &NeueWohnung {
                    person_id: id,
                    art: u.art,
                    adresse: &u.neue_adresse,
                    einzug: u.einzug,
                    anmeldedatum,
                    verspaetet,
                    wgb: u.wohnungsgeber.as_ref(),
                    haushalt,
                },
            )?;
            audit::append(sql, &actor, "UMMELDUNG", ENTITY, &format_om(id), Some(&json!({"anschrift": alte.anschrift})), Some(&json!({"anschrift": anschrift})))?;
            let neue = repo::wohnung::offene_wohnungen(sql, mandant, id)?;
            let art = neue.iter().find(|w| w.einzug == u.einzug).map(|w| w.bezeichnung(&neue)).unwrap_or("Hauptwohnung");
            let text = meldebestaetigung(&behoerde, Meldeart::Anmeldung, &p.daten, u.einzug, anmeldedatum, &anschrift, art);
            repo::dokumente::store_dokument(sql, &actor, id, "MELDEBESTAETIGUNG", &text)?;
            bestaetigungen.push(text);
        }
        let mut hinweise = Vec::new();
        if verspaetet {
            hinweise.push(format!("{HINWEIS_VERSPAETET}: Einzug {}, Anmeldung {}.", format_date_de(u.einzug), format_date_de(anmeldedatum)));
        }
        if u.wohnungsgeber.is_none() {
            hinweise.push("Wohnungsgeberbestätigung (§ 19 BMG) fehlt – bitte nachreichen lassen (Erinnerung vorgemerkt).".into());
        }
        for &id in &u.personen {
            if let Some(vorschlag) = super::person::sperrvorschlag_in(sql, mandant, id, heute)? {
                hinweise.push(super::person::sperrvorschlag_hinweis(id, &vorschlag));
            }
        }
        Ok(Ergebnis { person_ids: u.personen.clone(), bestaetigungen, hinweise, verspaetet, wgb_fehlt: u.wohnungsgeber.is_none() })
    })
}

/// What an Abmeldung gives up (§17(2) BMG).
#[derive(Clone, Debug)]
pub enum Abmeldeart {
    /// Move abroad without a dwelling in Germany: all dwellings end.
    Ausland { staat: String, anschrift: String },
    /// A Nebenwohnung here is given up.
    Nebenwohnung { wohnung_id: i64 },
    /// The person's only Nebenwohnung here is given up (refused if she has
    /// none or several).
    EinzigeNebenwohnung,
}

#[derive(Clone, Debug)]
pub struct Abmeldung {
    pub person_id: i64,
    pub art: Abmeldeart,
    pub auszug: NaiveDate,
    pub abmeldedatum: Option<NaiveDate>,
}

/// §17(2) Satz 3 BMG: an Abmeldung is possible at most one week before the Auszug.
pub const ABMELDUNG_VORLAUF_TAGE: u64 = 7;

pub fn abmelden(session: &Session, a: &Abmeldung) -> Result<Ergebnis> {
    session.require(&[Role::EwosAendern])?;
    let heute = session.today();
    let abmeldedatum = a.abmeldedatum.unwrap_or(heute);
    check_anmeldedatum(abmeldedatum, heute).map_err(|_| {
        KisError::field(
            "abmeldedatum",
            "Das Datum der Abmeldung darf nicht in der Zukunft liegen.",
        )
    })?;
    if heute
        .checked_add_days(Days::new(ABMELDUNG_VORLAUF_TAGE))
        .is_some_and(|grenze| a.auszug > grenze)
    {
        return Err(KisError::field(
            "auszug",
            "Eine Abmeldung ist frühestens eine Woche vor dem Auszug möglich (§ 17 Abs. 2 BMG).",
        ));
    }
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let behoerde = session.mandant.anschrift.clone();
    let v = Vorgang {
        actor: &actor,
        quelle: "Abmeldung",
        gueltig_ab: a.auszug,
        bemerkung: String::new(),
    };
    session.db.write(|sql| {
        let mut p = repo::person::load_person(sql, mandant, a.person_id)?;
        p.ensure_bewegbar()?;
        let before = p.clone();
        let aktuelle = repo::wohnung::offene_wohnungen(sql, mandant, a.person_id)?;
        if aktuelle.is_empty() {
            return Err(KisError::Conflict(format!("{} hat keine Wohnung in dieser Gemeinde.", p.daten.voller_name())));
        }
        let beendet: Vec<Wohnung> = match &a.art {
            Abmeldeart::Ausland { staat, anschrift } => {
                if staat.trim().is_empty() {
                    return Err(KisError::field("staat", "Bitte den Zielstaat angeben."));
                }
                p.status = Status::Weggezogen;
                p.status_datum = Some(a.auszug);
                p.wegzug_staat = staat.trim().to_string();
                p.wegzug_nach = anschrift.trim().to_string();
                aktuelle.clone()
            }
            Abmeldeart::Nebenwohnung { .. } | Abmeldeart::EinzigeNebenwohnung => {
                let wohnung_id = match &a.art {
                    Abmeldeart::Nebenwohnung { wohnung_id } => *wohnung_id,
                    _ => einzige_nebenwohnung(&aktuelle)?,
                };
                let w = aktuelle
                    .iter()
                    .find(|w| w.id == wohnung_id)
                    .ok_or_else(|| KisError::field("wohnung", "Diese Wohnung ist keine aktuelle Wohnung der Person."))?;
                if w.art != WohnungsArt::Neben {
                    return Err(KisError::field(
                        "wohnung",
                        "Nur eine Nebenwohnung kann so abgemeldet werden. Ein Umzug in eine andere Gemeinde wird mit deren Rückmeldung erfasst, ein Umzug ins Ausland als Abmeldung ins Ausland.",
                    ));
                }
                vec![w.clone()]
            }
        };
        for w in &beendet {
            if a.auszug < w.einzug {
                return Err(KisError::field("auszug", format!("Der Auszug liegt vor dem Einzug ({}).", format_date_de(w.einzug))));
            }
            fortschreibung::end_wohnung_in(sql, &v, w, a.auszug, Some(abmeldedatum))?;
        }
        if p.status != before.status {
            fortschreibung::save_changed_in(sql, &v, &before, &p)?;
        }
        audit::append(sql, &actor, "ABMELDUNG", ENTITY, &format_om(p.id), None, Some(&json!({"auszug": a.auszug.to_string(), "wohnungen": beendet.iter().map(|w| w.anschrift.clone()).collect::<Vec<_>>()})))?;
        let mut bestaetigungen = Vec::new();
        for w in &beendet {
            let art = w.bezeichnung(&aktuelle);
            let text = meldebestaetigung(&behoerde, Meldeart::Abmeldung, &p.daten, a.auszug, abmeldedatum, &w.anschrift, art);
            repo::dokumente::store_dokument(sql, &actor, p.id, "MELDEBESTAETIGUNG", &text)?;
            bestaetigungen.push(text);
        }
        Ok(Ergebnis { person_ids: vec![p.id], bestaetigungen, hinweise: Vec::new(), verspaetet: false, wgb_fehlt: false })
    })
}

/// The id of the only Nebenwohnung among a person's current dwellings.
fn einzige_nebenwohnung(aktuelle: &[Wohnung]) -> Result<i64> {
    let neben: Vec<&Wohnung> = aktuelle
        .iter()
        .filter(|w| w.art == WohnungsArt::Neben)
        .collect();
    match neben.as_slice() {
        [w] => Ok(w.id),
        [] => Err(KisError::field(
            "wohnung",
            "Die Person hat keine Nebenwohnung in dieser Gemeinde.",
        )),
        _ => Err(KisError::field(
            "wohnung",
            "Die Person hat mehrere Nebenwohnungen – bitte die Nummer angeben (EWO200).",
        )),
    }
}

/// An incoming Rückmeldung (§33 BMG): the new municipality reports the Zuzug.
#[derive(Clone, Debug)]
pub struct Rueckmeldung {
    pub familienname: String,
    pub vornamen: String,
    pub geburtsdatum: NaiveDate,
    pub einzug: NaiveDate,
    pub neue_anschrift: String,
    pub neue_gemeinde: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WegzugErgebnis {
    Erfasst {
        person_id: i64,
    },
    /// No unambiguous match: the message is on the clarification list.
    Klaerung {
        klaerung_id: i64,
        grund: String,
    },
}

/// Record a Wegzug from a Rückmeldung; matching by name and birth date.
pub fn wegzug(session: &Session, r: &Rueckmeldung) -> Result<WegzugErgebnis> {
    session.require(&[Role::EwosAendern])?;
    if r.einzug > session.today() {
        return Err(KisError::field(
            "einzug",
            "Das Zuzugsdatum der Rückmeldung liegt in der Zukunft.",
        ));
    }
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let v = Vorgang {
        actor: &actor,
        quelle: "Rückmeldung",
        gueltig_ab: r.einzug,
        bemerkung: format!("Zuzug nach {}", r.neue_gemeinde.trim()),
    };
    session.db.write(|sql| {
        let daten = json!({
            "familienname": r.familienname, "vornamen": r.vornamen, "geburtsdatum": r.geburtsdatum.to_string(),
            "einzug": r.einzug.to_string(), "neue_anschrift": r.neue_anschrift, "neue_gemeinde": r.neue_gemeinde,
        })
        .to_string();
        repo::uebermittlung::insert_uebermittlung(sql, &actor, "EIN", "RUECKMELDUNG", None, r.neue_gemeinde.trim(), &daten)?;
        let kandidaten = kandidaten_in(sql, mandant, &r.familienname, r.geburtsdatum)?;
        let passend: Vec<&(i64, String, String)> =
            kandidaten.iter().filter(|(_, vn, status)| search_key(vn) == search_key(&r.vornamen) && status == "aktiv").collect();
        let grund = match (kandidaten.len(), passend.len()) {
            (_, 1) => None,
            (0, _) => Some("Keine Person mit diesem Namen und Geburtsdatum im Melderegister.".to_string()),
            (_, 0) => Some("Name und Geburtsdatum passen, aber Vornamen oder Status weichen ab.".to_string()),
            (_, n) => Some(format!("{n} Personen passen zu Name, Vornamen und Geburtsdatum.")),
        };
        if let Some(grund) = grund {
            let id = repo::klaerung::insert_klaerung(sql, &actor, "WEGZUG", &daten, &grund)?;
            return Ok(WegzugErgebnis::Klaerung { klaerung_id: id, grund });
        }
        let id = passend[0].0;
        let mut p = repo::person::load_person(sql, mandant, id)?;
        p.ensure_bewegbar()?;
        let before = p.clone();
        for w in repo::wohnung::offene_wohnungen(sql, mandant, id)? {
            fortschreibung::end_wohnung_in(sql, &v, &w, r.einzug, None)?;
        }
        p.status = Status::Weggezogen;
        p.status_datum = Some(r.einzug);
        p.wegzug_nach = format!("{}, {}", r.neue_anschrift.trim(), r.neue_gemeinde.trim());
        fortschreibung::save_changed_in(sql, &v, &before, &p)?;
        audit::append(sql, &actor, "WEGZUG", ENTITY, &format_om(id), None, Some(&json!({"nach": p.wegzug_nach})))?;
        Ok(WegzugErgebnis::Erfasst { person_id: id })
    })
}

/// Persons whose current or former name equals `name` (search key) and who
/// were born on `geburtsdatum`: (id, Vornamen, status).
pub fn kandidaten_in(
    sql: &mut dyn Sql,
    mandant: &str,
    name: &str,
    geburtsdatum: NaiveDate,
) -> Result<Vec<(i64, String, String)>> {
    repo::person::mit_name_und_geburt(sql, mandant, &search_key(name.trim()), geburtsdatum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_registration_is_after_two_weeks() {
        let d = |m, t| NaiveDate::from_ymd_opt(2026, m, t).unwrap();
        assert!(!ist_verspaetet(d(3, 1), d(3, 5)));
        assert!(!ist_verspaetet(d(3, 1), d(3, 15)));
        assert!(ist_verspaetet(d(3, 1), d(3, 16)));
        assert!(ist_verspaetet(d(3, 1), d(3, 20)));
    }

    #[test]
    fn move_in_at_most_three_months_ahead() {
        let heute = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert!(check_einzug(NaiveDate::from_ymd_opt(2026, 6, 5).unwrap(), heute).is_ok());
        assert!(check_einzug(NaiveDate::from_ymd_opt(2026, 6, 6).unwrap(), heute).is_err());
    }
}
