//! FIN560 Tagesabschluss: the check of a Kassentag (Enter) lists the
//! Zeitbuch total, the Sachbuch per Konto and Produkt, the sums and the
//! Kassenbestand per bank account, and says whether the day balances; A on
//! a line shows the whole Zeitbuch. ⟨save⟩ closes a balanced day after a
//! question; an unbalanced or closed day is refused with the reasons.

use chrono::NaiveDate;

use super::{rechts, umbrechen};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::kasse::tagesabschluss::{self as ta, Pruefung};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Popup};
use crate::ui::search::Search;

/// The question before a day is closed.
const ABSCHLUSS: &str = "fin560-abschluss";

#[derive(Default)]
pub struct TagesabschlussMaske {
    /// The day the closing question is about.
    frage: Option<NaiveDate>,
}

fn betrag(m: crate::core::money::Money) -> String {
    rechts(&m.format_de(), 14)
}

fn zeile(bereich: &str, konto: &str, text: &str, soll: String, haben: String) -> ListRow {
    ListRow::new(
        "",
        vec![bereich.into(), konto.into(), text.into(), soll, haben],
    )
}

/// The whole check as a document: Zeitbuch, Sachbuch, Bestände, result.
fn dokument(p: &Pruefung) -> String {
    let mut s = format!(
        "Tagesabschluss {}\n\nZeitbuch: {} Buchungen\n",
        ta::tag(p.datum),
        p.zeitbuch.len()
    );
    for z in &p.zeitbuch {
        s.push_str(&format!(
            "{:>8}  {:<30} S {:<10} H {:<10} {:>14} €  {}\n",
            z.nr,
            z.text.chars().take(30).collect::<String>(),
            z.soll_konten.join(","),
            z.haben_konten.join(","),
            z.betrag.format_de(),
            z.kassenzeichen.as_deref().unwrap_or("")
        ));
    }
    s.push_str("\nSachbuch:\n");
    for z in &p.sachbuch {
        s.push_str(&format!(
            "  {:<6} {:<30} {:<10} Soll {:>14} €  Haben {:>14} €\n",
            z.konto,
            z.bezeichnung.chars().take(30).collect::<String>(),
            z.produkt.as_deref().unwrap_or(""),
            z.soll.format_de(),
            z.haben.format_de()
        ));
    }
    s.push_str(&format!(
        "  Summe Soll {} €, Haben {} €\n\n",
        p.soll.format_de(),
        p.haben.format_de()
    ));
    for b in &p.bestaende {
        s.push_str(&format!(
            "Kassenbestand {} (Konto {}): {} €\n",
            b.iban,
            b.konto,
            b.bestand.format_de()
        ));
    }
    s.push('\n');
    s.push_str(&ergebnis(p));
    s.push('\n');
    s
}

/// Whether the day balances, is closed, or why not.
fn ergebnis(p: &Pruefung) -> String {
    let tag = ta::tag(p.datum);
    if !p.ausgeglichen() {
        format!(
            "Der Kassentag {tag} ist nicht ausgeglichen: {}",
            p.maengel.join(" ")
        )
    } else if p.abgeschlossen {
        format!("Der Kassentag {tag} ist ausgeglichen und abgeschlossen.")
    } else {
        format!("Der Kassentag {tag} ist ausgeglichen; ⟨save⟩ schließt ihn ab.")
    }
}

fn tag_of(form: &Form) -> Result<NaiveDate> {
    form.date_opt("tag")?
        .ok_or_else(|| KisError::field("tag", "Bitte den Kassentag angeben (TT.MM.JJJJ)."))
}

