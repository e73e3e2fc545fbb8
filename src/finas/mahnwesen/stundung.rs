//! Stundung (AO § 222): a decision that defers the open main claims of an
//! Anordnung into instalments with new due dates, with Stundungszinsen
//! (AO § 234, [`super::zinsen`]). Role: FINAS_ANORDNUNG (the decision);
//! the Kasse reads.
//!
//! - The open rest of every main-claim due date (art H) of the Anordnung is
//!   taken off it (`abgesetzt`) and becomes the instalments, new due dates
//!   of art H on the same Kassenzeichen: the instalments add up to that
//!   rest exactly. Fees, Säumniszuschläge and interest already charged stay
//!   due as they are.
//! - While it is in force no Säumniszuschlag arises and nothing is dunned
//!   before an instalment's due date: the deferred due dates are closed and
//!   the instalments are not yet due. Säumniszuschläge that arose before
//!   the Stundung began (due date passed, Schonfrist over) remain owed: they
//!   are charged with the decision as an item of art S, due with the first
//!   instalment.
//! - The interest (art Z, due with the first instalment) is posted
//!   Forderung an Zinsertrag; a waiver (§ 234(2)) needs its reason.
//! - A missed instalment ends the Stundung when the Mandant says so
//!   (Terminverlust, checked by the Mahnlauf): every later instalment falls
//!   due on the missed one's day, and the interest for the months no longer
//!   deferred is taken off again. A revocation does the same on its day.

use chrono::{Days, NaiveDate};
use serde_json::json;

use super::mahnlauf::einstellung_in;
use super::model::{Rate, Stundung, StundungStatus};
use super::saeumnis::{self, Fall, Zahlungsart};
use super::zinsen;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::feiertage::Bundesland;
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::journal::{self, BuchungInput, ZeileInput};
use crate::finas::kasse::model::{AnordnungArt, AnordnungStatus, Faelligkeit};
use crate::finas::repo::kasse::anordnung as anordnung_repo;
use crate::finas::repo::stundung as repo;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_stundung";

/// A Stundung as the clerk enters it.
#[derive(Clone, Debug, Default)]
pub struct StundungInput {
    pub anordnung: i64,
    /// The day it takes effect; empty: the day of the decision.
    pub beginn: Option<NaiveDate>,
    pub raten: Vec<Faelligkeit>,
    pub grund: String,
    /// Interest waived (AO § 234(2)) for this reason.
    pub zinsfrei_grund: Option<String>,
}

fn betrag_de(m: Money) -> String {
    format!("{} €", m.format_de())
}

/// Grant a Stundung (audited); returns it as recorded.
pub fn gewaehren(session: &Session, input: &StundungInput) -> Result<Stundung> {
    session.require(&[Role::FinasAnordnung])?;
    let land = Bundesland::parse(&session.mandant.bundesland)?;
    let actor = session.actor();
    session
        .db
        .write(|sql| gewaehren_in(sql, &actor, land, input))
}

