//! The OpenID Connect hand-off, driven by an independent client library (`openidconnect`):
//! discovery, the request object, the portal's pages in between, the code exchange with PKCE,
//! the ID token checked against the JWKS, userinfo, and every refusal of the contract.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use serde_json::{Value, json};

use crate::helpers::{TestApp, free_port, spawn_app_with, totp_code};
use crate::portal::{Browser, csrf_of};

/// A form body (reqwest is built without its `form` feature here).
trait FormPairs {
    fn form_pairs(self, pairs: &[(&str, &str)]) -> Self;
}

impl FormPairs for reqwest::RequestBuilder {
    fn form_pairs(self, pairs: &[(&str, &str)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }
}

const REDIRECT: &str = "http://127.0.0.1:9/panel/callback";
const PASSWORD: &str = "correct horse battery";

/// openidconnect's HTTP seam, over the reqwest the tests already use (no redirects followed).
async fn http(
    req: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, std::io::Error> {
    let io = |e: &dyn std::fmt::Display| std::io::Error::other(e.to_string());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| io(&e))?;
    let (parts, body) = req.into_parts();
    let resp = client
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| io(&e))?;
    let mut builder = openidconnect::http::Response::builder().status(resp.status());
    for (k, v) in resp.headers() {
        builder = builder.header(k, v);
    }
    let body = resp.bytes().await.map_err(|e| io(&e))?.to_vec();
    builder.body(body).map_err(|e| io(&e))
}

/// A Keyward whose issuer is its own address.
async fn provider(extra: &[(&str, &str)]) -> TestApp {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let base = format!("http://localhost:{port}");
    let mut vars = vec![
        ("KEYWARD_LISTEN", listen.as_str()),
        ("KEYWARD_BASE_URL", base.as_str()),
    ];
    vars.extend_from_slice(extra);
    spawn_app_with(&vars).await
}

struct Registered {
    id: String,
    secret: String,
}

