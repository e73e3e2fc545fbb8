//! The mask engine: one `Form` gives every declared mask the same behaviour —
//! tab order, validation on leaving a field (the cursor stays in a faulty
//! field), insert/overtype, required fields, code-list checks, memo fields,
//! modes, the dirty check, scrolling of long masks and rendering.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::{CursorMove, TextArea};

use super::command::Command;
use super::field::{FieldDef, FieldKind, LineEdit};
use super::keymap::Context;
use super::theme::Theme;
use crate::core::sanitize::{sanitize_line, sanitize_multiline};

/// Display / change / create, shown in the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Anzeigen,
    Aendern,
    Neu,
}

impl Mode {
    pub fn label(self) -> &'static str {
        match self {
            Mode::Anzeigen => "Anzeigen",
            Mode::Aendern => "Ändern",
            Mode::Neu => "Neu",
        }
    }
}

/// Where the code lists of code fields come from (the session's cache).
pub trait CodeSource {
    /// `(key, short text)` of every valid entry of a list.
    fn entries(&self, list: &str) -> Vec<(String, String)>;

    fn contains(&self, list: &str, key: &str) -> bool {
        self.entries(list).iter().any(|(k, _)| k == key)
    }

    fn short_text(&self, list: &str, key: &str) -> Option<String> {
        self.entries(list)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, t)| t)
    }
}

/// A declared mask: code, title and fields in tab order.
#[derive(Clone, Debug)]
pub struct MaskDef {
    pub code: &'static str,
    pub title: &'static str,
    pub help: &'static str,
    pub fields: Vec<FieldDef>,
    /// Move to the next field automatically when a field is filled.
    pub auto_skip: bool,
}

/// What the form made of a command; the mask decides what to do with it.
#[derive(Debug, PartialEq, Eq)]
pub enum FormEvent {
    /// Handled inside the form; nothing for the mask to do.
    Handled,
    /// The command is not the form's business (the mask or app may use it).
    Ignored,
    /// Enter after the current field passed its check.
    Submit,
    /// Save after every field passed its check.
    Save,
    /// F4 on the field with this key.
    Lookup(&'static str),
    /// A field failed its check; message for the message line.
    Invalid(String),
}

#[derive(Clone)]
enum Value {
    Line(LineEdit),
    Memo(Box<TextArea<'static>>),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Line(e) => e.text.clone(),
            Value::Memo(t) => t.lines().join("\n"),
        }
    }
}

pub struct Form {
    pub def: MaskDef,
    values: Vec<Value>,
    original: Vec<String>,
    focus: usize,
    mode: Mode,
    overtype: bool,
    error: Option<usize>,
    scroll: u16,
    body_height: std::cell::Cell<u16>,
}

impl Form {
    pub fn new(def: MaskDef, mode: Mode) -> Self {
        let values = def
            .fields
            .iter()
            .map(|f| match f.kind {
                FieldKind::Memo(_) => Value::Memo(Box::new(TextArea::default())),
                _ => Value::Line(LineEdit::default()),
            })
            .collect();
        let original = vec![String::new(); def.fields.len()];
        let mut form = Form {
            def,
            values,
            original,
            focus: 0,
            mode,
            overtype: true,
            error: None,
            scroll: 0,
            body_height: std::cell::Cell::new(18),
        };
        form.focus = form.first_focusable().unwrap_or(0);
        form
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Switch the mode; the focus moves to the first field editable in it.
    pub fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        self.error = None;
        self.focus = self.first_focusable().unwrap_or(0);
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.def.fields.iter().position(|f| f.key == key)
    }

    /// The text of a field (empty for an unknown key).
    pub fn get(&self, key: &str) -> String {
        self.index(key)
            .map(|i| self.values[i].text())
            .unwrap_or_default()
    }

    /// The trimmed text, `None` when empty.
    pub fn opt(&self, key: &str) -> Option<String> {
        let v = self.get(key);
        let t = v.trim();
        (!t.is_empty()).then(|| t.to_string())
    }

