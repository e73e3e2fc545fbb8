//! PERSOS masks: PER100 Personalstamm (hit list + record mask), PER110
//! TVöD-Entgelttabelle, PER200 Abrechnung (monthly run and reversal),
//! PER210 Entgeltbescheinigung, PER220 Lohnsteuerbescheinigung, PER300
//! Lohnjournal, PER310 Lohnkonto, PER320 Auswertungen.

mod stamm;
mod tabelle;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Gauge, Paragraph};

use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::persos::finas as persos_finas;
use crate::persos::laufdaten::{LaufArt, LaufInfo, Monat};
use crate::persos::{auswertung, bescheinigung, lauf, lohnkonto};
use crate::ui::command::Command;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, FormEvent, MaskDef, Mode};
use crate::ui::job::Job;
use crate::ui::keymap::Context;
use crate::ui::registry::Transaction;
use crate::ui::screen::{Env, Input, Nav, Popup, RenderCx, Screen};

/// Every PERSOS mask needs the reading role; changing actions are refused
/// again by their service.
fn lesen(env: &mut Env, open: fn(&mut Env) -> Result<Box<dyn Screen>>) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::PersosLesen])?;
    open(env)
}

pub fn transactions() -> Vec<Transaction> {
    vec![
        Transaction {
            code: "PER100",
            title: "Personalstamm",
            open: |env| lesen(env, stamm::open_list),
        },
        Transaction {
            code: "PER110",
            title: "TVöD-Entgelttabelle",
            open: |env| lesen(env, tabelle::open),
        },
        Transaction {
            code: "PER200",
            title: "Entgeltabrechnung (Monatslauf)",
            open: |env| lesen(env, open_lauf),
        },
        Transaction {
            code: "PER210",
            title: "Entgeltbescheinigung",
            open: |env| lesen(env, open_bescheinigung),
        },
        Transaction {
            code: "PER220",
            title: "Lohnsteuerbescheinigung",
            open: |env| lesen(env, open_lohnsteuerbescheinigung),
        },
        Transaction {
            code: "PER300",
            title: "Lohnjournal",
            open: |env| lesen(env, open_journal),
        },
        Transaction {
            code: "PER310",
            title: "Lohnkonto",
            open: |env| lesen(env, open_lohnkonto),
        },
        Transaction {
            code: "PER320",
            title: "Auswertungen (Lohnsteuer-Anmeldung, Kosten, Stellen)",
            open: |env| lesen(env, open_auswertung),
        },
    ]
}

fn monat_field(row: u16) -> FieldDef {
    FieldDef::new("monat", "Abrechnungsmonat", row, 1, 7, FieldKind::Text)
        .required()
        .help("Monat als MM.JJJJ oder JJJJ-MM, z. B. 01.2026.")
}

/// A small form whose Enter produces a document shown in a popup.
struct DokumentMaske {
    code: &'static str,
    title: &'static str,
    form: Form,
    erzeuge: fn(&Form, &mut Env) -> Result<(String, String)>,
}

impl Screen for DokumentMaske {
    fn code(&self) -> &str {
        self.code
    }
    fn title(&self) -> String {
        self.title.into()
    }
    fn context(&self) -> Context {
        Context::Form
    }
    fn commands(&self) -> Vec<Command> {
        vec![Command::Submit]
    }
    fn help(&self) -> Vec<String> {
        vec![
            self.form.focused().help.to_string(),
            self.form.def.help.to_string(),
        ]
    }
    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        let ev = match input {
            Input::Char(c) => self.form.type_char(c, env.codes),
            Input::Paste(t) => self.form.paste(&t, env.codes),
            Input::Cmd(cmd) => self.form.command(cmd, env.codes),
            _ => FormEvent::Ignored,
        };
        match ev {
            FormEvent::Submit | FormEvent::Save => match (self.erzeuge)(&self.form, env) {
                Ok((title, text)) => return Nav::Popup(Popup::document(title, &text)),
                Err(e) => env.fail(&e),
            },
            FormEvent::Invalid(m) => env.error(m),
            FormEvent::Ignored | FormEvent::Lookup(_) => return Nav::Ignored,
            FormEvent::Handled => {}
        }
        Nav::Stay
    }
    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        self.form.render(frame, area, cx.theme, cx.codes);
    }
}

