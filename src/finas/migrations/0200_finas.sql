-- FINAS: master data, Haushaltsplan, Haushaltsüberwachung and the Doppik
-- journal. One SQL text for SQLite and PostgreSQL (see src/store/mod.rs).
--
-- The journal's balance is a database rule, not only a service rule, and it
-- works without triggers on both databases:
--  * fin_buchung (header) holds soll_summe and haben_summe with
--    CHECK (soll_summe = haben_summe);
--  * every line carries running totals (soll_vor/haben_vor before it,
--    soll_kum/haben_kum after it, CHECKed), and a foreign key to its
--    predecessor line's running totals, so lines 1..n form one gap-free chain;
--  * every line names the number of lines and the header total and refers to
--    the header with them (so lfd <= zeilen and the total are the header's),
--    and refers to the LAST line of its Buchung with (zeilen, summe, summe):
--    the chain must end in exactly the header's Soll and Haben totals.
-- The self-references are DEFERRABLE INITIALLY DEFERRED and are checked at
-- COMMIT, so a Buchung is inserted header first, then lines 1..n.

CREATE TABLE fin_einstellung (
    mandant        TEXT PRIMARY KEY,
    haushaltsart   TEXT NOT NULL CHECK (haushaltsart IN ('DOPPIK', 'KAMERAL')),
    kontenrahmen   TEXT NOT NULL,
    warnschwelle   BIGINT NOT NULL CHECK (warnschwelle BETWEEN 1 AND 100)
);

CREATE TABLE fin_haushaltsjahr (
    mandant     TEXT NOT NULL,
    jahr        BIGINT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('PLANUNG', 'BESCHLOSSEN', 'VORLAEUFIG', 'JAHRESABSCHLUSS', 'GESCHLOSSEN')),
    beschluss   TEXT,
    bemerkung   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (mandant, jahr)
);

CREATE TABLE fin_periode (
    mandant  TEXT NOT NULL,
    jahr     BIGINT NOT NULL,
    periode  BIGINT NOT NULL CHECK (periode BETWEEN 0 AND 16),
    status   TEXT NOT NULL CHECK (status IN ('OFFEN', 'GESCHLOSSEN')),
    PRIMARY KEY (mandant, jahr, periode),
    FOREIGN KEY (mandant, jahr) REFERENCES fin_haushaltsjahr (mandant, jahr)
);

CREATE TABLE fin_produkt (
    mandant         TEXT NOT NULL,
    nr              TEXT NOT NULL,
    bezeichnung     TEXT NOT NULL,
    ebene           BIGINT NOT NULL CHECK (ebene IN (1, 2, 3)),
    ober            TEXT,
    verantwortlich  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (mandant, nr),
    FOREIGN KEY (mandant, ober) REFERENCES fin_produkt (mandant, nr)
);

CREATE TABLE fin_planzeile (
    mandant      TEXT NOT NULL,
    plan         TEXT NOT NULL CHECK (plan IN ('E', 'F')),
    zeile        BIGINT NOT NULL,
    bezeichnung  TEXT NOT NULL,
    formel       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (mandant, plan, zeile)
);

CREATE TABLE fin_bilanzposition (
    mandant      TEXT NOT NULL,
    position     TEXT NOT NULL,
    seite        TEXT NOT NULL CHECK (seite IN ('A', 'P')),
    bezeichnung  TEXT NOT NULL,
    PRIMARY KEY (mandant, position)
);

-- typ: B Bestandskonto (Bilanz), E Ergebniskonto, F Finanzkonto,
-- A Abschlusskonto (class 8), K Kosten- und Leistungsrechnung (class 9).
-- zeile: Bilanzposition (B), Ergebnisplanzeile (E), Finanzplanzeile (F),
-- EBK/SBK/ERK/FRK (A).
CREATE TABLE fin_konto (
    mandant      TEXT NOT NULL,
    nr           TEXT NOT NULL,
    bezeichnung  TEXT NOT NULL,
    klasse       BIGINT NOT NULL CHECK (klasse BETWEEN 0 AND 9),
    typ          TEXT NOT NULL CHECK (typ IN ('B', 'E', 'F', 'A', 'K')),
    zeile        TEXT NOT NULL DEFAULT '',
    finanzkonto  TEXT,
    PRIMARY KEY (mandant, nr),
    FOREIGN KEY (mandant, finanzkonto) REFERENCES fin_konto (mandant, nr)
);