pub fn gewaehren_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    land: Bundesland,
    input: &StundungInput,
) -> Result<Stundung> {
    let heute = actor.at.date();
    let grund = input.grund.trim();
    if grund.is_empty() {
        return Err(KisError::field(
            "grund",
            "Bitte den Grund der Stundung angeben (z. B. „erhebliche Härte, Antrag vom …“).",
        ));
    }
    let zinsfrei_grund = input
        .zinsfrei_grund
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    let e = einstellung_in(sql, &actor.mandant)?;
    let a = anordnung_repo::lesen(sql, &actor.mandant, input.anordnung)
        .map_err(|err| KisError::field("anordnung", err.to_string()))?;
    if a.art != AnordnungArt::Annahme || a.status != AnordnungStatus::Freigegeben {
        return Err(KisError::field(
            "anordnung",
            format!(
                "Anordnung {} ist keine freigegebene Annahmeanordnung; nur Forderungen werden gestundet.",
                a.nr
            ),
        ));
    }
    if repo::liste(sql, &actor.mandant, Some(a.nr))?
        .iter()
        .any(|s| s.status == StundungStatus::Aktiv)
    {
        return Err(KisError::Conflict(format!(
            "Für Anordnung {} ist bereits eine Stundung in Kraft.",
            a.nr
        )));
    }
    let zeilen = anordnung_repo::faelligkeiten(sql, &actor.mandant, a.nr)?;
    let gestundet: Vec<_> = zeilen
        .iter()
        .filter(|z| z.art == "H" && z.rest().is_positive())
        .collect();
    let Some(erste) = gestundet.iter().map(|z| z.faellig).min() else {
        return Err(KisError::Conflict(format!(
            "Anordnung {} hat keine offene Hauptforderung zu stunden.",
            a.nr
        )));
    };
    let summe = Money::from_cents(gestundet.iter().map(|z| z.rest().cents()).sum());
    let beginn = input.beginn.unwrap_or(heute);
    if beginn < erste {
        return Err(KisError::field(
            "beginn",
            format!(
                "Die Stundung kann frühestens am Fälligkeitstag ({}) beginnen.",
                format_date_de(erste)
            ),
        ));
    }
    if input.raten.is_empty() {
        return Err(KisError::field(
            "raten",
            "Bitte mindestens eine Rate angeben.",
        ));
    }
    let mut vorher = beginn;
    for (i, r) in input.raten.iter().enumerate() {
        if !r.betrag.is_positive() {
            return Err(KisError::field(
                "raten",
                format!("Rate {}: der Betrag muss größer als 0 sein.", i + 1),
            ));
        }
        if r.faellig < heute || r.faellig <= vorher && i > 0 || r.faellig < beginn {
            return Err(KisError::field(
                "raten",
                format!(
                    "Rate {}: die Fälligkeit {} muss nach dem Beginn, nach der vorigen Rate und nicht in der Vergangenheit liegen.",
                    i + 1,
                    format_date_de(r.faellig)
                ),
            ));
        }
        vorher = r.faellig;
    }
    let raten_summe = Money::from_cents(input.raten.iter().map(|r| r.betrag.cents()).sum());
    if raten_summe != summe {
        return Err(KisError::field(
            "raten",
            format!(
                "Die Raten ergeben {}, offen sind {}: die Raten müssen die offene Hauptforderung genau decken.",
                betrag_de(raten_summe),
                betrag_de(summe)
            ),
        ));
    }
    if anordnung_repo::in_live_zahllauf(sql, &actor.mandant, a.nr)? {
        return Err(KisError::Conflict(format!(
            "Anordnung {} steht in einem laufenden Zahllauf (Lastschrift); erst den Zahllauf stornieren.",
            a.nr
        )));
    }

    // Säumniszuschläge up to the day before the Stundung, less those the
    // Mahnläufe charged already.
    let bisher = crate::finas::repo::mahnwesen::saeumnis_erhoben(sql, &actor.mandant, a.nr)?;
    let mut saeumnis = 0i64;
    if let Some(vortag) = beginn.checked_sub_days(Days::new(1)) {
        for z in &gestundet {
            let s = saeumnis::berechnen(&Fall {
                betrag: z.rest(),
                faellig: z.faellig,
                gezahlt: vortag,
                art: Zahlungsart::Ueberweisung,
                land,
            })?;
            saeumnis += s.zuschlag.cents();
        }
    }
    let saeumnis = Money::from_cents((saeumnis - bisher.cents()).max(0));

    let raten_zins: Vec<_> = input
        .raten
        .iter()
        .map(|r| zinsen::ratenzins(beginn, r.faellig, r.betrag))
        .collect();
    let zinsen = if zinsfrei_grund.is_some() {
        Money::zero()
    } else {
        zinsen::festsetzen(&raten_zins)
    };

    let id = journal::nummern_in(sql, &actor.mandant, "STUNDUNG", 1)?;
    for z in &gestundet {
        if !anordnung_repo::absetzen(sql, &actor.mandant, a.nr, z.lfd, z.rest())? {
            return Err(KisError::Conflict(format!(
                "Anordnung {} wurde inzwischen bearbeitet. Bitte neu laden.",
                a.nr
            )));
        }
    }
    let mut raten = Vec::new();
    for (i, (r, rz)) in input.raten.iter().zip(&raten_zins).enumerate() {
        let lfd = anordnung_repo::sollstellung_anfuegen(
            sql,
            &actor.mandant,
            a.nr,
            r.faellig,
            r.betrag,
            "H",
        )?;
        raten.push(Rate {
            nr: i as i64 + 1,
            lfd,
            faellig: r.faellig,
            betrag: r.betrag,
            bezahlt: Money::zero(),
            monate: rz.monate,
            zinsen: rz.zinsen,
        });
    }
    let erste_rate = input.raten[0].faellig;
    let mut zeilen_buchung = Vec::new();
    if zinsen.is_positive() {
        anordnung_repo::sollstellung_anfuegen(sql, &actor.mandant, a.nr, erste_rate, zinsen, "Z")?;
        zeilen_buchung.push(ZeileInput::soll(&a.gegenkonto, None, zinsen));
        zeilen_buchung.push(ZeileInput::haben(
            &e.zinsertragskonto,
            Some(&a.produkt),
            zinsen,
        ));
    }
    if saeumnis.is_positive() {
        anordnung_repo::sollstellung_anfuegen(
            sql,
            &actor.mandant,
            a.nr,
            erste_rate,
            saeumnis,
            "S",
        )?;
        zeilen_buchung.push(ZeileInput::soll(&a.gegenkonto, None, saeumnis));
        zeilen_buchung.push(ZeileInput::haben(
            &e.ertragskonto,
            Some(&a.produkt),
            saeumnis,
        ));
    }
    let buchung = if zeilen_buchung.is_empty() {
        None
    } else {
        Some(
            journal::buchen_in(
                sql,
                actor,
                &BuchungInput {
                    datum: heute,
                    periode: None,
                    beleg: format!("ST{id}"),
                    text: format!(
                        "Stundung {id} zu {}: Zinsen und Säumniszuschläge",
                        a.kassenzeichen
                    ),
                    zeilen: zeilen_buchung,
                },
            )?
            .nr,
        )
    };
    let s = Stundung {
        id,
        anordnung: a.nr,
        kassenzeichen: a.kassenzeichen.clone(),
        beginn,
        grund: grund.to_string(),
        zinsen,
        zinsfrei_grund,
        status: StundungStatus::Aktiv,
        erfasst_von: actor.user.clone(),
        erfasst_am: actor.stempel(),
        beendet_von: None,
        beendet_am: None,
        beendet_grund: None,
        raten,
    };
    repo::einfuegen(sql, &actor.mandant, &s, buchung)?;
    for z in &gestundet {
        repo::posten_einfuegen(sql, &actor.mandant, id, a.nr, z.lfd, z.rest())?;
    }
    for r in &s.raten {
        repo::rate_einfuegen(sql, &actor.mandant, id, a.nr, r)?;
    }
    audit::append(
        sql,
        actor,
        "STUNDUNG",
        ENTITY,
        &id.to_string(),
        None,
        Some(&json!({
            "stundung": s,
            "gestundet": summe.cents(),
            "saeumniszuschlaege_bis_beginn": saeumnis.cents(),
            "buchung": buchung,
        })),
    )?;
    Ok(s)
}

