//! Accounts: creation, lookup.

use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::db::DbConnection;
use crate::db::models::{FactorRow, ThrottleRow, UserRow};
use crate::db::schema::{throttles, users};
use crate::domain::api_key::Scope;
use crate::domain::clock::{naive, rfc3339};
use crate::domain::i18n::Locale;
use crate::domain::ids::{looks_like_id, new_id};
use crate::domain::newtypes::{Email, Password, Role};
use crate::error::Error;
use crate::state::AppState;

/// A user as the API shows it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub two_factor_enabled: bool,
    pub created_at: String,
    /// When the user reported activity they did not recognise ("this wasn't me" in a
    /// security mail): their factors are frozen until support resets them. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reported_at: Option<String>,
    /// Since when the user has had no factor the security policy accepts while it requires
    /// one (their enrollment grace period runs from then). Absent when compliant.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub noncompliant_since: Option<String>,
    /// Whether the owner proved the address is theirs (a confirmation or password link).
    pub email_verified: bool,
    /// The ids of the user's groups (their policies tighten the user's).
    #[serde(default)]
    pub groups: Vec<String>,
    /// The language of the user's pages and security mail (`en`, `ru`, `uk`, `ms`, `de`,
    /// `es`), or `null`: the browser's choice, then the server's default.
    #[serde(default)]
    pub locale: Option<String>,
}

impl User {
    pub fn from_row(row: UserRow, active_factors: i64) -> Self {
        Self {
            role: row.role,
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            two_factor_enabled: active_factors > 0,
            reported_at: row.reported_at.map(crate::domain::clock::rfc3339),
            noncompliant_since: row.noncompliant_since.map(crate::domain::clock::rfc3339),
            email_verified: row.email_verified_at.is_some(),
            created_at: rfc3339(row.created_at),
            groups: Vec::new(),
            locale: None,
        }
    }

    /// `from_row` with the user's groups and language read.
    pub fn load_view(conn: &mut DbConnection, row: UserRow) -> Result<Self, Error> {
        let active = FactorRow::count_active(conn, &row.id)?;
        let groups = super::groups::of_user(conn, &row.id)?;
        let locale: Option<String> = users::table
            .find(&row.id)
            .select(users::locale)
            .get_result(conn)?;
        Ok(Self {
            groups: groups.into_iter().map(|(id, _)| id).collect(),
            locale,
            ..Self::from_row(row, active)
        })
    }
}

#[derive(Debug)]
pub struct NewUser {
    pub email: Email,
    pub display_name: Option<String>,
    pub password: Option<Password>,
    pub role: Role,
    /// The user's language; `None`: the browser's.
    pub locale: Option<Locale>,
    /// Where the account came from: `api`, `cli` or `signup` (a sign-up confirms its address
    /// before it may add factors).
    pub via: &'static str,
}

