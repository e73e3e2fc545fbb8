//! Gross-to-net for one employee and one month (Brutto → Netto).
//!
//! Input is a [`Fall`]: everything the month's computation depends on,
//! taken from the master data and the year's earlier results by the payroll
//! run. Output is an [`Abrechnung`] with every figure of the payslip. Both
//! are stored with the result, so each figure can be traced to its input.
//!
//! Rules (in the order of the computation):
//! 1. Gross: Tabellenentgelt × Arbeitszeitanteil + Zulagen + VL of the
//!    employer; entry/exit within the month: × days employed / days of the
//!    month (§ 24 Abs. 3 TVöD); the Jahressonderzahlung as sonstiger Bezug.
//! 2. SV: `sv::berechne` with SV-Tage (30 for a full month, else the
//!    calendar days employed) and the Einmalzahlung's annual headroom, on
//!    the gross plus the part of the ZVK Umlage that is Arbeitsentgelt
//!    (§ 1 Abs. 1 Satz 3–4 SvEV, see [`zvk`]); the Rechengrößen of the
//!    month from `sv::rechengroessen`.
//! 3. Tax: the PAP of the year. A full month is Lohnzahlungszeitraum month
//!    (LZZ 2); a month with entry or exit is a Teillohnzahlungszeitraum that
//!    is taxed by calendar days (R 39b.5 Abs. 2 LStR: LZZ 4 with the daily
//!    wage, the tax per day × days). Kirchensteuer = rate × BK (+ rate × BKS),
//!    cent fractions dropped; Minijobs are taxed with the 2 % Pauschsteuer.
//! 4. Net = gross − taxes − employee SV; Auszahlung = net − VL transfer +
//!    steuerfreier PKV-Zuschuss.

use chrono::{Datelike, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use super::lohnsteuer::{self, LstEingabe};
use super::sv::{self, Beitragsgruppen, SvArt, SvEingabe, SvErgebnis};
use crate::core::date::days_in_month;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;

/// Beschäftigungsart of the master data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Beschaeftigungsart {
    Tarif,
    Beamter,
    Minijob,
    Auszubildende,
    Praktikant,
}

impl Beschaeftigungsart {
    pub const ALLE: [Beschaeftigungsart; 5] = [
        Beschaeftigungsart::Tarif,
        Beschaeftigungsart::Beamter,
        Beschaeftigungsart::Minijob,
        Beschaeftigungsart::Auszubildende,
        Beschaeftigungsart::Praktikant,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Beschaeftigungsart::Tarif => "TARIF",
            Beschaeftigungsart::Beamter => "BEAMTER",
            Beschaeftigungsart::Minijob => "MINIJOB",
            Beschaeftigungsart::Auszubildende => "AZUBI",
            Beschaeftigungsart::Praktikant => "PRAKTIKANT",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        let up = s.trim().to_uppercase();
        Self::ALLE.iter().copied().find(|a| a.code() == up).ok_or_else(|| {
            KisError::field("beschaeftigungsart", format!("Beschäftigungsart „{}“ unbekannt: TARIF, BEAMTER, MINIJOB, AZUBI oder PRAKTIKANT.", s.trim()))
        })
    }
}

/// A difference from the Rückrechnung of an earlier month, paid (or, when
/// negative, set off) with this month's payout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Differenz {
    /// The corrected month (`2026-02`).
    pub monat: String,
    pub betrag: Money,
}

/// One pay component (Zulage, Zuschlag) with its monthly full amount.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Posten {
    pub bezeichnung: String,
    pub betrag: Money,
}

/// Private health and long-term care insurance (monthly premiums).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivateKv {
    pub kv_praemie: Money,
    pub pv_praemie: Money,
}

/// Cumulative figures of the year before this month (from stored results).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Vorlauf {
    /// Laufender steuerpflichtiger Arbeitslohn of the earlier months.
    pub steuer_laufend: Money,
    /// Laufendes SV-Entgelt charged so far (KV/PV and RV/AV bases).
    pub sv_kv: Money,
    pub sv_rv: Money,
    /// SV-Tage so far.
    pub sv_tage: u32,
}

/// Everything the computation of one employee and month depends on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fall {
    /// First day of the month of account.
    pub monat: NaiveDate,
    pub geburtsdatum: NaiveDate,
    pub eintritt: NaiveDate,
    pub austritt: Option<NaiveDate>,
    pub art: Beschaeftigungsart,
    /// Entgeltgruppe/Stufe (for the payslip) and the Tabellenentgelt for
    /// full time, or the agreed monthly amount (Minijob, Praktikant).
    pub eg: String,
    pub stufe: u8,
    pub tabellenentgelt: Money,
    /// Part-time quota (1 = 39 h).
    pub arbeitszeitanteil: Decimal,
    pub zulagen: Vec<Posten>,
    /// Vermögenswirksame Leistungen of the employer (taxable gross).
    pub vl_ag: Money,
    /// Amount transferred to the employee's VL contract (deducted).
    pub vl_abzug: Money,
    /// Jahressonderzahlung paid this month (sonstiger Bezug, einmalig gezahlt).
    pub jahressonderzahlung: Money,
    // Tax (ELStAM)
    pub stkl: u8,
    pub faktor: Decimal,
    pub zkf: Decimal,
    /// Konfession of the employee and spouse (`ev`, `rk`, … or empty).
    pub konfession: String,
    pub konfession_ehegatte: String,
    /// Kirchensteuersatz of the Betriebsstätte's Land in percent (8 or 9).
    pub kist_satz: Decimal,
    pub freibetrag_monat: Money,
    pub hinzurechnung_monat: Money,
    // Social insurance
    pub bgs: Beitragsgruppen,
    pub kv_zusatz: Decimal,
    pub privat: Option<PrivateKv>,
    pub sachsen: bool,
    pub elterneigenschaft: bool,
    pub kinder_unter_25: u32,
    pub u1_satz: Option<Decimal>,
    pub u2_satz: Decimal,
    /// The employer owes the Insolvenzgeldumlage U3 (§ 358 SGB III).
    #[serde(default)]
    pub u3_pflicht: bool,
    /// ZVK employer Umlage in percent of the zusatzversorgungspflichtiges
    /// Entgelt; `None` without ZVK membership.
    pub zvk_satz: Option<Decimal>,
    pub vorlauf: Vorlauf,
}

