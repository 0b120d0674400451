//! `verify`: the relying application's main call. The code is matched on the read pool
//! (`precheck`, no lock); then one write transaction judges the attempt — the lockout check,
//! the replay guard, the factor still being active, the throttle update and the audit event —
//! so concurrent requests and several instances cannot get around any of them.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use super::backup_codes::{Consumed, consume};
use super::factors::{TOTP_SKEW, advance_totp_step, totp_of};
use crate::db::DbConnection;
use crate::db::models::{FactorRow, ThrottleRow};
use crate::db::schema::{factors, throttles};
use crate::domain::backup_codes::normalize;
use crate::domain::clock::{naive, rfc3339};
use crate::domain::keyring::Keyring;
use crate::domain::lockout::LockoutRules;
use crate::domain::mail::MailKind;
use crate::domain::newtypes::{CodeMethod, FactorKind};
use crate::domain::totp::TotpMatch;
use crate::domain::yubikey_otp::Otp;
use crate::error::Error;
use crate::services::mail::MailSettings;
use crate::services::yubicloud::CloudOutcome;
use crate::services::yubikeys::{LocalCheck, advance_counter, check_local};
use crate::state::AppState;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Verified {
    pub verified: bool,
    /// The factor that matched; null for a backup code.
    pub factor_id: Option<String>,
    pub method: CodeMethod,
}

/// The forms a code can take; the server tells them apart by shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CodeShape {
    Totp,
    Backup,
    YubikeyOtp,
    /// Not a code: a WebAuthn assertion.
    Webauthn,
    Unknown,
}

fn shape_of(code: &str) -> CodeShape {
    let len = code.len();
    if (6..=8).contains(&len) && code.bytes().all(|b| b.is_ascii_digit()) {
        CodeShape::Totp
    } else if (32..=48).contains(&len)
        && code
            .bytes()
            .all(|b| b"cbdefghijklnrtuv".contains(&b.to_ascii_lowercase()))
    {
        CodeShape::YubikeyOtp
    } else if normalize(code).is_some() {
        CodeShape::Backup
    } else {
        CodeShape::Unknown
    }
}

pub(super) enum Outcome {
    Success(Verified),
    Failed,
    Locked { retry_after: u64 },
    NoFactor,
    ServiceUnavailable,
}

