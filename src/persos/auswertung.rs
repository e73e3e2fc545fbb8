//! Monthly evaluations of the active payroll run: the figures of the
//! Lohnsteuer-Anmeldung (§ 41a EStG) for the transmission software, the
//! Personalkosten per Produkt and Kostenstelle (as posted into FINAS), and
//! heads and full-time equivalents per Entgeltgruppe.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_decimal::Decimal;

use super::abrechnung::{
    Abrechnung, Fall, KistZeile, kirchensteuermerkmal, kirchensteuerpflichtig,
};
use super::finas;
use super::laufdaten::{self, Monat};
use super::sv::SvArt;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::feiertage::Bundesland;
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

/// The form whose Kennzahlen KIS fills: the amtlicher Vordruck
/// „Lohnsteuer-Anmeldung 2026“ (BMF-Bekanntmachung vom 14.08.2025,
/// IV C 5 – S 2533/00120/006/009; for 2025 the Vordruck of the
/// Bekanntmachung vom 29.08.2024, IV C 5 – S 2533/19/10026/005, with the
/// same Kennzahlen for the lines below).
pub const VORDRUCK: &str =
    "Lohnsteuer-Anmeldung 2026 (amtl. Vordruck, BMF 14.08.2025; 2025: BMF 29.08.2024)";

/// Kennzahlen of the Vordruck that KIS fills (verified against the
/// Vordruck's description in the payroll literature and the
/// BMF/Länder-Erlass on the Kirchensteuer bei Pauschalierung, BStBl 2016 I
/// S. 773). Kz 41 (pauschale Lohnsteuer) and Kz 47 (pauschale
/// Kirchensteuer im vereinfachten Verfahren) stay empty: KIS flat-taxes
/// only Minijobs at 2 % (§ 40a Abs. 2 EStG), and that goes to the
/// Minijob-Zentrale, not to the Finanzamt.
pub mod kz {
    /// Zahl der Arbeitnehmer (einschließlich Aushilfs- und Teilzeitkräfte).
    pub const ARBEITNEHMER: &str = "86";
    /// Summe der einzubehaltenden Lohnsteuer.
    pub const LOHNSTEUER: &str = "42";
    /// Summe der pauschalen Lohnsteuer (not produced by KIS).
    pub const LOHNSTEUER_PAUSCHAL: &str = "41";
    /// Solidaritätszuschlag.
    pub const SOLI: &str = "49";
    /// Pauschale Kirchensteuer im vereinfachten Verfahren (not produced by KIS).
    pub const KIST_PAUSCHAL: &str = "47";
    /// Evangelische Kirchensteuer.
    pub const KIST_EVANGELISCH: &str = "61";
    /// Römisch-katholische Kirchensteuer.
    pub const KIST_ROEMISCH_KATHOLISCH: &str = "62";
    /// Gesamtbetrag.
    pub const GESAMT: &str = "83";
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
    /// Kirchensteuer per Kirchensteuermerkmal; in a konfessionsverschiedene
    /// Ehe each church gets its half. The lines of the form:
    /// [`Anmeldung::kirchensteuer_zeilen`].
    pub kirchensteuer: BTreeMap<String, Money>,
    /// The Land whose public holidays move the due date (None: unknown).
    pub land: Option<Bundesland>,
    /// Due on the 10th of the next month (§ 41a Abs. 1 EStG), moved to the
    /// next working day when that is a Saturday, Sunday or public holiday
    /// of the Land (§ 108 Abs. 3 AO).
    pub faellig: NaiveDate,
}

/// One Kirchensteuer line of the Anmeldung.
#[derive(Clone, Debug, PartialEq)]
pub struct KistZeileBetrag {
    /// Kz 61 or 62; `None` for the further lines whose Kennzahl depends on
    /// the Land (BMF, „Übersicht über länderunterschiedliche Werte in der
    /// Lohnsteuer-Anmeldung“), which KIS does not hold: the clerk enters
    /// the amount on the Land's line for that community.
    pub kennzahl: Option<&'static str>,
    pub text: String,
    pub merkmale: Vec<String>,
    pub betrag: Money,
}

