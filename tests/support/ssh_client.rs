//! A scripted SSH terminal client for tests and benchmarks: connects with
//! russh, requests a pty and a shell, and keeps the screen in a vt100 parser.
//! Each test file uses a part of it.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use kis::core::error::Result as KisResult;
use kis::ssh::server::{self, Running, ServeOptions};
use kis::store::Db;
use russh::client::{self, Handle};
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::{ChannelMsg, Disconnect};

pub struct AcceptAny;

impl client::Handler for AcceptAny {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// A deterministic Ed25519 key (seeded) for a test user.
pub fn key(seed: u8) -> PrivateKey {
    PrivateKey::from(russh::keys::ssh_key::private::Ed25519Keypair::from_seed(
        &[seed; 32],
    ))
}

/// The public key line as `kis user add-key` reads it.
pub fn public_line(key: &PrivateKey) -> String {
    key.public_key().to_openssh().expect("public key encodes")
}

/// Start `kis serve` on a free loopback port.
pub fn start_server(
    db: &Db,
    clock: Arc<dyn kis::core::clock::Clock>,
    opts: ServeOptions,
) -> KisResult<Running> {
    server::start(db.clone(), clock, "127.0.0.1:0", key(200), opts)
}

/// A TCP connection to `addr` from the local address `src` (any port).
pub async fn connect_from(
    src: std::net::IpAddr,
    addr: std::net::SocketAddr,
) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind((src, 0).into())?;
    socket.connect(addr).await
}

pub struct Term {
    pub handle: Handle<AcceptAny>,
    pub channel: russh::Channel<client::Msg>,
    pub parser: vt100::Parser,
    pub closed: bool,
}

/// Authenticate only; true if the server accepted the key for `user`.
pub async fn try_auth(addr: std::net::SocketAddr, user: &str, key: &PrivateKey) -> bool {
    let config = Arc::new(client::Config::default());
    let Ok(mut handle) = client::connect(config, addr, AcceptAny).await else {
        return false;
    };
    let res = handle
        .authenticate_publickey(
            user,
            PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None),
        )
        .await
        .map(|r| r.success())
        .unwrap_or(false);
    let _ = handle.disconnect(Disconnect::ByApplication, "", "de").await;
    res
}

impl Term {
    /// Connect, authenticate with `key` as `user`, open a pty of `cols`×`rows` and a shell.
    pub async fn open(
        addr: std::net::SocketAddr,
        user: &str,
        key: &PrivateKey,
        cols: u16,
        rows: u16,
    ) -> Result<Term, String> {
        Self::open_with_env(addr, user, key, cols, rows, &[]).await
    }

    pub async fn open_with_env(
        addr: std::net::SocketAddr,
        user: &str,
        key: &PrivateKey,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Result<Term, String> {
        Self::open_from(None, addr, user, key, cols, rows, env).await
    }

    /// As [`Term::open_with_env`], from the loopback source address `src`
    /// (e.g. 127.0.0.2) if given.
    pub async fn open_from(
        src: Option<std::net::IpAddr>,
        addr: std::net::SocketAddr,
        user: &str,
        key: &PrivateKey,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Result<Term, String> {
        let config = Arc::new(client::Config {
            nodelay: true,
            ..Default::default()
        });
        let mut handle = match src {
            None => client::connect(config, addr, AcceptAny)
                .await
                .map_err(|e| format!("connect: {e}"))?,
            Some(ip) => {
                let stream = connect_from(ip, addr)
                    .await
                    .map_err(|e| format!("connect: {e}"))?;
                client::connect_stream(config, stream, AcceptAny)
                    .await
                    .map_err(|e| format!("connect: {e}"))?
            }
        };
        let ok = handle
            .authenticate_publickey(
                user,
                PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None),
            )
            .await
            .map_err(|e| format!("auth: {e}"))?;
        if !ok.success() {
            return Err("authentication refused".into());
        }
        let channel = handle
            .channel_open_session()
            .await
            .map_err(|e| format!("channel: {e}"))?;
        channel
            .request_pty(false, "xterm", cols as u32, rows as u32, 0, 0, &[])
            .await
            .map_err(|e| format!("pty: {e}"))?;
        for (k, v) in env {
            channel
                .set_env(false, *k, *v)
                .await
                .map_err(|e| format!("env: {e}"))?;
        }
        channel
            .request_shell(false)
            .await
            .map_err(|e| format!("shell: {e}"))?;
        Ok(Term {
            handle,
            channel,
            parser: vt100::Parser::new(rows, cols, 0),
            closed: false,
        })
    }

    pub async fn send(&self, bytes: &[u8]) {
        let _ = self.channel.data_bytes(bytes.to_vec()).await;
    }

    pub async fn resize(&mut self, cols: u16, rows: u16) {
        let _ = self
            .channel
            .window_change(cols as u32, rows as u32, 0, 0)
            .await;
        self.parser.screen_mut().set_size(rows, cols);
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Read until the screen contains `needle` (Ok) or the time is up / the
    /// channel closes (Err with the screen).
    pub async fn wait_for(&mut self, needle: &str, timeout: Duration) -> Result<String, String> {
        let end = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return Ok(screen);
            }
            if self.closed {
                return Err(format!("channel closed, screen:\n{screen}"));
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!("timeout waiting for {needle:?}, screen:\n{screen}"));
            }
            self.pump(left).await;
        }
    }

    /// Read until the screen no longer contains `needle`.
    pub async fn wait_without(
        &mut self,
        needle: &str,
        timeout: Duration,
    ) -> Result<String, String> {
        let end = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if !screen.contains(needle) {
                return Ok(screen);
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() || self.closed {
                return Err(format!("{needle:?} still on screen:\n{screen}"));
            }
            self.pump(left).await;
        }
    }

    /// Process what arrives within `timeout` (at most one message).
    pub async fn pump(&mut self, timeout: Duration) {
        match tokio::time::timeout(timeout, self.channel.wait()).await {
            Ok(Some(ChannelMsg::Data { data })) => self.parser.process(&data),
            Ok(Some(ChannelMsg::Eof | ChannelMsg::Close)) | Ok(None) => self.closed = true,
            Ok(Some(_)) | Err(_) => {}
        }
    }

    /// Read until the channel closes or the time is up; returns whether it closed.
    pub async fn wait_closed(&mut self, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        while !self.closed && Instant::now() < end {
            self.pump(end.saturating_duration_since(Instant::now()))
                .await;
        }
        self.closed
    }

    pub async fn disconnect(self) {
        let _ = self
            .handle
            .disconnect(Disconnect::ByApplication, "", "de")
            .await;
    }
}
