//! Test harness for code that runs against the store: fresh, isolated
//! databases on both backends and the [`store_test!`](crate::store_test)
//! macro that runs one test body on each.
//!
//! - SQLite: a new file in a unique temporary directory, removed when the
//!   [`TestDb`] is dropped.
//! - PostgreSQL: only if `KIS_TEST_PG_URL` is set (e.g.
//!   `postgres://postgres@127.0.0.1:5432/test`); each test gets its own
//!   schema, dropped with `CASCADE` when the [`TestDb`] is dropped. Without the
//!   variable the PostgreSQL variant is skipped with one line of output; with
//!   the variable and an unreachable server it fails.

use std::ops::Deref;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::core::audit_anchor::AuditSettings;
use crate::store::Db;

/// Environment variable with the PostgreSQL server for the tests.
pub const PG_URL_VAR: &str = "KIS_TEST_PG_URL";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A test database; derefs to [`Db`] and cleans up when dropped.
pub struct TestDb {
    db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    Schema {
        url: String,
        schema: String,
        dir: PathBuf,
    },
}

impl Deref for TestDb {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

impl TestDb {
    pub fn db(&self) -> &Db {
        &self.db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Clean-up failures must not mask the test result; leftovers live in
        // the temp directory or in a clearly named schema.
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Schema { url, schema, dir } => {
                let _ = std::fs::remove_dir_all(dir);
                if let Ok(admin) = Db::open(url) {
                    let _ = admin.read(|sql| {
                        // Never hang on a lock a broken test left behind.
                        sql.execute_batch(&format!(
                            "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
                        ))
                    });
                }
            }
        }
    }
}

/// `<pid>_<counter>_<name reduced to [a-z0-9_]>`, unique within the machine.
fn unique_name(name: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(32)
        .collect();
    format!("{}_{n}_{clean}", std::process::id())
}

/// A fresh SQLite database file in a unique temporary directory.
/// Panics if it cannot be created (the test cannot run then).
pub fn sqlite_test_db(name: &str) -> TestDb {
    let dir = std::env::temp_dir().join(format!("kis_t_{}", unique_name(name)));
    let file = dir.join("kis.sqlite");
    let db = Db::open_with(
        &format!("sqlite:{}", file.display()),
        &AuditSettings::default(),
    )
    .unwrap_or_else(|e| {
        panic!(
            "SQLite-Testdatenbank {} nicht anlegbar: {e}",
            file.display()
        )
    });
    TestDb {
        db,
        cleanup: Cleanup::Dir(dir),
    }
}

/// A fresh PostgreSQL schema, or `None` (with one line of output) if
/// `KIS_TEST_PG_URL` is not set. Panics if the server cannot be reached, so
/// the test fails instead of silently passing.
pub fn pg_test_db(name: &str) -> Option<TestDb> {
    let url = match std::env::var(PG_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => {
            println!("PostgreSQL-Test {name} übersprungen: {PG_URL_VAR} nicht gesetzt");
            return None;
        }
    };
    let schema = format!("kis_t_{}", unique_name(name));
    let dir = std::env::temp_dir().join(&schema);
    let audit = pg_audit_settings(&dir);
    let db = Db::open_pg_schema_with(&url, &schema, &audit)
        .unwrap_or_else(|e| panic!("PostgreSQL-Test {name}: Testdatenbank nicht verfügbar: {e}"));
    Some(TestDb {
        db,
        cleanup: Cleanup::Schema { url, schema, dir },
    })
}

/// The audit settings of a PostgreSQL test schema: key and checkpoints in
/// `dir` (created; the key file itself on the first audit entry).
pub fn pg_audit_settings(dir: &std::path::Path) -> AuditSettings {
    std::fs::create_dir_all(dir)
        .unwrap_or_else(|e| panic!("Testverzeichnis {} nicht anlegbar: {e}", dir.display()));
    AuditSettings {
        key_file: Some(dir.join("audit-key")),
        checkpoint_file: Some(dir.join("audit-checkpoints")),
        ..AuditSettings::default()
    }
}

/// The demo municipality in a test database, on a fixed working day:
/// migrates, loads Musterstadt (password hashes are computed once per
/// process) and returns the clock the sessions of the test share.
pub fn demo_env(
    db: &Db,
    today: chrono::NaiveDate,
) -> std::sync::Arc<crate::core::clock::FixedClock> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static HASHES: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let clock = std::sync::Arc::new(crate::core::clock::FixedClock::on(today));
    crate::store::migrate::migrate(db, &crate::schema::migrations()).expect("Migration");
    let hash = |pw: &str| -> crate::core::error::Result<String> {
        let cache = HASHES.get_or_init(|| Mutex::new(HashMap::new()));
        let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(h) = map.get(pw) {
            return Ok(h.clone());
        }
        let h = crate::kernel::auth::hash_password(pw)?;
        map.insert(pw.to_string(), h.clone());
        Ok(h)
    };
    crate::demo::load_with(db, clock.as_ref(), &hash).expect("Demo laden");
    clock
}

/// A session of a demo user without the password round (argon2 verification
/// is tested in the kernel tests; here it would only cost time).
pub fn session(
    db: &Db,
    clock: std::sync::Arc<crate::core::clock::FixedClock>,
    user: &str,
) -> crate::kernel::session::Session {
    let row = db
        .read(|sql| {
            sql.query_one(
                "SELECT id, name, full_name FROM kis_user WHERE name = ?",
                &crate::params![user.to_uppercase()],
            )
        })
        .expect("Benutzer vorhanden");
    let info = crate::kernel::session::UserInfo {
        id: row.i64(0).expect("id"),
        name: row.str(1).expect("name"),
        full_name: row.str(2).expect("full_name"),
    };
    crate::kernel::auth::open_session(db, clock, info, None, "test").expect("Sitzung")
}

pub mod ui;

/// Run a test body on a database; lets the closure in [`store_test!`](crate::store_test)
/// be written with or without a type annotation.
pub fn run_on<F: FnOnce(&Db)>(db: &Db, body: F) {
    body(db)
}

/// `store_test!(name, |db: &Db| { ... })` generates a module `name` with
/// `#[test] fn sqlite()` and `#[test] fn postgres()`, each running the body
/// against a fresh database of its backend (the PostgreSQL one is skipped
/// without `KIS_TEST_PG_URL`). The body returns `()`; a panic fails the test.
/// Items of the surrounding module are visible inside the body.
#[macro_export]
macro_rules! store_test {
    ($name:ident, $body:expr $(,)?) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() {
                let db = $crate::testing::sqlite_test_db(::std::stringify!($name));
                $crate::testing::run_on(&db, $body);
            }

            #[test]
            fn postgres() {
                if let ::std::option::Option::Some(db) =
                    $crate::testing::pg_test_db(::std::stringify!($name))
                {
                    $crate::testing::run_on(&db, $body);
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_clean() {
        let a = unique_name("Straße Nr. 1");
        let b = unique_name("Straße Nr. 1");
        assert_ne!(a, b);
        assert!(a.ends_with("_stra_e_nr__1"), "{a}");
    }

    #[test]
    fn sqlite_test_db_is_removed_on_drop() {
        let db = sqlite_test_db("aufraeumen");
        let path = db.sqlite_path().unwrap();
        assert!(path.exists());
        drop(db);
        assert!(!path.parent().unwrap().exists());
    }

    crate::store_test!(macro_runs_on_each_backend, |db: &Db| {
        let n = db
            .read(|sql| sql.query_one("SELECT 40 + 2", &[]))
            .unwrap()
            .i64(0)
            .unwrap();
        assert_eq!(n, 42);
    });
}
