//! `POST /api/v1/users/{user_id}/verify`: check a TOTP code or a backup code.

use axum::Json;
use axum::extract::State;

use super::extract::{ApiJson, ApiPath, Caller};
use crate::domain::api_key::Scope;
use crate::domain::newtypes::CodeMethod;
use crate::error::{Error, ErrorBody};
use crate::services::verify::{Verified, verify_second_factor};
use crate::services::webauthn::{self, VerificationStart};
use crate::state::AppState;

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct VerifyRequest {
    /// A TOTP code, a YubiKey OTP or a backup code: told apart by form.
    pub code: String,
    /// Restricts which kinds of code are tried.
    pub method: Option<CodeMethod>,
}

impl std::fmt::Debug for VerifyRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyRequest")
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// Verify a second factor.
#[utoipa::path(post, path = "/api/v1/users/{user_id}/verify", tag = "verification", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = VerifyRequest,
    responses((status = 200, body = Verified), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "no_second_factor"),
        (status = 422, body = ErrorBody, description = "invalid_code"),
        (status = 429, body = ErrorBody, description = "too_many_attempts, with Retry-After")))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn verify(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
    ApiJson(body): ApiJson<VerifyRequest>,
) -> Result<Json<Verified>, Error> {
    caller.require(Scope::Integration)?;
    if body.method == Some(CodeMethod::Webauthn) {
        return Err(Error::BadRequest(
            "method: a security key is verified through POST /api/v1/users/{user_id}/verify/webauthn".into(),
        ));
    }
    // Longer than any code form: still counted as a failed attempt, but not carried around.
    let code = if body.code.len() > 128 {
        String::from("-")
    } else {
        body.code
    };
    Ok(Json(
        verify_second_factor(&state, caller.ctx(), user_id, code, body.method).await?,
    ))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebauthnStartRequest {}

/// Start a WebAuthn verification: a single-use challenge for the user's security keys.
#[utoipa::path(post, path = "/api/v1/users/{user_id}/verify/webauthn", tag = "verification", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = WebauthnStartRequest,
    responses((status = 200, body = VerificationStart), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "policy_violation"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "no_second_factor"),
        (status = 429, body = ErrorBody, description = "too_many_attempts, with Retry-After")))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn start_webauthn(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
    ApiJson(_body): ApiJson<WebauthnStartRequest>,
) -> Result<Json<VerificationStart>, Error> {
    caller.require(Scope::Integration)?;
    Ok(Json(webauthn::start_verification(&state, user_id).await?))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct WebauthnFinishRequest {
    /// The `PublicKeyCredential` JSON from `navigator.credentials.get` (binary fields base64url).
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
}

impl std::fmt::Debug for WebauthnFinishRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebauthnFinishRequest([redacted])")
    }
}

/// Finish a WebAuthn verification with the browser's assertion.
#[utoipa::path(post, path = "/api/v1/users/{user_id}/verify/webauthn/{challenge_id}", tag = "verification", security(("bearer" = [])),
    params(("user_id" = String, Path), ("challenge_id" = String, Path)), request_body = WebauthnFinishRequest,
    responses((status = 200, body = Verified), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "invalid_credential, with the reason"),
        (status = 429, body = ErrorBody, description = "too_many_attempts, with Retry-After")))]
#[tracing::instrument(skip_all, fields(user_id = %user_id, challenge_id = %challenge_id))]
pub async fn finish_webauthn(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((user_id, challenge_id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<WebauthnFinishRequest>,
) -> Result<Json<Verified>, Error> {
    caller.require(Scope::Integration)?;
    Ok(Json(
        webauthn::finish_verification(&state, caller.ctx(), user_id, challenge_id, body.credential)
            .await?,
    ))
}
