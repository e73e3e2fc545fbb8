//! The SQLite backend: one rusqlite connection per pooled connection.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{ErrorCode, ffi, params_from_iter};

use super::errors;
use super::{Backend, Row, Sql, Value};
use crate::core::error::{KisError, Result};

/// How long a statement waits for another connection's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Prepared statements kept per connection (bulk loads cycle through a few
/// dozen statements).
const STATEMENT_CACHE: usize = 128;

pub(crate) struct SqliteConn {
    conn: rusqlite::Connection,
}

impl SqliteConn {
    /// Open the database file (creating it only if `create`) and apply the
    /// per-connection settings.
    pub(crate) fn open(path: &Path, create: bool) -> Result<SqliteConn> {
        let mut flags = rusqlite::OpenFlags::default();
        if !create {
            flags.remove(rusqlite::OpenFlags::SQLITE_OPEN_CREATE);
        }
        let conn = rusqlite::Connection::open_with_flags(path, flags).map_err(|e| {
            KisError::Db(format!(
                "SQLite-Datei {} kann nicht geöffnet werden: {e}",
                path.display()
            ))
        })?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(map_err)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(map_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(KisError::Db(format!(
                "SQLite-Datei {}: WAL-Modus nicht verfügbar (Modus {mode}).",
                path.display()
            )));
        }
        conn.execute_batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;")
            .map_err(map_err)?;
        Ok(SqliteConn { conn })
    }

    pub(crate) fn begin(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(map_err)
    }

    pub(crate) fn commit(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT").map_err(map_err)
    }

    pub(crate) fn rollback(&mut self) -> Result<()> {
        self.conn.execute_batch("ROLLBACK").map_err(map_err)
    }

    /// Whether a transaction is open (e.g. left behind by a failed commit).
    pub(crate) fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }

    fn run(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<bool>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(map_err)?;
        let columns: Arc<[String]> = stmt.column_names().into_iter().map(String::from).collect();
        let mut rows = stmt.query(params_from_iter(params)).map_err(map_err)?;
        while let Some(r) = rows.next().map_err(map_err)? {
            let values = (0..columns.len())
                .map(|i| read_value(r, i, &columns))
                .collect::<Result<Vec<_>>>()?;
            if !f(&Row::new(columns.clone(), values))? {
                break;
            }
        }
        Ok(())
    }
}

impl Sql for SqliteConn {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(map_err)?;
        if stmt.column_count() == 0 {
            let n = stmt.execute(params_from_iter(params)).map_err(map_err)?;
            return Ok(n as u64);
        }
        // A statement that yields rows (`INSERT … RETURNING`, `SELECT`):
        // run it to completion, then report changed (or selected) rows.
        let mut rows = stmt.query(params_from_iter(params)).map_err(map_err)?;
        let mut selected = 0u64;
        while rows.next().map_err(map_err)?.is_some() {
            selected += 1;
        }
        drop(rows);
        Ok(if stmt.readonly() {
            selected
        } else {
            self.conn.changes()
        })
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut out = Vec::new();
        self.run(sql, params, &mut |r| {
            out.push(r.clone());
            Ok(true)
        })?;
        Ok(out)
    }

    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        let mut first = None;
        self.run(sql, params, &mut |r| {
            first = Some(r.clone());
            Ok(false)
        })?;
        Ok(first)
    }

    fn execute_batch(&mut self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(map_err)
    }

    fn for_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        self.run(sql, params, &mut |r| f(r).map(|()| true))
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(v) => ValueRef::Integer(*v),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

fn read_value(row: &rusqlite::Row<'_>, idx: usize, columns: &[String]) -> Result<Value> {
    match row.get_ref(idx).map_err(map_err)? {
        ValueRef::Null => Ok(Value::Null),
        ValueRef::Integer(v) => Ok(Value::Int(v)),
        ValueRef::Real(v) => Ok(Value::Text(v.to_string())),
        ValueRef::Text(bytes) => String::from_utf8(bytes.to_vec())
            .map(Value::Text)
            .map_err(|_| {
                KisError::Db(format!(
                    "Spalte {} enthält keinen gültigen UTF-8-Text.",
                    columns[idx]
                ))
            }),
        ValueRef::Blob(_) => Err(KisError::Db(format!(
            "Spalte {} enthält Binärdaten (BLOB); das unterstützt der KIS-Speicher nicht.",
            columns[idx]
        ))),
    }
}

/// Translate a rusqlite error into the KIS error a clerk or service can act on.
pub(crate) fn map_err(e: rusqlite::Error) -> KisError {
    if let rusqlite::Error::SqliteFailure(failure, message) = &e {
        match failure.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                return errors::unique_violation();
            }
            ffi::SQLITE_CONSTRAINT_CHECK => {
                // SQLite reports "CHECK constraint failed: <name or expression>".
                let text = message.as_deref().unwrap_or_default();
                let name = text.rsplit_once(": ").map_or(text, |(_, n)| n);
                return errors::check_violation(name);
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => return errors::foreign_key_violation(),
            _ => {}
        }
        if matches!(
            failure.code,
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked
        ) {
            return errors::retry_conflict();
        }
    }
    KisError::Db(e.to_string())
}
