//! `kis demo residents N`: deterministic, realistic test residents for the
//! demo municipality — German and foreign names, households with spouses
//! and children, ages, addresses over the whole street directory, earlier
//! moves with history, some who moved away or died. Written in one
//! transaction with multi-row INSERTs so 100,000 residents take seconds.

use chrono::{Datelike, Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::model::*;
use super::personendaten::{name_keys, person_sort_key, vorname_key};
use super::repo;
use super::repo::massenimport::Buffers;
use crate::core::collation::search_key;
use crate::core::error::{KisError, Result};
use crate::kernel::audit::{self, Actor};
use crate::store::{Sql, Value};

const DEUTSCHE_NAMEN: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Martin",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Schulte",
    "Dietrich",
    "Ziegler",
    "Kuhn",
    "Kühn",
    "Pohl",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Thomas",
    "Voigt",
    "Sauer",
    "Arnold",
    "Wolff",
    "Pfeiffer",
    "Mueller",
    "Meyr",
    "Mayr",
    "Brückner",
    "Lüdenscheidt",
    "Straßburger",
    "Öztürk",
];
const AUSLAENDISCHE_NAMEN: &[(&str, &str)] = &[
    ("Yılmaz", "TUR"),
    ("Kaya", "TUR"),
    ("Demir", "TUR"),
    ("Şahin", "TUR"),
    ("Çelik", "TUR"),
    ("Yıldız", "TUR"),
    ("Nowak", "POL"),
    ("Kowalski", "POL"),
    ("Wiśniewski", "POL"),
    ("Wójcik", "POL"),
    ("Rossi", "ITA"),
    ("Russo", "ITA"),
    ("Esposito", "ITA"),
    ("Bianchi", "ITA"),
    ("Papadopoulos", "GRC"),
    ("Georgiou", "GRC"),
    ("Popescu", "ROU"),
    ("Ionescu", "ROU"),
    ("Horvat", "HRV"),
    ("Kovačević", "HRV"),
    ("Ivanov", "RUS"),
    ("Petrenko", "UKR"),
    ("Shevchenko", "UKR"),
    ("Al-Hassan", "SYR"),
    ("Haddad", "SYR"),
    ("García", "ESP"),
    ("Fernández", "ESP"),
    ("Silva", "PRT"),
    ("Nguyen", "VNM"),
    ("Dubois", "FRA"),
];
const VORNAMEN_M: &[&str] = &[
    "Peter",
    "Michael",
    "Thomas",
    "Andreas",
    "Stefan",
    "Frank",
    "Klaus",
    "Jürgen",
    "Wolfgang",
    "Hans",
    "Uwe",
    "Bernd",
    "Christian",
    "Markus",
    "Matthias",
    "Alexander",
    "Tobias",
    "Jan",
    "Lukas",
    "Leon",
    "Finn",
    "Jonas",
    "Paul",
    "Elias",
    "Noah",
    "Ben",
    "Felix",
    "Maximilian",
    "Mehmet",
    "Ali",
    "Ahmet",
    "Piotr",
    "Giuseppe",
    "Dimitrios",
    "Ivan",
    "Omar",
    "Günter",
];
const VORNAMEN_W: &[&str] = &[
    "Sabine",
    "Petra",
    "Monika",
    "Andrea",
    "Claudia",
    "Susanne",
    "Birgit",
    "Ursula",
    "Renate",
    "Karin",
    "Stefanie",
    "Julia",
    "Anna",
    "Laura",
    "Lena",
    "Sarah",
    "Katharina",
    "Maria",
    "Sophie",
    "Emma",
    "Mia",
    "Hannah",
    "Lea",
    "Marie",
    "Emilia",
    "Ayşe",
    "Fatma",
    "Elif",
    "Agnieszka",
    "Giulia",
    "Eleni",
    "Olga",
    "Jülide",
    "Zoë",
    "Bärbel",
    "Jana",
    "Anja",
];
const RELIGION_VERTEILUNG: &[&str] = &[
    "ev", "ev", "ev", "rk", "rk", "rk", "--", "--", "--", "--", "ak", "jd",
];
const ORTE: &[&str] = &[
    "Musterstadt",
    "Köln",
    "Dortmund",
    "Münster",
    "Bielefeld",
    "Essen",
    "Hamburg",
    "Berlin",
    "Leipzig",
    "München",
];

fn pick<'a, T>(rng: &mut StdRng, list: &'a [T]) -> &'a T {
    &list[rng.gen_range(0..list.len())]
}

fn date_between(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let days = (to - from).num_days().max(0) as u64;
    from.checked_add_days(Days::new(rng.gen_range(0..=days)))
        .unwrap_or(from)
}

