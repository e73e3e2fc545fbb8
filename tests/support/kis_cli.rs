//! The `kis` binary on a test store: one call as a demo user (password =
//! the user's name in lower case) on a fixed day (`KIS_HEUTE`), giving
//! (success, stdout, stderr).

use std::process::Command;

pub struct KisCli {
    pub url: String,
}

impl KisCli {
    /// A store file in `dir` (SQLite).
    pub fn in_dir(dir: &std::path::Path) -> KisCli {
        KisCli {
            url: format!("sqlite:{}", dir.join("kis.sqlite").display()),
        }
    }

    pub fn run(&self, user: Option<&str>, heute: &str, args: &[&str]) -> (bool, String, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kis"));
        cmd.arg("--db").arg(&self.url);
        if let Some(u) = user {
            cmd.arg("--user")
                .arg(u)
                .env("KIS_PASSWORD", u.to_lowercase());
        } else {
            cmd.env_remove("KIS_PASSWORD");
        }
        let o = cmd
            .args(args)
            .env_remove("KIS_DB")
            .env("KIS_HEUTE", heute)
            .output()
            .expect("kis startet");
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    }
}
