//! The Zahllauf: for an execution date, the due payables of released
//! Auszahlungsanordnungen become a SEPA credit transfer file (pain.001 in
//! the version the Stadtkasse's bank takes, `.09` or `.03`) and the due
//! receivables whose partner has a valid mandate a SEPA direct debit file
//! (pain.008.001.08, CORE). Every file is checked against the official XSD
//! ([`super::iso20022`]) before anything is stored or written; a file that
//! fails leaves no run and no file.
//!
//! Role: KASSE (the cash office makes the payments; FINAS_ANORDNUNG orders
//! them). Running, reprinting and cancelling are audited. The run posts
//! nothing: the payment postings follow when the bank statement confirms.
//!
//! Sequence types: a recurring mandate's first collection is FRST, the
//! following ones RCUR; a one-off mandate is OOFF (and used up after it).
//! FNAL is never written (KIS does not know that a collection is the last;
//! the mandate lapses after 36 months unused). The DK rules want one
//! sequence type per payment information block, so a direct debit file has
//! one block per sequence type of the execution date and account.
//! Pre-notification: the collection date must be at least the configured
//! days after today, else the receivables wait for a later run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use serde_json::json;

use super::einstellung;
use super::iso20022::{self, Nachricht};
use super::kassenzeichen;
use super::model::{AnordnungArt, Bankverbindung, Mandat, MandatStand, Partner};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::journal;
use crate::finas::repo::kasse::{partner as partner_repo, zahllauf as repo};
use crate::finas::sepa::{self, Pain001Version};
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_zahllauf";

/// An open due date that a run may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kandidat {
    pub anordnung: i64,
    pub lfd: i64,
    pub art: AnordnungArt,
    pub partner: i64,
    pub kassenzeichen: String,
    pub text: String,
    pub faellig: NaiveDate,
    /// The open rest of the due date.
    pub betrag: Money,
    /// The payee's account fixed at entry (else the partner's first).
    pub iban: Option<String>,
    /// ISO 20022 purpose code of the transfer, e.g. `SALA`.
    pub zweckcode: Option<String>,
}

/// One item of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LaufPosten {
    pub anordnung: i64,
    pub lfd: i64,
    pub betrag: Money,
    /// The end-to-end reference in the file.
    pub referenz: String,
    /// The message of the file, e.g. `pain.008.001.08`.
    pub art: String,
    pub mandat: Option<String>,
    pub sequenz: Option<String>,
    pub mandat_vorher: Option<NaiveDate>,
}

/// A file of a run as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Datei {
    pub art: String,
    pub name: String,
    pub anzahl: i64,
    pub summe: Money,
    pub inhalt: String,
}

/// A run as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Zahllauf {
    pub nr: i64,
    pub ausfuehrung: NaiveDate,
    pub live: bool,
    pub erstellt_von: String,
    pub erstellt_am: String,
    pub storniert_von: Option<String>,
    pub storniert_am: Option<String>,
    pub anzahl: i64,
    pub summe: Money,
}

/// What a run did: its number, its files and why items wait.
#[derive(Clone, Debug)]
pub struct Ergebnis {
    pub nr: i64,
    pub dateien: Vec<Datei>,
    pub hinweise: Vec<String>,
}

/// The pain.001 version of the Stadtkasse's account and the days of pre-notification.
pub fn einstellung_in(sql: &mut dyn Sql, mandant: &str) -> Result<(Pain001Version, i64)> {
    let (v, tage) = repo::einstellung(sql, mandant)?.ok_or_else(|| {
        KisError::Conflict("Für diesen Mandanten ist die Kasse nicht eingerichtet.".into())
    })?;
    Ok((Pain001Version::parse(&v)?, tage))
}