fn opt(d: Option<NaiveDate>) -> Value {
    d.map(|d| Value::Text(d.to_string())).unwrap_or(Value::Null)
}

/// What the generator made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Statistik {
    pub personen: usize,
    pub haushalte: usize,
    pub wohnungen: usize,
    pub weggezogen: usize,
    pub verstorben: usize,
}

struct Gen<'a> {
    mandant: &'a str,
    heute: NaiveDate,
    stamp: String,
    user: String,
    next_person: i64,
    next_wohnung: i64,
    next_bindung: i64,
    next_hist: i64,
    stat: Statistik,
}

struct Neu {
    id: i64,
    familienname: String,
    geburtsdatum: NaiveDate,
}

impl Gen<'_> {
    #[allow(clippy::too_many_arguments)]
    fn person(
        &mut self,
        sql: &mut dyn Sql,
        b: &mut Buffers,
        rng: &mut StdRng,
        familienname: &str,
        geburtsname: Option<&str>,
        geschlecht: Geschlecht,
        geburtsdatum: NaiveDate,
        staat: &str,
        familienstand: &str,
        status: Status,
        status_datum: Option<NaiveDate>,
    ) -> Result<Neu> {
        let id = self.next_person;
        self.next_person += 1;
        let liste = if geschlecht == Geschlecht::Weiblich {
            VORNAMEN_W
        } else {
            VORNAMEN_M
        };
        let erster = *pick(rng, liste);
        let vornamen = if rng.gen_bool(0.3) {
            format!("{erster} {}", pick(rng, liste))
        } else {
            erster.to_string()
        };
        let mut d = PersonDaten::new(familienname, &vornamen, geburtsdatum, geschlecht);
        d.rufname = if vornamen.contains(' ') && rng.gen_bool(0.5) {
            erster.to_string()
        } else {
            String::new()
        };
        d.doktorgrad = if rng.gen_bool(0.02) && self.heute.year() - geburtsdatum.year() > 28 {
            "Dr.".into()
        } else {
            String::new()
        };
        d.familienstand = familienstand.into();
        if let Some(g) = geburtsname {
            d.fruehere_namen.push(FruehererName {
                art: 'G',
                name: g.to_string(),
                bis: None,
            });
        }
        d.religion = (*pick(rng, RELIGION_VERTEILUNG)).into();
        let m = self.mandant;
        let sort_key = person_sort_key(&d);
        b.person.push(
            sql,
            vec![
                m.into(),
                id.into(),
                d.familienname.as_str().into(),
                d.vornamen.as_str().into(),
                d.rufname.as_str().into(),
                d.doktorgrad.as_str().into(),
                geburtsdatum.to_string().into(),
                (*pick(rng, ORTE)).into(),
                geschlecht.code().into(),
                d.religion.as_str().into(),
                familienstand.into(),
                Value::Null,
                status.code().into(),
                opt(status_datum),
                "".into(),
                if status == Status::Weggezogen {
                    pick(rng, ORTE).to_string().into()
                } else {
                    "".into()
                },
                opt(if status == Status::Verstorben {
                    status_datum
                } else {
                    None
                }),
                search_key(&d.familienname).into(),
                vorname_key(&d.vornamen).into(),
                sort_key.clone().into(),
            ],
        )?;
        if let Some(g) = geburtsname {
            b.name.push(
                sql,
                vec![
                    m.into(),
                    id.into(),
                    1i64.into(),
                    "G".into(),
                    g.into(),
                    Value::Null,
                ],
            )?;
        }
        for (art, key) in name_keys(&d) {
            b.key.push(
                sql,
                vec![
                    m.into(),
                    art.into(),
                    key.into(),
                    id.into(),
                    sort_key.as_str().into(),
                ],
            )?;
        }
        b.staat
            .push(sql, vec![m.into(), id.into(), staat.into(), "".into()])?;
        if staat != "DEU" && rng.gen_bool(0.15) {
            b.staat.push(
                sql,
                vec![m.into(), id.into(), "DEU".into(), "Einbürgerung".into()],
            )?;
        }
        self.hist(
            sql,
            b,
            id,
            "Familienname",
            None,
            familienname,
            geburtsdatum,
            "Anmeldung",
        )?;
        match status {
            Status::Weggezogen => self.stat.weggezogen += 1,
            Status::Verstorben => self.stat.verstorben += 1,
            _ => {}
        }
        self.stat.personen += 1;
        Ok(Neu {
            id,
            familienname: familienname.to_string(),
            geburtsdatum,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn hist(
        &mut self,
        sql: &mut dyn Sql,
        b: &mut Buffers,
        pid: i64,
        feld: &str,
        alt: Option<&str>,
        neu: &str,
        ab: NaiveDate,
        quelle: &str,
    ) -> Result<()> {
        let id = self.next_hist;
        self.next_hist += 1;
        b.historie.push(
            sql,
            vec![
                self.mandant.into(),
                id.into(),
                pid.into(),
                feld.into(),
                alt.map(str::to_string).into(),
                neu.into(),
                ab.to_string().into(),
                self.stamp.as_str().into(),
                quelle.into(),
                self.user.as_str().into(),
            ],
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn wohnung(
        &mut self,
        sql: &mut dyn Sql,
        b: &mut Buffers,
        pid: i64,
        haus: &(String, i64, String),
        einzug: NaiveDate,
        auszug: Option<NaiveDate>,
        haushalt: i64,
        quelle: &str,
    ) -> Result<()> {
        let id = self.next_wohnung;
        self.next_wohnung += 1;
        b.wohnung.push(
            sql,
            vec![
                self.mandant.into(),
                id.into(),
                pid.into(),
                "H".into(),
                haus.0.as_str().into(),
                haus.1.into(),
                haus.2.as_str().into(),
                einzug.to_string().into(),
                opt(auszug),
                einzug.to_string().into(),
                quelle.into(),
                haushalt.into(),
            ],
        )?;
        self.hist(
            sql,
            b,
            pid,
            "Hauptwohnung",
            None,
            &format!("{} {}{}", haus.0, haus.1, haus.2),
            einzug,
            quelle,
        )?;
        self.stat.wohnungen += 1;
        Ok(())
    }

    fn bindung(
        &mut self,
        sql: &mut dyn Sql,
        b: &mut Buffers,
        art: BindungsArt,
        a: i64,
        c: i64,
        ab: NaiveDate,
    ) -> Result<()> {
        let id = self.next_bindung;
        self.next_bindung += 1;
        b.bindung.push(
            sql,
            vec![
                self.mandant.into(),
                id.into(),
                art.code().into(),
                a.into(),
                c.into(),
                ab.to_string().into(),
            ],
        )
    }
}

/// Add `n` residents to the Mandant of `actor`, deterministic for `seed`.
pub fn generate_in(
    sql: &mut dyn Sql,
    actor: &Actor,
    heute: NaiveDate,
    n: usize,
    seed: u64,
) -> Result<Statistik> {
    let mandant = actor.mandant.as_str();
    let haeuser = repo::massenimport::haeuser(sql, mandant)?;
    if haeuser.is_empty() {
        return Err(KisError::validation(
            "Das Straßenverzeichnis ist leer – bitte zuerst die Demo-Gemeinde laden.",
        ));
    }
    // Ids for at most n persons (+ headroom for a household started at the end).
    let extra = n as i64 + 8;
    let mut g = Gen {
        mandant,
        heute,
        stamp: stamp(actor.at),
        user: actor.user.clone(),
        next_person: repo::zaehler::next_ids(sql, mandant, "person", extra)?,
        next_wohnung: repo::zaehler::next_ids(sql, mandant, "wohnung", extra * 2)?,
        next_bindung: repo::zaehler::next_ids(sql, mandant, "bindung", extra * 2)?,
        next_hist: repo::zaehler::next_ids(sql, mandant, "historie", extra * 4)?,
        stat: Statistik::default(),
    };
    let mut haushalt = repo::zaehler::next_ids(sql, mandant, "haushalt", extra)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut b = Buffers::default();
    let jahr = heute.year();
    let d = |y: i32, m: u32, t: u32| NaiveDate::from_ymd_opt(y, m, t).unwrap_or(heute);
    while g.stat.personen < n {
        let rest = n - g.stat.personen;
        haushalt += 1;
        g.stat.haushalte += 1;
        let (name, staat) = if rng.gen_bool(0.18) {
            let (nm, st) = *pick(&mut rng, AUSLAENDISCHE_NAMEN);
            (nm, st)
        } else {
            (*pick(&mut rng, DEUTSCHE_NAMEN), "DEU")
        };
        let haus = pick(&mut rng, &haeuser).clone();
        let art: u32 = rng.gen_range(0..100);
        let erwachsene = if art < 40 || rest == 1 { 1 } else { 2 };
        let kinder = if art >= 60 && rest > erwachsene {
            rng.gen_range(1..=3usize).min(rest - erwachsene)
        } else {
            0
        };
        let geb_a = date_between(&mut rng, d(jahr - 90, 1, 1), d(jahr - 19, 12, 31));
        let einzug = date_between(
            &mut rng,
            geb_a.with_year(geb_a.year() + 18).unwrap_or(geb_a),
            heute,
        );
        // Some households moved within the town before: an earlier dwelling in the history.
        let frueher = if rng.gen_bool(0.2) {
            Some((
                pick(&mut rng, &haeuser).clone(),
                einzug
                    .checked_sub_days(Days::new(rng.gen_range(400..4000)))
                    .unwrap_or(einzug),
            ))
        } else {
            None
        };
        let (status, status_datum) = match rng.gen_range(0..100) {
            0..=3 => (
                Status::Weggezogen,
                Some(date_between(&mut rng, einzug, heute)),
            ),
            4 => (
                Status::Verstorben,
                Some(date_between(&mut rng, einzug, heute)),
            ),
            _ => (Status::Aktiv, None),
        };
        let verheiratet = erwachsene == 2;
        let fs = if verheiratet {
            "VH"
        } else {
            *pick(&mut rng, &["LD", "LD", "GS", "VW"])
        };
        let mut mitglieder = Vec::new();
        let ga = if rng.gen_bool(0.5) {
            Geschlecht::Maennlich
        } else {
            Geschlecht::Weiblich
        };
        let a = g.person(
            &mut *sql,
            &mut b,
            &mut rng,
            name,
            None,
            ga,
            geb_a,
            staat,
            fs,
            status,
            status_datum,
        )?;
        mitglieder.push((a.id, a.geburtsdatum));
        if verheiratet {
            let gb = if ga == Geschlecht::Maennlich {
                Geschlecht::Weiblich
            } else {
                Geschlecht::Maennlich
            };
            let geb_b = date_between(
                &mut rng,
                geb_a.checked_sub_days(Days::new(2500)).unwrap_or(geb_a),
                geb_a
                    .checked_add_days(Days::new(2500))
                    .unwrap_or(geb_a)
                    .min(d(jahr - 18, 1, 1)),
            );
            let geburtsname = if rng.gen_bool(0.7) {
                Some(*pick(&mut rng, DEUTSCHE_NAMEN)).filter(|x| *x != name)
            } else {
                None
            };
            let p = g.person(
                &mut *sql,
                &mut b,
                &mut rng,
                &a.familienname,
                geburtsname,
                gb,
                geb_b,
                staat,
                "VH",
                status,
                status_datum,
            )?;
            let heirat = date_between(
                &mut rng,
                geb_a
                    .max(geb_b)
                    .with_year(geb_a.max(geb_b).year() + 18)
                    .unwrap_or(einzug),
                heute,
            )
            .min(einzug);
            g.bindung(&mut *sql, &mut b, BindungsArt::Ehe, a.id, p.id, heirat)?;
            mitglieder.push((p.id, p.geburtsdatum));
        }
        for _ in 0..kinder {
            let start = a
                .geburtsdatum
                .with_year(a.geburtsdatum.year() + 20)
                .unwrap_or(heute)
                .max(d(jahr - 17, 1, 1));
            let geb = date_between(&mut rng, start.min(heute), heute);
            let gk = if rng.gen_bool(0.5) {
                Geschlecht::Maennlich
            } else {
                Geschlecht::Weiblich
            };
            let k = g.person(
                &mut *sql,
                &mut b,
                &mut rng,
                &a.familienname,
                None,
                gk,
                geb,
                staat,
                "LD",
                status,
                status_datum,
            )?;
            for &(parent, _) in mitglieder.iter().take(erwachsene) {
                g.bindung(&mut *sql, &mut b, BindungsArt::Eltern, parent, k.id, geb)?;
            }
            mitglieder.push((k.id, k.geburtsdatum));
        }
        for &(pid, geb) in &mitglieder {
            let ein = einzug.max(geb);
            let aus = status_datum.map(|x| x.max(ein));
            if let Some((alt, alt_ein)) = &frueher
                && *alt_ein > geb
            {
                g.wohnung(
                    &mut *sql,
                    &mut b,
                    pid,
                    alt,
                    *alt_ein,
                    Some(ein),
                    haushalt - 1,
                    "Anmeldung",
                )?;
            }
            g.wohnung(
                &mut *sql,
                &mut b,
                pid,
                &haus,
                ein,
                aus,
                haushalt,
                if frueher.is_some() {
                    "Ummeldung"
                } else {
                    "Anmeldung"
                },
            )?;
        }
    }
    b.flush(sql)?;
    audit::append(
        sql,
        actor,
        "GENERIERT",
        "ewo_person",
        &format!("{n}"),
        None,
        Some(&serde_json::json!({"personen": g.stat.personen, "seed": seed})),
    )?;
    Ok(g.stat)
}
