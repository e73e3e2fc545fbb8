//! The Klärungsliste (FIN540, `kis finas klaerung`): money the camt.053
//! import could not apply — unmatched entries and over-paid rests — held as
//! Verwahrgeld on the Kasse's Verwahrgeldkonto. A clerk of the Kasse assigns
//! an entry to a Kassenzeichen (applied like an import, Verwahrgeld an
//! Forderung) or refunds it: the refund is an Auszahlungsanordnung to the
//! payer's IBAN, released by a second, anordnungsbefugte person and paid by
//! the next Zahllauf; the bank statement's debit then posts Verwahrgeld an
//! Bank. Role KASSE (listing also FINAS_LESEN); every step is audited.

use std::collections::HashMap;

use chrono::Datelike;
use serde::Serialize;
use serde_json::json;

use super::kontoauszug::{self, Forderungsart, Offen};
use super::model::{AnordnungArt, AnordnungInput, Faelligkeit};
use super::{bank, einstellung, kassenzeichen};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::journal::{self, BuchungInput, ZeileInput};
use crate::finas::repo::kasse::{anordnung as anordnung_repo, kontoauszug as repo};
use crate::finas::stamm;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_klaerung";

/// One entry of the list with its bank entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Eintrag {
    pub id: i64,
    pub betrag: Money,
    pub grund: String,
    /// `O` offen, `Z` zugeordnet, `E` erstattet.
    pub status: String,
    pub kassenzeichen: Option<String>,
    pub umsatz: i64,
    pub buchungstag: chrono::NaiveDate,
    /// true: a credit (money received), false: a debit.
    pub eingang: bool,
    pub name: String,
    pub iban: String,
    pub verwendung: String,
    pub erledigt_von: Option<String>,
    pub erledigt_am: Option<String>,
}

impl Eintrag {
    pub fn status_text(&self) -> &'static str {
        match self.status.as_str() {
            "O" => "offen",
            "Z" => "zugeordnet",
            _ => "erstattet",
        }
    }
}

/// The list, open entries first.
pub fn liste(session: &Session) -> Result<Vec<Eintrag>> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session.db.read(|sql| {
        Ok(repo::klaerungen(sql, &session.mandant.id)?
            .into_iter()
            .map(|(k, u)| Eintrag {
                id: k.id,
                betrag: Money::from_cents(k.betrag),
                grund: k.grund,
                status: k.status,
                kassenzeichen: k.kassenzeichen,
                umsatz: u.id,
                buchungstag: u.buchungstag,
                eingang: u.soll_haben == "C",
                name: u.name,
                iban: u.partner_iban,
                verwendung: u.verwendung,
                erledigt_von: k.erledigt_von,
                erledigt_am: k.erledigt_am,
            })
            .collect())
    })
}

/// An open credit entry of the list, or the German refusal.
fn offen_in(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
) -> Result<(repo::KlaerungRow, repo::UmsatzRow)> {
    let k = repo::klaerung(sql, mandant, id)?
        .ok_or_else(|| KisError::NotFound(format!("Klärungsposten {id} ist nicht vorhanden.")))?;
    if k.status != "O" {
        return Err(KisError::Conflict(format!(
            "Klärungsposten {id} ist bereits {}.",
            if k.status == "Z" {
                "zugeordnet"
            } else {
                "erstattet"
            }
        )));
    }
    let u = repo::umsatz(sql, mandant, k.umsatz)?
        .ok_or_else(|| KisError::Db(format!("Umsatz {} fehlt.", k.umsatz)))?;
    if u.soll_haben != "C" {
        return Err(KisError::Conflict(format!(
            "Klärungsposten {id} ist eine Abbuchung; sie wird mit der Bank geklärt, nicht zugeordnet oder erstattet."
        )));
    }
    Ok((k, u))
}

