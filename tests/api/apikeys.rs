//! The API key lifecycle: list, revoke (at once, on every instance), expiry, `last_used_at`.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

async fn keys(app: &TestApp) -> Vec<Value> {
    let r = app
        .request("GET", "/api/v1/apikeys", Some(&app.security_key), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["api_keys"].as_array().expect("api_keys").clone()
}

async fn key_named(app: &TestApp, name: &str) -> Value {
    keys(app)
        .await
        .into_iter()
        .find(|k| k["name"] == name)
        .unwrap_or_else(|| panic!("no key named {name}"))
}

async fn audit_events(app: &TestApp, event: &str) -> Vec<Value> {
    let r = app
        .request(
            "GET",
            &format!("/api/v1/audit?event={event}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["events"].as_array().expect("events").clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_shows_every_key_without_secrets_and_needs_security() {
    let app = spawn_app().await;
    let list = keys(&app).await;
    assert_eq!(list.len(), 3);
    for k in &list {
        for field in [
            "id",
            "name",
            "scope",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
        ] {
            assert!(k.get(field).is_some(), "{field} missing in {k}");
        }
        assert_eq!(k["expires_at"], Value::Null);
        assert_eq!(k["revoked_at"], Value::Null);
    }
    let text = serde_json::to_string(&list).expect("json");
    for token in [&app.integration_key, &app.support_key, &app.security_key] {
        assert!(!text.contains(token.as_str()));
        assert!(!text.contains(&keyward::domain::api_key::token_hash(token)));
    }
    let scopes: Vec<&str> = list.iter().filter_map(|k| k["scope"].as_str()).collect();
    assert_eq!(scopes, ["integration", "support", "security"]);

    for key in [&app.integration_key, &app.support_key] {
        let r = app.request("GET", "/api/v1/apikeys", Some(key), None).await;
        assert_eq!(r.status, 403);
        assert_eq!(r.error_code(), "forbidden");
        let d = app
            .request("DELETE", "/api/v1/apikeys/key_x", Some(key), None)
            .await;
        assert_eq!(d.status, 403);
    }
    let none = app.request("GET", "/api/v1/apikeys", None, None).await;
    assert_eq!(none.status, 401);

    let unknown = app
        .request(
            "DELETE",
            "/api/v1/apikeys/key_does_not_exist",
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error_code(), "not_found");
    let long = format!("/api/v1/apikeys/{}", "k".repeat(5000));
    let r = app
        .request("DELETE", &long, Some(&app.security_key), None)
        .await;
    assert!(r.status == 404 || r.status == 414, "{}", r.status);

    let doc = app.request("GET", "/api/openapi.json", None, None).await;
    assert!(doc.body["paths"]["/api/v1/apikeys"]["get"].is_object());
    assert!(doc.body["paths"]["/api/v1/apikeys/{key_id}"]["delete"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_answers_401_at_once_on_every_instance() {
    let app = spawn_app().await;
    let sibling = app.spawn_sibling().await;
    let id = key_named(&app, "test integration").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let on = |base: &str| format!("{base}/api/v1/users?email=x@example.org");
    // Both instances have served the key (any cache would be warm).
    for base in [&app.base, &sibling.base] {
        let r = app
            .client
            .get(on(base))
            .bearer_auth(&app.integration_key)
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), 200);
    }
    let del = app
        .request(
            "DELETE",
            &format!("/api/v1/apikeys/{id}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(del.status, 204, "{:?}", del.body);
    for base in [&app.base, &sibling.base, &app.base, &sibling.base] {
        let r = app
            .client
            .get(on(base))
            .bearer_auth(&app.integration_key)
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), 401, "{base}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["error"]["code"], "unauthorized");
    }
    let listed = key_named(&app, "test integration").await;
    assert!(listed["revoked_at"].is_string());
    // Revoking again changes nothing and is not audited twice.
    let again = app
        .request(
            "DELETE",
            &format!("/api/v1/apikeys/{id}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(again.status, 204);
    assert_eq!(
        key_named(&app, "test integration").await["revoked_at"],
        listed["revoked_at"]
    );
    let events = audit_events(&app, "apikey.revoked").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["details"]["api_key_id"], id.as_str());
    assert_eq!(events[0]["actor"]["type"], "api_key");
    // The other keys still work.
    assert_eq!(
        app.request(
            "GET",
            "/api/v1/users?email=x@example.org",
            Some(&app.support_key),
            None
        )
        .await
        .status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_creates_with_expiry_lists_and_revokes() {
    let app = spawn_app().await;
    let out = app.cli(&[
        "apikey",
        "create",
        "billing",
        "--scope",
        "support",
        "--expires-days",
        "1",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout)
        .expect("utf8")
        .trim()
        .to_owned();
    let path = "/api/v1/users?email=x@example.org";
    assert_eq!(
        app.request("GET", path, Some(&token), None).await.status,
        200
    );

    let list = app.cli(&["apikey", "list"]);
    assert!(list.status.success());
    let text = String::from_utf8(list.stdout).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(!text.contains(&token) && !text.contains(&app.security_key));
    let billing: Vec<&str> = lines
        .iter()
        .find(|l| l.contains("\tbilling\t"))
        .expect("billing line")
        .split('\t')
        .collect();
    assert_eq!(billing.len(), 7, "{billing:?}");
    assert_eq!(billing[2], "support");
    assert_ne!(billing[4], "-", "last used is recorded");
    assert_ne!(billing[5], "-", "expires is shown");
    assert_eq!(billing[6], "-", "not revoked");

    // Past its expiry the key answers 401, with nothing else changed.
    app.clock
        .advance(chrono::Duration::days(1) + chrono::Duration::minutes(1));
    let r = app.request("GET", path, Some(&token), None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.error_code(), "unauthorized");
    assert_eq!(
        app.request("GET", path, Some(&app.support_key), None)
            .await
            .status,
        200
    );

    // Revoke from the command line.
    let id = billing[0];
    let revoke = app.cli(&["apikey", "revoke", &app_key_id(&app, "test support").await]);
    assert!(
        revoke.status.success(),
        "{}",
        String::from_utf8_lossy(&revoke.stderr)
    );
    assert_eq!(
        app.request("GET", path, Some(&app.support_key), None)
            .await
            .status,
        401
    );
    let unknown = app.cli(&["apikey", "revoke", "key_nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no API key"));
    let events = audit_events(&app, "apikey.revoked").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor"]["type"], "support");
    let after = String::from_utf8(app.cli(&["apikey", "list"]).stdout).expect("utf8");
    let support_line = after
        .lines()
        .find(|l| l.contains("\ttest support\t"))
        .expect("line");
    assert_ne!(support_line.split('\t').nth(6), Some("-"));
    assert!(after.contains(id));

    let bad = app.cli(&[
        "apikey",
        "create",
        "x",
        "--scope",
        "support",
        "--expires-days",
        "0",
    ]);
    assert!(!bad.status.success());
}

async fn app_key_id(app: &TestApp, name: &str) -> String {
    key_named(app, name).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_used_at_is_coarse_and_not_written_per_request() {
    let app = spawn_app().await;
    assert_eq!(
        key_named(&app, "test integration").await["last_used_at"],
        Value::Null
    );
    let path = "/api/v1/users?email=x@example.org";
    assert_eq!(app.get(path).await.status, 200);
    let first = key_named(&app, "test integration").await["last_used_at"].clone();
    assert!(first.is_string(), "{first}");

    // More use within the granularity: the stored value stays.
    for _ in 0..5 {
        app.clock.advance(chrono::Duration::seconds(50));
        assert_eq!(app.get(path).await.status, 200);
    }
    assert_eq!(
        key_named(&app, "test integration").await["last_used_at"],
        first
    );

    // Past it, the next use is recorded.
    app.clock.advance(chrono::Duration::seconds(60));
    assert_eq!(app.get(path).await.status, 200);
    let second = key_named(&app, "test integration").await["last_used_at"].clone();
    assert!(second.is_string());
    assert!(second.as_str() > first.as_str(), "{second} after {first}");
    // A key that is never used keeps null.
    assert_eq!(
        key_named(&app, "test support").await["last_used_at"],
        Value::Null
    );
}
