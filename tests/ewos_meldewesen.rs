//! EWOS acceptance scenarios 1–7, 9, 10 (and the in-scope part of 8) of
//! shared/domain/EWOS.md on both stores.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::ewos::auskunft::{self, Anfrage, Ausgang, NEUTRALE_ANTWORT};
use kis::ewos::loeschfristen;
use kis::ewos::meldung::{
    self, Abmeldeart, Abmeldung, AnmeldePerson, Anmeldung, Entscheidung22, Rueckmeldung, Ummeldung,
    WegzugErgebnis,
};
use kis::ewos::model::Wohnungsgeber;
use kis::ewos::model::*;
use kis::ewos::standesamt::{self, Eheschliessung, Geburt, Sterbefall};
use kis::ewos::suche::{self, Suche};
use kis::ewos::{person, repo};
use kis::kernel::session::Session;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(y: i32, m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, t).unwrap()
}

fn env(db: &Db, today: NaiveDate, user: &str) -> Session {
    let clock = demo_env(db, today);
    session(db, clock, user)
}

fn adresse(strasse: &str, nr: u32) -> Adresse {
    Adresse {
        strasse: strasse.into(),
        hausnummer: nr,
        zusatz: String::new(),
        lage: String::new(),
    }
}

fn familie(einzug: NaiveDate, anmeldedatum: Option<NaiveDate>) -> Anmeldung {
    let mut vater = PersonDaten::new(
        "Brinkmann",
        "Jörg Michael",
        d(1980, 5, 1),
        Geschlecht::Maennlich,
    );
    vater.rufname = "Michael".into();
    vater.familienstand = "VH".into();
    vater.familienstand_datum = Some(d(2008, 8, 8));
    vater.idnr = Some("86095742719".into());
    let mut mutter = PersonDaten::new("Brinkmann", "Katrin", d(1982, 2, 2), Geschlecht::Weiblich);
    mutter.familienstand = "VH".into();
    mutter.familienstand_datum = Some(d(2008, 8, 8));
    mutter.fruehere_namen.push(FruehererName {
        art: 'G',
        name: "Overbeck".into(),
        bis: Some(d(2008, 8, 8)),
    });
    let k1 = PersonDaten::new("Brinkmann", "Lina", d(2012, 3, 3), Geschlecht::Weiblich);
    let k2 = PersonDaten::new("Brinkmann", "Ole", d(2016, 4, 4), Geschlecht::Maennlich);
    Anmeldung {
        einzug,
        anmeldedatum,
        adresse: adresse("00070", 20),
        art: WohnungsArt::Haupt,
        herkunft: Herkunft::Inland {
            anschrift: "Domplatz 3, 48143 Münster".into(),
            gemeinde: "Stadt Münster".into(),
        },
        wohnungsgeber: Some(Wohnungsgeber {
            name: "Wohnbau Musterstadt".into(),
            anschrift: "Rathausplatz 2".into(),
            datum: d(2026, 2, 20),
        }),
        personen: vec![
            AnmeldePerson::Neu(vater),
            AnmeldePerson::Neu(mutter),
            AnmeldePerson::Neu(k1),
            AnmeldePerson::Neu(k2),
        ],
        bindungen: vec![
            (0, 1, BindungsArt::Ehe),
            (0, 2, BindungsArt::Eltern),
            (1, 2, BindungsArt::Eltern),
            (0, 3, BindungsArt::Eltern),
            (1, 3, BindungsArt::Eltern),
        ],
        entscheidung22: None,
    }
}

fn find(s: &Session, name: &str, phon: bool) -> Vec<String> {
    suche::seite(
        s,
        &Suche {
            name: name.into(),
            phonetisch: phon,
            ..Default::default()
        },
        0,
        100,
    )
    .unwrap()
    .into_iter()
    .map(|t| format!("{} {}", t.familienname, t.vornamen))
    .collect()
}

