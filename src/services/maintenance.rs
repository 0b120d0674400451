//! Housekeeping the server runs in the background: removing expired pending enrollments, and
//! deleting what has outlived its retention — sent mail, used and expired links and tokens.
//!
//! Never deleted here: audit events (the chain must stay whole), mail that is pending or
//! failed (it is still to be sent, or to be retried by an operator), and tokens that still
//! work (neither used nor expired).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{factors, mail_outbox};
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

/// How many rows a retention sweep deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub sent_mail: usize,
    pub tokens: usize,
}

/// Deletes sent mail older than `sent_mail_days` (by its sending time) and links and tokens
/// used or expired more than `token_days` ago.
pub fn sweep_retention(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    sent_mail_days: i64,
    token_days: i64,
) -> QueryResult<Swept> {
    let sent_mail = diesel::delete(
        mail_outbox::table
            .filter(mail_outbox::status.eq("sent"))
            .filter(mail_outbox::sent_at.le(now - Duration::days(sent_mail_days))),
    )
    .execute(conn)?;
    let cutoff = now - Duration::days(token_days);
    let mut tokens = 0;
    for t in TOKEN_TABLES {
        let placeholder = match conn {
            DbConnection::Postgres(_) => "$1",
            DbConnection::Sqlite(_) => "?1",
        };
        tokens += diesel::sql_query(format!(
            "DELETE FROM {table} WHERE {expires} <= {p} OR ({used} IS NOT NULL AND {used} <= {p})",
            table = t.table,
            expires = t.expires_at,
            used = t.used_at,
            p = placeholder,
        ))
        .bind::<diesel::sql_types::Timestamp, _>(cutoff)
        .execute(conn)?;
    }
    Ok(Swept { sent_mail, tokens })
}
