//! German collation (DIN 5007) and search normalisation for names.
//!
//! Two different foldings serve two different purposes:
//!
//! * **Sorting** ([`din5007_key`]) follows DIN 5007 variant 1, the dictionary
//!   order that lists such as the Wählerverzeichnis use: an umlaut sorts as
//!   its base letter (ä = a, ö = o, ü = u), ß as ss, case does not matter.
//!   "Müller" therefore sorts right next to "Muller", where a reader looks
//!   for it.
//! * **Searching** ([`search_key`]) treats an umlaut and its transcription as
//!   the same spelling (ü = ue). Older systems, passports' machine-readable
//!   zone and many clerks write "Mueller" for "Müller", so a search for either
//!   must find both. Variant 1 would fold "Müller" to "muller" but "Mueller"
//!   to "mueller" and miss that, while transcription keeps "Möller" distinct
//!   from "Müller" as it should be ("moeller" vs "mueller").
//!
//! Accents of other Latin letters found in German registers (é, ç, ł, ş, ğ,
//! ı, č, ř, ž, å, ø, …) are removed in both foldings; letters of other
//! scripts, digits and punctuation are kept (lower-cased); control
//! characters are dropped. Decomposed input (a base letter followed by a
//! combining mark, as some imports deliver it) folds like the precomposed
//! letter.

use std::cmp::Ordering;

/// Separates the folded primary key from the tie-breaking original in
/// [`din5007_key`]. It sorts before every character a folded key can contain
/// (control characters are dropped from it), so "abc" sorts before "abcd".
pub const KEY_SEPARATOR: char = '\u{1}';

/// Sort key for DIN 5007 variant 1.
///
/// The key is the folded text, then [`KEY_SEPARATOR`], then the original
/// text, so comparing keys as plain strings (also byte-wise in SQL with a
/// binary collation such as `COLLATE "C"`) gives a total, stable order: names
/// that fold alike are ordered by their original spelling, which puts the
/// plain letter before the umlaut ("Muller" before "Müller") and upper case
/// before lower case.
pub fn din5007_key(s: &str) -> String {
    let mut key = String::with_capacity(s.len() * 2 + 1);
    fold_into(s, Variant::Sort, &mut key);
    key.push(KEY_SEPARATOR);
    key.push_str(s);
    key
}

/// Compares two strings in DIN 5007 variant 1 order; the same order as
/// comparing their [`din5007_key`]s. It folds both strings on every call, so
/// to sort many names use `sort_by_cached_key(|n| din5007_key(n))` instead.
pub fn cmp_din5007(a: &str, b: &str) -> Ordering {
    let mut fa = String::with_capacity(a.len() + 4);
    let mut fb = String::with_capacity(b.len() + 4);
    fold_into(a, Variant::Sort, &mut fa);
    fold_into(b, Variant::Sort, &mut fb);
    fa.cmp(&fb).then_with(|| a.cmp(b))
}

/// Normalisation for name-prefix search: lower case, ä → ae, ö → oe,
/// ü → ue, ß → ss, accents removed, other characters kept.
/// `search_key("Müller") == search_key("Mueller") == "mueller"`.
pub fn search_key(s: &str) -> String {
    let mut key = String::with_capacity(s.len() + 4);
    fold_into(s, Variant::Search, &mut key);
    key
}

/// German upper-casing for upper-case fields (e.g. Geburtsname in some
/// masks). `ß` is kept as `ß`: the standard mapping to "SS" loses
/// information ("Maße" and "Masse" would both become "MASSE"), and the
/// capital ẞ (U+1E9E) is missing from the fonts and legacy character sets of
/// many terminals and printers. Everything else follows Unicode upper-casing.
pub fn upper_de(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_uppercase());
        } else if c == 'ß' {
            out.push('ß');
        } else {
            out.extend(c.to_uppercase());
        }
    }
    out
}

/// Which transcription the German umlauts get.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    /// DIN 5007 variant 1: ä → a, ö → o, ü → u.
    Sort,
    /// Transcription: ä → ae, ö → oe, ü → ue.
    Search,
}

/// Appends the folded form of `s` to `out` (see the module documentation).
pub(crate) fn fold_into(s: &str, variant: Variant, out: &mut String) {
    // The last base letter pushed, so that a combining diaeresis after a, o
    // or u can become the transcription's "e".
    let mut last = '\0';
    for c in s.chars() {
        if c.is_ascii() {
            if !c.is_ascii_control() {
                let l = c.to_ascii_lowercase();
                out.push(l);
                last = l;
            }
            continue;
        }
        if c == 'İ' {
            // Its Unicode lower case is "i" plus a combining dot.
            out.push('i');
            last = 'i';
            continue;
        }
        for l in c.to_lowercase() {
            last = fold_char(l, variant, last, out);
        }
    }
}

/// Folds one lower-case, non-ASCII character; returns the new `last`.
fn fold_char(c: char, variant: Variant, last: char, out: &mut String) -> char {
    let search = variant == Variant::Search;
    let folded: &str = match c {
        'ä' => umlaut(search, "a", "ae"),
        'ö' | 'ø' => umlaut(search, "o", "oe"),
        'ü' => umlaut(search, "u", "ue"),
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        '\u{308}' => {
            // Combining diaeresis: decomposed ä/ö/ü.
            if search && matches!(last, 'a' | 'o' | 'u') {
                out.push('e');
            }
            return last;
        }
        '\u{300}'..='\u{36f}' => return last, // other combining marks
        '\u{80}'..='\u{9f}' => return last,   // C1 control characters
        _ => match base_letter(c) {
            Some(b) => {
                out.push(b);
                return b;
            }
            None => {
                out.push(c);
                return c;
            }
        },
    };
    out.push_str(folded);
    folded.chars().next_back().unwrap_or(last)
}

