//! Documents of the payroll: the Entgeltbescheinigung (payslip) per
//! Entgeltbescheinigungsverordnung (EBV) and the Lohnjournal per month.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::abrechnung::{Abrechnung, Fall, merkmal_text, steuerklasse_text};
use super::lauf;
use super::laufdaten::{self, Monat};
use super::repo;
use super::stamm::{self, Employee};
use super::sv::SvArt;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::{Money, format_decimal_de};
use crate::core::roles::Role;
use crate::core::sanitize::{csv_text_cell, sanitize_line};
use crate::kernel::session::Session;

/// Cumulative figures of the year up to and including a month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Jahressummen {
    pub brutto: Money,
    pub steuerbrutto: Money,
    pub lohnsteuer: Money,
    pub soli: Money,
    pub kirchensteuer: Money,
    pub sv_kv: Money,
    pub sv_rv: Money,
    pub sv_an: Money,
    pub netto: Money,
}

/// Width of the payroll documents (fits an 80-column terminal).
pub(crate) const BREITE: usize = 78;

fn zeile(out: &mut String, label: &str, betrag: Money) {
    let b = betrag.format_de();
    // Right-aligned in the month column of the two-column lines.
    let pad = 57usize
        .saturating_sub(label.chars().count() + b.chars().count())
        .max(1);
    let _ = writeln!(out, "  {label}{}{b}", " ".repeat(pad));
}

fn zeile2(out: &mut String, label: &str, monat: Money, jahr: Money) {
    let _ = writeln!(
        out,
        "  {label:<40}{:>17}{:>19}",
        monat.format_de(),
        jahr.format_de()
    );
}

fn prozent(d: Decimal) -> String {
    format!("{} %", format_decimal_de(d, 2))
}

/// The Entgeltbescheinigung of one employee and month (active run).
pub fn entgeltbescheinigung(session: &Session, monat: &str, pnr: &str) -> Result<String> {
    session.require(&[Role::PersosLesen])?;
    let m = Monat::parse(monat)?;
    let mandant = session.mandant.id.as_str();
    session.db.read(|sql| {
        let (f, a) = lauf::ergebnis_in(sql, mandant, m, pnr.trim())?;
        let e = stamm::all_in(sql, mandant, session.today())?
            .into_iter()
            .find(|e| e.personalnummer == pnr.trim())
            .ok_or_else(|| {
                KisError::NotFound(format!("Personalnummer {pnr} ist nicht vorhanden."))
            })?;
        let ag = stamm::arbeitgeber_in(sql, mandant)?;
        let kasse = stamm::kasse_in(sql, mandant, &e.kasse, m.erster())?;
        let summen = repo::ergebnis::jahressummen(sql, mandant, m, &e.personalnummer)?;
        Ok(render(
            &ag,
            &e,
            kasse.as_ref().map(|k| k.name.as_str()).unwrap_or(&e.kasse),
            m,
            &f,
            &a,
            &summen,
        ))
    })
}

