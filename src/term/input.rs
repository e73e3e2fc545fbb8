//! Raw terminal input (the bytes an SSH client sends) → crossterm events.
//!
//! A small table-driven decoder for what the terminals of thin clients send:
//! xterm, vt220/vt100, the Linux console, screen and tmux. It never guesses
//! about a lone `Esc`: an `Esc` that ends a read is reported as the `Esc` key
//! at once and the app's `EscDecoder` waits for its partner (so `Esc 1` typed
//! as two reads still becomes F1). `Esc` followed by a byte that does not
//! start a sequence is reported as `Esc` and then that key, again for the
//! app's decoder to pair. Only an unfinished `ESC [` / `ESC O` sequence or an
//! unfinished UTF-8 character waits for the next read ([`InputDecoder::flush`]
//! gives it up after the driver's timeout).

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const ESC: u8 = 0x1b;
/// A paste larger than this is delivered in parts (memory bound per session).
const MAX_PASTE: usize = 64 * 1024;
/// An escape sequence longer than this is garbage and dropped.
const MAX_SEQ: usize = 32;

#[derive(Debug, Default)]
pub struct InputDecoder {
    pending: Vec<u8>,
    paste: Option<Vec<u8>>,
    /// The previous read ended with CR: a LF at the start of this one is its partner.
    after_cr: bool,
}

/// What a prefix of the input is.
enum Parse {
    /// A complete item of `len` bytes (possibly producing no event).
    Item(usize, Option<Event>),
    /// A bracketed paste starts after `len` bytes.
    PasteStart(usize),
    /// More bytes are needed.
    Incomplete,
}

