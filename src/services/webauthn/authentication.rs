//! A WebAuthn second step: a challenge for the user's keys that meet the policy, then the
//! assertion — checked on the read pool, judged in the write transaction through
//! `verify::outcome` (the lockout gate, the challenge consumed once, the policy in force, the
//! signature counter moved forward by one conditional UPDATE, the audit event).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use webauthn_rs::prelude::*;

use super::refusal::{Refusal, refusal_of};
use super::{
    AuthenticationState, MAX_OPEN_CHALLENGES, PURPOSE_AUTHENTICATION, aaguid_of, active_webauthn,
    attested_of, encode_cred_id, load_credential, parse_json,
};
use crate::db::DbConnection;
use crate::db::models::FactorRow;
use crate::db::schema::{factors, webauthn_challenges};
use crate::domain::clock::naive;
use crate::domain::ids::{looks_like_id, new_id};
use crate::domain::newtypes::{CodeMethod, FactorKind, FactorStatus};
use crate::error::Error;
use crate::seams::webauthn::RelyingParty;
use crate::services::RequestContext;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::services::policy::{Policy, UserVerification};
use crate::services::verify::Verified;
use crate::services::verify::outcome::{
    Attempt, CodeShape, Failure, Gate, Judging, Miss, Outcome, locked_for,
};
use crate::state::AppState;

/// The answer to starting a verification.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct VerificationStart {
    pub challenge_id: String,
    /// `PublicKeyCredentialRequestOptions` JSON (`{"publicKey": {...}}`) for
    /// `navigator.credentials.get`.
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}

#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn start_verification(
    state: &AppState,
    user_id: String,
) -> Result<VerificationStart, Error> {
    let rp = state.webauthn.clone();
    let now_dt = state.clock.now();
    let (user_id, policy, creds, locked) = state
        .db
        .read(move |conn| {
            let user = crate::services::users::load(conn, &user_id)?;
            let policy = crate::services::policy::effective(conn, &user.id)?.policy;
            let rows = active_webauthn(conn, &user.id)?;
            let registered = rows.len();
            // Only keys that meet the policy in force are offered.
            let creds = rows
                .iter()
                .filter(|f| {
                    policy
                        .webauthn_refusal(attested_of(f), aaguid_of(f))
                        .is_none()
                })
                .map(load_credential)
                .collect::<Result<Vec<_>, _>>()?;
            let locked = locked_for(conn, &user.id, now_dt)?;
            Ok::<_, Error>((user.id, policy, (registered, creds), locked))
        })
        .await?;
    let (registered, creds) = creds;
    if let Some(retry_after) = locked {
        return Err(Error::TooManyAttempts { retry_after });
    }
    policy.require_allowed(FactorKind::Webauthn)?;
    if registered == 0 {
        return Err(Error::NoSecondFactor);
    }
    if creds.is_empty() {
        return Err(Error::PolicyViolation(
            "none of this user's security keys meets the security policy (attestation or authenticator model): register a compliant key".into(),
        ));
    }
    let (rcr, auth_state) = start_authentication(&rp, &policy, creds)
        .map_err(|e| Error::internal(anyhow::anyhow!("webauthn authentication start: {e}")))?;
    let options = serde_json::to_value(&rcr).map_err(Error::internal)?;
    let state_json = serde_json::to_string(&auth_state).map_err(Error::internal)?;
    let now = naive(now_dt);
    let expires = naive(now_dt + rp.challenge_ttl);
    let challenge_id = new_id("wac");
    let id = challenge_id.clone();
    state
        .db
        .write(move |conn| {
            crate::services::users::lock_user(conn, &user_id)?;
            // Expired challenges go now; beyond the cap, the oldest open ones go too.
            diesel::delete(
                webauthn_challenges::table
                    .filter(webauthn_challenges::user_id.eq(&user_id))
                    .filter(webauthn_challenges::expires_at.le(now)),
            )
            .execute(conn)?;
            let open: Vec<String> = webauthn_challenges::table
                .filter(webauthn_challenges::user_id.eq(&user_id))
                .filter(webauthn_challenges::purpose.eq(PURPOSE_AUTHENTICATION))
                .order(webauthn_challenges::created_at.desc())
                .select(webauthn_challenges::id)
                .load(conn)?;
            let drop: Vec<&String> = open
                .iter()
                .skip(usize::try_from(MAX_OPEN_CHALLENGES - 1).unwrap_or(0))
                .collect();
            if !drop.is_empty() {
                diesel::delete(
                    webauthn_challenges::table.filter(webauthn_challenges::id.eq_any(drop)),
                )
                .execute(conn)?;
            }
            diesel::insert_into(webauthn_challenges::table)
                .values((
                    webauthn_challenges::id.eq(&id),
                    webauthn_challenges::user_id.eq(&user_id),
                    webauthn_challenges::factor_id.eq(None::<String>),
                    webauthn_challenges::purpose.eq(PURPOSE_AUTHENTICATION),
                    webauthn_challenges::state.eq(&state_json),
                    webauthn_challenges::created_at.eq(now),
                    webauthn_challenges::expires_at.eq(expires),
                ))
                .execute(conn)?;
            Ok::<_, Error>(())
        })
        .await?;
    Ok(VerificationStart {
        challenge_id,
        options,
    })
}

