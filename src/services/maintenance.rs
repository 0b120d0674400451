//! Housekeeping the server runs in the background: removing expired pending enrollments.

use chrono::NaiveDateTime;
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
