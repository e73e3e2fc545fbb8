//! FINAS Kasse (first part) on SQLite and PostgreSQL: Geschäftspartner with
//! bank data, Kassenzeichen, Anordnungen with the Vier-Augen-Prinzip and
//! their postings, the Personenkonten's open items.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::journal;
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, AnordnungStatus, Faelligkeit, OpFilter, PartnerArt, PartnerInput,
};
use kis::finas::kasse::partner::MandatInput;
use kis::finas::kasse::{anordnung, einstellung, kassenzeichen, partner, personenkonto};
use kis::params;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

fn firma(name: &str) -> PartnerInput {
    PartnerInput {
        art: Some(PartnerArt::Firma),
        name: name.into(),
        strasse: "Hafenstraße 9".into(),
        plz: "59999".into(),
        ort: "Musterstadt".into(),
        ..Default::default()
    }
}

fn gebuehr(partner: i64) -> AnordnungInput {
    AnordnungInput {
        reservierung: None,
        art: AnordnungArt::Annahme,
        partner,
        produkt: "01.01.01".into(),
        konto: "4311".into(),
        kostenstelle: None,
        gegenkonto: None,
        text: "Verwaltungsgebühr Bauschein".into(),
        faelligkeiten: vec![
            Faelligkeit {
                faellig: d(12, 15),
                betrag: eur("60,00"),
            },
            Faelligkeit {
                faellig: d(12, 1),
                betrag: eur("40,00"),
            },
        ],
    }
}

fn audit_actions(db: &Db, key: &str) -> Vec<String> {
    db.read(|sql| {
        sql.query(
            "SELECT action, user_name FROM audit_log WHERE entity = 'fin_anordnung' AND record_key = ? ORDER BY seq",
            &params![key],
        )
    })
    .unwrap()
    .iter()
    .map(|r| format!("{} {}", r.str(0).unwrap(), r.str(1).unwrap()))
    .collect()
}

kis::store_test!(vier_augen_freigabe_bucht_und_storno_kehrt_um, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let id = partner::anlegen(&buchhalter, &firma("Hafenbetriebe Nord GmbH")).unwrap();

    // Entered by the Kämmerer himself: he may not release it.
    let eigen = anordnung::erfassen(&kaemmerer, &gebuehr(id)).unwrap();
    let e = anordnung::freigeben(&kaemmerer, eigen.nr).unwrap_err();
    assert!(
        matches!(e, KisError::Permission(ref m) if m.contains("Vier-Augen")),
        "{e}"
    );
    assert_eq!(
        anordnung::lesen(&kaemmerer, eigen.nr).unwrap().status,
        AnordnungStatus::Erfasst
    );
    // Nor can anyone write the release around the service.
    let direkt = db.write(|sql| {
        sql.execute(
            "UPDATE fin_anordnung SET status = 'FREIGEGEBEN', freigegeben_von = erfasst_von WHERE mandant = '001' AND nr = ?",
            &params![eigen.nr],
        )
    });
    assert!(direkt.is_err(), "{direkt:?}");

    // Entered by the Buchhalter, who has no Anordnungsbefugnis, released by the Kämmerer.
    let a = anordnung::erfassen(&buchhalter, &gebuehr(id)).unwrap();
    assert!(kassenzeichen::pruefen("kz", &a.kassenzeichen).is_ok());
    assert_ne!(a.kassenzeichen, eigen.kassenzeichen);
    assert!(matches!(
        anordnung::freigeben(&buchhalter, a.nr),
        Err(KisError::Permission(_))
    ));
    let f = anordnung::freigeben(&kaemmerer, a.nr).unwrap();
    let b = journal::lesen(&kaemmerer, f.buchung).unwrap();
    assert_eq!(b.summe, eur("100,00"));
    assert_eq!(b.beleg, a.kassenzeichen);
    let zeile = |konto: &str| b.zeilen.iter().find(|z| z.konto == konto).unwrap().clone();
    assert_eq!(zeile("1211").soll, eur("100,00"));
    assert_eq!(zeile("4311").haben, eur("100,00"));
    assert_eq!(zeile("4311").produkt.as_deref(), Some("01.01.01"));

    // Open items: two due dates, sorted by date.
    let op = personenkonto::offene_posten(
        &buchhalter,
        &OpFilter {
            partner: Some(id),
            ..Default::default()
        },
        100,
    )
    .unwrap();
    assert_eq!(op.len(), 2);
    assert_eq!((op[0].faellig, op[0].rest()), (d(12, 1), eur("40,00")));
    let bis = OpFilter {
        partner: Some(id),
        faellig_bis: Some(d(12, 10)),
        ..Default::default()
    };
    assert_eq!(
        personenkonto::offene_posten(&buchhalter, &bis, 100)
            .unwrap()
            .len(),
        1
    );

    // Cancelling the released one reverses the posting and closes the items.
    assert!(matches!(
        anordnung::stornieren(&buchhalter, a.nr, "Doppelt erfasst"),
        Err(KisError::Permission(_))
    ));
    let storno = anordnung::stornieren(&kaemmerer, a.nr, "Doppelt erfasst")
        .unwrap()
        .unwrap();
    assert_eq!(
        journal::lesen(&kaemmerer, storno).unwrap().storno_von,
        Some(f.buchung)
    );
    assert_eq!(
        journal::lesen(&kaemmerer, f.buchung)
            .unwrap()
            .storniert_durch,
        Some(storno)
    );
    assert!(
        personenkonto::offene_posten(
            &buchhalter,
            &OpFilter {
                partner: Some(id),
                ..Default::default()
            },
            100
        )
        .unwrap()
        .is_empty()
    );
    assert!(anordnung::stornieren(&kaemmerer, a.nr, "nochmal").is_err());

    assert_eq!(
        audit_actions(db, &a.nr.to_string()),
        vec![
            "ANORDNUNG_ERFASSEN BUCHHALTER",
            "ANORDNUNG_FREIGEBEN KAEMMERER",
            "ANORDNUNG_STORNIEREN KAEMMERER"
        ]
    );
    assert_eq!(
        audit_actions(db, &eigen.nr.to_string()),
        vec!["ANORDNUNG_ERFASSEN KAEMMERER"]
    );
    assert!(matches!(
        kis::kernel::audit::verify(db).unwrap(),
        kis::kernel::audit::Verdict::Intact { .. }
    ));
});