/// Why an attempt failed, for the audit log only (the caller always sees `invalid_code`).
#[derive(Debug, Clone, Copy)]
pub(super) enum Failure {
    NoMatch,
    Replay(CodeMethod),
    /// A WebAuthn response that was refused, and why.
    Webauthn(&'static str),
}

pub async fn verify_second_factor(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    code: String,
    method: Option<CodeMethod>,
) -> Result<Verified, Error> {
    verify(state, ctx, user_id, code, method, true).await
}

/// The portal's check of a user none of whose factors the policy accepts any more, before it
/// lets them add one: a code of one of their existing factors (or a backup code) proves it is
/// them, so the password alone never adds a factor to an account that had one. Judged exactly
/// like `verify_second_factor` (replay guards, lockout), except that the policy's allowed
/// methods are not applied; it never signs anyone in by itself.
pub async fn verify_before_enrollment(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    code: String,
) -> Result<Verified, Error> {
    verify(state, ctx, user_id, code, None, false).await
}

async fn verify(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    code: String,
    method: Option<CodeMethod>,
    policy_applies: bool,
) -> Result<Verified, Error> {
    let now = state.clock.now();
    let keyring = state.keyring.clone();
    let rules = state.lockout;
    let code = code.trim().to_owned();
    // Reading and matching needs no lock: it runs on the read pool, in parallel. Everything
    // that judges the attempt runs in the write transaction below.
    let pre = {
        let (keyring, user_id, code) = (keyring.clone(), user_id.clone(), code.clone());
        state
            .db
            .read(move |conn| {
                precheck(conn, &keyring, now, &user_id, &code, method, policy_applies)
            })
            .await
    };
    // A key that is not in the inventory is asked about over the network, outside any
    // transaction, with a deadline; the answer is judged in the write transaction like any other.
    let cloud = match (&pre, &state.yubicloud) {
        (Ok(p), Some(yc)) if p.cloud_candidate.is_some() && !p.locked => {
            Some(yc.validate(&code).await)
        }
        _ => None,
    };
    if let Ok(Precheck {
        disallowed: Some(kind),
        ..
    }) = &pre
    {
        metrics::counter!("keyward_verifications_total", "method" => kind.as_str(), "result" => "policy")
            .increment(1);
        return Err(Error::PolicyViolation(format!(
            "the security policy does not allow `{}` codes; use an allowed method or a backup code",
            kind.as_str()
        )));
    }
    let outcome = match pre {
        Err(e) => Err(e),
        Ok(pre) => {
            let mail = state.mail.clone();
            state
                .db
                .write(move |conn| {
                    attempt(
                        conn, &keyring, &mail, rules, now, &ctx, &user_id, &code, method, pre,
                        cloud,
                    )
                })
                .await
        }
    };
    let (method_label, result) = match &outcome {
        Ok(Outcome::Success(v)) => (v.method.as_str(), "success"),
        Ok(Outcome::Failed) => (method.map_or("any", CodeMethod::as_str), "failure"),
        Ok(Outcome::Locked { .. }) => (method.map_or("any", CodeMethod::as_str), "locked"),
        Ok(Outcome::NoFactor) => (method.map_or("any", CodeMethod::as_str), "no_factor"),
        Ok(Outcome::ServiceUnavailable) => (CodeMethod::YubikeyOtp.as_str(), "unavailable"),
        Err(_) => (method.map_or("any", CodeMethod::as_str), "error"),
    };
    metrics::counter!("keyward_verifications_total", "method" => method_label, "result" => result)
        .increment(1);
    if matches!(outcome, Ok(Outcome::Success(_)) | Ok(Outcome::Failed)) {
        // A backup code or a lockout may have written mail.
        state.mail_wakeup.notify_one();
    }
    match outcome? {
        Outcome::Success(v) => Ok(v),
        Outcome::Failed => Err(Error::InvalidCode),
        Outcome::Locked { retry_after } => Err(Error::TooManyAttempts { retry_after }),
        Outcome::NoFactor => Err(Error::NoSecondFactor),
        Outcome::ServiceUnavailable => Err(Error::YubikeyServiceUnavailable),
    }
}

pub(super) fn is_power_of_ten(n: i32) -> bool {
    let mut p: i64 = 1;
    while p < i64::from(n) {
        p *= 10;
    }
    p == i64::from(n)
}

pub(super) fn seconds_until(until: NaiveDateTime, now: DateTime<Utc>) -> u64 {
    let micros = (until.and_utc() - now)
        .num_microseconds()
        .unwrap_or(i64::MAX)
        .max(0) as u64;
    micros.div_ceil(1_000_000).max(1)
}

/// What can be learnt without judging: whether the user has an active factor, and which TOTP
/// factor and step (if any) the code matches.
#[derive(Debug)]
struct Precheck {
    has_active: bool,
    totp: Option<(String, TotpMatch)>,
    /// A YubiKey OTP of one of the user's keys: the factor and what the inventory says.
    yubikey: Option<(String, String, LocalCheck)>,
    /// Why a YubiKey OTP matched nothing, for the audit log.
    yubikey_miss: Option<&'static str>,
    /// One of the user's keys that is not in the inventory: (factor id, public id), to ask the
    /// validation servers about.
    cloud_candidate: Option<(String, String)>,
    /// The user is locked out: no point asking a validation server.
    locked: bool,
    /// The method asked for, or the one the code's form names, when the policy forbids it.
    disallowed: Option<FactorKind>,
}

fn precheck(
    conn: &mut DbConnection,
    keyring: &Keyring,
    now_dt: DateTime<Utc>,
    user_id: &str,
    code: &str,
    method: Option<CodeMethod>,
    policy_applies: bool,
) -> Result<Precheck, Error> {
    let user = super::users::load(conn, user_id)?;
    let policy = if policy_applies {
        super::policy::load(conn)?
    } else {
        super::policy::Policy::everything_allowed()
    };
    let kind = match (method, shape_of(code)) {
        (Some(CodeMethod::Totp), _) | (None, CodeShape::Totp) => Some(FactorKind::Totp),
        (Some(CodeMethod::YubikeyOtp), _) | (None, CodeShape::YubikeyOtp) => {
            Some(FactorKind::YubikeyOtp)
        }
        _ => None,
    };
    if let Some(k) = kind.filter(|k| !policy.allows(*k)) {
        return Ok(Precheck {
            has_active: true,
            totp: None,
            yubikey: None,
            yubikey_miss: None,
            cloud_candidate: None,
            locked: false,
            disallowed: Some(k),
        });
    }
    let active = FactorRow::active_for_user(conn, &user.id)?;
    let mut totp = None;
    if shape_of(code) == CodeShape::Totp && method.is_none_or(|m| m == CodeMethod::Totp) {
        for f in active
            .iter()
            .filter(|f| f.kind == FactorKind::Totp.as_str())
        {
            let (params, secret) = totp_of(f, keyring)?;
            if params.digits as usize != code.len() {
                continue;
            }
            if let Some(m) = params.check(&secret, code, now_dt.timestamp(), TOTP_SKEW) {
                totp = Some((f.id.clone(), m));
                break;
            }
        }
    }
    let mut yubikey = None;
    let mut yubikey_miss = None;
    let mut cloud_candidate = None;
    if shape_of(code) == CodeShape::YubikeyOtp && method.is_none_or(|m| m == CodeMethod::YubikeyOtp)
    {
        match Otp::parse(code) {
            Err(_) => yubikey_miss = Some("malformed"),
            Ok(otp) => {
                let factor = active.iter().find(|f| {
                    f.kind == FactorKind::YubikeyOtp.as_str()
                        && f.yubikey_public_id.as_deref() == Some(otp.public_id.as_str())
                });
                match factor {
                    None => yubikey_miss = Some("not_this_users_key"),
                    Some(f) => match check_local(conn, keyring, &otp)? {
                        LocalCheck::Unknown => {
                            yubikey_miss = Some("not_in_inventory");
                            cloud_candidate = Some((f.id.clone(), otp.public_id.clone()));
                        }
                        LocalCheck::Invalid(reason) => yubikey_miss = Some(reason),
                        check @ LocalCheck::Valid(_) => {
                            yubikey = Some((f.id.clone(), otp.public_id.clone(), check))
                        }
                    },
                }
            }
        }
    }
    // Only needed before asking a validation server; the write transaction decides anyway.
    let locked = cloud_candidate.is_some()
        && throttles::table
            .find(&user.id)
            .select(throttles::locked_until)
            .get_result::<Option<NaiveDateTime>>(conn)
            .optional()?
            .flatten()
            .is_some_and(|until| until > naive(now_dt));
    Ok(Precheck {
        has_active: !active.is_empty(),
        totp,
        yubikey,
        yubikey_miss,
        cloud_candidate,
        locked,
        disallowed: None,
    })
}

/// Whether an attempt may be judged at all.
pub(super) enum Gate {
    Open(ThrottleRow),
    Locked { retry_after: u64 },
}

/// The start of judging any attempt: takes the user's row lock (held to the end of the
/// transaction, so attempts of one user are judged one at a time) and refuses during a lockout.
pub(super) fn open_gate(
    conn: &mut DbConnection,
    now_dt: DateTime<Utc>,
    ctx: &RequestContext,
    user_id: &str,
) -> Result<Gate, Error> {
    let now = naive(now_dt);
    // Holds the user's row lock to the end: attempts of one user are judged one at a time.
    super::users::lock_user(conn, user_id)?;
    let throttle: ThrottleRow = throttles::table
        .find(user_id)
        .select(ThrottleRow::as_select())
        .get_result(conn)
        .optional()?
        .ok_or_else(|| Error::NotFound("no user with this id".into()))?;
    let user_id = throttle.user_id.clone();
    if let Some(until) = throttle.locked_until.filter(|u| *u > now) {
        let retry_after = seconds_until(until, now_dt);
        let refusals = throttle.locked_refusals.saturating_add(1);
        diesel::update(throttles::table.find(&user_id))
            .set(throttles::locked_refusals.eq(refusals))
            .execute(conn)?;
        // Audited at the 1st, 10th, 100th … refusal: the trail shows the scale of an attack
        // without letting a locked-out attacker write an event per request.
        if is_power_of_ten(refusals) {
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "verify.locked_out",
                    ctx,
                    user_id: Some(&user_id),
                    factor_id: None,
                    details: serde_json::json!({
                        "reason": "attempt_during_lockout",
                        "locked_until": rfc3339(until),
                        "refused_attempts": refusals,
                    }),
                },
            )?;
        }
        return Ok(Gate::Locked { retry_after });
    }
    Ok(Gate::Open(throttle))
}

