//! The terminal layer, shared by the local TUI and the SSH server: the
//! session driver (`session`: one App per terminal, flow control, shadow
//! frames), the raw byte decoder (`input`), the stream backend that never
//! queries the terminal (`backend`), the local terminal (`local`) and the
//! process-wide registry of running terminals (`shadow`).

pub mod backend;
pub mod input;
pub mod local;
pub mod session;
pub mod shadow;
