//! The EWOS masks: EWO100 Personensuche, EWO110 Anmeldung, EWO120
//! Ummeldung, EWO130 Abmeldung, EWO200 Person, EWO300
//! Melderegisterauskunft, EWO310 Meldebescheinigung.

pub mod person;
pub mod prozesse;
pub mod suche;
pub mod vorgang;

use super::registry::Transaction;
use super::screen::{Env, Screen};
use crate::core::error::Result;
use crate::core::roles::Role;
use vorgang::VorgangScreen;

fn open_suche(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::EwosLesen])?;
    crate::ui::search::SearchScreen::open(suche::PersonSuche, env)
}

fn open_person(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.info("Person suchen und mit A vor der Zeile anzeigen.");
    open_suche(env)
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
