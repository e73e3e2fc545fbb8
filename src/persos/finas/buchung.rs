//! The posting of a payroll run into the FINAS journal and its Storno
//! (see the module [`super`]).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::json;

use super::uebersicht::{Auszahlung, VerbindlichkeitZeile};
use crate::core::error::{KisError, Result};
use crate::core::feiertage::Bundesland;
use crate::core::ids;
use crate::core::money::Money;
use crate::finas::journal::{self, BuchungInput, ZeileInput};
use crate::finas::kasse::model::{Vorbuchung, VorgebuchteAuszahlung};
use crate::finas::kasse::vorgebucht;
use crate::finas::stamm as finas_stamm;
use crate::kernel::audit::{self, Actor};
use crate::kernel::auth;
use crate::persos::abrechnung::{Abrechnung, Beschaeftigungsart};
use crate::persos::laufdaten::Monat;
use crate::persos::repo;
use crate::persos::stamm::{self, Employee};
use crate::store::Sql;

pub const ENTITY: &str = "persos_buchung";

/// The three kinds of Personalaufwand a payroll result produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Aufwand {
    Dienstaufwendungen,
    Versorgungskassen,
    Sozialversicherung,
}

/// Whom the expense is for: the fourth digit of the NKF accounts of
/// Kontengruppe 50 (1 Beamte, 2 tariflich Beschäftigte, 9 sonstige).
/// Tariflich are those paid by the TVöD/TVAöD tables (Tarif, Auszubildende);
/// sonstige those with an agreed amount outside the tables (Minijob,
/// Praktikant).
fn gruppe(art: Beschaeftigungsart) -> usize {
    match art {
        Beschaeftigungsart::Beamter => 0,
        Beschaeftigungsart::Tarif | Beschaeftigungsart::Auszubildende => 1,
        Beschaeftigungsart::Minijob | Beschaeftigungsart::Praktikant => 2,
    }
}

/// Which figure of a payroll result goes to which expense account:
/// NKF-Kontenrahmen NRW, Kontengruppe 50 Personalaufwendungen, accounts for
/// [Beamte, tariflich Beschäftigte, sonstige Beschäftigte].
/// - 501 Dienstaufwendungen: the gross pay (with the employer's VL and the
///   Jahressonderzahlung) and the Minijob Pauschsteuer (§ 40a Abs. 2 EStG,
///   borne by the employer);
/// - 502 Beiträge zu Versorgungskassen: the ZVK Umlage;
/// - 503 Beiträge zur gesetzlichen Sozialversicherung: the employer shares,
///   the Umlagen U1/U2/U3, the Minijob flat-rate contributions and the
///   employer's subsidy to a private KV/PV (§ 257 SGB V, § 61 SGB XI).
///
/// 504 Beihilfen is not fed by the payroll: Beihilfe is granted on
/// application, and Beamte are not computed yet.
pub const AUFWANDSKONTEN: [(Aufwand, [&str; 3]); 3] = [
    (Aufwand::Dienstaufwendungen, ["5011", "5012", "5019"]),
    (Aufwand::Versorgungskassen, ["5021", "5022", "5029"]),
    (Aufwand::Sozialversicherung, ["5031", "5032", "5039"]),
];

/// The kinds of liability a payroll run leaves, as stored in `persos_verbindlichkeit.art`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbindlichkeit {
    Lohnsteuer,
    Soli,
    Kirchensteuer,
    /// Total contributions to one Krankenkasse (Einzugsstelle).
    Sozialversicherung,
    Zvk,
    /// Vermögenswirksame Leistungen to the employees' savings contracts.
    Vl,
    /// Net pay (Auszahlungsbeträge) to the employees.
    Netto,
}

/// The liability accounts: NKF-Kontenrahmen NRW, Kontenart 371 Sonstige
/// Verbindlichkeiten, with the municipality's own fourth digit (the
/// Kontenrahmen binds the Kontenart; 3711 stays the general account).
pub const VERBINDLICHKEITSKONTEN: [(Verbindlichkeit, &str); 7] = [
    (Verbindlichkeit::Lohnsteuer, "3712"),
    (Verbindlichkeit::Soli, "3712"),
    (Verbindlichkeit::Kirchensteuer, "3712"),
    (Verbindlichkeit::Sozialversicherung, "3713"),
    (Verbindlichkeit::Zvk, "3714"),
    (Verbindlichkeit::Netto, "3715"),
    (Verbindlichkeit::Vl, "3716"),
];

