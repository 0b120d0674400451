//! Authenticator apps (TOTP): enrollment as a pending factor with a fresh secret, and
//! activation by a first code, whose time step is then used up.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::{ActivationRecord, Factor, TOTP_SKEW, ensure_room, load_factor, record_activation};
use crate::db::DbConnection;
use crate::db::models::FactorRow;
use crate::db::schema::{factors, users};
use crate::domain::clock::naive;
use crate::domain::ids::new_id;
use crate::domain::keyring::Keyring;
use crate::domain::newtypes::{FactorKind, FactorStatus};
use crate::domain::totp::{TotpAlgorithm, TotpParams, TotpSecret, qr_svg};
use crate::error::Error;
use crate::services::RequestContext;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::state::AppState;

/// The one-time enrollment answer for an authenticator app.
#[derive(Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TotpEnrollment {
    /// Base32 (RFC 4648, no padding), 160 bits.
    pub secret: String,
    pub otpauth_uri: String,
    /// An SVG document whose QR code holds exactly `otpauth_uri`.
    pub qr_svg: String,
    pub digits: u8,
    pub period: u64,
    pub algorithm: String,
}

impl std::fmt::Debug for TotpEnrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpEnrollment([redacted])")
    }
}

/// The parameters and decrypted secret of a stored TOTP factor.
pub fn totp_of(row: &FactorRow, keyring: &Keyring) -> Result<(TotpParams, TotpSecret), Error> {
    let broken = || {
        Error::internal(anyhow::anyhow!(
            "factor {} has incomplete TOTP data",
            row.id
        ))
    };
    let (Some(ct), Some(key_id)) = (&row.secret_ciphertext, &row.secret_key_id) else {
        return Err(broken());
    };
    let params = TotpParams {
        algorithm: row
            .totp_algorithm
            .as_deref()
            .and_then(TotpAlgorithm::parse)
            .ok_or_else(broken)?,
        digits: row
            .totp_digits
            .and_then(|d| u8::try_from(d).ok())
            .ok_or_else(broken)?,
        period: row
            .totp_period
            .and_then(|p| u64::try_from(p).ok())
            .filter(|p| *p > 0)
            .ok_or_else(broken)?,
    };
    let secret = keyring
        .open(key_id, ct, row.id.as_bytes())
        .map_err(|e| Error::internal(anyhow::anyhow!("factor {}: {e}", row.id)))?;
    Ok((params, TotpSecret::from_bytes(secret)))
}

#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn enroll_totp(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    name: String,
) -> Result<(Factor, TotpEnrollment), Error> {
    let now = state.clock.now();
    let expires = naive(now + Duration::seconds(state.settings.portal.pending_factor_ttl_seconds));
    let now = naive(now);
    let params = TotpParams::default();
    let secret = TotpSecret::generate();
    let factor_id = new_id("fac");
    let sealed = state.keyring.seal(secret.as_bytes(), factor_id.as_bytes());
    let issuer = state.settings.server.issuer.clone();
    let (factor, email) = state
        .db
        .write(move |conn| {
            let user = crate::services::users::lock_for_factor_change(conn, &ctx, &user_id)?;
            crate::services::policy::require_allowed(conn, &user.id, FactorKind::Totp)?;
            ensure_room(conn, &user.id, now)?;
            let row = FactorRow {
                secret_ciphertext: Some(sealed.blob),
                secret_key_id: Some(sealed.key_id),
                totp_digits: Some(params.digits.into()),
                totp_period: Some(params.period as i32),
                totp_algorithm: Some(params.algorithm.as_str().into()),
                ..FactorRow::pending(
                    factor_id,
                    user.id.clone(),
                    FactorKind::Totp,
                    name,
                    now,
                    expires,
                )
            };
            diesel::insert_into(factors::table)
                .values(row.clone())
                .execute(conn)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "factor.enrollment_started",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: Some(&row.id),
                    details: serde_json::json!({ "type": "totp", "name": row.name }),
                },
            )?;
            Ok::<_, Error>((Factor::from(&row), user.email))
        })
        .await?;
    let otpauth_uri = params.otpauth_uri(&issuer, &email, &secret);
    let qr_svg = qr_svg(&otpauth_uri).map_err(|e| Error::internal(anyhow::anyhow!(e)))?;
    Ok((
        factor,
        TotpEnrollment {
            secret: secret.to_base32(),
            otpauth_uri,
            qr_svg,
            digits: params.digits,
            period: params.period,
            algorithm: params.algorithm.as_str().into(),
        },
    ))
}