async fn register(app: &TestApp, trusted: bool) -> Registered {
    let r = app
        .request(
            "POST",
            "/api/v1/clients",
            Some(&app.security_key),
            Some(json!({ "name": "Example Panel", "redirect_uris": [REDIRECT], "trusted_first_factor": trusted })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    Registered {
        id: r.body["client_id"].as_str().expect("id").to_owned(),
        secret: r.body["client_secret"].as_str().expect("secret").to_owned(),
    }
}

/// A user with a password and an active authenticator app: (id, backup codes).
async fn customer(app: &TestApp, email: &str) -> (String, Vec<String>) {
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    let user = r.body["id"].as_str().expect("id").to_owned();
    let (factor, secret, _) = app.enroll_totp(&user, "Phone").await;
    let now = app.pin_clock_mid_step();
    let r = app.activate(&user, &factor, &totp_code(&secret, now)).await;
    let codes = r.body["backup_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    (user, codes)
}

/// What the panel signs: the parameters of the hand-off (RFC 9101), `extra` merged in last.
fn request_object(app: &TestApp, client: &Registered, claims: Value) -> String {
    let now = chrono::Utc::now().timestamp() + app.clock_offset_seconds();
    let mut all = json!({
        "iss": client.id,
        "aud": app.state.settings.server.base_url.as_str().trim_end_matches('/'),
        "iat": now,
        "exp": now + 300,
        "jti": uuid::Uuid::new_v4().to_string(),
        "client_id": client.id,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "openid email",
    });
    for (k, v) in claims.as_object().expect("object") {
        if v.is_null() {
            all.as_object_mut().expect("object").remove(k);
        } else {
            all[k] = v.clone();
        }
    }
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.typ = Some("oauth-authz-req+jwt".into());
    jsonwebtoken::encode(
        &header,
        &all,
        &jsonwebtoken::EncodingKey::from_secret(client.secret.as_bytes()),
    )
    .expect("signs")
}

/// A client of the openidconnect crate, configured from discovery.
async fn stock_client(
    app: &TestApp,
    client: &Registered,
) -> openidconnect::core::CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
> {
    let issuer = IssuerUrl::new(
        app.state
            .settings
            .server
            .base_url
            .as_str()
            .trim_end_matches('/')
            .to_owned(),
    )
    .expect("issuer");
    let metadata = CoreProviderMetadata::discover_async(issuer, &http)
        .await
        .expect("discovery");
    CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(client.id.clone()),
        Some(ClientSecret::new(client.secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).expect("uri"))
}

/// The code, state and iss from the page that sends the browser back to the client.
fn returned(body: &str) -> Vec<(String, String)> {
    let start = body
        .find("url=")
        .expect("a page that returns to the client")
        + 4;
    let url = body[start..]
        .split('"')
        .next()
        .expect("url")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(url.starts_with(REDIRECT), "{url}");
    url::Url::parse(&url)
        .expect("url")
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The ID token's claims, decoded (after the library verified it).
fn claims_of(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("payload");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64"),
    )
    .expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stock_client_hands_off_the_second_step_and_verifies_the_id_token() {
    let app = provider(&[]).await;
    let panel = register(&app, true).await;
    let (user, codes) = customer(&app, "panel-user@example.com").await;
    let client = stock_client(&app, &panel).await;

    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = Nonce::new_random();
    let state = CsrfToken::new_random();
    let jwt = request_object(
        &app,
        &panel,
        json!({
            "login_hint": user,
            "nonce": nonce.secret(),
            "state": state.secret(),
            "code_challenge": challenge.as_str(),
            "code_challenge_method": "S256",
            "kw_action": "verify",
        }),
    );
    let (n2, s2) = (nonce.clone(), state.clone());
    let (auth_url, _, _) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || s2.clone(),
            move || n2.clone(),
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .add_extra_param("request", jwt)
        .url();
    let path = &auth_url.as_str()[auth_url.as_str().find("/oauth2/").expect("path")..];

    // The browser: the portal's second step with the panel's bar, a backup code, back.
    let mut b = Browser::new(&app);
    let first = b.get(path).await;
    assert_eq!(
        first.location.as_deref(),
        Some("/signin/verify"),
        "{}",
        first.body
    );
    let step = b.get("/signin/verify").await;
    assert!(
        step.body
            .contains("You came here from <strong>Example Panel</strong>"),
        "{}",
        step.body
    );
    assert!(step.body.contains("Cancel and return to Example Panel"));
    let done = b
        .post(
            "/signin/verify",
            &[("csrf", &csrf_of(&step.body)), ("code", &codes[0])],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/oauth2/authorize/resume"));
    let back = b.get("/oauth2/authorize/resume").await;
    assert_eq!(back.status, 200, "{}", back.body);
    let pairs = returned(&back.body);
    assert_eq!(param(&pairs, "state"), Some(state.secret().as_str()));
    assert_eq!(
        param(&pairs, "iss"),
        Some(
            app.state
                .settings
                .server
                .base_url
                .as_str()
                .trim_end_matches('/')
        )
    );
    let code = param(&pairs, "code").expect("code").to_owned();

    // The panel: the code for tokens, the ID token checked by the library.
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.clone()))
        .expect("token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("tokens");
    let id_token = tokens.id_token().expect("an ID token");
    let claims = id_token
        .claims(&client.id_token_verifier(), &nonce)
        .expect("the ID token verifies");
    assert_eq!(claims.subject().as_str(), user);
    assert_eq!(
        claims.email().map(|e| e.as_str()),
        Some("panel-user@example.com")
    );
    let raw = claims_of(&id_token.to_string());
    assert_eq!(raw["acr"], "2fa");
    assert_eq!(raw["amr"], json!(["otp"]));
    assert_eq!(raw["kw_action"], "verify");
    assert_eq!(raw["kw_method"], "backup_code");
    assert!(raw["exp"].as_i64().expect("exp") - raw["iat"].as_i64().expect("iat") <= 600);
    assert!(raw["auth_time"].is_i64());

    // Userinfo with the access token.
    let access = tokens.access_token().secret().clone();
    let info = reqwest::Client::new()
        .get(format!("{}/oauth2/userinfo", app.base))
        .bearer_auth(&access)
        .send()
        .await
        .expect("userinfo");
    assert_eq!(info.status(), 200);
    let info: Value = info.json().await.expect("json");
    assert_eq!(info["sub"], user.as_str());
    assert_eq!(info["email"], "panel-user@example.com");

    // The same code again: refused, and the access token it issued stops working.
    let again = reqwest::Client::new()
        .post(format!("{}/oauth2/token", app.base))
        .basic_auth(&panel.id, Some(&panel.secret))
        .form_pairs(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", "x".repeat(43).as_str()),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(again.status(), 400);
    assert_eq!(
        again.json::<Value>().await.expect("json")["error"],
        "invalid_grant"
    );
    let info = reqwest::Client::new()
        .get(format!("{}/oauth2/userinfo", app.base))
        .bearer_auth(&access)
        .send()
        .await
        .expect("userinfo");
    assert_eq!(info.status(), 401);

    // The hand-off's session ended with it; the audit trail has every step.
    assert_eq!(
        b.get("/settings").await.location.as_deref(),
        Some("/signin")
    );
    let events = app
        .request(
            "GET",
            &format!("/api/v1/audit?user_id={user}&limit=200"),
            Some(&app.security_key),
            None,
        )
        .await;
    let names: Vec<&str> = events.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["event"].as_str())
        .collect();
    for e in [
        "oidc.authorize",
        "oidc.code_issued",
        "oidc.token_issued",
        "oidc.code_reused",
    ] {
        assert!(names.contains(&e), "{e} in {names:?}");
    }
    // No code, token or secret in the audit log.
    let text = events.body.to_string();
    assert!(!text.contains(&code) && !text.contains(&access) && !text.contains(&panel.secret));
}

/// The refusals of the contract: no redirect for an unknown client or redirect URI; an error
/// redirect with `state` and `iss` for everything else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_answers_as_the_contract_says() {
    let app = provider(&[]).await;
    let panel = register(&app, true).await;
    let plain = register(&app, false).await;
    let (user, _) = customer(&app, "refused@example.com").await;
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    let good = json!({
        "login_hint": user,
        "nonce": "n-1",
        "state": "st-1",
        "code_challenge": challenge.as_str(),
        "code_challenge_method": "S256",
    });
    let mut b = Browser::new(&app);
    let authorize = |client_id: &str, jwt: &str| {
        format!(
            "/oauth2/authorize?client_id={}&request={}",
            client_id,
            url::form_urlencoded::byte_serialize(jwt.as_bytes()).collect::<String>()
        )
    };
    let error_of = |page: &crate::portal::Page| -> (String, String, String) {
        let loc = page
            .location
            .clone()
            .unwrap_or_else(|| panic!("a redirect: {} {}", page.status, page.body));
        assert!(loc.starts_with(REDIRECT), "{loc}");
        let pairs: Vec<(String, String)> = url::Url::parse(&loc)
            .expect("url")
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert!(param(&pairs, "iss").is_some(), "{loc}");
        (
            param(&pairs, "error").unwrap_or("").to_owned(),
            param(&pairs, "error_description").unwrap_or("").to_owned(),
            param(&pairs, "state").unwrap_or("").to_owned(),
        )
    };

    // No redirect at all: an unknown client, a redirect URI not registered.
    let r = b
        .get(&authorize(
            "kwc_unknown",
            &request_object(&app, &panel, good.clone()),
        ))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.location.is_none());
    let r = b
        .get(&authorize(&panel.id, &request_object(&app, &panel, json!({ "redirect_uri": "https://evil.example/cb", "login_hint": user, "nonce": "n", "code_challenge": challenge.as_str(), "code_challenge_method": "S256" }))))
        .await;
    assert_eq!(r.status, 400, "never a redirect to an unregistered URI");
    let r = b
        .get(&format!(
            "/oauth2/authorize?client_id={}&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&response_type=code&scope=openid&nonce=n&code_challenge={}&code_challenge_method=S256",
            plain.id,
            challenge.as_str()
        ))
        .await;
    assert_eq!(r.status, 400);

    // Redirected refusals.
    let cases: Vec<(Value, &str)> = vec![
        (json!({ "nonce": null }), "invalid_request"),
        (json!({ "code_challenge": null }), "invalid_request"),
        (
            json!({ "code_challenge_method": "plain" }),
            "invalid_request",
        ),
        (json!({ "scope": "email" }), "invalid_scope"),
        (
            json!({ "response_type": "token" }),
            "unsupported_response_type",
        ),
        (
            json!({ "exp": chrono::Utc::now().timestamp() + app.clock_offset_seconds() - 120 }),
            "invalid_request_object",
        ),
        (
            json!({ "exp": chrono::Utc::now().timestamp() + app.clock_offset_seconds() + 3600 }),
            "invalid_request_object",
        ),
        (
            json!({ "aud": "https://another.example" }),
            "invalid_request_object",
        ),
        (
            json!({ "login_hint": "usr_doesnotexist000000" }),
            "invalid_request_object",
        ),
        (json!({ "kw_action": "delete" }), "invalid_request"),
    ];
    for (change, expected) in cases {
        let mut claims = good.clone();
        for (k, v) in change.as_object().expect("object") {
            claims[k] = v.clone();
        }
        let page = b
            .get(&authorize(&panel.id, &request_object(&app, &panel, claims)))
            .await;
        let (error, _, state) = error_of(&page);
        assert_eq!(error, expected, "{change}");
        assert_eq!(state, "st-1", "{change}");
    }
    // Signed with another secret; unsigned ("alg": "none"); replayed.
    let forged = request_object(
        &app,
        &Registered {
            id: panel.id.clone(),
            secret: "not the secret".into(),
        },
        good.clone(),
    );
    assert_eq!(
        error_of(&b.get(&authorize(&panel.id, &forged)).await).0,
        "invalid_request_object"
    );
    let signed = request_object(&app, &panel, good.clone());
    let mut parts: Vec<&str> = signed.split('.').collect();
    let none_header = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#)
    };
    parts[0] = &none_header;
    let unsigned = format!("{}.{}.", parts[0], parts[1]);
    let page = b
        .get(&format!(
            "{}&redirect_uri={}",
            authorize(&panel.id, &unsigned),
            url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
        ))
        .await;
    assert_eq!(error_of(&page).0, "invalid_request_object");
    let once = request_object(&app, &panel, good.clone());
    assert_eq!(
        b.get(&authorize(&panel.id, &once))
            .await
            .location
            .as_deref(),
        Some("/signin/verify")
    );
    let (error, description, _) = error_of(&b.get(&authorize(&panel.id, &once)).await);
    assert_eq!(error, "invalid_request_object");
    assert!(description.contains("jti"), "{description}");
    // A client without trusted_first_factor cannot hand off.
    let page = b
        .get(&authorize(
            &plain.id,
            &request_object(&app, &plain, good.clone()),
        ))
        .await;
    assert_eq!(error_of(&page).0, "unauthorized_client");
    // Step-up to hardware for a user who has only an app.
    let mut hw = good.clone();
    hw["acr_values"] = json!("hardware");
    let (error, description, _) = error_of(
        &b.get(&authorize(&panel.id, &request_object(&app, &panel, hw)))
            .await,
    );
    assert_eq!(
        (error.as_str(), description.as_str()),
        ("access_denied", "acr_not_met")
    );

    // The token endpoint: a wrong secret, no client authentication, a wrong grant type.
    let token = |auth: Option<(&str, &str)>, form: Vec<(&str, &str)>| {
        let mut req = reqwest::Client::new()
            .post(format!("{}/oauth2/token", app.base))
            .form_pairs(&form);
        if let Some((id, secret)) = auth {
            req = req.basic_auth(id, Some(secret));
        }
        req.send()
    };
    let r = token(
        Some((&panel.id, "wrong")),
        vec![("grant_type", "authorization_code"), ("code", "x")],
    )
    .await
    .expect("sent");
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "invalid_client"
    );
    let r = token(
        None,
        vec![("grant_type", "authorization_code"), ("code", "x")],
    )
    .await
    .expect("sent");
    assert_eq!(r.status(), 401);
    let r = token(
        Some((&panel.id, &panel.secret)),
        vec![("grant_type", "password")],
    )
    .await
    .expect("sent");
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "unsupported_grant_type"
    );
    let r = token(
        Some((&panel.id, &panel.secret)),
        vec![("grant_type", "authorization_code"), ("code", "unknown")],
    )
    .await
    .expect("sent");
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or("")),
        Some("no-store")
    );
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "invalid_grant"
    );
    // Nothing of this grew the audit log for nobody: refusals before a user is known are not
    // audited (anyone can send them).
}

