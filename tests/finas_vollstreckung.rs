//! Vollstreckungsübergabe on SQLite and PostgreSQL: after the last
//! Mahnstufe and its deadline, one row per Kassenzeichen with the amounts
//! split into Hauptforderung, Säumniszuschläge, Zinsen and Kosten; a
//! resident's address only where the register gives it (never a blocked
//! one); each item handed over once and no longer dunned.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::ewos::model::{SperrArt, Sperre};
use kis::ewos::person;
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, PartnerArt, PartnerInput,
};
use kis::finas::kasse::{anordnung, partner};
use kis::finas::mahnwesen::{mahnlauf, niederschlagung, vollstreckung};
use kis::kernel::session::Session;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

fn heute(clock: &kis::core::clock::FixedClock, tag: NaiveDate) {
    clock.set(tag.and_hms_opt(9, 0, 0).unwrap());
}

fn forderung(buchhalter: &Session, kaemmerer: &Session, partner: i64, betrag: &str) -> String {
    let a = anordnung::erfassen(
        buchhalter,
        &AnordnungInput {
            reservierung: None,
            art: AnordnungArt::Annahme,
            partner,
            produkt: "01.01.01".into(),
            konto: "4311".into(),
            kostenstelle: None,
            gegenkonto: None,
            text: "Gebühr".into(),
            faelligkeiten: vec![Faelligkeit {
                faellig: d(9, 1),
                betrag: eur(betrag),
            }],
        },
    )
    .unwrap();
    anordnung::freigeben(kaemmerer, a.nr).unwrap();
    a.kassenzeichen
}

fn firma(kasse: &Session, name: &str) -> i64 {
    partner::anlegen(
        kasse,
        &PartnerInput {
            art: Some(PartnerArt::Firma),
            name: name.into(),
            strasse: "Hafenstraße 9".into(),
            plz: "59999".into(),
            ort: "Musterstadt".into(),
            ..Default::default()
        },
    )
    .unwrap()
}

kis::store_test!(
    uebergabe_nach_letzter_mahnstufe_ohne_gesperrte_anschrift,
    |db: &Db| {
        let clock = demo_env(db, d(9, 1));
        let kasse = session(db, clock.clone(), "KASSE");
        let buchhalter = session(db, clock.clone(), "BUCHHALTER");
        let kaemmerer = session(db, clock.clone(), "KAEMMERER");
        let meldeamt = session(db, clock.clone(), "MEIER");
        let gast = session(db, clock.clone(), "GAST");

        let kz_firma = forderung(
            &buchhalter,
            &kaemmerer,
            firma(&kasse, "Zahlt nie GmbH"),
            "500,00",
        );
        // OM 1, Hans Peter Meier, is a linked partner of the demo.
        let meier = partner::liste(&kasse, "Meier", 50)
            .unwrap()
            .into_iter()
            .find(|p| p.ewos_person == Some(1))
            .unwrap();
        let kz_meier = forderung(&buchhalter, &kaemmerer, meier.id, "300,00");
        let ns = firma(&kasse, "Niedergeschlagen AG");
        forderung(&buchhalter, &kaemmerer, ns, "800,00");
        let ns_nr = anordnung::lesen(&kaemmerer, 3).unwrap();
        assert_eq!(ns_nr.partner, ns);
        niederschlagung::niederschlagen(&kaemmerer, ns_nr.nr, None, "Firma gelöscht").unwrap();

        // Two Mahnstufen (the demo's), each sent.
        for tag in [d(9, 15), d(9, 29)] {
            heute(&clock, tag);
            let e = mahnlauf::ausfuehren(&kasse, tag).unwrap();
            mahnlauf::versenden(&kasse, e.nr).unwrap();
        }
        // Before the second Mahnung's deadline (06.10.) nothing is reif.
        heute(&clock, d(10, 6));
        assert!(matches!(
            vollstreckung::uebergeben(&kasse, &mut |_| Ok(())),
            Err(KisError::Conflict(_))
        ));
        // A file that cannot be written records nothing.
        heute(&clock, d(10, 7));
        assert!(
            vollstreckung::uebergeben(&kasse, &mut |_| Err(KisError::validation(
                "Datei nicht schreibbar"
            )))
            .is_err()
        );
        assert!(vollstreckung::liste(&kasse).unwrap().is_empty());
        assert!(matches!(
            vollstreckung::uebergeben(&gast, &mut |_| Ok(())),
            Err(KisError::Permission(_))
        ));

        // Meier obtains an Auskunftssperre; his address must not leave.
        person::sperre_eintragen(
            &meldeamt,
            1,
            &Sperre {
                id: 0,
                art: SperrArt::Auskunft51,
                grund: "Gefährdung".into(),
                behoerde: "Polizei Musterstadt".into(),
                ab: d(10, 1),
                bis: None,
            },
        )
        .unwrap();

        let mut datei = String::new();
        let (nr, faelle) = vollstreckung::uebergeben(&kasse, &mut |f| {
            datei = vollstreckung::csv(f);
            Ok(())
        })
        .unwrap();
        assert_eq!(faelle.len(), 2, "{faelle:?}");
        let f = faelle.iter().find(|f| f.kassenzeichen == kz_firma).unwrap();
        assert_eq!(
            (f.strasse.as_str(), f.anschrift_quelle.as_str()),
            ("Hafenstraße 9", "Geschäftspartner")
        );
        // Säumniszuschlag of run 1 (one month on 500 €), fees of both runs (1 %,
        // at least 5 €).
        assert_eq!(
            (
                f.hauptforderung,
                f.saeumniszuschlaege,
                f.zinsen,
                f.kosten,
                f.gesamt()
            ),
            (
                eur("500,00"),
                eur("5,00"),
                Money::zero(),
                eur("10,00"),
                eur("515,00")
            )
        );
        assert_eq!(f.faellig_seit, d(9, 1));
        assert_eq!(f.letzte_mahnung, Some(d(9, 29)));
        let m = faelle.iter().find(|f| f.kassenzeichen == kz_meier).unwrap();
        assert_eq!(
            (m.strasse.as_str(), m.plz.as_str(), m.ort.as_str()),
            ("", "", "")
        );
        assert_eq!(m.anschrift_quelle, "Einzelersuchen § 34 BMG");
        let mut zeilen = datei.lines();
        assert_eq!(zeilen.next(), Some(vollstreckung::KOPF));
        assert!(datei.contains(&format!("{kz_firma};Zahlt nie GmbH;Hafenstraße 9;59999;Musterstadt;Geschäftspartner;500,00;5,00;0,00;10,00;515,00;01.09.2026;29.09.2026")), "{datei}");
        assert_eq!(datei.lines().count(), 3);

        // Handed over once; no longer dunned.
        assert!(matches!(
            vollstreckung::uebergeben(&kasse, &mut |_| Ok(())),
            Err(KisError::Conflict(_))
        ));
        let liste = vollstreckung::liste(&gast).unwrap();
        assert_eq!(liste.len(), 1);
        assert_eq!(
            (liste[0].nr, liste[0].posten),
            (nr, 8),
            "H, S and two K for each"
        );
        heute(&clock, d(10, 20));
        if let Ok(e) = mahnlauf::ausfuehren(&kasse, d(10, 20)) {
            assert!(
                e.mahnungen.iter().all(|m| m
                    .posten
                    .iter()
                    .all(|p| p.kassenzeichen != kz_firma && p.kassenzeichen != kz_meier)),
                "handed over items dunned again"
            );
        }
    }
);
