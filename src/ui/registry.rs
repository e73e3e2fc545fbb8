//! Transaction codes and menus. Each procedure contributes its masks; the
//! command line, the menus and `--goto` all open screens through here.

use super::screen::{Env, Screen};
use crate::core::error::Result;

/// A transaction: a code that opens a screen.
pub struct Transaction {
    pub code: &'static str,
    pub title: &'static str,
    pub open: fn(&mut Env) -> Result<Box<dyn Screen>>,
}

/// A procedure menu: its number in the main menu and its transactions.
pub struct Menu {
    pub number: u8,
    pub title: &'static str,
    pub transactions: Vec<Transaction>,
}

/// Every menu of KIS in main-menu order.
pub fn menus() -> Vec<Menu> {
    vec![
        Menu {
            number: 1,
            title: "EWOS – Einwohnerwesen",
            transactions: super::ewos::transactions(),
        },
        Menu {
            number: 2,
            title: "FINAS – Finanzwesen",
            transactions: super::finas::transactions(),
        },
        Menu {
            number: 3,
            title: "PERSOS – Personalwesen",
            transactions: super::persos::transactions(),
        },
        Menu {
            number: 4,
            title: "KIS-Verwaltung",
            transactions: super::screens::transactions(),
        },
    ]
}

/// What a command-line entry refers to.
pub enum Target {
    MainMenu,
    Menu(u8),
    Transaction(u8, usize),
    Exit,
}

/// Resolve a transaction code (`kis100`), a menu path (`=4.1`, `=4`, `=0`)
/// or `ENDE`. Codes are case-insensitive.
/// A transaction opened straight on a record by the argument typed after
/// its code (`EWO200 16`); `None` where the code takes no key (its first
/// field gets the argument instead).
pub fn open_with_key(code: &str, env: &mut Env, key: &str) -> Option<Result<Box<dyn Screen>>> {
    match code {
        "EWO200" => Some(crate::ui::ewos::open_person_by_key(env, key)),
        _ => None,
    }
}

pub fn resolve(menus: &[Menu], input: &str) -> Option<Target> {
    let t = input.trim().to_uppercase();
    if t == "ENDE" || t == "=X" {
        return Some(Target::Exit);
    }
    if let Some(path) = t.strip_prefix('=') {
        let mut parts = path.split('.');
        let m: u8 = parts.next()?.trim().parse().ok()?;
        if m == 0 {
            return Some(Target::MainMenu);
        }
        let menu = menus.iter().find(|x| x.number == m)?;
        return match parts.next() {
            None => Some(Target::Menu(m)),
            Some(e) => {
                let e: usize = e.trim().parse().ok()?;
                (e >= 1 && e <= menu.transactions.len()).then_some(Target::Transaction(m, e - 1))
            }
        };
    }
    menus.iter().find_map(|m| {
        m.transactions
            .iter()
            .position(|tr| tr.code == t)
            .map(|i| Target::Transaction(m.number, i))
    })
}
