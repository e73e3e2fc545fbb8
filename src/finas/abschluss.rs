//! Jahresabschluss (in outline): the Ergebnis- and Finanzkonten are closed
//! in period 16 (the Jahresergebnis goes to Eigenkapital, account P.1.4
//! „Jahresüberschuss/Jahresfehlbetrag“, from where the council's decision
//! moves it to the Ausgleichsrücklage or allgemeine Rücklage, KomHVO NRW
//! § 96 GO NRW), and the closing balances of the Bilanz accounts open the
//! next year (period 0 against the Eröffnungsbilanzkonto).

use chrono::NaiveDate;

use super::journal::{self, BuchungInput, ZeileInput};
use super::repo;
use super::stamm::{self, JahrStatus, KontoTyp};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::session::Session;

/// The account that takes the Jahresergebnis (Bilanzposition P.1.4).
const JAHRESERGEBNIS: &str = "P.1.4";

/// The Buchungen of the closing: (Ergebnisabschluss, Finanzabschluss, Eröffnung next year).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Abschluss {
    pub ergebnis: Option<i64>,
    pub finanz: Option<i64>,
    pub eroeffnung: i64,
    /// Jahresergebnis in cents (positive = Überschuss).
    pub jahresergebnis: i64,
    /// The account that took the Jahresergebnis (Bilanzposition P.1.4),
    /// from where it is carried into the next year (Ergebnisvortrag).
    pub ergebniskonto: String,
    /// Bilanz accounts whose closing balance was carried into the next year.
    pub vorgetragen: usize,
    /// The sum of the carried Aktiva (= Passiva), in cents.
    pub bilanzsumme: i64,
}

impl Abschluss {
    /// What the Jahresabschluss did, for the clerk (CLI and FIN130).
    pub fn text(&self, jahr: i32) -> String {
        let eur = |c: i64| Money::from_cents(c).format_de();
        let nr = |b: Option<i64>| {
            b.map_or("keine (keine Salden)".to_string(), |n| {
                format!("Buchung {n}")
            })
        };
        let ergebnis = match self.jahresergebnis {
            e if e > 0 => format!("Jahresüberschuss {} €", eur(e)),
            e if e < 0 => format!("Jahresfehlbetrag {} €", eur(-e)),
            _ => "ausgeglichen (0,00 €)".to_string(),
        };
        format!(
            "Jahresabschluss {jahr}\n\n\
             Abschluss der Ergebniskonten (Periode 16): {}\n\
             Abschluss der Finanzkonten (Periode 16): {}\n\
             Jahresergebnis: {ergebnis}, gebucht auf Konto {} (Eigenkapital P.1.4)\n\
             Ergebnisvortrag: mit der Eröffnungsbilanz {} (Buchung {}) vorgetragen\n\
             Vorgetragene Salden: {} Bilanzkonten, Bilanzsumme {} €\n\
             Das Haushaltsjahr {jahr} steht jetzt auf „Jahresabschluss“.\n",
            nr(self.ergebnis),
            nr(self.finanz),
            self.ergebniskonto,
            jahr + 1,
            self.eroeffnung,
            self.vorgetragen,
            eur(self.bilanzsumme),
        )
    }
}

fn zeile(konto: &str, produkt: Option<&str>, saldo: i64) -> ZeileInput {
    // Reverse a Soll-Saldo in the Haben and vice versa.
    let b = Money::from_cents(saldo.abs());
    if saldo > 0 {
        ZeileInput::haben(konto, produkt, b)
    } else {
        ZeileInput::soll(konto, produkt, b)
    }
}

