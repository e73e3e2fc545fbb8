//! KIS – Kommunales Informationssystem: the integrated municipal procedures
//! EWOS (Einwohnerwesen), FINAS (Finanzwesen) and PERSOS (Personalwesen).

pub mod cli;
pub mod core;
pub mod demo;
pub mod ewos;
pub mod finas;
pub mod kernel;
pub mod persos;
pub mod schema;
pub mod ssh;
pub mod store;
pub mod term;
/// Test harness (dual-store databases, `store_test!`, the UI harness): only
/// for the crate's own unit tests and with the `testing` feature, which the
/// integration tests and benchmarks enable; never in the release library.
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod ui;
