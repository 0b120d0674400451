//! Exactness across instances: two servers on one database (PostgreSQL, or one SQLite file),
//! every copy of a code sent at once to both, and exactly one success per code — for TOTP
//! steps, backup codes and YubiKey OTPs — and a lockout after exactly the configured number of
//! failures.

use std::collections::BTreeMap;

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{
    Resp, TestApp, new_test_key, require_yubiotp, spawn_app, spawn_app_with, totp_code, yubiotp,
};

const USERS: usize = 40;
/// Copies of each code, alternating between the two instances.
const COPIES: usize = 4;

/// Sends `COPIES` copies of each (user, code) at once, half to `app` and half to `other`;
/// returns the answers per user.
async fn race(app: &TestApp, other: &str, codes: &[(String, String)]) -> Vec<(String, Vec<Resp>)> {
    let sends = codes.iter().flat_map(|(user, code)| {
        (0..COPIES).map(move |copy| {
            let base = if copy % 2 == 0 {
                app.base.as_str()
            } else {
                other
            };
            async move { (user.clone(), app.verify_at(base, user, code).await) }
        })
    });
    let mut by_user: BTreeMap<String, Vec<Resp>> = BTreeMap::new();
    for (user, resp) in join_all(sends).await {
        by_user.entry(user).or_default().push(resp);
    }
    assert_eq!(by_user.len(), codes.len());
    by_user.into_iter().collect()
}

/// Exactly one success per user, every other answer `invalid_code`.
fn assert_one_success_each(results: &[(String, Vec<Resp>)]) {
    for (user, answers) in results {
        let statuses: Vec<(u16, String)> = answers
            .iter()
            .map(|r| (r.status, r.error_code().to_owned()))
            .collect();
        let ok = answers.iter().filter(|r| r.status == 200).count();
        let refused = answers
            .iter()
            .filter(|r| r.status == 422 && r.error_code() == "invalid_code")
            .count();
        assert_eq!(ok, 1, "{user}: {statuses:?}");
        assert_eq!(refused, COPIES - 1, "{user}: {statuses:?}");
    }
}

