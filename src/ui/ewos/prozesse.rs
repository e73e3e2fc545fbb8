//! The process masks EWO110 Anmeldung, EWO120 Ummeldung, EWO130 Abmeldung,
//! EWO300 Melderegisterauskunft and EWO310 Meldebescheinigung: field
//! declarations and the call of the service.

use super::vorgang::Ausgang;
use crate::core::error::{KisError, Result};
use crate::ewos::auskunft::{self, Anfrage, Ausgang as AuskunftAusgang, AuskunftArt};
use crate::ewos::dokumente::Zusatz;
use crate::ewos::haushalt::{self, Beziehung, Mitglied};
use crate::ewos::meldung::{
    self, Abmeldeart, Abmeldung, AnmeldePerson, Anmeldung, Entscheidung22, Ummeldung,
};
use crate::ewos::model::Wohnungsgeber;
use crate::ewos::model::*;
use crate::ewos::person;
use crate::ui::field::{FieldDef, FieldKind, NAME_LEN};
use crate::ui::form::{Form, MaskDef};
use crate::ui::screen::Env;

pub(super) fn left(
    key: &'static str,
    label: &'static str,
    row: u16,
    width: u16,
    kind: FieldKind,
) -> FieldDef {
    FieldDef::new(key, label, row, 1, width, kind)
}

pub(super) fn right(
    key: &'static str,
    label: &'static str,
    row: u16,
    width: u16,
    kind: FieldKind,
) -> FieldDef {
    FieldDef::new(key, label, row, 44, width, kind).label_width(16)
}

pub(super) fn om(form: &Form) -> Result<i64> {
    let t = form.get("om");
    if t.trim().is_empty() {
        return Err(KisError::field(
            "om",
            "Bitte das Ordnungsmerkmal der Person angeben (Suche mit EWO100).",
        ));
    }
    parse_om(&t)
}

fn adresse(form: &Form) -> Result<Adresse> {
    let strasse = form.get("strasse");
    if strasse.trim().is_empty() {
        return Err(KisError::field(
            "strasse",
            "Bitte den Straßenschlüssel angeben (Straßenverzeichnis KIS100).",
        ));
    }
    let nr = form
        .number_opt::<i64>("hausnummer")?
        .ok_or_else(|| KisError::field("hausnummer", "Bitte die Hausnummer angeben."))?;
    Ok(Adresse {
        strasse: format!("{:0>5}", strasse.trim()),
        hausnummer: u32::try_from(nr)
            .map_err(|_| KisError::field("hausnummer", "Hausnummer ungültig."))?,
        zusatz: form.get("zusatz").trim().to_lowercase(),
        lage: form.get("lage").trim().to_string(),
    })
}

fn wohnungsgeber(form: &Form) -> Result<Option<Wohnungsgeber>> {
    let name = form.get("wgb_name");
    if name.trim().is_empty() {
        return Ok(None);
    }
    let datum = form.date("wgb_datum")?;
    Ok(Some(Wohnungsgeber {
        name: name.trim().into(),
        anschrift: String::new(),
        datum,
    }))
}

fn meldung_ausgang(e: meldung::Ergebnis, was: &str) -> Ausgang {
    let oms: Vec<String> = e.person_ids.iter().map(|id| format_om(*id)).collect();
    let mut meldung = format!("{was} gespeichert: {}.", oms.join(", "));
    for h in &e.hinweise {
        meldung.push(' ');
        meldung.push_str(h);
    }
    Ausgang {
        meldung,
        warnung: !e.hinweise.is_empty(),
        dokument: Some((
            "Amtliche Meldebestätigung".into(),
            e.bestaetigungen.join("\n\u{c}\n"),
        )),
    }
}

const ADRESSE_HILFE: &str = "Straßenschlüssel aus dem Straßenverzeichnis (KIS100), z. B. 00070.";

