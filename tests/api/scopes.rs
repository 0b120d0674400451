//! Every endpoint with no key, an unknown key, and (where it matters) too low a scope.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn every_endpoint_needs_a_valid_key() {
    let app = spawn_app().await;
    let (user, factor, _, _) = app.user_with_totp("scoped@example.org").await;
    let endpoints: Vec<(&str, String, Option<Value>)> = vec![
        (
            "POST",
            "/api/v1/users".into(),
            Some(json!({ "email": "x@example.org" })),
        ),
        ("GET", format!("/api/v1/users/{user}"), None),
        ("GET", "/api/v1/users?email=x@example.org".into(), None),
        ("GET", format!("/api/v1/users/{user}/factors"), None),
        (
            "POST",
            format!("/api/v1/users/{user}/factors"),
            Some(json!({ "type": "totp", "name": "x" })),
        ),
        (
            "POST",
            format!("/api/v1/users/{user}/factors/{factor}/activate"),
            Some(json!({ "code": "123456" })),
        ),
        (
            "DELETE",
            format!("/api/v1/users/{user}/factors/{factor}"),
            None,
        ),
        (
            "POST",
            format!("/api/v1/users/{user}/verify"),
            Some(json!({ "code": "123456" })),
        ),
        ("POST", format!("/api/v1/users/{user}/backup-codes"), None),
        ("GET", format!("/api/v1/users/{user}/backup-codes"), None),
        ("GET", format!("/api/v1/audit?user_id={user}"), None),
        ("GET", "/api/v1/audit/verify".into(), None),
    ];
    let wrong = "kw_0000000000000000000000000000000000000000000000000000000000000000";
    for (method, path, body) in &endpoints {
        for key in [None, Some(wrong), Some("not-even-a-key"), Some("")] {
            let r = app.request(method, path, key, body.clone()).await;
            assert_eq!(r.status, 401, "{method} {path} with {key:?}: {:?}", r.body);
            assert_eq!(r.error_code(), "unauthorized");
        }
        // A scheme other than Bearer is refused too.
        let basic = app
            .client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).expect("m"),
                format!("{}{path}", app.base),
            )
            .header("authorization", format!("Basic {}", app.integration_key))
            .send()
            .await
            .expect("sent");
        assert_eq!(basic.status(), 401, "{method} {path} with Basic");
    }
    // Nothing was changed by the refused calls.
    let factors = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(factors.body["factors"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn scopes_are_enforced() {
    let app = spawn_app().await;
    let user = app.create_user("s@example.org").await;
    // The whole audit log and its verification need support or security.
    for (path, needs_support) in [
        ("/api/v1/audit".to_owned(), true),
        ("/api/v1/audit/verify".to_owned(), true),
        (format!("/api/v1/audit?user_id={user}"), false),
    ] {
        let r = app
            .request("GET", &path, Some(&app.integration_key), None)
            .await;
        assert_eq!(
            r.status,
            if needs_support { 403 } else { 200 },
            "{path}: {:?}",
            r.body
        );
        if needs_support {
            assert_eq!(r.error_code(), "forbidden");
        }
        for key in [&app.support_key, &app.security_key] {
            assert_eq!(
                app.request("GET", &path, Some(key), None).await.status,
                200,
                "{path}"
            );
        }
    }
    // Staff roles need a security key.
    for role in ["support", "security"] {
        for key in [&app.integration_key, &app.support_key] {
            let r = app
                .request(
                    "POST",
                    "/api/v1/users",
                    Some(key),
                    Some(json!({ "email": format!("{role}@example.org"), "role": role })),
                )
                .await;
            assert_eq!(r.status, 403, "{role}");
        }
    }
    // Support and security keys can do everything integration can.
    for key in [&app.support_key, &app.security_key] {
        assert_eq!(
            app.request("GET", &format!("/api/v1/users/{user}"), Some(key), None)
                .await
                .status,
            200
        );
    }
}
