//! The password's pages: "Forgot your password?", the mailed link that sets a new one (after a
//! reset request, or after "this wasn't me" and a support reset), a sign-up's confirmation link,
//! and the change of password in the security settings.
//!
//! The link pages post back to their own URL: the link's token (a bearer secret, kept out of the
//! logs) is what proves the form came from the mail, so they carry no CSRF token.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::page::{Layout, PageError, render};
use super::session::{
    Anonymous, CSRF_COOKIE, CsrfForm, SignedIn, anonymous_csrf, cookie, redirect, session_cookie,
    with_cookies, with_csrf_cookie,
};
use super::sign_in::minutes;
use crate::domain::newtypes::Password;
use crate::services::account;
use crate::services::password_guard::DEVICE_COOKIE;
use crate::services::password_life::{
    self, Change, Confirmed, Forgot, LinkPurpose, LinkState, RESET_MINUTES, SetWithLink,
};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "portal/forgot.html")]
struct ForgotPage<'a> {
    layout: Layout,
    email: &'a str,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/notice.html")]
struct NoticePage<'a> {
    layout: Layout,
    heading: &'a str,
    paragraphs: Vec<String>,
    link: &'a str,
    link_text: &'a str,
}

#[derive(Template)]
#[template(path = "portal/password.html")]
struct PasswordPage<'a> {
    layout: Layout,
    heading: &'a str,
    account: Option<String>,
    /// The form's action: empty to post back to the page's own URL.
    action: &'a str,
    username: String,
    ask_current: bool,
    button: &'a str,
    error: Option<String>,
    hints: Vec<&'a str>,
    back: &'a str,
    back_text: &'a str,
}

#[derive(Template)]
#[template(path = "portal/confirm.html")]
struct ConfirmPage {
    layout: Layout,
    account: String,
    error: Option<String>,
}

fn notice(
    state: &AppState,
    status: StatusCode,
    heading: &str,
    paragraphs: Vec<String>,
    link: &str,
    link_text: &str,
) -> Response {
    render(
        status,
        &NoticePage {
            layout: Layout::anonymous(state),
            heading,
            paragraphs,
            link,
            link_text,
        },
    )
}

/// A link that cannot be used, said plainly with what to do next.
fn unusable(state: &AppState, link: &LinkState, password: bool) -> Response {
    let again = if password {
        ("/signin/forgot", "Ask for a new link")
    } else {
        ("/signin", "Sign in to get a new link")
    };
    match link {
        LinkState::Used => notice(
            state,
            StatusCode::GONE,
            "This link was already used",
            vec!["Each link works once. If you still need it, ask for a new one.".into()],
            again.0,
            again.1,
        ),
        LinkState::Expired => notice(
            state,
            StatusCode::GONE,
            "This link has expired",
            vec![if password {
                format!(
                    "A link to reset a password works for {RESET_MINUTES} minutes (a link sent after a support reset for 24 hours). Ask for a new one."
                )
            } else {
                "A confirmation link works for 48 hours. Sign in with your email and password: we will send you a new one.".into()
            }],
            again.0,
            again.1,
        ),
        LinkState::Invalid | LinkState::Valid { .. } => notice(
            state,
            StatusCode::NOT_FOUND,
            "This link is not valid",
            vec![
                "Open the link from the most recent mail exactly as it was sent: a newer link replaces the older ones.".into(),
            ],
            again.0,
            again.1,
        ),
    }
}

// --- Forgot your password? ---

#[tracing::instrument(skip_all)]
pub async fn forgot_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (csrf, new) = anonymous_csrf(&headers);
    let page = render(
        StatusCode::OK,
        &ForgotPage {
            layout: Layout::with_csrf(&state, &csrf),
            email: "",
            error: None,
        },
    );
    with_csrf_cookie(&state, page, &csrf, new)
}

#[derive(serde::Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

