//! FIN510 Personenkonto: the open items selected by name, partner,
//! Kassenzeichen (check digit checked), IBAN, open amount and due date;
//! A on a line shows its Anordnung with Soll, Ist and Rest per due date.

use super::abfrage::Abfrage;
use super::opt;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::finas::kasse::model::OpFilter;
use crate::finas::kasse::{anordnung, kassenzeichen, partner, personenkonto};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{Column, LineCommand, ListRow};
use crate::ui::screen::{Env, Nav, Popup};

pub struct Personenkonto;

/// The most items one query lists.
const LIMIT: usize = 2000;

fn filter_of(form: &Form) -> Result<OpFilter> {
    Ok(OpFilter {
        partner: form.number_opt("partner")?,
        faellig_bis: form.date_opt("faellig_bis")?,
        name: opt(form, "name"),
        kassenzeichen: opt(form, "kassenzeichen"),
        iban: opt(form, "iban"),
        betrag: form.money_opt("betrag")?,
    })
}

impl Abfrage for Personenkonto {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN510",
            title: "Personenkonto",
            help: "Offene Posten (Soll, Ist, Rest je Fälligkeit) freigegebener Anordnungen, gesucht nach Name, Geschäftspartner, Kassenzeichen, IBAN, offenem Betrag und Fälligkeit. \
                   A vor einer Zeile zeigt die Anordnung.",
            auto_skip: false,
            fields: vec![
                FieldDef::new("name", "Name", 0, 1, 20, FieldKind::Text)
                    .label_width(6)
                    .help("Anfang des Namens (ü = ue), leer = alle."),
                FieldDef::new("partner", "Partner", 0, 29, 8, FieldKind::Number)
                    .label_width(9)
                    .help("Nummer des Geschäftspartners."),
                FieldDef::new("kassenzeichen", "Kassenzeichen", 0, 48, 13, FieldKind::Text)
                    .label_width(15)
                    .help("Kassenzeichen mit Prüfziffer."),
                FieldDef::new("iban", "IBAN", 1, 1, 27, FieldKind::Upper)
                    .label_width(6)
                    .help("Eine IBAN des Geschäftspartners."),
                FieldDef::new("betrag", "Betrag", 1, 36, 12, FieldKind::Money)
                    .label_width(8)
                    .help("Offener Betrag."),
                FieldDef::new("faellig_bis", "fällig bis", 1, 58, 10, FieldKind::Date)
                    .label_width(12)
                    .help("Nur Posten, die bis zu diesem Tag fällig sind."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Kassenzeichen", 13),
            Column::new("Geschäftspartner", 22),
            Column::new("fällig", 10),
            Column::new("Soll", 11),
            Column::new("Ist", 10),
            Column::new("Rest", 11),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![crate::ui::list::ANZEIGEN]
    }

    fn defaults(&self, _form: &mut Form, _env: &mut Env) {}

    fn rows(&self, form: &Form, env: &mut Env) -> Result<(Vec<ListRow>, String)> {
        let op = personenkonto::offene_posten(env.session, &filter_of(form)?, LIMIT)?;
        let (soll, ist, rest) = personenkonto::summen(&op);
        let rows = op
            .iter()
            .map(|p| {
                ListRow::new(
                    p.anordnung.to_string(),
                    vec![
                        kassenzeichen::anzeigen(&p.kassenzeichen),
                        format!("{} {}", p.partner, p.partner_name),
                        format_date_de(p.faellig),
                        p.soll.format_de(),
                        p.ist.format_de(),
                        p.rest().format_de(),
                    ],
                )
            })
            .collect();
        Ok((
            rows,
            format!(
                "{} offene Posten{}: Soll {} €, Ist {} €, Rest {} €.",
                op.len(),
                if op.len() == LIMIT {
                    " (die ersten 2.000)"
                } else {
                    ""
                },
                soll.format_de(),
                ist.format_de(),
                rest.format_de()
            ),
        ))
    }

    fn line_command(&self, _c: char, key: &str, _form: &Form, env: &mut Env) -> Nav {
        let r = key
            .parse::<i64>()
            .map_err(|_| KisError::validation("Anordnungsnummer ungültig."))
            .and_then(|nr| anordnung::lesen(env.session, nr))
            .and_then(|a| Ok((partner::zeigen(env.session, a.partner)?, a)));
        match r {
            Ok((p, a)) => Nav::Popup(Popup::document(
                format!("Anordnung {}", a.nr),
                &anordnung::dokument(&a, &p.partner.anzeigename()),
            )),
            Err(e) => {
                env.fail(&e);
                Nav::Stay
            }
        }
    }
}
