//! The monthly payroll run (Abrechnungslauf): computes every employee
//! active in the month in ONE write transaction and stores one result per
//! employee (main figures as columns, the inputs and the whole payslip as
//! JSON). A failure or crash in the middle leaves nothing behind (the
//! transaction is rolled back), so the run can simply be started again. A
//! month with an active run is refused until that run is reversed
//! (Stornierung); a partial unique index guards this on both databases.
//! The run posts into FINAS and the Storno reverses that posting, each in
//! the same transaction (see [`super::finas`]).

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::json;

use super::abrechnung::{
    self, Abrechnung, Beschaeftigungsart, Differenz, Fall, PrivateKv, Vorlauf,
};
use super::laufdaten::{LaufArt, LaufInfo, Monat, aktiver_lauf_in};
use super::repo;
use super::repo::lauf::OffeneDifferenz;
use super::stamm::{self, Arbeitgeber, Employee, Kasse};
use super::tarif::Tariftabellen;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::kernel::audit;
use crate::kernel::session::Session;
use crate::store::Sql;

pub const ENTITY: &str = "persos_lauf";

/// Whether the employee is employed on at least one day of the month.
pub fn aktiv(e: &Employee, m: Monat) -> bool {
    e.eintritt <= m.letzter() && e.austritt.is_none_or(|a| a >= m.erster())
}

/// The Stufe that applies in the month (Stufenaufstieg from `stufe_ab`).
fn stufe_im_monat(e: &Employee, m: Monat) -> u8 {
    match e.stufe_ab {
        Some(ab) if ab <= m.letzter() && e.stufe < 6 => e.stufe + 1,
        _ => e.stufe,
    }
}

/// Builds the computation input of one employee and month.
pub fn fall(
    e: &Employee,
    ag: &Arbeitgeber,
    kasse: &Kasse,
    tabellen: &Tariftabellen,
    m: Monat,
    vorlauf: Vorlauf,
    jsz: Money,
) -> Result<Fall> {
    let stufe = stufe_im_monat(e, m);
    let tabellenentgelt = match e.festbetrag {
        Some(f) => f,
        None => Money::new(tabellen.tabellenentgelt(&e.eg, stufe, m.erster())?),
    };
    Ok(Fall {
        monat: m.erster(),
        geburtsdatum: e.geburtsdatum,
        eintritt: e.eintritt,
        austritt: e.austritt,
        art: e.art,
        eg: e.eg.clone(),
        stufe,
        tabellenentgelt,
        arbeitszeitanteil: if e.festbetrag.is_some() {
            Decimal::ONE
        } else {
            e.arbeitszeitanteil
        },
        zulagen: e.zulagen.clone(),
        vl_ag: e.vl_ag,
        vl_abzug: e.vl_abzug,
        jahressonderzahlung: jsz,
        stkl: e.stkl,
        faktor: e.faktor,
        zkf: e.zkf,
        konfession: e.konfession.clone(),
        konfession_ehegatte: e.konfession_ehegatte.clone(),
        kist_satz: abrechnung::kist_satz(&ag.bundesland),
        freibetrag_monat: e.freibetrag,
        hinzurechnung_monat: e.hinzurechnung,
        bgs: e.bgs,
        kv_zusatz: kasse.zusatzbeitrag,
        privat: e.privat.then_some(PrivateKv {
            kv_praemie: e.pkv_kv,
            pv_praemie: e.pkv_pv,
        }),
        sachsen: e.sachsen,
        elterneigenschaft: e.eltern,
        kinder_unter_25: e.kinder_u25,
        u1_satz: ag.u1_teilnahme.then_some(kasse.u1_satz),
        u2_satz: kasse.u2_satz,
        u3_pflicht: ag.u3_pflicht,
        zvk_satz: e.zvk.then_some(ag.zvk_satz),
        vorlauf,
    })
}

