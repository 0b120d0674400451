//! The support console (`support` and `security` users): find a customer, see their factors
//! (never a secret), backup codes left, a timeline from the audit log, and reset their second
//! factors after an identity check. Other users get a 403 page, and the attempt is audited.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::enroll::in_sudo;
use super::html;
use super::portal::{ctx_for, current, error_page, message_page, same};
use crate::db::models::{FactorRow, UserRow};
use crate::domain::clock::naive;
use crate::domain::mail::method_label;
use crate::domain::newtypes::Email;
use crate::error::Error;
use crate::services::audit::{AuditFilter, AuditRecord, record_audit_event};
use crate::services::sessions::{Session, Stage};
use crate::services::support::Verification;
use crate::services::{Actor, RequestContext};
use crate::state::AppState;

/// A signed-in support or security user; anyone else gets a 403 page and an audit event.
async fn staff(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    what: &str,
) -> Result<(Session, UserRow), Response> {
    let s = match current(state, headers).await {
        Ok(Some(s)) if s.stage == Stage::Full => s,
        Ok(Some(_)) => return Err(Redirect::to("/signin/verify").into_response()),
        Ok(None) => return Err(Redirect::to("/signin").into_response()),
        Err(e) => return Err(error_page(state, &e)),
    };
    let user_id = s.user_id.clone();
    let now = naive(state.clock.now());
    let ctx = ctx_for(Some(&s.user_id), peer);
    let what = what.to_owned();
    let user = state
        .db
        .write(move |conn| {
            let user = crate::services::users::load(conn, &user_id)?;
            if user.role != "support" && user.role != "security" {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "access.denied",
                        ctx: &ctx,
                        user_id: Some(&user.id),
                        factor_id: None,
                        details: serde_json::json!({ "page": what, "role": user.role }),
                    },
                )?;
            }
            Ok::<_, Error>(user)
        })
        .await
        .map_err(|e| error_page(state, &e))?;
    if user.role != "support" && user.role != "security" {
        return Err(message_page(
            state,
            StatusCode::FORBIDDEN,
            "Not available",
            "The support console is for support and security staff.",
        ));
    }
    Ok((s, user))
}

pub struct FactorView {
    name: String,
    kind: &'static str,
    key: String,
    status: &'static str,
    last_used: String,
}

pub struct EventView {
    at: String,
    event: String,
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
}

#[derive(Template)]
#[template(path = "portal/support.html")]
struct SupportPage<'a> {
    issuer: &'a str,
    signed_in: bool,
    nav_role: &'a str,
    csrf: &'a str,
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

async fn customer_view(state: &AppState, email: &str) -> Result<Option<CustomerView>, Error> {
    let Ok(email) = Email::parse(email) else {
        return Ok(None);
    };
    let normalized = email.normalized();
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            let Some(user) = UserRow::find_by_email(conn, &normalized)? else {
                return Ok::<_, Error>(None);
            };
            let factors = FactorRow::list_for_user(conn, &user.id, now)?;
            let remaining = crate::services::backup_codes::remaining(conn, &user.id)?;
            let (events, _) = crate::services::audit::list(
                conn,
                &AuditFilter {
                    user_id: Some(user.id.clone()),
                    limit: 50,
                    ..Default::default()
                },
            )?;
            let day = |t: chrono::NaiveDateTime| t.format("%-d %b %Y %H:%M").to_string();
            Ok(Some(CustomerView {
                id: user.id.clone(),
                email: user.email.clone(),
                role: user.role.clone(),
                reported: user.factors_frozen_at.is_some(),
                backup_remaining: remaining,
                factors: factors
                    .iter()
                    .map(|f| FactorView {
                        name: f.name.clone(),
                        kind: method_label(&f.kind),
                        key: f
                            .webauthn_aaguid
                            .clone()
                            .map(|a| format!("AAGUID {a}"))
                            .or_else(|| {
                                f.yubikey_public_id
                                    .clone()
                                    .map(|p| format!("public id {p}"))
                            })
                            .unwrap_or_default(),
                        status: if f.status == "active" {
                            "Active"
                        } else {
                            "Pending"
                        },
                        last_used: f.last_used_at.map(day).unwrap_or_else(|| "Never".into()),
                    })
                    .collect(),
                timeline: events
                    .into_iter()
                    .map(|e| EventView {
                        at: e.at.replace('T', " ").chars().take(19).collect(),
                        event: e.event,
                        actor: e.actor.kind,
                        ip: e.ip.unwrap_or_default(),
                    })
                    .collect(),
            }))
        })
        .await
}

