//! FIN500 Anordnung: enter an Annahme- or Auszahlungsanordnung (F10 with
//! an empty Nr.), or act on an existing one: F5 loads it by Nr. or by
//! Kassenzeichen (check digit checked), Aktion F + F10 releases it (only a
//! second, anordnungsbefugte person: the service refuses the one who
//! entered it), Aktion S + F10 cancels it with the text as reason.

use super::eingabe::{Eingabe, Meldung};
use super::opt;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::kasse::anordnung;
use crate::finas::kasse::kassenzeichen;
use crate::finas::kasse::model::{Anordnung, AnordnungArt, AnordnungInput, Faelligkeit};
use crate::ui::command::Command;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::screen::Env;

pub struct AnordnungMaske;

/// The due-date lines of the mask.
const FAELLIG: [(&str, &str); 3] = [
    ("faellig1", "betrag1"),
    ("faellig2", "betrag2"),
    ("faellig3", "betrag3"),
];

fn nr_of(form: &Form) -> Result<Option<i64>> {
    form.number_opt("nr")
}

fn input_of(form: &Form) -> Result<AnordnungInput> {
    let partner = form.number_opt("partner")?.ok_or_else(|| {
        KisError::field("partner", "Bitte die Nummer des Geschäftspartners angeben.")
    })?;
    let mut faelligkeiten = Vec::new();
    for (f, b) in FAELLIG {
        match (form.date_opt(f)?, form.money_opt(b)?) {
            (None, None) => {}
            (Some(faellig), Some(betrag)) => faelligkeiten.push(Faelligkeit { faellig, betrag }),
            (None, Some(_)) => {
                return Err(KisError::field(f, "Bitte das Fälligkeitsdatum angeben."));
            }
            (Some(_), None) => return Err(KisError::field(b, "Bitte den Betrag angeben.")),
        }
    }
    Ok(AnordnungInput {
        reservierung: form.number_opt("reservierung")?,
        art: AnordnungArt::parse(&form.get("art"))?,
        partner,
        produkt: form.get("produkt"),
        konto: form.get("konto"),
        kostenstelle: opt(form, "kostenstelle"),
        gegenkonto: None,
        text: form.get("text"),
        faelligkeiten,
    })
}

fn zeigen(form: &mut Form, a: &Anordnung) -> Meldung {
    form.set("nr", &a.nr.to_string());
    form.set("kassenzeichen", &kassenzeichen::anzeigen(&a.kassenzeichen));
    form.set("art", a.art.code());
    form.set("partner", &a.partner.to_string());
    form.set("produkt", &a.produkt);
    form.set("konto", &a.konto);
    form.set("kostenstelle", a.kostenstelle.as_deref().unwrap_or(""));
    form.set(
        "reservierung",
        &a.reservierung.map(|r| r.to_string()).unwrap_or_default(),
    );
    form.set("text", &a.text);
    for (i, (f, b)) in FAELLIG.iter().enumerate() {
        let p = a.posten.get(i);
        form.set(f, &p.map(|p| format_date_de(p.faellig)).unwrap_or_default());
        form.set(b, &p.map(|p| p.soll.format_de()).unwrap_or_default());
    }
    Meldung::Info(format!(
        "{} {} ({}), Summe {} €, erfasst von {}.",
        a.art.label(),
        a.nr,
        a.status.label(),
        a.summe().format_de(),
        a.erfasst_von
    ))
}

