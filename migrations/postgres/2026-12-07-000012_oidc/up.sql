-- The OpenID Connect hand-off: relying applications (clients), RS256 signing keys sealed with
-- the master key, authorizations in progress with their single-use codes, seen request-object
-- ids, and access tokens. Everything a hand-off holds is here: any instance serves any step.

CREATE TABLE oidc_clients (
    client_id             TEXT PRIMARY KEY NOT NULL,
    name                  TEXT NOT NULL,
    -- SHA-256 of the secret (client authentication at the token endpoint).
    secret_hash           TEXT NOT NULL,
    -- The secret itself, sealed, only for clients that sign request objects (HS256).
    secret_ciphertext     BYTEA,
    secret_key_id         TEXT,
    redirect_uris         TEXT NOT NULL, -- a JSON array, matched exactly
    trusted_first_factor  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            TIMESTAMP NOT NULL
);

CREATE TABLE oidc_signing_keys (
    kid                 TEXT PRIMARY KEY NOT NULL,
    -- The PKCS#1 PEM of the RSA private key, sealed with the master key.
    private_ciphertext  BYTEA NOT NULL,
    private_key_id      TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    -- Set when a newer key took over: still listed at jwks_uri until `retired_at` plus the
    -- longest token lifetime has passed.
    retired_at          TIMESTAMP
);

CREATE TABLE oidc_authorizations (
    id              TEXT PRIMARY KEY NOT NULL,
    client_id       TEXT NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
    user_id         TEXT REFERENCES users (id) ON DELETE CASCADE,
    -- 'handoff' (the client vouched for the first factor) or 'signin' (Keyward's password).
    way             TEXT NOT NULL,
    action          TEXT NOT NULL, -- 'verify', 'enroll' or 'manage'
    redirect_uri    TEXT NOT NULL,
    state           TEXT,
    nonce           TEXT NOT NULL,
    code_challenge  TEXT NOT NULL,
    scope           TEXT NOT NULL,
    hardware        BOOLEAN NOT NULL DEFAULT FALSE, -- acr_values=hardware
    ui_locales      TEXT,
    -- SHA-256 of the cookie that binds a sign-in at Keyward to this browser (way 2).
    browser_hash    TEXT UNIQUE,
    auth_time       TIMESTAMP,
    password_checked BOOLEAN NOT NULL DEFAULT FALSE,
    -- The second factor used in this hand-off ('totp', 'yubikey_otp', 'webauthn',
    -- 'backup_code'), and whether a security key verified the user.
    method          TEXT,
    user_verified   BOOLEAN NOT NULL DEFAULT FALSE,
    enrolled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    code_hash       TEXT UNIQUE,
    code_expires_at TIMESTAMP,
    code_used_at    TIMESTAMP,
    finished_at     TIMESTAMP
);
CREATE INDEX oidc_authorizations_expiry ON oidc_authorizations (expires_at);

CREATE TABLE oidc_request_ids (
    client_id   TEXT NOT NULL,
    jti         TEXT NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (client_id, jti)
);

CREATE TABLE oidc_tokens (
    token_hash        TEXT PRIMARY KEY NOT NULL,
    authorization_id  TEXT NOT NULL REFERENCES oidc_authorizations (id) ON DELETE CASCADE,
    client_id         TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    scope             TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    expires_at        TIMESTAMP NOT NULL,
    revoked_at        TIMESTAMP
);
CREATE INDEX oidc_tokens_authorization ON oidc_tokens (authorization_id);

-- A portal session started by a hand-off belongs to it: its pages lead back to the client.
ALTER TABLE sessions ADD COLUMN oidc_authorization TEXT;
