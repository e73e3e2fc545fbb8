//! The modal window over a mask (help, lookup list, question, document):
//! its own key handling and its own drawing. While it is open it takes the
//! keys; the app only acts on what it reports.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::command::Command;
use super::list::pad;
use super::theme::Theme;
use crate::core::sanitize::sanitize_line;

/// Lines a page key moves in a window.
const PAGE: usize = 12;

/// What a key did to an open window.
#[derive(Debug, PartialEq, Eq)]
pub enum PopupOutcome {
    /// The window stays open (it may have scrolled).
    Open,
    /// The window is closed without a result.
    Closed,
    /// The question was answered.
    Answer { tag: &'static str, yes: bool },
    /// An entry of a lookup list was chosen for this field.
    Chosen { field: &'static str, key: String },
    /// A key a question does not accept (only J and N are).
    NotAnAnswer,
}

/// A modal window on top of the screen; it takes the keys until closed.
#[derive(Clone, Debug)]
pub enum Popup {
    Help {
        title: String,
        lines: Vec<String>,
        top: usize,
    },
    Lookup {
        title: String,
        field: &'static str,
        entries: Vec<(String, String)>,
        cursor: usize,
        top: usize,
    },
    Confirm {
        question: String,
        tag: &'static str,
    },
    /// A read-only text document (certificate, notice, report) with its file name suggestion.
    Document {
        title: String,
        lines: Vec<String>,
        top: usize,
    },
}

impl Popup {
    pub fn lookup(
        title: impl Into<String>,
        field: &'static str,
        entries: Vec<(String, String)>,
    ) -> Popup {
        Popup::Lookup {
            title: title.into(),
            field,
            entries,
            cursor: 0,
            top: 0,
        }
    }

    pub fn confirm(question: impl Into<String>, tag: &'static str) -> Popup {
        Popup::Confirm {
            question: question.into(),
            tag,
        }
    }

    pub fn document(title: impl Into<String>, text: &str) -> Popup {
        Popup::Document {
            title: title.into(),
            lines: text.lines().map(str::to_string).collect(),
            top: 0,
        }
    }

    /// A named command while the window is open.
    pub fn command(&mut self, cmd: Command) -> PopupOutcome {
        match self {
            Popup::Confirm { tag, .. } => match cmd {
                Command::Submit => PopupOutcome::Answer { tag, yes: true },
                Command::Cancel | Command::Back => PopupOutcome::Answer { tag, yes: false },
                _ => PopupOutcome::Open,
            },
            Popup::Help { top, lines, .. } | Popup::Document { top, lines, .. } => {
                let last = lines.len().saturating_sub(1);
                match cmd {
                    Command::CursorDown => *top = (*top + 1).min(last),
                    Command::CursorUp => *top = top.saturating_sub(1),
                    Command::PageDown => *top = (*top + PAGE).min(last),
                    Command::PageUp => *top = top.saturating_sub(PAGE),
                    Command::Submit | Command::Cancel | Command::Back | Command::Help => {
                        return PopupOutcome::Closed;
                    }
                    _ => {}
                }
                PopupOutcome::Open
            }
            Popup::Lookup {
                entries,
                cursor,
                field,
                ..
            } => {
                let last = entries.len().saturating_sub(1);
                match cmd {
                    Command::CursorDown => *cursor = (*cursor + 1).min(last),
                    Command::CursorUp => *cursor = cursor.saturating_sub(1),
                    Command::PageDown => *cursor = (*cursor + PAGE).min(last),
                    Command::PageUp => *cursor = cursor.saturating_sub(PAGE),
                    Command::Submit => {
                        return match entries.get(*cursor) {
                            Some((key, _)) => PopupOutcome::Chosen {
                                field,
                                key: key.clone(),
                            },
                            None => PopupOutcome::Closed,
                        };
                    }
                    Command::Cancel | Command::Back => return PopupOutcome::Closed,
                    _ => {}
                }
                PopupOutcome::Open
            }
        }
    }

    /// A typed character while the window is open: a question takes J/Y or N.
    pub fn typed(&self, ch: char) -> PopupOutcome {
        match self {
            Popup::Confirm { tag, .. } => match ch {
                'j' | 'J' | 'y' | 'Y' => PopupOutcome::Answer { tag, yes: true },
                'n' | 'N' => PopupOutcome::Answer { tag, yes: false },
                _ => PopupOutcome::NotAnAnswer,
            },
            _ => PopupOutcome::Open,
        }
    }

    /// Draw the window centred over the mask body. `shown` renders the key
    /// references of help texts and questions with the active keymap.
    pub fn render(
        &self,
        frame: &mut Frame,
        body: Rect,
        theme: &Theme,
        shown: &dyn Fn(&str) -> String,
    ) {
        // Help and questions are broken at blanks to the window's width.
        let inner_w = body.width.saturating_sub(12).min(68).saturating_sub(2) as usize;
        let (title, lines, highlight): (String, Vec<String>, Option<usize>) = match self {
            Popup::Help { title, lines, top } => (
                title.clone(),
                lines
                    .iter()
                    .skip(*top)
                    .flat_map(|l| wrap(&shown(l), inner_w))
                    .collect(),
                None,
            ),
            Popup::Document { title, lines, top } => (
                title.clone(),
                lines.iter().skip(*top).cloned().collect(),
                None,
            ),
            Popup::Confirm { question, .. } => {
                let mut lines = wrap(&shown(question), inner_w);
                lines.push(String::new());
                lines.push("J = ja, N = nein".into());
                ("Rückfrage".into(), lines, None)
            }
            Popup::Lookup {
                title,
                entries,
                cursor,
                ..
            } => {
                let h = body.height.saturating_sub(4) as usize;
                let start = cursor.saturating_sub(h.saturating_sub(1));
                let lines = entries
                    .iter()
                    .skip(start)
                    .map(|(k, t)| format!("{} {}", pad(k, 8), t))
                    .collect();
                (title.clone(), lines, Some(cursor - start))
            }
        };
        let is_doc = matches!(self, Popup::Document { .. });
        let width = if is_doc {
            body.width.saturating_sub(2)
        } else {
            body.width.saturating_sub(12).min(68)
        };
        let inner_h = (lines.len() as u16).clamp(1, body.height.saturating_sub(2));
        let height = if is_doc { body.height } else { inner_h + 2 };
        let rect = Rect::new(
            body.x + (body.width - width) / 2,
            body.y + (body.height - height) / 2,
            width,
            height,
        );
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_set(theme.border_set())
            .title(sanitize_line(&title).into_owned());
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let text: Vec<Line> = lines
            .iter()
            .take(inner.height as usize)
            .enumerate()
            .map(|(i, l)| {
                let l = sanitize_line(l).into_owned();
                if highlight == Some(i) {
                    Line::styled(pad(&l, inner.width as usize), theme.selected())
                } else {
                    Line::raw(l)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(text), inner);
        if let Some(h) = highlight {
            frame.set_cursor_position(Position::new(inner.x, inner.y + h as u16));
        } else {
            frame.set_cursor_position(Position::new(inner.x, inner.y));
        }
    }
}

/// A line broken at blanks into lines of at most `w` characters (a word
/// longer than `w` stays whole); a continuation keeps the indentation. A
/// line that fits stays as it is, blanks included.
pub fn wrap(line: &str, w: usize) -> Vec<String> {
    if line.chars().count() <= w || w == 0 {
        return vec![line.to_string()];
    }
    let einzug: String = line.chars().take_while(|c| *c == ' ').collect();
    // The words with the blanks before them, so a line keeps its spacing.
    let mut woerter: Vec<(String, String)> = Vec::new();
    let mut luecke = String::new();
    let mut wort = String::new();
    for c in line.chars() {
        if c == ' ' {
            if !wort.is_empty() {
                woerter.push((std::mem::take(&mut luecke), std::mem::take(&mut wort)));
            }
            luecke.push(c);
        } else {
            wort.push(c);
        }
    }
    if !wort.is_empty() {
        woerter.push((luecke, wort));
    }
    let mut out = Vec::new();
    let mut akt = einzug.clone();
    let mut leer = true;
    for (luecke, wort) in woerter {
        let len = akt.chars().count();
        if !leer && len + luecke.chars().count() + wort.chars().count() > w {
            out.push(std::mem::replace(&mut akt, einzug.clone()));
            leer = true;
        }
        if !leer {
            akt.push_str(&luecke);
        }
        akt.push_str(&wort);
        leer = false;
    }
    out.push(akt);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_break_at_blanks_and_keep_their_indentation() {
        assert_eq!(wrap("kurz   12,00", 12), vec!["kurz   12,00"]);
        assert_eq!(
            wrap("  eins zwei drei vier", 12),
            vec!["  eins zwei", "  drei vier"]
        );
        // A word longer than the width stays whole on its own line.
        assert_eq!(
            wrap("a sehrlangeswort b", 5),
            vec!["a", "sehrlangeswort", "b"]
        );
    }

    #[test]
    fn a_lookup_moves_and_chooses_and_a_question_takes_only_j_or_n() {
        let entries = vec![("01".into(), "Mitte".into()), ("02".into(), "Nord".into())];
        let mut p = Popup::lookup("Auswahl", "ortsteil", entries);
        assert_eq!(p.command(Command::CursorDown), PopupOutcome::Open);
        assert_eq!(p.command(Command::PageDown), PopupOutcome::Open);
        assert_eq!(
            p.command(Command::Submit),
            PopupOutcome::Chosen {
                field: "ortsteil",
                key: "02".into()
            }
        );
        let mut empty = Popup::lookup("Auswahl", "ortsteil", Vec::new());
        assert_eq!(empty.command(Command::Submit), PopupOutcome::Closed);

        let q = Popup::confirm("Löschen? (J/N)", "del");
        assert_eq!(
            q.typed('j'),
            PopupOutcome::Answer {
                tag: "del",
                yes: true
            }
        );
        assert_eq!(
            q.typed('N'),
            PopupOutcome::Answer {
                tag: "del",
                yes: false
            }
        );
        assert_eq!(q.typed('x'), PopupOutcome::NotAnAnswer);
        let mut q = q;
        assert_eq!(
            q.command(Command::Back),
            PopupOutcome::Answer {
                tag: "del",
                yes: false
            }
        );
    }
}
