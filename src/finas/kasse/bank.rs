//! Checks of the bank data a Kasse stores: IBAN (with the crate
//! `iban_validate`: the ISO 13616 check digits and each country's BBAN
//! format from the SWIFT IBAN registry), BIC (ISO 9362 structure, see
//! [`crate::core::ids::validate_bic`]) and the SEPA
//! Gläubiger-Identifikationsnummer. Every refusal names the reason in
//! German, as the field shows it.

use iban::{Iban, IbanLike, ParseBaseIbanError, ParseIbanError};

use crate::core::error::{KisError, Result};
use crate::core::ids;
use crate::core::sanitize::quote_input;

fn kompakt(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// An IBAN (spaces allowed, any case) checked and returned in electronic
/// form (upper case, no spaces); refused with the reason in field `feld`.
pub fn iban_pruefen(feld: &str, s: &str) -> Result<String> {
    let iban = kompakt(s);
    if iban.is_empty() {
        return Err(KisError::field(feld, "Bitte die IBAN angeben."));
    }
    match iban.parse::<Iban>() {
        Ok(i) => Ok(i.electronic_str().to_string()),
        Err(e) => Err(KisError::field(
            feld,
            format!("IBAN {} ungültig: {}", quote_input(s), iban_grund(&e)),
        )),
    }
}

fn iban_grund(e: &ParseIbanError) -> &'static str {
    match e {
        ParseIbanError::InvalidBaseIban {
            source: ParseBaseIbanError::InvalidChecksum,
        } => "die Prüfziffer stimmt nicht – bitte Eingabe prüfen.",
        ParseIbanError::InvalidBaseIban {
            source: ParseBaseIbanError::InvalidFormat,
        } => {
            "Aufbau falsch (Länderkennzeichen, zwei Prüfziffern, dann bis zu 30 Buchstaben oder Ziffern)."
        }
        ParseIbanError::InvalidBban(_) => {
            "Länge oder Aufbau der Kontonummer (BBAN) passen nicht zum Land."
        }
        ParseIbanError::UnknownCountry(_) => "das Länderkennzeichen ist unbekannt.",
    }
}

/// A BIC, checked; empty stays empty (IBAN-only payments within SEPA).
pub fn bic_pruefen(feld: &str, s: &str) -> Result<String> {
    if s.trim().is_empty() {
        return Ok(String::new());
    }
    ids::validate_bic(s).map_err(|e| KisError::field(feld, e.to_string()))
}

/// A SEPA Gläubiger-Identifikationsnummer (creditor identifier), checked
/// and returned upper case without spaces.
///
/// Structure (EPC 262-08, for Germany as the Deutsche Bundesbank issues
/// it): country code, two check digits, the three-character
/// Geschäftsbereichskennung (business code, `ZZZ` unless the creditor
/// chooses one), then the national identifier — in Germany 11 digits, so a
/// German id has 18 characters (`DE98ZZZ09999999999`). The check digits are
/// ISO 7064 MOD 97-10 over the national identifier followed by the country
/// code and `00`, *without* the business code (letters count A = 10 … Z =
/// 35): 98 minus the remainder.
pub fn glaeubiger_id_pruefen(feld: &str, s: &str) -> Result<String> {
    let id = kompakt(s);
    let fehler = |grund: &str| {
        KisError::field(
            feld,
            format!("Gläubiger-ID {} ungültig: {grund}", quote_input(s)),
        )
    };
    if id.is_empty() {
        return Err(KisError::field(feld, "Bitte die Gläubiger-ID angeben."));
    }
    let b = id.as_bytes();
    if b.len() < 8
        || b.len() > 35
        || !b.iter().all(u8::is_ascii_alphanumeric)
        || !b[..2].iter().all(u8::is_ascii_alphabetic)
        || !b[2..4].iter().all(u8::is_ascii_digit)
    {
        return Err(fehler(
            "Aufbau: Länderkennzeichen, zwei Prüfziffern, Geschäftsbereichskennung (3 Zeichen) und nationale Kennung, z. B. DE98ZZZ09999999999.",
        ));
    }
    if &id[..2] == "DE" && (b.len() != 18 || !b[7..].iter().all(u8::is_ascii_digit)) {
        return Err(fehler(
            "eine deutsche Gläubiger-ID hat 18 Stellen und endet mit 11 Ziffern.",
        ));
    }
    let pruef: u32 = id[2..4].parse().unwrap_or(0);
    let basis = format!("{}{}00", &id[7..], &id[..2]);
    if glaeubiger_pruefziffern(&basis) != pruef {
        return Err(fehler(
            "die Prüfziffern stimmen nicht – bitte Eingabe prüfen.",
        ));
    }
    Ok(id)
}

/// 98 − (the ISO 7064 MOD 97-10 remainder of `basis`), letters A = 10 … Z = 35.
fn glaeubiger_pruefziffern(basis: &str) -> u32 {
    let rest = basis.bytes().fold(0u32, |rem, c| {
        if c.is_ascii_digit() {
            (rem * 10 + u32::from(c - b'0')) % 97
        } else {
            (rem * 100 + u32::from(c - b'A') + 10) % 97
        }
    });
    98 - rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iban_is_checked_by_the_crate_with_a_german_reason() {
        assert_eq!(
            iban_pruefen("iban", "de89 3704 0044 0532 0130 00").unwrap(),
            "DE89370400440532013000"
        );
        let e = iban_pruefen("iban", "DE89 3704 0044 0532 0130 01").unwrap_err();
        assert_eq!(e.field_key(), Some("iban"));
        assert!(e.to_string().contains("Prüfziffer"), "{e}");
        let e = iban_pruefen("iban", "DE89 3704 0044 0532 0130").unwrap_err();
        assert!(e.to_string().contains("ungültig"), "{e}");
        assert!(iban_pruefen("iban", "").is_err());
    }

    #[test]
    fn bic_is_optional_but_checked() {
        assert_eq!(bic_pruefen("bic", "").unwrap(), "");
        assert_eq!(bic_pruefen("bic", "cobadeffxxx").unwrap(), "COBADEFFXXX");
        assert!(bic_pruefen("bic", "COBA12FF").is_err());
    }

    #[test]
    fn glaeubiger_id_check_digits_skip_the_business_code() {
        // The Bundesbank's example id.
        assert_eq!(
            glaeubiger_id_pruefen("gid", "de98 zzz 09999999999").unwrap(),
            "DE98ZZZ09999999999"
        );
        // The business code does not enter the check.
        assert!(glaeubiger_id_pruefen("gid", "DE98ABC09999999999").is_ok());
        assert!(glaeubiger_id_pruefen("gid", "DE97ZZZ09999999999").is_err());
        assert!(glaeubiger_id_pruefen("gid", "DE98ZZZ09999999998").is_err());
        assert!(glaeubiger_id_pruefen("gid", "DE98ZZZ0999999999").is_err());
    }
}
