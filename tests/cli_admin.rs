//! The `kis` binary's administration commands on a real SQLite file:
//! migrations, bootstrap administrator, users and roles, the audit check;
//! and the defence of the store: no data change without an authenticated
//! user with the role, no silently created store, no lost administrator.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kis(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kis"));
    cmd.arg("--db")
        .arg(format!("sqlite:{}", db.display()))
        .args(args);
    cmd.env_remove("KIS_DB")
        .env_remove("KIS_PASSWORD")
        .env_remove("KIS_NEW_PASSWORD")
        .env_remove("KIS_AUDIT_KEY")
        .env_remove("KIS_AUDIT_KEY_FILE")
        .env_remove("KIS_AUDIT_CHECKPOINT_FILE");
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
    // A store is created on purpose only (issue 11): `db init`.
    let first = kis(&db, &["db", "init"], &[]);
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
    let demo = kis(&db, &["--neu", "demo", "load"], &[]);
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
    assert!(kis(&db, &["--neu", "demo", "load"], &[]).status.success());
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
fn audit_checkpoint_catches_a_cut_tail_and_a_missing_key_is_named() {
    let db = temp_db("audit-anchor");
    assert!(kis(&db, &["--neu", "demo", "load"], &[]).status.success());
    let admin = [("KIS_PASSWORD", "admin")];
    let support = [("KIS_PASSWORD", "support")];
    // SUPPORT may check but not write checkpoints.
    let refused = kis(&db, &["--user", "support", "audit", "checkpoint"], &support);
    assert!(!refused.status.success(), "{}", text(&refused));
    let cp = kis(&db, &["--user", "admin", "audit", "checkpoint"], &admin);
    assert!(cp.status.success(), "{}", text(&cp));
    assert!(text(&cp).contains("Prüfpunkt geschrieben"), "{}", text(&cp));
    let file = std::fs::read_to_string(format!("{}.audit-checkpoints", db.display())).unwrap();
    let last = file.lines().last().unwrap().to_string();
    assert!(text(&cp).contains(&last), "{}\n{last}", text(&cp));
    let seq: i64 = last.split(';').next().unwrap().parse().unwrap();
    // Cut the log back and make the head fit, as an attacker with write
    // access to the file (but not to the key and checkpoints) could.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("DELETE FROM audit_log WHERE seq > ?", [seq - 2])
        .unwrap();
    conn.execute(
        "UPDATE audit_head SET seq = ?1, hash = (SELECT hash FROM audit_log WHERE seq = ?1)",
        [seq - 2],
    )
    .unwrap();
    drop(conn);
    let broken = kis(&db, &["--user", "support", "audit", "verify"], &support);
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    assert!(
        text(&broken).contains(&format!("DEFEKT ab Eintrag {}", seq - 1)),
        "{}",
        text(&broken)
    );
    // Without the key file the check names what is missing.
    std::fs::remove_file(format!("{}.audit-key", db.display())).unwrap();
    let keyless = kis(&db, &["--user", "support", "audit", "verify"], &support);
    assert!(!keyless.status.success(), "{}", text(&keyless));
    assert!(
        text(&keyless).contains("Audit-Schlüssel fehlt"),
        "{}",
        text(&keyless)
    );
}

