-- The password's whole life for portal accounts (change, forgotten password, sign-up
-- confirmation, the password dead after "this wasn't me") and a per-account limit on wrong
-- passwords beside the per-address one.

-- When the owner proved the address is theirs (a confirmation or password link they opened).
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP;
-- 'api', 'cli' or 'signup': a sign-up may add factors only once its address is confirmed.
ALTER TABLE users ADD COLUMN created_via TEXT NOT NULL DEFAULT 'api';
-- Set by "this wasn't me" on an account with a password: the password no longer signs in,
-- and nobody can add a factor, until a mailed link sets a new one.
ALTER TABLE users ADD COLUMN password_reset_required_at TIMESTAMP;
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMP;

-- Single-use mailed links: the token is shown once (in the mail) and stored as a SHA-256 hash.
CREATE TABLE account_links (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL, -- 'password_reset', 'password_set' or 'email_confirm'
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX account_links_user ON account_links (user_id, purpose, created_at);

-- Wrong passwords per account, keyed by the normalised email (so an address without an
-- account is limited exactly like one with: the limit tells nobody which addresses exist).
CREATE TABLE password_throttle (
    account_key   TEXT PRIMARY KEY NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    window_start  TIMESTAMP NOT NULL,
    locked_until  TIMESTAMP
);

-- Browsers that completed a sign-in: a right password from one of them still works while a
-- stranger's guesses have the account's limit in force.
CREATE TABLE known_devices (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id);
