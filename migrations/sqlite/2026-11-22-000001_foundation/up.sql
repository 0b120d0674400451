-- Foundation: users, API keys, factors, backup codes, throttling, the audit chain.
CREATE TABLE users (
    id               TEXT PRIMARY KEY NOT NULL,
    email            TEXT NOT NULL,
    email_normalized TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('customer', 'support', 'security')),
    password_hash    TEXT,
    totp_last_step   BIGINT,
    created_at       TIMESTAMP NOT NULL
);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    scope      TEXT NOT NULL CHECK (scope IN ('integration', 'support', 'security')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE factors (
    id                TEXT PRIMARY KEY NOT NULL,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('totp', 'yubikey_otp', 'webauthn')),
    name              TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'active')),
    created_at        TIMESTAMP NOT NULL,
    activated_at      TIMESTAMP,
    last_used_at      TIMESTAMP,
    expires_at        TIMESTAMP,
    secret_ciphertext BLOB,
    secret_key_id     TEXT,
    totp_digits       INTEGER,
    totp_period       INTEGER,
    totp_algorithm    TEXT,
    last_step         BIGINT,
    last_drift        INTEGER
);
CREATE INDEX factors_user ON factors (user_id);
-- A plain index, not a partial one: with a partial index SQLite must re-prepare every
-- statement that binds `status` (to re-decide whether the index applies), on every run.
CREATE INDEX factors_expiry ON factors (expires_at);

CREATE TABLE backup_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP,
    UNIQUE (user_id, code_hash)
);

CREATE TABLE throttles (
    user_id         TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    failures        INTEGER NOT NULL DEFAULT 0,
    lockouts        INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    -- Attempts refused during the current lockout (audited at 1, 10, 100, …, not each one).
    locked_refusals INTEGER NOT NULL DEFAULT 0,
    last_failure_at TIMESTAMP
);

-- The head of the hash chain: one row, locked by every transaction that appends an event,
-- so ids are gapless and assigned in chain order on both backends.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    last_id   BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_events (
    id         BIGINT PRIMARY KEY NOT NULL,
    at         TIMESTAMP NOT NULL,
    event      TEXT NOT NULL,
    actor_type TEXT NOT NULL,
    actor_id   TEXT,
    user_id    TEXT,
    factor_id  TEXT,
    ip         TEXT,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_events_user ON audit_events (user_id, id);
CREATE INDEX audit_events_event ON audit_events (event, id);
