//! Social insurance contributions (Gesamtsozialversicherungsbeitrag) of one
//! employee for one month: KV, RV, AV, PV with the Rechengrößen of the
//! month (`rechengroessen.toml`, one entry per period of validity, each
//! figure with its source), the Übergangsbereich (§ 20 Abs. 2a SGB IV),
//! Minijobs (§ 8 SGB IV), the Umlagen U1/U2 (AAG) and the
//! Insolvenzgeldumlage U3 (§§ 358–360 SGB III). Every share is rounded to
//! cents commercially (§ 123 SGB VI analogously; half away from zero).

use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;

/// The social insurance figures of one period of validity (a calendar
/// year so far). Amounts in euros, rates in percent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rechengroessen {
    pub gueltig_ab: NaiveDate,
    pub gueltig_bis: NaiveDate,
    pub bbg_kv_monat: Decimal,
    pub bbg_rv_monat: Decimal,
    pub kv_satz: Decimal,
    /// Ermäßigter Beitragssatz (§ 243 SGB V), BGS KV 3.
    pub kv_satz_ermaessigt: Decimal,
    /// Durchschnittlicher Zusatzbeitragssatz (§ 242a SGB V), e.g. for the
    /// employer's subsidy to a private health insurance.
    pub kv_zusatz_durchschnitt: Decimal,
    pub rv_satz: Decimal,
    pub av_satz: Decimal,
    pub pv_satz: Decimal,
    /// Points the employer pays less (and the employee more) in Sachsen.
    pub pv_ag_minderung_sachsen: Decimal,
    pub pv_zuschlag_kinderlos: Decimal,
    pub pv_abschlag_je_kind: Decimal,
    pub geringfuegigkeitsgrenze: Decimal,
    pub uebergang_obergrenze: Decimal,
    pub faktor_f: Decimal,
    pub minijob_kv_ag: Decimal,
    pub minijob_rv_ag: Decimal,
    pub minijob_pauschsteuer: Decimal,
    pub minijob_rv_mindestbemessung: Decimal,
    /// Annual tax-free employer ZVK Umlage (§ 3 Nr. 56 EStG).
    pub zvk_steuerfrei_jahr: Decimal,
    /// The tax-free (or flat-taxed) Umlage counts as Arbeitsentgelt up to
    /// this percentage of the ZV-Entgelt (§ 1 Abs. 1 Satz 3 SvEV) …
    pub zvk_hinzurechnung_satz: Decimal,
    /// … less this monthly amount (§ 1 Abs. 1 Satz 4 SvEV).
    pub zvk_hinzurechnung_abzug: Decimal,
    /// Insolvenzgeldumlage U3 (§ 360 SGB III, percent).
    pub insolvenzgeld_umlage: Decimal,
    /// Where each figure comes from.
    pub quellen: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Datei {
    zeitraum: Vec<Rechengroessen>,
}

const DATEI: &str = include_str!("rechengroessen.toml");

/// Parses and checks the table: periods in order, without gaps or overlaps.
fn lade(text: &str) -> Result<Vec<Rechengroessen>> {
    let d: Datei = toml::from_str(text)
        .map_err(|e| KisError::validation(format!("rechengroessen.toml ist ungültig: {e}")))?;
    for (i, z) in d.zeitraum.iter().enumerate() {
        if z.gueltig_bis < z.gueltig_ab || z.quellen.is_empty() {
            return Err(KisError::validation(format!(
                "rechengroessen.toml: Zeitraum ab {} ohne gültiges Ende oder ohne Quelle.",
                format_date_de(z.gueltig_ab)
            )));
        }
        if let Some(v) = i.checked_sub(1).map(|j| &d.zeitraum[j])
            && v.gueltig_bis.succ_opt() != Some(z.gueltig_ab)
        {
            return Err(KisError::validation(format!(
                "rechengroessen.toml: der Zeitraum ab {} schließt nicht lückenlos an den vorigen an.",
                format_date_de(z.gueltig_ab)
            )));
        }
    }
    Ok(d.zeitraum)
}

/// The table, parsed once; a defect of the file (it is part of the source
/// tree and checked by the unit tests) is reported by every look-up.
fn tabelle() -> std::result::Result<&'static [Rechengroessen], String> {
    static T: OnceLock<std::result::Result<Vec<Rechengroessen>, String>> = OnceLock::new();
    match T.get_or_init(|| lade(DATEI).map_err(|e| e.to_string())) {
        Ok(t) => Ok(t),
        Err(e) => Err(e.clone()),
    }
}

