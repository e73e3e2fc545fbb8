//! The data of the Melderegister (§3 BMG) as Rust types, with the code
//! values stored in the database and their German texts.

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::error::{KisError, Result};

mod akten;
mod suche;

pub use akten::*;
pub use suche::*;

/// Geschlecht (§3(1) Nr. 7 BMG, incl. divers and "ohne Angabe").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Geschlecht {
    Maennlich,
    Weiblich,
    Divers,
    OhneAngabe,
}

impl Geschlecht {
    pub fn code(self) -> &'static str {
        match self {
            Geschlecht::Maennlich => "m",
            Geschlecht::Weiblich => "w",
            Geschlecht::Divers => "d",
            Geschlecht::OhneAngabe => "x",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Geschlecht::Maennlich => "männlich",
            Geschlecht::Weiblich => "weiblich",
            Geschlecht::Divers => "divers",
            Geschlecht::OhneAngabe => "ohne Angabe",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_lowercase().as_str() {
            "m" | "männlich" => Ok(Geschlecht::Maennlich),
            "w" | "weiblich" => Ok(Geschlecht::Weiblich),
            "d" | "divers" => Ok(Geschlecht::Divers),
            "x" | "o" | "ohne angabe" => Ok(Geschlecht::OhneAngabe),
            _ => Err(KisError::field(
                "geschlecht",
                "Geschlecht: m, w, d oder x (ohne Angabe).",
            )),
        }
    }
}

/// Familienstand (§3(1) Nr. 14 BMG).
pub const FAMILIENSTAENDE: &[(&str, &str)] = &[
    ("LD", "ledig"),
    ("VH", "verheiratet"),
    ("VW", "verwitwet"),
    ("GS", "geschieden"),
    ("EA", "Ehe aufgehoben"),
    ("LP", "in eingetragener Lebenspartnerschaft"),
    ("LA", "Lebenspartnerschaft aufgehoben"),
    ("LV", "Lebenspartnerschaft durch Tod aufgelöst"),
    ("NB", "unbekannt"),
];

/// Rechtliche Zugehörigkeit zu einer öffentlich-rechtlichen Religionsgesellschaft.
pub const RELIGIONEN: &[(&str, &str)] = &[
    ("ev", "evangelisch"),
    ("rk", "römisch-katholisch"),
    ("ak", "alt-katholisch"),
    ("lt", "evangelisch-lutherisch"),
    ("rf", "evangelisch-reformiert"),
    ("fr", "freireligiös"),
    ("jd", "jüdisch"),
    ("--", "keine öffentlich-rechtliche Religionsgesellschaft"),
];

pub fn label_of(list: &[(&str, &'static str)], code: &str) -> &'static str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

pub fn check_code(list: &[(&str, &str)], code: &str, field: &str, what: &str) -> Result<()> {
    if list.iter().any(|(c, _)| *c == code) {
        Ok(())
    } else {
        let allowed: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
        Err(KisError::field(
            field,
            format!(
                "{what} „{code}“ unbekannt – erlaubt: {}.",
                allowed.join(", ")
            ),
        ))
    }
}

/// Status of a person in the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Status {
    Aktiv,
    Weggezogen,
    Verstorben,
    /// Von Amts wegen abgemeldet: nach unbekannt verzogen.
    Unbekannt,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Aktiv => "aktiv",
            Status::Weggezogen => "weggezogen",
            Status::Verstorben => "verstorben",
            Status::Unbekannt => "unbekannt",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Aktiv => "aktiv",
            Status::Weggezogen => "weggezogen",
            Status::Verstorben => "verstorben",
            Status::Unbekannt => "nach unbekannt verzogen",
        }
    }

    pub fn from_code(s: &str) -> Result<Self> {
        match s {
            "aktiv" => Ok(Status::Aktiv),
            "weggezogen" => Ok(Status::Weggezogen),
            "verstorben" => Ok(Status::Verstorben),
            "unbekannt" => Ok(Status::Unbekannt),
            other => Err(KisError::Db(format!("Unbekannter Personenstatus {other}"))),
        }
    }
}