    /// Set a field's text (as loaded, not typed: the form stays clean).
    pub fn load(&mut self, key: &str, text: &str) {
        if let Some(i) = self.index(key) {
            self.set_value(i, text);
            self.original[i] = self.values[i].text();
        }
    }

    /// Set a field's text as if typed (the form becomes dirty).
    pub fn set(&mut self, key: &str, text: &str) {
        if let Some(i) = self.index(key) {
            self.set_value(i, text);
        }
    }

    fn set_value(&mut self, i: usize, text: &str) {
        match &mut self.values[i] {
            Value::Line(e) => {
                e.set(text);
                e.cursor = 0;
            }
            Value::Memo(t) => {
                **t = TextArea::new(text.split('\n').map(str::to_string).collect());
            }
        }
    }

    /// Clear every field and forget the loaded state.
    pub fn clear(&mut self) {
        for i in 0..self.values.len() {
            self.set_value(i, "");
            self.original[i].clear();
        }
        self.error = None;
        self.focus = self.first_focusable().unwrap_or(0);
    }

    /// Whether anything was changed since the last load or `mark_clean`.
    pub fn is_dirty(&self) -> bool {
        self.values
            .iter()
            .zip(&self.original)
            .any(|(v, o)| v.text().trim_end() != o.trim_end())
    }

    pub fn mark_clean(&mut self) {
        for (i, v) in self.values.iter().enumerate() {
            self.original[i] = v.text();
        }
    }

    pub fn focused(&self) -> &FieldDef {
        &self.def.fields[self.focus]
    }

    /// Put the cursor on a field and mark it faulty (cross-field checks,
    /// service errors that name a field).
    pub fn fail(&mut self, key: &str) {
        if let Some(i) = self.index(key) {
            self.mark_faulty(i);
        }
    }

    /// Cursor to the start of a faulty field (as on host terminals), highlighted.
    fn mark_faulty(&mut self, i: usize) {
        self.focus = i;
        self.error = Some(i);
        if let Value::Line(e) = &mut self.values[i] {
            e.cursor = 0;
        }
        self.ensure_visible();
    }

    /// Cursor to the start of the focused field (coming back from a list
    /// below the mask, as on host terminals).
    pub fn cursor_home(&mut self) {
        if let Value::Line(e) = &mut self.values[self.focus] {
            e.cursor = 0;
        }
    }

    pub fn focus_key(&mut self, key: &str) {
        if let Some(i) = self.index(key) {
            self.focus = i;
            self.ensure_visible();
        }
    }

    fn editable(&self, i: usize) -> bool {
        let f = &self.def.fields[i];
        match self.mode {
            Mode::Anzeigen => false,
            Mode::Aendern => !f.readonly && !f.key_field,
            Mode::Neu => !f.readonly,
        }
    }

    /// In display mode every field can take the cursor (for F1 help); else
    /// only the editable ones.
    fn focusable(&self, i: usize) -> bool {
        self.mode == Mode::Anzeigen || self.editable(i)
    }

    fn first_focusable(&self) -> Option<usize> {
        (0..self.def.fields.len()).find(|i| self.focusable(*i))
    }

    /// The keymap context for the focused field.
    pub fn context(&self) -> Context {
        if self.focused().is_memo() && self.editable(self.focus) {
            Context::Memo
        } else {
            Context::Form
        }
    }

    /// Check the focused field and write its normalised text back.
    fn check_focused(&mut self, codes: &dyn CodeSource) -> Result<(), String> {
        self.check(self.focus, codes)
    }

    fn check(&mut self, i: usize, codes: &dyn CodeSource) -> Result<(), String> {
        if !self.editable(i) {
            return Ok(());
        }
        let def = &self.def.fields[i];
        let text = self.values[i].text();
        let normalised = def
            .normalise(&text, &|list, key| codes.contains(list, key))
            .and_then(|norm| {
                // A normalised value (an amount with its separators) that
                // the field cannot hold is refused, never shown or kept cut.
                if norm.chars().count() > def.max_len as usize {
                    Err(format!(
                        "{}: „{norm}“ ist länger als das Feld ({} Zeichen).",
                        def.label, def.max_len
                    ))
                } else {
                    Ok(norm)
                }
            });
        match normalised {
            Ok(norm) => {
                if norm != text.trim_end()
                    && let Value::Line(e) = &mut self.values[i]
                {
                    e.set(&norm);
                }
                if self.error == Some(i) {
                    self.error = None;
                }
                Ok(())
            }
            Err(msg) => {
                self.mark_faulty(i);
                Err(msg)
            }
        }
    }

