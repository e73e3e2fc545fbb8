//! Geschäftspartner (Personenkonten' owners): debtors and creditors with
//! address, optional link to the EWOS resident (through the EWOS service
//! [`crate::ewos::kasse_partner`]), bank accounts and SEPA mandates.
//! Entered by FINAS clerks or the Kasse; every change is audited.

use chrono::NaiveDate;
use serde_json::json;

use super::bank;
use super::model::{Bankverbindung, Mandat, Partner, PartnerArt, PartnerInput};
use crate::core::collation::search_key;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::ewos::kasse_partner::{self, Meldestand};
use crate::finas::journal;
use crate::finas::repo::kasse::partner as repo;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_partner";

/// Who may keep Geschäftspartner, bank accounts and mandates.
pub const PFLEGE: &[Role] = &[Role::FinasAendern, Role::Kasse];

fn text(feld: &str, was: &str, s: &str, max: usize, pflicht: bool) -> Result<String> {
    let t = s.trim();
    if pflicht && t.is_empty() {
        return Err(KisError::field(feld, format!("Bitte {was} angeben.")));
    }
    if t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(KisError::field(
            feld,
            format!("{was}: höchstens {max} Zeichen, keine Steuerzeichen."),
        ));
    }
    Ok(t.to_string())
}

/// Create a Geschäftspartner inside the caller's transaction; returns its
/// number. With an EWOS link the name must match the register and the
/// address comes from it.
pub fn anlegen_in(sql: &mut dyn Sql, actor: &Actor, input: &PartnerInput) -> Result<i64> {
    let art = input
        .art
        .ok_or_else(|| KisError::field("art", "Art: P (natürliche Person) oder F (Firma)."))?;
    let mut p = Partner {
        id: 0,
        art,
        name: text("name", "den Namen", &input.name, 70, true)?,
        vorname: text("vorname", "den Vornamen", &input.vorname, 70, false)?,
        strasse: text(
            "strasse",
            "Straße und Hausnummer",
            &input.strasse,
            70,
            false,
        )?,
        plz: text("plz", "die Postleitzahl", &input.plz, 10, false)?,
        ort: text("ort", "den Ort", &input.ort, 50, false)?,
        ewos_person: input.ewos_person,
        version: 1,
        erfasst_von: actor.user.clone(),
        erfasst_am: actor.stempel(),
    };
    if let Some(om) = input.ewos_person {
        if art != PartnerArt::Person {
            return Err(KisError::field(
                "ewos_person",
                "Nur eine natürliche Person wird mit dem Melderegister verknüpft.",
            ));
        }
        let m = kasse_partner::verknuepfen_in(sql, &actor.mandant, om, &p.name, actor.at.date())?
            .ok_or_else(|| {
                KisError::field(
                    "ewos_person",
                    format!(
                        "Person {om} mit dem Namen {} kann nicht verknüpft werden (nicht im Melderegister gefunden oder nicht freigegeben). Bitte die Anschrift selbst erfassen.",
                        p.name
                    ),
                )
            })?;
        if let Some(id) = repo::zu_ewos_person(sql, &actor.mandant, om)? {
            return Err(KisError::Conflict(format!(
                "Diese Person ist bereits Geschäftspartner {id}."
            )));
        }
        p.name = m.familienname;
        if p.vorname.is_empty() {
            p.vorname = m.vornamen;
        }
        (p.strasse, p.plz, p.ort) = (m.strasse, m.plz, m.ort);
    }
    if p.strasse.is_empty() || p.plz.is_empty() || p.ort.is_empty() {
        return Err(KisError::field(
            if p.strasse.is_empty() {
                "strasse"
            } else if p.plz.is_empty() {
                "plz"
            } else {
                "ort"
            },
            "Bitte die Anschrift vollständig angeben (Straße, PLZ, Ort).",
        ));
    }
    p.id = journal::nummern_in(sql, &actor.mandant, "PARTNER", 1)?;
    let suchname = search_key(&p.anzeigename());
    repo::einfuegen(sql, &actor.mandant, &p, &suchname)?;
    audit::append(
        sql,
        actor,
        "PARTNER_ANLEGEN",
        ENTITY,
        &p.id.to_string(),
        None,
        Some(&audit::json(&p)?),
    )?;
    Ok(p.id)
}

