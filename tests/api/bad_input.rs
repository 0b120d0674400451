//! Malformed requests get the API's error shape and status, never a 5xx, and change nothing.

use serde_json::json;

use crate::helpers::{Resp, TestApp, spawn_app};

async fn raw(
    app: &TestApp,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Resp {
    let mut req = app
        .client
        .request(
            reqwest::Method::from_bytes(method.as_bytes()).expect("m"),
            format!("{}{path}", app.base),
        )
        .bearer_auth(&app.integration_key)
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    TestApp::into_resp(req.send().await.expect("sent")).await
}

fn assert_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{:?}", r.body);
    assert_eq!(r.body["error"]["code"], code, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[tokio::test]
async fn malformed_bodies() {
    let app = spawn_app().await;
    let (user, _, _, _) = app.user_with_totp("bad@example.org").await;
    let verify = format!("/api/v1/users/{user}/verify");
    let json_ct = Some("application/json");

    assert_error(
        &raw(&app, "POST", &verify, json_ct, b"{\"code\": ".to_vec()).await,
        400,
        "bad_request",
    );
    assert_error(
        &raw(&app, "POST", &verify, json_ct, b"[]".to_vec()).await,
        400,
        "bad_request",
    );
    assert_error(
        &raw(&app, "POST", &verify, json_ct, b"".to_vec()).await,
        400,
        "bad_request",
    );
    assert_error(
        &raw(
            &app,
            "POST",
            &verify,
            None,
            b"{\"code\":\"123456\"}".to_vec(),
        )
        .await,
        400,
        "bad_request",
    );
    assert_error(
        &raw(
            &app,
            "POST",
            &verify,
            Some("text/plain"),
            b"{\"code\":\"123456\"}".to_vec(),
        )
        .await,
        400,
        "bad_request",
    );
    // Non-UTF-8.
    assert_error(
        &raw(
            &app,
            "POST",
            &verify,
            json_ct,
            b"{\"code\": \"\xff\xfe\"}".to_vec(),
        )
        .await,
        400,
        "bad_request",
    );

    // Missing and wrong-typed fields name the field.
    let missing = app.post(&verify, json!({})).await;
    assert_error(&missing, 400, "bad_request");
    assert!(
        missing.body["error"]["message"]
            .as_str()
            .expect("m")
            .contains("code")
    );
    let typed = app.post(&verify, json!({ "code": 123456 })).await;
    assert_error(&typed, 400, "bad_request");
    assert!(
        typed.body["error"]["message"]
            .as_str()
            .expect("m")
            .contains("string")
    );
    let users = app.post("/api/v1/users", json!({ "email": ["x"] })).await;
    assert_error(&users, 400, "bad_request");
    let no_email = app
        .post("/api/v1/users", json!({ "display_name": "x" }))
        .await;
    assert!(
        no_email.body["error"]["message"]
            .as_str()
            .expect("m")
            .contains("email")
    );
    assert_error(
        &app.post("/api/v1/users", json!({ "email": "not-an-email" }))
            .await,
        400,
        "bad_request",
    );
    assert_error(
        &app.post(
            "/api/v1/users",
            json!({ "email": "a@example.org", "role": "admin" }),
        )
        .await,
        400,
        "bad_request",
    );
    assert_error(
        &app.post(
            "/api/v1/users",
            json!({ "email": "a@example.org", "password": "short" }),
        )
        .await,
        400,
        "bad_request",
    );
    let factors = format!("/api/v1/users/{user}/factors");
    assert_error(
        &app.post(&factors, json!({ "type": "sms", "name": "x" }))
            .await,
        400,
        "bad_request",
    );
    assert_error(
        &app.post(&factors, json!({ "type": "totp", "name": "" }))
            .await,
        400,
        "bad_request",
    );
    assert_error(
        &app.post(&factors, json!({ "type": "totp", "name": "x".repeat(65) }))
            .await,
        400,
        "bad_request",
    );
    assert_error(
        &app.post(&factors, json!({ "type": "totp" })).await,
        400,
        "bad_request",
    );
    assert_error(
        &app.request("GET", "/api/v1/users", Some(&app.integration_key), None)
            .await,
        400,
        "bad_request",
    );
    assert_error(
        &app.request(
            "GET",
            "/api/v1/audit?user_id=x&limit=lots",
            Some(&app.integration_key),
            None,
        )
        .await,
        400,
        "bad_request",
    );

    // None of that created anything.
    assert_eq!(
        app.get("/api/v1/users?email=a@example.org").await.body["users"],
        json!([])
    );
    assert_eq!(
        app.get(&factors).await.body["factors"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn huge_bodies_are_refused() {
    let app = spawn_app().await;
    let user = app.create_user("huge@example.org").await;
    let big = format!("{{\"code\": \"{}\"}}", "1".repeat(70 * 1024));
    let r = raw(
        &app,
        "POST",
        &format!("/api/v1/users/{user}/verify"),
        Some("application/json"),
        big.into_bytes(),
    )
    .await;
    assert_error(&r, 413, "payload_too_large");
    let r = raw(
        &app,
        "POST",
        "/api/v1/users",
        Some("application/json"),
        vec![b' '; 1024 * 1024],
    )
    .await;
    assert_error(&r, 413, "payload_too_large");
}

#[tokio::test]
async fn unknown_ids_and_other_users_factors() {
    let app = spawn_app().await;
    let (user, factor, _, _) = app.user_with_totp("mine@example.org").await;
    let other = app.create_user("theirs@example.org").await;
    let (pending, _, _) = app.enroll_totp(&user, "Pending").await;
    for path in [
        "/api/v1/users/usr_unknown".to_owned(),
        "/api/v1/users/usr_unknown/factors".to_owned(),
        "/api/v1/users/usr_unknown/backup-codes".to_owned(),
        "/api/v1/users/..%2F..%2Fetc/factors".to_owned(),
        format!("/api/v1/users/{}/factors", "x".repeat(5000)),
    ] {
        let r = app.get(&path).await;
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
    }
    assert_error(&app.verify("usr_unknown", "123456").await, 404, "not_found");
    assert_error(
        &app.post(
            &format!("/api/v1/users/{other}/factors/{pending}/activate"),
            json!({ "code": "123456" }),
        )
        .await,
        404,
        "not_found",
    );
    assert_error(
        &app.post(
            &format!("/api/v1/users/{user}/factors/fac_nope/activate"),
            json!({ "code": "123456" }),
        )
        .await,
        404,
        "not_found",
    );
    assert_error(
        &app.request(
            "DELETE",
            &format!("/api/v1/users/{other}/factors/{factor}"),
            Some(&app.integration_key),
            None,
        )
        .await,
        404,
        "not_found",
    );
    assert_error(
        &app.request("GET", "/api/v1/nothing", Some(&app.integration_key), None)
            .await,
        404,
        "not_found",
    );
    // The real factor is untouched.
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}")).await.body["two_factor_enabled"],
        true
    );
}

#[tokio::test]
async fn codes_of_the_wrong_length_or_alphabet() {
    let app = spawn_app().await;
    let (user, _, _, _) = app.user_with_totp("codes@example.org").await;
    let (pending, _, _) = app.enroll_totp(&user, "Second").await;
    for code in [
        "",
        "1",
        "12345",
        "1234567890123",
        "abcdef",
        "12 34 56",
        "١٢٣٤٥٦",
        "<script>alert(1)</script>",
    ] {
        let a = app
            .post(
                &format!("/api/v1/users/{user}/factors/{pending}/activate"),
                json!({ "code": code }),
            )
            .await;
        assert_error(&a, 422, "invalid_code");
    }
    let v = app.verify(&user, "abc").await;
    assert_error(&v, 422, "invalid_code");
    let long = app.verify(&user, &"9".repeat(10_000)).await;
    assert_error(&long, 422, "invalid_code");
}

#[tokio::test]
async fn hostile_strings_are_stored_and_shown_verbatim() {
    let app = spawn_app().await;
    let r = app
        .post("/api/v1/users", json!({ "email": "o'brien+\"x\"@example.org", "display_name": "Robert'); DROP TABLE users;--" }))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_str().expect("id");
    let got = app.get(&format!("/api/v1/users/{id}")).await;
    assert_eq!(got.body["display_name"], "Robert'); DROP TABLE users;--");
}

#[tokio::test]
async fn control_characters_and_bad_path_segments_never_reach_the_database() {
    let app = spawn_app().await;
    let user = app.create_user("nul@example.org").await;
    let found = app.get("/api/v1/users?email=nul%00@example.org").await;
    assert_eq!(found.status, 200);
    assert_eq!(found.body, json!({ "users": [] }));
    assert_error(
        &app.request(
            "GET",
            "/api/v1/audit?user_id=usr_%00",
            Some(&app.support_key),
            None,
        )
        .await,
        400,
        "bad_request",
    );
    assert_error(
        &app.request(
            "GET",
            &format!("/api/v1/audit?user_id={user}&event=verify%00"),
            Some(&app.support_key),
            None,
        )
        .await,
        400,
        "bad_request",
    );
    for path in [
        "/api/v1/users/%FF%FE",
        "/api/v1/users/%FF/factors",
        "/api/v1/users/usr_x/factors/%C0%AF/activate",
    ] {
        let method = if path.ends_with("activate") {
            "POST"
        } else {
            "GET"
        };
        let r = app
            .request(
                method,
                path,
                Some(&app.integration_key),
                Some(json!({ "code": "123456" })),
            )
            .await;
        assert_error(&r, 404, "not_found");
    }
    let v = app
        .post(
            &format!("/api/v1/users/{user}/verify"),
            json!({ "code": "12\u{0}456" }),
        )
        .await;
    assert_eq!(v.status, 409, "no factor yet: {:?}", v.body);
}
