//! The shared kernel: errors, money, German dates, users and roles, audit log,
//! clock, code lists, the street directory.

pub mod collation;
pub mod date;
pub mod error;
pub mod ids;
pub mod money;
pub mod phonetik;
pub mod sanitize;