/// Choose the pain.001 version of the Stadtkasse's account and the
/// pre-notification days (audited).
pub fn einstellung_setzen(session: &Session, version: Pain001Version, tage: i64) -> Result<()> {
    session.require(&[Role::Kasse])?;
    if !(0..=60).contains(&tage) {
        return Err(KisError::field(
            "vorabankuendigung_tage",
            "Die Vorabankündigung muss 0 bis 60 Tage betragen.",
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        let vorher = einstellung_in(sql, &actor.mandant)?;
        if !repo::einstellung_setzen(sql, &actor.mandant, version.code(), tage)? {
            return Err(KisError::Conflict(
                "Für diesen Mandanten ist die Kasse nicht eingerichtet.".into(),
            ));
        }
        audit::append(
            sql,
            &actor,
            "ZAHLLAUF_EINSTELLUNG",
            einstellung::ENTITY,
            &actor.mandant,
            Some(&json!({"pain001": vorher.0.code(), "tage": vorher.1})),
            Some(&json!({"pain001": version.code(), "tage": tage})),
        )?;
        Ok(())
    })
}

struct PartnerDaten {
    partner: Partner,
    konten: Vec<Bankverbindung>,
    mandate: Vec<Mandat>,
}

fn partner_daten<'a>(
    sql: &mut dyn Sql,
    mandant: &str,
    cache: &'a mut HashMap<i64, PartnerDaten>,
    id: i64,
) -> Result<&'a PartnerDaten> {
    match cache.entry(id) {
        std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
        std::collections::hash_map::Entry::Vacant(v) => Ok(v.insert(PartnerDaten {
            partner: partner_repo::lesen(sql, mandant, id)?,
            konten: partner_repo::bankverbindungen(sql, mandant, id)?,
            mandate: partner_repo::mandate(sql, mandant, id)?,
        })),
    }
}

fn zweck(k: &Kandidat) -> String {
    format!("{} {}", kassenzeichen::anzeigen(&k.kassenzeichen), k.text)
}

fn dateiname(nr: i64, art: &str) -> String {
    format!("zahllauf_{nr:06}_{art}.xml")
}

