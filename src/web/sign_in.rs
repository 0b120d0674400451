//! Sign-in with email and password, the front door (`/`), and sign-out.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::oidc::HANDOFF_COOKIE;
use super::page::{Layout, PageError, message_page, render};
use super::session::{
    Anonymous, CsrfForm, MaybeSession, SESSION_COOKIE, anonymous_csrf, clear_session_cookie,
    cookie, redirect, session_cookie, set_cookie, stage_home, with_cookies, with_csrf_cookie,
};
use crate::domain::mail::method_label;
use crate::services::password_guard::DEVICE_COOKIE;
use crate::services::sessions::hash_token;
use crate::services::sign_in::{self, Browser, PasswordStep};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "portal/signin.html")]
struct SigninPage<'a> {
    layout: Layout,
    email: &'a str,
    error: Option<&'a str>,
    open_registration: bool,
    /// The client a sign-in at Keyward will return to (OpenID Connect, way 2).
    continue_to: Option<String>,
}

/// The sign-in page's layout, and the client a sign-in at Keyward returns to (way 2, the
/// browser's hand-off cookie): the page then speaks the client's `ui_locales`.
async fn signin_layout(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<(Layout, Option<String>), PageError> {
    let handoff = match cookie(headers, HANDOFF_COOKIE) {
        Some(b) => crate::services::oidc::signin_for(state, b).await?,
        None => None,
    };
    let mut layout = Layout::with_csrf(state, csrf);
    let continue_to = handoff.map(|(client, ui_locales)| {
        layout.prefer(ui_locales.as_deref());
        client
    });
    Ok((layout, continue_to))
}

/// What the sign-in form says above its fields.
enum SigninError {
    Credentials,
    Throttled { wait_seconds: i64 },
}

async fn signin_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    csrf: &str,
    email: &str,
    error: Option<SigninError>,
) -> Result<Response, PageError> {
    let (mut layout, continue_to) = signin_layout(state, headers, csrf).await?;
    if let Some(client) = &continue_to {
        layout.handoff = Some(super::page::HandoffBar {
            client: client.clone(),
            back: false,
        });
    }
    let error = error.map(|e| match e {
        SigninError::Credentials => layout.t("error-credentials"),
        SigninError::Throttled { wait_seconds } => {
            layout.t1("wait-sign-ins", "count", wait_minutes(wait_seconds))
        }
    });
    Ok(render(
        status,
        &SigninPage {
            layout,
            email,
            error: error.as_deref(),
            open_registration: state.settings.portal.open_registration && continue_to.is_none(),
            continue_to,
        },
    ))
}

/// `/`: where the visitor's session belongs, or sign-in.
#[tracing::instrument(skip_all)]
pub async fn index(MaybeSession(s): MaybeSession) -> Response {
    match s {
        Some(v) => redirect(stage_home(v.session.stage)),
        None => redirect("/signin"),
    }
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (csrf, new) = anonymous_csrf(&headers);
    let page = signin_form(&state, &headers, StatusCode::OK, &csrf, "", None).await?;
    Ok(with_csrf_cookie(&state, page, &csrf, new))
}

#[derive(serde::Deserialize)]
pub struct Credentials {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// A wait in whole minutes, rounded up: the `$count` of a "try again in …" message.
pub fn wait_minutes(wait_seconds: i64) -> i64 {
    (wait_seconds + 59) / 60
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    who: Anonymous,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<Credentials>,
) -> Result<Response, PageError> {
    // The form's token matched the cookie, so the cookie is there.
    let csrf = cookie(&headers, super::session::CSRF_COOKIE).unwrap_or_default();
    let email_shown: String = form.email.chars().take(254).collect();
    let browser = Browser {
        previous: cookie(&headers, SESSION_COOKIE).map(|t| hash_token(&t)),
        device: cookie(&headers, DEVICE_COOKIE),
    };
    let step =
        sign_in::with_password(&state, who.ip(), &form.email, form.password, browser).await?;
    Ok(match step {
        PasswordStep::Throttled { wait_seconds } => {
            signin_form(
                &state,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                &csrf,
                &email_shown,
                Some(SigninError::Throttled { wait_seconds }),
            )
            .await?
        }
        PasswordStep::Refused => {
            signin_form(
                &state,
                &headers,
                StatusCode::UNAUTHORIZED,
                &csrf,
                &email_shown,
                Some(SigninError::Credentials),
            )
            .await?
        }
        PasswordStep::Started {
            token,
            stage,
            device,
        } => {
            // A sign-in for a client (way 2): the session now serves that authorization.
            let handoff = match cookie(&headers, HANDOFF_COOKIE) {
                Some(b) => {
                    crate::services::oidc::bind_signin(&state, who.ip.clone(), b, token.clone())
                        .await?
                }
                None => false,
            };
            let next = if handoff {
                "/oauth2/authorize/resume"
            } else {
                stage_home(stage)
            };
            let mut resp = with_cookies(redirect(next), [session_cookie(&state, &token)]);
            if handoff {
                resp = with_cookies(resp, [set_cookie(&state, HANDOFF_COOKIE, "", Some(0))]);
            }
            match device {
                Some(d) => with_cookies(resp, [super::session::device_cookie(&state, &d)]),
                None => resp,
            }
        }
        PasswordStep::Unconfirmed { account } => {
            let (layout, _) = signin_layout(&state, &headers, &csrf).await?;
            let heading = layout.t("signin-confirm-first-title");
            let message = layout.t1("signin-confirm-first", "account", &account);
            message_page(layout, StatusCode::FORBIDDEN, &heading, &message)
        }
        PasswordStep::Overdue { since, methods } => {
            let (layout, _) = signin_layout(&state, &headers, &csrf).await?;
            let methods = methods
                .iter()
                .map(|m| layout.tr(method_label(*m)))
                .collect::<Vec<_>>()
                .join(", ");
            let heading = layout.t("signin-overdue-title");
            let message = layout.t2(
                "signin-overdue",
                "methods",
                methods,
                "date",
                layout.date_long(since),
            );
            message_page(layout, StatusCode::FORBIDDEN, &heading, &message)
        }
    })
}

#[derive(serde::Deserialize)]
pub struct NoFields {}

/// Ends the session (a form with the session's CSRF token); without a session, just the
/// sign-in page.
#[tracing::instrument(skip_all)]
pub async fn sign_out(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    form: Result<CsrfForm<NoFields>, PageError>,
) -> Result<Response, PageError> {
    if let Some(v) = s {
        form?;
        sign_in::end(&state, v.session.token_hash.clone()).await?;
    }
    Ok(with_cookies(
        redirect("/signin"),
        [clear_session_cookie(&state)],
    ))
}
