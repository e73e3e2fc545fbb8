//! A logged-in clerk working in one Mandant: what every service receives.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};

use crate::core::clock::Clock;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::store::Db;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mandant {
    pub id: String,
    pub name: String,
    pub ags: String,
    pub bundesland: String,
    pub anschrift: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInfo {
    pub id: i64,
    /// Login name in upper case, as shown in headers and locks (`MEIER`).
    pub name: String,
    pub full_name: String,
}

#[derive(Clone)]
pub struct Session {
    pub id: String,
    pub db: Db,
    pub user: UserInfo,
    pub mandant: Mandant,
    /// The user's roles in this Mandant.
    pub roles: Vec<Role>,
    pub clock: Arc<dyn Clock>,
    pub client: String,
}

impl Session {
    pub fn has(&self, role: Role) -> bool {
        self.roles.iter().any(|r| r.implies(role))
    }

    /// Refuse unless the user holds one of `any_of`.
    pub fn require(&self, any_of: &[Role]) -> Result<()> {
        if any_of.iter().any(|r| self.has(*r)) {
            Ok(())
        } else {
            Err(KisError::Permission(format!(
                "Benutzer {} fehlt die Rolle {}.",
                self.user.name,
                any_of
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(" oder ")
            )))
        }
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Who acts, for the audit log.
    pub fn actor(&self) -> crate::kernel::audit::Actor {
        crate::kernel::audit::Actor {
            user: self.user.name.clone(),
            mandant: self.mandant.id.clone(),
            at: self.now(),
        }
    }
}
