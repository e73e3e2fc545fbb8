//! Roles per procedure. Services check them; menus only reflect them.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// KIS-Verwaltung: users, roles, code lists, street directory, Mandanten.
    Admin,
    /// Support: read-only technical view (sessions, locks, audit, system info).
    Support,
    EwosLesen,
    EwosAendern,
    /// Access to archived (§14(2) BMG) register data, with a logged reason.
    EwosArchiv,
    FinasLesen,
    FinasAendern,
    /// Anordnungsbefugnis: may release (feststellen/anordnen) Anordnungen.
    FinasAnordnung,
    /// Kasse: cash office (payments, bank statements, dunning).
    Kasse,
    PersosLesen,
    PersosAendern,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Support,
        Role::EwosLesen,
        Role::EwosAendern,
        Role::EwosArchiv,
        Role::FinasLesen,
        Role::FinasAendern,
        Role::FinasAnordnung,
        Role::Kasse,
        Role::PersosLesen,
        Role::PersosAendern,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Support => "SUPPORT",
            Role::EwosLesen => "EWOS_LESEN",
            Role::EwosAendern => "EWOS_AENDERN",
            Role::EwosArchiv => "EWOS_ARCHIV",
            Role::FinasLesen => "FINAS_LESEN",
            Role::FinasAendern => "FINAS_AENDERN",
            Role::FinasAnordnung => "FINAS_ANORDNUNG",
            Role::Kasse => "KASSE",
            Role::PersosLesen => "PERSOS_LESEN",
            Role::PersosAendern => "PERSOS_AENDERN",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "KIS-Verwaltung",
            Role::Support => "Support (nur lesen)",
            Role::EwosLesen => "Einwohnerwesen lesen",
            Role::EwosAendern => "Einwohnerwesen ändern",
            Role::EwosArchiv => "Einwohnerwesen Archiv (§ 14 BMG)",
            Role::FinasLesen => "Finanzwesen lesen",
            Role::FinasAendern => "Finanzwesen ändern",
            Role::FinasAnordnung => "Anordnungsbefugnis",
            Role::Kasse => "Kasse",
            Role::PersosLesen => "Personalwesen lesen",
            Role::PersosAendern => "Personalwesen ändern",
        }
    }

    /// Whether holding `self` grants `other` too (a changing role includes reading).
    pub fn implies(self, other: Role) -> bool {
        self == other
            || matches!(
                (self, other),
                (Role::EwosAendern, Role::EwosLesen)
                    | (Role::FinasAendern, Role::FinasLesen)
                    | (Role::FinasAnordnung, Role::FinasLesen)
                    | (Role::Kasse, Role::FinasLesen)
                    | (Role::PersosAendern, Role::PersosLesen)
            )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let up = s.trim().to_uppercase();
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.code() == up)
            .ok_or_else(|| {
                format!(
                    "Unbekannte Rolle „{s}“. Vorhanden: {}",
                    Role::ALL
                        .iter()
                        .map(|r| r.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_changing_implies_reading() {
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>().unwrap(), *r);
        }
        assert_eq!("ewos_lesen".parse::<Role>().unwrap(), Role::EwosLesen);
        assert!("CHEF".parse::<Role>().is_err());
        assert!(Role::EwosAendern.implies(Role::EwosLesen));
        assert!(!Role::EwosLesen.implies(Role::EwosAendern));
        assert!(
            !Role::Admin.implies(Role::EwosLesen),
            "administration must not read residents"
        );
    }
}