fn adressfelder(row: u16) -> Vec<FieldDef> {
    vec![
        left("strasse", "Straßenschlüssel", row, 5, FieldKind::Number)
            .required()
            .help(ADRESSE_HILFE),
        right("hausnummer", "Hausnummer", row, 4, FieldKind::Number).required(),
        FieldDef::new("zusatz", "Zus.", row, 66, 3, FieldKind::Text).label_width(5),
        left("lage", "Wohnung (Lage)", row + 1, 20, FieldKind::Text)
            .help("Stockwerk/Lage, z. B. 2. OG links."),
    ]
}

/// Field keys of the further household members: Vornamen, birth date, sex, relation.
const HAUSHALT: [[&str; 4]; 3] = [
    ["p2_vornamen", "p2_geb", "p2_g", "p2_bez"],
    ["p3_vornamen", "p3_geb", "p3_g", "p3_bez"],
    ["p4_vornamen", "p4_geb", "p4_g", "p4_bez"],
];

pub fn anmeldung_mask() -> MaskDef {
    let mut fields = vec![
        left("familienname", "Familienname", 0, 30, FieldKind::Text)
            .max_len(NAME_LEN)
            .required(),
        left("vornamen", "Vornamen", 1, 30, FieldKind::Text)
            .max_len(NAME_LEN)
            .required(),
        left("rufname", "Gebräuchl. Vorname", 2, 15, FieldKind::Text)
            .max_len(NAME_LEN)
            .help("Einer der Vornamen; wird in Bescheinigungen markiert."),
        right("geschlecht", "Geschlecht", 2, 1, FieldKind::Upper)
            .required()
            .help("M, W, D oder X (ohne Angabe)."),
        left("geburtsdatum", "Geburtsdatum", 3, 10, FieldKind::Date).required(),
        right("geburtsort", "Geburtsort", 3, 18, FieldKind::Text).max_len(NAME_LEN),
        left("geburtsname", "Geburtsname", 4, 30, FieldKind::Text)
            .max_len(NAME_LEN)
            .help("Nur wenn vom Familiennamen verschieden."),
        left("staat", "Staatsangehörigk.", 5, 3, FieldKind::Upper)
            .help("Dreistelliger Staatencode, z. B. DEU, TUR, POL; leer = DEU."),
        right("religion", "Religion", 5, 2, FieldKind::Text)
            .help("ev, rk, ak, lt, rf, fr, jd oder -- (keine)."),
        left("familienstand", "Familienstand", 6, 2, FieldKind::Upper)
            .help("LD, VH, VW, GS, EA, LP, LA, LV, NB."),
        right("idnr", "Steuer-IdNr", 6, 11, FieldKind::Number),
    ];
    fields.extend(adressfelder(8));
    fields.extend([
        right("art", "Wohnungsart", 9, 1, FieldKind::Upper).help("H = Hauptwohnung, N = Nebenwohnung."),
        left("einzug", "Einzugsdatum", 10, 10, FieldKind::Date).required(),
        right("anmeldedatum", "Anmeldedatum", 10, 10, FieldKind::Date).help("Leer = heute."),
        left("vorher_anschrift", "Bisherige Anschrift", 12, 40, FieldKind::Text).help("Straße, Hausnummer, PLZ Ort der bisherigen Wohnung."),
        left("vorher_gemeinde", "Bisherige Gemeinde", 13, 25, FieldKind::Text).help("Meldebehörde, die die Rückmeldung erhält."),
        right("vorher_staat", "oder Staat", 13, 3, FieldKind::Upper).help("Bei Zuzug aus dem Ausland: Staat statt Anschrift."),
        left("wgb_name", "Wohnungsgeber", 15, 25, FieldKind::Text).help("Leer = Wohnungsgeberbestätigung fehlt (wird vermerkt)."),
        right("wgb_datum", "Bestätigt am", 15, 10, FieldKind::Date),
        left("entscheidung22", "§ 22: alte HW wird", 17, 1, FieldKind::Upper)
            .help("Nur wenn die Person schon eine Hauptwohnung hat: N = wird Nebenwohnung, A = wird aufgegeben."),
        right("om", "Ordnungsmerkm.", 17, 9, FieldKind::Number).help("Nur für Personen, die schon im Melderegister stehen."),
    ]);
    for (i, keys) in HAUSHALT.iter().enumerate() {
        let row = 19 + i as u16;
        fields.extend([
            FieldDef::new(keys[0], "Weitere Person: Vornamen", row, 1, 22, FieldKind::Text)
                .label_width(26)
                .help("Familienmitglied, das mit einzieht (Familienname wie oben)."),
            FieldDef::new(keys[1], "geb.", row, 50, 10, FieldKind::Date).label_width(5),
            FieldDef::new(keys[2], "G", row, 66, 1, FieldKind::Upper).label_width(2).help("M, W, D oder X."),
            FieldDef::new(keys[3], "Bez", row, 70, 1, FieldKind::Upper)
                .label_width(4)
                .help("E = Ehegatte/Lebenspartner der ersten Person, K = Kind (der ersten Person und ihres Ehegatten)."),
        ]);
    }
    MaskDef {
        code: "EWO110",
        title: "Anmeldung",
        help: "Anmeldung einer Person, mit bis zu drei weiteren Haushaltsmitgliedern (unten, ⟨page-down⟩ blättert). Für eine Person, die schon im Register steht, nur das Ordnungsmerkmal, die Anschrift und die Daten der Wohnung angeben. ⟨save⟩ führt die Anmeldung aus und zeigt die Meldebestätigung.",
        auto_skip: false,
        fields,
    }
}

