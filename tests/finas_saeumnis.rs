//! Säumniszuschläge by AO § 240: the rule for one case (months, rounding,
//! Schonfrist, § 108(3) for due dates on weekends and holidays, cash and
//! direct debit), and the check tool `kis finas saeumnis` for one case and
//! for a CSV list (bad rows named by line, nothing written).

use std::process::Command;

use chrono::NaiveDate;
use kis::core::feiertage::Bundesland;
use kis::core::money::Money;
use kis::finas::mahnwesen::saeumnis::{self, Fall, Zahlungsart};

fn d(s: &str) -> NaiveDate {
    kis::core::date::parse_date_de(s).unwrap()
}

fn fall(betrag: &str, faellig: &str, gezahlt: &str, art: Zahlungsart, land: &str) -> Fall {
    Fall {
        betrag: Money::parse_de(betrag).unwrap(),
        faellig: d(faellig),
        gezahlt: d(gezahlt),
        art,
        land: Bundesland::parse(land).unwrap(),
    }
}

/// (Säumniszuschlag in €, months) of a transfer in NW.
fn ueberweisung(betrag: &str, faellig: &str, gezahlt: &str) -> (String, u32) {
    let s = saeumnis::berechnen(&fall(
        betrag,
        faellig,
        gezahlt,
        Zahlungsart::Ueberweisung,
        "NW",
    ))
    .unwrap();
    (s.zuschlag.format_de(), s.monate)
}

#[test]
fn one_percent_per_started_month_of_the_amount_rounded_down_to_50_euro() {
    // § 240(1): 1.234,56 € → 1.200 €; due Thu 15.01.2026.
    assert_eq!(
        ueberweisung("1.234,56", "15.01.2026", "15.02.2026"),
        ("12,00".into(), 1)
    );
    assert_eq!(
        ueberweisung("1.234,56", "15.01.2026", "16.02.2026"),
        ("24,00".into(), 2)
    );
    assert_eq!(
        ueberweisung("1.234,56", "15.01.2026", "15.03.2026"),
        ("24,00".into(), 2)
    );
    assert_eq!(
        ueberweisung("1.234,56", "15.01.2026", "16.03.2026"),
        ("36,00".into(), 3)
    );
    // 49,99 € rounds down to 0 €: months run, but nothing is charged.
    assert_eq!(
        ueberweisung("49,99", "15.01.2026", "15.06.2026"),
        ("0,00".into(), 5)
    );
    // 50 € exactly: 0,50 € per month.
    assert_eq!(
        ueberweisung("50,00", "15.01.2026", "20.01.2026"),
        ("0,50".into(), 1)
    );
}

#[test]
fn month_ends_follow_the_bgb_for_short_months() {
    // Due Fri 30.01.2026: the first month ends 28.02. (§ 188(3) BGB), the
    // second 30.03.
    assert_eq!(
        ueberweisung("100,00", "30.01.2026", "28.02.2026"),
        ("1,00".into(), 1)
    );
    assert_eq!(
        ueberweisung("100,00", "30.01.2026", "02.03.2026"),
        ("2,00".into(), 2)
    );
    assert_eq!(
        ueberweisung("100,00", "30.01.2026", "30.03.2026"),
        ("2,00".into(), 2)
    );
    assert_eq!(
        ueberweisung("100,00", "30.01.2026", "31.03.2026"),
        ("3,00".into(), 3)
    );
}