kis::store_test!(s1_anmeldung_familie, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "MEIER");
    let e = meldung::anmelden(&s, &familie(d(2026, 3, 1), None)).unwrap();
    assert_eq!(e.person_ids.len(), 4);
    assert!(!e.verspaetet);
    assert_eq!(e.bestaetigungen.len(), 4);
    assert!(
        e.bestaetigungen[0].contains("Jörg *Michael*"),
        "{}",
        e.bestaetigungen[0]
    );
    assert!(
        e.bestaetigungen[0].contains("01.03.2026") && e.bestaetigungen[0].contains("05.03.2026")
    );
    assert!(
        !e.bestaetigungen[0].contains("86095742719"),
        "no IdNr in the Meldebestätigung"
    );
    let vater = person::anzeigen(&s, e.person_ids[0]).unwrap();
    let rollen: Vec<&str> = vater.angehoerige.iter().map(|a| a.rolle).collect();
    assert_eq!(rollen, vec!["Ehegatte", "Kind", "Kind"]);
    let kind = person::anzeigen(&s, e.person_ids[3]).unwrap();
    assert_eq!(
        kind.angehoerige
            .iter()
            .filter(|a| a.rolle == "Elternteil")
            .count(),
        2,
        "link shown from the other side"
    );
    let w = kind.aktuelle_wohnungen();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].art, WohnungsArt::Haupt);
    assert!(
        w[0].anschrift.starts_with("Bergstraße 20"),
        "{}",
        w[0].anschrift
    );
    let haushalt: Vec<i64> = db
        .read(|sql| sql.query("SELECT DISTINCT haushalt FROM ewo_wohnung WHERE mandant = '001' AND person_id IN (SELECT id FROM ewo_person WHERE familienname = 'Brinkmann')", &[]))
        .unwrap()
        .iter()
        .map(|r| r.i64(0).unwrap())
        .collect();
    assert_eq!(haushalt.len(), 1, "one household");
    let rm =
        s.db.read(|sql| repo::uebermittlung::uebermittlungen(sql, "001", e.person_ids[0]))
            .unwrap();
    assert_eq!(rm.len(), 1);
    assert_eq!(
        (
            rm[0].richtung.as_str(),
            rm[0].art.as_str(),
            rm[0].partner.as_str(),
            rm[0].status.as_str()
        ),
        ("AUS", "RUECKMELDUNG", "Stadt Münster", "erstellt")
    );
    let docs = person::dokumente(&s, e.person_ids[2]).unwrap();
    assert_eq!(
        docs.iter().filter(|x| x.art == "MELDEBESTAETIGUNG").count(),
        1
    );
    let hist = person::historie(&s, e.person_ids[0]).unwrap();
    assert!(hist.iter().any(|h| h.feld == "Hauptwohnung"
        && h.quelle == "Anmeldung"
        && h.gueltig_ab == d(2026, 3, 1)
        && h.benutzer == "MEIER"));
});

kis::store_test!(s2_verspaetete_anmeldung, |db: &Db| {
    let s = env(db, d(2026, 3, 20), "MEIER");
    let e = meldung::anmelden(&s, &familie(d(2026, 3, 1), None)).unwrap();
    assert!(e.verspaetet);
    assert!(
        e.hinweise
            .iter()
            .any(|h| h.contains("verspätete Anmeldung")),
        "{:?}",
        e.hinweise
    );
    assert_eq!(e.person_ids.len(), 4, "accepted nevertheless");
    let mut ohne_wgb = familie(d(2026, 3, 10), None);
    ohne_wgb.adresse = adresse("00070", 21);
    ohne_wgb.wohnungsgeber = None;
    for p in &mut ohne_wgb.personen {
        if let AnmeldePerson::Neu(x) = p {
            x.idnr = None;
        }
    }
    let e2 = meldung::anmelden(&s, &ohne_wgb).unwrap();
    assert!(e2.wgb_fehlt && !e2.verspaetet);
    assert!(
        e2.hinweise
            .iter()
            .any(|h| h.contains("Wohnungsgeberbestätigung"))
    );
});

kis::store_test!(s3_zukunft_und_zweite_hauptwohnung, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "MEIER");
    let err = meldung::anmelden(&s, &familie(d(2026, 7, 5), None)).unwrap_err();
    assert_eq!(err.field_key(), Some("einzug"), "{err}");
    let ok = meldung::anmelden(&s, &familie(d(2026, 6, 5), None)).unwrap();
    let vater = ok.person_ids[0];
    // A second Hauptwohnung only through the §22 decision.
    let mut a = Anmeldung {
        personen: vec![AnmeldePerson::Vorhanden(vater)],
        bindungen: vec![],
        adresse: adresse("00010", 30),
        einzug: d(2026, 3, 5),
        ..familie(d(2026, 3, 5), None)
    };
    let err = meldung::anmelden(&s, &a).unwrap_err();
    assert_eq!(err.field_key(), Some("entscheidung22"), "{err}");
    assert!(err.to_string().contains("zweite Hauptwohnung"));
    a.entscheidung22 = Some(Entscheidung22::AlteWirdNebenwohnung);
    meldung::anmelden(&s, &a).unwrap();
    // The open dwellings: the Nebenwohnung counts from its Einzug (05.06.),
    // so it is not among today's yet (issue 22).
    let offen = |id| -> Vec<Wohnung> {
        person::anzeigen(&s, id)
            .unwrap()
            .wohnungen
            .into_iter()
            .filter(|w| w.auszug.is_none())
            .collect()
    };
    let w = offen(vater);
    assert_eq!(w.iter().filter(|w| w.art == WohnungsArt::Haupt).count(), 1);
    assert_eq!(w.iter().filter(|w| w.art == WohnungsArt::Neben).count(), 1);
    assert!(
        w.iter()
            .any(|w| w.art == WohnungsArt::Haupt && w.anschrift.starts_with("Hauptstraße 30"))
    );
    // Aufgegeben: the old one ends.
    let mutter = ok.person_ids[1];
    let b = Anmeldung {
        personen: vec![AnmeldePerson::Vorhanden(mutter)],
        entscheidung22: Some(Entscheidung22::AlteWirdAufgegeben),
        ..a.clone()
    };
    meldung::anmelden(&s, &b).unwrap();
    let w = offen(mutter);
    assert_eq!(w.len(), 1);
    assert!(w[0].anschrift.starts_with("Hauptstraße 30"));
    // An address not in the street directory is refused.
    let mut c = familie(d(2026, 3, 1), None);
    c.adresse = adresse("00070", 999);
    assert_eq!(
        meldung::anmelden(&s, &c).unwrap_err().field_key(),
        Some("strasse")
    );
});

