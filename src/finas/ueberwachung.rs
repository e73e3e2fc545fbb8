//! Haushaltsüberwachung: the available funds per budget position
//! (Produkt × Konto), always computed from the data (Ansatz of the adopted
//! plan versions, Übertragungen, über-/außerplanmäßige Ermächtigungen,
//! Mittelreservierungen, the journal's totals and Haushaltssperren) — no
//! nightly batch. The check service [`pruefen_in`] is what the cash office
//! calls before every Anordnung and what a Reservierung runs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::journal::BuchungInput;
use super::repo;
use super::repo::ueberwachung::Quelle;
use super::stamm;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_position";

/// The figures of one budget position, in cents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    pub jahr: i32,
    pub produkt: String,
    pub konto: String,
    /// Ansatz of the adopted Haushalt (before any Nachtrag).
    pub ansatz: i64,
    /// Change by the adopted Nachträge.
    pub nachtrag: i64,
    pub uebertragung: i64,
    /// Über-/außerplanmäßige Ermächtigungen.
    pub genehmigt: i64,
    pub obligo: i64,
    pub anordnungssoll: i64,
    pub gesperrt: i64,
}

impl Position {
    /// Ansatz + Übertragungen + Nachtrag + Ermächtigungen − Sperre: what may be spent at all.
    pub fn ermaechtigung(&self) -> i64 {
        self.ansatz + self.nachtrag + self.uebertragung + self.genehmigt - self.gesperrt
    }

    pub fn verfuegbar(&self) -> i64 {
        self.ermaechtigung() - self.obligo - self.anordnungssoll
    }

    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.jahr, self.produkt, self.konto)
    }
}

/// The answer of the budget check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pruefergebnis {
    Ok {
        verfuegbar_danach: Money,
    },
    /// Fits, but above the Mandant's warning threshold or only through a Deckungsring.
    Warnung {
        meldung: String,
        verfuegbar_danach: Money,
    },
    Abgelehnt {
        meldung: String,
    },
}

impl Pruefergebnis {
    pub fn abgelehnt(&self) -> bool {
        matches!(self, Pruefergebnis::Abgelehnt { .. })
    }
}

type PosMap = BTreeMap<(String, String), Position>;

fn add(map: &mut PosMap, jahr: i32, produkt: String, konto: String, f: impl FnOnce(&mut Position)) {
    let p = map
        .entry((produkt.clone(), konto.clone()))
        .or_insert_with(|| Position {
            jahr,
            produkt,
            konto,
            ..Default::default()
        });
    f(p);
}

/// The version numbers of the adopted original Haushalt and of the plan in force.
pub fn versionen_in(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Option<(i64, i64)>> {
    repo::ueberwachung::versionen(sql, mandant, jahr)
}

/// The budget positions of a year (or one position), all figures current.
/// Only expense positions (Aufwand/Auszahlung) are monitored this way;
/// revenue positions show Ansatz and Ist.
pub fn positionen_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    pos: Option<(&str, &str)>,
) -> Result<Vec<Position>> {
    let mut map = PosMap::new();
    if let Some((original, geltend)) = versionen_in(sql, mandant, jahr)? {
        for (version, is_original) in [(original, true), (geltend, false)] {
            for (pr, k, betrag) in
                repo::ueberwachung::betraege(sql, Quelle::Ansatz(version), mandant, jahr, pos)?
            {
                add(&mut map, jahr, pr, k, |x| {
                    if is_original {
                        x.ansatz += betrag;
                        x.nachtrag -= betrag
                    } else {
                        x.nachtrag += betrag
                    }
                });
            }
        }
    }
    for (pr, k, b) in repo::ueberwachung::betraege(sql, Quelle::Uebertragung, mandant, jahr, pos)? {
        add(&mut map, jahr, pr, k, |x| x.uebertragung += b);
    }
    for (pr, k, b) in repo::ueberwachung::betraege(sql, Quelle::Genehmigung, mandant, jahr, pos)? {
        add(&mut map, jahr, pr, k, |x| x.genehmigt += b);
    }
    for (pr, k, b) in repo::ueberwachung::betraege(sql, Quelle::Obligo, mandant, jahr, pos)? {
        add(&mut map, jahr, pr, k, |x| x.obligo += b);
    }
    // Anordnungssoll: the journal's net expense on the position's account and Produkt.
    for (pr, k, b) in repo::ueberwachung::betraege(sql, Quelle::Anordnungssoll, mandant, jahr, pos)?
    {
        add(&mut map, jahr, pr, k, |x| x.anordnungssoll += b);
    }
    let sperren = repo::ueberwachung::sperren_aktiv(sql, mandant, jahr)?;
    for p in map.values_mut() {
        let mut prozent = 0i64;
        for (sp, sk, p_prozent) in &sperren {
            if sp.is_none()
                || (sp.as_deref() == Some(p.produkt.as_str())
                    && sk.as_deref() == Some(p.konto.as_str()))
            {
                prozent += p_prozent;
            }
        }
        let basis = p.ansatz + p.nachtrag + p.uebertragung;
        p.gesperrt = basis.max(0) * prozent.min(100) / 100;
    }
    Ok(map.into_values().collect())
}

