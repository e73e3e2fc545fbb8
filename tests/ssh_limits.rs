//! `kis serve` under resource attacks, all on loopback: idle
//! unauthenticated connections (limited per address and overall, a real
//! login still gets in) and the authentication timeout. Every wait has a generous timeout as a failure
//! guard only; loops are bounded in count.

#[path = "support/ssh_client.rs"]
mod ssh_client;

use std::io::Read;
use std::net::{IpAddr, SocketAddr, TcpStream};

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use kis::core::clock::Clock;
use kis::kernel::access;
use kis::kernel::auth::AdminActor;
use kis::ssh::server::{Running, ServeOptions};
use kis::testing::{TestDb, demo_env, session, sqlite_test_db};
use ssh_client::{Term, key, public_line, start_server, try_auth};

const WAIT: Duration = Duration::from_secs(30);

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// A demo store with keys for DEMO (seed 1) and MEIER (seed 2).
fn store(name: &str) -> (TestDb, Arc<dyn Clock>) {
    let db = sqlite_test_db(name);
    let clock = demo_env(&db, day());
    let admin = session(&db, clock.clone(), "ADMIN");
    let by = AdminActor::Session(&admin);
    for (user, seed) in [("DEMO", 1), ("MEIER", 2)] {
        access::add_key(&db, &by, user, &public_line(&key(seed))).expect("key registered");
    }
    (db, clock)
}

/// Open a TCP connection from `src` and tell whether the server took it:
/// it sends its SSH version line, a refused connection is closed at once.
fn idle_connection(src: IpAddr, addr: SocketAddr) -> (TcpStream, bool) {
    let socket = connect_blocking(src, addr);
    socket.set_read_timeout(Some(WAIT)).unwrap();
    let mut buf = [0u8; 64];
    let accepted = match (&socket).read(&mut buf) {
        Ok(n) => n > 0 && buf[..n].starts_with(b"SSH-"),
        Err(e) => panic!("neither banner nor close within {WAIT:?}: {e}"),
    };
    (socket, accepted)
}

/// A blocking TCP connection from a chosen loopback source address.
fn connect_blocking(src: IpAddr, addr: SocketAddr) -> TcpStream {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let stream = rt
        .block_on(ssh_client::connect_from(src, addr))
        .expect("loopback connect");
    let std = stream.into_std().unwrap();
    std.set_nonblocking(false).unwrap();
    std
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn preauth_server(name: &str, opts: ServeOptions) -> (TestDb, Running) {
    let (db, clock) = store(name);
    let server = start_server(&db, clock, opts).expect("server starts");
    (db, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_unauthenticated_connections_are_limited_and_a_real_login_still_works() {
    let (_db, server) = preauth_server(
        "ssh_preauth",
        ServeOptions {
            max_preauth: 20,
            max_preauth_per_ip: 10,
            // Longer than the test: only the limits are at work here.
            auth_timeout: Duration::from_secs(600),
            auth_rejection_time: Duration::from_millis(50),
            ..ServeOptions::default()
        },
    );
    let addr = server.addr;
    let (idle, accepted) = tokio::task::spawn_blocking(move || {
        let mut idle = Vec::new();
        let mut accepted = 0;
        for _ in 0..50 {
            let (s, ok) = idle_connection(ip("127.0.0.1"), addr);
            accepted += usize::from(ok);
            idle.push(s);
        }
        (idle, accepted)
    })
    .await
    .unwrap();
    assert_eq!(accepted, 10, "per-address limit");
    // This address has no place left: even the right key does not get in.
    assert!(!try_auth(addr, "DEMO", &key(1)).await);
    // A clerk elsewhere logs in and works normally.
    let mut t = Term::open_from(Some(ip("127.0.0.2")), addr, "MEIER", &key(2), 80, 24, &[])
        .await
        .expect("real login from another address");
    t.wait_for("Hauptmenü", WAIT).await.unwrap();

    // The overall limit: 10 more from a third address fill it (the
    // authenticated clerk does not count) …
    let (more, accepted) = tokio::task::spawn_blocking(move || {
        let mut more = Vec::new();
        let mut accepted = 0;
        for _ in 0..10 {
            let (s, ok) = idle_connection(ip("127.0.0.3"), addr);
            accepted += usize::from(ok);
            more.push(s);
        }
        let (_, fourth) = idle_connection(ip("127.0.0.4"), addr);
        (more, (accepted, fourth))
    })
    .await
    .unwrap();
    assert_eq!(accepted, (10, false), "overall limit");

    // Idle connections that go give their places back.
    drop(idle);
    drop(more);
    let mut ok = false;
    for _ in 0..100 {
        if try_auth(addr, "DEMO", &key(1)).await {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ok, "places are given back when idle connections close");
    t.send(b"\x1bOP").await;
    t.wait_for("Hilfe", WAIT).await.unwrap();
    t.disconnect().await;
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_authentication_timeout_closes_idle_connections_only() {
    let (_db, server) = preauth_server(
        "ssh_auth_timeout",
        ServeOptions {
            max_preauth: 1,
            max_preauth_per_ip: 1,
            auth_timeout: Duration::from_secs(1),
            auth_rejection_time: Duration::from_millis(50),
            ..ServeOptions::default()
        },
    );
    let addr = server.addr;
    // An idle connection is closed by the server after the timeout.
    let closed = tokio::task::spawn_blocking(move || {
        let (mut s, accepted) = idle_connection(ip("127.0.0.1"), addr);
        assert!(accepted);
        let mut buf = [0u8; 256];
        // Each read waits at most WAIT (read timeout); bounded in count.
        for _ in 0..100 {
            match s.read(&mut buf) {
                Ok(0) => return true,
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
                Err(_) => return false,
            }
        }
        false
    })
    .await
    .unwrap();
    assert!(closed, "the idle pre-auth connection must be closed");
    // Its place is free again (limit 1), and a session outlives the timeout.
    let mut t = Term::open(addr, "DEMO", &key(1), 80, 24)
        .await
        .expect("login after the timeout freed the place");
    t.wait_for("Hauptmenü", WAIT).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    t.send(b"\x1bOP").await;
    t.wait_for("Hilfe", WAIT).await.unwrap();
    assert!(!t.closed);
    t.disconnect().await;
    server.stop();
}
