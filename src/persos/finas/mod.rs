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
//! of the master data at the time of the run (kept in `persos_auszahlung`):
//! a regular run orders them in its transaction through the FINAS Kasse
//! service [`vorgebucht`](crate::finas::kasse::vorgebucht) as already
//! posted by its Buchung (Verbindlichkeit Netto 3715), due on the
//! [`zahltag`], SEPA purpose code SALA, to the Geschäftspartner
//! `PERSOS:<Personalnummer>`. A second user with the Anordnungsbefugnis
//! releases them and the Kasse's Zahllauf pays them like every payable; the
//! Storno of the run cancels them (refused once one is paid or in a live
//! Zahllauf), so net pay is never paid twice. The Buchung runs the budget
//! check of every Anordnung per Produkt × Konto
//! ([`journal::buchen_in`](crate::finas::journal::buchen_in)).

mod buchung;
mod uebersicht;

pub use buchung::{
    AUFWANDSKONTEN, Aufwand, ENTITY, VERBINDLICHKEITSKONTEN, Verbindlichkeit, ZWECKCODE, zahltag,
};
pub(crate) use buchung::{Posten, buchen_in, land_in, stornieren_in};
pub use uebersicht::{
    AufwandZeile, Auszahlung, Uebersicht, VerbindlichkeitZeile, uebersicht, uebersicht_text,
};