enum Activation {
    Done(Box<Factor>, Option<Vec<String>>),
    WrongCode,
}

/// Raises the user's last accepted TOTP step to `step` unless it is already there or beyond;
/// returns whether it moved. The single conditional UPDATE is the replay guard.
pub fn advance_totp_step(conn: &mut DbConnection, user_id: &str, step: i64) -> QueryResult<bool> {
    let moved = crate::db::native::native!(conn, |c| diesel::update(
        users::table.filter(users::id.eq(user_id)).filter(
            users::totp_last_step
                .is_null()
                .or(users::totp_last_step.lt(step)),
        ),
    )
    .set(users::totp_last_step.eq(step))
    .execute(c))?;
    Ok(moved == 1)
}

#[tracing::instrument(skip_all, fields(user_id = %user_id, factor_id = %factor_id))]
pub async fn activate_totp(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    factor_id: String,
    code: String,
) -> Result<(Factor, Option<Vec<String>>), Error> {
    let now_dt = state.clock.now();
    let now = naive(now_dt);
    let keyring = state.keyring.clone();
    let mail = state.mail.clone();
    let outcome = state
        .db
        .write(move |conn| {
            let user = crate::services::users::lock_for_factor_change(conn, &ctx, &user_id)?;
            let row = load_factor(conn, &user.id, &factor_id, now)?;
            if row.is_active() {
                return Err(Error::Conflict(crate::services::refusals::FACTOR_ALREADY_ACTIVE.into()));
            }
            if row.kind != FactorKind::Totp {
                return Err(Error::BadRequest(format!(
                    "a factor of type {} is not activated with a code",
                    row.kind
                )));
            }
            let (params, secret) = totp_of(&row, &keyring)?;
            let matched = params.check(&secret, code.trim(), now_dt.timestamp(), TOTP_SKEW);
            // A step at or before the user's last accepted one is never accepted, here either.
            let fresh_step = match matched {
                Some(m) => advance_totp_step(conn, &user.id, m.step)?,
                None => false,
            };
            let Some(m) = matched.filter(|_| fresh_step) else {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "factor.activation_failed",
                        ctx: &ctx,
                        user_id: Some(&user.id),
                        factor_id: Some(&row.id),
                        details: serde_json::json!({
                            "type": "totp",
                            "reason": if matched.is_some() { "replay" } else { "wrong_code" },
                        }),
                    },
                )?;
                return Ok(Activation::WrongCode);
            };
            let first_factor = FactorRow::count_active(conn, &user.id)? == 0;
            // The activating code is used up: `advance_totp_step` above made its step the last
            // accepted one.
            let activated = diesel::update(
                factors::table
                    .filter(factors::id.eq(&row.id))
                    .filter(factors::status.eq(FactorStatus::Pending.as_str())),
            )
            .set((
                factors::status.eq(FactorStatus::Active.as_str()),
                factors::activated_at.eq(now),
                factors::expires_at.eq(None::<NaiveDateTime>),
                factors::last_step.eq(m.step),
                factors::last_drift.eq(m.drift as i32),
            ))
            .execute(conn)?;
            if activated != 1 {
                return Err(Error::NotFound(
                    "no factor with this id for this user".into(),
                ));
            }
            let backup_codes = record_activation(
                conn,
                &keyring,
                &mail,
                now,
                ActivationRecord {
                    ctx: &ctx,
                    user_id: &user.id,
                    factor: &row,
                    first_factor,
                    details: serde_json::json!({ "type": "totp", "name": row.name, "drift_steps": m.drift }),
                },
            )?;
            let fresh = FactorRow::find_for_user(conn, &user.id, &row.id, now)?
                .ok_or_else(|| Error::internal(anyhow::anyhow!("activated factor vanished")))?;
            Ok(Activation::Done(
                Box::new(Factor::from(&fresh)),
                backup_codes,
            ))
        })
        .await?;
    match outcome {
        Activation::Done(f, codes) => {
            state.mail_wakeup.notify_one();
            Ok((*f, codes))
        }
        Activation::WrongCode => Err(Error::InvalidCode),
    }
}