impl Verbindlichkeit {
    const ALLE: [Verbindlichkeit; 7] = [
        Verbindlichkeit::Lohnsteuer,
        Verbindlichkeit::Soli,
        Verbindlichkeit::Kirchensteuer,
        Verbindlichkeit::Sozialversicherung,
        Verbindlichkeit::Zvk,
        Verbindlichkeit::Vl,
        Verbindlichkeit::Netto,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Verbindlichkeit::Lohnsteuer => "LOHNSTEUER",
            Verbindlichkeit::Soli => "SOLI",
            Verbindlichkeit::Kirchensteuer => "KIRCHENSTEUER",
            Verbindlichkeit::Sozialversicherung => "SV",
            Verbindlichkeit::Zvk => "ZVK",
            Verbindlichkeit::Vl => "VL",
            Verbindlichkeit::Netto => "NETTO",
        }
    }

    pub fn parse(s: &str) -> Result<Verbindlichkeit> {
        Self::ALLE
            .into_iter()
            .find(|v| v.code() == s)
            .ok_or_else(|| KisError::Db(format!("Verbindlichkeitsart „{s}“ unbekannt.")))
    }

    pub fn konto(self) -> &'static str {
        VERBINDLICHKEITSKONTEN
            .iter()
            .find(|(v, _)| *v == self)
            .map_or("", |(_, k)| *k)
    }
}

/// One employee's result split into what is posted where (cents).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Anteile {
    /// By [`Aufwand`] in the order of [`AUFWANDSKONTEN`].
    aufwand: [i64; 3],
    lohnsteuer: i64,
    soli: i64,
    kirchensteuer: i64,
    /// Everything owed to the employee's Krankenkasse.
    sv: i64,
    zvk: i64,
    vl: i64,
    auszahlung: i64,
}

/// Splits a result. Soll (expense) equals Haben (liabilities): the gross
/// pay is the taxes + the employee's contributions + VL + the net pay
/// without the PKV subsidy, which the employer pays on top.
fn anteile(a: &Abrechnung) -> Anteile {
    let sv = &a.sv;
    Anteile {
        aufwand: [
            (a.gesamtbrutto + sv.pauschsteuer).cents(),
            a.zvk_umlage.cents(),
            (sv.summe_ag() + sv.umlagen() + a.pkv_zuschuss).cents(),
        ],
        lohnsteuer: a.lohnsteuer.cents(),
        soli: a.soli.cents(),
        kirchensteuer: a.kirchensteuer.cents(),
        sv: (sv.summe_an() + sv.summe_ag() + sv.umlagen() + sv.pauschsteuer).cents(),
        zvk: a.zvk_umlage.cents(),
        vl: a.vl_abzug.cents(),
        auszahlung: a.auszahlung_eigen().cents(),
    }
}

/// One employee of the run with what the posting needs, collected by the
/// run as it computes (see [`Posten::aus`]).
pub(crate) struct Posten {
    pnr: String,
    name: String,
    nachname: String,
    vorname: String,
    strasse: String,
    plz: String,
    ort: String,
    kostenstelle: String,
    produkt: String,
    iban: String,
    kasse: String,
    gruppe: usize,
    anteile: Anteile,
    /// What is transferred: the own payout plus settled Rückrechnung
    /// differences (those are owed from the corrected months' Buchungen).
    ueberweisung: i64,
}

impl Posten {
    pub(crate) fn aus(e: &Employee, a: &Abrechnung) -> Posten {
        Posten {
            pnr: e.personalnummer.clone(),
            name: format!("{} {}", e.vorname.trim(), e.name.trim()),
            nachname: e.name.trim().to_string(),
            vorname: e.vorname.trim().to_string(),
            strasse: e.strasse.trim().to_string(),
            plz: e.plz.trim().to_string(),
            ort: e.ort.trim().to_string(),
            kostenstelle: e.kostenstelle.trim().to_string(),
            produkt: e.produkt.trim().to_string(),
            iban: e.iban.clone(),
            kasse: e.kasse.trim().to_string(),
            gruppe: gruppe(e.art),
            anteile: anteile(a),
            ueberweisung: a.auszahlung.cents(),
        }
    }
}

fn bei(pnr: &str, msg: impl std::fmt::Display) -> KisError {
    KisError::validation(format!("Personalnummer {pnr}: {msg}"))
}

