//! Portal sessions, kept in the database: a random token in an HttpOnly cookie names the
//! session, and only the token's SHA-256 is stored. A session expires after
//! `IDLE_MINUTES` without a request and after `MAX_HOURS` in all; it is replaced by a new one
//! (a new token) at sign-in and again at the second step; sessions that started before the
//! user's `sessions_valid_after` (set by a "this wasn't me" report) are over.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::db::schema::{sessions, signin_throttle, users};
use crate::domain::clock::naive;
use crate::error::Error;

pub const IDLE_MINUTES: i64 = 30;
pub const MAX_HOURS: i64 = 12;
/// Failed sign-ins one client address may make in `THROTTLE_WINDOW_MINUTES`.
pub const THROTTLE_FAILURES: i32 = 10;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The password was right; a second factor is still owed.
    SecondStep,
    /// Signed in.
    Full,
    /// The password was right, but the user has no factor the security policy accepts: the
    /// session may only add one (within the enrollment grace period). It becomes `Full` once
    /// the user has a compliant factor.
    Enroll,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Self::SecondStep => "second_step",
            Self::Full => "full",
            Self::Enroll => "enroll",
        }
    }
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub user_id: String,
    pub stage: Stage,
    pub csrf_token: String,
    pub sudo_until: Option<NaiveDateTime>,
    /// The user's role, read from their row with the session on every request (the navigation
    /// and the staff pages' check). A value the code does not know counts as `customer`.
    pub role: crate::domain::newtypes::Role,
    /// The OpenID Connect hand-off this session serves, if a client sent the browser here.
    pub handoff: Option<Handoff>,
    /// The user's language (`users.locale`), read with the role; `None`: the browser's.
    pub locale: Option<String>,
}

/// A hand-off in progress, as the pages need it: where "Back to" and "Cancel" lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    pub authorization_id: String,
    pub client_name: String,
    /// `verify`, `enroll` or `manage`.
    pub action: String,
    /// `acr_values=hardware`: only YubiKeys and security keys.
    pub hardware: bool,
    /// The client's `ui_locales`: the languages it asked the pages to speak.
    pub ui_locales: Option<String>,
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session for `user_id` (replacing `previous`, if any); returns the new cookie token.
#[tracing::instrument(skip_all, fields(user_id = %user_id, stage = ?stage))]
pub fn start(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    user_id: &str,
    stage: Stage,
    previous: Option<&str>,
) -> Result<String, Error> {
    // A hand-off in progress stays with the browser through the session's renewals.
    let mut handoff: Option<String> = None;
    if let Some(old) = previous {
        handoff = sessions::table
            .find(old)
            .select(sessions::oidc_authorization)
            .get_result::<Option<String>>(conn)
            .optional()?
            .flatten();
        diesel::delete(sessions::table.find(old)).execute(conn)?;
    }
    let token = random_token();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(hash_token(&token)),
            sessions::user_id.eq(user_id),
            sessions::stage.eq(stage.as_str()),
            sessions::csrf_token.eq(random_token()),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::oidc_authorization.eq(handoff),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The session a cookie names, if it is still valid; marks it seen.
pub fn resume(
    conn: &mut DbConnection,
    now_dt: DateTime<Utc>,
    token: &str,
) -> Result<Option<Session>, Error> {
    let now = naive(now_dt);
    let hash = hash_token(token);
    type Row = (
        String,
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<String>,
    );
    let row: Option<Row> = sessions::table
        .find(&hash)
        .select((
            sessions::user_id,
            sessions::stage,
            sessions::csrf_token,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::sudo_until,
            sessions::oidc_authorization,
        ))
        .get_result(conn)
        .optional()?;
    let Some((user_id, stage, csrf_token, created_at, last_seen_at, sudo_until, handoff)) = row
    else {
        return Ok(None);
    };
    let Some((valid_after, role, locale)): Option<(Option<NaiveDateTime>, String, Option<String>)> =
        users::table
            .find(&user_id)
            .select((users::sessions_valid_after, users::role, users::locale))
            .get_result(conn)
            .optional()?
    else {
        return Ok(None);
    };
    let over = last_seen_at + Duration::minutes(IDLE_MINUTES) <= now
        || created_at + Duration::hours(MAX_HOURS) <= now
        || valid_after.is_some_and(|v| created_at <= v);
    if over {
        diesel::delete(sessions::table.find(&hash)).execute(conn)?;
        return Ok(None);
    }
    diesel::update(sessions::table.find(&hash))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    let handoff = match handoff {
        Some(id) => crate::services::oidc::handoff_of(conn, &id, now)?,
        None => None,
    };
    Ok(Some(Session {
        handoff,
        locale,
        token_hash: hash,
        user_id,
        stage: match stage.as_str() {
            "full" => Stage::Full,
            "enroll" => Stage::Enroll,
            _ => Stage::SecondStep,
        },
        csrf_token,
        sudo_until,
        role: crate::domain::newtypes::Role::parse(&role)
            .unwrap_or(crate::domain::newtypes::Role::Customer),
    }))
}

/// How long a re-entered password allows factor changes.
pub const SUDO_MINUTES: i64 = 10;

pub fn grant_sudo(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(sessions::table.find(token_hash))
        .set(sessions::sudo_until.eq(now + Duration::minutes(SUDO_MINUTES)))
        .execute(conn)
}

pub fn end(conn: &mut DbConnection, token_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(token_hash)).execute(conn)
}