CREATE TABLE fin_kostenstelle (
    mandant      TEXT NOT NULL,
    nr           TEXT NOT NULL,
    bezeichnung  TEXT NOT NULL,
    PRIMARY KEY (mandant, nr)
);

CREATE TABLE fin_kameral_gliederung (
    mandant      TEXT NOT NULL,
    nr           TEXT NOT NULL,
    bezeichnung  TEXT NOT NULL,
    PRIMARY KEY (mandant, nr)
);

-- haushalt: V Verwaltungshaushalt, W Vermögenshaushalt; art: E Einnahme, A Ausgabe.
CREATE TABLE fin_kameral_gruppierung (
    mandant      TEXT NOT NULL,
    nr           TEXT NOT NULL,
    bezeichnung  TEXT NOT NULL,
    haushalt     TEXT NOT NULL CHECK (haushalt IN ('V', 'W')),
    art          TEXT NOT NULL CHECK (art IN ('E', 'A')),
    PRIMARY KEY (mandant, nr)
);

CREATE TABLE fin_nummernkreis (
    mandant  TEXT NOT NULL,
    art      TEXT NOT NULL,
    letzte   BIGINT NOT NULL,
    PRIMARY KEY (mandant, art)
);

CREATE TABLE fin_buchung (
    mandant      TEXT NOT NULL,
    nr           BIGINT NOT NULL,
    jahr         BIGINT NOT NULL,
    periode      BIGINT NOT NULL CHECK (periode BETWEEN 0 AND 16),
    datum        TEXT NOT NULL,
    beleg        TEXT NOT NULL,
    text         TEXT NOT NULL,
    storno_von   BIGINT,
    erfasst_von  TEXT NOT NULL,
    erfasst_am   TEXT NOT NULL,
    zeilen       BIGINT NOT NULL CHECK (zeilen >= 2),
    soll_summe   BIGINT NOT NULL CHECK (soll_summe > 0),
    haben_summe  BIGINT NOT NULL,
    CHECK (soll_summe = haben_summe),
    PRIMARY KEY (mandant, nr),
    UNIQUE (mandant, nr, zeilen, soll_summe, jahr),
    UNIQUE (mandant, storno_von),
    FOREIGN KEY (mandant, jahr) REFERENCES fin_haushaltsjahr (mandant, jahr),
    FOREIGN KEY (mandant, storno_von) REFERENCES fin_buchung (mandant, nr)
);

CREATE TABLE fin_buchungszeile (
    mandant       TEXT NOT NULL,
    buchung       BIGINT NOT NULL,
    lfd           BIGINT NOT NULL CHECK (lfd >= 1),
    lfd_vor       BIGINT,
    zeilen        BIGINT NOT NULL,
    summe         BIGINT NOT NULL,
    jahr          BIGINT NOT NULL,
    konto         TEXT NOT NULL,
    produkt       TEXT,
    kostenstelle  TEXT,
    soll          BIGINT NOT NULL CHECK (soll >= 0),
    haben         BIGINT NOT NULL CHECK (haben >= 0),
    soll_vor      BIGINT NOT NULL,
    haben_vor     BIGINT NOT NULL,
    soll_kum      BIGINT NOT NULL,
    haben_kum     BIGINT NOT NULL,
    CHECK ((soll > 0 AND haben = 0) OR (soll = 0 AND haben > 0)),
    CHECK (soll_kum = soll_vor + soll AND haben_kum = haben_vor + haben),
    CHECK ((lfd = 1 AND lfd_vor IS NULL AND soll_vor = 0 AND haben_vor = 0)
        OR (lfd > 1 AND lfd_vor = lfd - 1)),
    CHECK (lfd <= zeilen),
    PRIMARY KEY (mandant, buchung, lfd),
    UNIQUE (mandant, buchung, lfd, soll_kum, haben_kum),
    FOREIGN KEY (mandant, buchung, zeilen, summe, jahr)
        REFERENCES fin_buchung (mandant, nr, zeilen, soll_summe, jahr),
    FOREIGN KEY (mandant, buchung, lfd_vor, soll_vor, haben_vor)
        REFERENCES fin_buchungszeile (mandant, buchung, lfd, soll_kum, haben_kum)
        DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (mandant, buchung, zeilen, summe, summe)
        REFERENCES fin_buchungszeile (mandant, buchung, lfd, soll_kum, haben_kum)
        DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (mandant, konto) REFERENCES fin_konto (mandant, nr),
    FOREIGN KEY (mandant, produkt) REFERENCES fin_produkt (mandant, nr),
    FOREIGN KEY (mandant, kostenstelle) REFERENCES fin_kostenstelle (mandant, nr)
);
CREATE INDEX fin_buchungszeile_konto ON fin_buchungszeile (mandant, jahr, konto, buchung);

