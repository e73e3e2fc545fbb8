//! The SQL of EWOS: reading and writing the register's rows inside the
//! caller's transaction. These functions check no roles, write no audit
//! entries and apply no rules; the services of `ewos` do that and call them.

pub mod auskunft;
pub mod bindung;
pub mod dokumente;
pub mod historie;
pub mod klaerung;
pub mod loeschfristen;
pub mod massenimport;
pub mod person;
pub mod personal;
pub mod sperren;
pub mod suche;
pub mod uebermittlung;
pub mod wohnung;
pub mod zaehler;

use chrono::NaiveDate;

use crate::store::Value;

pub(super) fn opt_date_str(d: Option<NaiveDate>) -> Value {
    match d {
        Some(d) => Value::Text(d.to_string()),
        None => Value::Null,
    }
}
