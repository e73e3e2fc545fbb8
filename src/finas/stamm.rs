//! FINAS master data: settings per Mandant, Haushaltsjahre and their
//! periods, the Produktrahmen, the Kontenrahmen of the Mandant's state,
//! Kostenstellen and the kameral Gliederung/Gruppierung. The Kontenrahmen
//! and plan structures are data (fixtures per state), loaded into each
//! Mandant so that a state's differences are a matter of files, not code.

use serde::Serialize;

use super::repo;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
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
    repo::stamm::konto(sql, mandant, nr)?.ok_or_else(|| {
        KisError::field(
            "konto",
            format!("Konto {nr} ist im Kontenrahmen nicht vorhanden."),
        )
    })
}

/// All accounts of the Mandant, by number.
pub fn konten_in(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<Konto>> {
    repo::stamm::konten(sql, mandant)
}

pub fn konten(session: &Session) -> Result<Vec<Konto>> {
    session.require(&[Role::FinasLesen])?;
    session.db.read(|sql| konten_in(sql, &session.mandant.id))
}

/// The account with an Abschluss role (EBK, FRK, …).
pub fn abschlusskonto_in(sql: &mut dyn Sql, mandant: &str, rolle: &str) -> Result<String> {
    repo::stamm::abschlusskonto(sql, mandant, rolle)?.ok_or_else(|| {
        KisError::Conflict(format!("Im Kontenrahmen fehlt das Abschlusskonto {rolle}."))
    })
}

pub fn produkt_in(sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<Produkt> {
    repo::stamm::produkt(sql, mandant, nr)?
        .ok_or_else(|| KisError::field("produkt", format!("Produkt {nr} ist nicht vorhanden.")))
}

/// The Produkte of level 3 (the ones budgets and postings refer to).
pub fn produkte(session: &Session) -> Result<Vec<Produkt>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::stamm::produkte(sql, &session.mandant.id))
}

pub fn kostenstelle_exists(sql: &mut dyn Sql, mandant: &str, nr: &str) -> Result<bool> {
    repo::stamm::kostenstelle_exists(sql, mandant, nr)
}