/// The PAP inputs used (as named in the PAP), kept with the result.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct PapDaten {
    pub lzz: i32,
    pub tage: u32,
    pub re4: i64,
    pub sonstb: i64,
    pub jre4: i64,
    pub stkl: i32,
    pub zkf: Decimal,
    pub f: Decimal,
    pub kvz: Decimal,
    pub pkv: i32,
    pub pkpv: i64,
    pub pkpvagz: i64,
    pub pvs: i32,
    pub pvz: i32,
    pub pva: Decimal,
    pub krv: i32,
    pub alv: i32,
    pub r: i32,
    pub alter1: i32,
    pub ajahr: i32,
    pub bk: i64,
    pub bks: i64,
}

/// Every figure of one month's payslip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Abrechnung {
    pub tage_monat: u32,
    pub tage_beschaeftigt: u32,
    pub sv_tage: u32,
    pub grundentgelt: Money,
    pub zulagen: Vec<Posten>,
    pub vl_ag: Money,
    pub jahressonderzahlung: Money,
    pub gesamtbrutto: Money,
    pub steuerbrutto_laufend: Money,
    pub steuerbrutto_sonstig: Money,
    pub sv_brutto: Money,
    pub lohnsteuer: Money,
    pub soli: Money,
    pub kirchensteuer: Money,
    /// Part of the Kirchensteuer for the spouse's church (Halbteilung).
    pub kirchensteuer_ehegatte: Money,
    pub sv: SvErgebnis,
    pub pkv_zuschuss: Money,
    pub zvk_umlage: Money,
    /// Part of the Umlage above the tax-free amount of § 3 Nr. 56 EStG,
    /// taxed individually (and therefore SV-Arbeitsentgelt in full).
    pub zvk_steuerpflichtig: Money,
    /// Hinzurechnungsbetrag of § 1 Abs. 1 Satz 3–4 SvEV: the tax-free part
    /// of the Umlage that counts as SV-Arbeitsentgelt (results stored
    /// before the rule was implemented read as zero).
    #[serde(default)]
    pub zvk_hinzurechnung: Money,
    pub vl_abzug: Money,
    pub netto: Money,
    pub auszahlung: Money,
    /// Employer's cost: gross + employer SV + Umlagen + Pauschsteuer + ZVK + PKV subsidy.
    pub ag_kosten: Money,
    pub pap: PapDaten,
    /// Differences from Rückrechnungen settled with this payout (already in
    /// `auszahlung`).
    #[serde(default)]
    pub rueckrechnung: Vec<Differenz>,
}

impl Abrechnung {
    pub fn steuern(&self) -> Money {
        self.lohnsteuer + self.soli + self.kirchensteuer
    }

    /// The month's own payout, without differences of Rückrechnungen.
    pub fn auszahlung_eigen(&self) -> Money {
        self.auszahlung - self.rueckrechnung.iter().map(|d| d.betrag).sum::<Money>()
    }
}

/// The line of the Lohnsteuer-Anmeldung a Kirchensteuermerkmal goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KistZeile {
    /// Kz 61 „Evangelische Kirchensteuer“.
    Evangelisch,
    /// Kz 62 „Römisch-katholische Kirchensteuer“.
    RoemischKatholisch,
    /// One of the further lines the Vordruck leaves to the Länder; which
    /// community has which line and Kennzahl is published per Land in the
    /// BMF's „Übersicht über länderunterschiedliche Werte in der
    /// Lohnsteuer-Anmeldung“, which KIS does not hold (see
    /// `persos::auswertung`).
    Land,
}

/// The Kirchensteuermerkmale (Religionsschlüssel) KIS accepts from ELStAM,
/// with a label and their line in the Lohnsteuer-Anmeldung; `--` and `vd`
/// mean no Kirchensteuer. Sources: the Religionsschlüssel of the
/// Finanzverwaltung as listed in the payroll literature (Haufe,
/// „Kirchensteuer im Lohnsteuerabzugsverfahren – 1.2
/// Religionszugehörigkeitsschlüssel“: ak, ev, fg/fs, fr, is, jd/js/ib/iw/il,
/// lt, rf, rk, un/ur, vd; kirchensteuerinfo.de: also jh). fa, fb and fm
/// (freireligiöse Gemeinden in Rheinland-Pfalz and Baden) are in the ELStAM
/// code list as far as we know but could not be verified in the stored
/// reference material, hence the general label. lt and rf are evangelical
/// Landeskirchen and go to the line „Evangelische Kirchensteuer“.
pub const KIRCHENSTEUERMERKMALE: &[(&str, &str, Option<KistZeile>)] = &[
    ("ev", "evangelisch", Some(KistZeile::Evangelisch)),
    ("lt", "evangelisch-lutherisch", Some(KistZeile::Evangelisch)),
    ("rf", "evangelisch-reformiert", Some(KistZeile::Evangelisch)),
    (
        "rk",
        "römisch-katholisch",
        Some(KistZeile::RoemischKatholisch),
    ),
    ("ak", "altkatholisch", Some(KistZeile::Land)),
    ("fr", "französisch-reformiert", Some(KistZeile::Land)),
    ("fa", "freireligiöse Gemeinde", Some(KistZeile::Land)),
    ("fb", "freireligiöse Gemeinde", Some(KistZeile::Land)),
    ("fg", "freireligiöse Gemeinde", Some(KistZeile::Land)),
    ("fm", "freireligiöse Gemeinde", Some(KistZeile::Land)),
    ("fs", "freireligiöse Gemeinde", Some(KistZeile::Land)),
    ("is", "israelitisch", Some(KistZeile::Land)),
    (
        "ib",
        "jüdisch (israelitische Religionsgemeinschaft)",
        Some(KistZeile::Land),
    ),
    (
        "il",
        "jüdisch (israelitische Kultussteuer)",
        Some(KistZeile::Land),
    ),
    (
        "iw",
        "jüdisch (israelitische Religionsgemeinschaft)",
        Some(KistZeile::Land),
    ),
    ("jd", "jüdisch", Some(KistZeile::Land)),
    ("jh", "jüdisch (Kultussteuer)", Some(KistZeile::Land)),
    ("js", "jüdisch", Some(KistZeile::Land)),
    ("un", "unitarisch-protestantisch", Some(KistZeile::Land)),
    ("ur", "unitarisch-protestantisch", Some(KistZeile::Land)),
    ("vd", "keine Kirchensteuerpflicht", None),
    ("--", "keine Kirchensteuerpflicht", None),
];

