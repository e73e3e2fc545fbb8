//! The layering rules of the README's architecture section, checked on the
//! source tree so that a new module cannot quietly break them.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// Source lines without comments.
fn code_lines(p: &Path) -> Vec<String> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(str::to_owned)
        .collect()
}

fn has_sql(lines: &[String]) -> bool {
    const STARTS: [&str; 5] = [
        "SELECT ",
        "INSERT INTO ",
        "DELETE FROM ",
        "CREATE TABLE ",
        "ON CONFLICT ",
    ];
    lines.iter().any(|l| {
        STARTS.iter().any(|k| l.contains(k)) || (l.contains("UPDATE ") && l.contains(" SET "))
    })
}

/// Where SQL may be written: the store, each procedure's and the kernel's
/// repositories, migrations, and the test harness.
fn sql_allowed(rel: &str) -> bool {
    rel.starts_with("src/store/")
        || rel.starts_with("src/testing/")
        || rel.contains("/repo/")
        || rel.ends_with("/repo.rs")
        || rel.contains("/migrations/")
}

#[test]
fn sql_lives_in_repositories_only() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut new_sql = Vec::new();
    for f in &files {
        let r = rel(f);
        if has_sql(&code_lines(f)) && !sql_allowed(&r) {
            new_sql.push(r);
        }
    }
    assert!(
        new_sql.is_empty(),
        "SQL outside a repository (move it into the procedure's repo/): {new_sql:?}"
    );
}

fn files_under(dir: &str) -> Vec<(String, Vec<String>)> {
    let mut files = Vec::new();
    rust_files(&root().join(dir), &mut files);
    files.iter().map(|f| (rel(f), code_lines(f))).collect()
}

/// The code lines under `dirs` that `bad` flags, as "file: line".
fn offending_lines(dirs: &[&str], bad: impl Fn(&str) -> bool) -> Vec<String> {
    let mut offenders = Vec::new();
    for dir in dirs {
        for (f, lines) in files_under(dir) {
            offenders.extend(
                lines
                    .iter()
                    .filter(|l| bad(l))
                    .map(|l| format!("{f}: {}", l.trim())),
            );
        }
    }
    offenders
}

#[test]
fn masks_and_commands_reach_services_only() {
    let offenders = offending_lines(&["src/ui", "src/cli"], |l| {
        l.contains("::repo::") || l.contains("register::") || l.contains("dyn Sql")
    });
    assert!(
        offenders.is_empty(),
        "masks and CLI commands call services, never a repository: {offenders:#?}"
    );
}

#[test]
fn domain_has_no_terminal_code() {
    let dirs = [
        "src/core",
        "src/store",
        "src/kernel",
        "src/ewos",
        "src/finas",
        "src/persos",
    ];
    let offenders = offending_lines(&dirs, |l| {
        l.contains("ratatui") || l.contains("crossterm") || l.contains("crate::ui")
    });
    assert!(
        offenders.is_empty(),
        "terminal code in the domain: {offenders:#?}"
    );
}

#[test]
fn procedures_talk_through_services() {
    // PERSOS and FINAS never read the register's tables or repository; they
    // ask an EWOS service.
    let offenders = offending_lines(&["src/persos", "src/finas"], |l| {
        l.contains("ewo_") || l.contains("ewos::repo") || l.contains("ewos::register")
    });
    assert!(
        offenders.is_empty(),
        "a procedure reaches into EWOS's store: {offenders:#?}"
    );
}

#[test]
fn layers_point_one_way() {
    // Each layer and what it must not import: the pure kernel nothing above
    // it, the store no service, the kernel services no terminal, the
    // terminal layer no CLI or SSH, the masks no terminal driver.
    let rules: [(&str, &[&str]); 8] = [
        (
            "src/core",
            &[
                "crate::store",
                "crate::kernel",
                "crate::ewos",
                "crate::finas",
                "crate::persos",
                "crate::ui",
                "crate::term",
                "crate::ssh",
                "crate::cli",
            ],
        ),
        (
            "src/store",
            &[
                "crate::kernel",
                "crate::ewos",
                "crate::finas",
                "crate::persos",
                "crate::ui",
                "crate::term",
                "crate::ssh",
                "crate::cli",
            ],
        ),
        (
            "src/kernel",
            &[
                "crate::ewos",
                "crate::finas",
                "crate::persos",
                "crate::ui",
                "crate::term",
                "crate::ssh",
                "crate::cli",
            ],
        ),
        (
            "src/ewos",
            &["crate::ui", "crate::term", "crate::ssh", "crate::cli"],
        ),
        (
            "src/finas",
            &["crate::ui", "crate::term", "crate::ssh", "crate::cli"],
        ),
        (
            "src/persos",
            &["crate::ui", "crate::term", "crate::ssh", "crate::cli"],
        ),
        ("src/ui", &["crate::term", "crate::ssh", "crate::cli"]),
        ("src/term", &["crate::ssh", "crate::cli"]),
    ];
    let mut offenders = Vec::new();
    for (dir, forbidden) in rules {
        offenders.extend(offending_lines(&[dir], |l| {
            forbidden.iter().any(|m| l.contains(m))
        }));
    }
    assert!(
        offenders.is_empty(),
        "a layer reaches upwards: {offenders:#?}"
    );
}