pub fn anmeldung(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let heute = env.session.today();
    let person = match form.number_opt::<i64>("om")? {
        Some(id) => AnmeldePerson::Vorhanden(id),
        None => {
            let geburtsdatum = form.date("geburtsdatum")?;
            let mut d = PersonDaten::new(
                &form.get("familienname"),
                &form.get("vornamen"),
                geburtsdatum,
                Geschlecht::parse(&form.get("geschlecht"))?,
            );
            d.rufname = form.get("rufname");
            d.geburtsort = form.get("geburtsort");
            let g = form.get("geburtsname");
            if !g.trim().is_empty() {
                d.fruehere_namen.push(FruehererName {
                    art: 'G',
                    name: g.trim().into(),
                    bis: None,
                });
            }
            let staat = form.get("staat");
            if !staat.trim().is_empty() {
                d.staaten = vec![Staatsangehoerigkeit {
                    staat: staat.trim().into(),
                    quelle: String::new(),
                }];
            }
            let rel = form.get("religion");
            if !rel.trim().is_empty() {
                d.religion = rel.trim().to_lowercase();
            }
            let fs = form.get("familienstand");
            if !fs.trim().is_empty() {
                d.familienstand = fs.trim().into();
            }
            d.idnr = Some(form.get("idnr")).filter(|s| !s.trim().is_empty());
            AnmeldePerson::Neu(d)
        }
    };
    let herkunft = if form.get("vorher_staat").trim().is_empty() {
        Herkunft::Inland {
            anschrift: form.get("vorher_anschrift"),
            gemeinde: form.get("vorher_gemeinde"),
        }
    } else {
        Herkunft::Ausland {
            staat: form.get("vorher_staat"),
        }
    };
    let entscheidung22 = match form.get("entscheidung22").trim() {
        "" => None,
        "N" => Some(Entscheidung22::AlteWirdNebenwohnung),
        "A" => Some(Entscheidung22::AlteWirdAufgegeben),
        _ => {
            return Err(KisError::field(
                "entscheidung22",
                "§ 22: N (wird Nebenwohnung) oder A (wird aufgegeben).",
            ));
        }
    };
    let art = match form.get("art").trim() {
        "" => WohnungsArt::Haupt,
        x => WohnungsArt::from_code(x)?,
    };
    let mut mitglieder = Vec::new();
    for keys in HAUSHALT {
        let vornamen = form.get(keys[0]);
        if vornamen.trim().is_empty() {
            continue;
        }
        let geburtsdatum = form.date_opt(keys[1])?.ok_or_else(|| {
            KisError::field(
                keys[1],
                "Bitte das Geburtsdatum der weiteren Person angeben.",
            )
        })?;
        let geschlecht = Geschlecht::parse(&form.get(keys[2]))
            .map_err(|_| KisError::field(keys[2], "Geschlecht: M, W, D oder X."))?;
        let beziehung = match form.get(keys[3]).trim() {
            "E" => Some(Beziehung::Ehegatte),
            "K" => Some(Beziehung::Kind),
            "" => None,
            _ => {
                return Err(KisError::field(
                    keys[3],
                    "Beziehung: E (Ehegatte) oder K (Kind).",
                ));
            }
        };
        mitglieder.push(Mitglied {
            vornamen,
            geburtsdatum,
            geschlecht,
            beziehung,
        });
    }
    let (personen, bindungen) =
        haushalt::zusammenstellen(person, &form.get("familienname"), &mitglieder);
    let a = Anmeldung {
        einzug: form.date("einzug")?,
        anmeldedatum: Some(form.date_opt("anmeldedatum")?.unwrap_or(heute)),
        adresse: adresse(form)?,
        art,
        herkunft,
        wohnungsgeber: wohnungsgeber(form)?,
        personen,
        bindungen,
        entscheidung22,
    };
    Ok(meldung_ausgang(
        meldung::anmelden(env.session, &a)?,
        "Anmeldung",
    ))
}