fn start_authentication(
    rp: &RelyingParty,
    policy: &Policy,
    creds: Vec<Credential>,
) -> WebauthnResult<(RequestChallengeResponse, AuthenticationState)> {
    match policy.webauthn.user_verification {
        UserVerification::Required => {
            let keys: Vec<Passkey> = creds.into_iter().map(Passkey::from).collect();
            rp.standard
                .start_passkey_authentication(&keys)
                .map(|(r, s)| (r, AuthenticationState::Passkey(s)))
        }
        uv => {
            let presence_only = uv == UserVerification::Discouraged;
            let wan = if presence_only {
                &rp.presence_only
            } else {
                &rp.standard
            };
            let keys: Vec<SecurityKey> = creds.into_iter().map(SecurityKey::from).collect();
            wan.start_securitykey_authentication(&keys).map(|(r, s)| {
                (
                    r,
                    AuthenticationState::SecurityKey {
                        state: s,
                        presence_only,
                    },
                )
            })
        }
    }
}

/// Whether the factor that answered still exists and meets the policy in force (which may
/// have changed since the challenge was issued).
fn judge_against_policy(
    conn: &mut DbConnection,
    policy: &Policy,
    factor_id: String,
    res: AuthenticationResult,
) -> Result<Result<(String, AuthenticationResult), Refusal>, Error> {
    let row: Option<FactorRow> = factors::table
        .filter(factors::id.eq(&factor_id))
        .filter(factors::status.eq(FactorStatus::Active.as_str()))
        .select(FactorRow::as_select())
        .get_result(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(Err(Refusal::invalid(
            "unknown_credential",
            "this credential is not registered for this user",
        )));
    };
    if let Some((reason, message)) = policy.webauthn_refusal(attested_of(&row), aaguid_of(&row)) {
        return Ok(Err(Refusal::policy(reason, message).for_factor(&factor_id)));
    }
    if policy.webauthn.user_verification == UserVerification::Required && !res.user_verified() {
        return Ok(Err(Refusal::policy(
            "user_not_verified",
            "the security policy requires user verification (PIN or biometric) on the security key",
        )
        .for_factor(&factor_id)));
    }
    Ok(Ok((factor_id, res)))
}

/// What the read phase of a verification learnt.
struct AssertionCheck {
    /// The matched factor and the counter stored for it when the check ran.
    result: Result<(String, AuthenticationResult), Refusal>,
}

