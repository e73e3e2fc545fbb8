-- PERSOS: the TVöD pay tables as data with validity, per Mandant, entered by
-- import (`kis persos tabelle import`). A block is one table (Entgelttabelle
-- or Jahressonderzahlung) valid from a day; it stays in force until the next
-- block. Amounts are BIGINT cents, rates decimal texts in percent.

CREATE TABLE persos_tarif_block (
    mandant TEXT NOT NULL,
    art TEXT NOT NULL CHECK (art IN ('ENTGELT', 'JSZ')),
    gueltig_ab TEXT NOT NULL,
    quelle TEXT NOT NULL,
    erfasst_von TEXT NOT NULL,
    erfasst_am TEXT NOT NULL,
    PRIMARY KEY (mandant, art, gueltig_ab)
);

CREATE TABLE persos_tarif_entgelt (
    mandant TEXT NOT NULL,
    gueltig_ab TEXT NOT NULL,
    eg TEXT NOT NULL,
    stufe BIGINT NOT NULL CHECK (stufe BETWEEN 1 AND 6),
    betrag BIGINT NOT NULL CHECK (betrag > 0),
    PRIMARY KEY (mandant, gueltig_ab, eg, stufe)
);

CREATE TABLE persos_tarif_jsz (
    mandant TEXT NOT NULL,
    gueltig_ab TEXT NOT NULL,
    eg TEXT NOT NULL,
    satz TEXT NOT NULL,
    PRIMARY KEY (mandant, gueltig_ab, eg)
);
