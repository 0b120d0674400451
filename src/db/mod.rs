//! Storage: one Diesel schema over SQLite (embedded default) and PostgreSQL (scale-out).
//!
//! The backend is chosen from the URL scheme. No database work runs on the async runtime:
//! [`Db::read`] runs on tokio's blocking pool; [`Db::write`] runs its closure in one transaction
//! — on SQLite in the writer thread's next batch (`group_commit`, under `BEGIN IMMEDIATE`), on
//! PostgreSQL in a transaction of its own on the blocking pool.
//!
//! # Lock order (PostgreSQL)
//!
//! Every write transaction that takes row locks takes them in this order, and never goes back
//! to an earlier one, so two transactions cannot wait for each other (a deadlock, which
//! PostgreSQL breaks by failing one of them: a 500):
//!
//! 1. the policy row (`db::policy::lock_shared`/`load_locked`, share; `FOR UPDATE` by the
//!    update of a policy change), when the transaction depends on the policy: factor changes
//!    (`services::users::lock_for_factor_change` takes it first), the support reset, a new user,
//!    a policy change and the compliance refresh;
//! 2. the user's lock: their `throttles` row (`services::users::lock_user`), one user per
//!    transaction;
//! 3. the user's own rows: `users` (a policy change updates many `users` rows, but holds no
//!    user's lock), `factors`, `backup_codes`, `webauthn_challenges`, `sessions`, `mail_outbox`,
//!    `report_tokens`;
//! 4. one audit chain's head (`audit_head`, by `services::audit::record_audit_event`), last of
//!    all: whichever of the 32 chains no other transaction holds (`SKIP LOCKED`), or the one
//!    this transaction already holds; only when all are held does it wait, holding none (ADR 010).
//!
//! The mail worker's claim (`FOR UPDATE SKIP LOCKED` on `mail_outbox`) and the sign-in throttle
//! (`signin_throttle`) lock nothing else before the audit head. On SQLite the writer thread runs
//! one transaction at a time and none of this arises.

mod group_commit;
pub mod groups;
pub mod models;
pub(crate) mod native;
pub mod policy;
pub mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{CustomizeConnection, HandleError, ManageConnection, Pool, R2D2Connection};
use diesel::result::DatabaseErrorKind;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// SQLite's durability setting for the WAL (see docs/operations.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSync {
    /// Every commit survives a power loss (the default).
    Full,
    /// Commits survive a crash of the process, not of the machine.
    Normal,
}

/// A parsed database location. `Debug` shows it without a password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(
                    "a sqlite:// URL needs a file path, e.g. sqlite://keyward-data/keyward.db"
                        .into(),
                );
            }
            Ok(Self::Sqlite(PathBuf::from(path)))
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Ok(Self::Postgres(raw.to_owned()))
        } else {
            Err("must start with sqlite:// or postgres://".into())
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL with any password replaced, for messages and logs.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(p) => format!("sqlite://{}", p.display()),
            Self::Postgres(u) => match url::Url::parse(u) {
                Ok(mut parsed) if parsed.password().is_some() => {
                    let _ = parsed.set_password(Some("***"));
                    parsed.to_string()
                }
                Ok(parsed) => parsed.to_string(),
                Err(_) => "postgres://(unparseable)".into(),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database task failed: {0}")]
    Task(String),
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
}

impl DbError {
    /// Whether the database could not be reached or dropped the connection (a `503` for the
    /// caller), as opposed to a query that failed on a working connection.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Pool(_) | Self::Unavailable(_) => true,
            Self::Query(e) => is_connection_lost(e),
            Self::Task(_) => false,
        }
    }
}

/// Whether `e` says the connection to the database server is gone: the server ended it (a
/// restart: "terminating connection due to administrator command"), the socket closed ("server
/// closed the connection unexpectedly"), or the server refuses new work while it shuts down or
/// starts. Diesel reports most of these as `ClosedConnection` (libpq's status is then
/// `CONNECTION_BAD`, or the SQLSTATE is of class 08); the messages catch the rest, since
/// Diesel does not expose the SQLSTATE.
pub fn is_connection_lost(e: &diesel::result::Error) -> bool {
    match e {
        diesel::result::Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        diesel::result::Error::DatabaseError(_, info) => {
            const SIGNS: [&str; 9] = [
                "server closed the connection unexpectedly",
                "terminating connection due to administrator command",
                "no connection to the server",
                "connection to server was lost",
                "could not receive data from server",
                "could not send data to server",
                "the database system is shutting down",
                "the database system is starting up",
                "the database system is in recovery mode",
            ];
            let message = info.message();
            SIGNS.iter().any(|sign| message.contains(sign))
        }
        _ => false,
    }
}

