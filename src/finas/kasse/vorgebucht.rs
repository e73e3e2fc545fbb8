//! Auszahlungsanordnungen of another procedure that has already posted
//! their expense and liability in its own Buchung ("vorgebucht"): the
//! payroll run posts the net pay as Verbindlichkeit and orders one
//! Auszahlungsanordnung per employee here, inside the run's transaction.
//!
//! They are ordinary Auszahlungsanordnungen of the Kasse otherwise: entered
//! (ERFASST) by the procedure's user, released by another user with the
//! Anordnungsbefugnis (Vier-Augen-Prinzip; the release posts nothing again
//! and links to the Buchung that did), paid by the Zahllauf to the account
//! fixed at entry with the SEPA purpose code of the batch. They are not
//! changed or cancelled one by one: the procedure cancels all of its
//! Buchung's unpaid ones together with that Buchung ([`stornieren_in`]),
//! and refuses while one is paid or in a live Zahllauf.
//!
//! A batch costs a fixed number of statements whatever its size: the
//! partners (kept under a stable key such as `PERSOS:01001`) and their
//! accounts are read once, the missing ones and the Anordnungen with their
//! due dates are written in multi-row statements, and one audit entry
//! records the batch.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;
use serde_json::json;

use super::anordnung::ENTITY;
use super::kassenzeichen;
use super::model::{Partner, PartnerArt, Vorbuchung, VorgebuchteAuszahlung};
use crate::core::collation::search_key;
use crate::core::error::{KisError, Result};
use crate::core::ids;
use crate::core::money::Money;
use crate::core::sanitize::sanitize_line;
use crate::finas::journal;
use crate::finas::repo::kasse::{anordnung as repo, partner as partner_repo};
use crate::finas::stamm;
use crate::kernel::audit::{self, Actor};
use crate::store::Sql;

/// The largest amount of one due date (the SEPA maximum).
const MAX_CENTS: i64 = 99_999_999_999;

/// The key's prefix up to and including the first `:` (e.g. `PERSOS:`).
fn praefix(schluessel: &str) -> Result<&str> {
    match schluessel.find(':') {
        Some(i)
            if i > 0
                && i + 1 < schluessel.len()
                && !schluessel.contains(['%', '_'])
                && !schluessel.chars().any(char::is_control) =>
        {
            Ok(&schluessel[..=i])
        }
        _ => Err(KisError::validation(format!(
            "Geschäftspartner-Schlüssel „{schluessel}“ ungültig (Verfahren:Nummer)."
        ))),
    }
}

/// A name or address as kept by the other procedure, made safe for the
/// partner record: control characters visible as U+FFFD (as on screen),
/// trimmed and cut to the field's length.
fn feld(s: &str, max: usize) -> String {
    sanitize_line(s)
        .trim()
        .chars()
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}

fn text_pruefen(wer: &str, was: &str, s: &str, max: usize) -> Result<()> {
    if s.trim().is_empty() || s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(KisError::validation(format!(
            "{wer}: {was} fehlt oder ist länger als {max} Zeichen."
        )));
    }
    Ok(())
}

