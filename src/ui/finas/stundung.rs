//! FIN552 Stundung: Anordnung, Beginn, Grund, optional the reason of an
//! interest waiver and up to four instalments (due day and amount);
//! ⟨save⟩ grants the Stundung after a question and shows the decision text
//! (instalments, months, Stundungszinsen). The list shows every Stundung,
//! newest first; on a line A shows it whole, W revokes it after a question
//! (the reason from the field Grund).

use super::{opt, rechts};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::kasse::model::Faelligkeit;
use crate::finas::mahnwesen::model::{Stundung, StundungStatus};
use crate::finas::mahnwesen::stundung::{self as st, StundungInput};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The question before a Stundung is granted.
const GEWAEHREN: &str = "fin552-gewaehren";
/// The question before a Stundung is revoked.
const WIDERRUFEN: &str = "fin552-widerrufen";

const WIDERRUFEN_CMD: LineCommand = LineCommand {
    letters: "W",
    label: "Widerrufen",
};

/// The instalment fields of the mask: due day and amount.
const RATEN: [(&str, &str); 4] = [
    ("faellig1", "betrag1"),
    ("faellig2", "betrag2"),
    ("faellig3", "betrag3"),
    ("faellig4", "betrag4"),
];

/// Every input field, emptied after a Stundung was granted.
const FELDER: [&str; 12] = [
    "anordnung",
    "beginn",
    "grund",
    "zinsfrei",
    "faellig1",
    "betrag1",
    "faellig2",
    "betrag2",
    "faellig3",
    "betrag3",
    "faellig4",
    "betrag4",
];

/// What a question is about.
enum Frage {
    Gewaehren(StundungInput),
    Widerrufen(i64),
}

#[derive(Default)]
pub struct StundungMaske {
    frage: Option<Frage>,
}

fn id_of(key: &str) -> Result<i64> {
    key.parse()
        .map_err(|_| KisError::validation("Nummer der Stundung ungültig."))
}

/// The Stundung as entered; a missing part is refused in its field.
fn input_of(form: &Form) -> Result<StundungInput> {
    let anordnung = form.number_opt::<i64>("anordnung")?.ok_or_else(|| {
        KisError::field(
            "anordnung",
            "Bitte die Nummer der Anordnung angeben, die gestundet wird.",
        )
    })?;
    let grund = opt(form, "grund").ok_or_else(|| {
        KisError::field(
            "grund",
            "Bitte den Grund der Stundung angeben (erhebliche Härte, § 222 AO).",
        )
    })?;
    let mut raten = Vec::new();
    for (f, b) in RATEN {
        match (form.date_opt(f)?, form.money_opt(b)?) {
            (None, None) => {}
            (Some(faellig), Some(betrag)) => raten.push(Faelligkeit { faellig, betrag }),
            (None, Some(_)) => {
                return Err(KisError::field(
                    f,
                    "Bitte den Fälligkeitstag der Rate angeben.",
                ));
            }
            (Some(_), None) => {
                return Err(KisError::field(b, "Bitte den Betrag der Rate angeben."));
            }
        }
    }
    if raten.is_empty() {
        return Err(KisError::field(
            "faellig1",
            "Bitte mindestens eine Rate mit Fälligkeit und Betrag angeben.",
        ));
    }
    Ok(StundungInput {
        anordnung,
        beginn: form.date_opt("beginn")?,
        raten,
        grund,
        zinsfrei_grund: opt(form, "zinsfrei"),
    })
}

/// A refusal of the service about the instalments lands in the first one.
fn im_feld(e: KisError) -> KisError {
    match e {
        KisError::Validation {
            field: Some(f),
            message,
        } if f == "raten" => KisError::field("faellig1", message),
        e => e,
    }
}

fn summe(s: &Stundung) -> Money {
    Money::from_cents(s.raten.iter().map(|r| r.betrag.cents()).sum())
}

impl Search for StundungMaske {
    fn mask(&self) -> MaskDef {
        let mut fields = vec![
            FieldDef::new("anordnung", "Anordnung", 0, 1, 8, FieldKind::Number)
                .label_width(14)
                .help("Nummer der Anordnung (Forderung)."),
            FieldDef::new("beginn", "Beginn", 0, 30, 10, FieldKind::Date)
                .label_width(8)
                .help("Tag, ab dem gestundet wird, TT.MM.JJJJ; leer = heute."),
            FieldDef::new("grund", "Grund", 1, 1, 60, FieldKind::Text)
                .label_width(14)
                .help("Grund (erhebliche Härte); bei W der Grund des Widerrufs."),
            FieldDef::new("zinsfrei", "Zinsverzicht", 2, 1, 60, FieldKind::Text)
                .label_width(14)
                .help("Grund eines Zinsverzichts (§ 234 Abs. 2 AO); leer = mit Zinsen."),
        ];
        for (i, (f, b)) in RATEN.iter().enumerate() {
            let row = 3 + (i / 2) as u16;
            let col = if i % 2 == 0 { 1 } else { 41 };
            let label = ["1. Rate", "2. Rate", "3. Rate", "4. Rate"][i];
            let mut faellig = FieldDef::new(f, label, row, col, 10, FieldKind::Date).label_width(8);
            let mut betrag =
                FieldDef::new(b, "Betrag", row, col + 19, 12, FieldKind::Money).label_width(7);
            // One help for all instalments (the help window stays one page).
            if i == 0 {
                faellig = faellig.help("Fälligkeit jeder Rate TT.MM.JJJJ, in zeitlicher Folge.");
                betrag = betrag.help("Die Raten zusammen = offene Hauptforderung.");
            }
            fields.push(faellig);
            fields.push(betrag);
        }
        MaskDef {
            code: "FIN552",
            title: "Stundung",
            help: "Stundung (§ 222 AO) in bis zu vier Raten: ⟨save⟩ gewährt sie nach Rückfrage und zeigt den Bescheid mit Stundungszinsen \
                   (§ 234 AO). A vor einer Zeile zeigt sie, W widerruft sie (Grund aus dem Feld Grund).",
            auto_skip: false,
            fields,
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("   Nr", 5),
            Column::new("Anordnung", 9),
            Column::new("Beginn", 10),
            Column::new("Raten", 5),
            Column::new("     Betrag €", 13),
            Column::new(" Zinsen €", 9),
            Column::new("Stand", 14),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, WIDERRUFEN_CMD]
    }

