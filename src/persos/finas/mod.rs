//! PERSOS → FINAS (PERSOS.md § 6): every payroll run is posted into the
//! FINAS journal inside the run's own transaction, and the Storno of a run
//! reverses that Buchung in the Storno's transaction (a Storno Buchung, no
//! deletion). If the budget check or the posting fails, the run fails with
//! the reason and nothing of it is written.
//!
//! One Buchung per run, Beleg `PERSOS 2026-01/1`, dated the last day of the
//! month (personnel expense belongs to the month of the work):
//! - Soll: the Personalaufwand per account × Produkt × Kostenstelle of the
//!   employees — one line per combination, never one per employee — on the
//!   accounts of [`AUFWANDSKONTEN`];
//! - Haben: the liabilities, one line per creditor and kind
//!   ([`VERBINDLICHKEITSKONTEN`]): the Finanzamt (Lohnsteuer,
//!   Solidaritätszuschlag, Kirchensteuer), each Krankenkasse as Einzugsstelle
//!   by Betriebsnummer (all employee and employer contributions, Umlagen and
//!   the Minijob Pauschsteuer), the ZVK, the vermögenswirksame Leistungen and
//!   the net pay. What each line stands for is kept in `persos_verbindlichkeit`
//!   (with its line number in the Buchung).
//!
//! The net pay is paid by one Auszahlungsanordnung per employee to the IBAN
//! of the master data at the time of the run (`persos_auszahlung`);
//! [`sepa_datei`] writes them as a SEPA credit transfer file (pain.001) for
//! the Zahllauf. The Buchung runs the budget check of every Anordnung per
//! Produkt × Konto ([`journal::buchen_in`](crate::finas::journal::buchen_in)).

mod buchung;
mod sepa;
mod uebersicht;

pub use buchung::{AUFWANDSKONTEN, Aufwand, ENTITY, VERBINDLICHKEITSKONTEN, Verbindlichkeit};
pub(crate) use buchung::{Posten, buchen_in, stornieren_in};
pub use sepa::{SepaDatei, sepa_datei, sepa_datei_ausgeben};
pub use uebersicht::{
    AufwandZeile, Auszahlung, Uebersicht, VerbindlichkeitZeile, uebersicht, uebersicht_text,
};
