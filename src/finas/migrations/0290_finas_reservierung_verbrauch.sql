-- Mittelreservierungen used up by what they were made for (FINAS.md part 3):
-- a posting line, or the Auszahlungsanordnung it comes from, names the
-- reservation; the posting moves that amount (at most the unused rest)
-- from the Obligo into the Ist, so the verfügbare Mittel count it once.
-- Each use is a row; the Storno of the posting gives it back
-- (zurueck_durch = the Storno's Buchungsnummer) and the history stays.
ALTER TABLE fin_anordnung ADD COLUMN reservierung BIGINT;

CREATE TABLE fin_reservierung_verbrauch (
    mandant       TEXT NOT NULL,
    reservierung  BIGINT NOT NULL,
    buchung       BIGINT NOT NULL,
    betrag        BIGINT NOT NULL CHECK (betrag > 0),
    zurueck_durch BIGINT,
    PRIMARY KEY (mandant, buchung, reservierung)
);
CREATE INDEX fin_reservierung_verbrauch_res ON fin_reservierung_verbrauch (mandant, reservierung);
