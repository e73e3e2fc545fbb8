-- FINAS Kasse (first part): Geschäftspartner with bank accounts and SEPA
-- mandates, the Mandant's Kasse settings (Gläubiger-ID, own bank account,
-- counter accounts), Annahme- and Auszahlungsanordnungen with their due
-- dates. One SQL text for SQLite and PostgreSQL.
--
-- The Vier-Augen-Prinzip is a database rule too: an Anordnung's releasing
-- user differs from its entering user (CHECK on fin_anordnung).

CREATE TABLE fin_kasse_einstellung (
    mandant               TEXT PRIMARY KEY,
    glaeubiger_id         TEXT NOT NULL,
    kontoinhaber          TEXT NOT NULL,
    iban                  TEXT NOT NULL,
    bic                   TEXT NOT NULL DEFAULT '',
    forderungskonto       TEXT NOT NULL,
    verbindlichkeitskonto TEXT NOT NULL
);

-- art: P natural person, F firm or authority.
CREATE TABLE fin_partner (
    mandant      TEXT NOT NULL,
    id           BIGINT NOT NULL,
    art          TEXT NOT NULL CHECK (art IN ('P', 'F')),
    name         TEXT NOT NULL,
    vorname      TEXT NOT NULL DEFAULT '',
    strasse      TEXT NOT NULL DEFAULT '',
    plz          TEXT NOT NULL DEFAULT '',
    ort          TEXT NOT NULL DEFAULT '',
    ewos_person  BIGINT,
    suchname     {SORTKEY} NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    erfasst_von  TEXT NOT NULL,
    erfasst_am   TEXT NOT NULL,
    PRIMARY KEY (mandant, id)
);
CREATE INDEX fin_partner_suchname ON fin_partner (mandant, suchname);
CREATE UNIQUE INDEX fin_partner_ewos ON fin_partner (mandant, ewos_person);

CREATE TABLE fin_bankverbindung (
    mandant   TEXT NOT NULL,
    partner   BIGINT NOT NULL,
    lfd       BIGINT NOT NULL,
    iban      TEXT NOT NULL,
    bic       TEXT NOT NULL DEFAULT '',
    inhaber   TEXT NOT NULL DEFAULT '',
    aktiv     BIGINT NOT NULL DEFAULT 1 CHECK (aktiv IN (0, 1)),
    PRIMARY KEY (mandant, partner, lfd),
    UNIQUE (mandant, partner, iban),
    FOREIGN KEY (mandant, partner) REFERENCES fin_partner (mandant, id)
);
CREATE INDEX fin_bankverbindung_iban ON fin_bankverbindung (mandant, iban);

-- A SEPA direct debit mandate (CORE). letzte_nutzung empty: the next
-- collection is the first (FRST), otherwise recurring (RCUR).
CREATE TABLE fin_mandat (
    mandant         TEXT NOT NULL,
    referenz        TEXT NOT NULL,
    partner         BIGINT NOT NULL,
    iban            TEXT NOT NULL,
    unterschrieben  TEXT NOT NULL,
    wiederkehrend   BIGINT NOT NULL CHECK (wiederkehrend IN (0, 1)),
    letzte_nutzung  TEXT,
    widerrufen      TEXT,
    PRIMARY KEY (mandant, referenz),
    FOREIGN KEY (mandant, partner) REFERENCES fin_partner (mandant, id)
);
CREATE INDEX fin_mandat_partner ON fin_mandat (mandant, partner);

-- art: A Annahmeanordnung (receivable), Z Auszahlungsanordnung (payable).
-- status: ERFASST, FREIGEGEBEN (posted as buchung), STORNIERT (a released
-- one reversed by storno_buchung).
CREATE TABLE fin_anordnung (
    mandant          TEXT NOT NULL,
    nr               BIGINT NOT NULL,
    art              TEXT NOT NULL CHECK (art IN ('A', 'Z')),
    partner          BIGINT NOT NULL,
    kassenzeichen    TEXT NOT NULL,
    produkt          TEXT NOT NULL,
    konto            TEXT NOT NULL,
    kostenstelle     TEXT,
    gegenkonto       TEXT NOT NULL,
    text             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('ERFASST', 'FREIGEGEBEN', 'STORNIERT')),
    version          BIGINT NOT NULL DEFAULT 1,
    erfasst_von      TEXT NOT NULL,
    erfasst_am       TEXT NOT NULL,
    freigegeben_von  TEXT,
    freigegeben_am   TEXT,
    buchung          BIGINT,
    storniert_von    TEXT,
    storniert_am     TEXT,
    storno_buchung   BIGINT,
    PRIMARY KEY (mandant, nr),
    UNIQUE (mandant, kassenzeichen),
    CHECK (freigegeben_von IS NULL OR freigegeben_von <> erfasst_von),
    FOREIGN KEY (mandant, partner) REFERENCES fin_partner (mandant, id)
);
CREATE INDEX fin_anordnung_partner ON fin_anordnung (mandant, partner);

-- The due dates of an Anordnung (Sollstellungen); bezahlt is what the
-- Kasse has received or paid on it.
CREATE TABLE fin_faelligkeit (
    mandant    TEXT NOT NULL,
    anordnung  BIGINT NOT NULL,
    lfd        BIGINT NOT NULL,
    faellig    TEXT NOT NULL,
    betrag     BIGINT NOT NULL CHECK (betrag > 0),
    bezahlt    BIGINT NOT NULL DEFAULT 0 CHECK (bezahlt >= 0 AND bezahlt <= betrag),
    PRIMARY KEY (mandant, anordnung, lfd),
    FOREIGN KEY (mandant, anordnung) REFERENCES fin_anordnung (mandant, nr)
);
CREATE INDEX fin_faelligkeit_faellig ON fin_faelligkeit (mandant, faellig);
