//! The value types of the Mahnwesen: the Mandant's dunning settings, the
//! Mahnsperren, and the Mahnlauf with one Mahnung per debtor and its items.
//! The repository (`finas::repo::mahnwesen`) reads and writes them.

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::error::{KisError, Result};
use crate::core::money::Money;

/// The Mandant's dunning settings (fin_mahn_einstellung).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mahneinstellung {
    /// Days after the due date before an item is dunned.
    pub karenz_tage: i64,
    /// A debtor whose dunnable total is below this is not dunned.
    pub bagatell: Money,
    /// The fixed Mahngebühr (used when `gebuehr_prozent_bp` is 0).
    pub gebuehr_fest: Money,
    /// The Mahngebühr as a percentage of the Mahnbetrag in basis points
    /// (100 = 1 %), bounded by `gebuehr_min` and `gebuehr_max`.
    pub gebuehr_prozent_bp: i64,
    pub gebuehr_min: Money,
    pub gebuehr_max: Money,
    /// Number of Mahnstufen; after the last an item is vollstreckungsreif.
    pub stufen: i64,
    /// Days between two Mahnstufen of an item.
    pub abstand_tage: i64,
    /// The payment deadline a Mahnung sets, in days after the run.
    pub zahlungsfrist_tage: i64,
    /// Ertragskonto of Mahngebühren and Säumniszuschläge (e.g. 4562).
    pub ertragskonto: String,
    /// A missed instalment ends the Stundung (Terminverlust).
    pub terminverlust: bool,
    /// Ertragskonto of Stundungszinsen (e.g. 4691, Finanzerträge).
    pub zinsertragskonto: String,
    /// Aufwandskonto of Erlass and unbefristete Niederschlagung (e.g. 5761
    /// Abschreibungen auf Forderungen).
    pub abschreibungskonto: String,
    /// Ertragskonto of a revived Niederschlagung (e.g. 4591).
    pub wertaufholungskonto: String,
}

impl Mahneinstellung {
    /// The Mahngebühr of a Mahnung over `mahnbetrag`.
    pub fn gebuehr(&self, mahnbetrag: Money) -> Money {
        if self.gebuehr_prozent_bp == 0 {
            return self.gebuehr_fest;
        }
        // Cents × basis points / 10,000, rounded half up to the cent.
        let c =
            (i128::from(mahnbetrag.cents()) * i128::from(self.gebuehr_prozent_bp) + 5_000) / 10_000;
        let c = i64::try_from(c).unwrap_or(i64::MAX);
        Money::from_cents(c.clamp(self.gebuehr_min.cents(), self.gebuehr_max.cents()))
    }
}

/// A Mahnsperre of a debtor (all items) or one Anordnung.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mahnsperre {
    pub id: i64,
    pub partner: i64,
    pub anordnung: Option<i64>,
    pub grund: String,
    /// In force up to and including this day.
    pub bis: NaiveDate,
    pub erfasst_von: String,
    pub erfasst_am: String,
    pub aufgehoben_von: Option<String>,
    pub aufgehoben_am: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum MahnlaufStatus {
    /// Computed; may still be cancelled.
    Entwurf,
    /// Sent: the fees and Säumniszuschläge are open items.
    Versandt,
    Storniert,
}

impl MahnlaufStatus {
    pub fn code(self) -> &'static str {
        match self {
            MahnlaufStatus::Entwurf => "ENTWURF",
            MahnlaufStatus::Versandt => "VERSANDT",
            MahnlaufStatus::Storniert => "STORNIERT",
        }
    }

    pub fn parse(s: &str) -> Result<MahnlaufStatus> {
        match s {
            "ENTWURF" => Ok(MahnlaufStatus::Entwurf),
            "VERSANDT" => Ok(MahnlaufStatus::Versandt),
            "STORNIERT" => Ok(MahnlaufStatus::Storniert),
            _ => Err(KisError::System(format!("Mahnlaufstatus {s} unbekannt"))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MahnlaufStatus::Entwurf => "Entwurf",
            MahnlaufStatus::Versandt => "versandt",
            MahnlaufStatus::Storniert => "storniert",
        }
    }
}

/// A Mahnlauf as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mahnlauf {
    pub nr: i64,
    pub datum: NaiveDate,
    pub status: MahnlaufStatus,
    pub erstellt_von: String,
    pub erstellt_am: String,
    pub versandt_von: Option<String>,
    pub versandt_am: Option<String>,
    pub storniert_von: Option<String>,
    pub storniert_am: Option<String>,
    /// The journal Buchung of the fees and Säumniszuschläge (sent runs).
    pub buchung: Option<i64>,
    pub mahnungen: i64,
}

/// An open due date as the Mahnlauf sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffenerMahnposten {
    pub partner: i64,
    pub anordnung: i64,
    pub lfd: i64,
    pub kassenzeichen: String,
    pub text: String,
    /// The claim kind (fin_faelligkeit.art): K, S, Z or H.
    pub art: String,
    pub faellig: NaiveDate,
    pub rest: Money,
    /// The Mahnstufe of its latest Mahnung (0: never dunned).
    pub letzte_stufe: i64,
    pub letzte_mahnung: Option<NaiveDate>,
    /// Säumniszuschläge already charged on it by sent runs.
    pub saeumnis_bisher: Money,
}

