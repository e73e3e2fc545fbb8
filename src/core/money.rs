//! Money amounts and German number input/output.
//!
//! An amount is a `rust_decimal::Decimal` with cent precision (never `f64`);
//! the database stores it as integer cents. Clerks type and read amounts the
//! German way: `1.234,56`.
//!
//! Input rules shared by [`Money::parse_de`] and [`parse_decimal_de`]:
//! * a comma is the decimal separator; dots before it must be thousands
//!   separators in correct 3-digit groups (`1.234.567,89`);
//! * without a comma, a single dot is a thousands separator when it is
//!   followed by exactly three digits and preceded by one to three digits not
//!   starting with 0 (`1.234` = 1234); otherwise it is a decimal point
//!   (`1234.56`, `12.5`, `0.125`), as when the number is pasted from an
//!   English-language source;
//! * several dots without a comma must all be thousands separators;
//! * a leading `-` or `+`, surrounding spaces and (for amounts) a trailing
//!   `€` or `EUR` are allowed; nothing else is.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::core::error::{KisError, Result};
use crate::core::sanitize::quote_input;

/// An amount of money in euros with cent precision.
///
/// Values made by this module always have exactly two decimal places. The
/// field is public for pattern matching and arithmetic with other decimals;
/// should a value with more decimals be built directly, [`Money::cents`],
/// formatting and serialisation round it half away from zero (kaufmännisch:
/// 0,005 → 0,01; −0,005 → −0,01).
///
/// Arithmetic uses `Decimal`'s operators, which panic only beyond
/// ±7.9 × 10²⁶ €, far outside any amount the database (`i64` cents) can hold.
///
/// Serialised as a string with two decimals and a dot ("1234.56"), so JSON
/// never passes an amount through a float. Deserialisation accepts such a
/// string or an integer, and refuses floats and more than two decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

impl Money {
    /// Rounds `d` to cents (half away from zero) and keeps two decimals.
    pub fn new(d: Decimal) -> Money {
        let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        r.rescale(2);
        if r.is_zero() {
            r.set_sign_positive(true);
        }
        Money(r)
    }

    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, 2))
    }

    pub fn zero() -> Money {
        Money::from_cents(0)
    }

    /// The amount in cents, exact for every value with at most two decimals;
    /// more decimals are rounded half away from zero. Saturates at
    /// `i64::MIN`/`i64::MAX` for amounts the database could not store anyway.
    pub fn cents(&self) -> i64 {
        let saturated = if self.0.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        };
        self.0
            .checked_mul(Decimal::ONE_HUNDRED)
            .map(|c| c.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
            .and_then(|c| c.to_i64())
            .unwrap_or(saturated)
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn is_positive(&self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    pub fn abs(&self) -> Money {
        Money(self.0.abs())
    }

    /// Parses a German amount such as `1.234,56`, `-12,50`, `12,5`, `1234`,
    /// `1234.56` or `99,90 €` (see the module documentation for the rules).
    pub fn parse_de(input: &str) -> Result<Money> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(KisError::validation(
                "Betrag fehlt – bitte z. B. 1.234,56 eingeben",
            ));
        }
        let body = strip_currency(trimmed);
        let garbage = || {
            KisError::validation(format!(
                "Betrag ungültig: {} – erlaubt ist z. B. 1.234,56",
                quote_input(input)
            ))
        };
        let parts = split_number_de(body).ok_or_else(garbage)?;
        if parts.frac.len() > 2 {
            return Err(KisError::validation(
                "Betrag ungültig: höchstens zwei Nachkommastellen",
            ));
        }
        let too_big = || KisError::validation("Betrag ungültig: der Betrag ist zu groß");
        let mut cents: i64 = 0;
        let frac_padded = parts.frac.bytes().chain(std::iter::repeat(b'0')).take(2);
        for b in parts.int.bytes().chain(frac_padded) {
            cents = cents
                .checked_mul(10)
                .and_then(|c| c.checked_add(i64::from(b - b'0')))
                .ok_or_else(too_big)?;
        }
        Ok(Money::from_cents(if parts.negative {
            -cents
        } else {
            cents
        }))
    }

    /// German format with thousands separators and two decimals:
    /// `1.234,56`, `-0,50`, `0,00`.
    pub fn format_de(&self) -> String {
        let rounded = Money::new(self.0).0;
        format_decimal_de(rounded, 2)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_de())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::zero(), Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&Money::new(self.0).0.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Money, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

