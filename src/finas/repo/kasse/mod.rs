//! The Kasse's tables (migrations `0210_finas_kasse.sql` and `0220_finas_zahllauf.sql`).

pub mod anordnung;
pub mod einstellung;
pub mod kontoauszug;
pub mod partner;
pub mod personenkonto;
pub mod tagesabschluss;
pub mod zahllauf;