#[tracing::instrument(skip_all, fields(role = %input.role))]
pub async fn create_user(
    state: &AppState,
    ctx: RequestContext,
    input: NewUser,
) -> Result<User, Error> {
    let password_hash = match input.password {
        Some(pw) => Some(super::passwords::hash(state, pw).await?),
        None => None,
    };
    let now = naive(state.clock.now());
    let row = UserRow {
        id: new_id("usr"),
        email: input.email.as_str().to_owned(),
        email_normalized: input.email.normalized(),
        display_name: input
            .display_name
            .unwrap_or_else(|| input.email.as_str().to_owned()),
        role: input.role,
        password_hash,
        totp_last_step: None,
        created_at: now,
        reported_at: None,
        factors_frozen_at: None,
        sessions_valid_after: None,
        noncompliant_since: None,
        email_verified_at: None,
        created_via: input.via.to_owned(),
        password_reset_required_at: None,
        password_changed_at: None,
    };
    let locale = input.locale;
    state
        .db
        .write(move |conn| {
            // A new user under a policy that requires a factor starts their grace period now;
            // the policy is locked first (the lock order, src/db/mod.rs).
            let policy = super::policy::load_locked(conn)?;
            if let Some(existing) = UserRow::find_by_email(conn, &row.email_normalized)? {
                // A sign-up that never confirmed its address holds nothing: the operator or the
                // control panel creating the real account takes the address over (whoever signed
                // up may not own it).
                if !(existing.awaiting_confirmation() && row.created_via != "signup") {
                    return Err(Error::Conflict("a user with this email already exists".into()));
                }
                diesel::delete(users::table.find(&existing.id)).execute(conn)?;
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "user.signup_replaced",
                        ctx: &ctx,
                        user_id: Some(&existing.id),
                        factor_id: None,
                        details: serde_json::json!({ "replaced_by": row.id, "reason": "address never confirmed" }),
                    },
                )?;
            }
            match diesel::insert_into(users::table).values(row.clone()).execute(conn) {
                Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                    return Err(Error::Conflict("a user with this email already exists".into()));
                }
                other => other?,
            };
            if let Some(l) = locale {
                diesel::update(users::table.find(&row.id))
                    .set(users::locale.eq(l.tag()))
                    .execute(conn)?;
            }
            diesel::insert_into(throttles::table)
                .values(&ThrottleRow {
                    user_id: row.id.clone(),
                    failures: 0,
                    lockouts: 0,
                    locked_until: None,
                    locked_refusals: 0,
                    last_failure_at: None,
                })
                .execute(conn)?;
            let noncompliant_since =
                super::compliance::refresh_user(conn, &policy, &row.id, now, false)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "user.created",
                    ctx: &ctx,
                    user_id: Some(&row.id),
                    factor_id: None,
                    details: serde_json::json!({ "email": row.email, "role": row.role, "has_password": row.password_hash.is_some() }),
                },
            )?;
            Ok(User {
                locale: locale.map(|l| l.tag().to_owned()),
                ..User::from_row(UserRow { noncompliant_since, ..row }, 0)
            })
        })
        .await
}

/// What `PATCH /api/v1/users/{id}` changes: each field only when given (`locale: Some(None)`
/// clears the user's language).
#[derive(Debug, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub locale: Option<Option<Locale>>,
}

/// Changes a user's display name and language; 404 for an unknown user.
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn update_user(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    changes: UserChanges,
) -> Result<User, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            load(conn, &user_id)?;
            if let Some(name) = &changes.display_name {
                diesel::update(users::table.find(&user_id))
                    .set(users::display_name.eq(name))
                    .execute(conn)?;
            }
            if let Some(locale) = changes.locale {
                diesel::update(users::table.find(&user_id))
                    .set(users::locale.eq(locale.map(Locale::tag)))
                    .execute(conn)?;
            }
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "user.updated",
                    ctx: &ctx,
                    user_id: Some(&user_id),
                    factor_id: None,
                    details: serde_json::json!({
                        "display_name": changes.display_name.is_some(),
                        "locale": changes.locale.map(|l| l.map(Locale::tag)),
                    }),
                },
            )?;
            let row = load(conn, &user_id)?;
            User::load_view(conn, row)
        })
        .await
}

/// The user, or 404.
pub fn load(conn: &mut DbConnection, user_id: &str) -> Result<UserRow, Error> {
    if !looks_like_id(user_id) {
        return Err(Error::NotFound("no user with this id".into()));
    }
    UserRow::find(conn, user_id)
        .optional()?
        .ok_or_else(|| Error::NotFound("no user with this id".into()))
}

/// The user, or 404, with the user's row lock held until the transaction ends (a no-op update
/// of their throttle row). Every per-user write takes it, so per-user changes are serialised on
/// PostgreSQL and always lock in the same order: the policy row and the user's group rows (when
/// the change depends on the policy, `policy::effective_locked`), the user, the audit head.
pub fn lock_and_load(conn: &mut DbConnection, user_id: &str) -> Result<UserRow, Error> {
    lock_user(conn, user_id)?;
    load(conn, user_id)
}

