//! Typed settings from the environment (`KEYWARD_*`), optionally extended by a TOML file
//! named in `KEYWARD_CONFIG` (its keys are the variable names without the prefix, in lower
//! case; the environment wins). Every setting is documented in docs/configuration.md.
//!
//! Each key is written once: as the `rename` of its field in one of the sections below, whose
//! `deserialize_with` gives the default (for an unset or empty value) and the check. figment
//! layers the values (every key unset, then the file, then the environment) and extracts each
//! section; its error names the key it was reading, which becomes the variable in the one-line
//! message. Why figment: docs/decisions/005-config-figment.md.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use figment::Figment;
use figment::providers::Serialized;
use lettre::message::Mailbox;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::db::{DatabaseUrl, SqliteSync};

mod read;
#[cfg(test)]
mod tests;

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

/// Everything the server reads at start, by concern.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub server: ServerSettings,
    pub log: LogSettings,
    pub mail: MailSettings,
    pub yubicloud: YubiCloudSettings,
    pub lockout: LockoutSettings,
    pub portal: PortalSettings,
    pub webauthn: WebauthnSettings,
    pub housekeeping: HousekeepingSettings,
}

/// Storage and keys.
#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// Home of the default database, the default master key file and (without an SMTP URL)
    /// the mail outbox's `.eml` files.
    #[serde(rename = "data_dir", deserialize_with = "read::data_dir")]
    pub data_dir: PathBuf,
    /// Unset: SQLite in the data directory, see [`DatabaseSettings::url`].
    #[serde(rename = "database_url", deserialize_with = "read::database_url")]
    url: Option<DatabaseUrl>,
    /// Unset: `master.key` in the data directory, see [`DatabaseSettings::master_key_file`].
    #[serde(rename = "master_key_file", deserialize_with = "read::optional_path")]
    master_key_file: Option<PathBuf>,
    #[serde(
        rename = "sqlite_synchronous",
        deserialize_with = "read::sqlite_synchronous"
    )]
    pub sqlite_synchronous: SqliteSync,
    #[serde(
        rename = "db_pool_size",
        deserialize_with = "read::whole::<_, _, 16, 1, 1000>"
    )]
    pub pool_size: u32,
}

/// The listener and the public identity.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    #[serde(rename = "listen", deserialize_with = "read::listen")]
    pub listen: SocketAddr,
    /// The public origin; its host is the WebAuthn relying-party id.
    #[serde(rename = "base_url", deserialize_with = "read::base_url")]
    pub base_url: url::Url,
    #[serde(rename = "issuer", deserialize_with = "read::issuer")]
    pub issuer: String,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or CIDR ranges,
    /// comma-separated). Empty: the TCP peer is the client.
    #[serde(rename = "trusted_proxies", deserialize_with = "read::networks")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    #[serde(
        rename = "request_timeout_seconds",
        deserialize_with = "read::whole::<_, _, 30, 1, 3600>"
    )]
    pub request_timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    #[serde(rename = "log_format", deserialize_with = "read::log_format")]
    pub format: LogFormat,
    /// A `tracing` env-filter directive.
    #[serde(rename = "log", deserialize_with = "read::log_filter")]
    pub filter: String,
}

/// Security mail: where it goes and how often it is tried.
#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    /// Unset: every mail is written as an `.eml` file in `<data_dir>/mail`.
    #[serde(rename = "smtp_url", deserialize_with = "read::smtp_url")]
    pub smtp_url: Option<SecretString>,
    /// Unset: built from the issuer and the base URL's host, see [`Settings::mail_from`].
    #[serde(rename = "mail_from", deserialize_with = "read::mail_from")]
    from: Option<Mailbox>,
    /// Attempts per mail before it is marked failed.
    #[serde(
        rename = "mail_max_attempts",
        deserialize_with = "read::whole::<_, _, 10, 1, 100>"
    )]
    pub max_attempts: i32,
    /// The wait before the second attempt; it doubles for each further one (at most an hour).
    #[serde(
        rename = "mail_retry_seconds",
        deserialize_with = "read::whole::<_, _, 30, 1, 3600>"
    )]
    pub retry_seconds: i64,
}

/// YubiCloud-protocol validation servers, for YubiKeys not in the inventory.
#[derive(Debug, Clone, Deserialize)]
pub struct YubiCloudSettings {
    #[serde(rename = "yubico_client_id", deserialize_with = "read::optional_text")]
    pub client_id: Option<String>,
    #[serde(
        rename = "yubico_secret_key",
        deserialize_with = "read::optional_secret"
    )]
    pub secret_key: Option<SecretString>,
    /// Unset: YubiCloud's when the client id is set, see [`YubiCloudSettings::api_urls`].
    #[serde(rename = "yubico_api_urls", deserialize_with = "read::urls")]
    api_urls: Option<Vec<url::Url>>,
    #[serde(
        rename = "yubico_timeout_seconds",
        deserialize_with = "read::whole::<_, _, 5, 1, 60>"
    )]
    pub timeout_seconds: u64,
}

