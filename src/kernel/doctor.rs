//! `kis doctor` and the checks in KIS900: is the installation healthy?
//! Each check gives a verdict (OK / WARNUNG / FEHLER) and one German line.

use std::path::Path;

use chrono::NaiveDateTime;

use crate::kernel::audit::{self, Verdict as AuditVerdict};
use crate::kernel::locks;
use crate::schema;
use crate::store::{Db, migrate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Warnung,
    Fehler,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ok => "OK",
            Verdict::Warnung => "WARNUNG",
            Verdict::Fehler => "FEHLER",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub verdict: Verdict,
    pub detail: String,
}

fn check(name: &'static str, verdict: Verdict, detail: impl Into<String>) -> Check {
    Check {
        name,
        verdict,
        detail: detail.into(),
    }
}

/// Free space below this is an error, below the warning level a warning.
const DISK_ERROR_BYTES: u64 = 200 * 1024 * 1024;
const DISK_WARN_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// All checks for the store at `url` (opened without migrating it).
pub fn run(url: &str, now: NaiveDateTime) -> Vec<Check> {
    // A missing SQLite file is reported, never created.
    match Db::open_existing(url) {
        Ok(Some(db)) => {
            let mut out = vec![check("Speicher erreichbar", Verdict::Ok, db.describe())];
            out.extend(checks(&db, now));
            out
        }
        Ok(None) => {
            let path = url.trim().trim_start_matches("sqlite:");
            let path = path.strip_prefix("//").unwrap_or(path);
            vec![check(
                "Speicher erreichbar",
                Verdict::Fehler,
                format!("SQLite-Datei {path} fehlt"),
            )]
        }
        Err(e) => vec![check("Speicher erreichbar", Verdict::Fehler, e.to_string())],
    }
}

/// The checks on an open store (also shown in KIS900).
pub fn checks(db: &Db, now: NaiveDateTime) -> Vec<Check> {
    let mut out = Vec::new();
    match migrate::status(db, &schema::migrations()) {
        Ok(st) => {
            let current = st
                .current
                .map(|v| v.to_string())
                .unwrap_or_else(|| "– (leer)".into());
            let v = if st.current.is_some() {
                Verdict::Ok
            } else {
                Verdict::Fehler
            };
            out.push(check(
                "Schemaversion",
                v,
                format!("{current} (Programm kennt {})", st.latest),
            ));
            if st.pending.is_empty() {
                out.push(check("Migrationen", Verdict::Ok, "keine ausstehend"));
            } else {
                let list = st
                    .pending
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(check(
                    "Migrationen",
                    Verdict::Warnung,
                    format!("ausstehend: {list} – „kis db migrate“ ausführen"),
                ));
            }
        }
        Err(e) => out.push(check("Schemaversion", Verdict::Fehler, e.to_string())),
    }
    match audit::verify_report(db) {
        Ok(audit::Report {
            verdict: AuditVerdict::Intact { entries },
            checkpoints,
            warnings,
            ..
        }) => out.push(if warnings.is_empty() {
            check(
                "Protokoll (Hash-Kette)",
                Verdict::Ok,
                format!("intakt, {entries} Einträge, {checkpoints} Prüfpunkte"),
            )
        } else {
            check(
                "Protokoll (Hash-Kette)",
                Verdict::Warnung,
                format!("intakt, {entries} Einträge; {}", warnings.join(" ")),
            )
        }),
        Ok(audit::Report {
            verdict: AuditVerdict::Broken { seq, reason },
            ..
        }) => out.push(check(
            "Protokoll (Hash-Kette)",
            Verdict::Fehler,
            format!("defekt ab Eintrag {seq}: {reason}"),
        )),
        Err(e) => out.push(check(
            "Protokoll (Hash-Kette)",
            Verdict::Fehler,
            e.to_string(),
        )),
    }
    out.push(match db.sqlite_path() {
        Some(path) => disk_check(&path),
        None => check(
            "Plattenplatz",
            Verdict::Ok,
            "nicht zutreffend (PostgreSQL: Server prüfen)",
        ),
    });
    match locks::all(db, now) {
        Ok(all) => {
            let stale = all.iter().filter(|l| !l.alive).count();
            let alive = all.len() - stale;
            if stale == 0 {
                out.push(check(
                    "Datensatzsperren",
                    Verdict::Ok,
                    format!("{alive} aktiv, keine verwaisten"),
                ));
            } else {
                out.push(check(
                    "Datensatzsperren",
                    Verdict::Warnung,
                    format!("{alive} aktiv, {stale} verwaist (Sitzung beendet) – werden beim Start von „kis serve“ entfernt"),
                ));
            }
        }
        Err(e) => out.push(check("Datensatzsperren", Verdict::Fehler, e.to_string())),
    }
    out
}

/// Free space on the file system of the SQLite file.
fn disk_check(file: &Path) -> Check {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match free_bytes(dir) {
        Some((free, total)) => {
            let mb = free / (1024 * 1024);
            let pct = (free * 100).checked_div(total).unwrap_or(0);
            let detail = format!("{mb} MB frei ({pct} %) in {}", dir.display());
            let v = if free < DISK_ERROR_BYTES {
                Verdict::Fehler
            } else if free < DISK_WARN_BYTES || pct < 10 {
                Verdict::Warnung
            } else {
                Verdict::Ok
            };
            check("Plattenplatz", v, detail)
        }
        None => check(
            "Plattenplatz",
            Verdict::Warnung,
            format!("nicht feststellbar für {}", dir.display()),
        ),
    }
}

/// Free bytes (for unprivileged users) and total bytes of a file system.
#[cfg(unix)]
fn free_bytes(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated path and `st` a properly sized out-parameter.
    let rc = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
    if rc != 0 {
        return None;
    }
    let frsize = st.f_frsize as u64;
    Some((st.f_bavail as u64 * frsize, st.f_blocks as u64 * frsize))
}

#[cfg(not(unix))]
fn free_bytes(_dir: &Path) -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_store_is_an_error() {
        let checks = run(
            "sqlite:/nonexistent-dir-kis/x/kis.sqlite",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        );
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].verdict, Verdict::Fehler);
    }

    #[test]
    fn free_space_of_the_temp_dir_is_known() {
        let (free, total) = free_bytes(&std::env::temp_dir()).unwrap();
        assert!(total > 0 && free <= total);
    }
}
