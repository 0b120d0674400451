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

/// Why a method is disabled (the policy's reason code), naming the groups whose policy
/// excludes it, in `layout`'s language.
fn why_not(layout: &Layout, e: &Exclusion) -> String {
    let groups: Vec<&str> =
        e.by.iter()
            .filter_map(|s| match s {
                Source::Group { name, .. } => Some(name.as_str()),
                Source::Global => None,
            })
            .collect();
    let quoted = layout.quoted_list(&groups);
    match (e.reason, groups.len()) {
        ("aaguid_conflict", _) => layout.t1("policy-no-common-key-model", "groups", quoted),
        (_, 0) => layout.t("not-allowed-policy"),
        (_, n) => layout.t2("policy-not-allowed-groups", "count", n, "groups", quoted),
    }
}

#[tracing::instrument(skip_all)]
pub async fn page(State(state): State<AppState>, v: Sudo) -> Result<Response, PageError> {
    let choice = account::enrollment_choice(&state, v.user_id().to_owned()).await?;
    let layout = Layout::of(&state, &v.session);
    let required = (v.session.stage == Stage::Enroll).then(|| {
        match choice.standing(naive(state.clock.now())) {
            Standing::MustEnroll { by } => {
                layout.t1("required-enroll-by", "date", layout.date_long(by))
            }
            _ => layout.t("required-replace"),
        }
    });
    let methods = METHODS
        .iter()
        .map(|&(kind, label, about, href)| Method {
            label,
            about,
            href,
            disabled: choice
                .effective
                .exclusion(kind)
                .map(|e| why_not(&layout, e)),
        })
        .collect();
    ok(&AddPage {
        layout,
        methods,
        required,
    })
}
