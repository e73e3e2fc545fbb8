-- FINAS Kasse: bank statements (camt.053), their entries, the application
-- of an entry to due dates and the Klärungsliste (Verwahrgeld). One SQL text
-- for SQLite and PostgreSQL; money in integer cents.
--
-- A double import is impossible: a statement is unique per Mandant, account
-- IBAN and Stmt/Id (and per electronic sequence number where given), an
-- entry per statement account and entry identity (AcctSvcrRef or a hash of
-- the entry's identifying fields).

-- art: the claim kind of a due date for the order of AO §225(2):
-- K Kosten, S Säumniszuschläge, Z Zinsen, H Hauptforderung.
ALTER TABLE fin_faelligkeit ADD COLUMN art TEXT NOT NULL DEFAULT 'H' CHECK (art IN ('K', 'S', 'Z', 'H'));

CREATE INDEX fin_faelligkeit_offen ON fin_faelligkeit (mandant, anordnung, faellig);

CREATE TABLE fin_kontoauszug (
    mandant          TEXT NOT NULL,
    id               BIGINT NOT NULL,
    iban             TEXT NOT NULL,
    auszug_id        TEXT NOT NULL,
    elektr_seq       BIGINT,
    datum            TEXT NOT NULL,
    anfangssaldo     BIGINT NOT NULL,
    schlusssaldo     BIGINT NOT NULL,
    nachricht        TEXT NOT NULL,
    importiert_von   TEXT NOT NULL,
    importiert_am    TEXT NOT NULL,
    PRIMARY KEY (mandant, id),
    UNIQUE (mandant, iban, auszug_id)
);
CREATE INDEX fin_kontoauszug_datum ON fin_kontoauszug (mandant, iban, datum);

-- soll_haben: C credit (receipt), D debit (payment).
-- status: Z zugeordnet, K Klärung, R Rücklastschrift.
CREATE TABLE fin_umsatz (
    mandant        TEXT NOT NULL,
    id             BIGINT NOT NULL,
    auszug         BIGINT NOT NULL,
    iban           TEXT NOT NULL,
    referenz       TEXT NOT NULL,
    betrag         BIGINT NOT NULL CHECK (betrag > 0),
    soll_haben     TEXT NOT NULL CHECK (soll_haben IN ('C', 'D')),
    buchungstag    TEXT NOT NULL,
    valuta         TEXT NOT NULL,
    verwendung     TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL DEFAULT '',
    partner_iban   TEXT NOT NULL DEFAULT '',
    end_to_end     TEXT NOT NULL DEFAULT '',
    rueckgabegrund TEXT NOT NULL DEFAULT '',
    entgelt        BIGINT NOT NULL DEFAULT 0,
    status         TEXT NOT NULL CHECK (status IN ('Z', 'K', 'R')),
    buchung        BIGINT,
    PRIMARY KEY (mandant, id),
    UNIQUE (mandant, iban, referenz),
    FOREIGN KEY (mandant, auszug) REFERENCES fin_kontoauszug (mandant, id)
);
CREATE INDEX fin_umsatz_auszug ON fin_umsatz (mandant, auszug);

-- An entry's amount applied to one due date (negative betrag: reversed by
-- a returned direct debit).
CREATE TABLE fin_umsatz_zuordnung (
    mandant    TEXT NOT NULL,
    umsatz     BIGINT NOT NULL,
    lfd        BIGINT NOT NULL,
    anordnung  BIGINT NOT NULL,
    faelligkeit BIGINT NOT NULL,
    betrag     BIGINT NOT NULL,
    buchung    BIGINT,
    PRIMARY KEY (mandant, umsatz, lfd),
    FOREIGN KEY (mandant, umsatz) REFERENCES fin_umsatz (mandant, id),
    FOREIGN KEY (mandant, anordnung, faelligkeit) REFERENCES fin_faelligkeit (mandant, anordnung, lfd)
);
CREATE INDEX fin_umsatz_zuordnung_fk ON fin_umsatz_zuordnung (mandant, anordnung, faelligkeit);

-- Klärungsliste (Verwahrgeld): an unmatched entry or the over-paid rest.
-- status: O offen, Z zugeordnet, E erstattet.
CREATE TABLE fin_klaerung (
    mandant        TEXT NOT NULL,
    id             BIGINT NOT NULL,
    umsatz         BIGINT NOT NULL,
    betrag         BIGINT NOT NULL CHECK (betrag > 0),
    grund          TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('O', 'Z', 'E')),
    kassenzeichen  TEXT,
    erledigt_von   TEXT,
    erledigt_am    TEXT,
    PRIMARY KEY (mandant, id),
    FOREIGN KEY (mandant, umsatz) REFERENCES fin_umsatz (mandant, id)
);
CREATE INDEX fin_klaerung_status ON fin_klaerung (mandant, status);
