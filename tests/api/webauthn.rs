//! WebAuthn factors against webauthn-rs's own software authenticators (SoftPasskey, and
//! SoftToken with its attestation CA): registration, verification, policy, counters,
//! ceremonies across instances, and every refusal.

use serde_json::{Value, json};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::softtoken::{self, SoftToken};
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

use crate::helpers::{Resp, TestApp, spawn_app, spawn_app_with};

/// The origin the tests' server is configured with (the default `KEYWARD_BASE_URL`).
fn origin() -> Url {
    Url::parse("http://localhost:8080").expect("origin")
}

async fn start_registration(app: &TestApp, user: &str, name: &str) -> (String, Value) {
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "webauthn", "name": name }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["factor"]["status"], "pending");
    (
        r.body["factor"]["id"].as_str().expect("id").to_owned(),
        r.body["webauthn"]["options"].clone(),
    )
}

fn register(auth: &mut impl WebauthnAuthenticator, options: &Value, origin: Url) -> Value {
    let ccr: CreationChallengeResponse =
        serde_json::from_value(options.clone()).expect("creation options parse");
    let reg = auth
        .do_registration(origin, ccr)
        .expect("authenticator registers");
    serde_json::to_value(&reg).expect("json")
}

async fn activate(app: &TestApp, user: &str, factor: &str, credential: Value) -> Resp {
    app.post(
        &format!("/api/v1/users/{user}/factors/{factor}/activate"),
        json!({ "credential": credential }),
    )
    .await
}

/// Registers a key end to end; returns the factor id and the activation answer.
async fn enroll(
    app: &TestApp,
    user: &str,
    auth: &mut impl WebauthnAuthenticator,
) -> (String, Resp) {
    let (factor, options) = start_registration(app, user, "Security key").await;
    let credential = register(auth, &options, origin());
    (
        factor.clone(),
        activate(app, user, &factor, credential).await,
    )
}

