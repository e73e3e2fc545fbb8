//! The audit log's anchor outside the store: the HMAC key (from the
//! environment, a key file or the default file beside the store) and the
//! checkpoint file. No database here — `store` holds an [`Anchor`] and the
//! audit service in `kernel::audit` uses it to sign and verify the chain.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::error::{KisError, Result};

/// Environment: the audit key as hex (at least 32 bytes).
pub const KEY_VAR: &str = "KIS_AUDIT_KEY";
/// Environment: a file holding the audit key as hex.
pub const KEY_FILE_VAR: &str = "KIS_AUDIT_KEY_FILE";
/// Environment: the checkpoint file.
pub const CHECKPOINT_FILE_VAR: &str = "KIS_AUDIT_CHECKPOINT_FILE";
/// Environment: a checkpoint every N entries.
pub const CHECKPOINT_EVERY_VAR: &str = "KIS_AUDIT_CHECKPOINT_EVERY";
/// Default distance between automatic checkpoints.
pub const DEFAULT_CHECKPOINT_EVERY: i64 = 100;
/// Minimum key length in bytes.
const MIN_KEY_BYTES: usize = 32;

/// Where the key and the checkpoints of a store come from. `None` fields
/// take the defaults of the store (see [`Anchor::for_sqlite`] and
/// [`Anchor::for_postgres`]).
#[derive(Clone, Debug, Default)]
pub struct AuditSettings {
    /// The key itself, as hex (from `KIS_AUDIT_KEY`).
    pub key_hex: Option<String>,
    /// A key file (from `KIS_AUDIT_KEY_FILE`).
    pub key_file: Option<PathBuf>,
    /// The checkpoint file (from `KIS_AUDIT_CHECKPOINT_FILE`).
    pub checkpoint_file: Option<PathBuf>,
    /// A checkpoint every N entries (from `KIS_AUDIT_CHECKPOINT_EVERY`).
    pub checkpoint_every: Option<i64>,
}

impl AuditSettings {
    /// The settings from the environment variables.
    pub fn from_env() -> AuditSettings {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        AuditSettings {
            key_hex: var(KEY_VAR),
            key_file: var(KEY_FILE_VAR).map(PathBuf::from),
            checkpoint_file: var(CHECKPOINT_FILE_VAR).map(PathBuf::from),
            // An unreadable number is reported when the anchor is used.
            checkpoint_every: var(CHECKPOINT_EVERY_VAR)
                .map(|v| v.trim().parse::<i64>().unwrap_or(0)),
        }
    }
}

#[derive(Debug)]
enum KeySource {
    /// Given in the environment (already checked).
    Bytes(Vec<u8>),
    /// A key file; created on first use while the log has no keyed entry.
    File(PathBuf),
    /// No usable key; the message says why.
    Unusable(String),
}

/// The store's audit key and checkpoint file: everything that anchors the
/// chain outside the database. Part of every [`Db`]; loaded lazily.
#[derive(Debug)]
pub struct Anchor {
    key_source: KeySource,
    pub(crate) checkpoints: std::result::Result<PathBuf, String>,
    pub(crate) every: std::result::Result<i64, String>,
    pub(crate) key: OnceLock<Vec<u8>>,
    /// Serialises key creation and checkpoint writes within the process.
    pub(crate) file_lock: Mutex<()>,
    /// The last checkpoint that could not be written after a commit.
    pub(crate) checkpoint_error: Mutex<Option<String>>,
}

