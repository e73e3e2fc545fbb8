//! Rückrechnung on both stores: months already paid are computed again with
//! today's master data; the differences are kept per employee and paid (or
//! set off) with the next regular run; FINAS follows every step.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::persos::finas::{self as persos_finas, Verbindlichkeit};
use kis::persos::lauf;
use kis::persos::laufdaten::LaufArt;
use kis::persos::{bescheinigung, stamm};
use kis::store::Db;
use kis::testing::{demo_env, session};

/// Number and total (cents) of the Auszahlungsanordnungen posted by a Buchung.
fn angeordnet(db: &Db, buchung: i64) -> (i64, i64) {
    db.read(|sql| {
        let r = sql.query_one(
            "SELECT COUNT(*), CAST(COALESCE(SUM(f.betrag), 0) AS BIGINT) FROM fin_anordnung a \
             JOIN fin_faelligkeit f ON f.mandant = a.mandant AND f.anordnung = a.nr \
             WHERE a.vorgebucht = ? AND a.status <> 'STORNIERT'",
            &kis::params![buchung],
        )?;
        Ok((r.i64(0)?, r.i64(1)?))
    })
    .unwrap()
}

fn offene(db: &Db) -> i64 {
    db.read(|sql| {
        sql.query_one(
            "SELECT COUNT(*) FROM persos_differenz WHERE ausgeglichen_monat IS NULL",
            &[],
        )
    })
    .unwrap()
    .i64(0)
    .unwrap()
}

fn auszahlung(s: &kis::kernel::session::Session, monat: &str) -> Money {
    lauf::ergebnis(s, monat, "01001").unwrap().1.auszahlung
}

