//! Multi-row INSERTs for generated residents (`kis demo residents N`), and
//! the houses of the street directory they are spread over.

use crate::core::error::Result;
use crate::params;
use crate::store::{Sql, Value};

/// Every house of the street directory: (Straßenschlüssel, number, Zusatz).
pub fn haeuser(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<(String, i64, String)>> {
    sql.query(
        "SELECT schluessel, hausnummer, zusatz FROM street_house WHERE mandant = ? ORDER BY schluessel, hausnummer, zusatz",
        &params![mandant],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.i64(1)?, r.str(2)?)))
    .collect()
}

/// Multi-row INSERT buffer: flushes every `per_stmt` rows.
pub struct Bulk {
    head: String,
    cols: usize,
    per_stmt: usize,
    vals: Vec<Value>,
}

impl Bulk {
    fn new(table_and_cols: &str, cols: usize, per_stmt: usize) -> Self {
        Bulk {
            head: format!("INSERT INTO {table_and_cols} VALUES "),
            cols,
            per_stmt,
            vals: Vec::new(),
        }
    }

    pub fn push(&mut self, sql: &mut dyn Sql, row: Vec<Value>) -> Result<()> {
        debug_assert_eq!(row.len(), self.cols);
        self.vals.extend(row);
        if self.vals.len() >= self.cols * self.per_stmt {
            self.flush(sql)?;
        }
        Ok(())
    }

    fn flush(&mut self, sql: &mut dyn Sql) -> Result<()> {
        if self.vals.is_empty() {
            return Ok(());
        }
        let rows = self.vals.len() / self.cols;
        let one = format!("({})", vec!["?"; self.cols].join(", "));
        let text = format!("{}{}", self.head, vec![one.as_str(); rows].join(", "));
        sql.execute(&text, &self.vals)?;
        self.vals.clear();
        Ok(())
    }
}

/// One buffer per register table the generator fills.
pub struct Buffers {
    pub person: Bulk,
    pub name: Bulk,
    pub key: Bulk,
    pub staat: Bulk,
    pub wohnung: Bulk,
    pub bindung: Bulk,
    pub historie: Bulk,
}

impl Default for Buffers {
    /// Empty buffers, each flushing after as many rows as fit one statement well.
    fn default() -> Self {
        Buffers {
            person: Bulk::new(
                "ewo_person (mandant, id, familienname, vornamen, rufname, doktorgrad, geburtsdatum, geburtsort, geschlecht, religion, \
                 familienstand, familienstand_datum, status, status_datum, zuzug_von, wegzug_nach, sterbedatum, search_key, vorname_key, sort_key)",
                20,
                400,
            ),
            name: Bulk::new(
                "ewo_name (mandant, person_id, lfd, art, name, bis)",
                6,
                1000,
            ),
            key: Bulk::new(
                "ewo_name_key (mandant, art, schluessel, person_id, sort_key)",
                5,
                1500,
            ),
            staat: Bulk::new("ewo_staat (mandant, person_id, staat, quelle)", 4, 1500),
            wohnung: Bulk::new(
                "ewo_wohnung (mandant, id, person_id, art, strasse, hausnummer, zusatz, einzug, auszug, anmeldedatum, quelle, haushalt)",
                12,
                500,
            ),
            bindung: Bulk::new(
                "ewo_bindung (mandant, id, art, person_a, person_b, ab)",
                6,
                1000,
            ),
            historie: Bulk::new(
                "ewo_historie (mandant, id, person_id, feld, alt, neu, gueltig_ab, erfasst_am, quelle, benutzer)",
                10,
                600,
            ),
        }
    }
}

impl Buffers {
    /// Write what is still buffered.
    pub fn flush(&mut self, sql: &mut dyn Sql) -> Result<()> {
        for b in [
            &mut self.person,
            &mut self.name,
            &mut self.key,
            &mut self.staat,
            &mut self.wohnung,
            &mut self.bindung,
            &mut self.historie,
        ] {
            b.flush(sql)?;
        }
        Ok(())
    }
}
