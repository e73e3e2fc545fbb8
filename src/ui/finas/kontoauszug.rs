//! FIN530 Kontoauszug: ⟨save⟩ imports the camt.053 file named in the mask
//! (matching, application in the Mandant's order, Rücklastschriften, the
//! rest to the Klärungsliste FIN540) and shows the summary line, or the
//! refusal with element and line in the field Datei (nothing imported).
//! The list shows the imported statements, newest first; A shows one.

use std::path::PathBuf;

use super::{opt, rechts, umbrechen};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::kasse::kontoauszug as ka;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The most statements the list shows.
const LIMIT: usize = 1000;

#[derive(Default)]
pub struct KontoauszugMaske;

fn id_of(key: &str) -> Result<i64> {
    key.parse()
        .map_err(|_| KisError::validation("Nummer des Kontoauszugs ungültig."))
}

fn datei_of(form: &Form) -> Result<PathBuf> {
    opt(form, "datei").map(PathBuf::from).ok_or_else(|| {
        KisError::field(
            "datei",
            "Bitte den Pfad der camt.053-Datei (Kontoauszug der Bank) angeben.",
        )
    })
}

fn eur(c: i64) -> String {
    Money::from_cents(c).format_de()
}

impl Search for KontoauszugMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN530",
            title: "Kontoauszug",
            help: "Kontoauszug der Bank (camt.053): ⟨save⟩ importiert die Datei, ordnet die Umsätze zu (Rest in die Klärungsliste FIN540). \
                   Eine fehlerhafte Datei ändert nichts. A vor einer Zeile zeigt einen Auszug.",
            auto_skip: false,
            fields: vec![
                FieldDef::new("datei", "Datei", 0, 1, 64, FieldKind::Text)
                    .label_width(8)
                    .help(
                        "Pfad der camt.053-Datei (XML), z. B. /daten/bank/auszug-2026-11-20.xml.",
                    ),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("    Nr", 6),
            Column::new("Datum", 10),
            Column::new("IBAN", 22),
            Column::new("Auszug", 14),
            Column::new("  Schlusssaldo €", 16),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN]
    }

    fn search(&mut self, env: &mut Env, _form: &Form) -> Result<Box<dyn ListSource>> {
        let liste = ka::auszuege(env.session, LIMIT)?;
        let rows: Vec<ListRow> = liste
            .iter()
            .map(|a| {
                ListRow::new(
                    a.id.to_string(),
                    vec![
                        rechts(&a.id.to_string(), 6),
                        format_date_de(a.datum),
                        a.iban.clone(),
                        a.auszug_id.clone(),
                        rechts(&eur(a.schlusssaldo), 16),
                    ],
                )
            })
            .collect();
        env.info(if rows.is_empty() {
            "Noch keine Kontoauszüge; ⟨save⟩ importiert die Datei.".to_string()
        } else {
            format!("{} Kontoauszüge, der neueste zuerst.", rows.len())
        });
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, _letter: char, key: &str, _form: &Form) -> Result<Nav> {
        let id = id_of(key)?;
        let a = ka::auszuege(env.session, LIMIT)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| KisError::NotFound(format!("Kontoauszug {id} ist nicht vorhanden.")))?;
        let text = format!(
            "Kontoauszug {id}\n\nKonto (IBAN): {}\nAuszug der Bank: {}{}\nDatum: {}\nNachricht: {}\nAnfangssaldo: {:>16} €\nSchlusssaldo: {:>16} €\n",
            a.iban,
            a.auszug_id,
            a.elektr_seq
                .map(|s| format!(" (elektronische Folge {s})"))
                .unwrap_or_default(),
            format_date_de(a.datum),
            a.nachricht,
            eur(a.anfangssaldo),
            eur(a.schlusssaldo)
        );
        Ok(Nav::Popup(Popup::document(
            format!("Kontoauszug {id}"),
            &umbrechen(&text, 76),
        )))
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::Kasse])
    }

    fn save(&mut self, env: &mut Env, form: &mut Form) -> Result<Nav> {
        let datei = datei_of(form)?;
        let xml = std::fs::read(&datei).map_err(|e| {
            KisError::field(
                "datei",
                format!(
                    "Die Datei {} kann nicht gelesen werden: {e}",
                    datei.display()
                ),
            )
        })?;
        // A refusal of the file names element and line, longer than the
        // message line: it is shown whole, the cursor stays in the field.
        let e = match ka::importieren(env.session, &xml) {
            Ok(e) => e,
            Err(KisError::Validation {
                field: None,
                message,
            }) => {
                form.fail("datei");
                env.error("Kontoauszug abgewiesen, nichts importiert (Grund im Fenster).");
                return Ok(Nav::Popup(Popup::document(
                    "Kontoauszug abgewiesen",
                    &umbrechen(&format!("{}\n\n{message}\n", datei.display()), 76),
                )));
            }
            Err(e) => return Err(e),
        };
        match e.hinweis() {
            Some(h) if e.umsaetze == 0 => env.warn(h),
            Some(h) => env.warn(format!("{}. {h}", e.zeile())),
            None => env.info(format!("{}.", e.zeile())),
        }
        Ok(Nav::Stay)
    }

    fn lookups(&self) -> bool {
        false
    }
}
