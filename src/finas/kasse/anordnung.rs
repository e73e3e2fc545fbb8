//! Annahme- and Auszahlungsanordnungen: entered by a FINAS clerk
//! (FINAS_AENDERN) with a generated Kassenzeichen, released
//! (festgestellt/angeordnet) by a user with the Anordnungsbefugnis
//! (FINAS_ANORDNUNG) who is not the one who entered it — the
//! Vier-Augen-Prinzip, refused here and by the database. The release runs
//! the Haushaltsüberwachung and posts into the journal: Forderung an Ertrag
//! (Annahme) or Aufwand an Verbindlichkeit (Auszahlung). A cancelled
//! released Anordnung is reversed by a Storno-Buchung. Entering, changing,
//! releasing and cancelling are each audited.

use chrono::Datelike;
use serde_json::json;

use super::einstellung;
use super::kassenzeichen;
use super::model::{Anordnung, AnordnungArt, AnordnungInput, AnordnungStatus};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::journal::{self, BuchungInput, ZeileInput};
use crate::finas::repo::kasse::{anordnung as repo, partner as partner_repo};
use crate::finas::stamm;
use crate::finas::ueberwachung::{self, Pruefergebnis};
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_anordnung";

/// The largest amount of one due date (the SEPA maximum).
const MAX_CENTS: i64 = 99_999_999_999;

/// The checked content of an Anordnung with its counter account.
fn pruefen_in(
    sql: &mut dyn Sql,
    mandant: &str,
    input: &AnordnungInput,
) -> Result<(AnordnungInput, String)> {
    partner_repo::lesen(sql, mandant, input.partner)
        .map_err(|e| KisError::field("partner", e.to_string()))?;
    let produkt = input.produkt.trim();
    let p = stamm::produkt_in(sql, mandant, produkt)
        .map_err(|e| KisError::field("produkt", e.to_string()))?;
    if p.ebene != 3 {
        return Err(KisError::field(
            "produkt",
            format!("{produkt} ist kein Produkt (Ebene 3)."),
        ));
    }
    let k = stamm::konto_in(sql, mandant, input.konto.trim())
        .map_err(|e| KisError::field("konto", e.to_string()))?;
    let (klasse, was, gegenklasse) = match input.art {
        AnordnungArt::Annahme => (4, "Ertragskonto (Klasse 4)", 1),
        AnordnungArt::Auszahlung => (5, "Aufwandskonto (Klasse 5)", 3),
    };
    if k.klasse != klasse {
        return Err(KisError::field(
            "konto",
            format!(
                "Eine {} braucht ein {was}; Konto {} gehört zur Klasse {}.",
                input.art.label(),
                k.nr,
                k.klasse
            ),
        ));
    }
    let kostenstelle = input
        .kostenstelle
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(ks) = kostenstelle
        && !stamm::kostenstelle_exists(sql, mandant, ks)?
    {
        return Err(KisError::field(
            "kostenstelle",
            format!("Kostenstelle {ks} ist nicht vorhanden."),
        ));
    }
    let e = einstellung::lesen_in(sql, mandant)?;
    let gegen = match input
        .gegenkonto
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(g) => g.to_string(),
        None => match input.art {
            AnordnungArt::Annahme => e.forderungskonto,
            AnordnungArt::Auszahlung => e.verbindlichkeitskonto,
        },
    };
    let g = stamm::konto_in(sql, mandant, &gegen)
        .map_err(|e| KisError::field("gegenkonto", e.to_string()))?;
    if g.klasse != gegenklasse {
        return Err(KisError::field(
            "gegenkonto",
            format!(
                "Gegenkonto {} muss ein {} sein (Klasse {gegenklasse}).",
                g.nr,
                if gegenklasse == 1 {
                    "Forderungskonto"
                } else {
                    "Verbindlichkeitskonto"
                }
            ),
        ));
    }
    let text = input.text.trim();
    if text.is_empty() || text.chars().count() > 120 || text.chars().any(char::is_control) {
        return Err(KisError::field(
            "text",
            "Bitte den Text angeben (höchstens 120 Zeichen).",
        ));
    }
    if input.faelligkeiten.is_empty() || input.faelligkeiten.len() > 99 {
        return Err(KisError::field(
            "faelligkeiten",
            "Bitte 1 bis 99 Fälligkeiten mit Betrag angeben.",
        ));
    }
    for (i, f) in input.faelligkeiten.iter().enumerate() {
        if f.betrag.cents() <= 0 || f.betrag.cents() > MAX_CENTS {
            return Err(KisError::field(
                "faelligkeiten",
                format!(
                    "Fälligkeit {}: der Betrag muss größer als 0 und höchstens 999.999.999,99 € sein.",
                    i + 1
                ),
            ));
        }
    }
    if input.reservierung.is_some() && input.art != AnordnungArt::Auszahlung {
        return Err(KisError::field(
            "reservierung",
            "Nur eine Auszahlungsanordnung verbraucht eine Mittelreservierung.",
        ));
    }
    let mut f = input.faelligkeiten.clone();
    f.sort_by_key(|f| f.faellig);
    Ok((
        AnordnungInput {
            art: input.art,
            partner: input.partner,
            produkt: produkt.to_string(),
            konto: k.nr,
            kostenstelle: kostenstelle.map(Into::into),
            gegenkonto: Some(g.nr.clone()),
            text: text.to_string(),
            faelligkeiten: f,
            reservierung: input.reservierung,
        },
        g.nr,
    ))
}

