//! `/api/v1/policy`: the security policy.

use axum::Json;
use axum::extract::State;

use super::extract::{ApiJson, Caller};
use crate::domain::api_key::Scope;
use crate::error::{Error, ErrorBody};
use crate::services::policy::{self, Policy};
use crate::state::AppState;

/// The security policy in force (any scope: a relying app shows only the allowed methods).
#[utoipa::path(get, path = "/api/v1/policy", tag = "policy", security(("bearer" = [])),
    responses((status = 200, body = Policy), (status = 401, body = ErrorBody)))]
pub async fn get_policy(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Policy>, Error> {
    caller.require(Scope::Integration)?;
    Ok(Json(policy::get(&state).await?))
}

/// Replace the security policy; audited as `policy.changed` with the policy before and after.
#[utoipa::path(put, path = "/api/v1/policy", tag = "policy", security(("bearer" = [])), request_body = Policy,
    responses((status = 200, body = Policy), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn put_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Policy>,
) -> Result<Json<Policy>, Error> {
    caller.require(Scope::Security)?;
    Ok(Json(policy::put(&state, caller.ctx(), body).await?))
}
