//! The texts of the register's documents: amtliche Meldebestätigung
//! (§24(2) BMG) and Meldebescheinigung (§18 BMG). Each contains exactly the
//! data the law allows; all register data pass `sanitize_line`.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::model::*;
use crate::core::date::format_date_de;
use crate::core::sanitize::sanitize_line;

fn line(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "{:<28}{}", format!("{label}:"), sanitize_line(value));
}

fn kopf(out: &mut String, behoerde: &str, titel: &str, datum: NaiveDate) {
    let _ = writeln!(out, "{}", sanitize_line(behoerde));
    let _ = writeln!(out, "Meldebehörde");
    let _ = writeln!(out);
    let _ = writeln!(out, "{titel}");
    let _ = writeln!(out, "{}", "=".repeat(titel.chars().count()));
    let _ = writeln!(out, "Ausgestellt am {}", format_date_de(datum));
    let _ = writeln!(out);
}

/// Which event a Meldebestätigung confirms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Meldeart {
    Anmeldung,
    Abmeldung,
}

/// Amtliche Meldebestätigung (§24(2) BMG): Familienname, Vornamen with the
/// gebräuchliche Vorname marked, Doktorgrad, Geburtsdatum, Ein- or
/// Auszugsdatum, date of the An-/Abmeldung, Anschrift, kind of dwelling —
/// and nothing else.
#[allow(clippy::too_many_arguments)]
pub fn meldebestaetigung(
    behoerde: &str,
    art: Meldeart,
    d: &PersonDaten,
    datum_bewegung: NaiveDate,
    meldedatum: NaiveDate,
    anschrift: &str,
    wohnungsart: &str,
) -> String {
    let mut out = String::new();
    let titel = match art {
        Meldeart::Anmeldung => "Amtliche Meldebestätigung für die Anmeldung (§ 24 Abs. 2 BMG)",
        Meldeart::Abmeldung => "Amtliche Meldebestätigung für die Abmeldung (§ 24 Abs. 2 BMG)",
    };
    kopf(&mut out, behoerde, titel, meldedatum);
    line(&mut out, "Familienname", &d.familienname);
    line(&mut out, "Vornamen", &d.vornamen_markiert());
    if !d.rufname.is_empty() {
        let _ = writeln!(out, "{:<28}(gebräuchlicher Vorname mit * markiert)", "");
    }
    line(&mut out, "Doktorgrad", &d.doktorgrad);
    line(&mut out, "Geburtsdatum", &format_date_de(d.geburtsdatum));
    match art {
        Meldeart::Anmeldung => {
            line(&mut out, "Einzugsdatum", &format_date_de(datum_bewegung));
            line(&mut out, "Datum der Anmeldung", &format_date_de(meldedatum));
        }
        Meldeart::Abmeldung => {
            line(&mut out, "Auszugsdatum", &format_date_de(datum_bewegung));
            line(&mut out, "Datum der Abmeldung", &format_date_de(meldedatum));
        }
    }
    line(&mut out, "Anschrift", anschrift);
    line(&mut out, "Art der Wohnung", wohnungsart);
    out
}

/// Optional data of an erweiterte Meldebescheinigung (§18(2) BMG), as requested.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zusatz {
    Geschlecht,
    Familienstand,
    Staatsangehoerigkeiten,
    Religion,
    Einzugsdatum,
    FruehereAnschriften,
    Ehegatte,
    GesetzlicherVertreter,
}

impl Zusatz {
    pub const ALL: &'static [Zusatz] = &[
        Zusatz::Geschlecht,
        Zusatz::Familienstand,
        Zusatz::Staatsangehoerigkeiten,
        Zusatz::Religion,
        Zusatz::Einzugsdatum,
        Zusatz::FruehereAnschriften,
        Zusatz::Ehegatte,
        Zusatz::GesetzlicherVertreter,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Zusatz::Geschlecht => "Geschlecht",
            Zusatz::Familienstand => "Familienstand",
            Zusatz::Staatsangehoerigkeiten => "Staatsangehörigkeiten",
            Zusatz::Religion => "Religionszugehörigkeit",
            Zusatz::Einzugsdatum => "Einzugsdatum",
            Zusatz::FruehereAnschriften => "Frühere Anschriften",
            Zusatz::Ehegatte => "Ehegatte/Lebenspartner",
            Zusatz::GesetzlicherVertreter => "Gesetzliche Vertreter",
        }
    }
}

/// The data a Meldebescheinigung is made from.
pub struct BescheinigungsDaten<'a> {
    pub person: &'a Person,
    /// The dwellings lived in on the day of issue.
    pub wohnungen: &'a [Wohnung],
    /// Dwellings announced for an Einzug after the day of issue: shown as
    /// such, never as the current address.
    pub kuenftige: &'a [Wohnung],
    /// Ended dwellings (for the erweiterte with frühere Anschriften).
    pub fruehere: &'a [Wohnung],
    pub angehoerige: &'a [Angehoeriger],
}

