-- The hardware key inventory (self-programmed YubiKeys validated locally) and the binding of a
-- YubiKey factor to its key.
CREATE TABLE yubikeys (
    public_id         TEXT PRIMARY KEY NOT NULL,
    -- The AES key (16 bytes) and private id (6 bytes), sealed with the master key; the public
    -- id is the associated data.
    secret_ciphertext BYTEA NOT NULL,
    secret_key_id     TEXT NOT NULL,
    -- The last accepted OTP's counters: the next must be greater as a pair.
    usage_counter     INTEGER,
    session_use       INTEGER,
    -- The nonce of the last OTP accepted through /wsapi/2.0/verify, to tell a repeated request
    -- (REPLAYED_REQUEST) from a replayed OTP (REPLAYED_OTP).
    last_nonce        TEXT,
    created_at        TIMESTAMP NOT NULL,
    -- Removed keys stay as tombstones so their counters survive: the same key registered again
    -- must not accept its old OTPs.
    removed_at        TIMESTAMP
);

ALTER TABLE factors ADD COLUMN yubikey_public_id TEXT;
-- One key, one factor: a key bound to a user cannot be enrolled by anyone else.
CREATE UNIQUE INDEX factors_yubikey_public_id ON factors (yubikey_public_id);

-- Clients of Keyward's YubiCloud-protocol validation server (/wsapi/2.0/verify). The protocol
-- names clients by number and signs with a shared secret, so the secret is sealed, not hashed.
CREATE TABLE validation_clients (
    id                SERIAL PRIMARY KEY,
    name              TEXT NOT NULL,
    secret_ciphertext BYTEA NOT NULL,
    secret_key_id     TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL
);
