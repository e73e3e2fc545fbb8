//! EWOS – Einwohnerwesen: the Melderegister (BMG), its processes, search,
//! certificates and Melderegisterauskünfte. Passports, elections, statistics
//! and transmissions build on the register's services; its SQL lives in `repo`.

pub mod auskunft;
pub mod demo;
pub mod dokumente;
pub mod fortschreibung;
pub mod generator;
pub mod haushalt;
pub mod kasse_partner;
pub mod klaerung;
pub mod loeschfristen;
pub mod meldung;
pub mod model;
pub mod person;
pub mod personal;
pub mod personendaten;
pub mod repo;
pub mod standesamt;
pub mod suche;

pub use demo::load_demo_in;