    /// Check every editable field in tab order; the first fault keeps the cursor.
    pub fn check_all(&mut self, codes: &dyn CodeSource) -> Result<(), String> {
        for i in 0..self.def.fields.len() {
            self.check(i, codes)?;
        }
        Ok(())
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.def.fields.len();
        let mut i = self.focus;
        for _ in 0..n {
            i = if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            if self.focusable(i) {
                self.focus = i;
                break;
            }
        }
        if let Value::Line(e) = &mut self.values[self.focus] {
            e.cursor = 0;
        }
        self.ensure_visible();
    }

    fn ensure_visible(&mut self) {
        let h = self.body_height.get().max(1);
        let row = self.def.fields[self.focus].row;
        if row < self.scroll {
            self.scroll = row;
        } else if row >= self.scroll + h {
            self.scroll = row + 1 - h;
        }
    }

    /// Type a character into the focused field.
    pub fn type_char(&mut self, c: char, codes: &dyn CodeSource) -> FormEvent {
        if !self.editable(self.focus) {
            return FormEvent::Invalid(if self.mode == Mode::Anzeigen {
                "Anzeigemodus – zum Ändern ⟨change⟩ drücken.".into()
            } else {
                format!("{} kann hier nicht geändert werden.", self.focused().label)
            });
        }
        let def = self.def.fields[self.focus].clone();
        if !def.accepts(c) {
            return FormEvent::Invalid(format!(
                "{}: Zeichen „{c}“ ist hier nicht erlaubt.",
                def.label
            ));
        }
        let s = def.convert(c);
        let overtype = self.overtype;
        match &mut self.values[self.focus] {
            Value::Memo(t) => {
                t.insert_str(&s);
                FormEvent::Handled
            }
            Value::Line(e) => {
                let max = def.max_len as usize;
                if !e.type_str(&s, overtype, max) {
                    return FormEvent::Invalid(format!(
                        "{}: Feld ist voll ({max} Zeichen).",
                        def.label
                    ));
                }
                if self.def.auto_skip && e.cursor >= max {
                    return self.leave(true, codes);
                }
                FormEvent::Handled
            }
        }
    }

    fn leave(&mut self, forward: bool, codes: &dyn CodeSource) -> FormEvent {
        match self.check_focused(codes) {
            Ok(()) => {
                self.move_focus(forward);
                FormEvent::Handled
            }
            Err(msg) => FormEvent::Invalid(msg),
        }
    }

    /// Apply a named command to the form.
    pub fn command(&mut self, cmd: Command, codes: &dyn CodeSource) -> FormEvent {
        let max = self.focused().max_len as usize;
        let editable = self.editable(self.focus);
        match cmd {
            Command::NextField => self.leave(true, codes),
            Command::PrevField => self.leave(false, codes),
            Command::Submit => match self.check_focused(codes) {
                Ok(()) => FormEvent::Submit,
                Err(m) => FormEvent::Invalid(m),
            },
            Command::Save => {
                if self.mode == Mode::Anzeigen {
                    return FormEvent::Invalid(
                        "Anzeigemodus – zum Ändern ⟨change⟩ drücken.".into(),
                    );
                }
                match self.check_all(codes) {
                    Ok(()) => FormEvent::Save,
                    Err(m) => FormEvent::Invalid(m),
                }
            }
            Command::Lookup => match self.focused().kind {
                FieldKind::Code(_) if editable => FormEvent::Lookup(self.focused().key),
                _ => FormEvent::Lookup(self.focused().key),
            },
            Command::ToggleOvertype => {
                self.overtype = !self.overtype;
                FormEvent::Handled
            }
            Command::PageDown => {
                let h = self.body_height.get().max(1);
                let last = self.def.fields.iter().map(|f| f.row).max().unwrap_or(0);
                if self.scroll + h <= last {
                    self.scroll += h;
                    if let Some(i) = (0..self.def.fields.len())
                        .find(|i| self.focusable(*i) && self.def.fields[*i].row >= self.scroll)
                    {
                        self.focus = i;
                    }
                }
                FormEvent::Handled
            }
            Command::PageUp => {
                let h = self.body_height.get().max(1);
                self.scroll = self.scroll.saturating_sub(h);
                if let Some(i) = (0..self.def.fields.len())
                    .find(|i| self.focusable(*i) && self.def.fields[*i].row >= self.scroll)
                {
                    self.focus = i;
                }
                FormEvent::Handled
            }
            Command::CursorLeft
            | Command::CursorRight
            | Command::Home
            | Command::End
            | Command::Backspace
            | Command::DeleteChar
            | Command::EraseEof
            | Command::CursorUp
            | Command::CursorDown
            | Command::NewLine => self.edit(cmd, max, editable),
            _ => FormEvent::Ignored,
        }
    }

