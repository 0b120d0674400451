//! Housekeeping's retention: sent mail and used or expired links go after their retention;
//! audit events, pending and failed mail and links that still work never do.

use std::collections::BTreeSet;

use chrono::Duration;
use keyward::domain::clock::Clock;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

fn at(app: &TestApp, offset: Duration) -> String {
    (app.clock.now() + offset)
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

async fn mail(app: &TestApp, id: &str, status: &str, sent: Option<Duration>) {
    let sent_at = sent.map_or("NULL".to_owned(), |d| format!("'{}'", at(app, d)));
    app.sql(&format!(
        "INSERT INTO mail_outbox (id, user_id, kind, to_address, subject, body_text, body_html, status, attempts, next_attempt_at, created_at, sent_at) \
         VALUES ('{id}', NULL, 'test', 'a@example.org', 's', 't', 'h', '{status}', 1, '{next}', '{created}', {sent_at})",
        next = at(app, Duration::days(10)),
        created = at(app, Duration::days(-100)),
    ))
    .await;
}

async fn token(app: &TestApp, user: &str, id: &str, expires: Duration, used: Option<Duration>) {
    let used_at = used.map_or("NULL".to_owned(), |d| format!("'{}'", at(app, d)));
    app.sql(&format!(
        "INSERT INTO report_tokens (id, user_id, key_id, mail_kind, created_at, expires_at, used_at) \
         VALUES ('{id}', '{user}', 'k0', 'test', '{created}', '{expires}', {used_at})",
        created = at(app, Duration::days(-30)),
        expires = at(app, expires),
    ))
    .await;
    // A mailed password or confirmation link with the same life.
    app.sql(&format!(
        "INSERT INTO account_links (id, user_id, purpose, token_hash, created_at, expires_at, used_at) \
         VALUES ('{id}', '{user}', 'password_reset', 'hash-{id}', '{created}', '{expires}', {used_at})",
        created = at(app, Duration::days(-30)),
        expires = at(app, expires),
    ))
    .await;
}

async fn ids(app: &TestApp, table: &str, prefix: &str) -> BTreeSet<String> {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let db = app.state.db.clone();
    let q = format!("SELECT id FROM {table} WHERE id LIKE '{prefix}%'");
    tokio::task::spawn_blocking(move || {
        db.with_conn(|c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(q).load::<Id>(c)
        })
    })
    .await
    .expect("join")
    .expect("conn")
    .expect("query")
    .into_iter()
    .map(|r| r.id)
    .collect()
}

async fn audit_count(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        db.with_conn(|c| {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT COUNT(*) AS n FROM audit_events").get_result::<N>(c)
        })
    })
    .await
    .expect("join")
    .expect("conn")
    .expect("count")
    .n
}