impl Search for TagesabschlussMaske {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN560",
            title: "Tagesabschluss",
            help: "Prüfung eines Kassentags (Enter): Zeitbuch (alle Buchungen des Tages), Sachbuch je Konto und Produkt, Summen und Kassenbestand \
                   je Bankkonto der Stadtkasse. Der Tag ist ausgeglichen, wenn Soll = Haben und der Kassenbestand bestimmbar ist. \
                   A vor einer Zeile zeigt das ganze Zeitbuch. ⟨save⟩ schließt einen ausgeglichenen Tag nach Rückfrage ab; \
                   danach wird keine Buchung mit diesem oder einem früheren Datum mehr angenommen.",
            auto_skip: false,
            fields: vec![
                FieldDef::new("tag", "Kassentag", 0, 1, 10, FieldKind::Date)
                    .label_width(12)
                    .required()
                    .help("Der zu prüfende oder abzuschließende Tag, TT.MM.JJJJ."),
            ],
        }
    }

    /// Amount titles right-aligned over their right-aligned amounts.
    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Bereich", 9),
            Column::new("Konto", 22),
            Column::new("Bezeichnung", 13),
            Column::new("        Soll €", 14),
            Column::new("       Haben €", 14),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN]
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("tag", &format_date_de(env.session.today()));
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let p = ta::pruefen(env.session, tag_of(form)?)?;
        let summe_zeitbuch = p
            .zeitbuch
            .iter()
            .fold(crate::core::money::Money::zero(), |a, z| a + z.betrag);
        let mut rows = vec![zeile(
            "Zeitbuch",
            &format!("{} Buchungen", p.zeitbuch.len()),
            "",
            betrag(summe_zeitbuch),
            String::new(),
        )];
        rows.extend(p.sachbuch.iter().map(|z| {
            zeile(
                "Sachbuch",
                &match &z.produkt {
                    Some(pr) => format!("{} {pr}", z.konto),
                    None => z.konto.clone(),
                },
                &z.bezeichnung,
                betrag(z.soll),
                betrag(z.haben),
            )
        }));
        let mut summe = zeile("Summe", "", "", betrag(p.soll), betrag(p.haben));
        summe.alert = p.soll != p.haben;
        rows.push(summe);
        rows.extend(p.bestaende.iter().map(|b| {
            zeile(
                "Bestand",
                &b.iban,
                &format!("Konto {}", b.konto),
                betrag(b.bestand),
                String::new(),
            )
        }));
        let text = ergebnis(&p);
        if p.ausgeglichen() {
            env.info(text);
        } else {
            env.warn(text);
        }
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, _letter: char, _key: &str, form: &Form) -> Result<Nav> {
        let p = ta::pruefen(env.session, tag_of(form)?)?;
        Ok(Nav::Popup(Popup::document(
            format!("Tagesabschluss {}", ta::tag(p.datum)),
            &umbrechen(&dokument(&p), 76),
        )))
    }

    fn confirmed(&mut self, env: &mut Env, tag: &'static str, yes: bool) -> Result<()> {
        let Some(datum) = self.frage.take().filter(|_| tag == ABSCHLUSS) else {
            return Ok(());
        };
        if !yes {
            env.info(format!("Kassentag {} nicht abgeschlossen.", ta::tag(datum)));
            return Ok(());
        }
        let p = ta::abschliessen(env.session, datum)?;
        env.info(format!(
            "Kassentag {} abgeschlossen ({} Buchungen, {} €).",
            ta::tag(datum),
            p.zeitbuch.len(),
            p.soll.format_de()
        ));
        Ok(())
    }

    fn saves(&self) -> Option<&'static [Role]> {
        Some(&[Role::Kasse])
    }

    /// Only a balanced, open day is asked about; the service checks again.
    fn save(&mut self, env: &mut Env, form: &mut Form) -> Result<Nav> {
        let datum = tag_of(form)?;
        let p = ta::pruefen(env.session, datum)?;
        if !p.ausgeglichen() {
            return Err(KisError::Conflict(format!(
                "Der Kassentag {} ist nicht ausgeglichen und wird nicht abgeschlossen: {}",
                ta::tag(datum),
                p.maengel.join(" ")
            )));
        }
        if p.abgeschlossen {
            return Err(KisError::Conflict(format!(
                "Der Kassentag {} ist bereits abgeschlossen.",
                ta::tag(datum)
            )));
        }
        self.frage = Some(datum);
        Ok(Nav::Popup(Popup::confirm(
            format!(
                "Kassentag {} mit {} Buchungen abschließen? Danach wird keine Buchung mit diesem Datum mehr angenommen. (J/N)",
                ta::tag(datum),
                p.zeitbuch.len()
            ),
            ABSCHLUSS,
        )))
    }

    fn lookups(&self) -> bool {
        false
    }
}