kis::store_test!(
    auszahlung_prueft_haushalt_und_aendern_wird_protokolliert,
    |db: &Db| {
        let clock = demo_env(db, d(11, 25));
        let buchhalter = session(db, clock.clone(), "BUCHHALTER");
        let kaemmerer = session(db, clock.clone(), "KAEMMERER");
        let id = partner::anlegen(&buchhalter, &firma("Bürobedarf Nord KG")).unwrap();
        let mut input = AnordnungInput {
            reservierung: None,
            art: AnordnungArt::Auszahlung,
            partner: id,
            produkt: "01.01.01".into(),
            konto: "5431".into(),
            kostenstelle: None,
            gegenkonto: None,
            text: "Büromaterial".into(),
            faelligkeiten: vec![Faelligkeit {
                faellig: d(12, 1),
                betrag: eur("10.500,00"),
            }],
        };
        // Over the Ansatz of 10.000,00 €: refused at entry, nothing written.
        let e = anordnung::erfassen(&buchhalter, &input).unwrap_err();
        assert!(
            matches!(e, KisError::Conflict(ref m) if m.contains("abgelehnt")),
            "{e}"
        );
        input.faelligkeiten[0].betrag = eur("9.500,00");
        let a = anordnung::erfassen(&buchhalter, &input).unwrap();
        assert!(a.warnung.is_some(), "over 90 % warns");
        input.faelligkeiten[0].betrag = eur("500,00");
        input.text = "Büromaterial (korrigiert)".into();
        let v = anordnung::lesen(&buchhalter, a.nr).unwrap().version;
        anordnung::aendern(&buchhalter, a.nr, v, &input).unwrap();
        assert!(
            anordnung::aendern(&buchhalter, a.nr, v, &input).is_err(),
            "stale version"
        );
        let f = anordnung::freigeben(&kaemmerer, a.nr).unwrap();
        let b = journal::lesen(&kaemmerer, f.buchung).unwrap();
        assert_eq!(
            b.zeilen.iter().find(|z| z.konto == "5431").unwrap().soll,
            eur("500,00")
        );
        assert_eq!(
            b.zeilen.iter().find(|z| z.konto == "3511").unwrap().haben,
            eur("500,00")
        );
        assert!(
            anordnung::aendern(&buchhalter, a.nr, v + 1, &input).is_err(),
            "released"
        );
        assert_eq!(
            audit_actions(db, &a.nr.to_string()),
            vec![
                "ANORDNUNG_ERFASSEN BUCHHALTER",
                "ANORDNUNG_AENDERN BUCHHALTER",
                "ANORDNUNG_FREIGEBEN KAEMMERER"
            ]
        );
    }
);

