//! A Mittelreservierung is used up by what it was reserved for (FINAS.md
//! part 3): the posting or the Auszahlungsanordnung names it, the reserved
//! amount moves from the Obligo into the Ist, the rest stays reserved, and
//! the verfügbare Mittel count the money once. On SQLite and PostgreSQL.

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::core::money::Money;
use kis::finas::journal::{self, BuchungInput, ZeileInput};
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, PartnerArt, PartnerInput,
};
use kis::finas::kasse::{anordnung, partner};
use kis::finas::ueberwachung::{self, Position};
use kis::kernel::session::Session;
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

/// Ansatz 10.000 € in the demo (scenario 1 of FINAS.md).
const PRODUKT: &str = "01.01.01";
const KONTO: &str = "5431";

fn pos(s: &Session) -> Position {
    ueberwachung::position(s, 2026, PRODUKT, KONTO).unwrap()
}

/// (Obligo, Anordnungssoll, verfügbar) in cents.
fn zahlen(s: &Session) -> (i64, i64, i64) {
    let p = pos(s);
    (p.obligo, p.anordnungssoll, p.verfuegbar())
}

fn aufwand(beleg: &str, betrag: &str, reservierung: Option<i64>) -> BuchungInput {
    let mut soll = ZeileInput::soll(KONTO, Some(PRODUKT), eur(betrag));
    soll.reservierung = reservierung;
    BuchungInput {
        datum: d(11, 25),
        periode: None,
        beleg: beleg.into(),
        text: format!("Rechnung {beleg}"),
        zeilen: vec![soll, ZeileInput::haben("3511", None, eur(betrag))],
    }
}

kis::store_test!(buchung_verbraucht_reservierung, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let s = session(db, clock.clone(), "BUCHHALTER");
    let (id, _) = ueberwachung::reservieren(
        &s,
        2026,
        PRODUKT,
        KONTO,
        eur("4.000,00"),
        "Büromaterial Rahmenvertrag",
    )
    .unwrap();
    assert_eq!(zahlen(&s), (400_000, 0, 600_000));

    // The first invoice of the order uses 1.500 € of the reservation: the
    // verfügbare Mittel stay 6.000 € (counted once), 2.500 € stay reserved.
    journal::buchen(&s, &aufwand("R-1", "1.500,00", Some(id))).unwrap();
    assert_eq!(zahlen(&s), (250_000, 150_000, 600_000));

    // Without naming the reservation the same invoice would count twice.
    journal::buchen(&s, &aufwand("R-2", "100,00", None)).unwrap();
    assert_eq!(zahlen(&s), (250_000, 160_000, 590_000));

    // The last invoice is larger than the rest: the reservation gives its
    // 2.500 €, the 500 € beyond it come out of the free funds, and it is done.
    let g = journal::buchen(&s, &aufwand("R-3", "3.000,00", Some(id))).unwrap();
    assert_eq!(zahlen(&s), (0, 460_000, 540_000));
    let e = journal::buchen(&s, &aufwand("R-4", "10,00", Some(id))).unwrap_err();
    assert!(
        matches!(e, KisError::Validation { field: Some(ref field), ref message } if field == "reservierung" && message.contains("nicht (mehr) offen")),
        "{e:?}"
    );

    // The Storno of the last invoice gives its 2.500 € back: open again.
    journal::stornieren(&s, g.nr, d(11, 25), "Rechnung doppelt").unwrap();
    assert_eq!(zahlen(&s), (250_000, 160_000, 590_000));
    let verlauf = ueberwachung::verlauf(&s, 2026, PRODUKT, KONTO).unwrap();
    let verbrauch: Vec<_> = verlauf.iter().filter(|e| e.art == "Verbrauch").collect();
    assert_eq!(verbrauch.len(), 2, "{verlauf:?}");
    assert!(
        verbrauch[1]
            .text
            .contains(&format!("durch Buchung {}", g.nr))
            && verbrauch[1].text.contains("zurück durch Storno"),
        "{verbrauch:?}"
    );
});

