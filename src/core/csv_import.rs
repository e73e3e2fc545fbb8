//! Reading CSV files that clerks import: the rules every importer shares.
//!
//! - **Line numbers as an editor shows them** (the header is line 1). The
//!   csv crate's record position is where the reader *started* looking for
//!   the record, before blank lines, comment lines and the `\n` of a `\r\n`
//!   it skips, so it lags behind after each of them. [`Zeilen`] skips those
//!   bytes itself and counts the line breaks up to the record's first byte.
//! - **An unterminated quote is refused**: the csv crate would take the rest
//!   of the file as the last field, silently swallowing every later row.
//! - **Bounded messages**: [`Fehlerliste`] keeps the first
//!   [`MAX_MELDUNGEN`] messages and counts the further bad lines, so a file
//!   of a million bad rows gives a readable message, not 136 MB.

use csv::{ReaderBuilder, StringRecord, Trim};

/// At most this many messages are listed; further bad lines are counted.
pub const MAX_MELDUNGEN: usize = 100;

/// The records of a CSV text, each with its line (header = line 1).
pub struct Zeilen<'a> {
    reader: csv::Reader<&'a [u8]>,
    text: &'a [u8],
    delimiter: u8,
    comment: Option<u8>,
    /// Byte offset up to which line breaks are counted in `line`.
    pos: usize,
    /// 1 + the number of `\n` in `text[..pos]`.
    line: u64,
    done: bool,
}

/// Reads `text` record by record (no header handling: the header is the
/// first record), fields trimmed when `trim`, lines starting with `comment`
/// skipped.
pub fn zeilen(text: &str, delimiter: u8, comment: Option<u8>, trim: bool) -> Zeilen<'_> {
    let reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .comment(comment)
        .has_headers(false)
        .flexible(true)
        .trim(if trim { Trim::All } else { Trim::None })
        .from_reader(text.as_bytes());
    Zeilen {
        reader,
        text: text.as_bytes(),
        delimiter,
        comment,
        pos: 0,
        line: 1,
        done: false,
    }
}

/// The rows of a fixture file (the demo and reference data compiled into
/// `kis`): `;`-separated CSV with a header line and `#` comment lines; a
/// broken row is named with its file and line.
pub fn fixture_rows(text: &str, file: &str) -> crate::core::error::Result<Vec<StringRecord>> {
    zeilen(text, b';', Some(b'#'), false)
        .skip(1)
        .map(|(line, r)| {
            r.map_err(|m| {
                crate::core::error::KisError::validation(format!("{file} Zeile {line}: {m}"))
            })
        })
        .collect()
}

impl Zeilen<'_> {
    /// Moves `pos` to `to`, counting the line breaks passed.
    fn advance(&mut self, to: usize) {
        let to = to.min(self.text.len());
        if to > self.pos {
            self.line += self.text[self.pos..to]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.pos = to;
        }
    }

    /// From the reader's record start, skips what the csv crate skips before
    /// a record (line breaks, comment lines); returns the record's line.
    fn record_line(&mut self, start: usize) -> u64 {
        self.advance(start);
        while let Some(&b) = self.text.get(self.pos) {
            if b == b'\n' || b == b'\r' {
                self.advance(self.pos + 1);
            } else if Some(b) == self.comment {
                let end = self.text[self.pos..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(self.text.len(), |i| self.pos + i + 1);
                self.advance(end);
            } else {
                break;
            }
        }
        self.line
    }

    /// The line of an opening quote in `text[start..end]` that is never
    /// closed (a quote opens a field only as its first byte, as in csv-core).
    fn unclosed_quote(&self, start: usize, end: usize) -> Option<u64> {
        let raw = &self.text[start..end];
        if !raw.contains(&b'"') {
            return None;
        }
        let (mut field_start, mut open) = (true, None);
        let mut i = 0;
        while i < raw.len() {
            let b = raw[i];
            if open.is_some() {
                if b == b'"' {
                    if raw.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    open = None;
                }
            } else {
                if field_start && b == b'"' {
                    open = Some(i);
                }
                field_start = b == self.delimiter;
            }
            i += 1;
        }
        open.map(|at| self.line + raw[..at].iter().filter(|&&b| b == b'\n').count() as u64)
    }
}