/// The Rechengrößen in force on `tag` (the first day of the payroll
/// month); refused for a day KIS has no figures for.
pub fn rechengroessen(tag: NaiveDate) -> Result<&'static Rechengroessen> {
    let t = tabelle().map_err(KisError::validation)?;
    t.iter()
        .find(|z| z.gueltig_ab <= tag && tag <= z.gueltig_bis)
        .ok_or_else(|| {
            let vorhanden = match (t.first(), t.last()) {
                (Some(a), Some(b)) => format!(
                    "vorhanden: {} bis {}",
                    format_date_de(a.gueltig_ab),
                    format_date_de(b.gueltig_bis)
                ),
                _ => "die Tabelle ist leer".into(),
            };
            KisError::validation(format!(
                "Für den {} sind keine Rechengrößen der Sozialversicherung hinterlegt ({vorhanden}).",
                format_date_de(tag)
            ))
        })
}

/// Beitragsgruppenschlüssel KV-RV-AV-PV (e.g. `1111`, Minijob `6500`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beitragsgruppen {
    /// 0 kein Beitrag, 1 allgemein, 3 ermäßigt, 6 Pauschalbeitrag Minijob,
    /// 9 freiwillig versichert (Firmenzahler).
    pub kv: u8,
    /// 0 kein Beitrag, 1 voll, 3 halber Beitrag (nur Arbeitgeber),
    /// 5 Pauschalbeitrag Minijob.
    pub rv: u8,
    /// 0 kein Beitrag, 1 voll, 2 halber Beitrag (nur Arbeitgeber).
    pub av: u8,
    /// 0 kein Beitrag, 1 voll.
    pub pv: u8,
}

impl Beitragsgruppen {
    pub fn parse(s: &str) -> Result<Self> {
        let bad = || {
            KisError::field(
                "bgs",
                format!(
                    "Beitragsgruppenschlüssel „{}“ ungültig: vier Ziffern KV-RV-AV-PV, z. B. 1111 oder 6500.",
                    s.trim()
                ),
            )
        };
        let d: Vec<u8> = s.trim().bytes().map(|b| b.wrapping_sub(b'0')).collect();
        if d.len() != 4 || d.iter().any(|x| *x > 9) {
            return Err(bad());
        }
        let g = Beitragsgruppen {
            kv: d[0],
            rv: d[1],
            av: d[2],
            pv: d[3],
        };
        if ![0, 1, 3, 6, 9].contains(&g.kv) || ![0, 1, 3, 5].contains(&g.rv) || g.av > 2 || g.pv > 1
        {
            return Err(bad());
        }
        Ok(g)
    }

    pub fn code(&self) -> String {
        format!("{}{}{}{}", self.kv, self.rv, self.av, self.pv)
    }

    /// Flat-rate groups of a geringfügig entlohnte Beschäftigung.
    pub fn ist_minijob(&self) -> bool {
        self.kv == 6 || self.rv == 5
    }
}

/// How the month's contributions were computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SvArt {
    Regulaer,
    Uebergangsbereich,
    Minijob,
}

impl SvArt {
    pub fn label(self) -> &'static str {
        match self {
            SvArt::Regulaer => "regulär",
            SvArt::Uebergangsbereich => "Übergangsbereich",
            SvArt::Minijob => "geringfügig (Minijob)",
        }
    }
}

/// What the contributions of one employee and month depend on.
#[derive(Clone, Debug, PartialEq)]
pub struct SvEingabe {
    pub bgs: Beitragsgruppen,
    /// Laufendes beitragspflichtiges Entgelt of the month (already prorated).
    pub laufend: Decimal,
    /// Einmalig gezahltes Entgelt (e.g. Jahressonderzahlung).
    pub einmal: Decimal,
    /// Remaining annual headroom for the Einmalzahlung (§ 23a Abs. 3 SGB IV:
    /// anteilige Jahres-BBG minus the laufendes Entgelt already charged),
    /// KV/PV and RV/AV; only read when `einmal` is not zero.
    pub einmal_rest_kv: Decimal,
    pub einmal_rest_rv: Decimal,
    /// SV-Tage of the month: 30 for a full month, else calendar days employed.
    pub sv_tage: u32,
    /// Regular monthly pay for a full month (decides Minijob/Übergangsbereich).
    pub regelentgelt: Decimal,
    /// Zusatzbeitragssatz of the Krankenkasse in percent.
    pub kv_zusatz: Decimal,
    /// Beschäftigungsbetrieb in Sachsen (§ 58 Abs. 3 SGB XI).
    pub sachsen: bool,
    /// Beitragszuschlag für Kinderlose applies this month (§ 55 Abs. 3 SGB XI).
    pub pv_zuschlag: bool,
    /// Children under 25 to be considered for the Abschlag (§ 55 Abs. 3 Satz 4 SGB XI).
    pub pv_kinder_unter_25: u32,
    /// Trainees: the Übergangsbereich does not apply (§ 20 Abs. 2a Satz 7 SGB IV).
    pub azubi: bool,
    /// Umlage rates of the Kasse in percent; U1 only when the employer takes part.
    pub u1_satz: Option<Decimal>,
    pub u2_satz: Decimal,
    /// The employer owes the Insolvenzgeldumlage; public employers that
    /// cannot become insolvent (Gemeinden) do not (§ 358 Abs. 1 Satz 2 SGB III).
    pub u3_pflicht: bool,
}

