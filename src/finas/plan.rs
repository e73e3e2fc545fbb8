//! The Haushaltsplan: versions (Entwurf → beschlossen → Nachtrag n, old
//! versions stay readable), Ansätze per Produkt × Konto for the budget year
//! and three planning years, Verpflichtungsermächtigungen, Deckungsringe,
//! and the reports Gesamtergebnisplan, Gesamtfinanzplan and Teilpläne per
//! Produkt(-bereich) with the Ergebnis of the year before last and the
//! Ansatz of last year alongside.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::repo;
use super::stamm::{self, JahrStatus, KontoTyp};
use super::ueberwachung;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::core::sanitize::{csv_text_cell, sanitize_line};
use crate::kernel::audit::{self, Actor};
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "fin_planversion";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub jahr: i32,
    pub version: i64,
    pub nachtrag: i64,
    pub beschlossen: bool,
    pub bezeichnung: String,
    pub beschluss: Option<NaiveDate>,
}

/// One Ansatz: budget year and the three planning years, in cents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ansatz {
    pub produkt: String,
    pub konto: String,
    pub betrag: Money,
    pub plan: [Money; 3],
}

pub fn versionen_in(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Vec<Version>> {
    repo::plan::versionen(sql, mandant, jahr)
}

pub fn versionen(session: &Session, jahr: i32) -> Result<Vec<Version>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| versionen_in(sql, &session.mandant.id, jahr))
}

/// Start a new version: the Entwurf of the Haushalt if there is none yet,
/// else the next Nachtrag as a copy of the plan in force. Only one open
/// Entwurf per year.
pub fn version_anlegen(session: &Session, jahr: i32, bezeichnung: &str) -> Result<i64> {
    session.require(&[Role::FinasAendern])?;
    let actor = session.actor();
    session
        .db
        .write(|sql| version_anlegen_in(sql, &actor, jahr, bezeichnung))
}

pub fn version_anlegen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    bezeichnung: &str,
) -> Result<i64> {
    let m = actor.mandant.as_str();
    if stamm::jahr_status_in(sql, m, jahr)? == JahrStatus::Geschlossen {
        return Err(KisError::Conflict(format!(
            "Haushaltsjahr {jahr} ist geschlossen."
        )));
    }
    let vs = versionen_in(sql, m, jahr)?;
    if let Some(e) = vs.iter().find(|v| !v.beschlossen) {
        return Err(KisError::Conflict(format!(
            "Für {jahr} ist die Version {} „{}“ noch im Entwurf.",
            e.version, e.bezeichnung
        )));
    }
    let version = vs.last().map_or(1, |v| v.version + 1);
    let nachtrag = if vs.is_empty() {
        0
    } else {
        vs.iter().map(|v| v.nachtrag).max().unwrap_or(0) + 1
    };
    let bezeichnung = match bezeichnung.trim() {
        "" if nachtrag == 0 => format!("Haushaltsplan {jahr}"),
        "" => format!("{nachtrag}. Nachtrag {jahr}"),
        b => b.to_string(),
    };
    repo::plan::version_einfuegen(sql, actor, jahr, version, nachtrag, &bezeichnung)?;
    if let Some(vorher) = vs.last() {
        repo::plan::version_kopieren(sql, m, jahr, vorher.version, version)?;
    }
    audit::append(
        sql,
        actor,
        "ANGELEGT",
        ENTITY,
        &format!("{jahr}/{version}"),
        None,
        Some(&serde_json::json!({"bezeichnung": bezeichnung, "nachtrag": nachtrag})),
    )?;
    Ok(version)
}

fn require_entwurf(sql: &mut dyn Sql, mandant: &str, jahr: i32, version: i64) -> Result<()> {
    let status = repo::plan::version_status(sql, mandant, jahr, version)?.ok_or_else(|| {
        KisError::NotFound(format!(
            "Planversion {version} für {jahr} ist nicht vorhanden."
        ))
    })?;
    if status != "ENTWURF" {
        return Err(KisError::Conflict(format!(
            "Planversion {version} für {jahr} ist beschlossen und kann nicht mehr geändert werden; bitte einen Nachtrag anlegen."
        )));
    }
    Ok(())
}

