//! Integration tests: the real server on a random port, a fresh database per test.
//! `KEYWARD_TEST_BACKEND=postgres` runs the same tests on PostgreSQL.

mod apikeys;
mod audit;
mod audit_chains;
mod backup_codes;
mod bad_input;
mod cli;
mod faults;
mod groups;
mod handoff_browser;
mod hardening;
mod helpers;
mod housekeeping;
mod i18n;
mod i18n_notices;
mod i18n_staff;
mod key_rotation;
mod mail;
mod oidc;
mod password_life;
mod policy;
mod portal;
mod races;
mod scopes;
mod secrets;
mod service;
mod staff_factors;
mod staff_portal;
mod support;
mod throttling;
mod totp;
mod users;
mod webauthn;
mod wsapi;
mod yubicloud;
mod yubikey;
