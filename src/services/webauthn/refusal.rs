//! Why a WebAuthn response was refused: a stable reason for the audit log, a message for the
//! caller, and whether the policy refused it (403) or the response was wrong (422).

use webauthn_rs::prelude::WebauthnError;

use crate::error::Error;

/// A refused WebAuthn response: the reason for the audit log, and what the caller is told.
#[derive(Debug, Clone)]
pub(super) struct Refusal {
    pub(super) reason: &'static str,
    pub(super) message: String,
    /// The policy refused it (403), rather than the response being wrong (422).
    pub(super) policy: bool,
    /// The factor the response was made with, when known.
    pub(super) factor_id: Option<String>,
}

impl Refusal {
    pub(super) fn invalid(reason: &'static str, message: impl Into<String>) -> Self {
        Self {
            reason,
            message: message.into(),
            policy: false,
            factor_id: None,
        }
    }
    pub(super) fn policy(reason: &'static str, message: impl Into<String>) -> Self {
        Self {
            reason,
            message: message.into(),
            policy: true,
            factor_id: None,
        }
    }
    pub(super) fn for_factor(mut self, factor_id: &str) -> Self {
        self.factor_id = Some(factor_id.to_owned());
        self
    }
    pub(super) fn into_error(self) -> Error {
        if self.policy {
            Error::PolicyViolation(self.message)
        } else {
            Error::InvalidCredential(self.message)
        }
    }
}

pub(super) fn refusal_of(e: &WebauthnError, origin: &str, registration: bool) -> Refusal {
    use WebauthnError as W;
    match e {
        // At registration this is the attested flow refusing a synced (backup-eligible)
        // credential; at verification it is an assertion with inconsistent backup flags.
        W::CredentialMayNotBeHardwareBound if registration => Refusal::policy(
            "not_hardware_bound",
            "the security policy requires a hardware-bound authenticator: this credential may be synced between devices",
        ),
        W::CredentialMayNotBeHardwareBound => Refusal::invalid(
            "inconsistent_backup_flags",
            "the authenticator data's backup flags are inconsistent",
        ),
        W::MismatchedChallenge => Refusal::invalid(
            "wrong_challenge",
            "the response does not answer this challenge",
        ),
        W::InvalidRPOrigin => Refusal::invalid(
            "wrong_origin",
            format!("the response was made for another origin; this server is {origin}"),
        ),
        W::InvalidRPIDHash => Refusal::invalid(
            "wrong_rp_id",
            "the response was made for another relying party id",
        ),
        W::InvalidClientDataType => Refusal::invalid(
            "wrong_ceremony",
            "clientDataJSON is not of the expected type (webauthn.create for registration, webauthn.get for verification)",
        ),
        W::UserNotPresent => Refusal::invalid(
            "user_not_present",
            "the authenticator did not report a touch",
        ),
        W::UserNotVerified => Refusal::invalid(
            "user_not_verified",
            "the authenticator did not verify the user (PIN or biometric), which is required",
        ),
        W::CredentialNotFound => Refusal::invalid(
            "unknown_credential",
            "this credential is not registered for this user",
        ),
        W::CredentialPossibleCompromise => Refusal::invalid(
            "counter_regressed",
            "the security key's signature counter went backwards: it may have been cloned",
        ),
        W::CredentialExcludedFromRequest => Refusal::invalid(
            "already_registered",
            "this authenticator is already registered for this user",
        ),
        W::COSEKeyInvalidAlgorithm
        | W::COSEKeyInvalidType
        | W::COSEKeyECDSAInvalidCurve
        | W::COSEKeyEDDSAInvalidCurve
        | W::COSEKeyEDUnsupported
        | W::SshPublicKeyEDUnsupported
        | W::CredentialAlteredAlgFromRequest => Refusal::invalid(
            "unsupported_algorithm",
            "the authenticator used a signature algorithm this server does not accept",
        ),
        W::AttestationNotVerifiable
        | W::AttestationChainNotTrusted(_)
        | W::AttestationUntrustedAaguid
        | W::AttestationFormatMissingAaguid
        | W::AttestationCertificateTrustStoreEmpty
        | W::MissingAttestationCaList
        | W::AttestationNotSupported => Refusal::policy(
            "attestation_not_trusted",
            "the security policy requires an attested authenticator: this one did not prove its make with a certificate from a trusted manufacturer",
        ),
        W::AuthenticationFailure => {
            Refusal::invalid("bad_signature", "the signature does not verify")
        }
        W::ParseCBORFailure(_) | W::ParseNOMFailure | W::ParseJSONFailure(_) => Refusal::invalid(
            "malformed",
            "the response is malformed (clientDataJSON, attestation object or authenticator data do not parse)",
        ),
        other => Refusal::invalid("refused", format!("the response was refused: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_message() {
        for e in [
            WebauthnError::MismatchedChallenge,
            WebauthnError::InvalidRPOrigin,
            WebauthnError::CredentialPossibleCompromise,
            WebauthnError::AttestationNotVerifiable,
            WebauthnError::COSEKeyInvalidAlgorithm,
            WebauthnError::Configuration,
        ] {
            let r = refusal_of(&e, "http://localhost:8080", true);
            assert!(!r.message.is_empty(), "{e:?}");
        }
        assert!(refusal_of(&WebauthnError::AttestationNotVerifiable, "x", true).policy);
        assert!(!refusal_of(&WebauthnError::InvalidRPOrigin, "x", true).policy);
        assert!(refusal_of(&WebauthnError::CredentialMayNotBeHardwareBound, "x", true).policy);
        assert!(!refusal_of(&WebauthnError::CredentialMayNotBeHardwareBound, "x", false).policy);
    }
}