kis::store_test!(s4_ummeldung_behaelt_historie, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "MEIER");
    let e = meldung::anmelden(&s, &familie(d(2026, 1, 10), Some(d(2026, 1, 12)))).unwrap();
    let u = Ummeldung {
        personen: e.person_ids.clone(),
        art: WohnungsArt::Haupt,
        neue_adresse: adresse("00040", 28),
        einzug: d(2026, 3, 1),
        anmeldedatum: None,
        wohnungsgeber: None,
    };
    let r = meldung::ummelden(&s, &u).unwrap();
    assert_eq!(r.bestaetigungen.len(), 4);
    assert!(
        meldung::ummelden(
            &s,
            &Ummeldung {
                einzug: d(2026, 3, 4),
                ..u.clone()
            }
        )
        .unwrap_err()
        .to_string()
        .contains("dieselbe")
    );
    let v = person::anzeigen(&s, e.person_ids[0]).unwrap();
    assert_eq!(v.wohnungen.len(), 2);
    let alt = v.wohnungen.iter().find(|w| w.auszug.is_some()).unwrap();
    assert!(alt.anschrift.starts_with("Bergstraße 20"));
    assert_eq!(
        (alt.einzug, alt.auszug),
        (d(2026, 1, 10), Some(d(2026, 3, 1)))
    );
    assert_eq!(v.angehoerige.len(), 3, "links kept");
    let mut a = Anfrage::einfach("Inkasso GmbH", "Forderung", "Brinkmann");
    a.vornamen = "Katrin".into();
    a.stichtag = Some(d(2026, 2, 1));
    let alt = auskunft::auskunft(&s, &a).unwrap();
    assert!(
        alt.text.contains("Bergstraße 20") && !alt.text.contains("Schulstraße"),
        "{}",
        alt.text
    );
    a.stichtag = None;
    let neu = auskunft::auskunft(&s, &a).unwrap();
    assert!(neu.text.contains("Schulstraße 28"), "{}", neu.text);
});

kis::store_test!(s5_suche, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "LESER");
    let meier = find(&s, "Meier", true);
    for n in [
        "Maier Sabine",
        "Mayer Klaus",
        "Meyer Stefan",
        "Meier Hans Peter",
        "Meier Ursula",
    ] {
        assert!(meier.contains(&n.to_string()), "{n} in {meier:?}");
    }
    // Ursula Meier is found by her Geburtsname Mayr too.
    assert!(find(&s, "Mayr", false).contains(&"Meier Ursula".to_string()));
    let prefix = find(&s, "Müller", false);
    assert_eq!(
        prefix,
        vec!["Mueller Thomas", "Müller Anna Maria"],
        "DIN 5007 order, Möller excluded"
    );
    assert_eq!(find(&s, "mue", false), prefix);
    let phon = find(&s, "Müller", true);
    for n in ["Mueller Thomas", "Müller Anna Maria", "Möller Karin"] {
        assert!(phon.contains(&n.to_string()), "{n} in {phon:?}");
    }
    let hits = suche::seite(
        &s,
        &Suche {
            name: "Müller".into(),
            ..Default::default()
        },
        0,
        10,
    )
    .unwrap();
    let blocked = hits.iter().find(|t| t.vornamen == "Anna Maria").unwrap();
    assert!(blocked.auskunftssperre && blocked.sperren.contains("AS51"));
    let by_date = suche::seite(
        &s,
        &Suche {
            geburtsdatum: Some(d(1979, 12, 24)),
            ..Default::default()
        },
        0,
        10,
    )
    .unwrap();
    assert_eq!(by_date.len(), 1);
    assert_eq!(by_date[0].familienname, "Mueller");
    let by_addr = suche::seite(
        &s,
        &Suche {
            strasse: Some("00010".into()),
            hausnummer: Some(12),
            ..Default::default()
        },
        0,
        10,
    )
    .unwrap();
    assert_eq!(by_addr.len(), 3);
    let vn = suche::seite(
        &s,
        &Suche {
            name: "Mei".into(),
            vorname: "pet".into(),
            ..Default::default()
        },
        0,
        10,
    )
    .unwrap();
    assert_eq!(vn.len(), 1);
    assert_eq!(
        suche::anzahl(
            &s,
            &Suche {
                name: "M".into(),
                ..Default::default()
            }
        )
        .unwrap(),
        10
    );
    let page2 = suche::seite(
        &s,
        &Suche {
            name: "M".into(),
            ..Default::default()
        },
        4,
        2,
    )
    .unwrap();
    assert_eq!(page2.len(), 2);
    // Paging through a result where one person has two names in the range
    // (Ursula Meier geb. Mayr): every person exactly once, in DIN order.
    let mut all = Vec::new();
    for page in 0..4 {
        all.extend(
            suche::seite(
                &s,
                &Suche {
                    name: "M".into(),
                    ..Default::default()
                },
                page * 3,
                3,
            )
            .unwrap()
            .into_iter()
            .map(|t| t.id),
        );
    }
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((all.len(), unique.len()), (10, 10), "{all:?}");
    let weg = hits_status(&s, "Meyer");
    assert_eq!(weg, Status::Weggezogen);
});

