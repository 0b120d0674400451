//! The staff pages in Russian and German: the support console with a customer looked up, the
//! audit log with events, the policy, the groups, a group and the compliance page — also with
//! a refused change, a banner after one, and the page a customer gets instead — are in the
//! staff member's language, with no English sentence of the catalogue left and no English word
//! outside the data they show. And the same pages in Chromium, photographed.

use keyward::domain::clock::Clock;
use keyward::domain::i18n::Locale;
use serde_json::json;

use crate::groups::hardware_only_required;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::i18n::{english_left, visible_text};
use crate::portal::{Browser, csrf_of, password_step};

const PASSWORD: &str = "correct horse battery";

/// Words of English sentences that no Russian or German staff page says (so not "in", "was"
/// or "Code", which are German too): a sentence built in Rust and not from the catalogue
/// would still show one of them.
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "with", "were", "has", "have", "not", "is", "are", "this", "that", "of", "to",
    "by", "for", "from", "your", "their", "nothing", "none", "never", "group", "groups", "policy",
    "user", "users", "days", "day", "reset", "save", "delete", "remove", "add", "find", "events",
    "event", "customer", "required", "allowed", "today", "key", "backup", "factor", "factors",
    "signed", "sign", "mail", "sent", "created", "used",
];

/// English words left in the page's visible text once the data it shows is taken out: what
/// is inside `<code>` (event names, the details, the API call), the emails, names and
/// authenticator models of `data`.
fn english_words(html: &str, data: &[&str]) -> Vec<String> {
    let mut rest = html.to_owned();
    while let Some(start) = rest.find("<code") {
        let end = rest[start..]
            .find("</code>")
            .map_or(rest.len(), |e| start + e + "</code>".len());
        rest.replace_range(start..end, " ");
    }
    let mut text = visible_text(&rest);
    let models = keyward::domain::webauthn::KNOWN_AUTHENTICATORS
        .iter()
        .map(|(_, name)| *name);
    let mut data: Vec<&str> = data.iter().copied().chain(models).collect();
    // The longest first, so that a model's name goes before a shorter one inside it.
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    for d in data {
        text = text.replace(d, " ");
    }
    // Identifiers (`key_…`, `usr_…`) and compounds (`E-Mail-Adresse`) are one word.
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| ENGLISH_WORDS.contains(&w.to_lowercase().as_str()))
        .map(str::to_owned)
        .collect()
}

