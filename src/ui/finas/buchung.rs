//! FIN300 Buchung erfassen: header (Datum, Beleg, Text) and up to eight
//! lines (Konto, Produkt, Kostenstelle, Soll or Haben); below them the
//! running Soll and Haben totals and their difference. F10 posts through
//! the journal service (balance, three components, open period, budget check).

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::core::error::{KisError, Result};
use crate::core::money::Money;
use crate::core::roles::Role;
use crate::finas::journal::{self, Buchung, BuchungInput, ZeileInput};
use crate::finas::ueberwachung;
use crate::ui::command::Command;
use crate::ui::field::{FieldDef, FieldKind};
use crate::ui::form::{Form, FormEvent, MaskDef, Mode};
use crate::ui::keymap::Context;
use crate::ui::screen::{Env, Input, Nav, RenderCx, Screen};

const ZEILEN: usize = 8;
const KONTO: [&str; ZEILEN] = [
    "konto1", "konto2", "konto3", "konto4", "konto5", "konto6", "konto7", "konto8",
];
const PRODUKT: [&str; ZEILEN] = [
    "produkt1", "produkt2", "produkt3", "produkt4", "produkt5", "produkt6", "produkt7", "produkt8",
];
const KST: [&str; ZEILEN] = [
    "kst1", "kst2", "kst3", "kst4", "kst5", "kst6", "kst7", "kst8",
];
const SOLL: [&str; ZEILEN] = [
    "soll1", "soll2", "soll3", "soll4", "soll5", "soll6", "soll7", "soll8",
];
const HABEN: [&str; ZEILEN] = [
    "haben1", "haben2", "haben3", "haben4", "haben5", "haben6", "haben7", "haben8",
];
const ERSTE_ZEILE: u16 = 4;

/// Posting is a change: the mask opens only for the role that may post
/// (the journal service checks it again).
pub fn open(env: &mut Env) -> Result<Box<dyn Screen>> {
    env.session.require(&[Role::FinasAendern])?;
    let mut form = Form::new(mask(), Mode::Neu);
    form.set(
        "datum",
        &crate::core::date::format_date_de(env.session.today()),
    );
    form.mark_clean();
    Ok(Box::new(BuchungScreen { form }))
}

fn mask() -> MaskDef {
    let mut fields = vec![
        FieldDef::new("datum", "Datum", 0, 1, 10, FieldKind::Date)
            .label_width(8)
            .required()
            .help("Buchungsdatum; es bestimmt Jahr und Periode."),
        FieldDef::new("beleg", "Beleg", 0, 22, 16, FieldKind::Text)
            .label_width(7)
            .required()
            .help("Belegnummer, z. B. Rechnungs- oder Kassenzeichen."),
        FieldDef::new("periode", "Periode", 0, 48, 2, FieldKind::Number)
            .label_width(9)
            .help("Leer = Monat des Datums; 13–16 Abschlussperioden (Datum 31.12.)."),
        FieldDef::new("text", "Text", 1, 1, 60, FieldKind::Text)
            .label_width(8)
            .required()
            .help("Buchungstext."),
    ];
    for i in 0..ZEILEN {
        let row = ERSTE_ZEILE + i as u16;
        fields.push(
            FieldDef::new(KONTO[i], "", row, 4, 4, FieldKind::Number)
                .label_width(0)
                .help("Kontonummer des Kontenrahmens, z. B. 5431."),
        );
        fields.push(
            FieldDef::new(PRODUKT[i], "", row, 10, 8, FieldKind::Text)
                .label_width(0)
                .help("Produkt (01.01.01) – Pflicht bei Ergebnis- und Finanzkonten."),
        );
        fields.push(
            FieldDef::new(KST[i], "", row, 20, 4, FieldKind::Number)
                .label_width(0)
                .help("Kostenstelle (freiwillig)."),
        );
        fields.push(
            FieldDef::new(SOLL[i], "", row, 26, 14, FieldKind::Money)
                .label_width(0)
                .help("Betrag im Soll – oder im Haben, nicht in beiden."),
        );
        fields.push(
            FieldDef::new(HABEN[i], "", row, 42, 14, FieldKind::Money)
                .label_width(0)
                .help("Betrag im Haben – oder im Soll, nicht in beiden."),
        );
    }
    // Last in the tab order: most postings name no reservation.
    fields.push(
        FieldDef::new("reservierung", "Reserv.", 0, 62, 6, FieldKind::Number)
            .label_width(8)
            .help("Nr. der Mittelreservierung (FIN210), die diese Buchung verbraucht: ihre Aufwandszeilen auf der Haushaltsstelle der Reservierung; leer = keine."),
    );
    MaskDef {
        code: "FIN300",
        title: "Buchung erfassen",
        help: "Kopf und Zeilen der Buchung erfassen; unten stehen Summe Soll, Summe Haben und die Differenz. ⟨save⟩ bucht, wenn Soll = Haben, \
               die Periode offen ist und die Haushaltsmittel reichen. Zahlungen: Bankkonto, Gegenkonto und Finanzkonto gegen das Finanzrechnungskonto 8041.",
        auto_skip: false,
        fields,
    }
}

