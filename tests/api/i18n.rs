//! Languages: a user's `locale` in the API, the order in which a page picks its language,
//! mail in the user's language, and no English sentence left on a translated page.

use diesel::prelude::*;
use keyward::domain::i18n::{Locale, english_messages};
use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spawn_app_with, totp_code};
use crate::portal::{Browser, csrf_of, signed_in_with_sudo};

/// The visible text of a page: tags dropped, askama's entities decoded, spaces collapsed.
pub(crate) fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut skip = false;
    let lower = html.to_lowercase();
    let mut i = 0;
    let bytes: Vec<char> = html.chars().collect();
    let lower_chars: Vec<char> = lower.chars().collect();
    while i < bytes.len() {
        let c = bytes[i];
        if c == '<' {
            let rest: String = lower_chars[i..(i + 8).min(lower_chars.len())]
                .iter()
                .collect();
            if rest.starts_with("<script") || rest.starts_with("<style") {
                skip = true;
            } else if rest.starts_with("</script") || rest.starts_with("</style") {
                skip = false;
            }
            in_tag = true;
            out.push(' ');
        } else if c == '>' {
            in_tag = false;
        } else if !in_tag && !skip {
            out.push(c);
        }
        i += 1;
    }
    let decoded = out
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The English sentences of the catalogue that `locale` translates differently (a word that
/// is the same in both, such as "YubiKey", says nothing), found in `html`.
pub(crate) fn english_left(html: &str, locale: Locale) -> Vec<String> {
    let text = visible_text(html);
    english_messages()
        .into_iter()
        .filter(|(_, en)| !en.contains('{') && en.contains(' ') && en.chars().count() > 6)
        .filter(|(id, en)| locale.t(id) != *en)
        .filter(|(_, en)| text.contains(en.as_str()))
        .map(|(id, en)| format!("{id}: {en}"))
        .collect()
}

#[tokio::test]
async fn a_user_has_a_locale_that_the_api_checks() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": "anna@example.de", "locale": "de" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["locale"], "de");
    let id = r.body["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.get(&format!("/api/v1/users/{id}")).await.body["locale"],
        "de"
    );

    let plain = app
        .post("/api/v1/users", json!({ "email": "bo@example.com" }))
        .await;
    assert_eq!(plain.body["locale"], serde_json::Value::Null);

    let bad = app
        .post(
            "/api/v1/users",
            json!({ "email": "pl@example.pl", "locale": "pl" }),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error_code(), "bad_request");
    // API errors stay English whatever the caller's language.
    assert!(
        bad.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("locale"),
        "{:?}",
        bad.body
    );

    let path = format!("/api/v1/users/{id}");
    let key = app.integration_key.clone();
    let patch = |body| app.request("PATCH", &path, Some(&key), Some(body));
    let changed = patch(json!({ "locale": "uk" })).await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(changed.body["locale"], "uk");
    assert_eq!(changed.body["email"], "anna@example.de");
    let renamed = patch(json!({ "display_name": "Anna K." })).await;
    assert_eq!(renamed.body["display_name"], "Anna K.");
    assert_eq!(renamed.body["locale"], "uk");
    assert_eq!(patch(json!({ "locale": "tlh" })).await.status, 400);
    let cleared = patch(json!({ "locale": null })).await;
    assert_eq!(cleared.status, 200);
    assert_eq!(cleared.body["locale"], serde_json::Value::Null);
    let missing = app
        .request(
            "PATCH",
            "/api/v1/users/usr_doesnotexist",
            Some(&app.integration_key),
            Some(json!({ "locale": "de" })),
        )
        .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn discovery_lists_the_languages() {
    let app = spawn_app().await;
    let doc = app.get("/.well-known/openid-configuration").await;
    assert_eq!(
        doc.body["ui_locales_supported"],
        json!(["en", "ru", "uk", "ms", "de", "es"])
    );
}

async fn sign_in_page(
    app: &TestApp,
    headers: &[(&str, &str)],
    query: &str,
) -> (String, Option<String>) {
    let mut req = reqwest::Client::new().get(format!("{}/signin{query}", app.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("get");
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("keyward_lang="))
        .map(str::to_owned);
    (resp.text().await.expect("body"), cookie)
}

#[tokio::test]
async fn a_page_picks_its_language_switcher_then_browser_then_default() {
    let app = spawn_app().await;
    let (en, _) = sign_in_page(&app, &[], "").await;
    assert!(en.contains("<html lang=\"en\">") && en.contains(">Sign in</button>"));
    // The switcher offers every other language.
    assert!(en.contains("href=\"?lang=ru\"") && !en.contains("href=\"?lang=en\""));

    let (de, _) = sign_in_page(
        &app,
        &[("accept-language", "fr-CH, fr;q=0.9, de;q=0.8")],
        "",
    )
    .await;
    assert!(de.contains("<html lang=\"de\">"), "{de}");
    assert!(de.contains(">Anmelden</button>"));

    let (ru, _) = sign_in_page(
        &app,
        &[("accept-language", "de"), ("cookie", "keyward_lang=ru")],
        "",
    )
    .await;
    assert!(ru.contains("<html lang=\"ru\">") && ru.contains(">Войти</button>"));

    let (es, cookie) = sign_in_page(&app, &[("accept-language", "de")], "?lang=es").await;
    assert!(es.contains("<html lang=\"es\">") && es.contains(">Iniciar sesión</button>"));
    let cookie = cookie.expect("the switcher sets its cookie");
    assert!(cookie.starts_with("keyward_lang=es;") && cookie.contains("HttpOnly"));

    let malay = spawn_app_with(&[("KEYWARD_DEFAULT_LOCALE", "ms")]).await;
    let (ms, _) = sign_in_page(&malay, &[("accept-language", "fr")], "").await;
    assert!(ms.contains("<html lang=\"ms\">") && ms.contains(">Log masuk</button>"));
}

#[tokio::test]
async fn the_users_locale_wins_over_the_browser() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": "olena@example.ua", "password": "correct horse battery", "locale": "uk" }),
        )
        .await;
    assert_eq!(r.status, 201);
    let mut b = Browser::new(&app);
    b.cookies.insert("keyward_lang".into(), "de".into());
    let page = b.get("/signin").await;
    assert!(page.body.contains("<html lang=\"de\">"));
    let csrf = csrf_of(&page.body);
    let step = b
        .post(
            "/signin",
            &[
                ("csrf", &csrf),
                ("email", "olena@example.ua"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(step.location.as_deref(), Some("/settings"));
    let settings = b.get("/settings").await;
    assert!(
        settings.body.contains("<html lang=\"uk\">"),
        "{}",
        settings.body
    );
    assert!(settings.body.contains("Налаштування безпеки"));
    // The account fixes the language: no switcher.
    assert!(!settings.body.contains("?lang="));
}

/// The outbox's newest mail of `kind` to `to`: (subject, text, html).
async fn stored_mail(app: &TestApp, to: &str, kind: &str) -> (String, String, String) {
    use keyward::db::schema::mail_outbox;
    let db = app.state.db.clone();
    let (to, kind) = (to.to_owned(), kind.to_owned());
    tokio::task::spawn_blocking(move || {
        db.with_conn(|c| {
            mail_outbox::table
                .filter(mail_outbox::to_address.eq(&to))
                .filter(mail_outbox::kind.eq(&kind))
                .order((mail_outbox::created_at.desc(), mail_outbox::id.desc()))
                .select((
                    mail_outbox::subject,
                    mail_outbox::body_text,
                    mail_outbox::body_html,
                ))
                .get_result::<(String, String, String)>(c)
        })
    })
    .await
    .expect("join")
    .expect("conn")
    .expect("a mail")
}

#[tokio::test]
async fn mail_to_a_ukrainian_user_is_ukrainian_and_so_is_the_report_page() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": "taras@example.ua", "locale": "uk" }),
        )
        .await;
    let user = r.body["id"].as_str().expect("id").to_owned();
    let (factor, secret, _) = app.enroll_totp(&user, "Phone").await;
    let now = app.pin_clock_mid_step();
    assert_eq!(
        app.activate(&user, &factor, &totp_code(&secret, now))
            .await
            .status,
        200
    );
    let (subject, text, html) = stored_mail(&app, "taras@example.ua", "two_factor_enabled").await;
    assert_eq!(
        subject,
        "Двофакторну автентифікацію увімкнено для вашого облікового запису Keyward Test"
    );
    assert!(html.contains("<html lang=\"uk\">"));
    for part in [&text, &html] {
        assert!(part.contains("Вітаємо!"), "{part}");
        assert!(part.contains("Застосунок автентифікації"), "{part}");
        assert!(part.contains("Це були не ви?"), "{part}");
        assert!(part.contains("\u{a0}р., "), "a Ukrainian date: {part}");
        assert!(
            english_left(part, Locale::Uk).is_empty(),
            "{:?}",
            english_left(part, Locale::Uk)
        );
    }
    // The "this wasn't me" page opens in the mail's language, whatever the browser says.
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/account/report/"))
        .expect("report link");
    assert!(link.ends_with("?lang=uk"), "{link}");
    let path = &link[link.find("/account/report/").expect("path")..];
    let page = reqwest::Client::new()
        .get(format!("{}{path}", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("<html lang=\"uk\">") && page.contains("Це були не ви?"),
        "{page}"
    );
    assert!(
        english_left(&page, Locale::Uk).is_empty(),
        "{:?}",
        english_left(&page, Locale::Uk)
    );
}

/// Through sign-in, the second step, the settings and the setup of an authenticator app in
/// Russian and German: every page is in the language, and no English sentence is left.
#[tokio::test]
async fn no_english_is_left_on_translated_pages() {
    for locale in [Locale::Ru, Locale::De] {
        let app = spawn_app().await;
        let email = format!("{}@example.com", locale.tag());
        let mut b = signed_in_with_sudo(&app, &email).await;
        let found = app.get(&format!("/api/v1/users?email={email}")).await;
        let user = found.body["users"][0]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let r = app
            .request(
                "PATCH",
                &format!("/api/v1/users/{user}"),
                Some(&app.integration_key),
                Some(json!({ "locale": locale.tag() })),
            )
            .await;
        assert_eq!(r.status, 200);
        let mut pages = vec![
            ("/settings".to_owned(), b.get("/settings").await.body),
            (
                "/settings/add".to_owned(),
                b.get("/settings/add").await.body,
            ),
        ];
        let name_page = b.get("/settings/add/totp").await.body;
        let csrf = csrf_of(&name_page);
        pages.push(("/settings/add/totp".into(), name_page));
        let started = b
            .post("/settings/add/totp", &[("csrf", &csrf), ("name", "Phone")])
            .await;
        let setup_path = started.location.expect("setup page");
        let setup = b.get(&setup_path).await.body;
        let secret: String = {
            let marker = "<code id=\"setup-key\">";
            let start = setup.find(marker).expect("setup key") + marker.len();
            setup[start..]
                .split('<')
                .next()
                .expect("key")
                .replace(' ', "")
        };
        pages.push((setup_path.clone(), setup.clone()));
        let wrong = b
            .post(
                &setup_path,
                &[("csrf", &csrf_of(&setup)), ("code", "000000")],
            )
            .await;
        pages.push((format!("{setup_path} (wrong code)"), wrong.body));
        let now = app.pin_clock_mid_step();
        let done = b
            .post(
                &setup_path,
                &[
                    ("csrf", &csrf_of(&setup)),
                    ("code", &totp_code(&secret, now)),
                ],
            )
            .await;
        assert_eq!(done.status, 200, "the backup codes page");
        assert!(done.body.contains("id=\"backup-codes\""), "{}", done.body);
        pages.push(("backup codes".into(), done.body));
        pages.push(("/settings (after)".into(), b.get("/settings").await.body));
        // A new browser: sign-in and the second step, in the browser's language.
        let mut fresh = Browser::new(&app);
        fresh
            .cookies
            .insert("keyward_lang".into(), locale.tag().into());
        pages.push(("/signin".into(), fresh.get("/signin").await.body));
        password_step_any(&mut fresh, &email).await;
        pages.push((
            "/signin/verify".into(),
            fresh.get("/signin/verify").await.body,
        ));
        for (path, body) in &pages {
            assert!(
                body.contains(&format!("<html lang=\"{}\">", locale.tag())),
                "{path} is not in {}: {body}",
                locale.tag()
            );
            let left = english_left(body, locale);
            assert!(
                left.is_empty(),
                "{path} ({}) still says {left:?}",
                locale.tag()
            );
        }
    }
}

/// The password step in any language (`password_step` checks the English label).
async fn password_step_any(b: &mut Browser, email: &str) {
    let page = b.get("/signin").await;
    let csrf = csrf_of(&page.body);
    let r = b
        .post(
            "/signin",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/signin/verify"));
}

/// The journey in Russian and German in Chromium: screenshots in docs/screenshots/
/// (i18n-ru-*.png, i18n-de-*.png, and the mail that turned two-factor on), every page in the
/// language, no English sentence left, and no button text that does not fit its button.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journey_in_russian_and_german_in_chromium() {
    if !crate::webauthn::require_browser() || !crate::helpers::require_tool("oathtool") {
        return;
    }
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/screenshots");
    for locale in [Locale::Ru, Locale::De] {
        let port = crate::helpers::free_port();
        let app = spawn_app_with(&[
            ("KEYWARD_LISTEN", &format!("127.0.0.1:{port}")),
            ("KEYWARD_BASE_URL", &format!("http://localhost:{port}")),
        ])
        .await;
        let email = format!("journey-{}@example.com", locale.tag());
        let r = app
            .post(
                "/api/v1/users",
                json!({ "email": email, "password": "correct horse battery" }),
            )
            .await;
        assert_eq!(r.status, 201);
        let out = crate::helpers::run_browser_script(
            "i18n.mjs",
            port,
            vec![
                ("LANG_TAG", locale.tag().to_owned()),
                ("EMAIL", email.clone()),
                ("PASSWORD", "correct horse battery".to_owned()),
                ("I18N_SHOTS", shots.to_owned()),
            ],
        )
        .await;
        let pages = out["pages"].as_array().expect("pages");
        assert_eq!(pages.len(), 8, "{out}");
        for p in pages {
            let name = p["name"].as_str().unwrap_or("");
            assert_eq!(p["lang"], locale.tag(), "{name}");
            let left = english_left(p["html"].as_str().unwrap_or(""), locale);
            assert!(left.is_empty(), "{name} ({}): {left:?}", locale.tag());
            assert_eq!(
                p["overflow"],
                json!([]),
                "{name}: text wider than its button"
            );
        }
        // Mail follows the user's locale, not the browser: give the user the language, add
        // another factor, and look at the mail that says so.
        let (subject, _, html) = {
            let found = app.get(&format!("/api/v1/users?email={email}")).await;
            let user = found.body["users"][0]["id"]
                .as_str()
                .expect("id")
                .to_owned();
            let r = app
                .request(
                    "PATCH",
                    &format!("/api/v1/users/{user}"),
                    Some(&app.integration_key),
                    Some(json!({ "locale": locale.tag() })),
                )
                .await;
            assert_eq!(r.status, 200);
            let (factor, secret, _) = app.enroll_totp(&user, "Laptop").await;
            let now = app.pin_clock_after(app.now() + 90);
            assert_eq!(
                app.activate(&user, &factor, &totp_code(&secret, now))
                    .await
                    .status,
                200
            );
            stored_mail(&app, &email, "two_factor_enabled").await
        };
        assert_eq!(
            subject,
            locale.t_args(
                "mail-subject-enabled",
                &[(
                    "issuer",
                    keyward::domain::i18n::Arg::Text("Keyward Test".into())
                )]
            )
        );
        let left = english_left(&html, locale);
        assert!(left.is_empty(), "mail ({}): {left:?}", locale.tag());
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir
            .path()
            .join(format!("i18n-{}-09-mail.html", locale.tag()));
        std::fs::write(&file, html).expect("write");
        let status = std::process::Command::new("node")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/browser/screenshots.mjs"
            ))
            .arg(shots)
            .arg(&file)
            .status()
            .expect("node");
        assert!(status.success());
    }
}
