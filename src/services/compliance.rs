//! Compliance with the security policy: which users have no active factor the policy accepts
//! while it requires two-factor authentication, and since when.
//!
//! `users.noncompliant_since` is the record. It is kept in the same transaction as every change
//! that can move it — a policy change (all users), a factor's activation or removal, a support
//! reset, a user's creation — and once more at start (a policy from before this column). The
//! enrollment grace period runs from it: until `noncompliant_since + enrollment_grace_days` a
//! user without a compliant factor is sent to enroll after the password step; after that,
//! sign-in is refused.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::FactorRow;
use crate::db::schema::{factors, users};
use crate::domain::clock::{naive, rfc3339};
use crate::domain::newtypes::{FactorKind, FactorStatus};
pub use crate::domain::policy::{Policy, Standing, complies, enroll_by, standing};
use crate::error::Error;
use crate::state::AppState;

/// Whether a factor is active and meets the policy.
pub fn row_complies(policy: &Policy, row: &FactorRow) -> bool {
    row.is_active()
        && complies(
            policy,
            row.kind,
            row.webauthn_attested,
            row.webauthn_aaguid.as_deref(),
        )
}

/// The user's active factors that meet the policy.
pub fn compliant_factors(
    conn: &mut DbConnection,
    policy: &Policy,
    user_id: &str,
) -> QueryResult<Vec<FactorRow>> {
    Ok(FactorRow::active_for_user(conn, user_id)?
        .into_iter()
        .filter(|f| row_complies(policy, f))
        .collect())
}

/// Brings one user's `noncompliant_since` up to date; returns it. `restart` starts the grace
/// period again from `now` for a user out of compliance (a support reset).
pub fn refresh_user(
    conn: &mut DbConnection,
    policy: &Policy,
    user_id: &str,
    now: NaiveDateTime,
    restart: bool,
) -> QueryResult<Option<NaiveDateTime>> {
    let compliant =
        !policy.require_two_factor || !compliant_factors(conn, policy, user_id)?.is_empty();
    if compliant {
        diesel::update(users::table.find(user_id))
            .set(users::noncompliant_since.eq(None::<NaiveDateTime>))
            .execute(conn)?;
        return Ok(None);
    }
    let q = users::table.find(user_id);
    if restart {
        diesel::update(q)
            .set(users::noncompliant_since.eq(now))
            .execute(conn)?;
    } else {
        diesel::update(q.filter(users::noncompliant_since.is_null()))
            .set(users::noncompliant_since.eq(now))
            .execute(conn)?;
    }
    users::table
        .find(user_id)
        .select(users::noncompliant_since)
        .get_result(conn)
}

/// What compliance needs of the active factors (of these users, or of all): (user id, kind,
/// attested, AAGUID).
type Facts = (String, String, Option<bool>, Option<String>);

fn active_facts(conn: &mut DbConnection, users: Option<&[String]>) -> QueryResult<Vec<Facts>> {
    let mut q = factors::table
        .filter(factors::status.eq(FactorStatus::Active.as_str()))
        .select((
            factors::user_id,
            factors::kind,
            factors::webauthn_attested,
            factors::webauthn_aaguid,
        ))
        .into_boxed();
    if let Some(ids) = users {
        q = q.filter(factors::user_id.eq_any(ids));
    }
    q.load(conn)
}

/// Brings every user's `noncompliant_since` up to date after a change to the global policy or
/// a group's (each user judged by their effective policy); returns how many users are out of
/// compliance. Users who already were keep their date (and their deadline).
pub fn refresh_all(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, Error> {
    let (global, grouped) = crate::db::groups::all_effective(conn)?;
    let policy_of = |user: &str| -> &Policy { grouped.get(user).map_or(&global, |e| &e.policy) };
    if !global.require_two_factor && !grouped.values().any(|e| e.policy.require_two_factor) {
        diesel::update(users::table.filter(users::noncompliant_since.is_not_null()))
            .set(users::noncompliant_since.eq(None::<NaiveDateTime>))
            .execute(conn)?;
        return Ok(0);
    }
    let compliant: HashSet<String> = active_facts(conn, None)?
        .into_iter()
        .filter(|(user, kind, attested, aaguid)| {
            FactorKind::parse(kind)
                .is_some_and(|k| complies(policy_of(user), k, *attested, aaguid.as_deref()))
        })
        .map(|(user, ..)| user)
        .collect();
    let all: Vec<(String, Option<NaiveDateTime>)> = users::table
        .select((users::id, users::noncompliant_since))
        .load(conn)?;
    let mut clear = Vec::new();
    let mut mark = Vec::new();
    for (id, since) in all {
        let ok = !policy_of(&id).require_two_factor || compliant.contains(&id);
        match (ok, since.is_some()) {
            (true, true) => clear.push(id),
            (false, false) => mark.push(id),
            (false, true) | (true, false) => {}
        }
    }
    // In chunks: both engines limit the number of bound parameters in one statement.
    for ids in clear.chunks(500) {
        diesel::update(users::table.filter(users::id.eq_any(ids)))
            .set(users::noncompliant_since.eq(None::<NaiveDateTime>))
            .execute(conn)?;
    }
    for ids in mark.chunks(500) {
        diesel::update(
            users::table
                .filter(users::id.eq_any(ids))
                .filter(users::noncompliant_since.is_null()),
        )
        .set(users::noncompliant_since.eq(now))
        .execute(conn)?;
    }
    let out: i64 = users::table
        .filter(users::noncompliant_since.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(out as usize)
}

/// One user out of compliance, as the compliance view shows them.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    /// Since when the user has had no factor the policy accepts.
    pub noncompliant_since: String,
    /// When the enrollment grace period ends (or ended).
    pub enroll_by: String,
    /// The grace period is over: sign-in is refused until the user has a compliant factor.
    pub overdue: bool,
    /// Active factors the policy does not accept (e.g. an authenticator app under "hardware
    /// keys only").
    pub noncompliant_factors: i64,
    /// The user's groups whose policies take part in theirs (empty: the global policy alone).
    pub groups: Vec<String>,
}

/// The compliance view: the policy, how many users are out of compliance, and a page of them,
/// longest out of compliance first.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Report {
    /// The global policy's.
    pub require_two_factor: bool,
    /// The global policy's; a group's may be shorter for its members (each entry's
    /// `enroll_by` is the user's own).
    pub enrollment_grace_days: i64,
    /// Whether some group's policy requires two-factor authentication of its members.
    pub groups_require_two_factor: bool,
    /// All users out of compliance.
    pub total: i64,
    /// Of those, the ones past their grace period.
    pub overdue: i64,
    pub users: Vec<Entry>,
    /// Give as `offset` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<i64>,
}

