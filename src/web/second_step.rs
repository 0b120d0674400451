//! The second step of sign-in: a code from the app, a touch of the YubiKey, a backup code, or
//! the security key (two JSON steps for `static/portal.js`).

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::page::{Layout, PageError, render};
use super::session::{
    CsrfForm, MaybeSession, SecondStep, clear_session_cookie, cookie, device_cookie, json_session,
    redirect, session_cookie, stage_home, with_cookies,
};
use crate::api::extract::ApiJson;
use crate::domain::newtypes::FactorKind;
use crate::error::{Error, INVALID_CODE_MESSAGE};
use crate::services::password_guard::DEVICE_COOKIE;
use crate::services::sessions::Stage;
use crate::services::sign_in::{self, CodeStep, NewSession, SecondStepKinds};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "portal/second_step.html")]
struct SecondStepPage<'a> {
    layout: Layout,
    prompt: &'a str,
    inputmode: &'a str,
    options: Vec<&'static str>,
    error: Option<String>,
    security_key: bool,
    /// None of the user's factors meets the policy any more: this step only leads to adding one.
    upgrade: bool,
    /// The sentence above the options (a hand-off names the application it returns to).
    intro: String,
    /// The code field: off for a step-up to hardware without a YubiKey (only the security key).
    code_form: bool,
    /// "Lost your device? … backup codes": not where backup codes are not accepted.
    backup_hint: bool,
}

fn second_step_page(
    state: &AppState,
    status: StatusCode,
    visitor: &SecondStep,
    kinds: &SecondStepKinds,
    error: Option<String>,
) -> Response {
    // The policy accepts none of these factors: a security key cannot be offered (the ceremony
    // only asks for accepted ones), and the page says what comes next when something can be added.
    let offer_key = !kinds.upgrade && kinds.has(FactorKind::Webauthn);
    // A step-up to hardware offers only the YubiKey and the security key.
    let hardware = visitor.session.handoff.as_ref().is_some_and(|h| h.hardware);
    let kinds = &SecondStepKinds {
        kinds: kinds
            .kinds
            .iter()
            .copied()
            .filter(|k| !hardware || matches!(k, FactorKind::YubikeyOtp | FactorKind::Webauthn))
            .collect(),
        ..kinds.clone()
    };
    let prompt = if kinds.has(FactorKind::Totp) {
        "Enter the 6-digit code from your authenticator app"
    } else if kinds.has(FactorKind::YubikeyOtp) {
        "Touch your YubiKey"
    } else {
        "Enter a backup code"
    };
    let mut options = Vec::new();
    if kinds.has(FactorKind::Totp) {
        options.push("Enter the 6-digit code from your authenticator app");
    }
    if kinds.has(FactorKind::YubikeyOtp) {
        options.push("Touch your YubiKey (with the cursor in the field)");
    }
    if offer_key {
        options.push("Use your security key");
    }
    if !hardware {
        options.push("Use a backup code");
    }
    let layout = Layout::of(state, &visitor.session);
    render(
        status,
        &SecondStepPage {
            prompt,
            // Backup codes have letters: never a numbers-only keyboard here.
            inputmode: "text",
            options,
            error,
            security_key: offer_key,
            upgrade: kinds.upgrade && kinds.can_enroll,
            intro: match &visitor.session.handoff {
                Some(h) if hardware => {
                    layout.t1("second-step-intro-hardware", "client", &h.client_name)
                }
                Some(h) => layout.t1("second-step-intro-handoff", "client", &h.client_name),
                None => layout.t("second-step-intro"),
            },
            layout,
            code_form: !hardware || kinds.has(FactorKind::YubikeyOtp),
            backup_hint: !hardware,
        },
    )
}

/// A YubiKey OTP's shape: 32 to 48 modhex characters (a public id and the 32-character OTP).
fn looks_like_yubikey_otp(code: &str) -> bool {
    (32..=48).contains(&code.len()) && code.bytes().all(|b| b"cbdefghijklnrtuv".contains(&b))
}

#[tracing::instrument(skip_all)]
pub async fn page(State(state): State<AppState>, v: SecondStep) -> Result<Response, PageError> {
    let kinds = sign_in::second_step_kinds(&state, v.session.user_id.clone()).await?;
    Ok(second_step_page(&state, StatusCode::OK, &v, &kinds, None))
}

