//! WebAuthn factors (security keys and passkeys) with webauthn-rs: registration as a pending
//! factor activated by the browser's response, and verification by challenge and assertion.
//!
//! Ceremony state lives in `webauthn_challenges`: one row per ceremony, deleted by the
//! transaction that judges its response (so a response works once, on any instance), and
//! refused after `KEYWARD_WEBAUTHN_CHALLENGE_TTL_SECONDS`. The cryptographic checks run on the
//! read pool; the write transaction consumes the challenge, applies the policy, moves the
//! signature counter with one conditional UPDATE and writes the audit event.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use super::factors::Factor;
use super::policy::{Policy, UserVerification};
use super::verify::{CodeShape, Failure, Gate, Outcome, Verified, fail, open_gate, succeed};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::models::FactorRow;
use crate::db::schema::{factors, throttles, webauthn_challenges};
use crate::domain::clock::naive;
use crate::domain::ids::{looks_like_id, new_id};
use crate::domain::newtypes::{CodeMethod, FactorKind};
use crate::domain::webauthn::{
    YUBICO_ROOT_PEM, authenticator_name, ca_list_from_pem_bundle, registration_facts,
};
use crate::error::Error;
use crate::state::AppState;

const PURPOSE_REGISTRATION: &str = "registration";
const PURPOSE_AUTHENTICATION: &str = "authentication";
/// Unexpired verification challenges one user may hold; older ones are dropped beyond this.
const MAX_OPEN_CHALLENGES: i64 = 16;

/// The relying party: webauthn-rs configured from `KEYWARD_BASE_URL`, and the trusted
/// attestation roots.
pub struct RelyingParty {
    /// Flows that ask for user verification (`preferred`, `required`).
    standard: Webauthn,
    /// Flows for `user_verification: discouraged`: presence (a touch) is enough.
    presence_only: Webauthn,
    ca_list: AttestationCaList,
    challenge_ttl: Duration,
    origin: String,
}

impl RelyingParty {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let ttl = settings.webauthn.challenge_ttl_seconds;
        let origin = settings.server.base_url.clone();
        let build = |presence_only: bool| -> anyhow::Result<Webauthn> {
            WebauthnBuilder::new(settings.rp_id(), &origin)
                .and_then(|b| {
                    b.rp_name(&settings.server.issuer)
                        .timeout(std::time::Duration::from_secs(ttl as u64))
                        .danger_set_user_presence_only_security_keys(presence_only)
                        .build()
                })
                .map_err(|e| {
                    anyhow::anyhow!(
                        "KEYWARD_BASE_URL: cannot serve WebAuthn for {origin} ({e}); use a host name, e.g. http://localhost:8080, not an IP address"
                    )
                })
        };
        let ca_list = match &settings.webauthn.attestation_ca_file {
            None => ca_list_from_pem_bundle(YUBICO_ROOT_PEM).map_err(anyhow::Error::msg)?,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    anyhow::anyhow!(
                        "KEYWARD_WEBAUTHN_ATTESTATION_CA_FILE: cannot read {}: {e}",
                        path.display()
                    )
                })?;
                ca_list_from_pem_bundle(&text).map_err(|e| {
                    anyhow::anyhow!(
                        "KEYWARD_WEBAUTHN_ATTESTATION_CA_FILE: {}: {e}",
                        path.display()
                    )
                })?
            }
        };
        Ok(Self {
            standard: build(false)?,
            presence_only: build(true)?,
            ca_list,
            challenge_ttl: Duration::seconds(ttl),
            origin: origin.origin().ascii_serialization(),
        })
    }
}

/// The registration ceremony's state, by the webauthn-rs flow the policy chose.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(tag = "flow", content = "state", rename_all = "snake_case")]
enum RegistrationState {
    Passkey(PasskeyRegistration),
    AttestedPasskey(AttestedPasskeyRegistration),
    SecurityKey {
        state: SecurityKeyRegistration,
        presence_only: bool,
        attested: bool,
    },
}

/// The authentication ceremony's state.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(tag = "flow", content = "state", rename_all = "snake_case")]
enum AuthenticationState {
    Passkey(PasskeyAuthentication),
    SecurityKey {
        state: SecurityKeyAuthentication,
        presence_only: bool,
    },
}

