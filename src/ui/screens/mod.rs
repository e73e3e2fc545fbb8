//! The masks of the KIS administration (street directory, code lists,
//! system information).

pub mod codes;
pub mod sessions;
pub mod streets;
pub mod sysinfo;

use super::registry::Transaction;

pub fn transactions() -> Vec<Transaction> {
    vec![
        Transaction {
            code: "KIS100",
            title: "Straßenverzeichnis",
            open: streets::open_list,
        },
        Transaction {
            code: "KIS110",
            title: "Schlüsseltabellen",
            open: codes::open_list,
        },
        Transaction {
            code: "KIS900",
            title: "Systeminformation",
            open: sysinfo::open,
        },
        Transaction {
            code: "KIS910",
            title: "Sitzungen",
            open: sessions::open,
        },
    ]
}