/// The answer for `key`, asking `pruefe` only the first time (many employees
/// share a Produkt or Kostenstelle).
fn einmal_pruefen(
    schon: &mut HashMap<String, bool>,
    key: &str,
    pruefe: impl FnOnce() -> Result<bool>,
) -> Result<bool> {
    if let Some(ok) = schon.get(key) {
        return Ok(*ok);
    }
    let ok = pruefe()?;
    schon.insert(key.into(), ok);
    Ok(ok)
}

/// Checks the FINAS references and the payout of every employee first, so
/// a gap in the master data is named with the Personalnummer.
fn pruefen_in(sql: &mut dyn Sql, mandant: &str, posten: &[Posten]) -> Result<()> {
    let mut produkte: HashMap<String, bool> = HashMap::new();
    let mut kostenstellen: HashMap<String, bool> = HashMap::new();
    for p in posten {
        let produkt_ok = einmal_pruefen(&mut produkte, &p.produkt, || {
            Ok(!p.produkt.is_empty()
                && finas_stamm::produkt_in(sql, mandant, &p.produkt).is_ok_and(|x| x.ebene == 3))
        })?;
        if !produkt_ok {
            return Err(bei(
                &p.pnr,
                format!(
                    "Produkt „{}“ ist in FINAS kein Produkt – bitte im Personalstamm (PER100) ein Produkt des Produktrahmens eintragen.",
                    p.produkt
                ),
            ));
        }
        let kostenstelle_ok = einmal_pruefen(&mut kostenstellen, &p.kostenstelle, || {
            Ok(!p.kostenstelle.is_empty()
                && finas_stamm::kostenstelle_exists(sql, mandant, &p.kostenstelle)?)
        })?;
        if !kostenstelle_ok {
            return Err(bei(
                &p.pnr,
                format!(
                    "Kostenstelle „{}“ ist in FINAS nicht vorhanden – bitte im Personalstamm (PER100) korrigieren.",
                    p.kostenstelle
                ),
            ));
        }
        let a = &p.anteile;
        if a.auszahlung < 0 {
            return Err(bei(
                &p.pnr,
                format!(
                    "Der Auszahlungsbetrag ist negativ ({} €) – bitte die Abzüge prüfen.",
                    Money::from_cents(a.auszahlung).format_de()
                ),
            ));
        }
        if p.ueberweisung > 0 {
            ids::validate_iban(&p.iban).map_err(|e| bei(&p.pnr, e))?;
        }
    }
    Ok(())
}

/// A liability line of the Buchung and whom it is owed to.
struct Haben {
    art: Verbindlichkeit,
    glaeubiger: String,
    name: String,
    betrag: i64,
}

fn konto_pruefen_in(sql: &mut dyn Sql, mandant: &str, konto: &str, wofuer: &str) -> Result<()> {
    finas_stamm::konto_in(sql, mandant, konto)
        .map(|_| ())
        .map_err(|_| {
            KisError::validation(format!(
                "Konto {konto} ({wofuer}) fehlt im Kontenrahmen des Mandanten."
            ))
        })
}

/// The clerk's error with what it prevented in front; the kind stays (a
/// technical error is passed on unchanged).
fn mit_folge(folge: String, e: KisError) -> KisError {
    let text = format!("{folge}: {e}");
    match e {
        KisError::Conflict(_) => KisError::Conflict(text),
        KisError::NotFound(_) => KisError::NotFound(text),
        KisError::Validation { .. } => KisError::validation(text),
        other => other,
    }
}

fn nicht_gebucht(m: Monat, e: KisError) -> KisError {
    mit_folge(
        format!(
            "Abrechnung {} nicht ausgeführt – die Buchung in FINAS ist nicht möglich",
            m.de()
        ),
        e,
    )
}

