DROP TABLE audit_events;
DROP TABLE audit_head;
DROP TABLE throttles;
DROP TABLE backup_codes;
DROP TABLE factors;
DROP TABLE api_keys;
DROP TABLE users;
