use serde_json::json;

use crate::helpers::{spawn_app, totp_code};

#[tokio::test]
async fn healthz_answers() {
    let app = spawn_app().await;
    let r = app.request("GET", "/healthz", None, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, json!({ "status": "ok" }));
    assert!(
        r.headers.get("x-request-id").is_some(),
        "every answer carries a request id"
    );
}

#[tokio::test]
async fn metrics_count_verifications_and_latency() {
    let app = spawn_app().await;
    let (user, _, secret, _) = app.user_with_totp("m@example.org").await;
    app.verify(&user, "000000").await;
    app.clock.advance(chrono::Duration::seconds(30));
    let ok = app.verify(&user, &totp_code(&secret, app.now())).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    let resp = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .expect("metrics");
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.expect("text");
    assert!(
        text.contains("keyward_verifications_total{method=\"totp\",result=\"success\"}"),
        "{text}"
    );
    assert!(text.contains("result=\"failure\""), "{text}");
    assert!(
        text.contains("keyward_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(
        text.contains("path=\"/api/v1/users/{user_id}/verify\""),
        "{text}"
    );
}

#[tokio::test]
async fn openapi_describes_every_implemented_path() {
    let app = spawn_app().await;
    let r = app.request("GET", "/api/openapi.json", None, None).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body["openapi"]
            .as_str()
            .expect("version")
            .starts_with("3.")
    );
    let paths = r.body["paths"].as_object().expect("paths");
    for (path, methods) in [
        ("/api/v1/users", &["post", "get"][..]),
        ("/api/v1/users/{user_id}", &["get"]),
        ("/api/v1/users/{user_id}/factors", &["get", "post"]),
        (
            "/api/v1/users/{user_id}/factors/{factor_id}/activate",
            &["post"],
        ),
        ("/api/v1/users/{user_id}/factors/{factor_id}", &["delete"]),
        ("/api/v1/users/{user_id}/verify", &["post"]),
        ("/api/v1/users/{user_id}/backup-codes", &["post", "get"]),
        ("/api/v1/audit", &["get"]),
        ("/api/v1/audit/verify", &["get"]),
        ("/api/v1/yubikeys", &["post", "get"]),
        ("/api/v1/yubikeys/{public_id}", &["delete"]),
    ] {
        let entry = paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} missing from the OpenAPI document"));
        for m in methods {
            assert!(entry.get(*m).is_some(), "{m} {path} missing");
        }
    }
    assert!(r.body["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn security_headers_are_set() {
    let app = spawn_app().await;
    let r = app.request("GET", "/healthz", None, None).await;
    assert_eq!(
        r.headers
            .get("x-frame-options")
            .and_then(|v| v.to_str().ok()),
        Some("DENY")
    );
    assert_eq!(
        r.headers
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert_eq!(
        r.headers.get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
}