impl Eingabe for AnordnungMaske {
    fn roles(&self) -> &'static [Role] {
        &[Role::FinasAendern, Role::FinasAnordnung]
    }

    fn mask(&self) -> MaskDef {
        let mut fields = vec![
            FieldDef::new("nr", "Nr.", 0, 1, 8, FieldKind::Number)
                .label_width(6)
                .help("Nummer einer Anordnung (⟨refresh⟩ lädt sie); leer = neue Anordnung erfassen."),
            FieldDef::new("kassenzeichen", "Kassenzeichen", 0, 17, 13, FieldKind::Text)
                .label_width(15)
                .help("Kassenzeichen (11 Ziffern mit Prüfziffer); ⟨refresh⟩ lädt die Anordnung dazu. Bei neuen Anordnungen vergeben."),
            FieldDef::new("aktion", "Aktion", 0, 48, 1, FieldKind::Upper)
                .label_width(8)
                .help("Leer = erfassen; F = freigeben (nicht durch die erfassende Person); S = stornieren (Text = Grund)."),
            FieldDef::new("art", "Art", 2, 1, 1, FieldKind::Upper)
                .label_width(6)
                .help("A = Annahmeanordnung (Forderung), Z = Auszahlungsanordnung (Verbindlichkeit)."),
            FieldDef::new("partner", "Geschäftspartner", 2, 17, 8, FieldKind::Number)
                .label_width(18)
                .help("Nummer des Geschäftspartners (FIN505)."),
            FieldDef::new("produkt", "Produkt", 3, 1, 8, FieldKind::Text)
                .label_width(9)
                .help("Produkt (Ebene 3), z. B. 01.01.01."),
            FieldDef::new("konto", "Konto", 3, 22, 4, FieldKind::Number)
                .label_width(7)
                .help("Ertragskonto (Klasse 4) bei A, Aufwandskonto (Klasse 5) bei Z."),
            FieldDef::new("kostenstelle", "Kostenstelle", 3, 36, 8, FieldKind::Text)
                .label_width(14)
                .help("Kostenstelle, wahlweise."),
            FieldDef::new("text", "Text", 4, 1, 60, FieldKind::Text)
                .label_width(9)
                .help("Buchungstext; beim Stornieren der Grund."),
        ];
        for (i, (f, b)) in FAELLIG.iter().enumerate() {
            let row = 6 + i as u16;
            fields.push(
                FieldDef::new(f, "Fällig", row, 1, 10, FieldKind::Date)
                    .label_width(9)
                    .help("Fälligkeitsdatum TT.MM.JJJJ."),
            );
            fields.push(
                FieldDef::new(b, "Betrag", row, 24, 14, FieldKind::Money)
                    .label_width(8)
                    .help("Betrag in Euro zu dieser Fälligkeit."),
            );
        }
        // Last in the tab order: most Anordnungen name no reservation.
        fields.push(
            FieldDef::new("reservierung", "Reservierung", 2, 48, 8, FieldKind::Number)
                .label_width(14)
                .help("Nr. der Mittelreservierung (FIN210), die diese Auszahlung verbraucht; leer = keine."),
        );
        MaskDef {
            code: "FIN500",
            title: "Anordnung",
            help: "Annahme- oder Auszahlungsanordnung mit Geschäftspartner, Buchungsstelle und bis zu drei Fälligkeiten. ⟨save⟩ erfasst sie (das Kassenzeichen wird vergeben), \
                   mit Nr. und Aktion F gibt eine zweite, anordnungsbefugte Person sie frei (Haushaltsprüfung und Buchung), mit Aktion S wird sie storniert. ⟨refresh⟩ lädt eine Anordnung.",
            auto_skip: false,
            fields,
        }
    }

    fn defaults(&self, form: &mut Form, _env: &mut Env) {
        form.set("art", "A");
    }

    fn speichern(&self, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        let aktion = form.get("aktion").trim().to_uppercase();
        match (nr_of(form)?, aktion.as_str()) {
            (None, "") => {
                let e = anordnung::erfassen(env.session, &input_of(form)?)?;
                form.set("nr", &e.nr.to_string());
                form.set("kassenzeichen", &kassenzeichen::anzeigen(&e.kassenzeichen));
                let t = format!(
                    "Anordnung {} erfasst, Kassenzeichen {}; Freigabe durch eine zweite Person.",
                    e.nr,
                    kassenzeichen::anzeigen(&e.kassenzeichen)
                );
                Ok(match e.warnung {
                    Some(w) => Meldung::Warnung(format!("{t} {w}")),
                    None => Meldung::Info(t),
                })
            }
            (Some(nr), "F") => {
                let f = anordnung::freigeben(env.session, nr)?;
                form.set("aktion", "");
                let t = format!(
                    "Anordnung {nr} freigegeben und gebucht (Buchung {}).",
                    f.buchung
                );
                Ok(match f.warnungen.is_empty() {
                    true => Meldung::Info(t),
                    false => Meldung::Warnung(format!("{t} {}", f.warnungen.join(" "))),
                })
            }
            (Some(nr), "S") => {
                let storno = anordnung::stornieren(env.session, nr, &form.get("text"))?;
                form.set("aktion", "");
                Ok(Meldung::Info(match storno {
                    Some(b) => format!("Anordnung {nr} storniert (Storno-Buchung {b})."),
                    None => format!("Anordnung {nr} storniert."),
                }))
            }
            (Some(_), "") => Err(KisError::field(
                "aktion",
                "Für eine vorhandene Anordnung Aktion F (freigeben) oder S (stornieren) angeben; Nr. leeren für eine neue.",
            )),
            (None, _) => Err(KisError::field(
                "nr",
                "Bitte die Nummer der Anordnung angeben.",
            )),
            (Some(_), _) => Err(KisError::field(
                "aktion",
                "Aktion: F (freigeben) oder S (stornieren).",
            )),
        }
    }

    fn zusatz(&self) -> Vec<Command> {
        vec![Command::Refresh]
    }

    fn ausfuehren(&self, _cmd: Command, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        let a = match (nr_of(form)?, opt(form, "kassenzeichen")) {
            (Some(nr), _) => anordnung::lesen(env.session, nr)?,
            (None, Some(kz)) => anordnung::zu_kassenzeichen(env.session, &kz)?,
            (None, None) => {
                return Err(KisError::field(
                    "nr",
                    "Bitte Nr. oder Kassenzeichen angeben.",
                ));
            }
        };
        Ok(zeigen(form, &a))
    }
}
