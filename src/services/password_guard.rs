//! Limits on guessing passwords, beside the per-address limit in `sessions`:
//!
//! - **Per account.** Wrong passwords for one address count in `password_throttle`, keyed by
//!   the normalised email (an address with no account is limited exactly like one with, so the
//!   limit reveals nothing). The first `FREE_FAILURES` cost nothing; each one after pauses the
//!   account's password step for longer (1, 2, 4, 8, then at most `MAX_PAUSE_MINUTES`
//!   minutes). A quiet day forgets them. A botnet with a million addresses gets about one guess
//!   per account every 15 minutes.
//! - **A browser that signed in before** (a `known_devices` cookie) is not paused: a stranger's
//!   guesses never lock a customer out of their usual browser, and from a new one they wait at
//!   most `MAX_PAUSE_MINUTES`.
//!
//! Each attempt is reserved (counted) before the password is checked, in a write transaction
//! that holds the row, so parallel guesses cannot slip past the limit on either backend; a
//! right password gives the attempt back.

use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{known_devices, password_throttle};
use crate::services::sessions::{hash_token, random_token};

/// Wrong passwords an account may have before the pauses start.
pub const FREE_FAILURES: i32 = 5;
/// The longest pause.
pub const MAX_PAUSE_MINUTES: i64 = 15;
/// Failures are forgotten after this long without one.
pub const FORGET_AFTER_HOURS: i64 = 24;
/// How long a browser stays known without signing in.
pub const DEVICE_DAYS: i64 = 180;
/// Known browsers kept per user (the oldest go first).
pub const DEVICES_PER_USER: i64 = 20;
/// The cookie that names a known browser.
pub const DEVICE_COOKIE: &str = "kw_device";

/// The key the per-address limit counts under: an IPv4 address as it is, an IPv6 address by
/// its /64 (one customer's network, which hands out addresses freely), an IPv4-mapped IPv6
/// address as the IPv4 address. Anything else (no address known) as it is.
pub fn address_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
        Err(_) => ip.to_owned(),
    }
}

/// The pause after `failures` wrong passwords (none below the free allowance).
pub fn pause_after(failures: i32) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(10) as u32;
    Some(Duration::minutes(
        (1i64 << doublings).min(MAX_PAUSE_MINUTES),
    ))
}

/// What `reserve` decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The account's password step is paused for this browser: wait this many seconds (nothing
    /// was counted).
    Paused { wait_seconds: i64 },
    /// Counted; `during_pause`: a known browser got through a running pause.
    Counted { during_pause: bool },
}

/// Counts a password attempt against the account `key` before the password is checked.
/// `trusted`: the browser signed in to this account before.
pub fn reserve(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    key: &str,
    trusted: bool,
) -> QueryResult<Attempt> {
    // The row exists first (no insert race on PostgreSQL); the UPDATE then locks it.
    match conn {
        DbConnection::Postgres(pg) => {
            diesel::sql_query(
                "INSERT INTO password_throttle (account_key, failures, window_start) VALUES ($1, 0, $2) ON CONFLICT (account_key) DO NOTHING",
            )
            .bind::<diesel::sql_types::Text, _>(key)
            .bind::<diesel::sql_types::Timestamp, _>(now)
            .execute(pg)?;
        }
        DbConnection::Sqlite(sqlite) => {
            diesel::sql_query(
                "INSERT OR IGNORE INTO password_throttle (account_key, failures, window_start) VALUES (?, 0, ?)",
            )
            .bind::<diesel::sql_types::Text, _>(key)
            .bind::<diesel::sql_types::Timestamp, _>(now)
            .execute(sqlite)?;
        }
    }
    diesel::update(password_throttle::table.find(key))
        .set(password_throttle::failures.eq(password_throttle::failures))
        .execute(conn)?;
    let (failures, last, locked_until): (i32, NaiveDateTime, Option<NaiveDateTime>) =
        password_throttle::table
            .find(key)
            .select((
                password_throttle::failures,
                password_throttle::window_start,
                password_throttle::locked_until,
            ))
            .get_result(conn)?;
    let running = locked_until.filter(|u| *u > now);
    if let Some(until) = running
        && !trusted
    {
        return Ok(Attempt::Paused {
            wait_seconds: (until - now).num_seconds().max(1),
        });
    }
    // `window_start` holds the time of the last failure: a quiet day starts over.
    let failures = if last + Duration::hours(FORGET_AFTER_HOURS) <= now {
        1
    } else {
        failures.saturating_add(1)
    };
    // A known browser's attempt during a pause leaves the pause as it is.
    let locked = match running {
        Some(until) => Some(until),
        None => pause_after(failures).map(|d| now + d),
    };
    diesel::update(password_throttle::table.find(key))
        .set((
            password_throttle::failures.eq(failures),
            password_throttle::window_start.eq(now),
            password_throttle::locked_until.eq(locked),
        ))
        .execute(conn)?;
    Ok(Attempt::Counted {
        during_pause: running.is_some(),
    })
}

