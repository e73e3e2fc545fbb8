//! The German errors both backends report for the same database events.

use crate::core::error::KisError;

pub(crate) fn unique_violation() -> KisError {
    KisError::Conflict("Ein Datensatz mit diesem Schlüssel existiert bereits.".into())
}

pub(crate) fn check_violation(constraint: &str) -> KisError {
    KisError::Conflict(format!(
        "Der Datensatz verletzt eine Prüfregel der Datenbank (CHECK {constraint})."
    ))
}

pub(crate) fn foreign_key_violation() -> KisError {
    KisError::Conflict(
        "Der Datensatz verweist auf einen nicht vorhandenen Datensatz oder wird noch von \
         anderen Datensätzen verwendet."
            .into(),
    )
}

/// Lock timeouts, serialization failures and deadlocks: nothing was changed
/// and the same action usually succeeds a moment later.
pub(crate) fn retry_conflict() -> KisError {
    KisError::Conflict(
        "Die Datenbank ist gerade durch eine andere Änderung belegt; nichts wurde gespeichert, \
         bitte erneut versuchen."
            .into(),
    )
}
