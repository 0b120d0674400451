//! The steps every verification shares, whatever was presented (a code or a WebAuthn
//! assertion), inside the write transaction that judges it: the lockout gate, recording a
//! success or a failure (throttle, audit event, lockout and its mail), and a refusal by the
//! policy. `verify` (codes) and `webauthn` (assertions) both judge through [`Attempt`].

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::Verified;
use crate::db::DbConnection;
use crate::db::models::ThrottleRow;
use crate::db::schema::throttles;
use crate::domain::clock::{naive, rfc3339};
use crate::domain::lockout::LockoutRules;
use crate::domain::mail::{MailKind, MailSettings};
use crate::domain::newtypes::CodeMethod;
use crate::error::Error;
use crate::services::RequestContext;
use crate::services::audit::{AuditRecord, record_audit_event};

/// How a judged attempt ended.
pub(crate) enum Outcome {
    Success(Verified),
    Failed,
    Locked { retry_after: u64 },
    NoFactor,
    ServiceUnavailable,
}

/// The forms a code can take; the server tells them apart by shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeShape {
    Totp,
    Backup,
    YubikeyOtp,
    /// Not a code: a WebAuthn assertion.
    Webauthn,
    Unknown,
}

impl CodeShape {
    fn label(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::Backup => "backup_code",
            Self::YubikeyOtp => "yubikey_otp",
            Self::Webauthn => "webauthn_assertion",
            Self::Unknown => "unrecognised",
        }
    }
}

/// Why an attempt failed, for the audit log only (the caller always sees `invalid_code`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Failure {
    NoMatch,
    Replay(CodeMethod),
    /// A WebAuthn response that was refused, and why.
    Webauthn(&'static str),
}

/// A failed attempt as the audit log records it.
pub(crate) struct Miss {
    pub shape: CodeShape,
    /// The method the caller asked for, if any.
    pub method: Option<CodeMethod>,
    pub failure: Failure,
    /// More on why, e.g. what the YubiKey inventory or a validation server said.
    pub detail: Option<&'static str>,
}

/// What judging needs besides the database: the time, who asks, the lockout rules, and what
/// the lockout mail needs.
#[derive(Clone, Copy)]
pub(crate) struct Judging<'a> {
    pub now: DateTime<Utc>,
    pub ctx: &'a RequestContext,
    pub rules: LockoutRules,
    pub mail: &'a MailSettings,
}

/// Whether an attempt may be judged at all.
pub(crate) enum Gate<'a> {
    Open(Attempt<'a>),
    Locked { retry_after: u64 },
}

/// An attempt being judged: the gate is open and the user's row lock is held.
pub(crate) struct Attempt<'a> {
    judging: Judging<'a>,
    throttle: ThrottleRow,
}

