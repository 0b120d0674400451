DROP INDEX users_noncompliant;
ALTER TABLE users DROP COLUMN noncompliant_since;
