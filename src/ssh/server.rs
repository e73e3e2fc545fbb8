//! `kis serve`: KIS as its own SSH server (russh). Public-key authentication
//! only, keys registered per KIS user; one independent app session per
//! connection on its own thread; failed logins rate-limited per source
//! address and logged; a maximum number of sessions and an idle timeout.
//!
//! Resource limits: connections that have not authenticated yet are limited
//! per source address and overall (excess connections are closed at once)
//! and must authenticate and start their session within the authentication
//! timeout. A session's input queue is bounded ([`MAX_INPUT_BACKLOG`]): when
//! the session is behind, the connection stops reading (back-pressure); a
//! client that keeps flooding it is disconnected. A close overtakes queued
//! input, so the session row and locks go at once.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::keys::{PrivateKey, PublicKey};
use russh::server::{Auth, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, MethodKind, MethodSet};
use serde_json::json;
use tokio::net::TcpListener;

use crate::core::clock::Clock;
use crate::core::error::{KisError, Result};
use crate::kernel::access;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::UserInfo;
use crate::store::Db;
use crate::term::session::{self, Flow, MAX_INPUT_BACKLOG, Out, SessionSetup, Who, theme_for_term};
use crate::term::shadow::ToSession;
use crate::ui::keymap::Keymap;
use crate::ui::theme::Theme;

/// How `kis serve` runs.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub idle_timeout: Duration,
    pub max_sessions: usize,
    /// Keymap when the client does not send `KIS_KEYMAP` (`default`, `host`).
    pub keymap: String,
    /// Pause before a refused authentication is answered.
    pub auth_rejection_time: Duration,
    /// Connections not yet authenticated, overall.
    pub max_preauth: usize,
    /// Connections not yet authenticated, per source address.
    pub max_preauth_per_ip: usize,
    /// Time from accepting a connection to a running session (handshake,
    /// authentication, shell request); then the connection is closed.
    pub auth_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            idle_timeout: Duration::from_secs(30 * 60),
            max_sessions: 100,
            keymap: "default".into(),
            auth_rejection_time: Duration::from_secs(1),
            max_preauth: 64,
            max_preauth_per_ip: 10,
            auth_timeout: Duration::from_secs(30),
        }
    }
}

/// Load the host key, or create an Ed25519 key (mode 0600) on first start.
pub fn load_or_create_host_key(path: &Path) -> Result<PrivateKey> {
    if path.exists() {
        return PrivateKey::read_openssh_file(path).map_err(|e| {
            KisError::System(format!(
                "Hostschlüssel {} nicht lesbar: {e}",
                path.display()
            ))
        });
    }
    let mut seed = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
    let key = PrivateKey::from(russh::keys::ssh_key::private::Ed25519Keypair::from_seed(
        &seed,
    ));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    key.write_openssh_file(path, russh::keys::ssh_key::LineEnding::LF)
        .map_err(|e| {
            KisError::System(format!(
                "Hostschlüssel {} nicht schreibbar: {e}",
                path.display()
            ))
        })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(key)
}

/// Failed logins per source address: a few are free, then the address is
/// banned for a time that doubles with every further failure.
#[derive(Default)]
pub struct RateLimiter {
    map: Mutex<HashMap<IpAddr, Failures>>,
}

struct Failures {
    count: u32,
    last: Instant,
    banned_until: Option<Instant>,
}

/// Failures allowed before the first ban.
pub const FREE_FAILURES: u32 = 5;
/// Failures older than this are forgotten.
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
const FIRST_BAN: Duration = Duration::from_secs(30);
const MAX_BAN: Duration = Duration::from_secs(60 * 60);

impl RateLimiter {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Failures>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The rest of a ban on this address, if any.
    pub fn banned(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        self.map()
            .get(&ip)
            .and_then(|f| f.banned_until)
            .filter(|t| *t > now)
            .map(|t| t - now)
    }

    /// Count a failure; returns the ban it starts, if any.
    pub fn failed(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        let mut map = self.map();
        let f = map.entry(ip).or_insert(Failures {
            count: 0,
            last: now,
            banned_until: None,
        });
        if now.duration_since(f.last) > FAILURE_WINDOW {
            f.count = 0;
        }
        f.count += 1;
        f.last = now;
        if f.count <= FREE_FAILURES {
            return None;
        }
        let ban = FIRST_BAN
            .saturating_mul(1 << (f.count - FREE_FAILURES - 1).min(12))
            .min(MAX_BAN);
        f.banned_until = Some(now + ban);
        Some(ban)
    }

