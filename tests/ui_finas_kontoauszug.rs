//! The bank statement driven by keys on both stores: FIN530 imports a
//! camt.053 file (a broken one is refused in the field and imports
//! nothing, a second import changes nothing), FIN540 assigns and refunds
//! the entries of the Klärungsliste after a question; each refuses a user
//! without the Kasse role.

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use kis::core::clock::FixedClock;
use kis::core::money::Money;
use kis::finas::kasse::model::{
    AnordnungArt, AnordnungInput, Faelligkeit, PartnerArt, PartnerInput,
};
use kis::finas::kasse::{anordnung, klaerung, kontoauszug, partner};
use kis::kernel::session::Session;
use kis::store::Db;
use kis::testing::ui::UiHarness;
use kis::testing::{demo_env, session};

/// The Stadtkasse's account in the demo.
const STADTKASSE: &str = "DE95440501990000001811";
const HAFEN_IBAN: &str = "DE89370400440532013000";

fn d(m: u32, t: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, t).unwrap()
}

/// The screen row that contains `text`.
fn zeile(ui: &UiHarness, text: &str) -> String {
    ui.lines()
        .into_iter()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("„{text}“ fehlt:\n{}", ui.screen()))
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

/// A released Forderung: its Kassenzeichen.
fn annahme(
    db: &Db,
    clock: &Arc<FixedClock>,
    partner: i64,
    faellig: NaiveDate,
    betrag: &str,
) -> String {
    let b = session(db, clock.clone(), "BUCHHALTER");
    let k = session(db, clock.clone(), "KAEMMERER");
    let a = anordnung::erfassen(
        &b,
        &AnordnungInput {
            reservierung: None,
            art: AnordnungArt::Annahme,
            partner,
            produkt: "01.01.01".into(),
            konto: "4311".into(),
            kostenstelle: None,
            gegenkonto: None,
            text: "Verwaltungsgebühr".into(),
            faelligkeiten: vec![Faelligkeit {
                faellig,
                betrag: Money::parse_de(betrag).unwrap(),
            }],
        },
    )
    .unwrap();
    anordnung::freigeben(&k, a.nr).unwrap();
    a.kassenzeichen
}

/// One credit entry of the statement.
fn ntry(referenz: &str, betrag: &str, text: &str, name: &str, iban: &str) -> String {
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
              <Dbtr><Nm>{name}</Nm></Dbtr>
              <DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>
            </RltdPties>
            <RmtInf><Ustrd>{text}</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>"#
    )
}

/// A camt.053.001.02 statement of the Stadtkasse's account.
fn camt(id: &str, eintraege: &[String]) -> String {
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
        <Amt Ccy="EUR">1110.50</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-11-20</Dt></Dt>
      </Bal>
{}
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#,
        eintraege.join("\n")
    )
}

/// The demo's Forderungen and a statement paying one of them, with two
/// entries for the Klärungsliste; returns (file, Kassenzeichen of the
/// second Forderung).
fn auszug(db: &Db, clock: &Arc<FixedClock>, dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let kasse = session(db, clock.clone(), "KASSE");
    let hafen = firma(&kasse, "Hafenbetriebe Nord GmbH", HAFEN_IBAN);
    let kz1 = annahme(db, clock, hafen, d(11, 15), "60,00");
    let kz2 = annahme(db, clock, hafen, d(11, 20), "25,00");
    let xml = camt(
        "AUSZUG-1",
        &[
            ntry(
                "R-1",
                "60.00",
                &format!("Gebühr {kz1}"),
                "Hafenbetriebe Nord GmbH",
                HAFEN_IBAN,
            ),
            ntry(
                "R-2",
                "17.50",
                "Spende",
                "Unbekannt",
                "DE02120300000000202051",
            ),
            ntry(
                "R-3",
                "33.00",
                "Rechnung vom Oktober",
                "Hafenbetriebe Nord GmbH",
                HAFEN_IBAN,
            ),
        ],
    );
    let pfad = dir.join("auszug.xml");
    std::fs::write(&pfad, xml).unwrap();
    (pfad, kz2)
}

