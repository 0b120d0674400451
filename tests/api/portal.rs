//! The portal's sign-in, second step, sign-out, sign-up and settings pages, driven like a
//! browser without JavaScript: cookies kept by hand, forms posted, redirects not followed.

use std::collections::HashMap;

use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spawn_app_with, totp_code};

pub(crate) struct Browser {
    base: String,
    client: reqwest::Client,
    pub(crate) cookies: HashMap<String, String>,
}

pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    pub(crate) body: String,
}

impl Browser {
    pub(crate) fn new(app: &TestApp) -> Self {
        Self {
            base: app.base.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookies: HashMap::new(),
        }
    }

    /// A browser with `cookies`, talking to the instance at `base` (several instances, one
    /// database).
    pub(crate) fn at(base: &str, cookies: HashMap<String, String>) -> Self {
        Self {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookies,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn keep(&mut self, resp: reqwest::Response) -> Page {
        for sc in resp.headers().get_all("set-cookie") {
            let sc = sc.to_str().expect("ascii");
            assert!(
                sc.contains("HttpOnly") && sc.contains("SameSite=Lax"),
                "{sc}"
            );
            let (pair, _) = sc.split_once(';').unwrap_or((sc, ""));
            let (k, v) = pair.split_once('=').expect("cookie pair");
            if v.is_empty() || sc.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        Page {
            status: resp.status().as_u16(),
            location: resp
                .headers()
                .get("location")
                .map(|l| l.to_str().expect("ascii").to_owned()),
            body: resp.text().await.expect("body"),
        }
    }

    pub(crate) async fn get(&mut self, path: &str) -> Page {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("get");
        self.keep(resp).await
    }

    pub(crate) async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("post");
        self.keep(resp).await
    }
}

pub(crate) fn csrf_of(body: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker).expect("a csrf field") + marker.len();
    body[start..].split('"').next().expect("value").to_owned()
}

/// A user with a password and an active TOTP factor: (user id, TOTP secret, backup codes).
async fn customer(app: &TestApp, email: &str) -> (String, String, Vec<String>) {
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": email, "password": "correct horse battery" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let user = r.body["id"].as_str().expect("id").to_owned();
    let (factor, secret, _) = app.enroll_totp(&user, "My Phone").await;
    let now = app.pin_clock_mid_step();
    let r = app.activate(&user, &factor, &totp_code(&secret, now)).await;
    assert_eq!(r.status, 200);
    let codes = r.body["backup_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    (user, secret, codes)
}

pub(crate) async fn password_step(b: &mut Browser, email: &str) -> Page {
    let page = b.get("/signin").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<label for=\"email\">Email</label>"));
    let csrf = csrf_of(&page.body);
    b.post(
        "/signin",
        &[
            ("csrf", &csrf),
            ("email", email),
            ("password", "correct horse battery"),
        ],
    )
    .await
}