#[allow(clippy::too_many_arguments)]
fn attempt(
    conn: &mut DbConnection,
    keyring: &Keyring,
    mail: &MailSettings,
    rules: LockoutRules,
    now_dt: DateTime<Utc>,
    ctx: &RequestContext,
    user_id: &str,
    code: &str,
    method: Option<CodeMethod>,
    pre: Precheck,
    cloud: Option<CloudOutcome>,
) -> Result<Outcome, Error> {
    let throttle = match open_gate(conn, now_dt, ctx, user_id)? {
        Gate::Open(t) => t,
        Gate::Locked { retry_after } => return Ok(Outcome::Locked { retry_after }),
    };
    let now = naive(now_dt);
    let user_id = throttle.user_id.clone();
    if !pre.has_active {
        return Ok(Outcome::NoFactor);
    }
    let allowed = |m: CodeMethod| method.is_none_or(|wanted| wanted == m);
    let shape = shape_of(code);

    let mut failure = Failure::NoMatch;
    let mut cloud_detail: Option<&'static str> = None;
    if shape == CodeShape::Totp && allowed(CodeMethod::Totp) {
        if let Some((factor_id, m)) = &pre.totp {
            let m = *m;
            let still_active = |conn: &mut DbConnection| -> QueryResult<bool> {
                let n = diesel::update(
                    factors::table
                        .filter(factors::id.eq(factor_id))
                        .filter(factors::status.eq("active")),
                )
                .set((
                    factors::last_step.eq(m.step),
                    factors::last_drift.eq(m.drift as i32),
                    factors::last_used_at.eq(now),
                ))
                .execute(conn)?;
                Ok(n == 1)
            };
            if advance_totp_step(conn, &user_id, m.step)? && still_active(conn)? {
                return succeed(
                    conn,
                    now,
                    ctx,
                    &user_id,
                    &throttle,
                    Some(factor_id),
                    CodeMethod::Totp,
                    serde_json::json!({ "drift_steps": m.drift }),
                );
            }
            failure = Failure::Replay(CodeMethod::Totp);
        }
    } else if shape == CodeShape::YubikeyOtp && allowed(CodeMethod::YubikeyOtp) {
        if let Some((factor_id, public_id, LocalCheck::Valid(token))) = &pre.yubikey {
            if advance_counter(conn, public_id, token, None)?
                && mark_yubikey_used(conn, factor_id, now)?
            {
                return succeed(
                    conn,
                    now,
                    ctx,
                    &user_id,
                    &throttle,
                    Some(factor_id),
                    CodeMethod::YubikeyOtp,
                    serde_json::json!({
                        "public_id": public_id,
                        "usage_counter": token.usage_counter,
                        "session_use": token.session_use,
                    }),
                );
            }
            failure = Failure::Replay(CodeMethod::YubikeyOtp);
        } else if let (Some((factor_id, public_id)), Some(answer)) = (&pre.cloud_candidate, &cloud)
        {
            match answer {
                CloudOutcome::Valid => {
                    if mark_yubikey_used(conn, factor_id, now)? {
                        return succeed(
                            conn,
                            now,
                            ctx,
                            &user_id,
                            &throttle,
                            Some(factor_id),
                            CodeMethod::YubikeyOtp,
                            serde_json::json!({ "public_id": public_id, "validated_by": "validation_server" }),
                        );
                    }
                }
                CloudOutcome::Refused(reason) => {
                    cloud_detail = Some(*reason);
                    if *reason == "replayed_otp" {
                        failure = Failure::Replay(CodeMethod::YubikeyOtp);
                    }
                }
                CloudOutcome::Unavailable(why) => {
                    // Not the user's failure: audited, not counted towards a lockout.
                    record_audit_event(
                        conn,
                        now,
                        AuditRecord {
                            event: "verify.failed",
                            ctx,
                            user_id: Some(&user_id),
                            factor_id: Some(factor_id),
                            details: serde_json::json!({
                                "reason": "validation_service_unavailable",
                                "public_id": public_id,
                                "detail": why,
                            }),
                        },
                    )?;
                    return Ok(Outcome::ServiceUnavailable);
                }
            }
        }
    } else if shape == CodeShape::Backup && allowed(CodeMethod::BackupCode) {
        match consume(conn, keyring, now, &user_id, code)? {
            Consumed::Used { remaining } => {
                let outcome = succeed(
                    conn,
                    now,
                    ctx,
                    &user_id,
                    &throttle,
                    None,
                    CodeMethod::BackupCode,
                    serde_json::json!({ "remaining": remaining }),
                )?;
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "backup_code.used",
                        ctx,
                        user_id: Some(&user_id),
                        factor_id: None,
                        details: serde_json::json!({ "remaining": remaining }),
                    },
                )?;
                super::mail::enqueue(
                    conn,
                    mail,
                    now,
                    ctx,
                    &user_id,
                    MailKind::BackupCodeUsed { remaining },
                )?;
                return Ok(outcome);
            }
            Consumed::AlreadyUsed => failure = Failure::Replay(CodeMethod::BackupCode),
            Consumed::Unknown => {}
        }
    }
    let detail = if shape == CodeShape::YubikeyOtp {
        cloud_detail.or(pre.yubikey_miss)
    } else {
        None
    };
    fail(
        conn, mail, rules, now_dt, ctx, &user_id, &throttle, shape, method, failure, detail,
    )?;
    Ok(Outcome::Failed)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn succeed(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    ctx: &RequestContext,
    user_id: &str,
    throttle: &ThrottleRow,
    factor_id: Option<&str>,
    method: CodeMethod,
    extra: serde_json::Value,
) -> Result<Outcome, Error> {
    if throttle.failures != 0 || throttle.lockouts != 0 || throttle.locked_until.is_some() {
        diesel::update(throttles::table.find(user_id))
            .set((
                throttles::failures.eq(0),
                throttles::lockouts.eq(0),
                throttles::locked_until.eq(None::<NaiveDateTime>),
                throttles::locked_refusals.eq(0),
            ))
            .execute(conn)?;
    }
    let mut details = serde_json::json!({ "method": method.as_str() });
    if let (Some(d), Some(e)) = (details.as_object_mut(), extra.as_object()) {
        d.extend(e.clone());
    }
    record_audit_event(
        conn,
        now,
        AuditRecord {
            event: "verify.succeeded",
            ctx,
            user_id: Some(user_id),
            factor_id,
            details,
        },
    )?;
    Ok(Outcome::Success(Verified {
        verified: true,
        factor_id: factor_id.map(str::to_owned),
        method,
    }))
}

