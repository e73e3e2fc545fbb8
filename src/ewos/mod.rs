//! EWOS – Einwohnerwesen: the Melderegister (BMG), its processes, search,
//! certificates and Melderegisterauskünfte. Passports, elections, statistics
//! and transmissions build on the register tables and `register` functions.

pub mod auskunft;
pub mod demo;
pub mod dokumente;
pub mod generator;
pub mod kasse_partner;
pub mod klaerung;
pub mod loeschfristen;
pub mod meldung;
pub mod model;
pub mod person;
pub mod personal;
pub mod register;
pub mod standesamt;
pub mod suche;

pub use demo::load_demo;
