use serde_json::json;

use crate::helpers::{spawn_app_with, totp_code};

#[tokio::test]
async fn five_failures_lock_the_user_until_the_lockout_ends() {
    let app = spawn_app_with(&[("KEYWARD_LOCKOUT_SECONDS", "60")]).await;
    let (user, _, secret, _) = app.user_with_totp("lock@example.org").await;
    app.clock.advance(chrono::Duration::seconds(60));
    for i in 1..=5 {
        let r = app.verify(&user, "000000").await;
        assert_eq!(r.status, 422, "failure {i}: {:?}", r.body);
    }
    let locked = app.verify(&user, "000000").await;
    assert_eq!(locked.status, 429);
    assert_eq!(locked.error_code(), "too_many_attempts");
    let retry: u64 = locked.headers["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry), "Retry-After {retry}");

    // The right code is refused during the lockout.
    let right = app.verify(&user, &totp_code(&secret, app.now())).await;
    assert_eq!(right.status, 429);

    // After the lockout it is accepted, and the count starts again.
    app.clock.advance(chrono::Duration::seconds(61));
    let ok = app.verify(&user, &totp_code(&secret, app.now())).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);

    let events = app
        .get(&format!(
            "/api/v1/audit?user_id={user}&event=verify.locked_out"
        ))
        .await;
    let events = events.body["events"].as_array().expect("events");
    assert_eq!(
        events.len(),
        2,
        "the lockout's start and its first refused attempt: {events:?}"
    );
    assert_eq!(events[1]["details"]["reason"], "too_many_failures");
    assert_eq!(events[0]["details"]["reason"], "attempt_during_lockout");
    assert_eq!(events[0]["details"]["refused_attempts"], 1);
}

#[tokio::test]
async fn repeated_lockouts_grow() {
    let app = spawn_app_with(&[("KEYWARD_LOCKOUT_SECONDS", "60")]).await;
    let (user, _, _, _) = app.user_with_totp("grow@example.org").await;
    for _ in 0..5 {
        app.verify(&user, "000000").await;
    }
    let first: u64 = app.verify(&user, "000000").await.headers["retry-after"]
        .to_str()
        .expect("a")
        .parse()
        .expect("n");
    app.clock.advance(chrono::Duration::seconds(61));
    for _ in 0..5 {
        assert_eq!(app.verify(&user, "000000").await.status, 422);
    }
    let second: u64 = app.verify(&user, "000000").await.headers["retry-after"]
        .to_str()
        .expect("a")
        .parse()
        .expect("n");
    assert!(
        first <= 60 && second > 60 && second <= 120,
        "first {first}, second {second}"
    );
}

#[tokio::test]
async fn a_success_resets_the_count() {
    let app = spawn_app_with(&[("KEYWARD_LOCKOUT_SECONDS", "60")]).await;
    let (user, _, secret, _) = app.user_with_totp("reset@example.org").await;
    app.clock.advance(chrono::Duration::seconds(60));
    for _ in 0..4 {
        assert_eq!(app.verify(&user, "000000").await.status, 422);
    }
    assert_eq!(
        app.verify(&user, &totp_code(&secret, app.now()))
            .await
            .status,
        200
    );
    for _ in 0..4 {
        assert_eq!(app.verify(&user, "000000").await.status, 422);
    }
    assert_eq!(
        app.verify(&user, "000000").await.status,
        422,
        "the fifth failure since the success still answers 422"
    );
    assert_eq!(app.verify(&user, "000000").await.status, 429);
}

#[tokio::test]
async fn concurrent_failures_cannot_outrun_the_lockout() {
    let app = spawn_app_with(&[("KEYWARD_LOCKOUT_SECONDS", "600")]).await;
    let (user, _, _, _) = app.user_with_totp("burst@example.org").await;
    let codes: Vec<String> = (0..40).map(|i| format!("{:06}", 100_000 + i)).collect();
    let guesses = codes.iter().map(|c| app.verify(&user, c));
    let results = futures::future::join_all(guesses).await;
    let judged = results.iter().filter(|r| r.status == 422).count();
    let refused = results.iter().filter(|r| r.status == 429).count();
    assert_eq!(
        judged, 5,
        "exactly five guesses are judged before the lockout"
    );
    assert_eq!(refused, 35);
}

#[tokio::test]
async fn backup_codes_and_unknown_forms_count_as_failures() {
    let app = spawn_app_with(&[("KEYWARD_LOCKOUT_SECONDS", "60")]).await;
    let (user, _, _, _) = app.user_with_totp("forms@example.org").await;
    for code in [
        "zzzz-zzzz-zzzz",
        "12",
        "not a code",
        "0000-0000-0000",
        "99999999",
    ] {
        let r = app
            .post(
                &format!("/api/v1/users/{user}/verify"),
                json!({ "code": code }),
            )
            .await;
        assert_eq!(r.status, 422, "{code}");
    }
    assert_eq!(app.verify(&user, "123456").await.status, 429);
}
