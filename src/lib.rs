//! KIS – Kommunales Informationssystem: the integrated municipal procedures
//! EWOS (Einwohnerwesen), FINAS (Finanzwesen) and PERSOS (Personalwesen).

pub mod core;
pub mod finas;
pub mod persos;
pub mod store;
pub mod testing;
pub mod cli;
pub mod demo;
pub mod schema;
pub mod tui;
pub mod ui;
