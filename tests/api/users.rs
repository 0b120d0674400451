use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn create_get_and_find_users() {
    let app = spawn_app().await;
    let r = app
        .post("/api/v1/users", json!({ "email": "Ann@Example.org", "display_name": "Ann", "password": "correct horse battery" }))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_str().expect("id").to_owned();
    assert_eq!(r.body["email"], "Ann@Example.org");
    assert_eq!(r.body["display_name"], "Ann");
    assert_eq!(r.body["role"], "customer");
    assert_eq!(r.body["two_factor_enabled"], false);
    assert!(
        r.body["created_at"]
            .as_str()
            .expect("created_at")
            .ends_with('Z')
    );
    assert!(r.body.get("password").is_none() && r.body.get("password_hash").is_none());

    let got = app.get(&format!("/api/v1/users/{id}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body, r.body);

    let found = app.get("/api/v1/users?email=ann@EXAMPLE.org").await;
    assert_eq!(found.status, 200);
    assert_eq!(found.body["users"].as_array().map(Vec::len), Some(1));
    assert_eq!(found.body["users"][0]["id"], id.as_str());

    let none = app.get("/api/v1/users?email=nobody@example.org").await;
    assert_eq!(none.status, 200);
    assert_eq!(none.body, json!({ "users": [] }));

    let missing = app.get("/api/v1/users/usr_doesnotexist").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error_code(), "not_found");
}

#[tokio::test]
async fn duplicate_email_is_a_conflict_in_any_case() {
    let app = spawn_app().await;
    app.create_user("bob@example.org").await;
    let r = app
        .post("/api/v1/users", json!({ "email": "BOB@example.org" }))
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.error_code(), "conflict");
    let found = app.get("/api/v1/users?email=bob@example.org").await;
    assert_eq!(found.body["users"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn concurrent_duplicate_creation_makes_one_user() {
    let app = spawn_app().await;
    let attempts =
        (0..8).map(|_| app.post("/api/v1/users", json!({ "email": "race@example.org" })));
    let results = futures::future::join_all(attempts).await;
    let created = results.iter().filter(|r| r.status == 201).count();
    let conflicts = results.iter().filter(|r| r.status == 409).count();
    assert_eq!(
        (created, conflicts),
        (1, 7),
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn only_security_keys_create_staff() {
    let app = spawn_app().await;
    for key in [&app.integration_key, &app.support_key] {
        let r = app
            .request(
                "POST",
                "/api/v1/users",
                Some(key),
                Some(json!({ "email": "staff@example.org", "role": "support" })),
            )
            .await;
        assert_eq!(r.status, 403, "{:?}", r.body);
        assert_eq!(r.error_code(), "forbidden");
    }
    let r = app
        .request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(json!({ "email": "staff@example.org", "role": "support" })),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["role"], "support");
}
