//! Rechengrößen and contribution rates of the social insurance for 2026.
//!
//! Sources: Sozialversicherungsrechengrößen-Verordnung 2026 (BBG KV/PV
//! 69.750 €/year, BBG RV/AV 101.400 €/year); § 241 SGB V (14,6 %), the
//! average Zusatzbeitrag 2026 of 2,9 % (Bekanntmachung BMG); § 158 SGB VI
//! (18,6 %); § 341 SGB III (2,6 %); § 55 SGB XI (3,6 %, Zuschlag 0,6 for the
//! childless, Abschlag 0,25 per child from the 2nd to the 5th); § 58 Abs. 3
//! SGB XI (Sachsen: the employer bears 0,5 points less); § 8 Abs. 1a SGB IV
//! (Geringfügigkeitsgrenze from the Mindestlohn 13,90 € × 130 / 3 = 603 €);
//! § 20 Abs. 2/2a SGB IV (Übergangsbereich up to 2.000 €, factor
//! F = 28 / 42,3 = 0,6619); § 249b SGB V, § 172 Abs. 3 SGB VI, § 40a Abs. 2
//! EStG (Minijob flat rates 13 %, 15 %, 2 %); § 360 SGB III
//! (Insolvenzgeldumlage 0,15 %, no differing Verordnung for 2026).

use rust_decimal_macros::dec;

use super::Rechengroessen;

pub static Y2026: Rechengroessen = Rechengroessen {
    jahr: 2026,
    bbg_kv_monat: dec!(5812.50),
    bbg_rv_monat: dec!(8450.00),
    kv_satz: dec!(14.6),
    kv_zusatz_durchschnitt: dec!(2.9),
    rv_satz: dec!(18.6),
    av_satz: dec!(2.6),
    pv_satz: dec!(3.6),
    pv_ag_minderung_sachsen: dec!(0.5),
    pv_zuschlag_kinderlos: dec!(0.6),
    pv_abschlag_je_kind: dec!(0.25),
    geringfuegigkeitsgrenze: dec!(603.00),
    uebergang_obergrenze: dec!(2000.00),
    faktor_f: dec!(0.6619),
    minijob_kv_ag: dec!(13),
    minijob_rv_ag: dec!(15),
    minijob_pauschsteuer: dec!(2),
    minijob_rv_mindestbemessung: dec!(175.00),
    // § 3 Nr. 56 EStG: 4 % of the annual BBG RV (101.400 €) = 4.056 €/year.
    zvk_steuerfrei_jahr: dec!(4056.00),
    insolvenzgeld_umlage: dec!(0.15),
};