/// End a Stundung in force on `am` (Terminverlust or revocation): every
/// instalment still open and due later falls due on `am`; the interest of
/// the months no longer deferred is taken off the interest item and
/// reversed in the journal.
fn beenden_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    s: &Stundung,
    am: NaiveDate,
    status: StundungStatus,
    grund: &str,
) -> Result<()> {
    let e = einstellung_in(sql, &actor.mandant)?;
    let mut raten = Vec::new();
    for r in &s.raten {
        let mut r = r.clone();
        if r.faellig > am && r.bezahlt < r.betrag {
            anordnung_repo::faellig_setzen(sql, &actor.mandant, s.anordnung, r.lfd, am)?;
            let neu = zinsen::ratenzins(s.beginn, am, r.betrag);
            r.faellig = am;
            r.monate = neu.monate;
            r.zinsen = neu.zinsen;
            repo::rate_setzen(sql, &actor.mandant, s.id, &r)?;
        }
        raten.push(r);
    }
    let zinsen_neu = if s.zinsfrei_grund.is_some() {
        Money::zero()
    } else {
        zinsen::festsetzen(
            &raten
                .iter()
                .map(|r| zinsen::Ratenzins {
                    monate: r.monate,
                    zinsen: r.zinsen,
                })
                .collect::<Vec<_>>(),
        )
    };
    // What is taken off cannot exceed the interest item's open rest.
    let z = anordnung_repo::faelligkeiten(sql, &actor.mandant, s.anordnung)?
        .into_iter()
        .find(|z| z.art == "Z" && z.rest().is_positive());
    let minderung = Money::from_cents(
        (s.zinsen.cents() - zinsen_neu.cents())
            .min(z.as_ref().map_or(0, |z| z.rest().cents()))
            .max(0),
    );
    if let (Some(z), true) = (&z, minderung.is_positive()) {
        anordnung_repo::absetzen(sql, &actor.mandant, s.anordnung, z.lfd, minderung)?;
        let a = anordnung_repo::lesen(sql, &actor.mandant, s.anordnung)?;
        journal::buchen_in(
            sql,
            actor,
            &BuchungInput {
                datum: actor.at.date(),
                periode: None,
                beleg: format!("ST{}", s.id),
                text: format!(
                    "Stundung {} beendet: Zinsen für nicht mehr gestundete Monate",
                    s.id
                ),
                zeilen: vec![
                    ZeileInput::soll(&e.zinsertragskonto, Some(&a.produkt), minderung),
                    ZeileInput::haben(&a.gegenkonto, None, minderung),
                ],
            },
        )?;
    }
    let zinsen_bleiben = Money::from_cents(s.zinsen.cents() - minderung.cents());
    if !repo::beenden(
        sql,
        &actor.mandant,
        s.id,
        status,
        (&actor.user, &actor.stempel()),
        grund,
        zinsen_bleiben,
    )? {
        return Err(KisError::Conflict(format!(
            "Stundung {} ist nicht mehr in Kraft.",
            s.id
        )));
    }
    audit::append(
        sql,
        actor,
        "STUNDUNG_ENDE",
        ENTITY,
        &s.id.to_string(),
        Some(&json!({"status": "AKTIV", "zinsen": s.zinsen.cents()})),
        Some(
            &json!({"status": status.code(), "am": am, "grund": grund, "zinsen": zinsen_bleiben.cents()}),
        ),
    )?;
    Ok(())
}

