//! The computation state of one PAP run and the PAP methods whose text is
//! identical in 2025 and 2026. Each method is one `fn` named after the PAP
//! method (in lower case) and mirrors its statements in order; the
//! year-specific methods live in `y2025` / `y2026` and are reached through
//! the [`Jahrgang`].
//!
//! Notation: amounts named in the PAP as "in Cent" are cents, all others
//! euros; `set_scale` / `divide` reproduce the BigDecimal calls of the XML
//! with their exact scale and rounding mode.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::ausgabe::{Ergebnis, LstAusgabe};
use super::eingabe::LstEingabe;
use super::jahrgang::Jahrgang;
use super::runden::Rundung::{Down, Up};
use super::runden::{divide, long_value, set_scale};

/// One run of the PAP: INPUTS (a working copy, because the PAP itself sets
/// LZZ, ZMVB and f), OUTPUTS and INTERNALS, named as in the XML in lower
/// case. Fields marked 2025 or 2026 exist only in that year's PAP.
pub(super) struct Pap {
    pub jg: &'static Jahrgang,
    /// INPUTS.
    pub e: LstEingabe,

    // OUTPUTS (cents).
    pub bk: Decimal,
    pub bks: Decimal,
    pub lstlzz: Decimal,
    pub solzlzz: Decimal,
    pub solzs: Decimal,
    pub sts: Decimal,
    /// 2025.
    pub vkvlzz: Decimal,
    /// 2025.
    pub vkvsonst: Decimal,
    pub vfrb: Decimal,
    pub vfrbs1: Decimal,
    pub vfrbs2: Decimal,
    pub wvfrb: Decimal,
    pub wvfrbo: Decimal,
    pub wvfrbm: Decimal,

    // INTERNALS.
    pub alte: Decimal,
    pub anp: Decimal,
    pub anteil1: Decimal,
    /// 2026.
    pub avsatzan: Decimal,
    pub bbgkvpv: Decimal,
    /// 2025.
    pub bbgrv: Decimal,
    /// 2026.
    pub bbgrvalv: Decimal,
    pub bmg: Decimal,
    pub diff: Decimal,
    pub efa: Decimal,
    pub fvb: Decimal,
    pub fvbso: Decimal,
    pub fvbz: Decimal,
    pub fvbzso: Decimal,
    pub gfb: Decimal,
    pub hbalte: Decimal,
    pub hfvb: Decimal,
    pub hfvbz: Decimal,
    pub hfvbzso: Decimal,
    pub hoch: Decimal,
    pub j: i32,
    pub jbmg: Decimal,
    pub jlfreib: Decimal,
    pub jlhinzu: Decimal,
    pub jw: Decimal,
    pub k: i32,
    pub kfb: Decimal,
    /// 2025.
    pub kvsatzag: Decimal,
    pub kvsatzan: Decimal,
    pub kztab: i32,
    pub lstjahr: Decimal,
    pub lstoso: Decimal,
    pub lstso: Decimal,
    pub mist: Decimal,
    /// 2026.
    pub pkpvagzj: Decimal,
    /// 2025.
    pub pvsatzag: Decimal,
    pub pvsatzan: Decimal,
    pub rvsatzan: Decimal,
    pub rw: Decimal,
    pub sap: Decimal,
    pub solzfrei: Decimal,
    pub solzj: Decimal,
    pub solzmin: Decimal,
    pub solzsbmg: Decimal,
    pub solzszve: Decimal,
    pub st: Decimal,
    pub st1: Decimal,
    pub st2: Decimal,
    pub vbezb: Decimal,
    pub vbezbso: Decimal,
    pub vergl: Decimal,
    /// 2025.
    pub vhb: Decimal,
    /// 2025.
    pub vkv: Decimal,
    pub vsp: Decimal,
    /// 2025.
    pub vsp1: Decimal,
    /// 2025.
    pub vsp2: Decimal,
    /// 2025.
    pub vsp3: Decimal,
    /// 2026.
    pub vspalv: Decimal,
    /// 2026.
    pub vsphb: Decimal,
    /// 2026.
    pub vspkvpv: Decimal,
    pub vspn: Decimal,
    /// 2026.
    pub vspr: Decimal,
    pub w1stkl5: Decimal,
    pub w2stkl5: Decimal,
    pub w3stkl5: Decimal,
    pub x: Decimal,
    pub y: Decimal,
    pub zre4: Decimal,
    pub zre4j: Decimal,
    pub zre4vp: Decimal,
    /// 2026.
    pub zre4vpr: Decimal,
    pub ztabfb: Decimal,
    pub zvbez: Decimal,
    pub zvbezj: Decimal,
    pub zve: Decimal,
    pub zx: Decimal,
    pub zzx: Decimal,
}