/// Run the Zahllauf for `datum` inside the caller's transaction (see the
/// module description). Refused, with nothing stored, when nothing is due
/// or a file fails the schema check.
pub fn ausfuehren_in(sql: &mut dyn Sql, actor: &Actor, datum: NaiveDate) -> Result<Ergebnis> {
    let heute = actor.at.date();
    if datum < heute {
        return Err(KisError::field(
            "datum",
            format!(
                "Das Ausführungsdatum {} liegt in der Vergangenheit.",
                format_date_de(datum)
            ),
        ));
    }
    let kasse = einstellung::lesen_in(sql, &actor.mandant)?;
    let (version, tage) = einstellung_in(sql, &actor.mandant)?;
    let kandidaten = repo::kandidaten(sql, &actor.mandant, datum)?;
    let nr = journal::nummern_in(sql, &actor.mandant, "ZAHLLAUF", 1)?;
    let einzug_erlaubt = datum >= heute + Duration::days(tage);
    // The partners' data read at once for all candidates.
    let mut ids: Vec<i64> = kandidaten.iter().map(|k| k.partner).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut cache: HashMap<i64, PartnerDaten> =
        partner_repo::daten_viele(sql, &actor.mandant, &ids)?
            .into_iter()
            .map(|(partner, konten, mandate)| {
                (
                    partner.id,
                    PartnerDaten {
                        partner,
                        konten,
                        mandate,
                    },
                )
            })
            .collect();
    let mut hinweise = Vec::new();
    let mut ueberweisungen = Vec::new();
    let mut lastschriften: Vec<(&'static str, sepa::Lastschrift)> = Vec::new();
    let mut posten = Vec::new();
    let mut wartend_vorab = 0usize;
    let pain001 = match version {
        Pain001Version::V09 => Nachricht::Pain001V09,
        Pain001Version::V03 => Nachricht::Pain001V03,
    };
    for k in &kandidaten {
        let referenz = format!("ZL{nr}-{}-{}", k.anordnung, k.lfd);
        let p = partner_daten(sql, &actor.mandant, &mut cache, k.partner)?;
        let name = p.partner.anzeigename();
        match k.art {
            AnordnungArt::Auszahlung => {
                // The account fixed at entry (its holder and BIC if the
                // partner still has it), else the partner's first one.
                let fest =
                    k.iban.as_deref().filter(|i| !i.is_empty()).map(|iban| {
                        p.konten.iter().find(|b| b.iban == iban).cloned().unwrap_or(
                            Bankverbindung {
                                lfd: 0,
                                iban: iban.to_string(),
                                bic: String::new(),
                                inhaber: String::new(),
                            },
                        )
                    });
                let Some(konto) = fest.as_ref().or(p.konten.first()) else {
                    hinweise.push(format!(
                        "Kassenzeichen {}: Geschäftspartner {} hat keine Bankverbindung; die Zahlung wartet.",
                        kassenzeichen::anzeigen(&k.kassenzeichen),
                        k.partner
                    ));
                    continue;
                };
                ueberweisungen.push(sepa::Ueberweisung {
                    referenz: referenz.clone(),
                    name: if konto.inhaber.is_empty() {
                        name
                    } else {
                        konto.inhaber.clone()
                    },
                    iban: konto.iban.clone(),
                    bic: konto.bic.clone(),
                    betrag: k.betrag,
                    zweck: zweck(k),
                    zweckcode: k.zweckcode.clone(),
                });
                posten.push(LaufPosten {
                    anordnung: k.anordnung,
                    lfd: k.lfd,
                    betrag: k.betrag,
                    referenz,
                    art: pain001.kennung().to_string(),
                    mandat: None,
                    sequenz: None,
                    mandat_vorher: None,
                });
            }
            AnordnungArt::Annahme => {
                let gueltig = p.mandate.iter().find_map(|m| match m.stand(datum) {
                    MandatStand::Gueltig { erste } => Some((m, erste)),
                    _ => None,
                });
                let Some((m, erste)) = gueltig else {
                    // No valid mandate: the debtor pays himself.
                    continue;
                };
                if !einzug_erlaubt {
                    wartend_vorab += 1;
                    continue;
                }
                let sequenz = if !m.wiederkehrend {
                    "OOFF"
                } else if erste {
                    "FRST"
                } else {
                    "RCUR"
                };
                let bic = p
                    .konten
                    .iter()
                    .find(|b| b.iban == m.iban)
                    .map(|b| b.bic.clone())
                    .unwrap_or_default();
                lastschriften.push((
                    sequenz,
                    sepa::Lastschrift {
                        referenz: referenz.clone(),
                        name,
                        iban: m.iban.clone(),
                        bic,
                        betrag: k.betrag,
                        mandat: m.referenz.clone(),
                        unterschrieben: m.unterschrieben,
                        zweck: zweck(k),
                    },
                ));
                posten.push(LaufPosten {
                    anordnung: k.anordnung,
                    lfd: k.lfd,
                    betrag: k.betrag,
                    referenz,
                    art: Nachricht::Pain008V08.kennung().to_string(),
                    mandat: Some(m.referenz.clone()),
                    sequenz: Some(sequenz.to_string()),
                    mandat_vorher: m.letzte_nutzung,
                });
            }
        }
    }
    if wartend_vorab > 0 {
        hinweise.push(format!(
            "{wartend_vorab} Lastschrift(en) warten: Die Vorabankündigung verlangt {tage} Tage, frühestens Einzug am {}.",
            format_date_de(heute + Duration::days(tage))
        ));
    }
    if posten.is_empty() {
        let mut text = format!(
            "Zum {} ist nichts zu zahlen oder einzuziehen; es wurde kein Zahllauf angelegt.",
            format_date_de(datum)
        );
        for h in &hinweise {
            text.push(' ');
            text.push_str(h);
        }
        return Err(KisError::Conflict(text));
    }

    let konto = sepa::Auftraggeber {
        name: kasse.kontoinhaber.clone(),
        iban: kasse.iban.clone(),
        bic: kasse.bic.clone(),
    };
    let mut dateien = Vec::new();
    if !ueberweisungen.is_empty() {
        let summe = sepa::kontrollsumme(&ueberweisungen);
        let anzahl = ueberweisungen.len() as i64;
        let xml = sepa::pain001_version(
            &sepa::Sammler {
                nachricht: format!("KIS-{}-ZL{nr}-CT", actor.mandant),
                sammler: format!("ZL{nr}-CT-1"),
                erstellt: actor.at,
                ausfuehrung: datum,
                zweckart: None,
                auftraggeber: konto.clone(),
                zahlungen: ueberweisungen,
            },
            version,
        )?;
        iso20022::pruefen_fuer(pain001, xml.as_bytes(), "Die Überweisungsdatei")?;
        dateien.push(Datei {
            art: pain001.kennung().to_string(),
            name: dateiname(nr, pain001.kennung()),
            anzahl,
            summe,
            inhalt: xml,
        });
    }
    if !lastschriften.is_empty() {
        let mut bloecke: Vec<sepa::Einzugsblock> = Vec::new();
        for (sequenz, l) in lastschriften {
            match bloecke.iter_mut().find(|b| b.sequenz == sequenz) {
                Some(b) => b.lastschriften.push(l),
                None => bloecke.push(sepa::Einzugsblock {
                    sammler: format!("ZL{nr}-DD-{sequenz}"),
                    sequenz,
                    lastschriften: vec![l],
                }),
            }
        }
        let anzahl = bloecke.iter().map(|b| b.lastschriften.len() as i64).sum();
        let summe = bloecke
            .iter()
            .flat_map(|b| &b.lastschriften)
            .map(|l| l.betrag)
            .sum();
        let xml = sepa::pain008(&sepa::Einzug {
            nachricht: format!("KIS-{}-ZL{nr}-DD", actor.mandant),
            erstellt: actor.at,
            faellig: datum,
            glaeubiger: konto,
            glaeubiger_id: kasse.glaeubiger_id.clone(),
            bloecke,
        })?;
        let art = Nachricht::Pain008V08;
        iso20022::pruefen_fuer(art, xml.as_bytes(), "Die Lastschriftdatei")?;
        dateien.push(Datei {
            art: art.kennung().to_string(),
            name: dateiname(nr, art.kennung()),
            anzahl,
            summe,
            inhalt: xml,
        });
    }

    repo::lauf_einfuegen(
        sql,
        &actor.mandant,
        nr,
        datum,
        &actor.user,
        &actor.stempel(),
    )?;
    for d in &dateien {
        repo::datei_einfuegen(sql, &actor.mandant, nr, d)?;
    }
    let mut genutzt = std::collections::HashSet::new();
    for p in &posten {
        repo::posten_einfuegen(sql, &actor.mandant, nr, p).map_err(|_| {
            KisError::Conflict(format!(
                "Die Fälligkeit {} der Anordnung {} ist bereits in einem laufenden Zahllauf; es wurde nichts angelegt.",
                p.lfd, p.anordnung
            ))
        })?;
        if let Some(m) = &p.mandat
            && genutzt.insert(m.clone())
        {
            repo::mandat_nutzung_setzen(sql, &actor.mandant, m, Some(datum))?;
        }
    }
    audit::append(
        sql,
        actor,
        "ZAHLLAUF_AUSFUEHREN",
        ENTITY,
        &nr.to_string(),
        None,
        Some(&json!({
            "ausfuehrung": datum,
            "posten": posten.len(),
            "dateien": dateien.iter().map(|d| json!({"art": d.art, "anzahl": d.anzahl, "summe": d.summe})).collect::<Vec<_>>(),
        })),
    )?;
    Ok(Ergebnis {
        nr,
        dateien,
        hinweise,
    })
}

fn schreiben(dir: &Path, dateien: &[Datei]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| {
        KisError::validation(format!(
            "Das Verzeichnis {} kann nicht angelegt werden: {e}",
            dir.display()
        ))
    })?;
    dateien
        .iter()
        .map(|d| {
            let pfad = dir.join(&d.name);
            std::fs::write(&pfad, d.inhalt.as_bytes()).map_err(|e| {
                KisError::validation(format!(
                    "Die Datei {} kann nicht geschrieben werden: {e}",
                    pfad.display()
                ))
            })?;
            Ok(pfad)
        })
        .collect()
}

