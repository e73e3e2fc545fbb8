//! The FINAS repositories: the only modules that hold FINAS SQL. They read
//! and write rows and return domain types; roles, rules and audit entries
//! are the services' business.

pub mod kasse;