pub fn position_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    produkt: &str,
    konto: &str,
) -> Result<Position> {
    Ok(positionen_in(sql, mandant, jahr, Some((produkt, konto)))?
        .into_iter()
        .next()
        .unwrap_or(Position {
            jahr,
            produkt: produkt.into(),
            konto: konto.into(),
            ..Default::default()
        }))
}

/// The budget positions of a year for FIN200 (expense accounts only).
pub fn positionen(session: &Session, jahr: i32) -> Result<Vec<Position>> {
    session.require(&[Role::FinasLesen])?;
    session.db.read(|sql| {
        let konten: BTreeMap<String, u8> = stamm::konten_in(sql, &session.mandant.id)?
            .into_iter()
            .map(|k| (k.nr, k.klasse))
            .collect();
        Ok(positionen_in(sql, &session.mandant.id, jahr, None)?
            .into_iter()
            .filter(|p| matches!(konten.get(&p.konto), Some(5) | Some(7)))
            .collect())
    })
}

pub fn position(session: &Session, jahr: i32, produkt: &str, konto: &str) -> Result<Position> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| position_in(sql, &session.mandant.id, jahr, produkt, konto))
}

fn euro(c: i64) -> String {
    Money::from_cents(c).format_de()
}

/// The budget check before an Anordnung or Reservierung of `betrag` on a
/// position: ok; a warning over the Mandant's threshold; refused over the
/// available funds unless the position's Deckungsring covers the gap (or an
/// über-/außerplanmäßige Ermächtigung has raised the position already).
pub fn pruefen_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    produkt: &str,
    konto: &str,
    betrag: Money,
) -> Result<Pruefergebnis> {
    let b = betrag.cents();
    if b <= 0 {
        return Err(KisError::field(
            "betrag",
            "Der Betrag muss größer als 0 sein.",
        ));
    }
    let pos = position_in(sql, mandant, jahr, produkt, konto)?;
    let danach = pos.verfuegbar() - b;
    let schwelle = stamm::warnschwelle_in(sql, mandant)?;
    let ermaechtigung = pos.ermaechtigung();
    if danach >= 0 {
        let belegt = pos.obligo + pos.anordnungssoll + b;
        // Integer percentage comparison: belegt / ermaechtigung > schwelle %.
        if ermaechtigung > 0
            && i128::from(belegt) * 100 > i128::from(ermaechtigung) * i128::from(schwelle)
        {
            return Ok(Pruefergebnis::Warnung {
                meldung: format!(
                    "Haushaltsstelle {produkt}/{konto}: nach dieser Belastung sind {} von {} € belegt (über {schwelle} %); verfügbar bleiben {} €.",
                    euro(belegt),
                    euro(ermaechtigung),
                    euro(danach)
                ),
                verfuegbar_danach: Money::from_cents(danach),
            });
        }
        return Ok(Pruefergebnis::Ok {
            verfuegbar_danach: Money::from_cents(danach),
        });
    }
    if let Some((ring, frei)) = deckung_in(sql, mandant, jahr, produkt, konto)?
        && frei >= -danach
    {
        return Ok(Pruefergebnis::Warnung {
            meldung: format!(
                "Haushaltsstelle {produkt}/{konto} überschritten um {} €; gedeckt durch Deckungsring {ring} (dort frei {} €).",
                euro(-danach),
                euro(frei)
            ),
            verfuegbar_danach: Money::from_cents(danach),
        });
    }
    Ok(Pruefergebnis::Abgelehnt {
        meldung: format!(
            "Haushaltsstelle {produkt}/{konto}: verfügbar {} €, angefordert {} € – abgelehnt. Eine über- oder außerplanmäßige Ermächtigung (GO NRW § 83) ist erforderlich.",
            euro(pos.verfuegbar()),
            euro(b)
        ),
    })
}

