-- Compliance with the security policy: since when a user has had no active factor the policy
-- accepts while the policy requires two-factor authentication (NULL: compliant, or nothing is
-- required). The enrollment grace period runs from this time.
ALTER TABLE users ADD COLUMN noncompliant_since TIMESTAMP;
CREATE INDEX users_noncompliant ON users (noncompliant_since);
