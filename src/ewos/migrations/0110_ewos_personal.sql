-- Links of residents to employees of the payroll (PERSOS) made by the
-- Meldebehörde, typically for a person with a Sperre whom the payroll office
-- cannot link itself: for such a person the register address never flows
-- into PERSOS.
CREATE TABLE ewo_personal_link (
    mandant        TEXT NOT NULL,
    person_id      BIGINT NOT NULL,
    personalnummer TEXT NOT NULL,
    erfasst_am     TEXT NOT NULL,
    benutzer       TEXT NOT NULL,
    PRIMARY KEY (mandant, person_id, personalnummer)
);