async fn seed(app: &TestApp) {
    let user = app.create_user("keep@example.org").await;
    mail(app, "m_sent_31d", "sent", Some(Duration::days(-31))).await;
    mail(app, "m_sent_2d", "sent", Some(Duration::days(-2))).await;
    mail(app, "m_pending", "pending", None).await;
    mail(app, "m_failed", "failed", None).await;
    token(app, &user, "t_expired_8d", Duration::days(-8), None).await;
    token(
        app,
        &user,
        "t_used_8d",
        Duration::days(1),
        Some(Duration::days(-8)),
    )
    .await;
    token(app, &user, "t_expired_1d", Duration::days(-1), None).await;
    token(
        app,
        &user,
        "t_used_1d",
        Duration::days(1),
        Some(Duration::days(-1)),
    )
    .await;
    token(app, &user, "t_valid", Duration::days(5), None).await;
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_retention_keeps_what_matters() {
    let app = spawn_app().await;
    seed(&app).await;
    let audit_before = audit_count(&app).await;
    let (_, _, swept) = keyward::startup::run_housekeeping(&app.state)
        .await
        .expect("housekeeping");
    // (The server's own housekeeping round may have run at the same moment.)
    assert!(swept.sent_mail <= 1 && swept.tokens <= 4, "{swept:?}");
    assert_eq!(
        ids(&app, "mail_outbox", "m_").await,
        set(&["m_failed", "m_pending", "m_sent_2d"])
    );
    for table in ["report_tokens", "account_links"] {
        assert_eq!(
            ids(&app, table, "t_").await,
            set(&["t_expired_1d", "t_used_1d", "t_valid"]),
            "{table}"
        );
    }
    assert_eq!(
        audit_count(&app).await,
        audit_before,
        "audit events are never deleted"
    );
    // A second round finds nothing more.
    let (_, _, again) = keyward::startup::run_housekeeping(&app.state)
        .await
        .expect("housekeeping");
    assert_eq!((again.sent_mail, again.tokens), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retention_is_configurable() {
    let app = spawn_app_with(&[
        ("KEYWARD_SENT_MAIL_RETENTION_DAYS", "1"),
        ("KEYWARD_TOKEN_RETENTION_DAYS", "1"),
    ])
    .await;
    seed(&app).await;
    // A day later, everything used, expired or sent before now is past a one-day retention.
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    keyward::startup::run_housekeeping(&app.state)
        .await
        .expect("housekeeping");
    assert_eq!(
        ids(&app, "mail_outbox", "m_").await,
        set(&["m_failed", "m_pending"])
    );
    assert_eq!(ids(&app, "report_tokens", "t_").await, set(&["t_valid"]));
    assert_eq!(ids(&app, "account_links", "t_").await, set(&["t_valid"]));
}

/// A backlog (the first round after an upgrade) goes in batches of at most 1000 rows per
/// statement and a bounded number per round; the next rounds take the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_backlog_goes_in_bounded_batches() {
    use keyward::services::maintenance::{SWEEP_BATCH, SWEEP_BATCHES_PER_ROUND};
    let app = spawn_app().await;
    let per_round = SWEEP_BATCH * SWEEP_BATCHES_PER_ROUND;
    let total = per_round + 1500;
    let ts = |d: Duration| {
        let t = at(&app, d);
        if crate::helpers::backend() == "postgres" {
            format!("TIMESTAMP '{t}'")
        } else {
            format!("'{t}'")
        }
    };
    app.sql(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {total}) \
         INSERT INTO mail_outbox (id, user_id, kind, to_address, subject, body_text, body_html, status, attempts, next_attempt_at, created_at, sent_at) \
         SELECT 'bulk_' || i, NULL, 'test', 'a@example.org', 's', 't', 'h', 'sent', 1, {next}, {created}, {sent} FROM n",
        next = ts(Duration::days(-40)),
        created = ts(Duration::days(-40)),
        sent = ts(Duration::days(-31)),
    ))
    .await;
    mail(&app, "m_sent_2d", "sent", Some(Duration::days(-2))).await;
    assert_eq!(ids(&app, "mail_outbox", "bulk_").await.len(), total);

    // (The server's own housekeeping round may run at the same moment and take a round's share
    // of the rows: every round takes at most its share, and the rows go in a bounded number of
    // rounds.)
    let mut rounds = 0;
    loop {
        let (_, _, swept) = keyward::startup::run_housekeeping(&app.state)
            .await
            .expect("housekeeping");
        rounds += 1;
        assert!(swept.sent_mail <= per_round, "{swept:?}");
        let left = ids(&app, "mail_outbox", "bulk_").await.len();
        if rounds == 1 {
            assert!(
                left >= total.saturating_sub(2 * per_round),
                "{left} left after one round"
            );
            assert!(swept.more || left == 0, "{swept:?}");
        }
        if !swept.more && left == 0 {
            break;
        }
        assert!(rounds < 5, "{left} rows left after {rounds} rounds");
    }
    assert!(ids(&app, "mail_outbox", "bulk_").await.is_empty());
    assert_eq!(
        ids(&app, "mail_outbox", "m_").await,
        set(&["m_sent_2d"]),
        "mail within its retention stays"
    );
}
