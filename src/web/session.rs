//! Who is at the browser, as extractors: a handler names what it needs (`SignedIn`,
//! `SecondStep`, `Sudo`, `Staff<SecurityTeam>` …) and gets it, or the browser goes where it
//! belongs (sign-in, the second step, the password page) or sees a refusal. `CsrfForm<T>`
//! reads a form and checks its CSRF token: the session's, or before sign-in the double-submit
//! cookie's.

use std::marker::PhantomData;

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use super::page::PageError;
use crate::api::extract::client_ip;
use crate::domain::newtypes::Role;
use crate::error::Error;
use crate::services::sessions::{Session, Stage};
use crate::services::{Actor, RequestContext, sign_in};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "kw_session";
pub const CSRF_COOKIE: &str = "kw_csrf";

/// A cookie of the request, if present and of a sane length.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
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

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure behind https; `max_age` 0 deletes.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
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

/// The session cookie for a new session token.
/// The long-lived cookie of a browser that signed in before (`password_guard`).
pub fn device_cookie(state: &AppState, token: &str) -> HeaderValue {
    set_cookie(
        state,
        crate::services::password_guard::DEVICE_COOKIE,
        token,
        Some(crate::services::password_guard::DEVICE_DAYS * 86_400),
    )
}

pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    set_cookie(state, SESSION_COOKIE, token, None)
}

/// The header that ends the session cookie.
pub fn clear_session_cookie(state: &AppState) -> HeaderValue {
    set_cookie(state, SESSION_COOKIE, "", Some(0))
}

/// `resp` with these cookies set.
pub fn with_cookies(
    mut resp: Response,
    cookies: impl IntoIterator<Item = HeaderValue>,
) -> Response {
    for c in cookies {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

/// Constant-time comparison of two tokens.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Where a session of this stage belongs.
/// Where a page goes after a factor was added: back into a hand-off, or the settings.
pub fn after_added(session: &Session) -> &'static str {
    if session.handoff.is_some() {
        "/oauth2/authorize/resume"
    } else {
        "/settings?notice=added"
    }
}

/// "I have saved these codes": back into a hand-off, or the settings.
pub fn codes_saved(session: &Session) -> &'static str {
    if session.handoff.is_some() {
        "/oauth2/authorize/resume"
    } else {
        "/settings"
    }
}

pub fn stage_home(stage: Stage) -> &'static str {
    match stage {
        Stage::Full => "/settings",
        Stage::SecondStep => "/signin/verify",
        Stage::Enroll => "/settings/add",
    }
}

/// A request's session (if its cookie names a live one) and client address.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub session: Session,
    pub ip: Option<String>,
}

impl Visitor {
    pub fn user_id(&self) -> &str {
        &self.session.user_id
    }

    /// The audit context: this user, from this address.
    pub fn ctx(&self) -> RequestContext {
        RequestContext::new(Actor::User(self.session.user_id.clone()), self.ip.clone())
    }
}

/// The audit context of a request before sign-in.
#[derive(Debug, Clone)]
pub struct Anonymous {
    pub ip: Option<String>,
}

impl Anonymous {
    pub fn ctx(&self) -> RequestContext {
        RequestContext::new(Actor::System, self.ip.clone())
    }

    pub fn ctx_as(&self, user_id: &str) -> RequestContext {
        RequestContext::new(Actor::User(user_id.to_owned()), self.ip.clone())
    }

    pub fn ip(&self) -> String {
        self.ip.clone().unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Anonymous {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self {
            ip: client_ip(parts),
        })
    }
}

/// The session the cookie names, if any (resumed once per request, then kept in the request's
/// extensions for `CsrfForm`).
pub struct MaybeSession(pub Option<Visitor>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(v) = parts.extensions.get::<Visitor>() {
            return Ok(Self(Some(v.clone())));
        }
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(Self(None));
        };
        let visitor = sign_in::resume(state, token).await?.map(|session| Visitor {
            session,
            ip: client_ip(parts),
        });
        if let Some(v) = &visitor {
            parts.extensions.insert(v.clone());
        }
        Ok(Self(visitor))
    }
}