    /// A successful login forgets the failures of its address.
    pub fn succeeded(&self, ip: IpAddr) {
        self.map().remove(&ip);
    }
}

/// Input a client may send while its session is behind (the queue is
/// full) before it is disconnected as flooding; resets when the session
/// has caught up. A large paste fits many times over.
pub const FLOOD_LIMIT: usize = 1024 * 1024;

/// What to do with input that arrives for a session.
#[derive(Debug, PartialEq, Eq)]
enum Pressure {
    /// The queue has room: pass it on.
    Accept,
    /// The queue is full: wait until the session has caught up, then pass it on.
    Wait,
    /// The client kept sending while the session was behind: disconnect.
    Flood { bytes: usize },
}

/// Counts the input a client sends while its session's queue is full
/// ([`FLOOD_LIMIT`]); forgets it when the session has caught up.
#[derive(Default)]
struct FloodGuard {
    pressured: usize,
}

impl FloodGuard {
    /// Decide on `len` bytes arriving while `queued` bytes wait.
    fn arrive(&mut self, queued: usize, len: usize) -> Pressure {
        if queued == 0 {
            self.pressured = 0;
        }
        if queued < MAX_INPUT_BACKLOG {
            return Pressure::Accept;
        }
        self.pressured = self.pressured.saturating_add(len);
        if self.pressured > FLOOD_LIMIT {
            Pressure::Flood {
                bytes: self.pressured,
            }
        } else {
            Pressure::Wait
        }
    }
}

/// Connections that have not authenticated yet: overall and per address.
#[derive(Default)]
struct PreAuth {
    inner: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

impl PreAuth {
    fn lock(&self) -> std::sync::MutexGuard<'_, (usize, HashMap<IpAddr, usize>)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn release(&self, ip: IpAddr) {
        let mut g = self.lock();
        g.0 = g.0.saturating_sub(1);
        if let Some(n) = g.1.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                g.1.remove(&ip);
            }
        }
    }
}

/// A pre-authentication place, given back when dropped.
struct PreAuthSlot {
    shared: Arc<Shared>,
    ip: IpAddr,
}

impl Drop for PreAuthSlot {
    fn drop(&mut self) {
        self.shared.preauth.release(self.ip);
    }
}

/// A free pre-authentication place for `ip`, or `None` if a limit is reached.
fn acquire_preauth(shared: &Arc<Shared>, ip: IpAddr) -> Option<PreAuthSlot> {
    let mut g = shared.preauth.lock();
    let per_ip = g.1.get(&ip).copied().unwrap_or(0);
    if g.0 >= shared.opts.max_preauth || per_ip >= shared.opts.max_preauth_per_ip {
        return None;
    }
    g.0 += 1;
    *g.1.entry(ip).or_insert(0) += 1;
    Some(PreAuthSlot {
        shared: shared.clone(),
        ip,
    })
}

/// Shared by a connection's handler and its watchdog task: the
/// pre-authentication place (given back on authentication) and whether
/// the session has started (then the authentication timeout no longer applies).
struct ConnState {
    slot: Mutex<Option<PreAuthSlot>>,
    started: std::sync::atomic::AtomicBool,
}

impl ConnState {
    fn release_slot(&self) {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        drop(slot);
    }

    fn started(&self) -> bool {
        self.started.load(Ordering::SeqCst)
    }
}

/// Gives the pre-authentication place back when the watchdog task ends,
/// even if russh's own connection task lingers.
struct ReleaseOnDrop(Arc<ConnState>);

impl Drop for ReleaseOnDrop {
    fn drop(&mut self) {
        self.0.release_slot();
    }
}

/// What every connection shares.
struct Shared {
    db: Db,
    clock: Arc<dyn Clock>,
    opts: ServeOptions,
    active: Arc<AtomicUsize>,
    limiter: RateLimiter,
    preauth: PreAuth,
}

