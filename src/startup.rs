//! Building and running the server: connect, migrate, load the keyring, bind, spawn the
//! background housekeeping, serve until a shutdown signal.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

use crate::config::Settings;
use crate::db::Db;
use crate::domain::clock::{Clock, SystemClock, naive};
use crate::domain::keyring::Keyring;
use crate::state::AppState;

/// The process-wide Prometheus recorder (installed once, shared by every app in the process).
pub fn metrics_handle() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("keyward_http_request_duration_seconds".into()),
                    &[
                        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                        5.0,
                    ],
                )
                .ok()?
                .install_recorder()
                .ok()
        })
        .clone()
}

/// Opens the database and applies migrations.
pub fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let db = Db::connect(
        &settings.database.url(),
        settings.database.pool_size,
        settings.database.sqlite_synchronous,
    )?;
    let applied = db.migrate()?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "applied database migrations");
    }
    Ok(db)
}

pub struct Application {
    addr: SocketAddr,
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Everything up to a bound listener; `settings.server.listen` may use port 0.
    pub async fn build(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let db = {
            let s = settings.clone();
            tokio::task::spawn_blocking(move || open_database(&s)).await??
        };
        let keyring = Keyring::load_or_create(&settings.database.master_key_file())?;
        let keyring = {
            let db = db.clone();
            tokio::task::spawn_blocking(move || {
                crate::services::keys::check_keyring(&db, &keyring).map(|()| keyring)
            })
            .await??
        };
        let listener = TcpListener::bind(settings.server.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.server.listen))?;
        let addr = listener.local_addr()?;
        let state = AppState::new(db, settings, clock, keyring, metrics_handle())?;
        crate::services::compliance::refresh_at_start(&state).await?;
        Ok(Self {
            addr,
            listener,
            state,
        })
    }

    pub async fn build_default(settings: Settings) -> anyhow::Result<Self> {
        Self::build(settings, Arc::new(SystemClock)).await
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let housekeeping = tokio::spawn(housekeeping(self.state.clone()));
        let mail_worker = tokio::spawn(crate::services::mail::run_worker(self.state.clone()));
        let app = crate::router::app(self.state.clone());
        tracing::info!(addr = %self.addr, backend = ?self.state.db.backend(), "keyward is listening");
        let result = axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        housekeeping.abort();
        mail_worker.abort();
        result.map_err(Into::into)
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

/// Removes expired pending enrollments and WebAuthn ceremonies every minute, deletes sent
/// mail and used or expired links after their retention (`services::maintenance`), takes an
/// audit checkpoint when events were appended since the last (ADR 010), and records the day's
/// second-factor counts once a day (`services::adoption`).
async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        match run_housekeeping(&state).await {
            Ok((0, 0, swept)) if swept == Default::default() => {}
            Ok((factors, challenges, swept)) => tracing::info!(
                factors,
                challenges,
                sent_mail = swept.sent_mail,
                tokens = swept.tokens,
                more_next_round = swept.more,
                "removed expired pending factors, WebAuthn challenges and portal sessions, and sent mail and links past their retention"
            ),
            Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
        }
        let now = naive(state.clock.now());
        match state
            .db
            .write(move |conn| {
                crate::services::audit::checkpoint(conn, now).map_err(crate::db::DbError::from)
            })
            .await
        {
            Ok(None) => {}
            Ok(Some(c)) => tracing::debug!(checkpoint = %c.id, hash = %c.hash, "audit checkpoint"),
            Err(e) => tracing::warn!(error = %e, "taking an audit checkpoint failed"),
        }
        match crate::services::adoption::record_today(&state).await {
            Ok(false) => {}
            Ok(true) => tracing::info!("recorded today's second-factor counts"),
            Err(e) => tracing::warn!(error = %e, "recording the second-factor counts failed"),
        }
    }
}

/// One round of housekeeping's deletions: (pending factors, challenges and sessions, what the
/// retention removed). The first three in one transaction; the retention in batches of at most
/// `maintenance::SWEEP_BATCH` rows, each in a transaction of its own, at most
/// `SWEEP_BATCHES_PER_ROUND` per table (the rest waits for the next round), so a large backlog
/// does not hold the writer.
pub async fn run_housekeeping(
    state: &AppState,
) -> Result<(usize, usize, crate::services::maintenance::Swept), crate::db::DbError> {
    use crate::services::maintenance::{
        SWEEP_BATCH, SWEEP_BATCHES_PER_ROUND, Swept, sweep_batch, sweep_targets,
    };
    let now = naive(state.clock.now());
    let retention = state.settings.housekeeping.clone();
    let (factors, challenges) = state
        .db
        .write(move |conn| {
            let factors = crate::services::maintenance::remove_expired_pending(conn, now)?;
            let challenges = crate::services::webauthn::remove_expired_challenges(conn, now)?
                + crate::services::sessions::sweep(conn, now)?;
            Ok::<_, crate::db::DbError>((factors, challenges))
        })
        .await?;
    let (mail_days, token_days) = (
        retention.sent_mail_retention_days,
        retention.token_retention_days,
    );
    let mut swept = Swept::default();
    for target in 0..sweep_targets() {
        for batch in 0..SWEEP_BATCHES_PER_ROUND {
            let n = state
                .db
                .write(move |conn| {
                    Ok::<_, crate::db::DbError>(sweep_batch(
                        conn, now, target, mail_days, token_days,
                    )?)
                })
                .await?;
            swept.add(target, n);
            if n < SWEEP_BATCH {
                break;
            }
            if batch + 1 == SWEEP_BATCHES_PER_ROUND {
                swept.more = true;
            }
        }
    }
    Ok((factors, challenges, swept))
}
