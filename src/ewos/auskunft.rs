//! Melderegisterauskunft (einfache §44, erweiterte §45 BMG) with the
//! exactly-one-match rule, Auskunftssperren (§51, §52) and the protocol of
//! every Auskunft and refusal (§40).

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde_json::json;

use super::model::*;
use super::repo;
use crate::core::collation::search_key;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::core::sanitize::sanitize_line;
use crate::kernel::audit;
use crate::kernel::session::Session;
use crate::store::Sql;

/// The answer for zero or several hits — and, so that the requester cannot
/// tell a blocked person from an unknown one (§51(2) BMG), for a blocked one.
pub const NEUTRALE_ANTWORT: &str = "Zu den angegebenen Daten ist keine eindeutige Identifizierung möglich.\nEine Melderegisterauskunft kann daher nicht erteilt werden.";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuskunftArt {
    Einfach,
    Erweitert,
}

impl AuskunftArt {
    pub fn code(self) -> &'static str {
        match self {
            AuskunftArt::Einfach => "EINFACH44",
            AuskunftArt::Erweitert => "ERWEITERT45",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Anfrage {
    pub art: AuskunftArt,
    pub anfragender: String,
    pub zweck: String,
    /// The data are used for a commercial purpose (§44(1) Satz 2 BMG).
    pub gewerblich: bool,
    /// The requester declares not to use the data for advertising or address
    /// trading (§44(3) Nr. 2 BMG).
    pub keine_werbung: bool,
    /// §45: the berechtigte Interesse made credible.
    pub berechtigtes_interesse: String,
    pub familienname: String,
    pub frueherer_name: String,
    pub vornamen: String,
    pub geburtsdatum: Option<NaiveDate>,
    pub geschlecht: Option<Geschlecht>,
    pub strasse: Option<String>,
    pub hausnummer: Option<u32>,
    /// Answer as of this day (default today).
    pub stichtag: Option<NaiveDate>,
}

impl Anfrage {
    pub fn einfach(anfragender: &str, zweck: &str, familienname: &str) -> Self {
        Anfrage {
            art: AuskunftArt::Einfach,
            anfragender: anfragender.into(),
            zweck: zweck.into(),
            gewerblich: false,
            keine_werbung: true,
            berechtigtes_interesse: String::new(),
            familienname: familienname.into(),
            frueherer_name: String::new(),
            vornamen: String::new(),
            geburtsdatum: None,
            geschlecht: None,
            strasse: None,
            hausnummer: None,
            stichtag: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ausgang {
    Erteilt {
        person_id: i64,
    },
    NichtEindeutig {
        treffer: usize,
    },
    /// Refused because of a Sperre; `grund` is for the clerk only.
    Gesperrt {
        person_id: i64,
        grund: String,
    },
}

impl Ausgang {
    fn code(&self) -> &'static str {
        match self {
            Ausgang::Erteilt { .. } => "ERTEILT",
            Ausgang::NichtEindeutig { .. } => "KEINE_EINDEUTIGE_IDENTIFIZIERUNG",
            Ausgang::Gesperrt { .. } => "VERWEIGERT_SPERRE",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Antwort {
    pub ausgang: Ausgang,
    /// The text for the requester.
    pub text: String,
    /// What the clerk sees (the real reason).
    pub intern: String,
    /// The data items given out (for the protocol).
    pub daten: Vec<String>,
    pub protokoll_id: i64,
}

fn validate(a: &Anfrage) -> Result<()> {
    if a.anfragender.trim().is_empty() {
        return Err(KisError::field(
            "anfragender",
            "Bitte den Anfragenden angeben.",
        ));
    }
    if a.zweck.trim().is_empty() {
        return Err(KisError::field(
            "zweck",
            "Bitte den Zweck der Anfrage angeben.",
        ));
    }
    if a.gewerblich && !a.keine_werbung {
        return Err(KisError::field(
            "keine_werbung",
            "Bei gewerblichen Anfragen muss erklärt werden, dass die Daten nicht für Werbung oder Adresshandel verwendet werden (§ 44 Abs. 3 BMG).",
        ));
    }
    if a.art == AuskunftArt::Erweitert && a.berechtigtes_interesse.trim().is_empty() {
        return Err(KisError::field(
            "interesse",
            "Die erweiterte Auskunft setzt ein glaubhaft gemachtes berechtigtes Interesse voraus (§ 45 BMG).",
        ));
    }
    if a.familienname.trim().is_empty() {
        return Err(KisError::field(
            "familienname",
            "Bitte den Familiennamen angeben.",
        ));
    }
    let weitere = [
        !a.frueherer_name.trim().is_empty(),
        !a.vornamen.trim().is_empty(),
        a.geburtsdatum.is_some(),
        a.geschlecht.is_some(),
        a.strasse.is_some(),
    ];
    if !weitere.iter().any(|x| *x) {
        return Err(KisError::field(
            "vornamen",
            "Neben dem Familiennamen ist mindestens ein weiteres Merkmal nötig: früherer Name, Vornamen, Geburtsdatum, Geschlecht oder Anschrift.",
        ));
    }
    Ok(())
}

/// Persons matching every item of the request (archived persons excluded).
fn matches(sql: &mut dyn Sql, mandant: &str, a: &Anfrage, stichtag: NaiveDate) -> Result<Vec<i64>> {
    let ids = repo::person::mit_name(sql, mandant, &search_key(a.familienname.trim()))?;
    let mut out = Vec::new();
    for id in ids {
        let p = repo::person::load_person(sql, mandant, id)?;
        let d = &p.daten;
        if let Some(g) = a.geburtsdatum
            && d.geburtsdatum != g
        {
            continue;
        }
        if let Some(g) = a.geschlecht
            && d.geschlecht != g
        {
            continue;
        }
        let vn: Vec<String> = d.vornamen.split_whitespace().map(search_key).collect();
        if !a
            .vornamen
            .split_whitespace()
            .all(|x| vn.contains(&search_key(x)))
        {
            continue;
        }
        if !a.frueherer_name.trim().is_empty()
            && !d
                .fruehere_namen
                .iter()
                .any(|n| search_key(&n.name) == search_key(a.frueherer_name.trim()))
        {
            continue;
        }
        if let Some(s) = &a.strasse {
            let wohnt = repo::wohnung::wohnungen(sql, mandant, id)?.iter().any(|w| {
                w.einzug <= stichtag
                    && w.adresse.as_ref().is_some_and(|x| {
                        &x.strasse == s && a.hausnummer.is_none_or(|h| h == x.hausnummer)
                    })
            });
            if !wohnt {
                continue;
            }
        }
        out.push(id);
    }
    Ok(out)
}

/// The person's own Sperre that blocks an Auskunft today, if any.
fn eigene_sperre(
    sql: &mut dyn Sql,
    mandant: &str,
    person_id: i64,
    heute: NaiveDate,
) -> Result<Option<Sperre>> {
    Ok(repo::sperren::sperren(sql, mandant, person_id)?
        .into_iter()
        .find(|s| s.gilt_am(heute) && s.art.sperrt_auskunft()))
}

/// The real reason of a refusal, for the clerk and the protocol.
fn sperr_grund(s: &Sperre) -> String {
    format!(
        "{}: {}{}",
        s.art.label(),
        s.grund,
        if s.behoerde.is_empty() {
            String::new()
        } else {
            format!(" (veranlasst von {})", s.behoerde)
        }
    )
}

/// §51(1) Satz 3 / §52 BMG: the blocked person (and the authority that
/// caused the block) learns of the request.
fn sperre_mitteilen(
    sql: &mut dyn Sql,
    actor: &crate::kernel::audit::Actor,
    behoerde: &str,
    heute: NaiveDate,
    a: &Anfrage,
    person_id: i64,
    s: &Sperre,
) -> Result<()> {
    let mitteilung = format!(
        "{behoerde}\nMeldebehörde\n\nMitteilung über eine Anfrage zu Ihrer Person\n\nAm {} wurde eine Melderegisterauskunft über Sie beantragt.\nAnfragender: {}\nZweck: {}\nWegen der eingetragenen Sperre wurde keine Auskunft erteilt.{}\n",
        format_date_de(heute),
        sanitize_line(a.anfragender.trim()),
        sanitize_line(a.zweck.trim()),
        if s.art == SperrArt::Bedingt52 {
            "\nVor einer Auskunft werden Sie angehört (§ 52 BMG)."
        } else {
            ""
        }
    );
    repo::dokumente::store_dokument(sql, actor, person_id, "MITTEILUNG_SPERRE", &mitteilung)?;
    if !s.behoerde.is_empty() {
        repo::uebermittlung::insert_uebermittlung(
            sql,
            actor,
            "AUS",
            "MITTEILUNG_SPERRE",
            Some(person_id),
            &s.behoerde,
            &mitteilung,
        )?;
    }
    Ok(())
}

fn feld(out: &mut String, daten: &mut Vec<String>, label: &str, value: &str) {
    let _ = writeln!(out, "{:<26}{}", format!("{label}:"), sanitize_line(value));
    if !daten.iter().any(|d| d == label) {
        daten.push(label.to_string());
    }
}

/// One row of the § 40 protocol of an Auskunft: the request's data are the
/// same for the person asked about and for every relative shown with her.
struct Eintrag<'a> {
    actor: &'a audit::Actor,
    anfrage: &'a Anfrage,
    suchdaten: &'a str,
}

impl Eintrag<'_> {
    fn schreiben(
        &self,
        sql: &mut dyn Sql,
        person_id: Option<i64>,
        daten: &str,
        ergebnis: &str,
        grund: &str,
        informiert: bool,
    ) -> Result<i64> {
        let anfragender = sanitize_line(self.anfrage.anfragender.trim());
        let zweck = sanitize_line(self.anfrage.zweck.trim());
        repo::auskunft::insert_protokoll(
            sql,
            self.actor,
            &ProtokollZeile {
                person_id,
                art: self.anfrage.art.code(),
                anfragender: &anfragender,
                zweck: &zweck,
                suchdaten: self.suchdaten,
                daten,
                ergebnis,
                grund,
                informiert,
            },
        )
    }
}

/// Give (or refuse) a Melderegisterauskunft and protocol it.
pub fn auskunft(session: &Session, a: &Anfrage) -> Result<Antwort> {
    session.require(&[Role::EwosLesen])?;
    validate(a)?;
    let heute = session.today();
    let stichtag = a.stichtag.unwrap_or(heute);
    if stichtag > heute {
        return Err(KisError::field(
            "stichtag",
            "Der Stichtag darf nicht in der Zukunft liegen.",
        ));
    }
    let actor = session.actor();
    let mandant = session.mandant.id.as_str();
    let behoerde = session.mandant.anschrift.clone();
    session.db.write(|sql| {
        let treffer = matches(sql, mandant, a, stichtag)?;
        let suchdaten = json!({
            "familienname": a.familienname, "frueherer_name": a.frueherer_name, "vornamen": a.vornamen,
            "geburtsdatum": a.geburtsdatum.map(|d| d.to_string()), "geschlecht": a.geschlecht.map(|g| g.code()),
            "strasse": a.strasse, "hausnummer": a.hausnummer, "stichtag": stichtag.to_string(),
        })
        .to_string();
        let mut daten = Vec::new();
        let mut informiert = false;
        // Relatives whose data were asked for: (person, data, result, reason, informed).
        let mut angehoerige: Vec<(i64, String, &str, String, bool)> = Vec::new();
        let (ausgang, text, intern) = if treffer.len() != 1 {
            let n = treffer.len();
            (Ausgang::NichtEindeutig { treffer: n }, NEUTRALE_ANTWORT.to_string(), format!("{n} Treffer – keine eindeutige Identifizierung."))
        } else {
            let id = treffer[0];
            let p = repo::person::load_person(sql, mandant, id)?;
            let sperre = eigene_sperre(sql, mandant, id, heute)?;
            let alle = repo::wohnung::wohnungen(sql, mandant, id)?;
            let am: Vec<&Wohnung> = alle.iter().filter(|w| w.bewohnt_am(stichtag)).collect();
            // §51(1) BMG protects the persons living with the endangered
            // person: no Auskunft gives out an address where someone with
            // an Auskunftssperre lives (newborns, household members, …).
            let mut geschuetzt = None;
            if sperre.is_none() {
                for w in &am {
                    if let Some(a) = &w.adresse
                        && let Some((bewohner, s)) = repo::sperren::adresse_gesperrt(sql, mandant, a, heute)?
                    {
                        geschuetzt = Some((w.anschrift.clone(), bewohner, s));
                        break;
                    }
                }
            }
            if let Some(s) = sperre {
                let grund = sperr_grund(&s);
                sperre_mitteilen(sql, &actor, &behoerde, heute, a, id, &s)?;
                informiert = true;
                (Ausgang::Gesperrt { person_id: id, grund: grund.clone() }, NEUTRALE_ANTWORT.to_string(), format!("Auskunft verweigert – {grund}. Die Person wurde benachrichtigt."))
            } else if let Some((anschrift, bewohner, s)) = geschuetzt {
                let grund = format!(
                    "Anschrift {anschrift} geschützt: dort wohnt Person {} mit {} (§ 51 Abs. 1 BMG, Mitbewohner). Bitte eine eigene Sperre für diese Person prüfen",
                    format_om(bewohner),
                    s.art.label()
                );
                (Ausgang::Gesperrt { person_id: id, grund: grund.clone() }, NEUTRALE_ANTWORT.to_string(), format!("Auskunft verweigert – {grund}."))
            } else {
                let mut out = String::new();
                let titel = match a.art {
                    AuskunftArt::Einfach => "Einfache Melderegisterauskunft (§ 44 BMG)",
                    AuskunftArt::Erweitert => "Erweiterte Melderegisterauskunft (§ 45 BMG)",
                };
                let _ = writeln!(out, "{}\nMeldebehörde\n\n{titel}\n{}\nStand: {}\nAnfragender: {}\n", sanitize_line(&behoerde), "=".repeat(titel.chars().count()), format_date_de(stichtag), sanitize_line(a.anfragender.trim()));
                let d = &p.daten;
                feld(&mut out, &mut daten, "Familienname", &d.familienname);
                feld(&mut out, &mut daten, "Vornamen", &d.vornamen);
                feld(&mut out, &mut daten, "Doktorgrad", &d.doktorgrad);
                if am.is_empty() {
                    let weg = format!("{} {}", p.wegzug_nach, p.wegzug_staat).trim().to_string();
                    let text = if weg.is_empty() { "keine Wohnung in dieser Gemeinde".to_string() } else { format!("verzogen nach {weg}") };
                    feld(&mut out, &mut daten, "Anschrift", &text);
                }
                for w in &am {
                    feld(&mut out, &mut daten, "Anschrift", &w.anschrift);
                }
                if p.status == Status::Verstorben {
                    feld(&mut out, &mut daten, "Hinweis", "Die Person ist verstorben.");
                }
                if a.art == AuskunftArt::Erweitert {
                    let fr: Vec<String> = d.fruehere_namen.iter().map(|n| n.name.clone()).collect();
                    feld(&mut out, &mut daten, "Frühere Namen", &fr.join(", "));
                    feld(&mut out, &mut daten, "Geburtsdatum", &format_date_de(d.geburtsdatum));
                    feld(&mut out, &mut daten, "Geburtsort", &d.geburtsort);
                    feld(&mut out, &mut daten, "Familienstand", label_of(FAMILIENSTAENDE, &d.familienstand));
                    feld(&mut out, &mut daten, "Staatsangehörigkeiten", &d.staaten.iter().map(|s| s.staat.as_str()).collect::<Vec<_>>().join(", "));
                    for w in alle.iter().filter(|w| w.einzug <= stichtag && !w.bewohnt_am(stichtag)) {
                        // A former address where a protected person lives now is left out.
                        if let Some(adr) = &w.adresse
                            && repo::sperren::adresse_gesperrt(sql, mandant, adr, heute)?.is_some()
                        {
                            continue;
                        }
                        feld(&mut out, &mut daten, "Frühere Anschrift", &format!("{} ({} – {})", w.anschrift, format_date_de(w.einzug), w.auszug.map(format_date_de).unwrap_or_default()));
                    }
                    for w in &am {
                        feld(&mut out, &mut daten, "Einzugsdatum", &format_date_de(w.einzug));
                    }
                    for g in repo::bindung::angehoerige(sql, mandant, id)?.iter().filter(|g| g.bis.is_none()) {
                        if matches!(g.rolle, "Ehegatte" | "Lebenspartner" | "Vormund" | "Betreuer")
                            || (g.rolle == "Elternteil" && crate::core::date::age_on(d.geburtsdatum, stichtag) < 18)
                        {
                            let label = if g.rolle == "Elternteil" { "Gesetzlicher Vertreter" } else { g.rolle };
                            // The relative's data are an Auskunft about the
                            // relative: checked for Sperren (own and of the
                            // dwelling) and protocolled under the relative.
                            // A protected relative is left out, as one who
                            // is not in the register would be.
                            let was = format!("Name, Anschrift (als {label} in der Auskunft zu {})", format_om(id));
                            if let Some(s) = eigene_sperre(sql, mandant, g.person_id, heute)? {
                                sperre_mitteilen(sql, &actor, &behoerde, heute, a, g.person_id, &s)?;
                                angehoerige.push((g.person_id, was, "VERWEIGERT_SPERRE", sperr_grund(&s), true));
                                continue;
                            }
                            let wohnung = repo::wohnung::wohnungen_am(sql, mandant, g.person_id, heute)?.into_iter().next();
                            if let Some(adr) = wohnung.as_ref().and_then(|w| w.adresse.as_ref())
                                && let Some((bewohner, s)) = repo::sperren::adresse_gesperrt(sql, mandant, adr, heute)?
                            {
                                let grund = format!("Anschrift geschützt: dort wohnt Person {} mit {} (§ 51 Abs. 1 BMG, Mitbewohner)", format_om(bewohner), s.art.label());
                                angehoerige.push((g.person_id, was, "VERWEIGERT_SPERRE", grund, false));
                                continue;
                            }
                            let wo = wohnung.map(|w| w.anschrift).unwrap_or_default();
                            feld(&mut out, &mut daten, label, &format!("{} {wo}", g.name));
                            angehoerige.push((g.person_id, was, "ERTEILT", String::new(), false));
                        }
                    }
                    if let Some(sd) = p.sterbedatum {
                        feld(&mut out, &mut daten, "Sterbedatum/-ort", &format!("{} {}", format_date_de(sd), p.sterbeort));
                    }
                    // §45(2): the person is told about the erweiterte Auskunft.
                    let mitteilung = format!(
                        "{behoerde}\nMeldebehörde\n\nMitteilung über eine erweiterte Melderegisterauskunft (§ 45 Abs. 2 BMG)\n\nAm {} wurde eine erweiterte Melderegisterauskunft über Sie erteilt.\nEmpfänger: {}\nBerechtigtes Interesse: {}\n",
                        format_date_de(heute),
                        sanitize_line(a.anfragender.trim()),
                        sanitize_line(a.berechtigtes_interesse.trim())
                    );
                    repo::dokumente::store_dokument(sql, &actor, id, "MITTEILUNG_45", &mitteilung)?;
                    informiert = true;
                }
                (Ausgang::Erteilt { person_id: id }, out, "Auskunft erteilt.".to_string())
            }
        };
        let person_id = match &ausgang {
            Ausgang::Erteilt { person_id } | Ausgang::Gesperrt { person_id, .. } => Some(*person_id),
            Ausgang::NichtEindeutig { .. } => None,
        };
        let grund = match &ausgang {
            Ausgang::Gesperrt { grund, .. } => grund.clone(),
            _ => String::new(),
        };
        let eintrag = Eintrag { actor: &actor, anfrage: a, suchdaten: &suchdaten };
        let pid = eintrag.schreiben(sql, person_id, &daten.join(", "), ausgang.code(), &grund, informiert)?;
        audit::append(sql, &actor, "AUSKUNFT", "ewo_auskunft", &pid.to_string(), None, Some(&json!({"ergebnis": ausgang.code(), "person": person_id})))?;
        for (angehoeriger, was, ergebnis, grund, informiert) in &angehoerige {
            let aid = eintrag.schreiben(sql, Some(*angehoeriger), was, ergebnis, grund, *informiert)?;
            audit::append(sql, &actor, "AUSKUNFT", "ewo_auskunft", &aid.to_string(), None, Some(&json!({"ergebnis": ergebnis, "person": angehoeriger, "zu": person_id})))?;
        }
        Ok(Antwort { ausgang, text, intern, daten, protokoll_id: pid })
    })
}

/// The protocol of Auskünfte and refusals about one person.
pub fn protokoll(session: &Session, person_id: i64) -> Result<Vec<Protokoll>> {
    session.require(&[Role::EwosLesen])?;
    session
        .db
        .read(|sql| repo::auskunft::protokoll(sql, &session.mandant.id, person_id))
}
