//! `/api/v1/users/{user_id}/factors`: list, enroll, activate, remove.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::extract::{ApiJson, ApiPath, Caller};
use crate::domain::api_key::Scope;
use crate::domain::newtypes::{FactorKind, parse_label};
use crate::error::{Error, ErrorBody};
use crate::services::factors::{self, Factor, TotpEnrollment};
use crate::services::webauthn;
use crate::state::AppState;

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct FactorList {
    pub factors: Vec<Factor>,
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct EnrollRequest {
    #[serde(rename = "type")]
    pub kind: FactorKind,
    /// A name the user recognises, e.g. "My Phone".
    pub name: String,
    /// For `yubikey_otp`: an OTP from the key.
    pub otp: Option<String>,
}

#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EnrollResponse {
    pub factor: Factor,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totp: Option<TotpEnrollment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_codes: Option<Vec<String>>,
    /// For `webauthn`: what to pass to `navigator.credentials.create`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webauthn: Option<WebauthnEnrollment>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct WebauthnEnrollment {
    /// `PublicKeyCredentialCreationOptions` JSON (`{"publicKey": {...}}`, binary fields base64url).
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct ActivateRequest {
    /// For `totp`: the code the app shows.
    pub code: Option<String>,
    /// For `webauthn`: the browser's `RegisterPublicKeyCredential`.
    #[schema(value_type = Object)]
    pub credential: Option<serde_json::Value>,
}

#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ActivateResponse {
    pub factor: Factor,
    /// Present when this activation gave the user their first active factor and they had no
    /// backup codes: shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_codes: Option<Vec<String>>,
}

// These carry codes or secrets: their `Debug` shows neither.
impl std::fmt::Debug for EnrollResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrollResponse")
            .field("factor", &self.factor)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ActivateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ActivateRequest([redacted])")
    }
}

impl std::fmt::Debug for ActivateResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActivateResponse")
            .field("factor", &self.factor)
            .finish_non_exhaustive()
    }
}

/// List a user's factors (never a secret).
#[utoipa::path(get, path = "/api/v1/users/{user_id}/factors", tag = "factors", security(("bearer" = [])),
    params(("user_id" = String, Path)),
    responses((status = 200, body = FactorList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn list_factors(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
) -> Result<Json<FactorList>, Error> {
    caller.require(Scope::Integration)?;
    Ok(Json(FactorList {
        factors: factors::list(&state, user_id).await?,
    }))
}

/// Start enrolling a factor. For `totp` the answer carries the secret, the otpauth URI and
/// the QR code, once.
#[utoipa::path(post, path = "/api/v1/users/{user_id}/factors", tag = "factors", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = EnrollRequest,
    responses((status = 201, body = EnrollResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn enroll_factor(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
    ApiJson(body): ApiJson<EnrollRequest>,
) -> Result<(StatusCode, Json<EnrollResponse>), Error> {
    caller.require(Scope::Integration)?;
    let name = parse_label("name", &body.name, 64).map_err(Error::BadRequest)?;
    match body.kind {
        FactorKind::Totp => {
            let (factor, totp) = factors::enroll_totp(&state, caller.ctx(), user_id, name).await?;
            Ok((
                StatusCode::CREATED,
                Json(EnrollResponse {
                    factor,
                    totp: Some(totp),
                    backup_codes: None,
                    webauthn: None,
                }),
            ))
        }
        FactorKind::YubikeyOtp => {
            let otp = body.otp.ok_or_else(|| {
                Error::BadRequest("otp: a YubiKey is enrolled with an OTP from the key".into())
            })?;
            let (factor, backup_codes) =
                factors::enroll_yubikey(&state, caller.ctx(), user_id, name, otp).await?;
            Ok((
                StatusCode::CREATED,
                Json(EnrollResponse {
                    factor,
                    totp: None,
                    backup_codes,
                    webauthn: None,
                }),
            ))
        }
        FactorKind::Webauthn => {
            let start = webauthn::start_registration(&state, caller.ctx(), user_id, name).await?;
            Ok((
                StatusCode::CREATED,
                Json(EnrollResponse {
                    factor: start.factor,
                    totp: None,
                    backup_codes: None,
                    webauthn: Some(WebauthnEnrollment {
                        options: start.options,
                    }),
                }),
            ))
        }
    }
}

/// Activate a pending factor with proof of possession.
#[utoipa::path(post, path = "/api/v1/users/{user_id}/factors/{factor_id}/activate", tag = "factors",
    security(("bearer" = [])), params(("user_id" = String, Path), ("factor_id" = String, Path)),
    request_body = ActivateRequest,
    responses((status = 200, body = ActivateResponse), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %user_id, factor_id = %factor_id))]
pub async fn activate_factor(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((user_id, factor_id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<ActivateRequest>,
) -> Result<Json<ActivateResponse>, Error> {
    caller.require(Scope::Integration)?;
    if let Some(credential) = body.credential {
        let (factor, backup_codes) =
            webauthn::finish_registration(&state, caller.ctx(), user_id, factor_id, credential)
                .await?;
        return Ok(Json(ActivateResponse {
            factor,
            backup_codes,
        }));
    }
    let code = body.code.ok_or_else(|| {
        Error::BadRequest(
            "code: a TOTP factor is activated with `code`, a WebAuthn factor with `credential`"
                .into(),
        )
    })?;
    if code.len() > 64 {
        return Err(Error::InvalidCode);
    }
    let (factor, backup_codes) =
        factors::activate_totp(&state, caller.ctx(), user_id, factor_id, code).await?;
    Ok(Json(ActivateResponse {
        factor,
        backup_codes,
    }))
}

/// Remove a factor.
#[utoipa::path(delete, path = "/api/v1/users/{user_id}/factors/{factor_id}", tag = "factors",
    security(("bearer" = [])), params(("user_id" = String, Path), ("factor_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %user_id, factor_id = %factor_id))]
pub async fn remove_factor(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((user_id, factor_id)): ApiPath<(String, String)>,
) -> Result<StatusCode, Error> {
    caller.require(Scope::Integration)?;
    factors::remove(&state, caller.ctx(), user_id, factor_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
