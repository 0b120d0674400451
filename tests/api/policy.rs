//! The security policy: allowed methods at enrollment and verification, the last compliant
//! factor while two-factor is required, compliance records and the grace period.

use serde_json::{Value, json};

use crate::helpers::{TestApp, new_test_key, require_yubiotp, spawn_app, totp_code, yubiotp};

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

/// A YubiKey in the local inventory, enrolled for `user`; returns the factor id.
async fn yubikey_factor(app: &TestApp, user: &str) -> String {
    let (public, private, aes) = new_test_key();
    let r = app
        .request(
            "POST",
            "/api/v1/yubikeys",
            Some(&app.security_key),
            Some(json!({ "public_id": public, "private_id": private, "aes_key": aes })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "yubikey_otp", "name": "YubiKey 5 NFC", "otp": yubiotp(&public, &private, &aes, 1, 0) }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["factor"]["id"].as_str().expect("id").to_owned()
}

fn required_hardware() -> Value {
    let mut p = hardware_only();
    p["require_two_factor"] = json!(true);
    p
}

async fn put_policy(app: &TestApp, p: Value) {
    let r = app
        .request("PUT", "/api/v1/policy", Some(&app.security_key), Some(p))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

async fn compliance(app: &TestApp) -> Value {
    let r = app
        .request("GET", "/api/v1/compliance", Some(&app.security_key), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

#[tokio::test]
async fn hardware_keys_only_lists_who_does_not_comply_and_since_when() {
    if !require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let (totp_user, _, _, _) = app.user_with_totp("phone@example.com").await;
    let key_user = app.create_user("key@example.com").await;
    yubikey_factor(&app, &key_user).await;
    let nobody = app.create_user("none@example.com").await;

    // Nothing required: everyone complies.
    let c = compliance(&app).await;
    assert_eq!(c["total"], 0, "{c}");
    assert_eq!(c["require_two_factor"], false);

    let t0 = app.pin_clock_after(app.now() + 60);
    put_policy(&app, required_hardware()).await;
    let c = compliance(&app).await;
    assert_eq!(c["total"], 2, "{c}");
    assert_eq!(c["overdue"], 0);
    let listed: Vec<&str> = c["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["email"].as_str().expect("email"))
        .collect();
    assert!(
        listed.contains(&"phone@example.com") && listed.contains(&"none@example.com"),
        "{c}"
    );
    let phone = c["users"]
        .as_array()
        .expect("present")
        .iter()
        .find(|u| u["user_id"] == totp_user.as_str())
        .expect("the TOTP user")
        .clone();
    let since = chrono::DateTime::parse_from_rfc3339(
        phone["noncompliant_since"].as_str().expect("present"),
    )
    .expect("present");
    let by = chrono::DateTime::parse_from_rfc3339(phone["enroll_by"].as_str().expect("present"))
        .expect("present");
    assert_eq!(since.timestamp(), t0);
    assert_eq!((by - since).num_days(), 14);
    assert_eq!(phone["overdue"], false);
    assert_eq!(
        phone["noncompliant_factors"], 1,
        "the authenticator app does not count"
    );
    // The user's own record says the same.
    let u = app.get(&format!("/api/v1/users/{totp_user}")).await;
    assert_eq!(u.body["noncompliant_since"], phone["noncompliant_since"]);
    let u = app.get(&format!("/api/v1/users/{key_user}")).await;
    assert!(u.body.get("noncompliant_since").is_none(), "{:?}", u.body);
    // The change is audited with how many users it leaves out of compliance.
    let ev = app
        .request(
            "GET",
            "/api/v1/audit?event=policy.changed",
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(
        ev.body["events"][0]["details"]["users_out_of_compliance"], 2,
        "{:?}",
        ev.body
    );

    // Another policy change keeps the date (and the deadline) of those already listed.
    app.pin_clock_after(app.now() + 86_400);
    let mut longer = required_hardware();
    longer["enrollment_grace_days"] = json!(30);
    put_policy(&app, longer).await;
    let c = compliance(&app).await;
    let again = c["users"]
        .as_array()
        .expect("present")
        .iter()
        .find(|u| u["user_id"] == totp_user.as_str())
        .expect("present");
    assert_eq!(again["noncompliant_since"], phone["noncompliant_since"]);
    let by = chrono::DateTime::parse_from_rfc3339(again["enroll_by"].as_str().expect("present"))
        .expect("present");
    assert_eq!((by - since).num_days(), 30);

    // Past the grace period: overdue.
    app.pin_clock_after(t0 + 31 * 86_400);
    let c = compliance(&app).await;
    assert_eq!(c["overdue"], 2, "{c}");

    // A YubiKey brings the user into compliance; a new user starts out of it.
    yubikey_factor(&app, &nobody).await;
    let late = app.create_user("late@example.com").await;
    let c = compliance(&app).await;
    assert_eq!(c["total"], 2, "{c}");
    let ids: Vec<&str> = c["users"]
        .as_array()
        .expect("present")
        .iter()
        .map(|u| u["user_id"].as_str().expect("present"))
        .collect();
    assert_eq!(
        ids,
        vec![totp_user.as_str(), late.as_str()],
        "longest out of compliance first"
    );
    assert_eq!(
        c["users"][1]["overdue"], false,
        "a new user has the whole grace period"
    );

    // Pages.
    let r = app
        .request(
            "GET",
            "/api/v1/compliance?limit=1",
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(r.body["users"].as_array().map(Vec::len), Some(1));
    assert_eq!(r.body["next_offset"], 1);
    let r = app
        .request(
            "GET",
            "/api/v1/compliance?limit=1&offset=1",
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(r.body["users"][0]["user_id"], late.as_str());
    assert!(r.body.get("next_offset").is_none());
    for bad in [
        "limit=0",
        "limit=501",
        "offset=-1",
        "limit=x",
        "colour=blue",
    ] {
        let r = app
            .request(
                "GET",
                &format!("/api/v1/compliance?{bad}"),
                Some(&app.security_key),
                None,
            )
            .await;
        assert_eq!(r.status, 400, "{bad}: {:?}", r.body);
        assert_eq!(r.error_code(), "bad_request");
    }
    // Only the security team sees it.
    for key in [&app.integration_key, &app.support_key] {
        let r = app
            .request("GET", "/api/v1/compliance", Some(key), None)
            .await;
        assert_eq!(r.status, 403, "{:?}", r.body);
    }
    // Not required any more: nobody is listed.
    put_policy(&app, hardware_only()).await;
    assert_eq!(compliance(&app).await["total"], 0);
}

#[tokio::test]
async fn the_last_compliant_factor_stays_while_the_policy_requires_one() {
    if !require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let (user, totp_factor, _, _) = app.user_with_totp("two@example.com").await;
    let key = yubikey_factor(&app, &user).await;
    put_policy(&app, required_hardware()).await;
    assert_eq!(compliance(&app).await["total"], 0);
    // The YubiKey is the only factor the policy accepts: it stays.
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{user}/factors/{key}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .expect("present")
            .contains("last factor the policy accepts"),
        "{:?}",
        r.body
    );
    // The authenticator app, which the policy no longer accepts, may go.
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{user}/factors/{totp_factor}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // With a second YubiKey, the first may go; the user stays compliant throughout.
    yubikey_factor(&app, &user).await;
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{user}/factors/{key}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    assert_eq!(compliance(&app).await["total"], 0);
}
