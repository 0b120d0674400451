use std::process::Command;

use serde_json::json;

use crate::helpers::{INVALID_CODE_MESSAGE, oathtool_code, require_tool, spawn_app, totp_code};

#[tokio::test]
async fn enrollment_answer_has_secret_uri_and_qr() {
    let app = spawn_app().await;
    let user = app.create_user("ann@example.org").await;
    let (factor, secret, body) = app.enroll_totp(&user, "My Phone").await;
    assert!(factor.starts_with("fac_"));
    assert_eq!(body["factor"]["type"], "totp");
    assert_eq!(body["factor"]["status"], "pending");
    assert_eq!(body["factor"]["name"], "My Phone");
    assert_eq!(
        body["factor"]["details"],
        json!({ "digits": 6, "period": 30, "algorithm": "SHA1" })
    );
    // Base32 without padding, at least 160 bits.
    assert!(secret.len() * 5 >= 160);
    assert!(
        secret
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
    );
    assert_eq!(
        body["totp"]["otpauth_uri"],
        format!(
            "otpauth://totp/Keyward%20Test:ann@example.org?secret={secret}&issuer=Keyward%20Test&algorithm=SHA1&digits=6&period=30"
        )
    );
    assert_eq!(body["totp"]["digits"], 6);
    assert_eq!(body["totp"]["period"], 30);
    assert_eq!(body["totp"]["algorithm"], "SHA1");
    let svg = body["totp"]["qr_svg"].as_str().expect("svg");
    assert!(svg.starts_with("<svg") && svg.contains("</svg>"));
    // The listing never shows the secret.
    let list = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(list.status, 200);
    assert!(!list.body.to_string().contains(&secret));
    assert_eq!(list.body["factors"][0]["id"], factor.as_str());
}

#[tokio::test]
async fn qr_code_decodes_to_exactly_the_uri() {
    if !(require_tool("zbarimg") && require_tool("rsvg-convert")) {
        return;
    }
    let app = spawn_app().await;
    let user = app.create_user("qr.reader+tag@example.org").await;
    let (_, _, body) = app.enroll_totp(&user, "Phone").await;
    let svg_path = app.dir.path().join("qr.svg");
    let png_path = app.dir.path().join("qr.png");
    std::fs::write(&svg_path, body["totp"]["qr_svg"].as_str().expect("svg")).expect("write svg");
    let raster = Command::new("rsvg-convert")
        .args(["-w", "600", "-b", "white", "-o"])
        .arg(&png_path)
        .arg(&svg_path)
        .output()
        .expect("rsvg-convert runs");
    assert!(
        raster.status.success(),
        "{}",
        String::from_utf8_lossy(&raster.stderr)
    );
    let decoded = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(&png_path)
        .output()
        .expect("zbarimg runs");
    assert!(decoded.status.success(), "zbarimg found no code");
    assert_eq!(
        String::from_utf8_lossy(&decoded.stdout).trim_end_matches('\n'),
        body["totp"]["otpauth_uri"].as_str().expect("uri")
    );
}

#[tokio::test]
async fn activation_with_oathtool_codes() {
    if !require_tool("oathtool") {
        return;
    }
    let app = spawn_app().await;
    let t = app.pin_clock_mid_step();
    let user = app.create_user("ann@example.org").await;
    let (factor, secret, _) = app.enroll_totp(&user, "My Phone").await;

    let wrong = app.activate(&user, &factor, "000000").await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.body["error"]["code"], "invalid_code");
    assert_eq!(wrong.body["error"]["message"], INVALID_CODE_MESSAGE);
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(
        listed.body["factors"][0]["status"], "pending",
        "a wrong code leaves the factor pending"
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}")).await.body["two_factor_enabled"],
        false
    );

    let code = oathtool_code(&secret, t);
    let ok = app.activate(&user, &factor, &code).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    assert_eq!(ok.body["factor"]["status"], "active");
    assert!(ok.body["factor"]["activated_at"].is_string());
    let codes = ok.body["backup_codes"]
        .as_array()
        .expect("first factor brings backup codes");
    assert_eq!(codes.len(), 10);
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}")).await.body["two_factor_enabled"],
        true
    );

    // The activating code is used up.
    let replay = app.verify(&user, &code).await;
    assert_eq!(replay.status, 422);
    assert_eq!(replay.error_code(), "invalid_code");

    // Activating again is a conflict.
    let again = app
        .activate(&user, &factor, &oathtool_code(&secret, t + 30))
        .await;
    assert_eq!(again.status, 409);

    // The next step's code, from oathtool, verifies.
    app.clock.advance(chrono::Duration::seconds(30));
    let next = app.verify(&user, &oathtool_code(&secret, t + 30)).await;
    assert_eq!(next.status, 200, "{:?}", next.body);
    assert_eq!(
        next.body,
        json!({ "verified": true, "factor_id": factor, "method": "totp" })
    );
}

#[tokio::test]
async fn one_step_of_drift_is_accepted_two_are_not() {
    if !require_tool("oathtool") {
        return;
    }
    let app = spawn_app().await;
    let (user, _, secret, _) = app.user_with_totp("drift@example.org").await;
    // Each check moves the clock ten steps on, so replay protection is not what is measured.
    for (offset, accepted) in [(-2i64, false), (2, false), (-1, true), (0, true), (1, true)] {
        app.clock.advance(chrono::Duration::seconds(300));
        let t = app.pin_clock_after(app.now());
        let r = app
            .verify(&user, &oathtool_code(&secret, t + offset * 30))
            .await;
        assert_eq!(
            r.status == 200,
            accepted,
            "offset {offset} steps: {:?}",
            r.body
        );
    }
    let factors = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(
        factors.body["factors"][0]["details"]["last_drift_steps"], 1,
        "the last match was one step ahead"
    );
}