/// The entry of a Kirchensteuermerkmal (case and blanks ignored).
pub fn kirchensteuermerkmal(
    konfession: &str,
) -> Option<&'static (&'static str, &'static str, Option<KistZeile>)> {
    let k = konfession.trim().to_lowercase();
    KIRCHENSTEUERMERKMALE.iter().find(|(c, _, _)| *c == k)
}

/// Churches that levy Kirchensteuer through the wage tax (a Merkmal of
/// [`KIRCHENSTEUERMERKMALE`] with a line in the Anmeldung). An empty code,
/// `--` or `vd` means none. A code outside the list (master data entered
/// before the list was checked) still counts as a church, as it did, so
/// a recomputation never drops a Kirchensteuer silently; the Anmeldung
/// prints it on a line of its own.
pub fn kirchensteuerpflichtig(konfession: &str) -> bool {
    match kirchensteuermerkmal(konfession) {
        Some((_, _, zeile)) => zeile.is_some(),
        None => !konfession.trim().is_empty(),
    }
}

/// A Kirchensteuermerkmal for documents: the code, or `--` for none.
pub fn merkmal_text(konfession: &str) -> String {
    if kirchensteuerpflichtig(konfession) {
        konfession.trim().to_string()
    } else {
        "--".into()
    }
}

/// The Steuerklasse as on tax documents (`I` … `VI`).
pub fn steuerklasse_text(stkl: u8) -> &'static str {
    ["", "I", "II", "III", "IV", "V", "VI"]
        .get(usize::from(stkl))
        .copied()
        .unwrap_or("?")
}

/// Kirchensteuersatz by the Land of the Betriebsstätte: 8 % in BY and BW, 9 % elsewhere.
pub fn kist_satz(bundesland: &str) -> Decimal {
    match bundesland.trim().to_uppercase().as_str() {
        "BY" | "BW" => dec!(8),
        _ => dec!(9),
    }
}

/// Whether the PV Zuschlag for the childless applies in the month starting
/// `monat`: no Elterneigenschaft, born after 1939, and the month lies after
/// the month in which the 23rd year of life was completed (§ 55 Abs. 3
/// SGB XI). A year of life is completed at the end of the day before the
/// birthday (§ 187 Abs. 2, § 188 Abs. 2 BGB).
pub fn pv_zuschlag(geburtsdatum: NaiveDate, elterneigenschaft: bool, monat: NaiveDate) -> bool {
    if elterneigenschaft || geburtsdatum.year() < 1940 {
        return false;
    }
    let Some(geburtstag23) = geburtsdatum
        .with_year(geburtsdatum.year() + 23)
        .or_else(|| NaiveDate::from_ymd_opt(geburtsdatum.year() + 23, 3, 1))
    else {
        return false;
    };
    let vollendet = geburtstag23.pred_opt().unwrap_or(geburtstag23);
    let ab = crate::core::date::add_months(vollendet.with_day(1).unwrap_or(vollendet), 1);
    monat >= ab
}

fn cents(m: Money) -> Decimal {
    Decimal::from(m.cents())
}

fn from_cents_dec(c: Decimal) -> Money {
    Money::new(c / dec!(100))
}

/// Days employed in the month (`monat` = its first day).
fn beschaeftigt(f: &Fall) -> Result<(u32, u32)> {
    let tage = days_in_month(f.monat.year(), f.monat.month());
    let letzter = f.monat.with_day(tage).unwrap_or(f.monat);
    let von = f.eintritt.max(f.monat);
    let bis = f.austritt.map_or(letzter, |a| a.min(letzter));
    if bis < von {
        return Err(KisError::validation(
            "Der Beschäftigte ist im Abrechnungsmonat nicht beschäftigt.",
        ));
    }
    Ok((tage, (bis - von).num_days() as u32 + 1))
}

