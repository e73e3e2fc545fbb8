//! The `Sql` handed to [`Db::write`](super::Db::write) closures.
//!
//! PostgreSQL aborts a transaction at its first failed statement: everything
//! after it fails and `COMMIT` silently rolls back. SQLite instead carries on.
//! To give both backends the same semantics, a write transaction remembers
//! its first database error; later statements fail at once and the
//! transaction is rolled back with that error even if the closure swallowed
//! it. Code that expects a conflict must avoid it in SQL
//! (`ON CONFLICT … DO NOTHING`, a prior `SELECT`) instead of catching it.

use super::{Backend, Row, Sql, Value};
use crate::core::audit_anchor::Anchor;
use crate::core::error::{KisError, Result};

pub(crate) struct TxSql<'c> {
    inner: &'c mut dyn Sql,
    failed: Option<KisError>,
    anchor: &'c Anchor,
    /// The audit checkpoints asked for, written after the commit.
    checkpoints: Vec<(i64, String)>,
}

impl<'c> TxSql<'c> {
    pub(crate) fn new(inner: &'c mut dyn Sql, anchor: &'c Anchor) -> TxSql<'c> {
        TxSql {
            inner,
            failed: None,
            anchor,
            checkpoints: Vec::new(),
        }
    }

    /// The first database error of the transaction, if any, and the audit
    /// checkpoints to write after a successful commit.
    pub(crate) fn into_parts(self) -> (Option<KisError>, Vec<(i64, String)>) {
        (self.failed, self.checkpoints)
    }

    fn check(&self) -> Result<()> {
        match &self.failed {
            Some(first) => Err(KisError::Db(format!(
                "Die Transaktion ist nach einem Fehler abgebrochen und nimmt keine Anweisungen \
                 mehr an (erster Fehler: {first})."
            ))),
            None => Ok(()),
        }
    }

    /// Remember the first error that came from the database. Errors of the
    /// program's own kinds (not found, validation from a callback) leave the
    /// transaction intact.
    fn note<T>(&mut self, result: Result<T>) -> Result<T> {
        if let Err(e @ (KisError::Db(_) | KisError::Conflict(_))) = &result
            && self.failed.is_none()
        {
            self.failed = Some(e.clone());
        }
        result
    }
}

impl Sql for TxSql<'_> {
    fn backend(&self) -> Backend {
        self.inner.backend()
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        self.check()?;
        let r = self.inner.execute(sql, params);
        self.note(r)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        self.check()?;
        let r = self.inner.query(sql, params);
        self.note(r)
    }

    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        self.check()?;
        let r = self.inner.query_opt(sql, params);
        self.note(r)
    }

    fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row> {
        self.check()?;
        let r = self.inner.query_one(sql, params);
        self.note(r)
    }

    fn execute_batch(&mut self, sql: &str) -> Result<()> {
        self.check()?;
        let r = self.inner.execute_batch(sql);
        self.note(r)
    }

    fn for_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        self.check()?;
        // An error of the callback itself does not spoil the transaction.
        let mut callback_failed = false;
        let r = self.inner.for_each(sql, params, &mut |row| {
            let r = f(row);
            callback_failed = r.is_err();
            r
        });
        if callback_failed { r } else { self.note(r) }
    }

    fn audit_anchor(&self) -> Option<&Anchor> {
        Some(self.anchor)
    }

    fn audit_checkpoint_after_commit(&mut self, seq: i64, mac: &str) {
        self.checkpoints.push((seq, mac.to_string()));
    }
}
