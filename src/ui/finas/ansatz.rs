//! FIN110 Ansätze erfassen: one Ansatz (Produkt × Konto, budget year and
//! the three planning years) of a plan version in Entwurf or Nachtrag,
//! saved through `plan::ansatz_setzen`; F5 shows the version's Ansatz,
//! F11 starts the next version.

use chrono::Datelike;

use super::eingabe::{Eingabe, Meldung};
use super::{jahr_field, jahr_of, opt};
use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::plan::{self, Ansatz};
use crate::ui::command::Command;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef};
use crate::ui::screen::Env;

pub struct Ansaetze;

/// The version named in the form, else the year's open draft.
fn version_of(form: &Form, env: &mut Env, jahr: i32) -> Result<i64> {
    if let Some(v) = form.number_opt("version")? {
        return Ok(v);
    }
    plan::versionen(env.session, jahr)?
        .iter()
        .find(|v| !v.beschlossen)
        .map(|v| v.version)
        .ok_or_else(|| {
            KisError::field(
                "version",
                format!("Für {jahr} ist keine Version im Entwurf – mit ⟨new⟩ eine neue Version (Entwurf oder Nachtrag) anlegen."),
            )
        })
}

impl Eingabe for Ansaetze {
    fn roles(&self) -> &'static [Role] {
        &[Role::FinasAendern]
    }

    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "FIN110",
            title: "Ansätze erfassen",
            help: "Ansatz je Produkt und Konto für das Haushaltsjahr und die drei Planungsjahre in einer Version im Entwurf (Haushalt oder Nachtrag). \
                   ⟨save⟩ speichert (leere Beträge bleiben wie in der Version, alle Beträge 0 = Ansatz entfernen), ⟨refresh⟩ zeigt den Ansatz der Version zu Produkt und Konto, ⟨new⟩ legt die nächste Version an (Entwurf, nach dem Beschluss ein Nachtrag).",
            auto_skip: false,
            fields: vec![
                jahr_field(1),
                FieldDef::new("version", "Version", 0, 14, 2, FieldKind::Number)
                    .label_width(9)
                    .help("Planversion im Entwurf; leer = die offene Version des Jahres."),
                FieldDef::new("produkt", "Produkt", 2, 1, 8, FieldKind::Text)
                    .label_width(9)
                    .required()
                    .help("Produkt (Ebene 3), z. B. 01.01.01."),
                FieldDef::new("konto", "Konto", 2, 22, 4, FieldKind::Number)
                    .label_width(7)
                    .required()
                    .help("Ergebnis- oder Finanzkonto, z. B. 5431."),
                FieldDef::new("betrag", "Ansatz", 4, 1, 14, FieldKind::Money)
                    .label_width(14)
                    .help("Ansatz des Haushaltsjahres in Euro (nicht negativ); leer = bisheriger Wert."),
                FieldDef::new("plan1", "Planung +1", 5, 1, 14, FieldKind::Money)
                    .label_width(14)
                    .help("Erstes Planungsjahr."),
                FieldDef::new("plan2", "Planung +2", 6, 1, 14, FieldKind::Money)
                    .label_width(14)
                    .help("Zweites Planungsjahr."),
                FieldDef::new("plan3", "Planung +3", 7, 1, 14, FieldKind::Money)
                    .label_width(14)
                    .help("Drittes Planungsjahr."),
            ],
        }
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        form.set("jahr", &env.session.today().year().to_string());
    }

    fn speichern(&self, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        let jahr = jahr_of(form)?;
        let version = version_of(form, env, jahr)?;
        let produkt = form.get("produkt").trim().to_string();
        let konto = form.get("konto").trim().to_string();
        // An empty amount keeps what the version holds (a Nachtrag starts as
        // a copy); only an amount typed in changes it.
        let bisher = plan::ansaetze(env.session, jahr, version)?
            .into_iter()
            .find(|a| a.produkt == produkt && a.konto == konto);
        let alt = |i: usize| {
            bisher.as_ref().map_or(Money::zero(), |a| match i {
                0 => a.betrag,
                n => a.plan[n - 1],
            })
        };
        let wert = |key: &str, i: usize| -> Result<Money> {
            match opt(form, key) {
                Some(_) => form.money(key),
                None => Ok(alt(i)),
            }
        };
        let a = Ansatz {
            betrag: wert("betrag", 0)?,
            plan: [wert("plan1", 1)?, wert("plan2", 2)?, wert("plan3", 3)?],
            produkt,
            konto,
        };
        plan::ansatz_setzen(env.session, jahr, version, &a)?;
        form.set("version", &version.to_string());
        let was = if [a.betrag, a.plan[0], a.plan[1], a.plan[2]]
            .iter()
            .all(|w| w.is_zero())
        {
            "entfernt"
        } else {
            "gespeichert"
        };
        Ok(Meldung::Info(format!(
            "Ansatz {}/{} {jahr} (Version {version}) {was}.",
            a.produkt, a.konto
        )))
    }

    fn zusatz(&self) -> Vec<Command> {
        vec![Command::Refresh, Command::New]
    }

    fn ausfuehren(&self, cmd: Command, form: &mut Form, env: &mut Env) -> Result<Meldung> {
        match cmd {
            Command::Refresh => laden(form, env),
            _ => neue_version(form, env),
        }
    }
}

/// F5: show the Ansatz the version holds for the Produkt and Konto.
fn laden(form: &mut Form, env: &mut Env) -> Result<Meldung> {
    let jahr = jahr_of(form)?;
    let version = version_of(form, env, jahr)?;
    let produkt = form.get("produkt").trim().to_string();
    let konto = form.get("konto").trim().to_string();
    let a = plan::ansaetze(env.session, jahr, version)?
        .into_iter()
        .find(|a| a.produkt == produkt && a.konto == konto);
    form.set("version", &version.to_string());
    let werte = a.as_ref().map_or([Money::zero(); 4], |a| {
        [a.betrag, a.plan[0], a.plan[1], a.plan[2]]
    });
    for (key, w) in ["betrag", "plan1", "plan2", "plan3"].into_iter().zip(werte) {
        form.set(key, &w.format_de());
    }
    Ok(Meldung::Info(match a {
        Some(_) => format!("Ansatz {produkt}/{konto} {jahr} (Version {version}) geladen."),
        None => format!("Für {produkt}/{konto} gibt es in Version {version} noch keinen Ansatz."),
    }))
}

/// F11: the next plan version (Entwurf, after the Beschluss a Nachtrag).
fn neue_version(form: &mut Form, env: &mut Env) -> Result<Meldung> {
    let jahr = jahr_of(form)?;
    let version = plan::version_anlegen(env.session, jahr, "")?;
    let name = plan::versionen(env.session, jahr)?
        .into_iter()
        .find(|v| v.version == version)
        .map(|v| v.bezeichnung)
        .unwrap_or_default();
    form.set("version", &version.to_string());
    Ok(Meldung::Info(format!(
        "Version {version} „{name}“ im Entwurf angelegt."
    )))
}
