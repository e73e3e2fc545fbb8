//! 200 concurrent SSH sessions on loopback against `kis serve`: each logs in
//! with a key, opens KIS100 and types into the search field. Reports the
//! keystroke-to-screen latency (p50/p99: from sending a key until the client's
//! screen shows it) and the memory per session (RSS growth of this process /
//! sessions; clients and server share the process, so it is an upper bound
//! for the server). Loopback only, bounded in time.
//!
//! Clerks type with a pause between keys (`KIS_BENCH_PACE_MS`, default 150 ms,
//! a fast typist), the sessions staggered over one pause; `KIS_BENCH_PACE_MS=0`
//! is the burst case (every session types as fast as the screen answers).
//!
//! `cargo bench --bench ssh_sessions` (optional: `KIS_BENCH_SESSIONS=50`).

#[path = "../tests/support/ssh_client.rs"]
mod ssh_client;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kis::core::clock::Clock;
use kis::kernel::access;
use kis::kernel::auth::AdminActor;
use kis::ssh::server::ServeOptions;
use kis::testing::{demo_env, sqlite_test_db};
use ssh_client::{Term, key, public_line, start_server};

const KEYS_PER_SESSION: usize = 10;
const WAIT: Duration = Duration::from_secs(60);
/// Typed into the search field; letters that do not occur together on the screen.
const TEXT: &str = "Qxjvqzyxkw";

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// One session: log in, open KIS100, wait until every session is that far
/// (so all type at the same time), then type and time each key.
async fn session(
    addr: std::net::SocketAddr,
    ready: Arc<AtomicUsize>,
    total: usize,
    pace: Duration,
    offset: Duration,
) -> Result<Vec<Duration>, String> {
    let mut t = Term::open(addr, "DEMO", &key(1), 80, 24).await?;
    t.wait_for("Hauptmenü", WAIT).await?;
    t.send(b"\x1b[17~kis100\r").await;
    t.wait_for("Ahornweg", WAIT).await?;
    ready.fetch_add(1, Ordering::SeqCst);
    let deadline = Instant::now() + WAIT;
    while ready.load(Ordering::SeqCst) < total && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(offset).await;
    let mut out = Vec::with_capacity(KEYS_PER_SESSION);
    let mut typed = String::new();
    for ch in TEXT.chars().take(KEYS_PER_SESSION) {
        let next = Instant::now() + pace;
        typed.push(ch);
        let start = Instant::now();
        t.send(ch.to_string().as_bytes()).await;
        t.wait_for(&format!("{typed}_"), WAIT).await?;
        out.push(start.elapsed());
        tokio::time::sleep_until(next.into()).await;
    }
    t.disconnect().await;
    Ok(out)
}

fn main() {
    let sessions: usize = std::env::var("KIS_BENCH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let pace = Duration::from_millis(
        std::env::var("KIS_BENCH_PACE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(150),
    );
    let db = sqlite_test_db("bench_ssh_sessions");
    let clock = demo_env(
        &db,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"),
    );
    let admin = kis::testing::session(&db, clock.clone(), "ADMIN");
    // Only the roles are needed; the session row would count as a live session.
    kis::kernel::auth::end_session(&admin).expect("Sitzung beendet");
    let by = AdminActor::Session(&admin);
    access::add_key(&db, &by, "DEMO", &public_line(&key(1))).expect("key");
    let clock: Arc<dyn Clock> = clock;
    let rss_before = rss_kib();
    let server = start_server(
        &db,
        clock,
        ServeOptions {
            max_sessions: sessions + 10,
            ..ServeOptions::default()
        },
    )
    .expect("server");
    let addr = server.addr;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let (latencies, failures, rss_open) = rt.block_on(async move {
        let ready = Arc::new(AtomicUsize::new(0));
        let mut handles = Vec::with_capacity(sessions);
        for i in 0..sessions {
            let offset = pace * i as u32 / sessions.max(1) as u32;
            handles.push(tokio::spawn(session(
                addr,
                ready.clone(),
                sessions,
                pace,
                offset,
            )));
        }
        // Memory when every session has its mask open.
        let rss_open = Arc::new(AtomicU64::new(0));
        let sampler = {
            let (ready, rss_open) = (ready.clone(), rss_open.clone());
            tokio::spawn(async move {
                let deadline = Instant::now() + WAIT;
                while ready.load(Ordering::SeqCst) < sessions && Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                rss_open.store(rss_kib(), Ordering::SeqCst);
            })
        };
        let mut all = Vec::new();
        let mut failures = Vec::new();
        for h in handles {
            match tokio::time::timeout(Duration::from_secs(300), h).await {
                Ok(Ok(Ok(v))) => all.extend(v),
                Ok(Ok(Err(e))) => failures.push(e),
                Ok(Err(e)) => failures.push(e.to_string()),
                Err(_) => failures.push("Zeitüberschreitung".into()),
            }
        }
        let _ = sampler.await;
        (all, failures, rss_open.load(Ordering::SeqCst))
    });
    let elapsed = started.elapsed();
    server.stop();
    let mut sorted = latencies;
    sorted.sort();
    let per_session_kib = rss_open.saturating_sub(rss_before) / sessions.max(1) as u64;
    println!(
        "ssh_sessions: {sessions} Sitzungen, {} Tastendrücke im Abstand von {} ms, {:.1} s",
        sorted.len(),
        pace.as_millis(),
        elapsed.as_secs_f64()
    );
    println!(
        "  Taste→Bildschirm: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&sorted, 0.50).as_secs_f64() * 1000.0,
        percentile(&sorted, 0.99).as_secs_f64() * 1000.0,
        sorted
            .last()
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    );
    println!(
        "  Speicher: RSS vorher {} MiB, alle Sitzungen offen {} MiB, je Sitzung {:.2} MiB (Server und Clients zusammen)",
        rss_before / 1024,
        rss_open / 1024,
        per_session_kib as f64 / 1024.0
    );
    if !failures.is_empty() {
        println!(
            "  Fehlgeschlagen: {} Sitzungen, z. B.: {}",
            failures.len(),
            failures[0].lines().next().unwrap_or("")
        );
        std::process::exit(1);
    }
}
