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
        let (title, lines, highlight): (String, Vec<String>, Option<usize>) = match self {
            Popup::Help { title, lines, top } => (
                title.clone(),
                lines.iter().skip(*top).map(|l| shown(l)).collect(),
                None,
            ),
            Popup::Document { title, lines, top } => (
                title.clone(),
                lines.iter().skip(*top).cloned().collect(),
                None,
            ),
            Popup::Confirm { question, .. } => (
                "Rückfrage".into(),
                vec![shown(question), String::new(), "J = ja, N = nein".into()],
                None,
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

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