/// Set (or with all amounts zero remove) an Ansatz in a draft version.
pub fn ansatz_setzen(session: &Session, jahr: i32, version: i64, a: &Ansatz) -> Result<()> {
    session.require(&[Role::FinasAendern])?;
    let actor = session.actor();
    session
        .db
        .write(|sql| ansatz_setzen_in(sql, &actor, jahr, version, a))
}

pub fn ansatz_setzen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    version: i64,
    a: &Ansatz,
) -> Result<()> {
    let m = actor.mandant.as_str();
    require_entwurf(sql, m, jahr, version)?;
    let p = stamm::produkt_in(sql, m, a.produkt.trim())?;
    if p.ebene != 3 {
        return Err(KisError::field(
            "produkt",
            format!("{} ist kein Produkt (Ebene 3).", p.nr),
        ));
    }
    let k = stamm::konto_in(sql, m, a.konto.trim())?;
    if !matches!(k.typ, KontoTyp::Ergebnis | KontoTyp::Finanz) {
        return Err(KisError::field(
            "konto",
            format!(
                "Konto {} ist kein Ergebnis- oder Finanzkonto; Ansätze gibt es nur dort.",
                k.nr
            ),
        ));
    }
    let werte = [a.betrag, a.plan[0], a.plan[1], a.plan[2]];
    if werte.iter().any(|w| w.is_negative()) {
        return Err(KisError::field(
            "betrag",
            "Ansätze sind nicht negativ (Erträge und Aufwendungen jeweils positiv).",
        ));
    }
    let key = format!("{jahr}/{version}/{}/{}", p.nr, k.nr);
    let before = repo::plan::ansatz_werte(sql, m, jahr, version, &p.nr, &k.nr)?
        .map(|w| serde_json::json!(w));
    repo::plan::ansatz_loeschen(sql, m, jahr, version, &p.nr, &k.nr)?;
    let after = if werte.iter().all(|w| w.is_zero()) {
        None
    } else {
        let ansatz = Ansatz {
            produkt: p.nr.clone(),
            konto: k.nr.clone(),
            betrag: werte[0],
            plan: [werte[1], werte[2], werte[3]],
        };
        repo::plan::ansatz_einfuegen(sql, m, jahr, version, &ansatz)?;
        Some(serde_json::json!(
            werte.iter().map(Money::cents).collect::<Vec<_>>()
        ))
    };
    audit::append(
        sql,
        actor,
        "ANSATZ",
        "fin_ansatz",
        &key,
        before.as_ref(),
        after.as_ref(),
    )?;
    Ok(())
}

/// Adopt a draft version (Ratsbeschluss, GO NRW § 80 with § 81 for a
/// Nachtrag); it becomes the plan in force and its Ansätze cannot be
/// changed afterwards. Needs the Anordnungsbefugnis; the date of the
/// council's decision cannot lie after today. Returns the version adopted.
pub fn beschliessen(
    session: &Session,
    jahr: i32,
    version: i64,
    datum: NaiveDate,
) -> Result<Version> {
    session.require(&[Role::FinasAnordnung])?;
    if datum > session.today() {
        return Err(KisError::field(
            "beschluss",
            format!(
                "Das Beschlussdatum {} liegt in der Zukunft; bitte das Datum des Ratsbeschlusses angeben.",
                crate::core::date::format_date_de(datum)
            ),
        ));
    }
    let actor = session.actor();
    session.db.write(|sql| {
        beschliessen_in(sql, &actor, jahr, version, datum)?;
        versionen_in(sql, &actor.mandant, jahr)?
            .into_iter()
            .find(|v| v.version == version)
            .ok_or_else(|| {
                KisError::NotFound(format!(
                    "Planversion {version} für {jahr} ist nicht vorhanden."
                ))
            })
    })
}

