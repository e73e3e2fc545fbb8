//! FIN554 Vollstreckungsübergabe: ⟨save⟩ hands over, after a question,
//! every Kassenzeichen dunned at the last Mahnstufe past its deadline and
//! writes the CSV `vollstreckung-NR.csv` (NR = the number of the handover)
//! into the directory of the mask, then shows the cases, their sum and the
//! file. The list shows the handovers, newest first; A shows one.

use std::path::{Path, PathBuf};

use super::{rechts, umbrechen};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::kasse::kassenzeichen;
use crate::finas::mahnwesen::vollstreckung::{self as vs, Fall};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The question before the handover.
const UEBERGEBEN: &str = "fin554-uebergeben";

/// The file of handover `nr`.
fn datei(nr: i64) -> String {
    format!("vollstreckung-{nr}.csv")
}

#[derive(Default)]
pub struct VollstreckungMaske {
    /// The directory a handover question is about.
    frage: Option<PathBuf>,
}

fn nr_of(key: &str) -> Result<i64> {
    key.parse()
        .map_err(|_| KisError::validation("Nummer der Übergabe ungültig."))
}

fn gesamt(faelle: &[Fall]) -> Money {
    Money::from_cents(faelle.iter().map(|f| f.gesamt().cents()).sum())
}

/// The handover as shown after it: the file, then each case.
fn ergebnis_text(nr: i64, faelle: &[Fall], pfad: &Path) -> String {
    let mut s = format!(
        "Vollstreckungsübergabe {nr}\n\nDatei: {}\n{} Kassenzeichen, zusammen {} €\n\n",
        pfad.display(),
        faelle.len(),
        gesamt(faelle).format_de()
    );
    s.push_str(&format!(
        "{:<14} {:<26} {:>14}  {}\n",
        "Kassenzeichen", "Schuldner", "Gesamt €", "Anschrift"
    ));
    for f in faelle {
        s.push_str(&format!(
            "{:<14} {:<26} {:>14}  {}\n",
            kassenzeichen::anzeigen(&f.kassenzeichen),
            f.schuldner.chars().take(26).collect::<String>(),
            f.gesamt().format_de(),
            f.anschrift_quelle
        ));
    }
    s
}

