//! TVöD pay tables as data with validity, per Mandant: the Entgelttabelle
//! (Anlage A) and the Bemessungssätze of the Jahressonderzahlung (§ 20
//! TVöD). Tables are entered by importing a CSV file (`kis persos tabelle
//! import`): every row is checked first (messages with line numbers), then
//! the blocks are written in one transaction with their source and an audit
//! entry. A block applies from its `gueltig_ab` until the next block — after
//! a Tarifvertrag ends its table stays in force (Nachwirkung, § 4 Abs. 5 TVG).
//!
//! A payroll run loads the tables once ([`Tariftabellen::laden`]) and the
//! computation looks amounts up in memory.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde_json::json;

use super::repo;
use crate::core::csv_import::{self, Fehlerliste};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::{Money, parse_decimal_de};
use crate::core::roles::Role;
use crate::core::sanitize::quote_input;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "persos_tarif";

/// Which table a block belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Art {
    Entgelt,
    Jsz,
}

impl Art {
    pub fn code(self) -> &'static str {
        match self {
            Art::Entgelt => "ENTGELT",
            Art::Jsz => "JSZ",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Art::Entgelt => "Entgelttabelle",
            Art::Jsz => "Jahressonderzahlung",
        }
    }

    pub fn parse(s: &str) -> Result<Art> {
        match s {
            "ENTGELT" => Ok(Art::Entgelt),
            "JSZ" => Ok(Art::Jsz),
            other => Err(KisError::Db(format!("Unbekannte Tarifart {other}"))),
        }
    }
}

/// One row of the Entgelttabelle: an Entgeltgruppe with up to six Stufen.
#[derive(Clone, Debug, PartialEq)]
pub struct Zeile {
    pub gueltig_ab: NaiveDate,
    pub eg: String,
    pub stufen: [Option<Money>; 6],
}

/// One Bemessungssatz of the Jahressonderzahlung (percent).
#[derive(Clone, Debug, PartialEq)]
pub struct JszSatz {
    pub gueltig_ab: NaiveDate,
    pub eg: String,
    pub satz: Decimal,
}

/// A checked import file: one kind of table, one or more blocks.
#[derive(Clone, Debug)]
pub struct Eingelesen {
    pub art: Art,
    pub quelle: String,
    pub entgelt: Vec<Zeile>,
    pub jsz: Vec<JszSatz>,
}

impl Eingelesen {
    /// The validity dates of the blocks in the file with their row counts.
    pub fn bloecke(&self) -> Vec<(NaiveDate, usize)> {
        let tage: Vec<NaiveDate> = match self.art {
            Art::Entgelt => self.entgelt.iter().map(|z| z.gueltig_ab).collect(),
            Art::Jsz => self.jsz.iter().map(|s| s.gueltig_ab).collect(),
        };
        let mut out: Vec<(NaiveDate, usize)> = Vec::new();
        for t in tage {
            match out.iter_mut().find(|(d, _)| *d == t) {
                Some((_, n)) => *n += 1,
                None => out.push((t, 1)),
            }
        }
        out.sort();
        out
    }
}

