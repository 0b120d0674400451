//! A security key or passkey (WebAuthn): the page, then two JSON steps driven by
//! `static/portal.js` (the ceremony's options, then the authenticator's answer).

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::api::extract::ApiJson;
use crate::domain::newtypes::parse_label;
use crate::error::Error;
use crate::services::sessions::Stage;
use crate::state::AppState;
use crate::web::page::{Layout, PageError, ok};
use crate::web::session::{MaybeSession, Sudo, json_session, session_cookie, with_cookies};

#[derive(Template)]
#[template(path = "portal/security_key.html")]
struct SecurityKeyPage {
    layout: Layout,
    done_href: &'static str,
}

#[tracing::instrument(skip_all)]
pub async fn page(State(state): State<AppState>, v: Sudo) -> Result<Response, PageError> {
    ok(&SecurityKeyPage {
        layout: Layout::of(&state, &v.session),
        done_href: crate::web::session::codes_saved(&v.session),
    })
}

#[derive(serde::Deserialize)]
pub struct KeyStart {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

const ENROLLING: [Stage; 2] = [Stage::Full, Stage::Enroll];

#[tracing::instrument(skip_all)]
pub async fn start(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    ApiJson(body): ApiJson<KeyStart>,
) -> Result<Json<serde_json::Value>, Error> {
    let v = json_session(&state, s, &ENROLLING, &body.csrf, true)?;
    let name = parse_label("name", &body.name, 64).map_err(Error::BadRequest)?;
    let start = crate::services::webauthn::start_registration(
        &state,
        v.ctx(),
        v.user_id().to_owned(),
        name,
    )
    .await?;
    Ok(Json(
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

#[tracing::instrument(skip_all)]
pub async fn finish(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    ApiJson(body): ApiJson<KeyFinish>,
) -> Result<Response, Error> {
    let v = json_session(&state, s, &ENROLLING, &body.csrf, true)?;
    let (factor, codes) = crate::services::webauthn::finish_registration(
        &state,
        v.ctx(),
        v.user_id().to_owned(),
        body.factor_id,
        body.credential,
    )
    .await?;
    // An enrolling session that just added a compliant key is signed in (a new cookie).
    let promoted =
        crate::services::sign_in::after_activation(&state, v.ctx(), &v.session, &factor.id).await?;
    if let Some(h) = &v.session.handoff {
        crate::services::oidc::record_enrolled(
            &state,
            h.authorization_id.clone(),
            crate::domain::newtypes::FactorKind::Webauthn,
        )
        .await?;
    }
    Ok(with_cookies(
        Json(serde_json::json!({
            "backup_codes": codes,
            "redirect": crate::web::session::after_added(&v.session),
        }))
        .into_response(),
        promoted.map(|(_, token)| session_cookie(&state, &token)),
    ))
}