impl Iterator for Zeilen<'_> {
    /// The record's line and the record, or a message for that line.
    type Item = (u64, Result<StringRecord, String>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut record = StringRecord::new();
        match self.reader.read_record(&mut record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                let start = record.position().map_or(self.pos, |p| p.byte() as usize);
                let line = self.record_line(start);
                let end = (self.reader.position().byte() as usize).min(self.text.len());
                if let Some(quote_line) = self.unclosed_quote(self.pos, end) {
                    // The rest of the file went into this record.
                    self.done = true;
                    return Some((
                        quote_line,
                        Err(
                            "Ein Anführungszeichen wird nicht geschlossen; der Rest der Datei \
                             ließe sich nicht lesen."
                                .to_string(),
                        ),
                    ));
                }
                Some((line, Ok(record)))
            }
            Err(e) => {
                let start = e.position().map_or(self.pos, |p| p.byte() as usize);
                let line = self.record_line(start);
                Some((
                    line,
                    Err("Die Zeile lässt sich nicht als CSV lesen.".to_string()),
                ))
            }
        }
    }
}

/// The messages of an import, at most [`MAX_MELDUNGEN`] of them, each
/// `Zeile N: …`; lines beyond that are only counted.
#[derive(Debug, Default)]
pub struct Fehlerliste {
    meldungen: Vec<String>,
    zeilen: usize,
    weitere: usize,
}

impl Fehlerliste {
    pub fn new() -> Fehlerliste {
        Fehlerliste::default()
    }

    /// The messages of one bad line (all of a line are shown, or none).
    pub fn zeile(&mut self, line: u64, meldungen: Vec<String>) {
        if meldungen.is_empty() {
            return;
        }
        self.zeilen += 1;
        if self.weitere == 0 && self.meldungen.len() + meldungen.len() <= MAX_MELDUNGEN {
            self.meldungen
                .extend(meldungen.into_iter().map(|m| format!("Zeile {line}: {m}")));
        } else {
            self.weitere += 1;
        }
    }

    /// One message for one line.
    pub fn meldung(&mut self, line: u64, meldung: impl Into<String>) {
        self.zeile(line, vec![meldung.into()]);
    }

    pub fn is_empty(&self) -> bool {
        self.zeilen == 0
    }

    /// Number of bad lines, shown or counted.
    pub fn zeilen(&self) -> usize {
        self.zeilen
    }

    /// The messages, one per line, and the count of the lines left out.
    pub fn text(&self) -> String {
        let mut t = self.meldungen.join("\n");
        if self.weitere > 0 {
            t.push_str(&format!(
                "\n… und {} weitere fehlerhafte {}.",
                tausender(self.weitere),
                if self.weitere == 1 { "Zeile" } else { "Zeilen" }
            ));
        }
        t
    }
}

/// `999900` → `999.900`.
fn tausender(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, comment: Option<u8>) -> Vec<(u64, Result<Vec<String>, String>)> {
        zeilen(text, b';', comment, true)
            .map(|(l, r)| (l, r.map(|r| r.iter().map(str::to_string).collect())))
            .collect()
    }

    fn ok_lines(text: &str, comment: Option<u8>) -> Vec<u64> {
        lines(text, comment).into_iter().map(|(l, _)| l).collect()
    }

    #[test]
    fn lines_count_blank_lines_comments_and_crlf() {
        assert_eq!(ok_lines("a;b\n1;2\n\n3;4\n", None), [1, 2, 4]);
        assert_eq!(ok_lines("a;b\r\n1;2\r\n\r\n3;4\r\n", None), [1, 2, 4]);
        assert_eq!(ok_lines("# x\na;b\n# y\n# z\n1;2\n", Some(b'#')), [2, 5]);
        assert_eq!(ok_lines("\n\na;b\n1;\"x\ny\"\n2;2", None), [3, 4, 6]);
    }

    #[test]
    fn unterminated_quote_is_refused_at_its_line() {
        let r = lines("a;b\n1;2\n3;\"offen\n4;5\n6;7\n", None);
        assert_eq!(r.len(), 3);
        assert_eq!(r[2].0, 3);
        assert!(r[2].1.as_ref().unwrap_err().contains("nicht geschlossen"));
        // Quotes that close, and a quote inside a field, are fine.
        let r = lines("a;b\n\"x;\"\"y\"\"\";z\"z\n", None);
        assert!(r.iter().all(|(_, r)| r.is_ok()), "{r:?}");
    }

    #[test]
    fn at_most_100_messages_then_a_count() {
        let mut f = Fehlerliste::new();
        for line in 2..1_000_002 {
            f.meldung(line, "falsch");
        }
        let text = f.text();
        assert_eq!(text.lines().count(), MAX_MELDUNGEN + 1);
        assert!(
            text.ends_with("… und 999.900 weitere fehlerhafte Zeilen."),
            "{text}"
        );
        assert_eq!(f.zeilen(), 1_000_000);
        assert_eq!(tausender(1), "1");
        assert_eq!(tausender(1000), "1.000");
        assert_eq!(tausender(1_234_567), "1.234.567");
    }
}
