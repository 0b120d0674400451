use serde_json::json;

use crate::helpers::{backend, spawn_app, totp_code};

/// Every event of the log (up to 1000), as the API shows them.
async fn all_events(app: &crate::helpers::TestApp) -> Vec<serde_json::Value> {
    app.request(
        "GET",
        "/api/v1/audit?limit=1000",
        Some(&app.support_key),
        None,
    )
    .await
    .body["events"]
        .as_array()
        .expect("events")
        .clone()
}

/// The chain and position of event `id`.
async fn place_of(app: &crate::helpers::TestApp, id: i64) -> (i64, i64) {
    let e = all_events(app)
        .await
        .into_iter()
        .find(|e| e["id"].as_str().and_then(|s| s.parse::<i64>().ok()) == Some(id))
        .expect("event");
    (
        e["chain"].as_i64().expect("chain"),
        e["position"].as_i64().expect("position"),
    )
}

/// Drives every action of this issue once and returns the user id.
async fn busy_user(app: &crate::helpers::TestApp) -> String {
    let (user, factor, secret, codes) = app.user_with_totp("audit@example.org").await;
    app.verify(&user, "000000").await;
    app.clock.advance(chrono::Duration::seconds(60));
    let code = totp_code(&secret, app.now());
    app.verify(&user, &code).await;
    app.verify(&user, &code).await;
    app.verify(&user, &codes[0]).await;
    app.post(&format!("/api/v1/users/{user}/backup-codes"), json!({}))
        .await;
    let (pending, _, _) = app.enroll_totp(&user, "Spare").await;
    app.activate(&user, &pending, "000000").await;
    app.request(
        "DELETE",
        &format!("/api/v1/users/{user}/factors/{factor}"),
        Some(&app.integration_key),
        None,
    )
    .await;
    app.settle_mail().await;
    user
}

#[tokio::test]
async fn every_action_is_recorded_and_chained() {
    let app = spawn_app().await;
    let user = busy_user(&app).await;
    let r = app
        .get(&format!("/api/v1/audit?user_id={user}&limit=1000"))
        .await;
    assert_eq!(r.status, 200);
    let events = r.body["events"].as_array().expect("events");
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().expect("name"))
        .collect();
    for expected in [
        "user.created",
        "factor.enrollment_started",
        "factor.activation_failed",
        "factor.activated",
        "backup_codes.generated",
        "verify.failed",
        "verify.succeeded",
        "verify.replay_rejected",
        "backup_code.used",
        "factor.removed",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    // Newest first, and each event names its actor, address and chain links.
    let ids: Vec<i64> = events
        .iter()
        .map(|e| e["id"].as_str().expect("id").parse().expect("n"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]));
    // (The newest events are the mail worker's `email.sent`, by the system.)
    assert!(names.contains(&"email.sent"), "{names:?}");
    let mailed = events
        .iter()
        .find(|e| e["event"] == "email.sent")
        .expect("email.sent");
    assert_eq!(mailed["actor"]["type"], "system");
    let e = events
        .iter()
        .find(|e| e["event"] == "factor.removed")
        .expect("factor.removed");
    assert_eq!(e["actor"]["type"], "api_key");
    assert!(
        e["actor"]["id"]
            .as_str()
            .expect("key id")
            .starts_with("key_")
    );
    assert_eq!(e["ip"], "127.0.0.1");
    assert_eq!(e["hash"].as_str().expect("hash").len(), 64);
    assert_eq!(e["prev_hash"].as_str().expect("prev").len(), 64);
    assert!(e["at"].as_str().expect("at").ends_with('Z'));

    let v = app
        .request("GET", "/api/v1/audit/verify", Some(&app.support_key), None)
        .await;
    assert_eq!(v.status, 200);
    assert_eq!(v.body["ok"], true);
    assert!(v.body["events_checked"].as_i64().expect("n") >= events.len() as i64);
}