/// Normalises an Entgeltgruppe as clerks type it: `E 9a`, `9A`, `15Ü`, `2U`.
pub fn normalisiere_eg(eg: &str) -> String {
    let s: String = eg
        .trim()
        .trim_start_matches(['E', 'e'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    s.to_lowercase().replace(['u', 'ü', 'Ü'], "Ü")
}

/// Whether a normalised Entgeltgruppe has the TVöD form: 1–15, optionally
/// with a, b, c (E 9) or Ü.
fn eg_form_gueltig(eg: &str) -> bool {
    let digits: String = eg.chars().take_while(char::is_ascii_digit).collect();
    let rest = &eg[digits.len()..];
    matches!(digits.parse::<u8>(), Ok(1..=15)) && ["", "a", "b", "c", "Ü"].contains(&rest)
}

const KOPF_ENTGELT: [&str; 8] = ["gueltig_ab", "eg", "s1", "s2", "s3", "s4", "s5", "s6"];
const KOPF_JSZ: [&str; 3] = ["gueltig_ab", "eg", "satz"];

/// Reads and checks an import file (`;`-separated, `#` comment lines, the
/// header `gueltig_ab;eg;s1;…;s6` or `gueltig_ab;eg;satz`). The source is
/// `quelle` or, without it, the file's comment lines. All rows are checked
/// before anything is returned; every error names its line.
pub fn lies(text: &str, quelle: Option<&str>) -> Result<Eingelesen> {
    let quelle = match quelle.map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => q.to_string(),
        None => text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix('#'))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    };
    if quelle.is_empty() {
        return Err(KisError::field(
            "quelle",
            "Quelle fehlt: bitte angeben, woher die Tabelle stammt (z. B. „Änderungstarifvertrag Nr. 25, Anlage A“) – als Kommentarzeile „# …“ in der Datei oder mit --quelle.",
        ));
    }
    let mut records = csv_import::zeilen(text, b';', Some(b'#'), false);
    let kopf: Vec<String> = match records.next() {
        Some((_, Ok(kopf))) => kopf.iter().map(|h| h.trim().to_lowercase()).collect(),
        Some((zeile, Err(m))) => {
            return Err(KisError::validation(format!(
                "Kopfzeile nicht lesbar (Zeile {zeile}): {m}"
            )));
        }
        None => Vec::new(),
    };
    let art = if kopf == KOPF_ENTGELT {
        Art::Entgelt
    } else if kopf == KOPF_JSZ {
        Art::Jsz
    } else {
        return Err(KisError::validation(format!(
            "Kopfzeile {} unbekannt – erwartet „{}“ (Entgelttabelle) oder „{}“ (Jahressonderzahlung).",
            quote_input(&kopf.join(";")),
            KOPF_ENTGELT.join(";"),
            KOPF_JSZ.join(";")
        )));
    };
    let mut fehler = Fehlerliste::new();
    let mut gesehen: HashSet<(NaiveDate, String)> = HashSet::new();
    let mut out = Eingelesen {
        art,
        quelle,
        entgelt: Vec::new(),
        jsz: Vec::new(),
    };
    for (line, record) in records {
        match record.and_then(|r| zeile_pruefen(art, &r, &mut gesehen)) {
            Ok(Geprueft::Entgelt(z)) => out.entgelt.push(z),
            Ok(Geprueft::Jsz(s)) => out.jsz.push(s),
            Err(m) => fehler.meldung(line, m),
        }
    }
    if !fehler.is_empty() {
        return Err(KisError::validation(format!(
            "Tabelle nicht eingespielt – {} fehlerhafte Zeile(n):\n{}",
            fehler.zeilen(),
            fehler.text()
        )));
    }
    if out.entgelt.is_empty() && out.jsz.is_empty() {
        return Err(KisError::validation(
            "Die Datei enthält keine Tabellenzeilen.",
        ));
    }
    Ok(out)
}

enum Geprueft {
    Entgelt(Zeile),
    Jsz(JszSatz),
}

