//! The masks for changes reported by the Standesamt or decided by the
//! Meldebehörde: EWO140 Geburt, EWO150 Sterbefall, EWO160 Eheschließung/
//! Lebenspartnerschaft, EWO161 Scheidung/Aufhebung, EWO170 Namensänderung
//! and EWO180 Sperren/Widersprüche. Field declarations and the call of the
//! service; the rules live in `crate::ewos::standesamt` and `crate::ewos::person`.

use super::prozesse::{left, om, right};
use super::vorgang::Ausgang;
use crate::core::date::format_date_de;
use crate::core::error::{KisError, Result};
use crate::ewos::model::*;
use crate::ewos::person;

use crate::ewos::standesamt::{
    self, Eheschliessung, Geburt, GeburtErgebnis, Namensaenderung, Scheidung, Sterbefall,
};
use crate::ui::field::{FieldDef, FieldKind, NAME_LEN};
use crate::ui::form::{Form, MaskDef};
use crate::ui::screen::Env;

/// An optional Ordnungsmerkmal in the field `key`.
fn opt_om(form: &Form, key: &str, label: &str) -> Result<Option<i64>> {
    let t = form.get(key);
    if t.trim().is_empty() {
        return Ok(None);
    }
    parse_om(&t).map(Some).map_err(|_| {
        KisError::field(
            key.to_string(),
            format!("{label}: „{}“ ist kein gültiges Ordnungsmerkmal.", t.trim()),
        )
    })
}

/// A required Ordnungsmerkmal in the field `key`.
fn req_om(form: &Form, key: &str, label: &str) -> Result<i64> {
    opt_om(form, key, label)?.ok_or_else(|| {
        KisError::field(
            key.to_string(),
            format!("Bitte das Ordnungsmerkmal {label} angeben (Suche mit EWO100)."),
        )
    })
}

pub fn geburt_mask() -> MaskDef {
    MaskDef {
        code: "EWO140",
        title: "Geburt",
        help: "Geburtsmitteilung des Standesamts. Das Kind wird bei der Hauptwohnung der Mutter (sonst des Vaters) angemeldet und mit den Eltern verknüpft. Ohne Elternteil im Melderegister geht die Mitteilung in die Klärungsliste.",
        auto_skip: false,
        fields: vec![
            left("familienname", "Familienname", 0, 30, FieldKind::Text)
                .max_len(NAME_LEN)
                .required(),
            left("vornamen", "Vornamen", 1, 30, FieldKind::Text)
                .max_len(NAME_LEN)
                .required(),
            left("geschlecht", "Geschlecht", 2, 1, FieldKind::Upper)
                .required()
                .help("M, W, D oder X (ohne Angabe)."),
            left("geburtsdatum", "Geburtsdatum", 3, 10, FieldKind::Date).required(),
            right("geburtsort", "Geburtsort", 3, 18, FieldKind::Text).max_len(NAME_LEN),
            left("staat", "Staatsangehörigk.", 4, 3, FieldKind::Upper)
                .help("Dreistelliger Staatencode; leer = DEU."),
            right("religion", "Religion", 4, 2, FieldKind::Text)
                .help("ev, rk, ak, lt, rf, fr, jd oder -- (keine)."),
            left("mutter", "OM der Mutter", 6, 9, FieldKind::Number)
                .help("Ordnungsmerkmal der Mutter (EWO100)."),
            right("vater", "OM des Vaters", 6, 9, FieldKind::Number)
                .help("Ordnungsmerkmal des Vaters (EWO100)."),
        ],
    }
}

pub fn geburt(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let mutter = opt_om(form, "mutter", "Mutter")?;
    let vater = opt_om(form, "vater", "Vater")?;
    let mut kind = PersonDaten::new(
        &form.get("familienname"),
        &form.get("vornamen"),
        form.date("geburtsdatum")?,
        Geschlecht::parse(&form.get("geschlecht"))
            .map_err(|_| KisError::field("geschlecht", "Geschlecht: M, W, D oder X."))?,
    );
    kind.geburtsort = form.get("geburtsort").trim().to_string();
    let staat = form.get("staat");
    if !staat.trim().is_empty() {
        kind.staaten = vec![Staatsangehoerigkeit {
            staat: staat.trim().into(),
            quelle: String::new(),
        }];
    }
    let rel = form.get("religion");
    if !rel.trim().is_empty() {
        kind.religion = rel.trim().to_lowercase();
    }
    let GeburtErgebnis::Erfasst { person_id } = standesamt::geburt(
        env.session,
        &Geburt {
            kind,
            mutter,
            vater,
        },
    )?;
    let mut a = Ausgang::info(format!(
        "Geburt erfasst: Kind {} angemeldet.",
        format_om(person_id)
    ));
    // The child lives with a person with an Auskunftssperre: propose it.
    if let Some(vorschlag) = person::sperrvorschlag(env.session, person_id)? {
        a.meldung.push(' ');
        a.meldung
            .push_str(&person::sperrvorschlag_hinweis(person_id, &vorschlag));
        a.warnung = true;
    }
    Ok(a)
}