/// The session in one of `stages`, or a redirect to where its stage belongs.
async fn in_stage(
    parts: &mut Parts,
    state: &AppState,
    stages: &[Stage],
) -> Result<Visitor, PageError> {
    match MaybeSession::from_request_parts(parts, state).await?.0 {
        Some(v) if stages.contains(&v.session.stage) => Ok(v),
        Some(v) => Err(PageError::redirect(stage_home(v.session.stage))),
        None => Err(PageError::redirect("/signin")),
    }
}

macro_rules! visitor_newtype {
    ($name:ident) => {
        impl std::ops::Deref for $name {
            type Target = Visitor;
            fn deref(&self) -> &Visitor {
                &self.0
            }
        }
    };
}

/// Signed in: the password and the second step (or no factor owed).
pub struct SignedIn(pub Visitor);
visitor_newtype!(SignedIn);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(p: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        in_stage(p, state, &[Stage::Full]).await.map(Self)
    }
}

/// Signed in, or enrolling: the policy sent this user to add a factor after the password step.
pub struct SignedInOrEnrolling(pub Visitor);
visitor_newtype!(SignedInOrEnrolling);

impl FromRequestParts<AppState> for SignedInOrEnrolling {
    type Rejection = PageError;

    async fn from_request_parts(p: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        in_stage(p, state, &[Stage::Full, Stage::Enroll])
            .await
            .map(Self)
    }
}

/// The password was right; the second factor is owed.
pub struct SecondStep(pub Visitor);
visitor_newtype!(SecondStep);

impl FromRequestParts<AppState> for SecondStep {
    type Rejection = PageError;

    async fn from_request_parts(p: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        in_stage(p, state, &[Stage::SecondStep]).await.map(Self)
    }
}

fn sudo_valid(state: &AppState, s: &Session) -> bool {
    let now = crate::domain::clock::naive(state.clock.now());
    s.sudo_until.is_some_and(|u| u > now)
}

/// The password page, coming back to `next` once confirmed.
fn to_sudo(next: &str) -> PageError {
    let target = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    PageError::redirect(format!("/settings/sudo?{target}"))
}

/// Sudo mode (the password re-entered within the last minutes) in a signed-in or enrolling
/// session, for adding a factor; otherwise the password page, which comes back here.
pub struct Sudo(pub Visitor);
visitor_newtype!(Sudo);

impl FromRequestParts<AppState> for Sudo {
    type Rejection = PageError;

    async fn from_request_parts(p: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let v = in_stage(p, state, &[Stage::Full, Stage::Enroll]).await?;
        if sudo_valid(state, &v.session) {
            Ok(Self(v))
        } else {
            Err(to_sudo(p.uri.path()))
        }
    }
}

/// Sudo mode in a fully signed-in session, for changes other than adding a factor (removing
/// one, new backup codes): an enrolling session is sent back to "Add a second factor".
pub struct SignedInSudo(pub Visitor);
visitor_newtype!(SignedInSudo);

impl FromRequestParts<AppState> for SignedInSudo {
    type Rejection = PageError;

    async fn from_request_parts(p: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let v = in_stage(p, state, &[Stage::Full, Stage::Enroll]).await?;
        if !sudo_valid(state, &v.session) {
            return Err(to_sudo("/settings"));
        }
        if v.session.stage == Stage::Enroll {
            return Err(PageError::redirect("/settings/add"));
        }
        Ok(Self(v))
    }
}

/// The roles a staff page admits, and what others are told.
pub trait StaffRoles: Send + Sync {
    const ROLES: &'static [Role];
    const REFUSAL: &'static str;
}

/// Support and security staff: the support console.
pub struct SupportDesk;

impl StaffRoles for SupportDesk {
    const ROLES: &'static [Role] = &[Role::Support, Role::Security];
    const REFUSAL: &'static str = "The support console is for support and security staff.";
}

/// The security team: policy, compliance, the audit log.
pub struct SecurityTeam;

