//! The EWOS masks: EWO100 Personensuche, EWO110 Anmeldung, EWO120
//! Ummeldung, EWO130 Abmeldung, EWO140 Geburt, EWO150 Sterbefall, EWO160
//! Eheschließung/Lebenspartnerschaft, EWO161 Scheidung/Aufhebung, EWO170
//! Namensänderung, EWO180 Sperren, EWO190 Rückmeldung (Wegzug), EWO191
//! Klärungsliste, EWO200 Person, EWO300
//! Melderegisterauskunft, EWO310 Meldebescheinigung.

pub mod person;
pub mod prozesse;
pub mod standesamt;
pub mod suche;
pub mod vorgang;
pub mod wegzug;

use super::record::RecordScreen;
use super::registry::Transaction;
use super::screen::{Env, Screen};
use crate::core::error::Result;
use crate::core::roles::Role;
use person::PersonRecord;
use vorgang::VorgangScreen;

fn open_suche(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::EwosLesen])?;
    crate::ui::search::SearchScreen::open(suche::PersonSuche, env)
}

fn open_person(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.info("Person suchen und mit A vor der Zeile anzeigen.");
    open_suche(env)
}

/// EWO200 with an Ordnungsmerkmal typed after the code: the person at once.
pub fn open_person_by_key(env: &mut Env, key: &str) -> Result<Box<dyn Screen>> {
    Ok(Box::new(RecordScreen::open(
        PersonRecord::default(),
        env,
        Some(key),
    )?))
}

fn open_anmeldung(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::EwosAendern])?;
    Ok(Box::new(VorgangScreen::new(
        prozesse::anmeldung_mask(),
        prozesse::anmeldung,
    )))
}

fn open_ummeldung(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::EwosAendern])?;
    Ok(Box::new(VorgangScreen::new(
        prozesse::ummeldung_mask(),
        prozesse::ummeldung,
    )))
}

fn open_abmeldung(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::EwosAendern])?;
    Ok(Box::new(VorgangScreen::new(
        prozesse::abmeldung_mask(),
        prozesse::abmeldung,
    )))
}

fn open_auskunft(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::EwosLesen])?;
    Ok(Box::new(VorgangScreen::new(
        prozesse::auskunft_mask(),
        prozesse::auskunft,
    )))
}

fn open_bescheinigung(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::EwosLesen])?;
    Ok(Box::new(VorgangScreen::new(
        prozesse::bescheinigung_mask(),
        prozesse::bescheinigung,
    )))
}

/// A process mask for the clerks who may change the register.
fn aendern(
    env: &mut Env,
    mask: crate::ui::form::MaskDef,
    aktion: vorgang::Aktion,
) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::EwosAendern])?;
    Ok(Box::new(VorgangScreen::new(mask, aktion)))
}

fn open_geburt(env: &mut Env) -> Result<Box<dyn Screen>> {
    aendern(env, standesamt::geburt_mask(), standesamt::geburt)
}

fn open_sterbefall(env: &mut Env) -> Result<Box<dyn Screen>> {
    aendern(env, standesamt::sterbefall_mask(), standesamt::sterbefall)
}

fn open_eheschliessung(env: &mut Env) -> Result<Box<dyn Screen>> {
    aendern(
        env,
        standesamt::eheschliessung_mask(),
        standesamt::eheschliessung,
    )
}

fn open_scheidung(env: &mut Env) -> Result<Box<dyn Screen>> {
    aendern(env, standesamt::scheidung_mask(), standesamt::scheidung)
}

fn open_namensaenderung(env: &mut Env) -> Result<Box<dyn Screen>> {
    aendern(
        env,
        standesamt::namensaenderung_mask(),
        standesamt::namensaenderung,
    )
}

fn open_sperre(env: &mut Env) -> Result<Box<dyn Screen>> {
    aendern(env, standesamt::sperre_mask(), standesamt::sperre)
}

fn open_rueckmeldung(env: &mut Env) -> Result<Box<dyn Screen>> {
    aendern(env, wegzug::rueckmeldung_mask(), wegzug::rueckmeldung)
}

fn open_klaerungsliste(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::EwosLesen])?;
    crate::ui::search::SearchScreen::open(wegzug::KlaerungsListe, env)
}

pub fn transactions() -> Vec<Transaction> {
    vec![
        Transaction {
            code: "EWO100",
            title: "Personensuche",
            open: open_suche,
        },
        Transaction {
            code: "EWO110",
            title: "Anmeldung",
            open: open_anmeldung,
        },
        Transaction {
            code: "EWO120",
            title: "Ummeldung",
            open: open_ummeldung,
        },
        Transaction {
            code: "EWO130",
            title: "Abmeldung",
            open: open_abmeldung,
        },
        Transaction {
            code: "EWO140",
            title: "Geburt",
            open: open_geburt,
        },
        Transaction {
            code: "EWO150",
            title: "Sterbefall",
            open: open_sterbefall,
        },
        Transaction {
            code: "EWO160",
            title: "Eheschließung/Lebenspartnerschaft",
            open: open_eheschliessung,
        },
        Transaction {
            code: "EWO161",
            title: "Scheidung/Aufhebung",
            open: open_scheidung,
        },
        Transaction {
            code: "EWO170",
            title: "Namensänderung",
            open: open_namensaenderung,
        },
        Transaction {
            code: "EWO180",
            title: "Sperren und Widersprüche",
            open: open_sperre,
        },
        Transaction {
            code: "EWO190",
            title: "Rückmeldung (Wegzug)",
            open: open_rueckmeldung,
        },
        Transaction {
            code: "EWO191",
            title: "Klärungsliste",
            open: open_klaerungsliste,
        },
        Transaction {
            code: "EWO200",
            title: "Person anzeigen/ändern",
            open: open_person,
        },
        Transaction {
            code: "EWO300",
            title: "Melderegisterauskunft",
            open: open_auskunft,
        },
        Transaction {
            code: "EWO310",
            title: "Meldebescheinigung",
            open: open_bescheinigung,
        },
    ]
}
