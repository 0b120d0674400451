//! Row types and their insertable twins. Finders return `QueryResult`; the services decide
//! what a missing row means.
//!
//! Single-row lookups use `get_result`, never `first`: `first` adds `LIMIT ?`, and SQLite
//! re-prepares a statement with a bound LIMIT every time it runs.
//!
//! Closed sets of words (a user's role, a factor's kind and status) are the domain's enums in
//! the rows and TEXT in the columns: `deserialize_as`/`serialize_as = String` through their
//! `TryFrom<String>`/`Into<String>`, so the same words are stored on both backends and the
//! domain knows nothing of diesel. An unknown word in a column fails the load.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{api_keys, audit_events, backup_codes, factors, throttles, users, yubikeys};
use crate::domain::newtypes::{FactorKind, FactorStatus, Role};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub email_normalized: String,
    pub display_name: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub role: Role,
    pub password_hash: Option<String>,
    pub totp_last_step: Option<i64>,
    pub created_at: NaiveDateTime,
    pub reported_at: Option<NaiveDateTime>,
    pub factors_frozen_at: Option<NaiveDateTime>,
    pub sessions_valid_after: Option<NaiveDateTime>,
    pub noncompliant_since: Option<NaiveDateTime>,
    pub email_verified_at: Option<NaiveDateTime>,
    /// `api`, `cli` or `signup`.
    pub created_via: String,
    pub password_reset_required_at: Option<NaiveDateTime>,
    pub password_changed_at: Option<NaiveDateTime>,
}

