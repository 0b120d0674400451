-- The audit chain in shards (ADR 010). SQLite has one writer at a time, so it keeps a single
-- chain (shard 1, `audit_head`'s CHECK (id = 1) stays) and an event's position is its id; the
-- columns and checkpoints are the same as on PostgreSQL so one verifier proves both.
ALTER TABLE audit_events ADD COLUMN shard INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE audit_events SET seq = id;
CREATE UNIQUE INDEX audit_events_chain ON audit_events (shard, seq);

CREATE TABLE audit_checkpoints (
    id        BIGINT PRIMARY KEY NOT NULL,
    at        TIMESTAMP NOT NULL,
    -- JSON: [[shard, position, hash], ...] in shard order, the heads when it was taken.
    heads     TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