#[test]
fn command_line_sessions_end_with_the_command() {
    let db = temp_db("sessions");
    assert!(kis(&db, &["--neu", "demo", "load"], &[]).status.success());
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
    assert!(kis(&db, &["--neu", "demo", "load"], &[]).status.success());
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

/// Everything that says whether the store was changed: the audit log
/// without failed logins (every change is audited in its transaction) and
/// the rows the commands under test would write.
fn fingerprint(db: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    [
        "SELECT COUNT(*) FROM audit_log WHERE action <> 'ANMELDUNG_FEHLGESCHLAGEN'",
        "SELECT COUNT(*) FROM kis_user",
        "SELECT COUNT(*) FROM user_role",
        "SELECT COUNT(*) FROM user_ssh_key",
        "SELECT COUNT(*) FROM user_ssh_login",
        "SELECT COUNT(*) FROM ewo_person",
        "SELECT COUNT(*) FROM ewo_sperre",
    ]
    .iter()
    .map(|q| (q.to_string(), conn.query_row(q, [], |r| r.get(0)).unwrap()))
    .collect()
}

/// Issue 11: every data-changing command, run without `--user`, as a user
/// that does not exist and as a user without the role, is refused with a
/// German message and a non-zero exit code, and nothing is changed.
#[test]
fn data_changing_commands_need_an_authenticated_user_with_the_role() {
    let db = temp_db("rollen");
    assert!(kis(&db, &["--neu", "demo", "load"], &[]).status.success());
    let dir = db.parent().unwrap();
    let key = dir.join("id.pub");
    std::fs::write(
        &key,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0DGr3QF8C0NMsRuCxbS7Vb3IQ0Ht0dBWx+0IjdCyh test\n",
    )
    .unwrap();
    let table = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/musterstadt/persos/tvoed_vka_entgelt_2026-05.csv");
    let sepa = dir.join("zahllauf");
    // (command, a demo user who lacks the role it needs)
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["demo", "residents", "10"], "MEIER"),
        (vec!["demo", "residents", "10"], "ADMIN"),
        (vec!["demo", "postings", "10"], "BUCHHALTER"),
        (vec!["user", "add", "neu", "--name", "Nina Neu"], "MEIER"),
        (vec!["user", "passwd", "MEIER"], "MEIER"),
        (
            vec!["user", "roles", "MEIER", "--in", "001", "ADMIN"],
            "MEIER",
        ),
        (
            vec!["user", "add-key", "DEMO", key.to_str().unwrap()],
            "SUPPORT",
        ),
        (vec!["user", "remove-key", "DEMO", "SHA256:x"], "SUPPORT"),
        (
            vec!["user", "map-login", "DEMO", "root", "--trusted"],
            "SUPPORT",
        ),
        (vec!["user", "unmap-login", "root"], "SUPPORT"),
        (
            vec!["ewos", "sperre", "1", "--art", "AS51", "--grund", "Test"],
            "LESER",
        ),
        (vec!["batch", "ewos-loeschfristen"], "KAEMMERER"),
        (
            vec!["batch", "persos-abrechnung", "--monat", "2026-01"],
            "MEIER",
        ),
        (vec!["persos", "storno", "--monat", "2026-01"], "MEIER"),
        (vec!["persos", "rueckrechnung", "--ab", "2026-01"], "MEIER"),
        (
            vec!["persos", "tabelle", "import", table.to_str().unwrap()],
            "MEIER",
        ),
        (
            vec!["finas", "anordnung", "freigeben", "--alle"],
            "PERSONAL",
        ),
        (
            vec![
                "finas",
                "zahllauf",
                "--datum",
                "30.01.2026",
                "--out",
                sepa.to_str().unwrap(),
            ],
            "PERSONAL",
        ),
    ];
    let before = fingerprint(&db);
    let env_new = [("KIS_NEW_PASSWORD", "geheim1"), ("KIS_HEUTE", "28.01.2026")];
    for (args, lacking) in &cases {
        let anon = kis(&db, args, &env_new);
        assert!(
            !anon.status.success(),
            "{args:?} ohne --user: {}",
            text(&anon)
        );
        assert!(text(&anon).contains("--user"), "{args:?}: {}", text(&anon));

        let mut with = vec!["--user", "niemand"];
        with.extend(args.iter());
        let unknown = kis(
            &db,
            &with,
            &[("KIS_PASSWORD", "niemand"), env_new[0], env_new[1]],
        );
        assert!(!unknown.status.success(), "{args:?}: {}", text(&unknown));
        assert!(
            text(&unknown).contains("Anmeldung fehlgeschlagen"),
            "{args:?}: {}",
            text(&unknown)
        );

        let mut with = vec!["--user", lacking];
        with.extend(args.iter());
        let pw = lacking.to_lowercase();
        let denied = kis(
            &db,
            &with,
            &[("KIS_PASSWORD", pw.as_str()), env_new[0], env_new[1]],
        );
        assert!(
            !denied.status.success(),
            "{args:?} als {lacking}: {}",
            text(&denied)
        );
        assert!(
            text(&denied).contains("Keine Berechtigung"),
            "{args:?} als {lacking}: {}",
            text(&denied)
        );
        assert_eq!(fingerprint(&db), before, "{args:?} changed the store");
    }
    assert!(!sepa.exists(), "no payment file written");

    // The generators also refuse an unbounded N before writing anything.
    let o = kis(
        &db,
        &["--user", "demo", "demo", "residents", "2000001"],
        &[("KIS_PASSWORD", "demo")],
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("zwischen 1 und 2.000.000"),
        "{}",
        text(&o)
    );
    let o = kis(
        &db,
        &["--user", "demo", "demo", "postings", "99999999"],
        &[("KIS_PASSWORD", "demo")],
    );
    assert!(
        text(&o).contains("zwischen 1 und 2.000.000"),
        "{}",
        text(&o)
    );
    assert_eq!(fingerprint(&db), before);

    // With the roles it works, as the logged-in user.
    let o = kis(
        &db,
        &["--user", "demo", "demo", "residents", "5"],
        &[("KIS_PASSWORD", "demo")],
    );
    assert!(o.status.success(), "{}", text(&o));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let who: String = conn
        .query_row(
            "SELECT user_name FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(who, "DEMO");

    // The demo with its known passwords never goes into a store in use.
    let again = kis(&db, &["demo", "load"], &[]);
    assert!(!again.status.success(), "{}", text(&again));
    assert!(text(&again).contains("nicht geladen"), "{}", text(&again));
}

