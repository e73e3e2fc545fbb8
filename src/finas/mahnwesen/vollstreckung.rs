//! Vollstreckungsübergabe: the claims dunned at the last Mahnstufe whose
//! deadline has passed go to the Vollstreckungsverfahren as a CSV file, one
//! row per Kassenzeichen, each item recorded so that it is handed over once
//! and no longer dunned. Role: KASSE.
//!
//! The debtor's address: a firm's or a non-resident's from the
//! Geschäftspartner; a resident's from the Melderegister through the EWOS
//! service the Kasse uses ([`crate::ewos::kasse_partner`]). Where the
//! register gives nothing (an Auskunftssperre, § 51 BMG, or an address
//! protected by one; archived; no Hauptwohnung here) no address leaves the
//! system: the row says `Einzelersuchen § 34 BMG`, and the
//! Vollstreckungsbehörde asks the Meldebehörde for this one case, which
//! then weighs the Sperre (§ 34(1), § 38(2) BMG) — an automated file never
//! carries a blocked address. A Wegzug or Sterbefall is named with its day.

use chrono::NaiveDate;
use serde_json::json;

use super::mahnlauf::einstellung_in;
use super::model::Uebergabe;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::ewos::kasse_partner::{self, Meldestand};
use crate::finas::journal;
use crate::finas::plan::csv_text;
use crate::finas::repo::kasse::{anordnung as anordnung_repo, partner as partner_repo};
use crate::finas::repo::mahnwesen as repo;
use crate::kernel::audit;
use crate::kernel::session::Session;
use crate::store::Sql;

/// The CSV header (`;`, German amounts and dates).
pub const KOPF: &str = "kassenzeichen;schuldner;strasse;plz;ort;anschrift_quelle;hauptforderung;saeumniszuschlaege;zinsen;kosten;gesamt;faellig_seit;letzte_mahnung";

/// One Kassenzeichen handed over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fall {
    pub anordnung: i64,
    pub kassenzeichen: String,
    pub schuldner: String,
    pub strasse: String,
    pub plz: String,
    pub ort: String,
    /// `Geschäftspartner`, `Melderegister`, or why there is no address.
    pub anschrift_quelle: String,
    pub hauptforderung: Money,
    pub saeumniszuschlaege: Money,
    pub zinsen: Money,
    pub kosten: Money,
    /// The oldest open due date.
    pub faellig_seit: NaiveDate,
    pub letzte_mahnung: Option<NaiveDate>,
}

impl Fall {
    pub fn gesamt(&self) -> Money {
        Money::from_cents(
            self.hauptforderung.cents()
                + self.saeumniszuschlaege.cents()
                + self.zinsen.cents()
                + self.kosten.cents(),
        )
    }
}

fn anschrift(
    sql: &mut dyn Sql,
    mandant: &str,
    partner: i64,
    heute: NaiveDate,
) -> Result<(String, String, String, String, String)> {
    let p = partner_repo::lesen(sql, mandant, partner)?;
    let name = p.anzeigename();
    let Some(om) = p.ewos_person else {
        return Ok((name, p.strasse, p.plz, p.ort, "Geschäftspartner".into()));
    };
    let leer = |quelle: String| {
        (
            name.clone(),
            String::new(),
            String::new(),
            String::new(),
            quelle,
        )
    };
    let datum = |d: Option<NaiveDate>| {
        d.map(|d| format!(" am {}", format_date_de(d)))
            .unwrap_or_default()
    };
    Ok(
        match kasse_partner::meldestand_in(sql, mandant, om, heute)? {
            Meldestand::Gemeldet(m) => (name, m.strasse, m.plz, m.ort, "Melderegister".into()),
            Meldestand::Weggezogen(d) => {
                leer(format!("weggezogen{}; Einzelersuchen § 34 BMG", datum(d)))
            }
            Meldestand::Verstorben(d) => {
                leer(format!("verstorben{}; Nachlass ermitteln", datum(d)))
            }
            Meldestand::Keine => leer("Einzelersuchen § 34 BMG".into()),
        },
    )
}