#[test]
fn schonfrist_of_three_days_for_transfers_only() {
    // Due Thu 15.01.2026; Schonfrist 16., 17., 18. → the 18th is a Sunday, so
    // it ends Mon 19.01. (§ 108(3)).
    let s = saeumnis::berechnen(&fall(
        "500,00",
        "15.01.2026",
        "19.01.2026",
        Zahlungsart::Ueberweisung,
        "NW",
    ))
    .unwrap();
    assert_eq!((s.monate, s.schonfrist_bis), (0, Some(d("19.01.2026"))));
    assert!(s.zuschlag.is_zero());
    // One day later: the whole first month counts from the due date.
    assert_eq!(
        ueberweisung("500,00", "15.01.2026", "20.01.2026"),
        ("5,00".into(), 1)
    );
    // Cash has no Schonfrist (§ 240(3) S. 2 with § 224(2) Nr. 1).
    let bar = saeumnis::berechnen(&fall(
        "500,00",
        "15.01.2026",
        "16.01.2026",
        Zahlungsart::Bar,
        "NW",
    ))
    .unwrap();
    assert_eq!((bar.zuschlag.format_de(), bar.monate), ("5,00".into(), 1));
    assert_eq!(bar.schonfrist_bis, None);
    // A direct debit counts as paid on the due date (§ 224(2) Nr. 3).
    let ls = saeumnis::berechnen(&fall(
        "500,00",
        "15.01.2026",
        "15.04.2026",
        Zahlungsart::Lastschrift,
        "NW",
    ))
    .unwrap();
    assert!(ls.zuschlag.is_zero() && ls.monate == 0);
}

#[test]
fn due_date_on_weekend_or_state_holiday_moves_to_next_working_day() {
    // Fronleichnam Thu 04.06.2026 is a holiday in NW, not in Berlin.
    let nw = saeumnis::berechnen(&fall(
        "1.000,00",
        "04.06.2026",
        "05.06.2026",
        Zahlungsart::Bar,
        "NW",
    ))
    .unwrap();
    assert_eq!(nw.faellig, d("05.06.2026"));
    assert!(nw.zuschlag.is_zero(), "paid on the moved due date: on time");
    let be = saeumnis::berechnen(&fall(
        "1.000,00",
        "04.06.2026",
        "05.06.2026",
        Zahlungsart::Bar,
        "BE",
    ))
    .unwrap();
    assert_eq!(
        (be.faellig, be.zuschlag.format_de()),
        (d("04.06.2026"), "10,00".into())
    );
    // Due Sat 14.03.2026 → Mon 16.03.; months count from the 16th.
    let s = saeumnis::berechnen(&fall(
        "1.000,00",
        "14.03.2026",
        "16.04.2026",
        Zahlungsart::Bar,
        "NW",
    ))
    .unwrap();
    assert_eq!((s.faellig, s.monate), (d("16.03.2026"), 1));
    // Paid before the due date: nothing.
    assert_eq!(
        ueberweisung("1.000,00", "15.01.2026", "02.01.2026"),
        ("0,00".into(), 0)
    );
}

#[test]
fn a_non_positive_amount_is_refused() {
    let mut f = fall("1,00", "15.01.2026", "20.03.2026", Zahlungsart::Bar, "NW");
    f.betrag = Money::zero();
    let e = saeumnis::berechnen(&f).unwrap_err().to_string();
    assert!(e.contains("größer als 0"), "{e}");
}

