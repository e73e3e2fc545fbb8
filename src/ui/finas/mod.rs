//! The FINAS masks: FIN100 Haushaltsplan, FIN110 Ansätze erfassen,
//! FIN120 Perioden, FIN130 Jahresabschluss, FIN200 Haushaltsüberwachung, FIN210 Mittelreservierung, FIN220
//! Über-/außerplanmäßige Genehmigung, FIN230 Haushaltssperre, FIN240
//! Ermächtigungsübertragung, FIN300
//! Buchung erfassen, FIN310 Kontenblatt, FIN400 Summen- und Saldenliste,
//! and the Kasse: FIN500 Anordnung, FIN505 Geschäftspartner, FIN510
//! Personenkonto, FIN520 Zahllauf, FIN530 Kontoauszug, FIN540
//! Klärungsliste, FIN560 Tagesabschluss; the Mahnwesen:
//! FIN550 Mahnlauf, FIN551 Mahnsperre, FIN552 Stundung, FIN553
//! Niederschlagung/Erlass, FIN554 Vollstreckungsübergabe.

mod abfrage;
mod ansatz;
mod bewirtschaftung;
mod buchung;
mod eingabe;
mod jahresabschluss;
mod kasse_anordnung;
mod kasse_partner;
mod kasse_personenkonto;
mod kasse_tagesabschluss;
mod kasse_zahllauf;
mod klaerung;
mod kontoauszug;
mod mahnlauf;
mod mahnsperre;
mod niederschlagung;
mod perioden;
mod stundung;
mod vollstreckung;

use chrono::Datelike;

use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::plan::{self, Plan};
use crate::finas::{journal, rechnung, ueberwachung};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{Column, LineCommand, ListRow};
use crate::ui::registry::Transaction;
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::SearchScreen;
use abfrage::{Abfrage, open};

