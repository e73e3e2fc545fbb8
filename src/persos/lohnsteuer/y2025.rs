//! Lohnsteuer2025 (PAP 2025, Stand 2025-09-17): constants (with the
//! coefficients of UPTAB25) and the methods whose text differs from 2026
//! (MPARA, UPEVP with MVSP, and the 2025-only UPVKVLZZ/UPVKV for the outputs
//! VKVLZZ and VKVSONST).
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
use super::gemeinsam;
use super::jahrgang::{Jahrgang, Tarif};
use super::pap::Pap;
use super::runden::Rundung::{Down, Up};
use super::runden::set_scale;

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
    tarif: Tarif {
        grenze2: dec!(17444),
        faktor2: dec!(932.30),
        sockel2: dec!(1400),
        grenze3: dec!(68481),
        abzug3: dec!(17443),
        faktor3: dec!(176.64),
        sockel3: dec!(2397),
        summand3: dec!(1015.13),
        grenze4: dec!(277826),
        satz4: dec!(0.42),
        abzug4: dec!(10911.92),
        satz5: dec!(0.45),
        abzug5: dec!(19246.67),
    },
    upevp,
    upvkvlzz: Some(upvkvlzz),
    upvkv: Some(upvkv),
    up5_6_scale: 2,
    freibetraege: gemeinsam::FREIBETRAEGE,
    tabellen: gemeinsam::TABELLEN,
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
    gemeinsam::pv_kinder(p);
    p.w1stkl5 = dec!(13785);
    p.w2stkl5 = dec!(34240);
    p.w3stkl5 = dec!(222260);
    p.gfb = dec!(12096);
    p.solzfrei = dec!(19950);
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
