//! `kis keys`: the active key bindings per context.

use super::Cli;
use super::output::Out;
use crate::core::error::{KisError, Result};
use crate::ui::keymap::{Context, Keymap};
use crate::ui::keys::KeyChord;

/// `kis keys`: the active key bindings per context.
pub fn print_keys(cli: &Cli, out: &mut Out) -> Result<()> {
    let km = Keymap::load(&cli.keymap, cli.keymap_file.as_deref()).map_err(KisError::validation)?;
    out.line(format!("Tastenbelegung {}", km.name()))?;
    for ctx in Context::ALL {
        out.line("")?;
        out.line(format!("[{}]", ctx.name()))?;
        for (k, c) in km.bindings(*ctx) {
            out.line(format!(
                "  {:<12} {:<16} {}",
                k.to_string(),
                c.name(),
                c.doc()
            ))?;
        }
    }
    out.line("")?;
    out.line(fallback_line(&km))
}

/// The `Esc`-then-key sequences for the function keys this keymap binds
/// (`F10 = Esc 0`), so the line names only keys that do something.
fn fallback_line(km: &Keymap) -> String {
    let mut keys: Vec<KeyChord> = Context::ALL
        .iter()
        .flat_map(|ctx| km.bindings(*ctx))
        .map(|(k, _)| k)
        .filter(|k| k.esc_fallback().is_some())
        .collect();
    keys.sort_by_key(|k| k.legend_rank());
    keys.dedup();
    let pairs: Vec<String> = keys
        .iter()
        .filter_map(|k| Some(format!("{} = {k}", k.esc_fallback()?)))
        .collect();
    format!(
        "Ohne Funktionstasten: {}; Esc Esc wirkt wie Esc =.",
        pairs.join(", ")
    )
}
