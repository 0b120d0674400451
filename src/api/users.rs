//! `/api/v1/users`: create, read, find by email.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::extract::{ApiJson, ApiPath, ApiQuery, Caller};
use crate::domain::api_key::Scope;
use crate::domain::i18n::Locale;
use crate::domain::newtypes::{Email, Password, Role, parse_label};
use crate::error::{Error, ErrorBody};
use crate::services::users::{self, NewUser, User, UserChanges};
use crate::state::AppState;

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct CreateUserRequest {
    pub email: String,
    pub display_name: Option<String>,
    /// Optional here; hashed with argon2id, never stored or shown in clear.
    pub password: Option<String>,
    /// `customer` (default), `support` or `security`; the last two need a `security` key.
    pub role: Option<Role>,
    /// The user's language: `en`, `ru`, `uk`, `ms`, `de` or `es` (others are `400`).
    pub locale: Option<String>,
}

/// `PATCH /api/v1/users/{user_id}`: the fields given change; `"locale": null` clears it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct UpdateUserRequest {
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Option<String>>,
}

/// A field that is present (even as `null`) becomes `Some`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    <Option<String> as serde::Deserialize>::deserialize(d).map(Some)
}

fn parse_locale(tag: &str) -> Result<Locale, Error> {
    Locale::parse(tag).ok_or_else(|| {
        let known: Vec<&str> = Locale::ALL.iter().map(|l| l.tag()).collect();
        Error::BadRequest(format!(
            "locale: unsupported; use one of {}",
            known.join(", ")
        ))
    })
}

impl std::fmt::Debug for CreateUserRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserRequest")
            .field("email", &self.email)
            .field("role", &self.role)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct UserList {
    pub users: Vec<User>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct UserQuery {
    /// Exact email, case-insensitive.
    pub email: Option<String>,
}

/// Create a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUserRequest,
    security(("bearer" = [])),
    responses((status = 201, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<User>), Error> {
    caller.require(Scope::Integration)?;
    let role = body.role.unwrap_or(Role::Customer);
    if role != Role::Customer {
        caller.require(Scope::Security)?;
    }
    let email = Email::parse(&body.email).map_err(Error::BadRequest)?;
    let display_name = body
        .display_name
        .map(|d| parse_label("display_name", &d, 128))
        .transpose()
        .map_err(Error::BadRequest)?;
    let locale = body.locale.as_deref().map(parse_locale).transpose()?;
    let password = body
        .password
        .map(Password::parse)
        .transpose()
        .map_err(Error::BadRequest)?;
    let user = users::create_user(
        &state,
        caller.ctx(),
        NewUser {
            email,
            display_name,
            password,
            role,
            locale,
            via: "api",
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// Get a user.
#[utoipa::path(get, path = "/api/v1/users/{user_id}", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn get_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
) -> Result<Json<User>, Error> {
    caller.require(Scope::Integration)?;
    Ok(Json(users::get_user(&state, user_id).await?))
}

/// Change a user's display name or language.
#[utoipa::path(patch, path = "/api/v1/users/{user_id}", tag = "users", request_body = UpdateUserRequest,
    security(("bearer" = [])), params(("user_id" = String, Path)),
    responses((status = 200, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateUserRequest>,
) -> Result<Json<User>, Error> {
    caller.require(Scope::Integration)?;
    let display_name = body
        .display_name
        .map(|d| parse_label("display_name", &d, 128))
        .transpose()
        .map_err(Error::BadRequest)?;
    let locale = match body.locale {
        None => None,
        Some(None) => Some(None),
        Some(Some(tag)) => Some(Some(parse_locale(&tag)?)),
    };
    let changes = UserChanges {
        display_name,
        locale,
    };
    Ok(Json(
        users::update_user(&state, caller.ctx(), user_id, changes).await?,
    ))
}

/// Find a user by email (0 or 1 entries).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])), params(UserQuery),
    responses((status = 200, body = UserList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn find_users(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> Result<Json<UserList>, Error> {
    caller.require(Scope::Integration)?;
    let email = q
        .email
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| Error::BadRequest("query parameter `email` is required".into()))?;
    // No stored email is this long or holds a control character (PostgreSQL refuses NUL).
    if email.len() > 254 || email.chars().any(char::is_control) {
        return Ok(Json(UserList { users: vec![] }));
    }
    let found = users::find_by_email(&state, email).await?;
    Ok(Json(UserList {
        users: found.into_iter().collect(),
    }))
}
