//! PERSOS → FINAS on both stores: acceptance scenario 8 (after a run the
//! FINAS postings balance, the Lohnsteuer liability equals the sum of the
//! results, one Auszahlungsanordnung per employee that the Zahllauf pays once), the Storno of a run
//! reverses its posting, and a refused budget check or posting leaves
//! nothing of the run.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::kasse::iso20022::{self, Nachricht};
use kis::finas::kasse::{anordnung, zahllauf};
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

/// The Zahltag of January 2026 (31.01. is a Saturday).
fn zahltag() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 30).unwrap()
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

/// An Auszahlungsanordnung of a run as stored in FINAS.
#[derive(Debug)]
struct Anordnung {
    nr: i64,
    status: String,
    erfasst_von: String,
    iban: String,
    betrag: i64,
    faellig: NaiveDate,
    zweckcode: String,
    gegenkonto: String,
    text: String,
}

/// The Auszahlungsanordnungen posted by Buchung `buchung`, by Personalnummer
/// (from the partner's key `PERSOS:<Personalnummer>`).
fn anordnungen(db: &Db, buchung: i64) -> BTreeMap<String, Anordnung> {
    db.read(|sql| {
        sql.query(
            "SELECT p.schluessel, a.nr, a.status, a.erfasst_von, a.iban, f.betrag, f.faellig, a.zweckcode, a.gegenkonto, a.text \
             FROM fin_anordnung a JOIN fin_faelligkeit f ON f.mandant = a.mandant AND f.anordnung = a.nr \
             JOIN fin_partner p ON p.mandant = a.mandant AND p.id = a.partner \
             WHERE a.vorgebucht = ? AND a.art = 'Z' ORDER BY a.nr",
            &params![buchung],
        )
    })
    .unwrap()
    .iter()
    .map(|r| {
        let key = r.str(0).unwrap();
        let pnr = key.strip_prefix("PERSOS:").expect("PERSOS-Schlüssel").to_string();
        (
            pnr,
            Anordnung {
                nr: r.i64(1).unwrap(),
                status: r.str(2).unwrap(),
                erfasst_von: r.str(3).unwrap(),
                iban: r.str(4).unwrap(),
                betrag: r.i64(5).unwrap(),
                faellig: r.date(6).unwrap(),
                zweckcode: r.str(7).unwrap(),
                gegenkonto: r.str(8).unwrap(),
                text: r.str(9).unwrap(),
            },
        )
    })
    .collect()
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

kis::store_test!(
    szenario8_postings_balance_lohnsteuer_anordnungen,
    |db: &Db| {
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

        // The Auszahlungsanordnungen: one per employee, to the IBAN of the
        // master data, with the payout of the result, entered by the payroll
        // clerk as already posted by the run's Buchung (Netto 3715), due on the
        // Zahltag (31.01.2026 is a Saturday: Friday 30.01.), purpose code SALA.
        let anordnungen = anordnungen(db, u.buchung);
        assert_eq!(anordnungen.len() as i64, l.anzahl);
        assert_eq!(
            anordnungen.values().map(|a| a.betrag).sum::<i64>(),
            l.summe_auszahlung.cents()
        );
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
        for (pnr, a) in &anordnungen {
            let e = stamm::get(&s, pnr).unwrap();
            assert_eq!(a.iban, e.iban, "{pnr}");
            assert_eq!(a.betrag, auszahlung[pnr], "{pnr}");
            assert_eq!(a.status, "ERFASST");
            assert_eq!(a.erfasst_von, "PERSONAL");
            assert_eq!(a.faellig, NaiveDate::from_ymd_opt(2026, 1, 30).unwrap());
            assert_eq!(a.zweckcode, "SALA");
            assert_eq!(a.gegenkonto, "3715");
            assert!(
                a.text.contains(&format!("Entgelt 01.2026 Pers.-Nr. {pnr}")),
                "{}",
                a.text
            );
        }
        assert_eq!(anordnungen["01001"].betrag, 259801);

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
    }
);

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
    // Its unpaid Auszahlungsanordnungen are cancelled with it.
    let a1 = anordnungen(db, u1.buchung);
    assert_eq!(a1.len() as i64, l1.anzahl);
    assert!(a1.values().all(|a| a.status == "STORNIERT"), "{a1:?}");

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
        "SELECT COUNT(*) FROM fin_anordnung WHERE vorgebucht IS NOT NULL",
        "SELECT COUNT(*) FROM fin_partner WHERE schluessel IS NOT NULL",
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

// The payroll's Auszahlungsanordnungen go the Kasse's way: the payroll
// clerk cannot release them (Vier-Augen-Prinzip), the Kämmerer does
// (posting nothing again), the Zahllauf pays each once (pain.001 checked
// against the XSD, SALA per transaction), a second Zahllauf pays nothing;
// the run's Storno is refused while they are in a live Zahllauf or paid,
// and cancels them otherwise; a new run reuses the partners and pays a
// changed IBAN.
kis::store_test!(
    anordnungen_are_released_and_paid_once_by_the_zahllauf,
    |db: &Db| {
        let clock = demo_env(db, day());
        let s = session(db, clock.clone(), "PERSONAL");
        let kaemmerer = session(db, clock.clone(), "KAEMMERER");
        let kasse = session(db, clock.clone(), "KASSE");
        let l1 = lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
        let u1 = persos_finas::uebersicht(&s, "2026-01").unwrap().unwrap();
        let a1 = anordnungen(db, u1.buchung);
        assert_eq!(a1.len() as i64, l1.anzahl);
        let nr = a1["01001"].nr;

        // Not by the clerk who entered them: neither by role nor by the rule.
        assert!(matches!(
            anordnung::freigeben(&s, nr).unwrap_err(),
            KisError::Permission(_)
        ));
        let e =
            s.db.write(|sql| anordnung::freigeben_in(sql, &s.actor(), nr))
                .unwrap_err();
        assert!(e.to_string().contains("Vier-Augen-Prinzip"), "{e}");
        // Not changed or cancelled one by one in FINAS.
        let e = anordnung::stornieren(&kaemmerer, nr, "Test").unwrap_err();
        assert!(e.to_string().contains("vorgebucht"), "{e}");
        // No payment before the release.
        assert!(zahllauf::ausfuehren(&kasse, zahltag(), None).is_err());

        let buchungen = || one(db, "SELECT COUNT(*) FROM fin_buchung", &[]);
        let vorher = buchungen();
        let (n, _) = anordnung::alle_freigeben(&kaemmerer).unwrap();
        assert!(n >= a1.len(), "{n}");
        assert_eq!(buchungen(), vorher, "the release posts nothing again");
        assert_eq!(
            one(
                db,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'ANORDNUNGEN_FREIGEBEN' AND user_name = 'KAEMMERER'",
                &[]
            ),
            1,
            "one audit entry for the payroll's Anordnungen"
        );
        let a = anordnung::lesen(&kaemmerer, nr).unwrap();
        assert_eq!(
            (a.buchung, a.vorgebucht),
            (Some(u1.buchung), Some(u1.buchung))
        );
        assert_eq!(a.freigegeben_von.as_deref(), Some("KAEMMERER"));
        let doc = anordnung::dokument(&a, "");
        assert!(
            doc.contains(&format!("Vorgebucht mit Buchung {}", u1.buchung))
                && doc.contains(&format!(
                    "Empfängerkonto: {}, Zweckschlüssel SALA",
                    a1["01001"].iban
                )),
            "{doc}"
        );

        // The Zahllauf pays every employee once.
        let (z1, _) = zahllauf::ausfuehren(&kasse, zahltag(), None).unwrap();
        let datei = z1
            .dateien
            .iter()
            .find(|d| d.art.starts_with("pain.001"))
            .unwrap();
        iso20022::pruefen_fuer(Nachricht::Pain001V09, datei.inhalt.as_bytes(), "Test").unwrap();
        let d = lies(&datei.inhalt);
        assert_eq!(d.anzahl, d.zahlungen.len() as i64);
        assert_eq!(
            d.kontrollsumme,
            d.zahlungen.iter().map(|z| z.2).sum::<i64>()
        );
        let stadtkasse = db
            .read(|sql| {
                sql.query_one("SELECT iban FROM fin_kasse_einstellung", &[])?
                    .str(0)
            })
            .unwrap();
        assert_eq!(
            d.auftraggeber_iban, stadtkasse,
            "paid from the Kasse's account"
        );
        let von_nr: HashMap<i64, &str> = a1.iter().map(|(p, a)| (a.nr, p.as_str())).collect();
        let mut bezahlt = HashSet::new();
        for (referenz, iban, betrag) in &d.zahlungen {
            let anr: i64 = referenz.split('-').nth(1).unwrap().parse().unwrap();
            let Some(pnr) = von_nr.get(&anr) else {
                continue;
            };
            assert!(bezahlt.insert(*pnr), "{pnr} doppelt");
            assert_eq!(iban, &a1[*pnr].iban);
            assert_eq!(*betrag, a1[*pnr].betrag);
        }
        assert_eq!(bezahlt.len(), a1.len());
        assert_eq!(
            datei.inhalt.matches("<Purp>").count(),
            a1.len(),
            "SALA per payroll transaction"
        );
        assert_eq!(datei.inhalt.matches("<Cd>SALA</Cd>").count(), a1.len());
        assert!(!datei.inhalt.contains("<CtgyPurp>"));
        // A second run finds nothing of the payroll to pay.
        match zahllauf::ausfuehren(&kasse, zahltag(), None) {
            Err(e) => assert!(matches!(e, KisError::Conflict(_)), "{e}"),
            Ok((z2, _)) => {
                let posten = zahllauf::zeigen(&kasse, z2.nr).unwrap().1;
                assert!(posten.iter().all(|p| !von_nr.contains_key(&p.anordnung)));
            }
        }

        // In a live Zahllauf the run cannot be reversed; nothing changes.
        let e = lauf::storniere(&s, "2026-01").unwrap_err();
        let text = e.to_string();
        assert!(
            matches!(e, KisError::Conflict(_))
                && text.contains("Stornierung von 01.2026 nicht ausgeführt")
                && text.contains(&format!("im laufenden Zahllauf {}", z1.nr)),
            "{text}"
        );
        assert!(
            journal::lesen(&kaemmerer, u1.buchung)
                .unwrap()
                .storniert_durch
                .is_none()
        );
        assert!(
            anordnungen(db, u1.buchung)
                .values()
                .all(|a| a.status == "FREIGEGEBEN")
        );

        // The file did not go to the bank: the Zahllauf is cancelled, then the
        // run, which cancels its Anordnungen; no later Zahllauf pays them.
        zahllauf::stornieren(&kasse, z1.nr).unwrap();
        lauf::storniere(&s, "2026-01").unwrap();
        assert!(
            anordnungen(db, u1.buchung)
                .values()
                .all(|a| a.status == "STORNIERT")
        );
        assert!(zahllauf::ausfuehren(&kasse, zahltag(), None).is_err());

        // A new run: the same partners, a changed IBAN is paid.
        let mut e = stamm::get(&s, "01001").unwrap();
        e.iban = "DE89370400440532013000".into();
        stamm::update(&s, &e).unwrap();
        lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
        let u2 = persos_finas::uebersicht(&s, "2026-01").unwrap().unwrap();
        let a2 = anordnungen(db, u2.buchung);
        assert_eq!(a2.len(), a1.len());
        assert_eq!(a2["01001"].iban, "DE89370400440532013000");
        assert_eq!(
            one(
                db,
                "SELECT COUNT(*) FROM fin_partner WHERE schluessel LIKE 'PERSOS:%'",
                &[]
            ),
            a1.len() as i64
        );
        anordnung::alle_freigeben(&kaemmerer).unwrap();
        let (z3, _) = zahllauf::ausfuehren(&kasse, zahltag(), None).unwrap();
        let d3 = lies(&z3.dateien[0].inhalt);
        assert!(
            d3.zahlungen
                .iter()
                .any(|(_, iban, _)| iban == "DE89370400440532013000")
        );

        // Once paid (the bank statement booked it), the run stays.
        zahllauf::stornieren(&kasse, z3.nr).unwrap();
        db.write(|sql| {
            sql.execute(
                "UPDATE fin_faelligkeit SET bezahlt = betrag WHERE anordnung = ?",
                &params![a2["01001"].nr],
            )
        })
        .unwrap();
        let e = lauf::storniere(&s, "2026-01").unwrap_err();
        assert!(e.to_string().contains("bereits bezahlt"), "{e}");
        assert!(
            journal::lesen(&kaemmerer, u2.buchung)
                .unwrap()
                .storniert_durch
                .is_none()
        );
        assert!(
            anordnungen(db, u2.buchung)
                .values()
                .all(|a| a.status == "FREIGEGEBEN")
        );
    }
);

/// The command line: the payroll run orders the payments, `kis finas
/// anordnung freigeben --alle` releases them and `kis finas zahllauf`
/// writes the transfer file; `kis persos sepa` is gone; `kis persos
/// lohnjournal` shows the posting.
#[test]
fn cli_zahllauf_and_lohnjournal() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("kis-persos-finas-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite:{}", dir.join("kis.sqlite").display());
    let kis = |user: &str, args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_kis"))
            .arg("--db")
            .arg(&db)
            .args(["--user", user])
            .args(args)
            .env_remove("KIS_DB")
            .env("KIS_HEUTE", "28.01.2026")
            .env("KIS_PASSWORD", user)
            .output()
            .expect("kis startet");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            text,
        )
    };
    let ok = |user: &str, args: &[&str]| {
        let (erfolg, stdout, text) = kis(user, args);
        assert!(erfolg, "{args:?}: {text}");
        (stdout, text)
    };
    let o = Command::new(env!("CARGO_BIN_EXE_kis"))
        .arg("--db")
        .arg(&db)
        .args(["--neu", "demo", "load"])
        .env_remove("KIS_DB")
        .env("KIS_HEUTE", "28.01.2026")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (lauf, _) = ok(
        "personal",
        &["batch", "persos-abrechnung", "--monat", "2026-01"],
    );
    assert!(lauf.contains("FINAS-Buchung Nr. "), "{lauf}");
    let (erfolg, _, text) = kis(
        "personal",
        &["persos", "sepa", "--monat", "2026-01", "--out", "-"],
    );
    assert!(!erfolg, "{text}");
    let (_, meldung) = ok("kaemmerer", &["finas", "anordnung", "freigeben", "--alle"]);
    assert!(meldung.contains("147"), "{meldung}");
    let out = dir.join("zahllauf");
    let (pfade, _) = ok(
        "kasse",
        &[
            "finas",
            "zahllauf",
            "--datum",
            "30.01.2026",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let pain001 = pfade
        .lines()
        .find(|p| p.contains("pain.001"))
        .expect(&pfade);
    let xml = std::fs::read_to_string(pain001).unwrap();
    assert_eq!(lies(&xml).zahlungen.len(), 147);
    assert_eq!(xml.matches("<Cd>SALA</Cd>").count(), 147);
    let (journal, _) = ok("personal", &["persos", "lohnjournal", "--monat", "2026-01"]);
    assert!(journal.contains("BUCHUNG IN FINAS"), "{journal}");
    let _ = std::fs::remove_dir_all(&dir);
}
