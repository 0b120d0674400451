//! The customer portal's sign-up, sign-in with a second step, sign-out and security settings.
//! Sessions live in the database (`services::sessions`); every form carries a CSRF token (the
//! session's, or before sign-in a double-submit cookie); pages work without JavaScript.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use subtle::ConstantTimeEq;

use super::html;
use crate::domain::clock::naive;
use crate::domain::mail::method_label;
use crate::domain::newtypes::{Email, Password};
use crate::error::{Error, INVALID_CODE_MESSAGE};
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::services::compliance;
use crate::services::sessions::{self, Session, Stage};
use crate::services::{Actor, RequestContext};
use crate::state::AppState;

const SESSION_COOKIE: &str = "kw_session";
const CSRF_COOKIE: &str = "kw_csrf";

pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.settings.server.base_url.scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("kw_invalid=1"))
}

pub(super) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

pub(super) fn with_cookies(mut resp: Response, cookies: Vec<HeaderValue>) -> Response {
    for c in cookies {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

pub(super) fn ctx_for(user_id: Option<&str>, peer: SocketAddr) -> RequestContext {
    let actor = match user_id {
        Some(u) => Actor::User(u.to_owned()),
        None => Actor::System,
    };
    RequestContext::new(actor, Some(peer.ip().to_string()))
}

pub(super) fn message_page(
    state: &AppState,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> Response {
    html(
        status,
        &MessagePage {
            issuer: &state.settings.server.issuer,
            signed_in: false,
            nav_role: "",
            csrf: "",
            heading,
            message,
            link: "/signin",
            link_text: "Go to sign-in",
        },
    )
}

pub(super) fn error_page(state: &AppState, e: &Error) -> Response {
    tracing::error!(error = %e, "portal");
    message_page(
        state,
        StatusCode::SERVICE_UNAVAILABLE,
        "Something went wrong",
        "Something went wrong on our side. Please try again in a moment.",
    )
}

#[derive(Template)]
#[template(path = "portal/message.html")]
struct MessagePage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    heading: &'a str,
    message: &'a str,
    link: &'a str,
    link_text: &'a str,
}

#[derive(Template)]
#[template(path = "portal/signin.html")]
struct SigninPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    email: &'a str,
    error: Option<&'a str>,
    open_registration: bool,
}

#[derive(Template)]
#[template(path = "portal/signup.html")]
struct SignupPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    email: &'a str,
    email_error: Option<String>,
    password_error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/second_step.html")]
struct SecondStepPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    prompt: &'a str,
    inputmode: &'a str,
    options: Vec<&'static str>,
    error: Option<String>,
    security_key: bool,
    /// None of the user's factors meets the policy any more: this step only leads to adding one.
    upgrade: bool,
}

pub struct FactorLine {
    id: String,
    name: String,
    kind: &'static str,
    status: String,
    added: String,
    last_used: String,
}

#[derive(Template)]
#[template(path = "portal/settings.html")]
struct SettingsPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    email: &'a str,
    reported: bool,
    factors: Vec<FactorLine>,
    backup_remaining: i64,
    notice: Option<String>,
}

/// The session the request's cookie names, if valid.
pub(super) async fn current(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Session>, Error> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let now = state.clock.now();
    state
        .db
        .write(move |conn| sessions::resume(conn, now, &token))
        .await
}

/// A form's CSRF cookie: the one the browser has, or a new one to set.
fn anonymous_csrf(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, CSRF_COOKIE) {
        Some(c) => (c, false),
        None => (sessions::random_token(), true),
    }
}

pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match current(&state, &headers).await {
        Ok(Some(s)) => Redirect::to(stage_home(s.stage)).into_response(),
        Ok(None) => Redirect::to("/signin").into_response(),
        Err(e) => error_page(&state, &e),
    }
}

fn signin_form(
    state: &AppState,
    status: StatusCode,
    csrf: &str,
    new_cookie: bool,
    email: &str,
    error: Option<&str>,
) -> Response {
    let page = html(
        status,
        &SigninPage {
            issuer: &state.settings.server.issuer,
            signed_in: false,
            nav_role: "",
            csrf,
            email,
            error,
            open_registration: state.settings.portal.open_registration,
        },
    );
    let cookies = if new_cookie {
        vec![set_cookie(state, CSRF_COOKIE, csrf, None)]
    } else {
        vec![]
    };
    with_cookies(page, cookies)
}

