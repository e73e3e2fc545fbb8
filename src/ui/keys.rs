//! Key chords as they appear in keymap files (`F3`, `Shift-Tab`, `Ctrl-L`,
//! `PageDown`) and the decoder that turns raw key events into chords,
//! including the `Esc`-then-digit fallback for terminals without function keys.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A key with its relevant modifiers, normalised so that parsing a keymap
/// entry and decoding a terminal event give equal values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyChord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl KeyChord {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        KeyChord { code, mods }
    }

    pub const fn plain(code: KeyCode) -> Self {
        KeyChord::new(code, KeyModifiers::NONE)
    }

    /// Normalise a terminal key event: Shift is dropped for printable
    /// characters (it is already in the character) and Shift-Tab is BackTab.
    pub fn from_event(ev: &KeyEvent) -> Self {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        KeyChord { code, mods }
    }

    /// Whether this chord is a plain printable character (typed into fields).
    pub fn as_char(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c)
                if !self
                    .mods
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(c)
            }
            _ => None,
        }
    }

    /// The `Esc`-then-key sequence that stands for this function key on
    /// terminals without function keys (`F10` → `Esc 0`).
    pub fn esc_fallback(&self) -> Option<&'static str> {
        if !self.mods.is_empty() {
            return None;
        }
        const SEQ: [&str; 12] = [
            "Esc 1", "Esc 2", "Esc 3", "Esc 4", "Esc 5", "Esc 6", "Esc 7", "Esc 8", "Esc 9",
            "Esc 0", "Esc -", "Esc =",
        ];
        match self.code {
            KeyCode::F(n @ 1..=12) => Some(SEQ[n as usize - 1]),
            _ => None,
        }
    }

    /// Sort rank for the legend: function keys first in numeric order.
    pub fn legend_rank(&self) -> u32 {
        match self.code {
            KeyCode::F(n) => n as u32,
            KeyCode::Enter => 100,
            KeyCode::PageUp => 110,
            KeyCode::PageDown => 111,
            KeyCode::Esc => 120,
            _ => 200,
        }
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PageUp"),
            KeyCode::PageDown => f.write_str("PageDown"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            other => write!(f, "{other:?}"),
        }
    }
}

impl FromStr for KeyChord {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = ["ctrl-", "c-"]
                .iter()
                .find_map(|p| lower.strip_prefix(p).map(|_| p.len()))
            {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[r..];
            } else if let Some(r) = ["alt-", "a-"]
                .iter()
                .find_map(|p| lower.strip_prefix(p).map(|_| p.len()))
            {
                mods |= KeyModifiers::ALT;
                rest = &rest[r..];
            } else if lower.starts_with("shift-") {
                mods |= KeyModifiers::SHIFT;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let lower = rest.to_ascii_lowercase();
        let code = match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "tab" if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "esc" | "escape" => KeyCode::Esc,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "space" => KeyCode::Char(' '),
            f if f.starts_with('f')
                && f.len() > 1
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                let n: u8 = f[1..]
                    .parse()
                    .map_err(|_| format!("unbekannte Taste „{s}“"))?;
                if !(1..=24).contains(&n) {
                    return Err(format!("unbekannte Taste „{s}“"));
                }
                KeyCode::F(n)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(if mods.is_empty() {
                        c
                    } else {
                        c.to_ascii_lowercase()
                    }),
                    _ => return Err(format!("unbekannte Taste „{s}“")),
                }
            }
        };
        if matches!(code, KeyCode::Char(_)) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Ok(KeyChord { code, mods })
    }
}

/// How long a lone `Esc` waits for a following key before it counts alone.
pub const ESC_TIMEOUT: Duration = Duration::from_millis(80);

/// What the decoder produced from one raw key event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoded {
    /// Nothing yet (an `Esc` is waiting for its partner).
    Pending,
    /// One chord to dispatch.
    One(KeyChord),
    /// A lone `Esc` that turned out not to be a prefix, then the next chord.
    Two(KeyChord, KeyChord),
}

/// Turns raw key events into chords. `Esc` followed by a digit is the
/// function key (`Esc 1` = F1 … `Esc 0` = F10, `Esc -` = F11, `Esc =` = F12);
/// `Esc Esc` is F12 (cancel), as on host terminals. A lone `Esc` is reported
/// only after [`ESC_TIMEOUT`] (see [`EscDecoder::flush`]), never by guessing.
#[derive(Debug, Default)]
pub struct EscDecoder {
    pending_since: Option<Instant>,
}

impl EscDecoder {
    pub fn feed(&mut self, ev: &KeyEvent, now: Instant) -> Decoded {
        if ev.kind == KeyEventKind::Release {
            return Decoded::Pending;
        }
        let chord = KeyChord::from_event(ev);
        if self.pending_since.take().is_some() {
            if let Some(f) = fallback_function_key(chord) {
                return Decoded::One(KeyChord::plain(KeyCode::F(f)));
            }
            return Decoded::Two(KeyChord::plain(KeyCode::Esc), chord);
        }
        if chord == KeyChord::plain(KeyCode::Esc) {
            self.pending_since = Some(now);
            return Decoded::Pending;
        }
        Decoded::One(chord)
    }

