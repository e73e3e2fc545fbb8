//! Keeps untrusted text from reaching the terminal raw.
//!
//! Names, addresses, imported files and free text come from outside. A stored
//! value such as `ESC ] 52 ; …` could otherwise rewrite a clerk's clipboard,
//! change the window title or hide text on her screen. Every escape sequence
//! starts with a control character (ESC, or the C1 introducers such as CSI
//! U+009B), so replacing all control characters defuses them all.
//!
//! Each control character (C0 U+0000–U+001F, DEL U+007F, C1 U+0080–U+009F)
//! becomes U+FFFD REPLACEMENT CHARACTER, which terminals draw as a visible
//! one-cell symbol: the clerk sees that the stored value contains something
//! odd instead of it silently vanishing. The exception is tab, which becomes a
//! single space because it is a harmless, common paste artefact.
//!
//! These functions run on every drawn text, so the common case (nothing to
//! replace) is a byte scan that returns the input borrowed, without allocating.

use std::borrow::Cow;

/// Shown in place of a control character.
pub const REPLACEMENT: char = '\u{FFFD}';

/// How line breaks are treated; everything else is the same in all modes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Newlines {
    /// `\n` and `\r` are control characters like any other.
    Replace,
    /// Every line break (`\n`, `\r\n` or a lone `\r`) becomes one space.
    Space,
    /// Every line break becomes `\n`.
    Keep,
}

/// Replaces every control character with U+FFFD, tab with a space.
/// Line breaks are replaced too; see [`sanitize_line`] and
/// [`sanitize_multiline`] for text where they are expected.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, Newlines::Replace)
}

/// For single-line widgets: like [`sanitize`], but a line break (`\n`,
/// `\r\n` or `\r`) becomes a single space.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    clean(s, Newlines::Space)
}

/// For memo fields and multi-line text: like [`sanitize`], but line breaks
/// are kept, normalised to `\n` (`\r\n` and a lone `\r` become `\n`).
pub fn sanitize_multiline(s: &str) -> Cow<'_, str> {
    clean(s, Newlines::Keep)
}

/// Quotes user input for an error message: „input“, sanitised to one line
/// and cut to 40 characters (with "…"), so a message stays readable and safe
/// even when the input was a pasted page of text.
pub fn quote_input(s: &str) -> String {
    const MAX_CHARS: usize = 40;
    let line = sanitize_line(s.trim());
    let mut out = String::with_capacity(line.len().min(4 * MAX_CHARS) + 8);
    out.push('„');
    let mut chars = line.chars();
    out.extend(chars.by_ref().take(MAX_CHARS));
    if chars.next().is_some() {
        out.push('…');
    }
    out.push('“');
    out
}

/// A text cell of a CSV export, safe to open in a spreadsheet: sanitised to
/// one line, and if it then starts with `=`, `+`, `-` or `@` it gets a
/// leading `'`, so Excel or LibreOffice show the text instead of evaluating
/// it as a formula (`=HYPERLINK(…)` in a stored name); leading blanks do not
/// hide the sign (a spreadsheet may trim them). Only text columns go
/// through here; amounts, counts and dates are written as numbers by the
/// exports themselves, so `-12,50` stays a number. Quoting for the
/// delimiter is the CSV writer's job.
pub fn csv_text_cell(s: &str) -> Cow<'_, str> {
    let line = sanitize_line(s);
    if line.trim_start().starts_with(['=', '+', '-', '@']) {
        Cow::Owned(format!("'{line}"))
    } else {
        line
    }
}

fn clean(s: &str, newlines: Newlines) -> Cow<'_, str> {
    match first_to_change(s.as_bytes(), newlines) {
        None => Cow::Borrowed(s),
        Some(pos) => Cow::Owned(rebuild(s, pos, newlines)),
    }
}

/// Byte offset of the first character that must change, if any. Works on
/// bytes: C0 and DEL are single bytes in UTF-8, a C1 character is encoded as
/// 0xC2 followed by 0x80–0x9F. No other UTF-8 sequence contains those
/// patterns at a character boundary, and a continuation byte never equals
/// 0xC2, so the scan cannot misfire inside a multi-byte character.
fn first_to_change(bytes: &[u8], newlines: Newlines) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 || b == 0x7F {
            if !(newlines == Newlines::Keep && b == b'\n') {
                return Some(i);
            }
        } else if b == 0xC2 && matches!(bytes.get(i + 1), Some(0x80..=0x9F)) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn rebuild(s: &str, start: usize, newlines: Newlines) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..start]);
    let mut chars = s[start..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push(' '),
            '\n' | '\r' if newlines != Newlines::Replace => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(if newlines == Newlines::Keep {
                    '\n'
                } else {
                    ' '
                });
            }
            c if is_control(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    out
}