/// Assign an open entry to a Kassenzeichen inside the caller's transaction;
/// returns the amount applied (a rest stays on the list as a new entry).
pub fn zuordnen_in(sql: &mut dyn Sql, actor: &Actor, id: i64, kz: &str) -> Result<Money> {
    let m = actor.mandant.as_str();
    let kz = kassenzeichen::pruefen("kassenzeichen", kz)?;
    let (k, u) = offen_in(sql, m, id)?;
    let a = anordnung_repo::zu_kassenzeichen(sql, m, &kz)?
        .filter(|a| a.art == AnordnungArt::Annahme)
        .ok_or_else(|| {
            KisError::NotFound(format!(
                "Kassenzeichen {} ist nicht vergeben oder gehört zu keiner Annahmeanordnung.",
                kassenzeichen::anzeigen(&kz)
            ))
        })?;
    if a.status != super::model::AnordnungStatus::Freigegeben {
        return Err(KisError::Conflict(format!(
            "Die Anordnung zu Kassenzeichen {} ist {}.",
            kassenzeichen::anzeigen(&kz),
            a.status.label()
        )));
    }
    let kasse = einstellung::lesen_in(sql, m)?;
    let folge = kontoauszug::folge(&kasse.tilgungsfolge)?;
    let offen: Vec<Offen> = repo::faelligkeiten_der_anordnung(sql, m, a.nr)?
        .iter()
        .map(|f| {
            Ok(Offen {
                anordnung: f.anordnung,
                lfd: f.lfd,
                art: Forderungsart::parse(&f.art)?,
                faellig: f.faellig,
                rest: Money::from_cents(f.betrag - f.bezahlt),
            })
        })
        .collect::<Result<_>>()?;
    let bestimmt = kontoauszug::bestimmtes_datum(&u.verwendung)
        .into_iter()
        .find(|d| offen.iter().any(|o| o.faellig == *d));
    let teile = kontoauszug::verrechnen_nach(&offen, Money::from_cents(k.betrag), &folge, bestimmt);
    let angewandt: i64 = teile.iter().map(|(_, t)| t.cents()).sum();
    if angewandt == 0 {
        return Err(KisError::Conflict(format!(
            "Auf Kassenzeichen {} ist nichts offen.",
            kassenzeichen::anzeigen(&kz)
        )));
    }
    let betrag = Money::from_cents(angewandt);
    let ek = stamm::konto_in(sql, m, &a.konto)?;
    let fk = ek
        .finanzkonto
        .ok_or_else(|| KisError::Conflict(format!("Konto {} hat kein Finanzkonto.", a.konto)))?;
    let frk = stamm::abschlusskonto_in(sql, m, stamm::FINANZRECHNUNGSKONTO)?;
    let buchung = journal::post_in(
        sql,
        actor,
        &BuchungInput {
            datum: actor.at.date(),
            periode: None,
            beleg: format!("KL-{id}"),
            text: format!(
                "Verwahrgeld an Forderung {}: Klärungsposten {id}",
                kassenzeichen::anzeigen(&kz)
            ),
            zeilen: vec![
                ZeileInput::soll(&kasse.verwahrkonto, None, betrag),
                ZeileInput::haben(&a.gegenkonto, None, betrag),
                ZeileInput::soll(&frk, None, betrag),
                ZeileInput::haben(&fk, Some(&a.produkt), betrag),
            ],
        },
    )?;
    let lfd = repo::zuordnung_naechste_lfd(sql, m, u.id)?;
    let rows: Vec<repo::ZuordnungRow> = teile
        .iter()
        .enumerate()
        .map(|(i, ((an, l), t))| (u.id, lfd + i as i64, *an, *l, t.cents(), Some(buchung)))
        .collect();
    let mut deltas: HashMap<(i64, i64), i64> = HashMap::new();
    for ((an, l), t) in &teile {
        *deltas.entry((*an, *l)).or_default() += t.cents();
    }
    let deltas: Vec<(i64, i64, i64)> = deltas.into_iter().map(|((a, l), d)| (a, l, d)).collect();
    repo::bezahlt_aendern(sql, m, &deltas)?;
    repo::zuordnung_einfuegen_rows(sql, m, &rows)?;
    if !repo::klaerung_erledigen(
        sql,
        m,
        id,
        "Z",
        angewandt,
        &kz,
        &actor.user,
        &actor.stempel(),
    )? {
        return Err(KisError::Conflict(format!(
            "Klärungsposten {id} wurde inzwischen bearbeitet."
        )));
    }
    let rest = k.betrag - angewandt;
    if rest > 0 {
        let neu = repo::naechste_id(sql, m, "fin_klaerung")?;
        repo::klaerungen_einfuegen(
            sql,
            m,
            &[repo::KlaerungRow {
                id: neu,
                umsatz: u.id,
                betrag: rest,
                grund: format!(
                    "Rest nach Zuordnung von Klärungsposten {id} zu Kassenzeichen {}",
                    kassenzeichen::anzeigen(&kz)
                ),
                status: "O".into(),
                kassenzeichen: None,
                erledigt_von: None,
                erledigt_am: None,
            }],
        )?;
    }
    repo::umsatz_status_setzen(sql, m, u.id, "Z")?;
    audit::append(
        sql,
        actor,
        "KLAERUNG_ZUORDNEN",
        ENTITY,
        &id.to_string(),
        Some(&json!({"status": "O", "betrag": Money::from_cents(k.betrag)})),
        Some(
            &json!({"status": "Z", "kassenzeichen": kz, "betrag": betrag, "rest": Money::from_cents(rest), "buchung": buchung}),
        ),
    )?;
    Ok(betrag)
}

