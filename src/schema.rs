//! The schema of the whole store: the kernel's migrations and each
//! procedure's, in version order. Version ranges: kernel 1–99, EWOS 100–199,
//! FINAS 200–299, PERSOS 300–399, SSH/support 400–499.

use crate::store::migrate::Migration;

pub fn migrations() -> Vec<Migration> {
    let mut all = vec![
        Migration {
            version: 1,
            name: "kernel",
            sql: include_str!("kernel/migrations/0001_kernel.sql"),
        },
        Migration {
            version: 2,
            name: "audit_mac",
            sql: include_str!("kernel/migrations/0002_audit_mac.sql"),
        },
        Migration {
            version: 100,
            name: "ewos_register",
            sql: include_str!("ewos/migrations/0100_ewos_register.sql"),
        },
        Migration {
            version: 110,
            name: "ewos_personal",
            sql: include_str!("ewos/migrations/0110_ewos_personal.sql"),
        },
        Migration {
            version: 200,
            name: "finas",
            sql: include_str!("finas/migrations/0200_finas.sql"),
        },
        Migration {
            version: 210,
            name: "finas_kasse",
            sql: include_str!("finas/migrations/0210_finas_kasse.sql"),
        },
        Migration {
            version: 220,
            name: "finas_zahllauf",
            sql: include_str!("finas/migrations/0220_finas_zahllauf.sql"),
        },
        Migration {
            version: 230,
            name: "finas_kontoauszug",
            sql: include_str!("finas/migrations/0230_finas_kontoauszug.sql"),
        },
        Migration {
            version: 240,
            name: "finas_tagesabschluss",
            sql: include_str!("finas/migrations/0240_finas_tagesabschluss.sql"),
        },
        Migration {
            version: 250,
            name: "finas_camt_import",
            sql: include_str!("finas/migrations/0250_finas_camt_import.sql"),
        },
        Migration {
            version: 260,
            name: "finas_vorgebucht",
            sql: include_str!("finas/migrations/0260_finas_vorgebucht.sql"),
        },
        Migration {
            version: 270,
            name: "finas_mahnwesen",
            sql: include_str!("finas/migrations/0270_finas_mahnwesen.sql"),
        },
        Migration {
            version: 290,
            name: "finas_reservierung_verbrauch",
            sql: include_str!("finas/migrations/0290_finas_reservierung_verbrauch.sql"),
        },
        Migration {
            version: 300,
            name: "persos",
            sql: include_str!("persos/migrations/0300_persos.sql"),
        },
        Migration {
            version: 310,
            name: "persos_tarif",
            sql: include_str!("persos/migrations/0310_persos_tarif.sql"),
        },
        Migration {
            version: 311,
            name: "persos_u3",
            sql: include_str!("persos/migrations/0311_persos_u3.sql"),
        },
        Migration {
            version: 312,
            name: "persos_ewos",
            sql: include_str!("persos/migrations/0312_persos_ewos.sql"),
        },
        Migration {
            version: 313,
            name: "persos_finas",
            sql: include_str!("persos/migrations/0313_persos_finas.sql"),
        },
        Migration {
            version: 314,
            name: "persos_rueckrechnung",
            sql: include_str!("persos/migrations/0314_persos_rueckrechnung.sql"),
        },
        Migration {
            version: 315,
            name: "persos_arbeitgeber_ohne_konto",
            sql: include_str!("persos/migrations/0315_persos_arbeitgeber_ohne_konto.sql"),
        },
        Migration {
            version: 400,
            name: "ssh",
            sql: include_str!("ssh/migrations/0400_ssh.sql"),
        },
    ];
    all.sort_by_key(|m| m.version);
    all
}
