//! "Add a second factor", "Remove" and "Regenerate backup codes" in the portal. Each needs a
//! signed-in session in sudo mode (the password re-entered within 10 minutes).

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;

use super::html;
use super::portal::{ctx_for, current, error_page, message_page, same};
use crate::domain::clock::naive;
use crate::domain::newtypes::{FactorKind, parse_label};
use crate::error::{Error, INVALID_CODE_MESSAGE};
use crate::services::sessions::{self, Session, Stage};
use crate::state::AppState;

/// The signed-in session — or an enrolling one (a user the policy sends to add a factor after
/// the password step) — or where to send the browser instead.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Session, Response> {
    match current(state, headers).await {
        Ok(Some(s)) if matches!(s.stage, Stage::Full | Stage::Enroll) => Ok(s),
        Ok(Some(s)) => Err(Redirect::to(super::portal::stage_home(s.stage)).into_response()),
        Ok(None) => Err(Redirect::to("/signin").into_response()),
        Err(e) => Err(error_page(state, &e)),
    }
}

/// Sudo mode, or a redirect to the password page that comes back to `next`.
pub(super) async fn in_sudo(
    state: &AppState,
    headers: &HeaderMap,
    next: &str,
) -> Result<Session, Response> {
    let s = signed_in(state, headers).await?;
    let now = naive(state.clock.now());
    if s.sudo_until.is_some_and(|u| u > now) {
        Ok(s)
    } else {
        let target = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("next", next)
            .finish();
        Err(Redirect::to(&format!("/settings/sudo?{target}")).into_response())
    }
}

/// Sudo mode in a fully signed-in session, for changes other than adding a factor: an
/// enrolling session is sent back to "Add a second factor".
async fn signed_in_fully_in_sudo(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Session, Response> {
    match in_sudo(state, headers, "/settings").await {
        Ok(s) if s.stage == Stage::Enroll => Err(Redirect::to("/settings/add").into_response()),
        other => other,
    }
}

fn forged(state: &AppState) -> Response {
    message_page(
        state,
        StatusCode::FORBIDDEN,
        "Please try again",
        "This form expired or did not come from this site. Go back to your security settings and try again.",
    )
}

/// Only our own settings pages are places to come back to (and the support console with the
/// customer it showed).
fn safe_next(next: &str) -> &str {
    let plain = next
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'_' || b == b'-');
    let console = next.strip_prefix("/support?email=").is_some_and(|rest| {
        rest.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"%._+-".contains(&b))
    });
    if console
        || (plain
            && (next.starts_with("/settings") || next == "/support" || next == "/policy")
            && !next.contains("//"))
    {
        next
    } else {
        "/settings"
    }
}

#[derive(Template)]
#[template(path = "portal/sudo.html")]
struct SudoPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    next: &'a str,
    error: Option<&'a str>,
}

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn sudo_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    let s = match signed_in(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    html(
        StatusCode::OK,
        &SudoPage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            csrf: &s.csrf_token,
            nav_role: &s.role,
            next: safe_next(&q.next),
            error: None,
        },
    )
}

#[derive(serde::Deserialize)]
pub struct SudoForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    password: String,
}