/// `TAB[i]`; the PAP's indices J and K are always 1 to 54.
fn tab(t: &[Decimal; 55], i: i32) -> Decimal {
    t[i as usize]
}

/// Table index J (Versorgungsbezüge, from VJAHR) or K (Altersentlastungs-
/// betrag, from AJAHR): 1 before 2006, the year minus 2004 up to 2057, then 54.
fn tabellen_index(jahr: i32) -> i32 {
    if jahr < 2006 {
        1
    } else if jahr < 2058 {
        jahr - 2004
    } else {
        54
    }
}

impl Pap {
    /// A fresh run: every OUTPUT and INTERNAL at its default 0.
    pub fn new(jg: &'static Jahrgang, e: &LstEingabe) -> Self {
        let z = Decimal::ZERO;
        Pap {
            jg,
            e: e.clone(),
            bk: z,
            bks: z,
            lstlzz: z,
            solzlzz: z,
            solzs: z,
            sts: z,
            vkvlzz: z,
            vkvsonst: z,
            vfrb: z,
            vfrbs1: z,
            vfrbs2: z,
            wvfrb: z,
            wvfrbo: z,
            wvfrbm: z,
            alte: z,
            anp: z,
            anteil1: z,
            avsatzan: z,
            bbgkvpv: z,
            bbgrv: z,
            bbgrvalv: z,
            bmg: z,
            diff: z,
            efa: z,
            fvb: z,
            fvbso: z,
            fvbz: z,
            fvbzso: z,
            gfb: z,
            hbalte: z,
            hfvb: z,
            hfvbz: z,
            hfvbzso: z,
            hoch: z,
            j: 0,
            jbmg: z,
            jlfreib: z,
            jlhinzu: z,
            jw: z,
            k: 0,
            kfb: z,
            kvsatzag: z,
            kvsatzan: z,
            kztab: 0,
            lstjahr: z,
            lstoso: z,
            lstso: z,
            mist: z,
            pkpvagzj: z,
            pvsatzag: z,
            pvsatzan: z,
            rvsatzan: z,
            rw: z,
            sap: z,
            solzfrei: z,
            solzj: z,
            solzmin: z,
            solzsbmg: z,
            solzszve: z,
            st: z,
            st1: z,
            st2: z,
            vbezb: z,
            vbezbso: z,
            vergl: z,
            vhb: z,
            vkv: z,
            vsp: z,
            vsp1: z,
            vsp2: z,
            vsp3: z,
            vspalv: z,
            vsphb: z,
            vspkvpv: z,
            vspn: z,
            vspr: z,
            w1stkl5: z,
            w2stkl5: z,
            w3stkl5: z,
            x: z,
            y: z,
            zre4: z,
            zre4j: z,
            zre4vp: z,
            zre4vpr: z,
            ztabfb: z,
            zvbez: z,
            zvbezj: z,
            zve: z,
            zx: z,
            zzx: z,
        }
    }