#[tracing::instrument(skip_all, fields(user_id = %user_id, challenge_id = %challenge_id))]
pub async fn finish_verification(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    challenge_id: String,
    credential: serde_json::Value,
) -> Result<Verified, Error> {
    let response: PublicKeyCredential = parse_json(credential, "PublicKeyCredential")?;
    let rp = state.webauthn.clone();
    let now_dt = state.clock.now();
    let now = naive(now_dt);
    let rules = state.lockout;
    let mail = state.mail.clone();
    let check = {
        let (rp, user_id, challenge_id) = (rp.clone(), user_id.clone(), challenge_id.clone());
        state
            .db
            .read(move |conn| {
                let user = crate::services::users::load(conn, &user_id)?;
                let state_json: Option<String> = if looks_like_id(&challenge_id) {
                    webauthn_challenges::table
                        .filter(webauthn_challenges::id.eq(&challenge_id))
                        .filter(webauthn_challenges::user_id.eq(&user.id))
                        .filter(webauthn_challenges::purpose.eq(PURPOSE_AUTHENTICATION))
                        .filter(webauthn_challenges::expires_at.gt(now))
                        .select(webauthn_challenges::state)
                        .get_result(conn)
                        .optional()?
                } else {
                    None
                };
                let Some(state_json) = state_json else {
                    return Ok(AssertionCheck {
                        result: Err(Refusal::invalid("challenge_expired_or_used", "")),
                    });
                };
                let auth_state: AuthenticationState =
                    serde_json::from_str(&state_json).map_err(|e| {
                        Error::internal(anyhow::anyhow!(
                            "stored authentication state does not parse: {e}"
                        ))
                    })?;
                let result = match &auth_state {
                    AuthenticationState::Passkey(s) => {
                        rp.standard.finish_passkey_authentication(&response, s)
                    }
                    AuthenticationState::SecurityKey {
                        state,
                        presence_only,
                    } => {
                        let wan = if *presence_only {
                            &rp.presence_only
                        } else {
                            &rp.standard
                        };
                        wan.finish_securitykey_authentication(&response, state)
                    }
                }
                .map_err(|e| {
                    let refusal = refusal_of(&e, &rp.origin, false);
                    // Name the key a possible clone came from.
                    let cred_id = URL_SAFE_NO_PAD.encode(&response.raw_id);
                    match factors::table
                        .filter(factors::user_id.eq(&user.id))
                        .filter(factors::webauthn_credential_id.eq(&cred_id))
                        .select(factors::id)
                        .get_result::<String>(conn)
                    {
                        Ok(f) if refusal.reason == "counter_regressed" => refusal.for_factor(&f),
                        _ => refusal,
                    }
                })
                .and_then(|res| {
                    let cred_id = encode_cred_id(res.cred_id());
                    let factor_id: Option<String> = factors::table
                        .filter(factors::user_id.eq(&user.id))
                        .filter(factors::webauthn_credential_id.eq(&cred_id))
                        .filter(factors::status.eq(FactorStatus::Active.as_str()))
                        .select(factors::id)
                        .get_result(conn)
                        .optional()
                        .map_err(|_| {
                            Refusal::invalid(
                                "unknown_credential",
                                "this credential is not registered for this user",
                            )
                        })?;
                    factor_id.map(|f| (f, res)).ok_or_else(|| {
                        Refusal::invalid(
                            "unknown_credential",
                            "this credential is not registered for this user",
                        )
                    })
                });
                Ok::<_, Error>(AssertionCheck { result })
            })
            .await?
    };
    let outcome = state
        .db
        .write(move |conn| {
            let judging = Judging {
                now: now_dt,
                ctx: &ctx,
                rules,
                mail: &mail,
            };
            let attempt = match Attempt::open(conn, judging, &user_id)? {
                Gate::Open(a) => a,
                Gate::Locked { retry_after } => return Ok((Outcome::Locked { retry_after }, None)),
            };
            let user_id = attempt.user_id().to_owned();
            let consumed = looks_like_id(&challenge_id)
                && diesel::delete(
                    webauthn_challenges::table
                        .filter(webauthn_challenges::id.eq(&challenge_id))
                        .filter(webauthn_challenges::user_id.eq(&user_id))
                        .filter(webauthn_challenges::purpose.eq(PURPOSE_AUTHENTICATION))
                        .filter(webauthn_challenges::expires_at.gt(now)),
                )
                .execute(conn)?
                    == 1;
            let verdict = if consumed {
                check.result
            } else {
                Err(Refusal::invalid(
                    "challenge_expired_or_used",
                    "this challenge has expired or was already used: start the verification again",
                ))
            };
            // The policy in force now: a challenge issued before a policy change does not
            // outlive it.
            let policy = crate::services::policy::effective(conn, &user_id)?.policy;
            let verdict = match verdict {
                Err(r) => Err(r),
                Ok((factor_id, res)) => judge_against_policy(conn, &policy, factor_id, res)?,
            };
            let refusal = match verdict {
                Ok((factor_id, res)) => {
                    let counter = i64::from(res.counter());
                    // The counter of record moves forward only (both zero: no counter kept).
                    let target = factors::table
                        .filter(factors::id.eq(&factor_id))
                        .filter(factors::status.eq(FactorStatus::Active.as_str()));
                    let changes = (
                        factors::webauthn_sign_count.eq(counter),
                        factors::webauthn_backup_state.eq(res.backup_state()),
                        factors::last_used_at.eq(now),
                    );
                    let moved = if counter == 0 {
                        diesel::update(target.filter(factors::webauthn_sign_count.eq(0)))
                            .set(changes)
                            .execute(conn)?
                    } else {
                        diesel::update(target.filter(factors::webauthn_sign_count.lt(counter)))
                            .set(changes)
                            .execute(conn)?
                    };
                    if moved == 1 {
                        let outcome = attempt.succeed(
                            conn,
                            Some(&factor_id),
                            CodeMethod::Webauthn,
                            serde_json::json!({
                                "user_verified": res.user_verified(),
                                "sign_count": counter,
                                "backup_state": res.backup_state(),
                            }),
                        )?;
                        return Ok((outcome, None));
                    }
                    let still_active: i64 = factors::table
                        .filter(factors::id.eq(&factor_id))
                        .filter(factors::status.eq(FactorStatus::Active.as_str()))
                        .count()
                        .get_result(conn)?;
                    if still_active == 0 {
                        Refusal::invalid(
                            "unknown_credential",
                            "this credential is not registered for this user",
                        )
                    } else {
                        Refusal::invalid(
                            "counter_regressed",
                            "the security key's signature counter went backwards: it may have been cloned",
                        )
                        .for_factor(&factor_id)
                    }
                }
                Err(r) => r,
            };
            if refusal.reason == "counter_regressed" {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "webauthn.possible_cloned_key",
                        ctx: &ctx,
                        user_id: Some(&user_id),
                        factor_id: refusal.factor_id.as_deref(),
                        details: serde_json::json!({
                            "reason": "signature counter did not increase",
                        }),
                    },
                )?;
            }
            if refusal.policy {
                // The key is not acceptable under the policy: audited, not counted as a guess.
                attempt.refused_by_policy(
                    conn,
                    refusal.factor_id.as_deref(),
                    refusal.reason,
                    CodeMethod::Webauthn,
                )?;
                return Ok((Outcome::Failed, Some(refusal)));
            }
            attempt.fail(
                conn,
                Miss {
                    shape: CodeShape::Webauthn,
                    method: None,
                    failure: Failure::Webauthn(refusal.reason),
                    detail: None,
                },
            )?;
            Ok::<_, Error>((Outcome::Failed, Some(refusal)))
        })
        .await;
    let result = match &outcome {
        Ok((Outcome::Success(_), _)) => "success",
        Ok((Outcome::Locked { .. }, _)) => "locked",
        Ok(_) => "failure",
        Err(_) => "error",
    };
    metrics::counter!("keyward_verifications_total", "method" => "webauthn", "result" => result)
        .increment(1);
    state.mail_wakeup.notify_one();
    match outcome? {
        (Outcome::Success(v), _) => Ok(v),
        (Outcome::Locked { retry_after }, _) => Err(Error::TooManyAttempts { retry_after }),
        (_, Some(refusal)) => Err(refusal.into_error()),
        (_, None) => Err(Error::InvalidCredential("the response was refused".into())),
    }
}
