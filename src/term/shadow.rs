//! The sessions running in this `kis serve` process and the messages they
//! exchange for shadowing (a support user watching a clerk's screen with her
//! consent). Sessions of other processes (local terminal, OpenSSH forced
//! command) are not registered: KIS910 lists them from the store, but they
//! cannot be watched.

use std::collections::HashMap;
use std::sync::mpsc::Sender;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use ratatui::buffer::Buffer;

/// A message to a running SSH session (its driver thread).
#[derive(Debug)]
pub enum ToSession {
    /// Bytes typed by the client.
    Input(Vec<u8>),
    /// The client's window has a new size (columns, rows).
    Resize(u16, u16),
    /// The connection is gone or the channel was closed.
    Close,
    /// A support user asks to watch this session.
    ShadowAsk {
        watcher: String,
        watcher_user: String,
    },
    /// The clerk agreed: start showing her frames.
    ShadowStart { target: String, target_user: String },
    /// The clerk declined.
    ShadowRefused { target_user: String },
    /// The watched screen as last drawn.
    ShadowFrame(Box<Buffer>),
    /// The other side ended the watching.
    ShadowEnd { peer: String, by_user: String },
}

struct Entry {
    user: String,
    tx: Sender<ToSession>,
    last_input: Instant,
}

/// The registry of live sessions of this process, keyed by KIS session id.
#[derive(Default)]
pub struct Registry {
    inner: Mutex<HashMap<String, Entry>>,
}

/// The process-wide registry (one `kis serve` process = one registry).
/// It is also what the support service sees as this process's terminals.
pub fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    let r = R.get_or_init(Registry::default);
    crate::kernel::support::install(r);
    r
}

impl crate::kernel::support::LiveTerminals for Registry {
    fn idle(&self, session_id: &str) -> Option<Duration> {
        Registry::idle(self, session_id)
    }
    fn user_of(&self, session_id: &str) -> Option<String> {
        Registry::user_of(self, session_id)
    }
    fn ask_shadow(&self, target: &str, watcher: &str, watcher_user: &str) -> bool {
        self.send(
            target,
            ToSession::ShadowAsk {
                watcher: watcher.to_string(),
                watcher_user: watcher_user.to_string(),
            },
        )
    }
}

impl Registry {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock leaves a usable map behind.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn register(&self, session_id: &str, user: &str, tx: Sender<ToSession>) {
        self.map().insert(
            session_id.to_string(),
            Entry {
                user: user.to_string(),
                tx,
                last_input: Instant::now(),
            },
        );
    }

    /// Note that the clerk typed something (for the idle column of KIS910).
    pub fn touch(&self, session_id: &str) {
        if let Some(e) = self.map().get_mut(session_id) {
            e.last_input = Instant::now();
        }
    }

    /// Time since the session's last input, if it runs in this process.
    pub fn idle(&self, session_id: &str) -> Option<Duration> {
        self.map().get(session_id).map(|e| e.last_input.elapsed())
    }

    pub fn unregister(&self, session_id: &str) {
        self.map().remove(session_id);
    }

    /// Whether a session runs in this process (and so can be watched).
    pub fn contains(&self, session_id: &str) -> bool {
        self.map().contains_key(session_id)
    }

    /// The user of a session of this process.
    pub fn user_of(&self, session_id: &str) -> Option<String> {
        self.map().get(session_id).map(|e| e.user.clone())
    }

    /// Deliver a message; false if the session is gone.
    pub fn send(&self, session_id: &str, msg: ToSession) -> bool {
        match self.map().get(session_id) {
            Some(e) => e.tx.send(msg).is_ok(),
            None => false,
        }
    }

    /// The number of sessions of this process.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_reach_registered_sessions_only() {
        let r = Registry::default();
        let (tx, rx) = std::sync::mpsc::channel();
        r.register("s1", "MEIER", tx);
        assert!(r.contains("s1"));
        assert_eq!(r.user_of("s1").as_deref(), Some("MEIER"));
        assert!(r.send("s1", ToSession::Resize(80, 24)));
        assert!(matches!(rx.try_recv(), Ok(ToSession::Resize(80, 24))));
        assert!(!r.send("s2", ToSession::Close));
        r.unregister("s1");
        assert!(!r.contains("s1"));
        assert!(r.is_empty());
    }
}
