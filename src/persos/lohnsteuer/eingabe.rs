//! The PAP's INPUT parameters: the struct [`LstEingabe`] and the mapping
//! between its fields and the exact PAP names used in the CSV interface.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal_macros::dec;

/// All INPUT parameters of the supported PAPs (union of 2025 and 2026).
///
/// Field names are the PAP names in lower case; [`Parameter::pap_name`]
/// gives the exact spelling. Amounts are in cents as in the PAP; parameters
/// the PAP declares as `int` are integers. `alv` and `pkpvagz` exist only
/// from the PAP 2026 on and must stay 0 for 2025.
///
/// `Default` gives the defaults of the PAP 2026 (af = 1, f = 1,0, LZZ = 1,
/// STKL = 1, everything else 0).
#[derive(Debug, Clone, PartialEq)]
pub struct LstEingabe {
    pub af: i32,
    pub ajahr: i32,
    pub alter1: i32,
    pub alv: i32,
    pub f: Decimal,
    pub jfreib: Decimal,
    pub jhinzu: Decimal,
    pub jre4: Decimal,
    pub jre4ent: Decimal,
    pub jvbez: Decimal,
    pub krv: i32,
    pub kvz: Decimal,
    pub lzz: i32,
    pub lzzfreib: Decimal,
    pub lzzhinzu: Decimal,
    pub mbv: Decimal,
    pub pkpv: Decimal,
    pub pkpvagz: Decimal,
    pub pkv: i32,
    pub pva: Decimal,
    pub pvs: i32,
    pub pvz: i32,
    pub r: i32,
    pub re4: Decimal,
    pub sonstb: Decimal,
    pub sonstent: Decimal,
    pub sterbe: Decimal,
    pub stkl: i32,
    pub vbez: Decimal,
    pub vbezm: Decimal,
    pub vbezs: Decimal,
    pub vbs: Decimal,
    pub vjahr: i32,
    pub zkf: Decimal,
    pub zmvb: i32,
}

impl Default for LstEingabe {
    fn default() -> Self {
        LstEingabe {
            af: 1,
            ajahr: 0,
            alter1: 0,
            alv: 0,
            f: dec!(1.0),
            jfreib: Decimal::ZERO,
            jhinzu: Decimal::ZERO,
            jre4: Decimal::ZERO,
            jre4ent: Decimal::ZERO,
            jvbez: Decimal::ZERO,
            krv: 0,
            kvz: Decimal::ZERO,
            lzz: 1,
            lzzfreib: Decimal::ZERO,
            lzzhinzu: Decimal::ZERO,
            mbv: Decimal::ZERO,
            pkpv: Decimal::ZERO,
            pkpvagz: Decimal::ZERO,
            pkv: 0,
            pva: Decimal::ZERO,
            pvs: 0,
            pvz: 0,
            r: 0,
            re4: Decimal::ZERO,
            sonstb: Decimal::ZERO,
            sonstent: Decimal::ZERO,
            sterbe: Decimal::ZERO,
            stkl: 1,
            vbez: Decimal::ZERO,
            vbezm: Decimal::ZERO,
            vbezs: Decimal::ZERO,
            vbs: Decimal::ZERO,
            vjahr: 0,
            zkf: Decimal::ZERO,
            zmvb: 0,
        }
    }
}

/// One INPUT parameter of the PAP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parameter {
    Af,
    Ajahr,
    Alter1,
    Alv,
    F,
    Jfreib,
    Jhinzu,
    Jre4,
    Jre4ent,
    Jvbez,
    Krv,
    Kvz,
    Lzz,
    Lzzfreib,
    Lzzhinzu,
    Mbv,
    Pkpv,
    Pkpvagz,
    Pkv,
    Pva,
    Pvs,
    Pvz,
    R,
    Re4,
    Sonstb,
    Sonstent,
    Sterbe,
    Stkl,
    Vbez,
    Vbezm,
    Vbezs,
    Vbs,
    Vjahr,
    Zkf,
    Zmvb,
}

/// How a parameter's value is written and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Art {
    /// PAP type `int`: a whole number (codes, years, months).
    Ganzzahl,
    /// PAP type `BigDecimal` holding an amount in cents: a whole number.
    Cent,
    /// PAP type `BigDecimal` or `double` holding a rate, factor or count
    /// (KVZ, f, PVA, ZKF): a decimal, written with `,` or `.`.
    Dezimal,
}