/// Consecutive failed verifications of one user.
#[derive(Debug, Clone, Deserialize)]
pub struct LockoutSettings {
    /// Failed verifications in a row that lock the user out.
    #[serde(
        rename = "lockout_threshold",
        deserialize_with = "read::whole::<_, _, 5, 1, 100>"
    )]
    pub threshold: i32,
    /// The first lockout's length; each further one doubles it.
    #[serde(
        rename = "lockout_seconds",
        deserialize_with = "read::whole::<_, _, 300, 1, 86_400>"
    )]
    pub seconds: i64,
    /// The longest a lockout grows to.
    #[serde(
        rename = "lockout_max_seconds",
        deserialize_with = "read::whole::<_, _, 86_400, 1, 2_592_000>"
    )]
    pub max_seconds: i64,
}

/// Accounts and enrollment.
#[derive(Debug, Clone, Deserialize)]
pub struct PortalSettings {
    /// Whether anyone may create a customer account at `/signup`.
    #[serde(
        rename = "open_registration",
        deserialize_with = "read::flag::<_, false>"
    )]
    pub open_registration: bool,
    /// How long an unfinished enrollment (a pending factor) lives.
    #[serde(
        rename = "pending_factor_ttl_seconds",
        deserialize_with = "read::whole::<_, _, 900, 1, 86_400>"
    )]
    pub pending_factor_ttl_seconds: i64,
    /// Password hashes (argon2id) computed at once; more wait.
    #[serde(
        rename = "password_hash_concurrency",
        deserialize_with = "read::password_hash_concurrency"
    )]
    pub password_hash_concurrency: usize,
    /// The language of pages and mail when neither the user, the application nor the browser
    /// names a supported one (`en`, `ru`, `uk`, `ms`, `de`, `es`).
    #[serde(rename = "default_locale", deserialize_with = "read::locale")]
    pub default_locale: crate::domain::i18n::Locale,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WebauthnSettings {
    /// PEM bundle of trusted attestation roots; unset: the shipped Yubico root.
    #[serde(
        rename = "webauthn_attestation_ca_file",
        deserialize_with = "read::optional_path"
    )]
    pub attestation_ca_file: Option<PathBuf>,
    #[serde(
        rename = "webauthn_challenge_ttl_seconds",
        deserialize_with = "read::whole::<_, _, 300, 10, 3600>"
    )]
    pub challenge_ttl_seconds: i64,
}

/// What the housekeeping task deletes, and after how long. Audit events, pending or failed
/// mail and tokens that still work are never deleted.
#[derive(Debug, Clone, Deserialize)]
pub struct HousekeepingSettings {
    /// Days a sent mail stays in the outbox (counted from its sending).
    #[serde(
        rename = "sent_mail_retention_days",
        deserialize_with = "read::whole::<_, _, 30, 1, 3650>"
    )]
    pub sent_mail_retention_days: i64,
    /// Days a used or expired link or token stays (counted from its use or expiry).
    #[serde(
        rename = "token_retention_days",
        deserialize_with = "read::whole::<_, _, 7, 1, 3650>"
    )]
    pub token_retention_days: i64,
}

/// The first bad setting, as one line naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

fn bad(key: &str, why: impl fmt::Display) -> ConfigError {
    ConfigError(format!("KEYWARD_{key}: {why}"))
}

/// Every key the server reads, in lower case and without the `KEYWARD_` prefix: the fields
/// of the sections.
pub fn keys() -> Vec<&'static str> {
    [
        read::keys_of::<DatabaseSettings>(),
        read::keys_of::<ServerSettings>(),
        read::keys_of::<LogSettings>(),
        read::keys_of::<MailSettings>(),
        read::keys_of::<YubiCloudSettings>(),
        read::keys_of::<LockoutSettings>(),
        read::keys_of::<PortalSettings>(),
        read::keys_of::<WebauthnSettings>(),
        read::keys_of::<HousekeepingSettings>(),
    ]
    .concat()
}

