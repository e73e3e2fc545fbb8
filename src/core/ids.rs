//! Check-digit validation of the identifiers KIS stores: the steuerliche
//! Identifikationsnummer (IdNr, §139b AO), IBAN and BIC, and the
//! Versicherungsnummer of the Rentenversicherung.
//!
//! A passed check only means the number is well-formed; it does not prove
//! that it was ever issued.

use crate::core::error::{KisError, Result};
use crate::core::sanitize::quote_input;

// ---------------------------------------------------------------------------
// Steuerliche Identifikationsnummer
// ---------------------------------------------------------------------------

/// Checks an IdNr (spaces allowed, as in "86 095 742 719").
///
/// Rules, as published by the Bundeszentralamt für Steuern and in the ELSTER
/// description of the check ("Prüfung der Steuer- und
/// Steueridentifikationsnummer"):
/// * 11 digits, the first not 0 (numbers starting with 0 are test numbers);
/// * in the first 10 digits exactly one digit occurs more than once: twice,
///   or (for numbers issued since 2016) three times, but then not three
///   times in direct succession; every other digit occurs at most once;
/// * the 11th digit is the ISO 7064 MOD 11,10 check digit of the first 10
///   (see [`idnr_check_digit`]).
pub fn validate_steuer_idnr(s: &str) -> Result<()> {
    normalize_steuer_idnr(s).map(|_| ())
}

/// Like [`validate_steuer_idnr`], returning the IdNr without spaces.
pub fn normalize_steuer_idnr(s: &str) -> Result<String> {
    let idnr: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if idnr.is_empty() {
        return Err(KisError::validation("Steuer-IdNr fehlt"));
    }
    if !idnr.bytes().all(|b| b.is_ascii_digit()) {
        return Err(KisError::validation(format!(
            "Steuer-IdNr ungültig: {} – erlaubt sind nur Ziffern",
            quote_input(s)
        )));
    }
    if idnr.len() != 11 {
        return Err(KisError::validation(format!(
            "Steuer-IdNr ungültig: sie hat 11 Ziffern, eingegeben wurden {}",
            idnr.len()
        )));
    }
    if idnr.starts_with('0') {
        return Err(KisError::validation(
            "Steuer-IdNr ungültig: sie beginnt nie mit 0",
        ));
    }
    let (first10, check) = idnr.split_at(10);
    check_digit_distribution(first10.as_bytes())?;
    if idnr_check_digit(first10).map(|d| d + b'0') != check.bytes().next() {
        return Err(KisError::validation(
            "Steuer-IdNr ungültig: die Prüfziffer stimmt nicht – bitte Eingabe prüfen",
        ));
    }
    Ok(idnr)
}