/// A field of [`LstEingabe`], borrowed for writing.
pub(super) enum FeldMut<'a> {
    Ganzzahl(&'a mut i32),
    Dezimal(&'a mut Decimal),
}

impl Parameter {
    /// The parameter's name exactly as in the PAP XML (case as there).
    pub fn pap_name(self) -> &'static str {
        match self {
            Parameter::Af => "af",
            Parameter::Ajahr => "AJAHR",
            Parameter::Alter1 => "ALTER1",
            Parameter::Alv => "ALV",
            Parameter::F => "f",
            Parameter::Jfreib => "JFREIB",
            Parameter::Jhinzu => "JHINZU",
            Parameter::Jre4 => "JRE4",
            Parameter::Jre4ent => "JRE4ENT",
            Parameter::Jvbez => "JVBEZ",
            Parameter::Krv => "KRV",
            Parameter::Kvz => "KVZ",
            Parameter::Lzz => "LZZ",
            Parameter::Lzzfreib => "LZZFREIB",
            Parameter::Lzzhinzu => "LZZHINZU",
            Parameter::Mbv => "MBV",
            Parameter::Pkpv => "PKPV",
            Parameter::Pkpvagz => "PKPVAGZ",
            Parameter::Pkv => "PKV",
            Parameter::Pva => "PVA",
            Parameter::Pvs => "PVS",
            Parameter::Pvz => "PVZ",
            Parameter::R => "R",
            Parameter::Re4 => "RE4",
            Parameter::Sonstb => "SONSTB",
            Parameter::Sonstent => "SONSTENT",
            Parameter::Sterbe => "STERBE",
            Parameter::Stkl => "STKL",
            Parameter::Vbez => "VBEZ",
            Parameter::Vbezm => "VBEZM",
            Parameter::Vbezs => "VBEZS",
            Parameter::Vbs => "VBS",
            Parameter::Vjahr => "VJAHR",
            Parameter::Zkf => "ZKF",
            Parameter::Zmvb => "ZMVB",
        }
    }

    /// How the parameter is written: `int`, cents or a decimal.
    pub fn art(self) -> Art {
        match self {
            Parameter::Af
            | Parameter::Ajahr
            | Parameter::Alter1
            | Parameter::Alv
            | Parameter::Krv
            | Parameter::Lzz
            | Parameter::Pkv
            | Parameter::Pvs
            | Parameter::Pvz
            | Parameter::R
            | Parameter::Stkl
            | Parameter::Vjahr
            | Parameter::Zmvb => Art::Ganzzahl,
            Parameter::F | Parameter::Kvz | Parameter::Pva | Parameter::Zkf => Art::Dezimal,
            Parameter::Jfreib
            | Parameter::Jhinzu
            | Parameter::Jre4
            | Parameter::Jre4ent
            | Parameter::Jvbez
            | Parameter::Lzzfreib
            | Parameter::Lzzhinzu
            | Parameter::Mbv
            | Parameter::Pkpv
            | Parameter::Pkpvagz
            | Parameter::Re4
            | Parameter::Sonstb
            | Parameter::Sonstent
            | Parameter::Sterbe
            | Parameter::Vbez
            | Parameter::Vbezm
            | Parameter::Vbezs
            | Parameter::Vbs => Art::Cent,
        }
    }
}

impl LstEingabe {
    /// The field that holds parameter `p`.
    pub(super) fn feld_mut(&mut self, p: Parameter) -> FeldMut<'_> {
        use FeldMut::{Dezimal as D, Ganzzahl as G};
        match p {
            Parameter::Af => G(&mut self.af),
            Parameter::Ajahr => G(&mut self.ajahr),
            Parameter::Alter1 => G(&mut self.alter1),
            Parameter::Alv => G(&mut self.alv),
            Parameter::F => D(&mut self.f),
            Parameter::Jfreib => D(&mut self.jfreib),
            Parameter::Jhinzu => D(&mut self.jhinzu),
            Parameter::Jre4 => D(&mut self.jre4),
            Parameter::Jre4ent => D(&mut self.jre4ent),
            Parameter::Jvbez => D(&mut self.jvbez),
            Parameter::Krv => G(&mut self.krv),
            Parameter::Kvz => D(&mut self.kvz),
            Parameter::Lzz => G(&mut self.lzz),
            Parameter::Lzzfreib => D(&mut self.lzzfreib),
            Parameter::Lzzhinzu => D(&mut self.lzzhinzu),
            Parameter::Mbv => D(&mut self.mbv),
            Parameter::Pkpv => D(&mut self.pkpv),
            Parameter::Pkpvagz => D(&mut self.pkpvagz),
            Parameter::Pkv => G(&mut self.pkv),
            Parameter::Pva => D(&mut self.pva),
            Parameter::Pvs => G(&mut self.pvs),
            Parameter::Pvz => G(&mut self.pvz),
            Parameter::R => G(&mut self.r),
            Parameter::Re4 => D(&mut self.re4),
            Parameter::Sonstb => D(&mut self.sonstb),
            Parameter::Sonstent => D(&mut self.sonstent),
            Parameter::Sterbe => D(&mut self.sterbe),
            Parameter::Stkl => G(&mut self.stkl),
            Parameter::Vbez => D(&mut self.vbez),
            Parameter::Vbezm => D(&mut self.vbezm),
            Parameter::Vbezs => D(&mut self.vbezs),
            Parameter::Vbs => D(&mut self.vbs),
            Parameter::Vjahr => G(&mut self.vjahr),
            Parameter::Zkf => D(&mut self.zkf),
            Parameter::Zmvb => G(&mut self.zmvb),
        }
    }

    /// Sets parameter `p` to `wert` (for an `int` parameter, its whole part;
    /// used for the PAP's defaults, which are 0 or 1).
    pub(super) fn setze(&mut self, p: Parameter, wert: Decimal) {
        match self.feld_mut(p) {
            FeldMut::Ganzzahl(feld) => *feld = wert.trunc().to_i32().unwrap_or_default(),
            FeldMut::Dezimal(feld) => *feld = wert,
        }
    }
}
