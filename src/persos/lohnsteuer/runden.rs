//! The two pieces of Java `BigDecimal` behaviour that the PAP relies on and
//! that plain `rust_decimal` arithmetic does not give by itself: `setScale`
//! with an explicit rounding mode and `divide(divisor, scale, mode)`.
//!
//! `add`, `subtract` and `multiply` are exact in Java; `rust_decimal` is exact
//! for them too as long as the result has at most 28 significant digits,
//! which the input limits of [`super::pruefung`] guarantee for every value
//! the PAP computes.

use rust_decimal::{Decimal, RoundingStrategy};

/// The rounding modes that occur in the PAP 2025 and 2026.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rundung {
    /// `BigDecimal.ROUND_DOWN`: drop the digits, i.e. round towards zero
    /// (−4,5 becomes −4, as the PAP notes for negative values).
    Down,
    /// `BigDecimal.ROUND_UP`: round away from zero (4,01 becomes 5).
    Up,
}

impl Rundung {
    fn strategie(self) -> RoundingStrategy {
        match self {
            Rundung::Down => RoundingStrategy::ToZero,
            Rundung::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// `x.setScale(scale, mode)`.
pub(super) fn set_scale(x: Decimal, scale: u32, mode: Rundung) -> Decimal {
    x.round_dp_with_strategy(scale, mode.strategie())
}

/// `a.divide(b, scale, mode)`: the quotient rounded to `scale` places.
///
/// `rust_decimal` computes the quotient to 28 significant digits. That is
/// exact for every division in the PAP whose quotient terminates, and for
/// the others (divisors 12, 360 and 700) the true quotient lies at least
/// 1/700 of a unit of the last kept place away from the next rounding
/// boundary, far more than the error at the 28th digit; so rounding the
/// 28-digit quotient gives the same result as Java's exact division.
pub(super) fn divide(a: Decimal, b: Decimal, scale: u32, mode: Rundung) -> Decimal {
    set_scale(a / b, scale, mode)
}

/// `BigDecimal.valueOf(x.longValue())`: the integer part, truncated towards
/// zero.
pub(super) fn long_value(x: Decimal) -> Decimal {
    x.trunc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn set_scale_down_truncates_towards_zero() {
        assert_eq!(set_scale(dec!(4.5), 0, Rundung::Down), dec!(4));
        assert_eq!(set_scale(dec!(-4.5), 0, Rundung::Down), dec!(-4));
        assert_eq!(set_scale(dec!(123.459), 2, Rundung::Down), dec!(123.45));
        assert_eq!(set_scale(dec!(-0.019), 2, Rundung::Down), dec!(-0.01));
    }

    #[test]
    fn set_scale_up_rounds_away_from_zero() {
        assert_eq!(set_scale(dec!(4.01), 0, Rundung::Up), dec!(5));
        assert_eq!(set_scale(dec!(-4.01), 0, Rundung::Up), dec!(-5));
        assert_eq!(set_scale(dec!(4.00), 0, Rundung::Up), dec!(4));
        assert_eq!(set_scale(dec!(0.001), 2, Rundung::Up), dec!(0.01));
    }

    #[test]
    fn divide_rounds_the_exact_quotient() {
        // 1.000.000 cents a week: 1000000 * 360 / 700 = 514285.714285...
        assert_eq!(
            divide(dec!(360000000), dec!(700), 2, Rundung::Down),
            dec!(514285.71)
        );
        assert_eq!(divide(dec!(-7), dec!(2), 0, Rundung::Down), dec!(-3));
        assert_eq!(divide(dec!(7), dec!(12), 0, Rundung::Up), dec!(1));
    }

    /// Compare `divide` with exact integer arithmetic for the divisors of the
    /// PAP over a wide range of dividends, including ones just below a
    /// rounding boundary.
    #[test]
    fn divide_matches_exact_integer_division() {
        for &divisor in &[12i128, 360, 700, 100, 10000, 2] {
            for scale in [0u32, 2, 6] {
                let mut n: i128 = 1;
                while n < 1_000_000_000_000_000 {
                    for delta in [-1i128, 0, 1] {
                        let a = n * divisor + delta;
                        let pow = 10i128.pow(scale);
                        let exact_down = a * pow / divisor;
                        let got = divide(
                            Decimal::from_i128_with_scale(a, 0),
                            Decimal::from_i128_with_scale(divisor, 0),
                            scale,
                            Rundung::Down,
                        );
                        assert_eq!(got, Decimal::from_i128_with_scale(exact_down, scale));
                        let exact_up = exact_down + i128::from((a * pow) % divisor != 0);
                        let got_up = divide(
                            Decimal::from_i128_with_scale(a, 0),
                            Decimal::from_i128_with_scale(divisor, 0),
                            scale,
                            Rundung::Up,
                        );
                        assert_eq!(got_up, Decimal::from_i128_with_scale(exact_up, scale));
                    }
                    n = n * 7 + 3;
                }
            }
        }
    }

    #[test]
    fn long_value_truncates() {
        assert_eq!(long_value(dec!(101.99)), dec!(101));
        assert_eq!(long_value(dec!(-101.99)), dec!(-101));
    }
}
