//! Housekeeping the server runs in the background: removing expired pending enrollments, and
//! deleting what has outlived its retention — sent mail, used and expired links and tokens.
//!
//! Never deleted here: audit events (the chain must stay whole), mail that is pending or
//! failed (it is still to be sent, or to be retried by an operator), and tokens that still
//! work (neither used nor expired).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::factors;
use crate::domain::newtypes::FactorStatus;

/// Deletes pending factors whose enrollment window has passed; returns how many.
pub fn remove_expired_pending(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        factors::table
            .filter(factors::status.eq(FactorStatus::Pending.as_str()))
            .filter(factors::expires_at.le(now)),
    )
    .execute(conn)
}

/// A table of single-use, expiring links or tokens: a row may go once it was used or expired
/// longer than the retention ago.
pub struct TokenTable {
    pub table: &'static str,
    pub expires_at: &'static str,
    pub used_at: &'static str,
}

/// Every table of links and tokens that housekeeping clears after the retention. (Portal
/// sessions and WebAuthn ceremonies are deleted as soon as they expire, see
/// `sessions::sweep` and `webauthn::remove_expired_challenges`.)
#[rustfmt::skip]
pub const TOKEN_TABLES: &[TokenTable] = &[
    TokenTable { table: "report_tokens", expires_at: "expires_at", used_at: "used_at" },
    // Password-reset, set-password and email-confirmation links.
    TokenTable { table: "account_links", expires_at: "expires_at", used_at: "used_at" },
];

/// The most rows one statement of a retention sweep deletes.
pub const SWEEP_BATCH: usize = 1000;
/// The most batches a housekeeping round deletes from each table. What is left (the first
/// round after an upgrade, or after raising the retention) goes in the next rounds, a minute
/// apart, so a large backlog never holds the (SQLite) writer for long.
pub const SWEEP_BATCHES_PER_ROUND: usize = 5;

/// How many rows a retention sweep deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub sent_mail: usize,
    pub tokens: usize,
    /// Some table still had a full batch to delete when the round's batches ran out.
    pub more: bool,
}

/// What a retention sweep deletes from: sent mail (`0`), then each of [`TOKEN_TABLES`]
/// (`1..`). See [`sweep_batch`].
pub fn sweep_targets() -> usize {
    1 + TOKEN_TABLES.len()
}

/// Deletes at most [`SWEEP_BATCH`] rows of sweep target `target` (see [`sweep_targets`]) past
/// their retention: sent mail older than `sent_mail_days` (by its sending time), links and
/// tokens used or expired more than `token_days` ago. Returns how many. One statement,
/// `DELETE … WHERE id IN (SELECT id … LIMIT n)`, meant for a write transaction of its own.
pub fn sweep_batch(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    target: usize,
    sent_mail_days: i64,
    token_days: i64,
) -> QueryResult<usize> {
    let p = match conn {
        DbConnection::Postgres(_) => "$1",
        DbConnection::Sqlite(_) => "?1",
    };
    let (sql, cutoff) = if target == 0 {
        (
            format!(
                "DELETE FROM mail_outbox WHERE id IN (SELECT id FROM mail_outbox \
                 WHERE status = 'sent' AND sent_at <= {p} LIMIT {SWEEP_BATCH})"
            ),
            now - Duration::days(sent_mail_days),
        )
    } else {
        let Some(t) = TOKEN_TABLES.get(target - 1) else {
            return Ok(0);
        };
        (
            format!(
                "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} \
                 WHERE {expires} <= {p} OR ({used} IS NOT NULL AND {used} <= {p}) LIMIT {SWEEP_BATCH})",
                table = t.table,
                expires = t.expires_at,
                used = t.used_at,
            ),
            now - Duration::days(token_days),
        )
    };
    diesel::sql_query(sql)
        .bind::<diesel::sql_types::Timestamp, _>(cutoff)
        .execute(conn)
}

impl Swept {
    /// Counts `n` rows deleted from sweep target `target`.
    pub fn add(&mut self, target: usize, n: usize) {
        if target == 0 {
            self.sent_mail += n;
        } else {
            self.tokens += n;
        }
    }
}
