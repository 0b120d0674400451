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
use super::sign_in::wait_minutes;
use crate::domain::newtypes::Password;
use crate::services::account;
use crate::services::password_guard::DEVICE_COOKIE;
use crate::services::password_life::{
    self, CONFIRM_HOURS, Change, Confirmed, Forgot, LinkPurpose, LinkState, RESET_MINUTES,
    SET_HOURS, SetWithLink,
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
    hints: Vec<String>,
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

/// A notice page's words, in the page's language.
struct Notice {
    heading: String,
    paragraphs: Vec<String>,
    /// Empty: no link.
    link: &'static str,
    link_text: String,
}

fn notice(state: &AppState, status: StatusCode, words: impl FnOnce(&Layout) -> Notice) -> Response {
    let layout = Layout::anonymous(state);
    let n = words(&layout);
    render(
        status,
        &NoticePage {
            layout,
            heading: &n.heading,
            paragraphs: n.paragraphs,
            link: n.link,
            link_text: &n.link_text,
        },
    )
}

/// A link that cannot be used, said plainly with what to do next.
fn unusable(state: &AppState, link: &LinkState, password: bool) -> Response {
    let (again, again_text) = if password {
        ("/signin/forgot", "link-ask-again")
    } else {
        ("/signin", "link-sign-in-again")
    };
    let status = match link {
        LinkState::Used | LinkState::Expired => StatusCode::GONE,
        LinkState::Invalid | LinkState::Valid { .. } => StatusCode::NOT_FOUND,
    };
    notice(state, status, |l| {
        let (heading, text) = match link {
            LinkState::Used => (l.t("report-used-title"), l.t("link-used")),
            LinkState::Expired if password => (
                l.t("report-expired-title"),
                l.t2(
                    "link-expired-password",
                    "count",
                    RESET_MINUTES,
                    "hours",
                    SET_HOURS,
                ),
            ),
            LinkState::Expired => (
                l.t("report-expired-title"),
                l.t1("link-expired-confirm", "count", CONFIRM_HOURS),
            ),
            LinkState::Invalid | LinkState::Valid { .. } => {
                (l.t("report-invalid-title"), l.t("link-invalid"))
            }
        };
        Notice {
            heading,
            paragraphs: vec![text],
            link: again,
            link_text: l.t(again_text),
        }
    })
}

/// What is wrong with a password form, said next to it.
enum FormError {
    /// The new password and its repetition differ.
    Mismatch,
    /// The new password is shorter than `Password::MIN` characters.
    TooShort,
    /// The new password is longer than `Password::MAX` bytes.
    TooLong,
    WrongCurrent,
    SameAsNow,
    Throttled {
        wait_seconds: i64,
    },
}

impl FormError {
    /// The rule of `Password::parse` that `raw` breaks (the service's words are the API's).
    fn rule_broken_by(raw: &str) -> Self {
        if raw.chars().count() < Password::MIN {
            Self::TooShort
        } else {
            Self::TooLong
        }
    }

    fn text(&self, l: &Layout) -> String {
        match self {
            Self::Mismatch => l.t("password-mismatch"),
            Self::TooShort => l.t1("password-too-short", "count", Password::MIN),
            Self::TooLong => l.t1("password-too-long", "count", Password::MAX),
            Self::WrongCurrent => l.t("password-current-wrong"),
            Self::SameAsNow => l.t("password-same"),
            Self::Throttled { wait_seconds } => {
                l.t1("wait-passwords", "count", wait_minutes(*wait_seconds))
            }
        }
    }
}

/// Why `raw` is not a password `Password::parse` takes, in `layout`'s language (sign-up too).
pub fn password_rule(layout: &Layout, raw: &str) -> String {
    FormError::rule_broken_by(raw).text(layout)
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
        Forgot::Answered => Ok(notice(&state, StatusCode::OK, |l| Notice {
            heading: l.t("check-inbox-title"),
            paragraphs: vec![
                l.t2(
                    "forgot-check-inbox",
                    "email",
                    &shown,
                    "count",
                    RESET_MINUTES,
                ),
                l.t("forgot-no-mail"),
            ],
            link: "/signin",
            link_text: l.t("back-to-sign-in"),
        })),
        Forgot::Throttled { wait_seconds } => {
            let csrf = cookie(&headers, CSRF_COOKIE).unwrap_or_default();
            let layout = Layout::with_csrf(&state, &csrf);
            let error = layout.t1("wait-network", "count", wait_minutes(wait_seconds));
            Ok(render(
                StatusCode::TOO_MANY_REQUESTS,
                &ForgotPage {
                    layout,
                    email: &shown,
                    error: Some(error),
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
    error: Option<FormError>,
) -> Response {
    let layout = Layout::anonymous(state);
    let heading = layout.t("password-set-title");
    let button = layout.t("password-set-button");
    let hints = vec![
        layout.t("password-set-hint-sign-out"),
        layout.t("password-set-hint-2fa"),
    ];
    let error = error.map(|e| e.text(&layout));
    render(
        status,
        &PasswordPage {
            layout,
            heading: &heading,
            account: Some(account),
            action: "",
            username: String::new(),
            ask_current: false,
            button: &button,
            error,
            hints,
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
fn new_password(form: &NewPasswordForm) -> Result<Password, FormError> {
    if form.password != form.confirm {
        return Err(FormError::Mismatch);
    }
    Password::parse(form.password.clone()).map_err(|_| FormError::rule_broken_by(&form.password))
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
            SetWithLink::Done { device } => with_cookies(
                notice(&state, StatusCode::OK, |l| Notice {
                    heading: l.t("password-set-done-title"),
                    paragraphs: vec![l.t("password-set-done"), l.t("password-set-done-2fa")],
                    link: "/signin",
                    link_text: l.t("sign-in"),
                }),
                [super::session::device_cookie(&state, &device)],
            ),
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
    Ok(
        match password_life::confirm_email(&state, who.ip.clone(), token, form.password).await? {
            Confirmed::WrongPassword { account } => {
                let layout = Layout::anonymous(&state);
                let error = layout.t("confirm-wrong-password");
                render(
                    StatusCode::UNAUTHORIZED,
                    &ConfirmPage {
                        layout,
                        account,
                        error: Some(error),
                    },
                )
            }
            Confirmed::Throttled { wait_seconds } => {
                notice(&state, StatusCode::TOO_MANY_REQUESTS, |l| Notice {
                    heading: l.t("please-wait"),
                    paragraphs: vec![FormError::Throttled { wait_seconds }.text(l)],
                    link: "",
                    link_text: String::new(),
                })
            }
            Confirmed::Done { account } => notice(&state, StatusCode::OK, |l| Notice {
                heading: l.t("confirm-done-title"),
                paragraphs: vec![l.t1("confirm-done", "account", &account)],
                link: "/signin",
                link_text: l.t("sign-in"),
            }),
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
    error: Option<FormError>,
) -> Response {
    let layout = Layout::of(state, &v.session);
    let heading = layout.t("password-change-title");
    let button = layout.t("change-password");
    let back_text = layout.t("back-to-settings");
    let hints = vec![layout.t("password-change-hint")];
    let error = error.map(|e| e.text(&layout));
    render(
        status,
        &PasswordPage {
            layout,
            heading: &heading,
            account: None,
            action: "/settings/password",
            username: email,
            ask_current: true,
            button: &button,
            error,
            hints,
            back: "/settings",
            back_text: &back_text,
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
        |status, error: FormError| change_form(&state, &v, status, o.email.clone(), Some(error));
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
            Change::WrongPassword => again(StatusCode::UNAUTHORIZED, FormError::WrongCurrent),
            Change::SamePassword => again(StatusCode::UNPROCESSABLE_ENTITY, FormError::SameAsNow),
            Change::Throttled { wait_seconds } => again(
                StatusCode::TOO_MANY_REQUESTS,
                FormError::Throttled { wait_seconds },
            ),
        },
    )
}
