//! Typed settings from the environment (`KEYWARD_*`), optionally extended by a TOML file
//! named in `KEYWARD_CONFIG` (its keys are the variable names without the prefix, in lower
//! case; the environment wins). Every setting is documented in docs/configuration.md.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::db::{DatabaseUrl, SqliteSync};

/// Every key the server reads, without the `KEYWARD_` prefix.
pub const KEYS: &[&str] = &[
    "DATABASE_URL",
    "DATA_DIR",
    "MASTER_KEY_FILE",
    "LISTEN",
    "BASE_URL",
    "ISSUER",
    "SMTP_URL",
    "MAIL_FROM",
    "OPEN_REGISTRATION",
    "TRUSTED_PROXIES",
    "YUBICO_CLIENT_ID",
    "YUBICO_SECRET_KEY",
    "YUBICO_API_URLS",
    "YUBICO_TIMEOUT_SECONDS",
    "LOG_FORMAT",
    "LOG",
    "LOCKOUT_THRESHOLD",
    "LOCKOUT_SECONDS",
    "LOCKOUT_MAX_SECONDS",
    "PENDING_FACTOR_TTL_SECONDS",
    "SQLITE_SYNCHRONOUS",
    "DB_POOL_SIZE",
    "REQUEST_TIMEOUT_SECONDS",
    "PASSWORD_HASH_CONCURRENCY",
    "WEBAUTHN_ATTESTATION_CA_FILE",
    "WEBAUTHN_CHALLENGE_TTL_SECONDS",
    "MAIL_MAX_ATTEMPTS",
    "MAIL_RETRY_SECONDS",
];

/// A value that must never be printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub data_dir: PathBuf,
    pub master_key_file: PathBuf,
    pub listen: SocketAddr,
    pub base_url: url::Url,
    pub issuer: String,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub open_registration: bool,
    pub yubico_client_id: Option<String>,
    pub yubico_secret_key: Option<SecretString>,
    pub yubico_api_urls: Vec<url::Url>,
    pub yubico_timeout_seconds: u64,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`KEYWARD_TRUSTED_PROXIES`:
    /// addresses or CIDR ranges, comma-separated). Empty: the TCP peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub lockout_threshold: i32,
    pub lockout_seconds: i64,
    pub lockout_max_seconds: i64,
    pub pending_factor_ttl_seconds: i64,
    pub sqlite_synchronous: SqliteSync,
    pub db_pool_size: u32,
    pub request_timeout_seconds: u64,
    pub password_hash_concurrency: usize,
    /// PEM bundle of trusted WebAuthn attestation roots; unset: the shipped Yubico root.
    pub webauthn_attestation_ca_file: Option<PathBuf>,
    pub webauthn_challenge_ttl_seconds: i64,
    /// Attempts per mail before it is marked failed.
    pub mail_max_attempts: i32,
    /// The wait before the second attempt; it doubles for each further one (at most an hour).
    pub mail_retry_seconds: i64,
}

/// The first bad setting, as one line naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

fn bad(key: &str, why: impl fmt::Display) -> ConfigError {
    ConfigError(format!("KEYWARD_{key}: {why}"))
}

