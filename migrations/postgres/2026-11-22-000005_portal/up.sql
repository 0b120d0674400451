-- Portal sessions (server-side) and the per-address sign-in throttle.

-- A session is named by a random token in an HttpOnly cookie; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- second_step: the password was right, a second factor is still owed; full: signed in.
    stage         TEXT NOT NULL,
    csrf_token    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    -- Until when the password was re-entered for factor changes ("sudo mode").
    sudo_until    TIMESTAMP
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per client address, so one address cannot try passwords without limit.
CREATE TABLE signin_throttle (
    ip            TEXT PRIMARY KEY NOT NULL,
    failures      INTEGER NOT NULL,
    window_start  TIMESTAMP NOT NULL,
    locked_until  TIMESTAMP
);
