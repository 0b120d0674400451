ALTER TABLE users DROP COLUMN sessions_valid_after;
ALTER TABLE users DROP COLUMN factors_frozen_at;
ALTER TABLE users DROP COLUMN reported_at;
DROP TABLE report_tokens;
DROP TABLE mail_outbox;
