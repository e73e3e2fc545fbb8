//! The value types of the Kasse: Geschäftspartner with bank accounts and
//! mandates, the Mandant's Kasse settings, Anordnungen with their due
//! dates and the open items of the Personenkonten. The repository
//! (`finas::repo::kasse`) reads and writes them, masks and CLI name them.

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::date::add_months;
use crate::core::error::{KisError, Result};
use crate::core::money::Money;

/// A natural person or a firm (also an authority or association).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PartnerArt {
    Person,
    Firma,
}

impl PartnerArt {
    pub fn code(self) -> &'static str {
        match self {
            PartnerArt::Person => "P",
            PartnerArt::Firma => "F",
        }
    }

    pub fn parse(s: &str) -> Result<PartnerArt> {
        match s.trim().to_uppercase().as_str() {
            "P" => Ok(PartnerArt::Person),
            "F" => Ok(PartnerArt::Firma),
            _ => Err(KisError::field(
                "art",
                "Art: P (natürliche Person) oder F (Firma, Behörde, Verein).",
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PartnerArt::Person => "natürliche Person",
            PartnerArt::Firma => "Firma",
        }
    }
}

/// A Geschäftspartner as entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PartnerInput {
    pub art: Option<PartnerArt>,
    pub name: String,
    pub vorname: String,
    pub strasse: String,
    pub plz: String,
    pub ort: String,
    /// Ordnungsmerkmal of the resident in EWOS: the name must match, the
    /// address then comes from the register.
    pub ewos_person: Option<i64>,
}

/// A Geschäftspartner (debtor and/or creditor) as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Partner {
    pub id: i64,
    pub art: PartnerArt,
    pub name: String,
    pub vorname: String,
    pub strasse: String,
    pub plz: String,
    pub ort: String,
    pub ewos_person: Option<i64>,
    pub version: i64,
    pub erfasst_von: String,
    pub erfasst_am: String,
}

impl Partner {
    /// "Name, Vorname" (firms: the name).
    pub fn anzeigename(&self) -> String {
        if self.vorname.is_empty() {
            self.name.clone()
        } else {
            format!("{}, {}", self.name, self.vorname)
        }
    }

    pub fn anschrift(&self) -> String {
        format!("{}, {} {}", self.strasse, self.plz, self.ort)
    }
}

/// One bank account of a Geschäftspartner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bankverbindung {
    pub lfd: i64,
    pub iban: String,
    pub bic: String,
    pub inhaber: String,
}

/// The unused period after which a SEPA mandate lapses (EPC SDD Core
/// Rulebook 4.7: 36 months after the last collection).
pub const MANDAT_VERFALL_MONATE: i32 = 36;

/// A SEPA direct debit mandate (CORE).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mandat {
    pub referenz: String,
    pub partner: i64,
    pub iban: String,
    pub unterschrieben: NaiveDate,
    /// Recurring (several collections) or one-off.
    pub wiederkehrend: bool,
    pub letzte_nutzung: Option<NaiveDate>,
    pub widerrufen: Option<NaiveDate>,
}

/// What a mandate allows on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MandatStand {
    /// Usable; `erste`: the next collection is the first (FRST), else RCUR
    /// (one-off mandates: OOFF).
    Gueltig {
        erste: bool,
    },
    Widerrufen(NaiveDate),
    /// Lapsed on this day (36 months unused) or used up (one-off, used once).
    Verfallen(NaiveDate),
}

impl Mandat {
    pub fn stand(&self, heute: NaiveDate) -> MandatStand {
        if let Some(w) = self.widerrufen.filter(|w| *w <= heute) {
            return MandatStand::Widerrufen(w);
        }
        if let (false, Some(l)) = (self.wiederkehrend, self.letzte_nutzung) {
            return MandatStand::Verfallen(l);
        }
        let seit = self.letzte_nutzung.unwrap_or(self.unterschrieben);
        let verfall = add_months(seit, MANDAT_VERFALL_MONATE);
        if verfall <= heute {
            return MandatStand::Verfallen(verfall);
        }
        MandatStand::Gueltig {
            erste: self.letzte_nutzung.is_none(),
        }
    }

