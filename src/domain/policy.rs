//! The security policy as a value: what it allows, whether a factor meets it, and where a user
//! stands with it (the enrollment grace period). Pure: `services::policy` stores it and
//! `services::compliance` records who meets it.

use chrono::{Duration, NaiveDateTime};

use super::newtypes::FactorKind;

/// A submitted policy that cannot be used, with what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidPolicy(pub String);

/// A new factor of a kind the policy does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the security policy does not allow `{0}` factors")]
pub struct MethodNotAllowed(pub FactorKind);

/// What WebAuthn asks of the authenticator's user: a PIN or biometric on top of presence.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UserVerification {
    #[default]
    Preferred,
    Required,
    Discouraged,
}

impl UserVerification {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preferred => "preferred",
            Self::Required => "required",
            Self::Discouraged => "discouraged",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebauthnPolicy {
    pub user_verification: UserVerification,
    /// Empty: any authenticator model.
    #[schema(value_type = Vec<String>)]
    pub allowed_aaguids: Vec<uuid::Uuid>,
    /// Only authenticators whose attestation chains to a trusted root
    /// (`KEYWARD_WEBAUTHN_ATTESTATION_CA_FILE`, by default Yubico's).
    pub require_attestation: bool,
}

impl Default for WebauthnPolicy {
    fn default() -> Self {
        Self {
            user_verification: UserVerification::Preferred,
            allowed_aaguids: Vec::new(),
            require_attestation: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub require_two_factor: bool,
    pub allowed_methods: Vec<FactorKind>,
    pub webauthn: WebauthnPolicy,
    pub enrollment_grace_days: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            require_two_factor: false,
            allowed_methods: vec![
                FactorKind::Totp,
                FactorKind::YubikeyOtp,
                FactorKind::Webauthn,
            ],
            webauthn: WebauthnPolicy::default(),
            enrollment_grace_days: 14,
        }
    }
}

impl Policy {
    /// Checks a submitted policy and puts it in canonical form (methods and AAGUIDs without
    /// repeats, in a stable order).
    pub fn validated(mut self) -> Result<Self, InvalidPolicy> {
        if !(0..=3650).contains(&self.enrollment_grace_days) {
            return Err(InvalidPolicy(
                "enrollment_grace_days: must be between 0 and 3650".into(),
            ));
        }
        if self.require_two_factor && self.allowed_methods.is_empty() {
            return Err(InvalidPolicy(
                "allowed_methods: two-factor cannot be required with no method allowed".into(),
            ));
        }
        self.allowed_methods.sort_by_key(|m| *m as u8);
        self.allowed_methods.dedup();
        self.webauthn.allowed_aaguids.sort();
        self.webauthn.allowed_aaguids.dedup();
        if self.webauthn.allowed_aaguids.len() > 500 {
            return Err(InvalidPolicy(
                "webauthn.allowed_aaguids: at most 500 entries".into(),
            ));
        }
        Ok(self)
    }

    /// A policy that allows every method (for checks the policy does not govern).
    pub fn everything_allowed() -> Self {
        Self::default()
    }

    pub fn allows(&self, kind: FactorKind) -> bool {
        self.allowed_methods.contains(&kind)
    }

    /// Whether WebAuthn registrations must prove their make. An AAGUID allowlist implies it:
    /// an unattested AAGUID is only what the authenticator (or browser) claims.
    pub fn webauthn_needs_attestation(&self) -> bool {
        self.webauthn.require_attestation || !self.webauthn.allowed_aaguids.is_empty()
    }

    /// Why a WebAuthn credential does not meet the policy, if it does not: (reason, message).
    pub fn webauthn_refusal(
        &self,
        attested: bool,
        aaguid: Option<uuid::Uuid>,
    ) -> Option<(&'static str, String)> {
        if !self.allows(FactorKind::Webauthn) {
            return Some((
                "method_not_allowed",
                "the security policy does not allow `webauthn` factors".into(),
            ));
        }
        if self.webauthn_needs_attestation() && !attested {
            return Some((
                "attestation_required",
                "the security policy requires an attested authenticator from a trusted manufacturer"
                    .into(),
            ));
        }
        let list = &self.webauthn.allowed_aaguids;
        if !list.is_empty() && !aaguid.is_some_and(|a| list.contains(&a)) {
            let shown = aaguid.map_or_else(|| "unknown".to_owned(), |a| a.to_string());
            return Some((
                "aaguid_not_allowed",
                format!(
                    "the security policy does not allow this authenticator model (AAGUID {shown})"
                ),
            ));
        }
        None
    }

    /// The refusal for a method the policy does not allow.
    pub fn require_allowed(&self, kind: FactorKind) -> Result<(), MethodNotAllowed> {
        if self.allows(kind) {
            Ok(())
        } else {
            Err(MethodNotAllowed(kind))
        }
    }
}

/// Whether an active factor of this kind and make meets the policy (the method is allowed and,
/// for WebAuthn, attestation and the AAGUID allowlist are met).
pub fn complies(
    policy: &Policy,
    kind: FactorKind,
    attested: Option<bool>,
    aaguid: Option<&str>,
) -> bool {
    if !policy.allows(kind) {
        return false;
    }
    if kind == FactorKind::Webauthn {
        let aaguid = aaguid.and_then(|a| uuid::Uuid::parse_str(a).ok());
        return policy
            .webauthn_refusal(attested.unwrap_or(false), aaguid)
            .is_none();
    }
    true
}

/// When the enrollment grace period of a user out of compliance since `since` ends.
pub fn enroll_by(policy: &Policy, since: NaiveDateTime) -> NaiveDateTime {
    since + Duration::days(policy.enrollment_grace_days)
}

/// Where a user stands with the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The user has a factor the policy accepts, or nothing is required.
    Compliant,
    /// No compliant factor; the grace period runs until the given time.
    MustEnroll { by: NaiveDateTime },
    /// No compliant factor, and the grace period ended at the given time.
    Overdue { since: NaiveDateTime },
}

