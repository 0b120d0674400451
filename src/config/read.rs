//! How one setting's text becomes its value: the readers named in the sections'
//! `deserialize_with`, and the field names that make the list of keys.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use lettre::message::Mailbox;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _, Visitor};

use super::{LogFormat, SecretString};
use crate::db::{DatabaseUrl, SqliteSync};

/// The names serde gives a section's fields: its keys.
pub(super) fn keys_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut keys: &'static [&'static str] = &[];
    // Always an error: the deserializer only writes down the field names it is shown.
    let _ = T::deserialize(FieldNames(&mut keys));
    keys
}

struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(Self::Error::custom("only the field names are read"))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(Self::Error::custom("not a section"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

// The value readers named in `deserialize_with`. Each gets one key's text (the empty text
// when it is unset) and returns its value or the message that follows the variable's name.

fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(String::deserialize(d)?.trim().to_owned())
}

/// The value, or `default` when unset, both read by `parse`.
fn or_default<'de, D, T, E>(
    d: D,
    default: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    E: fmt::Display,
{
    let raw = text(d)?;
    parse(if raw.is_empty() { default } else { &raw }).map_err(D::Error::custom)
}

/// The value read by `parse`, or `None` when unset.
fn optional<'de, D, T, E>(
    d: D,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    E: fmt::Display,
{
    let raw = text(d)?;
    if raw.is_empty() {
        return Ok(None);
    }
    parse(&raw).map(Some).map_err(D::Error::custom)
}

/// A whole number from `MIN` to `MAX`; `DEFAULT` when unset.
pub(super) fn whole<'de, D, T, const DEFAULT: i64, const MIN: i64, const MAX: i64>(
    d: D,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    bounded(&text(d)?, DEFAULT, MIN, MAX).map_err(D::Error::custom)
}

pub(super) fn bounded<T: TryFrom<i64>>(
    raw: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<T, String> {
    let out_of_range = || format!("`{raw}` must be a whole number from {min} to {max}");
    let n = match raw.parse::<i64>() {
        _ if raw.is_empty() => default,
        Ok(n) if (min..=max).contains(&n) => n,
        _ => return Err(out_of_range()),
    };
    T::try_from(n).map_err(|_| out_of_range())
}

pub(super) fn flag<'de, D: Deserializer<'de>, const DEFAULT: bool>(d: D) -> Result<bool, D::Error> {
    match text(d)?.to_ascii_lowercase().as_str() {
        "" => Ok(DEFAULT),
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        other => Err(D::Error::custom(format!("`{other}` is not true or false"))),
    }
}

pub(super) fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    optional(d, |s| Ok::<_, String>(s.to_owned()))
}

pub(super) fn optional_secret<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<SecretString>, D::Error> {
    optional(d, |s| Ok::<_, String>(SecretString(s.to_owned())))
}

pub(super) fn optional_path<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
    optional(d, PathBuf::from_str)
}

pub(super) fn data_dir<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
    or_default(d, "./keyward-data", PathBuf::from_str)
}

pub(super) fn database_url<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DatabaseUrl>, D::Error> {
    optional(d, DatabaseUrl::parse)
}

pub(super) fn sqlite_synchronous<'de, D: Deserializer<'de>>(d: D) -> Result<SqliteSync, D::Error> {
    or_default(d, "full", |raw| match raw.to_ascii_lowercase().as_str() {
        "full" => Ok(SqliteSync::Full),
        "normal" => Ok(SqliteSync::Normal),
        other => Err(format!("`{other}` is not `full` or `normal`")),
    })
}

pub(super) fn listen<'de, D: Deserializer<'de>>(d: D) -> Result<SocketAddr, D::Error> {
    or_default(d, "127.0.0.1:8080", |raw| {
        raw.parse()
            .map_err(|_| "must be an address and port, e.g. 127.0.0.1:8080")
    })
}

pub(super) fn base_url<'de, D: Deserializer<'de>>(d: D) -> Result<url::Url, D::Error> {
    or_default(d, "http://localhost:8080", |raw| {
        let url = url::Url::parse(raw).map_err(|e| format!("`{raw}` is not a URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return Err(format!(
                "`{raw}` must be an http:// or https:// origin with a host"
            ));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "`{raw}` must be an origin without a path, query or fragment"
            ));
        }
        Ok(url)
    })
}

pub(super) fn issuer<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    or_default(d, "Keyward", |raw| {
        if raw.contains(':') || raw.chars().count() > 64 || raw.chars().any(char::is_control) {
            return Err("must be at most 64 characters, without ':' or control characters");
        }
        Ok(raw.to_owned())
    })
}

pub(super) fn locale<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<crate::domain::i18n::Locale, D::Error> {
    or_default(d, "en", |raw| {
        crate::domain::i18n::Locale::parse(raw).ok_or("must be one of en, ru, uk, ms, de, es")
    })
}

/// Addresses (`10.0.0.5`, `::1`) and CIDR ranges (`10.0.0.0/8`), comma-separated.
pub(super) fn networks<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ipnet::IpNet>, D::Error> {
    text(d)?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    D::Error::custom(format!("`{s}` is not an IP address or a CIDR range"))
                })
        })
        .collect()
}

/// Validation servers, comma-separated; `Some(empty)` when only commas are given.
pub(super) fn urls<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<url::Url>>, D::Error> {
    optional(d, |raw| {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| url::Url::parse(s).map_err(|_| format!("`{s}` is not a URL")))
            .collect::<Result<Vec<_>, _>>()
    })
}

pub(super) fn log_format<'de, D: Deserializer<'de>>(d: D) -> Result<LogFormat, D::Error> {
    or_default(d, "text", |raw| match raw.to_ascii_lowercase().as_str() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        other => Err(format!("`{other}` is not `text` or `json`")),
    })
}

pub(super) fn log_filter<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    or_default(d, "info", |raw| {
        tracing_subscriber::EnvFilter::try_new(raw)
            .map(|_| raw.to_owned())
            .map_err(|e| format!("`{raw}` is not a log filter ({e}), e.g. info or keyward=debug"))
    })
}

pub(super) fn smtp_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    optional(d, |raw| {
        let url = url::Url::parse(raw)
            .map_err(|_| "is not a URL, e.g. smtp://127.0.0.1:2525".to_owned())?;
        if !matches!(url.scheme(), "smtp" | "smtps") {
            return Err("must start with smtp:// or smtps://".to_owned());
        }
        // lettre's own reading of the URL (tls=, credentials, port), checked at start rather
        // than by the mail worker later. Its message never repeats the URL.
        lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(raw)
            .map_err(|e| format!("is not usable: {e}"))?;
        Ok(SecretString(raw.to_owned()))
    })
}

pub(super) fn mail_from<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Mailbox>, D::Error> {
    optional(d, |raw| {
        raw.parse::<Mailbox>().map_err(|e| {
            format!("is not a mail address ({e}), e.g. \"Example Hosting <security@example.com>\"")
        })
    })
}

pub(super) fn password_hash_concurrency<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<usize, D::Error> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let cores = i64::try_from(cores).unwrap_or(256);
    bounded(&text(d)?, cores, 1, 256).map_err(D::Error::custom)
}
