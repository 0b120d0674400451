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

/// Migration 000009's re-normalisation of stored comparison keys (written the old way:
/// lowercase only): oldest account first, so of two lookalikes the older one gets the new key;
/// an account that holds the key already keeps it; everything in one transaction.
#[tokio::test]
async fn renormalizing_emails_favours_the_older_account() {
    let app = spawn_app().await;
    // Created newest first, so the table's natural order is not the age order.
    let newer = app.create_user("newer@example.com").await;
    let older = app.create_user("older@example.com").await;
    let holder = app.create_user("holder@example.com").await;
    let lookalike = app.create_user("lookalike@example.com").await;
    let plain = app.create_user("plain@example.com").await;
    for (id, email, created) in [
        // Fullwidth ａ and ｋ: NFKC makes both kate@example.com.
        (&newer, "k\u{FF41}te@example.com", "2021-01-01 00:00:00"),
        (&older, "\u{FF4B}ate@example.com", "2020-01-01 00:00:00"),
        // Holds bob@example.com already (it is newer than its lookalike, and keeps it).
        (&holder, "bob@example.com", "2022-01-01 00:00:00"),
        (&lookalike, "\u{FF42}ob@example.com", "2019-01-01 00:00:00"),
        (&plain, "\u{FF45}ve@example.com", "2019-06-01 00:00:00"),
    ] {
        app.sql(&format!(
            "UPDATE users SET email = '{email}', email_normalized = '{}', created_at = '{created}' WHERE id = '{id}'",
            email.to_lowercase()
        ))
        .await;
    }
    let db = app.state.db.clone();
    let done = tokio::task::spawn_blocking(move || {
        db.with_conn(keyward::db::renormalize_emails)
            .expect("conn")
            .expect("renormalized")
    })
    .await
    .expect("join");
    assert_eq!(done.updated, 2, "{done:?}");
    assert_eq!(
        done.collisions,
        vec![
            (holder.clone(), lookalike.clone()),
            (older.clone(), newer.clone())
        ]
    );

    let key = |id: String| {
        let db = app.state.db.clone();
        async move {
            use diesel::prelude::*;
            use keyward::db::schema::users;
            tokio::task::spawn_blocking(move || {
                db.with_conn(|c| {
                    users::table
                        .find(&id)
                        .select(users::email_normalized)
                        .get_result::<String>(c)
                })
            })
            .await
            .expect("join")
            .expect("conn")
            .expect("row")
        }
    };
    assert_eq!(key(older).await, "kate@example.com");
    assert_eq!(key(newer).await, "k\u{FF41}te@example.com");
    assert_eq!(key(holder).await, "bob@example.com");
    assert_eq!(key(lookalike).await, "\u{FF42}ob@example.com");
    assert_eq!(key(plain).await, "eve@example.com");
}