-- Per account, Produkt and period the Soll and Haben totals, updated in the
-- same transaction as every posting (produkt '' = none): the Summen- und
-- Saldenliste, the statements and the budget figures read this small table
-- instead of aggregating millions of lines. `kis finas pruefen` recomputes it
-- from the lines.
CREATE TABLE fin_summe (
    mandant  TEXT NOT NULL,
    jahr     BIGINT NOT NULL,
    konto    TEXT NOT NULL,
    produkt  TEXT NOT NULL,
    periode  BIGINT NOT NULL,
    soll     BIGINT NOT NULL,
    haben    BIGINT NOT NULL,
    PRIMARY KEY (mandant, jahr, konto, produkt, periode)
);

CREATE TABLE fin_planversion (
    mandant      TEXT NOT NULL,
    jahr         BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    nachtrag     BIGINT NOT NULL CHECK (nachtrag >= 0),
    status       TEXT NOT NULL CHECK (status IN ('ENTWURF', 'BESCHLOSSEN')),
    bezeichnung  TEXT NOT NULL,
    beschluss    TEXT,
    angelegt_von TEXT NOT NULL,
    angelegt_am  TEXT NOT NULL,
    PRIMARY KEY (mandant, jahr, version),
    UNIQUE (mandant, jahr, nachtrag),
    CHECK (status = 'ENTWURF' OR beschluss IS NOT NULL),
    FOREIGN KEY (mandant, jahr) REFERENCES fin_haushaltsjahr (mandant, jahr)
);

-- Ansatz of the budget year and the three planning years (cents, positive
-- for Erträge/Einzahlungen and Aufwendungen/Auszahlungen alike).
CREATE TABLE fin_ansatz (
    mandant  TEXT NOT NULL,
    jahr     BIGINT NOT NULL,
    version  BIGINT NOT NULL,
    produkt  TEXT NOT NULL,
    konto    TEXT NOT NULL,
    betrag   BIGINT NOT NULL CHECK (betrag >= 0),
    plan1    BIGINT NOT NULL CHECK (plan1 >= 0),
    plan2    BIGINT NOT NULL CHECK (plan2 >= 0),
    plan3    BIGINT NOT NULL CHECK (plan3 >= 0),
    PRIMARY KEY (mandant, jahr, version, produkt, konto),
    FOREIGN KEY (mandant, jahr, version) REFERENCES fin_planversion (mandant, jahr, version),
    FOREIGN KEY (mandant, produkt) REFERENCES fin_produkt (mandant, nr),
    FOREIGN KEY (mandant, konto) REFERENCES fin_konto (mandant, nr)
);

CREATE TABLE fin_ve (
    mandant      TEXT NOT NULL,
    jahr         BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    massnahme    TEXT NOT NULL,
    bezeichnung  TEXT NOT NULL,
    produkt      TEXT NOT NULL,
    konto        TEXT NOT NULL,
    betrag       BIGINT NOT NULL CHECK (betrag > 0),
    faellig1     BIGINT NOT NULL CHECK (faellig1 >= 0),
    faellig2     BIGINT NOT NULL CHECK (faellig2 >= 0),
    faellig3     BIGINT NOT NULL CHECK (faellig3 >= 0),
    CHECK (betrag = faellig1 + faellig2 + faellig3),
    PRIMARY KEY (mandant, jahr, version, massnahme),
    FOREIGN KEY (mandant, jahr, version) REFERENCES fin_planversion (mandant, jahr, version),
    FOREIGN KEY (mandant, produkt) REFERENCES fin_produkt (mandant, nr),
    FOREIGN KEY (mandant, konto) REFERENCES fin_konto (mandant, nr)
);

CREATE TABLE fin_deckungsring (
    mandant      TEXT NOT NULL,
    jahr         BIGINT NOT NULL,
    ring         TEXT NOT NULL,
    bezeichnung  TEXT NOT NULL,
    PRIMARY KEY (mandant, jahr, ring)
);

