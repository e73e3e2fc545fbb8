//! The one output path of the command line.
//!
//! Everything a `kis` command prints — lists, documents, CSV, XML, notes on
//! stderr and error messages — goes through this module, so no stored value
//! (a name, an account text, the source comment of an imported table) can
//! send control sequences to the terminal of whoever runs the command: the
//! same rule as in the masks (`core::sanitize`). A command gets an [`Out`]
//! and writes with [`Out::line`] / [`Out::text`] (or through its
//! [`std::io::Write`] impl, e.g. for the CSV and ledger writers); files named
//! with `--out` are written with [`write_file`]; stderr with [`note`] and
//! [`report_error`]. The test `cli_output` checks that no other module of the
//! command line prints by itself.
//!
//! The rule, applied to every byte written: a line break stays a line break
//! (`\r\n` and a lone `\r` become `\n`), a tab becomes a space, and every
//! other control character (C0, DEL, C1 — so ESC, BEL, CSI U+009B …) becomes
//! U+FFFD, which the terminal shows as a visible symbol.
//!
//! A reader that goes away (`kis keys | head`) is not an error: the first
//! write that fails with `BrokenPipe` stops the command (any open transaction
//! rolls back as with every error), and the process ends silently with exit
//! status 141 (128 + SIGPIPE, what a shell reports for a program ended by a
//! closed pipe), without a message.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::core::error::{KisError, Result};
use crate::core::sanitize::{REPLACEMENT, sanitize_line, sanitize_multiline};

/// Exit status after the reader of stdout went away (128 + SIGPIPE).
pub const EXIT_PIPE_CLOSED: u8 = 141;

static PIPE_CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether a write to stdout found the reader gone; the process then ends
/// quietly with [`EXIT_PIPE_CLOSED`].
pub fn pipe_closed() -> bool {
    PIPE_CLOSED.load(Ordering::Relaxed)
}

/// The sanitising writer for a command's standard output (or a buffer).
pub struct Out {
    sink: Sink,
    carry: Carry,
    scratch: Vec<u8>,
}

enum Sink {
    /// Not locked: the TUI driver writes to stdout from its own thread.
    Stdout(BufWriter<io::Stdout>),
    File(BufWriter<File>),
    Buffer(Vec<u8>),
}

/// A byte of the previous write whose meaning depends on the next one.
#[derive(Default)]
struct Carry {
    /// `\r`: with a following `\n` one line break, alone one too.
    cr: bool,
    /// 0xC2: with 0x80–0x9F a C1 control character, else part of a letter.
    c2: bool,
}

impl Out {
    /// Standard output of the process.
    pub fn stdout() -> Out {
        Out::with(Sink::Stdout(BufWriter::new(io::stdout())))
    }

    /// An in-memory output (documents written to files, tests).
    pub fn buffer() -> Out {
        Out::with(Sink::Buffer(Vec::new()))
    }

    fn with(sink: Sink) -> Out {
        Out {
            sink,
            carry: Carry::default(),
            scratch: Vec::new(),
        }
    }

    /// One line: line breaks inside `text` become spaces, then `\n`.
    pub fn line(&mut self, text: impl AsRef<str>) -> Result<()> {
        let line = sanitize_line(text.as_ref());
        self.bytes(line.as_bytes())?;
        self.bytes(b"\n")
    }

    /// Text as it is, line breaks kept (documents, lists built elsewhere).
    pub fn text(&mut self, text: &str) -> Result<()> {
        self.bytes(text.as_bytes())
    }

    /// Writes everything still buffered; call at the end of the command.
    pub fn finish(&mut self) -> Result<()> {
        self.scratch.clear();
        if std::mem::take(&mut self.carry.cr) {
            self.scratch.push(b'\n');
        }
        if std::mem::take(&mut self.carry.c2) {
            self.scratch.push(0xC2);
        }
        let pending = std::mem::take(&mut self.scratch);
        let r = self.raw(&pending).and_then(|()| self.flush_sink());
        self.scratch = pending;
        r
    }

    /// The bytes written so far to a [`Out::buffer`] (after [`Out::finish`]).
    pub fn into_bytes(mut self) -> Result<Vec<u8>> {
        self.finish()?;
        match std::mem::replace(&mut self.sink, Sink::Buffer(Vec::new())) {
            Sink::Buffer(b) => Ok(b),
            Sink::Stdout(_) | Sink::File(_) => Ok(Vec::new()),
        }
    }

    fn bytes(&mut self, buf: &[u8]) -> Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        filter(&mut self.carry, buf, &mut scratch);
        let r = self.raw(&scratch);
        self.scratch = scratch;
        r
    }

    fn raw(&mut self, buf: &[u8]) -> Result<()> {
        let r = match &mut self.sink {
            Sink::Stdout(w) => w.write_all(buf),
            Sink::File(w) => w.write_all(buf),
            Sink::Buffer(b) => {
                b.extend_from_slice(buf);
                Ok(())
            }
        };
        r.map_err(io_error)
    }

    fn flush_sink(&mut self) -> Result<()> {
        match &mut self.sink {
            Sink::Stdout(w) => w.flush().map_err(io_error),
            Sink::File(w) => w.flush().map_err(io_error),
            Sink::Buffer(_) => Ok(()),
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes(buf).map_err(io::Error::other)?;
        Ok(buf.len())
    }

    /// Passes on what is complete; a held-back `\r` or 0xC2 waits for its
    /// next byte (or [`Out::finish`]).
    fn flush(&mut self) -> io::Result<()> {
        self.flush_sink().map_err(io::Error::other)
    }
}

