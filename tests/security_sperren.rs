//! Issue 11: Sperren (§§ 51, 52 BMG and the Widersprüche) against the
//! payroll link, the relatives in a § 45 Auskunft, the co-residents of a
//! blocked person (newborn, Anmeldung) and duplicate Sperren. Each test
//! performs the attack and shows that it no longer succeeds, on both stores.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::ewos::auskunft::{self, Anfrage, Ausgang, AuskunftArt, NEUTRALE_ANTWORT};
use kis::ewos::meldung::{self, AnmeldePerson, Anmeldung, Ummeldung};
use kis::ewos::model::*;
use kis::ewos::standesamt::{self, Geburt, GeburtErgebnis};
use kis::ewos::{person, personal, repo};
use kis::kernel::session::Session;
use kis::persos::{bescheinigung, lauf, lohnkonto, stamm};
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(y: i32, m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, t).unwrap()
}

/// Demo residents (Ordnungsmerkmal = position in personen.csv).
const URSULA_MEIER: i64 = 2;
const JONAS_MEIER: i64 = 3;
const SABINE_MAIER: i64 = 4;
/// Anna Maria Müller, born 05.05.1990, with an Auskunftssperre § 51 in force.
const ANNA_MUELLER: i64 = 8;
/// Thomas Mueller, born 24.12.1979, without Sperre.
const THOMAS_MUELLER: i64 = 9;

fn count(db: &Db, sql_text: &str) -> i64 {
    db.read(|sql| sql.query_one(sql_text, &[]))
        .unwrap()
        .i64(0)
        .unwrap()
}

/// "Straße Nr" of the resident's current Hauptwohnung, as PERSOS would print it.
fn register_strasse(db: &Db, id: i64) -> String {
    let w = db
        .read(|sql| repo::wohnung::offene_wohnungen(sql, "001", id))
        .unwrap();
    w[0].anschrift.split(',').next().unwrap().to_string()
}

/// A new employee (a copy of 01001) with the name and birth date of a
/// resident and an address the Personalamt entered.
fn beschaeftigte(
    s: &Session,
    pnr: &str,
    name: &str,
    vorname: &str,
    geboren: NaiveDate,
) -> stamm::Employee {
    let mut e = stamm::get(s, "01001").unwrap();
    e.personalnummer = pnr.into();
    e.name = name.into();
    e.vorname = vorname.into();
    e.geburtsdatum = geboren;
    e.strasse = "Postfach 12".into();
    e.plz = "59999".into();
    e.ort = "Musterstadt".into();
    e.ewos_person = None;
    e
}

/// Everything PERSOS prints about one employee after the January run.
fn persos_ausgaben(s: &Session, pnr: &str) -> Vec<String> {
    vec![
        format!("{:?}", stamm::get(s, pnr).unwrap()),
        bescheinigung::entgeltbescheinigung(s, "2026-01", pnr).unwrap(),
        lohnkonto::lohnkonto(s, 2026, pnr).unwrap(),
        lohnkonto::lohnsteuerbescheinigung(s, 2026, pnr).unwrap(),
    ]
}

