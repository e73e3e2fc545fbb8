//! The command line's one output path (issue 11): stored text with escape
//! sequences reaches no terminal raw, CSV cells cannot start a formula, a
//! closed pipe ends quietly, and a document that cannot be written is not
//! recorded as issued. Runs the real `kis` binary on a demo SQLite file; the
//! service-level delivery checks run on both stores.

use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::store::Db;

/// OSC 52 (write the clipboard), CSI clear screen, 8-bit CSI, BEL, DEL.
const EVIL: &str = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{9b}31m\u{7f}\u{85}";
/// The same without `;`, for cells of `;`-separated files.
const EVIL_CELL: &str = "\u{1b}]52\u{7}\u{1b}[2J\u{9b}31m\u{7f}\u{85}";
const FORMEL: &str = "=HYPERLINK(\"http://evil.example\";\"Klick\")";

struct Env {
    dir: PathBuf,
    url: String,
}

impl Env {
    fn new(name: &str) -> Env {
        let dir = std::env::temp_dir().join(format!("kis-out-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite:{}", dir.join("kis.sqlite").display());
        Env { dir, url }
    }

    fn command(&self, user: Option<&str>, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kis"));
        cmd.arg("--db").arg(&self.url);
        if let Some(u) = user {
            cmd.arg("--user")
                .arg(u)
                .env("KIS_PASSWORD", u.to_lowercase());
        } else {
            cmd.env_remove("KIS_PASSWORD");
        }
        cmd.args(args)
            .env_remove("KIS_DB")
            .env("KIS_HEUTE", "28.01.2026")
            .env("KIS_NEW_PASSWORD", "geheim123");
        cmd
    }

    fn kis(&self, user: Option<&str>, args: &[&str]) -> Output {
        self.command(user, args).output().expect("kis startet")
    }

    fn ok(&self, user: Option<&str>, args: &[&str]) -> Output {
        let o = self.kis(user, args);
        assert!(o.status.success(), "{args:?}: {}", both(&o));
        o
    }

    fn db(&self) -> Db {
        Db::open(&self.url).unwrap()
    }

    fn count(&self, sql: &str, params: &[kis::store::Value]) -> i64 {
        self.db()
            .read(|s| s.query_one(sql, params)?.i64(0))
            .unwrap()
    }

    fn first(&self, sql: &str) -> String {
        self.db().read(|s| s.query_one(sql, &[])?.str(0)).unwrap()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn both(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The first control character other than `\n` and `\t`, if any.
fn control(bytes: &[u8]) -> Option<(usize, char)> {
    String::from_utf8_lossy(bytes)
        .char_indices()
        .find(|(_, c)| {
            (c.is_control() && *c != '\n' && *c != '\t') || ('\u{80}'..='\u{9f}').contains(c)
        })
}

fn assert_clean(what: &str, o: &Output) {
    for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        if let Some((at, c)) = control(bytes) {
            let text = String::from_utf8_lossy(bytes);
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(i, _)| i);
            panic!(
                "{what}: {stream} enthält U+{:04X} an Byte {at}: {:?}",
                c as u32,
                &text[from..(at + 8).min(text.len())]
            );
        }
    }
}

/// The demo with EVIL in every stored text the commands print: the Tabelle
/// source comment (imported the normal way), account names, employee names,
/// a user's full name, the employer and Mandant names, residents' first names
/// (with a formula in front); then the January payroll run.
fn evil_demo(name: &str) -> Env {
    let env = Env::new(name);
    env.ok(None, &["--neu", "demo", "load"]);
    // The demo's table of 01.05.2026, as of 2027 with an evil source comment.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/musterstadt/persos/tvoed_vka_entgelt_2026-05.csv");
    let mut text = format!("# Testtarif {EVIL}\n");
    for line in std::fs::read_to_string(fixture).unwrap().lines() {
        if !line.starts_with('#') {
            text.push_str(&line.replace("2026-05-01", "2027-04-01"));
            text.push('\n');
        }
    }
    let tabelle = env.dir.join("tabelle.csv");
    std::fs::write(&tabelle, text).unwrap();
    env.ok(
        Some("PERSONAL"),
        &["persos", "tabelle", "import", tabelle.to_str().unwrap()],
    );
    let full_name = format!("Eva Evil{EVIL}");
    env.ok(
        Some("ADMIN"),
        &["user", "add", "evil", "--name", full_name.as_str()],
    );
    let evil = kis::store::Value::from(EVIL.to_string());
    let formel = kis::store::Value::from(format!("{FORMEL}{EVIL}"));
    env.db()
        .write(|s| {
            s.execute(
                "UPDATE fin_konto SET bezeichnung = bezeichnung || ?",
                std::slice::from_ref(&evil),
            )?;
            s.execute(
                "UPDATE persos_employee SET name = name || ?, vorname = ? || vorname",
                &[evil.clone(), evil.clone()],
            )?;
            s.execute(
                "UPDATE persos_arbeitgeber SET name = name || ?",
                std::slice::from_ref(&evil),
            )?;
            s.execute(
                "UPDATE mandant SET name = name || ?",
                std::slice::from_ref(&evil),
            )?;
            s.execute(
                "UPDATE ewo_person SET vornamen = ?",
                std::slice::from_ref(&formel),
            )?;
            Ok(())
        })
        .unwrap();
    env.ok(
        Some("PERSONAL"),
        &["batch", "persos-abrechnung", "--monat", "2026-01"],
    );
    env
}

#[test]
fn no_command_sends_control_sequences_from_stored_text() {
    let env = evil_demo("evil");
    let pnr = env.first("SELECT MIN(personalnummer) FROM persos_employee");
    let konto = env.first(
        "SELECT MIN(z.konto) FROM fin_buchungszeile z JOIN fin_konto k \
         ON k.mandant = z.mandant AND k.nr = z.konto",
    );
    let cases: &[(&str, &[&str])] = &[
        ("PERSONAL", &["persos", "tabelle", "liste"]),
        (
            "PERSONAL",
            &["persos", "tabelle", "zeigen", "--stichtag", "01.05.2027"],
        ),
        ("PERSONAL", &["persos", "lohnjournal", "--monat", "2026-01"]),
        (
            "PERSONAL",
            &["persos", "lohnjournal", "--monat", "2026-01", "--csv"],
        ),
        (
            "PERSONAL",
            &[
                "persos",
                "auswertung",
                "--monat",
                "2026-01",
                "--art",
                "lsta",
            ],
        ),
        (
            "PERSONAL",
            &[
                "persos",
                "auswertung",
                "--monat",
                "2026-01",
                "--art",
                "kosten",
            ],
        ),
        (
            "PERSONAL",
            &[
                "persos",
                "auswertung",
                "--monat",
                "2026-01",
                "--art",
                "stellen",
            ],
        ),
        (
            "PERSONAL",
            &[
                "persos",
                "entgeltbescheinigung",
                "--monat",
                "2026-01",
                "--pnr",
                &pnr,
            ],
        ),
        (
            "PERSONAL",
            &["persos", "lohnkonto", "--jahr", "2026", "--pnr", &pnr],
        ),
        ("GAST", &["finas", "saldenliste", "--jahr", "2026"]),
        ("GAST", &["finas", "saldenliste", "--jahr", "2026", "--csv"]),
        ("GAST", &["finas", "kontenblatt", "--jahr", "2026", &konto]),
        ("GAST", &["finas", "plan", "--jahr", "2026"]),
        ("GAST", &["finas", "rechnung", "--jahr", "2026", "--csv"]),
        ("GAST", &["finas", "bilanz", "--jahr", "2026"]),
        ("GAST", &["export", "journal", "--jahr", "2026"]),
        ("ADMIN", &["user", "list"]),
        ("DEMO", &["ewos", "suche", "M"]),
        ("DEMO", &["ewos", "suche", "M", "--csv"]),
        ("DEMO", &["audit", "list", "--limit", "50"]),
    ];
    for (user, args) in cases {
        let o = env.kis(Some(user), args);
        assert!(o.status.success(), "{args:?}: {}", both(&o));
        assert!(!o.stdout.is_empty(), "{args:?} druckt nichts");
        assert_clean(&format!("{args:?}"), &o);
    }
    // The values are there, made visible instead of executed.
    let liste = env.ok(Some("PERSONAL"), &["persos", "tabelle", "liste"]);
    assert!(
        String::from_utf8_lossy(&liste.stdout).contains("Testtarif \u{FFFD}]52;c;ZXZpbA=="),
        "{}",
        both(&liste)
    );
    let users = env.ok(Some("ADMIN"), &["user", "list"]);
    assert!(
        String::from_utf8_lossy(&users.stdout).contains("Eva Evil\u{FFFD}"),
        "{}",
        both(&users)
    );
}

#[test]
fn csv_exports_neutralise_formulas_and_keep_numbers() {
    let env = evil_demo("csv");
    let suche = env.ok(Some("DEMO"), &["ewos", "suche", "M", "--csv"]);
    let text = String::from_utf8(suche.stdout).unwrap();
    assert!(text.lines().count() > 2, "{text}");
    for line in text.lines().skip(1) {
        let vornamen = line.split(';').nth(2).unwrap();
        assert!(
            vornamen.starts_with("\"'=HYPERLINK(") || vornamen.starts_with("'=HYPERLINK("),
            "{line}"
        );
    }
    // Negative amounts stay numbers: the Saldenliste has Haben balances.
    let salden = env.ok(
        Some("GAST"),
        &["finas", "saldenliste", "--jahr", "2026", "--csv"],
    );
    let text = String::from_utf8(salden.stdout).unwrap();
    let negativ = text
        .lines()
        .filter_map(|l| l.rsplit(';').next())
        .find(|saldo| saldo.starts_with('-'));
    assert!(
        negativ.is_some_and(|s| s[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')),
        "kein negativer Saldo als Zahl: {text}"
    );
    assert!(!text.contains(";'-"), "{text}");
}

#[test]
fn importer_messages_do_not_echo_control_sequences() {
    let env = Env::new("import");
    env.ok(None, &["--neu", "demo", "load"]);
    let datei = env.dir.join("tabelle.csv");
    std::fs::write(
        &datei,
        format!("# Q\ngueltig_ab;eg;s1;s2;s3;s4;s5;s6\n2027-04-01;9{EVIL_CELL};1;2;3;4;5;6\n"),
    )
    .unwrap();
    let o = env.kis(
        Some("PERSONAL"),
        &["persos", "tabelle", "import", datei.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(both(&o).contains("Zeile 3: Entgeltgruppe"), "{}", both(&o));
    assert_clean("tabelle import", &o);

    let lst = env.dir.join("lst.csv");
    std::fs::write(&lst, format!("LZZ;STKL{EVIL_CELL}\n2;1{EVIL_CELL}\n")).unwrap();
    let o = env.kis(
        None,
        &[
            "persos",
            "lohnsteuer",
            "--jahr",
            "2026",
            "--in",
            lst.to_str().unwrap(),
            "--out",
            "-",
        ],
    );
    assert!(!o.status.success());
    assert!(both(&o).contains("Zeile 1: Spalte"), "{}", both(&o));
    assert_clean("lohnsteuer", &o);
}

/// Runs `cmd` with a stdout pipe whose reader is already gone.
fn with_closed_stdout(mut cmd: Command) -> Output {
    let mut fds = [0; 2];
    // SAFETY: pipe() fills two fresh descriptors; each is owned once below.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read);
    cmd.stdout(Stdio::from(write)).stderr(Stdio::piped());
    cmd.output().expect("kis startet")
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let env = Env::new("pipe");
    env.ok(None, &["--neu", "demo", "load"]);
    let cases: &[(Option<&str>, &[&str])] = &[
        (None, &["keys"]),
        (None, &["db", "status"]),
        (Some("ADMIN"), &["user", "list"]),
        (Some("DEMO"), &["ewos", "suche", "M"]),
        (Some("DEMO"), &["ewos", "suche", "M", "--csv"]),
        (Some("GAST"), &["finas", "saldenliste", "--jahr", "2026"]),
        (Some("GAST"), &["export", "journal", "--jahr", "2026"]),
        (Some("PERSONAL"), &["persos", "tabelle", "liste"]),
    ];
    for (user, args) in cases {
        let o = with_closed_stdout(env.command(*user, args));
        assert_eq!(
            o.status.code(),
            Some(141),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            o.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

fn missing_dir(env: &Env, file: &str) -> PathBuf {
    env.dir.join("gibt-es-nicht").join(file)
}

fn audit_count(env: &Env, action: &str) -> i64 {
    env.count(
        "SELECT COUNT(*) FROM audit_log WHERE action = ?",
        &[action.to_string().into()],
    )
}

#[test]
fn documents_that_cannot_be_written_are_not_recorded() {
    let env = Env::new("docs");
    env.ok(None, &["--neu", "demo", "load"]);
    let om = format!(
        "{:09}",
        env.count("SELECT MIN(id) FROM ewo_person WHERE status = 'aktiv'", &[])
    );
    let doks = |env: &Env| env.count("SELECT COUNT(*) FROM ewo_dokument", &[]);
    let (d0, a0) = (doks(&env), audit_count(&env, "MELDEBESCHEINIGUNG"));
    let fehlt = missing_dir(&env, "mb.txt");
    let o = env.kis(
        Some("DEMO"),
        &[
            "ewos",
            "meldebescheinigung",
            &om,
            "--out",
            fehlt.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success(), "{}", both(&o));
    assert!(both(&o).contains("nicht schreibbar"), "{}", both(&o));
    assert_eq!(doks(&env), d0, "kein Dokument");
    assert_eq!(
        audit_count(&env, "MELDEBESCHEINIGUNG"),
        a0,
        "kein Protokolleintrag"
    );
    // Written, it is recorded.
    let gut = env.dir.join("mb.txt");
    env.ok(
        Some("DEMO"),
        &[
            "ewos",
            "meldebescheinigung",
            &om,
            "--out",
            gut.to_str().unwrap(),
        ],
    );
    assert!(
        std::fs::read_to_string(&gut)
            .unwrap()
            .contains("Meldebescheinigung")
    );
    assert_eq!(doks(&env), d0 + 1);
    assert_eq!(audit_count(&env, "MELDEBESCHEINIGUNG"), a0 + 1);

    env.ok(
        Some("PERSONAL"),
        &["batch", "persos-abrechnung", "--monat", "2026-01"],
    );
    // The payroll's transfers leave through the Zahllauf: a directory that
    // cannot be made stores no run.
    env.ok(Some("DEMO"), &["finas", "anordnung", "freigeben", "--alle"]);
    let datei = env.dir.join("keinverzeichnis");
    std::fs::write(&datei, "x").unwrap();
    let fehlt = datei.join("zahllauf");
    let zahllauf = |out: &Path| {
        env.kis(
            Some("DEMO"),
            &[
                "finas",
                "zahllauf",
                "--datum",
                "30.01.2026",
                "--out",
                out.to_str().unwrap(),
            ],
        )
    };
    let o = zahllauf(&fehlt);
    assert!(!o.status.success(), "{}", both(&o));
    assert!(
        both(&o).contains("kann nicht angelegt werden"),
        "{}",
        both(&o)
    );
    assert_eq!(audit_count(&env, "ZAHLLAUF_AUSFUEHREN"), 0);
    let gut = env.dir.join("zahllauf");
    let o = zahllauf(&gut);
    assert!(o.status.success(), "{}", both(&o));
    let pfad = String::from_utf8_lossy(&o.stdout)
        .lines()
        .find(|p| p.contains("pain.001"))
        .map(String::from)
        .expect("pain.001");
    assert!(
        std::fs::read_to_string(pfad)
            .unwrap()
            .contains("<Cd>SALA</Cd>")
    );
    assert_eq!(audit_count(&env, "ZAHLLAUF_AUSFUEHREN"), 1);
}

#[test]
fn cli_modules_print_only_through_the_output_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/main.rs")];
    for e in std::fs::read_dir(root.join("src/cli")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("output.rs") {
            files.push(p);
        }
    }
    assert!(files.len() >= 7, "{files:?}");
    let forbidden = [
        "println!",
        "print!(",
        "eprintln!",
        "eprint!(",
        "io::stdout",
        "io::stderr",
        "fs::write",
        "File::create",
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for word in forbidden {
                assert!(
                    !line.contains(word),
                    "{}:{}: `{word}` – bitte über cli::output (Out, write_file, note) ausgeben",
                    f.display(),
                    n + 1
                );
            }
        }
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

kis::store_test!(
    meldebescheinigung_failed_output_records_nothing,
    |db: &Db| {
        let clock = kis::testing::demo_env(db, d("2026-01-28"));
        let s = kis::testing::session(db, clock, "DEMO");
        let id = db
            .read(|sql| sql.query_one("SELECT MIN(id) FROM ewo_person", &[])?.i64(0))
            .unwrap();
        let zaehlen = || {
            db.read(|sql| {
                Ok((
                    sql.query_one("SELECT COUNT(*) FROM ewo_dokument", &[])?
                        .i64(0)?,
                    sql.query_one(
                        "SELECT COUNT(*) FROM audit_log WHERE action = 'MELDEBESCHEINIGUNG'",
                        &[],
                    )?
                    .i64(0)?,
                ))
            })
            .unwrap()
        };
        let vorher = zaehlen();
        let e = kis::ewos::person::bescheinigung_ausgeben(&s, id, &[], &mut |_| {
            Err(KisError::System("Ausgabedatei nicht schreibbar".into()))
        })
        .unwrap_err();
        assert!(e.to_string().contains("nicht schreibbar"), "{e}");
        assert_eq!(zaehlen(), vorher);
        let mut erhalten = String::new();
        kis::ewos::person::bescheinigung_ausgeben(&s, id, &[], &mut |t| {
            erhalten = t.to_string();
            Ok(())
        })
        .unwrap();
        assert!(erhalten.contains("Meldebescheinigung"), "{erhalten}");
        assert_eq!(zaehlen(), (vorher.0 + 1, vorher.1 + 1));
    }
);
