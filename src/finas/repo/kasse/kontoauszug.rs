//! Bank statements (`fin_kontoauszug`), their entries (`fin_umsatz`), the
//! application of entries to due dates (`fin_umsatz_zuordnung`) and the
//! Klärungsliste (`fin_klaerung`); migration `0230_finas_kontoauszug.sql`.

use chrono::{NaiveDate, NaiveDateTime};

use crate::core::error::Result;
use crate::params;
use crate::store::{Sql, Value};

/// A statement's header row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuszugRow {
    pub id: i64,
    pub iban: String,
    pub auszug_id: String,
    pub elektr_seq: Option<i64>,
    pub datum: NaiveDate,
    pub anfangssaldo: i64,
    pub schlusssaldo: i64,
    pub nachricht: String,
}

/// Closing balance in cents of the latest statement of `iban` dated on or
/// before `datum` (ties: the highest electronic sequence, then the latest id).
pub fn schlusssaldo(
    sql: &mut dyn Sql,
    mandant: &str,
    iban: &str,
    datum: NaiveDate,
) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT schlusssaldo FROM fin_kontoauszug WHERE mandant = ? AND iban = ? AND datum <= ? \
         ORDER BY datum DESC, COALESCE(elektr_seq, 0) DESC, id DESC LIMIT 1",
        &params![mandant, iban, datum],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

/// Closing balance of the latest statement of account `iban` dated `datum`
/// itself; None without one.
pub fn schlusssaldo_am(
    sql: &mut dyn Sql,
    mandant: &str,
    iban: &str,
    datum: NaiveDate,
) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT schlusssaldo FROM fin_kontoauszug WHERE mandant = ? AND iban = ? AND datum = ? \
         ORDER BY COALESCE(elektr_seq, 0) DESC, id DESC LIMIT 1",
        &params![mandant, iban, datum],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

/// The id of an already imported statement with this identity.
pub fn auszug_vorhanden(
    sql: &mut dyn Sql,
    mandant: &str,
    iban: &str,
    auszug_id: &str,
) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT id FROM fin_kontoauszug WHERE mandant = ? AND iban = ? AND auszug_id = ?",
        &params![mandant, iban, auszug_id],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

pub fn auszug_einfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    a: &AuszugRow,
    von: &str,
    am: NaiveDateTime,
) -> Result<i64> {
    let id = sql
        .query_opt(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM fin_kontoauszug WHERE mandant = ?",
            &params![mandant],
        )?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(1);
    let seq: Value = match a.elektr_seq {
        Some(s) => s.into(),
        None => Value::Null,
    };
    sql.execute(
        "INSERT INTO fin_kontoauszug (mandant, id, iban, auszug_id, elektr_seq, datum, anfangssaldo, schlusssaldo, \
         nachricht, importiert_von, importiert_am) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            mandant.into(),
            id.into(),
            a.iban.as_str().into(),
            a.auszug_id.as_str().into(),
            seq,
            a.datum.into(),
            a.anfangssaldo.into(),
            a.schlusssaldo.into(),
            a.nachricht.as_str().into(),
            von.into(),
            am.into(),
        ],
    )?;
    Ok(id)
}

/// The Mandant's statements, newest first.
pub fn auszuege(sql: &mut dyn Sql, mandant: &str, limit: usize) -> Result<Vec<AuszugRow>> {
    sql.query(
        "SELECT id, iban, auszug_id, elektr_seq, datum, anfangssaldo, schlusssaldo, nachricht \
         FROM fin_kontoauszug WHERE mandant = ? ORDER BY datum DESC, id DESC LIMIT ?",
        &params![mandant, limit as i64],
    )?
    .iter()
    .map(|r| {
        Ok(AuszugRow {
            id: r.i64(0)?,
            iban: r.str(1)?,
            auszug_id: r.str(2)?,
            elektr_seq: r.opt_i64(3)?,
            datum: r.date(4)?,
            anfangssaldo: r.i64(5)?,
            schlusssaldo: r.i64(6)?,
            nachricht: r.str(7)?,
        })
    })
    .collect()
}