/// The password was right: gives the reserved attempt back. Outside a pause the account's
/// count starts over; during one (only a known browser gets through) the pause and the count
/// stay, so the owner signing in does not hand a stranger a fresh allowance.
pub fn release(conn: &mut DbConnection, key: &str, during_pause: bool) -> QueryResult<()> {
    if during_pause {
        diesel::update(
            password_throttle::table
                .find(key)
                .filter(password_throttle::failures.gt(0)),
        )
        .set(password_throttle::failures.eq(password_throttle::failures - 1))
        .execute(conn)?;
    } else {
        diesel::delete(password_throttle::table.find(key)).execute(conn)?;
    }
    Ok(())
}

/// Forgets the account's wrong passwords (its owner set a new password with a mailed link).
pub fn clear(conn: &mut DbConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(password_throttle::table.find(key)).execute(conn)
}

/// Whether the browser's device cookie names a browser that signed in to `user_id` before.
pub fn is_known(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    user_id: &str,
    device: Option<&str>,
) -> QueryResult<bool> {
    let Some(token) = device else {
        return Ok(false);
    };
    if token.is_empty() || token.len() > 128 {
        return Ok(false);
    }
    let found = known_devices::table
        .find(hash_token(token))
        .filter(known_devices::user_id.eq(user_id))
        .filter(known_devices::last_used_at.gt(now - Duration::days(DEVICE_DAYS)))
        .select(known_devices::user_id)
        .get_result::<String>(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Remembers this browser for `user_id` after a right password: refreshes its cookie's row, or
/// starts a new one. Returns the cookie's value when a new one must be set.
pub fn remember(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    user_id: &str,
    device: Option<&str>,
) -> QueryResult<Option<String>> {
    if let Some(token) = device {
        let touched = diesel::update(
            known_devices::table
                .find(hash_token(token))
                .filter(known_devices::user_id.eq(user_id)),
        )
        .set(known_devices::last_used_at.eq(now))
        .execute(conn)?;
        if touched == 1 {
            return Ok(None);
        }
    }
    let token = random_token();
    diesel::insert_into(known_devices::table)
        .values((
            known_devices::token_hash.eq(hash_token(&token)),
            known_devices::user_id.eq(user_id),
            known_devices::created_at.eq(now),
            known_devices::last_used_at.eq(now),
        ))
        .execute(conn)?;
    // Keep the newest few.
    let keep: Vec<String> = known_devices::table
        .filter(known_devices::user_id.eq(user_id))
        .order(known_devices::last_used_at.desc())
        .limit(DEVICES_PER_USER)
        .select(known_devices::token_hash)
        .load(conn)?;
    diesel::delete(
        known_devices::table
            .filter(known_devices::user_id.eq(user_id))
            .filter(known_devices::token_hash.ne_all(keep)),
    )
    .execute(conn)?;
    Ok(Some(token))
}

/// Forgets every browser of `user_id` (the password was reset).
pub fn forget_devices(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(known_devices::table.filter(known_devices::user_id.eq(user_id))).execute(conn)
}

/// Removes quiet throttle rows and browsers unseen for `DEVICE_DAYS`.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let quiet = diesel::delete(
        password_throttle::table
            .filter(password_throttle::window_start.le(now - Duration::hours(FORGET_AFTER_HOURS)))
            .filter(
                password_throttle::locked_until
                    .is_null()
                    .or(password_throttle::locked_until.le(now)),
            ),
    )
    .execute(conn)?;
    let stale = diesel::delete(
        known_devices::table
            .filter(known_devices::last_used_at.le(now - Duration::days(DEVICE_DAYS))),
    )
    .execute(conn)?;
    Ok(quiet + stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_by_its_64() {
        assert_eq!(address_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(
            address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            address_key("2001:db8:1:2::1"),
            address_key("2001:db8:1:2:ffff::9")
        );
        assert_ne!(
            address_key("2001:db8:1:2::1"),
            address_key("2001:db8:1:3::1")
        );
        assert_eq!(address_key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(address_key("unknown"), "unknown");
    }

    #[test]
    fn pauses_grow_and_stop_at_the_cap() {
        let minutes: Vec<Option<i64>> = (1..=12)
            .map(|f| pause_after(f).map(|d| d.num_minutes()))
            .collect();
        assert_eq!(
            minutes,
            vec![
                None,
                None,
                None,
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(15),
                Some(15),
                Some(15),
                Some(15)
            ]
        );
        assert_eq!(pause_after(i32::MAX).map(|d| d.num_minutes()), Some(15));
    }
}
