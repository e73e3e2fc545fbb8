//! Statements from the journal's per-account totals: Summen- und
//! Saldenliste, Ergebnisrechnung and Finanzrechnung (plan vs. result per
//! line, also per Produkt), Bilanz (opening and closing), as text and CSV.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::plan::{self, Plan, csv_text};
use super::repo;
use super::stamm::{self, KontoTyp};
use super::ueberwachung;
use crate::core::error::Result;
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::core::sanitize::sanitize_line;
use crate::kernel::session::Session;
use crate::store::Sql;

/// One account in the Summen- und Saldenliste (cents).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Saldo {
    pub konto: String,
    pub bezeichnung: String,
    /// Eröffnungsbilanzwert (period 0), Soll − Haben.
    pub eb: i64,
    /// Verkehrszahlen of periods 1–16.
    pub soll: i64,
    pub haben: i64,
}

impl Saldo {
    /// EB + Soll − Haben (positive: Soll-Saldo).
    pub fn saldo(&self) -> i64 {
        self.eb + self.soll - self.haben
    }
}

/// The Summen- und Saldenliste of a year (optionally of a Produkt prefix).
pub fn saldenliste_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    produkt: Option<&str>,
) -> Result<Vec<Saldo>> {
    repo::rechnung::salden(sql, mandant, jahr, produkt)
}

pub fn saldenliste(session: &Session, jahr: i32, produkt: Option<&str>) -> Result<Vec<Saldo>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| saldenliste_in(sql, &session.mandant.id, jahr, produkt))
}

fn eur(c: i64) -> String {
    Money::from_cents(c).format_de()
}

/// Totals of a Saldenliste: EB, Soll, Haben, Saldo.
pub fn summen(liste: &[Saldo]) -> (i64, i64, i64, i64) {
    liste.iter().fold((0, 0, 0, 0), |a, s| {
        (a.0 + s.eb, a.1 + s.soll, a.2 + s.haben, a.3 + s.saldo())
    })
}

pub fn saldenliste_text(mandant: &str, jahr: i32, liste: &[Saldo]) -> String {
    let mut s = format!(
        "Summen- und Saldenliste {jahr} – {}\n\n",
        sanitize_line(mandant)
    );
    let _ = writeln!(
        s,
        "{:<5} {:<50} {:>18} {:>18} {:>18} {:>18}",
        "Konto", "Bezeichnung", "EB-Wert", "Soll", "Haben", "Saldo"
    );
    for z in liste {
        let name: String = z.bezeichnung.chars().take(50).collect();
        let _ = writeln!(
            s,
            "{:<5} {:<50} {:>18} {:>18} {:>18} {:>18}",
            z.konto,
            name,
            eur(z.eb),
            eur(z.soll),
            eur(z.haben),
            eur(z.saldo())
        );
    }
    let (eb, so, ha, sa) = summen(liste);
    let _ = writeln!(
        s,
        "{:<5} {:<50} {:>18} {:>18} {:>18} {:>18}",
        "",
        "Summe",
        eur(eb),
        eur(so),
        eur(ha),
        eur(sa)
    );
    s
}

/// CSV: konto;bezeichnung;eroeffnungsbilanzwert;soll;haben;saldo (German amounts, Saldo = EB + Soll − Haben).
pub fn saldenliste_csv(liste: &[Saldo]) -> String {
    let mut s = String::from("konto;bezeichnung;eroeffnungsbilanzwert;soll;haben;saldo\n");
    for z in liste {
        let _ = writeln!(
            s,
            "{};{};{};{};{};{}",
            z.konto,
            csv_text(&z.bezeichnung),
            eur(z.eb),
            eur(z.soll),
            eur(z.haben),
            eur(z.saldo())
        );
    }
    s
}

/// One line of the Ergebnis- or Finanzrechnung: fortgeschriebener Ansatz,
/// Ist and the difference (signed: Erträge/Einzahlungen positive).
pub type RechnungZeile = plan::PlanZeileN<3>;

/// Ergebnisrechnung or Finanzrechnung of a year, optionally of a Produkt prefix.
pub fn rechnung_in(
    sql: &mut dyn Sql,
    mandant: &str,
    jahr: i32,
    art: Plan,
    produkt: Option<&str>,
) -> Result<Vec<RechnungZeile>> {
    let konten: BTreeMap<String, stamm::Konto> = stamm::konten_in(sql, mandant)?
        .into_iter()
        .map(|k| (k.nr.clone(), k))
        .collect();
    let matches = |p: &str| produkt.is_none_or(|pre| p == pre || p.starts_with(&format!("{pre}.")));
    let ziel = |konto: &str| -> Option<(i64, i64)> {
        let k = konten.get(konto)?;
        let z = match (art, k.typ) {
            (Plan::Ergebnis, KontoTyp::Ergebnis) | (Plan::Finanz, KontoTyp::Finanz) => k,
            (Plan::Finanz, KontoTyp::Ergebnis) => konten.get(k.finanzkonto.as_deref()?)?,
            _ => return None,
        };
        Some((
            z.zeile.parse().ok()?,
            if z.klasse == 4 || z.klasse == 6 {
                1
            } else {
                -1
            },
        ))
    };
    let mut werte: BTreeMap<i64, [i64; 3]> = BTreeMap::new();
    // Fortgeschriebener Ansatz: plan in force + Übertragungen + Ermächtigungen.
    for p in ueberwachung::positionen_in(sql, mandant, jahr, None)? {
        if matches(&p.produkt)
            && let Some((z, sign)) = ziel(&p.konto)
        {
            werte.entry(z).or_default()[0] +=
                sign * (p.ansatz + p.nachtrag + p.uebertragung + p.genehmigt);
        }
    }
    for (konto, p, ist) in repo::plan::ist_je_position(sql, mandant, jahr)? {
        let eigen = matches!(
            (art, konten.get(&konto).map(|k| k.typ)),
            (Plan::Ergebnis, Some(KontoTyp::Ergebnis)) | (Plan::Finanz, Some(KontoTyp::Finanz))
        );
        if eigen
            && matches(&p)
            && let Some((z, _)) = ziel(&konto)
        {
            werte.entry(z).or_default()[1] += ist;
        }
    }
    for w in werte.values_mut() {
        w[2] = w[1] - w[0];
    }
    let mut zeilen = plan::zeilen_mit_summen(sql, mandant, art, &werte)?;
    for z in &mut zeilen {
        z.werte[2] = z.werte[1] - z.werte[0];
    }
    Ok(zeilen)
}

