-- Security mail through a transactional outbox, and the "this wasn't me" reports.

-- A mail is written in the same transaction as the event it reports; a worker sends it.
CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT,
    kind            TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    -- pending, sent or failed (attempts used up)
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    -- While a worker holds the mail: no other worker takes it before this time.
    lease_until     TIMESTAMP,
    -- Which claim holds the lease: only that worker may renew it or record the outcome.
    claim_token     TEXT,
    last_error      TEXT,
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);

-- The single-use links in security mail ("this wasn't me"), valid for 7 days.
CREATE TABLE report_tokens (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key_id     TEXT NOT NULL,
    mail_kind  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);

-- Set when the user reports activity they did not recognise: support sees the flag, factor
-- changes are frozen, and portal sessions started before it are no longer valid.
ALTER TABLE users ADD COLUMN reported_at TIMESTAMP;
ALTER TABLE users ADD COLUMN factors_frozen_at TIMESTAMP;
ALTER TABLE users ADD COLUMN sessions_valid_after TIMESTAMP;
