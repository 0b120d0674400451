//! The compliance view for `security` users: who does not meet the policy, since when, and
//! until when their enrollment grace period runs.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::audit::security_user;
use super::html;
use super::portal::error_page;
use crate::services::compliance;
use crate::state::AppState;

const PAGE: i64 = 50;

struct Line {
    email: String,
    role: String,
    since: String,
    enroll_by: String,
    overdue: bool,
    noncompliant_factors: i64,
}

#[derive(Template)]
#[template(path = "portal/compliance.html")]
struct CompliancePage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    require_two_factor: bool,
    grace_days: i64,
    total: i64,
    overdue: i64,
    users: Vec<Line>,
    next: Option<i64>,
    previous: Option<i64>,
}

#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    offset: i64,
}

pub async fn page(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    q: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let s = match security_user(&state, &headers, peer, "/compliance").await {
        Ok(s) => s,
        Err(r) => return r,
    };
    // A malformed offset is the first page.
    let offset = q.map(|Query(q)| q.offset).unwrap_or(0).max(0);
    let report = match compliance::report(&state, PAGE, offset).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, &e),
    };
    let day = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .map(|d| d.format("%-d %b %Y %H:%M UTC").to_string())
            .unwrap_or_else(|_| t.to_owned())
    };
    let users = report
        .users
        .iter()
        .map(|e| Line {
            email: e.email.clone(),
            role: e.role.clone(),
            since: day(&e.noncompliant_since),
            enroll_by: day(&e.enroll_by),
            overdue: e.overdue,
            noncompliant_factors: e.noncompliant_factors,
        })
        .collect();
    html(
        StatusCode::OK,
        &CompliancePage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            nav_role: &s.role,
            csrf: &s.csrf_token,
            require_two_factor: report.require_two_factor,
            grace_days: report.enrollment_grace_days,
            total: report.total,
            overdue: report.overdue,
            users,
            next: report.next_offset,
            previous: (offset > 0).then(|| (offset - PAGE).max(0)),
        },
    )
}
