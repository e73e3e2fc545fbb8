//! FIN540 Klärungsliste: the bank entries the import could not assign,
//! open ones first. On a line A shows the entry, Z assigns it to the
//! Kassenzeichen of the mask's field, E refunds it to the IBAN of the
//! mask's field (an Auszahlungsanordnung for a second person to release);
//! both after a question.

use super::{opt, rechts, umbrechen};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::kasse::{kassenzeichen, klaerung as kl};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The question before an entry is assigned.
const ZUORDNEN: &str = "fin540-zuordnen";
/// The question before an entry is refunded.
const ERSTATTEN: &str = "fin540-erstatten";

const ZUORDNEN_CMD: LineCommand = LineCommand {
    letters: "Z",
    label: "Zuordnen",
};
const ERSTATTEN_CMD: LineCommand = LineCommand {
    letters: "E",
    label: "Erstatten",
};

#[derive(Default)]
pub struct KlaerungMaske {
    /// The entry and the Kassenzeichen or IBAN a question is about.
    frage: Option<(&'static str, i64, String)>,
}

fn id_of(key: &str) -> Result<i64> {
    key.parse()
        .map_err(|_| KisError::validation("Nummer des Klärungspostens ungültig."))
}

fn eintrag_text(e: &kl::Eintrag) -> String {
    let mut t = format!(
        "Klärungsposten {} ({})\n\n{} {} vom {}\nBetrag: {} €\nName: {}\nIBAN: {}\nVerwendungszweck: {}\nGrund: {}\n",
        e.id,
        e.status_text(),
        if e.eingang { "Eingang" } else { "Ausgang" },
        e.umsatz,
        format_date_de(e.buchungstag),
        e.betrag.format_de(),
        e.name,
        e.iban,
        e.verwendung,
        e.grund
    );
    if let Some(kz) = &e.kassenzeichen {
        t.push_str(&format!("Kassenzeichen: {}\n", kassenzeichen::anzeigen(kz)));
    }
    if let (Some(von), Some(am)) = (&e.erledigt_von, &e.erledigt_am) {
        t.push_str(&format!("erledigt {am} von {von}\n"));
    }
    t
}

impl Search for KlaerungMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN540",
            title: "Klärungsliste",
            help: "Nicht zugeordnete Umsätze (FIN530), offene zuerst. A vor einer Zeile zeigt einen, Z ordnet ihn dem Kassenzeichen \
                   aus dem Feld zu, E erstattet ihn an die IBAN aus dem Feld (Auszahlungsanordnung); beides mit Rückfrage.",
            auto_skip: false,
            fields: vec![
                FieldDef::new("kassenzeichen", "Kassenzeichen", 0, 1, 16, FieldKind::Text)
                    .label_width(15)
                    .help("Für Z: Kassenzeichen (11 Ziffern)."),
                FieldDef::new("iban", "IBAN", 1, 1, 34, FieldKind::Upper)
                    .label_width(15)
                    .help("Für E: IBAN eines Geschäftspartners."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("   Nr", 5),
            Column::new("Tag", 10),
            Column::new("    Betrag €", 12),
            Column::new("Stand", 10),
            Column::new("Name", 18),
            Column::new("Grund", 16),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, ZUORDNEN_CMD, ERSTATTEN_CMD]
    }

    fn search(&mut self, env: &mut Env, _form: &Form) -> Result<Box<dyn ListSource>> {
        let liste = kl::liste(env.session)?;
        let rows: Vec<ListRow> = liste
            .iter()
            .map(|e| {
                let mut row = ListRow::new(
                    e.id.to_string(),
                    vec![
                        rechts(&e.id.to_string(), 5),
                        format_date_de(e.buchungstag),
                        rechts(&e.betrag.format_de(), 12),
                        e.status_text().into(),
                        e.name.clone(),
                        e.grund.clone(),
                    ],
                );
                row.alert = e.status == "O";
                row
            })
            .collect();
        let offen = rows.iter().filter(|r| r.alert).count();
        env.info(if rows.is_empty() {
            "Die Klärungsliste ist leer.".to_string()
        } else {
            format!("{} Klärungsposten, davon {offen} offen.", rows.len())
        });
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, form: &Form) -> Result<Nav> {
        let id = id_of(key)?;
        let e = kl::liste(env.session)?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| {
                KisError::NotFound(format!("Klärungsposten {id} ist nicht vorhanden."))
            })?;
        if letter == 'A' {
            return Ok(Nav::Popup(Popup::document(
                format!("Klärungsposten {id}"),
                &umbrechen(&eintrag_text(&e), 76),
            )));
        }
        env.session.require(&[Role::Kasse])?;
        if e.status != "O" {
            return Err(KisError::Conflict(format!(
                "Klärungsposten {id} ist bereits {}.",
                e.status_text()
            )));
        }
        let (tag, feld, frage) = if letter == 'Z' {
            let kz = opt(form, "kassenzeichen").ok_or_else(|| {
                KisError::field(
                    "kassenzeichen",
                    "Bitte für Z das Kassenzeichen in das Feld Kassenzeichen schreiben.",
                )
            })?;
            let kz = kassenzeichen::pruefen("kassenzeichen", &kz)?;
            let frage = format!(
                "Klärungsposten {id} über {} € dem Kassenzeichen {} zuordnen? (J/N)",
                e.betrag.format_de(),
                kassenzeichen::anzeigen(&kz)
            );
            (ZUORDNEN, kz, frage)
        } else {
            let iban = opt(form, "iban").ok_or_else(|| {
                KisError::field(
                    "iban",
                    "Bitte für E die IBAN des Zahlers in das Feld IBAN schreiben.",
                )
            })?;
            let frage = format!(
                "Klärungsposten {id} über {} € an {iban} erstatten? Es wird eine Auszahlungsanordnung erfasst. (J/N)",
                e.betrag.format_de()
            );
            (ERSTATTEN, iban, frage)
        };
        self.frage = Some((tag, id, feld));
        Ok(Nav::Popup(Popup::confirm(frage, tag)))
    }

    fn answered(
        &mut self,
        env: &mut Env,
        form: &mut Form,
        tag: &'static str,
        yes: bool,
    ) -> Result<Nav> {
        let Some((frage, id, wert)) = self.frage.take().filter(|(t, _, _)| *t == tag) else {
            return Ok(Nav::Stay);
        };
        if !yes {
            env.info(format!("Klärungsposten {id} bleibt offen."));
            return Ok(Nav::Stay);
        }
        if frage == ZUORDNEN {
            let b = kl::zuordnen(env.session, id, &wert)?;
            form.set("kassenzeichen", "");
            env.info(format!(
                "Klärungsposten {id}: {} € {} zugeordnet.",
                b.format_de(),
                kassenzeichen::anzeigen(&wert)
            ));
        } else {
            let e = kl::erstatten(env.session, id, &wert)?;
            form.set("iban", "");
            env.info(format!(
                "Klärungsposten {id}: Auszahlungsanordnung {} über {} € erfasst.",
                e.anordnung,
                e.betrag.format_de()
            ));
        }
        Ok(Nav::Stay)
    }

    fn lookups(&self) -> bool {
        false
    }
}