/// The WebAuthn user handle: stable per user, and reveals nothing about them.
fn user_handle(user_id: &str) -> Uuid {
    let digest = Sha256::digest(format!("keyward webauthn user handle\0{user_id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::from_bytes(bytes)
}

fn encode_cred_id(id: &CredentialID) -> String {
    URL_SAFE_NO_PAD.encode::<&[u8]>(id.as_ref())
}

/// A refused WebAuthn response: the reason for the audit log, and what the caller is told.
#[derive(Debug, Clone)]
struct Refusal {
    reason: &'static str,
    message: String,
    /// The policy refused it (403), rather than the response being wrong (422).
    policy: bool,
    /// The factor the response was made with, when known.
    factor_id: Option<String>,
}

impl Refusal {
    fn invalid(reason: &'static str, message: impl Into<String>) -> Self {
        Self {
            reason,
            message: message.into(),
            policy: false,
            factor_id: None,
        }
    }
    fn policy(reason: &'static str, message: impl Into<String>) -> Self {
        Self {
            reason,
            message: message.into(),
            policy: true,
            factor_id: None,
        }
    }
    fn for_factor(mut self, factor_id: &str) -> Self {
        self.factor_id = Some(factor_id.to_owned());
        self
    }
    fn into_error(self) -> Error {
        if self.policy {
            Error::PolicyViolation(self.message)
        } else {
            Error::InvalidCredential(self.message)
        }
    }
}

fn refusal_of(e: &WebauthnError, origin: &str, registration: bool) -> Refusal {
    use WebauthnError as W;
    match e {
        // At registration this is the attested flow refusing a synced (backup-eligible)
        // credential; at verification it is an assertion with inconsistent backup flags.
        W::CredentialMayNotBeHardwareBound if registration => Refusal::policy(
            "not_hardware_bound",
            "the security policy requires a hardware-bound authenticator: this credential may be synced between devices",
        ),
        W::CredentialMayNotBeHardwareBound => Refusal::invalid(
            "inconsistent_backup_flags",
            "the authenticator data's backup flags are inconsistent",
        ),
        W::MismatchedChallenge => Refusal::invalid(
            "wrong_challenge",
            "the response does not answer this challenge",
        ),
        W::InvalidRPOrigin => Refusal::invalid(
            "wrong_origin",
            format!("the response was made for another origin; this server is {origin}"),
        ),
        W::InvalidRPIDHash => Refusal::invalid(
            "wrong_rp_id",
            "the response was made for another relying party id",
        ),
        W::InvalidClientDataType => Refusal::invalid(
            "wrong_ceremony",
            "clientDataJSON is not of the expected type (webauthn.create for registration, webauthn.get for verification)",
        ),
        W::UserNotPresent => Refusal::invalid(
            "user_not_present",
            "the authenticator did not report a touch",
        ),
        W::UserNotVerified => Refusal::invalid(
            "user_not_verified",
            "the authenticator did not verify the user (PIN or biometric), which is required",
        ),
        W::CredentialNotFound => Refusal::invalid(
            "unknown_credential",
            "this credential is not registered for this user",
        ),
        W::CredentialPossibleCompromise => Refusal::invalid(
            "counter_regressed",
            "the security key's signature counter went backwards: it may have been cloned",
        ),
        W::CredentialExcludedFromRequest => Refusal::invalid(
            "already_registered",
            "this authenticator is already registered for this user",
        ),
        W::COSEKeyInvalidAlgorithm
        | W::COSEKeyInvalidType
        | W::COSEKeyECDSAInvalidCurve
        | W::COSEKeyEDDSAInvalidCurve
        | W::COSEKeyEDUnsupported
        | W::SshPublicKeyEDUnsupported
        | W::CredentialAlteredAlgFromRequest => Refusal::invalid(
            "unsupported_algorithm",
            "the authenticator used a signature algorithm this server does not accept",
        ),
        W::AttestationNotVerifiable
        | W::AttestationChainNotTrusted(_)
        | W::AttestationUntrustedAaguid
        | W::AttestationFormatMissingAaguid
        | W::AttestationCertificateTrustStoreEmpty
        | W::MissingAttestationCaList
        | W::AttestationNotSupported => Refusal::policy(
            "attestation_not_trusted",
            "the security policy requires an attested authenticator: this one did not prove its make with a certificate from a trusted manufacturer",
        ),
        W::AuthenticationFailure => {
            Refusal::invalid("bad_signature", "the signature does not verify")
        }
        W::ParseCBORFailure(_) | W::ParseNOMFailure | W::ParseJSONFailure(_) => Refusal::invalid(
            "malformed",
            "the response is malformed (clientDataJSON, attestation object or authenticator data do not parse)",
        ),
        other => Refusal::invalid("refused", format!("the response was refused: {other}")),
    }
}

/// Reads and checks a browser response given as JSON.
fn parse_json<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    what: &str,
) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| {
        // serde's message can quote the client's input: keep it short, on a char boundary.
        let why: String = e.to_string().chars().take(200).collect();
        Error::BadRequest(format!(
            "credential: not a {what} as a browser produces it (binary fields base64url): {why}"
        ))
    })
}