/// Close `jahr` and open `jahr + 1` (which must exist). Needs the
/// Anordnungsbefugnis; the year moves to the state Jahresabschluss.
pub fn jahresabschluss(session: &Session, jahr: i32) -> Result<Abschluss> {
    session.require(&[Role::FinasAnordnung])?;
    let actor = session.actor();
    let m = actor.mandant.clone();
    session.db.write(|sql| {
        if stamm::jahr_status_in(sql, &m, jahr)? == JahrStatus::Geschlossen {
            return Err(KisError::Conflict(format!(
                "Haushaltsjahr {jahr} ist bereits geschlossen."
            )));
        }
        stamm::jahr_status_in(sql, &m, jahr + 1).map_err(|_| {
            KisError::Conflict(format!(
                "Bitte zuerst das Haushaltsjahr {} anlegen.",
                jahr + 1
            ))
        })?;
        if repo::abschluss::eroeffnet(sql, &m, jahr + 1)? {
            return Err(KisError::Conflict(format!(
                "Das Jahr {} ist bereits eröffnet.",
                jahr + 1
            )));
        }
        let konten: std::collections::BTreeMap<String, stamm::Konto> = stamm::konten_in(sql, &m)?
            .into_iter()
            .map(|k| (k.nr.clone(), k))
            .collect();
        let salden = repo::abschluss::salden(sql, &m, jahr)?;
        let ergebniskonto =
            repo::abschluss::bilanzkonto(sql, &m, JAHRESERGEBNIS)?.ok_or_else(|| {
                KisError::Conflict(
                    "Im Kontenrahmen fehlt das Konto für den Jahresüberschuss/-fehlbetrag.".into(),
                )
            })?;
        let frk = stamm::abschlusskonto_in(sql, &m, stamm::FINANZRECHNUNGSKONTO)?;
        let ebk = stamm::abschlusskonto_in(sql, &m, stamm::EROEFFNUNGSBILANZKONTO)?;
        let (mut ergebnis_zeilen, mut finanz_zeilen) = (Vec::new(), Vec::new());
        let mut bilanz: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
        let (mut ergebnis, mut finanz) = (0i64, 0i64);
        for (konto, produkt, saldo) in salden {
            let Some(k) = konten.get(&konto) else {
                continue;
            };
            let p = Some(produkt.as_str()).filter(|p| !p.is_empty());
            match k.typ {
                KontoTyp::Ergebnis if saldo != 0 => {
                    ergebnis_zeilen.push(zeile(&konto, p, saldo));
                    ergebnis -= saldo;
                }
                KontoTyp::Finanz if saldo != 0 => {
                    finanz_zeilen.push(zeile(&konto, p, saldo));
                    finanz += saldo;
                }
                KontoTyp::Bilanz => *bilanz.entry(konto).or_default() += saldo,
                _ => {}
            }
        }
        let datum = NaiveDate::from_ymd_opt(jahr, 12, 31)
            .ok_or_else(|| KisError::validation("Jahr ungültig."))?;
        let mut buchen = |zeilen: Vec<ZeileInput>,
                          beleg: String,
                          text: String,
                          d: NaiveDate,
                          periode: u8|
         -> Result<Option<i64>> {
            if zeilen.is_empty() {
                return Ok(None);
            }
            journal::post_in(
                sql,
                &actor,
                &BuchungInput {
                    datum: d,
                    periode: Some(periode),
                    beleg,
                    text,
                    zeilen,
                },
            )
            .map(Some)
        };
        // The Jahresergebnis: Ergebnis accounts' Soll-Saldo is an Aufwand, so the result is its negative.
        if ergebnis != 0 {
            ergebnis_zeilen.push(zeile(&ergebniskonto, None, ergebnis));
            *bilanz.entry(ergebniskonto.clone()).or_default() -= ergebnis;
        }
        if finanz != 0 {
            finanz_zeilen.push(zeile(&frk, None, -finanz));
        }
        let eb = buchen(
            ergebnis_zeilen,
            format!("JA-{jahr}-E"),
            format!("Jahresabschluss {jahr}: Abschluss der Ergebniskonten"),
            datum,
            16,
        )?;
        let fb = buchen(
            finanz_zeilen,
            format!("JA-{jahr}-F"),
            format!("Jahresabschluss {jahr}: Abschluss der Finanzkonten"),
            datum,
            16,
        )?;
        // The opening lines carry each closing balance on its own side.
        let mut eroeffnung: Vec<ZeileInput> = bilanz
            .iter()
            .filter(|(_, s)| **s != 0)
            .map(|(k, s)| zeile(k, None, -s))
            .collect();
        let netto: i64 = bilanz.values().sum();
        if netto != 0 {
            return Err(KisError::Conflict(format!(
                "Die Schlussbilanz {jahr} ist nicht ausgeglichen (Differenz {}).",
                Money::from_cents(netto).format_de()
            )));
        }
        let aktiva: i64 = bilanz.values().filter(|s| **s > 0).sum();
        if aktiva > 0 {
            eroeffnung.push(ZeileInput::haben(&ebk, None, Money::from_cents(aktiva)));
            eroeffnung.push(ZeileInput::soll(&ebk, None, Money::from_cents(aktiva)));
        }
        let naechstes = NaiveDate::from_ymd_opt(jahr + 1, 1, 1)
            .ok_or_else(|| KisError::validation("Jahr ungültig."))?;
        let ob = buchen(
            eroeffnung,
            format!("EB-{}", jahr + 1),
            format!("Eröffnungsbilanz {} aus dem Abschluss {jahr}", jahr + 1),
            naechstes,
            0,
        )?
        .ok_or_else(|| KisError::Conflict("Keine Bestände für die Eröffnungsbilanz.".into()))?;
        repo::abschluss::jahresabschluss_vermerken(sql, &m, jahr)?;
        let a = Abschluss {
            ergebnis: eb,
            finanz: fb,
            eroeffnung: ob,
            jahresergebnis: ergebnis,
            ergebniskonto: ergebniskonto.clone(),
            vorgetragen: bilanz.values().filter(|s| **s != 0).count(),
            bilanzsumme: aktiva,
        };
        audit::append(
            sql,
            &actor,
            "JAHRESABSCHLUSS",
            "fin_haushaltsjahr",
            &jahr.to_string(),
            None,
            Some(&serde_json::json!({
                "ergebnisbuchung": a.ergebnis,
                "finanzbuchung": a.finanz,
                "eroeffnung": a.eroeffnung,
                "jahresergebnis": Money::from_cents(a.jahresergebnis),
                "vorgetragen": a.vorgetragen,
                "bilanzsumme": Money::from_cents(a.bilanzsumme),
            })),
        )?;
        Ok(a)
    })
}