kis::store_test!(
    falsche_iban_und_falsches_kassenzeichen_werden_abgelehnt,
    |db: &Db| {
        let clock = demo_env(db, d(11, 25));
        let kasse = session(db, clock.clone(), "KASSE");
        let buchhalter = session(db, clock.clone(), "BUCHHALTER");
        let id = partner::anlegen(&kasse, &firma("Gärtnerei Blum")).unwrap();
        let e = partner::bank_hinzufuegen(&kasse, id, "DE89 3704 0044 0532 0130 01", "", "")
            .unwrap_err();
        assert_eq!(e.field_key(), Some("iban"));
        assert!(e.to_string().contains("Prüfziffer"), "{e}");
        assert!(partner::zeigen(&kasse, id).unwrap().banken.is_empty());
        partner::bank_hinzufuegen(&kasse, id, "DE89 3704 0044 0532 0130 00", "COBADEFFXXX", "")
            .unwrap();
        assert!(
            partner::bank_hinzufuegen(&kasse, id, "DE89370400440532013000", "", "").is_err(),
            "twice"
        );

        // A mandate needs one of the partner's IBANs; it lapses 36 months after signature unused.
        let m = |referenz: &str, iban: &str| MandatInput {
            referenz: referenz.into(),
            iban: iban.into(),
            unterschrieben: d(1, 10),
            wiederkehrend: true,
        };
        assert!(
            partner::mandat_anlegen(&kasse, id, &m("BLUM-1", "DE02120300000000202051")).is_err()
        );
        partner::mandat_anlegen(&kasse, id, &m("BLUM-1", "DE89370400440532013000")).unwrap();
        assert!(
            partner::mandat_anlegen(&kasse, id, &m("BLUM-1", "DE89370400440532013000")).is_err()
        );
        let ansicht = partner::zeigen(&kasse, id).unwrap();
        assert_eq!(ansicht.mandate[0].stand_text(d(11, 25)), "gültig (FRST)");
        assert!(
            ansicht.mandate[0]
                .stand_text(NaiveDate::from_ymd_opt(2029, 1, 10).unwrap())
                .starts_with("verfallen")
        );
        partner::mandat_widerrufen(&kasse, "BLUM-1", d(11, 25)).unwrap();
        assert!(
            partner::zeigen(&kasse, id).unwrap().mandate[0]
                .stand_text(d(11, 25))
                .starts_with("widerrufen")
        );

        let a = anordnung::erfassen(&buchhalter, &gebuehr(id)).unwrap();
        let mut falsch = a.kassenzeichen.clone().into_bytes();
        falsch[10] = b'0' + (falsch[10] - b'0' + 1) % 10;
        let falsch = String::from_utf8(falsch).unwrap();
        let e = anordnung::zu_kassenzeichen(&kasse, &falsch).unwrap_err();
        assert!(e.to_string().contains("Prüfziffer"), "{e}");
        let f = OpFilter {
            kassenzeichen: Some(falsch),
            ..Default::default()
        };
        assert!(personenkonto::offene_posten(&kasse, &f, 10).is_err());
        assert_eq!(
            anordnung::zu_kassenzeichen(&kasse, &kassenzeichen::anzeigen(&a.kassenzeichen))
                .unwrap()
                .nr,
            a.nr
        );
        // The Kasse reads but does not enter Anordnungen.
        assert!(matches!(
            anordnung::erfassen(&kasse, &gebuehr(id)),
            Err(KisError::Permission(_))
        ));
    }
);

