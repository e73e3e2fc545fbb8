//! The Mahnlauf: for a day, the overdue receivables per debtor after the
//! grace period become one Mahnung each, with every overdue item
//! (Kassenzeichen, due date, open rest), the Säumniszuschläge to the day of
//! the run and the Mahngebühr. Role: KASSE (the Vollstreckungsbehörde's
//! cash office).
//!
//! - **What is dunned**: open due dates of released Annahmeanordnungen
//!   whose due date (moved by AO § 108(3)) plus the grace period is before
//!   the run's day; not those in a live Zahllauf (a collection is under
//!   way), not those under a Mahnsperre (of the debtor or the Anordnung),
//!   not a debtor whose total is below the Bagatellgrenze.
//! - **Mahnstufen**: an item's next Mahnung is one Stufe higher, and only
//!   when the interval since its last one has passed; after the last Stufe
//!   it is vollstreckungsreif and no longer dunned. The same item is never
//!   dunned twice at the same Stufe (also a database rule).
//! - **Säumniszuschläge** (AO § 240, [`super::saeumnis`]) on main claims
//!   only (§ 240(2): none on Nebenleistungen), to the day of the run, less
//!   what earlier sent runs charged on the item. They are computed on the
//!   item's present rest; after a partial payment the earlier months' higher
//!   rest is not charged again (never too much, possibly a little too
//!   little).
//! - **The run is a record**: listed, shown, printed again from what is
//!   stored; cancelled while it is a draft (the items can be dunned again);
//!   sent, which adds the fee (art K) and the Säumniszuschläge (art S) as
//!   their own open items on the same Kassenzeichen and posts them
//!   (Forderung an Ertrag). One draft at a time, so that nothing is charged
//!   twice.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Days, NaiveDate};
use serde_json::json;

use super::model::{
    Mahneinstellung, Mahnlauf, MahnlaufStatus, Mahnposten, Mahnsperre, Mahnung, OffenerMahnposten,
};
use super::saeumnis::{self, Fall, Zahlungsart};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::feiertage::Bundesland;
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::journal::{self, BuchungInput, ZeileInput};
use crate::finas::kasse::kassenzeichen;
use crate::finas::repo::kasse::partner as partner_repo;
use crate::finas::repo::mahnwesen as repo;
use crate::finas::stamm;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_mahnlauf";

fn plus_tage(d: NaiveDate, tage: i64) -> NaiveDate {
    d.checked_add_days(Days::new(tage.max(0) as u64))
        .unwrap_or(d)
}

/// The Mandant's dunning settings; refused while there are none.
pub fn einstellung_in(sql: &mut dyn Sql, mandant: &str) -> Result<Mahneinstellung> {
    repo::einstellung(sql, mandant)?.ok_or_else(|| {
        KisError::Conflict(
            "Das Mahnwesen ist für diesen Mandanten nicht eingerichtet (Mahneinstellungen fehlen)."
                .into(),
        )
    })
}

pub fn einstellung(session: &Session) -> Result<Mahneinstellung> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| einstellung_in(sql, &session.mandant.id))
}

/// Set the dunning settings inside the caller's transaction (audited).
pub fn einstellung_setzen_in(sql: &mut dyn Sql, actor: &Actor, e: &Mahneinstellung) -> Result<()> {
    if e.gebuehr_min.cents() > e.gebuehr_max.cents() {
        return Err(KisError::field(
            "gebuehr_min",
            "Die Mindestgebühr ist höher als die Höchstgebühr.",
        ));
    }
    if e.stufen < 1 || e.abstand_tage < 1 || e.zahlungsfrist_tage < 1 || e.karenz_tage < 0 {
        return Err(KisError::field(
            "stufen",
            "Mahnstufen, Abstand und Zahlungsfrist müssen mindestens 1 sein, die Karenz mindestens 0 Tage.",
        ));
    }
    let k = stamm::konto_in(sql, &actor.mandant, e.ertragskonto.trim())
        .map_err(|err| KisError::field("ertragskonto", err.to_string()))?;
    if k.klasse != 4 {
        return Err(KisError::field(
            "ertragskonto",
            format!("Konto {} ist kein Ertragskonto (Klasse 4).", k.nr),
        ));
    }
    let vorher = repo::einstellung(sql, &actor.mandant)?;
    repo::einstellung_setzen(sql, &actor.mandant, e)?;
    audit::append(
        sql,
        actor,
        "MAHNEINSTELLUNG",
        "fin_mahn_einstellung",
        &actor.mandant,
        vorher.map(|v| json!(v)).as_ref(),
        Some(&json!(e)),
    )?;
    Ok(())
}