/// Kinds of blocks (Sperren) and objections (Widersprüche).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SperrArt {
    /// §51 Auskunftssperre.
    Auskunft51,
    /// §52 bedingter Sperrvermerk.
    Bedingt52,
    /// §36(2) Widerspruch gegen Übermittlung an das Bundesamt für das Personalmanagement der Bundeswehr.
    Widerspruch36,
    /// §42(3) Widerspruch gegen Übermittlung der Daten von Familienangehörigen an Religionsgesellschaften.
    Widerspruch42,
    /// §50(5) Widerspruch gegen Auskünfte an Parteien vor Wahlen (§50(1)).
    Widerspruch50Wahl,
    /// §50(5) Widerspruch gegen Auskünfte über Alters- und Ehejubiläen (§50(2)).
    Widerspruch50Jubilaeum,
    /// §50(5) Widerspruch gegen Auskünfte an Adressbuchverlage (§50(3)).
    Widerspruch50Adressbuch,
}

impl SperrArt {
    pub const ALL: &'static [SperrArt] = &[
        SperrArt::Auskunft51,
        SperrArt::Bedingt52,
        SperrArt::Widerspruch36,
        SperrArt::Widerspruch42,
        SperrArt::Widerspruch50Wahl,
        SperrArt::Widerspruch50Jubilaeum,
        SperrArt::Widerspruch50Adressbuch,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SperrArt::Auskunft51 => "AS51",
            SperrArt::Bedingt52 => "SV52",
            SperrArt::Widerspruch36 => "W36",
            SperrArt::Widerspruch42 => "W42",
            SperrArt::Widerspruch50Wahl => "W50-1",
            SperrArt::Widerspruch50Jubilaeum => "W50-2",
            SperrArt::Widerspruch50Adressbuch => "W50-3",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SperrArt::Auskunft51 => "Auskunftssperre § 51 BMG",
            SperrArt::Bedingt52 => "Bedingter Sperrvermerk § 52 BMG",
            SperrArt::Widerspruch36 => "Widerspruch § 36 Abs. 2 BMG (Bundeswehr)",
            SperrArt::Widerspruch42 => "Widerspruch § 42 Abs. 3 BMG (Religionsgesellschaft)",
            SperrArt::Widerspruch50Wahl => "Widerspruch § 50 Abs. 1 BMG (Parteien/Wahlen)",
            SperrArt::Widerspruch50Jubilaeum => "Widerspruch § 50 Abs. 2 BMG (Jubiläen)",
            SperrArt::Widerspruch50Adressbuch => "Widerspruch § 50 Abs. 3 BMG (Adressbuch)",
        }
    }

    /// §51 Auskunftssperre and §52 bedingter Sperrvermerk block every
    /// Melderegisterauskunft (and mark the person in search lists); the
    /// Widersprüche only block their own kind of transfer.
    pub fn sperrt_auskunft(self) -> bool {
        matches!(self, SperrArt::Auskunft51 | SperrArt::Bedingt52)
    }

    pub fn from_code(s: &str) -> Result<Self> {
        SperrArt::ALL
            .iter()
            .copied()
            .find(|a| a.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let all: Vec<&str> = SperrArt::ALL.iter().map(|a| a.code()).collect();
                KisError::field(
                    "art",
                    format!("Sperrart „{s}“ unbekannt – erlaubt: {}.", all.join(", ")),
                )
            })
    }
}

/// A block or objection with reason and validity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sperre {
    pub id: i64,
    pub art: SperrArt,
    pub grund: String,
    pub behoerde: String,
    pub ab: NaiveDate,
    pub bis: Option<NaiveDate>,
}

impl Sperre {
    pub fn gilt_am(&self, tag: NaiveDate) -> bool {
        self.ab <= tag && self.bis.is_none_or(|b| tag <= b)
    }
}

