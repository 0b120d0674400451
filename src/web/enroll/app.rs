//! An authenticator app (TOTP): its name, then the setup page (the steps for the common apps,
//! the setup key in groups of four, the QR code) and the code that turns it on.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;

use super::{Device, NameAgain, activated, name_page, name_rule};
use crate::domain::newtypes::parse_label;
use crate::error::{Error, INVALID_CODE_MESSAGE};
use crate::services::{account, factors};
use crate::state::AppState;
use crate::web::page::{Layout, PageError, message_page, refusal_in, render};
use crate::web::session::{CsrfForm, Sudo, redirect};

#[tracing::instrument(skip_all)]
pub async fn name(State(state): State<AppState>, v: Sudo) -> Response {
    name_page(&state, &v, Device::App, NameAgain::first())
}

#[derive(serde::Deserialize)]
pub struct NameForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub otp: String,
}

#[tracing::instrument(skip_all)]
pub async fn start(
    State(state): State<AppState>,
    v: Sudo,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, PageError> {
    let wrong = |message: String| {
        let again = NameAgain {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            name: &form.name,
            name_error: Some(message),
            otp_error: None,
        };
        name_page(&state, &v, Device::App, again)
    };
    let words = Layout::of(&state, &v.session);
    let name = match parse_label("name", &form.name, 64) {
        Ok(n) => n,
        Err(_) => return Ok(wrong(name_rule(&words, &form.name, 64))),
    };
    match factors::enroll_totp(&state, v.ctx(), v.user_id().to_owned(), name).await {
        Ok((factor, _)) => Ok(redirect(&format!(
            "/settings/factors/{}/activate",
            factor.id
        ))),
        Err(e) => match refusal_in(words.locale, &e) {
            Some(m) => Ok(wrong(m)),
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "portal/totp.html")]
struct TotpPage<'a> {
    layout: Layout,
    key_groups: String,
    account: &'a str,
    qr_data_url: String,
    action: String,
    error: Option<&'a str>,
}

/// "This setup has expired", in the user's language, with how long a setup lasts.
fn expired(state: &AppState, v: &Sudo) -> Response {
    let layout = Layout::of(state, &v.session);
    let heading = layout.t("setup-expired");
    let message = layout.t1(
        "setup-expired-after",
        "count",
        (state.settings.portal.pending_factor_ttl_seconds + 59) / 60,
    );
    message_page(layout, StatusCode::NOT_FOUND, &heading, &message)
}

/// The setup page of a pending TOTP factor of this user (rendered again after a wrong code).
async fn setup_page(
    state: &AppState,
    status: StatusCode,
    v: &Sudo,
    factor_id: &str,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let Some(pending) =
        account::pending_app(state, v.user_id().to_owned(), factor_id.to_owned()).await?
    else {
        return Ok(expired(state, v));
    };
    let key = pending.secret.to_base32();
    let key_groups = key
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let uri = pending.params.otpauth_uri(
        &state.settings.server.issuer,
        &pending.account,
        &pending.secret,
    );
    let svg = crate::domain::totp::qr_svg(&uri).map_err(|e| Error::internal(anyhow::anyhow!(e)))?;
    let qr_data_url = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    );
    Ok(render(
        status,
        &TotpPage {
            layout: Layout::of(state, &v.session),
            key_groups,
            account: &pending.account,
            qr_data_url,
            action: format!("/settings/factors/{factor_id}/activate"),
            error,
        },
    ))
}

#[tracing::instrument(skip_all, fields(factor_id = %factor_id))]
pub async fn setup(
    State(state): State<AppState>,
    v: Sudo,
    Path(factor_id): Path<String>,
) -> Result<Response, PageError> {
    if !crate::domain::ids::looks_like_id(&factor_id) {
        return Err(PageError::not_found("There is no such setup."));
    }
    setup_page(&state, StatusCode::OK, &v, &factor_id, None).await
}

#[derive(serde::Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

#[tracing::instrument(skip_all, fields(factor_id = %factor_id))]
pub async fn activate(
    State(state): State<AppState>,
    v: Sudo,
    Path(factor_id): Path<String>,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, PageError> {
    let code: String = form
        .code
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(16)
        .collect();
    let user_id = v.user_id().to_owned();
    match factors::activate_totp(&state, v.ctx(), user_id, factor_id.clone(), code).await {
        Ok((factor, codes)) => activated(&state, &v, &factor.id, codes).await,
        Err(Error::InvalidCode) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            setup_page(&state, status, &v, &factor_id, Some(INVALID_CODE_MESSAGE)).await
        }
        Err(Error::NotFound(_)) => {
            let layout = Layout::of(&state, &v.session);
            let heading = layout.t("setup-expired");
            let message = layout.t("setup-expired-again");
            Ok(message_page(
                layout,
                StatusCode::NOT_FOUND,
                &heading,
                &message,
            ))
        }
        Err(e) => Err(PageError::not_possible(e)),
    }
}