/// What a run found: its number and Mahnungen, and why items were left.
#[derive(Clone, Debug)]
pub struct Ergebnis {
    pub nr: i64,
    pub mahnungen: Vec<Mahnung>,
    pub hinweise: Vec<String>,
}

impl Ergebnis {
    /// "Mahnlauf 3: 12 Mahnungen, 17 Posten, Rückstand …, Säumniszuschläge …, Gebühren …"
    pub fn zusammenfassung(&self) -> String {
        let sum = |f: fn(&Mahnung) -> Money| {
            Money::from_cents(self.mahnungen.iter().map(|m| f(m).cents()).sum())
        };
        format!(
            "Mahnlauf {}: {} Mahnungen, {} Posten, Rückstand {} €, Säumniszuschläge {} €, Mahngebühren {} €",
            self.nr,
            self.mahnungen.len(),
            self.mahnungen.iter().map(|m| m.posten.len()).sum::<usize>(),
            sum(Mahnung::rueckstand).format_de(),
            sum(Mahnung::saeumnis).format_de(),
            sum(|m| m.gebuehr).format_de()
        )
    }
}

fn gesperrt(sperren: &[Mahnsperre], p: &OffenerMahnposten) -> bool {
    sperren
        .iter()
        .any(|s| s.partner == p.partner && s.anordnung.is_none_or(|a| a == p.anordnung))
}

/// Run the Mahnlauf for `datum` inside the caller's transaction; `land` is
/// the Mandant's state for AO § 108(3).
pub fn ausfuehren_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    land: Bundesland,
    datum: NaiveDate,
) -> Result<Ergebnis> {
    if datum > actor.at.date() {
        return Err(KisError::field(
            "datum",
            format!(
                "Der Mahnlauf kann nicht für einen künftigen Tag ({}) laufen: Säumniszuschläge gelten bis zum Tag des Laufs.",
                format_date_de(datum)
            ),
        ));
    }
    let e = einstellung_in(sql, &actor.mandant)?;
    if let Some(l) = repo::laeufe(sql, &actor.mandant, 50)?
        .into_iter()
        .find(|l| l.status == MahnlaufStatus::Entwurf)
    {
        return Err(KisError::Conflict(format!(
            "Mahnlauf {} vom {} ist noch ein Entwurf: erst versenden oder stornieren.",
            l.nr,
            format_date_de(l.datum)
        )));
    }
    // A missed instalment ends its Stundung first, so that the rest is
    // dunned in this run.
    let mut hinweise = super::stundung::pruefen_in(sql, actor, land, datum)?;
    let sperren = repo::sperren_am(sql, &actor.mandant, datum)?;
    let mut je_partner: BTreeMap<i64, Vec<Mahnposten>> = BTreeMap::new();
    let (mut n_gesperrt, mut n_reif, mut n_wartet) = (0usize, 0usize, 0usize);
    for p in repo::offene_posten(sql, &actor.mandant, datum)? {
        let faellig = land.naechster_werktag(p.faellig);
        if plus_tage(faellig, e.karenz_tage) >= datum {
            continue;
        }
        if gesperrt(&sperren, &p) {
            n_gesperrt += 1;
            continue;
        }
        if p.letzte_stufe >= e.stufen {
            n_reif += 1;
            continue;
        }
        if let Some(l) = p.letzte_mahnung
            && plus_tage(l, e.abstand_tage) > datum
        {
            n_wartet += 1;
            continue;
        }
        let (saeumnis, monate) = if p.art == "H" {
            // Counted as if a transfer arrived on the run's day: inside the
            // Schonfrist a transfer may still be on its way, so nothing is
            // charged yet (§ 240(3) AO).
            let s = saeumnis::berechnen(&Fall {
                betrag: p.rest,
                faellig: p.faellig,
                gezahlt: datum,
                art: Zahlungsart::Ueberweisung,
                land,
            })?;
            let neu = (s.zuschlag.cents() - p.saeumnis_bisher.cents()).max(0);
            (Money::from_cents(neu), i64::from(s.monate))
        } else {
            (Money::zero(), 0)
        };
        je_partner.entry(p.partner).or_default().push(Mahnposten {
            anordnung: p.anordnung,
            lfd: p.lfd,
            kassenzeichen: p.kassenzeichen,
            art: p.art,
            faellig: p.faellig,
            stufe: p.letzte_stufe + 1,
            rest: p.rest,
            saeumnis,
            monate,
        });
    }
    let frist = plus_tage(datum, e.zahlungsfrist_tage);
    let mut mahnungen = Vec::new();
    let mut n_bagatell = 0usize;
    for (partner, posten) in je_partner {
        let rueckstand: i64 = posten.iter().map(|p| p.rest.cents()).sum();
        if rueckstand < e.bagatell.cents() {
            n_bagatell += 1;
            continue;
        }
        mahnungen.push(Mahnung {
            partner,
            stufe: posten.iter().map(|p| p.stufe).max().unwrap_or(1),
            gebuehr: e.gebuehr(Money::from_cents(rueckstand)),
            frist,
            posten,
        });
    }
    for (n, text) in [
        (n_gesperrt, "Posten mit Mahnsperre übergangen"),
        (
            n_wartet,
            "Posten warten auf den Abstand zur letzten Mahnstufe",
        ),
        (
            n_reif,
            "Posten sind nach der letzten Mahnstufe vollstreckungsreif",
        ),
        (
            n_bagatell,
            "Schuldner unter der Bagatellgrenze nicht gemahnt",
        ),
    ] {
        if n > 0 {
            hinweise.push(format!("{n} {text}."));
        }
    }
    if mahnungen.is_empty() {
        let mut text = format!(
            "Zum {} ist nichts zu mahnen; es wurde kein Mahnlauf angelegt.",
            format_date_de(datum)
        );
        for h in &hinweise {
            text.push(' ');
            text.push_str(h);
        }
        return Err(KisError::Conflict(text));
    }
    let nr = journal::nummern_in(sql, &actor.mandant, "MAHNLAUF", 1)?;
    repo::lauf_einfuegen(
        sql,
        &actor.mandant,
        nr,
        datum,
        &actor.user,
        &actor.stempel(),
    )?;
    repo::mahnungen_einfuegen(sql, &actor.mandant, nr, &mahnungen)?;
    let ergebnis = Ergebnis {
        nr,
        mahnungen,
        hinweise,
    };
    audit::append(
        sql,
        actor,
        "MAHNLAUF",
        ENTITY,
        &nr.to_string(),
        None,
        Some(&json!({"datum": datum, "zusammenfassung": ergebnis.zusammenfassung()})),
    )?;
    Ok(ergebnis)
}

