-- Only possible while every event is still in shard 1.
DROP TABLE audit_checkpoints;
DROP SEQUENCE audit_events_id_seq;
DROP INDEX audit_events_chain;
ALTER TABLE audit_events DROP COLUMN seq;
ALTER TABLE audit_events DROP COLUMN shard;
DELETE FROM audit_head WHERE id > 1;
ALTER TABLE audit_head DROP CONSTRAINT audit_head_shard;
ALTER TABLE audit_head ADD CONSTRAINT audit_head_id_check CHECK (id = 1);