    fn search(&mut self, env: &mut Env, _form: &Form) -> Result<Box<dyn ListSource>> {
        let liste = st::liste(env.session, None)?;
        let rows: Vec<ListRow> = liste
            .iter()
            .map(|s| {
                let mut row = ListRow::new(
                    s.id.to_string(),
                    vec![
                        rechts(&s.id.to_string(), 5),
                        rechts(&s.anordnung.to_string(), 9),
                        format_date_de(s.beginn),
                        rechts(&s.raten.len().to_string(), 5),
                        rechts(&summe(s).format_de(), 13),
                        rechts(&s.zinsen.format_de(), 9),
                        match s.status {
                            StundungStatus::Verfallen => "verfallen".into(),
                            st => st.label().to_string(),
                        },
                    ],
                );
                row.alert = s.status == StundungStatus::Aktiv;
                row
            })
            .collect();
        let aktiv = rows.iter().filter(|r| r.alert).count();
        env.info(if rows.is_empty() {
            "Keine Stundungen; ⟨save⟩ gewährt eine.".to_string()
        } else {
            format!("{} Stundungen, davon {aktiv} in Kraft.", rows.len())
        });
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, form: &Form) -> Result<Nav> {
        let id = id_of(key)?;
        let s = st::lesen(env.session, id)?;
        if letter == 'W' {
            env.session.require(&[Role::FinasAnordnung])?;
            if s.status != StundungStatus::Aktiv {
                return Err(KisError::Conflict(format!(
                    "Stundung {id} ist {} und kann nicht widerrufen werden.",
                    s.status.label()
                )));
            }
            if opt(form, "grund").is_none() {
                return Err(KisError::field(
                    "grund",
                    "Bitte den Grund des Widerrufs in das Feld Grund schreiben.",
                ));
            }
            self.frage = Some(Frage::Widerrufen(id));
            return Ok(Nav::Popup(Popup::confirm(
                format!(
                    "Stundung {id} zu Anordnung {} widerrufen? Der offene Rest ist dann heute fällig. (J/N)",
                    s.anordnung
                ),
                WIDERRUFEN,
            )));
        }
        Ok(Nav::Popup(Popup::document(
            format!("Stundung {id}"),
            &super::umbrechen(&st::text(&s), 76),
        )))
    }

    fn answered(
        &mut self,
        env: &mut Env,
        form: &mut Form,
        tag: &'static str,
        yes: bool,
    ) -> Result<Nav> {
        match (self.frage.take(), tag) {
            (Some(Frage::Gewaehren(input)), GEWAEHREN) => {
                if !yes {
                    env.info("Stundung nicht gewährt; die Eingaben bleiben stehen.");
                    return Ok(Nav::Stay);
                }
                let s = st::gewaehren(env.session, &input).map_err(im_feld)?;
                env.info(format!(
                    "Stundung {} gewährt: {} Rate(n), {} €, Zinsen {} €.",
                    s.id,
                    s.raten.len(),
                    summe(&s).format_de(),
                    s.zinsen.format_de()
                ));
                for key in FELDER {
                    form.set(key, "");
                }
                form.focus_key("anordnung");
                Ok(Nav::Popup(Popup::document(
                    format!("Stundung {}", s.id),
                    &super::umbrechen(&st::text(&s), 76),
                )))
            }
            (Some(Frage::Widerrufen(id)), WIDERRUFEN) => {
                if !yes {
                    env.info(format!("Stundung {id} bleibt in Kraft."));
                    return Ok(Nav::Stay);
                }
                st::widerrufen(env.session, id, &form.get("grund"))?;
                form.set("grund", "");
                env.info(format!(
                    "Stundung {id} widerrufen; der offene Rest ist heute fällig."
                ));
                Ok(Nav::Stay)
            }
            _ => Ok(Nav::Stay),
        }
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::FinasAnordnung])
    }

    fn save(&mut self, _env: &mut Env, form: &mut Form) -> Result<Nav> {
        let input = input_of(form)?;
        let gesamt = Money::from_cents(input.raten.iter().map(|r| r.betrag.cents()).sum());
        let frage = format!(
            "Stundung für Anordnung {} in {} Rate(n) über {} € gewähren{}? (J/N)",
            input.anordnung,
            input.raten.len(),
            gesamt.format_de(),
            if input.zinsfrei_grund.is_some() {
                ", ohne Stundungszinsen"
            } else {
                ""
            }
        );
        self.frage = Some(Frage::Gewaehren(input));
        Ok(Nav::Popup(Popup::confirm(frage, GEWAEHREN)))
    }

    fn lookups(&self) -> bool {
        false
    }
}