pub fn jahr_status_in(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<JahrStatus> {
    repo::stamm::jahr_status(sql, mandant, jahr)?
        .ok_or_else(|| KisError::field("jahr", format!("Haushaltsjahr {jahr} ist nicht angelegt.")))
}

/// Whether a period of a year is open for postings.
pub fn periode_offen_in(sql: &mut dyn Sql, mandant: &str, jahr: i32, periode: u8) -> Result<bool> {
    Ok(repo::stamm::periode_status(sql, mandant, jahr, periode)?.as_deref() == Some("OFFEN"))
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
    repo::stamm::jahr_einfuegen(sql, &actor.mandant, jahr, status, beschluss, bemerkung).map_err(
        |e| match e {
            KisError::Conflict(_) => {
                KisError::field("jahr", format!("Haushaltsjahr {jahr} ist schon angelegt."))
            }
            other => other,
        },
    )?;
    let periode_status = if status == JahrStatus::Geschlossen {
        "GESCHLOSSEN"
    } else {
        "OFFEN"
    };
    for p in 0..=16i64 {
        repo::stamm::periode_einfuegen(sql, &actor.mandant, jahr, p, periode_status)?;
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
        repo::stamm::jahr_status_schreiben(sql, &actor.mandant, jahr, status)?;
        if status == JahrStatus::Geschlossen {
            repo::stamm::perioden_schliessen(sql, &actor.mandant, jahr)?;
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

/// One period of a Haushaltsjahr: 0 Eröffnung, 1–12 the months, 13–16
/// the closing periods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Periode {
    pub periode: u8,
    pub offen: bool,
}

impl Periode {
    /// The period's name for lists: `Eröffnung`, `März`, `Abschluss 13`.
    pub fn bezeichnung(&self) -> String {
        const MONATE: [&str; 12] = [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ];
        match self.periode {
            0 => "Eröffnung".into(),
            p @ 1..=12 => MONATE[usize::from(p) - 1].into(),
            p => format!("Abschluss {p}"),
        }
    }

    pub fn status(&self) -> &'static str {
        if self.offen { "offen" } else { "geschlossen" }
    }
}

/// The periods of a year with their state (FIN120).
pub fn perioden(session: &Session, jahr: i32) -> Result<Vec<Periode>> {
    session.require(&[Role::FinasLesen])?;
    let m = session.mandant.id.as_str();
    session.db.read(|sql| {
        jahr_status_in(sql, m, jahr)?;
        Ok(repo::stamm::perioden(sql, m, jahr)?
            .into_iter()
            .map(|(periode, status)| Periode {
                periode,
                offen: status == "OFFEN",
            })
            .collect())
    })
}

/// Open or close one period (Monatsabschluss). Needs the
/// Anordnungsbefugnis; a closed year's periods stay closed; a period that
/// already has the state is refused by name. Closing only stops new
/// postings: what is posted stays, a correction goes by Storno into an
/// open period.
pub fn periode_setzen(session: &Session, jahr: i32, periode: u8, offen: bool) -> Result<()> {
    session.require(&[Role::FinasAnordnung])?;
    if periode > 16 {
        return Err(KisError::field("periode", "Periode 0 bis 16 angeben."));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        let jahr_status = jahr_status_in(sql, &actor.mandant, jahr)?;
        if offen && jahr_status == JahrStatus::Geschlossen {
            return Err(KisError::Conflict(format!(
                "Haushaltsjahr {jahr} ist geschlossen; Perioden können nicht wieder geöffnet werden."
            )));
        }
        let status = if offen { "OFFEN" } else { "GESCHLOSSEN" };
        let vorher = repo::stamm::periode_status(sql, &actor.mandant, jahr, periode)?
            .ok_or_else(|| {
                KisError::field("jahr", format!("Haushaltsjahr {jahr} ist nicht angelegt."))
            })?;
        if vorher == status {
            return Err(KisError::Conflict(format!(
                "Periode {jahr}-{periode:02} ist bereits {}.",
                if offen { "offen" } else { "geschlossen" }
            )));
        }
        repo::stamm::periode_status_schreiben(sql, &actor.mandant, jahr, periode, status)?;
        audit::append(
            sql,
            &actor,
            if offen { "GEOEFFNET" } else { "GESCHLOSSEN" },
            "fin_periode",
            &format!("{jahr}/{periode:02}"),
            Some(&serde_json::json!({"status": vorher})),
            Some(&serde_json::json!({"status": status})),
        )?;
        Ok(())
    })
}

/// The warning threshold (percent of the available budget) of the Mandant.
pub fn warnschwelle_in(sql: &mut dyn Sql, mandant: &str) -> Result<i64> {
    Ok(repo::stamm::warnschwelle(sql, mandant)?.unwrap_or(90))
}

/// Whether the Mandant budgets kameral.
pub fn ist_kameral_in(sql: &mut dyn Sql, mandant: &str) -> Result<bool> {
    Ok(repo::stamm::haushaltsart(sql, mandant)?.as_deref() == Some("KAMERAL"))
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
    repo::stamm::einstellung_einfuegen(sql, m, bundesland)?;
    for (i, r) in crate::core::csv_import::fixture_rows(lr.planzeilen, "planzeilen")?
        .iter()
        .enumerate()
    {
        let l = i + 2;
        let zeile: i64 = field(r, 1, "planzeilen", l)?.parse().map_err(|_| {
            KisError::validation(format!("planzeilen Zeile {l}: Zeilennummer ungültig."))
        })?;
        repo::stamm::planzeile_einfuegen(
            sql,
            m,
            field(r, 0, "planzeilen", l)?,
            zeile,
            field(r, 2, "planzeilen", l)?,
            field(r, 3, "planzeilen", l)?,
        )?;
    }
    for (i, r) in crate::core::csv_import::fixture_rows(lr.bilanzpositionen, "bilanzpositionen")?
        .iter()
        .enumerate()
    {
        let l = i + 2;
        repo::stamm::bilanzposition_einfuegen(
            sql,
            m,
            field(r, 0, "bilanzpositionen", l)?,
            field(r, 1, "bilanzpositionen", l)?,
            field(r, 2, "bilanzpositionen", l)?,
        )?;
    }
    let rows = crate::core::csv_import::fixture_rows(lr.kontenrahmen, "kontenrahmen")?;
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
        let konto = Konto {
            nr: nr.into(),
            bezeichnung: r.get(1).unwrap_or_default().trim().into(),
            klasse: nr.as_bytes()[0] - b'0',
            typ,
            zeile: r.get(3).unwrap_or_default().trim().into(),
            finanzkonto: r
                .get(4)
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(Into::into),
        };
        repo::stamm::konto_einfuegen(sql, m, &konto)?;
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
    let rows = crate::core::csv_import::fixture_rows(text, "produktrahmen")?;
    for (i, r) in rows.iter().enumerate() {
        let l = i + 2;
        let nr = field(r, 0, "produktrahmen", l)?;
        let ebene = produkt_ebene(nr)
            .map_err(|e| KisError::validation(format!("produktrahmen Zeile {l}: {e}")))?;
        let produkt = Produkt {
            nr: nr.into(),
            bezeichnung: field(r, 1, "produktrahmen", l)?.into(),
            ebene,
            verantwortlich: r.get(2).unwrap_or_default().trim().into(),
        };
        repo::stamm::produkt_einfuegen(sql, &actor.mandant, &produkt, parent_of(nr))?;
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
    let name = match table {
        ListTable::Kostenstelle => "kostenstellen",
        ListTable::Gliederung => "kameral_gliederung",
    };
    let rows = crate::core::csv_import::fixture_rows(text, name)?;
    for (i, r) in rows.iter().enumerate() {
        repo::stamm::listeneintrag_einfuegen(
            sql,
            table,
            &actor.mandant,
            field(r, 0, name, i + 2)?,
            field(r, 1, name, i + 2)?,
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
    let rows = crate::core::csv_import::fixture_rows(text, "kameral_gruppierung")?;
    for (i, r) in rows.iter().enumerate() {
        let l = i + 2;
        repo::stamm::gruppierung_einfuegen(
            sql,
            &actor.mandant,
            field(r, 0, "kameral_gruppierung", l)?,
            field(r, 1, "kameral_gruppierung", l)?,
            field(r, 2, "kameral_gruppierung", l)?,
            field(r, 3, "kameral_gruppierung", l)?,
        )?;
    }
    Ok(rows.len())
}

/// Load Haushaltsjahre (`jahr;status;beschluss;bemerkung`).
pub fn load_jahre_in(sql: &mut dyn Sql, actor: &Actor, text: &str) -> Result<()> {
    for (i, r) in crate::core::csv_import::fixture_rows(text, "haushaltsjahre")?
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
        let rows = crate::core::csv_import::fixture_rows(lr.kontenrahmen, "k").unwrap();
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