/// Where a person came from (Zuzug) or goes to (Wegzug).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Herkunft {
    /// Previous address in Germany and its Meldebehörde (municipality).
    Inland { anschrift: String, gemeinde: String },
    /// From abroad: the state.
    Ausland { staat: String },
}

/// An address in this municipality (street directory).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Adresse {
    pub strasse: String,
    pub hausnummer: u32,
    pub zusatz: String,
    /// Wohnung: floor/position, free text.
    pub lage: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum WohnungsArt {
    Haupt,
    Neben,
}

impl WohnungsArt {
    pub fn code(self) -> &'static str {
        match self {
            WohnungsArt::Haupt => "H",
            WohnungsArt::Neben => "N",
        }
    }

    pub fn from_code(s: &str) -> Result<Self> {
        match s.trim().to_uppercase().as_str() {
            "H" => Ok(WohnungsArt::Haupt),
            "N" => Ok(WohnungsArt::Neben),
            _ => Err(KisError::field(
                "art",
                "Wohnungsart: H (Hauptwohnung) oder N (Nebenwohnung).",
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WohnungsArt::Haupt => "Hauptwohnung",
            WohnungsArt::Neben => "Nebenwohnung",
        }
    }
}

/// One dwelling of a person, current or past.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Wohnung {
    pub id: i64,
    pub person_id: i64,
    pub art: WohnungsArt,
    /// Address here (street directory), if the dwelling is in this municipality.
    pub adresse: Option<Adresse>,
    /// Formatted address ("Hauptstraße 12a, 59999 Musterstadt").
    pub anschrift: String,
    pub einzug: NaiveDate,
    pub auszug: Option<NaiveDate>,
    pub anmeldedatum: NaiveDate,
    pub quelle: String,
    pub verspaetet: bool,
    pub wgb_fehlt: bool,
}

impl Wohnung {
    pub fn bewohnt_am(&self, tag: NaiveDate) -> bool {
        self.einzug <= tag && self.auszug.is_none_or(|a| a > tag)
    }

    /// Announced for an Einzug after `tag` (a Vorausmeldung).
    pub fn kuenftig_am(&self, tag: NaiveDate) -> bool {
        self.einzug > tag
    }
}

/// Kinds of family links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BindungsArt {
    Ehe,
    Lebenspartnerschaft,
    /// person_a is a parent of person_b.
    Eltern,
    Vormund,
    Betreuer,
}

impl BindungsArt {
    pub fn code(self) -> &'static str {
        match self {
            BindungsArt::Ehe => "EHE",
            BindungsArt::Lebenspartnerschaft => "LP",
            BindungsArt::Eltern => "ELTERN",
            BindungsArt::Vormund => "VORMUND",
            BindungsArt::Betreuer => "BETREUER",
        }
    }

    pub fn from_code(s: &str) -> Result<Self> {
        match s {
            "EHE" => Ok(BindungsArt::Ehe),
            "LP" => Ok(BindungsArt::Lebenspartnerschaft),
            "ELTERN" => Ok(BindungsArt::Eltern),
            "VORMUND" => Ok(BindungsArt::Vormund),
            "BETREUER" => Ok(BindungsArt::Betreuer),
            other => Err(KisError::Db(format!("Unbekannte Bindungsart {other}"))),
        }
    }

    /// What the other person of the link is to a person who is its
    /// `person_a` (for `Eltern` the parent) or, if not, its `person_b`.
    pub fn rolle_des_anderen(self, ist_a: bool) -> &'static str {
        match (self, ist_a) {
            (BindungsArt::Ehe, _) => "Ehegatte",
            (BindungsArt::Lebenspartnerschaft, _) => "Lebenspartner",
            (BindungsArt::Eltern, true) => "Kind",
            (BindungsArt::Eltern, false) => "Elternteil",
            (BindungsArt::Vormund, true) => "Mündel",
            (BindungsArt::Vormund, false) => "Vormund",
            (BindungsArt::Betreuer, true) => "Betreute Person",
            (BindungsArt::Betreuer, false) => "Betreuer",
        }
    }
}

