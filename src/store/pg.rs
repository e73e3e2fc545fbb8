//! The PostgreSQL backend: one `postgres::Client` per pooled connection with
//! its own cache of prepared statements.
//!
//! PostgreSQL infers each parameter's type from the statement; the store
//! looks at the prepared statement's parameter types and converts every
//! [`Value`] to what the server expects (see [`PgParam::bind`]), and maps
//! result columns back by their type (see [`read_value`]).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, NoTls, Statement};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::errors;
use super::placeholder::to_dollar;
use super::{Backend, Row, Sql, Value};
use crate::core::error::{KisError, Result};

/// Prepared statements kept per connection; beyond this the cache is
/// emptied (dynamic SQL must not grow it without bound).
const STATEMENT_CACHE: usize = 512;

pub(crate) struct PgConn {
    client: Client,
    /// Keyed by the caller's SQL text (with `?`), so the rewrite is cached too.
    statements: HashMap<String, (Statement, Arc<[String]>)>,
}

impl PgConn {
    /// Connect; `schema` (quoted here) becomes the search path.
    /// `address` (`user@host:port/db`) names the server in the error message.
    pub(crate) fn connect(config: &Config, schema: Option<&str>, address: &str) -> Result<PgConn> {
        let client = config.connect(NoTls).map_err(|e| {
            KisError::Db(format!(
                "PostgreSQL nicht erreichbar ({address}): {}",
                with_causes(&e)
            ))
        })?;
        let mut conn = PgConn {
            client,
            statements: HashMap::new(),
        };
        if let Some(schema) = schema {
            conn.execute_batch(&format!("SET search_path TO {}", quote_ident(schema)))?;
        }
        Ok(conn)
    }

    pub(crate) fn begin(&mut self) -> Result<()> {
        self.client.batch_execute("BEGIN").map_err(map_err)
    }

    pub(crate) fn commit(&mut self) -> Result<()> {
        self.client.batch_execute("COMMIT").map_err(map_err)
    }

    pub(crate) fn rollback(&mut self) -> Result<()> {
        self.client.batch_execute("ROLLBACK").map_err(map_err)
    }

    /// False once the server connection is gone; such a connection is discarded.
    pub(crate) fn is_usable(&self) -> bool {
        !self.client.is_closed()
    }

    fn prepare(&mut self, sql: &str) -> Result<(Statement, Arc<[String]>)> {
        if let Some(cached) = self.statements.get(sql) {
            return Ok(cached.clone());
        }
        let stmt = self.client.prepare(&to_dollar(sql)).map_err(map_err)?;
        let columns: Arc<[String]> = stmt.columns().iter().map(|c| c.name().to_owned()).collect();
        if self.statements.len() >= STATEMENT_CACHE {
            self.statements.clear();
        }
        self.statements
            .insert(sql.to_owned(), (stmt.clone(), columns.clone()));
        Ok((stmt, columns))
    }

    /// Forget a statement whose execution failed for another reason than
    /// the data (integrity constraints): it may be stale after a schema
    /// change, and preparing anew is cheap.
    fn forget(&mut self, sql: &str, e: postgres::Error) -> KisError {
        let data_error = e.code().is_some_and(|c| c.code().starts_with("23"));
        if !data_error {
            self.statements.remove(sql);
        }
        map_err(e)
    }

    fn run(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<bool>,
    ) -> Result<()> {
        let (stmt, columns) = self.prepare(sql)?;
        let bound = bind_all(&stmt, params)?;
        match stream(&mut self.client, &stmt, &columns, &bound, f) {
            Ok(()) => Ok(()),
            Err(Failure::Pg(e)) => Err(self.forget(sql, e)),
            Err(Failure::Kis(e)) => Err(e),
        }
    }
}

/// Why streaming stopped: a server error (the statement is then forgotten)
/// or an error from converting a row or from the callback.
enum Failure {
    Pg(postgres::Error),
    Kis(KisError),
}

