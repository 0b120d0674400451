//! The second factors of staff accounts (role `support` or `security`) change only with a
//! `security` API key: enroll (every type), activate (TOTP and WebAuthn), remove and backup
//! codes answer `403 forbidden` to an `integration` or `support` key.

use serde_json::{Value, json};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{CreationChallengeResponse, Url};

use crate::helpers::{Resp, TestApp, spawn_app, totp_code};

/// A syntactically valid YubiKey OTP of a key nobody knows.
const UNKNOWN_OTP: &str = "ccccccccccbbcbdefghijklnrtuvcbdefghijklnrtuv";

async fn staff_user(app: &TestApp, email: &str, role: &str) -> String {
    let r = app
        .request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(json!({ "email": email, "role": role })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["id"].as_str().expect("id").to_owned()
}

fn assert_forbidden(r: &Resp, what: &str) {
    assert_eq!(r.status, 403, "{what}: {}", r.error_code());
    assert_eq!(r.error_code(), "forbidden", "{what}");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{what}: {:?}",
        r.body
    );
}

fn register(options: &Value) -> Value {
    let ccr: CreationChallengeResponse =
        serde_json::from_value(options.clone()).expect("creation options parse");
    let reg = SoftPasskey::new(true)
        .do_registration(Url::parse("http://localhost:8080").expect("url"), ccr)
        .expect("authenticator registers");
    serde_json::to_value(&reg).expect("json")
}

#[tokio::test]
async fn only_a_security_key_changes_the_factors_of_staff() {
    let app = spawn_app().await;
    app.pin_clock_mid_step();
    for role in ["support", "security"] {
        let staff = staff_user(&app, &format!("{role}-staff@example.org"), role).await;
        let factors = format!("/api/v1/users/{staff}/factors");
        // The security key starts a TOTP and a WebAuthn enrollment, to give the others
        // something to activate and remove.
        let r = app
            .request(
                "POST",
                &factors,
                Some(&app.security_key),
                Some(json!({ "type": "totp", "name": "Phone" })),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let totp_id = r.body["factor"]["id"].as_str().expect("id").to_owned();
        let secret = r.body["totp"]["secret"]
            .as_str()
            .expect("secret")
            .to_owned();
        let r = app
            .request(
                "POST",
                &factors,
                Some(&app.security_key),
                Some(json!({ "type": "webauthn", "name": "Key" })),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let key_id = r.body["factor"]["id"].as_str().expect("id").to_owned();
        let credential = register(&r.body["webauthn"]["options"]);

        for (scope, key) in [
            ("integration", &app.integration_key),
            ("support", &app.support_key),
        ] {
            let calls: Vec<(&str, String, Option<Value>)> = vec![
                (
                    "POST",
                    factors.clone(),
                    Some(json!({ "type": "totp", "name": "Mine" })),
                ),
                (
                    "POST",
                    factors.clone(),
                    Some(json!({ "type": "webauthn", "name": "Mine" })),
                ),
                (
                    "POST",
                    factors.clone(),
                    Some(json!({ "type": "yubikey_otp", "name": "Mine", "otp": UNKNOWN_OTP })),
                ),
                (
                    "POST",
                    format!("{factors}/{totp_id}/activate"),
                    Some(json!({ "code": totp_code(&secret, app.now()) })),
                ),
                (
                    "POST",
                    format!("{factors}/{key_id}/activate"),
                    Some(json!({ "credential": credential })),
                ),
                ("DELETE", format!("{factors}/{totp_id}"), None),
                ("DELETE", format!("{factors}/{key_id}"), None),
                ("POST", format!("/api/v1/users/{staff}/backup-codes"), None),
            ];
            for (method, path, body) in calls {
                let r = app.request(method, &path, Some(key), body).await;
                assert_forbidden(&r, &format!("{role} user, {scope} key: {method} {path}"));
            }
        }
        // Nothing changed: two pending factors, no backup codes.
        let list = app.get(&factors).await;
        assert_eq!(list.status, 200);
        let list = list.body["factors"].as_array().expect("factors").clone();
        assert_eq!(list.len(), 2, "{list:?}");
        assert!(list.iter().all(|f| f["status"] == "pending"), "{list:?}");
        let codes = app
            .get(&format!("/api/v1/users/{staff}/backup-codes"))
            .await;
        assert_eq!(codes.body["remaining"], 0);

        // The security key may do all of it.
        let sec = Some(app.security_key.as_str());
        let r = app
            .request(
                "POST",
                &format!("{factors}/{totp_id}/activate"),
                sec,
                Some(json!({ "code": totp_code(&secret, app.now()) })),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let r = app
            .request(
                "POST",
                &format!("{factors}/{key_id}/activate"),
                sec,
                Some(json!({ "credential": credential })),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let r = app
            .request(
                "POST",
                &format!("/api/v1/users/{staff}/backup-codes"),
                sec,
                None,
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let r = app
            .request("DELETE", &format!("{factors}/{totp_id}"), sec, None)
            .await;
        assert_eq!(r.status, 204, "{:?}", r.body);
    }
    // A customer's factors are still the integration key's business.
    let customer = app.create_user("customer@example.org").await;
    let (factor, secret, _) = app.enroll_totp(&customer, "Phone").await;
    let r = app
        .activate(&customer, &factor, &totp_code(&secret, app.now()))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app
        .post(&format!("/api/v1/users/{customer}/backup-codes"), json!({}))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
}
