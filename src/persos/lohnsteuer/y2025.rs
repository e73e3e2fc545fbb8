//! Lohnsteuer2025 (PAP 2025, Stand 2025-09-17): constants and the methods
//! whose text differs from 2026 (MPARA, UPTAB25, UPEVP with MVSP, and the
//! 2025-only UPVKVLZZ/UPVKV for the outputs VKVLZZ and VKVSONST).
//!
//! The 2025 Vorsorgepauschale compares the Teilbeträge for Renten-, Kranken-
//! und Pflegeversicherung (VSP1 + VSP3) with a Mindestvorsorgepauschale of
//! 12 % of the wage capped at 1.900 € (3.000 € in Steuerklasse III) and
//! takes the larger. For privately insured employees with an employer's
//! subsidy (PKV = 2) the PAP deducts a fictitious employer share computed
//! from the average rates (KVSATZAG, PVSATZAG).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::ausgabe::Ergebnis;
use super::eingabe::Parameter as P;
use super::jahrgang::Jahrgang;
use super::pap::Pap;
use super::runden::Rundung::{Down, Up};
use super::runden::{divide, set_scale};

pub(super) const JAHRGANG: Jahrgang = Jahrgang {
    jahr: 2025,
    eingaben: &[
        (P::Af, Some(dec!(1))),
        (P::Ajahr, None),
        (P::Alter1, None),
        (P::F, Some(dec!(1.0))),
        (P::Jfreib, None),
        (P::Jhinzu, None),
        (P::Jre4, None),
        (P::Jre4ent, Some(dec!(0))),
        (P::Jvbez, None),
        (P::Krv, None),
        (P::Kvz, None),
        (P::Lzz, None),
        (P::Lzzfreib, None),
        (P::Lzzhinzu, None),
        (P::Mbv, None),
        (P::Pkpv, Some(dec!(0))),
        (P::Pkv, Some(dec!(0))),
        (P::Pva, Some(dec!(0))),
        (P::Pvs, Some(dec!(0))),
        (P::Pvz, Some(dec!(0))),
        (P::R, None),
        (P::Re4, None),
        (P::Sonstb, None),
        (P::Sonstent, Some(dec!(0))),
        (P::Sterbe, None),
        (P::Stkl, None),
        (P::Vbez, None),
        (P::Vbezm, None),
        (P::Vbezs, None),
        (P::Vbs, None),
        (P::Vjahr, None),
        (P::Zkf, None),
        (P::Zmvb, None),
    ],
    ergebnisse: &[
        Ergebnis::Bk,
        Ergebnis::Bks,
        Ergebnis::Lstlzz,
        Ergebnis::Solzlzz,
        Ergebnis::Solzs,
        Ergebnis::Sts,
        Ergebnis::Vkvlzz,
        Ergebnis::Vkvsonst,
        Ergebnis::Vfrb,
        Ergebnis::Vfrbs1,
        Ergebnis::Vfrbs2,
        Ergebnis::Wvfrb,
        Ergebnis::Wvfrbo,
        Ergebnis::Wvfrbm,
    ],
    pkv_max: 2,
    mpara,
    uptab: uptab25,
    upevp,
    upvkvlzz: Some(upvkvlzz),
    upvkv: Some(upvkv),
    up5_6_scale: 2,
    anp_versorgung: dec!(102),
    anp_arbeitnehmer: dec!(1230),
    sap: dec!(36),
    efa: dec!(4260),
    kfb_voll: dec!(9600),
    kfb_halb: dec!(4800),
    tab1: TAB1,
    tab2: TAB2,
    tab3: TAB3,
    tab4: TAB4,
    tab5: TAB5,
};

