//! The OpenID Provider (API.md, "Hand-off to Keyward's pages"): a control panel sends the
//! browser here for the second step, enrollment or the security settings, and gets it back with
//! a single-use code that it exchanges for a signed ID token.
//!
//! Two ways in: a **hand-off** (a signed request object from a client trusted to vouch for the
//! first factor, naming the user), or a **sign-in at Keyward** (email and password). Either way
//! the browser gets a portal session tied to the authorization (`sessions.oidc_authorization`),
//! so the portal's own pages run the steps, and `resume` sends it back once the step is done.
//! Everything lives in the database: any instance serves any step.

pub mod clients;
pub mod signing;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use self::clients::ClientRow;
use crate::db::DbConnection;
use crate::db::models::{FactorRow, UserRow};
use crate::db::schema::{
    oidc_authorizations, oidc_clients, oidc_request_ids, oidc_tokens, sessions, users,
};
use crate::domain::clock::naive;
use crate::domain::newtypes::FactorKind;
use crate::error::Error;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::services::sessions::{Handoff, Stage, hash_token, random_token};
use crate::services::{Actor, RequestContext, compliance};
use crate::state::AppState;

/// How long an authorization may take (the pages, the second step, enrollment).
pub const AUTHORIZATION_MINUTES: i64 = 30;
/// How long a code lives (API.md: 60 seconds).
pub const CODE_SECONDS: i64 = 60;
/// How long an access token lives.
pub const ACCESS_TOKEN_MINUTES: i64 = 10;
/// How far ahead a request object may expire, and how fresh `auth_time` must be to enroll
/// without a second factor.
pub const REQUEST_OBJECT_MINUTES: i64 = 10;
pub const FRESH_AUTH_MINUTES: i64 = 10;

/// The issuer: `KEYWARD_BASE_URL` without a trailing slash.
pub fn issuer(state: &AppState) -> String {
    state
        .settings
        .server
        .base_url
        .as_str()
        .trim_end_matches('/')
        .to_owned()
}

/// The parameters of `GET`/`POST /oauth2/authorize` (query or form), each as sent.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct AuthorizeParams {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub request: Option<String>,
    pub request_uri: Option<String>,
    pub acr_values: Option<String>,
    pub ui_locales: Option<String>,
    pub max_age: Option<String>,
    pub prompt: Option<String>,
    pub login_hint: Option<String>,
    pub kw_action: Option<String>,
}

/// A request object's claims (RFC 9101): the authorization parameters, plus the JWT's own.
#[derive(Debug, Clone, serde::Deserialize)]
struct RequestClaims {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    acr_values: Option<String>,
    ui_locales: Option<String>,
    prompt: Option<String>,
    login_hint: Option<String>,
    kw_action: Option<String>,
    auth_time: Option<i64>,
    jti: Option<String>,
    exp: i64,
}

/// An error for the client, sent to its redirect URI (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub error: &'static str,
    pub description: String,
}

fn refuse(error: &'static str, description: impl Into<String>) -> Refusal {
    Refusal {
        error,
        description: description.into(),
    }
}

/// How `authorize` ended.
#[derive(Debug)]
pub enum Authorized {
    /// No redirect may be made: an unknown client, or a redirect URI it did not register.
    BadClient(String),
    /// Back to the client with an error.
    Refused(String),
    /// A hand-off: a portal session for the user (its cookie token) and the page to open.
    HandOff { token: String, next: String },
    /// A sign-in at Keyward: the cookie that ties this browser to the authorization.
    SignIn { browser_token: String },
}

/// `redirect_uri` with `params` added to its query.
pub fn with_query(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            url.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

fn error_url(issuer: &str, redirect_uri: &str, state: Option<&str>, r: &Refusal) -> String {
    let mut params = vec![
        ("error", r.error),
        ("error_description", r.description.as_str()),
    ];
    if let Some(s) = state {
        params.push(("state", s));
    }
    params.push(("iss", issuer));
    with_query(redirect_uri, &params)
}

fn bounded(field: &str, v: Option<String>, max: usize) -> Result<Option<String>, Refusal> {
    match v {
        Some(s) if s.len() > max => Err(refuse(
            "invalid_request",
            format!("{field} is longer than {max} characters"),
        )),
        Some(s) if s.is_empty() => Ok(None),
        other => Ok(other),
    }
}

/// What a valid authorization request asks for.
struct Request {
    redirect_uri: String,
    state: Option<String>,
    nonce: String,
    code_challenge: String,
    scope: String,
    action: &'static str,
    hardware: bool,
    ui_locales: Option<String>,
    /// Way 1: the user the client vouches for, and when it checked their password.
    handoff: Option<(String, Option<NaiveDateTime>, String, i64)>,
}

fn parse_action(raw: Option<&str>) -> Result<&'static str, Refusal> {
    match raw.unwrap_or("verify") {
        "verify" => Ok("verify"),
        "enroll" => Ok("enroll"),
        "manage" => Ok("manage"),
        other => Err(refuse(
            "invalid_request",
            format!(
                "kw_action must be verify, enroll or manage, not {:?}",
                other.chars().take(40).collect::<String>()
            ),
        )),
    }
}

/// Checks the parameters that do not depend on the way in (RFC 6749, OIDC Core §3.1.2.2,
/// RFC 7636).
#[allow(clippy::too_many_arguments)]
fn check_common(
    response_type: Option<String>,
    scope: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    prompt: Option<String>,
    acr_values: Option<String>,
) -> Result<(String, String, String, bool), Refusal> {
    if response_type.as_deref() != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "response_type must be code",
        ));
    }
    let scope = bounded("scope", scope, 500)?.unwrap_or_default();
    if !scope.split(' ').any(|s| s == "openid") {
        return Err(refuse("invalid_scope", "scope must contain openid"));
    }
    let nonce = bounded("nonce", nonce, 500)?
        .ok_or_else(|| refuse("invalid_request", "nonce is required"))?;
    let challenge = bounded("code_challenge", code_challenge, 128)?
        .ok_or_else(|| refuse("invalid_request", "code_challenge is required (PKCE, S256)"))?;
    if code_challenge_method.as_deref() != Some("S256") {
        return Err(refuse(
            "invalid_request",
            "code_challenge_method must be S256",
        ));
    }
    if challenge.len() != 43
        || !challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(refuse(
            "invalid_request",
            "code_challenge must be the base64url SHA-256 of the verifier (43 characters)",
        ));
    }
    if prompt
        .as_deref()
        .is_some_and(|p| p.split(' ').any(|p| p == "none"))
    {
        return Err(refuse(
            "login_required",
            "Keyward always shows the second step: prompt=none cannot be met",
        ));
    }
    let hardware = acr_values
        .as_deref()
        .is_some_and(|a| a.split(' ').any(|v| v == "hardware"));
    Ok((scope, nonce, challenge, hardware))
}

