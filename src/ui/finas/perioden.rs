//! FIN120 Perioden: the periods of a Haushaltsjahr (0 Eröffnung, 1–12 the
//! months, 13–16 closing) with their state; on a line S closes the period
//! and O opens it again, each after a question (role FINAS_ANORDNUNG; the
//! service `stamm::periode_setzen` checks it again and writes the audit).

use chrono::Datelike;

use super::{jahr_field, jahr_of};
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::stamm;
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The question before a period is closed or opened.
const FRAGE: &str = "fin120-periode";

const SCHLIESSEN: LineCommand = LineCommand {
    letters: "S",
    label: "Schließen",
};
const OEFFNEN: LineCommand = LineCommand {
    letters: "O",
    label: "Öffnen",
};

#[derive(Default)]
pub struct PeriodenMaske {
    /// The period (year, number, open?) a question is about.
    frage: Option<(i32, u8, bool)>,
}

impl Search for PeriodenMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN120",
            title: "Perioden",
            help: "Die Buchungsperioden eines Haushaltsjahres: 0 Eröffnung, 1–12 die Monate, 13–16 Abschlussbuchungen, mit Status. \
                   S vor einer Zeile schließt die Periode (Monatsabschluss), O öffnet sie wieder, jeweils nach Rückfrage; Rolle Anordnungsbefugnis. \
                   In eine geschlossene Periode wird nicht gebucht; Korrekturen gehen per Storno in eine offene Periode.",
            auto_skip: false,
            fields: vec![jahr_field(1)],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Periode", 7),
            Column::new("Bezeichnung", 14),
            Column::new("Status", 11),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![SCHLIESSEN, OEFFNEN]
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let jahr = jahr_of(form)?;
        let perioden = stamm::perioden(env.session, jahr)?;
        let offen = perioden.iter().filter(|p| p.offen).count();
        let rows: Vec<ListRow> = perioden
            .iter()
            .map(|p| {
                let mut row = ListRow::new(
                    format!("{jahr}|{}", p.periode),
                    vec![
                        format!("{:>7}", format!("{:02}", p.periode)),
                        p.bezeichnung(),
                        p.status().into(),
                    ],
                );
                row.alert = !p.offen;
                row
            })
            .collect();
        env.info(format!(
            "Haushaltsjahr {jahr}: {offen} von {} Perioden offen.",
            rows.len()
        ));
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, _form: &Form) -> Result<Nav> {
        let (jahr, periode) = key
            .split_once('|')
            .and_then(|(j, p)| Some((j.parse::<i32>().ok()?, p.parse::<u8>().ok()?)))
            .ok_or_else(|| KisError::validation("Periode ungültig."))?;
        let oeffnen = letter == 'O';
        if !env.darf(
            &[Role::FinasAnordnung],
            if oeffnen { "Öffnen" } else { "Schließen" },
        ) {
            return Ok(Nav::Stay);
        }
        let p = stamm::perioden(env.session, jahr)?
            .into_iter()
            .find(|p| p.periode == periode)
            .ok_or_else(|| KisError::NotFound(format!("Periode {jahr}-{periode:02} fehlt.")))?;
        if p.offen == oeffnen {
            return Err(KisError::Conflict(format!(
                "Periode {jahr}-{periode:02} ist bereits {}.",
                p.status()
            )));
        }
        self.frage = Some((jahr, periode, oeffnen));
        Ok(Nav::Popup(Popup::confirm(
            if oeffnen {
                format!(
                    "Periode {jahr}-{periode:02} ({}) wieder öffnen? Danach kann wieder in sie gebucht werden. (J/N)",
                    p.bezeichnung()
                )
            } else {
                format!(
                    "Periode {jahr}-{periode:02} ({}) schließen? Danach wird keine Buchung in diese Periode mehr angenommen. (J/N)",
                    p.bezeichnung()
                )
            },
            FRAGE,
        )))
    }

    fn confirmed(&mut self, env: &mut Env, tag: &'static str, yes: bool) -> Result<()> {
        let Some((jahr, periode, oeffnen)) = self.frage.take().filter(|_| tag == FRAGE) else {
            return Ok(());
        };
        let was = if oeffnen { "geöffnet" } else { "geschlossen" };
        if !yes {
            env.info(format!("Periode {jahr}-{periode:02} nicht {was}."));
            return Ok(());
        }
        stamm::periode_setzen(env.session, jahr, periode, oeffnen)?;
        env.info(format!("Periode {jahr}-{periode:02} {was}."));
        Ok(())
    }

    fn lookups(&self) -> bool {
        false
    }
}
