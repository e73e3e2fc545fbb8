//! PERSOS's repository: the only modules that hold PERSOS's SQL. Each takes
//! the caller's `&mut dyn Sql`, reads and writes rows and returns domain
//! types; roles, rules and audit entries stay in the services above.

pub mod buchung;
pub mod ergebnis;
pub mod lauf;
pub mod stamm;
pub mod tarif;
