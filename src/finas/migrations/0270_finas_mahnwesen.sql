-- FINAS Mahnwesen: the Mandant's dunning settings, Mahnsperren, and the
-- Mahnlauf as a record (runs, one Mahnung per debtor, its items). One SQL
-- text for SQLite and PostgreSQL; money in integer cents.
--
-- The same item is never dunned twice at the same Mahnstufe: the partial
-- unique index fin_mahnposten_stufe (an item leaves it when its run is
-- cancelled).

-- karenz_tage: days after the due date before an item is dunned;
-- bagatell: a debtor whose dunnable total is below it is not dunned;
-- gebuehr_*: the Mahngebühr per Mahnung, fixed (gebuehr_prozent_bp = 0) or
-- a percentage in basis points of the Mahnbetrag with minimum and maximum;
-- stufen: number of Mahnstufen, abstand_tage: days between two of them;
-- zahlungsfrist_tage: the deadline the Mahnung sets; ertragskonto: the
-- Ertrag of Mahngebühren and Säumniszuschläge; terminverlust: 1 when a
-- missed instalment ends a Stundung; zinsertragskonto: Stundungszinsen
-- (AO § 234); abschreibungskonto: Erlass and unbefristete Niederschlagung;
-- wertaufholungskonto: a revived Niederschlagung.
CREATE TABLE fin_mahn_einstellung (
    mandant             TEXT PRIMARY KEY,
    karenz_tage         BIGINT NOT NULL CHECK (karenz_tage >= 0),
    bagatell            BIGINT NOT NULL CHECK (bagatell >= 0),
    gebuehr_fest        BIGINT NOT NULL CHECK (gebuehr_fest >= 0),
    gebuehr_prozent_bp  BIGINT NOT NULL CHECK (gebuehr_prozent_bp >= 0),
    gebuehr_min         BIGINT NOT NULL CHECK (gebuehr_min >= 0),
    gebuehr_max         BIGINT NOT NULL CHECK (gebuehr_max >= gebuehr_min),
    stufen              BIGINT NOT NULL CHECK (stufen >= 1),
    abstand_tage        BIGINT NOT NULL CHECK (abstand_tage >= 1),
    zahlungsfrist_tage  BIGINT NOT NULL CHECK (zahlungsfrist_tage >= 1),
    ertragskonto        TEXT NOT NULL,
    terminverlust       BIGINT NOT NULL CHECK (terminverlust IN (0, 1)),
    zinsertragskonto    TEXT NOT NULL,
    abschreibungskonto  TEXT NOT NULL,
    wertaufholungskonto TEXT NOT NULL
);

-- A Mahnsperre for a debtor (anordnung NULL) or one Anordnung, until `bis`
-- inclusive; lifted early by aufgehoben_*.
CREATE TABLE fin_mahnsperre (
    mandant        TEXT NOT NULL,
    id             BIGINT NOT NULL,
    partner        BIGINT NOT NULL,
    anordnung      BIGINT,
    grund          TEXT NOT NULL,
    bis            TEXT NOT NULL,
    erfasst_von    TEXT NOT NULL,
    erfasst_am     TEXT NOT NULL,
    aufgehoben_von TEXT,
    aufgehoben_am  TEXT,
    PRIMARY KEY (mandant, id),
    FOREIGN KEY (mandant, partner) REFERENCES fin_partner (mandant, id)
);
CREATE INDEX fin_mahnsperre_partner ON fin_mahnsperre (mandant, partner);

-- status: ENTWURF (computed, may be cancelled), VERSANDT (fees and
-- Säumniszuschläge posted as open items), STORNIERT.
CREATE TABLE fin_mahnlauf (
    mandant       TEXT NOT NULL,
    nr            BIGINT NOT NULL,
    datum         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('ENTWURF', 'VERSANDT', 'STORNIERT')),
    erstellt_von  TEXT NOT NULL,
    erstellt_am   TEXT NOT NULL,
    versandt_von  TEXT,
    versandt_am   TEXT,
    buchung       BIGINT,
    storniert_von TEXT,
    storniert_am  TEXT,
    PRIMARY KEY (mandant, nr)
);

