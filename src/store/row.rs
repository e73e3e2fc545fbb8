//! One result row with typed accessors that fail with a clear error instead
//! of panicking when the database holds something unexpected.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};

use super::value::{DATE_FORMAT, Value};
use crate::core::error::{KisError, Result};

/// A result row: the column names (shared by all rows of one query) and the values.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    pub(crate) fn new(columns: Arc<[String]>, values: Vec<Value>) -> Row {
        Row { columns, values }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The column names of the query.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// All values of the row.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The raw value. Panics if `idx` is out of range, like slice indexing:
    /// column positions come from the program, never from input.
    pub fn value(&self, idx: usize) -> &Value {
        &self.values[idx]
    }

    pub fn i64(&self, idx: usize) -> Result<i64> {
        self.opt_i64(idx)?
            .ok_or_else(|| self.type_error(idx, "Ganzzahl"))
    }

    pub fn opt_i64(&self, idx: usize) -> Result<Option<i64>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            Value::Text(_) => Err(self.type_error(idx, "Ganzzahl")),
        }
    }

    /// Text; an integer is rendered as its decimal text.
    pub fn str(&self, idx: usize) -> Result<String> {
        self.opt_str(idx)?
            .ok_or_else(|| self.type_error(idx, "Text"))
    }

    pub fn opt_str(&self, idx: usize) -> Result<Option<String>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v.to_string())),
            Value::Text(s) => Ok(Some(s.clone())),
        }
    }

    /// A flag stored as 0/1.
    pub fn bool(&self, idx: usize) -> Result<bool> {
        match self.get(idx)? {
            Value::Int(0) => Ok(false),
            Value::Int(1) => Ok(true),
            _ => Err(self.type_error(idx, "Wahrheitswert 0/1")),
        }
    }

    /// A date stored as ISO text `YYYY-MM-DD`.
    pub fn date(&self, idx: usize) -> Result<NaiveDate> {
        self.opt_date(idx)?
            .ok_or_else(|| self.type_error(idx, "Datum"))
    }

    pub fn opt_date(&self, idx: usize) -> Result<Option<NaiveDate>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::Text(s) => NaiveDate::parse_from_str(s, DATE_FORMAT)
                .map(Some)
                .map_err(|_| self.type_error(idx, "Datum (JJJJ-MM-TT)")),
            Value::Int(_) => Err(self.type_error(idx, "Datum (JJJJ-MM-TT)")),
        }
    }

    /// A timestamp stored as ISO text `YYYY-MM-DDTHH:MM:SS[.fff]` (a space
    /// instead of the `T` is accepted too).
    pub fn datetime(&self, idx: usize) -> Result<NaiveDateTime> {
        self.opt_datetime(idx)?
            .ok_or_else(|| self.type_error(idx, "Zeitpunkt"))
    }

    pub fn opt_datetime(&self, idx: usize) -> Result<Option<NaiveDateTime>> {
        match self.get(idx)? {
            Value::Null => Ok(None),
            Value::Text(s) => parse_datetime(s)
                .map(Some)
                .ok_or_else(|| self.type_error(idx, "Zeitpunkt (JJJJ-MM-TTTHH:MM:SS)")),
            Value::Int(_) => Err(self.type_error(idx, "Zeitpunkt (JJJJ-MM-TTTHH:MM:SS)")),
        }
    }

    /// Column index by name (case-insensitive).
    pub fn idx(&self, name: &str) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                KisError::Db(format!(
                    "Spalte '{name}' ist nicht im Abfrageergebnis (vorhanden: {}).",
                    self.columns.join(", ")
                ))
            })
    }

    fn get(&self, idx: usize) -> Result<&Value> {
        self.values.get(idx).ok_or_else(|| {
            KisError::Db(format!(
                "Spalte {idx} gibt es nicht; das Ergebnis hat {} Spalten.",
                self.values.len()
            ))
        })
    }

    fn type_error(&self, idx: usize, expected: &str) -> KisError {
        let name = self.columns.get(idx).map(String::as_str).unwrap_or("?");
        let found = match self.values.get(idx) {
            Some(Value::Text(s)) => format!("Text '{}'", truncate(s, 40)),
            Some(Value::Int(v)) => format!("Ganzzahl {v}"),
            Some(v) => v.kind().to_owned(),
            None => "nichts".to_owned(),
        };
        KisError::Db(format!(
            "Spalte {idx} ({name}): erwartet {expected}, gefunden {found}."
        ))
    }
}

fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: Vec<Value>) -> Row {
        let cols: Vec<String> = (0..values.len()).map(|i| format!("C{i}")).collect();
        Row::new(cols.into(), values)
    }

    #[test]
    fn typed_access() {
        let r = row(vec![
            Value::Int(42),
            Value::Text("2026-02-01".into()),
            Value::Null,
            Value::Text("2026-02-01T10:32:00.5".into()),
            Value::Int(1),
        ]);
        assert_eq!(r.i64(0).unwrap(), 42);
        assert_eq!(r.str(0).unwrap(), "42");
        assert_eq!(
            r.date(1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        );
        assert_eq!(r.opt_i64(2).unwrap(), None);
        assert_eq!(r.opt_str(2).unwrap(), None);
        assert_eq!(r.opt_date(2).unwrap(), None);
        assert!(r.i64(2).is_err());
        assert!(r.i64(1).is_err());
        assert!(r.date(0).is_err());
        assert_eq!(
            r.datetime(3).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 1)
                .unwrap()
                .and_hms_milli_opt(10, 32, 0, 500)
                .unwrap()
        );
        assert!(r.bool(4).unwrap());
        assert!(r.bool(0).is_err());
        assert!(r.i64(9).is_err());
        assert_eq!(r.idx("c3").unwrap(), 3);
        let e = r.idx("name").unwrap_err();
        assert!(matches!(e, KisError::Db(m) if m.contains("'name'")));
    }

    #[test]
    fn error_names_column_and_value() {
        let r = Row::new(
            vec!["geburtsdatum".to_string()].into(),
            vec![Value::Text("gestern".into())],
        );
        let e = r.date(0).unwrap_err().to_string();
        assert!(e.contains("geburtsdatum") && e.contains("gestern"), "{e}");
    }
}