fn hits_status(s: &Session, name: &str) -> Status {
    suche::seite(
        s,
        &Suche {
            name: name.into(),
            ..Default::default()
        },
        0,
        1,
    )
    .unwrap()[0]
        .status
}

kis::store_test!(s6_einfache_auskunft, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "MEIER");
    let mut a = Anfrage::einfach("Max Gläubiger", "Zustellung", "Mueller");
    a.geburtsdatum = Some(d(1979, 12, 24));
    let r = auskunft::auskunft(&s, &a).unwrap();
    assert!(matches!(r.ausgang, Ausgang::Erteilt { .. }));
    assert_eq!(
        r.daten,
        vec!["Familienname", "Vornamen", "Doktorgrad", "Anschrift"]
    );
    assert!(r.text.contains("Kirchstraße 12a"), "{}", r.text);
    assert!(
        !r.text.contains("24.12.1979"),
        "no birth date in an einfache Auskunft"
    );
    // Two hits: two persons named Meier born the same day.
    let mut b = familie(d(2026, 3, 1), None);
    b.personen.truncate(1);
    b.bindungen.clear();
    if let AnmeldePerson::Neu(p) = &mut b.personen[0] {
        p.familienname = "Meier".into();
        p.geburtsdatum = d(1961, 4, 12);
    }
    meldung::anmelden(&s, &b).unwrap();
    let mut m = Anfrage::einfach("Max Gläubiger", "Zustellung", "Meier");
    m.geburtsdatum = Some(d(1961, 4, 12));
    let r = auskunft::auskunft(&s, &m).unwrap();
    assert_eq!(r.ausgang, Ausgang::NichtEindeutig { treffer: 2 });
    assert!(r.text.contains("keine eindeutige Identifizierung"));
    // Only the name is not enough.
    let e = auskunft::auskunft(&s, &Anfrage::einfach("X", "Y", "Meier")).unwrap_err();
    assert_eq!(e.field_key(), Some("vornamen"));
});

kis::store_test!(s7_auskunftssperre, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "MEIER");
    let mut a = Anfrage::einfach("Detektei Spürnase", "Ermittlung", "Müller");
    a.vornamen = "Anna".into();
    let r = auskunft::auskunft(&s, &a).unwrap();
    let mut u = Anfrage::einfach("Detektei Spürnase", "Ermittlung", "Niemand");
    u.vornamen = "Anna".into();
    let unbekannt = auskunft::auskunft(&s, &u).unwrap();
    assert_eq!(
        r.text, unbekannt.text,
        "requester cannot tell blocked from unknown"
    );
    assert_eq!(r.text, NEUTRALE_ANTWORT);
    let Ausgang::Gesperrt { person_id, grund } = &r.ausgang else {
        panic!("{:?}", r.ausgang)
    };
    assert!(
        grund.contains("Auskunftssperre") && grund.contains("Gefahr"),
        "{grund}"
    );
    assert!(r.intern.contains("Auskunftssperre"));
    let prot = auskunft::protokoll(&s, *person_id).unwrap();
    assert_eq!(prot.len(), 1);
    assert_eq!(prot[0].ergebnis, "VERWEIGERT_SPERRE");
    assert!(
        prot[0].person_informiert
            && prot[0].anfragender == "Detektei Spürnase"
            && prot[0].benutzer == "MEIER"
    );
    let docs = person::dokumente(&s, *person_id).unwrap();
    assert!(
        docs.iter()
            .any(|d| d.art == "MITTEILUNG_SPERRE" && d.text.contains("Detektei Spürnase"))
    );
    // The person mask shows the block prominently.
    let v = person::anzeigen(&s, *person_id).unwrap();
    assert!(v.warnungen(d(2026, 3, 5))[0].contains("Auskunftssperre § 51"));
    // The Meldebescheinigung never shows Sperren.
    let mb = person::bescheinigung(&s, *person_id, kis::ewos::dokumente::Zusatz::ALL).unwrap();
    assert!(
        !mb.contains("Sperre") && mb.contains("Anna *Maria*"),
        "{mb}"
    );
});