/// Run the Zahllauf (FIN520, `kis finas zahllauf --datum … --out DIR`):
/// the run is stored and, with `out`, its files are written there inside
/// the same transaction (a file that cannot be written stores no run).
/// Returns the result and the paths written.
pub fn ausfuehren(
    session: &Session,
    datum: NaiveDate,
    out: Option<&Path>,
) -> Result<(Ergebnis, Vec<PathBuf>)> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| {
        let e = ausfuehren_in(sql, &actor, datum)?;
        let pfade = match out {
            Some(dir) => schreiben(dir, &e.dateien)?,
            None => Vec::new(),
        };
        Ok((e, pfade))
    })
}

/// The runs, newest first.
pub fn liste(session: &Session, limit: usize) -> Result<Vec<Zahllauf>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::laeufe(sql, &session.mandant.id, limit))
}

fn lauf_in(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Zahllauf> {
    repo::lauf(sql, mandant, nr)?
        .ok_or_else(|| KisError::NotFound(format!("Zahllauf {nr} ist nicht vorhanden.")))
}

/// A run that must still be live; `storniert` is the refusal's text when
/// it is not.
fn live_lauf_in(sql: &mut dyn Sql, mandant: &str, nr: i64, storniert: &str) -> Result<Zahllauf> {
    let l = lauf_in(sql, mandant, nr)?;
    if !l.live {
        return Err(KisError::Conflict(format!("Zahllauf {nr} {storniert}")));
    }
    Ok(l)
}

/// A run with its items.
pub fn zeigen(session: &Session, nr: i64) -> Result<(Zahllauf, Vec<LaufPosten>)> {
    session.require(&[Role::FinasLesen])?;
    session.db.read(|sql| {
        let l = lauf_in(sql, &session.mandant.id, nr)?;
        Ok((l, repo::posten(sql, &session.mandant.id, nr)?))
    })
}

/// The files of a run again, byte for byte as first written (audited);
/// with `out` they are written there. A cancelled run is not reprinted.
pub fn neu_drucken(
    session: &Session,
    nr: i64,
    out: Option<&Path>,
) -> Result<(Vec<Datei>, Vec<PathBuf>)> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| {
        live_lauf_in(
            sql,
            &actor.mandant,
            nr,
            "ist storniert und wird nicht neu gedruckt.",
        )?;
        let dateien = repo::dateien(sql, &actor.mandant, nr)?;
        audit::append(
            sql,
            &actor,
            "ZAHLLAUF_NEU_DRUCKEN",
            ENTITY,
            &nr.to_string(),
            None,
            Some(&json!({"dateien": dateien.iter().map(|d| d.name.clone()).collect::<Vec<_>>()})),
        )?;
        let pfade = match out {
            Some(dir) => schreiben(dir, &dateien)?,
            None => Vec::new(),
        };
        Ok((dateien, pfade))
    })
}