#[tokio::test]
async fn replayed_code_is_refused() {
    let app = spawn_app().await;
    let (user, _, secret, _) = app.user_with_totp("replay@example.org").await;
    app.clock.advance(chrono::Duration::seconds(60));
    let code = totp_code(&secret, app.now());
    assert_eq!(app.verify(&user, &code).await.status, 200);
    let second = app.verify(&user, &code).await;
    assert_eq!(second.status, 422);
    assert_eq!(
        second.body["error"]["message"], INVALID_CODE_MESSAGE,
        "a replay looks like a wrong code"
    );
    // An older step is refused too, even though it is within the window.
    let older = totp_code(&secret, app.now() - 30);
    assert_eq!(app.verify(&user, &older).await.status, 422);
    let events = app
        .get(&format!(
            "/api/v1/audit?user_id={user}&event=verify.replay_rejected"
        ))
        .await;
    assert_eq!(
        events.body["events"].as_array().map(Vec::len),
        Some(2),
        "{:?}",
        events.body
    );
}

#[tokio::test]
async fn concurrent_requests_with_one_code_succeed_once() {
    let app = spawn_app().await;
    let (user, _, secret, _) = app.user_with_totp("race@example.org").await;
    app.clock.advance(chrono::Duration::seconds(60));
    let code = totp_code(&secret, app.now());
    let results = futures::future::join_all((0..32).map(|_| app.verify(&user, &code))).await;
    let ok = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(results.iter().all(|r| matches!(r.status, 200 | 422 | 429)));
}

#[tokio::test]
async fn a_code_used_on_one_factor_is_used_for_the_user() {
    let app = spawn_app().await;
    let (user, _, secret_a, _) = app.user_with_totp("two@example.org").await;
    let (factor_b, secret_b, _) = app.enroll_totp(&user, "Tablet").await;
    app.clock.advance(chrono::Duration::seconds(60));
    let now = app.now();
    let r = app
        .activate(&user, &factor_b, &totp_code(&secret_b, now))
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.get("backup_codes").is_none(),
        "a second factor brings no new codes"
    );
    // Step `now` is used up for this user, whichever device shows it.
    assert_eq!(
        app.verify(&user, &totp_code(&secret_a, now)).await.status,
        422
    );
    app.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(
        app.verify(&user, &totp_code(&secret_a, app.now()))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn pending_factors_expire() {
    let app = spawn_app_short_ttl().await;
    let user = app.create_user("slow@example.org").await;
    let (factor, secret, _) = app.enroll_totp(&user, "Phone").await;
    app.clock.advance(chrono::Duration::seconds(61));
    let r = app
        .activate(&user, &factor, &totp_code(&secret, app.now()))
        .await;
    assert_eq!(r.status, 404, "{:?}", r.body);
    let list = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(list.body["factors"], json!([]));
    // Housekeeping removes the row itself.
    let now = keyward::domain::clock::naive(keyward::domain::clock::Clock::now(app.clock.as_ref()));
    let db = app.state.db.clone();
    let removed = tokio::task::spawn_blocking(move || {
        db.with_conn(|c| keyward::services::maintenance::remove_expired_pending(c, now))
    })
    .await
    .expect("join")
    .expect("conn")
    .expect("delete");
    assert_eq!(removed, 1);
}

async fn spawn_app_short_ttl() -> crate::helpers::TestApp {
    crate::helpers::spawn_app_with(&[("KEYWARD_PENDING_FACTOR_TTL_SECONDS", "60")]).await
}

#[tokio::test]
async fn removing_a_factor() {
    let app = spawn_app().await;
    let (user, factor, secret, _) = app.user_with_totp("rm@example.org").await;
    let other = app.create_user("other@example.org").await;
    // Another user's factor id is not found under this user.
    let cross = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{other}/factors/{factor}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(cross.status, 404);
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{user}/factors/{factor}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}")).await.body["two_factor_enabled"],
        false
    );
    app.clock.advance(chrono::Duration::seconds(60));
    let v = app.verify(&user, &totp_code(&secret, app.now())).await;
    assert_eq!(v.status, 409);
    assert_eq!(v.error_code(), "no_second_factor");
    let again = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{user}/factors/{factor}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn concurrent_activations_with_one_code_succeed_once() {
    let app = spawn_app().await;
    let user = app.create_user("act-race@example.org").await;
    let (factor, secret, _) = app.enroll_totp(&user, "Phone").await;
    let code = totp_code(&secret, app.now());
    let results =
        futures::future::join_all((0..8).map(|_| app.activate(&user, &factor, &code))).await;
    let ok = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(results.iter().all(|r| matches!(r.status, 200 | 409 | 422)));
    let with_codes = results
        .iter()
        .filter(|r| r.body.get("backup_codes").is_some())
        .count();
    assert_eq!(with_codes, 1);
}

#[tokio::test]
async fn activation_with_an_already_used_step_is_refused() {
    let app = spawn_app().await;
    let (user, _, secret_a, _) = app.user_with_totp("used-step@example.org").await;
    app.clock.advance(chrono::Duration::seconds(60));
    assert_eq!(
        app.verify(&user, &totp_code(&secret_a, app.now()))
            .await
            .status,
        200
    );
    let (factor_b, secret_b, _) = app.enroll_totp(&user, "Tablet").await;
    // The user's step `now` is used: a code of that step activates nothing, even for a new device.
    let r = app
        .activate(&user, &factor_b, &totp_code(&secret_b, app.now()))
        .await;
    assert_eq!(r.status, 422);
    app.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(
        app.activate(&user, &factor_b, &totp_code(&secret_b, app.now()))
            .await
            .status,
        200
    );
}
