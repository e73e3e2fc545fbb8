//! Cost of one keystroke in a mask at 80×24: handling the key event, drawing
//! the frame and the bytes written to the terminal. Run with
//! `cargo bench --bench keystroke`. Goal: under 200 µs and under 64 bytes
//! per typed character.

use std::cell::Cell;
use std::io::{self, Write};
use std::rc::Rc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use kis::term::backend::StreamBackend;
use kis::ui::app::{App, AppConfig};
use kis::ui::keymap::Keymap;
use kis::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Counts the bytes the terminal would receive.
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn key(c: KeyCode) -> Event {
    Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let db = kis::testing::sqlite_test_db("bench_keystroke");
    let clock = kis::testing::demo_env(&db, NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
    let cfg = AppConfig {
        keymap: Keymap::builtin("default").unwrap(),
        theme: Theme {
            color: true,
            ascii: false,
        },
        goto: Some("KIS100".into()),
        user: None,
        mandant: None,
        client: "bench".into(),
    };
    let mut app = App::new(db.db().clone(), clock.clone(), cfg);
    app.start_session(kis::testing::session(&db, clock, "DEMO"));
    let bytes = Rc::new(Cell::new(0usize));
    let mut term = Terminal::with_options(
        StreamBackend::new(Counter(bytes.clone()), 80, 24),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    term.draw(|f| app.render(f)).unwrap();

    let mut t = Instant::now();
    let rounds = 20_000;
    let mut times = Vec::with_capacity(rounds);
    let mut typed_bytes = 0usize;
    let mut typed = 0usize;
    for i in 0..rounds {
        // Type letters into the search field; every 20th key is Home, so the
        // next letters overtype (the host default) and the field never fills.
        let ev = if i % 20 == 19 {
            Event::Key(KeyEvent::new(KeyCode::Home, KeyModifiers::NONE))
        } else {
            key(KeyCode::Char(char::from(b'a' + (i % 26) as u8)))
        };
        let before = bytes.get();
        let start = Instant::now();
        t += Duration::from_millis(1);
        app.handle_event(&ev, t);
        term.draw(|f| app.render(f)).unwrap();
        times.push(start.elapsed());
        if i % 20 != 19 {
            typed_bytes += bytes.get() - before;
            typed += 1;
        }
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "Tastendruck in KIS100 bei 80×24 ({rounds} Tasten, Verarbeitung + Zeichnen + Ausgabe):"
    );
    println!("  Mittel {:>8.1} µs", mean.as_secs_f64() * 1e6);
    println!(
        "  p50    {:>8.1} µs",
        percentile(&times, 0.50).as_secs_f64() * 1e6
    );
    println!(
        "  p99    {:>8.1} µs",
        percentile(&times, 0.99).as_secs_f64() * 1e6
    );
    println!(
        "  Bytes je getipptem Zeichen: {:.1}",
        typed_bytes as f64 / typed as f64
    );
}