fn zeile_pruefen(
    art: Art,
    r: &csv::StringRecord,
    gesehen: &mut HashSet<(NaiveDate, String)>,
) -> std::result::Result<Geprueft, String> {
    let spalten = match art {
        Art::Entgelt => KOPF_ENTGELT.len(),
        Art::Jsz => KOPF_JSZ.len(),
    };
    if r.len() != spalten {
        return Err(format!("{} Spalten statt {spalten}.", r.len()));
    }
    let gueltig_ab = NaiveDate::parse_from_str(r[0].trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "gueltig_ab {} ist kein Datum (JJJJ-MM-TT).",
            quote_input(&r[0])
        )
    })?;
    let eg = normalisiere_eg(&r[1]);
    if !eg_form_gueltig(&eg) {
        return Err(format!(
            "Entgeltgruppe {} ungültig (1 bis 15, ggf. mit a/b/c oder Ü).",
            quote_input(&r[1])
        ));
    }
    if !gesehen.insert((gueltig_ab, eg.clone())) {
        return Err(format!(
            "E {eg} ab {} steht doppelt in der Datei.",
            format_date_de(gueltig_ab)
        ));
    }
    match art {
        Art::Entgelt => {
            let mut stufen = [None; 6];
            let mut vorige: Option<(usize, Money)> = None;
            for (i, s) in stufen.iter_mut().enumerate() {
                let cell = r[2 + i].trim();
                if cell.is_empty() {
                    continue;
                }
                let betrag = Money::parse_de(cell).map_err(|e| format!("Stufe {}: {e}", i + 1))?;
                if betrag.is_negative() || betrag.is_zero() || betrag.0 >= Decimal::from(100_000) {
                    return Err(format!(
                        "Stufe {}: {} liegt nicht zwischen 0 und 100.000 €.",
                        i + 1,
                        betrag
                    ));
                }
                if let Some((j, v)) = vorige.filter(|(_, v)| betrag <= *v) {
                    return Err(format!(
                        "Stufe {} ({betrag}) ist nicht höher als Stufe {} ({v}) – Spalten vertauscht?",
                        i + 1,
                        j + 1
                    ));
                }
                vorige = Some((i, betrag));
                *s = Some(betrag);
            }
            if stufen.iter().all(Option::is_none) {
                return Err(format!("E {eg}: keine Stufe belegt."));
            }
            Ok(Geprueft::Entgelt(Zeile {
                gueltig_ab,
                eg,
                stufen,
            }))
        }
        Art::Jsz => {
            let satz = parse_decimal_de(&r[2]).map_err(|e| format!("satz: {e}"))?;
            if satz <= Decimal::ZERO || satz > Decimal::from(100) {
                return Err(format!(
                    "satz {satz} liegt nicht zwischen 0 und 100 Prozent."
                ));
            }
            Ok(Geprueft::Jsz(JszSatz {
                gueltig_ab,
                eg,
                satz,
            }))
        }
    }
}

/// The tables of a Mandant in memory.
#[derive(Clone, Debug, Default)]
pub struct Tariftabellen {
    entgelt: Vec<Zeile>,
    jsz: Vec<JszSatz>,
}

impl Tariftabellen {
    /// Tables straight from checked files (tests, demo checks).
    pub fn aus(dateien: &[Eingelesen]) -> Tariftabellen {
        Tariftabellen {
            entgelt: dateien.iter().flat_map(|d| d.entgelt.clone()).collect(),
            jsz: dateien.iter().flat_map(|d| d.jsz.clone()).collect(),
        }
    }

    /// All blocks of the Mandant.
    pub fn laden_in(sql: &mut dyn Sql, mandant: &str) -> Result<Tariftabellen> {
        let entgelt = repo::tarif::entgelt(sql, mandant)?;
        let jsz = repo::tarif::jsz(sql, mandant)?;
        Ok(Tariftabellen { entgelt, jsz })
    }

    /// The Entgelttabelle block in force on `stichtag`: its first day and rows.
    pub fn tabelle_am(&self, stichtag: NaiveDate) -> Option<(NaiveDate, Vec<&Zeile>)> {
        let ab = self
            .entgelt
            .iter()
            .map(|z| z.gueltig_ab)
            .filter(|d| *d <= stichtag)
            .max()?;
        let mut zeilen: Vec<&Zeile> = self.entgelt.iter().filter(|z| z.gueltig_ab == ab).collect();
        zeilen.sort_by_key(|z| std::cmp::Reverse(eg_rang(&z.eg)));
        Some((ab, zeilen))
    }