pub const PAGE_MAX: i64 = 500;
/// The largest `offset` taken: far beyond any real list, small enough that `offset + limit`
/// and the SQL `OFFSET` never overflow.
pub const OFFSET_MAX: i64 = 1_000_000_000;

pub async fn report(state: &AppState, limit: i64, offset: i64) -> Result<Report, Error> {
    if !(1..=PAGE_MAX).contains(&limit) {
        return Err(Error::BadRequest(format!(
            "limit: must be between 1 and {PAGE_MAX}"
        )));
    }
    if !(0..=OFFSET_MAX).contains(&offset) {
        return Err(Error::BadRequest(format!(
            "offset: must be between 0 and {OFFSET_MAX}"
        )));
    }
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            // Each user's grace period is their effective policy's.
            let (policy, grouped) = crate::db::groups::all_effective(conn)?;
            let policy_of =
                |user: &str| -> &Policy { grouped.get(user).map_or(&policy, |e| &e.policy) };
            let total: i64 = users::table
                .filter(users::noncompliant_since.is_not_null())
                .count()
                .get_result(conn)?;
            let overdue: i64 = if grouped.is_empty() {
                let cutoff = now - Duration::days(policy.enrollment_grace_days);
                users::table
                    .filter(users::noncompliant_since.le(cutoff))
                    .count()
                    .get_result(conn)?
            } else {
                let out: Vec<(String, Option<NaiveDateTime>)> = users::table
                    .filter(users::noncompliant_since.is_not_null())
                    .select((users::id, users::noncompliant_since))
                    .load(conn)?;
                out.iter()
                    .filter(|(id, since)| since.is_some_and(|s| now >= enroll_by(policy_of(id), s)))
                    .count() as i64
            };
            let rows: Vec<(String, String, String, String, Option<NaiveDateTime>)> = users::table
                .filter(users::noncompliant_since.is_not_null())
                .order((users::noncompliant_since.asc(), users::id.asc()))
                .limit(limit + 1)
                .offset(offset)
                .select((
                    users::id,
                    users::email,
                    users::display_name,
                    users::role,
                    users::noncompliant_since,
                ))
                .load(conn)?;
            let more = rows.len() as i64 > limit;
            let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
            // The page's users' factors the policy does not accept, in one query.
            let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
            let mut refused: std::collections::HashMap<String, i64> = Default::default();
            for (user, kind, attested, aaguid) in active_facts(conn, Some(&ids))? {
                let ok = FactorKind::parse(&kind)
                    .is_some_and(|k| complies(policy_of(&user), k, attested, aaguid.as_deref()));
                if !ok {
                    *refused.entry(user).or_default() += 1;
                }
            }
            let mut entries = Vec::new();
            for (id, email, display_name, role, since) in rows {
                let by = enroll_by(policy_of(&id), since.unwrap_or(now));
                let groups = grouped
                    .get(&id)
                    .map(|e| e.groups.clone())
                    .unwrap_or_default();
                let since = since.unwrap_or(now);
                let noncompliant_factors = refused.get(&id).copied().unwrap_or(0);
                entries.push(Entry {
                    user_id: id,
                    email,
                    display_name,
                    role,
                    noncompliant_since: rfc3339(since),
                    enroll_by: rfc3339(by),
                    overdue: now >= by,
                    noncompliant_factors,
                    groups,
                });
            }
            Ok::<_, Error>(Report {
                require_two_factor: policy.require_two_factor,
                enrollment_grace_days: policy.enrollment_grace_days,
                groups_require_two_factor: grouped.values().any(|e| {
                    e.require_two_factor_from
                        .iter()
                        .any(|s| matches!(s, crate::domain::policy::Source::Group { .. }))
                }),
                total,
                overdue,
                users: entries,
                next_offset: more.then_some(offset + limit),
            })
        })
        .await
}

/// At start: a policy stored before compliance was recorded, or by an older version, gets its
/// users' records.
#[tracing::instrument(skip_all)]
pub async fn refresh_at_start(state: &AppState) -> Result<usize, Error> {
    let now = naive(state.clock.now());
    state.db.write(move |conn| refresh_all(conn, now)).await
}