/// Run the Mahnlauf (FIN550, `kis finas mahnlauf --datum …`).
pub fn ausfuehren(session: &Session, datum: NaiveDate) -> Result<Ergebnis> {
    session.require(&[Role::Kasse])?;
    let land = Bundesland::parse(&session.mandant.bundesland)?;
    let actor = session.actor();
    session
        .db
        .write(|sql| ausfuehren_in(sql, &actor, land, datum))
}

/// The runs, newest first.
pub fn liste(session: &Session, limit: usize) -> Result<Vec<Mahnlauf>> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::laeufe(sql, &session.mandant.id, limit))
}

fn lauf_in(sql: &mut dyn Sql, mandant: &str, nr: i64) -> Result<Mahnlauf> {
    repo::lauf(sql, mandant, nr)?
        .ok_or_else(|| KisError::NotFound(format!("Mahnlauf {nr} ist nicht vorhanden.")))
}

/// A run with its Mahnungen.
pub fn zeigen(session: &Session, nr: i64) -> Result<(Mahnlauf, Vec<Mahnung>)> {
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    session.db.read(|sql| {
        let l = lauf_in(sql, &session.mandant.id, nr)?;
        Ok((l, repo::mahnungen(sql, &session.mandant.id, nr)?))
    })
}

/// Send a draft run: the fees and Säumniszuschläge become open items on the
/// same Kassenzeichen (due on the Mahnung's deadline) and are posted in one
/// Buchung, Forderung an Ertrag (audited).
pub fn versenden(session: &Session, nr: i64) -> Result<Option<i64>> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| versenden_in(sql, &actor, nr))
}

