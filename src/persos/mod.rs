//! PERSOS – Personalwesen: payroll for the municipality's employees.

pub mod lohnsteuer;