    /// Whether the Entgeltgruppe has Stufe `stufe` in the newest block
    /// (master-data check: a group must exist in the table being paid from).
    pub fn pruefe_eingruppierung(&self, eg: &str, stufe: u8) -> Result<()> {
        let eg = normalisiere_eg(eg);
        let Some((_, zeilen)) = self.tabelle_am(NaiveDate::MAX) else {
            return Err(keine_tabelle(None));
        };
        let zeile = zeilen.into_iter().find(|z| z.eg == eg).ok_or_else(|| {
            KisError::field(
                "eg",
                format!("Entgeltgruppe E {eg} ist in der TVöD-Tabelle nicht vorhanden."),
            )
        })?;
        if !(1..=6).contains(&stufe) || zeile.stufen[usize::from(stufe - 1)].is_none() {
            return Err(KisError::field(
                "stufe",
                format!("Entgeltgruppe E {eg} hat keine Stufe {stufe}."),
            ));
        }
        Ok(())
    }

    /// The Tabellenentgelt (full time, 39 h) of `eg`/`stufe` valid on `stichtag`.
    pub fn tabellenentgelt(&self, eg: &str, stufe: u8, stichtag: NaiveDate) -> Result<Decimal> {
        let eg = normalisiere_eg(eg);
        if !(1..=6).contains(&stufe) {
            return Err(KisError::field("stufe", "Stufe: 1 bis 6."));
        }
        let (ab, zeilen) = self
            .tabelle_am(stichtag)
            .ok_or_else(|| keine_tabelle(Some(stichtag)))?;
        let zeile = zeilen.into_iter().find(|z| z.eg == eg).ok_or_else(|| {
            KisError::field(
                "eg",
                format!(
                    "Entgeltgruppe E {eg} ist in der TVöD-Tabelle ab {} nicht vorhanden.",
                    format_date_de(ab)
                ),
            )
        })?;
        zeile.stufen[usize::from(stufe - 1)]
            .map(|m| m.0)
            .ok_or_else(|| {
                KisError::field(
                    "stufe",
                    format!("Entgeltgruppe E {eg} hat keine Stufe {stufe}."),
                )
            })
    }

    /// The Bemessungssatz of the Jahressonderzahlung (percent) for `eg` in `jahr`.
    pub fn jsz_satz(&self, eg: &str, jahr: i32) -> Result<Decimal> {
        let eg = normalisiere_eg(eg);
        let stichtag = NaiveDate::from_ymd_opt(jahr, 12, 1)
            .ok_or_else(|| KisError::validation("Jahr ungültig."))?;
        self.jsz
            .iter()
            .filter(|s| s.eg == eg && s.gueltig_ab <= stichtag)
            .max_by_key(|s| s.gueltig_ab)
            .map(|s| s.satz)
            .ok_or_else(|| {
                KisError::field(
                    "eg",
                    format!(
                        "Für E {eg} ist kein Bemessungssatz der Jahressonderzahlung {jahr} erfasst."
                    ),
                )
            })
    }
}

fn keine_tabelle(stichtag: Option<NaiveDate>) -> KisError {
    let wann = stichtag.map_or(String::new(), |d| format!(" für den {}", format_date_de(d)));
    KisError::Conflict(format!(
        "Keine TVöD-Entgelttabelle{wann} erfasst. Bitte die gültige Tabelle mit „kis persos tabelle import“ einspielen (PER110 zeigt die erfassten Tabellen)."
    ))
}

/// Sort rank of an Entgeltgruppe: 15Ü above 15, 9c above 9b above 9a.
fn eg_rang(eg: &str) -> (u8, u8) {
    let digits: String = eg.chars().take_while(char::is_ascii_digit).collect();
    let zusatz = match &eg[digits.len()..] {
        "a" => 1,
        "b" => 2,
        "c" => 3,
        "Ü" => 4,
        _ => 0,
    };
    (digits.parse().unwrap_or(0), zusatz)
}