pub fn versenden_in(sql: &mut dyn Sql, actor: &Actor, nr: i64) -> Result<Option<i64>> {
    let l = lauf_in(sql, &actor.mandant, nr)?;
    if l.status != MahnlaufStatus::Entwurf {
        return Err(KisError::Conflict(format!(
            "Mahnlauf {nr} ist {} und kann nicht versandt werden.",
            l.status.label()
        )));
    }
    let e = einstellung_in(sql, &actor.mandant)?;
    // (Forderungskonto, Produkt) → amount posted.
    let mut soll: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut anordnungen = repo::lauf_anordnungen(sql, &actor.mandant, nr)?;
    let mut neu = Vec::new();
    let mahnungen = repo::mahnungen(sql, &actor.mandant, nr)?;
    for m in &mahnungen {
        let saeumnis = m
            .posten
            .iter()
            .filter(|p| !p.saeumnis.is_zero())
            .map(|p| (p.anordnung, p.saeumnis, "S"));
        let gebuehr = m
            .posten
            .first()
            .filter(|_| !m.gebuehr.is_zero())
            .map(|p| (p.anordnung, m.gebuehr, "K"));
        for (anordnung, betrag, art) in saeumnis.chain(gebuehr) {
            let (konto, produkt, lfd) = anordnungen.get_mut(&anordnung).ok_or_else(|| {
                KisError::Db(format!("Anordnung {anordnung} des Mahnlaufs fehlt."))
            })?;
            neu.push((anordnung, *lfd, m.frist, betrag, art));
            *lfd += 1;
            *soll.entry((konto.clone(), produkt.clone())).or_default() += betrag.cents();
        }
    }
    repo::sollstellungen_einfuegen(sql, &actor.mandant, &neu)?;
    let buchung = if soll.is_empty() {
        None
    } else {
        let mut zeilen = Vec::new();
        for ((konto, produkt), c) in &soll {
            zeilen.push(ZeileInput::soll(konto, None, Money::from_cents(*c)));
            zeilen.push(ZeileInput::haben(
                &e.ertragskonto,
                Some(produkt),
                Money::from_cents(*c),
            ));
        }
        let g = journal::buchen_in(
            sql,
            actor,
            &BuchungInput {
                datum: actor.at.date(),
                periode: None,
                beleg: format!("ML{nr}"),
                text: format!("Mahnlauf {nr}: Mahngebühren und Säumniszuschläge"),
                zeilen,
            },
        )?;
        Some(g.nr)
    };
    if !repo::status_setzen(
        sql,
        &actor.mandant,
        nr,
        MahnlaufStatus::Versandt,
        &actor.user,
        &actor.stempel(),
        buchung,
    )? {
        return Err(KisError::Conflict(format!(
            "Mahnlauf {nr} wurde inzwischen bearbeitet."
        )));
    }
    audit::append(
        sql,
        actor,
        "MAHNLAUF_VERSENDEN",
        ENTITY,
        &nr.to_string(),
        Some(&json!({"status": "ENTWURF"})),
        Some(
            &json!({"status": "VERSANDT", "buchung": buchung, "sollstellungen": soll.values().sum::<i64>()}),
        ),
    )?;
    Ok(buchung)
}

/// Cancel a draft run: its items can be dunned again (audited). A sent
/// run is not cancelled: its Mahnungen are out.
pub fn stornieren(session: &Session, nr: i64) -> Result<()> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    session.db.write(|sql| {
        let l = lauf_in(sql, &actor.mandant, nr)?;
        if l.status != MahnlaufStatus::Entwurf {
            return Err(KisError::Conflict(format!(
                "Mahnlauf {nr} ist {} und kann nicht storniert werden (nur ein Entwurf).",
                l.status.label()
            )));
        }
        if !repo::status_setzen(
            sql,
            &actor.mandant,
            nr,
            MahnlaufStatus::Storniert,
            &actor.user,
            &actor.stempel(),
            None,
        )? {
            return Err(KisError::Conflict(format!(
                "Mahnlauf {nr} wurde inzwischen bearbeitet."
            )));
        }
        audit::append(
            sql,
            &actor,
            "MAHNLAUF_STORNIEREN",
            ENTITY,
            &nr.to_string(),
            Some(&json!({"status": "ENTWURF", "mahnungen": l.mahnungen})),
            Some(&json!({"status": "STORNIERT"})),
        )?;
        Ok(())
    })
}

