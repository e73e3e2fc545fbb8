//! Key references in texts. A message or help text never spells a key
//! ("F10"); it names the command (`⟨save⟩`) and the app puts in the key the
//! active keymap binds to it just before the text is shown, so a clerk who
//! remapped a key still reads the truth.

use super::command::Command;

const OPEN: char = '⟨';
const CLOSE: char = '⟩';

/// The reference to `cmd` for use in a text (`⟨save⟩`).
pub fn key(cmd: Command) -> String {
    format!("{OPEN}{}{CLOSE}", cmd.name())
}

/// Replace every reference to a known command by `show(command)`; anything
/// else between the brackets stays as it is.
pub fn resolve(text: &str, mut show: impl FnMut(Command) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        let command = after
            .find(CLOSE)
            .and_then(|end| Some((after[..end].parse::<Command>().ok()?, end)));
        match command {
            Some((cmd, end)) => {
                out.push_str(&show(cmd));
                rest = &after[end + CLOSE.len_utf8()..];
            }
            None => {
                out.push(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a text still holds a reference to a known command.
pub fn has_reference(text: &str) -> bool {
    let mut found = false;
    resolve(text, |_| {
        found = true;
        String::new()
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_become_what_the_caller_shows() {
        let text = format!(
            "{} speichert, {} lädt neu.",
            key(Command::Save),
            key(Command::Refresh)
        );
        assert_eq!(text, "⟨save⟩ speichert, ⟨refresh⟩ lädt neu.");
        let shown = resolve(&text, |c| match c {
            Command::Save => "F10".into(),
            _ => "F5".into(),
        });
        assert_eq!(shown, "F10 speichert, F5 lädt neu.");
        assert!(has_reference(&text));
        assert!(!has_reference(&shown));
    }

    #[test]
    fn unknown_names_and_lone_brackets_stay() {
        let text = "⟨fly⟩ und ⟨ offen";
        assert_eq!(resolve(text, |_| "X".into()), text);
        assert!(!has_reference(text));
    }
}
