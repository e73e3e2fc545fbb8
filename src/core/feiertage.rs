//! Public holidays per Bundesland and the working-day rule of AO § 108(3):
//! a period or due date that ends on a Saturday, Sunday or public holiday
//! ends on the next working day. The holidays come from the `holiday_de`
//! crate (every recurring holiday since 1995 per state, including one-off
//! ones such as Berlin's 8 May 2025), not from a list kept here.
//!
//! Holidays of only some communities of a state (Fronleichnam in parts of
//! Sachsen and Thüringen, the Augsburger Friedensfest) are not counted, as
//! the crate decides per state; Mariä Himmelfahrt counts for all of Bayern.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use holiday_de::{DateExt, GermanRegion};

use crate::core::error::{KisError, Result};

/// A German state by its official two-letter code (ISO 3166-2:DE without
/// the country), e.g. `NW`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bundesland(GermanRegion);

const LAENDER: [(&str, &str, GermanRegion); 16] = [
    ("BW", "Baden-Württemberg", GermanRegion::BadenWuerttemberg),
    ("BY", "Bayern", GermanRegion::Bayern),
    ("BE", "Berlin", GermanRegion::Berlin),
    ("BB", "Brandenburg", GermanRegion::Brandenburg),
    ("HB", "Bremen", GermanRegion::Bremen),
    ("HH", "Hamburg", GermanRegion::Hamburg),
    ("HE", "Hessen", GermanRegion::Hessen),
    (
        "MV",
        "Mecklenburg-Vorpommern",
        GermanRegion::MechlenburgVorpommern,
    ),
    ("NI", "Niedersachsen", GermanRegion::Niedersachsen),
    (
        "NW",
        "Nordrhein-Westfalen",
        GermanRegion::NordrheinWestfalen,
    ),
    ("RP", "Rheinland-Pfalz", GermanRegion::RheinlandPfalz),
    ("SL", "Saarland", GermanRegion::Saarland),
    ("SN", "Sachsen", GermanRegion::Sachsen),
    ("ST", "Sachsen-Anhalt", GermanRegion::SachsenAnhalt),
    ("SH", "Schleswig-Holstein", GermanRegion::SchleswigHolstein),
    ("TH", "Thüringen", GermanRegion::Thueringen),
];

impl Bundesland {
    /// The state of a code such as `NW` or `nw`.
    pub fn parse(code: &str) -> Result<Bundesland> {
        let c = code.trim().to_uppercase();
        LAENDER
            .iter()
            .find(|(k, _, _)| *k == c)
            .map(|(_, _, r)| Bundesland(*r))
            .ok_or_else(|| {
                KisError::field(
                    "land",
                    format!(
                        "Bundesland {} unbekannt; erwartet wird ein Kürzel wie NW, BY oder BE ({}).",
                        crate::core::sanitize::quote_input(code.trim()),
                        LAENDER.map(|(k, _, _)| k).join(", ")
                    ),
                )
            })
    }

    fn eintrag(self) -> &'static (&'static str, &'static str, GermanRegion) {
        LAENDER
            .iter()
            .find(|(_, _, r)| *r == self.0)
            .expect("every Bundesland comes from LAENDER")
    }

    pub fn code(self) -> &'static str {
        self.eintrag().0
    }

    pub fn name(self) -> &'static str {
        self.eintrag().1
    }

    /// The name of the public holiday on `d` in this state, if it is one.
    pub fn feiertag(self, d: NaiveDate) -> Option<&'static str> {
        d.public_holiday_in(self.0).map(|h| h.description())
    }

    /// Monday to Friday and not a public holiday of this state.
    pub fn ist_werktag(self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && self.feiertag(d).is_none()
    }

    /// AO § 108(3): `d` itself when it is a working day, else the next one.
    pub fn naechster_werktag(self, d: NaiveDate) -> NaiveDate {
        let mut t = d;
        while !self.ist_werktag(t) {
            match t.checked_add_days(Days::new(1)) {
                Some(n) => t = n,
                None => return t,
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, t: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, t).unwrap()
    }

    #[test]
    fn codes_round_trip_and_unknown_is_refused() {
        for (k, n, _) in LAENDER {
            let l = Bundesland::parse(&k.to_lowercase()).unwrap();
            assert_eq!((l.code(), l.name()), (k, n));
        }
        let e = Bundesland::parse("XY").unwrap_err().to_string();
        assert!(e.contains("Bundesland „XY“ unbekannt"), "{e}");
    }

    #[test]
    fn state_holidays_differ() {
        let nw = Bundesland::parse("NW").unwrap();
        let be = Bundesland::parse("BE").unwrap();
        // Fronleichnam 2026 (4 June) in NW, not in Berlin.
        assert_eq!(nw.feiertag(d(2026, 6, 4)), Some("Fronleichnam"));
        assert!(be.ist_werktag(d(2026, 6, 4)));
        // Internationaler Frauentag: Berlin since 2019 (8 March 2027 is a Monday).
        assert!(be.feiertag(d(2027, 3, 8)).is_some());
        assert!(nw.ist_werktag(d(2027, 3, 8)));
    }

    #[test]
    fn next_working_day_skips_weekend_and_holidays() {
        let nw = Bundesland::parse("NW").unwrap();
        // Karfreitag 03.04.2026 → Ostermontag 06.04. is a holiday too → Tue 07.04.
        assert_eq!(nw.naechster_werktag(d(2026, 4, 3)), d(2026, 4, 7));
        // Saturday 14.03.2026 → Monday 16.03.
        assert_eq!(nw.naechster_werktag(d(2026, 3, 14)), d(2026, 3, 16));
        // A working day stays.
        assert_eq!(nw.naechster_werktag(d(2026, 3, 17)), d(2026, 3, 17));
        // Christmas 2026: Fri 25., Sat 26., Sun 27. → Mon 28.12.
        assert_eq!(nw.naechster_werktag(d(2026, 12, 25)), d(2026, 12, 28));
    }
}