/// A write error; a closed pipe is remembered for the quiet exit.
fn io_error(e: io::Error) -> KisError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        PIPE_CLOSED.store(true, Ordering::Relaxed);
        KisError::System("Ausgabe abgebrochen: der Empfänger liest nicht mehr.".into())
    } else {
        KisError::System(format!("Ausgabe nicht möglich: {e}"))
    }
}

/// The byte form of the rule in the module comment, resumable across writes.
fn filter(carry: &mut Carry, buf: &[u8], out: &mut Vec<u8>) {
    let mut repl = [0u8; 4];
    let repl: &[u8] = REPLACEMENT.encode_utf8(&mut repl).as_bytes();
    out.reserve(buf.len());
    for &b in buf {
        if std::mem::take(&mut carry.cr) {
            out.push(b'\n');
            if b == b'\n' {
                continue;
            }
        }
        if std::mem::take(&mut carry.c2) {
            if (0x80..=0x9F).contains(&b) {
                out.extend_from_slice(repl);
                continue;
            }
            out.push(0xC2);
        }
        match b {
            b'\n' => out.push(b),
            b'\t' => out.push(b' '),
            b'\r' => carry.cr = true,
            0x00..=0x1F | 0x7F => out.extend_from_slice(repl),
            0xC2 => carry.c2 = true,
            _ => out.push(b),
        }
    }
}

/// Writes a document to `path`, sanitised like stdout. See [`write_file_with`].
pub fn write_file(path: &Path, text: &str) -> Result<()> {
    write_file_with(path, |out| out.text(text))
}

/// Writes a file through an [`Out`] handed to `write`: the text goes to a
/// temporary file in the target directory which is renamed when complete,
/// so the file appears whole or not at all, and a path that cannot be
/// written is an error (German, naming the path) for the caller to act on —
/// e.g. to roll back the record that the document was issued.
pub fn write_file_with<T>(path: &Path, write: impl FnOnce(&mut Out) -> Result<T>) -> Result<T> {
    let fehler = |e: &dyn std::fmt::Display| {
        KisError::System(format!(
            "Ausgabedatei {} nicht schreibbar: {e}",
            sanitize_line(&path.display().to_string())
        ))
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| fehler(&"kein Dateiname"))?;
    let tmp = dir.join(format!(
        ".{}.kis-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let file = File::create(&tmp).map_err(|e| fehler(&e))?;
    let mut out = Out::with(Sink::File(BufWriter::new(file)));
    let result = write(&mut out).and_then(|value| {
        out.finish().map_err(|e| fehler(&e))?;
        let file = match std::mem::replace(&mut out.sink, Sink::Buffer(Vec::new())) {
            Sink::File(w) => w.into_inner().map_err(|e| fehler(e.error()))?,
            Sink::Stdout(_) | Sink::Buffer(_) => return Err(fehler(&"keine Datei")),
        };
        file.sync_all().map_err(|e| fehler(&e))?;
        std::fs::rename(&tmp, path).map_err(|e| fehler(&e))?;
        Ok(value)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A note for the user on stderr (progress, summaries next to a document
/// on stdout), sanitised. A closed stderr is ignored.
pub fn note(text: &str) {
    let line = sanitize_multiline(text);
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Progress on stderr without a line break (`\r…` updates), sanitised.
pub fn progress(text: &str) {
    let line = sanitize_line(text);
    let mut err = io::stderr().lock();
    let _ = write!(err, "\r{line}");
    let _ = err.flush();
}

/// The error that ends a command, on stderr, sanitised: importer messages
/// quote the bad values of a file.
pub fn report_error(e: &KisError) {
    note(&e.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(parts: &[&[u8]]) -> Vec<u8> {
        let mut out = Out::buffer();
        for p in parts {
            out.write_all(p).unwrap();
        }
        out.into_bytes().unwrap()
    }

    #[test]
    fn bytes_follow_the_multiline_rule_however_the_text_is_split() {
        let samples = [
            "Meier\u{1b}]52;c;ZXZpbA==\u{7} Ende",
            "a\u{9b}2Jb\u{80}x\u{9f}\u{a0}Ā",
            "eins\nzwei\r\ndrei\rvier\r",
            "Tab\there\u{7f}\u{0}",
            "Müller-Lüdenscheidt ẞ € 日本\n",
        ];
        for s in samples {
            let expected = sanitize_multiline(s).into_owned();
            let b = s.as_bytes();
            for cut in 0..=b.len() {
                let got = through(&[&b[..cut], &b[cut..]]);
                assert_eq!(String::from_utf8(got).unwrap(), expected, "{s:?} @ {cut}");
            }
        }
    }

    #[test]
    fn line_puts_the_text_on_one_line() {
        let mut out = Out::buffer();
        out.line("Kopf\nzweite\u{1b}[2J").unwrap();
        assert_eq!(
            String::from_utf8(out.into_bytes().unwrap()).unwrap(),
            "Kopf zweite\u{FFFD}[2J\n"
        );
    }

    #[test]
    fn write_file_to_a_missing_directory_fails_and_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("kis-out-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("fehlt").join("datei.txt");
        let e = write_file(&path, "x").unwrap_err();
        assert!(e.to_string().contains("nicht schreibbar"), "{e}");
        assert!(!path.exists());
        std::fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("datei.txt");
        write_file(&ok, "a\u{1b}b\n").unwrap();
        assert_eq!(std::fs::read_to_string(&ok).unwrap(), "a\u{FFFD}b\n");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temp file");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