/// A refusal and where it goes: the redirect URI and the `state` to send back.
type Misdirected = (String, Option<String>, Refusal);

/// The first part of `authorize`, with no database writes: which client, where errors may go,
/// and the request (or a refusal to redirect).
fn read_request(
    conn: &mut DbConnection,
    state_keyring: &crate::domain::keyring::Keyring,
    issuer: &str,
    now: NaiveDateTime,
    p: AuthorizeParams,
) -> Result<Result<(ClientRow, Request), Misdirected>, Authorized> {
    let bad = |m: &str| Authorized::BadClient(m.to_owned());
    let Some(client_id) = p.client_id.clone().filter(|c| !c.is_empty()) else {
        return Err(bad("The request names no client (client_id is missing)."));
    };
    let client = clients::find(conn, &client_id)
        .map_err(|_| bad("The client could not be looked up. Try again."))?
        .ok_or_else(|| bad("The client that sent you here is not known to this server."))?;
    if p.request_uri.is_some() {
        let to = p
            .redirect_uri
            .clone()
            .filter(|u| client.allows(u))
            .ok_or_else(|| bad("The redirect URI is not registered for this client."))?;
        return Ok(Err((
            to,
            p.state.clone(),
            refuse(
                "request_uri_not_supported",
                "request_uri is not supported: send request",
            ),
        )));
    }
    let Some(jwt) = p.request.clone() else {
        // Way 2: a sign-in at Keyward with the query's parameters.
        let Some(redirect_uri) = p.redirect_uri.clone().filter(|u| client.allows(u)) else {
            return Err(bad("The redirect URI is not registered for this client."));
        };
        let state = p.state.clone();
        let go = |r| Ok(Err((redirect_uri.clone(), state.clone(), r)));
        let state_v = match bounded("state", p.state, 1000) {
            Ok(s) => s,
            Err(r) => return go(r),
        };
        let (scope, nonce, challenge, hardware) = match check_common(
            p.response_type,
            p.scope,
            p.nonce,
            p.code_challenge,
            p.code_challenge_method,
            p.prompt,
            p.acr_values,
        ) {
            Ok(v) => v,
            Err(r) => return go(r),
        };
        let action = match parse_action(p.kw_action.as_deref()) {
            Ok(a) => a,
            Err(r) => return go(r),
        };
        let ui_locales = bounded("ui_locales", p.ui_locales, 100).ok().flatten();
        return Ok(Ok((
            client,
            Request {
                redirect_uri,
                state: state_v,
                nonce,
                code_challenge: challenge,
                scope,
                action,
                hardware,
                ui_locales,
                handoff: None,
            },
        )));
    };
    // Way 1: a request object. Errors about it go only to a redirect URI registered for the
    // client (the query's, or the object's own when the query has none).
    let unverified_redirect = || -> Option<String> {
        let payload = jwt.split('.').nth(1)?;
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        v.get("redirect_uri")?.as_str().map(str::to_owned)
    };
    let target = p
        .redirect_uri
        .clone()
        .or_else(unverified_redirect)
        .filter(|u| client.allows(u))
        .ok_or_else(|| bad("The redirect URI is not registered for this client."))?;
    // The state to echo: the query's, or the (not yet verified) object's own, so a client that
    // sends only client_id and request can still match the answer to its request.
    let unverified_state = || -> Option<String> {
        let payload = jwt.split('.').nth(1)?;
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        v.get("state")?
            .as_str()
            .map(|s| s.chars().take(1000).collect())
    };
    let echo = p.state.clone().or_else(unverified_state);
    let fail = |r: Refusal| Ok(Err((target.clone(), echo.clone(), r)));
    if !client.trusted_first_factor {
        return fail(refuse(
            "unauthorized_client",
            "this client may not hand off a signed-in user (it is not trusted_first_factor)",
        ));
    }
    let header = match jsonwebtoken::decode_header(&jwt) {
        Ok(h) => h,
        Err(_) => {
            return fail(refuse(
                "invalid_request_object",
                "the request object is not a signed JWT (HS256)",
            ));
        }
    };
    if header.alg != jsonwebtoken::Algorithm::HS256 {
        return fail(refuse(
            "invalid_request_object",
            "the request object must be signed with HS256",
        ));
    }
    let Some(secret) = client.secret(state_keyring) else {
        return fail(refuse(
            "invalid_request_object",
            "this client has no secret to check request objects with",
        ));
    };
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&[issuer]);
    validation.set_issuer(&[client.client_id.as_str()]);
    validation.set_required_spec_claims(&["exp", "iat", "aud", "iss"]);
    validation.leeway = 30;
    // Our clock (tests move it): checked by hand below.
    validation.validate_exp = false;
    let claims = match jsonwebtoken::decode::<RequestClaims>(
        &jwt,
        &jsonwebtoken::DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    ) {
        Ok(d) => d.claims,
        Err(e) => {
            use jsonwebtoken::errors::ErrorKind;
            let why = match e.kind() {
                ErrorKind::InvalidSignature => "the request object's signature does not verify",
                ErrorKind::InvalidAudience => "the request object is for another audience",
                ErrorKind::InvalidIssuer => "the request object's iss is not the client_id",
                ErrorKind::MissingRequiredClaim(_) => {
                    "the request object lacks exp, iat, aud or iss"
                }
                _ => "the request object is not valid",
            };
            return fail(refuse("invalid_request_object", why));
        }
    };
    let now_ts = now.and_utc().timestamp();
    if claims.exp <= now_ts - 30 {
        return fail(refuse(
            "invalid_request_object",
            "the request object has expired",
        ));
    }
    if claims.exp > now_ts + REQUEST_OBJECT_MINUTES * 60 + 30 {
        return fail(refuse(
            "invalid_request_object",
            "the request object expires more than 10 minutes ahead",
        ));
    }
    if claims
        .client_id
        .as_deref()
        .is_some_and(|c| c != client.client_id)
    {
        return fail(refuse(
            "invalid_request_object",
            "the request object's client_id is not the query's",
        ));
    }
    let Some(jti) = claims
        .jti
        .clone()
        .filter(|j| !j.is_empty() && j.len() <= 200)
    else {
        return fail(refuse(
            "invalid_request_object",
            "the request object has no jti",
        ));
    };
    // Only the request object's parameters count (RFC 9101 §6.3), its redirect URI included.
    let Some(redirect_uri) = claims.redirect_uri.clone().filter(|u| client.allows(u)) else {
        return fail(refuse(
            "invalid_request_object",
            "the request object's redirect_uri is missing or not registered",
        ));
    };
    let target = redirect_uri.clone();
    let state = claims.state.clone();
    let go = |r: Refusal| Ok(Err((target.clone(), state.clone(), r)));
    let state_v = match bounded("state", claims.state, 1000) {
        Ok(s) => s,
        Err(r) => return go(r),
    };
    let (scope, nonce, challenge, hardware) = match check_common(
        claims.response_type,
        claims.scope,
        claims.nonce,
        claims.code_challenge,
        claims.code_challenge_method,
        claims.prompt,
        claims.acr_values,
    ) {
        Ok(v) => v,
        Err(r) => return go(r),
    };
    let action = match parse_action(claims.kw_action.as_deref()) {
        Ok(a) => a,
        Err(r) => return go(r),
    };
    let Some(user_id) = claims.login_hint.clone().filter(|u| u.starts_with("usr_")) else {
        return go(refuse(
            "invalid_request_object",
            "login_hint must be the Keyward user id (usr_…)",
        ));
    };
    let auth_time = claims
        .auth_time
        .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
        .map(|t| t.naive_utc());
    Ok(Ok((
        client,
        Request {
            redirect_uri,
            state: state_v,
            nonce,
            code_challenge: challenge,
            scope,
            action,
            hardware,
            ui_locales: bounded("ui_locales", claims.ui_locales, 100).ok().flatten(),
            handoff: Some((user_id, auth_time, jti, claims.exp)),
        },
    )))
}