pub async fn signin_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (csrf, new) = anonymous_csrf(&headers);
    signin_form(&state, StatusCode::OK, &csrf, new, "", None)
}

#[derive(serde::Deserialize)]
pub struct SigninForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn signin_submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SigninForm>,
) -> Response {
    let Some(csrf) = cookie(&headers, CSRF_COOKIE).filter(|c| same(c, &form.csrf)) else {
        return message_page(
            &state,
            StatusCode::FORBIDDEN,
            "Please try again",
            "This form expired or did not come from this site. Open the sign-in page and try again.",
        );
    };
    let email_shown: String = form.email.chars().take(254).collect();
    let ip = peer.ip().to_string();
    let now = naive(state.clock.now());
    let normalized = Email::parse(&form.email).ok().map(|e| e.normalized());
    let lookup = {
        let ip = ip.clone();
        state
            .db
            .write(move |conn| {
                let blocked = sessions::reserve_attempt(conn, now, &ip)?;
                let user = match normalized {
                    Some(n) => crate::db::models::UserRow::find_by_email(conn, &n)?,
                    None => None,
                };
                Ok::<_, Error>((blocked, user))
            })
            .await
    };
    let (blocked, user) = match lookup {
        Ok(v) => v,
        Err(e) => return error_page(&state, &e),
    };
    if let Some(wait) = blocked {
        let minutes = (wait + 59) / 60;
        let msg = format!(
            "Too many failed sign-ins from your network. Try again in {minutes} minute{}.",
            if minutes == 1 { "" } else { "s" }
        );
        return signin_form(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &csrf,
            false,
            &email_shown,
            Some(&msg),
        );
    }
    // Unknown email and wrong password take the same time and get the same answer.
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = match crate::services::passwords::verify(&state, stored, form.password).await {
        Ok(ok) => ok,
        Err(e) => return error_page(&state, &e),
    };
    let known_id = user.as_ref().map(|u| u.id.clone());
    let Some(user) = user.filter(|_| ok) else {
        let user_id = known_id;
        let ctx = ctx_for(None, peer);
        let result = state
            .db
            .write(move |conn| {
                // The attempt was counted before the password check.
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "login.failed",
                        ctx: &ctx,
                        user_id: user_id.as_deref(),
                        factor_id: None,
                        details: serde_json::json!({ "reason": "wrong_email_or_password" }),
                    },
                )?;
                Ok::<_, Error>(())
            })
            .await;
        if let Err(e) = result {
            return error_page(&state, &e);
        }
        return signin_form(
            &state,
            StatusCode::UNAUTHORIZED,
            &csrf,
            false,
            &email_shown,
            Some("The email or password is not correct."),
        );
    };
    let previous = cookie(&headers, SESSION_COOKIE).map(|t| sessions::hash_token(&t));
    let ctx = ctx_for(Some(&user.id), peer);
    let started = state
        .db
        .write(move |conn| {
            sessions::release_attempt(conn, &ip)?;
            let policy = crate::services::policy::load(conn)?;
            // The record is brought up to date here too, so a grace period always has a start.
            let since = compliance::refresh_user(conn, &policy, &user.id, now, false)?;
            let active = crate::db::models::FactorRow::active_for_user(conn, &user.id)?;
            let compliant = active.iter().any(|f| compliance::row_complies(&policy, f));
            // A user with a factor the policy accepts owes it. One whose factors the policy no
            // longer accepts owes one of those (or a backup code) before they may add a new
            // one: the second step, in its "before enrollment" form. One with no factor at all
            // is sent to enroll with the password alone (they never had more). Both until the
            // grace period ends; refused after.
            let (stage, enroll_by) = match compliance::standing(&policy, compliant, since, now) {
                _ if compliant => (Stage::SecondStep, None),
                compliance::Standing::Overdue { since } => {
                    record_audit_event(
                        conn,
                        now,
                        AuditRecord {
                            event: "login.refused",
                            ctx: &ctx,
                            user_id: Some(&user.id),
                            factor_id: None,
                            details: serde_json::json!({ "reason": "enrollment_overdue", "enroll_by": crate::domain::clock::rfc3339(since) }),
                        },
                    )?;
                    return Ok(SignIn::Overdue { since, methods: policy.allowed_methods.clone() });
                }
                _ if !active.is_empty() => (Stage::SecondStep, None),
                compliance::Standing::MustEnroll { by } => (Stage::Enroll, Some(by)),
                compliance::Standing::Compliant => (Stage::Full, None),
            };
            let token = sessions::start(conn, now, &user.id, stage, previous.as_deref())?;
            if stage != Stage::SecondStep {
                if stage == Stage::Enroll {
                    // The password was just entered: adding a factor needs no second prompt.
                    sessions::grant_sudo(conn, &sessions::hash_token(&token), now)?;
                }
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "login.succeeded",
                        ctx: &ctx,
                        user_id: Some(&user.id),
                        factor_id: None,
                        details: if stage == Stage::Enroll {
                            serde_json::json!({ "second_factor": null, "enrollment_required": true,
                                "enroll_by": enroll_by.map(crate::domain::clock::rfc3339) })
                        } else {
                            serde_json::json!({ "second_factor": null })
                        },
                    },
                )?;
            }
            Ok::<_, Error>(SignIn::Started { token, stage })
        })
        .await;
    match started {
        Ok(SignIn::Started { token, stage }) => with_cookies(
            Redirect::to(stage_home(stage)).into_response(),
            vec![set_cookie(&state, SESSION_COOKIE, &token, None)],
        ),
        Ok(SignIn::Overdue { since, methods }) => message_page(
            &state,
            StatusCode::FORBIDDEN,
            "Two-factor authentication is required",
            &format!(
                "Your organisation requires a second factor ({}) for your account, and the time to add one ended on {}. Contact support to get access again.",
                methods
                    .iter()
                    .map(|m| method_label(m.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
                since.format("%-d %B %Y")
            ),
        ),
        Err(e) => error_page(&state, &e),
    }
}

enum SignIn {
    Started {
        token: String,
        stage: Stage,
    },
    Overdue {
        since: chrono::NaiveDateTime,
        methods: Vec<crate::domain::newtypes::FactorKind>,
    },
}

/// Where a session of this stage belongs.
pub(super) fn stage_home(stage: Stage) -> &'static str {
    match stage {
        Stage::Full => "/settings",
        Stage::SecondStep => "/signin/verify",
        Stage::Enroll => "/settings/add",
    }
}

