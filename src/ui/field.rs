//! Declared mask fields and the editing state of one field.

use crate::core::collation::upper_de;
use crate::core::date::{format_date_de, parse_date_de};
use crate::core::money::Money;

/// What a field holds; decides input filtering, validation and display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// Upper-case text, converted as typed.
    Upper,
    /// Whole number (digits, optional leading minus).
    Number,
    /// Amount in euro, shown as `1.234,56`.
    Money,
    /// Date `TT.MM.JJJJ` (short forms accepted, normalised on leaving).
    Date,
    /// A key of the named code list (Schlüsseltabelle); F4 lists the keys.
    Code(&'static str),
    /// `J` or `N`.
    Flag,
    /// Multi-line text with the given number of rows.
    Memo(u16),
    /// Password input: shown as `*`.
    Secret,
}

/// One declared field of a mask.
/// The most characters a name field of the register holds: names as the
/// law allows them (a double name with its prefixes, several Vornamen)
/// scroll in the field and are stored whole, never cut to the field width.
pub const NAME_LEN: u16 = 120;

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub key: &'static str,
    pub label: &'static str,
    /// Body row (0 = first row below the command line separator).
    pub row: u16,
    /// Column of the label.
    pub col: u16,
    /// Width of label plus leader dots; the input starts right after it.
    pub label_width: u16,
    /// Input width on the screen in characters.
    pub width: u16,
    /// The most characters a single-line field holds (at least `width`; a
    /// longer text scrolls in the field instead of being cut).
    pub max_len: u16,
    pub kind: FieldKind,
    pub required: bool,
    pub readonly: bool,
    /// Part of the record's key: editable only when creating a record.
    pub key_field: bool,
    pub help: &'static str,
}

impl FieldDef {
    pub fn new(
        key: &'static str,
        label: &'static str,
        row: u16,
        col: u16,
        width: u16,
        kind: FieldKind,
    ) -> Self {
        let width = match kind {
            FieldKind::Date => width.max(10),
            FieldKind::Flag => 1,
            _ => width,
        };
        FieldDef {
            key,
            label,
            row,
            col,
            label_width: 21,
            width,
            max_len: width,
            kind,
            required: false,
            readonly: false,
            key_field: false,
            help: "",
        }
    }

    /// Let the field hold up to `n` characters (it scrolls horizontally
    /// past its width).
    pub fn max_len(mut self, n: u16) -> Self {
        self.max_len = n.max(self.width);
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn readonly(mut self) -> Self {
        self.readonly = true;
        self
    }

    pub fn key_field(mut self) -> Self {
        self.key_field = true;
        self
    }

    pub fn help(mut self, help: &'static str) -> Self {
        self.help = help;
        self
    }

    pub fn label_width(mut self, w: u16) -> Self {
        self.label_width = w;
        self
    }

    /// The label followed by leader dots up to the label width:
    /// `Name . . . . `. The dots sit on odd columns so that they line up
    /// from row to row, as on host masks.
    pub fn leader_label(&self) -> String {
        let mut s = String::from(self.label);
        if self.label_width == 0 {
            return s;
        }
        let target = self.label_width as usize;
        let mut len = s.chars().count();
        if len < target {
            s.push(' ');
            len += 1;
        }
        while len + 1 < target {
            s.push(if len % 2 == 1 { '.' } else { ' ' });
            len += 1;
        }
        if len < target {
            s.push(' ');
        }
        s
    }

    pub fn is_memo(&self) -> bool {
        matches!(self.kind, FieldKind::Memo(_))
    }

    /// Whether a character may be typed into this field at all. Number,
    /// amount and date fields take any printable character: what was typed
    /// stays visible and the field is refused when it is left, instead of a
    /// letter vanishing unnoticed (`25O,OO` would otherwise become `25,`).
    pub fn accepts(&self, c: char) -> bool {
        match self.kind {
            FieldKind::Flag => matches!(c, 'j' | 'J' | 'n' | 'N'),
            _ => !c.is_control(),
        }
    }

    /// Convert a typed character (upper-case fields, flags).
    pub fn convert(&self, c: char) -> String {
        match self.kind {
            FieldKind::Upper | FieldKind::Flag | FieldKind::Code(_) => upper_de(&c.to_string()),
            _ => c.to_string(),
        }
    }

    /// Validate and normalise the field's text when it is left. Returns the
    /// normalised text or a German message. `code_ok` tells whether a key
    /// exists in the field's code list.
    pub fn normalise(
        &self,
        text: &str,
        code_ok: &dyn Fn(&str, &str) -> bool,
    ) -> Result<String, String> {
        let t = text.trim_end();
        if t.trim().is_empty() {
            return if self.required {
                Err(format!("{} ist ein Pflichtfeld.", self.label))
            } else {
                Ok(String::new())
            };
        }
        match self.kind {
            FieldKind::Text | FieldKind::Memo(_) | FieldKind::Secret => Ok(t.to_string()),
            FieldKind::Upper => Ok(upper_de(t.trim())),
            FieldKind::Number => {
                let s = t.trim();
                s.parse::<i64>()
                    .map(|n| n.to_string())
                    .map_err(|_| format!("{}: nur Ziffern erlaubt, z. B. 42.", self.label))
            }
            FieldKind::Money => Money::parse_de(t)
                .map(|m| m.format_de())
                .map_err(|e| e.to_string()),
            FieldKind::Date => parse_date_de(t)
                .map(format_date_de)
                .map_err(|e| e.to_string()),
            FieldKind::Flag => match t.trim() {
                "J" | "j" => Ok("J".into()),
                "N" | "n" => Ok("N".into()),
                other => Err(format!("{}: „{other}“ – erlaubt ist J oder N.", self.label)),
            },
            FieldKind::Code(list) => {
                let key = upper_de(t.trim());
                if code_ok(list, &key) {
                    Ok(key)
                } else {
                    Err(format!(
                        "{}: Schlüssel „{key}“ ist nicht vorhanden – ⟨lookup⟩ zeigt die erlaubten Werte.",
                        self.label
                    ))
                }
            }
        }
    }
}

/// Editing state of a single-line field: its text and the cursor (in chars).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineEdit {
    pub text: String,
    pub cursor: usize,
}