impl Shared {
    /// Write a security event into the audit log (the server acts as `SSH`).
    fn log(&self, action: &str, user: &str, details: serde_json::Value) {
        let actor = Actor {
            user: "SSH".into(),
            mandant: String::new(),
            at: self.clock.now(),
        };
        if let Err(e) = self.db.write(|sql| {
            audit::append(sql, &actor, action, "kis_user", user, None, Some(&details)).map(|_| ())
        }) {
            eprintln!("KIS: Protokolleintrag {action} fehlgeschlagen: {e}");
        }
    }
}

/// A running server (tests and benchmarks start one on a free port).
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Stop accepting connections and wait for the server thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn russh_config(host_key: PrivateKey, opts: &ServeOptions) -> russh::server::Config {
    russh::server::Config {
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        auth_rejection_time: opts.auth_rejection_time,
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![host_key],
        // The app's idle timeout ends sessions; this one only drops
        // connections that never open a session.
        inactivity_timeout: Some(opts.idle_timeout + Duration::from_secs(60)),
        keepalive_interval: Some(Duration::from_secs(60)),
        max_auth_attempts: 6,
        nodelay: true,
        ..Default::default()
    }
}

/// Start the server on `listen` in a thread of its own; returns once the
/// port is bound.
pub fn start(
    db: Db,
    clock: Arc<dyn Clock>,
    listen: &str,
    host_key: PrivateKey,
    opts: ServeOptions,
) -> Result<Running> {
    Keymap::builtin(&opts.keymap).map_err(KisError::validation)?;
    if opts.max_preauth == 0 || opts.max_preauth_per_ip == 0 || opts.auth_timeout.is_zero() {
        return Err(KisError::validation(
            "--max-preauth, --max-preauth-per-ip und --auth-timeout müssen größer als 0 sein.",
        ));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| KisError::System(format!("Laufzeitumgebung: {e}")))?;
    // Bound here (blocking) so that errors reach the caller and the port is
    // known; the server's own runtime takes the socket over.
    let listener = std::net::TcpListener::bind(listen)
        .and_then(|l| l.set_nonblocking(true).map(|_| l))
        .map_err(|e| KisError::System(format!("Adresse {listen} nicht nutzbar: {e}")))?;
    let addr = listener.local_addr()?;
    let config = Arc::new(russh_config(host_key, &opts));
    let shared = Arc::new(Shared {
        db,
        clock,
        opts,
        active: Arc::new(AtomicUsize::new(0)),
        limiter: RateLimiter::default(),
        preauth: PreAuth::default(),
    });
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("kis-ssh-server".into())
        .spawn(move || {
            rt.block_on(async move {
                let listener = match TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => {
                        eprintln!("KIS: SSH-Server kann nicht hören: {e}");
                        return;
                    }
                };
                tokio::select! {
                    _ = accept_loop(listener, config, shared) => {}
                    _ = stop_rx => {}
                }
            });
            // Open connections end with the runtime; their sessions get Close.
            rt.shutdown_timeout(Duration::from_secs(2));
        })?;
    Ok(Running {
        addr,
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}

/// Run the server in the foreground until the process ends.
pub fn run(
    db: Db,
    clock: Arc<dyn Clock>,
    listen: &str,
    host_key_path: &Path,
    opts: ServeOptions,
) -> Result<()> {
    let key = load_or_create_host_key(host_key_path)?;
    let fp = key.public_key().fingerprint(russh::keys::HashAlg::Sha256);
    let mut running = start(db, clock, listen, key, opts)?;
    println!(
        "KIS-SSH-Server hört auf {} (Hostschlüssel {fp}).",
        running.addr
    );
    if let Some(t) = running.thread.take() {
        let _ = t.join();
    }
    Ok(())
}

async fn accept_loop(
    listener: TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
) {
    loop {
        let (socket, peer) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                eprintln!("KIS: Verbindung nicht angenommen: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Too many connections without authentication (overall or from
        // this address): closed at once, before any work is done for them.
        let Some(slot) = acquire_preauth(&shared, peer.ip()) else {
            drop(socket);
            continue;
        };
        let _ = socket.set_nodelay(true);
        let state = Arc::new(ConnState {
            slot: Mutex::new(Some(slot)),
            started: std::sync::atomic::AtomicBool::new(false),
        });
        let conn = Conn {
            shared: shared.clone(),
            peer,
            user: None,
            channel: None,
            pty: None,
            env: HashMap::new(),
            tx: None,
            flow: None,
            flood: FloodGuard::default(),
            state: state.clone(),
        };
        let config = config.clone();
        let auth_timeout = shared.opts.auth_timeout;
        tokio::spawn(watch_connection(config, socket, conn, state, auth_timeout));
    }
}

/// Run one connection; if it has no running session `auth_timeout` after
/// it was accepted (still in the handshake, not authenticated, or no shell
/// requested), close it.
async fn watch_connection(
    config: Arc<russh::server::Config>,
    socket: tokio::net::TcpStream,
    conn: Conn,
    state: Arc<ConnState>,
    auth_timeout: Duration,
) {
    let _release = ReleaseOnDrop(state.clone());
    let deadline = tokio::time::sleep(auth_timeout);
    tokio::pin!(deadline);
    // Dropping this future (deadline first) closes the socket: the client
    // never completed the version exchange.
    let running = tokio::select! {
        r = russh::server::run_stream(config, socket, conn) => match r {
            Ok(running) => running,
            Err(_) => return,
        },
        _ = &mut deadline => return,
    };
    let handle = running.handle();
    tokio::pin!(running);
    tokio::select! {
        _ = &mut running => return,
        _ = &mut deadline => {}
    }
    if state.started() {
        let _ = running.await;
        return;
    }
    state.release_slot();
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        let _ = handle
            .disconnect(
                russh::Disconnect::ByApplication,
                "KIS: Zeit für die Anmeldung abgelaufen.".into(),
                "de".into(),
            )
            .await;
        let _ = (&mut running).await;
    })
    .await;
}

