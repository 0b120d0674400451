//! "Add a second factor": the methods, those the policy does not allow shown disabled with
//! the reason; for a user the policy sent here after the password, why and until when.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::domain::clock::naive;
use crate::domain::newtypes::FactorKind;
use crate::domain::policy::{Exclusion, Source};
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
    disabled: Option<String>,
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

/// Why a method is disabled, naming the groups whose policy excludes it.
fn why_not(e: &Exclusion) -> String {
    let groups: Vec<&str> =
        e.by.iter()
            .filter_map(|s| match s {
                Source::Group { name, .. } => Some(name.as_str()),
                Source::Global => None,
            })
            .collect();
    let quoted = groups
        .iter()
        .map(|g| format!("“{g}”"))
        .collect::<Vec<_>>()
        .join(" and ");
    match (e.reason, groups.len()) {
        ("aaguid_conflict", _) => format!(
            "No security key model is allowed by the security policies of your groups {quoted} together."
        ),
        (_, 0) => "Not allowed by your organisation's security policy.".to_owned(),
        (_, 1) => format!("Not allowed by the security policy of your group {quoted}."),
        _ => format!("Not allowed by the security policies of your groups {quoted}."),
    }
}

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
            disabled: choice.effective.exclusion(kind).map(why_not),
        })
        .collect();
    ok(&AddPage {
        layout: Layout::of(&state, &v.session),
        methods,
        required,
    })
}
