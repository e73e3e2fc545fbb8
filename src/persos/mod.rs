//! PERSOS – Personalwesen: payroll for the municipality's employees.

pub mod lohnsteuer;
pub mod abrechnung;
pub mod sv;
pub mod tarif;
