//! Adding and removing second factors in the portal: the password again (sudo mode), the
//! choice of method, an authenticator app, a YubiKey, a security key, backup codes, removal.
//! Each needs a signed-in (or enrolling) session in sudo mode.

pub mod app;
pub mod backup_codes;
pub mod choose;
pub mod removal;
pub mod security_key;
pub mod sudo;
pub mod yubikey;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::page::{Layout, PageError, render};
use super::session::{Visitor, redirect, session_cookie, with_cookies};
use crate::state::AppState;

/// "Name this device" (and for a YubiKey, its first OTP): the first page of an app or a key.
#[derive(Template)]
#[template(path = "portal/name.html")]
struct NamePage<'a> {
    layout: Layout,
    heading: &'a str,
    action: &'a str,
    placeholder: &'a str,
    button: &'a str,
    name: &'a str,
    name_error: Option<String>,
    yubikey: bool,
    otp_error: Option<String>,
}

/// Which device the name page is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Device {
    App,
    YubiKey,
}

/// The name page again, with what was typed and what was wrong with it.
struct NameAgain<'a> {
    status: StatusCode,
    name: &'a str,
    name_error: Option<String>,
    otp_error: Option<String>,
}

impl NameAgain<'_> {
    fn first() -> Self {
        Self {
            status: StatusCode::OK,
            name: "",
            name_error: None,
            otp_error: None,
        }
    }
}

/// Why a device's name is refused (the rules of `parse_label`, whose words are the API's), in
/// `layout`'s language.
fn name_rule(layout: &Layout, raw: &str, max: usize) -> String {
    let name = raw.trim();
    if name.is_empty() {
        layout.t("name-missing")
    } else if name.chars().count() > max {
        layout.t1("name-too-long", "count", max)
    } else {
        layout.t("name-control-characters")
    }
}

fn name_page(state: &AppState, v: &Visitor, device: Device, again: NameAgain<'_>) -> Response {
    let yubikey = device == Device::YubiKey;
    let layout = Layout::of(state, &v.session);
    let placeholder = if yubikey {
        layout.t("placeholder-yubikey")
    } else {
        layout.t("placeholder-app")
    };
    render(
        again.status,
        &NamePage {
            layout,
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
            placeholder: &placeholder,
            button: if yubikey { "Add YubiKey" } else { "Continue" },
            name: again.name,
            name_error: again.name_error,
            yubikey,
            otp_error: again.otp_error,
        },
    )
}

/// After an activation in the portal: an enrolling session that added a compliant factor is
/// signed in (a new session), then the first factor's backup codes are shown once, or the
/// settings page.
async fn activated(
    state: &AppState,
    v: &Visitor,
    factor_id: &str,
    codes: Option<Vec<String>>,
) -> Result<Response, PageError> {
    let promoted =
        crate::services::sign_in::after_activation(state, v.ctx(), &v.session, factor_id).await?;
    let (session, cookie) = match promoted {
        Some((session, token)) => (session, Some(session_cookie(state, &token))),
        None => (v.session.clone(), None),
    };
    if let Some(h) = &session.handoff {
        let kind = crate::services::account::factor_kind(
            state,
            session.user_id.clone(),
            factor_id.to_owned(),
        )
        .await?;
        if let Some(kind) = kind {
            crate::services::oidc::record_enrolled(state, h.authorization_id.clone(), kind).await?;
        }
    }
    let page = match codes {
        Some(codes) => backup_codes::codes_page(state, &session, codes),
        None => redirect(crate::web::session::after_added(&session)),
    };
    Ok(with_cookies(page, cookie))
}