async fn start_verification(app: &TestApp, base: &str, user: &str) -> (String, Value) {
    let r = app
        .request_at(
            base,
            "POST",
            &format!("/api/v1/users/{user}/verify/webauthn"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    (
        r.body["challenge_id"]
            .as_str()
            .expect("challenge id")
            .to_owned(),
        r.body["options"].clone(),
    )
}

fn assert_with(auth: &mut impl WebauthnAuthenticator, options: &Value) -> Value {
    let rcr: RequestChallengeResponse =
        serde_json::from_value(options.clone()).expect("request options parse");
    let cred = auth
        .do_authentication(origin(), rcr)
        .expect("authenticator signs");
    serde_json::to_value(&cred).expect("json")
}

async fn finish(app: &TestApp, base: &str, user: &str, challenge: &str, credential: Value) -> Resp {
    app.request_at(
        base,
        "POST",
        &format!("/api/v1/users/{user}/verify/webauthn/{challenge}"),
        json!({ "credential": credential }),
    )
    .await
}

impl TestApp {
    /// POST with the integration key to this app or to a sibling instance.
    async fn request_at(&self, base: &str, method: &str, path: &str, body: Value) -> Resp {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let resp = self
            .client
            .request(m, format!("{base}{path}"))
            .bearer_auth(&self.integration_key)
            .json(&body)
            .send()
            .await
            .expect("request sent");
        Self::into_resp(resp).await
    }

    async fn put_policy(&self, policy: Value) -> Resp {
        self.request(
            "PUT",
            "/api/v1/policy",
            Some(&self.security_key),
            Some(policy),
        )
        .await
    }

    async fn events(&self, user: &str) -> Vec<Value> {
        let r = self
            .get(&format!("/api/v1/audit?user_id={user}&limit=200"))
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["events"].as_array().expect("events").clone()
    }
}

fn policy(uv: &str, aaguids: &[String], attestation: bool) -> Value {
    json!({
        "require_two_factor": false,
        "allowed_methods": ["totp", "yubikey_otp", "webauthn"],
        "webauthn": { "user_verification": uv, "allowed_aaguids": aaguids, "require_attestation": attestation },
        "enrollment_grace_days": 14
    })
}

/// A SoftToken and a server that trusts its attestation CA.
async fn app_trusting_softtoken() -> (TestApp, SoftToken) {
    use crypto_glue::traits::{EncodePem, LineEndingPem};
    let (token, ca) = SoftToken::new(true).expect("soft token");
    let pem = ca.to_pem(LineEndingPem::LF).expect("pem");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.keep().join("softtoken-ca.pem");
    std::fs::write(&path, pem).expect("write ca");
    let app = spawn_app_with(&[(
        "KEYWARD_WEBAUTHN_ATTESTATION_CA_FILE",
        path.to_str().expect("path"),
    )])
    .await;
    (app, token)
}

#[tokio::test]
async fn passkey_registers_and_verifies_once_per_challenge() {
    let app = spawn_app().await;
    let user = app.create_user("pk@example.com").await;
    let (factor, options) = start_registration(&app, &user, "My passkey").await;
    // API.md: `{"publicKey": {...}}` with binary fields base64url; RP id from the base URL.
    let pk = &options["publicKey"];
    assert_eq!(pk["rp"]["id"], "localhost");
    assert_eq!(pk["rp"]["name"], "Keyward Test");
    assert_eq!(pk["user"]["name"], "pk@example.com");
    let challenge = pk["challenge"].as_str().expect("challenge is a string");
    assert!(challenge.len() >= 43 && !challenge.contains('=') && !challenge.contains('+'));

    let mut auth = SoftPasskey::new(true);
    let credential = register(&mut auth, &options, origin());
    let r = activate(&app, &user, &factor, credential.clone()).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["factor"]["status"], "active");
    assert_eq!(r.body["factor"]["type"], "webauthn");
    assert!(r.body["factor"]["details"]["aaguid"].is_string());
    assert_eq!(r.body["factor"]["details"]["attested"], false);
    assert_eq!(r.body["backup_codes"].as_array().map(Vec::len), Some(10));
    // The same registration response again: the factor is active, its challenge gone.
    let again = activate(&app, &user, &factor, credential).await;
    assert_eq!(again.status, 409, "{:?}", again.body);

    let (challenge_id, options) = start_verification(&app, &app.base, &user).await;
    assert!(
        options["publicKey"]["allowCredentials"]
            .as_array()
            .is_some_and(|a| a.len() == 1)
    );
    let assertion = assert_with(&mut auth, &options);
    let ok = finish(&app, &app.base, &user, &challenge_id, assertion.clone()).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    assert_eq!(
        ok.body,
        json!({ "verified": true, "factor_id": factor, "method": "webauthn" })
    );
    // A replayed response is refused: the challenge worked once.
    let replay = finish(&app, &app.base, &user, &challenge_id, assertion).await;
    assert_eq!(replay.status, 422, "{:?}", replay.body);
    assert_eq!(replay.error_code(), "invalid_credential");
    assert!(
        replay.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("already used")
    );

    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert!(listed.body["factors"][0]["last_used_at"].is_string());
    let events: Vec<String> = app
        .events(&user)
        .await
        .iter()
        .map(|e| e["event"].as_str().unwrap_or("").to_owned())
        .collect();
    for e in [
        "factor.enrollment_started",
        "factor.activated",
        "verify.succeeded",
        "verify.replay_rejected",
    ] {
        assert!(events.iter().any(|x| x == e), "{e} missing from {events:?}");
    }
}

#[tokio::test]
async fn attested_security_key_and_the_attestation_and_aaguid_rules() {
    let (app, mut token) = app_trusting_softtoken().await;
    let user = app.create_user("hw@example.com").await;
    let aaguid = softtoken::AAGUID.hyphenated().to_string();
    let r = app
        .put_policy(policy("preferred", std::slice::from_ref(&aaguid), true))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    // A key whose attestation chains to the configured CA, with an allowed AAGUID.
    let (_, r) = enroll(&app, &user, &mut token).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["factor"]["details"]["aaguid"], aaguid.as_str());
    assert_eq!(r.body["factor"]["details"]["attested"], true);

    // A software passkey has no attestation: refused while attestation is required.
    let mut passkey = SoftPasskey::new(true);
    let (factor, r) = enroll(&app, &user, &mut passkey).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    // Nothing stored: the pending factor went with its ceremony.
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert!(
        listed.body["factors"]
            .as_array()
            .expect("factors")
            .iter()
            .all(|f| f["id"] != factor.as_str())
    );

    // The same trusted model, for another user, while the list names only another model.
    let second = app.create_user("hw2@example.com").await;
    let other = "cb69481e-8ff7-4039-93ec-0a2729a154a8".to_owned();
    app.put_policy(policy("preferred", &[other], true)).await;
    let (_, r) = enroll(&app, &second, &mut token).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("AAGUID")
    );

    // Attestation required and UV required: the attested-passkey flow.
    app.put_policy(policy("required", &[], true)).await;
    let (_, r) = enroll(&app, &second, &mut token).await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    let mut events = app.events(&user).await;
    events.extend(app.events(&second).await);
    let reasons: Vec<String> = events
        .iter()
        .filter(|e| e["event"] == "factor.activation_failed")
        .map(|e| e["details"]["reason"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(
        reasons.contains(&"attestation_not_trusted".to_owned())
            || reasons.contains(&"attestation_required".to_owned()),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"aaguid_not_allowed".to_owned()),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn a_softtoken_is_not_trusted_by_the_default_yubico_root() {
    let app = spawn_app().await;
    let user = app.create_user("yk@example.com").await;
    app.put_policy(policy("preferred", &[], true)).await;
    let (mut token, _) = SoftToken::new(true).expect("soft token");
    let (_, r) = enroll(&app, &user, &mut token).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
}

#[tokio::test]
async fn user_verification_required_refuses_a_key_that_only_saw_a_touch() {
    let app = spawn_app().await;
    let user = app.create_user("uv@example.com").await;
    app.put_policy(policy("required", &[], false)).await;
    let (factor, mut options) = start_registration(&app, &user, "key").await;
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["userVerification"],
        "required"
    );
    // A client that ignores the request and only asks for a touch.
    options["publicKey"]["authenticatorSelection"]["userVerification"] = json!("discouraged");
    let mut no_uv = SoftPasskey::new(false);
    let credential = register(&mut no_uv, &options, origin());
    let r = activate(&app, &user, &factor, credential).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("verify the user")
    );
    // Discouraged: presence is enough.
    app.put_policy(policy("discouraged", &[], false)).await;
    let (_, r) = enroll(&app, &user, &mut no_uv).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

#[tokio::test]
async fn registered_keys_are_excluded_and_cannot_be_registered_twice() {
    let app = spawn_app().await;
    let user = app.create_user("ex@example.com").await;
    let mut auth = SoftPasskey::new(true);
    let (factor, r) = enroll(&app, &user, &mut auth).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let (second, options) = start_registration(&app, &user, "again").await;
    let excluded = options["publicKey"]["excludeCredentials"]
        .as_array()
        .expect("excludeCredentials");
    assert_eq!(excluded.len(), 1);
    // A response from the first ceremony presented to the second: wrong challenge.
    let (third, options3) = start_registration(&app, &user, "third").await;
    let credential = register(&mut SoftPasskey::new(true), &options3, origin());
    let r = activate(&app, &user, &second, credential).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("challenge")
    );
    let _ = (factor, third);
}

