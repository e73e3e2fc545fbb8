//! [`Db`]: the shared handle to one store (SQLite file or PostgreSQL database).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use postgres::config::Host;

use super::pg::{self, PgConn};
use super::pool::{Conn, Pool};
use super::sqlite::SqliteConn;
use super::tx::TxSql;
use super::{Backend, Sql};
use crate::core::audit_anchor::{Anchor, AuditSettings};
use crate::core::error::{KisError, Result};

/// Pool sizes: SQLite has one writer anyway; PostgreSQL serves more sessions.
const SQLITE_POOL: usize = 8;
const PG_POOL: usize = 16;
/// Connect timeout when the URL does not set one.
const PG_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A handle to the store; cheap to clone and shared across threads.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    target: Target,
    description: String,
    pool: Pool,
    /// The audit key and checkpoint file, outside the database.
    audit: Anchor,
}

/// What new pool connections connect to.
#[derive(Clone)]
enum Target {
    Sqlite(PathBuf),
    Postgres {
        config: Box<postgres::Config>,
        schema: Option<String>,
        /// `user@host:port/db`, for messages.
        address: String,
    },
}

impl Target {
    fn connect(&self) -> Result<Conn> {
        match self {
            // The file exists once the store is open: a pooled connection
            // never creates it again (a deleted file stays an error).
            Target::Sqlite(path) => SqliteConn::open(path, false).map(Conn::Sqlite),
            Target::Postgres {
                config,
                schema,
                address,
            } => PgConn::connect(config, schema.as_deref(), address).map(|c| Conn::Pg(Box::new(c))),
        }
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({})", self.inner.description)
    }
}

impl Db {
    /// Open or create a store: `sqlite:PATH` (relative paths are resolved
    /// against the current directory; a missing file and missing parent
    /// directories are created) or `postgres://user[:password]@host[:port]/db`
    /// / `postgresql://…`. In-memory SQLite is not supported (each pooled
    /// connection would see its own empty database) — use a temporary file.
    /// For set-up (`kis db init`, `--neu`) and tests; everything else opens
    /// with [`Db::open_existing`].
    ///
    /// The audit key and checkpoint file come from the environment
    /// ([`AuditSettings::from_env`]) or the store's defaults.
    pub fn open(url: &str) -> Result<Db> {
        Db::open_with(url, &AuditSettings::from_env())
    }

    /// [`Db::open`] with explicit audit settings (the environment is not read).
    pub fn open_with(url: &str, audit: &AuditSettings) -> Result<Db> {
        Db::open_url(url, true, audit)?
            .ok_or_else(|| KisError::System("SQLite-Datei fehlt.".into()))
    }

    /// Open a store that exists: `Ok(None)` if the SQLite file does not
    /// exist — then nothing is created, neither the file nor a directory.
    /// (Connecting to PostgreSQL never creates a database.)
    pub fn open_existing(url: &str) -> Result<Option<Db>> {
        Db::open_url(url, false, &AuditSettings::from_env())
    }