/// One SSH connection.
struct Conn {
    shared: Arc<Shared>,
    peer: SocketAddr,
    user: Option<UserInfo>,
    channel: Option<ChannelId>,
    /// TERM, columns, rows.
    pty: Option<(String, u16, u16)>,
    env: HashMap<String, String>,
    tx: Option<Sender<ToSession>>,
    /// Flow control with the session thread, once it runs.
    flow: Option<Arc<Flow>>,
    /// Input received while the session was behind, since it last caught up.
    flood: FloodGuard,
    state: Arc<ConnState>,
}

impl Conn {
    /// End the session without handling queued input (connection gone).
    fn close_session(&self) {
        if let Some(flow) = &self.flow {
            flow.close();
        }
        if let Some(tx) = &self.tx {
            let _ = tx.send(ToSession::Close);
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // A dropped connection ends the session cleanly (locks, session row),
        // at once: the close overtakes input still queued.
        self.close_session();
    }
}

fn clamp(v: u32) -> u16 {
    v.clamp(1, 1000) as u16
}

impl Conn {
    fn check_key(&mut self, login: &str, key: &PublicKey) -> Auth {
        let ip = self.peer.ip();
        let now = Instant::now();
        if self.shared.limiter.banned(ip, now).is_some() {
            return Auth::reject();
        }
        match access::user_for_key(&self.shared.db, login, key) {
            Ok(Some(u)) => {
                self.user = Some(u);
                Auth::Accept
            }
            Ok(None) => {
                self.shared.log(
                    "SSH_ANMELDUNG_FEHLGESCHLAGEN",
                    &login.to_uppercase(),
                    json!({ "adresse": ip.to_string(), "schluessel": access::fingerprint(key) }),
                );
                if let Some(ban) = self.shared.limiter.failed(ip, now) {
                    self.shared.log(
                        "SSH_ADRESSE_GESPERRT",
                        &login.to_uppercase(),
                        json!({ "adresse": ip.to_string(), "sekunden": ban.as_secs() }),
                    );
                }
                Auth::reject()
            }
            Err(e) => {
                eprintln!("KIS: Schlüsselprüfung fehlgeschlagen: {e}");
                Auth::reject()
            }
        }
    }

    fn theme(&self) -> Theme {
        let term = self.pty.as_ref().map(|p| p.0.as_str()).unwrap_or("");
        theme_for_term(
            term,
            self.env.get("NO_COLOR").is_some_and(|v| !v.is_empty()),
        )
    }

