//! The findings of the security review of 2026-12-03 (docs/security.md, "Threat model: the
//! review of 2026-12-03"): each test shows one defence.

use std::time::Duration;

use diesel::prelude::*;
use keyward::domain::clock::Clock;
use keyward::domain::yubicloud::{decode_secret, sign};
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp, backend, new_test_key, spawn_app, totp_code};
use crate::portal::{Browser, password_step, signed_in_with_sudo};

/// How many events the audit chain holds.
async fn chain_length(app: &TestApp) -> i64 {
    let r = app
        .request("GET", "/api/v1/audit/verify", Some(&app.security_key), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["ok"], true);
    r.body["events_checked"].as_i64().expect("events_checked")
}

async fn events(app: &TestApp, query: &str) -> Vec<Value> {
    let r = app
        .request(
            "GET",
            &format!("/api/v1/audit?{query}&limit=1000"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["events"].as_array().expect("events").clone()
}

/// A validation client (id, base64 secret) and a key in the inventory (public id).
async fn wsapi_setup(app: &TestApp) -> (String, String, String) {
    let out = app.cli(&["yubikey", "client", "create", "pam"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf8");
    let mut lines = text.lines();
    let id = lines.next().expect("id").to_owned();
    let secret = lines.next().expect("secret").to_owned();
    let key = new_test_key();
    let r = app
        .request(
            "POST",
            "/api/v1/yubikeys",
            Some(&app.security_key),
            Some(json!({ "public_id": key.0, "private_id": key.1, "aes_key": key.2 })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    (id, secret, key.0)
}

/// `/wsapi/2.0/verify` with these parameters (encoded here); returns the answer's status line.
async fn wsapi(app: &TestApp, params: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let resp = app
        .client
        .get(format!("{}/wsapi/2.0/verify?{query}", app.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 200, "{params:?}");
    let body = resp.text().await.expect("text");
    assert!(body.starts_with("h="), "{body}");
    let statuses: Vec<&str> = body.lines().filter(|l| l.starts_with("status=")).collect();
    assert_eq!(statuses.len(), 1, "{params:?}: {body}");
    statuses[0].trim_start_matches("status=").to_owned()
}

/// The parameters signed with the client's secret (the protocol's `h`).
fn signed(params: &[(&str, &str)], secret_b64: &str) -> Vec<(String, String)> {
    let key = decode_secret(secret_b64).expect("secret");
    let mut owned: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let h = sign(&owned, &key);
    owned.push(("h".into(), h));
    owned
}

/// Strings that are not OTPs: multi-byte characters where byte offsets are not character
/// boundaries, at the public id's end, empty, very long.
fn nasty_otps(public_id: &str) -> Vec<String> {
    vec![
        "é".repeat(44),
        "€".repeat(14),
        format!("{}€{}", &public_id[..11], "c".repeat(31)),
        format!("{public_id}é{}", "c".repeat(30)),
        format!("{public_id}{}", "ü".repeat(16)),
        "🔑".repeat(11),
        String::new(),
        "c".repeat(10_000),
    ]
}

// Finding 3: the validation endpoint writes no audit event for what it refuses unread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wsapi_refusals_add_no_audit_events_and_only_a_signature_names_the_client() {
    let app = spawn_app().await;
    let (id, secret, public_id) = wsapi_setup(&app).await;
    let before = chain_length(&app).await;
    let well_formed = format!("{public_id}{}", "cbdefghijklnrtuv".repeat(2));
    let nonce = "abcdefghijklmnopqrstu";
    for _ in 0..5 {
        assert_eq!(wsapi(&app, &[]).await, "MISSING_PARAMETER");
        assert_eq!(
            wsapi(&app, &[("id", "abc"), ("otp", "x"), ("nonce", "y")]).await,
            "MISSING_PARAMETER"
        );
        assert_eq!(
            wsapi(&app, &[("id", &id), ("nonce", nonce)]).await,
            "MISSING_PARAMETER"
        );
        assert_eq!(
            wsapi(
                &app,
                &[("id", &id), ("otp", &well_formed), ("nonce", "short")]
            )
            .await,
            "MISSING_PARAMETER"
        );
        assert_eq!(
            wsapi(
                &app,
                &[("id", "999"), ("otp", &well_formed), ("nonce", nonce)]
            )
            .await,
            "NO_SUCH_CLIENT"
        );
        assert_eq!(
            wsapi(
                &app,
                &[
                    ("id", &id),
                    ("otp", &well_formed),
                    ("nonce", nonce),
                    ("h", "AAAA")
                ]
            )
            .await,
            "BAD_SIGNATURE"
        );
        assert_eq!(
            wsapi(&app, &[("id", &id), ("otp", "cccc"), ("nonce", nonce)]).await,
            "BAD_OTP"
        );
        // Unsigned: anyone may claim to be the client; a refusal changes nothing.
        assert_eq!(
            wsapi(
                &app,
                &[("id", &id), ("otp", &well_formed), ("nonce", nonce)]
            )
            .await,
            "BAD_OTP"
        );
    }
    assert_eq!(
        chain_length(&app).await,
        before,
        "refused requests were audited"
    );

    // A correctly signed request is the client's: audited, with the client as the actor.
    let params = signed(
        &[("id", &id), ("otp", &well_formed), ("nonce", nonce)],
        &secret,
    );
    let borrowed: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(wsapi(&app, &borrowed).await, "BAD_OTP");
    assert_eq!(chain_length(&app).await, before + 1);
    let audited = events(&app, "event=wsapi.verify").await;
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert_eq!(audited[0]["actor"]["type"], "api_key");
    assert_eq!(audited[0]["actor"]["id"], format!("wsapi_client_{id}"));
    assert_eq!(audited[0]["details"]["signed"], true);
}

// Finding 3: a customer opening staff pages over and over writes one `access.denied` per window.
#[tokio::test]
async fn access_denied_is_recorded_once_per_user_and_window() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": "nosy@example.com", "password": "correct horse battery" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let user = r.body["id"].as_str().expect("id").to_owned();
    let mut b = Browser::new(&app);
    assert_eq!(
        password_step(&mut b, "nosy@example.com")
            .await
            .location
            .as_deref(),
        Some("/settings")
    );
    let query = format!("user_id={user}&event=access.denied");
    for _ in 0..5 {
        for page in [
            "/audit",
            "/policy",
            "/compliance",
            "/support",
            "/audit/export",
        ] {
            assert_eq!(b.get(page).await.status, 403, "{page}");
        }
    }
    assert_eq!(events(&app, &query).await.len(), 1);
    // Within the window, still one; after it, one more.
    app.clock
        .set(app.clock.now() + chrono::Duration::minutes(10));
    assert_eq!(b.get("/audit").await.status, 403);
    assert_eq!(events(&app, &query).await.len(), 1);
    app.clock
        .set(app.clock.now() + chrono::Duration::minutes(6));
    assert_eq!(b.get("/compliance").await.status, 403);
    assert_eq!(b.get("/audit").await.status, 403);
    assert_eq!(events(&app, &query).await.len(), 2);
}

// Finding 6: an OTP with characters outside ASCII is a clean refusal on every endpoint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_ascii_otps_are_refused_cleanly() {
    let app = spawn_app().await;
    let (id, _, public_id) = wsapi_setup(&app).await;
    let (user, _, _, _) = app.user_with_totp("unicode@example.com").await;
    for otp in nasty_otps(&public_id) {
        let r = app
            .post(
                &format!("/api/v1/users/{user}/factors"),
                json!({ "type": "yubikey_otp", "name": "Key", "otp": otp }),
            )
            .await;
        assert_eq!(r.status, 400, "{otp}: {:?}", r.body);
        assert_eq!(r.error_code(), "bad_request");
        for method in [json!("yubikey_otp"), Value::Null] {
            let r = app
                .post(
                    &format!("/api/v1/users/{user}/verify"),
                    json!({ "code": otp, "method": method }),
                )
                .await;
            assert!(
                [400, 422, 429].contains(&r.status),
                "{otp}: {} {:?}",
                r.status,
                r.body
            );
        }
        assert_eq!(
            wsapi(
                &app,
                &[
                    ("id", &id),
                    ("otp", &otp),
                    ("nonce", "abcdefghijklmnopqrstu")
                ]
            )
            .await,
            "BAD_OTP",
            "{otp}"
        );
    }
    // The server is still there.
    assert_eq!(app.get("/healthz").await.status, 200);
}

fn assert_not_5xx(r: &Resp, what: &str) {
    assert!(r.status < 500, "{what}: {} {:?}", r.status, r.body);
    if r.status >= 400 {
        assert_eq!(r.error_code(), "bad_request", "{what}: {:?}", r.body);
    }
}

// Finding 7: absurd numbers in staff pages' and list endpoints' queries.
#[tokio::test]
async fn absurd_paging_parameters_get_a_page_or_a_400() {
    let app = spawn_app().await;
    let r = app
        .request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(json!({ "email": "sec@example.com", "password": "correct horse battery", "role": "security" })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let mut b = Browser::new(&app);
    password_step(&mut b, "sec@example.com").await;
    let huge = [
        "2000000000",
        "1000000001",
        "9223372036854775807",
        "-9223372036854775808",
        "99999999999999999999999",
        "-1",
        "1e9",
        "abc",
    ];
    for n in huge {
        for path in [
            format!("/compliance?offset={n}"),
            format!("/audit?cursor={n}"),
            format!("/audit/export?cursor={n}"),
            format!("/audit?cursor={n}&since=9999-12-31T23:59:59Z&until=0001-01-01T00:00:00Z"),
        ] {
            let page = b.get(&path).await;
            assert!(
                page.status == 200 || page.status == 400,
                "{path}: {} {}",
                page.status,
                page.body
            );
            assert!(!page.body.contains("Something went wrong"), "{path}");
        }
        for path in [
            format!("/api/v1/compliance?offset={n}"),
            format!("/api/v1/compliance?limit={n}"),
            format!("/api/v1/compliance?limit=500&offset={n}"),
            format!("/api/v1/audit?limit={n}"),
            format!("/api/v1/audit?cursor={n}"),
            format!("/api/v1/audit?cursor={n}&limit=1000"),
        ] {
            let r = app
                .request("GET", &path, Some(&app.security_key), None)
                .await;
            assert_not_5xx(&r, &path);
        }
    }
    // The largest offset the compliance view takes is a sane (empty) page.
    let page = b.get("/compliance?offset=2000000000").await;
    assert_eq!(page.status, 200, "{}", page.body);
}

// Finding 8: a client's request id is echoed only when it is a plain token.
#[tokio::test]
async fn only_well_formed_request_ids_are_kept() {
    let app = spawn_app().await;
    let get = |id: &'static str| {
        let app = &app;
        async move {
            let resp = app
                .client
                .get(format!("{}/healthz", app.base))
                .header("x-request-id", id)
                .send()
                .await
                .expect("sent");
            assert_eq!(resp.status(), 200);
            resp.headers()
                .get("x-request-id")
                .expect("a request id")
                .to_str()
                .expect("ascii")
                .to_owned()
        }
    };
    for good in [
        "abc",
        "req-123_ABC.def",
        "0123456789012345678901234567890123456789012345678901234567890123",
    ] {
        assert_eq!(get(good).await, good);
    }
    let sane = |s: &str| {
        (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    };
    for bad in [
        "abc def",
        "id=forged level=ERROR",
        "\"quoted\"",
        "a\tb",
        "x,y",
        "01234567890123456789012345678901234567890123456789012345678901234",
        "{\"json\":1}",
    ] {
        let echoed = get(bad).await;
        assert_ne!(echoed, bad);
        assert!(sane(&echoed), "{echoed}");
    }
}

/// (subject, text, html) of every mail written so far.
async fn outbox(app: &TestApp) -> Vec<(String, String, String)> {
    use keyward::db::schema::mail_outbox;
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        db.with_conn(|c| {
            mail_outbox::table
                .select((
                    mail_outbox::subject,
                    mail_outbox::body_text,
                    mail_outbox::body_html,
                ))
                .load::<(String, String, String)>(c)
        })
    })
    .await
    .expect("join")
    .expect("conn")
    .expect("outbox")
}

// Finding 9: no security mail carries text someone typed for a factor or an account.
#[tokio::test]
async fn security_mails_describe_factors_by_facts_not_by_their_names() {
    let app = spawn_app().await;
    app.pin_clock_mid_step();
    let evil = "To restore access visit https://evil.example";
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": "victim@example.com", "display_name": format!("Dear customer. {evil}") }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let user = r.body["id"].as_str().expect("id").to_owned();
    let mut factor_ids = Vec::new();
    for name in [evil, "<a href=\"https://evil.example\">Restore</a>"] {
        let (factor, secret, _) = app.enroll_totp(&user, name).await;
        let r = app
            .activate(&user, &factor, &totp_code(&secret, app.now()))
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        factor_ids.push(factor);
        app.pin_clock_after(app.now());
    }
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{user}/factors/{}", factor_ids[0]),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    let mails = outbox(&app).await;
    assert!(mails.len() >= 3, "{}", mails.len());
    for (subject, text, html) in &mails {
        for part in [subject, text, html] {
            for needle in [
                "evil.example",
                "To restore access",
                "Dear customer",
                "Restore</a>",
            ] {
                assert!(!part.contains(needle), "{needle} in: {part}");
            }
        }
        assert!(
            text.contains("Authenticator app") || subject.contains("backup"),
            "{text}"
        );
    }
    // Facts instead: the kind, and the end of the factor's id.
    let (_, text, html) = mails
        .iter()
        .find(|(s, _, _)| s.contains("removed"))
        .expect("the removal mail");
    let tail = &factor_ids[0][factor_ids[0].len() - 4..];
    assert!(text.contains(tail) && html.contains(tail), "{text}");
}

// Finding 10: the portal shows no secret of a pending factor the API started.
#[tokio::test]
async fn the_portal_never_shows_the_secret_of_an_api_started_factor() {
    let app = spawn_app().await;
    let mut b = signed_in_with_sudo(&app, "portal@example.com").await;
    let user = app.get("/api/v1/users?email=portal@example.com").await.body["users"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (factor, secret, answer) = app.enroll_totp(&user, "App from the panel").await;
    let uri = answer["totp"]["otpauth_uri"]
        .as_str()
        .expect("uri")
        .to_owned();
    let grouped: String = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let setup = format!("/settings/factors/{factor}/activate");
    for path in [
        "/settings",
        "/settings/add",
        "/settings/add/totp",
        setup.as_str(),
    ] {
        let page = b.get(path).await;
        assert!(page.status < 500, "{path}: {}", page.status);
        for needle in [
            secret.as_str(),
            grouped.as_str(),
            uri.as_str(),
            "otpauth://",
            "data:image/svg+xml",
        ] {
            assert!(!page.body.contains(needle), "{path} shows {needle}");
        }
    }
    // A wrong code posted to it does not show the setup page either.
    let csrf = crate::portal::csrf_of(&b.get("/settings/add/totp").await.body);
    let page = b.post(&setup, &[("csrf", &csrf), ("code", "000000")]).await;
    assert!(!page.body.contains(&grouped) && !page.body.contains("otpauth://"));
    // The portal's own setup still shows its key.
    let started = b
        .post("/settings/add/totp", &[("csrf", &csrf), ("name", "Mine")])
        .await;
    let own = b.get(&started.location.expect("setup page")).await;
    assert_eq!(own.status, 200);
    assert!(own.body.contains("<code id=\"setup-key\">"), "{}", own.body);
}

// Finding 11: activations and policy changes at once on PostgreSQL: no deadlock, no 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_activations_and_policy_changes_do_not_deadlock() {
    if backend() != "postgres" {
        println!("SKIPPED: row locks matter on PostgreSQL only (SQLite writes one at a time)");
        return;
    }
    let app = spawn_app().await;
    app.pin_clock_mid_step();
    let mut pending = Vec::new();
    for i in 0..40 {
        let user = app.create_user(&format!("race{i}@example.com")).await;
        let (factor, secret, _) = app.enroll_totp(&user, "Phone").await;
        pending.push((user, factor, secret));
    }
    // Alternating `require_two_factor` makes every change rewrite every user's compliance.
    let policy = |grace: i64| {
        json!({"require_two_factor": grace % 2 == 0, "allowed_methods": ["totp", "yubikey_otp", "webauthn"],
            "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false },
            "enrollment_grace_days": grace})
    };
    // A stored policy first: the activations then meet a policy row to lock.
    let r = app
        .request(
            "PUT",
            "/api/v1/policy",
            Some(&app.security_key),
            Some(policy(30)),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let mut tasks = Vec::new();
    let app = std::sync::Arc::new(app);
    for (i, (user, factor, secret)) in pending.into_iter().enumerate() {
        let a = app.clone();
        tasks.push(tokio::spawn(async move {
            let r = a
                .activate(&user, &factor, &totp_code(&secret, a.now()))
                .await;
            (format!("activate {i}"), r.status, r.body)
        }));
        {
            let a = app.clone();
            tasks.push(tokio::spawn(async move {
                let r = a
                    .request(
                        "PUT",
                        "/api/v1/policy",
                        Some(&a.security_key),
                        Some(policy(i as i64 + 1)),
                    )
                    .await;
                (format!("policy {i}"), r.status, r.body)
            }));
        }
    }
    for t in tasks {
        let (what, status, body) = tokio::time::timeout(Duration::from_secs(60), t)
            .await
            .expect("no hang")
            .expect("join");
        if status != 200 {
            let logs = crate::helpers::captured_logs();
            let errors: Vec<&str> = logs.lines().filter(|l| l.contains("ERROR")).collect();
            panic!("{what}: {status} {body:?}\n{errors:#?}");
        }
    }
    assert!(!crate::helpers::captured_logs().contains("deadlock"));
}
