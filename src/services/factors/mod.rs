//! Second factors: the view the API shows, listing, removal, and what every activation
//! records. Enrollment by kind: [`totp`] (authenticator apps), [`yubikey`] (YubiKey OTP);
//! security keys are `services::webauthn`.

mod totp;
mod yubikey;

pub use totp::{TotpEnrollment, activate_totp, advance_totp_step, enroll_totp, totp_of};
pub use yubikey::enroll_yubikey;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::db::DbConnection;
use crate::db::models::{FactorRow, UserRow};
use crate::db::schema::factors;
use crate::domain::clock::{naive, rfc3339};
use crate::domain::ids::looks_like_id;
use crate::domain::keyring::Keyring;
use crate::domain::mail::{MailKind, factor_facts, method_label};
use crate::domain::newtypes::{FactorKind, FactorStatus};
use crate::error::Error;
use crate::services::mail::MailSettings;
use crate::state::AppState;

/// How many factors (pending and active) one user may have.
pub const MAX_FACTORS_PER_USER: i64 = 20;
/// Accepted clock drift, in time steps, each way.
pub const TOTP_SKEW: i64 = 1;

/// A factor as the API shows it: never a secret.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Factor {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: FactorKind,
    pub name: String,
    pub status: FactorStatus,
    pub created_at: String,
    pub activated_at: Option<String>,
    pub last_used_at: Option<String>,
    /// Per type: `totp` has `digits`, `period`, `algorithm` (and `last_drift_steps` once used);
    /// `yubikey_otp` has `public_id`; `webauthn` has `aaguid` (null while pending),
    /// `authenticator` (the model's name, when known), `attested`, `backup_eligible`,
    /// `backup_state` and `sign_count`.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<&FactorRow> for Factor {
    fn from(r: &FactorRow) -> Self {
        let details = match r.kind {
            FactorKind::Totp => {
                let mut d = serde_json::json!({
                    "digits": r.totp_digits,
                    "period": r.totp_period,
                    "algorithm": r.totp_algorithm,
                });
                if let Some(drift) = r.last_drift {
                    d["last_drift_steps"] = drift.into();
                }
                d
            }
            FactorKind::YubikeyOtp => serde_json::json!({ "public_id": r.yubikey_public_id }),
            FactorKind::Webauthn => {
                let mut d = serde_json::json!({ "aaguid": r.webauthn_aaguid });
                if let Some(name) = &r.webauthn_authenticator {
                    d["authenticator"] = name.as_str().into();
                }
                if r.is_active() {
                    d["attested"] = r.webauthn_attested.unwrap_or(false).into();
                    d["backup_eligible"] = r.webauthn_backup_eligible.unwrap_or(false).into();
                    d["backup_state"] = r.webauthn_backup_state.unwrap_or(false).into();
                    d["sign_count"] = r.webauthn_sign_count.unwrap_or(0).into();
                }
                d
            }
        };
        Self {
            id: r.id.clone(),
            kind: r.kind,
            name: r.name.clone(),
            status: r.status,
            created_at: rfc3339(r.created_at),
            activated_at: r.activated_at.map(rfc3339),
            last_used_at: r.last_used_at.map(rfc3339),
            details,
        }
    }
}

/// Refuses a new factor when the user already has `MAX_FACTORS_PER_USER` (pending ones that
/// have not expired count).
pub(in crate::services) fn ensure_room(
    conn: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<(), Error> {
    let existing: i64 = factors::table
        .filter(factors::user_id.eq(user_id))
        .filter(
            factors::expires_at
                .is_null()
                .or(factors::expires_at.gt(now)),
        )
        .count()
        .get_result(conn)?;
    if existing >= MAX_FACTORS_PER_USER {
        return Err(Error::Conflict(crate::services::refusals::no_room()));
    }
    Ok(())
}

pub(super) fn load_factor(
    conn: &mut DbConnection,
    user_id: &str,
    factor_id: &str,
    now: NaiveDateTime,
) -> Result<FactorRow, Error> {
    if !looks_like_id(factor_id) {
        return Err(Error::NotFound(
            "no factor with this id for this user".into(),
        ));
    }
    FactorRow::find_for_user(conn, user_id, factor_id, now)?
        .ok_or_else(|| Error::NotFound("no factor with this id for this user".into()))
}

pub async fn list(state: &AppState, user_id: String) -> Result<Vec<Factor>, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            let user = super::users::load(conn, &user_id)?;
            Ok(FactorRow::list_for_user(conn, &user.id, now)?
                .iter()
                .map(Factor::from)
                .collect())
        })
        .await
}

