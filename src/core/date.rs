//! German date input and output, and the date arithmetic the procedures need.
//!
//! Clerks type dates as `TT.MM.JJJJ`, often abbreviated (`1.2.26`) or without
//! dots (`010226`, `01022026`); ISO dates (`2026-02-01`) come from files and
//! are accepted too. Output is always `TT.MM.JJJJ`.

use chrono::{Datelike, NaiveDate};

use crate::core::error::{KisError, Result};
use crate::core::sanitize::quote_input;

/// Two-digit years below the pivot are 20xx, from the pivot on 19xx:
/// `1.2.26` is 01.02.2026, `1.2.70` is 01.02.1970.
///
/// A fixed pivot keeps [`parse_date_de`] independent of the clock. For dates
/// that cannot lie in the future, such as a Geburtsdatum, use
/// [`parse_past_date_de`] instead: there `12.03.65` means 1965, not 2065.
pub const TWO_DIGIT_YEAR_PIVOT: u32 = 70;

/// Parses `TT.MM.JJJJ`, `T.M.JJ`, `TTMMJJ`, `TTMMJJJJ` or `JJJJ-MM-TT`.
/// Two-digit years follow [`TWO_DIGIT_YEAR_PIVOT`].
pub fn parse_date_de(input: &str) -> Result<NaiveDate> {
    let raw = split_date(input)?;
    let year = match raw.year {
        Year::Full(y) => y,
        Year::TwoDigit(yy) if yy < TWO_DIGIT_YEAR_PIVOT => 2000 + yy as i32,
        Year::TwoDigit(yy) => 1900 + yy as i32,
    };
    make_date(year, raw.month, raw.day)
}

/// Like [`parse_date_de`], but a two-digit year means the latest year that
/// puts the date on or before `today` (a Geburtsdatum `12.03.65` is 1965,
/// `01.02.26` on 25.11.2026 is 2026, `01.12.26` is 1926). People born more
/// than a hundred years ago need their year typed in full. Four-digit years
/// are taken as typed.
pub fn parse_past_date_de(input: &str, today: NaiveDate) -> Result<NaiveDate> {
    let raw = split_date(input)?;
    match raw.year {
        Year::Full(y) => make_date(y, raw.month, raw.day),
        Year::TwoDigit(yy) => {
            let this_year = today.year();
            let candidate = this_year - (this_year - yy as i32).rem_euclid(100);
            let date = make_date(candidate, raw.month, raw.day)?;
            if date <= today {
                Ok(date)
            } else {
                make_date(candidate - 100, raw.month, raw.day)
            }
        }
    }
}

/// `01.02.2026`.
pub fn format_date_de(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// `01.02.2026`, or the empty string for `None`.
pub fn format_opt_date_de(d: Option<NaiveDate>) -> String {
    d.map(format_date_de).unwrap_or_default()
}

/// Parses a month such as a payroll period: `2026-01`, `01.2026`, `1.2026`,
/// `1/2026` or `01/2026`. The year must have four digits. Returns
/// `(year, month)`.
pub fn parse_month(input: &str) -> Result<(i32, u32)> {
    let s = input.trim();
    if s.is_empty() {
        return Err(KisError::validation(
            "Monat fehlt – bitte MM.JJJJ eingeben, z. B. 01.2026",
        ));
    }
    let garbage = || {
        KisError::validation(format!(
            "Monat ungültig: {} – erlaubt ist MM.JJJJ, z. B. 01.2026",
            quote_input(input)
        ))
    };
    let (year, month) = if let Some((y, m)) = s.split_once('-') {
        (y, m)
    } else if let Some((m, y)) = s.split_once(['.', '/']) {
        (y, m)
    } else {
        return Err(garbage());
    };
    let year = digits(year, 4, 4).ok_or_else(garbage)?;
    let month = digits(month, 1, 2).ok_or_else(garbage)?;
    if !(1..=12).contains(&month) {
        return Err(KisError::validation(format!(
            "Monat ungültig: Monat {month} gibt es nicht"
        )));
    }
    Ok((year as i32, month))
}

/// Age in completed years at the beginning of day `on`; 0 if `on` is before
/// `birth`.
///
/// By §187 Abs. 2 Satz 2 BGB the day of birth counts, so a year of life is
/// completed at the end of the day before the birthday (§188 Abs. 2 BGB): on
/// the birthday itself the new age is reached. Someone born on 29 February
/// completes a year at the end of 28 February in a non-leap year and so has
/// the new age on 1 March; the plain comparison of (month, day) below gives
/// exactly that, because (2, 28) < (2, 29) ≤ (3, 1).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on < birth {
        return 0;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Number of days in `month` (1–12) of `year`; 0 for a month outside 1–12.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The last day of `d`'s month.
pub fn end_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(days_in_month(d.year(), d.month())).unwrap_or(d)
}

