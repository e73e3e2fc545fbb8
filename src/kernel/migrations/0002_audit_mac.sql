-- Audit log anchored with a key outside the database (issue 11): entries
-- from `keyed_from` on carry an HMAC-SHA-256 with the store's audit key
-- instead of the unkeyed SHA-256 hash. Entries written before this
-- migration keep their old hash and are checked with the old rule; the
-- first keyed entry's MAC covers the last old hash and so seals them.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT NOT NULL DEFAULT 1;
UPDATE audit_head SET keyed_from = seq + 1 WHERE id = 1;