pub fn transactions() -> Vec<Transaction> {
    vec![
        Transaction {
            code: "FIN100",
            title: "Haushaltsplan",
            open: |env| lesen(env).and_then(|()| open(Haushaltsplan::default(), env)),
        },
        Transaction {
            code: "FIN110",
            title: "Ansätze erfassen",
            open: |env| lesen(env).and_then(|()| eingabe::open(ansatz::Ansaetze, env)),
        },
        Transaction {
            code: "FIN120",
            title: "Perioden",
            open: |env| {
                lesen(env)
                    .and_then(|()| SearchScreen::open(perioden::PeriodenMaske::default(), env))
            },
        },
        Transaction {
            code: "FIN130",
            title: "Jahresabschluss",
            open: |env| {
                lesen(env).and_then(|()| {
                    SearchScreen::open(jahresabschluss::JahresabschlussMaske::default(), env)
                })
            },
        },
        Transaction {
            code: "FIN200",
            title: "Haushaltsüberwachung",
            open: |env| lesen(env).and_then(|()| open(Ueberwachung, env)),
        },
        Transaction {
            code: "FIN210",
            title: "Mittelreservierung",
            open: |env| lesen(env).and_then(|()| eingabe::open(bewirtschaftung::Reservierung, env)),
        },
        Transaction {
            code: "FIN220",
            title: "Über-/außerplanmäßige Genehmigung",
            open: |env| lesen(env).and_then(|()| eingabe::open(bewirtschaftung::Genehmigung, env)),
        },
        Transaction {
            code: "FIN230",
            title: "Haushaltssperre",
            open: |env| lesen(env).and_then(|()| eingabe::open(bewirtschaftung::Sperre, env)),
        },
        Transaction {
            code: "FIN240",
            title: "Ermächtigungsübertragung",
            open: |env| lesen(env).and_then(|()| eingabe::open(bewirtschaftung::Uebertragung, env)),
        },
        Transaction {
            code: "FIN300",
            title: "Buchung erfassen",
            open: |env| lesen(env).and_then(|()| buchung::open(env)),
        },
        Transaction {
            code: "FIN310",
            title: "Kontenblatt",
            open: |env| lesen(env).and_then(|()| open(Kontenblatt::default(), env)),
        },
        Transaction {
            code: "FIN400",
            title: "Summen- und Saldenliste",
            open: |env| lesen(env).and_then(|()| open(Saldenliste, env)),
        },
        Transaction {
            code: "FIN500",
            title: "Anordnung",
            open: |env| {
                lesen(env).and_then(|()| eingabe::open(kasse_anordnung::AnordnungMaske, env))
            },
        },
        Transaction {
            code: "FIN505",
            title: "Geschäftspartner",
            open: |env| lesen(env).and_then(|()| eingabe::open(kasse_partner::PartnerMaske, env)),
        },
        Transaction {
            code: "FIN510",
            title: "Personenkonto",
            open: |env| lesen(env).and_then(|()| open(kasse_personenkonto::Personenkonto, env)),
        },
        Transaction {
            code: "FIN520",
            title: "Zahllauf",
            open: |env| {
                lesen(env).and_then(|()| {
                    SearchScreen::open(kasse_zahllauf::ZahllaufMaske::default(), env)
                })
            },
        },
        Transaction {
            code: "FIN530",
            title: "Kontoauszug",
            open: |env| {
                lesen(env).and_then(|()| SearchScreen::open(kontoauszug::KontoauszugMaske, env))
            },
        },
        Transaction {
            code: "FIN540",
            title: "Klärungsliste",
            open: |env| {
                lesen(env)
                    .and_then(|()| SearchScreen::open(klaerung::KlaerungMaske::default(), env))
            },
        },
        Transaction {
            code: "FIN550",
            title: "Mahnlauf",
            open: |env| {
                lesen(env)
                    .and_then(|()| SearchScreen::open(mahnlauf::MahnlaufMaske::default(), env))
            },
        },
        Transaction {
            code: "FIN551",
            title: "Mahnsperre",
            open: |env| {
                lesen(env)
                    .and_then(|()| SearchScreen::open(mahnsperre::MahnsperreMaske::default(), env))
            },
        },
        Transaction {
            code: "FIN552",
            title: "Stundung",
            open: |env| {
                lesen(env)
                    .and_then(|()| SearchScreen::open(stundung::StundungMaske::default(), env))
            },
        },
        Transaction {
            code: "FIN553",
            title: "Niederschlagung/Erlass",
            open: |env| {
                lesen(env).and_then(|()| {
                    SearchScreen::open(niederschlagung::NiederschlagungMaske::default(), env)
                })
            },
        },
        Transaction {
            code: "FIN554",
            title: "Vollstreckungsübergabe",
            open: |env| {
                lesen(env).and_then(|()| {
                    SearchScreen::open(vollstreckung::VollstreckungMaske::default(), env)
                })
            },
        },
        Transaction {
            code: "FIN560",
            title: "Tagesabschluss",
            open: |env| {
                lesen(env).and_then(|()| {
                    SearchScreen::open(kasse_tagesabschluss::TagesabschlussMaske::default(), env)
                })
            },
        },
    ]
}

/// Every FINAS mask needs the reading role; changing ones are refused
/// again by their service (and their save key by the mask).
fn lesen(env: &mut Env) -> Result<()> {
    env.session.require(&[Role::FinasLesen])
}

fn jahr_field(col: u16) -> FieldDef {
    FieldDef::new("jahr", "Jahr", 0, col, 4, FieldKind::Number)
        .label_width(6)
        .required()
        .help("Haushaltsjahr, z. B. 2026.")
}

fn jahr_of(form: &Form) -> Result<i32> {
    form.number_opt("jahr")?
        .ok_or_else(|| KisError::field("jahr", "Bitte das Haushaltsjahr angeben, z. B. 2026."))
}

