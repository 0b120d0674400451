DROP TABLE validation_clients;
DROP INDEX factors_yubikey_public_id;
ALTER TABLE factors DROP COLUMN yubikey_public_id;
DROP TABLE yubikeys;
