use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn each_code_works_once_in_any_form() {
    let app = spawn_app().await;
    let (user, _, _, codes) = app.user_with_totp("codes@example.org").await;
    assert_eq!(codes.len(), 10);
    for c in &codes {
        assert_eq!(c.len(), 14, "xxxx-xxxx-xxxx: {c}");
        assert_eq!(c.matches('-').count(), 2);
    }
    let status = app.get(&format!("/api/v1/users/{user}/backup-codes")).await;
    assert_eq!(status.status, 200);
    assert_eq!(status.body["remaining"], 10);
    assert!(status.body["created_at"].is_string());

    // Dashes optional, any case, any order.
    let forms = [
        codes[3].to_uppercase(),
        codes[0].replace('-', ""),
        format!(" {} ", codes[7]),
    ];
    for (i, form) in forms.iter().enumerate() {
        let r = app.verify(&user, form).await;
        assert_eq!(r.status, 200, "{form}: {:?}", r.body);
        assert_eq!(
            r.body,
            json!({ "verified": true, "factor_id": null, "method": "backup_code" })
        );
        assert_eq!(
            app.get(&format!("/api/v1/users/{user}/backup-codes"))
                .await
                .body["remaining"],
            9 - i as i64
        );
    }
    let reuse = app.verify(&user, &codes[3]).await;
    assert_eq!(reuse.status, 422);
    let events = app
        .get(&format!(
            "/api/v1/audit?user_id={user}&event=backup_code.used"
        ))
        .await;
    let evs = events.body["events"].as_array().expect("events");
    assert_eq!(evs.len(), 3);
    assert_eq!(evs[0]["details"]["remaining"], 7);
}

#[tokio::test]
async fn method_restricts_what_is_tried() {
    let app = spawn_app().await;
    let (user, _, _, codes) = app.user_with_totp("method@example.org").await;
    let r = app
        .post(
            &format!("/api/v1/users/{user}/verify"),
            json!({ "code": codes[0], "method": "totp" }),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = app
        .post(
            &format!("/api/v1/users/{user}/verify"),
            json!({ "code": codes[0], "method": "backup_code" }),
        )
        .await;
    assert_eq!(r.status, 200);
    let bad = app
        .post(
            &format!("/api/v1/users/{user}/verify"),
            json!({ "code": codes[1], "method": "sms" }),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body["error"]["message"]
            .as_str()
            .expect("msg")
            .contains("method")
    );
}

#[tokio::test]
async fn regenerating_invalidates_the_old_set() {
    let app = spawn_app().await;
    let (user, _, _, old) = app.user_with_totp("regen@example.org").await;
    let r = app
        .post(&format!("/api/v1/users/{user}/backup-codes"), json!({}))
        .await;
    assert_eq!(r.status, 201);
    let new: Vec<String> = r.body["backup_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("str").to_owned())
        .collect();
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|c| !old.contains(c)));
    assert_eq!(app.verify(&user, &old[0]).await.status, 422);
    assert_eq!(app.verify(&user, &new[0]).await.status, 200);
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}/backup-codes"))
            .await
            .body["remaining"],
        9
    );
}

#[tokio::test]
async fn concurrent_use_of_one_code_succeeds_once() {
    let app = spawn_app().await;
    let (user, _, _, codes) = app.user_with_totp("race@example.org").await;
    let results = futures::future::join_all((0..16).map(|_| app.verify(&user, &codes[2]))).await;
    let ok = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}/backup-codes"))
            .await
            .body["remaining"],
        9
    );
}

#[tokio::test]
async fn no_codes_yet() {
    let app = spawn_app().await;
    let user = app.create_user("fresh@example.org").await;
    let r = app.get(&format!("/api/v1/users/{user}/backup-codes")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, json!({ "remaining": 0, "created_at": null }));
    let none = app.verify(&user, "abcd-efgh-jkmn").await;
    assert_eq!(none.status, 409, "no active factor");
    assert_eq!(none.error_code(), "no_second_factor");
}

#[tokio::test]
async fn codes_of_one_user_do_not_work_for_another() {
    let app = spawn_app().await;
    let (_, _, _, codes_a) = app.user_with_totp("a@example.org").await;
    let (user_b, _, _, _) = app.user_with_totp("b@example.org").await;
    assert_eq!(app.verify(&user_b, &codes_a[0]).await.status, 422);
}

#[tokio::test]
async fn concurrent_regenerations_leave_one_set() {
    let app = spawn_app().await;
    let (user, _, _, _) = app.user_with_totp("regen-race@example.org").await;
    let path = format!("/api/v1/users/{user}/backup-codes");
    let results = futures::future::join_all((0..6).map(|_| app.post(&path, json!({})))).await;
    assert!(results.iter().all(|r| r.status == 201));
    assert_eq!(
        app.get(&path).await.body["remaining"],
        10,
        "exactly one set of ten survives"
    );
}