/// PAP `MPARA` 2025: Beitragsbemessungsgrenzen, Beitragssätze (Arbeitnehmer
/// und, für PKV = 2, Arbeitgeber), Grenzwerte der Steuerklassen V/VI,
/// Grundfreibetrag, Freigrenze des Solidaritätszuschlags.
fn mpara(p: &mut Pap) {
    if p.e.krv < 1 {
        p.bbgrv = dec!(96600);
        p.rvsatzan = dec!(0.093);
    }
    p.bbgkvpv = dec!(66150);
    p.kvsatzan = p.e.kvz / dec!(2) / dec!(100) + dec!(0.07);
    p.kvsatzag = dec!(0.0125) + dec!(0.07);
    if p.e.pvs == 1 {
        p.pvsatzan = dec!(0.023);
        p.pvsatzag = dec!(0.013);
    } else {
        p.pvsatzan = dec!(0.018);
        p.pvsatzag = dec!(0.018);
    }
    if p.e.pvz == 1 {
        p.pvsatzan += dec!(0.006);
    } else {
        p.pvsatzan -= p.e.pva * dec!(0.0025);
    }
    p.w1stkl5 = dec!(13785);
    p.w2stkl5 = dec!(34240);
    p.w3stkl5 = dec!(222260);
    p.gfb = dec!(12096);
    p.solzfrei = dec!(19950);
}

/// PAP `UPTAB25`: tarifliche Einkommensteuer § 32a EStG 2025 for X, times
/// KZTAB (Splitting).
fn uptab25(p: &mut Pap) {
    if p.x < p.gfb + dec!(1) {
        p.st = Decimal::ZERO;
    } else if p.x < dec!(17444) {
        p.y = divide(p.x - p.gfb, dec!(10000), 6, Down);
        p.rw = p.y * dec!(932.30);
        p.rw += dec!(1400);
        p.st = set_scale(p.rw * p.y, 0, Down);
    } else if p.x < dec!(68481) {
        p.y = divide(p.x - dec!(17443), dec!(10000), 6, Down);
        p.rw = p.y * dec!(176.64);
        p.rw += dec!(2397);
        p.rw *= p.y;
        p.st = set_scale(p.rw + dec!(1015.13), 0, Down);
    } else if p.x < dec!(277826) {
        p.st = set_scale(p.x * dec!(0.42) - dec!(10911.92), 0, Down);
    } else {
        p.st = set_scale(p.x * dec!(0.45) - dec!(19246.67), 0, Down);
    }
    p.st *= Decimal::from(p.kztab);
}

/// PAP `UPEVP` 2025: Vorsorgepauschale (§ 39b Absatz 2 Satz 5 Nummer 3 und
/// Absatz 4 EStG). Note that the PAP caps ZRE4VP itself (not a copy) at the
/// Beitragsbemessungsgrenzen, so VSP2 uses the wage capped at BBGRV.
fn upevp(p: &mut Pap) {
    if p.e.krv == 1 {
        p.vsp1 = Decimal::ZERO;
    } else {
        if p.zre4vp > p.bbgrv {
            p.zre4vp = p.bbgrv;
        }
        p.vsp1 = set_scale(p.zre4vp * p.rvsatzan, 2, Down);
    }
    p.vsp2 = set_scale(p.zre4vp * dec!(0.12), 2, Down);
    if p.e.stkl == 3 {
        p.vhb = dec!(3000);
    } else {
        p.vhb = dec!(1900);
    }
    if p.vsp2 > p.vhb {
        p.vsp2 = p.vhb;
    }
    p.vspn = set_scale(p.vsp1 + p.vsp2, 0, Up);
    mvsp(p);
    if p.vspn > p.vsp {
        p.vsp = set_scale(p.vspn, 2, Down);
    }
}

/// PAP `MVSP`: Vergleichsberechnung für die Günstigerprüfung (Teilbeträge
/// Kranken- und Pflegeversicherung, gesetzlich oder privat).
fn mvsp(p: &mut Pap) {
    if p.zre4vp > p.bbgkvpv {
        p.zre4vp = p.bbgkvpv;
    }
    if p.e.pkv > 0 {
        if p.e.stkl == 6 {
            p.vsp3 = Decimal::ZERO;
        } else {
            p.vsp3 = p.e.pkpv * dec!(12) / dec!(100);
            if p.e.pkv == 2 {
                p.vsp3 = set_scale(p.vsp3 - p.zre4vp * (p.kvsatzag + p.pvsatzag), 2, Down);
            }
        }
    } else {
        p.vsp3 = set_scale(p.zre4vp * (p.kvsatzan + p.pvsatzan), 2, Down);
    }
    p.vsp = set_scale(p.vsp3 + p.vsp1, 0, Up);
}