/// Issue 11: the last administrator cannot take his own ADMIN role (or
/// have it taken), and the built-in administrator does not come back.
#[test]
fn the_last_administrator_stays_and_the_builtin_one_does_not_return() {
    let db = temp_db("letzter-admin");
    assert!(kis(&db, &["--neu", "demo", "load"], &[]).status.success());
    let admin = [("KIS_PASSWORD", "admin")];
    // DEMO loses ADMIN: ADMIN still has it.
    let o = kis(
        &db,
        &[
            "--user",
            "admin",
            "user",
            "roles",
            "demo",
            "--in",
            "001",
            "EWOS_LESEN",
        ],
        &admin,
    );
    assert!(o.status.success(), "{}", text(&o));
    let before = fingerprint(&db);
    for roles in [&["EWOS_LESEN"][..], &[][..]] {
        let mut args = vec!["--user", "admin", "user", "roles", "admin", "--in", "001"];
        args.extend(roles.iter());
        let o = kis(&db, &args, &admin);
        assert!(!o.status.success(), "{}", text(&o));
        assert!(
            text(&o).contains("letzte Benutzer mit der Rolle ADMIN"),
            "{}",
            text(&o)
        );
    }
    assert_eq!(fingerprint(&db), before, "nothing changed");
    // Still no way around a login.
    let o = kis(&db, &["user", "roles", "demo", "--in", "001", "ADMIN"], &[]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("--user"), "{}", text(&o));
    let o = kis(&db, &["--user", "admin", "user", "list"], &admin);
    assert!(
        text(&o).contains("ADMIN") && o.status.success(),
        "{}",
        text(&o)
    );
    assert_eq!(fingerprint(&db), before, "nothing changed");
}

/// Issue 11: a mistyped `--db` is not turned into a new store — no file,
/// no directory — by any command, `db status` included, nor by the TUI
/// without a terminal; the message says how to create one.
#[test]
fn a_missing_store_is_not_created() {
    let dir = temp_db("fehlt").parent().unwrap().to_path_buf();
    let missing = dir.join("neu").join("produktion.sqlit");
    for args in [
        &["db", "status"][..],
        &["db", "migrate"][..],
        &["demo", "load"][..],
        &["user", "list"][..],
        &["user", "add", "x1", "--name", "X"][..],
        &["--user", "demo", "ewos", "suche", "Meier"][..],
        &["--user", "demo", "demo", "residents", "10"][..],
        &["--user", "demo", "audit", "verify"][..],
        &["--user", "demo", "finas", "saldenliste", "--jahr", "2026"][..],
        &["--user", "demo", "persos", "storno", "--monat", "2026-01"][..],
        &[][..], // the TUI, stdin not a terminal
    ] {
        let o = kis(
            &missing,
            args,
            &[("KIS_PASSWORD", "demo"), ("KIS_NEW_PASSWORD", "geheim1")],
        );
        assert!(!o.status.success(), "{args:?}: {}", text(&o));
        assert!(
            text(&o).contains("existiert nicht. Neu anlegen mit `kis db init` (oder --neu)."),
            "{args:?}: {}",
            text(&o)
        );
        assert!(
            !missing.parent().unwrap().exists(),
            "{args:?} created a directory"
        );
    }
    // An existing file without the KIS schema is not set up either.
    let empty = dir.join("leer.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let o = kis(&empty, &["user", "list"], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("keinen KIS-Datenbestand"), "{}", text(&o));
    let conn = rusqlite::Connection::open(&empty).unwrap();
    let tables: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 0, "no schema applied");
}

