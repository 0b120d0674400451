//! Sudo mode: the password again before a change to the second factors (valid for
//! `SUDO_MINUTES`), then back to the page that asked for it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::services::sign_in::{self, SudoStep};
use crate::state::AppState;
use crate::web::page::{Layout, PageError, render};
use crate::web::session::{CsrfForm, SignedInOrEnrolling, redirect};
use crate::web::sign_in::wait_minutes;

#[derive(Template)]
#[template(path = "portal/sudo.html")]
struct SudoPage<'a> {
    layout: Layout,
    next: &'a str,
    error: Option<&'a str>,
}

/// Only our own settings pages are places to come back to (and the support console with the
/// customer it showed).
pub fn safe_next(next: &str) -> &str {
    let plain = next
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'_' || b == b'-');
    let console = next.strip_prefix("/support?email=").is_some_and(|rest| {
        rest.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"%._+-".contains(&b))
    });
    if console
        || (plain
            && (next.starts_with("/settings")
                || next == "/support"
                || next == "/policy"
                || next == "/groups"
                || next.starts_with("/groups/"))
            && !next.contains("//"))
    {
        next
    } else {
        "/settings"
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    v: SignedInOrEnrolling,
    Query(q): Query<NextQuery>,
) -> Response {
    render(
        StatusCode::OK,
        &SudoPage {
            layout: Layout::of(&state, &v.session),
            next: safe_next(&q.next),
            error: None,
        },
    )
}

#[derive(serde::Deserialize)]
pub struct SudoForm {
    #[serde(default)]
    next: String,
    #[serde(default)]
    password: String,
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    v: SignedInOrEnrolling,
    headers: axum::http::HeaderMap,
    CsrfForm(form): CsrfForm<SudoForm>,
) -> Result<Response, PageError> {
    let device =
        super::super::session::cookie(&headers, crate::services::password_guard::DEVICE_COOKIE);
    let next = safe_next(&form.next);
    let again = |status, error: &dyn Fn(&Layout) -> String| {
        let layout = Layout::of(&state, &v.session);
        let error = error(&layout);
        render(
            status,
            &SudoPage {
                layout,
                next,
                error: Some(&error),
            },
        )
    };
    Ok(
        match sign_in::confirm_password(&state, v.ctx(), &v.session, device, form.password).await? {
            SudoStep::Granted => redirect(next),
            SudoStep::Refused => again(StatusCode::UNAUTHORIZED, &|l| l.t("error-password")),
            SudoStep::Throttled { wait_seconds } => again(StatusCode::TOO_MANY_REQUESTS, &|l| {
                l.t1("wait-passwords", "count", wait_minutes(wait_seconds))
            }),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_our_own_pages_are_places_to_come_back_to() {
        for ok in [
            "/settings",
            "/settings/add/security-key",
            "/support",
            "/policy",
            "/groups",
            "/groups/grp_0123abcd",
            "/support?email=ann%40example.com",
            "/support?email=a.b%2Bc_d-e%40example.co.uk",
        ] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/settings//evil",
            "/support?email=x&next=//evil",
            "/support?email=<script>",
            "/support?email=a/b",
            "/audit?x=1",
            "/support?other=1",
            "",
        ] {
            assert_eq!(safe_next(bad), "/settings", "{bad}");
        }
    }
}
