//! The compliance view for `security` users: which kinds of second factor users have and how
//! that changed over the last 90 days (a chart and a table), who does not meet the policy,
//! since when, and until when their enrollment grace period runs.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::domain::event_words::role_words;
use crate::domain::i18n::Arg;
use crate::services::{adoption, compliance};
use crate::state::AppState;
use crate::web::page::{Layout, PageError, ok};
use crate::web::session::{SecurityTeam, Staff};
use crate::web::staff::chart::{self, TrendRow};

const PAGE: i64 = 50;
/// How far back the chart goes.
const DAYS: i64 = 90;

/// One recorded day in the full table under the chart.
struct DailyRow {
    day: String,
    values: [i64; 5],
}

struct Line {
    email: String,
    /// The role in words.
    role: String,
    since: String,
    enroll_by: String,
    overdue: bool,
    noncompliant_factors: i64,
    /// The groups whose policies shape the user's, or empty for the global policy alone.
    groups: String,
}

#[derive(Template)]
#[template(path = "portal/compliance.html")]
struct CompliancePage {
    layout: Layout,
    /// How far back the chart goes, in days.
    days: i64,
    chart: String,
    trend_columns: Vec<String>,
    trend: Vec<TrendRow>,
    daily: Vec<DailyRow>,
    unrecorded: usize,
    require_two_factor: bool,
    groups_require: bool,
    grace_days: i64,
    total: i64,
    overdue: i64,
    users: Vec<Line>,
    next: Option<i64>,
    previous: Option<i64>,
    /// "The same list: `GET /api/v1/compliance` …" as HTML (the words escaped).
    api_hint: String,
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
    // A malformed offset is the first page; one out of range is held to the range the
    // service takes (a page past the last user is an empty page, not an error).
    let offset = q
        .map(|Query(q)| q.offset)
        .unwrap_or(0)
        .clamp(0, compliance::OFFSET_MAX);
    let layout = Layout::staff(&state, &v.session);
    let l = layout.locale;
    let report = compliance::report(&state, PAGE, offset).await?;
    let days = adoption::last_days(&state, DAYS).await?;
    let (trend_columns, trend) = chart::summary(l, &days);
    let daily = days
        .iter()
        .rev()
        .filter_map(|d| {
            d.counts.map(|c| DailyRow {
                day: l.date(d.day),
                values: [c.totp, c.yubikey_otp, c.webauthn, c.no_factor, c.users],
            })
        })
        .collect();
    // Days before the first record are not missing: nothing was running to record them.
    let unrecorded = days
        .iter()
        .skip_while(|d| d.counts.is_none())
        .filter(|d| d.counts.is_none())
        .count();
    let day = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .map(|d| l.date_time(d.naive_utc()))
            .unwrap_or_else(|_| t.to_owned())
    };
    let users = report
        .users
        .iter()
        .map(|e| Line {
            email: e.email.clone(),
            role: role_words(l, &e.role),
            since: day(&e.noncompliant_since),
            enroll_by: day(&e.enroll_by),
            overdue: e.overdue,
            noncompliant_factors: e.noncompliant_factors,
            groups: e.groups.join(", "),
        })
        .collect();
    // The words escaped, the API call as code.
    const MARK: &str = "\u{e000}";
    let api_hint = chart::esc(&l.t_args("staff-api-hint", &[("call", Arg::Text(MARK.into()))]))
        .replace(MARK, "<code>GET /api/v1/compliance</code>");
    ok(&CompliancePage {
        layout,
        days: DAYS,
        chart: chart::svg(l, &days),
        trend_columns,
        trend,
        daily,
        unrecorded,
        require_two_factor: report.require_two_factor,
        groups_require: report.groups_require_two_factor,
        grace_days: report.enrollment_grace_days,
        total: report.total,
        overdue: report.overdue,
        users,
        next: report.next_offset,
        previous: (offset > 0).then(|| (offset - PAGE).max(0)),
        api_hint,
    })
}
