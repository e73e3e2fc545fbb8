//! The year of one employee: the Lohnkonto (§ 41 EStG, § 4 LStDV) with one
//! line per paid month, and the Lohnsteuerbescheinigung (§ 41b EStG) whose
//! figures are the Lohnkonto's year totals, laid out as the printout of the
//! electronic certificate (line numbers of the official form). Both are
//! built from the results of the active payroll runs only.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::abrechnung::{Abrechnung, Fall, merkmal_text, steuerklasse_text};
use super::bescheinigung::BREITE;
use super::laufdaten::Monat;
use super::repo;
use super::stamm::{self, Employee};
use super::sv::{self, SvArt};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::{Money, format_decimal_de};
use crate::core::roles::Role;
use crate::core::sanitize::sanitize_line;
use crate::kernel::session::Session;

/// One paid month of the year.
#[derive(Clone, Debug)]
pub struct Kontomonat {
    pub monat: Monat,
    pub fall: Fall,
    pub abrechnung: Abrechnung,
}

impl Kontomonat {
    /// Pay taxed at a flat rate (Minijob, § 40a EStG) is not on the certificate.
    fn pauschal(&self) -> bool {
        self.abrechnung.sv.art == Some(SvArt::Minijob)
    }
}

/// The employee's paid months of `jahr`, oldest first.
pub fn monate(session: &Session, jahr: i32, pnr: &str) -> Result<(Employee, Vec<Kontomonat>)> {
    session.require(&[Role::PersosLesen])?;
    if !(2000..=2100).contains(&jahr) {
        return Err(KisError::field(
            "jahr",
            "Jahr ungültig (vierstellig, z. B. 2026).",
        ));
    }
    let mandant = session.mandant.id.as_str();
    let pnr = pnr.trim();
    session.db.read(|sql| {
        let e = stamm::all_in(sql, mandant, session.today())?
            .into_iter()
            .find(|e| e.personalnummer == pnr)
            .ok_or_else(|| {
                KisError::field("pnr", format!("Personalnummer {pnr} ist nicht vorhanden."))
            })?;
        let monate = repo::ergebnis::kontomonate(sql, mandant, jahr, pnr)?;
        if monate.is_empty() {
            return Err(KisError::NotFound(format!(
                "Für Personalnummer {pnr} gibt es {jahr} keine abgerechneten Monate."
            )));
        }
        Ok((e, monate))
    })
}

/// The year totals the certificate shows (amounts in euros and cents).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bescheinigungswerte {
    pub von: Option<NaiveDate>,
    pub bis: Option<NaiveDate>,
    /// 3. Bruttoarbeitslohn (laufend and sonstige Bezüge, individually taxed).
    pub bruttoarbeitslohn: Money,
    pub lohnsteuer: Money,
    pub soli: Money,
    /// 6. Kirchensteuer of the employee's church, 7. of the spouse's church.
    pub kirchensteuer_an: Money,
    pub kirchensteuer_ehegatte: Money,
    pub rv_ag: Money,
    pub rv_an: Money,
    pub zuschuss_pkv: Money,
    pub zuschuss_ppv: Money,
    pub kv_an: Money,
    pub pv_an: Money,
    pub av_an: Money,
    /// 28. Premiums of a private basic health and care insurance.
    pub pkv_beitraege: Money,
    /// Months paid with a flat-rate tax (not certified).
    pub pauschal_monate: usize,
}

/// Adds up the certificate's figures from the paid months.
pub fn bescheinigungswerte(monate: &[Kontomonat]) -> Result<Bescheinigungswerte> {
    let mut w = Bescheinigungswerte::default();
    for k in monate {
        if k.pauschal() {
            w.pauschal_monate += 1;
            continue;
        }
        let (f, a) = (&k.fall, &k.abrechnung);
        let erster = f.eintritt.max(k.monat.erster());
        let letzter = f
            .austritt
            .map_or(k.monat.letzter(), |d| d.min(k.monat.letzter()));
        w.von = Some(w.von.map_or(erster, |v| v.min(erster)));
        w.bis = Some(w.bis.map_or(letzter, |b| b.max(letzter)));
        w.bruttoarbeitslohn += a.steuerbrutto_laufend + a.steuerbrutto_sonstig;
        w.lohnsteuer += a.lohnsteuer;
        w.soli += a.soli;
        w.kirchensteuer_an += a.kirchensteuer - a.kirchensteuer_ehegatte;
        w.kirchensteuer_ehegatte += a.kirchensteuer_ehegatte;
        w.rv_ag += a.sv.rv_ag;
        w.rv_an += a.sv.rv_an;
        w.kv_an += a.sv.kv_an;
        w.pv_an += a.sv.pv_an;
        w.av_an += a.sv.av_an;
        if let Some(p) = &f.privat {
            // The subsidy split into its KV and PV parts (§ 3 Nr. 62 EStG).
            let rg = sv::rechengroessen(k.monat.erster())?;
            let kv = sv::pkv_zuschuss(
                rg,
                p.kv_praemie.0,
                rust_decimal::Decimal::ZERO,
                f.sachsen,
                a.sv_tage,
            );
            w.zuschuss_pkv += kv;
            w.zuschuss_ppv += a.pkv_zuschuss - kv;
            w.pkv_beitraege += p.kv_praemie + p.pv_praemie;
        }
    }
    Ok(w)
}

