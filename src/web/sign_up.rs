//! Open registration (`KEYWARD_OPEN_REGISTRATION`): a new customer account, confirmed by a
//! mailed link before it can sign in.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::page::{Layout, PageError, render};
use super::session::{Anonymous, CSRF_COOKIE, CsrfForm, anonymous_csrf, cookie, with_csrf_cookie};
use super::sign_in::{Credentials, wait_minutes};
use crate::services::password_life::{self, CONFIRM_HOURS, SignUp};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "portal/signup.html")]
struct SignupPage<'a> {
    layout: Layout,
    email: &'a str,
    email_error: Option<String>,
    password_error: Option<String>,
}

fn closed(state: &AppState) -> Result<(), PageError> {
    if state.settings.portal.open_registration {
        Ok(())
    } else {
        Err(PageError::message(
            StatusCode::NOT_FOUND,
            "Sign-up is closed",
            "Accounts on this server are created by its operators. Ask them for one.",
        ))
    }
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    closed(&state)?;
    let (csrf, new) = anonymous_csrf(&headers);
    let page = render(
        StatusCode::OK,
        &SignupPage {
            layout: Layout::with_csrf(&state, &csrf),
            email: "",
            email_error: None,
            password_error: None,
        },
    );
    Ok(with_csrf_cookie(&state, page, &csrf, new))
}

#[derive(Template)]
#[template(path = "portal/notice.html")]
struct CheckInbox<'a> {
    layout: Layout,
    heading: &'a str,
    paragraphs: Vec<String>,
    link: &'a str,
    link_text: &'a str,
}

/// A new account, which confirms its address with a mailed link before it can sign in. The
/// page says the same whether the address already had an account (its owner gets a notice
/// instead), so the form tells nobody which addresses have accounts.
#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    who: Anonymous,
    headers: HeaderMap,
    form: Result<CsrfForm<Credentials>, PageError>,
) -> Result<Response, PageError> {
    closed(&state)?;
    let CsrfForm(form) = form?;
    let csrf = cookie(&headers, CSRF_COOKIE).unwrap_or_default();
    let shown: String = form.email.trim().chars().take(254).collect();
    let layout = Layout::with_csrf(&state, &csrf);
    // Which rule the address or the password broke, said in the page's words (the service's
    // are the API's).
    let email_problem = |_: String| {
        if form.email.trim().is_empty() {
            layout.t("signup-email-missing")
        } else {
            layout.t("signup-email-invalid")
        }
    };
    let password_problem = |_: String| super::password::password_rule(&layout, &form.password);
    let form_again = |status, email_error, password_error| {
        render(
            status,
            &SignupPage {
                layout: layout.clone(),
                email: &shown,
                email_error,
                password_error,
            },
        )
    };
    let password = form.password.clone();
    Ok(
        match password_life::sign_up(&state, who.ctx(), &form.email, password).await? {
            SignUp::CheckInbox => render(
                StatusCode::OK,
                &CheckInbox {
                    paragraphs: vec![
                        layout.t2(
                            "signup-check-inbox",
                            "email",
                            &shown,
                            "count",
                            CONFIRM_HOURS,
                        ),
                        layout.t("signup-no-mail"),
                    ],
                    heading: &layout.t("check-inbox-title"),
                    link: "/signin",
                    link_text: &layout.t("go-to-sign-in"),
                    layout: Layout::anonymous(&state),
                },
            ),
            SignUp::Invalid { email, password } => form_again(
                StatusCode::UNPROCESSABLE_ENTITY,
                email.map(email_problem),
                password.map(password_problem),
            ),
            SignUp::Throttled { wait_seconds } => form_again(
                StatusCode::TOO_MANY_REQUESTS,
                Some(layout.t1("wait-network", "count", wait_minutes(wait_seconds))),
                None,
            ),
        },
    )
}
