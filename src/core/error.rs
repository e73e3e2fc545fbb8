//! The one error type of KIS. Every message is German and addressed to the
//! clerk: it says what is wrong and, where possible, what to do next.

use thiserror::Error;

pub type Result<T, E = KisError> = std::result::Result<T, E>;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum KisError {
    /// Input that does not pass a check. `field` names the mask field key
    /// (or CSV column) the message concerns, so the UI can put the cursor there.
    #[error("{message}")]
    Validation {
        field: Option<String>,
        message: String,
    },
    /// The record or object does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The user lacks the role the service requires.
    #[error("Keine Berechtigung: {0}")]
    Permission(String),
    /// A concurrent change, a lock held by a colleague or a business rule
    /// that refuses the operation in the current state.
    #[error("{0}")]
    Conflict(String),
    /// A save refused because `by` changed the record since it was read.
    /// The text names no key: a terminal adds the key that reloads (see
    /// `ui::screen::error_text`), a command line has none.
    #[error(
        "Der Datensatz wurde inzwischen von {by} geändert. Bitte neu laden; Ihre Eingaben bleiben sichtbar."
    )]
    Stale { by: String },
    /// Login failed (wrong user or password); deliberately unspecific.
    #[error("Anmeldung fehlgeschlagen: Benutzer oder Kennwort falsch.")]
    Auth,
    /// A database error; the text is technical and meant for support.
    #[error("Datenbankfehler: {0}")]
    Db(String),
    /// I/O or other technical failure (files, terminal).
    #[error("Systemfehler: {0}")]
    System(String),
}

impl KisError {
    pub fn validation(message: impl Into<String>) -> Self {
        KisError::Validation {
            field: None,
            message: message.into(),
        }
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        KisError::Validation {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// The field key a validation error refers to, if any.
    pub fn field_key(&self) -> Option<&str> {
        match self {
            KisError::Validation { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

impl From<std::io::Error> for KisError {
    fn from(e: std::io::Error) -> Self {
        KisError::System(e.to_string())
    }
}
