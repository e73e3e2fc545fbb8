//! Rows of `kis_user`, `user_role`, `mandant` and `kis_session`.

use crate::core::error::Result;
use crate::kernel::auth::SessionInfo;
use crate::kernel::session::Mandant;
use crate::params;
use crate::store::{Row, Sql};

fn mandant_from_row(r: &Row) -> Result<Mandant> {
    Ok(Mandant {
        id: r.str(0)?,
        name: r.str(1)?,
        ags: r.str(2)?,
        bundesland: r.str(3)?,
        anschrift: r.str(4)?,
    })
}

/// One Mandant, if it exists.
pub fn mandant(sql: &mut dyn Sql, id: &str) -> Result<Option<Mandant>> {
    sql.query_opt(
        "SELECT id, name, ags, bundesland, anschrift FROM mandant WHERE id = ?",
        &params![id],
    )?
    .as_ref()
    .map(mandant_from_row)
    .transpose()
}

/// All Mandanten, by id.
pub fn mandanten(sql: &mut dyn Sql) -> Result<Vec<Mandant>> {
    sql.query(
        "SELECT id, name, ags, bundesland, anschrift FROM mandant ORDER BY id",
        &[],
    )?
    .iter()
    .map(mandant_from_row)
    .collect()
}

/// Write a Mandant row created at `created_at`.
pub fn insert_mandant(sql: &mut dyn Sql, m: &Mandant, created_at: &str) -> Result<()> {
    sql.execute(
        "INSERT INTO mandant (id, name, ags, bundesland, anschrift, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        &params![m.id.as_str(), m.name.as_str(), m.ags.as_str(), m.bundesland.as_str(), m.anschrift.as_str(), created_at],
    )?;
    Ok(())
}

/// (Mandant, role code) of a user, ordered by Mandant and role.
pub fn role_rows(sql: &mut dyn Sql, user_id: i64) -> Result<Vec<(String, String)>> {
    sql.query(
        "SELECT mandant, role FROM user_role WHERE user_id = ? ORDER BY mandant, role",
        &params![user_id],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.str(1)?)))
    .collect()
}

/// Replace a user's role codes in one Mandant.
pub fn replace_roles(sql: &mut dyn Sql, user_id: i64, mandant: &str, codes: &[&str]) -> Result<()> {
    sql.execute(
        "DELETE FROM user_role WHERE user_id = ? AND mandant = ?",
        &params![user_id, mandant],
    )?;
    for code in codes {
        sql.execute(
            "INSERT INTO user_role (user_id, mandant, role) VALUES (?, ?, ?)",
            &params![user_id, mandant, *code],
        )?;
    }
    Ok(())
}

/// Whether any user holds the role `code`.
pub fn role_held(sql: &mut dyn Sql, code: &str) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM user_role WHERE role = ? LIMIT 1",
            &params![code],
        )?
        .is_some())
}

/// Whether an active user other than (`user_id` in `mandant`) holds the role `code`.
pub fn role_held_elsewhere(
    sql: &mut dyn Sql,
    code: &str,
    user_id: i64,
    mandant: &str,
) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM user_role r JOIN kis_user u ON u.id = r.user_id \
             WHERE r.role = ? AND u.active = 1 AND NOT (r.user_id = ? AND r.mandant = ?) LIMIT 1",
            &params![code, user_id, mandant],
        )?
        .is_some())
}

/// A user's login data.
pub struct Credentials {
    pub id: i64,
    pub name: String,
    pub full_name: String,
    pub password_hash: String,
    pub active: bool,
}

/// The login data of a user by name.
pub fn credentials(sql: &mut dyn Sql, name: &str) -> Result<Option<Credentials>> {
    sql.query_opt(
        "SELECT id, name, full_name, password_hash, active FROM kis_user WHERE name = ?",
        &params![name],
    )?
    .map(|r| {
        Ok(Credentials {
            id: r.i64(0)?,
            name: r.str(1)?,
            full_name: r.str(2)?,
            password_hash: r.str(3)?,
            active: r.bool(4)?,
        })
    })
    .transpose()
}

