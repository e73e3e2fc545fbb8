//! Tests of the Lohnsteuer PAP 2025/2026 (`kis::persos::lohnsteuer`).
//!
//! Where the expected values come from:
//! - `hand_*` tests: traced by hand through the PAP XML; the comments show
//!   the intermediate values (ZRE4J, VSP, ZTABFB, ZVE, X, Y, RW, ST, ...).
//! - relation tests: derived from a traced value by the PAP's own formulas
//!   (UPANTEIL for the pay periods, ST × f for the Faktorverfahren, VFRB =
//!   (ANP + FVB + FVBZ) × 100 for the Versorgungsfreibetrag, ...).
//! - `tabelle_*` tests: one case per branch of the PAP; their values were
//!   checked during development against an independent execution of the
//!   same PAP XML with Java BigDecimal (all equal, as were more than 100.000
//!   random cases per year). They pin the behaviour of every branch.

use std::io::Cursor;

use kis::persos::lohnsteuer::{
    LstAusgabe, LstEingabe, berechne, csv_run, eingabeparameter, ergebnisparameter, pruefe,
    unterstuetzte_jahre, vorgabe,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Monthly wage, Steuerklasse I, gesetzlich versichert, Zusatzbeitrag 2,5 %.
fn monat() -> LstEingabe {
    LstEingabe {
        lzz: 2,
        kvz: dec!(2.5),
        ..LstEingabe::default()
    }
}

fn lst(jahr: i32, e: LstEingabe) -> LstAusgabe {
    match berechne(jahr, &e) {
        Ok(a) => a,
        Err(fehler) => panic!("{jahr}: {fehler} für {e:?}"),
    }
}

/// All outputs of the year in PAP order, as whole cents.
fn werte(jahr: i32, a: &LstAusgabe) -> Vec<i64> {
    ergebnisparameter(jahr)
        .unwrap()
        .into_iter()
        .map(|e| {
            let w = a.wert(e).unwrap();
            assert!(
                w.fract().is_zero(),
                "{} = {w} ist kein ganzer Cent",
                e.pap_name()
            );
            i64::try_from(w.mantissa() / 10i128.pow(w.scale())).unwrap()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// BMF Prüftabelle 2026 (allgemeine Lohnsteuer, Jahresbeträge in €)
// ---------------------------------------------------------------------------

/// Jahreslohnsteuer of the BMF's test table for the PAP 2026 at 20.000,
/// 50.000 and 100.000 € Jahresarbeitslohn in Steuerklassen I–VI, as quoted
/// in public test suites. The table's assumptions: gesetzlich versichert
/// (KRV 0, PKV 0, ALV 0), Zusatzbeitrag 2,9 %, no church; childless (PVZ 1)
/// except Steuerklasse II, which presupposes a child (PVZ 0). Every figure
/// matches to the euro (the PAP gives cents; the table whole euros).
#[test]
fn bmf_pruefbeispiele_2026() {
    let tabelle: [(i64, [i64; 6]); 3] = [
        (20_000, [380, 0, 0, 380, 2_234, 2_766]),
        (50_000, [6_788, 5_580, 2_810, 6_788, 12_010, 12_542]),
        (100_000, [23_248, 21_634, 15_012, 23_248, 30_157, 30_689]),
    ];
    for (brutto, erwartet) in tabelle {
        for (i, lst_euro) in erwartet.into_iter().enumerate() {
            let stkl = i as i32 + 1;
            let e = LstEingabe {
                lzz: 1,
                re4: Decimal::from(brutto * 100),
                stkl,
                kvz: dec!(2.9),
                pvz: i32::from(stkl != 2),
                zkf: if stkl == 2 { dec!(1) } else { dec!(0) },
                ..LstEingabe::default()
            };
            let a = lst(2026, e);
            assert_eq!(
                a.lstlzz,
                Decimal::from(lst_euro * 100),
                "{brutto} € Steuerklasse {stkl}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Hand-traced cases, PAP 2026
// ---------------------------------------------------------------------------

/// 5.000,00 € a month, STKL I, KVZ 2,9, PVS 0, PVZ 1, R 0, ZKF 0, KRV 0,
/// ALV 0, gesetzlich versichert.
///
/// MPARA: KVSATZAN = 2,9/2/100 + 0,07 = 0,0845; PVSATZAN = 0,018 + 0,006
///   = 0,024; GFB 12348; SOLZFREI 20350.
/// MRE4JL: ZRE4J = 500000 × 12 / 100 = 60000,00; ZVBEZJ = 0.
/// MRE4/MRE4ALTE: FVB = FVBZ = ALTE = 0. MRE4ABZ: ZRE4 = ZRE4VP = 60000,00.
/// MZTABFB: ANP = 1230 (ZRE4 − ZVBEZ ≥ 1230), SAP = 36, KFB = 0,
///   ZTABFB = 1266,00. VFRB = (1230 + 0 + 0) × 100 = 123000.
/// UPEVP: ZRE4VPR = 60000 (≤ BBGRVALV 101400), VSPR = 60000 × 0,093 = 5580,00.
/// MVSPKVPV: ZRE4VPR = 60000 (≤ BBGKVPV 69750),
///   VSPKVPV = 60000 × (0,0845 + 0,024) = 6510,00; VSP = ⌈12090,00⌉ = 12090.
/// MVSPHB: VSPALV = 0,013 × 60000 = 780,00; VSPHB = 7290,00 → capped 1900;
///   VSPN = 5580 + 1900 = 7480 < VSP, VSP stays 12090.
/// ZVE = 60000 − 1266 − 12090 = 46644,00; X = 46644 (KZTAB 1).
/// UPTAB26, zone 17800 ≤ X < 69879: Y = (46644 − 17799)/10000 = 2,884500;
///   RW = 2,8845 × 173,1 = 499,30695; + 2397 = 2896,30695;
///   × Y = 8354,397397275; ST = ⌊8354,397… + 1034,87⌋ = 9389.
/// MBERECH: LSTJAHR = 9389 × f(1) = 9389; UPANTEIL: LSTLZZ = 938900/12 → 78241.
/// WVFRB = (46644 − 12348) × 100 = 3429600.
/// MSOLZ: JBMG 9389 ≤ SOLZFREI 20350 → SOLZLZZ 0; R 0 → BK 0.
/// MSONST: SONSTB = MBV = 0 → STS = SOLZS = BKS = 0.
#[test]
fn hand_2026_monat_5000_stkl1() {
    let e = LstEingabe {
        lzz: 2,
        re4: dec!(500000),
        stkl: 1,
        kvz: dec!(2.9),
        pvs: 0,
        pvz: 1,
        r: 0,
        zkf: dec!(0),
        krv: 0,
        alv: 0,
        ..LstEingabe::default()
    };
    let a = lst(2026, e.clone());
    assert_eq!(a.lstlzz, dec!(78241));
    assert_eq!(a.solzlzz, dec!(0));
    assert_eq!(a.bk, dec!(0));
    assert_eq!(a.vfrb, dec!(123000));
    assert_eq!(a.wvfrb, dec!(3429600));
    assert_eq!(
        werte(2026, &a),
        [0, 0, 78241, 0, 0, 0, 123000, 0, 0, 3429600, 0, 0]
    );
    // With a church (R > 0) BK = JBMG × 100 / 12 = 938900 / 12 → 78241.
    let mit_kirche = lst(2026, LstEingabe { r: 1, ..e });
    assert_eq!(mit_kirche.bk, dec!(78241));
}

/// 72.000 € a year, paid per year, month, week and day; STKL I, KVZ 2,5,
/// PVZ 0: the same ZRE4J = 72000,00 in every pay period
/// (7200000/100, 600000 × 12/100, 140000 × 360/700, 20000 × 360/100).
///
/// KVSATZAN = 0,0825, PVSATZAN = 0,018. VSPR = 72000 × 0,093 = 6696,00.
/// MVSPKVPV: 72000 > BBGKVPV → ZRE4VPR = 69750; VSPKVPV = 69750 × 0,1005
///   = 7009,875 → 7009,87 (ROUND_DOWN); VSP = ⌈13705,87⌉ = 13706.
/// MVSPHB: VSPALV = 936,00 → VSPHB capped 1900; VSPN = 8596 < 13706.
/// ZVE = 72000 − 1266 − 13706 = 57028; Y = 3,9229; RW = 679,05399 + 2397
///   = 3076,05399; × Y = 12067,052…; ST = ⌊13101,92…⌋ = 13101.
/// UPANTEIL of JW = 1310100: Jahr 1310100; Monat /12 = 109175,0 → 109175;
///   Woche × 7/360 = 25474,6 → 25474; Tag /360 = 3639,1 → 3639.
#[test]
fn hand_2026_alle_lohnzahlungszeitraeume() {
    for (lzz, re4, lstlzz) in [
        (1, dec!(7200000), dec!(1310100)),
        (2, dec!(600000), dec!(109175)),
        (3, dec!(140000), dec!(25474)),
        (4, dec!(20000), dec!(3639)),
    ] {
        let a = lst(
            2026,
            LstEingabe {
                lzz,
                re4,
                ..monat()
            },
        );
        assert_eq!(a.lstlzz, lstlzz, "LZZ {lzz}");
        assert_eq!(a.wvfrb, dec!(4468000), "LZZ {lzz}"); // (57028 − 12348) × 100
    }
}

/// UPTAB26 in each of its zones (X below GFB + 1, up to 17799, up to 69878,
/// up to 277825, above), traced with STKL I, LZZ 1 and an RE4 chosen so
/// that ZVE = X: with KRV 1, ALV 1, PKV 1 and PKPV 0 the Vorsorgepauschale
/// is 0, so ZVE = RE4/100 − ANP 1230 − SAP 36.
#[test]
fn hand_2026_tarifzonen() {
    let tarif = |x: i64| {
        let re4 = Decimal::from((x + 1266) * 100);
        let e = LstEingabe {
            lzz: 1,
            re4,
            krv: 1,
            alv: 1,
            pkv: 1,
            ..LstEingabe::default()
        };
        lst(2026, e).lstlzz / dec!(100)
    };
    // X = 12348 < GFB + 1 → ST 0.
    assert_eq!(tarif(12348), dec!(0));
    // X = 12349: Y = 0,0001; RW = 0,0001 × 914,51 + 1400 = 1400,091451;
    // ST = ⌊0,1400091451⌋ = 0.
    assert_eq!(tarif(12349), dec!(0));
    // X = 15000: Y = 0,2652; RW = 242,528052 + 1400 = 1642,528052;
    // ST = ⌊435,598…⌋ = 435.
    assert_eq!(tarif(15000), dec!(435));
    // X = 17799: Y = 0,5451; RW = 498,499401 + 1400 = 1898,499401;
    // ST = ⌊1034,872…⌋ = 1034 (the zones meet).
    assert_eq!(tarif(17799), dec!(1034));
    // X = 17800: Y = 0,0001; RW = (0,01731 + 2397) × 0,0001 = 0,2397017…;
    // ST = ⌊1035,1097…⌋ = 1035.
    assert_eq!(tarif(17800), dec!(1035));
    // X = 46644: ST = 9389 (see hand_2026_monat_5000_stkl1).
    assert_eq!(tarif(46644), dec!(9389));
    // X = 57028: ST = 13101 (see hand_2026_alle_lohnzahlungszeitraeume).
    assert_eq!(tarif(57028), dec!(13101));
    // X = 69879: ST = ⌊29349,18 − 11135,63⌋ = 18213.
    assert_eq!(tarif(69879), dec!(18213));
    // X = 277826: ST = ⌊125021,70 − 19470,38⌋ = 105551.
    assert_eq!(tarif(277826), dec!(105551));
}

/// Soli-Milderungszone: LZZ 1, RE4 100.000,00 €, STKL I, KVZ 2,9, PVZ 0.
/// VSPR = 9300,00; VSPKVPV = 69750 × (0,0845 + 0,018) = 7149,375 → 7149,37;
/// VSP = ⌈16449,37⌉ = 16450 (MVSPHB: VSPN = 9300 + 1900 = 11200 smaller).
/// ZVE = 100000 − 1266 − 16450 = 82284; ST = ⌊82284 × 0,42 − 11135,63⌋
///   = ⌊23423,65⌋ = 23423 → LSTLZZ 2342300.
/// MSOLZ: JBMG 23423 > 20350; SOLZJ = 23423 × 5,5 % = 1288,26;
///   SOLZMIN = (23423 − 20350) × 11,9 % = 365,687 → 365,68 < SOLZJ
///   → SOLZLZZ = 36568.
#[test]
fn hand_2026_soli_milderungszone() {
    let e = LstEingabe {
        lzz: 1,
        re4: dec!(10000000),
        kvz: dec!(2.9),
        ..LstEingabe::default()
    };
    let a = lst(2026, e);
    assert_eq!(a.lstlzz, dec!(2342300));
    assert_eq!(a.solzlzz, dec!(36568));
}

/// Voller Soli: LZZ 1, RE4 200.000,00 €, otherwise as above.
/// ZRE4VP above both BBGs: VSPR = 101400 × 0,093 = 9430,20; VSPKVPV 7149,37;
/// VSP = ⌈16579,57⌉ = 16580. ZVE = 200000 − 1266 − 16580 = 182154;
/// ST = ⌊76504,68 − 11135,63⌋ = 65369. SOLZJ = 3595,29 (5,5 %) is below
/// SOLZMIN = (65369 − 20350) × 11,9 % = 5357,26 → SOLZLZZ 359529.
/// With ZKF 1: KFB = 9756, JBMG = ST(172398) = ⌊72407,16 − 11135,63⌋ = 61271
/// → SOLZLZZ = 336990, BK (R 1) = 6127100, LSTLZZ unchanged.
#[test]
fn hand_2026_soli_voll_und_kinderfreibetrag() {
    let e = LstEingabe {
        lzz: 1,
        re4: dec!(20000000),
        kvz: dec!(2.9),
        r: 1,
        ..LstEingabe::default()
    };
    let ohne = lst(2026, e.clone());
    assert_eq!(ohne.lstlzz, dec!(6536900));
    assert_eq!(ohne.solzlzz, dec!(359529));
    assert_eq!(ohne.bk, dec!(6536900));
    let mit = lst(2026, LstEingabe { zkf: dec!(1), ..e });
    assert_eq!(mit.lstlzz, dec!(6536900));
    assert_eq!(mit.solzlzz, dec!(336990));
    assert_eq!(mit.bk, dec!(6127100));
}

/// Steuerklasse V, 3.000,00 € a month, KVZ 2,9, PVZ 0.
/// ZRE4J = 36000; ZTABFB = 1230 + 36 = 1266; VSPR = 3348,00;
/// VSPKVPV = 36000 × 0,1025 = 3690,00; VSP = 7038. ZVE = 27696 = X.
/// MST5_6: ZZX 27696 ≤ W2STKL5 34939 → ZX = 27696, UP5_6:
///   X = ⌊34620,00⌋ → ST1: Y = 1,6821, RW = 2688,17151 × Y = 4521,773…,
///   ST1 = ⌊5556,64…⌋ = 5556; X = ⌊20772,00⌋ → Y = 0,2973, ST2 = 1762;
///   DIFF = 7588 > MIST = ⌊3877,44⌋ → ST = VERGL = 7588.
/// ZZX > W1STKL5 14071 → ZX = 14071, UP5_6: X = ⌊17588,75⌋ = 17588 (2026
///   rounds to euros) → Y = 0,524, ST1 = ⌊1879,20324 × 0,524⌋ = 984;
///   X = 10553 < GFB → ST2 = 0; DIFF 1968 < MIST ⌊1969,94⌋ = 1969 → ST 1969;
///   HOCH = ⌊1969 + 13625 × 0,42⌋ = 7691 ≥ VERGL → ST = 7588.
/// LSTLZZ = 758800 / 12 → 63233.
#[test]
fn hand_2026_steuerklasse_5() {
    let e = LstEingabe {
        re4: dec!(300000),
        stkl: 5,
        kvz: dec!(2.9),
        ..monat()
    };
    assert_eq!(lst(2026, e).lstlzz, dec!(63233));
}

/// Versorgungsbezug 3.000 € a month since 2020 (J = 16: 16 %, max 1200 €,
/// Zuschlag 360 €), Beamtenpension: KRV 1, ALV 1, privately insured with
/// PKPV 500 €/month, ALTER1 1 with AJAHR 2020.
/// MRE4: VBEZB = 300000 × 12 = 3600000; FVB = 3600000 × 0,16/100 = 5760,00
///   → HFVB 1200; FVBZ = 360. MRE4ALTE: BMG = ZRE4J − ZVBEZJ = 0 → ALTE 0.
/// MRE4ABZ: ZRE4 = 36000 − 1200 = 34800; ZVBEZ = 34800.
/// MZTABFB: ANP = 102 (Versorgung), no ANP 1230 (ZRE4 = ZVBEZ);
///   ZTABFB = 102 + 36 + 360 = 498. VFRB = (102 + 1200 + 360) × 100 = 166200.
/// UPEVP: VSPR = 0 (KRV 1); VSPKVPV = 50000 × 12/100 − 0 = 6000,00;
///   VSP = 6000; no MVSPHB (ALV 1).
/// ZVE = 34800 − 498 − 6000 = 28302; Y = 1,0503; RW = 2578,80693;
///   × Y = 2708,52…; ST = ⌊3743,39…⌋ = 3743 → LSTLZZ 374300/12 → 31191.
/// WVFRB = (28302 − 12348) × 100 = 1595400.
#[test]
fn hand_2026_versorgungsbezug_privat_versichert() {
    let e = LstEingabe {
        re4: dec!(300000),
        vbez: dec!(300000),
        vbezm: dec!(300000),
        vjahr: 2020,
        krv: 1,
        alv: 1,
        pkv: 1,
        pkpv: dec!(50000),
        alter1: 1,
        ajahr: 2020,
        ..monat()
    };
    let a = lst(2026, e);
    assert_eq!(a.lstlzz, dec!(31191));
    assert_eq!(a.vfrb, dec!(166200));
    assert_eq!(a.wvfrb, dec!(1595400));
}

/// Altersentlastungsbetrag: LZZ 1, 30.000 € wage (no Versorgungsbezug),
/// ALTER1 1, AJAHR 2010 (K = 6: 32 %, max 1520 €), KVZ 2,9, PVZ 0.
/// MRE4ALTE: BMG = 30000; ALTE = ⌈9600⌉ → HBALTE 1520. ZRE4 = 28480, but
/// ZRE4VP stays 30000: VSPR = 2790, VSPKVPV = 3075, VSP = 5865.
/// ZVE = 28480 − 1266 − 5865 = 21349; Y = 0,355; RW = 2458,4505;
/// ST = ⌊872,749… + 1034,87⌋ = 1907 → LSTLZZ 190700.
#[test]
fn hand_2026_altersentlastungsbetrag() {
    let e = LstEingabe {
        lzz: 1,
        re4: dec!(3000000),
        kvz: dec!(2.9),
        alter1: 1,
        ajahr: 2010,
        ..LstEingabe::default()
    };
    assert_eq!(lst(2026, e.clone()).lstlzz, dec!(190700));
    // Without ALTER1: ZVE = 30000 − 1266 − 5865 = 22869 → more tax.
    let ohne = lst(
        2026,
        LstEingabe {
            alter1: 0,
            ajahr: 0,
            ..e
        },
    );
    assert!(ohne.lstlzz > dec!(190700));
}

/// Sonstiger Bezug 5.000 € with 4.000 € a month (JRE4 48.000 €), STKL I,
/// KVZ 2,9, PVZ 0, R 1.
/// MOSONST: ZRE4J = 48000; ZTABFB 1266; VFRBS1 = 123000;
///   VSP = ⌈4464 + 4920⌉ = 9384; ZVE = 37350 → ST = 6382; LSTOSO = 638200;
///   WVFRBO = (37350 − 12348) × 100 = 2500200.
/// MSONST: ZRE4J = (4800000 + 500000)/100 = 53000; MRE4SONST: ZTABFB 1266,
///   VFRBS2 = 123000 − 123000 = 0; VSP = ⌈4929 + 5432,50⌉ = 10362;
///   ZVE = 41372 → ST = 7647; LSTSO = 764700; WVFRBM = 2902400.
/// STS = ⌊(764700 − 638200) × 1 / 100⌋ × 100 = 126500.
/// MSOLZSTS: SOLZSBMG = 7647 ≤ SOLZFREI 20350 → SOLZS 0; BKS = STS.
/// Laufender Lohn: LSTJAHR = 6382 → LSTLZZ = BK = 638200/12 → 53183.
#[test]
fn hand_2026_sonstiger_bezug() {
    let e = LstEingabe {
        re4: dec!(400000),
        jre4: dec!(4800000),
        sonstb: dec!(500000),
        kvz: dec!(2.9),
        r: 1,
        ..monat()
    };
    let a = lst(2026, e);
    assert_eq!(
        werte(2026, &a),
        // BK, BKS, LSTLZZ, SOLZLZZ, SOLZS, STS, VFRB, VFRBS1, VFRBS2, WVFRB, WVFRBO, WVFRBM
        [
            53183, 126500, 53183, 0, 0, 126500, 123000, 123000, 0, 2500200, 2500200, 2902400
        ]
    );
}

/// Faktorverfahren: STKL IV, f = 0,9, otherwise the case of
/// `hand_2026_monat_5000_stkl1` (STKL IV without children computes as I):
/// LSTJAHR = ⌊9389 × 0,9⌋ = 8450 → LSTLZZ 845000/12 → 70416.
/// With af = 0 the PAP sets f = 1 → 78241.
#[test]
fn hand_2026_faktorverfahren() {
    let e = LstEingabe {
        lzz: 2,
        re4: dec!(500000),
        stkl: 4,
        kvz: dec!(2.9),
        pvz: 1,
        f: dec!(0.9),
        ..LstEingabe::default()
    };
    assert_eq!(lst(2026, e.clone()).lstlzz, dec!(70416));
    assert_eq!(lst(2026, LstEingabe { af: 0, ..e }).lstlzz, dec!(78241));
}

/// Versorgungsfreibetrag by year of Versorgungsbeginn, read from
/// VFRB = (ANP + FVB + FVBZ) × 100 with a pension of 3.000 €/month:
/// - VJAHR 2004 (J = 1: 40 %, max 3000, Zuschlag 900):
///   FVB = min(14400, 3000) = 3000, FVBZ 900, ANP 102 → 400200.
/// - VJAHR 2026 (J = 22: 12,8 %, max 960, Zuschlag 288):
///   FVB = min(4608, 960) = 960, FVBZ 288 → (102 + 960 + 288) × 100 = 135000.
/// - LZZ 1 with ZMVB 6 months, VJAHR 2026: VBEZB = 300000 × 6;
///   HFVB = ⌈960/12 × 6⌉ = 480, FVBZ = ⌈288/12 × 6⌉ = 144 → 72600.
#[test]
fn hand_2026_versorgungsfreibetrag_nach_jahr() {
    let pension = |vjahr: i32| LstEingabe {
        re4: dec!(300000),
        vbez: dec!(300000),
        vbezm: dec!(300000),
        vjahr,
        krv: 1,
        alv: 1,
        ..monat()
    };
    assert_eq!(lst(2026, pension(2004)).vfrb, dec!(400200));
    assert_eq!(lst(2026, pension(1990)).vfrb, dec!(400200));
    assert_eq!(lst(2026, pension(2026)).vfrb, dec!(135000));
    let halbes_jahr = LstEingabe {
        lzz: 1,
        re4: dec!(1800000),
        vbez: dec!(1800000),
        zmvb: 6,
        ..pension(2026)
    };
    assert_eq!(lst(2026, halbes_jahr).vfrb, dec!(72600));
}

// ---------------------------------------------------------------------------
// Hand-traced cases, PAP 2025
// ---------------------------------------------------------------------------

/// The 2026 reference case under the PAP 2025: 5.000 €/month, STKL I,
/// KVZ 2,9, PVZ 1.
/// UPEVP 2025: VSP1 = 60000 × 0,093 = 5580,00; VSP2 = 7200,00 → VHB 1900;
///   VSPN = 7480. MVSP: VSP3 = 60000 × (0,0845 + 0,024) = 6510,00;
///   VSP = ⌈12090⌉ = 12090 > VSPN. ZVE = 60000 − 1266 − 12090 = 46644.
/// UPTAB25: Y = (46644 − 17443)/10000 = 2,9201; RW = 2,9201 × 176,64
///   = 515,806464; + 2397 = 2912,806464; × Y = 8505,686…;
///   ST = ⌊9520,816…⌋ = 9520 → LSTLZZ = 952000/12 → 79333.
/// UPVKVLZZ: PKV 0 → VKV 0 → VKVLZZ 0.
#[test]
fn hand_2025_monat_5000_stkl1() {
    let e = LstEingabe {
        lzz: 2,
        re4: dec!(500000),
        stkl: 1,
        kvz: dec!(2.9),
        pvz: 1,
        ..LstEingabe::default()
    };
    let a = lst(2025, e);
    assert_eq!(a.lstlzz, dec!(79333));
    assert_eq!(a.vkvlzz, Some(dec!(0)));
    assert_eq!(a.vkvsonst, Some(dec!(0)));
    assert_eq!(a.wvfrb, dec!(3454800)); // (46644 − 12096) × 100
}

/// PAP 2025, privately insured with employer's subsidy (PKV 2), PKPV 600 €.
/// MVSP: VSP3 = 60000 × 12/100 = 7200; minus ZRE4VP × (KVSATZAG 0,0825 +
///   PVSATZAG 0,018) = 6030 → 1170,00; VSP = ⌈1170 + 5580⌉ = 6750.
/// UPEVP: VSPN = ⌈5580 + 1900⌉ = 7480 > 6750 → VSP = 7480
///   (Mindestvorsorgepauschale). ZVE = 60000 − 1266 − 7480 = 51254.
/// UPTAB25: Y = 3,3811; RW = 2994,237504 × Y = 10123,816…;
///   ST = ⌊11138,946…⌋ = 11138 → LSTLZZ 92816.
/// UPVKV: VSP2 1900 > VSP3 1170 → VKV = 190000 → VKVLZZ = 190000/12 → 15833.
#[test]
fn hand_2025_pkv_mit_arbeitgeberzuschuss() {
    let e = LstEingabe {
        lzz: 2,
        re4: dec!(500000),
        kvz: dec!(2.9),
        pvz: 1,
        pkv: 2,
        pkpv: dec!(60000),
        ..LstEingabe::default()
    };
    let a = lst(2025, e);
    assert_eq!(a.lstlzz, dec!(92816));
    assert_eq!(a.vkvlzz, Some(dec!(15833)));
}

// ---------------------------------------------------------------------------
// One case per branch (values cross-checked, see the file comment)
// ---------------------------------------------------------------------------

struct Fall {
    name: &'static str,
    eingabe: LstEingabe,
    erwartet: Vec<i64>,
}

fn pruefe_tabelle(jahr: i32, faelle: Vec<Fall>) {
    for fall in faelle {
        let a = lst(jahr, fall.eingabe);
        assert_eq!(werte(jahr, &a), fall.erwartet, "{jahr} {}", fall.name);
    }
}

/// 2026, 4.000 €/month unless stated, KVZ 2,5. Columns: BK, BKS, LSTLZZ,
/// SOLZLZZ, SOLZS, STS, VFRB, VFRBS1, VFRBS2, WVFRB, WVFRBO, WVFRBM.
#[test]
fn tabelle_2026_steuerklassen_und_zeitraeume() {
    let b = || LstEingabe {
        re4: dec!(400000),
        r: 1,
        ..monat()
    };
    let f = |name, eingabe, erwartet: [i64; 12]| Fall {
        name,
        eingabe,
        erwartet: erwartet.to_vec(),
    };
    pruefe_tabelle(
        2026,
        vec![
            f(
                "I, ZKF 1",
                LstEingabe {
                    stkl: 1,
                    zkf: dec!(1),
                    ..b()
                },
                [29791, 0, 53433, 0, 0, 0, 123000, 0, 0, 2509800, 0, 0],
            ),
            f(
                "II (EFA), ZKF 1",
                LstEingabe {
                    stkl: 2,
                    zkf: dec!(1),
                    ..b()
                },
                [20325, 0, 42766, 0, 0, 0, 123000, 0, 0, 2083800, 0, 0],
            ),
            f(
                "III (Splitting), ZKF 1",
                LstEingabe {
                    stkl: 3,
                    zkf: dec!(1),
                    ..b()
                },
                [3833, 0, 20950, 0, 0, 0, 123000, 0, 0, 2509800, 0, 0],
            ),
            f(
                "IV (halber KFB), ZKF 1",
                LstEingabe {
                    stkl: 4,
                    zkf: dec!(1),
                    ..b()
                },
                [41266, 0, 53433, 0, 0, 0, 123000, 0, 0, 2509800, 0, 0],
            ),
            f(
                "V",
                LstEingabe { stkl: 5, ..b() },
                [95833, 0, 95833, 0, 0, 0, 123000, 0, 0, 2509800, 0, 0],
            ),
            f(
                "VI (kein ANP, SAP)",
                LstEingabe { stkl: 6, ..b() },
                [100266, 0, 100266, 0, 0, 0, 0, 0, 0, 2636400, 0, 0],
            ),
            f(
                "VI über W3STKL5",
                LstEingabe {
                    stkl: 6,
                    lzz: 1,
                    re4: dec!(30000000),
                    ..b()
                },
                [11670600, 0, 11670600, 641883, 0, 0, 0, 0, 0, 27121100, 0, 0],
            ),
            f(
                "V über W2STKL5",
                LstEingabe {
                    stkl: 5,
                    re4: dec!(450000),
                    r: 0,
                    ..b()
                },
                [0, 0, 112775, 0, 0, 0, 123000, 0, 0, 2993700, 0, 0],
            ),
            f(
                "III, ZKF 2, Soli Splitting",
                LstEingabe {
                    stkl: 3,
                    lzz: 1,
                    re4: dec!(40000000),
                    zkf: dec!(2),
                    ..b()
                },
                [
                    13009600, 0, 13829000, 715528, 0, 0, 123000, 0, 0, 36994500, 0, 0,
                ],
            ),
            f(
                "II, Woche, ZKF 0,5",
                LstEingabe {
                    stkl: 2,
                    lzz: 3,
                    re4: dec!(90000),
                    zkf: dec!(0.5),
                    ..b()
                },
                [6545, 0, 9197, 0, 0, 0, 123000, 0, 0, 1945471, 0, 0],
            ),
            f(
                "III, Tag, ZKF 1,5",
                LstEingabe {
                    stkl: 3,
                    lzz: 4,
                    re4: dec!(15000),
                    zkf: dec!(1.5),
                    ..b()
                },
                [125, 0, 1030, 0, 0, 0, 123000, 0, 0, 2993700, 0, 0],
            ),
            f(
                "Faktor 0,873",
                LstEingabe {
                    stkl: 4,
                    zkf: dec!(1),
                    f: dec!(0.873),
                    ..b()
                },
                [36025, 0, 46641, 0, 0, 0, 123000, 0, 0, 2509800, 0, 0],
            ),
            f(
                "Faktor bei af 0",
                LstEingabe {
                    stkl: 4,
                    zkf: dec!(1),
                    f: dec!(0.873),
                    af: 0,
                    ..b()
                },
                [41266, 0, 53433, 0, 0, 0, 123000, 0, 0, 2509800, 0, 0],
            ),
            f(
                "LZZFREIB",
                LstEingabe {
                    r: 0,
                    lzzfreib: dec!(50000),
                    ..b()
                },
                [0, 0, 38566, 0, 0, 0, 123000, 0, 0, 1909800, 0, 0],
            ),
            f(
                "LZZHINZU in VI",
                LstEingabe {
                    r: 0,
                    stkl: 6,
                    lzzhinzu: dec!(80000),
                    ..b()
                },
                [0, 0, 133866, 0, 0, 0, 0, 0, 0, 3596400, 0, 0],
            ),
        ],
    );
}

/// 2026 Vorsorgepauschale variants, 4.000 €/month, STKL I, R 0.
#[test]
fn tabelle_2026_vorsorgepauschale() {
    let b = || LstEingabe {
        re4: dec!(400000),
        ..monat()
    };
    let f = |name, eingabe, lstlzz: i64, wvfrb: i64| Fall {
        name,
        eingabe,
        erwartet: vec![0, 0, lstlzz, 0, 0, 0, 123000, 0, 0, wvfrb, 0, 0],
    };
    pruefe_tabelle(
        2026,
        vec![
            f("PVS Sachsen", LstEingabe { pvs: 1, ..b() }, 52816, 2485800),
            f(
                "PVZ Kinderlosenzuschlag",
                LstEingabe { pvz: 1, ..b() },
                52691,
                2481000,
            ),
            f(
                "PVA 3 Abschläge",
                LstEingabe {
                    pva: dec!(3),
                    ..b()
                },
                54358,
                2545800,
            ),
            f("KRV 1", LstEingabe { krv: 1, ..b() }, 65166, 2956200),
            // ALV 1 drops MVSPHB; at 4.000 € VSPHB is capped anyway.
            f(
                "KRV 1, ALV 1",
                LstEingabe {
                    krv: 1,
                    alv: 1,
                    ..b()
                },
                65166,
                2956200,
            ),
            f(
                "PKV mit Zuschuss",
                LstEingabe {
                    kvz: dec!(0),
                    pkv: 1,
                    pkpv: dec!(60000),
                    pkpvagz: dec!(25000),
                    ..b()
                },
                55041,
                2572200,
            ),
            f(
                "PKV Zuschuss > Beitrag",
                LstEingabe {
                    kvz: dec!(0),
                    pkv: 1,
                    pkpv: dec!(30000),
                    pkpvagz: dec!(40000),
                    ..b()
                },
                64458,
                2929800,
            ),
        ],
    );
    // PKV in Steuerklasse VI: VSPKVPV = 0 and no ANP/SAP.
    let vi = lst(
        2026,
        LstEingabe {
            stkl: 6,
            kvz: dec!(0),
            pkv: 1,
            pkpv: dec!(60000),
            pkpvagz: dec!(25000),
            ..b()
        },
    );
    assert_eq!(vi.lstlzz, dec!(117150));
    // Below the Grundfreibetrag: MVSPHB matters (ALV 0) but the tax is 0 anyway.
    for alv in [0, 1] {
        let klein = lst(
            2026,
            LstEingabe {
                re4: dec!(100000),
                krv: 1,
                alv,
                ..monat()
            },
        );
        assert_eq!(klein.lstlzz, dec!(0));
    }
}

/// 2026 sonstige Bezüge, Vermögensbeteiligungen, Entschädigungen,
/// Versorgungsbezüge und Sterbegeld.
#[test]
fn tabelle_2026_sonstige_bezuege_und_versorgung() {
    let b = || LstEingabe {
        re4: dec!(400000),
        r: 1,
        ..monat()
    };
    let f = |name, eingabe, erwartet: [i64; 12]| Fall {
        name,
        eingabe,
        erwartet: erwartet.to_vec(),
    };
    let pension = || LstEingabe {
        re4: dec!(300000),
        vbez: dec!(300000),
        vbezm: dec!(300000),
        vjahr: 2015,
        krv: 1,
        alv: 1,
        r: 0,
        ..monat()
    };
    pruefe_tabelle(
        2026,
        vec![
            f(
                "III, ZKF 2, sonstiger Bezug",
                LstEingabe {
                    stkl: 3,
                    re4: dec!(600000),
                    zkf: dec!(2),
                    jre4: dec!(7200000),
                    sonstb: dec!(4000000),
                    ..b()
                },
                [
                    21100, 1151800, 63350, 0, 0, 1151800, 123000, 123000, 0, 4468000, 4468000,
                    8194500,
                ],
            ),
            f(
                "SOLZS über Freigrenze",
                LstEingabe {
                    re4: dec!(900000),
                    jre4: dec!(10800000),
                    sonstb: dec!(5000000),
                    ..b()
                },
                [
                    223225, 2100000, 223225, 6383, 115500, 2100000, 123000, 123000, 0, 7794500,
                    7794500, 12794500,
                ],
            ),
            f(
                "sonstiger Bezug mit Faktor",
                LstEingabe {
                    stkl: 4,
                    f: dec!(0.8),
                    jre4: dec!(4800000),
                    sonstb: dec!(1000000),
                    ..b()
                },
                [
                    42741, 207500, 42741, 0, 0, 207500, 123000, 123000, 0, 2509800, 2509800,
                    3316300,
                ],
            ),
            f(
                "JFREIB und JHINZU",
                LstEingabe {
                    jre4: dec!(4800000),
                    sonstb: dec!(1000000),
                    jfreib: dec!(300000),
                    jhinzu: dec!(100000),
                    ..b()
                },
                [
                    53433, 253900, 53433, 0, 0, 253900, 123000, 123000, 0, 2509800, 2309800,
                    3116300,
                ],
            ),
            f(
                "Entschädigungen SONSTENT/JRE4ENT",
                LstEingabe {
                    jre4: dec!(4800000),
                    sonstb: dec!(3000000),
                    sonstent: dec!(2000000),
                    jre4ent: dec!(500000),
                    ..b()
                },
                [
                    53433, 1009400, 53433, 0, 0, 1009400, 123000, 123000, 0, 2509800, 2606500,
                    5413000,
                ],
            ),
            // MBV without SONSTB: negative STS reduces LSTLZZ and BK (STSMIN).
            f(
                "MBV mindert LSTLZZ",
                LstEingabe {
                    jre4: dec!(4800000),
                    mbv: dec!(300000),
                    ..b()
                },
                [
                    35633, 0, 35633, 0, 0, 0, 123000, 123000, 0, 2509800, 2509800, 2451700,
                ],
            ),
            f(
                "MBV mindert bis 0",
                LstEingabe {
                    re4: dec!(60000),
                    jre4: dec!(720000),
                    mbv: dec!(5000000),
                    ..b()
                },
                [0, 0, 0, 0, 0, 0, 123000, 123000, 0, 0, 0, 0],
            ),
            f(
                "Versorgung ab 2004",
                LstEingabe {
                    vjahr: 2004,
                    ..pension()
                },
                [0, 0, 31283, 0, 0, 0, 400200, 0, 0, 1599600, 0, 0],
            ),
            f(
                "Versorgung klein (ANP < 102)",
                LstEingabe {
                    re4: dec!(20000),
                    vbez: dec!(20000),
                    vbezm: dec!(20000),
                    ..pension()
                },
                [0, 0, 0, 0, 0, 0, 121800, 0, 0, 0, 0, 0],
            ),
            f(
                "Versorgung in VI",
                LstEingabe {
                    stkl: 6,
                    ..pension()
                },
                [0, 0, 72366, 0, 0, 0, 180000, 0, 0, 1823400, 0, 0],
            ),
            f(
                "Sterbegeld im sonstigen Bezug",
                LstEingabe {
                    r: 1,
                    jre4: dec!(3600000),
                    jvbez: dec!(3600000),
                    sonstb: dec!(800000),
                    vbs: dec!(800000),
                    sterbe: dec!(500000),
                    ..pension()
                },
                [
                    34916, 211600, 34916, 0, 0, 211600, 244200, 244200, 0, 1755600, 1755600,
                    2475200,
                ],
            ),
            f(
                "Altersentlastung neben Versorgung",
                LstEingabe {
                    vbez: dec!(150000),
                    vbezm: dec!(150000),
                    vjahr: 2018,
                    alter1: 1,
                    ajahr: 2018,
                    r: 0,
                    ..b()
                },
                [0, 0, 46150, 0, 0, 0, 320400, 0, 0, 2221200, 0, 0],
            ),
        ],
    );
}

/// 2025 branches: Mindestvorsorgepauschale (VHB 3000 in STKL III), PKV 1/2,
/// VKVLZZ/VKVSONST, STKL V/VI (UP5_6 rounds X to cents in 2025),
/// Versorgung. Columns: BK, BKS, LSTLZZ, SOLZLZZ, SOLZS, STS, VKVLZZ,
/// VKVSONST, VFRB, VFRBS1, VFRBS2, WVFRB, WVFRBO, WVFRBM.
#[test]
fn tabelle_2025() {
    let b = || LstEingabe {
        lzz: 2,
        re4: dec!(500000),
        kvz: dec!(2.9),
        pvz: 1,
        ..LstEingabe::default()
    };
    let f = |name, eingabe, erwartet: [i64; 14]| Fall {
        name,
        eingabe,
        erwartet: erwartet.to_vec(),
    };
    pruefe_tabelle(
        2025,
        vec![
            f(
                "PKV 1",
                LstEingabe {
                    kvz: dec!(0),
                    pvz: 0,
                    pkv: 1,
                    pkpv: dec!(60000),
                    ..b()
                },
                [0, 0, 77375, 0, 0, 0, 60000, 0, 123000, 0, 0, 3385800, 0, 0],
            ),
            f(
                "PKV 2 mit sonstigem Bezug, PVS",
                LstEingabe {
                    kvz: dec!(0),
                    pvz: 0,
                    pvs: 1,
                    r: 1,
                    pkv: 2,
                    pkpv: dec!(60000),
                    jre4: dec!(6000000),
                    sonstb: dec!(2000000),
                    ..b()
                },
                [
                    92816, 709500, 92816, 0, 0, 709500, 15833, 0, 123000, 123000, 0, 3915800,
                    3915800, 5729800,
                ],
            ),
            f(
                "III, VHB 3000",
                LstEingabe {
                    re4: dec!(300000),
                    stkl: 3,
                    kvz: dec!(2.5),
                    pvz: 0,
                    zkf: dec!(1),
                    r: 1,
                    ..b()
                },
                [0, 0, 4666, 0, 0, 0, 0, 0, 123000, 0, 0, 1567200, 0, 0],
            ),
            f(
                "V",
                LstEingabe {
                    re4: dec!(300000),
                    stkl: 5,
                    kvz: dec!(2.5),
                    pvz: 0,
                    r: 1,
                    ..b()
                },
                [63900, 0, 63900, 0, 0, 0, 0, 0, 123000, 0, 0, 1567200, 0, 0],
            ),
            f(
                "VI, X mit Cent",
                LstEingabe {
                    re4: dec!(230833),
                    stkl: 6,
                    kvz: dec!(2.5),
                    pvz: 0,
                    r: 1,
                    ..b()
                },
                [46008, 0, 46008, 0, 0, 0, 0, 0, 0, 0, 0, 1024396, 0, 0],
            ),
            f(
                "VI hoch",
                LstEingabe {
                    lzz: 1,
                    re4: dec!(30000000),
                    stkl: 6,
                    kvz: dec!(2.5),
                    pvz: 0,
                    r: 1,
                    ..b()
                },
                [
                    11715400, 0, 11715400, 644347, 0, 0, 0, 0, 0, 0, 0, 27227200, 0, 0,
                ],
            ),
            f(
                "KRV 1",
                LstEingabe {
                    re4: dec!(400000),
                    kvz: dec!(2.5),
                    pvz: 0,
                    krv: 1,
                    ..b()
                },
                [0, 0, 66141, 0, 0, 0, 0, 0, 123000, 0, 0, 2981400, 0, 0],
            ),
            f(
                "Versorgung Jahr",
                LstEingabe {
                    lzz: 1,
                    re4: dec!(3600000),
                    vbez: dec!(3600000),
                    vbezm: dec!(300000),
                    vjahr: 2025,
                    zmvb: 12,
                    krv: 1,
                    kvz: dec!(2.5),
                    pvz: 0,
                    r: 1,
                    ..b()
                },
                [
                    457700, 0, 457700, 0, 0, 0, 0, 0, 138900, 0, 0, 1886100, 0, 0,
                ],
            ),
            f(
                "Versorgung, Sterbegeld, Altersentlastung",
                LstEingabe {
                    re4: dec!(300000),
                    vbez: dec!(300000),
                    vbezm: dec!(300000),
                    vjahr: 2015,
                    krv: 1,
                    kvz: dec!(2.5),
                    pvz: 0,
                    r: 1,
                    jre4: dec!(3600000),
                    jvbez: dec!(3600000),
                    sonstb: dec!(800000),
                    vbs: dec!(800000),
                    sterbe: dec!(500000),
                    alter1: 1,
                    ajahr: 2015,
                    ..b()
                },
                [
                    35633, 213300, 35633, 0, 0, 213300, 0, 0, 244200, 244200, 0, 1780800, 1780800,
                    2500400,
                ],
            ),
        ],
    );
}

// ---------------------------------------------------------------------------
// Years, defaults, parameter lists
// ---------------------------------------------------------------------------

#[test]
fn unsupported_years_are_refused_in_german() {
    assert_eq!(unterstuetzte_jahre(), [2025, 2026]);
    for jahr in [2024, 2027] {
        let fehler = berechne(jahr, &monat()).unwrap_err().to_string();
        assert!(
            fehler.contains(&format!("Für das Jahr {jahr} ist kein Programmablaufplan")),
            "{fehler}"
        );
        assert!(fehler.contains("2025, 2026"), "{fehler}");
        assert!(csv_run(jahr, Cursor::new("RE4\n1"), Vec::new()).is_err());
        assert_eq!(pruefe(jahr, &monat()).len(), 1);
    }
}

#[test]
fn defaults_follow_the_xml() {
    // 2026 gives defaults for every input (af 1, f 1,0, LZZ 1, STKL 1).
    assert_eq!(vorgabe(2026).unwrap(), LstEingabe::default());
    // 2025 gives none for LZZ and STKL: they default to 0 (and are then
    // required in the CSV).
    let v25 = vorgabe(2025).unwrap();
    assert_eq!((v25.lzz, v25.stkl, v25.af, v25.f), (0, 0, 1, dec!(1)));
}

#[test]
fn parameter_lists_per_year() {
    let namen = |jahr| -> Vec<&str> {
        eingabeparameter(jahr)
            .unwrap()
            .iter()
            .map(|(p, _)| p.pap_name())
            .collect()
    };
    let n26 = namen(2026);
    let n25 = namen(2025);
    assert_eq!(n26.len(), 35);
    assert_eq!(n25.len(), 33);
    assert!(n26.contains(&"ALV") && n26.contains(&"PKPVAGZ"));
    assert!(!n25.contains(&"ALV") && !n25.contains(&"PKPVAGZ"));
    assert_eq!(&n26[..5], ["af", "AJAHR", "ALTER1", "ALV", "f"]);
    let aus = |jahr| -> Vec<&str> {
        ergebnisparameter(jahr)
            .unwrap()
            .iter()
            .map(|e| e.pap_name())
            .collect()
    };
    assert_eq!(
        aus(2026),
        [
            "BK", "BKS", "LSTLZZ", "SOLZLZZ", "SOLZS", "STS", "VFRB", "VFRBS1", "VFRBS2", "WVFRB",
            "WVFRBO", "WVFRBM"
        ]
    );
    assert_eq!(aus(2025)[6..8], ["VKVLZZ", "VKVSONST"]);
    assert_eq!(lst(2026, monat()).vkvlzz, None);
}

// ---------------------------------------------------------------------------
// Input checks
// ---------------------------------------------------------------------------

fn meldungen(jahr: i32, e: LstEingabe) -> Vec<String> {
    pruefe(jahr, &e).iter().map(|f| f.to_string()).collect()
}

#[test]
fn checks_codes_and_ranges() {
    let m = |e| meldungen(2026, e);
    assert_eq!(
        m(LstEingabe { stkl: 7, ..monat() }),
        ["STKL muss 1 bis 6 sein, gefunden: 7"]
    );
    assert_eq!(
        m(LstEingabe { lzz: 5, ..monat() }),
        ["LZZ muss 1 bis 4 sein, gefunden: 5"]
    );
    assert_eq!(
        m(LstEingabe { krv: 2, ..monat() }),
        ["KRV muss 0 oder 1 sein, gefunden: 2"]
    );
    assert_eq!(
        m(LstEingabe { pkv: 2, ..monat() }),
        ["PKV muss 0 oder 1 sein, gefunden: 2"]
    );
    assert!(meldungen(2025, LstEingabe { pkv: 2, ..monat() }).is_empty());
    assert_eq!(
        meldungen(2025, LstEingabe { alv: 1, ..monat() }),
        ["ALV gibt es im Programmablaufplan 2025 nicht; der Wert muss 0 sein, gefunden: 1",]
    );
    assert_eq!(m(LstEingabe { r: -1, ..monat() }).len(), 1);
    assert_eq!(
        m(LstEingabe {
            re4: dec!(-1),
            ..monat()
        }),
        ["RE4 darf nicht negativ sein, gefunden: -1"]
    );
    assert_eq!(
        m(LstEingabe {
            re4: dec!(100.5),
            ..monat()
        }),
        ["RE4 ist in ganzen Cent anzugeben, gefunden: 100,5"]
    );
    assert_eq!(
        m(LstEingabe {
            re4: dec!(1000000000000),
            ..monat()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            pva: dec!(5),
            ..monat()
        }),
        ["PVA muss 0 bis 4 sein, gefunden: 5"]
    );
    assert_eq!(
        m(LstEingabe {
            pva: dec!(1),
            pvz: 1,
            ..monat()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            kvz: dec!(2.905),
            ..monat()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            kvz: dec!(290),
            ..monat()
        })
        .len(),
        1
    );
}

#[test]
fn checks_factor_and_children() {
    let m = |e| meldungen(2026, e);
    assert_eq!(
        m(LstEingabe {
            stkl: 4,
            f: dec!(0),
            ..monat()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            stkl: 4,
            f: dec!(1.2),
            ..monat()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            stkl: 4,
            f: dec!(0.9125),
            ..monat()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            stkl: 1,
            f: dec!(0.9),
            ..monat()
        })
        .len(),
        1
    );
    assert!(
        m(LstEingabe {
            stkl: 1,
            f: dec!(0.9),
            af: 0,
            ..monat()
        })
        .is_empty()
    );
    assert!(
        m(LstEingabe {
            stkl: 4,
            f: dec!(0.912),
            ..monat()
        })
        .is_empty()
    );
    assert_eq!(
        m(LstEingabe {
            zkf: dec!(0.3),
            ..monat()
        }),
        ["ZKF muss 0 bis 99,5 in Schritten von 0,5 sein, gefunden: 0,3"]
    );
    assert_eq!(
        m(LstEingabe {
            zkf: dec!(1),
            stkl: 5,
            ..monat()
        })
        .len(),
        1
    );
    assert!(
        m(LstEingabe {
            zkf: dec!(2.5),
            stkl: 2,
            ..monat()
        })
        .is_empty()
    );
}

#[test]
fn checks_versorgung_and_age_data() {
    let m = |e| meldungen(2026, e);
    let pension = LstEingabe {
        re4: dec!(300000),
        vbez: dec!(300000),
        vbezm: dec!(300000),
        vjahr: 2015,
        ..monat()
    };
    assert!(m(pension.clone()).is_empty());
    assert_eq!(
        m(LstEingabe {
            vjahr: 0,
            ..pension.clone()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            vjahr: 2027,
            ..pension.clone()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            vbez: dec!(300001),
            ..pension.clone()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            lzz: 1,
            ..pension.clone()
        })
        .len(),
        1,
        "ZMVB fehlt"
    );
    assert!(
        m(LstEingabe {
            lzz: 1,
            zmvb: 12,
            ..pension
        })
        .is_empty()
    );
    assert_eq!(
        m(LstEingabe {
            alter1: 1,
            ..monat()
        })
        .len(),
        1,
        "AJAHR fehlt"
    );
    assert!(
        m(LstEingabe {
            alter1: 1,
            ajahr: 2026,
            ..monat()
        })
        .is_empty()
    );
    assert_eq!(
        m(LstEingabe {
            sonstb: dec!(100),
            vbs: dec!(200),
            vjahr: 2015,
            ..monat()
        })
        .len(),
        1
    );
    assert_eq!(
        m(LstEingabe {
            sonstb: dec!(300),
            vbs: dec!(100),
            sterbe: dec!(200),
            vjahr: 2015,
            ..monat()
        })
        .len(),
        1
    );
    // berechne refuses with the first problem.
    let fehler = berechne(2026, &LstEingabe { stkl: 0, ..monat() }).unwrap_err();
    assert_eq!(fehler.field_key(), Some("STKL"));
}

// ---------------------------------------------------------------------------
// CSV interface
// ---------------------------------------------------------------------------

fn csv(jahr: i32, text: &str) -> Result<(String, usize), String> {
    let mut out = Vec::new();
    match csv_run(jahr, Cursor::new(text.to_string()), &mut out) {
        Ok(summary) => Ok((String::from_utf8(out).unwrap(), summary.zeilen)),
        Err(e) => {
            assert!(out.is_empty(), "bei Fehlern wird nichts geschrieben");
            Err(e.to_string())
        }
    }
}

#[test]
fn csv_computes_rows_with_defaults_for_absent_columns() {
    let (out, zeilen) = csv(
        2026,
        "LZZ;RE4;STKL;KVZ;PVZ\n2;500000;1;2,9;1\n1;10000000;1;2.9;0\n",
    )
    .unwrap();
    assert_eq!(zeilen, 2);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "LZZ;RE4;STKL;KVZ;PVZ;BK;BKS;LSTLZZ;SOLZLZZ;SOLZS;STS;VFRB;VFRBS1;VFRBS2;WVFRB;WVFRBO;WVFRBM"
    );
    assert_eq!(
        lines[1],
        "2;500000;1;2,9;1;0;0;78241;0;0;0;123000;0;0;3429600;0;0"
    );
    assert_eq!(
        lines[2],
        "1;10000000;1;2.9;0;0;0;2342300;36568;0;0;123000;0;0;6993600;0;0"
    );
    assert_eq!(lines.len(), 3);
}

#[test]
fn csv_accepts_comma_delimiter_bom_and_empty_cells() {
    let (out, _) = csv(2026, "\u{feff}LZZ,RE4,KVZ,PVZ,R\n2,500000,2.9,1,\n").unwrap();
    assert_eq!(
        out.lines().nth(1),
        Some("2;500000;2.9;1;;0;0;78241;0;0;0;123000;0;0;3429600;0;0")
    );
}

#[test]
fn csv_2025_has_its_own_columns() {
    let (out, _) = csv(
        2025,
        "LZZ;STKL;RE4;KVZ;PVZ;PKV;PKPV\n2;1;500000;2,9;1;2;60000\n",
    )
    .unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].ends_with(";STS;VKVLZZ;VKVSONST;VFRB;VFRBS1;VFRBS2;WVFRB;WVFRBO;WVFRBM"));
    assert!(lines[1].starts_with("2;1;500000;2,9;1;2;60000;0;0;92816;0;0;0;15833;0;"));
    // LZZ and STKL have no default in the PAP 2025: the columns are required.
    let fehler = csv(2025, "RE4\n500000\n").unwrap_err();
    assert!(fehler.contains("Zeile 1: Spalte „LZZ“ fehlt"), "{fehler}");
    assert!(fehler.contains("Zeile 1: Spalte „STKL“ fehlt"), "{fehler}");
    let fehler = csv(2025, "LZZ;STKL;ALV\n2;1;0\n").unwrap_err();
    assert!(
        fehler.contains("Spalte „ALV“ gibt es im Programmablaufplan 2025 nicht (nur 2026)"),
        "{fehler}"
    );
}

#[test]
fn csv_reports_every_bad_row_with_its_line_and_writes_nothing() {
    let text = "LZZ;RE4;STKL\n2;500000;1\n2;500000;7\n5;500000;1\n2;5000,00;1\n2;1\n";
    let fehler = csv(2026, text).unwrap_err();
    let zeilen: Vec<&str> = fehler.lines().collect();
    assert_eq!(
        zeilen[0],
        "Die Eingabedatei enthält Fehler; es wurde nichts geschrieben."
    );
    assert_eq!(zeilen[1], "Zeile 3: STKL muss 1 bis 6 sein, gefunden: 7");
    assert_eq!(zeilen[2], "Zeile 4: LZZ muss 1 bis 4 sein, gefunden: 5");
    assert!(
        zeilen[3].starts_with("Zeile 5: RE4 ist ein Betrag in ganzen Cent"),
        "{}",
        zeilen[3]
    );
    assert_eq!(
        zeilen[4],
        "Zeile 6: Die Zeile hat 2 Werte, die Kopfzeile 3 Spalten."
    );
    assert_eq!(zeilen.len(), 5);
}

#[test]
fn csv_header_names_must_be_exact() {
    let fehler = csv(2026, "lzz;RE4;RE4;FOO;\n2;1;1;1;1\n").unwrap_err();
    assert!(fehler.contains("Spalte „lzz“: Parameternamen sind genau wie im Programmablaufplan zu schreiben, gemeint ist wohl „LZZ“."), "{fehler}");
    assert!(
        fehler.contains("Spalte „RE4“ kommt mehrfach vor."),
        "{fehler}"
    );
    assert!(
        fehler.contains("Spalte „FOO“ ist kein Eingabeparameter des Programmablaufplans 2026."),
        "{fehler}"
    );
    assert!(fehler.contains("Spalte 5 hat keinen Namen."), "{fehler}");
    assert!(csv(2026, "").unwrap_err().contains("leer"));
    // A header alone is a valid (empty) run.
    assert_eq!(csv(2026, "RE4\n").unwrap().1, 0);
}

#[test]
fn csv_parses_numbers_strictly() {
    let fehler = csv(2026, "STKL;ZKF;f;KVZ\n1,5;x;0,9;2\n").unwrap_err();
    assert!(
        fehler.contains("Zeile 2: STKL muss eine ganze Zahl sein, gefunden: „1,5“"),
        "{fehler}"
    );
    assert!(
        fehler.contains("Zeile 2: ZKF muss eine Dezimalzahl sein"),
        "{fehler}"
    );
    let (out, _) = csv(
        2026,
        "STKL;ZKF;f;LZZ;RE4;KVZ;PVZ\n4;0,5;0,9;2;500000;2,9;1\n",
    )
    .unwrap();
    assert!(out.lines().nth(1).unwrap().contains(";70416;"), "{out}");
}