#[tokio::test]
async fn refusals_are_clear_and_store_nothing() {
    let app = spawn_app().await;
    let user = app.create_user("bad@example.com").await;
    let mut auth = SoftPasskey::new(true);

    // Garbage base64url and wrong shapes: 400, and the ceremony can still finish.
    let (factor, options) = start_registration(&app, &user, "key").await;
    for garbage in [
        json!("nope"),
        json!({}),
        json!({ "id": "x", "rawId": "!!!", "type": "public-key", "response": { "attestationObject": "@@", "clientDataJSON": "@@" } }),
    ] {
        let r = activate(&app, &user, &factor, garbage).await;
        assert_eq!(r.status, 400, "{:?}", r.body);
        assert_eq!(r.error_code(), "bad_request");
    }
    // A truncated attestation object: refused with a reason.
    let mut credential = register(&mut auth, &options, origin());
    let full = credential["response"]["attestationObject"]
        .as_str()
        .expect("b64")
        .to_owned();
    let cut = full.len() / 2 / 4 * 4;
    credential["response"]["attestationObject"] = json!(full[..cut].to_owned());
    let r = activate(&app, &user, &factor, credential).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.error_code(), "invalid_credential");

    // Another origin.
    let (factor, options) = start_registration(&app, &user, "key").await;
    let evil = register(
        &mut auth,
        &options,
        Url::parse("http://localhost:9999").expect("url"),
    );
    let r = activate(&app, &user, &factor, evil).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("origin"),
        "{:?}",
        r.body
    );

    // An expired registration.
    let (factor, options) = start_registration(&app, &user, "key").await;
    let late = register(&mut auth, &options, origin());
    app.clock.advance(chrono::Duration::seconds(301));
    let r = activate(&app, &user, &factor, late).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("expired")
    );

    // A huge payload.
    let big = "A".repeat(80 * 1024);
    let r = activate(&app, &user, &factor, json!({ "id": big })).await;
    assert_eq!(r.status, 413, "{:?}", r.body);

    // None of it left a factor behind.
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(
        listed.body["factors"].as_array().map(Vec::len),
        Some(0),
        "{:?}",
        listed.body
    );
}

