//! Demo Anordnungen for Musterstadt's Kasse (`kis demo kasse`): receivables
//! (Verwaltungs- and Benutzungsgebühren) and payables (Sachaufwand) of the
//! demo's Geschäftspartner, deterministic, with one to three due dates from
//! about seven weeks ago to two months ahead (so that a Mahnlauf or a
//! Zahllauf finds work on the day they are made). They are entered by the
//! calling user and, by the
//! Vier-Augen-Prinzip, released by a second one
//! ([`super::anordnung::alle_freigeben`]).

use chrono::Duration;

use super::model::{AnordnungArt, AnordnungInput, Faelligkeit};
use super::{anordnung, kassenzeichen};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::repo::kasse::partner as partner_repo;
use crate::kernel::session::Session;

/// Receivables: Produkt, Ertragskonto, text.
const ERTRAEGE: [(&str, &str, &str); 3] = [
    ("01.01.01", "4311", "Verwaltungsgebühr"),
    ("01.02.01", "4311", "Gebühr Meldebescheinigung"),
    ("01.01.02", "4321", "Benutzungsgebühr Bürgerhaus"),
];

/// Payables on positions of the adopted 2026 budget.
const AUFWAND: [(&str, &str, &str); 3] = [
    ("01.01.01", "5431", "Büromaterial"),
    ("01.01.02", "5431", "Geschäftsbedarf"),
    ("01.02.01", "5431", "Porto und Versand"),
];

/// The largest number of Anordnungen one call enters.
pub const MAX: usize = 10_000;

