//! KIS – Kommunales Informationssystem: the integrated municipal procedures
//! EWOS (Einwohnerwesen), FINAS (Finanzwesen) and PERSOS (Personalwesen).

pub mod cli;
pub mod core;
pub mod demo;
pub mod ewos;
pub mod finas;
pub mod persos;
pub mod schema;
pub mod ssh;
pub mod store;
pub mod testing;
pub mod tui;
pub mod ui;