/// Hand over and write the file: first under a temporary name inside the
/// transaction (a file that cannot be written records nothing), then named
/// after the handover's number.
fn uebergeben(env: &mut Env, dir: &Path) -> Result<(i64, Vec<Fall>, PathBuf)> {
    // Per clerk and process, so two handovers into one directory do not
    // share the temporary file.
    let tmp = dir.join(format!(
        ".vollstreckung-{}-{}.csv.neu",
        env.session.actor().user,
        std::process::id()
    ));
    let r = vs::uebergeben(env.session, &mut |faelle| {
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&tmp, vs::csv(faelle)))
            .map_err(|e| {
                KisError::field(
                    "verzeichnis",
                    format!("{} kann nicht geschrieben werden: {e}", tmp.display()),
                )
            })
    });
    let (nr, faelle) = match r {
        Ok(x) => x,
        Err(e) => {
            // Nothing was recorded: no file stays behind.
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let pfad = dir.join(datei(nr));
    std::fs::rename(&tmp, &pfad).map_err(|e| {
        KisError::System(format!(
            "Übergabe {nr} ist erfasst, die Datei liegt aber unter {} ({e}).",
            tmp.display()
        ))
    })?;
    Ok((nr, faelle, pfad))
}

impl Search for VollstreckungMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN554",
            title: "Vollstreckungsübergabe",
            help: "⟨save⟩ übergibt nach Rückfrage alles Vollstreckungsreife (letzte Mahnstufe, Frist abgelaufen) und schreibt \
                   vollstreckung-NR.csv in das Verzeichnis; danach wird nicht mehr gemahnt. A vor einer Zeile zeigt eine Übergabe.",
            auto_skip: false,
            fields: vec![
                FieldDef::new("verzeichnis", "Verzeichnis", 0, 1, 64, FieldKind::Text)
                    .label_width(14)
                    .required()
                    .help(
                        "Verzeichnis, in das die Übergabedatei geschrieben wird (wird angelegt).",
                    ),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("    Nr", 6),
            Column::new("Datum", 10),
            Column::new("Posten", 6),
            Column::new("         Summe €", 16),
            Column::new("übergeben von", 14),
            Column::new("Datei", 20),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN]
    }

    fn defaults(&self, form: &mut Form, _env: &mut Env) {
        // The current directory, where the clerk started KIS (if it fits).
        let dir = std::env::current_dir()
            .ok()
            .map(|d| d.display().to_string())
            .filter(|d| d.chars().count() <= 64)
            .unwrap_or_else(|| ".".into());
        form.set("verzeichnis", &dir);
    }

    fn search(&mut self, env: &mut Env, _form: &Form) -> Result<Box<dyn ListSource>> {
        let liste = vs::liste(env.session)?;
        let rows: Vec<ListRow> = liste
            .iter()
            .map(|u| {
                ListRow::new(
                    u.nr.to_string(),
                    vec![
                        rechts(&u.nr.to_string(), 6),
                        format_date_de(u.datum),
                        rechts(&u.posten.to_string(), 6),
                        rechts(&u.summe.format_de(), 16),
                        u.von.clone(),
                        datei(u.nr),
                    ],
                )
            })
            .collect();
        env.info(if rows.is_empty() {
            "Noch keine Übergaben; ⟨save⟩ übergibt das Vollstreckungsreife.".to_string()
        } else {
            format!("{} Übergaben, die neueste zuerst.", rows.len())
        });
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, _letter: char, key: &str, _form: &Form) -> Result<Nav> {
        let nr = nr_of(key)?;
        let u = vs::liste(env.session)?
            .into_iter()
            .find(|u| u.nr == nr)
            .ok_or_else(|| KisError::NotFound(format!("Übergabe {nr} ist nicht vorhanden.")))?;
        let text = format!(
            "Vollstreckungsübergabe {nr}\n\nübergeben am {} von {}\n{} Posten, zusammen {} €\nDatei: {}\n",
            format_date_de(u.datum),
            u.von,
            u.posten,
            u.summe.format_de(),
            datei(nr)
        );
        Ok(Nav::Popup(Popup::document(
            format!("Vollstreckungsübergabe {nr}"),
            &umbrechen(&text, 76),
        )))
    }

    fn answered(
        &mut self,
        env: &mut Env,
        _form: &mut Form,
        tag: &'static str,
        yes: bool,
    ) -> Result<Nav> {
        let Some(dir) = self.frage.take().filter(|_| tag == UEBERGEBEN) else {
            return Ok(Nav::Stay);
        };
        if !yes {
            env.info("Nichts übergeben.");
            return Ok(Nav::Stay);
        }
        let (nr, faelle, pfad) = uebergeben(env, &dir)?;
        env.info(format!(
            "Übergabe {nr}: {} Kassenzeichen, {} €, Datei {}.",
            faelle.len(),
            gesamt(&faelle).format_de(),
            datei(nr)
        ));
        Ok(Nav::Popup(Popup::document(
            format!("Vollstreckungsübergabe {nr}"),
            &umbrechen(&ergebnis_text(nr, &faelle, &pfad), 76),
        )))
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::Kasse])
    }

    fn save(&mut self, env: &mut Env, form: &mut Form) -> Result<Nav> {
        let dir = super::verzeichnis_of(form, "die Übergabedatei")?;
        let frage = format!(
            "Alles zum {} Vollstreckungsreife an die Vollstreckungsbehörde übergeben und in {} schreiben? Die Posten werden danach nicht mehr gemahnt. (J/N)",
            format_date_de(env.session.today()),
            dir.display()
        );
        self.frage = Some(dir);
        Ok(Nav::Popup(Popup::confirm(frage, UEBERGEBEN)))
    }

    fn lookups(&self) -> bool {
        false
    }
}