/// The draft version of a year (the one [`beschliessen`] would adopt when
/// no version is named).
pub fn entwurf(session: &Session, jahr: i32) -> Result<Version> {
    versionen(session, jahr)?
        .into_iter()
        .find(|v| !v.beschlossen)
        .ok_or_else(|| {
            KisError::field(
                "version",
                format!("Für {jahr} ist keine Planversion im Entwurf."),
            )
        })
}

pub fn beschliessen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    version: i64,
    datum: NaiveDate,
) -> Result<()> {
    let m = actor.mandant.as_str();
    if repo::plan::version_status(sql, m, jahr, version)?.as_deref() == Some("BESCHLOSSEN") {
        return Err(KisError::Conflict(format!(
            "Planversion {version} für {jahr} ist bereits beschlossen."
        )));
    }
    require_entwurf(sql, m, jahr, version)?;
    if stamm::jahr_status_in(sql, m, jahr)? == JahrStatus::Geschlossen {
        return Err(KisError::Conflict(format!(
            "Haushaltsjahr {jahr} ist geschlossen."
        )));
    }
    repo::plan::version_beschliessen(sql, m, jahr, version, datum)?;
    audit::append(
        sql,
        actor,
        "BESCHLOSSEN",
        ENTITY,
        &format!("{jahr}/{version}"),
        None,
        Some(&serde_json::json!({"beschluss": datum.to_string()})),
    )?;
    Ok(())
}

pub fn ansaetze_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: i64,
) -> Result<Vec<Ansatz>> {
    repo::plan::ansaetze(sql, mandant, jahr, version)
}

pub fn ansaetze(session: &Session, jahr: i32, version: i64) -> Result<Vec<Ansatz>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| ansaetze_in(sql, &session.mandant.id, jahr, version))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ve {
    pub massnahme: String,
    pub bezeichnung: String,
    pub produkt: String,
    pub konto: String,
    pub betrag: Money,
    pub faellig: [Money; 3],
}

/// Record a Verpflichtungsermächtigung in a draft version; the amount is
/// split over the three following years.
pub fn ve_setzen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    version: i64,
    ve: &Ve,
) -> Result<()> {
    let m = actor.mandant.as_str();
    require_entwurf(sql, m, jahr, version)?;
    if ve.massnahme.trim().is_empty() || ve.bezeichnung.trim().is_empty() {
        return Err(KisError::field(
            "massnahme",
            "Maßnahme und Bezeichnung angeben.",
        ));
    }
    let summe: i64 = ve.faellig.iter().map(Money::cents).sum();
    if ve.betrag.cents() <= 0
        || summe != ve.betrag.cents()
        || ve.faellig.iter().any(Money::is_negative)
    {
        return Err(KisError::field(
            "betrag",
            "Die VE muss positiv sein und sich vollständig auf die Folgejahre verteilen.",
        ));
    }
    stamm::produkt_in(sql, m, &ve.produkt)?;
    stamm::konto_in(sql, m, &ve.konto)?;
    let getrimmt = Ve {
        massnahme: ve.massnahme.trim().into(),
        bezeichnung: ve.bezeichnung.trim().into(),
        ..ve.clone()
    };
    repo::plan::ve_schreiben(sql, m, jahr, version, &getrimmt)?;
    audit::append(
        sql,
        actor,
        "VE",
        "fin_ve",
        &format!("{jahr}/{version}/{}", ve.massnahme.trim()),
        None,
        Some(&audit::json(ve)?),
    )?;
    Ok(())
}

pub fn ves(session: &Session, jahr: i32, version: i64) -> Result<Vec<Ve>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| repo::plan::ves(sql, &session.mandant.id, jahr, version))
}

