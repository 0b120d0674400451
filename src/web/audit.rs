//! The audit log page for `security` users: filters, pages, exports and the chain's status.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::html;
use super::portal::{ctx_for, current, error_page, message_page};
use crate::domain::newtypes::Email;
use crate::error::Error;
use crate::services::audit::{AuditEvent, AuditFilter, AuditRecord, record_audit_event};
use crate::services::sessions::{Session, Stage};
use crate::state::AppState;

/// A signed-in `security` user; anyone else gets a 403 page and an `access.denied` event.
pub(super) async fn security_user(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    page: &str,
) -> Result<Session, Response> {
    let s = match current(state, headers).await {
        Ok(Some(s)) if s.stage == Stage::Full => s,
        Ok(Some(_)) => return Err(Redirect::to("/signin/verify").into_response()),
        Ok(None) => return Err(Redirect::to("/signin").into_response()),
        Err(e) => return Err(error_page(state, &e)),
    };
    let (uid, ctx, page) = (
        s.user_id.clone(),
        ctx_for(Some(&s.user_id), peer),
        page.to_owned(),
    );
    let now = crate::domain::clock::naive(state.clock.now());
    let role = state
        .db
        .write(move |conn| {
            let user = crate::services::users::load(conn, &uid)?;
            if user.role != "security" {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "access.denied",
                        ctx: &ctx,
                        user_id: Some(&user.id),
                        factor_id: None,
                        details: serde_json::json!({ "page": page, "role": user.role }),
                    },
                )?;
            }
            Ok::<_, Error>(user.role)
        })
        .await
        .map_err(|e| error_page(state, &e))?;
    if role != "security" {
        return Err(message_page(
            state,
            StatusCode::FORBIDDEN,
            "Not available",
            "The audit log is for the security team.",
        ));
    }
    Ok(s)
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    email: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    cursor: String,
    #[serde(default)]
    format: String,
}

impl AuditQuery {
    fn filter_query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("email", &self.email)
            .append_pair("event", &self.event)
            .append_pair("since", &self.since)
            .append_pair("until", &self.until)
            .finish()
    }
}

fn parse_time(field: &str, raw: &str) -> Result<Option<chrono::NaiveDateTime>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| Some(t.naive_utc()))
        .map_err(|_| format!("{field}: use a time like 2026-11-01T00:00:00Z"))
}

/// The filter the query describes; `Err` with a message to show.
async fn filter_of(
    state: &AppState,
    q: &AuditQuery,
    limit: i64,
) -> Result<Result<AuditFilter, String>, Error> {
    let since = match parse_time("From", &q.since) {
        Ok(t) => t,
        Err(m) => return Ok(Err(m)),
    };
    let until = match parse_time("Until", &q.until) {
        Ok(t) => t,
        Err(m) => return Ok(Err(m)),
    };
    let user_id = if q.email.trim().is_empty() {
        None
    } else {
        let Ok(email) = Email::parse(&q.email) else {
            return Ok(Err("Customer email: not an email address".into()));
        };
        let n = email.normalized();
        let found = state
            .db
            .read(move |conn| Ok::<_, Error>(crate::db::models::UserRow::find_by_email(conn, &n)?))
            .await?;
        match found {
            Some(u) => Some(u.id),
            None => return Ok(Err("No user has this email.".into())),
        }
    };
    Ok(Ok(AuditFilter {
        user_id,
        event: Some(q.event.trim().to_owned()).filter(|e| !e.is_empty()),
        since,
        until,
        before_id: q.cursor.parse().ok(),
        limit,
    }))
}

pub struct Row {
    id: String,
    at: String,
    event: String,
    actor: String,
    user: String,
    details: String,
}

#[derive(Template)]
#[template(path = "portal/audit.html")]
struct AuditPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    chain_ok: bool,
    checked: i64,
    first_bad: String,
    problem: String,
    email: &'a str,
    event: &'a str,
    since: &'a str,
    until: &'a str,
    error: Option<String>,
    filter_query: String,
    events: Vec<Row>,
    next: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Response {
    let s = match security_user(&state, &headers, peer, "/audit").await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let chain = match state
        .db
        .read(|conn| crate::services::audit::verify_chain(conn).map_err(Error::from))
        .await
    {
        Ok(c) => c,
        Err(e) => return error_page(&state, &e),
    };
    let (filter, error) = match filter_of(&state, &q, 50).await {
        Ok(Ok(f)) => (Some(f), None),
        Ok(Err(m)) => (None, Some(m)),
        Err(e) => return error_page(&state, &e),
    };
    let (events, next) = match filter {
        None => (Vec::new(), None),
        Some(f) => match state
            .db
            .read(move |conn| Ok::<_, Error>(crate::services::audit::list(conn, &f)?))
            .await
        {
            Ok(v) => v,
            Err(e) => return error_page(&state, &e),
        },
    };
    let rows = events
        .into_iter()
        .map(|e: AuditEvent| Row {
            id: e.id,
            at: e.at.replace('T', " ").chars().take(19).collect(),
            event: e.event,
            actor: match e.actor.id {
                Some(id) => format!("{} {id}", e.actor.kind),
                None => e.actor.kind,
            },
            user: e.user_id.unwrap_or_default(),
            details: e.details.to_string(),
        })
        .collect();
    html(
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &AuditPage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            csrf: &s.csrf_token,
            nav_role: &s.role,
            chain_ok: chain.ok,
            checked: chain.events_checked,
            first_bad: chain.first_bad_event_id.clone().unwrap_or_default(),
            problem: chain.problem.clone().unwrap_or_default(),
            email: &q.email,
            event: &q.event,
            since: &q.since,
            until: &q.until,
            error,
            filter_query: q.filter_query(),
            events: rows,
            next,
        },
    )
}

/// The filtered events, oldest first, as JSON lines or CSV (at most 100,000 per file).
pub async fn export(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Response {
    if let Err(r) = security_user(&state, &headers, peer, "/audit/export").await {
        return r;
    }
    let filter = match filter_of(&state, &q, 100_000).await {
        Ok(Ok(f)) => f,
        Ok(Err(m)) => {
            return message_page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Cannot export",
                &m,
            );
        }
        Err(e) => return error_page(&state, &e),
    };
    let mut events = match state
        .db
        .read(move |conn| Ok::<_, Error>(crate::services::audit::list(conn, &filter)?))
        .await
    {
        Ok((events, _)) => events,
        Err(e) => return error_page(&state, &e),
    };
    events.reverse();
    let (body, kind, name) = if q.format == "csv" {
        let mut out = String::from(
            "id,at,event,actor_type,actor_id,user_id,factor_id,ip,details,prev_hash,hash\n",
        );
        for e in &events {
            out.push_str(&crate::cli::csv_line(e));
            out.push('\n');
        }
        (out, "text/csv; charset=utf-8", "audit.csv")
    } else {
        let mut out = String::new();
        for e in &events {
            out.push_str(&serde_json::to_string(e).unwrap_or_default());
            out.push('\n');
        }
        (out, "application/x-ndjson", "audit.jsonl")
    };
    let mut resp = (StatusCode::OK, body).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}