kis::store_test!(
    payroll_link_to_a_blocked_resident_answers_like_not_found,
    |db: &Db| {
        let clock = demo_env(db, d(2026, 1, 28));
        let s = session(db, clock.clone(), "PERSONAL");
        let geschuetzt = register_strasse(db, ANNA_MUELLER);
        let vorher = (
            count(db, "SELECT COUNT(*) FROM persos_employee"),
            count(db, "SELECT COUNT(*) FROM audit_log"),
            count(db, "SELECT COUNT(*) FROM ewo_auskunft"),
            count(db, "SELECT COUNT(*) FROM ewo_dokument"),
            count(db, "SELECT COUNT(*) FROM ewo_historie"),
        );
        // The attacker knows name and birth date and tries Ordnungsmerkmale.
        let mut angriff = beschaeftigte(&s, "09001", "Müller", "Anna", d(1990, 5, 5));
        angriff.ewos_person = Some(ANNA_MUELLER);
        let gesperrt = stamm::create(&s, &angriff).unwrap_err();
        let mut unbekannt = angriff.clone();
        unbekannt.ewos_person = Some(999_999);
        let unbekannt = stamm::create(&s, &unbekannt).unwrap_err();
        assert_eq!(gesperrt.to_string(), unbekannt.to_string());
        assert_eq!(gesperrt.field_key(), unbekannt.field_key());
        assert_eq!(format!("{gesperrt:?}"), format!("{unbekannt:?}"));
        assert!(!gesperrt.to_string().contains(&geschuetzt), "{gesperrt}");
        // Nothing stored, nothing protocolled that could tell the difference.
        let nachher = (
            count(db, "SELECT COUNT(*) FROM persos_employee"),
            count(db, "SELECT COUNT(*) FROM audit_log"),
            count(db, "SELECT COUNT(*) FROM ewo_auskunft"),
            count(db, "SELECT COUNT(*) FROM ewo_dokument"),
            count(db, "SELECT COUNT(*) FROM ewo_historie"),
        );
        assert_eq!(vorher, nachher);

        // Linking an existing employee by a change is refused the same way.
        stamm::create(
            &s,
            &beschaeftigte(&s, "09001", "Müller", "Anna", d(1990, 5, 5)),
        )
        .unwrap();
        let mut e = stamm::get(&s, "09001").unwrap();
        e.ewos_person = Some(ANNA_MUELLER);
        let aenderung = stamm::update(&s, &e).unwrap_err();
        assert_eq!(aenderung.to_string(), unbekannt.to_string());
        assert_eq!(stamm::get(&s, "09001").unwrap().ewos_person, None);

        // Every Sperre counts, a Widerspruch too (Thomas Mueller, W36).
        let meier = session(db, clock.clone(), "MEIER");
        person::sperre_eintragen(
            &meier,
            THOMAS_MUELLER,
            &Sperre {
                id: 0,
                art: SperrArt::Widerspruch36,
                grund: "Widerspruch".into(),
                behoerde: String::new(),
                ab: d(2026, 1, 28),
                bis: None,
            },
        )
        .unwrap();
        let mut w36 = beschaeftigte(&s, "09002", "Mueller", "Thomas", d(1979, 12, 24));
        w36.ewos_person = Some(THOMAS_MUELLER);
        assert_eq!(
            stamm::create(&s, &w36).unwrap_err().to_string(),
            unbekannt.to_string()
        );

        // Control: once Anna's Sperre has ended, the same data link.
        let sid = person::anzeigen(&meier, ANNA_MUELLER).unwrap().sperren[0].id;
        person::sperre_beenden(&meier, ANNA_MUELLER, sid, d(2026, 1, 27)).unwrap();
        stamm::update(&s, &e).unwrap();
        assert_eq!(
            stamm::get(&s, "09001").unwrap().ewos_person,
            Some(ANNA_MUELLER)
        );
    }
);

