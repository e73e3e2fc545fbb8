//! FIN505 Geschäftspartner: F10 with an empty Nr. creates a partner (from
//! the register with an Ordnungsmerkmal and matching name), with a bank
//! account and a SEPA mandate if given; with a Nr. F10 adds the bank
//! account and/or mandate to that partner. F5 loads a partner and names
//! its bank accounts, mandates and open tasks. A wrong IBAN is refused in
//! its field with the reason.

use super::eingabe::{Eingabe, Meldung};
use super::opt;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::kasse::model::{PartnerArt, PartnerInput};
use crate::finas::kasse::partner::{self, MandatInput, PFLEGE, Ziel};
use crate::ui::command::Command;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::screen::Env;

pub struct PartnerMaske;

/// The mandate of the form, if a Mandatsreferenz is given.
fn mandat_of(form: &Form) -> Result<Option<MandatInput>> {
    let Some(referenz) = opt(form, "referenz") else {
        return Ok(None);
    };
    let iban = opt(form, "iban")
        .ok_or_else(|| KisError::field("iban", "Für das Mandat bitte die IBAN angeben."))?;
    let datum = form.date_opt("unterschrieben")?.ok_or_else(|| {
        KisError::field(
            "unterschrieben",
            "Bitte das Datum der Unterschrift angeben.",
        )
    })?;
    Ok(Some(MandatInput {
        referenz,
        iban,
        unterschrieben: datum,
        wiederkehrend: form.get("einmalig").trim() != "J",
    }))
}

impl Eingabe for PartnerMaske {
    fn roles(&self) -> &'static [Role] {
        PFLEGE
    }

    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN505",
            title: "Geschäftspartner",
            help: "Schuldner und Gläubiger der Kasse. ⟨save⟩ ohne Nr. legt den Geschäftspartner an (mit Ordnungsmerkmal und passendem Namen kommt die Anschrift aus dem Melderegister), \
                   mit Nr. fügt ⟨save⟩ Bankverbindung und Mandat hinzu. ⟨refresh⟩ lädt den Geschäftspartner.",
            auto_skip: false,
            fields: vec![
                FieldDef::new("id", "Nr.", 0, 1, 8, FieldKind::Number)
                    .label_width(6)
                    .help("Nummer des Geschäftspartners; leer = neu anlegen."),
                FieldDef::new("art", "Art", 0, 17, 1, FieldKind::Upper)
                    .label_width(5)
                    .help("P = natürliche Person, F = Firma, Behörde, Verein."),
                FieldDef::new("ewos", "Ordnungsmerkmal", 0, 26, 9, FieldKind::Number)
                    .label_width(17)
                    .help("Ordnungsmerkmal im Melderegister (nur Personen); die Anschrift kommt dann von dort."),
                FieldDef::new("name", "Name", 2, 1, 40, FieldKind::Text)
                    .label_width(9)
                    .help("Familienname oder Firmenname."),
                FieldDef::new("vorname", "Vorname", 3, 1, 40, FieldKind::Text).label_width(9),
                FieldDef::new("strasse", "Straße", 4, 1, 40, FieldKind::Text)
                    .label_width(9)
                    .help("Straße und Hausnummer."),
                FieldDef::new("plz", "PLZ", 5, 1, 5, FieldKind::Text).label_width(9),
                FieldDef::new("ort", "Ort", 5, 17, 30, FieldKind::Text).label_width(5),
                FieldDef::new("iban", "IBAN", 7, 1, 34, FieldKind::Upper)
                    .label_width(9)
                    .help("IBAN, mit oder ohne Leerzeichen; wird mit Prüfziffer und Länderformat geprüft."),
                FieldDef::new("bic", "BIC", 7, 46, 11, FieldKind::Upper)
                    .label_width(5)
                    .help("BIC, wahlweise."),
                FieldDef::new("referenz", "Mandat", 8, 1, 35, FieldKind::Text)
                    .label_width(9)
                    .help("Mandatsreferenz eines SEPA-Lastschriftmandats zu dieser IBAN, wahlweise."),
                FieldDef::new("unterschrieben", "vom", 8, 47, 10, FieldKind::Date)
                    .label_width(5)
                    .help("Datum der Unterschrift des Mandats."),
                FieldDef::new("einmalig", "Einmalig", 9, 1, 1, FieldKind::Flag)
                    .label_width(10)
                    .help("J = Einmalmandat, N = wiederkehrend."),
            ],
        }
    }

    fn defaults(&self, form: &mut Form, _env: &mut Env) {
        form.set("art", "P");
        form.set("einmalig", "N");
    }

    fn speichern(&self, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        let iban = opt(form, "iban");
        let bic = form.get("bic");
        let bank = iban.as_deref().map(|i| (i, bic.as_str()));
        let mandat = mandat_of(form)?;
        let mut was = Vec::new();
        if bank.is_some() {
            was.push("Bankverbindung".to_string());
        }
        if let Some(m) = &mandat {
            was.push(format!("Mandat {}", m.referenz));
        }
        if let Some(id) = form.number_opt::<i64>("id")? {
            if was.is_empty() {
                return Err(KisError::field(
                    "iban",
                    "Bitte IBAN (und wahlweise Mandat) angeben.",
                ));
            }
            partner::erfassen(env.session, Ziel::Vorhanden(id), bank, mandat.as_ref())?;
            return Ok(Meldung::Info(format!(
                "{} zu Geschäftspartner {id} erfasst.",
                was.join(" und ")
            )));
        }
        let input = PartnerInput {
            art: Some(PartnerArt::parse(&form.get("art"))?),
            name: form.get("name"),
            vorname: form.get("vorname"),
            strasse: form.get("strasse"),
            plz: form.get("plz"),
            ort: form.get("ort"),
            ewos_person: form.number_opt::<i64>("ewos")?,
        };
        let id = partner::erfassen(env.session, Ziel::Neu(&input), bank, mandat.as_ref())?;
        form.set("id", &id.to_string());
        Ok(Meldung::Info(if was.is_empty() {
            format!("Geschäftspartner {id} angelegt.")
        } else {
            format!("Geschäftspartner {id} angelegt mit {}.", was.join(" und "))
        }))
    }

    fn zusatz(&self) -> Vec<Command> {
        vec![Command::Refresh]
    }

    fn ausfuehren(&self, _cmd: Command, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        let id = form
            .number_opt::<i64>("id")?
            .ok_or_else(|| KisError::field("id", "Bitte die Nummer angeben."))?;
        let a = partner::zeigen(env.session, id)?;
        let p = &a.partner;
        form.set("art", p.art.code());
        form.set(
            "ewos",
            &p.ewos_person.map(|o| o.to_string()).unwrap_or_default(),
        );
        form.set("name", &p.name);
        form.set("vorname", &p.vorname);
        form.set("strasse", &p.strasse);
        form.set("plz", &p.plz);
        form.set("ort", &p.ort);
        let heute = env.session.today();
        let mut t = format!(
            "Geschäftspartner {id}: {} Bankverbindung(en), Mandate: {}.",
            a.banken.len(),
            if a.mandate.is_empty() {
                "keine".to_string()
            } else {
                a.mandate
                    .iter()
                    .map(|m| format!("{} {}", m.referenz, m.stand_text(heute)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        if a.aufgaben.is_empty() {
            Ok(Meldung::Info(t))
        } else {
            t.push_str(&format!(" Aufgabe: {}", a.aufgaben.join(" ")));
            Ok(Meldung::Warnung(t))
        }
    }
}