fn open_bescheinigung(_env: &mut Env) -> Result<Box<dyn Screen>> {
    let def = MaskDef {
        code: "PER210",
        title: "Entgeltbescheinigung",
        help: "Monat und Personalnummer eingeben, Enter zeigt die Entgeltbescheinigung nach der EBV \
               (Datei: kis persos entgeltbescheinigung --monat … --pnr … --out DATEI).",
        auto_skip: false,
        fields: vec![
            monat_field(1),
            FieldDef::new("pnr", "Personalnummer", 3, 1, 10, FieldKind::Text)
                .required()
                .help("Personalnummer des Beschäftigten."),
        ],
    };
    Ok(Box::new(DokumentMaske {
        code: "PER210",
        title: "Entgeltbescheinigung",
        form: Form::new(def, Mode::Neu),
        erzeuge: |form, env| {
            let monat = form.get("monat");
            let pnr = form.get("pnr");
            let text = bescheinigung::entgeltbescheinigung(env.session, &monat, &pnr)?;
            Ok((
                format!("Entgeltbescheinigung {} {}", pnr.trim(), monat.trim()),
                text,
            ))
        },
    }))
}

fn jahr_pnr_felder() -> Vec<FieldDef> {
    vec![
        FieldDef::new("jahr", "Jahr", 1, 1, 4, FieldKind::Number)
            .required()
            .help("Kalenderjahr, z. B. 2026."),
        FieldDef::new("pnr", "Personalnummer", 3, 1, 10, FieldKind::Text)
            .required()
            .help("Personalnummer des Beschäftigten."),
    ]
}

fn jahr(form: &Form) -> Result<i32> {
    form.get("jahr")
        .trim()
        .parse()
        .map_err(|_| KisError::field("jahr", "Jahr ungültig (vierstellig, z. B. 2026)."))
}

fn open_lohnsteuerbescheinigung(_env: &mut Env) -> Result<Box<dyn Screen>> {
    let def = MaskDef {
        code: "PER220",
        title: "Lohnsteuerbescheinigung",
        help: "Jahr und Personalnummer eingeben, Enter zeigt den Ausdruck der Lohnsteuerbescheinigung aus den \
               abgerechneten Monaten (Datei: kis persos lohnsteuerbescheinigung --jahr … --pnr … --out DATEI).",
        auto_skip: false,
        fields: jahr_pnr_felder(),
    };
    Ok(Box::new(DokumentMaske {
        code: "PER220",
        title: "Lohnsteuerbescheinigung",
        form: Form::new(def, Mode::Neu),
        erzeuge: |form, env| {
            let pnr = form.get("pnr");
            let jahr = jahr(form)?;
            let text = lohnkonto::lohnsteuerbescheinigung(env.session, jahr, &pnr)?;
            Ok((
                format!("Lohnsteuerbescheinigung {} {jahr}", pnr.trim()),
                text,
            ))
        },
    }))
}

fn open_lohnkonto(_env: &mut Env) -> Result<Box<dyn Screen>> {
    let def = MaskDef {
        code: "PER310",
        title: "Lohnkonto",
        help: "Jahr und Personalnummer eingeben, Enter zeigt das Lohnkonto (§ 41 EStG) mit einer Zeile je \
               abgerechnetem Monat (Datei: kis persos lohnkonto --jahr … --pnr … --out DATEI).",
        auto_skip: false,
        fields: jahr_pnr_felder(),
    };
    Ok(Box::new(DokumentMaske {
        code: "PER310",
        title: "Lohnkonto",
        form: Form::new(def, Mode::Neu),
        erzeuge: |form, env| {
            let pnr = form.get("pnr");
            let jahr = jahr(form)?;
            let text = lohnkonto::lohnkonto(env.session, jahr, &pnr)?;
            Ok((format!("Lohnkonto {} {jahr}", pnr.trim()), text))
        },
    }))
}

