DROP TABLE audit_checkpoints;
DROP INDEX audit_events_chain;
ALTER TABLE audit_events DROP COLUMN seq;
ALTER TABLE audit_events DROP COLUMN shard;
