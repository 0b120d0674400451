//! The support console (`support` and `security` users): find a customer, see their factors
//! (never a secret), backup codes left, a timeline from the audit log, and reset their second
//! factors after an identity check. Other users get a 403 page, and the attempt is audited.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::domain::event_words::actor_words;
use crate::domain::newtypes::Role;
use crate::error::Error;
use crate::services::console::{self, CustomerFile};
use crate::services::policy::{Effective, Source};
use crate::services::support::{Agent, Verification};
use crate::services::{Actor, RequestContext};
use crate::state::AppState;
use crate::web::page::{Layout, PageError, render};
use crate::web::session::{CsrfForm, Staff, SupportDesk, redirect};
use crate::web::staff::{EventWords, kind_badge, status_badge};

pub struct FactorView {
    name: String,
    kind: (&'static str, &'static str),
    key: String,
    status: (&'static str, &'static str),
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
    role: String,
    reported: bool,
    backup_remaining: i64,
    factors: Vec<FactorView>,
    timeline: Vec<EventView>,
    /// (id, name) of the customer's groups.
    groups: Vec<(String, String)>,
    /// The effective policy: (rule, value, where it comes from).
    policy: Vec<(&'static str, String, String)>,
}

/// The rules of an effective policy in words, each with the policies it comes from.
fn policy_rows(e: &Effective) -> Vec<(&'static str, String, String)> {
    let from = |s: &[Source]| {
        if s.is_empty() {
            Source::Global.label()
        } else {
            s.iter().map(Source::label).collect::<Vec<_>>().join(", ")
        }
    };
    let p = &e.policy;
    let mut rows = vec![(
        "Two-factor authentication",
        if p.require_two_factor {
            "Required"
        } else {
            "Not required"
        }
        .to_owned(),
        from(&e.require_two_factor_from),
    )];
    let allowed: Vec<&str> = p
        .allowed_methods
        .iter()
        .map(|m| kind_badge(m.as_str()).0)
        .collect();
    rows.push((
        "Methods allowed",
        if allowed.is_empty() {
            "None".to_owned()
        } else {
            allowed.join(", ")
        },
        "all policies together".to_owned(),
    ));
    for x in &e.excluded {
        let what = if x.reason == "aaguid_conflict" {
            "Not allowed: the allowed key models have nothing in common"
        } else {
            "Not allowed"
        };
        rows.push((
            kind_badge(x.method.as_str()).0,
            what.to_owned(),
            from(&x.by),
        ));
    }
    rows.push((
        "User verification",
        p.webauthn.user_verification.as_str().to_owned(),
        from(&e.user_verification_from),
    ));
    rows.push((
        "Attestation",
        if p.webauthn.require_attestation {
            "Required"
        } else {
            "Not required"
        }
        .to_owned(),
        from(&e.require_attestation_from),
    ));
    rows.push((
        "Security key models",
        if p.webauthn.allowed_aaguids.is_empty() {
            "Any".to_owned()
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
        "Days to enroll",
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
    message: Option<&'a str>,
    reset_error: Option<&'a str>,
}

#[derive(serde::Deserialize, Default)]
pub struct Find {
    #[serde(default)]
    email: String,
    #[serde(default)]
    done: Option<String>,
}

fn customer_view(file: CustomerFile) -> CustomerView {
    let day = |t: chrono::NaiveDateTime| t.format("%-d %b %Y %H:%M").to_string();
    CustomerView {
        id: file.id,
        email: file.email,
        role: file.role.as_str().to_owned(),
        reported: file.reported,
        policy: policy_rows(&file.effective),
        groups: file.groups,
        backup_remaining: file.backup_codes_left,
        factors: file
            .factors
            .into_iter()
            .map(|f| FactorView {
                name: f.name,
                kind: kind_badge(f.kind.as_str()),
                key: f.key.unwrap_or_default(),
                status: status_badge(f.active),
                last_used: f.last_used_at.map(day).unwrap_or_else(|| "Never".into()),
            })
            .collect(),
        timeline: file
            .timeline
            .into_iter()
            .map(|e| EventView {
                at: e.at.replace('T', " ").chars().take(16).collect(),
                event: EventWords::of(e.event, &e.details),
                actor: actor_words(&e.actor.kind).to_owned(),
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
    message: Option<&'a str>,
    reset_error: Option<&'a str>,
}

fn page(
    state: &AppState,
    status: StatusCode,
    v: &Staff<SupportDesk>,
    shown: Shown<'_>,
) -> Response {
    render(
        status,
        &SupportPage {
            layout: Layout::staff(state, &v.session),
            query: shown.query,
            not_found: shown.searched && shown.customer.is_none(),
            customer: shown.customer,
            message: shown.message,
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
    let query: String = q.email.chars().take(254).collect();
    if query.trim().is_empty() {
        return Ok(page(&state, StatusCode::OK, &v, Shown::default()));
    }
    let message = q
        .done
        .as_deref()
        .map(|_| "Two-factor authentication was reset. The customer has been emailed.");
    let customer = console::customer_file(&state, &query)
        .await?
        .map(customer_view);
    let shown = Shown {
        query: &query,
        customer,
        searched: true,
        message,
        reset_error: None,
    };
    Ok(page(&state, StatusCode::OK, &v, shown))
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
        Err(Error::InvalidCode) => "The backup code did not match: nothing was reset.".to_owned(),
        Err(Error::BadRequest(m)) | Err(Error::Forbidden(m)) => format!("Nothing was reset: {m}."),
        Err(e) => return Err(e.into()),
    };
    let customer = console::customer_file(&state, &email)
        .await?
        .map(customer_view);
    let shown = Shown {
        query: &email,
        customer,
        searched: true,
        message: None,
        reset_error: Some(&refusal),
    };
    Ok(page(&state, StatusCode::UNPROCESSABLE_ENTITY, &v, shown))
}