/// Insert rows with multi-row `INSERT … VALUES (…), (…)` statements of at
/// most `chunk` rows.
fn insert_rows(sql: &mut dyn Sql, table: &str, cols: &str, rows: &[Vec<Value>]) -> Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let one = format!("({})", vec!["?"; first.len()].join(", "));
    let chunk = (4000 / first.len()).max(1);
    for part in rows.chunks(chunk) {
        let values = vec![one.as_str(); part.len()].join(", ");
        let params: Vec<Value> = part.iter().flatten().cloned().collect();
        sql.execute(
            &format!("INSERT INTO {table} ({cols}) VALUES {values}"),
            &params,
        )?;
    }
    Ok(())
}

/// The head of a released Anordnung, as the import matches and posts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnordnungKopf {
    pub nr: i64,
    /// `A` Annahme, `Z` Auszahlung.
    pub art: String,
    pub kassenzeichen: String,
    pub partner: i64,
    pub produkt: String,
    pub konto: String,
    pub kostenstelle: Option<String>,
    pub gegenkonto: String,
    pub text: String,
}

/// Every released Anordnung of the Mandant.
pub fn anordnungen_freigegeben(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<AnordnungKopf>> {
    sql.query(
        "SELECT nr, art, kassenzeichen, partner, produkt, konto, kostenstelle, gegenkonto, text \
         FROM fin_anordnung WHERE mandant = ? AND status = 'FREIGEGEBEN'",
        &params![mandant],
    )?
    .iter()
    .map(|r| {
        Ok(AnordnungKopf {
            nr: r.i64(0)?,
            art: r.str(1)?,
            kassenzeichen: r.str(2)?,
            partner: r.i64(3)?,
            produkt: r.str(4)?,
            konto: r.str(5)?,
            kostenstelle: r.opt_str(6)?,
            gegenkonto: r.str(7)?,
            text: r.str(8)?,
        })
    })
    .collect()
}

/// One due date with its open rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaelligkeitRow {
    pub anordnung: i64,
    pub lfd: i64,
    pub art: String,
    pub faellig: NaiveDate,
    /// The Soll after Absetzungen (Erlass, Stundung): betrag − abgesetzt.
    pub betrag: i64,
    pub bezahlt: i64,
}

fn faelligkeit_from(r: &crate::store::Row) -> Result<FaelligkeitRow> {
    Ok(FaelligkeitRow {
        anordnung: r.i64(0)?,
        lfd: r.i64(1)?,
        art: r.str(2)?,
        faellig: r.date(3)?,
        betrag: r.i64(4)?,
        bezahlt: r.i64(5)?,
    })
}

