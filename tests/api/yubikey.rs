//! YubiKey OTPs validated against the local inventory, with OTPs from PyPI's `yubiotp`.

use serde_json::json;

use crate::helpers::{TestApp, captured_logs, new_test_key, require_yubiotp, spawn_app, yubiotp};

async fn add_key(app: &TestApp, public: &str, private: &str, aes: &str) -> crate::helpers::Resp {
    app.request(
        "POST",
        "/api/v1/yubikeys",
        Some(&app.security_key),
        Some(json!({ "public_id": public, "private_id": private, "aes_key": aes })),
    )
    .await
}

async fn enroll(app: &TestApp, user: &str, otp: &str) -> crate::helpers::Resp {
    app.post(
        &format!("/api/v1/users/{user}/factors"),
        json!({ "type": "yubikey_otp", "name": "YubiKey 5", "otp": otp }),
    )
    .await
}

#[tokio::test]
async fn the_inventory() {
    let app = spawn_app().await;
    let (public, private, aes) = new_test_key();
    let r = add_key(&app, &public.to_uppercase(), &private, &aes).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["public_id"], public.as_str());
    assert!(r.body["created_at"].is_string());
    assert_eq!(add_key(&app, &public, &private, &aes).await.status, 409);
    for (p, q, k, field) in [
        ("abcdefabcdef", private.as_str(), aes.as_str(), "public_id"),
        ("ccc", private.as_str(), aes.as_str(), "public_id"),
        ("cccccccccccb", "12345", aes.as_str(), "private_id"),
        ("cccccccccccb", private.as_str(), "00", "aes_key"),
        ("cccccccccccb", private.as_str(), &"z".repeat(32), "aes_key"),
    ] {
        let bad = add_key(&app, p, q, k).await;
        assert_eq!(bad.status, 400, "{field}");
        assert!(
            bad.body["error"]["message"]
                .as_str()
                .expect("m")
                .starts_with(field)
        );
    }
    for key in [&app.integration_key, &app.support_key] {
        let r = app
            .request("GET", "/api/v1/yubikeys", Some(key), None)
            .await;
        assert_eq!(r.status, 403);
    }
    let list = app
        .request("GET", "/api/v1/yubikeys", Some(&app.security_key), None)
        .await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["yubikeys"].as_array().map(Vec::len), Some(1));
    assert!(!list.body.to_string().contains(&aes) && !list.body.to_string().contains(&private));
    let del = app
        .request(
            "DELETE",
            &format!("/api/v1/yubikeys/{public}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(del.status, 204);
    let again = app
        .request(
            "DELETE",
            &format!("/api/v1/yubikeys/{public}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn enroll_and_verify_with_increasing_counters() {
    if !require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let (public, private, aes) = new_test_key();
    assert_eq!(add_key(&app, &public, &private, &aes).await.status, 201);
    let user = app.create_user("yk@example.org").await;

    let r = enroll(&app, &user, &yubiotp(&public, &private, &aes, 1, 0)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["factor"]["type"], "yubikey_otp");
    assert_eq!(r.body["factor"]["status"], "active");
    assert_eq!(r.body["factor"]["details"], json!({ "public_id": public }));
    assert_eq!(r.body["backup_codes"].as_array().map(Vec::len), Some(10));
    let factor = r.body["factor"]["id"].as_str().expect("id").to_owned();

    // Touches within one power-up, then a new power-up.
    for (usage, session) in [(1u16, 1u8), (1, 2), (2, 0), (7, 200)] {
        let v = app
            .verify(&user, &yubiotp(&public, &private, &aes, usage, session))
            .await;
        assert_eq!(v.status, 200, "({usage},{session}): {:?}", v.body);
        assert_eq!(
            v.body,
            json!({ "verified": true, "factor_id": factor, "method": "yubikey_otp" })
        );
    }
    // Replayed and older OTPs are refused.
    let last = yubiotp(&public, &private, &aes, 8, 0);
    assert_eq!(app.verify(&user, &last).await.status, 200);
    assert_eq!(app.verify(&user, &last).await.status, 422, "replay");
    assert_eq!(
        app.verify(&user, &yubiotp(&public, &private, &aes, 7, 255))
            .await
            .status,
        422,
        "older"
    );
    let events = app
        .get(&format!(
            "/api/v1/audit?user_id={user}&event=verify.replay_rejected"
        ))
        .await;
    assert_eq!(events.body["events"].as_array().map(Vec::len), Some(2));
    // Method restriction.
    let wrong_method = app
        .post(
            &format!("/api/v1/users/{user}/verify"),
            json!({ "code": yubiotp(&public, &private, &aes, 9, 0), "method": "totp" }),
        )
        .await;
    assert_eq!(wrong_method.status, 422);
    let right_method = app
        .post(
            &format!("/api/v1/users/{user}/verify"),
            json!({ "code": yubiotp(&public, &private, &aes, 9, 1), "method": "yubikey_otp" }),
        )
        .await;
    assert_eq!(right_method.status, 200);
}

#[tokio::test]
async fn concurrent_requests_with_one_otp_succeed_once() {
    if !require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let (public, private, aes) = new_test_key();
    add_key(&app, &public, &private, &aes).await;
    let user = app.create_user("race@example.org").await;
    assert_eq!(
        enroll(&app, &user, &yubiotp(&public, &private, &aes, 1, 0))
            .await
            .status,
        201
    );
    let otp = yubiotp(&public, &private, &aes, 2, 0);
    let results = futures::future::join_all((0..16).map(|_| app.verify(&user, &otp))).await;
    let ok = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn refusals() {
    if !require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let (public, private, aes) = new_test_key();
    add_key(&app, &public, &private, &aes).await;
    let ann = app.create_user("ann@example.org").await;
    let bob = app.create_user("bob@example.org").await;

    // Not in the inventory (and no validation server configured).
    let (other_pub, other_priv, other_aes) = new_test_key();
    let unknown = enroll(
        &app,
        &ann,
        &yubiotp(&other_pub, &other_priv, &other_aes, 1, 0),
    )
    .await;
    assert_eq!(unknown.status, 400, "{:?}", unknown.body);
    // Encrypted under another key: the CRC does not match.
    let bad_crc = enroll(&app, &ann, &yubiotp(&public, &private, &other_aes, 1, 0)).await;
    assert_eq!(bad_crc.status, 422);
    // The right key but another private id.
    let bad_pid = enroll(&app, &ann, &yubiotp(&public, &other_priv, &aes, 1, 0)).await;
    assert_eq!(bad_pid.status, 422);
    // Malformed OTPs.
    for otp in [
        "cccccc",
        &"c".repeat(50),
        "ccccccccccccbdefghijklnrtuvxyzabcdefghijklmn",
        &format!("{public}!{}", "c".repeat(31)),
    ] {
        assert_eq!(enroll(&app, &ann, otp).await.status, 400, "{otp}");
    }
    let events = app
        .get(&format!(
            "/api/v1/audit?user_id={ann}&event=factor.activation_failed"
        ))
        .await;
    let reasons: Vec<&str> = events.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["details"]["reason"].as_str().unwrap_or(""))
        .collect();
    assert!(
        reasons.contains(&"bad_crc") && reasons.contains(&"wrong_private_id"),
        "{reasons:?}"
    );

    // Bound to Ann: Bob cannot take it.
    assert_eq!(
        enroll(&app, &ann, &yubiotp(&public, &private, &aes, 1, 0))
            .await
            .status,
        201
    );
    let taken = enroll(&app, &bob, &yubiotp(&public, &private, &aes, 2, 0)).await;
    assert_eq!(taken.status, 409);
    assert_eq!(taken.error_code(), "conflict");
    let twice = enroll(&app, &ann, &yubiotp(&public, &private, &aes, 3, 0)).await;
    assert_eq!(twice.status, 409);
    // Ann's OTP does not verify Bob.
    assert_eq!(
        app.verify(&bob, &yubiotp(&public, &private, &aes, 4, 0))
            .await
            .status,
        409,
        "bob has no factor"
    );

    // Removed from the inventory: stops validating at once.
    assert_eq!(
        app.verify(&ann, &yubiotp(&public, &private, &aes, 5, 0))
            .await
            .status,
        200
    );
    let del = app
        .request(
            "DELETE",
            &format!("/api/v1/yubikeys/{public}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(del.status, 204);
    let after = app
        .verify(&ann, &yubiotp(&public, &private, &aes, 6, 0))
        .await;
    assert_eq!(after.status, 422);
    let failed = app
        .get(&format!(
            "/api/v1/audit?user_id={ann}&event=verify.failed&limit=1"
        ))
        .await;
    assert_eq!(
        failed.body["events"][0]["details"]["detail"],
        "not_in_inventory"
    );

    // The AES key and private id never reach the logs or the audit log.
    let export = String::from_utf8_lossy(&app.cli(&["audit", "export"]).stdout).into_owned();
    for secret in [&aes, &private] {
        assert!(!captured_logs().contains(secret.as_str()));
        assert!(!export.contains(secret.as_str()));
    }
}

#[tokio::test]
async fn import_from_programming_tool_logs() {
    if !require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let (p1, q1, k1) = new_test_key();
    let (p2, q2, k2) = new_test_key();
    let (p3, q3, k3) = new_test_key();
    let good = format!(
        "LOGGING START,12/11/2013 11:10 AM\n\
         Yubico OTP,12/11/2013 11:10 AM,1,{p1},{q1},{k1},,,0,0,0,0,0,0,0,0,0,0\n\
         OATH-HOTP,12/11/2013 11:12 AM,2,,,2b7e151628aed2a6abf7158809cf4f3c2b7e1516,,,0,0,0,0,0,0,0,0,0,0\n\
         4711,{p2},{q2},{k2},,2019-06-10T14:09:28,\n"
    );
    let broken =
        format!("4712,{p3},{q3},{k3},,2019-06-10T14:09:28,\n4713,{p3},zz,{k3},,x,\nnonsense\n");
    let good_path = app.dir.path().join("keys.csv");
    let broken_path = app.dir.path().join("broken.csv");
    std::fs::write(&good_path, good).expect("write");
    std::fs::write(&broken_path, broken).expect("write");

    let out = app.cli(&["yubikey", "import", broken_path.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2: private_id")
            && err.contains("line 3:")
            && err.contains("nothing was imported"),
        "{err}"
    );
    assert!(!err.contains(&k3), "no key material in messages");
    let list = app
        .request("GET", "/api/v1/yubikeys", Some(&app.security_key), None)
        .await;
    assert_eq!(list.body["yubikeys"], json!([]), "all or nothing");

    let out = app.cli(&["yubikey", "import", good_path.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "imported 2 key(s)"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3: skipped"));
    // Importing the same file again conflicts and changes nothing.
    let again = app.cli(&["yubikey", "import", good_path.to_str().expect("path")]);
    assert_eq!(again.status.code(), Some(1));

    // An imported key works.
    let user = app.create_user("imported@example.org").await;
    assert_eq!(
        enroll(&app, &user, &yubiotp(&p2, &q2, &k2, 3, 0))
            .await
            .status,
        201
    );
    let list = app
        .request("GET", "/api/v1/yubikeys", Some(&app.security_key), None)
        .await;
    let keys = list.body["yubikeys"].as_array().expect("keys");
    assert_eq!(keys.len(), 2);
    assert!(
        keys.iter()
            .any(|k| k["public_id"] == p2.as_str() && k["user_id"] == user.as_str())
    );
}

#[tokio::test]
async fn a_key_registered_again_does_not_accept_its_old_otps() {
    if !require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let (public, private, aes) = new_test_key();
    add_key(&app, &public, &private, &aes).await;
    let user = app.create_user("again@example.org").await;
    assert_eq!(
        enroll(&app, &user, &yubiotp(&public, &private, &aes, 5, 0))
            .await
            .status,
        201
    );
    let old = yubiotp(&public, &private, &aes, 4, 9);
    let del = app
        .request(
            "DELETE",
            &format!("/api/v1/yubikeys/{public}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(del.status, 204);
    assert_eq!(
        add_key(&app, &public, &private, &aes).await.status,
        201,
        "the same key can be registered again"
    );
    assert_eq!(
        app.verify(&user, &old).await.status,
        422,
        "an OTP older than the last one seen stays refused"
    );
    assert_eq!(
        app.verify(&user, &yubiotp(&public, &private, &aes, 5, 1))
            .await
            .status,
        200
    );
    // Reprogrammed with a new AES key: its counters start afresh.
    app.request(
        "DELETE",
        &format!("/api/v1/yubikeys/{public}"),
        Some(&app.security_key),
        None,
    )
    .await;
    let (_, _, new_aes) = new_test_key();
    assert_eq!(add_key(&app, &public, &private, &new_aes).await.status, 201);
    assert_eq!(
        app.verify(&user, &yubiotp(&public, &private, &new_aes, 1, 0))
            .await
            .status,
        200
    );
}
