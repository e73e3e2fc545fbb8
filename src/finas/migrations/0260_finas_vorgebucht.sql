-- FINAS Kasse: Auszahlungsanordnungen of another procedure whose expense
-- and liability that procedure has already posted (the payroll run's
-- Buchung posts the net pay as Verbindlichkeit). One SQL text for SQLite
-- and PostgreSQL.
--
-- vorgebucht: the Buchung that already posted the Anordnung; its release
-- posts nothing again and links to that Buchung, and it is cancelled only
-- together with that Buchung (by the procedure that made it).
-- iban: the payee's account fixed when the Anordnung was entered (a
-- later change of the partner's accounts does not redirect it); empty:
-- the partner's first active account.
-- zweckcode: the ISO 20022 purpose code of the credit transfer (Purp/Cd),
-- e.g. SALA for salaries.
ALTER TABLE fin_anordnung ADD COLUMN vorgebucht BIGINT;
ALTER TABLE fin_anordnung ADD COLUMN iban TEXT;
ALTER TABLE fin_anordnung ADD COLUMN zweckcode TEXT CHECK (zweckcode IS NULL OR length(zweckcode) = 4);
CREATE INDEX fin_anordnung_vorgebucht ON fin_anordnung (mandant, vorgebucht);

-- A stable key of a partner kept by another procedure, e.g.
-- 'PERSOS:01001' for an employee (found again by it, never typed).
ALTER TABLE fin_partner ADD COLUMN schluessel TEXT;
CREATE UNIQUE INDEX fin_partner_schluessel ON fin_partner (mandant, schluessel);
