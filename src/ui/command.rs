//! Every action of the UI is a named command. Keys are bound to these names
//! in `keymaps/*.toml`; the footer legend and the help list come from here.

use std::fmt;
use std::str::FromStr;

macro_rules! commands {
    ($( $variant:ident = $name:literal, $label:expr, $doc:literal; )*) => {
        /// A named UI command.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Command { $( #[doc = $doc] $variant, )* }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$variant,)*];

            /// The name used in keymap files, e.g. `page-down`.
            pub fn name(self) -> &'static str {
                match self { $(Command::$variant => $name,)* }
            }

            /// Short German label for the footer legend (`F3=Zurück`); `None`
            /// for commands that never appear in the legend.
            pub fn label(self) -> Option<&'static str> {
                match self { $(Command::$variant => $label,)* }
            }

            /// German one-line description for the key help.
            pub fn doc(self) -> &'static str {
                match self { $(Command::$variant => $doc,)* }
            }
        }
    };
}

commands! {
    Submit = "submit", Some("Ausführen"), "Maske verarbeiten (suchen, weiter, bestätigen)";
    NextField = "next-field", None, "Zum nächsten Eingabefeld";
    PrevField = "prev-field", None, "Zum vorigen Eingabefeld";
    Help = "help", Some("Hilfe"), "Hilfe zum Feld, dann zur Maske";
    Back = "back", Some("Zurück"), "Maske verlassen (fragt bei ungesicherten Änderungen)";
    Lookup = "lookup", Some("Auswahl"), "Auswahlliste für das Feld";
    Refresh = "refresh", Some("Neu laden"), "Daten neu aus der Datenbank laden";
    CommandLine = "command-line", Some("Befehl"), "In die Befehlszeile springen";
    PageUp = "page-up", Some("Zurückbl."), "Eine Seite zurückblättern";
    PageDown = "page-down", Some("Vorbl."), "Eine Seite vorblättern";
    Save = "save", Some("Speichern"), "Datensatz speichern";
    Cancel = "cancel", Some("Abbrechen"), "Eingaben dieser Maske verwerfen";
    Redraw = "redraw", None, "Bildschirm neu aufbauen";
    ToggleOvertype = "toggle-overtype", None, "Einfügen / Überschreiben umschalten";
    Change = "change", Some("Ändern"), "Anzeige in den Änderungsmodus schalten";
    New = "new", Some("Neu"), "Neuen Datensatz anlegen";
    History = "history", Some("Historie"), "Historie anzeigen";
    CursorUp = "cursor-up", None, "Zeile nach oben";
    CursorDown = "cursor-down", None, "Zeile nach unten";
    CursorLeft = "cursor-left", None, "Zeichen nach links";
    CursorRight = "cursor-right", None, "Zeichen nach rechts";
    Home = "home", None, "An den Feldanfang";
    End = "end", None, "An das Feldende";
    Backspace = "backspace", None, "Zeichen links löschen";
    DeleteChar = "delete-char", None, "Zeichen unter dem Cursor löschen";
    EraseEof = "erase-eof", None, "Feld ab Cursor löschen";
    NewLine = "new-line", None, "Neue Zeile in einem mehrzeiligen Feld";
    Exit = "exit", Some("Ende"), "KIS beenden";
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Command {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Command::ALL
            .iter()
            .copied()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unbekannter Befehl „{s}“"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<_> = Command::ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Command::ALL.len());
        for c in Command::ALL {
            assert_eq!(c.name().parse::<Command>().unwrap(), *c);
        }
        assert!("no-such-command".parse::<Command>().is_err());
    }
}