    /// The state as a short German text, e.g. "gültig (FRST)".
    pub fn stand_text(&self, heute: NaiveDate) -> String {
        use crate::core::date::format_date_de;
        match self.stand(heute) {
            MandatStand::Gueltig { .. } if !self.wiederkehrend => "gültig (OOFF)".into(),
            MandatStand::Gueltig { erste: true } => "gültig (FRST)".into(),
            MandatStand::Gueltig { erste: false } => "gültig (RCUR)".into(),
            MandatStand::Widerrufen(d) => format!("widerrufen am {}", format_date_de(d)),
            MandatStand::Verfallen(d) => format!("verfallen am {}", format_date_de(d)),
        }
    }
}

/// The Mandant's Kasse settings: Gläubiger-Identifikationsnummer, the
/// Stadtkasse's bank account and the counter accounts of the Anordnungen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KasseEinstellung {
    pub glaeubiger_id: String,
    pub kontoinhaber: String,
    pub iban: String,
    pub bic: String,
    /// Forderung of an Annahmeanordnung unless it names another (class 1).
    pub forderungskonto: String,
    /// Verbindlichkeit of an Auszahlungsanordnung unless it names another (class 3).
    pub verbindlichkeitskonto: String,
    /// The Sachkonto (class 1) carrying the bank account in the journal, the
    /// Kassenbestand of the Tagesabschluss; empty: not linked.
    pub bankkonto: String,
    /// Verwahrgelder (class 3): the Klärungsliste's money, fremde
    /// Finanzmittel in the journal; empty: no camt.053 import.
    pub verwahrkonto: String,
    /// Aufwand (class 5) of the bank's fee for a returned direct debit.
    pub entgeltkonto: String,
    /// The order of the claim kinds a payment is applied in, e.g. `HKZS`
    /// (AO § 225(2)); see `kontoauszug::verrechnen`.
    pub tilgungsfolge: String,
}

/// Annahmeanordnung (receivable) or Auszahlungsanordnung (payable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AnordnungArt {
    Annahme,
    Auszahlung,
}

impl AnordnungArt {
    pub fn code(self) -> &'static str {
        match self {
            AnordnungArt::Annahme => "A",
            AnordnungArt::Auszahlung => "Z",
        }
    }

    pub fn parse(s: &str) -> Result<AnordnungArt> {
        match s.trim().to_uppercase().as_str() {
            "A" | "ANNAHME" => Ok(AnordnungArt::Annahme),
            "Z" | "AUSZAHLUNG" => Ok(AnordnungArt::Auszahlung),
            _ => Err(KisError::field(
                "art",
                "Art: A (Annahmeanordnung) oder Z (Auszahlungsanordnung).",
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AnordnungArt::Annahme => "Annahmeanordnung",
            AnordnungArt::Auszahlung => "Auszahlungsanordnung",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AnordnungStatus {
    Erfasst,
    Freigegeben,
    Storniert,
}

impl AnordnungStatus {
    pub fn code(self) -> &'static str {
        match self {
            AnordnungStatus::Erfasst => "ERFASST",
            AnordnungStatus::Freigegeben => "FREIGEGEBEN",
            AnordnungStatus::Storniert => "STORNIERT",
        }
    }

    pub fn parse(s: &str) -> Result<AnordnungStatus> {
        match s {
            "ERFASST" => Ok(AnordnungStatus::Erfasst),
            "FREIGEGEBEN" => Ok(AnordnungStatus::Freigegeben),
            "STORNIERT" => Ok(AnordnungStatus::Storniert),
            _ => Err(KisError::Db(format!("Unbekannter Anordnungsstatus {s}."))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AnordnungStatus::Erfasst => "erfasst (nicht freigegeben)",
            AnordnungStatus::Freigegeben => "freigegeben",
            AnordnungStatus::Storniert => "storniert",
        }
    }
}

/// One due date with its amount, as entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Faelligkeit {
    pub faellig: NaiveDate,
    pub betrag: Money,
}

/// An Anordnung as entered or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnordnungInput {
    pub art: AnordnungArt,
    pub partner: i64,
    pub produkt: String,
    pub konto: String,
    pub kostenstelle: Option<String>,
    /// Forderungs- or Verbindlichkeitskonto; `None`: the Mandant's setting.
    pub gegenkonto: Option<String>,
    pub text: String,
    pub faelligkeiten: Vec<Faelligkeit>,
    /// The Mittelreservierung an Auszahlungsanordnung uses up when it is
    /// released (the order it was reserved for).
    pub reservierung: Option<i64>,
}

/// One Sollstellung of an Anordnung: Soll, Ist (received or paid), Rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Posten {
    pub lfd: i64,
    pub faellig: NaiveDate,
    pub soll: Money,
    pub ist: Money,
}

impl Posten {
    pub fn rest(&self) -> Money {
        Money::from_cents(self.soll.cents() - self.ist.cents())
    }
}

/// An Anordnung as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Anordnung {
    pub nr: i64,
    pub art: AnordnungArt,
    pub partner: i64,
    pub kassenzeichen: String,
    pub produkt: String,
    pub konto: String,
    pub kostenstelle: Option<String>,
    pub gegenkonto: String,
    pub text: String,
    pub status: AnordnungStatus,
    pub version: i64,
    pub erfasst_von: String,
    pub erfasst_am: String,
    pub freigegeben_von: Option<String>,
    pub freigegeben_am: Option<String>,
    pub buchung: Option<i64>,
    pub storniert_von: Option<String>,
    pub storniert_am: Option<String>,
    pub storno_buchung: Option<i64>,
    /// The Buchung of another procedure that already posted this
    /// Auszahlungsanordnung (see [`super::vorgebucht`]): its release posts
    /// nothing again.
    pub vorgebucht: Option<i64>,
    /// The payee's account fixed at entry; `None`: the partner's first account.
    pub iban: Option<String>,
    /// ISO 20022 purpose code of the credit transfer, e.g. `SALA`.
    pub zweckcode: Option<String>,
    /// The Mittelreservierung the release uses up.
    pub reservierung: Option<i64>,
    pub posten: Vec<Posten>,
}

