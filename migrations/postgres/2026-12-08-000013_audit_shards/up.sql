-- The audit chain in shards (ADR 010): 32 chains, each with its own head row, so concurrent
-- transactions append to different chains instead of queueing on one row lock; event ids come
-- from a sequence; checkpoints join the shards' heads into one hash chain of their own.

-- Shards 1..32: the existing chain becomes shard 1 (its events keep their ids as positions).
ALTER TABLE audit_head DROP CONSTRAINT audit_head_id_check;
ALTER TABLE audit_head ADD CONSTRAINT audit_head_shard CHECK (id BETWEEN 1 AND 1024);
INSERT INTO audit_head (id, last_id, last_hash)
SELECT g, 0, '0000000000000000000000000000000000000000000000000000000000000000'
FROM generate_series(2, 32) AS g;

ALTER TABLE audit_events ADD COLUMN shard INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
UPDATE audit_events SET seq = id;
ALTER TABLE audit_events ALTER COLUMN seq SET NOT NULL;
ALTER TABLE audit_events ALTER COLUMN shard DROP DEFAULT;
CREATE UNIQUE INDEX audit_events_chain ON audit_events (shard, seq);

-- Event ids: unique and increasing in start order, not in commit order (ADR 010).
CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id;
SELECT setval('audit_events_id_seq', COALESCE((SELECT MAX(id) FROM audit_events), 0) + 1, false);

CREATE TABLE audit_checkpoints (
    id        BIGINT PRIMARY KEY NOT NULL,
    at        TIMESTAMP NOT NULL,
    -- JSON: [[shard, position, hash], ...] in shard order, the heads when it was taken.
    heads     TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