/// Whether the address key `ip` may try a password now; `Some(seconds)` to wait when it may
/// not.
pub fn signin_blocked(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    ip: &str,
) -> QueryResult<Option<i64>> {
    let until: Option<NaiveDateTime> = signin_throttle::table
        .find(ip)
        .select(signin_throttle::locked_until)
        .get_result::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten();
    Ok(until
        .filter(|u| *u > now)
        .map(|u| (u - now).num_seconds().max(1)))
}

/// Takes one attempt from `ip`'s allowance before a password is checked, in the caller's
/// write transaction, so parallel requests cannot all slip past the limit. `Some(seconds)`:
/// the address is blocked. A right password gives the attempt back (`release_attempt`).
pub fn reserve_attempt(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    ip: &str,
) -> QueryResult<Option<i64>> {
    // IPv6 counts by its /64 (see `password_guard::address_key`).
    let key = crate::services::password_guard::address_key(ip);
    let ip = key.as_str();
    // The row exists first (no insert race on PostgreSQL); the UPDATE then locks it.
    match conn {
        DbConnection::Postgres(pg) => {
            diesel::sql_query(
                "INSERT INTO signin_throttle (ip, failures, window_start) VALUES ($1, 0, $2) ON CONFLICT (ip) DO NOTHING",
            )
            .bind::<diesel::sql_types::Text, _>(ip)
            .bind::<diesel::sql_types::Timestamp, _>(now)
            .execute(pg)?;
        }
        DbConnection::Sqlite(sqlite) => {
            diesel::sql_query(
                "INSERT OR IGNORE INTO signin_throttle (ip, failures, window_start) VALUES (?, 0, ?)",
            )
            .bind::<diesel::sql_types::Text, _>(ip)
            .bind::<diesel::sql_types::Timestamp, _>(now)
            .execute(sqlite)?;
        }
    }
    diesel::update(signin_throttle::table.find(ip))
        .set(signin_throttle::failures.eq(signin_throttle::failures))
        .execute(conn)?;
    if let Some(wait) = signin_blocked(conn, now, ip)? {
        return Ok(Some(wait));
    }
    signin_failed(conn, now, ip)?;
    Ok(None)
}

/// Gives back an attempt taken by `reserve_attempt` (the password was right).
pub fn release_attempt(conn: &mut DbConnection, ip: &str) -> QueryResult<usize> {
    let ip = crate::services::password_guard::address_key(ip);
    let ip = ip.as_str();
    diesel::update(
        signin_throttle::table
            .find(ip)
            .filter(signin_throttle::failures.gt(0)),
    )
    .set(signin_throttle::failures.eq(signin_throttle::failures - 1))
    .execute(conn)
}

/// Counts a failed sign-in from `ip`; blocks the address once it reaches the limit.
pub fn signin_failed(conn: &mut DbConnection, now: NaiveDateTime, ip: &str) -> QueryResult<()> {
    let row: Option<(i32, NaiveDateTime)> = signin_throttle::table
        .find(ip)
        .select((signin_throttle::failures, signin_throttle::window_start))
        .get_result(conn)
        .optional()?;
    let window = Duration::minutes(THROTTLE_WINDOW_MINUTES);
    match row {
        None => {
            diesel::insert_into(signin_throttle::table)
                .values((
                    signin_throttle::ip.eq(ip),
                    signin_throttle::failures.eq(1),
                    signin_throttle::window_start.eq(now),
                ))
                .execute(conn)?;
        }
        Some((failures, start)) => {
            let (failures, start) = if start + window <= now {
                (1, now)
            } else {
                (failures + 1, start)
            };
            let locked = (failures >= THROTTLE_FAILURES).then(|| now + window);
            diesel::update(signin_throttle::table.find(ip))
                .set((
                    signin_throttle::failures.eq(if locked.is_some() { 0 } else { failures }),
                    signin_throttle::window_start.eq(start),
                    signin_throttle::locked_until.eq(locked),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Removes sessions that can no longer be used, throttle rows with nothing left to remember
/// and browsers long unseen (`password_guard::sweep`); returns how many rows went.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let idle = diesel::delete(
        sessions::table.filter(
            sessions::last_seen_at
                .le(now - Duration::minutes(IDLE_MINUTES))
                .or(sessions::created_at.le(now - Duration::hours(MAX_HOURS))),
        ),
    )
    .execute(conn)?;
    let quiet = diesel::delete(
        signin_throttle::table
            .filter(signin_throttle::window_start.le(now - Duration::days(1)))
            .filter(
                signin_throttle::locked_until
                    .is_null()
                    .or(signin_throttle::locked_until.le(now)),
            ),
    )
    .execute(conn)?;
    let guard = crate::services::password_guard::sweep(conn, now)?
        + crate::services::password_life::sweep_unconfirmed(conn, now)?
        + crate::services::oidc::sweep(conn, now)?;
    Ok(idle + quiet + guard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }
}
