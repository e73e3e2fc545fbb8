//! Typed field getters: a mask asks for `form.date("geburtsdatum")?` and gets
//! a value of the field's kind or an error that names the field (with its
//! German label), so that parsing, the message and the cursor placement
//! ([`Form::report`]) are written once for every mask.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::field::{FieldDef, FieldKind};
use super::form::Form;
use super::screen::Env;
use crate::core::date::parse_date_de;
use crate::core::error::{KisError, Result};
use crate::core::money::{Money, parse_decimal_de};

impl Form {
    fn field_def(&self, key: &str) -> Result<&FieldDef> {
        self.def
            .fields
            .iter()
            .find(|f| f.key == key)
            .ok_or_else(|| KisError::System(format!("Maske {}: kein Feld „{key}“.", self.def.code)))
    }

    /// The trimmed text with the field's definition; `None` when empty.
    fn filled(&self, key: &str) -> Result<(&FieldDef, Option<String>)> {
        Ok((self.field_def(key)?, self.opt(key)))
    }

    fn missing(f: &FieldDef) -> KisError {
        KisError::field(f.key, format!("Bitte „{}“ angeben.", f.label))
    }

    fn invalid(f: &FieldDef, reason: impl std::fmt::Display) -> KisError {
        KisError::field(f.key, format!("{}: {reason}", f.label))
    }

    /// A date field (`TT.MM.JJJJ` and its short forms); empty is `None`.
    pub fn date_opt(&self, key: &str) -> Result<Option<NaiveDate>> {
        let (f, text) = self.filled(key)?;
        text.map(|t| parse_date_de(&t).map_err(|e| Self::invalid(f, e)))
            .transpose()
    }

    /// A date field that must be filled.
    pub fn date(&self, key: &str) -> Result<NaiveDate> {
        let f = self.field_def(key)?;
        self.date_opt(key)?.ok_or_else(|| Self::missing(f))
    }

    /// An amount field (`1.234,56`); empty is `None`.
    pub fn money_opt(&self, key: &str) -> Result<Option<Money>> {
        let (f, text) = self.filled(key)?;
        text.map(|t| Money::parse_de(&t).map_err(|e| Self::invalid(f, e)))
            .transpose()
    }

    /// An amount field where empty means 0,00.
    pub fn money(&self, key: &str) -> Result<Money> {
        Ok(self.money_opt(key)?.unwrap_or_default())
    }

    /// A decimal number with a German comma (`0,75`); empty is `None`.
    pub fn decimal_opt(&self, key: &str) -> Result<Option<Decimal>> {
        let (f, text) = self.filled(key)?;
        text.map(|t| parse_decimal_de(&t).map_err(|e| Self::invalid(f, e)))
            .transpose()
    }

    /// A whole number that fits `T` (e.g. `u8` for a Steuerklasse); empty is `None`.
    pub fn number_opt<T: TryFrom<i64>>(&self, key: &str) -> Result<Option<T>> {
        let (f, text) = self.filled(key)?;
        let Some(t) = text else { return Ok(None) };
        let n: i64 = t
            .parse()
            .map_err(|_| Self::invalid(f, "bitte eine ganze Zahl angeben."))?;
        T::try_from(n)
            .map(Some)
            .map_err(|_| Self::invalid(f, "Zahl außerhalb des erlaubten Bereichs."))
    }

    /// A whole number that must be filled.
    pub fn number<T: TryFrom<i64>>(&self, key: &str) -> Result<T> {
        let f = self.field_def(key)?;
        self.number_opt(key)?.ok_or_else(|| Self::missing(f))
    }

    /// A key of a code list (upper case as typed); empty is `None`. The key
    /// was checked against its list when the field was left.
    pub fn code_opt(&self, key: &str) -> Result<Option<String>> {
        let (_, text) = self.filled(key)?;
        Ok(text.map(|t| crate::core::collation::upper_de(&t)))
    }

    /// A `J`/`N` flag; empty is `false`.
    pub fn flag(&self, key: &str) -> Result<bool> {
        let (f, text) = self.filled(key)?;
        match text.as_deref() {
            None | Some("N" | "n") => Ok(false),
            Some("J" | "j") => Ok(true),
            Some(other) => Err(Self::invalid(
                f,
                format!("„{other}“ – erlaubt ist J oder N."),
            )),
        }
    }

    /// The code list behind a code field (what F4 lists), `None` for any
    /// other field.
    pub fn code_list(&self, key: &str) -> Option<&'static str> {
        match self.field_def(key).ok()?.kind {
            FieldKind::Code(list) => Some(list),
            _ => None,
        }
    }

    /// Show a service's or getter's error: the message line says it, and a
    /// field it names (if this form has it) gets the cursor and the mark.
    pub fn report(&mut self, err: &KisError, env: &mut Env) {
        if let Some(k) = err.field_key()
            && self.def.fields.iter().any(|f| f.key == k)
        {
            self.fail(k);
        }
        env.fail(err);
    }
}

#[cfg(test)]
mod tests {
    use super::super::form::{MaskDef, Mode};
    use super::*;

    fn form() -> Form {
        let def = MaskDef {
            code: "TST000",
            title: "Test",
            help: "",
            auto_skip: false,
            fields: vec![
                FieldDef::new("datum", "Datum", 0, 1, 10, FieldKind::Date),
                FieldDef::new("betrag", "Betrag", 1, 1, 12, FieldKind::Money),
                FieldDef::new("stkl", "Steuerklasse", 2, 1, 3, FieldKind::Number),
                FieldDef::new("faktor", "Faktor", 3, 1, 6, FieldKind::Text),
                FieldDef::new("aktiv", "Aktiv", 4, 1, 1, FieldKind::Flag),
            ],
        };
        Form::new(def, Mode::Neu)
    }

    #[test]
    fn getters_parse_by_kind_and_name_the_field() {
        let mut f = form();
        assert_eq!(f.date_opt("datum").unwrap(), None);
        let e = f.date("datum").unwrap_err();
        assert_eq!(e.field_key(), Some("datum"));
        assert_eq!(e.to_string(), "Bitte „Datum“ angeben.");
        f.set("datum", "1.2.26");
        assert_eq!(
            f.date("datum").unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        );
        f.set("datum", "31.02.2026");
        let e = f.date("datum").unwrap_err();
        assert!(e.to_string().starts_with("Datum: "), "{e}");

        assert_eq!(f.money("betrag").unwrap(), Money::zero());
        f.set("betrag", "1.234,56");
        assert_eq!(f.money("betrag").unwrap(), Money::from_cents(123_456));
        f.set("betrag", "12,3x");
        assert_eq!(f.money("betrag").unwrap_err().field_key(), Some("betrag"));

        f.set("stkl", "3");
        assert_eq!(f.number::<u8>("stkl").unwrap(), 3);
        f.set("stkl", "300");
        let e = f.number::<u8>("stkl").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Steuerklasse: Zahl außerhalb des erlaubten Bereichs."
        );

        f.set("faktor", "0,75");
        assert_eq!(
            f.decimal_opt("faktor").unwrap(),
            Some("0.75".parse().unwrap())
        );
        f.set("aktiv", "J");
        assert!(f.flag("aktiv").unwrap());
        assert!(f.date("nirgends").is_err());
    }
}