impl Settings {
    /// Reads the process environment (and the file it names).
    pub fn from_env() -> Result<Self, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        Self::from_vars(&env)
    }

    /// Builds settings from `KEYWARD_*` variables given as a map (the file, when named, is read).
    pub fn from_vars(env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let keys = keys();
        let unset: BTreeMap<&str, &str> = keys.iter().map(|k| (*k, "")).collect();
        let file = match env.get("KEYWARD_CONFIG").filter(|p| !p.is_empty()) {
            Some(path) => file_values(path, &keys)?,
            None => BTreeMap::new(),
        };
        // Set but empty still wins over the file: the default applies.
        let vars: BTreeMap<&str, &str> = keys
            .iter()
            .filter_map(|k| {
                let value = env.get(&format!("KEYWARD_{}", k.to_ascii_uppercase()))?;
                Some((*k, value.as_str()))
            })
            .collect();
        let figment = Figment::from(Serialized::defaults(unset))
            .merge(Serialized::defaults(file))
            .merge(Serialized::defaults(vars));
        let settings = Self {
            database: section(&figment)?,
            server: section(&figment)?,
            log: section(&figment)?,
            mail: section(&figment)?,
            yubicloud: section::<YubiCloudSettings>(&figment)?.checked()?,
            lockout: section(&figment)?,
            portal: section(&figment)?,
            webauthn: section(&figment)?,
            housekeeping: section(&figment)?,
        };
        // The default sender is built from other settings: see now that it can be.
        settings.mail_from()?;
        Ok(settings)
    }

    /// The WebAuthn relying-party id: the host of the base URL.
    pub fn rp_id(&self) -> &str {
        self.server.base_url.host_str().unwrap_or("localhost")
    }

    /// The `From` of security mail: `KEYWARD_MAIL_FROM`, or the issuer at
    /// `no-reply@<host of the base URL>` (checked at start).
    pub fn mail_from(&self) -> Result<Mailbox, ConfigError> {
        if let Some(from) = &self.mail.from {
            return Ok(from.clone());
        }
        // Built, not parsed: lettre quotes an issuer like "Acme, Inc." as needed.
        let host = self.server.base_url.host_str().unwrap_or("localhost");
        let address = lettre::Address::new("no-reply", host).map_err(|e| {
            bad(
                "MAIL_FROM",
                format!("no-reply@{host} is not a mail address ({e}): set KEYWARD_MAIL_FROM"),
            )
        })?;
        Ok(Mailbox::new(Some(self.server.issuer.clone()), address))
    }
}

impl DatabaseSettings {
    /// `KEYWARD_DATABASE_URL`, or SQLite at `<data_dir>/keyward.db`.
    pub fn url(&self) -> DatabaseUrl {
        self.url
            .clone()
            .unwrap_or_else(|| DatabaseUrl::Sqlite(crate::db::default_sqlite_path(&self.data_dir)))
    }

    /// `KEYWARD_MASTER_KEY_FILE`, or `<data_dir>/master.key`.
    pub fn master_key_file(&self) -> PathBuf {
        self.master_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("master.key"))
    }
}

impl YubiCloudSettings {
    /// The validation servers, asked in order; empty when no client id is set.
    pub fn api_urls(&self) -> &[url::Url] {
        self.api_urls.as_deref().unwrap_or_default()
    }

    /// The client id and the key come together, and the servers with them.
    fn checked(mut self) -> Result<Self, ConfigError> {
        match (&self.client_id, &self.secret_key) {
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
        if self.client_id.is_some() && self.api_urls.is_none() {
            let yubicloud = url::Url::parse("https://api.yubico.com/wsapi/2.0/verify")
                .map_err(|e| bad("YUBICO_API_URLS", e))?;
            self.api_urls = Some(vec![yubicloud]);
        }
        if self.api_urls().is_empty() && self.client_id.is_some() {
            return Err(bad(
                "YUBICO_API_URLS",
                "must name at least one validation server",
            ));
        }
        if !self.api_urls().is_empty() && self.client_id.is_none() {
            return Err(bad(
                "YUBICO_API_URLS",
                "needs KEYWARD_YUBICO_CLIENT_ID and KEYWARD_YUBICO_SECRET_KEY",
            ));
        }
        Ok(self)
    }
}

/// One section from the layered values; the error becomes the line naming the variable.
fn section<T: DeserializeOwned>(figment: &Figment) -> Result<T, ConfigError> {
    figment.extract().map_err(|e| {
        let key = e.path.join(".").to_ascii_uppercase();
        bad(&key, &e.kind)
    })
}

/// The file named in `KEYWARD_CONFIG`, as text values under lower-case keys.
fn file_values(path: &str, keys: &[&str]) -> Result<BTreeMap<String, String>, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad("CONFIG", format!("cannot read {path}: {e}")))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        bad(
            "CONFIG",
            format!("{path} is not valid TOML: {}", e.message()),
        )
    })?;
    let mut values = BTreeMap::new();
    for (k, v) in table {
        let key = k.to_lowercase();
        if !keys.contains(&key.as_str()) {
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
    Ok(values)
}
