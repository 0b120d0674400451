//! "Add a second factor": the methods, those the policy does not allow shown disabled with
//! the reason; for a user the policy sent here after the password, why and until when.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::domain::clock::naive;
use crate::domain::newtypes::FactorKind;
use crate::services::account;
use crate::services::compliance::Standing;
use crate::services::sessions::Stage;
use crate::state::AppState;
use crate::web::page::{Layout, PageError, ok};
use crate::web::session::Sudo;

pub struct Method {
    label: &'static str,
    about: &'static str,
    href: &'static str,
    disabled: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "portal/add.html")]
struct AddPage {
    layout: Layout,
    methods: Vec<Method>,
    /// The policy sends this user here after the password step: why, and until when.
    required: Option<String>,
}

const METHODS: [(FactorKind, &str, &str, &str); 3] = [
    (
        FactorKind::Totp,
        "Authenticator app",
        "Google Authenticator, Duo Mobile, Authy or another app that shows 6-digit codes.",
        "/settings/add/totp",
    ),
    (
        FactorKind::YubikeyOtp,
        "YubiKey",
        "A YubiKey that types a one-time password when you touch it.",
        "/settings/add/yubikey",
    ),
    (
        FactorKind::Webauthn,
        "Security key",
        "A FIDO2 security key or a passkey on this device.",
        "/settings/add/security-key",
    ),
];

#[tracing::instrument(skip_all)]
pub async fn page(State(state): State<AppState>, v: Sudo) -> Result<Response, PageError> {
    let choice = account::enrollment_choice(&state, v.user_id().to_owned()).await?;
    let required = (v.session.stage == Stage::Enroll).then(|| {
        match choice.standing(naive(state.clock.now())) {
            Standing::MustEnroll { by } => format!(
                "Your organisation requires two-factor authentication. Add one of the methods below by {} to keep access to your account.",
                by.format("%-d %B %Y")
            ),
            _ => "Your organisation's security policy no longer accepts your second factor. Add one of the methods below to continue.".to_owned(),
        }
    });
    let methods = METHODS
        .iter()
        .map(|&(kind, label, about, href)| Method {
            label,
            about,
            href,
            disabled: (!choice.allows(kind))
                .then_some("Not allowed by your organisation's security policy."),
        })
        .collect();
    ok(&AddPage {
        layout: Layout::of(&state, &v.session),
        methods,
        required,
    })
}