fn load_credential(row: &FactorRow) -> Result<Credential, Error> {
    let text = row.webauthn_credential.as_deref().ok_or_else(|| {
        Error::internal(anyhow::anyhow!(
            "factor {} has no WebAuthn credential",
            row.id
        ))
    })?;
    let mut cred: Credential = serde_json::from_str(text).map_err(|e| {
        Error::internal(anyhow::anyhow!(
            "factor {}: stored credential does not parse: {e}",
            row.id
        ))
    })?;
    // The column is the counter of record (moved by conditional UPDATEs).
    if let Some(count) = row.webauthn_sign_count {
        cred.counter = u32::try_from(count).unwrap_or(u32::MAX);
    }
    Ok(cred)
}

fn active_webauthn(conn: &mut DbConnection, user_id: &str) -> Result<Vec<FactorRow>, Error> {
    Ok(FactorRow::active_for_user(conn, user_id)?
        .into_iter()
        .filter(|f| f.kind == FactorKind::Webauthn.as_str() && f.webauthn_credential.is_some())
        .collect())
}

fn attested_of(row: &FactorRow) -> bool {
    row.webauthn_attested.unwrap_or(false)
}

fn aaguid_of(row: &FactorRow) -> Option<Uuid> {
    row.webauthn_aaguid
        .as_deref()
        .and_then(|a| Uuid::parse_str(a).ok())
}

/// The answer to starting a registration: the pending factor and the options for
/// `navigator.credentials.create`.
pub struct RegistrationStart {
    pub factor: Factor,
    pub options: serde_json::Value,
}

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
            let user = super::users::load(conn, &user_id)?;
            let policy = super::policy::load(conn)?;
            let exclude: Vec<CredentialID> = active_webauthn(conn, &user.id)?
                .iter()
                .filter_map(|f| load_credential(f).ok())
                .map(|c| c.cred_id)
                .collect();
            Ok::<_, Error>((user, policy, exclude))
        })
        .await?;
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
            let user = super::users::lock_for_factor_change(conn, &user_id)?;
            super::factors::ensure_room(conn, &user.id, now)?;
            let row = FactorRow {
                expires_at: Some(factor_expires),
                ..FactorRow::blank(
                    new_id("fac"),
                    user.id.clone(),
                    FactorKind::Webauthn.as_str(),
                    name,
                    now,
                )
            };
            diesel::insert_into(factors::table)
                .values(&row)
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
        state
            .db
            .read(move |conn| {
                let user = super::users::load(conn, &user_id)?;
                let row = FactorRow::find_for_user(conn, &user.id, &factor_id, now)?.ok_or_else(
                    || Error::NotFound("no factor with this id for this user".into()),
                )?;
                if row.kind != FactorKind::Webauthn.as_str() {
                    return Err(Error::BadRequest(format!(
                        "a factor of type {} is not activated with a credential",
                        row.kind
                    )));
                }
                if row.status == "active" {
                    return Err(Error::Conflict("this factor is already active".into()));
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
            let user = super::users::lock_for_factor_change(conn, &user_id)?;
            let row = FactorRow::find_for_user(conn, &user.id, &factor_id, now)?
                .filter(|r| r.status == "pending")
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
            let policy = super::policy::load(conn)?;
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
                    "this security key is already registered".into(),
                ));
            }
            // A model name only for an attested AAGUID: otherwise it is just a claim.
            let name = if attested { authenticator_name(&aaguid) } else { None };
            let first_factor = FactorRow::count_active(conn, &user.id)? == 0;
            let cred_json = serde_json::to_string(&cred).map_err(Error::internal)?;
            let updated = diesel::update(
                factors::table
                    .filter(factors::id.eq(&row.id))
                    .filter(factors::status.eq("pending")),
            )
            .set((
                factors::status.eq("active"),
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
                        "this security key is already registered".into(),
                    ));
                }
                Err(e) => return Err(e.into()),
            }
            let backup_codes = super::factors::record_activation(
                conn,
                &keyring,
                &mail,
                now,
                &ctx,
                &user.id,
                &row,
                first_factor,
                serde_json::json!({
                    "type": "webauthn",
                    "name": row.name,
                    "aaguid": aaguid.hyphenated().to_string(),
                    "authenticator": name,
                    "attested": attested,
                    "user_verified": cred.user_verified,
                    "backup_eligible": cred.backup_eligible,
                    "backup_state": cred.backup_state,
                }),
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

/// The answer to starting a verification.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct VerificationStart {
    pub challenge_id: String,
    /// `PublicKeyCredentialRequestOptions` JSON (`{"publicKey": {...}}`) for
    /// `navigator.credentials.get`.
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}