/// The Entgelttabelle in force on `stichtag` as a printable text (CLI),
/// with its first day and source.
pub fn tabelle_text(session: &Session, stichtag: NaiveDate) -> Result<String> {
    let t = tabellen(session)?;
    let (ab, zeilen) = t
        .tabelle_am(stichtag)
        .ok_or_else(|| keine_tabelle(Some(stichtag)))?;
    let quelle = bloecke(session)?
        .into_iter()
        .find(|b| b.art == Art::Entgelt && b.gueltig_ab == ab)
        .map(|b| b.quelle)
        .unwrap_or_default();
    let mut out = format!(
        "TVöD-Entgelttabelle gültig ab {} (Stichtag {})\nQuelle: {quelle}\n\n{:<6}",
        format_date_de(ab),
        format_date_de(stichtag),
        "EG"
    );
    for s in 1..=6 {
        out.push_str(&format!("{:>11}", format!("Stufe {s}")));
    }
    out.push('\n');
    for z in zeilen {
        out.push_str(&format!("{:<6}", format!("E {}", z.eg)));
        for b in &z.stufen {
            out.push_str(&format!(
                "{:>11}",
                b.map(|m| m.format_de()).unwrap_or_default()
            ));
        }
        out.push('\n');
    }
    Ok(out)
}

/// One stored block, for lists.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub art: Art,
    pub gueltig_ab: NaiveDate,
    pub quelle: String,
    pub erfasst_von: String,
    pub erfasst_am: String,
}

/// All stored blocks of the Mandant, newest first.
pub fn bloecke(session: &Session) -> Result<Vec<Block>> {
    session.require(&[Role::PersosLesen])?;
    session
        .db
        .read(|sql| repo::tarif::bloecke(sql, &session.mandant.id))
}

/// The tables of the session's Mandant.
pub fn tabellen(session: &Session) -> Result<Tariftabellen> {
    session.require(&[Role::PersosLesen])?;
    session
        .db
        .read(|sql| Tariftabellen::laden_in(sql, session.mandant.id.as_str()))
}

/// What an import did per block.
#[derive(Clone, Debug, PartialEq)]
pub struct Eingespielt {
    pub art: Art,
    pub gueltig_ab: NaiveDate,
    pub zeilen: usize,
    /// A block with the same validity existed and was replaced.
    pub ersetzt: bool,
}

/// Imports a checked file for the session's Mandant (`probe`: check only,
/// write nothing).
pub fn einspielen(session: &Session, datei: &Eingelesen, probe: bool) -> Result<Vec<Eingespielt>> {
    session.require(&[Role::PersosAendern])?;
    let actor = session.actor();
    if probe {
        return session.db.read(|sql| plane_in(sql, &actor.mandant, datei));
    }
    session.db.write(|sql| einspielen_in(sql, &actor, datei))
}

/// Checks the file against the store: which blocks would be new or
/// replaced; refused where an active payroll run already used the table.
fn plane_in(sql: &mut dyn Sql, mandant: &str, datei: &Eingelesen) -> Result<Vec<Eingespielt>> {
    let mut out = Vec::new();
    for (ab, zeilen) in datei.bloecke() {
        // A run of a month on or after the block's first day was computed
        // with the previous table; for the Jahressonderzahlung only the
        // November runs count (it is paid with the November pay).
        let von = format!("{:04}-{:02}", ab.year(), ab.month());
        let lauf = repo::lauf::erster_aktiver_monat_ab(sql, mandant, &von, datei.art == Art::Jsz)?;
        if let Some(monat) = lauf {
            return Err(KisError::Conflict(format!(
                "{} ab {} nicht eingespielt: der Monat {}/{} ist bereits mit der bisherigen Tabelle abgerechnet. \
                 Bitte die Läufe ab diesem Monat stornieren, die Tabelle einspielen und neu abrechnen.",
                datei.art.text(),
                format_date_de(ab),
                &monat[5..],
                &monat[..4]
            )));
        }
        let ersetzt = repo::tarif::block_vorhanden(sql, mandant, datei.art, ab)?;
        if datei.art == Art::Entgelt {
            pruefe_vollstaendig_in(sql, mandant, datei, ab, ersetzt)?;
        }
        out.push(Eingespielt {
            art: datei.art,
            gueltig_ab: ab,
            zeilen,
            ersetzt,
        });
    }
    Ok(out)
}

