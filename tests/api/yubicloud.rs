//! Keys that are not in the inventory, validated through YubiCloud-protocol servers with the
//! yubico_ng crate: another Keyward instance's /wsapi/2.0/verify as a real protocol server, and
//! a small in-test server for the answers a real one cannot be made to give on demand.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use serde_json::json;

use crate::helpers::{
    TestApp, new_test_key, require_yubiotp, spawn_app, spawn_app_with, totp_code, yubiotp,
};

async fn add_key(app: &TestApp, key: &(String, String, String)) {
    let r = app
        .request(
            "POST",
            "/api/v1/yubikeys",
            Some(&app.security_key),
            Some(json!({ "public_id": key.0, "private_id": key.1, "aes_key": key.2 })),
        )
        .await;
    assert_eq!(r.status, 201);
}

async fn enroll(app: &TestApp, user: &str, otp: &str) -> crate::helpers::Resp {
    app.post(
        &format!("/api/v1/users/{user}/factors"),
        json!({ "type": "yubikey_otp", "name": "Key", "otp": otp }),
    )
    .await
}

fn validation_client(server: &TestApp) -> (String, String) {
    let out = server.cli(&["yubikey", "client", "create", "keyward b"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    let mut l = text.lines();
    (
        l.next().expect("id").to_owned(),
        l.next().expect("secret").to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_a_real_protocol_server() {
    if !require_yubiotp() {
        return;
    }
    // Keyward A holds the key in its inventory and serves the protocol.
    let a = spawn_app().await;
    let key = new_test_key();
    add_key(&a, &key).await;
    let (id, secret) = validation_client(&a);
    // Keyward B does not have the key: it asks A.
    let url = format!("{}/wsapi/2.0/verify", a.base);
    let b = spawn_app_with(&[
        ("KEYWARD_YUBICO_CLIENT_ID", &id),
        ("KEYWARD_YUBICO_SECRET_KEY", &secret),
        ("KEYWARD_YUBICO_API_URLS", &url),
    ])
    .await;
    let (public, private, aes) = &key;
    let user = b.create_user("cloud@example.org").await;
    let r = enroll(&b, &user, &yubiotp(public, private, aes, 1, 0)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["factor"]["details"]["public_id"], public.as_str());

    let otp = yubiotp(public, private, aes, 1, 1);
    let ok = b.verify(&user, &otp).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    assert_eq!(ok.body["method"], "yubikey_otp");
    // A replay: A answers REPLAYED_OTP.
    let replay = b.verify(&user, &otp).await;
    assert_eq!(replay.status, 422);
    // Encrypted under another key: A answers BAD_OTP.
    let (_, _, other_aes) = new_test_key();
    assert_eq!(
        b.verify(&user, &yubiotp(public, private, &other_aes, 2, 0))
            .await
            .status,
        422
    );
    let events = b
        .get(&format!("/api/v1/audit?user_id={user}&limit=10"))
        .await;
    let details: Vec<String> = events.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["event"] != "verify.succeeded")
        .map(|e| e["details"]["detail"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(
        details.contains(&"replayed_otp".to_owned()) && details.contains(&"bad_otp".to_owned()),
        "{details:?}"
    );
    // A audited every call it answered.
    let calls = a
        .request(
            "GET",
            "/api/v1/audit?event=wsapi.verify",
            Some(&a.support_key),
            None,
        )
        .await;
    assert_eq!(calls.body["events"].as_array().map(Vec::len), Some(4));
}

#[derive(Clone)]
struct Fake {
    key: Vec<u8>,
    mode: Arc<Mutex<&'static str>>,
}

async fn fake_verify(State(f): State<Fake>, Query(q): Query<HashMap<String, String>>) -> String {
    let mode = *f.mode.lock().expect("lock");
    if mode == "slow" {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    let status = match mode {
        "ok" | "forged" => "OK",
        "bad_signature" => "BAD_SIGNATURE",
        "backend_error" => "BACKEND_ERROR",
        _ => "OK",
    };
    let mut fields: Vec<(String, String)> = vec![
        ("t".into(), "2026-11-22T10:00:00Z0000".into()),
        ("otp".into(), q.get("otp").cloned().unwrap_or_default()),
        ("nonce".into(), q.get("nonce").cloned().unwrap_or_default()),
        ("sl".into(), "100".into()),
        ("status".into(), status.into()),
    ];
    let key = if mode == "forged" {
        b"an attacker's key!!!".to_vec()
    } else {
        f.key.clone()
    };
    let h = keyward::domain::yubicloud::sign(&fields, &key);
    fields.insert(0, ("h".into(), h));
    fields.iter().map(|(k, v)| format!("{k}={v}\r\n")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_timeouts_and_unreachable_servers() {
    if !require_yubiotp() {
        return;
    }
    let secret = keyward::domain::yubicloud::new_client_secret();
    let fake = Fake {
        key: keyward::domain::yubicloud::decode_secret(&secret).expect("secret"),
        mode: Arc::new(Mutex::new("ok")),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let fake_url = format!(
        "http://{}/wsapi/2.0/verify",
        listener.local_addr().expect("addr")
    );
    let router = axum::Router::new()
        .route("/wsapi/2.0/verify", axum::routing::get(fake_verify))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let b = spawn_app_with(&[
        ("KEYWARD_YUBICO_CLIENT_ID", "42"),
        ("KEYWARD_YUBICO_SECRET_KEY", &secret),
        ("KEYWARD_YUBICO_API_URLS", &fake_url),
        ("KEYWARD_YUBICO_TIMEOUT_SECONDS", "1"),
        ("KEYWARD_LOCKOUT_SECONDS", "60"),
    ])
    .await;
    let (public, private, aes) = new_test_key();
    let user = b.create_user("fake@example.org").await;
    assert_eq!(
        enroll(&b, &user, &yubiotp(&public, &private, &aes, 1, 0))
            .await
            .status,
        201
    );

    // Server trouble is never the user's failure: 503, audited, and no lockout after six.
    for mode in [
        "bad_signature",
        "forged",
        "backend_error",
        "slow",
        "bad_signature",
        "backend_error",
    ] {
        *fake.mode.lock().expect("lock") = mode;
        let r = b
            .verify(&user, &yubiotp(&public, &private, &aes, 2, 0))
            .await;
        assert_eq!(r.status, 503, "{mode}: {:?}", r.body);
        assert_eq!(r.error_code(), "unavailable");
        assert_eq!(
            r.body["error"]["message"],
            "the YubiKey service is unavailable, try again"
        );
    }
    let failed = b
        .get(&format!(
            "/api/v1/audit?user_id={user}&event=verify.failed&limit=100"
        ))
        .await;
    let details: Vec<String> = failed.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["details"]["detail"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(details.len(), 6);
    assert!(
        details.iter().any(|d| d.contains("BAD_SIGNATURE")),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.contains("signature is wrong")),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.contains("BACKEND_ERROR")),
        "{details:?}"
    );
    assert!(
        details
            .iter()
            .any(|d| d.contains("timed out") || d.contains("could not be reached")),
        "{details:?}"
    );

    // A slow server holds only its own request: a TOTP user is served meanwhile.
    let (totp_user, _, totp_secret, _) = b.user_with_totp("fast@example.org").await;
    b.clock.advance(chrono::Duration::seconds(60));
    *fake.mode.lock().expect("lock") = "slow";
    let slow_otp = yubiotp(&public, &private, &aes, 3, 0);
    let slow = b.verify(&user, &slow_otp);
    let quick = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = Instant::now();
        let r = b
            .verify(&totp_user, &totp_code(&totp_secret, b.now()))
            .await;
        (r.status, started.elapsed())
    };
    let (slow_r, (quick_status, quick_took)) = tokio::join!(slow, quick);
    assert_eq!(slow_r.status, 503);
    assert_eq!(quick_status, 200);
    assert!(
        quick_took < Duration::from_millis(900),
        "the TOTP verification waited {quick_took:?}"
    );

    // Back to normal: accepted.
    *fake.mode.lock().expect("lock") = "ok";
    assert_eq!(
        b.verify(&user, &yubiotp(&public, &private, &aes, 4, 0))
            .await
            .status,
        200
    );

    // An unreachable server.
    let unreachable = spawn_app_with(&[
        ("KEYWARD_YUBICO_CLIENT_ID", "42"),
        ("KEYWARD_YUBICO_SECRET_KEY", &secret),
        (
            "KEYWARD_YUBICO_API_URLS",
            "http://127.0.0.1:9/wsapi/2.0/verify",
        ),
        ("KEYWARD_YUBICO_TIMEOUT_SECONDS", "1"),
    ])
    .await;
    let u = unreachable.create_user("nowhere@example.org").await;
    let r = enroll(&unreachable, &u, &yubiotp(&public, &private, &aes, 9, 0)).await;
    assert_eq!(r.status, 503, "{:?}", r.body);
    let events = unreachable
        .get(&format!(
            "/api/v1/audit?user_id={u}&event=factor.activation_failed"
        ))
        .await;
    assert_eq!(
        events.body["events"][0]["details"]["reason"],
        "validation_service_unavailable"
    );
}

#[test]
fn validation_settings_are_checked_at_start() {
    use keyward::config::Settings;
    let vars = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let good = keyward::domain::yubicloud::new_client_secret();
    assert!(Settings::from_vars(&vars(&[("KEYWARD_YUBICO_CLIENT_ID", "1")])).is_err());
    assert!(Settings::from_vars(&vars(&[("KEYWARD_YUBICO_SECRET_KEY", &good)])).is_err());
    assert!(
        Settings::from_vars(&vars(&[
            ("KEYWARD_YUBICO_CLIENT_ID", "1"),
            ("KEYWARD_YUBICO_SECRET_KEY", "c2hvcnQ=")
        ]))
        .is_err()
    );
    assert!(
        Settings::from_vars(&vars(&[(
            "KEYWARD_YUBICO_API_URLS",
            "https://x.org/wsapi/2.0/verify"
        )]))
        .is_err()
    );
    let no_servers = vars(&[
        ("KEYWARD_YUBICO_CLIENT_ID", "1"),
        ("KEYWARD_YUBICO_SECRET_KEY", &good),
        ("KEYWARD_YUBICO_API_URLS", ","),
    ]);
    assert!(Settings::from_vars(&no_servers).is_err());
    let s = Settings::from_vars(&vars(&[
        ("KEYWARD_YUBICO_CLIENT_ID", "1"),
        ("KEYWARD_YUBICO_SECRET_KEY", &good),
    ]))
    .expect("ok");
    assert_eq!(
        s.yubicloud.api_urls()[0].as_str(),
        "https://api.yubico.com/wsapi/2.0/verify"
    );
    assert!(!format!("{s:?}").contains(&good));
}

/// Debian's yubiserver 0.6, a YubiCloud-compatible validation server, started on a loopback port.
struct Yubiserver {
    _dir: tempfile::TempDir,
    pid: String,
    url: String,
    client_id: String,
    secret: String,
}

impl Drop for Yubiserver {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill").arg(&self.pid).status();
    }
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn start_yubiserver(key: &(String, String, String)) -> Yubiserver {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("path").to_owned();
    let shim = format!("{d}/loopback_bind.so");
    run(
        "gcc",
        &[
            "-shared",
            "-fPIC",
            "-O2",
            "-o",
            &shim,
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/loopback_bind.c"),
            "-ldl",
        ],
    );
    let db = format!("{d}/db.sqlite");
    std::fs::copy("/etc/yubiserver/yubiserver.sqlite.init", &db).expect("copy the init database");
    let secret20: String = uuid::Uuid::new_v4().simple().to_string()[..20].to_owned();
    let out = run(
        "yubiserver-admin",
        &["-b", &db, "-p", "-a", "keyward", &secret20],
    );
    let secret = out
        .lines()
        .find_map(|l| l.split_once("': ").map(|(_, k)| k.trim().to_owned()))
        .expect("the API key line");
    let client_id = out
        .lines()
        .find_map(|l| {
            l.strip_prefix("You API key ID is: ")
                .map(|s| s.trim().to_owned())
        })
        .expect("the API key id line");
    run(
        "yubiserver-admin",
        &["-b", &db, "-y", "-a", "testkey", &key.0, &key.1, &key.2],
    );
    if run("id", &["-u"]).trim() == "0" {
        // As root it drops to its own user, which must be able to read its database.
        run("chown", &["-R", "yubiserver", &d]);
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
        .to_string();
    let status = std::process::Command::new("yubiserver")
        .args(["-p", &port, "-d", &db, "-l", &format!("{d}/log")])
        .env("LD_PRELOAD", &shim)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("yubiserver starts");
    assert!(status.success());
    // It daemonises: find it by its arguments, and wait for its port.
    let pid = run("pgrep", &["-f", &format!("yubiserver -p {port} ")])
        .trim()
        .lines()
        .next()
        .expect("pid")
        .to_owned();
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port.parse::<u16>().expect("port"))).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Yubiserver {
        _dir: dir,
        pid,
        url: format!("http://127.0.0.1:{port}/wsapi/2.0/verify"),
        client_id,
        secret,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_debian_yubiserver() {
    if !(crate::helpers::require_tool("yubiserver")
        && crate::helpers::require_tool("gcc")
        && require_yubiotp())
    {
        return;
    }
    let key = new_test_key();
    let server = start_yubiserver(&key);
    let app = spawn_app_with(&[
        ("KEYWARD_YUBICO_CLIENT_ID", &server.client_id),
        ("KEYWARD_YUBICO_SECRET_KEY", &server.secret),
        ("KEYWARD_YUBICO_API_URLS", &server.url),
    ])
    .await;
    let (public, private, aes) = &key;
    let user = app.create_user("yubiserver@example.org").await;
    // yubiserver starts a key's counter at 1, so the first OTP needs a higher pair; and within
    // one power-up it checks that the OTPs' 8 Hz timestamps keep pace with its clock
    // (DELAYED_OTP), which this generator's random timestamps do not: each OTP here is the first
    // of its own power-up.
    let r = enroll(&app, &user, &yubiotp(public, private, aes, 2, 0)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let otp = yubiotp(public, private, aes, 3, 0);
    let first = app.verify(&user, &otp).await;
    let audit = app
        .get(&format!("/api/v1/audit?user_id={user}&limit=3"))
        .await;
    assert_eq!(first.status, 200, "{:?}", audit.body);
    assert_eq!(app.verify(&user, &otp).await.status, 422, "REPLAYED_OTP");
    assert_eq!(
        app.verify(&user, &yubiotp(public, private, aes, 2, 0))
            .await
            .status,
        422,
        "older"
    );
    let (_, _, other_aes) = new_test_key();
    assert_eq!(
        app.verify(&user, &yubiotp(public, private, &other_aes, 4, 0))
            .await
            .status,
        422,
        "BAD_OTP"
    );
    assert_eq!(
        app.verify(&user, &yubiotp(public, private, aes, 5, 0))
            .await
            .status,
        200
    );
    let failed = app
        .get(&format!("/api/v1/audit?user_id={user}&limit=20"))
        .await;
    let details: Vec<String> = failed.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["details"]["detail"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(
        details.contains(&"replayed_otp".to_owned()) && details.contains(&"bad_otp".to_owned()),
        "{details:?}"
    );
}
