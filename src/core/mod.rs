//! The pure kernel: values and rules that need no database — errors, money,
//! German dates, identifiers and check digits, phonetic search, collation,
//! sanitising, roles, the clock, the CSV importer and the audit log's
//! anchor (key and checkpoints outside the store). `store` builds on it;
//! the kernel services in `kernel` sit above the store.

pub mod audit_anchor;
pub mod clock;
pub mod collation;
pub mod csv_import;
pub mod date;
pub mod error;
pub mod feiertage;
pub mod ids;
pub mod money;
pub mod phonetik;
pub mod roles;
pub mod sanitize;