impl Anordnung {
    pub fn summe(&self) -> Money {
        Money::from_cents(self.posten.iter().map(|p| p.soll.cents()).sum())
    }
}

/// One Auszahlungsanordnung already posted by another procedure, to a
/// partner that procedure keeps under a stable key (see [`super::vorgebucht`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VorgebuchteAuszahlung {
    /// Stable key of the partner, e.g. `PERSOS:01001`; found or created.
    pub schluessel: String,
    pub name: String,
    pub vorname: String,
    pub strasse: String,
    pub plz: String,
    pub ort: String,
    /// The payee's account for this payment.
    pub iban: String,
    /// Buchungsstelle of the expense (Produkt, Aufwandskonto, Kostenstelle).
    pub produkt: String,
    pub konto: String,
    pub kostenstelle: Option<String>,
    pub text: String,
    pub faellig: NaiveDate,
    pub betrag: Money,
}

/// What a batch of [`VorgebuchteAuszahlung`]en shares: the Buchung that
/// posted them, its liability account and the SEPA purpose code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Vorbuchung {
    pub buchung: i64,
    /// The Verbindlichkeit (class 3) the Buchung posted and the payment clears.
    pub gegenkonto: String,
    pub zweckcode: Option<String>,
}

/// One open item of a Personenkonto.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OffenerPosten {
    pub kassenzeichen: String,
    pub anordnung: i64,
    pub art: AnordnungArt,
    pub partner: i64,
    pub partner_name: String,
    pub faellig: NaiveDate,
    pub soll: Money,
    pub ist: Money,
    /// The partner's first bank account, if any.
    pub iban: Option<String>,
}

impl OffenerPosten {
    pub fn rest(&self) -> Money {
        Money::from_cents(self.soll.cents() - self.ist.cents())
    }
}

/// The selection of open items: every given criterion must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpFilter {
    pub partner: Option<i64>,
    pub faellig_bis: Option<NaiveDate>,
    /// Beginning of the partner's name (any case, ü = ue).
    pub name: Option<String>,
    pub kassenzeichen: Option<String>,
    /// An IBAN of the partner.
    pub iban: Option<String>,
    /// The open amount.
    pub betrag: Option<Money>,
}