kis::store_test!(
    meldebehoerde_links_a_blocked_person_and_no_register_address_reaches_persos,
    |db: &Db| {
        let clock = demo_env(db, d(2026, 1, 28));
        let s = session(db, clock.clone(), "PERSONAL");
        let meier = session(db, clock.clone(), "MEIER");
        let geschuetzt = register_strasse(db, ANNA_MUELLER);
        stamm::create(
            &s,
            &beschaeftigte(&s, "09001", "Müller", "Anna", d(1990, 5, 5)),
        )
        .unwrap();
        // The payroll office cannot use the EWOS service.
        assert!(matches!(
            personal::verknuepfen(&s, ANNA_MUELLER, "09001").unwrap_err(),
            KisError::Permission(_)
        ));
        let antwort = personal::verknuepfen(&meier, ANNA_MUELLER, "09001").unwrap();
        assert!(antwort.contains("nicht an das Personalwesen"), "{antwort}");
        assert!(personal::verknuepfen(&meier, ANNA_MUELLER, "77777").is_err());
        let e = stamm::get(&s, "09001").unwrap();
        assert_eq!(e.ewos_person, Some(ANNA_MUELLER));
        assert_eq!(e.strasse, "Postfach 12");
        // The link is audited on the person.
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'PERSONAL_VERKNUEPFUNG' AND record_key = '000000008'"
            ),
            1
        );
        // A save in PER100 keeps the link and the Personalamt's address.
        stamm::update(&s, &e).unwrap();
        lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
        let ausgaben = persos_ausgaben(&s, "09001");
        for text in &ausgaben {
            assert!(!text.contains(&geschuetzt), "{text}");
        }
        assert!(ausgaben[1].contains("Postfach 12"), "{}", ausgaben[1]);
        // Even after the Sperre ends the address does not flow: the link was
        // made by the Meldebehörde.
        let sid = person::anzeigen(&meier, ANNA_MUELLER).unwrap().sperren[0].id;
        person::sperre_beenden(&meier, ANNA_MUELLER, sid, d(2026, 1, 27)).unwrap();
        assert_eq!(stamm::get(&s, "09001").unwrap().strasse, "Postfach 12");
        // No register address in the payroll's audit entries either.
        let audit: Vec<String> = db
            .read(|sql| {
                sql.query(
                    "SELECT COALESCE(before_json, '') || COALESCE(after_json, '') FROM audit_log WHERE entity = 'persos_employee' AND record_key = '09001'",
                    &[],
                )
            })
            .unwrap()
            .iter()
            .map(|r| r.str(0).unwrap())
            .collect();
        assert!(audit.len() >= 3, "{audit:?}");
        assert!(audit.iter().all(|a| !a.contains(&geschuetzt)), "{audit:?}");
    }
);

kis::store_test!(
    a_sperre_entered_after_the_link_stops_the_flow_at_once,
    |db: &Db| {
        let clock = demo_env(db, d(2026, 1, 28));
        let s = session(db, clock.clone(), "PERSONAL");
        let meier = session(db, clock.clone(), "MEIER");
        let register = register_strasse(db, THOMAS_MUELLER);
        let mut e = beschaeftigte(&s, "09002", "Mueller", "Thomas", d(1979, 12, 24));
        e.ewos_person = Some(THOMAS_MUELLER);
        stamm::create(&s, &e).unwrap();
        // Linked without Sperre: the address follows the register …
        let verknuepft = stamm::get(&s, "09002").unwrap();
        assert_eq!(verknuepft.strasse, register);
        // … but is never stored in PERSOS, not even by a save of the mask.
        stamm::update(&s, &verknuepft).unwrap();
        assert_eq!(
            db.read(|sql| sql.query_one(
                "SELECT strasse FROM persos_employee WHERE mandant = '001' AND personalnummer = '09002'",
                &[]
            ))
            .unwrap()
            .str(0)
            .unwrap(),
            "Postfach 12"
        );
        person::sperre_eintragen(
            &meier,
            THOMAS_MUELLER,
            &Sperre {
                id: 0,
                art: SperrArt::Auskunft51,
                grund: "Gefährdung".into(),
                behoerde: String::new(),
                ab: d(2026, 1, 28),
                bis: None,
            },
        )
        .unwrap();
        assert_eq!(stamm::get(&s, "09002").unwrap().strasse, "Postfach 12");
        lauf::starte(&s, "2026-01", &mut |_, _| Ok(())).unwrap();
        for text in persos_ausgaben(&s, "09002") {
            assert!(!text.contains(&register), "{text}");
        }
    }
);

fn meier(db: &Db) -> Session {
    let clock = demo_env(db, d(2026, 3, 5));
    session(db, clock, "MEIER")
}