/// Assign an open entry to a Kassenzeichen (FIN540, `kis finas klaerung zuordnen`).
pub fn zuordnen(session: &Session, id: i64, kz: &str) -> Result<Money> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| zuordnen_in(sql, &actor, id, kz))
}

/// The answer of a refund: the Auszahlungsanordnung entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Erstattung {
    pub anordnung: i64,
    pub kassenzeichen: String,
    pub partner: i64,
    pub betrag: Money,
}

/// Refund an open entry to `iban` inside the caller's transaction: an
/// Auszahlungsanordnung (entered by the Kasse, to be released by a second
/// person) on the Verwahrgeldkonto for the payer, the Geschäftspartner with
/// this IBAN (refused while there is none).
pub fn erstatten_in(sql: &mut dyn Sql, actor: &Actor, id: i64, iban: &str) -> Result<Erstattung> {
    let m = actor.mandant.as_str();
    let iban = bank::iban_pruefen("iban", iban)?;
    let (k, u) = offen_in(sql, m, id)?;
    let kasse = einstellung::lesen_in(sql, m)?;
    let vorhanden = repo::bankverbindungen(sql, m)?
        .into_iter()
        .find(|(i, _)| *i == iban)
        .map(|(_, p)| p);
    // The payee must be a Geschäftspartner with this account (an address
    // is needed for the Anordnung; the bank entry does not give one).
    let partner = vorhanden.ok_or_else(|| {
        KisError::field(
            "iban",
            format!(
                "Zur IBAN {iban} gibt es keinen Geschäftspartner; bitte den Zahler ({}) zuerst mit Anschrift und dieser Bankverbindung anlegen (kis finas partner neu … --iban {iban}).",
                if u.name.trim().is_empty() { "ohne Namen" } else { u.name.trim() }
            ),
        )
    })?;
    let jahr = actor.at.year();
    let nr = journal::nummern_in(sql, m, "ANORDNUNG", 1)?;
    let lfd = journal::nummern_in(sql, m, &format!("KASSENZEICHEN-{jahr}"), 1)?;
    let kz = kassenzeichen::bilden(jahr, lfd)?;
    let betrag = Money::from_cents(k.betrag);
    let input = AnordnungInput {
        reservierung: None,
        art: AnordnungArt::Auszahlung,
        partner,
        produkt: String::new(),
        konto: kasse.verwahrkonto.clone(),
        kostenstelle: None,
        gegenkonto: Some(kasse.verwahrkonto.clone()),
        text: format!("Erstattung Verwahrgeld, Klärungsposten {id}"),
        faelligkeiten: vec![Faelligkeit {
            faellig: actor.at.date(),
            betrag,
        }],
    };
    anordnung_repo::einfuegen(
        sql,
        m,
        nr,
        &kz,
        &input,
        &kasse.verwahrkonto,
        &actor.user,
        &actor.stempel(),
    )?;
    let nachher = audit::json(&anordnung_repo::lesen(sql, m, nr)?)?;
    audit::append(
        sql,
        actor,
        "ANORDNUNG_ERFASSEN",
        super::anordnung::ENTITY,
        &nr.to_string(),
        None,
        Some(&nachher),
    )?;
    if !repo::klaerung_erledigen(
        sql,
        m,
        id,
        "E",
        k.betrag,
        &kz,
        &actor.user,
        &actor.stempel(),
    )? {
        return Err(KisError::Conflict(format!(
            "Klärungsposten {id} wurde inzwischen bearbeitet."
        )));
    }
    audit::append(
        sql,
        actor,
        "KLAERUNG_ERSTATTEN",
        ENTITY,
        &id.to_string(),
        Some(&json!({"status": "O"})),
        Some(
            &json!({"status": "E", "anordnung": nr, "kassenzeichen": kz, "iban": iban, "betrag": betrag}),
        ),
    )?;
    Ok(Erstattung {
        anordnung: nr,
        kassenzeichen: kz,
        partner,
        betrag,
    })
}

