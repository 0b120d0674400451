//! Validation of YubiKeys that are not in the inventory through YubiCloud-protocol 2.0 servers
//! (`KEYWARD_YUBICO_*`), with the `yubico_ng` crate: a fresh nonce per request, the answer's
//! signature checked, `otp` and `nonce` echoed, only `status=OK` accepted. Servers are tried in
//! order until one gives a definite answer; each has a deadline.

use std::time::Duration;

use yubico_ng::config::Config;
use yubico_ng::{Verifier, YubicoError};

use crate::config::Settings;

/// What the validation servers said of an OTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudOutcome {
    Valid,
    /// A definite no: the reason goes to the audit log, the user sees `invalid_code`.
    Refused(&'static str),
    /// No server gave a definite answer: the user is asked to try again.
    Unavailable(String),
}

pub struct YubiCloud {
    servers: Vec<(String, Verifier<reqwest::Client>)>,
    deadline: Duration,
}

impl std::fmt::Debug for YubiCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let urls: Vec<&str> = self.servers.iter().map(|(u, _)| u.as_str()).collect();
        f.debug_struct("YubiCloud")
            .field("servers", &urls)
            .finish_non_exhaustive()
    }
}

/// A readable reason that never carries the request (it holds the OTP) or a secret.
fn describe(e: &YubicoError) -> String {
    match e {
        YubicoError::Transport(_) => "the server could not be reached or timed out".into(),
        YubicoError::HTTPStatus(code) => format!("HTTP status {code}"),
        YubicoError::BadSignature => "BAD_SIGNATURE: the server refused our request signature (check KEYWARD_YUBICO_SECRET_KEY)".into(),
        YubicoError::SignatureMismatch => "the answer's signature is wrong".into(),
        YubicoError::OTPMismatch | YubicoError::NonceMismatch => "the answer does not echo our otp and nonce".into(),
        YubicoError::NoSuchClient => "NO_SUCH_CLIENT (check KEYWARD_YUBICO_CLIENT_ID)".into(),
        YubicoError::OperationNotAllowed => "OPERATION_NOT_ALLOWED".into(),
        YubicoError::BackendError => "BACKEND_ERROR".into(),
        YubicoError::NotEnoughAnswers => "NOT_ENOUGH_ANSWERS".into(),
        YubicoError::MissingParameter => "MISSING_PARAMETER".into(),
        // Includes statuses outside protocol 2.0, such as yubiserver's DELAYED_OTP.
        YubicoError::UnknownStatus | YubicoError::InvalidResponse => "an answer that is not the protocol's".into(),
        other => format!("{other:?}"),
    }
}

impl YubiCloud {
    /// `None` when no client id is configured (local validation only).
    pub fn from_settings(s: &Settings) -> anyhow::Result<Option<Self>> {
        let (Some(id), Some(key)) = (&s.yubicloud.client_id, &s.yubicloud.secret_key) else {
            return Ok(None);
        };
        let timeout = Duration::from_secs(s.yubicloud.timeout_seconds);
        let mut servers = Vec::new();
        for url in s.yubicloud.api_urls() {
            let config = Config::default()
                .set_client_id(id.clone())
                .set_key(key.expose())
                .map_err(|e| anyhow::anyhow!("KEYWARD_YUBICO_SECRET_KEY: {e:?}"))?
                .set_api_host(url.as_str())
                .set_user_agent(format!("keyward/{}", env!("CARGO_PKG_VERSION")))
                .set_request_timeout(timeout);
            let verifier = Verifier::<reqwest::Client>::new(config).map_err(|e| {
                anyhow::anyhow!("cannot set up the YubiKey validation client for {url}: {e:?}")
            })?;
            servers.push((url.to_string(), verifier));
        }
        Ok(Some(Self {
            servers,
            deadline: timeout + Duration::from_secs(1),
        }))
    }

    pub async fn validate(&self, otp: &str) -> CloudOutcome {
        let mut why = String::from("no validation server is configured");
        for (url, verifier) in &self.servers {
            match tokio::time::timeout(self.deadline, verifier.verify(otp.to_owned())).await {
                Err(_) => why = format!("{url}: timed out"),
                Ok(Ok(())) => return CloudOutcome::Valid,
                Ok(Err(YubicoError::BadOtp)) => return CloudOutcome::Refused("bad_otp"),
                Ok(Err(YubicoError::ReplayedOtp | YubicoError::ReplayedRequest)) => {
                    return CloudOutcome::Refused("replayed_otp");
                }
                Ok(Err(e)) => why = format!("{url}: {}", describe(&e)),
            }
            tracing::warn!(reason = %why, "YubiKey validation server gave no answer");
        }
        CloudOutcome::Unavailable(why)
    }
}