/// Computes the month.
pub fn berechne(f: &Fall) -> Result<Abrechnung> {
    if f.art == Beschaeftigungsart::Beamter {
        return Err(KisError::validation(
            "Besoldung von Beamten wird von der Abrechnung noch nicht unterstützt.",
        ));
    }
    if f.arbeitszeitanteil <= Decimal::ZERO || f.arbeitszeitanteil > Decimal::ONE {
        return Err(KisError::field(
            "arbeitszeitanteil",
            "Arbeitszeitanteil: größer 0 und höchstens 1 (Vollzeit 39 Std.).",
        ));
    }
    let jahr = f.monat.year();
    let rg = sv::rechengroessen(f.monat)?;
    let (tage_monat, tage) = beschaeftigt(f)?;
    let voll = tage == tage_monat;
    let quote = Decimal::from(tage) / Decimal::from(tage_monat);
    let sv_tage = if voll { 30 } else { tage.min(30) };

    // 1. Gross (§ 24 Abs. 3 TVöD: one day's share = 1/days of the month).
    let prorate = |m: Money| Money::new(m.0 * quote);
    let grund_voll = Money::new(f.tabellenentgelt.0 * f.arbeitszeitanteil);
    let grundentgelt = prorate(grund_voll);
    let zulagen: Vec<Posten> = f
        .zulagen
        .iter()
        .map(|p| Posten {
            bezeichnung: p.bezeichnung.clone(),
            betrag: prorate(p.betrag),
        })
        .collect();
    let zulagen_summe: Money = zulagen.iter().map(|p| p.betrag).sum();
    let vl_ag = prorate(f.vl_ag);
    let laufend = grundentgelt + zulagen_summe + vl_ag;
    let jsz = f.jahressonderzahlung;
    let gesamtbrutto = laufend + jsz;
    let regelentgelt =
        grund_voll.0 + f.zulagen.iter().map(|p| p.betrag.0).sum::<Decimal>() + f.vl_ag.0;

    // Zusatzversorgung (ZVK), see [`zvk`]: the Umlage, its taxable part and
    // the part that counts as SV-Arbeitsentgelt.
    let z = zvk(rg, f.zvk_satz, laufend);
    let zvk_umlage = z.umlage;
    let zvk_steuerpflichtig = z.steuerpflichtig;
    let zvk_hinzurechnung = z.hinzurechnung;
    let sv_laufend = laufend + z.sv_entgelt();
    // The regular monthly pay that decides Minijob/Übergangsbereich is
    // Arbeitsentgelt too, so it includes the ZVK part of a full month.
    let regelentgelt = regelentgelt + zvk(rg, f.zvk_satz, Money::new(regelentgelt)).sv_entgelt().0;

    // 2. Social insurance.
    let sve = SvEingabe {
        bgs: f.bgs,
        laufend: sv_laufend.0,
        einmal: jsz.0,
        einmal_rest_kv: rg.bbg_kv_monat * Decimal::from(f.vorlauf.sv_tage + sv_tage) / dec!(30)
            - f.vorlauf.sv_kv.0
            - sv_laufend.0.min(rg.bbg_kv_monat),
        einmal_rest_rv: rg.bbg_rv_monat * Decimal::from(f.vorlauf.sv_tage + sv_tage) / dec!(30)
            - f.vorlauf.sv_rv.0
            - sv_laufend.0.min(rg.bbg_rv_monat),
        sv_tage,
        regelentgelt,
        kv_zusatz: f.kv_zusatz,
        sachsen: f.sachsen,
        pv_zuschlag: pv_zuschlag(f.geburtsdatum, f.elterneigenschaft, f.monat),
        pv_kinder_unter_25: if f.elterneigenschaft {
            f.kinder_unter_25
        } else {
            0
        },
        azubi: f.art == Beschaeftigungsart::Auszubildende,
        u1_satz: f.u1_satz,
        u2_satz: f.u2_satz,
        u3_pflicht: f.u3_pflicht,
    };
    let svr = sv::berechne(rg, &sve)?;
    let pkv_zuschuss = match &f.privat {
        Some(p) => sv::pkv_zuschuss(rg, p.kv_praemie.0, p.pv_praemie.0, f.sachsen, sv_tage),
        None => Money::zero(),
    };

    // 3. Taxes.
    let minijob = svr.art == Some(SvArt::Minijob);
    let steuer_laufend = laufend + zvk_steuerpflichtig;
    let (lohnsteuer, soli, bk, pap) = if minijob {
        (
            Money::zero(),
            Money::zero(),
            Money::zero(),
            PapDaten::default(),
        )
    } else {
        lohnsteuer_monat(f, jahr, steuer_laufend, jsz, voll, tage, pkv_zuschuss, &sve)?
    };
    let (kirchensteuer, kirchensteuer_ehegatte) = if kirchensteuerpflichtig(&f.konfession)
        && !minijob
    {
        let kist = Money::new(
            (bk.0 * f.kist_satz / dec!(100)).round_dp_with_strategy(2, RoundingStrategy::ToZero),
        );
        // Halbteilung in a konfessionsverschiedene Ehe: each church gets half.
        let halb = kirchensteuerpflichtig(&f.konfession_ehegatte)
            && f.konfession_ehegatte.trim() != f.konfession.trim()
            && matches!(f.stkl, 3..=5);
        let ehegatte = if halb {
            Money::new((kist.0 / dec!(2)).round_dp_with_strategy(2, RoundingStrategy::ToZero))
        } else {
            Money::zero()
        };
        (kist, ehegatte)
    } else {
        (Money::zero(), Money::zero())
    };

    // 4. Net and payout.
    let netto = gesamtbrutto - lohnsteuer - soli - kirchensteuer - svr.summe_an();
    let auszahlung = netto - f.vl_abzug + pkv_zuschuss;
    let ag_kosten = gesamtbrutto
        + svr.summe_ag()
        + svr.umlagen()
        + svr.pauschsteuer
        + zvk_umlage
        + pkv_zuschuss;
    Ok(Abrechnung {
        tage_monat,
        tage_beschaeftigt: tage,
        sv_tage,
        grundentgelt,
        zulagen,
        vl_ag,
        jahressonderzahlung: jsz,
        gesamtbrutto,
        steuerbrutto_laufend: steuer_laufend,
        steuerbrutto_sonstig: jsz,
        sv_brutto: sv_laufend + jsz,
        lohnsteuer,
        soli,
        kirchensteuer,
        kirchensteuer_ehegatte,
        sv: svr,
        pkv_zuschuss,
        zvk_umlage,
        zvk_steuerpflichtig,
        zvk_hinzurechnung,
        vl_abzug: f.vl_abzug,
        netto,
        auszahlung,
        ag_kosten,
        pap,
        rueckrechnung: Vec::new(),
    })
}

/// The ZVK figures of one month.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Zvk {
    /// Employer's Umlage: rate × zusatzversorgungspflichtiges Entgelt.
    pub umlage: Money,
    /// Above the monthly share of the tax-free amount of § 3 Nr. 56 EStG:
    /// taxed individually as laufender Arbeitslohn (KIS does not use the
    /// optional flat tax of § 40b EStG).
    pub steuerpflichtig: Money,
    /// Hinzurechnungsbetrag (§ 1 Abs. 1 Satz 3–4 SvEV).
    pub hinzurechnung: Money,
}

impl Zvk {
    /// The part of the Umlage that is SV-Arbeitsentgelt: the
    /// Hinzurechnungsbetrag plus the individually taxed part.
    pub fn sv_entgelt(&self) -> Money {
        self.hinzurechnung + self.steuerpflichtig
    }
}

/// The employer's ZVK Umlage on the ZV-Entgelt `zv_entgelt` (KIS takes the
/// month's laufendes Entgelt) and how tax and social insurance treat it.
///
/// Tax: tax-free up to 1/12 of the annual amount of § 3 Nr. 56 EStG (4 %
/// of the BBG RV since 2025); the rest is taxed individually.
///
/// Social insurance: tax-free Zuwendungen under § 3 Nr. 56 (and flat-taxed
/// ones under § 40b) EStG are no Arbeitsentgelt (§ 1 Abs. 1 Satz 1 Nr. 4a
/// SvEV) except as Satz 3 and 4 say: they count as Arbeitsentgelt **up to**
/// 2,5 % of the ZV-Entgelt, and that amount is reduced by 13,30 € a month
/// (the Hinzurechnungsbetrag; a negative result counts as zero and is not
/// carried to another month). The individually taxed part is Arbeitsentgelt
/// in full (§ 14 SGB IV). The 13,30 € are a monthly amount and are not
/// prorated in a partial month.
pub fn zvk(rg: &sv::Rechengroessen, satz: Option<Decimal>, zv_entgelt: Money) -> Zvk {
    let Some(satz) = satz else {
        return Zvk::default();
    };
    let umlage = Money::new(zv_entgelt.0 * satz / dec!(100));
    let frei_max = Money::new(rg.zvk_steuerfrei_jahr / dec!(12));
    let frei = umlage.min(frei_max);
    let steuerpflichtig = umlage - frei;
    let bis = Money::new(zv_entgelt.0 * rg.zvk_hinzurechnung_satz / dec!(100));
    let hinzurechnung = frei.min(bis) - Money::new(rg.zvk_hinzurechnung_abzug);
    Zvk {
        umlage,
        steuerpflichtig,
        hinzurechnung: hinzurechnung.max(Money::zero()),
    }
}

