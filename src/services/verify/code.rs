//! Codes: what a code matches (on the read pool, no lock) and how the attempt is judged in the
//! write transaction — the replay guards of TOTP steps, YubiKey counters and backup codes.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::Presented;
use super::outcome::{Attempt, CodeShape, Failure, Miss, Outcome, locked_for};
use crate::db::DbConnection;
use crate::db::models::FactorRow;
use crate::db::schema::factors;
use crate::domain::backup_codes::normalize;
use crate::domain::keyring::Keyring;
use crate::domain::mail::MailKind;
use crate::domain::newtypes::{CodeMethod, FactorKind, FactorStatus};
use crate::domain::totp::TotpMatch;
use crate::domain::yubikey_otp::Otp;
use crate::error::Error;
use crate::seams::yubicloud::CloudOutcome;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::services::backup_codes::{Consumed, consume};
use crate::services::factors::{TOTP_SKEW, advance_totp_step, totp_of};
use crate::services::yubikeys::{LocalCheck, advance_counter, check_local};

pub(super) fn shape_of(code: &str) -> CodeShape {
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

/// What can be learnt without judging: whether the user has an active factor, and which TOTP
/// factor and step (if any) the code matches.
#[derive(Debug)]
pub(super) struct Precheck {
    pub(super) has_active: bool,
    pub(super) totp: Option<(String, TotpMatch)>,
    /// A YubiKey OTP of one of the user's keys: the factor and what the inventory says.
    pub(super) yubikey: Option<(String, String, LocalCheck)>,
    /// Why a YubiKey OTP matched nothing, for the audit log.
    pub(super) yubikey_miss: Option<&'static str>,
    /// One of the user's keys that is not in the inventory: (factor id, public id), to ask the
    /// validation servers about.
    pub(super) cloud_candidate: Option<(String, String)>,
    /// The user is locked out: no point asking a validation server.
    pub(super) locked: bool,
    /// The method asked for, or the one the code's form names, when the policy forbids it.
    pub(super) disallowed: Option<FactorKind>,
}

pub(super) fn precheck(
    conn: &mut DbConnection,
    keyring: &Keyring,
    now_dt: DateTime<Utc>,
    user_id: &str,
    presented: Presented<'_>,
    policy_applies: bool,
) -> Result<Precheck, Error> {
    let Presented { code, method } = presented;
    let user = crate::services::users::load(conn, user_id)?;
    let policy = if policy_applies {
        crate::services::policy::effective(conn, &user.id)?.policy
    } else {
        crate::services::policy::Policy::everything_allowed()
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
        for f in active.iter().filter(|f| f.kind == FactorKind::Totp) {
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
                    f.kind == FactorKind::YubikeyOtp
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
    let locked = cloud_candidate.is_some() && locked_for(conn, &user.id, now_dt)?.is_some();
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

/// Judges a code in the write transaction, the gate open: the match found by the precheck
/// counts only if its replay guard moves and its factor is still active.
pub(super) fn judge(
    conn: &mut DbConnection,
    attempt: &Attempt<'_>,
    keyring: &Keyring,
    presented: Presented<'_>,
    pre: Precheck,
    cloud: Option<CloudOutcome>,
) -> Result<Outcome, Error> {
    let Presented { code, method } = presented;
    let now = attempt.now();
    let ctx = attempt.ctx();
    let user_id = attempt.user_id().to_owned();
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
                let n = crate::db::native::native!(conn, |c| diesel::update(
                    factors::table
                        .filter(factors::id.eq(factor_id))
                        .filter(factors::status.eq(FactorStatus::Active.as_str())),
                )
                .set((
                    factors::last_step.eq(m.step),
                    factors::last_drift.eq(m.drift as i32),
                    factors::last_used_at.eq(now),
                ))
                .execute(c))?;
                Ok(n == 1)
            };
            if advance_totp_step(conn, &user_id, m.step)? && still_active(conn)? {
                return attempt.succeed(
                    conn,
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
                return attempt.succeed(
                    conn,
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
                        return attempt.succeed(conn, Some(factor_id),
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
                let outcome = attempt.succeed(
                    conn,
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
                crate::services::mail::enqueue(
                    conn,
                    attempt.mail(),
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
    attempt.fail(
        conn,
        Miss {
            shape,
            method,
            failure,
            detail,
        },
    )?;
    Ok(Outcome::Failed)
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
            .filter(factors::status.eq(FactorStatus::Active.as_str())),
    )
    .set(factors::last_used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
