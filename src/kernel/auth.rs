//! Users, passwords (argon2), login, roles per Mandant and the live session
//! rows that keep record locks alive.

use std::collections::BTreeMap;
use std::sync::Arc;

use argon2::password_hash::SaltString;
use argon2::password_hash::rand_core::OsRng;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use chrono::NaiveDateTime;
use serde_json::json;

use crate::core::clock::Clock;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit::{self, Actor};
use crate::kernel::repo::auth as repo;
use crate::kernel::session::{Mandant, Session, UserInfo};
use crate::store::{Db, Sql};

/// A session whose heartbeat is older than this counts as dead: its locks expire.
pub const SESSION_TTL_MINUTES: i64 = 5;

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| KisError::System(format!("Kennwort-Hash: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn ts(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Check a user name: 2–16 letters, digits, `_`, `-`, `.`; stored upper case.
pub fn normalise_user_name(name: &str) -> Result<String> {
    let n = name.trim().to_uppercase();
    let ok = (2..=16).contains(&n.chars().count())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(n)
    } else {
        Err(KisError::field(
            "user",
            format!("Benutzername „{name}“ ungültig: 2 bis 16 Zeichen aus A–Z, 0–9, _ - ."),
        ))
    }
}

pub fn check_password_rules(password: &str) -> Result<()> {
    if password.chars().count() < 4 {
        return Err(KisError::field(
            "password",
            "Das Kennwort muss mindestens 4 Zeichen haben.",
        ));
    }
    Ok(())
}

fn load_mandant(sql: &mut dyn Sql, id: &str) -> Result<Mandant> {
    repo::mandant(sql, id)?
        .ok_or_else(|| KisError::NotFound(format!("Mandant „{id}“ ist nicht vorhanden.")))
}

/// One Mandant inside the caller's transaction.
pub fn mandant_in(sql: &mut dyn Sql, id: &str) -> Result<Mandant> {
    load_mandant(sql, id)
}

/// All Mandanten of the store.
pub fn mandanten(db: &Db) -> Result<Vec<Mandant>> {
    db.read(repo::mandanten)
}

/// The roles of a user per Mandant.
fn roles_of(sql: &mut dyn Sql, user_id: i64) -> Result<BTreeMap<String, Vec<Role>>> {
    let mut out: BTreeMap<String, Vec<Role>> = BTreeMap::new();
    for (mandant, code) in repo::role_rows(sql, user_id)? {
        if let Ok(role) = code.parse::<Role>() {
            out.entry(mandant).or_default().push(role);
        }
    }
    Ok(out)
}

/// Verify user and password and open a session in a Mandant. A failed
/// attempt is logged in the audit log and answered without saying which of
/// user or password was wrong.
pub fn login(
    db: &Db,
    clock: Arc<dyn Clock>,
    user: &str,
    password: &str,
    mandant: Option<&str>,
    client: &str,
) -> Result<Session> {
    let name = user.trim().to_uppercase();
    let found = db.read(|sql| repo::credentials(sql, &name))?;
    let ok = match &found {
        Some(c) => c.active && verify_password(password, &c.password_hash),
        None => {
            // Same work for unknown users, so timing does not tell them apart.
            let _ = verify_password(
                password,
                "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000",
            );
            false
        }
    };
    let Some(row) = found.filter(|_| ok) else {
        let actor = Actor {
            user: name.clone(),
            mandant: mandant.unwrap_or("").to_string(),
            at: clock.now(),
        };
        db.write(|sql| {
            audit::append(
                sql,
                &actor,
                "ANMELDUNG_FEHLGESCHLAGEN",
                "kis_user",
                &name,
                None,
                Some(&json!({ "client": client })),
            )
        })?;
        return Err(KisError::Auth);
    };
    let info = UserInfo {
        id: row.id,
        name: row.name,
        full_name: row.full_name,
    };
    open_session(db, clock, info, mandant, client)
}

/// Open a session for an already authenticated user (login, trusted SSH).
pub fn open_session(
    db: &Db,
    clock: Arc<dyn Clock>,
    user: UserInfo,
    mandant: Option<&str>,
    client: &str,
) -> Result<Session> {
    let (mandant, roles) = db.read(|sql| {
        let by_mandant = roles_of(sql, user.id)?;
        let chosen = match mandant {
            Some(m) => {
                let m = m.trim().to_uppercase();
                by_mandant
                    .keys()
                    .find(|k| k.to_uppercase() == m)
                    .cloned()
                    .ok_or_else(|| {
                        KisError::Permission(format!(
                            "Benutzer {} ist für Mandant {m} nicht berechtigt.",
                            user.name
                        ))
                    })?
            }
            None => match by_mandant.len() {
                0 => {
                    return Err(KisError::Permission(format!(
                        "Benutzer {} hat keine Rolle in einem Mandanten.",
                        user.name
                    )));
                }
                1 => by_mandant.keys().next().cloned().unwrap_or_default(),
                _ => {
                    return Err(KisError::field(
                        "mandant",
                        format!(
                            "Bitte den Mandanten angeben – berechtigt für: {}.",
                            by_mandant.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            },
        };
        let roles = by_mandant.get(&chosen).cloned().unwrap_or_default();
        Ok((load_mandant(sql, &chosen)?, roles))
    })?;
    let id = {
        use rand::RngCore;
        let mut b = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut b);
        hex::encode(b)
    };
    let now = ts(clock.now());
    db.write(|sql| repo::insert_session(sql, &id, user.id, &mandant.id, client, &now))?;
    Ok(Session {
        id,
        db: db.clone(),
        user,
        mandant,
        roles,
        clock,
        client: client.to_string(),
    })
}

/// Mark the session alive and note the mask it shows.
pub fn heartbeat(session: &Session, mask: &str) -> Result<()> {
    let now = ts(session.now());
    session
        .db
        .write(|sql| repo::touch_session(sql, &session.id, &now, mask))
}

/// End a session: its row and its locks go.
pub fn end_session(session: &Session) -> Result<()> {
    session
        .db
        .write(|sql| repo::delete_session(sql, &session.id))
}

/// A live session as shown to support staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    pub id: String,
    pub user: String,
    pub mandant: String,
    pub client: String,
    pub mask: String,
    pub started_at: String,
    pub last_seen: String,
}

/// Sessions seen within the TTL (dead ones are not listed).
pub fn live_sessions(db: &Db, now: NaiveDateTime) -> Result<Vec<SessionInfo>> {
    let cutoff = ts(now - chrono::Duration::minutes(SESSION_TTL_MINUTES));
    db.read(|sql| repo::sessions_since(sql, &cutoff))
}

// ---------------------------------------------------------------------------
// User administration (`kis user …`, KIS administration masks)

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    pub id: i64,
    pub name: String,
    pub full_name: String,
    pub active: bool,
    pub roles: BTreeMap<String, Vec<Role>>,
}

/// Who runs an administration command: a session with the admin role, or
/// the built-in administrator — only on a store without any user (first
/// set-up); once a user exists it is refused, so nobody can fall back to it.
pub enum AdminActor<'a> {
    Session(&'a Session),
    Bootstrap { clock: &'a dyn Clock },
}

impl AdminActor<'_> {
    /// The audit actor, after checking the right to administrate `db`.
    pub fn actor(&self, db: &Db, mandant: &str) -> Result<Actor> {
        match self {
            AdminActor::Session(s) => {
                s.require(&[Role::Admin])?;
                Ok(s.actor())
            }
            AdminActor::Bootstrap { clock } => {
                db.read(bootstrap_allowed_in)?;
                Ok(Actor {
                    user: "KIS".into(),
                    mandant: mandant.into(),
                    at: clock.now(),
                })
            }
        }
    }

    /// Inside a write transaction: the same check again, so a user added
    /// meanwhile closes the door for the built-in administrator.
    fn recheck_in(&self, sql: &mut dyn Sql) -> Result<()> {
        match self {
            AdminActor::Session(_) => Ok(()),
            AdminActor::Bootstrap { .. } => bootstrap_allowed_in(sql),
        }
    }
}

fn bootstrap_allowed_in(sql: &mut dyn Sql) -> Result<()> {
    if users_exist_in(sql)? {
        return Err(KisError::Permission(
            "Der eingebaute Administrator ist nur für die Ersteinrichtung eines Speichers ohne \
             Benutzer da. Bitte mit --user als Benutzer mit der Rolle ADMIN anmelden."
                .into(),
        ));
    }
    Ok(())
}

fn users_exist_in(sql: &mut dyn Sql) -> Result<bool> {
    repo::users_exist(sql)
}

/// Whether the store has any user (else the built-in administrator may set
/// it up).
pub fn has_users(db: &Db) -> Result<bool> {
    db.read(users_exist_in)
}

/// Whether any user holds the administration role.
pub fn has_admin(db: &Db) -> Result<bool> {
    db.read(|sql| repo::role_held(sql, Role::Admin.code()))
}

pub fn add_user(
    db: &Db,
    by: &AdminActor,
    name: &str,
    full_name: &str,
    password: &str,
) -> Result<i64> {
    let name = normalise_user_name(name)?;
    check_password_rules(password)?;
    let actor = by.actor(db, "")?;
    let hash = hash_password(password)?;
    db.write(|sql| {
        by.recheck_in(sql)?;
        insert_user_in(sql, &actor, &name, full_name, &hash)
    })
}

/// Insert a user inside an open transaction (also used by the demo loader).
pub fn insert_user_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    name: &str,
    full_name: &str,
    password_hash: &str,
) -> Result<i64> {
    let name = normalise_user_name(name)?;
    if full_name.trim().is_empty() {
        return Err(KisError::field(
            "full_name",
            "Bitte den vollen Namen angeben.",
        ));
    }
    if repo::user_id(sql, &name)?.is_some() {
        return Err(KisError::Conflict(format!(
            "Benutzer {name} gibt es bereits."
        )));
    }
    let id = repo::insert_user(sql, &name, full_name.trim(), password_hash, &ts(actor.at))?;
    audit::append(
        sql,
        actor,
        "BENUTZER_ANGELEGT",
        "kis_user",
        &name,
        None,
        Some(&json!({ "full_name": full_name.trim() })),
    )?;
    Ok(id)
}

pub fn set_password(db: &Db, by: &AdminActor, name: &str, password: &str) -> Result<()> {
    let name = normalise_user_name(name)?;
    check_password_rules(password)?;
    let actor = by.actor(db, "")?;
    let hash = hash_password(password)?;
    db.write(|sql| {
        by.recheck_in(sql)?;
        let n = repo::set_password_hash(sql, &name, &hash)?;
        if n == 0 {
            return Err(KisError::NotFound(format!(
                "Benutzer {name} ist nicht vorhanden."
            )));
        }
        // The hash itself never goes into the log.
        audit::append(
            sql,
            &actor,
            "KENNWORT_GESETZT",
            "kis_user",
            &name,
            None,
            None,
        )?;
        Ok(())
    })
}

/// Replace a user's roles in one Mandant.
pub fn set_roles(
    db: &Db,
    by: &AdminActor,
    name: &str,
    mandant: &str,
    roles: &[Role],
) -> Result<()> {
    let name = normalise_user_name(name)?;
    let actor = by.actor(db, mandant)?;
    db.write(|sql| {
        by.recheck_in(sql)?;
        set_roles_in(sql, &actor, &name, mandant, roles)
    })
}

/// Replace a user's roles inside an open transaction.
pub fn set_roles_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    name: &str,
    mandant: &str,
    roles: &[Role],
) -> Result<()> {
    load_mandant(sql, mandant)?;
    let uid = repo::user_id(sql, name)?
        .ok_or_else(|| KisError::NotFound(format!("Benutzer {name} ist nicht vorhanden.")))?;
    let before: Vec<String> = roles_of(sql, uid)?
        .get(mandant)
        .map(|v| v.iter().map(|r| r.code().to_string()).collect())
        .unwrap_or_default();
    let mut sorted = roles.to_vec();
    sorted.sort();
    sorted.dedup();
    if before.iter().any(|r| r == Role::Admin.code()) && !sorted.contains(&Role::Admin) {
        refuse_losing_last_admin(sql, uid, mandant, name)?;
    }
    let after: Vec<&str> = sorted.iter().map(|r| r.code()).collect();
    repo::replace_roles(sql, uid, mandant, &after)?;
    audit::append(
        sql,
        actor,
        "ROLLEN_GESETZT",
        "kis_user",
        name,
        Some(&json!({ "mandant": mandant, "rollen": before })),
        Some(&json!({ "mandant": mandant, "rollen": after })),
    )?;
    Ok(())
}