/// Contributions of one employee for one month.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct SvErgebnis {
    pub art: Option<SvArt>,
    /// Beitragspflichtige Einnahme KV/PV and RV/AV (for the Übergangsbereich the
    /// BE of § 20 Abs. 2a Satz 1 SGB IV).
    pub bemessung_kv: Money,
    pub bemessung_rv: Money,
    /// Übergangsbereich: the employee's reduced base (§ 20 Abs. 2a Satz 6 SGB IV).
    pub bemessung_an: Money,
    pub kv_an: Money,
    pub kv_ag: Money,
    pub rv_an: Money,
    pub rv_ag: Money,
    pub av_an: Money,
    pub av_ag: Money,
    pub pv_an: Money,
    pub pv_ag: Money,
    /// Minijob: Pauschsteuer 2 % (§ 40a Abs. 2 EStG), borne by the employer.
    pub pauschsteuer: Money,
    pub u1: Money,
    pub u2: Money,
    /// Insolvenzgeldumlage (results stored before it existed read as zero).
    #[serde(default)]
    pub u3: Money,
}

impl SvErgebnis {
    pub fn summe_an(&self) -> Money {
        self.kv_an + self.rv_an + self.av_an + self.pv_an
    }

    pub fn summe_ag(&self) -> Money {
        self.kv_ag + self.rv_ag + self.av_ag + self.pv_ag
    }

    /// The employer's Umlagen U1, U2 and U3.
    pub fn umlagen(&self) -> Money {
        self.u1 + self.u2 + self.u3
    }
}

fn pct(base: Decimal, rate: Decimal) -> Money {
    Money::new(base * rate / dec!(100))
}

fn round2(d: Decimal) -> Decimal {
    Money::new(d).0
}

/// Employee and employer rates (percent) of one branch for a regular employment.
#[derive(Clone, Copy, Debug)]
struct Saetze {
    an: Decimal,
    ag: Decimal,
    /// The employee rate without PV Zuschlag/Abschlag (the "paritätische" part).
    an_grund: Decimal,
}

fn kv_saetze(rg: &Rechengroessen, e: &SvEingabe) -> Option<Saetze> {
    let allgemein = match e.bgs.kv {
        1 | 9 => rg.kv_satz,
        // § 243 SGB V: ermäßigter Beitragssatz.
        3 => rg.kv_satz_ermaessigt,
        _ => return None,
    };
    let half = (allgemein + e.kv_zusatz) / dec!(2);
    Some(Saetze {
        an: half,
        ag: half,
        an_grund: half,
    })
}

fn rv_saetze(rg: &Rechengroessen, e: &SvEingabe) -> Option<Saetze> {
    let half = rg.rv_satz / dec!(2);
    match e.bgs.rv {
        1 => Some(Saetze {
            an: half,
            ag: half,
            an_grund: half,
        }),
        3 => Some(Saetze {
            an: Decimal::ZERO,
            ag: half,
            an_grund: Decimal::ZERO,
        }),
        _ => None,
    }
}

fn av_saetze(rg: &Rechengroessen, e: &SvEingabe) -> Option<Saetze> {
    let half = rg.av_satz / dec!(2);
    match e.bgs.av {
        1 => Some(Saetze {
            an: half,
            ag: half,
            an_grund: half,
        }),
        2 => Some(Saetze {
            an: Decimal::ZERO,
            ag: half,
            an_grund: Decimal::ZERO,
        }),
        _ => None,
    }
}

/// Number of PV Abschläge: one per child from the 2nd to the 5th under 25.
pub fn pv_abschlaege(kinder_unter_25: u32) -> u32 {
    kinder_unter_25.saturating_sub(1).min(4)
}

