//! Sign-in with email and password, the front door (`/`), and sign-out.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::oidc::HANDOFF_COOKIE;
use super::page::{Layout, PageError, render};
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

async fn signin_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    csrf: &str,
    email: &str,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let handoff = match cookie(headers, HANDOFF_COOKIE) {
        Some(b) => crate::services::oidc::signin_for(state, b).await?,
        None => None,
    };
    let mut layout = Layout::with_csrf(state, csrf);
    let continue_to = handoff.map(|(client, ui_locales)| {
        layout.prefer(ui_locales.as_deref());
        client
    });
    if let Some(client) = &continue_to {
        layout.handoff = Some(super::page::HandoffBar {
            client: client.clone(),
            back: false,
        });
    }
    Ok(render(
        status,
        &SigninPage {
            layout,
            email,
            error,
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

/// "in 1 minute", "in 5 minutes": a wait in whole minutes, rounded up.
pub fn minutes(wait_seconds: i64) -> String {
    let m = (wait_seconds + 59) / 60;
    format!("{m} minute{}", if m == 1 { "" } else { "s" })
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
        PasswordStep::Throttled { wait_seconds } => signin_form(
            &state,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            &csrf,
            &email_shown,
            Some(&format!(
                "Too many failed sign-ins. Try again in {}, sign in from a browser you used before, or reset your password.",
                minutes(wait_seconds)
            )),
        )
        .await?,
        PasswordStep::Refused => {
            signin_form(
                &state,
                &headers,
                StatusCode::UNAUTHORIZED,
                &csrf,
                &email_shown,
                Some("The email or password is not correct."),
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
            return Err(PageError::message(
                StatusCode::FORBIDDEN,
                "Confirm your email address first",
                format!(
                    "Your account is not confirmed yet. We have mailed a confirmation link to {account}: open it, then sign in again."
                ),
            ));
        }
        PasswordStep::Overdue { since, methods } => {
            return Err(PageError::message(
                StatusCode::FORBIDDEN,
                "Two-factor authentication is required",
                format!(
                    "Your organisation requires a second factor ({}) for your account, and the time to add one ended on {}. Contact support to get access again.",
                    methods
                        .iter()
                        .map(|m| method_label(*m))
                        .collect::<Vec<_>>()
                        .join(", "),
                    since.format("%-d %B %Y")
                ),
            ));
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