impl Anmeldung {
    /// Kz 83: the total to pay.
    pub fn gesamt(&self) -> Money {
        self.lohnsteuer + self.soli + self.kirchensteuer.values().copied().sum::<Money>()
    }

    /// The Kirchensteuer lines: evangelisch (ev, lt, rf) on Kz 61,
    /// römisch-katholisch on Kz 62, every other Merkmal on a line of its
    /// own without a Kennzahl KIS could vouch for.
    pub fn kirchensteuer_zeilen(&self) -> Vec<KistZeileBetrag> {
        let mut ev = KistZeileBetrag {
            kennzahl: Some(kz::KIST_EVANGELISCH),
            text: "Evangelische Kirchensteuer".into(),
            merkmale: Vec::new(),
            betrag: Money::zero(),
        };
        let mut rk = KistZeileBetrag {
            kennzahl: Some(kz::KIST_ROEMISCH_KATHOLISCH),
            text: "Römisch-katholische Kirchensteuer".into(),
            merkmale: Vec::new(),
            betrag: Money::zero(),
        };
        let mut weitere = Vec::new();
        for (merkmal, betrag) in &self.kirchensteuer {
            let (label, zeile) = match kirchensteuermerkmal(merkmal) {
                Some((_, l, Some(z))) => (*l, *z),
                // Not a known Merkmal (master data is checked on entry, so
                // only results stored before the check): its own line.
                _ => ("unbekanntes Merkmal", KistZeile::Land),
            };
            let ziel = match zeile {
                KistZeile::Evangelisch => &mut ev,
                KistZeile::RoemischKatholisch => &mut rk,
                KistZeile::Land => {
                    weitere.push(KistZeileBetrag {
                        kennzahl: None,
                        text: format!("Kirchensteuer {label}"),
                        merkmale: Vec::new(),
                        betrag: Money::zero(),
                    });
                    weitere.last_mut().expect("just pushed")
                }
            };
            ziel.merkmale.push(merkmal.clone());
            ziel.betrag += *betrag;
        }
        let mut zeilen: Vec<KistZeileBetrag> = [ev, rk]
            .into_iter()
            .filter(|z| !z.merkmale.is_empty())
            .collect();
        zeilen.extend(weitere);
        zeilen
    }
}

/// The due date of the Anmeldung for month `m`: the 10th of the next month
/// (§ 41a Abs. 1 EStG), on a Saturday, Sunday or public holiday of `land`
/// the next working day (§ 108 Abs. 3 AO); weekends only without a Land.
pub fn faelligkeit(m: Monat, land: Option<Bundesland>) -> NaiveDate {
    let (j, mo) = if m.monat == 12 {
        (m.jahr + 1, 1)
    } else {
        (m.jahr, m.monat + 1)
    };
    let zehnter = NaiveDate::from_ymd_opt(j, mo, 10).unwrap_or_default();
    match land {
        Some(l) => l.naechster_werktag(zehnter),
        None => {
            let mut d = zehnter;
            while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                d += Duration::days(1);
            }
            d
        }
    }
}