impl LineEdit {
    pub fn new(text: &str) -> Self {
        LineEdit {
            text: text.to_string(),
            cursor: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_idx)
            .map(|(b, _)| b)
            .unwrap_or(self.text.len())
    }

    /// Type a string at the cursor; `max` limits the length. Returns false
    /// (and changes nothing) when the field is full.
    pub fn type_str(&mut self, s: &str, overtype: bool, max: usize) -> bool {
        let n = s.chars().count();
        let len = self.len();
        let replaced = if overtype {
            (len - self.cursor.min(len)).min(n)
        } else {
            0
        };
        if len - replaced + n > max {
            return false;
        }
        let start = self.byte_at(self.cursor);
        let end = self.byte_at(self.cursor + replaced);
        self.text.replace_range(start..end, s);
        self.cursor += n;
        true
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            let start = self.byte_at(self.cursor - 1);
            let end = self.byte_at(self.cursor);
            self.text.replace_range(start..end, "");
            self.cursor -= 1;
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.len() {
            let start = self.byte_at(self.cursor);
            let end = self.byte_at(self.cursor + 1);
            self.text.replace_range(start..end, "");
        }
    }

    pub fn erase_eof(&mut self) {
        let start = self.byte_at(self.cursor);
        self.text.truncate(start);
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self, max: usize) {
        if self.cursor < self.len().min(max.saturating_sub(1)) {
            self.cursor += 1;
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self, max: usize) {
        self.cursor = self.len().min(max.saturating_sub(1));
    }

    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.cursor.min(self.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_codes(_: &str, _: &str) -> bool {
        false
    }

    #[test]
    fn leader_dots_fill_the_label_width() {
        let f = FieldDef::new("name", "Familienname", 0, 0, 30, FieldKind::Text);
        let l = f.leader_label();
        assert_eq!(l.chars().count(), 21);
        assert_eq!(l, "Familienname . . . . ");
    }

    #[test]
    fn line_edit_insert_overtype_and_limits() {
        let mut e = LineEdit::new("");
        assert!(e.type_str("Mü", false, 4));
        assert!(e.type_str("ll", false, 4));
        assert!(!e.type_str("x", false, 4), "full field refuses");
        e.home();
        assert!(e.type_str("N", true, 4));
        assert_eq!(e.text, "Nüll");
        e.end(4);
        e.backspace();
        assert_eq!(e.text, "Nül");
        e.home();
        e.delete();
        assert_eq!(e.text, "ül");
        e.right(4);
        e.erase_eof();
        assert_eq!(e.text, "ü");
    }

    #[test]
    fn normalise_per_kind() {
        let date = FieldDef::new("d", "Datum", 0, 0, 10, FieldKind::Date);
        assert_eq!(date.normalise("1.2.26", &no_codes).unwrap(), "01.02.2026");
        assert!(
            date.normalise("31.02.2026", &no_codes)
                .unwrap_err()
                .contains("31.02.2026")
        );
        let money = FieldDef::new("m", "Betrag", 0, 0, 12, FieldKind::Money);
        assert_eq!(money.normalise("1234,5", &no_codes).unwrap(), "1.234,50");
        let req = FieldDef::new("n", "Name", 0, 0, 12, FieldKind::Text).required();
        assert_eq!(
            req.normalise("  ", &no_codes).unwrap_err(),
            "Name ist ein Pflichtfeld."
        );
        let code = FieldDef::new("c", "Ortsteil", 0, 0, 3, FieldKind::Code("ortsteil"));
        assert!(
            code.normalise("zz", &no_codes)
                .unwrap_err()
                .contains("⟨lookup⟩")
        );
        assert_eq!(
            code.normalise("01", &|l, k| l == "ortsteil" && k == "01")
                .unwrap(),
            "01"
        );
        let flag = FieldDef::new("f", "Aktiv", 0, 0, 1, FieldKind::Flag);
        assert_eq!(flag.normalise("j", &no_codes).unwrap(), "J");
        let num = FieldDef::new("z", "Anzahl", 0, 0, 5, FieldKind::Number);
        assert!(num.normalise("1a", &no_codes).is_err());
    }
}
