//! The staff pages as a person reads them: the compliance page's chart of second factors per
//! user over 90 days (with its table), the support timeline and the audit log in human words
//! with the raw event names beside them, and factor kinds and statuses as badges.

use chrono::{Duration, TimeZone, Utc};
use keyward::domain::clock::Clock;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::portal::{Browser, password_step};

const PASSWORD: &str = "correct horse battery";

async fn staff(app: &TestApp, email: &str, role: &str) -> Browser {
    let r = app
        .request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(json!({ "email": email, "password": PASSWORD, "role": role })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let mut b = Browser::new(app);
    // No policy requires a second factor here: the password signs staff in.
    let page = password_step(&mut b, email).await;
    assert_eq!(page.location.as_deref(), Some("/settings"));
    b
}

/// An active (or pending) factor written straight into the database: the YubiKey and security
/// key ceremonies have their own tests; here only the kind and the status count.
async fn factor_row(app: &TestApp, user: &str, kind: &str, status: &str) {
    named_factor_row(app, user, kind, &format!("Test {kind}"), status).await;
}

async fn named_factor_row(app: &TestApp, user: &str, kind: &str, name: &str, status: &str) {
    let id = format!("fct_{}", uuid::Uuid::new_v4().simple());
    let at = app.clock.now().naive_utc().format("%Y-%m-%d %H:%M:%S");
    let activated = if status == "active" {
        format!("'{at}'")
    } else {
        "NULL".into()
    };
    app.sql(&format!(
        "INSERT INTO factors (id, user_id, kind, name, status, created_at, activated_at) \
         VALUES ('{id}', '{user}', '{kind}', '{name}', '{status}', '{at}', {activated})"
    ))
    .await;
}

fn day(app: &TestApp) -> chrono::NaiveDate {
    app.clock.now().date_naive()
}

#[tokio::test]
async fn the_compliance_page_charts_second_factors_per_user_over_90_days() {
    let app = spawn_app().await;
    // Noon, ten days from now: no day boundary falls inside the test.
    let start = Utc::now().date_naive() + Duration::days(10);
    app.clock
        .set(Utc.from_utc_datetime(&start.and_hms_opt(12, 0, 0).expect("noon")));
    staff(&app, "ciso@example.com", "security").await;
    let (a, ..) = app.user_with_totp("a@example.com").await;
    let b = app.create_user("b@example.com").await;

    // The next day's counts: 3 users; a has an app; the security user and b have nothing.
    app.clock.advance(Duration::days(1));
    let yesterday = day(&app);
    // The housekeeping task may have recorded the day first; then this call records nothing.
    keyward::services::adoption::record_today(&app.state)
        .await
        .expect("recorded");
    assert!(
        !keyward::services::adoption::record_today(&app.state)
            .await
            .expect("looked up"),
        "one record a day"
    );

    // Today: a adds a YubiKey, b a security key (and an unfinished app, not counted), c an
    // app and a security key, d nothing.
    app.clock.advance(Duration::days(1));
    let today = day(&app);
    factor_row(&app, &a, "yubikey_otp", "active").await;
    factor_row(&app, &b, "webauthn", "active").await;
    factor_row(&app, &b, "totp", "pending").await;
    let (c, ..) = app.user_with_totp("c@example.com").await;
    factor_row(&app, &c, "webauthn", "active").await;
    app.create_user("d@example.com").await;
    // The server's own record of the day it started (its counts race with the setup above).
    app.sql(&format!(
        "DELETE FROM factor_adoption WHERE day < '{}'",
        yesterday.format("%Y-%m-%d")
    ))
    .await;

    // Two days on, the session has lapsed: the security user signs in again.
    let mut sec = Browser::new(&app);
    password_step(&mut sec, "ciso@example.com").await;
    let page = sec.get("/compliance").await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    // The picture: an SVG with its accessible name, legend and axis labels.
    assert!(
        body.contains("<svg class=\"chart\" role=\"img\" aria-label=\"Users by kind of second factor over the last 90 days. Today, of 5 users: 2 with an authenticator app, 1 with a YubiKey, 2 with a security key, 2 without a second factor.\""),
        "{body}"
    );
    for text in [
        ">Authenticator app</text>",
        ">YubiKey</text>",
        ">Security key</text>",
        ">No second factor</text>",
        ">Day (UTC)</text>",
        ">Users</text>",
    ] {
        assert!(body.contains(text), "{text}");
    }
    // Yesterday and today are one line per kind.
    assert_eq!(body.matches("<polyline").count(), 4, "{body}");
    assert!(body.contains(
        "Counted per user: someone with an authenticator app and a security key counts under both"
    ));

    // The table beside it: yesterday, today and the change.
    let heading = yesterday.format("%-d %b").to_string();
    assert!(
        body.contains(&format!(
            "<th scope=\"col\" class=\"num\">{heading}</th><th scope=\"col\" class=\"num\">Today</th><th scope=\"col\" class=\"num\">Change</th>"
        )),
        "{body}"
    );
    for (class, label, values) in [
        ("app", "Authenticator app", "1|2|+1"),
        ("yubikey", "YubiKey", "0|1|+1"),
        ("key", "Security key", "0|2|+2"),
        ("none", "No second factor", "2|2|0"),
        ("all", "All users", "3|5|+2"),
    ] {
        let cells: String = values
            .split('|')
            .map(|v| format!("<td class=\"num\">{v}</td>"))
            .collect();
        let row = format!(
            "<tr class=\"trend-{class}\"><th scope=\"row\"><span class=\"swatch swatch-{class}\" aria-hidden=\"true\"></span>{label}</th>{cells}</tr>"
        );
        assert!(body.contains(&row), "{row}\n{body}");
    }
    // Every recorded day, newest first: app, YubiKey, security key, none, all.
    let daily = |d: chrono::NaiveDate, v: [i64; 5]| {
        let cells: String = v
            .iter()
            .map(|n| format!("<td class=\"num\">{n}</td>"))
            .collect();
        format!(
            "<tr><th scope=\"row\">{}</th>{cells}</tr>",
            d.format("%-d %b %Y")
        )
    };
    let newest = daily(today, [2, 1, 2, 2, 5]);
    let older = daily(yesterday, [1, 0, 0, 2, 3]);
    let (i, j) = (
        body.find(&newest).expect("today's row"),
        body.find(&older).expect("yesterday's row"),
    );
    assert!(i < j, "newest first");
    // The list of users out of compliance is still there.
    assert!(
        body.contains("<th scope=\"col\">Must enroll by</th>")
            || body.contains("does not require two-factor")
    );
}

#[tokio::test]
async fn the_support_timeline_and_audit_log_speak_human_words() {
    let app = spawn_app().await;
    let mut sec = staff(&app, "sec@example.com", "security").await;
    let (user, ..) = app.user_with_totp("phone@example.com").await;
    factor_row(&app, &user, "yubikey_otp", "active").await;
    factor_row(&app, &user, "webauthn", "pending").await;
    app.settle_mail().await;

    let page = sec.get("/support?email=phone%40example.com").await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    for (name, words) in [
        ("factor.activated", "Authenticator app added: My Phone"),
        ("backup_codes.generated", "Backup codes generated"),
        (
            "factor.enrollment_started",
            "Started adding an authenticator app",
        ),
        ("user.created", "Account created"),
        ("email.sent", "Security mail sent: two-factor turned on"),
    ] {
        // The sentence, with the raw name on hover and beside it.
        let cell =
            format!("<span title=\"{name}\">{words}</span> <code class=\"event\">{name}</code>");
        assert!(body.contains(&cell), "{cell}\n{body}");
    }
    for badge in [
        "<span class=\"badge badge-app\">Authenticator app</span>",
        "<span class=\"badge badge-yubikey\">YubiKey</span>",
        "<span class=\"badge badge-key\">Security key</span>",
        "<span class=\"badge badge-active\">Active</span>",
        "<span class=\"badge badge-pending\">Pending</span>",
    ] {
        assert!(body.contains(badge), "{badge}");
    }
    // The staff layout is wide.
    assert!(body.contains("<body class=\"wide\">"));
    // No secret of the factor is on the page, in words or otherwise.
    assert!(!body.contains("secret") && !body.contains("backup_codes_removed"));

    let audit = sec.get("/audit?email=phone%40example.com").await;
    assert_eq!(audit.status, 200);
    assert!(
        audit.body.contains(
            "<span title=\"factor.activated\">Authenticator app added: My Phone</span> <code class=\"event\">factor.activated</code>"
        ),
        "{}",
        audit.body
    );

    // A customer's page stays narrow.
    let mut customer = Browser::new(&app);
    let r = app
        .request(
            "POST",
            "/api/v1/users",
            Some(&app.security_key),
            Some(json!({ "email": "plain@example.com", "password": PASSWORD })),
        )
        .await;
    assert_eq!(r.status, 201);
    password_step(&mut customer, "plain@example.com").await;
    let settings = customer.get("/settings").await;
    assert!(settings.body.contains("<body>"), "{}", settings.body);
}

fn noon(d: chrono::NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).expect("noon"))
}