fn open_auswertung(_env: &mut Env) -> Result<Box<dyn Screen>> {
    let def = MaskDef {
        code: "PER320",
        title: "Auswertungen",
        help: "Monat und Auswertung eingeben, Enter zeigt sie zum aktiven Abrechnungslauf: L = Lohnsteuer-Anmeldung \
               (Kennzahlen für die Übermittlung, Fälligkeit), K = Personalkosten je Produkt und Kostenstelle, \
               S = Köpfe und Vollzeitäquivalente je Entgeltgruppe (Datei: kis persos auswertung --monat … --art …).",
        auto_skip: false,
        fields: vec![
            monat_field(1),
            FieldDef::new("art", "Auswertung (L/K/S)", 3, 1, 1, FieldKind::Upper)
                .required()
                .help("L = Lohnsteuer-Anmeldung, K = Personalkosten, S = Köpfe/VZÄ."),
        ],
    };
    Ok(Box::new(DokumentMaske {
        code: "PER320",
        title: "Auswertungen",
        form: Form::new(def, Mode::Neu),
        erzeuge: |form, env| {
            let monat = form.get("monat");
            let art = form.get("art");
            let text = auswertung::dokument(env.session, &monat, &art)?;
            Ok((format!("Auswertung {} {}", art.trim(), monat.trim()), text))
        },
    }))
}

fn open_journal(_env: &mut Env) -> Result<Box<dyn Screen>> {
    let def = MaskDef {
        code: "PER300",
        title: "Lohnjournal",
        help: "Monat eingeben, Enter zeigt das Lohnjournal des aktiven Abrechnungslaufs mit seiner Buchung \
               in FINAS (CSV: kis persos lohnjournal --monat … --csv).",
        auto_skip: false,
        fields: vec![monat_field(1)],
    };
    Ok(Box::new(DokumentMaske {
        code: "PER300",
        title: "Lohnjournal",
        form: Form::new(def, Mode::Neu),
        erzeuge: |form, env| {
            let monat = form.get("monat");
            let (zeilen, summe) = bescheinigung::lohnjournal(env.session, &monat)?;
            let mut text = bescheinigung::lohnjournal_text(monat.trim(), &zeilen, &summe);
            if let Some(u) = persos_finas::uebersicht(env.session, &monat)? {
                text.push('\n');
                text.push_str(&persos_finas::uebersicht_text(&u));
            }
            Ok((format!("Lohnjournal {}", monat.trim()), text))
        },
    }))
}

/// PER200: start the monthly run or reverse it; shows the progress of the
/// last run and the list of runs.
struct LaufMaske {
    form: Form,
    fortschritt: (usize, usize),
    laeufe: Vec<String>,
    job: Option<Job<LaufInfo>>,
}

const STORNO: &str = "persos-storno";
const RUECKRECHNUNG: &str = "persos-rueckrechnung";

fn open_lauf(env: &mut Env) -> Result<Box<dyn Screen>> {
    let def = MaskDef {
        code: "PER200",
        title: "Entgeltabrechnung",
        help: "Monat und Aktion eingeben, Enter führt aus: A = Abrechnen (alle aktiven Beschäftigten in einer \
               Transaktion, mit Buchung in FINAS und Haushaltsprüfung), S = Abrechnungslauf stornieren (mit Rückfrage; \
               storniert auch die FINAS-Buchung), R = Rückrechnung ab diesem Monat (mit Rückfrage: alle abgerechneten \
               Monate des Jahres ab hier werden mit den heutigen Stammdaten neu berechnet, die Differenzen zahlt die \
               nächste Abrechnung). Ein abgerechneter Monat kann erst nach der Stornierung erneut abgerechnet werden.",
        auto_skip: false,
        fields: vec![
            monat_field(1),
            FieldDef::new("aktion", "Aktion (A/S/R)", 3, 1, 1, FieldKind::Upper)
                .required()
                .help("A = Abrechnen, S = Stornieren, R = Rückrechnung ab dem Monat."),
        ],
    };
    let mut m = LaufMaske {
        form: Form::new(def, Mode::Neu),
        fortschritt: (0, 0),
        laeufe: Vec::new(),
        job: None,
    };
    m.form.set("aktion", "A");
    m.lade_laeufe(env);
    Ok(Box::new(m))
}