/// Jahressonderzahlung (§ 20 TVöD), paid with the November pay to Tarif
/// employees employed on 1 December: Bemessungssatz × the average monthly
/// Entgelt of July–September (from the stored results; the current full
/// monthly pay if those months were not computed in KIS), reduced by 1/12
/// for each calendar month of the year without any employment.
pub fn jahressonderzahlung(
    e: &Employee,
    tabellen: &Tariftabellen,
    m: Monat,
    durchschnitt_jul_sep: Option<Money>,
) -> Result<Money> {
    if m.monat != 11 || e.art != Beschaeftigungsart::Tarif || e.festbetrag.is_some() {
        return Ok(Money::zero());
    }
    let erster_dezember = NaiveDate::from_ymd_opt(m.jahr, 12, 1).unwrap_or_default();
    if e.austritt.is_some_and(|a| a < erster_dezember) || e.eintritt > erster_dezember {
        return Ok(Money::zero());
    }
    let basis = match durchschnitt_jul_sep {
        Some(d) => d,
        None => {
            let t = tabellen.tabellenentgelt(&e.eg, stufe_im_monat(e, m), m.erster())?;
            Money::new(t * e.arbeitszeitanteil) + e.zulagen.iter().map(|z| z.betrag).sum::<Money>()
        }
    };
    let monate = (1..=12u32)
        .filter(|mo| {
            aktiv(
                e,
                Monat {
                    jahr: m.jahr,
                    monat: *mo,
                },
            )
        })
        .count();
    let satz = tabellen.jsz_satz(&e.eg, m.jahr)?;
    Ok(Money::new(
        basis.0 * satz / dec!(100) * Decimal::from(monate as u64) / dec!(12),
    ))
}

/// All runs, newest first.
pub fn laeufe(session: &Session) -> Result<Vec<LaufInfo>> {
    session.require(&[Role::PersosLesen])?;
    session
        .db
        .read(|sql| repo::lauf::laeufe(sql, &session.mandant.id))
}

/// Average gross of July–September per employee (only where all three exist).
fn durchschnitt_jul_sep_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
) -> Result<HashMap<String, Money>> {
    let mut out = HashMap::new();
    let (von, bis) = (format!("{jahr:04}-07"), format!("{jahr:04}-09"));
    for (pnr, summe, monate) in repo::lauf::brutto_summen(sql, mandant, &von, &bis)? {
        if monate == 3 {
            out.insert(pnr, Money::new(summe.0 / dec!(3)));
        }
    }
    Ok(out)
}

/// Runs the payroll of month `monat` (`2026-01`, `01.2026`). `fortschritt`
/// is called after each employee with (done, total); an error from it
/// aborts the run and rolls everything back.
/// The checks of [`starte`] that need no run: the role, the month and
/// whether it is already settled. A mask asks them before it starts the run
/// in the background, so a wrong month is refused at once.
pub fn pruefe_start(session: &Session, monat: &str) -> Result<Monat> {
    session.require(&[Role::PersosAendern])?;
    let m = Monat::parse(monat)?;
    let actor = session.actor();
    match session
        .db
        .read(|sql| aktiver_lauf_in(sql, &actor.mandant, m))?
    {
        Some(l) => Err(bereits_abgerechnet(m, &l)),
        None => Ok(m),
    }
}

fn bereits_abgerechnet(m: Monat, l: &LaufInfo) -> KisError {
    KisError::Conflict(format!(
        "Der Monat {} ist bereits abgerechnet (Lauf {} vom {} durch {}). Ein neuer Lauf ist erst nach der Stornierung möglich.",
        m.de(),
        l.lauf_nr,
        zeitpunkt_de(&l.gestartet_am),
        l.gestartet_von
    ))
}

