//! PERSOS → FINAS on both stores: acceptance scenario 8 (after a run the
//! FINAS postings balance, the Lohnsteuer liability equals the sum of the
//! results, the SEPA file has one payment per employee), the Storno of a run
//! reverses its posting, and a refused budget check or posting leaves
//! nothing of the run.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::{journal, rechnung, stamm as finas_stamm, ueberwachung};
use kis::params;
use kis::persos::finas::{self as persos_finas, Verbindlichkeit};
use kis::persos::{lauf, stamm};
use kis::store::Db;
use kis::testing::{demo_env, session};
use quick_xml::Reader;
use quick_xml::events::Event;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 28).unwrap()
}

fn one(db: &Db, text: &str, args: &[kis::store::Value]) -> i64 {
    db.read(|sql| sql.query_one(text, args))
        .unwrap()
        .i64(0)
        .unwrap()
}

/// The payments of a pain.001 file: (EndToEndId, IBAN, amount in cents),
/// plus NbOfTxs and CtrlSum of the group header.
struct Datei {
    zahlungen: Vec<(String, String, i64)>,
    anzahl: i64,
    kontrollsumme: i64,
    auftraggeber_iban: String,
}

fn cents(s: &str) -> i64 {
    let (e, c) = s.split_once('.').unwrap();
    assert_eq!(c.len(), 2, "{s}");
    e.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
}