kis::store_test!(fin530_importiert_den_kontoauszug, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let out = tempfile::tempdir().unwrap();
    let (pfad, _) = auszug(db, &clock, out.path());
    let kaputt = out.path().join("kaputt.xml");
    std::fs::write(
        &kaputt,
        std::fs::read_to_string(&pfad)
            .unwrap()
            .replace("</NtryDtls>", ""),
    )
    .unwrap();

    let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
    ui.goto("FIN530");
    ui.assert_contains("FIN530  Kontoauszug");
    assert!(
        ui.message().contains("Noch keine Kontoauszüge"),
        "{}",
        ui.message()
    );
    // A broken file is refused with its line and imports nothing.
    ui.type_text(&kaputt.display().to_string());
    ui.fkey(10);
    let msg = ui.message();
    assert!(
        msg.contains("Kontoauszug abgewiesen, nichts importiert"),
        "{msg}"
    );
    ui.assert_contains("entspricht nicht dem Schema camt.053.001.02");
    ui.assert_contains("Zeile");
    ui.key(KeyCode::Enter);
    let kasse = session(db, clock.clone(), "KASSE");
    assert!(kontoauszug::auszuege(&kasse, 10).unwrap().is_empty());
    // A missing file is refused in the field.
    ui.clear_field();
    ui.type_text(&out.path().join("fehlt.xml").display().to_string());
    ui.fkey(10);
    assert!(
        ui.message().contains("kann nicht gelesen werden"),
        "{}",
        ui.message()
    );

    ui.clear_field();
    ui.type_text(&pfad.display().to_string());
    ui.fkey(10);
    let msg = ui.message();
    assert!(
        msg.contains("3 Umsätze: 1 zugeordnet, 2 Klärungsliste, 0 Rücklastschriften."),
        "{msg}"
    );
    let z = zeile(&ui, "AUSZUG-1");
    assert!(z.contains(&format!("20.11.2026 {STADTKASSE}")), "{z}");
    assert!(z.ends_with("        1.110,50"), "{z}");
    // A shows the statement.
    ui.key(KeyCode::Tab);
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Auszug der Bank: AUSZUG-1");
    ui.assert_contains("camt.053.001.02");
    ui.key(KeyCode::Enter);
    // The same file again changes nothing.
    ui.key(KeyCode::Tab);
    ui.fkey(10);
    assert!(
        ui.message().contains("Bereits importiert"),
        "{}",
        ui.message()
    );
    assert_eq!(kontoauszug::auszuege(&kasse, 10).unwrap().len(), 1);
    assert_eq!(klaerung::liste(&kasse).unwrap().len(), 2);
});

kis::store_test!(fin530_ohne_kassenrolle_verweigert, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let out = tempfile::tempdir().unwrap();
    let (pfad, _) = auszug(db, &clock, out.path());
    let mut ui = UiHarness::logged_in(db, &clock, "GAST", "gast");
    ui.goto("FIN530");
    assert!(!ui.screen().contains("F10=Speichern"), "{}", ui.screen());
    ui.type_text(&pfad.display().to_string());
    ui.fkey(10);
    assert!(
        ui.message()
            .contains("nicht möglich – es fehlt die Rolle Kasse"),
        "{}",
        ui.message()
    );
    let kasse = session(db, clock.clone(), "KASSE");
    assert!(kontoauszug::auszuege(&kasse, 10).unwrap().is_empty());
});

/// The line of the entry of `betrag` in the list (0 = first).
fn index(kasse: &Session, betrag: &str) -> usize {
    klaerung::liste(kasse)
        .unwrap()
        .iter()
        .position(|e| e.betrag == Money::parse_de(betrag).unwrap())
        .unwrap()
}