/// Starts an authorization (both ways in). Refusals redirect to the client with `error`,
/// `state` and `iss`; only an unknown client or redirect URI gets a page here.
#[tracing::instrument(skip_all)]
pub async fn authorize(
    state: &AppState,
    ip: Option<String>,
    previous_session: Option<String>,
    p: AuthorizeParams,
) -> Result<Authorized, Error> {
    let now = naive(state.clock.now());
    let issuer = issuer(state);
    let keyring = state.keyring.clone();
    state
        .db
        .write(move |conn| {
            let (client, req) = match read_request(conn, &keyring, &issuer, now, p) {
                Err(page) => return Ok(page),
                Ok(Err((to, st, r))) => {
                    return Ok(Authorized::Refused(error_url(&issuer, &to, st.as_deref(), &r)));
                }
                Ok(Ok(v)) => v,
            };
            let refused = |conn: &mut DbConnection, user: Option<&str>, r: Refusal| {
                // Audited once the user is known (a refusal before that is the client's
                // business, and anyone can send it: it must not grow the audit chain).
                if let Some(uid) = user {
                    let ctx = RequestContext::new(Actor::User(uid.to_owned()), ip.clone());
                    record_audit_event(
                        conn,
                        now,
                        AuditRecord {
                            event: "oidc.refused",
                            ctx: &ctx,
                            user_id: Some(uid),
                            factor_id: None,
                            details: serde_json::json!({
                                "client_id": client.client_id,
                                "error": r.error,
                                "reason": r.description,
                            }),
                        },
                    )?;
                }
                Ok::<_, Error>(Authorized::Refused(error_url(
                    &issuer,
                    &req.redirect_uri,
                    req.state.as_deref(),
                    &r,
                )))
            };
            let id = crate::domain::ids::new_id("az");
            let insert = |conn: &mut DbConnection,
                          user_id: Option<&str>,
                          way: &str,
                          browser_hash: Option<String>,
                          auth_time: Option<NaiveDateTime>| {
                diesel::insert_into(oidc_authorizations::table)
                    .values((
                        oidc_authorizations::id.eq(&id),
                        oidc_authorizations::client_id.eq(&client.client_id),
                        oidc_authorizations::user_id.eq(user_id),
                        oidc_authorizations::way.eq(way),
                        oidc_authorizations::action.eq(req.action),
                        oidc_authorizations::redirect_uri.eq(&req.redirect_uri),
                        oidc_authorizations::state.eq(&req.state),
                        oidc_authorizations::nonce.eq(&req.nonce),
                        oidc_authorizations::code_challenge.eq(&req.code_challenge),
                        oidc_authorizations::scope.eq(&req.scope),
                        oidc_authorizations::hardware.eq(req.hardware),
                        oidc_authorizations::ui_locales.eq(&req.ui_locales),
                        oidc_authorizations::browser_hash.eq(browser_hash),
                        oidc_authorizations::auth_time.eq(auth_time),
                        oidc_authorizations::created_at.eq(now),
                        oidc_authorizations::expires_at
                            .eq(now + Duration::minutes(AUTHORIZATION_MINUTES)),
                    ))
                    .execute(conn)
            };
            let Some((user_id, auth_time, jti, exp)) = req.handoff.clone() else {
                // Way 2: Keyward asks for the password; this browser carries the cookie.
                let browser_token = random_token();
                insert(conn, None, "signin", Some(hash_token(&browser_token)), None)?;
                return Ok(Authorized::SignIn { browser_token });
            };
            // The request object is used up, whatever happens next.
            let jti_expires = DateTime::<Utc>::from_timestamp(exp, 0)
                .map(|t| t.naive_utc())
                .unwrap_or(now)
                + Duration::minutes(1);
            let fresh = remember_jti(conn, &client.client_id, &jti, jti_expires)?;
            if fresh == 0 {
                return refused(
                    conn,
                    None,
                    refuse("invalid_request_object", "the request object was used before (jti)"),
                );
            }
            let Some(user) = UserRow::find(conn, &user_id).optional()? else {
                return refused(
                    conn,
                    None,
                    refuse("invalid_request_object", "login_hint names no Keyward user"),
                );
            };
            let policy = crate::services::policy::effective_locked(conn, &user.id)?.policy;
            crate::services::users::lock_user(conn, &user.id)?;
            let since = compliance::refresh_user(conn, &policy, &user.id, now, false)?;
            let active = FactorRow::active_for_user(conn, &user.id)?;
            let compliant = active.iter().any(|f| compliance::row_complies(&policy, f));
            let hardware_factor = active
                .iter()
                .any(|f| matches!(f.kind, FactorKind::YubikeyOtp | FactorKind::Webauthn));
            if locked_out(conn, &user.id, now)? {
                return refused(conn, Some(&user.id), refuse("access_denied", "too_many_attempts"));
            }
            if req.hardware && !hardware_factor && req.action != "enroll" {
                return refused(conn, Some(&user.id), refuse("access_denied", "acr_not_met"));
            }
            let fresh_auth = auth_time.is_some_and(|t| t + Duration::minutes(FRESH_AUTH_MINUTES) > now);
            let stage = if !active.is_empty() {
                // Whoever has a factor passes the second step first, whatever the action.
                Stage::SecondStep
            } else {
                match compliance::standing(&policy, compliant, since, now) {
                    compliance::Standing::Overdue { .. } => {
                        return refused(
                            conn,
                            Some(&user.id),
                            refuse("access_denied", "enrollment_overdue"),
                        );
                    }
                    standing => {
                        let required = matches!(standing, compliance::Standing::MustEnroll { .. });
                        if req.action == "verify" && !required {
                            return refused(
                                conn,
                                Some(&user.id),
                                refuse("access_denied", "no_second_factor"),
                            );
                        }
                        if !fresh_auth {
                            return refused(
                                conn,
                                Some(&user.id),
                                refuse(
                                    "login_required",
                                    "auth_time is missing or older than 10 minutes: check the password again first",
                                ),
                            );
                        }
                        if req.action == "manage" && !required {
                            Stage::Full
                        } else {
                            Stage::Enroll
                        }
                    }
                }
            };
            insert(conn, Some(&user.id), "handoff", None, auth_time)?;
            let token = crate::services::sessions::start(
                conn,
                now,
                &user.id,
                stage,
                previous_session.as_deref(),
            )?;
            let hash = hash_token(&token);
            diesel::update(sessions::table.find(&hash))
                .set(sessions::oidc_authorization.eq(Some(&id)))
                .execute(conn)?;
            if stage != Stage::SecondStep {
                // The client checked the password within the last 10 minutes.
                crate::services::sessions::grant_sudo(conn, &hash, now)?;
            }
            let ctx = RequestContext::new(Actor::User(user.id.clone()), ip.clone());
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "oidc.authorize",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: None,
                    details: serde_json::json!({
                        "client_id": client.client_id,
                        "client": client.name,
                        "action": req.action,
                        "way": "handoff",
                        "first_factor": "client",
                        "hardware": req.hardware,
                    }),
                },
            )?;
            let next = match stage {
                Stage::SecondStep => "/signin/verify",
                Stage::Enroll => "/settings/add",
                Stage::Full => "/settings",
            };
            Ok(Authorized::HandOff {
                token,
                next: next.to_owned(),
            })
        })
        .await
}