#[allow(clippy::too_many_arguments)]
fn render(
    ag: &stamm::Arbeitgeber,
    e: &Employee,
    kasse: &str,
    m: Monat,
    f: &Fall,
    a: &Abrechnung,
    j: &Jahressummen,
) -> String {
    let s = |t: &str| sanitize_line(t).into_owned();
    let mut o = String::new();
    let strich = "─".repeat(BREITE);
    let _ = writeln!(
        o,
        "ENTGELTBESCHEINIGUNG {}  (§ 108 GewO, Entgeltbescheinigungsverordnung)",
        m.de()
    );
    let _ = writeln!(o, "{strich}");
    let _ = writeln!(o, "Arbeitgeber:   {}, {}", s(&ag.name), s(&ag.anschrift));
    let _ = writeln!(o, "               Betriebsnummer {}", s(&ag.betriebsnummer));
    let _ = writeln!(o, "Beschäftigte/r: {}", e.name_und_anschrift());
    let _ = writeln!(
        o,
        "Personalnummer {}   geboren am {}",
        s(&e.personalnummer),
        format_date_de(e.geburtsdatum)
    );
    let _ = writeln!(
        o,
        "Versicherungsnummer {}   Steuer-IdNr {}",
        s(&e.rv_nummer),
        s(&e.steuer_idnr)
    );
    let austritt = e
        .austritt
        .map(|d| format!("   Austritt {}", format_date_de(d)))
        .unwrap_or_default();
    let _ = writeln!(o, "Eintritt {}{austritt}", format_date_de(e.eintritt));
    let _ = writeln!(
        o,
        "Abrechnungszeitraum {} bis {}   Kalendertage beschäftigt {} von {}   SV-Tage {}",
        format_date_de(m.erster()),
        format_date_de(m.letzter()),
        a.tage_beschaeftigt,
        a.tage_monat,
        a.sv_tage
    );
    let _ = writeln!(o, "{strich}");
    let faktor = if f.stkl == 4 && f.faktor != Decimal::ONE {
        format!(" mit Faktor {}", format_decimal_de(f.faktor, 3))
    } else {
        String::new()
    };
    let stkl = steuerklasse_text(f.stkl);
    let konf = merkmal_text(&f.konfession);
    let konf_e = merkmal_text(&f.konfession_ehegatte);
    let _ = writeln!(
        o,
        "Steuerklasse {stkl}{faktor}   Kinderfreibeträge {}   Konfession {} / Ehegatte {}",
        format_decimal_de(f.zkf, 1),
        s(&konf),
        s(&konf_e)
    );
    let _ = writeln!(
        o,
        "Beitragsgruppe {}   Personengruppe {}   Krankenkasse {}, Zusatzbeitrag {}",
        f.bgs.code(),
        s(&e.pgs),
        s(kasse),
        prozent(f.kv_zusatz)
    );
    let art = a.sv.art.map(SvArt::label).unwrap_or("");
    let elt = if f.elterneigenschaft {
        format!("Elterneigenschaft, {} Kind(er) unter 25", f.kinder_unter_25)
    } else {
        "ohne Elterneigenschaft".into()
    };
    let _ = writeln!(o, "Beschäftigung {art}   PV: {elt}");
    let eg = if f.eg.is_empty() {
        "Festbetrag".to_string()
    } else {
        format!("E {} Stufe {}", f.eg, f.stufe)
    };
    let _ = writeln!(
        o,
        "Entgelt: {eg}, Arbeitszeitanteil {}",
        prozent(f.arbeitszeitanteil * Decimal::ONE_HUNDRED)
    );
    let _ = writeln!(o, "{strich}");
    let _ = writeln!(o, "BEZÜGE");
    zeile(&mut o, "Tabellenentgelt / Grundentgelt", a.grundentgelt);
    for z in &a.zulagen {
        zeile(&mut o, &s(&z.bezeichnung), z.betrag);
    }
    if !a.vl_ag.is_zero() {
        zeile(&mut o, "Vermögenswirksame Leistungen (AG)", a.vl_ag);
    }
    if !a.jahressonderzahlung.is_zero() {
        zeile(
            &mut o,
            "Jahressonderzahlung (§ 20 TVöD, sonstiger Bezug)",
            a.jahressonderzahlung,
        );
    }
    zeile(&mut o, "Gesamtbrutto", a.gesamtbrutto);
    let _ = writeln!(o);
    let _ = writeln!(o, "  {:<40}{:>17}{:>19}", "", "Monat", "Jahr kumuliert");
    zeile2(
        &mut o,
        "Steuerbrutto",
        a.steuerbrutto_laufend + a.steuerbrutto_sonstig,
        j.steuerbrutto,
    );
    if !a.steuerbrutto_sonstig.is_zero() {
        zeile(&mut o, "  davon sonstige Bezüge", a.steuerbrutto_sonstig);
    }
    zeile2(
        &mut o,
        "SV-Brutto KV/PV (beitragspflichtig)",
        a.sv.bemessung_kv,
        j.sv_kv,
    );
    zeile2(
        &mut o,
        "SV-Brutto RV/AV (beitragspflichtig)",
        a.sv.bemessung_rv,
        j.sv_rv,
    );
    let zvk_sv = a.zvk_hinzurechnung + a.zvk_steuerpflichtig;
    if !zvk_sv.is_zero() {
        zeile(
            &mut o,
            "  darin ZVK-Umlage (§ 1 Abs. 1 S. 3–4 SvEV)",
            zvk_sv,
        );
    }
    if a.sv.art == Some(SvArt::Uebergangsbereich) {
        zeile(
            &mut o,
            "Übergangsbereich: Bemessung Arbeitnehmeranteil",
            a.sv.bemessung_an,
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "ABZÜGE");
    zeile2(&mut o, "Lohnsteuer", a.lohnsteuer, j.lohnsteuer);
    zeile2(&mut o, "Solidaritätszuschlag", a.soli, j.soli);
    zeile2(
        &mut o,
        &format!("Kirchensteuer ({})", prozent(f.kist_satz)),
        a.kirchensteuer,
        j.kirchensteuer,
    );
    if !a.kirchensteuer_ehegatte.is_zero() {
        zeile(
            &mut o,
            &format!("  davon für die Kirche des Ehegatten ({})", s(&konf_e)),
            a.kirchensteuer_ehegatte,
        );
    }
    zeile(&mut o, "Krankenversicherung Arbeitnehmeranteil", a.sv.kv_an);
    zeile(&mut o, "Rentenversicherung Arbeitnehmeranteil", a.sv.rv_an);
    zeile(
        &mut o,
        "Arbeitslosenversicherung Arbeitnehmeranteil",
        a.sv.av_an,
    );
    zeile(&mut o, "Pflegeversicherung Arbeitnehmeranteil", a.sv.pv_an);
    zeile2(
        &mut o,
        "Sozialversicherung Arbeitnehmer gesamt",
        a.sv.summe_an(),
        j.sv_an,
    );
    let _ = writeln!(o);
    zeile2(&mut o, "NETTOBETRAG", a.netto, j.netto);
    if !a.pkv_zuschuss.is_zero() {
        zeile(
            &mut o,
            "+ Zuschuss private Kranken-/Pflegeversicherung (steuerfrei)",
            a.pkv_zuschuss,
        );
    }
    if !a.vl_abzug.is_zero() {
        zeile(
            &mut o,
            "− Überweisung vermögenswirksame Leistungen",
            a.vl_abzug,
        );
    }
    for d in &a.rueckrechnung {
        let monat = Monat::parse(&d.monat).map_or(d.monat.clone(), |m| m.de());
        let (zeichen, was) = if d.betrag.is_negative() {
            ("−", "Rückforderung")
        } else {
            ("+", "Nachzahlung")
        };
        zeile(
            &mut o,
            &format!("{zeichen} {was} aus Rückrechnung {monat}"),
            d.betrag.abs(),
        );
    }
    zeile(&mut o, "AUSZAHLUNGSBETRAG", a.auszahlung);
    let _ = writeln!(
        o,
        "  Überweisung auf IBAN {}",
        crate::core::ids::format_iban(&e.iban)
    );
    let _ = writeln!(o, "{strich}");
    let _ = writeln!(o, "Arbeitgeberanteile (nachrichtlich)");
    zeile(&mut o, "KV / RV / AV / PV Arbeitgeber", a.sv.summe_ag());
    if !a.sv.pauschsteuer.is_zero() {
        zeile(
            &mut o,
            "Pauschsteuer 2 % (§ 40a Abs. 2 EStG)",
            a.sv.pauschsteuer,
        );
    }
    zeile(&mut o, "Umlagen U1/U2", a.sv.u1 + a.sv.u2);
    if !a.sv.u3.is_zero() {
        zeile(&mut o, "Insolvenzgeldumlage U3", a.sv.u3);
    }
    if !a.zvk_umlage.is_zero() {
        zeile(&mut o, "Umlage Zusatzversorgung (ZVK)", a.zvk_umlage);
    }
    o
}

/// One line of the Lohnjournal.
#[derive(Clone, Debug, PartialEq)]
pub struct JournalZeile {
    pub personalnummer: String,
    pub name: String,
    pub brutto: Money,
    pub steuerbrutto: Money,
    pub lohnsteuer: Money,
    pub soli: Money,
    pub kirchensteuer: Money,
    pub sv_an: Money,
    pub sv_ag: Money,
    pub netto: Money,
    pub auszahlung: Money,
}

impl JournalZeile {
    fn add(&mut self, o: &JournalZeile) {
        self.brutto += o.brutto;
        self.steuerbrutto += o.steuerbrutto;
        self.lohnsteuer += o.lohnsteuer;
        self.soli += o.soli;
        self.kirchensteuer += o.kirchensteuer;
        self.sv_an += o.sv_an;
        self.sv_ag += o.sv_ag;
        self.netto += o.netto;
        self.auszahlung += o.auszahlung;
    }
}

/// The Lohnjournal of a month (active run): one line per employee and the totals.
pub fn lohnjournal(session: &Session, monat: &str) -> Result<(Vec<JournalZeile>, JournalZeile)> {
    session.require(&[Role::PersosLesen])?;
    let m = Monat::parse(monat)?;
    let zeilen = session.db.read(|sql| {
        if laufdaten::aktiver_lauf_in(sql, &session.mandant.id, m)?.is_none() {
            return Err(KisError::NotFound(format!(
                "Für {} gibt es keinen aktiven Abrechnungslauf.",
                m.de()
            )));
        }
        repo::ergebnis::lohnjournal(sql, &session.mandant.id, m)
    })?;
    let mut summe = JournalZeile {
        personalnummer: String::new(),
        name: "Summe".into(),
        brutto: Money::zero(),
        steuerbrutto: Money::zero(),
        lohnsteuer: Money::zero(),
        soli: Money::zero(),
        kirchensteuer: Money::zero(),
        sv_an: Money::zero(),
        sv_ag: Money::zero(),
        netto: Money::zero(),
        auszahlung: Money::zero(),
    };
    let mut out = Vec::with_capacity(zeilen.len());
    for z in zeilen {
        summe.add(&z);
        out.push(z);
    }
    summe.personalnummer = format!("{}", out.len());
    Ok((out, summe))
}

fn csv_betrag(m: Money) -> String {
    m.0.to_string().replace('.', ",")
}

/// The Lohnjournal as CSV (`;`, decimal comma, header line, totals last).
pub fn lohnjournal_csv(zeilen: &[JournalZeile], summe: &JournalZeile) -> String {
    let mut o = String::from(
        "Personalnummer;Name;Brutto;Steuerbrutto;Lohnsteuer;Soli;Kirchensteuer;SV_AN;SV_AG;Netto;Auszahlung\n",
    );
    for z in zeilen.iter().chain(std::iter::once(summe)) {
        let name = csv_text_cell(&z.name).replace(';', ",");
        let _ = writeln!(
            o,
            "{};{};{};{};{};{};{};{};{};{};{}",
            csv_text_cell(&z.personalnummer).replace(';', ","),
            name,
            csv_betrag(z.brutto),
            csv_betrag(z.steuerbrutto),
            csv_betrag(z.lohnsteuer),
            csv_betrag(z.soli),
            csv_betrag(z.kirchensteuer),
            csv_betrag(z.sv_an),
            csv_betrag(z.sv_ag),
            csv_betrag(z.netto),
            csv_betrag(z.auszahlung)
        );
    }
    o
}

/// The Lohnjournal as a text list for the terminal.
pub fn lohnjournal_text(monat: &str, zeilen: &[JournalZeile], summe: &JournalZeile) -> String {
    let mut o = format!("LOHNJOURNAL {monat}\n");
    let _ = writeln!(
        o,
        "{:<7} {:<26} {:>11} {:>10} {:>9} {:>10} {:>10} {:>11}",
        "PersNr", "Name", "Brutto", "LSt", "KiSt+Soli", "SV-AN", "SV-AG", "Auszahlung"
    );
    for z in zeilen.iter().chain(std::iter::once(summe)) {
        let name: String = sanitize_line(&z.name).chars().take(26).collect();
        let _ = writeln!(
            o,
            "{:<7} {:<26} {:>11} {:>10} {:>9} {:>10} {:>10} {:>11}",
            z.personalnummer,
            name,
            z.brutto.format_de(),
            z.lohnsteuer.format_de(),
            (z.kirchensteuer + z.soli).format_de(),
            z.sv_an.format_de(),
            z.sv_ag.format_de(),
            z.auszahlung.format_de()
        );
    }
    o
}