/// Posts run `lauf_nr` of month `m` inside the run's transaction (called by
/// [`starte`](crate::persos::lauf::starte) after the results are stored):
/// the Buchung with the budget check, what its liability lines stand for
/// and the Auszahlungsanordnungen. Any failure fails the run.
pub(crate) fn buchen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    m: Monat,
    lauf_nr: i64,
    posten: &[Posten],
    auszahlen: bool,
) -> Result<()> {
    let mandant = actor.mandant.as_str();
    if posten.is_empty() {
        return Ok(());
    }
    pruefen_in(sql, mandant, posten).map_err(|e| nicht_gebucht(m, e))?;
    let ag = stamm::arbeitgeber_in(sql, mandant)?;
    let kassen: HashMap<String, String> = stamm::kassen_in(sql, mandant, m.erster())?
        .into_iter()
        .map(|k| (k.betriebsnummer, k.name))
        .collect();

    // Soll per account × Produkt × Kostenstelle; Haben per creditor.
    let mut aufwand: BTreeMap<(&str, &str, &str), i64> = BTreeMap::new();
    let (mut lst, mut soli, mut kist, mut zvk, mut vl, mut netto) = (0, 0, 0, 0, 0, 0);
    let mut sv: BTreeMap<&str, i64> = BTreeMap::new();
    for p in posten {
        let a = &p.anteile;
        for (i, (_, konten)) in AUFWANDSKONTEN.iter().enumerate() {
            *aufwand
                .entry((
                    konten[p.gruppe],
                    p.produkt.as_str(),
                    p.kostenstelle.as_str(),
                ))
                .or_default() += a.aufwand[i];
        }
        lst += a.lohnsteuer;
        soli += a.soli;
        kist += a.kirchensteuer;
        *sv.entry(p.kasse.as_str()).or_default() += a.sv;
        zvk += a.zvk;
        vl += a.vl;
        netto += a.auszahlung;
    }
    let finanzamt = "Finanzamt";
    let mut haben = vec![
        (Verbindlichkeit::Lohnsteuer, "", finanzamt.to_string(), lst),
        (Verbindlichkeit::Soli, "", finanzamt.to_string(), soli),
        (
            Verbindlichkeit::Kirchensteuer,
            "",
            finanzamt.to_string(),
            kist,
        ),
    ];
    for (bn, betrag) in &sv {
        let name = kassen
            .get(*bn)
            .cloned()
            .unwrap_or_else(|| format!("Krankenkasse {bn}"));
        haben.push((Verbindlichkeit::Sozialversicherung, *bn, name, *betrag));
    }
    let zvk_name = if ag.zvk_name.trim().is_empty() {
        "Zusatzversorgungskasse".to_string()
    } else {
        ag.zvk_name.clone()
    };
    haben.push((Verbindlichkeit::Zvk, "", zvk_name, zvk));
    haben.push((
        Verbindlichkeit::Vl,
        "",
        "Anlageinstitute der Beschäftigten".into(),
        vl,
    ));
    haben.push((Verbindlichkeit::Netto, "", "Beschäftigte".into(), netto));
    let haben: Vec<Haben> = haben
        .into_iter()
        .filter(|(_, _, _, b)| *b != 0)
        .map(|(art, bn, name, betrag)| Haben {
            art,
            glaeubiger: bn.to_string(),
            name,
            betrag,
        })
        .collect();

    let mut konten: BTreeMap<&str, &str> = BTreeMap::new();
    for (konto, _, _) in aufwand.keys() {
        konten.insert(konto, "Personalaufwand");
    }
    for h in &haben {
        konten.insert(h.art.konto(), "Verbindlichkeiten der Entgeltabrechnung");
    }
    for (konto, wofuer) in konten {
        konto_pruefen_in(sql, mandant, konto, wofuer).map_err(|e| nicht_gebucht(m, e))?;
    }
    let mut zeilen = Vec::with_capacity(aufwand.len() + haben.len());
    for ((konto, produkt, kst), betrag) in aufwand.iter().filter(|(_, b)| **b != 0) {
        zeilen.push(ZeileInput {
            konto: (*konto).into(),
            produkt: Some((*produkt).into()),
            kostenstelle: Some((*kst).into()),
            soll: Money::from_cents(*betrag),
            haben: Money::zero(),
            reservierung: None,
        });
    }
    let erste_haben = zeilen.len();
    for h in &haben {
        zeilen.push(ZeileInput::haben(
            h.art.konto(),
            None,
            Money::from_cents(h.betrag),
        ));
    }
    let input = BuchungInput {
        datum: m.letzter(),
        periode: None,
        beleg: format!("PERSOS {}/{lauf_nr}", m.key()),
        text: format!(
            "Entgeltabrechnung {} Lauf {lauf_nr}: Personalaufwand",
            m.de()
        ),
        zeilen,
    };
    let gebucht = journal::buchen_in(sql, actor, &input).map_err(|e| nicht_gebucht(m, e))?;

    repo::buchung::buchung_einfuegen(sql, mandant, m, lauf_nr, gebucht.nr, &gebucht.warnungen)?;
    let verbindlichkeiten: Vec<VerbindlichkeitZeile> = haben
        .iter()
        .enumerate()
        .map(|(i, h)| VerbindlichkeitZeile {
            lfd: (erste_haben + i + 1) as i64,
            art: h.art,
            glaeubiger: h.glaeubiger.clone(),
            name: h.name.clone(),
            konto: h.art.konto().into(),
            betrag: Money::from_cents(h.betrag),
        })
        .collect();
    repo::buchung::verbindlichkeiten_einfuegen(sql, mandant, m, lauf_nr, &verbindlichkeiten)?;
    // A correction run (Rückrechnung) orders no payments: its differences
    // are paid with the next regular run.
    let auszahlungen: Vec<Auszahlung> = posten
        .iter()
        .filter(|p| auszahlen && p.ueberweisung > 0)
        .map(|p| Auszahlung {
            personalnummer: p.pnr.clone(),
            name: p.name.clone(),
            iban: p.iban.clone(),
            betrag: Money::from_cents(p.ueberweisung),
        })
        .collect();
    repo::buchung::auszahlungen_einfuegen(sql, mandant, m, lauf_nr, &auszahlungen)?;
    let anordnungen = anordnen_in(sql, actor, m, gebucht.nr, posten, auszahlen)
        .map_err(|e| nicht_gebucht(m, e))?;
    let aufwand_summe: i64 = aufwand.values().sum();
    audit::append(
        sql,
        actor,
        "GEBUCHT",
        ENTITY,
        &format!("{}/{lauf_nr}", m.key()),
        None,
        Some(&json!({
            "buchung": gebucht.nr,
            "personalaufwand": Money::from_cents(aufwand_summe),
            "auszahlungsanordnungen": anordnungen.len(),
            "anordnungen": anordnungen.first().map(|a| [*a, anordnungen[anordnungen.len() - 1]]),
            "auszahlung": Money::from_cents(netto),
            "warnungen": gebucht.warnungen,
        })),
    )?;
    Ok(())
}

