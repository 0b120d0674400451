//! The security policy (API.md's document), stored as one row so every instance enforces the
//! same one. No row means the default policy. The policy itself (what it allows, who complies)
//! is `domain::policy`; a change recomputes who complies (`compliance::refresh_all`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::db::DbConnection;
use crate::db::schema::policy;
pub use crate::domain::policy::{Policy, UserVerification, WebauthnPolicy};
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
    // Who meets the new policy, and since when those who do not have not.
    let out_of_compliance = super::compliance::refresh_all(conn, &new, now)?;
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
