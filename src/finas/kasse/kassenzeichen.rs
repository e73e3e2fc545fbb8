//! The Kassenzeichen: the number of a receivable or payable that the
//! debtor quotes when paying and that the Kasse matches payments by.
//!
//! Scheme: 11 digits `JJJJ` (year of entry) + `NNNNNN` (serial number of
//! the Mandant in that year) + one check digit, ISO 7064 MOD 11,10 over the
//! first ten digits (the hybrid system also used for the steuerliche
//! IdNr): it detects every single wrong digit and nearly every swap of two
//! neighbouring digits. Unique per Mandant by construction (year + serial)
//! and by the database (UNIQUE). Printed and shown in groups
//! `2026 000123 5`; typed with or without spaces, dots or dashes.

use crate::core::error::{KisError, Result};
use crate::core::sanitize::quote_input;

/// The largest serial number of a year.
pub const MAX_LFD: i64 = 999_999;

/// The ISO 7064 MOD 11,10 check digit of a string of ASCII digits.
pub fn pruefziffer(ziffern: &str) -> u8 {
    let mut p: u8 = 10;
    for b in ziffern.bytes() {
        let mut s = (b - b'0' + p) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    (11 - p) % 10
}

/// The Kassenzeichen of serial number `lfd` in `jahr`.
pub fn bilden(jahr: i32, lfd: i64) -> Result<String> {
    if !(1..=MAX_LFD).contains(&lfd) || !(1000..=9999).contains(&jahr) {
        return Err(KisError::Conflict(format!(
            "Kassenzeichen: die Nummern des Jahres {jahr} sind erschöpft."
        )));
    }
    let basis = format!("{jahr:04}{lfd:06}");
    let p = pruefziffer(&basis);
    Ok(format!("{basis}{p}"))
}

/// A typed Kassenzeichen checked (11 digits, check digit) and returned
/// as 11 digits; refused with the reason in field `feld`.
pub fn pruefen(feld: &str, s: &str) -> Result<String> {
    let kz: String = s
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '/')))
        .collect();
    if kz.is_empty() {
        return Err(KisError::field(feld, "Bitte das Kassenzeichen angeben."));
    }
    if kz.len() != 11 || !kz.bytes().all(|b| b.is_ascii_digit()) {
        return Err(KisError::field(
            feld,
            format!(
                "Kassenzeichen {} ungültig: es hat 11 Ziffern (Jahr, laufende Nummer, Prüfziffer), z. B. 2026 000123 5.",
                quote_input(s)
            ),
        ));
    }
    let (basis, p) = kz.split_at(10);
    if p.as_bytes()[0] - b'0' != pruefziffer(basis) {
        return Err(KisError::field(
            feld,
            format!(
                "Kassenzeichen {} ungültig: die Prüfziffer stimmt nicht – bitte Eingabe prüfen.",
                quote_input(s)
            ),
        ));
    }
    Ok(kz)
}

/// The Kassenzeichen in its printed groups: `2026 000123 5`.
pub fn anzeigen(kz: &str) -> String {
    if kz.len() == 11 && kz.is_ascii() {
        format!("{} {} {}", &kz[..4], &kz[4..10], &kz[10..])
    } else {
        kz.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formed_numbers_pass_and_print_in_groups() {
        let kz = bilden(2026, 123).unwrap();
        assert_eq!(&kz[..10], "2026000123");
        assert_eq!(pruefen("kz", &anzeigen(&kz)).unwrap(), kz);
        assert_eq!(pruefen("kz", &kz.replace("2026", "2026-")).unwrap(), kz);
        assert!(bilden(2026, 0).is_err());
        assert!(bilden(2026, MAX_LFD + 1).is_err());
        assert!(pruefen("kz", "2026 000123").is_err());
        assert!(pruefen("kz", "2026 00012A 5").is_err());
    }

    proptest! {
        #[test]
        fn every_single_wrong_digit_is_refused(jahr in 2000i32..2100, lfd in 1i64..=MAX_LFD, stelle in 0usize..11, plus in 1u8..10) {
            let kz = bilden(jahr, lfd).unwrap();
            prop_assert_eq!(pruefen("kz", &kz).unwrap(), kz.clone());
            let mut b = kz.into_bytes();
            b[stelle] = b'0' + (b[stelle] - b'0' + plus) % 10;
            let falsch = String::from_utf8(b).unwrap();
            prop_assert!(pruefen("kz", &falsch).is_err());
        }
    }
}
