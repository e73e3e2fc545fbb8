-- EWOS Melderegister (BMG): persons, names, dwellings, family links,
-- nationalities, blocks, history, Auskunft protocol, documents,
-- transmissions and the clarification list. Ids come from ewo_counter so
-- bulk loads can allocate ranges; every key starts with the Mandant.

CREATE TABLE ewo_counter (
    mandant TEXT NOT NULL,
    name    TEXT NOT NULL,
    next_id BIGINT NOT NULL,
    PRIMARY KEY (mandant, name)
);

CREATE TABLE ewo_person (
    mandant             TEXT NOT NULL,
    id                  BIGINT NOT NULL,
    familienname        TEXT NOT NULL,
    vornamen            TEXT NOT NULL,
    rufname             TEXT NOT NULL DEFAULT '',
    doktorgrad          TEXT NOT NULL DEFAULT '',
    ordensname          TEXT NOT NULL DEFAULT '',
    geburtsdatum        TEXT NOT NULL,
    geburtsort          TEXT NOT NULL DEFAULT '',
    geburtsstaat        TEXT NOT NULL DEFAULT '',
    geschlecht          TEXT NOT NULL CHECK (geschlecht IN ('m', 'w', 'd', 'x')),
    religion            TEXT NOT NULL DEFAULT '--',
    familienstand       TEXT NOT NULL DEFAULT 'LD',
    familienstand_datum TEXT,
    familienstand_ort   TEXT NOT NULL DEFAULT '',
    familienstand_staat TEXT NOT NULL DEFAULT '',
    idnr                TEXT,
    status              TEXT NOT NULL CHECK (status IN ('aktiv', 'weggezogen', 'verstorben', 'unbekannt')),
    status_datum        TEXT,
    zuzug_von           TEXT NOT NULL DEFAULT '',
    zuzug_staat         TEXT NOT NULL DEFAULT '',
    wegzug_nach         TEXT NOT NULL DEFAULT '',
    wegzug_staat        TEXT NOT NULL DEFAULT '',
    sterbedatum         TEXT,
    sterbeort           TEXT NOT NULL DEFAULT '',
    archiviert          BIGINT NOT NULL DEFAULT 0,
    archiv_datum        TEXT,
    search_key          {SORTKEY} NOT NULL,
    vorname_key         TEXT NOT NULL,
    sort_key            {SORTKEY} NOT NULL,
    version             BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (mandant, id)
);
CREATE INDEX ewo_person_sort ON ewo_person (mandant, sort_key);
CREATE INDEX ewo_person_geb ON ewo_person (mandant, geburtsdatum);
CREATE INDEX ewo_person_status ON ewo_person (mandant, status, status_datum);
CREATE INDEX ewo_person_idnr ON ewo_person (mandant, idnr);

-- Former names: G = Geburtsname, E = früherer Ehename, F = other former name.
CREATE TABLE ewo_name (
    mandant    TEXT NOT NULL,
    person_id  BIGINT NOT NULL,
    lfd        BIGINT NOT NULL,
    art        TEXT NOT NULL CHECK (art IN ('G', 'E', 'F')),
    name       TEXT NOT NULL,
    bis        TEXT,
    PRIMARY KEY (mandant, person_id, lfd)
);

-- Search keys over current AND former names: S = search_key (prefix),
-- P = Kölner Phonetik code of one name part; A/B the same for persons
-- archived under §14(2) (found only by the archive role). Distinct per
-- person. The person's DIN 5007 sort key is repeated here so a name search
-- reads its page in list order from one index, without touching ewo_person.
CREATE TABLE ewo_name_key (
    mandant    TEXT NOT NULL,
    art        TEXT NOT NULL CHECK (art IN ('S', 'P', 'A', 'B')),
    schluessel {SORTKEY} NOT NULL,
    person_id  BIGINT NOT NULL,
    sort_key   {SORTKEY} NOT NULL,
    PRIMARY KEY (mandant, art, schluessel, person_id)
);
CREATE INDEX ewo_name_key_sort ON ewo_name_key (mandant, art, schluessel, sort_key, person_id);
-- For short prefixes with many hits: walk the keys in list order and stop
-- after the page instead of sorting every hit (the planner picks per query).
CREATE INDEX ewo_name_key_order ON ewo_name_key (mandant, art, sort_key, person_id, schluessel);
CREATE INDEX ewo_name_key_person ON ewo_name_key (mandant, person_id);

CREATE TABLE ewo_staat (
    mandant   TEXT NOT NULL,
    person_id BIGINT NOT NULL,
    staat     TEXT NOT NULL,
    quelle    TEXT NOT NULL DEFAULT '',
    seit      TEXT,
    PRIMARY KEY (mandant, person_id, staat)
);

