-- SSH access: public keys per KIS user (built-in server `kis serve`) and the
-- mapping of Unix login names to KIS users (OpenSSH `ForceCommand kis ssh-gate`).
-- Users are global in KIS (like kis_user), so these tables carry no Mandant.

CREATE TABLE user_ssh_key (
    id           {ID},
    user_id      BIGINT NOT NULL REFERENCES kis_user(id),
    algorithm    TEXT NOT NULL,
    public_key   TEXT NOT NULL,
    fingerprint  TEXT NOT NULL UNIQUE,
    comment      TEXT NOT NULL DEFAULT '',
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL
);

CREATE INDEX user_ssh_key_user ON user_ssh_key (user_id);

CREATE TABLE user_ssh_login (
    unix_login   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES kis_user(id),
    trusted      BIGINT NOT NULL DEFAULT 0 CHECK (trusted IN (0, 1)),
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL
);