fn erweitert(familienname: &str, vornamen: &str, geboren: NaiveDate) -> Anfrage {
    let mut a = Anfrage::einfach("Rechtsanwalt Dr. Kluge", "Klage", familienname);
    a.art = AuskunftArt::Erweitert;
    a.berechtigtes_interesse = "Zustellung einer Klage".into();
    a.vornamen = vornamen.into();
    a.geburtsdatum = Some(geboren);
    a
}

fn as51(grund: &str) -> Sperre {
    Sperre {
        id: 0,
        art: SperrArt::Auskunft51,
        grund: grund.into(),
        behoerde: String::new(),
        ab: d(2026, 3, 5),
        bis: None,
    }
}

kis::store_test!(
    erweiterte_auskunft_checks_and_protocols_every_relative,
    |db: &Db| {
        let s = meier(db);
        let geschuetzt = register_strasse(db, ANNA_MUELLER);
        // Thomas Mueller's spouse is Anna (blocked), his Betreuerin Sabine Maier.
        db.write(|sql| {
            repo::bindung::insert_bindung(
                sql,
                "001",
                BindungsArt::Ehe,
                THOMAS_MUELLER,
                ANNA_MUELLER,
                None,
            )?;
            repo::bindung::insert_bindung(
                sql,
                "001",
                BindungsArt::Betreuer,
                SABINE_MAIER,
                THOMAS_MUELLER,
                None,
            )
        })
        .unwrap();
        let r = auskunft::auskunft(&s, &erweitert("Mueller", "Thomas", d(1979, 12, 24))).unwrap();
        assert!(
            matches!(r.ausgang, Ausgang::Erteilt { .. }),
            "{:?}",
            r.ausgang
        );
        assert!(!r.text.contains(&geschuetzt), "{}", r.text);
        assert!(!r.text.contains("Anna"), "{}", r.text);
        assert!(!r.text.contains("Ehegatte"), "{}", r.text);
        assert!(
            r.text.contains("Betreuer:") && r.text.contains("Sabine Maier"),
            "{}",
            r.text
        );
        // The blocked spouse: refusal protocolled under her, and she is told.
        let prot = auskunft::protokoll(&s, ANNA_MUELLER).unwrap();
        assert_eq!(prot.len(), 1, "{prot:?}");
        assert_eq!(prot[0].ergebnis, "VERWEIGERT_SPERRE");
        assert!(prot[0].person_informiert && prot[0].anfragender == "Rechtsanwalt Dr. Kluge");
        assert!(prot[0].daten.contains("Ehegatte"), "{}", prot[0].daten);
        assert!(
            person::dokumente(&s, ANNA_MUELLER)
                .unwrap()
                .iter()
                .any(|d| d.art == "MITTEILUNG_SPERRE" && d.text.contains("Rechtsanwalt Dr. Kluge"))
        );
        // The Betreuerin whose data were given out is protocolled too.
        let prot = auskunft::protokoll(&s, SABINE_MAIER).unwrap();
        assert_eq!(
            prot.iter().map(|p| p.ergebnis.as_str()).collect::<Vec<_>>(),
            vec!["ERTEILT"]
        );
        assert!(prot[0].daten.contains("Betreuer"), "{}", prot[0].daten);

        // Gesetzlicher Vertreter: Jonas Meier (15) — his mother moves out
        // and gets an Auskunftssperre; his father stays with him.
        meldung::ummelden(
            &s,
            &Ummeldung {
                personen: vec![URSULA_MEIER],
                art: WohnungsArt::Haupt,
                neue_adresse: Adresse {
                    strasse: "00040".into(),
                    hausnummer: 28,
                    zusatz: String::new(),
                    lage: String::new(),
                },
                einzug: d(2026, 3, 2),
                anmeldedatum: None,
                wohnungsgeber: None,
            },
        )
        .unwrap();
        let mutter = register_strasse(db, URSULA_MEIER);
        person::sperre_eintragen(&s, URSULA_MEIER, &as51("Gefährdung")).unwrap();
        let r = auskunft::auskunft(&s, &erweitert("Meier", "Jonas", d(2010, 2, 14))).unwrap();
        assert!(
            matches!(r.ausgang, Ausgang::Erteilt { .. }),
            "{:?}",
            r.ausgang
        );
        assert!(
            r.text.contains("Gesetzlicher Vertreter:") && r.text.contains("Hans Peter Meier"),
            "{}",
            r.text
        );
        assert!(
            !r.text.contains("Ursula") && !r.text.contains(&mutter),
            "{}",
            r.text
        );
        let prot = auskunft::protokoll(&s, URSULA_MEIER).unwrap();
        assert_eq!(prot.last().unwrap().ergebnis, "VERWEIGERT_SPERRE");
        assert!(
            prot.last()
                .unwrap()
                .daten
                .contains("Gesetzlicher Vertreter")
        );
        assert_eq!(auskunft::protokoll(&s, JONAS_MEIER).unwrap().len(), 1);
    }
);