/// The store must keep an administrator: taking ADMIN from `uid` in
/// `mandant` is refused unless another active user — or the same user in
/// another Mandant — still holds ADMIN (users are global, so an ADMIN of
/// any Mandant administrates them all).
fn refuse_losing_last_admin(sql: &mut dyn Sql, uid: i64, mandant: &str, name: &str) -> Result<()> {
    let other = repo::role_held_elsewhere(sql, Role::Admin.code(), uid, mandant)?;
    if other {
        return Ok(());
    }
    Err(KisError::Conflict(format!(
        "{name} ist der letzte Benutzer mit der Rolle ADMIN; die Rolle kann nicht entzogen \
         werden. Zuerst einem anderen Benutzer die Rolle ADMIN geben."
    )))
}

pub fn list_users(db: &Db) -> Result<Vec<UserRecord>> {
    db.read(|sql| {
        let rows = repo::users(sql)?;
        rows.into_iter()
            .map(|(id, name, full_name, active)| {
                Ok(UserRecord {
                    id,
                    name,
                    full_name,
                    active,
                    roles: roles_of(sql, id)?,
                })
            })
            .collect()
    })
}

/// Create a Mandant (administration; used by the demo loader).
pub fn add_mandant(db: &Db, by: &AdminActor, m: &Mandant) -> Result<()> {
    let actor = by.actor(db, &m.id)?;
    db.write(|sql| {
        by.recheck_in(sql)?;
        add_mandant_in(sql, &actor, m)
    })
}

pub fn add_mandant_in(sql: &mut dyn Sql, actor: &Actor, m: &Mandant) -> Result<()> {
    repo::insert_mandant(sql, m, &ts(actor.at))?;
    audit::append(
        sql,
        actor,
        "MANDANT_ANGELEGT",
        "mandant",
        &m.id,
        None,
        Some(&json!({ "name": m.name, "ags": m.ags })),
    )?;
    Ok(())
}
