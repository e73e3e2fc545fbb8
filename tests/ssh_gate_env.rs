//! `kis ssh-gate` takes the Unix login from the process's real uid, never
//! from `USER`/`LOGNAME`, and treats `SSH_CLIENT` as untrusted display text.
//! The real binary is started with a forged environment: a trusted mapping
//! for the forged name must not open that user's session.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kis::kernel::access;
use kis::kernel::auth::AdminActor;
use kis::params;
use kis::store::Db;
use kis::testing::{demo_env, session, sqlite_test_db};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A login that is certainly not the real one of the test process.
const FORGED: &str = "kisfalsch";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// The real uid's name from the password database, found independently of
/// the code under test (`id -un`).
fn real_login() -> String {
    let out = Command::new("id").arg("-un").output().expect("id runs");
    assert!(out.status.success());
    let name = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(!name.is_empty() && name != FORGED);
    name
}

fn rows(db: &Db, sql_text: &str, login: &str) -> Vec<String> {
    db.read(|sql| sql.query(sql_text, &params![login]))
        .unwrap()
        .iter()
        .map(|r| r.str(0).unwrap())
        .collect()
}

/// The sessions the gate opened (the test's own ADMIN set-up session, client
/// "test", left out).
fn sessions(db: &Db) -> Vec<(String, String)> {
    db.read(|sql| {
        sql.query(
            "SELECT u.name, s.client FROM kis_session s JOIN kis_user u ON u.id = s.user_id \
             WHERE s.client <> 'test'",
            &[],
        )
    })
    .unwrap()
    .iter()
    .map(|r| (r.str(0).unwrap(), r.str(1).unwrap()))
    .collect()
}

#[test]
fn a_forged_user_variable_does_not_open_the_mapped_users_session() {
    let db = sqlite_test_db("gate_forged_user");
    let clock = demo_env(&db, day());
    let admin = session(&db, clock.clone(), "ADMIN");
    let by = AdminActor::Session(&admin);
    // The attacker's target: a trusted mapping for another Unix login.
    access::map_login(&db, &by, "MEIER", FORGED, true).unwrap();
    let real = real_login();
    let url = format!("sqlite:{}", db.sqlite_path().unwrap().display());
    let out = Command::new(env!("CARGO_BIN_EXE_kis"))
        .args(["--db", &url, "ssh-gate"])
        .env("USER", FORGED)
        .env("LOGNAME", FORGED)
        .env("SSH_CLIENT", "192.0.2.7 50000 22")
        .env("TERM", "xterm")
        .env("KIS_HEUTE", "25.11.2026")
        .env_remove("KIS_DB")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(
        err.contains(&format!(
            "Der Anmeldename „{real}“ ist keinem KIS-Benutzer zugeordnet"
        )),
        "{err}"
    );
    assert!(!err.contains(FORGED), "{err}");
    assert!(sessions(&db).is_empty(), "no session may be opened");
    // The refusal is logged for the real login.
    assert_eq!(
        rows(
            &db,
            "SELECT action FROM audit_log WHERE record_key = ? ORDER BY seq",
            &real
        ),
        ["SSH_LOGIN_ABGEWIESEN"]
    );
    assert!(
        rows(
            &db,
            "SELECT action FROM audit_log WHERE record_key = ? AND action LIKE 'SSH_LOGIN_AB%'",
            FORGED
        )
        .is_empty()
    );
}

#[test]
fn the_gate_opens_the_session_of_the_real_login_and_ignores_forged_ssh_client() {
    let db = sqlite_test_db("gate_real_login");
    let clock = demo_env(&db, day());
    let admin = session(&db, clock.clone(), "ADMIN");
    let by = AdminActor::Session(&admin);
    let real = real_login();
    access::map_login(&db, &by, "MEIER", FORGED, true).unwrap();
    access::map_login(&db, &by, "SCHULZ", &real, true).unwrap();

    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_kis"));
    cmd.args([
        "--db",
        &format!("sqlite:{}", db.sqlite_path().unwrap().display()),
        "ssh-gate",
    ]);
    cmd.env("USER", FORGED);
    cmd.env("LOGNAME", FORGED);
    // Terminal control sequences instead of an address: must not be stored.
    cmd.env("SSH_CLIENT", "\x1b]0;owned\x07\x1b[2J 1 2");
    cmd.env("TERM", "xterm");
    cmd.env("NO_COLOR", "1");
    cmd.env("KIS_HEUTE", "25.11.2026");
    cmd.env_remove("KIS_DB");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    // Read the master's own descriptor (no duplicate), so that dropping the
    // master really hangs the terminal up.
    let fd = pair.master.as_raw_fd().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let halt = stop.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while !halt.load(Ordering::Relaxed) {
            let mut p = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd; the master outlives this thread.
            if unsafe { libc::poll(&mut p, 1, 50) } <= 0 {
                continue;
            }
            // SAFETY: reads into a buffer of the given length.
            let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 || tx.send(buf[..n as usize].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut parser = vt100::Parser::new(24, 80, 0);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !parser.screen().contents().contains("Hauptmenü") {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "no main menu:\n{}",
            parser.screen().contents()
        );
        if let Ok(b) = rx.recv_timeout(left.min(Duration::from_millis(200))) {
            parser.process(&b);
        }
    }
    let screen = parser.screen().contents();
    assert!(
        screen.contains("SCHULZ") && !screen.contains("MEIER"),
        "{screen}"
    );
    // The session row is SCHULZ's, and the forged SSH_CLIENT left no trace.
    assert_eq!(sessions(&db), [("SCHULZ".to_string(), "ssh".to_string())]);
    // Hang up: the gate ends and removes its session.
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    drop(pair.master);
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the gate did not end");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(sessions(&db).is_empty());
}