fn summe(input: &AnordnungInput) -> Money {
    Money::from_cents(input.faelligkeiten.iter().map(|f| f.betrag.cents()).sum())
}

/// The budget check of an Auszahlungsanordnung (revenue is not
/// monitored): refused over the available funds, a warning returned.
/// What the named Mittelreservierung holds is already out of the
/// verfügbare Mittel, so only the amount beyond it is checked.
fn haushalt_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    input: &AnordnungInput,
) -> Result<Option<String>> {
    if input.art != AnordnungArt::Auszahlung {
        return Ok(None);
    }
    let mut betrag = summe(input);
    if let Some(id) = input.reservierung {
        let rest = ueberwachung::reservierung_rest_in(
            sql,
            mandant,
            id,
            jahr,
            &input.produkt,
            &input.konto,
        )?;
        betrag = betrag - betrag.min(rest);
        if betrag.is_zero() {
            return Ok(None);
        }
    }
    match ueberwachung::pruefen_in(sql, mandant, jahr, &input.produkt, &input.konto, betrag)? {
        Pruefergebnis::Ok { .. } => Ok(None),
        Pruefergebnis::Warnung { meldung, .. } => Ok(Some(meldung)),
        Pruefergebnis::Abgelehnt { meldung } => Err(KisError::Conflict(meldung)),
    }
}

/// The answer of entering an Anordnung.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Erfasst {
    pub nr: i64,
    pub kassenzeichen: String,
    /// A budget warning of the Haushaltsüberwachung.
    pub warnung: Option<String>,
}

/// Enter an Anordnung inside the caller's transaction (no role check).
pub fn erfassen_in(sql: &mut dyn Sql, actor: &Actor, input: &AnordnungInput) -> Result<Erfasst> {
    let (input, gegen) = pruefen_in(sql, &actor.mandant, input)?;
    let jahr = actor.at.year();
    let warnung = haushalt_in(sql, &actor.mandant, jahr, &input)?;
    let nr = journal::nummern_in(sql, &actor.mandant, "ANORDNUNG", 1)?;
    let lfd = journal::nummern_in(sql, &actor.mandant, &format!("KASSENZEICHEN-{jahr}"), 1)?;
    let kz = kassenzeichen::bilden(jahr, lfd)?;
    repo::einfuegen(
        sql,
        &actor.mandant,
        nr,
        &kz,
        &input,
        &gegen,
        &actor.user,
        &actor.stempel(),
    )?;
    let nachher = audit::json(&repo::lesen(sql, &actor.mandant, nr)?)?;
    audit::append(
        sql,
        actor,
        "ANORDNUNG_ERFASSEN",
        ENTITY,
        &nr.to_string(),
        None,
        Some(&nachher),
    )?;
    Ok(Erfasst {
        nr,
        kassenzeichen: kz,
        warnung,
    })
}

/// A FINAS clerk enters an Anordnung (FIN500, `kis finas anordnung neu`).
pub fn erfassen(session: &Session, input: &AnordnungInput) -> Result<Erfasst> {
    session.require(&[Role::FinasAendern])?;
    let actor = session.actor();
    session.db.write(|sql| erfassen_in(sql, &actor, input))
}

