//! Who may come in over SSH: public keys registered per KIS user (built-in
//! server) and Unix login names mapped to KIS users (OpenSSH forced command).
//! Every change is made by an administrator and goes into the audit log.

use russh::keys::{HashAlg, PublicKey};
use serde_json::json;

use crate::core::error::{KisError, Result};
use crate::kernel::audit;
use crate::kernel::auth::{AdminActor, normalise_user_name};
use crate::kernel::session::UserInfo;
use crate::params;
use crate::store::{Db, Sql};

/// A registered public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    pub user: String,
    pub algorithm: String,
    pub fingerprint: String,
    pub comment: String,
    pub added_at: String,
    pub added_by: String,
}

/// A Unix login name that maps to a KIS user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginMapping {
    pub unix_login: String,
    pub user: String,
    /// Trusted: the SSH login suffices, no KIS password is asked.
    pub trusted: bool,
    pub added_at: String,
    pub added_by: String,
}

fn ts(actor: &audit::Actor) -> String {
    actor.at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn user_id(sql: &mut dyn Sql, name: &str) -> Result<i64> {
    sql.query_opt("SELECT id FROM kis_user WHERE name = ?", &params![name])?
        .ok_or_else(|| KisError::NotFound(format!("Benutzer {name} ist nicht vorhanden.")))?
        .i64(0)
}

/// Parse one line of an `authorized_keys`/`.pub` file: `ALGORITHM BASE64 [COMMENT]`.
pub fn parse_public_key(line: &str) -> Result<PublicKey> {
    let line = line.trim();
    if line.is_empty() {
        return Err(KisError::field("key", "Die Schlüsseldatei ist leer."));
    }
    PublicKey::from_openssh(line).map_err(|e| {
        KisError::field("key", format!("Kein gültiger öffentlicher SSH-Schlüssel (Format „ssh-ed25519 AAAA… Kommentar“): {e}"))
    })
}

/// The SHA-256 fingerprint as OpenSSH prints it (`SHA256:…`).
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Register a public key (one line in OpenSSH format) for a KIS user.
pub fn add_key(db: &Db, by: &AdminActor, user: &str, key_line: &str) -> Result<KeyInfo> {
    let name = normalise_user_name(user)?;
    let key = parse_public_key(key_line)?;
    let actor = by.actor(db, "")?;
    let fp = fingerprint(&key);
    let algorithm = key.algorithm().to_string();
    let comment = crate::core::sanitize::sanitize_line(&String::from_utf8_lossy(
        AsRef::<[u8]>::as_ref(key.comment()),
    ))
    .into_owned();
    let text = key
        .to_openssh()
        .map_err(|e| KisError::System(format!("Schlüssel: {e}")))?;
    db.write(|sql| {
        let uid = user_id(sql, &name)?;
        if let Some(r) = sql.query_opt(
            "SELECT u.name FROM user_ssh_key k JOIN kis_user u ON u.id = k.user_id WHERE k.fingerprint = ?",
            &params![fp.as_str()],
        )? {
            return Err(KisError::Conflict(format!("Dieser Schlüssel ist schon für Benutzer {} eingetragen.", r.str(0)?)));
        }
        sql.execute(
            "INSERT INTO user_ssh_key (user_id, algorithm, public_key, fingerprint, comment, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            &params![uid, algorithm.as_str(), text.as_str(), fp.as_str(), comment.as_str(), ts(&actor), actor.user.as_str()],
        )?;
        audit::append(
            sql,
            &actor,
            "SSH_SCHLUESSEL_EINGETRAGEN",
            "kis_user",
            &name,
            None,
            Some(&json!({ "fingerprint": fp, "algorithmus": algorithm, "kommentar": comment })),
        )?;
        Ok(())
    })?;
    Ok(KeyInfo {
        user: name,
        algorithm,
        fingerprint: fp,
        comment,
        added_at: ts(&actor),
        added_by: actor.user,
    })
}

/// The registered keys, of one user or of all.
pub fn list_keys(db: &Db, user: Option<&str>) -> Result<Vec<KeyInfo>> {
    let name = user.map(normalise_user_name).transpose()?;
    db.read(|sql| {
        let base = "SELECT u.name, k.algorithm, k.fingerprint, k.comment, k.added_at, k.added_by \
                    FROM user_ssh_key k JOIN kis_user u ON u.id = k.user_id";
        let rows = match &name {
            Some(n) => sql.query(
                &format!("{base} WHERE u.name = ? ORDER BY k.added_at, k.id"),
                &params![n.as_str()],
            )?,
            None => sql.query(&format!("{base} ORDER BY u.name, k.added_at, k.id"), &[])?,
        };
        rows.iter()
            .map(|r| {
                Ok(KeyInfo {
                    user: r.str(0)?,
                    algorithm: r.str(1)?,
                    fingerprint: r.str(2)?,
                    comment: r.str(3)?,
                    added_at: r.str(4)?,
                    added_by: r.str(5)?,
                })
            })
            .collect()
    })
}

/// Remove a user's key by its fingerprint.
pub fn remove_key(db: &Db, by: &AdminActor, user: &str, fp: &str) -> Result<()> {
    let name = normalise_user_name(user)?;
    let actor = by.actor(db, "")?;
    db.write(|sql| {
        let uid = user_id(sql, &name)?;
        let n = sql.execute(
            "DELETE FROM user_ssh_key WHERE user_id = ? AND fingerprint = ?",
            &params![uid, fp.trim()],
        )?;
        if n == 0 {
            return Err(KisError::NotFound(format!(
                "Benutzer {name} hat keinen Schlüssel {}.",
                fp.trim()
            )));
        }
        audit::append(
            sql,
            &actor,
            "SSH_SCHLUESSEL_ENTFERNT",
            "kis_user",
            &name,
            Some(&json!({ "fingerprint": fp.trim() })),
            None,
        )?;
        Ok(())
    })
}

fn active_user(
    sql: &mut dyn Sql,
    where_sql: &str,
    args: &[crate::store::Value],
) -> Result<Option<UserInfo>> {
    let q = format!(
        "SELECT u.id, u.name, u.full_name FROM kis_user u WHERE u.active = 1 AND {where_sql}"
    );
    match sql.query_opt(&q, args)? {
        Some(r) => Ok(Some(UserInfo {
            id: r.i64(0)?,
            name: r.str(1)?,
            full_name: r.str(2)?,
        })),
        None => Ok(None),
    }
}

/// The active KIS user named `login` if `key` is one of their keys. The SSH
/// user name must be the KIS user whose key it is.
pub fn user_for_key(db: &Db, login: &str, key: &PublicKey) -> Result<Option<UserInfo>> {
    let Ok(name) = normalise_user_name(login) else {
        return Ok(None);
    };
    let fp = fingerprint(key);
    db.read(|sql| {
        active_user(
            sql,
            "u.name = ? AND EXISTS (SELECT 1 FROM user_ssh_key k WHERE k.user_id = u.id AND k.fingerprint = ?)",
            &params![name.as_str(), fp.as_str()],
        )
    })
}

/// Check a Unix login name: what OpenSSH may hand over in `$USER`.
fn normalise_login(login: &str) -> Result<String> {
    let l = login.trim();
    let ok = (1..=32).contains(&l.chars().count())
        && l.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !l.starts_with('-');
    if ok {
        Ok(l.to_string())
    } else {
        Err(KisError::field(
            "login",
            format!(
                "Unix-Anmeldename „{}“ ungültig.",
                crate::core::sanitize::sanitize_line(l)
            ),
        ))
    }
}

/// Map a Unix login name to a KIS user (replaces an earlier mapping of that login).
pub fn map_login(
    db: &Db,
    by: &AdminActor,
    user: &str,
    unix_login: &str,
    trusted: bool,
) -> Result<()> {
    let name = normalise_user_name(user)?;
    let login = normalise_login(unix_login)?;
    let actor = by.actor(db, "")?;
    db.write(|sql| {
        let uid = user_id(sql, &name)?;
        let before = sql
            .query_opt(
                "SELECT u.name, m.trusted FROM user_ssh_login m JOIN kis_user u ON u.id = m.user_id WHERE m.unix_login = ?",
                &params![login.as_str()],
            )?
            .map(|r| Ok::<_, KisError>(json!({ "benutzer": r.str(0)?, "vertraut": r.bool(1)? })))
            .transpose()?;
        sql.execute("DELETE FROM user_ssh_login WHERE unix_login = ?", &params![login.as_str()])?;
        sql.execute(
            "INSERT INTO user_ssh_login (unix_login, user_id, trusted, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
            &params![login.as_str(), uid, trusted as i64, ts(&actor), actor.user.as_str()],
        )?;
        audit::append(
            sql,
            &actor,
            "SSH_LOGIN_ZUGEORDNET",
            "user_ssh_login",
            &login,
            before.as_ref(),
            Some(&json!({ "benutzer": name, "vertraut": trusted })),
        )?;
        Ok(())
    })
}

/// Remove the mapping of a Unix login name.
pub fn unmap_login(db: &Db, by: &AdminActor, unix_login: &str) -> Result<()> {
    let login = normalise_login(unix_login)?;
    let actor = by.actor(db, "")?;
    db.write(|sql| {
        let n = sql.execute(
            "DELETE FROM user_ssh_login WHERE unix_login = ?",
            &params![login.as_str()],
        )?;
        if n == 0 {
            return Err(KisError::NotFound(format!(
                "Für den Unix-Anmeldenamen {login} gibt es keine Zuordnung."
            )));
        }
        audit::append(
            sql,
            &actor,
            "SSH_LOGIN_ENTFERNT",
            "user_ssh_login",
            &login,
            None,
            None,
        )?;
        Ok(())
    })
}

pub fn list_logins(db: &Db) -> Result<Vec<LoginMapping>> {
    db.read(|sql| {
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
    })
}

/// The active KIS user a Unix login maps to, and whether the mapping is trusted.
pub fn user_for_login(db: &Db, unix_login: &str) -> Result<Option<(UserInfo, bool)>> {
    let Ok(login) = normalise_login(unix_login) else {
        return Ok(None);
    };
    db.read(|sql| {
        let Some(r) = sql.query_opt(
            "SELECT u.id, u.name, u.full_name, m.trusted FROM user_ssh_login m JOIN kis_user u ON u.id = m.user_id \
             WHERE m.unix_login = ? AND u.active = 1",
            &params![login.as_str()],
        )?
        else {
            return Ok(None);
        };
        Ok(Some((UserInfo { id: r.i64(0)?, name: r.str(1)?, full_name: r.str(2)? }, r.bool(3)?)))
    })
}
