//! EWO200 Person anzeigen/ändern: the current state with dwellings and
//! family, Sperren prominently in the banner; F2/F10 saves a Berichtigung
//! (§12 BMG) with its reason; F9 shows the history.

use crate::core::date::{format_date_de, format_opt_date_de};
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::ewos::meldung::ENTITY;
use crate::ewos::model::*;
use crate::ewos::{person, standesamt};
use crate::kernel::audit::AuditEntry;
use crate::ui::field::{FieldDef, FieldKind, NAME_LEN};
use crate::ui::form::{Form, MaskDef, Mode};
use crate::ui::record::Record;
use crate::ui::screen::Env;

#[derive(Default)]
pub struct PersonRecord {
    loaded: Option<Person>,
    banner: Vec<String>,
}

fn l(key: &'static str, label: &'static str, row: u16, width: u16, kind: FieldKind) -> FieldDef {
    FieldDef::new(key, label, row, 1, width, kind).label_width(18)
}

fn r(key: &'static str, label: &'static str, row: u16, width: u16, kind: FieldKind) -> FieldDef {
    FieldDef::new(key, label, row, 44, width, kind).label_width(15)
}

pub fn mask() -> MaskDef {
    MaskDef {
        code: "EWO200",
        title: "Person anzeigen/ändern",
        help: "Daten der Person im Melderegister. ⟨change⟩ = Berichtigung (§ 12 BMG, Grund angeben), ⟨save⟩ speichert, ⟨history⟩ = Historie. \
               Umzüge und Standesamtsfälle über die Vorgänge (EWO110–EWO130).",
        auto_skip: false,
        fields: vec![
            l("om", "Ordnungsmerkmal", 0, 9, FieldKind::Number)
                .key_field()
                .readonly(),
            r("status", "Status", 0, 22, FieldKind::Text).readonly(),
            l("familienname", "Familienname", 1, 24, FieldKind::Text)
                .max_len(NAME_LEN)
                .required(),
            r("doktorgrad", "Doktorgrad", 1, 10, FieldKind::Text),
            l("vornamen", "Vornamen", 2, 24, FieldKind::Text)
                .max_len(NAME_LEN)
                .required(),
            r("rufname", "Gebr. Vorname", 2, 15, FieldKind::Text).max_len(NAME_LEN),
            l("fruehere", "Frühere Namen", 3, 55, FieldKind::Text).readonly(),
            l("geburtsdatum", "Geburtsdatum", 4, 10, FieldKind::Date).required(),
            r("geburtsort", "Geburtsort", 4, 20, FieldKind::Text).max_len(NAME_LEN),
            l("geschlecht", "Geschlecht", 5, 1, FieldKind::Upper)
                .required()
                .help("M, W, D oder X (ohne Angabe)."),
            r("religion", "Religion", 5, 2, FieldKind::Text),
            l("familienstand", "Familienstand", 6, 2, FieldKind::Upper),
            r("fs_datum", "seit", 6, 10, FieldKind::Date),
            l("idnr", "Steuer-IdNr", 7, 11, FieldKind::Number),
            r("staaten", "Staatsang.", 7, 20, FieldKind::Text).readonly(),
            l("wohnungen", "Wohnungen", 9, 58, FieldKind::Memo(4)).readonly(),
            l("familie", "Familie", 14, 58, FieldKind::Memo(3)).readonly(),
            l("grund", "Grund Berichtigung", 18, 50, FieldKind::Text)
                .help("Pflicht bei einer Berichtigung nach § 12 BMG."),
        ],
    }
}

impl Record for PersonRecord {
    fn def(&self) -> MaskDef {
        mask()
    }