fn second_step_page(
    state: &AppState,
    status: StatusCode,
    session: &Session,
    kinds: &Kinds,
    error: Option<String>,
) -> Response {
    let Kinds {
        kinds,
        upgrade,
        can_enroll,
    } = kinds;
    // The policy accepts none of these factors: a security key cannot be offered (the ceremony
    // only asks for accepted ones), and the page says what comes next when something can be added.
    let offer_key = !*upgrade;
    let upgrade = *upgrade && *can_enroll;
    let has = |k: &str| kinds.iter().any(|x| x == k);
    let prompt = if has("totp") {
        "Enter the 6-digit code from your authenticator app"
    } else if has("yubikey_otp") {
        "Touch your YubiKey"
    } else {
        "Enter a backup code"
    };
    let mut options = Vec::new();
    if has("totp") {
        options.push("Enter the 6-digit code from your authenticator app");
    }
    if has("yubikey_otp") {
        options.push("Touch your YubiKey (with the cursor in the field)");
    }
    if has("webauthn") && offer_key {
        options.push("Use your security key");
    }
    options.push("Use a backup code");
    html(
        status,
        &SecondStepPage {
            issuer: &state.settings.server.issuer,
            signed_in: false,
            nav_role: "",
            csrf: &session.csrf_token,
            prompt,
            // Backup codes have letters: never a numbers-only keyboard here.
            inputmode: "text",
            options,
            error,
            // A security key the policy no longer accepts cannot be offered (the ceremony
            // only asks for accepted ones): such a user confirms with a backup code.
            security_key: has("webauthn") && offer_key,
            upgrade,
        },
    )
}

/// The kinds of factor the second step offers: the ones the policy accepts; or, when none of
/// the user's factors is accepted any more, all of them (`upgrade`: the step then leads only to
/// adding a factor).
struct Kinds {
    kinds: Vec<String>,
    upgrade: bool,
    /// The policy allows some method to be added (it may allow none).
    can_enroll: bool,
}

