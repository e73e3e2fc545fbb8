//! Input masks of the Haushaltsbewirtschaftung on the services of
//! `finas::ueberwachung`: FIN210 Mittelreservierung (Obligo) anlegen or
//! freigeben, FIN220 über-/außerplanmäßige Genehmigung, FIN230
//! Haushaltssperre erfassen or aufheben, FIN240 Ermächtigungsübertragung
//! aus dem Vorjahr.

use chrono::Datelike;

use super::eingabe::{Eingabe, Meldung};
use super::{eur, jahr_field, jahr_of, opt};
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::finas::ueberwachung::{self, Pruefergebnis};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::screen::Env;

fn produkt_field() -> FieldDef {
    FieldDef::new("produkt", "Produkt", 2, 1, 8, FieldKind::Text)
        .label_width(9)
        .help("Produkt (Ebene 3), z. B. 01.01.01.")
}

fn konto_field() -> FieldDef {
    FieldDef::new("konto", "Konto", 2, 22, 4, FieldKind::Number)
        .label_width(7)
        .help("Ergebnis- oder Finanzkonto, z. B. 5431.")
}

fn betrag_field() -> FieldDef {
    FieldDef::new("betrag", "Betrag", 3, 1, 14, FieldKind::Money)
        .label_width(9)
        .help("Betrag in Euro.")
}

/// The position of the form; both fields are needed.
fn position(form: &Form) -> Result<(String, String)> {
    let produkt = opt(form, "produkt")
        .ok_or_else(|| KisError::field("produkt", "Bitte das Produkt angeben, z. B. 01.01.01."))?;
    let konto = opt(form, "konto")
        .ok_or_else(|| KisError::field("konto", "Bitte das Konto angeben, z. B. 5431."))?;
    Ok((produkt, konto))
}

fn nr_of(form: &Form) -> Result<Option<i64>> {
    opt(form, "nr")
        .map(|n| {
            n.parse()
                .map_err(|_| KisError::field("nr", "Nr.: eine Zahl."))
        })
        .transpose()
}

/// FIN210: reserve funds (with the budget check) or release a reservation.
pub struct Reservierung;

impl Eingabe for Reservierung {
    fn roles(&self) -> &'static [Role] {
        &[Role::FinasAendern]
    }

    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN210",
            title: "Mittelreservierung",
            help: "Mittel für einen Auftrag reservieren (Obligo): ⟨save⟩ prüft die Haushaltsmittel und legt die Reservierung an – bei knappen Mitteln mit Warnung, \
                   ohne ausreichende Mittel wird sie abgelehnt. Mit einer Nr. gibt ⟨save⟩ den Rest dieser Reservierung frei.",
            auto_skip: false,
            fields: vec![
                jahr_field(1),
                FieldDef::new("nr", "Nr. freigeben", 0, 14, 8, FieldKind::Number)
                    .label_width(15)
                    .help("Nummer einer offenen Reservierung, deren Rest freigegeben wird; leer = neue Reservierung."),
                produkt_field(),
                konto_field(),
                betrag_field(),
                FieldDef::new("text", "Zweck", 4, 1, 50, FieldKind::Text)
                    .label_width(9)
                    .help("Wofür die Mittel reserviert werden (Auftrag, Bestellung)."),
            ],
        }
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
    }

    fn speichern(&self, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        if let Some(nr) = nr_of(form)? {
            ueberwachung::reservierung_freigeben(env.session, nr)?;
            return Ok(Meldung::Info(format!(
                "Mittelreservierung Nr. {nr} freigegeben."
            )));
        }
        let jahr = jahr_of(form)?;
        let (produkt, konto) = position(form)?;
        let betrag = form.money("betrag")?;
        let (id, erg) = ueberwachung::reservieren(
            env.session,
            jahr,
            &produkt,
            &konto,
            betrag,
            &form.get("text"),
        )?;
        Ok(match erg {
            Pruefergebnis::Ok { verfuegbar_danach } => Meldung::Info(format!(
                "Mittelreservierung Nr. {id} angelegt; verfügbar bleiben {} €.",
                verfuegbar_danach.format_de()
            )),
            Pruefergebnis::Warnung { meldung, .. } | Pruefergebnis::Abgelehnt { meldung } => {
                Meldung::Warnung(format!("Mittelreservierung Nr. {id} angelegt – {meldung}"))
            }
        })
    }
}

