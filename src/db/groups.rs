//! Groups, their policy documents and their members: the rows, and what the effective policy
//! of a user needs from them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{group_members, groups};
use crate::domain::policy::{Effective, GroupPolicy, Policy};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = groups)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    /// The policy document, or `None`: the group adds nothing to its members' policy.
    pub policy: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl GroupRow {
    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Self> {
        groups::table
            .find(id)
            .select(Self::as_select())
            .get_result(conn)
    }

    pub fn find_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<Self>> {
        groups::table
            .filter(groups::name.eq(name))
            .select(Self::as_select())
            .get_result(conn)
            .optional()
    }

    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Self>> {
        groups::table
            .order((groups::name.asc(), groups::id.asc()))
            .select(Self::as_select())
            .load(conn)
    }

    /// The group's policy, parsed. A stored document that does not parse is a
    /// deserialization error.
    pub fn parsed_policy(&self) -> QueryResult<Option<Policy>> {
        self.policy.as_deref().map(parse).transpose()
    }

    pub fn member_count(conn: &mut DbConnection, id: &str) -> QueryResult<i64> {
        group_members::table
            .filter(group_members::group_id.eq(id))
            .count()
            .get_result(conn)
    }
}

fn parse(text: &str) -> QueryResult<Policy> {
    serde_json::from_str(text).map_err(|e| {
        diesel::result::Error::DeserializationError(
            format!("a stored group policy does not parse: {e}").into(),
        )
    })
}

/// The policies of the user's groups that have one, by group name. One indexed query: the
/// verify path runs it for every code.
pub fn policies_of_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<GroupPolicy>> {
    let rows: Vec<(String, String, Option<String>)> = super::native::native!(conn, |c| {
        group_members::table
            .inner_join(groups::table)
            .filter(group_members::user_id.eq(user_id))
            .filter(groups::policy.is_not_null())
            .order((groups::name.asc(), groups::id.asc()))
            .select((groups::id, groups::name, groups::policy))
            .load(c)
    })?;
    rows.into_iter()
        .filter_map(|(id, name, doc)| doc.map(|d| (id, name, d)))
        .map(|(group_id, group_name, doc)| {
            Ok(GroupPolicy {
                group_id,
                group_name,
                policy: parse(&doc)?,
            })
        })
        .collect()
}

/// The user's groups (id and name), by name.
pub fn groups_of_user(
    conn: &mut DbConnection,
    user_id: &str,
) -> QueryResult<Vec<(String, String)>> {
    group_members::table
        .inner_join(groups::table)
        .filter(group_members::user_id.eq(user_id))
        .order((groups::name.asc(), groups::id.asc()))
        .select((groups::id, groups::name))
        .load(conn)
}

/// Share-locks the rows of the user's groups until the transaction ends (PostgreSQL; on
/// SQLite every write transaction runs alone), so a change to one of their policies waits.
pub fn share_lock_of_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    if matches!(conn, DbConnection::Postgres(_)) {
        diesel::sql_query(
            "SELECT g.id FROM groups g JOIN group_members m ON m.group_id = g.id \
             WHERE m.user_id = $1 ORDER BY g.id FOR SHARE OF g",
        )
        .bind::<diesel::sql_types::Text, _>(user_id)
        .execute(conn)?;
    }
    Ok(())
}

/// Locks one group's row for a change (PostgreSQL): waits for the transactions that judged a
/// member by its policy. Returns whether the group exists.
pub fn lock_for_update(conn: &mut DbConnection, group_id: &str) -> QueryResult<bool> {
    if matches!(conn, DbConnection::Postgres(_)) {
        let n = diesel::sql_query("SELECT id FROM groups WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(group_id)
            .execute(conn)?;
        return Ok(n > 0);
    }
    Ok(groups::table
        .find(group_id)
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// Locks, for a membership change (PostgreSQL), the group's row and the rows of the user's
/// other groups, all for update and in id order: two membership changes of one user, or one
/// and a factor change (which share-locks the same rows in the same order), cannot deadlock.
pub fn lock_for_membership(
    conn: &mut DbConnection,
    group_id: &str,
    user_id: &str,
) -> QueryResult<()> {
    if matches!(conn, DbConnection::Postgres(_)) {
        diesel::sql_query(
            "SELECT id FROM groups WHERE id = $1 \
             OR id IN (SELECT group_id FROM group_members WHERE user_id = $2) \
             ORDER BY id FOR UPDATE",
        )
        .bind::<diesel::sql_types::Text, _>(group_id)
        .bind::<diesel::sql_types::Text, _>(user_id)
        .execute(conn)?;
    }
    Ok(())
}

/// Every membership: (user id, group id).
pub fn all_memberships(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    group_members::table
        .select((group_members::user_id, group_members::group_id))
        .load(conn)
}

/// The members of a group: (user id, email), by email.
pub fn members(conn: &mut DbConnection, group_id: &str) -> QueryResult<Vec<(String, String)>> {
    use super::schema::users;
    group_members::table
        .inner_join(users::table)
        .filter(group_members::group_id.eq(group_id))
        .order(users::email.asc())
        .select((users::id, users::email))
        .load(conn)
}

/// Every user's effective policy, computed once per distinct set of groups: the global
/// policy, and (user id, effective policy) for each user in a group with a policy. Users not
/// listed have the global policy.
pub fn all_effective(
    conn: &mut DbConnection,
) -> QueryResult<(Policy, std::collections::HashMap<String, Effective>)> {
    use std::collections::{BTreeMap, HashMap};
    let global = super::policy::load(conn)?;
    let mut policies = HashMap::new();
    for g in GroupRow::all(conn)? {
        if let Some(p) = g.parsed_policy()? {
            policies.insert(
                g.id.clone(),
                GroupPolicy {
                    group_id: g.id,
                    group_name: g.name,
                    policy: p,
                },
            );
        }
    }
    let mut sets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if !policies.is_empty() {
        for (user, group) in all_memberships(conn)? {
            if policies.contains_key(&group) {
                sets.entry(user).or_default().push(group);
            }
        }
    }
    let mut by_set: HashMap<Vec<String>, Effective> = HashMap::new();
    let mut out = HashMap::new();
    for (user, mut ids) in sets {
        // The combination's sources follow the groups' names, as `policies_of_user` orders them.
        ids.sort_by(|a, b| {
            let name = |id: &String| policies.get(id).map(|g| g.group_name.clone());
            name(a).cmp(&name(b)).then(a.cmp(b))
        });
        let e = by_set
            .entry(ids.clone())
            .or_insert_with(|| {
                let list: Vec<_> = ids
                    .iter()
                    .filter_map(|id| policies.get(id).cloned())
                    .collect();
                crate::domain::policy::combine(&global, &list)
            })
            .clone();
        out.insert(user, e);
    }
    Ok((global, out))
}