-- One Mahnung: a debtor in a run, with its fee and payment deadline.
CREATE TABLE fin_mahnung (
    mandant      TEXT NOT NULL,
    mahnlauf     BIGINT NOT NULL,
    partner      BIGINT NOT NULL,
    stufe        BIGINT NOT NULL CHECK (stufe >= 1),
    gebuehr      BIGINT NOT NULL CHECK (gebuehr >= 0),
    frist        TEXT NOT NULL,
    PRIMARY KEY (mandant, mahnlauf, partner),
    FOREIGN KEY (mandant, mahnlauf) REFERENCES fin_mahnlauf (mandant, nr),
    FOREIGN KEY (mandant, partner) REFERENCES fin_partner (mandant, id)
);

-- One dunned due date: its open rest on the run's day, the Mahnstufe, the
-- Säumniszuschlag charged by this run (on top of earlier runs') and the
-- months counted. live: 1 unless the run is cancelled.
CREATE TABLE fin_mahnposten (
    mandant    TEXT NOT NULL,
    mahnlauf   BIGINT NOT NULL,
    partner    BIGINT NOT NULL,
    anordnung  BIGINT NOT NULL,
    lfd        BIGINT NOT NULL,
    stufe      BIGINT NOT NULL CHECK (stufe >= 1),
    rest       BIGINT NOT NULL CHECK (rest > 0),
    saeumnis   BIGINT NOT NULL CHECK (saeumnis >= 0),
    monate     BIGINT NOT NULL CHECK (monate >= 0),
    live       BIGINT NOT NULL DEFAULT 1 CHECK (live IN (0, 1)),
    PRIMARY KEY (mandant, mahnlauf, anordnung, lfd),
    FOREIGN KEY (mandant, mahnlauf, partner) REFERENCES fin_mahnung (mandant, mahnlauf, partner)
);
-- No foreign key to fin_faelligkeit: a run writes 100,000 items, and on
-- PostgreSQL a key check (a locking lookup) per row costs more than the
-- run itself; the service writes only due dates it read in the same
-- transaction, and due dates are never deleted. The unique index also
-- serves the lookups of an item's Mahnungen (all of them ask for live ones).
CREATE UNIQUE INDEX fin_mahnposten_stufe ON fin_mahnposten (mandant, anordnung, lfd, stufe) WHERE live = 1;

-- abgesetzt: the part of a due date taken off its Soll by a decision — an
-- Erlass (§ 227 AO: the claim ends) or a Stundung (the rest moves into the
-- Stundung's instalments). Open is betrag − bezahlt − abgesetzt.
ALTER TABLE fin_faelligkeit ADD COLUMN abgesetzt BIGINT NOT NULL DEFAULT 0 CHECK (abgesetzt >= 0 AND bezahlt + abgesetzt <= betrag);

-- A Stundung (AO § 222) of the open main claims of one Anordnung: from
-- `beginn`, in instalments; status AKTIV, ERLEDIGT (all paid), VERFALLEN
-- (an instalment missed, Terminverlust), WIDERRUFEN.
CREATE TABLE fin_stundung (
    mandant        TEXT NOT NULL,
    id             BIGINT NOT NULL,
    anordnung      BIGINT NOT NULL,
    beginn         TEXT NOT NULL,
    grund          TEXT NOT NULL,
    zinsen         BIGINT NOT NULL CHECK (zinsen >= 0),
    zinsfrei_grund TEXT,
    status         TEXT NOT NULL CHECK (status IN ('AKTIV', 'ERLEDIGT', 'VERFALLEN', 'WIDERRUFEN')),
    buchung        BIGINT,
    erfasst_von    TEXT NOT NULL,
    erfasst_am     TEXT NOT NULL,
    beendet_von    TEXT,
    beendet_am     TEXT,
    beendet_grund  TEXT,
    PRIMARY KEY (mandant, id),
    FOREIGN KEY (mandant, anordnung) REFERENCES fin_anordnung (mandant, nr)
);
CREATE INDEX fin_stundung_anordnung ON fin_stundung (mandant, anordnung);

-- The due dates a Stundung took the rest of (their abgesetzt).
CREATE TABLE fin_stundung_posten (
    mandant    TEXT NOT NULL,
    stundung   BIGINT NOT NULL,
    anordnung  BIGINT NOT NULL,
    lfd        BIGINT NOT NULL,
    betrag     BIGINT NOT NULL CHECK (betrag > 0),
    PRIMARY KEY (mandant, stundung, lfd),
    FOREIGN KEY (mandant, stundung) REFERENCES fin_stundung (mandant, id),
    FOREIGN KEY (mandant, anordnung, lfd) REFERENCES fin_faelligkeit (mandant, anordnung, lfd)
);

-- The instalments: each a new due date (lfd) of the Anordnung, with the
-- full months and the interest counted on it.
CREATE TABLE fin_stundung_rate (
    mandant    TEXT NOT NULL,
    stundung   BIGINT NOT NULL,
    nr         BIGINT NOT NULL,
    anordnung  BIGINT NOT NULL,
    lfd        BIGINT NOT NULL,
    monate     BIGINT NOT NULL CHECK (monate >= 0),
    zinsen     BIGINT NOT NULL CHECK (zinsen >= 0),
    PRIMARY KEY (mandant, stundung, nr),
    FOREIGN KEY (mandant, stundung) REFERENCES fin_stundung (mandant, id),
    FOREIGN KEY (mandant, anordnung, lfd) REFERENCES fin_faelligkeit (mandant, anordnung, lfd)
);

-- Niederschlagung of an Anordnung's open claims: art B befristet (until
-- `bis`) or U unbefristet (written down, `buchung`); the claim stays and is
-- revived by wieder_*.
CREATE TABLE fin_niederschlagung (
    mandant        TEXT NOT NULL,
    id             BIGINT NOT NULL,
    anordnung      BIGINT NOT NULL,
    art            TEXT NOT NULL CHECK (art IN ('B', 'U')),
    bis            TEXT,
    betrag         BIGINT NOT NULL CHECK (betrag > 0),
    grund          TEXT NOT NULL,
    buchung        BIGINT,
    erfasst_von    TEXT NOT NULL,
    erfasst_am     TEXT NOT NULL,
    wieder_von     TEXT,
    wieder_am      TEXT,
    wieder_grund   TEXT,
    wieder_buchung BIGINT,
    PRIMARY KEY (mandant, id),
    FOREIGN KEY (mandant, anordnung) REFERENCES fin_anordnung (mandant, nr)
);
CREATE INDEX fin_niederschlagung_anordnung ON fin_niederschlagung (mandant, anordnung);

-- Erlass (AO § 227) of an amount of one due date: the claim ends.
CREATE TABLE fin_erlass (
    mandant     TEXT NOT NULL,
    id          BIGINT NOT NULL,
    anordnung   BIGINT NOT NULL,
    lfd         BIGINT NOT NULL,
    betrag      BIGINT NOT NULL CHECK (betrag > 0),
    grund       TEXT NOT NULL,
    buchung     BIGINT NOT NULL,
    erfasst_von TEXT NOT NULL,
    erfasst_am  TEXT NOT NULL,
    PRIMARY KEY (mandant, id),
    FOREIGN KEY (mandant, anordnung, lfd) REFERENCES fin_faelligkeit (mandant, anordnung, lfd)
);

-- Vollstreckungsübergabe: an export of vollstreckungsreife items; each item
-- is handed over once (fin_vollstreckung_posten's key).
CREATE TABLE fin_vollstreckung (
    mandant     TEXT NOT NULL,
    nr          BIGINT NOT NULL,
    datum       TEXT NOT NULL,
    erstellt_von TEXT NOT NULL,
    erstellt_am TEXT NOT NULL,
    PRIMARY KEY (mandant, nr)
);

CREATE TABLE fin_vollstreckung_posten (
    mandant     TEXT NOT NULL,
    uebergabe   BIGINT NOT NULL,
    anordnung   BIGINT NOT NULL,
    lfd         BIGINT NOT NULL,
    betrag      BIGINT NOT NULL CHECK (betrag > 0),
    PRIMARY KEY (mandant, anordnung, lfd),
    FOREIGN KEY (mandant, uebergabe) REFERENCES fin_vollstreckung (mandant, nr),
    FOREIGN KEY (mandant, anordnung, lfd) REFERENCES fin_faelligkeit (mandant, anordnung, lfd)
);
