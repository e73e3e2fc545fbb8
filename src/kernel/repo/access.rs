//! Rows of `user_ssh_key` (public keys per KIS user) and `user_ssh_login`
//! (Unix login names mapped to KIS users).

use crate::core::error::Result;
use crate::kernel::access::{KeyInfo, LoginMapping};
use crate::kernel::session::UserInfo;
use crate::params;
use crate::store::{Row, Sql};

/// The user a key fingerprint is registered for, if any.
pub fn key_owner(sql: &mut dyn Sql, fingerprint: &str) -> Result<Option<String>> {
    sql.query_opt(
        "SELECT u.name FROM user_ssh_key k JOIN kis_user u ON u.id = k.user_id WHERE k.fingerprint = ?",
        &params![fingerprint],
    )?
    .map(|r| r.str(0))
    .transpose()
}

/// Write a key row for a user.
pub fn insert_key(sql: &mut dyn Sql, user_id: i64, k: &KeyInfo, public_key: &str) -> Result<()> {
    sql.execute(
        "INSERT INTO user_ssh_key (user_id, algorithm, public_key, fingerprint, comment, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &params![user_id, k.algorithm.as_str(), public_key, k.fingerprint.as_str(), k.comment.as_str(), k.added_at.as_str(), k.added_by.as_str()],
    )?;
    Ok(())
}

fn key_from_row(r: &Row) -> Result<KeyInfo> {
    Ok(KeyInfo {
        user: r.str(0)?,
        algorithm: r.str(1)?,
        fingerprint: r.str(2)?,
        comment: r.str(3)?,
        added_at: r.str(4)?,
        added_by: r.str(5)?,
    })
}

/// The keys of one user (in the order added) or of all (by user).
pub fn keys(sql: &mut dyn Sql, user: Option<&str>) -> Result<Vec<KeyInfo>> {
    let base = "SELECT u.name, k.algorithm, k.fingerprint, k.comment, k.added_at, k.added_by \
                FROM user_ssh_key k JOIN kis_user u ON u.id = k.user_id";
    let rows = match user {
        Some(n) => sql.query(
            &format!("{base} WHERE u.name = ? ORDER BY k.added_at, k.id"),
            &params![n],
        )?,
        None => sql.query(&format!("{base} ORDER BY u.name, k.added_at, k.id"), &[])?,
    };
    rows.iter().map(key_from_row).collect()
}

/// Remove a user's key by fingerprint; returns the rows removed.
pub fn delete_key(sql: &mut dyn Sql, user_id: i64, fingerprint: &str) -> Result<u64> {
    sql.execute(
        "DELETE FROM user_ssh_key WHERE user_id = ? AND fingerprint = ?",
        &params![user_id, fingerprint],
    )
}

/// The active user of this name who has a key with this fingerprint.
pub fn active_user_with_key(
    sql: &mut dyn Sql,
    name: &str,
    fingerprint: &str,
) -> Result<Option<UserInfo>> {
    sql.query_opt(
        "SELECT u.id, u.name, u.full_name FROM kis_user u WHERE u.active = 1 AND \
         u.name = ? AND EXISTS (SELECT 1 FROM user_ssh_key k WHERE k.user_id = u.id AND k.fingerprint = ?)",
        &params![name, fingerprint],
    )?
    .map(|r| {
        Ok(UserInfo {
            id: r.i64(0)?,
            name: r.str(1)?,
            full_name: r.str(2)?,
        })
    })
    .transpose()
}

/// The user and trust flag a Unix login is mapped to, if any.
pub fn login_mapping(sql: &mut dyn Sql, unix_login: &str) -> Result<Option<(String, bool)>> {
    sql.query_opt(
        "SELECT u.name, m.trusted FROM user_ssh_login m JOIN kis_user u ON u.id = m.user_id WHERE m.unix_login = ?",
        &params![unix_login],
    )?
    .map(|r| Ok((r.str(0)?, r.bool(1)?)))
    .transpose()
}

/// Remove the mapping of a Unix login; returns the rows removed.
pub fn delete_login(sql: &mut dyn Sql, unix_login: &str) -> Result<u64> {
    sql.execute(
        "DELETE FROM user_ssh_login WHERE unix_login = ?",
        &params![unix_login],
    )
}

/// Write a login mapping row.
pub fn insert_login(sql: &mut dyn Sql, user_id: i64, m: &LoginMapping) -> Result<()> {
    sql.execute(
        "INSERT INTO user_ssh_login (unix_login, user_id, trusted, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
        &params![m.unix_login.as_str(), user_id, m.trusted as i64, m.added_at.as_str(), m.added_by.as_str()],
    )?;
    Ok(())
}

/// Every login mapping, by Unix login.
pub fn logins(sql: &mut dyn Sql) -> Result<Vec<LoginMapping>> {
    sql.query(
        "SELECT m.unix_login, u.name, m.trusted, m.added_at, m.added_by FROM user_ssh_login m \
         JOIN kis_user u ON u.id = m.user_id ORDER BY m.unix_login",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(LoginMapping {
            unix_login: r.str(0)?,
            user: r.str(1)?,
            trusted: r.bool(2)?,
            added_at: r.str(3)?,
            added_by: r.str(4)?,
        })
    })
    .collect()
}

/// The active user a Unix login maps to, with the trust flag.
pub fn active_user_for_login(
    sql: &mut dyn Sql,
    unix_login: &str,
) -> Result<Option<(UserInfo, bool)>> {
    let Some(r) = sql.query_opt(
        "SELECT u.id, u.name, u.full_name, m.trusted FROM user_ssh_login m JOIN kis_user u ON u.id = m.user_id \
         WHERE m.unix_login = ? AND u.active = 1",
        &params![unix_login],
    )?
    else {
        return Ok(None);
    };
    Ok(Some((
        UserInfo {
            id: r.i64(0)?,
            name: r.str(1)?,
            full_name: r.str(2)?,
        },
        r.bool(3)?,
    )))
}