    fn open_url(url: &str, create: bool, audit: &AuditSettings) -> Result<Option<Db>> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix("sqlite:") {
            return Db::open_sqlite(path.strip_prefix("//").unwrap_or(path), create, audit);
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Db::open_pg(url, None, audit).map(Some);
        }
        Err(KisError::validation(
            "Unbekannte Datenbankadresse. Erlaubt sind 'sqlite:PFAD' (z. B. sqlite:daten/kis.sqlite) \
             oder 'postgres://benutzer@host:port/datenbank'.",
        ))
    }

    /// PostgreSQL with every connection's `search_path` set to `schema`
    /// (created if absent) — used by tests for isolation.
    pub fn open_pg_schema(url: &str, schema: &str) -> Result<Db> {
        Db::open_pg_schema_with(url, schema, &AuditSettings::from_env())
    }

    /// [`Db::open_pg_schema`] with explicit audit settings.
    pub fn open_pg_schema_with(url: &str, schema: &str, audit: &AuditSettings) -> Result<Db> {
        let url = url.trim();
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(KisError::validation(
                "Ein Schema gibt es nur bei PostgreSQL-Adressen (postgres://…).",
            ));
        }
        if schema.is_empty() {
            return Err(KisError::validation("Der Schemaname darf nicht leer sein."));
        }
        Db::open_pg(url, Some(schema), audit)
    }

    fn open_sqlite(path: &str, create: bool, audit: &AuditSettings) -> Result<Option<Db>> {
        if path.is_empty() {
            return Err(KisError::validation(
                "Bei 'sqlite:' fehlt der Pfad der Datenbankdatei (z. B. sqlite:daten/kis.sqlite).",
            ));
        }
        if path == ":memory:" || path.starts_with("file::memory:") || path.contains("mode=memory") {
            return Err(KisError::validation(
                "Eine SQLite-Datenbank im Arbeitsspeicher wird nicht unterstützt; bitte eine \
                 (temporäre) Datei angeben.",
            ));
        }
        let path = std::path::absolute(Path::new(path))
            .map_err(|e| KisError::System(format!("Pfad {path} ungültig: {e}")))?;
        if !create {
            // A file that is not there (a typo in the path) must not turn
            // into a new, empty store.
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => {}
                Ok(_) => {
                    return Err(KisError::validation(format!(
                        "{} ist keine Datenbankdatei.",
                        path.display()
                    )));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => {
                    return Err(KisError::System(format!(
                        "Datenbankdatei {} nicht lesbar: {e}",
                        path.display()
                    )));
                }
            }
        } else if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                KisError::System(format!(
                    "Verzeichnis {} kann nicht angelegt werden: {e}",
                    dir.display()
                ))
            })?;
        }
        let description = format!("SQLite {}", path.display());
        let first = Conn::Sqlite(SqliteConn::open(&path, create)?);
        let anchor = Anchor::for_sqlite(audit, &path);
        let target = Target::Sqlite(path);
        Ok(Some(Db::from_parts(
            target,
            description,
            first,
            SQLITE_POOL,
            anchor,
        )))
    }

    fn open_pg(url: &str, schema: Option<&str>, audit: &AuditSettings) -> Result<Db> {
        // The parse error never echoes the URL, so no password can leak.
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e| KisError::validation(format!("Ungültige PostgreSQL-Adresse: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(PG_CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("kis");
        }
        let address = describe_pg(&config);
        let mut description = format!("PostgreSQL {address}");
        if let Some(schema) = schema {
            description.push_str(&format!(" (Schema {schema})"));
            // Create the schema before any connection points its search path there.
            let mut conn = PgConn::connect(&config, None, &address)?;
            conn.execute_batch(&format!(
                "CREATE SCHEMA IF NOT EXISTS {}",
                pg::quote_ident(schema)
            ))?;
        }
        let ident = match schema {
            Some(schema) => format!("{address}_{schema}"),
            None => address.clone(),
        };
        let anchor = Anchor::for_postgres(audit, &ident);
        let target = Target::Postgres {
            config: Box::new(config),
            schema: schema.map(str::to_owned),
            address,
        };
        let first = target.connect()?;
        Ok(Db::from_parts(target, description, first, PG_POOL, anchor))
    }

    fn from_parts(
        target: Target,
        description: String,
        first: Conn,
        max: usize,
        audit: Anchor,
    ) -> Db {
        Db {
            inner: Arc::new(Inner {
                target,
                description,
                pool: Pool::new(first, max),
                audit,
            }),
        }
    }

    /// A second handle to the same store with other audit settings (its own
    /// pool), e.g. to check the log with another key or checkpoint file.
    pub fn with_audit(&self, audit: &AuditSettings) -> Result<Db> {
        let target = self.inner.target.clone();
        let (anchor, max) = match &target {
            Target::Sqlite(path) => (Anchor::for_sqlite(audit, path), SQLITE_POOL),
            Target::Postgres {
                schema, address, ..
            } => {
                let ident = match schema {
                    Some(schema) => format!("{address}_{schema}"),
                    None => address.clone(),
                };
                (Anchor::for_postgres(audit, &ident), PG_POOL)
            }
        };
        let first = target.connect()?;
        Ok(Db::from_parts(
            target,
            self.inner.description.clone(),
            first,
            max,
            anchor,
        ))
    }

    /// The audit key and checkpoint file of this store.
    pub fn audit_anchor(&self) -> &Anchor {
        &self.inner.audit
    }

    pub fn backend(&self) -> Backend {
        match self.inner.target {
            Target::Sqlite(_) => Backend::Sqlite,
            Target::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Human-readable description without password, e.g.
    /// `SQLite /abs/path/kis.sqlite` or `PostgreSQL postgres@127.0.0.1:5432/test (Schema x)`.
    pub fn describe(&self) -> String {
        self.inner.description.clone()
    }

    /// SQLite: path of the database file; `None` for PostgreSQL.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match &self.inner.target {
            Target::Sqlite(path) => Some(path.clone()),
            Target::Postgres { .. } => None,
        }
    }

    fn connection(&self) -> Result<super::pool::PooledConn<'_>> {
        let inner = &*self.inner;
        inner.pool.get(|| inner.target.connect())
    }

    /// Run `f` on a pooled connection without an explicit transaction (each
    /// statement commits on its own). For reads.
    pub fn read<T>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T>) -> Result<T> {
        let mut conn = self.connection()?;
        f(conn.sql())
    }

    /// Run `f` in one write transaction: SQLite `BEGIN IMMEDIATE` (takes the
    /// write lock up front, waiting up to the busy timeout), PostgreSQL
    /// `BEGIN`. Commits if `f` returns `Ok`, rolls back if it returns `Err`
    /// or panics. A failed statement spoils the whole transaction on both
    /// backends (as PostgreSQL does natively): later statements fail and the
    /// transaction is rolled back with the first error even if `f` caught it.
    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T>) -> Result<T> {
        let mut conn = self.connection()?;
        conn.begin()?;
        // On a panic in `f`, dropping `conn` rolls back.
        let mut tx = TxSql::new(conn.sql(), &self.inner.audit);
        let result = f(&mut tx);
        let (failure, checkpoints) = tx.into_parts();
        match (result, failure) {
            (Ok(value), None) => {
                conn.commit()?;
                for (seq, mac) in checkpoints {
                    self.inner.audit.checkpoint_after_commit(seq, &mac);
                }
                Ok(value)
            }
            // A database error the closure swallowed still aborts the
            // transaction (see `tx.rs`).
            (Ok(_), Some(e)) | (Err(e), _) => {
                // If the rollback fails too, the drop discards the connection.
                let _ = conn.rollback();
                Err(e)
            }
        }
    }
}