/// The Mahnungen of a run as letters (text), in the order stored; printing
/// again gives the same text. `ausgeben` writes it (the file) inside the
/// transaction, so letters that cannot be written are not recorded as
/// issued (audit entry). Returns the text.
pub fn drucken(
    session: &Session,
    nr: i64,
    ausgeben: &mut dyn FnMut(&str) -> Result<()>,
) -> Result<String> {
    session.require(&[Role::Kasse])?;
    let actor = session.actor();
    let mandant = session.mandant.clone();
    session.db.write(|sql| {
        let l = lauf_in(sql, &actor.mandant, nr)?;
        if l.status == MahnlaufStatus::Storniert {
            return Err(KisError::Conflict(format!(
                "Mahnlauf {nr} ist storniert und wird nicht gedruckt."
            )));
        }
        let mut text = String::new();
        for m in repo::mahnungen(sql, &actor.mandant, nr)? {
            let p = partner_repo::lesen(sql, &actor.mandant, m.partner)?;
            text.push_str(&brief(
                &mandant.name,
                &l,
                &m,
                &p.anzeigename(),
                &p.anschrift(),
            ));
            text.push('\u{c}');
            text.push('\n');
        }
        ausgeben(&text)?;
        audit::append(
            sql,
            &actor,
            "MAHNLAUF_DRUCKEN",
            ENTITY,
            &nr.to_string(),
            None,
            Some(&json!({"mahnungen": l.mahnungen})),
        )?;
        Ok(text)
    })
}

/// One Mahnung as a letter.
fn brief(absender: &str, l: &Mahnlauf, m: &Mahnung, name: &str, anschrift: &str) -> String {
    let mut s = format!(
        "{absender} – Stadtkasse\n\n{name}\n{anschrift}\n\n{}. Mahnung vom {}\n\n",
        m.stufe,
        format_date_de(l.datum)
    );
    s.push_str(
        "Die folgenden Beträge sind fällig und trotz Fälligkeit nicht bezahlt worden. \
         Bitte zahlen Sie den Gesamtbetrag bis zum ",
    );
    let _ = writeln!(
        s,
        "{} unter Angabe des Kassenzeichens.\n",
        format_date_de(m.frist)
    );
    let _ = writeln!(
        s,
        "{:<14} {:<10} {:>14} {:>6} {:>16}",
        "Kassenzeichen", "fällig", "Rückstand €", "Monate", "Säumniszuschl. €"
    );
    for p in &m.posten {
        let _ = writeln!(
            s,
            "{:<14} {:<10} {:>14} {:>6} {:>16}",
            kassenzeichen::anzeigen(&p.kassenzeichen),
            format_date_de(p.faellig),
            p.rest.format_de(),
            p.monate,
            p.saeumnis.format_de()
        );
    }
    let _ = writeln!(
        s,
        "\n{:<40} {:>16}",
        "Rückstand",
        m.rueckstand().format_de()
    );
    let _ = writeln!(
        s,
        "{:<40} {:>16}",
        "Säumniszuschläge (§ 240 AO)",
        m.saeumnis().format_de()
    );
    let _ = writeln!(s, "{:<40} {:>16}", "Mahngebühr", m.gebuehr.format_de());
    let _ = writeln!(s, "{:<40} {:>16}", "Gesamtbetrag", m.gesamt().format_de());
    s.push_str(
        "\nBei Zahlung nach dem genannten Tag entstehen weitere Säumniszuschläge; \
         danach wird die Vollstreckung eingeleitet.\n",
    );
    s
}

/// A run's Mahnungen as a list for the terminal.
pub fn text(l: &Mahnlauf, mahnungen: &[Mahnung]) -> String {
    let mut s = format!(
        "Mahnlauf {} zum {} ({}), {} Mahnungen\n",
        l.nr,
        format_date_de(l.datum),
        l.status.label(),
        mahnungen.len()
    );
    for m in mahnungen {
        let _ = writeln!(
            s,
            "Geschäftspartner {:>8}  Stufe {}  {:>3} Posten  Rückstand {:>14} €  SZ {:>10} €  Gebühr {:>8} €",
            m.partner,
            m.stufe,
            m.posten.len(),
            m.rueckstand().format_de(),
            m.saeumnis().format_de(),
            m.gebuehr.format_de()
        );
    }
    s
}