struct BuchungScreen {
    form: Form,
}

fn betrag(form: &Form, key: &str) -> Money {
    Money::parse_de(&form.get(key)).unwrap_or_else(|_| Money::zero())
}

impl BuchungScreen {
    /// Soll and Haben of the lines entered so far.
    fn summen(&self) -> (Money, Money) {
        (0..ZEILEN).fold((Money::zero(), Money::zero()), |(s, h), i| {
            (
                s + betrag(&self.form, SOLL[i]),
                h + betrag(&self.form, HABEN[i]),
            )
        })
    }

    fn input(&self) -> Result<BuchungInput> {
        let datum: NaiveDate = self.form.date("datum")?;
        let periode = match self.form.get("periode").trim() {
            "" => None,
            p => Some(
                p.parse::<u8>()
                    .map_err(|_| KisError::field("periode", "Periode 1 bis 16."))?,
            ),
        };
        let mut zeilen = Vec::new();
        for i in 0..ZEILEN {
            let konto = self.form.get(KONTO[i]).trim().to_string();
            let leer = konto.is_empty()
                && self.form.get(SOLL[i]).trim().is_empty()
                && self.form.get(HABEN[i]).trim().is_empty();
            if leer {
                continue;
            }
            if konto.is_empty() {
                return Err(KisError::field(
                    KONTO[i],
                    format!("Zeile {}: Konto fehlt.", i + 1),
                ));
            }
            let opt = |k: &str| Some(self.form.get(k).trim().to_string()).filter(|s| !s.is_empty());
            zeilen.push(ZeileInput {
                konto,
                produkt: opt(PRODUKT[i]),
                kostenstelle: opt(KST[i]),
                soll: betrag(&self.form, SOLL[i]),
                haben: betrag(&self.form, HABEN[i]),
                reservierung: None,
            });
        }
        Ok(BuchungInput {
            datum,
            periode,
            beleg: self.form.get("beleg"),
            text: self.form.get("text"),
            zeilen,
        })
    }

    fn buchen(&mut self, env: &mut Env) {
        let posting = self.input().and_then(|mut b| {
            if let Some(id) = self.form.number_opt("reservierung")? {
                ueberwachung::reservierung_zuordnen(env.session, &mut b, id)?;
            }
            journal::buchen(env.session, &b)
        });
        match posting {
            Ok(g) => {
                let datum = self.form.get("datum");
                self.form.clear();
                self.form.set("datum", &datum);
                self.form.mark_clean();
                self.form.focus_key("beleg");
                let warn = g.warnungen.join(" ");
                if warn.is_empty() {
                    env.info(format!("Buchung Nr. {} gespeichert.", g.nr));
                } else {
                    env.warn(format!("Buchung Nr. {} gespeichert. {warn}", g.nr));
                }
            }
            Err(e) => {
                self.form.report(&e, env);
            }
        }
    }
}