/// Records a request object's `jti` for its client; `0` when it was seen before (a replay).
fn remember_jti(
    conn: &mut DbConnection,
    client_id: &str,
    jti: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    use diesel::sql_types::{Text, Timestamp};
    match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(
            "INSERT INTO oidc_request_ids (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind::<Text, _>(client_id)
        .bind::<Text, _>(jti)
        .bind::<Timestamp, _>(expires_at)
        .execute(pg),
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "INSERT OR IGNORE INTO oidc_request_ids (client_id, jti, expires_at) VALUES (?, ?, ?)",
        )
        .bind::<Text, _>(client_id)
        .bind::<Text, _>(jti)
        .bind::<Timestamp, _>(expires_at)
        .execute(sqlite),
    }
}

fn has_hardware_factor(conn: &mut DbConnection, user_id: &str) -> QueryResult<bool> {
    Ok(FactorRow::active_for_user(conn, user_id)?
        .iter()
        .any(|f| matches!(f.kind, FactorKind::YubikeyOtp | FactorKind::Webauthn)))
}

fn locked_out(conn: &mut DbConnection, user_id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    use crate::db::schema::throttles;
    let until: Option<Option<NaiveDateTime>> = throttles::table
        .find(user_id)
        .select(throttles::locked_until)
        .get_result(conn)
        .optional()?;
    Ok(until.flatten().is_some_and(|u| u > now))
}

/// The hand-off a session serves, for its pages (`None` once it is over).
pub fn handoff_of(
    conn: &mut DbConnection,
    authorization_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Handoff>> {
    let row: Option<(String, String, bool)> = oidc_authorizations::table
        .inner_join(oidc_clients::table)
        .filter(oidc_authorizations::id.eq(authorization_id))
        .filter(oidc_authorizations::finished_at.is_null())
        .filter(oidc_authorizations::expires_at.gt(now))
        .select((
            oidc_clients::name,
            oidc_authorizations::action,
            oidc_authorizations::hardware,
        ))
        .get_result(conn)
        .optional()?;
    Ok(row.map(|(client_name, action, hardware)| Handoff {
        authorization_id: authorization_id.to_owned(),
        client_name,
        action,
        hardware,
    }))
}

/// The client's name for a sign-in page the browser reached through way 2 (its cookie).
pub async fn signin_for(state: &AppState, browser_token: String) -> Result<Option<String>, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            let name: Option<String> = oidc_authorizations::table
                .inner_join(oidc_clients::table)
                .filter(oidc_authorizations::browser_hash.eq(hash_token(&browser_token)))
                .filter(oidc_authorizations::user_id.is_null())
                .filter(oidc_authorizations::finished_at.is_null())
                .filter(oidc_authorizations::expires_at.gt(now))
                .select(oidc_clients::name)
                .get_result(conn)
                .optional()?;
            Ok::<_, Error>(name)
        })
        .await
}

