//! The household rules of an Anmeldung (spouse's Familienstand, a child
//! linked to both parents, the nationality of the first person) and the
//! Abmeldung of "the only Nebenwohnung", at the service, on both stores.

use chrono::NaiveDate;
use kis::ewos::haushalt::{self, Beziehung, Mitglied};
use kis::ewos::meldung::{self, Abmeldeart, Abmeldung, AnmeldePerson, Anmeldung};
use kis::ewos::model::*;
use kis::ewos::person;
use kis::kernel::session::Session;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(y: i32, m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, t).unwrap()
}

fn env(db: &Db) -> Session {
    let clock = demo_env(db, d(2026, 3, 5));
    session(db, clock, "MEIER")
}

fn adresse(strasse: &str, nr: u32) -> Adresse {
    Adresse {
        strasse: strasse.into(),
        hausnummer: nr,
        zusatz: String::new(),
        lage: String::new(),
    }
}

fn mitglied(vornamen: &str, geb: NaiveDate, beziehung: Option<Beziehung>) -> Mitglied {
    Mitglied {
        vornamen: vornamen.into(),
        geburtsdatum: geb,
        geschlecht: Geschlecht::Weiblich,
        beziehung,
    }
}

fn anmeldung(erste: AnmeldePerson, mitglieder: &[Mitglied], adr: Adresse) -> Anmeldung {
    let (personen, bindungen) = haushalt::zusammenstellen(erste, "Yilmaz", mitglieder);
    Anmeldung {
        einzug: d(2026, 3, 1),
        anmeldedatum: None,
        adresse: adr,
        art: WohnungsArt::Haupt,
        herkunft: Herkunft::Inland {
            anschrift: "Domplatz 3, 48143 Münster".into(),
            gemeinde: "Stadt Münster".into(),
        },
        wohnungsgeber: None,
        personen,
        bindungen,
        entscheidung22: None,
    }
}

fn erste_tuerkisch() -> AnmeldePerson {
    let mut d0 = PersonDaten::new("Yilmaz", "Mehmet", d(1979, 6, 1), Geschlecht::Maennlich);
    d0.familienstand = "VH".into();
    d0.staaten = vec![Staatsangehoerigkeit {
        staat: "TUR".into(),
        quelle: String::new(),
    }];
    AnmeldePerson::Neu(d0)
}

fn rollen(s: &Session, id: i64) -> Vec<&'static str> {
    let mut r: Vec<&str> = person::anzeigen(s, id)
        .unwrap()
        .angehoerige
        .iter()
        .map(|a| a.rolle)
        .collect();
    r.sort_unstable();
    r
}

kis::store_test!(ehegatte_und_kinder, |db: &Db| {
    let s = env(db);
    let a = anmeldung(
        erste_tuerkisch(),
        &[
            mitglied("Ayse", d(1981, 2, 2), Some(Beziehung::Ehegatte)),
            mitglied("Elif", d(2012, 3, 3), Some(Beziehung::Kind)),
            mitglied("Zeynep", d(1950, 1, 1), None),
        ],
        adresse("00070", 20),
    );
    let e = meldung::anmelden(&s, &a).unwrap();
    let [vater, mutter, kind, oma] = e.person_ids[..] else {
        panic!("four persons: {:?}", e.person_ids)
    };
    let ehegattin = person::anzeigen(&s, mutter).unwrap().person.daten;
    assert_eq!(ehegattin.familienname, "Yilmaz");
    assert_eq!(ehegattin.familienstand, "VH", "the spouse is married");
    assert_eq!(rollen(&s, vater), vec!["Ehegatte", "Kind"]);
    assert_eq!(
        rollen(&s, kind),
        vec!["Elternteil", "Elternteil"],
        "the child is linked to both parents"
    );
    assert_eq!(rollen(&s, mutter), vec!["Ehegatte", "Kind"]);
    assert!(rollen(&s, oma).is_empty(), "no relation, no link");
    let oma = person::anzeigen(&s, oma).unwrap().person.daten;
    assert_eq!(oma.familienstand, "LD");
    for id in e.person_ids {
        let staaten: Vec<String> = person::anzeigen(&s, id)
            .unwrap()
            .person
            .daten
            .staaten
            .into_iter()
            .map(|s| s.staat)
            .collect();
        assert_eq!(staaten, vec!["TUR"], "nationality of the first person");
    }
});