fn opt(form: &Form, key: &str) -> Option<String> {
    form.opt(key)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The output directory of a mask that writes files (field `verzeichnis`);
/// refused in the field when empty, naming `wofuer` (e.g. "die SEPA-Dateien").
fn verzeichnis_of(form: &Form, wofuer: &str) -> Result<std::path::PathBuf> {
    opt(form, "verzeichnis")
        .map(std::path::PathBuf::from)
        .ok_or_else(|| {
            KisError::field(
                "verzeichnis",
                format!("Bitte das Verzeichnis für {wofuer} angeben."),
            )
        })
}

/// Right-aligned in `w` columns (amounts and counts in lists); never cut.
fn rechts(s: &str, w: usize) -> String {
    format!("{s:>w$}")
}

/// A document broken at blanks to `w` columns (a document window is 76
/// wide at 80); lines that fit keep their blanks (aligned columns).
fn umbrechen(text: &str, w: usize) -> String {
    text.lines()
        .flat_map(|l| crate::ui::popup::wrap(l, w))
        .map(|l| l + "\n")
        .collect()
}

/// `2026-10-15 09:00:00` (a stored time stamp) as `15.10.2026`; as stored
/// if it is no date.
fn tag_von(stempel: &str) -> String {
    stempel
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(crate::core::date::format_date_de)
        .unwrap_or_else(|| stempel.to_string())
}

fn eur(c: i64) -> String {
    Money::from_cents(c).format_de()
}

const DOKUMENT: LineCommand = LineCommand {
    letters: "D",
    label: "Dokument",
};
const VERLAUF: LineCommand = LineCommand {
    letters: "V",
    label: "Verlauf",
};
const RESERVIEREN: LineCommand = LineCommand {
    letters: "R",
    label: "Reservieren",
};
const GENEHMIGEN: LineCommand = LineCommand {
    letters: "G",
    label: "Genehmigung",
};
const SPERREN: LineCommand = LineCommand {
    letters: "S",
    label: "Sperre",
};
const UEBERTRAGEN: LineCommand = LineCommand {
    letters: "ÜU",
    label: "Übertragen",
};

/// The question before a plan version is adopted.
const BESCHLUSS: &str = "fin100-beschluss";

/// FIN100: the Gesamt- or Teilplan per plan line; D shows the whole report;
/// ⟨save⟩ adopts the version (the one in the field, else the year's draft)
/// with the date of the Ratsbeschluss after a question.
#[derive(Default)]
struct Haushaltsplan {
    /// The version (year, number, date) the question is about.
    frage: std::cell::Cell<Option<(i32, i64, chrono::NaiveDate)>>,
}

impl Haushaltsplan {
    fn plan_of(form: &Form) -> Result<Plan> {
        match form.get("plan").trim() {
            "" | "E" => Ok(Plan::Ergebnis),
            "F" => Ok(Plan::Finanz),
            _ => Err(KisError::field(
                "plan",
                "Plan: E = Ergebnisplan, F = Finanzplan.",
            )),
        }
    }

    fn bericht(form: &Form, env: &mut Env) -> Result<(String, Vec<plan::PlanZeile>)> {
        let jahr = jahr_of(form)?;
        let p = Self::plan_of(form)?;
        let version = form.number_opt("version")?;
        let produkt = opt(form, "produkt");
        let zeilen = plan::plan_bericht(env.session, jahr, version, p, produkt.as_deref())?;
        let titel = match &produkt {
            Some(pr) => format!("Teil{} {jahr} – {pr}", p.titel().to_lowercase()),
            None => format!("Gesamt{} {jahr}", p.titel().to_lowercase()),
        };
        Ok((titel, zeilen))
    }
}

impl Abfrage for Haushaltsplan {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN100",
            title: "Haushaltsplan",
            help: "Ergebnis- (E) oder Finanzplan (F) eines Jahres; mit Produkt(-gruppe/-bereich) der Teilplan; ohne Version der geltende Plan. \
                   D vor einer Zeile zeigt den ganzen Plan mit Ergebnis Vorvorjahr, Ansatz Vorjahr und Planungsjahren. \
                   ⟨save⟩ beschließt nach Rückfrage die Version (leer = die Version im Entwurf) mit dem Datum des Ratsbeschlusses; danach sind ihre Ansätze unveränderlich (Änderungen nur über einen Nachtrag, FIN110 ⟨new⟩).",
            auto_skip: false,
            fields: vec![
                jahr_field(1),
                FieldDef::new("plan", "Plan", 0, 14, 1, FieldKind::Upper)
                    .label_width(6)
                    .help("E = Ergebnisplan, F = Finanzplan."),
                FieldDef::new("produkt", "Produkt", 0, 24, 8, FieldKind::Text)
                    .label_width(9)
                    .help("Leer = Gesamtplan; 01, 01.01 oder 01.01.01 = Teilplan."),
                FieldDef::new("version", "Version", 0, 45, 2, FieldKind::Number)
                    .label_width(9)
                    .help("Planversion; leer = geltende (letzte beschlossene); beim Beschluss leer = die Version im Entwurf."),
                FieldDef::new("beschluss", "Beschluss", 0, 58, 10, FieldKind::Date)
                    .label_width(11)
                    .help("Datum des Ratsbeschlusses TT.MM.JJJJ (nur für ⟨save⟩ = Version beschließen)."),
            ],
        }
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::FinasAnordnung])
    }

    /// Ask before adopting: which version, its name and the date.
    fn save(&self, form: &mut Form, env: &mut Env) -> Result<Nav> {
        let jahr = jahr_of(form)?;
        let v = match form.number_opt::<i64>("version")? {
            Some(nr) => plan::versionen(env.session, jahr)?
                .into_iter()
                .find(|v| v.version == nr)
                .ok_or_else(|| {
                    KisError::field(
                        "version",
                        format!("Planversion {nr} für {jahr} ist nicht vorhanden."),
                    )
                })?,
            None => plan::entwurf(env.session, jahr)?,
        };
        if v.beschlossen {
            return Err(KisError::field(
                "version",
                format!(
                    "Planversion {} für {jahr} ist bereits beschlossen.",
                    v.version
                ),
            ));
        }
        let datum = form.date_opt("beschluss")?.ok_or_else(|| {
            KisError::field(
                "beschluss",
                "Bitte das Datum des Ratsbeschlusses angeben (TT.MM.JJJJ).",
            )
        })?;
        self.frage.set(Some((jahr, v.version, datum)));
        Ok(Nav::Popup(Popup::confirm(
            format!(
                "Version {} „{}“ mit Ratsbeschluss vom {} beschließen? Ihre Ansätze sind danach unveränderlich. (J/N)",
                v.version,
                v.bezeichnung,
                crate::core::date::format_date_de(datum)
            ),
            BESCHLUSS,
        )))
    }

    fn answered(
        &self,
        form: &mut Form,
        env: &mut Env,
        tag: &'static str,
        yes: bool,
    ) -> Result<Nav> {
        let Some((jahr, version, datum)) = self.frage.take().filter(|_| tag == BESCHLUSS) else {
            return Ok(Nav::Stay);
        };
        if !yes {
            env.info(format!("Version {version} für {jahr} nicht beschlossen."));
            return Ok(Nav::Stay);
        }
        let v = plan::beschliessen(env.session, jahr, version, datum)?;
        form.set("version", &version.to_string());
        env.info(format!(
            "Version {version} „{}“ für {jahr} am {} beschlossen; sie ist jetzt der geltende Plan.",
            v.bezeichnung,
            crate::core::date::format_date_de(datum)
        ));
        Ok(Nav::Stay)
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Nr", 3),
            Column::new("Bezeichnung", 30),
            Column::new("Ansatz Vorj.", 14),
            Column::new("Ansatz", 14),
            Column::new("Planung +1", 14),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![DOKUMENT]
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
        form.set("plan", "E");
    }

    fn rows(&self, form: &Form, env: &mut Env) -> Result<(Vec<ListRow>, String)> {
        let (titel, zeilen) = Self::bericht(form, env)?;
        let rows = zeilen
            .iter()
            .map(|z| {
                let name = if z.summe {
                    format!("= {}", z.bezeichnung)
                } else {
                    z.bezeichnung.clone()
                };
                ListRow::new(
                    z.zeile.to_string(),
                    vec![
                        z.zeile.to_string(),
                        name,
                        eur(z.werte[1]),
                        eur(z.werte[2]),
                        eur(z.werte[3]),
                    ],
                )
            })
            .collect();
        Ok((rows, format!("{titel}: D = ganzer Plan als Dokument.")))
    }

    fn line_command(&self, _c: char, _key: &str, form: &Form, env: &mut Env) -> Nav {
        match Self::bericht(form, env) {
            Ok((titel, zeilen)) => {
                let jahr = jahr_of(form).unwrap_or_default();
                Nav::Popup(Popup::document(
                    titel.clone(),
                    &plan::plan_text(&titel, jahr, &zeilen),
                ))
            }
            Err(e) => {
                env.fail(&e);
                Nav::Stay
            }
        }
    }
}

