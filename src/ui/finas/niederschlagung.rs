//! FIN553 Niederschlagung/Erlass: Anordnung, Art (B = befristet
//! niederschlagen, U = unbefristet niederschlagen, E = erlassen), bis (the
//! end of a befristete), Fälligkeit (lfd) and Betrag (of an Erlass), Grund;
//! ⟨save⟩ decides after a question. The list shows the Niederschlagungen
//! and Erlasse, newest first; on a line A shows the decision whole, W
//! revives a Niederschlagung after a question (the reason from the field
//! Grund).

use super::{opt, rechts, tag_von};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::mahnwesen::model::{Erlass, Niederschlagung, NiederschlagungArt};
use crate::finas::mahnwesen::niederschlagung as ns;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The question before a decision.
const ENTSCHEIDEN: &str = "fin553-entscheiden";
/// The question before a Niederschlagung is revived.
const WIEDER: &str = "fin553-wiederaufnehmen";

const WIEDER_CMD: LineCommand = LineCommand {
    letters: "W",
    label: "Wiederaufnehmen",
};

const FELDER: [&str; 6] = ["anordnung", "art", "bis", "lfd", "betrag", "grund"];

/// A decision as entered.
#[derive(Clone, Debug)]
enum Entscheidung {
    Niederschlagen {
        nr: i64,
        bis: Option<chrono::NaiveDate>,
        grund: String,
    },
    Erlassen {
        nr: i64,
        lfd: Option<i64>,
        betrag: Option<Money>,
        grund: String,
    },
}

/// What a question is about.
enum Frage {
    Entscheiden(Entscheidung),
    Wieder(i64),
}

#[derive(Default)]
pub struct NiederschlagungMaske {
    frage: Option<Frage>,
}

/// The key of a list line: `N:id` (Niederschlagung) or `E:id` (Erlass).
fn key_of(key: &str) -> Result<(char, i64)> {
    let falsch = || KisError::validation("Zeile ungültig.");
    let (art, id) = key.split_once(':').ok_or_else(falsch)?;
    let art = art.chars().next().ok_or_else(falsch)?;
    Ok((art, id.parse().map_err(|_| falsch())?))
}

fn entscheidung_of(form: &Form) -> Result<Entscheidung> {
    let nr = form
        .number_opt::<i64>("anordnung")?
        .ok_or_else(|| KisError::field("anordnung", "Bitte die Nummer der Anordnung angeben."))?;
    let art = form.get("art").trim().to_string();
    if !["B", "U", "E"].contains(&art.as_str()) {
        return Err(KisError::field(
            "art",
            "Art: B = befristet niederschlagen, U = unbefristet niederschlagen, E = erlassen.",
        ));
    }
    let grund = opt(form, "grund")
        .ok_or_else(|| KisError::field("grund", "Bitte den Grund der Entscheidung angeben."))?;
    let bis = form.date_opt("bis")?;
    let lfd = form.number_opt::<i64>("lfd")?;
    let betrag = form.money_opt("betrag")?;
    let nur_erlass = |key: &str| {
        KisError::field(
            key,
            "Fälligkeit und Betrag gelten nur für einen Erlass (Art E); bitte leeren.",
        )
    };
    match art.as_str() {
        "B" | "U" if lfd.is_some() => Err(nur_erlass("lfd")),
        "B" | "U" if betrag.is_some() => Err(nur_erlass("betrag")),
        "B" => {
            let bis = bis.ok_or_else(|| {
                KisError::field(
                    "bis",
                    "Eine befristete Niederschlagung braucht ihr Ende (TT.MM.JJJJ).",
                )
            })?;
            Ok(Entscheidung::Niederschlagen {
                nr,
                bis: Some(bis),
                grund,
            })
        }
        "U" if bis.is_some() => Err(KisError::field(
            "bis",
            "Eine unbefristete Niederschlagung hat kein Ende; bitte leeren oder Art B.",
        )),
        "U" => Ok(Entscheidung::Niederschlagen {
            nr,
            bis: None,
            grund,
        }),
        "E" if bis.is_some() => Err(KisError::field(
            "bis",
            "Ein Erlass hat kein Ende; bitte leeren.",
        )),
        "E" => Ok(Entscheidung::Erlassen {
            nr,
            lfd,
            betrag,
            grund,
        }),
        _ => Err(KisError::field(
            "art",
            "Art: B = befristet niederschlagen, U = unbefristet niederschlagen, E = erlassen.",
        )),
    }
}

fn frage_text(e: &Entscheidung) -> String {
    match e {
        Entscheidung::Niederschlagen {
            nr, bis: Some(b), ..
        } => format!(
            "Offene Forderungen der Anordnung {nr} befristet bis {} niederschlagen? Sie werden bis dahin nicht eingezogen. (J/N)",
            format_date_de(*b)
        ),
        Entscheidung::Niederschlagen { nr, bis: None, .. } => format!(
            "Offene Forderungen der Anordnung {nr} unbefristet niederschlagen? Sie werden wertberichtigt (Abschreibung). (J/N)"
        ),
        Entscheidung::Erlassen {
            nr, lfd, betrag, ..
        } => format!(
            "Anordnung {nr}: {} {} erlassen (§ 227 AO)? Die Forderung erlischt insoweit. (J/N)",
            match lfd {
                Some(l) => format!("Fälligkeit {l}"),
                None => "alle offenen Fälligkeiten".into(),
            },
            match betrag {
                Some(b) => format!("über {} €", b.format_de()),
                None => "ganz".into(),
            }
        ),
    }
}

