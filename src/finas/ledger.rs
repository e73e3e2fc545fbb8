//! The journal as a ledger-cli file for auditors (`kis export journal
//! --format ledger`): one transaction per Buchung, accounts named by their
//! number, amounts in EUR with the decimal point declared by a `commodity`
//! directive, Soll positive and Haben negative, so that `ledger balance`
//! or `hledger balance` reproduce the Summen- und Saldenliste.

use std::io::Write;

use super::repo;
use crate::core::error::{KisError, Result};
use crate::core::roles::Role;
use crate::kernel::session::Session;

/// One journal line with its Buchung's header, as the export writes it.
pub struct ExportZeile {
    pub nr: i64,
    pub datum: String,
    pub beleg: String,
    pub text: String,
    pub periode: i64,
    pub storno_von: Option<i64>,
    pub konto: String,
    pub produkt: Option<String>,
    pub soll: i64,
    pub haben: i64,
}

/// Amount in the declared format: `-1234.56 EUR` (point, no grouping).
pub fn betrag(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let a = cents.unsigned_abs();
    format!("{sign}{}.{:02} EUR", a / 100, a % 100)
}

/// Text for a payee or note: no control characters, no comment or tag
/// markers, no runs of spaces (two spaces end an account name in ledger).
fn text(t: &str) -> String {
    let clean = crate::core::sanitize::sanitize_line(t)
        .replace([';', '#', '|'], ",")
        .replace('\t', " ");
    clean.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Write the journal of a year to `out`; returns the number of Buchungen.
pub fn export(session: &Session, jahr: i32, out: &mut dyn Write) -> Result<u64> {
    session.require(&[Role::FinasLesen])?;
    let m = session.mandant.id.as_str();
    let io = |e: std::io::Error| KisError::System(format!("Export: {e}"));
    session.db.read(|sql| {
        writeln!(
            out,
            "; KIS FINAS – Journal {jahr} – {}",
            text(&session.mandant.name)
        )
        .map_err(io)?;
        writeln!(
            out,
            "; Konten nach Nummer; Soll positiv, Haben negativ; Dezimaltrennzeichen Punkt"
        )
        .map_err(io)?;
        writeln!(out, "commodity EUR\n    format 1000.00 EUR\n").map_err(io)?;
        for (nr, bezeichnung) in repo::ledger::konten_im_jahr(sql, m, jahr)? {
            writeln!(out, "account {nr}\n    note {}", text(&bezeichnung)).map_err(io)?;
        }
        writeln!(out).map_err(io)?;
        let mut current: Option<i64> = None;
        let mut n = 0u64;
        repo::ledger::zeilen(sql, m, jahr, &mut |z| {
            if current != Some(z.nr) {
                if current.is_some() {
                    writeln!(out).map_err(io)?;
                }
                current = Some(z.nr);
                n += 1;
                writeln!(out, "{} * ({}) {}", z.datum, text(&z.beleg), text(&z.text))
                    .map_err(io)?;
                let storno = z
                    .storno_von
                    .map(|s| format!(", Storno zu {s}"))
                    .unwrap_or_default();
                writeln!(out, "    ; Buchung {}, Periode {}{storno}", z.nr, z.periode)
                    .map_err(io)?;
            }
            let produkt = z
                .produkt
                .map(|p| format!("  ; Produkt: {}", text(&p)))
                .unwrap_or_default();
            writeln!(
                out,
                "    {:<8}  {:>18}{produkt}",
                z.konto,
                betrag(z.soll - z.haben)
            )
            .map_err(io)?;
            Ok(())
        })?;
        if current.is_some() {
            writeln!(out).map_err(io)?;
        }
        Ok(n)
    })
}

/// The format check the tests use: every transaction balances to the cent,
/// every posting line is `    KONTO  BETRAG EUR` with a point decimal mark.
pub fn pruefe_format(
    journal: &str,
) -> std::result::Result<(u64, std::collections::BTreeMap<String, i64>), String> {
    let mut saldo = std::collections::BTreeMap::new();
    let mut offen: Option<(usize, i64)> = None;
    let mut n = 0;
    let schliessen = |offen: &mut Option<(usize, i64)>| -> std::result::Result<(), String> {
        if let Some((z, s)) = offen.take()
            && s != 0
        {
            return Err(format!(
                "Buchung ab Zeile {z} ist nicht ausgeglichen ({s} Cent)"
            ));
        }
        Ok(())
    };
    for (i, line) in journal.lines().enumerate() {
        let l = i + 1;
        if line.trim().is_empty() {
            schliessen(&mut offen)?;
            continue;
        }
        if line.starts_with(';')
            || line.starts_with("commodity ")
            || line.starts_with("account ")
            || line.trim_start().starts_with("format ")
            || line.trim_start().starts_with("note ")
        {
            continue;
        }
        if line.as_bytes()[0].is_ascii_digit() {
            schliessen(&mut offen)?;
            let datum = line.get(..10).ok_or(format!("Zeile {l}: Datum fehlt"))?;
            chrono::NaiveDate::parse_from_str(datum, "%Y-%m-%d")
                .map_err(|_| format!("Zeile {l}: Datum {datum} ungültig"))?;
            if !line[10..].starts_with(" * (") {
                return Err(format!("Zeile {l}: Kopfzeile ohne ' * (Beleg)'"));
            }
            offen = Some((l, 0));
            n += 1;
            continue;
        }
        let body = line
            .strip_prefix("    ")
            .ok_or(format!("Zeile {l}: Buchungszeile nicht eingerückt"))?;
        if body.starts_with(';') {
            continue;
        }
        let body = body.split(';').next().unwrap_or_default().trim_end();
        let (konto, rest) = body.split_once("  ").ok_or(format!(
            "Zeile {l}: Konto und Betrag nicht durch zwei Leerzeichen getrennt"
        ))?;
        if konto.len() != 4 || !konto.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("Zeile {l}: Konto {konto} ist keine Kontonummer"));
        }
        let amount = rest
            .trim()
            .strip_suffix(" EUR")
            .ok_or(format!("Zeile {l}: Betrag ohne EUR"))?;
        let (int, frac) = amount
            .split_once('.')
            .ok_or(format!("Zeile {l}: Betrag ohne Dezimalpunkt"))?;
        let neg = int.starts_with('-');
        let digits = int.trim_start_matches('-');
        if frac.len() != 2
            || digits.is_empty()
            || !digits
                .chars()
                .chain(frac.chars())
                .all(|c| c.is_ascii_digit())
        {
            return Err(format!(
                "Zeile {l}: Betrag {amount} nicht im Format 1234.56"
            ));
        }
        let cents = digits.parse::<i64>().map_err(|e| e.to_string())? * 100
            + frac.parse::<i64>().map_err(|e| e.to_string())?;
        let cents = if neg { -cents } else { cents };
        let (_, s) = offen
            .as_mut()
            .ok_or(format!("Zeile {l}: Buchungszeile ohne Kopfzeile"))?;
        *s += cents;
        *saldo.entry(konto.to_string()).or_insert(0) += cents;
    }
    schliessen(&mut offen)?;
    Ok((n, saldo))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_use_the_declared_point() {
        assert_eq!(betrag(123456), "1234.56 EUR");
        assert_eq!(betrag(-5), "-0.05 EUR");
        assert_eq!(betrag(0), "0.00 EUR");
    }

    #[test]
    fn texts_cannot_break_the_format() {
        let t = text("Miete; Januar  #3\u{7}");
        assert!(t.starts_with("Miete, Januar ,3"), "{t}");
        assert!(
            !t.chars().any(|c| c.is_control() || c == ';' || c == '#'),
            "{t}"
        );
        assert!(!t.contains("  "));
    }

    #[test]
    fn format_check_finds_unbalanced_and_malformed_entries() {
        let ok = "2026-01-02 * (B1) Test\n    5431        100.00 EUR\n    3511       -100.00 EUR\n";
        let (n, s) = pruefe_format(ok).unwrap();
        assert_eq!(n, 1);
        assert_eq!(s["5431"], 10000);
        assert!(
            pruefe_format(
                "2026-01-02 * (B1) Test\n    5431        100.00 EUR\n    3511        -99.99 EUR\n"
            )
            .is_err()
        );
        assert!(
            pruefe_format(
                "2026-01-02 * (B1) Test\n    5431        100,00 EUR\n    3511       -100.00 EUR\n"
            )
            .is_err()
        );
    }
}