kis::store_test!(fin540_ordnet_zu_und_erstattet, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let out = tempfile::tempdir().unwrap();
    let (pfad, kz2) = auszug(db, &clock, out.path());
    let kasse = session(db, clock.clone(), "KASSE");
    kontoauszug::importieren(&kasse, &std::fs::read(&pfad).unwrap()).unwrap();

    let mut ui = UiHarness::logged_in(db, &clock, "KASSE", "kasse");
    ui.goto("FIN540");
    ui.assert_contains("FIN540  Klärungsliste");
    assert!(
        ui.message().contains("2 Klärungsposten, davon 2 offen."),
        "{}",
        ui.message()
    );
    let z = zeile(&ui, "Unbekannt");
    assert!(z.contains("20.11.2026        17,50 offen"), "{z}");

    // The open entries in the order of the service: 17,50 then 33,00.
    assert_eq!((index(&kasse, "17,50"), index(&kasse, "33,00")), (0, 1));
    // Z without a Kassenzeichen is refused in its field (a line command
    // moves the cursor to the next line).
    ui.tabs(2);
    ui.type_text("Z");
    ui.key(KeyCode::Enter);
    assert!(
        ui.message().contains("Feld Kassenzeichen"),
        "{}",
        ui.message()
    );
    // With the Kassenzeichen: after a question (N keeps it open).
    ui.type_text(&kz2);
    ui.tabs(2);
    ui.key(KeyCode::Up);
    ui.type_text("Z");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Klärungsposten 1 über 17,50 € dem Kassenzeichen");
    ui.type_text("n");
    assert!(ui.message().contains("bleibt offen"), "{}", ui.message());
    // After an answer the list is read again, the cursor on its first line.
    ui.type_text("Z");
    ui.key(KeyCode::Enter);
    ui.type_text("j");
    let msg = ui.message();
    assert!(msg.contains("Klärungsposten 1: 17,50 €"), "{msg}");
    assert!(msg.contains("zugeordnet."), "{msg}");
    let z = zeile(&ui, "Unbekannt");
    assert!(z.contains("zugeordnet"), "{z}");

    // The open entry is first again. E without an IBAN is refused in its
    // field; with the payer's IBAN it refunds after a question.
    let z = zeile(&ui, "offen");
    assert!(z.contains("33,00"), "{z}");
    ui.type_text("E");
    ui.key(KeyCode::Enter);
    assert!(ui.message().contains("Feld IBAN"), "{}", ui.message());
    ui.type_text(HAFEN_IBAN);
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Up);
    ui.type_text("E");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Klärungsposten 2 über 33,00 € an");
    ui.type_text("j");
    let msg = ui.message();
    assert!(msg.contains("Auszahlungsanordnung"), "{msg}");
    assert!(msg.contains("über 33,00 € erfasst."), "{msg}");
    let l = klaerung::liste(&kasse).unwrap();
    assert!(l.iter().all(|e| e.status != "O"), "{l:?}");
    // A shows the entry whole.
    ui.type_text("A");
    ui.key(KeyCode::Enter);
    ui.assert_contains("Verwendungszweck:");
    ui.assert_contains("Verwendungszweck:");
});

kis::store_test!(fin540_ohne_kassenrolle_verweigert, |db: &Db| {
    let clock = demo_env(db, d(11, 25));
    let out = tempfile::tempdir().unwrap();
    let (pfad, kz2) = auszug(db, &clock, out.path());
    let kasse = session(db, clock.clone(), "KASSE");
    kontoauszug::importieren(&kasse, &std::fs::read(&pfad).unwrap()).unwrap();

    let mut ui = UiHarness::logged_in(db, &clock, "GAST", "gast");
    ui.goto("FIN540");
    zeile(&ui, "Unbekannt");
    ui.type_text(&kz2);
    ui.tabs(2);
    ui.type_text("Z");
    ui.key(KeyCode::Enter);
    let msg = ui.message();
    assert!(msg.contains("Benutzer GAST fehlt die Rolle Kasse"), "{msg}");
    assert!(!ui.popup_open());
    assert!(
        klaerung::liste(&kasse)
            .unwrap()
            .iter()
            .all(|e| e.status == "O")
    );
});
