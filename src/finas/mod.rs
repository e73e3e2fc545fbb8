//! FINAS – Finanzwesen: Haushaltsplan, Haushaltsüberwachung and the Doppik
//! journal with its statements (NKF), and the SEPA credit transfer file
//! ([`sepa`]). The cash office and taxes build on [`journal::post_in`] and
//! [`ueberwachung::pruefen_in`].

pub mod abschluss;
pub mod generator;
pub mod journal;
pub mod kameral;
pub mod kasse;
pub mod ledger;
pub mod mahnwesen;
pub mod plan;
pub mod rechnung;
pub mod repo;
pub mod sepa;
pub mod stamm;
pub mod ueberwachung;

use chrono::NaiveDate;

use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::kernel::audit::Actor;
use crate::store::Sql;

const PRODUKTE: &str = include_str!("../../fixtures/musterstadt/finas/produktrahmen.csv");
const KOSTENSTELLEN: &str = include_str!("../../fixtures/musterstadt/finas/kostenstellen.csv");
const GLIEDERUNG: &str = include_str!("../../fixtures/musterstadt/finas/kameral_gliederung.csv");
const GRUPPIERUNG: &str = include_str!("../../fixtures/musterstadt/finas/kameral_gruppierung.csv");
const JAHRE: &str = include_str!("../../fixtures/musterstadt/finas/haushaltsjahre.csv");
const ANSAETZE: &str = include_str!("../../fixtures/musterstadt/finas/ansaetze.csv");
const VE: &str = include_str!("../../fixtures/musterstadt/finas/verpflichtungsermaechtigungen.csv");
const DECKUNGSRINGE: &str = include_str!("../../fixtures/musterstadt/finas/deckungsringe.csv");
const EROEFFNUNG_2026: &str =
    include_str!("../../fixtures/musterstadt/finas/eroeffnungsbilanz_2026.csv");

fn bad(file: &str, line: usize, what: &str) -> KisError {
    KisError::validation(format!("{file} Zeile {line}: {what} ungültig."))
}

fn euro_cents(s: &str, file: &str, line: usize) -> Result<Money> {
    let e: i64 = s.trim().parse().map_err(|_| bad(file, line, "Betrag"))?;
    Ok(Money::from_cents(e * 100))
}

fn col(r: &csv::StringRecord, i: usize) -> &str {
    r.get(i).map(str::trim).unwrap_or_default()
}

