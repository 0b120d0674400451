//! The stored security policy: one row holding the JSON document, or none for the defaults.

use diesel::prelude::*;

use super::DbConnection;
use super::schema::policy;
use crate::domain::policy::Policy;

/// The policy in force. A stored document that does not parse is a deserialization error.
pub fn load(conn: &mut DbConnection) -> QueryResult<Policy> {
    let doc: Option<String> = super::native::native!(conn, |c| policy::table
        .find(1)
        .select(policy::document)
        .get_result(c)
        .optional())?;
    match doc {
        None => Ok(Policy::default()),
        Some(text) => serde_json::from_str(&text).map_err(|e| {
            diesel::result::Error::DeserializationError(
                format!("the stored policy does not parse: {e}").into(),
            )
        }),
    }
}

/// `load`, with the policy row share-locked on PostgreSQL until the transaction ends (see
/// `services::policy::load_locked`).
pub fn load_locked(conn: &mut DbConnection) -> QueryResult<Policy> {
    lock_shared(conn)?;
    load(conn)
}

/// Share-locks the policy row on PostgreSQL until the transaction ends (a no-op on SQLite, and
/// when no policy is stored). The policy comes first in the lock order (see this module's
/// parent): a transaction that may need it takes it before any user's lock, or a concurrent
/// policy change, which holds the policy and then updates users, deadlocks with it.
pub fn lock_shared(conn: &mut DbConnection) -> QueryResult<()> {
    if matches!(conn, DbConnection::Postgres(_)) {
        diesel::sql_query("SELECT id FROM policy WHERE id = 1 FOR SHARE").execute(conn)?;
    }
    Ok(())
}