    /// The OUTPUTS after [`Pap::main`].
    pub fn ausgabe(&self) -> LstAusgabe {
        let nur_wenn = |e: Ergebnis, wert: Decimal| self.jg.hat_ergebnis(e).then_some(wert);
        LstAusgabe {
            bk: self.bk,
            bks: self.bks,
            lstlzz: self.lstlzz,
            solzlzz: self.solzlzz,
            solzs: self.solzs,
            sts: self.sts,
            vkvlzz: nur_wenn(Ergebnis::Vkvlzz, self.vkvlzz),
            vkvsonst: nur_wenn(Ergebnis::Vkvsonst, self.vkvsonst),
            vfrb: self.vfrb,
            vfrbs1: self.vfrbs1,
            vfrbs2: self.vfrbs2,
            wvfrb: self.wvfrb,
            wvfrbo: self.wvfrbo,
            wvfrbm: self.wvfrbm,
        }
    }

    /// PAP `MAIN` (Steuerung, PAP Seite 13).
    pub fn main(&mut self) {
        self.mpara();
        self.mre4jl();
        self.vbezbso = Decimal::ZERO;
        self.mre4();
        self.mre4abz();
        self.mberech();
        self.msonst();
    }

    /// PAP `MPARA`: the year's tax and social-insurance parameters.
    fn mpara(&mut self) {
        (self.jg.mpara)(self)
    }

    /// PAP `UPTAB25` / `UPTAB26`: tarifliche Einkommensteuer § 32a EStG
    /// for X with the year's [`Tarif`](super::jahrgang::Tarif), times KZTAB
    /// (Splitting).
    fn uptab(&mut self) {
        let jg = self.jg;
        let t = &jg.tarif;
        if self.x < self.gfb + dec!(1) {
            self.st = Decimal::ZERO;
        } else if self.x < t.grenze2 {
            self.y = divide(self.x - self.gfb, dec!(10000), 6, Down);
            self.rw = self.y * t.faktor2;
            self.rw += t.sockel2;
            self.st = set_scale(self.rw * self.y, 0, Down);
        } else if self.x < t.grenze3 {
            self.y = divide(self.x - t.abzug3, dec!(10000), 6, Down);
            self.rw = self.y * t.faktor3;
            self.rw += t.sockel3;
            self.rw *= self.y;
            self.st = set_scale(self.rw + t.summand3, 0, Down);
        } else if self.x < t.grenze4 {
            self.st = set_scale(self.x * t.satz4 - t.abzug4, 0, Down);
        } else {
            self.st = set_scale(self.x * t.satz5 - t.abzug5, 0, Down);
        }
        self.st *= Decimal::from(self.kztab);
    }

    /// PAP `UPEVP`: Vorsorgepauschale.
    fn upevp(&mut self) {
        (self.jg.upevp)(self)
    }

    /// PAP `MRE4JL`: Jahresarbeitslohn nach § 39b Absatz 2 Satz 2 EStG.
    fn mre4jl(&mut self) {
        // Jahr: /100; Monat: ×12/100; Woche: ×360/700; Tag: ×360/100,
        // each `divide(…, 2, ROUND_DOWN)`.
        let (faktor, teiler) = if self.e.lzz == 1 {
            (dec!(1), dec!(100))
        } else if self.e.lzz == 2 {
            (dec!(12), dec!(100))
        } else if self.e.lzz == 3 {
            (dec!(360), dec!(700))
        } else {
            (dec!(360), dec!(100))
        };
        let auf_jahr = |betrag: Decimal| divide(betrag * faktor, teiler, 2, Down);
        self.zre4j = auf_jahr(self.e.re4);
        self.zvbezj = auf_jahr(self.e.vbez);
        self.jlfreib = auf_jahr(self.e.lzzfreib);
        self.jlhinzu = auf_jahr(self.e.lzzhinzu);
        if self.e.af == 0 {
            self.e.f = dec!(1);
        }
    }

