//! The groups pages (`security` users): the list of groups (create, delete), and a group's
//! page: its members by email (add, remove) and its policy as a form like the global policy's.
//! Changes need sudo mode, as a policy change does.

use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::policy::Fields;
use crate::domain::i18n::Locale;
use crate::domain::newtypes::Email;
use crate::error::Error;
use crate::services::groups::{self, Group};
use crate::services::policy::Policy;
use crate::state::AppState;
use crate::web::page::{Layout, PageError, refusal, render};
use crate::web::session::{CsrfForm, SecurityTeam, Staff, redirect, same};
use crate::web::staff::refusal_words;

pub struct GroupRow {
    id: String,
    name: String,
    members: i64,
    summary: String,
}

/// A policy in a few words, for the list.
fn summary(l: Locale, p: Option<&Policy>) -> String {
    let Some(p) = p else {
        return l.t("staff-summary-no-policy");
    };
    let methods: Vec<String> = p
        .allowed_methods
        .iter()
        .map(|m| super::kind_badge(l, m.as_str()).0)
        .collect();
    let mut parts = Vec::new();
    if p.require_two_factor {
        parts.push(l.t("staff-summary-two-factor"));
    }
    parts.push(if methods.is_empty() {
        l.t("staff-summary-no-method")
    } else {
        methods.join(", ")
    });
    if p.webauthn.require_attestation {
        parts.push(l.t("staff-summary-attestation"));
    }
    parts.join(" · ")
}

