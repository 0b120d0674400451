DROP TABLE known_devices;
DROP TABLE password_throttle;
DROP TABLE account_links;
ALTER TABLE users DROP COLUMN password_changed_at;
ALTER TABLE users DROP COLUMN password_reset_required_at;
ALTER TABLE users DROP COLUMN created_via;
ALTER TABLE users DROP COLUMN email_verified_at;