/// Cancel, a wrong PKCE verifier, a wrong redirect URI, an expired code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_are_bound_to_the_verifier_the_redirect_uri_and_60_seconds() {
    let app = provider(&[]).await;
    let panel = register(&app, true).await;
    let (user, codes) = customer(&app, "bound@example.com").await;
    let mut used = 0;
    let mut hand_off = |b: Browser| {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let jwt = request_object(
            &app,
            &panel,
            json!({ "login_hint": user, "nonce": "n", "state": "s", "code_challenge": challenge.as_str(), "code_challenge_method": "S256" }),
        );
        let code = codes[used].clone();
        used += 1;
        let panel_id = panel.id.clone();
        let app = &app;
        async move {
            let mut b = b;
            b.get(&format!(
                "/oauth2/authorize?client_id={panel_id}&request={jwt}"
            ))
            .await;
            let step = b.get("/signin/verify").await;
            b.post(
                "/signin/verify",
                &[("csrf", &csrf_of(&step.body)), ("code", &code)],
            )
            .await;
            let back = b.get("/oauth2/authorize/resume").await;
            let _ = app;
            (
                param(&returned(&back.body), "code")
                    .expect("code")
                    .to_owned(),
                verifier,
            )
        }
    };
    let exchange = |code: String, redirect: &str, verifier: String| {
        reqwest::Client::new()
            .post(format!("{}/oauth2/token", app.base))
            .form_pairs(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect),
                ("code_verifier", verifier.as_str()),
                ("client_id", panel.id.as_str()),
                ("client_secret", panel.secret.as_str()),
            ])
            .send()
    };
    let (code, verifier) = hand_off(Browser::new(&app)).await;
    let wrong = PkceCodeChallenge::new_random_sha256().1;
    let r = exchange(code.clone(), REDIRECT, wrong.secret().clone())
        .await
        .expect("sent");
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "invalid_grant"
    );
    let (code, verifier2) = hand_off(Browser::new(&app)).await;
    let r = exchange(code, "http://127.0.0.1:9/other", verifier2.secret().clone())
        .await
        .expect("sent");
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "invalid_grant"
    );
    let (code, verifier3) = hand_off(Browser::new(&app)).await;
    app.clock.advance(chrono::Duration::seconds(61));
    let r = exchange(code, REDIRECT, verifier3.secret().clone())
        .await
        .expect("sent");
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "invalid_grant"
    );
    let _ = verifier;

    // "Cancel and return to …": access_denied.
    let mut b = Browser::new(&app);
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    let jwt = request_object(
        &app,
        &panel,
        json!({ "login_hint": user, "nonce": "n", "state": "c", "code_challenge": challenge.as_str(), "code_challenge_method": "S256" }),
    );
    b.get(&format!(
        "/oauth2/authorize?client_id={}&request={jwt}",
        panel.id
    ))
    .await;
    let cancelled = b.get("/oauth2/authorize/cancel").await;
    let pairs = returned(&cancelled.body);
    assert_eq!(param(&pairs, "error"), Some("access_denied"));
    assert_eq!(param(&pairs, "state"), Some("c"));
}

