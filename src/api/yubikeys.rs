//! `/api/v1/yubikeys`: the hardware key inventory (scope `security`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::extract::{ApiJson, ApiPath, Caller};
use crate::domain::api_key::Scope;
use crate::domain::yubikey_otp::{parse_aes_key, parse_private_id, parse_public_id};
use crate::error::{Error, ErrorBody};
use crate::services::yubikeys::{self, NewYubikey, Yubikey};
use crate::state::AppState;

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct AddYubikeyRequest {
    /// Modhex, e.g. `vvccccfhcttr`.
    pub public_id: String,
    /// 12 hexadecimal characters.
    pub private_id: String,
    /// 32 hexadecimal characters; stored encrypted, never returned.
    pub aes_key: String,
}

impl std::fmt::Debug for AddYubikeyRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddYubikeyRequest")
            .field("public_id", &self.public_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct YubikeyList {
    pub yubikeys: Vec<Yubikey>,
}

/// Register a YubiKey's AES key for local validation.
#[utoipa::path(post, path = "/api/v1/yubikeys", tag = "yubikeys", security(("bearer" = [])),
    request_body = AddYubikeyRequest,
    responses((status = 201, body = Yubikey), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<AddYubikeyRequest>,
) -> Result<(StatusCode, Json<Yubikey>), Error> {
    caller.require(Scope::Security)?;
    let key = NewYubikey {
        public_id: parse_public_id(&body.public_id).map_err(Error::BadRequest)?,
        private_id: parse_private_id(&body.private_id).map_err(Error::BadRequest)?,
        aes_key: parse_aes_key(&body.aes_key).map_err(Error::BadRequest)?,
    };
    let added = yubikeys::add(&state, caller.ctx(), key).await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// The inventory (never a secret).
#[utoipa::path(get, path = "/api/v1/yubikeys", tag = "yubikeys", security(("bearer" = [])),
    responses((status = 200, body = YubikeyList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<YubikeyList>, Error> {
    caller.require(Scope::Security)?;
    Ok(Json(YubikeyList {
        yubikeys: yubikeys::list(&state).await?,
    }))
}

/// Remove a key from the inventory; it stops validating at once.
#[utoipa::path(delete, path = "/api/v1/yubikeys/{public_id}", tag = "yubikeys", security(("bearer" = [])),
    params(("public_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(public_id = %public_id))]
pub async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(public_id): ApiPath<String>,
) -> Result<StatusCode, Error> {
    caller.require(Scope::Security)?;
    let public_id = parse_public_id(&public_id)
        .map_err(|_| Error::NotFound("no YubiKey with this public id in the inventory".into()))?;
    yubikeys::remove(&state, caller.ctx(), public_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
