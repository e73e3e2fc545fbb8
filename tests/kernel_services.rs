//! Kernel services on both stores: login, roles, audit chain, record locks,
//! version checks, code lists, the street directory, Mandant isolation.

use chrono::{Duration, NaiveDate};
use kis::core::clock::Clock;
use kis::core::error::KisError;
use kis::kernel::audit::{self, Verdict};
use kis::kernel::auth;
use kis::kernel::codes;
use kis::kernel::locks;
use kis::kernel::streets::{self, HouseNo, Street};
use kis::params;
use kis::store::{Db, migrate};
use kis::testing::{demo_env, session};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
}

fn street(key: &str) -> Street {
    Street {
        schluessel: key.into(),
        name: "Testweg".into(),
        ortsteil: "01".into(),
        plz: "59999".into(),
        ort: "Musterstadt".into(),
        hausnummern: vec![
            HouseNo {
                nummer: 1,
                zusatz: String::new(),
            },
            HouseNo {
                nummer: 2,
                zusatz: "a".into(),
            },
        ],
        version: 1,
    }
}

kis::store_test!(migrations_apply_once, |db: &Db| {
    demo_env(db, day());
    assert!(
        migrate::migrate(db, &kis::schema::migrations())
            .unwrap()
            .is_empty()
    );
    let st = migrate::status(db, &kis::schema::migrations()).unwrap();
    assert_eq!(st.current, Some(st.latest));
    assert!(st.pending.is_empty());
});

kis::store_test!(login_checks_password_and_logs_failures, |db: &Db| {
    let clock = demo_env(db, day());
    let s = auth::login(db, clock.clone(), "meier", "meier", None, "test").unwrap();
    assert_eq!(s.user.name, "MEIER");
    assert_eq!(s.mandant.id, "001");
    let err = auth::login(db, clock.clone(), "MEIER", "falsch", None, "test")
        .err()
        .unwrap();
    assert_eq!(err, KisError::Auth);
    let unknown = auth::login(db, clock.clone(), "NIEMAND", "x", None, "test")
        .err()
        .unwrap();
    assert_eq!(
        unknown.to_string(),
        err.to_string(),
        "unknown user and wrong password look the same"
    );
    let n = db
        .read(|sql| {
            sql.query_one(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'ANMELDUNG_FEHLGESCHLAGEN'",
                &[],
            )
        })
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(n, 2);
});

kis::store_test!(services_enforce_roles, |db: &Db| {
    let clock = demo_env(db, day());
    let gast = session(db, clock.clone(), "GAST");
    match streets::create(&gast, &street("09990")) {
        Err(KisError::Permission(m)) => assert!(m.contains("GAST"), "{m}"),
        other => panic!("erwartet Keine Berechtigung, war {other:?}"),
    }
    let meier = session(db, clock, "MEIER");
    streets::create(&meier, &street("09990")).unwrap();
    let exists = |nr: u32, z: &str| {
        db.read(|sql| streets::house_exists(sql, "001", "09990", nr, z))
            .unwrap()
    };
    assert!(exists(2, "a"));
    assert!(!exists(3, ""));
});

kis::store_test!(street_validation_names_the_field, |db: &Db| {
    let clock = demo_env(db, day());
    let meier = session(db, clock, "MEIER");
    let mut bad = street("09991");
    bad.ortsteil = "09".into(); // Altdorf: expired in 2019
    assert_eq!(
        streets::create(&meier, &bad).unwrap_err().field_key(),
        Some("ortsteil")
    );
    bad.ortsteil = "01".into();
    bad.plz = "5999".into();
    assert_eq!(
        streets::create(&meier, &bad).unwrap_err().field_key(),
        Some("plz")
    );
    let dup = street("00010");
    assert_eq!(
        streets::create(&meier, &dup).unwrap_err().field_key(),
        Some("schluessel")
    );
    assert!(
        streets::search(&meier, "09991").unwrap().is_empty(),
        "nothing half-written"
    );
});

kis::store_test!(search_folds_umlauts_and_sorts_din5007, |db: &Db| {
    let clock = demo_env(db, day());
    let s = session(db, clock, "LESER");
    let hits = streets::search(&s, "aeuss").unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].name, "Äußere Ringstraße");
    assert_eq!(streets::search(&s, "Äuß").unwrap().len(), 1);
    let all: Vec<String> = streets::search(&s, "")
        .unwrap()
        .into_iter()
        .map(|h| h.name)
        .collect();
    let pos = |n: &str| all.iter().position(|x| x == n).unwrap();
    // DIN 5007 variant 1: Ä sorts as A, so Äußere comes after Am Sportplatz and Amselweg.
    assert!(pos("Amselweg") < pos("Äußere Ringstraße"));
    assert!(pos("Äußere Ringstraße") < pos("Bahnhofstraße"));
});