/// Execute `stmt` and feed its rows to `f` until `f` returns `false`.
fn stream(
    client: &mut Client,
    stmt: &Statement,
    columns: &Arc<[String]>,
    bound: &[PgParam],
    f: &mut dyn FnMut(&Row) -> Result<bool>,
) -> std::result::Result<(), Failure> {
    let args = bound.iter().map(PgParam::as_sql);
    let mut rows = client.query_raw(stmt, args).map_err(Failure::Pg)?;
    while let Some(r) = rows.next().map_err(Failure::Pg)? {
        let values = stmt
            .columns()
            .iter()
            .enumerate()
            .map(|(i, c)| read_value(&r, i, c.type_(), c.name()))
            .collect::<Result<Vec<_>>>()
            .map_err(Failure::Kis)?;
        if !f(&Row::new(columns.clone(), values)).map_err(Failure::Kis)? {
            break;
        }
    }
    Ok(())
}

impl Sql for PgConn {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let (stmt, _) = self.prepare(sql)?;
        let bound = bind_all(&stmt, params)?;
        let args: Vec<&(dyn ToSql + Sync)> = bound.iter().map(PgParam::as_sql).collect();
        match self.client.execute(&stmt, &args) {
            Ok(n) => Ok(n),
            Err(e) => Err(self.forget(sql, e)),
        }
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
        self.client.batch_execute(sql).map_err(map_err)
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

/// A parameter converted to the type the prepared statement expects.
#[derive(Debug)]
enum PgParam {
    Int2(Option<i16>),
    Int4(Option<i32>),
    Int8(Option<i64>),
    Text(Option<String>),
    Numeric(Option<Decimal>),
    Bool(Option<bool>),
    Float4(Option<f32>),
    Float8(Option<f64>),
}

impl PgParam {
    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            PgParam::Int2(v) => v,
            PgParam::Int4(v) => v,
            PgParam::Int8(v) => v,
            PgParam::Text(v) => v,
            PgParam::Numeric(v) => v,
            PgParam::Bool(v) => v,
            PgParam::Float4(v) => v,
            PgParam::Float8(v) => v,
        }
    }

    /// Convert `value` for parameter `$pos` of type `ty`. Integers go into
    /// text parameters as decimal text (as SQLite's column affinity would
    /// do); text never goes into a numeric parameter.
    fn bind(pos: usize, ty: &Type, value: &Value) -> Result<PgParam> {
        let mismatch = || {
            KisError::Db(format!(
                "Parameter ${pos}: {} passt nicht zum PostgreSQL-Typ {ty} (Wert {value:?}).",
                value.kind()
            ))
        };
        let int = || match value {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            Value::Text(_) => Err(mismatch()),
        };
        let param = if *ty == Type::INT8 {
            PgParam::Int8(int()?)
        } else if *ty == Type::INT4 {
            PgParam::Int4(
                int()?
                    .map(i32::try_from)
                    .transpose()
                    .map_err(|_| mismatch())?,
            )
        } else if *ty == Type::INT2 {
            PgParam::Int2(
                int()?
                    .map(i16::try_from)
                    .transpose()
                    .map_err(|_| mismatch())?,
            )
        } else if [
            Type::TEXT,
            Type::VARCHAR,
            Type::BPCHAR,
            Type::NAME,
            Type::UNKNOWN,
        ]
        .contains(ty)
        {
            PgParam::Text(match value {
                Value::Null => None,
                Value::Int(v) => Some(v.to_string()),
                Value::Text(s) => Some(s.clone()),
            })
        } else if *ty == Type::NUMERIC {
            PgParam::Numeric(match value {
                Value::Null => None,
                Value::Int(v) => Some(Decimal::from(*v)),
                Value::Text(s) => Some(Decimal::from_str(s).map_err(|_| mismatch())?),
            })
        } else if *ty == Type::BOOL {
            PgParam::Bool(match int()? {
                None => None,
                Some(0) => Some(false),
                Some(1) => Some(true),
                Some(_) => return Err(mismatch()),
            })
        } else if *ty == Type::FLOAT8 {
            PgParam::Float8(match value {
                Value::Null => None,
                Value::Int(v) => Some(*v as f64),
                Value::Text(s) => Some(s.parse().map_err(|_| mismatch())?),
            })
        } else if *ty == Type::FLOAT4 {
            PgParam::Float4(match value {
                Value::Null => None,
                Value::Int(v) => Some(*v as f32),
                Value::Text(s) => Some(s.parse().map_err(|_| mismatch())?),
            })
        } else {
            return Err(KisError::Db(format!(
                "Parameter ${pos}: PostgreSQL-Typ {ty} wird vom KIS-Speicher nicht unterstützt \
                 (Projektregel: BIGINT für Zahlen, TEXT für Texte und Datumsangaben)."
            )));
        };
        Ok(param)
    }
}

