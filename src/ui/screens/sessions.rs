//! KIS910 Sitzungen: the live sessions (user, Mandant, mask, since, idle,
//! client address) for support; a session of the built-in SSH server can be
//! watched after its clerk agreed (line command B or Enter).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::core::error::Result;
use crate::kernel::support::{self, LiveSession};
use crate::ui::command::Command;
use crate::ui::keymap::Context;
use crate::ui::list::pad;
use crate::ui::screen::{Env, Input, Nav, RenderCx, Screen};

pub fn open(env: &mut Env) -> Result<Box<dyn Screen>> {
    let rows = support::sessions(env.session)?;
    env.info("Zeile wählen (↑/↓), dann B oder Enter: Beobachten anfragen. ⟨refresh⟩ lädt neu.");
    Ok(Box::new(Sessions { rows, cursor: 0 }))
}

pub struct Sessions {
    rows: Vec<LiveSession>,
    cursor: usize,
}

/// `2026-11-25T10:32:00` → `25.11. 10:32`.
fn short_time(ts: &str) -> String {
    match (ts.get(8..10), ts.get(5..7), ts.get(11..16)) {
        (Some(d), Some(m), Some(t)) => format!("{d}.{m}. {t}"),
        _ => ts.to_string(),
    }
}

fn idle_text(row: &LiveSession) -> String {
    match row.idle {
        Some(d) => {
            let s = d.as_secs();
            format!("{}:{:02}", s / 60, s % 60)
        }
        None => "?".into(),
    }
}

impl Sessions {
    fn reload(&mut self, env: &mut Env) {
        match support::sessions(env.session) {
            Ok(rows) => {
                self.rows = rows;
                self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
                env.info("Neu geladen.");
            }
            Err(e) => env.fail(&e),
        }
    }

    fn request(&mut self, env: &mut Env) {
        let Some(row) = self.rows.get(self.cursor) else {
            return;
        };
        match support::request_shadow(env.session, &row.info.id) {
            Ok(user) => env.info(format!(
                "Anfrage an {user} gesendet – bitte auf die Zustimmung warten."
            )),
            Err(e) => env.fail(&e),
        }
    }
}

impl Screen for Sessions {
    fn code(&self) -> &str {
        "KIS910"
    }

    fn title(&self) -> String {
        "Sitzungen".into()
    }

    fn context(&self) -> Context {
        Context::List
    }

    fn commands(&self) -> Vec<Command> {
        vec![Command::Submit, Command::Refresh]
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        match input {
            Input::Cmd(Command::Refresh) => self.reload(env),
            Input::Cmd(Command::CursorDown) => {
                self.cursor = (self.cursor + 1).min(self.rows.len().saturating_sub(1))
            }
            Input::Cmd(Command::CursorUp) => self.cursor = self.cursor.saturating_sub(1),
            Input::Cmd(Command::Submit) | Input::Char('b' | 'B') => self.request(env),
            Input::Char(_) => env.info("Zeilenbefehl B = Beobachten anfragen."),
            _ => return Nav::Ignored,
        }
        Nav::Stay
    }

    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        let buf = frame.buffer_mut();
        let w = area.width.saturating_sub(1) as usize;
        let watchable = self.rows.iter().filter(|r| r.watchable).count();
        let head = format!(
            "Angemeldete Sitzungen: {} (davon {} in diesem SSH-Server, beobachtbar)",
            self.rows.len(),
            watchable
        );
        buf.set_stringn(area.x + 1, area.y, head, w, cx.theme.label());
        let cols = format!(
            "Z {} {} {} {} {} {}",
            pad("Benutzer", 10),
            pad("Mdt", 4),
            pad("Maske", 7),
            pad("seit", 13),
            pad("untätig", 7),
            "Adresse"
        );
        buf.set_stringn(area.x + 1, area.y + 2, cols, w, cx.theme.label());
        let visible = area.height.saturating_sub(3) as usize;
        let start = self.cursor.saturating_sub(visible.saturating_sub(1));
        for (i, row) in self.rows.iter().enumerate().skip(start).take(visible) {
            let line = format!(
                "{} {} {} {} {} {} {}",
                if row.watchable { "_" } else { " " },
                pad(&row.info.user, 10),
                pad(&row.info.mandant, 4),
                pad(&row.info.mask, 7),
                pad(&short_time(&row.info.started_at), 13),
                pad(&idle_text(row), 7),
                crate::core::sanitize::sanitize_line(&row.info.client)
            );
            let style = if i == self.cursor {
                cx.theme.selected()
            } else {
                Style::default()
            };
            let y = area.y + 3 + (i - start) as u16;
            buf.set_stringn(area.x + 1, y, pad(&line, w), w, style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shortened_for_the_list() {
        assert_eq!(short_time("2026-11-25T10:32:00"), "25.11. 10:32");
        assert_eq!(short_time("kaputt"), "kaputt");
    }
}