#[tokio::test]
async fn assertions_for_another_user_origin_or_challenge_are_refused_and_counted() {
    let app = spawn_app().await;
    let alice = app.create_user("alice@example.com").await;
    let bob = app.create_user("bob@example.com").await;
    let mut alice_key = SoftPasskey::new(true);
    let mut bob_key = SoftPasskey::new(true);
    assert_eq!(enroll(&app, &alice, &mut alice_key).await.1.status, 200);
    assert_eq!(enroll(&app, &bob, &mut bob_key).await.1.status, 200);

    // Bob's key answering Bob's challenge, presented as Alice's.
    let (bob_challenge, bob_options) = start_verification(&app, &app.base, &bob).await;
    let bobs = assert_with(&mut bob_key, &bob_options);
    let (alice_challenge, _) = start_verification(&app, &app.base, &alice).await;
    let r = finish(&app, &app.base, &alice, &alice_challenge, bobs.clone()).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    // Bob's challenge id under Alice's user id: not hers.
    let r = finish(&app, &app.base, &alice, &bob_challenge, bobs).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    // Another origin.
    let (challenge, options) = start_verification(&app, &app.base, &alice).await;
    let rcr: RequestChallengeResponse = serde_json::from_value(options).expect("options");
    let evil = alice_key
        .do_authentication(Url::parse("http://localhost:9999").expect("url"), rcr)
        .expect("signs");
    let r = finish(
        &app,
        &app.base,
        &alice,
        &challenge,
        serde_json::to_value(&evil).expect("json"),
    )
    .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    // An expired challenge.
    let (challenge, options) = start_verification(&app, &app.base, &alice).await;
    let late = assert_with(&mut alice_key, &options);
    app.clock.advance(chrono::Duration::seconds(301));
    let r = finish(&app, &app.base, &alice, &challenge, late).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    // An unknown challenge id: the fifth failure locks Alice out.
    let r = finish(&app, &app.base, &alice, "wac_nope", json!({"id": "x", "rawId": "AA", "type": "public-key",
        "response": {"authenticatorData": "AA", "clientDataJSON": "AA", "signature": "AA"}, "extensions": {}})).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    // Locked: even a correct assertion is refused, and no new challenge is handed out.
    let r = app
        .request_at(
            &app.base,
            "POST",
            &format!("/api/v1/users/{alice}/verify/webauthn"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 429, "{:?}", r.body);
    assert!(r.headers.get("retry-after").is_some());
    // The failures were audited with reasons, for Alice only.
    let reasons: Vec<String> = app
        .events(&alice)
        .await
        .iter()
        .filter(|e| e["event"] == "verify.failed" || e["event"] == "verify.replay_rejected")
        .map(|e| e["details"]["reason"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    assert!(reasons.iter().any(|r| r == "wrong_origin"), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r == "challenge_expired_or_used"),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn a_counter_that_goes_backwards_is_refused_and_audited_as_a_possible_clone() {
    let (app, mut token) = app_trusting_softtoken().await;
    let user = app.create_user("clone@example.com").await;
    let (factor, r) = enroll(&app, &user, &mut token).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    for expected in [1, 2] {
        let (c, o) = start_verification(&app, &app.base, &user).await;
        let r = finish(&app, &app.base, &user, &c, assert_with(&mut token, &o)).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
        assert_eq!(listed.body["factors"][0]["details"]["sign_count"], expected);
    }
    // Another copy of the key has been used 100 times: this one's counter is now behind.
    app.sql(&format!(
        "UPDATE factors SET webauthn_sign_count = 100 WHERE id = '{factor}'"
    ))
    .await;
    let (c, o) = start_verification(&app, &app.base, &user).await;
    let r = finish(&app, &app.base, &user, &c, assert_with(&mut token, &o)).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("cloned")
    );
    let events = app.events(&user).await;
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "webauthn.possible_cloned_key")
    );
    assert!(events.iter().any(|e| e["event"] == "verify.failed" && e["details"]["reason"] == "counter_regressed"));
}

#[tokio::test]
async fn concurrent_finishes_of_one_assertion_succeed_once() {
    let app = spawn_app().await;
    let user = app.create_user("race@example.com").await;
    let mut auth = SoftPasskey::new(true);
    assert_eq!(enroll(&app, &user, &mut auth).await.1.status, 200);
    let (challenge, options) = start_verification(&app, &app.base, &user).await;
    let assertion = assert_with(&mut auth, &options);
    let tries = (0..8).map(|_| finish(&app, &app.base, &user, &challenge, assertion.clone()));
    let results = futures::future::join_all(tries).await;
    let ok = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    // The losers are refused (and, being failures, soon lock the user out).
    assert!(results.iter().all(|r| [200, 422, 429].contains(&r.status)));
}

#[tokio::test]
async fn a_ceremony_started_on_one_instance_finishes_on_another() {
    let app = spawn_app().await;
    let other = app.spawn_sibling().await;
    let user = app.create_user("lb@example.com").await;
    let mut auth = SoftPasskey::new(true);
    // Registration: options from instance A, response to instance B.
    let (factor, options) = start_registration(&app, &user, "key").await;
    let credential = register(&mut auth, &options, origin());
    let r = app
        .request_at(
            &other.base,
            "POST",
            &format!("/api/v1/users/{user}/factors/{factor}/activate"),
            json!({ "credential": credential }),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Verification: challenge from B, answered on A; the same answer on B is a replay.
    let (challenge, options) = start_verification(&app, &other.base, &user).await;
    let assertion = assert_with(&mut auth, &options);
    let r = finish(&app, &app.base, &user, &challenge, assertion.clone()).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = finish(&app, &other.base, &user, &challenge, assertion).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
}

#[tokio::test]
async fn verification_needs_a_key_and_an_allowed_method() {
    let app = spawn_app().await;
    let user = app.create_user("none@example.com").await;
    let r = app
        .request_at(
            &app.base,
            "POST",
            &format!("/api/v1/users/{user}/verify/webauthn"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.error_code(), "no_second_factor");
    let mut auth = SoftPasskey::new(true);
    assert_eq!(enroll(&app, &user, &mut auth).await.1.status, 200);
    let mut p = policy("preferred", &[], false);
    p["allowed_methods"] = json!(["totp"]);
    assert_eq!(app.put_policy(p).await.status, 200);
    let r = app
        .request_at(
            &app.base,
            "POST",
            &format!("/api/v1/users/{user}/verify/webauthn"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "webauthn", "name": "k" }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    // `method: webauthn` on the code endpoint points to the right one.
    let r = app
        .post(
            &format!("/api/v1/users/{user}/verify"),
            json!({ "code": "123456", "method": "webauthn" }),
        )
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
}

#[tokio::test]
async fn the_policy_api_validates_and_audits() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/policy").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, policy("preferred", &[], false));
    // Integration and support keys cannot change it.
    for key in [&app.integration_key, &app.support_key] {
        let r = app
            .request(
                "PUT",
                "/api/v1/policy",
                Some(key),
                Some(policy("required", &[], true)),
            )
            .await;
        assert_eq!(r.status, 403, "{:?}", r.body);
    }
    let mut bad = Vec::new();
    let mut p = policy("preferred", &[], false);
    p["allowed_methods"] = json!(["sms"]);
    bad.push(p);
    bad.push(policy("sometimes", &[], false));
    bad.push(policy("preferred", &["not-a-uuid".to_owned()], false));
    let mut p = policy("preferred", &[], false);
    p["enrollment_grace_days"] = json!(-1);
    bad.push(p);
    let mut p = policy("preferred", &[], false);
    p["extra"] = json!(true);
    bad.push(p);
    for b in bad {
        let r = app.put_policy(b.clone()).await;
        assert_eq!(r.status, 400, "{b} → {:?}", r.body);
        assert_eq!(r.error_code(), "bad_request");
    }
    assert_eq!(
        app.get("/api/v1/policy").await.body,
        policy("preferred", &[], false)
    );
    let hardware = json!({
        "require_two_factor": true,
        "allowed_methods": ["yubikey_otp", "webauthn"],
        "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": true },
        "enrollment_grace_days": 7
    });
    let r = app.put_policy(hardware.clone()).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(app.get("/api/v1/policy").await.body, hardware);
    let r = app
        .request(
            "GET",
            "/api/v1/audit?event=policy.changed",
            Some(&app.security_key),
            None,
        )
        .await;
    let events = r.body["events"].as_array().expect("events");
    assert_eq!(events.len(), 1, "{:?}", r.body);
    assert_eq!(
        events[0]["details"]["before"],
        policy("preferred", &[], false)
    );
    assert_eq!(events[0]["details"]["after"], hardware);
}

/// Whether the browser tests can run: Debian's Chromium, node, and playwright-core installed
/// under tests/browser (`.ci/run` installs all three).
pub fn require_browser() -> bool {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser");
    if !crate::helpers::require_tool("chromium") || !crate::helpers::require_tool("node") {
        return false;
    }
    let ok = std::path::Path::new(dir)
        .join("node_modules/playwright-core")
        .exists();
    if !ok {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("playwright-core is required in CI (.ci/run runs npm ci in tests/browser)");
        }
        println!("SKIPPED: run `npm ci` in tests/browser for the browser tests");
    }
    ok
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_registers_and_verifies_a_security_key_with_a_virtual_authenticator() {
    if !require_browser() {
        return;
    }
    // The page's origin must be the server's WebAuthn origin: localhost on a known port.
    let port = crate::helpers::free_port();
    let app = spawn_app_with(&[
        ("KEYWARD_LISTEN", &format!("127.0.0.1:{port}")),
        ("KEYWARD_BASE_URL", &format!("http://localhost:{port}")),
    ])
    .await;
    let user = app.create_user("browser@example.com").await;
    let result = crate::helpers::run_browser_script(
        "webauthn.mjs",
        port,
        vec![
            ("KEYWARD_KEY", app.integration_key.clone()),
            ("KEYWARD_USER", user.clone()),
        ],
    )
    .await;
    let reg = &result["registration"];
    assert_eq!(reg["start"], 201, "{result}");
    assert_eq!(reg["activate"], 200, "{result}");
    assert_eq!(reg["factor"]["status"], "active", "{result}");
    assert_eq!(result["authenticator_credentials"], 1, "{result}");
    let ver = &result["verification"];
    assert_eq!(ver["start"], 200, "{result}");
    assert_eq!(ver["finish"], 200, "{result}");
    assert_eq!(ver["answer"]["verified"], true, "{result}");
    assert_eq!(ver["answer"]["method"], "webauthn", "{result}");
    assert_eq!(ver["answer"]["factor_id"], reg["factor"]["id"], "{result}");
    assert_eq!(ver["replay"], 422, "{result}");
    // The server's record agrees: one active key, its counter moved by the assertion.
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    let f = &listed.body["factors"][0];
    assert_eq!(f["type"], "webauthn");
    assert!(f["last_used_at"].is_string());
    assert!(f["details"]["aaguid"].is_string());
}

/// A registration response built by hand ("none" attestation, so no signature is needed):
/// an Ed25519 key (an algorithm the server does not offer) for the given RP id.
fn forged_registration(options: &Value, rp_id: &str) -> Value {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use serde_cbor_2::Value as Cbor;
    use sha2::Digest;
    let challenge = options["publicKey"]["challenge"]
        .as_str()
        .expect("challenge");
    let client_data = json!({ "type": "webauthn.create", "challenge": challenge, "origin": "http://localhost:8080" });
    let client_data = serde_json::to_vec(&client_data).expect("json");
    // RFC 8032 test vector 1's public key.
    let x = hex::decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        .expect("hex");
    let cose = Cbor::Map(
        [
            (Cbor::Integer(1), Cbor::Integer(1)),  // kty OKP
            (Cbor::Integer(3), Cbor::Integer(-8)), // alg EdDSA
            (Cbor::Integer(-1), Cbor::Integer(6)), // crv Ed25519
            (Cbor::Integer(-2), Cbor::Bytes(x)),
        ]
        .into_iter()
        .collect(),
    );
    let cred_id = [7u8; 16];
    let mut auth_data = sha2::Sha256::digest(rp_id.as_bytes()).to_vec();
    auth_data.push(0x45); // UP, UV, AT
    auth_data.extend_from_slice(&[0, 0, 0, 0]);
    auth_data.extend_from_slice(&[0u8; 16]);
    auth_data.extend_from_slice(&[0, 16]);
    auth_data.extend_from_slice(&cred_id);
    auth_data.extend(serde_cbor_2::to_vec(&cose).expect("cbor"));
    let att = Cbor::Map(
        [
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(Default::default())),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]
        .into_iter()
        .collect(),
    );
    json!({
        "id": B64.encode(cred_id),
        "rawId": B64.encode(cred_id),
        "type": "public-key",
        "response": {
            "attestationObject": B64.encode(serde_cbor_2::to_vec(&att).expect("cbor")),
            "clientDataJSON": B64.encode(client_data),
        },
        "extensions": {}
    })
}

#[tokio::test]
async fn an_unsupported_algorithm_or_another_rp_id_is_refused() {
    let app = spawn_app().await;
    let user = app.create_user("alg@example.com").await;
    let (factor, options) = start_registration(&app, &user, "key").await;
    let r = activate(
        &app,
        &user,
        &factor,
        forged_registration(&options, "example.com"),
    )
    .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("relying party"),
        "{:?}",
        r.body
    );
    let (factor, options) = start_registration(&app, &user, "key").await;
    let r = activate(
        &app,
        &user,
        &factor,
        forged_registration(&options, "localhost"),
    )
    .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("algorithm"),
        "{:?}",
        r.body
    );
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(listed.body["factors"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn sign_in_follows_the_policy_in_force() {
    let app = spawn_app().await;
    let user = app.create_user("later@example.com").await;
    let mut passkey = SoftPasskey::new(true);
    let (factor, r) = enroll(&app, &user, &mut passkey).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // A challenge issued under the old policy…
    let (challenge, options) = start_verification(&app, &app.base, &user).await;
    let assertion = assert_with(&mut passkey, &options);
    // …then the security team requires attested keys: the unattested passkey no longer counts.
    assert_eq!(
        app.put_policy(policy("preferred", &[], true)).await.status,
        200
    );
    let r = finish(&app, &app.base, &user, &challenge, assertion).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    let r = app
        .request_at(
            &app.base,
            "POST",
            &format!("/api/v1/users/{user}/verify/webauthn"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    // Refused by policy, audited with the key, and not counted towards a lockout.
    let events = app.events(&user).await;
    let refused = events
        .iter()
        .find(|e| e["event"] == "verify.failed")
        .expect("verify.failed");
    assert_eq!(refused["details"]["reason"], "attestation_required");
    assert_eq!(refused["factor_id"], factor.as_str());
    assert_eq!(
        app.put_policy(policy("preferred", &[], false)).await.status,
        200
    );
    let (challenge, options) = start_verification(&app, &app.base, &user).await;
    let r = finish(
        &app,
        &app.base,
        &user,
        &challenge,
        assert_with(&mut passkey, &options),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

#[tokio::test]
async fn an_aaguid_allowlist_implies_attestation() {
    let app = spawn_app().await;
    let user = app.create_user("list@example.com").await;
    // The passkey claims an AAGUID, but nothing vouches for it.
    let mut passkey = SoftPasskey::new(true);
    let (_, options) = start_registration(&app, &user, "probe").await;
    let probe = register(&mut passkey, &options, origin());
    let att = probe["response"]["attestationObject"]
        .as_str()
        .expect("b64");
    let claimed = {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(att)
            .expect("b64");
        keyward::domain::webauthn::registration_facts(&bytes)
            .expect("facts")
            .aaguid
            .hyphenated()
            .to_string()
    };
    assert_eq!(
        app.put_policy(policy("preferred", std::slice::from_ref(&claimed), false))
            .await
            .status,
        200
    );
    let (_, options) = start_registration(&app, &user, "key").await;
    assert_eq!(options["publicKey"]["attestation"], "direct");
    let (_, r) = enroll(&app, &user, &mut SoftPasskey::new(true)).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
}

/// API.md's "hardware keys only" (`allowed_methods: ["yubikey_otp", "webauthn"]` with
/// `require_attestation: true`), required: an authenticator app is refused, a software passkey
/// without attestation is refused, a trusted key whose model is not on the list is refused, and a
/// YubiKey OTP and a trusted, listed key are accepted; the user then meets the policy.
#[tokio::test]
async fn hardware_keys_only() {
    if !crate::helpers::require_yubiotp() {
        return;
    }
    let (app, mut token) = app_trusting_softtoken().await;
    let user = app.create_user("hardware@example.com").await;
    let mut hw = json!({
        "require_two_factor": true,
        "allowed_methods": ["yubikey_otp", "webauthn"],
        "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": true },
        "enrollment_grace_days": 14
    });
    assert_eq!(app.put_policy(hw.clone()).await.status, 200);

    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "totp", "name": "phone" }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");

    let (_, r) = enroll(&app, &user, &mut SoftPasskey::new(true)).await;
    assert_eq!(r.status, 403, "no attestation: {:?}", r.body);

    hw["webauthn"]["allowed_aaguids"] = json!(["cb69481e-8ff7-4039-93ec-0a2729a154a8"]);
    assert_eq!(app.put_policy(hw.clone()).await.status, 200);
    let (_, r) = enroll(&app, &user, &mut token).await;
    assert_eq!(r.status, 403, "a model not on the list: {:?}", r.body);
    let c = app
        .request("GET", "/api/v1/compliance", Some(&app.security_key), None)
        .await;
    assert_eq!(c.body["total"], 1, "{:?}", c.body);

    let (public, private, aes) = crate::helpers::new_test_key();
    let r = app
        .request(
            "POST",
            "/api/v1/yubikeys",
            Some(&app.security_key),
            Some(json!({ "public_id": public, "private_id": private, "aes_key": aes })),
        )
        .await;
    assert_eq!(r.status, 201);
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "yubikey_otp", "name": "YubiKey 5", "otp": crate::helpers::yubiotp(&public, &private, &aes, 1, 0) }),
        )
        .await;
    assert_eq!(r.status, 201, "a YubiKey OTP is accepted: {:?}", r.body);

    hw["webauthn"]["allowed_aaguids"] = json!([softtoken::AAGUID.hyphenated().to_string()]);
    assert_eq!(app.put_policy(hw).await.status, 200);
    let (_, r) = enroll(&app, &user, &mut token).await;
    assert_eq!(r.status, 200, "a trusted, listed key: {:?}", r.body);
    let c = app
        .request("GET", "/api/v1/compliance", Some(&app.security_key), None)
        .await;
    assert_eq!(c.body["total"], 0, "{:?}", c.body);
}

/// A group's WebAuthn rules apply to its members at registration and at sign-in, and not to
/// anyone else: its user verification, its attestation requirement, and AAGUID lists that
/// have nothing in common (no security key at all).
#[tokio::test]
async fn a_groups_webauthn_rules_apply_to_its_members_at_registration_and_sign_in() {
    let app = spawn_app().await;
    let member = app.create_user("wa-member@example.com").await;
    let outsider = app.create_user("wa-outsider@example.com").await;
    let mut passkey = SoftPasskey::new(true);
    let (_, r) = enroll(&app, &member, &mut passkey).await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    // User verification "required" from the group: the member's registration asks for it,
    // the outsider's does not.
    let uv = app
        .group_with("UV", Some(policy("required", &[], false)))
        .await;
    assert_eq!(app.join(&uv, &member).await.status, 204);
    let (_, options) = start_registration(&app, &member, "second").await;
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["userVerification"],
        "required"
    );
    let (_, options) = start_registration(&app, &outsider, "first").await;
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["userVerification"],
        "preferred"
    );
    let (factor, mut options) = start_registration(&app, &member, "touch only").await;
    options["publicKey"]["authenticatorSelection"]["userVerification"] = json!("discouraged");
    let credential = register(&mut SoftPasskey::new(false), &options, origin());
    let r = activate(&app, &member, &factor, credential).await;
    assert_eq!(r.status, 422, "{:?}", r.body);

    // Attestation required by a second group: the member's unattested passkey no longer signs
    // in (a challenge started before the change does not outlive it), the outsider's does.
    let mut outsider_key = SoftPasskey::new(true);
    let (_, r) = enroll(&app, &outsider, &mut outsider_key).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let (challenge, options) = start_verification(&app, &app.base, &member).await;
    let assertion = assert_with(&mut passkey, &options);
    let attested = app
        .group_with("Attested", Some(policy("preferred", &[], true)))
        .await;
    assert_eq!(app.join(&attested, &member).await.status, 204);
    let r = finish(&app, &app.base, &member, &challenge, assertion).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    let (_, r) = enroll(&app, &member, &mut SoftPasskey::new(true)).await;
    assert_eq!(
        r.status, 403,
        "an unattested key is refused at registration: {:?}",
        r.body
    );
    let (challenge, options) = start_verification(&app, &app.base, &outsider).await;
    let r = finish(
        &app,
        &app.base,
        &outsider,
        &challenge,
        assert_with(&mut outsider_key, &options),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    // The member leaves: the passkey signs in again.
    let p = format!("/api/v1/groups/{attested}/members/{member}");
    assert_eq!(app.sec("DELETE", &p, None).await.status, 204);
    let (challenge, options) = start_verification(&app, &app.base, &member).await;
    let r = finish(
        &app,
        &app.base,
        &member,
        &challenge,
        assert_with(&mut passkey, &options),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    // Two groups whose AAGUID lists share nothing: no security key for the member.
    let a = app
        .group_with(
            "Model A",
            Some(policy(
                "preferred",
                &["cb69481e-8ff7-4039-93ec-0a2729a154a8".into()],
                false,
            )),
        )
        .await;
    let b = app
        .group_with(
            "Model B",
            Some(policy(
                "preferred",
                &["ee882879-721c-4913-9775-3dfcce97072a".into()],
                false,
            )),
        )
        .await;
    assert_eq!(app.join(&a, &member).await.status, 204);
    assert_eq!(app.join(&b, &member).await.status, 204);
    let e = app.effective(&member).await;
    assert_eq!(e["allowed_methods"], json!(["totp", "yubikey_otp"]), "{e}");
    let r = app
        .post(
            &format!("/api/v1/users/{member}/factors"),
            json!({ "type": "webauthn", "name": "k" }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
}