/// Put a position into a Deckungsring (creating the ring on first use).
#[allow(clippy::too_many_arguments)]
pub fn deckungsring_setzen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    jahr: i32,
    ring: &str,
    bezeichnung: &str,
    produkt: &str,
    konto: &str,
    rolle: &str,
) -> Result<()> {
    if !matches!(rolle, "gibt" | "nimmt" | "beide") {
        return Err(KisError::field(
            "rolle",
            "Rolle im Deckungsring: gibt, nimmt oder beide.",
        ));
    }
    let m = actor.mandant.as_str();
    stamm::produkt_in(sql, m, produkt)?;
    stamm::konto_in(sql, m, konto)?;
    repo::plan::deckungsring_schreiben(sql, m, jahr, ring, bezeichnung)?;
    repo::plan::deckungsring_position_einfuegen(sql, m, jahr, ring, produkt, konto, rolle)
        .map_err(|e| match e {
            KisError::Conflict(_) => KisError::field(
                "konto",
                format!("{produkt}/{konto} gehört schon zu einem Deckungsring."),
            ),
            other => other,
        })?;
    audit::append(
        sql,
        actor,
        "DECKUNGSRING",
        "fin_deckungsring",
        &format!("{jahr}/{ring}"),
        None,
        Some(&serde_json::json!({"produkt": produkt, "konto": konto, "rolle": rolle})),
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Reports

/// Which plan: Ergebnisplan or Finanzplan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    Ergebnis,
    Finanz,
}

impl Plan {
    pub fn code(self) -> &'static str {
        match self {
            Plan::Ergebnis => "E",
            Plan::Finanz => "F",
        }
    }

    pub fn titel(self) -> &'static str {
        match self {
            Plan::Ergebnis => "Ergebnisplan",
            Plan::Finanz => "Finanzplan",
        }
    }
}

/// One line of a plan report; amounts signed (Erträge/Einzahlungen positive,
/// Aufwendungen/Auszahlungen negative). Columns: Ergebnis of the year before
/// last, Ansatz of last year, Ansatz, planning years 1–3.
pub type PlanZeile = PlanZeileN<6>;

pub const SPALTEN: [&str; 6] = [
    "Ergebnis Vorvorjahr",
    "Ansatz Vorjahr",
    "Ansatz",
    "Planung +1",
    "Planung +2",
    "Planung +3",
];

/// Signed value of an account amount in the plans: + for classes 4/6.
fn vorzeichen(klasse: u8) -> i64 {
    if klasse == 4 || klasse == 6 { 1 } else { -1 }
}

