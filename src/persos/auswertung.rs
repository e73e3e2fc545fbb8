//! Monthly evaluations of the active payroll run: the figures of the
//! Lohnsteuer-Anmeldung (§ 41a EStG) for the transmission software, the
//! Personalkosten per Produkt and Kostenstelle (as posted into FINAS), and
//! heads and full-time equivalents per Entgeltgruppe.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_decimal::Decimal;

use super::abrechnung::{Abrechnung, Fall, kirchensteuerpflichtig};
use super::finas;
use super::laufdaten::{self, Monat};
use super::sv::SvArt;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::{Money, format_decimal_de};
use crate::core::roles::Role;
use crate::kernel::session::Session;

/// Fall and result of every employee in the active run of `m`.
fn ergebnisse(session: &Session, m: Monat) -> Result<Vec<(Fall, Abrechnung)>> {
    session.require(&[Role::PersosLesen])?;
    let mandant = session.mandant.id.as_str();
    session.db.read(|sql| {
        let lauf = laufdaten::aktiver_lauf_in(sql, mandant, m)?.ok_or_else(|| {
            KisError::NotFound(format!(
                "Für {} gibt es keinen aktiven Abrechnungslauf.",
                m.de()
            ))
        })?;
        super::repo::lauf::ergebnisse(sql, mandant, m, lauf.lauf_nr)
    })
}

/// The figures of the Lohnsteuer-Anmeldung of a month.
#[derive(Clone, Debug, PartialEq)]
pub struct Anmeldung {
    pub monat: Monat,
    /// Kz 86: employees taxed individually (flat-taxed Minijobs go to the
    /// Minijob-Zentrale, not into the Anmeldung).
    pub arbeitnehmer: usize,
    /// Kz 42.
    pub lohnsteuer: Money,
    /// Kz 49.
    pub soli: Money,
    /// Kirchensteuer per Kirchensteuermerkmal (ev → Kz 47, rk → Kz 61);
    /// in a konfessionsverschiedene Ehe each church gets its half.
    pub kirchensteuer: BTreeMap<String, Money>,
    /// Due on the 10th of the next month, moved to the next working day
    /// when that is a Saturday or Sunday (§ 41a Abs. 1 EStG, § 108 Abs. 3 AO).
    pub faellig: NaiveDate,
}

impl Anmeldung {
    /// Kz 83: the total to pay.
    pub fn gesamt(&self) -> Money {
        self.lohnsteuer + self.soli + self.kirchensteuer.values().copied().sum::<Money>()
    }
}

/// The due date of the Anmeldung for month `m` (public holidays of the
/// Land are not known to KIS and must be checked by the clerk).
pub fn faelligkeit(m: Monat) -> NaiveDate {
    let (j, mo) = if m.monat == 12 {
        (m.jahr + 1, 1)
    } else {
        (m.jahr, m.monat + 1)
    };
    let mut d = NaiveDate::from_ymd_opt(j, mo, 10).unwrap_or_default();
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d += Duration::days(1);
    }
    d
}

pub fn lohnsteuer_anmeldung(session: &Session, monat: &str) -> Result<Anmeldung> {
    let m = Monat::parse(monat)?;
    let mut a = Anmeldung {
        monat: m,
        arbeitnehmer: 0,
        lohnsteuer: Money::zero(),
        soli: Money::zero(),
        kirchensteuer: BTreeMap::new(),
        faellig: faelligkeit(m),
    };
    for (f, r) in ergebnisse(session, m)? {
        if r.sv.art == Some(SvArt::Minijob) {
            continue;
        }
        a.arbeitnehmer += 1;
        a.lohnsteuer += r.lohnsteuer;
        a.soli += r.soli;
        let mut kist = |k: &str, betrag: Money| {
            if kirchensteuerpflichtig(k) && !betrag.is_zero() {
                *a.kirchensteuer.entry(k.trim().to_lowercase()).or_default() += betrag;
            }
        };
        kist(&f.konfession, r.kirchensteuer - r.kirchensteuer_ehegatte);
        kist(&f.konfession_ehegatte, r.kirchensteuer_ehegatte);
    }
    Ok(a)
}

fn kennzahl(merkmal: &str) -> &'static str {
    match merkmal {
        "ev" => "47",
        "rk" => "61",
        _ => "",
    }
}

