//! The notices the server words in Rust (lockouts, sign-up, the password pages, the policy's
//! reasons), the page that returns a browser to its application, and the words the pages hand
//! to their script: in the page's language, with no English left.

use keyward::domain::i18n::{Arg, Locale};
use serde_json::json;

use crate::groups::hardware_only_required;
use crate::helpers::{TestApp, spawn_app, spawn_app_with, totp_code};
use crate::i18n::english_left;
use crate::portal::{Browser, Page, csrf_of, password_step};

const PASSWORD: &str = "correct horse battery";

fn assert_in(page: &Page, locale: Locale, what: &str) {
    assert!(
        page.body
            .contains(&format!("<html lang=\"{}\">", locale.tag())),
        "{what} is not in {}: {}",
        locale.tag(),
        page.body
    );
    let left = english_left(&page.body, locale);
    assert!(left.is_empty(), "{what} ({}) says {left:?}", locale.tag());
}

/// `text` as askama writes it into a page.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('\'', "&#39;")
        .replace('"', "&#34;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
}

/// A user with a password, in `locale` when given.
async fn user(app: &TestApp, email: &str, locale: Option<Locale>) -> String {
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": email, "password": PASSWORD, "locale": locale.map(Locale::tag) }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["id"].as_str().expect("id").to_owned()
}

/// A browser whose language switcher chose `locale`.
fn browser_in(app: &TestApp, locale: Locale) -> Browser {
    let mut b = Browser::new(app);
    b.cookies
        .insert("keyward_lang".into(), locale.tag().to_owned());
    b
}