kis::store_test!(kind_vor_dem_ehegatten_nur_ein_elternteil, |db: &Db| {
    let s = env(db);
    let a = anmeldung(
        erste_tuerkisch(),
        &[
            mitglied("Elif", d(2012, 3, 3), Some(Beziehung::Kind)),
            mitglied("Ayse", d(1981, 2, 2), Some(Beziehung::Ehegatte)),
        ],
        adresse("00070", 20),
    );
    let e = meldung::anmelden(&s, &a).unwrap();
    assert_eq!(rollen(&s, e.person_ids[1]), vec!["Elternteil"]);
    assert_eq!(rollen(&s, e.person_ids[2]), vec!["Ehegatte"]);
});

kis::store_test!(
    vorhandene_erste_person_gibt_keine_staatsangehoerigkeit,
    |db: &Db| {
        let s = env(db);
        let erste = meldung::anmelden(&s, &anmeldung(erste_tuerkisch(), &[], adresse("00070", 20)))
            .unwrap()
            .person_ids[0];
        let mut a = anmeldung(
            AnmeldePerson::Vorhanden(erste),
            &[mitglied("Elif", d(2012, 3, 3), Some(Beziehung::Kind))],
            adresse("00070", 21),
        );
        a.art = WohnungsArt::Neben;
        let e = meldung::anmelden(&s, &a).unwrap();
        let kind = person::anzeigen(&s, e.person_ids[1]).unwrap().person.daten;
        let staaten: Vec<&str> = kind.staaten.iter().map(|s| s.staat.as_str()).collect();
        assert_eq!(staaten, vec!["DEU"], "the default of a new person");
        assert_eq!(rollen(&s, e.person_ids[1]), vec!["Elternteil"]);
    }
);

fn nebenwohnungen(s: &Session, id: i64) -> usize {
    person::anzeigen(s, id)
        .unwrap()
        .aktuelle_wohnungen()
        .iter()
        .filter(|w| w.art == WohnungsArt::Neben)
        .count()
}

fn abmelden_einzige(s: &Session, id: i64) -> kis::core::error::Result<meldung::Ergebnis> {
    meldung::abmelden(
        s,
        &Abmeldung {
            person_id: id,
            art: Abmeldeart::EinzigeNebenwohnung,
            auszug: d(2026, 3, 4),
            abmeldedatum: None,
        },
    )
}

kis::store_test!(die_einzige_nebenwohnung, |db: &Db| {
    let s = env(db);
    let id = meldung::anmelden(&s, &anmeldung(erste_tuerkisch(), &[], adresse("00070", 20)))
        .unwrap()
        .person_ids[0];
    let err = abmelden_einzige(&s, id).unwrap_err();
    assert_eq!(err.field_key(), Some("wohnung"), "{err}");
    assert!(err.to_string().contains("keine Nebenwohnung"), "{err}");
    let neben = |nr| {
        let mut a = anmeldung(AnmeldePerson::Vorhanden(id), &[], adresse("00070", nr));
        a.art = WohnungsArt::Neben;
        meldung::anmelden(&s, &a).unwrap();
    };
    neben(21);
    abmelden_einzige(&s, id).unwrap();
    assert_eq!(nebenwohnungen(&s, id), 0, "the only one is given up");
    let haupt = person::anzeigen(&s, id).unwrap().aktuelle_wohnungen();
    assert_eq!(haupt.len(), 1, "the Hauptwohnung stays");
    neben(22);
    neben(23);
    let err = abmelden_einzige(&s, id).unwrap_err();
    assert!(err.to_string().contains("mehrere Nebenwohnungen"), "{err}");
    assert_eq!(nebenwohnungen(&s, id), 2, "nothing given up");
});
