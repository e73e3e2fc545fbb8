//! The demo population of Musterstadt (`fixtures/musterstadt/ewos/personen.csv`):
//! a few households incl. one with an Auskunftssperre, a deceased man whose
//! widow lives on, and two persons who moved away (2020 and 2022).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::model::*;
use super::{fortschreibung, personendaten, repo};
use crate::core::error::{KisError, Result};
use crate::kernel::audit::Actor;
use crate::store::Sql;

const PERSONEN: &str = include_str!("../../fixtures/musterstadt/ewos/personen.csv");

fn date(s: &str, line: usize) -> Result<Option<NaiveDate>> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            KisError::validation(format!(
                "ewos/personen.csv Zeile {line}: Datum „{s}“ ungültig."
            ))
        })
}

/// Load the demo residents inside the demo loader's transaction.
pub fn load_demo_in(sql: &mut dyn Sql, actor: &Actor) -> Result<()> {
    let mandant = actor.mandant.as_str();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(PERSONEN.as_bytes());
    // household -> (first adult, partner, household id)
    let mut haushalte: BTreeMap<String, (Option<i64>, Option<i64>, i64)> = BTreeMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let r =
            rec.map_err(|e| KisError::validation(format!("ewos/personen.csv Zeile {line}: {e}")))?;
        let bad =
            |e: KisError| KisError::validation(format!("ewos/personen.csv Zeile {line}: {e}"));
        let geburtsdatum =
            date(&r[7], line)?.ok_or_else(|| bad(KisError::validation("Geburtsdatum fehlt")))?;
        let mut d = PersonDaten::new(
            &r[2],
            &r[3],
            geburtsdatum,
            Geschlecht::parse(&r[6]).map_err(bad)?,
        );
        d.rufname = r[4].to_string();
        d.doktorgrad = r[5].to_string();
        d.geburtsort = r[8].to_string();
        if !r[9].is_empty() {
            d.fruehere_namen.push(FruehererName {
                art: 'G',
                name: r[9].to_string(),
                bis: None,
            });
        }
        d.religion = r[10].to_string();
        d.familienstand = r[11].to_string();
        d.familienstand_datum = date(&r[12], line)?;
        d.staaten = vec![Staatsangehoerigkeit {
            staat: r[13].to_string(),
            quelle: String::new(),
        }];
        d.idnr = Some(r[14].to_string()).filter(|s| !s.is_empty());
        let einzug =
            date(&r[18], line)?.ok_or_else(|| bad(KisError::validation("Einzug fehlt")))?;
        let d = personendaten::validate_daten(&d, actor.at.date()).map_err(bad)?;
        let id = repo::zaehler::next_id(sql, mandant, "person")?;
        repo::person::insert_person(sql, mandant, id, &d, "", "")?;
        let v = Vorgang {
            actor,
            quelle: "Anmeldung",
            gueltig_ab: einzug,
            bemerkung: "Demodaten".into(),
        };
        let p = repo::person::load_person(sql, mandant, id)?;
        fortschreibung::history_diff_in(sql, &v, None, &p)?;
        let entry = haushalte.entry(r[0].to_string()).or_insert((None, None, 0));
        if entry.2 == 0 {
            entry.2 = repo::zaehler::next_id(sql, mandant, "haushalt")?;
        }
        let adresse = Adresse {
            strasse: r[15].to_string(),
            hausnummer: r[16]
                .parse()
                .map_err(|_| bad(KisError::validation("Hausnummer")))?,
            zusatz: r[17].to_string(),
            lage: String::new(),
        };
        fortschreibung::check_adresse_in(sql, mandant, &adresse).map_err(bad)?;
        let wgb = Wohnungsgeber {
            name: "Demo-Wohnungsbau GmbH".into(),
            anschrift: "Rathausplatz 2, 59999 Musterstadt".into(),
            datum: einzug,
        };
        fortschreibung::insert_wohnung_in(
            sql,
            &v,
            &NeueWohnung {
                person_id: id,
                art: WohnungsArt::Haupt,
                adresse: &adresse,
                einzug,
                anmeldedatum: einzug,
                verspaetet: false,
                wgb: Some(&wgb),
                haushalt: entry.2,
            },
        )?;
        match &r[1] {
            "A" => entry.0 = Some(id),
            "P" => {
                entry.1 = Some(id);
                if let Some(a) = entry.0 {
                    repo::bindung::insert_bindung(
                        sql,
                        mandant,
                        BindungsArt::Ehe,
                        a,
                        id,
                        d.familienstand_datum,
                    )?;
                }
            }
            _ => {
                for parent in [entry.0, entry.1].into_iter().flatten() {
                    repo::bindung::insert_bindung(
                        sql,
                        mandant,
                        BindungsArt::Eltern,
                        parent,
                        id,
                        Some(geburtsdatum),
                    )?;
                }
            }
        }
        if let Some((art, grund)) = r[21].split_once(':') {
            let art = SperrArt::from_code(art).map_err(bad)?;
            let ab = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or(einzug);
            let bis = NaiveDate::from_ymd_opt(2027, 12, 31);
            repo::sperren::insert_sperre(
                sql,
                actor,
                id,
                &Sperre {
                    id: 0,
                    art,
                    grund: grund.to_string(),
                    behoerde: String::new(),
                    ab,
                    bis,
                },
            )?;
        }
        let status = Status::from_code(&r[19]).map_err(bad)?;
        if status != Status::Aktiv {
            let am = date(&r[20], line)?
                .ok_or_else(|| bad(KisError::validation("Statusdatum fehlt")))?;
            let v = Vorgang {
                actor,
                quelle: if status == Status::Verstorben {
                    "Sterbefall"
                } else {
                    "Rückmeldung"
                },
                gueltig_ab: am,
                bemerkung: "Demodaten".into(),
            };
            for w in repo::wohnung::offene_wohnungen(sql, mandant, id)? {
                fortschreibung::end_wohnung_in(sql, &v, &w, am, None)?;
            }
            let mut p = repo::person::load_person(sql, mandant, id)?;
            let before = p.clone();
            p.status = status;
            p.status_datum = Some(am);
            if status == Status::Verstorben {
                p.sterbedatum = Some(am);
                p.sterbeort = "Musterstadt".into();
            } else {
                p.wegzug_nach = "Berlin".into();
            }
            fortschreibung::save_changed_in(sql, &v, &before, &p)?;
        }
    }
    Ok(())
}
