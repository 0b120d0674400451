//! The "this wasn't me" link from a security mail: a confirmation page, then the account is
//! secured (signed out everywhere, factor changes frozen, support alerted).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::page::{Layout, PageError, render};
use super::session::Anonymous;
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
#[template(path = "portal/report.html")]
struct ReportPage<'a> {
    layout: Layout,
    title: &'a str,
    view: ReportView,
}

fn page(state: &AppState, link: LinkState, done: bool) -> Response {
    let view = match link {
        LinkState::Valid { account } if done => ReportView::Done(account),
        LinkState::Valid { account } => ReportView::Ask(account),
        LinkState::Used => ReportView::Used,
        LinkState::Expired => ReportView::Expired,
        LinkState::Invalid => ReportView::Invalid,
    };
    let (status, title) = match &view {
        ReportView::Ask(_) => (StatusCode::OK, "Was this not you?"),
        ReportView::Done(_) => (StatusCode::OK, "Your account is secured"),
        ReportView::Used => (StatusCode::GONE, "This link was already used"),
        ReportView::Expired => (StatusCode::GONE, "This link has expired"),
        ReportView::Invalid => (StatusCode::NOT_FOUND, "This link is not valid"),
    };
    // The form has no action: it posts back to the page's own URL (also behind a path prefix).
    render(
        status,
        &ReportPage {
            layout: Layout::anonymous(state),
            title,
            view,
        },
    )
}

// The token is a bearer secret: never a span field.
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let link = report::inspect(&state, token).await?;
    Ok(page(&state, link, false))
}

#[tracing::instrument(skip_all)]
pub async fn confirm(
    State(state): State<AppState>,
    who: Anonymous,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let link = report::confirm(&state, token, who.ip).await?;
    Ok(page(&state, link, true))
}
