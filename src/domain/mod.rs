//! Pure logic with no HTTP and no database: the rules of second factors, lockouts, the audit
//! chain, the keyring that encrypts secrets at rest, and the newtypes input is parsed into.

pub mod api_key;
pub mod audit_chain;
pub mod backup_codes;
pub mod clock;
pub mod event_words;
pub mod i18n;
pub mod ids;
pub mod keyring;
pub mod lockout;
pub mod mail;
pub mod newtypes;
pub mod policy;
pub mod totp;
pub mod webauthn;
pub mod yubicloud;
pub mod yubikey_csv;
pub mod yubikey_otp;
