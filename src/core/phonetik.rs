//! Kölner Phonetik (Hans Joachim Postel, 1969): a phonetic code for German
//! names, so that a search for "Meier" finds Maier, Mayer, Meyer and Mayr.
//!
//! Each letter gets a digit depending on its neighbours:
//!
//! | letter            | context                                        | code |
//! |-------------------|------------------------------------------------|------|
//! | A E I J O U Y     |                                                | 0    |
//! | H                 |                                                | –    |
//! | B                 |                                                | 1    |
//! | P                 | not before H                                   | 1    |
//! | D T               | not before C S Z                               | 2    |
//! | F V W             |                                                | 3    |
//! | P                 | before H                                       | 3    |
//! | G K Q             |                                                | 4    |
//! | C                 | first letter, before A H K L O Q R U X         | 4    |
//! | C                 | not first, before A H K O Q U X, not after S Z | 4    |
//! | X                 | not after C K Q                                | 48   |
//! | L                 |                                                | 5    |
//! | M N               |                                                | 6    |
//! | R                 |                                                | 7    |
//! | S Z               |                                                | 8    |
//! | C                 | after S Z                                      | 8    |
//! | C                 | first letter, not before A H K L O Q R U X     | 8    |
//! | C                 | not first, not before A H K O Q U X            | 8    |
//! | D T               | before C S Z                                   | 8    |
//! | X                 | after C K Q                                    | 8    |
//!
//! Then runs of the same digit collapse to one, and every 0 except a leading
//! one is removed. H produces no digit at all, so it neither codes nor
//! separates a run.
//!
//! Extensions for real register data: ä, ö, ü count as vowels (0), ß as S
//! (8), and accented Latin letters as their base letter (é = e, ł = l, via
//! [`crate::core::collation`]). The input is case-insensitive.
//!
//! Non-letters (digits, spaces, hyphens, apostrophes) are skipped:
//! [`koelner_phonetik`] codes its whole input as one word, so for
//! "Müller-Lüdenscheidt" the hyphen does not split (code 65752682) and a
//! letter's neighbours across it still count as context.
//! [`phonetik_codes`] instead splits a name into its parts for indexing.

use crate::core::collation::{Variant, fold_into};

/// The Kölner Phonetik code of `name`, treated as a single word (non-letters
/// are skipped). Empty if `name` has no letters.
pub fn koelner_phonetik(name: &str) -> String {
    let mut folded = String::with_capacity(name.len() + 4);
    fold_into(name, Variant::Sort, &mut folded);
    let letters: Vec<u8> = folded.bytes().filter(u8::is_ascii_lowercase).collect();
    encode(&letters)
}

