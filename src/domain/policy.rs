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

/// Where a rule of a user's effective policy comes from: the global policy or a group's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Global,
    Group { id: String, name: String },
}

impl Source {
    /// How a page names it.
    pub fn label(&self) -> String {
        match self {
            Self::Global => "the global policy".to_owned(),
            Self::Group { name, .. } => format!("the group “{name}”"),
        }
    }
}

/// One group's policy, as the combination takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPolicy {
    pub group_id: String,
    pub group_name: String,
    pub policy: Policy,
}

/// Why a method is not allowed to a user, and by whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Exclusion {
    pub method: FactorKind,
    /// The policies that leave the method out (for `webauthn`, also when the AAGUID lists have
    /// nothing in common: then the policies with a list).
    pub by: Vec<Source>,
    /// `not_allowed`, or `aaguid_conflict` for security keys whose allowed models no single
    /// authenticator can satisfy.
    pub reason: &'static str,
}

/// A user's effective policy: the strictest combination of the global policy and the
/// policies of all their groups, with where each strict rule comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub policy: Policy,
    /// The names of the groups whose policies took part, in order.
    pub groups: Vec<String>,
    /// The policies that require two-factor (empty when nothing does).
    pub require_two_factor_from: Vec<Source>,
    /// The methods the user may not use, each with the policies that exclude it.
    pub excluded: Vec<Exclusion>,
    /// The policies with the strictest `user_verification`.
    pub user_verification_from: Vec<Source>,
    /// The policies that require attestation.
    pub require_attestation_from: Vec<Source>,
    /// The policies with an AAGUID list.
    pub allowed_aaguids_from: Vec<Source>,
    /// The policies with the shortest grace period.
    pub enrollment_grace_days_from: Vec<Source>,
}

impl Effective {
    /// A user in no group: the global policy as it is.
    pub fn global(policy: Policy) -> Self {
        combine(&policy, &[])
    }

    /// Why a method is not allowed, if it is not.
    pub fn exclusion(&self, kind: FactorKind) -> Option<&Exclusion> {
        self.excluded.iter().find(|e| e.method == kind)
    }

    /// Whether the groups (rather than the global policy alone) shape this policy.
    pub fn from_groups(&self) -> bool {
        let group = |v: &Vec<Source>| v.iter().any(|s| matches!(s, Source::Group { .. }));
        // A value the global policy sets too is the global policy's.
        let only_group = |v: &Vec<Source>| !v.contains(&Source::Global) && group(v);
        group(&self.require_two_factor_from)
            || self.excluded.iter().any(|e| group(&e.by))
            || only_group(&self.user_verification_from)
            || group(&self.require_attestation_from)
            || group(&self.allowed_aaguids_from)
            || only_group(&self.enrollment_grace_days_from)
    }
}

impl UserVerification {
    fn strictness(self) -> u8 {
        match self {
            Self::Discouraged => 0,
            Self::Preferred => 1,
            Self::Required => 2,
        }
    }
}

/// The strictest combination of `global` and the groups' policies, field by field (API.md,
/// "Groups and their policies"): two-factor required if any requires it; the allowed methods
/// the intersection; the strictest user verification; attestation required if any requires
/// it; the AAGUIDs the intersection of the non-empty lists (non-empty lists with nothing in
/// common allow no security key, so `webauthn` is then not allowed); the shortest grace
/// period.
pub fn combine(global: &Policy, groups: &[GroupPolicy]) -> Effective {
    let all: Vec<(Source, &Policy)> = std::iter::once((Source::Global, global))
        .chain(groups.iter().map(|g| {
            (
                Source::Group {
                    id: g.group_id.clone(),
                    name: g.group_name.clone(),
                },
                &g.policy,
            )
        }))
        .collect();
    let sources = |keep: &dyn Fn(&Policy) -> bool| -> Vec<Source> {
        all.iter()
            .filter(|(_, p)| keep(p))
            .map(|(s, _)| s.clone())
            .collect()
    };

    let require_two_factor_from = sources(&|p| p.require_two_factor);
    let uv = all
        .iter()
        .map(|(_, p)| p.webauthn.user_verification)
        .max_by_key(|u| u.strictness())
        .unwrap_or_default();
    let grace = all
        .iter()
        .map(|(_, p)| p.enrollment_grace_days)
        .min()
        .unwrap_or(global.enrollment_grace_days);
    let allowed_aaguids_from = sources(&|p| !p.webauthn.allowed_aaguids.is_empty());
    let mut aaguids: Option<Vec<uuid::Uuid>> = None;
    for (_, p) in &all {
        let list = &p.webauthn.allowed_aaguids;
        if list.is_empty() {
            continue;
        }
        aaguids = Some(match aaguids {
            None => list.clone(),
            Some(so_far) => so_far.into_iter().filter(|a| list.contains(a)).collect(),
        });
    }
    let aaguid_conflict = aaguids.as_ref().is_some_and(Vec::is_empty);
    let mut aaguids = aaguids.unwrap_or_default();
    aaguids.sort();
    aaguids.dedup();

    let mut allowed_methods = Vec::new();
    let mut excluded = Vec::new();
    for kind in [
        FactorKind::Totp,
        FactorKind::YubikeyOtp,
        FactorKind::Webauthn,
    ] {
        let by = sources(&|p| !p.allows(kind));
        if !by.is_empty() {
            excluded.push(Exclusion {
                method: kind,
                by,
                reason: "not_allowed",
            });
        } else if kind == FactorKind::Webauthn && aaguid_conflict {
            excluded.push(Exclusion {
                method: kind,
                by: allowed_aaguids_from.clone(),
                reason: "aaguid_conflict",
            });
        } else {
            allowed_methods.push(kind);
        }
    }

    Effective {
        groups: groups.iter().map(|g| g.group_name.clone()).collect(),
        policy: Policy {
            require_two_factor: !require_two_factor_from.is_empty(),
            allowed_methods,
            webauthn: WebauthnPolicy {
                user_verification: uv,
                allowed_aaguids: aaguids,
                require_attestation: all.iter().any(|(_, p)| p.webauthn.require_attestation),
            },
            enrollment_grace_days: grace,
        },
        require_two_factor_from,
        excluded,
        user_verification_from: sources(&|p| p.webauthn.user_verification == uv),
        require_attestation_from: sources(&|p| p.webauthn.require_attestation),
        allowed_aaguids_from,
        enrollment_grace_days_from: sources(&|p| p.enrollment_grace_days == grace),
    }
}

#[cfg(test)]
mod tests;
