-- PERSOS: whether the employer owes the Insolvenzgeldumlage U3. Gemeinden
-- and other public employers that cannot become insolvent do not (§ 358
-- Abs. 1 Satz 2 SGB III); a municipal company kept as its own Mandant does.
ALTER TABLE persos_arbeitgeber ADD COLUMN u3_pflicht BIGINT NOT NULL DEFAULT 0 CHECK (u3_pflicht IN (0, 1));
