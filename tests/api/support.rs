//! Support resets a customer's second factors: by a backup code the customer reads out, or by
//! the reference of an out-of-band identity check; through the API and the CLI.

use serde_json::json;

use crate::helpers::spawn_app;

async fn reset(
    app: &crate::helpers::TestApp,
    key: &str,
    user: &str,
    body: serde_json::Value,
) -> crate::helpers::Resp {
    app.request(
        "POST",
        &format!("/api/v1/users/{user}/reset"),
        Some(key),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn reset_by_a_backup_code_revokes_everything_and_is_audited() {
    let app = spawn_app().await;
    let (user, _, _, codes) = app.user_with_totp("lost-phone@example.com").await;
    let support = app.support_key.clone();
    // A wrong code is refused and changes nothing.
    let r = reset(&app, &support, &user, json!({ "reason": "Lost phone", "verification": { "type": "backup_code", "code": "aaaa-bbbb-cccc" } })).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.error_code(), "invalid_code");
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(listed.body["factors"].as_array().map(Vec::len), Some(1));
    // The right one: everything goes.
    let r = reset(&app, &support, &user, json!({ "reason": "Lost phone", "verification": { "type": "backup_code", "code": codes[3] } })).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body,
        json!({ "factors_removed": 1, "backup_codes_removed": 9 })
    );
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(listed.body["factors"].as_array().map(Vec::len), Some(0));
    let bc = app.get(&format!("/api/v1/users/{user}/backup-codes")).await;
    assert_eq!(bc.body["remaining"], 0);
    let u = app.get(&format!("/api/v1/users/{user}")).await;
    assert_eq!(u.body["two_factor_enabled"], false);
    // Audited with the agent (the API key's name), the reason and the check; never the code.
    let ev = app
        .request(
            "GET",
            &format!("/api/v1/audit?user_id={user}&event=support.reset"),
            Some(&app.security_key),
            None,
        )
        .await;
    let e = &ev.body["events"][0];
    assert_eq!(e["actor"]["type"], "api_key");
    assert_eq!(e["details"]["agent"], "test support");
    assert_eq!(e["details"]["reason"], "Lost phone");
    assert_eq!(e["details"]["verification"], "backup_code");
    assert!(!ev.body.to_string().contains(&codes[3]));
    let refused = app
        .request(
            "GET",
            &format!("/api/v1/audit?user_id={user}&event=support.reset_refused"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(refused.body["events"].as_array().map(Vec::len), Some(1));
    // The customer is mailed.
    app.settle_mail().await;
    let mailed = app
        .request(
            "GET",
            &format!("/api/v1/audit?user_id={user}&event=email.sent"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert!(
        mailed.body["events"]
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["details"]["kind"] == "support_reset")
    );
}

#[tokio::test]
async fn reset_by_an_out_of_band_check_lifts_a_freeze() {
    let app = spawn_app().await;
    let (user, _, _, _) = app.user_with_totp("oob@example.com").await;
    // Frozen as after a "this wasn't me" report.
    app.sql(&format!("UPDATE users SET factors_frozen_at = created_at, reported_at = created_at WHERE id = '{user}'")).await;
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "totp", "name": "x" }),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = reset(&app, &app.security_key.clone(), &user, json!({ "reason": "Reported takeover; identity checked by phone", "verification": { "type": "out_of_band", "reference": "TICKET-4821" } })).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "totp", "name": "new phone" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let ev = app
        .request(
            "GET",
            &format!("/api/v1/audit?user_id={user}&event=support.reset"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(ev.body["events"][0]["details"]["reference"], "TICKET-4821");
    assert_eq!(ev.body["events"][0]["details"]["was_reported"], true);
}

#[tokio::test]
async fn reset_needs_a_support_key_a_reason_and_a_check() {
    let app = spawn_app().await;
    let (user, _, _, codes) = app.user_with_totp("guarded@example.com").await;
    let body =
        json!({ "reason": "x", "verification": { "type": "backup_code", "code": codes[0] } });
    let r = reset(&app, &app.integration_key.clone(), &user, body).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    let r = app
        .request(
            "POST",
            &format!("/api/v1/users/{user}/reset"),
            None,
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, 401);
    let support = app.support_key.clone();
    for bad in [
        json!({ "reason": "", "verification": { "type": "out_of_band", "reference": "T-1" } }),
        json!({ "reason": "x", "verification": { "type": "out_of_band", "reference": "" } }),
        json!({ "reason": "x", "verification": { "type": "trust_me" } }),
        json!({ "reason": "x" }),
        json!({ "reason": "x", "verification": { "type": "operator_cli" } }),
    ] {
        let r = reset(&app, &support, &user, bad.clone()).await;
        assert_eq!(r.status, 400, "{bad} → {:?}", r.body);
    }
    let r = reset(
        &app,
        &support,
        "usr_nope",
        json!({ "reason": "x", "verification": { "type": "out_of_band", "reference": "T" } }),
    )
    .await;
    assert_eq!(r.status, 404);
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(listed.body["factors"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn keyward_user_reset_from_the_command_line() {
    let app = spawn_app().await;
    let (user, _, _, _) = app.user_with_totp("cli-reset@example.com").await;
    let out = app.cli(&[
        "user",
        "reset",
        "cli-reset@example.com",
        "--reason",
        "Lost everything; checked in person",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "factors removed 1\nbackup codes removed 10\n"
    );
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(listed.body["factors"].as_array().map(Vec::len), Some(0));
    let out = app.cli(&["user", "reset", "nobody@example.com", "--reason", "x"]);
    assert!(!out.status.success());
}

/// Support resets customers only: a support or security account is reset by the security team
/// (or an operator at the CLI). A refusal changes nothing and is audited.
#[tokio::test]
async fn support_cannot_reset_a_staff_account() {
    let app = spawn_app().await;
    let colleague = app
        .request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(json!({ "email": "colleague@example.com", "role": "support" })),
        )
        .await;
    assert_eq!(colleague.status, 201, "{:?}", colleague.body);
    let colleague = colleague.body["id"].as_str().expect("id").to_owned();
    // A staff member's factors change only with a security key.
    let started = app
        .request(
            "POST",
            &format!("/api/v1/users/{colleague}/factors"),
            Some(&app.security_key),
            Some(json!({ "type": "totp", "name": "Work phone" })),
        )
        .await;
    assert_eq!(started.status, 201, "{}", started.error_code());
    let factor = started.body["factor"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let secret = started.body["totp"]["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let now = app.pin_clock_mid_step();
    let activated = app
        .request(
            "POST",
            &format!("/api/v1/users/{colleague}/factors/{factor}/activate"),
            Some(&app.security_key),
            Some(json!({ "code": crate::helpers::totp_code(&secret, now) })),
        )
        .await;
    assert_eq!(activated.status, 200, "{}", activated.error_code());
    let body = json!({ "reason": "Lost phone", "verification": { "type": "out_of_band", "reference": "T-9" } });
    let r = reset(&app, &app.support_key.clone(), &colleague, body.clone()).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("only the security team"),
        "{:?}",
        r.body
    );
    let listed = app.get(&format!("/api/v1/users/{colleague}/factors")).await;
    assert_eq!(
        listed.body["factors"].as_array().map(Vec::len),
        Some(1),
        "nothing reset"
    );
    let ev = app
        .request(
            "GET",
            &format!("/api/v1/audit?event=support.reset_refused&user_id={colleague}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(
        ev.body["events"][0]["details"]["reason"], "staff_account",
        "{:?}",
        ev.body
    );
    // The security team may.
    let r = reset(&app, &app.security_key.clone(), &colleague, body).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}