/// Cancel a live run: its items are open again for the next run and the
/// mandates' last use is what it was before (audited).
pub fn stornieren(session: &Session, nr: i64) -> Result<()> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| {
        live_lauf_in(sql, &actor.mandant, nr, "ist bereits storniert.")?;
        let posten = repo::posten(sql, &actor.mandant, nr)?;
        if !repo::stornieren(sql, &actor.mandant, nr, &actor.user, &actor.stempel())? {
            return Err(KisError::Conflict(format!(
                "Zahllauf {nr} wurde inzwischen storniert."
            )));
        }
        let mut zurueck = std::collections::HashSet::new();
        for p in &posten {
            if let Some(m) = &p.mandat
                && zurueck.insert(m.clone())
            {
                repo::mandat_nutzung_setzen(sql, &actor.mandant, m, p.mandat_vorher)?;
            }
        }
        audit::append(
            sql,
            &actor,
            "ZAHLLAUF_STORNIEREN",
            ENTITY,
            &nr.to_string(),
            Some(&json!({"status": "LIVE", "posten": posten.len()})),
            Some(&json!({"status": "STORNIERT"})),
        )?;
        Ok(())
    })
}

/// A run's items as text for the CLI and the mask.
pub fn text(l: &Zahllauf, posten: &[LaufPosten]) -> String {
    let mut s = format!(
        "Zahllauf {} zum {} ({}), {} Posten, {} €\n",
        l.nr,
        format_date_de(l.ausfuehrung),
        if l.live { "laufend" } else { "storniert" },
        l.anzahl,
        l.summe.format_de()
    );
    for p in posten {
        s.push_str(&format!(
            "{:<16} {:>8}/{:<2} {:>14} € {} {}\n",
            p.art,
            p.anordnung,
            p.lfd,
            p.betrag.format_de(),
            p.referenz,
            match (&p.mandat, &p.sequenz) {
                (Some(m), Some(q)) => format!("{m} {q}"),
                _ => String::new(),
            }
        ));
    }
    s
}