impl UserRow {
    /// A sign-up whose owner has not yet opened the confirmation link: it may not add factors.
    pub fn awaiting_confirmation(&self) -> bool {
        self.created_via == "signup" && self.email_verified_at.is_none()
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Self> {
        users::table
            .find(id)
            .select(Self::as_select())
            .get_result(conn)
    }

    pub fn find_by_email(conn: &mut DbConnection, normalized: &str) -> QueryResult<Option<Self>> {
        users::table
            .filter(users::email_normalized.eq(normalized))
            .select(Self::as_select())
            .get_result(conn)
            .optional()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

impl ApiKeyRow {
    /// The key with this token hash if it may be used at `now`: not revoked, not expired.
    pub fn find_usable_by_hash(
        conn: &mut DbConnection,
        hash: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Option<Self>> {
        api_keys::table
            .filter(api_keys::token_hash.eq(hash))
            .filter(api_keys::revoked_at.is_null())
            .filter(
                api_keys::expires_at
                    .is_null()
                    .or(api_keys::expires_at.gt(now)),
            )
            .select(Self::as_select())
            .get_result(conn)
            .optional()
    }

    /// Every key, oldest first (revoked and expired ones too).
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Self>> {
        api_keys::table
            .order((api_keys::created_at.asc(), api_keys::id.asc()))
            .select(Self::as_select())
            .load(conn)
    }
}

#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = factors)]
pub struct FactorRow {
    pub id: String,
    pub user_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: FactorKind,
    pub name: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: FactorStatus,
    pub created_at: NaiveDateTime,
    pub activated_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub secret_ciphertext: Option<Vec<u8>>,
    pub secret_key_id: Option<String>,
    pub totp_digits: Option<i32>,
    pub totp_period: Option<i32>,
    pub totp_algorithm: Option<String>,
    pub last_step: Option<i64>,
    pub last_drift: Option<i32>,
    pub yubikey_public_id: Option<String>,
    pub webauthn_credential_id: Option<String>,
    pub webauthn_credential: Option<String>,
    pub webauthn_aaguid: Option<String>,
    pub webauthn_authenticator: Option<String>,
    pub webauthn_sign_count: Option<i64>,
    pub webauthn_backup_eligible: Option<bool>,
    pub webauthn_backup_state: Option<bool>,
    pub webauthn_attested: Option<bool>,
}

impl FactorRow {
    /// A pending enrollment, to be proven (a code, a browser's response) before `expires_at`.
    /// The caller adds the per-type fields.
    pub fn pending(
        id: String,
        user_id: String,
        kind: FactorKind,
        name: String,
        now: NaiveDateTime,
        expires_at: NaiveDateTime,
    ) -> Self {
        Self {
            expires_at: Some(expires_at),
            ..Self::new(id, user_id, kind, name, FactorStatus::Pending, now)
        }
    }

    /// A factor proven at enrollment (a YubiKey's OTP): active from `now`.
    pub fn active(
        id: String,
        user_id: String,
        kind: FactorKind,
        name: String,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            activated_at: Some(now),
            ..Self::new(id, user_id, kind, name, FactorStatus::Active, now)
        }
    }

    fn new(
        id: String,
        user_id: String,
        kind: FactorKind,
        name: String,
        status: FactorStatus,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            id,
            user_id,
            kind,
            name,
            status,
            created_at: now,
            activated_at: None,
            last_used_at: None,
            expires_at: None,
            secret_ciphertext: None,
            secret_key_id: None,
            totp_digits: None,
            totp_period: None,
            totp_algorithm: None,
            last_step: None,
            last_drift: None,
            yubikey_public_id: None,
            webauthn_credential_id: None,
            webauthn_credential: None,
            webauthn_aaguid: None,
            webauthn_authenticator: None,
            webauthn_sign_count: None,
            webauthn_backup_eligible: None,
            webauthn_backup_state: None,
            webauthn_attested: None,
        }
    }

    pub fn is_active(&self) -> bool {
        self.status == FactorStatus::Active
    }
}

impl std::fmt::Debug for FactorRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FactorRow")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("secret_ciphertext", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl FactorRow {
    /// A factor of this user that has not expired as a pending enrollment.
    pub fn find_for_user(
        conn: &mut DbConnection,
        user_id: &str,
        factor_id: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Option<Self>> {
        factors::table
            .filter(factors::id.eq(factor_id))
            .filter(factors::user_id.eq(user_id))
            .filter(
                factors::expires_at
                    .is_null()
                    .or(factors::expires_at.gt(now)),
            )
            .select(Self::as_select())
            .get_result(conn)
            .optional()
    }

    pub fn list_for_user(
        conn: &mut DbConnection,
        user_id: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Vec<Self>> {
        factors::table
            .filter(factors::user_id.eq(user_id))
            .filter(
                factors::expires_at
                    .is_null()
                    .or(factors::expires_at.gt(now)),
            )
            .order((factors::created_at.asc(), factors::id.asc()))
            .select(Self::as_select())
            .load(conn)
    }

    pub fn active_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<Self>> {
        factors::table
            .filter(factors::user_id.eq(user_id))
            .filter(factors::status.eq(FactorStatus::Active.as_str()))
            .order((factors::created_at.asc(), factors::id.asc()))
            .select(Self::as_select())
            .load(conn)
    }

    pub fn count_active(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
        factors::table
            .filter(factors::user_id.eq(user_id))
            .filter(factors::status.eq(FactorStatus::Active.as_str()))
            .count()
            .get_result(conn)
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = backup_codes)]
pub struct NewBackupCode {
    pub user_id: String,
    pub code_hash: String,
    pub key_id: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = throttles)]
pub struct ThrottleRow {
    pub user_id: String,
    pub failures: i32,
    pub lockouts: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub locked_refusals: i32,
    pub last_failure_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events)]
pub struct AuditEventRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub event: String,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub user_id: Option<String>,
    pub factor_id: Option<String>,
    pub ip: Option<String>,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = yubikeys)]
pub struct YubikeyRow {
    pub public_id: String,
    pub secret_ciphertext: Vec<u8>,
    pub secret_key_id: String,
    pub usage_counter: Option<i32>,
    pub session_use: Option<i32>,
    pub last_nonce: Option<String>,
    pub created_at: NaiveDateTime,
    pub removed_at: Option<NaiveDateTime>,
}

impl std::fmt::Debug for YubikeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YubikeyRow")
            .field("public_id", &self.public_id)
            .field("secret_ciphertext", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl YubikeyRow {
    /// A key in the inventory (not removed).
    pub fn find(conn: &mut DbConnection, public_id: &str) -> QueryResult<Option<Self>> {
        yubikeys::table
            .filter(yubikeys::public_id.eq(public_id))
            .filter(yubikeys::removed_at.is_null())
            .select(Self::as_select())
            .get_result(conn)
            .optional()
    }
}
