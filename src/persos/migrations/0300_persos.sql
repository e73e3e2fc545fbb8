-- PERSOS: employer data, Krankenkassen, employees, payroll runs and results.
-- Rates are decimal texts in percent ("2.90"), money is BIGINT cents.

CREATE TABLE persos_arbeitgeber (
    mandant TEXT NOT NULL PRIMARY KEY,
    betriebsnummer TEXT NOT NULL,
    name TEXT NOT NULL,
    anschrift TEXT NOT NULL,
    -- Bundesland of the Betriebsstätte (Kirchensteuersatz, Sachsen rule).
    bundesland TEXT NOT NULL,
    -- AAG U1 only for employers with at most 30 employees.
    u1_teilnahme BIGINT NOT NULL DEFAULT 0 CHECK (u1_teilnahme IN (0, 1)),
    zvk_name TEXT NOT NULL DEFAULT '',
    zvk_satz TEXT NOT NULL DEFAULT '0'
);

CREATE TABLE persos_kasse (
    mandant TEXT NOT NULL,
    betriebsnummer TEXT NOT NULL,
    name TEXT NOT NULL,
    zusatzbeitrag TEXT NOT NULL,
    u1_satz TEXT NOT NULL,
    u2_satz TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    PRIMARY KEY (mandant, betriebsnummer, valid_from)
);

CREATE TABLE persos_employee (
    mandant TEXT NOT NULL,
    personalnummer TEXT NOT NULL,
    name TEXT NOT NULL,
    vorname TEXT NOT NULL,
    search_key TEXT NOT NULL,
    sort_key {SORTKEY},
    strasse TEXT NOT NULL,
    plz TEXT NOT NULL,
    ort TEXT NOT NULL,
    geburtsdatum TEXT NOT NULL,
    geschlecht TEXT NOT NULL CHECK (geschlecht IN ('M', 'W', 'D', 'X')),
    rv_nummer TEXT NOT NULL,
    steuer_idnr TEXT NOT NULL,
    eintritt TEXT NOT NULL,
    austritt TEXT,
    oe TEXT NOT NULL,
    kostenstelle TEXT NOT NULL,
    produkt TEXT NOT NULL,
    iban TEXT NOT NULL,
    beschaeftigungsart TEXT NOT NULL,
    pgs TEXT NOT NULL,
    bgs TEXT NOT NULL,
    taetigkeit TEXT NOT NULL,
    stkl BIGINT NOT NULL CHECK (stkl BETWEEN 1 AND 6),
    faktor TEXT NOT NULL,
    zkf TEXT NOT NULL,
    konfession TEXT NOT NULL,
    konfession_ehegatte TEXT NOT NULL,
    freibetrag BIGINT NOT NULL,
    hinzurechnung BIGINT NOT NULL,
    kasse TEXT NOT NULL,
    pkv_kv BIGINT NOT NULL,
    pkv_pv BIGINT NOT NULL,
    privat BIGINT NOT NULL CHECK (privat IN (0, 1)),
    eltern BIGINT NOT NULL CHECK (eltern IN (0, 1)),
    kinder_u25 BIGINT NOT NULL,
    sachsen BIGINT NOT NULL CHECK (sachsen IN (0, 1)),
    eg TEXT NOT NULL,
    stufe BIGINT NOT NULL,
    stufe_ab TEXT,
    festbetrag BIGINT,
    arbeitszeitanteil TEXT NOT NULL,
    zulagen TEXT NOT NULL,
    vl_ag BIGINT NOT NULL,
    vl_abzug BIGINT NOT NULL,
    zvk BIGINT NOT NULL CHECK (zvk IN (0, 1)),
    version BIGINT NOT NULL,
    PRIMARY KEY (mandant, personalnummer)
);
CREATE INDEX persos_employee_sort ON persos_employee (mandant, sort_key);

-- One row per payroll run; at most one active run per Mandant and month.
CREATE TABLE persos_lauf (
    mandant TEXT NOT NULL,
    monat TEXT NOT NULL,
    lauf_nr BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('AKTIV', 'STORNIERT')),
    gestartet_von TEXT NOT NULL,
    gestartet_am TEXT NOT NULL,
    anzahl BIGINT NOT NULL,
    summe_brutto BIGINT NOT NULL,
    summe_auszahlung BIGINT NOT NULL,
    storniert_von TEXT,
    storniert_am TEXT,
    PRIMARY KEY (mandant, monat, lauf_nr)
);
CREATE UNIQUE INDEX persos_lauf_aktiv ON persos_lauf (mandant, monat) WHERE status = 'AKTIV';

-- One result per employee and run: the main figures as columns, the full
-- payslip and the inputs used as JSON.
CREATE TABLE persos_ergebnis (
    mandant TEXT NOT NULL,
    monat TEXT NOT NULL,
    lauf_nr BIGINT NOT NULL,
    personalnummer TEXT NOT NULL,
    sv_tage BIGINT NOT NULL,
    brutto BIGINT NOT NULL,
    steuer_laufend BIGINT NOT NULL,
    steuer_sonstig BIGINT NOT NULL,
    sv_kv BIGINT NOT NULL,
    sv_rv BIGINT NOT NULL,
    lohnsteuer BIGINT NOT NULL,
    soli BIGINT NOT NULL,
    kirchensteuer BIGINT NOT NULL,
    sv_an BIGINT NOT NULL,
    sv_ag BIGINT NOT NULL,
    umlagen BIGINT NOT NULL,
    netto BIGINT NOT NULL,
    auszahlung BIGINT NOT NULL,
    ag_kosten BIGINT NOT NULL,
    eingabe TEXT NOT NULL,
    ergebnis TEXT NOT NULL,
    PRIMARY KEY (mandant, monat, lauf_nr, personalnummer)
);
CREATE INDEX persos_ergebnis_pnr ON persos_ergebnis (mandant, personalnummer, monat);
