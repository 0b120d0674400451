//! Signing in to the portal, as use cases: the password step (throttle, the policy's standing,
//! the session, the audit), the second step, sign-up's first session, the password again for
//! sudo mode, and the promotion of an enrolling session once it added a compliant factor.
//! Each is one transaction with its audit event; the pages only show the outcome.

use chrono::NaiveDateTime;

use crate::db::models::{FactorRow, UserRow};
use crate::domain::clock::{naive, rfc3339};
use crate::domain::newtypes::{Email, FactorKind};
use crate::error::Error;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::services::compliance;
use crate::services::password_guard::{self, Attempt};
use crate::services::sessions::{self, Session, Stage};
use crate::services::{RequestContext, verify};
use crate::state::AppState;

/// The session a cookie's token names, if it is still valid (marked seen).
pub async fn resume(state: &AppState, token: String) -> Result<Option<Session>, Error> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| sessions::resume(conn, now, &token))
        .await
}

/// How the password step ended.
#[derive(Debug)]
pub enum PasswordStep {
    /// Too many failures from this address, or for this account from a browser that never
    /// signed in to it: wait this many seconds.
    Throttled { wait_seconds: i64 },
    /// The password is right, but the sign-up has not confirmed its address: a new link went
    /// out (at most one a minute) to the address shown partly hidden.
    Unconfirmed { account: String },
    /// Unknown email or wrong password (the same answer, in the same time).
    Refused,
    /// A session in `stage`, named by `token`; `device`: a new known-browser cookie to set.
    Started {
        token: String,
        stage: Stage,
        device: Option<String>,
    },
    /// The policy requires a factor and the time to add one ended on `since`.
    Overdue {
        since: NaiveDateTime,
        methods: Vec<FactorKind>,
    },
}

/// What the browser brings to the password step.
#[derive(Debug, Default)]
pub struct Browser {
    /// The session it replaces (its token hash), if any.
    pub previous: Option<String>,
    /// Its known-browser cookie, if any (`password_guard`).
    pub device: Option<String>,
}

