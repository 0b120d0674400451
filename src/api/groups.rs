//! `/api/v1/groups`: groups, their policies and their members; and a user's effective policy
//! (`/api/v1/users/{user_id}/policy`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::extract::{ApiJson, ApiPath, Caller};
use crate::domain::api_key::Scope;
use crate::error::{Error, ErrorBody};
use crate::services::groups::{self, Group};
use crate::services::policy::{self, Policy};
use crate::state::AppState;

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGroupRequest {
    /// 1 to 100 characters, unique.
    pub name: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct GroupList {
    pub groups: Vec<Group>,
}

/// Create a group (with no policy: it adds nothing until it has one). Audited as
/// `group.created`.
#[utoipa::path(post, path = "/api/v1/groups", tag = "groups", security(("bearer" = [])), request_body = CreateGroupRequest,
    responses((status = 201, body = Group), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateGroupRequest>,
) -> Result<(StatusCode, Json<Group>), Error> {
    caller.require(Scope::Security)?;
    let group = groups::create(&state, caller.ctx(), body.name).await?;
    Ok((StatusCode::CREATED, Json(group)))
}

/// Every group, by name. Scope `security`.
#[utoipa::path(get, path = "/api/v1/groups", tag = "groups", security(("bearer" = [])),
    responses((status = 200, body = GroupList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list_groups(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<GroupList>, Error> {
    caller.require(Scope::Security)?;
    Ok(Json(GroupList {
        groups: groups::list(&state).await?,
    }))
}

/// One group. Scope `security`.
#[utoipa::path(get, path = "/api/v1/groups/{group_id}", tag = "groups", security(("bearer" = [])),
    params(("group_id" = String, Path)),
    responses((status = 200, body = Group), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(group_id = %group_id))]
pub async fn get_group(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(group_id): ApiPath<String>,
) -> Result<Json<Group>, Error> {
    caller.require(Scope::Security)?;
    Ok(Json(groups::get(&state, group_id).await?))
}

/// Delete a group; its members leave it. Audited as `group.deleted`.
#[utoipa::path(delete, path = "/api/v1/groups/{group_id}", tag = "groups", security(("bearer" = [])),
    params(("group_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(group_id = %group_id))]
pub async fn delete_group(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(group_id): ApiPath<String>,
) -> Result<StatusCode, Error> {
    caller.require(Scope::Security)?;
    groups::delete(&state, caller.ctx(), group_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set the group's policy (a document as for `PUT /api/v1/policy`). `409 conflict`, with
/// nothing changed, if some member would be left with no allowed method. Audited as
/// `group.policy_changed` with the policy before and after.
#[utoipa::path(put, path = "/api/v1/groups/{group_id}/policy", tag = "groups", security(("bearer" = [])),
    params(("group_id" = String, Path)), request_body = Policy,
    responses((status = 200, body = Group), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(group_id = %group_id))]
pub async fn put_group_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(group_id): ApiPath<String>,
    ApiJson(body): ApiJson<Policy>,
) -> Result<Json<Group>, Error> {
    caller.require(Scope::Security)?;
    Ok(Json(
        groups::set_policy(&state, caller.ctx(), group_id, Some(body)).await?,
    ))
}

/// Remove the group's policy: the group then adds nothing to its members' policy.
#[utoipa::path(delete, path = "/api/v1/groups/{group_id}/policy", tag = "groups", security(("bearer" = [])),
    params(("group_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(group_id = %group_id))]
pub async fn delete_group_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(group_id): ApiPath<String>,
) -> Result<StatusCode, Error> {
    caller.require(Scope::Security)?;
    groups::set_policy(&state, caller.ctx(), group_id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a user to the group (a no-op when they are in it). `409 conflict`, with nothing
/// changed, if the user would be left with no allowed method. Audited as
/// `group.member_added`.
#[utoipa::path(put, path = "/api/v1/groups/{group_id}/members/{user_id}", tag = "groups", security(("bearer" = [])),
    params(("group_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(group_id = %group_id, user_id = %user_id))]
pub async fn add_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((group_id, user_id)): ApiPath<(String, String)>,
) -> Result<StatusCode, Error> {
    caller.require(Scope::Security)?;
    groups::add_member(&state, caller.ctx(), group_id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a user from the group. Audited as `group.member_removed`.
#[utoipa::path(delete, path = "/api/v1/groups/{group_id}/members/{user_id}", tag = "groups", security(("bearer" = [])),
    params(("group_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(group_id = %group_id, user_id = %user_id))]
pub async fn remove_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((group_id, user_id)): ApiPath<(String, String)>,
) -> Result<StatusCode, Error> {
    caller.require(Scope::Security)?;
    groups::remove_member(&state, caller.ctx(), group_id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The user's effective policy: the strictest combination of the global policy and the
/// policies of all their groups (any scope).
#[utoipa::path(get, path = "/api/v1/users/{user_id}/policy", tag = "groups", security(("bearer" = [])),
    params(("user_id" = String, Path)),
    responses((status = 200, body = Policy), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn user_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
) -> Result<Json<Policy>, Error> {
    caller.require(Scope::Integration)?;
    Ok(Json(policy::effective_of(&state, user_id).await?.policy))
}