#[tokio::test]
async fn the_lockout_notices_after_wrong_passwords_are_in_the_page_language() {
    for locale in [Locale::Ru, Locale::De] {
        let app = spawn_app().await;
        let email = format!("locked-{}@example.com", locale.tag());
        user(&app, &email, Some(locale)).await;

        // Sign-in: five wrong passwords are free, the sixth pauses the account.
        let mut b = browser_in(&app, locale);
        let csrf = csrf_of(&b.get("/signin").await.body);
        let mut locked = None;
        for _ in 0..8 {
            let r = b
                .post(
                    "/signin",
                    &[("csrf", &csrf), ("email", &email), ("password", "wrong")],
                )
                .await;
            if r.status == 429 {
                locked = Some(r);
                break;
            }
            assert_eq!(r.status, 401, "{}", r.body);
            assert!(r.body.contains(&escaped(&locale.t("error-credentials"))));
        }
        let locked = locked.expect("the account is paused");
        assert_in(&locked, locale, "the sign-in lockout");
        let expected = locale.t_args("wait-sign-ins", &[("count", Arg::Number(1))]);
        assert!(
            locked.body.contains(&escaped(&expected)),
            "{expected}: {}",
            locked.body
        );
        assert!(!locked.body.contains("Too many failed sign-ins"));

        // Sudo mode after the pause: wrong passwords again, in the user's language.
        app.clock.advance(chrono::Duration::minutes(20));
        let mut b = browser_in(&app, Locale::En);
        let csrf = csrf_of(&b.get("/signin").await.body);
        let r = b
            .post(
                "/signin",
                &[("csrf", &csrf), ("email", &email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.location.as_deref(), Some("/settings"), "{}", r.body);
        let page = b.get("/settings/sudo?next=%2Fsettings%2Fadd").await;
        let csrf = csrf_of(&page.body);
        let mut paused = None;
        for _ in 0..12 {
            let r = b
                .post(
                    "/settings/sudo",
                    &[
                        ("csrf", &csrf),
                        ("next", "/settings/add"),
                        ("password", "wrong"),
                    ],
                )
                .await;
            if r.status == 429 {
                paused = Some(r);
                break;
            }
            assert_eq!(r.status, 401, "{}", r.body);
        }
        let paused = paused.expect("sudo mode is paused");
        assert_in(&paused, locale, "the sudo lockout");
        let words = match locale {
            Locale::Ru => "Слишком много неверных паролей",
            _ => "Zu viele falsche Passwörter",
        };
        assert!(paused.body.contains(words), "{}", paused.body);
        assert!(!paused.body.contains("Too many wrong passwords"));
    }
}

#[tokio::test]
async fn the_plural_of_a_wait_follows_the_language() {
    let n = |l: Locale, id: &str, k: i64| l.t_args(id, &[("count", Arg::Number(k))]);
    assert_eq!(
        n(Locale::En, "wait-passwords", 1),
        "Too many wrong passwords. Try again in 1 minute."
    );
    assert_eq!(
        n(Locale::En, "wait-sign-ins", 15),
        "Too many failed sign-ins. Try again in 15 minutes, sign in from a browser you used before, or reset your password."
    );
    assert!(n(Locale::Ru, "wait-passwords", 1).ends_with("через 1 минуту."));
    assert!(n(Locale::Ru, "wait-passwords", 3).ends_with("через 3 минуты."));
    assert!(n(Locale::Ru, "wait-passwords", 15).ends_with("через 15 минут."));
    assert!(n(Locale::Uk, "wait-network", 2).ends_with("через 2 хвилини."));
    assert!(n(Locale::Uk, "wait-network", 5).ends_with("через 5 хвилин."));
    assert!(n(Locale::De, "wait-passwords", 1).contains("in 1 Minute erneut"));
    assert!(n(Locale::Es, "wait-passwords", 2).contains("dentro de 2 minutos"));
    let expired = |l: Locale| {
        l.t_args(
            "link-expired-password",
            &[("count", Arg::Number(30)), ("hours", Arg::Number(24))],
        )
    };
    assert!(
        expired(Locale::Ru).contains("30 минут (") && expired(Locale::Ru).contains("— 24 часа)")
    );
    assert!(
        expired(Locale::Uk).contains("30 хвилин (") && expired(Locale::Uk).contains("— 24 години)")
    );
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("day");
    assert_eq!(Locale::En.date_long(day), "3 December 2026");
    assert_eq!(Locale::De.date_long(day), "3. Dezember 2026");
    assert_eq!(Locale::Ru.date_long(day), "3 декабря 2026\u{a0}г.");
    assert_eq!(Locale::Es.date_long(day), "3 de diciembre de 2026");
}

/// Way 2 (a sign-in at Keyward) for a client that asks for `ui_locales`: the path of its
/// `/oauth2/authorize`.
async fn plain_client_authorize(app: &TestApp, ui_locales: &str) -> String {
    let r = app
        .request(
            "POST",
            "/api/v1/clients",
            Some(&app.security_key),
            Some(json!({ "name": "Example Panel", "redirect_uris": ["http://127.0.0.1:9/panel/callback"], "trusted_first_factor": false })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let client = r.body["client_id"].as_str().expect("id");
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("response_type", "code"),
            ("client_id", client),
            ("redirect_uri", "http://127.0.0.1:9/panel/callback"),
            ("scope", "openid email"),
            ("state", "s-1"),
            ("nonce", "n-1"),
            // RFC 7636's example challenge.
            (
                "code_challenge",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ),
            ("code_challenge_method", "S256"),
            ("ui_locales", ui_locales),
        ])
        .finish();
    format!("/oauth2/authorize?{query}")
}

fn assert_return_page(page: &Page, locale: Locale, done: bool) {
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("<html lang=\"{}\">", locale.tag())),
        "{}",
        page.body
    );
    let client =
        |id: &str| escaped(&locale.t_args(id, &[("client", Arg::Text("Example Panel".into()))]));
    assert!(
        page.body
            .contains(&format!("<h1 id=\"title\">{}</h1>", client("return-title"))),
        "{}",
        page.body
    );
    let status = if done { "return-done" } else { "return-going" };
    assert!(page.body.contains(&client(status)), "{}", page.body);
    assert!(
        page.body.contains(&client("return-continue")),
        "{}",
        page.body
    );
    assert!(page.body.contains("http-equiv=\"refresh\""));
    for english in ["Returning to", "Taking you back", "Continue to"] {
        assert!(!page.body.contains(english), "{english}: {}", page.body);
    }
}

