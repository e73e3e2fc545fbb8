//! FINAS Mahnwesen: the Säumniszuschläge of AO § 240 ([`saeumnis`]), the
//! Mahnlauf with Mahnstufen, fees and its record ([`mahnlauf`]), and the
//! Mahnsperren ([`sperre`]). The value types are in [`model`], the SQL in
//! `finas::repo::mahnwesen`.

pub mod demo;
pub mod mahnlauf;
pub mod model;
pub mod saeumnis;
pub mod sperre;