/// The open due dates (rest > 0) of released Anordnungen.
pub fn faelligkeiten_offen(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<FaelligkeitRow>> {
    sql.query(
        "SELECT f.anordnung, f.lfd, f.art, f.faellig, f.betrag - f.abgesetzt, f.bezahlt FROM fin_faelligkeit f \
         JOIN fin_anordnung a ON a.mandant = f.mandant AND a.nr = f.anordnung \
         WHERE f.mandant = ? AND a.status = 'FREIGEGEBEN' AND f.bezahlt + f.abgesetzt < f.betrag \
         ORDER BY f.anordnung, f.lfd",
        &params![mandant],
    )?
    .iter()
    .map(faelligkeit_from)
    .collect()
}

/// The open due dates of one Anordnung.
pub fn faelligkeiten_der_anordnung(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
) -> Result<Vec<FaelligkeitRow>> {
    sql.query(
        "SELECT anordnung, lfd, art, faellig, betrag - abgesetzt, bezahlt FROM fin_faelligkeit \
         WHERE mandant = ? AND anordnung = ? AND bezahlt + abgesetzt < betrag ORDER BY lfd",
        &params![mandant, nr],
    )?
    .iter()
    .map(faelligkeit_from)
    .collect()
}

/// All due dates of one Anordnung.
pub fn faelligkeiten_alle(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
) -> Result<Vec<FaelligkeitRow>> {
    sql.query(
        "SELECT anordnung, lfd, art, faellig, betrag, bezahlt FROM fin_faelligkeit \
         WHERE mandant = ? AND anordnung = ? ORDER BY lfd",
        &params![mandant, nr],
    )?
    .iter()
    .map(faelligkeit_from)
    .collect()
}

/// Whether a return entry with this end-to-end id was imported.
pub fn ruecklastschrift_vorhanden(sql: &mut dyn Sql, mandant: &str, e2e: &str) -> Result<bool> {
    Ok(sql
        .query_opt(
            "SELECT 1 FROM fin_umsatz WHERE mandant = ? AND end_to_end = ? AND status = 'R' LIMIT 1",
            &params![mandant, e2e],
        )?
        .is_some())
}

/// (IBAN, partner) of every active bank account.
pub fn bankverbindungen(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<(String, i64)>> {
    sql.query(
        "SELECT iban, partner FROM fin_bankverbindung WHERE mandant = ? AND aktiv = 1",
        &params![mandant],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.i64(1)?)))
    .collect()
}

/// (id, name, vorname) of every Geschäftspartner.
pub fn partnernamen(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<(i64, String, String)>> {
    sql.query(
        "SELECT id, name, vorname FROM fin_partner WHERE mandant = ?",
        &params![mandant],
    )?
    .iter()
    .map(|r| Ok((r.i64(0)?, r.str(1)?, r.str(2)?)))
    .collect()
}

/// (end-to-end id, Anordnung, line) of the items of live Zahlläufe.
pub fn zahllauf_posten(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<(String, i64, i64)>> {
    sql.query(
        "SELECT referenz, anordnung, lfd FROM fin_zahllauf_posten WHERE mandant = ? AND live = 1",
        &params![mandant],
    )?
    .iter()
    .map(|r| Ok((r.str(0)?, r.i64(1)?, r.i64(2)?)))
    .collect()
}

/// Which of `referenzen` are already imported entries of account `iban`.
pub fn umsaetze_vorhanden(
    sql: &mut dyn Sql,
    mandant: &str,
    iban: &str,
    referenzen: &[String],
) -> Result<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for part in referenzen.chunks(500) {
        let marks = vec!["?"; part.len()].join(", ");
        let mut p: Vec<Value> = vec![mandant.into(), iban.into()];
        p.extend(part.iter().map(|r| Value::from(r.as_str())));
        for r in sql.query(
            &format!(
                "SELECT referenz FROM fin_umsatz WHERE mandant = ? AND iban = ? AND referenz IN ({marks})"
            ),
            &p,
        )? {
            out.insert(r.str(0)?);
        }
    }
    Ok(out)
}

/// The next free id of `table` (fin_umsatz, fin_klaerung).
pub fn naechste_id(sql: &mut dyn Sql, mandant: &str, table: &str) -> Result<i64> {
    sql.query_one(
        &format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table} WHERE mandant = ?"),
        &params![mandant],
    )?
    .i64(0)
}

/// An entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UmsatzRow {
    pub id: i64,
    pub auszug: i64,
    pub iban: String,
    pub referenz: String,
    pub betrag: i64,
    /// `C` credit, `D` debit.
    pub soll_haben: String,
    pub buchungstag: NaiveDate,
    pub valuta: NaiveDate,
    pub verwendung: String,
    pub name: String,
    pub partner_iban: String,
    pub end_to_end: String,
    pub rueckgabegrund: String,
    pub entgelt: i64,
    /// `Z`, `K` or `R`.
    pub status: String,
    pub buchung: Option<i64>,
}