    fn edit(&mut self, cmd: Command, max: usize, editable: bool) -> FormEvent {
        let changes = matches!(
            cmd,
            Command::Backspace | Command::DeleteChar | Command::EraseEof | Command::NewLine
        );
        if changes && !editable {
            return FormEvent::Invalid("Dieses Feld kann hier nicht geändert werden.".into());
        }
        match &mut self.values[self.focus] {
            Value::Line(e) => match cmd {
                Command::CursorLeft => e.left(),
                Command::CursorRight => e.right(max),
                Command::Home => e.home(),
                Command::End => e.end(max),
                Command::Backspace => e.backspace(),
                Command::DeleteChar => e.delete(),
                Command::EraseEof => e.erase_eof(),
                _ => return FormEvent::Ignored,
            },
            Value::Memo(t) => match cmd {
                Command::CursorLeft => t.move_cursor(CursorMove::Back),
                Command::CursorRight => t.move_cursor(CursorMove::Forward),
                Command::CursorUp => t.move_cursor(CursorMove::Up),
                Command::CursorDown => t.move_cursor(CursorMove::Down),
                Command::Home => t.move_cursor(CursorMove::Head),
                Command::End => t.move_cursor(CursorMove::End),
                Command::Backspace => {
                    t.delete_char();
                }
                Command::DeleteChar => {
                    t.delete_next_char();
                }
                Command::EraseEof => {
                    t.delete_line_by_end();
                }
                Command::NewLine => t.insert_newline(),
                _ => return FormEvent::Ignored,
            },
        }
        FormEvent::Handled
    }

    /// Insert pasted text into the focused field, character by character, so
    /// that the same filters apply as to typing. All or nothing: a text the
    /// field refuses (too long, a character not allowed) leaves the mask as
    /// it was instead of half pasted.
    pub fn paste(&mut self, text: &str, codes: &dyn CodeSource) -> FormEvent {
        let before = (self.values.clone(), self.focus, self.error);
        for c in text.chars() {
            let ev = if c == '\n' {
                if self.focused().is_memo() {
                    self.command(Command::NewLine, codes)
                } else {
                    continue;
                }
            } else {
                self.type_char(c, codes)
            };
            if let FormEvent::Invalid(m) = ev {
                (self.values, self.focus, self.error) = before;
                return FormEvent::Invalid(format!("{m} Nichts eingefügt."));
            }
        }
        FormEvent::Handled
    }

