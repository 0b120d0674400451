//! The security policy page (`security` users): the policy of API.md as a form.

use askama::Template;
use axum::extract::{Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::domain::i18n::{Arg, Locale};
use crate::domain::newtypes::FactorKind;
use crate::domain::webauthn::KNOWN_AUTHENTICATORS;
use crate::error::Error;
use crate::services::policy::{Policy, UserVerification, WebauthnPolicy};
use crate::state::AppState;
use crate::web::page::{Layout, PageError, render};
use crate::web::session::{SecurityTeam, Staff, redirect, same};

pub struct Known {
    pub(super) aaguid: &'static str,
    pub(super) name: &'static str,
    pub(super) checked: bool,
}

/// The policy form's fields (`templates/portal/policy_fields.html`, shared by the global
/// policy page and a group's page).
pub struct Fields {
    pub(super) require_two_factor: bool,
    pub(super) grace: String,
    pub(super) totp: bool,
    pub(super) yubikey: bool,
    pub(super) webauthn: bool,
    pub(super) uv: &'static str,
    pub(super) attestation: bool,
    pub(super) known: Vec<Known>,
    pub(super) other: String,
}

impl Fields {
    pub fn of(p: &Policy) -> Self {
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
        Self {
            require_two_factor: p.require_two_factor,
            grace: p.enrollment_grace_days.to_string(),
            totp: p.allows(FactorKind::Totp),
            yubikey: p.allows(FactorKind::YubikeyOtp),
            webauthn: p.allows(FactorKind::Webauthn),
            uv: p.webauthn.user_verification.as_str(),
            attestation: p.webauthn.require_attestation,
            known,
            other,
        }
    }
}

#[derive(Template)]
#[template(path = "portal/policy.html")]
struct PolicyPage {
    layout: Layout,
    saved: bool,
    error: Option<String>,
    f: Fields,
}

/// The policy form, as it is (or as it was sent, with what is wrong with it).
struct Form<'a> {
    policy: &'a Policy,
    saved: bool,
    error: Option<String>,
}

fn form_page(
    state: &AppState,
    status: StatusCode,
    v: &Staff<SecurityTeam>,
    f: Form<'_>,
) -> Response {
    let Form {
        policy: p,
        saved,
        error,
    } = f;
    render(
        status,
        &PolicyPage {
            layout: Layout::staff(state, &v.session),
            saved,
            error,
            f: Fields::of(p),
        },
    )
}

#[derive(serde::Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    Query(q): Query<Saved>,
) -> Result<Response, PageError> {
    let policy = crate::services::policy::get(&state).await?;
    let saved = q.saved.is_some();
    Ok(form_page(
        &state,
        StatusCode::OK,
        &v,
        Form {
            policy: &policy,
            saved,
            error: None,
        },
    ))
}

/// What is wrong with a policy form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    UnknownMethod(String),
    UnknownUserVerification(String),
    NotAnAaguid(String),
    GraceNotANumber,
}

impl FormError {
    /// What is wrong, in `l` (it ends a sentence such as "Nothing was saved: …").
    pub fn words(&self, l: Locale) -> String {
        let value = |v: &String| [("value", Arg::Text(v.clone()))];
        match self {
            Self::UnknownMethod(m) => l.t_args("staff-form-unknown-method", &value(m)),
            Self::UnknownUserVerification(u) => l.t_args("staff-form-unknown-uv", &value(u)),
            Self::NotAnAaguid(a) => l.t_args("staff-form-not-aaguid", &value(a)),
            Self::GraceNotANumber => l.t("staff-form-grace-not-number"),
        }
    }
}

/// The form as a policy, or what is wrong with it.
pub fn parse(pairs: &[(String, String)]) -> Result<Policy, FormError> {
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
        methods.push(FactorKind::parse(m).ok_or_else(|| FormError::UnknownMethod(m.to_owned()))?);
    }
    let uv = match get("user_verification").unwrap_or("preferred") {
        "preferred" => UserVerification::Preferred,
        "required" => UserVerification::Required,
        "discouraged" => UserVerification::Discouraged,
        other => return Err(FormError::UnknownUserVerification(other.to_owned())),
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
        aaguids.push(uuid::Uuid::parse_str(a).map_err(|_| FormError::NotAnAaguid(a.to_owned()))?);
    }
    let grace: i64 = get("enrollment_grace_days")
        .unwrap_or("0")
        .trim()
        .parse()
        .map_err(|_| FormError::GraceNotANumber)?;
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

#[tracing::instrument(skip_all)]
pub async fn save(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    RawForm(raw): RawForm,
) -> Result<Response, PageError> {
    // Changing the policy binds every user: the security user's password, recently.
    v.require_sudo(&state, "/policy")?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&raw)
        .into_owned()
        .take(200)
        .collect();
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if !same(&v.session.csrf_token, csrf) {
        return Err(PageError::forged());
    }
    let l = Layout::staff(&state, &v.session).locale;
    // `m` is in the page's language already.
    let refused = |p: &Policy, m: String| {
        let form = Form {
            policy: p,
            saved: false,
            error: Some(l.t_args("staff-nothing-saved", &[("reason", Arg::Text(m))])),
        };
        form_page(&state, StatusCode::UNPROCESSABLE_ENTITY, &v, form)
    };
    let policy = match parse(&pairs) {
        Ok(p) => p,
        // Nothing was saved: the form shows the policy in force again, with the reason.
        Err(m) => {
            let now = crate::services::policy::get(&state).await?;
            return Ok(refused(&now, m.words(l)));
        }
    };
    match crate::services::policy::put(&state, v.ctx(), policy.clone()).await {
        Ok(_) => Ok(redirect("/policy?saved=1")),
        Err(Error::BadRequest(m) | Error::Conflict(m)) => {
            Ok(refused(&policy, super::refusal_words(l, &m)))
        }
        Err(e) => Err(e.into()),
    }
}
