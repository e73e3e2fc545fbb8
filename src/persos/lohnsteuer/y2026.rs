//! Lohnsteuer2026 (PAP 2026, Stand 2025-10-23): constants (with the
//! coefficients of UPTAB26) and the methods whose text differs from 2025
//! (MPARA, UPEVP with MVSPKVPV and MVSPHB).
//!
//! Changes against 2025: new inputs ALV (Arbeitslosenversicherung) and
//! PKPVAGZ (Arbeitgeberzuschuss zur privaten Kranken-/Pflegeversicherung);
//! PKV has only 0/1; the Mindestvorsorgepauschale (VSP2, VHB) is replaced
//! by a Höchstbetragsberechnung including the Arbeitslosenversicherung;
//! the outputs VKVLZZ/VKVSONST are gone; UP5_6 rounds X to whole euros.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::ausgabe::Ergebnis;
use super::eingabe::Parameter as P;
use super::gemeinsam;
use super::jahrgang::{Freibetraege, Jahrgang, Tarif};
use super::pap::Pap;
use super::runden::Rundung::{Down, Up};
use super::runden::set_scale;

pub(super) const JAHRGANG: Jahrgang = Jahrgang {
    jahr: 2026,
    eingaben: &[
        (P::Af, Some(dec!(1))),
        (P::Ajahr, Some(dec!(0))),
        (P::Alter1, Some(dec!(0))),
        (P::Alv, Some(dec!(0))),
        (P::F, Some(dec!(1.0))),
        (P::Jfreib, Some(dec!(0))),
        (P::Jhinzu, Some(dec!(0))),
        (P::Jre4, Some(dec!(0))),
        (P::Jre4ent, Some(dec!(0))),
        (P::Jvbez, Some(dec!(0))),
        (P::Krv, Some(dec!(0))),
        (P::Kvz, Some(dec!(0))),
        (P::Lzz, Some(dec!(1))),
        (P::Lzzfreib, Some(dec!(0))),
        (P::Lzzhinzu, Some(dec!(0))),
        (P::Mbv, Some(dec!(0))),
        (P::Pkpv, Some(dec!(0))),
        (P::Pkpvagz, Some(dec!(0))),
        (P::Pkv, Some(dec!(0))),
        (P::Pva, Some(dec!(0))),
        (P::Pvs, Some(dec!(0))),
        (P::Pvz, Some(dec!(0))),
        (P::R, None),
        (P::Re4, Some(dec!(0))),
        (P::Sonstb, Some(dec!(0))),
        (P::Sonstent, Some(dec!(0))),
        (P::Sterbe, Some(dec!(0))),
        (P::Stkl, Some(dec!(1))),
        (P::Vbez, Some(dec!(0))),
        (P::Vbezm, Some(dec!(0))),
        (P::Vbezs, Some(dec!(0))),
        (P::Vbs, Some(dec!(0))),
        // The XML misspells the attribute as `defaul="0"`; the intended
        // default is 0, which is also what an absent default means here.
        (P::Vjahr, None),
        (P::Zkf, Some(dec!(0))),
        (P::Zmvb, Some(dec!(0))),
    ],
    ergebnisse: &[
        Ergebnis::Bk,
        Ergebnis::Bks,
        Ergebnis::Lstlzz,
        Ergebnis::Solzlzz,
        Ergebnis::Solzs,
        Ergebnis::Sts,
        Ergebnis::Vfrb,
        Ergebnis::Vfrbs1,
        Ergebnis::Vfrbs2,
        Ergebnis::Wvfrb,
        Ergebnis::Wvfrbo,
        Ergebnis::Wvfrbm,
    ],
    pkv_max: 1,
    mpara,
    tarif: Tarif {
        grenze2: dec!(17800),
        faktor2: dec!(914.51),
        sockel2: dec!(1400),
        grenze3: dec!(69879),
        abzug3: dec!(17799),
        faktor3: dec!(173.1),
        sockel3: dec!(2397),
        summand3: dec!(1034.87),
        grenze4: dec!(277826),
        satz4: dec!(0.42),
        abzug4: dec!(11135.63),
        satz5: dec!(0.45),
        abzug5: dec!(19470.38),
    },
    upevp,
    upvkvlzz: None,
    upvkv: None,
    up5_6_scale: 0,
    freibetraege: Freibetraege {
        kfb_voll: dec!(9756),
        kfb_halb: dec!(4878),
        ..gemeinsam::FREIBETRAEGE
    },
    tabellen: gemeinsam::TABELLEN,
};