/// Meldebescheinigung (§18 BMG): einfache with `zusaetze` empty, erweiterte
/// with the requested further data. Never shows Sperren.
pub fn meldebescheinigung(
    behoerde: &str,
    heute: NaiveDate,
    b: &BescheinigungsDaten,
    zusaetze: &[Zusatz],
) -> String {
    let p = b.person;
    let d = &p.daten;
    let mut out = String::new();
    let titel = if zusaetze.is_empty() {
        "Einfache Meldebescheinigung (§ 18 Abs. 1 BMG)"
    } else {
        "Erweiterte Meldebescheinigung (§ 18 Abs. 2 BMG)"
    };
    kopf(&mut out, behoerde, titel, heute);
    line(&mut out, "Familienname", &d.familienname);
    let fruehere: Vec<String> = d
        .fruehere_namen
        .iter()
        .map(|n| format!("{} ({})", n.name, n.art_label()))
        .collect();
    line(&mut out, "Frühere Namen", &fruehere.join(", "));
    line(&mut out, "Vornamen", &d.vornamen_markiert());
    line(&mut out, "Doktorgrad", &d.doktorgrad);
    line(&mut out, "Ordens-/Künstlername", &d.ordensname);
    line(&mut out, "Geburtsdatum", &format_date_de(d.geburtsdatum));
    let ort = if d.geburtsstaat.is_empty() {
        d.geburtsort.clone()
    } else {
        format!("{} ({})", d.geburtsort, d.geburtsstaat)
    };
    line(&mut out, "Geburtsort", &ort);
    if b.wohnungen.is_empty() {
        line(
            &mut out,
            "Anschrift",
            "keine aktuelle Wohnung in dieser Gemeinde",
        );
    }
    for w in b.wohnungen {
        let art = w.bezeichnung(b.wohnungen);
        line(&mut out, art, &w.anschrift);
        if zusaetze.contains(&Zusatz::Einzugsdatum) {
            line(&mut out, "  Einzugsdatum", &format_date_de(w.einzug));
        }
    }
    for w in b.kuenftige {
        line(
            &mut out,
            &format!("Angemeldet zum {}", format_date_de(w.einzug)),
            &format!("{} ({})", w.anschrift, w.art.label()),
        );
    }
    for z in zusaetze {
        match z {
            Zusatz::Geschlecht => line(&mut out, "Geschlecht", d.geschlecht.label()),
            Zusatz::Familienstand => {
                let mut fs = label_of(FAMILIENSTAENDE, &d.familienstand).to_string();
                if let Some(dt) = d.familienstand_datum {
                    let _ = write!(fs, " seit {}", format_date_de(dt));
                }
                if !d.familienstand_ort.is_empty() {
                    let _ = write!(fs, " in {}", d.familienstand_ort);
                }
                line(&mut out, "Familienstand", &fs);
            }
            Zusatz::Staatsangehoerigkeiten => line(
                &mut out,
                "Staatsangehörigkeiten",
                &d.staaten
                    .iter()
                    .map(|s| s.staat.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Zusatz::Religion => line(&mut out, "Religion", label_of(RELIGIONEN, &d.religion)),
            Zusatz::Einzugsdatum => {}
            Zusatz::FruehereAnschriften => {
                for w in b.fruehere {
                    let bis = w.auszug.map(format_date_de).unwrap_or_default();
                    line(
                        &mut out,
                        "Frühere Anschrift",
                        &format!("{} ({} – {bis})", w.anschrift, format_date_de(w.einzug)),
                    );
                }
            }
            Zusatz::Ehegatte => {
                for a in b.angehoerige.iter().filter(|a| {
                    matches!(a.art, BindungsArt::Ehe | BindungsArt::Lebenspartnerschaft)
                        && a.bis.is_none()
                }) {
                    line(&mut out, a.rolle, &a.name);
                }
            }
            Zusatz::GesetzlicherVertreter => {
                let minor = crate::core::date::age_on(d.geburtsdatum, heute) < 18;
                for a in b.angehoerige.iter().filter(|a| {
                    a.bis.is_none() && matches!(a.rolle, "Elternteil" | "Vormund" | "Betreuer")
                }) {
                    if a.rolle != "Elternteil" || minor {
                        line(&mut out, "Gesetzlicher Vertreter", &a.name);
                    }
                }
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Ordnungsmerkmal: {}", p.ordnungsmerkmal());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meldebestaetigung_has_only_the_allowed_data() {
        let mut d = PersonDaten::new(
            "Schmidt",
            "Anna Maria",
            NaiveDate::from_ymd_opt(1980, 1, 2).unwrap(),
            Geschlecht::Weiblich,
        );
        d.rufname = "Maria".into();
        d.religion = "rk".into();
        d.idnr = Some("12345678903".into());
        let day = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        let t = meldebestaetigung(
            "Stadt Musterstadt",
            Meldeart::Anmeldung,
            &d,
            day,
            day,
            "Hauptstraße 1, 59999 Musterstadt",
            "alleinige Wohnung",
        );
        assert!(t.contains("Anna *Maria*"), "{t}");
        assert!(t.contains("02.01.1980"));
        assert!(t.contains("alleinige Wohnung"));
        assert!(!t.contains("12345678903"), "IdNr must not appear");
        assert!(!t.contains("katholisch"), "religion must not appear");
        assert!(!t.contains("weiblich"), "sex must not appear");
    }
}
