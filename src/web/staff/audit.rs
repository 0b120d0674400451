//! The audit log page for `security` users: filters, pages, exports and the chain's status.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::i18n::{Arg, Locale};
use crate::domain::newtypes::Email;
use crate::error::Error;
use crate::services::audit::{AuditEvent, AuditFilter};
use crate::services::console;
use crate::state::AppState;
use crate::web::page::{Layout, PageError, render};
use crate::web::session::{SecurityTeam, Staff};
use crate::web::staff::{EventWords, when};

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

/// A filter's time; `Err` with the message the page shows, in `l`. `field` is the filter's
/// name (`since`, `until`): the message names the field as its label does.
fn parse_time(l: Locale, field: &str, raw: &str) -> Result<Option<chrono::NaiveDateTime>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| Some(t.naive_utc()))
        .map_err(|_| {
            l.t_args(
                "staff-bad-time",
                &[
                    ("field", Arg::Text(field.to_owned())),
                    ("example", Arg::Text("2026-11-01T00:00:00Z".to_owned())),
                ],
            )
        })
}

/// The filter the query describes; `Err` with a message to show, in `l`.
async fn filter_of(
    state: &AppState,
    l: Locale,
    q: &AuditQuery,
    limit: i64,
) -> Result<Result<AuditFilter, String>, Error> {
    let since = match parse_time(l, "since", &q.since) {
        Ok(t) => t,
        Err(m) => return Ok(Err(m)),
    };
    let until = match parse_time(l, "until", &q.until) {
        Ok(t) => t,
        Err(m) => return Ok(Err(m)),
    };
    let user_id = if q.email.trim().is_empty() {
        None
    } else {
        let Ok(email) = Email::parse(&q.email) else {
            return Ok(Err(l.t("staff-bad-email")));
        };
        match console::user_id_by_email(state, &email).await? {
            Some(id) => Some(id),
            None => return Ok(Err(l.t("staff-no-user-email"))),
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
    event: EventWords,
    actor: String,
    user: String,
    details: String,
}

#[derive(Template)]
#[template(path = "portal/audit.html")]
struct AuditPage<'a> {
    layout: Layout,
    chain_ok: bool,
    checked: i64,
    first_bad: String,
    /// What is wrong with the chain: the check's own words (the API's), in the page's
    /// language when the catalogue has them.
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

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let layout = Layout::staff(&state, &v.session);
    let l = layout.locale;
    let chain = console::audit_chain(&state).await?;
    let (filter, error) = match filter_of(&state, l, &q, 50).await? {
        Ok(f) => (Some(f), None),
        Err(m) => (None, Some(m)),
    };
    let (events, next) = match filter {
        None => (Vec::new(), None),
        Some(f) => console::audit_page(&state, f).await?,
    };
    let rows = events
        .into_iter()
        .map(|e: AuditEvent| Row {
            id: e.id,
            at: chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|t| when(l, t.naive_utc(), true))
                .unwrap_or_else(|_| e.at.replace('T', " ").chars().take(19).collect()),
            event: EventWords::of(l, e.event, &e.details),
            actor: {
                let kind = match e.actor.kind.as_str() {
                    k @ ("user" | "support" | "api_key" | "system") => {
                        l.t_args("staff-actor-type", &[("kind", Arg::Text(k.to_owned()))])
                    }
                    other => other.to_owned(),
                };
                match e.actor.id {
                    Some(id) => format!("{kind} {id}"),
                    None => kind,
                }
            },
            user: e.user_id.unwrap_or_default(),
            details: e.details.to_string(),
        })
        .collect();
    Ok(render(
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &AuditPage {
            chain_ok: chain.ok,
            checked: chain.events_checked,
            first_bad: chain.first_bad_event_id.clone().unwrap_or_default(),
            problem: layout.tr(chain.problem.as_deref().unwrap_or_default()),
            layout,
            email: &q.email,
            event: &q.event,
            since: &q.since,
            until: &q.until,
            error,
            filter_query: q.filter_query(),
            events: rows,
            next,
        },
    ))
}

/// The filtered events, oldest first, as JSON lines or CSV (at most 100,000 per file).
#[tracing::instrument(skip_all)]
pub async fn export(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    // The message page's heading is looked up in the browser's language; the reason is
    // written here in the staff member's.
    let l = Layout::staff(&state, &v.session).locale;
    let filter = filter_of(&state, l, &q, 100_000)
        .await?
        .map_err(|m| PageError::message(StatusCode::UNPROCESSABLE_ENTITY, "Cannot export", m))?;
    let (mut events, _) = console::audit_page(&state, filter).await?;
    events.reverse();
    let (body, kind, name) = if q.format == "csv" {
        let mut out = String::from(
            "id,at,event,actor_type,actor_id,user_id,factor_id,ip,details,prev_hash,hash\n",
        );
        for e in &events {
            out.push_str(&crate::services::audit::csv_line(e));
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
    Ok(resp)
}