kis::store_test!(
    a_newborn_in_a_blocked_dwelling_gets_the_sperre_proposed_and_no_auskunft,
    |db: &Db| {
        let s = meier(db);
        let geschuetzt = register_strasse(db, ANNA_MUELLER);
        let GeburtErgebnis::Erfasst { person_id: kind } = standesamt::geburt(
            &s,
            &Geburt {
                kind: PersonDaten::new("Müller", "Lena", d(2026, 3, 1), Geschlecht::Weiblich),
                mutter: Some(ANNA_MUELLER),
                vater: None,
            },
        )
        .unwrap();
        let vorschlag = person::sperrvorschlag(&s, kind)
            .unwrap()
            .expect("Sperre vorgeschlagen");
        assert_eq!(vorschlag.art, SperrArt::Auskunft51);
        assert_eq!(
            vorschlag.bis,
            Some(d(2027, 12, 31)),
            "as long as the mother's"
        );
        // Meanwhile no Auskunft gives out the mother's address.
        let mut a = Anfrage::einfach("Detektei Spürnase", "Ermittlung", "Müller");
        a.vornamen = "Lena".into();
        a.geburtsdatum = Some(d(2026, 3, 1));
        let r = auskunft::auskunft(&s, &a).unwrap();
        assert_eq!(r.text, NEUTRALE_ANTWORT);
        assert!(!r.text.contains(&geschuetzt));
        assert!(matches!(r.ausgang, Ausgang::Gesperrt { person_id, .. } if person_id == kind));
        assert_eq!(
            auskunft::protokoll(&s, kind).unwrap()[0].ergebnis,
            "VERWEIGERT_SPERRE"
        );
        // The clerk enters the proposal: nothing more to propose.
        person::sperre_eintragen(&s, kind, &vorschlag).unwrap();
        assert!(person::sperrvorschlag(&s, kind).unwrap().is_none());
    }
);

