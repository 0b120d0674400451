//! "Reset two-factor authentication" for a customer who lost their factors: after a check of
//! who they are (a backup code they read out, checked and consumed here, or the reference of an
//! out-of-band identity check), every factor, backup code and portal session of the customer
//! is revoked, a freeze from a "this wasn't me" report is lifted, the customer is mailed, and
//! `support.reset` records the agent, the reason and the check — all in one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use super::backup_codes::{Consumed, consume};
use crate::db::schema::{backup_codes, factors, sessions, throttles, users, webauthn_challenges};
use crate::domain::clock::naive;
use crate::domain::mail::MailKind;
use crate::domain::newtypes::Role;
use crate::error::Error;
use crate::state::AppState;

/// How support checked who the customer is.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Verification {
    /// The customer read out one of their backup codes: checked, and used up.
    BackupCode { code: String },
    /// An identity check outside Keyward (a call back, a video call, a ticket): its reference.
    OutOfBand { reference: String },
    /// `keyward user reset` run by an operator on the server.
    #[serde(skip)]
    OperatorCli,
}

impl Verification {
    fn kind(&self) -> &'static str {
        match self {
            Self::BackupCode { .. } => "backup_code",
            Self::OutOfBand { .. } => "out_of_band",
            Self::OperatorCli => "operator_cli",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ResetOutcome {
    pub factors_removed: i64,
    pub backup_codes_removed: i64,
}

enum Outcome {
    Done(ResetOutcome),
    WrongCode,
    Refused(&'static str),
}

/// Who resets.
#[derive(Debug, Clone)]
pub struct Agent {
    /// The name the customer sees in the mail and the audit log records.
    pub name: String,
    /// The security team (a `security` key or user, or an operator at the CLI) may reset staff
    /// accounts too; support may reset customers only.
    pub may_reset_staff: bool,
    /// The agent's own account, when they have one (the portal): nobody resets their own.
    pub user_id: Option<String>,
}

/// Resets the customer's second factors.
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn reset(
    state: &AppState,
    ctx: RequestContext,
    agent: Agent,
    user_id: String,
    reason: String,
    verification: Verification,
) -> Result<ResetOutcome, Error> {
    let reason =
        crate::domain::newtypes::parse_label("reason", &reason, 500).map_err(Error::BadRequest)?;
    if let Verification::OutOfBand { reference } = &verification {
        crate::domain::newtypes::parse_label("verification.reference", reference, 200)
            .map_err(Error::BadRequest)?;
    }
    let now = naive(state.clock.now());
    let keyring = state.keyring.clone();
    let mail = state.mail.clone();
    let outcome = state
        .db
        .write(move |conn| {
            // The lock order: the policy and group rows, the user, the audit head.
            let policy = super::policy::effective_locked(conn, &user_id)?.policy;
            let user = super::users::lock_and_load(conn, &user_id)?;
            let refusal = if agent.user_id.as_deref() == Some(user.id.as_str()) {
                Some(("own_account", "nobody can reset their own two-factor authentication: ask a colleague"))
            } else if user.role != Role::Customer && !agent.may_reset_staff {
                Some(("staff_account", "only the security team can reset the two-factor authentication of a support or security account"))
            } else {
                None
            };
            if let Some((reason, message)) = refusal {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "support.reset_refused",
                        ctx: &ctx,
                        user_id: Some(&user.id),
                        factor_id: None,
                        details: serde_json::json!({
                            "reason": reason,
                            "role": user.role,
                            "agent": agent.name,
                        }),
                    },
                )?;
                return Ok(Outcome::Refused(message));
            }
            let agent = agent.name;
            if let Verification::BackupCode { code } = &verification {
                match consume(conn, &keyring, now, &user.id, code.trim())? {
                    Consumed::Used { .. } => {}
                    Consumed::AlreadyUsed | Consumed::Unknown => {
                        record_audit_event(
                            conn,
                            now,
                            AuditRecord {
                                event: "support.reset_refused",
                                ctx: &ctx,
                                user_id: Some(&user.id),
                                factor_id: None,
                                details: serde_json::json!({
                                    "reason": "backup_code_did_not_match",
                                    "agent": agent,
                                }),
                            },
                        )?;
                        return Ok(Outcome::WrongCode);
                    }
                }
            }
            let factors_removed =
                diesel::delete(factors::table.filter(factors::user_id.eq(&user.id)))
                    .execute(conn)? as i64;
            let codes_removed = diesel::delete(
                backup_codes::table
                    .filter(backup_codes::user_id.eq(&user.id))
                    .filter(backup_codes::used_at.is_null()),
            )
            .execute(conn)? as i64;
            diesel::delete(backup_codes::table.filter(backup_codes::user_id.eq(&user.id)))
                .execute(conn)?;
            diesel::delete(sessions::table.filter(sessions::user_id.eq(&user.id))).execute(conn)?;
            // A fresh start: a running lockout ends with the reset.
            diesel::update(throttles::table.find(&user.id))
                .set((
                    throttles::failures.eq(0),
                    throttles::locked_until.eq(None::<NaiveDateTime>),
                    throttles::locked_refusals.eq(0),
                ))
                .execute(conn)?;
            diesel::delete(
                webauthn_challenges::table.filter(webauthn_challenges::user_id.eq(&user.id)),
            )
            .execute(conn)?;
            diesel::update(users::table.find(&user.id))
                .set((
                    users::factors_frozen_at.eq(None::<NaiveDateTime>),
                    users::sessions_valid_after.eq(now),
                    users::totp_last_step.eq(None::<i64>),
                ))
                .execute(conn)?;
            // The customer enrolls again: a policy that requires a factor gives them a fresh
            // grace period from now, even if an earlier one had run out.
            let enroll_by = super::compliance::refresh_user(conn, &policy, &user.id, now, true)?
                .map(|since| {
                    crate::domain::clock::rfc3339(super::compliance::enroll_by(&policy, since))
                });
            let reference = match &verification {
                Verification::OutOfBand { reference } => Some(reference.clone()),
                _ => None,
            };
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "support.reset",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: None,
                    details: serde_json::json!({
                        "agent": agent,
                        "reason": reason,
                        "verification": verification.kind(),
                        "reference": reference,
                        "factors_removed": factors_removed,
                        "backup_codes_removed": codes_removed,
                        "was_reported": user.reported_at.is_some(),
                        "enroll_by": enroll_by,
                    }),
                },
            )?;
            super::mail::enqueue(
                conn,
                &mail,
                now,
                &ctx,
                &user.id,
                MailKind::SupportReset {
                    reason: reason.clone(),
                    agent: agent.clone(),
                },
            )?;
            // After "this wasn't me" the old password is dead: the customer sets a new one with
            // this link before anyone can sign in or add a factor.
            if user.password_reset_required_at.is_some() {
                let url = super::password_life::issue_link(
                    conn,
                    &mail.base_url,
                    now,
                    &user.id,
                    super::password_life::LinkPurpose::PasswordSet,
                )?;
                super::mail::enqueue(
                    conn,
                    &mail,
                    now,
                    &ctx,
                    &user.id,
                    MailKind::SetPassword {
                        url,
                        hours: super::password_life::SET_HOURS,
                    },
                )?;
            }
            Ok::<_, Error>(Outcome::Done(ResetOutcome {
                factors_removed,
                backup_codes_removed: codes_removed,
            }))
        })
        .await?;
    match outcome {
        Outcome::Done(o) => {
            state.mail_wakeup.notify_one();
            Ok(o)
        }
        Outcome::WrongCode => Err(Error::InvalidCode),
        Outcome::Refused(message) => Err(Error::Forbidden(message.into())),
    }
}
