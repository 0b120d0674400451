//! What the staff pages read: a customer's file for the support console, and the audit log's
//! filtered pages and chain status. Read-only; resets are in `support`.

use chrono::NaiveDateTime;

use crate::db::models::{FactorRow, UserRow};
use crate::domain::clock::naive;
use crate::domain::newtypes::{Email, FactorKind, Role};
use crate::error::Error;
use crate::services::audit::{AuditEvent, AuditFilter, ChainReport};
use crate::state::AppState;

/// One factor as support sees it: never a secret.
#[derive(Debug, Clone)]
pub struct FactorFacts {
    pub name: String,
    pub kind: FactorKind,
    /// The key's AAGUID or YubiKey public id, when there is one.
    pub key: Option<String>,
    pub active: bool,
    pub last_used_at: Option<NaiveDateTime>,
}

/// A customer's file in the support console.
#[derive(Debug, Clone)]
pub struct CustomerFile {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub reported: bool,
    pub backup_codes_left: i64,
    pub factors: Vec<FactorFacts>,
    /// The latest 50 events about the customer, newest first.
    pub timeline: Vec<AuditEvent>,
    /// The customer's groups: (id, name), by name.
    pub groups: Vec<(String, String)>,
    /// Their effective policy, with where each rule comes from.
    pub effective: crate::services::policy::Effective,
}

/// The file of the user with this email, if there is one.
#[tracing::instrument(skip_all)]
pub async fn customer_file(state: &AppState, email: &str) -> Result<Option<CustomerFile>, Error> {
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
            let backup_codes_left = crate::services::backup_codes::remaining(conn, &user.id)?;
            let filter = AuditFilter {
                user_id: Some(user.id.clone()),
                limit: 50,
                ..Default::default()
            };
            let (timeline, _) = crate::services::audit::list(conn, &filter)?;
            let groups = crate::services::groups::of_user(conn, &user.id)?;
            let effective = crate::services::policy::effective(conn, &user.id)?;
            Ok(Some(CustomerFile {
                groups,
                effective,
                reported: user.factors_frozen_at.is_some(),
                factors: factors
                    .into_iter()
                    .map(|f| FactorFacts {
                        active: f.is_active(),
                        key: f
                            .webauthn_aaguid
                            .map(|a| format!("AAGUID {a}"))
                            .or_else(|| f.yubikey_public_id.map(|p| format!("public id {p}"))),
                        name: f.name,
                        kind: f.kind,
                        last_used_at: f.last_used_at,
                    })
                    .collect(),
                id: user.id,
                email: user.email,
                role: user.role,
                backup_codes_left,
                timeline,
            }))
        })
        .await
}

/// The id of the user with this email, if any.
pub async fn user_id_by_email(state: &AppState, email: &Email) -> Result<Option<String>, Error> {
    let n = email.normalized();
    state
        .db
        .read(move |conn| Ok::<_, Error>(UserRow::find_by_email(conn, &n)?.map(|u| u.id)))
        .await
}

/// The audit chain, checked from the first event to the head.
pub async fn audit_chain(state: &AppState) -> Result<ChainReport, Error> {
    state
        .db
        .read(|conn| crate::services::audit::verify_chain(conn).map_err(Error::from))
        .await
}

/// A page of the audit log (newest first) and the cursor of the next page.
pub async fn audit_page(
    state: &AppState,
    filter: AuditFilter,
) -> Result<(Vec<AuditEvent>, Option<String>), Error> {
    state
        .db
        .read(move |conn| Ok::<_, Error>(crate::services::audit::list(conn, &filter)?))
        .await
}