pub fn ummeldung_mask() -> MaskDef {
    let mut fields = vec![
        left("om", "Ordnungsmerkmal", 0, 9, FieldKind::Number).required(),
        left("mit", "Mit umziehend (OM)", 1, 40, FieldKind::Text)
            .help("Ordnungsmerkmale weiterer Haushaltsmitglieder, durch Leerzeichen getrennt."),
        left("art", "Welche Wohnung", 2, 1, FieldKind::Upper)
            .help("H = Hauptwohnung (Standard), N = Nebenwohnung."),
    ];
    fields.extend(adressfelder(4));
    fields.extend([
        left("einzug", "Einzugsdatum", 7, 10, FieldKind::Date).required(),
        right("anmeldedatum", "Anmeldedatum", 7, 10, FieldKind::Date).help("Leer = heute."),
        left("wgb_name", "Wohnungsgeber", 9, 25, FieldKind::Text)
            .help("Leer = Wohnungsgeberbestätigung fehlt (wird vermerkt)."),
        right("wgb_datum", "Bestätigt am", 9, 10, FieldKind::Date),
    ]);
    MaskDef {
        code: "EWO120",
        title: "Ummeldung",
        help: "Umzug innerhalb der Gemeinde. Die bisherige Anschrift bleibt mit ihren Daten in der Historie. ⟨save⟩ führt die Ummeldung aus.",
        auto_skip: false,
        fields,
    }
}

pub fn ummeldung(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let mut personen = vec![om(form)?];
    for t in form.get("mit").split_whitespace() {
        personen.push(
            parse_om(t)
                .map_err(|_| KisError::field("mit", format!("„{t}“ ist kein Ordnungsmerkmal.")))?,
        );
    }
    let art = match form.get("art").trim() {
        "" => WohnungsArt::Haupt,
        x => WohnungsArt::from_code(x)?,
    };
    let u = Ummeldung {
        personen,
        art,
        neue_adresse: adresse(form)?,
        einzug: form.date("einzug")?,
        anmeldedatum: form.date_opt("anmeldedatum")?,
        wohnungsgeber: wohnungsgeber(form)?,
    };
    Ok(meldung_ausgang(
        meldung::ummelden(env.session, &u)?,
        "Ummeldung",
    ))
}

