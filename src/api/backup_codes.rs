//! `/api/v1/users/{user_id}/backup-codes`: regenerate and count.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::extract::{ApiPath, Caller};
use crate::domain::api_key::Scope;
use crate::error::{Error, ErrorBody};
use crate::services::backup_codes::{self, BackupCodesStatus};
use crate::state::AppState;

#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct BackupCodesResponse {
    /// Ten codes, shown once; every earlier code stops working.
    pub backup_codes: Vec<String>,
}

impl std::fmt::Debug for BackupCodesResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupCodesResponse([redacted])")
    }
}

/// Generate a new set of backup codes, replacing every earlier one.
#[utoipa::path(post, path = "/api/v1/users/{user_id}/backup-codes", tag = "backup codes", security(("bearer" = [])),
    params(("user_id" = String, Path)),
    responses((status = 201, body = BackupCodesResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn regenerate(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
) -> Result<(StatusCode, Json<BackupCodesResponse>), Error> {
    caller.require(Scope::Integration)?;
    let codes = backup_codes::regenerate(&state, caller.ctx(), user_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(BackupCodesResponse {
            backup_codes: codes,
        }),
    ))
}

/// How many backup codes are left.
#[utoipa::path(get, path = "/api/v1/users/{user_id}/backup-codes", tag = "backup codes", security(("bearer" = [])),
    params(("user_id" = String, Path)),
    responses((status = 200, body = BackupCodesStatus), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn status(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
) -> Result<Json<BackupCodesStatus>, Error> {
    caller.require(Scope::Integration)?;
    Ok(Json(backup_codes::status(&state, user_id).await?))
}
