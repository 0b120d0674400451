//! The security policy (API.md's document), stored as one row so every instance enforces the
//! same one. No row means the default policy. The policy itself (what it allows, who complies)
//! is `domain::policy`; a change recomputes who complies (`compliance::refresh_all`). A user's
//! *effective* policy combines it with the policies of their groups (`effective`): everything
//! that enforces the policy uses that.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::db::DbConnection;
use crate::db::schema::policy;
pub use crate::domain::policy::{Effective, Policy, Source, UserVerification, WebauthnPolicy};
use crate::error::Error;
use crate::state::AppState;

/// The policy in force.
pub fn load(conn: &mut DbConnection) -> Result<Policy, Error> {
    Ok(crate::db::policy::load(conn)?)
}

/// `load` for a change that depends on the policy (a factor's activation or removal, a reset, a
/// new user): on PostgreSQL the policy row is share-locked until the transaction ends, so a
/// concurrent policy change waits for it (and then sees its result when it recomputes who
/// complies) instead of judging users by a policy that is being replaced. On SQLite every write
/// transaction runs alone already. Take it first, before any user's lock (the lock order in
/// src/db/mod.rs), as `store` does.
pub fn load_locked(conn: &mut DbConnection) -> Result<Policy, Error> {
    Ok(crate::db::policy::load_locked(conn)?)
}

/// The user's effective policy: the strictest combination of the global policy and the
/// policies of all their groups (`domain::policy::combine`). Computed from the database on
/// every call: two indexed queries, no cache to go stale between instances.
pub fn effective(conn: &mut DbConnection, user_id: &str) -> Result<Effective, Error> {
    let global = load(conn)?;
    let groups = crate::db::groups::policies_of_user(conn, user_id)?;
    Ok(crate::domain::policy::combine(&global, &groups))
}

/// `effective` for a change that depends on it (a factor's activation or removal, a reset):
/// on PostgreSQL the global policy row and the rows of the user's groups are share-locked until
/// the transaction ends, so a change to any of those policies waits and then judges the result.
///
/// Lock order: the policy row, then group rows, then the user's row (`users::lock_user`), then
/// the audit head. Call this before locking the user.
pub fn effective_locked(conn: &mut DbConnection, user_id: &str) -> Result<Effective, Error> {
    lock_rules_of(conn, user_id)?;
    effective(conn, user_id)
}

/// The share locks of `effective_locked` alone, for a transaction that locks the user now and
/// reads their effective policy later.
pub fn lock_rules_of(conn: &mut DbConnection, user_id: &str) -> Result<(), Error> {
    crate::db::policy::load_locked(conn)?;
    crate::db::groups::share_lock_of_user(conn, user_id)?;
    Ok(())
}

/// Refuses a new factor of a kind the user's effective policy does not allow (403
/// `policy_violation`), naming the policy that excludes it.
pub fn require_allowed(
    conn: &mut DbConnection,
    user_id: &str,
    kind: crate::domain::newtypes::FactorKind,
) -> Result<(), Error> {
    let effective = effective(conn, user_id)?;
    match effective.exclusion(kind) {
        None => Ok(()),
        Some(why) => Err(Error::PolicyViolation(format!(
            "the security policy does not allow `{kind}` factors (set by {})",
            why.by
                .iter()
                .map(Source::label)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The user's effective policy (`GET /api/v1/users/{id}/policy`).
pub async fn effective_of(state: &AppState, user_id: String) -> Result<Effective, Error> {
    state
        .db
        .read(move |conn| {
            crate::services::users::load(conn, &user_id)?;
            effective(conn, &user_id)
        })
        .await
}

/// Refuses a change after which some member of a group would have no allowed method (409,
/// API.md). Run inside the change's transaction, after the change: the error rolls it back.
pub(crate) fn refuse_if_no_method_left(conn: &mut DbConnection) -> Result<(), Error> {
    let (_, users) = crate::db::groups::all_effective(conn)?;
    for e in users.values() {
        if e.policy.allowed_methods.is_empty() {
            let names: Vec<String> = e
                .excluded
                .iter()
                .flat_map(|x| x.by.iter())
                .filter_map(|s| match s {
                    Source::Group { name, .. } => Some(name.clone()),
                    Source::Global => None,
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            return Err(Error::Conflict(format!(
                "this change would leave members of the groups {} with no allowed method; no change was made",
                names.join(", ")
            )));
        }
    }
    Ok(())
}

pub async fn get(state: &AppState) -> Result<Policy, Error> {
    state.db.read(load).await
}

/// Replaces the policy; `policy.changed` records the policy before and after.
#[tracing::instrument(skip_all)]
pub async fn put(state: &AppState, ctx: RequestContext, new: Policy) -> Result<Policy, Error> {
    let new = new.validated()?;
    let now = crate::domain::clock::naive(state.clock.now());
    state
        .db
        .write(move |conn| store(conn, now, &ctx, new))
        .await
}

fn store(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    ctx: &RequestContext,
    new: Policy,
) -> Result<Policy, Error> {
    let before = load(conn)?;
    let text = serde_json::to_string(&new).map_err(Error::internal)?;
    let updated = diesel::update(policy::table.find(1))
        .set((policy::document.eq(&text), policy::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        let row = (
            policy::id.eq(1),
            policy::document.eq(&text),
            policy::updated_at.eq(now),
        );
        match conn {
            // Two first policy changes at once both find no row: the second one's insert waits
            // for the first to commit, does nothing, and the update then replaces the first's
            // document (instead of a unique violation, a 500).
            DbConnection::Postgres(pg) => {
                let inserted = diesel::insert_into(policy::table)
                    .values(row)
                    .on_conflict_do_nothing()
                    .execute(pg)?;
                if inserted == 0 {
                    diesel::update(policy::table.find(1))
                        .set((policy::document.eq(&text), policy::updated_at.eq(now)))
                        .execute(pg)?;
                }
            }
            DbConnection::Sqlite(_) => {
                diesel::insert_into(policy::table)
                    .values(row)
                    .execute(conn)?;
            }
        }
    }
    refuse_if_no_method_left(conn)?;
    // Who meets the new policy, and since when those who do not have not.
    let out_of_compliance = super::compliance::refresh_all(conn, now)?;
    if before != new {
        record_audit_event(
            conn,
            now,
            AuditRecord {
                event: "policy.changed",
                ctx,
                user_id: None,
                factor_id: None,
                details: serde_json::json!({ "before": before, "after": new, "users_out_of_compliance": out_of_compliance }),
            },
        )?;
    }
    Ok(new)
}