/// After the password at Keyward's sign-in (way 2): ties the new session to the authorization
/// the browser's cookie names, and records that Keyward checked the password. `false` when the
/// cookie names nothing usable (the sign-in then goes on as a plain portal sign-in).
pub async fn bind_signin(
    state: &AppState,
    ip: Option<String>,
    browser_token: String,
    session_token: String,
) -> Result<bool, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            let hash = hash_token(&session_token);
            let user_id: Option<String> = sessions::table
                .find(&hash)
                .select(sessions::user_id)
                .get_result(conn)
                .optional()?;
            let Some(user_id) = user_id else {
                return Ok::<_, Error>(false);
            };
            let row: Option<(String, String, String, bool)> = oidc_authorizations::table
                .filter(oidc_authorizations::browser_hash.eq(hash_token(&browser_token)))
                .filter(oidc_authorizations::user_id.is_null())
                .filter(oidc_authorizations::finished_at.is_null())
                .filter(oidc_authorizations::expires_at.gt(now))
                .select((
                    oidc_authorizations::id,
                    oidc_authorizations::client_id,
                    oidc_authorizations::action,
                    oidc_authorizations::hardware,
                ))
                .get_result(conn)
                .optional()?;
            let Some((id, client_id, action, hardware)) = row else {
                return Ok(false);
            };
            diesel::update(oidc_authorizations::table.find(&id))
                .set((
                    oidc_authorizations::user_id.eq(Some(&user_id)),
                    oidc_authorizations::password_checked.eq(true),
                    oidc_authorizations::auth_time.eq(Some(now)),
                    // The cookie has done its work.
                    oidc_authorizations::browser_hash.eq(None::<String>),
                ))
                .execute(conn)?;
            diesel::update(sessions::table.find(&hash))
                .set(sessions::oidc_authorization.eq(Some(&id)))
                .execute(conn)?;
            let ctx = RequestContext::new(Actor::User(user_id.clone()), ip);
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "oidc.authorize",
                    ctx: &ctx,
                    user_id: Some(&user_id),
                    factor_id: None,
                    details: serde_json::json!({
                        "client_id": client_id,
                        "action": action,
                        "way": "signin",
                        "first_factor": "password",
                        "hardware": hardware,
                    }),
                },
            )?;
            Ok(true)
        })
        .await
}

/// The second step of a hand-off passed with `method`. The new session (`session_token`) may
/// change factors for the next 10 minutes: a hand-off's user proved the first factor to the
/// client and the second here, and may have no Keyward password to enter sudo mode with.
pub async fn record_second_step(
    state: &AppState,
    authorization_id: String,
    method: String,
    session_token: String,
) -> Result<(), Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            diesel::update(oidc_authorizations::table.find(&authorization_id))
                .set(oidc_authorizations::method.eq(Some(&method)))
                .execute(conn)?;
            crate::services::sessions::grant_sudo(conn, &hash_token(&session_token), now)?;
            Ok::<_, Error>(())
        })
        .await
}

/// A factor of `kind` was added during the hand-off (the user proved it by using it).
pub async fn record_enrolled(
    state: &AppState,
    authorization_id: String,
    kind: FactorKind,
) -> Result<(), Error> {
    state
        .db
        .write(move |conn| {
            diesel::update(oidc_authorizations::table.find(&authorization_id))
                .set(oidc_authorizations::enrolled.eq(true))
                .execute(conn)?;
            diesel::update(
                oidc_authorizations::table
                    .find(&authorization_id)
                    .filter(oidc_authorizations::method.is_null()),
            )
            .set(oidc_authorizations::method.eq(Some(kind.as_str())))
            .execute(conn)?;
            Ok::<_, Error>(())
        })
        .await
}

/// Where a hand-off's browser goes next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// One of Keyward's pages.
    Page(&'static str),
    /// Back to the client (a code, or an error), named for the page that says so.
    Client { url: String, client: String },
    /// The hand-off is over or took too long: nothing to go back to.
    Gone,
}

struct AuthzRow {
    id: String,
    client_id: String,
    client_name: String,
    user_id: Option<String>,
    way: String,
    action: String,
    redirect_uri: String,
    state: Option<String>,
    hardware: bool,
    method: Option<String>,
    enrolled: bool,
    expires_at: NaiveDateTime,
    finished_at: Option<NaiveDateTime>,
}

fn load_authz(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AuthzRow>> {
    type Row = (
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        bool,
        Option<String>,
        bool,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
    );
    let row: Option<Row> = oidc_authorizations::table
        .inner_join(oidc_clients::table)
        .filter(oidc_authorizations::id.eq(id))
        .select((
            oidc_authorizations::id,
            oidc_authorizations::client_id,
            oidc_authorizations::user_id,
            oidc_authorizations::way,
            oidc_authorizations::action,
            oidc_authorizations::redirect_uri,
            oidc_authorizations::state,
            oidc_authorizations::hardware,
            oidc_authorizations::method,
            oidc_authorizations::enrolled,
            oidc_authorizations::expires_at,
            oidc_authorizations::finished_at,
            oidc_clients::name,
        ))
        .get_result(conn)
        .optional()?;
    Ok(row.map(|r| AuthzRow {
        client_name: r.12,
        id: r.0,
        client_id: r.1,
        user_id: r.2,
        way: r.3,
        action: r.4,
        redirect_uri: r.5,
        state: r.6,
        hardware: r.7,
        method: r.8,
        enrolled: r.9,
        expires_at: r.10,
        finished_at: r.11,
    }))
}

fn is_hardware(method: Option<&str>) -> bool {
    matches!(method, Some("yubikey_otp") | Some("webauthn"))
}

/// Continues a hand-off from a session of `stage` (`done`: the user pressed "Back to …" on the
/// settings page): to the page the action still needs, or back to the client with a code.
#[tracing::instrument(skip_all)]
pub async fn resume(
    state: &AppState,
    ip: Option<String>,
    session_hash: String,
    authorization_id: String,
    stage: Stage,
    done: bool,
) -> Result<Next, Error> {
    let now = naive(state.clock.now());
    let issuer = issuer(state);
    state
        .db
        .write(move |conn| {
            let Some(a) = load_authz(conn, &authorization_id)? else {
                return Ok::<_, Error>(Next::Gone);
            };
            if a.finished_at.is_some() {
                return Ok(Next::Gone);
            }
            let Some(user_id) = a.user_id.clone() else {
                return Ok(Next::Gone);
            };
            let back = |conn: &mut DbConnection, r: Refusal| -> Result<Next, Error> {
                finish(conn, &a.id, now)?;
                end_handoff_session(conn, &a, &session_hash)?;
                let ctx = RequestContext::new(Actor::User(user_id.clone()), ip.clone());
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "oidc.refused",
                        ctx: &ctx,
                        user_id: Some(&user_id),
                        factor_id: None,
                        details: serde_json::json!({ "client_id": a.client_id, "error": r.error, "reason": r.description }),
                    },
                )?;
                Ok(Next::Client {
                    url: error_url(&issuer, &a.redirect_uri, a.state.as_deref(), &r),
                    client: a.client_name.clone(),
                })
            };
            if a.expires_at <= now {
                return back(conn, refuse("access_denied", "the hand-off took too long: start again"));
            }
            if stage == Stage::SecondStep {
                if locked_out(conn, &user_id, now)? {
                    return back(conn, refuse("access_denied", "too_many_attempts"));
                }
                if a.hardware && !has_hardware_factor(conn, &user_id)? && a.action != "enroll" {
                    return back(conn, refuse("access_denied", "acr_not_met"));
                }
            }
            let complete = match (a.action.as_str(), stage) {
                ("verify", Stage::Full) => true,
                ("verify", Stage::SecondStep) => return Ok(Next::Page("/signin/verify")),
                ("verify", Stage::Enroll) => a.enrolled,
                ("enroll", Stage::SecondStep) => return Ok(Next::Page("/signin/verify")),
                ("enroll", _) => a.enrolled,
                ("manage", Stage::SecondStep) => return Ok(Next::Page("/signin/verify")),
                ("manage", Stage::Full) => done,
                ("manage", Stage::Enroll) => a.enrolled && done,
                _ => false,
            };
            if !complete {
                return Ok(Next::Page(match (a.action.as_str(), stage) {
                    ("manage", Stage::Full) => "/settings",
                    _ => "/settings/add",
                }));
            }
            if a.action == "verify" && a.method.is_none() {
                return back(conn, refuse("access_denied", "no_second_factor"));
            }
            // No weaker fallback: a step-up asked for hardware gets hardware or nothing.
            if a.hardware && !is_hardware(a.method.as_deref()) {
                return back(conn, refuse("access_denied", "acr_not_met"));
            }
            let code = random_token();
            let took = diesel::update(
                oidc_authorizations::table
                    .find(&a.id)
                    .filter(oidc_authorizations::finished_at.is_null()),
            )
            .set((
                oidc_authorizations::code_hash.eq(Some(hash_token(&code))),
                oidc_authorizations::code_expires_at.eq(Some(now + Duration::seconds(CODE_SECONDS))),
                oidc_authorizations::finished_at.eq(Some(now)),
                oidc_authorizations::auth_time.eq(Some(now)),
            ))
            .execute(conn)?;
            if took != 1 {
                return Ok(Next::Gone);
            }
            end_handoff_session(conn, &a, &session_hash)?;
            let ctx = RequestContext::new(Actor::User(user_id.clone()), ip.clone());
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "oidc.code_issued",
                    ctx: &ctx,
                    user_id: Some(&user_id),
                    factor_id: None,
                    details: serde_json::json!({
                        "client_id": a.client_id,
                        "action": a.action,
                        "method": a.method,
                    }),
                },
            )?;
            let mut params = vec![("code", code.as_str())];
            if let Some(s) = a.state.as_deref() {
                params.push(("state", s));
            }
            params.push(("iss", issuer.as_str()));
            Ok(Next::Client {
                url: with_query(&a.redirect_uri, &params),
                client: a.client_name.clone(),
            })
        })
        .await
}