pub fn abmeldung_mask() -> MaskDef {
    MaskDef {
        code: "EWO130",
        title: "Abmeldung",
        help: "Abmeldung bei Wegzug ins Ausland (A) oder Aufgabe einer Nebenwohnung (N), § 17 Abs. 2 BMG. Ein Umzug in eine andere deutsche Gemeinde wird mit deren Rückmeldung erfasst.",
        auto_skip: false,
        fields: vec![
            left("om", "Ordnungsmerkmal", 0, 9, FieldKind::Number).required(),
            left("art", "Art (A/N)", 1, 1, FieldKind::Upper)
                .required()
                .help("A = Wegzug ins Ausland, N = Nebenwohnung aufgegeben."),
            left("staat", "Zielstaat", 3, 3, FieldKind::Upper)
                .help("Bei A: Staatencode, z. B. AUT."),
            left("anschrift", "Neue Anschrift", 4, 40, FieldKind::Text)
                .help("Bei A, soweit bekannt."),
            left("wohnung", "Nebenwohnung Nr.", 5, 9, FieldKind::Number).help(
                "Bei N: Nummer der Wohnung aus EWO200; leer, wenn es nur eine Nebenwohnung gibt.",
            ),
            left("auszug", "Auszugsdatum", 7, 10, FieldKind::Date).required(),
            right("abmeldedatum", "Abmeldedatum", 7, 10, FieldKind::Date).help("Leer = heute."),
        ],
    }
}

pub fn abmeldung(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let person_id = om(form)?;
    let art = match form.get("art").trim() {
        "A" => Abmeldeart::Ausland {
            staat: form.get("staat"),
            anschrift: form.get("anschrift"),
        },
        "N" => match form.number_opt::<i64>("wohnung")? {
            Some(wohnung_id) => Abmeldeart::Nebenwohnung { wohnung_id },
            None => Abmeldeart::EinzigeNebenwohnung,
        },
        _ => {
            return Err(KisError::field(
                "art",
                "Art: A (Ausland) oder N (Nebenwohnung).",
            ));
        }
    };
    let a = Abmeldung {
        person_id,
        art,
        auszug: form.date("auszug")?,
        abmeldedatum: form.date_opt("abmeldedatum")?,
    };
    Ok(meldung_ausgang(
        meldung::abmelden(env.session, &a)?,
        "Abmeldung",
    ))
}

pub fn auskunft_mask() -> MaskDef {
    MaskDef {
        code: "EWO300",
        title: "Melderegisterauskunft",
        help: "Einfache (§ 44) oder erweiterte (§ 45) Melderegisterauskunft. Familienname und mindestens ein weiteres Merkmal; nur bei genau einem Treffer wird Auskunft erteilt. Jede Auskunft und Ablehnung wird protokolliert (§ 40 BMG).",
        auto_skip: false,
        fields: vec![
            left("anfragender", "Anfragender", 0, 40, FieldKind::Text).required(),
            left("zweck", "Zweck", 1, 40, FieldKind::Text).required(),
            left("art", "Art (E/X)", 2, 1, FieldKind::Upper)
                .help("E = einfache Auskunft (§ 44), X = erweiterte Auskunft (§ 45)."),
            right("gewerblich", "Gewerblich", 2, 1, FieldKind::Flag),
            left(
                "keine_werbung",
                "Keine Werbung erkl.",
                3,
                1,
                FieldKind::Flag,
            )
            .help("J = Erklärung: keine Werbung/kein Adresshandel (§ 44 Abs. 3 BMG)."),
            left("interesse", "Berecht. Interesse", 4, 40, FieldKind::Text)
                .help("Nur für die erweiterte Auskunft (§ 45): glaubhaft gemachtes Interesse."),
            left("familienname", "Familienname", 6, 30, FieldKind::Text)
                .max_len(NAME_LEN)
                .required(),
            left("vornamen", "Vornamen", 7, 30, FieldKind::Text).max_len(NAME_LEN),
            left("geburtsdatum", "Geburtsdatum", 8, 10, FieldKind::Date),
            right("geschlecht", "Geschlecht", 8, 1, FieldKind::Upper),
            left("frueherer_name", "Früherer Name", 9, 30, FieldKind::Text).max_len(NAME_LEN),
            left("strasse", "Straßenschlüssel", 10, 5, FieldKind::Number),
            right("hausnummer", "Hausnummer", 10, 4, FieldKind::Number),
            left("stichtag", "Stichtag", 12, 10, FieldKind::Date)
                .help("Leer = heute; sonst Auskunft nach dem Stand dieses Tages."),
        ],
    }
}