pub fn sterbefall_mask() -> MaskDef {
    MaskDef {
        code: "EWO150",
        title: "Sterbefall",
        help: "Sterbefallmitteilung des Standesamts: die Person wird verstorben, ihre Wohnungen und Bindungen enden, der Ehegatte/Lebenspartner wird verwitwet bzw. die Lebenspartnerschaft durch Tod aufgelöst.",
        auto_skip: false,
        fields: vec![
            left("om", "Ordnungsmerkmal", 0, 9, FieldKind::Number).required(),
            left("sterbedatum", "Sterbedatum", 2, 10, FieldKind::Date).required(),
            left("sterbeort", "Sterbeort", 3, 30, FieldKind::Text),
        ],
    }
}

pub fn sterbefall(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let person_id = om(form)?;
    standesamt::sterbefall(
        env.session,
        &Sterbefall {
            person_id,
            sterbedatum: form.date("sterbedatum")?,
            sterbeort: form.get("sterbeort"),
        },
    )?;
    Ok(Ausgang::info(format!(
        "Sterbefall für {} eingetragen.",
        format_om(person_id)
    )))
}

fn paar_felder() -> Vec<FieldDef> {
    vec![
        left("person_a", "Erste Person", 0, 9, FieldKind::Number)
            .required()
            .help("Ordnungsmerkmal (Suche mit EWO100)."),
        right("person_b", "Zweite Person", 0, 9, FieldKind::Number)
            .required()
            .help("Ordnungsmerkmal (Suche mit EWO100)."),
        left("datum", "Datum", 2, 10, FieldKind::Date).required(),
    ]
}

pub fn eheschliessung_mask() -> MaskDef {
    let mut fields = paar_felder();
    fields.extend([
        left("ort", "Ort", 3, 20, FieldKind::Text),
        right("staat", "Staat", 3, 3, FieldKind::Upper).help("Leer = DEU."),
        left("lp", "Lebenspartnersch.", 4, 1, FieldKind::Flag)
            .help("J = Lebenspartnerschaft, N = Ehe."),
        left("ehename", "Ehename", 5, 30, FieldKind::Text)
            .max_len(NAME_LEN)
            .help("Gewählter Ehe-/Lebenspartnerschaftsname; leer = jeder behält seinen Namen."),
    ]);
    MaskDef {
        code: "EWO160",
        title: "Ehe/Lebenspartnerschaft",
        help: "Mitteilung des Standesamts über eine Eheschließung oder Begründung einer Lebenspartnerschaft. Beide Personen werden in einem Vorgang geändert.",
        auto_skip: false,
        fields,
    }
}

pub fn eheschliessung(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let person_a = req_om(form, "person_a", "der ersten Person")?;
    let person_b = req_om(form, "person_b", "der zweiten Person")?;
    let lebenspartnerschaft = form.get("lp") == "J";
    let ehename = Some(form.get("ehename").trim().to_string()).filter(|n| !n.is_empty());
    standesamt::eheschliessung(
        env.session,
        &Eheschliessung {
            person_a,
            person_b,
            datum: form.date("datum")?,
            ort: form.get("ort").trim().to_string(),
            staat: form.get("staat").trim().to_string(),
            lebenspartnerschaft,
            ehename,
        },
    )?;
    let was = if lebenspartnerschaft {
        "Lebenspartnerschaft"
    } else {
        "Eheschließung"
    };
    Ok(Ausgang::info(format!(
        "{was} von {} und {} eingetragen.",
        format_om(person_a),
        format_om(person_b)
    )))
}

pub fn scheidung_mask() -> MaskDef {
    let mut fields = paar_felder();
    fields.push(
        left("aufhebung", "Aufhebung", 3, 1, FieldKind::Flag)
            .help("J = Aufhebung der Ehe, N = Scheidung bzw. Aufhebung der Lebenspartnerschaft."),
    );
    MaskDef {
        code: "EWO161",
        title: "Scheidung/Aufhebung",
        help: "Rechtskräftige Scheidung oder Aufhebung einer Ehe bzw. Aufhebung einer Lebenspartnerschaft: die Bindung endet, der Familienstand beider Personen ändert sich.",
        auto_skip: false,
        fields,
    }
}