async fn active_kinds(state: &AppState, user_id: String) -> Result<Kinds, Error> {
    state
        .db
        .read(move |conn| {
            let policy = crate::services::policy::load(conn)?;
            let compliant = compliance::compliant_factors(conn, &policy, &user_id)?;
            if !compliant.is_empty() {
                return Ok(Kinds {
                    kinds: compliant.into_iter().map(|f| f.kind).collect(),
                    upgrade: false,
                    can_enroll: true,
                });
            }
            Ok::<_, Error>(Kinds {
                kinds: crate::db::models::FactorRow::active_for_user(conn, &user_id)?
                    .into_iter()
                    .map(|f| f.kind)
                    .collect(),
                upgrade: true,
                can_enroll: !policy.allowed_methods.is_empty(),
            })
        })
        .await
}

pub async fn verify_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let session = match current(&state, &headers).await {
        Ok(Some(s)) if s.stage == Stage::SecondStep => s,
        Ok(Some(s)) => return Redirect::to(stage_home(s.stage)).into_response(),
        Ok(None) => return Redirect::to("/signin").into_response(),
        Err(e) => return error_page(&state, &e),
    };
    match active_kinds(&state, session.user_id.clone()).await {
        Ok(kinds) => second_step_page(&state, StatusCode::OK, &session, &kinds, None),
        Err(e) => error_page(&state, &e),
    }
}

#[derive(serde::Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

pub async fn verify_submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let session = match current(&state, &headers).await {
        Ok(Some(s)) if s.stage == Stage::SecondStep => s,
        Ok(Some(s)) => return Redirect::to(stage_home(s.stage)).into_response(),
        Ok(None) => return Redirect::to("/signin").into_response(),
        Err(e) => return error_page(&state, &e),
    };
    if !same(&session.csrf_token, &form.csrf) {
        return message_page(
            &state,
            StatusCode::FORBIDDEN,
            "Please try again",
            "This form expired or did not come from this site. Sign in again.",
        );
    }
    let code: String = form
        .code
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(128)
        .collect();
    let ctx = ctx_for(Some(&session.user_id), peer);
    let (upgrade, can_enroll) = match active_kinds(&state, session.user_id.clone()).await {
        Ok(k) => (k.upgrade, k.can_enroll),
        Err(e) => return error_page(&state, &e),
    };
    let verdict = if upgrade {
        crate::services::verify::verify_before_enrollment(
            &state,
            ctx.clone(),
            session.user_id.clone(),
            code,
        )
        .await
    } else {
        crate::services::verify::verify_second_factor(
            &state,
            ctx.clone(),
            session.user_id.clone(),
            code,
            None,
        )
        .await
    };
    let error = match verdict {
        Ok(v) => Some(v.method.as_str().to_owned()),
        Err(Error::NoSecondFactor) => {
            // The factors went away during sign-in: start again rather than let a
            // half-signed-in session through.
            let hash = session.token_hash.clone();
            let _ = state
                .db
                .write(move |conn| Ok::<_, Error>(sessions::end(conn, &hash)?))
                .await;
            return with_cookies(
                Redirect::to("/signin").into_response(),
                vec![set_cookie(&state, SESSION_COOKIE, "", Some(0))],
            );
        }
        Err(Error::InvalidCode) => {
            return retry_second_step(&state, &session, INVALID_CODE_MESSAGE.into()).await;
        }
        Err(Error::TooManyAttempts { retry_after }) => {
            let minutes = retry_after.div_ceil(60);
            let msg = format!(
                "Too many wrong codes. For your security, sign-in is paused: try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            );
            return retry_second_step(&state, &session, msg).await;
        }
        Err(Error::PolicyViolation(m)) => return retry_second_step(&state, &session, m).await,
        Err(e) => return error_page(&state, &e),
    };
    // Signed in (or, before enrollment, allowed to add a factor): a new session (new token)
    // replaces the half-signed-in one.
    // A policy that allows no method at all (and so cannot require one) leaves nothing to add:
    // the factor just passed signs the user in as before.
    let stage = if upgrade && can_enroll {
        Stage::Enroll
    } else {
        Stage::Full
    };
    let started = start_session(
        &state,
        session.user_id.clone(),
        Some(session.token_hash.clone()),
        ctx,
        stage,
        if stage == Stage::Enroll {
            serde_json::json!({ "second_factor": error, "enrollment_required": true })
        } else {
            serde_json::json!({ "second_factor": error })
        },
    )
    .await;
    match started {
        Ok(token) => with_cookies(
            Redirect::to(stage_home(stage)).into_response(),
            vec![set_cookie(&state, SESSION_COOKIE, &token, None)],
        ),
        Err(e) => error_page(&state, &e),
    }
}