fn pv_saetze(rg: &Rechengroessen, e: &SvEingabe) -> Option<Saetze> {
    if e.bgs.pv != 1 {
        return None;
    }
    let half = rg.pv_satz / dec!(2);
    let (an_grund, ag) = if e.sachsen {
        (
            half + rg.pv_ag_minderung_sachsen,
            half - rg.pv_ag_minderung_sachsen,
        )
    } else {
        (half, half)
    };
    let mut an = an_grund;
    if e.pv_zuschlag {
        an += rg.pv_zuschlag_kinderlos;
    } else {
        an -= rg.pv_abschlag_je_kind * Decimal::from(pv_abschlaege(e.pv_kinder_unter_25));
    }
    Some(Saetze { an, ag, an_grund })
}

/// Computes the contributions of one month.
pub fn berechne(rg: &Rechengroessen, e: &SvEingabe) -> Result<SvErgebnis> {
    if e.laufend.is_sign_negative() || e.einmal.is_sign_negative() {
        return Err(KisError::validation(
            "Beitragspflichtiges Entgelt darf nicht negativ sein.",
        ));
    }
    if e.sv_tage == 0 || e.sv_tage > 30 {
        return Err(KisError::validation(
            "SV-Tage müssen zwischen 1 und 30 liegen.",
        ));
    }
    let anteil = Decimal::from(e.sv_tage) / dec!(30);
    let g = rg.geringfuegigkeitsgrenze;
    let ae = e.laufend + e.einmal;
    if e.bgs.ist_minijob() {
        if e.regelentgelt > g {
            return Err(KisError::field(
                "bgs",
                format!(
                    "Beitragsgruppe {} ist eine Minijob-Gruppe, das regelmäßige Entgelt {} € liegt aber über der Geringfügigkeitsgrenze {} €.",
                    e.bgs.code(),
                    Money::new(e.regelentgelt).format_de(),
                    Money::new(g).format_de()
                ),
            ));
        }
        return Ok(minijob(rg, e, ae));
    }
    let og = rg.uebergang_obergrenze;
    let uebergang = !e.azubi
        && e.regelentgelt > g
        && e.regelentgelt <= og
        && ae <= round2(og * anteil)
        && ae > round2(g * anteil);
    if uebergang {
        return Ok(uebergangsbereich(rg, e, ae, g * anteil, og * anteil));
    }
    let kv_base = e.laufend.min(round2(rg.bbg_kv_monat * anteil))
        + e.einmal.min(e.einmal_rest_kv.max(Decimal::ZERO));
    let rv_base = e.laufend.min(round2(rg.bbg_rv_monat * anteil))
        + e.einmal.min(e.einmal_rest_rv.max(Decimal::ZERO));
    let mut r = SvErgebnis {
        art: Some(SvArt::Regulaer),
        bemessung_kv: Money::new(kv_base),
        bemessung_rv: Money::new(rv_base),
        ..Default::default()
    };
    let split = |s: Option<Saetze>, base: Decimal| {
        s.map(|s| (pct(base, s.an), pct(base, s.ag)))
            .unwrap_or_default()
    };
    (r.kv_an, r.kv_ag) = split(kv_saetze(rg, e), kv_base);
    (r.pv_an, r.pv_ag) = split(pv_saetze(rg, e), kv_base);
    (r.rv_an, r.rv_ag) = split(rv_saetze(rg, e), rv_base);
    (r.av_an, r.av_ag) = split(av_saetze(rg, e), rv_base);
    let laufend_rv = e.laufend.min(round2(rg.bbg_rv_monat * anteil));
    umlagen(rg, e, laufend_rv, rv_base, &mut r);
    Ok(r)
}