pub fn umsaetze_einfuegen(sql: &mut dyn Sql, mandant: &str, rows: &[UmsatzRow]) -> Result<()> {
    let rows: Vec<Vec<Value>> = rows
        .iter()
        .map(|u| {
            vec![
                mandant.into(),
                u.id.into(),
                u.auszug.into(),
                u.iban.as_str().into(),
                u.referenz.as_str().into(),
                u.betrag.into(),
                u.soll_haben.as_str().into(),
                u.buchungstag.into(),
                u.valuta.into(),
                u.verwendung.as_str().into(),
                u.name.as_str().into(),
                u.partner_iban.as_str().into(),
                u.end_to_end.as_str().into(),
                u.rueckgabegrund.as_str().into(),
                u.entgelt.into(),
                u.status.as_str().into(),
                Value::from(u.buchung),
            ]
        })
        .collect();
    insert_rows(
        sql,
        "fin_umsatz",
        "mandant, id, auszug, iban, referenz, betrag, soll_haben, buchungstag, valuta, verwendung, name, \
         partner_iban, end_to_end, rueckgabegrund, entgelt, status, buchung",
        &rows,
    )
}

const UMSATZ_COLS: &str = "id, auszug, iban, referenz, betrag, soll_haben, buchungstag, valuta, verwendung, name, \
     partner_iban, end_to_end, rueckgabegrund, entgelt, status, buchung";

fn umsatz_from(r: &crate::store::Row, b: usize) -> Result<UmsatzRow> {
    Ok(UmsatzRow {
        id: r.i64(b)?,
        auszug: r.i64(b + 1)?,
        iban: r.str(b + 2)?,
        referenz: r.str(b + 3)?,
        betrag: r.i64(b + 4)?,
        soll_haben: r.str(b + 5)?,
        buchungstag: r.date(b + 6)?,
        valuta: r.date(b + 7)?,
        verwendung: r.str(b + 8)?,
        name: r.str(b + 9)?,
        partner_iban: r.str(b + 10)?,
        end_to_end: r.str(b + 11)?,
        rueckgabegrund: r.str(b + 12)?,
        entgelt: r.i64(b + 13)?,
        status: r.str(b + 14)?,
        buchung: r.opt_i64(b + 15)?,
    })
}

