//! Registering a security key: a pending factor and the options for
//! `navigator.credentials.create`, then the browser's response judged against its challenge
//! and the policy in force, which activates the factor.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use webauthn_rs::prelude::*;

use super::refusal::{Refusal, refusal_of};
use super::{
    PURPOSE_REGISTRATION, RegistrationState, active_webauthn, encode_cred_id, load_credential,
    parse_json, user_handle,
};
use crate::db::models::FactorRow;
use crate::db::schema::{factors, webauthn_challenges};
use crate::domain::clock::naive;
use crate::domain::ids::{looks_like_id, new_id};
use crate::domain::newtypes::{FactorKind, FactorStatus};
use crate::domain::webauthn::{authenticator_name, registration_facts};
use crate::error::Error;
use crate::services::RequestContext;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::services::factors::{ActivationRecord, Factor, record_activation};
use crate::services::policy::UserVerification;
use crate::state::AppState;

/// The answer to starting a registration: the pending factor and the options for
/// `navigator.credentials.create`.
pub struct RegistrationStart {
    pub factor: Factor,
    pub options: serde_json::Value,
}

#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn start_registration(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    name: String,
) -> Result<RegistrationStart, Error> {
    let rp = state.webauthn.clone();
    let (user, policy, exclude) = state
        .db
        .read(move |conn| {
            let user = crate::services::users::load(conn, &user_id)?;
            let policy = crate::services::policy::effective(conn, &user.id)?.policy;
            let exclude: Vec<CredentialID> = active_webauthn(conn, &user.id)?
                .iter()
                .filter_map(|f| load_credential(f).ok())
                .map(|c| c.cred_id)
                .collect();
            Ok::<_, Error>((user, policy, exclude))
        })
        .await?;
    // Checked again under the lock when the pending factor is written; here so that a key that
    // may not touch this account learns it before any ceremony starts.
    crate::services::users::ensure_may_change_factors(&ctx, user.role)?;
    policy.require_allowed(FactorKind::Webauthn)?;
    let handle = user_handle(&user.id);
    let exclude = (!exclude.is_empty()).then_some(exclude);
    let display = if user.display_name.is_empty() {
        user.email.clone()
    } else {
        user.display_name.clone()
    };
    let wp = &policy.webauthn;
    let (ccr, reg_state) = match (wp.user_verification, policy.webauthn_needs_attestation()) {
        (UserVerification::Required, true) => rp
            .standard
            .start_attested_passkey_registration(
                handle,
                &user.email,
                &display,
                exclude,
                rp.ca_list.clone(),
                None,
            )
            .map(|(c, s)| (c, RegistrationState::AttestedPasskey(s))),
        (UserVerification::Required, false) => rp
            .standard
            .start_passkey_registration(handle, &user.email, &display, exclude)
            .map(|(c, s)| (c, RegistrationState::Passkey(s))),
        (uv, attested) => {
            let presence_only = uv == UserVerification::Discouraged;
            let wan = if presence_only {
                &rp.presence_only
            } else {
                &rp.standard
            };
            wan.start_securitykey_registration(
                handle,
                &user.email,
                &display,
                exclude,
                attested.then(|| rp.ca_list.clone()),
                None,
            )
            .map(|(c, s)| {
                (
                    c,
                    RegistrationState::SecurityKey {
                        state: s,
                        presence_only,
                        attested,
                    },
                )
            })
        }
    }
    .map_err(|e| Error::internal(anyhow::anyhow!("webauthn registration start: {e}")))?;
    let mut ccr = ccr;
    if wp.user_verification != UserVerification::Required {
        // webauthn-rs's security-key flow asks for credProtect "userVerificationRequired"
        // (not enforced) with userVerification "preferred"; Chromium refuses that pair
        // outright (NotSupportedError: "Requested protection policy is inconsistent"). The
        // request is opportunistic and webauthn-rs only records its outcome, so it is left out.
        if let Some(ext) = ccr.public_key.extensions.as_mut() {
            ext.cred_protect = None;
        }
    }
    let options = serde_json::to_value(&ccr).map_err(Error::internal)?;
    let state_json = serde_json::to_string(&reg_state).map_err(Error::internal)?;

    let now_dt = state.clock.now();
    let now = naive(now_dt);
    let factor_expires =
        naive(now_dt + Duration::seconds(state.settings.portal.pending_factor_ttl_seconds));
    let challenge_expires = naive(now_dt + rp.challenge_ttl);
    let user_id = user.id.clone();
    let factor = state
        .db
        .write(move |conn| {
            let user = crate::services::users::lock_for_factor_change(conn, &ctx, &user_id)?;
            crate::services::factors::ensure_room(conn, &user.id, now)?;
            let row = FactorRow::pending(
                new_id("fac"),
                user.id.clone(),
                FactorKind::Webauthn,
                name,
                now,
                factor_expires,
            );
            diesel::insert_into(factors::table)
                .values(row.clone())
                .execute(conn)?;
            diesel::insert_into(webauthn_challenges::table)
                .values((
                    webauthn_challenges::id.eq(new_id("wac")),
                    webauthn_challenges::user_id.eq(&user.id),
                    webauthn_challenges::factor_id.eq(Some(&row.id)),
                    webauthn_challenges::purpose.eq(PURPOSE_REGISTRATION),
                    webauthn_challenges::state.eq(&state_json),
                    webauthn_challenges::created_at.eq(now),
                    webauthn_challenges::expires_at.eq(challenge_expires),
                ))
                .execute(conn)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "factor.enrollment_started",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: Some(&row.id),
                    details: serde_json::json!({ "type": "webauthn", "name": row.name }),
                },
            )?;
            Ok::<_, Error>(Factor::from(&row))
        })
        .await?;
    Ok(RegistrationStart { factor, options })
}