/// Hand over what is vollstreckungsreif on the session's day; `ausgeben`
/// writes the cases (the file) inside the transaction, so a file that
/// cannot be written records nothing. Returns the number of the handover
/// and its cases (audited). Refused when nothing is vollstreckungsreif.
pub fn uebergeben(
    session: &Session,
    ausgeben: &mut dyn FnMut(&[Fall]) -> Result<()>,
) -> Result<(i64, Vec<Fall>)> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    let heute = actor.at.date();
    session.db.write(|sql| {
        let e = einstellung_in(sql, &actor.mandant)?;
        let nrs = repo::vollstreckungsreif(sql, &actor.mandant, e.stufen, heute)?;
        if nrs.is_empty() {
            return Err(KisError::Conflict(format!(
                "Zum {} ist nichts vollstreckungsreif (letzte Mahnstufe {} versandt und Zahlungsfrist abgelaufen).",
                format_date_de(heute),
                e.stufen
            )));
        }
        let nr = journal::nummern_in(sql, &actor.mandant, "VOLLSTRECKUNG", 1)?;
        repo::uebergabe_einfuegen(
            sql,
            &actor.mandant,
            nr,
            heute,
            &actor.user,
            &actor.stempel(),
        )?;
        let mut faelle = Vec::new();
        for a_nr in nrs {
            let a = anordnung_repo::lesen(sql, &actor.mandant, a_nr)?;
            let (schuldner, strasse, plz, ort, anschrift_quelle) = anschrift(sql, &actor.mandant, a.partner, heute)?;
            let mut summe = [0i64; 4];
            let mut seit: Option<NaiveDate> = None;
            for z in anordnung_repo::faelligkeiten(sql, &actor.mandant, a_nr)? {
                let rest = z.rest();
                if !rest.is_positive() {
                    continue;
                }
                let i = match z.art.as_str() {
                    "H" => 0,
                    "S" => 1,
                    "Z" => 2,
                    _ => 3,
                };
                summe[i] += rest.cents();
                seit = Some(seit.map_or(z.faellig, |s| s.min(z.faellig)));
                repo::uebergabe_posten(sql, &actor.mandant, nr, a_nr, z.lfd, rest)?;
            }
            faelle.push(Fall {
                anordnung: a_nr,
                kassenzeichen: a.kassenzeichen.clone(),
                schuldner,
                strasse,
                plz,
                ort,
                anschrift_quelle,
                hauptforderung: Money::from_cents(summe[0]),
                saeumniszuschlaege: Money::from_cents(summe[1]),
                zinsen: Money::from_cents(summe[2]),
                kosten: Money::from_cents(summe[3]),
                faellig_seit: seit.unwrap_or(heute),
                letzte_mahnung: repo::letzte_mahnung(sql, &actor.mandant, a_nr)?,
            });
        }
        ausgeben(&faelle)?;
        let gesamt: i64 = faelle.iter().map(|f| f.gesamt().cents()).sum();
        audit::append(
            sql,
            &actor,
            "VOLLSTRECKUNG_UEBERGABE",
            "fin_vollstreckung",
            &nr.to_string(),
            None,
            Some(&json!({
                "faelle": faelle.len(),
                "gesamt": gesamt,
                "kassenzeichen": faelle.iter().map(|f| f.kassenzeichen.as_str()).collect::<Vec<_>>(),
            })),
        )?;
        Ok((nr, faelle))
    })
}

/// The handovers, newest first.
pub fn liste(session: &Session) -> Result<Vec<Uebergabe>> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::uebergaben(sql, &session.mandant.id))
}

/// The handover file (header [`KOPF`]).
pub fn csv(faelle: &[Fall]) -> String {
    let mut s = String::from(KOPF);
    s.push('\n');
    for f in faelle {
        let felder = [
            f.kassenzeichen.clone(),
            csv_text(&f.schuldner),
            csv_text(&f.strasse),
            csv_text(&f.plz),
            csv_text(&f.ort),
            csv_text(&f.anschrift_quelle),
            f.hauptforderung.format_de(),
            f.saeumniszuschlaege.format_de(),
            f.zinsen.format_de(),
            f.kosten.format_de(),
            f.gesamt().format_de(),
            format_date_de(f.faellig_seit),
            f.letzte_mahnung.map(format_date_de).unwrap_or_default(),
        ];
        s.push_str(&felder.join(";"));
        s.push('\n');
    }
    s
}