/// The password step: counts the attempt against the address (IPv6 by /64) and the account,
/// checks the password, and starts a session in the stage the user's factors and the policy
/// call for (replacing `browser.previous`).
#[tracing::instrument(skip_all)]
pub async fn with_password(
    state: &AppState,
    ip: String,
    email: &str,
    password: String,
    browser: Browser,
) -> Result<PasswordStep, Error> {
    let now = naive(state.clock.now());
    let Browser { previous, device } = browser;
    // The account's limit counts under the normalised address, known or not; an address that
    // does not parse counts under its raw form (bounded), so it is limited all the same.
    let account_key = match Email::parse(email) {
        Ok(e) => e.normalized(),
        Err(_) => email.chars().take(254).collect(),
    };
    let (blocked, user, during_pause) = {
        let (ip, device, account_key) = (ip.clone(), device.clone(), account_key.clone());
        state
            .db
            .write(move |conn| {
                if let Some(wait) = sessions::reserve_attempt(conn, now, &ip)? {
                    return Ok::<_, Error>((Some(wait), None, false));
                }
                let user = UserRow::find_by_email(conn, &account_key)?;
                let trusted = match &user {
                    Some(u) => password_guard::is_known(conn, now, &u.id, device.as_deref())?,
                    None => false,
                };
                match password_guard::reserve(conn, now, &account_key, trusted)? {
                    Attempt::Paused { wait_seconds } => Ok((Some(wait_seconds), None, false)),
                    Attempt::Counted { during_pause } => Ok((None, user, during_pause)),
                }
            })
            .await?
    };
    if let Some(wait) = blocked {
        return Ok(PasswordStep::Throttled { wait_seconds: wait });
    }
    // Unknown email and wrong password take the same time and get the same answer.
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = crate::services::passwords::verify(state, stored, password).await?;
    let known_id = user.as_ref().map(|u| u.id.clone());
    let Some(user) = user.filter(|_| ok) else {
        let ctx = RequestContext::new(crate::services::Actor::System, Some(ip));
        state
            .db
            .write(move |conn| {
                // The attempt was counted before the password check.
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "login.failed",
                        ctx: &ctx,
                        user_id: known_id.as_deref(),
                        factor_id: None,
                        details: serde_json::json!({ "reason": "wrong_email_or_password" }),
                    },
                )?;
                Ok::<_, Error>(())
            })
            .await?;
        return Ok(PasswordStep::Refused);
    };
    let ctx = RequestContext::new(
        crate::services::Actor::User(user.id.clone()),
        Some(ip.clone()),
    );
    let mail = state.mail.clone();
    let step = state
        .db
        .write(move |conn| {
            sessions::release_attempt(conn, &ip)?;
            password_guard::release(conn, &account_key, during_pause)?;
            if user.awaiting_confirmation() {
                crate::services::password_life::resend_confirmation(
                    conn,
                    &mail,
                    &mail.base_url,
                    now,
                    &ctx,
                    &user.id,
                )?;
                return Ok(PasswordStep::Unconfirmed {
                    account: crate::services::report::mask(&user.email),
                });
            }
            let policy = crate::services::policy::effective(conn, &user.id)?.policy;
            // The record is brought up to date here too, so a grace period always has a start.
            let since = compliance::refresh_user(conn, &policy, &user.id, now, false)?;
            let active = FactorRow::active_for_user(conn, &user.id)?;
            let compliant = active.iter().any(|f| compliance::row_complies(&policy, f));
            // A user with a factor the policy accepts owes it. One whose factors the policy no
            // longer accepts owes one of those (or a backup code) before they may add a new
            // one: the second step, in its "before enrollment" form. One with no factor at all
            // is sent to enroll with the password alone (they never had more). Both until the
            // grace period ends; refused after.
            let (stage, enroll_by) = match compliance::standing(&policy, compliant, since, now) {
                _ if compliant => (Stage::SecondStep, None),
                compliance::Standing::Overdue { since } => {
                    record_audit_event(
                        conn,
                        now,
                        AuditRecord {
                            event: "login.refused",
                            ctx: &ctx,
                            user_id: Some(&user.id),
                            factor_id: None,
                            details: serde_json::json!({ "reason": "enrollment_overdue", "enroll_by": rfc3339(since) }),
                        },
                    )?;
                    return Ok(PasswordStep::Overdue {
                        since,
                        methods: policy.allowed_methods.clone(),
                    });
                }
                _ if !active.is_empty() => (Stage::SecondStep, None),
                compliance::Standing::MustEnroll { by } => (Stage::Enroll, Some(by)),
                compliance::Standing::Compliant => (Stage::Full, None),
            };
            // A browser that signed in all the way (password, and the second factor when the
            // user has one: `remember_browser` after the second step) is exempt from the
            // account's pause; a password alone earns that only when it is all the user has.
            let device = if stage == Stage::SecondStep {
                None
            } else {
                password_guard::remember(conn, now, &user.id, device.as_deref())?
            };
            let token = if stage == Stage::SecondStep {
                sessions::start(conn, now, &user.id, stage, previous.as_deref())?
            } else {
                let details = if stage == Stage::Enroll {
                    serde_json::json!({ "second_factor": null, "enrollment_required": true,
                        "enroll_by": enroll_by.map(rfc3339) })
                } else {
                    serde_json::json!({ "second_factor": null })
                };
                let new = NewSession {
                    user_id: user.id.clone(),
                    previous,
                    ctx,
                    stage,
                    details,
                };
                open_session(conn, now, new)?
            };
            Ok::<_, Error>(PasswordStep::Started {
                token,
                stage,
                device,
            })
        })
        .await?;
    if matches!(step, PasswordStep::Unconfirmed { .. }) {
        state.mail_wakeup.notify_one();
    }
    Ok(step)
}

fn login_succeeded(
    conn: &mut crate::db::DbConnection,
    now: NaiveDateTime,
    ctx: &RequestContext,
    user_id: &str,
    factor_id: Option<&str>,
    details: serde_json::Value,
) -> Result<(), Error> {
    record_audit_event(
        conn,
        now,
        AuditRecord {
            event: "login.succeeded",
            ctx,
            user_id: Some(user_id),
            factor_id,
            details,
        },
    )?;
    Ok(())
}

/// A new session for a user who just proved who they are.
#[derive(Debug)]
pub struct NewSession {
    pub user_id: String,
    /// The session it replaces (its token hash), if any.
    pub previous: Option<String>,
    pub ctx: RequestContext,
    /// `Full`, or `Enroll` (which may add a factor, in sudo mode: the user just proved who
    /// they are).
    pub stage: Stage,
    /// The `login.succeeded` event's details.
    pub details: serde_json::Value,
}

/// Starts the session and records `login.succeeded`; returns the new cookie token.
#[tracing::instrument(skip_all, fields(user_id = %new.user_id))]
pub async fn start(state: &AppState, new: NewSession) -> Result<String, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| open_session(conn, now, new))
        .await
}