#[tokio::test]
async fn the_way_back_to_the_application_speaks_the_hand_offs_language() {
    let app = spawn_app().await;
    let authorize = plain_client_authorize(&app, "uk-UA en").await;

    // Cancelled at the sign-in page (no session yet: the hand-off cookie), the browser English.
    let mut b = Browser::new(&app);
    assert_eq!(b.get(&authorize).await.location.as_deref(), Some("/signin"));
    let signin = b.get("/signin").await;
    assert!(
        signin.body.contains("<html lang=\"uk\">"),
        "{}",
        signin.body
    );
    let back = b.get("/oauth2/authorize/cancel").await;
    assert_return_page(&back, Locale::Uk, false);
    assert!(back.body.contains("error=access_denied"), "{}", back.body);

    // Signed in at Keyward (a session tied to the hand-off): the way back after it.
    user(&app, "olena@example.ua", None).await;
    let mut b = Browser::new(&app);
    assert_eq!(b.get(&authorize).await.location.as_deref(), Some("/signin"));
    let signin = b.get("/signin").await;
    let r = b
        .post(
            "/signin",
            &[
                ("csrf", &csrf_of(&signin.body)),
                ("email", "olena@example.ua"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/oauth2/authorize/resume"));
    // No second factor to verify with: back to the client with an error, in Ukrainian.
    let back = b.get("/oauth2/authorize/resume").await;
    assert_return_page(&back, Locale::Uk, false);

    // The user's own language comes first.
    user(&app, "anna@example.de", Some(Locale::De)).await;
    let mut b = Browser::new(&app);
    b.get(&authorize).await;
    let signin = b.get("/signin").await;
    b.post(
        "/signin",
        &[
            ("csrf", &csrf_of(&signin.body)),
            ("email", "anna@example.de"),
            ("password", PASSWORD),
        ],
    )
    .await;
    let back = b.get("/oauth2/authorize/resume").await;
    assert_return_page(&back, Locale::De, false);

    // A link for an unknown client: the error page in the browser's language.
    let mut b = browser_in(&app, Locale::De);
    let bad = b
        .get("/oauth2/authorize?client_id=cli_unknown&response_type=code")
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.body
            .contains(&escaped(&Locale::De.t("oidc-unknown-client"))),
        "{}",
        bad.body
    );
    assert_in(&bad, Locale::De, "the unknown client's page");
}

#[tokio::test]
async fn a_groups_policy_reason_and_the_deadline_are_in_the_users_language() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": "hw@example.de", "password": PASSWORD, "locale": "de" }),
        )
        .await;
    let member = r.body["id"].as_str().expect("id").to_owned();
    let (factor, secret, _) = app.enroll_totp(&member, "Handy").await;
    let now = app.pin_clock_mid_step();
    let r = app
        .activate(&member, &factor, &totp_code(&secret, now))
        .await;
    let codes: Vec<String> = r.body["backup_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    let hw = app
        .group_with("Hardware", Some(hardware_only_required(5)))
        .await;
    assert_eq!(app.join(&hw, &member).await.status, 204);

    let mut b = Browser::new(&app);
    let step = password_step(&mut b, "hw@example.de").await;
    assert_eq!(step.location.as_deref(), Some("/signin/verify"));
    let verify = b.get("/signin/verify").await;
    let r = b
        .post(
            "/signin/verify",
            &[("csrf", &csrf_of(&verify.body)), ("code", &codes[0])],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/settings/add"), "{}", r.body);
    let add = b.get("/settings/add").await;
    assert_in(&add, Locale::De, "/settings/add");
    assert!(
        add.body.contains(&escaped(
            "Von der Sicherheitsrichtlinie Ihrer Gruppe „Hardware“ nicht zugelassen."
        )),
        "{}",
        add.body
    );
    let by =
        chrono::DateTime::from_timestamp(app.now(), 0).expect("now") + chrono::Duration::days(5);
    let deadline = Locale::De.date_long(by.date_naive());
    assert!(
        add.body
            .contains(&format!("bis zum {deadline} eine der folgenden Methoden")),
        "{}",
        add.body
    );
    assert!(!add.body.contains("Not allowed by"));

    // The app is refused at enrollment too: the policy's refusal in German, the API's in English.
    let r = b
        .post(
            "/settings/add/totp",
            &[("csrf", &csrf_of(&add.body)), ("name", "Neues Handy")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains(&escaped(&Locale::De.t("refused-method-not-allowed"))),
        "{}",
        r.body
    );
    assert_in(&r, Locale::De, "the refused app");
    let api = app
        .post(
            &format!("/api/v1/users/{member}/factors"),
            json!({ "type": "totp", "name": "Phone" }),
        )
        .await;
    assert_eq!(api.error_code(), "policy_violation");
    assert!(
        api.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("the security policy does not allow `totp` factors"),
        "{:?}",
        api.body
    );
    // A name the form refuses.
    let r = b
        .post(
            "/settings/add/yubikey",
            &[("csrf", &csrf_of(&add.body)), ("name", " "), ("otp", "x")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(&escaped(&Locale::De.t("name-missing"))),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("placeholder=\"z. B. YubiKey im Büro\""),
        "{}",
        r.body
    );
    assert_in(&r, Locale::De, "the refused name");
}

/// What `templates/portal/portal_js.html` hands to the script: attribute, message id.
const SCRIPT_WORDS: [(&str, &str); 15] = [
    ("name-first", "js-name-first"),
    ("touch-key", "js-touch-key"),
    ("no-answer", "js-key-no-answer"),
    ("registered", "js-key-registered"),
    ("unsupported", "js-key-unsupported"),
    ("failed", "js-failed"),
    ("codes-header", "codes-file-header"),
    ("error-unauthorized", "js-session-ended"),
    ("error-forbidden", "js-page-expired"),
    ("error-too-many-attempts", "js-too-many-attempts"),
    ("error-invalid-credential", "js-key-refused"),
    ("error-policy-violation", "js-key-policy"),
    ("error-no-second-factor", "js-no-key"),
    ("error-unavailable", "something-wrong-body"),
    ("error-internal", "something-wrong-body"),
];

/// The `data-*` attributes of the element that loads `static/portal.js`.
fn script_words(body: &str) -> Vec<(String, String)> {
    let start = body
        .find("<script src=\"/static/portal.js\"")
        .expect("the page loads portal.js");
    let tag = &body[start..start + body[start..].find('>').expect("tag end")];
    tag.split(" data-")
        .skip(1)
        .map(|attr| {
            let (name, value) = attr.split_once("=\"").expect("an attribute");
            let value = value.split('"').next().expect("value");
            (
                name.to_owned(),
                value.replace("&#39;", "'").replace("&#38;", "&"),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_scripts_words_come_with_the_page_in_its_language() {
    let app = spawn_app().await;
    for locale in [Locale::En, Locale::Ru, Locale::De] {
        let email = format!("key-{}@example.com", locale.tag());
        user(&app, &email, Some(locale)).await;
        let mut b = Browser::new(&app);
        assert_eq!(
            password_step(&mut b, &email).await.location.as_deref(),
            Some("/settings")
        );
        let sudo = b
            .get("/settings/sudo?next=%2Fsettings%2Fadd%2Fsecurity-key")
            .await;
        let r = b
            .post(
                "/settings/sudo",
                &[
                    ("csrf", &csrf_of(&sudo.body)),
                    ("next", "/settings/add/security-key"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.location.as_deref(), Some("/settings/add/security-key"));
        let page = b.get("/settings/add/security-key").await;
        assert_in(&page, locale, "/settings/add/security-key");
        let words = script_words(&page.body);
        let word = |name: &str| {
            words
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("data-{name} in {words:?}"))
        };
        let issuer = [("issuer", Arg::Text("Keyward Test".into()))];
        for (attr, id) in SCRIPT_WORDS {
            let shown = word(attr);
            assert_eq!(
                shown,
                locale.t_args(id, &issuer),
                "data-{attr} ({})",
                locale.tag()
            );
            if locale != Locale::En {
                assert_ne!(
                    shown,
                    Locale::En.t_args(id, &issuer),
                    "data-{attr} is English in {}",
                    locale.tag()
                );
            }
        }
        assert_eq!(words.len(), SCRIPT_WORDS.len(), "{words:?}");
    }
    // The script keeps its English for a page that gives it no words.
    let js = reqwest::get(format!("{}/static/portal.js", app.base))
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(js.contains("Touch or unlock your security key now."));
    assert!(js.contains("document.currentScript"));
}

#[tokio::test]
async fn sign_up_and_the_password_pages_speak_german() {
    let app = spawn_app_with(&[("KEYWARD_OPEN_REGISTRATION", "true")]).await;
    let de = Locale::De;
    let mut b = browser_in(&app, de);
    let page = b.get("/signup").await;
    let csrf = csrf_of(&page.body);
    let short = b
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("email", "neu@example.de"),
                ("password", "kurz"),
            ],
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(
        short
            .body
            .contains("Das Passwort muss mindestens 8 Zeichen lang sein."),
        "{}",
        short.body
    );
    assert_in(&short, de, "sign-up with a short password");
    let bad = b
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("email", "no-at-sign"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains(&escaped(&de.t("signup-email-invalid"))),
        "{}",
        bad.body
    );
    let ok = b
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("email", "neu@example.de"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("innerhalb von 48 Stunden"), "{}", ok.body);
    assert_in(&ok, de, "check your inbox");

    // Signing in before the address is confirmed.
    let csrf = csrf_of(&b.get("/signin").await.body);
    let early = b
        .post(
            "/signin",
            &[
                ("csrf", &csrf),
                ("email", "neu@example.de"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(early.status, 403, "{}", early.body);
    assert!(
        early
            .body
            .contains(&escaped(&de.t("signin-confirm-first-title")))
    );
    assert_in(&early, de, "the unconfirmed sign-in");

    // Forgot the password; a link that is not valid.
    let forgot = b.get("/signin/forgot").await;
    let answered = b
        .post(
            "/signin/forgot",
            &[
                ("csrf", &csrf_of(&forgot.body)),
                ("email", "neu@example.de"),
            ],
        )
        .await;
    assert_eq!(answered.status, 200);
    assert!(
        answered.body.contains("30 Minuten lang"),
        "{}",
        answered.body
    );
    assert_in(&answered, de, "the forgot page's answer");
    let invalid = b.get("/account/password/not-a-real-token").await;
    assert_eq!(invalid.status, 404);
    assert!(
        invalid.body.contains(&escaped(&de.t("link-invalid"))),
        "{}",
        invalid.body
    );
    assert_in(&invalid, de, "an invalid link");

    // Changing the password in the settings, in the user's language.
    user(&app, "ruslan@example.com", Some(Locale::Ru)).await;
    let mut b = Browser::new(&app);
    password_step(&mut b, "ruslan@example.com").await;
    let change = b.get("/settings/password").await;
    assert_in(&change, Locale::Ru, "the password change");
    let r = b
        .post(
            "/settings/password",
            &[
                ("csrf", &csrf_of(&change.body)),
                ("current", PASSWORD),
                ("password", "новый пароль 1"),
                ("confirm", "новый пароль 2"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains(&escaped(&Locale::Ru.t("password-mismatch"))),
        "{}",
        r.body
    );
    assert_in(&r, Locale::Ru, "passwords that differ");
    let r = b
        .post(
            "/settings/password",
            &[
                ("csrf", &csrf_of(&change.body)),
                ("current", PASSWORD),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert!(
        r.body.contains(&escaped(&Locale::Ru.t("password-same"))),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_non_staff_user_is_turned_away_in_their_language() {
    let app = spawn_app().await;
    user(&app, "kunde@example.de", Some(Locale::De)).await;
    let mut b = browser_in(&app, Locale::De);
    password_step_any(&mut b, "kunde@example.de").await;
    let r = b.get("/support").await;
    assert_eq!(r.status, 403);
    assert!(
        r.body
            .contains(&escaped(&Locale::De.t("staff-refused-support"))),
        "{}",
        r.body
    );
    assert_in(&r, Locale::De, "/support for a customer");
}

/// The password step whatever the page's language (`password_step` checks the English label).
async fn password_step_any(b: &mut Browser, email: &str) {
    let page = b.get("/signin").await;
    let r = b
        .post(
            "/signin",
            &[
                ("csrf", &csrf_of(&page.body)),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// The script's words in German in Chromium (tests/browser/i18n_notices.mjs): a key without a
/// name, the backup codes' file, a key registered already, a browser without WebAuthn.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scripts_messages_in_german_in_chromium() {
    if !crate::webauthn::require_browser() {
        return;
    }
    let de = Locale::De;
    // The WebAuthn origin is the server's: localhost on a known port.
    let port = crate::helpers::free_port();
    let app = spawn_app_with(&[
        ("KEYWARD_LISTEN", &format!("127.0.0.1:{port}")),
        ("KEYWARD_BASE_URL", &format!("http://localhost:{port}")),
    ])
    .await;
    user(&app, "schluessel@example.de", None).await;
    let out = crate::helpers::run_browser_script(
        "i18n_notices.mjs",
        port,
        vec![
            ("LANG_TAG", de.tag().to_owned()),
            ("EMAIL", "schluessel@example.de".to_owned()),
            ("PASSWORD", PASSWORD.to_owned()),
        ],
    )
    .await;
    assert_eq!(out["lang"], "de", "{out}");
    assert_eq!(out["name_first"], de.t("js-name-first"), "{out}");
    assert_eq!(
        out["codes_header"],
        de.t_args(
            "codes-file-header",
            &[("issuer", Arg::Text("Keyward Test".into()))]
        ),
        "{out}"
    );
    assert_eq!(out["registered"], de.t("js-key-registered"), "{out}");
    assert_eq!(out["unsupported"], de.t("js-key-unsupported"), "{out}");
}