#[derive(Template)]
#[template(path = "portal/groups.html")]
struct GroupsPage {
    layout: Layout,
    groups: Vec<GroupRow>,
    message: Option<String>,
    error: Option<String>,
    name: String,
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

/// The banner after a change (`?done=…`), in `l`.
fn done_message(l: Locale, done: Option<&str>) -> Option<String> {
    let id = match done? {
        "deleted" => "staff-group-deleted",
        "created" => "staff-group-created",
        "policy" => "staff-group-policy-saved",
        "policy_removed" => "staff-group-policy-removed",
        "added" => "staff-group-member-added",
        "removed" => "staff-group-member-removed",
        _ => return None,
    };
    Some(l.t(id))
}

async fn list_page(
    state: &AppState,
    v: &Staff<SecurityTeam>,
    status: StatusCode,
    done: Option<&str>,
    error: Option<String>,
    name: String,
) -> Result<Response, PageError> {
    let layout = Layout::staff(state, &v.session);
    let l = layout.locale;
    let groups = groups::list(state)
        .await?
        .into_iter()
        .map(|g| GroupRow {
            summary: summary(l, g.policy.as_ref()),
            id: g.id,
            name: g.name,
            members: g.members,
        })
        .collect();
    Ok(render(
        status,
        &GroupsPage {
            message: done_message(l, done),
            layout,
            groups,
            error,
            name,
        },
    ))
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let done = q.done.as_deref();
    list_page(&state, &v, StatusCode::OK, done, None, String::new()).await
}

#[derive(serde::Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    CsrfForm(form): CsrfForm<NameForm>,
) -> Result<Response, PageError> {
    v.require_sudo(&state, "/groups")?;
    match groups::create(&state, v.ctx(), form.name.clone()).await {
        Ok(g) => Ok(redirect(&format!("/groups/{}?done=created", g.id))),
        Err(e) => match refusal(&e) {
            Some(m) => {
                let l = Layout::staff(&state, &v.session).locale;
                let reason = refusal_words(l, &m);
                let error = Some(l.t_args(
                    "staff-nothing-created",
                    &[("reason", crate::domain::i18n::Arg::Text(reason))],
                ));
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                list_page(&state, &v, status, None, error, form.name).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(serde::Deserialize)]
pub struct Empty {}

#[tracing::instrument(skip_all)]
pub async fn delete(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    Path(group_id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    v.require_sudo(&state, &format!("/groups/{group_id}"))?;
    groups::delete(&state, v.ctx(), group_id).await?;
    Ok(redirect("/groups?done=deleted"))
}

pub struct Member {
    id: String,
    email: String,
}

#[derive(Template)]
#[template(path = "portal/group.html")]
struct GroupPage<'a> {
    layout: Layout,
    id: String,
    name: String,
    has_policy: bool,
    members: Vec<Member>,
    message: Option<&'a str>,
    error: Option<String>,
    email: String,
    f: Fields,
}

/// The group's page, as stored, or with a refused change's form values and reason.
struct Shown<'a> {
    /// `?done=…` after a change.
    done: Option<&'a str>,
    error: Option<String>,
    email: String,
    form_policy: Option<Policy>,
}

async fn group_page(
    state: &AppState,
    v: &Staff<SecurityTeam>,
    group_id: String,
    status: StatusCode,
    shown: Shown<'_>,
) -> Result<Response, PageError> {
    let detail = groups::detail(state, group_id).await?;
    let Group {
        id, name, policy, ..
    } = detail.group;
    let layout = Layout::staff(state, &v.session);
    let message = done_message(layout.locale, shown.done);
    // A group without a policy shows a form that adds nothing but the methods (all allowed).
    let blank = Policy {
        enrollment_grace_days: 14,
        ..Policy::default()
    };
    let f = Fields::of(
        shown
            .form_policy
            .as_ref()
            .or(policy.as_ref())
            .unwrap_or(&blank),
    );
    Ok(render(
        status,
        &GroupPage {
            layout,
            id,
            name,
            has_policy: policy.is_some(),
            members: detail
                .members
                .into_iter()
                .map(|(id, email)| Member { id, email })
                .collect(),
            message: message.as_deref(),
            error: shown.error,
            email: shown.email,
            f,
        },
    ))
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    Path(group_id): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let shown = Shown {
        done: q.done.as_deref(),
        error: None,
        email: String::new(),
        form_policy: None,
    };
    group_page(&state, &v, group_id, StatusCode::OK, shown).await
}

/// Why a change on the group's page was refused.
enum Refused {
    /// A service's error: a refusal a person can act on is shown; anything else is trouble.
    Service(Error),
    /// What the form itself got wrong, in the page's language.
    Form(String),
}

/// Shows a refusal on the group's page ("Nothing was changed: …").
async fn refused(
    state: &AppState,
    v: &Staff<SecurityTeam>,
    group_id: String,
    why: Refused,
    email: String,
    form_policy: Option<Policy>,
) -> Result<Response, PageError> {
    let l = Layout::staff(state, &v.session).locale;
    let (status, reason) = match why {
        Refused::Form(m) => (StatusCode::UNPROCESSABLE_ENTITY, m),
        Refused::Service(e) => {
            let status = match &e {
                Error::Conflict(_) => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let Some(m) = refusal(&e).or_else(|| match &e {
                Error::NotFound(m) => Some(m.clone()),
                _ => None,
            }) else {
                return Err(e.into());
            };
            (status, refusal_words(l, &m))
        }
    };
    let shown = Shown {
        done: None,
        error: Some(l.t_args(
            "staff-nothing-changed",
            &[("reason", crate::domain::i18n::Arg::Text(reason))],
        )),
        email,
        form_policy,
    };
    group_page(state, v, group_id, status, shown).await
}

#[derive(serde::Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

#[tracing::instrument(skip_all)]
pub async fn add_member(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    Path(group_id): Path<String>,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Result<Response, PageError> {
    v.require_sudo(&state, &format!("/groups/{group_id}"))?;
    let email = form.email.trim().to_owned();
    let user_id = match Email::parse(&email) {
        Ok(e) => crate::services::console::user_id_by_email(&state, &e).await?,
        Err(_) => None,
    };
    let Some(user_id) = user_id else {
        let l = Layout::staff(&state, &v.session).locale;
        let why = Refused::Form(l.t("staff-no-user-with-email"));
        return refused(&state, &v, group_id, why, email, None).await;
    };
    match groups::add_member(&state, v.ctx(), group_id.clone(), user_id).await {
        Ok(()) => Ok(redirect(&format!("/groups/{group_id}?done=added"))),
        Err(e) => refused(&state, &v, group_id, Refused::Service(e), email, None).await,
    }
}

#[tracing::instrument(skip_all)]
pub async fn remove_member(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    Path((group_id, user_id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    v.require_sudo(&state, &format!("/groups/{group_id}"))?;
    match groups::remove_member(&state, v.ctx(), group_id.clone(), user_id).await {
        Ok(()) => Ok(redirect(&format!("/groups/{group_id}?done=removed"))),
        Err(e) => {
            refused(
                &state,
                &v,
                group_id,
                Refused::Service(e),
                String::new(),
                None,
            )
            .await
        }
    }
}

#[tracing::instrument(skip_all)]
pub async fn save_policy(
    State(state): State<AppState>,
    v: Staff<SecurityTeam>,
    Path(group_id): Path<String>,
    RawForm(raw): RawForm,
) -> Result<Response, PageError> {
    v.require_sudo(&state, &format!("/groups/{group_id}"))?;
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
    if pairs.iter().any(|(k, _)| k == "remove_policy") {
        return match groups::set_policy(&state, v.ctx(), group_id.clone(), None).await {
            Ok(_) => Ok(redirect(&format!("/groups/{group_id}?done=policy_removed"))),
            Err(e) => {
                refused(
                    &state,
                    &v,
                    group_id,
                    Refused::Service(e),
                    String::new(),
                    None,
                )
                .await
            }
        };
    }
    let policy = match super::policy::parse(&pairs) {
        Ok(p) => p,
        Err(m) => {
            let why = Refused::Form(m.words(Layout::staff(&state, &v.session).locale));
            return refused(&state, &v, group_id, why, String::new(), None).await;
        }
    };
    match groups::set_policy(&state, v.ctx(), group_id.clone(), Some(policy.clone())).await {
        Ok(_) => Ok(redirect(&format!("/groups/{group_id}?done=policy"))),
        Err(e) => {
            refused(
                &state,
                &v,
                group_id,
                Refused::Service(e),
                String::new(),
                Some(policy),
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::newtypes::FactorKind;

    #[test]
    fn the_summary_names_what_the_policy_asks() {
        assert_eq!(summary(Locale::En, None), "No policy: adds nothing");
        let mut p = Policy {
            require_two_factor: true,
            allowed_methods: vec![FactorKind::YubikeyOtp, FactorKind::Webauthn],
            ..Policy::default()
        };
        p.webauthn.require_attestation = true;
        assert_eq!(
            summary(Locale::En, Some(&p)),
            "Two-factor required · YubiKey, Security key · attestation required"
        );
        let de = summary(Locale::De, Some(&p));
        assert!(de.contains("Sicherheitsschlüssel"), "{de}");
        assert!(!de.contains("required"), "{de}");
    }
}
