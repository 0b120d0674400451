//! Groups and their security policies: creation, deletion, membership and each group's policy
//! document. A user's effective policy combines the global policy with those of all their
//! groups (`services::policy::effective`); every change here is refused with `409 conflict` if
//! it would leave some member with no allowed method, and recomputes who complies.
//!
//! Lock order (PostgreSQL): the global policy row, then the group's row, then user rows, then
//! the audit head — the order every factor change takes them in (`users::lock_for_factor_change`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::RequestContext;
use super::audit::{AuditRecord, record_audit_event};
use crate::db::DbConnection;
use crate::db::groups::GroupRow;
use crate::db::schema::{group_members, groups};
use crate::domain::clock::naive;
use crate::domain::ids::{looks_like_id, new_id};
use crate::domain::policy::Policy;
use crate::error::Error;
use crate::state::AppState;

/// A group as the API shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// The group's policy, or `null`: the group adds nothing to its members' policy.
    pub policy: Option<Policy>,
    /// How many users are in the group.
    pub members: i64,
}

/// A group with its members, for the staff pages.
#[derive(Debug, Clone)]
pub struct GroupDetail {
    pub group: Group,
    /// (user id, email), by email.
    pub members: Vec<(String, String)>,
}

/// A group's name: 1 to 100 characters, no control characters, trimmed.
pub fn parse_name(raw: &str) -> Result<String, Error> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(Error::BadRequest(
            "name: must be 1 to 100 characters, without control characters".into(),
        ));
    }
    Ok(name.to_owned())
}

fn view(conn: &mut DbConnection, row: GroupRow) -> Result<Group, Error> {
    let members = GroupRow::member_count(conn, &row.id)?;
    Ok(Group {
        policy: row.parsed_policy()?,
        id: row.id,
        name: row.name,
        members,
    })
}

fn not_found() -> Error {
    Error::NotFound("no group with this id".into())
}

fn find(conn: &mut DbConnection, group_id: &str) -> Result<GroupRow, Error> {
    if !looks_like_id(group_id) {
        return Err(not_found());
    }
    GroupRow::find(conn, group_id)
        .optional()?
        .ok_or_else(not_found)
}

/// Locks the global policy row (share) and the group's row (update), in that order, and
/// loads the group; 404 when it does not exist.
fn lock_group(conn: &mut DbConnection, group_id: &str) -> Result<GroupRow, Error> {
    if !looks_like_id(group_id) {
        return Err(not_found());
    }
    crate::db::policy::load_locked(conn)?;
    if !crate::db::groups::lock_for_update(conn, group_id)? {
        return Err(not_found());
    }
    find(conn, group_id)
}

/// For a membership change: the global policy row (share), then the group's row and the rows
/// of the user's other groups (update, in id order), then — by the caller — the user.
fn lock_member_change(
    conn: &mut DbConnection,
    group_id: &str,
    user_id: &str,
) -> Result<GroupRow, Error> {
    if !looks_like_id(group_id) {
        return Err(not_found());
    }
    crate::db::policy::load_locked(conn)?;
    crate::db::groups::lock_for_membership(conn, group_id, user_id)?;
    find(conn, group_id)
}

#[tracing::instrument(skip_all)]
pub async fn create(state: &AppState, ctx: RequestContext, name: String) -> Result<Group, Error> {
    let name = parse_name(&name)?;
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            if GroupRow::find_by_name(conn, &name)?.is_some() {
                return Err(Error::Conflict(
                    "a group with this name already exists".into(),
                ));
            }
            let row = GroupRow {
                id: new_id("grp"),
                name,
                policy: None,
                created_at: now,
                updated_at: now,
            };
            match diesel::insert_into(groups::table)
                .values(&row)
                .execute(conn)
            {
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => {
                    return Err(Error::Conflict(
                        "a group with this name already exists".into(),
                    ));
                }
                other => other?,
            };
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "group.created",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({ "group_id": row.id, "name": row.name }),
                },
            )?;
            view(conn, row)
        })
        .await
}

pub async fn list(state: &AppState) -> Result<Vec<Group>, Error> {
    state
        .db
        .read(|conn| {
            GroupRow::all(conn)?
                .into_iter()
                .map(|row| view(conn, row))
                .collect()
        })
        .await
}

pub async fn get(state: &AppState, group_id: String) -> Result<Group, Error> {
    state
        .db
        .read(move |conn| {
            let row = find(conn, &group_id)?;
            view(conn, row)
        })
        .await
}

/// The group with its members (staff pages).
pub async fn detail(state: &AppState, group_id: String) -> Result<GroupDetail, Error> {
    state
        .db
        .read(move |conn| {
            let row = find(conn, &group_id)?;
            let members = crate::db::groups::members(conn, &row.id)?;
            Ok(GroupDetail {
                group: view(conn, row)?,
                members,
            })
        })
        .await
}

/// The group whose name is this (CLI).
pub async fn find_by_name(state: &AppState, name: String) -> Result<Group, Error> {
    state
        .db
        .read(move |conn| {
            let row = GroupRow::find_by_name(conn, name.trim())?
                .ok_or_else(|| Error::NotFound("no group with this name".into()))?;
            view(conn, row)
        })
        .await
}