pub fn auskunft(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let geschlecht = match form.get("geschlecht").trim() {
        "" => None,
        g => Some(Geschlecht::parse(g)?),
    };
    let a = Anfrage {
        art: if form.get("art").trim() == "X" {
            AuskunftArt::Erweitert
        } else {
            AuskunftArt::Einfach
        },
        anfragender: form.get("anfragender"),
        zweck: form.get("zweck"),
        gewerblich: form.get("gewerblich") == "J",
        keine_werbung: form.get("keine_werbung") != "N",
        berechtigtes_interesse: form.get("interesse"),
        familienname: form.get("familienname"),
        frueherer_name: form.get("frueherer_name"),
        vornamen: form.get("vornamen"),
        geburtsdatum: form.date_opt("geburtsdatum")?,
        geschlecht,
        strasse: Some(form.get("strasse"))
            .filter(|s| !s.trim().is_empty())
            .map(|s| format!("{:0>5}", s.trim())),
        hausnummer: form
            .number_opt::<i64>("hausnummer")?
            .and_then(|n| u32::try_from(n).ok()),
        stichtag: form.date_opt("stichtag")?,
    };
    let r = auskunft::auskunft(env.session, &a)?;
    let warnung = !matches!(r.ausgang, AuskunftAusgang::Erteilt { .. });
    Ok(Ausgang {
        meldung: format!("Protokoll Nr. {}: {}", r.protokoll_id, r.intern),
        warnung,
        dokument: Some(("Antwort an den Anfragenden".into(), r.text)),
    })
}

pub fn bescheinigung_mask() -> MaskDef {
    MaskDef {
        code: "EWO310",
        title: "Meldebescheinigung",
        help: "Meldebescheinigung (§ 18 BMG) für die Person ausstellen; erweitert mit allen zulässigen weiteren Daten. Mit Dateiname wird sie zusätzlich als Datei geschrieben.",
        auto_skip: false,
        fields: vec![
            left("om", "Ordnungsmerkmal", 0, 9, FieldKind::Number).required(),
            left("erweitert", "Erweitert (J/N)", 1, 1, FieldKind::Flag),
            left("datei", "Datei", 3, 50, FieldKind::Text)
                .help("Optional: Pfad der Textdatei, in die die Bescheinigung geschrieben wird."),
        ],
    }
}

pub fn bescheinigung(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let id = om(form)?;
    let zusaetze: Vec<Zusatz> = if form.get("erweitert") == "J" {
        Zusatz::ALL.to_vec()
    } else {
        Vec::new()
    };
    let text = person::bescheinigung(env.session, id, &zusaetze)?;
    let datei = form.get("datei");
    let meldung = if datei.trim().is_empty() {
        format!("Meldebescheinigung für {} ausgestellt.", format_om(id))
    } else {
        std::fs::write(datei.trim(), &text)?;
        format!(
            "Meldebescheinigung für {} geschrieben: {}",
            format_om(id),
            datei.trim()
        )
    };
    Ok(Ausgang {
        meldung,
        warnung: false,
        dokument: Some(("Meldebescheinigung".into(), text)),
    })
}