/// Change an entered (not yet released) Anordnung; `version` is the one
/// the clerk saw. The Kassenzeichen stays.
pub fn aendern(
    session: &Session,
    nr: i64,
    version: i64,
    input: &AnordnungInput,
) -> Result<Option<String>> {
    session.require(&[Role::FinasAendern])?;
    let actor = session.actor();
    session.db.write(|sql| {
        let vorher = repo::lesen(sql, &actor.mandant, nr)?;
        if vorher.status != AnordnungStatus::Erfasst {
            return Err(KisError::Conflict(format!(
                "Anordnung {nr} ist {} und kann nicht mehr geändert werden.",
                vorher.status.label()
            )));
        }
        if let Some(b) = vorher.vorgebucht {
            return Err(vorgebucht_fehler(nr, b, "geändert"));
        }
        if input.art != vorher.art {
            return Err(KisError::field(
                "art",
                "Die Art einer Anordnung wird nicht geändert; bitte stornieren und neu erfassen.",
            ));
        }
        let (input, gegen) = pruefen_in(sql, &actor.mandant, input)?;
        let warnung = haushalt_in(sql, &actor.mandant, actor.at.year(), &input)?;
        if !repo::ersetzen(sql, &actor.mandant, nr, version, &input, &gegen)? {
            return Err(KisError::Conflict(format!(
                "Anordnung {nr} wurde inzwischen geändert. Bitte neu laden."
            )));
        }
        let nachher = audit::json(&repo::lesen(sql, &actor.mandant, nr)?)?;
        audit::append(
            sql,
            &actor,
            "ANORDNUNG_AENDERN",
            ENTITY,
            &nr.to_string(),
            Some(&audit::json(&vorher)?),
            Some(&nachher),
        )?;
        Ok(warnung)
    })
}

/// The answer of releasing an Anordnung.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Freigegeben {
    pub buchung: i64,
    pub warnungen: Vec<String>,
}

/// The journal lines of an Anordnung: Forderung an Ertrag or Aufwand an Verbindlichkeit.
fn zeilen(a: &Anordnung) -> Vec<ZeileInput> {
    let betrag = a.summe();
    let mut sach = match a.art {
        AnordnungArt::Annahme => ZeileInput::haben(&a.konto, Some(&a.produkt), betrag),
        AnordnungArt::Auszahlung => ZeileInput::soll(&a.konto, Some(&a.produkt), betrag),
    };
    sach.kostenstelle = a.kostenstelle.clone();
    sach.reservierung = a.reservierung;
    let gegen = match a.art {
        AnordnungArt::Annahme => ZeileInput::soll(&a.gegenkonto, None, betrag),
        AnordnungArt::Auszahlung => ZeileInput::haben(&a.gegenkonto, None, betrag),
    };
    match a.art {
        AnordnungArt::Annahme => vec![gegen, sach],
        AnordnungArt::Auszahlung => vec![sach, gegen],
    }
}

/// The refusal for an Anordnung that another procedure's Buchung posted.
fn vorgebucht_fehler(nr: i64, buchung: i64, was: &str) -> KisError {
    KisError::Conflict(format!(
        "Anordnung {nr} ist mit der Buchung {buchung} ihres Verfahrens (z. B. der Entgeltabrechnung) vorgebucht und \
         wird nicht einzeln {was}; sie folgt dem Storno dieser Buchung (Abrechnungslauf stornieren)."
    ))
}

/// Release an Anordnung inside the caller's transaction: the
/// Vier-Augen-Prinzip, then the budget check and the posting. An
/// Anordnung already posted by another procedure ([`super::vorgebucht`])
/// posts nothing again: it links to that Buchung.
pub fn freigeben_in(sql: &mut dyn Sql, actor: &Actor, nr: i64) -> Result<Freigegeben> {
    let a = repo::lesen(sql, &actor.mandant, nr)?;
    if a.status != AnordnungStatus::Erfasst {
        return Err(KisError::Conflict(format!(
            "Anordnung {nr} ist bereits {}.",
            a.status.label()
        )));
    }
    if a.erfasst_von == actor.user {
        return Err(KisError::Permission(format!(
            "Vier-Augen-Prinzip: Anordnung {nr} wurde von {} erfasst und muss von einer anderen anordnungsbefugten Person freigegeben werden.",
            a.erfasst_von
        )));
    }
    let gebucht = match a.vorgebucht {
        Some(nr) => journal::Gebucht {
            nr,
            warnungen: Vec::new(),
        },
        None => journal::buchen_in(
            sql,
            actor,
            &BuchungInput {
                datum: actor.at.date(),
                periode: None,
                beleg: a.kassenzeichen.clone(),
                text: format!(
                    "{} {}: {}",
                    a.art.label(),
                    kassenzeichen::anzeigen(&a.kassenzeichen),
                    a.text
                )
                .chars()
                .take(120)
                .collect(),
                zeilen: zeilen(&a),
            },
        )?,
    };
    if !repo::freigeben(
        sql,
        &actor.mandant,
        nr,
        &actor.user,
        &actor.stempel(),
        gebucht.nr,
    )? {
        return Err(KisError::Conflict(format!(
            "Anordnung {nr} wurde inzwischen bearbeitet. Bitte neu laden."
        )));
    }
    audit::append(
        sql,
        actor,
        "ANORDNUNG_FREIGEBEN",
        ENTITY,
        &nr.to_string(),
        Some(&json!({"status": a.status.code()})),
        Some(
            &json!({"status": AnordnungStatus::Freigegeben.code(), "buchung": gebucht.nr, "summe": a.summe()}),
        ),
    )?;
    Ok(Freigegeben {
        buchung: gebucht.nr,
        warnungen: gebucht.warnungen,
    })
}