/// The standing of a user with `noncompliant_since` under `policy` at `now`. A user whose
/// record is not set yet (no policy change has run since) counts from `now`.
pub fn standing(
    policy: &Policy,
    compliant_factor: bool,
    noncompliant_since: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Standing {
    if !policy.require_two_factor || compliant_factor {
        return Standing::Compliant;
    }
    let by = enroll_by(policy, noncompliant_since.unwrap_or(now));
    if now < by {
        Standing::MustEnroll { by }
    } else {
        Standing::Overdue { since: by }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_api_md_document() {
        let json = serde_json::to_value(Policy::default()).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"require_two_factor": false, "allowed_methods": ["totp", "yubikey_otp", "webauthn"],
                "webauthn": {"user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false},
                "enrollment_grace_days": 14})
        );
    }

    #[test]
    fn validation() {
        let p = |v: serde_json::Value| serde_json::from_value::<Policy>(v);
        assert!(p(serde_json::json!({"require_two_factor": false, "allowed_methods": ["sms"],
            "webauthn": {"user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false},
            "enrollment_grace_days": 1})).is_err());
        assert!(p(serde_json::json!({"require_two_factor": false, "allowed_methods": [],
            "webauthn": {"user_verification": "sometimes", "allowed_aaguids": [], "require_attestation": false},
            "enrollment_grace_days": 1})).is_err());
        assert!(p(serde_json::json!({"require_two_factor": false, "allowed_methods": [],
            "webauthn": {"user_verification": "required", "allowed_aaguids": ["not-a-uuid"], "require_attestation": false},
            "enrollment_grace_days": 1})).is_err());
        let neg = Policy {
            enrollment_grace_days: -1,
            ..Policy::default()
        };
        assert!(neg.validated().is_err());
        let dup = Policy {
            allowed_methods: vec![
                FactorKind::Webauthn,
                FactorKind::YubikeyOtp,
                FactorKind::Webauthn,
            ],
            ..Policy::default()
        };
        assert_eq!(
            dup.validated().expect("valid").allowed_methods,
            vec![FactorKind::YubikeyOtp, FactorKind::Webauthn]
        );
    }

    fn hardware_only() -> Policy {
        let mut p = Policy {
            require_two_factor: true,
            allowed_methods: vec![FactorKind::YubikeyOtp, FactorKind::Webauthn],
            ..Policy::default()
        };
        p.webauthn.require_attestation = true;
        p
    }

    #[test]
    fn which_factors_comply() {
        let p = hardware_only();
        assert!(!complies(&p, FactorKind::Totp, None, None));
        assert!(complies(&p, FactorKind::YubikeyOtp, None, None));
        assert!(!complies(&p, FactorKind::Webauthn, Some(false), None));
        assert!(complies(
            &p,
            FactorKind::Webauthn,
            Some(true),
            Some("cb69481e-8ff7-4039-93ec-0a2729a154a8")
        ));
        let mut listed = p.clone();
        listed.webauthn.allowed_aaguids =
            vec![uuid::Uuid::parse_str("cb69481e-8ff7-4039-93ec-0a2729a154a8").expect("valid")];
        assert!(complies(
            &listed,
            FactorKind::Webauthn,
            Some(true),
            Some("cb69481e-8ff7-4039-93ec-0a2729a154a8")
        ));
        assert!(!complies(
            &listed,
            FactorKind::Webauthn,
            Some(true),
            Some("00000000-0000-0000-0000-000000000000")
        ));
        assert!(!complies(
            &listed,
            FactorKind::Webauthn,
            Some(true),
            Some("not a uuid")
        ));
        assert!(complies(&Policy::default(), FactorKind::Totp, None, None));
    }

    #[test]
    fn the_grace_period() {
        let mut p = hardware_only();
        p.enrollment_grace_days = 14;
        let t0 = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .expect("valid")
            .naive_utc();
        assert_eq!(standing(&p, true, Some(t0), t0), Standing::Compliant);
        assert_eq!(
            standing(&p, false, Some(t0), t0 + Duration::days(13)),
            Standing::MustEnroll {
                by: t0 + Duration::days(14)
            }
        );
        assert_eq!(
            standing(&p, false, Some(t0), t0 + Duration::days(14)),
            Standing::Overdue {
                since: t0 + Duration::days(14)
            }
        );
        // Not recorded yet: the grace period starts now.
        assert_eq!(
            standing(&p, false, None, t0),
            Standing::MustEnroll {
                by: t0 + Duration::days(14)
            }
        );
        p.enrollment_grace_days = 0;
        assert_eq!(
            standing(&p, false, Some(t0), t0),
            Standing::Overdue { since: t0 }
        );
        p.require_two_factor = false;
        assert_eq!(standing(&p, false, Some(t0), t0), Standing::Compliant);
    }
}
