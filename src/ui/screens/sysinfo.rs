//! KIS900 Systeminformation: version, store, schema version, Mandant, user,
//! active record locks — what support asks for first.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::core::error::Result;
use crate::core::roles::Role;
use crate::kernel::locks;
use crate::schema;
use crate::ui::command::Command;
use crate::ui::keymap::Context;
use crate::ui::screen::{Env, Input, Nav, RenderCx, Screen};

pub fn open(env: &mut Env) -> Result<Box<dyn Screen>> {
    let mut s = SysInfo {
        lines: Vec::new(),
        top: 0,
    };
    s.lines = collect(env)?;
    Ok(Box::new(s))
}

pub struct SysInfo {
    lines: Vec<String>,
    top: usize,
}

/// The facts shown in KIS900, as lines.
pub fn collect(env: &mut Env) -> Result<Vec<String>> {
    let s = env.session;
    // Every logged-in user may see the system facts; the lock list names
    // colleagues and records, so it needs support or administration.
    let status = crate::store::migrate::status(&s.db, &schema::migrations())?;
    let mut lines = vec![
        format!("KIS-Version . . . . . {}", env!("CARGO_PKG_VERSION")),
        format!("Datenbank . . . . . . {}", s.db.describe()),
        format!(
            "Schemaversion . . . . {} (aktuell: {}{})",
            status
                .current
                .map(|v| v.to_string())
                .unwrap_or_else(|| "–".into()),
            status.latest,
            if status.pending.is_empty() {
                String::new()
            } else {
                format!(", ausstehend: {:?}", status.pending)
            }
        ),
        format!(
            "Mandant . . . . . . . {} – {} (AGS {}, {})",
            s.mandant.id, s.mandant.name, s.mandant.ags, s.mandant.bundesland
        ),
        format!(
            "Benutzer  . . . . . . {} – {}",
            s.user.name, s.user.full_name
        ),
        format!(
            "Rollen  . . . . . . . {}",
            s.roles
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!("Sitzung . . . . . . . {} von {}", s.id, s.client),
        String::new(),
    ];
    if s.has(Role::Support) || s.has(Role::Admin) {
        lines.push("Prüfungen (wie „kis doctor“):".into());
        for c in crate::kernel::doctor::checks(&s.db, s.now()) {
            lines.push(format!(
                "  {:<8} {:<23} {}",
                c.verdict.label(),
                c.name,
                c.detail
            ));
        }
        lines.push(String::new());
        let all = locks::all(&s.db, s.now())?;
        lines.push(format!(
            "Aktive Sperren (Datensätze in Bearbeitung): {}",
            all.iter().filter(|l| l.alive).count()
        ));
        for l in all {
            lines.push(format!(
                "  {:<4} {:<14} {:<14} {:<8} seit {}{}",
                l.mandant,
                l.entity,
                l.key,
                l.user,
                l.since.replace('T', " "),
                if l.alive { "" } else { "  (abgelaufen)" }
            ));
        }
    } else {
        lines.push("Sperrliste: nur mit Rolle Support oder KIS-Verwaltung.".into());
    }
    Ok(lines)
}

impl Screen for SysInfo {
    fn code(&self) -> &str {
        "KIS900"
    }

    fn title(&self) -> String {
        "Systeminformation".into()
    }

    fn context(&self) -> Context {
        Context::List
    }

    fn commands(&self) -> Vec<Command> {
        vec![Command::Refresh, Command::PageUp, Command::PageDown]
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        match input {
            Input::Cmd(Command::Refresh) => match collect(env) {
                Ok(l) => {
                    self.lines = l;
                    env.info("Neu geladen.");
                }
                Err(e) => env.fail(&e),
            },
            Input::Cmd(Command::PageDown | Command::CursorDown) => {
                self.top = (self.top + 10).min(self.lines.len().saturating_sub(1))
            }
            Input::Cmd(Command::PageUp | Command::CursorUp) => {
                self.top = self.top.saturating_sub(10)
            }
            _ => return Nav::Ignored,
        }
        Nav::Stay
    }

    fn render(&self, frame: &mut Frame, area: Rect, _cx: &RenderCx) {
        let buf = frame.buffer_mut();
        for (i, l) in self
            .lines
            .iter()
            .skip(self.top)
            .take(area.height as usize)
            .enumerate()
        {
            buf.set_stringn(
                area.x + 1,
                area.y + i as u16,
                crate::core::sanitize::sanitize_line(l),
                area.width as usize - 1,
                ratatui::style::Style::default(),
            );
        }
    }
}