/// FIN220: an über- or außerplanmäßige Genehmigung (GO NRW § 83).
pub struct Genehmigung;

impl Eingabe for Genehmigung {
    fn roles(&self) -> &'static [Role] {
        &[Role::FinasAnordnung]
    }

    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN220",
            title: "Genehmigung üpl./apl.",
            help: "Eine über- oder außerplanmäßige Ermächtigung (GO NRW § 83) mit Nummer, Datum, Betrag und Begründung für eine Haushaltsposition erfassen; \
                   außerplanmäßig, wenn die Position keinen Ansatz hat. Nur mit Anordnungsbefugnis.",
            auto_skip: false,
            fields: vec![
                jahr_field(1),
                FieldDef::new("nummer", "Nummer", 0, 14, 16, FieldKind::Text)
                    .label_width(8)
                    .required()
                    .help("Nummer der Genehmigung, z. B. ÜPL-2026-07 (Ratsbeschluss oder Kämmerer-Verfügung)."),
                FieldDef::new("datum", "Datum", 0, 42, 10, FieldKind::Date)
                    .label_width(7)
                    .required()
                    .help("Datum der Genehmigung."),
                produkt_field().required(),
                konto_field().required(),
                betrag_field().required(),
                FieldDef::new("begruendung", "Begründung", 4, 1, 60, FieldKind::Text)
                    .label_width(12)
                    .required()
                    .help("Unabweisbarer Bedarf und Deckung."),
            ],
        }
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        let heute = env.session.today();
        form.set("jahr", &heute.year().to_string());
        form.set("datum", &format_date_de(heute));
    }

    fn speichern(&self, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        let jahr = jahr_of(form)?;
        let (produkt, konto) = position(form)?;
        let betrag = form.money("betrag")?;
        let datum = form.date("datum")?;
        let nummer = form.get("nummer");
        let id = ueberwachung::genehmigen(
            env.session,
            jahr,
            &produkt,
            &konto,
            betrag,
            &nummer,
            datum,
            &form.get("begruendung"),
        )?;
        let pos = ueberwachung::position(env.session, jahr, &produkt, &konto)?;
        Ok(Meldung::Info(format!(
            "Genehmigung Nr. {} erfasst (lfd. {id}); {produkt}/{konto} verfügbar {} €.",
            nummer.trim(),
            eur(pos.verfuegbar())
        )))
    }
}

/// FIN230: a Haushaltssperre (global or for one position) or its lifting.
pub struct Sperre;

