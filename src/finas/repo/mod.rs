//! FINAS's repository: the only modules that hold FINAS's SQL. Each takes
//! the caller's `&mut dyn Sql`, reads and writes rows and returns domain
//! types; roles, rules and audit entries stay in the services above.

pub mod abschluss;
pub mod journal;
pub mod kameral;
pub mod kasse;
pub mod ledger;
pub mod mahnwesen;
pub mod plan;
pub mod rechnung;
pub mod stamm;
pub mod stundung;
pub mod ueberwachung;