/// One code per part of a multi-part name (split on whitespace and hyphens),
/// for the phonetic index. Parts without letters are skipped, and a code
/// appears only once even if two parts share it ("Meier-Mayer" gives
/// `["67"]`), in the order of first appearance.
pub fn phonetik_codes(name: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for part in name.split(|c: char| c.is_whitespace() || c == '-') {
        let code = koelner_phonetik(part);
        if !code.is_empty() && !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// Codes a sequence of ASCII lower-case letters.
fn encode(letters: &[u8]) -> String {
    let mut code = String::with_capacity(letters.len() + 2);
    let mut last: Option<u8> = None;
    for (i, &c) in letters.iter().enumerate() {
        let prev = if i == 0 { None } else { Some(letters[i - 1]) };
        let next = letters.get(i + 1).copied();
        for &digit in letter_code(c, prev, next) {
            // Collapse runs of the same digit, then drop every 0 that is not
            // at the very start. Doing both in one pass is equivalent: a 0
            // still ends a run of another digit, it just is not written.
            if last != Some(digit) && (digit != b'0' || last.is_none()) {
                code.push(char::from(digit));
            }
            last = Some(digit);
        }
    }
    code
}

/// The digit(s) for letter `c` between `prev` and `next`.
fn letter_code(c: u8, prev: Option<u8>, next: Option<u8>) -> &'static [u8] {
    let next_in = |set: &[u8]| next.is_some_and(|n| set.contains(&n));
    let prev_in = |set: &[u8]| prev.is_some_and(|p| set.contains(&p));
    match c {
        b'a' | b'e' | b'i' | b'j' | b'o' | b'u' | b'y' => b"0",
        b'h' => b"",
        b'b' => b"1",
        b'p' if next == Some(b'h') => b"3",
        b'p' => b"1",
        b'd' | b't' if next_in(b"csz") => b"8",
        b'd' | b't' => b"2",
        b'f' | b'v' | b'w' => b"3",
        b'g' | b'k' | b'q' => b"4",
        b'c' => {
            let hard = if prev.is_none() {
                next_in(b"ahkloqrux")
            } else {
                !prev_in(b"sz") && next_in(b"ahkoqux")
            };
            if hard { b"4" } else { b"8" }
        }
        b'x' if prev_in(b"ckq") => b"8",
        b'x' => b"48",
        b'l' => b"5",
        b'm' | b'n' => b"6",
        b'r' => b"7",
        b's' | b'z' => b"8",
        _ => b"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meier_variants_all_code_67() {
        for name in ["Meier", "Maier", "Mayer", "Meyer", "Mayr", "MEIER", "meyer"] {
            assert_eq!(koelner_phonetik(name), "67", "{name}");
        }
    }

    #[test]
    fn mueller_variants_code_657() {
        for name in ["Müller", "Mueller", "Möller", "MÜLLER", "Muller"] {
            assert_eq!(koelner_phonetik(name), "657", "{name}");
        }
    }

    #[test]
    fn published_examples() {
        assert_eq!(koelner_phonetik("Wikipedia"), "3412");
        assert_eq!(koelner_phonetik("Müller-Lüdenscheidt"), "65752682");
        assert_eq!(koelner_phonetik("Breschnew"), "17863");
    }

    #[test]
    fn leading_vowel_keeps_its_zero() {
        assert_eq!(koelner_phonetik("Anna"), "06");
        assert_eq!(koelner_phonetik("Ölschläger"), "058547");
        assert_eq!(koelner_phonetik("Otto"), "02");
    }

    #[test]
    fn c_rules() {
        // At the start before A/H/K/L/O/Q/R/U/X: 4, else 8.
        assert_eq!(koelner_phonetik("Carl"), "475");
        assert_eq!(koelner_phonetik("Claus"), "458");
        assert_eq!(koelner_phonetik("Cäsar"), "487"); // ä is a: C before A
        assert_eq!(koelner_phonetik("Cem"), "86");
        assert_eq!(koelner_phonetik("Cilly"), "85");
        // Inside: before A/H/K/O/Q/U/X and not after S/Z: 4.
        assert_eq!(koelner_phonetik("Bach"), "14");
        assert_eq!(koelner_phonetik("Lucas"), "548");
        // After S or Z: 8.
        assert_eq!(koelner_phonetik("Schach"), "84");
        assert_eq!(koelner_phonetik("Zcha"), "8");
        // Inside, not before A/H/K/O/Q/U/X: 8.
        assert_eq!(koelner_phonetik("Lucie"), "58");
        // Before L, only a C at the start is hard.
        assert_eq!(koelner_phonetik("Acl"), "085");
    }

    #[test]
    fn d_t_before_c_s_z_code_8() {
        assert_eq!(koelner_phonetik("Schmitz"), "868");
        assert_eq!(koelner_phonetik("Schmidt"), "862");
        assert_eq!(koelner_phonetik("Dietz"), "28");
        assert_eq!(koelner_phonetik("Deutsch"), "28");
        assert_eq!(koelner_phonetik("Tadt"), "22");
    }

    #[test]
    fn p_and_x_rules() {
        assert_eq!(koelner_phonetik("Philipp"), "351");
        assert_eq!(koelner_phonetik("Peter"), "127");
        assert_eq!(koelner_phonetik("Xaver"), "4837");
        assert_eq!(koelner_phonetik("Max"), "648");
        assert_eq!(koelner_phonetik("Alex"), "0548");
        assert_eq!(koelner_phonetik("Fuchs"), "348");
        assert_eq!(koelner_phonetik("Dachs"), "248");
        assert_eq!(koelner_phonetik("Buckx"), "148");
    }

    #[test]
    fn h_is_silent_and_does_not_split_runs() {
        assert_eq!(koelner_phonetik("Hahn"), "06");
        assert_eq!(koelner_phonetik("Lehmann"), "566");
        // S H S: both S code 8 and H does not separate them.
        assert_eq!(koelner_phonetik("Shs"), "8");
    }

    #[test]
    fn sharp_s_codes_like_s() {
        assert_eq!(koelner_phonetik("Weiß"), koelner_phonetik("Weiss"));
        assert_eq!(koelner_phonetik("Weiß"), "38");
        assert_eq!(koelner_phonetik("Strauß"), koelner_phonetik("Strauss"));
    }

    #[test]
    fn accented_letters_code_as_base_letters() {
        assert_eq!(koelner_phonetik("Çelik"), koelner_phonetik("Celik"));
        assert_eq!(koelner_phonetik("Wałęsa"), koelner_phonetik("Walesa"));
        assert_eq!(koelner_phonetik("Dvořák"), "2374");
    }

    #[test]
    fn non_letters_are_skipped() {
        assert_eq!(koelner_phonetik(""), "");
        assert_eq!(koelner_phonetik("1234 -"), "");
        assert_eq!(koelner_phonetik("Mei3er"), "67");
        assert_eq!(koelner_phonetik("O'Brien"), "0176");
        assert_eq!(koelner_phonetik("  Meier  "), "67");
        assert_eq!(koelner_phonetik("Иванов"), "");
    }

    #[test]
    fn hyphen_does_not_split_but_context_carries_across() {
        // As one word, the C of "Schulz-Cremer" follows a Z and codes 8; on
        // its own, "Cremer" starts with C before R and codes 4.
        assert_eq!(koelner_phonetik("Schulz-Cremer"), "858767");
        assert_eq!(koelner_phonetik("Cremer"), "4767");
    }

    #[test]
    fn codes_per_name_part() {
        assert_eq!(
            phonetik_codes("Müller-Lüdenscheidt"),
            vec!["657".to_string(), "52682".to_string()]
        );
        assert_eq!(
            phonetik_codes("Schulz-Cremer"),
            vec!["858".to_string(), "4767".to_string()]
        );
        assert_eq!(
            phonetik_codes("Anna Maria  Meier"),
            vec!["06".to_string(), "67".to_string()]
        );
        assert_eq!(phonetik_codes("Meier-Mayer"), vec!["67".to_string()]);
        assert!(phonetik_codes(" - 12 ").is_empty());
    }
}