pub async fn sudo_submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SudoForm>,
) -> Response {
    let s = match signed_in(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !same(&s.csrf_token, &form.csrf) {
        return forged(&state);
    }
    // Password guesses here count against the address like sign-in attempts.
    let user_id = s.user_id.clone();
    let ip = peer.ip().to_string();
    let now = naive(state.clock.now());
    let (blocked, stored) = match state
        .db
        .write({
            let ip = ip.clone();
            move |conn| {
                let blocked = sessions::reserve_attempt(conn, now, &ip)?;
                let hash = crate::services::users::load(conn, &user_id)?.password_hash;
                Ok::<_, Error>((blocked, hash))
            }
        })
        .await
    {
        Ok(v) => v,
        Err(e) => return error_page(&state, &e),
    };
    if let Some(wait) = blocked {
        let minutes = (wait + 59) / 60;
        let msg =
            format!("Too many wrong passwords from your network. Try again in {minutes} minutes.");
        return html(
            StatusCode::TOO_MANY_REQUESTS,
            &SudoPage {
                issuer: &state.settings.server.issuer,
                signed_in: true,
                csrf: &s.csrf_token,
                nav_role: &s.role,
                next: safe_next(&form.next),
                error: Some(&msg),
            },
        );
    }
    let ok = match crate::services::passwords::verify(&state, stored, form.password).await {
        Ok(ok) => ok,
        Err(e) => return error_page(&state, &e),
    };
    let next = safe_next(&form.next).to_owned();
    if !ok {
        let (uid, ctx) = (s.user_id.clone(), ctx_for(Some(&s.user_id), peer));
        let audited = state
            .db
            .write(move |conn| {
                Ok::<_, Error>(crate::services::audit::record_audit_event(
                    conn,
                    now,
                    crate::services::audit::AuditRecord {
                        event: "login.failed",
                        ctx: &ctx,
                        user_id: Some(&uid),
                        factor_id: None,
                        details: serde_json::json!({ "reason": "wrong_password", "step": "sudo" }),
                    },
                )?)
            })
            .await;
        if let Err(e) = audited {
            return error_page(&state, &e);
        }
        return html(
            StatusCode::UNAUTHORIZED,
            &SudoPage {
                issuer: &state.settings.server.issuer,
                signed_in: true,
                csrf: &s.csrf_token,
                nav_role: &s.role,
                next: &next,
                error: Some("The password is not correct."),
            },
        );
    }
    let hash = s.token_hash.clone();
    match state
        .db
        .write(move |conn| {
            sessions::release_attempt(conn, &ip)?;
            Ok::<_, Error>(sessions::grant_sudo(conn, &hash, now)?)
        })
        .await
    {
        Ok(_) => Redirect::to(&next).into_response(),
        Err(e) => error_page(&state, &e),
    }
}

pub struct Method {
    label: &'static str,
    about: &'static str,
    href: &'static str,
    disabled: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/add.html")]
struct AddPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    methods: Vec<Method>,
    /// The policy sends this user here after the password step: why, and until when.
    required: Option<String>,
}

pub async fn add_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let s = match in_sudo(&state, &headers, "/settings/add").await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (policy, since) = match state
        .db
        .read({
            let user_id = s.user_id.clone();
            move |conn| {
                let policy = crate::services::policy::load(conn)?;
                let user = crate::services::users::load(conn, &user_id)?;
                Ok::<_, Error>((policy, user.noncompliant_since))
            }
        })
        .await
    {
        Ok(v) => v,
        Err(e) => return error_page(&state, &e),
    };
    let required = (s.stage == Stage::Enroll).then(|| {
        let now = naive(state.clock.now());
        match crate::services::compliance::standing(&policy, false, since, now) {
            crate::services::compliance::Standing::MustEnroll { by } => format!(
                "Your organisation requires two-factor authentication. Add one of the methods below by {} to keep access to your account.",
                by.format("%-d %B %Y")
            ),
            _ => "Your organisation's security policy no longer accepts your second factor. Add one of the methods below to continue.".to_owned(),
        }
    });
    let why = |k: FactorKind| {
        (!policy.allows(k))
            .then(|| "Not allowed by your organisation's security policy.".to_owned())
    };
    let methods = vec![
        Method {
            label: "Authenticator app",
            about: "Google Authenticator, Duo Mobile, Authy or another app that shows 6-digit codes.",
            href: "/settings/add/totp",
            disabled: why(FactorKind::Totp),
        },
        Method {
            label: "YubiKey",
            about: "A YubiKey that types a one-time password when you touch it.",
            href: "/settings/add/yubikey",
            disabled: why(FactorKind::YubikeyOtp),
        },
        Method {
            label: "Security key",
            about: "A FIDO2 security key or a passkey on this device.",
            href: "/settings/add/security-key",
            disabled: why(FactorKind::Webauthn),
        },
    ];
    html(
        StatusCode::OK,
        &AddPage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            csrf: &s.csrf_token,
            nav_role: &s.role,
            methods,
            required,
        },
    )
}

#[derive(Template)]
#[template(path = "portal/name.html")]
struct NamePage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    heading: &'a str,
    action: &'a str,
    placeholder: &'a str,
    button: &'a str,
    name: &'a str,
    name_error: Option<String>,
    yubikey: bool,
    otp_error: Option<String>,
}

fn name_page(
    state: &AppState,
    status: StatusCode,
    s: &Session,
    yubikey: bool,
    name: &str,
    name_error: Option<String>,
    otp_error: Option<String>,
) -> Response {
    html(
        status,
        &NamePage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            csrf: &s.csrf_token,
            nav_role: &s.role,
            heading: if yubikey {
                "Add a YubiKey"
            } else {
                "Add an authenticator app"
            },
            action: if yubikey {
                "/settings/add/yubikey"
            } else {
                "/settings/add/totp"
            },
            placeholder: if yubikey {
                "e.g. Office YubiKey"
            } else {
                "e.g. My Phone"
            },
            button: if yubikey { "Add YubiKey" } else { "Continue" },
            name,
            name_error,
            yubikey,
            otp_error,
        },
    )
}

