//! Master key rotation with the server running: `keyward keys rotate`, `list`, `reseal`,
//! `retire`. Every kind of sealed secret keeps working on the running server and after a
//! restart, and backup codes (hashed under a key's pepper) survive the key's retirement.

use serde_json::{Value, json};

use crate::helpers::{TestApp, new_test_key, require_yubiotp, spawn_app, totp_code, yubiotp};

fn cli_ok(app: &TestApp, args: &[&str]) -> String {
    let out = app.cli(args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf8")
}

/// `keyward keys list` as (id, state, sealed, peppered).
fn key_list(app: &TestApp) -> Vec<(String, String, i64, i64)> {
    cli_ok(app, &["keys", "list"])
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "{l}");
            let n = |s: &str, suffix: &str| {
                s.strip_suffix(suffix)
                    .and_then(|v| v.parse::<i64>().ok())
                    .unwrap_or_else(|| panic!("{l}"))
            };
            (
                f[0].to_owned(),
                f[1].to_owned(),
                n(f[2], " sealed"),
                n(f[3], " peppered"),
            )
        })
        .collect()
}

async fn events(app: &TestApp, event: &str) -> Vec<Value> {
    let r = app
        .request(
            "GET",
            &format!("/api/v1/audit?event={event}"),
            Some(&app.support_key),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    r.body["events"].as_array().expect("events").clone()
}

/// A signed `/wsapi/2.0/verify` answer for client `id`, checked with its secret.
async fn wsapi_status(app: &TestApp, base: &str, id: &str, secret: &str, otp: &str) -> String {
    let body = app
        .client
        .get(format!(
            "{base}/wsapi/2.0/verify?id={id}&otp={otp}&nonce=abcdefghijklmnopqrstu"
        ))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    let params: Vec<(String, String)> = body
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let h = params
        .iter()
        .find(|(k, _)| k == "h")
        .map(|(_, v)| v.clone())
        .expect("h");
    let key = keyward::domain::yubicloud::decode_secret(secret).expect("secret");
    assert!(
        keyward::domain::yubicloud::signature_matches(&params, &key, &h),
        "the answer is signed with the client's secret: {body}"
    );
    params
        .iter()
        .find(|(k, _)| k == "status")
        .map(|(_, v)| v.clone())
        .expect("status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_while_serving_then_retire_and_restart() {
    if !require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let t0 = app.pin_clock_mid_step();
    // A TOTP user with backup codes, a YubiKey from the inventory enrolled for another user,
    // and a validation-server client.
    let (totp_user, _, secret, codes) = app.user_with_totp("rot-totp@example.org").await;
    let (public, private, aes) = new_test_key();
    let r = app
        .request(
            "POST",
            "/api/v1/yubikeys",
            Some(&app.security_key),
            Some(json!({ "public_id": public, "private_id": private, "aes_key": aes })),
        )
        .await;
    assert_eq!(r.status, 201);
    let yk_user = app.create_user("rot-yk@example.org").await;
    let r = app
        .post(
            &format!("/api/v1/users/{yk_user}/factors"),
            json!({ "type": "yubikey_otp", "name": "YubiKey", "otp": yubiotp(&public, &private, &aes, 1, 0) }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let client = cli_ok(&app, &["yubikey", "client", "create", "pam"]);
    let mut lines = client.lines();
    let (client_id, client_secret) = (
        lines.next().expect("id").to_owned(),
        lines.next().expect("secret").to_owned(),
    );

    let before = key_list(&app);
    assert_eq!(before.len(), 1, "{before:?}");
    let old = before[0].0.clone();
    // TOTP seed, YubiKey AES key, client secret; two sets of backup codes and the report links
    // of the security mails are hashed under its pepper.
    assert_eq!((before[0].1.as_str(), before[0].2), ("current", 3));
    assert!(before[0].3 >= 20, "{before:?}");
    let sealed = |list: &[(String, String, i64, i64)], id: &str| {
        list.iter()
            .find(|k| k.0 == id)
            .map(|k| (k.1.clone(), k.2))
            .unwrap_or_else(|| panic!("{id} not in {list:?}"))
    };

    let out = cli_ok(&app, &["keys", "rotate"]);
    assert_eq!(
        out.lines().count(),
        1,
        "one summary line off a terminal: {out}"
    );
    assert!(
        out.starts_with("re-sealed 3 secret(s) under master key "),
        "{out}"
    );
    let after = key_list(&app);
    let new = after
        .iter()
        .find(|k| k.1 == "current")
        .expect("a current key")
        .0
        .clone();
    assert!(out.contains(&new));
    assert_ne!(new, old);
    assert_eq!(sealed(&after, &old), ("old".into(), 0));
    // The three re-sealed secrets, and the new ID-token signing key sealed by it.
    assert_eq!(sealed(&after, &new), ("current".into(), 4));
    let text = std::fs::read_to_string(app.dir.path().join("data/master.key")).expect("key file");
    for secret_text in [&secret, &aes, &private, &client_secret] {
        assert!(!out.contains(secret_text.as_str()) && !text.contains(secret_text.as_str()));
    }

    // The running server (loaded before the rotation) opens what was re-sealed...
    let t1 = app.pin_clock_after(t0);
    let r = app.verify(&totp_user, &totp_code(&secret, t1)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app
        .verify(&yk_user, &yubiotp(&public, &private, &aes, 2, 0))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["method"], "yubikey_otp");
    let r = app.verify(&totp_user, &codes[0]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        wsapi_status(
            &app,
            &app.base,
            &client_id,
            &client_secret,
            &yubiotp(&public, &private, &aes, 3, 0)
        )
        .await,
        "OK"
    );
    // ...and seals new secrets with the new key.
    let (_, _, _) = app.enroll_totp(&totp_user, "Second phone").await;
    let r = app
        .post(&format!("/api/v1/users/{yk_user}/backup-codes"), json!({}))
        .await;
    assert_eq!(r.status, 201);
    let yk_codes: Vec<String> = r.body["backup_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    let listed = key_list(&app);
    // (+1: the new ID-token signing key.)
    assert_eq!(sealed(&listed, &new), ("current".into(), 5));
    assert_eq!(sealed(&listed, &old), ("old".into(), 0));
    assert!(
        listed.iter().all(|k| k.3 > 0),
        "both keys pepper something: {listed:?}"
    );

    // Retiring: never the current key; the old one now that it seals nothing.
    let refused = app.cli(&["keys", "retire", &new]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("seals new secrets"));
    let unknown = app.cli(&["keys", "retire", "knothere"]);
    assert_eq!(unknown.status.code(), Some(1));
    cli_ok(&app, &["keys", "retire", &old]);
    let text = std::fs::read_to_string(app.dir.path().join("data/master.key")).expect("key file");
    assert!(
        !text.lines().any(|l| l.starts_with(&format!("{old} "))),
        "the key is gone"
    );
    let listed = key_list(&app);
    assert_eq!(sealed(&listed, &old), ("retired".into(), 0));

    // Backup codes hashed under the retired key's pepper still work, on this server...
    let r = app.verify(&totp_user, &codes[1]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app.verify(&yk_user, &yk_codes[0]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    // ...and on a freshly started instance (the start-up check accepts the key file).
    let restarted = app.spawn_sibling().await;
    let at = |path: String, body: Value| {
        app.client
            .post(format!("{}{path}", restarted.base))
            .bearer_auth(&app.integration_key)
            .json(&body)
    };
    let t2 = app.pin_clock_after(t1);
    let _ = t2;
    let r = at(
        format!("/api/v1/users/{totp_user}/verify"),
        json!({ "code": codes[2] }),
    )
    .send()
    .await
    .expect("sent");
    assert_eq!(r.status(), 200);
    let r = at(
        format!("/api/v1/users/{yk_user}/verify"),
        json!({ "code": yubiotp(&public, &private, &aes, 4, 0) }),
    )
    .send()
    .await
    .expect("sent");
    assert_eq!(r.status(), 200);
    let r = at(
        format!("/api/v1/users/{totp_user}/verify"),
        json!({ "code": totp_code(&secret, chrono::Utc::now().timestamp() + 90) }),
    )
    .send()
    .await
    .expect("sent");
    // The sibling runs on the system clock: a code two steps ahead is outside ±1 step, so
    // this proves only that the seed opened (a refusal, not a server error).
    assert_eq!(r.status(), 422);
    assert_eq!(
        wsapi_status(
            &app,
            &restarted.base,
            &client_id,
            &client_secret,
            &yubiotp(&public, &private, &aes, 5, 0)
        )
        .await,
        "OK"
    );

    let rotated = events(&app, "keys.rotated").await;
    assert_eq!(rotated.len(), 1);
    assert_eq!(rotated[0]["details"]["key_id"], new.as_str());
    assert_eq!(rotated[0]["details"]["resealed"], 3);
    let retired = events(&app, "keys.retired").await;
    assert_eq!(retired.len(), 1);
    assert_eq!(retired[0]["details"]["key_id"], old.as_str());
    assert_eq!(retired[0]["actor"]["type"], "support");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retire_refuses_while_the_key_seals_something() {
    let app = spawn_app().await;
    app.pin_clock_mid_step();
    let (user, _, secret, _) = app.user_with_totp("rot-refuse@example.org").await;
    let old = key_list(&app)[0].0.clone();
    let out = cli_ok(&app, &["keys", "rotate", "--no-reseal"]);
    assert!(
        out.contains("1 secret(s) are still sealed by older keys"),
        "{out}"
    );
    let refused = app.cli(&["keys", "retire", &old]);
    assert_eq!(refused.status.code(), Some(1));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains(&format!("{old} still seals 1 secret(s)")),
        "{why}"
    );
    let text = std::fs::read_to_string(app.dir.path().join("data/master.key")).expect("key file");
    assert!(
        text.lines().any(|l| l.starts_with(&format!("{old} "))),
        "nothing was removed"
    );
    assert!(events(&app, "keys.retired").await.is_empty());

    let out = cli_ok(&app, &["keys", "reseal"]);
    assert!(out.starts_with("re-sealed 1 secret(s)"), "{out}");
    let again = cli_ok(&app, &["keys", "reseal"]);
    assert!(again.starts_with("re-sealed 0 secret(s)"), "{again}");
    cli_ok(&app, &["keys", "retire", &old]);
    let t = app.pin_clock_after(app.now());
    let r = app.verify(&user, &totp_code(&secret, t)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotation_in_batches_reseals_every_row() {
    let app = spawn_app().await;
    app.pin_clock_mid_step();
    // More pending enrollments than one batch holds (20 per user at most).
    let n = keyward::services::keys::BATCH as usize + 20;
    let mut user = String::new();
    for i in 0..n {
        if i % 20 == 0 {
            user = app.create_user(&format!("rot-many-{i}@example.org")).await;
        }
        app.enroll_totp(&user, &format!("Phone {i}")).await;
    }
    let out = cli_ok(&app, &["keys", "rotate"]);
    assert!(
        out.starts_with(&format!("re-sealed {n} secret(s)")),
        "{out}"
    );
    let list = key_list(&app);
    // The TOTP seeds, and the ID-token signing key the rotation made.
    assert_eq!(list.iter().map(|k| k.2).sum::<i64>(), n as i64 + 1);
    assert_eq!(
        list.iter().find(|k| k.1 == "current").map(|k| k.2),
        Some(n as i64 + 1)
    );
}
