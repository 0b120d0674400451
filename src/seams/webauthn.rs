//! The WebAuthn relying party: webauthn-rs configured once at start from the settings, with
//! the attestation roots it trusts. Built by `AppState::new`; the ceremonies are
//! `services::webauthn`.

use chrono::Duration;
use webauthn_rs::prelude::{AttestationCaList, Webauthn, WebauthnBuilder};

use crate::config::Settings;
use crate::domain::webauthn::{YUBICO_ROOT_PEM, ca_list_from_pem_bundle};

/// The relying party: webauthn-rs configured from `KEYWARD_BASE_URL`, and the trusted
/// attestation roots.
pub struct RelyingParty {
    /// Flows that ask for user verification (`preferred`, `required`).
    pub(crate) standard: Webauthn,
    /// Flows for `user_verification: discouraged`: presence (a touch) is enough.
    pub(crate) presence_only: Webauthn,
    pub(crate) ca_list: AttestationCaList,
    pub(crate) challenge_ttl: Duration,
    pub(crate) origin: String,
}

impl RelyingParty {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let ttl = settings.webauthn.challenge_ttl_seconds;
        let origin = settings.server.base_url.clone();
        let build = |presence_only: bool| -> anyhow::Result<Webauthn> {
            WebauthnBuilder::new(settings.rp_id(), &origin)
                .and_then(|b| {
                    b.rp_name(&settings.server.issuer)
                        .timeout(std::time::Duration::from_secs(ttl as u64))
                        .danger_set_user_presence_only_security_keys(presence_only)
                        .build()
                })
                .map_err(|e| {
                    anyhow::anyhow!(
                        "KEYWARD_BASE_URL: cannot serve WebAuthn for {origin} ({e}); use a host name, e.g. http://localhost:8080, not an IP address"
                    )
                })
        };
        let ca_list = match &settings.webauthn.attestation_ca_file {
            None => ca_list_from_pem_bundle(YUBICO_ROOT_PEM).map_err(anyhow::Error::msg)?,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    anyhow::anyhow!(
                        "KEYWARD_WEBAUTHN_ATTESTATION_CA_FILE: cannot read {}: {e}",
                        path.display()
                    )
                })?;
                ca_list_from_pem_bundle(&text).map_err(|e| {
                    anyhow::anyhow!(
                        "KEYWARD_WEBAUTHN_ATTESTATION_CA_FILE: {}: {e}",
                        path.display()
                    )
                })?
            }
        };
        Ok(Self {
            standard: build(false)?,
            presence_only: build(true)?,
            ca_list,
            challenge_ttl: Duration::seconds(ttl),
            origin: origin.origin().ascii_serialization(),
        })
    }
}
