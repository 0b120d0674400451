//! What a user's own portal pages show: their security settings, the methods they may add,
//! and the setup of a pending authenticator app. Read-only; the changes are in `factors`,
//! `webauthn`, `backup_codes` and `sign_in`.

use chrono::NaiveDateTime;

use crate::domain::clock::naive;
use crate::domain::newtypes::{FactorKind, FactorStatus};
use crate::domain::totp::{TotpParams, TotpSecret};
use crate::error::Error;
use crate::services::compliance::{self, Standing};
use crate::services::policy::Policy;
use crate::state::AppState;

/// One of the user's factors, as their settings page lists it.
#[derive(Debug, Clone)]
pub struct FactorSummary {
    pub id: String,
    pub name: String,
    pub kind: FactorKind,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

/// The security settings page's content.
#[derive(Debug, Clone)]
pub struct Overview {
    pub email: String,
    /// Changes are frozen after a "this wasn't me" report, until a support reset.
    pub frozen: bool,
    pub factors: Vec<FactorSummary>,
    pub backup_codes_left: i64,
    /// The account signs in with a password (it can change it).
    pub has_password: bool,
    pub password_changed_at: Option<NaiveDateTime>,
}

/// The kind of one of the user's factors, if it is theirs.
pub async fn factor_kind(
    state: &AppState,
    user_id: String,
    factor_id: String,
) -> Result<Option<FactorKind>, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            Ok::<_, Error>(
                crate::db::models::FactorRow::find_for_user(conn, &user_id, &factor_id, now)?
                    .map(|f| f.kind),
            )
        })
        .await
}

pub async fn overview(state: &AppState, user_id: String) -> Result<Overview, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            let user = crate::services::users::load(conn, &user_id)?;
            let factors = crate::db::models::FactorRow::list_for_user(conn, &user.id, now)?;
            let backup_codes_left = crate::services::backup_codes::remaining(conn, &user.id)?;
            Ok::<_, Error>(Overview {
                email: user.email,
                frozen: user.factors_frozen_at.is_some(),
                has_password: user.password_hash.is_some(),
                password_changed_at: user.password_changed_at,
                factors: factors
                    .into_iter()
                    .map(|f| FactorSummary {
                        active: f.is_active(),
                        id: f.id,
                        name: f.name,
                        kind: f.kind,
                        created_at: f.created_at,
                        last_used_at: f.last_used_at,
                    })
                    .collect(),
                backup_codes_left,
            })
        })
        .await
}

/// What "Add a second factor" offers: the policy, and where the user stands with it.
#[derive(Debug, Clone)]
pub struct EnrollmentChoice {
    pub policy: Policy,
    /// The same policy with where each rule comes from (a method shown disabled names the
    /// group that excludes it).
    pub effective: crate::services::policy::Effective,
    /// Since when the user has had no factor the policy accepts, if so.
    pub noncompliant_since: Option<NaiveDateTime>,
}

impl EnrollmentChoice {
    pub fn allows(&self, kind: FactorKind) -> bool {
        self.policy.allows(kind)
    }

    /// The user's standing if they have no compliant factor now.
    pub fn standing(&self, now: NaiveDateTime) -> Standing {
        compliance::standing(&self.policy, false, self.noncompliant_since, now)
    }
}

pub async fn enrollment_choice(
    state: &AppState,
    user_id: String,
) -> Result<EnrollmentChoice, Error> {
    state
        .db
        .read(move |conn| {
            let user = crate::services::users::load(conn, &user_id)?;
            let effective = crate::services::policy::effective(conn, &user.id)?;
            Ok::<_, Error>(EnrollmentChoice {
                policy: effective.policy.clone(),
                effective,
                noncompliant_since: user.noncompliant_since,
            })
        })
        .await
}

/// A pending authenticator app's setup: what the user types or scans.
pub struct PendingApp {
    pub account: String,
    pub params: TotpParams,
    pub secret: TotpSecret,
}

/// The setup of the user's pending TOTP factor `factor_id`; `None` when there is no such
/// pending factor (expired, activated, or someone else's).
pub async fn pending_app(
    state: &AppState,
    user_id: String,
    factor_id: String,
) -> Result<Option<PendingApp>, Error> {
    let keyring = state.keyring.clone();
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            let user = crate::services::users::load(conn, &user_id)?;
            let row = crate::db::models::FactorRow::find_for_user(conn, &user.id, &factor_id, now)?
                .filter(|r| r.status == FactorStatus::Pending && r.kind == FactorKind::Totp);
            let Some(r) = row else {
                return Ok::<_, Error>(None);
            };
            // Only a setup this user started in the portal: the secret of one the relying
            // application started through the API is that application's to show, and the
            // portal (where anyone with the user's session could read it) must not.
            if !started_in_portal(conn, &user.id, &r.id)? {
                return Ok(None);
            }
            let (params, secret) = crate::services::factors::totp_of(&r, &keyring)?;
            Ok(Some(PendingApp {
                account: user.email,
                params,
                secret,
            }))
        })
        .await
}

/// Whether the user started the enrollment of `factor_id` themselves (in the portal): its
/// `factor.enrollment_started` event, which the enrollment wrote in its own transaction, has the
/// user as its actor. A factor the API started has an `api_key` actor there. The audit chain is
/// append-only, so the marker cannot be changed afterwards.
fn started_in_portal(
    conn: &mut crate::db::DbConnection,
    user_id: &str,
    factor_id: &str,
) -> Result<bool, Error> {
    use crate::db::schema::audit_events;
    use diesel::prelude::*;
    let actor: Option<(String, Option<String>)> = audit_events::table
        .filter(audit_events::user_id.eq(user_id))
        .filter(audit_events::factor_id.eq(factor_id))
        .filter(audit_events::event.eq("factor.enrollment_started"))
        .select((audit_events::actor_type, audit_events::actor_id))
        .first(conn)
        .optional()?;
    Ok(matches!(actor, Some((kind, Some(id))) if kind == "user" && id == user_id))
}