fn finish(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(oidc_authorizations::table.find(id))
        .set(oidc_authorizations::finished_at.eq(Some(now)))
        .execute(conn)
}

/// A hand-off's session ends with it (the client is the application; Keyward's session was
/// only for the step). A session from Keyward's own sign-in stays, without the hand-off.
fn end_handoff_session(
    conn: &mut DbConnection,
    a: &AuthzRow,
    session_hash: &str,
) -> QueryResult<()> {
    if a.way == "handoff" {
        diesel::delete(sessions::table.filter(sessions::oidc_authorization.eq(&a.id)))
            .execute(conn)?;
    } else {
        diesel::update(sessions::table.find(session_hash))
            .set(sessions::oidc_authorization.eq(None::<String>))
            .execute(conn)?;
    }
    Ok(())
}

/// "Cancel and return to …": back to the client with `access_denied`.
pub async fn cancel(
    state: &AppState,
    ip: Option<String>,
    session_hash: Option<String>,
    authorization_id: Option<String>,
    browser_token: Option<String>,
) -> Result<Next, Error> {
    let now = naive(state.clock.now());
    let issuer = issuer(state);
    state
        .db
        .write(move |conn| {
            let id = match (authorization_id, browser_token) {
                (Some(id), _) => Some(id),
                (None, Some(b)) => oidc_authorizations::table
                    .filter(oidc_authorizations::browser_hash.eq(hash_token(&b)))
                    .select(oidc_authorizations::id)
                    .get_result::<String>(conn)
                    .optional()?,
                _ => None,
            };
            let Some(a) = id.map(|id| load_authz(conn, &id)).transpose()?.flatten() else {
                return Ok::<_, Error>(Next::Gone);
            };
            if a.finished_at.is_some() {
                return Ok(Next::Gone);
            }
            finish(conn, &a.id, now)?;
            if let Some(h) = session_hash.as_deref() {
                end_handoff_session(conn, &a, h)?;
            }
            if let Some(uid) = a.user_id.as_deref() {
                let ctx = RequestContext::new(Actor::User(uid.to_owned()), ip);
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "oidc.refused",
                        ctx: &ctx,
                        user_id: Some(uid),
                        factor_id: None,
                        details: serde_json::json!({ "client_id": a.client_id, "error": "access_denied", "reason": "cancelled" }),
                    },
                )?;
            }
            let r = refuse("access_denied", "the user cancelled");
            Ok(Next::Client {
                    url: error_url(&issuer, &a.redirect_uri, a.state.as_deref(), &r),
                    client: a.client_name.clone(),
                })
        })
        .await
}

/// An OAuth error at the token or userinfo endpoint (RFC 6749 §5.2, RFC 6750 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
}

fn oauth(status: u16, error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError {
        status,
        error,
        description: description.into(),
    }
}

/// `POST /oauth2/token` as parsed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct TokenForm {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// The token endpoint's answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenAnswer {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub id_token: String,
    pub scope: String,
}

/// Keyward's claims beside the standard ones.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KeywardClaims {
    pub kw_action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kw_method: Option<String>,
}

impl openidconnect::AdditionalClaims for KeywardClaims {}

type KeywardIdToken = openidconnect::IdToken<
    KeywardClaims,
    openidconnect::core::CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJwsSigningAlgorithm,
>;

struct Issued {
    user_id: String,
    email: String,
    email_verified: bool,
    nonce: String,
    scope: String,
    action: String,
    method: Option<String>,
    password_checked: bool,
    auth_time: NaiveDateTime,
    client_id: String,
}

/// PKCE (RFC 7636 §4.6): the verifier's SHA-256, base64url, is the challenge.
fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    if !(43..=128).contains(&verifier.len())
        || !verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    {
        return false;
    }
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    subtle::ConstantTimeEq::ct_eq(computed.as_bytes(), challenge.as_bytes()).into()
}