/// `2026-12-03T08:39:44` as `03.12.2026 08:39`.
fn zeitpunkt_de(iso: &str) -> String {
    chrono::NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S")
        .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

pub fn starte(
    session: &Session,
    monat: &str,
    fortschritt: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<LaufInfo> {
    session.require(&[Role::PersosAendern])?;
    let m = Monat::parse(monat)?;
    let actor = session.actor();
    let bereits = |l: LaufInfo| bereits_abgerechnet(m, &l);
    let ergebnis = session.db.write(|sql| {
        if let Some(l) = aktiver_lauf_in(sql, &actor.mandant, m)? {
            return Err(bereits(l));
        }
        let (info, _) = abrechnen_in(sql, &actor, m, None, fortschritt)?;
        Ok(info)
    });
    // A run of the same month committed meanwhile (on PostgreSQL both runs
    // passed the check above; the later one hits the run's unique key).
    match ergebnis {
        Err(KisError::Conflict(_)) => match session
            .db
            .read(|sql| aktiver_lauf_in(sql, &actor.mandant, m))?
        {
            Some(l) => Err(bereits(l)),
            None => ergebnis,
        },
        _ => ergebnis,
    }
}

/// Rückrechnung differences per employee: the open ones from months
/// before `m` (a regular run pays them), or those the replaced run
/// `ersetzt` of `m` had paid (a correction run keeps them on record).
fn differenzen_in(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    ersetzt: Option<i64>,
) -> Result<HashMap<String, Vec<OffeneDifferenz>>> {
    match ersetzt {
        None => repo::lauf::differenzen_offen(sql, mandant, m),
        Some(nr) => repo::lauf::differenzen_bezahlt(sql, mandant, m, nr),
    }
}

/// Computes and stores one run of month `m` inside an open transaction and
/// posts it into FINAS. A regular run pays the open Rückrechnung
/// differences with the payout (set off only as far as the payout covers
/// them); a correction run replacing run `ersetzt` pays nothing itself but
/// keeps what the replaced run had paid on record. Returns the run and
/// each employee's own payout of the month.
fn abrechnen_in(
    sql: &mut dyn Sql,
    actor: &audit::Actor,
    m: Monat,
    ersetzt: Option<i64>,
    fortschritt: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<(LaufInfo, HashMap<String, Money>)> {
    let art = if ersetzt.is_some() {
        LaufArt::Rueckrechnung
    } else {
        LaufArt::Regulaer
    };
    let mandant = actor.mandant.clone();
    let ag = stamm::arbeitgeber_in(sql, &mandant)?;
    let tabellen = Tariftabellen::laden_in(sql, &mandant)?;
    let kassen: HashMap<String, Kasse> = stamm::kassen_in(sql, &mandant, m.erster())?
        .into_iter()
        .map(|k| (k.betriebsnummer.clone(), k))
        .collect();
    let employees: Vec<Employee> = stamm::all_in(sql, &mandant, actor.at.date())?
        .into_iter()
        .filter(|e| aktiv(e, m))
        .collect();
    let mut vorlauf = repo::lauf::vorlaeufe(sql, &mandant, m)?;
    let jsz_basis = if m.monat == 11 {
        durchschnitt_jul_sep_in(sql, &mandant, m.jahr)?
    } else {
        HashMap::new()
    };
    let mut offen = differenzen_in(sql, &mandant, m, ersetzt)?;
    let lauf_nr = repo::lauf::naechste_lauf_nr(sql, &mandant, m)?;
    let total = employees.len();
    let mut batch: Vec<(String, Fall, Abrechnung)> = Vec::with_capacity(100);
    let (mut brutto, mut auszahlung) = (Money::zero(), Money::zero());
    let mut finas = Vec::with_capacity(total);
    let mut eigen = HashMap::with_capacity(total);
    let mut ausgeglichen: Vec<(String, String, i64)> = Vec::new();
    for (i, e) in employees.iter().enumerate() {
        let kasse = kassen.get(&e.kasse).ok_or_else(|| {
            KisError::validation(format!(
                "Personalnummer {}: Krankenkasse {} ist im Monat {} nicht gültig.",
                e.personalnummer,
                e.kasse,
                m.de()
            ))
        })?;
        let jsz = jahressonderzahlung(e, &tabellen, m, jsz_basis.get(&e.personalnummer).copied())
            .map_err(|x| {
            KisError::validation(format!("Personalnummer {}: {x}", e.personalnummer))
        })?;
        let f = fall(
            e,
            &ag,
            kasse,
            &tabellen,
            m,
            vorlauf.remove(&e.personalnummer).unwrap_or_default(),
            jsz,
        )
        .map_err(|x| KisError::validation(format!("Personalnummer {}: {x}", e.personalnummer)))?;
        let mut a = abrechnung::berechne(&f).map_err(|x| {
            KisError::validation(format!("Personalnummer {}: {x}", e.personalnummer))
        })?;
        eigen.insert(e.personalnummer.clone(), a.auszahlung);
        if let Some(diffs) = offen.remove(&e.personalnummer) {
            let summe: Money = diffs.iter().map(|d| d.2).sum();
            // An overpayment larger than this month's payout stays open;
            // what a replaced run had paid is kept whatever it was.
            if ersetzt.is_some() || !(a.auszahlung + summe).is_negative() {
                a.auszahlung += summe;
                a.rueckrechnung = diffs
                    .iter()
                    .map(|(monat, _, betrag)| Differenz {
                        monat: monat.clone(),
                        betrag: *betrag,
                    })
                    .collect();
                ausgeglichen.extend(
                    diffs
                        .into_iter()
                        .map(|(monat, nr, _)| (e.personalnummer.clone(), monat, nr)),
                );
            }
        }
        brutto += a.gesamtbrutto;
        auszahlung += a.auszahlung;
        finas.push(super::finas::Posten::aus(e, &a));
        batch.push((e.personalnummer.clone(), f, a));
        if batch.len() == 100 {
            repo::lauf::ergebnisse_einfuegen(sql, &mandant, m, lauf_nr, &batch)?;
            batch.clear();
        }
        fortschritt(i + 1, total)?;
    }
    repo::lauf::ergebnisse_einfuegen(sql, &mandant, m, lauf_nr, &batch)?;
    for (pnr, monat, nr) in &ausgeglichen {
        repo::lauf::differenz_ausgleichen(sql, &mandant, m, lauf_nr, (pnr, monat, *nr))?;
    }
    let info = LaufInfo {
        monat: m.key(),
        lauf_nr,
        status: "AKTIV".into(),
        art,
        gestartet_von: actor.user.clone(),
        gestartet_am: actor.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        anzahl: total as i64,
        summe_brutto: brutto,
        summe_auszahlung: auszahlung,
        storniert_von: None,
        storniert_am: None,
    };
    repo::lauf::lauf_einfuegen(sql, &mandant, &info).map_err(|e| match e {
        KisError::Conflict(_) => KisError::Conflict(format!(
            "Der Monat {} wurde soeben von einem anderen Lauf abgerechnet.",
            m.de()
        )),
        other => other,
    })?;
    super::finas::buchen_in(sql, actor, m, lauf_nr, &finas, art == LaufArt::Regulaer)?;
    let summary = json!({"monat": m.key(), "lauf_nr": lauf_nr, "art": art.code(), "anzahl": total, "brutto": brutto, "auszahlung": auszahlung, "differenzen_ausgeglichen": ausgeglichen.len()});
    audit::append(
        sql,
        actor,
        "ABGERECHNET",
        ENTITY,
        &format!("{}/{lauf_nr}", m.key()),
        None,
        Some(&summary),
    )?;
    Ok((info, eigen))
}

/// One corrected month of a Rückrechnung.
#[derive(Clone, Debug, PartialEq)]
pub struct Korrektur {
    pub lauf: LaufInfo,
    /// Employees whose payout changed, with new minus old (cents exact).
    pub differenzen: Vec<(String, Money)>,
}

/// Rückrechnung from month `ab`: every month of that year from `ab` on that
/// has an active run is computed again with today's master data and
/// tables, in month order and in ONE transaction. Each old run is reversed
/// (with its FINAS Buchung) and replaced by a correction run that pays
/// nothing itself; what each employee gets more or less is kept as a
/// Differenz and paid with the next regular run.
pub fn rueckrechnen(session: &Session, ab: &str) -> Result<Vec<Korrektur>> {
    session.require(&[Role::PersosAendern])?;
    let m = Monat::parse(ab)?;
    let actor = session.actor();
    session.db.write(|sql| {
        let mandant = actor.mandant.clone();
        let monate: Vec<Monat> =
            repo::lauf::aktive_monate(sql, &mandant, &m.key(), &format!("{:04}-12", m.jahr))?
                .iter()
                .map(|k| Monat::parse(k))
                .collect::<Result<_>>()?;
        if monate.first() != Some(&m) {
            return Err(KisError::NotFound(format!(
                "Für {} gibt es keinen aktiven Abrechnungslauf – zurückgerechnet werden nur abgerechnete Monate.",
                m.de()
            )));
        }
        let mut out = Vec::with_capacity(monate.len());
        for k in monate {
            let alt = aktiver_lauf_in(sql, &mandant, k)?
                .ok_or_else(|| KisError::Conflict(format!("Der Lauf für {} wurde soeben storniert.", k.de())))?;
            let alt_eigen = repo::lauf::eigene_auszahlungen(sql, &mandant, k, alt.lauf_nr)?;
            let am = actor.at.format("%Y-%m-%dT%H:%M:%S").to_string();
            repo::lauf::lauf_stornieren(sql, &mandant, k, alt.lauf_nr, &actor.user, &am)?;
            super::finas::stornieren_in(sql, &actor, k, alt.lauf_nr, false)?;
            let (neu, neu_eigen) = abrechnen_in(sql, &actor, k, Some(alt.lauf_nr), &mut |_, _| Ok(()))?;
            let mut pnrs: Vec<&String> = alt_eigen.keys().chain(neu_eigen.keys()).collect();
            pnrs.sort();
            pnrs.dedup();
            let mut differenzen = Vec::new();
            for pnr in pnrs {
                let d = neu_eigen.get(pnr).copied().unwrap_or_default() - alt_eigen.get(pnr).copied().unwrap_or_default();
                if !d.is_zero() {
                    repo::lauf::differenz_einfuegen(sql, &mandant, k, neu.lauf_nr, pnr, d)?;
                    differenzen.push((pnr.clone(), d));
                }
            }
            let summe: Money = differenzen.iter().map(|d| d.1).sum();
            audit::append(
                sql,
                &actor,
                "RUECKGERECHNET",
                ENTITY,
                &format!("{}/{}", k.key(), neu.lauf_nr),
                Some(&json!({"lauf_nr": alt.lauf_nr})),
                Some(&json!({"lauf_nr": neu.lauf_nr, "differenzen": differenzen.len(), "summe": summe})),
            )?;
            out.push(Korrektur { lauf: neu, differenzen });
        }
        Ok(out)
    })
}

/// Reverses the active run of a month (its results stay for the record but
/// no longer count). Refused while a later month of the year has an active
/// run: that month's cumulative figures build on this one.
pub fn storniere(session: &Session, monat: &str) -> Result<LaufInfo> {
    session.require(&[Role::PersosAendern])?;
    let m = Monat::parse(monat)?;
    let actor = session.actor();
    let mandant = session.mandant.id.clone();
    session.db.write(|sql| {
        let lauf = aktiver_lauf_in(sql, &mandant, m)?
            .ok_or_else(|| KisError::NotFound(format!("Für {} gibt es keinen aktiven Abrechnungslauf.", m.de())))?;
        if let Some(spaeter) = repo::lauf::spaeterer_aktiver_monat(
            sql,
            &mandant,
            &m.key(),
            &format!("{:04}-12", m.jahr),
        )? {
            return Err(KisError::Conflict(format!(
                "Der spätere Monat {spaeter} ist abgerechnet und baut auf {} auf – bitte zuerst diesen Lauf stornieren.",
                m.de()
            )));
        }
        if lauf.art == LaufArt::Rueckrechnung {
            return Err(KisError::Conflict(format!(
                "Lauf {} für {} ist eine Rückrechnung eines bereits ausgezahlten Monats und kann nicht storniert werden – \
                 zum Berichtigen bitte erneut ab {} zurückrechnen.",
                lauf.lauf_nr,
                m.de(),
                m.de()
            )));
        }
        let am = actor.at.format("%Y-%m-%dT%H:%M:%S").to_string();
        repo::lauf::lauf_stornieren(sql, &mandant, m, lauf.lauf_nr, &actor.user, &am)?;
        // Differences this run paid are open again for the next run.
        repo::lauf::differenzen_wieder_oeffnen(sql, &mandant, m, lauf.lauf_nr)?;
        super::finas::stornieren_in(sql, &actor, m, lauf.lauf_nr, true)?;
        let key = format!("{}/{}", m.key(), lauf.lauf_nr);
        audit::append(sql, &actor, "STORNIERT", ENTITY, &key, Some(&json!({"status": "AKTIV"})), Some(&json!({"status": "STORNIERT"})))?;
        Ok(LaufInfo { status: "STORNIERT".into(), storniert_von: Some(actor.user.clone()), storniert_am: Some(am), ..lauf })
    })
}

/// The stored input and payslip of one employee in the active run of a month.
pub fn ergebnis(session: &Session, monat: &str, pnr: &str) -> Result<(Fall, Abrechnung)> {
    session.require(&[Role::PersosLesen])?;
    let m = Monat::parse(monat)?;
    session
        .db
        .read(|sql| ergebnis_in(sql, &session.mandant.id, m, pnr.trim()))
}

pub(crate) fn ergebnis_in(
    sql: &mut dyn Sql,
    mandant: &str,
    m: Monat,
    pnr: &str,
) -> Result<(Fall, Abrechnung)> {
    repo::lauf::ergebnis(sql, mandant, m, pnr)?.ok_or_else(|| {
        KisError::NotFound(format!(
            "Für Personalnummer {pnr} gibt es im Monat {} kein Abrechnungsergebnis.",
            m.de()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn e01001() -> Employee {
        super::super::demo::beschaeftigte().unwrap().remove(0)
    }

    #[test]
    fn active_in_month_and_step_increase() {
        let mut e = e01001();
        let jan = Monat::parse("2026-01").unwrap();
        assert!(aktiv(&e, jan));
        e.eintritt = d("2026-01-31");
        assert!(aktiv(&e, jan));
        e.eintritt = d("2026-02-01");
        assert!(!aktiv(&e, jan));
        let mut e = e01001();
        e.austritt = Some(d("2025-12-31"));
        assert!(!aktiv(&e, jan));
        // Stufenaufstieg on 15.03.: the higher Stufe for the whole of March (§ 17 Abs. 1 TVöD).
        let mut e = e01001();
        e.stufe_ab = Some(d("2026-03-15"));
        assert_eq!(stufe_im_monat(&e, Monat::parse("2026-02").unwrap()), 3);
        assert_eq!(stufe_im_monat(&e, Monat::parse("2026-03").unwrap()), 4);
    }

    fn tabellen() -> Tariftabellen {
        Tariftabellen::aus(&super::super::demo::tarifdateien().unwrap())
    }

    #[test]
    fn jahressonderzahlung_rules() {
        let t = tabellen();
        // November 2025: table of 01.04.2025, Bemessungssatz E 9a 70,28 %.
        let nov = Monat::parse("2025-11").unwrap();
        let e = e01001();
        // 70,28 % × 3.986,06 = 2.801,4029… → 2.801,40; only in November.
        assert_eq!(
            jahressonderzahlung(&e, &t, nov, None).unwrap(),
            Money::new(dec!(2801.40))
        );
        assert_eq!(
            jahressonderzahlung(&e, &t, Monat::parse("2025-10").unwrap(), None).unwrap(),
            Money::zero()
        );
        // From the stored July–September average when there is one.
        assert_eq!(
            jahressonderzahlung(&e, &t, nov, Some(Money::new(dec!(4000)))).unwrap(),
            Money::new(dec!(2811.20))
        );
        // Entry in June: 7 of 12 months → 2.801,4029 × 7/12 = 1.634,15.
        let mut j = e01001();
        j.eintritt = d("2025-06-10");
        assert_eq!(
            jahressonderzahlung(&j, &t, nov, None).unwrap(),
            Money::new(dec!(1634.15))
        );
        // Leaving before 1 December: no entitlement.
        let mut a = e01001();
        a.austritt = Some(d("2025-11-30"));
        assert_eq!(
            jahressonderzahlung(&a, &t, nov, None).unwrap(),
            Money::zero()
        );
    }

    #[test]
    fn jahressonderzahlung_2026_is_85_percent_of_the_raised_table() {
        // November 2026: the table of 01.05.2026 (E 9a/3 4.097,67) and the
        // uniform 85 % of the Kommunen: 3.483,0195 → 3.483,02.
        let e = e01001();
        assert_eq!(
            jahressonderzahlung(&e, &tabellen(), Monat::parse("2026-11").unwrap(), None).unwrap(),
            Money::new(dec!(3483.02))
        );
        // Without any table the run says what is missing.
        let err = jahressonderzahlung(
            &e,
            &Tariftabellen::default(),
            Monat::parse("2026-11").unwrap(),
            None,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("Keine TVöD-Entgelttabelle für den 01.11.2026"),
            "{err}"
        );
    }
}