-- rolle: gibt (deckt andere), nimmt (wird gedeckt), beide (gegenseitig).
CREATE TABLE fin_deckungsring_pos (
    mandant  TEXT NOT NULL,
    jahr     BIGINT NOT NULL,
    ring     TEXT NOT NULL,
    produkt  TEXT NOT NULL,
    konto    TEXT NOT NULL,
    rolle    TEXT NOT NULL CHECK (rolle IN ('gibt', 'nimmt', 'beide')),
    PRIMARY KEY (mandant, jahr, produkt, konto),
    FOREIGN KEY (mandant, jahr, ring) REFERENCES fin_deckungsring (mandant, jahr, ring)
);

-- Ermächtigungsübertragungen from the previous year (KomHVO NRW § 22).
CREATE TABLE fin_uebertragung (
    id           {ID},
    mandant      TEXT NOT NULL,
    jahr         BIGINT NOT NULL,
    produkt      TEXT NOT NULL,
    konto        TEXT NOT NULL,
    betrag       BIGINT NOT NULL CHECK (betrag > 0),
    grund        TEXT NOT NULL,
    erfasst_von  TEXT NOT NULL,
    erfasst_am   TEXT NOT NULL
);
CREATE INDEX fin_uebertragung_pos ON fin_uebertragung (mandant, jahr, produkt, konto);

-- Mittelreservierungen (Obligo): open amount = betrag - verbraucht.
CREATE TABLE fin_reservierung (
    id           {ID},
    mandant      TEXT NOT NULL,
    jahr         BIGINT NOT NULL,
    produkt      TEXT NOT NULL,
    konto        TEXT NOT NULL,
    betrag       BIGINT NOT NULL CHECK (betrag > 0),
    verbraucht   BIGINT NOT NULL DEFAULT 0 CHECK (verbraucht >= 0),
    text         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('OFFEN', 'ERLEDIGT')),
    erfasst_von  TEXT NOT NULL,
    erfasst_am   TEXT NOT NULL,
    CHECK (verbraucht <= betrag)
);
CREATE INDEX fin_reservierung_pos ON fin_reservierung (mandant, jahr, produkt, konto);

-- Haushaltssperren: produkt/konto NULL = global.
CREATE TABLE fin_sperre (
    id            {ID},
    mandant       TEXT NOT NULL,
    jahr          BIGINT NOT NULL,
    produkt       TEXT,
    konto         TEXT,
    prozent       BIGINT NOT NULL CHECK (prozent BETWEEN 1 AND 100),
    grund         TEXT NOT NULL,
    erfasst_von   TEXT NOT NULL,
    erfasst_am    TEXT NOT NULL,
    aufgehoben_am TEXT,
    CHECK ((produkt IS NULL AND konto IS NULL) OR (produkt IS NOT NULL AND konto IS NOT NULL))
);

-- Über- und außerplanmäßige Ermächtigungen (GO NRW § 83).
CREATE TABLE fin_genehmigung (
    id            {ID},
    mandant       TEXT NOT NULL,
    jahr          BIGINT NOT NULL,
    produkt       TEXT NOT NULL,
    konto         TEXT NOT NULL,
    art           TEXT NOT NULL CHECK (art IN ('UEBERPLANMAESSIG', 'AUSSERPLANMAESSIG')),
    nummer        TEXT NOT NULL,
    datum         TEXT NOT NULL,
    betrag        BIGINT NOT NULL CHECK (betrag > 0),
    begruendung   TEXT NOT NULL,
    genehmigt_von TEXT NOT NULL,
    UNIQUE (mandant, jahr, nummer)
);
CREATE INDEX fin_genehmigung_pos ON fin_genehmigung (mandant, jahr, produkt, konto);

-- Kameral plan (Verwaltungs-/Vermögenshaushalt) per Haushaltsstelle.
CREATE TABLE fin_kameral_ansatz (
    mandant      TEXT NOT NULL,
    jahr         BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    gliederung   TEXT NOT NULL,
    gruppierung  TEXT NOT NULL,
    betrag       BIGINT NOT NULL CHECK (betrag >= 0),
    PRIMARY KEY (mandant, jahr, version, gliederung, gruppierung),
    FOREIGN KEY (mandant, jahr, version) REFERENCES fin_planversion (mandant, jahr, version),
    FOREIGN KEY (mandant, gliederung) REFERENCES fin_kameral_gliederung (mandant, nr),
    FOREIGN KEY (mandant, gruppierung) REFERENCES fin_kameral_gruppierung (mandant, nr)
);
