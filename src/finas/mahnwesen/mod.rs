//! FINAS Mahnwesen: the rules for overdue receivables. First part: the
//! Säumniszuschläge of AO § 240 ([`saeumnis`]), which the Mahnlauf, the
//! Stundung and the application of payments build on.

pub mod saeumnis;