/// § 20 Abs. 2a SGB IV. The total contribution of each branch is charged on
/// BE = F×G + (OG/(OG−G) − G/(OG−G)×F) × (AE−G); the employee's share on
/// BE_AN = OG/(OG−G) × (AE−G); the employer pays the total minus the
/// employee's paritätischer share. Both bases are rounded to cents, the
/// intermediate results are not. The PV Zuschlag for the childless is borne
/// by the employee alone (§ 58 Abs. 1 Satz 3 SGB XI) and, as the
/// Spitzenorganisationen compute it, charged on BE (the base of the total
/// contribution), not on BE_AN. The Abschläge for children reduce only the
/// employee's rate, applied to BE_AN (on BE the share would turn negative
/// near the lower limit). Neither changes the employer's share. In a
/// partial month G and OG are prorated by SV-Tage/30.
fn uebergangsbereich(
    rg: &Rechengroessen,
    e: &SvEingabe,
    ae: Decimal,
    g: Decimal,
    og: Decimal,
) -> SvErgebnis {
    let f = rg.faktor_f;
    let be = round2(f * g + (og / (og - g) - g / (og - g) * f) * (ae - g));
    let be_an = round2(og / (og - g) * (ae - g));
    let mut r = SvErgebnis {
        art: Some(SvArt::Uebergangsbereich),
        bemessung_kv: Money::new(be),
        bemessung_rv: Money::new(be),
        bemessung_an: Money::new(be_an),
        ..Default::default()
    };
    let split = |s: Option<Saetze>| match s {
        Some(s) => {
            let gesamt = pct(be, s.an_grund + s.ag);
            let an_grund = pct(be_an, s.an_grund);
            (pct(be_an, s.an), gesamt - an_grund)
        }
        None => Default::default(),
    };
    (r.kv_an, r.kv_ag) = split(kv_saetze(rg, e));
    if let Some(pv) = pv_saetze(rg, e) {
        let ohne_zuschlag = Saetze {
            an: if e.pv_zuschlag { pv.an_grund } else { pv.an },
            ..pv
        };
        (r.pv_an, r.pv_ag) = split(Some(ohne_zuschlag));
        if e.pv_zuschlag {
            r.pv_an += pct(be, rg.pv_zuschlag_kinderlos);
        }
    }
    (r.rv_an, r.rv_ag) = split(rv_saetze(rg, e));
    (r.av_an, r.av_ag) = split(av_saetze(rg, e));
    // The Umlagen are charged on the actual Entgelt, not on the reduced BE.
    umlagen(rg, e, e.laufend, ae, &mut r);
    r
}

/// Geringfügig entlohnte Beschäftigung: employer flat rates KV 13 % (only
/// for members of a statutory Kasse, BGS KV 6), RV 15 %, Pauschsteuer 2 %;
/// with RV obligation (BGS RV 1) the employee pays the difference to the
/// full 18,6 %, on at least 175 € (§ 163 Abs. 8 SGB VI).
fn minijob(rg: &Rechengroessen, e: &SvEingabe, ae: Decimal) -> SvErgebnis {
    let mut r = SvErgebnis {
        art: Some(SvArt::Minijob),
        bemessung_kv: Money::new(ae),
        bemessung_rv: Money::new(ae),
        ..Default::default()
    };
    if e.bgs.kv == 6 {
        r.kv_ag = pct(ae, rg.minijob_kv_ag);
    }
    match e.bgs.rv {
        5 => r.rv_ag = pct(ae, rg.minijob_rv_ag),
        1 => {
            let mindest = ae.max(rg.minijob_rv_mindestbemessung);
            r.rv_ag = pct(ae, rg.minijob_rv_ag);
            r.rv_an = pct(mindest, rg.rv_satz) - r.rv_ag;
        }
        _ => {}
    }
    r.pauschsteuer = pct(ae, rg.minijob_pauschsteuer);
    umlagen(rg, e, e.laufend, ae, &mut r);
    r
}

/// U1/U2 on the laufendes Entgelt subject to RV (§ 7 Abs. 2 AAG leaves
/// Einmalzahlungen out); U3 on the whole Entgelt subject to RV including
/// Einmalzahlungen (§ 358 Abs. 2 SGB III).
fn umlagen(
    rg: &Rechengroessen,
    e: &SvEingabe,
    laufend: Decimal,
    gesamt: Decimal,
    r: &mut SvErgebnis,
) {
    if let Some(u1) = e.u1_satz {
        r.u1 = pct(laufend, u1);
    }
    r.u2 = pct(laufend, e.u2_satz);
    if e.u3_pflicht {
        r.u3 = pct(gesamt, rg.insolvenzgeld_umlage);
    }
}