/// Check the Stundungen in force on `datum` (the Mahnlauf does this first):
/// all instalments paid → erledigt; an instalment unpaid after its due day
/// (moved by AO § 108(3)) and the grace period → Terminverlust when the
/// Mandant's setting says so. Returns what happened, for the run's hints.
pub fn pruefen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    land: Bundesland,
    datum: NaiveDate,
) -> Result<Vec<String>> {
    let e = einstellung_in(sql, &actor.mandant)?;
    let mut hinweise = Vec::new();
    for s in repo::aktive(sql, &actor.mandant)? {
        if s.raten.iter().all(|r| r.bezahlt >= r.betrag) {
            repo::beenden(
                sql,
                &actor.mandant,
                s.id,
                StundungStatus::Erledigt,
                (&actor.user, &actor.stempel()),
                "alle Raten gezahlt",
                s.zinsen,
            )?;
            continue;
        }
        if !e.terminverlust {
            continue;
        }
        let versaeumt = s.raten.iter().find(|r| {
            r.bezahlt < r.betrag
                && land
                    .naechster_werktag(r.faellig)
                    .checked_add_days(Days::new(e.karenz_tage.max(0) as u64))
                    .is_some_and(|frist| frist < datum)
        });
        if let Some(r) = versaeumt {
            let grund = format!(
                "Rate {} vom {} über {} nicht gezahlt (Terminverlust)",
                r.nr,
                format_date_de(r.faellig),
                betrag_de(r.betrag)
            );
            beenden_in(sql, actor, &s, r.faellig, StundungStatus::Verfallen, &grund)?;
            hinweise.push(format!(
                "Stundung {} zu {}: {grund}.",
                s.id, s.kassenzeichen
            ));
        }
    }
    Ok(hinweise)
}