/// Checks the shared and the per-payment content (accounts, Produkte and
/// Kostenstellen once per distinct value); returns the normalised IBANs.
fn pruefen_in(
    sql: &mut dyn Sql,
    mandant: &str,
    v: &Vorbuchung,
    zahlungen: &[VorgebuchteAuszahlung],
) -> Result<Vec<String>> {
    let b = journal::lesen_in(sql, mandant, v.buchung)?;
    if b.storniert_durch.is_some() {
        return Err(KisError::Conflict(format!(
            "Buchung {} ist storniert; auf sie werden keine Auszahlungen angeordnet.",
            v.buchung
        )));
    }
    let g = stamm::konto_in(sql, mandant, &v.gegenkonto)
        .map_err(|e| KisError::validation(format!("Gegenkonto: {e}")))?;
    if g.klasse != 3 {
        return Err(KisError::validation(format!(
            "Gegenkonto {} muss ein Verbindlichkeitskonto sein (Klasse 3).",
            g.nr
        )));
    }
    if let Some(c) = &v.zweckcode
        && (c.len() != 4 || !c.chars().all(|x| x.is_ascii_uppercase()))
    {
        return Err(KisError::validation(format!(
            "SEPA-Zweckschlüssel „{c}“ ungültig (vier Großbuchstaben, z. B. SALA)."
        )));
    }
    let mut konten: HashSet<&str> = HashSet::new();
    let mut produkte: HashSet<&str> = HashSet::new();
    let mut kostenstellen: HashSet<&str> = HashSet::new();
    let mut schluessel: HashSet<&str> = HashSet::new();
    let erster = praefix(&zahlungen[0].schluessel)?;
    let mut ibans = Vec::with_capacity(zahlungen.len());
    for z in zahlungen {
        let wer = format!("Auszahlung an {}", z.schluessel);
        if praefix(&z.schluessel)? != erster {
            return Err(KisError::validation(format!(
                "{wer}: alle Geschäftspartner eines Auftrags gehören zu einem Verfahren ({erster})."
            )));
        }
        if !schluessel.insert(&z.schluessel) {
            return Err(KisError::validation(format!(
                "{wer}: der Geschäftspartner kommt doppelt vor."
            )));
        }
        text_pruefen(&wer, "der Name", &feld(&z.name, 70), 70)?;
        text_pruefen(&wer, "der Text", &z.text, 120)?;
        if z.betrag.cents() <= 0 || z.betrag.cents() > MAX_CENTS {
            return Err(KisError::validation(format!(
                "{wer}: der Betrag {} € muss größer als 0 und höchstens 999.999.999,99 € sein.",
                z.betrag.format_de()
            )));
        }
        ibans.push(
            ids::validate_iban(&z.iban).map_err(|e| KisError::validation(format!("{wer}: {e}")))?,
        );
        if konten.insert(z.konto.as_str()) {
            let k = stamm::konto_in(sql, mandant, &z.konto)
                .map_err(|e| KisError::validation(format!("{wer}: {e}")))?;
            if k.klasse != 5 {
                return Err(KisError::validation(format!(
                    "{wer}: Konto {} ist kein Aufwandskonto (Klasse 5).",
                    k.nr
                )));
            }
        }
        if produkte.insert(z.produkt.as_str()) {
            let p = stamm::produkt_in(sql, mandant, &z.produkt)
                .map_err(|e| KisError::validation(format!("{wer}: {e}")))?;
            if p.ebene != 3 {
                return Err(KisError::validation(format!(
                    "{wer}: {} ist kein Produkt (Ebene 3).",
                    z.produkt
                )));
            }
        }
        if let Some(ks) = z.kostenstelle.as_deref()
            && kostenstellen.insert(ks)
            && !stamm::kostenstelle_exists(sql, mandant, ks)?
        {
            return Err(KisError::validation(format!(
                "{wer}: Kostenstelle {ks} ist nicht vorhanden."
            )));
        }
    }
    Ok(ibans)
}