fn describe_pg(config: &postgres::Config) -> String {
    let user = config.get_user().unwrap_or("?");
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().unwrap_or(user);
    format!("{user}@{host}:{port}/{db}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unknown_and_memory_urls() {
        for url in ["mysql://x", "", "sqlite:", "sqlite::memory:", "kis.sqlite"] {
            let e = Db::open(url).unwrap_err();
            assert!(matches!(e, KisError::Validation { .. }), "{url}: {e:?}");
        }
    }

    #[test]
    fn open_existing_creates_neither_file_nor_directory() {
        let dir = std::env::temp_dir().join(format!("kis_db_unit_missing_{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = dir.join("sub").join("produktion.sqlit");
        let found = Db::open_existing(&format!("sqlite:{}", file.display())).unwrap();
        assert!(found.is_none());
        assert!(!dir.exists(), "no directory created");
        // Once created on purpose, the same address opens.
        drop(Db::open(&format!("sqlite:{}", file.display())).unwrap());
        let db = Db::open_existing(&format!("sqlite:{}", file.display())).unwrap();
        assert!(db.is_some());
        drop(db);
        // A directory is not a database file.
        let e = Db::open_existing(&format!("sqlite:{}", dir.display())).unwrap_err();
        assert!(matches!(e, KisError::Validation { .. }), "{e:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn describes_pg_without_password() {
        let config: postgres::Config = "postgres://anna:geheim@db.example:6543/kis"
            .parse()
            .unwrap();
        assert_eq!(describe_pg(&config), "anna@db.example:6543/kis");
    }

    #[test]
    fn sqlite_path_is_absolute_and_described() {
        let dir = std::env::temp_dir().join(format!("kis_db_unit_{}", std::process::id()));
        let file = dir.join("sub").join("kis.sqlite");
        let db = Db::open(&format!("sqlite:{}", file.display())).unwrap();
        assert_eq!(db.backend(), Backend::Sqlite);
        assert_eq!(db.sqlite_path().as_deref(), Some(file.as_path()));
        assert_eq!(db.describe(), format!("SQLite {}", file.display()));
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