/// Eighty-nine days of a small company taking up second factors, each day recorded the way
/// the housekeeping task records it: two people join a day; two in three add an app after
/// three days; from day 30 every fifth gets a YubiKey, from day 55 every fourth a security
/// key; every seventh removes their app after three weeks.
async fn ninety_days(app: &TestApp) {
    let today = Utc::now().date_naive();
    let mut users: Vec<(String, i64)> = Vec::new();
    for day in 0..89_i64 {
        app.clock.set(noon(today - Duration::days(89 - day)));
        for k in 0..2 {
            let id = app
                .create_user(&format!("person{day}-{k}@example.com"))
                .await;
            users.push((id, day));
        }
        for (j, (user, joined)) in users.iter().enumerate() {
            let j = j as i64;
            if j % 3 != 2 && day == joined + 3 {
                factor_row(app, user, "totp", "active").await;
            }
            if j % 5 == 0 && day == (joined + 5).max(30) {
                factor_row(app, user, "yubikey_otp", "active").await;
            }
            if j % 4 == 1 && day == (joined + 2).max(55) {
                factor_row(app, user, "webauthn", "active").await;
            }
            if j % 7 == 3 && day == joined + 21 {
                app.sql(&format!(
                    "DELETE FROM factors WHERE user_id = '{user}' AND kind = 'totp'"
                ))
                .await;
            }
        }
        keyward::services::adoption::record_today(&app.state)
            .await
            .expect("recorded");
    }
    app.clock.set(Utc::now());
}

