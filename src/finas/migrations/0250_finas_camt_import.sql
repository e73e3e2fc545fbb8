-- FINAS Kasse: the camt.053 import. Two Kasse settings and an index.
--
-- verwahrkonto: the class-3 account of the Verwahrgelder (money received
-- but not yet assigned: the Klärungsliste; NKF-Kontenrahmen NRW 3721
-- "Durchlaufende Gelder und Verwahrgelder"). Its movements are fremde
-- Finanzmittel: they move the bank without an Einzahlung of the budget.
-- entgeltkonto: the class-5 account of the bank's fee for a returned direct
-- debit (demo 5431 Geschäftsaufwendungen); the fee is charged on to the
-- debtor as a new due date of art K on the same Anordnung.
ALTER TABLE fin_kasse_einstellung ADD COLUMN verwahrkonto TEXT NOT NULL DEFAULT '';
ALTER TABLE fin_kasse_einstellung ADD COLUMN entgeltkonto TEXT NOT NULL DEFAULT '';
-- tilgungsfolge: the order in which a payment that does not cover every
-- open due date of a Kassenzeichen is applied, as the claim kinds of
-- fin_faelligkeit.art. Default HKZS, the wording of AO § 225(2): the
-- claim itself (Steuern/Abgaben), then Kosten, Zinsen, Säumniszuschläge.
ALTER TABLE fin_kasse_einstellung ADD COLUMN tilgungsfolge TEXT NOT NULL DEFAULT 'HKZS';

-- A returned direct debit finds its collection by the end-to-end id.
CREATE INDEX fin_umsatz_e2e ON fin_umsatz (mandant, end_to_end);