/// FIN200: the budget positions with their available funds; V shows the
/// history, R, G and S open FIN210, FIN220 and FIN230 for the position.
struct Ueberwachung;

impl Abfrage for Ueberwachung {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN200",
            title: "Haushaltsüberwachung",
            help: "Verfügbare Mittel je Haushaltsposition (Produkt/Konto): Ansatz + Übertragung + Nachtrag + Genehmigungen − Sperre − Obligo − Anordnungssoll, \
                   immer aktuell. V vor einer Zeile zeigt den Verlauf (Ansätze, Genehmigungen mit Nummer und Datum, Reservierungen, Buchungen); \
                   R reserviert Mittel (FIN210), G erfasst eine Genehmigung (FIN220), S eine Sperre (FIN230) für die Position, \
                   Ü überträgt ihren nicht verbrauchten Rest in das Folgejahr (FIN240).",
            auto_skip: false,
            fields: vec![
                jahr_field(1),
                FieldDef::new("produkt", "Produkt", 0, 14, 8, FieldKind::Text)
                    .label_width(9)
                    .help("Leer = alle; 01, 01.01 oder 01.01.01 schränkt ein."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Produkt", 8),
            Column::new("Konto", 5),
            Column::new("Ermächtigung", 14),
            Column::new("Obligo", 12),
            Column::new("Anordnungssoll", 14),
            Column::new("Verfügbar", 14),
            Column::new("%", 4),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![VERLAUF, RESERVIEREN, GENEHMIGEN, SPERREN, UEBERTRAGEN]
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
    }

    fn rows(&self, form: &Form, env: &mut Env) -> Result<(Vec<ListRow>, String)> {
        let jahr = jahr_of(form)?;
        let filter = opt(form, "produkt");
        let rows: Vec<ListRow> = ueberwachung::positionen(env.session, jahr)?
            .into_iter()
            .filter(|p| {
                filter
                    .as_deref()
                    .is_none_or(|f| p.produkt == f || p.produkt.starts_with(&format!("{f}.")))
            })
            .map(|p| {
                let e = p.ermaechtigung();
                let quote = if e > 0 {
                    format!("{}", (p.obligo + p.anordnungssoll) * 100 / e)
                } else {
                    "–".into()
                };
                let mut row = ListRow::new(
                    format!("{}|{}", p.produkt, p.konto),
                    vec![
                        p.produkt.clone(),
                        p.konto.clone(),
                        eur(e),
                        eur(p.obligo),
                        eur(p.anordnungssoll),
                        eur(p.verfuegbar()),
                        quote,
                    ],
                );
                row.alert = p.verfuegbar() < 0;
                row
            })
            .collect();
        let n = rows.len();
        Ok((rows, format!("{n} Haushaltspositionen {jahr}.")))
    }

    fn line_command(&self, c: char, key: &str, form: &Form, env: &mut Env) -> Nav {
        let Some((produkt, konto)) = key.split_once('|') else {
            return Nav::Stay;
        };
        let jahr = form.get("jahr");
        let werte = [
            ("jahr", jahr.trim()),
            ("produkt", produkt),
            ("konto", konto),
        ];
        match c {
            'R' => {
                return Nav::Push(eingabe::open_mit(
                    bewirtschaftung::Reservierung,
                    env,
                    &werte,
                ));
            }
            'G' => {
                return Nav::Push(eingabe::open_mit(bewirtschaftung::Genehmigung, env, &werte));
            }
            'S' => return Nav::Push(eingabe::open_mit(bewirtschaftung::Sperre, env, &werte)),
            'Ü' | 'U' => {
                // Into the following year, from the position's year in the list.
                let ziel = jahr
                    .trim()
                    .parse::<i32>()
                    .map_or(String::new(), |j| (j + 1).to_string());
                let werte = [
                    ("jahr", ziel.as_str()),
                    ("produkt", produkt),
                    ("konto", konto),
                ];
                return Nav::Push(eingabe::open_mit(
                    bewirtschaftung::Uebertragung,
                    env,
                    &werte,
                ));
            }
            _ => {}
        }
        let r = jahr_of(form).and_then(|jahr| {
            Ok((
                jahr,
                ueberwachung::verlauf(env.session, jahr, produkt, konto)?,
            ))
        });
        match r {
            Ok((jahr, verlauf)) => {
                let mut text = format!("Verlauf {produkt}/{konto} {jahr}\n\n");
                for e in verlauf {
                    text.push_str(&format!(
                        "{:<10} {:<26} {:>16}  {}\n",
                        e.datum,
                        e.art,
                        e.betrag.format_de(),
                        e.text
                    ));
                }
                Nav::Popup(Popup::document(format!("Verlauf {produkt}/{konto}"), &text))
            }
            Err(e) => {
                env.fail(&e);
                Nav::Stay
            }
        }
    }
}

/// The question before a Buchung is cancelled.
const STORNO: &str = "fin310-storno";

const STORNIEREN: LineCommand = LineCommand {
    letters: "S",
    label: "Stornieren",
};

/// FIN310: the lines of one account with the running balance; A shows a
/// Buchung, S cancels it (Storno on the day and with the reason of the
/// mask's fields) after a question.
#[derive(Default)]
struct Kontenblatt {
    /// The Buchung (number, Storno date, reason) the question is about.
    frage: std::cell::RefCell<Option<(i64, chrono::NaiveDate, String)>>,
}

impl Abfrage for Kontenblatt {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN310",
            title: "Kontenblatt",
            help: "Alle Buchungen eines Kontos im Jahr mit laufendem Saldo (Soll − Haben). A vor einer Zeile zeigt die Buchung mit allen Zeilen. \
                   S storniert die Buchung nach Rückfrage: eine Gegenbuchung mit Soll und Haben getauscht, am Tag „Storno am“ (in einer offenen Periode) \
                   und mit dem Grund aus dem Feld Grund; die Buchung selbst bleibt. Ein Storno und eine schon stornierte Buchung werden nicht storniert.",
            auto_skip: false,
            fields: vec![
                jahr_field(1),
                FieldDef::new("konto", "Konto", 0, 14, 4, FieldKind::Number)
                    .label_width(7)
                    .required()
                    .help("Vierstellige Kontonummer, z. B. 1811."),
                FieldDef::new("storno_am", "Storno am", 1, 1, 10, FieldKind::Date)
                    .label_width(11)
                    .help("Buchungstag des Stornos TT.MM.JJJJ (Zeilenbefehl S); nicht vor der Buchung, in einer offenen Periode."),
                FieldDef::new("grund", "Grund", 1, 24, 40, FieldKind::Text)
                    .label_width(7)
                    .help("Grund des Stornos (Zeilenbefehl S), z. B. „doppelt erfasst“; steht im Buchungstext des Stornos."),
            ],
        }
    }

    fn try_line_command(&self, c: char, key: &str, form: &Form, env: &mut Env) -> Result<Nav> {
        if c != 'S' {
            return Ok(self.line_command(c, key, form, env));
        }
        if !env.darf(&[Role::FinasAendern], "Stornieren") {
            return Ok(Nav::Stay);
        }
        let nr: i64 = key
            .parse()
            .map_err(|_| KisError::validation("Buchungsnummer ungültig."))?;
        let b = journal::lesen(env.session, nr)?;
        journal::stornierbar(&b)?;
        let datum = form.date_opt("storno_am")?.ok_or_else(|| {
            KisError::field(
                "storno_am",
                "Bitte den Tag des Stornos angeben (TT.MM.JJJJ).",
            )
        })?;
        let grund = opt(form, "grund")
            .ok_or_else(|| KisError::field("grund", "Bitte den Grund des Stornos angeben."))?;
        let frage = format!(
            "Buchung {nr} vom {} (Beleg {}, {} €) am {} stornieren? Grund: {grund} (J/N)",
            crate::core::date::format_date_de(b.datum),
            b.beleg,
            b.summe.format_de(),
            crate::core::date::format_date_de(datum)
        );
        *self.frage.borrow_mut() = Some((nr, datum, grund));
        Ok(Nav::Popup(Popup::confirm(frage, STORNO)))
    }

    fn answered(
        &self,
        _form: &mut Form,
        env: &mut Env,
        tag: &'static str,
        yes: bool,
    ) -> Result<Nav> {
        let Some((nr, datum, grund)) = self.frage.borrow_mut().take().filter(|_| tag == STORNO)
        else {
            return Ok(Nav::Stay);
        };
        if !yes {
            env.info(format!("Buchung {nr} nicht storniert."));
            return Ok(Nav::Stay);
        }
        let storno = journal::stornieren(env.session, nr, datum, &grund)?;
        env.info(format!(
            "Buchung {nr} storniert durch Buchung {storno} vom {}.",
            crate::core::date::format_date_de(datum)
        ));
        Ok(Nav::Stay)
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Nr", 7),
            Column::new("Datum", 10),
            Column::new("Beleg", 12),
            Column::new("Text", 16),
            Column::new("Soll", 12),
            Column::new("Haben", 12),
            Column::new("Saldo", 14),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![crate::ui::list::ANZEIGEN, STORNIEREN]
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
        form.set(
            "storno_am",
            &crate::core::date::format_date_de(env.session.today()),
        );
    }

    fn rows(&self, form: &Form, env: &mut Env) -> Result<(Vec<ListRow>, String)> {
        let jahr = jahr_of(form)?;
        let (k, zeilen) = journal::kontenblatt(env.session, jahr, &form.get("konto"), 0, 2000)?;
        let n = zeilen.len();
        let rows = zeilen
            .into_iter()
            .map(|z| {
                ListRow::new(
                    z.nr.to_string(),
                    vec![
                        z.nr.to_string(),
                        crate::core::date::format_date_de(z.datum),
                        z.beleg,
                        z.text,
                        z.soll.format_de(),
                        z.haben.format_de(),
                        z.saldo.format_de(),
                    ],
                )
            })
            .collect();
        Ok((
            rows,
            format!(
                "Konto {} {}: {n} Buchungszeilen{}.",
                k.nr,
                k.bezeichnung,
                if n == 2000 { " (die ersten 2.000)" } else { "" }
            ),
        ))
    }

    fn line_command(&self, _c: char, key: &str, _form: &Form, env: &mut Env) -> Nav {
        let r = key
            .parse::<i64>()
            .map_err(|_| KisError::validation("Buchungsnummer ungültig."))
            .and_then(|nr| journal::lesen(env.session, nr));
        match r {
            Ok(b) => Nav::Popup(Popup::document(
                format!("Buchung {}", b.nr),
                &buchung::dokument(&b),
            )),
            Err(e) => {
                env.fail(&e);
                Nav::Stay
            }
        }
    }
}