fn seconds_locked(
    conn: &mut DbConnection,
    user_id: &str,
    now_dt: DateTime<Utc>,
) -> Result<Option<u64>, Error> {
    let until: Option<NaiveDateTime> = throttles::table
        .find(user_id)
        .select(throttles::locked_until)
        .get_result::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten();
    Ok(until
        .filter(|u| *u > naive(now_dt))
        .map(|u| super::verify::seconds_until(u, now_dt)))
}

pub async fn start_verification(
    state: &AppState,
    user_id: String,
) -> Result<VerificationStart, Error> {
    let rp = state.webauthn.clone();
    let now_dt = state.clock.now();
    let (user_id, policy, creds, locked) = state
        .db
        .read(move |conn| {
            let user = super::users::load(conn, &user_id)?;
            let policy = super::policy::load(conn)?;
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
            let locked = seconds_locked(conn, &user.id, now_dt)?;
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
            super::users::lock_user(conn, &user_id)?;
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
        .filter(factors::status.eq("active"))
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
                let user = super::users::load(conn, &user_id)?;
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
                        .filter(factors::status.eq("active"))
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
            let throttle = match open_gate(conn, now_dt, &ctx, &user_id)? {
                Gate::Open(t) => t,
                Gate::Locked { retry_after } => return Ok((Outcome::Locked { retry_after }, None)),
            };
            let user_id = throttle.user_id.clone();
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
            let policy = super::policy::load(conn)?;
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
                        .filter(factors::status.eq("active"));
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
                        let outcome = succeed(
                            conn,
                            now,
                            &ctx,
                            &user_id,
                            &throttle,
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
                        .filter(factors::status.eq("active"))
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
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "verify.failed",
                        ctx: &ctx,
                        user_id: Some(&user_id),
                        factor_id: refusal.factor_id.as_deref(),
                        details: serde_json::json!({
                            "reason": refusal.reason,
                            "method": "webauthn",
                        }),
                    },
                )?;
                return Ok((Outcome::Failed, Some(refusal)));
            }
            fail(
                conn,
                &mail,
                rules,
                now_dt,
                &ctx,
                &user_id,
                &throttle,
                CodeShape::Webauthn,
                None,
                Failure::Webauthn(refusal.reason),
                None,
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

/// Removes ceremonies that can no longer finish; returns how many.
pub fn remove_expired_challenges(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(webauthn_challenges::table.filter(webauthn_challenges::expires_at.le(now)))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_handles_are_stable_and_distinct() {
        assert_eq!(user_handle("usr_a"), user_handle("usr_a"));
        assert_ne!(user_handle("usr_a"), user_handle("usr_b"));
    }

    #[test]
    fn every_refusal_has_a_message() {
        for e in [
            WebauthnError::MismatchedChallenge,
            WebauthnError::InvalidRPOrigin,
            WebauthnError::CredentialPossibleCompromise,
            WebauthnError::AttestationNotVerifiable,
            WebauthnError::COSEKeyInvalidAlgorithm,
            WebauthnError::Configuration,
        ] {
            let r = refusal_of(&e, "http://localhost:8080", true);
            assert!(!r.message.is_empty(), "{e:?}");
        }
        assert!(refusal_of(&WebauthnError::AttestationNotVerifiable, "x", true).policy);
        assert!(!refusal_of(&WebauthnError::InvalidRPOrigin, "x", true).policy);
        assert!(refusal_of(&WebauthnError::CredentialMayNotBeHardwareBound, "x", true).policy);
        assert!(!refusal_of(&WebauthnError::CredentialMayNotBeHardwareBound, "x", false).policy);
    }
}
