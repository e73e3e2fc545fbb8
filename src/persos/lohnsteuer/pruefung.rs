//! Checks of the INPUT parameters before the PAP runs: value ranges and
//! codes as the PAP documents them, whole cents, and the relations the PAP
//! presumes (amounts "enthalten in" others, data required for
//! Versorgungsbezüge and the Altersentlastungsbetrag). Every message is
//! German and starts with the PAP name of the parameter concerned.
//!
//! The limits also keep every intermediate value of the PAP far inside the
//! 28 significant digits of `rust_decimal`.

use std::ops::RangeInclusive;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::eingabe::{LstEingabe, Parameter};
use super::jahrgang::{Jahrgang, jahrgang};
use crate::core::error::KisError;

/// Largest accepted amount: 999.999.999.999 Cent (just under 10 Mrd. €).
const MAX_CENT: Decimal = dec!(999999999999);
/// Largest accepted Zusatzbeitragssatz in percent.
const MAX_KVZ: Decimal = dec!(10);
/// Largest accepted number of Kinderfreibeträge.
const MAX_ZKF: Decimal = dec!(99.5);
/// Earliest accepted year for VJAHR and AJAHR.
const FRUEHESTES_JAHR: i32 = 1900;

/// All problems of `e` for the PAP of `jahr`, empty if it may be computed.
/// An unsupported year gives that one problem.
pub fn pruefe(jahr: i32, e: &LstEingabe) -> Vec<KisError> {
    let jg = match jahrgang(jahr) {
        Ok(jg) => jg,
        Err(fehler) => return vec![fehler],
    };
    let mut f = Pruefung {
        jg,
        fehler: Vec::new(),
    };
    f.nur_im_pap(Parameter::Alv, Decimal::from(e.alv));
    f.nur_im_pap(Parameter::Pkpvagz, e.pkpvagz);

    f.code(Parameter::Af, e.af, 0..=1);
    f.code(Parameter::Alter1, e.alter1, 0..=1);
    f.code(Parameter::Alv, e.alv, 0..=1);
    f.code(Parameter::Krv, e.krv, 0..=1);
    f.code(Parameter::Lzz, e.lzz, 1..=4);
    f.code(Parameter::Pkv, e.pkv, 0..=jg.pkv_max);
    f.code(Parameter::Pvs, e.pvs, 0..=1);
    f.code(Parameter::Pvz, e.pvz, 0..=1);
    f.code(Parameter::Stkl, e.stkl, 1..=6);
    f.code(Parameter::Zmvb, e.zmvb, 0..=12);
    if e.r < 0 {
        f.melde(
            Parameter::R,
            format!(
                "R darf nicht negativ sein (0 = keine Religionsgemeinschaft), gefunden: {}",
                e.r
            ),
        );
    }

    for (p, betrag) in [
        (Parameter::Jfreib, e.jfreib),
        (Parameter::Jhinzu, e.jhinzu),
        (Parameter::Jre4, e.jre4),
        (Parameter::Jre4ent, e.jre4ent),
        (Parameter::Jvbez, e.jvbez),
        (Parameter::Lzzfreib, e.lzzfreib),
        (Parameter::Lzzhinzu, e.lzzhinzu),
        (Parameter::Mbv, e.mbv),
        (Parameter::Pkpv, e.pkpv),
        (Parameter::Pkpvagz, e.pkpvagz),
        (Parameter::Re4, e.re4),
        (Parameter::Sonstb, e.sonstb),
        (Parameter::Sonstent, e.sonstent),
        (Parameter::Sterbe, e.sterbe),
        (Parameter::Vbez, e.vbez),
        (Parameter::Vbezm, e.vbezm),
        (Parameter::Vbezs, e.vbezs),
        (Parameter::Vbs, e.vbs),
    ] {
        f.cent(p, betrag);
    }

    f.enthalten(Parameter::Vbez, e.vbez, Parameter::Re4, e.re4);
    f.enthalten(Parameter::Jvbez, e.jvbez, Parameter::Jre4, e.jre4);
    f.enthalten(Parameter::Jre4ent, e.jre4ent, Parameter::Jre4, e.jre4);
    f.enthalten(Parameter::Vbs, e.vbs, Parameter::Sonstb, e.sonstb);
    f.enthalten(Parameter::Sterbe, e.sterbe, Parameter::Vbs, e.vbs);
    f.enthalten(Parameter::Sonstent, e.sonstent, Parameter::Sonstb, e.sonstb);

    f.faktor(e);
    f.kinder(e);
    f.kvz(e.kvz);
    f.pva(e);
    f.versorgung(e, jahr);
    f.alter(e, jahr);
    f.fehler
}

