//! The support console (`support` and `security` users): find a customer, see their factors
//! (never a secret), backup codes left, a timeline from the audit log, and reset their second
//! factors after an identity check. Other users get a 403 page, and the attempt is audited.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::domain::event_words::{actor_words_in, role_words};
use crate::domain::i18n::Locale;
use crate::domain::newtypes::Role;
use crate::error::Error;
use crate::services::console::{self, CustomerFile};
use crate::services::policy::{Effective, Source};
use crate::services::support::{Agent, Verification};
use crate::services::{Actor, RequestContext};
use crate::state::AppState;
use crate::web::page::{Layout, PageError, render};
use crate::web::session::{CsrfForm, Staff, SupportDesk, redirect};
use crate::web::staff::{EventWords, kind_badge, status_badge, when};

pub struct FactorView {
    name: String,
    kind: (String, &'static str),
    key: String,
    status: (String, &'static str),
    last_used: String,
}

pub struct EventView {
    at: String,
    event: EventWords,
    actor: String,
    ip: String,
}

pub struct CustomerView {
    id: String,
    email: String,
    /// The role as stored (`customer`, `support`, `security`); the page names it.
    role: String,
    reported: bool,
    backup_remaining: i64,
    factors: Vec<FactorView>,
    timeline: Vec<EventView>,
    /// (id, name) of the customer's groups.
    groups: Vec<(String, String)>,
    /// The effective policy: (rule, value, where it comes from).
    policy: Vec<(String, String, String)>,
}

/// Where a rule comes from, as the console names it: "the global policy", "the group “A”".
fn source_words(l: Locale, s: &Source) -> String {
    match s {
        Source::Global => l.t("staff-source-global"),
        Source::Group { name, .. } => l.t_args(
            "staff-source-group",
            &[("name", crate::domain::i18n::Arg::Text(name.clone()))],
        ),
    }
}

/// The rules of an effective policy in words, each with the policies it comes from.
fn policy_rows(l: Locale, e: &Effective) -> Vec<(String, String, String)> {
    let from = |s: &[Source]| {
        if s.is_empty() {
            source_words(l, &Source::Global)
        } else {
            s.iter()
                .map(|s| source_words(l, s))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let required = |yes: bool| {
        if yes {
            l.t("staff-required")
        } else {
            l.t("staff-not-required")
        }
    };
    let p = &e.policy;
    let mut rows = vec![(
        l.t("staff-rule-two-factor"),
        required(p.require_two_factor),
        from(&e.require_two_factor_from),
    )];
    let allowed: Vec<String> = p
        .allowed_methods
        .iter()
        .map(|m| kind_badge(l, m.as_str()).0)
        .collect();
    rows.push((
        l.t("staff-rule-methods"),
        if allowed.is_empty() {
            l.t("staff-none")
        } else {
            allowed.join(", ")
        },
        l.t("staff-all-policies"),
    ));
    for x in &e.excluded {
        let what = if x.reason == "aaguid_conflict" {
            l.t("staff-not-allowed-no-common-model")
        } else {
            l.t("staff-not-allowed")
        };
        rows.push((kind_badge(l, x.method.as_str()).0, what, from(&x.by)));
    }
    rows.push((
        l.t("staff-rule-uv"),
        l.t_args(
            "staff-uv-value",
            &[(
                "uv",
                crate::domain::i18n::Arg::Text(p.webauthn.user_verification.as_str().to_owned()),
            )],
        ),
        from(&e.user_verification_from),
    ));
    rows.push((
        l.t("staff-rule-attestation"),
        required(p.webauthn.require_attestation),
        from(&e.require_attestation_from),
    ));
    rows.push((
        l.t("staff-rule-key-models"),
        if p.webauthn.allowed_aaguids.is_empty() {
            l.t("staff-any")
        } else {
            p.webauthn
                .allowed_aaguids
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        },
        from(&e.allowed_aaguids_from),
    ));
    rows.push((
        l.t("staff-rule-days"),
        p.enrollment_grace_days.to_string(),
        from(&e.enrollment_grace_days_from),
    ));
    rows
}

#[derive(Template)]
#[template(path = "portal/support.html")]
struct SupportPage<'a> {
    layout: Layout,
    query: &'a str,
    not_found: bool,
    customer: Option<CustomerView>,
    /// The role of the customer in words.
    role: String,
    done: bool,
    reset_error: Option<&'a str>,
}

#[derive(serde::Deserialize, Default)]
pub struct Find {
    #[serde(default)]
    email: String,
    #[serde(default)]
    done: Option<String>,
}

fn customer_view(l: Locale, file: CustomerFile) -> CustomerView {
    CustomerView {
        id: file.id,
        email: file.email,
        role: file.role.as_str().to_owned(),
        reported: file.reported,
        policy: policy_rows(l, &file.effective),
        groups: file.groups,
        backup_remaining: file.backup_codes_left,
        factors: file
            .factors
            .into_iter()
            .map(|f| FactorView {
                name: f.name,
                kind: kind_badge(l, f.kind.as_str()),
                key: f.key.unwrap_or_default(),
                status: status_badge(l, f.active),
                last_used: f
                    .last_used_at
                    .map(|t| when(l, t, false))
                    .unwrap_or_else(|| l.t("never")),
            })
            .collect(),
        timeline: file
            .timeline
            .into_iter()
            .map(|e| EventView {
                at: chrono::DateTime::parse_from_rfc3339(&e.at)
                    .map(|t| when(l, t.naive_utc(), false))
                    .unwrap_or_else(|_| e.at.replace('T', " ").chars().take(16).collect()),
                event: EventWords::of(l, e.event, &e.details),
                actor: actor_words_in(l, &e.actor.kind),
                ip: e.ip.unwrap_or_default(),
            })
            .collect(),
    }
}

/// What the console shows besides the search.
#[derive(Default)]
struct Shown<'a> {
    query: &'a str,
    customer: Option<CustomerView>,
    searched: bool,
    done: bool,
    reset_error: Option<&'a str>,
}

fn page(layout: Layout, status: StatusCode, shown: Shown<'_>) -> Response {
    let role = shown
        .customer
        .as_ref()
        .map(|c| role_words(layout.locale, &c.role))
        .unwrap_or_default();
    render(
        status,
        &SupportPage {
            layout,
            query: shown.query,
            not_found: shown.searched && shown.customer.is_none(),
            customer: shown.customer,
            role,
            done: shown.done,
            reset_error: shown.reset_error,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn console(
    State(state): State<AppState>,
    v: Staff<SupportDesk>,
    Query(q): Query<Find>,
) -> Result<Response, PageError> {
    let layout = Layout::staff(&state, &v.session);
    let query: String = q.email.chars().take(254).collect();
    if query.trim().is_empty() {
        return Ok(page(layout, StatusCode::OK, Shown::default()));
    }
    let customer = console::customer_file(&state, &query)
        .await?
        .map(|f| customer_view(layout.locale, f));
    let shown = Shown {
        query: &query,
        customer,
        searched: true,
        done: q.done.is_some(),
        reset_error: None,
    };
    Ok(page(layout, StatusCode::OK, shown))
}

#[derive(serde::Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    check: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    reference: String,
}

#[tracing::instrument(skip_all, fields(customer_id = %customer_id))]
pub async fn reset(
    State(state): State<AppState>,
    v: Staff<SupportDesk>,
    Path(customer_id): Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, PageError> {
    let agent = crate::services::users::get_user(&state, v.user_id().to_owned()).await?;
    let email = match crate::services::users::get_user(&state, customer_id.clone()).await {
        Ok(u) => u.email,
        // The message page shows it in the browser's language (`staff-no-such-customer`).
        Err(Error::NotFound(_)) => return Err(PageError::not_found("No such customer.")),
        Err(e) => return Err(e.into()),
    };
    // A reset is a factor change of the highest impact: the agent's password, recently. After
    // the password the agent comes back to this customer.
    let back = format!(
        "/support?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("email", &email)
            .finish()
    );
    v.require_sudo(&state, &back)?;
    let verification = match form.check.as_str() {
        "backup_code" => Verification::BackupCode {
            code: form.code.chars().take(64).collect(),
        },
        "out_of_band" => Verification::OutOfBand {
            reference: form.reference.chars().take(200).collect(),
        },
        _ => Verification::OutOfBand {
            reference: String::new(),
        },
    };
    let ctx = RequestContext::new(Actor::Support(agent.id.clone()), v.ip.clone());
    let by = Agent {
        name: agent.display_name.clone(),
        may_reset_staff: agent.role == Role::Security,
        user_id: Some(agent.id.clone()),
    };
    let layout = Layout::staff(&state, &v.session);
    let result =
        crate::services::support::reset(&state, ctx, by, customer_id, form.reason, verification)
            .await;
    let refusal = match result {
        Ok(_) => {
            let q = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("email", &email)
                .append_pair("done", "1")
                .finish();
            return Ok(redirect(&format!("/support?{q}")));
        }
        Err(Error::InvalidCode) => layout.t("staff-reset-wrong-code"),
        Err(Error::BadRequest(m)) | Err(Error::Forbidden(m)) => {
            let reason = super::refusal_words(layout.locale, &m);
            layout.t1("staff-nothing-reset", "reason", reason)
        }
        Err(e) => return Err(e.into()),
    };
    let customer = console::customer_file(&state, &email)
        .await?
        .map(|f| customer_view(layout.locale, f));
    let shown = Shown {
        query: &email,
        customer,
        searched: true,
        done: false,
        reset_error: Some(&refusal),
    };
    Ok(page(layout, StatusCode::UNPROCESSABLE_ENTITY, shown))
}
