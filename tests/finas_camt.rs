//! The camt.053 import on SQLite and PostgreSQL: matching by Kassenzeichen
//! (also embedded and with spaces), by amount and IBAN, the order of
//! application (AO § 225(2) and a Mandant's own), over-payments and
//! unmatched entries on the Klärungsliste, Rücklastschriften with the
//! bank's fee, a double import, a malformed file, the journal balanced, the
//! Klärungsliste's assign and refund, role refusals.

use chrono::NaiveDate;
use kis::core::money::Money;
use kis::finas::kasse::kontoauszug::{self, Forderungsart, Offen};
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, PartnerArt, PartnerInput,
};
use kis::finas::kasse::{anordnung, einstellung, kassenzeichen, klaerung, partner};
use kis::kernel::session::Session;
use kis::params;
use kis::store::Db;
use kis::testing::{demo_env, session};

const STADTKASSE: &str = "DE95440501990000001811";

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse_de(s).unwrap()
}

fn firma(kasse: &Session, name: &str, iban: &str) -> i64 {
    let id = partner::anlegen(
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
    .unwrap();
    partner::bank_hinzufuegen(kasse, id, iban, "", "").unwrap();
    id
}

/// Entered by the Buchhalter, released by the Kämmerer: (nr, Kassenzeichen).
fn annahme(b: &Session, k: &Session, partner: i64, faellig: &[(NaiveDate, &str)]) -> (i64, String) {
    let a = anordnung::erfassen(
        b,
        &AnordnungInput {
            reservierung: None,
            art: AnordnungArt::Annahme,
            partner,
            produkt: "01.01.01".into(),
            konto: "4311".into(),
            kostenstelle: None,
            gegenkonto: None,
            text: "Verwaltungsgebühr".into(),
            faelligkeiten: faellig
                .iter()
                .map(|(f, x)| Faelligkeit {
                    faellig: *f,
                    betrag: eur(x),
                })
                .collect(),
        },
    )
    .unwrap();
    anordnung::freigeben(k, a.nr).unwrap();
    (a.nr, a.kassenzeichen)
}

/// (lfd, Soll, Ist) of an Anordnung's due dates.
fn posten(db: &Db, nr: i64) -> Vec<(i64, String, i64, i64)> {
    db.read(|sql| {
        sql.query(
            "SELECT lfd, art, betrag, bezahlt FROM fin_faelligkeit WHERE mandant = '001' AND anordnung = ? ORDER BY lfd",
            &params![nr],
        )
    })
    .unwrap()
    .iter()
    .map(|r| (r.i64(0).unwrap(), r.str(1).unwrap(), r.i64(2).unwrap(), r.i64(3).unwrap()))
    .collect()
}

fn zaehle(db: &Db, table: &str) -> i64 {
    db.read(|sql| sql.query_one(&format!("SELECT COUNT(*) FROM {table}"), &[]))
        .unwrap()
        .i64(0)
        .unwrap()
}

fn journal_ausgeglichen(db: &Db) {
    let r = db
        .read(|sql| {
            sql.query_one(
                "SELECT COALESCE(SUM(soll), 0), COALESCE(SUM(haben), 0) FROM fin_buchungszeile",
                &[],
            )
        })
        .unwrap();
    assert_eq!(r.i64(0).unwrap(), r.i64(1).unwrap());
}

struct N<'a> {
    referenz: &'a str,
    betrag: &'a str,
    haben: bool,
    text: &'a str,
    name: &'a str,
    iban: &'a str,
    e2e: &'a str,
    rueckgabe: Option<&'a str>,
    entgelt: Option<&'a str>,
}

fn n<'a>(referenz: &'a str, betrag: &'a str, text: &'a str) -> N<'a> {
    N {
        referenz,
        betrag,
        haben: true,
        text,
        name: "Hafenbetriebe Nord GmbH",
        iban: "DE89370400440532013000",
        e2e: "NOTPROVIDED",
        rueckgabe: None,
        entgelt: None,
    }
}

