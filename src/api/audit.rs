//! `/api/v1/audit`: list with filters, verify the chain.

use axum::Json;
use axum::extract::State;

use super::extract::{ApiQuery, Caller};
use crate::domain::api_key::Scope;
use crate::domain::ids::looks_like_id;
use crate::error::{Error, ErrorBody};
use crate::services::audit::{self, AuditEvent, AuditFilter, ChainReport};
use crate::state::AppState;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Only this user's events (required for `integration` keys).
    pub user_id: Option<String>,
    /// Only this event name, e.g. `verify.failed`.
    pub event: Option<String>,
    /// RFC 3339; events at or after.
    pub since: Option<String>,
    /// RFC 3339; events before.
    pub until: Option<String>,
    /// 1 to 1000, default 100.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub next_cursor: Option<String>,
}

fn parse_time(field: &str, raw: Option<String>) -> Result<Option<chrono::NaiveDateTime>, Error> {
    raw.filter(|s| !s.is_empty())
        .map(|s| {
            chrono::DateTime::parse_from_rfc3339(&s)
                .map(|t| t.naive_utc())
                .map_err(|_| {
                    Error::BadRequest(format!("{field}: `{s}` is not an RFC 3339 timestamp"))
                })
        })
        .transpose()
}

/// Audit events, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, Error> {
    caller.require(Scope::Integration)?;
    let user_id = q.user_id.filter(|u| !u.is_empty());
    if let Some(u) = &user_id
        && !looks_like_id(u)
    {
        return Err(Error::BadRequest("user_id: not a user id".into()));
    }
    if let Some(e) = q.event.as_deref()
        && (e.len() > 64
            || !e
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'))
    {
        return Err(Error::BadRequest(
            "event: event names are lowercase words joined by `.` or `_`".into(),
        ));
    }
    if user_id.is_none() {
        caller.require(Scope::Support).map_err(|_| {
            Error::Forbidden(
                "an `integration` key must give `user_id`: it reads one user's events".into(),
            )
        })?;
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(Error::BadRequest("limit: must be from 1 to 1000".into()));
    }
    let before_id = q
        .cursor
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.parse::<i64>()
                .map_err(|_| Error::BadRequest("cursor: not a cursor this API gave".into()))
        })
        .transpose()?;
    let filter = AuditFilter {
        user_id,
        event: q.event.filter(|e| !e.is_empty()),
        since: parse_time("since", q.since)?,
        until: parse_time("until", q.until)?,
        before_id,
        limit,
    };
    let (events, next_cursor) = state
        .db
        .read(move |conn| audit::list(conn, &filter).map_err(Error::from))
        .await?;
    Ok(Json(AuditPage {
        events,
        next_cursor,
    }))
}

/// Check the whole hash chain.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = [])),
    responses((status = 200, body = ChainReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn verify(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ChainReport>, Error> {
    caller.require(Scope::Support)?;
    let report = state
        .db
        .read(|conn| audit::verify_chain(conn).map_err(Error::from))
        .await?;
    Ok(Json(report))
}