/// The personal key of an employee as FINAS Geschäftspartner.
fn partner_schluessel(pnr: &str) -> String {
    format!("PERSOS:{pnr}")
}

/// The SEPA purpose code of the net pay (ISO 20022 ExternalPurpose1Code: salary payment).
pub const ZWECKCODE: &str = "SALA";

/// The Zahltag of month `m` (§ 24 Abs. 1 TVöD): the last day of the month;
/// on a Saturday, a public holiday or 31 December the Werktag before, on a
/// Sunday the second Werktag before (Saturday counting as Werktag) — in
/// effect the last banking day of the month, Monday to Friday and no
/// public holiday of `land` (weekends only without a Bundesland).
pub fn zahltag(m: Monat, land: Option<Bundesland>) -> NaiveDate {
    let mut d = m.letzter();
    loop {
        let kein = matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            || land.is_some_and(|l| l.feiertag(d).is_some())
            || (d.month() == 12 && d.day() == 31);
        match d.pred_opt() {
            Some(v) if kein => d = v,
            _ => return d,
        }
    }
}

/// The Bundesland whose holidays move the Zahltag (and the due date of the
/// Lohnsteuer-Anmeldung): the Mandant's, else
/// the one in the employer's payroll data.
pub(crate) fn land_in(
    sql: &mut dyn Sql,
    mandant: &str,
    ag: &stamm::Arbeitgeber,
) -> Result<Option<Bundesland>> {
    let m = auth::mandant_in(sql, mandant)?;
    Ok(Bundesland::parse(&m.bundesland)
        .or_else(|_| Bundesland::parse(&ag.bundesland))
        .ok())
}

