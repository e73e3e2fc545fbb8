//! FIN520 Zahllauf: ⟨save⟩ runs the Zahllauf for the execution date and
//! writes its SEPA files (pain.001 transfers, pain.008 direct debits) into
//! the directory of the mask, then shows the files written and the hints
//! (payments left waiting). Enter lists the runs; on a line A shows the
//! run's items, D writes its files again into the directory, S cancels it
//! after a question (its items are open again).

use std::path::PathBuf;

use super::{rechts, tag_von, umbrechen};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::kasse::zahllauf as zl;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The question before a run is cancelled.
const STORNO: &str = "fin520-storno";

const NEU_DRUCKEN: LineCommand = LineCommand {
    letters: "D",
    label: "Dateien neu",
};
const STORNIEREN: LineCommand = LineCommand {
    letters: "S",
    label: "Stornieren",
};

/// The most runs the list shows.
const LIMIT: usize = 1000;

#[derive(Default)]
pub struct ZahllaufMaske {
    /// The run a cancellation question is about.
    frage: Option<i64>,
}

fn nr_of(key: &str) -> Result<i64> {
    key.parse()
        .map_err(|_| KisError::validation("Nummer des Zahllaufs ungültig."))
}

/// What a run wrote: the files with their payments and sums, then the hints.
fn ergebnis_text(e: &zl::Ergebnis, pfade: &[PathBuf]) -> String {
    let mut s = format!("Zahllauf {}\n\nGeschriebene Dateien:\n", e.nr);
    if e.dateien.is_empty() {
        s.push_str("  keine (nichts fällig)\n");
    }
    for (d, p) in e.dateien.iter().zip(pfade) {
        s.push_str(&format!(
            "  {:<16} {:>6} Posten {:>16} €\n    {}\n",
            d.art,
            d.anzahl,
            d.summe.format_de(),
            p.display()
        ));
    }
    if !e.hinweise.is_empty() {
        s.push_str("\nHinweise:\n");
        for h in &e.hinweise {
            s.push_str(&format!("  {h}\n"));
        }
    }
    s
}

impl Search for ZahllaufMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN520",
            title: "Zahllauf",
            help: "Zahllauf zu einem Ausführungstag: ⟨save⟩ sammelt die fälligen Auszahlungen (SEPA-Überweisung pain.001) und die fälligen Forderungen \
                   mit gültigem Mandat (SEPA-Lastschrift pain.008), prüft die Dateien gegen das XSD und schreibt sie in das Verzeichnis. \
                   Enter listet die Zahlläufe; A vor einer Zeile zeigt die Posten, D schreibt die Dateien erneut in das Verzeichnis, \
                   S storniert den Lauf (mit Rückfrage; die Posten sind danach wieder offen).",
            auto_skip: false,
            fields: vec![
                FieldDef::new("datum", "Ausführung", 0, 1, 10, FieldKind::Date)
                    .label_width(14)
                    .required()
                    .help("Ausführungstag TT.MM.JJJJ (heute oder später); fällig bis zu diesem Tag wird gezahlt und eingezogen."),
                FieldDef::new("verzeichnis", "Verzeichnis", 1, 1, 64, FieldKind::Text)
                    .label_width(14)
                    .required()
                    .help("Verzeichnis, in das die SEPA-Dateien geschrieben werden (wird angelegt)."),
            ],
        }
    }

    /// Number and amount titles right-aligned over their values.
    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("    Nr", 6),
            Column::new("Ausführung", 10),
            Column::new("Stand", 9),
            Column::new("Posten", 6),
            Column::new("         Summe €", 16),
            Column::new("erstellt", 20),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, NEU_DRUCKEN, STORNIEREN]
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("datum", &format_date_de(env.session.today()));
        // The current directory, where the clerk started KIS (if it fits).
        let dir = std::env::current_dir()
            .ok()
            .map(|d| d.display().to_string())
            .filter(|d| d.chars().count() <= 64)
            .unwrap_or_else(|| ".".into());
        form.set("verzeichnis", &dir);
    }

    fn search(&mut self, env: &mut Env, _form: &Form) -> Result<Box<dyn ListSource>> {
        let laeufe = zl::liste(env.session, LIMIT)?;
        let rows: Vec<ListRow> = laeufe
            .iter()
            .map(|l| {
                let mut row = ListRow::new(
                    l.nr.to_string(),
                    vec![
                        rechts(&l.nr.to_string(), 6),
                        format_date_de(l.ausfuehrung),
                        if l.live { "laufend" } else { "storniert" }.into(),
                        rechts(&l.anzahl.to_string(), 6),
                        rechts(&l.summe.format_de(), 16),
                        format!("{} {}", l.erstellt_von, tag_von(&l.erstellt_am)),
                    ],
                );
                row.alert = !l.live;
                row
            })
            .collect();
        env.info(if rows.is_empty() {
            "Noch keine Zahlläufe; ⟨save⟩ führt einen aus.".to_string()
        } else {
            format!("{} Zahlläufe, der neueste zuerst.", rows.len())
        });
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, form: &Form) -> Result<Nav> {
        let nr = nr_of(key)?;
        match letter {
            'D' => {
                let dir = super::verzeichnis_of(form, "die SEPA-Dateien")?;
                let (_, pfade) = zl::neu_drucken(env.session, nr, Some(&dir))?;
                env.info(format!(
                    "Zahllauf {nr}: {} Datei(en) neu geschrieben in {}.",
                    pfade.len(),
                    dir.display()
                ));
                Ok(Nav::Stay)
            }
            'S' => {
                self.frage = Some(nr);
                Ok(Nav::Popup(Popup::confirm(
                    format!(
                        "Zahllauf {nr} wirklich stornieren? Seine Posten sind danach wieder offen. (J/N)"
                    ),
                    STORNO,
                )))
            }
            _ => {
                let (l, posten) = zl::zeigen(env.session, nr)?;
                Ok(Nav::Popup(Popup::document(
                    format!("Zahllauf {nr}"),
                    &zl::text(&l, &posten),
                )))
            }
        }
    }

    fn confirmed(&mut self, env: &mut Env, tag: &'static str, yes: bool) -> Result<()> {
        let Some(nr) = self.frage.take().filter(|_| tag == STORNO) else {
            return Ok(());
        };
        if !yes {
            env.info(format!("Zahllauf {nr} nicht storniert."));
            return Ok(());
        }
        zl::stornieren(env.session, nr)?;
        env.info(format!(
            "Zahllauf {nr} storniert; die Posten sind wieder offen."
        ));
        Ok(())
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::Kasse])
    }

    fn save(&mut self, env: &mut Env, form: &mut Form) -> Result<Nav> {
        let datum = form.date("datum")?;
        let dir = super::verzeichnis_of(form, "die SEPA-Dateien")?;
        let (e, pfade) = zl::ausfuehren(env.session, datum, Some(&dir))?;
        let posten: i64 = e.dateien.iter().map(|d| d.anzahl).sum();
        let text = format!(
            "Zahllauf {} zum {} angelegt: {} Datei(en), {posten} Posten",
            e.nr,
            format_date_de(datum),
            pfade.len()
        );
        if e.hinweise.is_empty() {
            env.info(format!("{text}."));
        } else {
            env.warn(format!("{text}, {} Hinweis(e).", e.hinweise.len()));
        }
        Ok(Nav::Popup(Popup::document(
            format!("Zahllauf {}", e.nr),
            &umbrechen(&ergebnis_text(&e, &pfade), 76),
        )))
    }

    fn lookups(&self) -> bool {
        false
    }
}