struct Pruefung {
    jg: &'static Jahrgang,
    fehler: Vec<KisError>,
}

/// A decimal in German notation (`0,5`), without trailing zeros.
fn zahl(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

impl Pruefung {
    fn melde(&mut self, p: Parameter, meldung: String) {
        self.fehler.push(KisError::field(p.pap_name(), meldung));
    }

    /// A parameter the year's PAP does not have must keep its neutral 0.
    fn nur_im_pap(&mut self, p: Parameter, wert: Decimal) {
        if !self.jg.hat_eingabe(p) && !wert.is_zero() {
            self.melde(
                p,
                format!(
                    "{} gibt es im Programmablaufplan {} nicht; der Wert muss 0 sein, gefunden: {}",
                    p.pap_name(),
                    self.jg.jahr,
                    zahl(wert)
                ),
            );
        }
    }

    /// An `int` code within its documented range.
    fn code(&mut self, p: Parameter, wert: i32, erlaubt: RangeInclusive<i32>) {
        if !erlaubt.contains(&wert) {
            let (von, bis) = (*erlaubt.start(), *erlaubt.end());
            let bereich = if bis == von + 1 {
                format!("{von} oder {bis}")
            } else {
                format!("{von} bis {bis}")
            };
            self.melde(
                p,
                format!("{} muss {bereich} sein, gefunden: {wert}", p.pap_name()),
            );
        }
    }

    /// An amount in whole cents, not negative, within [`MAX_CENT`].
    fn cent(&mut self, p: Parameter, betrag: Decimal) {
        let name = p.pap_name();
        if !betrag.fract().is_zero() {
            self.melde(
                p,
                format!(
                    "{name} ist in ganzen Cent anzugeben, gefunden: {}",
                    zahl(betrag)
                ),
            );
        } else if betrag < Decimal::ZERO {
            self.melde(
                p,
                format!("{name} darf nicht negativ sein, gefunden: {betrag}"),
            );
        } else if betrag > MAX_CENT {
            self.melde(
                p,
                format!("{name} ist zu groß (höchstens {MAX_CENT} Cent), gefunden: {betrag}"),
            );
        }
    }

    /// `teil` is, as the PAP says, contained in `ganzes` (not checked
    /// against a negative `ganzes`, which is reported by itself).
    fn enthalten(&mut self, teil: Parameter, t: Decimal, ganzes: Parameter, g: Decimal) {
        if g >= Decimal::ZERO && t > g {
            self.melde(
                teil,
                format!(
                    "{} ist in {} enthalten und darf nicht größer sein: {} > {}",
                    teil.pap_name(),
                    ganzes.pap_name(),
                    t,
                    g
                ),
            );
        }
    }

    /// f: Faktor mit drei Nachkommastellen, 0 < f ≤ 1, below 1 only in
    /// Steuerklasse IV (§ 39f EStG).
    fn faktor(&mut self, e: &LstEingabe) {
        if e.f <= Decimal::ZERO || e.f > dec!(1) {
            self.melde(
                Parameter::F,
                format!(
                    "f muss größer als 0 und höchstens 1 sein, gefunden: {}",
                    zahl(e.f)
                ),
            );
        } else if e.f.normalize().scale() > 3 {
            self.melde(
                Parameter::F,
                format!(
                    "f hat höchstens drei Nachkommastellen, gefunden: {}",
                    zahl(e.f)
                ),
            );
        } else if e.af == 1 && e.f < dec!(1) && e.stkl != 4 {
            self.melde(
                Parameter::F,
                format!(
                    "Ein Faktor f unter 1 ist nur in Steuerklasse IV zulässig (Faktorverfahren), \
                     gefunden: f = {} bei STKL {}",
                    zahl(e.f),
                    e.stkl
                ),
            );
        }
    }

    /// ZKF: 0 or more in steps of 0,5, only in Steuerklassen I to IV.
    fn kinder(&mut self, e: &LstEingabe) {
        if e.zkf < Decimal::ZERO || e.zkf > MAX_ZKF || !(e.zkf * dec!(2)).fract().is_zero() {
            self.melde(
                Parameter::Zkf,
                format!(
                    "ZKF muss 0 bis {} in Schritten von 0,5 sein, gefunden: {}",
                    zahl(MAX_ZKF),
                    zahl(e.zkf)
                ),
            );
        } else if e.zkf > Decimal::ZERO && e.stkl > 4 {
            self.melde(
                Parameter::Zkf,
                format!(
                    "ZKF (Kinderfreibeträge) gibt es nur in den Steuerklassen I bis IV, \
                     gefunden: ZKF {} bei STKL {}",
                    zahl(e.zkf),
                    e.stkl
                ),
            );
        }
    }

    /// KVZ: Zusatzbeitragssatz in Prozent mit 2 Dezimalstellen.
    fn kvz(&mut self, kvz: Decimal) {
        if kvz < Decimal::ZERO || kvz > MAX_KVZ || kvz.normalize().scale() > 2 {
            self.melde(
                Parameter::Kvz,
                format!(
                    "KVZ ist der Zusatzbeitragssatz in Prozent mit höchstens zwei \
                     Nachkommastellen (z. B. 2,9), zulässig 0 bis {}, gefunden: {}",
                    zahl(MAX_KVZ),
                    zahl(kvz)
                ),
            );
        }
    }

    /// PVA: 0 to 4 Beitragsabschläge; excludes the Zuschlag for childless
    /// employees (PVZ = 1).
    fn pva(&mut self, e: &LstEingabe) {
        if e.pva < Decimal::ZERO || e.pva > dec!(4) || !e.pva.fract().is_zero() {
            self.melde(
                Parameter::Pva,
                format!("PVA muss 0 bis 4 sein, gefunden: {}", zahl(e.pva)),
            );
        } else if e.pvz == 1 && e.pva > Decimal::ZERO {
            self.melde(
                Parameter::Pva,
                format!(
                    "PVA (Abschläge für Kinder) und PVZ = 1 (Zuschlag für Kinderlose) \
                     schließen sich aus, gefunden: PVA {}",
                    zahl(e.pva)
                ),
            );
        }
    }

    /// VJAHR and ZMVB, required as soon as Versorgungsbezüge are paid.
    fn versorgung(&mut self, e: &LstEingabe, jahr: i32) {
        let versorgung = [e.vbez, e.jvbez, e.vbs, e.vbezm, e.vbezs, e.sterbe]
            .iter()
            .any(|b| *b > Decimal::ZERO);
        if versorgung && e.vjahr == 0 {
            self.melde(
                Parameter::Vjahr,
                "VJAHR (Jahr des Versorgungsbeginns) ist bei Versorgungsbezügen anzugeben"
                    .to_string(),
            );
        } else if e.vjahr != 0 && !(FRUEHESTES_JAHR..=jahr).contains(&e.vjahr) {
            self.melde(
                Parameter::Vjahr,
                format!(
                    "VJAHR muss ein Jahr von {FRUEHESTES_JAHR} bis {jahr} sein, gefunden: {}",
                    e.vjahr
                ),
            );
        }
        if e.lzz == 1 && e.vbez > Decimal::ZERO && e.zmvb == 0 {
            self.melde(
                Parameter::Zmvb,
                "ZMVB (Zahl der Monate mit Versorgungsbezügen, 1 bis 12) ist bei \
                 Jahresberechnung (LZZ 1) mit VBEZ anzugeben"
                    .to_string(),
            );
        }
    }

    /// AJAHR, required with ALTER1 = 1 (Altersentlastungsbetrag).
    fn alter(&mut self, e: &LstEingabe, jahr: i32) {
        if e.alter1 == 1 && e.ajahr == 0 {
            self.melde(
                Parameter::Ajahr,
                "AJAHR (auf die Vollendung des 64. Lebensjahres folgendes Kalenderjahr) \
                 ist bei ALTER1 = 1 anzugeben"
                    .to_string(),
            );
        } else if e.ajahr != 0 && !(FRUEHESTES_JAHR..=jahr).contains(&e.ajahr) {
            self.melde(
                Parameter::Ajahr,
                format!(
                    "AJAHR muss ein Jahr von {FRUEHESTES_JAHR} bis {jahr} sein, gefunden: {}",
                    e.ajahr
                ),
            );
        }
    }
}
