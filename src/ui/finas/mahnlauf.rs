//! FIN550 Mahnlauf: ⟨save⟩ runs the Mahnlauf for the day and shows its
//! summary and hints (why items were left out). Enter lists the runs; on a
//! line A shows the Mahnungen (debtor, Stufe, items with Rest and
//! Säumniszuschlag, Rückstand, Gebühr), D writes the letters into a file
//! in the directory of the mask, V sends a draft and S cancels it, both
//! after a question.

use super::{rechts, tag_von, umbrechen};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::kasse::{kassenzeichen, partner};
use crate::finas::mahnwesen::mahnlauf as ml;
use crate::finas::mahnwesen::model::{Mahnlauf, MahnlaufStatus, Mahnung};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The questions before a draft is sent or cancelled.
const VERSAND: &str = "fin550-versand";
const STORNO: &str = "fin550-storno";

const DRUCKEN: LineCommand = LineCommand {
    letters: "D",
    label: "Drucken",
};
const VERSENDEN: LineCommand = LineCommand {
    letters: "V",
    label: "Versenden",
};
const STORNIEREN: LineCommand = LineCommand {
    letters: "S",
    label: "Stornieren",
};

/// The most runs the list shows.
const LIMIT: usize = 1000;

#[derive(Default)]
pub struct MahnlaufMaske {
    /// The question asked and the run it is about.
    frage: Option<(&'static str, i64)>,
}

fn nr_of(key: &str) -> Result<i64> {
    key.parse()
        .map_err(|_| KisError::validation("Nummer des Mahnlaufs ungültig."))
}

/// The Mahnungen of a run: per debtor its name, Stufe, deadline and sums,
/// then its items with Kassenzeichen, due date, Stufe, Rest and
/// Säumniszuschlag (at most 76 columns, the width of the window).
fn dokument(env: &mut Env, l: &Mahnlauf, mahnungen: &[Mahnung]) -> Result<String> {
    let mut s = format!(
        "Mahnlauf {} zum {} ({}), {} Mahnungen\n",
        l.nr,
        format_date_de(l.datum),
        l.status.label(),
        mahnungen.len()
    );
    for m in mahnungen {
        let name = partner::zeigen(env.session, m.partner)?
            .partner
            .anzeigename();
        s.push_str(&format!(
            "\n{} {}\n  {}. Mahnung, zahlbar bis {}, zusammen {} €\n  Rückstand {} €, Säumniszuschläge {} €, Mahngebühr {} €\n",
            m.partner,
            name,
            m.stufe,
            format_date_de(m.frist),
            m.gesamt().format_de(),
            m.rueckstand().format_de(),
            m.saeumnis().format_de(),
            m.gebuehr.format_de()
        ));
        s.push_str("  Kassenzeichen  fällig     Stufe        Rest €  Säumniszuschl. €  Monate\n");
        for p in &m.posten {
            s.push_str(&format!(
                "  {:<13}  {} {:>5} {:>13} {:>17} {:>7}\n",
                kassenzeichen::anzeigen(&p.kassenzeichen),
                format_date_de(p.faellig),
                p.stufe,
                p.rest.format_de(),
                p.saeumnis.format_de(),
                p.monate
            ));
        }
    }
    Ok(s)
}

impl Search for MahnlaufMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN550",
            title: "Mahnlauf",
            help: "Mahnlauf zu einem Stichtag: ⟨save⟩ mahnt je Schuldner die nach der Karenzzeit überfälligen Posten mit Säumniszuschlägen und Mahngebühr \
                   (ohne gesperrte, Bagatellbeträge und Posten im Zahllauf) als Entwurf. Enter listet die Läufe; A zeigt die Mahnungen, \
                   D schreibt sie in eine Datei im Verzeichnis, V versendet, S storniert (beides mit Rückfrage).",
            auto_skip: false,
            fields: vec![
                FieldDef::new("datum", "Stichtag", 0, 1, 10, FieldKind::Date)
                    .label_width(14)
                    .required()
                    .help("Tag des Mahnlaufs TT.MM.JJJJ (heute oder früher); Säumniszuschläge bis zu diesem Tag."),
                FieldDef::new("verzeichnis", "Verzeichnis", 1, 1, 64, FieldKind::Text)
                    .label_width(14)
                    .help("Verzeichnis, in das D die Mahnschreiben als mahnlauf-NR.txt schreibt."),
            ],
        }
    }

    /// Number titles right-aligned over their values.
    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("    Nr", 6),
            Column::new("Stichtag", 10),
            Column::new("Stand", 9),
            Column::new("Mahnungen", 9),
            Column::new("erstellt", 20),
            Column::new("Buchung", 8),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, DRUCKEN, VERSENDEN, STORNIEREN]
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("datum", &format_date_de(env.session.today()));
        let dir = std::env::current_dir()
            .ok()
            .map(|d| d.display().to_string())
            .filter(|d| d.chars().count() <= 64)
            .unwrap_or_else(|| ".".into());
        form.set("verzeichnis", &dir);
    }

    fn search(&mut self, env: &mut Env, _form: &Form) -> Result<Box<dyn ListSource>> {
        let rows: Vec<ListRow> = ml::liste(env.session, LIMIT)?
            .iter()
            .map(|l| {
                let mut row = ListRow::new(
                    l.nr.to_string(),
                    vec![
                        rechts(&l.nr.to_string(), 6),
                        format_date_de(l.datum),
                        l.status.label().into(),
                        rechts(&l.mahnungen.to_string(), 9),
                        format!("{} {}", l.erstellt_von, tag_von(&l.erstellt_am)),
                        l.buchung
                            .map(|b| rechts(&b.to_string(), 8))
                            .unwrap_or_default(),
                    ],
                );
                row.alert = l.status == MahnlaufStatus::Storniert;
                row
            })
            .collect();
        env.info(if rows.is_empty() {
            "Noch keine Mahnläufe; ⟨save⟩ führt einen aus.".to_string()
        } else {
            format!("{} Mahnläufe, der neueste zuerst.", rows.len())
        });
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, form: &Form) -> Result<Nav> {
        let nr = nr_of(key)?;
        match letter {
            'D' => {
                let name = format!("mahnlauf-{nr}.txt");
                let dir = super::verzeichnis_of(form, "die Mahnschreiben")?;
                let pfad = dir.join(&name);
                ml::drucken(env.session, nr, &mut |text| {
                    std::fs::write(&pfad, text).map_err(|e| {
                        KisError::field(
                            "verzeichnis",
                            format!("{} kann nicht geschrieben werden: {e}", pfad.display()),
                        )
                    })
                })?;
                env.info(format!(
                    "Mahnschreiben in {name} geschrieben (Verzeichnis {}).",
                    dir.display()
                ));
                Ok(Nav::Stay)
            }
            'V' => {
                self.frage = Some((VERSAND, nr));
                Ok(Nav::Popup(Popup::confirm(
                    format!(
                        "Mahnlauf {nr} versenden? Mahngebühren und Säumniszuschläge werden gebucht; danach ist keine Stornierung mehr möglich. (J/N)"
                    ),
                    VERSAND,
                )))
            }
            'S' => {
                self.frage = Some((STORNO, nr));
                Ok(Nav::Popup(Popup::confirm(
                    format!(
                        "Mahnlauf {nr} wirklich stornieren? Seine Posten können erneut gemahnt werden. (J/N)"
                    ),
                    STORNO,
                )))
            }
            _ => {
                let (l, mahnungen) = ml::zeigen(env.session, nr)?;
                let text = dokument(env, &l, &mahnungen)?;
                Ok(Nav::Popup(Popup::document(
                    format!("Mahnlauf {nr}"),
                    &umbrechen(&text, 76),
                )))
            }
        }
    }

    fn confirmed(&mut self, env: &mut Env, tag: &'static str, yes: bool) -> Result<()> {
        let Some((frage, nr)) = self.frage.take().filter(|(f, _)| *f == tag) else {
            return Ok(());
        };
        match (frage, yes) {
            (VERSAND, true) => {
                let buchung = ml::versenden(env.session, nr)?;
                env.info(match buchung {
                    Some(b) => format!(
                        "Mahnlauf {nr} versandt; Gebühren und Säumniszuschläge: Buchung {b}."
                    ),
                    None => format!("Mahnlauf {nr} versandt; nichts zu buchen."),
                });
            }
            (VERSAND, false) => env.info(format!("Mahnlauf {nr} nicht versandt.")),
            (_, true) => {
                ml::stornieren(env.session, nr)?;
                env.info(format!(
                    "Mahnlauf {nr} storniert; die Posten können erneut gemahnt werden."
                ));
            }
            (_, false) => env.info(format!("Mahnlauf {nr} nicht storniert.")),
        }
        Ok(())
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::Kasse])
    }

    fn save(&mut self, env: &mut Env, form: &mut Form) -> Result<Nav> {
        let tag = form.date("datum")?;
        let e = ml::ausfuehren(env.session, tag)?;
        let posten: usize = e.mahnungen.iter().map(|m| m.posten.len()).sum();
        let text = format!(
            "Mahnlauf {} angelegt (Entwurf): {} Mahnungen, {posten} Posten",
            e.nr,
            e.mahnungen.len()
        );
        if e.hinweise.is_empty() {
            env.info(format!("{text}."));
        } else {
            env.warn(format!("{text}, {} Hinweis(e).", e.hinweise.len()));
        }
        let summe = |f: fn(&Mahnung) -> Money| {
            Money::from_cents(e.mahnungen.iter().map(|m| f(m).cents()).sum())
        };
        let mut doc = format!(
            "Mahnlauf {} zum {} (Entwurf)\n\n  Mahnungen {:>24}\n  Posten {:>27}\n  Rückstand {:>22} €\n  Säumniszuschläge {:>15} €\n  Mahngebühren {:>19} €\n",
            e.nr,
            format_date_de(tag),
            e.mahnungen.len(),
            posten,
            summe(Mahnung::rueckstand).format_de(),
            summe(Mahnung::saeumnis).format_de(),
            summe(|m| m.gebuehr).format_de()
        );
        if !e.hinweise.is_empty() {
            doc.push_str("\nHinweise:\n");
            for h in &e.hinweise {
                doc.push_str(&format!("  {h}\n"));
            }
        }
        doc.push_str("\nA vor dem Lauf zeigt die Mahnungen, V versendet ihn.\n");
        Ok(Nav::Popup(Popup::document(
            format!("Mahnlauf {}", e.nr),
            &umbrechen(&doc, 76),
        )))
    }

    fn lookups(&self) -> bool {
        false
    }
}