fn parse_key(hex_text: &str, origin: &str) -> std::result::Result<Vec<u8>, String> {
    let key = hex::decode(hex_text.trim())
        .map_err(|_| format!("Audit-Schlüssel in {origin} ist keine Hex-Zeichenfolge."))?;
    if key.len() < MIN_KEY_BYTES {
        return Err(format!(
            "Audit-Schlüssel in {origin} ist zu kurz ({} Bytes, mindestens {MIN_KEY_BYTES}).",
            key.len()
        ));
    }
    Ok(key)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

impl Anchor {
    pub(crate) fn new(
        settings: &AuditSettings,
        default_key: std::result::Result<PathBuf, String>,
        default_checkpoints: std::result::Result<PathBuf, String>,
    ) -> Anchor {
        let key_source = if let Some(hex_text) = &settings.key_hex {
            match parse_key(hex_text, KEY_VAR) {
                Ok(k) => KeySource::Bytes(k),
                Err(m) => KeySource::Unusable(m),
            }
        } else if let Some(file) = &settings.key_file {
            KeySource::File(file.clone())
        } else {
            match default_key {
                Ok(file) => KeySource::File(file),
                Err(m) => KeySource::Unusable(m),
            }
        };
        let checkpoints = match &settings.checkpoint_file {
            Some(f) => Ok(f.clone()),
            None => default_checkpoints,
        };
        let every = match settings.checkpoint_every {
            None => Ok(DEFAULT_CHECKPOINT_EVERY),
            Some(n) if n >= 1 => Ok(n),
            Some(_) => Err(format!(
                "{CHECKPOINT_EVERY_VAR} muss eine ganze Zahl ab 1 sein."
            )),
        };
        Anchor {
            key_source,
            checkpoints,
            every,
            key: OnceLock::new(),
            file_lock: Mutex::new(()),
            checkpoint_error: Mutex::new(None),
        }
    }

    /// A SQLite store at `db_path`: by default the key in `PATH.audit-key`
    /// and the checkpoints in `PATH.audit-checkpoints`, beside the file.
    pub fn for_sqlite(settings: &AuditSettings, db_path: &Path) -> Anchor {
        Anchor::new(
            settings,
            Ok(with_suffix(db_path, ".audit-key")),
            Ok(with_suffix(db_path, ".audit-checkpoints")),
        )
    }

    /// A PostgreSQL store: there is no file beside it, so the defaults are
    /// `<ident>.audit-key` and `<ident>.audit-checkpoints` in the service
    /// account's configuration directory (`$XDG_CONFIG_HOME/kis` or
    /// `~/.config/kis`); `ident` names server, database and schema.
    pub fn for_postgres(settings: &AuditSettings, ident: &str) -> Anchor {
        let clean: String = ident
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let dir = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|d| !d.is_empty())
                    .map(|h| PathBuf::from(h).join(".config"))
            })
            .map(|d| d.join("kis"));
        let missing = || {
            format!(
                "Audit-Schlüssel fehlt: für PostgreSQL bitte {KEY_VAR} oder {KEY_FILE_VAR} setzen                  (kein Konfigurationsverzeichnis des Dienstkontos gefunden)."
            )
        };
        Anchor::new(
            settings,
            dir.as_ref()
                .map(|d| d.join(format!("{clean}.audit-key")))
                .ok_or_else(missing),
            dir.as_ref()
                .map(|d| d.join(format!("{clean}.audit-checkpoints")))
                .ok_or_else(|| {
                    format!(
                        "Keine Prüfpunktdatei: für PostgreSQL bitte {CHECKPOINT_FILE_VAR} setzen."
                    )
                }),
        )
    }

    /// Where the key comes from, for messages.
    pub fn key_origin(&self) -> String {
        match &self.key_source {
            KeySource::Bytes(_) => KEY_VAR.to_string(),
            KeySource::File(f) => f.display().to_string(),
            KeySource::Unusable(m) => m.clone(),
        }
    }

    /// The checkpoint file, if one is configured.
    pub fn checkpoint_file(&self) -> Option<&Path> {
        self.checkpoints.as_deref().ok()
    }

    /// The key. `may_create`: the log has no keyed entry yet, so a missing
    /// key file may be created (mode 0600); otherwise a missing key is an
    /// error, because entries written with a new key could never be checked
    /// together with the old ones.
    pub(crate) fn key(&self, may_create: bool) -> Result<&[u8]> {
        if let Some(k) = self.key.get() {
            return Ok(k);
        }
        let _guard = self.file_lock.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = self.key.get() {
            return Ok(k);
        }
        let key = match &self.key_source {
            KeySource::Bytes(k) => k.clone(),
            KeySource::Unusable(m) => return Err(KisError::System(m.clone())),
            KeySource::File(path) => match std::fs::read_to_string(path) {
                Ok(text) => {
                    parse_key(&text, &path.display().to_string()).map_err(KisError::System)?
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
                    create_key_file(path)?
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(KisError::System(format!(
                        "Audit-Schlüssel fehlt: {} – das Protokoll enthält bereits signierte                          Einträge, die sich ohne diesen Schlüssel weder prüfen noch fortsetzen                          lassen. Bitte die Schlüsseldatei aus der Sicherung zurückspielen                          (oder {KEY_VAR}/{KEY_FILE_VAR} setzen); bis dahin wird nichts geändert.",
                        path.display()
                    )));
                }
                Err(e) => {
                    return Err(KisError::System(format!(
                        "Audit-Schlüssel {} nicht lesbar: {e}",
                        path.display()
                    )));
                }
            },
        };
        Ok(self.key.get_or_init(|| key))
    }

    /// Warnings about the key file's permissions (readable by others).
    pub(crate) fn key_warnings(&self) -> Vec<String> {
        #[cfg(unix)]
        if let KeySource::File(path) = &self.key_source {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(path)
                && meta.permissions().mode() & 0o077 != 0
            {
                return vec![format!(
                    "Die Schlüsseldatei {} ist für andere lesbar (Modus {:o}); bitte chmod 600.",
                    path.display(),
                    meta.permissions().mode() & 0o777
                )];
            }
        }
        Vec::new()
    }

    pub(crate) fn every(&self) -> i64 {
        *self.every.as_ref().unwrap_or(&DEFAULT_CHECKPOINT_EVERY)
    }

    /// Append one checkpoint line `seq;mac;timestamp`; returns the timestamp.
    pub(crate) fn write_checkpoint(&self, seq: i64, mac: &str) -> Result<String> {
        let path = self
            .checkpoints
            .as_ref()
            .map_err(|m| KisError::System(m.clone()))?;
        let _guard = self.file_lock.lock().unwrap_or_else(|e| e.into_inner());
        let at = chrono::Local::now()
            .naive_local()
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string();
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|e| {
            KisError::System(format!(
                "Prüfpunktdatei {} nicht beschreibbar: {e}",
                path.display()
            ))
        })?;
        file.write_all(format!("{seq};{mac};{at}\n").as_bytes())
            .and_then(|_| file.sync_data())
            .map_err(|e| KisError::System(format!("Prüfpunktdatei {}: {e}", path.display())))?;
        Ok(at)
    }

    /// Called by the store after a write transaction committed that asked
    /// for a checkpoint. The change is committed already, so a failure
    /// cannot undo it: it is remembered and reported by [`verify_report`].
    pub fn checkpoint_after_commit(&self, seq: i64, mac: &str) {
        let result = self.write_checkpoint(seq, mac);
        let mut last = self
            .checkpoint_error
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *last = result.err().map(|e| e.to_string());
    }

    /// The checkpoints in the file, by sequence number; none if it is absent.
    pub(crate) fn read_checkpoints(&self) -> Result<BTreeMap<i64, Vec<Checkpoint>>> {
        let mut map: BTreeMap<i64, Vec<Checkpoint>> = BTreeMap::new();
        let Ok(path) = &self.checkpoints else {
            return Ok(map);
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(map),
            Err(e) => {
                return Err(KisError::System(format!(
                    "Prüfpunktdatei {} nicht lesbar: {e}",
                    path.display()
                )));
            }
        };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || {
                KisError::System(format!(
                    "Prüfpunktdatei {} Zeile {}: erwartet „Nummer;Prüfsumme;Zeitpunkt“.",
                    path.display(),
                    i + 1
                ))
            };
            let mut parts = line.split(';');
            let (Some(seq), Some(mac), Some(at), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad());
            };
            let seq: i64 = seq.trim().parse().map_err(|_| bad())?;
            let mac = mac.trim();
            if seq < 1 || mac.len() != 64 || !mac.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad());
            }
            map.entry(seq).or_default().push(Checkpoint {
                seq,
                mac: mac.to_ascii_lowercase(),
                at: at.trim().to_string(),
            });
        }
        Ok(map)
    }
}

/// A checkpoint: the chain's MAC at entry `seq`, as written outside the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub mac: String,
    pub at: String,
}

fn create_key_file(path: &Path) -> Result<Vec<u8>> {
    use rand::RngCore;
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            KisError::System(format!(
                "Verzeichnis {} für den Audit-Schlüssel nicht anlegbar: {e}",
                dir.display()
            ))
        })?;
    }
    let mut key = vec![0u8; MIN_KEY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(format!("{}\n", hex::encode(&key)).as_bytes())
                .and_then(|_| file.sync_all())
                .map_err(|e| {
                    KisError::System(format!(
                        "Audit-Schlüssel {} nicht schreibbar: {e}",
                        path.display()
                    ))
                })?;
            Ok(key)
        }
        // Another process created it meanwhile: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path)?;
            parse_key(&text, &path.display().to_string()).map_err(KisError::System)
        }
        Err(e) => Err(KisError::System(format!(
            "Audit-Schlüssel {} nicht anlegbar: {e}",
            path.display()
        ))),
    }
}