#[derive(Debug)]
struct SqlitePragmas {
    synchronous: SqliteSync,
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(c) = conn {
            let sync = match self.synchronous {
                SqliteSync::Full => "FULL",
                SqliteSync::Normal => "NORMAL",
            };
            c.batch_execute(&format!(
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = {sync}; PRAGMA foreign_keys = ON;"
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Opens connections of the URL's backend (not `MultiConnection::establish`, which tries each
/// backend in turn and loses the real cause), and tells r2d2 which pooled connections are dead.
#[derive(Debug)]
struct Manager {
    url: String,
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url).map(DbConnection::Postgres),
            Backend::Sqlite => SqliteConnection::establish(&self.url).map(DbConnection::Sqlite),
        }
        .map_err(diesel::r2d2::Error::ConnectionError)
    }

    /// Runs at every checkout, so it must not cost a round trip: on PostgreSQL it reads, without
    /// waiting, what the server sent while the connection sat in the pool. A healthy idle
    /// connection has received nothing. A server that ended the connection (a restart) sent its
    /// `FATAL` message and closed the socket: the first read takes the message in, the second
    /// meets the end of the stream, and libpq marks the connection bad. A connection that
    /// already failed (a query met a dead server) is bad at once. r2d2 then drops it and hands
    /// out another, so a request after a restart never gets a connection the server has ended.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        if let DbConnection::Postgres(c) = conn {
            for _ in 0..2 {
                if let Some(Err(e)) = c.notifications_iter().next() {
                    return Err(diesel::r2d2::Error::QueryError(e));
                }
            }
        }
        Ok(())
    }

    /// A connection left in a transaction, or whose transaction state broke (a rollback that
    /// failed because the server went away), is not put back.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// r2d2 reports failed connects and the dead connections it drops here; its default handler
/// logs them at `ERROR` through the `log` crate. A database that restarts is worth a warning.
#[derive(Debug)]
struct PoolErrors;

impl HandleError<diesel::r2d2::Error> for PoolErrors {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        tracing::warn!(
            error = %error.to_string().trim().replace('\n', " "),
            "database connection failed or was lost; the pool replaces it"
        );
    }
}

type DbPool = Pool<Manager>;
type DbPooled = diesel::r2d2::PooledConnection<Manager>;

/// Marks a connection that met a dead server so the pool drops it when it is given back,
/// instead of checking it again at the next checkout.
fn discard(conn: &mut DbConnection) {
    <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .set_in_error();
}