fn kis(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_kis"))
        .current_dir(dir)
        .args(args)
        .env_remove("KIS_DB")
        .env_remove("KIS_PASSWORD")
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn cli_one_case_without_a_store_and_with_the_mandants_state() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = kis(
        dir.path(),
        &[
            "finas",
            "saeumnis",
            "--faellig",
            "15.01.2026",
            "--gezahlt",
            "16.02.2026",
            "--betrag",
            "1.234,56",
            "--ueberweisung",
            "--land",
            "NW",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("Säumnismonate: 2"), "{out}");
    assert!(out.contains("Säumniszuschlag: 24,00 €"), "{out}");
    assert!(
        !dir.path().join("kis.sqlite").exists(),
        "no store is created"
    );

    // Without --land and without a store: a clear request for --land.
    let args = [
        "finas",
        "saeumnis",
        "--faellig",
        "04.06.2026",
        "--gezahlt",
        "05.06.2026",
        "--betrag",
        "1000",
        "--bar",
    ];
    let (ok, _, err) = kis(dir.path(), &args);
    assert!(!ok && err.contains("--land"), "{err}");
    // With the demo store, its Mandant's state (NW: Fronleichnam) counts.
    assert!(kis(dir.path(), &["--neu", "demo", "load"]).0);
    let (ok, out, err) = kis(dir.path(), &args);
    assert!(ok, "{err}");
    assert!(
        out.contains("Fälligkeit nach § 108 Abs. 3 AO: 05.06.2026"),
        "{out}"
    );
    assert!(out.contains("Säumniszuschlag: 0,00 €"), "{out}");
    let (ok, _, err) = kis(dir.path(), &[&args[..], &["--land", "XX"]].concat());
    assert!(!ok && err.contains("Bundesland „XX“ unbekannt"), "{err}");
    let (ok, _, err) = kis(
        dir.path(),
        &[
            "finas",
            "saeumnis",
            "--faellig",
            "31.02.2026",
            "--gezahlt",
            "05.06.2026",
            "--betrag",
            "10",
        ],
    );
    assert!(!ok && err.contains("Fälligkeitstag"), "{err}");
}

#[test]
fn cli_csv_list_adds_two_columns_and_refuses_bad_rows_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("faelle.csv");
    std::fs::write(
        &input,
        "fall;betrag;faellig;gezahlt;zahlungsart;land\n\
         A1;1.234,56;15.01.2026;16.02.2026;ueberweisung;NW\n\
         A2;500,00;15.01.2026;19.01.2026;ueberweisung;NW\n\
         A3;1.000,00;04.06.2026;05.06.2026;bar;BE\n\
         A4;1.000,00;04.06.2026;05.06.2026;lastschrift;\n",
    )
    .unwrap();
    let output = dir.path().join("ergebnis.csv");
    let (ok, _, err) = kis(
        dir.path(),
        &[
            "finas",
            "saeumnis",
            "--land",
            "NW",
            "--in",
            input.to_str().unwrap(),
            "--out",
            output.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    assert!(err.contains("4 Fälle berechnet."), "{err}");
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "fall;betrag;faellig;gezahlt;zahlungsart;land;saeumniszuschlag;monate\n\
         A1;1.234,56;15.01.2026;16.02.2026;ueberweisung;NW;24,00;2\n\
         A2;500,00;15.01.2026;19.01.2026;ueberweisung;NW;0,00;0\n\
         A3;1.000,00;04.06.2026;05.06.2026;bar;BE;10,00;1\n\
         A4;1.000,00;04.06.2026;05.06.2026;lastschrift;;0,00;0\n"
    );

    std::fs::write(
        &input,
        "fall;betrag;faellig;gezahlt;zahlungsart;land\n\
         B1;100,00;15.01.2026;16.02.2026;ueberweisung;NW\n\
         B2;-5;15.01.2026;16.02.2026;scheck;NW\n\
         \n\
         B3;100,00;30.02.2026;16.02.2026;bar;ZZ\n",
    )
    .unwrap();
    let output2 = dir.path().join("ergebnis2.csv");
    let (ok, _, err) = kis(
        dir.path(),
        &[
            "finas",
            "saeumnis",
            "--land",
            "NW",
            "--in",
            input.to_str().unwrap(),
            "--out",
            output2.to_str().unwrap(),
        ],
    );
    assert!(!ok, "{err}");
    assert!(err.contains("es wurde nichts geschrieben"), "{err}");
    assert!(err.contains("Zeile 3: betrag"), "{err}");
    assert!(
        err.contains("Zeile 3: Zahlungsart „scheck“ unbekannt"),
        "{err}"
    );
    assert!(err.contains("Zeile 5: faellig „30.02.2026“"), "{err}");
    assert!(err.contains("Zeile 5: Bundesland „ZZ“ unbekannt"), "{err}");
    assert!(!err.contains("Zeile 2"), "{err}");
    assert!(!output2.exists(), "nothing is written");

    std::fs::write(&input, "fall;betrag;faellig\nC1;1;15.01.2026\n").unwrap();
    let (ok, _, err) = kis(
        dir.path(),
        &[
            "finas",
            "saeumnis",
            "--land",
            "NW",
            "--in",
            input.to_str().unwrap(),
            "--out",
            output2.to_str().unwrap(),
        ],
    );
    assert!(!ok && err.contains("Zeile 1: Kopfzeile"), "{err}");
    assert!(!output2.exists());
}