kis::store_test!(s8_sterbefall, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "MEIER");
    let e = meldung::anmelden(&s, &familie(d(2026, 3, 1), None)).unwrap();
    let (mann, frau) = (e.person_ids[0], e.person_ids[1]);
    assert!(
        standesamt::sterbefall(
            &s,
            &Sterbefall {
                person_id: mann,
                sterbedatum: d(2026, 3, 6),
                sterbeort: "Musterstadt".into()
            }
        )
        .is_err()
    );
    standesamt::sterbefall(
        &s,
        &Sterbefall {
            person_id: mann,
            sterbedatum: d(2026, 3, 3),
            sterbeort: "Musterstadt".into(),
        },
    )
    .unwrap();
    let w = person::anzeigen(&s, frau).unwrap().person;
    assert_eq!(
        (w.daten.familienstand.as_str(), w.daten.familienstand_datum),
        ("VW", Some(d(2026, 3, 3)))
    );
    let m = person::anzeigen(&s, mann).unwrap();
    assert_eq!(m.person.status, Status::Verstorben);
    assert!(m.aktuelle_wohnungen().is_empty());
    let u = Ummeldung {
        personen: vec![mann],
        art: WohnungsArt::Haupt,
        neue_adresse: adresse("00040", 28),
        einzug: d(2026, 3, 4),
        anmeldedatum: None,
        wohnungsgeber: None,
    };
    assert!(
        meldung::ummelden(&s, &u)
            .unwrap_err()
            .to_string()
            .contains("verstorben")
    );
    let a = Abmeldung {
        person_id: mann,
        art: Abmeldeart::Ausland {
            staat: "AUT".into(),
            anschrift: String::new(),
        },
        auszug: d(2026, 3, 4),
        abmeldedatum: None,
    };
    assert!(
        meldung::abmelden(&s, &a)
            .unwrap_err()
            .to_string()
            .contains("verstorben")
    );
});

kis::store_test!(s9_loeschfristen, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "MEIER");
    let dry = loeschfristen::ausfuehren(&s, true).unwrap();
    assert_eq!(dry.len(), 1, "{dry:?}");
    assert!(dry[0].name.starts_with("Meyer") && dry[0].massnahme == Massnahme::Archivieren);
    let still = suche::seite(
        &s,
        &Suche {
            name: "Meyer".into(),
            ..Default::default()
        },
        0,
        5,
    )
    .unwrap();
    assert_eq!(still.len(), 1, "dry run changes nothing");
    let done = loeschfristen::ausfuehren(&s, false).unwrap();
    assert_eq!(done, dry);
    assert!(
        suche::seite(
            &s,
            &Suche {
                name: "Meyer".into(),
                ..Default::default()
            },
            0,
            5
        )
        .unwrap()
        .is_empty(),
        "archived: out of the normal search"
    );
    assert_eq!(
        suche::seite(
            &s,
            &Suche {
                name: "Schulz".into(),
                ..Default::default()
            },
            0,
            5
        )
        .unwrap()
        .len(),
        1,
        "moved away 2022: kept"
    );
    let e = person::anzeigen(&s, done[0].person_id).unwrap_err();
    assert!(matches!(e, KisError::Permission(_)), "{e}");
    assert!(loeschfristen::ausfuehren(&s, true).unwrap().is_empty());
    let archiv = env_user(db, "ARCHIV");
    assert_eq!(
        suche::seite(
            &archiv,
            &Suche {
                name: "Meyer".into(),
                ..Default::default()
            },
            0,
            5
        )
        .unwrap()
        .len(),
        1,
        "the archive role still finds archived persons"
    );
    let p = person::anzeigen(&archiv, done[0].person_id).unwrap();
    assert!(p.person.archiviert && p.person.daten.familienname == "Meyer");
});

fn env_user(db: &Db, user: &str) -> Session {
    session(
        db,
        std::sync::Arc::new(kis::core::clock::FixedClock::on(d(2026, 3, 5))),
        user,
    )
}

kis::store_test!(s10_ohne_rolle_keine_berechtigung, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "GAST");
    let check = |e: KisError| assert!(e.to_string().starts_with("Keine Berechtigung"), "{e}");
    check(
        suche::seite(
            &s,
            &Suche {
                name: "Meier".into(),
                ..Default::default()
            },
            0,
            10,
        )
        .unwrap_err(),
    );
    check(
        suche::anzahl(
            &s,
            &Suche {
                name: "Meier".into(),
                ..Default::default()
            },
        )
        .unwrap_err(),
    );
    let mut a = Anfrage::einfach("X", "Y", "Meier");
    a.vornamen = "Ursula".into();
    check(auskunft::auskunft(&s, &a).unwrap_err());
    check(auskunft::protokoll(&s, 1).unwrap_err());
    check(person::anzeigen(&s, 1).unwrap_err());
    check(person::bescheinigung(&s, 1, &[]).unwrap_err());
    check(meldung::anmelden(&s, &familie(d(2026, 3, 1), None)).unwrap_err());
    check(
        meldung::ummelden(
            &s,
            &Ummeldung {
                personen: vec![1],
                art: WohnungsArt::Haupt,
                neue_adresse: adresse("00040", 28),
                einzug: d(2026, 3, 1),
                anmeldedatum: None,
                wohnungsgeber: None,
            },
        )
        .unwrap_err(),
    );
    check(
        meldung::abmelden(
            &s,
            &Abmeldung {
                person_id: 1,
                art: Abmeldeart::Nebenwohnung { wohnung_id: 1 },
                auszug: d(2026, 3, 1),
                abmeldedatum: None,
            },
        )
        .unwrap_err(),
    );
    check(
        meldung::wegzug(
            &s,
            &Rueckmeldung {
                familienname: "Meier".into(),
                vornamen: "Hans Peter".into(),
                geburtsdatum: d(1961, 4, 12),
                einzug: d(2026, 3, 1),
                neue_anschrift: "x".into(),
                neue_gemeinde: "y".into(),
            },
        )
        .unwrap_err(),
    );
    check(
        standesamt::geburt(
            &s,
            &Geburt {
                kind: PersonDaten::new("Meier", "Neo", d(2026, 3, 1), Geschlecht::Maennlich),
                mutter: Some(2),
                vater: None,
            },
        )
        .unwrap_err(),
    );
    check(
        standesamt::sterbefall(
            &s,
            &Sterbefall {
                person_id: 1,
                sterbedatum: d(2026, 3, 1),
                sterbeort: String::new(),
            },
        )
        .unwrap_err(),
    );
    check(
        standesamt::eheschliessung(
            &s,
            &Eheschliessung {
                person_a: 1,
                person_b: 4,
                datum: d(2026, 3, 1),
                ort: String::new(),
                staat: String::new(),
                lebenspartnerschaft: false,
                ehename: None,
            },
        )
        .unwrap_err(),
    );
    check(loeschfristen::ausfuehren(&s, true).unwrap_err());
    // A reading clerk may search but not change.
    let leser = env_user(db, "LESER");
    assert!(
        suche::anzahl(
            &leser,
            &Suche {
                name: "Meier".into(),
                ..Default::default()
            }
        )
        .is_ok()
    );
    check(meldung::anmelden(&leser, &familie(d(2026, 3, 1), None)).unwrap_err());
});