/// Exchanges a code for tokens: the client authenticated (basic or post), the code single-use,
/// unexpired, for this client and redirect URI, and the PKCE verifier right. A code used twice
/// revokes the access token issued with it.
#[tracing::instrument(skip_all)]
pub async fn exchange(
    state: &AppState,
    ip: Option<String>,
    basic: Option<(String, String)>,
    form: TokenForm,
) -> Result<Result<TokenAnswer, OAuthError>, Error> {
    let now = naive(state.clock.now());
    let (client_id, secret) = match (basic, form.client_id.clone(), form.client_secret.clone()) {
        (Some((id, secret)), post_id, None) if post_id.as_ref().is_none_or(|p| *p == id) => {
            (id, secret)
        }
        (None, Some(id), Some(secret)) => (id, secret),
        (Some(_), _, Some(_)) => {
            return Ok(Err(oauth(
                400,
                "invalid_request",
                "use one client authentication method, not two",
            )));
        }
        _ => {
            return Ok(Err(oauth(
                401,
                "invalid_client",
                "client authentication is required (client_secret_basic or client_secret_post)",
            )));
        }
    };
    if form.grant_type.as_deref() != Some("authorization_code") {
        // The client is checked first all the same (below), so a stranger learns nothing.
    }
    let access_token = random_token();
    let issued = {
        let access_hash = hash_token(&access_token);
        state
            .db
            .write(move |conn| {
                let Some(client) = clients::authenticate(conn, &client_id, &secret)? else {
                    return Ok::<_, Error>(Err(oauth(401, "invalid_client", "unknown client or wrong secret")));
                };
                if form.grant_type.as_deref() != Some("authorization_code") {
                    return Ok(Err(oauth(400, "unsupported_grant_type", "grant_type must be authorization_code")));
                }
                let Some(code) = form.code.filter(|c| !c.is_empty() && c.len() <= 100) else {
                    return Ok(Err(oauth(400, "invalid_request", "code is required")));
                };
                type CodeRow = (
                    String,
                    String,
                    Option<String>,
                    String,
                    String,
                    Option<NaiveDateTime>,
                    Option<NaiveDateTime>,
                );
                let row: Option<CodeRow> =
                    oidc_authorizations::table
                        .filter(oidc_authorizations::code_hash.eq(hash_token(&code)))
                        .select((
                            oidc_authorizations::id,
                            oidc_authorizations::client_id,
                            oidc_authorizations::user_id,
                            oidc_authorizations::redirect_uri,
                            oidc_authorizations::code_challenge,
                            oidc_authorizations::code_expires_at,
                            oidc_authorizations::code_used_at,
                        ))
                        .get_result(conn)
                        .optional()?;
                let invalid = |why: &str| Ok(Err(oauth(400, "invalid_grant", why)));
                let Some((id, code_client, user_id, redirect_uri, challenge, expires, used)) = row else {
                    return invalid("the code is unknown, expired or used");
                };
                if code_client != client.client_id {
                    return invalid("the code was issued to another client");
                }
                let Some(user_id) = user_id else {
                    return invalid("the code is unknown, expired or used");
                };
                if used.is_some() {
                    // A code used twice: whoever has it now may be an attacker (RFC 6749 §4.1.2,
                    // RFC 9700 §4.2.1): what the first use issued stops working.
                    let revoked = diesel::update(
                        oidc_tokens::table
                            .filter(oidc_tokens::authorization_id.eq(&id))
                            .filter(oidc_tokens::revoked_at.is_null()),
                    )
                    .set(oidc_tokens::revoked_at.eq(Some(now)))
                    .execute(conn)?;
                    let ctx = RequestContext::new(Actor::User(user_id.clone()), ip.clone());
                    record_audit_event(
                        conn,
                        now,
                        AuditRecord {
                            event: "oidc.code_reused",
                            ctx: &ctx,
                            user_id: Some(&user_id),
                            factor_id: None,
                            details: serde_json::json!({ "client_id": client.client_id, "tokens_revoked": revoked }),
                        },
                    )?;
                    return invalid("the code was used before: what it issued is revoked");
                }
                if expires.is_none_or(|e| e <= now) {
                    return invalid("the code has expired");
                }
                if form.redirect_uri.as_deref() != Some(redirect_uri.as_str()) {
                    return invalid("redirect_uri is not the one the code was issued for");
                }
                if !form.code_verifier.as_deref().is_some_and(|v| pkce_matches(v, &challenge)) {
                    return invalid("code_verifier does not match the code_challenge");
                }
                let took = diesel::update(
                    oidc_authorizations::table
                        .find(&id)
                        .filter(oidc_authorizations::code_used_at.is_null()),
                )
                .set(oidc_authorizations::code_used_at.eq(Some(now)))
                .execute(conn)?;
                if took != 1 {
                    return invalid("the code was used before");
                }
                let (nonce, scope, action, method, password_checked, auth_time): (
                    String,
                    String,
                    String,
                    Option<String>,
                    bool,
                    Option<NaiveDateTime>,
                ) = oidc_authorizations::table
                    .find(&id)
                    .select((
                        oidc_authorizations::nonce,
                        oidc_authorizations::scope,
                        oidc_authorizations::action,
                        oidc_authorizations::method,
                        oidc_authorizations::password_checked,
                        oidc_authorizations::auth_time,
                    ))
                    .get_result(conn)?;
                let (email, verified): (String, Option<NaiveDateTime>) = users::table
                    .find(&user_id)
                    .select((users::email, users::email_verified_at))
                    .get_result(conn)?;
                diesel::insert_into(oidc_tokens::table)
                    .values((
                        oidc_tokens::token_hash.eq(&access_hash),
                        oidc_tokens::authorization_id.eq(&id),
                        oidc_tokens::client_id.eq(&client.client_id),
                        oidc_tokens::user_id.eq(&user_id),
                        oidc_tokens::scope.eq(&scope),
                        oidc_tokens::created_at.eq(now),
                        oidc_tokens::expires_at.eq(now + Duration::minutes(ACCESS_TOKEN_MINUTES)),
                    ))
                    .execute(conn)?;
                let ctx = RequestContext::new(Actor::User(user_id.clone()), ip.clone());
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "oidc.token_issued",
                        ctx: &ctx,
                        user_id: Some(&user_id),
                        factor_id: None,
                        details: serde_json::json!({ "client_id": client.client_id, "action": action, "method": method }),
                    },
                )?;
                Ok(Ok(Issued {
                    user_id,
                    email,
                    email_verified: verified.is_some(),
                    nonce,
                    scope,
                    action,
                    method,
                    password_checked,
                    auth_time: auth_time.unwrap_or(now),
                    client_id: client.client_id,
                }))
            })
            .await?
    };
    let issued = match issued {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let id_token = id_token(state, &issued, &access_token).await?;
    Ok(Ok(TokenAnswer {
        access_token,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_MINUTES * 60,
        id_token,
        scope: issued.scope,
    }))
}