impl<'a> Attempt<'a> {
    /// The start of judging any attempt: takes the user's row lock (held to the end of the
    /// transaction, so attempts of one user are judged one at a time) and refuses during a
    /// lockout.
    pub(crate) fn open(
        conn: &mut DbConnection,
        judging: Judging<'a>,
        user_id: &str,
    ) -> Result<Gate<'a>, Error> {
        let now = naive(judging.now);
        let throttle: Option<ThrottleRow> = match conn {
            // The user's lock and their throttle in one round trip.
            DbConnection::Postgres(pg) => throttles::table
                .find(user_id)
                .select(ThrottleRow::as_select())
                .for_update()
                .get_result(pg)
                .optional()?,
            DbConnection::Sqlite(c) => throttles::table
                .find(user_id)
                .select(ThrottleRow::as_select())
                .get_result(c)
                .optional()?,
        };
        let throttle = throttle.ok_or_else(|| Error::NotFound("no user with this id".into()))?;
        let Some(until) = throttle.locked_until.filter(|u| *u > now) else {
            return Ok(Gate::Open(Self { judging, throttle }));
        };
        let user_id = throttle.user_id.as_str();
        let retry_after = seconds_until(until, judging.now);
        let refusals = throttle.locked_refusals.saturating_add(1);
        diesel::update(throttles::table.find(user_id))
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
                    ctx: judging.ctx,
                    user_id: Some(user_id),
                    factor_id: None,
                    details: serde_json::json!({
                        "reason": "attempt_during_lockout",
                        "locked_until": rfc3339(until),
                        "refused_attempts": refusals,
                    }),
                },
            )?;
        }
        Ok(Gate::Locked { retry_after })
    }

    /// The user's id as stored.
    pub(crate) fn user_id(&self) -> &str {
        &self.throttle.user_id
    }

    pub(crate) fn now(&self) -> NaiveDateTime {
        naive(self.judging.now)
    }

    pub(crate) fn ctx(&self) -> &'a RequestContext {
        self.judging.ctx
    }

    pub(crate) fn mail(&self) -> &'a MailSettings {
        self.judging.mail
    }

    /// A match: the throttle is cleared and `verify.succeeded` recorded with `extra` details.
    pub(crate) fn succeed(
        &self,
        conn: &mut DbConnection,
        factor_id: Option<&str>,
        method: CodeMethod,
        extra: serde_json::Value,
    ) -> Result<Outcome, Error> {
        let t = &self.throttle;
        if t.failures != 0 || t.lockouts != 0 || t.locked_until.is_some() {
            diesel::update(throttles::table.find(self.user_id()))
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
            self.now(),
            AuditRecord {
                event: "verify.succeeded",
                ctx: self.judging.ctx,
                user_id: Some(self.user_id()),
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

    /// A failure that counts towards a lockout: the throttle moves, the failure is audited, and
    /// a lockout it causes is audited and mailed.
    pub(crate) fn fail(&self, conn: &mut DbConnection, miss: Miss) -> Result<(), Error> {
        let (t, rules, now) = (&self.throttle, self.judging.rules, self.now());
        let user_id = self.user_id();
        let failures = t.failures + 1;
        let locks = failures >= rules.threshold;
        let locked_until = locks.then(|| now + rules.duration(t.lockouts));
        diesel::update(throttles::table.find(user_id))
            .set((
                throttles::failures.eq(if locks { 0 } else { failures }),
                throttles::lockouts.eq(t.lockouts + i32::from(locks)),
                throttles::locked_until.eq(locked_until.or(t.locked_until)),
                throttles::locked_refusals.eq(if locks { 0 } else { t.locked_refusals }),
                throttles::last_failure_at.eq(now),
            ))
            .execute(conn)?;
        let (event, reason, replayed) = match miss.failure {
            Failure::NoMatch => ("verify.failed", "no_match", None),
            Failure::Replay(m) => ("verify.replay_rejected", "replay", Some(m.as_str())),
            Failure::Webauthn("challenge_expired_or_used") => (
                "verify.replay_rejected",
                "challenge_expired_or_used",
                Some(CodeMethod::Webauthn.as_str()),
            ),
            Failure::Webauthn(reason) => ("verify.failed", reason, None),
        };
        let ctx = self.judging.ctx;
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
                    "code_form": miss.shape.label(),
                    "method_requested": miss.method.map(CodeMethod::as_str),
                    "consecutive_failures": failures,
                    "detail": miss.detail,
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
                        "lockout_number": t.lockouts + 1,
                    }),
                },
            )?;
            crate::services::mail::enqueue(
                conn,
                self.judging.mail,
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

    /// A factor the policy does not accept: audited as `verify.failed`, not counted as a guess.
    pub(crate) fn refused_by_policy(
        &self,
        conn: &mut DbConnection,
        factor_id: Option<&str>,
        reason: &str,
        method: CodeMethod,
    ) -> Result<(), Error> {
        record_audit_event(
            conn,
            self.now(),
            AuditRecord {
                event: "verify.failed",
                ctx: self.judging.ctx,
                user_id: Some(self.user_id()),
                factor_id,
                details: serde_json::json!({
                    "reason": reason,
                    "method": method.as_str(),
                }),
            },
        )?;
        Ok(())
    }
}

/// Seconds the user is still locked out for, if they are.
pub(crate) fn locked_for(
    conn: &mut DbConnection,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<u64>, Error> {
    let until: Option<NaiveDateTime> = throttles::table
        .find(user_id)
        .select(throttles::locked_until)
        .get_result::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten();
    Ok(until
        .filter(|u| *u > naive(now))
        .map(|u| seconds_until(u, now)))
}

fn is_power_of_ten(n: i32) -> bool {
    let mut p: i64 = 1;
    while p < i64::from(n) {
        p *= 10;
    }
    p == i64::from(n)
}

fn seconds_until(until: NaiveDateTime, now: DateTime<Utc>) -> u64 {
    let micros = (until.and_utc() - now)
        .num_microseconds()
        .unwrap_or(i64::MAX)
        .max(0) as u64;
    micros.div_ceil(1_000_000).max(1)
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
}