/// An activation as `record_activation` records it.
pub(in crate::services) struct ActivationRecord<'a> {
    pub ctx: &'a RequestContext,
    pub user_id: &'a str,
    pub factor: &'a FactorRow,
    /// The user had no active factor before this one.
    pub first_factor: bool,
    /// The `factor.activated` event's details.
    pub details: serde_json::Value,
}

/// The end of every activation: the `factor.activated` event, and — when this factor is the
/// user's first active one and they have no unused backup codes — a fresh set, returned for its
/// one showing.
/// The user is mailed ("two-factor is on", or "a new second factor was added").
pub(in crate::services) fn record_activation(
    conn: &mut DbConnection,
    keyring: &Keyring,
    mail: &MailSettings,
    now: NaiveDateTime,
    activation: ActivationRecord<'_>,
) -> Result<Option<Vec<String>>, Error> {
    let ActivationRecord {
        ctx,
        user_id,
        factor,
        first_factor,
        details,
    } = activation;
    let factor_id = factor.id.as_str();
    // The caller took the user's lock with `lock_for_factor_change`, which took the policy
    // rows' first: taking them again here waits for nothing.
    let policy = super::policy::effective_locked(conn, user_id)?.policy;
    super::compliance::refresh_user(conn, &policy, user_id, now, false)?;
    let backup_codes = if first_factor && super::backup_codes::remaining(conn, user_id)? == 0 {
        Some(super::backup_codes::issue_set(
            conn,
            keyring,
            now,
            ctx,
            user_id,
            "first_factor",
        )?)
    } else {
        None
    };
    record_audit_event(
        conn,
        now,
        AuditRecord {
            event: "factor.activated",
            ctx,
            user_id: Some(user_id),
            factor_id: Some(factor_id),
            details,
        },
    )?;
    super::mail::enqueue(
        conn,
        mail,
        now,
        ctx,
        user_id,
        MailKind::TwoFactorEnabled {
            first: first_factor,
            method: method_label(factor.kind).into(),
            device: factor_facts(
                factor.kind,
                &factor.id,
                factor.created_at,
                factor.yubikey_public_id.as_deref(),
            ),
        },
    )?;
    Ok(backup_codes)
}

#[tracing::instrument(skip_all, fields(user_id = %user_id, factor_id = %factor_id))]
pub async fn remove(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    factor_id: String,
) -> Result<(), Error> {
    let now = naive(state.clock.now());
    let mail = state.mail.clone();
    state
        .db
        .write(move |conn| {
            // The policy rows before the user's (the lock order).
            let policy = super::policy::effective_locked(conn, &user_id)?.policy;
            let user: UserRow = super::users::lock_for_factor_change(conn, &ctx, &user_id)?;
            let row = load_factor(conn, &user.id, &factor_id, now)?;
            diesel::delete(factors::table.find(&row.id)).execute(conn)?;
            let remaining_active = FactorRow::count_active(conn, &user.id)?;
            if policy.require_two_factor
                && super::compliance::row_complies(&policy, &row)
                && super::compliance::compliant_factors(conn, &policy, &user.id)?.is_empty()
            {
                // The error rolls the delete back.
                return Err(Error::PolicyViolation(
                    crate::services::refusals::LAST_COMPLIANT_FACTOR.into(),
                ));
            }
            super::compliance::refresh_user(conn, &policy, &user.id, now, false)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "factor.removed",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: Some(&row.id),
                    details: serde_json::json!({
                        "type": row.kind,
                        "name": row.name,
                        "status": row.status,
                        "active_factors_left": remaining_active,
                    }),
                },
            )?;
            if row.is_active() {
                super::mail::enqueue(
                    conn,
                    &mail,
                    now,
                    &ctx,
                    &user.id,
                    MailKind::FactorRemoved {
                        method: method_label(row.kind).into(),
                        device: factor_facts(
                            row.kind,
                            &row.id,
                            row.created_at,
                            row.yubikey_public_id.as_deref(),
                        ),
                        none_left: remaining_active == 0,
                    },
                )?;
            }
            Ok(())
        })
        .await?;
    state.mail_wakeup.notify_one();
    Ok(())
}
