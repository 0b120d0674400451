DROP INDEX report_tokens_expires;
DROP INDEX mail_outbox_sent;
ALTER TABLE api_keys DROP COLUMN last_used_at;
ALTER TABLE api_keys DROP COLUMN expires_at;
