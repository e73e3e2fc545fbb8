//! The frame around every mask: header (Mandant, code, title, mode, user,
//! date), command line, rules, message line and key legend. A pure drawing
//! function of what it is given; the app decides the content.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

use super::field::LineEdit;
use super::keys::KeyChord;
use super::list::pad;
use super::theme::{Severity, Theme};
use crate::core::sanitize::sanitize_line;

const PROMPT: &str = " Befehl ===> ";

/// Row 1: where the clerk is.
pub struct Header {
    pub mandant: String,
    pub code: String,
    pub title: String,
    pub mode: String,
    pub user: String,
    pub date: String,
}

/// Everything the frame shows.
pub struct Chrome<'a> {
    pub header: Header,
    pub cmdline: &'a LineEdit,
    pub cmd_focus: bool,
    /// The message with its key references already rendered.
    pub message: Option<(Severity, String)>,
    /// The key that shows a cut message whole (the help key).
    pub help_key: String,
    pub legend: Vec<(KeyChord, &'static str)>,
}

/// Draw the frame; returns the body area between the rules and, when the
/// command line has the focus, the cursor position in it.
pub fn draw(buf: &mut Buffer, area: Rect, theme: &Theme, c: &Chrome) -> (Rect, Option<Position>) {
    let w = area.width as usize;
    let h = &c.header;
    let left = format!(
        " {} {} {}",
        pad(&h.mandant, 16),
        pad(&h.code, 7),
        pad(&h.title, 24)
    );
    let right = format!("{} {} {} ", pad(&h.mode, 8), pad(&h.user, 8), h.date);
    let gap = w.saturating_sub(left.chars().count() + right.chars().count());
    let header = format!("{left}{}{right}", " ".repeat(gap));
    buf.set_stringn(0, 0, sanitize_line(&header), w, theme.header());

    // Command line.
    buf.set_stringn(0, 1, PROMPT, w, theme.label());
    let cw = w - PROMPT.len() - 1;
    let mut cmd = sanitize_line(&c.cmdline.text).into_owned();
    while cmd.chars().count() < cw {
        cmd.push('_');
    }
    let style = if c.cmd_focus {
        theme.input_focus()
    } else {
        theme.input()
    };
    buf.set_stringn(PROMPT.len() as u16, 1, &cmd, cw, style);
    let line = theme.hline().repeat(w);
    buf.set_stringn(0, 2, &line, w, theme.dim());
    let bottom = area.height;
    buf.set_stringn(0, bottom - 3, &line, w, theme.dim());

    // Message line.
    if let Some((sev, text)) = &c.message {
        let mut m = format!(" {}{}", sev.prefix(), sanitize_line(text));
        if m.chars().count() > w {
            // Too long for one line: cut with a pointer to help, which shows it whole.
            let tail = format!(" … ({})", c.help_key);
            m = format!(
                "{}{tail}",
                m.chars()
                    .take(w.saturating_sub(tail.chars().count() + 1))
                    .collect::<String>()
            );
        }
        buf.set_stringn(0, bottom - 2, &m, w, theme.message(*sev));
    }

    // Legend.
    let mut x = 1u16;
    for (key, label) in &c.legend {
        let k = key.to_string();
        let entry_w = (k.chars().count() + 1 + label.chars().count() + 1) as u16;
        if x + entry_w > area.width {
            break;
        }
        buf.set_string(x, bottom - 1, &k, theme.legend_key());
        let lx = x + k.chars().count() as u16;
        buf.set_string(lx, bottom - 1, format!("={label}"), Style::default());
        x += entry_w;
    }

    let body = Rect::new(0, 3, area.width, bottom - 6);
    let cursor = c.cmd_focus.then(|| {
        Position::new(
            PROMPT.len() as u16 + (c.cmdline.cursor.min(cw - 1)) as u16,
            1,
        )
    });
    (body, cursor)
}
