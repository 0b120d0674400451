ALTER TABLE sessions DROP COLUMN oidc_authorization;
DROP TABLE oidc_tokens;
DROP TABLE oidc_request_ids;
DROP TABLE oidc_authorizations;
DROP TABLE oidc_signing_keys;
DROP TABLE oidc_clients;