pub fn anmeldung_text(a: &Anmeldung, arbeitgeber: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "LOHNSTEUER-ANMELDUNG {}  (§ 41a EStG) – Werte für die Übermittlung",
        a.monat.de()
    );
    let _ = writeln!(o, "Arbeitgeber: {arbeitgeber}");
    let _ = writeln!(
        o,
        "Fällig am {} (10. des Folgemonats; Feiertage des Landes beachten)",
        format_date_de(a.faellig)
    );
    let _ = writeln!(o, "{}", "─".repeat(72));
    let z = |o: &mut String, kz: &str, text: &str, betrag: String| {
        let _ = writeln!(o, "Kz {kz:<3} {text:<48}{betrag:>16}");
    };
    z(
        &mut o,
        "86",
        "Zahl der Arbeitnehmer",
        a.arbeitnehmer.to_string(),
    );
    z(
        &mut o,
        "42",
        "Summe der einzubehaltenden Lohnsteuer",
        a.lohnsteuer.format_de(),
    );
    z(&mut o, "49", "Solidaritätszuschlag", a.soli.format_de());
    for (merkmal, betrag) in &a.kirchensteuer {
        z(
            &mut o,
            kennzahl(merkmal),
            &format!("Kirchensteuer {merkmal}"),
            betrag.format_de(),
        );
    }
    z(&mut o, "83", "Gesamtbetrag", a.gesamt().format_de());
    let _ = writeln!(o, "{}", "─".repeat(72));
    let _ = writeln!(
        o,
        "Die Pauschsteuer der Minijobs (2 %) geht an die Minijob-Zentrale, nicht in diese Anmeldung."
    );
    o
}

/// Personalkosten of one Produkt and Kostenstelle (from the run's Buchung).
#[derive(Clone, Debug, PartialEq)]
pub struct Kostenzeile {
    pub produkt: String,
    pub kostenstelle: String,
    pub betrag: Money,
}

pub fn personalkosten(session: &Session, monat: &str) -> Result<Vec<Kostenzeile>> {
    session.require(&[Role::PersosLesen])?;
    let u = finas::uebersicht(session, monat)?.ok_or_else(|| {
        KisError::NotFound(format!(
            "Der Lauf für {monat} wurde nicht in FINAS gebucht – keine Personalkosten je Kostenstelle."
        ))
    })?;
    let mut summen: BTreeMap<(String, String), Money> = BTreeMap::new();
    for z in u.aufwand {
        *summen.entry((z.produkt, z.kostenstelle)).or_default() += z.betrag;
    }
    Ok(summen
        .into_iter()
        .map(|((produkt, kostenstelle), betrag)| Kostenzeile {
            produkt,
            kostenstelle,
            betrag,
        })
        .collect())
}

/// Heads and full-time equivalents of one Entgeltgruppe (or kind of
/// employment for those paid a fixed amount).
#[derive(Clone, Debug, PartialEq)]
pub struct Stellenzeile {
    pub gruppe: String,
    pub koepfe: usize,
    /// Sum of the part-time quotas; `None` for fixed amounts (no quota of 39 h).
    pub vollzeitaequivalente: Option<Decimal>,
    pub brutto: Money,
}

pub fn stellen(session: &Session, monat: &str) -> Result<Vec<Stellenzeile>> {
    let m = Monat::parse(monat)?;
    let mut gruppen: BTreeMap<String, Stellenzeile> = BTreeMap::new();
    for (f, r) in ergebnisse(session, m)? {
        // Paid by the table (an Entgeltgruppe), else a fixed amount.
        let tarif = !f.eg.is_empty();
        let gruppe = if tarif {
            format!("E {}", f.eg)
        } else {
            f.art.code().to_string()
        };
        let z = gruppen.entry(gruppe.clone()).or_insert(Stellenzeile {
            gruppe,
            koepfe: 0,
            vollzeitaequivalente: tarif.then_some(Decimal::ZERO),
            brutto: Money::zero(),
        });
        z.koepfe += 1;
        if let Some(v) = z.vollzeitaequivalente.as_mut() {
            *v += f.arbeitszeitanteil;
        }
        z.brutto += r.gesamtbrutto;
    }
    Ok(gruppen.into_values().collect())
}

