//! Second factors: listing, TOTP enrollment and activation, removal.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::db::DbConnection;
use crate::db::models::{FactorRow, UserRow};
use crate::db::schema::{factors, users};
use crate::domain::clock::{naive, rfc3339};
use crate::domain::ids::{looks_like_id, new_id};
use crate::domain::keyring::Keyring;
use crate::domain::mail::{MailKind, method_label};
use crate::domain::newtypes::FactorKind;
use crate::domain::totp::{TotpAlgorithm, TotpParams, TotpSecret, qr_svg};
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
    /// `pending` or `active`.
    pub status: String,
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
        let kind = FactorKind::parse(&r.kind).unwrap_or(FactorKind::Totp);
        let details = match kind {
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
                if r.status == "active" {
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
            kind,
            name: r.name.clone(),
            status: r.status.clone(),
            created_at: rfc3339(r.created_at),
            activated_at: r.activated_at.map(rfc3339),
            last_used_at: r.last_used_at.map(rfc3339),
            details,
        }
    }
}

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

/// Refuses a new factor when the user already has `MAX_FACTORS_PER_USER` (pending ones that
/// have not expired count).
pub(super) fn ensure_room(
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
        return Err(Error::Conflict(format!(
            "this user already has {MAX_FACTORS_PER_USER} factors: remove one first"
        )));
    }
    Ok(())
}

fn load_factor(
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
            let user = super::users::lock_for_factor_change(conn, &user_id)?;
            super::policy::load(conn)?.require_allowed(FactorKind::Totp)?;
            ensure_room(conn, &user.id, now)?;
            let row = FactorRow {
                id: factor_id,
                user_id: user.id.clone(),
                kind: FactorKind::Totp.as_str().into(),
                name,
                status: "pending".into(),
                created_at: now,
                activated_at: None,
                last_used_at: None,
                expires_at: Some(expires),
                secret_ciphertext: Some(sealed.blob),
                secret_key_id: Some(sealed.key_id),
                totp_digits: Some(params.digits.into()),
                totp_period: Some(params.period as i32),
                totp_algorithm: Some(params.algorithm.as_str().into()),
                ..FactorRow::blank(String::new(), String::new(), "", String::new(), now)
            };
            diesel::insert_into(factors::table)
                .values(&row)
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

/// The end of every activation: the `factor.activated` event, and — when this factor is the
/// user's first active one and they have no unused backup codes — a fresh set, returned for its
/// one showing.
/// The user is mailed ("two-factor is on", or "a new second factor was added").
#[allow(clippy::too_many_arguments)]
pub(super) fn record_activation(
    conn: &mut DbConnection,
    keyring: &Keyring,
    mail: &MailSettings,
    now: NaiveDateTime,
    ctx: &RequestContext,
    user_id: &str,
    factor: &FactorRow,
    first_factor: bool,
    details: serde_json::Value,
) -> Result<Option<Vec<String>>, Error> {
    let factor_id = factor.id.as_str();
    let policy = super::policy::load_locked(conn)?;
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
            method: method_label(&factor.kind).into(),
            device: factor.name.clone(),
        },
    )?;
    Ok(backup_codes)
}

enum Activation {
    Done(Box<Factor>, Option<Vec<String>>),
    WrongCode,
}

