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
use crate::kernel::session::{Mandant, Session, UserInfo};
use crate::params;
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
    let r = sql
        .query_opt(
            "SELECT id, name, ags, bundesland, anschrift FROM mandant WHERE id = ?",
            &params![id],
        )?
        .ok_or_else(|| KisError::NotFound(format!("Mandant „{id}“ ist nicht vorhanden.")))?;
    Ok(Mandant {
        id: r.str(0)?,
        name: r.str(1)?,
        ags: r.str(2)?,
        bundesland: r.str(3)?,
        anschrift: r.str(4)?,
    })
}

/// All Mandanten of the store.
pub fn mandanten(db: &Db) -> Result<Vec<Mandant>> {
    db.read(|sql| {
        sql.query(
            "SELECT id, name, ags, bundesland, anschrift FROM mandant ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(Mandant {
                id: r.str(0)?,
                name: r.str(1)?,
                ags: r.str(2)?,
                bundesland: r.str(3)?,
                anschrift: r.str(4)?,
            })
        })
        .collect()
    })
}

/// The roles of a user per Mandant.
fn roles_of(sql: &mut dyn Sql, user_id: i64) -> Result<BTreeMap<String, Vec<Role>>> {
    let mut out: BTreeMap<String, Vec<Role>> = BTreeMap::new();
    for r in sql.query(
        "SELECT mandant, role FROM user_role WHERE user_id = ? ORDER BY mandant, role",
        &params![user_id],
    )? {
        if let Ok(role) = r.str(1)?.parse::<Role>() {
            out.entry(r.str(0)?).or_default().push(role);
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
    let found = db.read(|sql| {
        sql.query_opt(
            "SELECT id, name, full_name, password_hash, active FROM kis_user WHERE name = ?",
            &params![name.as_str()],
        )
    })?;
    let ok = match &found {
        Some(r) => r.bool(4)? && verify_password(password, &r.str(3)?),
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
        id: row.i64(0)?,
        name: row.str(1)?,
        full_name: row.str(2)?,
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
    db.write(|sql| {
        sql.execute(
            "INSERT INTO kis_session (id, user_id, mandant, client, mask, started_at, last_seen) VALUES (?, ?, ?, ?, '', ?, ?)",
            &params![id.as_str(), user.id, mandant.id.as_str(), client, now.as_str(), now.as_str()],
        )
    })?;
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
    session.db.write(|sql| {
        sql.execute(
            "UPDATE kis_session SET last_seen = ?, mask = ? WHERE id = ?",
            &params![now, mask, session.id.as_str()],
        )
        .map(|_| ())
    })
}

/// End a session: its row and its locks go.
pub fn end_session(session: &Session) -> Result<()> {
    session.db.write(|sql| {
        sql.execute(
            "DELETE FROM record_lock WHERE session_id = ?",
            &params![session.id.as_str()],
        )?;
        sql.execute(
            "DELETE FROM kis_session WHERE id = ?",
            &params![session.id.as_str()],
        )?;
        Ok(())
    })
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
    db.read(|sql| {
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
    })
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
    Ok(sql
        .query_opt("SELECT 1 FROM kis_user LIMIT 1", &[])?
        .is_some())
}

/// Whether the store has any user (else the built-in administrator may set
/// it up).
pub fn has_users(db: &Db) -> Result<bool> {
    db.read(users_exist_in)
}

/// Whether any user holds the administration role.
pub fn has_admin(db: &Db) -> Result<bool> {
    db.read(|sql| {
        Ok(sql
            .query_opt(
                "SELECT 1 FROM user_role WHERE role = ? LIMIT 1",
                &params![Role::Admin.code()],
            )?
            .is_some())
    })
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
    if sql
        .query_opt(
            "SELECT id FROM kis_user WHERE name = ?",
            &params![name.as_str()],
        )?
        .is_some()
    {
        return Err(KisError::Conflict(format!(
            "Benutzer {name} gibt es bereits."
        )));
    }
    let id = sql
        .query_one(
            "INSERT INTO kis_user (name, full_name, password_hash, active, created_at) VALUES (?, ?, ?, 1, ?) RETURNING id",
            &params![name.as_str(), full_name.trim(), password_hash, ts(actor.at)],
        )?
        .i64(0)?;
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
        let n = sql.execute(
            "UPDATE kis_user SET password_hash = ?, version = version + 1 WHERE name = ?",
            &params![hash, name.as_str()],
        )?;
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
    let uid = sql
        .query_opt("SELECT id FROM kis_user WHERE name = ?", &params![name])?
        .ok_or_else(|| KisError::NotFound(format!("Benutzer {name} ist nicht vorhanden.")))?
        .i64(0)?;
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
    sql.execute(
        "DELETE FROM user_role WHERE user_id = ? AND mandant = ?",
        &params![uid, mandant],
    )?;
    for r in &sorted {
        sql.execute(
            "INSERT INTO user_role (user_id, mandant, role) VALUES (?, ?, ?)",
            &params![uid, mandant, r.code()],
        )?;
    }
    let after: Vec<&str> = sorted.iter().map(|r| r.code()).collect();
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
    let other = sql
        .query_opt(
            "SELECT 1 FROM user_role r JOIN kis_user u ON u.id = r.user_id \
             WHERE r.role = ? AND u.active = 1 AND NOT (r.user_id = ? AND r.mandant = ?) LIMIT 1",
            &params![Role::Admin.code(), uid, mandant],
        )?
        .is_some();
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
        let rows = sql.query(
            "SELECT id, name, full_name, active FROM kis_user ORDER BY name",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                let id = r.i64(0)?;
                Ok(UserRecord {
                    id,
                    name: r.str(1)?,
                    full_name: r.str(2)?,
                    active: r.bool(3)?,
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
    sql.execute(
        "INSERT INTO mandant (id, name, ags, bundesland, anschrift, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        &params![m.id.as_str(), m.name.as_str(), m.ags.as_str(), m.bundesland.as_str(), m.anschrift.as_str(), ts(actor.at)],
    )?;
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