    /// Whether an `Esc` is waiting.
    pub fn is_pending(&self) -> bool {
        self.pending_since.is_some()
    }

    /// The time at which a pending `Esc` becomes a lone `Esc`.
    pub fn deadline(&self) -> Option<Instant> {
        self.pending_since.map(|t| t + ESC_TIMEOUT)
    }

    /// Report a pending `Esc` as a lone key once its time is up.
    pub fn flush(&mut self, now: Instant) -> Option<KeyChord> {
        match self.pending_since {
            Some(t) if now.duration_since(t) >= ESC_TIMEOUT => {
                self.pending_since = None;
                Some(KeyChord::plain(KeyCode::Esc))
            }
            _ => None,
        }
    }
}

fn fallback_function_key(chord: KeyChord) -> Option<u8> {
    if !chord.mods.is_empty() {
        return None;
    }
    match chord.code {
        KeyCode::Char(c @ '1'..='9') => Some(c as u8 - b'0'),
        KeyCode::Char('0') => Some(10),
        KeyCode::Char('-') => Some(11),
        KeyCode::Char('=') | KeyCode::Esc => Some(12),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn esc_fallback_names_the_sequence_the_decoder_turns_into_the_key() {
        let mut d = EscDecoder::default();
        let t = Instant::now();
        for n in 1..=12u8 {
            let chord = KeyChord::plain(KeyCode::F(n));
            let seq = chord.esc_fallback().unwrap();
            let second = seq.strip_prefix("Esc ").unwrap().chars().next().unwrap();
            assert_eq!(d.feed(&key(KeyCode::Esc), t), Decoded::Pending);
            assert_eq!(d.feed(&key(KeyCode::Char(second)), t), Decoded::One(chord));
        }
        assert_eq!(KeyChord::plain(KeyCode::Enter).esc_fallback(), None);
    }

    #[test]
    fn parses_and_prints_chords() {
        for s in [
            "F1",
            "F12",
            "Enter",
            "Shift-Tab",
            "Ctrl-L",
            "PageDown",
            "Esc",
            "A",
        ] {
            let k: KeyChord = s.parse().unwrap();
            assert_eq!(k.to_string(), s, "{s}");
        }
        assert_eq!(
            "ctrl-l".parse::<KeyChord>().unwrap(),
            "Ctrl-L".parse().unwrap()
        );
        assert!("F99".parse::<KeyChord>().is_err());
        assert!("Hyper-X".parse::<KeyChord>().is_err());
    }

    #[test]
    fn events_normalise_like_parsed_chords() {
        let ev = KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(KeyChord::from_event(&ev), "Shift-Tab".parse().unwrap());
        let ev = KeyEvent::new(
            KeyCode::Char('L'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(KeyChord::from_event(&ev), "Ctrl-L".parse().unwrap());
        let ev = KeyEvent::new(KeyCode::Char('Ä'), KeyModifiers::SHIFT);
        assert_eq!(KeyChord::from_event(&ev).as_char(), Some('Ä'));
    }

    #[test]
    fn esc_digit_is_a_function_key() {
        let t = Instant::now();
        let mut d = EscDecoder::default();
        assert_eq!(d.feed(&key(KeyCode::Esc), t), Decoded::Pending);
        assert_eq!(
            d.feed(&key(KeyCode::Char('3')), t),
            Decoded::One(KeyChord::plain(KeyCode::F(3)))
        );
        d.feed(&key(KeyCode::Esc), t);
        assert_eq!(
            d.feed(&key(KeyCode::Char('0')), t),
            Decoded::One(KeyChord::plain(KeyCode::F(10)))
        );
        d.feed(&key(KeyCode::Esc), t);
        assert_eq!(
            d.feed(&key(KeyCode::Esc), t),
            Decoded::One(KeyChord::plain(KeyCode::F(12)))
        );
    }

    #[test]
    fn lone_esc_only_after_timeout() {
        let t = Instant::now();
        let mut d = EscDecoder::default();
        d.feed(&key(KeyCode::Esc), t);
        assert_eq!(d.flush(t + Duration::from_millis(10)), None);
        assert!(d.is_pending());
        assert_eq!(
            d.flush(t + ESC_TIMEOUT),
            Some(KeyChord::plain(KeyCode::Esc))
        );
        assert!(!d.is_pending());
        d.feed(&key(KeyCode::Esc), t);
        assert_eq!(
            d.feed(&key(KeyCode::Char('x')), t),
            Decoded::Two(
                KeyChord::plain(KeyCode::Esc),
                KeyChord::plain(KeyCode::Char('x'))
            )
        );
    }
}
