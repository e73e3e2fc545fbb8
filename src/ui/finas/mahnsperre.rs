//! FIN551 Mahnsperre: ⟨save⟩ sets a Sperre for a debtor (all items) or one
//! of its Anordnungen, with Grund and end date. The list shows every
//! Sperre, newest first; on a line A shows it whole, H lifts it after a
//! question.

use std::collections::HashMap;

use super::{rechts, tag_von};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::kasse::partner;
use crate::finas::mahnwesen::model::Mahnsperre;
use crate::finas::mahnwesen::sperre;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The question before a Sperre is lifted.
const AUFHEBEN: &str = "fin551-aufheben";

const AUFHEBEN_CMD: LineCommand = LineCommand {
    letters: "H",
    label: "Aufheben",
};

#[derive(Default)]
pub struct MahnsperreMaske {
    /// The Sperre the question is about.
    frage: Option<i64>,
}

fn id_of(key: &str) -> Result<i64> {
    key.parse()
        .map_err(|_| KisError::validation("Nummer der Mahnsperre ungültig."))
}

fn stand(s: &Mahnsperre) -> String {
    match &s.aufgehoben_am {
        Some(am) => format!("aufgeh. {}", tag_von(am)),
        None => format!("bis {}", format_date_de(s.bis)),
    }
}

fn reichweite(s: &Mahnsperre) -> String {
    s.anordnung
        .map(|a| format!("Anordn. {a}"))
        .unwrap_or_else(|| "alle Posten".into())
}

impl Search for MahnsperreMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN551",
            title: "Mahnsperre",
            help: "Mahnsperre für einen Schuldner (alle Posten) oder eine seiner Anordnungen, mit Grund (z. B. Widerspruch, Insolvenz) und Ende: \
                   bis einschließlich zu diesem Tag mahnt der Mahnlauf (FIN550) die Posten nicht. ⟨save⟩ setzt die Sperre. \
                   Die Liste zeigt alle Sperren; A vor einer Zeile zeigt sie ganz, H hebt sie vorzeitig auf (mit Rückfrage).",
            auto_skip: false,
            fields: vec![
                FieldDef::new("partner", "Geschäftspartner", 0, 1, 8, FieldKind::Number)
                    .label_width(18)
                    .required()
                    .help("Nummer des Schuldners (FIN505)."),
                FieldDef::new("anordnung", "Anordnung", 0, 30, 8, FieldKind::Number)
                    .label_width(11)
                    .help("Nur diese Anordnung des Schuldners sperren; leer = alle seine Posten."),
                FieldDef::new("bis", "bis", 0, 52, 10, FieldKind::Date)
                    .label_width(5)
                    .required()
                    .help("Letzter Tag der Sperre, TT.MM.JJJJ (heute oder später)."),
                FieldDef::new("grund", "Grund", 1, 1, 60, FieldKind::Text)
                    .label_width(18)
                    .required()
                    .help("Warum nicht gemahnt wird, z. B. Widerspruch eingelegt, Ratenzahlung vereinbart."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("    Nr", 6),
            Column::new("Geschäftspartner", 22),
            Column::new("Sperrt", 11),
            Column::new("Stand", 18),
            Column::new("Grund", 14),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, AUFHEBEN_CMD]
    }

    fn search(&mut self, env: &mut Env, _form: &Form) -> Result<Box<dyn ListSource>> {
        let sperren = sperre::liste(env.session)?;
        let mut namen: HashMap<i64, String> = HashMap::new();
        let mut rows = Vec::new();
        for s in &sperren {
            if let std::collections::hash_map::Entry::Vacant(e) = namen.entry(s.partner) {
                e.insert(
                    partner::zeigen(env.session, s.partner)?
                        .partner
                        .anzeigename(),
                );
            }
            let mut row = ListRow::new(
                s.id.to_string(),
                vec![
                    rechts(&s.id.to_string(), 6),
                    format!("{} {}", s.partner, namen[&s.partner]),
                    reichweite(s),
                    stand(s),
                    s.grund.clone(),
                ],
            );
            row.alert = s.aufgehoben_am.is_none() && s.bis >= env.session.today();
            rows.push(row);
        }
        let aktiv = rows.iter().filter(|r| r.alert).count();
        env.info(if rows.is_empty() {
            "Keine Mahnsperren; ⟨save⟩ setzt eine.".to_string()
        } else {
            format!("{} Mahnsperren, davon {aktiv} in Kraft.", rows.len())
        });
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, _form: &Form) -> Result<Nav> {
        let id = id_of(key)?;
        let s = sperre::liste(env.session)?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| KisError::NotFound(format!("Mahnsperre {id} ist nicht vorhanden.")))?;
        if letter == 'H' {
            if s.aufgehoben_am.is_some() {
                return Err(KisError::Conflict(format!(
                    "Mahnsperre {id} ist bereits aufgehoben."
                )));
            }
            self.frage = Some(id);
            return Ok(Nav::Popup(Popup::confirm(
                format!(
                    "Mahnsperre {id} für Geschäftspartner {} aufheben? Die Posten werden im nächsten Mahnlauf wieder gemahnt. (J/N)",
                    s.partner
                ),
                AUFHEBEN,
            )));
        }
        let name = partner::zeigen(env.session, s.partner)?
            .partner
            .anzeigename();
        let mut text = format!(
            "Mahnsperre {id}\n\nGeschäftspartner {} {name}\nSperrt: {}\nGrund: {}\nbis einschließlich {}\nerfasst {} von {}\n",
            s.partner,
            match s.anordnung {
                Some(a) => format!("Anordnung {a}"),
                None => "alle Posten des Schuldners".into(),
            },
            s.grund,
            format_date_de(s.bis),
            tag_von(&s.erfasst_am),
            s.erfasst_von
        );
        if let (Some(am), Some(von)) = (&s.aufgehoben_am, &s.aufgehoben_von) {
            text.push_str(&format!("aufgehoben {} von {von}\n", tag_von(am)));
        }
        Ok(Nav::Popup(Popup::document(
            format!("Mahnsperre {id}"),
            &super::umbrechen(&text, 76),
        )))
    }

    fn confirmed(&mut self, env: &mut Env, tag: &'static str, yes: bool) -> Result<()> {
        let Some(id) = self.frage.take().filter(|_| tag == AUFHEBEN) else {
            return Ok(());
        };
        if !yes {
            env.info(format!("Mahnsperre {id} bleibt bestehen."));
            return Ok(());
        }
        sperre::aufheben(env.session, id)?;
        env.info(format!("Mahnsperre {id} aufgehoben."));
        Ok(())
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::Kasse])
    }

    fn save(&mut self, env: &mut Env, form: &mut Form) -> Result<Nav> {
        let partner = form.number_opt::<i64>("partner")?.ok_or_else(|| {
            KisError::field("partner", "Bitte die Nummer des Schuldners angeben.")
        })?;
        let anordnung = form.number_opt::<i64>("anordnung")?;
        let bis = form.date_opt("bis")?.ok_or_else(|| {
            KisError::field("bis", "Bitte das Ende der Mahnsperre angeben (TT.MM.JJJJ).")
        })?;
        let id = sperre::setzen(env.session, partner, anordnung, &form.get("grund"), bis)?;
        env.info(format!(
            "Mahnsperre {id} für Geschäftspartner {partner} gesetzt (bis {}).",
            format_date_de(bis)
        ));
        for key in ["partner", "anordnung", "bis", "grund"] {
            form.set(key, "");
        }
        form.focus_key("partner");
        Ok(Nav::Stay)
    }

    fn lookups(&self) -> bool {
        false
    }
}