#[tokio::test]
async fn filters_and_pages() {
    let app = spawn_app().await;
    let user = busy_user(&app).await;
    let other = app.create_user("other@example.org").await;
    let only = app.get(&format!("/api/v1/audit?user_id={other}")).await;
    assert_eq!(only.body["events"].as_array().map(Vec::len), Some(1));
    let failed = app
        .get(&format!("/api/v1/audit?user_id={user}&event=verify.failed"))
        .await;
    assert!(
        failed.body["events"]
            .as_array()
            .expect("events")
            .iter()
            .all(|e| e["event"] == "verify.failed")
    );

    // Pages of 3 cover everything exactly once.
    let all = app
        .request(
            "GET",
            "/api/v1/audit?limit=1000",
            Some(&app.support_key),
            None,
        )
        .await;
    let total = all.body["events"].as_array().expect("events").len();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/audit?limit=3&cursor={c}"),
            None => "/api/v1/audit?limit=3".to_owned(),
        };
        let page = app
            .request("GET", &path, Some(&app.support_key), None)
            .await;
        assert_eq!(page.status, 200);
        for e in page.body["events"].as_array().expect("events") {
            seen.push(e["id"].as_str().expect("id").to_owned());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
    let mut dedup = seen.clone();
    dedup.dedup();
    assert_eq!(dedup.len(), total);

    // Time filters.
    let future = app
        .request(
            "GET",
            "/api/v1/audit?since=2999-01-01T00:00:00Z",
            Some(&app.support_key),
            None,
        )
        .await;
    assert_eq!(future.body["events"], json!([]));
    let past = app
        .request(
            "GET",
            "/api/v1/audit?until=2000-01-01T00:00:00Z",
            Some(&app.support_key),
            None,
        )
        .await;
    assert_eq!(past.body["events"], json!([]));
    let bad = app
        .request(
            "GET",
            "/api/v1/audit?since=yesterday",
            Some(&app.support_key),
            None,
        )
        .await;
    assert_eq!(bad.status, 400);
    let bad_limit = app
        .request("GET", "/api/v1/audit?limit=0", Some(&app.support_key), None)
        .await;
    assert_eq!(bad_limit.status, 400);
}

#[tokio::test]
async fn an_edited_event_breaks_the_chain_and_is_named() {
    let app = spawn_app().await;
    busy_user(&app).await;
    assert_eq!(
        app.sql("UPDATE audit_events SET details = '{\"reason\":\"nothing to see\"}' WHERE id = 4")
            .await,
        1
    );
    let v = app
        .request("GET", "/api/v1/audit/verify", Some(&app.security_key), None)
        .await;
    assert_eq!(v.body["ok"], false);
    assert_eq!(v.body["first_bad_event_id"], "4");
    if backend() == "sqlite" {
        // One chain: the three events before it.
        assert_eq!(v.body["events_checked"], 3);
    }

    let out = app.cli(&["audit", "verify"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("event 4"), "{text}");
}

#[tokio::test]
async fn a_deleted_event_breaks_the_chain_and_is_named() {
    let app = spawn_app().await;
    busy_user(&app).await;
    let (chain, position) = place_of(&app, 6).await;
    assert_eq!(app.sql("DELETE FROM audit_events WHERE id = 6").await, 1);
    let out = app.cli(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("position {position}")), "{stdout}");
    let v = app
        .request("GET", "/api/v1/audit/verify", Some(&app.support_key), None)
        .await;
    assert_eq!(v.body["ok"], false);
    assert_eq!(v.body["first_bad_chain"], chain);
    assert_eq!(v.body["first_bad_position"], position);
    if backend() == "sqlite" {
        // One chain whose positions are the ids: the deleted event is named.
        assert_eq!(v.body["first_bad_event_id"], "6");
        assert!(stdout.contains("event 6"), "{stdout}");
    }
}