kis::store_test!(wegzug_geburt_ehe_abmeldung, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "MEIER");
    // Wegzug from a Rückmeldung.
    let r = Rueckmeldung {
        familienname: "Mueller".into(),
        vornamen: "Thomas".into(),
        geburtsdatum: d(1979, 12, 24),
        einzug: d(2026, 2, 1),
        neue_anschrift: "Hafenstraße 1".into(),
        neue_gemeinde: "Hamburg".into(),
    };
    let WegzugErgebnis::Erfasst { person_id } = meldung::wegzug(&s, &r).unwrap() else {
        panic!()
    };
    let p = person::anzeigen(&s, person_id).unwrap();
    assert_eq!(p.person.status, Status::Weggezogen);
    assert!(p.person.wegzug_nach.contains("Hamburg"));
    // Conflict: Vornamen differ → clarification list.
    let k = meldung::wegzug(
        &s,
        &Rueckmeldung {
            vornamen: "Karl".into(),
            familienname: "Möller".into(),
            geburtsdatum: d(1968, 8, 18),
            ..r.clone()
        },
    )
    .unwrap();
    assert!(matches!(k, WegzugErgebnis::Klaerung { .. }));
    assert_eq!(
        s.db.read(|sql| repo::klaerung::offene_klaerungen(sql, "001"))
            .unwrap()
            .len(),
        1
    );
    // Geburt at the mother's Hauptwohnung.
    let ids = suche::seite(
        &s,
        &Suche {
            name: "Yılmaz".into(),
            vorname: "Ayşe".into(),
            ..Default::default()
        },
        0,
        5,
    )
    .unwrap();
    let mutter = ids[0].id;
    let g = standesamt::geburt(
        &s,
        &Geburt {
            kind: PersonDaten::new("Yılmaz", "Deniz", d(2026, 3, 2), Geschlecht::Divers),
            mutter: Some(mutter),
            vater: None,
        },
    )
    .unwrap();
    let standesamt::GeburtErgebnis::Erfasst { person_id: kind } = g;
    let kv = person::anzeigen(&s, kind).unwrap();
    assert!(
        kv.aktuelle_wohnungen()[0]
            .anschrift
            .starts_with("Dorfstraße 3a")
    );
    assert_eq!(kv.angehoerige[0].rolle, "Elternteil");
    // Without a parent in the register: refused, clarification case.
    let err = standesamt::geburt(
        &s,
        &Geburt {
            kind: PersonDaten::new("Fremd", "Kind", d(2026, 3, 2), Geschlecht::OhneAngabe),
            mutter: Some(999_999),
            vater: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("kein Elternteil"));
    assert_eq!(
        s.db.read(|sql| repo::klaerung::offene_klaerungen(sql, "001"))
            .unwrap()
            .len(),
        2
    );
    // Eheschließung with Ehename, then Scheidung.
    let sabine = suche::seite(
        &s,
        &Suche {
            name: "Maier".into(),
            ..Default::default()
        },
        0,
        5,
    )
    .unwrap()[0]
        .id;
    let schulz = suche::seite(
        &s,
        &Suche {
            name: "Möller".into(),
            ..Default::default()
        },
        0,
        5,
    )
    .unwrap()[0]
        .id;
    let e = Eheschliessung {
        person_a: sabine,
        person_b: schulz,
        datum: d(2026, 2, 14),
        ort: "Musterstadt".into(),
        staat: String::new(),
        lebenspartnerschaft: true,
        ehename: Some("Möller".into()),
    };
    standesamt::eheschliessung(&s, &e).unwrap();
    let sb = person::anzeigen(&s, sabine).unwrap().person;
    assert_eq!(
        (
            sb.daten.familienname.as_str(),
            sb.daten.familienstand.as_str()
        ),
        ("Möller", "LP")
    );
    assert_eq!(sb.daten.geburtsname(), Some("Maier"));
    assert!(
        find(&s, "Maier", false).contains(&"Möller Sabine".to_string()),
        "found by former name"
    );
    assert!(
        standesamt::eheschliessung(&s, &e).is_err(),
        "no second marriage"
    );
    standesamt::scheidung(
        &s,
        &standesamt::Scheidung {
            person_a: schulz,
            person_b: sabine,
            datum: d(2026, 3, 1),
            aufhebung: false,
        },
    )
    .unwrap();
    assert_eq!(
        person::anzeigen(&s, sabine)
            .unwrap()
            .person
            .daten
            .familienstand,
        "LA"
    );
    // Abmeldung ins Ausland.
    let m = meldung::abmelden(
        &s,
        &Abmeldung {
            person_id: sabine,
            art: Abmeldeart::Ausland {
                staat: "AUT".into(),
                anschrift: "Wien".into(),
            },
            auszug: d(2026, 3, 10),
            abmeldedatum: None,
        },
    )
    .unwrap();
    assert!(
        m.bestaetigungen[0].contains("Abmeldung") && m.bestaetigungen[0].contains("10.03.2026")
    );
    assert_eq!(
        person::anzeigen(&s, sabine).unwrap().person.status,
        Status::Weggezogen
    );
    assert!(
        meldung::abmelden(
            &s,
            &Abmeldung {
                person_id: schulz,
                art: Abmeldeart::Ausland {
                    staat: "AUT".into(),
                    anschrift: String::new()
                },
                auszug: d(2026, 3, 20),
                abmeldedatum: None
            }
        )
        .is_err(),
        "more than a week ahead"
    );
    // Namensänderung and Berichtigung keep history.
    standesamt::namensaenderung(
        &s,
        &standesamt::Namensaenderung {
            person_id: schulz,
            familienname: "Möller-Schmitz".into(),
            vornamen: None,
            datum: d(2026, 3, 2),
            grund: "NamÄndG".into(),
        },
    )
    .unwrap();
    let p = person::anzeigen(&s, schulz).unwrap().person;
    let mut daten = p.daten.clone();
    daten.geburtsort = "Hamburg-Altona".into();
    assert!(standesamt::berichtigung(&s, schulz, p.version, &daten, "").is_err());
    standesamt::berichtigung(&s, schulz, p.version, &daten, "Geburtsurkunde vorgelegt").unwrap();
    assert!(
        standesamt::berichtigung(&s, schulz, p.version, &daten, "nochmal").is_err(),
        "stale version"
    );
    let h = person::historie(&s, schulz).unwrap();
    assert!(h.iter().any(|h| h.feld == "Familienname"
        && h.alt == "Möller"
        && h.neu == "Möller-Schmitz"
        && h.quelle == "Namensänderung"));
    assert!(h.iter().any(|h| h.feld == "Geburtsort"
        && h.quelle == "Berichtigung §12"
        && h.bemerkung == "Geburtsurkunde vorgelegt"));
});