pub fn lohnsteuer_anmeldung(session: &Session, monat: &str) -> Result<Anmeldung> {
    let m = Monat::parse(monat)?;
    let ergebnisse = ergebnisse(session, m)?;
    let mandant = session.mandant.id.as_str();
    let land = session.db.read(|sql| {
        let ag = super::stamm::arbeitgeber_in(sql, mandant)?;
        finas::land_in(sql, mandant, &ag)
    })?;
    let mut a = Anmeldung {
        monat: m,
        arbeitnehmer: 0,
        lohnsteuer: Money::zero(),
        soli: Money::zero(),
        kirchensteuer: BTreeMap::new(),
        land,
        faellig: faelligkeit(m, land),
    };
    for (f, r) in ergebnisse {
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

pub fn anmeldung_text(a: &Anmeldung, arbeitgeber: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "LOHNSTEUER-ANMELDUNG {}  (§ 41a EStG) – Werte für die Übermittlung",
        a.monat.de()
    );
    let _ = writeln!(o, "Kennzahlen nach {VORDRUCK}");
    let _ = writeln!(o, "Arbeitgeber: {arbeitgeber}");
    let regel = match a.land {
        Some(l) => format!(
            "10. des Folgemonats; Samstag, Sonntag und Feiertage in {} verschieben auf den nächsten Werktag, § 108 Abs. 3 AO",
            l.name()
        ),
        None => "10. des Folgemonats; Bundesland unbekannt – Feiertage bitte prüfen".into(),
    };
    let _ = writeln!(o, "Fällig am {} ({regel})", format_date_de(a.faellig));
    let _ = writeln!(o, "{}", "─".repeat(72));
    let z = |o: &mut String, kz: &str, text: &str, betrag: String| {
        let _ = writeln!(o, "Kz {kz:<3} {text:<48}{betrag:>16}");
    };
    z(
        &mut o,
        kz::ARBEITNEHMER,
        "Zahl der Arbeitnehmer",
        a.arbeitnehmer.to_string(),
    );
    z(
        &mut o,
        kz::LOHNSTEUER,
        "Summe der einzubehaltenden Lohnsteuer",
        a.lohnsteuer.format_de(),
    );
    z(&mut o, kz::SOLI, "Solidaritätszuschlag", a.soli.format_de());
    let mut ohne_kz = false;
    for zeile in a.kirchensteuer_zeilen() {
        let text = format!("{} ({})", zeile.text, zeile.merkmale.join(", "));
        match zeile.kennzahl {
            Some(k) => z(&mut o, k, &text, zeile.betrag.format_de()),
            None => {
                ohne_kz = true;
                z(&mut o, "?", &text, zeile.betrag.format_de());
            }
        }
    }
    z(&mut o, kz::GESAMT, "Gesamtbetrag", a.gesamt().format_de());
    let _ = writeln!(o, "{}", "─".repeat(72));
    if ohne_kz {
        let _ = writeln!(
            o,
            "Kz ?: Zeile der Religionsgemeinschaft nach der Übersicht über länderunterschiedliche Werte in der"
        );
        let _ = writeln!(
            o,
            "Lohnsteuer-Anmeldung (BMF) für das Land der Betriebsstätte – in KIS nicht hinterlegt."
        );
    }
    let _ = writeln!(
        o,
        "Pauschale Lohnsteuer (Kz 41) und pauschale Kirchensteuer (Kz 47) fallen nicht an: die"
    );
    let _ = writeln!(
        o,
        "Pauschsteuer der Minijobs (2 %) geht an die Minijob-Zentrale, nicht in diese Anmeldung."
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

    fn m(s: &str) -> Monat {
        Monat::parse(s).unwrap()
    }

    fn d(j: i32, mo: u32, t: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(j, mo, t).unwrap()
    }

    #[test]
    fn faelligkeit_41a_estg_moves_past_weekend_and_holidays_108_ao() {
        let nw = Bundesland::parse("NW").ok();
        let be = Bundesland::parse("BE").ok();
        // 10.02.2026 is a Tuesday: due that day.
        assert_eq!(faelligkeit(m("2026-01"), nw), d(2026, 2, 10));
        // 10.01.2026 is a Saturday → Monday 12.01.2026.
        assert_eq!(faelligkeit(m("2025-12"), nw), d(2026, 1, 12));
        // 10.05.2026 is a Sunday → Monday 11.05.2026.
        assert_eq!(faelligkeit(m("2026-04"), nw), d(2026, 5, 11));
        // 10.05.2029 is Christi Himmelfahrt (a Thursday) → Friday 11.05.2029.
        assert_eq!(faelligkeit(m("2029-04"), nw), d(2029, 5, 11));
        assert_eq!(faelligkeit(m("2029-04"), None), d(2029, 5, 10));
        // Saturday 10.06.2000, Pfingstsonntag, Pfingstmontag 12.06. → Tuesday 13.06.2000.
        assert_eq!(faelligkeit(m("2000-05"), be), d(2000, 6, 13));
        // The Land decides: Fronleichnam 10.06.2004 is a holiday in NW, not in Berlin.
        assert_eq!(faelligkeit(m("2004-05"), nw), d(2004, 6, 11));
        assert_eq!(faelligkeit(m("2004-05"), be), d(2004, 6, 10));
    }

    fn anmeldung(kist: &[(&str, &str)]) -> Anmeldung {
        Anmeldung {
            monat: m("2026-01"),
            arbeitnehmer: 3,
            lohnsteuer: Money::from_cents(100_000),
            soli: Money::zero(),
            kirchensteuer: kist
                .iter()
                .map(|(k, b)| (k.to_string(), Money::new(b.parse().unwrap())))
                .collect(),
            land: Bundesland::parse("NW").ok(),
            faellig: d(2026, 2, 10),
        }
    }

    #[test]
    fn kennzahlen_vordruck_2026_ev_61_rk_62_never_47() {
        let a = anmeldung(&[
            ("ev", "10.00"),
            ("lt", "2.00"),
            ("rk", "30.00"),
            ("ak", "4.00"),
        ]);
        let z = a.kirchensteuer_zeilen();
        assert_eq!(z.len(), 3);
        assert_eq!(
            (z[0].kennzahl, z[0].betrag, z[0].merkmale.clone()),
            (
                Some("61"),
                Money::from_cents(1200),
                vec!["ev".to_string(), "lt".to_string()]
            )
        );
        assert_eq!(
            (z[1].kennzahl, z[1].betrag),
            (Some("62"), Money::from_cents(3000))
        );
        // Altkatholisch: a line of the Land, no Kennzahl KIS could vouch for.
        assert_eq!((z[2].kennzahl, z[2].betrag), (None, Money::from_cents(400)));
        let t = anmeldung_text(&a, "Stadt Musterstadt");
        assert!(
            t.contains("Kz 61  Evangelische Kirchensteuer (ev, lt)"),
            "{t}"
        );
        assert!(
            t.contains("Kz 62  Römisch-katholische Kirchensteuer (rk)"),
            "{t}"
        );
        assert!(t.contains("Kz ?   Kirchensteuer altkatholisch (ak)"), "{t}");
        assert!(
            t.contains("Kz 86 ") && t.contains("Kz 42 ") && t.contains("Kz 83 "),
            "{t}"
        );
        assert!(
            t.contains("Lohnsteuer-Anmeldung 2026 (amtl. Vordruck"),
            "{t}"
        );
        // Kz 47 is the pauschale Kirchensteuer im vereinfachten Verfahren,
        // never the evangelische.
        assert!(!t.contains("Kz 47 "), "{t}");
        assert!(
            t.contains("Fällig am 10.02.2026") && t.contains("Nordrhein-Westfalen"),
            "{t}"
        );
    }

    #[test]
    fn every_kirchensteuermerkmal_has_a_line() {
        use crate::persos::abrechnung::KIRCHENSTEUERMERKMALE;
        let pflichtig: Vec<(&str, &str)> = KIRCHENSTEUERMERKMALE
            .iter()
            .filter(|(_, _, z)| z.is_some())
            .map(|(c, _, _)| (*c, "1.00"))
            .collect();
        let a = anmeldung(&pflichtig);
        let zeilen = a.kirchensteuer_zeilen();
        let mut erfasst: Vec<String> = zeilen.iter().flat_map(|z| z.merkmale.clone()).collect();
        erfasst.sort();
        let mut alle: Vec<String> = pflichtig.iter().map(|(c, _)| c.to_string()).collect();
        alle.sort();
        assert_eq!(erfasst, alle);
        assert_eq!(
            zeilen.iter().map(|z| z.betrag).sum::<Money>(),
            a.kirchensteuer.values().copied().sum::<Money>()
        );
        for z in &zeilen {
            assert!(
                z.kennzahl.is_none_or(|k| k == "61" || k == "62"),
                "{:?}",
                z.kennzahl
            );
        }
        assert!(!kirchensteuerpflichtig("--") && !kirchensteuerpflichtig("vd"));
        assert!(!kirchensteuerpflichtig("") && kirchensteuerpflichtig("RF"));
        // An old code outside the list keeps its Kirchensteuer and gets a line.
        assert!(kirchensteuerpflichtig("xy"));
        let alt = anmeldung(&[("xy", "5.00")]).kirchensteuer_zeilen();
        assert_eq!(
            (alt[0].kennzahl, alt[0].betrag),
            (None, Money::from_cents(500))
        );
        assert_eq!(alt[0].text, "Kirchensteuer unbekanntes Merkmal");
    }
}
