//! The OpenID Provider's endpoints: discovery, JWKS, the authorization endpoint (both ways in),
//! the way back to the client (`resume`, `cancel`), the token endpoint and userinfo. The steps
//! in between are the portal's own pages, reached with a session tied to the authorization.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::page::{Layout, PageError, render};
use super::session::{
    Anonymous, MaybeSession, SESSION_COOKIE, cookie, redirect, session_cookie, set_cookie,
    with_cookies,
};
use crate::services::oidc::{self, AuthorizeParams, Authorized, Next, OAuthError, TokenForm};
use crate::services::sessions::hash_token;
use crate::state::AppState;

/// The cookie that ties a sign-in at Keyward (way 2) to its authorization.
pub const HANDOFF_COOKIE: &str = "kw_handoff";

#[derive(Template)]
#[template(path = "portal/oidc_error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    message: &'a str,
}

fn error_page(layout: Layout, status: StatusCode, message: &str) -> Response {
    render(status, &ErrorPage { layout, message })
}

/// `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0).
pub async fn discovery(State(state): State<AppState>) -> Result<Response, PageError> {
    let issuer = oidc::issuer(&state);
    let doc = serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth2/authorize"),
        "token_endpoint": format!("{issuer}/oauth2/token"),
        "jwks_uri": format!("{issuer}/oauth2/jwks"),
        "userinfo_endpoint": format!("{issuer}/oauth2/userinfo"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "request_parameter_supported": true,
        "request_uri_parameter_supported": false,
        "request_object_signing_alg_values_supported": ["HS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr", "email", "email_verified", "kw_action", "kw_method"],
        "acr_values_supported": ["2fa", "hardware"],
        "ui_locales_supported": crate::domain::i18n::Locale::ALL.map(|l| l.tag()),
        "authorization_response_iss_parameter_supported": true,
        "claims_parameter_supported": false,
    });
    Ok(public_json(Json(doc).into_response()))
}

/// Discovery and keys may be cached briefly by clients (they change only at a rotation).
fn public_json(mut resp: Response) -> Response {
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    resp
}

/// `GET /oauth2/jwks`: every key whose ID tokens may still be valid.
pub async fn jwks(State(state): State<AppState>) -> Result<Response, PageError> {
    let set = oidc::signing::jwks(&state).await?;
    Ok(public_json(Json(set).into_response()))
}

/// `GET /oauth2/authorize` (the query) and `POST` (a form, OIDC Core §3.1.2.1).
#[tracing::instrument(skip_all)]
pub async fn authorize_get(
    State(state): State<AppState>,
    who: Anonymous,
    headers: HeaderMap,
    Query(p): Query<AuthorizeParams>,
) -> Result<Response, PageError> {
    authorize(state, who, headers, p).await
}

#[tracing::instrument(skip_all)]
pub async fn authorize_post(
    State(state): State<AppState>,
    who: Anonymous,
    headers: HeaderMap,
    axum::Form(p): axum::Form<AuthorizeParams>,
) -> Result<Response, PageError> {
    authorize(state, who, headers, p).await
}

async fn authorize(
    state: AppState,
    who: Anonymous,
    headers: HeaderMap,
    p: AuthorizeParams,
) -> Result<Response, PageError> {
    let previous = cookie(&headers, SESSION_COOKIE).map(|t| hash_token(&t));
    Ok(match oidc::authorize(&state, who.ip, previous, p).await? {
        Authorized::BadClient(message) => {
            error_page(Layout::anonymous(&state), StatusCode::BAD_REQUEST, &message)
        }
        Authorized::Refused(url) => redirect(&url),
        Authorized::HandOff { token, next } => {
            with_cookies(redirect(&next), [session_cookie(&state, &token)])
        }
        Authorized::SignIn { browser_token } => with_cookies(
            redirect("/signin"),
            [set_cookie(
                &state,
                HANDOFF_COOKIE,
                &browser_token,
                Some(oidc::AUTHORIZATION_MINUTES * 60),
            )],
        ),
    })
}

#[derive(Template)]
#[template(path = "portal/oidc_return.html")]
struct ReturnPage<'a> {
    /// Its language and the issuer; the page has no navigation of its own.
    layout: Layout,
    client: &'a str,
    url: &'a str,
    ok: bool,
}

/// Back to the client through a page that navigates on its own: a redirect at the end of a
/// chain that began with one of our forms would be held to `form-action 'self'` by the
/// browser, and the client's address is not ours.
fn to_client(layout: Layout, client: &str, url: &str) -> Response {
    let ok = url.contains("code=");
    render(
        StatusCode::OK,
        &ReturnPage {
            layout,
            client,
            url,
            ok,
        },
    )
}

/// The next step, its page in `layout`'s language (the one the hand-off's pages spoke).
fn to_next(layout: Layout, next: Next) -> Response {
    match next {
        Next::Page(p) => redirect(p),
        Next::Client { url, client } => to_client(layout, &client, &url),
        Next::Gone => error_page(
            layout,
            StatusCode::GONE,
            "This sign-in has already ended or took too long. Go back to the application you came from and start again.",
        ),
    }
}

