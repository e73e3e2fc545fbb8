//! KIS100 Straßenverzeichnis: a search list of streets with line commands,
//! and the street mask (display / change / new).

use crate::core::error::Result;
use crate::core::roles::Role;
use crate::kernel::audit::AuditEntry;
use crate::kernel::streets::{self, HouseNo, ORTSTEIL_LIST, Street};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef, Mode};
use crate::ui::list::{
    AENDERN, ANZEIGEN, Column, LOESCHEN, LineCommand, ListRow, ListSource, VecSource,
};
use crate::ui::record::{Record, RecordScreen};
use crate::ui::screen::{Env, Nav, Popup, Screen};
use crate::ui::search::{Search, SearchScreen};

pub fn open_list(env: &mut Env) -> Result<Box<dyn Screen>> {
    SearchScreen::open(StreetSearch::default(), env)
}

const DELETE: &str = "street-delete";

/// KIS100's search: streets by name or key, line commands A, Ä/U, L.
#[derive(Default)]
struct StreetSearch {
    pending_delete: Option<(String, i64)>,
}

impl Search for StreetSearch {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "KIS100",
            title: "Straßenverzeichnis",
            help: "Straßenname oder Straßenschlüssel (Anfang genügt) eingeben und Enter drücken. \
                   In der Liste: A=Anzeigen, Ä/U=Ändern, L=Löschen vor die Zeile schreiben, Enter; ⟨new⟩=Neue Straße.",
            auto_skip: false,
            fields: vec![FieldDef::new("suche", "Straße/Schlüssel", 0, 1, 30, FieldKind::Text)
                .help("Anfang des Straßennamens (ä = ae) oder des Straßenschlüssels; leer = alle Straßen.")],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Schl.", 5),
            Column::new("Straße", 30),
            Column::new("Ortsteil", 18),
            Column::new("PLZ", 5),
            Column::new("HNr", 5),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, AENDERN, LOESCHEN]
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let rows = streets::search(env.session, &form.get("suche"))?
            .into_iter()
            .map(|s| {
                let ortsteil = env
                    .codes
                    .short_text(ORTSTEIL_LIST, &s.ortsteil)
                    .unwrap_or(s.ortsteil.clone());
                ListRow::new(
                    s.schluessel.clone(),
                    vec![
                        s.schluessel,
                        s.name,
                        ortsteil,
                        s.plz,
                        s.anzahl_hausnummern.to_string(),
                    ],
                )
            })
            .collect();
        Ok(Box::new(VecSource(rows)))
    }

    fn found(&self, n: usize) -> String {
        match n {
            1 => "1 Straße gefunden.".into(),
            n => format!("{n} Straßen gefunden."),
        }
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, _form: &Form) -> Result<Nav> {
        Ok(match letter {
            'A' => Nav::Push(Box::new(RecordScreen::open(
                StreetRecord::default(),
                env,
                Some(key),
            )?)),
            'Ä' | 'U' => Nav::Push(Box::new(RecordScreen::open_for_change(
                StreetRecord::default(),
                env,
                key,
            )?)),
            'L' => {
                let st = streets::get(env.session, key)?;
                self.pending_delete = Some((st.schluessel.clone(), st.version));
                Nav::Popup(Popup::confirm(
                    format!(
                        "Straße {} {} wirklich löschen? (J/N)",
                        st.schluessel, st.name
                    ),
                    DELETE,
                ))
            }
            _ => Nav::Stay,
        })
    }

    fn creates(&self) -> Option<&'static [Role]> {
        Some(&[Role::Admin, Role::EwosAendern])
    }

    fn new_record(&mut self, env: &mut Env) -> Result<Nav> {
        Ok(Nav::Push(Box::new(RecordScreen::open(
            StreetRecord::default(),
            env,
            None,
        )?)))
    }

    fn confirmed(&mut self, env: &mut Env, tag: &'static str, yes: bool) -> Result<()> {
        if let (DELETE, true, Some((key, version))) = (tag, yes, self.pending_delete.take()) {
            streets::delete(env.session, &key, version)?;
            env.info(format!("Straße {key} gelöscht."));
        }
        Ok(())
    }
}