/// A block replaces a stored one as a whole, so it must hold every group
/// the stored block had; and every group a Tarif employee is grouped into
/// must be in it, or the next run would stop at that employee.
fn pruefe_vollstaendig_in(
    sql: &mut dyn Sql,
    mandant: &str,
    datei: &Eingelesen,
    ab: NaiveDate,
    ersetzt: bool,
) -> Result<()> {
    let neu: HashSet<&str> = datei
        .entgelt
        .iter()
        .filter(|z| z.gueltig_ab == ab)
        .map(|z| z.eg.as_str())
        .collect();
    // Missing groups with a note on who is grouped there, highest first.
    let mut fehlt: Vec<(String, String)> = Vec::new();
    if ersetzt {
        for eg in repo::tarif::gruppen(sql, mandant, ab)? {
            if !neu.contains(eg.as_str()) {
                fehlt.push((eg, String::new()));
            }
        }
    }
    for (eg, anzahl) in repo::stamm::eingruppierte(sql, mandant, ab)? {
        if !neu.contains(eg.as_str()) {
            let wer = format!(" ({anzahl} eingruppiert)");
            match fehlt.iter_mut().find(|(e, _)| *e == eg) {
                Some(f) => f.1 = wer,
                None => fehlt.push((eg, wer)),
            }
        }
    }
    if fehlt.is_empty() {
        return Ok(());
    }
    fehlt.sort_by_key(|(eg, _)| std::cmp::Reverse(eg_rang(eg)));
    let fehlt: Vec<String> = fehlt
        .iter()
        .map(|(eg, wer)| format!("E {eg}{wer}"))
        .collect();
    Err(KisError::validation(format!(
        "Entgelttabelle ab {} nicht eingespielt: es fehlen {}. {}",
        format_date_de(ab),
        fehlt.join(", "),
        if ersetzt {
            "Eine Korrektur ersetzt den ganzen Stand – bitte die vollständige Tabelle einspielen."
        } else {
            "Bitte die vollständige Tabelle einspielen."
        }
    )))
}

