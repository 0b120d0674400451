//! The password's whole life for portal accounts: a forgotten password reset by a mailed link,
//! a change in the settings, the password dead after "this wasn't me" until a mailed link sets a
//! new one, the per-account and per-/64 limits on guessing, and addresses compared normalised.

use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spawn_app_with, totp_code};
use crate::portal::{Browser, Page, csrf_of, link_in};

const PASSWORD: &str = "correct horse battery";

/// A user with the test password and an active authenticator app: (id, backup codes).
async fn customer(app: &TestApp, email: &str) -> (String, Vec<String>) {
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let user = r.body["id"].as_str().expect("id").to_owned();
    let (factor, secret, _) = app.enroll_totp(&user, "Phone").await;
    let now = app.pin_clock_mid_step();
    let r = app.activate(&user, &factor, &totp_code(&secret, now)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let codes = r.body["backup_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    (user, codes)
}

async fn sign_in_with(b: &mut Browser, email: &str, password: &str) -> Page {
    let csrf = csrf_of(&b.get("/signin").await.body);
    b.post(
        "/signin",
        &[("csrf", &csrf), ("email", email), ("password", password)],
    )
    .await
}

/// Password, then a backup code: a fully signed-in browser.
async fn signed_in(app: &TestApp, email: &str, code: &str) -> Browser {
    let mut b = Browser::new(app);
    let step = sign_in_with(&mut b, email, PASSWORD).await;
    assert_eq!(
        step.location.as_deref(),
        Some("/signin/verify"),
        "{}",
        step.body
    );
    let csrf = csrf_of(&b.get("/signin/verify").await.body);
    let done = b
        .post("/signin/verify", &[("csrf", &csrf), ("code", code)])
        .await;
    assert_eq!(done.location.as_deref(), Some("/settings"), "{}", done.body);
    assert_eq!(b.get("/settings").await.status, 200);
    b
}

async fn forgot(b: &mut Browser, email: &str) -> Page {
    let csrf = csrf_of(&b.get("/signin/forgot").await.body);
    b.post("/signin/forgot", &[("csrf", &csrf), ("email", email)])
        .await
}

async fn events(app: &TestApp, user: &str, event: &str) -> Vec<serde_json::Value> {
    let r = app
        .request(
            "GET",
            &format!("/api/v1/audit?user_id={user}&event={event}"),
            Some(&app.security_key),
            None,
        )
        .await;
    r.body["events"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_mailed_link_and_the_second_factor_stays() {
    let app = spawn_app().await;
    let (user, codes) = customer(&app, "forgetful@example.com").await;
    let mut elsewhere = signed_in(&app, "forgetful@example.com", &codes[0]).await;

    // The same answer for an address with and without an account; mail only for the first.
    let mut b = Browser::new(&app);
    let unknown = forgot(&mut b, "nobody@example.com").await;
    let known = forgot(&mut b, "forgetful@example.com").await;
    assert_eq!(unknown.status, 200);
    assert_eq!(known.status, 200);
    assert_eq!(
        unknown.body.replace("nobody@example.com", "X"),
        known.body.replace("forgetful@example.com", "X"),
        "the page tells nobody which addresses have accounts"
    );
    assert_eq!(
        app.mail_count("nobody@example.com", "password_reset").await,
        0
    );
    assert_eq!(
        app.mail_count("forgetful@example.com", "password_reset")
            .await,
        1
    );
    // A second request within a minute sends nothing more.
    forgot(&mut b, "forgetful@example.com").await;
    assert_eq!(
        app.mail_count("forgetful@example.com", "password_reset")
            .await,
        1
    );

    let text = app
        .last_mail("forgetful@example.com", "password_reset")
        .await
        .expect("mail");
    assert!(text.contains("30 minutes"), "{text}");
    assert!(
        !text.contains("/account/report/"),
        "no \"this wasn't me\" link in a link the user asked for"
    );
    let link = link_in(&text, "/account/password/");
    let form = b.get(&link).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("f••@example.com"), "{}", form.body);
    // The two fields must match; a short password is refused; neither uses the link.
    let r = b
        .post(
            &link,
            &[
                ("password", "a brand new secret"),
                ("confirm", "a brand new secreT"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("not the same"), "{}", r.body);
    let r = b
        .post(&link, &[("password", "short"), ("confirm", "short")])
        .await;
    assert_eq!(r.status, 422);
    let done = b
        .post(
            &link,
            &[
                ("password", "a brand new secret"),
                ("confirm", "a brand new secret"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Your new password is set"));
    // Once only.
    let again = b
        .post(
            &link,
            &[
                ("password", "a third secret!"),
                ("confirm", "a third secret!"),
            ],
        )
        .await;
    assert_eq!(again.status, 410);

    // Every session ended; the old password is refused; the new one leads to the second step.
    assert_eq!(
        elsewhere.get("/settings").await.location.as_deref(),
        Some("/signin")
    );
    let mut c = Browser::new(&app);
    assert_eq!(
        sign_in_with(&mut c, "forgetful@example.com", PASSWORD)
            .await
            .status,
        401
    );
    let step = sign_in_with(&mut c, "forgetful@example.com", "a brand new secret").await;
    assert_eq!(
        step.location.as_deref(),
        Some("/signin/verify"),
        "the second factor is still asked for"
    );
    assert_eq!(
        c.get("/settings").await.location.as_deref(),
        Some("/signin/verify")
    );
    let listed = app.get(&format!("/api/v1/users/{user}/factors")).await;
    assert_eq!(listed.body["factors"].as_array().map(Vec::len), Some(1));

    let reset = events(&app, &user, "password.reset").await;
    assert_eq!(reset.len(), 1, "{reset:?}");
    assert_eq!(reset[0]["details"]["link"], "password_reset");
    assert_eq!(
        events(&app, &user, "password.reset_requested").await.len(),
        1
    );
    let changed = app
        .last_mail("forgetful@example.com", "password_changed")
        .await
        .expect("a security mail");
    assert!(changed.contains("was reset"), "{changed}");
    assert!(
        changed.contains("/account/report/"),
        "a security mail has the report link"
    );
    // The link's secret is nowhere in the audit log.
    let token = link.rsplit('/').next().expect("token");
    let all = app
        .request(
            "GET",
            "/api/v1/audit?limit=500",
            Some(&app.security_key),
            None,
        )
        .await;
    assert!(!all.body.to_string().contains(token));
}

#[tokio::test]
async fn a_reset_link_expires_after_30_minutes_and_a_newer_one_replaces_it() {
    let app = spawn_app().await;
    customer(&app, "slow@example.com").await;
    let mut b = Browser::new(&app);
    forgot(&mut b, "slow@example.com").await;
    let first = link_in(
        &app.last_mail("slow@example.com", "password_reset")
            .await
            .expect("mail"),
        "/account/password/",
    );
    app.clock.advance(chrono::Duration::minutes(2));
    forgot(&mut b, "slow@example.com").await;
    let second = link_in(
        &app.last_mail("slow@example.com", "password_reset")
            .await
            .expect("mail"),
        "/account/password/",
    );
    assert_ne!(first, second);
    assert_eq!(
        b.get(&first).await.status,
        404,
        "replaced by the newer link"
    );
    assert_eq!(b.get(&second).await.status, 200);
    app.clock.advance(chrono::Duration::minutes(31));
    let late = b.get(&second).await;
    assert_eq!(late.status, 410);
    assert!(late.body.contains("expired"));
    let r = b
        .post(
            &second,
            &[
                ("password", "a brand new secret"),
                ("confirm", "a brand new secret"),
            ],
        )
        .await;
    assert_eq!(r.status, 410);
    assert_eq!(b.get("/account/password/garbage").await.status, 404);
    // A user without a password (created by a control panel) gets no link.
    app.create_user("panel-only@example.com").await;
    forgot(&mut b, "panel-only@example.com").await;
    assert_eq!(
        app.mail_count("panel-only@example.com", "password_reset")
            .await,
        0
    );
}

#[tokio::test]
async fn a_signed_in_user_changes_their_password() {
    let app = spawn_app().await;
    let (user, codes) = customer(&app, "changer@example.com").await;
    let mut other = signed_in(&app, "changer@example.com", &codes[0]).await;
    let mut b = signed_in(&app, "changer@example.com", &codes[1]).await;
    let settings = b.get("/settings").await;
    assert!(settings.body.contains("href=\"/settings/password\""));
    let page = b.get("/settings/password").await;
    assert_eq!(page.status, 200);
    let csrf = csrf_of(&page.body);
    let post = |current: &'static str, new: &'static str, confirm: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("current", current.to_owned()),
            ("password", new.to_owned()),
            ("confirm", confirm.to_owned()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| fields;
    let f = send(post(
        "wrong password",
        "a brand new secret",
        "a brand new secret",
    ));
    let r = b
        .post(
            "/settings/password",
            &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.body.contains("current password is not correct"));
    let f = post(PASSWORD, PASSWORD, PASSWORD);
    let r = b
        .post(
            "/settings/password",
            &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r.status, 422);
    let f = post(PASSWORD, "a brand new secret", "a brand new secret");
    let r = b
        .post(
            "/settings/password",
            &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/settings?notice=password"),
        "{}",
        r.body
    );
    let settings = b.get("/settings?notice=password").await;
    assert_eq!(settings.status, 200, "this browser stays signed in");
    assert!(settings.body.contains("Your password was changed"));
    assert_eq!(
        other.get("/settings").await.location.as_deref(),
        Some("/signin"),
        "every other session ended"
    );
    // Without the session's CSRF token nothing changes.
    let r = b
        .post(
            "/settings/password",
            &[
                ("current", "a brand new secret"),
                ("password", "x y z w v u"),
                ("confirm", "x y z w v u"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    let mut c = Browser::new(&app);
    assert_eq!(
        sign_in_with(&mut c, "changer@example.com", PASSWORD)
            .await
            .status,
        401
    );
    assert_eq!(
        sign_in_with(&mut c, "changer@example.com", "a brand new secret")
            .await
            .location
            .as_deref(),
        Some("/signin/verify")
    );
    assert_eq!(events(&app, &user, "password.changed").await.len(), 1);
    let mail = app
        .last_mail("changer@example.com", "password_changed")
        .await
        .expect("mail");
    assert!(mail.contains("was changed"), "{mail}");
    // Signed out, the page is not there.
    let mut anon = Browser::new(&app);
    assert_eq!(
        anon.get("/settings/password").await.location.as_deref(),
        Some("/signin")
    );
}

/// "This wasn't me": the password stops working; after the support reset a mailed link sets a
/// new one, and until then nobody signs in with a password or adds a factor.
#[tokio::test]
async fn after_this_wasnt_me_the_password_is_dead_until_a_mailed_link_sets_a_new_one() {
    let app = spawn_app().await;
    let (user, _codes) = customer(&app, "victim@example.com").await;
    let activation = app
        .last_mail("victim@example.com", "two_factor_enabled")
        .await
        .expect("mail");
    let report = link_in(&activation, "/account/report/");
    let r = reqwest::Client::new()
        .post(format!("{}{report}", app.base))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let body = r.text().await.expect("body");
    assert!(body.contains("password no longer works"), "{body}");

    let mut attacker = Browser::new(&app);
    assert_eq!(
        sign_in_with(&mut attacker, "victim@example.com", PASSWORD)
            .await
            .status,
        401
    );
    let reported = events(&app, &user, "account.reported_by_user").await;
    assert_eq!(reported[0]["details"]["password_disabled"], true);

    // The support reset (the freeze ends) mails a link to set a new password.
    let r = app
        .request(
            "POST",
            &format!("/api/v1/users/{user}/reset"),
            Some(&app.support_key),
            Some(json!({ "reason": "Reported; identity checked by call back", "verification": { "type": "out_of_band", "reference": "TICKET-1" } })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let text = app
        .last_mail("victim@example.com", "set_password")
        .await
        .expect("a set-password mail");
    assert!(text.contains("24 hours"), "{text}");
    // Before the link is used: still no password sign-in, and no factor can be added.
    assert_eq!(
        sign_in_with(&mut attacker, "victim@example.com", PASSWORD)
            .await
            .status,
        401
    );
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "totp", "name": "Attacker" }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "forbidden");

    let link = link_in(&text, "/account/password/");
    let mut owner = Browser::new(&app);
    let done = owner
        .post(
            &link,
            &[
                ("password", "the owner's new one"),
                ("confirm", "the owner's new one"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let step = sign_in_with(&mut owner, "victim@example.com", "the owner's new one").await;
    assert_eq!(step.status, 303, "{}", step.body);
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "totp", "name": "New phone" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let set = events(&app, &user, "password.reset").await;
    assert_eq!(set[0]["details"]["link"], "password_set");
    assert_eq!(set[0]["details"]["was_required"], true);
}

/// Guesses at one account from many addresses (a botnet, or an IPv6 network) pause that
/// account's password step; a browser that signed in before still gets in with the right
/// password, and a stranger's pause ends within 15 minutes.
#[tokio::test]
async fn one_account_cannot_be_guessed_from_many_addresses_and_its_owner_still_gets_in() {
    let app = spawn_app_with(&[("KEYWARD_TRUSTED_PROXIES", "127.0.0.0/8, ::1")]).await;
    let (_, codes) = customer(&app, "wanted@example.com").await;
    // The owner signed in from this browser before, all the way: the password alone does not
    // make a browser known to an account with a second factor.
    let mut half = Browser::new(&app);
    assert_eq!(
        sign_in_with(&mut half, "wanted@example.com", PASSWORD)
            .await
            .status,
        303
    );
    assert!(
        !half.cookies.contains_key("kw_device"),
        "not after the password alone"
    );
    let owner = signed_in(&app, "wanted@example.com", &codes[0]).await;
    assert!(
        owner.cookies.contains_key("kw_device"),
        "a known-browser cookie"
    );

    async fn guess_from(app: &TestApp, addr: &str, password: &str, device: Option<&str>) -> u16 {
        let mut b = Browser::new(app);
        let csrf = csrf_of(&b.get("/signin").await.body);
        let mut cookie = format!("kw_csrf={csrf}");
        if let Some(d) = device {
            cookie.push_str(&format!("; kw_device={d}"));
        }
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf", csrf.as_str()),
                ("email", "wanted@example.com"),
                ("password", password),
            ])
            .finish();
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(format!("{}/signin", app.base))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", addr)
            .body(body)
            .send()
            .await
            .expect("sent")
            .status()
            .as_u16()
    }
    // Five wrong guesses, each from another network: then the account is paused for browsers
    // it does not know, whatever their address, even with the right password.
    for i in 0..5 {
        assert_eq!(
            guess_from(&app, &format!("2001:db8:{i}::1"), "wrong", None).await,
            401
        );
    }
    assert_eq!(guess_from(&app, "198.51.100.77", "wrong", None).await, 429);
    assert_eq!(guess_from(&app, "198.51.100.78", PASSWORD, None).await, 429);
    // The owner's browser is not paused.
    let device = owner.cookies.get("kw_device").cloned().expect("device");
    assert_eq!(
        guess_from(&app, "203.0.113.9", PASSWORD, Some(&device)).await,
        303
    );
    // A forged or foreign device cookie is no help.
    assert_eq!(
        guess_from(&app, "198.51.100.79", PASSWORD, Some("forged")).await,
        429
    );
    // The pauses grow with more guesses, but never beyond 15 minutes.
    app.clock.advance(chrono::Duration::minutes(2));
    for i in 0..6 {
        app.clock.advance(chrono::Duration::minutes(16));
        assert_eq!(
            guess_from(&app, &format!("192.0.2.{i}"), "wrong", None).await,
            401
        );
    }
    app.clock
        .advance(chrono::Duration::minutes(15) + chrono::Duration::seconds(1));
    assert_eq!(guess_from(&app, "192.0.2.200", PASSWORD, None).await, 303);
}

/// An IPv6 client counts by its /64: fresh addresses from one network share one allowance.
#[tokio::test]
async fn ipv6_addresses_count_by_their_64() {
    let app = spawn_app_with(&[("KEYWARD_TRUSTED_PROXIES", "127.0.0.0/8, ::1")]).await;
    async fn guess(app: &TestApp, addr: &str, i: u32) -> u16 {
        let mut b = Browser::new(app);
        let csrf = csrf_of(&b.get("/signin").await.body);
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf", csrf.as_str()),
                ("email", &format!("someone{i}@example.com")),
                ("password", "a guess"),
            ])
            .finish();
        reqwest::Client::new()
            .post(format!("{}/signin", app.base))
            .header("cookie", format!("kw_csrf={csrf}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", addr)
            .body(body)
            .send()
            .await
            .expect("sent")
            .status()
            .as_u16()
    }
    for i in 0..10 {
        assert_eq!(
            guess(&app, &format!("2001:db8:aa:bb::{:x}", i + 1), i).await,
            401
        );
    }
    assert_eq!(
        guess(&app, "2001:db8:aa:bb:ffff:1:2:3", 10).await,
        429,
        "the same /64"
    );
    assert_eq!(
        guess(&app, "2001:db8:aa:bc::1", 11).await,
        401,
        "another /64"
    );
}

/// Addresses are compared after NFKC and case folding: a Kelvin sign is a K.
#[tokio::test]
async fn lookalike_addresses_are_one_address() {
    let app = spawn_app_with(&[("KEYWARD_OPEN_REGISTRATION", "true")]).await;
    let kate = app.create_user("kate@example.com").await;
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": "\u{212A}ate@example.com" }),
        )
        .await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": "\u{FF2B}ATE@example.com" }),
        )
        .await;
    assert_eq!(r.status, 409, "full-width letters: {:?}", r.body);
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": "ka\u{200B}te@example.com" }),
        )
        .await;
    assert_eq!(r.status, 400, "an invisible character: {:?}", r.body);
    // Sign-up with the lookalike creates nothing; Kate is told.
    let mut b = Browser::new(&app);
    let csrf = csrf_of(&b.get("/signup").await.body);
    let page = b
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("email", "\u{212A}ate@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Check your inbox"));
    assert_eq!(
        app.mail_count("kate@example.com", "signup_attempt").await,
        1
    );
    let found = app.get("/api/v1/users?email=kate@example.com").await;
    let users = found.body["users"].as_array().cloned().unwrap_or_default();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["id"], kate.as_str());
    assert_eq!(users[0]["email"], "kate@example.com");
}

/// Someone signs up with Kate's address and their own password, hoping she confirms it: the
/// confirmation takes the password chosen at sign-up, the control panel's account creation takes
/// the address over, and unconfirmed sign-ups go away when their link expires.
#[tokio::test]
async fn a_sign_up_with_someone_elses_address_cannot_be_confirmed_by_its_owner() {
    let app = spawn_app_with(&[("KEYWARD_OPEN_REGISTRATION", "true")]).await;
    let mut squatter = Browser::new(&app);
    let csrf = csrf_of(&squatter.get("/signup").await.body);
    squatter
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("email", "kate@example.com"),
                ("password", "the squatter's one"),
            ],
        )
        .await;
    let text = app
        .last_mail("kate@example.com", "confirm_email")
        .await
        .expect("mail");
    let link = link_in(&text, "/account/confirm/");
    // Kate clicks; she does not know the squatter's password, so nothing is confirmed.
    let mut kate = Browser::new(&app);
    let r = kate.post(&link, &[("password", PASSWORD)]).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let user = app.get("/api/v1/users?email=kate@example.com").await.body["users"][0].clone();
    assert_eq!(user["email_verified"], false);
    // Signing in again and again does not flood her inbox: three mails at most, ten minutes apart.
    for i in 0..5 {
        app.clock.advance(chrono::Duration::minutes(11));
        let step = sign_in_with(&mut squatter, "kate@example.com", "the squatter's one").await;
        assert_eq!(step.status, 403, "round {i}: {}", step.body);
    }
    assert_eq!(app.mail_count("kate@example.com", "confirm_email").await, 3);
    // The control panel creates Kate's real account: the unconfirmed sign-up gives way.
    let r = app
        .post("/api/v1/users", json!({ "email": "kate@example.com" }))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_ne!(r.body["id"], user["id"]);
    assert_eq!(
        sign_in_with(&mut squatter, "kate@example.com", "the squatter's one")
            .await
            .status,
        401
    );
    let replaced = events(
        &app,
        user["id"].as_str().expect("id"),
        "user.signup_replaced",
    )
    .await;
    assert_eq!(replaced.len(), 1);
    // Another squatted address simply expires.
    squatter
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("email", "ann@example.com"),
                ("password", "the squatter's one"),
            ],
        )
        .await;
    assert_eq!(
        app.get("/api/v1/users?email=ann@example.com").await.body["users"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    app.clock.advance(chrono::Duration::hours(50));
    keyward::startup::run_housekeeping(&app.state)
        .await
        .expect("housekeeping");
    assert_eq!(
        app.get("/api/v1/users?email=ann@example.com").await.body["users"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}

/// The browser that sets a new password with a mailed link becomes known (a stranger's
/// guesses cannot pause it); a password change forgets every other browser.
#[tokio::test]
async fn a_reset_makes_the_browser_known_and_a_change_forgets_the_others() {
    let app = spawn_app().await;
    let (_, codes) = customer(&app, "keeper@example.com").await;
    let other = signed_in(&app, "keeper@example.com", &codes[0]).await;
    let other_device = other.cookies.get("kw_device").cloned().expect("known");
    let mut b = signed_in(&app, "keeper@example.com", &codes[1]).await;
    let csrf = csrf_of(&b.get("/settings/password").await.body);
    let r = b
        .post(
            "/settings/password",
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("password", "a brand new secret"),
                ("confirm", "a brand new secret"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Five wrong guesses pause the account; the other browser's cookie no longer helps.
    let mut stranger = Browser::new(&app);
    for _ in 0..5 {
        sign_in_with(&mut stranger, "keeper@example.com", "wrong").await;
    }
    let mut with_old = Browser::new(&app);
    with_old.cookies.insert("kw_device".into(), other_device);
    assert_eq!(
        sign_in_with(&mut with_old, "keeper@example.com", "a brand new secret")
            .await
            .status,
        429
    );
    // (A quarter of an hour later: the address's own allowance starts over.)
    app.clock.advance(chrono::Duration::minutes(16));
    // Reset by the mailed link: that browser is known from then on, pause or not.
    let mut fresh = Browser::new(&app);
    forgot(&mut fresh, "keeper@example.com").await;
    let link = link_in(
        &app.last_mail("keeper@example.com", "password_reset")
            .await
            .expect("mail"),
        "/account/password/",
    );
    let done = fresh
        .post(
            &link,
            &[
                ("password", "the third secret"),
                ("confirm", "the third secret"),
            ],
        )
        .await;
    assert_eq!(done.status, 200);
    assert!(fresh.cookies.contains_key("kw_device"));
    for _ in 0..5 {
        sign_in_with(&mut stranger, "keeper@example.com", "wrong").await;
    }
    assert_eq!(
        sign_in_with(&mut stranger, "keeper@example.com", "the third secret")
            .await
            .status,
        429
    );
    assert_eq!(
        sign_in_with(&mut fresh, "keeper@example.com", "the third secret")
            .await
            .status,
        303
    );
}