/// Way 2: a client that is not trusted with the first factor sends the browser to Keyward's
/// own sign-in; the ID token says Keyward checked the password and the second factor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_client_gets_keywards_sign_in_and_mfa() {
    let app = provider(&[]).await;
    let panel = register(&app, false).await;
    let (user, codes) = customer(&app, "way2@example.com").await;
    let client = stock_client(&app, &panel).await;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge)
        .url();
    let mut b = Browser::new(&app);
    let path = &auth_url.as_str()[auth_url.as_str().find("/oauth2/").expect("path")..];
    let first = b.get(path).await;
    assert_eq!(first.location.as_deref(), Some("/signin"));
    let page = b.get("/signin").await;
    assert!(
        page.body
            .contains("continue to <strong>Example Panel</strong>"),
        "{}",
        page.body
    );
    let r = b
        .post(
            "/signin",
            &[
                ("csrf", &csrf_of(&page.body)),
                ("email", "way2@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/oauth2/authorize/resume"));
    assert_eq!(
        b.get("/oauth2/authorize/resume").await.location.as_deref(),
        Some("/signin/verify")
    );
    let step = b.get("/signin/verify").await;
    b.post(
        "/signin/verify",
        &[("csrf", &csrf_of(&step.body)), ("code", &codes[0])],
    )
    .await;
    let back = b.get("/oauth2/authorize/resume").await;
    let pairs = returned(&back.body);
    assert_eq!(param(&pairs, "state"), Some(state.secret().as_str()));
    let tokens = client
        .exchange_code(AuthorizationCode::new(
            param(&pairs, "code").expect("code").into(),
        ))
        .expect("endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("tokens");
    let id_token = tokens.id_token().expect("id token");
    let claims = id_token
        .claims(&client.id_token_verifier(), &nonce)
        .expect("verifies");
    assert_eq!(claims.subject().as_str(), user);
    assert_eq!(
        claims_of(&id_token.to_string())["amr"],
        json!(["pwd", "otp", "mfa"])
    );
    // Keyward's session stays (its own sign-in), without the hand-off.
    assert_eq!(b.get("/settings").await.status, 200);
}

/// Enrollment through the hand-off: a user with no factor and a fresh auth_time adds an
/// authenticator app on Keyward's pages and comes back with kw_method=totp.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrollment_through_the_hand_off() {
    let app = provider(&[]).await;
    let panel = register(&app, true).await;
    let user = app.create_user("new-to-2fa@example.com").await;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let now = chrono::Utc::now().timestamp() + app.clock_offset_seconds();
    // Without a fresh auth_time: login_required.
    let stale = request_object(
        &app,
        &panel,
        json!({ "login_hint": user, "nonce": "n", "state": "e", "kw_action": "enroll", "code_challenge": challenge.as_str(), "code_challenge_method": "S256" }),
    );
    let mut b = Browser::new(&app);
    let r = b
        .get(&format!(
            "/oauth2/authorize?client_id={}&request={stale}",
            panel.id
        ))
        .await;
    assert!(
        r.location
            .as_deref()
            .unwrap_or("")
            .contains("error=login_required"),
        "{:?}",
        r.location
    );
    let jwt = request_object(
        &app,
        &panel,
        json!({ "login_hint": user, "nonce": "n", "state": "e", "kw_action": "enroll", "auth_time": now - 60, "code_challenge": challenge.as_str(), "code_challenge_method": "S256" }),
    );
    let r = b
        .get(&format!(
            "/oauth2/authorize?client_id={}&request={jwt}",
            panel.id
        ))
        .await;
    assert_eq!(r.location.as_deref(), Some("/settings/add"), "{}", r.body);
    let add = b.get("/settings/add").await;
    assert_eq!(add.status, 200, "{}", add.body);
    assert!(add.body.contains("Authenticator app"), "{}", add.body);
    let name = b.get("/settings/add/totp").await;
    let started = b
        .post(
            "/settings/add/totp",
            &[("csrf", &csrf_of(&name.body)), ("name", "Phone")],
        )
        .await;
    let activate = started.location.expect("the setup page");
    let setup = b.get(&activate).await;
    let key_start = setup.body.find("id=\"setup-key\"").expect("setup key");
    let key: String = setup.body[key_start..]
        .split_once('>')
        .expect("tag")
        .1
        .split('<')
        .next()
        .expect("text")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = app.pin_clock_mid_step();
    let codes = b
        .post(
            &activate,
            &[
                ("csrf", &csrf_of(&setup.body)),
                ("code", &totp_code(&key, t)),
            ],
        )
        .await;
    assert_eq!(codes.status, 200, "{}", codes.body);
    assert!(
        codes.body.contains("href=\"/oauth2/authorize/resume\""),
        "the saved-codes button leads back"
    );
    let back = b.get("/oauth2/authorize/resume").await;
    let pairs = returned(&back.body);
    let r = reqwest::Client::new()
        .post(format!("{}/oauth2/token", app.base))
        .basic_auth(&panel.id, Some(&panel.secret))
        .form_pairs(&[
            ("grant_type", "authorization_code"),
            ("code", param(&pairs, "code").expect("code")),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier.secret().as_str()),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.expect("json");
    let claims = claims_of(body["id_token"].as_str().expect("id token"));
    assert_eq!(claims["kw_action"], "enroll");
    assert_eq!(claims["kw_method"], "totp");
    assert_eq!(claims["acr"], "2fa");
}

/// Any instance serves any step: authorize on one, the second step and the token on another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_off_started_on_one_instance_finishes_on_another() {
    let app = provider(&[]).await;
    let panel = register(&app, true).await;
    let (user, codes) = customer(&app, "two-instances@example.com").await;
    let sibling = app.spawn_sibling().await;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let jwt = request_object(
        &app,
        &panel,
        json!({ "login_hint": user, "nonce": "n", "state": "x", "code_challenge": challenge.as_str(), "code_challenge_method": "S256" }),
    );
    let mut one = Browser::new(&app);
    one.get(&format!(
        "/oauth2/authorize?client_id={}&request={jwt}",
        panel.id
    ))
    .await;
    // The same cookies, the other instance (the second step and the token; the instances'
    // test clocks differ, so each step stays on one of them).
    let mut other = Browser::at(&sibling.base, one.cookies.clone());
    let step = other.get("/signin/verify").await;
    assert_eq!(step.status, 200, "{}", step.body);
    other
        .post(
            "/signin/verify",
            &[("csrf", &csrf_of(&step.body)), ("code", &codes[0])],
        )
        .await;
    let back = other.get("/oauth2/authorize/resume").await;
    let pairs = returned(&back.body);
    let r = reqwest::Client::new()
        .post(format!("{}/oauth2/token", sibling.base))
        .basic_auth(&panel.id, Some(&panel.secret))
        .form_pairs(&[
            ("grant_type", "authorization_code"),
            ("code", param(&pairs, "code").expect("code")),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier.secret().as_str()),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    // The signing key is shared: the other instance lists the same keys.
    let a: Value = reqwest::get(format!("{}/oauth2/jwks", app.base))
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    let b: Value = reqwest::get(format!("{}/oauth2/jwks", sibling.base))
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    assert_eq!(a, b);
    assert_eq!(a["keys"][0]["kty"], "RSA");
    assert!(a["keys"][0]["kid"].is_string());
}

/// `keyward keys rotate` turns the signing key over: new tokens are signed with the new key,
/// and the old one stays listed while tokens signed with it can be valid.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_rotate_adds_a_signing_key_and_keeps_the_old_one_listed() {
    let app = provider(&[]).await;
    let before: Value = reqwest::get(format!("{}/oauth2/jwks", app.base))
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    assert_eq!(before["keys"].as_array().map(Vec::len), Some(1));
    let old_kid = before["keys"][0]["kid"].as_str().expect("kid").to_owned();
    let out = app.cli(&["keys", "rotate"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("new ID token signing key"), "{stdout}");
    let after: Value = reqwest::get(format!("{}/oauth2/jwks", app.base))
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    let kids: Vec<&str> = after["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .collect();
    assert_eq!(kids.len(), 2, "{kids:?}");
    assert!(kids.contains(&old_kid.as_str()));
    // New ID tokens carry the new key's id.
    let panel = register(&app, true).await;
    let (user, codes) = customer(&app, "rotated@example.com").await;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let jwt = request_object(
        &app,
        &panel,
        json!({ "login_hint": user, "nonce": "n", "state": "r", "code_challenge": challenge.as_str(), "code_challenge_method": "S256" }),
    );
    let mut b = Browser::new(&app);
    b.get(&format!(
        "/oauth2/authorize?client_id={}&request={jwt}",
        panel.id
    ))
    .await;
    let step = b.get("/signin/verify").await;
    b.post(
        "/signin/verify",
        &[("csrf", &csrf_of(&step.body)), ("code", &codes[0])],
    )
    .await;
    let pairs = returned(&b.get("/oauth2/authorize/resume").await.body);
    let r = reqwest::Client::new()
        .post(format!("{}/oauth2/token", app.base))
        .basic_auth(&panel.id, Some(&panel.secret))
        .form_pairs(&[
            ("grant_type", "authorization_code"),
            ("code", param(&pairs, "code").expect("code")),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier.secret().as_str()),
        ])
        .send()
        .await
        .expect("token");
    let body: Value = r.json().await.expect("json");
    let jwt = body["id_token"].as_str().expect("id token");
    let header = jsonwebtoken::decode_header(jwt).expect("header");
    assert_ne!(header.kid.as_deref(), Some(old_kid.as_str()));
    assert!(kids.contains(&header.kid.as_deref().unwrap_or("")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_from_the_command_line_and_the_api() {
    let app = provider(&[]).await;
    let out = app.cli(&[
        "client",
        "create",
        "CLI Panel",
        "--redirect-uri",
        REDIRECT,
        "--trusted-first-factor",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut lines = stdout.lines();
    let id = lines.next().expect("client_id").to_owned();
    let secret = lines.next().expect("secret").to_owned();
    assert!(id.starts_with("kwc_") && secret.len() >= 43);
    assert!(
        id.bytes()
            .chain(secret.bytes())
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    );
    let list = app.cli(&["client", "list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(
        listed.contains(&id) && !listed.contains(&secret),
        "{listed}"
    );
    let r = app
        .request("GET", "/api/v1/clients", Some(&app.security_key), None)
        .await;
    assert_eq!(r.status, 200);
    assert!(!r.body.to_string().contains(&secret));
    assert_eq!(r.body["clients"][0]["trusted_first_factor"], true);
    // Scopes and validation.
    let r = app
        .request("GET", "/api/v1/clients", Some(&app.integration_key), None)
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .request(
            "POST",
            "/api/v1/clients",
            Some(&app.security_key),
            Some(json!({ "name": "Bad", "redirect_uris": ["http://panel.example.com/cb"] })),
        )
        .await;
    assert_eq!(r.status, 400, "http only on loopback: {:?}", r.body);
    // Deleted: its codes and tokens stop at once; the API answers 404 for it after.
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/clients/{id}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/clients/{id}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    let mut b = Browser::new(&app);
    let page = b
        .get(&format!("/oauth2/authorize?client_id={id}&redirect_uri={REDIRECT}&response_type=code&scope=openid&nonce=n"))
        .await;
    assert_eq!(page.status, 400);
}

/// Housekeeping removes authorizations, request ids and tokens that can no longer be used.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn housekeeping_removes_what_a_hand_off_no_longer_needs() {
    let app = provider(&[]).await;
    let panel = register(&app, false).await;
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    let mut b = Browser::new(&app);
    for i in 0..3 {
        let r = b
            .get(&format!(
                "/oauth2/authorize?client_id={}&redirect_uri={}&response_type=code&scope=openid&nonce=n{i}&code_challenge={}&code_challenge_method=S256",
                panel.id,
                url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>(),
                challenge.as_str()
            ))
            .await;
        assert_eq!(r.location.as_deref(), Some("/signin"));
    }
    let count = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                db.with_conn(|c| {
                    use diesel::prelude::*;
                    keyward::db::schema::oidc_authorizations::table
                        .count()
                        .get_result::<i64>(c)
                })
            })
            .await
            .expect("join")
            .expect("conn")
            .expect("count")
        }
    };
    assert_eq!(count(&app).await, 3);
    app.clock.advance(chrono::Duration::hours(2));
    keyward::startup::run_housekeeping(&app.state)
        .await
        .expect("housekeeping");
    assert_eq!(count(&app).await, 0);
}
