-- KIS kernel: Mandanten, users and roles, sessions, record locks, audit log,
-- code lists and the street directory. One SQL text for SQLite and PostgreSQL:
-- integers are BIGINT, dates and timestamps ISO text, flags 0/1.

CREATE TABLE mandant (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    ags         TEXT NOT NULL,
    bundesland  TEXT NOT NULL,
    anschrift   TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE kis_user (
    id            {ID},
    name          TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE user_role (
    user_id  BIGINT NOT NULL REFERENCES kis_user(id),
    mandant  TEXT NOT NULL REFERENCES mandant(id),
    role     TEXT NOT NULL,
    PRIMARY KEY (user_id, mandant, role)
);

CREATE TABLE kis_session (
    id          TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES kis_user(id),
    mandant     TEXT NOT NULL REFERENCES mandant(id),
    client      TEXT NOT NULL,
    mask        TEXT NOT NULL DEFAULT '',
    started_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);

CREATE TABLE record_lock (
    mandant     TEXT NOT NULL,
    entity      TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    since       TEXT NOT NULL,
    PRIMARY KEY (mandant, entity, record_key)
);

CREATE TABLE audit_head (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    mandant     TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (mandant, entity, record_key);

CREATE TABLE code_entry (
    mandant     TEXT NOT NULL REFERENCES mandant(id),
    list        TEXT NOT NULL,
    code        TEXT NOT NULL,
    short_text  TEXT NOT NULL,
    long_text   TEXT NOT NULL DEFAULT '',
    valid_from  TEXT NOT NULL DEFAULT '0001-01-01',
    valid_to    TEXT NOT NULL DEFAULT '9999-12-31',
    PRIMARY KEY (mandant, list, code, valid_from),
    CHECK (valid_from <= valid_to)
);

CREATE TABLE street (
    mandant     TEXT NOT NULL REFERENCES mandant(id),
    schluessel  TEXT NOT NULL,
    name        TEXT NOT NULL,
    search_key  TEXT NOT NULL,
    sort_key    {SORTKEY} NOT NULL,
    ortsteil    TEXT NOT NULL,
    plz         TEXT NOT NULL,
    ort         TEXT NOT NULL,
    valid_from  TEXT NOT NULL DEFAULT '0001-01-01',
    valid_to    TEXT NOT NULL DEFAULT '9999-12-31',
    version     BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (mandant, schluessel)
);
CREATE INDEX street_name ON street (mandant, search_key);
CREATE INDEX street_sort ON street (mandant, sort_key);

CREATE TABLE street_house (
    mandant     TEXT NOT NULL,
    schluessel  TEXT NOT NULL,
    hausnummer  BIGINT NOT NULL CHECK (hausnummer > 0),
    zusatz      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (mandant, schluessel, hausnummer, zusatz),
    FOREIGN KEY (mandant, schluessel) REFERENCES street(mandant, schluessel)
);
