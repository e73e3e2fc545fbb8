//! FINAS Mahnwesen: the Säumniszuschläge of AO § 240 ([`saeumnis`]), the
//! Mahnlauf with Mahnstufen, fees and its record ([`mahnlauf`]), the
//! Mahnsperren ([`sperre`]), the Stundung with its interest ([`stundung`],
//! [`zinsen`]), Niederschlagung and Erlass ([`niederschlagung`]) and the
//! Vollstreckungsübergabe ([`vollstreckung`]). The value types are in [`model`], the SQL in
//! `finas::repo::mahnwesen`.

pub mod demo;
pub mod mahnlauf;
pub mod model;
pub mod niederschlagung;
pub mod saeumnis;
pub mod sperre;
pub mod stundung;
pub mod vollstreckung;
pub mod zinsen;
