//! Which kinds of second factor users have, and how that changed over the last 90 days (the
//! compliance page's chart).
//!
//! History comes from `factor_adoption`, one row per day: the housekeeping task records the
//! counts at its first run of each day (UTC) on any instance; today's numbers are counted live.
//! Counting is one pass over an index (`factors (status, kind, user_id)`), cheap enough once a
//! day and for a staff page at a million users; rebuilding the past from factor rows and the
//! audit log would need every removal's kind (a support reset records only how many) and a scan
//! of 90 days of events. Days no instance ran have no row: the chart shows a gap, not a guess.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::count;
use diesel::prelude::*;

use crate::db::schema::{factor_adoption, factors, users};
use crate::db::{DbConnection, DbError};
use crate::domain::clock::naive;
use crate::error::Error;
use crate::state::AppState;

/// How many users have each kind of active second factor. A user with an authenticator app
/// and a security key counts under both; `no_factor` counts users with no active factor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub users: i64,
    pub totp: i64,
    pub yubikey_otp: i64,
    pub webauthn: i64,
    pub no_factor: i64,
}

/// One day of the history: `None` when nothing was recorded that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub day: NaiveDate,
    pub counts: Option<Counts>,
}

/// The counts now.
pub fn count_now(conn: &mut DbConnection) -> QueryResult<Counts> {
    let active = factors::table.filter(factors::status.eq("active"));
    let per_kind: Vec<(String, i64)> = active
        .group_by(factors::kind)
        .select((factors::kind, count(factors::user_id).aggregate_distinct()))
        .load(conn)?;
    let with_any: i64 = active
        .select(count(factors::user_id).aggregate_distinct())
        .get_result(conn)?;
    let all: i64 = users::table.count().get_result(conn)?;
    let of = |k: &str| {
        per_kind
            .iter()
            .find(|(kind, _)| kind == k)
            .map_or(0, |(_, n)| *n)
    };
    Ok(Counts {
        users: all,
        totp: of("totp"),
        yubikey_otp: of("yubikey_otp"),
        webauthn: of("webauthn"),
        // Read one statement apart: never below zero.
        no_factor: (all - with_any).max(0),
    })
}

type Row = (NaiveDate, i64, i64, i64, i64, i64);

fn counts_of(r: &Row) -> Counts {
    Counts {
        users: r.1,
        totp: r.2,
        yubikey_otp: r.3,
        webauthn: r.4,
        no_factor: r.5,
    }
}

/// The last `n` days, oldest first; the last one is today, counted now.
#[tracing::instrument(skip_all)]
pub async fn last_days(state: &AppState, n: i64) -> Result<Vec<Day>, Error> {
    let today = naive(state.clock.now()).date();
    let first = today - Duration::days(n.max(1) - 1);
    state
        .db
        .read(move |conn| {
            let rows: Vec<Row> = factor_adoption::table
                .filter(factor_adoption::day.ge(first))
                .filter(factor_adoption::day.lt(today))
                .order(factor_adoption::day.asc())
                .select((
                    factor_adoption::day,
                    factor_adoption::users,
                    factor_adoption::totp,
                    factor_adoption::yubikey_otp,
                    factor_adoption::webauthn,
                    factor_adoption::no_factor,
                ))
                .load(conn)?;
            let now = count_now(conn)?;
            let days = first
                .iter_days()
                .take_while(|d| *d <= today)
                .map(|day| Day {
                    day,
                    counts: if day == today {
                        Some(now)
                    } else {
                        rows.iter().find(|r| r.0 == day).map(counts_of)
                    },
                })
                .collect();
            Ok::<_, Error>(days)
        })
        .await
}

fn is_duplicate(e: &DbError) -> bool {
    matches!(
        e,
        DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _
        ))
    )
}

/// Records today's counts unless some instance already has; `true` when this call did. Called
/// by the housekeeping task every minute: all but the first call of a day are one lookup.
#[tracing::instrument(skip_all)]
pub async fn record_today(state: &AppState) -> Result<bool, DbError> {
    let now: NaiveDateTime = naive(state.clock.now());
    let today = now.date();
    let recorded: i64 = state
        .db
        .read(move |conn| {
            Ok::<_, DbError>(
                factor_adoption::table
                    .find(today)
                    .count()
                    .get_result(conn)?,
            )
        })
        .await?;
    if recorded > 0 {
        return Ok(false);
    }
    // Counted outside the write: on SQLite the writer thread is not held by a count.
    let c = state
        .db
        .read(|conn| Ok::<_, DbError>(count_now(conn)?))
        .await?;
    let written = state
        .db
        .write(move |conn| {
            diesel::insert_into(factor_adoption::table)
                .values((
                    factor_adoption::day.eq(today),
                    factor_adoption::users.eq(c.users),
                    factor_adoption::totp.eq(c.totp),
                    factor_adoption::yubikey_otp.eq(c.yubikey_otp),
                    factor_adoption::webauthn.eq(c.webauthn),
                    factor_adoption::no_factor.eq(c.no_factor),
                    factor_adoption::recorded_at.eq(now),
                ))
                .execute(conn)
                .map_err(DbError::from)
        })
        .await;
    match written {
        Ok(_) => Ok(true),
        // Another instance (or call) recorded the day first.
        Err(e) if is_duplicate(&e) => Ok(false),
        Err(e) => Err(e),
    }
}