/// The ISO 7064 MOD 11,10 check digit of the first 10 digits of an IdNr;
/// `None` unless `first10` is exactly 10 ASCII digits.
///
/// Worked example for 8654013790 (p = running product, s = sum):
///
/// ```text
/// digit   s = (digit + p) mod 10 (0 → 10)   p = 2·s mod 11
/// start                                       10
///   8     (8 + 10) mod 10 = 8                 16 mod 11 = 5
///   6     (6 + 5)  mod 10 = 1                  2
///   5     (5 + 2)  mod 10 = 7                 14 mod 11 = 3
///   4     (4 + 3)  mod 10 = 7                  3
///   0     (0 + 3)  mod 10 = 3                  6
///   1     (1 + 6)  mod 10 = 7                  3
///   3     (3 + 3)  mod 10 = 6                 12 mod 11 = 1
///   7     (7 + 1)  mod 10 = 8                 16 mod 11 = 5
///   9     (9 + 5)  mod 10 = 4                  8
///   0     (0 + 8)  mod 10 = 8                 16 mod 11 = 5
/// check digit = 11 − 5 = 6 (a result of 10 would become 0)
/// ```
///
/// so 86540137906 is a well-formed IdNr.
pub fn idnr_check_digit(first10: &str) -> Option<u8> {
    let bytes = first10.as_bytes();
    if bytes.len() != 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut product: u8 = 10;
    for &b in bytes {
        let mut sum = (b - b'0' + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    let check = 11 - product;
    Some(if check == 10 { 0 } else { check })
}

fn check_digit_distribution(first10: &[u8]) -> Result<()> {
    let mut counts = [0u8; 10];
    for &b in first10 {
        counts[usize::from(b - b'0')] += 1;
    }
    let mut repeated = counts.iter().enumerate().filter(|&(_, &n)| n > 1);
    let (digit, n) = match (repeated.next(), repeated.next()) {
        (Some((digit, &n)), None) if n <= 3 => (digit, n),
        _ => {
            return Err(KisError::validation(
                "Steuer-IdNr ungültig: in den ersten 10 Ziffern kommt genau eine Ziffer \
                 zwei- oder dreimal vor, alle anderen höchstens einmal",
            ));
        }
    };
    let d = b'0' + digit as u8;
    if n == 3 && first10.windows(3).any(|w| w == [d, d, d]) {
        return Err(KisError::validation(
            "Steuer-IdNr ungültig: dieselbe Ziffer steht nie dreimal direkt hintereinander",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// IBAN and BIC
// ---------------------------------------------------------------------------

/// IBAN lengths of the SEPA countries and their European neighbours (from
/// the SWIFT IBAN registry). An IBAN of another country is refused: KIS pays
/// and collects by SEPA only.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AL", 28),
    ("AT", 20),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("CH", 21),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("EE", 20),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IS", 26),
    ("IT", 27),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MT", 31),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("RO", 24),
    ("RS", 22),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("XK", 20),
];

/// Checks an IBAN (spaces allowed, any case) and returns it normalised:
/// upper case, without spaces. Checks the country's length and the ISO 7064
/// MOD 97-10 check digits.
pub fn validate_iban(s: &str) -> Result<String> {
    let iban: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if iban.is_empty() {
        return Err(KisError::validation("IBAN fehlt"));
    }
    if !iban.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(KisError::validation(format!(
            "IBAN ungültig: {} – erlaubt sind nur Buchstaben und Ziffern",
            quote_input(s)
        )));
    }
    let b = iban.as_bytes();
    if b.len() < 4
        || !b[0].is_ascii_alphabetic()
        || !b[1].is_ascii_alphabetic()
        || !b[2].is_ascii_digit()
        || !b[3].is_ascii_digit()
    {
        return Err(KisError::validation(
            "IBAN ungültig: sie beginnt mit dem Länderkennzeichen und zwei Prüfziffern, \
             z. B. DE89 3704 0044 0532 0130 00",
        ));
    }
    let country = &iban[..2];
    let Some(&(_, length)) = IBAN_LENGTHS.iter().find(|(c, _)| *c == country) else {
        return Err(KisError::validation(format!(
            "IBAN ungültig: Länderkennzeichen {country} wird nicht unterstützt (nur SEPA-Länder)"
        )));
    };
    if iban.len() != length {
        return Err(KisError::validation(format!(
            "IBAN ungültig: eine IBAN aus {country} hat {length} Stellen, eingegeben wurden {}",
            iban.len()
        )));
    }
    if iban_mod97(b) != 1 {
        return Err(KisError::validation(
            "IBAN ungültig: die Prüfziffer stimmt nicht – bitte Eingabe prüfen",
        ));
    }
    Ok(iban)
}

/// The IBAN (upper-cased, spaces removed) in groups of four for display and
/// print: `DE89 3704 0044 0532 0130 00`. Does not validate.
pub fn format_iban(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4 + 1);
    for (i, c) in s.chars().filter(|c| !c.is_whitespace()).enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// ISO 7064 MOD 97-10 over an upper-case alphanumeric IBAN: the first four
/// characters move to the end, letters count as 10 (A) to 35 (Z).
fn iban_mod97(iban: &[u8]) -> u32 {
    let (head, tail) = iban.split_at(4);
    tail.iter().chain(head).fold(0u32, |rem, &b| {
        if b.is_ascii_digit() {
            (rem * 10 + u32::from(b - b'0')) % 97
        } else {
            (rem * 100 + u32::from(b - b'A') + 10) % 97
        }
    })
}

/// Checks a BIC (ISO 9362; spaces allowed, any case) and returns it upper
/// case without spaces: 4 characters for the institution (letters, or since
/// ISO 9362:2014 also digits), 2 letters for the country, 2 characters for
/// the location, optionally 3 for the branch.
pub fn validate_bic(s: &str) -> Result<String> {
    let bic: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if bic.is_empty() {
        return Err(KisError::validation("BIC fehlt"));
    }
    let shape = || {
        KisError::validation(format!(
            "BIC ungültig: {} – Aufbau: 4 Zeichen Institut, 2 Buchstaben Land, \
             2 Zeichen Ort, wahlweise 3 Zeichen Filiale, z. B. COBADEFFXXX",
            quote_input(s)
        ))
    };
    let b = bic.as_bytes();
    if !b.iter().all(u8::is_ascii_alphanumeric) {
        return Err(shape());
    }
    if b.len() != 8 && b.len() != 11 {
        return Err(KisError::validation(format!(
            "BIC ungültig: sie hat 8 oder 11 Stellen, eingegeben wurden {}",
            b.len()
        )));
    }
    if !b[4..6].iter().all(u8::is_ascii_alphabetic) {
        return Err(shape());
    }
    Ok(bic)
}

// ---------------------------------------------------------------------------
// Versicherungsnummer (Rentenversicherungsnummer)
// ---------------------------------------------------------------------------

/// Weights of the Versicherungsnummer check digit, one per digit after the
/// letter has been replaced by its two-digit alphabet position.
const RV_WEIGHTS: [u32; 12] = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];

/// Checks a Versicherungsnummer (spaces allowed, letter in any case), e.g.
/// `15 070649 C 103`.
///
/// Structure (§147 SGB VI): 2-digit Bereichsnummer, birth date TTMMJJ,
/// initial letter of the birth name, 2-digit serial number, check digit.
/// Checked: the structure, a month 00–12 and the check digit (see
/// [`rv_check_digit`]). Not checked: the day, because the Rentenversicherung
/// raises it by 32, 64 or 96 when the serial numbers of a date run out and
/// uses 00 for an unknown day; and the Bereichsnummer, whose list of valid
/// values changes with the organisation of the Rentenversicherung.
pub fn validate_rv_nummer(s: &str) -> Result<()> {
    normalize_rv_nummer(s).map(|_| ())
}

/// Like [`validate_rv_nummer`], returning the number upper case without
/// spaces.
pub fn normalize_rv_nummer(s: &str) -> Result<String> {
    let nr: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if nr.is_empty() {
        return Err(KisError::validation("Versicherungsnummer fehlt"));
    }
    let b = nr.as_bytes();
    if !(b.len() == 12 && is_rv_first11(&b[..11]) && b[11].is_ascii_digit()) {
        return Err(KisError::validation(format!(
            "Versicherungsnummer ungültig: {} – Aufbau: 8 Ziffern, Anfangsbuchstabe des \
             Geburtsnamens, 3 Ziffern, z. B. 15 070649 C 103",
            quote_input(s)
        )));
    }
    let month = u32::from(b[4] - b'0') * 10 + u32::from(b[5] - b'0');
    if month > 12 {
        return Err(KisError::validation(format!(
            "Versicherungsnummer ungültig: Monat {month} im Geburtsdatum gibt es nicht"
        )));
    }
    if rv_check_digit(&nr[..11]).map(|d| d + b'0') != Some(b[11]) {
        return Err(KisError::validation(
            "Versicherungsnummer ungültig: die Prüfziffer stimmt nicht – bitte Eingabe prüfen",
        ));
    }
    Ok(nr)
}

/// The check digit of the first 11 characters of a Versicherungsnummer
/// (8 digits, an upper-case letter, 2 digits); `None` if they do not have
/// that form.
///
/// The letter is replaced by its position in the alphabet as two digits
/// (A = 01 … Z = 26), giving 12 digits. They are multiplied by the weights
/// 2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1; the cross sums (Quersummen) of the
/// products are added; the check digit is that sum mod 10.
///
/// Worked example for 15070649C10 (C = 03):
///
/// ```text
/// digits    1  5  0  7  0  6  4  9  0  3  1  0
/// weights   2  1  2  5  7  1  2  1  2  1  2  1
/// products  2  5  0 35  0  6  8  9  0  3  2  0
/// cross     2  5  0  8  0  6  8  9  0  3  2  0   sum 43 → check digit 3
/// ```
///
/// so 15070649C103 is a well-formed Versicherungsnummer.
pub fn rv_check_digit(first11: &str) -> Option<u8> {
    let b = first11.as_bytes();
    if !is_rv_first11(b) {
        return None;
    }
    let letter = b[8] - b'A' + 1;
    let digits = b[..8]
        .iter()
        .map(|d| d - b'0')
        .chain([letter / 10, letter % 10])
        .chain(b[9..].iter().map(|d| d - b'0'));
    let sum: u32 = digits
        .zip(RV_WEIGHTS)
        .map(|(d, w)| {
            let p = u32::from(d) * w;
            p / 10 + p % 10
        })
        .sum();
    // sum % 10 is a single digit.
    Some((sum % 10) as u8)
}

/// 8 digits, an upper-case letter, 2 digits.
fn is_rv_first11(b: &[u8]) -> bool {
    b.len() == 11
        && b[..8].iter().all(u8::is_ascii_digit)
        && b[8].is_ascii_uppercase()
        && b[9..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg<T: std::fmt::Debug>(r: Result<T>) -> String {
        match r {
            Ok(v) => panic!("expected an error, got {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    // --- IdNr ---

    #[test]
    fn idnr_check_digit_of_worked_example() {
        assert_eq!(idnr_check_digit("8654013790"), Some(6));
        assert_eq!(validate_steuer_idnr("86540137906"), Ok(()));
        assert_eq!(validate_steuer_idnr("865 401 379 06"), Ok(()));
    }

    #[test]
    fn idnr_published_examples_are_valid() {
        // Examples from the ELSTER description of the IdNr check.
        for idnr in [
            "86095742719",
            "47036892816",
            "65929970489",
            "57549285017",
            "25768131411",
        ] {
            assert_eq!(validate_steuer_idnr(idnr), Ok(()), "{idnr}");
        }
    }

    #[test]
    fn idnr_check_digit_ten_becomes_zero() {
        // As in the worked example, after the ninth digit of 865401379x the
        // product is 8. A tenth digit 8 gives s = (8 + 8) mod 10 = 6 and
        // p = 12 mod 11 = 1, so 11 − 1 = 10, which becomes check digit 0.
        assert_eq!(idnr_check_digit("8654013798"), Some(0));
        assert_eq!(validate_steuer_idnr("86540137980"), Ok(()));
    }

    #[test]
    fn idnr_check_digit_rejects_bad_input() {
        assert_eq!(idnr_check_digit("123456789"), None);
        assert_eq!(idnr_check_digit("12345678901"), None);
        assert_eq!(idnr_check_digit("12345678a0"), None);
        assert_eq!(idnr_check_digit("１２３４５６７８９０"), None);
    }

    #[test]
    fn idnr_every_wrong_check_digit_is_refused() {
        for d in (0..10).filter(|&d| d != 6) {
            let idnr = format!("8654013790{d}");
            assert_eq!(
                msg(validate_steuer_idnr(&idnr)),
                "Steuer-IdNr ungültig: die Prüfziffer stimmt nicht – bitte Eingabe prüfen"
            );
        }
    }

    #[test]
    fn idnr_single_digit_typo_is_caught() {
        let valid = "86095742719";
        for pos in 0..10 {
            for d in b'0'..=b'9' {
                let mut typo = valid.as_bytes().to_vec();
                if typo[pos] == d {
                    continue;
                }
                typo[pos] = d;
                let typo = String::from_utf8(typo).unwrap_or_default();
                assert!(validate_steuer_idnr(&typo).is_err(), "{typo}");
            }
        }
    }

    #[test]
    fn idnr_format_errors() {
        assert_eq!(msg(validate_steuer_idnr("  ")), "Steuer-IdNr fehlt");
        assert_eq!(
            msg(validate_steuer_idnr("8609574271x")),
            "Steuer-IdNr ungültig: „8609574271x“ – erlaubt sind nur Ziffern"
        );
        assert_eq!(
            msg(validate_steuer_idnr("8609574271")),
            "Steuer-IdNr ungültig: sie hat 11 Ziffern, eingegeben wurden 10"
        );
        assert_eq!(
            msg(validate_steuer_idnr("860957427190")),
            "Steuer-IdNr ungültig: sie hat 11 Ziffern, eingegeben wurden 12"
        );
        // A published test number: valid check digit, but starts with 0.
        assert_eq!(
            msg(validate_steuer_idnr("02476291358")),
            "Steuer-IdNr ungültig: sie beginnt nie mit 0"
        );
    }

    /// Appends the right check digit to `first10`.
    fn with_check(first10: &str) -> String {
        let d = idnr_check_digit(first10).unwrap_or(0);
        format!("{first10}{d}")
    }

    #[test]
    fn idnr_digit_distribution() {
        let rule = "Steuer-IdNr ungültig: in den ersten 10 Ziffern kommt genau eine Ziffer \
                    zwei- oder dreimal vor, alle anderen höchstens einmal";
        // All ten digits different: no repeated digit.
        assert_eq!(msg(validate_steuer_idnr(&with_check("1234567890"))), rule);
        // Two digits repeated.
        assert_eq!(msg(validate_steuer_idnr(&with_check("1123456788"))), rule);
        // One digit four times.
        assert_eq!(msg(validate_steuer_idnr(&with_check("1121314567"))), rule);
        // Twice, adjacent: fine.
        assert_eq!(validate_steuer_idnr(&with_check("1123456789")), Ok(()));
        // Three times, not all adjacent: fine (since 2016).
        assert_eq!(validate_steuer_idnr(&with_check("1123145678")), Ok(()));
        assert_eq!(validate_steuer_idnr(&with_check("1213145678")), Ok(()));
        // Three times in direct succession: refused.
        assert_eq!(
            msg(validate_steuer_idnr(&with_check("1112345678"))),
            "Steuer-IdNr ungültig: dieselbe Ziffer steht nie dreimal direkt hintereinander"
        );
        assert_eq!(
            msg(validate_steuer_idnr(&with_check("2345678111"))),
            "Steuer-IdNr ungültig: dieselbe Ziffer steht nie dreimal direkt hintereinander"
        );
    }

    // --- IBAN / BIC ---

    #[test]
    fn valid_ibans_are_normalised() {
        assert_eq!(
            validate_iban("DE89 3704 0044 0532 0130 00").ok().as_deref(),
            Some("DE89370400440532013000")
        );
        assert_eq!(
            validate_iban("  de89370400440532013000 ").ok().as_deref(),
            Some("DE89370400440532013000")
        );
        for iban in [
            "AT61 1904 3002 3457 3201",
            "BE68 5390 0754 7034",
            "CH93 0076 2011 6238 5295 7",
            "FR14 2004 1010 0505 0001 3M02 606",
            "GB29 NWBK 6016 1331 9268 19",
            "NL91 ABNA 0417 1643 00",
            "NO93 8601 1117 947",
            "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
            "PL61 1090 1014 0000 0712 1981 2874",
        ] {
            assert!(validate_iban(iban).is_ok(), "{iban}");
        }
    }

    #[test]
    fn iban_check_digits_catch_typos_and_swaps() {
        assert_eq!(
            msg(validate_iban("DE89 3704 0044 0532 0130 01")),
            "IBAN ungültig: die Prüfziffer stimmt nicht – bitte Eingabe prüfen"
        );
        assert!(validate_iban("DE89 3704 0044 0532 0103 00").is_err());
        assert!(validate_iban("DE98 3704 0044 0532 0130 00").is_err());
    }

    #[test]
    fn iban_errors() {
        assert_eq!(msg(validate_iban("")), "IBAN fehlt");
        assert_eq!(
            msg(validate_iban("DE89-3704-0044")),
            "IBAN ungültig: „DE89-3704-0044“ – erlaubt sind nur Buchstaben und Ziffern"
        );
        let start = "IBAN ungültig: sie beginnt mit dem Länderkennzeichen und zwei Prüfziffern, \
                     z. B. DE89 3704 0044 0532 0130 00";
        assert_eq!(msg(validate_iban("8937040044")), start);
        assert_eq!(msg(validate_iban("DEX9370400440532013000")), start);
        assert_eq!(msg(validate_iban("DE")), start);
        assert_eq!(
            msg(validate_iban("DE89 3704 0044 0532 0130 0")),
            "IBAN ungültig: eine IBAN aus DE hat 22 Stellen, eingegeben wurden 21"
        );
        assert_eq!(
            msg(validate_iban("US12 3456 7890")),
            "IBAN ungültig: Länderkennzeichen US wird nicht unterstützt (nur SEPA-Länder)"
        );
    }

    #[test]
    fn iban_lengths_table_is_consistent() {
        for (i, (country, len)) in IBAN_LENGTHS.iter().enumerate() {
            assert_eq!(country.len(), 2);
            assert!((15..=34).contains(len), "{country}");
            assert!(
                IBAN_LENGTHS[i + 1..].iter().all(|(c, _)| c != country),
                "{country} twice"
            );
        }
    }

    #[test]
    fn iban_formatting() {
        assert_eq!(
            format_iban("de89370400440532013000"),
            "DE89 3704 0044 0532 0130 00"
        );
        assert_eq!(
            format_iban("DE89 3704 0044 0532 0130 00"),
            "DE89 3704 0044 0532 0130 00"
        );
        assert_eq!(format_iban("NO9386011117947"), "NO93 8601 1117 947");
        assert_eq!(format_iban(""), "");
    }

    #[test]
    fn bic_validation() {
        assert_eq!(
            validate_bic("COBADEFFXXX").ok().as_deref(),
            Some("COBADEFFXXX")
        );
        assert_eq!(validate_bic(" cobadeff ").ok().as_deref(), Some("COBADEFF"));
        assert_eq!(
            validate_bic("MARK DEF1 100").ok().as_deref(),
            Some("MARKDEF1100")
        );
        assert_eq!(msg(validate_bic("")), "BIC fehlt");
        assert_eq!(
            msg(validate_bic("COBADEF")),
            "BIC ungültig: sie hat 8 oder 11 Stellen, eingegeben wurden 7"
        );
        assert_eq!(
            msg(validate_bic("COBADEFFXX")),
            "BIC ungültig: sie hat 8 oder 11 Stellen, eingegeben wurden 10"
        );
        let shape = |s: &str| {
            format!(
                "BIC ungültig: „{s}“ – Aufbau: 4 Zeichen Institut, 2 Buchstaben Land, \
                 2 Zeichen Ort, wahlweise 3 Zeichen Filiale, z. B. COBADEFFXXX"
            )
        };
        assert_eq!(msg(validate_bic("COBA12FF")), shape("COBA12FF"));
        assert_eq!(msg(validate_bic("COBADE-F")), shape("COBADE-F"));
        assert_eq!(msg(validate_bic("COBADEFÄ")), shape("COBADEFÄ"));
    }

    // --- Versicherungsnummer ---

    #[test]
    fn rv_worked_example() {
        assert_eq!(rv_check_digit("15070649C10"), Some(3));
        assert_eq!(validate_rv_nummer("15070649C103"), Ok(()));
        assert_eq!(validate_rv_nummer("15 070649 c 103"), Ok(()));
        assert_eq!(
            normalize_rv_nummer("15 070649 c 103").ok().as_deref(),
            Some("15070649C103")
        );
    }

    #[test]
    fn rv_second_hand_computed_example() {
        // 10010490A44: A = 01.
        // digits   1 0 0 1 0 4 9 0 0 1 4 4
        // products 2 0 0 5 0 4 18 0 0 1 8 4 → cross sums 2 0 0 5 0 4 9 0 0 1 8 4
        // sum 33 → 3
        assert_eq!(rv_check_digit("10010490A44"), Some(3));
        assert_eq!(validate_rv_nummer("10010490A443"), Ok(()));
    }

    #[test]
    fn rv_two_digit_letter_positions() {
        // Z = 26: the letter contributes 2·2 = 4 and 6·1 = 6.
        // digits 6 5 1 7 0 8 3 9 2 6 0 8, products 12 5 2 35 0 8 6 9 4 6 0 8,
        // cross sums 3 5 2 8 0 8 6 9 4 6 0 8 → 59 → 9.
        assert_eq!(rv_check_digit("65170839Z08"), Some(9));
        assert_eq!(validate_rv_nummer("65170839Z089"), Ok(()));
    }

    #[test]
    fn rv_every_weight_is_used() {
        // The examples above have a 0 in the fifth place (weight 7); this one
        // (15.11.1990, M = 13) has no 0 before the letter.
        // digits   5  3  1  5  1  1  9  0  1  3  5  2
        // products 10 3  2 25  7  1 18  0  2  3 10  2
        // cross    1  3  2  7  7  1  9  0  2  3  1  2   sum 38 → 8
        assert_eq!(rv_check_digit("53151190M52"), Some(8));
        assert_eq!(validate_rv_nummer("53 151190 M 528"), Ok(()));
    }

    #[test]
    fn rv_day_is_not_checked_but_month_is() {
        // Day raised by 32 (overflow of serial numbers), day 00, month 00.
        for first11 in ["15330649C10", "15000649C10", "15010049C10"] {
            let d = rv_check_digit(first11).unwrap_or(0);
            assert_eq!(
                validate_rv_nummer(&format!("{first11}{d}")),
                Ok(()),
                "{first11}"
            );
        }
        let first11 = "15071349C10";
        let d = rv_check_digit(first11).unwrap_or(0);
        assert_eq!(
            msg(validate_rv_nummer(&format!("{first11}{d}"))),
            "Versicherungsnummer ungültig: Monat 13 im Geburtsdatum gibt es nicht"
        );
    }

    #[test]
    fn rv_errors() {
        assert_eq!(msg(validate_rv_nummer("")), "Versicherungsnummer fehlt");
        assert_eq!(
            msg(validate_rv_nummer("15070649C104")),
            "Versicherungsnummer ungültig: die Prüfziffer stimmt nicht – bitte Eingabe prüfen"
        );
        for bad in [
            "15070649C10",
            "15070649C1033",
            "1507064913103",
            "15070649Ä103",
            "A5070649C103",
        ] {
            assert_eq!(
                msg(validate_rv_nummer(bad)),
                format!(
                    "Versicherungsnummer ungültig: „{bad}“ – Aufbau: 8 Ziffern, \
                     Anfangsbuchstabe des Geburtsnamens, 3 Ziffern, z. B. 15 070649 C 103"
                ),
                "{bad}"
            );
        }
        assert_eq!(rv_check_digit("15070649c10"), None);
        assert_eq!(rv_check_digit("1507064"), None);
    }
}