struct MoneyVisitor;

impl Visitor<'_> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount as a string with at most two decimals, e.g. \"1234.56\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Money, E> {
        let d = Decimal::from_str_exact(v.trim())
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))?;
        if d.round_dp(2) != d {
            return Err(E::invalid_value(de::Unexpected::Str(v), &self));
        }
        Ok(Money::new(d))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Money, E> {
        Ok(Money::new(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Money, E> {
        Ok(Money::new(Decimal::from(v)))
    }
}

/// Formats a non-money number the German way, rounded half away from zero
/// to `places` decimals (at most 28): `format_decimal_de(dec!(14.6), 1)` →
/// `14,6`, `format_decimal_de(dec!(1234.5), 2)` → `1.234,50`.
pub fn format_decimal_de(d: Decimal, places: u32) -> String {
    let places = places.min(Decimal::MAX_SCALE);
    let mut r = d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(places);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    let plain = r.to_string();
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut out = String::with_capacity(plain.len() + plain.len() / 3 + 1);
    out.push_str(sign);
    push_grouped(int, &mut out);
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// A count with thousands separators: `1234` → `1.234`.
pub fn format_count_de(n: u64) -> String {
    format_decimal_de(Decimal::from(n), 0)
}

/// Parses a German non-money number such as `14,6`, `1.234,5678`, `-3` or
/// `0.125` (see the module documentation); any number of decimals.
pub fn parse_decimal_de(s: &str) -> Result<Decimal> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(KisError::validation(
            "Zahl fehlt – bitte z. B. 14,6 eingeben",
        ));
    }
    let parts = split_number_de(trimmed).ok_or_else(|| {
        KisError::validation(format!(
            "Zahl ungültig: {} – erlaubt ist z. B. 1.234,5",
            quote_input(s)
        ))
    })?;
    let plain = if parts.frac.is_empty() {
        parts.int
    } else {
        format!("{}.{}", parts.int, parts.frac)
    };
    let mut d = Decimal::from_str_exact(&plain)
        .map_err(|_| KisError::validation("Zahl ungültig: zu viele Stellen"))?;
    if parts.negative && !d.is_zero() {
        d.set_sign_negative(true);
    }
    Ok(d)
}

/// A German number split into sign, integer digits (grouping removed, at
/// least one digit) and fraction digits (possibly empty).
struct NumberParts<'a> {
    negative: bool,
    int: String,
    frac: &'a str,
}

fn split_number_de(s: &str) -> Option<NumberParts<'_>> {
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    let (int_part, frac) = match body.split_once(',') {
        Some((int_part, frac)) => {
            if frac.is_empty() || !all_digits(frac) {
                return None;
            }
            (int_part, frac)
        }
        None => match body.split_once('.') {
            Some((a, b)) if !b.contains('.') && !is_thousands_group(a, b) => {
                if b.is_empty() || !all_digits(b) {
                    return None;
                }
                (a, b)
            }
            _ => (body, ""),
        },
    };
    let int = if int_part.is_empty() {
        if frac.is_empty() {
            return None;
        }
        "0".to_string()
    } else {
        ungroup(int_part)?
    };
    Some(NumberParts {
        negative,
        int,
        frac,
    })
}

/// Whether `a.b` (one dot) reads as a thousands separator: `1.234`.
fn is_thousands_group(a: &str, b: &str) -> bool {
    (1..=3).contains(&a.len())
        && !a.starts_with('0')
        && all_digits(a)
        && b.len() == 3
        && all_digits(b)
}