/// Imports a checked file inside an open transaction (demo loader, tests).
pub fn einspielen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    datei: &Eingelesen,
) -> Result<Vec<Eingespielt>> {
    let mandant = actor.mandant.as_str();
    let plan = plane_in(sql, mandant, datei)?;
    let erfasst_am = actor.at.format("%Y-%m-%dT%H:%M:%S").to_string();
    for b in &plan {
        repo::tarif::block_loeschen(sql, mandant, b.art, b.gueltig_ab)?;
        repo::tarif::block_einfuegen(sql, actor, b.art, b.gueltig_ab, &datei.quelle, &erfasst_am)?;
        match b.art {
            Art::Entgelt => {
                for z in datei
                    .entgelt
                    .iter()
                    .filter(|z| z.gueltig_ab == b.gueltig_ab)
                {
                    repo::tarif::zeile_einfuegen(sql, mandant, z)?;
                }
            }
            Art::Jsz => {
                for s in datei.jsz.iter().filter(|s| s.gueltig_ab == b.gueltig_ab) {
                    repo::tarif::jsz_einfuegen(sql, mandant, s)?;
                }
            }
        }
        let nach = json!({"quelle": datei.quelle, "zeilen": b.zeilen, "ersetzt": b.ersetzt});
        audit::append(
            sql,
            actor,
            if b.ersetzt { "ERSETZT" } else { "EINGESPIELT" },
            ENTITY,
            &format!("{}/{}", b.art.code(), b.gueltig_ab),
            None,
            Some(&nach),
        )?;
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn demo() -> Tariftabellen {
        Tariftabellen::aus(&crate::persos::demo::tarifdateien().unwrap())
    }

    #[test]
    fn lookup_by_group_step_and_date() {
        let t = demo();
        assert_eq!(
            t.tabellenentgelt("E 9a", 3, d("2026-01-01")).unwrap(),
            dec!(3986.06)
        );
        // From 01.05.2026 the table is 2,8 % higher (rounded to cents).
        assert_eq!(
            t.tabellenentgelt("9a", 3, d("2026-05-01")).unwrap(),
            dec!(4097.67)
        );
        assert_eq!(
            t.tabellenentgelt("9a", 3, d("2026-04-30")).unwrap(),
            dec!(3986.06)
        );
        assert_eq!(
            t.tabellenentgelt("15ü", 6, d("2026-01-01")).unwrap(),
            dec!(8947.29)
        );
        assert_eq!(
            t.tabellenentgelt("E2U", 1, d("2026-01-01")).unwrap(),
            dec!(2711.60)
        );
        assert!(t.tabellenentgelt("15Ü", 1, d("2026-01-01")).is_err());
        let vorher = t.tabellenentgelt("9a", 3, d("2025-03-31")).unwrap_err();
        assert!(
            vorher
                .to_string()
                .contains("Keine TVöD-Entgelttabelle für den 31.03.2025"),
            "{vorher}"
        );
        assert!(t.tabellenentgelt("17", 1, d("2026-01-01")).is_err());
        assert!(t.tabellenentgelt("9a", 7, d("2026-01-01")).is_err());
        assert!(t.pruefe_eingruppierung("e 13", 1).is_ok());
        assert!(t.pruefe_eingruppierung("15Ü", 1).is_err());
        assert!(t.pruefe_eingruppierung("16", 1).is_err());
    }

    #[test]
    fn the_2026_table_is_the_2025_table_plus_2_8_percent() {
        let t = demo();
        let (ab25, alt) = t.tabelle_am(d("2026-04-30")).unwrap();
        let (ab26, neu) = t.tabelle_am(d("2026-05-01")).unwrap();
        assert_eq!((ab25, ab26), (d("2025-04-01"), d("2026-05-01")));
        assert_eq!(alt.len(), neu.len());
        for (a, n) in alt.iter().zip(&neu) {
            assert_eq!(a.eg, n.eg);
            for (sa, sn) in a.stufen.iter().zip(&n.stufen) {
                assert_eq!(sa.map(|m| Money::new(m.0 * dec!(1.028))), *sn, "E {}", a.eg);
            }
        }
        // Sorted from the top: 15Ü first, 2 last.
        assert_eq!(neu.first().unwrap().eg, "15Ü");
        assert_eq!(neu.last().unwrap().eg, "2");
    }

    #[test]
    fn jsz_rates() {
        let t = demo();
        assert_eq!(t.jsz_satz("8", 2025).unwrap(), dec!(84.51));
        assert_eq!(t.jsz_satz("9a", 2025).unwrap(), dec!(70.28));
        assert_eq!(t.jsz_satz("13", 2025).unwrap(), dec!(51.78));
        // From 2026 uniformly 85 % for the Kommunen.
        assert_eq!(t.jsz_satz("8", 2026).unwrap(), dec!(85.00));
        assert_eq!(t.jsz_satz("13", 2026).unwrap(), dec!(85.00));
    }

    #[test]
    fn import_file_checks_every_row_with_its_line() {
        let text = "# Testtabelle\ngueltig_ab;eg;s1;s2;s3;s4;s5;s6\n\
                    2027-04-01;9a;3700,00;3900,00;;;;\n\
                    2027-04-01;9z;1;2;3;4;5;6\n\
                    2027-04-01;8;3500;3400;;;;\n\
                    2027-04-01;9A;1;2;3;4;5;6\n\
                    01.04.2027;7;1;2;3;4;5;6\n\
                    2027-04-01;6;abc;;;;;\n";
        let err = lies(text, None).unwrap_err().to_string();
        assert!(err.contains("5 fehlerhafte Zeile(n)"), "{err}");
        assert!(
            err.contains("Zeile 4: Entgeltgruppe „9z“ ungültig"),
            "{err}"
        );
        assert!(
            err.contains("Zeile 5: Stufe 2 (3.400,00) ist nicht höher als Stufe 1"),
            "{err}"
        );
        assert!(
            err.contains("Zeile 6: E 9a ab 01.04.2027 steht doppelt"),
            "{err}"
        );
        assert!(
            err.contains("Zeile 7: gueltig_ab „01.04.2027“ ist kein Datum"),
            "{err}"
        );
        assert!(err.contains("Zeile 8: Stufe 1: Betrag ungültig"), "{err}");

        let ok = lies(
            "gueltig_ab;eg;s1;s2;s3;s4;s5;s6\n2027-04-01;E 9a;3.700,00;3.900,00;;;;\n",
            Some("TV 2027"),
        )
        .unwrap();
        assert_eq!(ok.art, Art::Entgelt);
        assert_eq!(ok.quelle, "TV 2027");
        assert_eq!(ok.entgelt[0].eg, "9a");
        assert_eq!(ok.entgelt[0].stufen[1], Some(Money::new(dec!(3900))));
        assert_eq!(ok.bloecke(), vec![(d("2027-04-01"), 1)]);

        let ohne_quelle = lies("gueltig_ab;eg;satz\n2027-01-01;9a;80\n", None).unwrap_err();
        assert!(
            ohne_quelle.to_string().contains("Quelle fehlt"),
            "{ohne_quelle}"
        );
        let kopf = lies("# Q\ndatum;eg;betrag\n", None).unwrap_err();
        assert!(
            kopf.to_string()
                .contains("Kopfzeile „datum;eg;betrag“ unbekannt"),
            "{kopf}"
        );
        let satz = lies("# Q\ngueltig_ab;eg;satz\n2027-01-01;9a;180\n", None).unwrap_err();
        assert!(
            satz.to_string()
                .contains("Zeile 3: satz 180 liegt nicht zwischen 0 und 100"),
            "{satz}"
        );
    }

    const KOPF: &str = "gueltig_ab;eg;s1;s2;s3;s4;s5;s6";

    #[test]
    fn import_lines_count_comments_blank_lines_and_crlf() {
        // 18 lines of comments, header and good rows, then a bad row in line 19.
        let mut text = String::from("# Quelle: Testtarif\n# zweite Zeile\n\n");
        text.push_str(KOPF);
        text.push_str("\r\n");
        for (i, eg) in ["1", "2", "3", "4", "5", "6", "7"].iter().enumerate() {
            text.push_str(&format!("2027-04-01;{eg};{}00,00;;;;;\r\n", 20 + i));
            text.push_str(if i % 2 == 0 {
                "# Zwischenkommentar\r\n"
            } else {
                "\r\n"
            });
        }
        assert_eq!(text.lines().count(), 18);
        text.push_str("2027-04-01;9z;1;2;3;4;5;6\r\n");
        let err = lies(&text, None).unwrap_err().to_string();
        assert!(
            err.contains("Zeile 19: Entgeltgruppe „9z“ ungültig"),
            "{err}"
        );
    }

    #[test]
    fn import_refuses_an_unterminated_quote() {
        // The open quote in s6 would take the next rows as part of its value
        // ("600,00\n2027-…"), and a trimmed "600,00" would pass.
        let text = format!(
            "# Q\n{KOPF}\n2027-04-01;1;100;200;300;400;500;\"600\n2027-04-01;2;1;2;3;4;5;6\n"
        );
        let err = lies(&text, None).unwrap_err().to_string();
        assert!(
            err.contains("Zeile 3: Ein Anführungszeichen wird nicht geschlossen"),
            "{err}"
        );
    }

    #[test]
    fn import_lists_100_messages_then_counts() {
        let mut text = format!("# Q\n{KOPF}\n");
        for _ in 0..1000 {
            text.push_str("2027-04-01;9z;1;2;3;4;5;6\n");
        }
        let err = lies(&text, None).unwrap_err().to_string();
        assert!(err.contains("1000 fehlerhafte Zeile(n)"), "{err}");
        assert_eq!(err.lines().filter(|l| l.starts_with("Zeile ")).count(), 100);
        assert!(
            err.ends_with("… und 900 weitere fehlerhafte Zeilen."),
            "{err}"
        );
    }
}