/// The Deckungsring of a position that may take cover, with the free funds
/// of the ring without the position itself: what the giving members have
/// left, less what other members have already overdrawn on the ring.
fn deckung_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    produkt: &str,
    konto: &str,
) -> Result<Option<(String, i64)>> {
    let Some(ring) = repo::ueberwachung::deckungsring_nehmend(sql, mandant, jahr, produkt, konto)?
    else {
        return Ok(None);
    };
    let andere =
        repo::ueberwachung::deckungsring_andere(sql, mandant, jahr, &ring, produkt, konto)?;
    let mut frei = 0;
    for (p, k, rolle) in andere {
        let v = position_in(sql, mandant, jahr, &p, &k)?.verfuegbar();
        // Overdrafts of other members count against the ring; free funds only from givers.
        if v < 0 || rolle != "nimmt" {
            frei += v;
        }
    }
    Ok(Some((ring, frei.max(0))))
}

/// The budget check for a clerk (FIN200 „Prüfen“).
pub fn pruefen(
    session: &Session,
    jahr: i32,
    produkt: &str,
    konto: &str,
    betrag: Money,
) -> Result<Pruefergebnis> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| pruefen_in(sql, &session.mandant.id, jahr, produkt, konto, betrag))
}

fn check_position(sql: &mut dyn Sql, mandant: &str, produkt: &str, konto: &str) -> Result<()> {
    let p = stamm::produkt_in(sql, mandant, produkt)?;
    if p.ebene != 3 {
        return Err(KisError::field(
            "produkt",
            format!("{produkt} ist kein Produkt (Ebene 3)."),
        ));
    }
    let k = stamm::konto_in(sql, mandant, konto)?;
    if !matches!(k.klasse, 4..=7) {
        return Err(KisError::field(
            "konto",
            format!("Konto {konto} ist kein Ergebnis- oder Finanzkonto."),
        ));
    }
    Ok(())
}