fn ntry(e: &N) -> String {
    let (cd, partei, konto) = if e.haben {
        ("CRDT", "Dbtr", "DbtrAcct")
    } else {
        ("DBIT", "Cdtr", "CdtrAcct")
    };
    let chrgs = e
        .entgelt
        .map(|x| format!("<Chrgs><Amt Ccy=\"EUR\">{x}</Amt></Chrgs>"))
        .unwrap_or_default();
    let rtr = e
        .rueckgabe
        .map(|c| format!("<RtrInf><Rsn><Cd>{c}</Cd></Rsn></RtrInf>"))
        .unwrap_or_default();
    format!(
        r#"      <Ntry>
        <Amt Ccy="EUR">{betrag}</Amt>
        <CdtDbtInd>{cd}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-11-20</Dt></BookgDt>
        <ValDt><Dt>2026-11-20</Dt></ValDt>
        <AcctSvcrRef>{referenz}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        {chrgs}
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>{e2e}</EndToEndId></Refs>
            <RltdPties>
              <{partei}><Nm>{name}</Nm></{partei}>
              <{konto}><Id><IBAN>{iban}</IBAN></Id></{konto}>
            </RltdPties>
            <RmtInf><Ustrd>{text}</Ustrd></RmtInf>
            {rtr}
          </TxDtls>
        </NtryDtls>
      </Ntry>"#,
        betrag = e.betrag,
        referenz = e.referenz,
        e2e = e.e2e,
        name = e.name,
        iban = e.iban,
        text = e.text,
    )
}

fn camt(id: &str, eintraege: &[N]) -> String {
    let ntry: Vec<String> = eintraege.iter().map(ntry).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>MSG-{id}</MsgId>
      <CreDtTm>2026-11-20T18:00:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>{id}</Id>
      <CreDtTm>2026-11-20T18:00:00</CreDtTm>
      <Acct><Id><IBAN>{STADTKASSE}</IBAN></Id></Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">1000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-11-19</Dt></Dt>
      </Bal>
      <Bal>
        <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">1000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-11-20</Dt></Dt>
      </Bal>
{}
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#,
        ntry.join("\n")
    )
}

fn falsche_pruefziffer(kz: &str) -> String {
    let p = kz.as_bytes()[10] - b'0';
    format!("{}{}", &kz[..10], (p + 1) % 10)
}

#[test]
fn verrechnen_in_der_reihenfolge() {
    let o = |lfd, art, t, rest: i64| Offen {
        anordnung: 1,
        lfd,
        art,
        faellig: d(10, t),
        rest: Money::from_cents(rest),
    };
    let offen = vec![
        o(1, Forderungsart::Hauptforderung, 20, 10000),
        o(2, Forderungsart::Hauptforderung, 1, 5000),
        o(3, Forderungsart::Kosten, 5, 300),
        o(4, Forderungsart::Saeumniszuschlag, 2, 1000),
        o(5, Forderungsart::Zinsen, 3, 200),
    ];
    let m = Money::from_cents;
    // AO § 225(2): the claim (oldest first), then Kosten, Zinsen, Säumniszuschläge.
    assert_eq!(
        kontoauszug::verrechnen(&offen, m(15400)),
        vec![
            ((1, 2), m(5000)),
            ((1, 1), m(10000)),
            ((1, 3), m(300)),
            ((1, 5), m(100))
        ]
    );
    // A Mandant's order K, S, Z, H.
    let ksz = kontoauszug::folge("KSZH").unwrap();
    assert_eq!(
        kontoauszug::verrechnen_nach(&offen, m(2000), &ksz, None),
        vec![
            ((1, 3), m(300)),
            ((1, 4), m(1000)),
            ((1, 5), m(200)),
            ((1, 2), m(500))
        ]
    );
    // Designated by the payer: that due date first.
    assert_eq!(
        kontoauszug::verrechnen_nach(&offen, m(100), &kontoauszug::AO_225, Some(d(10, 20))),
        vec![((1, 1), m(100))]
    );
    // Over-payment: everything open, the rest is left.
    let alles: i64 = kontoauszug::verrechnen(&offen, m(99999))
        .iter()
        .map(|x| x.1.cents())
        .sum();
    assert_eq!(alles, 16500);
    assert!(kontoauszug::verrechnen(&offen, m(0)).is_empty());
    assert!(kontoauszug::folge("KSZ").is_err());
    assert!(kontoauszug::folge("KKZH").is_err());
    assert_eq!(
        kontoauszug::bestimmtes_datum("Rate 15.10.2026 KZ"),
        vec![d(10, 15)]
    );
}