#[tracing::instrument(skip_all)]
pub async fn forgot_submit(
    State(state): State<AppState>,
    who: Anonymous,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response, PageError> {
    let shown: String = form.email.trim().chars().take(254).collect();
    match password_life::forgot(&state, who.ctx(), &form.email).await? {
        Forgot::Answered => Ok(notice(
            &state,
            StatusCode::OK,
            "Check your inbox",
            vec![
                format!(
                    "If {shown} is the address of an account with a password, a link to choose a new password is on its way. It works once, for {RESET_MINUTES} minutes."
                ),
                "No mail after a few minutes? Check your spam folder, or ask again.".into(),
            ],
            "/signin",
            "Back to sign-in",
        )),
        Forgot::Throttled { wait_seconds } => {
            let csrf = cookie(&headers, CSRF_COOKIE).unwrap_or_default();
            Ok(render(
                StatusCode::TOO_MANY_REQUESTS,
                &ForgotPage {
                    layout: Layout::with_csrf(&state, &csrf),
                    email: &shown,
                    error: Some(format!(
                        "Too many attempts from your network. Try again in {}.",
                        minutes(wait_seconds)
                    )),
                },
            ))
        }
    }
}

// --- The mailed link that sets a new password ---

const PASSWORD_LINKS: &[LinkPurpose] = &[LinkPurpose::PasswordReset, LinkPurpose::PasswordSet];

fn set_form(
    state: &AppState,
    status: StatusCode,
    account: String,
    error: Option<String>,
) -> Response {
    render(
        status,
        &PasswordPage {
            layout: Layout::anonymous(state),
            heading: "Choose a new password",
            account: Some(account),
            action: "",
            username: String::new(),
            ask_current: false,
            button: "Set new password",
            error,
            hints: vec![
                "Every device signed in to your account will be signed out.",
                "Two-factor authentication stays on: you will still need your second factor to sign in.",
            ],
            back: "",
            back_text: "",
        },
    )
}

// The token is a bearer secret: never a span field.
#[tracing::instrument(skip_all)]
pub async fn link_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    Ok(
        match password_life::inspect(&state, token, PASSWORD_LINKS).await? {
            LinkState::Valid { account, .. } => set_form(&state, StatusCode::OK, account, None),
            other => unusable(&state, &other, true),
        },
    )
}

#[derive(serde::Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// The new password twice, parsed: `Err` is what to say next to the form.
fn new_password(form: &NewPasswordForm) -> Result<Password, String> {
    if form.password != form.confirm {
        return Err("The two new passwords are not the same.".into());
    }
    Password::parse(form.password.clone()).map_err(|e| {
        let mut e = e;
        if let Some(first) = e.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        format!("{e}.")
    })
}

#[tracing::instrument(skip_all)]
pub async fn link_submit(
    State(state): State<AppState>,
    who: Anonymous,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<NewPasswordForm>,
) -> Result<Response, PageError> {
    let password = match new_password(&form) {
        Ok(p) => p,
        Err(message) => {
            return Ok(
                match password_life::inspect(&state, token, PASSWORD_LINKS).await? {
                    LinkState::Valid { account, .. } => set_form(
                        &state,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        account,
                        Some(message),
                    ),
                    other => unusable(&state, &other, true),
                },
            );
        }
    };
    Ok(
        match password_life::set_with_link(&state, who.ip, token, password).await? {
            SetWithLink::Done { device } => with_cookies(notice(
                &state,
                StatusCode::OK,
                "Your new password is set",
                vec![
                    "Every device was signed out. Sign in with your new password.".into(),
                    "Two-factor authentication is unchanged: you will still need your second factor. A confirmation email is on its way.".into(),
                ],
                "/signin",
                "Sign in",
            ), [super::session::device_cookie(&state, &device)]),
            SetWithLink::Refused(link) => unusable(&state, &link, true),
        },
    )
}

// --- A sign-up's confirmation link ---