/// Enter `n` demo Anordnungen (two receivables for each payable) in one
/// transaction; returns their numbers.
pub fn anordnungen(session: &Session, n: usize) -> Result<Vec<i64>> {
    session.require(&[Role::FinasAendern])?;
    if n == 0 || n > MAX {
        return Err(KisError::validation(format!("Anzahl 1 bis {MAX} angeben.")));
    }
    let actor = session.actor();
    let heute = actor.at.date();
    session.db.write(|sql| {
        let partner: Vec<i64> = partner_repo::suchen(sql, &actor.mandant, "", usize::MAX / 2)?
            .iter()
            .map(|p| p.id)
            .collect();
        if partner.is_empty() {
            return Err(KisError::Conflict(
                "Es gibt noch keine Geschäftspartner.".into(),
            ));
        }
        // A stride coprime with the number of partners visits every one of
        // them; receivables and payables start half-way apart.
        let stride = (7..).find(|s| gcd(*s, partner.len()) == 1).unwrap_or(1);
        let mut nrs = Vec::with_capacity(n);
        for i in 0..n {
            let zahlung = i % 3 == 2;
            let (produkt, konto, text) = if zahlung {
                AUFWAND[i % 3 / 2 + (i / 3) % 2]
            } else {
                ERTRAEGE[i % 3 + (i / 3) % 2]
            };
            // Amounts from 10,00 to 99,90 € (payables stay well within the Ansätze).
            let cents = 1_000 + ((i as i64 * 7_919) % 9_000) / 10 * 10;
            let raten = 1 + i % 3;
            let faelligkeiten = (0..raten)
                .map(|r| Faelligkeit {
                    faellig: heute + Duration::days(((i * 13) % 60 + r * 30) as i64 - 53),
                    betrag: Money::from_cents(cents),
                })
                .collect();
            let input = AnordnungInput {
                reservierung: None,
                art: if zahlung {
                    AnordnungArt::Auszahlung
                } else {
                    AnordnungArt::Annahme
                },
                partner: partner[(i / 3 * stride
                    + if zahlung { partner.len() / 2 } else { i % 3 })
                    % partner.len()],
                produkt: produkt.into(),
                konto: konto.into(),
                kostenstelle: None,
                gegenkonto: None,
                text: format!("{text} Nr. {}", i + 1),
                faelligkeiten,
            };
            nrs.push(anordnung::erfassen_in(sql, &actor, &input)?.nr);
        }
        Ok(nrs)
    })
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The largest number of entries of a demo bank statement.
pub const MAX_UMSAETZE: usize = 100_000;

struct Zufall(u64);

impl Zufall {
    fn below(&mut self, n: u64) -> u64 {
        // xorshift64*: deterministic per seed.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn betrag_xml(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A valid German IBAN for a Bankleitzahl and account number (ISO 13616 check digits).
fn iban_de(blz: &str, konto: u64) -> String {
    let bban = format!("{blz}{konto:010}");
    let rest = format!("{bban}131400")
        .bytes()
        .fold(0u64, |r, b| (r * 10 + u64::from(b - b'0')) % 97);
    format!("DE{:02}{bban}", 98 - rest)
}

/// A demo bank statement (`kis demo bank-statement`): a schema-valid
/// camt.053.001.08 of the Stadtkasse's account with `n` entries for the
/// open receivables of the demo — full payments (Kassenzeichen grouped as
/// printed), partial payments, Kassenzeichen embedded in other text,
/// wrong check digits, unknown payers, direct debits and, for every second
/// of them, its return (Rücklastschrift, reason MD06/AM04, bank fee 3,00 €).
/// Deterministic per `seed`; the same arguments give the same file, so a
/// second import changes nothing. Role KASSE or FINAS_LESEN (reads only).
pub fn kontoauszug(session: &Session, n: usize, seed: u64) -> Result<String> {
    use super::camt;
    use super::iso20022::{self, Nachricht};
    use crate::finas::repo::kasse::{einstellung as einstellung_repo, kontoauszug as repo};
    session.require(&[Role::Kasse, Role::FinasLesen])?;
    if n == 0 || n > MAX_UMSAETZE {
        return Err(KisError::validation(format!(
            "Anzahl der Umsätze 1 bis {MAX_UMSAETZE} angeben."
        )));
    }
    let heute = session.now().date();
    let m = session.mandant.id.clone();
    let (kasse, anfang, koepfe, offen, konten, namen) = session.db.read(|sql| {
        let kasse = einstellung_repo::lesen(sql, &m)?.ok_or_else(|| {
            KisError::Conflict("Für diesen Mandanten ist die Kasse nicht eingerichtet.".into())
        })?;
        // The statement opens with the book balance of the bank account at
        // the end of the day before, so that the Tagesabschluss of the day
        // reconciles after the import.
        let anfang = match (kasse.bankkonto.trim(), heute.pred_opt()) {
            ("", _) | (_, None) => 0,
            (konto, Some(vortag)) => {
                crate::finas::repo::kasse::tagesabschluss::saldo_bis(sql, &m, konto, vortag)?
                    .cents()
            }
        };
        Ok((
            kasse,
            anfang,
            repo::anordnungen_freigegeben(sql, &m)?,
            repo::faelligkeiten_offen(sql, &m)?,
            repo::bankverbindungen(sql, &m)?,
            repo::partnernamen(sql, &m)?,
        ))
    })?;
    let kopf: std::collections::HashMap<i64, &repo::AnordnungKopf> =
        koepfe.iter().map(|k| (k.nr, k)).collect();
    let offen: Vec<&repo::FaelligkeitRow> = offen
        .iter()
        .filter(|f| kopf.get(&f.anordnung).is_some_and(|k| k.art == "A"))
        .collect();
    if offen.is_empty() {
        return Err(KisError::Conflict(
            "Es gibt keine offenen Forderungen; zuerst `kis demo kasse` und die Freigabe.".into(),
        ));
    }
    let iban_von: std::collections::HashMap<i64, &str> =
        konten.iter().rev().map(|(i, p)| (*p, i.as_str())).collect();
    let name_von: std::collections::HashMap<i64, String> = namen
        .iter()
        .map(|(id, name, vorname)| {
            (
                *id,
                if vorname.is_empty() {
                    name.clone()
                } else {
                    format!("{vorname} {name}")
                },
            )
        })
        .collect();
    let mut rng = Zufall(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut eintraege = Vec::with_capacity(n);
    let mut saldo = 0i64;
    let mut naechster = 0usize;
    // (end-to-end id, amount, Kassenzeichen, name, IBAN) of the direct debits to return.
    let mut einzug: Option<(String, i64, String, String, String)> = None;
    for i in 0..n {
        let art = i % 10;
        let f = offen[naechster % offen.len()];
        let k = kopf[&f.anordnung];
        let rest = f.betrag - f.bezahlt;
        let zahler = name_von.get(&k.partner).cloned().unwrap_or_default();
        let iban = iban_von
            .get(&k.partner)
            .map(|s| s.to_string())
            .unwrap_or_else(|| iban_de("37040044", 1_000_000 + i as u64));
        let kz = &k.kassenzeichen;
        let gruppen = kassenzeichen::anzeigen(kz);
        let fremd_iban = iban_de("50010517", 5_000_000 + rng.below(4_000_000));
        let mut e2e = "NOTPROVIDED".to_string();
        let mut rueckgabe = None;
        let mut haben = true;
        let (betrag, name, konto, text) = match art {
            0..=2 => {
                naechster += 1;
                (rest, zahler, iban, format!("KZ {gruppen} {}", k.text))
            }
            3 => {
                naechster += 1;
                let teil = (rest / 2).max(1);
                (
                    teil,
                    zahler,
                    iban,
                    format!("Teilzahlung Kassenzeichen {kz}"),
                )
            }
            4 => {
                naechster += 1;
                (
                    rest,
                    zahler,
                    iban,
                    format!("Rechnung/{}/{}", kz.replace(' ', ""), k.text),
                )
            }
            5 => {
                let p = kz.as_bytes()[10] - b'0';
                let falsch = format!("{}{}", &kz[..10], (p + 1) % 10);
                (
                    rest,
                    format!("Zahler {}", 100 + rng.below(900)),
                    fremd_iban,
                    format!("KZ {}", kassenzeichen::anzeigen(&falsch)),
                )
            }
            6 => (
                1_000 + rng.below(20_000) as i64,
                format!("Unbekannt {}", 100 + rng.below(900)),
                fremd_iban,
                "Zahlung ohne Angabe".to_string(),
            ),
            7 => {
                naechster += 1;
                e2e = format!("DEMO-{seed}-{i}");
                einzug = Some((e2e.clone(), rest, kz.clone(), zahler.clone(), iban.clone()));
                (rest, zahler, iban, format!("Lastschrift {gruppen}"))
            }
            8 if einzug.is_some() && i % 20 == 8 => {
                let (ende, b, kzr, nm, ib) = einzug.take().unwrap_or_default();
                e2e = ende;
                haben = false;
                rueckgabe = Some(if rng.below(2) == 0 { "MD06" } else { "AM04" });
                (
                    b + 300,
                    nm,
                    ib,
                    format!("Ruecklastschrift {}", kassenzeichen::anzeigen(&kzr)),
                )
            }
            _ => {
                naechster += 1;
                (rest, zahler, iban, gruppen.clone())
            }
        };
        saldo += if haben { betrag } else { -betrag };
        let partei = if haben {
            ("Dbtr", "DbtrAcct")
        } else {
            ("Cdtr", "CdtrAcct")
        };
        let chrgs = if rueckgabe.is_some() {
            "<Chrgs><Rcrd><Amt Ccy=\"EUR\">3.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Rcrd></Chrgs>"
        } else {
            ""
        };
        let rtr = rueckgabe
            .map(|c| format!("<RtrInf><Rsn><Cd>{c}</Cd></Rsn></RtrInf>"))
            .unwrap_or_default();
        let (fmly, sub) = match (haben, rueckgabe.is_some(), art) {
            (true, _, 7) => ("RDDT", "ESDD"),
            (false, true, _) => ("RDDT", "UPDD"),
            _ => ("RCDT", "ESCT"),
        };
        eintraege.push(format!(
            "      <Ntry>\n        <Amt Ccy=\"EUR\">{}</Amt>\n        <CdtDbtInd>{}</CdtDbtInd>\n        <Sts><Cd>BOOK</Cd></Sts>\n        <BookgDt><Dt>{heute}</Dt></BookgDt>\n        <ValDt><Dt>{heute}</Dt></ValDt>\n        <AcctSvcrRef>DEMO{seed}-{i:06}</AcctSvcrRef>\n        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{fmly}</Cd><SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn></BkTxCd>\n        {chrgs}\n        <NtryDtls><TxDtls>\n          <Refs><EndToEndId>{}</EndToEndId></Refs>\n          <RltdPties><{p0}><Pty><Nm>{}</Nm></Pty></{p0}><{p1}><Id><IBAN>{konto}</IBAN></Id></{p1}></RltdPties>\n          <RmtInf><Ustrd>{}</Ustrd></RmtInf>\n          {rtr}\n        </TxDtls></NtryDtls>\n      </Ntry>",
            betrag_xml(betrag),
            if haben { "CRDT" } else { "DBIT" },
            xml_text(&e2e),
            xml_text(&name.chars().take(70).collect::<String>()),
            xml_text(&text.chars().take(140).collect::<String>()),
            p0 = partei.0,
            p1 = partei.1,
        ));
    }
    let saldo = anfang + saldo;
    let (cd, abs) = if saldo < 0 {
        ("DBIT", -saldo)
    } else {
        ("CRDT", saldo)
    };
    let (cd0, abs0) = if anfang < 0 {
        ("DBIT", -anfang)
    } else {
        ("CRDT", anfang)
    };
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n  <BkToCstmrStmt>\n    <GrpHdr>\n      <MsgId>DEMO-{seed}-{n}</MsgId>\n      <CreDtTm>{heute}T18:00:00</CreDtTm>\n    </GrpHdr>\n    <Stmt>\n      <Id>DEMO-{seed}-{n}-{heute}</Id>\n      <ElctrncSeqNb>{seed}</ElctrncSeqNb>\n      <CreDtTm>{heute}T18:00:00</CreDtTm>\n      <Acct><Id><IBAN>{}</IBAN></Id></Acct>\n      <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{cd0}</CdtDbtInd><Dt><Dt>{heute}</Dt></Dt></Bal>\n      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{cd}</CdtDbtInd><Dt><Dt>{heute}</Dt></Dt></Bal>\n{}\n    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n",
        kasse.iban,
        betrag_xml(abs0),
        betrag_xml(abs),
        eintraege.join("\n")
    );
    iso20022::pruefen_fuer(
        Nachricht::Camt053V08,
        xml.as_bytes(),
        "Der Demo-Kontoauszug",
    )?;
    // The reader must take it as well (the same path as the import).
    camt::lesen(xml.as_bytes())?;
    Ok(xml)
}