impl LaufMaske {
    fn lade_laeufe(&mut self, env: &mut Env) {
        match lauf::laeufe(env.session) {
            Ok(l) => {
                self.laeufe = l
                    .iter()
                    .map(|l| {
                        let storno = match (&l.storniert_von, &l.storniert_am) {
                            (Some(v), Some(a)) => format!("  storniert {a} {v}"),
                            _ => String::new(),
                        };
                        // One line within 80 columns; a reversal adds who and when.
                        format!(
                            "{} L{:<2} {:<9} {:>4} Br. {:>12} Ausz. {:>12} {}{storno}",
                            l.monat,
                            l.lauf_nr,
                            match (l.art, l.status.as_str()) {
                                // A correction run (Rückrechnung) is marked RR.
                                (LaufArt::Rueckrechnung, "AKTIV") => "AKTIV RR",
                                (LaufArt::Rueckrechnung, _) => "STORN. RR",
                                (_, status) => status,
                            },
                            l.anzahl,
                            l.summe_brutto.format_de(),
                            l.summe_auszahlung.format_de(),
                            l.gestartet_von
                        )
                    })
                    .collect()
            }
            Err(e) => env.fail(&e),
        }
    }

    fn ausfuehren(&mut self, env: &mut Env) -> Nav {
        let monat = self.form.get("monat");
        match self.form.get("aktion").trim() {
            "A" => {
                if self.job.as_ref().is_some_and(|j| j.is_running()) {
                    env.warn("Ein Abrechnungslauf läuft bereits – bitte warten.");
                    return Nav::Stay;
                }
                // A wrong month or a settled one is refused at once, not
                // after the thread has started.
                if let Err(e) = lauf::pruefe_start(env.session, &monat) {
                    self.form.report(&e, env);
                    return Nav::Stay;
                }
                // The run goes on its own thread so the progress bar moves.
                let session = env.session.clone();
                self.job = Some(Job::spawn(move |p| {
                    lauf::starte(&session, &monat, &mut |done, total| {
                        p.set(done, total);
                        Ok(())
                    })
                }));
                env.info("Abrechnung läuft …");
                Nav::Stay
            }
            "R" => Nav::Popup(Popup::confirm(
                format!(
                    "Rückrechnung ab {} wirklich ausführen? Alle abgerechneten Monate ab hier werden neu berechnet. (J/N)",
                    monat.trim()
                ),
                RUECKRECHNUNG,
            )),
            "S" => Nav::Popup(Popup::confirm(
                format!(
                    "Abrechnungslauf {} wirklich stornieren? (J/N)",
                    monat.trim()
                ),
                STORNO,
            )),
            _ => {
                self.form.fail("aktion");
                env.error("Aktion: A = Abrechnen, S = Stornieren oder R = Rückrechnung.");
                Nav::Stay
            }
        }
    }
}

impl Screen for LaufMaske {
    fn code(&self) -> &str {
        "PER200"
    }
    fn title(&self) -> String {
        "Entgeltabrechnung".into()
    }
    fn context(&self) -> Context {
        Context::Form
    }
    fn commands(&self) -> Vec<Command> {
        vec![Command::Submit, Command::Refresh]
    }
    fn help(&self) -> Vec<String> {
        vec![
            self.form.focused().help.to_string(),
            self.form.def.help.to_string(),
        ]
    }
    fn poll(&mut self, env: &mut Env) -> bool {
        let Some(job) = &mut self.job else {
            return false;
        };
        self.fortschritt = job.progress();
        match job.try_finish() {
            None => true,
            Some(r) => {
                self.job = None;
                match r {
                    Ok(l) => {
                        let rest = format!(
                            "{} Beschäftigte, Auszahlung {} €.",
                            l.anzahl,
                            l.summe_auszahlung.format_de()
                        );
                        let monat = Monat::parse(&l.monat)
                            .map(|m| m.de())
                            .unwrap_or(l.monat.clone());
                        let kopf = format!("Monat {monat} abgerechnet (Lauf {})", l.lauf_nr);
                        match persos_finas::uebersicht(env.session, &l.monat) {
                            Ok(Some(u)) if !u.warnungen.is_empty() => env.warn(format!(
                                "{kopf}, FINAS-Buchung {} mit {} Haushaltswarnung(en), siehe PER300: {rest}",
                                u.buchung,
                                u.warnungen.len()
                            )),
                            Ok(Some(u)) => {
                                env.info(format!("{kopf}, FINAS-Buchung {}: {rest}", u.buchung))
                            }
                            Ok(None) => env.info(format!("{kopf}: {rest}")),
                            Err(e) => env.fail(&e),
                        }
                    }
                    Err(e) => env.fail(&e),
                }
                self.lade_laeufe(env);
                false
            }
        }
    }