/// Reserve funds (Obligo) for an order; runs the budget check first and is
/// refused over the available funds. Returns the reservation id and the check result.
pub fn reservieren(
    session: &Session,
    jahr: i32,
    produkt: &str,
    konto: &str,
    betrag: Money,
    text: &str,
) -> Result<(i64, Pruefergebnis)> {
    session.require(&[Role::FinasAendern])?;
    if text.trim().is_empty() {
        return Err(KisError::field(
            "text",
            "Bitte angeben, wofür die Mittel reserviert werden.",
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        check_position(sql, &actor.mandant, produkt, konto)?;
        let erg = pruefen_in(sql, &actor.mandant, jahr, produkt, konto, betrag)?;
        if let Pruefergebnis::Abgelehnt { meldung } = &erg {
            return Err(KisError::Conflict(meldung.clone()));
        }
        let id = repo::ueberwachung::reservierung_einfuegen(
            sql,
            &actor,
            jahr,
            produkt,
            konto,
            betrag,
            text.trim(),
        )?;
        let key = format!("{jahr}/{produkt}/{konto}");
        audit::append(
            sql,
            &actor,
            "RESERVIERT",
            ENTITY,
            &key,
            None,
            Some(&serde_json::json!({"reservierung": id, "betrag": betrag, "text": text.trim()})),
        )?;
        Ok((id, erg))
    })
}

/// The unused rest of the open reservation `id` for the position an
/// expense is posted on; refused (on the field `reservierung`) when it is
/// not open or was made for another year, Produkt or Konto.
pub fn reservierung_rest_in(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    jahr: i32,
    produkt: &str,
    konto: &str,
) -> Result<Money> {
    let (r_jahr, r_produkt, r_konto, rest) =
        repo::ueberwachung::reservierung_offen(sql, mandant, id)?.ok_or_else(|| {
            KisError::field(
                "reservierung",
                format!("Mittelreservierung {id} ist nicht (mehr) offen."),
            )
        })?;
    if r_jahr != i64::from(jahr) || r_produkt != produkt || r_konto != konto {
        return Err(KisError::field(
            "reservierung",
            format!(
                "Mittelreservierung {id} gilt für {r_jahr} {r_produkt}/{r_konto}, nicht für {jahr} {produkt}/{konto}."
            ),
        ));
    }
    Ok(Money::from_cents(rest))
}

/// Let the expense lines of a posting on the reservation's position
/// (its Produkt and Konto, in the Soll) use up reservation `id` (FIN300's
/// one field for the whole Buchung); refused when no line posts there.
pub fn reservierung_zuordnen(session: &Session, input: &mut BuchungInput, id: i64) -> Result<()> {
    session.require(&[Role::FinasLesen])?;
    let (_, produkt, konto, _) = session
        .db
        .read(|sql| repo::ueberwachung::reservierung_offen(sql, &session.mandant.id, id))?
        .ok_or_else(|| {
            KisError::field(
                "reservierung",
                format!("Mittelreservierung {id} ist nicht (mehr) offen."),
            )
        })?;
    let mut zugeordnet = false;
    for z in &mut input.zeilen {
        if z.konto.trim() == konto
            && z.produkt.as_deref().map(str::trim) == Some(produkt.as_str())
            && z.soll.cents() > 0
        {
            z.reservierung = Some(id);
            zugeordnet = true;
        }
    }
    if !zugeordnet {
        return Err(KisError::field(
            "reservierung",
            format!(
                "Mittelreservierung {id} gilt für {produkt}/{konto}; keine Sollzeile der Buchung bucht dorthin."
            ),
        ));
    }
    Ok(())
}

/// Use up a reservation by the Buchung `buchung` that posts `betrag` on its
/// position (called by the journal inside the posting's transaction): the
/// reservation gives what it still holds, at most `betrag`; the rest stays
/// reserved. Returns the amount used.
pub fn reservierung_verbrauchen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    id: i64,
    buchung: i64,
    position: (i32, &str, &str),
    betrag: Money,
) -> Result<Money> {
    let (jahr, produkt, konto) = position;
    let rest = reservierung_rest_in(sql, &actor.mandant, id, jahr, produkt, konto)?;
    let genutzt = betrag.min(rest);
    if genutzt.cents() <= 0 {
        return Ok(Money::zero());
    }
    if repo::ueberwachung::reservierung_verbrauchen(sql, &actor.mandant, id, buchung, genutzt)? == 0
    {
        return Err(KisError::Conflict(format!(
            "Mittelreservierung {id} wurde inzwischen geändert. Bitte neu buchen."
        )));
    }
    audit::append(
        sql,
        actor,
        "VERBRAUCHT",
        "fin_reservierung",
        &id.to_string(),
        None,
        Some(&serde_json::json!({"buchung": buchung, "betrag": genutzt, "rest": rest - genutzt})),
    )?;
    Ok(genutzt)
}

/// The Storno `storno` of the Buchung `buchung` gives back what it used of
/// reservations (inside the Storno's transaction).
pub fn verbrauch_zurueck_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    buchung: i64,
    storno: i64,
) -> Result<()> {
    for (id, betrag) in repo::ueberwachung::verbrauch_zurueck(sql, &actor.mandant, buchung, storno)?
    {
        audit::append(
            sql,
            actor,
            "VERBRAUCH_ZURUECK",
            "fin_reservierung",
            &id.to_string(),
            None,
            Some(&serde_json::json!({"buchung": buchung, "storno": storno, "betrag": betrag})),
        )?;
    }
    Ok(())
}