impl Settings {
    /// Reads the process environment (and the file it names).
    pub fn from_env() -> Result<Self, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        Self::from_vars(&env)
    }

    /// Builds settings from `KEYWARD_*` variables given as a map (the file, when named, is read).
    pub fn from_vars(env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let mut values: HashMap<String, String> = HashMap::new();
        if let Some(path) = env.get("KEYWARD_CONFIG").filter(|p| !p.is_empty()) {
            let text = std::fs::read_to_string(path)
                .map_err(|e| bad("CONFIG", format!("cannot read {path}: {e}")))?;
            let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
                bad(
                    "CONFIG",
                    format!("{path} is not valid TOML: {}", e.message()),
                )
            })?;
            for (k, v) in table {
                let key = k.to_uppercase();
                if !KEYS.contains(&key.as_str()) {
                    return Err(bad("CONFIG", format!("{path}: unknown setting `{k}`")));
                }
                let value = match v {
                    toml::Value::String(s) => s,
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    toml::Value::Array(items) => items
                        .iter()
                        .map(|i| {
                            i.as_str()
                                .map(str::to_owned)
                                .unwrap_or_else(|| i.to_string())
                        })
                        .collect::<Vec<_>>()
                        .join(","),
                    other => {
                        return Err(bad(
                            "CONFIG",
                            format!("{path}: `{k}` has an unsupported value {other}"),
                        ));
                    }
                };
                values.insert(key, value);
            }
        }
        for key in KEYS {
            if let Some(v) = env.get(&format!("KEYWARD_{key}")) {
                values.insert((*key).to_owned(), v.clone());
            }
        }
        Self::build(&values)
    }

    fn build(v: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let get = |k: &str| v.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());

        let data_dir = PathBuf::from(get("DATA_DIR").unwrap_or("./keyward-data"));
        let database_url = match get("DATABASE_URL") {
            Some(raw) => DatabaseUrl::parse(raw).map_err(|e| bad("DATABASE_URL", e))?,
            None => DatabaseUrl::Sqlite(crate::db::default_sqlite_path(&data_dir)),
        };
        let master_key_file = get("MASTER_KEY_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("master.key"));
        let listen: SocketAddr = get("LISTEN")
            .unwrap_or("127.0.0.1:8080")
            .parse()
            .map_err(|_| bad("LISTEN", "must be an address and port, e.g. 127.0.0.1:8080"))?;
        let base_raw = get("BASE_URL").unwrap_or("http://localhost:8080");
        let base_url = url::Url::parse(base_raw)
            .map_err(|e| bad("BASE_URL", format!("`{base_raw}` is not a URL ({e})")))?;
        if !matches!(base_url.scheme(), "http" | "https")
            || base_url.host_str().is_none_or(str::is_empty)
        {
            return Err(bad(
                "BASE_URL",
                format!("`{base_raw}` must be an http:// or https:// origin with a host"),
            ));
        }
        if base_url.path() != "/" || base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(bad(
                "BASE_URL",
                format!("`{base_raw}` must be an origin without a path, query or fragment"),
            ));
        }
        let issuer = get("ISSUER").unwrap_or("Keyward").to_owned();
        if issuer.contains(':')
            || issuer.chars().count() > 64
            || issuer.chars().any(char::is_control)
        {
            return Err(bad(
                "ISSUER",
                "must be at most 64 characters, without ':' or control characters",
            ));
        }
        let smtp_url = match get("SMTP_URL") {
            Some(raw) => {
                let u = url::Url::parse(raw)
                    .map_err(|_| bad("SMTP_URL", "is not a URL, e.g. smtp://127.0.0.1:2525"))?;
                if !matches!(u.scheme(), "smtp" | "smtps") {
                    return Err(bad("SMTP_URL", "must start with smtp:// or smtps://"));
                }
                // lettre's own reading of the URL (tls=, credentials, port), checked at start
                // rather than by the mail worker later. Its message never repeats the URL.
                lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(raw)
                    .map_err(|e| bad("SMTP_URL", format!("is not usable: {e}")))?;
                Some(SecretString(raw.to_owned()))
            }
            None => None,
        };
        let mail_from = match get("MAIL_FROM") {
            Some(raw) => raw
                .parse::<lettre::message::Mailbox>()
                .map_err(|e| {
                    bad(
                        "MAIL_FROM",
                        format!("is not a mail address ({e}), e.g. \"Example Hosting <security@example.com>\""),
                    )
                })?
                .to_string(),
            None => {
                // Built, not parsed: lettre quotes an issuer like "Acme, Inc." as needed.
                let host = base_url.host_str().unwrap_or("localhost");
                let address = lettre::Address::new("no-reply", host).map_err(|e| {
                    bad(
                        "MAIL_FROM",
                        format!("no-reply@{host} is not a mail address ({e}): set KEYWARD_MAIL_FROM"),
                    )
                })?;
                lettre::message::Mailbox::new(Some(issuer.clone()), address).to_string()
            }
        };
        let yubico_client_id = get("YUBICO_CLIENT_ID").map(str::to_owned);
        let yubico_secret_key = get("YUBICO_SECRET_KEY").map(|s| SecretString(s.to_owned()));
        match (&yubico_client_id, &yubico_secret_key) {
            (Some(id), Some(key)) => {
                if !id.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad(
                        "YUBICO_CLIENT_ID",
                        "must be the numeric client id issued with the API key",
                    ));
                }
                if crate::domain::yubicloud::decode_secret(key.expose()).map(|k| k.len())
                    != Some(20)
                {
                    return Err(bad(
                        "YUBICO_SECRET_KEY",
                        "must be the base64 API key issued with the client id (20 bytes)",
                    ));
                }
            }
            (Some(_), None) => {
                return Err(bad(
                    "YUBICO_SECRET_KEY",
                    "is required with KEYWARD_YUBICO_CLIENT_ID",
                ));
            }
            (None, Some(_)) => {
                return Err(bad(
                    "YUBICO_CLIENT_ID",
                    "is required with KEYWARD_YUBICO_SECRET_KEY",
                ));
            }
            (None, None) => {}
        }
        let yubico_api_urls = match get("YUBICO_API_URLS") {
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    url::Url::parse(s)
                        .map_err(|_| bad("YUBICO_API_URLS", format!("`{s}` is not a URL")))
                })
                .collect::<Result<Vec<_>, _>>()?,
            None if yubico_client_id.is_some() => vec![
                url::Url::parse("https://api.yubico.com/wsapi/2.0/verify")
                    .map_err(|e| bad("YUBICO_API_URLS", e))?,
            ],
            None => Vec::new(),
        };
        if yubico_api_urls.is_empty() && yubico_client_id.is_some() {
            return Err(bad(
                "YUBICO_API_URLS",
                "must name at least one validation server",
            ));
        }
        if !yubico_api_urls.is_empty() && yubico_client_id.is_none() {
            return Err(bad(
                "YUBICO_API_URLS",
                "needs KEYWARD_YUBICO_CLIENT_ID and KEYWARD_YUBICO_SECRET_KEY",
            ));
        }
        let log_format = match get("LOG_FORMAT")
            .unwrap_or("text")
            .to_ascii_lowercase()
            .as_str()
        {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(bad(
                    "LOG_FORMAT",
                    format!("`{other}` is not `text` or `json`"),
                ));
            }
        };
        let sqlite_synchronous = match get("SQLITE_SYNCHRONOUS")
            .unwrap_or("full")
            .to_ascii_lowercase()
            .as_str()
        {
            "full" => SqliteSync::Full,
            "normal" => SqliteSync::Normal,
            other => {
                return Err(bad(
                    "SQLITE_SYNCHRONOUS",
                    format!("`{other}` is not `full` or `normal`"),
                ));
            }
        };
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Ok(Self {
            database_url,
            master_key_file,
            listen,
            base_url,
            issuer,
            smtp_url,
            mail_from,
            open_registration: parse_bool(v, "OPEN_REGISTRATION", false)?,
            yubico_client_id,
            yubico_secret_key,
            yubico_api_urls,
            yubico_timeout_seconds: parse_num(v, "YUBICO_TIMEOUT_SECONDS", 5, 1, 60)? as u64,
            trusted_proxies: parse_networks(v, "TRUSTED_PROXIES")?,
            log_format,
            log_filter: {
                let f = get("LOG").unwrap_or("info");
                tracing_subscriber::EnvFilter::try_new(f).map_err(|e| {
                    bad(
                        "LOG",
                        format!("`{f}` is not a log filter ({e}), e.g. info or keyward=debug"),
                    )
                })?;
                f.to_owned()
            },
            lockout_threshold: parse_num(v, "LOCKOUT_THRESHOLD", 5, 1, 100)? as i32,
            lockout_seconds: parse_num(v, "LOCKOUT_SECONDS", 300, 1, 86_400)?,
            lockout_max_seconds: parse_num(v, "LOCKOUT_MAX_SECONDS", 86_400, 1, 30 * 86_400)?,
            pending_factor_ttl_seconds: parse_num(v, "PENDING_FACTOR_TTL_SECONDS", 900, 1, 86_400)?,
            sqlite_synchronous,
            db_pool_size: parse_num(v, "DB_POOL_SIZE", 16, 1, 1000)? as u32,
            request_timeout_seconds: parse_num(v, "REQUEST_TIMEOUT_SECONDS", 30, 1, 3600)? as u64,
            password_hash_concurrency: parse_num(
                v,
                "PASSWORD_HASH_CONCURRENCY",
                cores as i64,
                1,
                256,
            )? as usize,
            webauthn_attestation_ca_file: get("WEBAUTHN_ATTESTATION_CA_FILE").map(PathBuf::from),
            webauthn_challenge_ttl_seconds: parse_num(
                v,
                "WEBAUTHN_CHALLENGE_TTL_SECONDS",
                300,
                10,
                3600,
            )?,
            mail_max_attempts: parse_num(v, "MAIL_MAX_ATTEMPTS", 10, 1, 100)? as i32,
            mail_retry_seconds: parse_num(v, "MAIL_RETRY_SECONDS", 30, 1, 3600)?,
            data_dir,
        })
    }

    /// The WebAuthn relying-party id: the host of the base URL.
    pub fn rp_id(&self) -> &str {
        self.base_url.host_str().unwrap_or("localhost")
    }
}