pub async fn totp_name_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match in_sudo(&state, &headers, "/settings/add/totp").await {
        Ok(s) => name_page(&state, StatusCode::OK, &s, false, "", None, None),
        Err(r) => r,
    }
}

pub async fn yubikey_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match in_sudo(&state, &headers, "/settings/add/yubikey").await {
        Ok(s) => name_page(&state, StatusCode::OK, &s, true, "", None, None),
        Err(r) => r,
    }
}

#[derive(serde::Deserialize)]
pub struct NameForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    otp: String,
}

/// A refusal a person can act on, for the page; `None` for trouble on our side.
fn said(e: &Error) -> Option<String> {
    match e {
        Error::BadRequest(m)
        | Error::Conflict(m)
        | Error::Forbidden(m)
        | Error::PolicyViolation(m) => Some(m.trim_start_matches("otp: ").to_owned()),
        Error::InvalidCode => {
            Some("That YubiKey one-time password was not accepted. Touch the key again.".into())
        }
        Error::YubikeyServiceUnavailable => {
            Some("The YubiKey validation service is unavailable. Try again in a moment.".into())
        }
        _ => None,
    }
}

/// A refusal a person can act on, as a page; anything else is trouble on our side.
fn not_possible(state: &AppState, e: &Error) -> Response {
    match said(e) {
        Some(m) => message_page(
            state,
            StatusCode::FORBIDDEN,
            "This change is not possible",
            &m,
        ),
        None => error_page(state, e),
    }
}

pub async fn totp_start(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<NameForm>,
) -> Response {
    let s = match in_sudo(&state, &headers, "/settings/add/totp").await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !same(&s.csrf_token, &form.csrf) {
        return forged(&state);
    }
    let name = match parse_label("name", &form.name, 64) {
        Ok(n) => n,
        Err(m) => {
            return name_page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &s,
                false,
                &form.name,
                Some(m),
                None,
            );
        }
    };
    let ctx = ctx_for(Some(&s.user_id), peer);
    match crate::services::factors::enroll_totp(&state, ctx, s.user_id.clone(), name).await {
        Ok((factor, _)) => {
            Redirect::to(&format!("/settings/factors/{}/activate", factor.id)).into_response()
        }
        Err(e) => match said(&e) {
            Some(m) => name_page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &s,
                false,
                &form.name,
                Some(m),
                None,
            ),
            None => error_page(&state, &e),
        },
    }
}

#[derive(Template)]
#[template(path = "portal/totp.html")]
struct TotpPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    key_groups: String,
    account: &'a str,
    qr_data_url: String,
    action: String,
    error: Option<&'a str>,
}

/// The setup page of a pending TOTP factor of this user (rendered again after a wrong code).
async fn totp_page(
    state: &AppState,
    status: StatusCode,
    s: &Session,
    factor_id: &str,
    error: Option<&str>,
) -> Response {
    let (user_id, fid, keyring) = (
        s.user_id.clone(),
        factor_id.to_owned(),
        state.keyring.clone(),
    );
    let now = naive(state.clock.now());
    let loaded = state
        .db
        .read(move |conn| {
            let user = crate::services::users::load(conn, &user_id)?;
            let row = crate::db::models::FactorRow::find_for_user(conn, &user.id, &fid, now)?
                .filter(|r| r.status == "pending" && r.kind == "totp");
            match row {
                None => Ok::<_, Error>(None),
                Some(r) => {
                    let (params, secret) = crate::services::factors::totp_of(&r, &keyring)?;
                    Ok(Some((user.email, params, secret)))
                }
            }
        })
        .await;
    let (email, params, secret) = match loaded {
        Ok(Some(v)) => v,
        Ok(None) => {
            return message_page(
                state,
                StatusCode::NOT_FOUND,
                "This setup has expired",
                &format!(
                    "Start again from your security settings: unfinished setups expire after {} minutes.",
                    (state.settings.portal.pending_factor_ttl_seconds + 59) / 60
                ),
            );
        }
        Err(e) => return error_page(state, &e),
    };
    let key = secret.to_base32();
    let key_groups = key
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let uri = params.otpauth_uri(&state.settings.server.issuer, &email, &secret);
    let svg = match crate::domain::totp::qr_svg(&uri) {
        Ok(svg) => svg,
        Err(e) => return error_page(state, &Error::internal(anyhow::anyhow!(e))),
    };
    let qr_data_url = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    );
    html(
        status,
        &TotpPage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            csrf: &s.csrf_token,
            nav_role: &s.role,
            key_groups,
            account: &email,
            qr_data_url,
            action: format!("/settings/factors/{factor_id}/activate"),
            error,
        },
    )
}