kis::store_test!(import_ordnet_zu_und_klaert, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let kasse = session(db, clock.clone(), "KASSE");
    let b = session(db, clock.clone(), "BUCHHALTER");
    let k = session(db, clock.clone(), "KAEMMERER");
    let hafen = firma(&kasse, "Hafenbetriebe Nord GmbH", "DE89370400440532013000");
    let weiss = firma(&kasse, "Weiß Gärten KG", "DE02120300000000202051");
    let (voll, kz_voll) = annahme(&b, &k, hafen, &[(d(11, 15), "60,00")]);
    let (teil, kz_teil) = annahme(
        &b,
        &k,
        hafen,
        &[
            (d(10, 1), "5,00"),
            (d(10, 15), "20,00"),
            (d(11, 1), "100,00"),
        ],
    );
    db.write(|sql| {
        sql.execute(
            "UPDATE fin_faelligkeit SET art = CASE lfd WHEN 1 THEN 'K' WHEN 2 THEN 'S' ELSE 'H' END WHERE anordnung = ?",
            &params![teil],
        )
    })
    .unwrap();
    let (ueber, kz_ueber) = annahme(&b, &k, hafen, &[(d(11, 10), "40,00")]);
    let (eingebettet, kz_eing) = annahme(&b, &k, hafen, &[(d(11, 10), "33,00")]);
    let (per_iban, _) = annahme(&b, &k, weiss, &[(d(11, 10), "77,70")]);
    let gruppen = kassenzeichen::anzeigen(&kz_eing);
    let falsch = falsche_pruefziffer(&kz_voll);

    let t_voll = format!("KZ {kz_voll}");
    let t_teil = format!("Zahlung {kz_teil}");
    let t_ueber = kz_ueber.clone();
    let t_eing = format!("Rechnung Nr. 4711/Kassenzeichen{gruppen}/Nov");
    let t_falsch = format!("KZ {falsch}");
    let mut unbekannt = n("R-6", "12,34", "Spende");
    unbekannt.betrag = "12.34";
    unbekannt.name = "Unbekannt";
    unbekannt.iban = "DE07370400440000777001";
    let mut falsche = n("R-7", "60.00", &t_falsch);
    falsche.iban = "DE80370400440000400200";
    falsche.name = "Jemand";
    let mut iban = n("R-8", "77.70", "Rechnung November");
    iban.iban = "DE02120300000000202051";
    iban.name = "W. Gaerten";
    let xml = camt(
        "A-1",
        &[
            n("R-1", "60.00", &t_voll),
            n("R-2", "30.00", &t_teil),
            n("R-3", "50.00", &t_ueber),
            n("R-4", "33.00", &t_eing),
            unbekannt,
            falsche,
            iban,
        ],
    );
    // No role, nothing changes.
    let gast = session(db, clock.clone(), "PERSONAL");
    assert!(kontoauszug::importieren(&gast, xml.as_bytes()).is_err());
    assert_eq!(zaehle(db, "fin_kontoauszug"), 0);

    let e = kontoauszug::importieren(&kasse, xml.as_bytes()).unwrap();
    assert_eq!(
        e.zeile(),
        "7 Umsätze: 5 zugeordnet, 2 Klärungsliste, 0 Rücklastschriften"
    );
    assert_eq!(posten(db, voll), vec![(1, "H".into(), 6000, 6000)]);
    // AO § 225(2): the claim first, then Kosten, then Säumniszuschläge.
    assert_eq!(
        posten(db, teil),
        vec![
            (1, "K".into(), 500, 0),
            (2, "S".into(), 2000, 0),
            (3, "H".into(), 10000, 3000)
        ]
    );
    assert_eq!(posten(db, ueber), vec![(1, "H".into(), 4000, 4000)]);
    assert_eq!(posten(db, eingebettet), vec![(1, "H".into(), 3300, 3300)]);
    assert_eq!(posten(db, per_iban), vec![(1, "H".into(), 7770, 7770)]);
    let liste = klaerung::liste(&kasse).unwrap();
    let mut betraege: Vec<i64> = liste.iter().map(|k| k.betrag.cents()).collect();
    betraege.sort_unstable();
    assert_eq!(betraege, vec![1000, 1234, 6000]);
    assert!(liste.iter().all(|k| k.status == "O"));
    journal_ausgeglichen(db);
    // Verwahrgeld: 10,00 + 12,34 + 60,00 on 3721.
    let verwahr = db
        .read(|sql| {
            sql.query_one(
                "SELECT SUM(haben) - SUM(soll) FROM fin_buchungszeile WHERE konto = '3721'",
                &[],
            )
        })
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(verwahr, 8234);

    // The same file again changes nothing and says so.
    let buchungen = zaehle(db, "fin_buchung");
    let e2 = kontoauszug::importieren(&kasse, xml.as_bytes()).unwrap();
    assert_eq!(
        e2.zeile(),
        "0 Umsätze: 0 zugeordnet, 0 Klärungsliste, 0 Rücklastschriften"
    );
    assert!(e2.hinweis().unwrap().contains("nichts geändert"));
    assert_eq!(zaehle(db, "fin_buchung"), buchungen);
    assert_eq!(zaehle(db, "fin_umsatz"), 7);
    // A pending entry (PDNG) is not taken over.
    let vorgemerkt =
        ntry(&n("R-P", "10.00", &t_voll)).replace("<Sts>BOOK</Sts>", "<Sts>PDNG</Sts>");
    let xml_p = camt("A-P", &[]).replace("</Bal>\n\n", &format!("</Bal>\n{vorgemerkt}\n"));
    let ep = kontoauszug::importieren(&kasse, xml_p.as_bytes()).unwrap();
    assert_eq!((ep.umsaetze, ep.nicht_gebucht), (0, 1), "{xml_p}");
    assert!(ep.hinweis().unwrap().contains("PDNG"));
    // The same entry in another statement is skipped too.
    let xml3 = camt("A-2", &[n("R-1", "60.00", &t_voll)]);
    let e3 = kontoauszug::importieren(&kasse, xml3.as_bytes()).unwrap();
    assert_eq!((e3.umsaetze, e3.umsaetze_vorhanden), (0, 1));

    // A Mandant that applies K, S, Z before the claim.
    let actor = kasse.actor();
    db.write(|sql| {
        let mut s = einstellung::lesen_in(sql, "001")?;
        s.tilgungsfolge = "KSZH".into();
        einstellung::setzen_in(sql, &actor, &s)
    })
    .unwrap();
    let (teil2, kz2) = annahme(
        &b,
        &k,
        hafen,
        &[
            (d(10, 1), "5,00"),
            (d(10, 15), "20,00"),
            (d(11, 1), "100,00"),
        ],
    );
    db.write(|sql| {
        sql.execute(
            "UPDATE fin_faelligkeit SET art = CASE lfd WHEN 1 THEN 'K' WHEN 2 THEN 'S' ELSE 'H' END WHERE anordnung = ?",
            &params![teil2],
        )
    })
    .unwrap();
    let t2 = format!("KZ {kz2}");
    kontoauszug::importieren(&kasse, camt("A-3", &[n("R-9", "30.00", &t2)]).as_bytes()).unwrap();
    assert_eq!(
        posten(db, teil2),
        vec![
            (1, "K".into(), 500, 500),
            (2, "S".into(), 2000, 2000),
            (3, "H".into(), 10000, 500)
        ]
    );

    // Klärungsliste: assign the wrong-check-digit payment to the partial one.
    let falsch_id = klaerung::liste(&kasse)
        .unwrap()
        .into_iter()
        .find(|k| k.betrag.cents() == 6000)
        .unwrap()
        .id;
    let err = klaerung::zuordnen(&kasse, falsch_id, &falsch)
        .unwrap_err()
        .to_string();
    assert!(err.contains("Prüfziffer"), "{err}");
    let err = klaerung::zuordnen(
        &kasse,
        falsch_id,
        &kassenzeichen::bilden(2026, 9999).unwrap(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("nicht") && err.contains("vergeben"), "{err}");
    assert!(klaerung::zuordnen(&gast, falsch_id, &kz_teil).is_err());
    let angewandt = klaerung::zuordnen(&kasse, falsch_id, &kz_teil).unwrap();
    // 70,00 of 95,00 open; a Mandant order KSZH: K 5, S 20, then the claim.
    assert_eq!(angewandt.cents(), 6000);
    assert_eq!(
        posten(db, teil),
        vec![
            (1, "K".into(), 500, 500),
            (2, "S".into(), 2000, 2000),
            (3, "H".into(), 10000, 6500)
        ]
    );
    let err = klaerung::zuordnen(&kasse, falsch_id, &kz_teil)
        .unwrap_err()
        .to_string();
    assert!(err.contains("bereits zugeordnet"), "{err}");
    journal_ausgeglichen(db);

    // Refund the unknown payer's 12,34 €: an Auszahlungsanordnung to be released by a second person.
    let spende = klaerung::liste(&kasse)
        .unwrap()
        .into_iter()
        .find(|k| k.betrag.cents() == 1234)
        .unwrap()
        .id;
    assert!(klaerung::erstatten(&kasse, spende, "DE00123").is_err());
    let err = klaerung::erstatten(&kasse, spende, "DE07370400440000777001")
        .unwrap_err()
        .to_string();
    assert!(err.contains("keinen Geschäftspartner"), "{err}");
    firma(&kasse, "Spender e. V.", "DE07370400440000777001");
    let r = klaerung::erstatten(&kasse, spende, "DE07370400440000777001").unwrap();
    assert_eq!(r.betrag.cents(), 1234);
    let a = anordnung::lesen(&kasse, r.anordnung).unwrap();
    assert_eq!(a.art, AnordnungArt::Auszahlung);
    assert_eq!((a.konto.as_str(), a.gegenkonto.as_str()), ("3721", "3721"));
    anordnung::freigeben(&k, r.anordnung).unwrap();
    let err = klaerung::erstatten(&kasse, spende, "DE07370400440000777001")
        .unwrap_err()
        .to_string();
    assert!(err.contains("bereits erstattet"), "{err}");
    let offen: Vec<_> = klaerung::liste(&kasse).unwrap();
    assert_eq!(offen[0].status, "O");
    journal_ausgeglichen(db);
});

