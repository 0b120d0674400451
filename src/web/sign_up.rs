//! Open registration (`KEYWARD_OPEN_REGISTRATION`): a new customer account and its first
//! session.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::page::{Layout, PageError, render};
use super::session::{
    Anonymous, CSRF_COOKIE, CsrfForm, anonymous_csrf, cookie, redirect, session_cookie, stage_home,
    with_cookies, with_csrf_cookie,
};
use super::sign_in::{Credentials, minutes};
use crate::domain::newtypes::{Email, Password, Role};
use crate::error::Error;
use crate::services::sessions::Stage;
use crate::services::sign_in::{self, NewSession};
use crate::services::users::{NewUser, create_user};
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
    // Every sign-up counts against the address, like a failed sign-in: an open sign-up form
    // must not become an unlimited "does this email have an account?" oracle.
    if let Some(wait) = sign_in::reserve_attempt(&state, who.ip()).await? {
        return Err(PageError::message(
            StatusCode::TOO_MANY_REQUESTS,
            "Please wait",
            format!(
                "Too many attempts from your network. Try again in {}.",
                minutes(wait)
            ),
        ));
    }
    let shown: String = form.email.chars().take(254).collect();
    let form_again = |status, email_error, password_error| {
        render(
            status,
            &SignupPage {
                layout: Layout::with_csrf(&state, &csrf),
                email: &shown,
                email_error,
                password_error,
            },
        )
    };
    let (email, password) = match (Email::parse(&form.email), Password::parse(form.password)) {
        (Ok(e), Ok(p)) => (e, p),
        (e, p) => {
            return Ok(form_again(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.err(),
                p.err(),
            ));
        }
    };
    let new_user = NewUser {
        email,
        display_name: None,
        password: Some(password),
        role: Role::Customer,
    };
    let user = match create_user(&state, who.ctx(), new_user).await {
        Ok(u) => u,
        // Said plainly: sign-up is open, so whether an address has an account is not secret
        // here (the same as any open sign-up form).
        Err(Error::Conflict(_)) => {
            return Ok(form_again(
                StatusCode::CONFLICT,
                Some("An account with this email already exists: sign in instead.".into()),
                None,
            ));
        }
        Err(e) => return Err(e.into()),
    };
    // Under a policy that requires two-factor authentication, a new account may only add a
    // factor until it has one.
    let stage = if user.noncompliant_since.is_some() {
        Stage::Enroll
    } else {
        Stage::Full
    };
    let token = sign_in::start(
        &state,
        NewSession {
            user_id: user.id.clone(),
            previous: None,
            ctx: who.ctx_as(&user.id),
            stage,
            details: serde_json::json!({ "second_factor": null, "after": "sign_up",
                "enrollment_required": stage == Stage::Enroll }),
        },
    )
    .await?;
    Ok(with_cookies(
        redirect(stage_home(stage)),
        [session_cookie(&state, &token)],
    ))
}
