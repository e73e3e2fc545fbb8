//! A household that registers together (§17(1) BMG): the first person and
//! the family members moving in with her become the persons and family
//! links of one [`Anmeldung`](super::meldung::Anmeldung). The mask EWO110
//! and any other caller hand over what the clerk entered; the rules of the
//! household are applied here.

use chrono::NaiveDate;

use super::meldung::AnmeldePerson;
use super::model::*;

/// How a further household member relates to the first person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Beziehung {
    /// Spouse or registered partner of the first person.
    Ehegatte,
    /// Child of the first person (and of the spouse entered before it).
    Kind,
}

/// A further member of the household as the clerk enters it; the family
/// name is the household's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mitglied {
    pub vornamen: String,
    pub geburtsdatum: NaiveDate,
    pub geschlecht: Geschlecht,
    pub beziehung: Option<Beziehung>,
}

/// The persons of an Anmeldung and their family links (index a, index b,
/// kind; for `Eltern`, a is the parent).
pub type Haushalt = (Vec<AnmeldePerson>, Vec<(usize, usize, BindungsArt)>);

/// The persons and links of a household moving in together: every member
/// is new to the register, bears `familienname` and, if the first person is
/// new too, her nationalities (else German, as [`PersonDaten::new`]); a spouse is married (VH) and linked to the
/// first person; a child is linked to the first person as parent and to the
/// spouse entered before it as the other parent.
pub fn zusammenstellen(
    erste: AnmeldePerson,
    familienname: &str,
    mitglieder: &[Mitglied],
) -> Haushalt {
    let staaten = match &erste {
        AnmeldePerson::Neu(d) => Some(d.staaten.clone()),
        AnmeldePerson::Vorhanden(_) => None,
    };
    let mut personen = vec![erste];
    let mut bindungen = Vec::new();
    let mut ehegatte = None;
    for m in mitglieder {
        let mut d = PersonDaten::new(familienname, &m.vornamen, m.geburtsdatum, m.geschlecht);
        if let Some(s) = &staaten {
            d.staaten = s.clone();
        }
        let i = personen.len();
        match m.beziehung {
            Some(Beziehung::Ehegatte) => {
                d.familienstand = "VH".into();
                ehegatte = Some(i);
                bindungen.push((0, i, BindungsArt::Ehe));
            }
            Some(Beziehung::Kind) => {
                bindungen.push((0, i, BindungsArt::Eltern));
                if let Some(e) = ehegatte {
                    bindungen.push((e, i, BindungsArt::Eltern));
                }
            }
            None => {}
        }
        personen.push(AnmeldePerson::Neu(d));
    }
    (personen, bindungen)
}