pub fn kosten_text(monat: &str, zeilen: &[Kostenzeile]) -> String {
    let mut o = format!(
        "PERSONALKOSTEN JE PRODUKT UND KOSTENSTELLE {monat} (wie in FINAS gebucht)\n{}\n{:<14}{:<14}{:>18}\n",
        "─".repeat(72),
        "Produkt",
        "Kostenstelle",
        "Betrag"
    );
    for z in zeilen {
        let _ = writeln!(
            o,
            "{:<14}{:<14}{:>18}",
            z.produkt,
            z.kostenstelle,
            z.betrag.format_de()
        );
    }
    let summe: Money = zeilen.iter().map(|z| z.betrag).sum();
    let _ = writeln!(
        o,
        "{}\n{:<28}{:>18}",
        "─".repeat(72),
        "Summe",
        summe.format_de()
    );
    o
}

pub fn stellen_text(monat: &str, zeilen: &[Stellenzeile]) -> String {
    let mut o = format!(
        "KÖPFE UND VOLLZEITÄQUIVALENTE JE ENTGELTGRUPPE {monat}\n{}\n{:<14}{:>8}{:>10}{:>18}\n",
        "─".repeat(72),
        "Gruppe",
        "Köpfe",
        "VZÄ",
        "Brutto"
    );
    for z in zeilen {
        let _ = writeln!(
            o,
            "{:<14}{:>8}{:>10}{:>18}",
            z.gruppe,
            z.koepfe,
            z.vollzeitaequivalente
                .map_or("–".to_string(), |v| format_decimal_de(v, 2)),
            z.brutto.format_de()
        );
    }
    let koepfe: usize = zeilen.iter().map(|z| z.koepfe).sum();
    let vzae: Decimal = zeilen.iter().filter_map(|z| z.vollzeitaequivalente).sum();
    let brutto: Money = zeilen.iter().map(|z| z.brutto).sum();
    let _ = writeln!(
        o,
        "{}\n{:<14}{koepfe:>8}{:>10}{:>18}\nVZÄ = Summe der Arbeitszeitanteile (39 Std. = 1); Festbeträge ohne VZÄ.",
        "─".repeat(72),
        "Summe",
        format_decimal_de(vzae, 2),
        brutto.format_de()
    );
    o
}

/// One of the evaluations as a document: `L` Lohnsteuer-Anmeldung, `K`
/// Personalkosten, `S` Köpfe/VZÄ (the mask's and the CLI's choice).
pub fn dokument(session: &Session, monat: &str, art: &str) -> Result<String> {
    match art.trim().to_uppercase().as_str() {
        "L" | "LSTA" => {
            let a = lohnsteuer_anmeldung(session, monat)?;
            let ag = session
                .db
                .read(|sql| super::stamm::arbeitgeber_in(sql, session.mandant.id.as_str()))?;
            Ok(anmeldung_text(
                &a,
                &format!("{}, {}", ag.name, ag.anschrift),
            ))
        }
        "K" | "KOSTEN" => Ok(kosten_text(monat.trim(), &personalkosten(session, monat)?)),
        "S" | "STELLEN" => Ok(stellen_text(monat.trim(), &stellen(session, monat)?)),
        other => Err(KisError::field(
            "art",
            format!(
                "Auswertung „{other}“ unbekannt: L = Lohnsteuer-Anmeldung, K = Personalkosten, S = Köpfe/VZÄ."
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_on_the_tenth_or_the_next_working_day() {
        let m = |s: &str| Monat::parse(s).unwrap();
        // 10.02.2026 is a Tuesday.
        assert_eq!(
            faelligkeit(m("2026-01")),
            NaiveDate::from_ymd_opt(2026, 2, 10).unwrap()
        );
        // 10.01.2026 is a Saturday → Monday 12.01.2026.
        assert_eq!(
            faelligkeit(m("2025-12")),
            NaiveDate::from_ymd_opt(2026, 1, 12).unwrap()
        );
        // 10.05.2026 is a Sunday → Monday 11.05.2026.
        assert_eq!(
            faelligkeit(m("2026-04")),
            NaiveDate::from_ymd_opt(2026, 5, 11).unwrap()
        );
    }
}