    /// Start the app thread for the shell request; false if refused.
    fn start_session(&mut self, channel: ChannelId, session: &mut Session) -> bool {
        let Some(user) = self.user.clone() else {
            return false;
        };
        let handle = session.handle();
        let shared = &self.shared;
        // Reserve a slot first so that concurrent requests cannot exceed the maximum.
        let before = shared.active.fetch_add(1, Ordering::SeqCst);
        if before >= shared.opts.max_sessions {
            shared.active.fetch_sub(1, Ordering::SeqCst);
            let text = format!(
                "KIS: Die Höchstzahl von {} gleichzeitigen Sitzungen ist erreicht. Bitte später erneut versuchen.\r\n",
                shared.opts.max_sessions
            );
            tokio::spawn(async move {
                let _ = handle.data(channel, text.into_bytes()).await;
                let _ = handle.exit_status_request(channel, 1).await;
                let _ = handle.eof(channel).await;
                let _ = handle.close(channel).await;
            });
            return true;
        }
        let keymap_name = match self.env.get("KIS_KEYMAP").map(String::as_str) {
            Some(k @ ("default" | "host")) => k.to_string(),
            _ => shared.opts.keymap.clone(),
        };
        let keymap = Keymap::builtin(&keymap_name).or_else(|_| Keymap::builtin("default"));
        let Ok(keymap) = keymap else {
            shared.active.fetch_sub(1, Ordering::SeqCst);
            return false;
        };
        let (_, cols, rows) = self.pty.clone().unwrap_or_else(|| ("vt100".into(), 80, 24));
        let setup = SessionSetup {
            db: shared.db.clone(),
            clock: shared.clock.clone(),
            who: Who::Authenticated(user),
            mandant: self.env.get("KIS_MANDANT").cloned(),
            client: format!("ssh {}", self.peer.ip()),
            keymap,
            theme: self.theme(),
            size: (cols, rows),
            idle_timeout: shared.opts.idle_timeout,
            goto: None,
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let (out_tx, mut out_rx) = tokio::sync::mpsc::unbounded_channel::<Out>();
        let guard = SlotGuard(shared.active.clone());
        let flow = Arc::new(Flow::default());
        if session::spawn(setup, rx, tx.clone(), out_tx, flow.clone(), guard).is_err() {
            return false;
        }
        self.tx = Some(tx);
        self.flow = Some(flow.clone());
        self.state.started.store(true, Ordering::SeqCst);
        tokio::spawn(async move {
            while let Some(out) = out_rx.recv().await {
                match out {
                    Out::Data(d) => {
                        let n = d.len();
                        if handle.data(channel, d).await.is_err() {
                            break;
                        }
                        flow.output_sent(n);
                    }
                    Out::Exit(code) => {
                        let _ = handle.exit_status_request(channel, code).await;
                        let _ = handle.eof(channel).await;
                        let _ = handle.close(channel).await;
                        break;
                    }
                }
            }
        });
        true
    }
}

/// Frees a session slot when the session thread ends.
pub struct SlotGuard(Arc<AtomicUsize>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Handler for Conn {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> std::result::Result<Auth, Self::Error> {
        Ok(self.check_key(user, offer.public_key))
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> std::result::Result<Auth, Self::Error> {
        let auth = self.check_key(user, key.public_key);
        if matches!(auth, Auth::Accept) {
            self.shared.limiter.succeeded(self.peer.ip());
            // Authenticated: no longer counts against the pre-auth limits.
            self.state.release_slot();
        }
        Ok(auth)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        // One KIS session per connection.
        if self.channel.is_some() || self.user.is_none() {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        self.channel = Some(channel.id());
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        self.pty = Some((term.to_string(), clamp(col_width), clamp(row_height)));
        session.channel_success(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        if matches!(name, "KIS_KEYMAP" | "KIS_MANDANT" | "NO_COLOR") && value.len() <= 64 {
            self.env.insert(name.to_string(), value.to_string());
            session.channel_success(channel)?;
        } else {
            session.channel_failure(channel)?;
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        if self.tx.is_none()
            && self.channel == Some(channel)
            && self.start_session(channel, session)
        {
            session.channel_success(channel)?;
        } else {
            session.channel_failure(channel)?;
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        // KIS offers its masks only, no commands.
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        // No sftp or other subsystems.
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        let (Some(tx), Some(flow)) = (self.tx.clone(), self.flow.clone()) else {
            return Ok(());
        };
        match self.flood.arrive(flow.queued(), data.len()) {
            Pressure::Accept => {}
            // The session is behind: wait for it (russh reads nothing more
            // from this client meanwhile).
            Pressure::Wait => flow.wait_below(MAX_INPUT_BACKLOG).await,
            Pressure::Flood { bytes } => {
                let user = self
                    .user
                    .as_ref()
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                self.shared.log(
                    "SSH_EINGABE_UEBERLAUF",
                    &user,
                    json!({ "adresse": self.peer.ip().to_string(), "bytes": bytes }),
                );
                self.close_session();
                let _ = session.disconnect(
                    russh::Disconnect::ByApplication,
                    "KIS: Verbindung getrennt – zu viele Eingaben auf einmal.",
                    "de",
                );
                return Ok(());
            }
        }
        if flow.is_closing() {
            return Ok(());
        }
        flow.queue(data.len());
        let _ = tx.send(ToSession::Input(data.to_vec()));
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        if let Some(tx) = &self.tx {
            let _ = tx.send(ToSession::Resize(clamp(col_width), clamp(row_height)));
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        if let Some(tx) = &self.tx {
            let _ = tx.send(ToSession::Close);
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        self.close_session();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_waits_while_the_session_is_behind_and_a_flood_is_cut_off() {
        let mut g = FloodGuard::default();
        assert_eq!(g.arrive(0, 4096), Pressure::Accept);
        assert_eq!(g.arrive(MAX_INPUT_BACKLOG - 1, 4096), Pressure::Accept);
        // Full: the client waits; a large paste fits many times over.
        let chunk = 32 * 1024;
        let mut sent = 0;
        while sent + chunk <= FLOOD_LIMIT {
            assert_eq!(g.arrive(MAX_INPUT_BACKLOG, chunk), Pressure::Wait);
            sent += chunk;
        }
        // Still behind and still sending: cut off.
        assert_eq!(
            g.arrive(MAX_INPUT_BACKLOG, chunk),
            Pressure::Flood {
                bytes: sent + chunk
            }
        );
    }

    #[test]
    fn a_session_that_caught_up_forgets_the_pressure() {
        let mut g = FloodGuard::default();
        for _ in 0..16 {
            assert_eq!(g.arrive(MAX_INPUT_BACKLOG, 60 * 1024), Pressure::Wait);
        }
        assert_eq!(g.arrive(0, 1), Pressure::Accept);
        for _ in 0..16 {
            assert_eq!(g.arrive(MAX_INPUT_BACKLOG, 60 * 1024), Pressure::Wait);
        }
    }

    #[test]
    fn failures_lead_to_doubling_bans() {
        let r = RateLimiter::default();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let t = Instant::now();
        for _ in 0..FREE_FAILURES {
            assert_eq!(r.failed(ip, t), None);
        }
        assert_eq!(r.banned(ip, t), None);
        assert_eq!(r.failed(ip, t), Some(FIRST_BAN));
        assert!(r.banned(ip, t + Duration::from_secs(1)).is_some());
        assert_eq!(r.banned(ip, t + FIRST_BAN), None);
        assert_eq!(r.failed(ip, t + FIRST_BAN), Some(FIRST_BAN * 2));
        // Another address is not affected; success forgets.
        assert_eq!(r.banned("192.0.2.8".parse().unwrap(), t), None);
        r.succeeded(ip);
        assert_eq!(r.banned(ip, t + FIRST_BAN), None);
        assert_eq!(r.failed(ip, t + FIRST_BAN), None);
    }

    #[test]
    fn failures_are_forgotten_after_the_window() {
        let r = RateLimiter::default();
        let ip: IpAddr = "192.0.2.9".parse().unwrap();
        let t = Instant::now();
        for _ in 0..FREE_FAILURES {
            r.failed(ip, t);
        }
        assert_eq!(
            r.failed(ip, t + FAILURE_WINDOW + Duration::from_secs(1)),
            None
        );
    }

    #[test]
    fn host_key_is_created_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("host_ed25519");
        let a = load_or_create_host_key(&path).unwrap();
        let b = load_or_create_host_key(&path).unwrap();
        assert_eq!(a.public_key(), b.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
}