#[tokio::test]
async fn deleting_the_newest_events_is_detected() {
    let app = spawn_app().await;
    busy_user(&app).await;
    let last: i64 = app
        .request("GET", "/api/v1/audit?limit=1", Some(&app.support_key), None)
        .await
        .body["events"][0]["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("n");
    let places = [place_of(&app, last - 1).await, place_of(&app, last).await];
    assert_eq!(
        app.sql(&format!(
            "DELETE FROM audit_events WHERE id >= {}",
            last - 1
        ))
        .await,
        2
    );
    let v = app
        .request("GET", "/api/v1/audit/verify", Some(&app.support_key), None)
        .await;
    assert_eq!(v.body["ok"], false);
    let named = (
        v.body["first_bad_chain"].as_i64().expect("chain"),
        v.body["first_bad_position"].as_i64().expect("position"),
    );
    assert!(places.contains(&named), "{named:?} not in {places:?}");
    if backend() == "sqlite" {
        assert_eq!(v.body["first_bad_event_id"], (last - 1).to_string());
    }
}

#[tokio::test]
async fn a_rehashed_edit_is_caught_at_the_next_event() {
    let app = spawn_app().await;
    busy_user(&app).await;
    // An attacker edits event 5 and recomputes its hash: the link from event 6 still breaks.
    let page = app
        .request(
            "GET",
            "/api/v1/audit?limit=1000",
            Some(&app.support_key),
            None,
        )
        .await;
    let e5 = page.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["id"] == "5")
        .expect("event 5")
        .clone();
    let details = e5["details"].to_string();
    let forged = keyward::domain::audit_chain::ChainedEvent {
        id: 5,
        at: e5["at"].as_str().expect("at"),
        event: "user.nothing_happened",
        actor_type: e5["actor"]["type"].as_str().expect("type"),
        actor_id: e5["actor"]["id"].as_str(),
        user_id: e5["user_id"].as_str(),
        factor_id: e5["factor_id"].as_str(),
        ip: e5["ip"].as_str(),
        details: &details,
    }
    .hash(e5["prev_hash"].as_str().expect("prev"));
    let updated = app
        .sql(&format!("UPDATE audit_events SET event = 'user.nothing_happened', hash = '{forged}' WHERE id = 5"))
        .await;
    assert_eq!(updated, 1);
    let v = app
        .request("GET", "/api/v1/audit/verify", Some(&app.support_key), None)
        .await;
    assert_eq!(v.body["ok"], false);
    // The next event in event 5's chain no longer links to it (or, when 5 is the newest of
    // its chain, the head no longer matches).
    let (chain, position) = place_of(&app, 5).await;
    assert_eq!(v.body["first_bad_chain"], chain, "{:?}", v.body);
    assert_eq!(
        v.body["first_bad_position"].as_i64(),
        Some(position + 1),
        "{:?}",
        v.body
    );
    if backend() == "sqlite" {
        assert_eq!(v.body["first_bad_event_id"], "6", "{:?}", v.body);
    }
    let out = app.cli(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test]
async fn export_as_jsonl_and_csv() {
    let app = spawn_app().await;
    busy_user(&app).await;
    let total = app
        .request(
            "GET",
            "/api/v1/audit?limit=1000",
            Some(&app.support_key),
            None,
        )
        .await
        .body["events"]
        .as_array()
        .expect("events")
        .len();
    let out = app.cli(&["audit", "export"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), total);
    assert_eq!(lines[0]["id"], "1");
    // Each chain, in position order, links from the genesis hash.
    let mut chains: std::collections::BTreeMap<i64, Vec<&serde_json::Value>> = Default::default();
    for l in &lines {
        chains
            .entry(l["chain"].as_i64().expect("chain"))
            .or_default()
            .push(l);
    }
    for events in chains.values_mut() {
        events.sort_by_key(|e| e["position"].as_i64());
        assert_eq!(events[0]["prev_hash"], "0".repeat(64));
        assert_eq!(events[0]["position"], 1);
        for w in events.windows(2) {
            assert_eq!(w[1]["prev_hash"], w[0]["hash"]);
            assert_eq!(
                w[1]["position"].as_i64(),
                w[0]["position"].as_i64().map(|p| p + 1)
            );
        }
    }
    if backend() == "sqlite" {
        assert_eq!(chains.len(), 1);
    }
    let csv = app.cli(&["audit", "export", "--format", "csv"]);
    assert!(csv.status.success());
    let csv_text = String::from_utf8_lossy(&csv.stdout);
    assert!(csv_text.starts_with("id,at,event,actor_type"));
    assert!(
        csv_text
            .lines()
            .next()
            .expect("header")
            .ends_with(",hash,chain,position")
    );
    assert_eq!(csv_text.lines().count(), total + 1);
}

#[tokio::test]
async fn hostile_input_cannot_break_an_audit_write() {
    let app = spawn_app().await;
    let user = app.create_user("hostile@example.org").await;
    let huge_name = "Ж".repeat(64);
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "totp", "name": huge_name }),
        )
        .await;
    assert_eq!(r.status, 201);
    let v = app
        .request("GET", "/api/v1/audit/verify", Some(&app.support_key), None)
        .await;
    assert_eq!(v.body["ok"], true);
}