kis::store_test!(reservierung_nur_fuer_ihre_stelle, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let s = session(db, clock.clone(), "BUCHHALTER");
    let (id, _) =
        ueberwachung::reservieren(&s, 2026, PRODUKT, KONTO, eur("1.000,00"), "Toner").unwrap();
    let vorher = zahlen(&s);

    // Another Produkt: refused on the field, nothing posted.
    let mut b = aufwand("R-9", "100,00", Some(id));
    b.zeilen[0].produkt = Some("01.01.02".into());
    let e = journal::buchen(&s, &b).unwrap_err();
    assert!(
        matches!(e, KisError::Validation { field: Some(ref field), ref message } if field == "reservierung" && message.contains("01.01.01/5431")),
        "{e:?}"
    );
    // A Haben line cannot use up a reservation.
    let mut b = aufwand("R-9", "100,00", None);
    b.zeilen[1].reservierung = Some(id);
    let e = journal::buchen(&s, &b).unwrap_err();
    assert!(e.to_string().contains("Mittelreservierung"), "{e}");
    // A reservation that does not exist.
    let e = journal::buchen(&s, &aufwand("R-9", "100,00", Some(id + 100))).unwrap_err();
    assert!(e.to_string().contains("nicht (mehr) offen"), "{e}");
    assert_eq!(zahlen(&s), vorher);
    assert_eq!(pos(&s).obligo, 100_000);
});

fn auszahlung(partner: i64, betrag: &str, reservierung: Option<i64>) -> AnordnungInput {
    AnordnungInput {
        art: AnordnungArt::Auszahlung,
        partner,
        produkt: PRODUKT.into(),
        konto: KONTO.into(),
        kostenstelle: None,
        gegenkonto: None,
        text: "Rechnung Bürobedarf".into(),
        faelligkeiten: vec![Faelligkeit {
            faellig: d(12, 10),
            betrag: eur(betrag),
        }],
        reservierung,
    }
}

kis::store_test!(anordnung_verbraucht_reservierung, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let buchhalter = session(db, clock.clone(), "BUCHHALTER");
    let kaemmerer = session(db, clock.clone(), "KAEMMERER");
    let lieferant = partner::anlegen(
        &buchhalter,
        &PartnerInput {
            art: Some(PartnerArt::Firma),
            name: "Bürobedarf Nord KG".into(),
            strasse: "Hafenstraße 9".into(),
            plz: "59999".into(),
            ort: "Musterstadt".into(),
            ..Default::default()
        },
    )
    .unwrap();
    // The whole Ansatz is reserved for the order.
    let (id, _) = ueberwachung::reservieren(
        &buchhalter,
        2026,
        PRODUKT,
        KONTO,
        eur("10.000,00"),
        "Rahmenvertrag Bürobedarf",
    )
    .unwrap();
    assert_eq!(zahlen(&buchhalter), (1_000_000, 0, 0));

    // Without the reservation the invoice is refused: nothing is free.
    let e = anordnung::erfassen(&buchhalter, &auszahlung(lieferant, "2.000,00", None)).unwrap_err();
    assert!(matches!(e, KisError::Conflict(_)), "{e:?}");

    // Naming it, the Anordnung passes, and its release uses 2.000 € up.
    let a = anordnung::erfassen(&buchhalter, &auszahlung(lieferant, "2.000,00", Some(id))).unwrap();
    assert_eq!(a.warnung, None);
    assert_eq!(
        anordnung::lesen(&buchhalter, a.nr).unwrap().reservierung,
        Some(id)
    );
    assert_eq!(zahlen(&buchhalter), (1_000_000, 0, 0));
    anordnung::freigeben(&kaemmerer, a.nr).unwrap();
    assert_eq!(zahlen(&buchhalter), (800_000, 200_000, 0));

    // Cancelling the released Anordnung reverses its Buchung and gives the
    // reservation back.
    anordnung::stornieren(&kaemmerer, a.nr, "Lieferung storniert").unwrap();
    assert_eq!(zahlen(&buchhalter), (1_000_000, 0, 0));

    // An Annahmeanordnung names no reservation.
    let mut annahme = auszahlung(lieferant, "10,00", Some(id));
    annahme.art = AnordnungArt::Annahme;
    annahme.konto = "4311".into();
    let e = anordnung::erfassen(&buchhalter, &annahme).unwrap_err();
    assert!(
        matches!(e, KisError::Validation { field: Some(ref field), .. } if field == "reservierung"),
        "{e:?}"
    );
});
