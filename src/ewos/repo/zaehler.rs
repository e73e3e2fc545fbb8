//! The counters that hand out the register's ids (per Mandant and name).

use crate::core::error::Result;
use crate::params;
use crate::store::Sql;

/// Allocate `n` consecutive ids of the counter `name`; returns the first.
pub fn next_ids(sql: &mut dyn Sql, mandant: &str, name: &str, n: i64) -> Result<i64> {
    sql.execute(
        "INSERT INTO ewo_counter (mandant, name, next_id) VALUES (?, ?, 1) ON CONFLICT (mandant, name) DO NOTHING",
        &params![mandant, name],
    )?;
    let r = sql.query_one(
        "UPDATE ewo_counter SET next_id = next_id + ? WHERE mandant = ? AND name = ? RETURNING next_id",
        &params![n, mandant, name],
    )?;
    Ok(r.i64(0)? - n)
}

/// Allocate one id of the counter `name`.
pub fn next_id(sql: &mut dyn Sql, mandant: &str, name: &str) -> Result<i64> {
    next_ids(sql, mandant, name, 1)
}
