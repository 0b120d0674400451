-- How many users had each kind of second factor at the start of each day (UTC), for the
-- compliance page's 90-day chart. Written once a day by the housekeeping task (the first run
-- of the day on any instance); today's numbers are counted live. Counts are per user: a user
-- with an authenticator app and a security key counts under both; `no_factor` counts users
-- with no active factor at all.
CREATE TABLE factor_adoption (
    day         DATE PRIMARY KEY NOT NULL,
    users       BIGINT NOT NULL,
    totp        BIGINT NOT NULL,
    yubikey_otp BIGINT NOT NULL,
    webauthn    BIGINT NOT NULL,
    no_factor   BIGINT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
-- The daily count reads only this index (status, kind, user): an index-only scan.
CREATE INDEX factors_status_kind_user ON factors (status, kind, user_id);
