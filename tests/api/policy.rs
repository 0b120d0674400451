//! The parts of the security policy enforced today: allowed methods at enrollment and
//! verification, and the last active factor while two-factor is required.

use serde_json::{Value, json};

use crate::helpers::{spawn_app, totp_code};

fn hardware_only() -> Value {
    json!({
        "require_two_factor": false,
        "allowed_methods": ["yubikey_otp", "webauthn"],
        "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false },
        "enrollment_grace_days": 14
    })
}

#[tokio::test]
async fn a_method_the_policy_forbids_is_refused_at_enrollment_and_verification() {
    let app = spawn_app().await;
    let (user, _, secret, backup_codes) = app.user_with_totp("p1@example.com").await;
    let r = app
        .request(
            "PUT",
            "/api/v1/policy",
            Some(&app.security_key),
            Some(hardware_only()),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "totp", "name": "phone" }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");

    // A right TOTP code is refused by policy, not judged (and not counted as a failure).
    let now = app.pin_clock_mid_step();
    for _ in 0..6 {
        let r = app.verify(&user, &totp_code(&secret, now)).await;
        assert_eq!(r.status, 403, "{:?}", r.body);
        assert_eq!(r.error_code(), "policy_violation");
    }
    let r = app
        .post(
            &format!("/api/v1/users/{user}/verify"),
            json!({ "code": totp_code(&secret, now), "method": "totp" }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    // Backup codes are not a method the policy lists: they still work.
    let r = app.verify(&user, &backup_codes[0]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["method"], "backup_code");
}

#[tokio::test]
async fn the_last_active_factor_stays_while_two_factor_is_required() {
    let app = spawn_app().await;
    let (user, factor, _, _) = app.user_with_totp("p2@example.com").await;
    let mut p = hardware_only();
    p["require_two_factor"] = json!(true);
    p["allowed_methods"] = json!(["totp", "yubikey_otp", "webauthn"]);
    assert_eq!(
        app.request("PUT", "/api/v1/policy", Some(&app.security_key), Some(p))
            .await
            .status,
        200
    );
    let path = format!("/api/v1/users/{user}/factors/{factor}");
    let r = app
        .request("DELETE", &path, Some(&app.integration_key), None)
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(listed.body["factors"].as_array().map(Vec::len), Some(1));
    // With a second active factor, one may go.
    let (second, secret, _) = app.enroll_totp(&user, "tablet").await;
    let now = app.pin_clock_after(app.now() + 60);
    assert_eq!(
        app.activate(&user, &second, &totp_code(&secret, now))
            .await
            .status,
        200
    );
    let r = app
        .request("DELETE", &path, Some(&app.integration_key), None)
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // A pending factor is never "the last active one".
    let (pending, _, _) = app.enroll_totp(&user, "old phone").await;
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{user}/factors/{pending}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
}
