-- API key lifecycle: an optional expiry, and when the key was last used. `last_used_at` is
-- coarse (see docs/api.md): it is written only when the stored value is older than the
-- granularity, so a busy key costs one small UPDATE per interval, not one per request.
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMP;

-- Housekeeping retention: sent mail older than the retention is deleted by `sent_at`.
CREATE INDEX mail_outbox_sent ON mail_outbox (status, sent_at);
-- Used and expired report links are deleted by `expires_at` / `used_at`.
CREATE INDEX report_tokens_expires ON report_tokens (expires_at);
