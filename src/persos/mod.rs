//! PERSOS – Personalwesen: payroll for the municipality's employees.

pub mod abrechnung;
pub mod auswertung;
pub mod bescheinigung;
pub mod demo;
pub mod finas;
pub mod lauf;
pub mod laufdaten;
pub mod lohnkonto;
pub mod lohnsteuer;
pub mod repo;
pub mod stamm;
pub mod sv;
pub mod tarif;
