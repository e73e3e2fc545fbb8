//! `kis serve` end to end: a real SSH client (russh) on loopback logs in with
//! a key, drives masks by keys and reads the screen through a vt100 parser.
//! Every wait has a timeout, so a hanging server fails the test instead of
//! blocking it.

#[path = "support/ssh_client.rs"]
mod ssh_client;

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use kis::core::clock::Clock;
use kis::kernel::access;
use kis::kernel::auth::AdminActor;
use kis::ssh::server::{Running, ServeOptions};
use kis::store::Db;
use kis::testing::{TestDb, demo_env, sqlite_test_db};
use ssh_client::{Term, key, public_line, start_server, try_auth};

const WAIT: Duration = Duration::from_secs(15);
const F6: &[u8] = b"\x1b[17~";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// A demo store with keys for DEMO (seed 1), MEIER (2) and SUPPORT (3), and a server on it.
fn setup(name: &str, opts: ServeOptions) -> (TestDb, Running) {
    let db = sqlite_test_db(name);
    let clock = demo_env(&db, day());
    let admin = kis::testing::session(&db, clock.clone(), "ADMIN");
    // Only the roles are needed; the session row would count as a live session.
    kis::kernel::auth::end_session(&admin).unwrap();
    let by = AdminActor::Session(&admin);
    for (user, seed) in [("DEMO", 1), ("MEIER", 2), ("SUPPORT", 3)] {
        access::add_key(&db, &by, user, &public_line(&key(seed))).expect("key registered");
    }
    let clock: Arc<dyn Clock> = clock;
    let server = start_server(&db, clock, opts).expect("server starts");
    (db, server)
}

fn fast() -> ServeOptions {
    ServeOptions {
        auth_rejection_time: Duration::from_millis(50),
        ..ServeOptions::default()
    }
}

fn ssh_sessions(db: &Db) -> i64 {
    db.read(|sql| {
        sql.query_one(
            "SELECT COUNT(*) FROM kis_session WHERE client LIKE 'ssh %'",
            &[],
        )
    })
    .unwrap()
    .i64(0)
    .unwrap()
}

fn audit_actions(db: &Db, prefix: &str) -> Vec<String> {
    db.read(|sql| sql.query("SELECT action FROM audit_log ORDER BY seq", &[]))
        .unwrap()
        .iter()
        .map(|r| r.str(0).unwrap())
        .filter(|a| a.starts_with(prefix))
        .collect()
}

