//! The audit log's chains and checkpoints (ADR 010): concurrent appends on two instances spread
//! over the chains and still prove; checkpoints catch a chain cut back together with its head,
//! and an edited checkpoint.

use keyward::domain::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{TestApp, backend, spawn_app};

async fn checkpoint(app: &TestApp) -> Option<String> {
    let now = keyward::domain::clock::naive(app.clock.now());
    app.state
        .db
        .write(move |c| {
            keyward::services::audit::checkpoint(c, now).map_err(keyward::db::DbError::from)
        })
        .await
        .expect("checkpoint")
        .map(|c| c.hash)
}

async fn verify(app: &TestApp) -> Value {
    let v = app
        .request("GET", "/api/v1/audit/verify", Some(&app.security_key), None)
        .await;
    assert_eq!(v.status, 200);
    v.body
}

async fn events(app: &TestApp) -> Vec<Value> {
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

#[tokio::test]
async fn concurrent_appends_on_two_instances_spread_over_chains_and_prove() {
    let app = spawn_app().await;
    let sibling = app.spawn_sibling().await;
    let creates = (0..48).map(|i| {
        let base = if i % 2 == 0 {
            app.base.clone()
        } else {
            sibling.base.clone()
        };
        let (client, key) = (app.client.clone(), app.integration_key.clone());
        async move {
            client
                .post(format!("{base}/api/v1/users"))
                .bearer_auth(key)
                .json(&json!({ "email": format!("many{i}@example.org") }))
                .send()
                .await
                .expect("send")
                .status()
                .as_u16()
        }
    });
    let statuses = futures::future::join_all(creates).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let all = events(&app).await;
    let created = all.iter().filter(|e| e["event"] == "user.created").count();
    assert_eq!(created, 48);
    let chains: std::collections::BTreeSet<i64> = all
        .iter()
        .map(|e| e["chain"].as_i64().expect("chain"))
        .collect();
    let report = verify(&app).await;
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["events_checked"].as_u64(), Some(all.len() as u64));
    if backend() == "postgres" {
        assert_eq!(report["chains"], 32);
        assert!(
            chains.len() > 1,
            "48 concurrent appends all went to one chain: {chains:?}"
        );
    } else {
        assert_eq!(report["chains"], 1);
        assert_eq!(chains.len(), 1);
    }
    // Ids are unique; within each chain the positions run 1, 2, 3, … .
    let mut ids: Vec<&str> = all.iter().map(|e| e["id"].as_str().expect("id")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
}

#[tokio::test]
async fn checkpoints_chain_and_catch_a_chain_cut_back_with_its_head() {
    let app = spawn_app().await;
    for i in 0..6 {
        app.create_user(&format!("cp{i}@example.org")).await;
    }
    // (Housekeeping takes one at start too, so this may find it taken already.)
    checkpoint(&app).await;
    assert_eq!(checkpoint(&app).await, None, "nothing new since the last");
    let report = verify(&app).await;
    assert_eq!(report["ok"], true, "{report}");
    let taken = report["checkpoints_checked"].as_i64().expect("n");
    assert!(taken >= 1, "{report}");
    let first = report["last_checkpoint"]["hash"].clone();
    assert_eq!(report["last_checkpoint"]["id"], taken.to_string());

    app.create_user("cp-more@example.org").await;
    checkpoint(&app).await;
    let report = verify(&app).await;
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["checkpoints_checked"], taken + 1);
    let second = report["last_checkpoint"]["hash"]
        .as_str()
        .expect("hash")
        .to_owned();
    assert_ne!(second, first);
    let out = app.cli(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&second),
        "the CLI prints the anchor: {stdout}"
    );

    // Someone cuts the newest event off a chain and rewinds the chain's head to match: the
    // chain alone is consistent again, but the checkpoint remembers the old head.
    let all = events(&app).await;
    let newest = &all[0];
    let chain = newest["chain"].as_i64().expect("chain");
    let position = newest["position"].as_i64().expect("position");
    let before = all
        .iter()
        .find(|e| e["chain"] == chain && e["position"] == position - 1)
        .map_or("0".repeat(64), |e| {
            e["hash"].as_str().expect("hash").to_owned()
        });
    assert_eq!(
        app.sql(&format!(
            "DELETE FROM audit_events WHERE id = {}",
            newest["id"].as_str().expect("id")
        ))
        .await,
        1
    );
    assert_eq!(
        app.sql(&format!(
            "UPDATE audit_head SET last_id = {}, last_hash = '{before}' WHERE id = {chain}",
            position - 1
        ))
        .await,
        1
    );
    let report = verify(&app).await;
    assert_eq!(report["ok"], false, "{report}");
    assert_eq!(report["first_bad_chain"], chain, "{report}");
    assert!(
        report["problem"]
            .as_str()
            .expect("problem")
            .contains(&format!("checkpoint {}", taken + 1)),
        "{report}"
    );
    let out = app.cli(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test]
async fn an_edited_or_deleted_checkpoint_is_caught() {
    let app = spawn_app().await;
    for round in 0..3 {
        app.create_user(&format!("round{round}@example.org")).await;
        // (None when housekeeping took it first.)
        checkpoint(&app).await;
    }
    let taken = verify(&app).await["checkpoints_checked"]
        .as_i64()
        .expect("n");
    assert!(taken >= 3, "{taken}");

    // An older checkpoint edited to claim other heads.
    assert_eq!(
        app.sql("UPDATE audit_checkpoints SET heads = '[]' WHERE id = 2")
            .await,
        1
    );
    let report = verify(&app).await;
    assert_eq!(report["ok"], false, "{report}");
    assert!(
        report["problem"]
            .as_str()
            .expect("problem")
            .starts_with("checkpoint 2:"),
        "{report}"
    );
    // An older checkpoint deleted.
    assert_eq!(
        app.sql("DELETE FROM audit_checkpoints WHERE id = 2").await,
        1
    );
    let report = verify(&app).await;
    assert_eq!(report["ok"], false, "{report}");
    assert!(
        report["problem"]
            .as_str()
            .expect("problem")
            .contains("checkpoint 2 is missing"),
        "{report}"
    );
}
