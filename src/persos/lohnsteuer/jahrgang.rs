//! What differs from one year's PAP to the next: its parameter lists, its
//! constants and the methods whose algorithm changed. Each year lives in its
//! own module (`y2025`, `y2026`); next year's PAP is a new module plus one
//! line in [`JAHRGAENGE`].

use rust_decimal::Decimal;

use super::ausgabe::Ergebnis;
use super::eingabe::{LstEingabe, Parameter};
use super::pap::Pap;
use super::{y2025, y2026};
use crate::core::error::{KisError, Result};

/// The PAPs this module implements, oldest first.
pub(super) const JAHRGAENGE: [&Jahrgang; 2] = [&y2025::JAHRGANG, &y2026::JAHRGANG];

/// One year's PAP.
pub(super) struct Jahrgang {
    pub jahr: i32,
    /// INPUTS in the order of the XML, each with the XML's default value
    /// (`None` where the XML gives none; the CSV interface then uses 0).
    pub eingaben: &'static [(Parameter, Option<Decimal>)],
    /// OUTPUTS (STANDARD, then DBA) in the order of the XML.
    pub ergebnisse: &'static [Ergebnis],
    /// Highest valid value of PKV (2025: 2 = privat mit Arbeitgeberzuschuss;
    /// 2026: 1, the employer's subsidy is the input PKPVAGZ instead).
    pub pkv_max: i32,

    /// PAP method MPARA.
    pub mpara: fn(&mut Pap),
    /// The coefficients of PAP method UPTAB25 / UPTAB26
    /// (Einkommensteuertarif § 32a EStG).
    pub tarif: Tarif,
    /// PAP method UPEVP (Vorsorgepauschale) with its sub-methods.
    pub upevp: fn(&mut Pap),
    /// PAP method UPVKVLZZ, called by MBERECH (PAP 2025 only).
    pub upvkvlzz: Option<fn(&mut Pap)>,
    /// PAP method UPVKV, called by MSONST (PAP 2025 only).
    pub upvkv: Option<fn(&mut Pap)>,
    /// Scale to which UP5_6 rounds X = ZX × 1,25 and ZX × 0,75
    /// (2025: 2 places, 2026: whole euros).
    pub up5_6_scale: u32,

    /// MZTABFB: the Pauschbeträge and Freibeträge of the tax table.
    pub freibetraege: Freibetraege,
    /// TAB1–TAB5: Versorgungsfreibetrag and Altersentlastungsbetrag.
    pub tabellen: Versorgungstabellen,
}

/// The Einkommensteuertarif § 32a Absatz 1 EStG as PAP method UPTAB25 /
/// UPTAB26 computes it for X (€): the year's PAP gives the zone limits and
/// coefficients, the algorithm is the same (`Pap::uptab`).
pub(super) struct Tarif {
    /// Zone 2 (first progression zone) for X below this.
    pub grenze2: Decimal,
    /// Zone 2: RW = Y × `faktor2` + `sockel2`, ST = RW × Y.
    pub faktor2: Decimal,
    pub sockel2: Decimal,
    /// Zone 3 (second progression zone) for X below this.
    pub grenze3: Decimal,
    /// Zone 3: Y = (X − `abzug3`) / 10000, RW = (Y × `faktor3` + `sockel3`)
    /// × Y, ST = RW + `summand3`.
    pub abzug3: Decimal,
    pub faktor3: Decimal,
    pub sockel3: Decimal,
    pub summand3: Decimal,
    /// Zone 4 for X below this: ST = X × `satz4` − `abzug4`.
    pub grenze4: Decimal,
    pub satz4: Decimal,
    pub abzug4: Decimal,
    /// Zone 5 (Reichensteuer): ST = X × `satz5` − `abzug5`.
    pub satz5: Decimal,
    pub abzug5: Decimal,
}

/// The fixed Freibeträge of PAP method MZTABFB (€). The values both PAPs
/// share are [`gemeinsam::FREIBETRAEGE`]; a year overrides what its PAP
/// changes (`Freibetraege { kfb_voll: …, ..gemeinsam::FREIBETRAEGE }`).
///
/// [`gemeinsam::FREIBETRAEGE`]: super::gemeinsam::FREIBETRAEGE
pub(super) struct Freibetraege {
    /// Werbungskosten-Pauschbetrag for Versorgungsbezüge.
    pub anp_versorgung: Decimal,
    /// Arbeitnehmer-Pauschbetrag.
    pub anp_arbeitnehmer: Decimal,
    /// Sonderausgaben-Pauschbetrag SAP.
    pub sap: Decimal,
    /// Entlastungsbetrag für Alleinerziehende EFA, Steuerklasse II.
    pub efa: Decimal,
    /// Freibeträge für ein Kind in Steuerklassen I to III.
    pub kfb_voll: Decimal,
    /// Freibeträge für ein Kind in Steuerklasse IV.
    pub kfb_halb: Decimal,
}

/// The tables TAB1–TAB5 of the PAP (§ 19 Absatz 2 and § 24a EStG), indexed
/// by VJAHR or AJAHR − 2004 (see `pap::tabellen_index`). Both PAPs use
/// [`gemeinsam::TABELLEN`].
///
/// [`gemeinsam::TABELLEN`]: super::gemeinsam::TABELLEN
pub(super) struct Versorgungstabellen {
    /// TAB1: Prozentsätze des Versorgungsfreibetrags.
    pub tab1: [Decimal; 55],
    /// TAB2: Höchstbeträge des Versorgungsfreibetrags (€).
    pub tab2: [Decimal; 55],
    /// TAB3: Zuschläge zum Versorgungsfreibetrag (€).
    pub tab3: [Decimal; 55],
    /// TAB4: Prozentsätze des Altersentlastungsbetrags.
    pub tab4: [Decimal; 55],
    /// TAB5: Höchstbeträge des Altersentlastungsbetrags (€).
    pub tab5: [Decimal; 55],
}

/// The PAP of `jahr`, or a German message naming the supported years.
pub(super) fn jahrgang(jahr: i32) -> Result<&'static Jahrgang> {
    JAHRGAENGE
        .iter()
        .copied()
        .find(|j| j.jahr == jahr)
        .ok_or_else(|| {
            let jahre: Vec<String> = JAHRGAENGE.iter().map(|j| j.jahr.to_string()).collect();
            KisError::field(
                "jahr",
                format!(
                    "Für das Jahr {jahr} ist kein Programmablaufplan zur Lohnsteuer hinterlegt; \
                     unterstützt werden die Jahre {}.",
                    jahre.join(", ")
                ),
            )
        })
}

impl Jahrgang {
    /// Whether the year's PAP has this INPUT parameter.
    pub fn hat_eingabe(&self, p: Parameter) -> bool {
        self.eingaben.iter().any(|(q, _)| *q == p)
    }

    /// Whether the year's PAP has this OUTPUT parameter.
    pub fn hat_ergebnis(&self, e: Ergebnis) -> bool {
        self.ergebnisse.contains(&e)
    }
}

/// An input holding the year's defaults: the XML's default, or 0 where the
/// XML gives none. Parameters the year does not have (ALV and PKPVAGZ in
/// 2025) keep the 0 of `LstEingabe::default()`.
pub(super) fn vorgabe(jg: &Jahrgang) -> LstEingabe {
    let mut e = LstEingabe::default();
    for (p, wert) in jg.eingaben {
        e.setze(*p, wert.unwrap_or_default());
    }
    e
}