/// A family link seen from one person: what the other one is to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Angehoeriger {
    pub bindung_id: i64,
    pub art: BindungsArt,
    /// "Ehegatte", "Kind", "Elternteil", "Vormund", "Mündel", ...
    pub rolle: &'static str,
    pub person_id: i64,
    pub name: String,
    pub ab: Option<NaiveDate>,
    pub bis: Option<NaiveDate>,
}

/// A former name (Geburtsname, früherer Ehename, other).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FruehererName {
    pub art: char,
    pub name: String,
    pub bis: Option<NaiveDate>,
}

impl FruehererName {
    pub fn art_label(&self) -> &'static str {
        match self.art {
            'G' => "Geburtsname",
            'E' => "früherer Ehename",
            _ => "früherer Name",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Staatsangehoerigkeit {
    pub staat: String,
    pub quelle: String,
}

/// The personal data a clerk enters or a process changes (§3(1) BMG).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonDaten {
    pub familienname: String,
    pub vornamen: String,
    /// Gebräuchlicher Vorname (one of `vornamen`), empty if not marked.
    pub rufname: String,
    pub doktorgrad: String,
    /// Ordens- oder Künstlername.
    pub ordensname: String,
    pub geburtsdatum: NaiveDate,
    pub geburtsort: String,
    /// State of birth if abroad, else empty.
    pub geburtsstaat: String,
    pub geschlecht: Geschlecht,
    pub religion: String,
    pub familienstand: String,
    pub familienstand_datum: Option<NaiveDate>,
    pub familienstand_ort: String,
    pub familienstand_staat: String,
    pub idnr: Option<String>,
    pub fruehere_namen: Vec<FruehererName>,
    pub staaten: Vec<Staatsangehoerigkeit>,
}

impl PersonDaten {
    /// A minimal record: names, birth date and sex; German, ledig, no religion.
    pub fn new(
        familienname: &str,
        vornamen: &str,
        geburtsdatum: NaiveDate,
        geschlecht: Geschlecht,
    ) -> Self {
        PersonDaten {
            familienname: familienname.into(),
            vornamen: vornamen.into(),
            rufname: String::new(),
            doktorgrad: String::new(),
            ordensname: String::new(),
            geburtsdatum,
            geburtsort: String::new(),
            geburtsstaat: String::new(),
            geschlecht,
            religion: "--".into(),
            familienstand: "LD".into(),
            familienstand_datum: None,
            familienstand_ort: String::new(),
            familienstand_staat: String::new(),
            idnr: None,
            fruehere_namen: Vec::new(),
            staaten: vec![Staatsangehoerigkeit {
                staat: "DEU".into(),
                quelle: String::new(),
            }],
        }
    }

    pub fn geburtsname(&self) -> Option<&str> {
        self.fruehere_namen
            .iter()
            .find(|n| n.art == 'G')
            .map(|n| n.name.as_str())
    }

    /// "Dr. Anna Maria Schmidt".
    pub fn voller_name(&self) -> String {
        let mut s = String::new();
        if !self.doktorgrad.is_empty() {
            s.push_str(&self.doktorgrad);
            s.push(' ');
        }
        s.push_str(&self.vornamen);
        s.push(' ');
        s.push_str(&self.familienname);
        s
    }