fn kopf(o: &mut String, titel: &str, e: &Employee) {
    let s = |t: &str| sanitize_line(t).into_owned();
    let _ = writeln!(o, "{titel}");
    let _ = writeln!(o, "{}", "─".repeat(BREITE));
    let _ = writeln!(o, "{}", e.name_und_anschrift());
    let _ = writeln!(
        o,
        "Personalnummer {}   geboren am {}   Steuer-IdNr {}",
        s(&e.personalnummer),
        format_date_de(e.geburtsdatum),
        s(&e.steuer_idnr)
    );
}

fn betrag_zeile(o: &mut String, nr: &str, text: &str, betrag: Money) {
    let _ = writeln!(o, "{nr:<5}{text:<55}{:>16}", betrag.format_de());
}

/// The Lohnkonto of `jahr` as a text document.
pub fn lohnkonto(session: &Session, jahr: i32, pnr: &str) -> Result<String> {
    let (e, monate) = monate(session, jahr, pnr)?;
    let mut o = String::new();
    kopf(
        &mut o,
        &format!("LOHNKONTO {jahr}  (§ 41 EStG, § 4 LStDV)"),
        &e,
    );
    let _ = writeln!(o, "{}", "─".repeat(BREITE));
    let _ = writeln!(
        o,
        "{:<8}{:<5}{:>11}{:>10}{:>10}{:>8}{:>8}{:>9}{:>10}",
        "Monat", "StKl", "StBrutto", "sonst.B.", "LSt", "Soli", "KiSt", "SV-AN", "Netto"
    );
    let mut summe = [Money::zero(); 7];
    for k in &monate {
        let (f, a) = (&k.fall, &k.abrechnung);
        let werte = [
            a.steuerbrutto_laufend,
            a.steuerbrutto_sonstig,
            a.lohnsteuer,
            a.soli,
            a.kirchensteuer,
            a.sv.summe_an(),
            a.netto,
        ];
        for (s, w) in summe.iter_mut().zip(werte) {
            *s += w;
        }
        let stkl = if k.pauschal() {
            "pau".to_string()
        } else {
            f.stkl.to_string()
        };
        let _ = writeln!(
            o,
            "{:<8}{:<5}{:>11}{:>10}{:>10}{:>8}{:>8}{:>9}{:>10}",
            k.monat.de(),
            stkl,
            werte[0].format_de(),
            werte[1].format_de(),
            werte[2].format_de(),
            werte[3].format_de(),
            werte[4].format_de(),
            werte[5].format_de(),
            werte[6].format_de()
        );
    }
    let _ = writeln!(o, "{}", "─".repeat(BREITE));
    let _ = writeln!(
        o,
        "{:<13}{:>11}{:>10}{:>10}{:>8}{:>8}{:>9}{:>10}",
        "Summe",
        summe[0].format_de(),
        summe[1].format_de(),
        summe[2].format_de(),
        summe[3].format_de(),
        summe[4].format_de(),
        summe[5].format_de(),
        summe[6].format_de()
    );
    if monate.iter().any(Kontomonat::pauschal) {
        let _ = writeln!(
            o,
            "pau = geringfügige Beschäftigung, Lohnsteuer pauschal 2 % (§ 40a Abs. 2 EStG) durch den Arbeitgeber."
        );
    }
    Ok(o)
}