    fn entity(&self) -> &'static str {
        ENTITY
    }

    fn change_roles(&self) -> &'static [Role] {
        &[Role::EwosAendern]
    }

    fn history(&self, env: &mut Env, key: &str) -> Result<Vec<AuditEntry>> {
        person::protokoll(env.session, parse_om(key)?)
    }

    fn load(&mut self, env: &mut Env, key: &str, form: &mut Form) -> Result<()> {
        let id = parse_om(key)?;
        let a = person::anzeigen(env.session, id)?;
        let p = &a.person;
        let d = &p.daten;
        form.load("om", &p.ordnungsmerkmal());
        let status = match p.status_datum {
            Some(sd) => format!("{} {}", p.status.label(), format_date_de(sd)),
            None => p.status.label().to_string(),
        };
        form.load("status", &status);
        form.load("familienname", &d.familienname);
        form.load("doktorgrad", &d.doktorgrad);
        form.load("vornamen", &d.vornamen);
        form.load("rufname", &d.rufname);
        form.load(
            "fruehere",
            &d.fruehere_namen
                .iter()
                .map(|n| format!("{} ({})", n.name, n.art_label()))
                .collect::<Vec<_>>()
                .join(", "),
        );
        form.load("geburtsdatum", &format_date_de(d.geburtsdatum));
        form.load("geburtsort", &d.geburtsort);
        form.load("geschlecht", &d.geschlecht.code().to_uppercase());
        form.load("religion", &d.religion);
        form.load("familienstand", &d.familienstand);
        form.load("fs_datum", &format_opt_date_de(d.familienstand_datum));
        form.load("idnr", d.idnr.as_deref().unwrap_or(""));
        form.load(
            "staaten",
            &d.staaten
                .iter()
                .map(|s| s.staat.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        let heute = a.heute;
        let aktuell = a.aktuelle_wohnungen();
        let wohnungen: Vec<String> = a
            .wohnungen
            .iter()
            .map(|w| {
                // Today's state: an announced dwelling is not current yet,
                // the one it replaces is until the move.
                let kurz = match w.art {
                    WohnungsArt::Haupt => "HW",
                    WohnungsArt::Neben => "NW",
                };
                let art = if w.bewohnt_am(heute) {
                    w.bezeichnung(&aktuell).to_string()
                } else if w.kuenftig_am(heute) {
                    format!("künftige {kurz}")
                } else {
                    format!("frühere {kurz}")
                };
                let bis = w
                    .auszug
                    .map(|x| format!("–{}", format_date_de(x)))
                    .unwrap_or_default();
                let flags = format!(
                    "{}{}",
                    if w.verspaetet { " verspätet" } else { "" },
                    if w.wgb_fehlt { " WGB fehlt" } else { "" }
                );
                if w.kuenftig_am(heute) {
                    // The date first: it is what makes the line not current yet.
                    return format!(
                        "[{}] {art} ab {}: {}{flags}",
                        w.id,
                        format_date_de(w.einzug),
                        w.anschrift
                    );
                }
                format!(
                    "[{}] {art}: {} ab {}{bis}{flags}",
                    w.id,
                    w.anschrift,
                    format_date_de(w.einzug)
                )
            })
            .collect();
        form.load("wohnungen", &wohnungen.join("\n"));
        let familie: Vec<String> = a
            .angehoerige
            .iter()
            .map(|g| {
                let bis = g
                    .bis
                    .map(|b| format!(" (bis {})", format_date_de(b)))
                    .unwrap_or_default();
                format!("{}: {} [{}]{bis}", g.rolle, g.name, format_om(g.person_id))
            })
            .collect();
        form.load("familie", &familie.join("\n"));
        form.load("grund", "");
        self.banner = a.warnungen(env.session.today());
        self.loaded = Some(a.person);
        Ok(())
    }

    fn save(&mut self, env: &mut Env, form: &mut Form, mode: Mode) -> Result<(String, String)> {
        let Some(p) = self.loaded.as_ref().filter(|_| mode == Mode::Aendern) else {
            return Err(KisError::validation(
                "Personen werden über die Anmeldung (EWO110) oder eine Geburtsmeldung angelegt.",
            ));
        };
        let mut d = p.daten.clone();
        d.familienname = form.get("familienname");
        d.doktorgrad = form.get("doktorgrad");
        d.vornamen = form.get("vornamen");
        d.rufname = form.get("rufname");
        d.geburtsdatum = form.date("geburtsdatum")?;
        d.geburtsort = form.get("geburtsort");
        d.geschlecht = Geschlecht::parse(&form.get("geschlecht"))?;
        d.religion = form.get("religion").trim().to_lowercase();
        d.familienstand = form.get("familienstand");
        d.familienstand_datum = form.date_opt("fs_datum")?;
        d.idnr = Some(form.get("idnr")).filter(|s| !s.trim().is_empty());
        standesamt::berichtigung(env.session, p.id, p.version, &d, &form.get("grund"))?;
        Ok((
            p.ordnungsmerkmal(),
            format!("Berichtigung für {} gespeichert.", p.ordnungsmerkmal()),
        ))
    }

    fn banner(&self) -> Vec<String> {
        self.banner.clone()
    }
}