kis::store_test!(
    rueckrechnung_pays_the_difference_with_the_next_run,
    |db: &Db| {
        let clock = demo_env(db, NaiveDate::from_ymd_opt(2026, 4, 20).unwrap());
        let s = session(db, clock.clone(), "PERSONAL");
        for m in ["2026-01", "2026-02", "2026-03"] {
            lauf::starte(&s, m, &mut |_, _| Ok(())).unwrap();
        }
        let (feb_alt, mar_alt) = (auszahlung(&s, "2026-02"), auszahlung(&s, "2026-03"));

        // Only a month that was paid can be corrected.
        let err = lauf::rueckrechnen(&s, "2026-06").unwrap_err();
        assert!(matches!(err, KisError::NotFound(_)), "{err}");

        // 01001 should have been in Stufe 4 since February.
        let mut e = stamm::get(&s, "01001").unwrap();
        e.stufe = 4;
        stamm::update(&s, &e).unwrap();
        let k = lauf::rueckrechnen(&s, "2026-02").unwrap();
        assert_eq!(k.len(), 2, "February and March");
        let (feb_neu, mar_neu) = (auszahlung(&s, "2026-02"), auszahlung(&s, "2026-03"));
        assert!(feb_neu > feb_alt);
        // Only 01001 changed; the differences are exact to the cent.
        assert_eq!(
            k[0].differenzen,
            vec![("01001".to_string(), feb_neu - feb_alt)]
        );
        assert_eq!(
            k[1].differenzen,
            vec![("01001".to_string(), mar_neu - mar_alt)]
        );
        assert_eq!(k[0].lauf.art, LaufArt::Rueckrechnung);
        assert_eq!(offene(db), 2);
        // January stays as it was.
        assert_eq!(
            lauf::ergebnis(&s, "2026-01", "01001")
                .unwrap()
                .1
                .grundentgelt,
            Money::new("3986.06".parse().unwrap())
        );

        // FINAS follows: the posting of February is the new run's.
        let u = persos_finas::uebersicht(&s, "2026-02").unwrap().unwrap();
        assert_eq!(u.lauf_nr, k[0].lauf.lauf_nr);
        let (zeilen, _) = bescheinigung::lohnjournal(&s, "2026-02").unwrap();
        let lst: Money = zeilen.iter().map(|z| z.lohnsteuer).sum();
        assert_eq!(u.verbindlichkeit(Verbindlichkeit::Lohnsteuer), lst);
        assert!(
            u.auszahlungen.is_empty(),
            "a correction run orders no payment"
        );
        // It transfers nothing itself and cannot be reversed.
        assert_eq!(angeordnet(db, u.buchung), (0, 0), "no Auszahlungsanordnung");
        // The replaced runs' Anordnungen stay: the differences are computed
        // against what they pay.
        assert_eq!(
            db.read(|sql| sql.query_one(
                "SELECT COUNT(*) FROM fin_anordnung WHERE vorgebucht IS NOT NULL AND status = 'STORNIERT'",
                &[]
            )?
            .i64(0))
            .unwrap(),
            0
        );
        let storno = lauf::storniere(&s, "2026-03").unwrap_err();
        assert!(
            storno.to_string().contains("kann nicht storniert werden"),
            "{storno}"
        );

        // April pays the differences on top of its own payout.
        lauf::starte(&s, "2026-04", &mut |_, _| Ok(())).unwrap();
        let (_, april) = lauf::ergebnis(&s, "2026-04", "01001").unwrap();
        let nachzahlung = (feb_neu - feb_alt) + (mar_neu - mar_alt);
        assert_eq!(april.rueckrechnung.len(), 2);
        assert_eq!(april.auszahlung, april.auszahlung_eigen() + nachzahlung);
        assert_eq!(offene(db), 0);
        let doc = bescheinigung::entgeltbescheinigung(&s, "2026-04", "01001").unwrap();
        assert!(
            doc.contains("+ Nachzahlung aus Rückrechnung 02.2026"),
            "{doc}"
        );
        // The transfer includes the differences; the Buchung's net-pay
        // liability is April's own.
        let u = persos_finas::uebersicht(&s, "2026-04").unwrap().unwrap();
        let anordnung = u
            .auszahlungen
            .iter()
            .find(|a| a.personalnummer == "01001")
            .unwrap();
        assert_eq!(anordnung.betrag, april.auszahlung);
        let (zeilen, _) = bescheinigung::lohnjournal(&s, "2026-04").unwrap();
        let ueberweisungen: Money = u.auszahlungen.iter().map(|a| a.betrag).sum();
        let journal: Money = zeilen.iter().map(|z| z.auszahlung).sum();
        assert_eq!(ueberweisungen, journal);
        assert_eq!(
            u.verbindlichkeit(Verbindlichkeit::Netto),
            journal - nachzahlung
        );
        let (anzahl, summe) = angeordnet(db, u.buchung);
        assert_eq!(anzahl, u.auszahlungen.len() as i64);
        assert_eq!(summe, journal.cents());

        // Reversing April opens the differences again; the rerun pays them.
        lauf::storniere(&s, "2026-04").unwrap();
        assert_eq!(offene(db), 2);
        lauf::starte(&s, "2026-04", &mut |_, _| Ok(())).unwrap();
        assert_eq!(offene(db), 0);
        assert_eq!(auszahlung(&s, "2026-04"), april.auszahlung);

        // Back to Stufe 3 from February: now 01001 was overpaid; May sets it off.
        e = stamm::get(&s, "01001").unwrap();
        e.stufe = 3;
        stamm::update(&s, &e).unwrap();
        let k = lauf::rueckrechnen(&s, "2026-02").unwrap();
        assert_eq!(k.len(), 3, "February, March and April");
        let zurueck: Money = k
            .iter()
            .flat_map(|k| k.differenzen.iter().map(|d| d.1))
            .sum();
        assert!(zurueck.is_negative());
        // April's own payout goes back to the old Stufe; what April had paid on
        // top stays paid (it is not a difference of April's own pay).
        assert_eq!(k[2].differenzen.len(), 1);
        let (_, april_rr) = lauf::ergebnis(&s, "2026-04", "01001").unwrap();
        assert_eq!(
            april_rr.rueckrechnung, april.rueckrechnung,
            "what April paid stays on record"
        );
        assert_eq!(
            april_rr.auszahlung - april_rr.auszahlung_eigen(),
            nachzahlung
        );
        clock.set(
            NaiveDate::from_ymd_opt(2026, 5, 20)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        );
        lauf::starte(&s, "2026-05", &mut |_, _| Ok(())).unwrap();
        let (_, mai) = lauf::ergebnis(&s, "2026-05", "01001").unwrap();
        assert_eq!(mai.auszahlung, mai.auszahlung_eigen() + zurueck);
        let doc = bescheinigung::entgeltbescheinigung(&s, "2026-05", "01001").unwrap();
        assert!(
            doc.contains("− Rückforderung aus Rückrechnung 02.2026"),
            "{doc}"
        );

        // Reading users cannot correct.
        let gast = session(db, clock.clone(), "GAST");
        assert!(lauf::rueckrechnen(&gast, "2026-02").is_err());
    }
);