/// The Auszahlungsanordnungen of a regular run: one per employee with a
/// transfer, ordered through the FINAS Kasse service as already posted by
/// the run's Buchung `buchung` (Verbindlichkeit Netto), due on the
/// Zahltag, with purpose code SALA; the Kasse releases and pays them.
/// Returns their numbers.
fn anordnen_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    m: Monat,
    buchung: i64,
    posten: &[Posten],
    auszahlen: bool,
) -> Result<Vec<i64>> {
    if !auszahlen || !posten.iter().any(|p| p.ueberweisung > 0) {
        return Ok(Vec::new());
    }
    let ag = stamm::arbeitgeber_in(sql, &actor.mandant)?;
    let faellig = zahltag(m, land_in(sql, &actor.mandant, &ag)?);
    let zahlungen: Vec<VorgebuchteAuszahlung> = posten
        .iter()
        .filter(|p| p.ueberweisung > 0)
        .map(|p| VorgebuchteAuszahlung {
            schluessel: partner_schluessel(&p.pnr),
            name: p.nachname.clone(),
            vorname: p.vorname.clone(),
            strasse: p.strasse.clone(),
            plz: p.plz.clone(),
            ort: p.ort.clone(),
            iban: p.iban.clone(),
            produkt: p.produkt.clone(),
            konto: AUFWANDSKONTEN[0].1[p.gruppe].into(),
            kostenstelle: Some(p.kostenstelle.clone()),
            text: format!("Entgelt {} Pers.-Nr. {}", m.de(), p.pnr),
            faellig,
            betrag: Money::from_cents(p.ueberweisung),
        })
        .collect();
    vorgebucht::erfassen_in(
        sql,
        actor,
        &Vorbuchung {
            buchung,
            gegenkonto: Verbindlichkeit::Netto.konto().into(),
            zweckcode: Some(ZWECKCODE.into()),
        },
        &zahlungen,
    )
}