kis::store_test!(audit_chain_detects_changes_and_removals, |db: &Db| {
    let clock = demo_env(db, day());
    let meier = session(db, clock, "MEIER");
    streets::create(&meier, &street("09992")).unwrap();
    let Verdict::Intact { entries } = audit::verify(db).unwrap() else {
        panic!("Kette defekt")
    };
    assert!(entries > 10);
    // Alter one entry in the middle.
    db.write(|sql| {
        sql.execute(
            "UPDATE audit_log SET user_name = 'MALLORY' WHERE seq = 3",
            &[],
        )
    })
    .unwrap();
    match audit::verify(db).unwrap() {
        Verdict::Broken { seq, .. } => assert_eq!(seq, 3),
        v => panic!("nicht erkannt: {v:?}"),
    }
    db.write(|sql| sql.execute("UPDATE audit_log SET user_name = 'KIS' WHERE seq = 3", &[]))
        .unwrap();
    assert!(matches!(audit::verify(db).unwrap(), Verdict::Intact { .. }));
    // Remove the newest entry.
    let last: i64 = db
        .read(|sql| sql.query_one("SELECT MAX(seq) FROM audit_log", &[]))
        .unwrap()
        .i64(0)
        .unwrap();
    db.write(|sql| sql.execute("DELETE FROM audit_log WHERE seq = ?", &params![last]))
        .unwrap();
    match audit::verify(db).unwrap() {
        Verdict::Broken { seq, .. } => assert!(seq <= last, "{seq} {last}"),
        v => panic!("Löschung nicht erkannt: {v:?}"),
    }
});

kis::store_test!(
    locks_show_the_holder_and_expire_with_the_session,
    |db: &Db| {
        let clock = demo_env(db, day());
        let meier = session(db, clock.clone(), "MEIER");
        let schulz = session(db, clock.clone(), "SCHULZ");
        locks::acquire(&meier, "street", "00010").unwrap();
        locks::acquire(&meier, "street", "00010").unwrap(); // re-entrant for the holder
        let err = locks::acquire(&schulz, "street", "00010").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Datensatz in Bearbeitung durch MEIER seit 09:00 – nur Anzeige möglich."
        );
        // MEIER's session dies: no heartbeat for longer than the TTL.
        clock.advance(Duration::minutes(auth::SESSION_TTL_MINUTES + 1));
        auth::heartbeat(&schulz, "KIS100").unwrap();
        locks::acquire(&schulz, "street", "00010").unwrap();
        let all = locks::all(db, clock.now()).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].user, "SCHULZ");
        auth::end_session(&schulz).unwrap();
        assert!(locks::all(db, clock.now()).unwrap().is_empty());
    }
);