/// An anordnungsbefugter user releases an Anordnung (FIN500 F11, `kis finas anordnung freigeben`).
pub fn freigeben(session: &Session, nr: i64) -> Result<Freigegeben> {
    session.require(&[Role::FinasAnordnung])?;
    let actor = session.actor();
    session.db.write(|sql| freigeben_in(sql, &actor, nr))
}

/// Release every entered Anordnung that this user did not enter
/// (Sammelfreigabe), in one transaction: one refused budget check refuses
/// all, naming the Anordnung. Those already posted by another procedure
/// (the payroll's, thousands at once) are released in one statement with
/// one audit entry listing them; the others one by one. Returns the number
/// released and the budget warnings.
pub fn alle_freigeben(session: &Session) -> Result<(usize, Vec<String>)> {
    session.require(&[Role::FinasAnordnung])?;
    let actor = session.actor();
    session.db.write(|sql| {
        let vorgebucht =
            repo::vorgebucht_freigeben(sql, &actor.mandant, &actor.user, &actor.stempel())?;
        if !vorgebucht.is_empty() {
            let buchungen: std::collections::BTreeSet<i64> =
                vorgebucht.iter().map(|(_, b)| *b).collect();
            audit::append(
                sql,
                &actor,
                "ANORDNUNGEN_FREIGEBEN",
                ENTITY,
                &format!("{}-{}", vorgebucht[0].0, vorgebucht[vorgebucht.len() - 1].0),
                Some(&json!({"status": AnordnungStatus::Erfasst.code()})),
                Some(&json!({
                    "status": AnordnungStatus::Freigegeben.code(),
                    "vorgebucht": buchungen,
                    "anordnungen": vorgebucht.iter().map(|(nr, _)| *nr).collect::<Vec<_>>(),
                })),
            )?;
        }
        let nrs = repo::offen_fuer_freigabe(sql, &actor.mandant, &actor.user)?;
        let mut warnungen = Vec::new();
        for nr in &nrs {
            let f = freigeben_in(sql, &actor, *nr).map_err(|e| {
                KisError::Conflict(format!("Anordnung {nr}: {e} Es wurde nichts freigegeben."))
            })?;
            warnungen.extend(f.warnungen);
        }
        Ok((vorgebucht.len() + nrs.len(), warnungen))
    })
}

/// Cancel an Anordnung: an entered one is simply void (FINAS_AENDERN); a
/// released one (FINAS_ANORDNUNG) is reversed in the journal, provided
/// nothing has been paid on it. Returns the Storno-Buchung, if any.
pub fn stornieren(session: &Session, nr: i64, grund: &str) -> Result<Option<i64>> {
    session.require(&[Role::FinasAendern, Role::FinasAnordnung])?;
    let actor = session.actor();
    let grund = grund.trim();
    if grund.is_empty() {
        return Err(KisError::field(
            "grund",
            "Bitte den Grund des Stornos angeben.",
        ));
    }
    session.db.write(|sql| {
        let a = repo::lesen(sql, &actor.mandant, nr)?;
        let storno = match a.status {
            AnordnungStatus::Storniert => {
                return Err(KisError::Conflict(format!("Anordnung {nr} ist bereits storniert.")));
            }
            _ if a.vorgebucht.is_some() => {
                return Err(vorgebucht_fehler(nr, a.vorgebucht.unwrap_or_default(), "storniert"));
            }
            AnordnungStatus::Erfasst => {
                session.require(&[Role::FinasAendern])?;
                None
            }
            AnordnungStatus::Freigegeben => {
                session.require(&[Role::FinasAnordnung])?;
                if a.posten.iter().any(|p| !p.ist.is_zero()) {
                    return Err(KisError::Conflict(format!(
                        "Auf Anordnung {nr} wurde bereits gezahlt; sie kann nicht storniert werden."
                    )));
                }
                // Fees and Säumniszuschläge of the Mahnwesen were posted by
                // their own Buchung; reversing the release would leave them
                // on a cancelled claim. They end by Erlass or Niederschlagung.
                if repo::nebenforderungen(sql, &actor.mandant, nr)? > 0 {
                    return Err(KisError::Conflict(format!(
                        "Auf Anordnung {nr} stehen Mahngebühren oder Säumniszuschläge; sie kann nicht storniert werden (Erlass oder Niederschlagung verwenden)."
                    )));
                }
                let buchung = a.buchung.ok_or_else(|| KisError::Db(format!("Anordnung {nr} ohne Buchung.")))?;
                Some(journal::stornieren_in(sql, &actor, buchung, actor.at.date(), grund)?)
            }
        };
        if !repo::stornieren(sql, &actor.mandant, nr, &actor.user, &actor.stempel(), storno)? {
            return Err(KisError::Conflict(format!("Anordnung {nr} wurde inzwischen bearbeitet. Bitte neu laden.")));
        }
        audit::append(
            sql,
            &actor,
            "ANORDNUNG_STORNIEREN",
            ENTITY,
            &nr.to_string(),
            Some(&json!({"status": a.status.code()})),
            Some(&json!({"status": AnordnungStatus::Storniert.code(), "grund": grund, "storno_buchung": storno})),
        )?;
        Ok(storno)
    })
}

