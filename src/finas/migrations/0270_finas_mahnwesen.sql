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
-- Ertrag of Mahngebühren and Säumniszuschläge.
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
    ertragskonto        TEXT NOT NULL
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
    FOREIGN KEY (mandant, mahnlauf, partner) REFERENCES fin_mahnung (mandant, mahnlauf, partner),
    FOREIGN KEY (mandant, anordnung, lfd) REFERENCES fin_faelligkeit (mandant, anordnung, lfd)
);
CREATE UNIQUE INDEX fin_mahnposten_stufe ON fin_mahnposten (mandant, anordnung, lfd, stufe) WHERE live = 1;
CREATE INDEX fin_mahnposten_posten ON fin_mahnposten (mandant, anordnung, lfd);