/// PAP `UPVKVLZZ`: berücksichtigte private Kranken-/Pflegeversicherungs-
/// beiträge für den Lohnzahlungszeitraum (output VKVLZZ).
fn upvkvlzz(p: &mut Pap) {
    upvkv(p);
    p.jw = p.vkv;
    p.upanteil();
    p.vkvlzz = p.anteil1;
}

/// PAP `UPVKV`: Jahreswert VKV der berücksichtigten privaten Kranken-/
/// Pflegeversicherungsbeiträge in Cent (the larger of VSP2 and VSP3).
fn upvkv(p: &mut Pap) {
    if p.e.pkv > 0 {
        if p.vsp2 > p.vsp3 {
            p.vkv = p.vsp2 * dec!(100);
        } else {
            p.vkv = p.vsp3 * dec!(100);
        }
    } else {
        p.vkv = Decimal::ZERO;
    }
}

/// TAB1: Prozentsätze des Versorgungsfreibetrags (index J = Versorgungsbeginn − 2004).
const TAB1: [Decimal; 55] = [
    dec!(0),
    dec!(0.4),
    dec!(0.384),
    dec!(0.368),
    dec!(0.352),
    dec!(0.336),
    dec!(0.32),
    dec!(0.304),
    dec!(0.288),
    dec!(0.272),
    dec!(0.256),
    dec!(0.24),
    dec!(0.224),
    dec!(0.208),
    dec!(0.192),
    dec!(0.176),
    dec!(0.16),
    dec!(0.152),
    dec!(0.144),
    dec!(0.14),
    dec!(0.136),
    dec!(0.132),
    dec!(0.128),
    dec!(0.124),
    dec!(0.12),
    dec!(0.116),
    dec!(0.112),
    dec!(0.108),
    dec!(0.104),
    dec!(0.1),
    dec!(0.096),
    dec!(0.092),
    dec!(0.088),
    dec!(0.084),
    dec!(0.08),
    dec!(0.076),
    dec!(0.072),
    dec!(0.068),
    dec!(0.064),
    dec!(0.06),
    dec!(0.056),
    dec!(0.052),
    dec!(0.048),
    dec!(0.044),
    dec!(0.04),
    dec!(0.036),
    dec!(0.032),
    dec!(0.028),
    dec!(0.024),
    dec!(0.02),
    dec!(0.016),
    dec!(0.012),
    dec!(0.008),
    dec!(0.004),
    dec!(0),
];
/// TAB2: Höchstbeträge des Versorgungsfreibetrags in Euro.
const TAB2: [Decimal; 55] = [
    dec!(0),
    dec!(3000),
    dec!(2880),
    dec!(2760),
    dec!(2640),
    dec!(2520),
    dec!(2400),
    dec!(2280),
    dec!(2160),
    dec!(2040),
    dec!(1920),
    dec!(1800),
    dec!(1680),
    dec!(1560),
    dec!(1440),
    dec!(1320),
    dec!(1200),
    dec!(1140),
    dec!(1080),
    dec!(1050),
    dec!(1020),
    dec!(990),
    dec!(960),
    dec!(930),
    dec!(900),
    dec!(870),
    dec!(840),
    dec!(810),
    dec!(780),
    dec!(750),
    dec!(720),
    dec!(690),
    dec!(660),
    dec!(630),
    dec!(600),
    dec!(570),
    dec!(540),
    dec!(510),
    dec!(480),
    dec!(450),
    dec!(420),
    dec!(390),
    dec!(360),
    dec!(330),
    dec!(300),
    dec!(270),
    dec!(240),
    dec!(210),
    dec!(180),
    dec!(150),
    dec!(120),
    dec!(90),
    dec!(60),
    dec!(30),
    dec!(0),
];
/// TAB3: Zuschläge zum Versorgungsfreibetrag in Euro.
const TAB3: [Decimal; 55] = [
    dec!(0),
    dec!(900),
    dec!(864),
    dec!(828),
    dec!(792),
    dec!(756),
    dec!(720),
    dec!(684),
    dec!(648),
    dec!(612),
    dec!(576),
    dec!(540),
    dec!(504),
    dec!(468),
    dec!(432),
    dec!(396),
    dec!(360),
    dec!(342),
    dec!(324),
    dec!(315),
    dec!(306),
    dec!(297),
    dec!(288),
    dec!(279),
    dec!(270),
    dec!(261),
    dec!(252),
    dec!(243),
    dec!(234),
    dec!(225),
    dec!(216),
    dec!(207),
    dec!(198),
    dec!(189),
    dec!(180),
    dec!(171),
    dec!(162),
    dec!(153),
    dec!(144),
    dec!(135),
    dec!(126),
    dec!(117),
    dec!(108),
    dec!(99),
    dec!(90),
    dec!(81),
    dec!(72),
    dec!(63),
    dec!(54),
    dec!(45),
    dec!(36),
    dec!(27),
    dec!(18),
    dec!(9),
    dec!(0),
];
/// TAB4: Prozentsätze des Altersentlastungsbetrags (index K = AJAHR − 2004).
const TAB4: [Decimal; 55] = [
    dec!(0),
    dec!(0.4),
    dec!(0.384),
    dec!(0.368),
    dec!(0.352),
    dec!(0.336),
    dec!(0.32),
    dec!(0.304),
    dec!(0.288),
    dec!(0.272),
    dec!(0.256),
    dec!(0.24),
    dec!(0.224),
    dec!(0.208),
    dec!(0.192),
    dec!(0.176),
    dec!(0.16),
    dec!(0.152),
    dec!(0.144),
    dec!(0.14),
    dec!(0.136),
    dec!(0.132),
    dec!(0.128),
    dec!(0.124),
    dec!(0.12),
    dec!(0.116),
    dec!(0.112),
    dec!(0.108),
    dec!(0.104),
    dec!(0.1),
    dec!(0.096),
    dec!(0.092),
    dec!(0.088),
    dec!(0.084),
    dec!(0.08),
    dec!(0.076),
    dec!(0.072),
    dec!(0.068),
    dec!(0.064),
    dec!(0.06),
    dec!(0.056),
    dec!(0.052),
    dec!(0.048),
    dec!(0.044),
    dec!(0.04),
    dec!(0.036),
    dec!(0.032),
    dec!(0.028),
    dec!(0.024),
    dec!(0.02),
    dec!(0.016),
    dec!(0.012),
    dec!(0.008),
    dec!(0.004),
    dec!(0),
];
/// TAB5: Höchstbeträge des Altersentlastungsbetrags in Euro.
const TAB5: [Decimal; 55] = [
    dec!(0),
    dec!(1900),
    dec!(1824),
    dec!(1748),
    dec!(1672),
    dec!(1596),
    dec!(1520),
    dec!(1444),
    dec!(1368),
    dec!(1292),
    dec!(1216),
    dec!(1140),
    dec!(1064),
    dec!(988),
    dec!(912),
    dec!(836),
    dec!(760),
    dec!(722),
    dec!(684),
    dec!(665),
    dec!(646),
    dec!(627),
    dec!(608),
    dec!(589),
    dec!(570),
    dec!(551),
    dec!(532),
    dec!(513),
    dec!(494),
    dec!(475),
    dec!(456),
    dec!(437),
    dec!(418),
    dec!(399),
    dec!(380),
    dec!(361),
    dec!(342),
    dec!(323),
    dec!(304),
    dec!(285),
    dec!(266),
    dec!(247),
    dec!(228),
    dec!(209),
    dec!(190),
    dec!(171),
    dec!(152),
    dec!(133),
    dec!(114),
    dec!(95),
    dec!(76),
    dec!(57),
    dec!(38),
    dec!(19),
    dec!(0),
];
