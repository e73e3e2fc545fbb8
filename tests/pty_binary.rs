//! The real `kis` binary in a pseudo-terminal: the documented first start
//! in an empty working directory (creates `kis.sqlite`, loads the demo), log
//! in, open KIS100, quit; a store that does not exist under any other name
//! is created only after a yes; and a terminal that hangs up ends the
//! session cleanly instead of leaving a spinning process behind.

use std::io::Write;
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

struct Pty {
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    rx: mpsc::Receiver<Vec<u8>>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
    parser: vt100::Parser,
    child: Box<dyn Child + Send + Sync>,
}

impl Pty {
    /// Starts `kis` in the directory of `db` in a fresh 80×24 pty: without
    /// `--db` (the default `kis.sqlite` there) if `db` is named so, else on
    /// the SQLite file `db`.
    fn start(db: &Path, args: &[&str]) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_kis"));
        if db.file_name() != Some(std::ffi::OsStr::new("kis.sqlite")) {
            cmd.args(["--db", &format!("sqlite:{}", db.display())]);
        }
        cmd.args(args);
        cmd.env("TERM", "xterm");
        cmd.env("NO_COLOR", "1");
        cmd.env("KIS_HEUTE", "05.03.2026");
        cmd.env_remove("KIS_DB");
        cmd.cwd(db.parent().unwrap());
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        // The reader polls the master's own descriptor (no duplicate), so
        // closing the master really hangs the terminal up.
        let fd: RawFd = pair.master.as_raw_fd().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
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
        Pty {
            writer: Some(pair.master.take_writer().unwrap()),
            master: Some(pair.master),
            rx,
            stop,
            reader: Some(reader),
            parser: vt100::Parser::new(24, 80, 0),
            child,
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Read output until the screen contains `text` (or fail after a generous wait).
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.screen().contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "„{text}“ erschien nicht. Bildschirm:\n{}",
                self.screen()
            );
            if let Ok(bytes) = self.rx.recv_timeout(left.min(Duration::from_millis(200))) {
                self.parser.process(&bytes);
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    /// The terminal goes away (a closed window, a dropped connection).
    fn hang_up(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(r) = self.reader.take() {
            r.join().unwrap();
        }
        self.writer = None;
        self.master = None;
    }

    /// Waits for the process to end; fails if it does not within 20 s.
    fn exit_status(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < deadline, "kis endete nicht");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kis-pty-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("kis.sqlite")
}

#[test]
fn first_start_login_kis100_and_quit() {
    let db = temp_db("start");
    let mut pty = Pty::start(&db, &["--user", "demo", "--goto", "KIS100"]);
    pty.wait_for("Kennwort");
    pty.send(b"demo\r");
    pty.wait_for("Straßenverzeichnis");
    pty.wait_for("Zeile 1–");
    pty.send("hauptstr\r".as_bytes());
    pty.wait_for("1 Straße gefunden.");
    pty.wait_for("00010 Hauptstraße");
    // F3 (xterm: ESC O R) back to the menu, then F3 again asks, J quits.
    pty.send(b"\x1bOR");
    pty.wait_for("Hauptmenü");
    pty.send(b"\x1bOR");
    pty.wait_for("KIS beenden?");
    pty.send(b"j");
    let status = pty.exit_status();
    assert!(status.success(), "Exit-Status {status:?}");
    assert!(db.exists(), "the first start created the SQLite file");
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

/// Issue 11: a store under another name that does not exist is not
/// created silently — the TUI asks; "n" creates nothing, "j" creates it
/// empty (no demo with known passwords), and then says how to go on.
#[test]
fn another_missing_store_is_created_only_after_a_yes() {
    let db = temp_db("frage").with_file_name("produktion.sqlit");
    let mut pty = Pty::start(&db, &[]);
    pty.wait_for("existiert nicht. Jetzt leer anlegen (ohne Demo-Daten)? (j/N)");
    pty.send(b"n\r");
    pty.wait_for("Neu anlegen mit `kis db init`");
    assert!(!pty.exit_status().success());
    assert!(!db.exists(), "nothing created after no");

    let mut pty = Pty::start(&db, &[]);
    pty.wait_for("(j/N)");
    pty.send(b"j\r");
    pty.wait_for("enthält noch keine Benutzer");
    assert!(!pty.exit_status().success());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let users: i64 = conn
        .query_row("SELECT COUNT(*) FROM kis_user", [], |r| r.get(0))
        .unwrap();
    assert_eq!(users, 0, "created empty, without the demo");
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

#[test]
fn a_hung_up_terminal_ends_the_session_cleanly() {
    let db = temp_db("hangup");
    let mut pty = Pty::start(&db, &["--user", "demo", "--goto", "KIS100"]);
    pty.wait_for("Kennwort");
    pty.send(b"demo\r");
    pty.wait_for("Straßenverzeichnis");
    let sessions = || {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM kis_session", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap()
    };
    assert_eq!(sessions(), 1);
    pty.hang_up();
    // The process ends by itself (no SIGHUP death, no endless loop on the
    // dead terminal) and takes its session row with it.
    pty.exit_status();
    assert_eq!(sessions(), 0, "the session was ended, not abandoned");
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

/// Issue 22: the real driver ticks while a payroll run works in the
/// background — the progress and the result appear without a key; F3
/// during the run is refused (it would lose the result); a month 13 is
/// refused at once instead of "running".
#[test]
fn per200_run_ends_on_its_own_in_the_real_terminal() {
    let db = temp_db("per200");
    let mut pty = Pty::start(&db, &["--user", "PERSONAL", "--goto", "PER200"]);
    pty.wait_for("Kennwort");
    pty.send(b"personal\r");
    pty.wait_for("Entgeltabrechnung");
    pty.send(b"13.2026\r");
    pty.wait_for("Monat ungültig");
    assert!(
        !pty.screen().contains("läuft"),
        "an invalid month does not start a run:\n{}",
        pty.screen()
    );
    // Ctrl-K clears the field from the cursor (put at its start by the
    // refusal); Enter starts the run and F3 (ESC O R) follows at once.
    pty.send(b"\x0b02.2026\r\x1bOR");
    pty.wait_for("bitte bis zu ihrem Ende warten");
    // No further key: the driver polls the run until its result shows.
    pty.wait_for("abgerechnet (Lauf 1)");
    assert!(
        pty.screen().contains("PER200"),
        "F3 during the run did not leave the mask:\n{}",
        pty.screen()
    );
    pty.wait_for("2026-02 L1");
    // Now F3 leaves as usual.
    pty.send(b"\x1bOR");
    pty.wait_for("Hauptmenü");
    pty.send(b"\x1bOR");
    pty.wait_for("KIS beenden?");
    pty.send(b"j");
    assert!(pty.exit_status().success());
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}