/// Compute a plan report: the Gesamtplan (`produkt` None) or the Teilplan of
/// a Produktbereich, Produktgruppe or Produkt (prefix of the number).
pub fn plan_bericht_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    version: Option<i64>,
    plan: Plan,
    produkt: Option<&str>,
) -> Result<Vec<PlanZeile>> {
    let konten: BTreeMap<String, stamm::Konto> = stamm::konten_in(sql, mandant)?
        .into_iter()
        .map(|k| (k.nr.clone(), k))
        .collect();
    let matches_produkt =
        |p: &str| produkt.is_none_or(|pre| p == pre || p.starts_with(&format!("{pre}.")));
    // The plan line of an account in this plan (Ergebniskonten feed the
    // Finanzplan through their Finanzkonto).
    let zeile_von = |konto: &str| -> Option<(i64, i64)> {
        let k = konten.get(konto)?;
        let ziel = match (plan, k.typ) {
            (Plan::Ergebnis, KontoTyp::Ergebnis) => k,
            (Plan::Finanz, KontoTyp::Finanz) => k,
            (Plan::Finanz, KontoTyp::Ergebnis) => konten.get(k.finanzkonto.as_deref()?)?,
            _ => return None,
        };
        Some((ziel.zeile.parse().ok()?, vorzeichen(ziel.klasse)))
    };
    let mut werte: BTreeMap<i64, [i64; 6]> = BTreeMap::new();
    let mut ansatz_spalten =
        |sql: &mut dyn Sql, j: i32, v: i64, spalte: usize, alle: bool| -> Result<()> {
            for a in ansaetze_in(sql, mandant, j, v)? {
                if !matches_produkt(&a.produkt) {
                    continue;
                }
                if let Some((z, sign)) = zeile_von(&a.konto) {
                    let w = werte.entry(z).or_default();
                    w[spalte] += sign * a.betrag.cents();
                    if alle {
                        for i in 0..3 {
                            w[spalte + 1 + i] += sign * a.plan[i].cents();
                        }
                    }
                }
            }
            Ok(())
        };
    let geltend = |sql: &mut dyn Sql, j: i32| -> Result<Option<i64>> {
        Ok(ueberwachung::versionen_in(sql, mandant, j)?.map(|v| v.1))
    };
    let v = match version {
        Some(v) => Some(v),
        None => geltend(sql, jahr)?,
    };
    if let Some(v) = v {
        ansatz_spalten(sql, jahr, v, 2, true)?;
    }
    if let Some(v) = geltend(sql, jahr - 1)? {
        ansatz_spalten(sql, jahr - 1, v, 1, false)?;
    }
    // Ergebnis of the year before last from the journal: Haben − Soll is the signed plan value.
    for (konto, p, ist) in repo::plan::ist_je_position(sql, mandant, jahr - 2)? {
        let k = konten.get(&konto);
        // Only the plan's own account type counts as Ist (no double counting in the Finanzrechnung).
        let eigen = matches!(
            (plan, k.map(|k| k.typ)),
            (Plan::Ergebnis, Some(KontoTyp::Ergebnis)) | (Plan::Finanz, Some(KontoTyp::Finanz))
        );
        if eigen
            && matches_produkt(&p)
            && let Some((z, _)) = zeile_von(&konto)
        {
            werte.entry(z).or_default()[0] += ist;
        }
    }
    zeilen_mit_summen(sql, mandant, plan, &werte)
}

/// The plan lines with their values and the formula lines computed.
pub(crate) fn zeilen_mit_summen<const N: usize>(
    sql: &mut dyn Sql,
    mandant: &str,
    plan: Plan,
    werte: &BTreeMap<i64, [i64; N]>,
) -> Result<Vec<PlanZeileN<N>>> {
    let mut out: Vec<PlanZeileN<N>> = Vec::new();
    let mut berechnet: BTreeMap<i64, [i64; N]> = BTreeMap::new();
    for z in repo::plan::planzeilen(sql, mandant, plan)? {
        let summe = !z.formel.trim().is_empty();
        let w = if summe {
            formel_auswerten(&z.formel, &berechnet)?
        } else {
            werte.get(&z.zeile).copied().unwrap_or([0; N])
        };
        berechnet.insert(z.zeile, w);
        out.push(PlanZeileN {
            zeile: z.zeile,
            bezeichnung: z.bezeichnung,
            summe,
            werte: w,
        });
    }
    Ok(out)
}

/// A plan line with `N` value columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanZeileN<const N: usize> {
    pub zeile: i64,
    pub bezeichnung: String,
    pub summe: bool,
    pub werte: [i64; N],
}

/// Evaluate `1+2-3` over lines computed before.
fn formel_auswerten<const N: usize>(
    formel: &str,
    zeilen: &BTreeMap<i64, [i64; N]>,
) -> Result<[i64; N]> {
    let mut out = [0i64; N];
    let mut sign = 1i64;
    let mut num = String::new();
    let mut apply = |num: &mut String, sign: i64| -> Result<()> {
        if num.is_empty() {
            return Ok(());
        }
        let z: i64 = num
            .parse()
            .map_err(|_| KisError::validation(format!("Planzeilen-Formel „{formel}“ ungültig.")))?;
        let w = zeilen.get(&z).ok_or_else(|| {
            KisError::validation(format!(
                "Planzeilen-Formel „{formel}“: Zeile {z} steht nicht davor."
            ))
        })?;
        for i in 0..N {
            out[i] += sign * w[i];
        }
        num.clear();
        Ok(())
    };
    for c in formel.chars() {
        match c {
            '0'..='9' => num.push(c),
            '+' | '-' => {
                apply(&mut num, sign)?;
                sign = if c == '+' { 1 } else { -1 };
            }
            ' ' => {}
            _ => {
                return Err(KisError::validation(format!(
                    "Planzeilen-Formel „{formel}“ ungültig."
                )));
            }
        }
    }
    apply(&mut num, sign)?;
    Ok(out)
}