/// PAP `MPARA` 2026: Beitragsbemessungsgrenzen, Beitragssätze der
/// Arbeitnehmer, Grenzwerte der Steuerklassen V/VI, Grundfreibetrag,
/// Freigrenze des Solidaritätszuschlags.
fn mpara(p: &mut Pap) {
    p.bbgrvalv = dec!(101400);
    p.avsatzan = dec!(0.013);
    p.rvsatzan = dec!(0.093);
    p.bbgkvpv = dec!(69750);
    p.kvsatzan = p.e.kvz / dec!(2) / dec!(100) + dec!(0.07);
    if p.e.pvs == 1 {
        p.pvsatzan = dec!(0.023);
    } else {
        p.pvsatzan = dec!(0.018);
    }
    gemeinsam::pv_kinder(p);
    p.w1stkl5 = dec!(14071);
    p.w2stkl5 = dec!(34939);
    p.w3stkl5 = dec!(222260);
    p.gfb = dec!(12348);
    p.solzfrei = dec!(20350);
}

/// PAP `UPEVP` 2026: Vorsorgepauschale (§ 39b Absatz 2 Satz 5 Nummer 3
/// EStG) – Teilbetrag Rentenversicherung, then MVSPKVPV and, for employees
/// insured in the Arbeitslosenversicherung outside Steuerklasse VI, MVSPHB.
fn upevp(p: &mut Pap) {
    if p.e.krv == 1 {
        p.vspr = Decimal::ZERO;
    } else {
        if p.zre4vp > p.bbgrvalv {
            p.zre4vpr = p.bbgrvalv;
        } else {
            p.zre4vpr = p.zre4vp;
        }
        p.vspr = set_scale(p.zre4vpr * p.rvsatzan, 2, Down);
    }
    mvspkvpv(p);
    if p.e.alv != 1 && p.e.stkl != 6 {
        mvsphb(p);
    }
}

/// PAP `MVSPKVPV`: Teilbeträge Kranken- und Pflegeversicherung
/// (§ 39b Absatz 2 Satz 5 Nummer 3 Buchstaben b bis d EStG).
fn mvspkvpv(p: &mut Pap) {
    if p.zre4vp > p.bbgkvpv {
        p.zre4vpr = p.bbgkvpv;
    } else {
        p.zre4vpr = p.zre4vp;
    }
    if p.e.pkv > 0 {
        if p.e.stkl == 6 {
            p.vspkvpv = Decimal::ZERO;
        } else {
            p.pkpvagzj = set_scale(p.e.pkpvagz * dec!(12) / dec!(100), 2, Down);
            p.vspkvpv = set_scale(p.e.pkpv * dec!(12) / dec!(100), 2, Down);
            p.vspkvpv -= p.pkpvagzj;
            if p.vspkvpv < Decimal::ZERO {
                p.vspkvpv = Decimal::ZERO;
            }
        }
    } else {
        p.vspkvpv = set_scale(p.zre4vpr * (p.kvsatzan + p.pvsatzan), 2, Down);
    }
    p.vsp = set_scale(p.vspkvpv + p.vspr, 0, Up);
}

/// PAP `MVSPHB`: Höchstbetragsberechnung zur Arbeitslosenversicherung
/// (§ 39b Absatz 2 Satz 5 Nummer 3 Buchstabe e EStG).
fn mvsphb(p: &mut Pap) {
    if p.zre4vp > p.bbgrvalv {
        p.zre4vpr = p.bbgrvalv;
    } else {
        p.zre4vpr = p.zre4vp;
    }
    p.vspalv = set_scale(p.avsatzan * p.zre4vpr, 2, Down);
    p.vsphb = set_scale(p.vspalv + p.vspkvpv, 2, Down);
    if p.vsphb > dec!(1900) {
        p.vsphb = dec!(1900);
    }
    p.vspn = set_scale(p.vspr + p.vsphb, 0, Up);
    if p.vspn > p.vsp {
        p.vsp = p.vspn;
    }
}