/// Addresses (`10.0.0.5`, `::1`) and CIDR ranges (`10.0.0.0/8`), comma-separated.
fn parse_networks(
    v: &HashMap<String, String>,
    key: &str,
) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    let Some(raw) = v.get(key) else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| bad(key, format!("`{s}` is not an IP address or a CIDR range")))
        })
        .collect()
}

fn parse_bool(v: &HashMap<String, String>, key: &str, default: bool) -> Result<bool, ConfigError> {
    match v.get(key).map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") => Ok(default),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some("false" | "0" | "no" | "off") => Ok(false),
        Some(other) => Err(bad(key, format!("`{other}` is not true or false"))),
    }
}

fn parse_num(
    v: &HashMap<String, String>,
    key: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, ConfigError> {
    match v.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(bad(
                key,
                format!("`{raw}` must be a whole number from {min} to {max}"),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn mail_from_is_a_mailbox() {
        let s = Settings::from_vars(&vars(&[("KEYWARD_ISSUER", "Acme, Inc.")])).expect("settings");
        let parsed: lettre::message::Mailbox = s.mail_from.parse().expect("default parses");
        assert_eq!(parsed.name.as_deref(), Some("Acme, Inc."));
        assert_eq!(parsed.email.to_string(), "no-reply@localhost");
        let e = Settings::from_vars(&vars(&[("KEYWARD_MAIL_FROM", "not an address")]))
            .expect_err("refused");
        assert!(e.to_string().starts_with("KEYWARD_MAIL_FROM:"), "{e}");
        let e = Settings::from_vars(&vars(&[(
            "KEYWARD_SMTP_URL",
            "smtp://user:hunter2@mail.example.com?tls=sometimes",
        )]))
        .expect_err("refused");
        assert!(e.to_string().starts_with("KEYWARD_SMTP_URL:"), "{e}");
        assert!(!e.to_string().contains("hunter2"), "{e}");
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
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.base_url.as_str(), "http://localhost:8080/");
        assert_eq!(s.rp_id(), "localhost");
        assert_eq!(s.issuer, "Keyward");
        assert_eq!(
            s.database_url,
            DatabaseUrl::Sqlite(PathBuf::from("./keyward-data/keyward.db"))
        );
        assert_eq!(
            s.master_key_file,
            PathBuf::from("./keyward-data/master.key")
        );
        assert!(!s.open_registration);
        assert_eq!(s.sqlite_synchronous, SqliteSync::Full);
    }

    #[test]
    fn clear_errors_name_the_variable() {
        for (k, v, needle) in [
            ("KEYWARD_BASE_URL", "not a url", "KEYWARD_BASE_URL"),
            ("KEYWARD_BASE_URL", "ftp://x.org", "KEYWARD_BASE_URL"),
            ("KEYWARD_BASE_URL", "https://x.org/path", "KEYWARD_BASE_URL"),
            ("KEYWARD_DATABASE_URL", "mysql://x", "KEYWARD_DATABASE_URL"),
            ("KEYWARD_LISTEN", "8080", "KEYWARD_LISTEN"),
            (
                "KEYWARD_OPEN_REGISTRATION",
                "maybe",
                "KEYWARD_OPEN_REGISTRATION",
            ),
            ("KEYWARD_LOCKOUT_SECONDS", "-1", "KEYWARD_LOCKOUT_SECONDS"),
            ("KEYWARD_LOG_FORMAT", "xml", "KEYWARD_LOG_FORMAT"),
            ("KEYWARD_ISSUER", "a:b", "KEYWARD_ISSUER"),
            (
                "KEYWARD_TRUSTED_PROXIES",
                "10.0.0.1, proxy.local",
                "KEYWARD_TRUSTED_PROXIES",
            ),
            (
                "KEYWARD_TRUSTED_PROXIES",
                "10.0.0.0/33",
                "KEYWARD_TRUSTED_PROXIES",
            ),
        ] {
            let err = Settings::from_vars(&vars(&[(k, v)]))
                .expect_err(v)
                .to_string();
            assert!(err.starts_with(needle), "{err}");
            assert!(!err.contains('\n'));
        }
    }

    #[test]
    fn trusted_proxies() {
        let s = Settings::from_vars(&vars(&[(
            "KEYWARD_TRUSTED_PROXIES",
            " 10.0.0.0/8, ::1 ,192.0.2.7,",
        )]))
        .expect("settings");
        let shown: Vec<String> = s.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(shown, ["10.0.0.0/8", "::1/128", "192.0.2.7/32"]);
        assert!(
            Settings::from_vars(&HashMap::new())
                .expect("defaults")
                .trusted_proxies
                .is_empty()
        );
    }

    #[test]
    fn file_then_env() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keyward.toml");
        std::fs::write(
            &path,
            "issuer = \"From File\"\nlockout_seconds = 7\nlisten = \"127.0.0.1:9000\"\n",
        )
        .expect("write");
        let p = path.to_string_lossy().into_owned();
        let s = Settings::from_vars(&vars(&[
            ("KEYWARD_CONFIG", &p),
            ("KEYWARD_LISTEN", "127.0.0.1:9100"),
        ]))
        .expect("ok");
        assert_eq!(s.issuer, "From File");
        assert_eq!(s.lockout_seconds, 7);
        assert_eq!(s.listen.to_string(), "127.0.0.1:9100");
        std::fs::write(&path, "nonsense = 1\n").expect("write");
        assert!(Settings::from_vars(&vars(&[("KEYWARD_CONFIG", &p)])).is_err());
    }

    #[test]
    fn secrets_are_redacted() {
        let s = Settings::from_vars(&vars(&[(
            "KEYWARD_SMTP_URL",
            "smtp://user:hunter2@mail.example.org:587",
        )]))
        .expect("ok");
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
