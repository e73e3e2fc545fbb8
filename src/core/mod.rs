//! The shared kernel: errors, money, German dates, users and roles, audit log,
//! clock, code lists, the street directory.

pub mod error;