/// The connection pool plus, on SQLite, the queue of the writer thread: SQLite has one writer
/// at a time, and one thread committing batches of writes is far cheaper than many writers
/// meeting in SQLite's sleeping busy handler (see `group_commit`).
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    backend: Backend,
    writer: Option<std::sync::mpsc::Sender<Box<dyn group_commit::Job>>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Db {
    /// Opens the pool and checks that the database answers. The error is one readable line.
    pub fn connect(url: &DatabaseUrl, pool_size: u32, sync: SqliteSync) -> anyhow::Result<Self> {
        let (conn_str, backend) = match url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        anyhow::anyhow!(
                            "cannot create the database directory {}: {e}",
                            parent.display()
                        )
                    })?;
                }
                (path.to_string_lossy().into_owned(), Backend::Sqlite)
            }
            DatabaseUrl::Postgres(u) => (u.clone(), Backend::Postgres),
        };
        // Establish one connection directly first: r2d2 would retry silently until its timeout.
        let manager = Manager {
            url: conn_str,
            backend,
        };
        let mut probe = manager.connect().map_err(|e| {
            anyhow::anyhow!(
                "cannot connect to the database at {}: {}",
                url.redacted(),
                e.to_string().trim().replace('\n', " ")
            )
        })?;
        // WAL is a property of the file. Switching a new file to it takes an exclusive lock,
        // and the pool opens its connections several at a time, each asking for WAL: on a new
        // file one of them could fail with "database is locked" (SQLite does not wait in that
        // case) and r2d2 logged it at ERROR before retrying. Switching once, here, before any
        // other connection exists, leaves the pool's connections nothing to change.
        if let DbConnection::Sqlite(c) = &mut probe {
            c.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")
                .map_err(|e| {
                    anyhow::anyhow!("cannot open the database at {}: {e}", url.redacted())
                })?;
        }
        drop(probe);
        // On SQLite the writer thread keeps one connection for itself, on top of the readers'.
        let extra = u32::from(backend == Backend::Sqlite);
        let pool = Pool::builder()
            .max_size(pool_size.max(1) + extra)
            .connection_timeout(Duration::from_secs(10))
            // `Manager::is_valid` costs no round trip: it notices connections the server ended
            // (a restart) before they are handed out.
            .test_on_check_out(true)
            .error_handler(Box::new(PoolErrors))
            .connection_customizer(Box::new(SqlitePragmas { synchronous: sync }))
            .build(manager)
            .map_err(|e| {
                anyhow::anyhow!("cannot open the database pool for {}: {e}", url.redacted())
            })?;
        let writer = match backend {
            Backend::Sqlite => Some(
                group_commit::spawn_writer(pool.clone())
                    .map_err(|e| anyhow::anyhow!("cannot start the database writer thread: {e}"))?,
            ),
            Backend::Postgres => None,
        };
        Ok(Self {
            pool,
            backend,
            writer,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the embedded migrations of this backend.
    pub fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.pool.get()?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
            DbConnection::Postgres(c) => {
                // Instances starting together must not migrate at the same time.
                c.batch_execute("SELECT pg_advisory_lock(7262531)")?;
                let result = c
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|versions| {
                        versions
                            .into_iter()
                            .map(|v| v.as_owned())
                            .collect::<Vec<_>>()
                    });
                c.batch_execute("SELECT pg_advisory_unlock(7262531)")?;
                result
            }
        }
        .map_err(|e| anyhow::anyhow!("applying migrations failed: {e}"))?;
        let applied: Vec<String> = applied.iter().map(|v| v.to_string()).collect();
        // Addresses are compared in a new form since migration 000009 (NFKC and case folding):
        // the stored comparison keys are brought up to date once, when it is applied.
        if applied.iter().any(|v| v.ends_with("000009")) {
            renormalize_emails(&mut conn)?;
        }
        Ok(applied)
    }

    /// Runs read-only work on a pooled connection, off the async runtime.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let mut conn = pool.get().map_err(DbError::from)?;
            f(&mut conn)
        })
        .await
        .map_err(|e| E::from(DbError::Task(e.to_string())))?
    }

    /// Runs `f` in one write transaction, off the async runtime. `Err` rolls back `f`'s writes.
    /// On SQLite the work joins the writer thread's next batch (group commit); on PostgreSQL it
    /// gets a transaction of its own on a pooled connection.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let span = tracing::Span::current();
        let f = move |conn: &mut DbConnection| {
            let _entered = span.enter();
            f(conn)
        };
        if let Some(writer) = &self.writer {
            let (reply, answer) = tokio::sync::oneshot::channel();
            writer
                .send(Box::new(group_commit::Queued::new(f, reply)))
                .map_err(|_| E::from(DbError::Task("the database writer has stopped".into())))?;
            return answer.await.map_err(|_| {
                E::from(DbError::Task("the database writer dropped the job".into()))
            })?;
        }
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = begin_on_fresh_connection(&pool)?;
            run_and_commit(&mut conn, f)
        })
        .await
        .map_err(|e| E::from(DbError::Task(e.to_string())))?
    }
}