#[tracing::instrument(skip_all)]
pub async fn confirm_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    Ok(
        match password_life::inspect(&state, token, &[LinkPurpose::EmailConfirm]).await? {
            LinkState::Valid { account, .. } => render(
                StatusCode::OK,
                &ConfirmPage {
                    layout: Layout::anonymous(&state),
                    account,
                    error: None,
                },
            ),
            other => unusable(&state, &other, false),
        },
    )
}

#[derive(serde::Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    password: String,
}

#[tracing::instrument(skip_all)]
pub async fn confirm_submit(
    State(state): State<AppState>,
    who: Anonymous,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let again = |status, account: String, error: String| {
        render(
            status,
            &ConfirmPage {
                layout: Layout::anonymous(&state),
                account,
                error: Some(error),
            },
        )
    };
    Ok(
        match password_life::confirm_email(&state, who.ip.clone(), token, form.password).await? {
            Confirmed::WrongPassword { account } => again(
                StatusCode::UNAUTHORIZED,
                account,
                "That is not the password chosen when the account was created. If you did not create it, close this page: without the confirmation the account cannot be used.".into(),
            ),
            Confirmed::Throttled { wait_seconds } => notice(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                "Please wait",
                vec![format!("Too many wrong passwords. Try again in {}.", minutes(wait_seconds))],
                "",
                "",
            ),
            Confirmed::Done { account } => notice(
                &state,
                StatusCode::OK,
                "Your address is confirmed",
                vec![format!(
                    "Thank you: {account} is confirmed. Sign in with your email and password to add a second factor."
                )],
                "/signin",
                "Sign in",
            ),
            Confirmed::Refused(link) => unusable(&state, &link, false),
        },
    )
}

// --- Change the password (security settings) ---

fn change_form(
    state: &AppState,
    v: &SignedIn,
    status: StatusCode,
    email: String,
    error: Option<String>,
) -> Response {
    render(
        status,
        &PasswordPage {
            layout: Layout::of(state, &v.session),
            heading: "Change your password",
            account: None,
            action: "/settings/password",
            username: email,
            ask_current: true,
            button: "Change password",
            error,
            hints: vec!["Every other device signed in to your account will be signed out."],
            back: "/settings",
            back_text: "Back to security settings",
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn change_page(
    State(state): State<AppState>,
    v: SignedIn,
) -> Result<Response, PageError> {
    let o = account::overview(&state, v.user_id().to_owned()).await?;
    if !o.has_password {
        return Err(PageError::redirect("/settings"));
    }
    Ok(change_form(&state, &v, StatusCode::OK, o.email, None))
}

#[tracing::instrument(skip_all)]
pub async fn change_submit(
    State(state): State<AppState>,
    v: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> Result<Response, PageError> {
    let o = account::overview(&state, v.user_id().to_owned()).await?;
    if !o.has_password {
        return Err(PageError::redirect("/settings"));
    }
    let again =
        |status, message: String| change_form(&state, &v, status, o.email.clone(), Some(message));
    let password = match new_password(&form) {
        Ok(p) => p,
        Err(message) => return Ok(again(StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    let device = cookie(&headers, DEVICE_COOKIE);
    Ok(
        match password_life::change(
            &state,
            v.ctx(),
            &v.session,
            device,
            form.current.clone(),
            password,
        )
        .await?
        {
            Change::Changed { token } => with_cookies(
                redirect("/settings?notice=password"),
                [session_cookie(&state, &token)],
            ),
            Change::WrongPassword => again(
                StatusCode::UNAUTHORIZED,
                "The current password is not correct.".into(),
            ),
            Change::SamePassword => again(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The new password is the one you have now: choose a different one.".into(),
            ),
            Change::Throttled { wait_seconds } => again(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Too many wrong passwords. Try again in {}.",
                    minutes(wait_seconds)
                ),
            ),
        },
    )
}