    /// Vornamen with the gebräuchliche Vorname marked: "Anna *Maria*".
    pub fn vornamen_markiert(&self) -> String {
        if self.rufname.is_empty() {
            return self.vornamen.clone();
        }
        let mut marked = false;
        self.vornamen
            .split_whitespace()
            .map(|v| {
                if !marked && v == self.rufname {
                    marked = true;
                    format!("*{v}*")
                } else {
                    v.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A person in the register: data, status and version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: i64,
    pub daten: PersonDaten,
    pub status: Status,
    pub status_datum: Option<NaiveDate>,
    pub zuzug_von: String,
    pub zuzug_staat: String,
    pub wegzug_nach: String,
    pub wegzug_staat: String,
    pub sterbedatum: Option<NaiveDate>,
    pub sterbeort: String,
    pub archiviert: bool,
    pub version: i64,
}

impl Person {
    /// Ordnungsmerkmal: the register's own person number.
    pub fn ordnungsmerkmal(&self) -> String {
        format_om(self.id)
    }

    /// A process may change this person's register entry (move, marriage,
    /// name change …): not deceased and not archived under §14(2) BMG.
    pub fn ensure_bewegbar(&self) -> Result<()> {
        if self.status == Status::Verstorben {
            return Err(KisError::Conflict(format!(
                "{} ist verstorben – der Vorgang ist nicht mehr möglich (keine An-, Um- oder Abmeldung, keine Änderung des Personenstands).",
                self.daten.voller_name()
            )));
        }
        if self.archiviert {
            return Err(KisError::Conflict(format!(
                "Person {} ist archiviert (§ 14 Abs. 2 BMG).",
                self.ordnungsmerkmal()
            )));
        }
        Ok(())
    }
}

pub fn format_om(id: i64) -> String {
    format!("{id:09}")
}

/// Parse an Ordnungsmerkmal as typed (leading zeros optional).
pub fn parse_om(s: &str) -> Result<i64> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            KisError::field(
                "om",
                format!("Ordnungsmerkmal „{}“ ist keine gültige Nummer.", s.trim()),
            )
        })
}

/// A person's current Sperren on `tag`, as short markers for lists ("AS51 W36").
pub fn sperr_marker(sperren: &[Sperre], tag: NaiveDate) -> String {
    sperren
        .iter()
        .filter(|s| s.gilt_am(tag))
        .map(|s| s.art.code())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rufname_is_marked_once() {
        let mut d = PersonDaten::new(
            "Schmidt",
            "Anna Maria",
            NaiveDate::from_ymd_opt(1980, 1, 2).unwrap(),
            Geschlecht::Weiblich,
        );
        d.rufname = "Maria".into();
        d.doktorgrad = "Dr.".into();
        assert_eq!(d.vornamen_markiert(), "Anna *Maria*");
        assert_eq!(d.voller_name(), "Dr. Anna Maria Schmidt");
        assert_eq!(format_om(7), "000000007");
        assert_eq!(parse_om("0007").unwrap(), 7);
        assert!(parse_om("x").is_err());
    }

    #[test]
    fn codes_parse() {
        assert_eq!(Geschlecht::parse("W").unwrap(), Geschlecht::Weiblich);
        assert!(Geschlecht::parse("q").is_err());
        assert_eq!(SperrArt::from_code("as51").unwrap(), SperrArt::Auskunft51);
        assert!(check_code(FAMILIENSTAENDE, "VH", "f", "Familienstand").is_ok());
        assert!(check_code(RELIGIONEN, "zz", "r", "Religion").is_err());
    }
}

/// Wohnungsgeberbestätigung (§19): who confirmed the move-in and when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Wohnungsgeber {
    pub name: String,
    pub anschrift: String,
    pub datum: NaiveDate,
}

/// "Hauptwohnung", "Nebenwohnung" or "alleinige Wohnung" (the only one).
impl Wohnung {
    pub fn bezeichnung(&self, alle_aktuellen: &[Wohnung]) -> &'static str {
        match self.art {
            WohnungsArt::Haupt if alle_aktuellen.len() == 1 => "alleinige Wohnung",
            art => art.label(),
        }
    }
}

/// An open clarification case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Klaerung {
    pub id: i64,
    pub art: String,
    pub daten: String,
    pub grund: String,
}
