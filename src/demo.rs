//! The demo municipality Musterstadt, loaded from `fixtures/musterstadt/`
//! into an empty store (the files are compiled in, so `kis` needs no
//! checkout to set up a demo). Everything is fictional.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::core::clock::Clock;
use crate::core::csv_import;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit::Actor;
use crate::kernel::auth;
use crate::kernel::codes::{self, CodeEntry};
use crate::kernel::session::Mandant;
use crate::kernel::streets::{self, Street};
use crate::store::{Db, Sql};

const MANDANT: &str = include_str!("../fixtures/musterstadt/mandant.toml");
const CODES: &str = include_str!("../fixtures/musterstadt/codes.csv");
const STREETS: &str = include_str!("../fixtures/musterstadt/streets.csv");
const USERS: &str = include_str!("../fixtures/musterstadt/users.csv");

/// The Mandant key of Musterstadt.
pub const MANDANT_ID: &str = "001";

#[derive(Deserialize)]
struct MandantFile {
    id: String,
    name: String,
    ags: String,
    bundesland: String,
    anschrift: String,
}

fn opt_date(s: &str, default: NaiveDate, file: &str, line: usize) -> Result<NaiveDate> {
    if s.trim().is_empty() {
        return Ok(default);
    }
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| KisError::validation(format!("{file} Zeile {line}: Datum „{s}“ ungültig.")))
}

/// Load Musterstadt if the store is empty (no Mandant, no user); returns
/// whether it did. Its users have known passwords, so it never goes into a
/// store that is already set up. All of it happens in one transaction: a
/// failure leaves the store empty.
pub fn load_if_empty(db: &Db, clock: &dyn Clock) -> Result<bool> {
    load_with(db, clock, &auth::hash_password)
}

/// [`load_if_empty`] with the password hasher given (tests reuse hashes:
/// argon2 is slow on purpose).
pub fn load_with(
    db: &Db,
    clock: &dyn Clock,
    hash: &dyn Fn(&str) -> Result<String>,
) -> Result<bool> {
    if !auth::mandanten(db)?.is_empty() || auth::has_users(db)? {
        return Ok(false);
    }
    let m: MandantFile =
        toml::from_str(MANDANT).map_err(|e| KisError::validation(format!("mandant.toml: {e}")))?;
    let mandant = Mandant {
        id: m.id,
        name: m.name,
        ags: m.ags,
        bundesland: m.bundesland,
        anschrift: m.anschrift,
    };
    let actor = Actor {
        user: "KIS".into(),
        mandant: mandant.id.clone(),
        at: clock.now(),
    };
    // Hash the passwords before the transaction: argon2 is slow on purpose.
    let users = csv_import::fixture_rows(USERS, "users.csv")?
        .into_iter()
        .map(|r| {
            let roles = r[3]
                .split_whitespace()
                .map(|x| x.parse::<Role>().map_err(KisError::validation))
                .collect::<Result<Vec<_>>>()?;
            Ok((r[0].to_string(), r[1].to_string(), hash(&r[2])?, roles))
        })
        .collect::<Result<Vec<_>>>()?;
    db.write(|sql| {
        auth::add_mandant_in(sql, &actor, &mandant)?;
        load_codes(sql, &actor)?;
        load_streets(sql, &actor)?;
        crate::persos::demo::load_demo_in(sql, &actor)?;
        for (name, full, hash, roles) in &users {
            auth::insert_user_in(sql, &actor, name, full, hash)?;
            auth::set_roles_in(sql, &actor, name, &mandant.id, roles)?;
        }
        crate::ewos::load_demo_in(sql, &actor)?;
        crate::finas::load_demo_in(sql, &actor, &mandant.bundesland)?;
        Ok(())
    })?;
    Ok(true)
}

fn load_codes(sql: &mut dyn Sql, actor: &Actor) -> Result<()> {
    let min = NaiveDate::MIN.max(NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default());
    let max = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default();
    for (i, r) in csv_import::fixture_rows(CODES, "codes.csv")?
        .iter()
        .enumerate()
    {
        let line = i + 2;
        codes::upsert_in(
            sql,
            actor,
            &CodeEntry {
                list: r[0].to_string(),
                code: r[1].to_string(),
                short_text: r[2].to_string(),
                long_text: r[3].to_string(),
                valid_from: opt_date(&r[4], min, "codes.csv", line)?,
                valid_to: opt_date(&r[5], max, "codes.csv", line)?,
            },
        )?;
    }
    Ok(())
}

fn load_streets(sql: &mut dyn Sql, actor: &Actor) -> Result<()> {
    for (i, r) in csv_import::fixture_rows(STREETS, "streets.csv")?
        .iter()
        .enumerate()
    {
        let hausnummern = streets::parse_hausnummern(&r[5])
            .map_err(|e| KisError::validation(format!("streets.csv Zeile {}: {e}", i + 2)))?;
        streets::insert_in(
            sql,
            actor,
            &Street {
                schluessel: r[0].to_string(),
                name: r[1].to_string(),
                ortsteil: r[2].to_string(),
                plz: r[3].to_string(),
                ort: r[4].to_string(),
                hausnummern,
                version: 1,
            },
        )?;
    }
    Ok(())
}

/// The most test records one `kis demo residents|postings` call generates
/// (the largest benchmark size); more is refused before anything is written.
pub const MAX_TESTDATEN: usize = 2_000_000;

fn check_anzahl(n: usize, was: &str) -> Result<()> {
    if (1..=MAX_TESTDATEN).contains(&n) {
        Ok(())
    } else {
        Err(KisError::field(
            "anzahl",
            format!("Die Anzahl der {was} muss zwischen 1 und 2.000.000 liegen (angegeben: {n})."),
        ))
    }
}

/// `kis demo residents N`: N generated residents into the session's
/// Mandant. Test data in a register is an administration act: the user
/// needs ADMIN and EWOS_AENDERN there.
pub fn residents(
    session: &crate::kernel::session::Session,
    n: usize,
    seed: u64,
) -> Result<crate::ewos::generator::Statistik> {
    session.require(&[Role::Admin])?;
    session.require(&[Role::EwosAendern])?;
    check_anzahl(n, "Einwohner")?;
    let actor = session.actor();
    let heute = session.today();
    session
        .db
        .write(|sql| crate::ewos::generator::generate_in(sql, &actor, heute, n, seed))
}

/// `kis demo postings N`: N generated postings into the session's Mandant
/// and year; ADMIN and FINAS_AENDERN.
pub fn postings(session: &crate::kernel::session::Session, jahr: i32, n: usize) -> Result<usize> {
    session.require(&[Role::Admin])?;
    session.require(&[Role::FinasAendern])?;
    check_anzahl(n, "Buchungen")?;
    crate::finas::generator::generieren(session, jahr, n)
}
