//! Group commit for SQLite: one writer thread owns the write connection and runs queued write
//! jobs in batches — each job inside its own savepoint, the whole batch under one
//! `BEGIN IMMEDIATE … COMMIT` — so concurrent requests share one commit (one WAL sync) instead
//! of paying one each. A job's result is handed back only after its batch has committed: no
//! caller ever hears of a success that is not durable. A job that fails rolls back its own
//! savepoint and leaves the rest of the batch alone.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;

use super::{DbConnection, DbError, DbPool, DbPooled};
use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};

/// Why a whole batch failed; each of its jobs gets its own copy as a `DbError`.
#[derive(Debug, Clone)]
pub(super) enum DbFailure {
    /// No connection could be had: `503` for the caller.
    Unavailable(String),
    /// The transaction failed.
    Failed(String),
}

impl From<DbFailure> for DbError {
    fn from(f: DbFailure) -> Self {
        match f {
            DbFailure::Unavailable(why) => DbError::Unavailable(why),
            DbFailure::Failed(why) => DbError::Task(why),
        }
    }
}

/// Most jobs in one transaction: bounds the wait of the batch's first job.
const MAX_BATCH: usize = 64;

/// A queued unit of work, type-erased.
pub(super) trait Job: Send {
    /// Runs inside the batch's transaction; `true` keeps its writes.
    fn run(&mut self, conn: &mut DbConnection) -> bool;
    /// Hands the outcome to the waiting caller; `failure` is set when the batch did not commit.
    fn finish(self: Box<Self>, failure: Option<DbFailure>);
}

pub(super) struct Queued<T, E, F> {
    work: Option<F>,
    result: Option<Result<T, E>>,
    reply: tokio::sync::oneshot::Sender<Result<T, E>>,
}

impl<T, E, F> Queued<T, E, F> {
    pub(super) fn new(work: F, reply: tokio::sync::oneshot::Sender<Result<T, E>>) -> Self {
        Self {
            work: Some(work),
            result: None,
            reply,
        }
    }
}

impl<T, E, F> Job for Queued<T, E, F>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send,
    T: Send,
    E: From<DbError> + Send,
{
    fn run(&mut self, conn: &mut DbConnection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| work(conn)))
            .unwrap_or_else(|_| Err(E::from(DbError::Task("a database job panicked".into()))));
        let keep = outcome.is_ok();
        self.result = Some(outcome);
        keep
    }

    fn finish(self: Box<Self>, failure: Option<DbFailure>) {
        let outcome = match failure {
            Some(why) => Err(E::from(DbError::from(why))),
            None => self
                .result
                .unwrap_or_else(|| Err(E::from(DbError::Task("the job did not run".into())))),
        };
        // The caller may have gone (timeout): nothing to tell then.
        let _ = self.reply.send(outcome);
    }
}

type Tm = <DbConnection as Connection>::TransactionManager;

pub(super) fn spawn_writer(pool: DbPool) -> std::io::Result<mpsc::Sender<Box<dyn Job>>> {
    let (tx, rx) = mpsc::channel::<Box<dyn Job>>();
    std::thread::Builder::new()
        .name("keyward-sqlite-writer".into())
        .spawn(move || writer_loop(&pool, &rx))?;
    Ok(tx)
}

fn writer_loop(pool: &DbPool, rx: &mpsc::Receiver<Box<dyn Job>>) {
    let mut conn: Option<DbPooled> = None;
    // Ends when every `Db` (and so every sender) is gone.
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let c = match conn.take() {
            Some(c) => c,
            None => match pool.get() {
                Ok(c) => c,
                Err(e) => {
                    let why = DbFailure::Unavailable(format!("no database connection: {e}"));
                    batch.into_iter().for_each(|j| j.finish(Some(why.clone())));
                    continue;
                }
            },
        };
        let mut c = c;
        match run_batch(&mut c, &mut batch) {
            Ok(()) => {
                batch.into_iter().for_each(|j| j.finish(None));
                conn = Some(c);
            }
            Err(e) => {
                let why = DbFailure::Failed(format!("the write transaction failed: {e}"));
                tracing::error!(error = %e, jobs = batch.len(), "group commit failed");
                batch.into_iter().for_each(|j| j.finish(Some(why.clone())));
                // Start the next batch on a fresh connection unless this one is clearly fine.
                if !Tm::is_broken_transaction_manager(&mut c) {
                    conn = Some(c);
                }
            }
        }
    }
}

fn run_batch(conn: &mut DbConnection, batch: &mut [Box<dyn Job>]) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        DbConnection::Postgres(_) => Tm::begin_transaction(conn)?,
    }
    let result = (|| {
        for job in batch.iter_mut() {
            // Nested: a savepoint.
            Tm::begin_transaction(conn)?;
            if job.run(conn) {
                Tm::commit_transaction(conn)?;
            } else {
                Tm::rollback_transaction(conn)?;
            }
        }
        Tm::commit_transaction(conn)
    })();
    if result.is_err() {
        let _ = Tm::rollback_transaction(conn);
    }
    metrics::histogram!("keyward_sqlite_group_commit_size").record(batch.len() as f64);
    result
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    use crate::db::{DatabaseUrl, Db, DbError, SqliteSync};

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_job_undoes_only_its_own_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = DatabaseUrl::Sqlite(dir.path().join("t.db"));
        let db = Db::connect(&url, 4, SqliteSync::Full).expect("db");
        db.write(|c| {
            c.batch_execute("CREATE TABLE t (x INTEGER NOT NULL)")
                .map_err(DbError::from)
        })
        .await
        .expect("create");
        let jobs = (0..200).map(|i| {
            let db = db.clone();
            async move {
                db.write(move |c| {
                    diesel::sql_query(format!("INSERT INTO t (x) VALUES ({i})")).execute(c)?;
                    if i % 2 == 1 {
                        return Err(DbError::Task(format!("job {i} refuses")));
                    }
                    Ok(i)
                })
                .await
            }
        });
        let results = futures::future::join_all(jobs).await;
        for (i, r) in results.iter().enumerate() {
            assert_eq!(r.is_ok(), i % 2 == 0, "job {i}: {r:?}");
        }
        let kept: Count = db
            .read(|c| {
                diesel::sql_query("SELECT COUNT(*) AS n FROM t WHERE x % 2 = 0")
                    .get_result(c)
                    .map_err(DbError::from)
            })
            .await
            .expect("count");
        let odd: Count = db
            .read(|c| {
                diesel::sql_query("SELECT COUNT(*) AS n FROM t WHERE x % 2 = 1")
                    .get_result(c)
                    .map_err(DbError::from)
            })
            .await
            .expect("count");
        assert_eq!((kept.n, odd.n), (100, 0));
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_writer_lives_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::connect(
            &DatabaseUrl::Sqlite(dir.path().join("p.db")),
            2,
            SqliteSync::Full,
        )
        .expect("db");
        let r: Result<(), DbError> = db.write(|_| panic!("boom")).await;
        assert!(r.is_err());
        let ok: Result<i32, DbError> = db.write(|_| Ok(7)).await;
        assert_eq!(ok.ok(), Some(7));
    }
}