/// Lohnsteuer, Soli and the Kirchensteuer base (laufend + sonstig) by the PAP.
#[allow(clippy::too_many_arguments)]
fn lohnsteuer_monat(
    f: &Fall,
    jahr: i32,
    laufend: Money,
    sonstig: Money,
    voll: bool,
    tage: u32,
    pkv_zuschuss: Money,
    sve: &SvEingabe,
) -> Result<(Money, Money, Money, PapDaten)> {
    let mut e: LstEingabe = lohnsteuer::vorgabe(jahr)?;
    let teiler = if voll {
        Decimal::ONE
    } else {
        Decimal::from(tage)
    };
    e.lzz = if voll { 2 } else { 4 };
    // Daily wage of a Teillohnzahlungszeitraum, cent fractions dropped.
    e.re4 = (cents(laufend) / teiler).floor();
    e.lzzfreib = (cents(f.freibetrag_monat)
        * if voll {
            Decimal::ONE
        } else {
            Decimal::ONE / dec!(30)
        })
    .floor();
    e.lzzhinzu = (cents(f.hinzurechnung_monat)
        * if voll {
            Decimal::ONE
        } else {
            Decimal::ONE / dec!(30)
        })
    .floor();
    e.stkl = i32::from(f.stkl);
    e.zkf = f.zkf;
    e.f = if f.stkl == 4 && f.faktor > Decimal::ZERO {
        f.faktor
    } else {
        Decimal::ONE
    };
    e.kvz = f.kv_zusatz;
    e.pvs = i32::from(f.sachsen);
    e.pvz = i32::from(sve.pv_zuschlag);
    e.pva = Decimal::from(sv::pv_abschlaege(sve.pv_kinder_unter_25));
    e.krv = i32::from(f.bgs.rv != 1);
    e.alv = i32::from(f.bgs.av != 1);
    e.r = i32::from(kirchensteuerpflichtig(&f.konfession));
    if let Some(p) = &f.privat {
        e.pkv = 1;
        // PKPV/PKPVAGZ are monthly amounts whatever the LZZ.
        e.pkpv = cents(p.kv_praemie + p.pv_praemie);
        e.pkpvagz = cents(pkv_zuschuss);
    }
    // Altersentlastungsbetrag: 64 completed before the start of the year.
    let alter64 = f
        .geburtsdatum
        .with_year(f.geburtsdatum.year() + 64)
        .unwrap_or(f.geburtsdatum);
    if alter64 <= NaiveDate::from_ymd_opt(jahr, 1, 1).unwrap_or(alter64) {
        e.alter1 = 1;
        e.ajahr = f.geburtsdatum.year() + 65;
    }
    let mut jre4 = Decimal::ZERO;
    if !sonstig.is_zero() {
        // Voraussichtlicher Jahresarbeitslohn: earlier months + this month
        // for the rest of the year (R 39b.6 LStR).
        let rest = Decimal::from(13 - f.monat.month());
        jre4 = cents(f.vorlauf.steuer_laufend) + cents(laufend) * rest;
        e.jre4 = jre4;
        e.sonstb = cents(sonstig);
        e.jfreib = cents(f.freibetrag_monat) * dec!(12);
        e.jhinzu = cents(f.hinzurechnung_monat) * dec!(12);
    }
    let a = lohnsteuer::berechne(jahr, &e)?;
    let lst = from_cents_dec(a.lstlzz * teiler + a.sts);
    let soli = from_cents_dec(a.solzlzz * teiler + a.solzs);
    let bk = from_cents_dec(a.bk * teiler + a.bks);
    let pap = PapDaten {
        lzz: e.lzz,
        tage: if voll { 0 } else { tage },
        re4: e.re4.to_i64().unwrap_or_default(),
        sonstb: e.sonstb.to_i64().unwrap_or_default(),
        jre4: jre4.to_i64().unwrap_or_default(),
        stkl: e.stkl,
        zkf: e.zkf,
        f: e.f,
        kvz: e.kvz,
        pkv: e.pkv,
        pkpv: e.pkpv.to_i64().unwrap_or_default(),
        pkpvagz: e.pkpvagz.to_i64().unwrap_or_default(),
        pvs: e.pvs,
        pvz: e.pvz,
        pva: e.pva,
        krv: e.krv,
        alv: e.alv,
        r: e.r,
        alter1: e.alter1,
        ajahr: e.ajahr,
        bk: (a.bk * teiler).to_i64().unwrap_or_default(),
        bks: a.bks.to_i64().unwrap_or_default(),
    };
    Ok((lst, soli, bk, pap))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn m(s: &str) -> Money {
        Money::new(s.parse().unwrap())
    }

    /// Acceptance scenario 2: EG 9a Stufe 3, full time, StKl I, no church,
    /// childless, 30 years old, Kasse with 2,9 % Zusatzbeitrag, January 2026.
    pub(crate) fn szenario2() -> Fall {
        Fall {
            monat: d("2026-01-01"),
            geburtsdatum: d("1995-06-15"),
            eintritt: d("2020-04-01"),
            austritt: None,
            art: Beschaeftigungsart::Tarif,
            eg: "9a".into(),
            stufe: 3,
            tabellenentgelt: m("3986.06"),
            arbeitszeitanteil: Decimal::ONE,
            zulagen: vec![],
            vl_ag: Money::zero(),
            vl_abzug: Money::zero(),
            jahressonderzahlung: Money::zero(),
            stkl: 1,
            faktor: Decimal::ONE,
            zkf: Decimal::ZERO,
            konfession: String::new(),
            konfession_ehegatte: String::new(),
            kist_satz: dec!(9),
            freibetrag_monat: Money::zero(),
            hinzurechnung_monat: Money::zero(),
            bgs: Beitragsgruppen::parse("1111").unwrap(),
            kv_zusatz: dec!(2.9),
            privat: None,
            sachsen: false,
            elterneigenschaft: false,
            kinder_unter_25: 0,
            u1_satz: None,
            u2_satz: dec!(0.44),
            u3_pflicht: false,
            zvk_satz: None,
            vorlauf: Vorlauf::default(),
        }
    }

    #[test]
    fn szenario2_every_figure() {
        let a = berechne(&szenario2()).unwrap();
        // Gross: Tabellenentgelt E 9a/3 (TVöD-VKA from 01.04.2025) × 1,0; full month.
        assert_eq!(a.grundentgelt, m("3986.06"));
        assert_eq!((a.tage_beschaeftigt, a.tage_monat, a.sv_tage), (31, 31, 30));
        assert_eq!(a.gesamtbrutto, m("3986.06"));
        assert_eq!(a.steuerbrutto_laufend, m("3986.06"));
        assert_eq!(a.sv_brutto, m("3986.06"));
        // KV: (14,6 % + 2,9 %) / 2 = 8,75 % × 3.986,06 = 348,78025 → 348,78 each side.
        assert_eq!((a.sv.kv_an, a.sv.kv_ag), (m("348.78"), m("348.78")));
        // RV: 18,6 % / 2 = 9,3 % → 370,70358 → 370,70 each side (below BBG 8.450).
        assert_eq!((a.sv.rv_an, a.sv.rv_ag), (m("370.70"), m("370.70")));
        // AV: 2,6 % / 2 = 1,3 % → 51,81878 → 51,82 each side.
        assert_eq!((a.sv.av_an, a.sv.av_ag), (m("51.82"), m("51.82")));
        // PV: childless and 30 → Zuschlag 0,6: employee 1,8 + 0,6 = 2,4 % → 95,66544 → 95,67;
        // employer 1,8 % → 71,74908 → 71,75.
        assert_eq!((a.sv.pv_an, a.sv.pv_ag), (m("95.67"), m("71.75")));
        assert_eq!(a.sv.summe_an(), m("866.97"));
        // Lohnsteuer (PAP 2026, LZZ 2): ZRE4J = 47.832,72; Vorsorgepauschale:
        // RV 9,3 % = 4.448,44; KV/PV (7,0 % + 1,45 % + 1,8 % + 0,6 %) = 5.189,85 → VSP 9.639;
        // zvE = 47.832,72 − 1.230 − 36 − 9.639 = 36.927 → § 32a zone 2:
        // y = 1,9128; (173,10 × y + 2.397) × y + 1.034,87 = 6.253 € → 6.253 / 12 = 521,08.
        assert_eq!(a.lohnsteuer, m("521.08"));
        assert_eq!(
            (a.pap.lzz, a.pap.re4, a.pap.pvz, a.pap.kvz),
            (2, 398606, 1, dec!(2.9))
        );
        // Soli: 6.253 € is below the Freigrenze of 20.350 € → 0. No church → no KiSt.
        assert_eq!((a.soli, a.kirchensteuer), (Money::zero(), Money::zero()));
        // Net = 3.986,06 − 521,08 − 866,97 = 2.598,01 = Auszahlung (no deductions).
        assert_eq!(a.netto, m("2598.01"));
        assert_eq!(a.auszahlung, m("2598.01"));
        // Employer: SV 843,05 + U2 0,44 % (17,54) on top of the gross.
        assert_eq!(a.ag_kosten, m("4846.65"));
    }

    #[test]
    fn szenario3_entry_mid_month() {
        let mut f = szenario2();
        f.monat = d("2026-04-01");
        f.eintritt = d("2026-04-16");
        let a = berechne(&f).unwrap();
        // 15 of 30 days: 3.986,06 × 15/30 = 1.993,03 (§ 24 Abs. 3 TVöD).
        assert_eq!(a.grundentgelt, m("1993.03"));
        assert_eq!((a.tage_beschaeftigt, a.sv_tage), (15, 15));
        // Regular pay is above 2.000 €: no Übergangsbereich; contributions on 1.993,03.
        assert_eq!(a.sv.art, Some(SvArt::Regulaer));
        assert_eq!(a.sv.rv_an, m("185.35"));
        // Teillohnzahlungszeitraum: taxed by days (LZZ 4), RE4 = 1.993,03 / 15 = 132,86.
        assert_eq!((a.pap.lzz, a.pap.tage, a.pap.re4), (4, 15, 13286));
    }

    #[test]
    fn szenario4_midijob() {
        let mut f = szenario2();
        f.tabellenentgelt = m("1200.00");
        f.elterneigenschaft = true;
        f.kinder_unter_25 = 1;
        let a = berechne(&f).unwrap();
        assert_eq!(a.sv.art, Some(SvArt::Uebergangsbereich));
        // BE_AN = 2.000/(2.000 − 603) × (1.200 − 603) = 854,69; BE (§ 20 Abs. 2a Satz 1) = 1.083,25.
        assert_eq!(
            (a.sv.bemessung_an, a.sv.bemessung_kv),
            (m("854.69"), m("1083.25"))
        );
        // Employee RV 9,3 % × 854,69 = 79,49; employer = 18,6 % × 1.083,25 (201,48) − 79,49 = 121,99.
        assert_eq!((a.sv.rv_an, a.sv.rv_ag), (m("79.49"), m("121.99")));
        // Employee AV 1,3 % × 854,69 = 11,11; total 2,6 % × 1.083,25 = 28,16 → employer 17,05.
        assert_eq!((a.sv.av_an, a.sv.av_ag), (m("11.11"), m("17.05")));
    }

    #[test]
    fn szenario5_above_rv_bbg() {
        let mut f = szenario2();
        f.eg = "15Ü".into();
        f.stufe = 6;
        f.tabellenentgelt = m("8947.29");
        let a = berechne(&f).unwrap();
        // RV/AV capped at 8.450,00: 785,85 and 109,85 each; KV/PV at 5.812,50.
        assert_eq!(a.sv.bemessung_rv, m("8450.00"));
        assert_eq!((a.sv.rv_an, a.sv.av_an), (m("785.85"), m("109.85")));
        assert_eq!(a.sv.bemessung_kv, m("5812.50"));
        assert_eq!(a.sv.kv_an, m("508.59"));
        assert!(a.soli > Money::zero(), "Soli above the Freigrenze");
    }

    #[test]
    fn szenario6_pv_sachsen_vs_children() {
        let mut sachsen = szenario2();
        sachsen.geburtsdatum = d("2000-05-10");
        sachsen.sachsen = true;
        let a = berechne(&sachsen).unwrap();
        // 25 years, childless, Sachsen: employee 1,8 + 0,5 + 0,6 = 2,9 % → 115,60; employer 1,3 % → 51,82.
        assert_eq!((a.sv.pv_an, a.sv.pv_ag), (m("115.60"), m("51.82")));
        assert_eq!(a.pap.pvs, 1);
        let mut kinder = szenario2();
        kinder.geburtsdatum = d("2000-05-10");
        kinder.elterneigenschaft = true;
        kinder.kinder_unter_25 = 3;
        let b = berechne(&kinder).unwrap();
        // Three children under 25: 1,8 − 2 × 0,25 = 1,3 % → 51,82; employer unchanged 1,8 % → 71,75.
        assert_eq!((b.sv.pv_an, b.sv.pv_ag), (m("51.82"), m("71.75")));
        assert_eq!((b.pap.pvz, b.pap.pva), (0, dec!(2)));
    }

    #[test]
    fn pv_zuschlag_starts_after_the_month_of_the_23rd_year() {
        // Born 2.6.2003: 23rd year completed 1.6.2026 → Zuschlag from July.
        assert!(!pv_zuschlag(d("2003-06-02"), false, d("2026-06-01")));
        assert!(pv_zuschlag(d("2003-06-02"), false, d("2026-07-01")));
        // Born 1.6.2003: completed 31.5.2026 → from June.
        assert!(pv_zuschlag(d("2003-06-01"), false, d("2026-06-01")));
        assert!(!pv_zuschlag(d("1990-01-01"), true, d("2026-06-01")));
        assert!(!pv_zuschlag(d("1939-12-31"), false, d("2026-06-01")));
    }

    #[test]
    fn kirchensteuer_from_bk() {
        let mut f = szenario2();
        f.konfession = "rk".into();
        let a = berechne(&f).unwrap();
        // BK = 521,08 (no children) × 9 % = 46,8972 → 46,89.
        assert_eq!(a.kirchensteuer, m("46.89"));
        f.kist_satz = kist_satz("BY");
        assert_eq!(berechne(&f).unwrap().kirchensteuer, m("41.68"));
    }

    #[test]
    fn jahressonderzahlung_as_sonstiger_bezug() {
        let mut f = szenario2();
        f.monat = d("2026-11-01");
        f.jahressonderzahlung = m("2801.40");
        f.vorlauf = Vorlauf {
            steuer_laufend: m("39860.60"),
            sv_kv: m("39860.60"),
            sv_rv: m("39860.60"),
            sv_tage: 300,
        };
        let a = berechne(&f).unwrap();
        assert_eq!(a.steuerbrutto_sonstig, m("2801.40"));
        assert_eq!(a.gesamtbrutto, m("6787.46"));
        // The headroom of the anteilige Jahres-BBG takes the whole payment:
        // KV on 6.787,46 × 8,75 % = 593,90.
        assert_eq!(a.sv.kv_an, m("593.90"));
        // JRE4 = 39.860,60 + 2 × 3.986,06 = 47.832,72 €.
        assert_eq!((a.pap.jre4, a.pap.sonstb), (4783272, 280140));
        assert!(a.lohnsteuer > m("521.08"));
    }

    #[test]
    fn minijob_and_private_insurance() {
        let mut f = szenario2();
        f.art = Beschaeftigungsart::Minijob;
        f.tabellenentgelt = m("538.00");
        f.bgs = Beitragsgruppen::parse("6500").unwrap();
        let a = berechne(&f).unwrap();
        assert_eq!(a.lohnsteuer, Money::zero());
        assert_eq!(a.sv.pauschsteuer, m("10.76"));
        assert_eq!(a.auszahlung, m("538.00"));
        let mut p = szenario2();
        p.bgs = Beitragsgruppen::parse("0110").unwrap();
        p.privat = Some(PrivateKv {
            kv_praemie: m("600.00"),
            pv_praemie: m("60.00"),
        });
        let b = berechne(&p).unwrap();
        assert_eq!(b.pkv_zuschuss, m("330.00"));
        assert_eq!((b.pap.pkv, b.pap.pkpv, b.pap.pkpvagz), (1, 66000, 33000));
        assert_eq!(b.auszahlung, b.netto + m("330.00"));
    }

    /// Demo employee 01007 (Fischer, Stefanie): EG 9a Stufe 4, full time,
    /// Vorarbeiterzulage 72,50 €, VL 6,65 €, StKl I, no church, childless,
    /// born 1986, Landkrankenkasse Muster (Zusatzbeitrag 2,69 %), ZVK member
    /// with the demo employer's Umlage of 4,25 %; January 2026.
    fn fischer() -> Fall {
        let mut f = szenario2();
        f.geburtsdatum = d("1986-11-14");
        f.eintritt = d("2015-01-01");
        f.stufe = 4;
        f.tabellenentgelt = m("4461.84");
        f.zulagen = vec![Posten {
            bezeichnung: "Vorarbeiterzulage".into(),
            betrag: m("72.50"),
        }];
        f.vl_ag = m("6.65");
        f.kv_zusatz = dec!(2.69);
        f.u2_satz = dec!(0.45);
        f.zvk_satz = Some(dec!(4.25));
        f
    }

    #[test]
    fn zvk_hinzurechnung_svev_1_abs_1_satz_3_4_is_sv_pay() {
        // Before the fix the ZVK Umlage was left out of the SV pay: the
        // figures are those of the same month without the SvEV rule, which
        // equal a run without ZVK membership (the Umlage does not touch
        // the gross).
        let mut ohne = fischer();
        ohne.zvk_satz = None;
        let vorher = berechne(&ohne).unwrap();
        assert_eq!(vorher.sv_brutto, m("4540.99"));
        assert_eq!(vorher.sv.bemessung_kv, m("4540.99"));
        // KV 8,645 % = 392,5686 → 392,57; RV 9,3 % = 422,31; AV 1,3 % = 59,03;
        // PV 1,8 % + 0,6 % = 2,4 % = 108,98.
        assert_eq!(
            (
                vorher.sv.kv_an,
                vorher.sv.rv_an,
                vorher.sv.av_an,
                vorher.sv.pv_an
            ),
            (m("392.57"), m("422.31"), m("59.03"), m("108.98"))
        );

        let a = berechne(&fischer()).unwrap();
        // Umlage 4,25 % × 4.540,99 = 192,99; below 4.056 € / 12 = 338,00
        // (§ 3 Nr. 56 EStG 2026): all tax-free, nothing taxed individually.
        assert_eq!(
            (a.zvk_umlage, a.zvk_steuerpflichtig),
            (m("192.99"), Money::zero())
        );
        // § 1 Abs. 1 Satz 3–4 SvEV: up to 2,5 % of the ZV-Entgelt
        // (113,52) less 13,30 € = 100,22 counts as Arbeitsentgelt.
        assert_eq!(a.zvk_hinzurechnung, m("100.22"));
        assert_eq!(a.sv_brutto, m("4641.21"));
        assert_eq!(a.sv.bemessung_kv, m("4641.21"));
        assert_eq!(a.sv.bemessung_rv, m("4641.21"));
        // KV 8,645 % × 4.641,21 = 401,2326 → 401,23; RV 431,63; AV 60,34; PV 111,39.
        assert_eq!(
            (a.sv.kv_an, a.sv.rv_an, a.sv.av_an, a.sv.pv_an),
            (m("401.23"), m("431.63"), m("60.34"), m("111.39"))
        );
        assert_eq!(a.sv.kv_ag, m("401.23"));
        // Wage tax is unchanged: the tax-free Umlage stays out of the
        // Steuerbrutto, the Hinzurechnung is a social insurance rule only.
        assert_eq!(a.steuerbrutto_laufend, vorher.steuerbrutto_laufend);
        assert_eq!(
            (a.lohnsteuer, a.pap.re4),
            (vorher.lohnsteuer, vorher.pap.re4)
        );
        // Gross and the employer's cost around the Umlage are consistent.
        assert_eq!(a.gesamtbrutto, vorher.gesamtbrutto);
        assert_eq!(
            a.netto,
            vorher.netto - (a.sv.summe_an() - vorher.sv.summe_an())
        );
    }

    #[test]
    fn zvk_above_3_nr_56_is_taxed_and_sv_pay_in_full() {
        // A high Umlage of 9 % on 5.000 €: 450,00; tax-free 338,00 (2026),
        // 112,00 taxed individually. SV: min(338,00; 2,5 % = 125,00) − 13,30
        // = 111,70 plus the taxed 112,00 = 223,70.
        let mut f = szenario2();
        f.tabellenentgelt = m("5000.00");
        f.zvk_satz = Some(dec!(9));
        let a = berechne(&f).unwrap();
        assert_eq!(
            (a.zvk_umlage, a.zvk_steuerpflichtig),
            (m("450.00"), m("112.00"))
        );
        assert_eq!(a.zvk_hinzurechnung, m("111.70"));
        assert_eq!(a.steuerbrutto_laufend, m("5112.00"));
        assert_eq!(a.sv_brutto, m("5223.70"));
        // An Umlage below the 13,30 €: no Hinzurechnung, never negative.
        let r = zvk(
            sv::rechengroessen(d("2026-01-01")).unwrap(),
            Some(dec!(1)),
            m("1000.00"),
        );
        assert_eq!((r.umlage, r.hinzurechnung), (m("10.00"), Money::zero()));
        // 2025: tax-free 3.864 € / 12 = 322,00.
        let r = zvk(
            sv::rechengroessen(d("2025-06-01")).unwrap(),
            Some(dec!(9)),
            m("5000.00"),
        );
        assert_eq!(
            (r.steuerpflichtig, r.hinzurechnung),
            (m("128.00"), m("111.70"))
        );
    }

    #[test]
    fn rechengroessen_of_the_month_2025_and_2026() {
        // The same employee above both BBG in 01.2025 and 01.2026.
        let mut f = szenario2();
        f.tabellenentgelt = m("9000.00");
        f.monat = d("2025-01-01");
        let a25 = berechne(&f).unwrap();
        // 2025: BBG KV/PV 5.512,50, RV/AV 8.050,00.
        assert_eq!(
            (a25.sv.bemessung_kv, a25.sv.bemessung_rv),
            (m("5512.50"), m("8050.00"))
        );
        // RV 9,3 % × 8.050 = 748,65; AV 1,3 % = 104,65; KV (14,6 + 2,9) / 2
        // = 8,75 % × 5.512,50 = 482,34; PV 2,4 % = 132,30.
        assert_eq!(
            (a25.sv.rv_an, a25.sv.av_an, a25.sv.kv_an, a25.sv.pv_an),
            (m("748.65"), m("104.65"), m("482.34"), m("132.30"))
        );
        f.monat = d("2026-01-01");
        let a26 = berechne(&f).unwrap();
        assert_eq!(
            (a26.sv.bemessung_kv, a26.sv.bemessung_rv),
            (m("5812.50"), m("8450.00"))
        );
        assert_eq!((a26.sv.rv_an, a26.sv.kv_an), (m("785.85"), m("508.59")));
        // The Übergangsbereich of 2025 starts above 556 € with F = 0,6683:
        // 580 € is in the Übergangsbereich in 2025, not in 2026 (G = 603 €).
        let mut g = szenario2();
        g.tabellenentgelt = m("580.00");
        g.monat = d("2025-01-01");
        let a = berechne(&g).unwrap();
        assert_eq!(a.sv.art, Some(SvArt::Uebergangsbereich));
        // BE = 0,6683 × 556 + (2000/1444 − 556/1444 × 0,6683) × 24 = 398,6400… → 398,64;
        // BE_AN = 2000/1444 × 24 = 33,2410… → 33,24.
        assert_eq!(
            (a.sv.bemessung_kv, a.sv.bemessung_an),
            (m("398.64"), m("33.24"))
        );
        g.monat = d("2026-01-01");
        let b = berechne(&g).unwrap();
        assert_eq!(b.sv.art, Some(SvArt::Regulaer));
        // No figures for 2024: refused with a message.
        g.monat = d("2024-12-01");
        assert!(berechne(&g).is_err());
    }

    #[test]
    fn not_employed_and_bad_quota_refused() {
        let mut f = szenario2();
        f.eintritt = d("2026-02-01");
        assert!(berechne(&f).is_err());
        let mut f = szenario2();
        f.arbeitszeitanteil = dec!(1.2);
        assert!(berechne(&f).is_err());
    }
}
