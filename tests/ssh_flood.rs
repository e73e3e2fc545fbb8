//! `kis serve` under an input flood: a logged-in client types megabytes
//! as fast as the connection takes them. The server's memory stays bounded
//! (the input queue applies back-pressure), the session row goes with the
//! client instead of after a backlog, and the next clerk still gets in.
//! Every wait has a generous timeout as a failure guard only.

#[path = "support/ssh_client.rs"]
mod ssh_client;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kis::kernel::access;
use kis::kernel::auth::AdminActor;
use kis::store::Db;
use kis::testing::{TestDb, demo_env, session, sqlite_test_db};
use ssh_client::{Term, key, public_line};

const WAIT: Duration = Duration::from_secs(30);
const F6: &[u8] = b"\x1b[17~";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// A demo store with keys for DEMO (seed 1) and MEIER (seed 2).
fn store(name: &str) -> TestDb {
    let db = sqlite_test_db(name);
    let clock = demo_env(&db, day());
    let admin = session(&db, clock, "ADMIN");
    let by = AdminActor::Session(&admin);
    for (user, seed) in [("DEMO", 1), ("MEIER", 2)] {
        access::add_key(&db, &by, user, &public_line(&key(seed))).expect("key registered");
    }
    db
}

/// Sessions other than the test's own ADMIN set-up session.
fn ssh_sessions(db: &Db) -> i64 {
    db.read(|sql| {
        sql.query_one(
            "SELECT COUNT(*) FROM kis_session WHERE client <> 'test'",
            &[],
        )
    })
    .unwrap()
    .i64(0)
    .unwrap()
}

/// The real `kis serve` in its own process.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn spawn(db: &Db, dir: &std::path::Path) -> Server {
        let url = format!("sqlite:{}", db.sqlite_path().unwrap().display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_kis"))
            .args([
                "--db",
                &url,
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--host-key",
            ])
            .arg(dir.join("host_ed25519"))
            .env("KIS_HEUTE", "25.11.2026")
            .env_remove("KIS_DB")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("kis serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "KIS-SSH-Server hört auf 127.0.0.1:PORT (Hostschlüssel …)."
        let addr = line
            .split_whitespace()
            .find_map(|w| w.parse::<SocketAddr>().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { child, addr }
    }

    /// Peak resident memory of the server process (VmHWM) in bytes.
    fn peak_rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .expect("VmHWM in /proc/PID/status");
        kb * 1024
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_input_flood_stays_bounded_and_the_session_ends_with_the_client() {
    let db = store("ssh_flood");
    let dir = tempfile::tempdir().unwrap();
    let server = Server::spawn(&db, dir.path());

    // MEIER works in KIS100: a session row.
    let mut t = Term::open(server.addr, "MEIER", &key(2), 80, 24)
        .await
        .expect("login");
    t.wait_for("Hauptmenü", WAIT).await.unwrap();
    t.send(F6).await;
    t.send(b"kis100\r").await;
    t.wait_for("Ahornweg", WAIT).await.unwrap();
    assert_eq!(ssh_sessions(&db), 1);

    // 16 MB of typing as fast as the connection takes it: far more than the
    // input queue holds. The server cuts the client off on the way; the
    // client then sees an error or a channel that takes nothing more.
    const TOTAL: usize = 16 * 1024 * 1024;
    let chunk = vec![b'x'; 256 * 1024];
    let mut sent = 0;
    while sent < TOTAL {
        match tokio::time::timeout(Duration::from_secs(5), t.channel.data_bytes(chunk.clone()))
            .await
        {
            Ok(Ok(())) => sent += chunk.len(),
            Ok(Err(_)) | Err(_) => break,
        }
    }
    assert!(sent > 0);
    assert!(
        sent < TOTAL,
        "the flood was not cut off ({sent} bytes taken)"
    );
    t.disconnect().await;

    // The session row goes with the client — not after the server has
    // worked through a backlog of everything sent.
    let deadline = Instant::now() + Duration::from_secs(60);
    while ssh_sessions(&db) != 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ssh_sessions(&db), 0, "the session ends with its client");
    let cut = db
        .read(|sql| {
            sql.query_one(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'SSH_EINGABE_UEBERLAUF' AND record_key = 'MEIER'",
                &[],
            )
        })
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(cut, 1, "the cut-off is in the audit log");
    let peak = server.peak_rss();
    assert!(
        peak < 100 * 1024 * 1024,
        "server peak RSS {} MB after a flood of {} MB",
        peak / (1024 * 1024),
        sent / (1024 * 1024)
    );
    // The server is still there for the next clerk.
    let mut t = Term::open(server.addr, "DEMO", &key(1), 80, 24)
        .await
        .expect("login after the flood");
    t.wait_for("Hauptmenü", WAIT).await.unwrap();
}