/// Refund an open entry (FIN540, `kis finas klaerung erstatten`).
pub fn erstatten(session: &Session, id: i64, iban: &str) -> Result<Erstattung> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| erstatten_in(sql, &actor, id, iban))
}

/// The list as CSV (`;`): id;status;buchungstag;betrag;eingang;name;iban;verwendung;grund;kassenzeichen
pub fn csv(liste: &[Eintrag]) -> String {
    use crate::finas::plan::csv_text;
    use std::fmt::Write;
    let mut s = String::from(
        "id;status;buchungstag;betrag;richtung;name;iban;verwendung;grund;kassenzeichen\n",
    );
    for e in liste {
        let _ = writeln!(
            s,
            "{};{};{};{};{};{};{};{};{};{}",
            e.id,
            e.status_text(),
            crate::core::date::format_date_de(e.buchungstag),
            e.betrag.format_de(),
            if e.eingang { "Eingang" } else { "Abbuchung" },
            csv_text(&e.name),
            e.iban,
            csv_text(&e.verwendung),
            csv_text(&e.grund),
            e.kassenzeichen.as_deref().unwrap_or("")
        );
    }
    s
}

/// The list for the terminal.
pub fn text(liste: &[Eintrag]) -> String {
    use std::fmt::Write;
    let mut s = format!(
        "{:>6} {:<10} {:<10} {:>14} {:<30} {}\n",
        "Nr.", "Status", "Tag", "Betrag", "Zahler", "Grund"
    );
    for e in liste {
        let _ = writeln!(
            s,
            "{:>6} {:<10} {:<10} {:>14} {:<30} {}",
            e.id,
            e.status_text(),
            crate::core::date::format_date_de(e.buchungstag),
            if e.eingang {
                e.betrag.format_de()
            } else {
                format!("-{}", e.betrag.format_de())
            },
            e.name.chars().take(30).collect::<String>(),
            e.grund
        );
    }
    let offen = liste.iter().filter(|e| e.status == "O").count();
    let _ = writeln!(s, "{} Einträge, davon {offen} offen", liste.len());
    s
}