/// The street mask behind KIS100's line commands.
#[derive(Default)]
pub struct StreetRecord {
    version: i64,
}

fn street_mask() -> MaskDef {
    MaskDef {
        code: "KIS100",
        title: "Straße",
        help: "Eine Straße des Straßenverzeichnisses. Hausnummern als Liste: 1-45, 47, 49a; 2-20g nur gerade, 1-19u nur ungerade.",
        auto_skip: false,
        fields: vec![
            FieldDef::new("schluessel", "Straßenschlüssel", 1, 1, 5, FieldKind::Number)
                .required()
                .key_field()
                .help("Fünfstelliger Schlüssel der Straße, z. B. 00120. Nach dem Anlegen nicht mehr änderbar."),
            FieldDef::new("name", "Straßenname", 3, 1, 40, FieldKind::Text)
                .required()
                .help("Amtlicher Straßenname, z. B. Hauptstraße."),
            FieldDef::new("ortsteil", "Ortsteil", 5, 1, 3, FieldKind::Code(ORTSTEIL_LIST))
                .required()
                .help("Schlüssel des Ortsteils; ⟨lookup⟩ zeigt die Ortsteile."),
            FieldDef::new("plz", "Postleitzahl", 7, 1, 5, FieldKind::Number).required().help("Fünfstellige PLZ."),
            FieldDef::new("ort", "Ort", 7, 34, 24, FieldKind::Text).label_width(6).required().help("Ortsname für die Anschrift."),
            FieldDef::new("hausnummern", "Hausnummern", 9, 1, 50, FieldKind::Memo(4))
                .help("Gültige Hausnummern: 1-45, 47, 49a; 2-20g = gerade, 1-19u = ungerade."),
        ],
    }
}

impl Record for StreetRecord {
    fn def(&self) -> MaskDef {
        street_mask()
    }

    fn entity(&self) -> &'static str {
        streets::ENTITY
    }

    fn change_roles(&self) -> &'static [Role] {
        &[Role::Admin, Role::EwosAendern]
    }

    fn history(&self, env: &mut Env, key: &str) -> Result<Vec<AuditEntry>> {
        streets::protokoll(env.session, key)
    }

    fn load(&mut self, env: &mut Env, key: &str, form: &mut Form) -> Result<()> {
        let st = streets::get(env.session, key)?;
        form.load("schluessel", &st.schluessel);
        form.load("name", &st.name);
        form.load("ortsteil", &st.ortsteil);
        form.load("plz", &st.plz);
        form.load("ort", &st.ort);
        form.load("hausnummern", &streets::format_hausnummern(&st.hausnummern));
        self.version = st.version;
        Ok(())
    }

    fn save(&mut self, env: &mut Env, form: &mut Form, mode: Mode) -> Result<(String, String)> {
        let hausnummern: Vec<HouseNo> =
            streets::parse_hausnummern(&form.get("hausnummern").replace('\n', ","))?;
        let st = Street {
            schluessel: format!("{:0>5}", form.get("schluessel").trim()),
            name: form.get("name").trim().to_string(),
            ortsteil: form.code_opt("ortsteil")?.unwrap_or_default(),
            plz: form.get("plz").trim().to_string(),
            ort: form.get("ort").trim().to_string(),
            hausnummern,
            version: self.version,
        };
        if mode == Mode::Neu {
            streets::create(env.session, &st)?;
            Ok((
                st.schluessel.clone(),
                format!("Straße {} angelegt.", st.schluessel),
            ))
        } else {
            self.version = streets::update(env.session, &st)?;
            Ok((
                st.schluessel.clone(),
                format!("Straße {} gespeichert.", st.schluessel),
            ))
        }
    }
}