/// What the read phase of a registration learnt.
struct RegistrationCheck {
    challenge_id: Option<String>,
    result: Result<(Credential, bool), Refusal>,
}

enum Activation {
    Done(Box<Factor>, Option<Vec<String>>),
    Refused(Refusal),
    Conflict(String),
}

#[tracing::instrument(skip_all, fields(user_id = %user_id, factor_id = %factor_id))]
pub async fn finish_registration(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    factor_id: String,
    credential: serde_json::Value,
) -> Result<(Factor, Option<Vec<String>>), Error> {
    let reg: RegisterPublicKeyCredential = parse_json(credential, "RegisterPublicKeyCredential")?;
    if !looks_like_id(&factor_id) {
        return Err(Error::NotFound(
            "no factor with this id for this user".into(),
        ));
    }
    let rp = state.webauthn.clone();
    let now_dt = state.clock.now();
    let now = naive(now_dt);
    // The read phase: the pending factor, its challenge, and webauthn-rs's verdict.
    let check = {
        let (rp, user_id, factor_id) = (rp.clone(), user_id.clone(), factor_id.clone());
        let reg = reg.clone();
        let ctx = ctx.clone();
        state
            .db
            .read(move |conn| {
                let user = crate::services::users::load(conn, &user_id)?;
                // Before the challenge is judged: a refusal deletes the pending factor, which a
                // key that may not change this user's factors must not cause either.
                crate::services::users::ensure_may_change_factors(&ctx, user.role)?;
                let row = FactorRow::find_for_user(conn, &user.id, &factor_id, now)?.ok_or_else(
                    || Error::NotFound("no factor with this id for this user".into()),
                )?;
                if row.kind != FactorKind::Webauthn {
                    return Err(Error::BadRequest(format!(
                        "a factor of type {} is not activated with a credential",
                        row.kind
                    )));
                }
                if row.is_active() {
                    return Err(Error::Conflict(
                        crate::services::refusals::FACTOR_ALREADY_ACTIVE.into(),
                    ));
                }
                let challenge: Option<(String, String)> = webauthn_challenges::table
                    .filter(webauthn_challenges::factor_id.eq(&row.id))
                    .filter(webauthn_challenges::user_id.eq(&user.id))
                    .filter(webauthn_challenges::purpose.eq(PURPOSE_REGISTRATION))
                    .filter(webauthn_challenges::expires_at.gt(now))
                    .select((webauthn_challenges::id, webauthn_challenges::state))
                    .get_result(conn)
                    .optional()?;
                let Some((challenge_id, state_json)) = challenge else {
                    return Ok(RegistrationCheck {
                        challenge_id: None,
                        result: Err(Refusal::invalid("challenge_expired_or_used", "")),
                    });
                };
                let reg_state: RegistrationState =
                    serde_json::from_str(&state_json).map_err(|e| {
                        Error::internal(anyhow::anyhow!(
                            "stored registration state does not parse: {e}"
                        ))
                    })?;
                let result = match &reg_state {
                    RegistrationState::Passkey(s) => rp
                        .standard
                        .finish_passkey_registration(&reg, s)
                        .map(|k| (Credential::from(k), false)),
                    RegistrationState::AttestedPasskey(s) => rp
                        .standard
                        .finish_attested_passkey_registration(&reg, s)
                        .map(|k| (Credential::from(k), true)),
                    RegistrationState::SecurityKey {
                        state,
                        presence_only,
                        attested,
                    } => {
                        let wan = if *presence_only {
                            &rp.presence_only
                        } else {
                            &rp.standard
                        };
                        wan.finish_securitykey_registration(&reg, state)
                            .map(|k| (Credential::from(k), *attested))
                    }
                }
                .map_err(|e| refusal_of(&e, &rp.origin, true));
                Ok(RegistrationCheck {
                    challenge_id: Some(challenge_id),
                    result,
                })
            })
            .await?
    };
    let facts = registration_facts(&reg.response.attestation_object).ok();
    let keyring = state.keyring.clone();
    let mail = state.mail.clone();
    let outcome = state
        .db
        .write(move |conn| {
            let user = crate::services::users::lock_for_factor_change(conn, &ctx, &user_id)?;
            let row = FactorRow::find_for_user(conn, &user.id, &factor_id, now)?
                .filter(|r| r.status == FactorStatus::Pending)
                .ok_or_else(|| Error::NotFound("no pending factor with this id for this user".into()))?;
            // Single use: whoever deletes the challenge row judges the response.
            let consumed = match &check.challenge_id {
                Some(id) => diesel::delete(
                    webauthn_challenges::table
                        .filter(webauthn_challenges::id.eq(id))
                        .filter(webauthn_challenges::expires_at.gt(now)),
                )
                .execute(conn)?
                    == 1,
                None => false,
            };
            // The user's effective policy (its rows share-locked by `lock_for_factor_change`).
            let policy = crate::services::policy::effective(conn, &user.id)?.policy;
            let verdict = if !consumed {
                Err(Refusal::invalid(
                    "challenge_expired_or_used",
                    "this registration has expired or its challenge was already used: start the registration again",
                ))
            } else {
                check.result.clone().and_then(|(cred, attested)| {
                    let aaguid = facts.map(|f| f.aaguid).unwrap_or_else(Uuid::nil);
                    // The policy in force now, which may have changed since the start.
                    match policy.webauthn_refusal(attested, Some(aaguid)) {
                        Some((reason, message)) => Err(Refusal::policy(
                            reason,
                            format!("{message}: start the registration again"),
                        )),
                        None => Ok((cred, attested, aaguid)),
                    }
                })
            };
            let (cred, attested, aaguid) = match verdict {
                Ok(v) => v,
                Err(refusal) => {
                    // The ceremony is over: the pending factor goes with its challenge.
                    diesel::delete(factors::table.find(&row.id)).execute(conn)?;
                    diesel::delete(
                        webauthn_challenges::table.filter(webauthn_challenges::factor_id.eq(&row.id)),
                    )
                    .execute(conn)?;
                    record_audit_event(
                        conn,
                        now,
                        AuditRecord {
                            event: "factor.activation_failed",
                            ctx: &ctx,
                            user_id: Some(&user.id),
                            factor_id: Some(&row.id),
                            details: serde_json::json!({
                                "type": "webauthn",
                                "name": row.name,
                                "reason": refusal.reason,
                            }),
                        },
                    )?;
                    return Ok(Activation::Refused(refusal));
                }
            };
            let cred_id = encode_cred_id(&cred.cred_id);
            let taken: i64 = factors::table
                .filter(factors::webauthn_credential_id.eq(&cred_id))
                .count()
                .get_result(conn)?;
            if taken > 0 {
                diesel::delete(factors::table.find(&row.id)).execute(conn)?;
                return Ok(Activation::Conflict(
                    crate::services::refusals::KEY_ALREADY_REGISTERED.into(),
                ));
            }
            // A model name only for an attested AAGUID: otherwise it is just a claim.
            let name = if attested { authenticator_name(&aaguid) } else { None };
            let first_factor = FactorRow::count_active(conn, &user.id)? == 0;
            let cred_json = serde_json::to_string(&cred).map_err(Error::internal)?;
            let updated = diesel::update(
                factors::table
                    .filter(factors::id.eq(&row.id))
                    .filter(factors::status.eq(FactorStatus::Pending.as_str())),
            )
            .set((
                factors::status.eq(FactorStatus::Active.as_str()),
                factors::activated_at.eq(now),
                factors::expires_at.eq(None::<NaiveDateTime>),
                factors::webauthn_credential_id.eq(&cred_id),
                factors::webauthn_credential.eq(&cred_json),
                factors::webauthn_aaguid.eq(aaguid.hyphenated().to_string()),
                factors::webauthn_authenticator.eq(name),
                factors::webauthn_sign_count.eq(i64::from(cred.counter)),
                factors::webauthn_backup_eligible.eq(cred.backup_eligible),
                factors::webauthn_backup_state.eq(cred.backup_state),
                factors::webauthn_attested.eq(attested),
            ))
            .execute(conn);
            match updated {
                Ok(1) => {}
                Ok(_) => return Err(Error::NotFound("no pending factor with this id for this user".into())),
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => {
                    // Another user's registration of this credential won a race past the
                    // check above. The failed statement aborts the transaction on PostgreSQL,
                    // so everything rolls back; a retry meets the check above.
                    return Err(Error::Conflict(
                        crate::services::refusals::KEY_ALREADY_REGISTERED.into(),
                    ));
                }
                Err(e) => return Err(e.into()),
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
                    details: serde_json::json!({
                    "type": "webauthn",
                    "name": row.name,
                    "aaguid": aaguid.hyphenated().to_string(),
                    "authenticator": name,
                    "attested": attested,
                    "user_verified": cred.user_verified,
                    "backup_eligible": cred.backup_eligible,
                    "backup_state": cred.backup_state,
                }),
                },
            )?;
            let fresh = FactorRow::find_for_user(conn, &user.id, &row.id, now)?
                .ok_or_else(|| Error::internal(anyhow::anyhow!("activated factor vanished")))?;
            Ok(Activation::Done(Box::new(Factor::from(&fresh)), backup_codes))
        })
        .await?;
    match outcome {
        Activation::Done(f, codes) => {
            state.mail_wakeup.notify_one();
            Ok((*f, codes))
        }
        Activation::Refused(r) => Err(r.into_error()),
        Activation::Conflict(m) => Err(Error::Conflict(m)),
    }
}