    /// PAP `MRE4`: Freibeträge für Versorgungsbezüge, Altersentlastungsbetrag.
    fn mre4(&mut self) {
        if self.zvbezj == Decimal::ZERO {
            self.fvbz = Decimal::ZERO;
            self.fvb = Decimal::ZERO;
            self.fvbzso = Decimal::ZERO;
            self.fvbso = Decimal::ZERO;
        } else {
            self.j = tabellen_index(self.e.vjahr);
            let (tab1, tab2, tab3) = (
                tab(&self.jg.tabellen.tab1, self.j),
                tab(&self.jg.tabellen.tab2, self.j),
                tab(&self.jg.tabellen.tab3, self.j),
            );
            if self.e.lzz == 1 {
                let zmvb = Decimal::from(self.e.zmvb);
                self.vbezb = self.e.vbezm * zmvb + self.e.vbezs;
                self.hfvb = set_scale(tab2 / dec!(12) * zmvb, 0, Up);
                self.fvbz = set_scale(tab3 / dec!(12) * zmvb, 0, Up);
            } else {
                self.vbezb = set_scale(self.e.vbezm * dec!(12) + self.e.vbezs, 2, Down);
                self.hfvb = tab2;
                self.fvbz = tab3;
            }
            self.fvb = set_scale(self.vbezb * tab1 / dec!(100), 2, Up);
            if self.fvb > self.hfvb {
                self.fvb = self.hfvb;
            }
            if self.fvb > self.zvbezj {
                self.fvb = self.zvbezj;
            }
            self.fvbso = set_scale(self.fvb + self.vbezbso * tab1 / dec!(100), 2, Up);
            if self.fvbso > tab2 {
                self.fvbso = tab2;
            }
            self.hfvbzso = set_scale(
                (self.vbezb + self.vbezbso) / dec!(100) - self.fvbso,
                2,
                Down,
            );
            self.fvbzso = set_scale(self.fvbz + self.vbezbso / dec!(100), 0, Up);
            if self.fvbzso > self.hfvbzso {
                self.fvbzso = set_scale(self.hfvbzso, 0, Up);
            }
            if self.fvbzso > tab3 {
                self.fvbzso = tab3;
            }
            self.hfvbz = set_scale(self.vbezb / dec!(100) - self.fvb, 2, Down);
            if self.fvbz > self.hfvbz {
                self.fvbz = set_scale(self.hfvbz, 0, Up);
            }
        }
        self.mre4alte();
    }

    /// PAP `MRE4ALTE`: Altersentlastungsbetrag (§ 39b Absatz 2 Satz 3 EStG).
    fn mre4alte(&mut self) {
        if self.e.alter1 == 0 {
            self.alte = Decimal::ZERO;
        } else {
            self.k = tabellen_index(self.e.ajahr);
            self.bmg = self.zre4j - self.zvbezj;
            self.alte = set_scale(self.bmg * tab(&self.jg.tabellen.tab4, self.k), 0, Up);
            self.hbalte = tab(&self.jg.tabellen.tab5, self.k);
            if self.alte > self.hbalte {
                self.alte = self.hbalte;
            }
        }
    }

    /// PAP `MRE4ABZ`: Jahresarbeitslohn nach Abzug der Freibeträge
    /// (§ 39b Absatz 2 Satz 3 und 4 EStG).
    fn mre4abz(&mut self) {
        self.zre4 = set_scale(
            self.zre4j - self.fvb - self.alte - self.jlfreib + self.jlhinzu,
            2,
            Down,
        );
        if self.zre4 < Decimal::ZERO {
            self.zre4 = Decimal::ZERO;
        }
        self.zre4vp = self.zre4j;
        self.zvbez = set_scale(self.zvbezj - self.fvb, 2, Down);
        if self.zvbez < Decimal::ZERO {
            self.zvbez = Decimal::ZERO;
        }
    }