#[tokio::test]
async fn sign_in_with_a_password_and_an_authenticator_code() {
    let app = spawn_app().await;
    let (_, secret, _) = customer(&app, "portal@example.com").await;
    let mut b = Browser::new(&app);

    let page = b.get("/signin").await;
    let csrf = csrf_of(&page.body);
    let wrong = b
        .post(
            "/signin",
            &[
                ("csrf", &csrf),
                ("email", "portal@example.com"),
                ("password", "nope nope"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("The email or password is not correct."));
    let unknown = b
        .post(
            "/signin",
            &[
                ("csrf", &csrf),
                ("email", "nobody@example.com"),
                ("password", "nope nope"),
            ],
        )
        .await;
    assert_eq!(unknown.status, 401);
    assert!(
        unknown
            .body
            .contains("The email or password is not correct.")
    );

    let step = password_step(&mut b, "portal@example.com").await;
    assert_eq!(step.status, 303);
    assert_eq!(step.location.as_deref(), Some("/signin/verify"));
    let half = b.cookies["kw_session"].clone();
    // Not signed in yet: settings send the user back to the second step.
    assert_eq!(
        b.get("/settings").await.location.as_deref(),
        Some("/signin/verify")
    );
    let verify = b.get("/signin/verify").await;
    assert!(
        verify
            .body
            .contains("Enter the 6-digit code from your authenticator app")
    );
    assert!(verify.body.contains("Use a backup code"));
    let csrf = csrf_of(&verify.body);
    let bad = b
        .post("/signin/verify", &[("csrf", &csrf), ("code", "000000")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains(keyward::error::INVALID_CODE_MESSAGE),
        "{}",
        bad.body
    );
    let now = app.pin_clock_after(app.now() + 30);
    let ok = b
        .post(
            "/signin/verify",
            &[("csrf", &csrf), ("code", &totp_code(&secret, now))],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.location.as_deref(), Some("/settings"));
    // A new session at the second step: the half-signed-in token is gone.
    let full = b.cookies["kw_session"].clone();
    assert_ne!(full, half);
    let settings = b.get("/settings").await;
    assert_eq!(settings.status, 200);
    assert!(settings.body.contains("My Phone"));
    assert!(settings.body.contains("Authenticator app"));
    assert!(settings.body.contains("10 backup codes left"));
    b.cookies.insert("kw_session".into(), half);
    assert_eq!(
        b.get("/settings").await.location.as_deref(),
        Some("/signin")
    );
}

#[tokio::test]
async fn a_backup_code_signs_in_and_wrong_codes_lock_the_second_step() {
    let app = spawn_app().await;
    let (_, _, codes) = customer(&app, "backup@example.com").await;
    let mut b = Browser::new(&app);
    password_step(&mut b, "backup@example.com").await;
    let csrf = csrf_of(&b.get("/signin/verify").await.body);
    let ok = b
        .post("/signin/verify", &[("csrf", &csrf), ("code", &codes[0])])
        .await;
    assert_eq!(ok.location.as_deref(), Some("/settings"));
    assert!(
        b.get("/settings")
            .await
            .body
            .contains("9 backup codes left")
    );

    let mut c = Browser::new(&app);
    password_step(&mut c, "backup@example.com").await;
    let csrf = csrf_of(&c.get("/signin/verify").await.body);
    for _ in 0..5 {
        c.post("/signin/verify", &[("csrf", &csrf), ("code", "000000")])
            .await;
    }
    let locked = c
        .post("/signin/verify", &[("csrf", &csrf), ("code", &codes[1])])
        .await;
    assert_eq!(locked.status, 422);
    assert!(
        locked.body.contains("try again in 5 minutes"),
        "{}",
        locked.body
    );
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    customer(&app, "csrf@example.com").await;
    let mut b = Browser::new(&app);
    // No CSRF cookie at all, then a mismatching token.
    let r = b
        .post(
            "/signin",
            &[
                ("csrf", "x"),
                ("email", "csrf@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    b.get("/signin").await;
    let r = b
        .post(
            "/signin",
            &[
                ("csrf", "forged"),
                ("email", "csrf@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(!b.cookies.contains_key("kw_session"));
    password_step(&mut b, "csrf@example.com").await;
    let r = b
        .post("/signin/verify", &[("csrf", "forged"), ("code", "123456")])
        .await;
    assert_eq!(r.status, 403);
    let r = b.post("/signout", &[("csrf", "forged")]).await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn sign_out_and_inactivity_end_the_session() {
    let app = spawn_app().await;
    app.post(
        "/api/v1/users",
        json!({ "email": "plain@example.com", "password": "correct horse battery" }),
    )
    .await;
    let mut b = Browser::new(&app);
    // No second factor: the password signs in fully.
    let r = password_step(&mut b, "plain@example.com").await;
    assert_eq!(r.location.as_deref(), Some("/settings"));
    let settings = b.get("/settings").await;
    assert!(settings.body.contains("Two-factor authentication is off"));
    let csrf = csrf_of(&settings.body);
    let out = b.post("/signout", &[("csrf", &csrf)]).await;
    assert_eq!(out.location.as_deref(), Some("/signin"));
    assert_eq!(
        b.get("/settings").await.location.as_deref(),
        Some("/signin")
    );

    password_step(&mut b, "plain@example.com").await;
    assert_eq!(b.get("/settings").await.status, 200);
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(
        b.get("/settings").await.status,
        200,
        "activity keeps it alive"
    );
    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(
        b.get("/settings").await.location.as_deref(),
        Some("/signin")
    );
}

#[tokio::test]
async fn one_address_cannot_try_passwords_without_limit() {
    let app = spawn_app().await;
    customer(&app, "target@example.com").await;
    let mut b = Browser::new(&app);
    let csrf = csrf_of(&b.get("/signin").await.body);
    // Ten guesses at ten addresses (each below its account's own limit).
    for i in 0..10 {
        let r = b
            .post(
                "/signin",
                &[
                    ("csrf", &csrf),
                    ("email", &format!("guess{i}@example.com")),
                    ("password", &format!("guess {i}")),
                ],
            )
            .await;
        assert_eq!(r.status, 401);
    }
    let r = password_step(&mut b, "target@example.com").await;
    assert_eq!(r.status, 429);
    assert!(
        r.body
            .contains("Too many failed sign-ins. Try again in 15 minutes"),
        "{}",
        r.body
    );
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(
        password_step(&mut b, "target@example.com").await.status,
        303
    );
}

/// The link in a mail's text part whose path starts with `prefix`, as a path.
pub(crate) fn link_in(text: &str, prefix: &str) -> String {
    let url = text
        .split_whitespace()
        .find(|w| w.contains(prefix))
        .unwrap_or_else(|| panic!("a link to {prefix} in {text}"));
    url[url.find(prefix).expect("prefix")..].to_owned()
}

/// Signs up with `email` and the test password, opens the mailed confirmation link and presses
/// its button; returns the page that said so.
pub(crate) async fn sign_up_and_confirm(app: &TestApp, b: &mut Browser, email: &str) -> Page {
    let page = b.get("/signup").await;
    let created = b
        .post(
            "/signup",
            &[
                ("csrf", &csrf_of(&page.body)),
                ("email", email),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert!(
        created.body.contains("Check your inbox"),
        "{}",
        created.body
    );
    let text = app
        .last_mail(email, "confirm_email")
        .await
        .expect("a confirmation mail");
    let link = link_in(&text, "/account/confirm/");
    let ask = b.get(&link).await;
    assert_eq!(ask.status, 200, "{}", ask.body);
    assert!(ask.body.contains("Confirm my address"));
    let done = b
        .post(&link, &[("password", "correct horse battery")])
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains("Your address is confirmed"),
        "{}",
        done.body
    );
    done
}

#[tokio::test]
async fn sign_up_when_open_registration_is_on() {
    let closed = spawn_app().await;
    let mut b = Browser::new(&closed);
    assert_eq!(b.get("/signup").await.status, 404);
    assert_eq!(b.post("/signup", &[("csrf", "x")]).await.status, 404);

    let app = spawn_app_with(&[("KEYWARD_OPEN_REGISTRATION", "true")]).await;
    let mut b = Browser::new(&app);
    let page = b.get("/signup").await;
    assert_eq!(page.status, 200);
    let csrf = csrf_of(&page.body);
    let short = b
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("email", "new@example.com"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(
        short.body.contains("id=\"password-error\""),
        "{}",
        short.body
    );
    let ok = b
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("email", "new@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("Check your inbox"));
    assert!(
        !b.cookies.contains_key("kw_session"),
        "no session before the address is confirmed"
    );
    // Before the link is used: the password step says so (and sends no second mail within a
    // minute), the API shows the address unverified and refuses factors.
    let early = password_step(&mut b, "new@example.com").await;
    assert_eq!(early.status, 403, "{}", early.body);
    assert!(
        early.body.contains("Confirm your email address first"),
        "{}",
        early.body
    );
    assert_eq!(app.mail_count("new@example.com", "confirm_email").await, 1);
    let user = app.get("/api/v1/users?email=new@example.com").await.body["users"][0].clone();
    assert_eq!(user["email_verified"], false);
    let uid = user["id"].as_str().expect("id");
    let r = app
        .post(
            &format!("/api/v1/users/{uid}/factors"),
            json!({ "type": "totp", "name": "Phone" }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "forbidden");

    let mut c = Browser::new(&app);
    let text = app
        .last_mail("new@example.com", "confirm_email")
        .await
        .expect("mail");
    let link = link_in(&text, "/account/confirm/");
    // The mailbox alone is not enough: the password chosen at sign-up goes with it.
    let wrong = c.post(&link, &[("password", "not the one")]).await;
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert_eq!(
        c.post(&link, &[("password", "correct horse battery")])
            .await
            .status,
        200
    );
    assert_eq!(
        c.post(&link, &[("password", "correct horse battery")])
            .await
            .status,
        410,
        "a link works once"
    );
    assert_eq!(c.get("/account/confirm/not-a-token").await.status, 404);
    let user = app.get("/api/v1/users?email=new@example.com").await.body["users"][0].clone();
    assert_eq!(user["email_verified"], true);
    let signed_in = password_step(&mut b, "new@example.com").await;
    assert_eq!(signed_in.location.as_deref(), Some("/settings"));
    assert!(b.get("/settings").await.body.contains("new@example.com"));

    // The same address again (in another case) creates nothing and shows the same page; the
    // owner gets a notice instead.
    let mut d = Browser::new(&app);
    let csrf = csrf_of(&d.get("/signup").await.body);
    let dup = d
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("email", "NEW@example.com"),
                ("password", "another long secret"),
            ],
        )
        .await;
    assert_eq!(dup.status, 200);
    assert!(dup.body.contains("Check your inbox"));
    assert_eq!(app.mail_count("new@example.com", "signup_attempt").await, 1);
    assert_eq!(
        app.get("/api/v1/users?email=new@example.com").await.body["users"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_report_signs_the_user_out_everywhere() {
    let app = spawn_app().await;
    app.post(
        "/api/v1/users",
        json!({ "email": "reported@example.com", "password": "correct horse battery" }),
    )
    .await;
    let mut b = Browser::new(&app);
    password_step(&mut b, "reported@example.com").await;
    assert_eq!(b.get("/settings").await.status, 200);
    // The user's first factor mails a "this wasn't me" link; they use it.
    let user = app
        .get("/api/v1/users?email=reported@example.com")
        .await
        .body["users"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (factor, secret, _) = app.enroll_totp(&user, "Phone").await;
    let now = app.pin_clock_mid_step();
    assert_eq!(
        app.activate(&user, &factor, &totp_code(&secret, now))
            .await
            .status,
        200
    );
    let token: String = {
        let db = app.state.db.clone();
        let keyring = app.state.keyring.clone();
        let uid = user.clone();
        tokio::task::spawn_blocking(move || {
            db.with_conn(|c| {
                use diesel::prelude::*;
                use keyward::db::schema::report_tokens;
                let (id, key_id): (String, String) = report_tokens::table
                    .filter(report_tokens::user_id.eq(&uid))
                    .select((report_tokens::id, report_tokens::key_id))
                    .get_result(c)
                    .expect("token");
                let sig = keyward::services::mail::report_signature(&keyring, &key_id, &id, &uid)
                    .expect("sig");
                format!("{id}.{sig}")
            })
        })
        .await
        .expect("join")
        .expect("conn")
    };
    app.clock.advance(chrono::Duration::seconds(1));
    let r = reqwest::Client::new()
        .post(format!("{}/account/report/{token}", app.base))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    assert_eq!(
        b.get("/settings").await.location.as_deref(),
        Some("/signin")
    );
}

/// Signs in a user without a second factor and enters sudo mode; returns the browser.
pub(crate) async fn signed_in_with_sudo(app: &TestApp, email: &str) -> Browser {
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": email, "password": "correct horse battery" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let mut b = Browser::new(app);
    assert_eq!(
        password_step(&mut b, email).await.location.as_deref(),
        Some("/settings")
    );
    let to_sudo = b.get("/settings/add").await;
    assert_eq!(
        to_sudo.location.as_deref(),
        Some("/settings/sudo?next=%2Fsettings%2Fadd")
    );
    let page = b.get("/settings/sudo?next=%2Fsettings%2Fadd").await;
    let csrf = csrf_of(&page.body);
    let wrong = b
        .post(
            "/settings/sudo",
            &[
                ("csrf", &csrf),
                ("next", "/settings/add"),
                ("password", "wrong one"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("The password is not correct."));
    let ok = b
        .post(
            "/settings/sudo",
            &[
                ("csrf", &csrf),
                ("next", "/settings/add"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/settings/add"));
    b
}

#[tokio::test]
async fn add_an_authenticator_app_after_re_entering_the_password() {
    let app = spawn_app().await;
    let mut b = signed_in_with_sudo(&app, "enroll@example.com").await;
    let add = b.get("/settings/add").await;
    assert_eq!(add.status, 200);
    for label in ["Authenticator app", "YubiKey", "Security key"] {
        assert!(add.body.contains(label), "{label}");
    }
    let csrf = csrf_of(&b.get("/settings/add/totp").await.body);
    let started = b
        .post(
            "/settings/add/totp",
            &[("csrf", &csrf), ("name", "Laptop app")],
        )
        .await;
    let setup_path = started.location.expect("to the setup page");
    assert!(setup_path.starts_with("/settings/factors/fac_") && setup_path.ends_with("/activate"));
    let setup = b.get(&setup_path).await;
    assert_eq!(setup.status, 200);
    for text in [
        "Google Authenticator",
        "Duo Mobile",
        "Authy",
        "enroll@example.com",
        "Keyward Test",
        "data:image/svg+xml;base64,",
    ] {
        assert!(setup.body.contains(text), "{text}");
    }
    // The setup key above the QR code, in groups of four.
    let marker = "<code id=\"setup-key\">";
    let start = setup.body.find(marker).expect("setup key") + marker.len();
    let grouped: String = setup.body[start..]
        .split('<')
        .next()
        .expect("key")
        .to_owned();
    assert!(
        grouped.split(' ').all(|g| g.len() <= 4 && !g.is_empty()),
        "{grouped}"
    );
    let secret = grouped.replace(' ', "");
    assert_eq!(secret.len(), 32);
    let csrf = csrf_of(&setup.body);
    let wrong = b
        .post(&setup_path, &[("csrf", &csrf), ("code", "000000")])
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains(keyward::error::INVALID_CODE_MESSAGE));
    assert!(wrong.body.contains(&grouped), "the same key is shown again");
    let now = app.pin_clock_mid_step();
    let done = b
        .post(
            &setup_path,
            &[("csrf", &csrf), ("code", &totp_code(&secret, now))],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Save your backup codes"));
    assert_eq!(done.body.matches("<li><code>").count(), 10);
    assert!(done.body.contains("download=\"backup-codes.txt\""));
    assert!(done.body.contains("I have saved these codes"));
    let settings = b.get("/settings").await;
    assert!(settings.body.contains("Laptop app"));
    assert!(settings.body.contains("10 backup codes left"));
    // Sudo mode lasts 10 minutes.
    app.clock.advance(chrono::Duration::minutes(11));
    let again = b.get("/settings/add").await;
    assert!(
        again
            .location
            .as_deref()
            .unwrap_or("")
            .starts_with("/settings/sudo")
    );
}

#[tokio::test]
async fn remove_and_regenerate_and_no_reach_into_another_account() {
    let app = spawn_app().await;
    let (victim, _, _) = customer(&app, "victim2@example.com").await;
    let victim_factor = app
        .get(&format!("/api/v1/users/{victim}/factors"))
        .await
        .body["factors"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut b = signed_in_with_sudo(&app, "attacker@example.com").await;
    let csrf = csrf_of(&b.get("/settings").await.body);
    let r = b
        .post(
            &format!("/settings/factors/{victim_factor}/remove"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, 404);
    let still = app.get(&format!("/api/v1/users/{victim}/factors")).await;
    assert_eq!(still.body["factors"].as_array().map(Vec::len), Some(1));

    // Own factors: enroll, regenerate codes, remove.
    let csrf_t = csrf_of(&b.get("/settings/add/totp").await.body);
    let setup_path = b
        .post(
            "/settings/add/totp",
            &[("csrf", &csrf_t), ("name", "Phone")],
        )
        .await
        .location
        .expect("setup");
    let setup = b.get(&setup_path).await;
    let marker = "<code id=\"setup-key\">";
    let start = setup.body.find(marker).expect("key") + marker.len();
    let secret = setup.body[start..]
        .split('<')
        .next()
        .expect("key")
        .replace(' ', "");
    let now = app.pin_clock_mid_step();
    b.post(
        &setup_path,
        &[
            ("csrf", &csrf_of(&setup.body)),
            ("code", &totp_code(&secret, now)),
        ],
    )
    .await;
    let regenerated = b.post("/settings/backup-codes", &[("csrf", &csrf)]).await;
    assert_eq!(regenerated.status, 200);
    assert_eq!(regenerated.body.matches("<li><code>").count(), 10);
    let factor = setup_path
        .trim_start_matches("/settings/factors/")
        .trim_end_matches("/activate")
        .to_owned();
    let removed = b
        .post(
            &format!("/settings/factors/{factor}/remove"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        removed.location.as_deref(),
        Some("/settings?notice=removed")
    );
    let settings = b.get("/settings?notice=removed").await;
    assert!(settings.body.contains("The factor was removed"));
    assert!(settings.body.contains("Two-factor authentication is off"));
    // Without the CSRF token nothing happens.
    let r = b
        .post("/settings/backup-codes", &[("csrf", "forged")])
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn methods_the_policy_forbids_are_shown_disabled_with_the_reason() {
    let app = spawn_app().await;
    let policy = json!({
        "require_two_factor": false,
        "allowed_methods": ["yubikey_otp", "webauthn"],
        "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false },
        "enrollment_grace_days": 14
    });
    app.request(
        "PUT",
        "/api/v1/policy",
        Some(&app.security_key),
        Some(policy),
    )
    .await;
    let mut b = signed_in_with_sudo(&app, "policy@example.com").await;
    let add = b.get("/settings/add").await;
    assert!(
        add.body
            .contains("Not allowed by your organisation&#39;s security policy.")
            || add
                .body
                .contains("Not allowed by your organisation's security policy."),
        "{}",
        add.body
    );
    assert!(!add.body.contains("href=\"/settings/add/totp\""));
    let csrf = csrf_of(&b.get("/settings/add/totp").await.body);
    let r = b
        .post("/settings/add/totp", &[("csrf", &csrf), ("name", "Phone")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("does not allow"), "{}", r.body);
}

/// The whole customer journey in headless Chromium, with an axe-core check of every page
/// (tests/browser/portal.mjs; screenshots in tests/browser/screenshots/portal-*.png).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_journey_in_chromium() {
    if !crate::webauthn::require_browser() || !crate::helpers::require_tool("oathtool") {
        return;
    }
    let port = crate::helpers::free_port();
    let app = spawn_app_with(&[
        ("KEYWARD_LISTEN", &format!("127.0.0.1:{port}")),
        ("KEYWARD_BASE_URL", &format!("http://localhost:{port}")),
        ("KEYWARD_OPEN_REGISTRATION", "true"),
    ])
    .await;
    let mailbox = app.mailbox().await;
    let r =
        crate::helpers::run_browser_script("portal.mjs", port, vec![("MAILBOX", mailbox)]).await;
    assert_eq!(r["password_changed"], true);
    assert_eq!(r["password_reset"], true);
    assert_eq!(r["setup_key_length"], 32);
    assert_eq!(
        r["wrong_code_message"],
        keyward::error::INVALID_CODE_MESSAGE
    );
    assert_eq!(r["backup_codes"], 10);
    assert_eq!(r["signed_in_with_key"], true);
    assert_eq!(r["remaining_text"], "9");
    assert_eq!(r["email_focused_by_tab"], true, "keyboard-only sign-in");
    assert_eq!(
        r["code_focused_on_arrival"], true,
        "autofocus on the code field"
    );
    assert_eq!(r["factors_left"], json!(["Chromium key"]));
    let axe = r["axe"].as_object().expect("axe results");
    assert!(axe.len() >= 10, "{axe:?}");
    for (page, violations) in axe {
        assert_eq!(
            violations.as_array().map(Vec::len),
            Some(0),
            "{page}: {violations}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_password_guesses_do_not_slip_past_the_address_limit() {
    let app = spawn_app().await;
    customer(&app, "parallel@example.com").await;
    let mut b = Browser::new(&app);
    let csrf = csrf_of(&b.get("/signin").await.body);
    let cookie = b.cookie_header();
    let client = reqwest::Client::new();
    let tries = (0..24).map(|i| {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf", csrf.as_str()),
                ("email", "parallel@example.com"),
                ("password", &format!("guess {i}")),
            ])
            .finish();
        client
            .post(format!("{}/signin", app.base))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    });
    let statuses: Vec<u16> = futures::future::join_all(tries)
        .await
        .into_iter()
        .map(|r| r.expect("sent").status().as_u16())
        .collect();
    let judged = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        judged <= 10,
        "{judged} passwords were checked: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn the_support_console_finds_a_customer_and_resets_them() {
    let app = spawn_app().await;
    let (customer_id, _, codes) = customer(&app, "helpme@example.com").await;
    // A customer cannot open the console; the attempt is audited.
    let mut c = Browser::new(&app);
    password_step(&mut c, "helpme@example.com").await;
    let csrf = csrf_of(&c.get("/signin/verify").await.body);
    c.post("/signin/verify", &[("csrf", &csrf), ("code", &codes[0])])
        .await;
    assert_eq!(c.get("/support").await.status, 403);
    let denied = app
        .request(
            "GET",
            &format!("/api/v1/audit?user_id={customer_id}&event=access.denied"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(denied.body["events"].as_array().map(Vec::len), Some(1));

    // A support agent.
    let r = app
        .request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(json!({ "email": "agent@example.com", "password": "correct horse battery", "role": "support", "display_name": "Sam from Support" })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let mut s = Browser::new(&app);
    password_step(&mut s, "agent@example.com").await;
    let console = s.get("/support?email=helpme%40example.com").await;
    assert_eq!(console.status, 200);
    for text in [
        "My Phone",
        "Authenticator app",
        "9 backup codes left",
        "login.succeeded",
        "factor.activated",
    ] {
        assert!(console.body.contains(text), "{text}");
    }
    assert!(
        s.get("/support?email=nobody%40example.com")
            .await
            .body
            .contains("No customer has this email.")
    );
    let csrf = csrf_of(&console.body);
    let action = format!("/support/users/{customer_id}/reset");
    // The agent confirms their own password first.
    let to_sudo = s
        .post(
            &action,
            &[
                ("csrf", &csrf),
                ("reason", "Lost phone"),
                ("check", "backup_code"),
                ("code", &codes[1]),
            ],
        )
        .await;
    // … and comes back to this customer in the console afterwards.
    let next = "/settings/sudo?next=%2Fsupport%3Femail%3Dhelpme%2540example.com";
    assert_eq!(to_sudo.location.as_deref(), Some(next));
    let sudo = s.get(next).await;
    assert!(
        sudo.body
            .contains("name=\"next\" value=\"/support?email=helpme%40example.com\""),
        "{}",
        sudo.body
    );
    s.post(
        "/settings/sudo",
        &[
            ("csrf", &csrf_of(&sudo.body)),
            ("next", "/settings"),
            ("password", "correct horse battery"),
        ],
    )
    .await;
    let wrong = s
        .post(
            &action,
            &[
                ("csrf", &csrf),
                ("reason", "Lost phone"),
                ("check", "backup_code"),
                ("code", "aaaa-bbbb-cccc"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong
            .body
            .contains("The backup code did not match: nothing was reset.")
    );
    let done = s
        .post(
            &action,
            &[
                ("csrf", &csrf),
                ("reason", "Lost phone"),
                ("check", "out_of_band"),
                ("reference", "CALL-77"),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/support?email=helpme%40example.com&done=1")
    );
    let after = s.get("/support?email=helpme%40example.com&done=1").await;
    assert!(after.body.contains("Two-factor authentication was reset."));
    assert!(after.body.contains("No second factor."));
    // The customer's session is gone, and the event names the agent.
    assert_eq!(
        c.get("/settings").await.location.as_deref(),
        Some("/signin")
    );
    let ev = app
        .request(
            "GET",
            &format!("/api/v1/audit?user_id={customer_id}&event=support.reset"),
            Some(&app.security_key),
            None,
        )
        .await;
    let e = &ev.body["events"][0];
    assert_eq!(e["actor"]["type"], "support");
    assert_eq!(e["details"]["agent"], "Sam from Support");
    assert_eq!(e["details"]["reference"], "CALL-77");
}

#[tokio::test]
async fn the_audit_log_page_filters_exports_and_shows_the_chain() {
    let app = spawn_app().await;
    customer(&app, "audited@example.com").await;
    for (email, role) in [
        ("sec@example.com", "security"),
        ("sup@example.com", "support"),
    ] {
        let r = app
            .request(
                "POST",
                "/api/v1/users",
                Some(&app.security_key),
                Some(json!({ "email": email, "password": "correct horse battery", "role": role })),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    let mut sup = Browser::new(&app);
    password_step(&mut sup, "sup@example.com").await;
    assert_eq!(
        sup.get("/audit").await.status,
        403,
        "support cannot read the audit page"
    );
    assert_eq!(sup.get("/audit/export?format=csv").await.status, 403);

    let mut sec = Browser::new(&app);
    password_step(&mut sec, "sec@example.com").await;
    let page = sec.get("/audit").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The chain is intact"), "{}", page.body);
    let filtered = sec
        .get("/audit?email=audited%40example.com&event=factor.activated")
        .await;
    assert_eq!(
        filtered.body.matches("<td data-label=\"Event\">").count(),
        1
    );
    assert!(filtered.body.contains("factor.activated"));
    let bad = sec.get("/audit?since=yesterday").await;
    assert_eq!(bad.status, 422);
    let csv = sec
        .get("/audit/export?format=csv&email=audited%40example.com")
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("id,at,event,actor_type"));
    assert!(csv.body.contains("user.created"));
    let jsonl = sec
        .get("/audit/export?format=jsonl&event=user.created")
        .await;
    assert_eq!(jsonl.body.lines().count(), 3);
    for line in jsonl.body.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert_eq!(v["event"], "user.created");
    }
    // An edited event is found and named.
    app.sql("UPDATE audit_events SET details = '{\"edited\":true}' WHERE id = 2")
        .await;
    let broken = sec.get("/audit").await;
    assert!(
        broken.body.contains("The chain is broken at event 2"),
        "{}",
        broken.body
    );
}

#[tokio::test]
async fn the_policy_page_is_for_the_security_team() {
    let app = spawn_app().await;
    for (email, role) in [
        ("sec2@example.com", "security"),
        ("sup2@example.com", "support"),
    ] {
        app.request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(json!({ "email": email, "password": "correct horse battery", "role": role })),
        )
        .await;
    }
    let mut sup = Browser::new(&app);
    password_step(&mut sup, "sup2@example.com").await;
    let settings = sup.get("/settings").await;
    assert!(
        settings.body.contains("Support console") && !settings.body.contains("Security policy")
    );
    assert_eq!(
        sup.get("/policy").await.status,
        403,
        "support cannot read the policy"
    );
    assert_eq!(
        sup.post("/policy", &[("csrf", &csrf_of(&settings.body))])
            .await
            .status,
        403
    );

    let mut sec = Browser::new(&app);
    password_step(&mut sec, "sec2@example.com").await;
    assert!(sec.get("/settings").await.body.contains("Security policy"));
    let page = sec.get("/policy").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("YubiKey 5 Series"));
    let csrf = csrf_of(&page.body);
    // Saving needs the password again first; the form then comes back.
    let to_sudo = sec
        .post("/policy", &[("csrf", &csrf), ("method", "totp")])
        .await;
    assert_eq!(
        to_sudo.location.as_deref(),
        Some("/settings/sudo?next=%2Fpolicy")
    );
    assert_eq!(
        app.get("/api/v1/policy").await.body["allowed_methods"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let sudo = sec.get("/settings/sudo?next=%2Fpolicy").await;
    let back = sec
        .post(
            "/settings/sudo",
            &[
                ("csrf", &csrf_of(&sudo.body)),
                ("next", "/policy"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(back.location.as_deref(), Some("/policy"));
    // "Hardware keys only", YubiKey 5 models only.
    let saved = sec
        .post(
            "/policy",
            &[
                ("csrf", &csrf),
                ("require_two_factor", "1"),
                ("enrollment_grace_days", "7"),
                ("method", "yubikey_otp"),
                ("method", "webauthn"),
                ("user_verification", "required"),
                ("require_attestation", "1"),
                ("aaguid", "cb69481e-8ff7-4039-93ec-0a2729a154a8"),
                ("other_aaguids", "ee882879-721c-4913-9775-3dfcce97072a\n"),
            ],
        )
        .await;
    assert_eq!(saved.location.as_deref(), Some("/policy?saved=1"));
    let p = app.get("/api/v1/policy").await.body;
    assert_eq!(p["allowed_methods"], json!(["yubikey_otp", "webauthn"]));
    assert_eq!(p["require_two_factor"], true);
    assert_eq!(p["enrollment_grace_days"], 7);
    assert_eq!(p["webauthn"]["user_verification"], "required");
    assert_eq!(p["webauthn"]["require_attestation"], true);
    assert_eq!(
        p["webauthn"]["allowed_aaguids"].as_array().map(Vec::len),
        Some(2)
    );
    let bad = sec
        .post(
            "/policy",
            &[
                ("csrf", &csrf),
                ("enrollment_grace_days", "-3"),
                ("method", "totp"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Nothing was saved"));
    let bad = sec
        .post(
            "/policy",
            &[("csrf", &csrf), ("other_aaguids", "not-a-uuid")],
        )
        .await;
    assert_eq!(bad.status, 422);
    // The form shows the policy in force again, not the defaults.
    assert!(
        bad.body
            .contains("name=\"require_attestation\" value=\"1\" checked"),
        "{}",
        bad.body
    );
    assert_eq!(
        app.get("/api/v1/policy").await.body,
        p,
        "refused forms change nothing"
    );
    let ev = app
        .request(
            "GET",
            "/api/v1/audit?event=policy.changed",
            Some(&app.security_key),
            None,
        )
        .await;
    let e = &ev.body["events"][0];
    assert_eq!(e["actor"]["type"], "user");
    assert_eq!(e["details"]["after"], p);
}

fn hardware_keys_required(grace_days: i64) -> serde_json::Value {
    json!({
        "require_two_factor": true,
        "allowed_methods": ["yubikey_otp", "webauthn"],
        "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": true },
        "enrollment_grace_days": grace_days
    })
}

async fn audit_events(app: &TestApp, event: &str, user: &str) -> Vec<serde_json::Value> {
    let r = app
        .request(
            "GET",
            &format!("/api/v1/audit?event={event}&user_id={user}"),
            Some(&app.security_key),
            None,
        )
        .await;
    r.body["events"].as_array().expect("events").clone()
}

/// "Hardware keys only" in the portal: a customer whose only factor is an authenticator app
/// confirms with it (or a backup code) once more, is then sent to enroll a YubiKey, may do
/// nothing else until they have, and is signed in fully once they have — in that session only;
/// the second step then offers the YubiKey only.
#[tokio::test]
async fn a_user_without_a_compliant_factor_is_sent_to_enroll_after_the_password() {
    if !crate::helpers::require_yubiotp() {
        return;
    }
    let app = spawn_app().await;
    let (user, _, codes) = customer(&app, "upgrade@example.com").await;
    let r = app
        .request(
            "PUT",
            "/api/v1/policy",
            Some(&app.security_key),
            Some(hardware_keys_required(14)),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    // The password alone opens nothing: the app the policy no longer accepts (or a backup
    // code) is asked for first.
    let mut b = Browser::new(&app);
    let step = password_step(&mut b, "upgrade@example.com").await;
    assert_eq!(step.location.as_deref(), Some("/signin/verify"));
    assert_eq!(
        b.get("/settings/add").await.location.as_deref(),
        Some("/signin/verify")
    );
    let verify = b.get("/signin/verify").await;
    assert!(
        verify.body.contains("no longer accepts your second factor"),
        "{}",
        verify.body
    );
    assert!(!verify.body.contains("use-key"), "no security key button");
    let wrong = b
        .post(
            "/signin/verify",
            &[("csrf", &csrf_of(&verify.body)), ("code", "zzzz-zzzz-zzzz")],
        )
        .await;
    assert_eq!(
        wrong.status, 422,
        "a wrong code is refused (and counted) as ever"
    );
    // A second browser stays at this step: it is never promoted by what the first one does.
    let mut other = Browser::new(&app);
    password_step(&mut other, "upgrade@example.com").await;
    let step = b
        .post(
            "/signin/verify",
            &[("csrf", &csrf_of(&verify.body)), ("code", &codes[0])],
        )
        .await;
    assert_eq!(
        step.location.as_deref(),
        Some("/settings/add"),
        "{}",
        step.body
    );
    let add = b.get("/settings/add").await;
    assert_eq!(add.status, 200, "sudo comes with the password just entered");
    assert!(
        add.body.contains(
            "Your organisation requires two-factor authentication. Add one of the methods below by"
        ),
        "{}",
        add.body
    );
    assert!(
        add.body.contains("Not allowed by your organisation"),
        "the app is shown disabled"
    );
    assert!(!add.body.contains("Back to security settings"));
    // Nothing else is open to this session.
    assert_eq!(
        b.get("/settings").await.location.as_deref(),
        Some("/settings/add")
    );
    assert_eq!(
        b.get("/signin/verify").await.location.as_deref(),
        Some("/settings/add")
    );
    assert_eq!(b.get("/").await.location.as_deref(), Some("/settings/add"));
    let csrf = csrf_of(&add.body);
    let factors = app.get(&format!("/api/v1/users/{user}/factors")).await;
    let app_factor = factors.body["factors"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let r = b
        .post(
            &format!("/settings/factors/{app_factor}/remove"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/settings/add"));
    let r = b.post("/settings/backup-codes", &[("csrf", &csrf)]).await;
    assert_eq!(r.location.as_deref(), Some("/settings/add"));
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}/factors")).await.body["factors"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "nothing removed"
    );
    // An authenticator app is refused at enrollment too.
    let r = b
        .post(
            "/settings/add/totp",
            &[("csrf", &csrf), ("name", "New phone")],
        )
        .await;
    assert!(
        r.status == 422 && r.body.contains("security policy does not allow"),
        "{}",
        r.body
    );
    let e = audit_events(&app, "login.succeeded", &user).await;
    assert_eq!(e[0]["details"]["enrollment_required"], true, "{e:?}");

    // A YubiKey brings the account into compliance and the session in.
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
    let otp = crate::helpers::yubiotp(&public, &private, &aes, 1, 0);
    let r = b
        .post(
            "/settings/add/yubikey",
            &[("csrf", &csrf), ("name", "Desk key"), ("otp", &otp)],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/settings?notice=added"),
        "{}",
        r.body
    );
    let settings = b.get("/settings").await;
    assert_eq!(settings.status, 200);
    assert!(settings.body.contains("Desk key"));
    let e = audit_events(&app, "login.succeeded", &user).await;
    assert_eq!(e[0]["details"]["second_factor"], "enrolled", "{e:?}");
    // The other browser is still at the second step; it now owes the YubiKey.
    assert_eq!(
        other.get("/settings").await.location.as_deref(),
        Some("/signin/verify")
    );
    assert_eq!(
        other.get("/settings/add").await.location.as_deref(),
        Some("/signin/verify")
    );

    // Next time: the second step, with the YubiKey only.
    let mut again = Browser::new(&app);
    let step = password_step(&mut again, "upgrade@example.com").await;
    assert_eq!(step.location.as_deref(), Some("/signin/verify"));
    let verify = again.get("/signin/verify").await;
    assert!(
        verify.body.contains("Touch your YubiKey"),
        "{}",
        verify.body
    );
    assert!(
        !verify.body.contains("authenticator app"),
        "{}",
        verify.body
    );
}

/// After the grace period, sign-in is refused (and audited); a support reset starts a fresh
/// grace period, and the customer enrolls again after the password alone.
#[tokio::test]
async fn after_the_grace_period_sign_in_is_refused_until_support_resets() {
    let app = spawn_app().await;
    let (user, _, codes) = customer(&app, "late@example.com").await;
    let r = app
        .request(
            "PUT",
            "/api/v1/policy",
            Some(&app.security_key),
            Some(hardware_keys_required(7)),
        )
        .await;
    assert_eq!(r.status, 200);
    app.pin_clock_after(app.now() + 8 * 86_400);
    let mut b = Browser::new(&app);
    let refused = password_step(&mut b, "late@example.com").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("the time to add one ended on"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Contact support"));
    assert!(!b.cookies.contains_key("kw_session"), "no session");
    let e = audit_events(&app, "login.refused", &user).await;
    assert_eq!(e[0]["details"]["reason"], "enrollment_overdue", "{e:?}");

    let r = app
        .request(
            "POST",
            &format!("/api/v1/users/{user}/reset"),
            Some(&app.support_key),
            Some(json!({ "reason": "Lost phone, locked out", "verification": { "type": "backup_code", "code": codes[0] } })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let e = audit_events(&app, "support.reset", &user).await;
    assert!(e[0]["details"]["enroll_by"].is_string(), "{e:?}");
    let mut b = Browser::new(&app);
    let step = password_step(&mut b, "late@example.com").await;
    assert_eq!(
        step.location.as_deref(),
        Some("/settings/add"),
        "{}",
        step.body
    );
    assert!(
        b.get("/settings/add")
            .await
            .body
            .contains("Add one of the methods below by")
    );
}

/// Every page shows the navigation for the user's role; the compliance view is for the
/// security team only, and a refusal is audited.
#[tokio::test]
async fn the_navigation_shows_the_role_and_the_compliance_view_is_for_security() {
    let app = spawn_app().await;
    for (email, role) in [
        ("sec3@example.com", "security"),
        ("sup3@example.com", "support"),
        ("cus3@example.com", "customer"),
    ] {
        let r = app
            .request(
                "POST",
                "/api/v1/users",
                Some(&app.security_key),
                Some(json!({ "email": email, "password": "correct horse battery", "role": role })),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    app.user_with_totp("phone3@example.com").await;
    app.request(
        "PUT",
        "/api/v1/policy",
        Some(&app.security_key),
        Some(hardware_keys_required(14)),
    )
    .await;

    // The staff are out of compliance too: the security user has no factor yet, and is sent to enroll.
    let mut sec = Browser::new(&app);
    assert_eq!(
        password_step(&mut sec, "sec3@example.com")
            .await
            .location
            .as_deref(),
        Some("/settings/add")
    );
    app.request(
        "PUT",
        "/api/v1/policy",
        Some(&app.security_key),
        Some(json!({"require_two_factor": false, "allowed_methods": ["yubikey_otp", "webauthn"],
            "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": true },
            "enrollment_grace_days": 14})),
    )
    .await;
    let mut sec = Browser::new(&app);
    password_step(&mut sec, "sec3@example.com").await;
    let settings = sec.get("/settings").await;
    for link in [
        "href=\"/support\"",
        "href=\"/policy\"",
        "href=\"/compliance\"",
        "href=\"/audit\"",
        "class=\"role\">Security<",
    ] {
        assert!(settings.body.contains(link), "{link}");
    }
    let c = sec.get("/compliance").await;
    assert_eq!(c.status, 200);
    assert!(c.body.contains("does not require two-factor"), "{}", c.body);
    app.request(
        "PUT",
        "/api/v1/policy",
        Some(&app.security_key),
        Some(hardware_keys_required(14)),
    )
    .await;
    let c = sec.get("/compliance").await;
    assert!(
        c.body.contains("phone3@example.com") && c.body.contains("cus3@example.com"),
        "{}",
        c.body
    );
    assert!(c.body.contains("<th scope=\"col\">Must enroll by</th>"));
    // The navigation is on the staff pages too.
    assert!(
        sec.get("/audit")
            .await
            .body
            .contains("href=\"/compliance\"")
    );

    let mut sup = Browser::new(&app);
    // Support without a compliant factor is sent to enroll as well; let the policy go for this part.
    app.request(
        "PUT",
        "/api/v1/policy",
        Some(&app.security_key),
        Some(json!({"require_two_factor": false, "allowed_methods": ["totp", "yubikey_otp", "webauthn"],
            "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false },
            "enrollment_grace_days": 14})),
    )
    .await;
    password_step(&mut sup, "sup3@example.com").await;
    let s = sup.get("/settings").await;
    assert!(s.body.contains("href=\"/support\"") && s.body.contains("class=\"role\">Support<"));
    assert!(!s.body.contains("href=\"/compliance\"") && !s.body.contains("href=\"/policy\""));
    assert_eq!(sup.get("/compliance").await.status, 403);
    let mut cus = Browser::new(&app);
    password_step(&mut cus, "cus3@example.com").await;
    let s = cus.get("/settings").await;
    assert!(!s.body.contains("href=\"/support\"") && !s.body.contains("class=\"role\""));
    assert_eq!(cus.get("/compliance").await.status, 403);
    assert_eq!(cus.get("/support").await.status, 403);
    let denied = app
        .request(
            "GET",
            "/api/v1/audit?event=access.denied",
            Some(&app.security_key),
            None,
        )
        .await;
    let pages: Vec<&str> = denied.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["details"]["page"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        pages.iter().filter(|p| **p == "/compliance").count(),
        2,
        "{pages:?}"
    );
}

/// In headless Chromium: a support agent resets a customer who lost their phone (the customer
/// reads out a backup code), and the customer, sent to enroll after the password because the
/// policy requires two-factor authentication, adds an authenticator app again
/// (tests/browser/support.mjs; screenshots in tests/browser/screenshots/support-*.png).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_resets_a_customer_who_lost_their_phone_in_chromium() {
    if !crate::webauthn::require_browser() || !crate::helpers::require_tool("oathtool") {
        return;
    }
    let port = crate::helpers::free_port();
    let app = spawn_app_with(&[
        ("KEYWARD_LISTEN", &format!("127.0.0.1:{port}")),
        ("KEYWARD_BASE_URL", &format!("http://localhost:{port}")),
    ])
    .await;
    let password = "correct horse battery";
    let mut secrets = Vec::new();
    let mut customer_codes = Vec::new();
    for (email, role) in [
        ("agent@example.com", "support"),
        ("lost-phone@example.com", "customer"),
        ("ciso@example.com", "security"),
    ] {
        let r = app
            .request(
                "POST",
                "/api/v1/users",
                Some(&app.security_key),
                Some(json!({ "email": email, "password": password, "role": role, "display_name": if role == "support" { "Sam from Support" } else { "Lee" } })),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let user = r.body["id"].as_str().expect("id").to_owned();
        // Staff factors change only with a security key (it may change a customer's too).
        let key = Some(app.security_key.as_str());
        let r = app
            .request(
                "POST",
                &format!("/api/v1/users/{user}/factors"),
                key,
                Some(json!({ "type": "totp", "name": "My Phone" })),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.error_code());
        let factor = r.body["factor"]["id"].as_str().expect("id").to_owned();
        let secret = r.body["totp"]["secret"]
            .as_str()
            .expect("secret")
            .to_owned();
        let r = app
            .request(
                "POST",
                &format!("/api/v1/users/{user}/factors/{factor}/activate"),
                key,
                Some(json!({ "code": totp_code(&secret, app.now()) })),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        secrets.push(secret);
        if role == "customer" {
            customer_codes = r.body["backup_codes"]
                .as_array()
                .expect("codes")
                .iter()
                .map(|c| c.as_str().expect("code").to_owned())
                .collect();
        }
    }
    let r = app
        .request(
            "PUT",
            "/api/v1/policy",
            Some(&app.security_key),
            Some(json!({"require_two_factor": true, "allowed_methods": ["totp", "yubikey_otp", "webauthn"],
                "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false },
                "enrollment_grace_days": 14})),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = crate::helpers::run_browser_script(
        "support.mjs",
        port,
        vec![
            ("PASSWORD", password.to_owned()),
            ("AGENT_EMAIL", "agent@example.com".to_owned()),
            ("AGENT_TOTP", secrets[0].clone()),
            ("SECURITY_EMAIL", "ciso@example.com".to_owned()),
            ("SECURITY_TOTP", secrets[2].clone()),
            ("CUSTOMER_EMAIL", "lost-phone@example.com".to_owned()),
            ("CUSTOMER_BACKUP_CODE", customer_codes[2].clone()),
        ],
    )
    .await;
    let nav = r["agent_nav"].as_str().expect("nav");
    assert!(
        nav.contains("Support console")
            && nav.contains("Support")
            && !nav.contains("Security policy"),
        "{nav}"
    );
    assert_eq!(r["factors_before"], json!(["My Phone"]));
    assert_eq!(
        r["back_at_customer"], true,
        "the password step returns to the customer"
    );
    assert!(
        r["reset_notice"]
            .as_str()
            .expect("notice")
            .contains("reset"),
        "{}",
        r["reset_notice"]
    );
    assert_eq!(r["no_factor_text"], true);
    assert_eq!(
        r["compliance_rows"],
        json!(["lost-phone@example.com"]),
        "after the reset, the customer is out of compliance"
    );
    assert!(
        r["enroll_notice"]
            .as_str()
            .expect("notice")
            .contains("Your organisation requires two-factor authentication"),
        "{}",
        r["enroll_notice"]
    );
    assert_eq!(r["new_backup_codes"], 10);
    assert_eq!(r["factors_now"], json!(["New phone"]));
    let axe = r["axe"].as_object().expect("axe results");
    assert!(axe.len() >= 8, "{axe:?}");
    for (page, violations) in axe {
        assert_eq!(
            violations.as_array().map(Vec::len),
            Some(0),
            "{page}: {violations}"
        );
    }
    // The audit log has the reset with the agent, the reason and the check; the code was used.
    let ev = app
        .request(
            "GET",
            "/api/v1/audit?event=support.reset",
            Some(&app.security_key),
            None,
        )
        .await;
    let e = &ev.body["events"][0];
    assert_eq!(e["details"]["verification"], "backup_code", "{e}");
    assert_eq!(
        e["details"]["reason"],
        "Lost phone; called from the number on file"
    );
    assert_eq!(e["details"]["agent"], "Sam from Support");
    let chain = app
        .request("GET", "/api/v1/audit/verify", Some(&app.security_key), None)
        .await;
    assert_eq!(chain.body["ok"], true, "{:?}", chain.body);
}

/// Under a policy that requires two-factor authentication, a new account may only add a factor;
/// once it has one, that session is signed in.
#[tokio::test]
async fn sign_up_under_a_policy_that_requires_two_factor_leads_to_enrollment() {
    let app = spawn_app_with(&[("KEYWARD_OPEN_REGISTRATION", "true")]).await;
    let mut p = hardware_keys_required(14);
    p["allowed_methods"] = json!(["totp", "yubikey_otp", "webauthn"]);
    p["webauthn"]["require_attestation"] = json!(false);
    let r = app
        .request("PUT", "/api/v1/policy", Some(&app.security_key), Some(p))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let mut b = Browser::new(&app);
    sign_up_and_confirm(&app, &mut b, "newcomer@example.com").await;
    let created = password_step(&mut b, "newcomer@example.com").await;
    assert_eq!(created.location.as_deref(), Some("/settings/add"));
    assert_eq!(
        b.get("/settings").await.location.as_deref(),
        Some("/settings/add")
    );
    let add = b.get("/settings/add").await;
    assert!(
        add.body
            .contains("Your organisation requires two-factor authentication")
    );
    // An authenticator app: the setup page, then the code.
    let csrf = csrf_of(&add.body);
    let started = b
        .post("/settings/add/totp", &[("csrf", &csrf), ("name", "Phone")])
        .await;
    let activate = started.location.expect("to the setup page");
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
    let now = app.pin_clock_mid_step();
    let done = b
        .post(
            &activate,
            &[("csrf", &csrf), ("code", &totp_code(&key, now))],
        )
        .await;
    assert_eq!(done.status, 200, "the backup codes page: {}", done.body);
    assert!(done.body.contains("I have saved these codes"));
    assert_eq!(b.get("/settings").await.status, 200, "signed in now");
}

/// In the console, a support agent sees no reset form for a staff account, and a reset of their
/// own account or of a colleague's is refused with the reason, changing nothing.
#[tokio::test]
async fn the_console_resets_customers_only() {
    let app = spawn_app().await;
    let r = app
        .request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(json!({ "email": "sup4@example.com", "password": "correct horse battery", "role": "support" })),
        )
        .await;
    assert_eq!(r.status, 201);
    let me = r.body["id"].as_str().expect("id").to_owned();
    let mut b = Browser::new(&app);
    password_step(&mut b, "sup4@example.com").await;
    let page = b.get("/support?email=sup4%40example.com").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("only the security team can reset it"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("/reset\""), "no reset form");
    // The password first (sudo), then the post itself.
    let csrf = csrf_of(&page.body);
    let action = format!("/support/users/{me}/reset");
    let fields = [
        ("csrf", csrf.as_str()),
        ("reason", "Testing"),
        ("check", "out_of_band"),
        ("reference", "T-1"),
    ];
    let to_sudo = b.post(&action, &fields).await;
    let next = to_sudo.location.expect("to the password page");
    let sudo = b.get(&next).await;
    b.post(
        "/settings/sudo",
        &[
            ("csrf", &csrf_of(&sudo.body)),
            ("next", "/support"),
            ("password", "correct horse battery"),
        ],
    )
    .await;
    let refused = b.post(&action, &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("nobody can reset their own"),
        "{}",
        refused.body
    );
    let ev = app
        .request(
            "GET",
            &format!("/api/v1/audit?event=support.reset_refused&user_id={me}"),
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(
        ev.body["events"][0]["details"]["reason"], "own_account",
        "{:?}",
        ev.body
    );
}

/// Behind a trusted reverse proxy, the per-address sign-in allowance and the audit log use the
/// client address from `X-Forwarded-For`; from any other peer the header is ignored.
#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_allowance() {
    // Each guess at another address: the per-account limit is not what this test is about.
    async fn guess(app: &TestApp, b: &mut Browser, forwarded: &str) -> u16 {
        let csrf = csrf_of(&b.get("/signin").await.body);
        let email = format!("proxied{}@example.com", rand::random::<u32>());
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf", csrf.as_str()),
                ("email", email.as_str()),
                ("password", "a wrong guess"),
            ])
            .finish();
        reqwest::Client::new()
            .post(format!("{}/signin", app.base))
            .header("cookie", b.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", forwarded)
            .body(body)
            .send()
            .await
            .expect("sent")
            .status()
            .as_u16()
    }
    let app = spawn_app_with(&[("KEYWARD_TRUSTED_PROXIES", "127.0.0.0/8, ::1")]).await;
    customer(&app, "proxied@example.com").await;
    let mut b = Browser::new(&app);
    for _ in 0..10 {
        assert_eq!(guess(&app, &mut b, "203.0.113.5").await, 401);
    }
    assert_eq!(
        guess(&app, &mut b, "203.0.113.5").await,
        429,
        "this client is paused"
    );
    // A client cannot choose its address: the proxy's own entry (the last one) counts.
    assert_eq!(guess(&app, &mut b, "198.51.100.1, 203.0.113.5").await, 429);
    assert_eq!(
        guess(&app, &mut b, "203.0.113.6").await,
        401,
        "another client is not"
    );
    let ev = app
        .request(
            "GET",
            "/api/v1/audit?event=login.failed",
            Some(&app.security_key),
            None,
        )
        .await;
    assert_eq!(
        ev.body["events"][0]["ip"], "203.0.113.6",
        "{:?}",
        ev.body["events"][0]
    );

    // Without the setting the header is ignored: every guess comes from the peer.
    let direct = spawn_app().await;
    customer(&direct, "proxied@example.com").await;
    let mut b = Browser::new(&direct);
    for i in 0..10 {
        assert_eq!(guess(&direct, &mut b, &format!("203.0.113.{i}")).await, 401);
    }
    assert_eq!(guess(&direct, &mut b, "203.0.113.99").await, 429);
}
