-- FINAS Kasse: the Zahllauf. A run for an execution date collects the due
-- payables (SEPA credit transfer, pain.001) and the due receivables with a
-- valid mandate (SEPA direct debit, pain.008); the run, its files and its
-- items are stored, so that it can be listed, shown, reprinted (the same
-- bytes) and cancelled. One SQL text for SQLite and PostgreSQL.
--
-- The same due date can never be in two live runs: the partial unique index
-- fin_zahllauf_posten_live (an item leaves it when its run is cancelled).

-- The pain.001 version the Stadtkasse's bank takes ('09' pain.001.001.09,
-- the DK default; '03' pain.001.001.03 for banks that still want it) and
-- the days of pre-notification before a direct debit's collection date.
ALTER TABLE fin_kasse_einstellung ADD COLUMN pain001_version TEXT NOT NULL DEFAULT '09' CHECK (pain001_version IN ('09', '03'));
ALTER TABLE fin_kasse_einstellung ADD COLUMN vorabankuendigung_tage BIGINT NOT NULL DEFAULT 5 CHECK (vorabankuendigung_tage >= 0);

-- status: LIVE, STORNIERT.
CREATE TABLE fin_zahllauf (
    mandant        TEXT NOT NULL,
    nr             BIGINT NOT NULL,
    ausfuehrung    TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('LIVE', 'STORNIERT')),
    erstellt_von   TEXT NOT NULL,
    erstellt_am    TEXT NOT NULL,
    storniert_von  TEXT,
    storniert_am   TEXT,
    PRIMARY KEY (mandant, nr)
);

-- The files of a run as written (reprint gives the same bytes);
-- art: the message, e.g. 'pain.001.001.09'.
CREATE TABLE fin_zahllauf_datei (
    mandant   TEXT NOT NULL,
    zahllauf  BIGINT NOT NULL,
    art       TEXT NOT NULL,
    name      TEXT NOT NULL,
    anzahl    BIGINT NOT NULL,
    summe     BIGINT NOT NULL,
    inhalt    TEXT NOT NULL,
    PRIMARY KEY (mandant, zahllauf, art),
    FOREIGN KEY (mandant, zahllauf) REFERENCES fin_zahllauf (mandant, nr)
);

-- One due date paid or collected by a run. mandat/sequenz for direct
-- debits; mandat_vorher is the mandate's last use before this run (restored
-- when the run is cancelled). live: 1 while the run is live.
CREATE TABLE fin_zahllauf_posten (
    mandant        TEXT NOT NULL,
    zahllauf       BIGINT NOT NULL,
    anordnung      BIGINT NOT NULL,
    lfd            BIGINT NOT NULL,
    betrag         BIGINT NOT NULL CHECK (betrag > 0),
    referenz       TEXT NOT NULL,
    art            TEXT NOT NULL,
    mandat         TEXT,
    sequenz        TEXT CHECK (sequenz IS NULL OR sequenz IN ('FRST', 'RCUR', 'OOFF', 'FNAL')),
    mandat_vorher  TEXT,
    live           BIGINT NOT NULL DEFAULT 1 CHECK (live IN (0, 1)),
    PRIMARY KEY (mandant, zahllauf, anordnung, lfd),
    FOREIGN KEY (mandant, zahllauf) REFERENCES fin_zahllauf (mandant, nr),
    FOREIGN KEY (mandant, anordnung, lfd) REFERENCES fin_faelligkeit (mandant, anordnung, lfd)
);
CREATE UNIQUE INDEX fin_zahllauf_posten_live ON fin_zahllauf_posten (mandant, anordnung, lfd) WHERE live = 1;
