//! The YubiCloud validation protocol 2.0, the parts both ends share: the signature (HMAC-SHA1
//! over the parameters but `h`, sorted by name, as `k=v` joined with `&`, in base64), the
//! answer's timestamp, nonces and status names.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    BadOtp,
    ReplayedOtp,
    BadSignature,
    MissingParameter,
    NoSuchClient,
    OperationNotAllowed,
    BackendError,
    ReplayedRequest,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::BadOtp => "BAD_OTP",
            Self::ReplayedOtp => "REPLAYED_OTP",
            Self::BadSignature => "BAD_SIGNATURE",
            Self::MissingParameter => "MISSING_PARAMETER",
            Self::NoSuchClient => "NO_SUCH_CLIENT",
            Self::OperationNotAllowed => "OPERATION_NOT_ALLOWED",
            Self::BackendError => "BACKEND_ERROR",
            Self::ReplayedRequest => "REPLAYED_REQUEST",
        }
    }
}

/// The text a signature covers.
pub fn signed_text(params: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "h").collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The HMAC-SHA1 of the signed text. (HMAC takes keys of any length: `None` does not happen.)
fn mac_of(params: &[(String, String)], key: &[u8]) -> Option<Vec<u8>> {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key).ok()?;
    mac.update(signed_text(params).as_bytes());
    Some(mac.finalize().into_bytes().to_vec())
}

/// The signature `h`, base64.
pub fn sign(params: &[(String, String)], key: &[u8]) -> String {
    mac_of(params, key)
        .map(|m| B64.encode(m))
        .unwrap_or_default()
}

/// Compares in constant time; a signature that is not base64 is simply wrong.
pub fn signature_matches(params: &[(String, String)], key: &[u8], h: &str) -> bool {
    match (mac_of(params, key), B64.decode(h.trim())) {
        (Some(a), Ok(b)) => a.ct_eq(&b).into(),
        _ => false,
    }
}

/// `2010-04-23T20:34:50Z0926`: UTC, then `Z0` and the milliseconds, as the protocol's servers write it.
pub fn timestamp(now: DateTime<Utc>) -> String {
    format!(
        "{}Z0{:03}",
        now.format("%Y-%m-%dT%H:%M:%S"),
        now.timestamp_subsec_millis()
    )
}

/// A nonce is 16 to 40 letters and digits.
pub fn valid_nonce(s: &str) -> bool {
    (16..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A fresh client secret: 20 random bytes (what YubiCloud issues), base64.
pub fn new_client_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    B64.encode(bytes)
}

pub fn decode_secret(b64: &str) -> Option<Vec<u8>> {
    B64.decode(b64.trim()).ok().filter(|k| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn signature_covers_sorted_pairs_without_h() {
        let params = p(&[("otp", "x"), ("id", "1"), ("nonce", "n"), ("h", "ignored")]);
        assert_eq!(signed_text(&params), "id=1&nonce=n&otp=x");
        let key = b"secret key";
        let h = sign(&params, key);
        assert!(signature_matches(&params, key, &h));
        assert!(!signature_matches(&params, b"other key", &h));
        assert!(!signature_matches(
            &p(&[("otp", "y"), ("id", "1"), ("nonce", "n")]),
            key,
            &h
        ));
        assert!(!signature_matches(&params, key, "not base64!"));
    }

    /// The example of the protocol's specification: id=1, otp=vvungrrdhvtklknvrtvuvbbkeidikkvgglrvdgrfcdft,
    /// nonce=jrFwbaYFhn0HoxZIsd9LQ6w2ceU, key `mG5be6ZJU1qBGz24yPh/ESM3UdU=` →
    /// h=+ja8S3IjbX593/LAgTBixwPNGX4=.
    #[test]
    fn specification_example() {
        let params = p(&[
            ("id", "1"),
            ("nonce", "jrFwbaYFhn0HoxZIsd9LQ6w2ceU"),
            ("otp", "vvungrrdhvtklknvrtvuvbbkeidikkvgglrvdgrfcdft"),
        ]);
        let key = decode_secret("mG5be6ZJU1qBGz24yPh/ESM3UdU=").expect("key");
        assert_eq!(sign(&params, &key), "+ja8S3IjbX593/LAgTBixwPNGX4=");
    }

    #[test]
    fn timestamps_and_nonces() {
        let t = DateTime::from_timestamp_millis(1_272_054_890_926).expect("time");
        assert_eq!(timestamp(t), "2010-04-23T20:34:50Z0926");
        assert!(valid_nonce("jrFwbaYFhn0HoxZIsd9LQ6w2ceU"));
        assert!(!valid_nonce("short"));
        assert!(!valid_nonce("has spaces in it, sixteen+"));
        assert_eq!(
            decode_secret(&new_client_secret()).map(|k| k.len()),
            Some(20)
        );
    }
}