pub async fn activate_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(factor_id): Path<String>,
) -> Response {
    let next = format!("/settings/factors/{factor_id}/activate");
    let s = match in_sudo(&state, &headers, &next).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !crate::domain::ids::looks_like_id(&factor_id) {
        return message_page(
            &state,
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no such setup.",
        );
    }
    totp_page(&state, StatusCode::OK, &s, &factor_id, None).await
}

#[derive(serde::Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "portal/backup_codes.html")]
struct CodesPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    codes: Vec<String>,
    filename: String,
    download_href: String,
}

fn codes_page(state: &AppState, s: &Session, codes: Vec<String>) -> Response {
    let text = format!(
        "{} backup codes. Each one signs you in once.\n\n{}\n",
        state.settings.server.issuer,
        codes.join("\n")
    );
    let download_href = format!(
        "data:text/plain;charset=utf-8,{}",
        percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
    );
    let mut resp = html(
        StatusCode::OK,
        &CodesPage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            csrf: &s.csrf_token,
            nav_role: &s.role,
            codes,
            filename: "backup-codes.txt".into(),
            download_href,
        },
    );
    // Shown once: never cached, never kept by the back button.
    resp.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    resp
}

pub async fn activate_submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(factor_id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    let next = format!("/settings/factors/{factor_id}/activate");
    let s = match in_sudo(&state, &headers, &next).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !same(&s.csrf_token, &form.csrf) {
        return forged(&state);
    }
    let code: String = form
        .code
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(16)
        .collect();
    let ctx = ctx_for(Some(&s.user_id), peer);
    match crate::services::factors::activate_totp(
        &state,
        ctx,
        s.user_id.clone(),
        factor_id.clone(),
        code,
    )
    .await
    {
        Ok((factor, codes)) => activated(&state, s, &factor.id, codes, peer).await,
        Err(Error::InvalidCode) => {
            totp_page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &s,
                &factor_id,
                Some(INVALID_CODE_MESSAGE),
            )
            .await
        }
        Err(Error::NotFound(_)) => message_page(
            &state,
            StatusCode::NOT_FOUND,
            "This setup has expired",
            "Start again from your security settings.",
        ),
        Err(e) => not_possible(&state, &e),
    }
}

pub async fn yubikey_submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<NameForm>,
) -> Response {
    let s = match in_sudo(&state, &headers, "/settings/add/yubikey").await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !same(&s.csrf_token, &form.csrf) {
        return forged(&state);
    }
    let name = match parse_label("name", &form.name, 64) {
        Ok(n) => n,
        Err(m) => {
            return name_page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &s,
                true,
                &form.name,
                Some(m),
                None,
            );
        }
    };
    let ctx = ctx_for(Some(&s.user_id), peer);
    let otp: String = form.otp.trim().chars().take(64).collect();
    match crate::services::factors::enroll_yubikey(&state, ctx, s.user_id.clone(), name, otp).await
    {
        Ok((factor, codes)) => activated(&state, s, &factor.id, codes, peer).await,
        Err(e) => match said(&e) {
            Some(m) => name_page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &s,
                true,
                &form.name,
                None,
                Some(m),
            ),
            None => error_page(&state, &e),
        },
    }
}

#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn remove(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(factor_id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let s = match signed_in_fully_in_sudo(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !same(&s.csrf_token, &form.csrf) {
        return forged(&state);
    }
    let ctx = ctx_for(Some(&s.user_id), peer);
    // The service only finds factors of this user: another user's id is "not found".
    match crate::services::factors::remove(&state, ctx, s.user_id.clone(), factor_id).await {
        Ok(()) => Redirect::to("/settings?notice=removed").into_response(),
        Err(Error::NotFound(_)) => message_page(
            &state,
            StatusCode::NOT_FOUND,
            "Not found",
            "You have no such factor.",
        ),
        Err(e) => not_possible(&state, &e),
    }
}

