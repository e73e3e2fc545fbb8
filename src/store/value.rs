//! The one parameter/result value type shared by both backends.

use chrono::{NaiveDate, NaiveDateTime};

/// A database value. Dates travel as ISO text, booleans as 0/1, money as
/// integer cents (see the dialect rules in [`crate::store`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

/// ISO format of dates in the database.
pub(crate) const DATE_FORMAT: &str = "%Y-%m-%d";
/// ISO format of timestamps in the database; the fraction is only written
/// when non-zero, so whole-second values look like `2026-02-01T10:32:00`.
pub(crate) const DATETIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Short German description of the value kind, for error messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "Ganzzahl",
            Value::Text(_) => "Text",
        }
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<i16> for Value {
    fn from(v: i16) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<u8> for Value {
    fn from(v: u8) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<u16> for Value {
    fn from(v: u16) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<usize> for Value {
    /// Counts and indexes; values beyond `i64::MAX` cannot occur in practice
    /// and saturate.
    fn from(v: usize) -> Self {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Text(v.format(DATE_FORMAT).to_string())
    }
}

impl From<&NaiveDate> for Value {
    fn from(v: &NaiveDate) -> Self {
        Value::from(*v)
    }
}

impl From<NaiveDateTime> for Value {
    fn from(v: NaiveDateTime) -> Self {
        Value::Text(v.format(DATETIME_FORMAT).to_string())
    }
}

impl From<&NaiveDateTime> for Value {
    fn from(v: &NaiveDateTime) -> Self {
        Value::from(*v)
    }
}

impl From<&Value> for Value {
    fn from(v: &Value) -> Self {
        v.clone()
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(Value::from(5u32), Value::Int(5));
        assert_eq!(Value::from(true), Value::Int(1));
        assert_eq!(Value::from(false), Value::Int(0));
        assert_eq!(Value::from("a"), Value::Text("a".into()));
        assert_eq!(Value::from(None::<i64>), Value::Null);
        assert_eq!(Value::from(Some("x")), Value::Text("x".into()));
        let d = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        assert_eq!(Value::from(d), Value::Text("2026-02-01".into()));
        let t = d.and_hms_opt(10, 32, 0).unwrap();
        assert_eq!(Value::from(t), Value::Text("2026-02-01T10:32:00".into()));
        let t = d.and_hms_milli_opt(10, 32, 0, 250).unwrap();
        assert_eq!(
            Value::from(t),
            Value::Text("2026-02-01T10:32:00.250".into())
        );
    }

    #[test]
    fn params_macro() {
        let name = String::from("Müller");
        let p = crate::params![1i64, &name, None::<String>, 7usize];
        assert_eq!(
            p,
            vec![
                Value::Int(1),
                Value::Text("Müller".into()),
                Value::Null,
                Value::Int(7)
            ]
        );
        assert!(crate::params![].is_empty());
    }
}
