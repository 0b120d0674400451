//! Running a query on the backend's own connection type instead of through the
//! `MultiConnection` enum.
//!
//! Through the enum, Diesel wraps every query in a `SerializedQuery` whose every AST walk (the
//! bind pass included) renders the whole SQL text again, on every execution, even when the
//! prepared statement is cached. On the hot paths (API-key lookup, the verify precheck and its
//! write) that was a measurable share of a verification (bench/README.md). [`native!`]
//! compiles the same Diesel expression once per backend and runs it on the inner connection,
//! whose statement cache is keyed by the query's type: no SQL is built after the first run.

/// `native!(conn, |c| query.get_result(c))`: evaluates the body with `c` bound to the inner
/// `SqliteConnection` or `PgConnection`.
macro_rules! native {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Postgres($c) => $body,
        }
    };
}

pub(crate) use native;

impl super::Db {
    /// A read of a few indexed rows on a hot path (the API key of every request, the verify
    /// precheck). On SQLite it runs right here, on the runtime's thread, when a pooled
    /// connection is free: such a read takes microseconds and never waits for a lock (WAL
    /// readers do not block), while handing it to the blocking pool and back cost more than the
    /// read itself — the thread wake-ups were a quarter of the server's CPU in the verify
    /// profile (bench/README.md). Everything else, and every read on PostgreSQL (a network
    /// round trip), goes through [`Db::read`].
    pub async fn read_hot<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut super::DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<super::DbError> + Send + 'static,
    {
        if self.backend == super::Backend::Sqlite
            && let Some(mut conn) = self.pool.try_get()
        {
            return f(&mut conn);
        }
        self.read(f).await
    }
}