kis::store_test!(stale_save_is_refused_and_names_the_colleague, |db: &Db| {
    let clock = demo_env(db, day());
    let meier = session(db, clock.clone(), "MEIER");
    let schulz = session(db, clock, "SCHULZ");
    let mut a = streets::get(&meier, "00010").unwrap();
    let mut b = streets::get(&schulz, "00010").unwrap();
    a.name = "Hauptstraße Nord".into();
    assert_eq!(streets::update(&meier, &a).unwrap(), 2);
    b.name = "Hauptstr.".into();
    let err = streets::update(&schulz, &b).unwrap_err();
    // The kernel names the colleague, not a key (the UI adds the key that
    // reloads; see tests/ui_rollen.rs).
    assert!(
        matches!(&err, KisError::Stale { by } if by == "MEIER"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "Der Datensatz wurde inzwischen von MEIER geändert. Bitte neu laden; Ihre Eingaben bleiben sichtbar."
    );
    assert_eq!(
        streets::get(&schulz, "00010").unwrap().name,
        "Hauptstraße Nord"
    );
});

kis::store_test!(code_lists_respect_validity, |db: &Db| {
    let clock = demo_env(db, day());
    let ortsteile = db
        .read(|sql| codes::valid_entries(sql, "001", "ORTSTEIL", day()))
        .unwrap();
    assert_eq!(ortsteile.len(), 6);
    let old = db
        .read(|sql| {
            codes::valid_entries(
                sql,
                "001",
                "ORTSTEIL",
                NaiveDate::from_ymd_opt(2010, 1, 1).unwrap(),
            )
        })
        .unwrap();
    assert!(
        old.iter()
            .any(|e| e.code == "09" && e.short_text == "Altdorf")
    );
    let meier = session(db, clock.clone(), "MEIER");
    let e = codes::CodeEntry {
        list: "ORTSTEIL".into(),
        code: "07".into(),
        short_text: "Neubaugebiet".into(),
        long_text: String::new(),
        valid_from: day(),
        valid_to: NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
    };
    assert!(matches!(
        codes::upsert(&meier, &e),
        Err(KisError::Permission(_))
    ));
    let admin = session(db, clock, "ADMIN");
    codes::upsert(&admin, &e).unwrap();
    assert_eq!(
        db.read(|sql| codes::valid_entries(sql, "001", "ORTSTEIL", day()))
            .unwrap()
            .len(),
        7
    );
});

kis::store_test!(mandanten_are_isolated, |db: &Db| {
    let clock = demo_env(db, day());
    let admin = kis::testing::session(db, clock.clone(), "ADMIN");
    let by = auth::AdminActor::Session(&admin);
    auth::add_mandant(
        db,
        &by,
        &kis::kernel::session::Mandant {
            id: "002".into(),
            name: "Beispielheim".into(),
            ags: "05999002".into(),
            bundesland: "NW".into(),
            anschrift: String::new(),
        },
    )
    .unwrap();
    auth::set_roles(
        db,
        &by,
        "SCHULZ",
        "002",
        &[kis::core::roles::Role::EwosAendern],
    )
    .unwrap();
    // SCHULZ now has roles in two Mandanten: login must name one.
    let err = auth::login(db, clock.clone(), "SCHULZ", "schulz", None, "t")
        .err()
        .unwrap();
    assert_eq!(err.field_key(), Some("mandant"));
    let s2 = auth::login(db, clock.clone(), "SCHULZ", "schulz", Some("002"), "t").unwrap();
    assert!(streets::search(&s2, "").unwrap().is_empty());
    let s1 = auth::login(db, clock, "SCHULZ", "schulz", Some("001"), "t").unwrap();
    assert_eq!(streets::search(&s1, "").unwrap().len(), 62);
});

// Issue 11: the built-in administrator exists only on a store without any
// user, and the last ADMIN cannot be taken away.
kis::store_test!(builtin_admin_only_for_a_store_without_users, |db: &Db| {
    migrate::migrate(db, &kis::schema::migrations()).unwrap();
    let clock = kis::core::clock::FixedClock::on(day());
    let by = auth::AdminActor::Bootstrap { clock: &clock };
    auth::add_user(db, &by, "erste", "Erste Admin", "geheim1").unwrap();
    // Once a user exists, the built-in administrator is refused for everything.
    let e = auth::add_user(db, &by, "zweite", "Zweite", "geheim1").unwrap_err();
    assert!(matches!(e, KisError::Permission(_)), "{e:?}");
    let e = auth::set_password(db, &by, "erste", "anders1").unwrap_err();
    assert!(matches!(e, KisError::Permission(_)), "{e:?}");
    let e = kis::kernel::access::unmap_login(db, &by, "root").unwrap_err();
    assert!(matches!(e, KisError::Permission(_)), "{e:?}");
    assert_eq!(auth::list_users(db).unwrap().len(), 1);
});

kis::store_test!(the_last_admin_keeps_the_role, |db: &Db| {
    let clock = demo_env(db, day());
    let admin = session(db, clock.clone(), "ADMIN");
    let by = auth::AdminActor::Session(&admin);
    use kis::core::roles::Role;
    // DEMO and ADMIN hold ADMIN: one of them may lose it.
    auth::set_roles(db, &by, "DEMO", "001", &[Role::EwosLesen]).unwrap();
    let audit_before = audit::verify(db).unwrap();
    for roles in [&[Role::EwosLesen][..], &[][..]] {
        let e = auth::set_roles(db, &by, "ADMIN", "001", roles).unwrap_err();
        assert!(
            matches!(&e, KisError::Conflict(m) if m.contains("letzte Benutzer mit der Rolle ADMIN")),
            "{e:?}"
        );
    }
    assert_eq!(audit::verify(db).unwrap(), audit_before, "nothing written");
    assert!(auth::has_admin(db).unwrap());
    // ADMIN in another Mandant counts: then 001 may go.
    auth::add_mandant(
        db,
        &by,
        &kis::kernel::session::Mandant {
            id: "002".into(),
            name: "Beispielheim".into(),
            ags: "05999002".into(),
            bundesland: "NW".into(),
            anschrift: String::new(),
        },
    )
    .unwrap();
    auth::set_roles(db, &by, "ADMIN", "002", &[Role::Admin]).unwrap();
    auth::set_roles(db, &by, "ADMIN", "001", &[]).unwrap();
    let e = auth::set_roles(db, &by, "ADMIN", "002", &[]).unwrap_err();
    assert!(matches!(e, KisError::Conflict(_)), "{e:?}");
});
