//! A YubiKey (Yubico OTP): its name and one touch, checked and activated at once.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::app::NameForm;
use super::{Device, NameAgain, activated, name_page, name_rule};
use crate::domain::newtypes::parse_label;
use crate::services::factors;
use crate::state::AppState;
use crate::web::page::{Layout, PageError, refusal_in};
use crate::web::session::{CsrfForm, Sudo};

#[tracing::instrument(skip_all)]
pub async fn page(State(state): State<AppState>, v: Sudo) -> Response {
    name_page(&state, &v, Device::YubiKey, NameAgain::first())
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    v: Sudo,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, PageError> {
    let again = |name_error, otp_error| {
        let again = NameAgain {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            name: &form.name,
            name_error,
            otp_error,
        };
        name_page(&state, &v, Device::YubiKey, again)
    };
    let words = Layout::of(&state, &v.session);
    let name = match parse_label("name", &form.name, 64) {
        Ok(n) => n,
        Err(_) => return Ok(again(Some(name_rule(&words, &form.name, 64)), None)),
    };
    let otp: String = form.otp.trim().chars().take(64).collect();
    match factors::enroll_yubikey(&state, v.ctx(), v.user_id().to_owned(), name, otp).await {
        Ok((factor, codes)) => activated(&state, &v, &factor.id, codes).await,
        Err(e) => match refusal_in(words.locale, &e) {
            Some(m) => Ok(again(None, Some(m))),
            None => Err(e.into()),
        },
    }
}
