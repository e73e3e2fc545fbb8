//! Trefferlisten: a paged list with a selection column for line commands
//! (`A` anzeigen, `Ä`/`U` ändern, `L` löschen, `S` auswählen …), arrow-key
//! selection and paging. Rows are fetched page-wise from a [`ListSource`], so
//! a result of a million rows is never loaded at once.

use std::cell::Cell;
use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};

use super::command::Command;
use super::theme::Theme;
use crate::core::error::Result;
use crate::core::money::format_count_de;
use crate::core::sanitize::sanitize_line;

#[derive(Clone, Debug)]
pub struct Column {
    pub title: &'static str,
    pub width: u16,
}

impl Column {
    pub const fn new(title: &'static str, width: u16) -> Self {
        Column { title, width }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRow {
    /// The record key the line commands act on.
    pub key: String,
    pub cells: Vec<String>,
    /// Shown in the alert style (e.g. a person with an Auskunftssperre).
    pub alert: bool,
}

impl ListRow {
    pub fn new(key: impl Into<String>, cells: Vec<String>) -> Self {
        ListRow {
            key: key.into(),
            cells,
            alert: false,
        }
    }
}

/// A line command a list accepts: its letter(s) and what it does.
#[derive(Clone, Copy, Debug)]
pub struct LineCommand {
    pub letters: &'static str,
    pub label: &'static str,
}

pub const ANZEIGEN: LineCommand = LineCommand {
    letters: "A",
    label: "Anzeigen",
};
pub const AENDERN: LineCommand = LineCommand {
    letters: "ÄU",
    label: "Ändern",
};
pub const LOESCHEN: LineCommand = LineCommand {
    letters: "L",
    label: "Löschen",
};
pub const AUSWAEHLEN: LineCommand = LineCommand {
    letters: "S",
    label: "Auswählen",
};

/// Where a list's rows come from.
pub trait ListSource {
    /// Rows `offset..offset+limit` and the total number of hits.
    fn fetch(&mut self, offset: usize, limit: usize) -> Result<(Vec<ListRow>, usize)>;
}

/// A fixed set of rows (small lists, lookups).
pub struct VecSource(pub Vec<ListRow>);

impl ListSource for VecSource {
    fn fetch(&mut self, offset: usize, limit: usize) -> Result<(Vec<ListRow>, usize)> {
        let rows = self.0.iter().skip(offset).take(limit).cloned().collect();
        Ok((rows, self.0.len()))
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum ListEvent {
    Handled,
    Ignored,
    /// Enter: the line commands typed, top to bottom, as `(letter, key)`;
    /// without typed commands, the first command on the cursor row.
    Commands(Vec<(char, String)>),
    Invalid(String),
}

pub struct ListView {
    pub columns: Vec<Column>,
    pub commands: Vec<LineCommand>,
    source: Box<dyn ListSource>,
    /// Loaded window of rows and its absolute offset.
    rows: Vec<ListRow>,
    window: usize,
    total: usize,
    cursor: usize,
    top: usize,
    typed: BTreeMap<usize, char>,
    visible: Cell<usize>,
}

const WINDOW: usize = 200;

impl ListView {
    pub fn new(
        columns: Vec<Column>,
        commands: Vec<LineCommand>,
        source: Box<dyn ListSource>,
    ) -> Result<Self> {
        let mut lv = ListView {
            columns,
            commands,
            source,
            rows: Vec::new(),
            window: 0,
            total: 0,
            cursor: 0,
            top: 0,
            typed: BTreeMap::new(),
            visible: Cell::new(14),
        };
        lv.load(0)?;
        Ok(lv)
    }

    /// Swap in a new source (a new search) and start at the top.
    pub fn set_source(&mut self, source: Box<dyn ListSource>) -> Result<()> {
        self.source = source;
        self.cursor = 0;
        self.top = 0;
        self.typed.clear();
        self.load(0)
    }

    fn load(&mut self, offset: usize) -> Result<()> {
        let (rows, total) = self.source.fetch(offset, WINDOW)?;
        self.rows = rows;
        self.window = offset;
        self.total = total;
        Ok(())
    }

    fn ensure_loaded(&mut self, from: usize, to: usize) -> Result<()> {
        if from < self.window
            || to > self.window + self.rows.len() && self.window + self.rows.len() < self.total
        {
            let start = from.saturating_sub(WINDOW / 4);
            self.load(start)?;
        }
        Ok(())
    }

    pub fn total(&self) -> usize {
        self.total
    }

    pub fn row(&self, abs: usize) -> Option<&ListRow> {
        abs.checked_sub(self.window).and_then(|i| self.rows.get(i))
    }

    pub fn cursor_index(&self) -> usize {
        self.cursor
    }

    pub fn cursor_row(&self) -> Option<&ListRow> {
        self.row(self.cursor)
    }

    fn move_to(&mut self, abs: usize) -> Result<()> {
        if self.total == 0 {
            return Ok(());
        }
        self.cursor = abs.min(self.total - 1);
        let vis = self.visible.get().max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + vis {
            self.top = self.cursor + 1 - vis;
        }
        self.ensure_loaded(self.top, (self.top + vis).min(self.total))
    }

    fn accepts(&self, c: char) -> Option<char> {
        let up = c.to_uppercase().next().unwrap_or(c);
        self.commands
            .iter()
            .find(|lc| lc.letters.contains(up))
            .map(|_| up)
    }

    pub fn type_char(&mut self, c: char) -> ListEvent {
        if self.total == 0 {
            return ListEvent::Invalid("Die Liste ist leer.".into());
        }
        match self.accepts(c) {
            Some(up) => {
                self.typed.insert(self.cursor, up);
                // Host habit: after a line command the cursor goes to the next line.
                let _ = self.move_to(self.cursor + 1);
                ListEvent::Handled
            }
            None if c == ' ' => {
                self.typed.remove(&self.cursor);
                ListEvent::Handled
            }
            None => ListEvent::Invalid(format!(
                "Zeilenbefehl „{c}“ gibt es hier nicht – erlaubt: {}.",
                self.legend()
            )),
        }
    }

    /// `A=Anzeigen Ä=Ändern L=Löschen`.
    pub fn legend(&self) -> String {
        self.commands
            .iter()
            .map(|lc| format!("{}={}", lc.letters.chars().next().unwrap_or(' '), lc.label))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn command(&mut self, cmd: Command) -> Result<ListEvent> {
        let vis = self.visible.get().max(1);
        match cmd {
            Command::CursorUp => self.move_to(self.cursor.saturating_sub(1))?,
            Command::CursorDown => self.move_to(self.cursor + 1)?,
            Command::PageDown => {
                if self.top + vis >= self.total {
                    return Ok(ListEvent::Invalid("Ende der Liste erreicht.".into()));
                }
                self.top += vis;
                self.cursor = self.top;
                self.move_to(self.cursor)?;
            }
            Command::PageUp => {
                if self.top == 0 {
                    return Ok(ListEvent::Invalid("Anfang der Liste erreicht.".into()));
                }
                self.top = self.top.saturating_sub(vis);
                self.cursor = self.top;
                self.move_to(self.cursor)?;
            }
            Command::Home => {
                self.top = 0;
                self.move_to(0)?;
            }
            Command::End => self.move_to(self.total.saturating_sub(1))?,
            Command::Backspace | Command::DeleteChar => {
                self.typed.remove(&self.cursor);
            }
            Command::Submit => {
                let mut out = Vec::new();
                let typed = std::mem::take(&mut self.typed);
                for (abs, c) in typed {
                    self.ensure_loaded(abs, abs + 1)?;
                    if let Some(r) = self.row(abs) {
                        out.push((c, r.key.clone()));
                    }
                }
                if out.is_empty() {
                    match (self.cursor_row(), self.commands.first()) {
                        (Some(r), Some(lc)) => {
                            out.push((lc.letters.chars().next().unwrap_or('A'), r.key.clone()))
                        }
                        _ => return Ok(ListEvent::Invalid("Die Liste ist leer.".into())),
                    }
                }
                return Ok(ListEvent::Commands(out));
            }
            _ => return Ok(ListEvent::Ignored),
        }
        Ok(ListEvent::Handled)
    }

    /// Draw: the line-command hint with the position, the column titles,
    /// then the rows.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 {
            return;
        }
        let vis = (area.height - 2) as usize;
        self.visible.set(vis);
        let buf = frame.buffer_mut();
        let pos = if self.total == 0 {
            "keine Treffer".to_string()
        } else {
            let last = (self.top + vis).min(self.total);
            format!(
                "Zeile {}–{} von {}",
                format_count_de(self.top as u64 + 1),
                format_count_de(last as u64),
                format_count_de(self.total as u64)
            )
        };
        let mut header = String::from("Z ");
        for c in &self.columns {
            header.push_str(&pad(c.title, c.width as usize));
            header.push(' ');
        }
        // The hint gives way to the position; F1 lists every line command.
        let hint = format!(" Zeilenbefehle: {}", self.legend());
        let room = (area.width as usize).saturating_sub(pos.chars().count() + 2);
        let hint: String = if hint.chars().count() > room {
            let mut h: String = hint.chars().take(room.saturating_sub(2)).collect();
            h.push_str(" …");
            h
        } else {
            hint
        };
        buf.set_stringn(area.x, area.y, &hint, room, theme.dim());
        let px = area.right().saturating_sub(pos.chars().count() as u16 + 1);
        buf.set_stringn(px, area.y, &pos, pos.chars().count(), theme.dim());
        buf.set_stringn(
            area.x,
            area.y + 1,
            &header,
            area.width as usize,
            theme.label(),
        );
        let mut cursor = None;
        for i in 0..vis {
            let abs = self.top + i;
            let Some(row) = self.row(abs) else { break };
            let y = area.y + 2 + i as u16;
            let sel = self.typed.get(&abs).copied().unwrap_or('_');
            let mut line = format!("{sel} ");
            for (c, cell) in self.columns.iter().zip(&row.cells) {
                line.push_str(&pad(&sanitize_line(cell), c.width as usize));
                line.push(' ');
            }
            let style = if abs == self.cursor {
                theme.selected()
            } else if row.alert {
                theme.alert()
            } else {
                ratatui::style::Style::default()
            };
            let line = pad(&line, area.width as usize);
            buf.set_stringn(area.x, y, &line, area.width as usize, style);
            if abs == self.cursor {
                cursor = Some(Position::new(area.x, y));
            }
        }
        if let Some(p) = cursor {
            frame.set_cursor_position(p);
        }
    }
}

/// Cut or pad to exactly `w` characters.
pub fn pad(s: &str, w: usize) -> String {
    let mut out: String = s.chars().take(w).collect();
    let n = out.chars().count();
    out.extend(std::iter::repeat_n(' ', w - n));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(n: usize) -> ListView {
        let rows = (0..n)
            .map(|i| ListRow::new(format!("K{i}"), vec![format!("Zeile {i}")]))
            .collect();
        ListView::new(
            vec![Column::new("Text", 20)],
            vec![ANZEIGEN, AENDERN, LOESCHEN],
            Box::new(VecSource(rows)),
        )
        .unwrap()
    }

    #[test]
    fn enter_without_line_command_acts_on_the_cursor_row() {
        let mut l = list(3);
        l.command(Command::CursorDown).unwrap();
        assert_eq!(
            l.command(Command::Submit).unwrap(),
            ListEvent::Commands(vec![('A', "K1".into())])
        );
    }

    #[test]
    fn typed_line_commands_run_top_to_bottom() {
        let mut l = list(5);
        l.command(Command::CursorDown).unwrap();
        l.command(Command::CursorDown).unwrap();
        assert_eq!(l.type_char('l'), ListEvent::Handled);
        l.command(Command::Home).unwrap();
        assert_eq!(l.type_char('u'), ListEvent::Handled);
        assert!(matches!(l.type_char('x'), ListEvent::Invalid(m) if m.contains("A=Anzeigen")));
        assert_eq!(
            l.command(Command::Submit).unwrap(),
            ListEvent::Commands(vec![('U', "K0".into()), ('L', "K2".into())])
        );
    }

    #[test]
    fn paging_moves_by_the_visible_rows_and_loads_windows() {
        let mut l = list(1000);
        l.visible.set(10);
        l.command(Command::PageDown).unwrap();
        assert_eq!(l.cursor_row().unwrap().key, "K10");
        for _ in 0..30 {
            l.command(Command::PageDown).unwrap();
        }
        assert_eq!(l.cursor_row().unwrap().key, "K310");
        l.command(Command::End).unwrap();
        assert_eq!(l.cursor_row().unwrap().key, "K999");
        assert!(matches!(
            l.command(Command::PageDown).unwrap(),
            ListEvent::Invalid(_)
        ));
        l.command(Command::Home).unwrap();
        assert_eq!(l.cursor_row().unwrap().key, "K0");
        assert!(matches!(
            l.command(Command::PageUp).unwrap(),
            ListEvent::Invalid(_)
        ));
    }
}