/// A security team member whose account speaks `locale`, signed in with the password.
async fn security_member(app: &TestApp, email: &str, locale: Locale) -> Browser {
    let r = app
        .request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(
                json!({ "email": email, "password": PASSWORD, "role": "security",
                "locale": locale.tag() }),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let mut b = Browser::new(app);
    let page = password_step(&mut b, email).await;
    assert_eq!(page.location.as_deref(), Some("/settings"));
    b
}

/// Sudo mode for `b`, back to `next`.
async fn sudo(b: &mut Browser, next: &str) {
    let page = b
        .get(&format!(
            "/settings/sudo?next={}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        ))
        .await;
    assert_eq!(page.status, 200);
    let back = b
        .post(
            "/settings/sudo",
            &[
                ("csrf", &csrf_of(&page.body)),
                ("next", next),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(back.location.as_deref(), Some(next));
}

/// A customer with an authenticator app, a failed and a backup-code sign-in, in a group of
/// hardware keys that makes them out of compliance; a user with no factor. Returns the
/// customer's id and the group's id.
async fn a_company(app: &TestApp) -> (String, String) {
    let (customer, _, _, codes) = app.user_with_totp("dana@example.com").await;
    assert_eq!(app.verify(&customer, "000000").await.status, 422);
    assert_eq!(app.verify(&customer, &codes[0]).await.status, 200);
    app.create_user("lee@example.com").await;
    let group = app
        .group_with("Ops", Some(hardware_only_required(10)))
        .await;
    assert_eq!(app.join(&group, &customer).await.status, 204);
    app.settle_mail().await;
    (customer, group)
}

/// A global policy that requires a second factor of everyone (those signed in before keep
/// their sessions).
async fn require_everyone(app: &TestApp) {
    let policy = json!({
        "require_two_factor": true,
        "allowed_methods": ["totp", "yubikey_otp", "webauthn"],
        "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false },
        "enrollment_grace_days": 14
    });
    let r = app.sec("PUT", "/api/v1/policy", Some(policy)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

fn check(locale: Locale, pages: &[(String, String)], data: &[&str]) {
    for (path, body) in pages {
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
        let words = english_words(body, data);
        assert!(
            words.is_empty(),
            "{path} ({}) has English words {words:?}: {}",
            locale.tag(),
            visible_text(body)
        );
    }
}

#[tokio::test]
async fn no_english_is_left_on_the_staff_pages() {
    for locale in [Locale::Ru, Locale::De] {
        let app = spawn_app().await;
        let (customer, group) = a_company(&app).await;
        let me = format!("sec-{}@example.com", locale.tag());
        let mut b = security_member(&app, &me, locale).await;
        // A customer who will try the staff pages.
        let mut visitor = Browser::new(&app);
        let r = app
            .post(
                "/api/v1/users",
                json!({ "email": "curious@example.com", "password": PASSWORD }),
            )
            .await;
        assert_eq!(r.status, 201);
        password_step(&mut visitor, "curious@example.com").await;
        require_everyone(&app).await;
        let mut pages: Vec<(String, String)> = Vec::new();
        for path in [
            "/support".to_owned(),
            "/support?email=dana%40example.com".to_owned(),
            "/support?email=nobody%40example.com".to_owned(),
            "/audit".to_owned(),
            "/audit?email=dana%40example.com".to_owned(),
            "/policy".to_owned(),
            "/policy?saved=1".to_owned(),
            "/groups".to_owned(),
            "/groups?done=deleted".to_owned(),
            format!("/groups/{group}"),
            format!("/groups/{group}?done=created"),
            "/compliance".to_owned(),
        ] {
            let page = b.get(&path).await;
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            pages.push((path, page.body));
        }
        // The audit log lists events, each in words with its raw name beside it.
        let audit = &pages[3].1;
        for name in ["login.succeeded", "group.member_added", "backup_code.used"] {
            assert!(
                audit.contains(&format!("<code class=\"event\">{name}</code>")),
                "{name}: {audit}"
            );
        }
        // What the filters refuse is said in the language too (422).
        for path in [
            "/audit?since=yesterday",
            "/audit?email=not-an-email",
            "/audit?email=nobody%40example.com",
        ] {
            let page = b.get(path).await;
            assert_eq!(page.status, 422, "{path}");
            pages.push((path.to_owned(), page.body));
        }

        // Changes the services refuse, and the forms' own mistakes.
        sudo(&mut b, "/groups").await;
        let csrf = csrf_of(&pages[7].1);
        let refused = [
            ("/groups".to_owned(), vec![("name", "Ops")], 422),
            ("/groups".to_owned(), vec![("name", " ")], 422),
            (
                format!("/groups/{group}/members"),
                vec![("email", "nobody@example.com")],
                422,
            ),
            (
                format!("/groups/{group}/policy"),
                vec![("enrollment_grace_days", "ten"), ("method", "webauthn")],
                422,
            ),
            (
                format!("/groups/{group}/policy"),
                vec![("enrollment_grace_days", "10")],
                409,
            ),
            (
                "/policy".to_owned(),
                vec![("enrollment_grace_days", "99999"), ("method", "totp")],
                422,
            ),
            (
                "/policy".to_owned(),
                vec![("enrollment_grace_days", "14"), ("require_two_factor", "1")],
                422,
            ),
            (
                format!("/support/users/{customer}/reset"),
                vec![
                    ("reason", ""),
                    ("check", "out_of_band"),
                    ("reference", "T-1"),
                ],
                422,
            ),
            (
                format!("/support/users/{customer}/reset"),
                vec![
                    ("reason", "Lost phone"),
                    ("check", "backup_code"),
                    ("code", "0000-0000"),
                ],
                422,
            ),
        ];
        for (path, fields, status) in refused {
            let mut form = vec![("csrf", csrf.as_str())];
            form.extend(fields);
            let page = b.post(&path, &form).await;
            assert_eq!(page.status, status, "{path} {form:?}: {}", page.body);
            pages.push((format!("POST {path} {form:?}"), page.body));
        }
        // A change that goes through, and the banner after it.
        let done = b
            .post(
                &format!("/groups/{group}/members"),
                &[("csrf", &csrf), ("email", "lee@example.com")],
            )
            .await;
        let to = done.location.expect("back to the group");
        pages.push((to.clone(), b.get(&to).await.body));
        pages.push(("/audit (after)".into(), b.get("/audit").await.body));

        // The customer on a staff page: the refusal in the browser's language.
        visitor
            .cookies
            .insert("keyward_lang".into(), locale.tag().into());
        for path in ["/support", "/audit", "/groups"] {
            let page = visitor.get(path).await;
            assert_eq!(page.status, 403, "{path}");
            pages.push((format!("{path} (a customer)"), page.body));
        }

        let data = [
            me.as_str(),
            "dana@example.com",
            "lee@example.com",
            "nobody@example.com",
            "not-an-email",
            "curious@example.com",
            "My Phone",
            "Keyward Test",
            "Ops",
            "Lost phone",
            "T-1",
            "YubiKey",
            "Keyward",
            "2FA",
        ];
        check(locale, &pages, &data);
    }
}

/// The chart's words and the dates of the compliance page follow the language.
#[tokio::test]
async fn the_compliance_chart_and_dates_are_in_the_language() {
    let app = spawn_app().await;
    a_company(&app).await;
    let mut b = security_member(&app, "sec@example.com", Locale::De).await;
    require_everyone(&app).await;
    // The housekeeping task may have recorded the day already.
    keyward::services::adoption::record_today(&app.state)
        .await
        .expect("recorded");
    let page = b.get("/compliance").await.body;
    for words in [
        ">Authenticator-App</text>",
        ">Kein zweiter Faktor</text>",
        ">Tag (UTC)</text>",
        ">Benutzer</text>",
        "aria-label=\"Benutzer nach Art des zweiten Faktors in den letzten 90 Tagen.",
        "<th scope=\"col\">Einrichten bis</th>",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    // A German date: day, dot, month.
    let today = Locale::De.date(app.clock.now().date_naive());
    assert!(page.contains(&today), "{today}: {page}");
    let audit = b.get("/audit").await.body;
    assert!(audit.contains("Die Kette ist intakt:"), "{audit}");
}

/// The support console, audit log, policy, groups, a group and compliance pages in Russian
/// and in German, in Chromium at 1440 pixels (tests/browser/i18n.mjs with `STAFF_PAGES`):
/// every page in the language, no English left, no button text wider than its button, no
/// table wider than the page. Screenshots of all in tests/browser/screenshots/, and
/// docs/screenshots/i18n-ru-support.png, i18n-ru-compliance.png, i18n-de-audit.png and
/// i18n-de-group.png.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_staff_pages_in_russian_and_german_in_chromium() {
    if !crate::webauthn::require_browser() {
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
        let (_, group) = a_company(&app).await;
        keyward::services::adoption::record_today(&app.state)
            .await
            .expect("recorded");
        let email = format!("sec-{}@example.com", locale.tag());
        let r = app
            .request(
                "POST",
                "/api/v1/users",
                Some(&app.security_key),
                Some(json!({ "email": email, "password": PASSWORD, "role": "security" })),
            )
            .await;
        assert_eq!(r.status, 201);
        let out = crate::helpers::run_browser_script(
            "i18n.mjs",
            port,
            vec![
                ("LANG_TAG", locale.tag().to_owned()),
                ("EMAIL", email.clone()),
                ("PASSWORD", PASSWORD.to_owned()),
                ("I18N_SHOTS", shots.to_owned()),
                (
                    "DOC_SHOTS",
                    match locale {
                        Locale::Ru => "support compliance",
                        _ => "audit group",
                    }
                    .to_owned(),
                ),
                (
                    "STAFF_PAGES",
                    format!(
                        "support=/support?email=dana%40example.com audit=/audit policy=/policy \
                         groups=/groups group=/groups/{group} compliance=/compliance"
                    ),
                ),
            ],
        )
        .await;
        let pages = out["pages"].as_array().expect("pages");
        assert_eq!(pages.len(), 6, "{out}");
        for p in pages {
            let name = p["name"].as_str().unwrap_or("");
            assert_eq!(p["lang"], locale.tag(), "{name}");
            let left = english_left(p["html"].as_str().unwrap_or(""), locale);
            assert!(left.is_empty(), "{name} ({}): {left:?}", locale.tag());
            assert_eq!(p["overflow"], json!([]), "{name}: text wider than its box");
        }
    }
}