/// Reverses the Buchung of run `lauf_nr` inside the Storno's transaction
/// (called by [`storniere`](crate::persos::lauf::storniere)): a Storno
/// Buchung dated like the original while its period is open, else on the
/// day of the Storno.
/// With `anordnungen` (the Storno of a run) its Auszahlungsanordnungen are
/// cancelled first, refused while one is paid or in a live Zahllauf; a
/// Rückrechnung keeps them (what the old run paid or pays is what the
/// differences of the correction run are computed against).
/// Runs from before this interface have no Buchung and nothing to reverse.
pub(crate) fn stornieren_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    m: Monat,
    lauf_nr: i64,
    anordnungen: bool,
) -> Result<()> {
    let mandant = actor.mandant.as_str();
    let Some(nr) = repo::buchung::buchung_offen(sql, mandant, m, lauf_nr)? else {
        return Ok(());
    };
    let fehler = |e: KisError| {
        mit_folge(
            format!(
                "Stornierung von {} nicht ausgeführt – die Buchung Nr. {nr} in FINAS kann nicht storniert werden",
                m.de()
            ),
            e,
        )
    };
    if anordnungen {
        vorgebucht::stornieren_in(
            sql,
            actor,
            nr,
            &format!("Entgeltabrechnung {} Lauf {lauf_nr} storniert", m.de()),
        )
        .map_err(|e| {
            mit_folge(
                format!(
                    "Stornierung von {} nicht ausgeführt – die Nettoentgelte des Laufs {lauf_nr} sind schon zur Zahlung gegeben",
                    m.de()
                ),
                e,
            )
        })?;
    }
    let orig = journal::lesen_in(sql, mandant, nr).map_err(fehler)?;
    let offen = !matches!(
        finas_stamm::jahr_status_in(sql, mandant, orig.jahr),
        Ok(finas_stamm::JahrStatus::Geschlossen) | Err(_)
    ) && finas_stamm::periode_offen_in(sql, mandant, orig.jahr, orig.periode)?;
    let datum = if offen { orig.datum } else { actor.at.date() };
    let storno = journal::stornieren_in(
        sql,
        actor,
        nr,
        datum,
        &format!("Entgeltabrechnung {} Lauf {lauf_nr} storniert", m.de()),
    )
    .map_err(fehler)?;
    repo::buchung::storno_vermerken(sql, mandant, m, lauf_nr, storno)?;
    audit::append(
        sql,
        actor,
        "STORNIERT",
        ENTITY,
        &format!("{}/{lauf_nr}", m.key()),
        Some(&json!({"buchung": nr})),
        Some(&json!({"buchung": nr, "storno": storno})),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::persos::abrechnung::{self, Fall, Posten as Zulage, PrivateKv, Vorlauf};
    use crate::persos::sv::Beitragsgruppen;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn fall(art: Beschaeftigungsart, bgs: &str, betrag: i64) -> Fall {
        Fall {
            monat: d("2026-01-01"),
            geburtsdatum: d("1985-06-15"),
            eintritt: d("2020-04-01"),
            austritt: None,
            art,
            eg: "9a".into(),
            stufe: 3,
            tabellenentgelt: Money::from_cents(betrag),
            arbeitszeitanteil: Decimal::ONE,
            zulagen: vec![Zulage {
                bezeichnung: "Zulage".into(),
                betrag: Money::from_cents(7250),
            }],
            vl_ag: Money::from_cents(2000),
            vl_abzug: Money::from_cents(4000),
            jahressonderzahlung: Money::zero(),
            stkl: 1,
            faktor: Decimal::ONE,
            zkf: Decimal::ZERO,
            konfession: "rk".into(),
            konfession_ehegatte: String::new(),
            kist_satz: dec!(9),
            freibetrag_monat: Money::zero(),
            hinzurechnung_monat: Money::zero(),
            bgs: Beitragsgruppen::parse(bgs).unwrap(),
            kv_zusatz: dec!(2.9),
            privat: None,
            sachsen: false,
            elterneigenschaft: false,
            kinder_unter_25: 0,
            u1_satz: Some(dec!(2.7)),
            u2_satz: dec!(0.44),
            u3_pflicht: false,
            zvk_satz: Some(dec!(4.25)),
            vorlauf: Vorlauf::default(),
        }
    }

    /// Soll (expense) = Haben (liabilities) = the employer's cost, for a
    /// Tarif employee with ZVK, VL and church tax, a privately insured one
    /// and a Minijob with its flat rates.
    #[test]
    fn the_posting_of_a_result_balances() {
        let tarif = fall(Beschaeftigungsart::Tarif, "1111", 398606);
        let mut privat = fall(Beschaeftigungsart::Tarif, "0110", 698606);
        privat.privat = Some(PrivateKv {
            kv_praemie: Money::from_cents(60000),
            pv_praemie: Money::from_cents(9000),
        });
        let mut minijob = fall(Beschaeftigungsart::Minijob, "6500", 45000);
        minijob.zvk_satz = None;
        minijob.vl_ag = Money::zero();
        minijob.vl_abzug = Money::zero();
        minijob.zulagen.clear();
        for f in [tarif, privat, minijob] {
            let a = abrechnung::berechne(&f).unwrap();
            let x = anteile(&a);
            let soll: i64 = x.aufwand.iter().sum();
            let haben =
                x.lohnsteuer + x.soli + x.kirchensteuer + x.sv + x.zvk + x.vl + x.auszahlung;
            assert_eq!(soll, haben, "{:?}", f.art);
            assert_eq!(soll, a.ag_kosten.cents(), "{:?}", f.art);
            assert!(
                x.aufwand[0] > 0 && x.aufwand[2] > 0 && x.auszahlung > 0,
                "{x:?}"
            );
        }
    }

    /// § 24 Abs. 1 TVöD: the last banking day of the month.
    #[test]
    fn the_zahltag_is_the_last_banking_day_of_the_month() {
        let nw = Bundesland::parse("NW").ok();
        let bb = Bundesland::parse("BB").ok();
        let m = |s: &str| Monat::parse(s).unwrap();
        // Saturday 31.01.2026 → Friday; Sunday 31.05.2026 → Friday.
        assert_eq!(zahltag(m("2026-01"), nw), d("2026-01-30"));
        assert_eq!(zahltag(m("2026-05"), nw), d("2026-05-29"));
        // A Monday stays.
        assert_eq!(zahltag(m("2026-08"), nw), d("2026-08-31"));
        // 31 December is never the Zahltag.
        assert_eq!(zahltag(m("2026-12"), nw), d("2026-12-30"));
        // Friday 31.10.2025 is Reformationstag in Brandenburg, not in NRW.
        assert_eq!(zahltag(m("2025-10"), nw), d("2025-10-31"));
        assert_eq!(zahltag(m("2025-10"), bb), d("2025-10-30"));
        assert_eq!(zahltag(m("2025-10"), None), d("2025-10-31"));
    }

    #[test]
    fn every_liability_kind_has_an_account() {
        for v in Verbindlichkeit::ALLE {
            assert!(v.konto().starts_with("371"), "{v:?}");
            assert_eq!(Verbindlichkeit::parse(v.code()).unwrap(), v);
        }
        assert_eq!(gruppe(Beschaeftigungsart::Auszubildende), 1);
        assert_eq!(
            AUFWANDSKONTEN[0].1[gruppe(Beschaeftigungsart::Minijob)],
            "5019"
        );
        assert_eq!(
            AUFWANDSKONTEN[2].1[gruppe(Beschaeftigungsart::Tarif)],
            "5032"
        );
    }
}