fn bind_all(stmt: &Statement, params: &[Value]) -> Result<Vec<PgParam>> {
    let types = stmt.params();
    if types.len() != params.len() {
        return Err(KisError::Db(format!(
            "Die SQL-Anweisung erwartet {} Parameter, übergeben wurden {}.",
            types.len(),
            params.len()
        )));
    }
    types
        .iter()
        .zip(params)
        .enumerate()
        .map(|(i, (ty, v))| PgParam::bind(i + 1, ty, v))
        .collect()
}

/// Convert result column `idx` by its PostgreSQL type into a [`Value`].
fn read_value(row: &postgres::Row, idx: usize, ty: &Type, name: &str) -> Result<Value> {
    let get_err = |e: postgres::Error| KisError::Db(format!("Spalte {name}: {e}"));
    let int = |v: Option<i64>| v.map_or(Value::Null, Value::Int);
    let value = if *ty == Type::INT8 {
        int(row.try_get::<_, Option<i64>>(idx).map_err(get_err)?)
    } else if *ty == Type::INT4 {
        int(row
            .try_get::<_, Option<i32>>(idx)
            .map_err(get_err)?
            .map(i64::from))
    } else if *ty == Type::INT2 {
        int(row
            .try_get::<_, Option<i16>>(idx)
            .map_err(get_err)?
            .map(i64::from))
    } else if *ty == Type::OID {
        int(row
            .try_get::<_, Option<u32>>(idx)
            .map_err(get_err)?
            .map(i64::from))
    } else if [
        Type::TEXT,
        Type::VARCHAR,
        Type::BPCHAR,
        Type::NAME,
        Type::UNKNOWN,
    ]
    .contains(ty)
    {
        row.try_get::<_, Option<String>>(idx)
            .map_err(get_err)?
            .map_or(Value::Null, Value::Text)
    } else if *ty == Type::BOOL {
        int(row
            .try_get::<_, Option<bool>>(idx)
            .map_err(get_err)?
            .map(i64::from))
    } else if *ty == Type::NUMERIC {
        match row.try_get::<_, Option<Decimal>>(idx).map_err(get_err)? {
            None => Value::Null,
            Some(d) => match d.fract().is_zero().then(|| d.to_i64()).flatten() {
                Some(v) => Value::Int(v),
                None => Value::Text(d.to_string()),
            },
        }
    } else if *ty == Type::FLOAT8 {
        row.try_get::<_, Option<f64>>(idx)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Text(v.to_string()))
    } else if *ty == Type::FLOAT4 {
        row.try_get::<_, Option<f32>>(idx)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Text(v.to_string()))
    } else if *ty == Type::VOID {
        Value::Null
    } else {
        return Err(KisError::Db(format!(
            "Spalte {name}: PostgreSQL-Typ {ty} wird vom KIS-Speicher nicht unterstützt \
             (Projektregel: BIGINT für Zahlen, TEXT für Texte und Datumsangaben)."
        )));
    };
    Ok(value)
}

/// The error text followed by its causes ("error connecting to server:
/// Connection refused …").
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!(": {c}"));
        cause = c.source();
    }
    text
}

/// Quote an SQL identifier (schema name) for PostgreSQL.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Translate a PostgreSQL error into the KIS error a clerk or service can act on.
pub(crate) fn map_err(e: postgres::Error) -> KisError {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::UNIQUE_VIOLATION {
            return errors::unique_violation();
        }
        if *code == SqlState::CHECK_VIOLATION {
            return errors::check_violation(db.constraint().unwrap_or("?"));
        }
        if *code == SqlState::FOREIGN_KEY_VIOLATION {
            return errors::foreign_key_violation();
        }
        if [
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::LOCK_NOT_AVAILABLE,
        ]
        .contains(code)
        {
            return errors::retry_conflict();
        }
        let mut msg = format!("{} {}: {}", db.severity(), code.code(), db.message());
        if let Some(detail) = db.detail() {
            msg.push_str(&format!(" ({detail})"));
        }
        if let Some(hint) = db.hint() {
            msg.push_str(&format!(" Hinweis: {hint}"));
        }
        return KisError::Db(msg);
    }
    if e.is_closed() {
        return KisError::Db(format!(
            "Verbindung zu PostgreSQL unterbrochen: {}",
            with_causes(&e)
        ));
    }
    KisError::Db(with_causes(&e))
}