pub fn anlegen(session: &Session, input: &PartnerInput) -> Result<i64> {
    session.require(PFLEGE)?;
    let actor = session.actor();
    session.db.write(|sql| anlegen_in(sql, &actor, input))
}

/// Add a bank account (IBAN checked, BIC optional) inside the caller's transaction.
pub fn bank_hinzufuegen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    partner: i64,
    iban: &str,
    bic: &str,
    inhaber: &str,
) -> Result<i64> {
    let iban = bank::iban_pruefen("iban", iban)?;
    let bic = bank::bic_pruefen("bic", bic)?;
    let inhaber = text("inhaber", "den Kontoinhaber", inhaber, 70, false)?;
    repo::lesen(sql, &actor.mandant, partner)?;
    let lfd = repo::bank_einfuegen(sql, &actor.mandant, partner, &iban, &bic, &inhaber)?
        .ok_or_else(|| {
            KisError::field(
                "iban",
                format!("Geschäftspartner {partner} hat diese IBAN bereits."),
            )
        })?;
    audit::append(
        sql,
        actor,
        "PARTNER_BANK",
        ENTITY,
        &partner.to_string(),
        None,
        Some(&json!({"lfd": lfd, "iban": iban, "bic": bic, "inhaber": inhaber})),
    )?;
    Ok(lfd)
}

pub fn bank_hinzufuegen(
    session: &Session,
    partner: i64,
    iban: &str,
    bic: &str,
    inhaber: &str,
) -> Result<i64> {
    session.require(PFLEGE)?;
    let actor = session.actor();
    session
        .db
        .write(|sql| bank_hinzufuegen_in(sql, &actor, partner, iban, bic, inhaber))
}

/// A SEPA mandate as the debtor signed it.
#[derive(Clone, Debug)]
pub struct MandatInput {
    pub referenz: String,
    pub iban: String,
    pub unterschrieben: NaiveDate,
    pub wiederkehrend: bool,
}

/// Record a signed mandate inside the caller's transaction. The
/// Mandatsreferenz is at most 35 characters of `A–Z a–z 0–9 + ? / - : ( ) . , '`
/// (EPC), unique per Mandant; the IBAN must be one of the partner's.
pub fn mandat_anlegen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    partner: i64,
    m: &MandatInput,
) -> Result<()> {
    let referenz = m.referenz.trim();
    if referenz.is_empty()
        || referenz.len() > 35
        || !referenz
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+?/-:().,'".contains(c))
    {
        return Err(KisError::field(
            "referenz",
            "Mandatsreferenz: 1 bis 35 Zeichen aus A–Z, a–z, 0–9 und + ? / - : ( ) . , ' (ohne Leerzeichen).",
        ));
    }
    if m.unterschrieben > actor.at.date() {
        return Err(KisError::field(
            "unterschrieben",
            "Das Datum der Unterschrift darf nicht in der Zukunft liegen.",
        ));
    }
    let iban = bank::iban_pruefen("iban", &m.iban)?;
    repo::lesen(sql, &actor.mandant, partner)?;
    if !repo::bankverbindungen(sql, &actor.mandant, partner)?
        .iter()
        .any(|b| b.iban == iban)
    {
        return Err(KisError::field(
            "iban",
            format!(
                "Die IBAN ist keine Bankverbindung von Geschäftspartner {partner}; bitte zuerst die Bankverbindung erfassen."
            ),
        ));
    }
    if repo::mandat(sql, &actor.mandant, referenz)?.is_some() {
        return Err(KisError::field(
            "referenz",
            format!("Die Mandatsreferenz {referenz} ist bereits vergeben."),
        ));
    }
    let mandat = Mandat {
        referenz: referenz.to_string(),
        partner,
        iban,
        unterschrieben: m.unterschrieben,
        wiederkehrend: m.wiederkehrend,
        letzte_nutzung: None,
        widerrufen: None,
    };
    repo::mandat_einfuegen(sql, &actor.mandant, &mandat)?;
    audit::append(
        sql,
        actor,
        "MANDAT_ANLEGEN",
        ENTITY,
        &partner.to_string(),
        None,
        Some(&audit::json(&mandat)?),
    )?;
    Ok(())
}