/// The employer's subsidy to a private health and long-term care insurance
/// (§ 257 SGB V, § 61 SGB XI): half the premium, at most what the employer
/// would pay for a statutory member (KV: half of 14,6 % + the average
/// Zusatzbeitrag; PV: the employer rate, 1,3 % in Sachsen) on the BBG.
pub fn pkv_zuschuss(
    rg: &Rechengroessen,
    kv_praemie: Decimal,
    pv_praemie: Decimal,
    sachsen: bool,
    sv_tage: u32,
) -> Money {
    let anteil = Decimal::from(sv_tage.min(30)) / dec!(30);
    let bbg = rg.bbg_kv_monat * anteil;
    let kv_max = pct(bbg, (rg.kv_satz + rg.kv_zusatz_durchschnitt) / dec!(2));
    let pv_rate = rg.pv_satz / dec!(2)
        - if sachsen {
            rg.pv_ag_minderung_sachsen
        } else {
            Decimal::ZERO
        };
    let pv_max = pct(bbg, pv_rate);
    Money::new(kv_praemie / dec!(2)).min(kv_max) + Money::new(pv_praemie / dec!(2)).min(pv_max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eingabe(entgelt: Decimal) -> SvEingabe {
        SvEingabe {
            bgs: Beitragsgruppen::parse("1111").unwrap(),
            laufend: entgelt,
            einmal: Decimal::ZERO,
            einmal_rest_kv: Decimal::ZERO,
            einmal_rest_rv: Decimal::ZERO,
            sv_tage: 30,
            regelentgelt: entgelt,
            kv_zusatz: dec!(2.9),
            sachsen: false,
            pv_zuschlag: false,
            pv_kinder_unter_25: 1,
            azubi: false,
            u1_satz: None,
            u2_satz: dec!(0.44),
            u3_pflicht: false,
        }
    }

    fn m(s: &str) -> Money {
        Money::new(s.parse().unwrap())
    }

    fn tag(jahr: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(jahr, 1, 1).unwrap()
    }

    #[test]
    fn bgs_parse_and_reject() {
        assert_eq!(Beitragsgruppen::parse("6500").unwrap().code(), "6500");
        assert!(Beitragsgruppen::parse("6500").unwrap().ist_minijob());
        assert!(Beitragsgruppen::parse("2111").is_err());
        assert!(Beitragsgruppen::parse("111").is_err());
        assert!(Beitragsgruppen::parse("11a1").is_err());
    }

    #[test]
    fn regular_employee_half_each() {
        let rg = rechengroessen(tag(2026)).unwrap();
        let r = berechne(rg, &eingabe(dec!(3986.06))).unwrap();
        // KV (14,6 + 2,9) / 2 = 8,75 %: 3.986,06 × 8,75 % = 348,78025 → 348,78.
        assert_eq!((r.kv_an, r.kv_ag), (m("348.78"), m("348.78")));
        // RV 9,3 %: 370,70358 → 370,70.
        assert_eq!((r.rv_an, r.rv_ag), (m("370.70"), m("370.70")));
        // AV 1,3 %: 51,81878 → 51,82.
        assert_eq!((r.av_an, r.av_ag), (m("51.82"), m("51.82")));
        // PV 1,8 % with one child: 71,74908 → 71,75.
        assert_eq!((r.pv_an, r.pv_ag), (m("71.75"), m("71.75")));
        // U2 0,44 %: 17,5386640 → 17,54; no U1 for a large employer.
        assert_eq!((r.u1, r.u2), (Money::zero(), m("17.54")));
    }

    #[test]
    fn umlagen_u1_u2_without_and_u3_with_einmalzahlung() {
        let rg = rechengroessen(tag(2026)).unwrap();
        // 3.000 € laufend + 2.000 € Jahressonderzahlung, headroom enough.
        let mut e = eingabe(dec!(3000));
        e.einmal = dec!(2000);
        e.einmal_rest_kv = dec!(10000);
        e.einmal_rest_rv = dec!(10000);
        e.u1_satz = Some(dec!(1.6));
        let r = berechne(rg, &e).unwrap();
        assert_eq!(r.bemessung_rv, m("5000.00"));
        // U1 1,6 % and U2 0,44 % only on the laufendes Entgelt (§ 7 Abs. 2 AAG):
        // 48,00 and 13,20; a Gemeinde owes no U3.
        assert_eq!((r.u1, r.u2, r.u3), (m("48.00"), m("13.20"), Money::zero()));
        // An employer that can become insolvent: U3 0,15 % on the whole
        // RV-Entgelt including the Einmalzahlung (§ 358 Abs. 2 SGB III): 7,50.
        e.u3_pflicht = true;
        let r = berechne(rg, &e).unwrap();
        assert_eq!(r.u3, m("7.50"));
        assert_eq!(r.umlagen(), m("68.70"));
        // Above the RV BBG: capped at 8.450 € → 12,675 → 12,68.
        let mut hoch = eingabe(dec!(9000));
        hoch.u3_pflicht = true;
        assert_eq!(berechne(rg, &hoch).unwrap().u3, m("12.68"));
        // Minijob 520 €: U3 0,78.
        let mut mini = eingabe(dec!(520));
        mini.bgs = Beitragsgruppen::parse("6500").unwrap();
        mini.u3_pflicht = true;
        assert_eq!(berechne(rg, &mini).unwrap().u3, m("0.78"));
    }

    #[test]
    fn bbg_caps_and_proration() {
        let rg = rechengroessen(tag(2026)).unwrap();
        let r = berechne(rg, &eingabe(dec!(9000))).unwrap();
        assert_eq!(r.bemessung_kv, m("5812.50"));
        assert_eq!(r.bemessung_rv, m("8450.00"));
        // 8.450 × 9,3 % = 785,85.
        assert_eq!(r.rv_an, m("785.85"));
        // 15 SV-Tage: BBG RV 4.225,00.
        let mut e = eingabe(dec!(4500));
        e.sv_tage = 15;
        let r = berechne(rg, &e).unwrap();
        assert_eq!(r.bemessung_rv, m("4225.00"));
        assert_eq!(r.bemessung_kv, m("2906.25"));
    }

    #[test]
    fn pv_rules() {
        let rg = rechengroessen(tag(2026)).unwrap();
        let mut e = eingabe(dec!(3000));
        e.pv_zuschlag = true;
        e.pv_kinder_unter_25 = 0;
        e.sachsen = true;
        let r = berechne(rg, &e).unwrap();
        // Sachsen, childless: employee 1,8 + 0,5 + 0,6 = 2,9 % = 87,00; employer 1,3 % = 39,00.
        assert_eq!((r.pv_an, r.pv_ag), (m("87.00"), m("39.00")));
        let mut e = eingabe(dec!(3000));
        e.pv_kinder_unter_25 = 3;
        let r = berechne(rg, &e).unwrap();
        // Three children: 1,8 − 2 × 0,25 = 1,3 % = 39,00; employer 1,8 % = 54,00.
        assert_eq!((r.pv_an, r.pv_ag), (m("39.00"), m("54.00")));
        assert_eq!(pv_abschlaege(7), 4);
        assert_eq!(pv_abschlaege(1), 0);
    }

    #[test]
    fn uebergangsbereich_1200() {
        let rg = rechengroessen(tag(2026)).unwrap();
        let mut e = eingabe(dec!(1200));
        e.pv_kinder_unter_25 = 1;
        let r = berechne(rg, &e).unwrap();
        assert_eq!(r.art, Some(SvArt::Uebergangsbereich));
        // BE = 0,6619 × 603 + (2000/1397 − 603/1397 × 0,6619) × 597
        //    = 399,1257 + (1,4316392269 − 0,2857059413) × 597 = 1.083,2502… → 1.083,25.
        assert_eq!(r.bemessung_kv, m("1083.25"));
        // BE_AN = 2000/1397 × 597 = 854,6886… → 854,69.
        assert_eq!(r.bemessung_an, m("854.69"));
        // KV employee 8,75 % × 854,69 = 74,7853… → 74,79; total 17,5 % × 1.083,25 = 189,56875 → 189,57;
        // employer 189,57 − 74,79 = 114,78.
        assert_eq!((r.kv_an, r.kv_ag), (m("74.79"), m("114.78")));
        // RV employee 9,3 % × 854,69 = 79,486… → 79,49; total 18,6 % × 1.083,25 = 201,4845 → 201,48; employer 121,99.
        assert_eq!((r.rv_an, r.rv_ag), (m("79.49"), m("121.99")));
        // U2 on the actual 1.200 €: 5,28.
        assert_eq!(r.u2, m("5.28"));
    }

    #[test]
    fn uebergangsbereich_zuschlag_only_employee() {
        let rg = rechengroessen(tag(2026)).unwrap();
        let mut e = eingabe(dec!(1200));
        e.pv_zuschlag = true;
        e.pv_kinder_unter_25 = 0;
        let r = berechne(rg, &e).unwrap();
        // Employee 1,8 % × BE_AN 854,69 = 15,38442 → 15,38 plus the Zuschlag 0,6 % × BE 1.083,25
        // = 6,4995 → 6,50: 21,88. Total 3,6 % × 1.083,25 = 38,997 → 39,00; employer
        // 39,00 − 15,38 = 23,62 — unchanged by the Zuschlag.
        assert_eq!((r.pv_an, r.pv_ag), (m("21.88"), m("23.62")));
    }

    #[test]
    fn minijob_flat_rates() {
        let rg = rechengroessen(tag(2026)).unwrap();
        let mut e = eingabe(dec!(520));
        e.bgs = Beitragsgruppen::parse("6100").unwrap();
        let r = berechne(rg, &e).unwrap();
        assert_eq!(r.art, Some(SvArt::Minijob));
        // KV 13 % = 67,60; RV employer 15 % = 78,00; employee 18,6 % × 520 = 96,72 − 78,00 = 18,72.
        assert_eq!(
            (r.kv_ag, r.rv_ag, r.rv_an),
            (m("67.60"), m("78.00"), m("18.72"))
        );
        assert_eq!(r.pauschsteuer, m("10.40"));
        assert_eq!(r.summe_an(), m("18.72"));
        // Exempted from RV: no employee share.
        e.bgs = Beitragsgruppen::parse("6500").unwrap();
        let r = berechne(rg, &e).unwrap();
        assert_eq!(r.rv_an, Money::zero());
        // Minijob group above the limit is refused.
        e.regelentgelt = dec!(700);
        assert!(berechne(rg, &e).is_err());
    }

    #[test]
    fn pkv_subsidy_capped() {
        let rg = rechengroessen(tag(2026)).unwrap();
        // KV premium 1.200 → half 600 capped at 8,75 % × 5.812,50 = 508,59;
        // PV premium 100 → 50 (cap 1,8 % × 5.812,50 = 104,63).
        assert_eq!(
            pkv_zuschuss(rg, dec!(1200), dec!(100), false, 30),
            m("558.59")
        );
    }

    #[test]
    fn rechengroessen_table_is_data_with_sources() {
        let r25 = rechengroessen(tag(2025)).unwrap();
        let r26 = rechengroessen(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()).unwrap();
        assert_eq!(
            r25.gueltig_bis,
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
        // SV-Rechengrößenverordnung 2025 / 2026.
        assert_eq!(
            (r25.bbg_kv_monat, r25.bbg_rv_monat),
            (dec!(5512.50), dec!(8050.00))
        );
        assert_eq!(
            (r26.bbg_kv_monat, r26.bbg_rv_monat),
            (dec!(5812.50), dec!(8450.00))
        );
        assert_eq!(
            (r25.kv_zusatz_durchschnitt, r26.kv_zusatz_durchschnitt),
            (dec!(2.5), dec!(2.9))
        );
        assert_eq!(
            (r25.geringfuegigkeitsgrenze, r26.geringfuegigkeitsgrenze),
            (dec!(556), dec!(603))
        );
        assert_eq!(
            (r25.zvk_steuerfrei_jahr, r26.zvk_steuerfrei_jahr),
            (dec!(3864), dec!(4056))
        );
        for r in [r25, r26] {
            // § 20 Abs. 2a SGB IV: F = 28 / Gesamtsozialversicherungsbeitragssatz,
            // rounded to four places; the table's F must agree with its rates.
            let gsv = r.kv_satz + r.kv_zusatz_durchschnitt + r.rv_satz + r.av_satz + r.pv_satz;
            assert_eq!(r.faktor_f, (dec!(28) / gsv).round_dp(4), "{}", r.gueltig_ab);
            // § 3 Nr. 56 EStG: 4 % of the annual BBG RV.
            assert_eq!(
                r.zvk_steuerfrei_jahr,
                r.bbg_rv_monat * dec!(12) * dec!(0.04)
            );
            assert!(r.quellen.len() >= 5, "Quellen fehlen für {}", r.gueltig_ab);
        }
        assert_eq!((r25.faktor_f, r26.faktor_f), (dec!(0.6683), dec!(0.6619)));
    }

    #[test]
    fn rechengroessen_table_refuses_gaps() {
        let eins = DATEI.split("[[zeitraum]]").nth(1).unwrap();
        let zwei = eins
            .replace("2025-01-01", "2027-01-01")
            .replace("2025-12-31", "2027-12-31");
        let text = format!("[[zeitraum]]{eins}[[zeitraum]]{zwei}");
        let e = lade(&text).unwrap_err().to_string();
        assert!(e.contains("01.01.2027") && e.contains("lückenlos"), "{e}");
        assert!(lade("[[zeitraum]]\ngueltig_ab = 1").is_err());
    }

    #[test]
    fn same_employee_2025_and_2026() {
        let e = eingabe(dec!(9000));
        let a = berechne(rechengroessen(tag(2025)).unwrap(), &e).unwrap();
        assert_eq!(
            (a.bemessung_kv, a.bemessung_rv),
            (m("5512.50"), m("8050.00"))
        );
        assert_eq!(a.rv_an, m("748.65"));
        let b = berechne(rechengroessen(tag(2026)).unwrap(), &e).unwrap();
        assert_eq!(
            (b.bemessung_kv, b.bemessung_rv),
            (m("5812.50"), m("8450.00"))
        );
        assert_eq!(b.rv_an, m("785.85"));
        // The PKV subsidy cap uses the year's average Zusatzbeitrag:
        // 2025 (14,6 + 2,5) / 2 = 8,55 % × 5.512,50 = 471,32.
        assert_eq!(
            pkv_zuschuss(
                rechengroessen(tag(2025)).unwrap(),
                dec!(1200),
                dec!(0),
                false,
                30
            ),
            m("471.32")
        );
    }

    #[test]
    fn unknown_year_refused() {
        let e = rechengroessen(tag(2019)).unwrap_err().to_string();
        assert!(
            e.contains("01.01.2019") && e.contains("vorhanden: 01.01.2025"),
            "{e}"
        );
    }
}