/// The digits of an integer part, which is either plain digits or
/// correctly grouped with dots (`1.234.567`).
fn ungroup(int_part: &str) -> Option<String> {
    let mut groups = int_part.split('.');
    let first = groups.next()?;
    if !int_part.contains('.') {
        return all_digits(first).then(|| first.to_string());
    }
    if !(1..=3).contains(&first.len()) || first.starts_with('0') || !all_digits(first) {
        return None;
    }
    let mut digits = String::with_capacity(int_part.len());
    digits.push_str(first);
    for g in groups {
        if g.len() != 3 || !all_digits(g) {
            return None;
        }
        digits.push_str(g);
    }
    Some(digits)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Strips a trailing `€` or `EUR` (any case) and the spaces before it.
fn strip_currency(s: &str) -> &str {
    if let Some(rest) = s.strip_suffix('€') {
        return rest.trim_end();
    }
    let n = s.len();
    if n >= 3 && s.is_char_boundary(n - 3) && s[n - 3..].eq_ignore_ascii_case("eur") {
        return s[..n - 3].trim_end();
    }
    s
}

/// Appends `digits` with a dot before every group of three from the right.
fn push_grouped(digits: &str, out: &mut String) {
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn m(s: &str) -> Money {
        match Money::parse_de(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn err(s: &str) -> String {
        match Money::parse_de(s) {
            Ok(v) => panic!("{s:?} should fail, got {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_german_amounts() {
        assert_eq!(m("1.234,56").cents(), 123_456);
        assert_eq!(m("1234,56").cents(), 123_456);
        assert_eq!(m("1234").cents(), 123_400);
        assert_eq!(m("-12,50").cents(), -1_250);
        assert_eq!(m("12,5").cents(), 1_250);
        assert_eq!(m("+7").cents(), 700);
        assert_eq!(m(",5").cents(), 50);
        assert_eq!(m("0,00").cents(), 0);
        assert_eq!(m("1.234.567,89").cents(), 123_456_789);
        assert_eq!(m("  1.234,56  ").cents(), 123_456);
    }

    #[test]
    fn dot_is_decimal_point_or_thousands_separator() {
        assert_eq!(m("1234.56").cents(), 123_456);
        assert_eq!(m("12.5").cents(), 1_250);
        assert_eq!(m("1.234").cents(), 123_400);
        assert_eq!(m("12.345").cents(), 1_234_500);
        assert_eq!(m("1.234.567").cents(), 123_456_700);
        assert_eq!(m("-1.000").cents(), -100_000);
    }

    #[test]
    fn currency_suffix_is_accepted() {
        assert_eq!(m("99,90 €").cents(), 9_990);
        assert_eq!(m("99,90€").cents(), 9_990);
        assert_eq!(m("1.000 EUR").cents(), 100_000);
        assert_eq!(m("5 eur").cents(), 500);
    }

    #[test]
    fn more_than_two_decimals_is_refused() {
        let msg = "Betrag ungültig: höchstens zwei Nachkommastellen";
        assert_eq!(err("1,234"), msg);
        assert_eq!(err("0,001"), msg);
        assert_eq!(err("1234.567"), msg);
        assert_eq!(err("0.125"), msg);
        assert_eq!(err("1.2345"), msg);
    }

    #[test]
    fn garbage_is_refused_with_example() {
        assert_eq!(
            err("abc"),
            "Betrag ungültig: „abc“ – erlaubt ist z. B. 1.234,56"
        );
        for bad in [
            "1.23.4",
            "1.23,4",
            "12,",
            "1,2,3",
            "--5",
            "-",
            "1 234",
            "12a",
            "€",
            "EUR",
            "1.2.3",
            "0.123.456",
            "1,23.4",
            "1e5",
            "٣",
        ] {
            assert!(err(bad).starts_with("Betrag ungültig: „"), "{bad:?}");
        }
    }

    #[test]
    fn garbage_in_message_is_sanitised() {
        assert_eq!(
            err("1\u{1b}]0;x"),
            "Betrag ungültig: „1\u{FFFD}]0;x“ – erlaubt ist z. B. 1.234,56"
        );
    }

    #[test]
    fn empty_and_huge_inputs() {
        assert_eq!(err("   "), "Betrag fehlt – bitte z. B. 1.234,56 eingeben");
        assert_eq!(
            err("99999999999999999999"),
            "Betrag ungültig: der Betrag ist zu groß"
        );
        // The largest amount that fits into i64 cents still parses.
        assert_eq!(m("92233720368547758,07").cents(), i64::MAX);
        assert_eq!(
            err("92233720368547758,08"),
            "Betrag ungültig: der Betrag ist zu groß"
        );
    }

    #[test]
    fn formats_german() {
        assert_eq!(Money::from_cents(123_456).format_de(), "1.234,56");
        assert_eq!(Money::from_cents(-50).format_de(), "-0,50");
        assert_eq!(Money::zero().format_de(), "0,00");
        assert_eq!(Money::from_cents(123_456_700).format_de(), "1.234.567,00");
        assert_eq!(Money::from_cents(100_000).format_de(), "1.000,00");
        assert_eq!(Money::from_cents(99_999).format_de(), "999,99");
        assert_eq!(Money::from_cents(-123_456_789).to_string(), "-1.234.567,89");
        assert_eq!(
            Money::from_cents(i64::MIN).format_de(),
            "-92.233.720.368.547.758,08"
        );
        assert_eq!(Money(dec!(-0.001)).format_de(), "0,00");
    }

    #[test]
    fn parse_and_format_round_trip() {
        for c in [0, 1, -1, 99, 100, 123_456, -987_654_321, i64::MAX] {
            let money = Money::from_cents(c);
            assert_eq!(Money::parse_de(&money.format_de()), Ok(money), "{c}");
        }
    }

    #[test]
    fn cents_rounds_half_away_from_zero() {
        assert_eq!(Money(dec!(0.005)).cents(), 1);
        assert_eq!(Money(dec!(-0.005)).cents(), -1);
        assert_eq!(Money(dec!(0.0049)).cents(), 0);
        assert_eq!(Money(dec!(2.675)).cents(), 268);
        assert_eq!(Money(dec!(12.3)).cents(), 1_230);
        assert_eq!(Money(Decimal::MAX).cents(), i64::MAX);
        assert_eq!(Money(Decimal::MIN).cents(), i64::MIN);
    }

    #[test]
    fn new_rounds_to_two_places() {
        assert_eq!(Money::new(dec!(1.005)).0.to_string(), "1.01");
        assert_eq!(Money::new(dec!(7)).0.to_string(), "7.00");
        assert_eq!(Money::new(dec!(-0.004)).0.to_string(), "0.00");
        assert_eq!(Money::new(dec!(1.2)), Money::from_cents(120));
    }

    #[test]
    fn arithmetic_and_predicates() {
        let a = Money::from_cents(1_050);
        let b = Money::from_cents(250);
        assert_eq!(a + b, Money::from_cents(1_300));
        assert_eq!(a - b, Money::from_cents(800));
        assert_eq!(b - a, Money::from_cents(-800));
        assert_eq!(-a, Money::from_cents(-1_050));
        let mut c = a;
        c += b;
        c -= Money::from_cents(300);
        assert_eq!(c, Money::from_cents(1_000));
        assert!(Money::zero().is_zero());
        assert!(!Money::zero().is_negative());
        assert!(Money(dec!(-0.00)).is_zero() && !Money(dec!(-0.00)).is_negative());
        assert!((b - a).is_negative());
        assert!(!a.is_negative());
        assert_eq!((b - a).abs(), Money::from_cents(800));
        assert!(b < a);
        assert_eq!(Money::default(), Money::zero());
    }

    #[test]
    fn sums_of_values_and_references() {
        let items = [
            Money::from_cents(10),
            Money::from_cents(20),
            Money::from_cents(-5),
        ];
        assert_eq!(items.iter().sum::<Money>(), Money::from_cents(25));
        assert_eq!(items.into_iter().sum::<Money>(), Money::from_cents(25));
        assert_eq!(std::iter::empty::<Money>().sum::<Money>(), Money::zero());
    }

    #[test]
    fn serde_as_string_with_two_decimals() {
        let json = serde_json::to_string(&Money::from_cents(123_456));
        assert_eq!(json.ok().as_deref(), Some("\"1234.56\""));
        let json = serde_json::to_string(&Money(dec!(5)));
        assert_eq!(json.ok().as_deref(), Some("\"5.00\""));
        let json = serde_json::to_string(&Money::from_cents(-50));
        assert_eq!(json.ok().as_deref(), Some("\"-0.50\""));

        let back: std::result::Result<Money, _> = serde_json::from_str("\"1234.56\"");
        assert_eq!(back.ok(), Some(Money::from_cents(123_456)));
        let int: std::result::Result<Money, _> = serde_json::from_str("12");
        assert_eq!(int.ok(), Some(Money::from_cents(1_200)));
        let neg: std::result::Result<Money, _> = serde_json::from_str("-3");
        assert_eq!(neg.ok(), Some(Money::from_cents(-300)));
        for bad in ["\"1.234\"", "1.5", "\"abc\"", "\"1,50\"", "null"] {
            let r: std::result::Result<Money, _> = serde_json::from_str(bad);
            assert!(r.is_err(), "{bad}");
        }
    }

    #[test]
    fn format_decimal_de_rounds_and_groups() {
        assert_eq!(format_decimal_de(dec!(14.6), 1), "14,6");
        assert_eq!(format_decimal_de(dec!(14.6), 2), "14,60");
        assert_eq!(format_decimal_de(dec!(14.65), 1), "14,7");
        assert_eq!(format_decimal_de(dec!(-14.65), 1), "-14,7");
        assert_eq!(format_decimal_de(dec!(1234567.891), 0), "1.234.568");
        assert_eq!(format_decimal_de(dec!(1234.5), 3), "1.234,500");
        assert_eq!(format_decimal_de(dec!(-0.04), 1), "0,0");
        assert_eq!(format_decimal_de(dec!(0), 0), "0");
        assert_eq!(format_decimal_de(dec!(999), 0), "999");
        assert_eq!(format_decimal_de(dec!(1000), 0), "1.000");
    }

    #[test]
    fn parse_decimal_de_accepts_german_numbers() {
        let p = |s: &str| parse_decimal_de(s).ok();
        assert_eq!(p("14,6"), Some(dec!(14.6)));
        assert_eq!(p("14.6"), Some(dec!(14.6)));
        assert_eq!(p("1.234,5678"), Some(dec!(1234.5678)));
        assert_eq!(p("0.125"), Some(dec!(0.125)));
        assert_eq!(p("1.234"), Some(dec!(1234)));
        assert_eq!(p("-3"), Some(dec!(-3)));
        assert_eq!(p(" +2,5 "), Some(dec!(2.5)));
        assert_eq!(p("-0"), Some(dec!(0)));
        assert!(!parse_decimal_de("-0").is_ok_and(|d| d.is_sign_negative()));
    }

    #[test]
    fn parse_decimal_de_errors() {
        let e = |s: &str| parse_decimal_de(s).err().map(|e| e.to_string());
        assert_eq!(e(""), Some("Zahl fehlt – bitte z. B. 14,6 eingeben".into()));
        assert_eq!(
            e("14,6 %"),
            Some("Zahl ungültig: „14,6 %“ – erlaubt ist z. B. 1.234,5".into())
        );
        assert_eq!(
            e("1.23.4"),
            Some("Zahl ungültig: „1.23.4“ – erlaubt ist z. B. 1.234,5".into())
        );
        assert_eq!(
            e(&"9".repeat(40)),
            Some("Zahl ungültig: zu viele Stellen".into())
        );
    }
}