pub fn mandat_anlegen(session: &Session, partner: i64, m: &MandatInput) -> Result<()> {
    session.require(PFLEGE)?;
    let actor = session.actor();
    session
        .db
        .write(|sql| mandat_anlegen_in(sql, &actor, partner, m))
}

/// The debtor revokes a mandate from `am` on.
pub fn mandat_widerrufen(session: &Session, referenz: &str, am: NaiveDate) -> Result<()> {
    session.require(PFLEGE)?;
    let actor = session.actor();
    session.db.write(|sql| {
        let m = repo::mandat(sql, &actor.mandant, referenz.trim())?.ok_or_else(|| {
            KisError::NotFound(format!("Mandat {} ist nicht vorhanden.", referenz.trim()))
        })?;
        if let Some(w) = m.widerrufen {
            return Err(KisError::Conflict(format!(
                "Mandat {} ist bereits zum {} widerrufen.",
                m.referenz,
                format_date_de(w)
            )));
        }
        if am < m.unterschrieben {
            return Err(KisError::field(
                "datum",
                "Der Widerruf kann nicht vor der Unterschrift liegen.",
            ));
        }
        repo::mandat_widerrufen(sql, &actor.mandant, &m.referenz, am)?;
        audit::append(
            sql,
            &actor,
            "MANDAT_WIDERRUFEN",
            ENTITY,
            &m.partner.to_string(),
            Some(&audit::json(&m)?),
            Some(&json!({"referenz": m.referenz, "widerrufen": am})),
        )?;
        Ok(())
    })
}

/// Whom [`erfassen`] writes to.
#[derive(Clone, Copy, Debug)]
pub enum Ziel<'a> {
    Neu(&'a PartnerInput),
    Vorhanden(i64),
}

/// Create a partner or take an existing one, and add a bank account
/// (IBAN, BIC) and a mandate to it — all in one transaction, so a refused
/// IBAN or mandate leaves nothing behind. Returns the partner's number.
pub fn erfassen(
    session: &Session,
    ziel: Ziel,
    bank: Option<(&str, &str)>,
    mandat: Option<&MandatInput>,
) -> Result<i64> {
    session.require(PFLEGE)?;
    let actor = session.actor();
    session.db.write(|sql| {
        let id = match ziel {
            Ziel::Neu(input) => anlegen_in(sql, &actor, input)?,
            Ziel::Vorhanden(id) => repo::lesen(sql, &actor.mandant, id)?.id,
        };
        if let Some((iban, bic)) = bank {
            bank_hinzufuegen_in(sql, &actor, id, iban, bic, "")?;
        }
        if let Some(m) = mandat {
            mandat_anlegen_in(sql, &actor, id, m)?;
        }
        Ok(id)
    })
}

/// A partner with everything the Kasse shows about it.
#[derive(Clone, Debug)]
pub struct PartnerAnsicht {
    pub partner: Partner,
    pub banken: Vec<Bankverbindung>,
    pub mandate: Vec<Mandat>,
    /// Tasks for the Kasse, e.g. a Wegzug or Sterbefall in EWOS, or a
    /// changed register address.
    pub aufgaben: Vec<String>,
}