/// `d` plus `months` (negative: minus), clamped to the end of the target
/// month: 31.01.2026 + 1 month = 28.02.2026. Saturates at the range of
/// `NaiveDate`.
pub fn add_months(d: NaiveDate, months: i32) -> NaiveDate {
    let total = i64::from(d.year()) * 12 + i64::from(d.month0()) + i64::from(months);
    let limit = if months < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    };
    let Ok(year) = i32::try_from(total.div_euclid(12)) else {
        return limit;
    };
    // rem_euclid(12) is in 0..12, so the cast cannot truncate.
    let month = total.rem_euclid(12) as u32 + 1;
    let day = d.day().min(days_in_month(year, month));
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(limit)
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

enum Year {
    Full(i32),
    TwoDigit(u32),
}

/// Day, month and year as typed, before the date is checked.
struct RawDate {
    day: u32,
    month: u32,
    year: Year,
}

fn split_date(input: &str) -> Result<RawDate> {
    let s = input.trim();
    if s.is_empty() {
        return Err(KisError::validation(
            "Datum fehlt – bitte TT.MM.JJJJ eingeben, z. B. 01.02.2026",
        ));
    }
    let garbage = || {
        KisError::validation(format!(
            "Datum ungültig: {} – erlaubt ist TT.MM.JJJJ, z. B. 01.02.2026",
            quote_input(input)
        ))
    };
    let raw = if s.contains('-') {
        let mut it = s.split('-');
        let (Some(y), Some(m), Some(d), None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(garbage());
        };
        RawDate {
            day: digits(d, 1, 2).ok_or_else(garbage)?,
            month: digits(m, 1, 2).ok_or_else(garbage)?,
            year: Year::Full(digits(y, 4, 4).ok_or_else(garbage)? as i32),
        }
    } else if s.contains('.') {
        let mut it = s.split('.');
        let (Some(d), Some(m), Some(y), None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(garbage());
        };
        RawDate {
            day: digits(d, 1, 2).ok_or_else(garbage)?,
            month: digits(m, 1, 2).ok_or_else(garbage)?,
            year: year_of(y).ok_or_else(garbage)?,
        }
    } else if s.len() == 6 || s.len() == 8 {
        let (d, rest) = s.split_at_checked(2).ok_or_else(garbage)?;
        let (m, y) = rest.split_at_checked(2).ok_or_else(garbage)?;
        RawDate {
            day: digits(d, 2, 2).ok_or_else(garbage)?,
            month: digits(m, 2, 2).ok_or_else(garbage)?,
            year: year_of(y).ok_or_else(garbage)?,
        }
    } else {
        return Err(garbage());
    };
    Ok(raw)
}

fn year_of(y: &str) -> Option<Year> {
    match y.len() {
        2 => digits(y, 2, 2).map(Year::TwoDigit),
        4 => digits(y, 4, 4).map(|y| Year::Full(y as i32)),
        _ => None,
    }
}