kis::store_test!(sperren_eintragen_und_beenden, |db: &Db| {
    let s = env(db, d(2026, 3, 5), "MEIER");
    let id = suche::seite(
        &s,
        &Suche {
            name: "Mueller".into(),
            ..Default::default()
        },
        0,
        1,
    )
    .unwrap()[0]
        .id;
    let sperre = Sperre {
        id: 0,
        art: SperrArt::Auskunft51,
        grund: "Stalking".into(),
        behoerde: "Polizei Musterstadt".into(),
        ab: d(2026, 3, 5),
        bis: None,
    };
    assert!(
        person::sperre_eintragen(
            &s,
            id,
            &Sperre {
                grund: " ".into(),
                ..sperre.clone()
            }
        )
        .is_err(),
        "reason required"
    );
    let sid = person::sperre_eintragen(&s, id, &sperre).unwrap();
    let v = person::anzeigen(&s, id).unwrap();
    assert_eq!(v.sperren[0].bis, Some(d(2028, 3, 4)), "§51(4): two years");
    let hit = &suche::seite(
        &s,
        &Suche {
            name: "Mueller".into(),
            ..Default::default()
        },
        0,
        1,
    )
    .unwrap()[0];
    assert!(hit.auskunftssperre && hit.sperren == "AS51");
    // The authority that caused the block learns of a request too.
    let mut a = Anfrage::einfach("Inkasso AG", "Forderung", "Mueller");
    a.geburtsdatum = Some(d(1979, 12, 24));
    let r = auskunft::auskunft(&s, &a).unwrap();
    assert!(matches!(r.ausgang, Ausgang::Gesperrt { .. }));
    let out =
        s.db.read(|sql| repo::uebermittlung::uebermittlungen(sql, "001", id))
            .unwrap();
    assert!(
        out.iter()
            .any(|u| u.art == "MITTEILUNG_SPERRE" && u.partner == "Polizei Musterstadt")
    );
    person::sperre_beenden(&s, id, sid, d(2026, 3, 5)).unwrap();
    // Ended today: still valid today, gone tomorrow.
    let tomorrow = session(
        db,
        std::sync::Arc::new(kis::core::clock::FixedClock::on(d(2026, 3, 6))),
        "MEIER",
    );
    let r = auskunft::auskunft(&tomorrow, &a).unwrap();
    assert!(
        matches!(r.ausgang, Ausgang::Erteilt { .. }),
        "{:?}",
        r.ausgang
    );
    let prot = auskunft::protokoll(&tomorrow, id).unwrap();
    assert_eq!(
        prot.iter().map(|p| p.ergebnis.as_str()).collect::<Vec<_>>(),
        vec!["VERWEIGERT_SPERRE", "ERTEILT"]
    );
    // The reading role cannot enter blocks.
    let leser = env_user(db, "LESER");
    assert!(matches!(
        person::sperre_eintragen(&leser, id, &sperre).unwrap_err(),
        KisError::Permission(_)
    ));
});

