-- FINAS Tagesabschluss: the closed cash days of a Mandant with the figures
-- checked at closing (stored, not recomputed), and the link of the
-- Stadtkasse's bank account to its Sachkonto in the Kasse settings.
-- One SQL text for SQLite and PostgreSQL.

-- The Sachkonto (class 1, e.g. 1811 Sichteinlagen) that carries the bank
-- account of fin_kasse_einstellung.iban in the journal; empty: not linked.
ALTER TABLE fin_kasse_einstellung ADD COLUMN bankkonto TEXT NOT NULL DEFAULT '';

-- One closed day. buchungen / soll_summe / haben_summe: the day's postings.
CREATE TABLE fin_tagesabschluss (
    mandant           TEXT NOT NULL,
    datum             TEXT NOT NULL,
    abgeschlossen_von TEXT NOT NULL,
    abgeschlossen_am  TEXT NOT NULL,
    buchungen         BIGINT NOT NULL CHECK (buchungen >= 0),
    soll_summe        BIGINT NOT NULL,
    haben_summe       BIGINT NOT NULL,
    CHECK (soll_summe = haben_summe),
    PRIMARY KEY (mandant, datum)
);

-- The Kassenbestand per Stadtkasse bank account at closing (cents), with
-- the closing balance of the bank statement it was compared with (NULL:
-- no statement was available).
CREATE TABLE fin_tagesabschluss_bestand (
    mandant  TEXT NOT NULL,
    datum    TEXT NOT NULL,
    iban     TEXT NOT NULL,
    konto    TEXT NOT NULL,
    bestand  BIGINT NOT NULL,
    auszug   BIGINT,
    PRIMARY KEY (mandant, datum, iban),
    FOREIGN KEY (mandant, datum) REFERENCES fin_tagesabschluss (mandant, datum),
    FOREIGN KEY (mandant, konto) REFERENCES fin_konto (mandant, nr)
);