/// `start` inside a transaction: the session (in sudo mode when enrolling: the user just proved
/// who they are, so adding a factor needs no second prompt) and `login.succeeded`.
fn open_session(
    conn: &mut crate::db::DbConnection,
    now: NaiveDateTime,
    new: NewSession,
) -> Result<String, Error> {
    let token = sessions::start(conn, now, &new.user_id, new.stage, new.previous.as_deref())?;
    if new.stage == Stage::Enroll {
        sessions::grant_sudo(conn, &sessions::hash_token(&token), now)?;
    }
    login_succeeded(conn, now, &new.ctx, &new.user_id, None, new.details)?;
    Ok(token)
}

/// Ends the session (sign-out, or a second step whose factors went away).
pub async fn end(state: &AppState, token_hash: String) -> Result<(), Error> {
    state
        .db
        .write(move |conn| Ok::<_, Error>(sessions::end(conn, &token_hash).map(|_| ())?))
        .await
}

/// After the second step: this browser signed in all the way, so the account's pause on
/// wrong passwords will not hold it back. Returns a new known-browser cookie to set, if any.
pub async fn remember_browser(
    state: &AppState,
    user_id: String,
    device: Option<String>,
) -> Result<Option<String>, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            Ok::<_, Error>(password_guard::remember(
                conn,
                now,
                &user_id,
                device.as_deref(),
            )?)
        })
        .await
}

/// How the password for sudo mode ended.
#[derive(Debug, PartialEq, Eq)]
pub enum SudoStep {
    Throttled { wait_seconds: i64 },
    Refused,
    Granted,
}

/// The password again, for sudo mode: guesses count against the address and the account like
/// sign-ins (`device`: the browser's known-browser cookie).
#[tracing::instrument(skip_all, fields(user_id = %session.user_id))]
pub async fn confirm_password(
    state: &AppState,
    ctx: RequestContext,
    session: &Session,
    device: Option<String>,
    password: String,
) -> Result<SudoStep, Error> {
    let ip = ctx.ip.clone().unwrap_or_default();
    let user_id = session.user_id.clone();
    let now = naive(state.clock.now());
    let (blocked, stored, key, during_pause) = state
        .db
        .write({
            let ip = ip.clone();
            move |conn| {
                let user = crate::services::users::load(conn, &user_id)?;
                if let Some(wait) = sessions::reserve_attempt(conn, now, &ip)? {
                    return Ok::<_, Error>((Some(wait), None, String::new(), false));
                }
                let trusted = password_guard::is_known(conn, now, &user.id, device.as_deref())?;
                let key = user.email_normalized.clone();
                match password_guard::reserve(conn, now, &key, trusted)? {
                    Attempt::Paused { wait_seconds } => Ok((Some(wait_seconds), None, key, false)),
                    Attempt::Counted { during_pause } => {
                        Ok((None, user.password_hash, key, during_pause))
                    }
                }
            }
        })
        .await?;
    if let Some(wait) = blocked {
        return Ok(SudoStep::Throttled { wait_seconds: wait });
    }
    let ok = crate::services::passwords::verify(state, stored, password).await?;
    let (uid, hash) = (session.user_id.clone(), session.token_hash.clone());
    if !ok {
        state
            .db
            .write(move |conn| {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "login.failed",
                        ctx: &ctx,
                        user_id: Some(&uid),
                        factor_id: None,
                        details: serde_json::json!({ "reason": "wrong_password", "step": "sudo" }),
                    },
                )?;
                Ok::<_, Error>(())
            })
            .await?;
        return Ok(SudoStep::Refused);
    }
    state
        .db
        .write(move |conn| {
            sessions::release_attempt(conn, &ip)?;
            password_guard::release(conn, &key, during_pause)?;
            sessions::grant_sudo(conn, &hash, now)?;
            Ok::<_, Error>(())
        })
        .await?;
    Ok(SudoStep::Granted)
}

/// The kinds of factor the second step offers: the ones the policy accepts; or, when none of
/// the user's factors is accepted any more, all of them (`upgrade`: the step then leads only to
/// adding a factor).
#[derive(Debug, Clone)]
pub struct SecondStepKinds {
    pub kinds: Vec<FactorKind>,
    pub upgrade: bool,
    /// The policy allows some method to be added (it may allow none).
    pub can_enroll: bool,
}

impl SecondStepKinds {
    pub fn has(&self, kind: FactorKind) -> bool {
        self.kinds.contains(&kind)
    }
}

