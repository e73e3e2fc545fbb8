//! FINAS Kasse bank statements (camt.053) on SQLite and PostgreSQL.

use chrono::NaiveDate;
use kis::core::clock::Clock;
use kis::core::money::Money;
use kis::finas::kasse::iso20022::Nachricht;
use kis::finas::kasse::{camt, kontoauszug};
use kis::finas::repo::kasse::kontoauszug::{self as repo, AuszugRow};
use kis::store::Db;
use kis::testing::{demo_env, session};

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

const IBAN: &str = "DE02120300000000202051";

kis::store_test!(schlusssaldo_des_letzten_auszugs_bis_zum_tag, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let kasse = session(db, clock.clone(), "KASSE");
    assert_eq!(
        kontoauszug::schlusssaldo(&kasse, IBAN, d(11, 20)).unwrap(),
        None
    );
    for (nr, tag, saldo) in [("A-1", 10, 10000), ("A-2", 12, 25050), ("A-3", 15, -2000)] {
        db.write(|sql| {
            repo::auszug_einfuegen(
                sql,
                "001",
                &AuszugRow {
                    id: 0,
                    iban: IBAN.into(),
                    auszug_id: nr.into(),
                    elektr_seq: None,
                    datum: d(11, tag),
                    anfangssaldo: 0,
                    schlusssaldo: saldo,
                    nachricht: "camt.053.001.02".into(),
                },
                "KASSE",
                clock.now(),
            )
        })
        .unwrap();
    }
    let s = |tag| kontoauszug::schlusssaldo(&kasse, IBAN, d(11, tag)).unwrap();
    assert_eq!(s(9), None);
    assert_eq!(s(10), Some(Money::from_cents(10000)));
    assert_eq!(s(14), Some(Money::from_cents(25050)));
    assert_eq!(s(30), Some(Money::from_cents(-2000)));
    // Other accounts have no balance.
    assert_eq!(
        kontoauszug::schlusssaldo(&kasse, "DE89370400440532013000", d(11, 30)).unwrap(),
        None
    );
    let gast = session(db, clock.clone(), "PERSONAL");
    assert!(kontoauszug::schlusssaldo(&gast, IBAN, d(11, 30)).is_err());
});

fn camt(ns: &str, ntry: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{ns}">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>MSG-1</MsgId>
      <CreDtTm>2026-11-20T18:00:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>AUSZUG-2026-112</Id>
      <ElctrncSeqNb>112</ElctrncSeqNb>
      <CreDtTm>2026-11-20T18:00:00</CreDtTm>
      <Acct>
        <Id>
          <IBAN>{IBAN}</IBAN>
        </Id>
      </Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">1000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-11-19</Dt></Dt>
      </Bal>
      <Bal>
        <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">1060.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-11-20</Dt></Dt>
      </Bal>
{ntry}
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#
    )
}

fn ntry_02(referenz: &str, betrag: &str, text: &str) -> String {
    format!(
        r#"      <Ntry>
        <Amt Ccy="EUR">{betrag}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-11-20</Dt></BookgDt>
        <ValDt><Dt>2026-11-20</Dt></ValDt>
        <AcctSvcrRef>{referenz}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <RltdPties>
              <Dbtr><Nm>Hafenbetriebe Nord GmbH</Nm></Dbtr>
              <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
            </RltdPties>
            <RmtInf><Ustrd>{text}</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>"#
    )
}

#[test]
fn camt_053_001_02_wird_gelesen() {
    let xml = camt(
        "camt.053.001.02",
        &ntry_02("REF-1", "60.00", "KZ 2026 000012 7 Gebuehr"),
    );
    let (n, a) = camt::lesen(xml.as_bytes()).unwrap();
    assert_eq!(n, Nachricht::Camt053V02);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].id, "AUSZUG-2026-112");
    assert_eq!(a[0].elektr_seq, Some(112));
    assert_eq!(a[0].iban, IBAN);
    assert_eq!(a[0].datum, Some(d(11, 20)));
    assert_eq!(
        (a[0].anfangssaldo_cent, a[0].schlusssaldo_cent),
        (100000, 106000)
    );
    let e = &a[0].eintraege[0];
    assert_eq!(e.referenz, "REF-1");
    assert_eq!(e.betrag_cent, 6000);
    assert!(e.haben);
    assert_eq!(e.name, "Hafenbetriebe Nord GmbH");
    assert_eq!(e.iban, "DE89370400440532013000");
    assert_eq!(e.verwendung, "KZ 2026 000012 7 Gebuehr");
    assert_eq!(e.buchungstag, Some(d(11, 20)));
}

#[test]
fn fehlerhafte_datei_wird_mit_zeile_abgelehnt() {
    // Amt without the currency attribute: not schema-valid.
    let xml = camt("camt.053.001.02", &ntry_02("REF-1", "60.00", "x"))
        .replace(r#"<Amt Ccy="EUR">60.00</Amt>"#, "<Amt>60.00</Amt>");
    let e = camt::lesen(xml.as_bytes()).unwrap_err().to_string();
    assert!(e.contains("Zeile"), "{e}");
    assert!(e.contains("camt.053.001.02"), "{e}");
    // Not well-formed.
    let kaputt = camt("camt.053.001.02", "<Ntry>");
    let e = camt::lesen(kaputt.as_bytes()).unwrap_err().to_string();
    assert!(e.contains("Zeile"), "{e}");
    // Another message.
    let fremd = camt("pain.001.001.09", "");
    assert!(camt::lesen(fremd.as_bytes()).is_err());
}

#[test]
fn camt_053_001_08_wird_gelesen() {
    let ntry = ntry_02("REF-8", "12.34", "Zahlung 2026000012 7")
        .replace("<Sts>BOOK</Sts>", "<Sts><Cd>BOOK</Cd></Sts>")
        .replace(
            "<Dbtr><Nm>Hafenbetriebe Nord GmbH</Nm></Dbtr>",
            "<Dbtr><Pty><Nm>Hafenbetriebe Nord GmbH</Nm></Pty></Dbtr>",
        );
    let xml = camt("camt.053.001.08", &ntry);
    let (n, a) = camt::lesen(xml.as_bytes()).unwrap();
    assert_eq!(n, Nachricht::Camt053V08);
    let e = &a[0].eintraege[0];
    assert_eq!((e.referenz.as_str(), e.betrag_cent), ("REF-8", 1234));
    assert_eq!(e.name, "Hafenbetriebe Nord GmbH");
    assert_eq!(e.verwendung, "Zahlung 2026000012 7");
}

#[test]
fn kassenzeichen_im_verwendungszweck() {
    let kz = kis::finas::kasse::kassenzeichen::bilden(2026, 12).unwrap();
    let gruppen = kis::finas::kasse::kassenzeichen::anzeigen(&kz);
    let t = |s: String| kontoauszug::kassenzeichen_im_text(&s);
    assert_eq!(t(format!("KZ {gruppen} Gebuehr")), vec![kz.clone()]);
    assert_eq!(t(format!("Rechnung/{kz}/Nov")), vec![kz.clone()]);
    assert_eq!(t(format!("Zahlung{kz}")), vec![kz.clone()]);
    // Wrong check digit: no Kassenzeichen.
    let p = kz.as_bytes()[10] - b'0';
    let falsch = format!("{}{}", &kz[..10], (p + 1) % 10);
    assert!(t(format!("KZ {falsch}")).is_empty());
    assert!(t("Miete November 2026".into()).is_empty());
}