kis::store_test!(ruecklastschrift_oeffnet_und_berechnet_entgelt, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let kasse = session(db, clock.clone(), "KASSE");
    let b = session(db, clock.clone(), "BUCHHALTER");
    let k = session(db, clock.clone(), "KAEMMERER");
    let hafen = firma(&kasse, "Hafenbetriebe Nord GmbH", "DE89370400440532013000");
    let (nr, kz) = annahme(&b, &k, hafen, &[(d(11, 15), "80,00")]);
    let t = format!("{} Gebuehr", kassenzeichen::anzeigen(&kz));
    let mut einzug = n("E-1", "80.00", &t);
    einzug.e2e = "ZL7-1-1";
    kontoauszug::importieren(&kasse, camt("B-1", &[einzug]).as_bytes()).unwrap();
    assert_eq!(posten(db, nr), vec![(1, "H".into(), 8000, 8000)]);

    let mut rueck = n("E-2", "83.00", &t);
    rueck.haben = false;
    rueck.e2e = "ZL7-1-1";
    rueck.rueckgabe = Some("MD06");
    rueck.entgelt = Some("3.00");
    let e = kontoauszug::importieren(&kasse, camt("B-2", &[rueck]).as_bytes()).unwrap();
    assert_eq!(
        e.zeile(),
        "1 Umsätze: 0 zugeordnet, 0 Klärungsliste, 1 Rücklastschriften"
    );
    // Reopened, and the bank's fee is a new due date of art K.
    assert_eq!(
        posten(db, nr),
        vec![(1, "H".into(), 8000, 0), (2, "K".into(), 300, 0)]
    );
    let netto = db
        .read(|sql| {
            sql.query_one(
                "SELECT SUM(betrag) FROM fin_umsatz_zuordnung WHERE anordnung = ?",
                &params![nr],
            )
        })
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(netto, 0);
    journal_ausgeglichen(db);
    // The same collection returned a second time (another entry): Klärungsliste.
    let mut nochmal = n("E-2b", "83.00", &t);
    nochmal.haben = false;
    nochmal.e2e = "ZL7-1-1";
    nochmal.rueckgabe = Some("MD06");
    nochmal.entgelt = Some("3.00");
    let e = kontoauszug::importieren(&kasse, camt("B-2b", &[nochmal]).as_bytes()).unwrap();
    assert_eq!(
        e.zeile(),
        "1 Umsätze: 0 zugeordnet, 1 Klärungsliste, 0 Rücklastschriften"
    );
    assert_eq!(
        posten(db, nr),
        vec![(1, "H".into(), 8000, 0), (2, "K".into(), 300, 0)]
    );

    // A return without a collection to reverse goes to the Klärungsliste.
    let mut fremd = n("E-3", "10.00", "Ruecklastschrift");
    fremd.haben = false;
    fremd.e2e = "UNBEKANNT-1";
    fremd.rueckgabe = Some("AC04");
    let e = kontoauszug::importieren(&kasse, camt("B-3", &[fremd]).as_bytes()).unwrap();
    assert_eq!(
        e.zeile(),
        "1 Umsätze: 0 zugeordnet, 1 Klärungsliste, 0 Rücklastschriften"
    );
    journal_ausgeglichen(db);
    // Collection and return in one file.
    let (nr2, kz2) = annahme(&b, &k, hafen, &[(d(11, 15), "25,00")]);
    let t2 = format!("KZ {kz2}");
    let mut ein = n("E-4", "25.00", &t2);
    ein.e2e = "ZL8-1-1";
    let mut zurueck = n("E-5", "25.00", &t2);
    zurueck.haben = false;
    zurueck.e2e = "ZL8-1-1";
    zurueck.rueckgabe = Some("AM04");
    let e = kontoauszug::importieren(&kasse, camt("B-4", &[ein, zurueck]).as_bytes()).unwrap();
    assert_eq!(
        e.zeile(),
        "2 Umsätze: 1 zugeordnet, 0 Klärungsliste, 1 Rücklastschriften"
    );
    assert_eq!(posten(db, nr2), vec![(1, "H".into(), 2500, 0)]);
    journal_ausgeglichen(db);
});