impl Screen for BuchungScreen {
    fn code(&self) -> &str {
        "FIN300"
    }

    fn title(&self) -> String {
        "Buchung erfassen".into()
    }

    fn mode(&self) -> Option<Mode> {
        Some(Mode::Neu)
    }

    fn context(&self) -> Context {
        self.form.context()
    }

    fn commands(&self) -> Vec<Command> {
        vec![Command::Save, Command::Cancel]
    }

    fn is_dirty(&self) -> bool {
        self.form.is_dirty()
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
            Input::Cmd(Command::Cancel) => {
                let datum = self.form.get("datum");
                self.form.clear();
                self.form.set("datum", &datum);
                self.form.mark_clean();
                env.info("Eingaben verworfen.");
                return Nav::Stay;
            }
            Input::Cmd(Command::Submit) => self.form.command(Command::NextField, env.codes),
            Input::Cmd(cmd) => self.form.command(cmd, env.codes),
            _ => FormEvent::Ignored,
        };
        match ev {
            FormEvent::Save => self.buchen(env),
            FormEvent::Invalid(m) => env.error(m),
            FormEvent::Ignored | FormEvent::Lookup(_) => return Nav::Ignored,
            FormEvent::Handled | FormEvent::Submit => {}
        }
        Nav::Stay
    }

    fn render(&self, frame: &mut Frame, area: Rect, cx: &RenderCx) {
        let buf = frame.buffer_mut();
        let kopf = " Nr Konto Produkt   KSt          Soll            Haben";
        if area.height > 3 {
            buf.set_stringn(
                area.x,
                area.y + 3,
                kopf,
                area.width as usize,
                cx.theme.label(),
            );
        }
        for i in 0..ZEILEN {
            let y = area.y + ERSTE_ZEILE + i as u16;
            if y < area.bottom() {
                buf.set_stringn(area.x + 1, y, format!("{:>2}", i + 1), 2, cx.theme.label());
            }
        }
        let (s, h) = self.summen();
        let y = area.y + ERSTE_ZEILE + ZEILEN as u16 + 1;
        if y < area.bottom() {
            let diff = s - h;
            let text = format!(
                " Summe{:>35} {:>16}   Differenz {}",
                s.format_de(),
                h.format_de(),
                diff.format_de()
            );
            let style = if diff.is_zero() {
                cx.theme.label()
            } else {
                cx.theme.input_error()
            };
            buf.set_stringn(area.x, y, text, area.width as usize, style);
        }
        self.form.render(frame, area, cx.theme, cx.codes);
    }
}

/// A Buchung as a text document (FIN310 „Anzeigen“).
pub fn dokument(b: &Buchung) -> String {
    let mut s = format!(
        "Buchung Nr. {}  Datum {}  Periode {}  Beleg {}\n{}\n",
        b.nr,
        crate::core::date::format_date_de(b.datum),
        b.periode,
        crate::core::sanitize::sanitize_line(&b.beleg),
        crate::core::sanitize::sanitize_line(&b.text)
    );
    if let Some(o) = b.storno_von {
        s.push_str(&format!("Storno zu Buchung Nr. {o}\n"));
    }
    if let Some(st) = b.storniert_durch {
        s.push_str(&format!("Storniert durch Buchung Nr. {st}\n"));
    }
    s.push_str(&format!(
        "Erfasst von {} am {}\n\n",
        b.erfasst_von, b.erfasst_am
    ));
    for z in &b.zeilen {
        s.push_str(&format!(
            "{:>3} {:<5} {:<36} {:<9} {:>14} {:>14}\n",
            z.lfd,
            z.konto,
            z.konto_bezeichnung.chars().take(36).collect::<String>(),
            z.produkt.as_deref().unwrap_or(""),
            if z.soll.is_zero() {
                String::new()
            } else {
                z.soll.format_de()
            },
            if z.haben.is_zero() {
                String::new()
            } else {
                z.haben.format_de()
            }
        ));
    }
    s
}
