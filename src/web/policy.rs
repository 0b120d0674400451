//! The security policy page (`security` users): the policy of API.md as a form.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, RawForm, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::audit::security_user;
use super::html;
use super::portal::{ctx_for, error_page, same};
use crate::domain::newtypes::FactorKind;
use crate::domain::webauthn::KNOWN_AUTHENTICATORS;
use crate::error::Error;
use crate::services::policy::{Policy, UserVerification, WebauthnPolicy};
use crate::state::AppState;

pub struct Known {
    aaguid: &'static str,
    name: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "portal/policy.html")]
struct PolicyPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
    saved: bool,
    error: Option<String>,
    require_two_factor: bool,
    grace: String,
    totp: bool,
    yubikey: bool,
    webauthn: bool,
    uv: &'a str,
    attestation: bool,
    known: Vec<Known>,
    other: String,
}

fn render(
    state: &AppState,
    status: StatusCode,
    csrf: &str,
    p: &Policy,
    saved: bool,
    error: Option<String>,
) -> Response {
    let listed: Vec<String> = p
        .webauthn
        .allowed_aaguids
        .iter()
        .map(|a| a.to_string())
        .collect();
    let known: Vec<Known> = KNOWN_AUTHENTICATORS
        .iter()
        .map(|(a, n)| Known {
            aaguid: a,
            name: n,
            checked: listed.iter().any(|l| l == a),
        })
        .collect();
    let other = listed
        .iter()
        .filter(|l| !KNOWN_AUTHENTICATORS.iter().any(|(a, _)| a == l))
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    html(
        status,
        &PolicyPage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            // Only security users reach this page.
            nav_role: "security",
            csrf,
            saved,
            error,
            require_two_factor: p.require_two_factor,
            grace: p.enrollment_grace_days.to_string(),
            totp: p.allows(FactorKind::Totp),
            yubikey: p.allows(FactorKind::YubikeyOtp),
            webauthn: p.allows(FactorKind::Webauthn),
            uv: p.webauthn.user_verification.as_str(),
            attestation: p.webauthn.require_attestation,
            known,
            other,
        },
    )
}

#[derive(serde::Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<Saved>,
) -> Response {
    let s = match security_user(&state, &headers, peer, "/policy").await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match crate::services::policy::get(&state).await {
        Ok(p) => render(
            &state,
            StatusCode::OK,
            &s.csrf_token,
            &p,
            q.saved.is_some(),
            None,
        ),
        Err(e) => error_page(&state, &e),
    }
}

/// The form as a policy, or what is wrong with it.
fn parse(pairs: &[(String, String)]) -> Result<Policy, String> {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let all = |k: &str| {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    let mut methods = Vec::new();
    for m in all("method") {
        methods.push(FactorKind::parse(m).ok_or_else(|| format!("unknown method {m}"))?);
    }
    let uv = match get("user_verification").unwrap_or("preferred") {
        "preferred" => UserVerification::Preferred,
        "required" => UserVerification::Required,
        "discouraged" => UserVerification::Discouraged,
        other => return Err(format!("unknown user verification {other}")),
    };
    let mut aaguids = Vec::new();
    for a in all("aaguid")
        .into_iter()
        .chain(get("other_aaguids").unwrap_or("").lines())
    {
        let a = a.trim();
        if a.is_empty() {
            continue;
        }
        aaguids
            .push(uuid::Uuid::parse_str(a).map_err(|_| format!("{a} is not an AAGUID (a UUID)"))?);
    }
    let grace: i64 = get("enrollment_grace_days")
        .unwrap_or("0")
        .trim()
        .parse()
        .map_err(|_| "the grace period is a whole number of days".to_string())?;
    Ok(Policy {
        require_two_factor: get("require_two_factor").is_some(),
        allowed_methods: methods,
        webauthn: WebauthnPolicy {
            user_verification: uv,
            allowed_aaguids: aaguids,
            require_attestation: get("require_attestation").is_some(),
        },
        enrollment_grace_days: grace,
    })
}

pub async fn save(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawForm(raw): RawForm,
) -> Response {
    if let Err(r) = security_user(&state, &headers, peer, "/policy").await {
        return r;
    }
    // Changing the policy binds every user: the security user's password, recently.
    let s = match super::enroll::in_sudo(&state, &headers, "/policy").await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&raw)
        .into_owned()
        .take(200)
        .collect();
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if !same(&s.csrf_token, csrf) {
        return super::portal::message_page(
            &state,
            StatusCode::FORBIDDEN,
            "Please try again",
            "This form expired. Reload the policy page.",
        );
    }
    let refused = |p: &Policy, m: String| {
        render(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &s.csrf_token,
            p,
            false,
            Some(m),
        )
    };
    let policy = match parse(&pairs) {
        Ok(p) => p,
        // Nothing was saved: the form shows the policy in force again, with the reason.
        Err(m) => {
            return match crate::services::policy::get(&state).await {
                Ok(current) => refused(&current, format!("Nothing was saved: {m}.")),
                Err(e) => error_page(&state, &e),
            };
        }
    };
    let ctx = ctx_for(Some(&s.user_id), peer);
    match crate::services::policy::put(&state, ctx, policy.clone()).await {
        Ok(_) => Redirect::to("/policy?saved=1").into_response(),
        Err(Error::BadRequest(m)) => refused(&policy, format!("Nothing was saved: {m}.")),
        Err(e) => error_page(&state, &e),
    }
}
