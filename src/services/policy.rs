//! The security policy (API.md's document), stored as one row so every instance enforces the
//! same one. No row means the default policy.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::db::DbConnection;
use crate::db::schema::policy;
use crate::domain::newtypes::FactorKind;
use crate::error::Error;
use crate::state::AppState;

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
    pub fn validated(mut self) -> Result<Self, Error> {
        if !(0..=3650).contains(&self.enrollment_grace_days) {
            return Err(Error::BadRequest(
                "enrollment_grace_days: must be between 0 and 3650".into(),
            ));
        }
        if self.require_two_factor && self.allowed_methods.is_empty() {
            return Err(Error::BadRequest(
                "allowed_methods: two-factor cannot be required with no method allowed".into(),
            ));
        }
        self.allowed_methods.sort_by_key(|m| *m as u8);
        self.allowed_methods.dedup();
        self.webauthn.allowed_aaguids.sort();
        self.webauthn.allowed_aaguids.dedup();
        if self.webauthn.allowed_aaguids.len() > 500 {
            return Err(Error::BadRequest(
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
    pub fn require_allowed(&self, kind: FactorKind) -> Result<(), Error> {
        if self.allows(kind) {
            Ok(())
        } else {
            Err(Error::PolicyViolation(format!(
                "the security policy does not allow `{}` factors",
                kind.as_str()
            )))
        }
    }
}

/// The policy in force.
pub fn load(conn: &mut DbConnection) -> Result<Policy, Error> {
    let doc: Option<String> = policy::table
        .find(1)
        .select(policy::document)
        .get_result(conn)
        .optional()?;
    match doc {
        None => Ok(Policy::default()),
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| Error::internal(anyhow::anyhow!("the stored policy does not parse: {e}"))),
    }
}

/// `load` for a change that depends on the policy (a factor's activation or removal, a reset, a
/// new user): on PostgreSQL the policy row is share-locked until the transaction ends, so a
/// concurrent policy change waits for it (and then sees its result when it recomputes who
/// complies) instead of judging users by a policy that is being replaced. On SQLite every write
/// transaction runs alone already. Take it before the audit head, as `store` does.
pub fn load_locked(conn: &mut DbConnection) -> Result<Policy, Error> {
    if matches!(conn, DbConnection::Postgres(_)) {
        diesel::sql_query("SELECT id FROM policy WHERE id = 1 FOR SHARE").execute(conn)?;
    }
    load(conn)
}

pub async fn get(state: &AppState) -> Result<Policy, Error> {
    state.db.read(load).await
}

/// Replaces the policy; `policy.changed` records the policy before and after.
pub async fn put(state: &AppState, ctx: RequestContext, new: Policy) -> Result<Policy, Error> {
    let new = new.validated()?;
    let now = crate::domain::clock::naive(state.clock.now());
    state
        .db
        .write(move |conn| store(conn, now, &ctx, new))
        .await
}

fn store(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    ctx: &RequestContext,
    new: Policy,
) -> Result<Policy, Error> {
    let before = load(conn)?;
    let text = serde_json::to_string(&new).map_err(Error::internal)?;
    let updated = diesel::update(policy::table.find(1))
        .set((policy::document.eq(&text), policy::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(policy::table)
            .values((
                policy::id.eq(1),
                policy::document.eq(&text),
                policy::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    // Who meets the new policy, and since when those who do not have not.
    let out_of_compliance = super::compliance::refresh_all(conn, &new, now)?;
    if before != new {
        record_audit_event(
            conn,
            now,
            AuditRecord {
                event: "policy.changed",
                ctx,
                user_id: None,
                factor_id: None,
                details: serde_json::json!({ "before": before, "after": new, "users_out_of_compliance": out_of_compliance }),
            },
        )?;
    }
    Ok(new)
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
}
