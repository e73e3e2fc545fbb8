//! The PAP's OUTPUT parameters (STANDARD and DBA), all in cents.

use rust_decimal::Decimal;

/// All OUTPUT parameters of the supported PAPs. `vkvlzz` and `vkvsonst`
/// exist only in the PAP 2025 (`None` for 2026).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LstAusgabe {
    /// BK: Bemessungsgrundlage für die Kirchenlohnsteuer.
    pub bk: Decimal,
    /// BKS: Bemessungsgrundlage der sonstigen Bezüge für die Kirchenlohnsteuer.
    pub bks: Decimal,
    /// LSTLZZ: für den Lohnzahlungszeitraum einzubehaltende Lohnsteuer.
    pub lstlzz: Decimal,
    /// SOLZLZZ: für den Lohnzahlungszeitraum einzubehaltender Solidaritätszuschlag.
    pub solzlzz: Decimal,
    /// SOLZS: Solidaritätszuschlag für sonstige Bezüge.
    pub solzs: Decimal,
    /// STS: Lohnsteuer für sonstige Bezüge.
    pub sts: Decimal,
    /// VKVLZZ (2025): berücksichtigte Beiträge zur privaten Basis-Kranken-
    /// und Pflege-Pflichtversicherung beim laufenden Arbeitslohn.
    pub vkvlzz: Option<Decimal>,
    /// VKVSONST (2025): dasselbe bei sonstigen Bezügen (kann negativ sein).
    pub vkvsonst: Option<Decimal>,
    /// VFRB (DBA): verbrauchter Freibetrag beim laufenden Arbeitslohn.
    pub vfrb: Decimal,
    /// VFRBS1 (DBA): verbrauchter Freibetrag beim voraussichtlichen Jahresarbeitslohn.
    pub vfrbs1: Decimal,
    /// VFRBS2 (DBA): verbrauchter Freibetrag bei den sonstigen Bezügen.
    pub vfrbs2: Decimal,
    /// WVFRB (DBA): verfügbares ZVE über dem Grundfreibetrag, laufender Arbeitslohn.
    pub wvfrb: Decimal,
    /// WVFRBO (DBA): dasselbe beim voraussichtlichen Jahresarbeitslohn.
    pub wvfrbo: Decimal,
    /// WVFRBM (DBA): dasselbe bei den sonstigen Bezügen.
    pub wvfrbm: Decimal,
}

/// One OUTPUT parameter of the PAP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ergebnis {
    Bk,
    Bks,
    Lstlzz,
    Solzlzz,
    Solzs,
    Sts,
    Vkvlzz,
    Vkvsonst,
    Vfrb,
    Vfrbs1,
    Vfrbs2,
    Wvfrb,
    Wvfrbo,
    Wvfrbm,
}

impl Ergebnis {
    /// The parameter's name exactly as in the PAP XML.
    pub fn pap_name(self) -> &'static str {
        match self {
            Ergebnis::Bk => "BK",
            Ergebnis::Bks => "BKS",
            Ergebnis::Lstlzz => "LSTLZZ",
            Ergebnis::Solzlzz => "SOLZLZZ",
            Ergebnis::Solzs => "SOLZS",
            Ergebnis::Sts => "STS",
            Ergebnis::Vkvlzz => "VKVLZZ",
            Ergebnis::Vkvsonst => "VKVSONST",
            Ergebnis::Vfrb => "VFRB",
            Ergebnis::Vfrbs1 => "VFRBS1",
            Ergebnis::Vfrbs2 => "VFRBS2",
            Ergebnis::Wvfrb => "WVFRB",
            Ergebnis::Wvfrbo => "WVFRBO",
            Ergebnis::Wvfrbm => "WVFRBM",
        }
    }
}

impl LstAusgabe {
    /// The value of one output parameter; `None` for a parameter that the
    /// year's PAP does not have.
    pub fn wert(&self, e: Ergebnis) -> Option<Decimal> {
        match e {
            Ergebnis::Bk => Some(self.bk),
            Ergebnis::Bks => Some(self.bks),
            Ergebnis::Lstlzz => Some(self.lstlzz),
            Ergebnis::Solzlzz => Some(self.solzlzz),
            Ergebnis::Solzs => Some(self.solzs),
            Ergebnis::Sts => Some(self.sts),
            Ergebnis::Vkvlzz => self.vkvlzz,
            Ergebnis::Vkvsonst => self.vkvsonst,
            Ergebnis::Vfrb => Some(self.vfrb),
            Ergebnis::Vfrbs1 => Some(self.vfrbs1),
            Ergebnis::Vfrbs2 => Some(self.vfrbs2),
            Ergebnis::Wvfrb => Some(self.wvfrb),
            Ergebnis::Wvfrbo => Some(self.wvfrbo),
            Ergebnis::Wvfrbm => Some(self.wvfrbm),
        }
    }
}
