//! `/api/v1/policy`: the security policy.

use axum::Json;
use axum::extract::State;

use super::extract::{ApiJson, ApiQuery, Caller};
use crate::domain::api_key::Scope;
use crate::error::{Error, ErrorBody};
use crate::services::compliance;
use crate::services::policy::{self, Policy};
use crate::state::AppState;

/// The security policy in force (any scope: a relying app shows only the allowed methods).
#[utoipa::path(get, path = "/api/v1/policy", tag = "policy", security(("bearer" = [])),
    responses((status = 200, body = Policy), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
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
#[tracing::instrument(skip_all)]
pub async fn put_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Policy>,
) -> Result<Json<Policy>, Error> {
    caller.require(Scope::Security)?;
    Ok(Json(policy::put(&state, caller.ctx(), body).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ComplianceQuery {
    /// Users per page, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// From `next_offset` of the page before.
    pub offset: Option<i64>,
}

/// Users who do not meet the policy, longest out of compliance first: since when, until when
/// their enrollment grace period runs, and whether it is over. Scope `security`.
#[utoipa::path(get, path = "/api/v1/compliance", tag = "policy", security(("bearer" = [])), params(ComplianceQuery),
    responses((status = 200, body = compliance::Report), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get_compliance(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ComplianceQuery>,
) -> Result<Json<compliance::Report>, Error> {
    caller.require(Scope::Security)?;
    Ok(Json(
        compliance::report(&state, q.limit.unwrap_or(100), q.offset.unwrap_or(0)).await?,
    ))
}