/// Marks a YubiKey factor used if it is still active (it may have been removed since the precheck).
fn mark_yubikey_used(
    conn: &mut DbConnection,
    factor_id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        factors::table
            .filter(factors::id.eq(factor_id))
            .filter(factors::status.eq("active")),
    )
    .set(factors::last_used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn fail(
    conn: &mut DbConnection,
    mail: &MailSettings,
    rules: LockoutRules,
    now_dt: DateTime<Utc>,
    ctx: &RequestContext,
    user_id: &str,
    throttle: &ThrottleRow,
    shape: CodeShape,
    method: Option<CodeMethod>,
    failure: Failure,
    detail: Option<&'static str>,
) -> Result<(), Error> {
    let now = naive(now_dt);
    let failures = throttle.failures + 1;
    let locks = failures >= rules.threshold;
    let locked_until = locks.then(|| now + rules.duration(throttle.lockouts));
    diesel::update(throttles::table.find(user_id))
        .set((
            throttles::failures.eq(if locks { 0 } else { failures }),
            throttles::lockouts.eq(throttle.lockouts + i32::from(locks)),
            throttles::locked_until.eq(locked_until.or(throttle.locked_until)),
            throttles::locked_refusals.eq(if locks { 0 } else { throttle.locked_refusals }),
            throttles::last_failure_at.eq(now),
        ))
        .execute(conn)?;
    let shape_label = match shape {
        CodeShape::Totp => "totp",
        CodeShape::Backup => "backup_code",
        CodeShape::YubikeyOtp => "yubikey_otp",
        CodeShape::Webauthn => "webauthn_assertion",
        CodeShape::Unknown => "unrecognised",
    };
    let (event, reason, replayed) = match failure {
        Failure::NoMatch => ("verify.failed", "no_match", None),
        Failure::Replay(m) => ("verify.replay_rejected", "replay", Some(m.as_str())),
        Failure::Webauthn("challenge_expired_or_used") => (
            "verify.replay_rejected",
            "challenge_expired_or_used",
            Some(CodeMethod::Webauthn.as_str()),
        ),
        Failure::Webauthn(reason) => ("verify.failed", reason, None),
    };
    record_audit_event(
        conn,
        now,
        AuditRecord {
            event,
            ctx,
            user_id: Some(user_id),
            factor_id: None,
            details: serde_json::json!({
                "reason": reason,
                "replayed_method": replayed,
                "code_form": shape_label,
                "method_requested": method.map(CodeMethod::as_str),
                "consecutive_failures": failures,
                "detail": detail,
            }),
        },
    )?;
    if let Some(until) = locked_until {
        record_audit_event(
            conn,
            now,
            AuditRecord {
                event: "verify.locked_out",
                ctx,
                user_id: Some(user_id),
                factor_id: None,
                details: serde_json::json!({
                    "reason": "too_many_failures",
                    "locked_until": rfc3339(until),
                    "lockout_number": throttle.lockouts + 1,
                }),
            },
        )?;
        super::mail::enqueue(
            conn,
            mail,
            now,
            ctx,
            user_id,
            MailKind::Lockout {
                until: until.format("%-d %b %Y, %H:%M:%S UTC").to_string(),
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_of_ten() {
        let hits: Vec<i32> = (0..=1000).filter(|n| is_power_of_ten(*n)).collect();
        assert_eq!(hits, vec![1, 10, 100, 1000]);
        assert!(!is_power_of_ten(i32::MAX));
    }

    #[test]
    fn shapes() {
        assert_eq!(shape_of("123456"), CodeShape::Totp);
        assert_eq!(shape_of("12345678"), CodeShape::Totp);
        assert_eq!(shape_of("abcd-efgh-jkmn"), CodeShape::Backup);
        assert_eq!(
            shape_of("ccccccbcgujhingjrdejhgfnuetrgigvejhhgbkugded"),
            CodeShape::YubikeyOtp
        );
        assert_eq!(shape_of("12345"), CodeShape::Unknown);
        assert_eq!(shape_of(""), CodeShape::Unknown);
        assert_eq!(shape_of("<script>"), CodeShape::Unknown);
    }
}
