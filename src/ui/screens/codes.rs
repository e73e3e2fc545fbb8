//! KIS110 Schlüsseltabellen: the entries of the code lists with their
//! validity; the administration maintains them here (changes are audited,
//! entries are never deleted — an entry ends by its "gültig bis").

use chrono::NaiveDate;

use crate::core::date::{format_date_de, parse_date_de};
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::audit::AuditEntry;
use crate::kernel::codes::{self, CodeEntry};
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, MaskDef, Mode};
use crate::ui::list::{AENDERN, ANZEIGEN, Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::record::{Record, RecordScreen};
use crate::ui::screen::{Env, Nav, Screen};
use crate::ui::search::{Search, SearchScreen};

pub fn open_list(env: &mut Env) -> Result<Box<dyn Screen>> {
    SearchScreen::open(CodeSearch, env)
}

const OPEN_END: &str = "31.12.9999";

fn row_key(e: &CodeEntry) -> String {
    format!("{}|{}|{}", e.list, e.code, e.valid_from)
}

/// KIS110's search: the entries of the lists whose name starts with the input.
struct CodeSearch;

impl Search for CodeSearch {
    fn mask(&self) -> MaskDef {
        MaskDef {
            code: "KIS110",
            title: "Schlüsseltabellen",
            help: "Name der Schlüsseltabelle (Anfang genügt, z. B. ORT) und Enter; in der Liste A=Anzeigen, Ä/U=Ändern; ⟨new⟩=Neuer Schlüssel.",
            auto_skip: false,
            fields: vec![
                FieldDef::new("liste", "Schlüsseltabelle", 0, 1, 20, FieldKind::Upper)
                    .help("Anfang des Tabellennamens; leer = alle Tabellen."),
            ],
        }
    }

    fn columns(&self) -> Vec<Column> {
        vec![
            Column::new("Tabelle", 16),
            Column::new("Schl.", 6),
            Column::new("Kurztext", 22),
            Column::new("gültig ab", 10),
            Column::new("bis", 10),
            Column::new("heute", 8),
        ]
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        vec![ANZEIGEN, AENDERN]
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let today = env.session.today();
        let rows = codes::all_entries(env.session, &form.get("liste"))?
            .into_iter()
            .map(|e| {
                let valid = e.valid_from <= today && today <= e.valid_to;
                ListRow::new(
                    row_key(&e),
                    vec![
                        e.list.clone(),
                        e.code.clone(),
                        e.short_text.clone(),
                        format_date_de(e.valid_from),
                        format_date_de(e.valid_to),
                        if valid {
                            "gültig".into()
                        } else {
                            "ungültig".into()
                        },
                    ],
                )
            })
            .collect();
        Ok(Box::new(VecSource(rows)))
    }

    fn found(&self, n: usize) -> String {
        format!("{n} Schlüssel gefunden.")
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, _form: &Form) -> Result<Nav> {
        Ok(match letter {
            'A' => Nav::Push(Box::new(RecordScreen::open(CodeRecord, env, Some(key))?)),
            'Ä' | 'U' => Nav::Push(Box::new(RecordScreen::open_for_change(
                CodeRecord, env, key,
            )?)),
            _ => Nav::Stay,
        })
    }

    fn creates(&self) -> Option<&'static [Role]> {
        Some(&[Role::Admin])
    }

    fn new_record(&mut self, env: &mut Env) -> Result<Nav> {
        Ok(Nav::Push(Box::new(RecordScreen::open(
            CodeRecord, env, None,
        )?)))
    }
}

/// One code-list entry.
pub struct CodeRecord;

fn entry_mask() -> MaskDef {
    MaskDef {
        code: "KIS110",
        title: "Schlüssel",
        help: "Ein Eintrag einer Schlüsseltabelle. Einträge werden nicht gelöscht: „gültig bis“ beendet sie.",
        auto_skip: false,
        fields: vec![
            FieldDef::new("liste", "Schlüsseltabelle", 1, 1, 20, FieldKind::Upper)
                .required()
                .key_field()
                .help("Name der Tabelle, z. B. ORTSTEIL."),
            FieldDef::new("code", "Schlüssel", 3, 1, 8, FieldKind::Upper)
                .required()
                .key_field()
                .help("Der Schlüssel, wie er in Feldern eingegeben wird."),
            FieldDef::new("kurz", "Kurztext", 5, 1, 30, FieldKind::Text)
                .required()
                .help("Anzeige neben dem Schlüssel."),
            FieldDef::new("lang", "Langtext", 7, 1, 50, FieldKind::Text)
                .help("Ausführliche Bezeichnung."),
            FieldDef::new("valid_from", "Gültig ab", 9, 1, 10, FieldKind::Date)
                .required()
                .key_field()
                .help("Erster Tag der Gültigkeit (TT.MM.JJJJ)."),
            FieldDef::new("valid_to", "Gültig bis", 11, 1, 10, FieldKind::Date)
                .required()
                .help("Letzter Tag der Gültigkeit; 31.12.9999 = unbefristet."),
        ],
    }
}

fn parse_key(key: &str) -> Result<(String, String, NaiveDate)> {
    let mut p = key.splitn(3, '|');
    let (Some(l), Some(c), Some(d)) = (p.next(), p.next(), p.next()) else {
        return Err(KisError::NotFound(format!(
            "Schlüssel {key} ist nicht vorhanden."
        )));
    };
    let from = NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map_err(|_| KisError::NotFound(key.to_string()))?;
    Ok((l.to_string(), c.to_string(), from))
}

impl Record for CodeRecord {
    fn def(&self) -> MaskDef {
        entry_mask()
    }

    fn entity(&self) -> &'static str {
        codes::ENTITY
    }

    fn change_roles(&self) -> &'static [Role] {
        &[Role::Admin]
    }

    fn history(&self, env: &mut Env, key: &str) -> Result<Vec<AuditEntry>> {
        let (list, code, _) = parse_key(key)?;
        codes::protokoll(env.session, &list, &code)
    }

    fn load(&mut self, env: &mut Env, key: &str, form: &mut Form) -> Result<()> {
        let (l, c, from) = parse_key(key)?;
        let e = codes::get(env.session, &l, &c, from)?;
        form.load("liste", &e.list);
        form.load("code", &e.code);
        form.load("kurz", &e.short_text);
        form.load("lang", &e.long_text);
        form.load("valid_from", &format_date_de(e.valid_from));
        form.load("valid_to", &format_date_de(e.valid_to));
        Ok(())
    }

    fn save(&mut self, env: &mut Env, form: &mut Form, _mode: Mode) -> Result<(String, String)> {
        let bis = if form.get("valid_to").trim().is_empty() {
            OPEN_END.to_string()
        } else {
            form.get("valid_to")
        };
        let e = CodeEntry {
            list: form.get("liste").trim().to_string(),
            code: form.get("code").trim().to_string(),
            short_text: form.get("kurz").trim().to_string(),
            long_text: form.get("lang").trim().to_string(),
            valid_from: form.date("valid_from")?,
            valid_to: parse_date_de(&bis)
                .map_err(|e| KisError::field("valid_to", e.to_string()))?,
        };
        codes::upsert(env.session, &e)?;
        Ok((
            row_key(&e),
            format!("Schlüssel {}/{} gespeichert.", e.list, e.code),
        ))
    }
}
