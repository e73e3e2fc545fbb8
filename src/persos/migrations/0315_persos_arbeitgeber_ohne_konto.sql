-- The net pay is paid by the FINAS Kasse's Zahllauf from the Stadtkasse's
-- account of the Kasse settings (fin_kasse_einstellung); the employer's
-- own paying account, used only by the former PERSOS SEPA file, goes.
ALTER TABLE persos_arbeitgeber DROP COLUMN iban;
ALTER TABLE persos_arbeitgeber DROP COLUMN bic;