kis::store_test!(
    anmeldung_into_a_blocked_dwelling_is_protected_on_the_address,
    |db: &Db| {
        let s = meier(db);
        let geschuetzt = register_strasse(db, ANNA_MUELLER);
        let neu = PersonDaten::new("Krause", "Jan", d(1988, 7, 7), Geschlecht::Maennlich);
        let e = meldung::anmelden(
            &s,
            &Anmeldung {
                einzug: d(2026, 3, 1),
                anmeldedatum: None,
                adresse: Adresse {
                    strasse: "00020".into(),
                    hausnummer: 2,
                    zusatz: "a".into(),
                    lage: "EG".into(),
                },
                art: WohnungsArt::Haupt,
                herkunft: Herkunft::Ausland {
                    staat: "AUT".into(),
                },
                wohnungsgeber: None,
                personen: vec![AnmeldePerson::Neu(neu)],
                bindungen: vec![],
                entscheidung22: None,
            },
        )
        .unwrap();
        assert!(
            e.hinweise
                .iter()
                .any(|h| h.contains("Sperre vorgeschlagen")),
            "{:?}",
            e.hinweise
        );
        let mut a = Anfrage::einfach("Inkasso AG", "Forderung", "Krause");
        a.vornamen = "Jan".into();
        let r = auskunft::auskunft(&s, &a).unwrap();
        assert_eq!(r.text, NEUTRALE_ANTWORT);
        assert!(!r.text.contains(&geschuetzt));
        assert!(r.intern.contains("§ 51 Abs. 1"), "{}", r.intern);
        // Control: the same Anmeldung elsewhere gets its Auskunft.
        let anderswo = PersonDaten::new("Krause", "Eva", d(1990, 1, 1), Geschlecht::Weiblich);
        let m = Anmeldung {
            einzug: d(2026, 3, 1),
            anmeldedatum: None,
            adresse: Adresse {
                strasse: "00040".into(),
                hausnummer: 28,
                zusatz: String::new(),
                lage: String::new(),
            },
            art: WohnungsArt::Haupt,
            herkunft: Herkunft::Ausland {
                staat: "AUT".into(),
            },
            wohnungsgeber: None,
            personen: vec![AnmeldePerson::Neu(anderswo)],
            bindungen: vec![],
            entscheidung22: None,
        };
        assert!(
            meldung::anmelden(&s, &m)
                .unwrap()
                .hinweise
                .iter()
                .all(|h| !h.contains("Sperre"))
        );
        let mut b = Anfrage::einfach("Inkasso AG", "Forderung", "Krause");
        b.vornamen = "Eva".into();
        assert!(matches!(
            auskunft::auskunft(&s, &b).unwrap().ausgang,
            Ausgang::Erteilt { .. }
        ));
    }
);

kis::store_test!(duplicate_sperren_are_refused, |db: &Db| {
    let s = meier(db);
    let w42 = Sperre {
        id: 0,
        art: SperrArt::Widerspruch42,
        grund: "Widerspruch der Person".into(),
        behoerde: String::new(),
        ab: d(2026, 3, 5),
        bis: Some(d(2026, 6, 30)),
    };
    person::sperre_eintragen(&s, THOMAS_MUELLER, &w42).unwrap();
    for doppelt in [
        w42.clone(),
        Sperre {
            ab: d(2026, 6, 30),
            bis: None,
            ..w42.clone()
        },
        Sperre {
            ab: d(2026, 1, 1),
            bis: Some(d(2026, 3, 5)),
            ..w42.clone()
        },
    ] {
        let e = person::sperre_eintragen(&s, THOMAS_MUELLER, &doppelt).unwrap_err();
        assert_eq!(e.field_key(), Some("art"), "{e}");
        assert!(
            e.to_string().contains("bereits") && e.to_string().contains("§ 42"),
            "{e}"
        );
    }
    assert_eq!(
        person::anzeigen(&s, THOMAS_MUELLER).unwrap().sperren.len(),
        1
    );
    // Another kind, or the same kind after the first one ended, is accepted.
    person::sperre_eintragen(
        &s,
        THOMAS_MUELLER,
        &Sperre {
            art: SperrArt::Widerspruch36,
            ..w42.clone()
        },
    )
    .unwrap();
    person::sperre_eintragen(
        &s,
        THOMAS_MUELLER,
        &Sperre {
            ab: d(2026, 7, 1),
            bis: None,
            ..w42.clone()
        },
    )
    .unwrap();
    assert_eq!(
        person::anzeigen(&s, THOMAS_MUELLER).unwrap().sperren.len(),
        3
    );
    // The demo's Auskunftssperre of Anna cannot be entered a second time.
    assert!(person::sperre_eintragen(&s, ANNA_MUELLER, &as51("noch einmal")).is_err());
});