/// Enter the Auszahlungsanordnungen already posted by `v.buchung` inside
/// the caller's transaction (no role check: the calling procedure checked
/// its own): each partner found by its key or created, its account added
/// when new, one Anordnung with one due date per payment. Returns the
/// numbers in the order of `zahlungen`. Any invalid payment refuses all.
pub fn erfassen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    v: &Vorbuchung,
    zahlungen: &[VorgebuchteAuszahlung],
) -> Result<Vec<i64>> {
    if zahlungen.is_empty() {
        return Ok(Vec::new());
    }
    let mandant = actor.mandant.as_str();
    let ibans = pruefen_in(sql, mandant, v, zahlungen)?;
    let praefix = praefix(&zahlungen[0].schluessel)?;
    let am = actor.stempel();

    // Partners: found by key, the missing ones created in one go.
    let mut partner: HashMap<String, (i64, String, String)> =
        partner_repo::mit_schluessel(sql, mandant, praefix)?
            .into_iter()
            .map(|(k, id, name, vorname)| (k, (id, name, vorname)))
            .collect();
    let neu: Vec<&VorgebuchteAuszahlung> = zahlungen
        .iter()
        .filter(|z| !partner.contains_key(&z.schluessel))
        .collect();
    if !neu.is_empty() {
        let erste = journal::nummern_in(sql, mandant, "PARTNER", neu.len() as i64)?;
        let zeilen: Vec<(Partner, String, String)> = neu
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let p = Partner {
                    id: erste + i as i64,
                    art: PartnerArt::Person,
                    name: feld(&z.name, 70),
                    vorname: feld(&z.vorname, 70),
                    strasse: feld(&z.strasse, 70),
                    plz: feld(&z.plz, 10),
                    ort: feld(&z.ort, 50),
                    ewos_person: None,
                    version: 1,
                    erfasst_von: actor.user.clone(),
                    erfasst_am: am.clone(),
                };
                let suchname = search_key(&p.anzeigename());
                (p, suchname, z.schluessel.clone())
            })
            .collect();
        partner_repo::mit_schluessel_einfuegen(sql, mandant, &zeilen)?;
        for (p, _, k) in zeilen {
            partner.insert(k, (p.id, p.name, p.vorname));
        }
    }
    // A changed name is carried to the partner.
    let mut umbenannt = 0usize;
    for z in zahlungen {
        let (id, name, vorname) = &partner[&z.schluessel];
        let (neu_name, neu_vorname) = (feld(&z.name, 70), feld(&z.vorname, 70));
        if *name != neu_name || *vorname != neu_vorname {
            let p = Partner {
                name: neu_name,
                vorname: neu_vorname,
                ..partner_repo::lesen(sql, mandant, *id)?
            };
            partner_repo::name_setzen(
                sql,
                mandant,
                *id,
                &p.name,
                &p.vorname,
                &search_key(&p.anzeigename()),
            )?;
            umbenannt += 1;
        }
    }

    // Accounts: a new IBAN is added after the partner's last account.
    let mut letzte: HashMap<i64, i64> = HashMap::new();
    let mut vorhanden: HashSet<(i64, String)> = HashSet::new();
    for (p, lfd, iban) in partner_repo::konten_mit_schluessel(sql, mandant, praefix)? {
        let l = letzte.entry(p).or_default();
        *l = (*l).max(lfd);
        vorhanden.insert((p, iban));
    }
    let mut konten = Vec::new();
    for (z, iban) in zahlungen.iter().zip(&ibans) {
        let id = partner[&z.schluessel].0;
        if vorhanden.insert((id, iban.clone())) {
            let l = letzte.entry(id).or_default();
            *l += 1;
            konten.push((id, *l, iban.clone()));
        }
    }
    partner_repo::konten_einfuegen(sql, mandant, &konten)?;

    // The Anordnungen: numbers and Kassenzeichen drawn for the whole batch.
    let n = zahlungen.len() as i64;
    let jahr = actor.at.year();
    let erste_nr = journal::nummern_in(sql, mandant, "ANORDNUNG", n)?;
    let erstes_kz = journal::nummern_in(sql, mandant, &format!("KASSENZEICHEN-{jahr}"), n)?;
    let mut inhalte: Vec<VorgebuchteAuszahlung> = Vec::with_capacity(zahlungen.len());
    for (z, iban) in zahlungen.iter().zip(ibans) {
        inhalte.push(VorgebuchteAuszahlung {
            iban,
            text: z.text.trim().to_string(),
            kostenstelle: z
                .kostenstelle
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Into::into),
            ..z.clone()
        });
    }
    let mut zeilen = Vec::with_capacity(inhalte.len());
    for (i, z) in inhalte.iter().enumerate() {
        let kz = kassenzeichen::bilden(jahr, erstes_kz + i as i64)?;
        zeilen.push((erste_nr + i as i64, kz, partner[&z.schluessel].0, z));
    }
    repo::vorgebucht_einfuegen(sql, mandant, v, &zeilen, &actor.user, &am)?;
    let summe: Money = zahlungen.iter().map(|z| z.betrag).sum();
    audit::append(
        sql,
        actor,
        "ANORDNUNGEN_VORGEBUCHT",
        ENTITY,
        &format!("{}-{}", erste_nr, erste_nr + n - 1),
        None,
        Some(&json!({
            "buchung": v.buchung,
            "anzahl": n,
            "summe": summe,
            "gegenkonto": v.gegenkonto,
            "zweckcode": v.zweckcode,
            "kassenzeichen": [zeilen[0].1, zeilen[zeilen.len() - 1].1],
            "partner_neu": neu.len(),
            "partner_umbenannt": umbenannt,
            "konten_neu": konten.len(),
        })),
    )?;
    Ok((erste_nr..erste_nr + n).collect())
}

/// Cancel the uncancelled Anordnungen already posted by `buchung` inside
/// the caller's transaction, before the procedure reverses that Buchung.
/// Refused, with nothing changed, while one of them is paid (even in part)
/// or in a live Zahllauf. Returns how many were cancelled.
pub fn stornieren_in(sql: &mut dyn Sql, actor: &Actor, buchung: i64, grund: &str) -> Result<u64> {
    let mandant = actor.mandant.as_str();
    let offen = repo::zur_vorbuchung(sql, mandant, buchung)?;
    if let Some(a) = offen.iter().find(|a| a.bezahlt > 0) {
        return Err(KisError::Conflict(format!(
            "Die Auszahlungsanordnung {} (Kassenzeichen {}) ist bereits bezahlt ({} €).",
            a.nr,
            kassenzeichen::anzeigen(&a.kassenzeichen),
            Money::from_cents(a.bezahlt).format_de()
        )));
    }
    if let Some(a) = offen.iter().find(|a| a.zahllauf.is_some()) {
        return Err(KisError::Conflict(format!(
            "Die Auszahlungsanordnung {} (Kassenzeichen {}) ist im laufenden Zahllauf {}; \
             ging dessen Datei nicht an die Bank, bitte zuerst den Zahllauf stornieren.",
            a.nr,
            kassenzeichen::anzeigen(&a.kassenzeichen),
            a.zahllauf.unwrap_or_default()
        )));
    }
    if offen.is_empty() {
        return Ok(0);
    }
    let n = repo::vorgebucht_stornieren(sql, mandant, buchung, &actor.user, &actor.stempel())?;
    audit::append(
        sql,
        actor,
        "ANORDNUNGEN_STORNIEREN",
        ENTITY,
        &format!("{}-{}", offen[0].nr, offen[offen.len() - 1].nr),
        None,
        Some(&json!({"buchung": buchung, "anzahl": n, "grund": grund})),
    )?;
    Ok(n)
}