    /// PAP `MBERECH`: Berechnung für laufende Lohnzahlungszeiträume.
    fn mberech(&mut self) {
        self.mztabfb();
        self.vfrb = set_scale((self.anp + (self.fvb + self.fvbz)) * dec!(100), 0, Down);
        self.mlstjahr();
        self.wvfrb = set_scale((self.zve - self.gfb) * dec!(100), 0, Down);
        if self.wvfrb < Decimal::ZERO {
            self.wvfrb = Decimal::ZERO;
        }
        self.lstjahr = set_scale(self.st * self.e.f, 0, Down);
        self.uplstlzz();
        if let Some(upvkvlzz) = self.jg.upvkvlzz {
            upvkvlzz(self);
        }
        if self.e.zkf > Decimal::ZERO {
            self.ztabfb += self.kfb;
            self.mre4abz();
            self.mlstjahr();
            self.jbmg = set_scale(self.st * self.e.f, 0, Down);
        } else {
            self.jbmg = self.lstjahr;
        }
        self.msolz();
    }

    /// PAP `MZTABFB`: feste Tabellenfreibeträge (ohne Vorsorgepauschale).
    fn mztabfb(&mut self) {
        self.anp = Decimal::ZERO;
        if self.zvbez >= Decimal::ZERO && self.zvbez < self.fvbz {
            self.fvbz = long_value(self.zvbez);
        }
        if self.e.stkl < 6 {
            if self.zvbez > Decimal::ZERO {
                if self.zvbez - self.fvbz < self.jg.freibetraege.anp_versorgung {
                    self.anp = set_scale(self.zvbez - self.fvbz, 0, Up);
                } else {
                    self.anp = self.jg.freibetraege.anp_versorgung;
                }
            }
        } else {
            self.fvbz = Decimal::ZERO;
            self.fvbzso = Decimal::ZERO;
        }
        if self.e.stkl < 6 && self.zre4 > self.zvbez {
            if self.zre4 - self.zvbez < self.jg.freibetraege.anp_arbeitnehmer {
                self.anp = set_scale(self.anp + self.zre4 - self.zvbez, 0, Up);
            } else {
                self.anp += self.jg.freibetraege.anp_arbeitnehmer;
            }
        }
        self.kztab = 1;
        let kinder = |freibetrag: Decimal| set_scale(self.e.zkf * freibetrag, 0, Down);
        match self.e.stkl {
            1 => {
                self.sap = self.jg.freibetraege.sap;
                self.kfb = kinder(self.jg.freibetraege.kfb_voll);
            }
            2 => {
                self.efa = self.jg.freibetraege.efa;
                self.sap = self.jg.freibetraege.sap;
                self.kfb = kinder(self.jg.freibetraege.kfb_voll);
            }
            3 => {
                self.kztab = 2;
                self.sap = self.jg.freibetraege.sap;
                self.kfb = kinder(self.jg.freibetraege.kfb_voll);
            }
            4 => {
                self.sap = self.jg.freibetraege.sap;
                self.kfb = kinder(self.jg.freibetraege.kfb_halb);
            }
            5 => {
                self.sap = self.jg.freibetraege.sap;
                self.kfb = Decimal::ZERO;
            }
            _ => {
                self.kfb = Decimal::ZERO;
            }
        }
        self.ztabfb = set_scale(self.efa + self.anp + self.sap + self.fvbz, 2, Down);
    }

    /// PAP `MLSTJAHR`: Ermittlung der Jahreslohnsteuer.
    fn mlstjahr(&mut self) {
        self.upevp();
        self.zve = self.zre4 - self.ztabfb - self.vsp;
        self.upmlst();
    }

    /// PAP `UPLSTLZZ`: Lohnsteuer für den Lohnzahlungszeitraum.
    fn uplstlzz(&mut self) {
        self.jw = self.lstjahr * dec!(100);
        self.upanteil();
        self.lstlzz = self.anteil1;
    }