/// Revoke a Stundung in force (audited): the open rest falls due today.
pub fn widerrufen(session: &Session, id: i64, grund: &str) -> Result<()> {
    session.require(&[Role::FinasAnordnung])?;
    let grund = grund.trim();
    if grund.is_empty() {
        return Err(KisError::field(
            "grund",
            "Bitte den Grund des Widerrufs angeben.",
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        let s = repo::lesen(sql, &actor.mandant, id)?;
        if s.status != StundungStatus::Aktiv {
            return Err(KisError::Conflict(format!(
                "Stundung {id} ist {} und kann nicht widerrufen werden.",
                s.status.label()
            )));
        }
        beenden_in(
            sql,
            &actor,
            &s,
            actor.at.date(),
            StundungStatus::Widerrufen,
            grund,
        )
    })
}

pub fn lesen(session: &Session, id: i64) -> Result<Stundung> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::lesen(sql, &session.mandant.id, id))
}

/// Every Stundung, newest first (of one Anordnung when given).
pub fn liste(session: &Session, anordnung: Option<i64>) -> Result<Vec<Stundung>> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::liste(sql, &session.mandant.id, anordnung))
}

/// The Stundung as a decision text (for the Stundungsbescheid).
pub fn text(s: &Stundung) -> String {
    use std::fmt::Write as _;
    let mut t = format!(
        "Stundung {} zu Kassenzeichen {} ({})\nBeginn {}, Grund: {}\n",
        s.id,
        crate::finas::kasse::kassenzeichen::anzeigen(&s.kassenzeichen),
        s.status.label(),
        format_date_de(s.beginn),
        s.grund
    );
    let _ = writeln!(
        t,
        "{:>4}  {:<10}  {:>14}  {:>14}  {:>6}  {:>10}",
        "Rate", "fällig", "Betrag €", "gezahlt €", "Monate", "Zinsen €"
    );
    for r in &s.raten {
        let _ = writeln!(
            t,
            "{:>4}  {:<10}  {:>14}  {:>14}  {:>6}  {:>10}",
            r.nr,
            format_date_de(r.faellig),
            r.betrag.format_de(),
            r.bezahlt.format_de(),
            r.monate,
            r.zinsen.format_de()
        );
    }
    match &s.zinsfrei_grund {
        Some(g) => {
            let _ = writeln!(
                t,
                "Stundungszinsen: keine (Verzicht nach § 234 Abs. 2 AO: {g})"
            );
        }
        None => {
            let _ = writeln!(
                t,
                "Stundungszinsen (§ 234 AO, 0,5 % je vollen Monat, auf volle Euro abgerundet): {} €",
                s.zinsen.format_de()
            );
        }
    }
    if let (Some(am), Some(g)) = (&s.beendet_am, &s.beendet_grund) {
        let _ = writeln!(t, "Beendet {am}: {g}");
    }
    t
}