/// Raises the user's last accepted TOTP step to `step` unless it is already there or beyond;
/// returns whether it moved. The single conditional UPDATE is the replay guard.
pub fn advance_totp_step(conn: &mut DbConnection, user_id: &str, step: i64) -> QueryResult<bool> {
    let moved = diesel::update(
        users::table.filter(users::id.eq(user_id)).filter(
            users::totp_last_step
                .is_null()
                .or(users::totp_last_step.lt(step)),
        ),
    )
    .set(users::totp_last_step.eq(step))
    .execute(conn)?;
    Ok(moved == 1)
}

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
            let user = super::users::lock_for_factor_change(conn, &user_id)?;
            let row = load_factor(conn, &user.id, &factor_id, now)?;
            if row.status == "active" {
                return Err(Error::Conflict("this factor is already active".into()));
            }
            if row.kind != FactorKind::Totp.as_str() {
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
                    .filter(factors::status.eq("pending")),
            )
            .set((
                factors::status.eq("active"),
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
                &ctx,
                &user.id,
                &row,
                first_factor,
                serde_json::json!({ "type": "totp", "name": row.name, "drift_steps": m.drift }),
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
            let user: UserRow = super::users::lock_for_factor_change(conn, &user_id)?;
            let row = load_factor(conn, &user.id, &factor_id, now)?;
            diesel::delete(factors::table.find(&row.id)).execute(conn)?;
            let remaining_active = FactorRow::count_active(conn, &user.id)?;
            let policy = super::policy::load_locked(conn)?;
            if policy.require_two_factor
                && super::compliance::row_complies(&policy, &row)
                && super::compliance::compliant_factors(conn, &policy, &user.id)?.is_empty()
            {
                // The error rolls the delete back.
                return Err(Error::PolicyViolation(
                    "the security policy requires two-factor authentication: this is the user's last factor the policy accepts, add another before removing it".into(),
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
            if row.status == "active" {
                super::mail::enqueue(
                    conn,
                    &mail,
                    now,
                    &ctx,
                    &user.id,
                    MailKind::FactorRemoved {
                        method: method_label(&row.kind).into(),
                        device: row.name.clone(),
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

enum YubikeyEnrollment {
    Done(Box<Factor>, Option<Vec<String>>),
    Refused,
    ServiceUnavailable,
}

/// Enrolls a YubiKey: the OTP proves possession, is consumed, and binds the key's public id to
/// the user. The factor is active at once.
pub async fn enroll_yubikey(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    name: String,
    otp_raw: String,
) -> Result<(Factor, Option<Vec<String>>), Error> {
    use crate::domain::yubikey_otp::Otp;
    use crate::services::yubicloud::CloudOutcome;
    use crate::services::yubikeys::{LocalCheck, advance_counter, check_local};

    let otp = Otp::parse(&otp_raw).map_err(|_| {
        Error::BadRequest("otp: a YubiKey OTP is 32 to 48 modhex characters; touch the key with the cursor in the field".into())
    })?;
    if otp.public_id.is_empty() {
        return Err(Error::BadRequest(
            "otp: this OTP carries no public id, so it cannot name a key".into(),
        ));
    }
    // A key that is not in the inventory is asked about over the network first, outside any
    // transaction.
    let cloud = match &state.yubicloud {
        Some(yc) => {
            let public_id = otp.public_id.clone();
            let in_inventory = state
                .db
                .read(move |conn| {
                    Ok::<_, Error>(crate::db::models::YubikeyRow::find(conn, &public_id)?.is_some())
                })
                .await?;
            if in_inventory {
                None
            } else {
                Some(yc.validate(otp_raw.trim()).await)
            }
        }
        None => None,
    };
    let now = naive(state.clock.now());
    let keyring = state.keyring.clone();
    let mail = state.mail.clone();
    let outcome = state
        .db
        .write(move |conn| {
            let user = super::users::lock_for_factor_change(conn, &user_id)?;
            super::policy::load(conn)?.require_allowed(FactorKind::YubikeyOtp)?;
            let bound: Option<String> = factors::table
                .filter(factors::yubikey_public_id.eq(&otp.public_id))
                .select(factors::user_id)
                .get_result(conn)
                .optional()?;
            match bound {
                Some(owner) if owner != user.id => {
                    return Err(Error::Conflict("this YubiKey is registered to another account".into()));
                }
                Some(_) => return Err(Error::Conflict("this YubiKey is already registered for this user".into())),
                None => {}
            }
            ensure_room(conn, &user.id, now)?;
            // (reason, what the validation server said when it gave no answer)
            let refusal: Option<(&str, Option<&str>)> = match check_local(conn, &keyring, &otp)? {
                LocalCheck::Unknown => match &cloud {
                    None => {
                        return Err(Error::BadRequest(
                            "otp: this YubiKey is not in the hardware key inventory, and no validation server is configured"
                                .into(),
                        ));
                    }
                    Some(CloudOutcome::Valid) => None,
                    Some(CloudOutcome::Refused(reason)) => Some((*reason, None)),
                    Some(CloudOutcome::Unavailable(why)) => Some(("validation_service_unavailable", Some(why.as_str()))),
                },
                LocalCheck::Invalid(reason) => Some((reason, None)),
                LocalCheck::Valid(token) if !advance_counter(conn, &otp.public_id, &token, None)? => Some(("replay", None)),
                LocalCheck::Valid(_) => None,
            };
            if let Some((reason, detail)) = refusal {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "factor.activation_failed",
                        ctx: &ctx,
                        user_id: Some(&user.id),
                        factor_id: None,
                        details: serde_json::json!({
                            "type": "yubikey_otp",
                            "public_id": otp.public_id,
                            "reason": reason,
                            "detail": detail,
                        }),
                    },
                )?;
                return Ok(if detail.is_some() {
                    YubikeyEnrollment::ServiceUnavailable
                } else {
                    YubikeyEnrollment::Refused
                });
            }
            let first_factor = FactorRow::count_active(conn, &user.id)? == 0;
            let row = FactorRow {
                id: new_id("fac"),
                user_id: user.id.clone(),
                kind: FactorKind::YubikeyOtp.as_str().into(),
                name,
                status: "active".into(),
                created_at: now,
                activated_at: Some(now),
                last_used_at: None,
                expires_at: None,
                secret_ciphertext: None,
                secret_key_id: None,
                totp_digits: None,
                totp_period: None,
                totp_algorithm: None,
                yubikey_public_id: Some(otp.public_id.clone()),
                ..FactorRow::blank(String::new(), String::new(), "", String::new(), now)
            };
            match diesel::insert_into(factors::table).values(&row).execute(conn) {
                Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                    return Err(Error::Conflict("this YubiKey is registered to another account".into()));
                }
                other => other?,
            };
            let backup_codes = record_activation(
                conn,
                &keyring,
                &mail,
                now,
                &ctx,
                &user.id,
                &row,
                first_factor,
                serde_json::json!({ "type": "yubikey_otp", "name": row.name, "public_id": otp.public_id }),
            )?;
            Ok(YubikeyEnrollment::Done(Box::new(Factor::from(&row)), backup_codes))
        })
        .await?;
    match outcome {
        YubikeyEnrollment::Done(f, codes) => {
            state.mail_wakeup.notify_one();
            Ok((*f, codes))
        }
        YubikeyEnrollment::Refused => Err(Error::InvalidCode),
        YubikeyEnrollment::ServiceUnavailable => Err(Error::YubikeyServiceUnavailable),
    }
}