pub async fn second_step_kinds(
    state: &AppState,
    user_id: String,
) -> Result<SecondStepKinds, Error> {
    state
        .db
        .read(move |conn| {
            let policy = crate::services::policy::effective(conn, &user_id)?.policy;
            let compliant = compliance::compliant_factors(conn, &policy, &user_id)?;
            if !compliant.is_empty() {
                return Ok(SecondStepKinds {
                    kinds: compliant.into_iter().map(|f| f.kind).collect(),
                    upgrade: false,
                    can_enroll: true,
                });
            }
            Ok::<_, Error>(SecondStepKinds {
                kinds: FactorRow::active_for_user(conn, &user_id)?
                    .into_iter()
                    .map(|f| f.kind)
                    .collect(),
                upgrade: true,
                can_enroll: !policy.allowed_methods.is_empty(),
            })
        })
        .await
}

/// How a code at the second step ended (a wrong code, a lockout or a policy refusal is an
/// `Err` for the page to explain).
#[derive(Debug)]
pub enum CodeStep {
    /// Signed in (or, before enrollment, allowed to add a factor): a new session.
    Started {
        token: String,
        stage: Stage,
        /// The kind of factor that passed (`totp`, `yubikey_otp`, `backup_code`, …).
        method: String,
    },
    /// The user's factors went away during sign-in: the session is over, start again.
    Restart,
}

/// The second step with a typed code (app, YubiKey, backup code): checks it as the policy
/// requires and replaces the half-signed-in session with a new one.
#[tracing::instrument(skip_all, fields(user_id = %session.user_id))]
pub async fn with_code(
    state: &AppState,
    ctx: RequestContext,
    session: &Session,
    code: String,
) -> Result<CodeStep, Error> {
    let kinds = second_step_kinds(state, session.user_id.clone()).await?;
    let user_id = session.user_id.clone();
    let verdict = if kinds.upgrade {
        verify::verify_before_enrollment(state, ctx.clone(), user_id, code).await
    } else {
        verify::verify_second_factor(state, ctx.clone(), user_id, code, None).await
    };
    let method = match verdict {
        Ok(v) => v.method.as_str().to_owned(),
        Err(Error::NoSecondFactor) => {
            // Rather than let a half-signed-in session through.
            end(state, session.token_hash.clone()).await?;
            return Ok(CodeStep::Restart);
        }
        Err(e) => return Err(e),
    };
    // A policy that allows no method at all (and so cannot require one) leaves nothing to add:
    // the factor just passed signs the user in as before.
    let stage = if kinds.upgrade && kinds.can_enroll {
        Stage::Enroll
    } else {
        Stage::Full
    };
    let details = if stage == Stage::Enroll {
        serde_json::json!({ "second_factor": method, "enrollment_required": true })
    } else {
        serde_json::json!({ "second_factor": method })
    };
    let token = start(
        state,
        NewSession {
            user_id: session.user_id.clone(),
            previous: Some(session.token_hash.clone()),
            ctx,
            stage,
            details,
        },
    )
    .await?;
    Ok(CodeStep::Started {
        token,
        stage,
        method,
    })
}

/// After an enrolling session (`Stage::Enroll`) activated `factor_id`: when the factor meets the
/// policy, that session is replaced by a signed-in one (new token, `login.succeeded` with the
/// factor), which keeps sudo mode. Only the session that added the factor is promoted, never
/// another one of the same user. Returns the new session and its token, if promoted.
#[tracing::instrument(skip_all, fields(user_id = %session.user_id, factor_id))]
pub async fn after_activation(
    state: &AppState,
    ctx: RequestContext,
    session: &Session,
    factor_id: &str,
) -> Result<Option<(Session, String)>, Error> {
    if session.stage != Stage::Enroll {
        return Ok(None);
    }
    let now_dt = state.clock.now();
    let now = naive(now_dt);
    let (user_id, previous, factor_id) = (
        session.user_id.clone(),
        session.token_hash.clone(),
        factor_id.to_owned(),
    );
    state
        .db
        .write(move |conn| {
            let policy = crate::services::policy::effective(conn, &user_id)?.policy;
            let complies = FactorRow::find_for_user(conn, &user_id, &factor_id, now)?
                .is_some_and(|f| compliance::row_complies(&policy, &f));
            if !complies {
                return Ok::<_, Error>(None);
            }
            let token = sessions::start(conn, now, &user_id, Stage::Full, Some(&previous))?;
            sessions::grant_sudo(conn, &sessions::hash_token(&token), now)?;
            login_succeeded(
                conn,
                now,
                &ctx,
                &user_id,
                Some(&factor_id),
                serde_json::json!({ "second_factor": "enrolled" }),
            )?;
            let fresh = sessions::resume(conn, now_dt, &token)?
                .ok_or_else(|| Error::internal(anyhow::anyhow!("a new session vanished")))?;
            Ok(Some((fresh, token)))
        })
        .await
}
