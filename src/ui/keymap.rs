//! Keymaps: data that binds key chords to named commands per context.
//! The built-in maps live in `keymaps/*.toml`; a user file is merged over them.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::command::Command;
use super::keys::KeyChord;

/// The context a key is looked up in (besides `global`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Form,
    Memo,
    List,
    Menu,
    Popup,
    CmdLine,
}

impl Context {
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::Form,
        Context::Memo,
        Context::List,
        Context::Menu,
        Context::Popup,
        Context::CmdLine,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Form => "form",
            Context::Memo => "memo",
            Context::List => "list",
            Context::Menu => "menu",
            Context::Popup => "popup",
            Context::CmdLine => "cmdline",
        }
    }

    fn from_name(s: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == s)
    }
}

const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("host", include_str!("../../keymaps/host.toml")),
];

#[derive(Clone, Debug)]
pub struct Keymap {
    name: String,
    bindings: HashMap<Context, HashMap<KeyChord, Command>>,
}

impl Keymap {
    /// A built-in keymap by name (`default`, `host`).
    pub fn builtin(name: &str) -> Result<Keymap, String> {
        let text = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                format!("Unbekannte Tastenbelegung „{name}“ (vorhanden: default, host).")
            })?;
        let mut km = Keymap {
            name: name.to_string(),
            bindings: HashMap::new(),
        };
        km.merge_toml(text, name)?;
        Ok(km)
    }

    /// The keymap named by `--keymap` (built-in name or a file path), with an
    /// optional user file merged over it.
    pub fn load(name: &str, user_file: Option<&Path>) -> Result<Keymap, String> {
        let mut km = if Path::new(name).extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(name)
                .map_err(|e| format!("Tastenbelegung {name} nicht lesbar: {e}"))?;
            let mut km = Keymap::builtin("default")?;
            km.name = name.to_string();
            km.merge_toml(&text, name)?;
            km
        } else {
            Keymap::builtin(name)?
        };
        if let Some(path) = user_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("Tastenbelegung {} nicht lesbar: {e}", path.display()))?;
            km.merge_toml(&text, &path.display().to_string())?;
        }
        Ok(km)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Merge a TOML keymap over this one; unknown contexts, keys or command
    /// names are errors that name the file and the entry.
    pub fn merge_toml(&mut self, text: &str, origin: &str) -> Result<(), String> {
        let parsed: BTreeMap<String, BTreeMap<String, String>> =
            toml::from_str(text).map_err(|e| format!("Tastenbelegung {origin}: {e}"))?;
        for (ctx_name, entries) in parsed {
            let ctx = Context::from_name(&ctx_name).ok_or_else(|| {
                format!("Tastenbelegung {origin}: unbekannter Abschnitt [{ctx_name}]")
            })?;
            let map = self.bindings.entry(ctx).or_default();
            for (key, cmd) in entries {
                let chord: KeyChord = key
                    .parse()
                    .map_err(|e| format!("Tastenbelegung {origin} [{ctx_name}]: {e}"))?;
                if cmd == "none" {
                    map.remove(&chord);
                    continue;
                }
                let command: Command = cmd
                    .parse()
                    .map_err(|e| format!("Tastenbelegung {origin} [{ctx_name}] {key}: {e}"))?;
                map.insert(chord, command);
            }
        }
        Ok(())
    }

    /// The command a chord means in `ctx` (falling back to `global`).
    pub fn lookup(&self, ctx: Context, chord: &KeyChord) -> Option<Command> {
        self.bindings
            .get(&ctx)
            .and_then(|m| m.get(chord))
            .or_else(|| {
                self.bindings
                    .get(&Context::Global)
                    .and_then(|m| m.get(chord))
            })
            .copied()
    }

    /// The best key for a command in `ctx`: a function key if there is one.
    pub fn key_for(&self, ctx: Context, cmd: Command) -> Option<KeyChord> {
        let mut keys: Vec<KeyChord> = [ctx, Context::Global]
            .iter()
            .filter_map(|c| self.bindings.get(c))
            .flat_map(|m| m.iter().filter(|(_, c)| **c == cmd).map(|(k, _)| *k))
            // A key shadowed by the context does not count for global.
            .filter(|k| self.lookup(ctx, k) == Some(cmd))
            .collect();
        keys.sort_by_key(|k| (k.legend_rank(), k.to_string()));
        keys.into_iter().next()
    }

    /// The footer legend for a context: `(key, label)` for every available
    /// command that has a label and a key, ordered by key.
    pub fn legend(&self, ctx: Context, available: &[Command]) -> Vec<(KeyChord, &'static str)> {
        let mut out: Vec<(KeyChord, &'static str)> = available
            .iter()
            .filter_map(|c| Some((self.key_for(ctx, *c)?, c.label()?)))
            .collect();
        out.sort_by_key(|(k, _)| k.legend_rank());
        out.dedup();
        out
    }

    /// The key a text should name for `cmd`: the best key in `ctx`, else
    /// the best key of any other context (a message may outlive its focus).
    pub fn key_in_any(&self, ctx: Context, cmd: Command) -> Option<KeyChord> {
        self.key_for(ctx, cmd).or_else(|| {
            Context::ALL
                .iter()
                .find_map(|other| self.key_for(*other, cmd))
        })
    }

    /// Render a text for the screen: every key reference (see
    /// [`super::keyref`]) becomes the key bound to its command in `ctx`, or
    /// the command's label in quotes when no key is bound to it at all.
    pub fn render_text(&self, ctx: Context, text: &str) -> String {
        super::keyref::resolve(text, |cmd| match self.key_in_any(ctx, cmd) {
            Some(k) => k.to_string(),
            None => format!("„{}“", cmd.label().unwrap_or(cmd.name())),
        })
    }

    /// All bindings of a context (own and inherited), for the key help.
    pub fn bindings(&self, ctx: Context) -> Vec<(KeyChord, Command)> {
        let mut out: Vec<(KeyChord, Command)> = Vec::new();
        for c in [ctx, Context::Global] {
            if let Some(m) = self.bindings.get(&c) {
                for (k, cmd) in m {
                    if self.lookup(ctx, k) == Some(*cmd) && !out.iter().any(|(ok, _)| ok == k) {
                        out.push((*k, *cmd));
                    }
                }
            }
        }
        out.sort_by_key(|(k, _)| (k.legend_rank(), k.to_string()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyCode;

    #[test]
    fn builtin_maps_load_and_bind_the_host_keys() {
        for name in ["default", "host"] {
            let km = Keymap::builtin(name).unwrap();
            let f = |n| KeyChord::plain(KeyCode::F(n));
            assert_eq!(km.lookup(Context::Form, &f(3)), Some(Command::Back));
            assert_eq!(km.lookup(Context::Form, &f(12)), Some(Command::Cancel));
            assert_eq!(km.lookup(Context::List, &f(7)), Some(Command::PageUp));
            assert_eq!(km.lookup(Context::List, &f(8)), Some(Command::PageDown));
            assert_eq!(
                km.lookup(Context::Form, &KeyChord::plain(KeyCode::Enter)),
                Some(Command::Submit)
            );
        }
    }

    #[test]
    fn every_context_of_the_builtin_maps_is_known_and_free_of_duplicates() {
        // toml itself rejects duplicate keys within a table; a parse therefore
        // proves there are none. Unknown names fail the load.
        for (name, text) in BUILTIN {
            let mut km = Keymap {
                name: name.to_string(),
                bindings: HashMap::new(),
            };
            km.merge_toml(text, name).unwrap();
        }
    }

    #[test]
    fn user_file_overrides_single_keys() {
        let mut km = Keymap::builtin("default").unwrap();
        km.merge_toml("[form]\nF10 = \"none\"\nF11 = \"save\"\n", "user")
            .unwrap();
        assert_eq!(
            km.lookup(Context::Form, &KeyChord::plain(KeyCode::F(10))),
            None
        );
        assert_eq!(
            km.lookup(Context::Form, &KeyChord::plain(KeyCode::F(11))),
            Some(Command::Save)
        );
        assert_eq!(
            km.key_for(Context::Form, Command::Save),
            Some(KeyChord::plain(KeyCode::F(11)))
        );
    }

    #[test]
    fn unknown_names_are_load_errors() {
        let mut km = Keymap::builtin("default").unwrap();
        let err = km
            .merge_toml("[form]\nF2 = \"fly\"\n", "x.toml")
            .unwrap_err();
        assert!(err.contains("unbekannter Befehl „fly“"), "{err}");
        assert!(km.merge_toml("[nowhere]\nF2 = \"save\"\n", "x").is_err());
        assert!(km.merge_toml("[form]\nHyper-Q = \"save\"\n", "x").is_err());
        assert!(Keymap::builtin("emacs").is_err());
    }

    #[test]
    fn legend_follows_the_bindings() {
        let km = Keymap::builtin("default").unwrap();
        let legend = km.legend(
            Context::Form,
            &[Command::Save, Command::Help, Command::Back],
        );
        let text: Vec<String> = legend.iter().map(|(k, l)| format!("{k}={l}")).collect();
        assert_eq!(text, ["F1=Hilfe", "F3=Zurück", "F10=Speichern"]);
    }
}