/// C0, DEL and C1 control characters.
fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_borrowed(c: Cow<'_, str>) -> bool {
        matches!(c, Cow::Borrowed(_))
    }

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        for s in [
            "",
            "Müller-Lüdenscheidt",
            "Straße 1 · 12345 Köln",
            "€ ẞ 日本",
        ] {
            assert_eq!(sanitize(s), s);
            assert!(is_borrowed(sanitize(s)), "{s:?}");
            assert!(is_borrowed(sanitize_line(s)));
            assert!(is_borrowed(sanitize_multiline(s)));
        }
        assert!(is_borrowed(sanitize_multiline("Zeile 1\nZeile 2")));
    }

    #[test]
    fn osc_escape_sequence_loses_its_introducer() {
        let evil = "Meier\u{1b}]52;c;ZXZpbA==\u{7}";
        let out = sanitize(evil);
        assert_eq!(out, "Meier\u{FFFD}]52;c;ZXZpbA==\u{FFFD}");
        assert!(!out.contains('\u{1b}'));
        assert!(!out.contains('\u{7}'));
    }

    #[test]
    fn csi_sequences_in_seven_and_eight_bit_form_are_defused() {
        assert_eq!(sanitize("a\u{1b}[2Jb"), "a\u{FFFD}[2Jb");
        assert_eq!(sanitize("a\u{9b}2Jb"), "a\u{FFFD}2Jb");
        assert_eq!(sanitize("\u{80}x\u{9f}"), "\u{FFFD}x\u{FFFD}");
    }

    #[test]
    fn del_bel_nul_and_other_c0_are_replaced() {
        assert_eq!(sanitize("a\u{7f}b"), "a\u{FFFD}b");
        assert_eq!(sanitize("\u{0}\u{7}\u{8}\u{1f}"), "\u{FFFD}".repeat(4));
    }

    #[test]
    fn neighbours_of_c1_range_are_untouched() {
        // U+00A0 (0xC2 0xA0) and U+007E are not control characters.
        let s = "a\u{a0}b~c\u{a9}";
        assert!(is_borrowed(sanitize(s)));
        // 0xC2 0x80 must not be found across a character boundary: "Ā" is
        // 0xC4 0x80 and must stay.
        assert!(is_borrowed(sanitize("Ā\u{100}")));
    }

    #[test]
    fn tab_becomes_a_single_space() {
        assert_eq!(sanitize("a\tb"), "a b");
        assert_eq!(sanitize_line("a\tb"), "a b");
        assert_eq!(sanitize_multiline("a\tb"), "a b");
    }

    #[test]
    fn newlines_per_mode() {
        let s = "eins\nzwei\r\ndrei\rvier";
        assert_eq!(
            sanitize(s),
            "eins\u{FFFD}zwei\u{FFFD}\u{FFFD}drei\u{FFFD}vier"
        );
        assert_eq!(sanitize_line(s), "eins zwei drei vier");
        assert_eq!(sanitize_multiline(s), "eins\nzwei\ndrei\nvier");
    }

    #[test]
    fn multiline_still_replaces_escapes() {
        assert_eq!(sanitize_multiline("a\n\u{1b}[31mb"), "a\n\u{FFFD}[31mb");
    }

    #[test]
    fn csv_text_cells_cannot_start_a_formula() {
        assert_eq!(
            csv_text_cell("=HYPERLINK(\"http://x\";\"A\")"),
            "'=HYPERLINK(\"http://x\";\"A\")"
        );
        for s in ["+1", "-2+3", "@SUM(A1)"] {
            assert_eq!(csv_text_cell(s), format!("'{s}"));
        }
        // Sanitising first: a tab or line break in front does not hide the `=`.
        assert_eq!(csv_text_cell("\t=1"), "' =1");
        assert_eq!(csv_text_cell("\n=1"), "' =1");
        assert_eq!(csv_text_cell("Müller-Lüdenscheidt"), "Müller-Lüdenscheidt");
        assert!(is_borrowed(csv_text_cell("Anna = Bob")));
    }

    #[test]
    fn quote_input_sanitises_and_truncates() {
        assert_eq!(quote_input(" abc "), "„abc“");
        assert_eq!(quote_input("a\u{1b}b\nc"), "„a\u{FFFD}b c“");
        let long = "x".repeat(50);
        assert_eq!(quote_input(&long), format!("„{}…“", "x".repeat(40)));
        assert_eq!(
            quote_input(&"x".repeat(40)),
            format!("„{}“", "x".repeat(40))
        );
    }
}