fn stand(n: &Niederschlagung) -> String {
    match &n.wieder_am {
        Some(am) => format!("aufgeh. {}", tag_von(am)),
        None => match n.bis {
            Some(b) => format!("bis {}", format_date_de(b)),
            None => "unbefristet".into(),
        },
    }
}

fn n_text(n: &Niederschlagung) -> String {
    let mut t = format!(
        "Niederschlagung {} ({})\n\nAnordnung {}\nOffener Betrag bei Entscheidung: {} €\nStand: {}\nGrund: {}\nerfasst {} von {}\n",
        n.id,
        n.art.label(),
        n.anordnung,
        n.betrag.format_de(),
        stand(n),
        n.grund,
        tag_von(&n.erfasst_am),
        n.erfasst_von
    );
    if let Some(b) = n.buchung {
        t.push_str(&format!("Wertberichtigung: Buchung {b}\n"));
    }
    if let (Some(am), Some(von)) = (&n.wieder_am, &n.wieder_von) {
        t.push_str(&format!(
            "Wieder aufgenommen {} von {von}: {}\n",
            tag_von(am),
            n.wieder_grund.as_deref().unwrap_or("")
        ));
    }
    if let Some(b) = n.wieder_buchung {
        t.push_str(&format!("Wiedereinbuchung: Buchung {b}\n"));
    }
    t
}

fn e_text(e: &Erlass) -> String {
    format!(
        "Erlass {} (§ 227 AO)\n\nAnordnung {}, Fälligkeit {}\nErlassen: {} €\nGrund: {}\nBuchung {}\nerfasst {} von {}\n",
        e.id,
        e.anordnung,
        e.lfd,
        e.betrag.format_de(),
        e.grund,
        e.buchung,
        tag_von(&e.erfasst_am),
        e.erfasst_von
    )
}