kis::store_test!(op_liste_sucht_und_schreibt_csv, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let e = einstellung::lesen(&buchhalter).unwrap();
    assert_eq!(e.glaeubiger_id, "DE98ZZZ09999999999");
    let id = partner::anlegen(&buchhalter, &firma("Müller; Söhne OHG")).unwrap();
    partner::bank_hinzufuegen(&buchhalter, id, "DE89370400440532013000", "", "").unwrap();
    let a = anordnung::erfassen(&buchhalter, &gebuehr(id)).unwrap();
    // Not released: not an open item yet.
    let by_name = OpFilter {
        name: Some("mueller".into()),
        ..Default::default()
    };
    assert!(
        personenkonto::offene_posten(&buchhalter, &by_name, 10)
            .unwrap()
            .is_empty()
    );
    anordnung::freigeben(&kaemmerer, a.nr).unwrap();
    assert_eq!(
        personenkonto::offene_posten(&buchhalter, &by_name, 10)
            .unwrap()
            .len(),
        2
    );
    let by_iban = OpFilter {
        iban: Some("de89 3704 0044 0532 0130 00".into()),
        ..Default::default()
    };
    assert_eq!(
        personenkonto::offene_posten(&buchhalter, &by_iban, 10)
            .unwrap()
            .len(),
        2
    );
    let by_betrag = OpFilter {
        betrag: Some(eur("60,00")),
        partner: Some(id),
        ..Default::default()
    };
    let op = personenkonto::offene_posten(&buchhalter, &by_betrag, 10).unwrap();
    assert_eq!(op.len(), 1);
    let by_kz = OpFilter {
        kassenzeichen: Some(kassenzeichen::anzeigen(&a.kassenzeichen)),
        ..Default::default()
    };
    let op = personenkonto::offene_posten(&buchhalter, &by_kz, 10).unwrap();
    assert_eq!(
        personenkonto::op_csv(&op),
        format!(
            "kassenzeichen;partner;faellig;offen;iban\n{kz};\"{id} Müller; Söhne OHG\";01.12.2026;40,00;DE89370400440532013000\n{kz};\"{id} Müller; Söhne OHG\";15.12.2026;60,00;DE89370400440532013000\n",
            kz = a.kassenzeichen
        )
    );
    let verlauf = personenkonto::verlauf(&buchhalter, id).unwrap();
    assert_eq!(verlauf.len(), 1);
    assert_eq!(verlauf[0].summe(), eur("100,00"));
});

kis::store_test!(ewos_verknuepfung_nur_mit_passendem_namen, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let kasse = session(db, clock.clone(), "KASSE");
    // The demo links residents already; OM 1 is Hans Peter Meier.
    let liste = partner::liste(&kasse, "Meier", 50).unwrap();
    let meier = liste
        .iter()
        .find(|p| p.ewos_person == Some(1))
        .expect("Meier verknüpft");
    assert_eq!(meier.vorname, "Hans Peter");
    assert!(
        partner::zeigen(&kasse, meier.id)
            .unwrap()
            .aufgaben
            .is_empty()
    );
    let mut input = PartnerInput {
        art: Some(PartnerArt::Person),
        name: "Schmidt".into(),
        ewos_person: Some(2),
        ..Default::default()
    };
    let e = partner::anlegen(&kasse, &input).unwrap_err();
    assert_eq!(e.field_key(), Some("ewos_person"), "{e}");
    input.name = "Meier".into();
    // OM 2 (Ursula Meier) may be linked, but she is a partner already.
    assert!(matches!(
        partner::anlegen(&kasse, &input),
        Err(KisError::Conflict(_))
    ));
});

kis::store_test!(demo_anordnungen_und_sammelfreigabe, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let nrs = kis::finas::kasse::generator::anordnungen(&buchhalter, 60).unwrap();
    assert_eq!(nrs.len(), 60);
    let eigen = anordnung::erfassen(&kaemmerer, &gebuehr(1)).unwrap();
    assert!(matches!(
        anordnung::alle_freigeben(&buchhalter),
        Err(KisError::Permission(_))
    ));
    let (n, _) = anordnung::alle_freigeben(&kaemmerer).unwrap();
    assert_eq!(n, 60, "only those entered by someone else");
    assert_eq!(
        anordnung::lesen(&kaemmerer, eigen.nr).unwrap().status,
        AnordnungStatus::Erfasst
    );
    let op = personenkonto::offene_posten(&buchhalter, &OpFilter::default(), 10_000).unwrap();
    assert_eq!(op.len(), (0..60).map(|i| 1 + i % 3).sum::<usize>());
    assert!(op.iter().any(|p| p.art == AnordnungArt::Auszahlung));
    assert!(op.windows(2).all(|w| w[0].faellig <= w[1].faellig));
    assert!(
        journal::summen_pruefen(&kaemmerer, 2026)
            .unwrap()
            .is_empty()
    );
});