/// Wait until the store shows `n` SSH sessions (the session thread ends asynchronously).
async fn expect_sessions(db: &Db, n: i64) {
    for _ in 0..100 {
        if ssh_sessions(db) == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(ssh_sessions(db), n, "SSH sessions in kis_session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_login_drives_kis100_and_a_dropped_connection_ends_the_session() {
    let (db, server) = setup("ssh_login", fast());
    let mut t = Term::open(server.addr, "demo", &key(1), 80, 24)
        .await
        .expect("login");
    t.wait_for("Hauptmenü", WAIT).await.unwrap();
    t.wait_for("Anmeldung erfolgreich", WAIT).await.unwrap();
    t.send(F6).await;
    t.send(b"kis100\r").await;
    let screen = t.wait_for("Ahornweg", WAIT).await.unwrap();
    assert!(screen.contains("KIS100  Straßenverzeichnis"), "{screen}");
    // Umlauts typed as UTF-8 arrive in the search field.
    t.send("Mühl".as_bytes()).await;
    t.wait_for("Mühl", WAIT).await.unwrap();
    // The Esc-digit fallback: Esc and 1 in separate packets is F1 (help).
    t.send(b"\x1b").await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    t.send(b"1").await;
    t.wait_for("Hilfe – Straßenverzeichnis", WAIT)
        .await
        .unwrap();
    assert_eq!(ssh_sessions(&db), 1);
    let mask = db
        .read(|sql| sql.query_one("SELECT mask, client FROM kis_session", &[]))
        .unwrap();
    assert_eq!(mask.str(0).unwrap(), "KIS100");
    assert_eq!(mask.str(1).unwrap(), "ssh 127.0.0.1");
    // The connection goes away without a goodbye: the session row goes too.
    drop(t);
    expect_sessions(&db, 0).await;
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_keys_and_passwords_are_refused_and_logged() {
    let (db, server) = setup("ssh_refuse", fast());
    // An unknown key.
    assert!(!try_auth(server.addr, "DEMO", &key(99)).await);
    // DEMO's key used for MEIER: the SSH user must be the key's KIS user.
    assert!(!try_auth(server.addr, "MEIER", &key(1)).await);
    assert!(
        Term::open(server.addr, "MEIER", &key(1), 80, 24)
            .await
            .is_err()
    );
    // Password authentication is not offered at all.
    let config = Arc::new(russh::client::Config::default());
    let mut h = russh::client::connect(config, server.addr, ssh_client::AcceptAny)
        .await
        .unwrap();
    let pw = h.authenticate_password("DEMO", "demo").await.unwrap();
    assert!(!pw.success());
    // The right key works.
    assert!(try_auth(server.addr, "demo", &key(1)).await);
    let failed = audit_actions(&db, "SSH_ANMELDUNG_FEHLGESCHLAGEN");
    assert!(failed.len() >= 3, "{failed:?}");
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_ban_the_address_even_for_the_right_key() {
    let (db, server) = setup("ssh_ban", fast());
    for _ in 0..=kis::ssh::server::FREE_FAILURES {
        assert!(!try_auth(server.addr, "DEMO", &key(77)).await);
    }
    assert!(
        !try_auth(server.addr, "DEMO", &key(1)).await,
        "banned address must be refused"
    );
    assert_eq!(audit_actions(&db, "SSH_ADRESSE_GESPERRT").len(), 1);
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sessions_run_side_by_side_without_seeing_each_other() {
    let (db, server) = setup("ssh_two", fast());
    let mut a = Term::open(server.addr, "DEMO", &key(1), 80, 24)
        .await
        .expect("DEMO");
    let mut b = Term::open(server.addr, "MEIER", &key(2), 100, 30)
        .await
        .expect("MEIER");
    a.wait_for("Hauptmenü", WAIT).await.unwrap();
    b.wait_for("Hauptmenü", WAIT).await.unwrap();
    a.send(F6).await;
    a.send(b"kis100\r").await;
    a.wait_for("Ahornweg", WAIT).await.unwrap();
    a.send(b"Eschen").await;
    a.wait_for("Eschen", WAIT).await.unwrap();
    b.pump(Duration::from_millis(300)).await;
    let sb = b.screen();
    assert!(sb.contains("MEIER") && !sb.contains("DEMO"), "{sb}");
    assert!(
        !sb.contains("Straßenverzeichnis") && !sb.contains("Eschen"),
        "{sb}"
    );
    // Each session has its own size: MEIER's legend is on row 30.
    let last = b.parser.screen().rows(0, 100).nth(29).unwrap_or_default();
    assert!(last.contains("F1=Hilfe"), "row 30: {last:?}");
    // A resize of one session redraws only that one.
    b.resize(90, 26).await;
    b.wait_for("Hauptmenü", WAIT).await.unwrap();
    let last = b.parser.screen().rows(0, 90).nth(25).unwrap_or_default();
    for _ in 0..20 {
        if last.contains("F1=Hilfe") {
            break;
        }
        b.pump(Duration::from_millis(100)).await;
    }
    assert_eq!(ssh_sessions(&db), 2);
    a.disconnect().await;
    b.disconnect().await;
    expect_sessions(&db, 0).await;
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_limit_is_enforced_with_a_clear_message() {
    let (_db, server) = setup(
        "ssh_limit",
        ServeOptions {
            max_sessions: 1,
            ..fast()
        },
    );
    let mut a = Term::open(server.addr, "DEMO", &key(1), 80, 24)
        .await
        .expect("first");
    a.wait_for("Hauptmenü", WAIT).await.unwrap();
    let mut b = Term::open(server.addr, "MEIER", &key(2), 80, 24)
        .await
        .expect("second connects");
    b.wait_for("Höchstzahl von 1 gleichzeitigen Sitzungen", WAIT)
        .await
        .unwrap();
    assert!(b.wait_closed(WAIT).await);
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_ends_by_itself() {
    let (db, server) = setup(
        "ssh_idle",
        ServeOptions {
            idle_timeout: Duration::from_millis(700),
            ..fast()
        },
    );
    let mut a = Term::open(server.addr, "DEMO", &key(1), 80, 24)
        .await
        .expect("login");
    a.wait_for("ohne Eingabe beendet", WAIT).await.unwrap();
    assert!(a.wait_closed(WAIT).await);
    expect_sessions(&db, 0).await;
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shadowing_needs_consent_and_is_logged() {
    let (db, server) = setup("ssh_shadow", fast());
    let mut clerk = Term::open(server.addr, "MEIER", &key(2), 80, 24)
        .await
        .expect("MEIER");
    clerk.wait_for("Hauptmenü", WAIT).await.unwrap();
    let mut sup = Term::open(server.addr, "SUPPORT", &key(3), 80, 24)
        .await
        .expect("SUPPORT");
    sup.wait_for("Hauptmenü", WAIT).await.unwrap();
    sup.send(F6).await;
    sup.send(b"kis910\r").await;
    let list = sup
        .wait_for("Angemeldete Sitzungen: 2", WAIT)
        .await
        .unwrap();
    assert!(
        list.lines()
            .any(|l| l.contains("MEIER") && l.contains("KIS ")),
        "mask column: {list}"
    );
    let pos = |name: &str| {
        list.lines()
            .position(|l| l.starts_with(" _ ") && l.contains(name))
    };
    let (meier, support) = (
        pos("MEIER").expect("MEIER listed"),
        pos("SUPPORT").expect("SUPPORT listed"),
    );
    if meier > support {
        sup.send(b"\x1b[B").await;
    }
    // First request: the clerk declines.
    sup.send(b"b").await;
    sup.wait_for("Anfrage an MEIER gesendet", WAIT)
        .await
        .unwrap();
    clerk.wait_for("Rückfrage Support", WAIT).await.unwrap();
    assert!(!sup.screen().contains("BEOBACHTUNG"));
    clerk.send(b"n").await;
    clerk.wait_without("Rückfrage Support", WAIT).await.unwrap();
    sup.wait_for("MEIER hat die Beobachtung abgelehnt", WAIT)
        .await
        .unwrap();
    assert!(!sup.screen().contains("BEOBACHTUNG MEIER"));
    // Second request: the clerk agrees, the support user sees her screen live.
    sup.send(b"B").await;
    clerk.wait_for("Rückfrage Support", WAIT).await.unwrap();
    clerk.send(b"j").await;
    sup.wait_for("BEOBACHTUNG MEIER", WAIT).await.unwrap();
    clerk
        .wait_for("[BEOBACHTET von SUPPORT", WAIT)
        .await
        .unwrap();
    clerk.send(F6).await;
    clerk.send(b"kis100\r").await;
    let watched = sup.wait_for("Ahornweg", WAIT).await.unwrap();
    assert!(watched.contains("KIS100  Straßenverzeichnis"), "{watched}");
    // Read-only: the watcher's typing does not reach the clerk.
    sup.send(b"xyz").await;
    clerk.pump(Duration::from_millis(300)).await;
    assert!(!clerk.screen().contains("xyz"));
    // The clerk ends it.
    clerk.send(b"\x02").await;
    sup.wait_for("Beobachtung beendet durch MEIER", WAIT)
        .await
        .unwrap();
    clerk.wait_for("Beobachtung beendet.", WAIT).await.unwrap();
    let actions = audit_actions(&db, "BEOBACHTUNG_");
    assert_eq!(
        actions,
        [
            "BEOBACHTUNG_ANGEFRAGT",
            "BEOBACHTUNG_ABGELEHNT",
            "BEOBACHTUNG_ANGEFRAGT",
            "BEOBACHTUNG_ZUGESTIMMT",
            "BEOBACHTUNG_BEENDET"
        ]
    );
    clerk.disconnect().await;
    sup.disconnect().await;
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerks_without_support_role_cannot_open_the_session_list() {
    let (_db, server) = setup("ssh_kis910_role", fast());
    let mut clerk = Term::open(server.addr, "MEIER", &key(2), 80, 24)
        .await
        .expect("MEIER");
    clerk.wait_for("Hauptmenü", WAIT).await.unwrap();
    clerk.send(F6).await;
    clerk.send(b"kis910\r").await;
    clerk.wait_for("fehlt die Rolle", WAIT).await.unwrap();
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_may_choose_the_host_keymap() {
    let (_db, server) = setup("ssh_keymap", fast());
    let mut host = Term::open_with_env(
        server.addr,
        "DEMO",
        &key(1),
        80,
        24,
        &[("KIS_KEYMAP", "host")],
    )
    .await
    .expect("host keymap");
    let mut dflt = Term::open(server.addr, "MEIER", &key(2), 80, 24)
        .await
        .expect("default keymap");
    for t in [&mut host, &mut dflt] {
        t.wait_for("Hauptmenü", WAIT).await.unwrap();
        t.send(F6).await;
        t.send(b"kis100\r").await;
        t.wait_for("Ahornweg", WAIT).await.unwrap();
        // PageDown pages in the default keymap; the host keymap knows only PF8.
        t.send(b"\x1b[6~").await;
    }
    host.wait_for("PageDown ist hier nicht belegt", WAIT)
        .await
        .unwrap();
    dflt.pump(Duration::from_millis(300)).await;
    assert!(!dflt.screen().contains("nicht belegt"), "{}", dflt.screen());
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kis900_shows_the_installation_checks_to_support() {
    let (_db, server) = setup("ssh_kis900", fast());
    let mut t = Term::open(server.addr, "SUPPORT", &key(3), 80, 24)
        .await
        .expect("SUPPORT");
    t.wait_for("Hauptmenü", WAIT).await.unwrap();
    t.send(F6).await;
    t.send(b"kis900\r").await;
    let screen = t.wait_for("Protokoll (Hash-Kette)", WAIT).await.unwrap();
    assert!(screen.contains("Prüfungen"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("OK") && l.contains("Migrationen")),
        "{screen}"
    );
    server.stop();
}

/// Issue 22: over SSH, too, a payroll run shows its result without a key
/// (the session driver ticks while the run works), and a month 13 is
/// refused at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per200_run_ends_on_its_own_over_ssh() {
    let (db, server) = setup("ssh_per200", fast());
    let clock = Arc::new(kis::core::clock::FixedClock::on(day()));
    let admin = kis::testing::session(&db, clock, "ADMIN");
    kis::kernel::auth::end_session(&admin).unwrap();
    access::add_key(
        &db,
        &AdminActor::Session(&admin),
        "PERSONAL",
        &public_line(&key(4)),
    )
    .unwrap();
    let mut t = Term::open(server.addr, "personal", &key(4), 80, 24)
        .await
        .expect("login");
    t.wait_for("Anmeldung erfolgreich", WAIT).await.unwrap();
    t.send(F6).await;
    t.send(b"per200\r").await;
    t.wait_for("Entgeltabrechnung", WAIT).await.unwrap();
    t.send(b"13.2026\r").await;
    let screen = t.wait_for("Monat ungültig", WAIT).await.unwrap();
    assert!(!screen.contains("läuft"), "{screen}");
    t.send(b"\x0b11.2026\r").await;
    // Nothing more is typed: the result comes by itself.
    let screen = t.wait_for("abgerechnet (Lauf 1)", WAIT).await.unwrap();
    assert!(screen.contains("PER200"), "{screen}");
    drop(t);
    expect_sessions(&db, 0).await;
    server.stop();
}