pub fn umsatz(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<Option<UmsatzRow>> {
    sql.query_opt(
        &format!("SELECT {UMSATZ_COLS} FROM fin_umsatz WHERE mandant = ? AND id = ?"),
        &params![mandant, id],
    )?
    .map(|r| umsatz_from(&r, 0))
    .transpose()
}

/// The latest assigned credit entry with this end-to-end id.
pub fn gutschrift_zu_e2e(sql: &mut dyn Sql, mandant: &str, e2e: &str) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT id FROM fin_umsatz WHERE mandant = ? AND end_to_end = ? AND soll_haben = 'C' AND status = 'Z' \
         ORDER BY id DESC LIMIT 1",
        &params![mandant, e2e],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

/// The latest assigned credit entry of `betrag` applied to Anordnung `nr`.
pub fn gutschrift_zur_anordnung(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    betrag: i64,
) -> Result<Option<i64>> {
    sql.query_opt(
        "SELECT u.id FROM fin_umsatz u WHERE u.mandant = ? AND u.soll_haben = 'C' AND u.status = 'Z' AND u.betrag = ? \
         AND EXISTS (SELECT 1 FROM fin_umsatz_zuordnung z WHERE z.mandant = u.mandant AND z.umsatz = u.id AND z.anordnung = ?) \
         ORDER BY u.id DESC LIMIT 1",
        &params![mandant, betrag, nr],
    )?
    .map(|r| r.i64(0))
    .transpose()
}

/// The amounts an entry applied per due date (Anordnung, line, amount).
pub fn zuordnungen(sql: &mut dyn Sql, mandant: &str, umsatz: i64) -> Result<Vec<(i64, i64, i64)>> {
    sql.query(
        "SELECT anordnung, faelligkeit, SUM(betrag) FROM fin_umsatz_zuordnung WHERE mandant = ? AND umsatz = ? \
         GROUP BY anordnung, faelligkeit ORDER BY anordnung, faelligkeit",
        &params![mandant, umsatz],
    )?
    .iter()
    .map(|r| Ok((r.i64(0)?, r.i64(1)?, r.i64(2)?)))
    .collect()
}

/// An application row: (entry, line, Anordnung, due date, amount, Buchung).
pub type ZuordnungRow = (i64, i64, i64, i64, i64, Option<i64>);

/// Insert application rows.
pub fn zuordnung_einfuegen_rows(
    sql: &mut dyn Sql,
    mandant: &str,
    rows: &[ZuordnungRow],
) -> Result<()> {
    let rows: Vec<Vec<Value>> = rows
        .iter()
        .map(|(umsatz, lfd, anordnung, faelligkeit, betrag, buchung)| {
            vec![
                mandant.into(),
                (*umsatz).into(),
                (*lfd).into(),
                (*anordnung).into(),
                (*faelligkeit).into(),
                (*betrag).into(),
                Value::from(*buchung),
            ]
        })
        .collect();
    insert_rows(
        sql,
        "fin_umsatz_zuordnung",
        "mandant, umsatz, lfd, anordnung, faelligkeit, betrag, buchung",
        &rows,
    )
}

/// The next line number of an entry's application rows.
pub fn zuordnung_naechste_lfd(sql: &mut dyn Sql, mandant: &str, umsatz: i64) -> Result<i64> {
    sql.query_one(
        "SELECT COALESCE(MAX(lfd), 0) + 1 FROM fin_umsatz_zuordnung WHERE mandant = ? AND umsatz = ?",
        &params![mandant, umsatz],
    )?
    .i64(0)
}

/// Add `delta` cents to `bezahlt` of each due date (Anordnung, line, delta),
/// in multi-row statements.
pub fn bezahlt_aendern(sql: &mut dyn Sql, mandant: &str, deltas: &[(i64, i64, i64)]) -> Result<()> {
    for part in deltas.chunks(500) {
        let values = vec!["(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))"; part.len()]
            .join(", ");
        let mut p: Vec<Value> = Vec::with_capacity(part.len() * 3 + 1);
        for (a, l, d) in part {
            p.push((*a).into());
            p.push((*l).into());
            p.push((*d).into());
        }
        p.push(mandant.into());
        sql.execute(
            &format!(
                "UPDATE fin_faelligkeit AS f SET bezahlt = f.bezahlt + v.column3 FROM (VALUES {values}) AS v \
                 WHERE f.mandant = ? AND f.anordnung = v.column1 AND f.lfd = v.column2"
            ),
            &p,
        )?;
    }
    Ok(())
}

/// Add a due date of claim kind `art` to an Anordnung; returns its line.
pub fn faelligkeit_anfuegen(
    sql: &mut dyn Sql,
    mandant: &str,
    nr: i64,
    art: &str,
    faellig: NaiveDate,
    betrag: i64,
) -> Result<i64> {
    let lfd = sql
        .query_one(
            "SELECT COALESCE(MAX(lfd), 0) + 1 FROM fin_faelligkeit WHERE mandant = ? AND anordnung = ?",
            &params![mandant, nr],
        )?
        .i64(0)?;
    sql.execute(
        "INSERT INTO fin_faelligkeit (mandant, anordnung, lfd, faellig, betrag, art) VALUES (?, ?, ?, ?, ?, ?)",
        &params![mandant, nr, lfd, faellig, betrag, art],
    )?;
    Ok(lfd)
}

/// One entry of the Klärungsliste.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KlaerungRow {
    pub id: i64,
    pub umsatz: i64,
    pub betrag: i64,
    pub grund: String,
    /// `O` offen, `Z` zugeordnet, `E` erstattet.
    pub status: String,
    pub kassenzeichen: Option<String>,
    pub erledigt_von: Option<String>,
    pub erledigt_am: Option<String>,
}