pub fn plan_bericht(
    session: &Session,
    jahr: i32,
    version: Option<i64>,
    plan: Plan,
    produkt: Option<&str>,
) -> Result<Vec<PlanZeile>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| plan_bericht_in(sql, &session.mandant.id, jahr, version, plan, produkt))
}

fn eur(c: i64) -> String {
    Money::from_cents(c).format_de()
}

/// The plan report as a text document (Gesamt- or Teilplan).
pub fn plan_text(titel: &str, jahr: i32, zeilen: &[PlanZeile]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", sanitize_line(titel));
    let _ = writeln!(s);
    let _ = write!(s, "{:>3} {:<52}", "Nr", "Bezeichnung");
    let jahre = [jahr - 2, jahr - 1, jahr, jahr + 1, jahr + 2, jahr + 3];
    let kopf = [
        "Ergebnis", "Ansatz", "Ansatz", "Planung", "Planung", "Planung",
    ];
    for (k, j) in kopf.iter().zip(jahre) {
        let _ = write!(s, " {:>17}", format!("{k} {j}"));
    }
    let _ = writeln!(s);
    for z in zeilen {
        let name: String = z.bezeichnung.chars().take(52).collect();
        let name = if z.summe { format!("= {name}") } else { name };
        let _ = write!(
            s,
            "{:>3} {:<52}",
            z.zeile,
            name.chars().take(52).collect::<String>()
        );
        for w in z.werte {
            let _ = write!(s, " {:>17}", eur(w));
        }
        let _ = writeln!(s);
    }
    s
}

/// The plan report as CSV (`;`, German amounts).
pub fn plan_csv(jahr: i32, zeilen: &[PlanZeile]) -> String {
    let mut s = format!(
        "zeile;bezeichnung;summenzeile;ergebnis_{};ansatz_{};ansatz_{};planung_{};planung_{};planung_{}\n",
        jahr - 2,
        jahr - 1,
        jahr,
        jahr + 1,
        jahr + 2,
        jahr + 3
    );
    for z in zeilen {
        let _ = write!(
            s,
            "{};{};{}",
            z.zeile,
            csv_text(&z.bezeichnung),
            if z.summe { "ja" } else { "nein" }
        );
        for w in z.werte {
            let _ = write!(s, ";{}", eur(w));
        }
        s.push('\n');
    }
    s
}

/// A text field for `;`-CSV: sanitised, neutralised against formulas
/// ([`csv_text_cell`]) and quoted where needed.
pub fn csv_text(t: &str) -> String {
    let t = csv_text_cell(t);
    if t.contains([';', '"']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_add_and_subtract_earlier_lines() {
        let mut z = BTreeMap::new();
        z.insert(1, [100, 1]);
        z.insert(2, [-30, 2]);
        assert_eq!(formel_auswerten("1+2", &z).unwrap(), [70, 3]);
        assert_eq!(formel_auswerten("1 - 2", &z).unwrap(), [130, -1]);
        assert!(formel_auswerten("1+3", &z).is_err());
        assert!(formel_auswerten("1*2", &z).is_err());
    }

    #[test]
    fn csv_text_quotes_separators() {
        assert_eq!(csv_text("a;b"), "\"a;b\"");
        assert_eq!(csv_text("Ansatz"), "Ansatz");
    }

    #[test]
    fn csv_text_neutralises_formulas() {
        assert_eq!(csv_text("=1+1"), "'=1+1");
        assert_eq!(csv_text("@A1;x"), "\"'@A1;x\"");
    }
}