async fn retry_second_step(state: &AppState, session: &Session, message: String) -> Response {
    match active_kinds(state, session.user_id.clone()).await {
        Ok(kinds) => second_step_page(
            state,
            StatusCode::UNPROCESSABLE_ENTITY,
            session,
            &kinds,
            Some(message),
        ),
        Err(e) => error_page(state, &e),
    }
}

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn signout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Ok(Some(s)) = current(&state, &headers).await {
        if !same(&s.csrf_token, &form.csrf) {
            return message_page(
                &state,
                StatusCode::FORBIDDEN,
                "Please try again",
                "This form expired or did not come from this site.",
            );
        }
        let hash = s.token_hash.clone();
        if let Err(e) = state
            .db
            .write(move |conn| Ok::<_, Error>(sessions::end(conn, &hash)?))
            .await
        {
            return error_page(&state, &e);
        }
    }
    with_cookies(
        Redirect::to("/signin").into_response(),
        vec![set_cookie(&state, SESSION_COOKIE, "", Some(0))],
    )
}

#[derive(serde::Deserialize, Default)]
pub struct SettingsQuery {
    notice: Option<String>,
}

fn notice_text(key: Option<&str>) -> Option<String> {
    match key {
        Some("removed") => {
            Some("The factor was removed. A confirmation email is on its way.".into())
        }
        Some("added") => {
            Some("The second factor is active. A confirmation email is on its way.".into())
        }
        _ => None,
    }
}

pub async fn settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<SettingsQuery>,
) -> Response {
    let session = match current(&state, &headers).await {
        Ok(Some(s)) if s.stage == Stage::Full => s,
        Ok(Some(s)) => return Redirect::to(stage_home(s.stage)).into_response(),
        Ok(None) => return Redirect::to("/signin").into_response(),
        Err(e) => return error_page(&state, &e),
    };
    let user_id = session.user_id.clone();
    let now = naive(state.clock.now());
    let loaded = state
        .db
        .read(move |conn| {
            let user = crate::services::users::load(conn, &user_id)?;
            let factors = crate::db::models::FactorRow::list_for_user(conn, &user.id, now)?;
            let remaining = crate::services::backup_codes::remaining(conn, &user.id)?;
            Ok::<_, Error>((user, factors, remaining))
        })
        .await;
    let (user, factors, remaining) = match loaded {
        Ok(v) => v,
        Err(e) => return error_page(&state, &e),
    };
    let day = |t: chrono::NaiveDateTime| t.format("%-d %b %Y").to_string();
    let lines = factors
        .iter()
        .map(|f| FactorLine {
            id: f.id.clone(),
            name: f.name.clone(),
            kind: method_label(&f.kind),
            status: if f.status == "active" {
                "Active".into()
            } else {
                "Pending".into()
            },
            added: day(f.created_at),
            last_used: f.last_used_at.map(day).unwrap_or_else(|| "Never".into()),
        })
        .collect();
    html(
        StatusCode::OK,
        &SettingsPage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            nav_role: &session.role,
            csrf: &session.csrf_token,
            email: &user.email,
            // Frozen until a support reset lifts it (the report itself stays in the history).
            reported: user.factors_frozen_at.is_some(),
            factors: lines,
            backup_remaining: remaining,
            notice: notice_text(query.notice.as_deref()),
        },
    )
}

