//! `POST /api/v1/users/{user_id}/reset`: support resets a customer's second factors.

use axum::Json;
use axum::extract::State;

use super::extract::{ApiJson, ApiPath, Caller};
use crate::domain::api_key::Scope;
use crate::error::{Error, ErrorBody};
use crate::services::support::{self, ResetOutcome, Verification};
use crate::state::AppState;

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct ResetRequest {
    /// Why, in the agent's words (required).
    pub reason: String,
    /// How the customer's identity was checked.
    pub verification: Verification,
}

// Carries a backup code: its `Debug` shows neither it nor the reference.
impl std::fmt::Debug for ResetRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResetRequest([redacted])")
    }
}

/// Reset a customer's two-factor authentication (scope `support` or `security`).
#[utoipa::path(post, path = "/api/v1/users/{user_id}/reset", tag = "support", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = ResetRequest,
    responses((status = 200, body = ResetOutcome), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid_code: the backup code did not match")))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn reset(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
    ApiJson(body): ApiJson<ResetRequest>,
) -> Result<Json<ResetOutcome>, Error> {
    caller.require(Scope::Support)?;
    let agent = support::Agent {
        name: caller.principal.name.clone(),
        may_reset_staff: caller.principal.scope.allows(Scope::Security),
        user_id: None,
    };
    Ok(Json(
        support::reset(
            &state,
            caller.ctx(),
            agent,
            user_id,
            body.reason,
            body.verification,
        )
        .await?,
    ))
}
