//! FINAS master data: settings per Mandant, Haushaltsjahre and their
//! periods, the Produktrahmen, the Kontenrahmen of the Mandant's state,
//! Kostenstellen and the kameral Gliederung/Gruppierung. The Kontenrahmen
//! and plan structures are data (fixtures per state), loaded into each
//! Mandant so that a state's differences are a matter of files, not code.

use serde::Serialize;

use crate::core::audit::{self, Actor};
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::core::session::Session;
use crate::params;
use crate::store::Sql;

/// Account type (Kontotyp).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum KontoTyp {
    /// Bestandskonto (Bilanz), classes 0–3.
    Bilanz,
    /// Ergebniskonto, classes 4–5.
    Ergebnis,
    /// Finanzkonto, classes 6–7.
    Finanz,
    /// Abschlusskonto, class 8.
    Abschluss,
    /// Kosten- und Leistungsrechnung, class 9 (not posted in the journal).
    Klr,
}

impl KontoTyp {
    pub fn code(self) -> &'static str {
        match self {
            KontoTyp::Bilanz => "B",
            KontoTyp::Ergebnis => "E",
            KontoTyp::Finanz => "F",
            KontoTyp::Abschluss => "A",
            KontoTyp::Klr => "K",
        }
    }

    pub fn parse(s: &str) -> Result<KontoTyp> {
        match s {
            "B" => Ok(KontoTyp::Bilanz),
            "E" => Ok(KontoTyp::Ergebnis),
            "F" => Ok(KontoTyp::Finanz),
            "A" => Ok(KontoTyp::Abschluss),
            "K" => Ok(KontoTyp::Klr),
            other => Err(KisError::validation(format!(
                "Unbekannter Kontotyp „{other}“."
            ))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            KontoTyp::Bilanz => "Bilanz",
            KontoTyp::Ergebnis => "Ergebnis",
            KontoTyp::Finanz => "Finanz",
            KontoTyp::Abschluss => "Abschluss",
            KontoTyp::Klr => "KLR",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Konto {
    pub nr: String,
    pub bezeichnung: String,
    pub klasse: u8,
    pub typ: KontoTyp,
    /// Bilanzposition, Ergebnis-/Finanzplanzeile or Abschluss role.
    pub zeile: String,
    /// The Finanzkonto a payment for this Ergebniskonto posts to.
    pub finanzkonto: Option<String>,
}

impl Konto {
    /// Erträge/Einzahlungen (classes 4 and 6) as opposed to Aufwendungen/Auszahlungen.
    pub fn is_ertrag(&self) -> bool {
        self.klasse == 4 || self.klasse == 6
    }

    /// Liquide Mittel: the Bilanz accounts whose movement the Finanzrechnung explains.
    pub fn is_liquide(&self) -> bool {
        self.typ == KontoTyp::Bilanz && self.zeile == LIQUIDE_MITTEL
    }
}

/// Bilanzposition of the liquid funds.
pub const LIQUIDE_MITTEL: &str = "A.2.4";
/// Role of the Finanzrechnungskonto among the Abschlusskonten.
pub const FINANZRECHNUNGSKONTO: &str = "FRK";
/// Role of the Eröffnungsbilanzkonto.
pub const EROEFFNUNGSBILANZKONTO: &str = "EBK";

/// State of a Haushaltsjahr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum JahrStatus {
    Planung,
    Beschlossen,
    /// Vorläufige Haushaltsführung (GO NRW § 82): no adopted budget yet.
    Vorlaeufig,
    Jahresabschluss,
    Geschlossen,
}

impl JahrStatus {
    pub fn code(self) -> &'static str {
        match self {
            JahrStatus::Planung => "PLANUNG",
            JahrStatus::Beschlossen => "BESCHLOSSEN",
            JahrStatus::Vorlaeufig => "VORLAEUFIG",
            JahrStatus::Jahresabschluss => "JAHRESABSCHLUSS",
            JahrStatus::Geschlossen => "GESCHLOSSEN",
        }
    }

    pub fn parse(s: &str) -> Result<JahrStatus> {
        match s.trim().to_uppercase().as_str() {
            "PLANUNG" => Ok(JahrStatus::Planung),
            "BESCHLOSSEN" => Ok(JahrStatus::Beschlossen),
            "VORLAEUFIG" => Ok(JahrStatus::Vorlaeufig),
            "JAHRESABSCHLUSS" => Ok(JahrStatus::Jahresabschluss),
            "GESCHLOSSEN" => Ok(JahrStatus::Geschlossen),
            other => Err(KisError::field(
                "status",
                format!("Unbekannter Status des Haushaltsjahres „{other}“."),
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            JahrStatus::Planung => "Planung",
            JahrStatus::Beschlossen => "beschlossen",
            JahrStatus::Vorlaeufig => "vorläufige Haushaltsführung",
            JahrStatus::Jahresabschluss => "Jahresabschluss",
            JahrStatus::Geschlossen => "geschlossen",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Produkt {
    pub nr: String,
    pub bezeichnung: String,
    pub ebene: u8,
    pub verantwortlich: String,
}

/// The level of a Produkt number: `01` Produktbereich, `01.01` Produktgruppe,
/// `01.01.01` Produkt; anything else is refused.
pub fn produkt_ebene(nr: &str) -> Result<u8> {
    let parts: Vec<&str> = nr.split('.').collect();
    let ok = !parts.is_empty()
        && parts.len() <= 3
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_digit()));
    if !ok {
        return Err(KisError::field(
            "produkt",
            format!("Produktnummer „{nr}“ ungültig – Form 01, 01.01 oder 01.01.01."),
        ));
    }
    Ok(parts.len() as u8)
}

fn parent_of(nr: &str) -> Option<&str> {
    nr.rfind('.').map(|i| &nr[..i])
}

pub fn konto_in(sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<Konto> {
    let r = sql
        .query_opt(
            "SELECT nr, bezeichnung, klasse, typ, zeile, finanzkonto FROM fin_konto WHERE mandant = ? AND nr = ?",
            &params![mandant, nr],
        )?
        .ok_or_else(|| KisError::field("konto", format!("Konto {nr} ist im Kontenrahmen nicht vorhanden.")))?;
    konto_from_row(&r)
}

fn konto_from_row(r: &crate::store::Row) -> Result<Konto> {
    Ok(Konto {
        nr: r.str(0)?,
        bezeichnung: r.str(1)?,
        klasse: r.i64(2)? as u8,
        typ: KontoTyp::parse(&r.str(3)?)?,
        zeile: r.str(4)?,
        finanzkonto: r.opt_str(5)?,
    })
}

/// All accounts of the Mandant, by number.
pub fn konten_in(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Konto>> {
    sql.query(
        "SELECT nr, bezeichnung, klasse, typ, zeile, finanzkonto FROM fin_konto WHERE mandant = ? ORDER BY nr",
        &params![mandant],
    )?
    .iter()
    .map(konto_from_row)
    .collect()
}

pub fn konten(session: &Session) -> Result<Vec<Konto>> {
    session.require(&[Role::FinasLesen])?;
    session.db.read(|sql| konten_in(sql, &session.mandant.id))
}

/// The account with an Abschluss role (EBK, FRK, …).
pub fn abschlusskonto_in(sql: &mut dyn Sql, mandant: &str, rolle: &str) -> Result<String> {
    sql.query_opt(
        "SELECT nr FROM fin_konto WHERE mandant = ? AND typ = 'A' AND zeile = ?",
        &params![mandant, rolle],
    )?
    .ok_or_else(|| {
        KisError::Conflict(format!("Im Kontenrahmen fehlt das Abschlusskonto {rolle}."))
    })?
    .str(0)
}

pub fn produkt_in(sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<Produkt> {
    let r = sql
        .query_opt(
            "SELECT nr, bezeichnung, ebene, verantwortlich FROM fin_produkt WHERE mandant = ? AND nr = ?",
            &params![mandant, nr],
        )?
        .ok_or_else(|| KisError::field("produkt", format!("Produkt {nr} ist nicht vorhanden.")))?;
    Ok(Produkt {
        nr: r.str(0)?,
        bezeichnung: r.str(1)?,
        ebene: r.i64(2)? as u8,
        verantwortlich: r.str(3)?,
    })
}

/// The Produkte of level 3 (the ones budgets and postings refer to).
pub fn produkte(session: &Session) -> Result<Vec<Produkt>> {
    session.require(&[Role::FinasLesen])?;
    session.db.read(|sql| {
        sql.query(
            "SELECT nr, bezeichnung, ebene, verantwortlich FROM fin_produkt WHERE mandant = ? ORDER BY nr",
            &params![session.mandant.id.as_str()],
        )?
        .iter()
        .map(|r| Ok(Produkt { nr: r.str(0)?, bezeichnung: r.str(1)?, ebene: r.i64(2)? as u8, verantwortlich: r.str(3)? }))
        .collect()
    })
}

pub fn kostenstelle_exists(sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM fin_kostenstelle WHERE mandant = ? AND nr = ?",
            &params![mandant, nr],
        )?
        .is_some())
}

pub fn jahr_status_in(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<JahrStatus> {
    let r = sql
        .query_opt(
            "SELECT status FROM fin_haushaltsjahr WHERE mandant = ? AND jahr = ?",
            &params![mandant, jahr],
        )?
        .ok_or_else(|| {
            KisError::field("jahr", format!("Haushaltsjahr {jahr} ist nicht angelegt."))
        })?;
    JahrStatus::parse(&r.str(0)?)
}

/// Whether a period of a year is open for postings.
pub fn periode_offen_in(sql: &mut dyn Sql, mandant: &str, jahr: i32, periode: u8) -> Result<bool> {
    let r = sql.query_opt(
        "SELECT status FROM fin_periode WHERE mandant = ? AND jahr = ? AND periode = ?",
        &params![mandant, jahr, periode],
    )?;
    Ok(matches!(r, Some(r) if r.str(0)? == "OFFEN"))
}

/// Create a Haushaltsjahr with its periods 0 (Eröffnung), 1–12 and 13–16 (Abschluss).
pub fn jahr_anlegen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    status: JahrStatus,
    beschluss: Option<&str>,
    bemerkung: &str,
) -> Result<()> {
    if !(1990..=2100).contains(&jahr) {
        return Err(KisError::field(
            "jahr",
            "Haushaltsjahr zwischen 1990 und 2100 angeben.",
        ));
    }
    sql.execute(
        "INSERT INTO fin_haushaltsjahr (mandant, jahr, status, beschluss, bemerkung) VALUES (?, ?, ?, ?, ?)",
        &params![actor.mandant.as_str(), jahr, status.code(), beschluss, bemerkung],
    )
    .map_err(|e| match e {
        KisError::Conflict(_) => KisError::field("jahr", format!("Haushaltsjahr {jahr} ist schon angelegt.")),
        other => other,
    })?;
    let periode_status = if status == JahrStatus::Geschlossen {
        "GESCHLOSSEN"
    } else {
        "OFFEN"
    };
    for p in 0..=16i64 {
        sql.execute(
            "INSERT INTO fin_periode (mandant, jahr, periode, status) VALUES (?, ?, ?, ?)",
            &params![actor.mandant.as_str(), jahr, p, periode_status],
        )?;
    }
    audit::append(
        sql,
        actor,
        "ANGELEGT",
        "fin_haushaltsjahr",
        &jahr.to_string(),
        None,
        Some(&serde_json::json!({"status": status.code()})),
    )?;
    Ok(())
}

/// Change the state of a Haushaltsjahr; `GESCHLOSSEN` also closes every period.
pub fn jahr_status_setzen(session: &Session, jahr: i32, status: JahrStatus) -> Result<()> {
    session.require(&[Role::FinasAnordnung])?;
    let actor = session.actor();
    session.db.write(|sql| {
        let before = jahr_status_in(sql, &actor.mandant, jahr)?;
        sql.execute(
            "UPDATE fin_haushaltsjahr SET status = ? WHERE mandant = ? AND jahr = ?",
            &params![status.code(), actor.mandant.as_str(), jahr],
        )?;
        if status == JahrStatus::Geschlossen {
            sql.execute(
                "UPDATE fin_periode SET status = 'GESCHLOSSEN' WHERE mandant = ? AND jahr = ?",
                &params![actor.mandant.as_str(), jahr],
            )?;
        }
        audit::append(
            sql,
            &actor,
            "GEAENDERT",
            "fin_haushaltsjahr",
            &jahr.to_string(),
            Some(&serde_json::json!({"status": before.code()})),
            Some(&serde_json::json!({"status": status.code()})),
        )?;
        Ok(())
    })
}

/// Open or close one period (Monatsabschluss). Closing needs the
/// Anordnungsbefugnis; a closed year's periods stay closed.
pub fn periode_setzen(session: &Session, jahr: i32, periode: u8, offen: bool) -> Result<()> {
    session.require(&[Role::FinasAnordnung])?;
    if periode > 16 {
        return Err(KisError::field("periode", "Periode 0 bis 16 angeben."));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        if offen && jahr_status_in(sql, &actor.mandant, jahr)? == JahrStatus::Geschlossen {
            return Err(KisError::Conflict(format!("Haushaltsjahr {jahr} ist geschlossen; Perioden können nicht wieder geöffnet werden.")));
        }
        let status = if offen { "OFFEN" } else { "GESCHLOSSEN" };
        let n = sql.execute(
            "UPDATE fin_periode SET status = ? WHERE mandant = ? AND jahr = ? AND periode = ?",
            &params![status, actor.mandant.as_str(), jahr, periode],
        )?;
        if n == 0 {
            return Err(KisError::field("jahr", format!("Haushaltsjahr {jahr} ist nicht angelegt.")));
        }
        audit::append(sql, &actor, if offen { "GEOEFFNET" } else { "GESCHLOSSEN" }, "fin_periode", &format!("{jahr}/{periode:02}"), None, Some(&serde_json::json!({"status": status})))?;
        Ok(())
    })
}

/// The warning threshold (percent of the available budget) of the Mandant.
pub fn warnschwelle_in(sql: &mut dyn Sql, mandant: &str) -> Result<i64> {
    Ok(
        match sql.query_opt(
            "SELECT warnschwelle FROM fin_einstellung WHERE mandant = ?",
            &params![mandant],
        )? {
            Some(r) => r.i64(0)?,
            None => 90,
        },
    )
}

/// Whether the Mandant budgets kameral.
pub fn ist_kameral_in(sql: &mut dyn Sql, mandant: &str) -> Result<bool> {
    Ok(matches!(
        sql.query_opt("SELECT haushaltsart FROM fin_einstellung WHERE mandant = ?", &params![mandant])?,
        Some(r) if r.str(0)? == "KAMERAL"
    ))
}

// ---------------------------------------------------------------------------
// Loading the structures from fixture files (CSV with `;`).

fn field<'a>(r: &'a csv::StringRecord, i: usize, file: &str, line: usize) -> Result<&'a str> {
    r.get(i).map(str::trim).ok_or_else(|| {
        KisError::validation(format!("{file} Zeile {line}: Spalte {} fehlt.", i + 1))
    })
}

/// The structure files of one state (Kontenrahmen, plan lines, Bilanz).
pub struct Landesrahmen {
    pub kontenrahmen: &'static str,
    pub planzeilen: &'static str,
    pub bilanzpositionen: &'static str,
}

/// The structures per state; a state without files is refused by name.
pub fn landesrahmen(bundesland: &str) -> Result<Landesrahmen> {
    match bundesland {
        "NW" => Ok(Landesrahmen {
            kontenrahmen: include_str!("../../fixtures/musterstadt/finas/kontenrahmen_nw.csv"),
            planzeilen: include_str!("../../fixtures/musterstadt/finas/planzeilen_nw.csv"),
            bilanzpositionen: include_str!(
                "../../fixtures/musterstadt/finas/bilanzpositionen_nw.csv"
            ),
        }),
        other => Err(KisError::validation(format!(
            "Für das Bundesland {other} ist noch kein Kontenrahmen hinterlegt (vorhanden: NW)."
        ))),
    }
}

/// Load the state's Kontenrahmen, plan lines and Bilanz structure into a Mandant.
pub fn load_landesrahmen_in(sql: &mut dyn Sql, actor: &Actor, bundesland: &str) -> Result<usize> {
    let lr = landesrahmen(bundesland)?;
    let m = actor.mandant.as_str();
    sql.execute(
        "INSERT INTO fin_einstellung (mandant, haushaltsart, kontenrahmen, warnschwelle) VALUES (?, 'DOPPIK', ?, 90)",
        &params![m, bundesland],
    )?;
    for (i, r) in crate::demo::fixture_rows(lr.planzeilen, "planzeilen")?
        .iter()
        .enumerate()
    {
        let l = i + 2;
        let zeile: i64 = field(r, 1, "planzeilen", l)?.parse().map_err(|_| {
            KisError::validation(format!("planzeilen Zeile {l}: Zeilennummer ungültig."))
        })?;
        sql.execute(
            "INSERT INTO fin_planzeile (mandant, plan, zeile, bezeichnung, formel) VALUES (?, ?, ?, ?, ?)",
            &params![m, field(r, 0, "planzeilen", l)?, zeile, field(r, 2, "planzeilen", l)?, field(r, 3, "planzeilen", l)?],
        )?;
    }
    for (i, r) in crate::demo::fixture_rows(lr.bilanzpositionen, "bilanzpositionen")?
        .iter()
        .enumerate()
    {
        let l = i + 2;
        sql.execute(
            "INSERT INTO fin_bilanzposition (mandant, position, seite, bezeichnung) VALUES (?, ?, ?, ?)",
            &params![m, field(r, 0, "bilanzpositionen", l)?, field(r, 1, "bilanzpositionen", l)?, field(r, 2, "bilanzpositionen", l)?],
        )?;
    }
    let rows = crate::demo::fixture_rows(lr.kontenrahmen, "kontenrahmen")?;
    // Finanzkonten first: Ergebniskonten refer to them.
    let mut ordered: Vec<&csv::StringRecord> = rows.iter().collect();
    ordered.sort_by_key(|r| r.get(4).is_some_and(|f| !f.trim().is_empty()));
    for r in ordered {
        let nr = r.get(0).unwrap_or_default().trim();
        if nr.len() != 4 || !nr.chars().all(|c| c.is_ascii_digit()) {
            return Err(KisError::validation(format!(
                "kontenrahmen: Kontonummer „{nr}“ ist nicht vierstellig."
            )));
        }
        let typ = KontoTyp::parse(r.get(2).unwrap_or_default().trim())?;
        let klasse = i64::from(nr.as_bytes()[0] - b'0');
        let finanz = r.get(4).map(str::trim).filter(|f| !f.is_empty());
        sql.execute(
            "INSERT INTO fin_konto (mandant, nr, bezeichnung, klasse, typ, zeile, finanzkonto) VALUES (?, ?, ?, ?, ?, ?, ?)",
            &params![m, nr, r.get(1).unwrap_or_default().trim(), klasse, typ.code(), r.get(3).unwrap_or_default().trim(), finanz],
        )?;
    }
    audit::append(
        sql,
        actor,
        "GELADEN",
        "fin_kontenrahmen",
        bundesland,
        None,
        Some(&serde_json::json!({"konten": rows.len()})),
    )?;
    Ok(rows.len())
}

/// Load a Produktrahmen file (`nr;bezeichnung;verantwortlich`), parents before children.
pub fn load_produkte_in(sql: &mut dyn Sql, actor: &Actor, text: &str) -> Result<usize> {
    let rows = crate::demo::fixture_rows(text, "produktrahmen")?;
    for (i, r) in rows.iter().enumerate() {
        let l = i + 2;
        let nr = field(r, 0, "produktrahmen", l)?;
        let ebene = produkt_ebene(nr)
            .map_err(|e| KisError::validation(format!("produktrahmen Zeile {l}: {e}")))?;
        sql.execute(
            "INSERT INTO fin_produkt (mandant, nr, bezeichnung, ebene, ober, verantwortlich) VALUES (?, ?, ?, ?, ?, ?)",
            &params![actor.mandant.as_str(), nr, field(r, 1, "produktrahmen", l)?, ebene, parent_of(nr), r.get(2).unwrap_or_default().trim()],
        )?;
    }
    Ok(rows.len())
}

/// Load simple `nr;bezeichnung` lists (Kostenstellen, kameral Gliederung).
pub fn load_liste_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    table: ListTable,
    text: &str,
) -> Result<usize> {
    let (name, insert) = match table {
        ListTable::Kostenstelle => (
            "kostenstellen",
            "INSERT INTO fin_kostenstelle (mandant, nr, bezeichnung) VALUES (?, ?, ?)",
        ),
        ListTable::Gliederung => (
            "kameral_gliederung",
            "INSERT INTO fin_kameral_gliederung (mandant, nr, bezeichnung) VALUES (?, ?, ?)",
        ),
    };
    let rows = crate::demo::fixture_rows(text, name)?;
    for (i, r) in rows.iter().enumerate() {
        sql.execute(
            insert,
            &params![
                actor.mandant.as_str(),
                field(r, 0, name, i + 2)?,
                field(r, 1, name, i + 2)?
            ],
        )?;
    }
    Ok(rows.len())
}

#[derive(Clone, Copy)]
pub enum ListTable {
    Kostenstelle,
    Gliederung,
}

/// Load the kameral Gruppierungsplan (`nr;bezeichnung;haushalt;art`).
pub fn load_gruppierung_in(sql: &mut dyn Sql, actor: &Actor, text: &str) -> Result<usize> {
    let rows = crate::demo::fixture_rows(text, "kameral_gruppierung")?;
    for (i, r) in rows.iter().enumerate() {
        let l = i + 2;
        sql.execute(
            "INSERT INTO fin_kameral_gruppierung (mandant, nr, bezeichnung, haushalt, art) VALUES (?, ?, ?, ?, ?)",
            &params![
                actor.mandant.as_str(),
                field(r, 0, "kameral_gruppierung", l)?,
                field(r, 1, "kameral_gruppierung", l)?,
                field(r, 2, "kameral_gruppierung", l)?,
                field(r, 3, "kameral_gruppierung", l)?
            ],
        )?;
    }
    Ok(rows.len())
}

/// Load Haushaltsjahre (`jahr;status;beschluss;bemerkung`).
pub fn load_jahre_in(sql: &mut dyn Sql, actor: &Actor, text: &str) -> Result<()> {
    for (i, r) in crate::demo::fixture_rows(text, "haushaltsjahre")?
        .iter()
        .enumerate()
    {
        let l = i + 2;
        let jahr: i32 = field(r, 0, "haushaltsjahre", l)?.parse().map_err(|_| {
            KisError::validation(format!("haushaltsjahre Zeile {l}: Jahr ungültig."))
        })?;
        let status = JahrStatus::parse(field(r, 1, "haushaltsjahre", l)?)?;
        let beschluss = r.get(2).map(str::trim).filter(|s| !s.is_empty());
        jahr_anlegen_in(
            sql,
            actor,
            jahr,
            status,
            beschluss,
            r.get(3).unwrap_or_default().trim(),
        )?;
    }
    Ok(())
}

/// Shared CSV reader for the other FINAS fixture loaders.
pub(crate) fn fixture_rows(text: &str, file: &str) -> Result<Vec<csv::StringRecord>> {
    crate::demo::fixture_rows(text, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn produkt_levels() {
        assert_eq!(produkt_ebene("01").unwrap(), 1);
        assert_eq!(produkt_ebene("01.01").unwrap(), 2);
        assert_eq!(produkt_ebene("01.01.01").unwrap(), 3);
        assert!(produkt_ebene("1.01").is_err());
        assert!(produkt_ebene("01.01.01.01").is_err());
        assert!(produkt_ebene("").is_err());
        assert_eq!(parent_of("01.01.01"), Some("01.01"));
        assert_eq!(parent_of("01"), None);
    }

    #[test]
    fn nw_kontenrahmen_is_consistent() {
        let lr = landesrahmen("NW").unwrap();
        let rows = crate::demo::fixture_rows(lr.kontenrahmen, "k").unwrap();
        assert!(rows.len() >= 250, "{}", rows.len());
        let nrs: std::collections::HashSet<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
        for r in &rows {
            let typ = KontoTyp::parse(r.get(2).unwrap()).unwrap();
            let klasse = r.get(0).unwrap().as_bytes()[0] - b'0';
            let expected = match klasse {
                0..=3 => KontoTyp::Bilanz,
                4 | 5 => KontoTyp::Ergebnis,
                6 | 7 => KontoTyp::Finanz,
                8 => KontoTyp::Abschluss,
                _ => KontoTyp::Klr,
            };
            assert_eq!(typ, expected, "Konto {}", r.get(0).unwrap());
            if let Some(f) = r.get(4).filter(|f| !f.is_empty()) {
                assert!(nrs.contains(f), "Finanzkonto {f} fehlt");
            }
        }
        assert!(nrs.contains("5431") && nrs.contains("7431") && nrs.contains("1811"));
        assert!(landesrahmen("BY").is_err());
    }
}