/// After an enrolling session (`Stage::Enroll`) activated `factor_id`: when the factor meets the
/// policy, that session is replaced by a signed-in one (new token, `login.succeeded` with the
/// factor), which keeps sudo mode. Only the session that added the factor is promoted, never
/// another one of the same user. Returns the session to render with and the cookies to set.
pub(super) async fn after_activation(
    state: &AppState,
    session: Session,
    factor_id: &str,
    peer: SocketAddr,
) -> Result<(Session, Vec<HeaderValue>), Error> {
    if session.stage != Stage::Enroll {
        return Ok((session, Vec::new()));
    }
    let now = naive(state.clock.now());
    let ctx = ctx_for(Some(&session.user_id), peer);
    let (user_id, previous, factor_id) = (
        session.user_id.clone(),
        session.token_hash.clone(),
        factor_id.to_owned(),
    );
    let token = state
        .db
        .write(move |conn| {
            let policy = crate::services::policy::load(conn)?;
            let complies =
                crate::db::models::FactorRow::find_for_user(conn, &user_id, &factor_id, now)?
                    .is_some_and(|f| compliance::row_complies(&policy, &f));
            if !complies {
                return Ok::<_, Error>(None);
            }
            let token = sessions::start(conn, now, &user_id, Stage::Full, Some(&previous))?;
            sessions::grant_sudo(conn, &sessions::hash_token(&token), now)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "login.succeeded",
                    ctx: &ctx,
                    user_id: Some(&user_id),
                    factor_id: Some(&factor_id),
                    details: serde_json::json!({ "second_factor": "enrolled" }),
                },
            )?;
            Ok(Some(token))
        })
        .await?;
    let Some(token) = token else {
        return Ok((session, Vec::new()));
    };
    let now_dt = state.clock.now();
    let resumed = {
        let token = token.clone();
        state
            .db
            .write(move |conn| sessions::resume(conn, now_dt, &token))
            .await?
    };
    let fresh =
        resumed.ok_or_else(|| Error::internal(anyhow::anyhow!("a new session vanished")))?;
    Ok((fresh, vec![set_cookie(state, SESSION_COOKIE, &token, None)]))
}

fn signup_closed(state: &AppState) -> Response {
    message_page(
        state,
        StatusCode::NOT_FOUND,
        "Sign-up is closed",
        "Accounts on this server are created by its operators. Ask them for one.",
    )
}

pub async fn signup_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.settings.portal.open_registration {
        return signup_closed(&state);
    }
    let (csrf, new) = anonymous_csrf(&headers);
    let page = html(
        StatusCode::OK,
        &SignupPage {
            issuer: &state.settings.server.issuer,
            signed_in: false,
            nav_role: "",
            csrf: &csrf,
            email: "",
            email_error: None,
            password_error: None,
        },
    );
    with_cookies(
        page,
        if new {
            vec![set_cookie(&state, CSRF_COOKIE, &csrf, None)]
        } else {
            vec![]
        },
    )
}

pub async fn signup_submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SigninForm>,
) -> Response {
    if !state.settings.portal.open_registration {
        return signup_closed(&state);
    }
    let Some(csrf) = cookie(&headers, CSRF_COOKIE).filter(|c| same(c, &form.csrf)) else {
        return message_page(
            &state,
            StatusCode::FORBIDDEN,
            "Please try again",
            "This form expired or did not come from this site. Open the sign-up page and try again.",
        );
    };
    // Every sign-up counts against the address, like a failed sign-in: an open sign-up form
    // must not become an unlimited "does this email have an account?" oracle.
    let ip = peer.ip().to_string();
    let now = naive(state.clock.now());
    match state
        .db
        .write(move |conn| Ok::<_, Error>(sessions::reserve_attempt(conn, now, &ip)?))
        .await
    {
        Ok(None) => {}
        Ok(Some(wait)) => {
            let minutes = (wait + 59) / 60;
            return message_page(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                "Please wait",
                &format!("Too many attempts from your network. Try again in {minutes} minutes."),
            );
        }
        Err(e) => return error_page(&state, &e),
    }
    let email = Email::parse(&form.email);
    let password = Password::parse(form.password);
    let shown: String = form.email.chars().take(254).collect();
    let (email, password) = match (email, password) {
        (Ok(e), Ok(p)) => (e, p),
        (e, p) => {
            return html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SignupPage {
                    issuer: &state.settings.server.issuer,
                    signed_in: false,
                    nav_role: "",
                    csrf: &csrf,
                    email: &shown,
                    email_error: e.err(),
                    password_error: p.err(),
                },
            );
        }
    };
    let ctx = ctx_for(None, peer);
    let created = crate::services::users::create_user(
        &state,
        ctx,
        crate::services::users::NewUser {
            email,
            display_name: None,
            password: Some(password),
            role: crate::domain::newtypes::Role::Customer,
        },
    )
    .await;
    let user = match created {
        Ok(u) => u,
        Err(Error::Conflict(_)) => {
            // Said plainly: sign-up is open, so whether an address has an account is not secret
            // here (the same as any open sign-up form).
            return html(
                StatusCode::CONFLICT,
                &SignupPage {
                    issuer: &state.settings.server.issuer,
                    signed_in: false,
                    nav_role: "",
                    csrf: &csrf,
                    email: &shown,
                    email_error: Some(
                        "An account with this email already exists: sign in instead.".into(),
                    ),
                    password_error: None,
                },
            );
        }
        Err(e) => return error_page(&state, &e),
    };
    let ctx = ctx_for(Some(&user.id), peer);
    // Under a policy that requires two-factor authentication, a new account may only add a
    // factor until it has one.
    let stage = if user.noncompliant_since.is_some() {
        Stage::Enroll
    } else {
        Stage::Full
    };
    let started = start_session(
        &state,
        user.id.clone(),
        None,
        ctx,
        stage,
        serde_json::json!({ "second_factor": null, "after": "sign_up", "enrollment_required": stage == Stage::Enroll }),
    )
    .await;
    match started {
        Ok(token) => with_cookies(
            Redirect::to(stage_home(stage)).into_response(),
            vec![set_cookie(&state, SESSION_COOKIE, &token, None)],
        ),
        Err(e) => error_page(&state, &e),
    }
}