/// Release the rest of a reservation (the order is done).
pub fn reservierung_freigeben(session: &Session, id: i64) -> Result<()> {
    session.require(&[Role::FinasAendern])?;
    let actor = session.actor();
    session.db.write(|sql| {
        let (jahr, produkt, konto, rest) =
            repo::ueberwachung::reservierung_offen(sql, &actor.mandant, id)?.ok_or_else(|| {
                KisError::Conflict(format!("Mittelreservierung {id} ist nicht (mehr) offen."))
            })?;
        repo::ueberwachung::reservierung_erledigen(sql, &actor.mandant, id)?;
        let key = format!("{jahr}/{produkt}/{konto}");
        audit::append(
            sql,
            &actor,
            "FREIGEGEBEN",
            ENTITY,
            &key,
            None,
            Some(&serde_json::json!({"reservierung": id, "rest": Money::from_cents(rest)})),
        )?;
        Ok(())
    })
}

/// Record an über- or außerplanmäßige Ermächtigung (GO NRW § 83) with its
/// number and date; außerplanmäßig where the position has no Ansatz.
#[allow(clippy::too_many_arguments)]
pub fn genehmigen(
    session: &Session,
    jahr: i32,
    produkt: &str,
    konto: &str,
    betrag: Money,
    nummer: &str,
    datum: NaiveDate,
    begruendung: &str,
) -> Result<i64> {
    session.require(&[Role::FinasAnordnung])?;
    if betrag.cents() <= 0 {
        return Err(KisError::field(
            "betrag",
            "Der Betrag muss größer als 0 sein.",
        ));
    }
    if nummer.trim().is_empty() {
        return Err(KisError::field(
            "nummer",
            "Bitte die Nummer der Genehmigung (z. B. Ratsbeschluss oder Kämmerer-Verfügung) angeben.",
        ));
    }
    if begruendung.trim().is_empty() {
        return Err(KisError::field(
            "begruendung",
            "Bitte die Begründung (unabweisbarer Bedarf, Deckung) angeben.",
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        check_position(sql, &actor.mandant, produkt, konto)?;
        let pos = position_in(sql, &actor.mandant, jahr, produkt, konto)?;
        let art = if pos.ansatz + pos.nachtrag > 0 { "UEBERPLANMAESSIG" } else { "AUSSERPLANMAESSIG" };
        let genehmigung = repo::ueberwachung::Genehmigung {
            jahr,
            produkt,
            konto,
            art,
            nummer: nummer.trim(),
            datum,
            betrag,
            begruendung: begruendung.trim(),
        };
        let id = repo::ueberwachung::genehmigung_einfuegen(sql, &actor, &genehmigung)
            .map_err(|e| match e {
                KisError::Conflict(_) => KisError::field("nummer", format!("Genehmigung Nr. {} ist für {jahr} schon erfasst.", nummer.trim())),
                other => other,
            })?;
        audit::append(
            sql,
            &actor,
            art,
            ENTITY,
            &pos.key(),
            None,
            Some(&serde_json::json!({"genehmigung": id, "nummer": nummer.trim(), "datum": datum.to_string(), "betrag": betrag, "begruendung": begruendung.trim()})),
        )?;
        Ok(id)
    })
}

/// A Haushaltssperre: global (`position` None) or for one position, in percent.
pub fn sperren(
    session: &Session,
    jahr: i32,
    position: Option<(&str, &str)>,
    prozent: u8,
    grund: &str,
) -> Result<i64> {
    session.require(&[Role::FinasAnordnung])?;
    if !(1..=100).contains(&prozent) {
        return Err(KisError::field(
            "prozent",
            "Sperre zwischen 1 und 100 % angeben.",
        ));
    }
    if grund.trim().is_empty() {
        return Err(KisError::field(
            "grund",
            "Bitte den Grund der Haushaltssperre angeben.",
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        if let Some((p, k)) = position {
            check_position(sql, &actor.mandant, p, k)?;
        }
        let id = repo::ueberwachung::sperre_einfuegen(
            sql,
            &actor,
            jahr,
            position,
            prozent,
            grund.trim(),
        )?;
        let key = position.map_or(format!("{jahr}/global"), |(p, k)| format!("{jahr}/{p}/{k}"));
        audit::append(
            sql,
            &actor,
            "GESPERRT",
            ENTITY,
            &key,
            None,
            Some(&serde_json::json!({"sperre": id, "prozent": prozent, "grund": grund.trim()})),
        )?;
        Ok(id)
    })
}

pub fn sperre_aufheben(session: &Session, id: i64) -> Result<()> {
    session.require(&[Role::FinasAnordnung])?;
    let actor = session.actor();
    session.db.write(|sql| {
        let n = repo::ueberwachung::sperre_aufheben(sql, &actor.mandant, id, actor.at)?;
        if n == 0 {
            return Err(KisError::NotFound(format!(
                "Haushaltssperre {id} ist nicht (mehr) aktiv."
            )));
        }
        audit::append(
            sql,
            &actor,
            "ENTSPERRT",
            "fin_sperre",
            &id.to_string(),
            None,
            None,
        )?;
        Ok(())
    })
}

/// Ermächtigungsübertragung (KomHVO NRW § 22) of unspent funds of the
/// previous year's position into `jahr`; at most what was left there.
pub fn uebertragen(
    session: &Session,
    jahr: i32,
    produkt: &str,
    konto: &str,
    betrag: Money,
    grund: &str,
) -> Result<i64> {
    session.require(&[Role::FinasAnordnung])?;
    if betrag.cents() <= 0 {
        return Err(KisError::field(
            "betrag",
            "Der Betrag muss größer als 0 sein.",
        ));
    }
    if grund.trim().is_empty() {
        return Err(KisError::field(
            "grund",
            "Bitte den Grund der Übertragung angeben.",
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        if stamm::jahr_status_in(sql, &actor.mandant, jahr)? == stamm::JahrStatus::Geschlossen {
            return Err(KisError::field(
                "jahr",
                format!("Haushaltsjahr {jahr} ist geschlossen."),
            ));
        }
        check_position(sql, &actor.mandant, produkt, konto)?;
        let vorjahr = position_in(sql, &actor.mandant, jahr - 1, produkt, konto)?;
        let schon =
            repo::ueberwachung::uebertragen_summe(sql, &actor.mandant, jahr, produkt, konto)?;
        let rest = vorjahr.verfuegbar() - schon;
        if betrag.cents() > rest {
            return Err(KisError::field(
                "betrag",
                format!(
                    "Übertragbar sind höchstens {} € (im Vorjahr nicht verbraucht).",
                    euro(rest.max(0))
                ),
            ));
        }
        let id = repo::ueberwachung::uebertragung_einfuegen(
            sql,
            &actor,
            jahr,
            produkt,
            konto,
            betrag,
            grund.trim(),
        )?;
        audit::append(
            sql,
            &actor,
            "UEBERTRAGEN",
            ENTITY,
            &format!("{jahr}/{produkt}/{konto}"),
            None,
            Some(&serde_json::json!({"betrag": betrag, "grund": grund.trim()})),
        )?;
        Ok(id)
    })
}

/// One event in the history of a budget position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ereignis {
    pub datum: String,
    pub art: String,
    pub text: String,
    pub betrag: Money,
}

/// The history of a position: plan versions, Übertragungen, Ermächtigungen
/// (with number and date), Reservierungen, Sperren and the latest postings.
pub fn verlauf(session: &Session, jahr: i32, produkt: &str, konto: &str) -> Result<Vec<Ereignis>> {
    session.require(&[Role::FinasLesen])?;
    let m = session.mandant.id.as_str();
    session.db.read(|sql| {
        let mut out = repo::ueberwachung::ereignisse(sql, m, jahr, produkt, konto)?;
        out.sort_by(|a, b| a.datum.cmp(&b.datum));
        Ok(out)
    })
}
