//! `/api/v1/apikeys`: the API keys, listed and revoked (scope `security`). Keys are created
//! with the CLI only: a token is shown once, on the operator's terminal.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::extract::{ApiPath, Caller};
use crate::domain::api_key::Scope;
use crate::error::{Error, ErrorBody};
use crate::services::apikeys::{self, ApiKeyInfo};
use crate::state::AppState;

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ApiKeyList {
    pub api_keys: Vec<ApiKeyInfo>,
}

/// Every API key, oldest first, revoked and expired ones included (never a token).
/// `last_used_at` is accurate to five minutes.
#[utoipa::path(get, path = "/api/v1/apikeys", tag = "apikeys", security(("bearer" = [])),
    responses((status = 200, body = ApiKeyList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ApiKeyList>, Error> {
    caller.require(Scope::Security)?;
    Ok(Json(ApiKeyList {
        api_keys: apikeys::list_all(&state).await?,
    }))
}

/// Revoke an API key: it answers `401` from the next request on, on every instance.
#[utoipa::path(delete, path = "/api/v1/apikeys/{key_id}", tag = "apikeys", security(("bearer" = [])),
    params(("key_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(key_id = %key_id))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(key_id): ApiPath<String>,
) -> Result<StatusCode, Error> {
    caller.require(Scope::Security)?;
    if key_id.len() > 64 {
        return Err(Error::NotFound("no API key with this id".into()));
    }
    apikeys::revoke(&state, caller.ctx(), key_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