/// In headless Chromium at 1440×900: the support console, audit log, policy and compliance
/// pages are wide, speak human words, draw the chart, and axe-core finds no serious or critical
/// violation (tests/browser/staff.mjs; screenshots in tests/browser/screenshots/staff-*.png,
/// copied to docs/screenshots/).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_pages_at_1440_pixels_in_chromium() {
    if !crate::webauthn::require_browser() {
        return;
    }
    let port = crate::helpers::free_port();
    let app = spawn_app_with(&[
        ("KEYWARD_LISTEN", &format!("127.0.0.1:{port}")),
        ("KEYWARD_BASE_URL", &format!("http://localhost:{port}")),
    ])
    .await;
    ninety_days(&app).await;
    staff(&app, "ciso@example.com", "security").await;
    let (dana, _, _, codes) = app.user_with_totp("dana@example.com").await;
    named_factor_row(&app, &dana, "yubikey_otp", "YubiKey 5 NFC", "active").await;
    named_factor_row(&app, &dana, "webauthn", "Office laptop", "pending").await;
    // A wrong code (refused), then a backup code.
    assert_eq!(app.verify(&dana, "000000").await.status, 422);
    assert_eq!(app.verify(&dana, &codes[0]).await.status, 200);
    app.settle_mail().await;

    let r = crate::helpers::run_browser_script(
        "staff.mjs",
        port,
        vec![
            ("PASSWORD", PASSWORD.to_owned()),
            ("SECURITY_EMAIL", "ciso@example.com".to_owned()),
            ("CUSTOMER_EMAIL", "dana@example.com".to_owned()),
        ],
    )
    .await;
    let axe = r["axe"].as_object().expect("axe results");
    assert_eq!(axe.len(), 4, "{axe:?}");
    for (page, violations) in axe {
        assert_eq!(
            violations.as_array().map(Vec::len),
            Some(0),
            "{page}: {violations}"
        );
    }
    for step in r["steps"].as_array().expect("steps") {
        let width = step["card_width"].as_f64().expect("width");
        assert!(width > 1200.0, "{step}");
    }
    let badges: Vec<&str> = r["badges"]
        .as_array()
        .expect("badges")
        .iter()
        .filter_map(|b| b.as_str())
        .collect();
    for b in [
        "Authenticator app",
        "YubiKey",
        "Security key",
        "Active",
        "Pending",
    ] {
        assert!(badges.contains(&b), "{b}: {badges:?}");
    }
    let timeline = r["timeline"].as_array().expect("timeline");
    assert!(
        timeline
            .iter()
            .any(|e| e["name"] == "backup_code.used" && e["words"] == "Backup code used (9 left)"),
        "{timeline:?}"
    );
    assert!(
        timeline
            .iter()
            .all(|e| e["words"] != e["name"] && !e["words"].as_str().unwrap_or("_").contains('_')),
        "{timeline:?}"
    );
    assert_eq!(
        r["chart_lines"], 4,
        "one line per kind over 90 recorded days"
    );
    assert!(
        r["chart_label"].as_str().expect("label").starts_with(
            "Users by kind of second factor over the last 90 days. Today, of 180 users:"
        ),
        "{}",
        r["chart_label"]
    );
}
