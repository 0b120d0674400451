//! Keyward's `/wsapi/2.0/verify` answering PyPI's yubico-client, a YubiCloud-protocol client
//! no one here wrote, with OTPs from PyPI's yubiotp.

use std::process::Command;

use serde_json::json;

use crate::helpers::{
    TestApp, new_test_key, require_python_module, require_yubiotp, spawn_app, yubiotp,
};

fn client(
    app: &TestApp,
    id: &str,
    secret: &str,
    otp: &str,
    mode: &str,
    nonce: Option<&str>,
) -> String {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/peers/yubico_client_check.py"
    );
    let url = format!("{}/wsapi/2.0/verify", app.base);
    let mut args = vec![script, id, secret, url.as_str(), otp, mode];
    if let Some(n) = nonce {
        args.push(n);
    }
    let out = Command::new("python3")
        .args(&args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A validation client from the CLI, and a key in the inventory.
async fn setup(app: &TestApp) -> (String, String, (String, String, String)) {
    let out = app.cli(&["yubikey", "client", "create", "yubico-pam on mail1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf8");
    let mut lines = text.lines();
    let id = lines.next().expect("id line").to_owned();
    let secret = lines.next().expect("secret line").to_owned();
    assert!(id.parse::<u32>().is_ok(), "{id}");
    let key = new_test_key();
    let r = app
        .request(
            "POST",
            "/api/v1/yubikeys",
            Some(&app.security_key),
            Some(json!({ "public_id": key.0, "private_id": key.1, "aes_key": key.2 })),
        )
        .await;
    assert_eq!(r.status, 201);
    (id, secret, key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_client_gets_each_status_when_due_and_accepts_the_signatures() {
    if !(require_yubiotp() && require_python_module("yubico_client", "yubico-client")) {
        return;
    }
    let app = spawn_app().await;
    let (id, secret, (public, private, aes)) = setup(&app).await;

    // The client's own verify(): OK, then the same OTP is a replay.
    let otp = yubiotp(&public, &private, &aes, 1, 0);
    assert_eq!(client(&app, &id, &secret, &otp, "verify", None), "OK");
    assert_eq!(
        client(&app, &id, &secret, &otp, "verify", None),
        "StatusCodeError",
        "REPLAYED_OTP raises"
    );

    // Each status, with the client checking the answer's signature.
    let fresh = yubiotp(&public, &private, &aes, 1, 1);
    assert_eq!(
        client(
            &app,
            &id,
            &secret,
            &fresh,
            "status",
            Some("nonce0first0try0abcdef")
        ),
        "OK accepted"
    );
    assert_eq!(
        client(
            &app,
            &id,
            &secret,
            &fresh,
            "status",
            Some("nonce0first0try0abcdef")
        ),
        "REPLAYED_REQUEST accepted"
    );
    assert_eq!(
        client(
            &app,
            &id,
            &secret,
            &fresh,
            "status",
            Some("nonce0other0try0abcdef")
        ),
        "REPLAYED_OTP accepted"
    );
    let older = yubiotp(&public, &private, &aes, 1, 0);
    assert_eq!(
        client(&app, &id, &secret, &older, "status", None),
        "REPLAYED_OTP accepted"
    );
    let (_, _, other_aes) = new_test_key();
    let wrong_key = yubiotp(&public, &private, &other_aes, 2, 0);
    assert_eq!(
        client(&app, &id, &secret, &wrong_key, "status", None),
        "BAD_OTP accepted"
    );
    let (unknown_pub, unknown_priv, unknown_aes) = new_test_key();
    let unknown = yubiotp(&unknown_pub, &unknown_priv, &unknown_aes, 1, 0);
    assert_eq!(
        client(&app, &id, &secret, &unknown, "status", None),
        "BAD_OTP accepted"
    );
    let next = yubiotp(&public, &private, &aes, 2, 0);
    assert_eq!(
        client(&app, &id, &secret, &next, "tampered", None),
        "BAD_SIGNATURE accepted"
    );
    // The tampered request did not use the OTP up.
    assert_eq!(
        client(&app, &id, &secret, &next, "status", None),
        "OK accepted"
    );

    // A client with the wrong secret: its request is refused, and it refuses our answer's signature.
    let wrong_secret = "bm90IHRoZSByaWdodCBzZWNyZXQ=";
    let later = yubiotp(&public, &private, &aes, 3, 0);
    assert_eq!(
        client(&app, &id, wrong_secret, &later, "status", None),
        "BAD_SIGNATURE rejected"
    );
    assert_eq!(
        client(&app, "999", &secret, &later, "status", None),
        "NO_SUCH_CLIENT rejected"
    );

    // Every signed call whose OTP was judged is audited, with the client as the actor; a bad
    // signature or an unknown client proves nothing and writes nothing.
    let events = app
        .request(
            "GET",
            "/api/v1/audit?event=wsapi.verify&limit=100",
            Some(&app.support_key),
            None,
        )
        .await;
    let events = events.body["events"].as_array().expect("events");
    let statuses: Vec<&str> = events
        .iter()
        .map(|e| e["details"]["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses.len(), 9, "{statuses:?}");
    for s in ["OK", "REPLAYED_OTP", "REPLAYED_REQUEST", "BAD_OTP"] {
        assert!(statuses.contains(&s), "{s} not audited: {statuses:?}");
    }
    for s in ["BAD_SIGNATURE", "NO_SUCH_CLIENT"] {
        assert!(!statuses.contains(&s), "{s} audited: {statuses:?}");
    }
    for e in events {
        assert_eq!(e["actor"]["id"], format!("wsapi_client_{id}"));
        assert_eq!(e["details"]["signed"], true);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_and_injection() {
    let app = spawn_app().await;
    let (id, _, _) = setup(&app).await;
    for query in [
        "".to_owned(),
        "id=abc&otp=x&nonce=y".to_owned(),
        format!("id={id}&nonce=abcdefghijklmnopqr"),
        format!("id={id}&otp=cccccccccccccccccccccccccccccccccccccccccccc&nonce=short"),
        format!("id={id}&otp=x%0D%0Astatus%3DOK&nonce=abcdefghijklmnopqr"),
        format!("id={id}&otp=%FF%FE&nonce=abcdefghijklmnopqr"),
    ] {
        let resp = app
            .client
            .get(format!("{}/wsapi/2.0/verify?{query}", app.base))
            .send()
            .await
            .expect("sent");
        assert_eq!(resp.status(), 200, "{query}");
        let body = resp.text().await.expect("text");
        let statuses: Vec<&str> = body.lines().filter(|l| l.starts_with("status=")).collect();
        assert_eq!(
            statuses.len(),
            1,
            "exactly one status line for {query}: {body}"
        );
        assert_ne!(statuses[0], "status=OK", "{query}: {body}");
        assert!(body.starts_with("h="), "{body}");
    }
}
