//! The binary: `kis demo bank-statement`, `kis finas camt-import` (summary
//! line, a second import changes nothing, a malformed file and a missing
//! role refused with exit code 1) and `kis finas klaerung` (list, CSV,
//! refusals).

use std::process::Command;

#[test]
fn demo_kontoauszug_import_und_klaerungsliste() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("kis.sqlite").display());
    let kis = |user: Option<&str>, args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kis"));
        cmd.arg("--db").arg(&url);
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
            .env("KIS_HEUTE", "25.11.2026")
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr),
        )
    };
    assert!(kis(None, &["--neu", "demo", "load"]).0);
    let (ok, out) = kis(Some("BUCHHALTER"), &["demo", "kasse", "--anzahl", "60"]);
    assert!(ok, "{out}");
    let (ok, out) = kis(
        Some("KAEMMERER"),
        &["finas", "anordnung", "freigeben", "--alle"],
    );
    assert!(ok, "{out}");
    let datei = dir.path().join("auszug.xml");
    let datei = datei.to_str().unwrap();
    let (ok, out) = kis(
        Some("KASSE"),
        &["demo", "bank-statement", "--entries", "40", "--out", datei],
    );
    assert!(ok, "{out}");
    let xml = std::fs::read_to_string(datei).unwrap();
    assert!(xml.contains("camt.053.001.08"), "{xml}");
    // The same arguments write the same file.
    let zweite = dir.path().join("auszug2.xml");
    assert!(
        kis(
            Some("KASSE"),
            &[
                "demo",
                "bank-statement",
                "--entries",
                "40",
                "--out",
                zweite.to_str().unwrap()
            ],
        )
        .0
    );
    assert_eq!(std::fs::read_to_string(&zweite).unwrap(), xml);

    let (ok, out) = kis(Some("LESER"), &["finas", "camt-import", datei]);
    assert!(!ok && out.contains("Keine Berechtigung"), "{out}");

    let (ok, out) = kis(Some("KASSE"), &["finas", "camt-import", datei]);
    assert!(ok, "{out}");
    let zeile = out.lines().next().unwrap();
    let zahlen: Vec<u64> = zeile
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(
        zeile.ends_with(" Rücklastschriften") && zeile.contains(" Umsätze: "),
        "{out}"
    );
    assert_eq!(zahlen.len(), 4, "{out}");
    assert_eq!(zahlen[0], 40, "{out}");
    assert!(zahlen[1..].iter().all(|z| *z > 0), "{out}");
    assert_eq!(zahlen[1] + zahlen[2] + zahlen[3], 40, "{out}");

    let (ok, out) = kis(Some("KASSE"), &["finas", "camt-import", datei]);
    assert!(ok, "{out}");
    assert!(
        out.starts_with("0 Umsätze: 0 zugeordnet, 0 Klärungsliste, 0 Rücklastschriften"),
        "{out}"
    );
    assert!(out.contains("nichts geändert"), "{out}");

    let (ok, out) = kis(Some("KASSE"), &["finas", "klaerung"]);
    assert!(ok && out.contains("offen"), "{out}");
    let (ok, csv) = kis(Some("KASSE"), &["finas", "klaerung", "--csv"]);
    assert!(ok, "{csv}");
    assert!(
        csv.starts_with(
            "id;status;buchungstag;betrag;richtung;name;iban;verwendung;grund;kassenzeichen"
        ),
        "{csv}"
    );
    let id = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (ok, out) = kis(
        Some("KASSE"),
        &[
            "finas",
            "klaerung",
            "zuordnen",
            &id,
            "--kassenzeichen",
            "2026 000001 0",
        ],
    );
    assert!(!ok, "{out}");
    assert!(
        out.contains("Prüfziffer")
            || out.contains("nicht vergeben")
            || out.contains("nichts offen"),
        "{out}"
    );
    let (ok, out) = kis(
        Some("KASSE"),
        &["finas", "klaerung", "erstatten", &id, "--iban", "DE00"],
    );
    assert!(!ok && out.contains("IBAN"), "{out}");

    // A malformed file: refused with the line, exit code non-zero, nothing imported.
    let kaputt = dir.path().join("kaputt.xml");
    std::fs::write(
        &kaputt,
        xml.replace("<Amt Ccy=\"EUR\">", "<Amt>")
            .replace("DEMO", "KAPUTT"),
    )
    .unwrap();
    let (ok, out) = kis(
        Some("KASSE"),
        &["finas", "camt-import", kaputt.to_str().unwrap()],
    );
    assert!(!ok && out.contains("Zeile"), "{out}");
}
