-- WebAuthn factors (security keys and passkeys), their ceremonies, and the security policy.

-- The registered credential of a webauthn factor. The credential (public key, counter, flags,
-- attestation) is public data: it is stored as webauthn-rs serialises it, not sealed.
ALTER TABLE factors ADD COLUMN webauthn_credential_id TEXT;
ALTER TABLE factors ADD COLUMN webauthn_credential TEXT;
ALTER TABLE factors ADD COLUMN webauthn_aaguid TEXT;
ALTER TABLE factors ADD COLUMN webauthn_authenticator TEXT;
-- The authenticator's signature counter: a later assertion must carry a greater one
-- (both zero: the authenticator keeps no counter).
ALTER TABLE factors ADD COLUMN webauthn_sign_count BIGINT;
ALTER TABLE factors ADD COLUMN webauthn_backup_eligible BOOLEAN;
ALTER TABLE factors ADD COLUMN webauthn_backup_state BOOLEAN;
ALTER TABLE factors ADD COLUMN webauthn_attested BOOLEAN;
-- One credential, one factor, across all users.
CREATE UNIQUE INDEX factors_webauthn_credential_id ON factors (webauthn_credential_id);

-- Ceremony state: single-use (deleted when a response is judged) and short-lived, so a
-- ceremony can start on one instance and finish on another.
CREATE TABLE webauthn_challenges (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Set for a registration: the pending factor it will activate.
    factor_id   TEXT,
    purpose     TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX webauthn_challenges_user ON webauthn_challenges (user_id);
CREATE INDEX webauthn_challenges_expires ON webauthn_challenges (expires_at);

-- The security policy: one row (id 1) holding the policy document of API.md as JSON. No row
-- means the default policy.
CREATE TABLE policy (
    id         INTEGER PRIMARY KEY NOT NULL,
    document   TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