impl Eingabe for Sperre {
    fn roles(&self) -> &'static [Role] {
        &[Role::FinasAnordnung]
    }

    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN230",
            title: "Haushaltssperre",
            help: "Haushaltssperre in Prozent erfassen: ohne Produkt und Konto für den ganzen Haushalt, sonst für eine Position. \
                   Mit einer Nr. hebt ⟨save⟩ diese Sperre auf. Nur mit Anordnungsbefugnis.",
            auto_skip: false,
            fields: vec![
                jahr_field(1),
                FieldDef::new("nr", "Nr. aufheben", 0, 14, 8, FieldKind::Number)
                    .label_width(14)
                    .help("Nummer einer aktiven Sperre, die aufgehoben wird; leer = neue Sperre."),
                produkt_field(),
                konto_field(),
                FieldDef::new("prozent", "Prozent", 3, 1, 3, FieldKind::Number)
                    .label_width(9)
                    .help("Gesperrter Anteil der Ermächtigung, 1 bis 100 %."),
                FieldDef::new("grund", "Grund", 4, 1, 60, FieldKind::Text)
                    .label_width(9)
                    .help("Grund der Haushaltssperre."),
            ],
        }
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
    }

    fn speichern(&self, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        if let Some(nr) = nr_of(form)? {
            ueberwachung::sperre_aufheben(env.session, nr)?;
            return Ok(Meldung::Info(format!(
                "Haushaltssperre Nr. {nr} aufgehoben."
            )));
        }
        let jahr = jahr_of(form)?;
        let produkt = opt(form, "produkt");
        let konto = opt(form, "konto");
        let pos = match (&produkt, &konto) {
            (Some(p), Some(k)) => Some((p.as_str(), k.as_str())),
            (None, None) => None,
            (None, Some(_)) => {
                return Err(KisError::field(
                    "produkt",
                    "Bitte auch das Produkt angeben – oder beide Felder leer lassen (Sperre für den ganzen Haushalt).",
                ));
            }
            (Some(_), None) => {
                return Err(KisError::field(
                    "konto",
                    "Bitte auch das Konto angeben – oder beide Felder leer lassen (Sperre für den ganzen Haushalt).",
                ));
            }
        };
        let prozent: u8 = opt(form, "prozent")
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| KisError::field("prozent", "Sperre zwischen 1 und 100 % angeben."))?;
        let id = ueberwachung::sperren(env.session, jahr, pos, prozent, &form.get("grund"))?;
        let wo = match pos {
            Some((p, k)) => format!("für {p}/{k}"),
            None => format!("für den Haushalt {jahr}"),
        };
        Ok(Meldung::Info(format!(
            "Haushaltssperre Nr. {id} {wo} ({prozent} %) erfasst."
        )))
    }
}

/// FIN240: Ermächtigungsübertragung (KomHVO NRW § 22) of what a position
/// left unspent in the previous year into the year of the mask.
pub struct Uebertragung;

impl Eingabe for Uebertragung {
    fn roles(&self) -> &'static [Role] {
        &[Role::FinasAnordnung]
    }

    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN240",
            title: "Ermächtigungsübertragung",
            help: "Nicht verbrauchte Ermächtigung einer Position aus dem Vorjahr in das Haushaltsjahr übertragen (KomHVO NRW § 22: Investitionen und als übertragbar erklärte Aufwendungen); \
                   höchstens, was im Vorjahr verfügbar blieb und noch nicht übertragen ist. Sie erhöht die verfügbaren Mittel des Jahres. Nur mit Anordnungsbefugnis.",
            auto_skip: false,
            fields: vec![
                jahr_field(1).help("Haushaltsjahr, in das übertragen wird (aus dem Vorjahr)."),
                produkt_field(),
                konto_field(),
                betrag_field().help("Zu übertragender Betrag in Euro."),
                FieldDef::new("grund", "Grund", 4, 1, 60, FieldKind::Text)
                    .label_width(9)
                    .help("Grund der Übertragung, z. B. Maßnahme im Vorjahr nicht abgeschlossen."),
            ],
        }
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
    }

    fn speichern(&self, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        let jahr = jahr_of(form)?;
        let (produkt, konto) = position(form)?;
        let betrag = form.money("betrag")?;
        let id = ueberwachung::uebertragen(
            env.session,
            jahr,
            &produkt,
            &konto,
            betrag,
            &form.get("grund"),
        )?;
        let verfuegbar = ueberwachung::position(env.session, jahr, &produkt, &konto)?.verfuegbar();
        Ok(Meldung::Info(format!(
            "Übertragung Nr. {id}: {} € für {produkt}/{konto} von {} nach {jahr} übertragen; verfügbar {jahr} jetzt {} €.",
            betrag.format_de(),
            jahr - 1,
            eur(verfuegbar)
        )))
    }
}