#[allow(clippy::too_many_arguments)]
fn page(
    state: &AppState,
    status: StatusCode,
    s: &Session,
    query: &str,
    customer: Option<CustomerView>,
    searched: bool,
    message: Option<&str>,
    reset_error: Option<&str>,
) -> Response {
    html(
        status,
        &SupportPage {
            issuer: &state.settings.server.issuer,
            signed_in: true,
            csrf: &s.csrf_token,
            nav_role: &s.role,
            query,
            not_found: searched && customer.is_none(),
            customer,
            message,
            reset_error,
        },
    )
}

pub async fn console(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<Find>,
) -> Response {
    let (s, _) = match staff(&state, &headers, peer, "/support").await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let query: String = q.email.chars().take(254).collect();
    if query.trim().is_empty() {
        return page(&state, StatusCode::OK, &s, "", None, false, None, None);
    }
    let message = q
        .done
        .as_deref()
        .map(|_| "Two-factor authentication was reset. The customer has been emailed.");
    match customer_view(&state, &query).await {
        Ok(c) => page(&state, StatusCode::OK, &s, &query, c, true, message, None),
        Err(e) => error_page(&state, &e),
    }
}

#[derive(serde::Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    check: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    reference: String,
}

pub async fn reset(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(customer_id): Path<String>,
    Form(form): Form<ResetForm>,
) -> Response {
    let (_, agent) = match staff(&state, &headers, peer, "/support reset").await {
        Ok(v) => v,
        Err(r) => return r,
    };
    // A reset is a factor change of the highest impact: the agent's password, recently. After
    // the password the agent comes back to this customer.
    let email = {
        let id = customer_id.clone();
        state
            .db
            .read(move |conn| Ok::<_, Error>(crate::services::users::load(conn, &id)?.email))
            .await
    };
    let email = match email {
        Ok(e) => e,
        Err(Error::NotFound(_)) => {
            return message_page(
                &state,
                StatusCode::NOT_FOUND,
                "Not found",
                "No such customer.",
            );
        }
        Err(e) => return error_page(&state, &e),
    };
    let back = format!(
        "/support?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("email", &email)
            .finish()
    );
    let s = match in_sudo(&state, &headers, &back).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !same(&s.csrf_token, &form.csrf) {
        return message_page(
            &state,
            StatusCode::FORBIDDEN,
            "Please try again",
            "This form expired. Reload the console and try again.",
        );
    }
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
    let ctx = RequestContext::new(
        Actor::Support(agent.id.clone()),
        Some(peer.ip().to_string()),
    );
    let result = crate::services::support::reset(
        &state,
        ctx,
        crate::services::support::Agent {
            name: agent.display_name.clone(),
            may_reset_staff: agent.role == "security",
            user_id: Some(agent.id.clone()),
        },
        customer_id,
        form.reason,
        verification,
    )
    .await;
    let refusal = match result {
        Ok(_) => {
            let q = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("email", &email)
                .append_pair("done", "1")
                .finish();
            return Redirect::to(&format!("/support?{q}")).into_response();
        }
        Err(Error::InvalidCode) => "The backup code did not match: nothing was reset.".to_owned(),
        Err(Error::BadRequest(m)) | Err(Error::Forbidden(m)) => format!("Nothing was reset: {m}."),
        Err(e) => return error_page(&state, &e),
    };
    match customer_view(&state, &email).await {
        Ok(c) => page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &s,
            &email,
            c,
            true,
            None,
            Some(&refusal),
        ),
        Err(e) => error_page(&state, &e),
    }
}