/// `kis db init` creates an empty store (schema, no demo, no user); the
/// built-in administrator sets it up only while it has no user at all.
#[test]
fn db_init_creates_an_empty_store_and_the_builtin_admin_only_sets_it_up() {
    let dir = temp_db("init").parent().unwrap().to_path_buf();
    let db = dir.join("daten").join("kis.sqlite");
    let o = kis(&db, &["db", "init"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("ohne Demo-Daten"), "{}", text(&o));
    let counts = |q: &str| -> i64 {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(q, [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(counts("SELECT COUNT(*) FROM mandant"), 0);
    assert_eq!(counts("SELECT COUNT(*) FROM kis_user"), 0);
    let again = kis(&db, &["db", "init"], &[]);
    assert!(!again.status.success(), "{}", text(&again));
    assert!(text(&again).contains("schon angelegt"), "{}", text(&again));
    // The TUI does not load the demo into it, it says what to do.
    let tui = kis(&db, &[], &[]);
    assert!(!tui.status.success(), "{}", text(&tui));
    assert!(text(&tui).contains("kis demo load"), "{}", text(&tui));
    assert_eq!(counts("SELECT COUNT(*) FROM mandant"), 0);
    // First set-up: the built-in administrator adds the first user ...
    let first = kis(
        &db,
        &["user", "add", "erste", "--name", "Erste Admin"],
        &[("KIS_NEW_PASSWORD", "geheim1")],
    );
    assert!(first.status.success(), "{}", text(&first));
    // ... and is refused from then on.
    let second = kis(
        &db,
        &["user", "add", "zweite", "--name", "Zweite"],
        &[("KIS_NEW_PASSWORD", "geheim1")],
    );
    assert!(!second.status.success(), "{}", text(&second));
    assert!(text(&second).contains("--user"), "{}", text(&second));
    assert_eq!(counts("SELECT COUNT(*) FROM kis_user"), 1);
    // A store with a user is not empty: no demo with known passwords.
    let demo = kis(&db, &["demo", "load"], &[]);
    assert!(!demo.status.success(), "{}", text(&demo));
    assert_eq!(counts("SELECT COUNT(*) FROM mandant"), 0);
}

/// PostgreSQL: a database without the KIS schema is neither migrated by
/// `db status` nor by any other command; only `db init` creates it.
#[test]
fn postgres_without_kis_schema_is_created_only_by_db_init() {
    let Ok(url) = std::env::var(kis::testing::PG_URL_VAR) else {
        println!(
            "PostgreSQL-Test übersprungen: {} nicht gesetzt",
            kis::testing::PG_URL_VAR
        );
        return;
    };
    let schema = format!("kis_t_{}_cli_leer", std::process::id());
    let admin = kis::store::Db::open(&url).unwrap();
    let drop_schema = |db: &kis::store::Db| {
        db.read(|sql| sql.execute_batch(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")))
            .unwrap()
    };
    drop_schema(&admin);
    admin
        .read(|sql| sql.execute_batch(&format!("CREATE SCHEMA {schema}")))
        .unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    let pg = format!("{url}{sep}options=-c%20search_path%3D{schema}");
    let run = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kis"));
        cmd.arg("--db").arg(&pg).args(args);
        cmd.env_remove("KIS_DB").env_remove("KIS_PASSWORD");
        cmd.output().expect("kis startet")
    };
    let tables = || -> i64 {
        admin
            .read(|sql| {
                sql.query_one(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?",
                    &kis::params![schema.as_str()],
                )
            })
            .unwrap()
            .i64(0)
            .unwrap()
    };
    let status = run(&["db", "status"]);
    assert!(status.status.success(), "{}", text(&status));
    assert!(text(&status).contains("– (leer)"), "{}", text(&status));
    for args in [
        &["db", "migrate"][..],
        &["user", "list"][..],
        &["demo", "load"][..],
    ] {
        let o = run(args);
        assert!(!o.status.success(), "{args:?}: {}", text(&o));
        assert!(
            text(&o).contains("keinen KIS-Datenbestand"),
            "{args:?}: {}",
            text(&o)
        );
    }
    assert_eq!(tables(), 0, "nothing created in the empty database");
    let init = run(&["db", "init"]);
    assert!(init.status.success(), "{}", text(&init));
    assert!(tables() > 0);
    let status = run(&["db", "status"]);
    assert!(
        text(&status).contains("Ausstehend:    keine"),
        "{}",
        text(&status)
    );
    drop_schema(&admin);
}
