//! The compliance view for `security` users: who does not meet the policy, since when, and
//! until when their enrollment grace period runs.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::services::compliance;
use crate::state::AppState;
use crate::web::page::{Layout, PageError, ok};
use crate::web::session::{SecurityTeam, Staff};

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
struct CompliancePage {
    layout: Layout,
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

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    q: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    // A malformed offset is the first page.
    let offset = q.map(|Query(q)| q.offset).unwrap_or(0).max(0);
    let report = compliance::report(&state, PAGE, offset).await?;
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
    ok(&CompliancePage {
        layout: Layout::staff(&state, &v.session),
        require_two_factor: report.require_two_factor,
        grace_days: report.enrollment_grace_days,
        total: report.total,
        overdue: report.overdue,
        users,
        next: report.next_offset,
        previous: (offset > 0).then(|| (offset - PAGE).max(0)),
    })
}