pub fn lesen(session: &Session, nr: i64) -> Result<Anordnung> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::lesen(sql, &session.mandant.id, nr))
}

/// The Anordnung of a typed Kassenzeichen (check digit checked first).
pub fn zu_kassenzeichen(session: &Session, kz: &str) -> Result<Anordnung> {
    session.require(&[Role::FinasLesen])?;
    let kz = kassenzeichen::pruefen("kassenzeichen", kz)?;
    session.db.read(|sql| {
        repo::zu_kassenzeichen(sql, &session.mandant.id, &kz)?.ok_or_else(|| {
            KisError::NotFound(format!(
                "Kassenzeichen {} ist nicht vergeben.",
                kassenzeichen::anzeigen(&kz)
            ))
        })
    })
}

/// The Anordnung as a document (FIN500, `zeigen`).
pub fn dokument(a: &Anordnung, partner: &str) -> String {
    let mut s = format!(
        "{} Nr. {}\nKassenzeichen: {}\nStatus: {}\nGeschäftspartner: {} {}\nBuchungsstelle: Produkt {}, Konto {}{}, Gegenkonto {}\nText: {}\n\nFälligkeiten:\n",
        a.art.label(),
        a.nr,
        kassenzeichen::anzeigen(&a.kassenzeichen),
        a.status.label(),
        a.partner,
        partner,
        a.produkt,
        a.konto,
        a.kostenstelle
            .as_ref()
            .map(|k| format!(", Kostenstelle {k}"))
            .unwrap_or_default(),
        a.gegenkonto,
        a.text
    );
    for p in &a.posten {
        s.push_str(&format!(
            "  {}  Soll {:>14}  Ist {:>14}  Rest {:>14}\n",
            format_date_de(p.faellig),
            p.soll.format_de(),
            p.ist.format_de(),
            p.rest().format_de()
        ));
    }
    s.push_str(&format!("  Summe       {:>14}\n\n", a.summe().format_de()));
    if let Some(iban) = &a.iban {
        s.push_str(&format!(
            "Empfängerkonto: {iban}{}\n",
            a.zweckcode
                .as_ref()
                .map(|c| format!(", Zweckschlüssel {c}"))
                .unwrap_or_default()
        ));
    }
    if let Some(b) = a.vorgebucht {
        s.push_str(&format!(
            "Vorgebucht mit Buchung {b} des Verfahrens; die Freigabe bucht nicht erneut.\n"
        ));
    }
    s.push_str(&format!("Erfasst: {} am {}\n", a.erfasst_von, a.erfasst_am));
    if let (Some(v), Some(am)) = (&a.freigegeben_von, &a.freigegeben_am) {
        s.push_str(&format!(
            "Freigegeben: {v} am {am}{}\n",
            a.buchung
                .map(|b| format!(", Buchung {b}"))
                .unwrap_or_default()
        ));
    }
    if let (Some(v), Some(am)) = (&a.storniert_von, &a.storniert_am) {
        s.push_str(&format!(
            "Storniert: {v} am {am}{}\n",
            a.storno_buchung
                .map(|b| format!(", Storno-Buchung {b}"))
                .unwrap_or_default()
        ));
    }
    s
}