/// The Lohnsteuerbescheinigung of `jahr` as the printout for the employee.
pub fn lohnsteuerbescheinigung(session: &Session, jahr: i32, pnr: &str) -> Result<String> {
    let (e, monate) = monate(session, jahr, pnr)?;
    let w = bescheinigungswerte(&monate)?;
    let (Some(von), Some(bis)) = (w.von, w.bis) else {
        return Err(KisError::Conflict(format!(
            "Personalnummer {}: {jahr} nur pauschal versteuerter Arbeitslohn (§ 40a EStG) – dafür wird keine Lohnsteuerbescheinigung ausgestellt.",
            e.personalnummer
        )));
    };
    let ag = session
        .db
        .read(|sql| stamm::arbeitgeber_in(sql, session.mandant.id.as_str()))?;
    let letzter = monate.iter().rev().find(|k| !k.pauschal()).map(|k| &k.fall);
    let mut o = String::new();
    kopf(
        &mut o,
        &format!("Ausdruck der elektronischen Lohnsteuerbescheinigung für {jahr}  (§ 41b EStG)"),
        &e,
    );
    if let Some(f) = letzter {
        let _ = writeln!(
            o,
            "Steuerklasse {}   Kinderfreibeträge {}   Kirchensteuermerkmale {} / {}",
            steuerklasse_text(f.stkl),
            format_decimal_de(f.zkf, 1),
            sanitize_line(&merkmal_text(&f.konfession)),
            sanitize_line(&merkmal_text(&f.konfession_ehegatte))
        );
    }
    let _ = writeln!(
        o,
        "Arbeitgeber: {}, {}",
        sanitize_line(&ag.name),
        sanitize_line(&ag.anschrift)
    );
    let _ = writeln!(o, "{}", "─".repeat(BREITE));
    let _ = writeln!(
        o,
        "{:<5}Dauer des Dienstverhältnisses{:>39}",
        "1.",
        format!("{} – {}", format_date_de(von), format_date_de(bis))
    );
    betrag_zeile(
        &mut o,
        "3.",
        "Bruttoarbeitslohn einschl. Sachbezüge",
        w.bruttoarbeitslohn,
    );
    betrag_zeile(&mut o, "4.", "Einbehaltene Lohnsteuer von 3.", w.lohnsteuer);
    betrag_zeile(
        &mut o,
        "5.",
        "Einbehaltener Solidaritätszuschlag von 3.",
        w.soli,
    );
    betrag_zeile(
        &mut o,
        "6.",
        "Einbehaltene Kirchensteuer des Arbeitnehmers von 3.",
        w.kirchensteuer_an,
    );
    betrag_zeile(
        &mut o,
        "7.",
        "Einbehaltene Kirchensteuer des Ehegatten von 3.",
        w.kirchensteuer_ehegatte,
    );
    betrag_zeile(
        &mut o,
        "22a.",
        "Arbeitgeberanteil zur gesetzlichen Rentenversicherung",
        w.rv_ag,
    );
    betrag_zeile(
        &mut o,
        "23a.",
        "Arbeitnehmeranteil zur gesetzlichen Rentenversicherung",
        w.rv_an,
    );
    if !(w.zuschuss_pkv.is_zero() && w.zuschuss_ppv.is_zero()) {
        betrag_zeile(
            &mut o,
            "24b.",
            "Steuerfreier AG-Zuschuss zur privaten Krankenversicherung",
            w.zuschuss_pkv,
        );
        betrag_zeile(
            &mut o,
            "24c.",
            "Steuerfreier AG-Zuschuss zur Pflegeversicherung",
            w.zuschuss_ppv,
        );
    }
    betrag_zeile(
        &mut o,
        "25.",
        "Arbeitnehmerbeiträge zur gesetzlichen Krankenversicherung",
        w.kv_an,
    );
    betrag_zeile(
        &mut o,
        "26.",
        "Arbeitnehmerbeiträge zur sozialen Pflegeversicherung",
        w.pv_an,
    );
    betrag_zeile(
        &mut o,
        "27.",
        "Arbeitnehmerbeiträge zur Arbeitslosenversicherung",
        w.av_an,
    );
    if !w.pkv_beitraege.is_zero() {
        betrag_zeile(
            &mut o,
            "28.",
            "Beiträge zur privaten Kranken- und Pflege-Pflichtversicherung",
            w.pkv_beitraege,
        );
    }
    let _ = writeln!(o, "{}", "─".repeat(BREITE));
    let _ = writeln!(
        o,
        "Aus den Ergebnissen von {} abgerechneten Monat(en); nicht genannte Zeilen: kein Betrag.",
        monate.len() - w.pauschal_monate
    );
    if w.pauschal_monate > 0 {
        let _ = writeln!(
            o,
            "{} Monat(e) pauschal versteuert (§ 40a EStG) – nicht in dieser Bescheinigung.",
            w.pauschal_monate
        );
    }
    Ok(o)
}