fn key(code: KeyCode) -> Option<Event> {
    Some(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn key_mod(code: KeyCode, mods: KeyModifiers) -> Option<Event> {
    Some(Event::Key(KeyEvent::new(code, mods)))
}

/// xterm modifier parameter (`1;5A`): 1 + bit field Shift=1, Alt=2, Ctrl=4.
fn modifiers(param: Option<u16>) -> KeyModifiers {
    let bits = param.unwrap_or(1).saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

/// The key of a final byte shared by CSI and SS3 (`ESC [ A`, `ESC O A`, …).
fn letter_key(b: u8) -> Option<KeyCode> {
    Some(match b {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return None,
    })
}

/// The key of `ESC [ n ~` (vt220 style, also xterm, screen, tmux, linux).
fn tilde_key(n: u16) -> Option<KeyCode> {
    Some(match n {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F((n - 10) as u8),
        17..=21 => KeyCode::F((n - 11) as u8),
        23..=26 => KeyCode::F((n - 12) as u8),
        28 | 29 => KeyCode::F((n - 13) as u8),
        31..=34 => KeyCode::F((n - 14) as u8),
        _ => return None,
    })
}

/// A single control byte or printable ASCII.
fn byte_key(b: u8) -> Option<Event> {
    match b {
        b'\r' | b'\n' => key(KeyCode::Enter),
        b'\t' => key(KeyCode::Tab),
        0x7f | 0x08 => key(KeyCode::Backspace),
        0x00 => key_mod(KeyCode::Char(' '), KeyModifiers::CONTROL),
        0x01..=0x1a => key_mod(KeyCode::Char((b - 1 + b'a') as char), KeyModifiers::CONTROL),
        0x1c..=0x1f => key_mod(
            KeyCode::Char((b - 0x1c + b'4') as char),
            KeyModifiers::CONTROL,
        ),
        0x20..=0x7e => key(KeyCode::Char(b as char)),
        _ => None,
    }
}

/// Parse `ESC [ …`; `s` starts after `ESC [`.
fn parse_csi(s: &[u8]) -> Parse {
    // Linux console F1–F5: ESC [ [ A … ESC [ [ E.
    if s.first() == Some(&b'[') {
        return match s.get(1) {
            None => Parse::Incomplete,
            Some(&c @ b'A'..=b'E') => Parse::Item(4, key(KeyCode::F(c - b'A' + 1))),
            Some(_) => Parse::Item(4, None),
        };
    }
    // Parameter and intermediate bytes 0x20–0x3f, then a final byte 0x40–0x7e.
    let Some(end) = s.iter().position(|b| (0x40..=0x7e).contains(b)) else {
        if s.len() > MAX_SEQ || s.iter().any(|b| !(0x20..=0x3f).contains(b)) {
            // Not a sequence after all: drop what was collected.
            return Parse::Item(
                2 + s.iter().take_while(|b| (0x20..=0x3f).contains(*b)).count(),
                None,
            );
        }
        return Parse::Incomplete;
    };
    let len = 2 + end + 1;
    if s[..end].iter().any(|b| !(0x20..=0x3f).contains(b)) {
        return Parse::Item(
            2 + s.iter().take_while(|b| (0x20..=0x3f).contains(*b)).count(),
            None,
        );
    }
    let params_text = &s[..end];
    let fin = s[end];
    if params_text
        .first()
        .is_some_and(|b| matches!(b, b'<' | b'>' | b'?' | b'='))
    {
        // Private sequences (mouse reports, device attributes): not keys.
        return Parse::Item(len, None);
    }
    let params: Vec<Option<u16>> = params_text
        .split(|b| *b == b';')
        .map(|p| std::str::from_utf8(p).ok().and_then(|t| t.parse().ok()))
        .collect();
    let first = params.first().copied().flatten();
    let mods = modifiers(params.get(1).copied().flatten());
    let ev = match fin {
        b'~' => match first {
            Some(200) => return Parse::PasteStart(len),
            Some(n) => tilde_key(n).and_then(|k| key_mod(k, mods)),
            None => None,
        },
        b'Z' => key(KeyCode::BackTab),
        b'I' => Some(Event::FocusGained),
        b'O' => Some(Event::FocusLost),
        b'G' | b'E' => None,
        f => letter_key(f).and_then(|k| key_mod(k, mods)),
    };
    Parse::Item(len, ev)
}

/// Parse `ESC O …`; `s` starts after `ESC O`.
fn parse_ss3(s: &[u8]) -> Parse {
    // Some terminals put a modifier digit in between (`ESC O 5 P`).
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let Some(&fin) = s.get(digits) else {
        return Parse::Incomplete;
    };
    let mods = std::str::from_utf8(&s[..digits])
        .ok()
        .and_then(|t| t.parse().ok());
    let len = 2 + digits + 1;
    let ev = match fin {
        b'M' => key(KeyCode::Enter),
        // Keypad in application mode: ESC O j … ESC O y.
        b'j' => key(KeyCode::Char('*')),
        b'k' => key(KeyCode::Char('+')),
        b'l' => key(KeyCode::Char(',')),
        b'm' => key(KeyCode::Char('-')),
        b'n' => key(KeyCode::Char(',')),
        b'o' => key(KeyCode::Char('/')),
        c @ b'p'..=b'y' => key(KeyCode::Char((c - b'p' + b'0') as char)),
        f => letter_key(f).and_then(|k| key_mod(k, modifiers(mods))),
    };
    Parse::Item(len, ev)
}

/// Parse one item at the start of `s` (not empty).
fn parse(s: &[u8]) -> Parse {
    match s[0] {
        ESC => match s.get(1) {
            // A lone Esc: reported as the key; the app waits for its partner.
            None => Parse::Item(1, key(KeyCode::Esc)),
            Some(b'[') => parse_csi(&s[2..]),
            Some(b'O') => parse_ss3(&s[2..]),
            // Esc then another key (Esc 1, Esc Esc, Alt-x): two keys for the app's decoder.
            Some(_) => Parse::Item(1, key(KeyCode::Esc)),
        },
        b if b < 0x80 => Parse::Item(1, byte_key(b)),
        b => {
            let need = match b {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => return Parse::Item(1, None),
            };
            if s.len() < need {
                // A continuation byte already wrong means the character is broken.
                if s[1..].iter().any(|c| c & 0xc0 != 0x80) {
                    return Parse::Item(1, None);
                }
                return Parse::Incomplete;
            }
            match std::str::from_utf8(&s[..need])
                .ok()
                .and_then(|t| t.chars().next())
            {
                Some(c) if !c.is_control() => Parse::Item(need, key(KeyCode::Char(c))),
                Some(_) => Parse::Item(need, None),
                None => Parse::Item(1, None),
            }
        }
    }
}

impl InputDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether bytes wait for the rest of a sequence or a paste.
    pub fn is_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Decode one read from the channel.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut out = Vec::new();
        if bytes.is_empty() {
            return out;
        }
        self.pending.extend_from_slice(bytes);
        let mut pos = 0;
        if std::mem::take(&mut self.after_cr) && self.pending.first() == Some(&b'\n') {
            pos = 1;
        }
        while pos < self.pending.len() {
            if self.paste.is_some() {
                let (next, done) = self.take_paste(pos, &mut out);
                pos = next;
                if !done {
                    break;
                }
                continue;
            }
            let rest = &self.pending[pos..];
            match parse(rest) {
                Parse::Item(len, ev) => {
                    let is_cr = rest[0] == b'\r';
                    pos += len;
                    if is_cr {
                        // CRLF is one Enter, also when the LF comes in the next read.
                        match self.pending.get(pos) {
                            Some(b'\n') => pos += 1,
                            None => self.after_cr = true,
                            Some(_) => {}
                        }
                    }
                    out.extend(ev);
                }
                Parse::PasteStart(len) => {
                    pos += len;
                    self.paste = Some(Vec::new());
                }
                Parse::Incomplete => break,
            }
        }
        self.pending.drain(..pos);
        out
    }

    /// Collect paste bytes from `pos` until `ESC [ 201 ~`; returns the new
    /// position and whether the paste is complete.
    fn take_paste(&mut self, pos: usize, out: &mut Vec<Event>) -> (usize, bool) {
        const END: &[u8] = b"\x1b[201~";
        let Some(buf) = self.paste.as_mut() else {
            return (pos, true);
        };
        let rest = &self.pending[pos..];
        if let Some(i) = rest.windows(END.len()).position(|w| w == END) {
            buf.extend_from_slice(&rest[..i]);
            let text = String::from_utf8_lossy(buf).into_owned();
            self.paste = None;
            out.push(Event::Paste(text));
            return (pos + i + END.len(), true);
        }
        // Keep a tail that could be the start of the end marker.
        let keep = (1..END.len())
            .rev()
            .find(|k| rest.len() >= *k && END.starts_with(&rest[rest.len() - k..]))
            .unwrap_or(0);
        let take = rest.len() - keep;
        buf.extend_from_slice(&rest[..take]);
        if buf.len() >= MAX_PASTE {
            // Deliver a huge paste in parts, cut at a character boundary.
            let cut = match std::str::from_utf8(buf) {
                Ok(_) => buf.len(),
                Err(e) => e.valid_up_to(),
            };
            let part: Vec<u8> = buf.drain(..cut).collect();
            out.push(Event::Paste(String::from_utf8_lossy(&part).into_owned()));
        }
        (pos + take, false)
    }

    /// Give up waiting for the rest of a sequence (the driver calls this after
    /// its Esc timeout): the bytes count as typed keys; an open paste ends.
    pub fn flush(&mut self) -> Vec<Event> {
        let mut out = Vec::new();
        if let Some(mut buf) = self.paste.take() {
            buf.append(&mut self.pending);
            out.push(Event::Paste(String::from_utf8_lossy(&buf).into_owned()));
            return out;
        }
        let bytes = std::mem::take(&mut self.pending);
        // An unfinished UTF-8 character (bytes >= 0x80) is dropped.
        for b in bytes.iter().filter(|b| **b < 0x80) {
            if *b == ESC {
                out.extend(key(KeyCode::Esc));
            } else if let Some(ev) = byte_key(*b) {
                out.push(ev);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keys::{Decoded, EscDecoder, KeyChord};
    use std::time::{Duration, Instant};

    fn k(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn km(code: KeyCode, m: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, m))
    }

    fn dec(bytes: &[u8]) -> Vec<Event> {
        let mut d = InputDecoder::new();
        let out = d.feed(bytes);
        assert!(!d.is_pending(), "pending after {bytes:?}");
        out
    }

    #[test]
    fn function_keys_in_every_terminal_variant() {
        let cases: &[(&[u8], u8)] = &[
            (b"\x1bOP", 1),
            (b"\x1bOQ", 2),
            (b"\x1bOR", 3),
            (b"\x1bOS", 4),
            (b"\x1b[11~", 1),
            (b"\x1b[12~", 2),
            (b"\x1b[13~", 3),
            (b"\x1b[14~", 4),
            (b"\x1b[15~", 5),
            (b"\x1b[17~", 6),
            (b"\x1b[18~", 7),
            (b"\x1b[19~", 8),
            (b"\x1b[20~", 9),
            (b"\x1b[21~", 10),
            (b"\x1b[23~", 11),
            (b"\x1b[24~", 12),
            (b"\x1b[[A", 1),
            (b"\x1b[[B", 2),
            (b"\x1b[[C", 3),
            (b"\x1b[[D", 4),
            (b"\x1b[[E", 5),
        ];
        for (bytes, n) in cases {
            assert_eq!(dec(bytes), vec![k(KeyCode::F(*n))], "{bytes:?}");
        }
    }

    #[test]
    fn modified_function_and_cursor_keys() {
        assert_eq!(
            dec(b"\x1b[1;2P"),
            vec![km(KeyCode::F(1), KeyModifiers::SHIFT)]
        );
        assert_eq!(
            dec(b"\x1b[24;5~"),
            vec![km(KeyCode::F(12), KeyModifiers::CONTROL)]
        );
        assert_eq!(
            dec(b"\x1b[1;5C"),
            vec![km(KeyCode::Right, KeyModifiers::CONTROL)]
        );
        assert_eq!(dec(b"\x1b[1;3A"), vec![km(KeyCode::Up, KeyModifiers::ALT)]);
    }

    #[test]
    fn cursor_and_editing_keys() {
        let cases: &[(&[u8], KeyCode)] = &[
            (b"\x1b[A", KeyCode::Up),
            (b"\x1b[B", KeyCode::Down),
            (b"\x1b[C", KeyCode::Right),
            (b"\x1b[D", KeyCode::Left),
            (b"\x1bOA", KeyCode::Up),
            (b"\x1bOD", KeyCode::Left),
            (b"\x1b[H", KeyCode::Home),
            (b"\x1b[F", KeyCode::End),
            (b"\x1bOH", KeyCode::Home),
            (b"\x1bOF", KeyCode::End),
            (b"\x1b[1~", KeyCode::Home),
            (b"\x1b[4~", KeyCode::End),
            (b"\x1b[7~", KeyCode::Home),
            (b"\x1b[8~", KeyCode::End),
            (b"\x1b[2~", KeyCode::Insert),
            (b"\x1b[3~", KeyCode::Delete),
            (b"\x1b[5~", KeyCode::PageUp),
            (b"\x1b[6~", KeyCode::PageDown),
            (b"\x1b[Z", KeyCode::BackTab),
            (b"\x1bOM", KeyCode::Enter),
        ];
        for (bytes, code) in cases {
            assert_eq!(dec(bytes), vec![k(*code)], "{bytes:?}");
        }
    }

    #[test]
    fn control_keys_enter_and_backspace() {
        assert_eq!(dec(b"\r"), vec![k(KeyCode::Enter)]);
        assert_eq!(dec(b"\n"), vec![k(KeyCode::Enter)]);
        assert_eq!(dec(b"\r\n"), vec![k(KeyCode::Enter)]);
        assert_eq!(dec(b"\r\r"), vec![k(KeyCode::Enter), k(KeyCode::Enter)]);
        assert_eq!(dec(b"\x7f"), vec![k(KeyCode::Backspace)]);
        assert_eq!(dec(b"\x08"), vec![k(KeyCode::Backspace)]);
        assert_eq!(dec(b"\t"), vec![k(KeyCode::Tab)]);
        assert_eq!(
            dec(b"\x0c"),
            vec![km(KeyCode::Char('l'), KeyModifiers::CONTROL)]
        );
        assert_eq!(
            dec(b"\x0b"),
            vec![km(KeyCode::Char('k'), KeyModifiers::CONTROL)]
        );
        assert_eq!(
            dec(b"\x01"),
            vec![km(KeyCode::Char('a'), KeyModifiers::CONTROL)]
        );
    }

    #[test]
    fn crlf_split_over_two_reads_is_one_enter() {
        let mut d = InputDecoder::new();
        assert_eq!(
            d.feed(b"a\r"),
            vec![k(KeyCode::Char('a')), k(KeyCode::Enter)]
        );
        assert_eq!(d.feed(b"\nb"), vec![k(KeyCode::Char('b'))]);
        // A LF that does not follow a CR is an Enter of its own.
        assert_eq!(d.feed(b"\n"), vec![k(KeyCode::Enter)]);
    }

    #[test]
    fn utf8_umlauts_and_split_characters() {
        assert_eq!(
            dec("äöüßÄÖÜ€".as_bytes()),
            "äöüßÄÖÜ€"
                .chars()
                .map(|c| k(KeyCode::Char(c)))
                .collect::<Vec<_>>()
        );
        let bytes = "ü".as_bytes();
        let mut d = InputDecoder::new();
        assert!(d.feed(&bytes[..1]).is_empty());
        assert!(d.is_pending());
        assert_eq!(d.feed(&bytes[1..]), vec![k(KeyCode::Char('ü'))]);
        // Broken UTF-8 is dropped, the rest survives.
        assert_eq!(
            dec(b"\xc3x\xffy"),
            vec![k(KeyCode::Char('x')), k(KeyCode::Char('y'))]
        );
    }

    #[test]
    fn bracketed_paste_also_over_several_reads() {
        assert_eq!(
            dec("\x1b[200~Müller\r\nStr. 1\x1b[201~x".as_bytes()),
            vec![
                Event::Paste("Müller\r\nStr. 1".into()),
                k(KeyCode::Char('x'))
            ]
        );
        let mut d = InputDecoder::new();
        assert!(d.feed(b"\x1b[200~ab\x1b[2").is_empty());
        assert!(d.feed(b"0").is_empty());
        assert_eq!(d.feed(b"1~"), vec![Event::Paste("ab".into())]);
        assert!(!d.is_pending());
    }

    #[test]
    fn lone_esc_is_reported_at_once_and_never_combined_by_guessing() {
        assert_eq!(dec(b"\x1b"), vec![k(KeyCode::Esc)]);
        // Esc and a digit in one read: two keys, the app's decoder pairs them.
        assert_eq!(dec(b"\x1b1"), vec![k(KeyCode::Esc), k(KeyCode::Char('1'))]);
        assert_eq!(dec(b"\x1b\x1b"), vec![k(KeyCode::Esc), k(KeyCode::Esc)]);
    }

    #[test]
    fn esc_then_digit_in_two_reads_becomes_f1_in_the_app_decoder() {
        let mut d = InputDecoder::new();
        let mut app = EscDecoder::default();
        let t = Instant::now();
        let first = d.feed(b"\x1b");
        let Event::Key(esc) = &first[0] else {
            panic!("no key")
        };
        assert_eq!(app.feed(esc, t), Decoded::Pending);
        let second = d.feed(b"1");
        let Event::Key(one) = &second[0] else {
            panic!("no key")
        };
        assert_eq!(
            app.feed(one, t + Duration::from_millis(30)),
            Decoded::One(KeyChord::plain(KeyCode::F(1)))
        );
    }

    #[test]
    fn unfinished_sequence_waits_and_flush_gives_it_up() {
        let mut d = InputDecoder::new();
        assert!(d.feed(b"\x1b[1").is_empty());
        assert!(d.is_pending());
        assert_eq!(d.feed(b"5~"), vec![k(KeyCode::F(5))]);
        assert!(d.feed(b"\x1bO").is_empty());
        assert_eq!(d.flush(), vec![k(KeyCode::Esc), k(KeyCode::Char('O'))]);
        assert!(!d.is_pending());
    }

    #[test]
    fn unknown_and_private_sequences_are_swallowed() {
        assert_eq!(dec(b"\x1b[99~a"), vec![k(KeyCode::Char('a'))]);
        assert_eq!(dec(b"\x1b[<0;10;5Mb"), vec![k(KeyCode::Char('b'))]);
        assert_eq!(dec(b"\x1b[?1;2c"), vec![]);
        assert_eq!(dec(b"\x1b[I"), vec![Event::FocusGained]);
    }
}