impl Search for NiederschlagungMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN553",
            title: "Niederschlagung/Erlass",
            help: "Niederschlagung (B befristet, U unbefristet mit Wertberichtigung) oder Erlass (E, § 227 AO): ⟨save⟩ entscheidet nach \
                   Rückfrage. A vor einer Zeile zeigt, W nimmt eine Niederschlagung wieder auf (Grund aus dem Feld Grund).",
            auto_skip: false,
            fields: vec![
                FieldDef::new("anordnung", "Anordnung", 0, 1, 8, FieldKind::Number)
                    .label_width(14)
                    .help("Nummer der Anordnung (Forderung)."),
                FieldDef::new("art", "Art", 0, 30, 1, FieldKind::Upper)
                    .label_width(5)
                    .help("B = befristet niederschlagen, U = unbefristet niederschlagen, E = erlassen."),
                FieldDef::new("bis", "bis", 0, 42, 10, FieldKind::Date)
                    .label_width(5)
                    .help("Nur Art B: letzter Tag der Niederschlagung, TT.MM.JJJJ (nach heute)."),
                FieldDef::new("lfd", "Fälligkeit", 1, 1, 4, FieldKind::Number)
                    .label_width(14)
                    .help("Nur Art E: laufende Nummer der Fälligkeit (siehe FIN500); leer = alle offenen."),
                FieldDef::new("betrag", "Betrag", 1, 30, 14, FieldKind::Money)
                    .label_width(8)
                    .help("Nur Art E mit Fälligkeit: Teilerlass in Euro; leer = der ganze offene Rest."),
                FieldDef::new("grund", "Grund", 2, 1, 60, FieldKind::Text)
                    .label_width(14)
                    .help("Grund der Entscheidung; bei W der Grund der Wiederaufnahme."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Art", 16),
            Column::new("  Nr", 4),
            Column::new("Anordnung", 9),
            Column::new("     Betrag €", 13),
            Column::new("Stand", 18),
            Column::new("Grund", 11),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, WIEDER_CMD]
    }

    fn search(&mut self, env: &mut Env, _form: &Form) -> Result<Box<dyn ListSource>> {
        let (n, e) = ns::entscheidungen(env.session, None)?;
        let mut rows: Vec<ListRow> = n
            .iter()
            .map(|n| {
                let mut row = ListRow::new(
                    format!("N:{}", n.id),
                    vec![
                        match n.art {
                            NiederschlagungArt::Befristet => "Niederschl. bef.",
                            NiederschlagungArt::Unbefristet => "Niederschl. unb.",
                        }
                        .into(),
                        rechts(&n.id.to_string(), 4),
                        rechts(&n.anordnung.to_string(), 9),
                        rechts(&n.betrag.format_de(), 13),
                        stand(n),
                        n.grund.clone(),
                    ],
                );
                row.alert = n.wieder_am.is_none();
                row
            })
            .collect();
        rows.extend(e.iter().map(|e| {
            ListRow::new(
                format!("E:{}", e.id),
                vec![
                    "Erlass".into(),
                    rechts(&e.id.to_string(), 4),
                    rechts(&e.anordnung.to_string(), 9),
                    rechts(&e.betrag.format_de(), 13),
                    format!("Fälligkeit {}", e.lfd),
                    e.grund.clone(),
                ],
            )
        }));
        env.info(if rows.is_empty() {
            "Keine Niederschlagungen oder Erlasse; ⟨save⟩ entscheidet.".to_string()
        } else {
            format!("{} Niederschlagungen, {} Erlasse.", n.len(), e.len())
        });
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, form: &Form) -> Result<Nav> {
        let (art, id) = key_of(key)?;
        let (n, e) = ns::entscheidungen(env.session, None)?;
        if art == 'E' {
            let e = e
                .iter()
                .find(|e| e.id == id)
                .ok_or_else(|| KisError::NotFound(format!("Erlass {id} ist nicht vorhanden.")))?;
            if letter == 'W' {
                return Err(KisError::Conflict(format!(
                    "Erlass {id}: ein Erlass wird nicht wieder aufgenommen."
                )));
            }
            return Ok(Nav::Popup(Popup::document(
                format!("Erlass {id}"),
                &super::umbrechen(&e_text(e), 76),
            )));
        }
        let n = n.iter().find(|n| n.id == id).ok_or_else(|| {
            KisError::NotFound(format!("Niederschlagung {id} ist nicht vorhanden."))
        })?;
        if letter == 'W' {
            env.session.require(&[Role::FinasAnordnung])?;
            if n.wieder_am.is_some() {
                return Err(KisError::Conflict(format!(
                    "Niederschlagung {id} ist bereits wieder aufgenommen."
                )));
            }
            if opt(form, "grund").is_none() {
                return Err(KisError::field(
                    "grund",
                    "Bitte den Grund der Wiederaufnahme in das Feld Grund schreiben.",
                ));
            }
            self.frage = Some(Frage::Wieder(id));
            return Ok(Nav::Popup(Popup::confirm(
                format!(
                    "Niederschlagung {id} zu Anordnung {} aufheben? Die Forderung wird wieder eingezogen{}. (J/N)",
                    n.anordnung,
                    if n.art == NiederschlagungArt::Unbefristet {
                        " und wieder eingebucht"
                    } else {
                        ""
                    }
                ),
                WIEDER,
            )));
        }
        Ok(Nav::Popup(Popup::document(
            format!("Niederschlagung {id}"),
            &super::umbrechen(&n_text(n), 76),
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
            (Some(Frage::Entscheiden(e)), ENTSCHEIDEN) => {
                if !yes {
                    env.info("Nicht entschieden; die Eingaben bleiben stehen.");
                    return Ok(Nav::Stay);
                }
                match e {
                    Entscheidung::Niederschlagen { nr, bis, grund } => {
                        let id = ns::niederschlagen(env.session, nr, bis, &grund)?;
                        env.info(match bis {
                            Some(b) => format!(
                                "Niederschlagung {id}: Anordnung {nr} bis {} niedergeschlagen.",
                                format_date_de(b)
                            ),
                            None => format!(
                                "Niederschlagung {id}: Anordnung {nr} unbefristet niedergeschlagen."
                            ),
                        });
                    }
                    Entscheidung::Erlassen {
                        nr,
                        lfd,
                        betrag,
                        grund,
                    } => {
                        let erlasse = ns::erlassen(env.session, nr, lfd, betrag, &grund)?;
                        let summe =
                            Money::from_cents(erlasse.iter().map(|e| e.betrag.cents()).sum());
                        env.info(format!(
                            "Anordnung {nr}: {} € erlassen ({} Fälligkeit(en)).",
                            summe.format_de(),
                            erlasse.len()
                        ));
                    }
                }
                for key in FELDER {
                    form.set(key, "");
                }
                form.focus_key("anordnung");
                Ok(Nav::Stay)
            }
            (Some(Frage::Wieder(id)), WIEDER) => {
                if !yes {
                    env.info(format!("Niederschlagung {id} bleibt bestehen."));
                    return Ok(Nav::Stay);
                }
                let b = ns::wiederaufnehmen(env.session, id, &form.get("grund"))?;
                form.set("grund", "");
                env.info(match b {
                    Some(b) => format!("Niederschlagung {id} aufgehoben (Buchung {b})."),
                    None => format!("Niederschlagung {id} aufgehoben."),
                });
                Ok(Nav::Stay)
            }
            _ => Ok(Nav::Stay),
        }
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::FinasAnordnung])
    }

    fn save(&mut self, _env: &mut Env, form: &mut Form) -> Result<Nav> {
        let e = entscheidung_of(form)?;
        let frage = frage_text(&e);
        self.frage = Some(Frage::Entscheiden(e));
        Ok(Nav::Popup(Popup::confirm(frage, ENTSCHEIDEN)))
    }

    fn lookups(&self) -> bool {
        false
    }
}