-- Dwellings: art H = Hauptwohnung, N = Nebenwohnung. A dwelling here refers
-- to the street directory; a dwelling elsewhere has only anschrift_text.
CREATE TABLE ewo_wohnung (
    mandant        TEXT NOT NULL,
    id             BIGINT NOT NULL,
    person_id      BIGINT NOT NULL,
    art            TEXT NOT NULL CHECK (art IN ('H', 'N')),
    strasse        TEXT,
    hausnummer     BIGINT,
    zusatz         TEXT NOT NULL DEFAULT '',
    lage           TEXT NOT NULL DEFAULT '',
    anschrift_text TEXT NOT NULL DEFAULT '',
    einzug         TEXT NOT NULL,
    auszug         TEXT,
    anmeldedatum   TEXT NOT NULL,
    abmeldedatum   TEXT,
    quelle         TEXT NOT NULL,
    verspaetet     BIGINT NOT NULL DEFAULT 0,
    wgb_name       TEXT NOT NULL DEFAULT '',
    wgb_anschrift  TEXT NOT NULL DEFAULT '',
    wgb_datum      TEXT,
    wgb_fehlt      BIGINT NOT NULL DEFAULT 0,
    haushalt       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (mandant, id)
);
CREATE INDEX ewo_wohnung_person ON ewo_wohnung (mandant, person_id, auszug);
CREATE INDEX ewo_wohnung_addr ON ewo_wohnung (mandant, strasse, hausnummer, zusatz);

-- Family links, stored once: EHE/LP between spouses/partners, ELTERN with
-- person_a = parent (gesetzlicher Vertreter while the child is a minor),
-- VORMUND/BETREUER with person_a = representative.
CREATE TABLE ewo_bindung (
    mandant    TEXT NOT NULL,
    id         BIGINT NOT NULL,
    art        TEXT NOT NULL CHECK (art IN ('EHE', 'LP', 'ELTERN', 'VORMUND', 'BETREUER')),
    person_a   BIGINT NOT NULL,
    person_b   BIGINT NOT NULL,
    ab         TEXT,
    bis        TEXT,
    PRIMARY KEY (mandant, id)
);
CREATE INDEX ewo_bindung_a ON ewo_bindung (mandant, person_a);
CREATE INDEX ewo_bindung_b ON ewo_bindung (mandant, person_b);

CREATE TABLE ewo_sperre (
    mandant    TEXT NOT NULL,
    id         BIGINT NOT NULL,
    person_id  BIGINT NOT NULL,
    art        TEXT NOT NULL,
    grund      TEXT NOT NULL DEFAULT '',
    behoerde   TEXT NOT NULL DEFAULT '',
    ab         TEXT NOT NULL,
    bis        TEXT,
    erfasst_am TEXT NOT NULL,
    benutzer   TEXT NOT NULL,
    PRIMARY KEY (mandant, id)
);
CREATE INDEX ewo_sperre_person ON ewo_sperre (mandant, person_id);

-- Field history: every change with valid-from date, entry time, source, user.
CREATE TABLE ewo_historie (
    mandant    TEXT NOT NULL,
    id         BIGINT NOT NULL,
    person_id  BIGINT NOT NULL,
    feld       TEXT NOT NULL,
    alt        TEXT,
    neu        TEXT,
    gueltig_ab TEXT NOT NULL,
    erfasst_am TEXT NOT NULL,
    quelle     TEXT NOT NULL,
    benutzer   TEXT NOT NULL,
    bemerkung  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (mandant, id)
);
CREATE INDEX ewo_historie_person ON ewo_historie (mandant, person_id, feld);

-- §40 protocol of Auskünfte and refusals.
CREATE TABLE ewo_auskunft (
    mandant     TEXT NOT NULL,
    id          BIGINT NOT NULL,
    person_id   BIGINT,
    zeit        TEXT NOT NULL,
    benutzer    TEXT NOT NULL,
    art         TEXT NOT NULL,
    anfragender TEXT NOT NULL,
    zweck       TEXT NOT NULL,
    suchdaten   TEXT NOT NULL,
    daten       TEXT NOT NULL,
    ergebnis    TEXT NOT NULL,
    grund       TEXT NOT NULL DEFAULT '',
    person_informiert BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (mandant, id)
);
CREATE INDEX ewo_auskunft_person ON ewo_auskunft (mandant, person_id);

-- Documents produced (Meldebestätigung, Meldebescheinigung, Mitteilungen).
CREATE TABLE ewo_dokument (
    mandant   TEXT NOT NULL,
    id        BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    art       TEXT NOT NULL,
    erstellt  TEXT NOT NULL,
    benutzer  TEXT NOT NULL,
    text      TEXT NOT NULL,
    PRIMARY KEY (mandant, id)
);
CREATE INDEX ewo_dokument_person ON ewo_dokument (mandant, person_id);

-- Data transmissions (Rückmeldung §33 and later the others of section 9).
CREATE TABLE ewo_uebermittlung (
    mandant    TEXT NOT NULL,
    id         BIGINT NOT NULL,
    richtung   TEXT NOT NULL CHECK (richtung IN ('AUS', 'EIN')),
    art        TEXT NOT NULL,
    person_id  BIGINT,
    partner    TEXT NOT NULL,
    inhalt     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('erstellt', 'gesendet', 'quittiert', 'Fehler')),
    erstellt   TEXT NOT NULL,
    PRIMARY KEY (mandant, id)
);
CREATE INDEX ewo_uebermittlung_person ON ewo_uebermittlung (mandant, person_id);

-- Clarification list (Klärungsfälle): incoming messages that did not match.
CREATE TABLE ewo_klaerung (
    mandant  TEXT NOT NULL,
    id       BIGINT NOT NULL,
    art      TEXT NOT NULL,
    daten    TEXT NOT NULL,
    grund    TEXT NOT NULL,
    erstellt TEXT NOT NULL,
    erledigt BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (mandant, id)
);
