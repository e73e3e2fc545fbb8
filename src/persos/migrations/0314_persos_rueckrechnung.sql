-- PERSOS Rückrechnung: a correction run replaces an already paid run of an
-- earlier month; what each employee gets more or less is kept as a
-- Differenz and paid with (set off against) the next regular run.
ALTER TABLE persos_lauf ADD COLUMN art TEXT NOT NULL DEFAULT 'REGULAER' CHECK (art IN ('REGULAER', 'RUECKRECHNUNG'));

CREATE TABLE persos_differenz (
    mandant TEXT NOT NULL,
    -- The corrected month and its correction run.
    monat TEXT NOT NULL,
    lauf_nr BIGINT NOT NULL,
    personalnummer TEXT NOT NULL,
    -- New minus old payout in cents (negative: overpaid).
    betrag BIGINT NOT NULL,
    -- The regular run that paid or set off the difference.
    ausgeglichen_monat TEXT,
    ausgeglichen_lauf BIGINT,
    PRIMARY KEY (mandant, monat, lauf_nr, personalnummer)
);
CREATE INDEX persos_differenz_offen ON persos_differenz (mandant, ausgeglichen_monat, personalnummer);
