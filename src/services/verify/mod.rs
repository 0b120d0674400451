//! `verify`: the relying application's main call. The code is matched on the read pool
//! (`code::precheck`, no lock); then one write transaction judges the attempt — the lockout
//! check, the replay guard, the factor still being active, the throttle update and the audit
//! event — so concurrent requests and several instances cannot get around any of them.
//!
//! - [`code`] — matching and judging a code (TOTP, YubiKey OTP, backup code).
//! - [`outcome`] — the steps every verification shares, WebAuthn's too: the lockout gate,
//!   recording success and failure, a refusal by the policy.

mod code;
pub(crate) mod outcome;

use super::RequestContext;
use crate::domain::newtypes::CodeMethod;
use crate::error::Error;
use crate::state::AppState;
use outcome::{Attempt, Gate, Judging, Outcome};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Verified {
    pub verified: bool,
    /// The factor that matched; null for a backup code.
    pub factor_id: Option<String>,
    pub method: CodeMethod,
}

/// What the caller gave: the code (trimmed), and the method they named, if any.
#[derive(Debug, Clone, Copy)]
struct Presented<'a> {
    code: &'a str,
    method: Option<CodeMethod>,
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

#[tracing::instrument(skip_all, fields(user_id = %user_id, method = ?method))]
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
            .read_hot(move |conn| {
                let presented = Presented {
                    code: &code,
                    method,
                };
                code::precheck(conn, &keyring, now, &user_id, presented, policy_applies)
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
    if let Ok(code::Precheck {
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
                    let judging = Judging {
                        now,
                        ctx: &ctx,
                        rules,
                        mail: &mail,
                    };
                    let attempt = match Attempt::open(conn, judging, &user_id)? {
                        Gate::Open(a) => a,
                        Gate::Locked { retry_after } => return Ok(Outcome::Locked { retry_after }),
                    };
                    let presented = Presented {
                        code: &code,
                        method,
                    };
                    code::judge(conn, &attempt, &keyring, presented, pre, cloud)
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