kis::store_test!(fehlerhafte_datei_aendert_nichts, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let kasse = session(db, clock.clone(), "KASSE");
    let buchungen = zaehle(db, "fin_buchung");
    let xml = camt("C-1", &[n("R-1", "60.00", "x")])
        .replace(r#"<Amt Ccy="EUR">60.00</Amt>"#, "<Amt>60.00</Amt>");
    let err = kontoauszug::importieren(&kasse, xml.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.contains("Zeile"), "{err}");
    assert!(err.contains("Amt"), "{err}");
    let kaputt = camt("C-2", &[n("R-1", "60.00", "x")]).replace("</NtryDtls>", "");
    let err = kontoauszug::importieren(&kasse, kaputt.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.contains("Zeile"), "{err}");
    // Another account than the Stadtkasse's.
    let fremd =
        camt("C-3", &[n("R-1", "60.00", "x")]).replace(STADTKASSE, "DE89370400440532013000");
    assert!(kontoauszug::importieren(&kasse, fremd.as_bytes()).is_err());
    assert_eq!(zaehle(db, "fin_kontoauszug"), 0);
    assert_eq!(zaehle(db, "fin_umsatz"), 0);
    assert_eq!(zaehle(db, "fin_buchung"), buchungen);
});

kis::store_test!(zahllauf_wird_durch_abbuchung_bestaetigt, |db: &Db| {
    use kis::finas::kasse::zahllauf;
    let clock = demo_env(db, d(11, 25));
    let kasse = session(db, clock.clone(), "KASSE");
    let b = session(db, clock.clone(), "BUCHHALTER");
    let k = session(db, clock.clone(), "KAEMMERER");
    let lieferant = firma(&kasse, "Bürobedarf Süß KG", "DE07370400440000777001");
    let a = anordnung::erfassen(
        &b,
        &AnordnungInput {
            reservierung: None,
            art: AnordnungArt::Auszahlung,
            partner: lieferant,
            produkt: "01.01.01".into(),
            konto: "5431".into(),
            kostenstelle: None,
            gegenkonto: None,
            text: "Büromaterial".into(),
            faelligkeiten: vec![Faelligkeit {
                faellig: d(11, 25),
                betrag: eur("45,60"),
            }],
        },
    )
    .unwrap();
    anordnung::freigeben(&k, a.nr).unwrap();
    // A refund from the Klärungsliste is paid by the same run.
    let spender = firma(&kasse, "Spender e. V.", "DE02120300000000202051");
    let mut spende = n("S-1", "12.00", "Spende");
    spende.iban = "DE02120300000000202051";
    spende.name = "Unbekannt";
    kontoauszug::importieren(&kasse, camt("D-1", &[spende]).as_bytes()).unwrap();
    let id = klaerung::liste(&kasse).unwrap()[0].id;
    let r = klaerung::erstatten(&kasse, id, "DE02120300000000202051").unwrap();
    assert_eq!(r.partner, spender);
    anordnung::freigeben(&k, r.anordnung).unwrap();
    let (lauf, _) = zahllauf::ausfuehren(&kasse, d(11, 25), None).unwrap();
    let e2e_a = format!("ZL{}-{}-1", lauf.nr, a.nr);
    let e2e_r = format!("ZL{}-{}-1", lauf.nr, r.anordnung);
    let mut zahlung = n("Z-1", "45.60", "Zahlung");
    zahlung.haben = false;
    zahlung.e2e = &e2e_a;
    let mut erstattung = n("Z-2", "12.00", "Erstattung");
    erstattung.haben = false;
    erstattung.e2e = &e2e_r;
    // A debit of the wrong amount is not taken as the payment.
    let mut falsch = n("Z-3", "45.00", "Zahlung");
    falsch.haben = false;
    falsch.e2e = &e2e_a;
    let e = kontoauszug::importieren(
        &kasse,
        camt("D-2", &[falsch, zahlung, erstattung]).as_bytes(),
    )
    .unwrap();
    assert_eq!(
        e.zeile(),
        "3 Umsätze: 2 zugeordnet, 1 Klärungsliste, 0 Rücklastschriften"
    );
    assert_eq!(posten(db, a.nr), vec![(1, "H".into(), 4560, 4560)]);
    assert_eq!(posten(db, r.anordnung), vec![(1, "H".into(), 1200, 1200)]);
    journal_ausgeglichen(db);
    // The Verwahrgeld of the refund is gone again: +12,00 in, -12,00 out, -45,00 unclear debit.
    let verwahr = db
        .read(|sql| {
            sql.query_one(
                "SELECT SUM(haben) - SUM(soll) FROM fin_buchungszeile WHERE konto = '3721'",
                &[],
            )
        })
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(verwahr, -4500);
    // Paid items are no longer candidates of a run.
    assert!(zahllauf::ausfuehren(&kasse, d(11, 26), None).is_err());
});