#[derive(serde::Deserialize)]
pub struct KeyStep {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    challenge_id: String,
    #[serde(default)]
    credential: serde_json::Value,
}

async fn second_step_session(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<Session, Error> {
    match current(state, headers).await? {
        Some(s) if s.stage == Stage::SecondStep && same(&s.csrf_token, csrf) => Ok(s),
        Some(s) if s.stage == Stage::SecondStep => {
            Err(Error::Forbidden("this page expired: sign in again".into()))
        }
        _ => Err(Error::Unauthorized),
    }
}

/// "Use your security key" at the second step: a challenge for the user's keys.
pub async fn verify_webauthn_start(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::api::extract::ApiJson(body): crate::api::extract::ApiJson<KeyStep>,
) -> Result<axum::Json<serde_json::Value>, Error> {
    let s = second_step_session(&state, &headers, &body.csrf).await?;
    let start = crate::services::webauthn::start_verification(&state, s.user_id.clone()).await?;
    Ok(axum::Json(
        serde_json::json!({ "challenge_id": start.challenge_id, "options": start.options }),
    ))
}

/// The key's answer: on success the session is replaced by a signed-in one.
pub async fn verify_webauthn_finish(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    crate::api::extract::ApiJson(body): crate::api::extract::ApiJson<KeyStep>,
) -> Result<Response, Error> {
    let s = second_step_session(&state, &headers, &body.csrf).await?;
    let ctx = ctx_for(Some(&s.user_id), peer);
    crate::services::webauthn::finish_verification(
        &state,
        ctx.clone(),
        s.user_id.clone(),
        body.challenge_id,
        body.credential,
    )
    .await?;
    let token = sign_in(
        &state,
        s.user_id.clone(),
        Some(s.token_hash.clone()),
        ctx,
        serde_json::json!({ "second_factor": "webauthn" }),
    )
    .await?;
    Ok(with_cookies(
        axum::Json(serde_json::json!({ "redirect": "/settings" })).into_response(),
        vec![set_cookie(&state, SESSION_COOKIE, &token, None)],
    ))
}

/// Replaces the session (`previous`, if any) with a signed-in one and records
/// `login.succeeded`; returns the new cookie token.
async fn sign_in(
    state: &AppState,
    user_id: String,
    previous: Option<String>,
    ctx: RequestContext,
    details: serde_json::Value,
) -> Result<String, Error> {
    start_session(state, user_id, previous, ctx, Stage::Full, details).await
}

/// `sign_in` for a stage: `Full`, or `Enroll` (the user may add a factor, in sudo mode: they
/// have just proved who they are).
async fn start_session(
    state: &AppState,
    user_id: String,
    previous: Option<String>,
    ctx: RequestContext,
    stage: Stage,
    details: serde_json::Value,
) -> Result<String, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            let token = sessions::start(conn, now, &user_id, stage, previous.as_deref())?;
            if stage == Stage::Enroll {
                sessions::grant_sudo(conn, &sessions::hash_token(&token), now)?;
            }
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "login.succeeded",
                    ctx: &ctx,
                    user_id: Some(&user_id),
                    factor_id: None,
                    details,
                },
            )?;
            Ok::<_, Error>(token)
        })
        .await
}
