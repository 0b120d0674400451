//! `/api/v1/clients`: the relying applications that hand off to Keyward over OpenID Connect
//! (scope `security`). A client's secret is in the creation's answer and nowhere else.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::extract::{ApiJson, ApiPath, Caller};
use crate::domain::api_key::Scope;
use crate::error::{Error, ErrorBody};
use crate::services::oidc::clients::{self, Client, CreatedClient, NewClient};
use crate::state::AppState;

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ClientList {
    pub clients: Vec<Client>,
}

/// Register a client: exact redirect URIs (`https`, or `http` on a loopback host), and whether
/// it may hand off users it signed in itself (`trusted_first_factor`, with HS256 request
/// objects). The answer carries the secret, once.
#[utoipa::path(post, path = "/api/v1/clients", tag = "clients", security(("bearer" = [])),
    request_body = NewClient,
    responses((status = 201, body = CreatedClient), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewClient>,
) -> Result<(StatusCode, Json<CreatedClient>), Error> {
    caller.require(Scope::Security)?;
    let created = clients::create(&state, caller.ctx(), body).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Every client, oldest first, without secrets.
#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", security(("bearer" = [])),
    responses((status = 200, body = ClientList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ClientList>, Error> {
    caller.require(Scope::Security)?;
    Ok(Json(ClientList {
        clients: clients::list(&state).await?,
    }))
}

/// Delete a client: its codes and tokens stop working at once.
#[utoipa::path(delete, path = "/api/v1/clients/{client_id}", tag = "clients", security(("bearer" = [])),
    params(("client_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(client_id): ApiPath<String>,
) -> Result<StatusCode, Error> {
    caller.require(Scope::Security)?;
    clients::delete(&state, caller.ctx(), client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