/// `lock_and_load` for a change to the user's factors or backup codes (enroll, activate,
/// remove, backup codes; every such service goes through here). Refused while the user's
/// report of activity they did not recognise has frozen them, while the password that report
/// killed has not been set again, while a sign-up has not confirmed its address, and, for a
/// staff account (role `support` or `security`), to any API key below scope `security`: such a
/// key could otherwise give itself a second factor of a staff member and reach the staff pages.
/// Checked on the locked row, so a concurrent role change cannot slip between check and write.
///
/// The policy row and the user's group rows are share-locked first (the lock order: policy and
/// groups, then the user), since every such change is judged by the user's effective policy.
pub fn lock_for_factor_change(
    conn: &mut DbConnection,
    ctx: &RequestContext,
    user_id: &str,
) -> Result<UserRow, Error> {
    super::policy::lock_rules_of(conn, user_id)?;
    let user = lock_and_load(conn, user_id)?;
    ensure_may_change_factors(ctx, user.role)?;
    if user.factors_frozen_at.is_some() {
        return Err(Error::Forbidden(super::refusals::FACTORS_FROZEN.into()));
    }
    if user.password_reset_required_at.is_some() {
        return Err(Error::Forbidden(super::refusals::NEW_PASSWORD_FIRST.into()));
    }
    if user.awaiting_confirmation() {
        return Err(Error::Forbidden(
            super::refusals::CONFIRM_ADDRESS_FIRST.into(),
        ));
    }
    Ok(user)
}

/// The staff-account rule of `lock_for_factor_change`: `403 forbidden` when an API key below
/// scope `security` (or of unknown scope) changes the factors of a `support` or `security` user.
pub fn ensure_may_change_factors(ctx: &RequestContext, role: Role) -> Result<(), Error> {
    let staff = matches!(role, Role::Support | Role::Security);
    let api_key = matches!(ctx.actor, super::Actor::ApiKey(_));
    if staff && api_key && ctx.api_scope != Some(Scope::Security) {
        return Err(Error::Forbidden(format!(
            "the second factors of a user with role `{}` can only be changed with a `security` API key",
            role.as_str()
        )));
    }
    Ok(())
}

/// Takes the user's row lock (see `lock_and_load`). On SQLite every write transaction already
/// runs alone (the writer thread, `BEGIN IMMEDIATE`), so there is nothing to take.
pub fn lock_user(conn: &mut DbConnection, user_id: &str) -> Result<(), Error> {
    if !looks_like_id(user_id) {
        return Err(Error::NotFound("no user with this id".into()));
    }
    if matches!(conn, DbConnection::Postgres(_)) {
        let locked = diesel::update(throttles::table.find(user_id))
            .set(throttles::failures.eq(throttles::failures))
            .execute(conn)?;
        if locked == 0 {
            return Err(Error::NotFound("no user with this id".into()));
        }
    }
    Ok(())
}

pub async fn get_user(state: &AppState, user_id: String) -> Result<User, Error> {
    state
        .db
        .read(move |conn| {
            let row = load(conn, &user_id)?;
            User::load_view(conn, row)
        })
        .await
}

pub async fn find_by_email(state: &AppState, email: String) -> Result<Option<User>, Error> {
    let normalized = email.trim().to_lowercase();
    state
        .db
        .read(move |conn| {
            let Some(row) = UserRow::find_by_email(conn, &normalized)? else {
                return Ok(None);
            };
            Ok(Some(User::load_view(conn, row)?))
        })
        .await
}

/// Changes a user's role (CLI).
#[tracing::instrument(skip_all, fields(role = %role))]
pub async fn set_role(state: &AppState, email: String, role: Role) -> Result<User, Error> {
    let now = naive(state.clock.now());
    let normalized = email.trim().to_lowercase();
    state
        .db
        .write(move |conn| {
            let row = UserRow::find_by_email(conn, &normalized)?
                .ok_or_else(|| Error::NotFound("no user with this email".into()))?;
            diesel::update(users::table.find(&row.id))
                .set(users::role.eq(role.as_str()))
                .execute(conn)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "user.role_changed",
                    ctx: &RequestContext::system(),
                    user_id: Some(&row.id),
                    factor_id: None,
                    details: serde_json::json!({ "before": row.role, "after": role.as_str() }),
                },
            )?;
            let mut updated = row;
            updated.role = role;
            User::load_view(conn, updated)
        })
        .await
}
