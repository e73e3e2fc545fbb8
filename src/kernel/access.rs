//! Who may come in over SSH: public keys registered per KIS user (built-in
//! server) and Unix login names mapped to KIS users (OpenSSH forced command).
//! Every change is made by an administrator and goes into the audit log.

use russh::keys::{HashAlg, PublicKey};
use serde_json::json;

use crate::core::error::{KisError, Result};
use crate::kernel::audit;
use crate::kernel::auth::{AdminActor, normalise_user_name};
use crate::kernel::repo::access as repo;
use crate::kernel::repo::auth as auth_repo;
use crate::kernel::session::UserInfo;
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
    auth_repo::user_id(sql, name)?
        .ok_or_else(|| KisError::NotFound(format!("Benutzer {name} ist nicht vorhanden.")))
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
        if let Some(owner) = repo::key_owner(sql, &fp)? {
            return Err(KisError::Conflict(format!(
                "Dieser Schlüssel ist schon für Benutzer {owner} eingetragen."
            )));
        }
        let row = KeyInfo {
            user: name.clone(),
            algorithm: algorithm.clone(),
            fingerprint: fp.clone(),
            comment: comment.clone(),
            added_at: ts(&actor),
            added_by: actor.user.clone(),
        };
        repo::insert_key(sql, uid, &row, &text)?;
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
    db.read(|sql| repo::keys(sql, name.as_deref()))
}

/// Remove a user's key by its fingerprint.
pub fn remove_key(db: &Db, by: &AdminActor, user: &str, fp: &str) -> Result<()> {
    let name = normalise_user_name(user)?;
    let actor = by.actor(db, "")?;
    db.write(|sql| {
        let uid = user_id(sql, &name)?;
        let n = repo::delete_key(sql, uid, fp.trim())?;
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

/// The active KIS user named `login` if `key` is one of their keys. The SSH
/// user name must be the KIS user whose key it is.
pub fn user_for_key(db: &Db, login: &str, key: &PublicKey) -> Result<Option<UserInfo>> {
    let Ok(name) = normalise_user_name(login) else {
        return Ok(None);
    };
    let fp = fingerprint(key);
    db.read(|sql| repo::active_user_with_key(sql, &name, &fp))
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
        let before = repo::login_mapping(sql, &login)?
            .map(|(benutzer, vertraut)| json!({ "benutzer": benutzer, "vertraut": vertraut }));
        repo::delete_login(sql, &login)?;
        let row = LoginMapping {
            unix_login: login.clone(),
            user: name.clone(),
            trusted,
            added_at: ts(&actor),
            added_by: actor.user.clone(),
        };
        repo::insert_login(sql, uid, &row)?;
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
        let n = repo::delete_login(sql, &login)?;
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
    db.read(repo::logins)
}

/// The active KIS user a Unix login maps to, and whether the mapping is trusted.
pub fn user_for_login(db: &Db, unix_login: &str) -> Result<Option<(UserInfo, bool)>> {
    let Ok(login) = normalise_login(unix_login) else {
        return Ok(None);
    };
    db.read(|sql| repo::active_user_for_login(sql, &login))
}