/// FIN400: the Summen- und Saldenliste; A opens the account's Kontenblatt as a document.
struct Saldenliste;

impl Abfrage for Saldenliste {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN400",
            title: "Summen- und Saldenliste",
            help: "Je Konto Eröffnungsbilanzwert, Soll, Haben und Saldo (EB + Soll − Haben) des Jahres; mit Produkt nur dessen Buchungen. \
                   Die letzte Zeile enthält die Summen: Soll = Haben.",
            auto_skip: false,
            fields: vec![
                jahr_field(1),
                FieldDef::new("produkt", "Produkt", 0, 14, 8, FieldKind::Text)
                    .label_width(9)
                    .help("Leer = alle Buchungen."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Konto", 5),
            Column::new("Bezeichnung", 16),
            Column::new("EB-Wert", 13),
            Column::new("Soll", 13),
            Column::new("Haben", 13),
            Column::new("Saldo", 13),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![crate::ui::list::ANZEIGEN]
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
    }

    fn rows(&self, form: &Form, env: &mut Env) -> Result<(Vec<ListRow>, String)> {
        let jahr = jahr_of(form)?;
        let liste = rechnung::saldenliste(env.session, jahr, opt(form, "produkt").as_deref())?;
        let (eb, soll, haben, saldo) = rechnung::summen(&liste);
        let mut rows: Vec<ListRow> = liste
            .iter()
            .map(|s| {
                ListRow::new(
                    s.konto.clone(),
                    vec![
                        s.konto.clone(),
                        s.bezeichnung.clone(),
                        eur(s.eb),
                        eur(s.soll),
                        eur(s.haben),
                        eur(s.saldo()),
                    ],
                )
            })
            .collect();
        let mut summe = ListRow::new(
            "",
            vec![
                String::new(),
                "Summe".into(),
                eur(eb),
                eur(soll),
                eur(haben),
                eur(saldo),
            ],
        );
        summe.alert = soll != haben;
        rows.push(summe);
        Ok((
            rows,
            format!(
                "{} Konten; Summe Soll {} = Haben {}.",
                liste.len(),
                eur(soll),
                eur(haben)
            ),
        ))
    }

    fn line_command(&self, _c: char, key: &str, form: &Form, env: &mut Env) -> Nav {
        if key.is_empty() {
            return Nav::Stay;
        }
        let r = jahr_of(form)
            .and_then(|jahr| Ok((jahr, journal::kontenblatt(env.session, jahr, key, 0, 500)?)));
        match r {
            Ok((jahr, (k, zeilen))) => {
                let mut text = format!("Kontenblatt {jahr} – {} {}\n\n", k.nr, k.bezeichnung);
                for z in zeilen {
                    text.push_str(&format!(
                        "{:>8} {} {:<14} {:<30} {:>14} {:>14} {:>16}\n",
                        z.nr,
                        crate::core::date::format_date_de(z.datum),
                        z.beleg,
                        z.text.chars().take(30).collect::<String>(),
                        z.soll.format_de(),
                        z.haben.format_de(),
                        z.saldo.format_de()
                    ));
                }
                Nav::Popup(Popup::document(format!("Kontenblatt {}", k.nr), &text))
            }
            Err(e) => {
                env.fail(&e);
                Nav::Stay
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{tag_von, umbrechen};

    #[test]
    fn documents_break_long_lines_and_time_stamps_read_as_dates() {
        assert_eq!(
            umbrechen("kurz   12,00\n  eins zwei drei vier", 12),
            "kurz   12,00\n  eins zwei\n  drei vier\n"
        );
        assert_eq!(tag_von("2026-10-15 09:00:00"), "15.10.2026");
        assert_eq!(tag_von("gestern"), "gestern");
    }
}
