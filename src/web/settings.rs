//! The security settings page: the user's password, second factors and backup codes.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use super::page::{Layout, PageError, ok};
use super::session::SignedIn;
use crate::domain::mail::method_label;
use crate::services::account;
use crate::state::AppState;

pub struct FactorLine {
    id: String,
    name: String,
    kind: &'static str,
    status: &'static str,
    added: chrono::NaiveDateTime,
    last_used: Option<chrono::NaiveDateTime>,
}

#[derive(Template)]
#[template(path = "portal/settings.html")]
struct SettingsPage {
    layout: Layout,
    email: String,
    reported: bool,
    factors: Vec<FactorLine>,
    backup_remaining: i64,
    notice: Option<&'static str>,
    has_password: bool,
    password_changed: Option<chrono::NaiveDateTime>,
}

#[derive(serde::Deserialize, Default)]
pub struct SettingsQuery {
    notice: Option<String>,
}

fn notice_text(key: Option<&str>) -> Option<&'static str> {
    match key {
        Some("removed") => Some("The factor was removed. A confirmation email is on its way."),
        Some("added") => Some("The second factor is active. A confirmation email is on its way."),
        Some("password") => Some(
            "Your password was changed and every other device was signed out. A confirmation email is on its way.",
        ),
        _ => None,
    }
}

#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    v: SignedIn,
    Query(query): Query<SettingsQuery>,
) -> Result<Response, PageError> {
    let o = account::overview(&state, v.user_id().to_owned()).await?;
    let factors = o
        .factors
        .iter()
        .map(|f| FactorLine {
            id: f.id.clone(),
            name: f.name.clone(),
            kind: method_label(f.kind),
            status: if f.active { "Active" } else { "Pending" },
            added: f.created_at,
            last_used: f.last_used_at,
        })
        .collect();
    ok(&SettingsPage {
        layout: Layout::of(&state, &v.session),
        email: o.email,
        // Frozen until a support reset lifts it (the report itself stays in the history).
        reported: o.frozen,
        factors,
        backup_remaining: o.backup_codes_left,
        notice: notice_text(query.notice.as_deref()),
        has_password: o.has_password,
        password_changed: o.password_changed_at,
    })
}
