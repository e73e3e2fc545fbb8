-- PERSOS → FINAS interface (PERSOS.md § 6): the account of the Stadtkasse
-- that pays the net pay, and per payroll run the FINAS Buchung, what its
-- liability lines stand for and the Auszahlungsanordnungen per employee.

-- Debtor of the SEPA credit transfers (IBAN and, optionally, BIC).
ALTER TABLE persos_arbeitgeber ADD COLUMN iban TEXT NOT NULL DEFAULT '';
ALTER TABLE persos_arbeitgeber ADD COLUMN bic TEXT NOT NULL DEFAULT '';

-- One row per run: its FINAS Buchung, the Storno Buchung once the run is
-- reversed, and the budget warnings of the posting (one per line).
CREATE TABLE persos_buchung (
    mandant TEXT NOT NULL,
    monat TEXT NOT NULL,
    lauf_nr BIGINT NOT NULL,
    buchung BIGINT NOT NULL,
    storno BIGINT,
    warnungen TEXT NOT NULL,
    PRIMARY KEY (mandant, monat, lauf_nr),
    FOREIGN KEY (mandant, monat, lauf_nr) REFERENCES persos_lauf (mandant, monat, lauf_nr)
);

-- The liability lines of a run's Buchung (Haben): to whom each is owed.
-- `lfd` is the line number in the FINAS Buchung; `glaeubiger` the
-- Betriebsnummer of a Krankenkasse, else empty.
CREATE TABLE persos_verbindlichkeit (
    mandant TEXT NOT NULL,
    monat TEXT NOT NULL,
    lauf_nr BIGINT NOT NULL,
    lfd BIGINT NOT NULL,
    art TEXT NOT NULL CHECK (art IN ('LOHNSTEUER', 'SOLI', 'KIRCHENSTEUER', 'SV', 'ZVK', 'VL', 'NETTO')),
    glaeubiger TEXT NOT NULL,
    name TEXT NOT NULL,
    konto TEXT NOT NULL,
    betrag BIGINT NOT NULL CHECK (betrag > 0),
    PRIMARY KEY (mandant, monat, lauf_nr, lfd),
    FOREIGN KEY (mandant, monat, lauf_nr) REFERENCES persos_buchung (mandant, monat, lauf_nr)
);

-- The Auszahlungsanordnungen of a run: the payout to each employee's
-- account as it was at the time of the run (name and IBAN are kept, so a
-- later change of the master data does not redirect a computed payment).
CREATE TABLE persos_auszahlung (
    mandant TEXT NOT NULL,
    monat TEXT NOT NULL,
    lauf_nr BIGINT NOT NULL,
    personalnummer TEXT NOT NULL,
    name TEXT NOT NULL,
    iban TEXT NOT NULL,
    betrag BIGINT NOT NULL CHECK (betrag > 0),
    PRIMARY KEY (mandant, monat, lauf_nr, personalnummer),
    FOREIGN KEY (mandant, monat, lauf_nr) REFERENCES persos_buchung (mandant, monat, lauf_nr)
);