/// Load the FINAS master data and the demo budget of Musterstadt inside the
/// demo loader's transaction: the state's Kontenrahmen, Produktrahmen,
/// Kostenstellen, kameral structure, Haushaltsjahre, the adopted plans 2025
/// and 2026 with VE and Deckungsringe, the Eröffnungsbilanz 2026 and the
/// Kasse's settings and Geschäftspartner.
pub fn load_demo_in(sql: &mut dyn Sql, actor: &Actor, bundesland: &str) -> Result<()> {
    stamm::load_landesrahmen_in(sql, actor, bundesland)?;
    stamm::load_produkte_in(sql, actor, PRODUKTE)?;
    stamm::load_liste_in(sql, actor, stamm::ListTable::Kostenstelle, KOSTENSTELLEN)?;
    stamm::load_liste_in(sql, actor, stamm::ListTable::Gliederung, GLIEDERUNG)?;
    stamm::load_gruppierung_in(sql, actor, GRUPPIERUNG)?;
    stamm::load_jahre_in(sql, actor, JAHRE)?;
    let beschluss = [
        (2025, NaiveDate::from_ymd_opt(2024, 12, 12)),
        (2026, NaiveDate::from_ymd_opt(2025, 12, 11)),
    ];
    let ansaetze = crate::core::csv_import::fixture_rows(ANSAETZE, "ansaetze.csv")?;
    let ves = crate::core::csv_import::fixture_rows(VE, "verpflichtungsermaechtigungen.csv")?;
    for (jahr, datum) in beschluss {
        let datum = datum.ok_or_else(|| KisError::validation("Beschlussdatum ungültig."))?;
        let version = plan::version_anlegen_in(sql, actor, jahr, "")?;
        for (i, r) in ansaetze
            .iter()
            .enumerate()
            .filter(|(_, r)| col(r, 0) == jahr.to_string())
        {
            let l = i + 2;
            let a = plan::Ansatz {
                produkt: col(r, 1).into(),
                konto: col(r, 2).into(),
                betrag: euro_cents(col(r, 3), "ansaetze.csv", l)?,
                plan: [
                    euro_cents(col(r, 4), "ansaetze.csv", l)?,
                    euro_cents(col(r, 5), "ansaetze.csv", l)?,
                    euro_cents(col(r, 6), "ansaetze.csv", l)?,
                ],
            };
            plan::ansatz_setzen_in(sql, actor, jahr, version, &a)?;
        }
        for (i, r) in ves
            .iter()
            .enumerate()
            .filter(|(_, r)| col(r, 0) == jahr.to_string())
        {
            let l = i + 2;
            let f = "verpflichtungsermaechtigungen.csv";
            let ve = plan::Ve {
                massnahme: col(r, 1).into(),
                bezeichnung: col(r, 2).into(),
                produkt: col(r, 3).into(),
                konto: col(r, 4).into(),
                betrag: euro_cents(col(r, 5), f, l)?,
                faellig: [
                    euro_cents(col(r, 6), f, l)?,
                    euro_cents(col(r, 7), f, l)?,
                    euro_cents(col(r, 8), f, l)?,
                ],
            };
            plan::ve_setzen_in(sql, actor, jahr, version, &ve)?;
        }
        plan::beschliessen_in(sql, actor, jahr, version, datum)?;
    }
    for (i, r) in crate::core::csv_import::fixture_rows(DECKUNGSRINGE, "deckungsringe.csv")?
        .iter()
        .enumerate()
    {
        let jahr: i32 = col(r, 0)
            .parse()
            .map_err(|_| bad("deckungsringe.csv", i + 2, "Jahr"))?;
        plan::deckungsring_setzen_in(
            sql,
            actor,
            jahr,
            col(r, 1),
            col(r, 2),
            col(r, 3),
            col(r, 4),
            col(r, 5),
        )?;
    }
    eroeffnungsbilanz_in(sql, actor, 2026, EROEFFNUNG_2026)?;
    kasse::demo::load_demo_in(sql, actor)?;
    mahnwesen::demo::load_demo_in(sql, actor)?;
    Ok(())
}

/// Post the Eröffnungsbilanz (period 0, 01.01.) from `konto;betrag` lines in
/// whole euros: Aktiva in the Soll, Passiva in the Haben, against the
/// Eröffnungsbilanzkonto.
pub fn eroeffnungsbilanz_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    text: &str,
) -> Result<i64> {
    let ebk = stamm::abschlusskonto_in(sql, &actor.mandant, stamm::EROEFFNUNGSBILANZKONTO)?;
    let mut zeilen = Vec::new();
    let (mut aktiva, mut passiva) = (Money::zero(), Money::zero());
    for (i, r) in crate::core::csv_import::fixture_rows(text, "eroeffnungsbilanz")?
        .iter()
        .enumerate()
    {
        let konto = stamm::konto_in(sql, &actor.mandant, col(r, 0))?;
        let b = euro_cents(col(r, 1), "eroeffnungsbilanz", i + 2)?;
        let seite = repo::stamm::bilanzseite(sql, &actor.mandant, &konto.zeile)?;
        if seite == "A" {
            aktiva += b;
            zeilen.push(journal::ZeileInput::soll(&konto.nr, None, b));
        } else {
            passiva += b;
            zeilen.push(journal::ZeileInput::haben(&konto.nr, None, b));
        }
    }
    zeilen.push(journal::ZeileInput::haben(&ebk, None, aktiva));
    zeilen.push(journal::ZeileInput::soll(&ebk, None, passiva));
    let datum = NaiveDate::from_ymd_opt(jahr, 1, 1)
        .ok_or_else(|| KisError::validation("Jahr ungültig."))?;
    journal::post_in(
        sql,
        actor,
        &journal::BuchungInput {
            datum,
            periode: Some(0),
            beleg: format!("EB-{jahr}"),
            text: format!("Eröffnungsbilanz {jahr}"),
            zeilen,
        },
    )
}