/// RFC 8176 methods and the class of the second factor used.
fn amr_acr(
    method: Option<&str>,
    password_checked: bool,
) -> (Vec<&'static str>, Option<&'static str>) {
    let mut amr = Vec::new();
    if password_checked {
        amr.push("pwd");
    }
    match method {
        Some("totp") | Some("backup_code") => amr.push("otp"),
        Some("yubikey_otp") => {
            amr.push("otp");
            amr.push("hwk");
        }
        Some("webauthn") => amr.push("hwk"),
        _ => {}
    }
    if password_checked && method.is_some() {
        amr.push("mfa");
    }
    let acr = match method {
        Some("yubikey_otp") | Some("webauthn") => Some("hardware"),
        Some(_) => Some("2fa"),
        None => None,
    };
    (amr, acr)
}

async fn id_token(state: &AppState, i: &Issued, access_token: &str) -> Result<String, Error> {
    use openidconnect::{
        AccessToken, Audience, AuthenticationContextClass, AuthenticationMethodReference,
        EndUserEmail, IdTokenClaims, IssuerUrl, Nonce, StandardClaims, SubjectIdentifier,
    };
    let key = signing::current(state).await?;
    let now = state.clock.now();
    let issuer = IssuerUrl::new(issuer(state)).map_err(Error::internal)?;
    let mut standard = StandardClaims::new(SubjectIdentifier::new(i.user_id.clone()));
    if i.scope.split(' ').any(|s| s == "email") {
        standard = standard
            .set_email(Some(EndUserEmail::new(i.email.clone())))
            .set_email_verified(Some(i.email_verified));
    }
    let (amr, acr) = amr_acr(i.method.as_deref(), i.password_checked);
    let claims = IdTokenClaims::new(
        issuer,
        vec![Audience::new(i.client_id.clone())],
        now + Duration::minutes(signing::ID_TOKEN_MINUTES),
        now,
        standard,
        KeywardClaims {
            kw_action: i.action.clone(),
            kw_method: i.method.clone(),
        },
    )
    .set_nonce(Some(Nonce::new(i.nonce.clone())))
    .set_auth_time(Some(i.auth_time.and_utc()))
    .set_auth_method_refs((!amr.is_empty()).then(|| {
        amr.iter()
            .map(|m| AuthenticationMethodReference::new((*m).to_owned()))
            .collect()
    }))
    .set_auth_context_ref(acr.map(|a| AuthenticationContextClass::new(a.to_owned())));
    let token = KeywardIdToken::new(
        claims,
        &key,
        openidconnect::core::CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&AccessToken::new(access_token.to_owned())),
        None,
    )
    .map_err(|e| Error::internal(anyhow::anyhow!("signing the ID token failed: {e}")))?;
    Ok(token.to_string())
}

/// `GET /oauth2/userinfo`: the subject (and the address, with scope `email`) of a valid token.
pub async fn userinfo(
    state: &AppState,
    access_token: String,
) -> Result<Result<serde_json::Value, OAuthError>, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            let row: Option<(String, String)> = oidc_tokens::table
                .find(hash_token(&access_token))
                .filter(oidc_tokens::revoked_at.is_null())
                .filter(oidc_tokens::expires_at.gt(now))
                .select((oidc_tokens::user_id, oidc_tokens::scope))
                .get_result(conn)
                .optional()?;
            let Some((user_id, scope)) = row else {
                return Ok::<_, Error>(Err(oauth(
                    401,
                    "invalid_token",
                    "the access token is unknown, expired or revoked",
                )));
            };
            let mut answer = serde_json::json!({ "sub": user_id });
            if scope.split(' ').any(|s| s == "email") {
                let (email, verified): (String, Option<NaiveDateTime>) = users::table
                    .find(&user_id)
                    .select((users::email, users::email_verified_at))
                    .get_result(conn)?;
                answer["email"] = serde_json::json!(email);
                answer["email_verified"] = serde_json::json!(verified.is_some());
            }
            Ok(Ok(answer))
        })
        .await
}

/// Removes authorizations, request ids and tokens that can no longer be used.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let ids = diesel::delete(oidc_request_ids::table.filter(oidc_request_ids::expires_at.le(now)))
        .execute(conn)?;
    let tokens = diesel::delete(
        oidc_tokens::table.filter(oidc_tokens::expires_at.le(now - Duration::hours(1))),
    )
    .execute(conn)?;
    // An authorization is kept an hour past its end, so a code used again is still recognised.
    let authz = diesel::delete(
        oidc_authorizations::table
            .filter(oidc_authorizations::expires_at.le(now - Duration::hours(1))),
    )
    .execute(conn)?;
    Ok(ids + tokens + authz)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        assert!(pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches(
            "short",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
    }

    #[test]
    fn amr_and_acr_follow_rfc_8176() {
        assert_eq!(amr_acr(Some("totp"), false), (vec!["otp"], Some("2fa")));
        assert_eq!(
            amr_acr(Some("webauthn"), true),
            (vec!["pwd", "hwk", "mfa"], Some("hardware"))
        );
        assert_eq!(
            amr_acr(Some("yubikey_otp"), false),
            (vec!["otp", "hwk"], Some("hardware"))
        );
        assert_eq!(
            amr_acr(Some("backup_code"), true),
            (vec!["pwd", "otp", "mfa"], Some("2fa"))
        );
        assert_eq!(amr_acr(None, true), (vec!["pwd"], None));
    }

    #[test]
    fn error_urls_keep_the_query_and_carry_state_and_iss() {
        let u = error_url(
            "https://2fa.example.com",
            "https://panel.example.com/cb?tenant=7",
            Some("xyz"),
            &refuse("access_denied", "acr_not_met"),
        );
        assert_eq!(
            u,
            "https://panel.example.com/cb?tenant=7&error=access_denied&error_description=acr_not_met&state=xyz&iss=https%3A%2F%2F2fa.example.com"
        );
    }
}