    /// Draw the mask into `area`; places the terminal cursor in the focused field.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, codes: &dyn CodeSource) {
        self.body_height.set(area.height);
        let mut cursor = None;
        for (i, f) in self.def.fields.iter().enumerate() {
            if f.row < self.scroll || f.row >= self.scroll + area.height {
                continue;
            }
            let y = area.y + f.row - self.scroll;
            let x = area.x + f.col;
            if x >= area.right() {
                continue;
            }
            let buf = frame.buffer_mut();
            let label = f.leader_label();
            let label_w = (f.label_width as usize).max(label.chars().count()) as u16;
            let label_style = if f.required && self.editable(i) {
                theme.label().add_modifier(ratatui::style::Modifier::BOLD)
            } else {
                theme.label()
            };
            buf.set_stringn(x, y, &label, (area.right() - x) as usize, label_style);
            let ix = x + label_w;
            if ix >= area.right() {
                continue;
            }
            let avail = (area.right() - ix) as usize;
            let style = if self.error == Some(i) {
                theme.input_error()
            } else if !self.editable(i) {
                theme.readonly()
            } else if i == self.focus {
                theme.input_focus()
            } else {
                theme.input()
            };
            match &self.values[i] {
                Value::Line(e) => {
                    let shown: String = match f.kind {
                        FieldKind::Secret => "*".repeat(e.len()),
                        _ => sanitize_line(&e.text).into_owned(),
                    };
                    let w = (f.width as usize).min(avail);
                    // A text longer than the field scrolls with the cursor;
                    // unfocused it shows its start and a mark that more follows.
                    let len = shown.chars().count();
                    let off = if i == self.focus && len > w {
                        e.cursor.saturating_sub(w.saturating_sub(1))
                    } else {
                        0
                    };
                    let mut cell: String = shown.chars().skip(off).take(w).collect();
                    if len > off + w && w > 1 {
                        cell = cell.chars().take(w - 1).collect();
                        cell.push(if theme.ascii { '>' } else { '…' });
                    }
                    let pad = if self.editable(i) { '_' } else { ' ' };
                    while cell.chars().count() < w {
                        cell.push(pad);
                    }
                    buf.set_stringn(ix, y, &cell, w, style);
                    if let FieldKind::Code(list) = f.kind
                        && !e.text.is_empty()
                        && let Some(t) = codes.short_text(list, &e.text)
                    {
                        let tx = ix + w as u16 + 1;
                        if tx < area.right() {
                            buf.set_stringn(
                                tx,
                                y,
                                sanitize_line(&t),
                                (area.right() - tx) as usize,
                                theme.dim(),
                            );
                        }
                    }
                    if i == self.focus {
                        cursor = Some(Position::new(
                            ix + (e.cursor - off).min(w.saturating_sub(1)) as u16,
                            y,
                        ));
                    }
                }
                Value::Memo(t) => {
                    let rows = match f.kind {
                        FieldKind::Memo(r) => r,
                        _ => 1,
                    };
                    let h = rows.min(area.bottom().saturating_sub(y));
                    let rect = Rect::new(ix, y, (f.width).min(avail as u16), h);
                    if i == self.focus && self.editable(i) {
                        let ratatui_textarea::DataCursor(r, c) = t.cursor();
                        cursor = Some(Position::new(
                            rect.x + (c as u16).min(rect.width.saturating_sub(1)),
                            rect.y + (r as u16).min(h.saturating_sub(1)),
                        ));
                    } else if i == self.focus {
                        cursor = Some(Position::new(rect.x, rect.y));
                    }
                    let lines: Vec<Line> = t
                        .lines()
                        .iter()
                        .map(|l| {
                            Line::from(Span::styled(sanitize_multiline(l).into_owned(), style))
                        })
                        .collect();
                    let mut text_lines = lines;
                    while text_lines.len() < h as usize {
                        text_lines.push(Line::from(Span::styled(
                            if self.editable(i) {
                                "_".repeat(rect.width as usize)
                            } else {
                                String::new()
                            },
                            style,
                        )));
                    }
                    let ratatui_textarea::DataCursor(r, _) = t.cursor();
                    let skip = (r as u16 + 1).saturating_sub(h);
                    frame.render_widget(
                        Paragraph::new(text_lines)
                            .scroll((skip, 0))
                            .style(Style::default()),
                        rect,
                    );
                    if let Some(p) = cursor.as_mut().filter(|_| i == self.focus) {
                        p.y -= skip.min(p.y - rect.y);
                    }
                }
            }
        }
        if let Some(p) = cursor {
            frame.set_cursor_position(p);
        }
    }
}

/// A code source without any list (for forms without code fields).
pub struct NoCodes;

impl CodeSource for NoCodes {
    fn entries(&self, _list: &str) -> Vec<(String, String)> {
        Vec::new()
    }
}
