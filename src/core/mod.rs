//! The shared kernel: errors, money, German dates, users and roles, audit log,
//! clock, code lists, the street directory, phonetic search and collation.

pub mod audit;
pub mod auth;
pub mod clock;
pub mod codes;
pub mod collation;
pub mod csv_import;
pub mod date;
pub mod error;
pub mod ids;
pub mod locks;
pub mod money;
pub mod phonetik;
pub mod roles;
pub mod sanitize;
pub mod session;
pub mod streets;
