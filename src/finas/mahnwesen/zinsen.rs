//! Stundungszinsen (AO § 234 with §§ 238, 239): 0,5 % for every full month
//! of the Stundung (§ 238(1): started months are not counted) on the amount
//! rounded down to a multiple of 50 € (§ 238(2)); the interest of a
//! decision is rounded down to full euros and not charged below 10 €
//! (§ 239(2)). The Zinslauf begins on the day the Stundung takes effect and
//! ends with the due day of each instalment (§ 239(1) S. 2 Nr. 2), so every
//! instalment is counted for its own months.

use chrono::{Datelike, Days, NaiveDate};

use crate::core::date::add_months;
use crate::core::money::Money;

/// 0,5 % per month: cents × 5 / 1.000.
const PROMILLE_JE_MONAT: i64 = 5;

/// The interest of one instalment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratenzins {
    pub monate: i64,
    /// Exact, before the rounding of the whole decision.
    pub zinsen: Money,
}

/// Last day of the `n`-th month of a period that begins on `beginn`
/// (counted, § 187(2) BGB): the day before the same-numbered day, or the
/// month's last day when it has no such day (§ 188(2), (3) BGB).
fn monatsende(beginn: NaiveDate, n: i64) -> NaiveDate {
    let gleicher_tag = add_months(beginn, i32::try_from(n).unwrap_or(i32::MAX));
    if gleicher_tag.day() < beginn.day() {
        // add_months clamped to the month's end: that day ends the month.
        gleicher_tag
    } else {
        gleicher_tag
            .checked_sub_days(Days::new(1))
            .unwrap_or(gleicher_tag)
    }
}

/// Full months from `beginn` to `ende` inclusive.
pub fn volle_monate(beginn: NaiveDate, ende: NaiveDate) -> i64 {
    let mut n = 0;
    while monatsende(beginn, n + 1) <= ende {
        n += 1;
    }
    n
}

/// The interest of an instalment of `betrag` due on `faellig` of a Stundung
/// beginning on `beginn`.
pub fn ratenzins(beginn: NaiveDate, faellig: NaiveDate, betrag: Money) -> Ratenzins {
    let monate = volle_monate(beginn, faellig);
    let basis = betrag.cents().max(0) / 5_000 * 5_000;
    Ratenzins {
        monate,
        zinsen: Money::from_cents(basis * PROMILLE_JE_MONAT / 1_000 * monate),
    }
}

/// The Stundungszinsen of a decision: the instalments' interest summed,
/// rounded down to full euros, nothing below 10 € (§ 239(2) AO).
pub fn festsetzen(raten: &[Ratenzins]) -> Money {
    let summe: i64 = raten.iter().map(|r| r.zinsen.cents()).sum();
    let euro = summe / 100 * 100;
    Money::from_cents(if euro < 1_000 { 0 } else { euro })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(j: i32, m: u32, t: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(j, m, t).unwrap()
    }

    #[test]
    fn volle_monate_nach_bgb() {
        assert_eq!(volle_monate(d(2026, 9, 2), d(2026, 10, 1)), 1);
        assert_eq!(volle_monate(d(2026, 9, 2), d(2026, 9, 30)), 0);
        assert_eq!(volle_monate(d(2026, 9, 2), d(2026, 12, 1)), 3);
        assert_eq!(volle_monate(d(2026, 9, 2), d(2026, 12, 2)), 3);
        // Beginning on the 31st: February's last day ends the first month.
        assert_eq!(volle_monate(d(2027, 1, 31), d(2027, 2, 27)), 0);
        assert_eq!(volle_monate(d(2027, 1, 31), d(2027, 2, 28)), 1);
        assert_eq!(volle_monate(d(2027, 1, 31), d(2027, 3, 30)), 2);
    }

    #[test]
    fn zinsen_auf_50_euro_abgerundet_je_vollen_monat() {
        // 1.234,56 € → 1.200 €; 3 full months × 0,5 % = 18,00 €.
        let r = ratenzins(d(2026, 9, 2), d(2026, 12, 1), Money::from_cents(123_456));
        assert_eq!((r.monate, r.zinsen), (3, Money::from_cents(1_800)));
        // 49,99 € bear no interest.
        let r = ratenzins(d(2026, 9, 2), d(2027, 9, 1), Money::from_cents(4_999));
        assert_eq!(r.zinsen, Money::zero());
        // 50 € for one month: 0,25 €.
        let r = ratenzins(d(2026, 9, 2), d(2026, 10, 1), Money::from_cents(5_000));
        assert_eq!(r.zinsen, Money::from_cents(25));
    }

    #[test]
    fn festsetzung_volle_euro_und_mindestbetrag() {
        let r = |c| Ratenzins {
            monate: 1,
            zinsen: Money::from_cents(c),
        };
        assert_eq!(
            festsetzen(&[r(500), r(475)]),
            Money::zero(),
            "9,75 € < 10 €"
        );
        assert_eq!(festsetzen(&[r(1_000), r(99)]), Money::from_cents(1_000));
        assert_eq!(festsetzen(&[r(1_850), r(1_875)]), Money::from_cents(3_700));
    }
}