/// Deletes a group; its members leave it (their policy can only loosen, so nobody is left
/// with no method).
#[tracing::instrument(skip_all, fields(group_id = %group_id))]
pub async fn delete(state: &AppState, ctx: RequestContext, group_id: String) -> Result<(), Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            let row = lock_group(conn, &group_id)?;
            let members = GroupRow::member_count(conn, &row.id)?;
            diesel::delete(group_members::table.filter(group_members::group_id.eq(&row.id)))
                .execute(conn)?;
            diesel::delete(groups::table.find(&row.id)).execute(conn)?;
            let out = if row.policy.is_some() {
                Some(super::compliance::refresh_all(conn, now)?)
            } else {
                None
            };
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "group.deleted",
                    ctx: &ctx,
                    user_id: None,
                    factor_id: None,
                    details: serde_json::json!({
                        "group_id": row.id, "name": row.name, "members": members,
                        "policy": row.parsed_policy()?, "users_out_of_compliance": out,
                    }),
                },
            )?;
            Ok(())
        })
        .await
}

/// Sets (`Some`) or removes (`None`) a group's policy; `group.policy_changed` records it before
/// and after. `409 conflict` if some member would be left with no allowed method.
#[tracing::instrument(skip_all, fields(group_id = %group_id))]
pub async fn set_policy(
    state: &AppState,
    ctx: RequestContext,
    group_id: String,
    new: Option<Policy>,
) -> Result<Group, Error> {
    let new = new.map(Policy::validated).transpose()?;
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| store_policy(conn, now, &ctx, &group_id, new))
        .await
}

fn store_policy(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    ctx: &RequestContext,
    group_id: &str,
    new: Option<Policy>,
) -> Result<Group, Error> {
    let row = lock_group(conn, group_id)?;
    let before = row.parsed_policy()?;
    let text = new
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(Error::internal)?;
    diesel::update(groups::table.find(&row.id))
        .set((groups::policy.eq(&text), groups::updated_at.eq(now)))
        .execute(conn)?;
    super::policy::refuse_if_no_method_left(conn)?;
    let out = super::compliance::refresh_all(conn, now)?;
    if before != new {
        record_audit_event(
            conn,
            now,
            AuditRecord {
                event: "group.policy_changed",
                ctx,
                user_id: None,
                factor_id: None,
                details: serde_json::json!({
                    "group_id": row.id, "name": row.name,
                    "before": before, "after": new, "users_out_of_compliance": out,
                }),
            },
        )?;
    }
    view(
        conn,
        GroupRow {
            policy: text,
            updated_at: now,
            ..row
        },
    )
}

/// Adds a user to a group (a no-op when they are in it). `409 conflict` if the user would be
/// left with no allowed method.
#[tracing::instrument(skip_all, fields(group_id = %group_id, user_id = %user_id))]
pub async fn add_member(
    state: &AppState,
    ctx: RequestContext,
    group_id: String,
    user_id: String,
) -> Result<(), Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            let group = lock_member_change(conn, &group_id, &user_id)?;
            let user = super::users::lock_and_load(conn, &user_id)?;
            // The group's row lock (or SQLite's single writer) makes this check and the insert
            // one step: two adds of the same member wait for each other.
            let already: i64 = group_members::table
                .filter(group_members::group_id.eq(&group.id))
                .filter(group_members::user_id.eq(&user.id))
                .count()
                .get_result(conn)?;
            if already > 0 {
                return Ok(());
            }
            diesel::insert_into(group_members::table)
                .values((
                    group_members::group_id.eq(&group.id),
                    group_members::user_id.eq(&user.id),
                    group_members::created_at.eq(now),
                ))
                .execute(conn)?;
            let effective = super::policy::effective(conn, &user.id)?;
            if effective.policy.allowed_methods.is_empty() {
                return Err(Error::Conflict(format!(
                    "adding this user to the group “{}” would leave them with no allowed method; no change was made",
                    group.name
                )));
            }
            let since =
                super::compliance::refresh_user(conn, &effective.policy, &user.id, now, false)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "group.member_added",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: None,
                    details: serde_json::json!({
                        "group_id": group.id, "name": group.name, "email": user.email,
                        "noncompliant_since": since.map(crate::domain::clock::rfc3339),
                    }),
                },
            )?;
            Ok(())
        })
        .await
}

/// Removes a user from a group; `404` when they are not in it.
#[tracing::instrument(skip_all, fields(group_id = %group_id, user_id = %user_id))]
pub async fn remove_member(
    state: &AppState,
    ctx: RequestContext,
    group_id: String,
    user_id: String,
) -> Result<(), Error> {
    let now = naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            let group = lock_member_change(conn, &group_id, &user_id)?;
            let user = super::users::lock_and_load(conn, &user_id)?;
            let removed = diesel::delete(
                group_members::table
                    .filter(group_members::group_id.eq(&group.id))
                    .filter(group_members::user_id.eq(&user.id)),
            )
            .execute(conn)?;
            if removed == 0 {
                return Err(Error::NotFound("this user is not in this group".into()));
            }
            let policy = super::policy::effective(conn, &user.id)?.policy;
            super::compliance::refresh_user(conn, &policy, &user.id, now, false)?;
            record_audit_event(
                conn,
                now,
                AuditRecord {
                    event: "group.member_removed",
                    ctx: &ctx,
                    user_id: Some(&user.id),
                    factor_id: None,
                    details: serde_json::json!({
                        "group_id": group.id, "name": group.name, "email": user.email,
                    }),
                },
            )?;
            Ok(())
        })
        .await
}

/// The user's groups: (id, name), by name.
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Vec<(String, String)>, Error> {
    Ok(crate::db::groups::groups_of_user(conn, user_id)?)
}
