//! `/account/report/{token}`: the "this wasn't me" page. GET only asks; POST acts.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::html;
use crate::services::report::{self, LinkState};
use crate::state::AppState;

pub enum ReportView {
    Ask(String),
    Done(String),
    Used,
    Expired,
    Invalid,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    issuer: &'a str,
    title: &'a str,
    view: ReportView,
}

fn page(state: &AppState, view: ReportView) -> Response {
    let (status, title) = match &view {
        ReportView::Ask(_) => (StatusCode::OK, "Was this not you?"),
        ReportView::Done(_) => (StatusCode::OK, "Your account is secured"),
        ReportView::Used => (StatusCode::GONE, "This link was already used"),
        ReportView::Expired => (StatusCode::GONE, "This link has expired"),
        ReportView::Invalid => (StatusCode::NOT_FOUND, "This link is not valid"),
    };
    // The form has no action: it posts back to the page's own URL (also behind a path prefix).
    html(
        status,
        &ReportPage {
            issuer: &state.settings.server.issuer,
            title,
            view,
        },
    )
}

fn error_page(state: &AppState, e: crate::error::Error) -> Response {
    tracing::error!(error = %e, "report link");
    let mut r = page(state, ReportView::Invalid);
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    r
}

pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match report::inspect(&state, token).await {
        Ok(LinkState::Valid { account }) => page(&state, ReportView::Ask(account)),
        Ok(LinkState::Used) => page(&state, ReportView::Used),
        Ok(LinkState::Expired) => page(&state, ReportView::Expired),
        Ok(LinkState::Invalid) => page(&state, ReportView::Invalid),
        Err(e) => error_page(&state, e),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Response {
    match report::confirm(&state, token, Some(peer.ip().to_string())).await {
        Ok(LinkState::Valid { account }) => page(&state, ReportView::Done(account)),
        Ok(LinkState::Used) => page(&state, ReportView::Used),
        Ok(LinkState::Expired) => page(&state, ReportView::Expired),
        Ok(LinkState::Invalid) => page(&state, ReportView::Invalid),
        Err(e) => error_page(&state, e),
    }
}