pub async fn regenerate(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let s = match signed_in_fully_in_sudo(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !same(&s.csrf_token, &form.csrf) {
        return forged(&state);
    }
    let ctx = ctx_for(Some(&s.user_id), peer);
    match crate::services::backup_codes::regenerate(&state, ctx, s.user_id.clone()).await {
        Ok(codes) => codes_page(&state, &s, codes),
        Err(e) => not_possible(&state, &e),
    }
}

#[derive(Template)]
#[template(path = "portal/security_key.html")]
struct SecurityKeyPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
}

pub async fn security_key_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match in_sudo(&state, &headers, "/settings/add/security-key").await {
        Ok(s) => html(
            StatusCode::OK,
            &SecurityKeyPage {
                issuer: &state.settings.server.issuer,
                signed_in: true,
                csrf: &s.csrf_token,
                nav_role: &s.role,
            },
        ),
        Err(r) => r,
    }
}

/// After an activation in the portal: an enrolling session that added a compliant factor is
/// signed in (a new session), then the first factor's backup codes are shown once, or the
/// settings page.
async fn activated(
    state: &AppState,
    s: Session,
    factor_id: &str,
    codes: Option<Vec<String>>,
    peer: SocketAddr,
) -> Response {
    let (s, cookies) = match super::portal::after_activation(state, s, factor_id, peer).await {
        Ok(v) => v,
        Err(e) => return error_page(state, &e),
    };
    let page = match codes {
        Some(codes) => codes_page(state, &s, codes),
        None => Redirect::to("/settings?notice=added").into_response(),
    };
    super::portal::with_cookies(page, cookies)
}

/// The JSON steps' session check: signed in, in sudo mode, with the page's CSRF token.
async fn json_session(state: &AppState, headers: &HeaderMap, csrf: &str) -> Result<Session, Error> {
    let s = match current(state, headers).await? {
        Some(s) if matches!(s.stage, Stage::Full | Stage::Enroll) => s,
        _ => return Err(Error::Unauthorized),
    };
    if !same(&s.csrf_token, csrf) {
        return Err(Error::Forbidden(
            "this page expired: reload it and try again".into(),
        ));
    }
    if s.sudo_until.is_none_or(|u| u <= naive(state.clock.now())) {
        return Err(Error::Forbidden(
            "confirm your password again: reload the page".into(),
        ));
    }
    Ok(s)
}

#[derive(serde::Deserialize)]
pub struct KeyStart {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

pub async fn security_key_start(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    crate::api::extract::ApiJson(body): crate::api::extract::ApiJson<KeyStart>,
) -> Result<axum::Json<serde_json::Value>, Error> {
    let s = json_session(&state, &headers, &body.csrf).await?;
    let name = parse_label("name", &body.name, 64).map_err(Error::BadRequest)?;
    let ctx = ctx_for(Some(&s.user_id), peer);
    let start =
        crate::services::webauthn::start_registration(&state, ctx, s.user_id.clone(), name).await?;
    Ok(axum::Json(
        serde_json::json!({ "factor_id": start.factor.id, "options": start.options }),
    ))
}

#[derive(serde::Deserialize)]
pub struct KeyFinish {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    factor_id: String,
    credential: serde_json::Value,
}

pub async fn security_key_finish(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    crate::api::extract::ApiJson(body): crate::api::extract::ApiJson<KeyFinish>,
) -> Result<Response, Error> {
    let s = json_session(&state, &headers, &body.csrf).await?;
    let ctx = ctx_for(Some(&s.user_id), peer);
    let (factor, codes) = crate::services::webauthn::finish_registration(
        &state,
        ctx,
        s.user_id.clone(),
        body.factor_id,
        body.credential,
    )
    .await?;
    // An enrolling session that just added a compliant key is signed in (a new cookie).
    let (_, cookies) = super::portal::after_activation(&state, s, &factor.id, peer).await?;
    Ok(super::portal::with_cookies(
        axum::Json(serde_json::json!({ "backup_codes": codes })).into_response(),
        cookies,
    ))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_our_own_pages_are_places_to_come_back_to() {
        for ok in [
            "/settings",
            "/settings/add/security-key",
            "/support",
            "/policy",
            "/support?email=ann%40example.com",
            "/support?email=a.b%2Bc_d-e%40example.co.uk",
        ] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/settings//evil",
            "/support?email=x&next=//evil",
            "/support?email=<script>",
            "/support?email=a/b",
            "/audit?x=1",
            "/support?other=1",
            "",
        ] {
            assert_eq!(safe_next(bad), "/settings", "{bad}");
        }
    }
}