// Issue 22: an Ummeldung announced for a later Einzug (a Vorausmeldung)
// does not make the new address the current one before that day: the
// search list, the person's view, the Meldebescheinigung and the payroll
// office's Hauptwohnung show today's state, the new dwelling as
// "angemeldet zum …"; from the Einzug on the new address counts.
kis::store_test!(
    ummeldung_zum_kuenftigen_einzug_gilt_ab_dem_einzug,
    |db: &Db| {
        let heute = d(2026, 12, 3);
        let s = env(db, heute, "MEIER");
        let e = meldung::anmelden(&s, &familie(d(2026, 11, 2), None)).unwrap();
        let vater = e.person_ids[0];
        meldung::ummelden(
            &s,
            &Ummeldung {
                personen: e.person_ids.clone(),
                art: WohnungsArt::Haupt,
                neue_adresse: adresse("00040", 28),
                einzug: d(2026, 12, 15),
                anmeldedatum: None,
                wohnungsgeber: None,
            },
        )
        .unwrap();
        let stand = |s: &Session| {
            let hits = suche::seite(
                s,
                &Suche {
                    name: "Brinkmann".into(),
                    vorname: "Jörg".into(),
                    ..Default::default()
                },
                0,
                10,
            )
            .unwrap();
            let in_strasse = |key: &str| {
                suche::seite(
                    s,
                    &Suche {
                        strasse: Some(key.into()),
                        ..Default::default()
                    },
                    0,
                    100,
                )
                .unwrap()
                .iter()
                .any(|t| t.id == vater)
            };
            let v = person::anzeigen(s, vater).unwrap();
            let personal =
                s.db.read(|sql| {
                    kis::ewos::personal::hauptwohnung_fuer_personal_in(sql, "001", vater, s.today())
                })
                .unwrap()
                .map(|a| a.strasse);
            (
                hits[0].anschrift.clone(),
                in_strasse("00070"),
                in_strasse("00040"),
                v.aktuelle_wohnungen()
                    .iter()
                    .map(|w| w.anschrift.clone())
                    .collect::<Vec<_>>(),
                personal,
                person::bescheinigung(s, vater, &[]).unwrap(),
            )
        };
        let (treffer, alt, neu, aktuell, personal, bescheinigung) = stand(&s);
        assert!(treffer.starts_with("Bergstraße 20"), "{treffer}");
        assert!(alt && !neu, "the search by street finds today's residents");
        assert_eq!(aktuell.len(), 1);
        assert!(aktuell[0].starts_with("Bergstraße 20"), "{aktuell:?}");
        assert_eq!(personal.as_deref(), Some("Bergstraße 20"));
        assert!(
            bescheinigung.contains("alleinige Wohnung")
                && bescheinigung.contains("Bergstraße 20")
                && bescheinigung.contains("Angemeldet zum 15.12.2026")
                && bescheinigung.contains("Schulstraße 28"),
            "{bescheinigung}"
        );
        let wohnung_zeile = bescheinigung
            .lines()
            .find(|l| l.contains("alleinige Wohnung"))
            .unwrap();
        assert!(!wohnung_zeile.contains("Schulstraße"), "{bescheinigung}");

        // A newcomer announced for a later Einzug shows that date in the list.
        let mut neu = familie(d(2026, 12, 20), None);
        neu.personen.truncate(1);
        neu.bindungen.clear();
        if let AnmeldePerson::Neu(p) = &mut neu.personen[0] {
            p.familienname = "Zuzug".into();
            p.idnr = None;
        }
        meldung::anmelden(&s, &neu).unwrap();
        let t = suche::seite(
            &s,
            &Suche {
                name: "Zuzug".into(),
                ..Default::default()
            },
            0,
            10,
        )
        .unwrap();
        assert!(
            t[0].anschrift.starts_with("ab 20.12.2026 Bergstraße 20"),
            "{}",
            t[0].anschrift
        );

        // From the Einzug on, the new address is the current one.
        let s = env(db, d(2026, 12, 15), "MEIER");
        let (treffer, alt, neu, aktuell, personal, bescheinigung) = stand(&s);
        assert!(treffer.starts_with("Schulstraße 28"), "{treffer}");
        assert!(!alt && neu);
        assert!(aktuell[0].starts_with("Schulstraße 28"), "{aktuell:?}");
        assert_eq!(personal.as_deref(), Some("Schulstraße 28"));
        assert!(!bescheinigung.contains("Angemeldet zum"), "{bescheinigung}");
    }
);