pub fn scheidung(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let person_a = req_om(form, "person_a", "der ersten Person")?;
    let person_b = req_om(form, "person_b", "der zweiten Person")?;
    standesamt::scheidung(
        env.session,
        &Scheidung {
            person_a,
            person_b,
            datum: form.date("datum")?,
            aufhebung: form.get("aufhebung") == "J",
        },
    )?;
    Ok(Ausgang::info(format!(
        "Scheidung/Aufhebung für {} und {} eingetragen.",
        format_om(person_a),
        format_om(person_b)
    )))
}

pub fn namensaenderung_mask() -> MaskDef {
    MaskDef {
        code: "EWO170",
        title: "Namensänderung",
        help: "Öffentlich-rechtliche oder familienrechtliche Namensänderung. Der bisherige Name bleibt als früherer Name gespeichert.",
        auto_skip: false,
        fields: vec![
            left("om", "Ordnungsmerkmal", 0, 9, FieldKind::Number).required(),
            left("familienname", "Neuer Familienname", 2, 30, FieldKind::Text)
                .max_len(NAME_LEN)
                .required(),
            left("vornamen", "Neue Vornamen", 3, 30, FieldKind::Text)
                .max_len(NAME_LEN)
                .help("Nur wenn sich auch die Vornamen ändern."),
            left("datum", "Wirksam ab", 4, 10, FieldKind::Date).required(),
            left("grund", "Grund", 5, 40, FieldKind::Text)
                .help("z. B. Urkunde des Standesamts, Bescheid nach dem NamÄndG."),
        ],
    }
}

pub fn namensaenderung(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let person_id = om(form)?;
    let vornamen = Some(form.get("vornamen").trim().to_string()).filter(|v| !v.is_empty());
    standesamt::namensaenderung(
        env.session,
        &Namensaenderung {
            person_id,
            familienname: form.get("familienname"),
            vornamen,
            datum: form.date("datum")?,
            grund: form.get("grund"),
        },
    )?;
    Ok(Ausgang::info(format!(
        "Namensänderung für {} eingetragen.",
        format_om(person_id)
    )))
}

const SPERRARTEN: &str = "AS51 = Auskunftssperre § 51, SV52 = bedingter Sperrvermerk § 52, W36 = Widerspruch Bundeswehr, W42 = Religionsgesellschaft, W50-1 = Parteien/Wahlen, W50-2 = Jubiläen, W50-3 = Adressbuch.";

pub fn sperre_mask() -> MaskDef {
    MaskDef {
        code: "EWO180",
        title: "Sperren und Widersprüche",
        help: "Auskunftssperre (§ 51 BMG), bedingter Sperrvermerk (§ 52 BMG) oder Widerspruch (§§ 36, 42, 50 BMG) eintragen. Eine Auskunftssperre ohne Ende gilt zwei Jahre (§ 51 Abs. 4 BMG).",
        auto_skip: false,
        fields: vec![
            left("om", "Ordnungsmerkmal", 0, 9, FieldKind::Number).required(),
            left("art", "Art", 1, 5, FieldKind::Upper)
                .required()
                .help(SPERRARTEN),
            left("grund", "Grund", 2, 40, FieldKind::Text).required(),
            left("behoerde", "Veranlasst von", 3, 40, FieldKind::Text)
                .help("Antragsteller oder Behörde, z. B. Polizeipräsidium."),
            left("ab", "Gültig ab", 4, 10, FieldKind::Date).help("Leer = heute."),
            right("bis", "Gültig bis", 4, 10, FieldKind::Date)
                .help("Leer = unbefristet; bei AS51 zwei Jahre."),
        ],
    }
}

pub fn sperre(env: &mut Env, form: &Form) -> Result<Ausgang> {
    let person_id = om(form)?;
    let s = Sperre {
        id: 0,
        art: SperrArt::from_code(&form.get("art"))?,
        grund: form.get("grund"),
        behoerde: form.get("behoerde").trim().to_string(),
        ab: form.date_opt("ab")?.unwrap_or_else(|| env.session.today()),
        bis: form.date_opt("bis")?,
    };
    let id = person::sperre_eintragen(env.session, person_id, &s)?;
    // Show the end the service settled on (a §51 block without end runs two
    // years), read through the register's service like every other read.
    let bis = person::anzeigen(env.session, person_id)?
        .sperren
        .into_iter()
        .find(|x| x.id == id)
        .and_then(|x| x.bis)
        .map(|b| format!(" bis {}", format_date_de(b)))
        .unwrap_or_default();
    Ok(Ausgang::info(format!(
        "{} für {} eingetragen{bis}.",
        s.art.label(),
        format_om(person_id)
    )))
}