    fn handle(&mut self, input: Input, env: &mut Env) -> Nav {
        if self.job.is_some() && !matches!(input, Input::Cmd(Command::Help)) {
            env.warn("Der Abrechnungslauf läuft – bitte warten.");
            return Nav::Stay;
        }
        let ev = match input {
            Input::Confirmed { tag: STORNO, yes } => {
                if yes {
                    match lauf::storniere(env.session, &self.form.get("monat")) {
                        Ok(l) => env.info(format!("Lauf {} für {} storniert.", l.lauf_nr, l.monat)),
                        Err(e) => env.fail(&e),
                    }
                    self.lade_laeufe(env);
                }
                return Nav::Stay;
            }
            Input::Confirmed {
                tag: RUECKRECHNUNG,
                yes,
            } => {
                if yes {
                    match lauf::rueckrechnen(env.session, &self.form.get("monat")) {
                        Ok(k) => {
                            let n: usize = k.iter().map(|k| k.differenzen.len()).sum();
                            env.info(format!(
                                "Rückrechnung: {} Monat(e) neu berechnet, {n} Differenz(en) – sie werden mit der nächsten Abrechnung ausgezahlt.",
                                k.len()
                            ));
                        }
                        Err(e) => env.fail(&e),
                    }
                    self.lade_laeufe(env);
                }
                return Nav::Stay;
            }
            Input::Cmd(Command::Refresh) => {
                self.lade_laeufe(env);
                return Nav::Stay;
            }
            Input::Char(c) => self.form.type_char(c, env.codes),
            Input::Paste(t) => self.form.paste(&t, env.codes),
            Input::Cmd(cmd) => self.form.command(cmd, env.codes),
            _ => FormEvent::Ignored,
        };
        match ev {
            FormEvent::Submit | FormEvent::Save => return self.ausfuehren(env),
            FormEvent::Invalid(m) => env.error(m),
            FormEvent::Ignored | FormEvent::Lookup(_) => return Nav::Ignored,
            FormEvent::Handled => {}
        }
        Nav::Stay
    }
    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        let form_h = 5.min(area.height);
        let (done, total) = self.fortschritt;
        if area.height > form_h + 2 {
            let ratio = if total == 0 {
                0.0
            } else {
                done as f64 / total as f64
            };
            let gauge = Gauge::default()
                .label(format!(
                    "Fortschritt letzter Lauf: {done} von {total} Beschäftigten"
                ))
                .ratio(ratio.clamp(0.0, 1.0));
            frame.render_widget(
                gauge,
                Rect::new(area.x + 1, area.y + form_h, area.width.saturating_sub(2), 1),
            );
            let mut lines = vec![Line::from("Abrechnungsläufe (neueste zuerst):")];
            lines.extend(self.laeufe.iter().map(|l| Line::from(l.as_str())));
            let list = Rect::new(
                area.x + 1,
                area.y + form_h + 2,
                area.width.saturating_sub(2),
                area.height.saturating_sub(form_h + 2),
            );
            frame.render_widget(Paragraph::new(lines), list);
        }
        self.form.render(
            frame,
            Rect::new(area.x, area.y, area.width, form_h),
            cx.theme,
            cx.codes,
        );
    }
}