    /// PAP `UPMLST`: Jahreslohnsteuer aus dem Tarif.
    fn upmlst(&mut self) {
        if self.zve < dec!(1) {
            self.zve = Decimal::ZERO;
            self.x = Decimal::ZERO;
        } else {
            self.x = set_scale(self.zve / Decimal::from(self.kztab), 0, Down);
        }
        if self.e.stkl < 5 {
            self.uptab();
        } else {
            self.mst5_6();
        }
    }

    /// PAP `MST5_6`: Lohnsteuer für die Steuerklassen V und VI
    /// (§ 39b Absatz 2 Satz 7 EStG).
    fn mst5_6(&mut self) {
        self.zzx = self.x;
        if self.zzx > self.w2stkl5 {
            self.zx = self.w2stkl5;
            self.up5_6();
            if self.zzx > self.w3stkl5 {
                self.st = set_scale(
                    self.st + (self.w3stkl5 - self.w2stkl5) * dec!(0.42),
                    0,
                    Down,
                );
                self.st = set_scale(self.st + (self.zzx - self.w3stkl5) * dec!(0.45), 0, Down);
            } else {
                self.st = set_scale(self.st + (self.zzx - self.w2stkl5) * dec!(0.42), 0, Down);
            }
        } else {
            self.zx = self.zzx;
            self.up5_6();
            if self.zzx > self.w1stkl5 {
                self.vergl = self.st;
                self.zx = self.w1stkl5;
                self.up5_6();
                self.hoch = set_scale(self.st + (self.zzx - self.w1stkl5) * dec!(0.42), 0, Down);
                if self.hoch < self.vergl {
                    self.st = self.hoch;
                } else {
                    self.st = self.vergl;
                }
            }
        }
    }

    /// PAP `UP5_6`: Unterprogramm zu MST5_6 (Steuer auf das 1,25- und
    /// 0,75-fache von ZX, Mindeststeuer 14 %).
    fn up5_6(&mut self) {
        let scale = self.jg.up5_6_scale;
        self.x = set_scale(self.zx * dec!(1.25), scale, Down);
        self.uptab();
        self.st1 = self.st;
        self.x = set_scale(self.zx * dec!(0.75), scale, Down);
        self.uptab();
        self.st2 = self.st;
        self.diff = (self.st1 - self.st2) * dec!(2);
        self.mist = set_scale(self.zx * dec!(0.14), 0, Down);
        if self.mist > self.diff {
            self.st = self.mist;
        } else {
            self.st = self.diff;
        }
    }

    /// PAP `MSOLZ`: Solidaritätszuschlag und Bemessungsgrundlage für die
    /// Kirchenlohnsteuer.
    fn msolz(&mut self) {
        self.solzfrei *= Decimal::from(self.kztab);
        if self.jbmg > self.solzfrei {
            self.solzj = set_scale(self.jbmg * dec!(5.5) / dec!(100), 2, Down);
            self.solzmin = set_scale(
                (self.jbmg - self.solzfrei) * dec!(11.9) / dec!(100),
                2,
                Down,
            );
            if self.solzmin < self.solzj {
                self.solzj = self.solzmin;
            }
            self.jw = set_scale(self.solzj * dec!(100), 0, Down);
            self.upanteil();
            self.solzlzz = self.anteil1;
        } else {
            self.solzlzz = Decimal::ZERO;
        }
        if self.e.r > 0 {
            self.jw = self.jbmg * dec!(100);
            self.upanteil();
            self.bk = self.anteil1;
        } else {
            self.bk = Decimal::ZERO;
        }
    }

    /// PAP `UPANTEIL`: Anteil eines Jahresbetrags für den LZZ
    /// (§ 39b Absatz 2 Satz 9 EStG).
    pub fn upanteil(&mut self) {
        self.anteil1 = if self.e.lzz == 1 {
            self.jw
        } else if self.e.lzz == 2 {
            divide(self.jw, dec!(12), 0, Down)
        } else if self.e.lzz == 3 {
            divide(self.jw * dec!(7), dec!(360), 0, Down)
        } else {
            divide(self.jw, dec!(360), 0, Down)
        };
    }

