//! PER110 TVöD-Entgelttabelle: the table in force on a Stichtag, one line
//! per Entgeltgruppe; A shows it as a document with its source. Tables are
//! entered with `kis persos tabelle import` (checked, audited).

use crate::core::date::format_date_de;
use crate::core::error::Result;
use crate::persos::tarif;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup, Screen};
use crate::ui::search::{Search, SearchScreen};

pub fn open(env: &mut Env) -> Result<Box<dyn Screen>> {
    SearchScreen::open(TabellenAnsicht, env)
}

struct TabellenAnsicht;

fn stichtag(form: &Form) -> Result<chrono::NaiveDate> {
    form.date("stichtag")
}

impl Search for TabellenAnsicht {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "PER110",
            title: "TVöD-Entgelttabelle",
            help: "Stichtag eingeben, Enter zeigt die an diesem Tag gültige Entgelttabelle (TVöD-VKA, 39 Wochenstunden); \
                   A in der Liste zeigt die Tabelle mit ihrer Quelle. Neue Tabellen: kis persos tabelle import DATEI.",
            auto_skip: false,
            fields: vec![
                FieldDef::new("stichtag", "Stichtag", 0, 1, 10, FieldKind::Date)
                    .required()
                    .help("Tag, für den die Tabelle gilt, z. B. 01.05.2026."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        let mut c = vec![Column::new("EG", 5)];
        c.extend(
            [
                "Stufe 1", "Stufe 2", "Stufe 3", "Stufe 4", "Stufe 5", "Stufe 6",
            ]
            .map(|t| Column::new(t, 9)),
        );
        c
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN]
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("stichtag", &format_date_de(env.session.today()));
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let tag = stichtag(form)?;
        let tabellen = tarif::tabellen(env.session)?;
        let Some((ab, zeilen)) = tabellen.tabelle_am(tag) else {
            env.warn(format!(
                "Für den {} ist keine Entgelttabelle erfasst (kis persos tabelle import).",
                format_date_de(tag)
            ));
            return Ok(Box::new(VecSource(Vec::new())));
        };
        let rows = zeilen
            .iter()
            .map(|z| {
                let mut cells = vec![format!("E {}", z.eg)];
                cells.extend(
                    z.stufen
                        .iter()
                        .map(|b| b.map(|m| m.format_de()).unwrap_or_default()),
                );
                ListRow::new(z.eg.clone(), cells)
            })
            .collect();
        env.info(format!(
            "Tabelle gültig ab {} (Stichtag {}), A = mit Quelle.",
            format_date_de(ab),
            format_date_de(tag)
        ));
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, _letter: char, _key: &str, form: &Form) -> Result<Nav> {
        let tag = stichtag(form)?;
        let text = tarif::tabelle_text(env.session, tag)?;
        Ok(Nav::Popup(Popup::document(
            format!("TVöD-Entgelttabelle Stichtag {}", format_date_de(tag)),
            &text,
        )))
    }
}