/// The value of `s` if it consists of `min..=max` ASCII digits.
fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if !(min..=max).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn make_date(year: i32, month: u32, day: u32) -> Result<NaiveDate> {
    if !(1..=12).contains(&month) {
        return Err(KisError::validation(format!(
            "Datum ungültig: Monat {month} gibt es nicht"
        )));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        KisError::validation(format!(
            "Datum ungültig: {day:02}.{month:02}.{year:04} gibt es nicht"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn ok(s: &str) -> NaiveDate {
        match parse_date_de(s) {
            Ok(d) => d,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn err(s: &str) -> String {
        match parse_date_de(s) {
            Ok(d) => panic!("{s:?} should fail, got {d}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn accepts_all_input_forms() {
        let feb1 = date(2026, 2, 1);
        for s in [
            "01.02.2026",
            "1.2.2026",
            "1.2.26",
            "01.02.26",
            "010226",
            "01022026",
            "2026-02-01",
            "2026-2-1",
            "  01.02.2026 ",
        ] {
            assert_eq!(ok(s), feb1, "{s:?}");
        }
    }

    #[test]
    fn two_digit_years_use_the_pivot() {
        assert_eq!(TWO_DIGIT_YEAR_PIVOT, 70);
        assert_eq!(ok("1.1.00"), date(2000, 1, 1));
        assert_eq!(ok("1.1.69"), date(2069, 1, 1));
        assert_eq!(ok("1.1.70"), date(1970, 1, 1));
        assert_eq!(ok("31.12.99"), date(1999, 12, 31));
        assert_eq!(ok("311299"), date(1999, 12, 31));
    }

    #[test]
    fn past_dates_choose_the_century_before_today() {
        let today = date(2026, 11, 25);
        let p = |s: &str| parse_past_date_de(s, today).ok();
        assert_eq!(p("12.03.65"), Some(date(1965, 3, 12)));
        assert_eq!(p("12.03.87"), Some(date(1987, 3, 12)));
        assert_eq!(p("01.02.26"), Some(date(2026, 2, 1)));
        assert_eq!(p("25.11.26"), Some(date(2026, 11, 25)));
        assert_eq!(p("26.11.26"), Some(date(1926, 11, 26)));
        assert_eq!(p("01.01.00"), Some(date(2000, 1, 1)));
        assert_eq!(p("12.03.2065"), Some(date(2065, 3, 12)));
        assert_eq!(
            parse_past_date_de("29.02.25", today)
                .err()
                .map(|e| e.to_string()),
            Some("Datum ungültig: 29.02.2025 gibt es nicht".to_string())
        );
        assert_eq!(
            parse_past_date_de("xx", today).err().map(|e| e.to_string()),
            Some("Datum ungültig: „xx“ – erlaubt ist TT.MM.JJJJ, z. B. 01.02.2026".to_string())
        );
    }

    #[test]
    fn impossible_days_are_named() {
        assert_eq!(
            err("31.02.2026"),
            "Datum ungültig: 31.02.2026 gibt es nicht"
        );
        assert_eq!(
            err("29.02.2026"),
            "Datum ungültig: 29.02.2026 gibt es nicht"
        );
        assert_eq!(err("310226"), "Datum ungültig: 31.02.2026 gibt es nicht");
        assert_eq!(err("0.1.2026"), "Datum ungültig: 00.01.2026 gibt es nicht");
        assert_eq!(
            err("32.01.2026"),
            "Datum ungültig: 32.01.2026 gibt es nicht"
        );
        assert_eq!(err("31.04.26"), "Datum ungültig: 31.04.2026 gibt es nicht");
        assert_eq!(ok("29.02.2024"), date(2024, 2, 29));
    }

    #[test]
    fn impossible_months_are_named() {
        assert_eq!(err("01.13.2026"), "Datum ungültig: Monat 13 gibt es nicht");
        assert_eq!(err("011326"), "Datum ungültig: Monat 13 gibt es nicht");
        assert_eq!(err("1.0.2026"), "Datum ungültig: Monat 0 gibt es nicht");
        assert_eq!(err("2026-13-01"), "Datum ungültig: Monat 13 gibt es nicht");
    }

    #[test]
    fn garbage_gets_the_format_hint() {
        assert_eq!(
            err("abc"),
            "Datum ungültig: „abc“ – erlaubt ist TT.MM.JJJJ, z. B. 01.02.2026"
        );
        for bad in [
            "1.2",
            "1.2.",
            "1.2.2026.",
            "1.2.026",
            "1.2.20266",
            "001.2.2026",
            "01022",
            "0102260",
            "2026-02",
            "26-02-01",
            "2026-02-01-1",
            "01.02.2026 10:00",
            "ab.cd.efgh",
            "1..2026",
            "ääää",
            "+1.2.2026",
        ] {
            assert!(
                err(bad).starts_with("Datum ungültig: „"),
                "{bad:?}: {}",
                err(bad)
            );
        }
        assert_eq!(
            err(""),
            "Datum fehlt – bitte TT.MM.JJJJ eingeben, z. B. 01.02.2026"
        );
    }

    #[test]
    fn formats_german() {
        assert_eq!(format_date_de(date(2026, 2, 1)), "01.02.2026");
        assert_eq!(format_date_de(date(1905, 12, 31)), "31.12.1905");
        assert_eq!(format_opt_date_de(Some(date(2026, 2, 1))), "01.02.2026");
        assert_eq!(format_opt_date_de(None), "");
        let d = date(1987, 3, 12);
        assert_eq!(parse_date_de(&format_date_de(d)), Ok(d));
    }

    #[test]
    fn parses_months() {
        assert_eq!(parse_month("2026-01"), Ok((2026, 1)));
        assert_eq!(parse_month("01.2026"), Ok((2026, 1)));
        assert_eq!(parse_month("1/2026"), Ok((2026, 1)));
        assert_eq!(parse_month(" 12/2025 "), Ok((2025, 12)));
        assert_eq!(parse_month("2026-1"), Ok((2026, 1)));
    }

    #[test]
    fn month_errors() {
        let e = |s: &str| parse_month(s).err().map(|e| e.to_string());
        assert_eq!(
            e("13.2026"),
            Some("Monat ungültig: Monat 13 gibt es nicht".into())
        );
        assert_eq!(
            e("2026-00"),
            Some("Monat ungültig: Monat 0 gibt es nicht".into())
        );
        assert_eq!(
            e("Januar"),
            Some("Monat ungültig: „Januar“ – erlaubt ist MM.JJJJ, z. B. 01.2026".into())
        );
        for bad in [
            "1.26",
            "01.2026.1",
            "2026",
            "26-01",
            "1/20266",
            "a/2026",
            "2026-01-01",
        ] {
            assert!(
                e(bad).is_some_and(|m| m.starts_with("Monat ungültig: „")),
                "{bad:?}"
            );
        }
        assert_eq!(
            e(" "),
            Some("Monat fehlt – bitte MM.JJJJ eingeben, z. B. 01.2026".into())
        );
    }

    #[test]
    fn age_counts_the_birthday_as_reached() {
        let birth = date(2008, 3, 1);
        assert_eq!(age_on(birth, date(2026, 2, 28)), 17);
        assert_eq!(age_on(birth, date(2026, 3, 1)), 18);
        assert_eq!(age_on(birth, date(2008, 3, 1)), 0);
        assert_eq!(age_on(birth, date(2000, 1, 1)), 0);
        assert_eq!(age_on(date(1950, 12, 31), date(2026, 11, 25)), 75);
    }

    #[test]
    fn age_of_leap_day_child() {
        let birth = date(2008, 2, 29);
        // Non-leap year: the year is completed at the end of 28 February.
        assert_eq!(age_on(birth, date(2025, 2, 28)), 16);
        assert_eq!(age_on(birth, date(2025, 3, 1)), 17);
        // Leap year: the birthday exists.
        assert_eq!(age_on(birth, date(2024, 2, 28)), 15);
        assert_eq!(age_on(birth, date(2024, 2, 29)), 16);
    }

    #[test]
    fn month_lengths() {
        assert_eq!(days_in_month(2026, 1), 31);
        assert_eq!(days_in_month(2026, 2), 28);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2026, 4), 30);
        assert_eq!(days_in_month(2026, 12), 31);
        assert_eq!(days_in_month(2026, 0), 0);
        assert_eq!(days_in_month(2026, 13), 0);
        for y in [1900, 2000, 2024, 2026] {
            for m in 1..=12 {
                let last = date(y, m, days_in_month(y, m));
                assert_eq!(last.succ_opt().map(|d| d.day()), Some(1), "{y}-{m}");
            }
        }
    }

    #[test]
    fn end_of_month_works() {
        assert_eq!(end_of_month(date(2026, 2, 10)), date(2026, 2, 28));
        assert_eq!(end_of_month(date(2024, 2, 1)), date(2024, 2, 29));
        assert_eq!(end_of_month(date(2026, 12, 31)), date(2026, 12, 31));
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        assert_eq!(add_months(date(2026, 1, 31), 1), date(2026, 2, 28));
        assert_eq!(add_months(date(2024, 1, 31), 1), date(2024, 2, 29));
        assert_eq!(add_months(date(2026, 3, 31), -1), date(2026, 2, 28));
        assert_eq!(add_months(date(2026, 11, 15), 2), date(2027, 1, 15));
        assert_eq!(add_months(date(2026, 1, 15), -1), date(2025, 12, 15));
        assert_eq!(add_months(date(2026, 1, 15), -13), date(2024, 12, 15));
        assert_eq!(add_months(date(2026, 5, 31), 0), date(2026, 5, 31));
        assert_eq!(add_months(date(2024, 2, 29), 12), date(2025, 2, 28));
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_months(NaiveDate::MIN, -1), NaiveDate::MIN);
        assert_eq!(add_months(date(2026, 1, 1), i32::MAX), NaiveDate::MAX);
    }
}