impl StaffRoles for SecurityTeam {
    const ROLES: &'static [Role] = &[Role::Security];
    const REFUSAL: &'static str = "The audit log is for the security team.";
}

/// A signed-in user with one of `R`'s roles. Anyone else signed in gets a 403 page, and the
/// attempt is audited (`access.denied`).
pub struct Staff<R: StaffRoles>(pub Visitor, PhantomData<R>);

impl<R: StaffRoles> std::ops::Deref for Staff<R> {
    type Target = Visitor;
    fn deref(&self) -> &Visitor {
        &self.0
    }
}

impl<R: StaffRoles> FromRequestParts<AppState> for Staff<R> {
    type Rejection = PageError;

    async fn from_request_parts(p: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let v = in_stage(p, state, &[Stage::Full]).await?;
        // The role is read with the session, from the user's row, on every request.
        if R::ROLES.contains(&v.session.role) {
            return Ok(Self(v, PhantomData));
        }
        crate::services::audit::access_denied(
            state,
            v.ctx(),
            v.session.user_id.clone(),
            p.uri.path().to_owned(),
            v.session.role,
        )
        .await?;
        Err(PageError::message(
            StatusCode::FORBIDDEN,
            "Not available",
            R::REFUSAL,
        ))
    }
}

/// A form whose `csrf` field must match the session's token (when a session extractor ran
/// before it) or, before sign-in, the double-submit cookie. A mismatch is the "please try
/// again" page.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let expected = match req.extensions().get::<Visitor>() {
            Some(v) => Some(v.session.csrf_token.clone()),
            None => cookie(req.headers(), CSRF_COOKIE),
        };
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::middleware::BODY_LIMIT)
            .await
            .map_err(|_| {
                PageError::message(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "This form is too large",
                    "Go back and try again.",
                )
            })?;
        let sent = url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        if !expected.is_some_and(|e| same(&e, &sent)) {
            return Err(PageError::forged());
        }
        let req = Request::from_parts(parts, Body::from(bytes));
        let axum::Form(form) = axum::Form::<T>::from_request(req, state)
            .await
            .map_err(|r| {
                PageError::message(
                    StatusCode::BAD_REQUEST,
                    "This form could not be read",
                    r.body_text(),
                )
            })?;
        Ok(Self(form))
    }
}

/// A form before sign-in: its CSRF cookie (the browser's, or a new one to set).
pub fn anonymous_csrf(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, CSRF_COOKIE) {
        Some(c) => (c, false),
        None => (crate::services::sessions::random_token(), true),
    }
}

/// A page before sign-in, with the CSRF cookie set when the browser had none.
pub fn with_csrf_cookie(state: &AppState, resp: Response, csrf: &str, new: bool) -> Response {
    if new {
        with_cookies(resp, [set_cookie(state, CSRF_COOKIE, csrf, None)])
    } else {
        resp
    }
}

/// The JSON steps of the WebAuthn ceremonies answer in the API's error shape: the session in
/// one of `stages`, with the page's CSRF token (and sudo mode, if `sudo`).
pub fn json_session(
    state: &AppState,
    visitor: Option<Visitor>,
    stages: &[Stage],
    csrf: &str,
    sudo: bool,
) -> Result<Visitor, Error> {
    let v = visitor
        .filter(|v| stages.contains(&v.session.stage))
        .ok_or(Error::Unauthorized)?;
    if !same(&v.session.csrf_token, csrf) {
        return Err(Error::Forbidden(
            "this page expired: reload it and try again".into(),
        ));
    }
    if sudo && !sudo_valid(state, &v.session) {
        return Err(Error::Forbidden(
            "confirm your password again: reload the page".into(),
        ));
    }
    Ok(v)
}

/// A redirect answer.
pub fn redirect(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}

impl Visitor {
    /// Sudo mode, or the password page that comes back to `next` (for staff actions of high
    /// impact: a reset, a policy change).
    pub fn require_sudo(&self, state: &AppState, next: &str) -> Result<(), PageError> {
        if sudo_valid(state, &self.session) {
            Ok(())
        } else {
            Err(to_sudo(next))
        }
    }
}
