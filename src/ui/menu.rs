//! Menus: the main menu (procedures) and one menu per procedure with its
//! numbered transactions. A number typed and Enter, or the arrow keys and
//! Enter, open the entry; the command line takes the same as `=n.m`.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};

use super::command::Command;
use super::keymap::Context;
use super::registry::Menu;
use super::screen::{Env, Input, Nav, RenderCx, Screen};

pub struct MenuScreen {
    code: String,
    title: String,
    /// `(path for the command line, number, text, transaction code)`
    entries: Vec<(String, String, String)>,
    cursor: usize,
    typed: String,
}

impl MenuScreen {
    pub fn main(menus: &[Menu]) -> Self {
        MenuScreen {
            code: "KIS".into(),
            title: "Hauptmenü".into(),
            entries: menus
                .iter()
                .map(|m| {
                    (
                        format!("={}", m.number),
                        m.number.to_string(),
                        m.title.to_string(),
                    )
                })
                .collect(),
            cursor: 0,
            typed: String::new(),
        }
    }

    pub fn procedure(menus: &[Menu], number: u8) -> Option<Self> {
        let m = menus.iter().find(|m| m.number == number)?;
        Some(MenuScreen {
            code: format!("MENU{number}"),
            title: m.title.to_string(),
            entries: m
                .transactions
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    (
                        format!("={}.{}", number, i + 1),
                        (i + 1).to_string(),
                        format!("{:<7} {}", t.code, t.title),
                    )
                })
                .collect(),
            cursor: 0,
            typed: String::new(),
        })
    }
}

impl Screen for MenuScreen {
    fn code(&self) -> &str {
        &self.code
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn context(&self) -> Context {
        Context::Menu
    }

    fn commands(&self) -> Vec<Command> {
        vec![Command::Submit]
    }

    fn help(&self) -> Vec<String> {
        vec![
            "Nummer eingeben und Enter drücken, oder mit den Pfeiltasten wählen.".into(),
            "In der Befehlszeile (⟨command-line⟩) öffnen Transaktionscodes wie KIS100 jede Maske direkt;"
                .into(),
            "=1.2 wählt Verfahren 1, Eintrag 2; =0 führt ins Hauptmenü; ENDE beendet KIS.".into(),
        ]
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        match input {
            Input::Char(c) if c.is_ascii_digit() => {
                if self.typed.len() < 2 {
                    self.typed.push(c);
                }
                Nav::Stay
            }
            Input::Cmd(Command::Backspace) => {
                self.typed.pop();
                Nav::Stay
            }
            Input::Cmd(Command::CursorDown) => {
                self.cursor = (self.cursor + 1).min(self.entries.len().saturating_sub(1));
                self.typed.clear();
                Nav::Stay
            }
            Input::Cmd(Command::CursorUp) => {
                self.cursor = self.cursor.saturating_sub(1);
                self.typed.clear();
                Nav::Stay
            }
            Input::Cmd(Command::Submit) => {
                let pick = if self.typed.is_empty() {
                    self.entries.get(self.cursor)
                } else {
                    self.entries.iter().find(|(_, n, _)| *n == self.typed)
                };
                match pick {
                    Some((path, _, _)) => {
                        let path = path.clone();
                        self.typed.clear();
                        Nav::Goto(path)
                    }
                    None => {
                        env.error(format!(
                            "Auswahl „{}“ gibt es in diesem Menü nicht.",
                            self.typed
                        ));
                        self.typed.clear();
                        Nav::Stay
                    }
                }
            }
            Input::Cmd(Command::Cancel) => {
                self.typed.clear();
                Nav::Stay
            }
            Input::Char(c) => {
                env.error(format!("„{c}“: bitte die Nummer eines Eintrags eingeben."));
                Nav::Stay
            }
            _ => Nav::Ignored,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        let buf = frame.buffer_mut();
        let x = area.x + 4;
        buf.set_stringn(x, area.y + 1, &self.title, 60, cx.theme.header());
        // Rows between the title and the prompt; a longer menu shows a
        // window around the cursor and says which entries it shows.
        let rows = area.height.saturating_sub(5) as usize;
        let n_all = self.entries.len();
        let (start, shown) = if n_all > rows && rows > 1 {
            let shown = rows - 1;
            let start = self.cursor.saturating_sub(shown - 1).min(n_all - shown);
            let hint = format!(
                "Einträge {}–{} von {n_all}; weitere mit den Pfeiltasten oder ihrer Nummer",
                start + 1,
                start + shown
            );
            buf.set_stringn(
                x,
                area.y + 3 + shown as u16,
                &hint,
                (area.width as usize).saturating_sub(5),
                cx.theme.dim(),
            );
            (start, shown)
        } else {
            (0, rows)
        };
        for (i, (_, n, text)) in self.entries.iter().enumerate().skip(start).take(shown) {
            let y = area.y + 3 + (i - start) as u16;
            let line = format!("{n:>2}  {text}");
            let style = if i == self.cursor {
                cx.theme.selected()
            } else {
                ratatui::style::Style::default()
            };
            buf.set_stringn(x, y, format!("{line:<60}"), 60, style);
        }
        let y = area.bottom().saturating_sub(1);
        let prompt = "Auswahl ===> ";
        buf.set_stringn(x, y, prompt, 20, cx.theme.label());
        let px = x + prompt.len() as u16;
        buf.set_stringn(
            px,
            y,
            format!("{:_<2}", self.typed),
            2,
            cx.theme.input_focus(),
        );
        frame.set_cursor_position(Position::new(px + self.typed.len() as u16, y));
    }
}
