//! FIN130 Jahresabschluss: the Bilanz of a year (Eröffnung and Schluss per
//! Bilanzposition, Aktiva = Passiva) as the list; ⟨save⟩ closes the year
//! after a question (`abschluss::jahresabschluss`, role FINAS_ANORDNUNG)
//! and shows what it did: the closing Buchungen, the Jahresergebnis on
//! Eigenkapital and the balances carried into the next year.

use chrono::Datelike;

use super::{eur, jahr_field, jahr_of, rechts, umbrechen};
use crate::core::error::Result;
use crate::core::roles::Role;
use crate::finas::{abschluss, rechnung};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The question before a year is closed.
const FRAGE: &str = "fin130-jahresabschluss";

#[derive(Default)]
pub struct JahresabschlussMaske {
    /// The year the question is about.
    frage: Option<i32>,
}

impl Search for JahresabschlussMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN130",
            title: "Jahresabschluss",
            help: "Die Bilanz des Jahres (Eröffnung und Schluss je Bilanzposition; Aktiva = Passiva). ⟨save⟩ schließt das Jahr nach Rückfrage ab: \
                   Ergebnis- und Finanzkonten werden in Periode 16 abgeschlossen, das Jahresergebnis geht ins Eigenkapital (P.1.4), \
                   die Schlusssalden der Bilanzkonten eröffnen das Folgejahr (Periode 0, Ergebnisvortrag). Rolle Anordnungsbefugnis; \
                   das Folgejahr muss angelegt sein und darf nicht mehr in der Planung stehen.",
            auto_skip: false,
            fields: vec![jahr_field(1)],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Pos.", 8),
            Column::new("Bezeichnung", 30),
            Column::new("     Eröffnung €", 16),
            Column::new("       Schluss €", 16),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        Vec::new()
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let jahr = jahr_of(form)?;
        let b = rechnung::bilanz(env.session, jahr)?;
        let rows: Vec<ListRow> = b
            .iter()
            .map(|p| {
                ListRow::new(
                    p.position.clone(),
                    vec![
                        p.position.clone(),
                        p.bezeichnung.clone(),
                        rechts(&eur(p.eroeffnung), 16),
                        rechts(&eur(p.schluss), 16),
                    ],
                )
            })
            .collect();
        let (_, aktiva) = rechnung::bilanzsumme(&b, 'A');
        let (_, passiva) = rechnung::bilanzsumme(&b, 'P');
        env.info(format!(
            "Bilanz {jahr}: Aktiva {} € = Passiva {} €.",
            eur(aktiva),
            eur(passiva)
        ));
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, _env: &mut Env, _letter: char, _key: &str, _form: &Form) -> Result<Nav> {
        Ok(Nav::Stay)
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::FinasAnordnung])
    }

    fn save(&mut self, _env: &mut Env, form: &mut Form) -> Result<Nav> {
        let jahr = jahr_of(form)?;
        self.frage = Some(jahr);
        Ok(Nav::Popup(Popup::confirm(
            format!(
                "Jahresabschluss {jahr} buchen und das Jahr {} eröffnen? Die Ergebnis- und Finanzkonten werden abgeschlossen. (J/N)",
                jahr + 1
            ),
            FRAGE,
        )))
    }

    fn answered(
        &mut self,
        env: &mut Env,
        _form: &mut Form,
        tag: &'static str,
        yes: bool,
    ) -> Result<Nav> {
        let Some(jahr) = self.frage.take().filter(|_| tag == FRAGE) else {
            return Ok(Nav::Stay);
        };
        if !yes {
            env.info(format!("Jahresabschluss {jahr} nicht gebucht."));
            return Ok(Nav::Stay);
        }
        let a = abschluss::jahresabschluss(env.session, jahr)?;
        env.info(format!(
            "Jahresabschluss {jahr} gebucht; Eröffnungsbilanz {} ist Buchung {}.",
            jahr + 1,
            a.eroeffnung
        ));
        Ok(Nav::Popup(Popup::document(
            format!("Jahresabschluss {jahr}"),
            &umbrechen(&a.text(jahr), 76),
        )))
    }

    fn lookups(&self) -> bool {
        false
    }
}
