//! The OpenSSH recipe of docs/ssh.md, run for real: an `sshd` on a loopback
//! port with a test configuration in a temporary directory, `ForceCommand
//! kis ssh-gate` for a matched group, and a russh client logging in with a
//! key. Skipped with one line when `sshd` is not installed or the test does
//! not run as root (sshd needs root to switch users).

#[path = "support/ssh_client.rs"]
mod ssh_client;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::NaiveDate;
use kis::kernel::access;
use kis::kernel::auth::AdminActor;
use kis::store::Db;
use kis::testing::{demo_env, sqlite_test_db};
use ssh_client::{Term, key, public_line};

const SSHD: &str = "/usr/sbin/sshd";
const WAIT: Duration = Duration::from_secs(20);

struct Sshd {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The configuration as in docs/ssh.md, with test paths. The Unix login is
/// root (the only account a test may use); its group stands in for `kis`.
fn sshd_config(dir: &Path, port: u16, db_file: &Path) -> String {
    let kis = env!("CARGO_BIN_EXE_kis");
    format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {dir}/host_ed25519\nPidFile {dir}/sshd.pid\n\
         AuthorizedKeysFile {dir}/authorized_keys\nStrictModes no\nUsePAM no\n\
         PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
         PermitRootLogin prohibit-password\nPermitUserEnvironment no\n\
         Match Group root\n    ForceCommand {kis} ssh-gate --db sqlite:{db}\n    PermitTTY yes\n\
         \x20   AllowTcpForwarding no\n    X11Forwarding no\n    AllowAgentForwarding no\n",
        dir = dir.display(),
        db = db_file.display()
    )
}

fn start_sshd(db_file: &Path) -> Option<Sshd> {
    if !Path::new(SSHD).exists() {
        println!("OpenSSH-Test übersprungen: {SSHD} fehlt (apt-get install openssh-server)");
        return None;
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        println!("OpenSSH-Test übersprungen: sshd braucht Root-Rechte");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(p.join("host_ed25519"))
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success());
    std::fs::write(
        p.join("authorized_keys"),
        format!("{}\n", public_line(&key(42))),
    )
    .unwrap();
    let port = free_port();
    let cfg: PathBuf = p.join("sshd_config");
    std::fs::write(&cfg, sshd_config(p, port, db_file)).unwrap();
    // The privilege separation directory of Debian's sshd.
    std::fs::create_dir_all("/run/sshd").unwrap();
    let check = Command::new(SSHD)
        .arg("-t")
        .arg("-f")
        .arg(&cfg)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "sshd -t: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    let child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(&cfg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Sshd {
        child,
        port,
        _dir: dir,
    })
}

fn sessions(db: &Db) -> i64 {
    db.read(|sql| sql.query_one("SELECT COUNT(*) FROM kis_session", &[]))
        .unwrap()
        .i64(0)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forced_command_maps_the_login_and_ends_cleanly_on_a_dropped_connection() {
    let db = sqlite_test_db("openssh_gate");
    let clock = demo_env(&db, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    let db_file = db.sqlite_path().unwrap();
    let Some(sshd) = start_sshd(&db_file) else {
        return;
    };
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], sshd.port).into();
    let admin = kis::testing::session(&db, clock.clone(), "ADMIN");
    // Only the roles are needed; the session row would count as a live session.
    kis::kernel::auth::end_session(&admin).unwrap();
    let by = AdminActor::Session(&admin);

    // Not mapped: one clear refusal, then the connection ends.
    let mut t = Term::open(addr, "root", &key(42), 80, 24)
        .await
        .expect("ssh login");
    t.wait_for("keinem KIS-Benutzer zugeordnet", WAIT)
        .await
        .unwrap();
    assert!(t.wait_closed(WAIT).await);

    // Mapped, not trusted: the login mask with the user filled in.
    access::map_login(&db, &by, "MEIER", "root", false).unwrap();
    let mut t = Term::open(addr, "root", &key(42), 80, 24)
        .await
        .expect("ssh login");
    let screen = t.wait_for("KIS000", WAIT).await.unwrap();
    assert!(screen.contains("MEIER"), "{screen}");
    t.send(b"meier\r").await;
    t.wait_for("Hauptmenü", WAIT).await.unwrap();
    t.send(b"\x1bOP").await;
    t.wait_for("Hilfe", WAIT).await.unwrap();
    t.disconnect().await;
    wait_sessions(&db, 0).await;

    // Trusted: straight into the menu; a dropped connection removes the session.
    access::map_login(&db, &by, "MEIER", "root", true).unwrap();
    let mut t = Term::open(addr, "root", &key(42), 80, 24)
        .await
        .expect("ssh login");
    t.wait_for("Hauptmenü", WAIT).await.unwrap();
    t.send(b"\x1b[17~kis100\r").await;
    t.wait_for("Ahornweg", WAIT).await.unwrap();
    assert_eq!(sessions(&db), 1);
    drop(t);
    wait_sessions(&db, 0).await;
}

/// The gate process ends on its own after the connection: wait for it.
async fn wait_sessions(db: &Db, n: i64) {
    for _ in 0..200 {
        if sessions(db) == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        sessions(db),
        n,
        "the gate must end its session when the connection ends"
    );
}