/// PER100 as the payroll clerk: open the employee for change, put each
/// Ordnungsmerkmal into the OM field in turn and save; returns the message
/// line and the screen after each attempt (a wide screen, so the message
/// is not cut).
fn per100_verknuepfen(db: &Db, pnr: &str, oms: &[&str]) -> Vec<(String, String)> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let clock = demo_env(db, d(2026, 1, 28));
    let mut ui = kis::testing::ui::UiHarness::with_size(db, clock, 240, 30, "default");
    ui.login("PERSONAL", "personal");
    ui.goto("PER100");
    ui.type_text(pnr);
    ui.key(KeyCode::Enter);
    ui.type_text("U");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Ändern");
    // The cursor starts on Geschlecht; the OM field is next.
    ui.key(KeyCode::Tab);
    let mut out = Vec::new();
    for om in oms {
        ui.send(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL));
        ui.type_text(om);
        ui.fkey(10);
        ui.assert_contains(&format!("OM {om}_"));
        out.push((ui.message(), ui.screen()));
        // The cursor stays in the faulty field; back to its start.
        ui.send(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
        ui.key(KeyCode::Tab);
    }
    out
}

kis::store_test!(
    per100_link_attempt_and_display_show_no_blocked_address,
    |db: &Db| {
        let clock = demo_env(db, d(2026, 1, 28));
        let s = session(db, clock.clone(), "PERSONAL");
        let geschuetzt = register_strasse(db, ANNA_MUELLER);
        stamm::create(
            &s,
            &beschaeftigte(&s, "09001", "Müller", "Anna", d(1990, 5, 5)),
        )
        .unwrap();
        let versuche = per100_verknuepfen(db, "09001", &["8", "999999"]);
        let ((gesperrt, bild), (unbekannt, _)) = (&versuche[0], &versuche[1]);
        assert!(
            gesperrt.contains("Keine passende Person im Melderegister"),
            "{bild}"
        );
        assert_eq!(gesperrt.as_bytes(), unbekannt.as_bytes());
        assert!(!bild.contains(&geschuetzt), "{bild}");
        assert_eq!(
            bild.replace("OM 8________", "OM 999999___"),
            versuche[1].1,
            "same screen apart from the typed OM"
        );
        assert_eq!(stamm::get(&s, "09001").unwrap().ewos_person, None);
        // Linked by the Meldebehörde: PER100 shows the link, not the address.
        personal::verknuepfen(&session(db, clock.clone(), "MEIER"), ANNA_MUELLER, "09001").unwrap();
        let mut ui = kis::testing::ui::UiHarness::new(db, clock);
        ui.login("PERSONAL", "personal");
        ui.goto("PER100");
        ui.type_text("09001");
        ui.key(crossterm::event::KeyCode::Enter);
        ui.type_text("A");
        ui.key(crossterm::event::KeyCode::Enter);
        ui.assert_contains("000000008");
        ui.assert_contains("Postfach 12");
        assert!(!ui.screen().contains(&geschuetzt), "{}", ui.screen());
    }
);

kis::store_test!(
    ewo140_proposes_the_sperre_for_a_child_of_a_blocked_mother,
    |db: &Db| {
        use crossterm::event::KeyCode;
        let clock = demo_env(db, d(2026, 3, 5));
        let mut ui = kis::testing::ui::UiHarness::with_size(db, clock, 240, 30, "default");
        ui.login("MEIER", "meier");
        ui.goto("EWO140");
        for v in [
            "Müller",
            "Lena",
            "W",
            "01.03.2026",
            "Musterstadt",
            "",
            "ev",
            "8",
            "",
        ] {
            ui.type_text(v);
            ui.key(KeyCode::Tab);
        }
        ui.fkey(10);
        let m = ui.message();
        assert!(
            m.contains("Geburt erfasst: Kind 000000016 angemeldet."),
            "{m}"
        );
        assert!(
            m.contains("Sperre vorgeschlagen für 000000016: AS51"),
            "{m}"
        );
        assert!(m.contains("bis 31.12.2027"), "{m}");
    }
);