pub fn klaerungen_einfuegen(sql: &mut dyn Sql, mandant: &str, rows: &[KlaerungRow]) -> Result<()> {
    let rows: Vec<Vec<Value>> = rows
        .iter()
        .map(|k| {
            vec![
                mandant.into(),
                k.id.into(),
                k.umsatz.into(),
                k.betrag.into(),
                k.grund.as_str().into(),
                k.status.as_str().into(),
                Value::from(k.kassenzeichen.as_deref()),
                Value::from(k.erledigt_von.as_deref()),
                Value::from(k.erledigt_am.as_deref()),
            ]
        })
        .collect();
    insert_rows(
        sql,
        "fin_klaerung",
        "mandant, id, umsatz, betrag, grund, status, kassenzeichen, erledigt_von, erledigt_am",
        &rows,
    )
}

const KLAERUNG_COLS: &str =
    "id, umsatz, betrag, grund, status, kassenzeichen, erledigt_von, erledigt_am";

fn klaerung_from(r: &crate::store::Row) -> Result<KlaerungRow> {
    Ok(KlaerungRow {
        id: r.i64(0)?,
        umsatz: r.i64(1)?,
        betrag: r.i64(2)?,
        grund: r.str(3)?,
        status: r.str(4)?,
        kassenzeichen: r.opt_str(5)?,
        erledigt_von: r.opt_str(6)?,
        erledigt_am: r.opt_str(7)?,
    })
}

/// The Klärungsliste with each entry's bank entry: open ones first, then by id.
pub fn klaerungen(sql: &mut dyn Sql, mandant: &str) -> Result<Vec<(KlaerungRow, UmsatzRow)>> {
    let cols: Vec<String> = KLAERUNG_COLS
        .split(", ")
        .map(|c| format!("k.{c}"))
        .collect();
    let ucols: Vec<String> = UMSATZ_COLS.split(", ").map(|c| format!("u.{c}")).collect();
    sql.query(
        &format!(
            "SELECT {}, {} FROM fin_klaerung k JOIN fin_umsatz u ON u.mandant = k.mandant AND u.id = k.umsatz \
             WHERE k.mandant = ? ORDER BY CASE WHEN k.status = 'O' THEN 0 ELSE 1 END, k.id",
            cols.join(", "),
            ucols.join(", ")
        ),
        &params![mandant],
    )?
    .iter()
    .map(|r| {
        let k = klaerung_from(r)?;
        let u = umsatz_from(r, 8)?;
        Ok((k, u))
    })
    .collect()
}

pub fn klaerung(sql: &mut dyn Sql, mandant: &str, id: i64) -> Result<Option<KlaerungRow>> {
    sql.query_opt(
        &format!("SELECT {KLAERUNG_COLS} FROM fin_klaerung WHERE mandant = ? AND id = ?"),
        &params![mandant, id],
    )?
    .map(|r| klaerung_from(&r))
    .transpose()
}

/// Close an open entry (status `Z` or `E`) with the amount that was settled;
/// false if it was no longer open.
#[allow(clippy::too_many_arguments)]
pub fn klaerung_erledigen(
    sql: &mut dyn Sql,
    mandant: &str,
    id: i64,
    status: &str,
    betrag: i64,
    kassenzeichen: &str,
    von: &str,
    am: &str,
) -> Result<bool> {
    Ok(sql.execute(
        "UPDATE fin_klaerung SET status = ?, betrag = ?, kassenzeichen = ?, erledigt_von = ?, erledigt_am = ? \
         WHERE mandant = ? AND id = ? AND status = 'O'",
        &params![status, betrag, kassenzeichen, von, am, mandant, id],
    )? == 1)
}

pub fn umsatz_status_setzen(sql: &mut dyn Sql, mandant: &str, id: i64, status: &str) -> Result<()> {
    sql.execute(
        "UPDATE fin_umsatz SET status = ? WHERE mandant = ? AND id = ?",
        &params![status, mandant, id],
    )?;
    Ok(())
}