/// How many audit events named `event` the log holds (optionally of one user).
async fn audit_count(app: &TestApp, event: &str, user: Option<&str>) -> usize {
    let user = user.map(|u| format!("&user_id={u}")).unwrap_or_default();
    // The whole log needs a `support` key (an `integration` key reads one user's events).
    let r = app
        .request(
            "GET",
            &format!("/api/v1/audit?event={event}&limit=1000{user}"),
            Some(&app.support_key),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body["next_cursor"].is_null(), "more than one page");
    r.body["events"].as_array().map(Vec::len).expect("events")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_totp_code_succeeds_once_across_instances() {
    let app = spawn_app().await;
    let sibling = app.spawn_sibling().await;
    let mut codes = Vec::new();
    for i in 0..USERS {
        let (user, _, secret, _) = app.user_with_totp(&format!("totp{i}@example.org")).await;
        // The step after the one the activation may have used: fresh, and accepted (±1 step)
        // for at least 30 seconds from now.
        let next = (app.now() / 30 + 1) * 30;
        codes.push((user, totp_code(&secret, next)));
    }
    let before = audit_count(&app, "verify.succeeded", None).await;
    let results = race(&app, &sibling.base, &codes).await;
    assert_one_success_each(&results);
    assert_eq!(
        audit_count(&app, "verify.succeeded", None).await - before,
        USERS
    );
    assert_eq!(
        audit_count(&app, "verify.replay_rejected", None).await,
        USERS * (COPIES - 1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_backup_code_succeeds_once_across_instances() {
    let app = spawn_app().await;
    let sibling = app.spawn_sibling().await;
    let mut codes = Vec::new();
    for i in 0..USERS {
        let (user, _, _, backup) = app.user_with_totp(&format!("backup{i}@example.org")).await;
        codes.push((user, backup[0].clone()));
    }
    let results = race(&app, &sibling.base, &codes).await;
    assert_one_success_each(&results);
    for (user, _) in &codes {
        let left = app.get(&format!("/api/v1/users/{user}/backup-codes")).await;
        assert_eq!(left.body["remaining"], 9, "{user}");
    }
    assert_eq!(
        audit_count(&app, "backup_code.used", None).await,
        USERS,
        "one use recorded per user"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_yubikey_otp_succeeds_once_across_instances() {
    if !require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let sibling = app.spawn_sibling().await;
    let keys: Vec<(String, String, String)> = (0..USERS).map(|_| new_test_key()).collect();
    // Two OTPs per key from the independent generator, made in parallel: the enrollment's
    // (usage 1) and the raced one (usage 2).
    let made = join_all(keys.iter().cloned().map(|(public, private, aes)| {
        tokio::task::spawn_blocking(move || {
            (
                yubiotp(&public, &private, &aes, 1, 0),
                yubiotp(&public, &private, &aes, 2, 0),
            )
        })
    }))
    .await;
    let mut codes = Vec::new();
    for (i, ((public, private, aes), otps)) in keys.iter().zip(made).enumerate() {
        let (enroll_otp, race_otp) = otps.expect("yubiotp thread");
        let added = app
            .request(
                "POST",
                "/api/v1/yubikeys",
                Some(&app.security_key),
                Some(json!({ "public_id": public, "private_id": private, "aes_key": aes })),
            )
            .await;
        assert_eq!(added.status, 201, "{:?}", added.body);
        let user = app.create_user(&format!("yk{i}@example.org")).await;
        let enrolled = app
            .post(
                &format!("/api/v1/users/{user}/factors"),
                json!({ "type": "yubikey_otp", "name": "YubiKey 5", "otp": enroll_otp }),
            )
            .await;
        assert_eq!(enrolled.status, 201, "{:?}", enrolled.body);
        codes.push((user, race_otp));
    }
    let before = audit_count(&app, "verify.succeeded", None).await;
    let results = race(&app, &sibling.base, &codes).await;
    assert_one_success_each(&results);
    assert_eq!(
        audit_count(&app, "verify.succeeded", None).await - before,
        USERS
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_failures_at_two_instances_lock_after_exactly_the_threshold() {
    const THRESHOLD: usize = 4;
    const GUESSES: usize = 40;
    let app = spawn_app_with(&[
        ("KEYWARD_LOCKOUT_THRESHOLD", "4"),
        ("KEYWARD_LOCKOUT_SECONDS", "600"),
    ])
    .await;
    // The sibling shares the app's settings, the lockout rules included.
    let sibling = app.spawn_sibling().await;
    let (user, _, _, _) = app.user_with_totp("burst@example.org").await;
    let guesses = (0..GUESSES).map(|i| {
        let base = if i % 2 == 0 {
            app.base.as_str()
        } else {
            sibling.base.as_str()
        };
        let code = format!("{:06}", 100_000 + i);
        let user = user.clone();
        let app = &app;
        async move { app.verify_at(base, &user, &code).await }
    });
    let results = join_all(guesses).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    let judged = results
        .iter()
        .filter(|r| r.status == 422 && r.error_code() == "invalid_code")
        .count();
    let refused = results
        .iter()
        .filter(|r| r.status == 429 && r.error_code() == "too_many_attempts")
        .count();
    assert_eq!(judged, THRESHOLD, "{statuses:?}");
    assert_eq!(refused, GUESSES - THRESHOLD, "{statuses:?}");

    // The log records exactly the judged failures, numbered 1..=THRESHOLD, and one lockout.
    let r = app
        .get(&format!(
            "/api/v1/audit?user_id={user}&event=verify.failed&limit=1000"
        ))
        .await;
    let mut counts: Vec<i64> = r.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["details"]["consecutive_failures"].as_i64().expect("n"))
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=THRESHOLD as i64).collect::<Vec<_>>());
    let lockouts = app
        .get(&format!(
            "/api/v1/audit?user_id={user}&event=verify.locked_out&limit=1000"
        ))
        .await;
    let started: Vec<&Value> = lockouts.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["details"]["reason"] == "too_many_failures")
        .collect();
    assert_eq!(started.len(), 1, "{:?}", lockouts.body);
    assert_eq!(started[0]["details"]["lockout_number"], 1);
}
