//! The real `kis` binary in a pseudo-terminal: first start on an empty
//! SQLite file (loads the demo), log in, open KIS100, quit.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Pty {
    writer: Box<dyn Write + Send>,
    rx: mpsc::Receiver<Vec<u8>>,
    parser: vt100::Parser,
}

impl Pty {
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
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }
}

#[test]
fn first_start_login_kis100_and_quit() {
    let dir = std::env::temp_dir().join(format!("kis-pty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("kis.sqlite");
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
        &format!("sqlite:{}", db.display()),
        "--user",
        "demo",
        "--goto",
        "KIS100",
    ]);
    cmd.env("TERM", "xterm");
    cmd.env("NO_COLOR", "1");
    cmd.env("KIS_HEUTE", "05.03.2026");
    cmd.env_remove("KIS_DB");
    cmd.cwd(&dir);
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut pty = Pty {
        writer: pair.master.take_writer().unwrap(),
        rx,
        parser: vt100::Parser::new(24, 80, 0),
    };
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
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "kis endete nicht");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "Exit-Status {status:?}");
    assert!(db.exists(), "the first start created the SQLite file");
    let _ = std::fs::remove_dir_all(&dir);
}