#[derive(serde::Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    v: SecondStep,
    headers: axum::http::HeaderMap,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, PageError> {
    let code: String = form
        .code
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(128)
        .collect();
    // A step-up to hardware (acr_values=hardware) takes a YubiKey's touch or a security key:
    // an app code or a backup code is refused before it is checked (and used up).
    if v.session.handoff.as_ref().is_some_and(|h| h.hardware) && !looks_like_yubikey_otp(&code) {
        let kinds = sign_in::second_step_kinds(&state, v.session.user_id.clone()).await?;
        return Ok(second_step_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &v,
            &kinds,
            v.session.handoff.as_ref().map(|h| {
                Layout::of(&state, &v.session).t1(
                    "second-step-hardware-only",
                    "client",
                    &h.client_name,
                )
            }),
        ));
    }
    let message = match sign_in::with_code(&state, v.ctx(), &v.session, code).await {
        Ok(CodeStep::Started {
            token,
            stage,
            method,
        }) => {
            let next = match &v.session.handoff {
                Some(h) => {
                    crate::services::oidc::record_second_step(
                        &state,
                        h.authorization_id.clone(),
                        method,
                        token.clone(),
                    )
                    .await?;
                    "/oauth2/authorize/resume"
                }
                None => stage_home(stage),
            };
            let device = sign_in::remember_browser(
                &state,
                v.session.user_id.clone(),
                cookie(&headers, DEVICE_COOKIE),
            )
            .await?;
            return Ok(with_cookies(
                redirect(next),
                [
                    Some(session_cookie(&state, &token)),
                    device.map(|d| device_cookie(&state, &d)),
                ]
                .into_iter()
                .flatten(),
            ));
        }
        Ok(CodeStep::Restart) => {
            return Ok(with_cookies(
                redirect("/signin"),
                [clear_session_cookie(&state)],
            ));
        }
        Err(Error::InvalidCode) => INVALID_CODE_MESSAGE.to_owned(),
        // A hand-off's locked-out user goes back to the client (`too_many_attempts`).
        Err(Error::TooManyAttempts { .. }) if v.session.handoff.is_some() => {
            return Ok(redirect("/oauth2/authorize/resume"));
        }
        Err(Error::TooManyAttempts { retry_after }) => {
            let minutes = retry_after.div_ceil(60);
            Layout::of(&state, &v.session).t1("second-step-paused", "minutes", minutes)
        }
        // The policy no longer accepts the kind of factor the code came from (the service's
        // words are the API's).
        Err(Error::PolicyViolation(_)) => {
            Layout::of(&state, &v.session).t("second-step-not-allowed")
        }
        Err(e) => return Err(e.into()),
    };
    let kinds = sign_in::second_step_kinds(&state, v.session.user_id.clone()).await?;
    Ok(second_step_page(
        &state,
        StatusCode::UNPROCESSABLE_ENTITY,
        &v,
        &kinds,
        Some(message),
    ))
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

/// "Use your security key" at the second step: a challenge for the user's keys.
#[tracing::instrument(skip_all)]
pub async fn key_start(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    ApiJson(body): ApiJson<KeyStep>,
) -> Result<Json<serde_json::Value>, Error> {
    let v = json_session(&state, s, &[Stage::SecondStep], &body.csrf, false)?;
    let start =
        crate::services::webauthn::start_verification(&state, v.user_id().to_owned()).await?;
    Ok(Json(
        serde_json::json!({ "challenge_id": start.challenge_id, "options": start.options }),
    ))
}

/// The key's answer: on success the session is replaced by a signed-in one.
#[tracing::instrument(skip_all)]
pub async fn key_finish(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<KeyStep>,
) -> Result<Response, Error> {
    let v = json_session(&state, s, &[Stage::SecondStep], &body.csrf, false)?;
    crate::services::webauthn::finish_verification(
        &state,
        v.ctx(),
        v.user_id().to_owned(),
        body.challenge_id,
        body.credential,
    )
    .await?;
    let token = sign_in::start(
        &state,
        NewSession {
            user_id: v.user_id().to_owned(),
            previous: Some(v.session.token_hash.clone()),
            ctx: v.ctx(),
            stage: Stage::Full,
            details: serde_json::json!({ "second_factor": "webauthn" }),
        },
    )
    .await?;
    let next = match &v.session.handoff {
        Some(h) => {
            crate::services::oidc::record_second_step(
                &state,
                h.authorization_id.clone(),
                "webauthn".into(),
                token.clone(),
            )
            .await?;
            "/oauth2/authorize/resume"
        }
        None => "/settings",
    };
    let device = sign_in::remember_browser(
        &state,
        v.session.user_id.clone(),
        cookie(&headers, DEVICE_COOKIE),
    )
    .await?;
    Ok(with_cookies(
        Json(serde_json::json!({ "redirect": next })).into_response(),
        [
            Some(session_cookie(&state, &token)),
            device.map(|d| device_cookie(&state, &d)),
        ]
        .into_iter()
        .flatten(),
    ))
}
