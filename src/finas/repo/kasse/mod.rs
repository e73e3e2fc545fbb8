//! The Kasse's tables (migration `0210_finas_kasse.sql`).

pub mod anordnung;
pub mod einstellung;
pub mod kontoauszug;
pub mod partner;
pub mod personenkonto;