    /// PAP `MSONST`: sonstige Bezüge nach § 39b Absatz 3 Sätze 1 bis 8 EStG.
    fn msonst(&mut self) {
        self.e.lzz = 1;
        if self.e.zmvb == 0 {
            self.e.zmvb = 12;
        }
        if self.e.sonstb == Decimal::ZERO && self.e.mbv == Decimal::ZERO {
            if self.jg.hat_ergebnis(Ergebnis::Vkvsonst) {
                self.vkvsonst = Decimal::ZERO;
            }
            self.lstso = Decimal::ZERO;
            self.sts = Decimal::ZERO;
            self.solzs = Decimal::ZERO;
            self.bks = Decimal::ZERO;
        } else {
            self.mosonst();
            if let Some(upvkv) = self.jg.upvkv {
                upvkv(self);
                self.vkvsonst = self.vkv;
            }
            self.zre4j = set_scale((self.e.jre4 + self.e.sonstb) / dec!(100), 2, Down);
            self.zvbezj = set_scale((self.e.jvbez + self.e.vbs) / dec!(100), 2, Down);
            self.vbezbso = self.e.sterbe;
            self.mre4sonst();
            self.mlstjahr();
            self.wvfrbm = set_scale((self.zve - self.gfb) * dec!(100), 2, Down);
            if self.wvfrbm < Decimal::ZERO {
                self.wvfrbm = Decimal::ZERO;
            }
            if let Some(upvkv) = self.jg.upvkv {
                upvkv(self);
                self.vkvsonst = self.vkv - self.vkvsonst;
            }
            self.lstso = self.st * dec!(100);
            // Negative values are rounded by their amount (ROUND_DOWN cuts
            // digits), as the PAP notes.
            self.sts =
                divide((self.lstso - self.lstoso) * self.e.f, dec!(100), 0, Down) * dec!(100);
            self.stsmin();
        }
    }

    /// PAP `STSMIN`: negative Lohnsteuer auf sonstige Bezüge (aus nicht zu
    /// besteuernden Vorteilen bei Vermögensbeteiligungen) mindert LSTLZZ,
    /// SOLZLZZ und BK bis höchstens 0.
    fn stsmin(&mut self) {
        if self.sts < Decimal::ZERO {
            if self.e.mbv != Decimal::ZERO {
                self.lstlzz += self.sts;
                if self.lstlzz < Decimal::ZERO {
                    self.lstlzz = Decimal::ZERO;
                }
                self.solzlzz =
                    set_scale(self.solzlzz + self.sts * (dec!(5.5) / dec!(100)), 0, Down);
                if self.solzlzz < Decimal::ZERO {
                    self.solzlzz = Decimal::ZERO;
                }
                self.bk += self.sts;
                if self.bk < Decimal::ZERO {
                    self.bk = Decimal::ZERO;
                }
            }
            self.sts = Decimal::ZERO;
            self.solzs = Decimal::ZERO;
        } else {
            self.msolzsts();
        }
        if self.e.r > 0 {
            self.bks = self.sts;
        } else {
            self.bks = Decimal::ZERO;
        }
    }

    /// PAP `MSOLZSTS`: Solidaritätszuschlag auf sonstige Bezüge.
    fn msolzsts(&mut self) {
        if self.e.zkf > Decimal::ZERO {
            self.solzszve = self.zve - self.kfb;
        } else {
            self.solzszve = self.zve;
        }
        if self.solzszve < dec!(1) {
            self.solzszve = Decimal::ZERO;
            self.x = Decimal::ZERO;
        } else {
            self.x = divide(self.solzszve, Decimal::from(self.kztab), 0, Down);
        }
        if self.e.stkl < 5 {
            self.uptab();
        } else {
            self.mst5_6();
        }
        self.solzsbmg = set_scale(self.st * self.e.f, 0, Down);
        if self.solzsbmg > self.solzfrei {
            self.solzs = divide(self.sts * dec!(5.5), dec!(100), 0, Down);
        } else {
            self.solzs = Decimal::ZERO;
        }
    }