/// The tasks the register's current answer raises for a linked partner.
fn aufgaben(p: &Partner, stand: &Meldestand) -> Vec<String> {
    let datum = |d: &Option<NaiveDate>| {
        d.map(|d| format!(" am {}", format_date_de(d)))
            .unwrap_or_default()
    };
    match stand {
        Meldestand::Gemeldet(m)
            if (m.strasse.as_str(), m.plz.as_str(), m.ort.as_str())
                != (p.strasse.as_str(), p.plz.as_str(), p.ort.as_str()) =>
        {
            vec![format!(
                "Anschrift im Melderegister geändert: {}, {} {} – bitte Anschrift prüfen.",
                m.strasse, m.plz, m.ort
            )]
        }
        Meldestand::Gemeldet(_) => Vec::new(),
        Meldestand::Weggezogen(d) => vec![format!(
            "Wegzug{} laut Melderegister – neue Anschrift ermitteln, Lastschriften und offene Posten prüfen.",
            datum(d)
        )],
        Meldestand::Verstorben(d) => vec![format!(
            "Sterbefall{} laut Melderegister – Erben ermitteln, Mandate beenden, offene Posten prüfen.",
            datum(d)
        )],
        Meldestand::Keine => {
            vec!["Das Melderegister gibt zu dieser Person keine Auskunft mehr.".into()]
        }
    }
}

pub fn zeigen_in(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    heute: NaiveDate,
) -> Result<PartnerAnsicht> {
    let partner = repo::lesen(sql, mandant, id)?;
    let aufgaben = match partner.ewos_person {
        Some(om) => aufgaben(
            &partner,
            &kasse_partner::meldestand_in(sql, mandant, om, heute)?,
        ),
        None => Vec::new(),
    };
    Ok(PartnerAnsicht {
        banken: repo::bankverbindungen(sql, mandant, id)?,
        mandate: repo::mandate(sql, mandant, id)?,
        partner,
        aufgaben,
    })
}

pub fn zeigen(session: &Session, id: i64) -> Result<PartnerAnsicht> {
    session.require(&[Role::FinasLesen])?;
    let heute = session.today();
    session
        .db
        .read(|sql| zeigen_in(sql, &session.mandant.id, id, heute))
}

/// Partners whose name begins with `name` (search key: any case, ü = ue; empty: all), at most `limit`.
pub fn liste(session: &Session, name: &str, limit: usize) -> Result<Vec<Partner>> {
    session.require(&[Role::FinasLesen])?;
    let key = search_key(name.trim());
    session
        .db
        .read(|sql| repo::suchen(sql, &session.mandant.id, &key, limit))
}

/// The partner's text for documents: number, name, address.
pub fn dokument(a: &PartnerAnsicht, heute: NaiveDate) -> String {
    let p = &a.partner;
    let mut s = format!(
        "Geschäftspartner {}  ({})\n{}\n{}\n",
        p.id,
        p.art.label(),
        p.anzeigename(),
        p.anschrift()
    );
    if let Some(om) = p.ewos_person {
        s.push_str(&format!("Melderegister: Person {om}\n"));
    }
    s.push_str("\nBankverbindungen:\n");
    if a.banken.is_empty() {
        s.push_str("  keine\n");
    }
    for b in &a.banken {
        s.push_str(&format!(
            "  {}  {}  {}\n",
            crate::core::ids::format_iban(&b.iban),
            if b.bic.is_empty() { "-" } else { &b.bic },
            b.inhaber
        ));
    }
    s.push_str("\nSEPA-Mandate:\n");
    if a.mandate.is_empty() {
        s.push_str("  keine\n");
    }
    for m in &a.mandate {
        s.push_str(&format!(
            "  {}  unterschrieben {}  {}  {}\n",
            m.referenz,
            format_date_de(m.unterschrieben),
            crate::core::ids::format_iban(&m.iban),
            m.stand_text(heute)
        ));
    }
    for t in &a.aufgaben {
        s.push_str(&format!("\nAufgabe: {t}\n"));
    }
    s
}