/// A pooled connection with a write transaction begun. A `BEGIN` that fails because the server
/// ended the connection (it restarted since the checkout's check) is tried once more on
/// another connection: nothing of the request has run yet.
fn begin_on_fresh_connection(pool: &DbPool) -> Result<DbPooled, DbError> {
    let mut conn = pool.get()?;
    match begin_write(&mut conn) {
        Ok(()) => Ok(conn),
        Err(e) if is_connection_lost(&e) => {
            tracing::debug!(error = %e, "a pooled connection was dead at BEGIN; trying another");
            discard(&mut conn);
            drop(conn);
            let mut conn = pool.get()?;
            begin_write(&mut conn).map_err(|e| {
                discard_if_lost(&mut conn, &e);
                DbError::from(e)
            })?;
            Ok(conn)
        }
        Err(e) => {
            discard_if_lost(&mut conn, &e);
            Err(e.into())
        }
    }
}

fn discard_if_lost(conn: &mut DbConnection, e: &diesel::result::Error) {
    if is_connection_lost(e) {
        discard(conn);
    }
}

fn begin_write(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
        }
        DbConnection::Postgres(c) => AnsiTransactionManager::begin_transaction(c),
    }
}

/// Runs `f` in the transaction `begin_write` opened; commits on `Ok`, rolls back on `Err`.
fn run_and_commit<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DbError>,
{
    match f(conn) {
        Ok(value) => {
            if let Err(e) =
                <DbConnection as Connection>::TransactionManager::commit_transaction(conn)
            {
                let _ =
                    <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
                return Err(DbError::from(e).into());
            }
            Ok(value)
        }
        Err(e) => {
            let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
            Err(e)
        }
    }
}

/// Begins a write transaction (immediate on SQLite), runs `f`, commits on `Ok`, rolls back on `Err`.
pub fn in_write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<DbError>,
{
    begin_write(conn).map_err(DbError::from)?;
    run_and_commit(conn, f)
}

/// The default SQLite file inside a data directory.
pub fn default_sqlite_path(data_dir: &Path) -> PathBuf {
    data_dir.join("keyward.db")
}

impl Db {
    /// Runs blocking work on a pooled connection in the current thread (CLI use).
    pub fn with_conn<T>(&self, f: impl FnOnce(&mut DbConnection) -> T) -> Result<T, DbError> {
        let mut conn = self.pool.get()?;
        Ok(f(&mut conn))
    }
}

/// What [`renormalize_emails`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Renormalized {
    /// Users whose key was brought up to date.
    pub updated: usize,
    /// `(holder, left)`: `left` kept its old key because `holder` (older, or already holding
    /// it) has the new one.
    pub collisions: Vec<(String, String)>,
}

/// Recomputes every user's `email_normalized` with `Email::normalized`, in one transaction.
/// Users are taken oldest first (`created_at`, then id), so when two accounts now share a form
/// (one was a lookalike of the other) the older one gets the new key — unless another account
/// holds it already, which keeps it. The account left out keeps its old key, and the operator
/// is told both user ids (never the addresses): merging them is a decision for a person.
pub fn renormalize_emails(conn: &mut DbConnection) -> anyhow::Result<Renormalized> {
    in_write_transaction(conn, renormalize_emails_in)
}

fn renormalize_emails_in(conn: &mut DbConnection) -> anyhow::Result<Renormalized> {
    use crate::domain::newtypes::Email;
    use schema::users;
    let rows: Vec<(String, String, String)> = users::table
        .order((users::created_at.asc(), users::id.asc()))
        .select((users::id, users::email, users::email_normalized))
        .load(conn)?;
    // Every key in use, and whose it is.
    let mut taken: std::collections::HashMap<String, String> = rows
        .iter()
        .map(|(id, _, key)| (key.clone(), id.clone()))
        .collect();
    let mut done = Renormalized::default();
    for (id, email, old) in rows {
        let Ok(parsed) = Email::parse(&email) else {
            continue;
        };
        let new = parsed.normalized();
        if new == old {
            continue;
        }
        if let Some(holder) = taken.get(&new) {
            tracing::warn!(
                user_id = %id,
                other_user_id = %holder,
                "two accounts have addresses that are now the same address; user_id keeps its old comparison key, other_user_id has the new one: merging them is for a person to decide"
            );
            done.collisions.push((holder.clone(), id));
            continue;
        }
        diesel::update(users::table.find(&id))
            .set(users::email_normalized.eq(&new))
            .execute(conn)?;
        taken.remove(&old);
        taken.insert(new, id);
        done.updated += 1;
    }
    Ok(done)
}