/// The id of a user by name.
pub fn user_id(sql: &mut dyn Sql, name: &str) -> Result<Option<i64>> {
    sql.query_opt("SELECT id FROM kis_user WHERE name = ?", &params![name])?
        .map(|r| r.i64(0))
        .transpose()
}

/// Whether the store has any user.
pub fn users_exist(sql: &mut dyn Sql) -> Result<bool> {
    Ok(sql
        .query_opt("SELECT 1 FROM kis_user LIMIT 1", &[])?
        .is_some())
}

/// Write an active user row; returns its id.
pub fn insert_user(
    sql: &mut dyn Sql,
    name: &str,
    full_name: &str,
    password_hash: &str,
    created_at: &str,
) -> Result<i64> {
    sql.query_one(
        "INSERT INTO kis_user (name, full_name, password_hash, active, created_at) VALUES (?, ?, ?, 1, ?) RETURNING id",
        &params![name, full_name, password_hash, created_at],
    )?
    .i64(0)
}

/// Set a user's password hash; returns the rows changed.
pub fn set_password_hash(sql: &mut dyn Sql, name: &str, hash: &str) -> Result<u64> {
    sql.execute(
        "UPDATE kis_user SET password_hash = ?, version = version + 1 WHERE name = ?",
        &params![hash, name],
    )
}

/// (id, name, full name, active) of every user, by name.
pub fn users(sql: &mut dyn Sql) -> Result<Vec<(i64, String, String, bool)>> {
    sql.query(
        "SELECT id, name, full_name, active FROM kis_user ORDER BY name",
        &[],
    )?
    .iter()
    .map(|r| Ok((r.i64(0)?, r.str(1)?, r.str(2)?, r.bool(3)?)))
    .collect()
}

/// Write a new session row (no mask yet).
pub fn insert_session(
    sql: &mut dyn Sql,
    id: &str,
    user_id: i64,
    mandant: &str,
    client: &str,
    now: &str,
) -> Result<()> {
    sql.execute(
        "INSERT INTO kis_session (id, user_id, mandant, client, mask, started_at, last_seen) VALUES (?, ?, ?, ?, '', ?, ?)",
        &params![id, user_id, mandant, client, now, now],
    )?;
    Ok(())
}

/// Note a session's heartbeat and the mask it shows.
pub fn touch_session(sql: &mut dyn Sql, id: &str, now: &str, mask: &str) -> Result<()> {
    sql.execute(
        "UPDATE kis_session SET last_seen = ?, mask = ? WHERE id = ?",
        &params![now, mask, id],
    )?;
    Ok(())
}

/// Remove a session's locks, then its row.
pub fn delete_session(sql: &mut dyn Sql, id: &str) -> Result<()> {
    sql.execute("DELETE FROM record_lock WHERE session_id = ?", &params![id])?;
    sql.execute("DELETE FROM kis_session WHERE id = ?", &params![id])?;
    Ok(())
}

/// Sessions seen since `cutoff`, by start.
pub fn sessions_since(sql: &mut dyn Sql, cutoff: &str) -> Result<Vec<SessionInfo>> {
    sql.query(
        "SELECT s.id, u.name, s.mandant, s.client, s.mask, s.started_at, s.last_seen \
         FROM kis_session s JOIN kis_user u ON u.id = s.user_id WHERE s.last_seen >= ? ORDER BY s.started_at",
        &params![cutoff],
    )?
    .iter()
    .map(|r| {
        Ok(SessionInfo {
            id: r.str(0)?,
            user: r.str(1)?,
            mandant: r.str(2)?,
            client: r.str(3)?,
            mask: r.str(4)?,
            started_at: r.str(5)?,
            last_seen: r.str(6)?,
        })
    })
    .collect()
}
