//! FINAS Kasse (Kassenbuchführung), first part: Geschäftspartner with bank
//! accounts and SEPA mandates ([`partner`], checks in [`bank`]), the
//! Mandant's Kasse settings ([`einstellung`]), Kassenzeichen with check
//! digit ([`kassenzeichen`]), Annahme- and Auszahlungsanordnungen with the
//! Vier-Augen-Prinzip ([`anordnung`]) and the Personenkonten's open items
//! ([`personenkonto`]), the Zahllauf (SEPA files, [`zahllauf`]), the
//! Auszahlungsanordnungen other procedures have already posted
//! ([`vorgebucht`], the payroll's net pay), the camt.053 import with the
//! order of application ([`kontoauszug`], read by [`camt`]), the
//! Klärungsliste ([`klaerung`]) and the Tagesabschluss
//! ([`tagesabschluss`]). The value types are in [`model`], the SQL in
//! `finas::repo::kasse`.

pub mod anordnung;
pub mod bank;
pub mod camt;
pub mod demo;
pub mod einstellung;
pub mod generator;
pub mod iso20022;
pub mod kassenzeichen;
pub mod klaerung;
pub mod kontoauszug;
pub mod model;
pub mod partner;
pub mod personenkonto;
pub mod tagesabschluss;
pub mod vorgebucht;
pub mod zahllauf;