/// Parses the file with quick-xml (any malformed XML fails the test).
fn lies(xml: &str) -> Datei {
    let mut r = Reader::from_str(xml);
    r.config_mut().trim_text(true);
    let mut pfad: Vec<String> = Vec::new();
    let mut d = Datei {
        zahlungen: Vec::new(),
        anzahl: -1,
        kontrollsumme: -1,
        auftraggeber_iban: String::new(),
    };
    loop {
        match r.read_event().expect("XML wohlgeformt") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "CdtTrfTxInf" {
                    d.zahlungen.push(Default::default());
                }
                pfad.push(name);
            }
            Event::End(e) => {
                assert_eq!(pfad.pop().as_deref(), Some(e.name().as_ref()));
            }
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                let p = pfad.join("/");
                match p.as_str() {
                    "Document/CstmrCdtTrfInitn/GrpHdr/NbOfTxs" => d.anzahl = text.parse().unwrap(),
                    "Document/CstmrCdtTrfInitn/GrpHdr/CtrlSum" => d.kontrollsumme = cents(&text),
                    "Document/CstmrCdtTrfInitn/PmtInf/DbtrAcct/Id/IBAN" => {
                        d.auftraggeber_iban = text
                    }
                    _ if p.ends_with("CdtTrfTxInf/PmtId/EndToEndId") => {
                        d.zahlungen.last_mut().unwrap().0 = text
                    }
                    _ if p.ends_with("CdtTrfTxInf/CdtrAcct/Id/IBAN") => {
                        d.zahlungen.last_mut().unwrap().1 = text
                    }
                    _ if p.ends_with("CdtTrfTxInf/Amt/InstdAmt") => {
                        d.zahlungen.last_mut().unwrap().2 = cents(&text)
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(pfad.is_empty());
    d
}

kis::store_test!(szenario8_postings_balance_lohnsteuer_sepa, |db: &Db| {
    let clock = demo_env(db, day());
    let s = session(db, clock.clone(), "PERSONAL");
    let l = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let u = persos_finas::uebersicht(&s, "2026-01").unwrap().unwrap();
    assert_eq!(u.beleg, "PERSOS 2026-01/1");
    assert_eq!(u.datum, NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());

    // The Buchung balances, and so does the whole journal of the year.
    let fin = session(db, clock.clone(), "BUCHHALTER");
    let b = journal::lesen(&fin, u.buchung).unwrap();
    let soll: Money = b.zeilen.iter().map(|z| z.soll).sum();
    let haben: Money = b.zeilen.iter().map(|z| z.haben).sum();
    assert_eq!(soll, haben);
    assert_eq!(soll, b.summe);
    assert_eq!(u.summe_aufwand(), u.summe_verbindlichkeiten());
    let liste = rechnung::saldenliste(&fin, 2026, None).unwrap();
    let (ls, lh) = liste
        .iter()
        .fold((0, 0), |(s, h), x| (s + x.soll, h + x.haben));
    assert_eq!(ls, lh, "Saldenliste");
    assert!(journal::summen_pruefen(&fin, 2026).unwrap().is_empty());

    // The expense is the employer's cost of the results, aggregated per
    // account × Produkt × Kostenstelle (far fewer lines than employees).
    let run = params!["2026-01", l.lauf_nr];
    let ag_kosten = one(
        db,
        "SELECT CAST(SUM(ag_kosten) AS BIGINT) FROM persos_ergebnis WHERE monat = ? AND lauf_nr = ?",
        &run,
    );
    assert_eq!(u.summe_aufwand().cents(), ag_kosten);
    let keys: HashSet<_> = u
        .aufwand
        .iter()
        .map(|z| (&z.konto, &z.produkt, &z.kostenstelle))
        .collect();
    assert_eq!(keys.len(), u.aufwand.len(), "one line per combination");
    assert!(u.aufwand.len() < l.anzahl as usize, "{}", u.aufwand.len());
    let stellen: HashSet<_> = u
        .aufwand
        .iter()
        .map(|z| (z.produkt.clone(), z.kostenstelle.clone()))
        .collect();
    let im_stamm = one(
        db,
        "SELECT COUNT(*) FROM (SELECT DISTINCT p.produkt, p.kostenstelle FROM persos_ergebnis e \
         JOIN persos_employee p ON p.mandant = e.mandant AND p.personalnummer = e.personalnummer \
         WHERE e.monat = ? AND e.lauf_nr = ?) x",
        &run,
    );
    assert_eq!(stellen.len() as i64, im_stamm);
    assert!(u.aufwand.iter().all(|z| z.konto.starts_with("50")));
    let konten: HashSet<_> = u.aufwand.iter().map(|z| z.konto.as_str()).collect();
    for k in ["5012", "5019", "5022", "5032", "5039"] {
        assert!(konten.contains(k), "{k} fehlt: {konten:?}");
    }
    // The budget position sees the expense (Anordnungssoll).
    let z = u
        .aufwand
        .iter()
        .filter(|z| z.konto == "5012" && z.produkt == "01.02.01")
        .map(|z| z.betrag)
        .sum::<Money>();
    let pos = ueberwachung::position(&fin, 2026, "01.02.01", "5012").unwrap();
    assert_eq!(pos.anordnungssoll, z.cents());
    assert!(pos.anordnungssoll > 0);

    // Liabilities: the Lohnsteuer liability equals the sum of the results,
    // on its own line of the Buchung (account 3712); so do Soli and
    // Kirchensteuer, the net pay and each Krankenkasse's contributions.
    let summe = |col: &str| {
        one(
            db,
            &format!(
                "SELECT CAST(SUM({col}) AS BIGINT) FROM persos_ergebnis WHERE monat = ? AND lauf_nr = ?"
            ),
            &run,
        )
    };
    let lst = u
        .verbindlichkeiten
        .iter()
        .find(|v| v.art == Verbindlichkeit::Lohnsteuer)
        .unwrap();
    assert_eq!(lst.betrag.cents(), summe("lohnsteuer"));
    assert!(lst.betrag.cents() > 0);
    let zeile = &b.zeilen[lst.lfd as usize - 1];
    assert_eq!((zeile.konto.as_str(), zeile.haben), ("3712", lst.betrag));
    assert_eq!(
        u.verbindlichkeit(Verbindlichkeit::Soli).cents(),
        summe("soli")
    );
    assert_eq!(
        u.verbindlichkeit(Verbindlichkeit::Kirchensteuer).cents(),
        summe("kirchensteuer")
    );
    assert_eq!(
        u.verbindlichkeit(Verbindlichkeit::Netto).cents(),
        summe("auszahlung")
    );
    assert_eq!(
        u.verbindlichkeit(Verbindlichkeit::Netto),
        l.summe_auszahlung
    );
    for v in &u.verbindlichkeiten {
        let z = &b.zeilen[v.lfd as usize - 1];
        assert_eq!((&z.konto, z.haben), (&v.konto, v.betrag), "{v:?}");
    }
    // One line per Krankenkasse (Betriebsnummer); the Minijob-Zentrale also
    // collects the Pauschsteuer, so compare the others with the results.
    let kassen: Vec<_> = u
        .verbindlichkeiten
        .iter()
        .filter(|v| v.art == Verbindlichkeit::Sozialversicherung)
        .collect();
    let bn: HashSet<_> = kassen.iter().map(|v| v.glaeubiger.as_str()).collect();
    assert_eq!(bn.len(), kassen.len());
    assert!(bn.contains("98000006") && bn.contains("10199990"), "{bn:?}");
    let sv_je_kasse: BTreeMap<String, i64> = db
        .read(|sql| {
            sql.query(
                "SELECT p.kasse, CAST(SUM(e.sv_an + e.sv_ag + e.umlagen) AS BIGINT) FROM persos_ergebnis e \
                 JOIN persos_employee p ON p.mandant = e.mandant AND p.personalnummer = e.personalnummer \
                 WHERE e.monat = ? AND e.lauf_nr = ? GROUP BY p.kasse",
                &run,
            )
        })
        .unwrap()
        .iter()
        .map(|r| (r.str(0).unwrap(), r.i64(1).unwrap()))
        .collect();
    for v in &kassen {
        let ergebnis = sv_je_kasse[&v.glaeubiger];
        if v.glaeubiger == "98000006" {
            assert!(v.betrag.cents() > ergebnis, "Pauschsteuer fehlt");
        } else {
            assert_eq!(v.betrag.cents(), ergebnis, "{}", v.glaeubiger);
        }
    }

    // The SEPA file: one payment per employee, to the IBAN of the master
    // data, with the payout of the result; the control sum is the total.
    let datei = persos_finas::sepa_datei(&s, "2026-01", None).unwrap();
    let d = lies(&datei.xml);
    assert_eq!(d.zahlungen.len() as i64, l.anzahl);
    assert_eq!(d.anzahl, l.anzahl);
    assert_eq!(d.kontrollsumme, l.summe_auszahlung.cents());
    assert_eq!(datei.summe, l.summe_auszahlung);
    assert_eq!(d.auftraggeber_iban, "DE04370501980099999001");
    let auszahlung: HashMap<String, i64> = db
        .read(|sql| {
            sql.query(
                "SELECT personalnummer, auszahlung FROM persos_ergebnis WHERE monat = ? AND lauf_nr = ?",
                &run,
            )
        })
        .unwrap()
        .iter()
        .map(|r| (r.str(0).unwrap(), r.i64(1).unwrap()))
        .collect();
    let mut gesehen = HashSet::new();
    for (referenz, iban, betrag) in &d.zahlungen {
        let pnr = referenz.rsplit('-').next().unwrap();
        assert!(gesehen.insert(pnr.to_string()), "{pnr} doppelt");
        let e = stamm::get(&s, pnr).unwrap();
        assert_eq!(iban, &e.iban, "{pnr}");
        assert_eq!(*betrag, auszahlung[pnr], "{pnr}");
    }
    assert!(
        datei
            .xml
            .contains("<EndToEndId>LOHN-202601-L1-01001</EndToEndId>")
    );
    assert!(
        datei
            .xml
            .contains("<InstdAmt Ccy=\"EUR\">2598.01</InstdAmt>")
    );

    // The Lohnjournal section shows the posting.
    let text = persos_finas::uebersicht_text(&u);
    assert!(
        text.contains(&format!("BUCHUNG IN FINAS: Nr. {}", u.buchung)),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|z| z.starts_with("3712  Lohnsteuer") && z.contains("Finanzamt")),
        "{text}"
    );
    assert!(text.lines().all(|z| z.chars().count() <= 72), "{text}");

    // Roles: readers may not write payment files; the Kasse may.
    let gast = session(db, clock.clone(), "GAST");
    assert!(matches!(
        persos_finas::sepa_datei(&gast, "2026-01", None).unwrap_err(),
        KisError::Permission(_)
    ));
    let kasse = session(db, clock.clone(), "KASSE");
    assert!(persos_finas::sepa_datei(&kasse, "2026-01", Some(day())).is_ok());
    let gestern = day().pred_opt().unwrap();
    assert!(persos_finas::sepa_datei(&kasse, "2026-01", Some(gestern)).is_err());
});

kis::store_test!(storno_reverses_the_posting, |db: &Db| {
    let clock = demo_env(db, day());
    let s = session(db, clock.clone(), "PERSONAL");
    let fin = session(db, clock.clone(), "KAEMMERER");
    let l1 = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let u1 = persos_finas::uebersicht(&s, "2026-01").unwrap().unwrap();
    let vorher = ueberwachung::position(&fin, 2026, "01.02.01", "5012").unwrap();
    assert!(vorher.anordnungssoll > 0);

    lauf::storniere(&s, "2026-01").unwrap();
    // A Storno Buchung refers to the original, which stays unchanged.
    let orig = journal::lesen(&fin, u1.buchung).unwrap();
    let storno_nr = orig.storniert_durch.expect("storniert");
    let st = journal::lesen(&fin, storno_nr).unwrap();
    assert_eq!(st.storno_von, Some(u1.buchung));
    assert_eq!(st.datum, orig.datum, "period still open: same date");
    assert_eq!(st.zeilen.len(), orig.zeilen.len());
    for (a, b) in orig.zeilen.iter().zip(&st.zeilen) {
        assert_eq!(
            (&a.konto, &a.produkt, &a.kostenstelle),
            (&b.konto, &b.produkt, &b.kostenstelle)
        );
        assert_eq!((a.soll, a.haben), (b.haben, b.soll));
    }
    // Every account of the payroll is back to zero; the budget is free again.
    let saldo = |konto: &str| {
        one(
            db,
            "SELECT COALESCE(CAST(SUM(soll - haben) AS BIGINT), 0) FROM fin_summe WHERE jahr = 2026 AND konto = ?",
            &params![konto],
        )
    };
    for k in [
        "5012", "5019", "5022", "5032", "5039", "3712", "3713", "3714", "3715", "3716",
    ] {
        assert_eq!(saldo(k), 0, "Konto {k}");
    }
    assert_eq!(
        ueberwachung::position(&fin, 2026, "01.02.01", "5012")
            .unwrap()
            .anordnungssoll,
        0
    );
    assert_eq!(
        one(
            db,
            "SELECT storno FROM persos_buchung WHERE monat = '2026-01' AND lauf_nr = 1",
            &[]
        ),
        storno_nr
    );
    // No active run: no SEPA file.
    assert!(matches!(
        persos_finas::sepa_datei(&s, "2026-01", None).unwrap_err(),
        KisError::NotFound(_)
    ));

    // The month runs again with a new Buchung.
    let l2 = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    let u2 = persos_finas::uebersicht(&s, "2026-01").unwrap().unwrap();
    assert_eq!(u2.beleg, "PERSOS 2026-01/2");
    assert_ne!(u2.buchung, u1.buchung);
    assert_eq!(u2.summe_aufwand(), u1.summe_aufwand());
    assert_eq!(l2.summe_auszahlung, l1.summe_auszahlung);

    // January closed in FINAS: the Storno is posted on the day of the Storno.
    finas_stamm::periode_setzen(&fin, 2026, 1, false).unwrap();
    clock.set(
        NaiveDate::from_ymd_opt(2026, 2, 10)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    );
    lauf::storniere(&s, "2026-01").unwrap();
    let st2 = journal::lesen(
        &fin,
        journal::lesen(&fin, u2.buchung)
            .unwrap()
            .storniert_durch
            .unwrap(),
    )
    .unwrap();
    assert_eq!(st2.datum, NaiveDate::from_ymd_opt(2026, 2, 10).unwrap());
    assert_eq!(st2.periode, 2);
    let audit = one(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'persos_buchung'",
        &[],
    );
    assert_eq!(audit, 4, "2 × gebucht, 2 × storniert");
});

fn nichts_vom_lauf(db: &Db) {
    for t in [
        "SELECT COUNT(*) FROM persos_lauf",
        "SELECT COUNT(*) FROM persos_ergebnis",
        "SELECT COUNT(*) FROM persos_buchung",
        "SELECT COUNT(*) FROM persos_verbindlichkeit",
        "SELECT COUNT(*) FROM persos_auszahlung",
        "SELECT COUNT(*) FROM fin_buchung WHERE beleg LIKE 'PERSOS%'",
    ] {
        assert_eq!(one(db, t, &[]), 0, "{t}");
    }
}

kis::store_test!(refused_budget_check_or_posting_leaves_nothing, |db: &Db| {
    let clock = demo_env(db, day());
    let s = session(db, clock.clone(), "PERSONAL");
    let fin = session(db, clock.clone(), "KAEMMERER");

    // A Haushaltssperre of 100 % on one personnel position refuses the run.
    let sperre =
        ueberwachung::sperren(&fin, 2026, Some(("01.02.01", "5012")), 100, "Test").unwrap();
    let err = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap_err();
    assert!(matches!(err, KisError::Conflict(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("Abrechnung 01.2026 nicht ausgeführt")
            && text.contains("Haushaltsstelle 01.02.01/5012")
            && text.contains("abgelehnt"),
        "{text}"
    );
    nichts_vom_lauf(db);
    ueberwachung::sperre_aufheben(&fin, sperre).unwrap();

    // A closed period refuses the posting, and with it the run.
    finas_stamm::periode_setzen(&fin, 2026, 1, false).unwrap();
    let err = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap_err();
    assert!(
        err.to_string()
            .contains("Periode 2026-01 ist abgeschlossen"),
        "{err}"
    );
    nichts_vom_lauf(db);
    finas_stamm::periode_setzen(&fin, 2026, 1, true).unwrap();

    // An employee whose Produkt FINAS does not know is named.
    let mut e = stamm::get(&s, "01001").unwrap();
    e.produkt = "01.11.10".into();
    stamm::update(&s, &e).unwrap();
    let err = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap_err();
    assert!(
        err.to_string()
            .contains("Personalnummer 01001: Produkt „01.11.10“"),
        "{err}"
    );
    nichts_vom_lauf(db);

    // Corrected, the run goes through. A reservation that leaves less than
    // 10 % of the position free makes the budget check warn: the run is
    // posted and the warning kept for the Lohnjournal.
    let mut e = stamm::get(&s, "01001").unwrap();
    e.produkt = "01.02.01".into();
    stamm::update(&s, &e).unwrap();
    ueberwachung::reservieren(
        &fin,
        2026,
        "01.02.01",
        "5012",
        Money::from_cents(108_000_000),
        "Tarifsteigerung",
    )
    .unwrap();
    lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
    assert_eq!(one(db, "SELECT COUNT(*) FROM persos_buchung", &[]), 1);
    let u = persos_finas::uebersicht(&s, "2026-01").unwrap().unwrap();
    assert_eq!(u.warnungen.len(), 1, "{:?}", u.warnungen);
    assert!(
        persos_finas::uebersicht_text(&u)
            .contains("Haushaltswarnung: Haushaltsstelle 01.02.01/5012"),
        "{:?}",
        u.warnungen
    );
});

/// The command line: `kis persos sepa` writes the file, `kis persos
/// lohnjournal` shows the posting.
#[test]
fn cli_sepa_and_lohnjournal() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("kis-persos-finas-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite:{}", dir.join("kis.sqlite").display());
    let kis = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_kis"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("KIS_DB")
            .env("KIS_HEUTE", "28.01.2026")
            .env("KIS_PASSWORD", "personal")
            .output()
            .expect("kis startet");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.status.success(), "{args:?}: {text}");
        (String::from_utf8_lossy(&o.stdout).into_owned(), text)
    };
    kis(&["--neu", "demo", "load"]);
    let (lauf, _) = kis(&[
        "--user",
        "personal",
        "batch",
        "persos-abrechnung",
        "--monat",
        "2026-01",
    ]);
    assert!(lauf.contains("FINAS-Buchung Nr. "), "{lauf}");
    let datei = dir.join("lohn.xml");
    let (_, meldung) = kis(&[
        "--user",
        "personal",
        "persos",
        "sepa",
        "--monat",
        "2026-01",
        "--out",
        datei.to_str().unwrap(),
    ]);
    assert!(meldung.contains("147 Zahlungen"), "{meldung}");
    let xml = std::fs::read_to_string(&datei).unwrap();
    assert_eq!(lies(&xml).zahlungen.len(), 147);
    let (stdout, _) = kis(&[
        "--user", "personal", "persos", "sepa", "--monat", "2026-01", "--out", "-",
    ]);
    assert_eq!(lies(&stdout).zahlungen.len(), 147);
    let (journal, _) = kis(&[
        "--user",
        "personal",
        "persos",
        "lohnjournal",
        "--monat",
        "2026-01",
    ]);
    assert!(journal.contains("BUCHUNG IN FINAS"), "{journal}");
    let _ = std::fs::remove_dir_all(&dir);
}
