//! A small connection pool: connections are opened lazily up to a maximum,
//! handed out one at a time and returned (clean) when the borrower is done.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::Sql;
use super::pg::PgConn;
use super::sqlite::SqliteConn;
use crate::core::error::{KisError, Result};

/// How long a caller waits for a free connection before giving up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(60);

/// One open database connection of either backend.
pub(crate) enum Conn {
    Sqlite(SqliteConn),
    Pg(Box<PgConn>),
}

impl Conn {
    fn sql(&mut self) -> &mut dyn Sql {
        match self {
            Conn::Sqlite(c) => c,
            Conn::Pg(c) => c.as_mut(),
        }
    }

    fn begin(&mut self) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.begin(),
            Conn::Pg(c) => c.begin(),
        }
    }

    fn commit(&mut self) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.commit(),
            Conn::Pg(c) => c.commit(),
        }
    }

    fn rollback(&mut self) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.rollback(),
            Conn::Pg(c) => c.rollback(),
        }
    }

    /// False for a PostgreSQL connection the server has closed.
    fn is_usable(&self) -> bool {
        match self {
            Conn::Sqlite(_) => true,
            Conn::Pg(c) => c.is_usable(),
        }
    }

    /// Make the connection fit for the next borrower: roll back anything the
    /// previous one left open. False if it must be discarded instead.
    fn reset(&mut self, in_tx: bool) -> bool {
        match self {
            Conn::Sqlite(c) => !(in_tx || c.in_transaction()) || c.rollback().is_ok(),
            Conn::Pg(c) => c.is_usable() && (!in_tx || c.rollback().is_ok()),
        }
    }
}

struct State {
    idle: Vec<Conn>,
    /// Connections in existence: idle, lent out, or being opened.
    open: usize,
}

pub(crate) struct Pool {
    state: Mutex<State>,
    freed: Condvar,
    max: usize,
}

impl Pool {
    /// A pool that starts with `first` (opened eagerly to check the target).
    pub(crate) fn new(first: Conn, max: usize) -> Pool {
        Pool {
            state: Mutex::new(State {
                idle: vec![first],
                open: 1,
            }),
            freed: Condvar::new(),
            max: max.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked: every
        // critical section is a plain push/pop/counter update.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Borrow a connection, opening a new one with `connect` if none is idle
    /// and the maximum is not reached, else waiting for one to be returned.
    pub(crate) fn get(&self, connect: impl FnOnce() -> Result<Conn>) -> Result<PooledConn<'_>> {
        let deadline = Instant::now() + ACQUIRE_TIMEOUT;
        let mut state = self.lock();
        loop {
            if let Some(conn) = state.idle.pop() {
                if conn.is_usable() {
                    return Ok(PooledConn::new(self, conn));
                }
                // Closed while idle (server restart): replace it.
                state.open -= 1;
                continue;
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match connect() {
                    Ok(conn) => Ok(PooledConn::new(self, conn)),
                    Err(e) => {
                        self.forget_one();
                        Err(e)
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(KisError::Db(format!(
                    "Alle {} Datenbankverbindungen sind seit {} s belegt.",
                    self.max,
                    ACQUIRE_TIMEOUT.as_secs()
                )));
            }
            state = self
                .freed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn give_back(&self, conn: Conn) {
        self.lock().idle.push(conn);
        self.freed.notify_one();
    }

    fn forget_one(&self) {
        self.lock().open -= 1;
        self.freed.notify_one();
    }
}

/// A borrowed connection; returns to the pool on drop, after rolling back a
/// transaction that was not finished (error or panic in the borrower).
pub(crate) struct PooledConn<'a> {
    pool: &'a Pool,
    conn: Option<Conn>,
    in_tx: bool,
}

impl<'a> PooledConn<'a> {
    fn new(pool: &'a Pool, conn: Conn) -> PooledConn<'a> {
        PooledConn {
            pool,
            conn: Some(conn),
            in_tx: false,
        }
    }

    fn conn(&mut self) -> &mut Conn {
        // Only `drop` takes the connection out.
        self.conn
            .as_mut()
            .expect("pooled connection present until drop")
    }

    pub(crate) fn sql(&mut self) -> &mut dyn Sql {
        self.conn().sql()
    }

    pub(crate) fn begin(&mut self) -> Result<()> {
        self.conn().begin()?;
        self.in_tx = true;
        Ok(())
    }

    pub(crate) fn commit(&mut self) -> Result<()> {
        self.conn().commit()?;
        self.in_tx = false;
        Ok(())
    }

    pub(crate) fn rollback(&mut self) -> Result<()> {
        self.conn().rollback()?;
        self.in_tx = false;
        Ok(())
    }
}

impl Drop for PooledConn<'_> {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            if conn.reset(self.in_tx) {
                self.pool.give_back(conn);
            } else {
                drop(conn);
                self.pool.forget_one();
            }
        }
    }
}