/// The language of a hand-off's last page: the session's (the user's, else the client's
/// `ui_locales`, else the browser's), else for a browser still at Keyward's sign-in (its
/// hand-off cookie) the client's `ui_locales`, else the browser's.
async fn handoff_layout(
    state: &AppState,
    session: Option<&crate::services::sessions::Session>,
    browser_token: Option<&str>,
) -> Result<Layout, PageError> {
    let mut layout = match session {
        Some(s) => Layout::of(state, s),
        None => Layout::anonymous(state),
    };
    if session.is_none_or(|s| s.handoff.is_none() && s.locale.is_none())
        && let Some(b) = browser_token
        && let Some((_, ui_locales)) = oidc::signin_for(state, b.to_owned()).await?
    {
        layout.prefer(ui_locales.as_deref());
    }
    Ok(layout)
}

#[derive(serde::Deserialize, Default)]
pub struct ResumeQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /oauth2/authorize/resume`: the next page of the hand-off, or back to the client.
#[tracing::instrument(skip_all)]
pub async fn resume(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    Query(q): Query<ResumeQuery>,
) -> Result<Response, PageError> {
    let Some(v) = s else {
        return Ok(to_next(Layout::anonymous(&state), Next::Gone));
    };
    let Some(h) = v.session.handoff.clone() else {
        return Ok(redirect("/settings"));
    };
    // Taken before `resume`, which ends the hand-off (and with it the session's `ui_locales`).
    let layout = Layout::of(&state, &v.session);
    let next = oidc::resume(
        &state,
        v.ip.clone(),
        v.session.token_hash.clone(),
        h.authorization_id,
        v.session.stage,
        q.done.is_some(),
    )
    .await?;
    Ok(to_next(layout, next))
}

/// `GET /oauth2/authorize/cancel`: "Cancel and return to …" (`access_denied`).
#[tracing::instrument(skip_all)]
pub async fn cancel(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    who: Anonymous,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (hash, id) = match &s {
        Some(v) => (
            Some(v.session.token_hash.clone()),
            v.session
                .handoff
                .as_ref()
                .map(|h| h.authorization_id.clone()),
        ),
        None => (None, None),
    };
    let browser = cookie(&headers, HANDOFF_COOKIE);
    // Taken before `cancel`, which ends the hand-off.
    let layout = handoff_layout(&state, s.as_ref().map(|v| &v.session), browser.as_deref()).await?;
    let next = oidc::cancel(&state, who.ip, hash, id, browser).await?;
    Ok(with_cookies(
        to_next(layout, next),
        [set_cookie(&state, HANDOFF_COOKIE, "", Some(0))],
    ))
}

fn oauth_error(e: OAuthError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut resp = (
        status,
        Json(serde_json::json!({ "error": e.error, "error_description": e.description })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"keyward\""),
        );
    }
    no_store(resp)
}

fn no_store(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    resp
}

/// `client_secret_basic` (RFC 6749 §2.3.1: both parts form-urlencoded).
fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    use base64::Engine;
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let dec = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((dec(id)?, dec(secret)?))
}

/// `POST /oauth2/token`.
#[tracing::instrument(skip_all)]
pub async fn token(
    State(state): State<AppState>,
    who: Anonymous,
    headers: HeaderMap,
    form: Result<axum::Form<TokenForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let Ok(axum::Form(form)) = form else {
        return Ok(oauth_error(OAuthError {
            status: 400,
            error: "invalid_request",
            description: "the body must be application/x-www-form-urlencoded".into(),
        }));
    };
    let basic = match headers.get(header::AUTHORIZATION) {
        Some(_) => match basic_auth(&headers) {
            Some(b) => Some(b),
            None => {
                return Ok(oauth_error(OAuthError {
                    status: 401,
                    error: "invalid_client",
                    description: "the Authorization header is not HTTP Basic client authentication"
                        .into(),
                }));
            }
        },
        None => None,
    };
    Ok(match oidc::exchange(&state, who.ip, basic, form).await? {
        Ok(answer) => no_store(Json(answer).into_response()),
        Err(e) => oauth_error(e),
    })
}

/// `GET`/`POST /oauth2/userinfo` with the access token (RFC 6750).
#[tracing::instrument(skip_all)]
pub async fn userinfo(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200);
    let challenge = |error: &str| {
        let mut resp = (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({ "error": error })),
        )
            .into_response();
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_str(&format!("Bearer error=\"{error}\""))
                .unwrap_or(HeaderValue::from_static("Bearer")),
        );
        no_store(resp)
    };
    let Some(token) = token else {
        return Ok(challenge("invalid_request"));
    };
    Ok(match oidc::userinfo(&state, token.to_owned()).await? {
        Ok(claims) => no_store(Json(claims).into_response()),
        Err(e) => challenge(e.error),
    })
}
