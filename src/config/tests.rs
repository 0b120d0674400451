//! The settings: defaults, layering, one-line errors, redaction.

use std::collections::HashMap;
use std::path::PathBuf;

use lettre::message::Mailbox;

use super::*;
use crate::db::{DatabaseUrl, SqliteSync};

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn error(pairs: &[(&str, &str)]) -> String {
    let err = Settings::from_vars(&vars(pairs))
        .expect_err("refused")
        .to_string();
    assert!(!err.contains('\n'), "one line: {err}");
    err
}

#[test]
fn mail_from_is_a_mailbox() {
    let s = Settings::from_vars(&vars(&[("KEYWARD_ISSUER", "Acme, Inc.")])).expect("settings");
    let from = s.mail_from().expect("the default is built");
    assert_eq!(from.name.as_deref(), Some("Acme, Inc."));
    assert_eq!(from.email.to_string(), "no-reply@localhost");
    let parsed: Mailbox = from.to_string().parse().expect("the default parses");
    assert_eq!(parsed, from);
    let e = error(&[("KEYWARD_MAIL_FROM", "not an address")]);
    assert!(e.starts_with("KEYWARD_MAIL_FROM:"), "{e}");
    let e = error(&[(
        "KEYWARD_SMTP_URL",
        "smtp://user:hunter2@mail.example.com?tls=sometimes",
    )]);
    assert!(e.starts_with("KEYWARD_SMTP_URL:"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
    for ok in [
        "smtp://127.0.0.1:2525",
        "smtp://user:p%40ss@mail.example.com:587?tls=required",
        "smtps://mail.example.com",
    ] {
        Settings::from_vars(&vars(&[("KEYWARD_SMTP_URL", ok)])).expect(ok);
    }
}

#[test]
fn defaults() {
    let s = Settings::from_vars(&HashMap::new()).expect("defaults are valid");
    assert_eq!(s.server.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.server.base_url.as_str(), "http://localhost:8080/");
    assert_eq!(s.rp_id(), "localhost");
    assert_eq!(s.server.issuer, "Keyward");
    assert!(s.server.trusted_proxies.is_empty());
    assert_eq!(s.server.request_timeout_seconds, 30);
    assert_eq!(
        s.database.url(),
        DatabaseUrl::Sqlite(PathBuf::from("./keyward-data/keyward.db"))
    );
    assert_eq!(
        s.database.master_key_file(),
        PathBuf::from("./keyward-data/master.key")
    );
    assert_eq!(s.database.sqlite_synchronous, SqliteSync::Full);
    assert_eq!(s.database.pool_size, 16);
    assert_eq!(s.log.format, LogFormat::Text);
    assert_eq!(s.log.filter, "info");
    assert!(s.mail.smtp_url.is_none());
    assert_eq!(
        s.mail_from().expect("from").to_string(),
        "Keyward <no-reply@localhost>"
    );
    assert_eq!((s.mail.max_attempts, s.mail.retry_seconds), (10, 30));
    assert!(s.yubicloud.client_id.is_none() && s.yubicloud.api_urls().is_empty());
    assert_eq!(s.yubicloud.timeout_seconds, 5);
    assert_eq!(
        (
            s.lockout.threshold,
            s.lockout.seconds,
            s.lockout.max_seconds
        ),
        (5, 300, 86_400)
    );
    assert!(!s.portal.open_registration);
    assert_eq!(s.portal.pending_factor_ttl_seconds, 900);
    assert!(s.portal.password_hash_concurrency >= 1);
    assert!(s.webauthn.attestation_ca_file.is_none());
    assert_eq!(s.webauthn.challenge_ttl_seconds, 300);
    // Set but empty is unset.
    let s = Settings::from_vars(&vars(&[
        ("KEYWARD_LOCKOUT_THRESHOLD", " "),
        ("KEYWARD_DATA_DIR", "/var/lib/keyward"),
        ("KEYWARD_DATABASE_URL", ""),
    ]))
    .expect("empty values");
    assert_eq!(s.lockout.threshold, 5);
    assert_eq!(
        s.database.url(),
        DatabaseUrl::Sqlite(PathBuf::from("/var/lib/keyward/keyward.db"))
    );
}

#[test]
fn the_keys_are_the_documented_variables() {
    let keys = keys();
    assert_eq!(keys.len(), 31, "{keys:?}");
    let docs = include_str!("../../docs/configuration.md");
    for key in &keys {
        assert_eq!(*key, key.to_ascii_lowercase());
        assert_eq!(keys.iter().filter(|k| *k == key).count(), 1, "{key}");
        let var = format!("`KEYWARD_{}`", key.to_ascii_uppercase());
        assert!(docs.contains(&var), "{var} is not in docs/configuration.md");
    }
}

#[test]
fn clear_errors_name_the_variable() {
    for (k, v, expected) in [
        (
            "KEYWARD_BASE_URL",
            "not a url",
            "KEYWARD_BASE_URL: `not a url` is not a URL",
        ),
        ("KEYWARD_BASE_URL", "ftp://x.org", "KEYWARD_BASE_URL"),
        ("KEYWARD_BASE_URL", "https://x.org/path", "KEYWARD_BASE_URL"),
        ("KEYWARD_DATABASE_URL", "mysql://x", "KEYWARD_DATABASE_URL"),
        (
            "KEYWARD_LISTEN",
            "8080",
            "KEYWARD_LISTEN: must be an address and port, e.g. 127.0.0.1:8080",
        ),
        (
            "KEYWARD_OPEN_REGISTRATION",
            "maybe",
            "KEYWARD_OPEN_REGISTRATION: `maybe` is not true or false",
        ),
        (
            "KEYWARD_LOCKOUT_SECONDS",
            "-1",
            "KEYWARD_LOCKOUT_SECONDS: `-1` must be a whole number from 1 to 86400",
        ),
        (
            "KEYWARD_LOCKOUT_THRESHOLD",
            "five",
            "KEYWARD_LOCKOUT_THRESHOLD: `five` must be a whole number from 1 to 100",
        ),
        (
            "KEYWARD_PASSWORD_HASH_CONCURRENCY",
            "0",
            "KEYWARD_PASSWORD_HASH_CONCURRENCY: `0` must be a whole number from 1 to 256",
        ),
        (
            "KEYWARD_LOG_FORMAT",
            "XML",
            "KEYWARD_LOG_FORMAT: `xml` is not `text` or `json`",
        ),
        ("KEYWARD_LOG", "=", "KEYWARD_LOG: `=` is not a log filter"),
        (
            "KEYWARD_SQLITE_SYNCHRONOUS",
            "off",
            "KEYWARD_SQLITE_SYNCHRONOUS",
        ),
        ("KEYWARD_ISSUER", "a:b", "KEYWARD_ISSUER"),
        (
            "KEYWARD_TRUSTED_PROXIES",
            "10.0.0.1, proxy.local",
            "KEYWARD_TRUSTED_PROXIES: `proxy.local` is not an IP address or a CIDR range",
        ),
        (
            "KEYWARD_TRUSTED_PROXIES",
            "10.0.0.0/33",
            "KEYWARD_TRUSTED_PROXIES",
        ),
        (
            "KEYWARD_YUBICO_CLIENT_ID",
            "1",
            "KEYWARD_YUBICO_SECRET_KEY: is required with KEYWARD_YUBICO_CLIENT_ID",
        ),
    ] {
        let err = error(&[(k, v)]);
        assert!(err.starts_with(expected), "{k}={v}: {err}");
    }
}

#[test]
fn trusted_proxies() {
    let s = Settings::from_vars(&vars(&[(
        "KEYWARD_TRUSTED_PROXIES",
        " 10.0.0.0/8, ::1 ,192.0.2.7,",
    )]))
    .expect("settings");
    let shown: Vec<String> = s
        .server
        .trusted_proxies
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(shown, ["10.0.0.0/8", "::1/128", "192.0.2.7/32"]);
}

#[test]
fn file_then_env() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("keyward.toml");
    std::fs::write(
        &path,
        "issuer = \"From File\"\nLockout_Seconds = 7\nlisten = \"127.0.0.1:9000\"\n\
         trusted_proxies = [\"10.0.0.5\", \"10.0.0.6\"]\nopen_registration = true\n\
         lockout_threshold = 3\n",
    )
    .expect("write");
    let p = path.to_string_lossy().into_owned();
    let s = Settings::from_vars(&vars(&[
        ("KEYWARD_CONFIG", &p),
        ("KEYWARD_LISTEN", "127.0.0.1:9100"),
        // Set but empty: the default, not the file's value.
        ("KEYWARD_LOCKOUT_THRESHOLD", ""),
    ]))
    .expect("ok");
    assert_eq!(s.server.issuer, "From File");
    assert_eq!(s.lockout.seconds, 7);
    assert_eq!(s.lockout.threshold, 5);
    assert_eq!(s.server.listen.to_string(), "127.0.0.1:9100");
    assert_eq!(s.server.trusted_proxies.len(), 2);
    assert!(s.portal.open_registration);

    std::fs::write(&path, "lockout_max_seconds = 0\n").expect("write");
    let e = error(&[("KEYWARD_CONFIG", &p)]);
    assert_eq!(
        e,
        "KEYWARD_LOCKOUT_MAX_SECONDS: `0` must be a whole number from 1 to 2592000"
    );
    std::fs::write(&path, "nonsense = 1\n").expect("write");
    let e = error(&[("KEYWARD_CONFIG", &p)]);
    assert_eq!(
        e,
        format!("KEYWARD_CONFIG: {p}: unknown setting `nonsense`")
    );
    std::fs::write(&path, "lockout_seconds = 1.5\n").expect("write");
    assert!(error(&[("KEYWARD_CONFIG", &p)]).starts_with("KEYWARD_CONFIG: "));
    std::fs::write(&path, "issuer = \n").expect("write");
    assert!(error(&[("KEYWARD_CONFIG", &p)]).contains("is not valid TOML"));
    let missing = dir
        .path()
        .join("missing.toml")
        .to_string_lossy()
        .into_owned();
    assert!(error(&[("KEYWARD_CONFIG", &missing)]).starts_with("KEYWARD_CONFIG: cannot read"));
}

#[test]
fn secrets_are_redacted() {
    let key = crate::domain::yubicloud::new_client_secret();
    let s = Settings::from_vars(&vars(&[
        (
            "KEYWARD_SMTP_URL",
            "smtp://user:hunter2@mail.example.org:587",
        ),
        ("KEYWARD_YUBICO_CLIENT_ID", "42"),
        ("KEYWARD_YUBICO_SECRET_KEY", &key),
        (
            "KEYWARD_DATABASE_URL",
            "postgres://keyward:sesame@db.internal/keyward",
        ),
    ]))
    .expect("ok");
    let shown = format!("{s:?}");
    for secret in ["hunter2", key.as_str(), "sesame"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("[redacted]"));
    assert_eq!(
        s.mail.smtp_url.as_ref().map(SecretString::expose),
        Some("smtp://user:hunter2@mail.example.org:587")
    );
}