/// One dunned due date of a Mahnung.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mahnposten {
    pub anordnung: i64,
    pub lfd: i64,
    pub kassenzeichen: String,
    pub art: String,
    pub faellig: NaiveDate,
    pub stufe: i64,
    pub rest: Money,
    /// The Säumniszuschlag this Mahnung adds (on top of earlier ones).
    pub saeumnis: Money,
    pub monate: i64,
}

/// One Mahnung: a debtor in a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mahnung {
    pub partner: i64,
    /// The highest Mahnstufe of its items.
    pub stufe: i64,
    pub gebuehr: Money,
    /// Pay by this day.
    pub frist: NaiveDate,
    pub posten: Vec<Mahnposten>,
}

impl Mahnung {
    pub fn rueckstand(&self) -> Money {
        Money::from_cents(self.posten.iter().map(|p| p.rest.cents()).sum())
    }

    pub fn saeumnis(&self) -> Money {
        Money::from_cents(self.posten.iter().map(|p| p.saeumnis.cents()).sum())
    }

    /// Rückstand + new Säumniszuschläge + Mahngebühr.
    pub fn gesamt(&self) -> Money {
        Money::from_cents(
            self.rueckstand().cents() + self.saeumnis().cents() + self.gebuehr.cents(),
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum StundungStatus {
    /// In force: the instalments are the due dates.
    Aktiv,
    /// Every instalment paid.
    Erledigt,
    /// An instalment was missed: the rest fell due at once (Terminverlust).
    Verfallen,
    /// Revoked by the Kasse: the rest fell due on that day.
    Widerrufen,
}

impl StundungStatus {
    pub fn code(self) -> &'static str {
        match self {
            StundungStatus::Aktiv => "AKTIV",
            StundungStatus::Erledigt => "ERLEDIGT",
            StundungStatus::Verfallen => "VERFALLEN",
            StundungStatus::Widerrufen => "WIDERRUFEN",
        }
    }

    pub fn parse(s: &str) -> Result<StundungStatus> {
        match s {
            "AKTIV" => Ok(StundungStatus::Aktiv),
            "ERLEDIGT" => Ok(StundungStatus::Erledigt),
            "VERFALLEN" => Ok(StundungStatus::Verfallen),
            "WIDERRUFEN" => Ok(StundungStatus::Widerrufen),
            _ => Err(KisError::System(format!("Stundungsstatus {s} unbekannt"))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StundungStatus::Aktiv => "in Kraft",
            StundungStatus::Erledigt => "erledigt",
            StundungStatus::Verfallen => "verfallen (Terminverlust)",
            StundungStatus::Widerrufen => "widerrufen",
        }
    }
}

/// One instalment of a Stundung.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub nr: i64,
    /// The due date of the Anordnung that carries it.
    pub lfd: i64,
    pub faellig: NaiveDate,
    pub betrag: Money,
    pub bezahlt: Money,
    pub monate: i64,
    pub zinsen: Money,
}

/// A Stundung (AO § 222) as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stundung {
    pub id: i64,
    pub anordnung: i64,
    pub kassenzeichen: String,
    pub beginn: NaiveDate,
    pub grund: String,
    /// The Stundungszinsen charged (art Z), 0 when waived or below 10 €.
    pub zinsen: Money,
    pub zinsfrei_grund: Option<String>,
    pub status: StundungStatus,
    pub erfasst_von: String,
    pub erfasst_am: String,
    pub beendet_von: Option<String>,
    pub beendet_am: Option<String>,
    pub beendet_grund: Option<String>,
    pub raten: Vec<Rate>,
}

/// Befristete (until a day) or unbefristete Niederschlagung.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NiederschlagungArt {
    Befristet,
    Unbefristet,
}

impl NiederschlagungArt {
    pub fn code(self) -> &'static str {
        match self {
            NiederschlagungArt::Befristet => "B",
            NiederschlagungArt::Unbefristet => "U",
        }
    }

    pub fn parse(s: &str) -> Result<NiederschlagungArt> {
        match s {
            "B" => Ok(NiederschlagungArt::Befristet),
            "U" => Ok(NiederschlagungArt::Unbefristet),
            _ => Err(KisError::System(format!(
                "Niederschlagungsart {s} unbekannt"
            ))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NiederschlagungArt::Befristet => "befristet",
            NiederschlagungArt::Unbefristet => "unbefristet",
        }
    }
}

/// A Niederschlagung of an Anordnung's open claims: they stay and are not
/// collected until it ends or is revived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Niederschlagung {
    pub id: i64,
    pub anordnung: i64,
    pub art: NiederschlagungArt,
    pub bis: Option<NaiveDate>,
    /// The open rest on the day of the decision.
    pub betrag: Money,
    pub grund: String,
    /// The write-down (unbefristet).
    pub buchung: Option<i64>,
    pub erfasst_von: String,
    pub erfasst_am: String,
    pub wieder_von: Option<String>,
    pub wieder_am: Option<String>,
    pub wieder_grund: Option<String>,
    pub wieder_buchung: Option<i64>,
}

/// An Erlass (AO § 227) of an amount of one due date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Erlass {
    pub id: i64,
    pub anordnung: i64,
    pub lfd: i64,
    pub betrag: Money,
    pub grund: String,
    pub buchung: i64,
    pub erfasst_von: String,
    pub erfasst_am: String,
}

/// A Vollstreckungsübergabe as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Uebergabe {
    pub nr: i64,
    pub datum: NaiveDate,
    pub von: String,
    pub posten: i64,
    pub summe: Money,
}
