//! The `kis` binary's administration commands on a real SQLite file:
//! migrations, bootstrap administrator, users and roles, the audit check.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kis(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kis"));
    cmd.arg("--db")
        .arg(format!("sqlite:{}", db.display()))
        .args(args);
    cmd.env_remove("KIS_DB")
        .env_remove("KIS_PASSWORD")
        .env_remove("KIS_NEW_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("kis startet")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kis-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("kis.sqlite")
}

#[test]
fn migrate_twice_and_status() {
    let db = temp_db("migrate");
    let first = kis(&db, &["db", "migrate"], &[]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(text(&first).contains("Angewendet: 1"), "{}", text(&first));
    let again = kis(&db, &["db", "migrate"], &[]);
    assert!(text(&again).contains("nichts zu tun"), "{}", text(&again));
    let status = kis(&db, &["db", "status"], &[]);
    assert!(
        text(&status).contains("Ausstehend:    keine"),
        "{}",
        text(&status)
    );
}

#[test]
fn bootstrap_admin_then_only_admins_administrate() {
    let db = temp_db("users");
    // A fresh store without Mandant: the built-in administrator sets it up.
    let demo = kis(&db, &["demo", "load"], &[]);
    assert!(demo.status.success(), "{}", text(&demo));
    // The demo has administrators: now a KIS user must log in.
    let anon = kis(
        &db,
        &["user", "add", "neu", "--name", "Nina Neu"],
        &[("KIS_NEW_PASSWORD", "geheim1")],
    );
    assert!(!anon.status.success());
    assert!(text(&anon).contains("--user"), "{}", text(&anon));
    let meier = kis(
        &db,
        &[
            "--user", "meier", "user", "add", "neu", "--name", "Nina Neu",
        ],
        &[("KIS_PASSWORD", "meier"), ("KIS_NEW_PASSWORD", "geheim1")],
    );
    assert!(
        text(&meier).contains("Keine Berechtigung"),
        "{}",
        text(&meier)
    );
    let ok = kis(
        &db,
        &[
            "--user", "admin", "user", "add", "neu", "--name", "Nina Neu",
        ],
        &[("KIS_PASSWORD", "admin"), ("KIS_NEW_PASSWORD", "geheim1")],
    );
    assert!(ok.status.success(), "{}", text(&ok));
    let roles = kis(
        &db,
        &[
            "--user",
            "admin",
            "user",
            "roles",
            "neu",
            "--in",
            "001",
            "ewos_lesen",
        ],
        &[("KIS_PASSWORD", "admin")],
    );
    assert!(roles.status.success(), "{}", text(&roles));
    let list = kis(
        &db,
        &["--user", "admin", "user", "list"],
        &[("KIS_PASSWORD", "admin")],
    );
    assert!(
        text(&list).contains("NEU") && text(&list).contains("001: EWOS_LESEN"),
        "{}",
        text(&list)
    );
    let bad_role = kis(
        &db,
        &[
            "--user", "admin", "user", "roles", "neu", "--in", "001", "CHEF",
        ],
        &[("KIS_PASSWORD", "admin")],
    );
    assert!(
        text(&bad_role).contains("Unbekannte Rolle „CHEF“"),
        "{}",
        text(&bad_role)
    );
    let wrong_pw = kis(
        &db,
        &["--user", "admin", "user", "list"],
        &[("KIS_PASSWORD", "falsch")],
    );
    assert!(
        text(&wrong_pw).contains("Anmeldung fehlgeschlagen"),
        "{}",
        text(&wrong_pw)
    );
}

#[test]
fn audit_verify_finds_a_tampered_entry() {
    let db = temp_db("audit");
    assert!(kis(&db, &["demo", "load"], &[]).status.success());
    let ok = kis(
        &db,
        &["--user", "support", "audit", "verify"],
        &[("KIS_PASSWORD", "support")],
    );
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("Protokoll intakt"), "{}", text(&ok));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE audit_log SET after_json = '{}' WHERE seq = 5", [])
        .unwrap();
    drop(conn);
    let broken = kis(
        &db,
        &["--user", "support", "audit", "verify"],
        &[("KIS_PASSWORD", "support")],
    );
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    assert!(
        text(&broken).contains("DEFEKT ab Eintrag 5"),
        "{}",
        text(&broken)
    );
}

#[test]
fn command_line_sessions_end_with_the_command() {
    let db = temp_db("sessions");
    assert!(kis(&db, &["demo", "load"], &[]).status.success());
    let list = kis(
        &db,
        &["--user", "admin", "user", "list"],
        &[("KIS_PASSWORD", "admin")],
    );
    assert!(list.status.success(), "{}", text(&list));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM kis_session", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "no session row left behind");
}

#[test]
fn persos_tabelle_import_checks_first_then_shows() {
    let db = temp_db("tarif");
    assert!(kis(&db, &["demo", "load"], &[]).status.success());
    let personal = [("KIS_PASSWORD", "personal"), ("KIS_HEUTE", "25.11.2026")];
    let dir = db.parent().unwrap();

    // A file with a bad row: refused with its line number, nothing stored.
    let bad = dir.join("falsch.csv");
    std::fs::write(
        &bad,
        "# Tarifvertrag 2027\ngueltig_ab;eg;s1;s2;s3;s4;s5;s6\n2027-04-01;9a;3800;3700;;;;\n",
    )
    .unwrap();
    let o = kis(
        &db,
        &[
            "--user",
            "PERSONAL",
            "persos",
            "tabelle",
            "import",
            bad.to_str().unwrap(),
        ],
        &personal,
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("Zeile 3: Stufe 2 (3.700,00) ist nicht höher als Stufe 1"),
        "{}",
        text(&o)
    );

    // The demo's table from 01.05.2026 again, as a probe: it would replace
    // the stored block; nothing is written.
    let table = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/musterstadt/persos/tvoed_vka_entgelt_2026-05.csv");
    let o = kis(
        &db,
        &[
            "--user",
            "PERSONAL",
            "persos",
            "tabelle",
            "import",
            table.to_str().unwrap(),
            "--probe",
        ],
        &personal,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(
            "Entgelttabelle ab 01.05.2026: 18 Zeilen geprüft (würde den bisherigen Stand ersetzen)."
        ),
        "{}",
        text(&o)
    );

    let o = kis(
        &db,
        &[
            "--user",
            "PERSONAL",
            "persos",
            "tabelle",
            "zeigen",
            "--stichtag",
            "01.05.2026",
        ],
        &personal,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("gültig ab 01.05.2026"), "{}", text(&o));
    assert!(text(&o).contains("E 9a     3.658,61"), "{}", text(&o));

    let o = kis(
        &db,
        &["--user", "PERSONAL", "persos", "tabelle", "liste"],
        &personal,
    );
    assert!(
        text(&o).contains("Jahressonderzahlung  ab 01.01.2026"),
        "{}",
        text(&o)
    );
}