    /// PAP `MOSONST`: Sonderberechnung ohne sonstige Bezüge.
    fn mosonst(&mut self) {
        self.zre4j = set_scale(self.e.jre4 / dec!(100), 2, Down);
        self.zvbezj = set_scale(self.e.jvbez / dec!(100), 2, Down);
        self.jlfreib = divide(self.e.jfreib, dec!(100), 2, Down);
        self.jlhinzu = divide(self.e.jhinzu, dec!(100), 2, Down);
        self.mre4();
        self.mre4abz();
        self.zre4vp -= self.e.jre4ent / dec!(100);
        self.mztabfb();
        self.vfrbs1 = set_scale((self.anp + (self.fvb + self.fvbz)) * dec!(100), 2, Down);
        self.mlstjahr();
        self.wvfrbo = set_scale((self.zve - self.gfb) * dec!(100), 2, Down);
        if self.wvfrbo < Decimal::ZERO {
            self.wvfrbo = Decimal::ZERO;
        }
        self.lstoso = self.st * dec!(100);
    }

    /// PAP `MRE4SONST`: Sonderberechnung mit sonstigen Bezügen.
    fn mre4sonst(&mut self) {
        self.mre4();
        self.fvb = self.fvbso;
        self.mre4abz();
        self.zre4vp = self.zre4vp + self.e.mbv / dec!(100)
            - self.e.jre4ent / dec!(100)
            - self.e.sonstent / dec!(100);
        self.fvbz = self.fvbzso;
        self.mztabfb();
        self.vfrbs2 = (self.anp + self.fvb + self.fvbz) * dec!(100) - self.vfrbs1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persos::lohnsteuer::{y2025, y2026};

    #[test]
    fn tabellen_index_follows_the_pap() {
        assert_eq!(tabellen_index(0), 1);
        assert_eq!(tabellen_index(2005), 1);
        assert_eq!(tabellen_index(2006), 2);
        assert_eq!(tabellen_index(2026), 22);
        assert_eq!(tabellen_index(2057), 53);
        assert_eq!(tabellen_index(2058), 54);
    }

    /// UP5_6 rounds X = ZX × 1,25 and ZX × 0,75 to cents in 2025 and to
    /// whole euros in 2026 (the last X it leaves is ZX × 0,75).
    #[test]
    fn up5_6_scale_differs_between_2025_and_2026() {
        for (jg, erwartet) in [
            (&y2025::JAHRGANG, dec!(20772.75)),
            (&y2026::JAHRGANG, dec!(20772)),
        ] {
            let mut pap = Pap::new(jg, &LstEingabe::default());
            pap.mpara();
            pap.kztab = 1;
            pap.zx = dec!(27697);
            pap.up5_6();
            assert_eq!(pap.x, erwartet, "{}", jg.jahr);
        }
    }

    /// MSOLZ doubles the Freigrenze for the Splittingtarif (KZTAB 2), and
    /// the doubled value is what MSOLZSTS compares with later.
    #[test]
    fn msolz_scales_the_freigrenze_with_kztab() {
        let mut pap = Pap::new(&y2026::JAHRGANG, &LstEingabe::default());
        pap.mpara();
        pap.kztab = 2;
        pap.jbmg = dec!(40700);
        pap.msolz();
        assert_eq!(pap.solzfrei, dec!(40700));
        assert_eq!(pap.solzlzz, Decimal::ZERO);
        pap.solzfrei = dec!(20350);
        pap.jbmg = dec!(40701);
        pap.msolz();
        // (40701 − 40700) × 11,9 % = 0,119 → 0,11 € → 11 Cent (LZZ 1).
        assert_eq!(pap.solzlzz, dec!(11));
    }
}