fn umlaut(search: bool, sort: &'static str, transcribed: &'static str) -> &'static str {
    if search { transcribed } else { sort }
}

/// The unaccented base letter of a lower-case Latin letter with a diacritic.
fn base_letter(c: char) -> Option<char> {
    let b = match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' | 'ð' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ō' | 'ŏ' | 'ő' | 'ǒ' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => 's',
        'ţ' | 'ť' | 'ŧ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        _ => return None,
    };
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn primary(s: &str) -> String {
        let key = din5007_key(s);
        key.split(KEY_SEPARATOR)
            .next()
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn variant_1_folds_umlauts_to_base_letters() {
        assert_eq!(primary("Müller"), "muller");
        assert_eq!(primary("ÄRGER"), "arger");
        assert_eq!(primary("Öztürk"), "ozturk");
        assert_eq!(primary("Straße"), "strasse");
        assert_eq!(primary("STRAẞE"), "strasse");
    }

    #[test]
    fn accents_of_register_letters_are_removed() {
        assert_eq!(primary("Łukasz Wałęsa"), "lukasz walesa");
        assert_eq!(primary("Şahin Doğan"), "sahin dogan");
        assert_eq!(primary("Yıldız İnce"), "yildiz ince");
        assert_eq!(primary("Dvořák Čapek Žižka"), "dvorak capek zizka");
        assert_eq!(primary("François Renée"), "francois renee");
        assert_eq!(primary("Ångström Søren Æsop"), "angstrom soren aesop");
        assert_eq!(primary("Núñez"), "nunez");
    }

    #[test]
    fn decomposed_input_folds_like_precomposed() {
        let nfd = "Mu\u{308}ller Rene\u{301}e";
        assert_eq!(primary(nfd), "muller renee");
        assert_eq!(search_key(nfd), "mueller renee");
    }

    #[test]
    fn other_scripts_digits_and_punctuation_are_kept() {
        assert_eq!(primary("Иванов 2-b"), "иванов 2-b");
        assert_eq!(search_key("O'Brien, Ana"), "o'brien, ana");
    }

    #[test]
    fn control_characters_do_not_enter_the_primary_key() {
        assert_eq!(primary("Me\u{1b}ier\u{85}"), "meier");
        assert_eq!(search_key("Me\tier"), "meier");
    }

    #[test]
    fn sort_is_din_5007_variant_1() {
        let mut names = vec![
            "Zander", "Müller", "Mueller", "Muller", "Möller", "Moller", "abel", "Ärger", "Arm",
            "Strasse", "Straße", "Öl", "Ofen", "Meier", "Meyer", "Maier",
        ];
        names.sort_by(|a, b| cmp_din5007(a, b));
        assert_eq!(
            names,
            vec![
                "abel", "Ärger", "Arm", "Maier", "Meier", "Meyer", "Moller", "Möller", "Mueller",
                "Muller", "Müller", "Ofen", "Öl", "Strasse", "Straße", "Zander",
            ]
        );
    }

    #[test]
    fn keys_sort_like_cmp() {
        let names = [
            "Müller", "Muller", "muller", "Mull", "Mullera", "Ärger", "arger", "Zoe", "", "Şahin",
            "Sahin", "Ša", "100", "Ab c", "Abc",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    din5007_key(a).cmp(&din5007_key(b)),
                    cmp_din5007(a, b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn order_is_total_ties_broken_by_original() {
        assert_eq!(cmp_din5007("Muller", "Müller"), Ordering::Less);
        assert_eq!(cmp_din5007("Müller", "müller"), Ordering::Less);
        assert_eq!(cmp_din5007("Müller", "Müller"), Ordering::Equal);
        assert_ne!(din5007_key("Muller"), din5007_key("Müller"));
    }

    #[test]
    fn prefix_sorts_first() {
        assert_eq!(cmp_din5007("Mull", "Muller"), Ordering::Less);
        assert!(din5007_key("Mull") < din5007_key("Muller"));
        assert!(din5007_key("Müll") < din5007_key("Muller"));
    }

    #[test]
    fn case_insensitive_primary_order() {
        assert_eq!(cmp_din5007("abel", "Bauer"), Ordering::Less);
        assert_eq!(cmp_din5007("Zorn", "abel"), Ordering::Greater);
    }

    #[test]
    fn search_key_equates_umlaut_and_transcription() {
        assert_eq!(search_key("Müller"), "mueller");
        assert_eq!(search_key("Mueller"), "mueller");
        assert_eq!(search_key("MÜLLER"), "mueller");
        assert_eq!(search_key("Möller"), "moeller");
        assert_ne!(search_key("Möller"), search_key("Müller"));
        assert_eq!(search_key("Jäger"), "jaeger");
        assert_eq!(search_key("Weiß"), "weiss");
        assert_eq!(search_key("Søren"), "soeren");
        assert_eq!(search_key("Çelik"), "celik");
        assert!(search_key("Müllerstraße").starts_with(&search_key("Mül")));
    }

    #[test]
    fn upper_de_keeps_sharp_s() {
        assert_eq!(upper_de("Weiß"), "WEIß");
        assert_eq!(upper_de("müller-lüdenscheidt"), "MÜLLER-LÜDENSCHEIDT");
        assert_eq!(upper_de("çelik"), "ÇELIK");
        assert_eq!(upper_de(""), "");
    }
}