pub fn rechnung(
    session: &Session,
    jahr: i32,
    art: Plan,
    produkt: Option<&str>,
) -> Result<Vec<RechnungZeile>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| rechnung_in(sql, &session.mandant.id, jahr, art, produkt))
}

pub fn rechnung_text(titel: &str, zeilen: &[RechnungZeile]) -> String {
    let mut s = format!("{}\n\n", sanitize_line(titel));
    let _ = writeln!(
        s,
        "{:>3} {:<52} {:>18} {:>18} {:>18}",
        "Nr", "Bezeichnung", "fortg. Ansatz", "Ist", "Vergleich"
    );
    for z in zeilen {
        let name: String = if z.summe {
            format!("= {}", z.bezeichnung)
        } else {
            z.bezeichnung.clone()
        };
        let name: String = name.chars().take(52).collect();
        let _ = writeln!(
            s,
            "{:>3} {:<52} {:>18} {:>18} {:>18}",
            z.zeile,
            name,
            eur(z.werte[0]),
            eur(z.werte[1]),
            eur(z.werte[2])
        );
    }
    s
}

pub fn rechnung_csv(zeilen: &[RechnungZeile]) -> String {
    let mut s =
        String::from("zeile;bezeichnung;summenzeile;fortgeschriebener_ansatz;ist;vergleich\n");
    for z in zeilen {
        let _ = writeln!(
            s,
            "{};{};{};{};{};{}",
            z.zeile,
            csv_text(&z.bezeichnung),
            if z.summe { "ja" } else { "nein" },
            eur(z.werte[0]),
            eur(z.werte[1]),
            eur(z.werte[2])
        );
    }
    s
}

/// One Bilanz position: opening (Eröffnungsbilanz) and closing value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BilanzPosition {
    pub position: String,
    pub seite: char,
    pub bezeichnung: String,
    pub eroeffnung: i64,
    pub schluss: i64,
}

/// The Bilanz of a year: Aktiva as Soll − Haben, Passiva as Haben − Soll;
/// the Jahresergebnis of the not yet closed year goes to P.1.4.
pub fn bilanz_in(sql: &mut dyn Sql, mandant: &str, jahr: i32) -> Result<Vec<BilanzPosition>> {
    let mut pos = repo::rechnung::bilanzpositionen(sql, mandant)?;
    let mut ergebnis = 0i64;
    for (typ, zeile, eb, alle) in repo::rechnung::bestaende(sql, mandant, jahr)? {
        if typ == "E" {
            ergebnis -= alle;
            continue;
        }
        if let Some(p) = pos.iter_mut().find(|p| p.position == zeile) {
            let sign = if p.seite == 'A' { 1 } else { -1 };
            p.eroeffnung += sign * eb;
            p.schluss += sign * alle;
        }
    }
    if let Some(p) = pos.iter_mut().find(|p| p.position == "P.1.4") {
        p.schluss += ergebnis;
    }
    Ok(pos)
}

pub fn bilanz(session: &Session, jahr: i32) -> Result<Vec<BilanzPosition>> {
    session.require(&[Role::FinasLesen])?;
    session
        .db
        .read(|sql| bilanz_in(sql, &session.mandant.id, jahr))
}

/// Sum of one side: (Eröffnung, Schluss).
pub fn bilanzsumme(pos: &[BilanzPosition], seite: char) -> (i64, i64) {
    pos.iter()
        .filter(|p| p.seite == seite)
        .fold((0, 0), |a, p| (a.0 + p.eroeffnung, a.1 + p.schluss))
}

pub fn bilanz_text(jahr: i32, pos: &[BilanzPosition]) -> String {
    let mut s = format!(
        "Bilanz {jahr}\n\n{:<8} {:<52} {:>18} {:>18}\n",
        "Position",
        "Bezeichnung",
        format!("01.01.{jahr}"),
        format!("31.12.{jahr}")
    );
    for seite in ['A', 'P'] {
        let _ = writeln!(s, "{}", if seite == 'A' { "AKTIVA" } else { "PASSIVA" });
        for p in pos.iter().filter(|p| p.seite == seite) {
            let _ = writeln!(
                s,
                "{:<8} {:<52} {:>18} {:>18}",
                p.position,
                p.bezeichnung.chars().take(52).collect::<String>(),
                eur(p.eroeffnung),
                eur(p.schluss)
            );
        }
        let (e, z) = bilanzsumme(pos, seite);
        let _ = writeln!(
            s,
            "{:<8} {:<52} {:>18} {:>18}\n",
            "",
            "Summe",
            eur(e),
            eur(z)
        );
    }
    s
}

pub fn bilanz_csv(pos: &[BilanzPosition]) -> String {
    let mut s = String::from("position;seite;bezeichnung;eroeffnung;schluss\n");
    for p in pos {
        let _ = writeln!(
            s,
            "{};{};{};{};{}",
            p.position,
            p.seite,
            csv_text(&p.bezeichnung),
            eur(p.eroeffnung),
            eur(p.schluss)
        );
    }
    s
}
